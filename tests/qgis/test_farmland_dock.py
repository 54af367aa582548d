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


def test_the_flows_table_shows_known_funds_and_the_transfers_without_right_aligned(chinese, plugin, layers,  # noqa: F811
                                                                                  make_layer, wait_until_idle):
    """Seen on screen with a bureau's transfers, some priced, some not: the flows table shows a flow's known funds
    (300 亩 × 40 万元/亩 = 12,000 万元) beside the count of its transfers without (1), a flow with none known blank
    beside its count; figures right-aligned so their places line up, the counties left; the summary keeps 万元 with
    its figure: "资金 12,000.00 万元（1项调剂金额不明）", "资金 -（1项调剂金额不明）"."""
    from qgis.PyQt.QtCore import Qt
    from test_farmland_algorithm import TRANSFER_FIELDS, row

    occupations, supplements, _ = layers
    transfers = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-02", 10, 0, 0, None, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-03", 1000, 0, 0, None, "粮食生产功能区代保")),
    ], "指标调剂")
    for layer in (occupations, supplements, transfers):
        QgsProject.instance().addMapLayer(layer)
    try:
        dock = run_panel(plugin, wait_until_idle, occupations, supplements, transfers)
        model = dock.flow_model
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headers[-2:] == ["资金（万元）", "资金不明笔数"]
        shown = {model.index(r, 2).data(): [model.index(r, c).data() for c in range(model.columnCount())]
                 for r in range(model.rowCount())}
        assert shown["耕地"][3:] == ["2", "310.00", "60.00", "270,000", "12,000.00", "1"]
        assert shown["粮食生产功能区（代保）"][7:] == ["", "1"]
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        alignment = [model.index(0, c).data(Qt.ItemDataRole.TextAlignmentRole) for c in range(model.columnCount())]
        assert alignment[:3] == [None, None, None]  # 调出方, 调入方, 指标类型
        assert alignment[3:] == [right] * 6
        # the flow without funds: its blank is not a figure (nothing to align); its count is one
        grain = next(r for r in range(model.rowCount()) if model.index(r, 2).data() == "粮食生产功能区（代保）")
        assert model.index(grain, 7).data(Qt.ItemDataRole.TextAlignmentRole) is None
        assert model.index(grain, 8).data(Qt.ItemDataRole.TextAlignmentRole) == right
        summary = dock.summary.text()
        assert "资金 12,000.00 万元（1项调剂金额不明）" in summary
        assert "资金 -（1项调剂金额不明）" in summary and "（1项调剂金额不明） 万元" not in summary
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_the_printed_map_draws_the_flows_named_in_chinese(chinese, plugin, in_project, wait_until_idle, qgis_iface,
                                                          monkeypatch, tmp_path):
    """In Chinese the flows layer is 指标调剂流向: its name held 指标调剂 (the transfers input), so the print took it
    for an input of no place on this map and left the arrows off, without a word. Printed from the panel, the map
    draws the flows from the giving county's centre to the receiving one's and the legend names them."""
    from qgis.core import QgsLayoutItemLegend
    from qgis.PyQt.QtWidgets import QFileDialog
    from shapely import wkt as shapely_wkt
    from test_farmland_algorithm import rect
    from test_print_button import answer

    occupations, supplements, transfers = in_project
    dock = run_panel(plugin, wait_until_idle, occupations, supplements, transfers)
    flows = QgsProject.instance().mapLayer(dock.layer_ids["flows"])
    assert flows.name() == "指标调剂流向"
    opened = []
    monkeypatch.setattr(qgis_iface, "openLayoutDesigner", opened.append, raising=False)
    answer(monkeypatch, "designer")
    dock.print_button.click()
    layout = opened[0]
    printed = [layer.id() for layer in layout.itemById("map").layers()]
    assert flows.id() in printed
    # the outputs are marked results of no one source: the inputs stay on the map as context
    assert occupations.id() in printed and supplements.id() in printed
    legend = next(item for item in layout.items() if isinstance(item, QgsLayoutItemLegend))
    assert "指标调剂流向" in [node.customProperty("legend/title-label") or node.name()
                              for node in legend.model().rootGroup().children()]
    # the lines: 淳安县 is S2 alone; 西湖区 the mean of the centres of O1, O2 and S1
    centre = {name: shapely_wkt.loads(rect(*box)).centroid for name, box in
              (("S2", (60, 1050, 160, 1150)), ("O1", (0, 0, 100, 100)), ("O2", (200, 0, 300, 100)),
               ("S1", (0, 1000, 100, 1100)))}
    west = (sum(centre[n].x for n in ("O1", "O2", "S1")) / 3, sum(centre[n].y for n in ("O1", "O2", "S1")) / 3)
    for feature in flows.getFeatures():
        line = shapely_wkt.loads(feature.geometry().asWkt())
        assert (feature["from_county"], feature["to_county"]) == ("淳安县", "西湖区")
        assert line.coords[0] == pytest.approx((centre["S2"].x, centre["S2"].y))
        assert line.coords[-1] == pytest.approx(west)
    QgsProject.instance().layoutManager().clear()
    answer(monkeypatch, "export")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "耕地.pdf"), ""))
    dock.print_button.click()
    assert (tmp_path / "耕地.pdf").stat().st_size > 10000


def test_the_panels_outputs_are_never_preselected_as_inputs(chinese, plugin, in_project, wait_until_idle):
    """In Chinese the flows layer is 指标调剂流向, which the guess from a layer's name reads as the transfers input
    (指标调剂): marked as results like the other panels' outputs, neither
    is chosen for the next run — on the panel's own preselection, when layers are added or a project is read —, while
    the inputs still are."""
    from land_bureau_plugin.gui.common import RESULT_LAYER_KEY
    from land_bureau_plugin.qgis_bridge.fieldmaps import role_of

    occupations, supplements, transfers = in_project
    dock = run_panel(plugin, wait_until_idle, occupations, supplements, transfers)
    project = QgsProject.instance()
    outputs = [project.mapLayer(dock.layer_ids[key]) for key in ("flows", "checks")]
    assert outputs[0].name() == "指标调剂流向" and role_of(outputs[0]) == "indicator_transfers"  # a candidate
    assert all(layer.customProperty(RESULT_LAYER_KEY) is not None for layer in outputs)
    combos = [dock.occupations_combo, dock.supplements_combo, dock.transfers_combo]
    for combo in combos:
        combo.setLayer(None)
    dock.pick_added_layers(outputs)
    dock.pick_default_layers()
    chosen = [combo.currentLayer() for combo in combos]
    assert not {layer.id() for layer in chosen if layer is not None} & {layer.id() for layer in outputs}
    assert chosen == [occupations, supplements, transfers]
    transfers_again = dock.transfers_combo
    transfers_again.setLayer(None)
    project.removeMapLayer(transfers.id())
    dock.pick_default_layers()
    assert transfers_again.currentLayer() is None  # the flows are no transfers, even when no other layer fits
