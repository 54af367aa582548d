"""Columns → an output layer: the source features with their kept attributes and the result columns.

Two ways, one output (tests/qgis/test_bulk_writer.py holds them to the same file, field by field and value by value):
- `write_gpkg`, the bulk way: a GeoPackage destination of a source read column by column (qgis_bridge.columnar).
  The output is written in one transaction (qgis_bridge.gpkg: GDAL creates the table and its empty spatial index,
  sqlite3 inserts every row in one executemany per chunk and packs the index from the boxes — qgis_bridge.gpkg_rtree)
  — no Python step per feature. The result columns are bound from Python; of the source's own columns, those a
  GeoPackage source stores as the writer would write them (and its geometry blobs) are copied by SQLite from the
  source (qgis_bridge.gpkg_copy), the others are read again as columns (GDAL's Arrow stream) and bound too;
- `write_features`: any other destination (memory layers, shapefiles, databases) or source, through the
  Processing sink in batches of 10,000 features.
processing.base.LandBureauAlgorithm.write_output chooses.

Either way the source is read a second time: a layer another user edits meanwhile may hand over a feature the run
never judged, or miss one it did; either is refused (InputError naming the layer) rather than written as an output
whose rows and summary disagree. Text longer than its field (a GeoPackage stores it) is never cut: the bulk way
widens the field to its longest value, the feature way refuses it as QGIS's writer does (OutputError). A feature of
another geometry kind than the layer's (a point in a GeoPackage table of type GEOMETRY whose layer QGIS calls
polygons) is written without its geometry, keeping its row and reasons; a feature without geometry gets an empty
one of the layer's type in a GeoPackage, as QGIS's writer does.
"""
from __future__ import annotations

import datetime as dt
import struct

import numpy as np
import pandas as pd
from qgis.core import QgsCoordinateReferenceSystem, QgsFeatureSink, QgsField, QgsFields, QgsWkbTypes
from qgis.PyQt.QtCore import QMetaType

from ..errors import InputError, OutputError
from ..i18n import tr
from .field_types import has_type

BATCH = 10_000


def output_fields(input_fields: QgsFields, result_fields: list[QgsField]) -> tuple[QgsFields, list[int]]:
    """Input fields minus those a result replaces, then the result fields; returns the kept input indexes too.
    Kept fields lose their aliases, as the result fields have none (see results.qgs_fields)."""
    replaced = {f.name().lower() for f in result_fields}
    fields = QgsFields()
    kept = []
    for i, f in enumerate(input_fields):
        if f.name().lower() not in replaced:
            f = QgsField(f)
            f.setAlias("")
            if "\ufffd" in f.name():  # half a character: a name cut at 10 bytes by a UTF-8 writer; never copied
                f.setName(f.name().replace("\ufffd", "") or f"field_{i}")
            fields.append(f)
            kept.append(i)
    for f in result_fields:
        fields.append(f)
    return fields, kept


def write_features(sink, source_features, kept: list[int], fields: QgsFields, result_rows, feedback,
                   layer: str = "", geometry_type=None, filled: dict[int, str] | None = None) -> int:
    """Write each source feature with its kept attributes plus its result row (looked up by feature id).

    The source features are reused for the output (they are fresh objects per iteration). When the kept input
    fields are the first ones — always, unless a result replaces an input field of the same name — the results are
    set in place into the resized attribute vector instead of building a new list.

    `geometry_type` (QgsWkbTypes.GeometryType of the sink): a feature of another kind is written without its
    geometry (see the module docstring). A batch the sink still refuses is an OutputError, never a shorter output.
    `filled`: the source's `filled_on_save` — a new feature's stand-in for a value its provider gives on saving is
    written as none.
    """
    first, count = len(kept), fields.count()
    in_place = kept == list(range(first))
    stand_ins = [(kept.index(index), clause) for index, clause in (filled or {}).items() if index in kept]
    written = 0
    batch = []
    for feature in source_features:
        if feedback.isCanceled():
            break
        try:
            row = result_rows[feature.id()]
        except KeyError:
            raise changed(layer, tr("feature id {id} was added").format(id=feature.id())) from None
        if in_place:
            feature.setFields(fields, False)
            feature.resizeAttributes(count)
            for offset, value in enumerate(row):
                feature.setAttribute(first + offset, value)
        else:
            attributes = feature.attributes()
            feature.setFields(fields, False)
            feature.setAttributes([attributes[i] for i in kept] + list(row))
        for position, clause in stand_ins:
            if feature.attribute(position) == clause:
                feature.setAttribute(position, None)
        if geometry_type is not None and feature.hasGeometry() and feature.geometry().type() != geometry_type:
            feature.clearGeometry()
        batch.append(feature)
        if len(batch) >= BATCH:
            written += add_batch(sink, batch, layer)
            batch = []
    if batch:
        written += add_batch(sink, batch, layer)
    if not feedback.isCanceled() and written < len(result_rows):
        raise changed(layer, tr("{n} feature(s) were deleted").format(n=len(result_rows) - written))
    return written


