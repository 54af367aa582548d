"""Profiles that would give a silent wrong answer are refused (rules/profile.py): NaN / Infinity, unknown sections
and keys (with "did you mean"), empty lists, negative numbers, percentages above 100, shares above 1, offsets of
centuries. Each threshold is tested at, just below and just above its limit."""
import pytest

from land_bureau_plugin.analysis.efficiency import EfficiencyRules
from land_bureau_plugin.analysis.resettlement import ResettlementRules
from land_bureau_plugin.analysis.upstairs_rules import UpstairsRules
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

SECTIONS = {"resettlement": ResettlementRules, "efficiency": EfficiencyRules, "upstairs": UpstairsRules}


def refused(profile: dict, name: str) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        section(profile, name, SECTIONS[name])
    return caught.value


@pytest.mark.parametrize("text, shown", [("NaN", "nan"), ("Infinity", "inf"), ("-Infinity", "-inf")])
def test_nan_and_infinity_in_a_file_are_refused_naming_the_key(tmp_path, text, shown):
    path = tmp_path / "p.json"
    path.write_text('{"upstairs": {"min_far": ' + text + '}}', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.key == "upstairs.min_far" and caught.value.source == str(path)
    assert caught.value.message == f"must be a finite number, not {shown}"


def test_nan_deep_in_a_table_is_refused_with_its_dotted_key(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"efficiency": {"min_far": {"default": 1, "0601": NaN}}}', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.key == "efficiency.min_far.0601"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_values_built_in_code_are_refused_too(value):
    error = refused({"upstairs": {"max_height_m": value}}, "upstairs")
    assert error.key == "upstairs.max_height_m" and "finite" in error.message


def test_a_misspelt_section_is_refused_with_the_section_it_resembles():
    error = refused({"name": "x", "effciency": {"min_coverage": 0.2}}, "upstairs")
    assert "effciency (did you mean efficiency?)" in error.message
    assert "known: resettlement, efficiency, upstairs" in error.message


def test_the_name_version_and_description_are_not_sections():
    assert section({"name": "x", "version": 2, "description": "d"}, "upstairs", UpstairsRules) == UpstairsRules()


def test_a_misspelt_key_is_refused_with_the_key_it_resembles():
    error = refused({"upstairs": {"min_fra": 2.0}}, "upstairs")
    assert error.key == "upstairs"
    assert "min_fra (did you mean min_far?)" in error.message


def test_a_key_resembling_nothing_gets_no_suggestion():
    assert "did you mean" not in refused({"upstairs": {"zzz": 1}}, "upstairs").message


def test_an_empty_rule_list_is_refused():
    error = refused({"upstairs": {"rules": []}}, "upstairs")
    assert error.key == "upstairs.rules" and "must not be empty" in error.message
    assert section({"upstairs": {"rules": ["far"]}}, "upstairs", UpstairsRules).rules == ["far"]


@pytest.mark.parametrize("profile, name, key", [
    ({"upstairs": {"min_far": -0.01}}, "upstairs", "upstairs.min_far"),
    ({"upstairs": {"min_overlap_m2": -1}}, "upstairs", "upstairs.min_overlap_m2"),
    ({"efficiency": {"min_far": {"default": 1.0, "0601": -0.5}}}, "efficiency", "efficiency.min_far.0601"),
    ({"efficiency": {"cluster_min_shared_edge_m": -5.0}}, "efficiency", "efficiency.cluster_min_shared_edge_m"),
    ({"efficiency": {"cluster_edge_tolerance_m": -0.01}}, "efficiency", "efficiency.cluster_edge_tolerance_m"),
    ({"resettlement": {"yellow_days": -1}}, "resettlement", "resettlement.yellow_days"),
])
def test_negative_numbers_are_refused(profile, name, key):
    error = refused(profile, name)
    assert (error.key, error.message) == (key, "must not be negative")


def test_zero_is_accepted_where_negative_numbers_are_not():
    assert section({"upstairs": {"min_overlap_m2": 0}}, "upstairs", UpstairsRules).min_overlap_m2 == 0


@pytest.mark.parametrize("value, ok", [(99.99, True), (100, True), (100.01, False), (1000, False)])
def test_a_percentage_above_100_is_refused(value, ok):
    profile = {"upstairs": {"max_area_diff_pct": value}}
    if ok:
        assert section(profile, "upstairs", UpstairsRules).max_area_diff_pct == value
    else:
        error = refused(profile, "upstairs")
        assert (error.key, error.message) == ("upstairs.max_area_diff_pct", "is a percentage: at most 100")


@pytest.mark.parametrize("value, ok", [(0.99, True), (1, True), (1.01, False), (15, False)])
def test_a_share_above_1_is_refused(value, ok):
    profile = {"upstairs": {"max_support_floor_share": value}}
    if ok:
        assert section(profile, "upstairs", UpstairsRules).max_support_floor_share == value
    else:
        assert refused(profile, "upstairs").key == "upstairs.max_support_floor_share"


@pytest.mark.parametrize("years, ok", [(99, True), (100, True), (101, False), (300, False)])
def test_a_milestone_offset_of_centuries_is_refused(years, ok):
    profile = {"resettlement": {"resettle_years": years}}
    if ok:
        assert section(profile, "resettlement", ResettlementRules).resettle_years == years
    else:
        error = refused(profile, "resettlement")
        assert (error.key, error.message) == ("resettlement.resettle_years", "at most 100 years")


@pytest.mark.parametrize("days, ok", [(3659, True), (3660, True), (3661, False)])
def test_a_warning_window_beyond_ten_years_is_refused(days, ok):
    profile = {"resettlement": {"yellow_days": days}}
    if ok:
        assert section(profile, "resettlement", ResettlementRules).yellow_days == days
    else:
        assert refused(profile, "resettlement").message == "at most 3660 days"
