"""Low-efficiency land: intensity, 亩均 score, criteria with reasons, potential, clusters, modes, rules."""
import dataclasses
import inspect
import math
import re

import numpy as np
import pandas as pd
import pytest
from shapely import Polygon, box

from land_bureau_plugin.analysis import efficiency, efficiency_reasons
from land_bureau_plugin.analysis.efficiency import (
    EFFICIENCY_TEMPLATES,
    OUTPUT_COLUMNS,
    EfficiencyRules,
    StoreyRule,
    building_storeys,
    lookup_by_code,
    normalise_codes,
    summarise,
    to_number,
)
from land_bureau_plugin.analysis.units import mu_to_m2
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

# The score formula, the criteria and the bands are tested with every parcel graded on every indicator by score bands
# (the plugin's grading before profile version 4); grading by rank, classes and exemptions: test_efficiency_grading.py
SCORE_WEIGHTS = {"tax_per_mu": 30, "output_per_mu": 20, "output_per_energy": 20, "output_per_employee": 10,
                 "rd_ratio": 10}
RULES = EfficiencyRules(grading="score", enterprise_classes=False, weights=SCORE_WEIGHTS)


def scored(**changes) -> EfficiencyRules:
    """RULES with some values changed."""
    return dataclasses.replace(RULES, **changes)


def evaluate(*args, rules: EfficiencyRules = RULES, **kwargs) -> pd.DataFrame:
    """efficiency.evaluate on the 三调 layers of these tests: "0601" alone is also the 2023 guide's rural road, so
    the system is named unless a test names another (detection has tests of its own: test_land_use_scope.py)."""
    if rules.land_use_system == "auto":
        rules = dataclasses.replace(rules, land_use_system="gbt21010")
    return efficiency.evaluate(*args, rules=rules, **kwargs)


def parcels(**columns) -> pd.DataFrame:
    """A parcel table; scalars are repeated to the length of the longest list."""
    size = max(len(v) for v in columns.values() if isinstance(v, list))
    return pd.DataFrame({k: v if isinstance(v, list) else [v] * size for k, v in columns.items()})


def reasons_of(result: pd.DataFrame, row) -> str:
    return result.loc[row, "reasons"]


# --- the seed case and intensity ---------------------------------------------------------------------------------

def test_seed_case_from_attributes_gains_50000_m2():
    result = evaluate(parcels(parcel_id=["seed"], land_use="0601", area_m2=29412, far=0.8))
    row = result.iloc[0]
    assert row["potential_m2"] == 50000  # 29,412 × (2.5 − 0.8) = 50,000.4
    assert row["low_eff"] == 1
    assert "FAR 0.80 below 1.00 for 0601" in row["reasons"]
    assert row["mode"] == "自主再开发"
    assert list(result.columns) == list(OUTPUT_COLUMNS)


def test_seed_case_from_buildings_gains_50000_m2():
    side = math.sqrt(29412)
    footprint = 0.4 * 29412  # two storeys on 40 % of the land: FAR 0.8, coverage 40 %
    building = box(10, 10, 10 + footprint / 100, 110)
    result = evaluate(parcels(land_use=["0601"]), np.array([box(0, 0, side, side)]), np.array([building]),
                      pd.Series([2]))
    assert result.loc[0, "far"] == pytest.approx(0.8)
    assert result.loc[0, "coverage"] == pytest.approx(0.4)
    assert result.loc[0, "potential_m2"] == 50000
    assert "coverage" not in result.loc[0, "reasons"]


def test_both_layers_are_cleaned_on_threads_begun_with_the_spatial_engine(monkeypatch):
    """LocalSpatial begins the parcels' and the buildings' make_polygonal on threads of their own (overlay.Cleaning)
    when it is made, so that the attribute work `evaluate` does first runs beside them; the judgement is the one
    made without threads (one usable core: everything on the caller's thread)."""
    import threading

    from land_bureau_plugin.analysis import efficiency_spatial, overlay

    made, threads = [], []
    original_cleaning, original_make = overlay.Cleaning, overlay.make_polygonal

    def recording(geoms):
        made.append(len(geoms))
        return original_cleaning(geoms)

    def make(geoms):
        threads.append(threading.current_thread() is threading.main_thread())
        return original_make(geoms)

    monkeypatch.setattr(efficiency_spatial, "Cleaning", recording)
    monkeypatch.setattr(overlay, "make_polygonal", make)
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100), Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])])
    buildings = np.array([box(80, 40, 120, 60), box(10, 10, 20, 20)])
    table = parcels(land_use=["0601", "0601", "0601"])
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    spatial = efficiency_spatial.LocalSpatial(geoms, buildings, pd.Series([3, 2]))
    assert made == [3, 2]  # the parcels', then the buildings', both begun before any geometry is asked for
    threaded = evaluate(table, spatial=spatial)
    assert threads == [False, False]
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 1)
    threads.clear()
    alone = evaluate(table, geoms, buildings, pd.Series([3, 2]))
    assert threads == [True, True]
    pd.testing.assert_frame_equal(threaded, alone)
    assert threaded.attrs["report"].parcels_repaired.tolist() == [2]
    assert threaded["far"].tolist()[:2] == pytest.approx([0.12 + 0.02, 0.12])


