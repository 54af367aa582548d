"""Runs inside the real QGIS desktop (qgis --code): drives the plugin's panels step by step.

The test talks to it through files in $LB_E2E_DIR: the driver writes `<step>.ready` when the screen shows a
step, the test takes its screenshot (ImageMagick `import -window root`) and writes `<step>.go` to continue.
Facts the test checks (menu titles, dock titles, table rows) go to `report.json`.
"""
import json
import os
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget
from qgis.utils import iface, plugins

WORK = Path(os.environ["LB_E2E_DIR"])
STEPS = ["load_panel", "resettlement_panel"]
report = {"plugins": sorted(plugins), "errors": []}


def dock(name):
    return next((d for d in QApplication.allWidgets() if isinstance(d, QDockWidget) and d.objectName() == name), None)


def messages():
    """What the message bar shows (the plugin reports failures there)."""
    from qgis.gui import QgsMessageBarItem

    return [f"{item.title()}: {item.text()}" for item in iface.messageBar().findChildren(QgsMessageBarItem)]


def show(name):
    panel = dock(name)
    if not panel.isVisible():  # the way a user opens it: the menu entry
        panel.toggleViewAction().trigger()
    panel.setMinimumWidth(560)
    return panel


def step_load_panel(done):
    panel = show("landBureauLoadDock")
    report["menus"] = [a.text() for a in iface.mainWindow().menuBar().actions()]
    report["layers"] = sorted(layer.name() for layer in QgsProject.instance().mapLayers().values())
    parcels = next((lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == "地块"), None)
    if parcels is not None:
        panel.select_layer(parcels)
        panel.validate_selected()
    iface.mapCanvas().zoomToFullExtent()
    report["load_dock_title"] = panel.windowTitle()
    report["validation"] = [panel.report.item(i).text() for i in range(panel.report.count())]
    done()


def step_resettlement_panel(done):
    panel = show("landBureauResettlementDock")
    report["resettlement_dock_title"] = panel.windowTitle()
    report["resettlement_input"] = panel.layer_combo.currentLayer().name() if panel.layer_combo.currentLayer() else ""
    panel.as_of.setDate(panel.as_of.date().fromString("2026-11-27", "yyyy-MM-dd"))
    panel.run()

    def wait():
        if panel.tasks:
            QTimer.singleShot(300, wait)
            return
        report["resettlement_rows"] = panel.model.rowCount()
        report["resettlement_summary"] = panel.summary.text()
        result = QgsProject.instance().mapLayer(panel.result_layer_id or "")
        if result is None:
            report["errors"].append("no result layer; message bar: " + " | ".join(messages()))
        else:
            iface.mapCanvas().setExtent(result.extent().buffered(800))
            iface.mapCanvas().refresh()
        QTimer.singleShot(1500, done)

    QTimer.singleShot(300, wait)


def run_step(index=0):
    if index >= len(STEPS):
        (WORK / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        QTimer.singleShot(200, QApplication.instance().quit)
        return
    name = STEPS[index]

    def done():
        (WORK / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        (WORK / f"{name}.ready").touch()
        wait_for_go()

    def wait_for_go():
        if (WORK / f"{name}.go").exists():
            run_step(index + 1)
        else:
            QTimer.singleShot(200, wait_for_go)

    try:
        globals()[f"step_{name}"](done)
    except Exception as exc:  # the test reads this instead of a hung desktop
        report["errors"].append(f"{name}: {exc!r}")
        done()


# Xvfb has no window manager to maximise a window: give the main window the whole screen ourselves.
iface.mainWindow().setGeometry(QApplication.primaryScreen().geometry())
iface.mainWindow().show()
QTimer.singleShot(4000, run_step)
