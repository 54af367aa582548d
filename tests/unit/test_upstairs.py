"""Industrial upstairs check: every rule's pass / fail / unchecked, exact overlay areas, reasons and the summary."""
import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from land_bureau_plugin.analysis import upstairs_overlay, upstairs_rules, upstairs_spatial, upstairs_text
from land_bureau_plugin.analysis.land_use_codes import LandUseSystemError
from land_bureau_plugin.analysis.units import M2_PER_MU
from land_bureau_plugin.analysis.upstairs import evaluate
from land_bureau_plugin.analysis.upstairs_rules import FAIL, PASS, UNCHECKED, UpstairsRules
from land_bureau_plugin.resources_path import resources_dir
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

# Attributes that pass every attribute rule of the default profile on a 100 m × 100 m plan (10 000 m²).
GOOD = {"declared_area": 10000.0, "building_area": 25000.0, "height": 40.0, "floors": 6, "ground_floor_height": 7.0,
        "upper_floor_height": 5.0, "ground_floor_load": 12.0, "upper_floor_load": 8.0, "lift_capacity": 3.0,
        "support_area": 500.0, "support_land_area": 400.0, "land_use": "100101", "district": "萧山区"}


def square(x=0.0, y=0.0, size=100.0):
    return shapely.box(x, y, x + size, y + size)


def plans_in_a_row(count, **columns):
    """`count` separate 100 m squares 1 km apart, with GOOD attributes overridden by `columns` (lists or scalars)."""
    frame = pd.DataFrame({"plan_id": [f"P{i}" for i in range(count)], **GOOD}, index=range(count))
    for name, values in columns.items():
        frame[name] = pd.Series(values if isinstance(values, list) else [values] * count, dtype=object)
    return [square(1000.0 * i) for i in range(count)], frame


def all_layers(count):
    """Constraint layers under which GOOD plans from `plans_in_a_row(count)` check every spatial rule: farmland and
    red line far away, a development boundary around all of them (the land-use rule reads the plans' own codes)."""
    return {"farmland": [square(-5000.0)], "redline": [square(-5000.0, 5000.0)],
            "urban_boundary": [shapely.box(-100.0, -100.0, 1000.0 * count + 100.0, 200.0)]}


def status(result, rule_id):
    checks = result.checks
    return list(checks.loc[checks["rule_id"] == rule_id, "status"])


def value(result, rule_id):
    checks = result.checks
    return list(checks.loc[checks["rule_id"] == rule_id, "value"])


# ----------------------------------------------------------------------------------------------------------- profile

def test_rules_dataclass_matches_the_default_profile():
    profile = json.loads((resources_dir() / "profiles" / "default.json").read_text(encoding="utf-8"))
    assert [f.name for f in dataclasses.fields(UpstairsRules)] == list(profile["upstairs"])
    assert section(load_profile(), "upstairs", UpstairsRules) == UpstairsRules()
    assert tuple(UpstairsRules().rules) == upstairs_rules.RULE_IDS


@pytest.mark.parametrize("values, key", [
    ({"min_height_m": 120.0}, "upstairs.min_height_m"),
    ({"rules": ["far", "sky_bridge"]}, "upstairs.rules"),
    ({"min_far": -1.0}, "upstairs.min_far"),
    ({"max_support_floor_share": 15.0}, "upstairs.max_support_floor_share"),
    ({"min_floors": 4.5}, "upstairs.min_floors"),
    ({"on_save_failing": "refuse"}, "upstairs.on_save_failing"),  # warn, block or off
])
def test_impossible_profile_values_are_reported_with_their_key(values, key):
    with pytest.raises(ProfileError) as error:
        section({"upstairs": values}, "upstairs", UpstairsRules)
    assert error.value.key == key


def test_every_text_is_marked_for_translation():
    from land_bureau_plugin.analysis import messages

    modules = (upstairs_rules, upstairs_text, messages)  # where the rule descriptions and the templates are marked
    source = "".join(Path(module.__file__).read_text(encoding="utf-8") for module in modules)
    marked = set(re.findall(r'QT_TRANSLATE_NOOP\(\s*"reasons",\s*"([^"]*)"\)', source))  # the separator: messages
    assert set(upstairs_text.UPSTAIRS_TEMPLATES.values()) <= marked
    for rule in upstairs_rules.build_rules(UpstairsRules()):
        assert rule.description in marked and rule.label == upstairs_text.UPSTAIRS_TEMPLATES[f"rule_{rule.id}"]


# --------------------------------------------------------------------------------------------------- attribute rules

ATTRIBUTE_RULES = [  # rule id, field, a passing value, a failing value
    ("floors", "floors", 4, 3),
    ("ground_floor_height", "ground_floor_height", 6.0, 5.9),
    ("upper_floor_height", "upper_floor_height", 4.5, 4.4),
    ("ground_floor_load", "ground_floor_load", 10.0, 9.5),
    ("upper_floor_load", "upper_floor_load", 6.5, 6.0),
    ("lift_capacity", "lift_capacity", 3.0, 2.0),
]


@pytest.mark.parametrize("rule_id, field, good, bad", ATTRIBUTE_RULES)
def test_minimum_rules_pass_at_the_threshold_fail_below_and_stay_unchecked_without_a_value(rule_id, field, good, bad):
    geometries, frame = plans_in_a_row(3, **{field: [good, bad, None]})
    result = evaluate(geometries, frame, **all_layers(3))
    assert status(result, rule_id) == [PASS, FAIL, UNCHECKED]
    assert value(result, rule_id)[:2] == [good, bad]
    # every rule checked: passed; one failed: failed; one open and none failed: not checked (NA), never passed
    assert result.plans["passed"].iloc[:2].tolist() == [1, 0] and pd.isna(result.plans["passed"].iloc[2])
    assert result.plans["failed_rules"].iloc[1] == rule_id
    assert [rule_id in text.split(",") for text in result.plans["unchecked_rules"]] == [False, False, True]
    assert "below" in result.plans["reasons"].iloc[1] or "fewer" in result.plans["reasons"].iloc[1]
    assert "(no value)" in result.plans["reasons"].iloc[2]


@pytest.mark.parametrize("rule_id, field, good, bad", ATTRIBUTE_RULES)
def test_a_missing_column_leaves_its_rule_unchecked_for_every_plan(rule_id, field, good, bad):
    geometries, frame = plans_in_a_row(2)
    result = evaluate(geometries, frame.drop(columns=[field]), **all_layers(2))
    assert status(result, rule_id) == [UNCHECKED, UNCHECKED]
    assert result.plans["passed"].isna().all()  # not checked (未核查): a missing field never lets a plan pass
    assert (result.summary["passed"], result.summary["failed"], result.summary["not_checked"]) == (0, 0, 2)
    assert result.summary["unchecked_causes"] == {rule_id: {"no_field": 2}}
    label = upstairs_text.UPSTAIRS_TEMPLATES[f"rule_{rule_id}"]
    assert all(f"{label} (field not found)" in reasons for reasons in result.plans["reasons"])
    assert field in result.summary["fields_missing"]


