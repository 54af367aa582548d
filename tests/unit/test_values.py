"""Values read right (#11 item 4, #12 item 8): the one number reader (placeholders, decimal commas, unit suffixes),
percent FAR / coverage, plausibility limits at, just below and just above each limit in both analyses, robust
district references and suspected unit errors, duplicate ids, and parcels outside a partial buildings layer.

Expected values are worked out by hand in the comments, never taken from the code under test."""
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from shapely import box

from land_bureau_plugin.analysis import efficiency, upstairs
from land_bureau_plugin.analysis.efficiency import EfficiencyRules, reference
from land_bureau_plugin.analysis.numbers import read, read_field
from land_bureau_plugin.analysis.plausibility import column_unit, percent_column
from land_bureau_plugin.analysis.units import mu_to_m2
from land_bureau_plugin.analysis.upstairs_rules import FAIL, PASS, UNCHECKED, UpstairsRules
from land_bureau_plugin.rules.profile import ProfileError, section


def survey(rules: EfficiencyRules | None = None) -> EfficiencyRules:
    """These parcels are 三调 layers ("0601" alone is also the 2023 guide's rural road): the system is named."""
    return dataclasses.replace(rules or EfficiencyRules(), land_use_system="gbt21010")

TEN_MU = mu_to_m2(10)


def parcels(**columns) -> pd.DataFrame:
    size = max(len(v) for v in columns.values() if isinstance(v, list))
    return pd.DataFrame({k: v if isinstance(v, list) else [v] * size for k, v in columns.items()})


# --- the number reader --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("12.5", 12.5), (" 12 ", 12.0), ("１２．５", 12.5), ("+4", 4.0), ("-3", -3.0), (".5", 0.5), ("1e3", 1000.0),
    # commas by pattern: groups of three are thousands, one comma with other digit counts is a decimal comma
    ("1,500", 1500.0), ("12,345.5", 12345.5), ("1,234,567", 1234567.0), ("1,5", 1.5), ("12,50", 12.5),
    ("1,5000", 1.5), ("１，５", 1.5),
    ("1e308", 1e308),  # the largest magnitude still read (it is then a plausibility error)
])
def test_numbers_are_read(text, expected):
    reading = read(pd.Series([text], dtype=object))
    assert reading.values.iloc[0] == expected and not reading.junk.iloc[0] and not reading.placeholder.iloc[0]


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1,5.5", "12 5", "inf", "nan", "1e309", "1e1000", "0x10", "2层",
                                  "8F", "待定", "1_000"])
def test_junk_is_named_not_read(text):
    reading = read(pd.Series([text], dtype=object))
    assert math.isnan(reading.values.iloc[0]) and reading.junk.iloc[0] and not reading.placeholder.iloc[0]


@pytest.mark.parametrize("text", ["尚無資料", "尚无资料", "无", "無", "/", "—", "-", "--", "N/A", "n/a", "NULL", "空",
                                  " — ", "／"])
def test_placeholders_are_missing_with_their_own_reason(text):
    reading = read(pd.Series([text], dtype=object))
    assert math.isnan(reading.values.iloc[0]) and reading.placeholder.iloc[0] and not reading.junk.iloc[0]


@pytest.mark.parametrize("field, text, expected", [
    ("floors", "2层", 2.0), ("floors", "8F", 8.0), ("floors", "8f", 8.0), ("floors", "12 层", 12.0),
    ("floors", "３層", 3.0), ("height", "3.5m", 3.5), ("height", "24米", 24.0), ("height", "24 M", 24.0),
    ("far", "210%", 210.0), ("lift_capacity", "3吨", 3.0), ("upper_floor_load", "6.5kN/m²", 6.5),
])
def test_unit_suffixes_of_the_field_are_read(field, text, expected):
    assert read_field(pd.Series([text], dtype=object), field).values.iloc[0] == expected


def test_a_suffix_of_another_field_is_junk():
    reading = read_field(pd.Series(["8F", "24米", "30%"], dtype=object), "tax")
    assert reading.values.isna().all() and reading.junk.all()
    assert read_field(pd.Series(["F"], dtype=object), "floors").junk.iloc[0]  # a unit without a number


