"""Live low-efficiency results (analysis.efficiency_live): after any sequence of edits to parcels and buildings, the
kept results equal a whole `efficiency.evaluate` run (shapely's LocalSpatial, every parcel and building) on the
layers' current state — the batch result, computed independently of the cache here."""
import random

import numpy as np
import pandas as pd
import pytest
import shapely

from land_bureau_plugin.analysis.efficiency import OUTPUT_COLUMNS, evaluate
from land_bureau_plugin.analysis.efficiency_live import LiveParcels
from land_bureau_plugin.analysis.efficiency_rules import EfficiencyRules

AS_OF = "2026-06-30"
RULES = EfficiencyRules(land_use_system="gbt21010")
FLOATS = ("far", "coverage", "tax_per_mu", "output_per_mu", "score", "potential_m2", "area_mu")


def box(x, y, w=100.0, h=100.0):
    return shapely.box(x, y, x + w, y + h)


def city(rng: random.Random, columns=8, rows=6):
    """A grid of 100 m parcels in three districts with one or two buildings on most, values of every kind."""
    parcels, geoms, buildings, footprints = [], [], [], []
    fid = 0
    for cx in range(columns):
        for cy in range(rows):
            fid += 1
            geoms.append(box(cx * 100.0, cy * 100.0))
            parcels.append({
                "parcel_id": f"P{fid}", "land_use": rng.choice(["0601", "0601", "0601", "0602", "0701"]),
                "district": "西区" if cx < 3 else ("中区" if cx < 6 else " 东区 "),
                "tax": rng.choice([None, rng.uniform(1, 80), rng.uniform(1, 80), f"{rng.uniform(1, 80):.1f}"]),
                "output": rng.choice([rng.uniform(100, 5000), rng.uniform(100, 5000), None]),
                "idle": rng.choice([0, 0, 0, 1, "是"]), "scale": rng.choice(["规上", "规上", None, "规下"]),
                "far": rng.choice([0.5, "0.8", 1.6, None])})
            for _ in range(rng.choice([0, 1, 1, 2])):
                w, h = rng.uniform(10, 60), rng.uniform(10, 60)
                x, y = cx * 100.0 + rng.uniform(-10, 100 - w), cy * 100.0 + rng.uniform(0, 100 - h)
                footprints.append(box(x, y, w, h))
                buildings.append({"floors": rng.choice([1, 2, 3, 6, None]), "height": rng.choice([None, 12.0, 30.0])})
    frame = pd.DataFrame(parcels, index=pd.Index(range(1, fid + 1), name="fid"))
    bframe = pd.DataFrame(buildings, index=pd.Index(range(1, len(buildings) + 1), name="fid"))
    return frame, geoms, bframe, footprints


def batch(live: LiveParcels) -> pd.DataFrame:
    """The whole run on the cache's current state, as the algorithm runs it on the layers."""
    frame = pd.DataFrame({c: live.frame[c].tolist() for c in live.frame.columns}, index=live.frame.index)
    buildings = live.buildings.table if live.buildings is not None else None
    kwargs = {}
    if buildings is not None:
        kwargs = {"building_geoms": np.asarray(state["footprints"].loc[buildings.index].tolist(), dtype=object),
                  "building_floors": state["bframe"].loc[buildings.index, "floors"].reset_index(drop=True),
                  "building_heights": state["bframe"].loc[buildings.index, "height"].reset_index(drop=True)}
    return evaluate(frame, np.asarray(live.geometry.tolist(), dtype=object), rules=RULES, as_of=AS_OF, **kwargs)


state: dict = {}  # the buildings' raw state (what the layer holds), for the batch run


def partition(ids: pd.Series) -> set:
    return {frozenset(group.index) for _, group in ids[ids > 0].groupby(ids[ids > 0])}


def assert_same_as_batch(live: LiveParcels) -> None:
    full = batch(live)
    mine = live.result
    assert list(mine.index) == list(full.index)
    for name in OUTPUT_COLUMNS:
        if name == "cluster_id":
            assert partition(mine[name]) == partition(full[name])
            continue
        if name in FLOATS:
            np.testing.assert_allclose(mine[name].to_numpy(dtype=float), full[name].to_numpy(dtype=float),
                                       rtol=1e-9, equal_nan=True, err_msg=name)
        else:
            pd.testing.assert_series_equal(mine[name].astype(object), full[name].astype(object), check_names=False,
                                           obj=name)
    # cluster numbers too: by area over the whole layer, the same numbering
    assert mine["cluster_id"].tolist() == full["cluster_id"].tolist()


