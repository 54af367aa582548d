"""Dates as bureau spreadsheets hold them: 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日, Excel serials,
or real date values. Parsing is vectorised (one regular expression pass, no per-row Python) so 100k rows cost
milliseconds, and every value that does not parse is reported rather than silently dropped — with its cause:

- IMPRECISE: a year or a month without its day ("2024", "2024-03", "2024年3月", "202403"). A deadline counted from
  it would be a guess; "2024" read as an Excel serial was 1905-07-16 ("overdue by 43,964 days").
- OUT_OF_RANGE: a date outside YEAR_RANGE (1900–2150), e.g. 2257-01-01 or a 9999-12-31 placeholder: such a date is
  a typo, and deadlines counted from it overflowed pandas' calendar (it ends in 2262).
- NOT_A_DATE: anything else that does not read as a day, including an integer that would be an Excel serial outside
  SERIAL_YEARS (a count or an id is not a date).

A placeholder (无, —, /, 尚无资料 …: analysis.numbers.PLACEHOLDERS) is no date and no error: an empty value. In a
milestone's done date "无" says not done yet — read as unreadable, an overdue project or an idle parcel went grey
and left the red counts.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from .numbers import is_placeholder

_SEPARATED = (r"^\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
              r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_COMPACT = r"^\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})\s*$"
_SERIAL = r"^\s*(?P<serial>\d{1,5})(?:\.0+)?\s*$"
_YEAR_ONLY = r"^\s*(?P<y>\d{4})\s*年?\s*$"
_YEAR_MONTH = r"^\s*(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})|(?P<m2>\d{2}))\s*月?\s*$"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0 once its 1900 leap-year bug is accounted for
YEAR_RANGE = (1900, 2150)  # dates outside are typos; with offsets ≤ 100 years every deadline stays in pandas' range
SERIAL_YEARS = (1950, 2150)  # an integer is read as an Excel serial only when it falls in these years
SERIAL_RANGE = ((pd.Timestamp(f"{SERIAL_YEARS[0]}-01-01") - EXCEL_EPOCH).days,
                 (pd.Timestamp(f"{SERIAL_YEARS[1]}-12-31") - EXCEL_EPOCH).days)
OK, NOT_A_DATE, IMPRECISE, OUT_OF_RANGE = "", "not_a_date", "imprecise", "out_of_range"


def parse_dates(values) -> tuple[pd.Series, pd.Series]:
    """Parse a column of mixed date representations.

    Returns (dates, bad): `dates` is datetime64[ns] with NaT where there is no valid date; `bad` is True where a
    value was present but could not be read as a date (so the caller can name the feature and the raw value).
    Values that carry a time of day keep only their (local) date: deadlines are counted in whole days.
    `parse_dates_explained` says why each bad value is bad.
    """
    dates, cause = parse_dates_explained(values)
    return dates, cause != OK


def parse_dates_explained(values) -> tuple[pd.Series, pd.Series]:
    """(dates, cause): as `parse_dates`, with the cause of each bad value instead of a flag — OK ("") for a date or
    an empty value, else NOT_A_DATE, IMPRECISE or OUT_OF_RANGE (see the module's docstring)."""
    raw = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    raw = raw.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = raw.dt.tz_localize(None) if raw.dt.tz is not None else raw
        dates = dates.astype("datetime64[ns]").dt.normalize()
        outside = dates.notna() & ~dates.dt.year.between(*YEAR_RANGE)
        return dates.where(~outside), pd.Series(np.where(outside, OUT_OF_RANGE, OK), index=raw.index, dtype=object)
    # A column holds far fewer distinct dates than rows (a few thousand days in 100k projects): parse each distinct
    # value once and spread the answers back by position.
    codes, distinct = pd.factorize(raw.astype(object), use_na_sentinel=True)
    dates, cause = _parse_distinct(pd.Series(distinct, dtype=object))
    # code -1 (no value) picks the appended NaT / OK
    dates = np.append(dates.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))[codes]
    cause = np.append(cause.to_numpy(dtype=object), OK)[codes]
    return pd.Series(dates, index=raw.index), pd.Series(cause, index=raw.index, dtype=object)


DATE_PROBLEMS = ((NOT_A_DATE, "bad_date"), (IMPRECISE, "imprecise_date"), (OUT_OF_RANGE, "date_out_of_range"))


def explain_bad_dates(add, cause: pd.Series, field: str, raw: pd.Series) -> None:
    """Say why each unreadable date is unreadable: `add(mask, key, **values)` once per cause, with the reason
    templates `bad_date`, `imprecise_date` and `date_out_of_range` (analysis.messages) and their values — one wording
    for every analysis that reads dates."""
    for code, key in DATE_PROBLEMS:
        add(cause == code, key, field=field, value=raw, first=YEAR_RANGE[0], last=YEAR_RANGE[1])