def test_a_field_without_a_value_is_not_reported_as_a_missing_field():
    # no building_area field, a far field empty on one plan: that plan lacks a value, the layer has the field
    geometries, frame = plans_in_a_row(2, far=[2.5, None])
    result = evaluate(geometries, frame.drop(columns=["building_area"]))
    assert status(result, "far") == [PASS, UNCHECKED]
    assert "FAR (no value)" in result.plans["reasons"].iloc[1]
    result = evaluate(geometries, frame.drop(columns=["building_area", "far"]))
    assert "FAR (field not found)" in result.plans["reasons"].iloc[1]


def test_height_band_excludes_24_m_and_includes_100_m():
    geometries, frame = plans_in_a_row(5, height=[24.0, 24.5, 100.0, 100.5, None])
    result = evaluate(geometries, frame)
    assert status(result, "height") == [FAIL, PASS, PASS, FAIL, UNCHECKED]
    assert "height 24 m not above 24 m" in result.plans["reasons"].iloc[0]
    assert "height 100.5 m above 100 m" in result.plans["reasons"].iloc[3]
    assert set(result.checks.loc[result.checks["rule_id"] == "height", "threshold"]) == {"> 24, ≤ 100"}


def test_far_from_building_area_else_from_the_far_column():
    geometries, frame = plans_in_a_row(4, building_area=[20000.0, 19000.0, None, None], far=[None, 5.0, 2.5, None])
    result = evaluate(geometries, frame)
    assert status(result, "far") == [PASS, FAIL, PASS, UNCHECKED]  # building_area wins over the far column
    assert result.plans["far"].iloc[:3].tolist() == [2.0, 1.9, 2.5]
    assert "FAR 1.9 below 2" in result.plans["reasons"].iloc[1]


def test_a_failing_value_is_never_written_as_its_threshold():
    """FAR 19,999 m² on 10,000 m² is 1.9999, below 2: written "FAR 2 below 2" it read as a wrong verdict; a height of
    100.001 m is above 100 m; values apart at two decimals keep them."""
    geometries, frame = plans_in_a_row(4, building_area=[19999.0, 19000.0, 20000.0, 19999.9999],
                                       height=[100.001, 24.0, 30.0, 30.0])
    result = evaluate(geometries, frame)
    reasons = result.plans["reasons"]
    assert status(result, "far") == [FAIL, FAIL, PASS, FAIL]
    assert "FAR 1.9999 below 2" in reasons.iloc[0] and "FAR 2 below 2" not in reasons.iloc[0]
    assert "FAR 1.9 below 2" in reasons.iloc[1]  # apart at two decimals already
    assert "FAR 1.99999999 below 2" in reasons.iloc[3]
    assert "height 100.001 m above 100 m" in reasons.iloc[0] and "height 24 m not above 24 m" in reasons.iloc[1]


@pytest.mark.parametrize("far, unit, in_percent", [
    (["250%", "2.5", "2.6", "2.4"], "percent_sign", [0]),  # only the value written with "%"
    (["250", "180", "2.5"], "percent", [0, 1, 2]),  # 2 of 3 above the FAR limit 20: the whole column
    (["250", "180", "2.5", "2.6"], "ratio", []),  # 2 of 4: not more than half, two data errors
    (["250%", "180", "2.5", "2.6"], "percent_sign", [0]),  # the signed value is no vote: 1 of 3 unsigned above
    (["250%", "180", "210", "2.6"], "percent", [0, 1, 2, 3]),
])
def test_the_summary_says_how_the_far_column_was_read_and_which_values_in_percent(far, unit, in_percent):
    geometries, frame = plans_in_a_row(len(far), building_area=None, far=far)
    frame.index = [10 + i for i in range(len(far))]  # the caller's labels (feature ids) name the plans
    result = evaluate(geometries, frame)
    assert result.summary["value_units"]["far"] == unit
    assert result.summary["problem_plans"]["percent_values"] == ({"far": [10 + i for i in in_percent]}
                                                                 if in_percent else {})


def test_support_floor_share_passes_at_15_percent_of_the_floor_area_and_fails_just_above():
    # floor area 25 000 m² (building_area): 15 % = 3 750 m²
    geometries, frame = plans_in_a_row(5, support_area=[3750.0, 3749.0, 3751.0, 0.0, None])
    result = evaluate(geometries, frame)
    assert status(result, "support_floor_share") == [PASS, PASS, FAIL, PASS, UNCHECKED]
    assert value(result, "support_floor_share")[:4] == pytest.approx([15.0, 14.996, 15.004, 0.0])
    reasons = result.plans["reasons"]
    assert "support floor 3751 m² is 15.004 % of floor area 25000 m² (limit 15 %)" in reasons.iloc[2]
    assert result.plans["failed_rules"].iloc[2] == "support_floor_share"
    assert "support floor share (no value)" in reasons.iloc[4]


def test_support_floor_share_is_taken_of_the_floor_area_from_far_when_there_is_no_building_area():
    # FAR 3.0 on 10 000 m²: floor area 30 000 m², 15 % = 4 500 m²
    geometries, frame = plans_in_a_row(3, building_area=None, far=3.0, support_area=[4500.0, 4499.0, 4501.0])
    assert status(evaluate(geometries, frame), "support_floor_share") == [PASS, PASS, FAIL]


def test_a_plan_with_far_3_and_support_floor_area_5_percent_of_its_floor_area_passes():
    """Issue 14: the old rule compared the support floor area (1 500 m²) with 7 % of the land area (700 m²) and
    failed this plan. Without a support land-area field the 7 % land rule is not checked, never passed or failed."""
    geometries, frame = plans_in_a_row(1, building_area=30000.0, support_area=1500.0)
    result = evaluate(geometries, frame.drop(columns=["support_land_area"]))
    assert status(result, "support_floor_share") == [PASS] and value(result, "support_floor_share") == [5.0]
    assert status(result, "support_land_share") == [UNCHECKED]
    assert pd.isna(result.plans["passed"].iloc[0]) and result.plans["failed_rules"].iloc[0] == ""  # not failed
    assert result.plans["unchecked_rules"].iloc[0].split(",") == ["support_land_share", "farmland", "redline",
                                                                  "urban_boundary"]
    assert "support land share (field not found)" in result.plans["reasons"].iloc[0]
    assert "support_land_area" in result.summary["fields_missing"]


def test_support_land_share_passes_at_7_percent_of_the_land_area_and_fails_just_above():
    # land area 10 000 m² (the drawn geometry): 7 % = 700 m²; the support floor area plays no part
    geometries, frame = plans_in_a_row(5, support_land_area=[700.0, 699.0, 701.0, 0.0, None], support_area=3000.0)
    result = evaluate(geometries, frame)
    assert status(result, "support_land_share") == [PASS, PASS, FAIL, PASS, UNCHECKED]
    assert status(result, "support_floor_share") == [PASS] * 5  # 3 000 of 25 000 m² = 12 %
    assert value(result, "support_land_share")[:4] == pytest.approx([7.0, 6.99, 7.01, 0.0])
    reasons = result.plans["reasons"]
    assert "support land 701 m² is 7.01 % of land area 10000 m² (limit 7 %)" in reasons.iloc[2]
    assert "support land share (no value)" in reasons.iloc[4]


