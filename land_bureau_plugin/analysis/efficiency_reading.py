"""Reading the parcel table's raw values as bureau spreadsheets hold them: numbers (through analysis.numbers, the
one number reader, with the plausibility limits of the profile), yes/no flags (1/0, 是/否, yes/no), district names
and repeated parcel ids.

Apart from the judging so that the readers can be tested on their own and their SQL twins (postgis.sqlexpr) can be
checked against them value by value. What cannot be read is a reason on its parcel, never a silent zero.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .county_names import fold
from .efficiency_reasons import Reasons
from .numbers import read_field
from .plausibility import above

NUMBER_FIELDS = ("area_m2", "far", "building_area", "coverage", "tax", "output", "energy", "employees", "rd_spend")

_TRUE_WORDS = ("1", "是", "y", "yes", "true", "t", "闲置")
_FALSE_WORDS = ("0", "否", "n", "no", "false", "f", "非闲置", "未闲置")


def column(table: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-missing one when the layer has no such field."""
    return table[name] if name in table else pd.Series(None, index=table.index, dtype=object)


def read_numbers(table: pd.DataFrame, notes: Reasons, labels: dict[str, str],
                 limits: dict[str, float | None] | None = None, names: tuple[str, ...] = NUMBER_FIELDS,
                 ) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """Every numeric field of `names` (default: the parcels') as float (analysis.numbers), and per field the rows
    written with a percent sign.

    Unreadable values, placeholders ("尚无资料", "—", a 0 where 0 cannot be), negative values and values above their
    plausibility limit (`limits`, None where switched off; FAR and coverage are checked later, once their unit is
    known) become NaN with a reason naming the field and the value as found.
    """
    limits = limits or {}
    numbers, percent = {}, {}
    for name in names:
        raw = column(table, name)
        reading = read_field(raw, name)
        values = reading.values
        field = labels.get(name, name)
        negative = values < 0
        limit = None if name in ("far", "coverage") else limits.get(name)
        implausible = pd.Series(above(values, limit), index=values.index)
        notes.add(reading.junk, "not_a_number", field=field, value=raw)
        notes.add(reading.placeholder, "placeholder", field=field, value=raw)
        notes.add(negative, "negative", field=field, value=raw)
        notes.add(implausible, "value_implausible", field=field, value=raw,
                  limit="" if limit is None else f"{limit:g}")
        numbers[name] = values.where(~negative & ~implausible)
        percent[name] = reading.percent
    return numbers, percent


def trimmed_ids(table: pd.DataFrame) -> pd.Series:
    """The parcel ids as they are compared for repeats: trimmed text, missing where blank."""
    raw = column(table, "parcel_id")
    if pd.api.types.infer_dtype(raw, skipna=True) == "string":  # texts only (the usual case): trimmed in one go
        if not _untrimmed(raw):
            return raw.copy()
        ids = raw.str.strip()
        return ids.where(ids != "")
    return per_value(raw, lambda value: str(value).strip() or None)


# a value that is blank or starts or ends with whitespace (str.strip's, which is re's \s), among values joined by NUL
_UNTRIMMED = re.compile(r"(?:^|\x00)(?:\s|\x00|$)|\s(?:\x00|$)")


def _untrimmed(texts: pd.Series) -> bool:
    """Whether some of `texts` (str or missing) is blank or would lose whitespace to str.strip: one regular
    expression over the values joined, where stripping each (a Python call per value) took ~0.3 s a million — ids
    are almost always trimmed already. A NUL inside a value may say yes where stripping changes nothing (only
    slower); it never says no where it would."""
    return _UNTRIMMED.search("\x00".join(texts.dropna().tolist())) is not None


def duplicate_ids(table: pd.DataFrame, repeated: frozenset | None = None) -> pd.Series:
    """Per row, True where the parcel id (`trimmed_ids`) appears on more than one row — of this table, or, for a
    caller judging part of a layer, of the whole layer, whose repeated ids `repeated` holds (`repeated_id_set`)."""
    ids = trimmed_ids(table)
    if repeated is None:
        return ids.notna() & ids.duplicated(keep=False)
    return ids.notna() & ids.isin(list(repeated))


def repeated_id_set(table: pd.DataFrame) -> frozenset:
    """The parcel ids found on more than one row of `table`, for `duplicate_ids` on a part of it."""
    ids = trimmed_ids(table)
    return frozenset(ids[(ids.notna() & ids.duplicated(keep=False)).to_numpy()].tolist())


def read_idle(table: pd.DataFrame, notes: Reasons, labels: dict[str, str]) -> pd.Series:
    """The idle flag: 1/0, 是/否, yes/no, true/false (any case); anything else is reported and read as not idle."""
    return read_flag(table, "idle", notes, labels)


def read_flag(table: pd.DataFrame, name: str, notes: Reasons, labels: dict[str, str],
              words: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> pd.Series:
    """A yes/no field (1/0, 是/否, yes/no, true/false, any case, and the field's own `words` (yes words, no words))
    as True / False; anything else is reported (the template `not_yes_no`) and read as no."""
    raw = column(table, name)
    if not raw.notna().any():  # no value (or no such field): nothing to report, nobody flagged
        return pd.Series(False, index=raw.index)
    yes, no = (tuple(w.lower() for w in group) for group in words)
    flag = per_value(raw, lambda value: True if str(value).strip().lower() in yes else
                     False if str(value).strip().lower() in no else _yes_no(value))
    notes.add(raw.notna() & flag.isna(), "not_yes_no", field=labels.get(name, name), value=raw)
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
    """District names as trimmed text in simplified characters (missing where blank), or None without a district
    column. 桐廬縣 and 桐庐县 are one district (county_names.fold): written both ways, the district's parcels were
    two groups, each with its own median, ranks and grades ("rank 1 of 2" of four parcels), silently. Folded name
    by name, not by what else the layer holds, so a part of the layer (live mode's districts) reads the same."""
    if "district" not in table:
        return None
    return per_value(table["district"], lambda value: fold(str(value).strip()) or None)


def folded_districts(table: pd.DataFrame) -> dict[str, str]:
    """{district as written: as read} for the names `district_names` reads in simplified characters (for the
    log)."""
    if "district" not in table:
        return {}
    names = {str(value).strip() for value in pd.unique(table["district"].dropna())}
    return {name: fold(name) for name in sorted(names) if fold(name) != name}


def per_value(values: pd.Series, func) -> pd.Series:
    """`func` applied once per distinct non-missing value and mapped back; missing values stay missing.

    Codes, flags and district names repeat a lot, so this costs a handful of Python calls, not one per row.
    """
    present = values.notna()
    if not present.any():  # a field the layer does not have: all missing, as the mapping below would give
        return pd.Series(np.full(len(values), np.nan, dtype=object), index=values.index, dtype=object)
    results = {value: func(value) for value in pd.unique(values[present])}
    return values.where(present).map(results).astype(object)