def _parse_distinct(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The parsing itself, on an object column without repeats: (dates, cause)."""
    empty = raw.isna().to_numpy() | _flags(raw, lambda v: isinstance(v, str) and (not v.strip() or is_placeholder(v)))
    is_temporal = _flags(raw, lambda v: isinstance(v, (_dt.date, pd.Timestamp, np.datetime64)) and not pd.isna(v))
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    cause = pd.Series(OK, index=raw.index, dtype=object)
    if is_temporal.any():
        years = raw[is_temporal].map(_year_of)
        in_range = years.between(*YEAR_RANGE)
        cause[years.index[~in_range]] = OUT_OF_RANGE
        inside = years.index[in_range]
        result[inside] = pd.to_datetime(raw[inside].map(_as_timestamp), errors="coerce").dt.normalize()

    text = raw.where(~(is_temporal | empty)).map(_number_as_text, na_action="ignore").astype("string")
    text = text.str.translate(_FULLWIDTH_DIGITS)

    for pattern in (_SEPARATED, _COMPACT):
        parts = text.str.extract(pattern)
        hit = parts["y"].notna() & result.isna() & (cause == OK)
        if hit.any():
            ymd = parts.loc[hit, ["y", "m", "d"]].astype(int).rename(columns={"y": "year", "m": "month", "d": "day"})
            outside = ~ymd["year"].between(*YEAR_RANGE)
            cause[ymd.index[outside]] = OUT_OF_RANGE
            ymd = ymd[~outside]
            result[ymd.index] = pd.to_datetime(ymd, errors="coerce")
    imprecise = _imprecise(text) & result.isna() & (cause == OK)
    cause[imprecise] = IMPRECISE
    serial = pd.to_numeric(text.str.extract(_SERIAL)["serial"], errors="coerce")
    serial_hit = serial.between(*SERIAL_RANGE) & result.isna() & (cause == OK)
    if serial_hit.any():
        result[serial_hit] = EXCEL_EPOCH + pd.to_timedelta(serial[serial_hit], unit="D")
    cause[result.isna() & ~pd.Series(empty, index=raw.index) & (cause == OK)] = NOT_A_DATE
    return result, cause


def _imprecise(text: pd.Series) -> pd.Series:
    """True for a year alone or a year and month (in YEAR_RANGE, month 1–12): a date without its day."""
    year = pd.to_numeric(text.str.extract(_YEAR_ONLY)["y"], errors="coerce")
    found = year.between(*YEAR_RANGE)
    parts = text.str.extract(_YEAR_MONTH)
    month = pd.to_numeric(parts["m"].fillna(parts["m2"]), errors="coerce")
    found |= pd.to_numeric(parts["y"], errors="coerce").between(*YEAR_RANGE) & month.between(1, 12)
    return found.fillna(False).astype(bool)


def _year_of(value) -> int:
    """The year of a date-like value (numpy datetime64 included)."""
    if isinstance(value, np.datetime64):
        return int(str(value.astype("datetime64[Y]")))
    return value.year


def _flags(values: pd.Series, test) -> np.ndarray:
    return np.fromiter((test(v) for v in values), dtype=bool, count=len(values))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")


def _as_timestamp(value):
    try:
        if isinstance(value, _dt.datetime):
            return pd.Timestamp(value.replace(tzinfo=None))
        return pd.Timestamp(value)
    except (ValueError, OverflowError):  # e.g. 9999-12-31 placeholders: outside pandas' range under pandas 1.x
        return pd.NaT


def _number_as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def add_years(dates: pd.Series, years: int) -> pd.Series:
    """Add whole years the way deadlines are counted: 29 Feb + 1 year = 28 Feb (the last day of that month).

    A result beyond pandas' calendar (after 2262-04-11) raises InputError instead of wrapping round: callers keep
    dates in YEAR_RANGE and offsets within a century, so this only guards against misuse."""
    values = dates.to_numpy(dtype="datetime64[D]")
    valid = ~np.isnat(values)
    y = values.astype("datetime64[Y]")
    month_start = values.astype("datetime64[M]")
    month_index = (month_start - y.astype("datetime64[M]")).astype(int)
    day = (values - month_start).astype(int)
    target_month = (y + np.timedelta64(int(years), "Y")).astype("datetime64[M]") + month_index
    days_in_month = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(int)
    shifted = target_month.astype("datetime64[D]") + np.minimum(day, days_in_month - 1)
    out = np.where(valid, shifted, np.datetime64("NaT"))
    limits = np.array([pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")], dtype="datetime64[D]")
    if ((out[valid] < limits[0]) | (out[valid] > limits[1])).any():
        from ..errors import QT_TRANSLATE_NOOP, InputError
        from .messages import Message

        raise InputError(Message(QT_TRANSLATE_NOOP("errors", "a date plus {years} year(s) is beyond the supported "
                                                             "calendar (1677–2262)"), years=years))
    return pd.Series(out.astype("datetime64[ns]"), index=dates.index)


def as_of_day(value) -> pd.Timestamp:
    """The as-of date of a deadline check as a day; InputError when it lies outside the years dates are read in
    (deadlines counted to it would overflow or mean nothing)."""
    try:
        as_of = pd.Timestamp(value).normalize()
    except (ValueError, OverflowError) as exc:
        as_of = exc
    if isinstance(as_of, Exception) or pd.isna(as_of) or not YEAR_RANGE[0] <= as_of.year <= YEAR_RANGE[1]:
        from ..errors import QT_TRANSLATE_NOOP, InputError
        from .messages import Message

        template = QT_TRANSLATE_NOOP("errors", "the as-of date {date} lies outside the years {first}–{last}")
        raise InputError(Message(template, date=value, first=YEAR_RANGE[0], last=YEAR_RANGE[1]))
    return as_of