def test_texts_read_again_give_what_they_gave_in_their_own_field():
    """A reading of a few distinct texts takes them from the texts already read (numbers._parsed): per unit suffix
    set, so "8F" read as storeys and then in a field without that unit is junk there; at, just below and above the
    64 distinct texts looked up, the values are those of the texts read one by one."""
    for _ in range(2):
        assert read_field(pd.Series(["8F"], dtype=object), "floors").values.iloc[0] == 8.0
        assert read_field(pd.Series(["8F"], dtype=object), "height").junk.iloc[0]
    for count in (63, 64, 65):
        texts = [f"{k}层" if k % 3 else f"１{k}" for k in range(count)]
        together = read_field(pd.Series(texts, dtype=object), "floors").values.tolist()
        alone = [read_field(pd.Series([text], dtype=object), "floors").values.iloc[0] for text in texts]
        assert together == alone == [float(k) if k % 3 else float(f"1{k}") for k in range(count)]


def test_zero_is_missing_only_where_zero_cannot_be_true():
    assert read_field(pd.Series(["0", 0.0], dtype=object), "far").placeholder.tolist() == [True, True]
    assert read_field(pd.Series([0.0, 1.0]), "floors").values.tolist()[1] == 1.0
    tax = read_field(pd.Series([0.0, "0"], dtype=object), "tax")  # no tax paid is a fact, not a blank
    assert tax.values.tolist() == [0.0, 0.0] and not tax.placeholder.any()


def test_numeric_columns_take_the_same_limits():
    reading = read(pd.Series([1.5, np.inf, np.nan, 1e308]))
    assert reading.values.iloc[0] == 1.5 and reading.values.iloc[3] == 1e308
    assert reading.junk.tolist() == [False, True, False, False]


# --- percent columns ------------------------------------------------------------------------------------------

def test_far_column_in_percent_is_decided_by_the_majority():
    no_sign = pd.Series([False] * 4)
    # 2 of 4 known values above 20: not more than half, a ratio column with two data errors
    assert not percent_column(pd.Series([210.0, 150.0, 0.8, 1.2]), no_sign, 20, "auto").any()
    # 3 of 4 above 20: a percent column (80 % is FAR 0.8)
    assert percent_column(pd.Series([210.0, 150.0, 80.0, 1.2]), no_sign, 20, "auto").tolist() == [True] * 4
    # "210%" is percent whatever the column; the profile can fix the unit either way
    signed = pd.Series([True, False, False, False])
    mixed = pd.Series([210.0, 1.5, 0.8, 1.2])
    assert percent_column(mixed, signed, 20, "auto").tolist() == [True, False, False, False]
    assert percent_column(mixed, signed, 20, "ratio").tolist() == [True, False, False, False]
    assert percent_column(pd.Series([1.5, np.nan]), no_sign[:2], 20, "percent").tolist() == [True, False]


def test_low_efficiency_reads_a_percent_far_column_and_says_so():
    result = evaluate_fields(far=["80", "150", "210%", "250"])  # FAR 0.8, 1.5, 2.1, 2.5 on 0601 (min 1.0)
    assert result["far"].tolist() == [0.8, 1.5, 2.1, 2.5]
    assert result["low_eff"].tolist() == [1, 0, 0, 0]
    assert "FAR 80.00 read as percent: 0.80" in result.loc[0, "reasons"]
    assert result.attrs["report"].units["far"] == "percent"
    # the potential uses the ratio: 1,000 m² × (2.5 − 0.8) = 1,700 m²
    assert result.loc[0, "potential_m2"] == 1700


@pytest.mark.parametrize("values, percent, written, unit", [
    ([1.2, 0.8, 1.5], [False] * 3, [False] * 3, "ratio"),
    ([41.0, 1.2, 0.8], [True, False, False], [True, False, False], "percent_sign"),  # one "41%" among ratios
    ([210.0, 150.0, 80.0, 1.2], [True] * 4, [False] * 4, "percent"),  # most above the limit: the column
    ([41.0, 30.0], [True, True], [True, False], "percent"),  # "30" read in percent too: the column
    ([41.0, 30.0], [True, True], [True, True], "percent_sign"),  # every value written with "%"
    ([np.nan, np.nan], [False, False], [False, False], None),
])
def test_column_unit_tells_a_percent_column_from_values_written_with_a_percent_sign(values, percent, written, unit):
    assert column_unit(pd.Series(values), pd.Series(percent), pd.Series(written)) == unit


