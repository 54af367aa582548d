"""The resettlement panel: runs the algorithm as a background task, fills summary and table, replaces its layer."""
from qgis.core import QgsProject
from resettlement_data import FIELDS, project


def test_panel_runs_and_rerun_replaces_layer(plugin, qgis_app, make_layer, qgis_iface, wait_until_idle):
    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock

    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29", "2021/2/28"), project("B", "2024-09-01"),
                                         project("C", "bad")], "征迁安置项目")
    QgsProject.instance().addMapLayer(layer)
    dock = next(d for d in plugin.docks if isinstance(d, ResettlementDock))
    dock.layer_combo.setLayer(layer)
    dock.as_of.setDate(dock.as_of.date().fromString("2025-07-01", "yyyy-MM-dd"))
    dock.run()
    wait_until_idle(dock)
    assert dock.model.rowCount() == 3
    assert "3" in dock.summary.text()
    first = dock.result_layer_id
    assert QgsProject.instance().mapLayer(first) is not None
    dock.overdue_only.setChecked(True)
    assert dock.model.rowCount() == 1  # only A is red on 2025-07-01
    dock.run()
    wait_until_idle(dock)
    assert QgsProject.instance().mapLayer(first) is None
    assert QgsProject.instance().mapLayer(dock.result_layer_id) is not None
    QgsProject.instance().removeAllMapLayers()


def run_panel(plugin, make_layer, wait_until_idle, rows):
    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock

    layer = make_layer("Point", FIELDS, rows, "征迁安置项目")
    QgsProject.instance().addMapLayer(layer)
    dock = next(d for d in plugin.docks if isinstance(d, ResettlementDock))
    dock.layer_combo.setLayer(layer)
    dock.as_of.setDate(dock.as_of.date().fromString("2025-07-01", "yyyy-MM-dd"))
    dock.run()
    wait_until_idle(dock)
    return dock


PROJECTS = [project("甲-1", "2020-02-29", "2021/2/28", households=120), project("乙-2", "2024-09-01", x=500),
            project("丙-3", "bad", x=900)]


def test_clicking_a_row_selects_that_project_on_the_result_layer(plugin, make_layer, wait_until_idle):
    dock = run_panel(plugin, make_layer, wait_until_idle, PROJECTS)
    try:
        result = QgsProject.instance().mapLayer(dock.result_layer_id)
        row = next(r for r in range(dock.model.rowCount())
                   if dock.model.index(r, 0).data() == "乙-2")
        dock.row_clicked(dock.proxy.mapFromSource(dock.model.index(row, 0)))
        selected = [f["项目编号"] for f in result.selectedFeatures()]
        assert selected == ["乙-2"]
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_csv_export_opens_in_excel_with_chinese_intact(plugin, make_layer, wait_until_idle, tmp_path, monkeypatch):
    from qgis.PyQt.QtWidgets import QFileDialog

    dock = run_panel(plugin, make_layer, wait_until_idle, PROJECTS)
    path = tmp_path / "结果.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(path), ""))
    try:
        dock.export("csv")
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
        text = raw.decode("utf-8-sig")
        assert "项目编号" in text.splitlines()[0]
        assert all(pid in text for pid in ("甲-1", "乙-2", "丙-3"))
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_export_to_an_unwritable_place_says_so_without_a_traceback(plugin, make_layer, wait_until_idle, monkeypatch,
                                                                   qgis_iface):
    from qgis.PyQt.QtWidgets import QFileDialog

    dock = run_panel(plugin, make_layer, wait_until_idle, PROJECTS)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("/proc/no/such/结果.xlsx", ""))
    messages = []
    monkeypatch.setattr(dock, "push", lambda message, level=None: messages.append(message))
    try:
        dock.export("xlsx")
        assert messages and "/proc/no/such/结果.xlsx" in messages[-1]
    finally:
        QgsProject.instance().removeAllMapLayers()