@pytest.mark.parametrize("floor_share, land_share, support, land, expected", [
    (0.10, 0.05, 2500.0, 500.0, (PASS, PASS)),  # exactly 10 % of 25 000 and 5 % of 10 000
    (0.10, 0.05, 2501.0, 501.0, (FAIL, FAIL)),
    (0.10, 0.05, 2499.0, 499.0, (PASS, PASS)),
])
def test_support_thresholds_come_from_the_profile(floor_share, land_share, support, land, expected):
    geometries, frame = plans_in_a_row(1, support_area=support, support_land_area=land)
    rules = UpstairsRules(max_support_floor_share=floor_share, max_support_land_share=land_share)
    result = evaluate(geometries, frame, rules=rules)
    assert (status(result, "support_floor_share")[0], status(result, "support_land_share")[0]) == expected
    thresholds = result.checks.set_index("rule_id")["threshold"]
    assert (thresholds["support_floor_share"], thresholds["support_land_share"]) == ("≤ 10", "≤ 5")


def test_area_match_within_one_percent():
    geometries, frame = plans_in_a_row(4, declared_area=[10100.0, 9900.0, 10150.0, None])
    result = evaluate(geometries, frame)
    assert status(result, "area_match") == [PASS, PASS, FAIL, UNCHECKED]
    assert result.plans["area_diff_pct"].iloc[:3].round(9).tolist() == [1.0, -1.0, 1.5]
    assert "declared 10150 m² and drawn 10000 m² differ by 1.5 % (limit 1 %)" in result.plans["reasons"].iloc[2]


def test_text_numbers_are_read_and_junk_is_reported():
    geometries, frame = plans_in_a_row(6, height=["12.5", "４５", " 50 ", "待定", "-30", ""])
    frame["building_area"] = ["25,000", "25000", "1,2,5", 25000, 25000, 25000]
    result = evaluate(geometries, frame, field_labels={"height": "建筑高度"})
    assert value(result, "height")[:3] == [12.5, 45.0, 50.0]
    assert status(result, "height") == [FAIL, PASS, PASS, UNCHECKED, UNCHECKED, UNCHECKED]
    assert status(result, "far") == [PASS, PASS, UNCHECKED, PASS, PASS, PASS]
    reasons = result.plans["reasons"]
    assert "building_area is not a valid number: 1,2,5" in reasons.iloc[2]
    assert "建筑高度 is not a valid number: 待定" in reasons.iloc[3] and "height (invalid value)" in reasons.iloc[3]
    assert "建筑高度 is not a valid number: -30" in reasons.iloc[4]
    assert "height (no value)" in reasons.iloc[5] and "not a valid number" not in reasons.iloc[5]
    assert result.summary["problem_plans"]["bad_values"] == {"building_area": [2], "height": [3, 4]}


def test_duplicated_and_missing_plan_ids_are_reported():
    geometries, frame = plans_in_a_row(4, plan_id=["A", "B", "A ", None])
    result = evaluate(geometries, frame)
    reasons = result.plans["reasons"]
    assert "plan id A appears more than once" in reasons.iloc[0] and "appears more than once" in reasons.iloc[2]
    assert "more than once" not in reasons.iloc[1]
    assert "plan id missing" in reasons.iloc[3]
    assert result.summary["duplicate_plan_ids"] == ["A"]


def test_plans_sharing_an_id_are_named_with_their_feature_id():
    """One rule names plans wherever they are listed (upstairs_plans.plan_names): the id; "#<feature id>" without
    one; an id more than one plan has with each plan's feature id — here a pasted copy (feature -1) lying on its
    original (feature 12): each overlaps the other, and the reasons tell which is which."""
    from land_bureau_plugin.analysis.upstairs_plans import plan_names

    template = upstairs_text.UPSTAIRS_TEMPLATES["plan_of_feature"]
    names = plan_names(np.array(["P-7", "P-8", "P-7", ""], dtype=object), [12, 4, -1, 9], template)
    assert list(names) == ["P-7 (feature 12)", "P-8", "P-7 (feature -1)", "#9"]
    assert list(plan_names(np.array(["A", "B"], dtype=object), [0, 1], template)) == ["A", "B"]  # none shared
    geometries, frame = plans_in_a_row(3, plan_id=["P-7", "P-8", "P-7"])
    geometries[2] = square()  # the copy on its original
    frame.index = pd.Index([12, 4, -1])
    result = evaluate(geometries, frame)
    assert result.plans.at[12, "overlap_plans"] == "P-7 (feature -1)"
    assert result.plans.at[-1, "overlap_plans"] == "P-7 (feature 12)"
    assert "overlaps plan P-7 (feature -1) by 10000 m²" in result.plans.at[12, "reasons"]
    assert result.plans.at[4, "overlap_plans"] == ""


def test_disabled_rules_are_not_reported():
    geometries, frame = plans_in_a_row(2, height=[10.0, None])
    rules = UpstairsRules(rules=["far", "floors"])
    result = evaluate(geometries, frame, rules=rules)
    assert list(result.checks["rule_id"]) == ["far", "floors", "far", "floors"]
    assert list(result.plans["passed"]) == [1, 1] and list(result.plans["unchecked_rules"]) == ["", ""]
    assert result.plans["farmland_m2"].isna().all() and list(result.plans["overlap_plans"]) == ["", ""]


def test_the_callers_index_is_kept_and_may_repeat():
    geometries, frame = plans_in_a_row(3, height=[10.0, 40.0, 40.0])
    frame.index = [7, 7, 9]
    result = evaluate(geometries, frame, **all_layers(3))
    assert list(result.plans.index) == [7, 7, 9]
    assert list(result.plans["passed"]) == [0, 1, 1]
    assert list(result.checks["plan"].unique()) == [7, 9] and len(result.checks) == 3 * len(upstairs_rules.RULE_IDS)


def test_translated_templates_are_used_and_missing_keys_fall_back_to_english():
    geometries, frame = plans_in_a_row(1, height=10.0, floors=None)
    templates = {"fail_height_low": "高度{value}米，未超过{threshold}米", "rule_floors": "层数",
                 "cause_no_value": "{rule}（无数据）", "not_checked": "未检查：{rules}"}
    reasons = evaluate(geometries, frame, templates=templates).plans["reasons"].iloc[0]
    assert reasons.startswith("高度10米，未超过24米")
    assert "未检查：层数（无数据）" in reasons
    assert "red line (layer not given)" in reasons


def test_an_all_passing_plan_has_no_reasons_and_checks_every_rule():
    geometries, frame = plans_in_a_row(1)
    everything = [square(-10, -10, 2000)]
    result = evaluate(geometries, frame, farmland=[square(5000)], redline=[square(6000)], urban_boundary=everything,
                      landuse=everything, landuse_codes=["M1"])
    assert result.plans["failed_rules"].iloc[0] == "" and result.plans["unchecked_rules"].iloc[0] == ""
    assert result.plans["reasons"].iloc[0] == ""
    assert set(result.checks["status"]) == {PASS}
    assert len(result.violations) == 0 and list(result.violations.columns) == list(upstairs_spatial.VIOLATION_COLUMNS)


