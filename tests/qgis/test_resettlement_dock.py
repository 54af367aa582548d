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
