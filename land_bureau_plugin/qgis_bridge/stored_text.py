"""Text another program stored in a numeric column of a GeoPackage or a shapefile, read as that text.

Why: SQLite keeps whatever a program stores, and a GeoPackage written by another program than GDAL (a script, a
database tool, an ETL) can hold "1.5%", "无" or "待定" in a REAL column of FARs. GDAL — so QGIS's feature reader and
the Arrow stream alike — reads such a value as the number its first characters make, 0 for "无": a FAR of 0 judged
low-efficiency, with no word that the value was not a number. Given as the text it is, the number reader
(analysis.numbers) reads "1.5%" as a percent and names "无" a placeholder and "待定" not a number, as it does in a
text field. A number stored as text ("2.5" in a REAL column) SQLite has already made a number; only what is not a
number stays text. A shapefile's DBF stores every number as text of its field's width, which a program other than
GDAL or ArcGIS (a spreadsheet export, a script) may fill with anything: GDAL reads "41%" as 41 and "待定" as 0 there
too (warning only that it "parsed incompletely"), so the DBF's own bytes are read (`dbf_number_texts`).

Both readers of qgis_bridge.layers.read_columns give GDAL's numbers; `StoredTexts` puts the texts in after either,
in one place. A whole layer's texts are found by one SQL scan begun on a thread of its own before the layer is read
(~0.4 s at a million parcels, beside the read: SQLite lets go of the GIL while it scans); a read of some features (a
live check) looks at their rows only, after the read. A value edited in QGIS and not saved yet is QGIS's (a number).
"""
from __future__ import annotations

import codecs
import functools
import json
import sqlite3
import threading
from contextlib import closing

import numpy as np
import pandas as pd
from qgis.core import QgsFields, QgsProviderRegistry, QgsVectorLayer

from .dbf import dbf_layout


class StoredTexts:
    """The texts stored in the numeric columns of one read of a GeoPackage or shapefile layer: `begin` before the
    read, `put_into` its columns after. `find(fids)`: {field name: (FIDs, texts)} of the fields asked for, of the
    features `fids` (None: all)."""

    def __init__(self, layer: QgsVectorLayer, names: dict[int, str], find, whole: bool):
        self._layer, self._names, self._find = layer, names, find
        self._found: dict = {}
        self._scan = None
        if whole:
            self._scan = threading.Thread(target=self._scan_whole, name="land_bureau_stored_text", daemon=True)
            self._scan.start()

    @classmethod
    def begin(cls, layer, indexes: list[int], whole: bool) -> StoredTexts | None:
        """For reading the fields `indexes` of `layer` (a QgsVectorLayer; anything else: None): None unless it is a
        GeoPackage table or a shapefile of the OGR provider and some of those fields are numeric columns of it.
        `whole`: the read takes every feature, so the whole table is scanned now, beside it."""
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
            return None
        provider, fields = layer.dataProvider(), layer.fields()
        stored = QgsFields.FieldOrigin.OriginProvider  # not joined or computed by QGIS
        numeric = [(position, index) for position, index in enumerate(indexes)
                   if fields.field(index).isNumeric() and fields.fieldOrigin(index) == stored]
        names = {position: fields.at(index).name() for position, index in numeric}
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()) or {}
        path = parts.get("path")
        if not names or not path:
            return None
        if provider.storageType() == "GPKG":
            where = (str(path), parts.get("layerName"), parts.get("layerId"))
            return cls(layer, names, functools.partial(_gpkg_texts, where, list(names.values())), whole)
        if provider.storageType() == "ESRI Shapefile":
            dbf = _dbf_of(str(path))
            if dbf is None:
                return None
            columns = {fields.at(index).name(): fields.fieldOriginIndex(index) for _, index in numeric}
            find = functools.partial(dbf_number_texts, dbf, _codec(provider.encoding()), columns)
            return cls(layer, names, find, whole)
        return None

    def _scan_whole(self) -> None:
        try:
            self._found = self._find(None)
        except Exception:  # noqa: BLE001 — on its own thread: the numbers stay GDAL's, as when the file cannot be read
            self._found = {}

    def put_into(self, ids, columns: list) -> list:
        """`columns` (one per field asked for, of the features `ids`, as the reader converted them) with the stored
        texts in place of GDAL's numbers, where QGIS holds no edit of that value."""
        fids = np.asarray(ids, dtype=np.int64)
        if self._scan is not None:
            self._scan.join()
            found = self._found
        else:  # a new feature not saved yet has a negative id: the file holds no row of it
            found = self._find(fids[fids >= 0]) if len(fids) else {}
        if not found:
            return columns
        buffer = self._layer.editBuffer()
        edited = buffer.changedAttributeValues() if buffer is not None else {}
        fields = self._layer.fields()
        columns = list(columns)
        for position, name in self._names.items():
            if name not in found:
                continue
            index = fields.indexOf(name)
            held_fids, held = found[name]
            kept = [k for k, fid in enumerate(held_fids.tolist()) if index not in edited.get(fid, {})]
            columns[position] = _put(columns[position], fids, held_fids[kept], [held[k] for k in kept])
        return columns


def _gpkg_texts(where: tuple, columns: list[str], fids) -> dict:
    """`stored_texts` of the GeoPackage table `where` names ((path, layer name, layer index): GDAL says which
    table and FID column that is)."""
    table = _table(*where)
    return stored_texts(table[0], table[1], table[2], columns, fids) if table is not None else {}