# -------------------------------------------------------------------------------------------------- geometric rules

def test_farmland_overlap_area_is_exact_and_drawn_for_failing_plans():
    geometries, frame = plans_in_a_row(3)
    farmland = [square(90, 0, 20),  # 10 × 20 = 200 m² on plan 0
                square(95, 10, 20),  # 5 × 20 on plan 0, of which 5 × 10 already under the first patch: +50
                square(1099.5, 50, 10)]  # 0.5 × 10 = 5 m² on plan 1
    farmland.append(square(2100, 0, 5))  # touches nothing
    result = evaluate(geometries, frame, farmland=farmland)
    assert result.plans["farmland_m2"].tolist() == pytest.approx([250.0, 5.0, 0.0])
    assert status(result, "farmland") == [FAIL, FAIL, PASS]
    assert "250 m² on permanent basic farmland" in result.plans["reasons"].iloc[0]
    pieces = result.violations[result.violations["rule_id"] == "farmland"]
    assert sorted(zip(pieces["plan"], pieces["features"])) == [(0, (0, 1)), (1, (2,))]
    assert np.allclose(shapely.area(pieces["geometry"].to_numpy()), pieces["area_m2"])


def test_overlapping_farmland_patches_make_one_violation_whose_area_is_the_plans_farmland_area():
    """Two patches overlapping each other on a plan (a data error that happens): one piece, the overlap counted once,
    so summing the pieces per plan and rule gives farmland_m2."""
    plan = shapely.Polygon([(0, 0), (120, 0), (120, 80), (30, 95), (0, 60)])
    patches = [shapely.Point(40, 40).buffer(35, quad_segs=8),
               shapely.box(55, 10, 140, 70),  # overlaps the first patch and reaches out of the plan
               shapely.box(60, 20, 80, 40)]  # inside both: adds nothing
    frame = pd.DataFrame({"plan_id": ["B"]})
    result = evaluate([plan], frame, farmland=patches)
    expected = plan.intersection(shapely.union_all(patches)).area
    separately = sum(plan.intersection(patch).area for patch in patches)
    assert separately > expected + 500  # the patches really do overlap on the plan
    pieces = result.violations[result.violations["rule_id"] == "farmland"]
    assert len(pieces) == 1 and pieces["features"].iloc[0] == (0, 1, 2)
    assert pieces["area_m2"].sum() == pytest.approx(result.plans["farmland_m2"].iloc[0], abs=0.1)
    assert result.plans["farmland_m2"].iloc[0] == pytest.approx(expected, abs=0.1)
    drawn = pieces["geometry"].iloc[0]
    assert drawn.is_valid and drawn.area == pytest.approx(expected, abs=0.1)
    assert drawn.symmetric_difference(plan.intersection(shapely.union_all(patches))).area < 0.1


def test_overlap_at_the_tolerance_passes():
    geometries, frame = plans_in_a_row(2)
    farmland = [shapely.box(99, 0, 100, 1), shapely.box(1099, 0, 1100, 1.5)]  # 1 m² and 1.5 m²
    result = evaluate(geometries, frame, redline=farmland)
    assert status(result, "redline") == [PASS, FAIL]
    assert result.violations["plan"].tolist() == [1]


def test_outside_boundary_area_is_exact_for_a_boundary_with_many_vertices():
    boundary = shapely.Point(0, 0).buffer(150, quad_segs=1000)  # 4 000 vertices: cut into pieces
    geometries = [square(-50, -50), square(100, 0), square(300, 300)]
    frame = pd.DataFrame({"plan_id": ["in", "across", "out"]})
    prepared = upstairs_overlay.prepare_layer([boundary], max_vertices=64)
    assert len(prepared.pieces) > 60
    result = evaluate(geometries, frame, urban_boundary=prepared)
    expected = [g.difference(boundary).area for g in geometries]
    assert result.plans["outside_boundary_m2"].tolist() == pytest.approx(expected, abs=1e-6)
    assert status(result, "urban_boundary") == [PASS, FAIL, FAIL]
    drawn = result.violations.set_index("plan_id")["geometry"]
    assert drawn["across"].symmetric_difference(geometries[1].difference(boundary)).area < 1e-6
    assert drawn["out"].equals(geometries[2])


def test_plan_overlaps_are_listed_both_ways_and_touching_plans_are_not():
    geometries = [square(0, 0), square(50, 0), square(100, 0), square(0, 99.995), square(500, 500)]
    frame = pd.DataFrame({"plan_id": ["A", "B", "C", "D", None]})
    geometries.append(square(520, 520, 10))  # inside the unnamed plan
    frame.loc[5, "plan_id"] = "F"
    result = evaluate(geometries, frame)
    # A–B overlap 50 × 100; B–C 50 × 100; A–C only touch; A–D 0.5 m² (below 1 m²); unnamed plan contains F
    assert result.plans["overlap_plans"].tolist() == ["B", "A,C", "B", "", "F", "#4"]
    assert status(result, "plan_overlap") == [FAIL, FAIL, FAIL, PASS, FAIL, FAIL]
    assert value(result, "plan_overlap") == pytest.approx([5000, 10000, 5000, 0, 100, 100])
    assert result.plans["overlap_m2"].tolist() == pytest.approx([5000, 10000, 5000, 0, 100, 100])
    pieces = result.violations[result.violations["rule_id"] == "plan_overlap"]
    assert sorted(zip(pieces["plan_id"], pieces["other_plan_id"], pieces["area_m2"])) == [
        ("", "F", 100), ("A", "B", 5000), ("B", "A,C", 10000), ("C", "B", 5000), ("F", "#4", 100)]


def test_non_industrial_land_from_the_land_use_layer():
    geometries, frame = plans_in_a_row(3)
    landuse = [shapely.box(-10, -10, 60, 110), shapely.box(60, -10, 110, 110),  # plan 0: 60 % on 1001xx, 40 % on 0701
               shapely.box(990, -10, 1110, 110),  # plan 1 entirely on 1001 (read from the number 1001.0)
               shapely.box(1990, -10, 2050, 110)]  # plan 2: only half covered, and that half industrial
    codes = ["100101", "0701", 1001.0, "110102"]  # a 2023-guide layer
    result = evaluate(geometries, frame, landuse=landuse, landuse_codes=codes)
    assert result.plans["non_industrial_m2"].tolist() == pytest.approx([4000.0, 0.0, 0.0])
    assert status(result, "industrial_land") == [FAIL, PASS, UNCHECKED]
    assert "industrial land (land-use layer does not cover the plan)" in result.plans["reasons"].iloc[2]
    pieces = result.violations[result.violations["rule_id"] == "industrial_land"]
    assert pieces["features"].tolist() == [(1,)] and pieces["area_m2"].tolist() == pytest.approx([4000.0])


