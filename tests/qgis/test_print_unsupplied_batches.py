"""The printed 土地供应监管图 lists the 批而未供 batches (batch id, 批而未供 亩, age, grade) under the idle parcels —
before, they showed only in the subtitle and the hatching — inside the table's frame, never over the footer."""
import datetime as dt

import pytest
from test_layouts import export, pdf_text, squash

AS_OF = "2026-11-27"


@pytest.fixture()
def supply_run(plugin, make_layer):
    """Idle parcels and four batches, areas by hand: B1 300 × 100 m approved 2023-03-01 less 0–80 and 200–260 m
    supplied = 16,000 m² (24.0 亩) past two years; B2 fully supplied (not listed); B3 30 × 100 m untouched,
    approved 2026-01-01 = 3,000 m² (4.5 亩) within its two years; B4 as B3 with its approval date unknown."""
    import processing
    from land_supply_data import BATCH_FIELDS, SUPPLY_FIELDS, batch, parcel, rect

    supply = make_layer("Polygon", SUPPLY_FIELDS, [
        parcel("闲置-1", "2025-06-01", rect(0, 0, 40, 100), price=1000),
        parcel("收回-2", "2023-03-01", rect(40, 0, 80, 100), price=500),
        parcel("未用-3", "2026-06-01", rect(200, 0, 260, 100))], "供地宗地")
    batches = make_layer("Polygon", BATCH_FIELDS, [
        batch("B1-浙土字A2023-031", "2023-03-01", rect(0, 0, 300, 100)),
        batch("B2-浙土字A2024-002", "2024-01-01", rect(200, 0, 260, 100)),
        batch("B3-浙土字A2026-007", "2026-01-01", rect(400, 0, 430, 100)),
        batch("B4-浙土字待查", "", rect(500, 0, 530, 100))], "报批批次")
    return processing.run("landbureau:landsupply", {"SUPPLY": supply, "APPROVALS": batches, "AS_OF": AS_OF,
                                                    "OUTPUT": "memory:", "UNSUPPLIED": "memory:"})


def test_the_printed_map_lists_the_unsupplied_batches_most_overdue_first(supply_run, tmp_path):
    import processing

    from land_bureau_plugin.processing.export_layout import THEME_KEYS

    out = tmp_path / "supply.pdf"
    processing.run("landbureau:exportlayout", {
        "THEME": THEME_KEYS.index("land_supply"), "LAYERS": [supply_run["OUTPUT"], supply_run["UNSUPPLIED"]],
        "AS_OF": AS_OF, "SUMMARY": supply_run["SUMMARY"], "TEMPLATE": "a3_landscape", "OUTPUT": str(out)})
    text = pdf_text(out, layout=True)
    assert "批而未供批次（按消化期限排序）" in text
    heading = text.index("批而未供批次")
    age = (dt.date(2026, 11, 27) - dt.date(2023, 3, 1)).days  # 1,367
    first, third = text.index("B1-浙土字A2023-031"), text.index("B3-浙土字A2026-007")
    assert heading < first < third < text.index("B4-浙土字待查")  # overdue first, unknown due date last
    assert squash(f"24.0 {age:,} 红色超期") in text[first:third]
    assert squash(f"4.5 {(dt.date(2026, 11, 27) - dt.date(2026, 1, 1)).days} 正常") in text[third:]
    assert "数据缺失" in text[text.index("B4-浙土字待查"):]
    assert "B2-浙土字A2024-002" not in text  # fully supplied: no 批而未供


LONG_NOTE = "依据：" + "；".join(f"第{n}条规则的依据文件名称及条款" for n in range(12))


@pytest.mark.parametrize("template, sources", [("a3_landscape", ""), ("a4_portrait", ""),
                                               ("a4_portrait", LONG_NOTE)],  # little room left, or none
                         ids=["a3", "a4", "a4-long-note"])
def test_the_batches_table_stays_inside_the_table_frame_under_the_note(supply_run, qgis_app, template, sources,
                                                                       tmp_path):
    """Built with the builder to read the items' places: the batches' heading starts below the note, the table
    ends inside the main table's frame (so above the footer); on a page without room it is left out, never drawn
    over what is below."""
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import second_table
    from land_bureau_plugin.layouts import templates as ids
    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import LAND_SUPPLY

    project = QgsProject()
    layers = [supply_run["OUTPUT"], supply_run["UNSUPPLIED"]]
    layers = [project.addMapLayer(layer, False) if not isinstance(layer, str) else layer for layer in layers]
    layout = build_layout(project, PrintRequest(LAND_SUPPLY, layers, template=template, as_of=dt.date(2026, 11, 27),
                                                sources=sources))
    heading, table = layout.itemById(second_table.HEADING_ID), layout.itemById(second_table.TABLE_ID)
    note, frame = layout.itemById(ids.TABLE_NOTE), layout.itemById(ids.TABLE)
    assert heading is not None and table is not None
    if not table.isVisible():
        assert not heading.isVisible()
        return
    note_bottom = note.positionWithUnits().y() + note.rect().height()
    frame_bottom = frame.positionWithUnits().y() + frame.rect().height()
    assert heading.positionWithUnits().y() >= note_bottom
    assert table.positionWithUnits().y() >= heading.positionWithUnits().y() + heading.rect().height()
    assert table.positionWithUnits().y() + table.rect().height() <= frame_bottom + 1e-6
    assert table.multiFrame().tableContents()[1][0].content() == "B1-浙土字A2023-031"
    export(layout, tmp_path / "map.pdf")


