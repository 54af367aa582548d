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
# (the no-break space of Excel exports, U+00A0, is a space: Python's \s matched it, PostgreSQL's did not)
FULLWIDTH = ("０１２３４５６７８９．，－＋％／　\u00a0", "0123456789.,-+%/  ")
FLOAT_LIMIT = 1e308  # a magnitude beyond this is no number anyone typed; both engines read it as junk
NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"  # exponents beyond 3 digits: no float
THOUSANDS = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"
DECIMAL_COMMA = r"^[+-]?[0-9]+,[0-9]+$"
WHITESPACE = " \t\r\n"

# Written for "no data" in Chinese and English tables; compared trimmed and case-free.
PLACEHOLDERS = ("尚无资料", "尚無資料", "暂无资料", "暫無資料", "暂无", "无", "無", "空",
                "/", "//", "—", "——", "-", "--", "–", "n/a", "#n/a", "na", "null", "none")

_HALFWIDTH = str.maketrans(*FULLWIDTH)


def is_placeholder(value) -> bool:
    """Whether `value` is a text written for "no data" (PLACEHOLDERS; full-width forms, surrounding blanks and case
    ignored) — what every reader, of numbers or dates, takes for an empty value."""
    return isinstance(value, str) and value.translate(_HALFWIDTH).strip(WHITESPACE).lower() in PLACEHOLDERS


# Unit suffixes a field's values may carry (compared case-free); the value is then in the field's canonical unit.
STOREYS = ("层", "層", "f")
METRES = ("m", "米")
PERCENT = ("%",)
SUFFIXES: dict[str, tuple[str, ...]] = {
    "floors": STOREYS, "height": METRES, "ground_floor_height": METRES, "upper_floor_height": METRES,
    "far": PERCENT, "coverage": PERCENT,
    "ground_floor_load": ("kn/m²", "kn/m2", "kn"), "upper_floor_load": ("kn/m²", "kn/m2", "kn"),
    "lift_capacity": ("t", "吨"), "households": ("户", "戶"), "population": ("人",),
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
    """Read a column as the module docstring says. Worked out on numpy arrays, the four Series made at the end: a
    live check reads a dozen fields of one plan per edit, where pandas' per-call cost, not the rows, is the time."""
    index, n = raw.index, len(raw)
    name = None
    placeholder, percent = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            junk = np.isinf(values) | (np.abs(values) > FLOAT_LIMIT)
        name = raw.name  # the values keep the column's name, as astype(float) keeps it
    else:
        objects = raw.to_numpy(dtype=object)
        present = ~pd.isna(objects)
        values, junk = np.full(n, np.nan), np.zeros(n, dtype=bool)
        if present.any():  # else nothing to parse (an absent field): the text path's answer, without its cost
            codes, distinct = pd.factorize(pd.Series(objects[present], dtype=object).astype(str))
            parsed = _parsed(np.asarray(distinct, dtype=object), suffixes)
            values[present] = parsed[0][codes]
            junk[present] = parsed[1][codes]
            placeholder[present], percent[present] = parsed[2][codes], parsed[3][codes]
    if zero_is_missing:
        zero = values == 0
        placeholder = placeholder | zero
    values = np.where(junk | placeholder, np.nan, values)
    return Reading(pd.Series(values, index=index, name=name), pd.Series(junk, index=index),
                   pd.Series(placeholder, index=index), pd.Series(percent, index=index))


# Texts already parsed, per suffix set: (value, junk, placeholder, percent) as _parse_texts gave them. Used for
# readings of a few distinct texts (a live check's edited rows: the same few texts edit after edit); a whole layer's
# thousands are parsed in one vectorised pass as before. Dict operations only (atomic: a worker thread reads too).
_PARSED: dict[tuple[str, ...], dict[str, tuple]] = {}
PARSED_LOOKUP = 64  # at most this many distinct texts in a reading: looked up
PARSED_KEPT = 4096  # texts kept per suffix set; more, and the memo starts again


def _parsed(texts: np.ndarray, suffixes: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """value (float), junk, placeholder, percent (bool) arrays for the distinct `texts`."""
    if len(texts) > PARSED_LOOKUP:
        frame = _parse_texts(pd.Series(texts, dtype=object), suffixes)
        return tuple(frame[column].to_numpy() for column in ("value", "junk", "placeholder", "percent"))
    memo = _PARSED.setdefault(tuple(suffixes), {})
    rows = [memo.get(text) for text in texts]
    missing = [text for text, row in zip(texts, rows) if row is None]
    if missing:
        frame = _parse_texts(pd.Series(missing, dtype=object), suffixes)
        new = dict(zip(missing, zip(frame["value"].tolist(), frame["junk"].tolist(), frame["placeholder"].tolist(),
                                    frame["percent"].tolist())))
        if len(memo) + len(new) > PARSED_KEPT:
            memo.clear()
        memo.update(new)
        rows = [new[text] if row is None else row for text, row in zip(texts, rows)]
    value, junk, placeholder, percent = zip(*rows)
    return (np.array(value, dtype=float), np.array(junk, dtype=bool), np.array(placeholder, dtype=bool),
            np.array(percent, dtype=bool))


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
