"""County names in traditional and simplified characters (analysis/county_names.py): one county, not two."""
from land_bureau_plugin.analysis.county_names import TRADITIONAL, fold, one_spelling


def test_zhejiang_names_and_admin_words_fold_to_simplified():
    assert fold("桐廬縣") == "桐庐县"
    assert fold("蕭山區") == "萧山区" and fold("餘杭區") == "余杭区" and fold("臨安區") == "临安区"
    assert fold("義烏市") == "义乌市" and fold("縉雲縣") == "缙云县" and fold("黃巖區") == "黄岩区"
    assert fold("分水鎮") == "分水镇" and fold("鳳川鄉") == "凤川乡"
    assert fold("桐庐县") == "桐庐县"  # simplified stays as it is


def test_the_table_only_folds_traditional_characters_into_simplified_ones():
    """Every key is a character no simplified text uses (outside GB 2312), every value one that simplified text does
    (inside GB 2312), and no value is a key: folding twice is folding once. Characters whose simplified form depends
    on the word stay: 乾县, 乾安县, 於潜."""
    for old, new in TRADITIONAL.items():
        assert len(old) == len(new) == 1 and old != new
        assert not _in_gb2312(old), old
        assert _in_gb2312(new), new
    assert not set(TRADITIONAL) & set(TRADITIONAL.values())
    assert fold("乾县") == "乾县" and fold("乾安縣") == "乾安县" and fold("於潛鎮") == "於潜镇"


def test_spellings_that_agree_after_folding_are_read_as_the_simplified_one():
    names = ["桐廬縣", "桐庐县", None, "桐廬縣", "淳安县", "  ", "建德市"]
    assert one_spelling(names) == {"桐廬縣": "桐庐县"}  # the simplified spelling wins even when rarer


def test_without_a_simplified_spelling_the_most_frequent_one_is_kept():
    assert one_spelling(["桐廬縣", "桐庐縣", "桐庐縣"]) == {"桐廬縣": "桐庐縣"}
    assert one_spelling(["桐廬縣", "桐庐縣"]) == {"桐廬縣": "桐庐縣"}  # a tie: the first in character order
    assert one_spelling(["桐廬縣", "桐廬縣"]) == {}  # one spelling only: nothing to merge
    assert one_spelling(["桐庐县", "淳安县"]) == {}


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