def add_batch(sink, features: list, layer: str = "") -> int:
    """sink.addFeatures for one batch; a batch the sink refuses is an OutputError, never a shorter output — or,
    when a value of the batch cannot be stored in its field at all (`unstorable`), that value's InputError."""
    if not sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert):
        for feature in features:
            fields = feature.fields()
            for index, value in enumerate(feature.attributes()):
                error = unstorable(fields.at(index), value, layer, feature.id())
                if error is not None:
                    raise error
        error = sink.lastError() if hasattr(sink, "lastError") else ""
        raise OutputError(tr("The output refused {n} feature(s): {error}").format(n=len(features),
                                                                                   error=error or "?"))
    return len(features)


def filled_on_save(layer) -> dict[int, str]:
    """{field index: the text QGIS puts into that field of a new feature for the provider to fill in when the
    edits are saved} — a GeoPackage's or shapefile's fid "Autogenerate" (自动生成), a database's nextval(…): the
    provider's default value clause. It stands in the edit buffer until the save and is no value of the feature:
    read as none, never refused as text its field cannot store. Empty for a layer without a provider."""
    provider = layer.dataProvider() if hasattr(layer, "dataProvider") else None
    if provider is None:
        return {}
    fields, found = layer.fields(), {}
    for index in range(fields.count()):
        if fields.fieldOrigin(index) == QgsFields.FieldOrigin.OriginProvider:
            clause = provider.defaultValueClause(fields.fieldOriginIndex(index))
            if clause:
                found[index] = clause
    return found


FILLED_KEY = "land_bureau_filled_on_save"


def attach_filled(source, layer) -> None:
    """Remember on a Processing source the `filled_on_save` of the layer it is made from (None: no layer), taken
    where the source is made (LandBureauAlgorithm.parameterAsSource) — the writer cannot tell from the source which
    layer it reads, and a new feature of it in edit mode holds those stand-ins until the save."""
    setattr(source, FILLED_KEY, filled_on_save(layer) if layer is not None else {})


def attached_filled(source) -> dict[int, str]:
    """What `attach_filled` remembered on `source` ({} when nothing was attached)."""
    return getattr(source, FILLED_KEY, {})


def attach_filled_of(copy, source) -> None:
    """Remember on `copy`, a source standing in for `source` (qgis_bridge.read_once), what `source` carries."""
    setattr(copy, FILLED_KEY, attached_filled(source))


def unstorable(field: QgsField, value, layer: str = "", feature_id=None) -> InputError | None:
    """The InputError naming `value` when `field` cannot store it — text in a number field (a layer in edit mode
    takes it from a script, and no file or database can store it) — else None. A batch run refuses such a layer
    with it when writing its output, live mode when it reads the edited feature: the same message."""
    try:
        field.convertCompatible(value)
    except ValueError as exc:
        return InputError(tr("the value {value} cannot be stored in this field of type {type} ({error}): correct "
                             "it").format(value=repr(value), type=field.typeName() or field.friendlyTypeString(),
                                          error=exc), layer=layer or None, feature_id=feature_id, field=field.name())
    return None


