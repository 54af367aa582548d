"""What the in-database path needs to know about a source table, read from the catalogue, and the one change it
may make to a source table — a missing spatial index — only when the user consented.

Results are keyed by the source's primary key (so it must have one, of one column), and the overlay joins tables
on their GiST indexes (without one every parcel would scan the whole buildings table). Both are checked before any
work starts, with a message that names the table and says what to do.
"""
from __future__ import annotations

from dataclasses import dataclass

from psycopg2 import sql

from ..i18n import tr
from .connection import NotEligibleError, PostgisError

# What QGIS's postgres provider shows of a geometry column holding several types, when the layer asks for one
# family (its URI's `type=`): the same list as QgsPostgresConn::postgisTypeFilter, so both engines judge the same
# rows (NULL geometries are not shown either).
TYPE_FAMILIES = {
    "point": ("POINT", "POINTZ", "POINTM", "POINTZM", "MULTIPOINT", "MULTIPOINTZ", "MULTIPOINTM", "MULTIPOINTZM"),
    "line": ("LINESTRING", "LINESTRINGZ", "LINESTRINGM", "LINESTRINGZM", "CIRCULARSTRING", "CIRCULARSTRINGZ",
             "CIRCULARSTRINGM", "CIRCULARSTRINGZM", "COMPOUNDCURVE", "COMPOUNDCURVEZ", "COMPOUNDCURVEM",
             "COMPOUNDCURVEZM", "MULTILINESTRING", "MULTILINESTRINGZ", "MULTILINESTRINGM", "MULTILINESTRINGZM",
             "MULTICURVE", "MULTICURVEZ", "MULTICURVEM", "MULTICURVEZM"),
    "polygon": ("POLYGON", "POLYGONZ", "POLYGONM", "POLYGONZM", "CURVEPOLYGON", "CURVEPOLYGONZ", "CURVEPOLYGONM",
                "CURVEPOLYGONZM", "MULTIPOLYGON", "MULTIPOLYGONZ", "MULTIPOLYGONM", "MULTIPOLYGONZM", "MULTISURFACE",
                "MULTISURFACEZ", "MULTISURFACEM", "MULTISURFACEZM", "POLYHEDRALSURFACE", "TIN"),
}


