"""Two small PL/pgSQL functions the overlay SQL calls, created once in schema `land_bureau` beside the results.

Why functions rather than inline SQL: PostgreSQL substitutes an inline expression wherever its result is used, so a
cleaned geometry used in three places is cleaned three times, and the usual fence against that (OFFSET 0) also keeps
the join out of parallel workers. A PL/pgSQL function is evaluated once per call, may run in parallel workers
(PARALLEL SAFE), and states the rule in one place:

- `polygonal(g)`: the geometry as analysis.overlay.make_polygonal leaves it — a valid (multi)polygon unchanged, an
  invalid geometry made valid (GEOS MakeValid, as shapely) keeping its polygonal parts, anything else NULL;
- `clip_area(parcel, building)`: the building's area when the parcel covers it, else the area of their
  intersection, else 0 — the three tiers of overlay._clipped_area.

PostGIS may live in any schema, so its functions are called schema-qualified (no dependence on search_path).
The version suffix lets a later plugin change a rule without breaking runs of an older one on the same database.
"""
from __future__ import annotations

from psycopg2 import sql

POLYGONAL = "polygonal_v1"
CLIP_AREA = "clip_area_v1"

_POLYGONAL_BODY = """
BEGIN
  IF {p}.ST_IsValid(g) THEN
    IF {p}.GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') THEN
      RETURN g;
    END IF;
    RETURN NULL;
  END IF;
  RETURN {p}.ST_CollectionExtract({p}.ST_MakeValid(g), 3);
END
"""

_CLIP_AREA_BODY = """
BEGIN
  IF {p}.ST_Covers(parcel, building) THEN
    RETURN {p}.ST_Area(building);
  END IF;
  IF {p}.ST_Intersects(parcel, building) THEN
    RETURN {p}.ST_Area({p}.ST_Intersection(parcel, building));
  END IF;
  RETURN 0;
END
"""


def qualified(schema: str, name: str) -> sql.Identifier:
    return sql.Identifier(schema, name)


def postgis_schema(cur) -> str:
    cur.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'postgis'")
    row = cur.fetchone()
    if row is None:
        from ..i18n import tr
        from .connection import PostgisError

        raise PostgisError(tr("The database has no PostGIS extension"))
    return row[0]


def missing(cur, schema: str) -> bool:
    """True when either function is absent (e.g. a database set up by an older plugin)."""
    cur.execute("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND p.proname IN (%s, %s)", (schema, POLYGONAL, CLIP_AREA))
    return cur.fetchone()[0] < 2


def create(cur, schema: str) -> None:
    """CREATE OR REPLACE both functions in `schema` (the caller holds the schema's creation lock)."""
    postgis = postgis_schema(cur)
    p = sql.Identifier(postgis).as_string(cur)
    geometry = sql.SQL("{}.geometry").format(sql.Identifier(postgis))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(g {geometry}) RETURNS {geometry} LANGUAGE plpgsql "
                        "IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, POLYGONAL), geometry=geometry, body=sql.Literal(_POLYGONAL_BODY.format(p=p))))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(parcel {geometry}, building {geometry}) "
                        "RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, CLIP_AREA), geometry=geometry, body=sql.Literal(_CLIP_AREA_BODY.format(p=p))))
