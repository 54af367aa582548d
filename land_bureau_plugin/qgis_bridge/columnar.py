"""Columnar reading of file layers through GDAL's Arrow stream: attributes as numpy arrays, geometries as WKB.

Why: reading a layer feature by feature through QGIS costs a Python step per feature (its attributes converted one
QVariant at a time), which was most of an analysis's time at 100,000 parcels. GDAL (≥ 3.6) hands a whole OGR layer
over as Arrow record batches (`ogr.Layer.GetArrowStreamAsNumPy`): every column is one numpy array per batch of
65,536 rows, read in C.

The columnar path gives what the feature reader gives, or is not taken (`OgrTable.of` returns None and
qgis_bridge.layers.read_columns reads feature by feature):
- only the OGR provider on GeoPackage, shapefile, GeoJSON and FlatGeobuf, the drivers the equivalence test covers
  (tests/qgis/test_columnar_reader.py); a layer being edited with unsaved changes, a SELECT subset string, a URI
  option this module does not know (a geometry type filter, open options), a field QGIS joins or computes, a
  Processing source with a feature limit or a filter expression are read by QGIS;
- the subset string is applied as QGIS's OGR provider applies one that is not a full SELECT: an attribute filter
  (OGR_L_SetAttributeFilter), in the dataset's own SQL dialect;
- feature ids are OGR FIDs, which is what the OGR provider calls feature ids, so messages and the output name the
  same features either way; a selection (a Processing input with "selected features only") keeps the rows whose
  FID is selected, in FID order;
- a shapefile's text is decoded by GDAL in the encoding the QGIS layer reads it in (the plugin's GBK / GB18030 /
  Big5 detection, qgis_bridge.encoding, sets it): ENCODING=CP936 … as an open option, so GDAL recodes names and
  values to UTF-8 as Qt's codec would (a character cut at the field's width is dropped by both). A layer QGIS reads
  in an encoding not listed here, or whose field names are not valid in it, is read by QGIS: GDAL 3.6's Arrow
  stream crashes on field names that are not UTF-8;
- a GeoPackage's FLOAT columns (OGR's 32-bit float subtype), which the stream rounds to 32 bits, are read from
  SQLite as the doubles they hold (`stored_doubles`).
Text another program stored in a GeoPackage's or a shapefile's number column ("待定" in a REAL column of taxes),
which GDAL gives as a made-up number (0) here as in QGIS's reader, qgis_bridge.stored_text puts in after either
reader.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

# The encodings QGIS reads a shapefile in (QTextCodec names, qgis_bridge.encoding.ENCODINGS) → GDAL's (iconv).
SHAPEFILE_ENCODINGS = {"UTF-8": "UTF-8", "UTF8": "UTF-8", "GBK": "CP936", "CP936": "CP936", "GB2312": "CP936",
                       "GB18030": "GB18030", "BIG5": "CP950", "CP950": "CP950"}
DRIVERS = ("GPKG", "ESRI Shapefile", "GeoJSON", "FlatGeobuf")
_KNOWN_URI_PARTS = {"path", "layerName", "layerId", "subset"}
_SELECT = re.compile(r"^\s*select\s", re.IGNORECASE)


def arrow_available() -> bool:
    """GDAL's Python binding has the Arrow stream as numpy arrays (GDAL ≥ 3.6)."""
    try:
        from osgeo import ogr
    except ImportError:
        return False
    return hasattr(ogr.Layer, "GetArrowStreamAsNumPy")


