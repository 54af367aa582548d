"""Small PL/pgSQL functions the generated SQL calls, created once in schema `land_bureau` beside the results.

Why functions rather than inline SQL: PostgreSQL substitutes an inline expression wherever its result is used, so a
cleaned geometry used in three places is cleaned three times, and the usual fence against that (OFFSET 0) also keeps
the join out of parallel workers. A PL/pgSQL function is evaluated once per call, may run in parallel workers
(PARALLEL SAFE), and states the rule in one place:

- `polygonal(g, tolerance)`: the geometry as analysis.overlay.make_polygonal leaves it — curves (CurvePolygon,
  MultiSurface, CompoundCurve rings) first linearised with ST_CurveToLine, each chord at most `tolerance` (metres,
  in the planar SRID) from its arc, arcs cut into equal chords: the vertices QGIS's segmentize gives with
  MaximumDifference, as the local reader linearises — then a valid (multi)polygon unchanged (Z/M ignored, as
  shapely's type test ignores them), an invalid geometry made valid (GEOS MakeValid, as shapely) keeping its
  polygonal parts, anything else NULL;
- `clip_area(parcel, building)`: the building's area when the parcel covers it, else the area of their
  intersection, else 0 — the three tiers of overlay._clipped_area;
- `parse_number(text, suffixes)`: a number as analysis.numbers.read reads it (full-width forms, blanks, the unit
  suffixes matched by the regular expression `suffixes` (or NULL), thousands separators and decimal commas by
  pattern), NULL for placeholders and anything else that is no number within ±FLOAT_LIMIT;
- `parse_date(text)`: a date as analysis.dates.parse_dates reads it (2024-03-01, 2024/3/1, 2024.3.1, 20240301,
  2024年3月1日, full-width digits, an optional time of day, Excel serials in SERIAL_YEARS), NULL where it is no
  date or lies outside YEAR_RANGE;
- `date_cause(text)`: why a value is no date, as analysis.dates.parse_dates_explained says it: '' (a date, or
  blank, or a placeholder), 'imprecise' (a year or month without the day), 'out_of_range' (a day outside YEAR_RANGE) or
  'not_a_date'.

PostGIS may live in any schema, so its functions are called schema-qualified (no dependence on search_path).
The version suffix lets a later plugin change a rule without breaking runs of an older one on the same database.
"""
from __future__ import annotations

from psycopg2 import sql

from ..analysis.dates import EXCEL_EPOCH, SERIAL_RANGE, YEAR_RANGE

POLYGONAL = "polygonal_v4"  # v4: an invalid multipolygon repaired part by part, the parts joined (v3: whole)
CLIP_AREA = "clip_area_v1"
PARSE_DATE = "parse_date_v3"  # v3: a no-break space is a space; v2: years 1900–2150, serials only in SERIAL_YEARS
DATE_CAUSE = "date_cause_v3"  # v3: a no-break space is a space; v2: a placeholder (无, —, / …) is blank
PARSE_NUMBER = "parse_number_v2"  # v2: a no-break space is a space; 1e-400 is 0, no error
NAMES = (POLYGONAL, CLIP_AREA, PARSE_DATE, DATE_CAUSE, PARSE_NUMBER)

_POLYGONAL_BODY = """
BEGIN
  IF {p}.ST_HasArc(g) THEN
    g := {p}.ST_CurveToLine(g, tolerance, 1, 1);
  END IF;
  IF {p}.ST_IsValid(g) THEN
    IF {p}.ST_GeometryType(g) IN ('ST_Polygon', 'ST_MultiPolygon') THEN
      RETURN g;
    END IF;
    RETURN NULL;
  END IF;
  -- part by part, the parts joined: overlapping parts are the land both cover (overlay._repaired)
  RETURN (SELECT {p}.ST_CollectionExtract({p}.ST_UnaryUnion({p}.ST_Collect(
    {p}.ST_CollectionExtract({p}.ST_MakeValid(d.geom), 3))), 3) FROM {p}.ST_Dump(g) AS d);
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

# analysis.dates: _SEPARATED, _COMPACT, _SERIAL, _YEAR_ONLY, _YEAR_MONTH, EXCEL_EPOCH, YEAR_RANGE, SERIAL_RANGE,
# _FULLWIDTH_DIGITS (@Y0@ … are filled from those constants below)
_DAY_FORMS = r"""
  g := regexp_match(t, '^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?'
                       '(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$');
  IF g IS NULL THEN
    g := regexp_match(t, '^\s*(\d{4})(\d{2})(\d{2})\s*$');
  END IF;
"""
_PARSE_DATE_BODY = r"""
DECLARE
  t text := translate(raw, '０１２３４５６７８９／－． 　', '0123456789/-.  ');
  g text[];
  y int; m int; d int; serial int;
BEGIN
""" + _DAY_FORMS + r"""
  IF g IS NOT NULL THEN
    y := g[1]::int; m := g[2]::int; d := g[3]::int;
    IF y NOT BETWEEN @Y0@ AND @Y1@ OR m NOT BETWEEN 1 AND 12 OR d < 1
       OR d > extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day') THEN
      RETURN NULL;
    END IF;
    RETURN make_date(y, m, d);
  END IF;
  g := regexp_match(t, '^\s*(\d{1,5})(?:\.0+)?\s*$');
  IF g IS NULL THEN
    RETURN NULL;
  END IF;
  serial := g[1]::int;
  IF serial NOT BETWEEN @S0@ AND @S1@ THEN
    RETURN NULL;
  END IF;
  RETURN date '@EPOCH@' + serial;