def plain(rich_text: str) -> str:
    """The summary's text without the chips' word joiners and non-breaking spaces."""
    return rich_text.replace("\u2060", "").replace("\u00a0", " ").replace("&nbsp;", " ")


def legend_labels(layer) -> dict:
    return {c.value(): c.label() for c in layer.renderer().categories()}


def test_labels_say_the_warning_windows_of_the_profile_used(plugin, make_layer, wait_until_idle, tmp_path,
                                                           monkeypatch):
    """Yellow 120 / orange 30 in the profile: the result layer's legend, the chips and the table say 120 and 30;
    the print gets them from the layer; the default profile still says 180 and 90."""
    import json

    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock
    from land_bureau_plugin.layouts.themes import LEGEND_VALUES_KEY, RESETTLEMENT

    profile = tmp_path / "windows.json"
    profile.write_text(json.dumps({"resettlement": {"yellow_days": 120, "orange_days": 30}}), encoding="utf-8")
    parameters = ResettlementDock.parameters
    monkeypatch.setattr(ResettlementDock, "parameters", lambda self: {**parameters(self), "PROFILE": str(profile)})
    try:
        dock = run_panel(plugin, make_layer, wait_until_idle, PROJECTS)  # 乙-2: 62 days left, yellow at 120 / 30
        layer = QgsProject.instance().mapLayer(dock.result_layer_id)
        labels = legend_labels(layer)
        assert labels["yellow"] == "Yellow: ≤ 120 days" and labels["orange"] == "Orange: ≤ 30 days"
        summary = plain(dock.summary.text())
        assert "≤ 120 days" in summary and "≤ 30 days" in summary and "180" not in summary
        grades = set(dock.model.frame["grade"])
        assert "Yellow: ≤ 120 days" in grades and not any("180" in g for g in grades)
        printed = json.loads(layer.customProperty(LEGEND_VALUES_KEY))
        assert RESETTLEMENT.legend_label("yellow", printed) == "黄色预警（≤120天）"
        assert RESETTLEMENT.legend_label("green", printed) == "正常（剩余＞120天）"

        monkeypatch.setattr(ResettlementDock, "parameters", parameters)
        dock.run()
        wait_until_idle(dock)
        labels = legend_labels(QgsProject.instance().mapLayer(dock.result_layer_id))
        assert labels["yellow"] == "Yellow: ≤ 180 days" and labels["orange"] == "Orange: ≤ 90 days"
        assert "≤ 180 days" in plain(dock.summary.text()) and "≤ 90 days" in plain(dock.summary.text())
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_a_long_result_lists_the_most_urgent_projects_and_says_so(plugin, make_layer, wait_until_idle, monkeypatch):
    from land_bureau_plugin.gui import resettlement_dock

    monkeypatch.setattr(resettlement_dock, "TABLE_ROWS", 2)
    dock = run_panel(plugin, make_layer, wait_until_idle, PROJECTS)  # 甲-1 red, 乙-2 orange, 丙-3 grey
    try:
        shown = {dock.model.index(r, 0).data() for r in range(dock.model.rowCount())}
        assert shown == {"甲-1", "乙-2"}  # overdue and due soon before data missing
        assert not dock.table_note.isHidden() and "3" in dock.table_note.text()
        dock.overdue_only.setChecked(True)  # only 甲-1 is red: everything fits, no note
        assert dock.table_note.isHidden()
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_most_urgent_orders_by_grade_then_days_left():
    import pandas as pd

    from land_bureau_plugin.gui.resettlement_dock import most_urgent

    frame = pd.DataFrame({"project_id": list("abcde"), "grade": ["green", "red", "yellow", "red", "grey"],
                          "resettle_days": [900, -5, 100, -300, None]})
    assert most_urgent(frame, 3)["project_id"].tolist() == ["d", "b", "c"]
    assert most_urgent(frame, 10)["project_id"].tolist() == list("abcde")
