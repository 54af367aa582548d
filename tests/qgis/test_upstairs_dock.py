"""The upstairs panel: layers preselected by role, a background run, the plan → rules checklist, zoom on click,
red violations over the plans, the failed-only filter, a rerun that replaces its layers, and the XLSX export."""
import re

import pytest
import shapely
from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import Qt
from test_upstairs_algorithm import polygon_layer
from upstairs_data import ATTRIBUTE_CASES, FIELDS, SPATIAL_CASES, case_plans, constraint_layers

from land_bureau_plugin.analysis import upstairs_rules


@pytest.fixture()
def project_layers(make_layer):
    rows = case_plans()
    shapes = constraint_layers(rows)
    layers = {"plans": make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案"),
              "farmland": polygon_layer(make_layer, shapes["farmland"], "永久基本农田"),
              "redline": polygon_layer(make_layer, shapes["redline"], "生态保护红线"),
              "boundary": polygon_layer(make_layer, shapes["urban_boundary"], "城镇开发边界"),
              "landuse": polygon_layer(make_layer, shapes["landuse"], "用地规划", codes=shapes["landuse_codes"])}
    QgsProject.instance().addMapLayers(list(layers.values()))
    yield rows, layers
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture()
def dock(plugin):
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    return next(d for d in plugin.docks if isinstance(d, UpstairsDock))


def top_items(dock) -> dict:
    return {dock.tree.topLevelItem(i).text(0): dock.tree.topLevelItem(i) for i in range(dock.tree.topLevelItemCount())}


def rules_of(item) -> dict:
    item.setExpanded(True)
    return {item.child(i).data(0, Qt.ItemDataRole.UserRole)[2]: item.child(i) for i in range(item.childCount())}


def run_dock(dock, wait):
    dock.run()
    wait(dock)


def test_layers_are_preselected_by_role(dock, project_layers):
    _, layers = project_layers
    dock.pick_default_layers()
    chosen = {role: combo.currentLayer() for role, combo in dock.combos.items()}
    assert chosen == {"upstairs_plans": layers["plans"], "farmland": layers["farmland"],
                      "redline": layers["redline"], "urban_boundary": layers["boundary"],
                      "landuse": layers["landuse"]}


def test_an_added_layer_fills_an_empty_combo_and_leaves_a_chosen_none_alone(dock, project_layers, make_layer):
    """Layers added to the project are offered to the combos they fit; a farmland layer taken out of its combo by
    the user stays out when some other layer is added (every project layer was guessed again and put back), and
    a newly added farmland layer is offered."""
    rows, layers = project_layers
    dock.pick_default_layers()
    dock.combos["farmland"].setLayer(None)
    QgsProject.instance().addMapLayer(make_layer("Point", [("名称", "string")], [], "注记点"))
    assert dock.combos["farmland"].currentLayer() is None
    assert dock.combos["redline"].currentLayer() is layers["redline"]
    shapes = constraint_layers(rows)
    newer = polygon_layer(make_layer, shapes["farmland"], "永久基本农田2025")
    QgsProject.instance().addMapLayer(newer)
    assert dock.combos["farmland"].currentLayer() is newer


def test_checklist_per_plan_and_rule(dock, project_layers, wait_until_idle):
    rows, _ = project_layers
    run_dock(dock, wait_until_idle)
    plans = top_items(dock)
    assert set(plans) == {r["方案编号"] for r in rows}
    assert plans["P-OK"].text(1).startswith("✔") and plans["P-FAR"].text(1).startswith("✘")
    far = rules_of(plans["P-FAR"])
    assert len(far) == len(upstairs_rules.RULE_IDS)
    assert (far["far"].text(1)[0], far["far"].text(2), far["far"].text(3)) == ("✘", "1.5", "≥ 2")
    assert far["height"].text(1)[0] == "✔" and far["height"].text(2) == "40 m"
    failing = {pid for pid, item in plans.items() if item.text(1).startswith("✘")}
    expected = (set(ATTRIBUTE_CASES) - {"P-OWNCODE"}) | set(SPATIAL_CASES)
    assert failing == expected
    assert "FAR 1.5 below 2" in plans["P-FAR"].text(4)
    assert f"{len(rows)} 宗, " in dock.summary.text() and "average FAR" in dock.summary.text()
    # a plan's rule counts are its result (核查结果); the 实测值 column is for the rules' measured values
    assert (plans["P-FAR"].text(1), plans["P-OK"].text(1)) == ("✘ 1 failed", "✔ passed")
    assert all(item.text(2) == "" for item in plans.values())
    # the per-district lines are folded away under the totals, so the checklist stays in view
    assert "萧山区: " in dock.districts.text() and "萧山区" not in dock.summary.text()
    assert dock.districts_box.isVisibleTo(dock) and dock.districts_box.isCollapsed()