def test_one_far_written_with_a_percent_sign_among_ratios_leaves_the_column_ratios():
    """"41%" among FARs of 1.2 and 0.8 is 0.41; the others stay ratios, and the report says so (it said "percent",
    which the log turned into "FAR read in percent (divided by 100)": every value, as a reader understands it)."""
    result = evaluate_fields(far=["1.2", "0.8", "41%", "1.5"])
    assert result["far"].tolist() == [1.2, 0.8, 0.41, 1.5]
    report = result.attrs["report"]
    assert report.units["far"] == "percent_sign" and report.percent_values["far"].tolist() == [2]
    assert "FAR 41.00 read as percent: 0.41" in result.loc[2, "reasons"]
    assert evaluate_fields(far=["1.2", "0.8"]).attrs["report"].percent_values == {}


def test_coverage_column_in_shares_or_percent():
    shares = evaluate_fields(coverage=[0.25, 0.45])
    assert shares["coverage"].tolist() == [0.25, 0.45] and shares.attrs["report"].units["coverage"] == "ratio"
    percent = evaluate_fields(coverage=["25", "45%"])
    assert percent["coverage"].tolist() == [0.25, 0.45] and percent.attrs["report"].units["coverage"] == "percent"


def evaluate_fields(rules=None, **columns):
    size = max(len(v) for v in columns.values())
    base = {"land_use": ["0601"] * size, "area_m2": [1000.0] * size, "far": [1.2] * size}
    return efficiency.evaluate(pd.DataFrame({**base, **columns}), rules=survey(rules))


# --- plausibility limits in the low-efficiency analysis -----------------------------------------------------------

def test_far_limit_at_just_below_and_just_above():
    rules = EfficiencyRules(far_unit="ratio")
    result = evaluate_fields(rules, far=[19.99, 20.0, 20.01])
    assert result["far"].tolist()[:2] == [19.99, 20.0] and math.isnan(result.loc[2, "far"])
    assert "FAR 20.01 is implausible (above 20): data error, not used" in result.loc[2, "reasons"]
    assert "implausible" not in result.loc[1, "reasons"]
    assert math.isnan(result.loc[2, "potential_m2"]) and result.loc[2, "low_eff"] == 0


def test_floor_area_above_twenty_times_the_land_is_a_data_error():
    # 1,000 m² of land: 20,000 m² of floor area is FAR 20 (at the limit), 20,001 m² is above, 1e308 absurd
    result = evaluate_fields(far=[None] * 3, building_area=[20000.0, 20001.0, 1e308])
    assert result.loc[0, "far"] == 20.0
    assert math.isnan(result.loc[1, "far"]) and "FAR 20.00 is implausible" in result.loc[1, "reasons"]
    assert math.isnan(result.loc[2, "far"]) and "is above the plausible limit 2e+09" in result.loc[2, "reasons"]
    assert result["low_eff"].tolist() == [0, 0, 0] and result["potential_m2"].isna().tolist() == [False, True, True]


def test_coverage_limit_at_just_below_and_just_above():
    result = evaluate_fields(EfficiencyRules(coverage_unit="ratio"), coverage=[0.999, 1.0, 1.001])
    assert result["coverage"].tolist()[:2] == [0.999, 1.0] and math.isnan(result.loc[2, "coverage"])
    assert "coverage 100% is above 100%: data error, not used" in result.loc[2, "reasons"]
    percent = evaluate_fields(coverage=["99.9", "100", "100.1"])  # a percent column: 100.1 % is the error
    assert percent["coverage"].tolist()[:2] == pytest.approx([0.999, 1.0]) and math.isnan(percent.loc[2, "coverage"])


