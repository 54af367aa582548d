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


def run_panel(plugin, wait_until_idle, occupations, supplements, transfers):
    """The panel with these layers chosen, its run finished."""
    dock = farmland_dock(plugin)
    dock.occupations_combo.setLayer(occupations)
    dock.supplements_combo.setLayer(supplements)
    dock.transfers_combo.setLayer(transfers)
    dock.run()
    wait_until_idle(dock)
    return dock


@pytest.fixture()
def in_project(layers):  # noqa: F811
    for layer in layers:
        QgsProject.instance().addMapLayer(layer)
    yield layers
    QgsProject.instance().removeAllMapLayers()


def test_the_panel_runs_and_shows_ledger_flows_and_checks(plugin, in_project, wait_until_idle, tmp_path):
    occupations, supplements, transfers = in_project
    dock = run_panel(plugin, wait_until_idle, occupations, supplements, transfers)
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
    from test_farmland_algorithm import two_spellings

    chunan = (("O3", "淳安县", "2024-03-01", 5, 0, "5"), (400, 0, 500, 100))
    occupations, supplements = two_spellings(make_layer, chunan)
    for layer in (occupations, supplements):
        QgsProject.instance().addMapLayer(layer)
    try:
        dock = run_panel(plugin, wait_until_idle, occupations, supplements, None)
        assert sorted(dock.ledger_model.frame["county"]) == sorted(["桐庐县", "淳安县"])  # two counties, not three
        chosen = dict(dock.select_county("桐庐县"))
        assert sorted(occupations.getFeature(fid)["项目编号"] for fid in chosen[occupations]) == ["O1", "O2"]
        assert [supplements.getFeature(fid)["项目编号"] for fid in chosen[supplements]] == ["S1"]
    finally:
        QgsProject.instance().removeAllMapLayers()
