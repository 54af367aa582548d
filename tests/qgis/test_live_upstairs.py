"""Live upstairs check (gui.live_upstairs): a scripted sequence of edits on a plans layer in edit mode — a plan
moved onto farmland, its floor area changed at and below the FAR threshold, a plan added over two others, one
deleted, undo, redo, a commit, more edits rolled back and saved (neither reading every plan again) — and after
each, the live results equal the batch algorithm run on the layer's current state written out to a GeoPackage
(compared per plan id, rule and violation). Turning live mode off removes its layer and its connections, and the
edit buffer is the same before and after."""
import json
import math
import time

import pandas as pd
import pytest
import shapely
from qgis.core import QgsApplication, QgsGeometry, QgsProject, QgsVectorFileWriter
from qgis.PyQt.QtCore import Qt
from test_upstairs_algorithm import polygon_layer, run
from upstairs_data import FIELDS, GOOD, case_plans, constraint_layers, plan_geometry

from land_bureau_plugin.gui.live_upstairs import LIVE_LAYER_KEY, LiveUpstairs
from land_bureau_plugin.i18n import tr, translate_in
from land_bureau_plugin.processing.upstairs import rule_label
from land_bureau_plugin.resources_path import resources_dir

COMPARED = ("passed", "failed_rules", "unchecked_rules", "reasons", "far", "area_m2", "area_diff_pct", "farmland_m2",
            "redline_m2", "outside_boundary_m2", "non_industrial_m2", "overlap_m2")


STARTED = []  # checkers a test started: stopped at teardown even when the test failed half-way


def checker_of(plans, constraints):
    checker = LiveUpstairs(plans, constraints)
    STARTED.append(checker)
    return checker


@pytest.fixture()
def setup(plugin, make_layer):
    rows = case_plans()
    shapes = constraint_layers(rows)
    plans = make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案")
    constraints = {"farmland": polygon_layer(make_layer, shapes["farmland"], "永久基本农田"),
                   "redline": polygon_layer(make_layer, shapes["redline"], "生态保护红线"),
                   "urban_boundary": polygon_layer(make_layer, shapes["urban_boundary"], "城镇开发边界"),
                   "landuse": polygon_layer(make_layer, shapes["landuse"], "用地规划", codes=shapes["landuse_codes"])}
    QgsProject.instance().addMapLayers([plans, *constraints.values()])
    yield rows, plans, constraints
    while STARTED:
        STARTED.pop().stop()
    if plans.isEditable():
        plans.rollBack()
    QgsProject.instance().removeAllMapLayers()
    QgsApplication.processEvents()


def settle(checker, seconds=30):
    """Let the event loop turn and the check run, as the desktop's does."""
    deadline = time.monotonic() + seconds
    while checker.timer.isActive() or checker.pending:
        QgsApplication.processEvents()
        time.sleep(0.005)
        assert time.monotonic() < deadline, "the live check did not run"
    QgsApplication.processEvents()


def fid_of(layer, pid):
    return next(f.id() for f in layer.getFeatures() if f["方案编号"] == pid)


def multi(geometry):
    return QgsGeometry.fromWkt(shapely.to_wkt(shapely.MultiPolygon([geometry])))


def command(layer, text, do):
    """One undoable edit, as a map tool or the attribute form makes it."""
    layer.beginEditCommand(text)
    do()
    layer.endEditCommand()


def batch(layer, constraints, checker, tmp_path, step, **extra):
    """The algorithm on the layer's current state: the edit buffer written out to a GeoPackage, then checked."""
    path = str(tmp_path / f"edited_{step}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, path, QgsProject.instance().transformContext(),
                                                       options)
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    return run(INPUT=path, FIELD_MAP=json.dumps(checker.field_map, ensure_ascii=False),
               LANDUSE_FIELD_MAP=json.dumps({"land_use": "用地性质"}), CHECKS="memory:",
               FARMLAND=constraints["farmland"], REDLINE=constraints["redline"],
               URBAN_BOUNDARY=constraints["urban_boundary"], LANDUSE=constraints["landuse"], **extra)


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == pytest.approx(b, rel=1e-9, abs=1e-6)
    return a == b