def changed(layer: str, what: str) -> InputError:
    return InputError(tr("the layer changed while the run read it ({what}): run it again, or on a copy of the "
                         "layer; nothing was written").format(what=what), layer=layer or None)


# --- the bulk way -------------------------------------------------------------------------------------------------

_BULK_TYPES = (QMetaType.Type.QString, QMetaType.Type.Int, QMetaType.Type.LongLong, QMetaType.Type.Double,
               QMetaType.Type.QDate)


def bulk_writable(source, fields: QgsFields, kept: list[int], repairs_geometry: bool) -> bool:
    """Whether `write_gpkg` can write this output: a source read column by column (its geometries handed over
    unchecked when the caller repairs them, as the feature way reads them), kept fields of the provider, and only
    fields of the types it writes (text, integers, reals, dates; a date-time or boolean goes the feature way)."""
    from .layers import columnar_table

    if columnar_table(source, not repairs_geometry) is None:
        return False
    source_fields = source.fields()
    if any(source_fields.fieldOrigin(i) != QgsFields.FieldOrigin.OriginProvider for i in kept):
        return False
    return all(any(has_type(field, kind) for kind in _BULK_TYPES) for field in fields)


def write_gpkg(path: str, layer_name: str | None, source, fields: QgsFields, kept: list[int], result: pd.DataFrame,
               spec: list, feedback, repairs_geometry: bool = True, ahead: CopyCheck | None = None) -> int:
    """The output as a GeoPackage table, in bulk (see the module docstring); returns the number of features.

    Like QGIS's own writer: a plain path replaces the file and names the table after it; `layer_name` adds the
    table to an existing GeoPackage (replacing a table of that name). A source field named fid (a GeoPackage's
    feature id) is the output's feature id; otherwise features are numbered from 1. The columns a GeoPackage source
    stores as the writer would write them are copied by SQLite (qgis_bridge.gpkg_copy); the others are read again
    and bound from Python. `ahead`: the copy check `CopyCheck.start` began for this output while the run read and
    judged (used when it checked what this call would check, else the check is made now)."""
    import os

    from osgeo import gdal, ogr, osr

    from . import gpkg, gpkg_copy
    from .columnar import plain_values, read_table
    from .layers import columnar_table

    table = columnar_table(source, not repairs_geometry)
    label = source.sourceName()
    provider, fid_position = _kept_layout(table, source, fields, kept)
    geometry_kind = QgsWkbTypes.geometryType(source.wkbType())
    ogr_type = _ogr_geometry_type(source.wkbType())

    gdal.UseExceptions()
    srs = None
    crs = source.sourceCrs()
    if crs.isValid():
        srs = osr.SpatialReference()
        srs.ImportFromWkt(crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED_GDAL))
    request = _copy_request(table, path, source.wkbType(), fields, provider, fid_position, ogr_type)
    copy = ahead.plan(request) if ahead is not None else _copy_plan(request)
    copied = {candidate.name: candidate for candidate in copy.columns} if copy is not None else {}
    bound = [p for p in range(len(kept)) if p != fid_position and fields.at(p).name() not in copied]
    geometry_copied = copy is not None and copy.geometry is not None
    read = read_table(table, [provider[p] for p in bound], ogr_type != ogr.wkbNone and not geometry_copied)
    if read is None:
        raise changed(label, tr("it cannot be read again"))
    _same_features(read.fids, result.index.to_numpy(), label)
    # the longest text of each kept text field: the field is widened to it when it is longer (see _ogr_field)
    longest = {p: copied[fields.at(p).name()].longest for p in range(len(kept)) if fields.at(p).name() in copied}
    for position, (values, mask, kind) in zip(bound, read.fields):
        field = fields.at(position)
        if has_type(field, QMetaType.Type.QString) and field.length() > 0:
            longest[position] = _longest_text(values, mask, kind, field.length())

    name = layer_name or os.path.splitext(os.path.basename(path))[0]
    if layer_name and os.path.exists(path):
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
        for index in reversed(range(dataset.GetLayerCount())):
            if dataset.GetLayerByIndex(index).GetName().lower() == name.lower():
                dataset.DeleteLayer(index)
    else:
        gpkg.remove_dataset(path)
        dataset = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    options = ["FID=fid", "SPATIAL_INDEX=NO"] + (["GEOMETRY_NAME=geom"] if ogr_type != ogr.wkbNone else [])
    created = dataset.CreateLayer(name, srs, ogr_type, options=options)
    for position in range(len(kept)):
        if position != fid_position:
            created.CreateField(_ogr_field(fields.at(position), longest.get(position, 0)))
    for offset in range(len(spec)):
        created.CreateField(_ogr_field(fields.at(len(kept) + offset)))
    geometry_column = created.GetGeometryColumn() if ogr_type != ogr.wkbNone else None
    table_name = created.GetName()
    created = None
    gpkg.close_dataset(dataset)
    dataset = None
    srs_id = gpkg.geometry_srs_id(path, table_name) if geometry_column else None  # what GDAL registered
    if geometry_copied and (srs_id != copy.geometry.srs_id or geometry_column != copy.geometry.name):
        copy.geometry = None  # GDAL gave the table another srs id than the blobs carry: geometries the Python way
        again = read_table(table, [], True)
        if again is None:
            raise changed(label, tr("it cannot be read again"))
        _same_features(again.fids, result.index.to_numpy(), label)
        read.wkb, geometry_copied = again.wkb, False
    empty = None
    if geometry_column and not geometry_copied:  # blobs carry the geometry column's srs id, as GDAL writes them
        empty = gpkg.empty_blob(ogr_type, srs_id)  # as QGIS writes a missing geometry

    columns, makers = [], []  # per bound output column: its name, and how to make a chunk of its values
    for position, column in zip(bound, read.fields):
        field = fields.at(position)
        values, mask, kind = column
        columns.append(field.name())
        makers.append(lambda rows, v=values, m=mask, k=kind, f=field: _sqlite_values(plain_values(v[rows], m[rows], k,
                                                                                                  False), f))
    for item in spec:
        columns.append(item.name)
        makers.append(lambda rows, c=result[item.name], k=item.kind: _result_values(c.iloc[rows], k))

    count = len(read.fids)
    same_fids = fid_position is not None
    fids = np.asarray(read.fids if same_fids else np.arange(1, count + 1), dtype=np.int64)
    bounds = index = None
    wkbs = boxes = None
    if geometry_column:
        if geometry_copied:  # the boxes of the blobs' envelopes
            indexed = gpkg_copy.boxes_of(copy.geometry, np.asarray(read.fids, dtype=np.int64))
        else:
            wkbs = _kept_geometries(read.wkb, geometry_kind, QgsWkbTypes.isMultiType(source.wkbType()))
            boxes = _boxes(wkbs)
            indexed = _curve_boxes(wkbs, boxes)
        finite = indexed[np.isfinite(indexed).all(axis=1)]
        bounds = (*finite[:, :2].min(axis=0), *finite[:, 2:].max(axis=0)) if len(finite) else None
        index = (gpkg.create_spatial_index(path, table_name, geometry_column), fids, indexed)
    if copy is not None:
        copy.same_fids = same_fids
    names = (["fid"] if copy is None else []) + ([geometry_column] if wkbs is not None else []) + columns

    def chunks():
        """The rows as columns of plain Python values, `chunk_size` rows at a time: a million rows' values as Python
        objects all at once took a gigabyte. When columns are copied from the source, the source's feature ids come
        first (and the output's, when they are not the same)."""
        size = chunk_size(count)
        for start in range(0, count, size):
            if feedback is not None and feedback.isCanceled():
                return
            rows = slice(start, start + size)
            chunk = [fids[rows].tolist()] if copy is None or same_fids else [read.fids[rows].tolist(),
                                                                           fids[rows].tolist()]
            if wkbs is not None:
                blobs = gpkg.gpkg_blobs(wkbs[rows], srs_id, None if ogr_type in POINT_TYPES else boxes[rows])
                chunk.append([empty if blob is None else blob for blob in blobs])
            chunk += [make(rows) for make in makers]
            yield chunk

    try:
        gpkg.insert_rows(path, table_name, names, chunks(), count, index, None if copy is None else (table.path, copy),
                         bounds)
    except gpkg_copy.SourceChangedError as error:
        raise changed(label, tr("{n} feature(s) were deleted").format(n=error.missing)) from None
    return count