def start(seed: int = 1, with_buildings: bool = True) -> LiveParcels:
    rng = random.Random(seed)
    frame, geoms, bframe, footprints = city(rng)
    state["bframe"] = bframe.copy()
    state["footprints"] = pd.Series(footprints, index=bframe.index, dtype=object)
    if not with_buildings:
        return LiveParcels(frame, geoms, rules=RULES, as_of=AS_OF)
    return LiveParcels(frame, geoms, bframe, footprints, rules=RULES, as_of=AS_OF)


def edit_parcel(live, fid, geometry=None, **values):
    row = {name: live.frame.at[fid, name] for name in live.frame.columns} | values
    frame = pd.DataFrame({name: [row[name]] for name in live.frame.columns}, index=pd.Index([fid], name="fid"))
    return live.update(frame, [live.geometry.loc[fid] if geometry is None else geometry])


def edit_building(live, fid, geometry=None, **values):
    row = (state["bframe"].loc[fid].to_dict() if fid in state["bframe"].index else {"floors": None, "height": None})
    row |= values
    others = state["bframe"].drop(index=fid, errors="ignore")
    new = pd.DataFrame([row], index=pd.Index([fid], name="fid"), dtype=object)
    state["bframe"] = pd.concat([others.astype(object), new]).loc[
        [*state["bframe"].index] + ([] if fid in state["bframe"].index else [fid])]
    if geometry is not None:
        state["footprints"].loc[fid] = geometry
    frame = pd.DataFrame([row], index=pd.Index([fid], name="fid"))
    return live.update(buildings=frame, building_geometries=[state["footprints"].loc[fid]])


def delete_building(live, fid):
    state["bframe"] = state["bframe"].drop(index=fid)
    state["footprints"] = state["footprints"].drop(index=fid)
    return live.update(buildings_deleted=[fid])


def test_start_equals_batch():
    assert_same_as_batch(start())


def test_without_buildings_the_far_column_is_read_in_the_unit_of_the_whole_column():
    live = start(with_buildings=False)
    assert_same_as_batch(live)
    # FAR in percent on most parcels: the whole column is read in percent, every district judged again
    for fid in list(live.frame.index)[:30]:
        edit_parcel(live, fid, far=120.0)
    assert live.resolved.far_unit == "percent"
    assert_same_as_batch(live)
    edit_parcel(live, 31, far=0.9)
    assert_same_as_batch(live)


def test_a_floor_area_change_regrades_the_district_and_only_redraws_what_changed():
    live = start()
    fid = int(live.frame.index[live.frame["land_use"].eq("0601").to_numpy()][0])
    building = int(live.buildings.index.query(shapely.bounds(live.clean.loc[[fid]].to_numpy())).pop())
    before = live.result.copy()
    changed = edit_building(live, building, floors=40)
    assert_same_as_batch(live)
    assert changed, "a 40-storey building changes the FAR of the parcels it stands on"
    unchanged = set(live.result.index) - changed
    pd.testing.assert_frame_equal(live.result.loc[sorted(unchanged)].astype(object),
                                  before.loc[sorted(unchanged)].astype(object))


def test_moving_a_parcel_changes_its_cluster_and_district_grades():
    live = start(3)
    fid = 10
    changed = edit_parcel(live, fid, shapely.affinity.translate(live.geometry.loc[fid], 30, 0))
    assert fid in changed
    assert_same_as_batch(live)


def test_a_parcel_moved_a_few_millimetres_off_its_neighbour_stays_in_its_cluster():
    """Moved 5 mm away from its western neighbour (within the profile's 1 cm), a flagged parcel still shares that
    edge: the neighbours an edit measures again are those within the tolerance of it, not only those whose boxes
    meet its own (which the gap no longer does)."""
    live = start(3)
    rows = 6  # the city's grid: the western neighbour of fid k is k - 6
    flagged = live.result["low_eff"].eq(1)
    fid = next(k for k in live.result.index if k > rows and flagged[k] and flagged[k - rows]
               and live.result.at[k, "cluster_id"] == live.result.at[k - rows, "cluster_id"])
    edit_parcel(live, fid, shapely.affinity.translate(live.geometry.loc[fid], 0.005, 0))
    assert_same_as_batch(live)
    assert (fid - rows, fid) in set(zip(*(pairs.tolist() for pairs in live.pairs)))


