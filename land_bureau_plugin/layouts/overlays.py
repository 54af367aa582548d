"""Layers drawn over the printed map only (never in the legend, never in the user's project):

- the table's row numbers next to the flagged items they describe, so map and table read together;
- on an atlas page, a veil over everything outside the page's feature, so the district in question stands out.

Both are memory layers owned by the page filler and refilled for every page."""
from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsInvertedPolygonRenderer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from .fonts import FAMILY, unshaped

MARKER_MM = 4.4  # a numbered item's marker (4 mm in the result styles) and a little air around it


def halo_format(size: float, colour: str, buffer_mm: float = 0.7, bold: bool = True) -> QgsTextFormat:
    """Map text in the layouts' CJK font (size in points), with a white halo that keeps it legible over fills,
    outlines and markers."""
    text = QgsTextFormat()
    font = QFont(FAMILY)
    font.setBold(bold)
    text.setFont(unshaped(font))
    text.setSize(size)
    text.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    text.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(buffer_mm)
    buffer.setSizeUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    buffer.setColor(QColor("#ffffff"))
    text.setBuffer(buffer)
    return text


def number_layer(crs) -> QgsVectorLayer:
    """Points labelled with their row number: bold, with a white halo, above right of the item's symbol.

    Each point carries an invisible marker of the item's size: QGIS makes a point's rendered symbol an obstacle
    to other labels (district names), where a point without a symbol would only block its centre."""
    layer = QgsVectorLayer(f"Point?crs={crs.authid() or 'EPSG:4549'}&field=seq:integer", "row_numbers", "memory")
    layer.setCrs(crs)
    layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "size": str(MARKER_MM), "color": "0,0,0,0", "outline_style": "no"})))
    settings = QgsPalLayerSettings()
    settings.fieldName = "seq"
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    settings.quadOffset = QgsPalLayerSettings.QuadrantPosition.QuadrantAboveRight
    settings.xOffset, settings.yOffset = 1.4, -1.4  # mm: clear of a 4 mm marker
    settings.setFormat(halo_format(8, "#7a0000"))
    settings.priority = 10
    settings.displayAll = True  # every number prints, even where labels crowd
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer


def set_numbers(layer: QgsVectorLayer, points) -> None:
    """Replace the layer's points: `points` is a list of (number, shapely point or None)."""
    features = []
    for number, point in points:
        if point is None or point.is_empty:
            continue
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(point.x, point.y)))
        feature.setAttributes([int(number)])
        features.append(feature)
    _replace(layer, features)


def veil_layer(crs) -> QgsVectorLayer:
    """The area outside one polygon, washed out in white, the polygon itself outlined."""
    layer = QgsVectorLayer(f"Polygon?crs={crs.authid() or 'EPSG:4549'}", "atlas_veil", "memory")
    layer.setCrs(crs)
    veil = QgsFillSymbol.createSimple({"color": "255,255,255,150", "outline_style": "no"})
    layer.setRenderer(QgsInvertedPolygonRenderer(QgsSingleSymbolRenderer(veil)))
    return layer


def set_veil(layer: QgsVectorLayer, geometry: QgsGeometry | None) -> None:
    features = []
    if geometry is not None and not geometry.isEmpty():
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        features.append(feature)
    _replace(layer, features)


def _replace(layer: QgsVectorLayer, features: list) -> None:
    provider = layer.dataProvider()
    provider.truncate()
    if features:
        provider.addFeatures(features)
    layer.updateExtents()
    layer.triggerRepaint()
