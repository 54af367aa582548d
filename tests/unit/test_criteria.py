"""The one rule model (rules/criteria.py): each comparison at, just below and just above its threshold, unknown values
neither holding nor failing, sources checked, cited and shown."""
import numpy as np
import pytest

from land_bureau_plugin.analysis.efficiency_rules import EfficiencyRules
from land_bureau_plugin.analysis.resettlement import ResettlementRules
from land_bureau_plugin.analysis.upstairs_rules import RULE_IDS, UpstairsRules
from land_bureau_plugin.rules.criteria import LOCAL, Criterion, Source, cited, source_of, validate_sources
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

THRESHOLD = 2.5
BELOW, AT, ABOVE = 2.49, 2.5, 2.51


@pytest.mark.parametrize("comparison, at_below_above", [
    ("<", (True, False, False)),
    ("<=", (True, True, False)),
    (">", (False, False, True)),
    (">=", (False, True, True)),
    ("==", (False, True, False)),
    ("!=", (True, False, True)),
])
def test_each_comparison_at_just_below_and_just_above_its_threshold(comparison, at_below_above):
    criterion = Criterion("x", "x", comparison, THRESHOLD)
    values = np.array([BELOW, AT, ABOVE, np.nan])
    assert criterion.holds(values).tolist() == [*at_below_above, False]
    assert criterion.fails(values).tolist() == [not h for h in at_below_above] + [False]  # unknown: neither


def test_floating_point_noise_on_the_threshold_counts_as_on_it():
    # 2000.0000001 / 1000 is a FAR of 2 written by a program; a real 2.0001 is above it
    at_least = Criterion("far", "far", ">=", 2.0)
    assert at_least.holds(np.array([2000.0000001 / 1000, 1999.9999999 / 1000, 1.9999])).tolist() == [True, True, False]
    strictly_below = Criterion("far_low", "far", "<", 2.0)
    assert strictly_below.holds(np.array([1.9999999999, 1.9999])).tolist() == [False, True]


def test_a_threshold_per_row_and_a_text_threshold():
    per_row = Criterion("far_low", "far", ">=", np.array([1.0, 0.5, np.nan]))
    assert per_row.fails(np.array([0.9, 0.5, 0.1])).tolist() == [True, False, False]  # no threshold: not judged
    grade = Criterion("grade_low", "grade", "!=", "D")
    assert grade.fails(np.array(["A", "D", None], dtype=object)).tolist() == [False, True, False]


def test_an_unknown_comparison_is_refused():
    with pytest.raises(ValueError):
        Criterion("x", "x", "=<", 1.0)


def test_threshold_text_uses_the_symbols_planners_write():
    assert Criterion("x", "x", ">=", 2.0).threshold_text() == "≥ 2"
    assert Criterion("x", "x", "<=", 15.0).threshold_text() == "≤ 15"


# --- sources ---------------------------------------------------------------------------------------------------

def test_a_source_is_cited_with_document_article_and_date():
    source = source_of({"document": "工业项目建设用地控制指标", "article": "第四条（四）", "date": "2008"})
    assert source.citation() == "《工业项目建设用地控制指标》第四条（四）（2008）"
    assert source_of(LOCAL).local and source_of(LOCAL).citation() == ""
    assert source_of({"document": LOCAL, "note": "建议值"}).text() == "local default（建议值）"
    assert source_of({"document": LOCAL, "note": "建议值"}).text("本地默认") == "本地默认（建议值）"


def test_a_source_may_be_written_as_text():
    written = "《闲置土地处置办法》（2012）第二条第一款"
    assert source_of(written).citation() == written
    assert source_of("GB 50137-2011").citation() == "《GB 50137-2011》"
    assert source_of("本地默认：小于此面积视为误差") == Source(note="小于此面积视为误差")
    assert source_of("local default: proposal").local and source_of("local default: proposal").note == "proposal"


def test_cited_templates_append_documented_sources_only_and_still_fill():
    templates = {"far_low": "FAR {far} below {min_far}", "tax_low": "tax {tax}"}
    out = cited(templates, {"far_low": Source("规定{甲}", "第一条"), "tax_low": Source()})
    assert out["far_low"].format(far=0.8, min_far=1) == "FAR 0.8 below 1 (per 《规定{甲}》第一条)"
    assert out["tax_low"] == "tax {tax}"  # a local default is not cited in every reason
    assert cited(templates, {"far_low": Source("X")}, "（依据：{source}）")["far_low"].endswith("（依据：《X》）")


@pytest.mark.parametrize("sources, key", [
    ({"far": LOCAL}, "sources"),  # the others have none
    ({"far": "  "}, "sources.far"),  # no text
    ({"far": {"article": "第四条"}}, "sources.far.document"),
    ({"far": {"document": "X", "date": "08"}}, "sources.far.date"),
    ({"far": {"document": "X", "page": "3"}}, "sources.far"),
    ({"far": 2008}, "sources.far"),
    ({"sky_bridge": LOCAL}, "sources.sky_bridge"),
])
def test_malformed_or_missing_sources_are_named(sources, key):
    complete = {rule: LOCAL for rule in RULE_IDS}
    problems = dict(validate_sources({**complete, **sources} if key != "sources" else sources, RULE_IDS))
    assert key in problems


def test_every_rule_of_the_bundled_profile_has_a_valid_source():
    profile = load_profile()
    for name, rules_class in (("upstairs", UpstairsRules), ("efficiency", EfficiencyRules),
                              ("resettlement", ResettlementRules)):
        rules = section(profile, name, rules_class)
        assert set(rules.source_table()) == set(profile[name]["sources"])
    assert section(profile, "upstairs", UpstairsRules).source_table()["support_land_share"].citation() == \
        "《工业项目建设用地控制指标》第四条（四）（2008）"


def test_a_profile_without_a_source_for_a_rule_is_refused_naming_it():
    sources = {rule: LOCAL for rule in RULE_IDS if rule != "height"}
    with pytest.raises(ProfileError) as error:
        section({"upstairs": {"sources": sources}}, "upstairs", UpstairsRules)
    assert error.value.key == "upstairs.sources" and "height" in str(error.value)