@dataclass(frozen=True)
class OgrTable:
    """Where an OGR-backed QGIS layer's features are in GDAL's terms: the file, the layer, the subset string, the
    open options that make GDAL decode its text as QGIS does, and the selected feature ids (None: all)."""

    path: str
    layer_name: str | None
    layer_index: int
    subset: str
    open_options: tuple[str, ...]
    fid_field: int  # the provider field index of the FID column QGIS shows as a field (GeoPackage "fid"), else -1
    selected: np.ndarray | None = None
    driver: str = ""

    @classmethod
    def of(cls, layer, selected_only: bool = False) -> OgrTable | None:
        """The table behind a QgsVectorLayer, or None when QGIS must read it (see the module docstring)."""
        return cls.examined(layer, selected_only)[0]

    @classmethod
    def examined(cls, layer, selected_only: bool = False) -> tuple[OgrTable | None, str]:
        """(`of(layer)`, "") or (None, why QGIS must read the layer: a translated phrase the log shows)."""
        from qgis.core import QgsProviderRegistry, QgsVectorLayer

        from ..i18n import tr

        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            return None, tr("it is not a valid vector layer")
        if layer.providerType() != "ogr":
            return None, tr("its data provider is {provider}").format(provider=layer.providerType())
        if not arrow_available():
            return None, tr("this GDAL has no Arrow stream (GDAL 3.6 or later has)")
        if layer.isEditable() and layer.isModified():
            return None, tr("it has unsaved edits")
        parts = {k: v for k, v in (QgsProviderRegistry.instance().decodeUri("ogr", layer.source()) or {}).items()
                 if v not in (None, "")}
        if set(parts) - _KNOWN_URI_PARTS or not parts.get("path"):
            return None, tr("its source has options ({options}) only QGIS applies").format(
                options=", ".join(sorted(set(parts) - _KNOWN_URI_PARTS)) or "—")
        subset = layer.subsetString() or ""
        if _SELECT.match(subset) or "--" in subset:  # a full SELECT gives FIDs of its own; comments QGIS strips
            return None, tr("its filter is a SQL query of its own")
        provider = layer.dataProvider()
        driver = provider.storageType()
        if driver not in DRIVERS:
            return None, tr("it is a {format} file").format(format=driver)
        options: tuple[str, ...] = ()
        if driver == "ESRI Shapefile":
            encoding = SHAPEFILE_ENCODINGS.get((provider.encoding() or "").upper())
            if encoding is None:
                return None, tr("its text is read in the encoding {encoding}").format(encoding=provider.encoding())
            options = (f"ENCODING={encoding}",)
        fid_field = -1
        fields = provider.fields()
        # QGIS shows a GeoPackage's FID column as its first field whatever it is called — "fid", or "OBJECTID_FID"
        # in an ArcGIS export — and marks it as the key; taking only "fid" shifted every other field by one column
        # (用地性质 read from 用地面积)
        if driver == "GPKG" and fields.count() and (0 in provider.pkAttributeIndexes()
                                                     or fields.at(0).name().lower() == "fid"):
            fid_field = 0
        selected = None
        if selected_only:
            selected = np.sort(np.fromiter(layer.selectedFeatureIds(), dtype=np.int64))
        layer_index = int(parts.get("layerId") or 0)
        return cls(str(parts["path"]), parts.get("layerName"), layer_index, subset, options, fid_field, selected,
                   driver), ""


@dataclass
class Columns:
    """What `read_table` read: FIDs, one (values, null mask, OGR field type) per asked provider field, and the
    geometries as WKB (an object array, None where a feature has none), or what `convert` made of them, when asked."""

    fids: np.ndarray
    fields: list
    wkb: np.ndarray | None


