"""The land supply panel and the deadline board: the three are tabs of one dock area; the supply panel runs
landbureau:landsupply in the background and fills its summary, tables and styled layers; "due next" lists what is due
across the resettlement monitor and land supply, filtered by its window, and exports it."""
from contextlib import contextmanager

import pytest
from land_supply_data import BATCH_FIELDS, SUPPLY_FIELDS, batch, parcel, rect
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from resettlement_data import FIELDS, project

AS_OF = "2025-03-02"


def docks(plugin):
    from land_bureau_plugin.gui.deadline_board import DeadlineBoardDock
    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock
    from land_bureau_plugin.gui.supply_dock import LandSupplyDock

    def find(kind):
        return next(d for d in plugin.docks if isinstance(d, kind))

    return find(ResettlementDock), find(LandSupplyDock), find(DeadlineBoardDock)


@pytest.fixture()
def layers(make_layer):
    supply = make_layer("Polygon", SUPPLY_FIELDS, [
        parcel("A", "2024-03-01", rect(0, 0, 40, 100)),  # idle
        parcel("B", "2024-03-02", rect(30, 0, 60, 100)),  # unused: idle after today (0 days)
        parcel("C", "2023-03-01", rect(200, 0, 300, 100), price=500),  # reclaim
        parcel("D", "2025-06-30", rect(400, 0, 450, 100)),  # start in 120 days: yellow
        parcel("E", "2026-01-01", rect(450, 0, 500, 100)),  # start in 305 days: green, not due within 180
        parcel("F", "2023年", rect(700, 0, 800, 100)),  # data error: never on the board
    ], "供地宗地")
    batches = make_layer("Polygon", BATCH_FIELDS, [batch("PC1", "2023-03-02", rect(0, 0, 100, 100)),
                                                    batch("PC2", "2023-03-01", rect(200, 0, 300, 100))], "报批批次")
    for layer in (supply, batches):
        QgsProject.instance().addMapLayer(layer)
    yield supply, batches
    QgsProject.instance().removeAllMapLayers()


def run_supply(dock, supply, batches, wait_until_idle):
    dock.supply_combo.setLayer(supply)
    dock.batches_combo.setLayer(batches)
    dock.as_of.setDate(dock.as_of.date().fromString(AS_OF, "yyyy-MM-dd"))
    dock.run()
    wait_until_idle(dock)