def test_district_change_regrades_both_districts():
    live = start(4)
    changed = edit_parcel(live, 2, district="东区")
    assert_same_as_batch(live)
    assert 2 in changed


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_edit_sequences_equal_a_batch_run_after_every_edit(seed):
    """Moves, attribute changes (tax, output, land use, district, id, idle, the FAR-relevant storeys of buildings),
    deletes, adds, building edits and undo (an earlier state put back), in a seeded random order."""
    rng = random.Random(seed)
    live = start(seed)
    history = []  # (kind, fid, previous state) for undo
    next_parcel, next_building = 1000, 1000
    for _step in range(40):
        kind = rng.choice(["move", "attr", "attr", "district", "id", "delete", "add", "bmove", "bfloors", "badd",
                           "bdelete", "undo", "undo"])
        fids = list(live.frame.index)
        if kind in ("move", "attr", "district", "id", "delete") and fids:
            fid = rng.choice(fids)
            history.append(("parcel", fid, live.frame.loc[fid].to_dict(), live.geometry.loc[fid]))
            if kind == "move":
                edit_parcel(live, fid, shapely.affinity.translate(live.geometry.loc[fid], rng.uniform(-60, 60),
                                                                  rng.choice([0.0, rng.uniform(-60, 60)])))
            elif kind == "attr":
                name = rng.choice(["tax", "output", "land_use", "idle", "scale"])
                value = {"tax": rng.choice([None, rng.uniform(0, 200), "abc"]),
                         "output": rng.choice([rng.uniform(0, 9000), None]),
                         "land_use": rng.choice(["0601", "0602", "0701", None]), "idle": rng.choice([0, 1]),
                         "scale": rng.choice(["规上", "规下", None])}[name]
                edit_parcel(live, fid, **{name: value})
            elif kind == "district":
                edit_parcel(live, fid, district=rng.choice(["西区", "中区", "东区"]))
            elif kind == "id":
                edit_parcel(live, fid, parcel_id=rng.choice([f"P{rng.choice(fids)}", f"N{fid}"]))
            else:
                live.update(deleted=[fid])
        elif kind == "add":
            next_parcel += 1
            x, y = rng.uniform(0, 700), rng.uniform(0, 500)
            frame = pd.DataFrame({"parcel_id": [f"P{next_parcel}"], "land_use": ["0601"], "district": ["中区"],
                                  "tax": [rng.uniform(1, 80)], "output": [rng.uniform(100, 5000)], "idle": [0],
                                  "scale": ["规上"], "far": [1.0]}, index=pd.Index([next_parcel], name="fid"))
            history.append(("added", next_parcel, None, None))
            live.update(frame, [box(x, y, 80, 90)])
        elif kind in ("bmove", "bfloors", "bdelete") and len(state["bframe"]):
            fid = rng.choice(list(state["bframe"].index))
            history.append(("building", fid, state["bframe"].loc[fid].to_dict(), state["footprints"].loc[fid]))
            if kind == "bmove":
                edit_building(live, fid, shapely.affinity.translate(state["footprints"].loc[fid],
                                                                    rng.uniform(-80, 80), rng.uniform(-80, 80)))
            elif kind == "bfloors":
                edit_building(live, fid, floors=rng.choice([1, 4, 12, None, "8F"]))
            else:
                delete_building(live, fid)
        elif kind == "badd":
            next_building += 1
            history.append(("building_added", next_building, None, None))
            edit_building(live, next_building, box(rng.uniform(0, 750), rng.uniform(0, 550), 30, 30), floors=5)
        elif kind == "undo" and history:
            what, fid, values, geometry = history.pop()
            if what == "parcel":
                if fid in live.frame.index:
                    edit_parcel(live, fid, geometry, **values)
                else:  # a delete undone: the parcel is back
                    frame = pd.DataFrame({k: [v] for k, v in values.items()}, index=pd.Index([fid], name="fid"))
                    live.update(frame, [geometry])
            elif what == "added":
                live.update(deleted=[fid])
            elif what == "building":
                if fid in state["bframe"].index:
                    edit_building(live, fid, geometry, **values)
                else:
                    state["footprints"].loc[fid] = geometry
                    edit_building(live, fid, geometry, **values)
            elif what == "building_added" and fid in state["bframe"].index:
                delete_building(live, fid)
        assert_same_as_batch(live)


def test_parcels_without_district_are_judged_with_the_whole_layer():
    live = start(5)
    edit_parcel(live, 3, district=None)
    assert_same_as_batch(live)
    edit_parcel(live, 20, tax=500.0)  # moves the layer-wide reference parcel 3 is judged against
    assert_same_as_batch(live)


def test_an_edit_that_changes_nothing_read_judges_nothing():
    """A field the evaluation does not read edited (or a value set to what it was): no district judged again."""
    live = start(6)
    judged = []
    original = live._judge
    live._judge = lambda rows: judged.append(len(rows)) or original(rows)
    fid = 5
    tax = live.frame.at[fid, "tax"]
    assert edit_parcel(live, fid, tax=tax) == set()  # the same value again
    if isinstance(tax, float) and tax == tax:
        assert edit_parcel(live, fid, tax=int(tax) if tax == int(tax) else tax) == set()
    building = int(state["bframe"].index[0])
    assert edit_building(live, building) == set()  # the same footprint and storeys
    assert not judged
    edit_parcel(live, fid, tax=123.0)
    assert judged  # a value that did change: its district judged again
    assert_same_as_batch(live)

