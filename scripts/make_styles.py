"""Write the plugin's QML styles (resources/styles) with the QGIS API, so they are valid for QGIS 3.22+.

Run: .venv/bin/python scripts/make_styles.py  (QT_QPA_PLATFORM=offscreen). The QML files are committed; this
script is how they were made and how to change them consistently.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "styles"

# no day counts in the labels: the warning windows come from the rule profile, and the panel relabels the result
# layer with its run's (processing.resettlement.grade_labels), the print with the theme's legend_labels
GRADE_COLOURS = [("green", "#1a9641", "正常 / on track"), ("yellow", "#f2d600", "黄色预警"),
                 ("orange", "#fd8d3c", "橙色预警"), ("red", "#d7191c", "红色：超期"),
                 ("grey", "#9e9e9e", "灰色：数据缺失")]
# Low efficiency first and strongest, whatever the grade: on real data without tax figures no parcel has a grade,
# and a style by grade alone painted flagged and unjudged parcels the same grey. The class is an expression:
# 'low' for low_eff = 1, else the grade, else 'judged' (in scope: it has a potential), else 'none' — out of scope
# or no data. (Not NULL and QGIS's "" catch-all class: the printed legend, filtered to what the map shows, left
# that class out.)
EFFICIENCY_CLASS = ("CASE WHEN \"low_eff\" = 1 THEN 'low' WHEN \"grade\" IS NOT NULL THEN \"grade\" "
                    "WHEN \"potential_m2\" IS NOT NULL THEN 'judged' ELSE 'none' END")
EFFICIENCY_COLOURS = [("low", ("#d7191c", "#67000d", "0.35"), "低效用地"),
                      ("A", ("#1a9641", "#5a5a5a", "0.15"), "A 优先发展"),
                      ("B", ("#a6d96a", "#5a5a5a", "0.15"), "B 提升发展"),
                      ("C", ("#fdd49e", "#5a5a5a", "0.15"), "C 调控帮扶"),
                      ("D", ("#f4a582", "#5a5a5a", "0.15"), "D 倒逼整治"),
                      ("judged", ("#dfe7ef", "#8c8c8c", "0.15"), "非低效（无亩均等级）"),
                      ("none", ("#fafafa", "#c8c8c8", "0.1"), "未评价（不在范围或无数据）")]

# (fill, outline): passed plans in a neutral blue-grey, not a green that reads as the farmland (#c7e9c0) under them;
# a plan neither passed nor failed (a data error in its own values: passed NULL) hatched grey as a class of its own —
# with classes 1 and 0 alone it was not drawn at all, and a printed map of undecided plans showed none of them
UPSTAIRS_CLASS = "CASE WHEN \"passed\" IS NULL THEN 'undecided' ELSE to_string(\"passed\") END"
UPSTAIRS_COLOURS = [("1", ("#e3e9f0", "#5b6f82"), "通过 / passed"), ("0", ("#fdd0a2", "#a63603"), "未通过 / failed"),
                    ("undecided", ("#bdbdbd", "#525252", "0.4", "b_diagonal"), "未核查 / not checked")]

# Land supply: the parcels by status — idle and reclaim the strongest reds, unused orange, the rest light; the
# unsupplied parts of the approval batches hatched in their grade's colour (by age against the two-year deadline),
# so they read as "land still to supply" over the parcels and the batches' outlines.
SUPPLY_COLOURS = [("reclaim", ("#67000d", "#3b0008", "0.4"), "闲置满两年（应收回）"),
                  ("idle", ("#d7191c", "#67000d", "0.3"), "闲置"),
                  ("unused", ("#fd8d3c", "#a63603", "0.3"), "供而未用"),
                  ("due_soon", ("#f2d600", "#8c7a00", "0.2"), "临近开工期限"),
                  ("government_delay", ("#bcbddc", "#54278f", "0.3"), "政府原因延迟"),
                  ("on_time", ("#d9f0d3", "#6a9a6a", "0.15"), "按期"),
                  ("completed", ("#eeeeee", "#9a9a9a", "0.15"), "已竣工"),
                  ("missing", ("#9e9e9e", "#5a5a5a", "0.2"), "数据缺失")]
UNSUPPLIED_COLOURS = [("red", "#d7191c", "超过两年期限"), ("orange", "#fd8d3c", "临近两年期限（橙色）"),
                      ("yellow", "#e0c200", "临近两年期限（黄色）"), ("green", "#1a9641", "两年期限内"),
                      ("grey", "#7a7a7a", "批准日期缺失")]


FARMLAND_CHECK_COLOURS = [
    ("cap_exceeded", ("#d7191c", "#67000d", "0.4"), "超出以补定占额度"),
    ("supplement_after_occupation", ("#fd8d3c", "#a63603", "0.4"), "违反先补后占"),
    ("occupies_basic_farmland", ("#7b3294", "#40004b", "0.4"), "占用永久基本农田"),
    ("supplement_on_protected", ("#e7298a", "#67001f", "0.4"), "补充耕地位于管控区域"),
    ("supplement_overlap", ("#2c7bb6", "#053061", "0.4"), "补充耕地相互重叠"),
]


def hatched(colour: str) -> QgsFillSymbol:
    """A diagonal hatch in `colour` with an outline of it: an area drawn over others without hiding them."""
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": colour, "outline_width": "0.5",
                                       "style": "b_diagonal"})

def fill(colour: str, outline: str = "#555555", width: str = "0.2", style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": outline, "outline_width": width,
                                       "style": style})

LIVING_COLOURS = [("1", "#1a9641", "基本设施全覆盖 / every basic facility"), ("0", "#fd8d3c", "有缺项 / gaps")]


def save(layer_type: str, renderer, name: str) -> None:
    layer = QgsVectorLayer(f"{layer_type}?crs=EPSG:4549&field=grade:string", name, "memory")
    layer.setRenderer(renderer)
    message, ok = layer.saveNamedStyle(str(OUT / f"{name}.qml"))
    if not ok:
        sys.exit(f"cannot write {name}: {message}")


def categories(field: str, classes, symbol_factory):
    cats = [QgsRendererCategory(value, symbol_factory(colour), label) for value, colour, label in classes]
    return QgsCategorizedSymbolRenderer(field, cats)


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    OUT.mkdir(parents=True, exist_ok=True)
    save("Polygon", QgsSingleSymbolRenderer(fill("#fdf6e3", "#8c6d31", "0.26")), "parcels")
    save("Polygon", QgsSingleSymbolRenderer(fill("#bdbdbd", "#636363", "0.1")), "buildings")
    save("Polygon", QgsSingleSymbolRenderer(fill("#9ecae1", "#2171b5", "0.4")), "resettlement_plots")
    save("Polygon", QgsSingleSymbolRenderer(fill("#dadaeb", "#54278f", "0.5")), "upstairs_plans")
    # context (三区三线, districts): light and thin, so what an analysis found stays the strongest thing on a map;
    # the red line pink, not the red of the violation pieces drawn over it
    save("Polygon", QgsSingleSymbolRenderer(fill("#d9f0d3", "#7fbf7b", "0.1")), "farmland")
    save("Polygon", QgsSingleSymbolRenderer(fill("#f7c6c6", "#e08a8a", "0.25", "b_diagonal")), "redline")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#9e7cc1", "0.5", "no")), "urban_boundary")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#6e6e6e", "0.35", "no")), "districts")
    # any other layer printed as context, when it comes without a style of its own
    save("Polygon", QgsSingleSymbolRenderer(fill("#efefef", "#b4b4b4", "0.1")), "context_polygon")
    save("LineString", QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": "#a0a0a0", "line_width": "0.25"})), "context_line")
    save("Point", QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#c8c8c8", "size": "1.6", "outline_color": "#8c8c8c",
         "outline_width": "0.1"})), "context_point")
    save("Point", QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#3182bd", "size": "3"})), "resettlement_projects")
    marker = lambda colour: QgsMarkerSymbol.createSimple(  # noqa: E731
        {"name": "circle", "color": colour, "size": "4", "outline_color": "#222222"})
    save("Point", categories("grade", GRADE_COLOURS, marker), "resettlement_result")
    save("Polygon", categories("grade", GRADE_COLOURS, fill), "resettlement_result_polygon")
    save("Polygon", categories(EFFICIENCY_CLASS, EFFICIENCY_COLOURS, lambda colours: fill(*colours)),
         "efficiency_result")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#6a00a8", "0.9", "no")), "efficiency_clusters")
    save("Polygon", categories(UPSTAIRS_CLASS, UPSTAIRS_COLOURS, lambda colours: fill(*colours[:2], "0.4",
                                                                                      *colours[3:])),
         "upstairs_result")
    # the conflicts: strong red over the plans (drawn above them, layouts/layer_roles.py)
    save("Polygon", QgsSingleSymbolRenderer(fill("227,26,28,210", "#67000d", "0.5")), "upstairs_violations")
    # land supply: the inputs (supplied parcels light blue, approval batches as a dashed outline), the results
    save("Polygon", QgsSingleSymbolRenderer(fill("#deebf7", "#4292c6", "0.26")), "land_supply")
    batch = fill("#00000000", "#08519c", "0.6", "no")
    batch.symbolLayer(0).setStrokeStyle(Qt.PenStyle.DashLine)
    save("Polygon", QgsSingleSymbolRenderer(batch), "approval_batches")
    save("Polygon", categories("supply_status", SUPPLY_COLOURS, lambda colours: fill(*colours)), "supply_result")
    save("Polygon", categories("grade", UNSUPPLIED_COLOURS, hatched), "supply_unsupplied")
    # 耕地占补平衡: the checks by kind (the overlap itself, or the occupation for the date checks), the flows between
    # counties as arrows from the giving county to the receiving one
    save("Polygon", categories("check", FARMLAND_CHECK_COLOURS, lambda colours: fill(*colours)), "farmland_checks")
    # one colour per indicator type, so a county pair trading cultivated land and forest quota shows two arrows
    save("LineString", categories("type", FLOW_COLOURS, flow_arrow), "farmland_flows")
    # its inputs as context: occupations orange, supplements green-blue (not the basic farmland's light green)
    save("Polygon", QgsSingleSymbolRenderer(fill("#fde0c5", "#d95f0e", "0.35")), "farmland_occupations")
    save("Polygon", QgsSingleSymbolRenderer(fill("#ccece6", "#238b45", "0.35")), "farmland_supplements")
    # living circle: units with every basic facility within its walk green, the others orange; the gaps red
    save("Point", categories("basic_covered", LIVING_COLOURS, marker), "living_circle_result")
    save("Polygon", categories("basic_covered", LIVING_COLOURS, fill), "living_circle_result_polygon")
    save("Point", QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "cross2", "color": "#d7191c", "size": "3", "outline_color": "#d7191c", "outline_width": "0.5"})),
        "living_circle_gaps")
    save("Polygon", QgsSingleSymbolRenderer(hatched("#d7191c")), "living_circle_gaps_polygon")
    # its inputs as context: the facilities blue (points, or their sites), the walking network a quiet grey
    save("Point", QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "square", "color": "#2171b5", "size": "2.4", "outline_color": "#ffffff", "outline_width": "0.2"})),
        "facilities")
    save("Polygon", QgsSingleSymbolRenderer(fill("#6baed6", "#08519c", "0.3")), "facilities_polygon")
    save("LineString", QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": "#969696", "line_width": "0.35"})), "roads")
    app.exitQgis()


# A pair of counties trading cultivated land and forest quota (or each way) shows two arrows: the flow lines of one
# pair bow apart (analysis.farmland.flow_lines), the arrow curved through each line's middle point. (A sideways
# symbol offset per type was tried: it left two flows of one type, A→B and B→A, on one line.)
FLOW_COLOURS = [("cultivated", "#2b8cbe", "耕地占补平衡指标"), ("forest", "#31a354", "补充林地指标"),
                ("grain_zone", "#e6550d", "粮食生产功能区代保")]


def flow_arrow(colour="#2b8cbe") -> QgsLineSymbol:
    from qgis.core import QgsArrowSymbolLayer

    arrow = QgsArrowSymbolLayer()
    arrow.setIsCurved(True)  # an arc through the first, middle and last points: the bowed line's curve
    arrow.setIsRepeated(False)  # one arrow along the whole line, not a head per segment
    arrow.setArrowWidth(1.2)
    arrow.setArrowStartWidth(1.2)
    arrow.setHeadLength(3.0)
    arrow.setHeadThickness(2.0)
    arrow.subSymbol().setColor(QColor(colour))
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, arrow)
    return symbol


if __name__ == "__main__":
    main()