def read_table(table: OgrTable, provider_indexes: list[int], with_geometry: bool, progress=None,
               convert=None) -> Columns | None:
    """Read the asked provider fields (and geometry) of `table` batch by batch; None when GDAL cannot give them as
    the feature reader would (the caller falls back to it). `progress(share)` after each batch; a true return
    value from it stops the reading (canceled). `convert(wkbs)`: what to keep of each batch's geometries instead
    of their WKB (shapely geometries: the bytes of a million features never sit in memory all at once)."""
    from osgeo import gdal, ogr

    dataset = gdal.OpenEx(table.path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=list(table.open_options))
    if dataset is None:
        return None
    layer = dataset.GetLayerByName(table.layer_name) if table.layer_name else dataset.GetLayer(table.layer_index)
    if layer is None:
        return None
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetNameRef() for i in range(definition.GetFieldCount())]
    if any(_not_utf8(name) for name in names):
        return None  # GDAL 3.6's Arrow stream crashes on such names
    offset = 1 if table.fid_field == 0 else 0
    wanted = [index - offset for index in provider_indexes]  # -1: the FID column shown as a field
    if any(index >= len(names) for index in wanted):
        return None
    kept = sorted({index for index in wanted if index >= 0})
    streamed = Streamed(kept, with_geometry)
    if table.subset and table.driver != "GPKG":
        # GDAL evaluates this filter on the features it reads (the GeoPackage's is SQL), where an ignored field is
        # NULL: a subset string on a field the analysis does not read ("n" >= 2) kept no feature of a shapefile or a
        # FlatGeobuf at all — an empty run, silently. So nothing is ignored.
        streamed = Streamed(list(range(len(names))), True)
    ignored = [name for i, name in enumerate(names) if i not in streamed.fields]
    if not streamed.geometry:
        ignored.append("OGR_GEOMETRY")
    if layer.SetIgnoredFields(ignored) != ogr.OGRERR_NONE:
        return None
    if table.subset and layer.SetAttributeFilter(table.subset) != ogr.OGRERR_NONE:
        return None
    total = max(layer.GetFeatureCount(force=0), 1)
    types = {i: definition.GetFieldDefn(i).GetType() for i in kept}
    read = _read_stream(layer, streamed, kept, with_geometry, table.selected, progress, convert, total)
    if read is None:
        return None
    fids, field_parts, wkb_parts = read
    joined = {index: _joined(field_parts.pop(index)) for index in kept}
    float32 = [i for i in kept
               if types[i] == ogr.OFTReal and definition.GetFieldDefn(i).GetSubType() == ogr.OFSTFloat32]
    if float32 and table.driver == "GPKG":
        stored = stored_doubles(table.path, layer.GetName(), layer.GetFIDColumn(), [names[i] for i in float32], fids)
        if stored is None:
            return None
        joined.update(zip(float32, stored))
    fields = []
    for index in wanted:
        if index < 0:
            fields.append((fids.copy(), np.zeros(len(fids), dtype=bool), ogr.OFTInteger64))
            continue
        values, mask = joined[index]
        fields.append((values, mask, types[index]))
    wkb = None
    if with_geometry:
        wkb = np.concatenate(wkb_parts) if wkb_parts else np.empty(0, dtype=object)
    return Columns(fids, fields, wkb)


class Streamed(NamedTuple):
    """What the Arrow stream carries: the fields (positions in the layer's order) and whether the geometry."""

    fields: list[int]
    geometry: bool


def _read_stream(layer, streamed: Streamed, kept: list[int], with_geometry: bool, selected, progress, convert,
                 total: int):
    """The Arrow stream of `layer` (fields and filter already set, carrying `streamed`): (FIDs, {field of `kept`:
    [batch columns]}, [batch geometries] when `with_geometry`), or None when the stream does not give the columns
    asked for."""
    fid_parts, field_parts, wkb_parts = [], {i: [] for i in kept}, []
    done = 0
    at = {index: 1 + k for k, index in enumerate(streamed.fields)}  # after the FID column
    stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES"])
    for batch in stream:
        columns = list(batch.values())
        if len(columns) != 1 + len(streamed.fields) + (1 if streamed.geometry else 0):
            return None
        fids = np.asarray(columns[0], dtype=np.int64)
        rows = _selected_rows(fids, selected)
        fid_parts.append(fids if rows is None else fids[rows])
        for index in kept:
            column = columns[at[index]]
            field_parts[index].append(column if rows is None else column[rows])
        if with_geometry:
            wkbs = _wkb_objects(columns[-1], rows)
            wkb_parts.append(wkbs if convert is None else convert(wkbs))
        done += len(fids)
        if progress is not None and progress(min(1.0, done / total)):
            break
    fids = np.concatenate(fid_parts) if fid_parts else np.empty(0, dtype=np.int64)
    return fids, field_parts, wkb_parts


