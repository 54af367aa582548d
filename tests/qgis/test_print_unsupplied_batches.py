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