def _table(path: str, name: str | None, index) -> tuple | None:
    """(path, table, FID column) of a layer of the GeoPackage at `path`, or None when GDAL cannot say."""
    from osgeo import gdal

    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
    except RuntimeError:
        return None
    if dataset is None:
        return None
    layer = dataset.GetLayerByName(name) if name else dataset.GetLayer(int(index or 0))
    if layer is None or not layer.GetFIDColumn():
        return None
    return path, layer.GetName(), layer.GetFIDColumn()


def stored_texts(path: str, table: str, fid_column: str, columns: list[str], fids=None) -> dict:
    """The text the GeoPackage's numeric `columns` hold: {column: (FIDs, texts)} for the columns that hold any (an
    empty dict when none does, or when SQLite cannot read the file: the numbers are then what GDAL gives). `fids`:
    only those features' rows are looked at, else the whole table. A text ends at a NUL character, as GDAL reads a
    text column (written on into a reason, the rest cut it short)."""
    from .gpkg import connect_read_only, quoted

    connection = connect_read_only(path) if fid_column else None
    if connection is None:
        return {}
    is_text = [f"typeof({quoted(c)}) = 'text'" for c in columns]
    query = (f"SELECT {quoted(fid_column)}, {', '.join(is_text)}, {', '.join(quoted(c) for c in columns)} "
             f"FROM {quoted(table)} WHERE ({' OR '.join(is_text)})")
    connection.text_factory = lambda stored: stored.decode("utf-8", "replace")
    with closing(connection):
        try:
            if fids is None:
                rows = connection.execute(query).fetchall()
            else:  # the FIDs as one JSON array: any number of them in one bound value
                rows = connection.execute(f"{query} AND {quoted(fid_column)} IN (SELECT value FROM json_each(?))",
                                          (json.dumps([int(fid) for fid in fids]),)).fetchall()
        except (sqlite3.Error, OverflowError):
            return {}
    found = {}
    for k, column in enumerate(columns):
        held = [(row[0], row[1 + len(columns) + k].split("\x00", 1)[0]) for row in rows if row[1 + k]]
        if held:
            found[column] = (np.array([fid for fid, _ in held], dtype=np.int64), [text for _, text in held])
    return found


def _put(values, fids: np.ndarray, text_fids: np.ndarray, texts: list) -> np.ndarray:
    """A converted numeric column of the features `fids` with `texts` in the rows of `text_fids`: an object array
    of plain Python numbers, None for NULL, and those texts; `values` as it was when none of them was read."""
    order = np.argsort(fids, kind="stable")
    at = np.minimum(np.searchsorted(fids, text_fids, sorter=order), max(len(fids) - 1, 0))
    found = (fids[order[at]] == text_fids) if len(fids) else np.zeros(len(text_fids), dtype=bool)
    if not found.any():
        return values
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out)] = None
    out[order[at[found]]] = [text for text, kept in zip(texts, found) if kept]
    return out


# What a DBF number field holds when GDAL reads it whole: digits, sign, decimal point, exponent, padding
_NUMBER_BYTES = np.zeros(256, dtype=bool)
_NUMBER_BYTES[list(b"0123456789+-.eE \x00")] = True


def dbf_number_texts(dbf: str, codec: str, columns: dict[str, int], fids=None) -> dict:
    """The text a shapefile's DBF holds in its number fields `columns` ({name: field position}): {name: (FIDs,
    texts)} for the fields with any value holding a byte no number is written with ("41%", "待定", "N/A"); an empty
    dict when none does or the file is not a DBF this reads (the numbers are then GDAL's). A value starting with "*"
    is NULL, as GDAL reads it (a writer's mark for a number too wide for its field), not text. A record's FID is
    its position, as GDAL numbers them. Texts are decoded in `codec` (the layer's encoding), trimmed of the padding.
    `fids`: not used (the records are scanned whole: fixed-width bytes, one numpy pass per field)."""
    try:
        data = np.memmap(dbf, dtype=np.uint8, mode="r")
    except (OSError, ValueError):
        return {}
    if len(data) < 32:
        return {}
    layout = dbf_layout(bytes(data[:int.from_bytes(bytes(data[8:10]), "little")]))
    header, width, fields = layout.header, layout.width, layout.fields
    count = min(layout.records, (len(data) - header) // width) if width else 0
    if not count or (fields and fields[-1].offset + fields[-1].size > width):
        return {}
    records = data[header:header + count * width].reshape(count, width)
    found = {}
    for name, position in columns.items():
        if position >= len(fields) or fields[position].kind not in "NF":
            continue
        values = records[:, fields[position].offset:fields[position].offset + fields[position].size]
        rows = np.flatnonzero(~_NUMBER_BYTES[values].all(axis=1)).tolist()
        held = [(row, bytes(values[row]).replace(b"\x00", b" ").strip()) for row in rows]
        held = [(row, raw) for row, raw in held if not raw.startswith(b"*")]  # "*****": NULL (the value did not fit)
        if held:
            found[name] = (np.array([row for row, _ in held], dtype=np.int64),
                           [raw.decode(codec, "replace") for _, raw in held])
    return found


def _dbf_of(shp: str) -> str | None:
    """The DBF beside a shapefile (or the DBF itself), whatever the case of its suffix."""
    from pathlib import Path

    path = Path(shp)
    if path.suffix.lower() == ".dbf":
        return str(path) if path.is_file() else None
    for suffix in (".dbf", ".DBF", ".Dbf"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return str(candidate)
    return None


def _codec(encoding: str) -> str:
    """Python's codec for the encoding QGIS reads a shapefile in (a QTextCodec name); UTF-8 when Python knows none."""
    from .columnar import SHAPEFILE_ENCODINGS

    name = SHAPEFILE_ENCODINGS.get((encoding or "").upper(), encoding or "")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"
