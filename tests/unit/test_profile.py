"""Rule profiles (rules/profile.py): loading, typed sections with defaults, clear errors, saving."""
import dataclasses
import json

import pytest

from land_bureau_plugin.analysis.resettlement import ResettlementRules
from land_bureau_plugin.analysis.upstairs_rules import UpstairsRules
from land_bureau_plugin.rules.migration import CURRENT_VERSION
from land_bureau_plugin.rules.profile import ProfileError, load_profile, save_profile, section


@dataclasses.dataclass(frozen=True)
class ExampleRules:
    """A section using every kind of annotation `section` checks."""

    count: int = 3
    ratio: float = 0.5
    label: str = "默认"
    limits: dict[str, float] = dataclasses.field(default_factory=dict)
    codes: list[str] = dataclasses.field(default_factory=list)
    anything: object = None


def write(tmp_path, text, name="profile.json", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def error_of(callable_, *args) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        callable_(*args)
    return caught.value


def test_the_bundled_default_profile_loads_with_the_published_resettlement_rules():
    profile = load_profile()
    assert profile["version"] == CURRENT_VERSION
    assert "默认" in profile["name"]
    assert section(profile, "resettlement", ResettlementRules) == ResettlementRules(
        start_years=1, complete_years=4, resettle_years=5, yellow_days=180, orange_days=90)
    assert {"resettlement", "efficiency", "upstairs"} <= set(profile)


def test_an_empty_path_means_the_bundled_profile():
    assert load_profile("") == load_profile(None) == load_profile()


def test_a_missing_section_takes_every_default():
    assert section({"name": "x"}, "resettlement", ResettlementRules) == ResettlementRules()


def test_missing_keys_take_the_class_defaults():
    rules = section({"resettlement": {"yellow_days": 120}}, "resettlement", ResettlementRules)
    assert rules == ResettlementRules(yellow_days=120)


def test_every_supported_annotation_accepts_a_well_typed_value():
    values = {"count": 4, "ratio": 1, "label": "杭州", "limits": {"0601": 1.0, "M1": 2}, "codes": ["0601", "M1"],
              "anything": [1, "x"]}
    assert section({"s": values}, "s", ExampleRules) == ExampleRules(**values)


def test_unknown_keys_are_errors_naming_the_section_and_the_keys():
    error = error_of(section, {"resettlement": {"yelow_days": 1, "extra": 2}}, "resettlement", ResettlementRules)
    assert error.key == "resettlement"
    assert "extra" in error.message and "yelow_days" in error.message


@pytest.mark.parametrize("key, value", [
    ("count", "3"),
    ("count", 3.0),
    ("count", True),
    ("count", None),
    ("ratio", "0.5"),
    ("ratio", False),
    ("label", 5),
    ("limits", [1.0]),
    ("codes", "0601"),
])
def test_a_wrong_type_is_an_error_naming_the_dotted_key(key, value):
    error = error_of(section, {"s": {key: value}}, "s", ExampleRules)
    assert error.key == f"s.{key}"
    assert repr(value) in error.message


@pytest.mark.parametrize("values, key", [
    ({"limits": {"0601": "high"}}, "s.limits.0601"),
    ({"codes": ["0601", 601]}, "s.codes[1]"),
])
def test_a_wrong_type_inside_a_container_names_the_element(values, key):
    assert error_of(section, {"s": values}, "s", ExampleRules).key == key


@pytest.mark.parametrize("value", ["180", True, 180.0])
def test_resettlement_days_must_be_whole_numbers(value):
    error = error_of(section, {"resettlement": {"yellow_days": value}}, "resettlement", ResettlementRules)
    assert error.key == "resettlement.yellow_days"
    assert str(error) == f"resettlement.yellow_days: expected int, got {value!r}"


def test_a_section_that_is_not_an_object_is_an_error():
    assert error_of(section, {"resettlement": [1, 4, 5]}, "resettlement", ResettlementRules).key == "resettlement"


@pytest.mark.parametrize("values, key", [
    ({"orange_days": 200}, "resettlement.orange_days"),
    ({"start_years": -1}, "resettlement.start_years"),
    ({"complete_years": 6}, "resettlement.complete_years"),
])
def test_values_the_rules_class_rejects_are_errors(values, key):
    assert error_of(section, {"resettlement": values}, "resettlement", ResettlementRules).key == key


@pytest.mark.parametrize("text, positions", [
    ('{\n  "name": "x",\n  "version": 1,\n}\n', {(4, 1), (3, 15)}),  # Python 3.13 points at the trailing comma
    ('{\n  "name": "x"\n  "version": 1\n}\n', {(3, 3)}),
    ("", {(1, 1)}),
])
def test_bad_json_names_the_file_line_and_column(tmp_path, text, positions):
    import json

    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(text)
    line, column = parsed.value.lineno, parsed.value.colno
    assert (line, column) in positions  # where this Python's parser stops, checked by hand
    path = write(tmp_path, text)
    error = error_of(load_profile, path)
    assert f"line {line}, column {column}" in error.message
    assert error.source == str(path)
    assert str(path) in str(error)


def test_a_missing_file_is_a_profile_error(tmp_path):
    error = error_of(load_profile, tmp_path / "nowhere.json")
    assert "cannot read" in error.message
    assert error.source.endswith("nowhere.json")


def test_a_file_that_is_not_utf8_is_a_profile_error(tmp_path):
    error = error_of(load_profile, write(tmp_path, '{"name": "默认"}', encoding="gbk"))
    assert "cannot read" in error.message


@pytest.mark.parametrize("text", ["[1, 2]", '"rules"', "3"])
def test_a_profile_must_be_a_json_object(tmp_path, text):
    assert "JSON object" in error_of(load_profile, write(tmp_path, text)).message


def test_a_profile_saved_by_windows_notepad_with_a_bom_loads(tmp_path):
    path = write(tmp_path, '{"name": "西湖区规则", "resettlement": {"yellow_days": 150}}', encoding="utf-8-sig")
    profile = load_profile(path)
    assert profile["name"] == "西湖区规则"
    assert section(profile, "resettlement", ResettlementRules).yellow_days == 150


def test_save_profile_round_trips_and_keeps_chinese_readable(tmp_path):
    profile = load_profile()
    profile["name"] = "西湖区规则（试行）"
    profile["efficiency"]["modes"]["idle"] = "政府收储"
    path = tmp_path / "西湖区.json"
    save_profile(profile, path)
    text = path.read_text(encoding="utf-8")
    assert "西湖区规则（试行）" in text and "\\u" not in text
    assert text.endswith("}\n")
    assert text.splitlines()[1].startswith("  \"name\"")  # indented for people
    assert load_profile(path) == profile
    assert json.loads(text) == profile


# --- versions -----------------------------------------------------------------------------------------------------

def test_a_version_1_profile_gets_the_support_rule_split_in_two(tmp_path):
    """Version 1 had one `support_share` rule (support floor area against 7 % of the land area): the rules a user
    listed keep their order, the old id becomes the floor-share and the land-share rule, nothing else changes."""
    old = {"name": "old", "version": 1, "upstairs": {"min_far": 2.5, "rules": ["far", "support_share", "redline"]}}
    path = write(tmp_path, json.dumps(old))
    profile = load_profile(path)
    assert profile["version"] == CURRENT_VERSION
    assert profile["upstairs"]["rules"] == ["far", "support_floor_share", "support_land_share", "redline"]
    assert profile["upstairs"]["min_far"] == 2.5
    assert json.loads(path.read_text(encoding="utf-8")) == old  # the file is not rewritten


def test_a_profile_without_a_version_is_version_1(tmp_path):
    profile = load_profile(write(tmp_path, json.dumps({"upstairs": {"rules": ["support_share"]}})))
    assert profile["upstairs"]["rules"] == ["support_floor_share", "support_land_share"]


def test_a_current_profile_is_left_as_it_is(tmp_path):
    # at the current version "support_share" is no rule id: the upstairs section refuses it, naming the known ones
    current = {"version": CURRENT_VERSION, "upstairs": {"rules": ["support_share"]}}
    assert load_profile(write(tmp_path, json.dumps(current))) == current


@pytest.mark.parametrize("version", [CURRENT_VERSION + 1, 0, "2", 1.5, True])
def test_a_newer_or_malformed_version_is_refused(tmp_path, version):
    error = error_of(load_profile, write(tmp_path, json.dumps({"version": version})))
    assert error.key == "version"


def test_a_version_2_profile_gets_the_bundled_sources_where_it_kept_the_defaults(tmp_path):
    """Version 2 had no sources: a rule whose values the profile left at their version-2 defaults takes the bundled
    source; a rule whose values it changed is the profile's own ("local default", said in the note) — a changed
    threshold is not what the document says."""
    old = {"version": 2, "upstairs": {"max_support_land_share": 0.07, "min_far": 2.5},
           "efficiency": {"min_coverage": 0.3, "weights": {"tax_per_mu": 60, "output_per_mu": 40}}}
    profile = load_profile(write(tmp_path, json.dumps(old)))
    bundled = load_profile()
    upstairs, efficiency = profile["upstairs"]["sources"], profile["efficiency"]["sources"]
    assert upstairs["support_land_share"] == bundled["upstairs"]["sources"]["support_land_share"]
    assert upstairs["support_land_share"]["document"] == "工业项目建设用地控制指标"
    assert upstairs["far"] == {"document": "local default", "note": "本规则配置自定的取值（由版本 2 迁移）"}
    assert efficiency["coverage_low"] == bundled["efficiency"]["sources"]["coverage_low"]
    assert efficiency["grading"]["document"] == "local default"  # its own weights
    assert "sources" not in profile.get("resettlement", {})  # a section it does not have takes every default
    section(profile, "upstairs", UpstairsRules)  # and the result is a valid profile


def test_sources_a_profile_gives_are_kept(tmp_path):
    mine = {"document": "某区工业上楼实施细则", "article": "第五条", "date": "2024-03-01"}
    sources = dict(load_profile()["upstairs"]["sources"], far=mine)
    profile = load_profile(write(tmp_path, json.dumps({"version": 2, "upstairs": {"sources": sources}})))
    assert profile["upstairs"]["sources"]["far"] == mine
    rules = section(profile, "upstairs", UpstairsRules)
    assert rules.source_table()["far"].citation() == "《某区工业上楼实施细则》第五条（2024-03-01）"


def test_a_version_3_efficiency_section_keeps_grading_by_score_without_classes(tmp_path):
    """Version 4 grades by rank with enterprise classes by default; an older profile's efficiency section keeps the
    grading it had — score bands, every parcel on every indicator, the version-3 default weights — and its rules
    of classes and exemptions are local ("none before version 4")."""
    from land_bureau_plugin.analysis.efficiency_rules import EfficiencyRules

    sources = dict(load_profile()["efficiency"]["sources"])
    for rule in ("classes", "exemptions"):
        sources.pop(rule)
    old = {"version": 3, "efficiency": {"grade_bounds": {"A": 85, "B": 60, "C": 40}, "sources": sources}}
    profile = load_profile(write(tmp_path, json.dumps(old)))
    rules = section(profile, "efficiency", EfficiencyRules)
    assert (rules.grading, rules.enterprise_classes, rules.grade_bounds["A"]) == ("score", False, 85)
    assert rules.weights == {"tax_per_mu": 30, "output_per_mu": 20, "output_per_energy": 20,
                             "output_per_employee": 10, "rd_ratio": 10}
    assert rules.source_table()["classes"].local
    assert section(load_profile(write(tmp_path, json.dumps({"version": 3}), "none.json")), "efficiency",
                   EfficiencyRules).grading == "rank"  # no section of its own: the defaults, as always