def test_without_a_land_use_layer_the_plans_own_code_decides():
    geometries, frame = plans_in_a_row(4, land_use=["100102", "0701", "1101", None])
    result = evaluate(geometries, frame)
    assert status(result, "industrial_land") == [PASS, FAIL, PASS, UNCHECKED]
    assert result.summary["land_use"]["system"] == "guide2023" and result.summary["land_use"]["source"] == "plans"
    assert result.plans["non_industrial_m2"].iloc[:3].tolist() == [0.0, 10000.0, 0.0]
    assert result.violations["geometry"].iloc[0].equals(geometries[1])
    # the checklist says what was checked — the code — not an area that reads like a measured overlap
    rows = result.checks[result.checks["rule_id"] == "industrial_land"]
    assert rows["detail"].tolist()[:3] == [f"the plan's own land-use code {code} (no land-use layer)"
                                           for code in ("100102", "0701", "1101")] and rows["detail"].iloc[3] == ""
    assert rows["value"].isna().all()
    assert (rows["threshold"].iloc[0], rows["unit"].iloc[0]) == ("an industrial code", "")
    others = result.checks[result.checks["rule_id"] != "industrial_land"]
    assert (others["detail"] == "").all()
    result = evaluate(geometries, frame.drop(columns=["land_use"]))
    assert "industrial land (layer not given)" in result.plans["reasons"].iloc[0]
    assert (result.checks["detail"] == "").all()


def test_invalid_geometries_are_repaired_and_empty_ones_leave_geometric_rules_unchecked():
    bow_tie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    geometries, frame = plans_in_a_row(3)
    geometries[0], geometries[2] = bow_tie, shapely.Polygon()
    frame["building_area"] = [12000.0, 25000.0, 25000.0]
    result = evaluate(geometries, frame, farmland=[square(0, 0, 10)])
    reasons = result.plans["reasons"]
    assert "invalid geometry was repaired" in reasons.iloc[0]
    assert result.plans["area_m2"].iloc[0] == pytest.approx(5000.0) and result.plans["far"].iloc[0] == 2.4
    assert "no usable geometry (none, empty or not a polygon): not judged" in reasons.iloc[2]
    assert "farmland (no geometry)" in reasons.iloc[2]
    assert pd.isna(result.plans["passed"].iloc[2]) and result.summary["no_geometry"] == 1
    assert status(result, "farmland")[2] == UNCHECKED and status(result, "far")[2] == UNCHECKED
    assert (result.summary["geometry_repaired"], result.summary["geometry_empty"]) == (1, 1)
    assert result.summary["problem_plans"]["repaired"] == [0] and result.summary["problem_plans"]["empty"] == [2]


def test_multipart_plans_are_measured_as_a_whole():
    plan = shapely.MultiPolygon([square(0, 0, 50), square(200, 0, 50)])
    result = evaluate([plan], pd.DataFrame({"plan_id": ["M"], "far": [2.0]}), farmland=[square(225, 0, 50)])
    assert result.plans["area_m2"].iloc[0] == 5000.0 and result.plans["farmland_m2"].iloc[0] == 1250.0


def test_a_geometry_collection_counts_by_its_polygons_and_no_plans_give_an_empty_result():
    collection = shapely.GeometryCollection([square(0, 0, 50), shapely.Point(90, 90), square(60, 0, 10)])
    result = evaluate([collection], pd.DataFrame({"plan_id": ["G"]}), farmland=[square(60, 0, 5)])
    assert result.plans["area_m2"].iloc[0] == 2600.0 and result.plans["farmland_m2"].iloc[0] == 25.0
    empty = evaluate([], pd.DataFrame({"plan_id": []}), farmland=[square()], urban_boundary=[square()])
    assert len(empty.plans) == len(empty.checks) == len(empty.violations) == 0
    assert empty.summary["figures"] == "0 宗, 0 亩, 0 万m²"


# ------------------------------------------------------------------------------------ exactness on random overlays

def random_polygons(rng, count, spread, size):
    """Random convex-ish polygons (buffered points, boxes, some two-part) that overlap each other freely."""
    x, y = rng.uniform(0, spread, count), rng.uniform(0, spread, count)
    radius = rng.uniform(size / 4, size, count)
    polygons = shapely.buffer(shapely.points(x, y), radius, quad_segs=rng.integers(1, 5))
    boxes = shapely.box(x, y, x + radius, y + radius * 1.7)
    polygons = np.where(rng.random(count) < 0.4, boxes, polygons)
    two_part = rng.random(count) < 0.2
    polygons[two_part] = [shapely.MultiPolygon([p, shapely.affinity.translate(p, 3 * size, 0)])
                          for p in polygons[two_part]]
    return polygons


def test_overlay_areas_match_plain_per_plan_shapely_to_a_tenth_of_a_square_metre():
    rng = np.random.default_rng(42)
    plans = random_polygons(rng, 80, 3000, 120)
    farmland = random_polygons(rng, 400, 3300, 40)
    redline = random_polygons(rng, 30, 3300, 300)
    boundary = shapely.Point(1500, 1500).buffer(1300, quad_segs=500)  # 2 000 vertices
    landuse = random_polygons(rng, 200, 3300, 150)
    codes = rng.choice(["1001", "100103", "0701", "1201", None], len(landuse))  # 2023 guide
    frame = pd.DataFrame({"plan_id": [f"R{i}" for i in range(len(plans))]})

    result = evaluate(plans, frame, farmland=farmland, redline=redline,
                      urban_boundary=upstairs_overlay.prepare_layer([boundary], max_vertices=100),
                      landuse=landuse, landuse_codes=codes)

    farmland_union, redline_union = shapely.union_all(farmland), shapely.union_all(redline)
    non_industrial = shapely.union_all(landuse[np.isin(codes, ["0701", "1201"])])
    out = result.plans
    for i, plan in enumerate(plans):
        assert out["farmland_m2"].iloc[i] == pytest.approx(plan.intersection(farmland_union).area, abs=0.1)
        assert out["redline_m2"].iloc[i] == pytest.approx(plan.intersection(redline_union).area, abs=0.1)
        assert out["outside_boundary_m2"].iloc[i] == pytest.approx(plan.difference(boundary).area, abs=0.1)
        assert out["non_industrial_m2"].iloc[i] == pytest.approx(plan.intersection(non_industrial).area, abs=0.1)

    others = {i: [j for j in range(len(plans)) if i != j and plans[i].intersection(plans[j]).area > 1.0]
              for i in range(len(plans))}
    listed = {(f"R{i}", other) for i, text in enumerate(out["overlap_plans"]) for other in text.split(",") if text}
    assert listed == {(f"R{i}", f"R{j}") for i, js in others.items() for j in js}
    under_others = [plan.intersection(shapely.union_all(plans[others[i]])).area if others[i] else 0.0
                    for i, plan in enumerate(plans)]
    assert out["overlap_m2"].tolist() == pytest.approx(under_others, abs=0.1)

    # one violation per plan and rule whose area is the plan's figure, however the features overlap each other
    violations = result.violations
    assert not violations.duplicated(["plan", "rule_id"]).any()
    assert shapely.area(violations["geometry"].to_numpy()) == pytest.approx(violations["area_m2"].to_numpy(), abs=0.1)
    summed = violations.groupby(["plan", "rule_id"])["area_m2"].sum()
    columns = {"farmland": "farmland_m2", "redline": "redline_m2", "urban_boundary": "outside_boundary_m2",
               "industrial_land": "non_industrial_m2", "plan_overlap": "overlap_m2"}
    for (plan, rule_id), area in summed.items():
        assert area == pytest.approx(out.loc[plan, columns[rule_id]], abs=0.1)
    assert set(summed.index.get_level_values("rule_id")) == set(columns)
    failed = {(plan, rule) for plan, text in out["failed_rules"].items() for rule in text.split(",") if rule in columns}
    assert set(summed.index) == failed
    assert (result.checks["status"] != UNCHECKED).groupby(result.checks["rule_id"]).all()[
        ["farmland", "redline", "urban_boundary", "plan_overlap"]].all()