def test_money_limit_and_absurd_values():
    taxes = ["100000000", "100000001", "1e308"]  # 万元: at the limit, just above, a broken export
    result = evaluate_fields(tax=taxes, area_m2=[TEN_MU] * 3)
    assert result.loc[0, "tax_per_mu"] == pytest.approx(1e7)
    assert result["tax_per_mu"].isna().tolist() == [False, True, True]
    assert "tax 100000001 is above the plausible limit 1e+08: data error, not used" in result.loc[1, "reasons"]
    assert "tax 1e308 is above the plausible limit" in result.loc[2, "reasons"]  # named as found, never computed
    assert result["score"].isna().tolist() == [False, True, True]


def test_placeholders_and_zero_in_parcel_fields_are_no_data():
    result = evaluate_fields(far=["0", "尚無資料", "—", 0.5], area_m2=[1000.0, 1000.0, 0.0, 1000.0])
    assert result["low_eff"].tolist() == [0, 0, 0, 1]
    assert "far has no data: 0" in result.loc[0, "reasons"] and "far has no data: 尚無資料" in result.loc[1, "reasons"]
    assert "parcel area is zero or missing" in result.loc[2, "reasons"]
    assert result["far"].isna().tolist() == [True, True, True, False]


def test_the_limits_are_profile_data():
    rules = section({"efficiency": {"limits": {"far": 5, "tax": 100}}}, "efficiency", EfficiencyRules)
    result = evaluate_fields(rules, far=[5.0, 5.5], tax=[100, 101], area_m2=[TEN_MU] * 2)
    assert result["far"].isna().tolist() == [False, True] and result["tax_per_mu"].isna().tolist() == [False, True]
    for bad, key in (({"limits": {"lift_capacity": 5}}, "efficiency.limits.lift_capacity"),
                     ({"limits": {"far": 0}}, "efficiency.limits.far"),
                     ({"far_unit": "permille"}, "efficiency.far_unit"),
                     ({"reference": "mean"}, "efficiency.reference"),
                     ({"reference_trim": 0.5}, "efficiency.reference_trim"),
                     ({"unit_error_factor": 1}, "efficiency.unit_error_factor")):
        with pytest.raises(ProfileError) as error:
            section({"efficiency": bad}, "efficiency", EfficiencyRules)
        assert error.value.key == key


# --- robust references, unit errors, duplicate ids ---------------------------------------------------------------

def graded(taxes, **rules):
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=taxes, district="萧山区")
    return efficiency.evaluate(frame, rules=survey(EfficiencyRules(weights={"tax_per_mu": 1}, **rules)))


def test_one_value_in_yuan_moves_no_other_grade():
    right = [10.0 * (i + 1) for i in range(20)]  # 万元 per 10 亩: 1 … 20 万元/亩
    typo = right[:19] + [right[19] * 10000]  # the last one entered in 元
    blank = right[:19] + [None]  # … or left blank
    unknown, bad = graded(blank), graded(typo)
    # a suspected unit error weighs as a missing value: the others are judged against the median of 1 … 19, 10
    assert bad["score"].iloc[:19].tolist() == unknown["score"].iloc[:19].tolist()
    assert bad["grade"].iloc[:19].tolist() == unknown["grade"].iloc[:19].tolist()
    assert bad.loc[0, "score"] == 5.0  # 1 万元/亩 against the median 10: 50 × 1 / 10
    # the outlier (20,000 万元/亩, 2,000 × the median) is a suspected unit error: no score, not graded B or A
    assert math.isnan(bad.loc[19, "score"]) and bad.loc[19, "grade"] is None
    assert "suspected unit error" in bad.loc[19, "reasons"] and "district median 10.0" in bad.loc[19, "reasons"]
    assert bad.attrs["report"].unit_errors["tax_per_mu"].tolist() == [19]


def test_one_more_parcel_in_yuan_moves_no_other_grade():
    """A parcel added with its tax in 元 (the corpus's case): the others keep the scores they had without it — its
    value does not push the median up by a rank, as it would if it counted as merely large."""
    right = [10.0 * (i + 1) for i in range(20)]  # 1 … 20 万元/亩, median 10.5
    alone, more = graded(right), graded(right + [150.0 * 10000])  # 150 万元 typed as 元: 150,000 万元/亩
    assert more["score"].iloc[:20].tolist() == alone["score"].iloc[:20].tolist()
    assert more["grade"].iloc[:20].tolist() == alone["grade"].iloc[:20].tolist()
    assert alone.loc[9, "score"] == 47.6  # 10 万元/亩 against 10.5; with the outlier counted: 50 × 10 / 11 = 45.5
    assert "district median 10.5" in more.loc[20, "reasons"]


