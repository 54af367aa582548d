"""Live upstairs checks (analysis.upstairs_live): after any sequence of edits, the kept results equal a whole
`upstairs.evaluate` run on the plans' current state — the batch result, computed independently here."""
import random

import numpy as np
import pandas as pd
import pytest
import shapely

from land_bureau_plugin.analysis import upstairs_overlay
from land_bureau_plugin.analysis.upstairs import evaluate
from land_bureau_plugin.analysis.upstairs_live import LivePlans
from land_bureau_plugin.analysis.upstairs_rules import FAIL, PASS, UpstairsRules


def box(x, y, w=100.0, h=100.0):
    return shapely.box(x, y, x + w, y + h)


FARMLAND = [box(300, 0, 80, 80), box(600, 300, 150, 50)]
REDLINE = [box(0, 400, 120, 120)]
BOUNDARY = [box(-50, -50, 1000, 700)]
RULES = UpstairsRules(land_use_system="gbt21010")  # 0601 is 工业用地 in 三调 codes, a rural road in the 2023 guide
COLUMNS = ("plan_id", "far", "height", "floors", "land_use", "declared_area")


def start_plans():
    geometries = [box(0, 0), box(150, 0), box(90, 50), box(500, 500), box(0, 300)]
    frame = pd.DataFrame({"plan_id": ["A", "B", "C", "D", "E"], "far": [2.5, 1.5, 2.0, 3.0, "2.2"],
                          "height": [30.0, 30.0, 24.0, 50.0, None], "floors": [5, 4, 6, 3, 4],
                          "land_use": ["0601", "0601", "0701", "0601", "0601"],
                          "declared_area": [10000.0, 10000.0, 10050.0, 9000.0, 10000.0]},
                         index=pd.Index([1, 2, 3, 4, 5], name="fid"))
    return frame, geometries


def prepared():
    return {"farmland": upstairs_overlay.prepare_layer(FARMLAND), "redline": upstairs_overlay.prepare_layer(REDLINE),
            "urban_boundary": upstairs_overlay.prepare_layer(BOUNDARY), "landuse": None}


def batch(live: LivePlans, rules):
    """The whole run on the live cache's current state, as the algorithm does on the saved layer."""
    frame = pd.DataFrame({c: live.frame[c].tolist() for c in live.frame.columns}, index=live.frame.index)
    return evaluate(live.geometry.to_numpy(), frame, farmland=FARMLAND, redline=REDLINE, urban_boundary=BOUNDARY,
                    rules=rules)


def assert_same_as_batch(live: LivePlans, rules):
    full = batch(live, rules)
    # `passed` is int or float (with NaN for an undecided plan) by what the run held: its values are compared
    pd.testing.assert_frame_equal(live.plans, full.plans, check_dtype=False)
    pd.testing.assert_frame_equal(live.checks.reset_index(drop=True), full.checks.reset_index(drop=True),
                                  check_dtype=False)
    violations = full.violations.copy()
    labels = full.plans.index.to_numpy()
    overlap = violations["rule_id"] == "plan_overlap"
    violations.loc[overlap, "features"] = pd.Series([tuple(labels[list(p)].tolist())
                                                    for p in violations.loc[overlap, "features"]],
                                                   index=violations.index[overlap], dtype=object)
    mine = live.violations.reset_index(drop=True)
    # an empty table's column types mean nothing: its values are compared
    pd.testing.assert_frame_equal(mine.drop(columns="geometry"), violations.drop(columns="geometry"),
                                  check_dtype=len(mine) > 0, check_index_type=len(mine) > 0)
    assert shapely.equals(np.asarray(mine["geometry"], dtype=object),
                          np.asarray(violations["geometry"], dtype=object)).all()


def one(fid, geometry, **values):
    return pd.DataFrame({name: [values.get(name)] for name in COLUMNS}, index=pd.Index([fid], name="fid")), [geometry]


def changed(live, fid, geometry=None, **values):
    """The feature as the layer holds it after an edit: its other values unchanged."""
    row = {name: live.frame.at[fid, name] for name in COLUMNS} | values
    return one(fid, live.geometry.loc[fid] if geometry is None else geometry, **row)