def record_order(monkeypatch, step_owner, step: str, work_owner, work: str):
    """Wrap `step` of `step_owner` (pandas work of `evaluate`) to mark when it is done, and `work` of `work_owner`
    (geometry work) to record (run on the caller's thread?, was the step done by then — waited for up to 5 s on
    another thread, so that work begun beside the step sees it done). Returns `taken()`: the records so far, cleared."""
    import threading

    done, seen = threading.Event(), []
    original_step, original_work = getattr(step_owner, step), getattr(work_owner, work)

    def marked(*args, **kwargs):
        result = original_step(*args, **kwargs)
        done.set()
        return result

    def recorded(*args, **kwargs):
        caller = threading.current_thread() is threading.main_thread()
        seen.append((caller, done.is_set() if caller else done.wait(5)))
        return original_work(*args, **kwargs)

    monkeypatch.setattr(step_owner, step, marked)
    monkeypatch.setattr(work_owner, work, recorded)

    def taken():
        found = list(seen)
        seen.clear()
        done.clear()
        return found
    return taken


def test_the_overlay_runs_beside_the_judgement_of_the_attributes_and_judges_alike(monkeypatch):
    """`evaluate` begins the buildings overlay on a thread of its own (LocalSpatial.begin) and
    grades the attributes meanwhile; the reasons keep their order (the intensity's before the grading's), progress
    never goes back, and an error raised in the overlay's thread (a cancel from its progress) reaches the caller."""
    import threading

    from land_bureau_plugin.analysis import efficiency_grading, efficiency_spatial, overlay

    taken = record_order(monkeypatch, efficiency_grading, "grade", efficiency_spatial, "floor_area_per_parcel")
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 300, 100, 400)])
    buildings = np.array([box(10, 10, 50, 50)])
    table = parcels(land_use="0601", tax=[100, 300, 200])  # no output: "score without …" on every parcel
    fractions = []
    threaded = evaluate(table, spatial=efficiency_spatial.LocalSpatial(geoms, buildings, pd.Series([2])),
                        progress=fractions.append)
    assert taken() == [(False, True)]  # on its own thread, still running when the attributes were graded
    assert fractions == sorted(fractions) and 0.6 in fractions  # 0.6: the overlay's last round
    reasons = reasons_of(threaded, 1)
    assert reasons.index("no building of the buildings layer on the parcel") < reasons.index("score without")
    assert "no building of the buildings layer within 100 m" in reasons_of(threaded, 2)

    monkeypatch.setattr(overlay, "_usable_cores", lambda: 1)
    alone = evaluate(table, geoms, buildings, pd.Series([2]))
    assert taken() == [(True, False)]  # one core: on the caller's thread, before the attributes
    pd.testing.assert_frame_equal(threaded, alone)

    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    for most, beside in ((2, False), (3, True)):  # 3 parcels: above the limit (memory: one at a time), then at it
        monkeypatch.setattr(efficiency, "BESIDE_MAX_PARCELS", most)
        again = evaluate(table, geoms, buildings, pd.Series([2]))
        assert taken() == [(False, True) if beside else (True, False)]
        pd.testing.assert_frame_equal(again, alone)

    class CanceledError(Exception):
        pass

    def cancel_from_the_overlay(_fraction):
        if threading.current_thread() is not threading.main_thread():
            raise CanceledError

    with pytest.raises(CanceledError):
        evaluate(table, spatial=efficiency_spatial.LocalSpatial(geoms, buildings, pd.Series([2])),
                 progress=cancel_from_the_overlay)


def test_the_clusters_shared_edges_are_measured_beside_the_criteria_reasons(monkeypatch):
    """Once the flagged parcels are known, `evaluate` begins their shared edges on a thread of its own
    (LocalSpatial.begin) and writes the criteria's reasons meanwhile; the clusters are the ones of one core."""
    from land_bureau_plugin.analysis import efficiency_spatial, overlay

    taken = record_order(monkeypatch, efficiency, "_criteria_reasons", efficiency_spatial, "shared_edges")
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100), box(200, 0, 300, 100), box(0, 500, 50, 550)])
    table = parcels(land_use="0601", far=[0.5, 0.6, 2.0, 0.5])
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    threaded = evaluate(table, geoms)
    assert taken() == [(False, True)]  # on its own thread, still running when the reasons were written
    assert threaded["cluster_id"].tolist() == [1, 1, 0, 0]
    assert "FAR 0.50 below 1.00 for 0601" in reasons_of(threaded, 0)

    monkeypatch.setattr(overlay, "_usable_cores", lambda: 1)
    alone = evaluate(table, geoms)
    assert taken() == [(True, False)]  # one core: on the caller's thread, before the reasons
    pd.testing.assert_frame_equal(threaded, alone)

    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    monkeypatch.setattr(efficiency, "BESIDE_MAX_PARCELS", 3)  # 4 parcels: above the limit, one at a time
    pd.testing.assert_frame_equal(evaluate(table, geoms), alone)
    assert taken() == [(True, True)]  # asked for on the caller's thread when the clusters are numbered