def test_a_violation_over_adjacent_and_subdivided_patches_is_one_valid_polygon():
    """Patches sharing an edge, and the pieces a big patch was cut into, are unioned (a MultiPolygon whose parts
    share an edge would be invalid); patches apart stay parts of one MultiPolygon."""
    geometries, frame = plans_in_a_row(2)
    big = shapely.Point(60, 50).buffer(30, quad_segs=400)  # 1 600 vertices: cut into pieces
    farmland = upstairs_overlay.prepare_layer([shapely.box(-10, -10, 30, 50), shapely.box(30, -10, 50, 50), big,
                                               shapely.box(1010, 10, 1020, 20), shapely.box(1060, 60, 1070, 70)],
                                              max_vertices=64)
    result = evaluate(geometries, frame, farmland=farmland)
    drawn = result.violations.set_index("plan")
    first, second = drawn.loc[0, "geometry"], drawn.loc[1, "geometry"]
    assert first.is_valid and first.geom_type == "Polygon" and drawn.loc[0, "features"] == (0, 1, 2)
    union = shapely.union_all([shapely.box(-10, -10, 30, 50), shapely.box(30, -10, 50, 50), big])
    assert first.area == pytest.approx(geometries[0].intersection(union).area, abs=0.1)
    assert second.is_valid and second.geom_type == "MultiPolygon" and second.area == pytest.approx(200.0)


def test_subdivided_pieces_tile_the_polygon():
    ring = shapely.Point(0, 0).buffer(1000, quad_segs=2500).exterior
    wavy = shapely.Polygon([(x * (1 + 0.05 * np.sin(20 * np.arctan2(y, x))), y) for x, y in ring.coords])
    pieces, owner = upstairs_overlay.subdivide(np.array([wavy, square()], dtype=object), max_vertices=50)
    assert shapely.get_num_coordinates(pieces).max() <= 50 and set(owner) == {0, 1}
    assert shapely.area(pieces[owner == 0]).sum() == pytest.approx(wavy.area, rel=1e-12)
    assert shapely.is_valid(pieces).all()


def test_a_prepared_layer_gives_the_same_answer_as_raw_geometries():
    rng = np.random.default_rng(7)
    plans, farmland = random_polygons(rng, 30, 1000, 80), random_polygons(rng, 100, 1000, 30)
    frame = pd.DataFrame({"plan_id": range(30)})
    raw = evaluate(plans, frame, farmland=farmland).plans
    prepared = evaluate(plans, frame, farmland=upstairs_overlay.prepare_layer(farmland)).plans
    pd.testing.assert_frame_equal(raw, prepared)


# ------------------------------------------------------------------------------------------------------------ summary

def test_the_2024_plan_summarises_as_133_parcels_7682_mu_1423_wan_m2_far_2_78():
    land_mu = np.full(133, 58.0)
    land_mu[-1] = 7682 - 58 * 132  # 26 亩
    floor_m2 = np.full(133, 107_000.0)
    floor_m2[-1] = 14_230_000 - 107_000 * 132  # 106 000 m²
    width = 100.0
    geometries = [shapely.box(1000 * i, 0, 1000 * i + width, mu * M2_PER_MU / width) for i, mu in enumerate(land_mu)]
    districts = np.array(["钱塘区", "萧山区", "余杭区"])[np.arange(133) % 3]
    frame = pd.DataFrame({"plan_id": [f"GS{i:03d}" for i in range(133)], "building_area": floor_m2,
                          "district": districts})

    summary = evaluate(geometries, frame).summary

    assert summary["plans"] == 133
    assert summary["land_mu"] == pytest.approx(7682, abs=1e-6)
    assert summary["floor_area_wan_m2"] == pytest.approx(1423, abs=1e-9)
    assert summary["figures"] == "133 宗, 7,682 亩, 1,423 万m²"
    assert round(summary["average_far"], 2) == 2.78
    # no field but building_area, no layer: nothing fails, nothing can pass — all 133 not checked
    assert (summary["passed"], summary["failed"], summary["not_checked"]) == (0, 0, 133)
    per_district = summary["per_district"]
    assert sorted(per_district) == sorted(set(districts))
    assert sum(d["plans"] for d in per_district.values()) == 133
    assert sum(d["land_mu"] for d in per_district.values()) == pytest.approx(7682)
    assert sum(d["floor_area_wan_m2"] for d in per_district.values()) == pytest.approx(1423)
    assert per_district["萧山区"]["plans"] == 44


def test_the_figures_name_the_plans_whose_land_or_floor_area_is_unknown():
    """A: 15 亩 with 20,000 m² of floor area; B: 30 亩, no floor area; C: no geometry and no declared area, 5,000 m².
    The totals are the known ones and name what they leave out — before, C's land and B's floor area were added as
    0 ("3 宗, 45 亩, 2.5 万m²") and C's floor area over no land made the average FAR 2.5 instead of A's 2.0."""
    geometries = [shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 200), None]
    frame = pd.DataFrame({"plan_id": ["A", "B", "C"], "building_area": [20_000.0, None, 5_000.0],
                          "district": ["东区", "东区", "西区"]})
    summary = evaluate(geometries, frame).summary
    assert summary["figures"] == "3 宗, 45 亩, 2.5 万m²（1宗用地面积不明、1宗建筑面积不明）"
    assert (summary["without_land_area"], summary["without_floor_area"]) == (1, 1)
    assert summary["average_far"] == pytest.approx(2.0)  # A alone: 20,000 / 10,000
    east, west = summary["per_district"]["东区"], summary["per_district"]["西区"]
    assert east["figures"] == "2 宗, 45 亩, 2 万m²（1宗建筑面积不明）"
    assert west["figures"] == "1 宗, 0 亩, 0.5 万m²（1宗用地面积不明）" and west["average_far"] is None
    known = evaluate(geometries[:1], frame.iloc[:1]).summary
    assert known["figures"] == "1 宗, 15 亩, 2 万m²" and known["average_far"] == pytest.approx(2.0)


@pytest.mark.parametrize("plans, mu, wan, text", [
    (133, 7682.0000001, 1423.0, "133 宗, 7,682 亩, 1,423 万m²"),
    (133, 7681.6, 1422.5001, "133 宗, 7,682 亩, 1,423 万m²"),
    (3, 45.5, 2.7349, "3 宗, 45.5 亩, 2.73 万m²"),
    (0, 0.0, 0.0, "0 宗, 0 亩, 0 万m²"),
])
def test_figures_read_like_the_bureaus_reports(plans, mu, wan, text):
    assert upstairs_text.figures(plans, mu, wan) == text