def test_moving_a_plan_onto_farmland_fails_it_there_and_only_there():
    frame, geometries = start_plans()
    live = LivePlans(frame, geometries, prepared(), rules=RULES)
    assert live.plans.at[4, "passed"] == 0  # 3 floors
    before = live.plans.copy()
    touched = live.update(*changed(live, 1, box(290, 0)))  # 1 now covers 80 × 80 of farmland, off plans 3
    assert live.plans.at[1, "farmland_m2"] == pytest.approx(80 * 80)
    assert 3 in touched and 4 not in touched  # 3 lost its overlap with 1; 4 is far away
    assert live.plans.at[3, "overlap_plans"] == "B"  # before: "A,B"
    pd.testing.assert_series_equal(live.plans.loc[4], before.loc[4])
    assert_same_as_batch(live, RULES)


def test_far_at_the_threshold_passes_and_just_below_fails():
    frame, geometries = start_plans()
    live = LivePlans(frame, geometries, prepared(), rules=RULES)
    live.update(*changed(live, 4, far=2.0))
    assert live.checks.query("plan == 4 and rule_id == 'far'")["status"].item() == PASS
    live.update(*changed(live, 4, far=1.999))
    assert live.checks.query("plan == 4 and rule_id == 'far'")["status"].item() == FAIL
    assert_same_as_batch(live, RULES)


def test_a_far_column_turning_to_percent_rechecks_every_plan():
    frame, geometries = start_plans()
    live = LivePlans(frame, geometries, prepared(), rules=RULES)
    assert live.checks.query("plan == 1 and rule_id == 'far'")["status"].item() == PASS  # 2.5
    for fid, far in ((2, 150.0), (3, 200.0), (4, 300.0)):  # a majority now above the ratio limit: percent
        touched = live.update(*changed(live, fid, far=far))
    assert touched >= {1, 2, 3, 4, 5}
    assert live.checks.query("plan == 1 and rule_id == 'far'")["status"].item() == FAIL  # 2.5 % = 0.025
    assert_same_as_batch(live, RULES)


def test_a_repeated_id_is_reported_on_both_plans_and_withdrawn_with_the_edit():
    frame, geometries = start_plans()
    live = LivePlans(frame, geometries, prepared(), rules=RULES)
    live.update(*changed(live, 5, plan_id="D"))
    assert "D" in live.plans.at[4, "reasons"] and live.plans.at[4, "reasons"] == batch(live, RULES).plans.at[
        4, "reasons"]
    assert_same_as_batch(live, RULES)
    live.update(*changed(live, 5, plan_id="E"))
    assert_same_as_batch(live, RULES)


def test_add_delete_and_back_equal_the_batch_run():
    frame, geometries = start_plans()
    live = LivePlans(frame, geometries, prepared(), rules=RULES)
    live.update(*one(-1, box(60, 20), plan_id="N", far=2.4, height=40.0, floors=5, land_use="0601",
                     declared_area=10000.0))
    assert set(live.plans.at[-1, "overlap_plans"].split(",")) == {"A", "B", "C"}
    assert_same_as_batch(live, RULES)
    empty = pd.DataFrame({name: [] for name in COLUMNS}, index=pd.Index([], name="fid"))
    touched = live.update(empty, [], deleted=[3, -1])
    assert {3, -1, 1, 2} <= touched and 3 not in live.plans.index
    assert_same_as_batch(live, RULES)


@pytest.mark.parametrize("seed", range(4))
def test_random_edit_sequences_equal_the_batch_run_after_every_edit(seed):
    rng = random.Random(seed)
    frame, geometries = start_plans()
    rules = UpstairsRules()  # codes of GB 50137 only, their system detected on the whole column
    frame["land_use"] = ["M1", "M2", "R2", "M1", "W1"]
    live = LivePlans(frame, geometries, prepared(), rules=rules)
    next_new = -1
    for _ in range(25):
        kind = rng.choice(["move", "far", "id", "height", "land_use", "add", "delete", "invalid"])
        fids = list(live.frame.index)
        fid = rng.choice(fids) if fids else None
        if kind == "add" or fid is None:
            update = one(next_new, box(rng.uniform(0, 800), rng.uniform(0, 600)), plan_id=rng.choice("ABCXYZ"),
                         far=rng.choice([1.5, 2.0, 2.5, None]), height=30.0, floors=4, land_use="M1",
                         declared_area=10000.0)
            next_new -= 1
            live.update(*update)
        elif kind == "delete" and len(fids) > 1:
            live.update(pd.DataFrame({name: [] for name in COLUMNS}, index=pd.Index([], name="fid")), [],
                        deleted=[fid])
        elif kind == "move":
            live.update(*changed(live, fid, shapely.affinity.translate(live.geometry.loc[fid],
                                                                       rng.uniform(-150, 150), rng.uniform(-150, 150))))
        elif kind == "far":
            live.update(*changed(live, fid, far=rng.choice([1.999, 2.0, 2.001, "2,5", "待定", 210.0, None])))
        elif kind == "id":
            live.update(*changed(live, fid, plan_id=rng.choice(["A", "B", "Q", None])))
        elif kind == "height":
            live.update(*changed(live, fid, height=rng.choice([24.0, 24.01, 100.0, 100.01])))
        elif kind == "land_use":
            live.update(*changed(live, fid, land_use=rng.choice(["M1", "R2", "W1", "U1", "?", None])))
        else:  # a bow tie: repaired, and said so in the reasons
            live.update(*changed(live, fid, shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])))
        assert_same_as_batch(live, rules)


