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
    QgsMarkerSymbol,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "styles"

# no day counts in the labels: the warning windows come from the rule profile, and the panel relabels the result
# layer with its run's (processing.resettlement.grade_labels), the print with the theme's legend_labels
GRADE_COLOURS = [("green", "#1a9641", "正常 / on track"), ("yellow", "#f2d600", "黄色预警"),
                 ("orange", "#fd8d3c", "橙色预警"), ("red", "#d7191c", "红色：超期"),
                 ("grey", "#9e9e9e", "灰色：数据缺失")]
EFFICIENCY_COLOURS = [("A", "#1a9641", "A 优先发展"), ("B", "#a6d96a", "B 提升发展"), ("C", "#fdae61", "C 调控帮扶"),
                      ("D", "#d7191c", "D 倒逼整治"),
                      ("", "#eeeeee", "未评级 / not graded")]  # "" is QGIS's "all other values": NULL grades show

# (fill, outline): passed plans in a neutral blue-grey, not a green that reads as the farmland (#c7e9c0) under them
UPSTAIRS_COLOURS = [(1, ("#e3e9f0", "#5b6f82"), "通过 / passed"), (0, ("#fdd0a2", "#a63603"), "未通过 / failed")]


def fill(colour: str, outline: str = "#555555", width: str = "0.2", style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": outline, "outline_width": width,
                                       "style": style})


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
    save("Polygon", QgsSingleSymbolRenderer(fill("#c7e9c0", "#41ab5d", "0.1")), "farmland")
    save("Polygon", QgsSingleSymbolRenderer(fill("#fcbba1", "#cb181d", "0.4", "b_diagonal")), "redline")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#3f007d", "0.8", "no")), "urban_boundary")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#252525", "0.6", "no")), "districts")
    save("Point", QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#3182bd", "size": "3"})), "resettlement_projects")
    marker = lambda colour: QgsMarkerSymbol.createSimple(  # noqa: E731
        {"name": "circle", "color": colour, "size": "4", "outline_color": "#222222"})
    save("Point", categories("grade", GRADE_COLOURS, marker), "resettlement_result")
    save("Polygon", categories("grade", GRADE_COLOURS, fill), "resettlement_result_polygon")
    save("Polygon", categories("grade", EFFICIENCY_COLOURS, fill), "efficiency_result")
    save("Polygon", QgsSingleSymbolRenderer(fill("#00000000", "#6a00a8", "0.9", "no")), "efficiency_clusters")
    save("Polygon", categories("passed", UPSTAIRS_COLOURS, lambda colours: fill(*colours, "0.4")),
         "upstairs_result")
    save("Polygon", QgsSingleSymbolRenderer(fill("227,26,28,150", "#99000d", "0.6")), "upstairs_violations")
    app.exitQgis()


if __name__ == "__main__":
    main()