def stored_doubles(path: str, table: str, fid_column: str, columns: list[str], fids: np.ndarray):
    """The doubles a GeoPackage's FLOAT columns hold, for the features `fids`: [(values, null mask)] per column, or
    None when SQLite cannot read the file (the caller falls back to QGIS's reader).

    Why: a FLOAT column (ArcGIS exports its Float fields so; OGR's 32-bit float subtype) stores a double in SQLite,
    which QGIS's feature reader hands over as it is (0.7), while GDAL's Arrow stream rounds it to 32 bits
    (0.699999988079071: a FAR of 0.7 judged below a minimum of 0.7). So these columns are read from SQLite itself,
    read-only, as GDAL's GeoPackage driver reads a real (sqlite3_column_double: CAST AS REAL), and matched to the
    stream's features by FID, so the stream's subset string and selection hold."""
    import sqlite3

    from .gpkg import connect_read_only, quoted

    connection = connect_read_only(path) if fid_column else None
    if connection is None:
        return None
    selected = ", ".join(f"CAST({quoted(c)} AS REAL)" for c in columns)  # NULL stays NULL: NaN below
    parts = []
    try:
        cursor = connection.execute(f"SELECT {quoted(fid_column)}, {selected} FROM {quoted(table)} "
                                    f"ORDER BY {quoted(fid_column)}")
        while rows := cursor.fetchmany(65536):  # a million rows as Python tuples at once: ~150 MB
            parts.append(np.array(rows, dtype=float).reshape(len(rows), 1 + len(columns)))
    except (sqlite3.Error, TypeError, ValueError, OverflowError):
        return None
    finally:
        connection.close()
    stored = np.concatenate(parts) if parts else np.empty((0, 1 + len(columns)))
    if len(stored) and np.abs(stored[:, 0]).max() >= 2 ** 53:  # FIDs beyond a double's integers
        return None
    stored_fids = stored[:, 0].astype(np.int64)
    at = np.searchsorted(stored_fids, fids)
    if len(fids) and (at.max() >= len(stored_fids) or (stored_fids[at] != fids).any()):
        return None  # a feature the stream gave that SQLite does not hold: not the same table
    # SQLite stores no NaN (it makes one NULL), so NaN is NULL
    return [(stored[at, k], np.isnan(stored[at, k])) for k in range(1, 1 + len(columns))]


def _not_utf8(name) -> bool:
    return any(0xDC80 <= ord(c) <= 0xDCFF for c in str(name))


def _selected_rows(fids: np.ndarray, selected: np.ndarray | None):
    if selected is None:
        return None
    return np.flatnonzero(np.isin(fids, selected, assume_unique=False))


def _joined(parts: list):
    """One column from its batches: (values as a plain numpy array, null mask)."""
    if not parts:
        return np.empty(0, dtype=object), np.empty(0, dtype=bool)
    masks = [np.ma.getmaskarray(p) for p in parts]
    datas = [np.ma.getdata(p) for p in parts]
    kinds = {d.dtype.kind for d in datas}
    if "S" in kinds and kinds != {"S"}:  # fixed-width bytes beside objects: one object array
        datas = [d.astype(object) for d in datas]
    return np.concatenate(datas), np.concatenate(masks)  # fixed-width bytes of each batch's width: the widest


def _wkb_objects(column, rows) -> np.ndarray:
    """The geometry column of a batch as an object array of WKB bytes (None for NULL). GDAL hands a batch whose
    geometries all have the same size as a fixed-size void array, which must not go through numpy's bytes type
    (it strips trailing zero bytes, and WKB ends in coordinates that may hold them); cast to objects, each item is
    bytes of the whole fixed size."""
    mask = np.ma.getmaskarray(column)
    data = np.ma.getdata(column)
    if rows is not None:
        mask, data = mask[rows], data[rows]
    if data.dtype.kind == "V":
        out = data.astype(object)
    else:
        out = np.asarray(data, dtype=object).copy()
    out[mask] = None
    return out


def plain_values(values: np.ndarray, mask: np.ndarray, ogr_type: int, as_float: bool):
    """A column as the feature reader gives it (qgis_bridge.layers._column): float64 with NaN for NULL when
    `as_float`, else an object array of plain Python values — str, int, float, bool, datetime.date /
    datetime.datetime — and None for NULL (and for time-of-day values, which the feature reader drops)."""
    from osgeo import ogr

    if ogr_type == ogr.OFTTime:
        return np.full(len(values), None, dtype=object)
    if as_float and values.dtype.kind in "iufb":
        out = values.astype(float)
        out[mask] = np.nan
        return out
    text = False
    if values.dtype.kind == "O" and ogr_type in (ogr.OFTString, ogr.OFTWideString):
        out, text = _decoded(values, mask), True
    elif values.dtype.kind == "S":
        out, text = _decoded_fixed(values, mask), True
    elif values.dtype.kind == "M" and ogr_type == ogr.OFTDate:
        out = values.astype("datetime64[D]").astype(object)
    else:
        out = values.astype(object)
    out[mask] = None
    if as_float:
        return np.array(out.tolist(), dtype=float)
    return shared_repeats(out) if text else out


