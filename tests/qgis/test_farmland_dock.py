"""The 耕地占补平衡 panel: runs landbureau:farmlandbalance in the background, shows each county's latest balance (every
period on demand), the flows between counties and the checks, draws the checks and the flows on the map, and a click
on a county selects its occupations and supplements."""
import pytest
from qgis.core import QgsProject
from test_farmland_algorithm import (
    layers,  # noqa: F401 — the fixture: two counties, a transfer, overlapping supplements
)


def farmland_dock(plugin):
    from land_bureau_plugin.gui.farmland_dock import FarmlandDock

    return next(d for d in plugin.docks if isinstance(d, FarmlandDock))


@pytest.fixture()
def in_project(layers):  # noqa: F811
    for layer in layers:
        QgsProject.instance().addMapLayer(layer)
    yield layers
    QgsProject.instance().removeAllMapLayers()


def test_the_panel_runs_and_shows_ledger_flows_and_checks(plugin, in_project, wait_until_idle, tmp_path):
    occupations, supplements, transfers = in_project
    dock = farmland_dock(plugin)
    dock.occupations_combo.setLayer(occupations)
    dock.supplements_combo.setLayer(supplements)
    dock.transfers_combo.setLayer(transfers)
    dock.run()
    wait_until_idle(dock)
    ledger = dock.ledger_model.frame
    assert list(ledger["county"]) == ["淳安县", "西湖区"]  # each county's latest period
    xihu = ledger.set_index("county").loc["西湖区"]
    assert xihu["period"] == "2024" and xihu["balance_mu"] == pytest.approx(50)
    assert xihu["status"] == "deficit" and xihu["shortfall_paddy_mu"] == pytest.approx(10)
    dock.every_period.setChecked(True)
    assert len(dock.ledger_model.frame) == 4  # two counties × 2023, 2024
    flows = dock.flow_model.frame
    assert len(flows) == 2 and set(flows["from_county"]) == {"淳安县"}
    assert sorted(dock.check_model.frame["project_id"]) == ["O2", "S1"]
    names = {layer.name() for layer in QgsProject.instance().mapLayers().values()}
    assert {"Cultivated land checks", "Indicator flows"} <= names
    chosen = dict(dock.select_county("西湖区"))
    assert sorted(occupations.getFeature(fid)["项目编号"] for fid in chosen[occupations]) == ["O1", "O2"]
    assert [supplements.getFeature(fid)["项目编号"] for fid in chosen[supplements]] == ["S1"]
    assert "西湖区" in dock.summary.text()


def test_a_click_on_a_county_selects_its_projects_under_every_spelling(plugin, make_layer, wait_until_idle):
    """桐庐县 in the ledger holds 桐廬縣's projects too (one county): a click selects them all."""
    from test_farmland_algorithm import OCC_FIELDS, SUP_FIELDS, rect, row

    occupations = make_layer("Polygon", OCC_FIELDS, [
        row(OCC_FIELDS, ("O1", "桐庐县", "2023-06-01", 100, 0, "5"), rect(0, 0, 100, 100)),
        row(OCC_FIELDS, ("O2", "桐廬縣", "2024-03-01", 50, 0, "5"), rect(200, 0, 300, 100)),
        row(OCC_FIELDS, ("O3", "淳安县", "2024-03-01", 5, 0, "5"), rect(400, 0, 500, 100)),
    ], "占用耕地项目")
    supplements = make_layer("Polygon", SUP_FIELDS, [
        row(SUP_FIELDS, ("S1", "桐廬縣", "2023-03-01", 200, 0, "5"), rect(0, 1000, 100, 1100)),
        row(SUP_FIELDS, ("S2", "淳安县", "2023-01-10", 300, 0, "5"), rect(200, 1000, 300, 1100)),
    ], "补充耕地项目")
    for layer in (occupations, supplements):
        QgsProject.instance().addMapLayer(layer)
    try:
        dock = farmland_dock(plugin)
        dock.occupations_combo.setLayer(occupations)
        dock.supplements_combo.setLayer(supplements)
        dock.transfers_combo.setLayer(None)
        dock.run()
        wait_until_idle(dock)
        assert sorted(dock.ledger_model.frame["county"]) == sorted(["桐庐县", "淳安县"])  # two counties, not three
        chosen = dict(dock.select_county("桐庐县"))
        assert sorted(occupations.getFeature(fid)["项目编号"] for fid in chosen[occupations]) == ["O1", "O2"]
        assert [supplements.getFeature(fid)["项目编号"] for fid in chosen[supplements]] == ["S1"]
    finally:
        QgsProject.instance().removeAllMapLayers()
