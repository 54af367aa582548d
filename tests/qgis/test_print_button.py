"""打印 / Print on the resettlement panel: the dialog's choices become a layout in the project's layout manager
(opened in the designer) or a file; nothing to print and a bad path are messages, not tracebacks."""
import pytest
from qgis.core import QgsProject
from resettlement_data import FIELDS, project


@pytest.fixture()
def dock_with_result(plugin, qgis_app, make_layer, wait_until_idle):
    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock

    districts = make_layer("Polygon", [("行政区", "string")],
                           [{"wkt": "POLYGON((529000 3339000, 532000 3339000, 532000 3342000, 529000 3342000, "
                                    "529000 3339000))", "行政区": "城厢街道"}], "行政区划")
    layer = make_layer("Point", FIELDS, [project("A", "2019-02-28", households=12), project("B", "2026-06-01"),
                                         project("C", "2018-05-01", "2019-01-01", x=200)], "征迁安置项目")
    QgsProject.instance().addMapLayers([districts, layer])
    dock = next(d for d in plugin.docks if isinstance(d, ResettlementDock))
    dock.layer_combo.setLayer(layer)
    dock.as_of.setDate(dock.as_of.date().fromString("2026-11-27", "yyyy-MM-dd"))
    dock.run()
    wait_until_idle(dock)
    yield dock, districts
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layoutManager().clear()


def answer(monkeypatch, choice, configure=None):
    """Stand in for the modal dialog: apply `configure(dialog)`, then press the button `choice`."""
    from land_bureau_plugin.gui.print_dialog import PrintDialog

    def exec_(dialog):
        if configure:
            configure(dialog)
        dialog.choice = choice
        return True

    monkeypatch.setattr(PrintDialog, "exec", exec_)


def test_print_opens_the_filled_layout_in_the_designer(dock_with_result, qgis_iface, monkeypatch):
    dock, districts = dock_with_result
    opened = []
    monkeypatch.setattr(qgis_iface, "openLayoutDesigner", opened.append, raising=False)

    def atlas(dialog):
        dialog.atlas.setLayer(districts)
        assert dialog.page_field.currentField() == "行政区"  # detected district field names the pages

    answer(monkeypatch, "designer", atlas)
    assert dock.print_button.text()
    dock.print_button.click()
    assert len(opened) == 1
    layout = opened[0]
    assert QgsProject.instance().layoutManager().layoutByName(layout.name()) is layout
    assert "2026-11-27" in layout.name()
    assert layout.atlas().enabled() and layout.atlas().coverageLayer() is districts
    assert layout.itemById("title").text().startswith("征迁安置")
    map_layers = [layer.name() for layer in layout.itemById("map").layers()]
    assert dock.print_layer().name() in map_layers and "行政区划" in map_layers  # result and visible context
    assert "征迁安置项目" not in map_layers  # the analysed input: the result draws it already
    assert "数据来源：征迁安置项目" in layout.itemById("subtitle").text()
    answer(monkeypatch, "designer")
    dock.print_button.click()  # printing again replaces the layout of the same name
    assert len(QgsProject.instance().layoutManager().printLayouts()) == 1


def test_print_exports_straight_to_a_file_or_says_why_not(dock_with_result, qgis_iface, monkeypatch, tmp_path):
    from qgis.PyQt.QtWidgets import QFileDialog

    dock, _districts = dock_with_result
    answer(monkeypatch, "export", lambda dialog: dialog.template.setCurrentIndex(1))  # A4 portrait
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "map.pdf"), ""))
    dock.print_button.click()
    assert (tmp_path / "map.pdf").stat().st_size > 10000
    messages = []
    monkeypatch.setattr(dock, "push", lambda message, level=None: messages.append(message))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "map.pdf"), ""))
    dock.print_button.click()
    assert messages and "does not exist" in messages[-1]


