"""Reading the parcel table's raw values as bureau spreadsheets hold them: numbers ("1,234", full-width digits,
numeric text), yes/no flags (1/0, 是/否, yes/no) and district names.

Apart from the judging so that the readers can be tested on their own and their SQL twins (postgis.sqlexpr) can be
checked against them value by value. What cannot be read is a reason on its parcel, never a silent zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .efficiency_reasons import Reasons

NUMBER_FIELDS = ("area_m2", "far", "building_area", "coverage", "tax", "output", "energy", "employees", "rd_spend")

_TRUE_WORDS = ("1", "是", "y", "yes", "true", "t", "闲置")
_FALSE_WORDS = ("0", "否", "n", "no", "false", "f", "非闲置", "未闲置")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def column(table: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-missing one when the layer has no such field."""
    return table[name] if name in table else pd.Series(None, index=table.index, dtype=object)


def to_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read numbers the way spreadsheets hold them ("12.5", "1,234", full-width digits, real numbers).

    Returns (values, junk): values as float (NaN where missing or unreadable); junk is True where something was
    there but is not a finite number, so the caller can name it instead of treating it as missing. Plain numbers
    and numeric text take pandas' fast path; only what that cannot read is cleaned and tried again.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
    else:
        raw = raw.astype(object)
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        retry = values.isna() & raw.notna()
        if retry.any():
            text = raw[retry].astype(str).str.strip().str.replace(",", "", regex=False).str.translate(_FULLWIDTH)
            values[retry] = pd.to_numeric(text, errors="coerce")
    junk = ((values.isna() | np.isinf(values)) & raw.notna()).to_numpy()
    unread = np.flatnonzero(junk)
    junk[unread] = raw.iloc[unread].astype(str).str.strip().to_numpy() != ""  # blank text is missing, not junk
    junk = pd.Series(junk, index=raw.index)
    return values.where(~junk), junk


def read_numbers(table: pd.DataFrame, notes: Reasons, labels: dict[str, str]) -> dict[str, pd.Series]:
    """Every numeric field as float; unreadable and negative values become NaN with a reason."""
    numbers = {}
    for name in NUMBER_FIELDS:
        raw = column(table, name)
        values, junk = to_number(raw)
        negative = values < 0
        notes.add(junk, "not_a_number", field=labels.get(name, name), value=raw)
        notes.add(negative, "negative", field=labels.get(name, name), value=raw)
        numbers[name] = values.where(~negative)
    return numbers


def read_idle(table: pd.DataFrame, notes: Reasons, labels: dict[str, str]) -> pd.Series:
    """The idle flag: 1/0, 是/否, yes/no, true/false (any case); anything else is reported and read as not idle."""
    raw = column(table, "idle")
    flag = per_value(raw, _yes_no)
    notes.add(raw.notna() & flag.isna(), "not_yes_no", field=labels.get("idle", "idle"), value=raw)
    return flag.eq(True)


def _yes_no(value) -> bool | None:
    text = str(value).strip().lower()
    text = text[:-2] if text.endswith(".0") else text
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS or text == "":
        return False
    return None


def district_names(table: pd.DataFrame) -> pd.Series | None:
    """District names as trimmed text (missing where blank), or None without a district column."""
    if "district" not in table:
        return None
    return per_value(table["district"], lambda value: str(value).strip() or None)


def per_value(values: pd.Series, func) -> pd.Series:
    """`func` applied once per distinct non-missing value and mapped back; missing values stay missing.

    Codes, flags and district names repeat a lot, so this costs a handful of Python calls, not one per row.
    """
    present = values.notna()
    results = {value: func(value) for value in pd.unique(values[present])}
    return values.where(present).map(results).astype(object)