@dataclass(frozen=True)
class TableRef:
    """A source table and its geometry column ("" for none), as the layer names them (any characters: they are
    quoted), with the geometry type and SRID the layer's URI asks for: `layer_type` as PostGIS names it
    ("POLYGON", "MULTISURFACEZ"; "" = not given), its family ("point", "line", "polygon", "none") and `layer_srid`
    ("" = not given)."""

    schema: str
    table: str
    geometry: str
    layer_type: str = ""
    layer_family: str = ""
    layer_srid: str = ""

    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.table)

    def label(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class TableInfo:
    """A checked source table: its single-column primary key, SRID and columns (name → SQL type)."""

    ref: TableRef
    key: str
    key_type: str
    srid: int
    geographic: bool
    columns: dict
    spatial_index: bool
    family: str = ""  # the layer shows only this geometry family ("point", "line", "polygon", "none"); "" = all
    srid_filter: int = 0  # the layer shows only geometries of this SRID; 0 = all

    def rows(self) -> sql.Composable:
        """The table as a FROM item: the table itself, or the rows the layer shows of it (a plain subquery that
        PostgreSQL pulls up into the outer query, so the GiST index still serves joins)."""
        g = sql.Identifier(self.ref.geometry)
        conditions = []
        if self.family == "none":
            conditions.append(sql.SQL("GeometryType({}) IS NULL").format(g))
        elif self.family:
            conditions.append(sql.SQL("upper(GeometryType({})) IN ({})").format(
                g, sql.SQL(", ").join(sql.Literal(t) for t in TYPE_FAMILIES[self.family])))
        if self.srid_filter:
            conditions.append(sql.SQL("ST_SRID({}) = {}").format(g, sql.Literal(int(self.srid_filter))))
        if not conditions:
            return self.ref.ident()
        return sql.SQL("(SELECT * FROM {} WHERE {})").format(self.ref.ident(), sql.SQL(" AND ").join(conditions))

    def column(self, name: str) -> sql.Identifier:
        """A mapped column, or PostgisError naming the table when the table has no such column."""
        if name not in self.columns:
            raise PostgisError(tr("Column {column} not found in table {table}").format(
                column=name, table=self.ref.label()))
        return sql.Identifier(name)

    def is_numeric(self, name: str) -> bool:
        return self.columns.get(name, "").split("(")[0] in NUMERIC_TYPES


NUMERIC_TYPES = {"smallint", "integer", "bigint", "numeric", "real", "double precision"}


def describe(cur, ref: TableRef) -> TableInfo:
    """The table's facts, or PostgisError when it is missing, unreadable, has no single-column primary key or no
    geometry column of the given name (`ref.geometry` empty: a table without geometry)."""
    cur.execute("SELECT c.oid, has_table_privilege(c.oid, 'SELECT') FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                (ref.schema, ref.table))
    row = cur.fetchone()
    if row is None:
        raise PostgisError(tr("Table {table} not found in the database").format(table=ref.label()))
    oid, readable = row
    if not readable:
        raise PostgisError(tr("User may not read table {table}").format(table=ref.label()))
    cur.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (oid,))
    columns = dict(cur.fetchall())
    if ref.geometry and not columns.get(ref.geometry, "").startswith("geometry"):
        raise PostgisError(tr("Table {table} has no geometry column {column}").format(
            table=ref.label(), column=ref.geometry))
    key = _primary_key(cur, oid, ref)
    srid = _srid(cur, ref) if ref.geometry else 0
    family, srid_filter = _layer_filter(cur, ref) if ref.geometry else ("", 0)
    srid = srid_filter or srid
    cur.execute("SELECT coalesce(bool_or(proj4text LIKE '%%+proj=longlat%%'), false) FROM spatial_ref_sys "
                "WHERE srid = %s", (srid,))
    geographic = bool(cur.fetchone()[0])
    return TableInfo(ref, key, columns[key], srid, geographic, columns,
                     bool(ref.geometry) and _has_spatial_index(cur, oid, ref.geometry), family, srid_filter)


def _layer_filter(cur, ref: TableRef) -> tuple[str, int]:
    """(family, srid) restricting the rows as QGIS's postgres provider does (QgsPostgresProvider::
    filterWhereClause): a type family when the layer asks for a type other than the column's declared one (a
    plain `geometry` column declares none), an SRID when the layer asks for another than the declared one."""
    cur.execute("SELECT upper(type), srid, coord_dimension FROM geometry_columns WHERE f_table_schema = %s "
                "AND f_table_name = %s AND f_geometry_column = %s", (ref.schema, ref.table, ref.geometry))
    declared, declared_srid, dimensions = cur.fetchone() or ("GEOMETRY", 0, 2)
    if dimensions == 3 and not declared.endswith("M"):
        declared += "Z"
    elif dimensions == 4:
        declared += "ZM"
    family = ref.layer_family if ref.layer_type and ref.layer_type != declared else ""
    srid = int(ref.layer_srid) if ref.layer_srid.isdigit() and ref.layer_srid != str(declared_srid) else 0
    return family, srid


def _primary_key(cur, oid: int, ref: TableRef) -> str:
    cur.execute("SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i "
                "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE i.indrelid = %s AND i.indisprimary", (oid,))
    key = cur.fetchone()[0]
    if not key:
        raise NotEligibleError(tr("Table {table} has no primary key: in-database results are keyed by it. Add one "
                              "(ALTER TABLE … ADD PRIMARY KEY) or run the analysis locally.").format(table=ref.label()))
    if len(key) > 1:
        raise NotEligibleError(tr("Table {table} has a primary key of several columns ({columns}); the in-database "
                              "analysis needs a single-column key.").format(table=ref.label(), columns=", ".join(key)))
    return key[0]


def _srid(cur, ref: TableRef) -> int:
    """The column's declared SRID, else that of its first geometry (an unconstrained `geometry` column)."""
    cur.execute("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s "
                "AND f_geometry_column = %s", (ref.schema, ref.table, ref.geometry))
    row = cur.fetchone()
    if row and row[0]:
        return int(row[0])
    cur.execute(sql.SQL("SELECT ST_SRID({g}) FROM {t} WHERE {g} IS NOT NULL LIMIT 1").format(
        g=sql.Identifier(ref.geometry), t=ref.ident()))
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _has_spatial_index(cur, oid: int, column: str) -> bool:
    cur.execute("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = ic.relam "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                "WHERE i.indrelid = %s AND am.amname IN ('gist', 'spgist') AND a.attname = %s AND i.indisvalid)",
                (oid, column))
    return bool(cur.fetchone()[0])


def missing_index_error(info: TableInfo) -> NotEligibleError:
    return NotEligibleError(tr("Table {table} has no spatial (GiST) index on {column}: the in-database analysis would "
                           "scan the whole table for every parcel. Allow creating it (built CONCURRENTLY, it does not "
                           "block edits) or ask the table's owner.").format(table=info.ref.label(),
                                                                           column=info.ref.geometry))


def create_spatial_index(conn, info: TableInfo) -> None:
    """CREATE INDEX CONCURRENTLY on the geometry column — other users keep editing while it builds. Only called
    with the user's consent. A build that fails leaves no invalid index behind."""
    from psycopg2 import errors

    name = sql.Identifier(f"{info.ref.table}_{info.ref.geometry}_lb_gist"[:60])
    qualified = sql.Identifier(info.ref.schema, name.strings[0])
    conn.rollback()
    conn.autocommit = True  # CONCURRENTLY cannot run inside a transaction block
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING gist ({column})")
                        .format(name=name, table=info.ref.ident(), column=sql.Identifier(info.ref.geometry)))
    except errors.InsufficientPrivilege as exc:
        raise NotEligibleError(tr("Cannot create the spatial index on {table}: only its owner may ({error})").format(
            table=info.ref.label(), error=str(exc).strip())) from exc
    except Exception:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP INDEX CONCURRENTLY IF EXISTS {}").format(qualified))
        raise
    finally:
        conn.autocommit = False