def test_the_reference_leaves_out_every_value_it_makes_suspect():
    """Set aside, a value lowers the median, which can make another value suspect: 150 万元/亩 is 75 × the median
    of all eight values (2) but 100 × the median of the six left (1.5) — suspect, and then the reference is the
    median of the five left, 1. Every value set aside is ≥ 100 × the final reference, every other below it."""
    per_mu = [1.0, 1.0, 1.0, 2.0, 2.0, 150.0, 100000.0, 100000.0]
    result = graded([10.0 * v for v in per_mu])
    assert result.attrs["report"].unit_errors["tax_per_mu"].tolist() == [5, 6, 7]
    assert "district median 1.0" in result.loc[5, "reasons"]
    assert result["score"].iloc[:5].tolist() == [50.0, 50.0, 50.0, 100.0, 100.0]  # against 1, capped at 2 ×
    just_below = graded([10.0 * v for v in per_mu[:5] + [149.0] + per_mu[6:]])  # 99.3 × 1.5: stays
    assert just_below.attrs["report"].unit_errors["tax_per_mu"].tolist() == [6, 7]
    assert just_below.loc[0, "score"] == 33.3  # 1 against the median of 1, 1, 1, 2, 2, 149: 1.5


def test_unit_error_bound_at_just_below_and_above():
    # three parcels at 1 万元/亩 (median 1), the fourth at 99.9×, 100× and 100.1× the median
    for share, suspected in ((99.9, False), (100.0, True), (100.1, True)):
        result = graded([10.0, 10.0, 10.0, 10.0 * share])
        assert ("suspected unit error" in result.loc[3, "reasons"]) is suspected


def test_reference_median_and_trimmed_mean_by_hand():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0, 7.0])
    scope = pd.Series(True, index=values.index)
    district = pd.Series(["a", "a", "a", "a", "a", "b"])
    assert reference(values, scope, district, "median").tolist() == [3.0] * 5 + [7.0]
    # cut int(0.2 × 5) = 1 value from each end of 1, 2, 3, 4, 100: mean of 2, 3, 4 = 3
    assert reference(values, scope, district, "trimmed_mean", 0.2).tolist()[:5] == [3.0] * 5
    assert reference(values, scope, None, "median").tolist() == [3.5] * 6  # the layer's: 1 2 3 4 7 100
    out = scope.copy()
    out[4] = False  # out-of-scope parcels are not in the reference
    assert reference(values, out, district, "median").tolist()[0] == 2.5


def test_trimmed_mean_grades_from_the_profile():
    result = graded([10.0, 20.0, 30.0, 40.0, 1000.0], reference="trimmed_mean", reference_trim=0.2)
    # per mu 1, 2, 3, 4, 100 → trimmed mean 3 (cut 1 each end); parcel 1 (2 万元/亩) scores 50 × 2 / 3 = 33.3
    assert result.loc[1, "score"] == 33.3
    assert "tax per mu 1.0 万元 is 33% of district trimmed mean (floor 50%)" in result.loc[0, "reasons"]


def test_duplicate_parcel_ids_are_flagged():
    result = efficiency.evaluate(parcels(parcel_id=["A", "B", "A ", None, None], land_use="0601", area_m2=1000,
                                         far=1.5), rules=survey())
    assert ["appears more than once" in r for r in result["reasons"]] == [True, False, True, False, False]
    assert "parcel id A appears more than once" in result.loc[0, "reasons"]
    assert result.attrs["report"].duplicate_ids == ("A", "A ")


# --- partial buildings layer -------------------------------------------------------------------------------------