@contextmanager
def in_main_window(qgis_iface, monkeypatch):
    """The plugin loaded with its docks in the main window, as QGIS puts them (pytest-qgis's iface drops them)."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QEvent

    import land_bureau_plugin

    window = qgis_iface.mainWindow()
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock))
    plugin = land_bureau_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        window.show()
        yield plugin, window
    finally:
        plugin.unload()
        QgsApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_panels_are_tabs_of_one_dock_area_and_open_together(qgis_iface, qgis_app, monkeypatch):
    with in_main_window(qgis_iface, monkeypatch) as (plugin, window):
        resettlement, supply, board = docks(plugin)
        supply.toggleViewAction().trigger()  # one tab opened from the menu brings the others
        qgis_app.processEvents()
        assert resettlement.isVisible() and board.isVisible() and supply.isVisible()
        assert {supply, board} <= set(window.tabifiedDockWidgets(resettlement))
        assert not supply.visibleRegion().isEmpty()  # the chosen tab in front


def test_the_supply_panel_fills_its_tables_and_layers_and_a_rerun_replaces_them(plugin, layers, wait_until_idle):
    supply, batches = layers
    _, dock, _ = docks(plugin)
    run_supply(dock, supply, batches, wait_until_idle)
    assert dock.parcel_model.rowCount() == 6 and dock.batch_model.rowCount() == 2
    first = dict(dock.layer_ids)
    result = QgsProject.instance().mapLayer(first["result"])
    assert {f["supply_status"] for f in result.getFeatures()} >= {"idle", "unused", "reclaim"}
    assert result.renderer().classAttribute() == "supply_status"
    unsupplied = QgsProject.instance().mapLayer(first["unsupplied"])
    assert unsupplied.featureCount() == 2 and unsupplied.renderer().classAttribute() == "grade"
    assert "批而未供" in result.customProperty("land_bureau/print_note")
    assert "6" in dock.summary.text()
    dock.flagged_only.setChecked(True)
    assert dock.parcel_model.rowCount() == 2  # A idle, C reclaim
    dock.run()
    wait_until_idle(dock)
    assert all(QgsProject.instance().mapLayer(first[key]) is None for key in ("result", "unsupplied"))


def test_a_parcel_row_zooms_to_that_parcel(plugin, layers, wait_until_idle):
    supply, batches = layers
    _, dock, _ = docks(plugin)
    run_supply(dock, supply, batches, wait_until_idle)
    dock.flagged_only.setChecked(False)
    row = next(r for r in range(dock.parcel_model.rowCount()) if dock.parcel_model.index(r, 0).data() == "C")
    dock.row_clicked(dock.parcel_proxy.mapFromSource(dock.parcel_model.index(row, 0)), "parcels")
    result = QgsProject.instance().mapLayer(dock.layer_ids["result"])
    assert [f["电子监管号"] for f in result.selectedFeatures()] == ["C"]


def test_due_next_lists_both_kinds_worst_first_within_its_window(plugin, layers, make_layer, wait_until_idle):
    supply, batches = layers
    resettlement, dock, board = docks(plugin)
    projects = make_layer("Point", FIELDS, [project("R1", "2024-06-01"),  # start due 2025-06-01: 91 days, yellow
                                            project("R2", "2023-01-01")],  # start overdue
                          "征迁安置项目")
    QgsProject.instance().addMapLayer(projects)
    resettlement.layer_combo.setLayer(projects)
    resettlement.as_of.setDate(resettlement.as_of.date().fromString(AS_OF, "yyyy-MM-dd"))
    resettlement.run()
    wait_until_idle(resettlement)
    run_supply(dock, supply, batches, wait_until_idle)
    board.show()
    board.refresh()
    shown = board.shown
    assert set(shown["kind"]) == {"resettlement", "supply", "unsupplied"}
    assert list(shown["grade"])[:1] == ["red"] and "F" not in set(shown["item_id"])  # data errors are not due
    assert "E" not in set(shown["item_id"])  # 305 days: outside the 180-day window
    ids = list(shown["item_id"])
    assert ids.index("R2") < ids.index("R1") and ids.index("D") > ids.index("A")
    shown_rows = [[board.model.index(r, c).data() for c in range(board.model.columnCount())]
                  for r in range(board.model.rowCount())]  # as the view shows them: the board's order, in words
    ids_shown = [board.proxy.index(r, 5).data() for r in range(board.proxy.rowCount())]
    assert ids_shown == ids
    deadline = {row[5]: row[4] for row in shown_rows}
    assert deadline["R2"] == "Housing start (+1)" and deadline["D"] == "construction start"
    board.within.setValue(400)
    assert "E" in set(board.shown["item_id"])
    assert board.model.rowCount() == len(board.shown)


def test_due_next_exports_xlsx_with_chinese_headers(chinese, plugin, layers, wait_until_idle, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from qgis.PyQt.QtWidgets import QFileDialog

    supply, batches = layers
    _, dock, board = docks(plugin)
    run_supply(dock, supply, batches, wait_until_idle)
    board.show()
    board.refresh()
    target = tmp_path / "due.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    board.export()
    sheet = load_workbook(target).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:5] == ["类型", "预警等级", "剩余天数", "到期日期", "期限"] and "编号" in headers
    kinds = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds == {"已供宗地", "批而未供"}


def test_a_menu_entry_of_a_tab_behind_brings_it_to_the_front_and_of_the_front_tab_closes_it(qgis_iface, qgis_app,
                                                                                           monkeypatch):
    with in_main_window(qgis_iface, monkeypatch) as (plugin, _window):
        resettlement, supply, _ = docks(plugin)
        resettlement.toggleViewAction().trigger()
        qgis_app.processEvents()
        assert supply.isVisible() and supply.visibleRegion().isEmpty()  # open, behind the resettlement tab
        supply.toggleViewAction().trigger()
        qgis_app.processEvents()
        assert supply.isVisible() and not supply.visibleRegion().isEmpty()
        supply.toggleViewAction().trigger()  # in front now: the entry closes it
        qgis_app.processEvents()
        assert not supply.isVisible()


def test_a_government_delay_is_on_the_board_without_a_deadline(plugin, make_layer, wait_until_idle, monkeypatch,
                                                               tmp_path):
    """Exempt (no fee, not taken back): no deadline counts, so none is shown — the board said 'taken back' in N
    days — and the parcel stays listed, red, for the bureau to settle; an unknown shows empty, not <NA>."""
    supply = make_layer("Polygon", SUPPLY_FIELDS, [
        parcel("G", "2023-03-01", rect(0, 0, 40, 100), government="是", cause="规划调整"),
        parcel("A", "2024-03-01", rect(100, 0, 140, 100))], "供地宗地")
    batches = make_layer("Polygon", BATCH_FIELDS, [batch("PC1", "2024-03-02", rect(500, 0, 600, 100))], "报批批次")
    for layer in (supply, batches):
        QgsProject.instance().addMapLayer(layer)
    try:
        _, dock, board = docks(plugin)
        monkeypatch.setattr(board, "isVisible", lambda: True)  # a tab of a main window this test does not show
        run_supply(dock, supply, batches, wait_until_idle)
        board.refresh()
        ids = list(board.shown["item_id"])
        assert ids[:2] == ["A", "G"]  # both red: the dated one first
        rows = {board.model.index(r, 5).data(): [board.model.index(r, c).data()
                                                 for c in range(board.model.columnCount())]
                for r in range(board.model.rowCount())}
        headers = [board.model.headerData(c, Qt.Orientation.Horizontal) for c in range(board.model.columnCount())]
        government = dict(zip(headers, rows["G"]))
        assert government["Days left"] == "" and government["Due"] == "" and government["Deadline"] == ""
        assert government["Grade"] != "" and "<NA>" not in rows["G"]
        from openpyxl import load_workbook
        from qgis.PyQt.QtWidgets import QFileDialog

        target = tmp_path / "due.xlsx"  # its unknown days left an empty cell (openpyxl refused pandas' NA)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        board.export()
        sheet = list(load_workbook(target).active.iter_rows(values_only=True))
        exported = dict(zip(sheet[0], next(row for row in sheet[1:] if "G" in row)))
        assert exported["Days left"] is None and exported["Due"] is None
    finally:
        QgsProject.instance().removeAllMapLayers()