SHARING_SAMPLE = 10_000


def shared_repeats(texts: np.ndarray) -> np.ndarray:
    """`texts` (str, None for NULL) with equal values made one object, when its first `SHARING_SAMPLE` values
    repeat (at most half of them distinct); else `texts` as it is.

    Why: decoding makes a str object per row, ~90 bytes for a short Chinese name. A district, land-use code or owner
    column repeats a few values — a million parcels held ~210 MB of copies of 6 district names, 6 codes and 48,600
    owners all through the run (memory peaks above 2.7 GB). The values are the same strings either way; a column of
    ids, which rarely repeat, is left as it is (the sample decides: one pass over a million values is ~0.1 s)."""
    sample = texts[:SHARING_SAMPLE]
    if len(sample) < 2 or len(pd.unique(sample)) > len(sample) // 2:
        return texts
    codes, uniques = pd.factorize(texts)
    if not len(uniques):  # every value NULL
        return texts
    out = np.asarray(uniques, dtype=object)[codes]
    out[codes < 0] = None
    return out


def _decoded(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """UTF-8 bytes → str as QGIS's reader decodes them (Qt's QString::fromUtf8): one U+FFFD for each byte of a bad
    sequence (Python's "replace" gives one per cut sequence: b'\\xe4\\xbb' one, Qt two) and one leading byte-order
    mark dropped. All at once (joined on a byte no C string holds, decoded, split) when the column is valid UTF-8,
    else value by value."""
    live = values.copy()
    live[mask] = b""
    items = live.tolist()
    try:
        out = _split(b"\x00".join(items), len(items))
    except TypeError:  # str among them (GDAL 3.10 and later hand text decoded)
        out = None
    if out is not None:
        return out
    return np.array([_without_bom(item if isinstance(item, str) else item.decode("utf-8", errors=_QT_REPLACE))
                     for item in items], dtype=object)


def _decoded_fixed(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """`_decoded` of a fixed-width bytes column (GDAL's form of a batch of short text: each value NUL-padded to the
    widest) without a bytes object per value: every value's bytes and a NUL after it picked from the array's buffer
    at once, decoded and split. A column with a NUL inside some value (numpy keeps it, only trailing ones are
    padding) goes `_decoded`'s way, and so does one that is not valid UTF-8."""
    values = np.ascontiguousarray(values)
    count, width = len(values), values.dtype.itemsize
    if count and width:
        raw = values.view(np.uint8).reshape(count, width)
        kept = raw != 0
        if not (~kept[:, :-1] & kept[:, 1:]).any():
            kept[np.asarray(mask, dtype=bool)] = False  # NULL: "" (made None by the caller)
            ends = np.ones((count, 1), dtype=bool)
            joined = np.concatenate([raw, np.zeros((count, 1), dtype=np.uint8)], axis=1)
            out = _split(joined[np.concatenate([kept, ends], axis=1)].tobytes()[:-1], count)
            if out is not None:
                return out
    return _decoded(values.astype(object), mask)


def _split(joined: bytes, count: int) -> np.ndarray | None:
    """The `count` values of `joined` (UTF-8, NUL after each but the last) as str, a leading byte-order mark
    dropped; None when it is not valid UTF-8 or holds another number of values (a NUL inside one)."""
    if not count:
        return np.empty(0, dtype=object)
    try:
        text = joined.decode("utf-8")
    except UnicodeDecodeError:
        return None
    out = np.array(text.split("\x00"), dtype=object)
    if len(out) != count:
        return None
    if "\ufeff" in text:
        out = np.array([_without_bom(item) for item in out.tolist()], dtype=object)
    return out


def _without_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _qt_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    """A codec error handler: one U+FFFD per byte of the bad sequence, as Qt's UTF-8 decoder."""
    return "\ufffd" * (error.end - error.start), error.end


_QT_REPLACE = "landbureau-qt-replace"
codecs.register_error(_QT_REPLACE, _qt_replace)
