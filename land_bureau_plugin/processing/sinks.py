"""Outputs of an algorithm's own fields (not the source features with results added): a table, or multipolygons in
a given CRS — upstairs VIOLATIONS and CHECKS, land supply's UNSUPPLIED — and the log lines naming the features whose
geometry was repaired or could not be used. One writer, so every such output converts values, batches features and
refuses a sink that drops them the same way."""
from __future__ import annotations

import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsFields, QgsGeometry, QgsWkbTypes

from ..i18n import tr
from ..qgis_bridge.gpkg import gdal_message_dropped
from ..qgis_bridge.results import ResultField, attribute_rows, qgs_fields
from ..qgis_bridge.writing import add_batch
from .base import listed_ids

BATCH = 10000


def write_table(algorithm, parameters, context, name: str, spec: list[ResultField], table, geometries=None,
                crs=None, lines: bool = False, points: bool = False):
    """The optional output `name` of `algorithm` with the fields of `spec` (rows of `table`): multipolygons in
    `crs` when `geometries` are given (None for a row without one; line strings when `lines`, points when `points`
    — the living circle's gaps of a point layer), else a table without geometry. Returns its destination id, or
    None when the caller asked to skip it."""
    fields = QgsFields()
    for field in qgs_fields(spec):
        fields.append(field)
    kind = QgsWkbTypes.Type.NoGeometry
    if geometries is not None:
        kind = QgsWkbTypes.Type.MultiPolygon
        if lines or points:
            kind = QgsWkbTypes.Type.LineString if lines else QgsWkbTypes.Type.Point
    sink, dest_id = algorithm.parameterAsSink(parameters, name, context, fields, kind,
                                              crs if crs is not None else QgsCoordinateReferenceSystem())
    if sink is None:
        return None
    rows = attribute_rows(table, spec)
    if geometries is None:
        shapes = [None] * len(table)
    elif lines:
        shapes = [None if shape is None else shapely.to_wkb(shape) for shape in geometries]
    elif points:
        shapes = point_wkbs(geometries)
    else:
        shapes = multipolygon_wkbs(geometries)
    batch = []
    for row, wkb in zip(table.index, shapes):
        feature = QgsFeature(fields)
        if wkb is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            feature.setGeometry(geometry)
        feature.setAttributes(list(rows[row]))
        batch.append(feature)
        if len(batch) >= BATCH:
            add_batch(sink, batch)
            batch = []
    if batch:
        add_batch(sink, batch)
    with gdal_message_dropped("No geometry column"):  # GDAL's word on closing a GeoPackage table without geometry
        del sink  # the table is finished when its writer goes
    if kind == QgsWkbTypes.Type.NoGeometry and str(dest_id).lower().endswith(".shp"):
        # a table "to a shapefile" is a lone .dbf (GDAL writes no .shp without geometry): name the file that is
        return str(dest_id)[:-4] + ".dbf"
    return dest_id


def multipolygon_wkbs(geometries) -> list:
    """WKB of each geometry as a MultiPolygon (None stays None), made in one vectorised pass: the sink's
    MultiPolygon type without a QGIS conversion per feature."""
    import numpy as np

    geometries = np.asarray(geometries, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geometries))
    parts, owner = shapely.get_parts(geometries[present], return_index=True)
    multi = np.full(len(present), None, dtype=object)
    if len(parts):
        shapely.multipolygons(parts, indices=owner, out=multi)
    wkbs = np.full(len(geometries), None, dtype=object)
    wkbs[present] = shapely.to_wkb(multi)
    return wkbs.tolist()


def point_wkbs(geometries) -> list:
    """WKB of each point (None stays None)."""
    import numpy as np

    geometries = np.asarray(geometries, dtype=object)
    wkbs = np.full(len(geometries), None, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geometries))
    wkbs[present] = shapely.to_wkb(geometries[present])
    return wkbs.tolist()


def report_geometry_problems(layer: str, repaired, empty, feedback) -> None:
    """Repaired and unusable geometries of a layer, by feature id."""
    if len(repaired):
        feedback.pushWarning(tr("Layer {layer}: invalid geometry repaired for feature id(s) {ids}").format(
            layer=layer, ids=listed_ids(repaired)))
    if len(empty):
        feedback.pushWarning(tr("Layer {layer}: empty or non-polygon geometry, not used, feature id(s) "
                                "{ids}").format(layer=layer, ids=listed_ids(empty)))
