"""The resettlement panel: runs the algorithm as a background task, fills summary and table, replaces its layer."""
import time

from qgis.core import QgsProject
from resettlement_data import FIELDS, project


def wait_until_idle(dock, app, seconds=60):
    deadline = time.time() + seconds
    while dock.tasks and time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    assert not dock.tasks, "the background task did not finish"


def test_panel_runs_and_rerun_replaces_layer(plugin, qgis_app, make_layer, qgis_iface):
    from land_bureau_plugin.gui.resettlement_dock import ResettlementDock

    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29", "2021/2/28"), project("B", "2024-09-01"),
                                         project("C", "bad")], "征迁安置项目")
    QgsProject.instance().addMapLayer(layer)
    dock = next(d for d in plugin.docks if isinstance(d, ResettlementDock))
    dock.layer_combo.setLayer(layer)
    dock.as_of.setDate(dock.as_of.date().fromString("2025-07-01", "yyyy-MM-dd"))
    dock.run()
    wait_until_idle(dock, qgis_app)
    assert dock.model.rowCount() == 3
    assert "3" in dock.summary.text()
    first = dock.result_layer_id
    assert QgsProject.instance().mapLayer(first) is not None
    dock.overdue_only.setChecked(True)
    assert dock.model.rowCount() == 1  # only A is red on 2025-07-01
    dock.run()
    wait_until_idle(dock, qgis_app)
    assert QgsProject.instance().mapLayer(first) is None
    assert QgsProject.instance().mapLayer(dock.result_layer_id) is not None
    QgsProject.instance().removeAllMapLayers()