def test_building_across_two_parcels_counts_in_each_by_its_clipped_part():
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)])
    result = evaluate(parcels(land_use=["0601", "0601"]), geoms, np.array([box(80, 40, 120, 60)]),
                      building_floors=pd.Series([3]))
    assert result["far"].tolist() == pytest.approx([0.12, 0.12])  # 20 × 20 × 3 / 10,000 each
    assert result["coverage"].tolist() == pytest.approx([0.04, 0.04])
    assert "coverage 4% below 30%" in reasons_of(result, 0)


def test_storeys_estimated_from_height_and_reported_per_parcel():
    geoms = np.array([box(0, 0, 100, 100)])
    buildings = np.array([box(0, 0, 50, 50), box(60, 60, 70, 70)])
    result = evaluate(parcels(land_use=["0601"]), geoms, buildings, building_floors=pd.Series([None, "2"]),
                      building_heights=pd.Series(["13.5", 30]))
    assert result.loc[0, "far"] == pytest.approx((2500 * 3 + 100 * 2) / 10000)  # 13.5 m / 4.5 m = 3 storeys
    assert "1 building(s) without storeys: estimated from height at 4.5 m per storey" in reasons_of(result, 0)
    assert result.attrs["report"].buildings_storeys_from_height == 1


def test_storey_estimate_rounds_half_up_and_is_at_least_one():
    storeys, from_height, assumed, _ = building_storeys(pd.Series([None, 0, -1, 4, None]),
                                                        pd.Series([11.25, 1.0, None, 90, "x"]), StoreyRule(4.5), 5)
    assert storeys.tolist() == [3, 1, 1, 4, 1]  # 11.25 / 4.5 = 2.5 → 3; 1 m → at least 1
    assert from_height.tolist() == [True, True, False, False, False]
    assert assumed.tolist() == [False, False, True, False, True]


def test_buildings_without_storeys_or_height_count_as_one_storey_and_are_reported():
    geoms = np.array([box(0, 0, 100, 100), box(200, 0, 300, 100)])
    buildings = np.array([box(0, 0, 40, 50), box(50, 50, 60, 60), box(210, 10, 220, 20), box(900, 900, 910, 910)])
    result = evaluate(parcels(land_use=["0601", "0601"]), geoms, buildings)
    assert result.loc[0, "far"] == pytest.approx((2000 + 100) / 10000)
    assert "2 building(s) without storeys or height: counted as 1 storey" in reasons_of(result, 0)
    assert "1 building(s) without storeys or height" in reasons_of(result, 1)
    report = result.attrs["report"]
    assert report.buildings_one_storey == 4
    assert report.buildings_outside_parcels == 1


def test_bow_tie_parcel_is_repaired_and_reported():
    bow_tie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    frame = parcels(parcel_id=["a", "b"], land_use="0601").set_index("parcel_id")
    result = evaluate(frame, np.array([bow_tie, box(0, 110, 100, 210)]), np.array([box(60, 45, 100, 55)]),
                      building_floors=pd.Series([4]))
    assert "parcel geometry was invalid and has been repaired" in reasons_of(result, "a")
    assert result.attrs["report"].parcels_repaired.tolist() == ["a"]
    assert result.loc["a", "area_mu"] == pytest.approx(5000 / mu_to_m2(1))  # two triangles of 2,500 m²
    assert result.loc["a", "far"] == pytest.approx(4 * 400 / 5000)  # the building lies in the right triangle
    assert "no building of the buildings layer on the parcel" in reasons_of(result, "b")
    assert result.loc["b", "far"] == 0


def test_empty_parcel_geometry_gives_no_far_and_a_reason():
    result = evaluate(parcels(land_use=["0601", "0601"]), np.array([None, box(0, 0, 10, 10)]),
                      np.array([box(0, 0, 5, 5)]))
    assert math.isnan(result.loc[0, "far"])
    assert "parcel geometry is empty or not a polygon" in reasons_of(result, 0)
    assert result.loc[0, "low_eff"] == 0
    assert result.attrs["report"].parcels_empty.tolist() == [0]


def test_far_from_building_area_when_there_is_no_far():
    result = evaluate(parcels(land_use="0601", area_m2=[1000, 1000], far=[None, "1.5"], building_area=[500, 9]))
    assert result["far"].tolist() == [0.5, 1.5]


