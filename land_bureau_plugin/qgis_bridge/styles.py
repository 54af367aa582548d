"""Styles shipped as QML in resources/styles: one per layer role and one per analysis result."""
from __future__ import annotations

from qgis.core import QgsVectorLayer

from ..resources_path import resources_dir


def style_path(name: str):
    return resources_dir() / "styles" / f"{name}.qml"


def apply_style(layer: QgsVectorLayer, name: str) -> bool:
    """Load resources/styles/<name>.qml into the layer; False (and the layer unchanged) when there is none.

    The layer's custom properties survive: QGIS 3.22 drops them when it loads a QML (whatever style categories
    are asked for), and they hold the saved role and field map and which layer a result was computed from. So do
    the documented result names of a shapefile output (virtual fields, which a QML's field section replaces)."""
    from .shapefile_names import restore_result_names

    path = style_path(name)
    if not path.is_file():
        return False
    kept = {key: layer.customProperty(key) for key in layer.customPropertyKeys()}
    _message, ok = layer.loadNamedStyle(str(path))
    for key, value in kept.items():
        layer.setCustomProperty(key, value)
    restore_result_names(layer)
    if ok:
        layer.triggerRepaint()
    return bool(ok)


def apply_role_style(layer: QgsVectorLayer, role: str) -> bool:
    """The role's style; for a polygon layer its `<role>_polygon` style when there is one (facilities may be
    points or sites)."""
    return apply_style(layer, styled_for_geometry(role, layer))


def styled_for_geometry(name: str, layer) -> str:
    """`name`, or `<name>_polygon` when the layer has polygons and that style exists."""
    from qgis.core import QgsWkbTypes

    polygons = QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.GeometryType.PolygonGeometry
    return f"{name}_polygon" if polygons and style_path(f"{name}_polygon").is_file() else name