def test_parcels_outside_the_buildings_layer_have_no_building_data():
    geoms = np.array([
        box(0, 0, 100, 100),  # holds the only building
        box(150, 0, 250, 100),  # 50 m of gap to the building (100 m): covered, truly no building → FAR 0
        box(200, 0, 300, 100),  # 100 m from the building's edge at x = 100: exactly the radius, covered
        box(200.5, 0, 300, 100),  # 100.5 m: outside what the layer covers → no building data
        box(5000, 0, 5100, 100),  # far away
    ])
    result = efficiency.evaluate(parcels(land_use=["0601"] * 5), geoms, np.array([box(40, 40, 100, 60)]),
                                 building_floors=pd.Series([2]), rules=survey())
    assert result.loc[0, "far"] == pytest.approx(2 * 60 * 20 / 10000)
    assert result["far"].tolist()[1:3] == [0.0, 0.0] and result["low_eff"].tolist()[1:3] == [1, 1]
    assert result["far"].isna().tolist() == [False, False, False, True, True]
    assert result["low_eff"].tolist()[3:] == [0, 0] and result["potential_m2"].isna().tolist()[3:] == [True, True]
    assert "no building of the buildings layer within 100 m" in result.loc[3, "reasons"]
    assert "no building of the buildings layer on the parcel" in result.loc[1, "reasons"]
    assert result.attrs["report"].parcels_without_building_data == 2
    wider = efficiency.evaluate(parcels(land_use=["0601"] * 5), geoms, np.array([box(40, 40, 100, 60)]),
                                building_floors=pd.Series([2]),
                                rules=survey(EfficiencyRules(building_data_radius_m=200)))
    assert wider["far"].isna().tolist() == [False, False, False, False, True]


# --- plausibility and percent in the upstairs check ----------------------------------------------------------------

GOOD = {"declared_area": 10000.0, "building_area": 25000.0, "height": 40.0, "floors": 6, "ground_floor_height": 7.0,
        "upper_floor_height": 5.0, "ground_floor_load": 12.0, "upper_floor_load": 8.0, "lift_capacity": 3.0,
        "support_area": 500.0, "land_use": "100101"}


def plans(rules=None, **columns):
    """One 100 m × 100 m plan (10,000 m²) per value, 1 km apart, GOOD attributes overridden by `columns`."""
    count = max(len(v) for v in columns.values())
    frame = pd.DataFrame({**{k: [v] * count for k, v in GOOD.items()}, **columns},
                         index=[f"P{i}" for i in range(count)]).astype(object)
    frame["plan_id"] = frame.index
    geometries = [box(1000 * i, 0, 1000 * i + 100, 100) for i in range(count)]
    return upstairs.evaluate(geometries, frame, rules=rules or UpstairsRules())


def far_status(result):
    checks = result.checks
    return checks.loc[checks["rule_id"] == "far", "status"].tolist()


def test_upstairs_far_210_never_passes_as_210():
    # a far column alone (no building_area): 210 in a ratio column is a data error, never a pass
    ratio = plans(UpstairsRules(far_unit="ratio"), building_area=[None], far=[210])
    assert far_status(ratio) == [UNCHECKED]
    assert "FAR (implausible value: data error)" in ratio.plans["reasons"].iloc[0]
    assert ratio.summary["average_far"] is None and ratio.summary["floor_area_m2"] == 0
    # the same value in a column read as percent is FAR 2.10 and passes (≥ 2.0), saying so
    auto = plans(building_area=[None, None], far=[210, "180%"])
    assert far_status(auto) == [PASS, FAIL] and auto.summary["value_units"] == {"far": "percent"}
    assert "FAR 210 read as percent: 2.1" in auto.plans["reasons"].iloc[0]
    # average FAR = (2.1 + 1.8) × 10,000 / 20,000 = 1.95 — not 210
    assert auto.summary["average_far"] == pytest.approx(1.95)


def test_upstairs_floor_area_limit_at_just_below_and_above():
    # 10,000 m² plans: 200,000 m² is FAR 20 (at the limit, passes the FAR rule), 200,001 m² and 1e308 are errors
    result = plans(building_area=[199999.0, 200000.0, 200001.0, 1e308])
    assert far_status(result) == [PASS, PASS, UNCHECKED, UNCHECKED]
    assert "FAR 20 (floor area / land area) is above" not in result.plans["reasons"].iloc[1]
    assert "FAR 20 (floor area / land area) is above the plausible limit 20" in result.plans["reasons"].iloc[2]
    assert result.summary["floor_area_m2"] == 399999.0  # the two plausible plans only
    assert result.summary["without_floor_area"] == 2
    assert "building_area 1e+308 is above the plausible limit 2e+09" in result.plans["reasons"].iloc[3]
    assert result.plans["far"].isna().tolist() == [False, False, True, True]


