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
    QgsNullSymbolRenderer,
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


def number_layer(crs) -> QgsVectorLayer:
    """Points labelled with their row number: bold, with a white halo, above right of the item's symbol."""
    layer = QgsVectorLayer(f"Point?crs={crs.authid() or 'EPSG:4549'}&field=seq:integer", "row_numbers", "memory")
    layer.setCrs(crs)
    layer.setRenderer(QgsNullSymbolRenderer())
    settings = QgsPalLayerSettings()
    settings.fieldName = "seq"
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    settings.quadOffset = QgsPalLayerSettings.QuadrantPosition.QuadrantAboveRight
    settings.xOffset, settings.yOffset = 1.4, -1.4  # mm: clear of a 4 mm marker
    text = QgsTextFormat()
    font = QFont(FAMILY)
    font.setBold(True)
    text.setFont(unshaped(font))
    text.setSize(8)
    text.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    text.setColor(QColor("#7a0000"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.7)
    buffer.setColor(QColor("#ffffff"))
    text.setBuffer(buffer)
    settings.setFormat(text)
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
