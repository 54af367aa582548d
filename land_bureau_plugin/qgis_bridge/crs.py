"""Which coordinate reference systems are known, and coordinates that give themselves away as degrees.

Why: a GeoPackage table with srs_id 0 opens with a *valid* QGIS CRS called "Undefined geographic SRS" (no authority,
datum "unknown", and not even flagged geographic), a shapefile without .prj with an invalid one. Measured or related
to another layer as if either were real, plans on 625 m² of farmland overlapped it by 0 m², and parcels in degrees
had "area zero". So every algorithm asks `is_unknown` of each input and says so; it refuses to relate such a layer
to another one, and to measure one whose coordinates lie within ±180 / ±90 (`looks_like_degrees`).
"""
from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

UNDEFINED = ("Undefined geographic SRS", "Undefined cartesian SRS")  # GeoPackage srs_id 0 and -1


def is_unknown(crs: QgsCoordinateReferenceSystem) -> bool:
    """No CRS, or a placeholder that says nothing about where the coordinates are."""
    if crs is None or not crs.isValid():
        return True
    if crs.authid():
        return False
    return crs.description() in UNDEFINED or 'DATUM["unknown"' in crs.toWkt()


def looks_like_degrees(extent: QgsRectangle) -> bool:
    """Every coordinate within longitude / latitude bounds (a projected layer in metres lies far outside them)."""
    if extent is None or extent.isNull() or extent.xMinimum() > extent.xMaximum():  # no features
        return False
    return (-180 <= extent.xMinimum() and extent.xMaximum() <= 180
            and -90 <= extent.yMinimum() and extent.yMaximum() <= 90)


def crs_name(crs: QgsCoordinateReferenceSystem) -> str:
    """'EPSG:4549', else the CRS's description, for messages (never an empty string)."""
    if crs is None or not crs.isValid():
        return "?"
    return crs.authid() or crs.description() or "?"