def test_zero_area_parcel_gets_no_far_and_says_so():
    result = evaluate(parcels(land_use=["0601"], area_m2=0, building_area=500))
    assert math.isnan(result.loc[0, "far"])
    assert "parcel area is zero or missing" in reasons_of(result, 0)
    assert result.loc[0, "low_eff"] == 0
    assert math.isnan(result.loc[0, "potential_m2"])


def test_absurd_far_is_a_data_error_not_a_flag():
    result = evaluate(parcels(land_use=["0601", "0601"], area_m2=1000, far=["250", 0.4]))
    assert math.isnan(result.loc[0, "far"])  # a data error is never printed as a figure
    assert "FAR 250.00 is implausible (above 20): data error, not used" in reasons_of(result, 0)
    assert result.loc[0, "low_eff"] == 0
    assert math.isnan(result.loc[0, "potential_m2"])
    assert result.loc[1, "low_eff"] == 1


def test_coverage_attribute_in_percent_is_read_as_share():
    result = evaluate(parcels(land_use="0601", area_m2=1000, far=1.2, coverage=[25, "45"]))
    assert result["coverage"].tolist() == [0.25, 0.45]
    assert result["low_eff"].tolist() == [1, 0]
    assert "coverage 25% below 30%" in reasons_of(result, 0)


def test_text_numbers_are_read_and_junk_is_reported():
    result = evaluate(parcels(land_use="0601", area_m2=[" 1,000 ", "１０００", "lots"], far=[1.5, 1.5, 1.5],
                              tax=["12.5", -4, 3]))
    assert result["area_mu"].tolist()[:2] == pytest.approx([1.5, 1.5])
    assert "area_m2 is not a number: lots" in reasons_of(result, 2)
    assert "tax is negative: -4" in reasons_of(result, 1)
    assert math.isnan(result.loc[1, "tax_per_mu"])


def test_field_labels_name_the_users_fields():
    result = evaluate(parcels(land_use=["0601"], area_m2=1000, tax="abc"), field_labels={"tax": "税收"})
    assert "税收 is not a number: abc" in reasons_of(result, 0)


def test_to_number_tells_missing_from_junk():
    values, junk = to_number(pd.Series(["12.5", " 1,234 ", "３", None, "", "abc", "inf", 7]))
    assert values.tolist()[:3] == [12.5, 1234.0, 3.0]
    assert values.iloc[3:7].isna().all() and values.iloc[7] == 7
    assert junk.tolist() == [False, False, False, False, False, True, True, False]


# --- land use ----------------------------------------------------------------------------------------------------

def test_longest_prefix_code_lookup():
    codes = normalise_codes(pd.Series(["100101", "100103", "100199", "1002", "m1", "M3", "W2", "0604", 601.0,
                                       "0701", None]))
    values, keys = lookup_by_code(codes, RULES.min_far)
    assert keys.tolist() == ["100101", "100103", "1001", "default", "M1", "M3", "W", "0604", "0601", "default",
                             "default"]
    assert values.tolist() == [1.0, 0.8, 1.0, 1.0, 1.0, 0.8, 0.8, 0.8, 1.0, 1.0, 1.0]


def test_only_industrial_and_warehouse_land_is_judged():
    result = evaluate(parcels(land_use=["0701", "1001", "0601", 601, None, "0604"], area_m2=1000, far=0.2, idle=1))
    assert result["low_eff"].tolist() == [0, 0, 1, 1, 0, 1]
    assert result.loc[0, "reasons"] == "" and result.loc[0, "mode"] == ""
    assert result.loc[0, "far"] == 0.2  # the facts are still there
    assert math.isnan(result.loc[0, "potential_m2"]) and math.isnan(result.loc[4, "potential_m2"])
    assert result.loc[4, "reasons"] == "land use missing: not judged"
    assert "FAR 0.20 below 0.80 for 0604" in reasons_of(result, 5)


def test_a_land_use_name_is_read_as_its_code_and_junk_is_reported_not_judged():
    result = evaluate(parcels(land_use=["工业用地", "仓储", "待定"], area_m2=1000, far=0.2))
    assert result["low_eff"].tolist() == [1, 1, 0]
    assert "FAR 0.20 below 1.00 for 0601" in reasons_of(result, 0)
    assert "FAR 0.20 below 0.80 for 0604" in reasons_of(result, 1)
    assert reasons_of(result, 2) == "land use 待定 is no code or name of GB/T 21010-2017: not judged"


# --- score and grade ---------------------------------------------------------------------------------------------

TEN_MU = mu_to_m2(10)


def test_missing_columns_leave_their_weight_out():
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[100, 300], output=[1000, 1000]))
    # tax per mu 10 and 30 against 20, output per mu 100 against 100; weights 30 and 20 of 50
    assert result["score"].tolist() == [50 * (30 * 0.5 + 20 * 1) / 50, 50 * (30 * 1.5 + 20 * 1) / 50]
    assert result["grade"].tolist() == ["D", "B"]
    assert ("score without output per energy, output per employee, R&D ratio (not available), "
            "remaining weights renormalised") in reasons_of(result, 0)


