"""Write the bundled print layout templates (resources/layouts/*.qpt) with the QGIS API, so they load in QGIS 3.22+.

Run: .venv/bin/python scripts/make_layouts.py  (QT_QPA_PLATFORM=offscreen). The QPT files are committed; this
script is how they were made and how to change them consistently. Item ids are the ones in
land_bureau_plugin/layouts/templates.py; positions are millimetres on the page, (x, y, width, height).

Typography: layouts.fonts.FAMILY (why that font: see its docstring); the builder substitutes another CJK font
when it is absent.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutFrame,
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsSimpleFillSymbolLayer,
    QgsSymbolLayerUtils,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

from land_bureau_plugin.layouts import templates as ids  # noqa: E402
from land_bureau_plugin.layouts.fonts import FAMILY  # noqa: E402

INK = "#1a1a1a"
GREY = "#555555"


@dataclass
class Paper:
    size: str
    orientation: object
    boxes: dict
    points: dict = field(default_factory=dict)  # text sizes in pt by role
    legend_inside_map: bool = True  # lower left inside the map; else its upper left corner at the box
    legend_columns: int = 1


A3 = Paper("A3", QgsLayoutItemPage.Orientation.Landscape, {
    ids.TITLE: (10, 7, 400, 13), ids.SUBTITLE: (10, 20, 400, 7),
    ids.MAP: (10, 29, 252, 241), ids.NORTH_ARROW: (246, 32, 12, 18),
    ids.LEGEND: (12.5, 267.5), ids.SCALEBAR: (259.5, 267.5),
    ids.SUMMARY_HEADING: (268, 29, 142, 7), ids.SUMMARY: (268, 37, 142, 50),
    ids.TABLE_HEADING: (268, 91, 142, 7), ids.TABLE: (268, 99, 142, 164), ids.TABLE_NOTE: (268, 264, 142, 6),
    "rule": (10, 274, 400, 0.35),
    ids.FOOTER_ORG: (10, 276, 160, 7), ids.FOOTER_DATE: (130, 276, 160, 7), ids.FOOTER_PAGE: (250, 276, 160, 7),
}, {"title": 22, "subtitle": 10, "heading": 11, "body": 8, "footer": 9})

A4 = Paper("A4", QgsLayoutItemPage.Orientation.Portrait, {
    ids.TITLE: (10, 7, 190, 11), ids.SUBTITLE: (10, 18, 190, 6),
    ids.MAP: (10, 26, 190, 122), ids.NORTH_ARROW: (186, 29, 10, 15),
    ids.LEGEND: (10, 150.5), ids.SCALEBAR: (197.5, 145.5),
    ids.SUMMARY_HEADING: (10, 176, 190, 6), ids.SUMMARY: (10, 183, 190, 16),
    ids.TABLE_HEADING: (10, 202, 190, 6), ids.TABLE: (10, 209, 190, 61), ids.TABLE_NOTE: (10, 271, 190, 5),
    "rule": (10, 279, 190, 0.35),
    ids.FOOTER_ORG: (10, 281, 90, 6), ids.FOOTER_DATE: (60, 281, 90, 6), ids.FOOTER_PAGE: (110, 281, 90, 6),
}, {"title": 18, "subtitle": 9, "heading": 10, "body": 7.5, "footer": 8}, legend_inside_map=False,
   legend_columns=4)

PAPERS = {"a3_landscape": A3, "a4_portrait": A4}


def qfont(points: float, bold: bool = False) -> QFont:
    font = QFont(FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def text_format(points: float, bold: bool = False, colour: str = INK) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(qfont(points, bold))
    fmt.setSize(points)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor(colour))
    return fmt


def place(item: QgsLayoutItem, box, reference=None) -> None:
    if reference is not None:
        item.setReferencePoint(reference)
    item.attemptMove(QgsLayoutPoint(box[0], box[1]))
    if len(box) == 4:
        item.attemptResize(QgsLayoutSize(box[2], box[3]))


def label(layout, paper: Paper, item_id: str, text: str, role: str, bold=False, align=Qt.AlignmentFlag.AlignLeft,
          colour=INK) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setId(item_id)
    item.setText(text)
    item.setFont(qfont(paper.points[role], bold))
    item.setFontColor(QColor(colour))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignmentFlag.AlignVCenter)
    item.setMarginX(0)
    item.setMarginY(0)
    layout.addLayoutItem(item)
    place(item, paper.boxes[item_id])
    return item


def manual_table(layout, paper: Paper, item_id: str, header_points: float,
                 content_points: float) -> QgsLayoutItemManualTable:
    table = QgsLayoutItemManualTable.create(layout)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    table.addFrame(frame)
    place(frame, paper.boxes[item_id])
    frame.setCustomProperty(ids.WIDTH_PROPERTY, paper.boxes[item_id][2])
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    table.setIncludeTableHeader(False)  # the builder writes the header as the first row (see table_item.py)
    table.setHeaderTextFormat(text_format(header_points, bold=True))
    table.setContentTextFormat(text_format(content_points))
    table.setHeaderHAlignment(QgsLayoutTable.HeaderHAlignment.HeaderCenter)
    table.setCellMargin(0.9)
    table.setGridStrokeWidth(0.15)
    table.setGridColor(QColor("#7f7f7f"))
    table.setBackgroundColor(QColor("#ffffff"))
    table.setWrapBehavior(QgsLayoutTable.WrapBehavior.WrapText)
    table.setEmptyTableBehavior(QgsLayoutTable.EmptyTableMode.HideTable)
    return table


def build(paper: Paper) -> QgsPrintLayout:
    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(paper.size, paper.orientation)
    centre = Qt.AlignmentFlag.AlignHCenter
    label(layout, paper, ids.TITLE, "专题图标题", "title", bold=True, align=centre)
    label(layout, paper, ids.SUBTITLE, "主题 · 截至日期 · 数据来源", "subtitle", align=centre, colour=GREY)

    map_item = QgsLayoutItemMap(layout)
    map_item.setId(ids.MAP)
    layout.addLayoutItem(map_item)
    place(map_item, paper.boxes[ids.MAP])
    box = paper.boxes[ids.MAP]
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    map_item.setExtent(QgsRectangle(500000, 3300000, 500000 + 100 * box[2], 3300000 + 100 * box[3]))
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.4))
    map_item.setBackgroundColor(QColor("#ffffff"))

    arrow = QgsLayoutItemPicture(layout)
    arrow.setId(ids.NORTH_ARROW)
    arrow.setPicturePath(QgsSymbolLayerUtils.svgSymbolNameToPath(ids.NORTH_ARROW_SVG, QgsReadWriteContext()
                                                                  .pathResolver()))
    arrow.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    arrow.setSvgFillColor(QColor(INK))
    arrow.setSvgStrokeColor(QColor(INK))
    arrow.setLinkedMap(map_item)
    arrow.setNorthMode(QgsLayoutItemPicture.NorthMode.GridNorth)
    layout.addLayoutItem(arrow)
    place(arrow, paper.boxes[ids.NORTH_ARROW])

    legend = QgsLayoutItemLegend(layout)
    legend.setId(ids.LEGEND)
    legend.setTitle("图例")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.setStyleFont(QgsLegendStyle.Style.Title, qfont(paper.points["heading"], bold=True))
    legend.setStyleFont(QgsLegendStyle.Style.Group, qfont(paper.points["body"] + 0.5, bold=True))
    legend.setStyleFont(QgsLegendStyle.Style.Subgroup, qfont(paper.points["body"] + 0.5, bold=True))
    legend.setStyleFont(QgsLegendStyle.Style.SymbolLabel, qfont(paper.points["body"]))
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(3.5)
    legend.setBoxSpace(2.5)
    legend.setBackgroundColor(QColor("#ffffff"))
    legend.setBackgroundEnabled(True)
    legend.setFrameEnabled(True)
    legend.setFrameStrokeWidth(QgsLayoutMeasurement(0.25))
    legend.setResizeToContents(True)
    legend.setColumnCount(paper.legend_columns)
    legend.setSplitLayer(paper.legend_columns > 1)
    legend.setEqualColumnWidth(False)
    layout.addLayoutItem(legend)
    place(legend, paper.boxes[ids.LEGEND], QgsLayoutItem.ReferencePoint.LowerLeft if paper.legend_inside_map
          else QgsLayoutItem.ReferencePoint.UpperLeft)

    scalebar = QgsLayoutItemScaleBar(layout)
    scalebar.setId(ids.SCALEBAR)
    scalebar.setStyle("Single Box")
    scalebar.setLinkedMap(map_item)
    scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters)
    scalebar.setUnitLabel("米")
    scalebar.setNumberOfSegments(2)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setUnitsPerSegment(500)
    scalebar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
    scalebar.setMinimumBarWidth(20)
    scalebar.setMaximumBarWidth(45)
    scalebar.setHeight(1.8)
    scalebar.setTextFormat(text_format(paper.points["body"]))
    scalebar.setBoxContentSpace(1.5)
    scalebar.setBackgroundEnabled(True)
    scalebar.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(scalebar)
    scalebar.update()
    place(scalebar, paper.boxes[ids.SCALEBAR], QgsLayoutItem.ReferencePoint.LowerRight)

    label(layout, paper, ids.SUMMARY_HEADING, "统计概况", "heading", bold=True)
    manual_table(layout, paper, ids.SUMMARY, paper.points["body"], paper.points["body"])
    label(layout, paper, ids.TABLE_HEADING, "重点项目", "heading", bold=True)
    manual_table(layout, paper, ids.TABLE, paper.points["body"], paper.points["body"])
    label(layout, paper, ids.TABLE_NOTE, "共 0 项", "body", colour=GREY)

    rule = QgsLayoutItemShape(layout)
    rule.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
    rule.setId("rule")
    fill = QgsSimpleFillSymbolLayer(QColor(INK))
    fill.setStrokeStyle(Qt.PenStyle.NoPen)
    rule.symbol().changeSymbolLayer(0, fill)
    layout.addLayoutItem(rule)
    place(rule, paper.boxes["rule"])

    label(layout, paper, ids.FOOTER_ORG, "制图单位：规划和自然资源局", "footer")
    label(layout, paper, ids.FOOTER_DATE, "制图日期：[% format_date(now(), 'yyyy年M月d日') %]", "footer", align=centre)
    label(layout, paper, ids.FOOTER_PAGE, "第 [% coalesce(@atlas_featurenumber, @layout_page) %] 页 "
          "共 [% coalesce(@atlas_totalfeatures, @layout_numpages) %] 页", "footer", align=Qt.AlignmentFlag.AlignRight)
    return layout


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    out = ROOT / "resources" / "layouts"
    out.mkdir(parents=True, exist_ok=True)
    for name, paper in PAPERS.items():
        layout = build(paper)
        if not layout.saveAsTemplate(str(out / f"{name}.qpt"), QgsReadWriteContext()):
            sys.exit(f"cannot write {name}.qpt")
        print(f"wrote {out / name}.qpt")
    del app


if __name__ == "__main__":
    main()