@pytest.mark.parametrize("extra", [-1, 0, 1, 12])
def test_a_long_plan_name_is_cut_at_its_column_and_the_result_stays_beside_it(dock, project_layers, wait_until_idle,
                                                                              extra):
    """A bureau's plan names run to 30 characters and more: the plan column takes at most PLAN_CHARACTERS Chinese
    characters of the panel (the whole name is the tooltip), so 核查结果 stays in view — a name that fits is not cut."""
    from land_bureau_plugin.gui.upstairs_dock import PLAN_CHARACTERS

    _, layers = project_layers
    plans = layers["plans"]
    name = ("萧山经济技术开发区智能制造产业园二期工业上楼项目" * 2)[:PLAN_CHARACTERS + extra]
    fid = next(f.id() for f in plans.getFeatures() if f["方案编号"] == "P-OK")
    plans.dataProvider().changeAttributeValues({fid: {plans.fields().indexOf("方案编号"): name}})
    run_dock(dock, wait_until_idle)
    item = top_items(dock)[name]
    assert item.toolTip(0) == name
    cap = PLAN_CHARACTERS * 2 * dock.tree.fontMetrics().averageCharWidth()
    dock.tree.resizeColumnToContents(0)
    needed = dock.tree.columnWidth(0)
    dock.fit_columns()
    assert dock.tree.columnWidth(0) == min(needed, cap)
    assert (dock.tree.columnWidth(0) < needed) == (needed > cap)
    if extra == 12:
        assert dock.tree.columnWidth(0) == cap < needed


def test_missing_values_show_as_not_checked(dock, make_layer, wait_until_idle):
    from upstairs_data import plan, square

    layer = make_layer("MultiPolygon", [f for f in FIELDS if f[0] != "货梯载重"], [plan("A", square(0))],
                       "工业上楼方案")
    QgsProject.instance().addMapLayer(layer)
    try:
        dock.combos["upstairs_plans"].setLayer(layer)
        run_dock(dock, wait_until_idle)
        lift = rules_of(top_items(dock)["A"])["lift_capacity"]
        assert lift.text(1).startswith("–") and "field not found" in lift.text(4)
        # no farmland, red line, boundary layer and no lift field: nothing failed, 4 rules open — not a pass
        assert top_items(dock)["A"].text(1) == "– not checked: 4 rule(s)"
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_violations_are_red_over_the_plans_and_clicks_zoom(dock, project_layers, wait_until_idle, qgis_iface):
    rows, layers = project_layers
    run_dock(dock, wait_until_idle)
    project = QgsProject.instance()
    result, violations = (project.mapLayer(dock.layer_ids[k]) for k in ("result", "violations"))
    assert result is not None and violations is not None
    order = [layer.layerId() for layer in project.layerTreeRoot().findLayers()]
    assert order.index(violations.id()) < order.index(result.id())  # drawn on top
    colour = violations.renderer().symbol().color()
    assert colour.red() > 200 and colour.green() < 60 and colour.blue() < 60
    assert violations.featureCount() == 6  # one per failing plan and rule: farmland, red line, boundary, land use,
    # and each plan of the overlapping pair

    canvas = qgis_iface.mapCanvas()
    farm_plan = top_items(dock)["P-FARM"]
    dock.item_clicked(rules_of(farm_plan)["farmland"])
    assert len(violations.selectedFeatureIds()) == 1  # the plan's two farmland patches, drawn as one conflict
    farmland = shapely.union_all(constraint_layers(rows)["farmland"])
    pieces = shapely.from_wkt(next(r["wkt"] for r in rows if r["方案编号"] == "P-FARM")).intersection(farmland)
    extent = canvas.extent()
    x0, y0, x1, y1 = pieces.bounds
    assert extent.xMinimum() <= x0 and extent.xMaximum() >= x1 and extent.yMinimum() <= y0
    dock.item_clicked(top_items(dock)["P-OK"])
    ok_fid = next(f.id() for f in layers["plans"].getFeatures() if f["方案编号"] == "P-OK")
    assert layers["plans"].selectedFeatureIds() == [ok_fid]
    assert canvas.extent().contains(layers["plans"].getFeature(ok_fid).geometry().boundingBox())


def test_failed_only_filter_and_rerun_replaces_layers(dock, project_layers, wait_until_idle):
    run_dock(dock, wait_until_idle)
    first = dict(dock.layer_ids)
    dock.failed_only.setChecked(True)
    visible = {pid for pid, item in top_items(dock).items() if not item.isHidden()}
    assert "P-OK" not in visible and "P-FAR" in visible
    run_dock(dock, wait_until_idle)
    project = QgsProject.instance()
    assert project.mapLayer(first["result"]) is None and project.mapLayer(first["violations"]) is None
    assert project.mapLayer(dock.layer_ids["result"]) is not None
    assert "P-OK" not in {pid for pid, item in top_items(dock).items() if not item.isHidden()}
    dock.failed_only.setChecked(False)