def test_a_null_value_leaves_that_parcels_indicator_out():
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[100, 300, 200],
                              output=[1000, 1000, None]))
    # the third parcel has only tax per mu: 20 against (100 + 300 + 200) / 30 = 20 → ratio 1 → 50
    assert result.loc[2, "score"] == 50
    assert "score without output per mu, output per energy" in reasons_of(result, 2)


def test_all_indicators_with_the_cap_at_twice_the_average():
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[10, 1000], output=[100, 100],
                    energy=[1, 1], employees=[10, 10], rd_spend=[1, 1])
    result = evaluate(frame)
    # tax per mu 1 and 100 against 50.5: ratios 0.0198 and 1.98; everything else at the average (weights 60 of 90)
    assert result.loc[1, "score"] == pytest.approx(round(50 * (30 * 100 / 50.5 + 60) / 90, 1))
    assert "score without" not in reasons_of(result, 0)
    frame.loc[1, "tax"] = 100000  # 1,000 times the other parcel: the ratio counts as 2
    assert evaluate(frame).loc[1, "score"] == pytest.approx(round(50 * (30 * 2 + 60) / 90, 1))


def test_no_indicator_means_no_score_and_a_reason():
    result = evaluate(parcels(land_use=["0601"], area_m2=1000, far=1.5))
    assert math.isnan(result.loc[0, "score"]) and result.loc[0, "grade"] is None
    assert reasons_of(result, 0) == "no economic indicator available: no score or grade"
    assert result.loc[0, "low_eff"] == 0


def test_grades_follow_the_bounds():
    taxes = [10, 25, 35, 45]  # per mu 1, 2.5, 3.5, 4.5 against the median 3: scores 16.7, 41.7, 58.3, 75.0
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=taxes),
                      rules=scored(grade_bounds={"A": 75, "B": 60, "C": 40}))
    assert result["score"].tolist() == [16.7, 41.7, 58.3, 75.0]
    assert result["grade"].tolist() == ["D", "C", "C", "A"]  # 75.0 is at the A bound


def test_tax_is_judged_against_the_district_median():
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[80, 300, 80, 100],
                    district=["西湖", "西湖", "余杭", "余杭"])
    result = evaluate(frame, rules=scored(weights={"output_per_mu": 1}))
    # 8 万元/亩 is 42 % of 西湖's 19 but 89 % of 余杭's 9
    assert result["low_eff"].tolist() == [1, 0, 0, 0]
    assert "tax per mu 8.0 万元 is 42% of district median (floor 50%)" in reasons_of(result, 0)


def test_without_districts_the_layer_median_is_used():
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[80, 300, 80, 100])
    result = evaluate(frame, rules=scored(weights={"output_per_mu": 1}, tax_ratio_floor=0.9))
    assert result["low_eff"].tolist() == [1, 0, 1, 0]  # 8 against the median of 8, 8, 10, 30 = 9: 89 %
    assert "tax per mu 8.0 万元 is 89% of layer median (floor 90%)" in reasons_of(result, 2)


def test_grade_d_and_idle_are_criteria():
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, coverage=0.5, tax=[100, 100, 100, 800, 800, 800],
                    idle=["是", "否", "maybe", None, None, None])
    result = evaluate(frame, rules=scored(tax_ratio_floor=0.0))
    assert result["grade"].tolist() == ["D", "D", "D", "A", "A", "A"]
    assert result["low_eff"].tolist() == [1, 1, 1, 0, 0, 0]
    # 10 against the median (10+80)/2; each criterion cites the document of its rule (profile `sources`)
    assert reasons_of(result, 0).startswith(
        "grade D (score 11.1) (per 《浙江省人民政府关于深化“亩均论英雄”改革的指导意见》（2018）); "
        "idle land (per 《闲置土地处置办法》第二条（2012）)")
    assert result.loc[0, "mode"] == "政府收储" and result.loc[1, "mode"] == "自主再开发"
    assert "idle is not a yes/no value: maybe" in reasons_of(result, 2)


# --- clusters and modes ------------------------------------------------------------------------------------------

