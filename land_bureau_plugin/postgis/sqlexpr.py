"""SQL expressions that read values the way the local engine does, so both paths judge the same data the same way.

- `number`: like analysis.numbers.read — numeric columns as they are, text with thousands separators, decimal
  commas, full-width digits and the field's unit suffixes ("8F", "24米") read as numbers, placeholders and anything
  else NULL (never an error that would abort the run). The patterns are analysis.numbers' own constants.
- `planar`, `polygonal`, `cleaned`, `clip_area`: like analysis.overlay after the transform to the planar CRS (the
  rules themselves are the functions of postgis.functions).

Column names are always psycopg2.sql.Identifier and constants sql.Literal: nothing a table or field is called can
change the statement.
"""
from __future__ import annotations

from psycopg2 import sql

from ..analysis.geometry_rules import GeometryRules
from ..analysis.numbers import FLOAT_LIMIT, FULLWIDTH, PLACEHOLDERS, WHITESPACE, suffix_pattern
from . import functions
from .store import SCHEMA

CURVE_TOLERANCE_M = GeometryRules().curve_tolerance_m  # metres: the default profile's, as read locally


def number(column: sql.Composable, numeric: bool, suffixes: tuple[str, ...] = ()) -> sql.Composable:
    """float8 value of a column as analysis.numbers.read reads it (with the field's unit `suffixes`), NULL where
    missing, a placeholder or unreadable (NaN, infinities and magnitudes beyond FLOAT_LIMIT included)."""
    limit = sql.Literal(FLOAT_LIMIT)
    if numeric:
        return sql.SQL("(CASE WHEN {c}::float8 IN ('NaN', 'Infinity', '-Infinity') OR abs({c}::float8) > {limit} "
                       "THEN NULL ELSE {c}::float8 END)").format(c=column, limit=limit)
    pattern = sql.Literal(suffix_pattern(suffixes) if suffixes else None)
    return sql.SQL("{}({}::text, {}::text)").format(sql.Identifier(SCHEMA, functions.PARSE_NUMBER), column, pattern)


def placeholder(text: sql.Composable) -> sql.Composable:
    """Whether a text is a "no data" mark as analysis.numbers reads it (PLACEHOLDERS, trimmed and case-free)."""
    cleaned = sql.SQL("lower(btrim(translate({t}, {a}, {b}), {ws}))").format(
        t=text, a=sql.Literal(FULLWIDTH[0]), b=sql.Literal(FULLWIDTH[1]), ws=sql.Literal(WHITESPACE))
    return sql.SQL("coalesce({} = ANY({}), false)").format(cleaned, sql.Literal(list(PLACEHOLDERS)))


def positive(value: sql.Composable) -> sql.Composable:
    """`value > 0`, false (not NULL) where the value is missing."""
    return sql.SQL("coalesce({} > 0, false)").format(value)


def planar(geometry: sql.Composable, source_srid: int, planar_srid: int) -> sql.Composable:
    """The geometry in the planar SRID the analysis measures in (unchanged when it already is)."""
    if not planar_srid or source_srid == planar_srid:
        return geometry
    return sql.SQL("ST_Transform({}, {})").format(geometry, sql.Literal(int(planar_srid)))


def polygonal(geometry: sql.Composable, curve_tolerance_m: float = CURVE_TOLERANCE_M) -> sql.Composable:
    """The geometry as the overlay uses it, curves linearised (postgis.functions.polygonal)."""
    return sql.SQL("{}({}, {})").format(sql.Identifier(SCHEMA, functions.POLYGONAL), geometry,
                                        sql.Literal(float(curve_tolerance_m)))


def clip_area(parcel: sql.Composable, building: sql.Composable) -> sql.Composable:
    """Area of the building's part on the parcel (postgis.functions.clip_area)."""
    return sql.SQL("{}({}, {})").format(sql.Identifier(SCHEMA, functions.CLIP_AREA), parcel, building)


def cleaned(geometry: sql.Composable, alias: str, curve_tolerance_m: float = CURVE_TOLERANCE_M) -> sql.Composable:
    """A LATERAL subquery giving `<alias>.g` (the cleaned geometry), `<alias>.repaired` (invalid and made valid
    with an area left) and `<alias>.empty` (missing, empty or no polygon even after repair) — the fields of
    overlay.GeometryReport. OFFSET 0 keeps PostgreSQL from inlining it, so validity is tested once per row."""
    raw = sql.Identifier(alias + "_raw")
    valid = sql.Identifier(alias + "_valid")
    a = sql.Identifier(alias)
    return sql.SQL(
        "CROSS JOIN LATERAL (SELECT {geometry} AS {raw} OFFSET 0) {raw_alias} "
        "CROSS JOIN LATERAL (SELECT ST_IsValid({raw}) AS {valid} OFFSET 0) {valid_alias} "
        "CROSS JOIN LATERAL (SELECT g, coalesce(NOT {valid}, false) AND NOT coalesce(ST_IsEmpty(g), true) AS repaired, "
        "coalesce(ST_IsEmpty(g), true) AS empty FROM (SELECT {clean} AS g OFFSET 0) c) {a}").format(
        geometry=geometry, raw=raw, raw_alias=sql.Identifier(alias + "_r"), valid=valid,
        valid_alias=sql.Identifier(alias + "_v"), clean=polygonal(raw, curve_tolerance_m), a=a)