def test_export_writes_one_row_per_plan_with_a_column_per_rule(dock, project_layers, wait_until_idle, tmp_path,
                                                               monkeypatch):
    from openpyxl import load_workbook
    from qgis.PyQt.QtWidgets import QFileDialog

    rows, _ = project_layers
    run_dock(dock, wait_until_idle)
    path = tmp_path / "check.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    dock.export()
    sheet = load_workbook(path).active
    table = list(sheet.values)
    header, body = table[0], table[1:]
    assert len(body) == len(rows)
    assert {"Plan id", "Result", "FAR", "permanent basic farmland", "Reasons"} <= set(header)
    line = dict(zip(header, next(r for r in body if r[0] == "P-FAR")))
    assert line["Result"] == "failed" and line["FAR"] == "✘ 1.5 (≥ 2)" and line["height"] == "✔ 40 m"
    assert "FAR 1.5 below 2" in line["Reasons"]
    land = dict(zip(header, next(r for r in body if r[0] == "P-SUPPORT-LAND")))
    assert land["Sources"].startswith("support land share: 《工业项目建设用地控制指标》第四条（四）（2008）")


def test_empty_optional_layers_say_what_leaving_them_empty_means(dock):
    assert dock.combos["landuse"].currentText() == "none: each plan's own land-use code"
    assert dock.combos["farmland"].currentText() == "none: rule not checked"
    assert dock.combos["landuse"].currentLayer() is None


def test_without_a_land_use_layer_the_rule_shows_the_plans_own_code(dock, project_layers, wait_until_idle, tmp_path,
                                                                     monkeypatch):
    from openpyxl import load_workbook
    from qgis.PyQt.QtWidgets import QFileDialog

    dock.pick_default_layers()
    dock.combos["landuse"].setCurrentIndex(0)  # the planner leaves land use empty
    assert dock.combos["landuse"].currentLayer() is None
    run_dock(dock, wait_until_idle)
    plans = top_items(dock)
    own, ok = rules_of(plans["P-OWNCODE"])["industrial_land"], rules_of(plans["P-OK"])["industrial_land"]
    assert own.text(1).startswith("✘") and ok.text(1).startswith("✔")
    # what was checked — the code — not "0 m² ≤ 1 m²", which reads like a measured overlap
    assert (own.text(2), own.text(3)) == ("", "an industrial code") and "land-use code 0701" in own.text(4)
    assert (ok.text(2), ok.text(3)) == ("", "an industrial code") and "own land-use code" in ok.text(4)
    path = tmp_path / "check.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    dock.export()
    table = list(load_workbook(path).active.values)
    line = dict(zip(table[0], next(r for r in table[1:] if r[0] == "P-OWNCODE")))
    assert line["industrial land"].startswith("✘ the plan's own land-use code 0701")


def test_in_chinese_the_summary_uses_chinese_punctuation(chinese, dock, project_layers, wait_until_idle):
    rows, _ = project_layers
    run_dock(dock, wait_until_idle)
    text = dock.summary.text()
    assert re.search(rf"{len(rows)} 宗，[\d,.]+ 亩，[\d,.]+ 万m²", text) and ", " not in text
    per_rule = next(line for line in text.split("<br>") if line.startswith("各规则未通过数："))
    assert "、" in per_rule and "," not in per_rule
    assert re.search(r"宗，[\d,.]+ 亩，", dock.districts.text())


def test_each_rule_shows_its_source_beside_the_threshold(dock, project_layers, wait_until_idle):
    run_dock(dock, wait_until_idle)
    rules = rules_of(top_items(dock)["P-SUPPORT-LAND"])
    land, lift = rules["support_land_share"], rules["lift_capacity"]
    assert land.text(1).startswith("✘")
    assert land.toolTip(3).startswith("Source: 《工业项目建设用地控制指标》第四条（四）（2008）")
    assert land.text(4).endswith(land.toolTip(3)) and "(on the map)" not in land.text(4)
    assert lift.toolTip(3).startswith("Source: local default")
    assert "(per 《工业项目建设用地控制指标》第四条（四）（2008）)" in top_items(dock)["P-SUPPORT-LAND"].text(4)
    summary = dock.summary.text()
    assert "Sources:" in summary and "support land share: 《工业项目建设用地控制指标》" in summary


def test_the_save_warning_is_one_short_line_with_the_plans_behind_show_more(dock, qgis_iface, monkeypatch):
    """At 1366 px the bar cut the warning's second line (the failing plans, all on it): the message says how many,
    the plans one a line behind the bar's "Show more", and the bar stays until closed."""
    pushed = []
    monkeypatch.setattr(qgis_iface.messageBar(), "pushMessage", lambda *args, **kw: pushed.append((args, kw)))
    lines = [f"GYSL2026-{i:03d}: FAR, height" for i in range(12)]
    dock.failing_on_save(lines)
    dock.commit_refused(lines[:3])
    (warning, warning_kw), (refusal, refusal_kw) = pushed
    assert warning[2] == "\n".join(lines) and refusal[2] == "\n".join(lines[:3])
    assert "12" in warning[1] and "GYSL" not in warning[1] and len(warning[1]) < 60
    assert "3" in refusal[1] and "GYSL" not in refusal[1]
    assert warning_kw["duration"] == 0 and refusal_kw["level"] == Qgis.MessageLevel.Critical