def test_parcels_sharing_an_edge_cluster_but_corner_touches_do_not():
    geoms = np.array([
        box(0, 0, 100, 100),  # 0 ┐ share a 100 m edge
        box(100, 0, 200, 100),  # 1 ┘
        box(200, 100, 300, 200),  # 2 touches 1 in a corner
        box(100, 100, 103, 200),  # 3 shares 3 m with 1 (< 5 m)
        box(200, 0, 300, 100),  # 4 efficient, between 1 and 5
        box(300, 0, 400, 100),  # 5
        box(1000, 0, 1200, 200),  # 6 ┐ the larger cluster
        box(1200, 0, 1400, 200),  # 7 ┘ idle
    ])
    far = [0.5, 0.5, 0.5, 0.5, 2.0, 0.5, 0.5, 0.5]
    idle = [0, 0, 0, 0, 0, 0, 0, 1]
    result = evaluate(parcels(land_use="0601", far=far, idle=idle), geoms)
    assert result["cluster_id"].tolist() == [2, 2, 0, 0, 0, 0, 1, 1]
    assert result["mode"].tolist() == ["并宗再开发", "并宗再开发", "自主再开发", "自主再开发", "", "自主再开发",
                                       "并宗再开发", "政府收储"]


def test_without_geometries_there_are_no_clusters():
    result = evaluate(parcels(land_use="0601", area_m2=1000, far=[0.5, 0.5]))
    assert result["cluster_id"].tolist() == [0, 0]


# --- templates, summary, rules ------------------------------------------------------------------------------------

def test_translated_templates_are_used():
    templates = dict(EFFICIENCY_TEMPLATES, far_low="容积率 {far} 低于 {min_far}（{code}）")
    result = evaluate(parcels(land_use=["0601"], area_m2=1000, far=0.5), templates=templates)
    assert reasons_of(result, 0).startswith("容积率 0.50 低于 1.00（0601）")


def test_every_template_is_marked_for_translation():
    source = inspect.getsource(efficiency_reasons)
    from land_bureau_plugin.analysis.messages import TEMPLATES

    for key in EFFICIENCY_TEMPLATES:  # here, or the punctuation shared with the other analyses (marked in messages)
        if key in TEMPLATES and EFFICIENCY_TEMPLATES[key] == TEMPLATES[key]:
            continue  # a sentence of analysis.messages (the date problems), marked there
        marked = rf'"{key}": (QT_TRANSLATE_NOOP\(\s*"reasons", "|SEPARATOR,|LIST_SEPARATOR,|CITE,)'
        assert re.search(marked, source), key


def test_translated_punctuation_joins_the_reasons_and_the_lacking_indicators():
    templates = dict(EFFICIENCY_TEMPLATES, separator="；", list_separator="、")
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=0.5, tax=[100, 300]), templates=templates)
    reasons = reasons_of(result, 0)
    assert "；" in reasons and "; " not in reasons
    assert "score without output per mu、output per energy、output per employee、R&D ratio" in reasons


def test_summary_in_mu_and_wan_m2():
    frame = parcels(land_use=["0601", "0601", "0701"], area_m2=[29412, TEN_MU, TEN_MU], far=[0.8, 1.5, 0.2],
                    tax=[10, 60, 50], district=["西湖", "西湖", None])
    result = evaluate(frame)
    summary = summarise(result, frame)
    assert summary["parcels"] == 3
    assert summary["low_eff"]["parcels"] == 1
    assert summary["low_eff"]["mu"] == pytest.approx(29412 / mu_to_m2(1))
    assert summary["low_eff_potential_wan_m2"] == pytest.approx(5.0)
    assert summary["potential_wan_m2"] == pytest.approx(5.0 + 1.0 * TEN_MU / 10000, abs=1e-4)
    assert set(summary["per_grade"]) == {"A", "B", "C", "D", "none"}
    assert summary["per_grade"]["none"]["parcels"] == 1
    assert summary["per_district"]["西湖"]["low_eff"]["parcels"] == 1
    assert summary["modes"] == {"自主再开发": {"parcels": 1, "mu": pytest.approx(29412 / mu_to_m2(1))}}


def test_summary_counts_what_its_mu_and_potential_leave_out():
    """Three low-efficiency parcels: 29,412 m² at FAR 0.8 (potential 50,000 m²), one without an area (FAR 0.5: low,
    area and potential unknown), one without a FAR (low by its tax: potential unknown). The 亩 and 万m² are those known
    (44.118 亩 + 10 亩, 5.0 万m²) and `unknown` says what they leave out; with every value known, nothing."""
    frame = parcels(land_use=["0601"] * 4, area_m2=[29412, None, TEN_MU, TEN_MU], far=[0.8, 0.5, None, 1.5],
                    tax=[10, 10, 1, 60])
    summary = summarise(evaluate(frame), frame)
    assert summary["low_eff"] == {"parcels": 3, "mu": pytest.approx(29412 / mu_to_m2(1) + 10)}
    assert summary["low_eff_potential_wan_m2"] == pytest.approx(5.0)
    assert summary["unknown"] == {"mu": 1, "low_eff_mu": 1, "low_eff_potential": 2}
    known = parcels(land_use=["0601"] * 2, area_m2=[29412, TEN_MU], far=[0.8, 1.5], tax=[10, 60])
    assert summarise(evaluate(known), known)["unknown"] == {"mu": 0, "low_eff_mu": 0, "low_eff_potential": 0}


