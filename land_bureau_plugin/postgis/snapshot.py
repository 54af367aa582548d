"""The source rows as the run saw them: read inside the run's own REPEATABLE READ transaction, so what is written
out (the output layer's attributes and geometries, the districts of the summary, the parcels of a merge cluster)
is the very snapshot the results were computed from.

Why not read them through the QGIS layer: its provider opens its own connection and sees the live table. A row
re-coded, deleted or inserted by another user while the run was working would then be written with results that
do not belong to it (a parcel re-coded 0701 still "low-efficiency for 0601"), be missing from the layer but counted
in the summary, or have no result at all.

Values come back as QGIS's postgres provider hands them over for the layer's fields (same names, same types), so
an output written from the snapshot equals one written from the layer when nobody edits in between.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from psycopg2 import sql

from . import sqlexpr
from .connection import cancel_on
from .tables import TableInfo

FETCH_ROWS = 5_000  # rows per round trip of the server-side cursor
_PADDED = ("character", "char", "bpchar")  # char(n): the provider hands the value over without its padding


def _qt_value(value):
    """A psycopg2 value as QGIS's postgres provider hands it to Python."""
    from qgis.PyQt.QtCore import QByteArray, QDate, QDateTime, Qt, QTime

    if value is None or isinstance(value, (str, int, float, bool, dict, list)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            utc = value.astimezone(dt.timezone.utc)
            return QDateTime(QDate(utc.year, utc.month, utc.day),
                             QTime(utc.hour, utc.minute, utc.second, utc.microsecond // 1000), Qt.TimeSpec.UTC)
        return QDateTime(QDate(value.year, value.month, value.day),
                         QTime(value.hour, value.minute, value.second, value.microsecond // 1000))
    if isinstance(value, dt.date):
        return QDate(value.year, value.month, value.day)
    if isinstance(value, dt.time):
        return QTime(value.hour, value.minute, value.second, value.microsecond // 1000)
    if isinstance(value, memoryview):
        return QByteArray(bytes(value))
    return str(value)


# Column types psycopg2 already hands over as QGIS does (str, int, float, bool): their values need no conversion,
# which is most of a cadastre table and most of the writing time.
_PLAIN = {"text", "character varying", "varchar", "character", "char", "bpchar", "smallint", "integer", "bigint",
          "real", "double precision", "boolean", "uuid"}


def _converter(info: TableInfo, name: str):
    """None when the column's values go over as they are, else _qt_value."""
    return None if info.columns.get(name, "").split("(")[0] in _PLAIN else _qt_value


def _column(info: TableInfo, name: str, alias: str = "s") -> sql.Composable:
    column = sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(name))
    if info.columns.get(name, "").split("(")[0] in _PADDED:
        return sql.SQL("{}::text").format(column)
    return column


def key_order(info: TableInfo) -> sql.Composable:
    """ORDER BY of the source rows that `in_key_order` repeats in pandas: integer keys by value, any other key by
    its text in code-point order (COLLATE "C": UTF-8 byte order is code-point order, as Python sorts str)."""
    if info.key_type in ("smallint", "integer", "bigint"):
        return sql.SQL("s.{}").format(sql.Identifier(info.key))
    return sql.SQL('s.{}::text COLLATE "C"').format(sql.Identifier(info.key))


def in_key_order(frame, info: TableInfo):
    """The frame (indexed by the source key) in the order `features` reads the rows, so that a writer asking for
    result rows feature by feature walks them in sequence."""
    if info.key_type in ("smallint", "integer", "bigint"):
        return frame.sort_index()
    return frame.sort_index(key=lambda index: index.astype(str))


def features(conn, info: TableInfo, fields, feedback=None):
    """QgsFeatures of the snapshot's rows, in key order (`key_order`), with the layer's `fields` (a field the
    table lacks stays NULL) and the geometry as stored; feature id n is the n-th row, the n-th row of a result
    frame put `in_key_order`."""
    from qgis.core import QgsFeature, QgsGeometry

    names = [field.name() for field in fields]
    present = [name for name in names if name in info.columns]
    slots = [names.index(name) for name in present]
    plain = [(i, slot) for i, (slot, name) in enumerate(zip(slots, present)) if _converter(info, name) is None]
    converted = [(i, slot) for i, (slot, name) in enumerate(zip(slots, present)) if _converter(info, name)]
    columns = [_column(info, name) for name in present]
    columns.append(sql.SQL("ST_AsBinary(s.{})").format(sql.Identifier(info.ref.geometry)) if info.ref.geometry
                   else sql.SQL("NULL::bytea"))
    query = sql.SQL("SELECT {} FROM {} s ORDER BY {}").format(sql.SQL(", ").join(columns), info.rows(),
                                                             key_order(info))
    cursor = conn.cursor(name="lb_snapshot_rows")
    count, position = len(names), 0
    try:
        with cancel_on(conn, feedback):
            cursor.execute(query)
        while True:
            with cancel_on(conn, feedback):
                rows = cursor.fetchmany(FETCH_ROWS)
            if not rows:
                return
            for row in rows:
                feature = QgsFeature(fields, position)
                position += 1
                attributes = [None] * count
                for i, slot in plain:
                    attributes[slot] = row[i]
                for i, slot in converted:
                    attributes[slot] = _qt_value(row[i])
                feature.setAttributes(attributes)
                if row[-1] is not None:
                    geometry = QgsGeometry()
                    geometry.fromWkb(bytes(row[-1]))
                    feature.setGeometry(geometry)
                yield feature
    finally:
        try:
            cursor.close()
        except Exception:  # the transaction already ended (a failure being reported): nothing left to close
            pass


def column(conn, info: TableInfo, name: str, feedback=None) -> list:
    """One column of the snapshot's rows, in key order (the districts a summary groups by), as Python values."""
    from ..qgis_bridge.layers import python_value

    query = sql.SQL("SELECT {} FROM {} s ORDER BY {}").format(_column(info, name), info.rows(), key_order(info))
    with conn.cursor() as cur, cancel_on(conn, feedback):
        cur.execute(query)
        return [python_value(_qt_value(value)) for value, in cur.fetchall()]


def geometries(conn, info: TableInfo, keys, planar_srid: int, curve_tolerance_m: float, feedback=None):
    """Shapely geometries of the given source keys (in that order), cleaned and in the planar SRID as the run
    measured them (sqlexpr.cleaned); None where a row has no usable geometry."""
    import numpy as np
    import shapely

    keys = [str(k) for k in keys]
    geometry = sql.SQL("s.{}").format(sql.Identifier(info.ref.geometry))
    query = sql.SQL("SELECT s.{key}::text, ST_AsBinary(c.g) FROM {rows} s {clean} "
                    "WHERE s.{key}::text = ANY(%s) AND NOT c.empty").format(
        key=sql.Identifier(info.key), rows=info.rows(),
        clean=sqlexpr.cleaned(sqlexpr.planar(geometry, info.srid, planar_srid), "c", curve_tolerance_m))
    with conn.cursor() as cur, cancel_on(conn, feedback):
        cur.execute(query, (keys,))
        found = {key: bytes(wkb) for key, wkb in cur.fetchall()}
    out = np.full(len(keys), None, dtype=object)
    for position, key in enumerate(keys):
        if key in found:
            out[position] = shapely.from_wkb(found[key])
    return out
