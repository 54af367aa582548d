"""Dates that must not become a deadline (analysis/dates.py): a year or month without its day, a year out of range,
an integer that is not a plausible Excel serial — each with its cause, none a traceback."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis.dates import (
    IMPRECISE,
    NOT_A_DATE,
    OK,
    OUT_OF_RANGE,
    add_years,
    parse_dates_explained,
)
from land_bureau_plugin.errors import InputError


def cause_of(value):
    dates, cause = parse_dates_explained(pd.Series([value], dtype=object))
    return dates.iloc[0], cause.iloc[0]


@pytest.mark.parametrize("value", ["2024", 2024, 2024.0, " 2024 ", "2024年", "２０２４", "2024-03", "2024/3", "2024.03",
                                   "2024年3月", "2024年03月", "202403", 202403, "1900", "2150"], ids=repr)
def test_a_year_or_a_month_alone_is_imprecise_not_an_excel_serial(value):
    date, cause = cause_of(value)
    assert pd.isna(date) and cause == IMPRECISE


@pytest.mark.parametrize("value", ["1899", "2151", "2024-13", "202413", "2024-00"], ids=repr)
def test_a_year_or_month_outside_its_range_is_not_a_date(value):
    date, cause = cause_of(value)
    assert pd.isna(date) and cause == NOT_A_DATE


@pytest.mark.parametrize("value", ["2257-01-01", "2262-04-11", "22570101", "2300年1月1日", "1899-12-31",
                                   dt.date(2257, 1, 1), dt.datetime(2262, 4, 11), dt.date(9999, 12, 31),
                                   dt.date(1000, 1, 1), np.datetime64("2300-01-01"), pd.Timestamp("2200-01-01")],
                         ids=repr)
def test_a_year_outside_1900_to_2150_is_out_of_range(value):
    date, cause = cause_of(value)
    assert pd.isna(date) and cause == OUT_OF_RANGE


@pytest.mark.parametrize("value, expected", [("1900-01-01", "1900-01-01"), ("2150-12-31", "2150-12-31"),
                                             (dt.date(2150, 12, 31), "2150-12-31")], ids=repr)
def test_the_ends_of_the_range_are_dates(value, expected):
    assert cause_of(value) == (pd.Timestamp(expected), OK)


@pytest.mark.parametrize("serial", [1, 59, 60, 61, 10000, 18263, 91678, 99999], ids=repr)
def test_an_integer_outside_the_plausible_serial_years_is_not_a_date(serial):
    date, cause = cause_of(serial)
    assert pd.isna(date) and cause == NOT_A_DATE


def test_a_datetime64_column_out_of_range_is_flagged_per_row():
    column = pd.Series(pd.to_datetime(["2024-03-01", "2200-01-01", None]))
    dates, cause = parse_dates_explained(column)
    assert dates.iloc[0] == pd.Timestamp("2024-03-01") and dates.iloc[1:].isna().all()
    assert cause.tolist() == [OK, OUT_OF_RANGE, OK]


@pytest.mark.parametrize("value", ["无", " 無 ", "—", "-", "--", "/", "／", "尚无资料", "尚無資料", "N/A", "null",
                                   "NONE", "空"], ids=repr)
def test_a_placeholder_is_an_empty_value_not_an_unreadable_date(value):
    """In a done date "无" says not done yet: read as unreadable, an overdue project went grey."""
    date, cause = cause_of(value)
    assert pd.isna(date) and cause == OK


@pytest.mark.parametrize("value", ["无日期", "-2024-03-01", "2024-03-01-", "待定"], ids=repr)
def test_a_text_merely_holding_a_placeholder_is_not_a_date(value):
    date, cause = cause_of(value)
    assert pd.isna(date) and cause == NOT_A_DATE


def test_a_mixed_column_gets_one_cause_per_row():
    values = ["2024-03-01", "2024", "2257-01-01", "abc", None, 45352]
    dates, cause = parse_dates_explained(values)
    assert cause.tolist() == [OK, IMPRECISE, OUT_OF_RANGE, NOT_A_DATE, OK, OK]
    assert dates.iloc[5] == pd.Timestamp("2024-03-01")


def test_adding_years_beyond_the_calendar_is_a_clear_error_not_an_overflow():
    dates = pd.Series(pd.to_datetime(["2200-01-01"]))
    with pytest.raises(InputError, match="beyond the supported calendar"):
        add_years(dates, 100)
    assert add_years(dates, 62).iloc[0] == pd.Timestamp("2262-01-01")