@pytest.mark.parametrize("field, rule, values, statuses", [
    ("height", "height", [499.99, 500.0, 500.01], [FAIL, FAIL, UNCHECKED]),  # above 100 m fails, above 500 m absurd
    ("floors", "floors", [199, 200, 201], [PASS, PASS, UNCHECKED]),
    ("lift_capacity", "lift_capacity", [99.9, 100, 100.1], [PASS, PASS, UNCHECKED]),
])
def test_upstairs_limits_at_just_below_and_above(field, rule, values, statuses):
    result = plans(**{field: values})
    checks = result.checks
    assert checks.loc[checks["rule_id"] == rule, "status"].tolist() == statuses
    assert "(implausible value: data error)" in result.plans["reasons"].iloc[2]
    assert result.summary["problem_plans"]["bad_values"] == {field: ["P2"]}


def test_upstairs_placeholders_and_suffixes():
    result = plans(floors=["8F", "12 层", "0", "尚无资料"], height=["40米", "45m", "—", "40"])
    checks = result.checks
    assert checks.loc[checks["rule_id"] == "floors", "status"].tolist() == [PASS, PASS, UNCHECKED, UNCHECKED]
    assert checks.loc[checks["rule_id"] == "height", "status"].tolist() == [PASS, PASS, UNCHECKED, PASS]
    assert "floors has no data: 0" in result.plans["reasons"].iloc[2]
    assert "floors has no data: 尚无资料" in result.plans["reasons"].iloc[3]
    assert "storeys (no value)" in result.plans["reasons"].iloc[3]


def test_implausible_storeys_or_height_of_a_building_are_not_used():
    parcel = np.array([box(0, 0, 100, 100)])
    buildings = np.array([box(0, 0, 10, 10)] * 4)
    # 200 storeys is at the limit (used); 201 falls back to the height 18 m → 4 storeys at 4.5 m; a height of
    # 500.5 m with no storeys is not used either (1 storey assumed); 500 m → round(500 / 4.5) = 111 storeys
    result = efficiency.evaluate(parcels(land_use=["0601"]), parcel, buildings,
                                 pd.Series([200, 201, None, None]), pd.Series([None, 18, 500.5, 500]), rules=survey())
    assert result.loc[0, "far"] == pytest.approx((200 + 4 + 1 + 111) * 100 / 10000)
    assert result.attrs["report"].buildings_implausible == 2
    assert efficiency.summarise(result)["buildings"]["implausible"] == 2


# --- households in the resettlement analysis ----------------------------------------------------------------------

@pytest.mark.parametrize("households, counted, bad", [
    ("1,763", 1763, False), ("120户", 120, False), ("１２", 12, False), ("—", None, False), ("尚无资料", None, False),
    (100000, 100000, False), ("100000", 100000, False),  # at the plausibility limit
    (100001, None, True), ("1e308", None, True), (-1, None, True), ("abc", None, True),  # above, absurd, negative, junk
])
def test_households_are_read_and_implausible_counts_are_data_errors(households, counted, bad):
    from land_bureau_plugin.analysis import resettlement

    projects = pd.DataFrame([{"expropriation_date": "2020-03-01", "housing_start_date": "2021-01-01",
                              "housing_complete_date": "2024-01-01", "households": households}], dtype=object)
    row = resettlement.evaluate(projects, "2025-03-02").iloc[0]  # resettlement due 2025-03-01: overdue
    assert row["resettle_status"] == "overdue"
    assert (None if pd.isna(row["overdue_households"]) else row["overdue_households"]) == counted  # None: unknown
    assert ("households value is not valid" in row["reasons"]) is bad
    assert ("number of households is not known" in row["reasons"]) is (counted is None)


