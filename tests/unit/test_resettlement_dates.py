"""Resettlement dates that cannot carry a deadline are data errors with their reason, never green and never a
traceback (issue 12, class 5): future expropriation, a bare year, years out of range, implausible serials, an
as-of date out of range, offsets of a century."""
import pandas as pd
import pytest

from land_bureau_plugin.analysis.resettlement import MILESTONES, ResettlementRules, evaluate
from land_bureau_plugin.errors import InputError


def grade(as_of="2025-07-01", rules=None, **values):
    row = {"expropriation_date": "2020-03-01", "households": 10, **values}
    return evaluate(pd.DataFrame([row], dtype=object), as_of, rules or ResettlementRules()).iloc[0]


def statuses(row):
    return tuple(row[f"{m}_status"] for m in MILESTONES)


@pytest.mark.parametrize("value", ["2024", 2024, "2024年", "2024-03", "202403"])
def test_an_expropriation_year_alone_is_imprecise_not_1905(value):
    row = grade(expropriation_date=value)
    assert row["grade"] == "grey" and statuses(row) == ("missing",) * 3
    assert row["start_due"] is pd.NaT or pd.isna(row["start_due"])
    assert f"expropriation_date is not a full date (a year or month without the day): {value}" in row["reasons"]
    assert "overdue" not in row["reasons"] and row["overdue_households"] == 0


@pytest.mark.parametrize("value", ["2257-01-01", "2262-04-11", "2262-12-31", "1850-01-01", "99991231"])
def test_an_expropriation_year_out_of_range_is_a_data_error(value):
    row = grade(expropriation_date=value)
    assert row["grade"] == "grey"
    assert f"expropriation_date lies outside the years 1900–2150: {value}" in row["reasons"]


@pytest.mark.parametrize("value", ["2099-01-01", "2150-12-31", "2025-07-02"])
def test_an_expropriation_after_the_as_of_date_is_a_data_error(value):
    row = grade(expropriation_date=value)
    assert row["grade"] == "grey" and statuses(row) == ("missing",) * 3
    assert f"expropriation date {value} is after the as-of date 2025-07-01" in row["reasons"]


def test_the_as_of_date_itself_is_not_after_it():
    row = grade(expropriation_date="2025-07-01")
    assert row["grade"] == "green" and row["reasons"] == ""


@pytest.mark.parametrize("value", [1, 60, 18263, 99999])
def test_an_integer_outside_the_plausible_excel_years_is_not_a_date(value):
    row = grade(expropriation_date=value)
    assert row["grade"] == "grey" and f"expropriation_date is not a date: {value}" in row["reasons"]


def test_a_plausible_excel_serial_is_still_read():
    row = grade(expropriation_date=43891)  # 2020-03-01
    assert row["start_due"] == pd.Timestamp("2021-03-01")


def test_an_imprecise_milestone_date_makes_that_milestone_a_data_error():
    row = grade(as_of="2021-01-01", housing_start_date="2020-12")
    assert row["start_status"] == "missing" and row["grade"] == "grey"
    assert "housing_start_date is not a full date (a year or month without the day): 2020-12" in row["reasons"]


def test_the_field_the_user_knows_names_the_date():
    result = evaluate(pd.DataFrame([{"expropriation_date": "2024"}], dtype=object), "2025-07-01",
                      field_labels={"expropriation_date": "征迁日期"})
    assert result["reasons"].iloc[0] == "征迁日期 is not a full date (a year or month without the day): 2024"


@pytest.mark.parametrize("as_of", ["2300-01-01", "1800-01-01", "2151-01-01"])
def test_an_as_of_date_out_of_range_is_a_clear_error(as_of):
    with pytest.raises(InputError, match=f"the as-of date {as_of} lies outside the years 1900–2150"):
        grade(as_of=as_of)


def test_the_longest_offset_from_the_last_date_stays_in_the_calendar():
    rules = ResettlementRules(start_years=100, complete_years=100, resettle_years=100)
    row = grade(as_of="2150-12-31", rules=rules, expropriation_date="2150-12-31")
    assert row["resettle_due"] == pd.Timestamp("2250-12-31") and row["grade"] == "green"