def test_the_far_basis_says_what_the_far_checked_comes_from_and_whether_the_field_agrees():
    """A plan's FAR is checked as floor area ÷ the drawn area when both are known — the layer's own FAR field is then
    not read, and the form says so when the field holds another value: more than far_field_tolerance (0.01) apart.
    10 000 m² squares with 25 000 m² of floor: FAR 2.5 (computed here: 25 000 / 100²)."""
    fields = [2.5, 2.51, 2.49, 2.505, 2.515, 2.485, 1.5, "250%", None, "待定"]
    n = len(fields)
    frame = pd.DataFrame({"plan_id": [f"P{i}" for i in range(n)], "far": fields, "building_area": [25_000.0] * n,
                          "height": [30.0] * n, "floors": [5] * n},
                         index=pd.Index(range(10, 10 + n), name="fid"))
    live = LivePlans(frame, [box(300.0 * i, 2000) for i in range(n)], prepared(), rules=RULES)
    expected_far = 25_000.0 / (100.0 * 100.0)
    # at the tolerance (2.51, 2.49), just inside (2.505), just beyond (2.515, 2.485), far off (1.5); "250%" is 2.5
    differs = [False, False, False, False, True, True, True, False, False, False]
    for fid, field, apart in zip(frame.index, fields, differs):
        basis = live.far_basis(fid)
        assert basis["far"] == pytest.approx(expected_far) and bool(basis["from_floor_area"]), field
        assert bool(basis["differs"]) is apart, field
        assert basis["floor_area"] == 25_000.0 and basis["area_m2"] == pytest.approx(10_000.0)
    assert live.far_basis(17)["field_far"] == pytest.approx(2.5)  # "250%" read as a ratio
    assert np.isnan(live.far_basis(18)["field_far"]) and np.isnan(live.far_basis(19)["field_far"])
    assert live.far_basis(16)["field_far"] == 1.5
    # the tolerance is the profile's: at 0.015 2.515 agrees; at 0 only 2.5 itself does
    for tolerance, agreeing in ((0.015, {2.5, 2.51, 2.49, 2.505, 2.515, 2.485, "250%"}), (0.0, {2.5, "250%"})):
        live = LivePlans(frame, [box(300.0 * i, 2000) for i in range(n)], prepared(),
                         rules=UpstairsRules(land_use_system="gbt21010", far_field_tolerance=tolerance))
        shown = {field for fid, field in zip(frame.index, fields) if field is not None and field != "待定"
                 and not live.far_basis(fid)["differs"]}
        assert shown == agreeing, tolerance


def test_without_floor_area_the_far_checked_is_the_fields():
    frame = pd.DataFrame({"plan_id": ["A", "B"], "far": [1.5, 2.5], "building_area": [None, "待定"],
                          "height": [30.0, 30.0], "floors": [5, 5]}, index=pd.Index([1, 2], name="fid"))
    live = LivePlans(frame, [box(0, 2000), box(300, 2000)], prepared(), rules=RULES)
    for fid, far in ((1, 1.5), (2, 2.5)):
        basis = live.far_basis(fid)
        assert basis["far"] == far and basis["field_far"] == far
        assert not basis["from_floor_area"] and not basis["differs"]
    assert live.far_basis(99) is None
