"""Date parsing and deadline arithmetic (analysis/dates.py): every form the bureau's spreadsheets hold."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis.dates import add_years, parse_dates

MARCH_1 = pd.Timestamp("2024-03-01")


def parse_one(value):
    """(date, bad) for a single value, parsed as part of an object column like a layer's attribute column."""
    dates, bad = parse_dates(pd.Series([value], dtype=object))
    return dates.iloc[0], bool(bad.iloc[0])


def timestamps(*texts):
    """A datetime64 column; None becomes NaT."""
    return pd.Series([pd.Timestamp(t) if t else pd.NaT for t in texts], dtype="datetime64[ns]")


@pytest.mark.parametrize("value", [
    "2024-03-01",
    "2024/3/1",
    "2024/03/01",
    "2024.3.1",
    "2024-3-1 ",
    "20240301",
    " 20240301 ",
    "2024年3月1日",
    "2024年03月01日",
    " 2024 年 3 月 1 日 ",
    "2024-03-01 00:00:00",
    "2024-03-01T08:30",
    "2024/3/1 17:45:12.5",
    "２０２４－０３－０１",
    "２０２４年３月１日",
    "２０２４０３０１",
    20240301,
    45352,
    45352.0,
    np.int64(45352),
    np.float64(45352.0),
    "45352",
    "45352.0",
    " 45352 ",
    "４５３５２",
    dt.date(2024, 3, 1),
    dt.datetime(2024, 3, 1),
    pd.Timestamp("2024-03-01"),
    np.datetime64("2024-03-01"),
], ids=repr)
def test_every_bureau_form_reads_as_1_march_2024(value):
    assert parse_one(value) == (MARCH_1, False)


@pytest.mark.parametrize("value", [
    dt.datetime(2024, 3, 1, 15, 30),
    pd.Timestamp("2024-03-01 23:59:59"),
    dt.datetime(2024, 3, 1, 23, 0, tzinfo=dt.timezone.utc),
    pd.Timestamp("2024-03-01 08:00", tz="Asia/Shanghai"),
], ids=repr)
def test_a_time_of_day_is_dropped_keeping_the_local_date(value):
    # QDateTime attributes arrive as datetimes; a deadline is a whole day, so 15:30 on the due day is still on time
    assert parse_one(value) == (MARCH_1, False)


@pytest.mark.parametrize("serial, expected", [
    (18264, "1950-01-01"),  # the first day of SERIAL_YEARS
    (36526, "2000-01-01"),
    (45351, "2024-02-29"),
    (45352, "2024-03-01"),
    (91677, "2150-12-31"),  # the last day of SERIAL_YEARS
])
def test_excel_serials_count_days_like_excel(serial, expected):
    assert parse_one(serial) == (pd.Timestamp(expected), False)


@pytest.mark.parametrize("value", [
    "2024-02-30",
    "2023-02-29",
    "2021-13-45",
    "2024-00-10",
    "20240230",
    "abc",
    "2024-03",
    "12/03/2024",
    "2024-03-01 noon",
    99999999,
    "99999999",
    0,
    -5,
    60,  # Excel's 1900-02-29, a day that never existed
    45352.5,
    "45352.5",
    123456,
    float("inf"),
    True,
    dt.date(9999, 12, 31),
    dt.datetime(1000, 1, 1),
], ids=repr)
def test_a_value_that_is_not_a_date_is_reported_bad(value):
    date, bad = parse_one(value)
    assert pd.isna(date)
    assert bad


@pytest.mark.parametrize("value", ["", "   ", "\t", None, np.nan, pd.NaT, pd.NA], ids=repr)
def test_empty_values_are_missing_not_bad(value):
    date, bad = parse_one(value)
    assert pd.isna(date)
    assert not bad


def test_a_mixed_column_keeps_its_order_and_flags_only_the_bad_rows():
    values = ["2024-03-01", None, "garbage", 45352, dt.date(2020, 2, 29), "", "2024-02-30"]
    dates, bad = parse_dates(values)
    expected = timestamps("2024-03-01", None, None, "2024-03-01", "2020-02-29", None, None)
    pd.testing.assert_series_equal(dates, expected, check_names=False)
    assert bad.tolist() == [False, False, True, False, False, False, True]


def test_the_result_is_datetime64_ns_on_a_fresh_range_index():
    dates, bad = parse_dates(pd.Series(["2024-03-01", "x"], index=[10, 20]))
    assert dates.dtype == "datetime64[ns]"
    assert bad.dtype == bool
    assert dates.index.tolist() == bad.index.tolist() == [0, 1]


def test_a_datetime64_column_passes_through_as_dates_without_bad_values():
    column = timestamps("2024-03-01 13:00", None, "2020-02-29")
    dates, bad = parse_dates(column)
    pd.testing.assert_series_equal(dates, timestamps("2024-03-01", None, "2020-02-29"))
    assert not bad.any()


def test_a_timezone_aware_column_keeps_its_local_dates():
    column = timestamps("2024-03-01 07:00", "2024-03-01 23:30").dt.tz_localize("Asia/Shanghai")
    dates, bad = parse_dates(column)
    assert dates.tolist() == [MARCH_1, MARCH_1]
    assert not bad.any()


@pytest.mark.parametrize("column", [
    pd.Series([45352, 45353]),
    pd.Series([45352.0, np.nan]),
    pd.Series(["2024-03-01", None], dtype="string"),
    pd.Series(["20240301", "2024/3/1"]),
], ids=["int64", "float64 with NaN", "string dtype", "object text"])
def test_typed_columns_parse_without_bad_values(column):
    dates, bad = parse_dates(column)
    assert dates.iloc[0] == MARCH_1
    assert not bad.any()


@pytest.mark.parametrize("values", [[], pd.Series([], dtype=object), [None, None]], ids=["list", "series", "nulls"])
def test_empty_input_gives_no_dates_and_nothing_bad(values):
    dates, bad = parse_dates(values)
    assert dates.isna().all()
    assert not bad.any()
    assert len(dates) == len(bad) == len(values)


@pytest.mark.parametrize("start, years, expected", [
    ("2020-02-29", 1, "2021-02-28"),
    ("2020-02-29", 4, "2024-02-29"),
    ("2020-02-29", 5, "2025-02-28"),
    ("2020-02-29", -1, "2019-02-28"),
    ("2019-02-28", 1, "2020-02-28"),
    ("2024-01-31", 1, "2025-01-31"),
    ("2023-03-31", 1, "2024-03-31"),
    ("2023-12-31", 1, "2024-12-31"),
    ("2024-03-01", 0, "2024-03-01"),
    ("1999-12-31", 100, "2099-12-31"),
])
def test_add_years_keeps_the_day_or_falls_back_to_the_month_end(start, years, expected):
    assert add_years(timestamps(start), years).iloc[0] == pd.Timestamp(expected)


def test_add_years_leaves_nat_as_nat_and_keeps_the_index():
    dates = timestamps("2020-02-29", None).set_axis([7, 3])
    shifted = add_years(dates, 1)
    assert shifted.index.tolist() == [7, 3]
    assert shifted.iloc[0] == pd.Timestamp("2021-02-28")
    assert pd.isna(shifted.iloc[1])
    assert shifted.dtype == "datetime64[ns]"