def test_summary_counts_passed_failed_and_rules():
    geometries, frame = plans_in_a_row(3, height=[10.0, 40.0, None], district=["A", "B", None])
    summary = evaluate(geometries, frame, **all_layers(3)).summary
    assert (summary["passed"], summary["failed"], summary["not_checked"]) == (1, 1, 1)
    assert [summary["per_district"][d]["not_checked"] for d in ("A", "B", "—")] == [0, 0, 1]
    assert summary["declared_land_mu"] == pytest.approx(3 * 15.0)
    assert summary["per_rule"]["height"] == {PASS: 1, FAIL: 1, UNCHECKED: 1}
    assert summary["per_district"]["—"]["plans"] == 1
    assert summary["average_far"] == pytest.approx(2.5)


def test_checks_table_is_plan_major_with_thresholds_and_units():
    geometries, frame = plans_in_a_row(2)
    checks = evaluate(geometries, frame).checks
    assert list(checks.columns) == ["plan", "plan_id", "rule_id", "status", "value", "threshold", "unit", "cause",
                                    "detail", "source"]
    assert checks["rule_id"].tolist()[:len(upstairs_rules.RULE_IDS)] == list(upstairs_rules.RULE_IDS)
    row = checks[(checks["plan_id"] == "P1") & (checks["rule_id"] == "far")].iloc[0]
    assert (row["value"], row["threshold"], row["status"]) == (2.5, "≥ 2", PASS)
    support = checks[(checks["plan_id"] == "P0") & (checks["rule_id"] == "support_floor_share")].iloc[0]
    assert (support["value"], support["threshold"], support["unit"]) == (2.0, "≤ 15", "%")  # 500 of 25 000 m²
    land = checks[(checks["plan_id"] == "P0") & (checks["rule_id"] == "support_land_share")].iloc[0]
    assert (land["value"], land["threshold"], land["unit"]) == (4.0, "≤ 7", "%")  # 400 of 10 000 m²
    assert set(checks["cause"]) == {"", upstairs_rules.NO_LAYER}  # no constraint layers given