def _kept_layout(table, source, fields: QgsFields, kept: list[int]):
    """(the provider index of each kept field, the position of the field that is the output's fid, or None)."""
    source_fields = source.fields()
    provider = [source_fields.fieldOriginIndex(i) for i in kept]
    fid_position = next((p for p, index in enumerate(provider)
                         if fields.at(p).name().lower() == "fid" and table.fid_field == index), None)
    return provider, fid_position


class CopyCheck:
    """The copy check of `write_gpkg` (which of the source's stored columns SQLite may copy: one pass over the
    source table, ~3 s at a million parcels) begun on a thread of its own before the run reads and judges, so that
    it costs no time of its own on a machine with a second core: SQLite lets go of the GIL while it scans. What to
    check is decided on the caller's thread (`_copy_request`: GDAL and Qt); only the SQL runs on the other (its own
    read-only connection to the source). `plan(request)` gives its SourceCopy when `request` is what it checked,
    else checks `request` now. The stored values are checked as the run reads them, not when it writes."""

    def __init__(self, request):
        import threading

        self.request = request
        self._result = None
        self._thread = threading.Thread(target=self._run, name="land_bureau_copy_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = _copy_plan(self.request)
        except Exception:  # noqa: BLE001 — not used: the writer checks again on its own thread and meets the error
            self._result, self.request = None, None

    @classmethod
    def start(cls, path: str, source, fields: QgsFields, kept: list[int], repairs_geometry: bool = True):
        """The check for writing `source` with `fields` (`output_fields`) to the GeoPackage `path`, begun; None
        when `write_gpkg` would copy nothing from it (not a GeoPackage source, the output's own file …)."""
        from .layers import columnar_table

        table = columnar_table(source, not repairs_geometry)
        if table is None:
            return None
        provider, fid_position = _kept_layout(table, source, fields, kept)
        request = _copy_request(table, path, source.wkbType(), fields, provider, fid_position,
                                _ogr_geometry_type(source.wkbType()))
        return cls(request) if request is not None else None

    def plan(self, request):
        self._thread.join()
        if request is not None and request == self.request:
            return self._result
        return _copy_plan(request)


def _copy_request(table, path: str, wkb_type, fields: QgsFields, provider: list[int], fid_position,
                  ogr_type: int):
    """What of a GeoPackage source qgis_bridge.gpkg_copy may copy into the output at `path`, for `_copy_plan` to
    check, as plain values (equal requests check the same): (source path, table, fid column, candidates as (name,
    source column, kind), geometry column or "", its flat type, Z, M, OGR type); None: another driver, the output's
    own file. Candidates: the kept text, integer and real fields without precision (not the output's fid), and the
    geometry of a point, line or polygon layer — its blobs as GDAL writes them in the source, with the srs id of the
    source's geometry column (the output's when GDAL gives the output the same id — the EPSG code, or 100000 for the
    first CRS without one —, else `write_gpkg` writes the geometries through Python)."""
    import os

    from osgeo import gdal, ogr

    try:  # a file of its own (not inside an archive: sqlite3 would create an empty one), not the output's
        if not os.path.isfile(table.path) or (os.path.exists(path) and os.path.samefile(path, table.path)):
            return None
        dataset = gdal.OpenEx(table.path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
    except (OSError, RuntimeError):
        return None
    if dataset is None:
        return None
    layer = dataset.GetLayerByName(table.layer_name) if table.layer_name else dataset.GetLayer(table.layer_index)
    if layer is None or not layer.GetFIDColumn():
        return None
    definition = layer.GetLayerDefn()
    offset = 1 if table.fid_field == 0 else 0
    candidates = []
    for position, index in enumerate(provider):
        field = fields.at(position)
        if position == fid_position:
            continue
        if index - offset < 0:  # the FID column shown as a field (OBJECTID_FID): the source's feature ids
            candidates.append((field.name(), layer.GetFIDColumn(), "int64"))
            continue
        if index - offset >= definition.GetFieldCount():
            return None
        source_field = definition.GetFieldDefn(index - offset)
        kind, subtype = source_field.GetType(), source_field.GetSubType()
        if kind == ogr.OFTReal and subtype == ogr.OFSTNone and has_type(field, QMetaType.Type.Double) \
                and field.precision() <= 0:
            candidates.append((field.name(), source_field.GetName(), "real"))
        elif kind == ogr.OFTInteger and subtype in (ogr.OFSTNone, ogr.OFSTInt16) \
                and (has_type(field, QMetaType.Type.Int) or has_type(field, QMetaType.Type.LongLong)):
            candidates.append((field.name(), source_field.GetName(), "int32"))
        elif kind == ogr.OFTInteger64 and subtype == ogr.OFSTNone and has_type(field, QMetaType.Type.LongLong):
            candidates.append((field.name(), source_field.GetName(), "int64"))
        elif kind == ogr.OFTString and subtype == ogr.OFSTNone and has_type(field, QMetaType.Type.QString):
            candidates.append((field.name(), source_field.GetName(), "text"))
    flat = int(getattr(QgsWkbTypes.flatType(wkb_type), "value", QgsWkbTypes.flatType(wkb_type)))
    geometry_source = layer.GetGeometryColumn() if 1 <= flat <= 6 else ""
    fid_column, source_table = layer.GetFIDColumn(), layer.GetName()
    layer = definition = dataset = None
    return (table.path, source_table, fid_column, tuple(candidates), geometry_source, flat,
            bool(QgsWkbTypes.hasZ(wkb_type)), bool(QgsWkbTypes.hasM(wkb_type)), ogr_type)


def _copy_plan(request):
    """What of a GeoPackage source qgis_bridge.gpkg_copy copies into the output (a SourceCopy) for a
    `_copy_request`, or None: nothing, no request, a source SQLite cannot read. SQL and GDAL only (no Qt): it may
    run on any thread."""
    import sqlite3
    import struct
    from contextlib import closing

    from . import gpkg, gpkg_copy

    if request is None:
        return None
    source_path, source_table, fid_column, candidates, geometry_source, flat, has_z, has_m, ogr_type = request
    candidates = [gpkg_copy.Candidate(*candidate) for candidate in candidates]
    con = gpkg.connect_read_only(source_path)
    if con is None:
        return None
    try:
        with closing(con):
            geometry = None
            srs_id = gpkg.geometry_srs_id(con, source_table) if geometry_source else None
            if srs_id is not None:
                code = flat + 1000 * int(has_z) + 2000 * int(has_m)
                point = flat == 1
                header = struct.pack("<2sBBi", b"GP", 0, 0b001 if point else 0b011, srs_id)
                geometry = gpkg_copy.GeometryCandidate("geom", geometry_source, header, 8 if point else 40,
                                                       struct.pack("<BI", 1, code), gpkg.empty_blob(ogr_type, srs_id))
            return gpkg_copy.plan(con, "main", source_table, fid_column, candidates, geometry)
    except sqlite3.Error:
        return None


CHUNK = 100_000
# A table is written in at least this many chunks (none smaller than MIN_CHUNK rows): the next chunk is made and
# bound while the last one is written (gpkg.insert_rows), so only the first chunk's binding and the last one's
# writing stand alone.
PIPELINED_CHUNKS = 4
MIN_CHUNK = 10_000


def chunk_size(count: int) -> int:
    """Rows per chunk for a table of `count` rows: CHUNK at most, a quarter of the table down to MIN_CHUNK."""
    return min(CHUNK, max(MIN_CHUNK, -(-count // PIPELINED_CHUNKS)))


def _same_features(read: np.ndarray, judged: np.ndarray, layer: str) -> None:
    """The features read again are the features judged, in the same order; else InputError (layer changed)."""
    if len(read) == len(judged) and np.array_equal(read, judged):
        return
    added = np.setdiff1d(read, judged)
    if len(added):
        raise changed(layer, tr("feature id {id} was added").format(id=int(added[0])))
    missing = len(np.setdiff1d(judged, read))
    if missing:
        raise changed(layer, tr("{n} feature(s) were deleted").format(n=missing))
    raise changed(layer, tr("its features come in another order"))


def _longest_text(values: np.ndarray, mask: np.ndarray, kind: int, width: int) -> int:
    """The longest value of a text column read by GDAL, in characters as QGIS reads it, when some value is longer
    than `width` characters; else 0. Only values of more than `width` bytes (UTF-8) or characters (str) can be, and
    only those are decoded."""
    from .columnar import plain_values

    live = np.flatnonzero(~np.asarray(mask, dtype=bool))
    if not len(live):
        return 0
    sizes = np.fromiter((len(value) for value in values[live].tolist()), dtype=np.int64, count=len(live))
    over = live[sizes > width]
    if not len(over):
        return 0
    return max(len(value) for value in plain_values(values[over], mask[over], kind, False).tolist())


def _ogr_field(field: QgsField, longest: int = 0):
    """OGR's definition of a field; text as long as the field's length, or as its `longest` value when longer (a
    TEXT(40) column may hold longer text: QGIS reads it whole, and the output keeps it whole)."""
    from osgeo import ogr

    kinds = ((QMetaType.Type.QString, ogr.OFTString), (QMetaType.Type.Int, ogr.OFTInteger),
             (QMetaType.Type.LongLong, ogr.OFTInteger64), (QMetaType.Type.Double, ogr.OFTReal),
             (QMetaType.Type.QDate, ogr.OFTDate))
    kind = next(ogr_kind for qt_kind, ogr_kind in kinds if has_type(field, qt_kind))
    definition = ogr.FieldDefn(field.name(), kind)
    if kind == ogr.OFTString and field.length() > 0:  # TEXT(40), as QGIS's writer declares it
        definition.SetWidth(max(field.length(), longest))
    return definition


def _ogr_geometry_type(wkb_type) -> int:
    """QGIS's WKB type as OGR's (the ISO code's base type with OGR's Z and M flags)."""
    from osgeo import ogr

    if QgsWkbTypes.geometryType(wkb_type) == QgsWkbTypes.GeometryType.NullGeometry:
        return ogr.wkbNone
    flat = int(getattr(QgsWkbTypes.flatType(wkb_type), "value", QgsWkbTypes.flatType(wkb_type)))
    return ogr.GT_SetModifier(flat, int(QgsWkbTypes.hasZ(wkb_type)), int(QgsWkbTypes.hasM(wkb_type)))


POINT_TYPES = (1, 0x80000001, 2001, 3001)  # OGR's point types: GDAL writes no envelope for points either
_KIND_OF_CODE = {1: "point", 4: "point", 2: "line", 5: "line", 8: "line", 9: "line", 11: "line",
                 3: "polygon", 6: "polygon", 10: "polygon", 12: "polygon"}
_MULTI_OF = {1: 4, 2: 5, 3: 6, 8: 11, 9: 11, 10: 12}  # QgsWkbTypes.multiType of the single types


def _kept_geometries(wkbs: np.ndarray, geometry_kind, multi: bool) -> np.ndarray:
    """The WKB to write: None for a geometry of another kind than the layer's (written without it), and a single
    geometry made a one-part multi-geometry in a multi layer — as QGIS's OGR provider hands features over."""
    from .layers import wkb_type_codes

    kinds = {QgsWkbTypes.GeometryType.PointGeometry: "point", QgsWkbTypes.GeometryType.LineGeometry: "line",
             QgsWkbTypes.GeometryType.PolygonGeometry: "polygon"}
    wanted = kinds.get(geometry_kind)
    out = np.asarray(wkbs, dtype=object).copy()
    present = np.flatnonzero(np.not_equal(out, None))
    if not len(present):
        return out
    codes = wkb_type_codes(out[present]) & 0x0FFFFFFF
    base = codes % 1000
    if wanted is not None:
        other = np.array([_KIND_OF_CODE.get(int(b)) != wanted for b in np.unique(base)])
        out[present[np.isin(base, np.unique(base)[other])]] = None
    if multi:
        single = np.isin(base, list(_MULTI_OF)) & np.not_equal(out[present], None)
        rows = present[single]
        prefixes = {int(code): struct.pack("<BII", 1, _MULTI_OF[int(code) % 1000] + int(code) // 1000 * 1000, 1)
                    for code in np.unique(codes[single])}
        out[rows] = [prefixes[int(code)] + wkb for code, wkb in zip(codes[single].tolist(), out[rows])]
    return out


def _boxes(wkbs: np.ndarray) -> np.ndarray:
    """(minx, miny, maxx, maxy) per geometry, NaN where there is none or shapely cannot read it (curves: shapely
    2.1 raises on them whatever on_invalid says): the blobs' envelopes and the table's extent."""
    import shapely

    from .layers import curved_wkbs

    boxes = np.full((len(wkbs), 4), np.nan)
    live = np.flatnonzero(np.not_equal(wkbs, None))
    if len(live):
        live = live[~curved_wkbs(wkbs[live])]
    if len(live):
        shapes = shapely.from_wkb(wkbs[live], on_invalid="ignore")
        boxes[live] = shapely.bounds(shapes)
    return boxes


def _curve_boxes(wkbs: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """`boxes` with the curved geometries' boxes filled in by OGR (shapely cannot read curves; their blobs keep no
    envelope, see `_boxes`), for the spatial index and the extent — as GDAL's index takes them from the geometry."""
    from osgeo import ogr

    from .layers import curved_wkbs

    live = np.flatnonzero(np.not_equal(wkbs, None))
    curved = live[curved_wkbs(wkbs[live])] if len(live) else live
    if not len(curved):
        return boxes
    boxes = boxes.copy()
    for row in curved.tolist():
        geometry = ogr.CreateGeometryFromWkb(bytes(wkbs[row]))
        if geometry is not None and not geometry.IsEmpty():
            min_x, max_x, min_y, max_y = geometry.GetEnvelope()
            boxes[row] = (min_x, min_y, max_x, max_y)
    return boxes


def _sqlite_values(column: np.ndarray, field: QgsField) -> list:
    """A source column (plain Python values, None for NULL) as sqlite3 takes it, converted as QGIS converts a value
    for its field when a sink writes it (QgsField.convertCompatible): a real rounded half away from zero to the
    field's precision (a shapefile's N(24,15) makes 4.833333333333333 4.833333333333334); dates as ISO text. Text is
    written whole (where QGIS's writer refuses text longer than its field, the field was widened: `_longest_text`)."""
    live = np.not_equal(column, None)
    if has_type(field, QMetaType.Type.Double) and field.precision() > 0 and live.any():
        scale = 10.0 ** field.precision()
        scaled = column[live].astype(float) * scale
        column = column.copy()
        column[live] = (np.where(scaled < 0, np.ceil(scaled - 0.5), np.floor(scaled + 0.5)) / scale).tolist()
    elif has_type(field, QMetaType.Type.QDate) and live.any():
        column = column.copy()
        column[live] = [value.isoformat() for value in column[live]]
    return column.tolist()


def _result_values(series: pd.Series, kind: str) -> list:
    """A result column as sqlite3 takes it: the values results.ResultRows hands the feature way, as plain Python
    (None for NaN / NaT, dates as ISO text)."""
    missing = series.isna().to_numpy()
    if kind == "int":
        values = pd.to_numeric(series, errors="coerce").fillna(0).to_numpy().astype(np.int64).astype(object)
    elif kind == "real":
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float).astype(object)
    elif kind == "date":
        values = np.array([None if m else dt.date(d.year, d.month, d.day).isoformat()
                           for d, m in zip(series, missing)], dtype=object)
    else:
        values = series.to_numpy(dtype=object, copy=True)
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):  # text already: as it is
            values = np.array([str(v) for v in values.tolist()], dtype=object)
    values[missing] = None
    return values.tolist()