@pytest.fixture()
def every_status_run(plugin, make_layer):
    """Parcels in every status and batches in every grade: the legend's longest form (eight statuses, five
    批而未供 grades, the batches, districts), as a real month's supervision map has it; 25 idle parcels to list."""
    import processing
    from land_supply_data import BATCH_FIELDS, SUPPLY_FIELDS, batch, parcel, rect

    rows = [parcel(f"闲置-{n}", f"2025-{1 + n % 9:02d}-0{1 + n % 8}", rect(60 * n, 0, 60 * n + 50, 50),
                   price=None if n % 4 == 0 else 900 + n) for n in range(25)]
    rows += [parcel("未用", "2026-06-01", rect(0, 100, 50, 150)), parcel("临近", "2027-01-10", rect(60, 100, 110, 150)),
             parcel("按期", "2028-01-01", rect(120, 100, 170, 150)),
             parcel("竣工", "2024-01-01", rect(180, 100, 230, 150), start="2024-01-02", done="2026-01-02"),
             parcel("政府", "2024-01-01", rect(240, 100, 290, 150), government="是", cause="规划调整"),
             parcel("错误", "2024年", rect(300, 100, 350, 150))]
    supply = make_layer("Polygon", SUPPLY_FIELDS, rows, "供地宗地")
    batches = make_layer("Polygon", BATCH_FIELDS, [
        batch("超期", "2023-03-01", rect(0, -100, 300, -10)), batch("橙色", "2025-01-01", rect(400, -100, 600, -10)),
        batch("黄色", "2025-04-01", rect(700, -100, 900, -10)),
        batch("正常", "2026-06-01", rect(1000, -100, 1200, -10)),
        batch("缺失", "", rect(1300, -100, 1400, -10))], "报批批次")
    districts = make_layer("Polygon", [("行政区", "string")], [
        {"wkt": rect(-20, -120, 700, 170), "行政区": "临平街道"},
        {"wkt": rect(700, -120, 1500, 170), "行政区": "南苑街道"}],
        "行政区划")
    run = processing.run("landbureau:landsupply", {"SUPPLY": supply, "APPROVALS": batches, "AS_OF": AS_OF,
                                                   "OUTPUT": "memory:", "UNSUPPLIED": "memory:"})
    return {**run, "context": [batches, districts]}


@pytest.mark.parametrize("template", ["a3_landscape", "a4_portrait"])
def test_a_long_legend_and_the_sources_note_keep_clear_of_the_figures_and_the_footer(every_status_run, qgis_app,
                                                                                      template, tmp_path):
    """A4 printed the legend of every status down onto the 统计概况 heading, and the 依据 paragraph under the table
    ran over the footer (制图单位 …): the figures and the table move down below the legend, the table lists fewer
    rows so that its note ends above the footer."""
    import json

    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import layer_roles
    from land_bureau_plugin.layouts import templates as ids
    from land_bureau_plugin.layouts.builder import BELOW_LEGEND_GAP, PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import LAND_SUPPLY, sources_note
    from land_bureau_plugin.qgis_bridge import styles

    project = QgsProject()
    layers = [project.addMapLayer(layer, False) if not isinstance(layer, str) else layer
              for layer in (every_status_run["OUTPUT"], every_status_run["UNSUPPLIED"], *every_status_run["context"])]
    styles.apply_style(layers[0], LAND_SUPPLY.styles["polygon"])  # as the print algorithm styles fresh layers
    for layer in layers[1:]:
        styles.apply_style(layer, layer_roles.style_for(layer, layer_roles.print_role(layer)))
    sources = sources_note(json.loads(every_status_run["SUMMARY"]), LAND_SUPPLY)
    assert len(sources) > 200  # the real 依据 paragraph: three lines or more on A4
    layout = build_layout(project, PrintRequest(LAND_SUPPLY, layers, template=template,
                                                as_of=dt.date(2026, 11, 27), sources=sources))

    def box(item_id):
        item = layout.itemById(item_id)
        return item.positionWithUnits().y(), item.positionWithUnits().y() + item.rect().height()

    legend = layout.itemById(ids.LEGEND).sceneBoundingRect()
    heading, summary = box(ids.SUMMARY_HEADING), box(ids.SUMMARY)
    if legend.left() < layout.itemById(ids.SUMMARY_HEADING).sceneBoundingRect().right() and \
            legend.top() < heading[0]:  # A4: the legend above the figures
        assert legend.bottom() + BELOW_LEGEND_GAP - 1e-6 <= heading[0]
    assert heading[1] <= summary[0] + 1e-6 and summary[1] <= box(ids.TABLE_HEADING)[0] + 1e-6
    note = box(ids.TABLE_NOTE)
    footer = min(box(item)[0] for item in (ids.FOOTER_ORG, ids.FOOTER_DATE, ids.FOOTER_PAGE))
    assert note[1] <= footer, (note, footer)
    assert "依据" in layout.itemById(ids.TABLE_NOTE).text()
    table = layout.itemById(ids.TABLE).multiFrame()
    assert len(table.tableContents()) >= 3  # still a table, shorter
    export(layout, tmp_path / f"{template}.pdf")