def test_mismatched_inputs_are_refused_and_progress_is_reported():
    geometries, frame = plans_in_a_row(2)
    with pytest.raises(ValueError):
        evaluate(geometries[:1], frame)
    with pytest.raises(ValueError):
        evaluate(geometries, frame, landuse=[square()], landuse_codes=["M1", "M2"])
    seen = []
    evaluate(geometries, frame, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 100


def test_translated_templates_give_chinese_figures_and_lists():
    chinese = "{plans} 宗，{land_mu} 亩，{floor_area} 万m²"
    assert upstairs_text.figures(133, 7681.6, 1422.5001, chinese) == "133 宗，7,682 亩，1,423 万m²"
    geometries, frame = plans_in_a_row(1)
    reasons = evaluate(geometries, frame, templates={"list_separator": "、"}).plans["reasons"].iloc[0]
    assert "(layer not given)、" in reasons and "(layer not given), " not in reasons  # several unchecked rules


# --- the industrial-land rule reads codes in their layer's code system (issue 11) ------------------------------

def test_the_same_code_is_industrial_in_the_guide_and_a_railway_in_the_survey():
    geometries, frame = plans_in_a_row(2)
    landuse = [shapely.box(-10, -10, 1110, 110)]  # both plans on one land-use polygon coded 1001
    railway = evaluate(geometries, frame, landuse=landuse, landuse_codes=["1001"],
                       rules=UpstairsRules(land_use_system="gbt21010"))
    factory = evaluate(geometries, frame, landuse=landuse, landuse_codes=["1001"],
                       rules=UpstairsRules(land_use_system="guide2023"))
    assert status(railway, "industrial_land") == [FAIL, FAIL] and status(factory, "industrial_land") == [PASS, PASS]
    assert railway.summary["land_use"]["system"] == "gbt21010" and railway.summary["land_use"]["given"]
    with pytest.raises(LandUseSystemError, match="LAND_USE_SYSTEM"):  # 1001 alone: never guessed
        evaluate(geometries, frame, landuse=landuse, landuse_codes=["1001"])


def test_survey_codes_of_a_land_use_layer_transport_and_water_are_not_industrial():
    geometries, frame = plans_in_a_row(6)
    landuse = [shapely.box(1000 * i - 10, -10, 1000 * i + 110, 110) for i in range(6)]
    codes = ["0601", "0604", "1008", "1005", "1101", 601]  # 三调; the last stored as a number
    result = evaluate(geometries, frame, landuse=landuse, landuse_codes=codes)
    assert status(result, "industrial_land") == [PASS, PASS, FAIL, FAIL, FAIL, PASS]
    assert result.summary["land_use"]["system"] == "gbt21010" and result.summary["land_use"]["source"] == "landuse"


def test_planning_letters_and_chinese_names_as_the_plans_own_codes():
    geometries, frame = plans_in_a_row(5, land_use=["M", "M2", "W", "R2", "工業用地"])
    assert status(evaluate(geometries, frame), "industrial_land") == [PASS, PASS, PASS, FAIL, PASS]
    geometries, frame = plans_in_a_row(3, land_use=["二类工业用地", "居住用地", "物流仓储用地"])
    assert status(evaluate(geometries, frame), "industrial_land") == [PASS, FAIL, PASS]


def test_an_own_code_no_system_knows_or_no_land_use_at_all_is_never_a_pass():
    geometries, frame = plans_in_a_row(3, land_use=["100101", "待定", None])
    result = evaluate(geometries, frame)
    assert status(result, "industrial_land") == [PASS, UNCHECKED, UNCHECKED]
    assert "industrial land (invalid value)" in result.plans["reasons"].iloc[1]
    assert "industrial land (no value)" in result.plans["reasons"].iloc[2]
    geometries, frame = plans_in_a_row(2, land_use=[None, None])
    assert status(evaluate(geometries, frame), "industrial_land") == [UNCHECKED, UNCHECKED]
    result = evaluate(geometries, frame.drop(columns=["land_use"]))
    assert status(result, "industrial_land") == [UNCHECKED, UNCHECKED] and result.summary["land_use"] is None


def test_a_plan_with_a_data_error_in_its_own_values_is_undecided_and_counted_apart():
    """Storeys at the plausibility limit (200) are a value, just above it a data error; a negative value is junk; an
    empty one only leaves its rule open. Undecided plans are neither passed nor failed, in the table and the totals."""
    geometries, frame = plans_in_a_row(5, floors=[200, 201, -3, None, 6])
    result = evaluate(geometries, frame, **all_layers(5))
    passed = result.plans["passed"]
    assert list(passed.iloc[[0, 4]]) == [1, 1] and passed.iloc[[1, 2, 3]].isna().all()
    assert status(result, "floors") == [PASS, UNCHECKED, UNCHECKED, UNCHECKED, PASS]
    summary = result.summary
    assert (summary["passed"], summary["failed"], summary["not_checked"]) == (2, 0, 3)
    assert (summary["data_error"], summary["no_geometry"]) == (2, 0)


# --- sources: "依据哪条规定?" (issue 14) ----------------------------------------------------------------------------

def test_a_failure_cites_the_document_of_its_rule_and_the_checklist_names_every_source():
    geometries, frame = plans_in_a_row(2, support_land_area=[701.0, 400.0], lift_capacity=[3.0, 2.0])
    result = evaluate(geometries, frame)
    reasons = result.plans["reasons"]
    assert ("support land 701 m² is 7.01 % of land area 10000 m² (limit 7 %) "
            "(per 《工业项目建设用地控制指标》第四条（四）（2008）)") in reasons.iloc[0]
    # a local default is not cited in every reason: the checklist and the panel say it
    assert "freight lift 2 t below 3 t;" in reasons.iloc[1] + ";" and "(per" not in reasons.iloc[1]
    sources = result.checks.set_index("rule_id").loc[lambda t: t["plan_id"] == "P0", "source"]
    assert sources["support_land_share"] == ("《工业项目建设用地控制指标》第四条（四）（2008）"
                                             "（行政办公及生活服务设施用地面积不超过总用地面积的 7 %）")
    assert sources["farmland"].startswith("《中华人民共和国土地管理法》第三十五条（2020-01-01）")
    assert sources["lift_capacity"] == "local default（建议值；深圳示例 3 t 货梯）"
    assert result.summary["sources"]["support_land_share"]["document"] == "工业项目建设用地控制指标"


def test_sources_come_from_the_profile_and_translated_templates_cite_them():
    geometries, frame = plans_in_a_row(1, far=1.5, building_area=None)
    mine = {"document": "某区工业上楼实施细则", "article": "第五条", "date": "2024"}
    sources = dict(UpstairsRules().sources, far=mine)
    templates = {"cite": "（依据：{source}）", "fail_far": "容积率 {value} 低于 {threshold}"}
    reasons = evaluate(geometries, frame, rules=UpstairsRules(sources=sources), templates=templates).plans["reasons"]
    assert "容积率 1.5 低于 2（依据：《某区工业上楼实施细则》第五条（2024））" in reasons.iloc[0]


# --- a pass means every rule was checked (issue 11) --------------------------------------------------------------

def test_a_run_that_could_check_almost_nothing_passes_no_plan():
    """No FAR, height or storey field, no constraint layer: only plan_overlap can be judged. Nothing failed, so the
    plans are not checked (未核查) — never passed — and their reasons name every missing field and layer."""
    frame = pd.DataFrame({"plan_id": ["A", "B"]})
    result = evaluate([square(0.0), square(1000.0)], frame)
    assert result.plans["passed"].isna().all()
    assert (result.summary["passed"], result.summary["failed"], result.summary["not_checked"]) == (0, 0, 2)
    for reasons in result.plans["reasons"]:
        for named in ("FAR (field not found)", "height (field not found)", "storeys (field not found)",
                      "permanent basic farmland (layer not given)", "urban development boundary (layer not given)"):
            assert named in reasons
    causes = result.summary["unchecked_causes"]
    assert len(causes) == len(upstairs_rules.RULE_IDS) - 1 and "plan_overlap" not in causes
    assert causes["far"] == {"no_field": 2} and causes["farmland"] == {"no_layer": 2}


@pytest.mark.parametrize("missing", ["farmland", "redline", "urban_boundary"])
def test_a_plan_passes_only_with_every_rule_checked(missing):
    geometries, frame = plans_in_a_row(2, height=[40.0, 24.0])  # 24 m: not above the minimum, fails
    assert evaluate(geometries, frame, **all_layers(2)).plans["passed"].tolist() == [1, 0]
    layers = {name: layer for name, layer in all_layers(2).items() if name != missing}
    result = evaluate(geometries, frame, **layers)
    assert pd.isna(result.plans["passed"].iloc[0]) and result.plans["passed"].iloc[1] == 0  # a failure still fails
    assert result.plans["unchecked_rules"].tolist() == [missing, missing]
    only_the_rest = UpstairsRules(rules=[r for r in upstairs_rules.RULE_IDS if r != missing])
    assert evaluate(geometries, frame, rules=only_the_rest, **layers).plans["passed"].tolist() == [1, 0]


def test_no_rule_enabled_passes_no_plan():
    geometries, frame = plans_in_a_row(1)
    result = evaluate(geometries, frame, rules=UpstairsRules(rules=[]))
    assert pd.isna(result.plans["passed"].iloc[0]) and result.summary["not_checked"] == 1


def test_a_data_error_does_not_hide_the_spatial_failures_of_its_plan():
    """Plan A has an implausible storey count (201 > 200) and lies on farmland, outside the development boundary and
    under plan B. Every failure is reported beside the data error: the plan is failed, in reasons, the checklist,
    the violations (areas from shapely) and the summary's failed count."""
    a, b = shapely.box(0, 0, 100, 100), shapely.box(50, 0, 150, 100)
    farmland, boundary = shapely.box(-20, -20, 30, 30), shapely.box(-100, -100, 80, 200)
    frame = pd.DataFrame({"plan_id": ["A", "B"], **GOOD}, index=[0, 1])
    frame["floors"] = pd.Series([201, 6], dtype=object)
    result = evaluate([a, b], frame, farmland=[farmland], redline=[square(-5000.0)], urban_boundary=[boundary])
    plan = result.plans.iloc[0]
    assert plan["passed"] == 0
    assert plan["failed_rules"].split(",") == ["farmland", "urban_boundary", "plan_overlap"]
    assert "floors" in plan["unchecked_rules"].split(",")
    on_farmland = a.intersection(farmland).area  # 900
    outside = a.difference(boundary).area  # 2000
    overlap = a.intersection(b).area  # 5000
    assert "floors 201 is above the plausible limit 200: data error, not used" in plan["reasons"]
    assert f"{on_farmland:g} m² on permanent basic farmland" in plan["reasons"]
    assert f"{outside:g} m² outside the urban development boundary" in plan["reasons"]
    assert f"overlaps plan B by {overlap:g} m²" in plan["reasons"]
    assert "storeys (implausible value: data error)" in plan["reasons"]
    checks = result.checks[result.checks["plan"] == 0].set_index("rule_id")
    assert checks.loc[["farmland", "urban_boundary", "plan_overlap"], "status"].tolist() == [FAIL] * 3
    assert checks.loc["floors", "status"] == UNCHECKED and checks.loc["floors", "cause"] == "implausible"
    pieces = result.violations[result.violations["plan"] == 0].set_index("rule_id")
    assert sorted(pieces.index) == ["farmland", "plan_overlap", "urban_boundary"]
    assert pieces.loc["farmland", "geometry"].equals(a.intersection(farmland))
    assert pieces.loc["urban_boundary", "area_m2"] == pytest.approx(outside)
    assert pieces.loc["plan_overlap", "area_m2"] == pytest.approx(overlap)
    summary = result.summary
    assert (summary["passed"], summary["failed"], summary["not_checked"], summary["data_error"]) == (0, 2, 0, 1)
