"""低效用地 in the database: the geometry work of analysis.efficiency done in SQL, next to the data.

The heavy part of the low-efficiency analysis is the overlay: every building clipped to the parcels it lies on,
footprints × storeys summed per parcel. Locally that means pulling every parcel and building geometry over the
network into QGIS; here it is one SQL statement joined on the tables' GiST indexes, and only small per-parcel
figures (areas, floor areas, counts) travel. `DatabaseSpatial` answers the questions `efficiency.evaluate` asks
its `Spatial` (parcel areas, building intensity, shared edges of flagged parcels), so the scoring, criteria and
reasons are the very same Python code on both paths: results agree to floating-point noise.

Geometry handling mirrors the local engine: geometries are transformed to the planar SRID (the parcels' own when
projected, else the CGCS2000 Gauss-Krüger zone QGIS picks), invalid ones are made valid keeping their polygonal
parts (GEOS MakeValid, as shapely does), and each building–parcel pair counts the building's area when the parcel
covers it, else the area of their intersection.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from psycopg2 import sql

from ..analysis.efficiency_spatial import BuildingIntensity, StoreyRule
from ..analysis.field_units import in_canonical_unit, sql_factor
from ..analysis.numbers import SUFFIXES
from ..analysis.overlay import TOLERANCE_QUAD_SEGS, GeometryReport
from . import sqlexpr
from .connection import cancel_on
from .store import NULL, ResultTable
from .tables import TableInfo

RESULT_TABLE = ResultTable("efficiency_results", (
    ("far", "double precision"), ("coverage", "double precision"), ("tax_per_mu", "double precision"),
    ("output_per_mu", "double precision"), ("score", "double precision"), ("grade", "text"),
    ("low_eff", "smallint"), ("reasons", "text"), ("potential_m2", "double precision"), ("cluster_id", "integer"),
    ("mode", "text"), ("area_mu", "double precision"), ("ent_class", "text"), ("rank", "integer"),
    ("rank_n", "integer")))

FLOAT_TYPES = {"numeric", "real", "double precision"}
INTEGER_TYPES = {"smallint", "integer", "bigint"}
BUILDING_FIELDS = ("floors", "height")


@dataclass(frozen=True)
class Source:
    """A checked table and its field map {canonical name: column}."""

    info: TableInfo
    field_map: dict

    def mapped(self, canon: str) -> str | None:
        name = self.field_map.get(canon)
        return name if name in self.info.columns else None


def copy_out(cur, query: sql.Composable, dtypes: dict) -> pd.DataFrame:
    """Run `query` as COPY … TO STDOUT (CSV, the fastest way out of PostgreSQL) into a frame with the given
    column dtypes; NULL becomes NaN/None, an empty string stays an empty string."""
    buffer = io.StringIO()
    cur.copy_expert(sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER, NULL {})").format(
        query, sql.Literal(NULL)).as_string(cur), buffer)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype=dtypes, na_values=[NULL], keep_default_na=False)


def _limit(value: float) -> sql.Composable:
    """A plausibility limit as an SQL float8 ('Infinity' when there is none)."""
    return sql.SQL("{}::float8").format(sql.Literal("Infinity" if value == float("inf") else float(value)))


def key_dtype(info: TableInfo):
    return "int64" if info.key_type in INTEGER_TYPES else object


def read_mapped(conn, source: Source, planar_srid: int, curve_tolerance_m: float = sqlexpr.CURVE_TOLERANCE_M,
                feedback=None, numeric: tuple[str, ...] = ()) -> tuple[pd.DataFrame, np.ndarray, np.ndarray,
                                                                       np.ndarray]:
    """A table's mapped columns under their canonical names, indexed by primary key in table order, as the local
    reader hands them over (floats for float columns and for the canonical names of `numeric` in numeric columns,
    else text; units written in field names converted), and each row's cleaned planar area with the positions of
    the rows whose geometry was repaired and of those without usable geometry (overlay.GeometryReport)."""
    info = source.info
    key = sql.Identifier(info.key)
    columns, dtypes = [sql.SQL("p.{} AS {}").format(key, sql.Identifier("_key"))], {"_key": key_dtype(info)}
    for canon, name in source.field_map.items():
        if source.mapped(canon):
            columns.append(sql.SQL("p.{} AS {}").format(sql.Identifier(name), sql.Identifier(canon)))
            kind = info.columns[name].split("(")[0]
            floats = kind in FLOAT_TYPES or (canon in numeric and info.is_numeric(name))
            dtypes[canon] = "float64" if floats else object
    columns.append(sql.SQL("ST_Area(pc.g) AS _area, pc.repaired AS _repaired, pc.empty AS _empty"))
    dtypes.update({"_area": "float64", "_repaired": object, "_empty": object})
    geometry = sql.SQL("p.{}").format(sql.Identifier(info.ref.geometry))
    clean = sqlexpr.cleaned(sqlexpr.planar(geometry, info.srid, planar_srid), "pc", curve_tolerance_m)
    query = sql.SQL("SELECT {columns} FROM {table} p {clean}").format(
        columns=sql.SQL(", ").join(columns), table=info.rows(), clean=clean)
    with conn.cursor() as cur, cancel_on(conn, feedback):
        frame = copy_out(cur, query, dtypes)
    frame.index = pd.Index(frame.pop("_key"), name="fid")
    for canon, name in source.field_map.items():  # 用地面积（亩）, 税收(元): as the local reader converts
        if canon in frame:
            frame[canon] = in_canonical_unit(frame[canon].to_numpy(), name, canon)
    area = frame.pop("_area").fillna(0.0).to_numpy()
    repaired = np.flatnonzero(frame.pop("_repaired").eq("t").to_numpy())
    empty = np.flatnonzero(frame.pop("_empty").eq("t").to_numpy())
    return frame, area, repaired, empty


class DatabaseSpatial:
    """efficiency.Spatial answered by SQL. Position i of every array is row i of `read_parcels()` (table order;
    later statements find parcels by key, never by position). Runs inside the caller's transaction (temporary
    tables vanish with it)."""

    def __init__(self, conn, parcels: Source, buildings: Source | None, planar_srid: int, feedback=None,
                 curve_tolerance_m: float = sqlexpr.CURVE_TOLERANCE_M):
        self.conn, self.parcels, self.buildings = conn, parcels, buildings
        self.planar_srid, self.feedback, self.curve_tolerance_m = planar_srid, feedback, curve_tolerance_m
        self.has_buildings = buildings is not None
        self.keys: pd.Index | None = None
        self._areas: tuple | None = None

    # --- reading ------------------------------------------------------------------------------------------------
    def read_parcels(self) -> pd.DataFrame:
        """The mapped attributes under their canonical names, indexed by primary key, with the cleaned planar area
        and the repair flags kept aside for `parcel_areas`."""
        frame, area, repaired, empty = read_mapped(self.conn, self.parcels, self.planar_srid, self.curve_tolerance_m,
                                                   self.feedback)
        self.keys = frame.index
        self._areas = (area, GeometryReport(repaired=repaired, empty=empty))
        return frame

    def _cleaned(self, alias: str, info: TableInfo) -> sql.Composable:
        geometry = sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(info.ref.geometry))
        return sqlexpr.cleaned(sqlexpr.planar(geometry, info.srid, self.planar_srid), alias + "c",
                               self.curve_tolerance_m)

    # --- efficiency.Spatial -------------------------------------------------------------------------------------
    def parcel_areas(self):
        if self._areas is None:
            raise RuntimeError("read_parcels() first")
        return self._areas

    def building_intensity(self, rule: StoreyRule) -> BuildingIntensity:
        """Clip every building to its parcels in one statement (GiST join), keep the pairs with an area in a
        temporary table, then sum them per parcel and count what the report needs per building."""
        with self.conn.cursor() as cur, cancel_on(self.conn, self.feedback):
            cur.execute(self._pairs_statement(rule))
            per_parcel = copy_out(cur, sql.SQL(
                "SELECT pk AS _key, sum(a) AS footprint, sum(a * storeys) AS floor_area, "
                "count(*) FILTER (WHERE from_height) AS from_height, count(*) FILTER (WHERE assumed) AS one_storey "
                "FROM lb_pairs WHERE a > 0 GROUP BY pk"), {"_key": key_dtype(self.parcels.info)})
            cur.execute(self._building_report_query(rule))
            from_height, one_storey, repaired, empty, outside, implausible = cur.fetchone()
        positions = self.keys.get_indexer(pd.Index(per_parcel["_key"]))
        n = len(self.keys)

        def spread(column: str, dtype) -> np.ndarray:
            out = np.zeros(n, dtype=dtype)
            out[positions] = per_parcel[column].to_numpy(dtype=dtype)
            return out

        report = {"buildings_repaired": np.asarray(repaired or [], dtype=object),
                  "buildings_empty": np.asarray(empty or [], dtype=object),
                  "buildings_storeys_from_height": int(from_height), "buildings_one_storey": int(one_storey),
                  "buildings_outside_parcels": int(outside), "buildings_implausible": int(implausible)}
        return BuildingIntensity(spread("floor_area", float), spread("footprint", float),
                                 spread("from_height", "int64"), spread("one_storey", "int64"), report)

    def _storeys(self, alias: str, rule: StoreyRule) -> sql.Composable:
        """`storeys, from_height, assumed, implausible` of a building, as efficiency.building_storeys (plain
        expressions, so the statement stays parallel-safe). A unit in the field's name (建筑高度(cm)) is applied
        as the local reader applies it (analysis.field_units): the value read without unit suffixes, times the
        factor."""
        values = {}
        for canon in BUILDING_FIELDS:
            name = self.buildings.mapped(canon)
            if name is None:
                values[canon] = sql.SQL("NULL::float8")
                continue
            column = sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(name))
            factor = sql_factor(name, canon)
            numeric = self.buildings.info.is_numeric(name)
            if factor is None:
                values[canon] = sqlexpr.number(column, numeric, SUFFIXES.get(canon, ()))
            else:
                values[canon] = sql.SQL("({} * {})").format(sqlexpr.number(column, numeric),
                                                           sql.Literal(float(factor)))
        floors, height = values["floors"], values["height"]
        max_floors, max_height = _limit(rule.max_floors), _limit(rule.max_height_m)
        has_floors = sql.SQL("({} AND coalesce({} <= {}, false))").format(sqlexpr.positive(floors), floors, max_floors)
        has_height = sql.SQL("({} AND coalesce({} <= {}, false))").format(sqlexpr.positive(height), height, max_height)
        return sql.SQL(
            "CASE WHEN {has_floors} THEN {floors} WHEN {has_height} THEN greatest(1, floor({height} / {sh} + 0.5)) "
            "ELSE 1 END AS storeys, NOT {has_floors} AND {has_height} AS from_height, "
            "NOT {has_floors} AND NOT {has_height} AS assumed, "
            "coalesce({floors} > {max_floors}, false) OR coalesce({height} > {max_height}, false) AS implausible"
        ).format(has_floors=has_floors, has_height=has_height, floors=floors, height=height,
                 sh=sql.Literal(float(rule.storey_height_m)), max_floors=max_floors, max_height=max_height)

    def _join_condition(self) -> sql.Composable:
        """Bounding boxes meet — written so the GiST index of at least one table serves the join."""
        p, b = self.parcels.info, self.buildings.info
        pg = sql.SQL("p.{}").format(sql.Identifier(p.ref.geometry))
        bg = sql.SQL("b.{}").format(sql.Identifier(b.ref.geometry))
        if p.srid == b.srid:
            return sql.SQL("{} && {}").format(pg, bg)
        return sql.SQL("{} && ST_Transform({}, {})").format(pg, bg, sql.Literal(p.srid))

    def _pairs_statement(self, rule: StoreyRule) -> sql.Composable:
        """Every building–parcel pair whose boxes meet, with the clipped area (0 when they only touch or miss)."""
        p, b = self.parcels.info, self.buildings.info
        return sql.SQL(
            "CREATE TEMP TABLE lb_pairs ON COMMIT DROP AS "
            "SELECT p.{pk} AS pk, b.{bk} AS bk, {area} AS a, {storeys} "
            "FROM {parcels} p JOIN {buildings} b ON {join}").format(
            pk=sql.Identifier(p.key), bk=sql.Identifier(b.key), parcels=p.rows(), buildings=b.rows(),
            join=self._join_condition(), area=sqlexpr.clip_area(self._clean("p", p), self._clean("b", b)),
            storeys=self._storeys("b", rule))

    def _clean(self, alias: str, info: TableInfo) -> sql.Composable:
        geometry = sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(info.ref.geometry))
        return sqlexpr.polygonal(sqlexpr.planar(geometry, info.srid, self.planar_srid), self.curve_tolerance_m)

    def _building_report_query(self, rule: StoreyRule) -> sql.Composable:
        b = self.buildings.info
        return sql.SQL(
            "SELECT count(*) FILTER (WHERE from_height), count(*) FILTER (WHERE assumed),"
            " array_agg(k ORDER BY k) FILTER (WHERE repaired), array_agg(k ORDER BY k) FILTER (WHERE empty),"
            " count(*) FILTER (WHERE NOT empty AND NOT placed), count(*) FILTER (WHERE implausible) "
            "FROM (SELECT b.{bk}::text AS k, bc.repaired, bc.empty, {storeys},"
            " b.{bk} IN (SELECT bk FROM lb_pairs WHERE a > 0) AS placed"  # uncorrelated: one hashed subplan
            " FROM {buildings} b {bclean}) r").format(
            bk=sql.Identifier(b.key), buildings=b.rows(), bclean=self._cleaned("b", b),
            storeys=self._storeys("b", rule))

    def near_buildings(self, positions: np.ndarray, radius_m: float) -> np.ndarray:
        """For the parcels at `positions`: is a usable building within `radius_m` (as efficiency_spatial.
        buildings_within: distance between the cleaned planar geometries)? The parcels' keys go to a temporary
        table; each parcel asks the buildings' GiST index for boxes within reach, then the exact distance."""
        p, b = self.parcels.info, self.buildings.info
        keys = pd.DataFrame({"pos": np.arange(len(positions)), "k": self.keys[np.asarray(positions)].astype(str)})
        buffer = io.StringIO()
        keys.to_csv(buffer, index=False, header=False)
        buffer.seek(0)
        reach = sql.Literal(float(radius_m))
        pg = sql.SQL("p.{}").format(sql.Identifier(p.ref.geometry))
        bg = sql.SQL("b.{}").format(sql.Identifier(b.ref.geometry))
        margin = sql.Literal(float(radius_m) * 1.01 + 1.0)  # a box transformed to another SRID bends a little
        grown = sql.SQL("ST_Expand({}, {})").format(sqlexpr.planar(pg, p.srid, self.planar_srid), margin)
        box = grown if b.srid == self.planar_srid else sql.SQL("ST_Transform({}, {})").format(
            grown, sql.Literal(int(b.srid)))  # a box in the buildings' SRID, so their GiST index serves the join
        with self.conn.cursor() as cur, cancel_on(self.conn, self.feedback):
            cur.execute("DROP TABLE IF EXISTS lb_near_keys")
            cur.execute("CREATE TEMP TABLE lb_near_keys (pos integer, k text) ON COMMIT DROP")
            cur.copy_expert("COPY lb_near_keys FROM STDIN WITH (FORMAT csv)", buffer)
            cur.execute(sql.SQL(
                "SELECT f.pos FROM lb_near_keys f JOIN {parcels} p ON p.{pk} = f.k::{key_type} "
                "WHERE EXISTS (SELECT 1 FROM {buildings} b WHERE {bg} && {box} "
                "AND NOT coalesce(ST_IsEmpty({bclean}), true) "
                "AND ST_DWithin({pclean}, {bclean}, {reach}))").format(
                parcels=p.ref.ident(), pk=sql.Identifier(p.key), key_type=sql.SQL(p.key_type),
                buildings=b.ref.ident(), bg=bg, box=box, reach=reach,
                pclean=self._clean("p", p), bclean=self._clean("b", b)))
            found = np.array([row[0] for row in cur.fetchall()], dtype=np.intp)
        near = np.zeros(len(positions), dtype=bool)
        near[found] = True
        return near

    def shared_edges(self, positions: np.ndarray, min_length: float, tolerance: float = 0.0):
        """Pairs of flagged parcels sharing ≥ min_length of boundary, as overlay.shared_edges measures it: the
        part of the first one's boundary lying on the second, or within `tolerance` of it (the second grown by
        ST_Buffer with the quarter circles overlay.shared_edges' buffer has). Only the flagged parcels are copied
        (server-side) into a temporary table with its own GiST index."""
        info = self.parcels.info
        keys = pd.DataFrame({"pos": np.arange(len(positions)), "k": self.keys[np.asarray(positions)].astype(str)})
        buffer = io.StringIO()
        keys.to_csv(buffer, index=False, header=False)
        buffer.seek(0)
        with self.conn.cursor() as cur, cancel_on(self.conn, self.feedback):
            cur.execute("DROP TABLE IF EXISTS lb_flag_keys, lb_flagged")
            cur.execute("CREATE TEMP TABLE lb_flag_keys (pos integer, k text) ON COMMIT DROP")
            cur.copy_expert("COPY lb_flag_keys FROM STDIN WITH (FORMAT csv)", buffer)
            grown = tolerance > 0  # each parcel grown once, not once for each pair it is the second of
            style = f"quad_segs={TOLERANCE_QUAD_SEGS}"
            cur.execute(sql.SQL(
                "CREATE TEMP TABLE lb_flagged ON COMMIT DROP AS SELECT f.pos, pc.g{grown} FROM lb_flag_keys f "
                "JOIN {table} p ON p.{key} = f.k::{key_type} {clean} WHERE NOT pc.empty").format(
                table=info.rows(), key=sql.Identifier(info.key), key_type=sql.SQL(info.key_type),
                clean=self._cleaned("p", info),
                grown=sql.SQL(", ST_Buffer(pc.g, {reach}, {style}) AS grown").format(
                    reach=sql.Literal(float(tolerance)), style=sql.Literal(style)) if grown else sql.SQL("")))
            cur.execute("CREATE INDEX ON lb_flagged USING gist (g)")
            cur.execute("ANALYZE lb_flagged")
            if grown:
                cur.execute("SELECT a.pos, b.pos FROM lb_flagged a JOIN lb_flagged b ON a.pos < b.pos "
                            "AND ST_DWithin(a.g, b.g, %(reach)s) "
                            "WHERE ST_Length(ST_Intersection(ST_Boundary(a.g), b.grown)) >= %(min)s",
                            {"reach": float(tolerance), "min": float(min_length)})
            else:
                cur.execute("SELECT a.pos, b.pos FROM lb_flagged a JOIN lb_flagged b ON a.pos < b.pos AND a.g && b.g "
                            "WHERE ST_Intersects(a.g, b.g) AND ST_Length(ST_Intersection(ST_Boundary(a.g), b.g)) >= %s",
                            (float(min_length),))
            pairs = np.array(cur.fetchall(), dtype=np.intp).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1]