def test_each_district_counts_the_parcels_its_mu_leave_out():
    """西湖: a low parcel of 29,412 m², one low without an area, one good of 10 亩; 余杭: one good without an area.
    Each district's 亩 are those known and `unknown_mu` says how many parcels they leave out (the low ones apart)."""
    frame = parcels(land_use=["0601"] * 4, area_m2=[29412, None, TEN_MU, None], far=[0.8, 0.5, 1.5, 1.5],
                    tax=[10, 10, 60, 60], district=["西湖", "西湖", "西湖", "余杭"])
    per_district = summarise(evaluate(frame), frame)["per_district"]
    xihu, yuhang = per_district["西湖"], per_district["余杭"]
    assert (xihu["parcels"], xihu["mu"], xihu["unknown_mu"]) == (3, pytest.approx(29412 / mu_to_m2(1) + 10), 1)
    assert xihu["low_eff"] == {"parcels": 2, "mu": pytest.approx(29412 / mu_to_m2(1)), "unknown_mu": 1}
    assert (yuhang["parcels"], yuhang["mu"], yuhang["unknown_mu"]) == (1, 0.0, 1)
    assert yuhang["low_eff"] == {"parcels": 0, "mu": 0.0, "unknown_mu": 0}


def test_rules_defaults_match_the_bundled_profile():
    assert section(load_profile(), "efficiency", EfficiencyRules) == EfficiencyRules()


@pytest.mark.parametrize(("change", "key"), [
    ({"min_far": {"default": 1.0, "0601": -1.0}}, "min_far.0601"),
    ({"target_far": {"0601": 2.5}}, "target_far"),
    ({"min_coverage": 30.0}, "min_coverage"),
    ({"weights": {"tax_per_mu": 0, "output_per_mu": 0}}, "weights"),
    ({"weights": {"tax_per_mu": 30, "profit": 10}}, "weights.profit"),
    ({"grade_bounds": {"A": 60, "B": 80, "C": 40}}, "grade_bounds"),
    ({"low_grade": "E"}, "low_grade"),
    ({"storey_height_m": 0.0}, "storey_height_m"),
    ({"modes": {"idle": "政府收储"}}, "modes"),
])
def test_impossible_rules_are_refused_with_their_key(change, key):
    assert key in [k for k, _ in scored(**change).validate()]
    with pytest.raises(ProfileError) as error:
        section({"efficiency": change}, "efficiency", EfficiencyRules)
    assert error.value.key == f"efficiency.{key}"


def test_a_wrong_type_in_the_profile_is_refused():
    with pytest.raises(ProfileError, match="expected float"):
        section({"efficiency": {"weights": {"tax_per_mu": "30"}}}, "efficiency", EfficiencyRules)


def test_the_input_index_is_kept():
    frame = parcels(land_use="0601", area_m2=1000, far=[0.5, 1.5])
    frame.index = [17, 4]
    result = evaluate(frame)
    assert result.index.tolist() == [17, 4]
    assert result.loc[17, "low_eff"] == 1