def test_the_households_limit_is_profile_data():
    from land_bureau_plugin.analysis.resettlement import ResettlementRules

    assert section({"resettlement": {"limits": {"households": 500}}}, "resettlement",
                   ResettlementRules).limits == {"households": 500}
    # the limit switched off (null): only the exactness of an integer count bounds it (2**53); none given: the default
    assert section({"resettlement": {"limits": {"households": None}}}, "resettlement",
                   ResettlementRules).households_limit == 2.0 ** 53
    assert section({"resettlement": {"limits": {}}}, "resettlement", ResettlementRules).households_limit == 100000
    for bad in (2.0 ** 53 + 2, 0, "many"):
        with pytest.raises(ProfileError) as error:
            section({"resettlement": {"limits": {"households": bad}}}, "resettlement", ResettlementRules)
        assert error.value.key == "resettlement.limits.households"
    with pytest.raises(ProfileError) as error:
        section({"resettlement": {"limits": {"floors": 5}}}, "resettlement", ResettlementRules)
    assert error.value.key == "resettlement.limits.floors"


@pytest.mark.parametrize("limit, households, counted", [(500, 500, 500), (500, 501, None), (None, 10 ** 6, 10 ** 6)])
def test_the_households_limit_decides_what_is_counted(limit, households, counted):
    from land_bureau_plugin.analysis import resettlement

    rules = resettlement.ResettlementRules(limits={"households": limit})  # None: switched off
    projects = pd.DataFrame([{"expropriation_date": "2020-03-01", "housing_start_date": "2021-01-01",
                              "housing_complete_date": "2024-01-01", "households": households}], dtype=object)
    row = resettlement.evaluate(projects, "2025-03-02", rules).iloc[0]
    assert (None if pd.isna(row["overdue_households"]) else row["overdue_households"]) == counted  # None: unknown
    assert ("households value is not valid" in row["reasons"]) is (counted is None)


def test_repeated_ids_of_a_part_are_those_of_the_whole_layer():
    """A live check judges part of the layer: its rows are repeated when their id repeats anywhere in the layer
    (" A" and "A " are one id, blanks never repeat) — the same rows the whole-layer reading flags."""
    from land_bureau_plugin.analysis.efficiency_reading import duplicate_ids, repeated_id_set, trimmed_ids

    table = pd.DataFrame({"parcel_id": [" A", "B", "A ", "", None, "C", 7, "7"]})
    assert [None if pd.isna(v) else v for v in trimmed_ids(table)] == ["A", "B", "A", None, None, "C", "7", "7"]
    assert duplicate_ids(table).tolist() == [True, False, True, False, False, False, True, True]
    assert repeated_id_set(table) == frozenset({"A", "7"})
    part = table.iloc[[0, 1, 6]]
    assert duplicate_ids(part).tolist() == [False, False, False]  # alone, nothing repeats
    assert duplicate_ids(part, repeated_id_set(table)).tolist() == [True, False, True]


@pytest.mark.parametrize("ids", [
    ["A", "B", "A"], ["A", " B", "A"], ["A", "B ", "A"], ["A", "", "A"], ["", "A"], ["A", ""], [""],
    ["A", "\u3000B", "A"], ["A", "B\u3000", "A"], ["A", "\tB\n", "A"], ["A", "B\n"], ["A", "B\x00", " C"],
    ["A", "B\x00 C"], ["A", None, "A"], ["A B", "A  B"], ["甲", "乙 ", "甲"],
])
def test_ids_already_trimmed_are_taken_as_they_are(ids):
    """Ids are almost always trimmed already, and a regular expression over all of them says so instead of
    stripping each; trimmed_ids gives what stripping each value gives, whatever the whitespace (Unicode's, as
    str.strip's: the ideographic space of a Chinese keyboard), blanks and a NUL inside a value."""
    from land_bureau_plugin.analysis.efficiency_reading import _untrimmed, trimmed_ids

    table = pd.DataFrame({"parcel_id": pd.Series(ids, dtype=object)})
    stripped = [None if v is None or not v.strip() else v.strip() for v in ids]
    assert [None if pd.isna(v) else v for v in trimmed_ids(table)] == stripped
    needed = any(v is not None and v != v.strip() or v == "" for v in ids)
    if needed:
        assert _untrimmed(table["parcel_id"])  # never "trimmed" where stripping changes something
    if "\x00" not in "".join(v for v in ids if v):
        assert _untrimmed(table["parcel_id"]) == needed
