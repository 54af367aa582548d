"""批而未供 / 供而未用 / 闲置土地 in the database: the geometry work of the land-supply analysis done in SQL, next to
the data.

The heavy part is the overlay of the approval batches with the supplied parcels; locally both layers travel into
QGIS. Here one statement joins every batch with the parcels on the parcels' GiST index and takes their union away
from it (ST_Difference of the cleaned planar geometries, as analysis.land_supply_batches.uncovered does with
shapely), so only the parcels' attributes with their planar areas and the batches' unsupplied polygons travel. The
judging — statuses, fees, grades, reasons — is the very same Python code on both paths (analysis.land_supply
.evaluate and analysis.land_supply_batches.judge): results agree to floating-point noise.

Geometry handling mirrors the local engine: geometries transformed to the planar SRID, invalid ones made valid
keeping their polygonal parts, curves linearised (postgis.sqlexpr.cleaned).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from psycopg2 import sql

from ..analysis.land_supply_batches import polygonal
from . import sqlexpr
from .connection import cancel_on
from .efficiency import Source, copy_out, key_dtype, read_mapped
from .store import ResultTable

SUPPLY_TABLE = ResultTable("land_supply_results", (
    ("supply_status", "text"), ("grade", "text"), ("next_deadline", "text"), ("next_due", "date"),
    ("days_left", "integer"), ("idle_days", "integer"), ("idle_fee", "double precision"),
    ("area_m2", "double precision"), ("developed_share", "double precision"),
    ("investment_share", "double precision"), ("reasons", "text")))
UNSUPPLIED_TABLE = ResultTable("unsupplied_results", (
    ("batch_id", "text"), ("batch_name", "text"), ("district", "text"), ("approval_date", "date"),
    ("approved_m2", "double precision"), ("supplied_m2", "double precision"), ("unsupplied_m2", "double precision"),
    ("unsupplied_mu", "double precision"), ("age_days", "integer"), ("due", "date"), ("days_left", "integer"),
    ("grade", "text"), ("reasons", "text"), ("geom", "geometry")))


def read_supply(conn, supply: Source, planar_srid: int, curve_tolerance_m: float, feedback=None,
                numeric: tuple[str, ...] = ()):
    """The supplied parcels as the local reader gives them (read_mapped): (frame, planar areas, repaired, empty)."""
    return read_mapped(conn, supply, planar_srid, curve_tolerance_m, feedback, numeric)


def measure_batches(conn, batches: Source, supply: Source, planar_srid: int, curve_tolerance_m: float,
                    feedback=None):
    """Every batch measured against the supplied parcels in one statement: (frame of the batches' mapped columns
    indexed by key, approved planar area, the unsupplied part (shapely, planar), repaired and empty positions)."""
    b, s = batches.info, supply.info
    columns, dtypes = [sql.SQL("b.{} AS _key").format(sql.Identifier(b.key))], {"_key": key_dtype(b)}
    for canon, name in batches.field_map.items():
        if batches.mapped(canon):
            columns.append(sql.SQL("b.{} AS {}").format(sql.Identifier(name), sql.Identifier(canon)))
            dtypes[canon] = object
    batch_geometry = sql.SQL("b.{}").format(sql.Identifier(b.ref.geometry))
    supply_geometry = sql.SQL("s.{}").format(sql.Identifier(s.ref.geometry))
    in_supply_srid = batch_geometry if b.srid == s.srid else sql.SQL("ST_Transform({}, {})").format(
        batch_geometry, sql.Literal(s.srid))
    columns.append(sql.SQL(
        "ST_Area(bc.g) AS _area, bc.repaired AS _repaired, bc.empty AS _empty, "
        "encode(ST_AsBinary(CASE WHEN bc.empty THEN NULL WHEN u.g IS NULL THEN bc.g "
        "ELSE ST_Difference(bc.g, u.g) END), 'hex') AS _rest"))
    dtypes.update({"_area": "float64", "_repaired": object, "_empty": object, "_rest": object})
    query = sql.SQL(
        "SELECT {columns} FROM {batches} b {batch_clean} "
        "LEFT JOIN LATERAL (SELECT ST_Union(sc.g) AS g FROM {supply} s {supply_clean} "
        "WHERE NOT bc.empty AND {sg} && {bg} AND NOT sc.empty AND ST_Intersects(sc.g, bc.g)) u ON true").format(
        columns=sql.SQL(", ").join(columns), batches=b.rows(), supply=s.rows(), sg=supply_geometry,
        bg=in_supply_srid,
        batch_clean=sqlexpr.cleaned(sqlexpr.planar(batch_geometry, b.srid, planar_srid), "bc", curve_tolerance_m),
        supply_clean=sqlexpr.cleaned(sqlexpr.planar(supply_geometry, s.srid, planar_srid), "sc", curve_tolerance_m))
    with conn.cursor() as cur, cancel_on(conn, feedback):
        frame = copy_out(cur, query, dtypes)
    frame.index = pd.Index(frame.pop("_key"), name="fid")
    area = frame.pop("_area").fillna(0.0).to_numpy()
    repaired = np.flatnonzero(frame.pop("_repaired").eq("t").to_numpy())
    empty = frame.pop("_empty").eq("t").to_numpy()
    hexes = frame.pop("_rest").to_numpy(dtype=object)
    rest = np.full(len(hexes), None, dtype=object)
    present = np.flatnonzero(pd.notna(hexes) & (hexes != ""))
    if len(present):
        rest[present] = shapely.from_wkb(hexes[present].astype(str))
    return frame, area, polygonal(rest), repaired, empty


def unsupplied_rows(table: pd.DataFrame, geometry: np.ndarray, srid: int) -> pd.DataFrame:
    """The UNSUPPLIED table as its result table stores it: the polygon (planar SRID, as hex EWKB for COPY; NULL
    where nothing is left)."""
    out = table.copy()
    wkb = np.full(len(geometry), None, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geometry))
    if len(present):
        wkb[present] = shapely.to_wkb(shapely.set_srid(geometry[present], int(srid)), hex=True, include_srid=True)
    out["geom"] = wkb
    return out