def plain(value):
    """A NULL QVariant, NaN or pandas NA as None; other values as they are."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    try:
        return None if value != value else value
    except TypeError:  # pandas NA
        return None


def occurrences(pairs):
    """{key: (plan id, n)} for (key, plan id) pairs in plan order: the n-th plan of that id (a pasted copy keeps its
    id, so an id alone does not name a plan)."""
    seen, named = {}, {}
    for key, pid in pairs:
        seen[pid] = seen.get(pid, -1) + 1
        named[key] = (pid, seen[pid])
    return named


def assert_live_equals_batch(checker, layer, constraints, tmp_path, step, **extra):
    out = batch(layer, constraints, checker, tmp_path, step, **extra)
    live = checker.live
    ids = occurrences((fid, live.frame.at[fid, "plan_id"]) for fid in live.frame.index)
    assert sorted(ids.values()) == sorted(occurrences(enumerate(f["方案编号"] for f in layer.getFeatures())).values())
    features = list(out["OUTPUT"].getFeatures())
    batch_plans = {occurrences(enumerate(f["方案编号"] for f in features))[n]: f for n, f in enumerate(features)}
    assert len(batch_plans) == len(ids)
    for fid, key in ids.items():
        for column in COMPARED:
            mine, theirs = plain(live.plans.at[fid, column]), plain(batch_plans[key][column])
            assert same(mine, theirs), (step, key, column, mine, theirs)
        mine, theirs = live.plans.at[fid, "overlap_plans"], plain(batch_plans[key]["overlap_plans"]) or ""
        assert set(mine.split(",")) == set(theirs.split(",")), (step, key)
    checks = list(out["CHECKS"].getFeatures())  # plan-major in the layer's order
    batch_ids = occurrences(dict.fromkeys((f["plan_fid"], f["plan_id"]) for f in checks))
    batch_checks = {(batch_ids[f["plan_fid"]], f["rule_id"]): f for f in checks}
    live_checks = {(ids[row.plan], row.rule_id): row for row in live.checks.itertuples()}
    assert live_checks.keys() == batch_checks.keys()
    for key, row in live_checks.items():
        assert row.status == batch_checks[key]["status"], (step, key)
        assert same(plain(row.value), plain(batch_checks[key]["value"])), (step, key)
    batch_pieces = {(batch_ids[f["plan_fid"]], f["rule_id"]): f for f in out["VIOLATIONS"].getFeatures()}
    live_pieces = {(ids[f["plan_fid"]], f["rule_id"]): f for f in checker.violation_layer.getFeatures()}
    assert live_pieces.keys() == batch_pieces.keys(), step
    for key, piece in live_pieces.items():
        assert piece["area_m2"] == pytest.approx(batch_pieces[key]["area_m2"], rel=1e-9), (step, key)
        assert piece.geometry().area() == pytest.approx(batch_pieces[key].geometry().area(), rel=1e-6), (step, key)
    return {key[0]: feature for key, feature in batch_plans.items() if key[1] == 0}


def buffer_state(layer):
    """The uncommitted changes of a layer, for comparing before and after."""
    buffer = layer.editBuffer()
    return (sorted(buffer.addedFeatures()), {k: v.asWkt() for k, v in buffer.changedGeometries().items()},
            {k: dict(v) for k, v in buffer.changedAttributeValues().items()}, sorted(buffer.deletedFeatureIds()),
            layer.undoStack().count(), layer.undoStack().index(), layer.isModified())


def status_of(checker, pid, rule_id):
    live = checker.live
    fid = next(fid for fid in live.frame.index if live.frame.at[fid, "plan_id"] == pid)
    checks = live.checks
    return checks.loc[(checks["plan"] == fid) & (checks["rule_id"] == rule_id), "status"].item()


def test_scripted_edits_give_the_batch_result_after_each(setup, tmp_path):
    rows, plans, constraints = setup
    plans.startEditing()
    checker = checker_of(plans, constraints)
    failures = []
    checker.failed.connect(failures.append)
    assert checker.start(), failures
    assert_live_equals_batch(checker, plans, constraints, tmp_path, "start")
    assert status_of(checker, "P-OK", "farmland") == "pass"

    ok = fid_of(plans, "P-OK")  # moved onto P-FARM's farmland (P-FARM itself moved out of the way)
    farm = plan_geometry(rows, "P-FARM")
    command(plans, "move", lambda: plans.changeGeometry(fid_of(plans, "P-FARM"),
                                                        multi(shapely.affinity.translate(farm, 0, 300))))
    command(plans, "move", lambda: plans.changeGeometry(ok, multi(farm)))
    settle(checker)
    out = assert_live_equals_batch(checker, plans, constraints, tmp_path, "onto farmland")
    assert status_of(checker, "P-OK", "farmland") == "fail" and out["P-OK"]["farmland_m2"] > 0
    assert status_of(checker, "P-FARM", "farmland") == "pass"

    area = plans.fields().indexOf("建筑面积")  # FAR = floor area / 10 000 m²: exactly 2.0 passes, just below fails
    for floor, expected in ((20_000.0, "pass"), (19_999.0, "fail"), (20_001.0, "pass")):
        command(plans, "FAR", lambda floor=floor: plans.changeAttributeValue(ok, area, floor))
        settle(checker)
        assert status_of(checker, "P-OK", "far") == expected
        assert_live_equals_batch(checker, plans, constraints, tmp_path, f"floor {floor}")

    new = plan("P-NEW", shapely.affinity.translate(plan_geometry(rows, "P-OV1"), 30, 50))  # over P-OV1 and P-OV2
    feature = plans_feature(plans, new)
    command(plans, "add", lambda: plans.addFeature(feature))
    settle(checker)
    out = assert_live_equals_batch(checker, plans, constraints, tmp_path, "added")
    assert set(out["P-NEW"]["overlap_plans"].split(",")) == {"P-OV1", "P-OV2"}

    command(plans, "delete", lambda: plans.deleteFeature(fid_of(plans, "P-OV2")))
    settle(checker)
    assert_live_equals_batch(checker, plans, constraints, tmp_path, "deleted")

    pasted = pasted_copies(plans, ["P-OK", "P-FAR"], 0, 400)  # as Edit → Paste Features adds them: one command
    command(plans, "Features pasted", lambda: plans.addFeatures(pasted))
    settle(checker)
    out = assert_live_equals_batch(checker, plans, constraints, tmp_path, "pasted")
    assert "P-OK" in out and sum(f["方案编号"] == "P-OK" for f in plans.getFeatures()) == 2  # its id now twice

    for step, action in (("undo paste", plans.undoStack().undo), ("redo paste", plans.undoStack().redo),
                         ("undo paste again", plans.undoStack().undo),
                         ("undo delete", plans.undoStack().undo), ("undo add", plans.undoStack().undo),
                         ("redo add", plans.undoStack().redo), ("undo add again", plans.undoStack().undo),
                         ("undo FAR 20 001", plans.undoStack().undo)):
        action()
        settle(checker)
        assert_live_equals_batch(checker, plans, constraints, tmp_path, step)
    assert status_of(checker, "P-OK", "far") == "fail"  # back to 19 999 m²

    loads = []
    original = checker.load_all
    checker.load_all = lambda: loads.append(1) or original()
    assert plans.commitChanges()  # the added plans get their saved ids: only what the buffer held is read again
    settle(checker)
    assert_live_equals_batch(checker, plans, constraints, tmp_path, "committed")
    for step, save in (("rolled back", plans.rollBack), ("saved again", plans.commitChanges)):
        plans.startEditing()
        command(plans, "move", lambda: plans.changeGeometry(fid_of(plans, "P-FARM"), multi(farm)))  # noqa: B023
        command(plans, "delete", lambda: plans.deleteFeature(fid_of(plans, "P-OV1")))
        feature = plans_feature(plans, new)
        command(plans, "add", lambda: plans.addFeature(feature))  # noqa: B023
        settle(checker)
        assert_live_equals_batch(checker, plans, constraints, tmp_path, f"before {step}")
        assert save()
        settle(checker)
        assert_live_equals_batch(checker, plans, constraints, tmp_path, step)
    assert not loads  # no save or rollback read every plan again
    assert not failures
    checker.stop()


def pasted_copies(layer, pids, dx, dy):
    """Copies of the plans `pids` moved by (dx, dy), attributes and all, as QGIS pastes copied features."""
    from qgis.core import QgsFeature

    copies = []
    for source in (f for f in layer.getFeatures() if f["方案编号"] in pids):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(source.attributes())
        geometry = QgsGeometry(source.geometry())
        geometry.translate(dx, dy)
        feature.setGeometry(geometry)
        copies.append(feature)
    return copies


def test_one_operation_is_checked_once_when_it_is_over(setup):
    """A field calculator over every plan, and its undo, emit a burst of signals inside one call: nothing is
    checked during it, one check runs on all of it when the event loop turns — no timer wait needed."""
    rows, plans, constraints = setup
    plans.startEditing()
    checker = checker_of(plans, constraints)
    assert checker.start()
    runs = []
    checker.updated.connect(runs.append)
    area = plans.fields().indexOf("建筑面积")
    fids = [f.id() for f in plans.getFeatures()]
    plans.beginEditCommand("Field calculator")
    for fid in fids:
        plans.changeAttributeValue(fid, area, 19_999.0)
    assert checker.pending == set(fids) and not runs  # inside the operation: collected, not checked
    plans.endEditCommand()
    settle(checker)
    assert len(runs) == 1 and set(fids) <= runs[0]
    assert status_of(checker, "P-OK", "far") == "fail"  # 19 999 m² of floor on 10 000 m²: FAR just below 2
    runs.clear()
    plans.undoStack().undo()
    assert not runs
    settle(checker)
    assert len(runs) == 1 and set(fids) <= runs[0]
    assert status_of(checker, "P-OK", "far") == "pass"


def plan(pid, geometry):
    return {"wkt": shapely.to_wkt(shapely.MultiPolygon([geometry])), "方案编号": pid, **GOOD}


def plans_feature(layer, row):
    from qgis.core import QgsFeature

    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt(row["wkt"]))
    feature.setAttributes([row.get(name) for name, _ in FIELDS])
    return feature


def test_turning_live_mode_off_leaves_no_trace_and_the_edit_buffer_as_it_was(setup):
    rows, plans, constraints = setup
    project = QgsProject.instance()
    layers_before = set(project.mapLayers())
    plans.startEditing()
    command(plans, "move", lambda: plans.changeGeometry(fid_of(plans, "P-OK"), multi(plan_geometry(rows, "P-FARM"))))
    before = buffer_state(plans)
    from qgis.core import QgsLayerTreeRegistryBridge

    root = project.layerTreeRoot()  # as in the desktop with the bottom layer selected: new layers go under it
    project.layerTreeRegistryBridge().setLayerInsertionPoint(QgsLayerTreeRegistryBridge.InsertionPoint(
        root, len(root.children())))
    checker = checker_of(plans, constraints)
    assert checker.start()
    project.layerTreeRegistryBridge().setLayerInsertionPoint(QgsLayerTreeRegistryBridge.InsertionPoint(root, 0))
    assert checker.violation_layer.id() in project.mapLayers()
    assert checker.violation_layer.customProperty(LIVE_LAYER_KEY) == plans.id()
    assert project.layerTreeRoot().children()[0].layer() is checker.violation_layer  # drawn above every layer
    assert buffer_state(plans) == before  # starting reads only
    area = plans.fields().indexOf("建筑面积")
    command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 1.0))
    settle(checker)
    during = buffer_state(plans)
    assert during != before  # the user's own edit is there, and nothing else
    checker.stop()
    assert set(project.mapLayers()) == layers_before
    assert not checker.connections
    assert buffer_state(plans) == during
    checked = checker.live.plans.copy()
    command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 30_000.0))
    QgsApplication.processEvents()
    time.sleep(0.2)
    QgsApplication.processEvents()
    assert not checker.pending and not checker.timer.isActive()  # no longer listening
    assert checker.live.plans.equals(checked)


def test_the_panel_shows_live_results_and_cleans_up(setup, plugin):
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    layers_before = set(QgsProject.instance().mapLayers())
    dock.live_box.setChecked(True)
    assert dock.live is not None
    assert dock.layer_ids["violations"] in QgsProject.instance().mapLayers()
    items = {dock.tree.topLevelItem(i).text(0): dock.tree.topLevelItem(i) for i in range(dock.tree.topLevelItemCount())}
    assert items["P-FAR"].text(1).startswith("✘") and items["P-OK"].text(1).startswith("✔")
    area = plans.fields().indexOf("建筑面积")
    command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 10_000.0))
    settle(dock.live)
    items = {dock.tree.topLevelItem(i).text(0): dock.tree.topLevelItem(i) for i in range(dock.tree.topLevelItemCount())}
    assert items["P-OK"].text(1).startswith("✘") and len(items) == len(rows)
    items["P-OK"].setExpanded(True)
    far = next(items["P-OK"].child(i) for i in range(items["P-OK"].childCount())
               if items["P-OK"].child(i).data(0, Qt.ItemDataRole.UserRole)[2] == "far")
    assert far.text(1).startswith("✘") and far.text(2) == "1"  # 10 000 m² of floor on 10 000 m² of land
    command(plans, "delete", lambda: plans.deleteFeature(fid_of(plans, "P-FAR")))
    settle(dock.live)
    names = [dock.tree.topLevelItem(i).text(0) for i in range(dock.tree.topLevelItemCount())]
    assert "P-FAR" not in names and len(names) == len(rows) - 1
    plans.undoStack().undo()
    settle(dock.live)
    names = [dock.tree.topLevelItem(i).text(0) for i in range(dock.tree.topLevelItemCount())]
    assert names.count("P-FAR") == 1 and len(names) == len(rows)
    assert dock.items[fid_of(plans, "P-OK")].isExpanded()  # the open plan stays open while others change
    dock.live_box.setChecked(False)
    assert dock.live is None and set(QgsProject.instance().mapLayers()) == layers_before
    # the live checklist goes with live mode: it was of edits no run made (they may be rolled back next)
    assert dock.tree.topLevelItemCount() == 0 and "Live check off" in dock.summary.text()


def test_the_checklist_tells_apart_plans_sharing_an_id(setup, plugin):
    """A pasted copy keeps its original's id: the checklist names both with their feature ids — "P-FAR (feature
    3)", "P-FAR (feature -1)" — as the save warning does (one rule: upstairs_plans.plan_names), where it showed
    "P-FAR" twice; once the copy gets an id of its own both are named by their ids again. A run's checklist
    names them the same way."""
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock, checklist_names

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    dock.live_box.setChecked(True)
    try:
        original = fid_of(plans, "P-FAR")
        command(plans, "Features pasted", lambda: plans.addFeatures(pasted_copies(plans, ["P-FAR"], 0, 400)))
        settle(dock.live)
        copy = next(f.id() for f in plans.getFeatures() if f["方案编号"] == "P-FAR" and f.id() != original)
        names = {dock.items[fid].text(0) for fid in (original, copy)}
        named = translate_in("reasons", "{plan} (feature {fid})")
        assert names == {named.format(plan="P-FAR", fid=original), named.format(plan="P-FAR", fid=copy)}
        assert dock.items[fid_of(plans, "P-FARM")].text(0) == "P-FARM"  # an id of its own: alone
        assert dock.tree.topLevelItemCount() == len(rows) + 1
        plan_id = plans.fields().indexOf("方案编号")
        command(plans, "id", lambda: plans.changeAttributeValue(copy, plan_id, "P-FAR-2"))
        settle(dock.live)
        assert (dock.items[original].text(0), dock.items[copy].text(0)) == ("P-FAR", "P-FAR-2")
    finally:
        dock.live_box.setChecked(False)
    checks = pd.DataFrame({"plan_fid": [3, 3, 7, 9], "plan_id": ["P-1", "P-1", "P-1", None], "rule_id": ["far"] * 4})
    assert checklist_names(checks) == {3: named.format(plan="P-1", fid=3), 7: named.format(plan="P-1", fid=7),
                                       9: "#9"}


def test_a_run_while_live_turns_live_mode_off_first(setup, plugin, wait_until_idle):
    """Run pressed with live mode on: live mode is turned off (its layer and connections gone) and the run's
    checklist, layers and Print follow — the run replaced live mode's own violations layer under the checker,
    which went on drawing into a layer no longer in the project."""
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    dock.live_box.setChecked(True)
    live_layer = dock.live.violation_layer.id()
    dock.run()
    assert dock.live is None and not dock.live_box.isChecked()
    assert QgsProject.instance().mapLayer(live_layer) is None
    wait_until_idle(dock)
    assert dock.tree.topLevelItemCount() == len(rows) and dock.progress.value() == 100
    assert dock.printed_layer() is QgsProject.instance().mapLayer(dock.layer_ids["result"])
    assert QgsProject.instance().mapLayer(dock.layer_ids["violations"]) is not None


def test_the_live_summary_gives_the_counts_a_run_gives(setup, plugin, tmp_path):
    """The live line left out 未核查: it says how many plans pass, fail and are not checked, as the run's summary
    does — the numbers of a batch run on the layer as edited, before and after an edit."""
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    _rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    height = plans.fields().indexOf("建筑高度")
    command(plans, "height", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), height, None))
    dock.live_box.setChecked(True)
    try:
        for step in ("no height", "height 40"):
            settle(dock.live)
            counts = json.loads(batch(plans, constraints, dock.live, tmp_path, step.replace(" ", "_"))["SUMMARY"])
            assert counts["not_checked"] == (1 if step == "no height" else 0)  # P-OK alone lacks a value
            assert dock.summary.text() == (f"Live check: {counts['plans']} plans; passed {counts['passed']}, "
                                           f"failed {counts['failed']}, not checked {counts['not_checked']}"), step
            command(plans, "height", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), height, "40"))
    finally:
        dock.live_box.setChecked(False)


def profile_saying(tmp_path, policy):
    profile = json.loads((resources_dir() / "profiles" / "default.json").read_text(encoding="utf-8"))
    profile["upstairs"]["on_save_failing"] = policy
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    return path


def warning_checker(setup, tmp_path, policy="warn"):
    """The plans in edit mode and a started checker whose profile says `policy` on saving failing plans: (plans
    layer, checker, the lines of every save warning it emits)."""
    _rows, plans, constraints = setup
    plans.startEditing()
    checker = LiveUpstairs(plans, constraints, str(profile_saying(tmp_path, policy)))
    STARTED.append(checker)
    said = []
    checker.failing_on_save.connect(said.append)
    assert checker.start()
    return plans, checker, said


@pytest.mark.parametrize("policy", ["warn", "block", "off"])
def test_saving_with_failing_plans_names_them_unless_the_profile_says_off(setup, tmp_path, policy):
    """commitChanges called directly (a script; any save in a QGIS before 4.0) cannot be refused: under "block"
    too the plans and rules are named."""
    plans, checker, said = warning_checker(setup, tmp_path, policy)
    area = plans.fields().indexOf("建筑面积")
    command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 19_999.0))
    assert plans.commitChanges(False)  # before the event loop turns: the save brings the checks up to date first
    if policy == "off":
        assert not said
        return
    lines = said[-1]
    live = checker.live
    failing = {live.frame.at[fid, "plan_id"] for fid in live.plans.index[live.plans["passed"] == 0]}
    assert "P-OK" in failing and {line.split(": ")[0] for line in lines} == failing
    assert rule_label("far") in next(line for line in lines if line.startswith("P-OK: "))
    assert rule_label("height") in next(line for line in lines if line.startswith("P-HEIGHT: "))
    failing_fids = [fid for fid in live.plans.index if live.plans.at[fid, "passed"] == 0]
    command(plans, "delete", lambda: plans.deleteFeatures(failing_fids))
    said.clear()
    assert plans.commitChanges(False) and not said  # nothing fails any more: nothing to say


def test_the_save_warning_tells_apart_plans_sharing_an_id(setup, tmp_path):
    """A copy of P-FAR pasted far from everything keeps its id and its FAR: both plans fail the FAR rule, and the
    warning names each — the id with its feature id — where it said "P-FAR: 容积率" twice (the acceptance tester
    read it as one plan); a plan whose id no other plan has is named by its id alone."""
    plans, _checker, said = warning_checker(setup, tmp_path)
    original = fid_of(plans, "P-FAR")
    command(plans, "Features pasted", lambda: plans.addFeatures(pasted_copies(plans, ["P-FAR"], 0, 400)))
    copy = next(f.id() for f in plans.getFeatures() if f["方案编号"] == "P-FAR" and f.id() != original)
    assert plans.commitChanges(False)
    lines = said[-1]
    far = rule_label("far")
    both = [line for line in lines if line.split(": ")[0].split(" (")[0] == "P-FAR"]  # not P-FARM
    assert len(both) == 2 and all(far in line for line in both), lines
    # the copy named by the feature id it had while edited: the warning comes before the save gives it another
    named = translate_in("reasons", "{plan} (feature {fid})")
    assert {line.split(": ")[0] for line in both} == {named.format(plan="P-FAR", fid=fid) for fid in (original, copy)}
    assert any(line.startswith("P-HEIGHT: ") for line in lines)  # an id of its own: named alone


def test_the_save_warning_lists_plans_sharing_an_id_next_to_each_other(setup, tmp_path):
    """A pasted copy of P-HEIGHT (a new feature: listed first, P-FAR between it and its original) is named beside
    the plan whose id it shares, where the first of the two stands."""
    plans, _checker, said = warning_checker(setup, tmp_path)
    command(plans, "Features pasted", lambda: plans.addFeatures(pasted_copies(plans, ["P-HEIGHT"], 0, 400)))
    assert plans.commitChanges(False)
    names = [line.split(": ")[0].split(" (")[0] for line in said[-1]]
    at = [i for i, name in enumerate(names) if name == "P-HEIGHT"]
    assert len(at) == 2 and at[1] == at[0] + 1, said[-1]
    assert len(set(names)) == len(names) - 1  # every other plan once


@pytest.mark.parametrize("policy", ["block", "warn"])
def test_the_application_asks_before_saving_and_block_refuses_failing_plans(setup, tmp_path, policy):
    """What QGIS 4.0 asks a registered QgsLayerChangesCommitBlockerInterface before saving from the application:
    allow_commit. Under "block" a layer whose plans fail a rule is refused, the plans and rules named, the edit
    buffer as it was; once nothing fails, or for another layer, or under "warn", the save may go ahead."""
    rows, plans, constraints = setup
    plans.startEditing()
    checker = LiveUpstairs(plans, constraints, str(profile_saying(tmp_path, policy)))
    STARTED.append(checker)
    refused = []
    checker.commit_refused.connect(refused.append)
    assert checker.start()
    area = plans.fields().indexOf("建筑面积")
    command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 19_999.0))  # FAR 1.9999
    before = buffer_state(plans)
    assert checker.allow_commit(constraints["farmland"])  # not the plans layer
    if policy == "warn":
        assert checker.allow_commit(plans) and not refused
        return
    assert not checker.allow_commit(plans)  # asked before the event loop turned: the check is brought up to date
    lines = refused[-1]
    assert rule_label("far") in next(line for line in lines if line.startswith("P-OK: "))
    assert buffer_state(plans) == before
    live = checker.live
    command(plans, "delete", lambda: plans.deleteFeatures([fid for fid in live.plans.index
                                                           if live.plans.at[fid, "passed"] == 0]))
    refused.clear()
    assert checker.allow_commit(plans) and not refused


def test_block_in_the_panel_registers_with_qgis_or_says_it_cannot(setup, plugin, tmp_path, monkeypatch):
    """The panel under "block": on a QGIS without the commit-blocker interface (before 4.0) the message bar says
    failing saves will only be warned about; where iface has it, the checker's blocker is registered while live
    mode is on and unregistered when it is turned off."""
    from land_bureau_plugin.gui import live_upstairs
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    dock.profile.setFilePath(str(profile_saying(tmp_path, "block")))
    plans.startEditing()
    said = []
    monkeypatch.setattr(dock, "push", lambda message, level=None: said.append(message))
    has_interface = live_upstairs.commit_blocker(None) is not None
    dock.live_box.setChecked(True)
    if not hasattr(dock.iface, "registerLayerChangesCommitBlocker") or not has_interface:
        assert dock.commit_blocker is None
        assert any("4.0" in message for message in said), said
    dock.live_box.setChecked(False)

    registered = []  # a QGIS 4 interface, as far as the panel uses it
    monkeypatch.setattr(dock.iface, "registerLayerChangesCommitBlocker", registered.append, raising=False)
    monkeypatch.setattr(dock.iface, "unregisterLayerChangesCommitBlocker", registered.remove, raising=False)
    monkeypatch.setattr(live_upstairs, "commit_blocker", lambda checker: ("blocker of", checker))
    dock.live_box.setChecked(True)
    assert registered == [("blocker of", dock.live)] and dock.commit_blocker == registered[0]
    dock.live_box.setChecked(False)
    assert registered == [] and dock.commit_blocker is None


def test_on_and_off_leaves_every_signal_of_the_layers_and_the_project_with_the_receivers_it_had(setup, plugin):
    """Through the panel (the checker, the plans' form boxes, the dock's own connections): the receivers of every
    signal of the plans layer, its edit buffer, each constraint layer, the project and its layer tree, the
    application (its focus tells of forms) and the main window the same after live mode is turned off as before it
    was turned on (twice), and the layers' own settings (renderer, form configuration, custom properties …)
    untouched."""
    from signal_receivers import all_receivers, deferred_deletes, differences, layer_settings

    from land_bureau_plugin.gui.live_check import EDIT_SIGNALS, RELOAD_SIGNALS, SAVE_SIGNALS
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    project = QgsProject.instance()
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    QgsApplication.processEvents()
    deferred_deletes()
    watched = {"plans": plans, "buffer": plans.editBuffer(), "project": project,
               "tree": project.layerTreeRoot(), **constraints,
               "application": QgsApplication.instance(), "main window": dock.iface.mainWindow()}
    before = all_receivers(watched)
    settings = {name: layer_settings(layer) for name, layer in [("plans", plans), *constraints.items()]}
    layers = set(project.mapLayers())
    area = plans.fields().indexOf("建筑面积")
    for _ in range(2):
        dock.live_box.setChecked(True)
        assert dock.live is not None
        during = differences(before, all_receivers(watched))
        listened = [*EDIT_SIGNALS, *RELOAD_SIGNALS, *(name for pair in SAVE_SIGNALS for name in pair[:2]),
                    "willBeDeleted"]
        assert all(during.get(("plans", name), (0, 0))[1] > during.get(("plans", name), (0, 0))[0]
                   for name in listened), during  # the count sees the checker's connections
        assert during[("application", "focusObjectChanged")][1] == during[("application", "focusObjectChanged")][0] + 1
        command(plans, "FAR", lambda: plans.changeAttributeValue(fid_of(plans, "P-OK"), area, 1.0))
        settle(dock.live)
        dock.live_box.setChecked(False)
        deferred_deletes()
        assert differences(before, all_receivers(watched)) == {}
        assert {name: layer_settings(layer) for name, layer in [("plans", plans), *constraints.items()]} == settings
        assert set(project.mapLayers()) == layers


def test_another_profile_chosen_while_live_checks_every_plan_again_with_its_rules(setup, plugin, tmp_path):
    """With live mode on, profiles whose minimum FAR is P-OK's own FAR (2.5), just above it and just below it
    chosen in the panel: after each, every plan checked again with that profile's rules (nothing read again, the
    checker the same) — live equals landbureau:upstairscheck run with it, and P-OK passes, fails, passes FAR."""
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    try:
        dock.live_box.setChecked(True)
        checker = dock.live
        assert checker is not None
        assert status_of(checker, "P-OK", "far") == "pass"
        loads = []
        load_all = checker.load_all
        checker.load_all = lambda: (loads.append(1), load_all())[1]
        for step, threshold, expected in (("at", 2.5, "pass"), ("above", 2.51, "fail"), ("below", 2.49, "pass")):
            profile = json.loads((resources_dir() / "profiles" / "default.json").read_text(encoding="utf-8"))
            profile["upstairs"]["min_far"] = threshold
            path = tmp_path / f"{step}.json"
            path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
            dock.profile.setFilePath(str(path))
            settle(checker)
            assert dock.live is checker and not loads
            assert status_of(checker, "P-OK", "far") == expected, step
            assert_live_equals_batch(checker, plans, constraints, tmp_path, step, PROFILE=str(path))
            shown = {dock.tree.topLevelItem(i).text(0): dock.tree.topLevelItem(i).text(1)
                     for i in range(dock.tree.topLevelItemCount())}
            assert shown["P-OK"].startswith("✔" if expected == "pass" else "✘"), step  # the checklist follows
    finally:
        dock.live_box.setChecked(False)
        dock.profile.setFilePath("")


def test_another_constraint_layer_chosen_while_live_starts_it_again_on_that_layer(setup, plugin, tmp_path):
    """With live mode on, the farmland layer set to none in the panel (and then back): live mode starts again on
    the layers chosen — before, it went on judging against the farmland read at its start, so a plan on farmland
    stayed ✘ where the next run says the rule was not checked."""
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    farmland_combo = dock.combos["farmland"]
    assert farmland_combo.currentLayer() is constraints["farmland"]
    plans.startEditing()
    try:
        dock.live_box.setChecked(True)
        first = dock.live
        assert first is not None
        on_farmland = [pid for pid in first.live.frame["plan_id"] if status_of(first, pid, "farmland") == "fail"]
        assert on_farmland  # the case plans put one on farmland
        farmland_combo.setLayer(None)
        QgsApplication.processEvents()
        checker = dock.live
        assert checker is not None and checker is not first
        settle(checker)
        assert all(status_of(checker, pid, "farmland") != "fail" for pid in on_farmland)
        assert_live_equals_batch(checker, plans, {**constraints, "farmland": None}, tmp_path, "no farmland")
        farmland_combo.setLayer(constraints["farmland"])
        QgsApplication.processEvents()
        settle(dock.live)
        assert all(status_of(dock.live, pid, "farmland") == "fail" for pid in on_farmland)
        assert_live_equals_batch(dock.live, plans, constraints, tmp_path, "farmland again")
    finally:
        dock.live_box.setChecked(False)


def test_text_in_a_number_field_is_refused_live_as_the_batch_run_refuses_it(setup):
    """A script puts "25000㎡" into the plans' Real floor-area field: the batch run refuses the layer naming the
    value, and live mode refuses it with the same message instead of checking the plan on a number read out of the
    text, its results kept until the value is corrected."""
    from qgis.core import QgsProcessingException


    rows, plans, constraints = setup
    plans.startEditing()
    checker = checker_of(plans, constraints)
    messages = []
    checker.failed.connect(messages.append)
    assert checker.start()
    before = checker.live.plans.copy()
    area, fid = plans.fields().indexOf("建筑面积"), fid_of(plans, "P-OK")
    command(plans, "area", lambda: plans.changeAttributeValue(fid, area, "25000㎡"))
    settle(checker)
    with pytest.raises(QgsProcessingException) as refused:
        run(INPUT=plans, CHECKS="memory:", FARMLAND=constraints["farmland"], REDLINE=constraints["redline"],
            URBAN_BOUNDARY=constraints["urban_boundary"], LANDUSE=constraints["landuse"],
            FIELD_MAP=json.dumps(checker.field_map, ensure_ascii=False),
            LANDUSE_FIELD_MAP=json.dumps({"land_use": "用地性质"}))
    assert "25000㎡" in str(refused.value)
    assert messages == [tr("Live check of layer {layer}: {error}").format(layer=plans.name(),
                                                                           error=str(refused.value))]
    assert checker.live.plans.equals(before)
    command(plans, "area", lambda: plans.changeAttributeValue(fid, area, 10_000.0))  # FAR 1: below 2
    settle(checker)
    assert len(messages) == 1 and status_of(checker, "P-OK", "far") == "fail"


def test_a_project_number_names_the_plans_when_the_layer_has_no_plan_id(make_layer):
    """A bureau's plan list numbering its plans as projects (项目编号, no 方案编号): the project number stands in for
    the plan id — in the run and the live check — after a 地块编号 when the layer has both; a layer with a plan id
    keeps it."""
    from land_bureau_plugin.processing.upstairs import ROLE, stand_in_fields
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    def stand_ins(*names):
        layer = make_layer("Polygon", [(name, "string") for name in names], [], "方案")
        return stand_in_fields(layer, field_map_of(layer, ROLE))

    assert stand_ins("项目编号", "容积率") == {"plan_id": "项目编号"}
    assert stand_ins("地块编号", "项目编号") == {"plan_id": "地块编号"}
    assert stand_ins("方案编号", "项目编号") == {}  # detected as the plan id itself: nothing stands in
    assert stand_ins("容积率") == {}


def test_after_live_mode_the_panel_is_as_before_a_run_and_the_next_run_replaces_the_last(setup, plugin,
                                                                                         wait_until_idle,
                                                                                         monkeypatch):
    """A run, then live mode on and off: while live and after, the checklist is no run's — the progress bar empty,
    Print says there is nothing to print (it printed the last run's layer beside the live or empty checklist) and,
    after, Export that there is nothing to export; the last run's layers stay in the project until the next run
    replaces them (its violations layer was left beside the next run's)."""
    from land_bureau_plugin.gui.common import RESULT_LAYER_KEY
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows, plans, constraints = setup
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    messages = []
    monkeypatch.setattr(dock, "push", lambda message, level=None: messages.append(message))

    def results():
        return sorted(layer.id() for layer in QgsProject.instance().mapLayers().values()
                      if layer.customProperty(RESULT_LAYER_KEY))

    dock.run()
    wait_until_idle(dock)
    run_layers = results()
    assert len(run_layers) == 2 and dock.progress.value() == 100 and dock.tree.topLevelItemCount() == len(rows)
    assert dock.printed_layer() is QgsProject.instance().mapLayer(dock.layer_ids["result"])
    plans.startEditing()
    dock.live_box.setChecked(True)
    assert dock.tree.topLevelItemCount() == len(rows) and dock.progress.text() == ""
    dock.print_button.click()
    assert messages[-1] == tr("Run the analysis first; there is nothing to print")
    dock.live_box.setChecked(False)
    assert dock.tree.topLevelItemCount() == 0 and dock.progress.text() == ""  # empty, as before a run
    dock.print_button.click()
    assert messages[-1] == tr("Run the analysis first; there is nothing to print")
    dock.xlsx_button.click()
    assert messages[-1] == tr("Run the check first; there is nothing to export")
    assert results() == run_layers  # the run's layers stay in the project
    plans.rollBack()
    dock.run()
    wait_until_idle(dock)
    again = results()
    assert len(again) == 2 and not set(again) & set(run_layers)  # replaced, not added beside them
    assert dock.progress.value() == 100 and dock.printed_layer() is QgsProject.instance().mapLayer(
        dock.layer_ids["result"])