END
"""
_DATE_CAUSE_BODY = r"""
DECLARE
  t text := translate(raw, '０１２３４５６７８９／－． 　', '0123456789/-.  ');
  g text[];
BEGIN
  IF t ~ '^\s*$' OR @PLACEHOLDER@ OR @PARSE@(raw) IS NOT NULL THEN
    RETURN '';
  END IF;
""" + _DAY_FORMS + r"""
  IF g IS NOT NULL THEN
    RETURN CASE WHEN g[1]::int BETWEEN @Y0@ AND @Y1@ THEN 'not_a_date' ELSE 'out_of_range' END;
  END IF;
  g := regexp_match(t, '^\s*(\d{4})\s*年?\s*$');
  IF g IS NOT NULL AND g[1]::int BETWEEN @Y0@ AND @Y1@ THEN
    RETURN 'imprecise';
  END IF;
  g := regexp_match(t, '^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})|(\d{2}))\s*月?\s*$');
  IF g IS NOT NULL AND g[1]::int BETWEEN @Y0@ AND @Y1@ AND coalesce(g[2], g[3])::int BETWEEN 1 AND 12 THEN
    RETURN 'imprecise';
  END IF;
  RETURN 'not_a_date';
END
"""


def _filled(body: str, **extra: str) -> str:
    values = {"@Y0@": str(YEAR_RANGE[0]), "@Y1@": str(YEAR_RANGE[1]), "@S0@": str(SERIAL_RANGE[0]),
              "@S1@": str(SERIAL_RANGE[1]), "@EPOCH@": EXCEL_EPOCH.strftime("%Y-%m-%d"), **extra}
    for token, value in values.items():
        body = body.replace(token, value)
    return body


# half the smallest float8 above 0: a magnitude up to it is 0 as a float (strtod rounds it to 0, and PostgreSQL
# refuses what rounds to 0 from a number that is not)
UNDERFLOW = "2.4703282292062328e-324"
# analysis.numbers: FULLWIDTH, WHITESPACE, THOUSANDS, DECIMAL_COMMA, NUMBER, FLOAT_LIMIT (filled in by `create`)
_PARSE_NUMBER_BODY = """
DECLARE
  t text := btrim(translate(raw, {fullwidth}, {halfwidth}), {whitespace});
  head text;
BEGIN
  IF t IS NULL THEN
    RETURN NULL;
  END IF;
  IF suffixes IS NOT NULL AND t ~* suffixes THEN
    head := regexp_replace(t, suffixes, '\\1', 'i');
    IF head <> '' THEN
      t := head;
    END IF;
  END IF;
  IF t ~ {thousands} THEN
    t := replace(t, ',', '');
  ELSIF t ~ {decimal} THEN
    t := replace(t, ',', '.');
  END IF;
  IF t ~ {number} THEN
    IF abs(t::numeric) <= {limit} THEN
      IF abs(t::numeric) <= {underflow} THEN  -- Python's float() makes 0 of it; float8 refused it, the run stopped
        RETURN 0;
      END IF;
      RETURN t::float8;
    END IF;
  END IF;
  RETURN NULL;
END
"""


def _parse_number_body(cur) -> str:
    from ..analysis import numbers

    def quoted(text) -> str:
        return sql.Literal(text).as_string(cur)

    return _PARSE_NUMBER_BODY.format(
        fullwidth=quoted(numbers.FULLWIDTH[0]), halfwidth=quoted(numbers.FULLWIDTH[1]),
        whitespace=quoted(numbers.WHITESPACE), thousands=quoted(numbers.THOUSANDS),
        decimal=quoted(numbers.DECIMAL_COMMA), number=quoted(numbers.NUMBER), limit=repr(numbers.FLOAT_LIMIT),
        underflow=UNDERFLOW)


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
    """True when any function is absent (e.g. a database set up by an older plugin)."""
    cur.execute("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND p.proname = ANY(%s)", (schema, list(NAMES)))
    return cur.fetchone()[0] < len(NAMES)


def create(cur, schema: str) -> None:
    """CREATE OR REPLACE the functions in `schema` (the caller holds the schema's creation lock)."""
    from .sqlexpr import placeholder  # sqlexpr calls these functions by name

    postgis = postgis_schema(cur)
    p = sql.Identifier(postgis).as_string(cur)
    geometry = sql.SQL("{}.geometry").format(sql.Identifier(postgis))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(g {geometry}, tolerance double precision) "
                        "RETURNS {geometry} LANGUAGE plpgsql "
                        "IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, POLYGONAL), geometry=geometry, body=sql.Literal(_POLYGONAL_BODY.format(p=p))))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(parcel {geometry}, building {geometry}) "
                        "RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, CLIP_AREA), geometry=geometry, body=sql.Literal(_CLIP_AREA_BODY.format(p=p))))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(raw text) RETURNS date LANGUAGE plpgsql "
                        "IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, PARSE_DATE), body=sql.Literal(_filled(_PARSE_DATE_BODY))))
    parse = qualified(schema, PARSE_DATE).as_string(cur)
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(raw text) RETURNS text LANGUAGE plpgsql "
                        "IMMUTABLE STRICT PARALLEL SAFE AS {body}").format(
        name=qualified(schema, DATE_CAUSE), body=sql.Literal(_filled(_DATE_CAUSE_BODY, **{
            "@PARSE@": parse, "@PLACEHOLDER@": placeholder(sql.SQL("raw")).as_string(cur)}))))
    cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {name}(raw text, suffixes text) RETURNS double precision "
                        "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS {body}").format(
        name=qualified(schema, PARSE_NUMBER), body=sql.Literal(_parse_number_body(cur))))
