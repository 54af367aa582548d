"""Reading numbers the way bureau tables hold them — the one reader every analysis uses (its SQL twin is
postgis.sqlexpr.number, checked value by value against this one).

What is read, after full-width forms are made half-width (`FULLWIDTH`, the same table in SQL) and blanks trimmed:
- plain numbers: "12", "12.5", ".5", "1e3", "+4", "-3" (a negative value is read; the caller decides what it means);
- commas, decided by pattern: groups of exactly three digits after the first group are thousands separators
  ("1,500" → 1500, "12,345.5" → 12345.5 — Chinese and English tables write thousands so, and a decimal comma with
  exactly three decimals is not told apart from them); a single comma with any other number of digits after it is a
  decimal comma ("1,5" → 1.5, "12,50" → 12.5, "1,5000" → 1.5); any other comma ("1,2,3", "1,5.5") is junk;
- a unit suffix the field allows (`SUFFIXES`): "2层", "12 层", "8F" storeys; "3.5m", "24米" metres; "210%" a value
  written in percent (the caller converts it: `percent` marks those rows);
- placeholders (`PLACEHOLDERS`: 尚无资料, 无, /, —, -, N/A, NULL, 空 …) are missing, with `placeholder` set, so the
  caller can say "no data" instead of "not a number"; so is a 0 in a field where 0 cannot be true
  (`zero_is_missing`: a parcel or plan record with FAR, floor area, land area, height or storeys 0 is a form left
  blank, not a measurement — a FAR 0 *measured* from a buildings layer is a real 0 and is not read here).
Anything else that is not blank (text, infinities, NaN written out, magnitudes beyond `FLOAT_LIMIT`) is junk: the
caller names it in the reasons, never a silent zero.
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

# Full-width digits and signs, the ideographic comma/space and the full-width percent sign → ASCII (the SQL twin
# translates with the same two strings).
FULLWIDTH = ("０１２３４５６７８９．，－＋％／　", "0123456789.,-+%/ ")
FLOAT_LIMIT = 1e308  # a magnitude beyond this is no number anyone typed; both engines read it as junk
NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"  # exponents beyond 3 digits: no float
THOUSANDS = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"
DECIMAL_COMMA = r"^[+-]?[0-9]+,[0-9]+$"
WHITESPACE = " \t\r\n"

# Written for "no data" in Chinese and English tables; compared trimmed and case-free.
PLACEHOLDERS = ("尚无资料", "尚無資料", "暂无资料", "暫無資料", "暂无", "无", "無", "空",
                "/", "//", "—", "——", "-", "--", "–", "n/a", "#n/a", "na", "null", "none")

# Unit suffixes a field's values may carry (compared case-free); the value is then in the field's canonical unit.
STOREYS = ("层", "層", "f")
METRES = ("m", "米")
PERCENT = ("%",)
SUFFIXES: dict[str, tuple[str, ...]] = {
    "floors": STOREYS, "height": METRES, "ground_floor_height": METRES, "upper_floor_height": METRES,
    "far": PERCENT, "coverage": PERCENT,
    "ground_floor_load": ("kn/m²", "kn/m2", "kn"), "upper_floor_load": ("kn/m²", "kn/m2", "kn"),
    "lift_capacity": ("t", "吨"), "households": ("户",),
}
# Fields in which a 0 typed into a parcel or plan record means "not filled in" (module docstring).
ZERO_IS_MISSING = frozenset({"far", "building_area", "area_m2", "declared_area", "height", "floors",
                             "ground_floor_height", "upper_floor_height", "ground_floor_load", "upper_floor_load"})


class Reading(NamedTuple):
    """One column read: values (float, NaN unless usable) and, per row, why a value is missing."""

    values: pd.Series
    junk: pd.Series  # something there that is not a number
    placeholder: pd.Series  # a "no data" mark, or a 0 where 0 cannot be
    percent: pd.Series  # written with a percent sign (value as written: "210%" → 210)


def read_field(raw: pd.Series, name: str = "") -> Reading:
    """`read` with the suffixes and the zero rule of canonical field `name`."""
    return read(raw, SUFFIXES.get(name, ()), name in ZERO_IS_MISSING)


def read(raw: pd.Series, suffixes: tuple[str, ...] = (), zero_is_missing: bool = False) -> Reading:
    """Read a column as the module docstring says."""
    index = raw.index
    false = pd.Series(False, index=index)
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
        junk = pd.Series(~np.isfinite(values.to_numpy()) & values.notna().to_numpy(), index=index)
        junk |= values.abs() > FLOAT_LIMIT
        placeholder, percent = false, false
    elif not raw.notna().any():  # nothing to parse (an absent field): the text path's answer, without its cost
        values, placeholder, percent = pd.Series(np.nan, index=index, dtype=float), false, false
        junk = false
    else:
        objects = raw.astype(object)
        present = objects.notna().to_numpy()
        codes, distinct = pd.factorize(objects[present].astype(str))
        parsed = _parse_texts(pd.Series(np.asarray(distinct, dtype=object), dtype=object), suffixes)

        def spread(column: str, empty):
            out = np.full(len(index), empty, dtype=float if empty is np.nan else bool)
            out[present] = parsed[column].to_numpy()[codes]
            return pd.Series(out, index=index)

        values = spread("value", np.nan)
        junk, placeholder, percent = spread("junk", False), spread("placeholder", False), spread("percent", False)
    if zero_is_missing:
        zero = values == 0
        placeholder = placeholder | zero
        values = values.where(~zero)
    values = values.where(~junk & ~placeholder)
    return Reading(values, junk, placeholder, percent)


def _parse_texts(texts: pd.Series, suffixes: tuple[str, ...]) -> pd.DataFrame:
    """value, junk, placeholder, percent for each distinct text (vectorised string operations)."""
    text = texts.str.translate(str.maketrans(*FULLWIDTH)).str.strip(WHITESPACE)
    blank = text == ""
    placeholder = text.str.lower().isin(PLACEHOLDERS)
    percent = pd.Series(False, index=texts.index)
    if suffixes:
        found = text.str.extract(suffix_pattern(suffixes), flags=re.IGNORECASE)
        has_suffix = found[0].notna() & (found[0] != "")
        percent = has_suffix & (found[1] == "%")
        text = text.where(~has_suffix, found[0])
    grouped = text.str.match(THOUSANDS)
    decimal = ~grouped & text.str.match(DECIMAL_COMMA)
    text = text.where(~grouped, text.str.replace(",", "", regex=False))
    text = text.where(~decimal, text.str.replace(",", ".", regex=False))
    number = text.str.match(NUMBER)
    values = pd.to_numeric(text.where(number), errors="coerce").astype(float)
    usable = number & np.isfinite(values) & (values.abs() <= FLOAT_LIMIT)
    junk = ~blank & ~placeholder & ~usable
    return pd.DataFrame({"value": values.where(usable), "junk": junk, "placeholder": placeholder & ~blank,
                         "percent": percent & usable})


def suffix_pattern(suffixes: tuple[str, ...]) -> str:
    """The regular expression (case-free) splitting "12 层" into the number and a suffix, longest suffix first; it
    is the same in Python and in PostgreSQL's regular expressions."""
    return r"^(.*?)\s*(" + "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)) + r")$"


def to_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, junk) of a column read without suffixes: the short form for callers that only need numbers.
    Placeholders are missing (not junk)."""
    reading = read(raw)
    return reading.values, reading.junk
