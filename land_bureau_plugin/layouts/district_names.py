"""District names on the map: printed layouts and the canvas.

A district outline layer says which district is which only through its name field, so the name is drawn inside
each polygon. The name field is the one the layer's field map (saved, else detected) calls `district` — 行政区,
XZQMC, 镇街… —; a layer without one gets no names and no error.

Printed maps get the names from an overlay layer (a memory copy of names and outlines, drawn without a symbol)
rather than labels on the layer itself: the layer may be the user's, which printing must not change. The names
take part in the same labelling as the table's row numbers, so QGIS keeps them off the numbered markers.
"""
from __future__ import annotations

from qgis.core import (
    NULL,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsNullSymbolRenderer,
    QgsPalLayerSettings,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)

from ..qgis_bridge.fieldmaps import field_map_of, role_of
from ..qgis_bridge.layers import field_names, only_attributes
from .overlays import halo_format

MAX_FEATURES = 500  # more polygons than this are parcels or land use, not districts: their names would be clutter
SIZE = 12  # points on paper: the largest text on the map after the title, smaller than the legend heading
COLOUR = "#303030"
PRIORITY = 3  # below the row numbers (10): a name gives way to a number


def name_field(layer) -> str | None:
    """The district name field of an outline layer (a polygon layer with no analysis role), else None."""
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return None
    if layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry or role_of(layer) is not None:
        return None
    field = field_map_of(layer).get("district")
    return field if field in field_names(layer) else None


def label_settings(field: str) -> QgsPalLayerSettings:
    """Horizontal names inside their polygon, in the layouts' CJK font with a white halo (legible over points
    and fills); a name that does not fit its polygon is left out rather than spilling into the neighbour."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.placement = QgsPalLayerSettings.Placement.Horizontal
    settings.fitInPolygonOnly = True
    settings.priority = PRIORITY
    settings.setFormat(halo_format(SIZE, COLOUR, buffer_mm=1.0))
    return settings


def label_layer(layer) -> bool:
    """Label a layer's districts on the canvas (a layer this code styles itself, e.g. the demo's); False and the
    layer unchanged when it has no district name field."""
    field = name_field(layer)
    if field is None:
        return False
    layer.setLabeling(QgsVectorLayerSimpleLabeling(label_settings(field)))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
    return True


def names_layer(layers, crs) -> QgsVectorLayer | None:
    """A memory layer in `crs` with the outlines and names of every district layer among `layers`, drawn as
    labels only; None when none of them names its districts. A layer that shows labels of its own (the user's
    choice, or `label_layer`) keeps them and is left out, so no name prints twice."""
    sources = [(layer, name_field(layer)) for layer in layers]
    sources = [(layer, field) for layer, field in sources
               if field and not layer.labelsEnabled() and layer.featureCount() <= MAX_FEATURES]
    if not sources:
        return None
    overlay = QgsVectorLayer(f"MultiPolygon?crs={crs.authid() or 'EPSG:4549'}&field=name:string", "district_names",
                             "memory")
    overlay.setCrs(crs)
    features = []
    for layer, field in sources:
        transform = QgsCoordinateTransform(layer.crs(), crs, layer.transformContext())
        for source in layer.getFeatures(only_attributes(QgsFeatureRequest(), layer, [field])):
            name, geometry = source[field], source.geometry()
            text = "" if name is None or name == NULL else str(name).strip()
            if not text or geometry is None or geometry.isEmpty():
                continue
            if not transform.isShortCircuited():
                geometry.transform(transform)
            geometry.convertToMultiType()
            feature = QgsFeature(overlay.fields())
            feature.setGeometry(geometry)
            feature.setAttributes([text])
            features.append(feature)
    overlay.dataProvider().addFeatures(features)
    overlay.updateExtents()
    overlay.setRenderer(QgsNullSymbolRenderer())
    overlay.setLabeling(QgsVectorLayerSimpleLabeling(label_settings("name")))
    overlay.setLabelsEnabled(True)
    return overlay