def test_printing_twice_leaves_no_dialog_nor_project_listener_behind(dock_with_result, monkeypatch, tmp_path):
    """Each print made a PrintDialog parented to the dock and kept it, its coverage combo listening to the project:
    once a print is done (exported, or the dialog closed) and the event loop has turned, nothing of it is left."""
    from qgis.PyQt.QtWidgets import QFileDialog
    from signal_receivers import deferred_deletes, receivers

    from land_bureau_plugin.gui.print_dialog import PrintDialog

    dock, _districts = dock_with_result
    project = QgsProject.instance()
    deferred_deletes()
    before = receivers(project)
    assert not dock.findChildren(PrintDialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "map.png"), ""))
    answer(monkeypatch, "export")
    dock.print_button.click()
    assert (tmp_path / "map.png").exists()
    monkeypatch.setattr(PrintDialog, "exec", lambda dialog: False)  # the second time the user closes the dialog
    dock.print_button.click()
    deferred_deletes()
    assert not dock.findChildren(PrintDialog)
    assert receivers(project) == before


def test_the_panel_exports_the_table_to_xlsx_with_chinese_headers_and_units(dock_with_result, monkeypatch,
                                                                            tmp_path):
    import openpyxl
    from qgis.PyQt.QtWidgets import QFileDialog

    dock, _districts = dock_with_result
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "r.xlsx"), ""))
    dock.overdue_only.setChecked(True)
    dock.xlsx_button.click()
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    headers = [cell.value for cell in sheet[1]]
    assert {"项目编号", "预警等级", "超期过渡（户）", "安置剩余（天）", "原因"} <= set(headers)
    assert sheet.freeze_panes == "A2" and sheet.max_row == 3  # A and C are overdue, B is not due yet
    assert {sheet.cell(r, headers.index("预警等级") + 1).value for r in (2, 3)} == {"红色超期"}
    assert sheet.cell(2, headers.index("项目编号") + 1).value == "A"  # more households in overdue transition


@pytest.mark.parametrize("dock_name", ["ResettlementDock", "LandSupplyDock", "EfficiencyDock", "UpstairsDock",
                                       "LivingCircleDock"])
def test_every_analysis_panel_has_print_and_says_when_there_is_nothing_to_print(plugin, monkeypatch, dock_name):
    dock = next(d for d in plugin.docks if type(d).__name__ == dock_name)
    messages = []
    monkeypatch.setattr(dock, "push", lambda message, level=None: messages.append(message))
    dock.print_button.click()
    assert messages and "nothing to print" in messages[0]


def test_in_chinese_the_plugin_dialogs_have_no_english_buttons_or_blank_rows(chinese, plugin):
    """Qt's own OK / Cancel / Close stay English under QGIS's Chinese unless the plugin names them."""
    import re

    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    from qgis.PyQt.QtWidgets import QDialogButtonBox, QFormLayout

    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock
    from land_bureau_plugin.gui.postgis_dialog import PostgisDialog
    from land_bureau_plugin.gui.print_dialog import OTHER_TEMPLATE, PrintDialog

    rules = next(d for d in plugin.docks if isinstance(d, EfficiencyDock)).rules_dialog
    printing = PrintDialog(None, "efficiency", [], None)
    for dialog in (printing, PostgisDialog(), rules):
        for box in dialog.findChildren(QDialogButtonBox):  # as when another plugin installs its translator
            QCoreApplication.sendEvent(box, QEvent(QEvent.Type.LanguageChange))
        texts = [b.text() for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()]
        assert texts and not [t for t in texts if re.search("[A-Za-z]", t.replace("PDF", "").replace("PNG", ""))]
    form = printing.findChild(QFormLayout)
    printing.show()
    shown = [form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget() for row in range(form.rowCount())
             if form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget().isVisible()]
    assert all(label is not None and label.text() for label in shown)  # no unlabeled row
    assert not printing.template_file.isVisible()  # the .qpt file only for "other template"
    assert printing.atlas.currentLayer() is None and printing.atlas.currentText() == "不选：只打一页"
    printing.template.setCurrentIndex(printing.template.findData(OTHER_TEMPLATE))
    assert printing.template_file.isVisible() and printing.template_file_label.text() == "模板文件"
    printing.close()
