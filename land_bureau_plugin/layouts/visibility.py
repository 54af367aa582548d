"""What a printed map really shows: which layers fill areas opaquely, which context layers are drawn above the result
because they only outline, and which context layers end up wholly hidden under opaque fills drawn above them.

Why: a legend entry must name something the reader can find on the page. Context is drawn under the result (the
finding over what it was found in), so a farmland layer under a low-efficiency result that tiles the whole city was
listed in the legend as 永久基本农田 and never seen. Two rules settle it:

- a context layer that only outlines (no fill at all: the bundled 行政区划 and 城镇开发边界 styles, or the user's own
  outline-only style) is drawn above the result and below the findings (violation pieces, merge clusters): a thin
  line hides nothing and stays visible — `outlines_only`;
- any other context layer keeps its place under the result; when nothing of it within the map's extent is left
  uncovered by the opaque fills drawn above it (less than a square millimetre of paper; for lines a millimetre of
  length; for points none), it is left off the map and out of the legend, and the print's warnings name it —
  `hidden`.

A layer "fills opaquely" when every symbol its renderer can draw is a solid, fully opaque simple fill and the layer
itself is drawn fully opaque with normal blending (`opaque_fill`). Anything else — hatches, transparency, point or
line patterns — lets what is below show through and covers nothing here. Geometry is read in the map's CRS.
"""
from __future__ import annotations

import shapely
from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsRenderContext,
    QgsSimpleFillSymbolLayer,
    QgsSimpleLineSymbolLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPainter

MM_PER_M = 1000.0
OPAQUE = 0.999  # a layer or symbol opacity at least this counts as opaque


def _symbols(layer) -> list:
    renderer = layer.renderer() if isinstance(layer, QgsVectorLayer) else None
    if renderer is None:
        return []
    return list(renderer.symbols(QgsRenderContext()))


def _is_polygon_layer(layer) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry


def _fills_area(symbol_layer) -> bool:
    """Whether a symbol layer of a fill symbol paints the inside of the polygon (anything but a bare outline)."""
    if isinstance(symbol_layer, QgsSimpleLineSymbolLayer):
        return False
    if isinstance(symbol_layer, QgsSimpleFillSymbolLayer):
        return symbol_layer.brushStyle() != Qt.BrushStyle.NoBrush and symbol_layer.color().alpha() > 0
    return True  # gradient, shapeburst, patterns, raster, …: they paint the inside


def outlines_only(layer) -> bool:
    """A polygon layer whose every symbol only outlines (no fill): drawn above the result it hides nothing."""
    if not _is_polygon_layer(layer):
        return False
    symbols = _symbols(layer)

    def outline(symbol) -> bool:
        layers = [symbol.symbolLayer(n) for n in range(symbol.symbolLayerCount())]
        return isinstance(symbol, QgsFillSymbol) and not any(_fills_area(sl) for sl in layers if sl.enabled())

    return bool(symbols) and all(outline(symbol) for symbol in symbols)


def opaque_fill(layer) -> bool:
    """A polygon layer that hides whatever is drawn below it, wherever it has a feature."""
    if not _is_polygon_layer(layer) or layer.opacity() < OPAQUE:
        return False
    if layer.blendMode() != QPainter.CompositionMode.CompositionMode_SourceOver:
        return False
    symbols = _symbols(layer)

    def solid(symbol) -> bool:
        if not isinstance(symbol, QgsFillSymbol) or symbol.opacity() < OPAQUE:
            return False
        return any(isinstance(sl, QgsSimpleFillSymbolLayer) and sl.enabled()
                   and sl.brushStyle() == Qt.BrushStyle.SolidPattern and sl.color().alpha() == 255
                   for sl in (symbol.symbolLayer(n) for n in range(symbol.symbolLayerCount())))

    return bool(symbols) and all(solid(symbol) for symbol in symbols)


def geometries(layer, crs, extent) -> list:
    """The layer's geometries inside `extent` (map CRS; None: all of them) as shapely geometries in `crs`."""
    transform = QgsCoordinateTransform(layer.crs(), crs, layer.transformContext())
    request = QgsFeatureRequest().setNoAttributes()
    try:
        if extent is not None:
            request.setFilterRect(QgsCoordinateTransform(crs, layer.crs(), layer.transformContext())
                                  .transformBoundingBox(extent))
    except QgsCsException:  # an extent the layer's CRS cannot take: read everything
        pass
    out = []
    for feature in layer.getFeatures(request):
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        geometry.transform(transform)
        try:
            shape = shapely.from_wkb(bytes(geometry.asWkb()))
        except shapely.errors.GEOSException:
            continue
        if shape is not None and not shape.is_empty:
            out.append(shape if shape.is_valid else shapely.make_valid(shape))
    return out


def hidden(drawn: list, context: set, crs, extent, scale: float) -> set:
    """The ids of the layers in `context` (a subset of `drawn`, which lists every layer in drawing order, first on
    top) of which nothing within `extent` is left uncovered by the opaque fills drawn above them. `scale`: the
    map's 1:n, so a square millimetre of paper is (n / 1000)² m²."""
    if not (scale > 0) or extent is None or extent.isEmpty():
        return set()
    paper_mm = scale / MM_PER_M  # one millimetre on the page, in map units (metres)
    window = shapely.box(extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    covers: list = []  # opaque polygons drawn above the layer being looked at
    tree = None
    out = set()
    last = max((n for n, layer in enumerate(drawn) if layer.id() in context), default=-1)
    for layer in drawn[:last + 1]:  # nothing below the last context layer needs reading
        if layer.id() in context and isinstance(layer, QgsVectorLayer) and not _shows(
                layer, covers, tree, window, crs, extent, paper_mm):  # a raster basemap is never left out
            out.add(layer.id())
        if opaque_fill(layer):
            covers.extend(geometries(layer, crs, extent))
            tree = shapely.STRtree(covers) if covers else None
    return out


def _shows(layer, covers: list, tree, window, crs, extent, paper_mm: float) -> bool:
    """Whether any part of `layer` inside the window is left uncovered: at least a square millimetre of paper of
    a polygon, a millimetre of a line, or a point."""
    for shape in geometries(layer, crs, extent):
        shape = shape.intersection(window)
        if shape.is_empty:
            continue
        if tree is not None:
            near = tree.query(shape, predicate="intersects")
            if len(near):
                shape = shape.difference(shapely.union_all([covers[i] for i in near]))
        if shape.is_empty:
            continue
        dimension = shapely.get_dimensions(shape)
        if dimension == 0 or (dimension == 1 and shape.length >= paper_mm) or (
                dimension == 2 and shape.area >= paper_mm * paper_mm):
            return True
    return False