def test_cluster_outlines_dissolve_each_cluster():
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100), box(500, 0, 600, 100), box(600, 0, 700, 100),
                      box(700, 0, 800, 100), box(2000, 0, 2100, 100)])
    result = evaluate(parcels(land_use="0601", far=[0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), geoms)
    frame, outlines = efficiency.cluster_outlines(result, geoms)
    assert frame["cluster_id"].tolist() == [1, 2]
    assert frame["parcels"].tolist() == [3, 2]
    assert frame["area_mu"].tolist() == pytest.approx([30000 / mu_to_m2(1), 20000 / mu_to_m2(1)])
    assert [g.geom_type for g in outlines] == ["Polygon", "Polygon"]  # one shape each, inner edges dissolved
    assert outlines[0].equals(box(500, 0, 800, 100))


@pytest.mark.parametrize("cores", [1, 2])
def test_grouped_unions_are_the_outlines_of_one_union_per_cluster(monkeypatch, cores):
    """Runs of one length unioned as the rows of one array, on threads: byte for byte the outline of union_all on
    each run alone — runs of 1 to 40 jittered squares, of one and of many lengths, out of order, with a hole."""
    import shapely

    from land_bureau_plugin.analysis import overlay
    from land_bureau_plugin.analysis.efficiency_summary import grouped_unions

    monkeypatch.setattr(overlay, "_usable_cores", lambda: cores)
    rng = np.random.default_rng(7)
    sizes = np.concatenate([rng.integers(1, 9, 2000), [40, 1, 3, 17]])
    geoms, labels = [], []
    for label, size in enumerate(sizes.tolist()):
        x0 = label * 1000 + rng.uniform(0, 1, size)
        geoms += list(shapely.box(x0 + np.arange(size) * 10, 0, x0 + np.arange(size) * 10 + 10.5, 10 + np.arange(size)))
        labels += [label * 3] * size  # labels need not be consecutive, only grouped
    geoms.append(box(0, 50, 30, 80).difference(box(10, 60, 20, 70)))
    geoms.append(box(10, 60, 25, 70))
    labels += [len(sizes) * 3] * 2
    geoms, labels = np.array(geoms, dtype=object), np.array(labels)
    outlines = grouped_unions(geoms, labels)
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    expected = [shapely.union_all(run) for run in np.split(geoms, starts[1:])]
    assert len(outlines) == len(expected) == len(sizes) + 1
    assert shapely.to_wkb(outlines).tolist() == shapely.to_wkb(np.array(expected, dtype=object)).tolist()
    assert len(grouped_unions(np.empty(0, dtype=object), np.empty(0, dtype=np.int64))) == 0


def test_no_clusters_no_outlines():
    result = evaluate(parcels(land_use="0601", far=[0.5, 2.0]), np.array([box(0, 0, 10, 10), box(10, 0, 20, 10)]))
    frame, outlines = efficiency.cluster_outlines(result, None)
    assert len(frame) == 0 and len(outlines) == 0


def test_degenerate_parcel_with_a_rounding_error_area_counts_as_zero_area():
    """Collinear vertices reprojected from lon/lat come back with ~1e-8 m², not 0: still no FAR and a reason."""
    sliver = Polygon([(519_000, 3_347_000), (519_100, 3_347_000.000000001), (519_200, 3_347_000)])
    assert 0 < sliver.area < 1e-3
    result = evaluate(parcels(land_use=["0601", "0601"]), np.array([sliver, box(0, 0, 10, 10)]),
                      np.array([box(0, 0, 5, 5)]))
    assert math.isnan(result.loc[0, "far"])
    assert "parcel area is zero or missing" in reasons_of(result, 0)
    assert result.loc[0, "low_eff"] == 0
    assert result.loc[1, "far"] == pytest.approx(0.25)


# --- every threshold at, just below and just above (issue 14) --------------------------------------------------

def flagged_by(result: pd.DataFrame, phrase: str) -> list[bool]:
    return [phrase in reasons for reasons in result["reasons"]]


@pytest.mark.parametrize("column, values, phrase, others", [
    # minimum FAR of 0601: 1.0
    ("far", [0.99, 1.0, 1.01], "below 1.00 for 0601", {}),
    # minimum coverage 30 %
    ("coverage", [0.29, 0.30, 0.31], "below 30%", {"far": 1.5}),
])
def test_intensity_criteria_flag_just_below_the_threshold_only(column, values, phrase, others):
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, **{column: values}, **others))
    assert flagged_by(result, phrase) == [True, False, False]
    assert result["low_eff"].tolist() == [1, 0, 0]


def test_tax_criterion_flags_just_below_half_the_reference_only():
    # tax per mu 4.9, 5.0, 5.1 against the median 10 of the seven: 49 %, 50 %, 51 % (floor 50 %)
    frame = parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=[49, 50, 51, 100, 100, 100, 100])
    result = evaluate(frame, rules=scored(weights={"output_per_mu": 1}))  # no output: no score, no grade
    assert flagged_by(result, "tax per mu") == [True, False, False, False, False, False, False]
    assert "tax per mu 4.9 万元 is 49% of layer median (floor 50%)" in reasons_of(result, 0)


@pytest.mark.parametrize("per_mu, scores, grades", [
    ([11.98, 12.0, 12.02], [59.9, 60.0, 60.1], ["C", "B", "B"]),  # the B bound 60: 1.2 × the median
    ([15.98, 16.0, 16.02], [79.9, 80.0, 80.1], ["B", "A", "A"]),  # the A bound 80
    ([7.98, 8.0, 8.02], [39.9, 40.0, 40.1], ["D", "C", "C"]),  # the C bound 40
])
def test_score_bands_at_just_below_and_just_above_each_bound(per_mu, scores, grades):
    """Score method: 50 × tax per mu / the median 10 (four parcels at 10 keep the median there)."""
    tax = [round(v * 10, 6) for v in per_mu] + [100, 100, 100, 100]
    rules = scored(weights={"tax_per_mu": 1}, tax_ratio_floor=0.0)
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=tax), rules=rules)
    assert result["score"].tolist()[:3] == scores
    assert result["grade"].tolist()[:3] == grades


def test_an_indicator_counts_for_at_most_twice_its_reference():
    # per mu 19.98, 20.02 and 30 against the median 10: ratios 1.998, 2.002, 3 → 99.9, then 100 for both above 2
    tax = [199.8, 200.2, 300, 100, 100, 100, 100]
    rules = scored(weights={"tax_per_mu": 1}, tax_ratio_floor=0.0)
    result = evaluate(parcels(land_use="0601", area_m2=TEN_MU, far=1.5, tax=tax), rules=rules)
    assert result["score"].tolist()[:4] == [99.9, 100.0, 100.0, 50.0]
