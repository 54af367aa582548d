"""The "+1 / +4 / +5" closed loop (analysis/resettlement.py): statuses, days, grades, reasons and the summary."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis.messages import TEMPLATES
from land_bureau_plugin.analysis.resettlement import (
    GRADES,
    MILESTONES,
    STATUSES,
    ResettlementRules,
    evaluate,
    placement,
    summarise,
)

EXPRO = "2020-03-01"  # due: start 2021-03-01, complete 2024-03-01, resettle 2025-03-01
START_DUE = pd.Timestamp("2021-03-01")


def project(expropriation=EXPRO, start=None, complete=None, resettle=None, **other) -> dict:
    row = {"expropriation_date": expropriation, "housing_start_date": start, "housing_complete_date": complete,
           "resettled_date": resettle}
    row.update(other)
    return row


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), dtype=object)


def grade_one(as_of, rules=None, **fields) -> pd.Series:
    """The result row of a single project."""
    return evaluate(frame(project(**fields)), as_of, rules or ResettlementRules()).iloc[0]


def days_before(date, days) -> pd.Timestamp:
    return pd.Timestamp(date) - pd.Timedelta(days=days)


def statuses(row) -> tuple:
    return tuple(row[f"{m}_status"] for m in MILESTONES)


def test_the_result_has_every_documented_column_on_the_callers_index():
    projects = frame(project(), project()).set_axis(["p1", "p2"])
    result = evaluate(projects, "2022-01-01")
    expected = [f"{m}_{part}" for m in MILESTONES for part in ("due", "status", "days")]
    assert list(result.columns) == expected + ["grade", "overdue_households", "reasons"]
    assert list(result.index) == ["p1", "p2"]
    assert set(result[[f"{m}_status" for m in MILESTONES]].stack()) <= set(STATUSES)
    assert set(result["grade"]) <= set(GRADES)


def test_a_repeated_index_label_is_kept_and_does_not_break_the_reasons():
    projects = frame(project(start="2021-01-01"), project()).set_axis([5, 5])
    result = evaluate(projects, "2021-06-01")
    assert list(result.index) == [5, 5]
    assert list(result["start_status"]) == ["on_time", "overdue"]
    assert result["reasons"].iloc[0] == ""
    assert "overdue" in result["reasons"].iloc[1]


@pytest.mark.parametrize("expropriation, dues", [
    ("2020-03-01", ("2021-03-01", "2024-03-01", "2025-03-01")),
    ("2020-02-29", ("2021-02-28", "2024-02-29", "2025-02-28")),
    ("2019-12-31", ("2020-12-31", "2023-12-31", "2024-12-31")),
    ("20200301", ("2021-03-01", "2024-03-01", "2025-03-01")),
    (43891, ("2021-03-01", "2024-03-01", "2025-03-01")),  # Excel serial of 2020-03-01
])
def test_deadlines_are_one_four_and_five_years_after_expropriation(expropriation, dues):
    row = grade_one("2020-06-01", expropriation=expropriation)
    assert tuple(row[f"{m}_due"] for m in MILESTONES) == tuple(pd.Timestamp(d) for d in dues)


def test_custom_offsets_move_every_deadline():
    rules = ResettlementRules(start_years=2, complete_years=5, resettle_years=6)
    row = grade_one("2020-06-01", rules)
    assert (row["start_due"], row["complete_due"], row["resettle_due"]) == (
        pd.Timestamp("2022-03-01"), pd.Timestamp("2025-03-01"), pd.Timestamp("2026-03-01"))


@pytest.mark.parametrize("as_of, status, days", [
    (days_before(START_DUE, 181), "pending", 181),
    (days_before(START_DUE, 180), "due_soon", 180),
    (days_before(START_DUE, 1), "due_soon", 1),
    (START_DUE, "due_soon", 0),
    (START_DUE + pd.Timedelta(days=1), "overdue", -1),
    (START_DUE + pd.Timedelta(days=365), "overdue", -365),
])
def test_an_open_milestone_counts_the_days_left_until_due(as_of, status, days):
    row = grade_one(as_of)
    assert (row["start_status"], row["start_days"]) == (status, days)


@pytest.mark.parametrize("done, status, days", [
    ("2020-03-01", "on_time", 365),
    ("2021-02-28", "on_time", 1),
    ("2021-03-01", "on_time", 0),
    (dt.datetime(2021, 3, 1, 17, 30), "on_time", 0),  # a QDateTime late in the due day is still the due day
    ("2021-03-02", "late", -1),
    ("2021-06-01", "late", -92),
])
def test_a_done_milestone_counts_its_margin_and_late_is_negative(done, status, days):
    row = grade_one("2022-01-01", start=done)
    assert (row["start_status"], row["start_days"]) == (status, days)


@pytest.mark.parametrize("as_of, done, status, days", [
    ("2021-02-28", None, "due_soon", 0),
    ("2021-03-01", None, "overdue", -1),
    ("2021-03-01", "2021-02-28", "on_time", 0),
    ("2021-03-01", "2021-03-01", "late", -1),
])
def test_a_29_february_expropriation_is_due_on_28_february(as_of, done, status, days):
    row = grade_one(as_of, expropriation="2020-02-29", start=done)
    assert (row["start_status"], row["start_days"]) == (status, days)


def test_the_due_day_is_worded_in_the_reasons():
    assert grade_one(START_DUE)["reasons"] == "housing start (+1) due in 0 day(s) (2021-03-01)"
    assert grade_one("2021-03-02")["reasons"] == "housing start (+1) overdue by 1 day(s) (due 2021-03-01)"


def test_a_late_milestone_stays_visible_but_does_not_make_the_project_red():
    row = grade_one("2022-03-01", start="2021-06-01")
    assert row["start_status"] == "late"
    assert row["grade"] == "green"
    assert row["reasons"] == "housing start (+1) done late on 2021-06-01 (due 2021-03-01)"


def test_a_fully_resettled_project_is_green_even_years_later():
    row = grade_one("2030-01-01", start="2021-01-01", complete="2023-06-01", resettle="2024-12-01")
    assert statuses(row) == ("on_time", "on_time", "on_time")
    assert (row["grade"], row["overdue_households"], row["reasons"]) == ("green", 0, "")


def test_an_expropriation_after_the_as_of_date_is_a_data_error_not_green_pending():
    # issue 12: 2099, 2200 and as-of + 1 day were graded green "pending" with no reason
    for as_of in ("2019-01-01", "2020-02-29"):  # long before, and the day before expropriation
        row = grade_one(as_of)
        assert statuses(row) == ("missing", "missing", "missing")
        assert row["grade"] == "grey" and pd.isna(row["start_days"])
        assert f"expropriation date 2020-03-01 is after the as-of date {as_of}" in row["reasons"]


def test_an_expropriation_on_the_as_of_date_itself_is_pending():
    row = grade_one(EXPRO)
    assert statuses(row) == ("pending", "pending", "pending")
    assert row["start_days"] == (START_DUE - pd.Timestamp(EXPRO)).days and row["grade"] == "green"
    assert row["reasons"] == ""


def test_a_time_of_day_in_the_as_of_date_is_ignored():
    assert grade_one(pd.Timestamp("2021-03-01 18:00"))["start_status"] == "due_soon"


@pytest.mark.parametrize("days_left, grade", [
    (181, "green"),
    (180, "yellow"),
    (91, "yellow"),
    (90, "orange"),
    (0, "orange"),
    (-1, "red"),
])
def test_the_grade_follows_the_nearest_open_deadline(days_left, grade):
    assert grade_one(days_before(START_DUE, days_left))["grade"] == grade


@pytest.mark.parametrize("days_left, grade", [(31, "green"), (30, "yellow"), (11, "yellow"), (10, "orange")])
def test_custom_warning_windows_move_the_grade_boundaries(days_left, grade):
    rules = ResettlementRules(yellow_days=30, orange_days=10)
    row = grade_one(days_before(START_DUE, days_left), rules)
    assert row["grade"] == grade
    assert row["start_status"] == ("pending" if days_left > 30 else "due_soon")


def test_the_grade_uses_the_worst_open_milestone_not_the_first():
    # start is done; completion is due in 60 days although resettlement is far off
    row = grade_one(days_before("2024-03-01", 60), start="2021-01-01")
    assert row["grade"] == "orange"
    assert row["complete_days"] == 60


@pytest.mark.parametrize("days_left, grade", [(300, "grey"), (150, "yellow"), (60, "orange"), (-10, "red")])
def test_missing_data_ranks_below_every_warning_but_above_green(days_left, grade):
    row = grade_one(days_before(START_DUE, days_left), complete="not yet")
    assert row["complete_status"] == "missing"
    assert row["grade"] == grade


@pytest.mark.parametrize("value, reason", [
    (None, "expropriation date missing"),
    ("", "expropriation date missing"),
    ("无", "expropriation date missing"),  # a placeholder: no value
    ("2020-02-30", "expropriation_date is not a date: 2020-02-30"),
    ("soon", "expropriation_date is not a date: soon"),
])
def test_without_a_readable_expropriation_date_nothing_can_be_graded(value, reason):
    row = grade_one("2024-01-01", expropriation=value)
    assert statuses(row) == ("missing", "missing", "missing")
    assert pd.isna(row["start_due"]) and pd.isna(row["start_days"])
    assert (row["grade"], row["reasons"]) == ("grey", reason)


@pytest.mark.parametrize("placeholder", ["无", "-", "/", "—", "尚无资料", "N/A"])
def test_a_placeholder_in_a_done_date_is_not_done_yet(placeholder):
    """安置房开工日期 "无" says the housing has not started: overdue and red as with an empty cell — read as an
    unreadable date the project was grey, out of the red counts."""
    empty = grade_one("2024-01-01")
    written = grade_one("2024-01-01", start=placeholder, complete=placeholder, resettle=placeholder)
    assert (empty["start_status"], empty["grade"]) == ("overdue", "red")
    assert written.drop("reasons").equals(empty.drop("reasons")) and written["reasons"] == empty["reasons"]


@pytest.mark.parametrize("written, counted", [("12", 12), ("12 戶", 12), ("120户", 120), ("12.0", 12), ("12.5", None),
                                              ("2.5", None), ("0.5", None), ("2,5", None)])
def test_households_are_a_whole_count(written, counted):
    """12.5 households is a typing error, named — it was rounded half to even (2.5 → 2, 0.5 → 0) without a word."""
    row = grade_one("2026-01-01", expropriation="2020-03-01", households=written)
    if counted is None:
        assert pd.isna(row["overdue_households"]) and f"households value is not valid: {written}" in row["reasons"]
    else:
        assert row["overdue_households"] == counted and "households value" not in row["reasons"]


def test_field_labels_name_the_field_in_the_users_words():
    projects = frame(project(expropriation="2020-13-01"))
    result = evaluate(projects, "2024-01-01", field_labels={"expropriation_date": "征迁日期"})
    assert result["reasons"].iloc[0] == "征迁日期 is not a date: 2020-13-01"


@pytest.mark.parametrize("fields, milestone, reason", [
    ({"start": "next week"}, "start", "housing_start_date is not a date: next week"),
    ({"start": "2024-05-01"}, "start", "housing start (+1) date 2024-05-01 is after the as-of date"),
    ({"start": "2019-12-31"}, "start", "housing start (+1) date 2019-12-31 is before expropriation"),
    ({"start": "2021-05-01", "complete": "2021-04-01"}, "complete",
     "housing completion (+4) date 2021-04-01 is before the previous milestone"),
    ({"complete": "2023-01-01"}, "start", "housing start (+1) has no date although a later milestone is done"),
])
def test_an_impossible_milestone_date_is_missing_data_with_its_reason(fields, milestone, reason):
    row = grade_one("2024-03-01", **fields)
    assert row[f"{milestone}_status"] == "missing"
    assert pd.isna(row[f"{milestone}_days"])
    assert reason in row["reasons"].split("; ")


def test_a_data_error_in_one_milestone_does_not_hide_the_others():
    row = grade_one("2024-03-01", complete="2023-01-01")
    assert statuses(row) == ("missing", "on_time", "pending")
    assert row["grade"] == "grey"  # resettlement is due in 366 days: beyond the yellow window


def test_reasons_of_one_project_are_joined_in_milestone_order():
    row = grade_one("2024-06-01", start="2021-05-01")
    assert row["reasons"] == ("housing start (+1) done late on 2021-05-01 (due 2021-03-01); "
                              "housing completion (+4) overdue by 92 day(s) (due 2024-03-01)")


def test_translated_templates_appear_in_the_reasons():
    chinese = dict(TEMPLATES, milestone_start="安置房开工（+1）", milestone_complete="安置房竣工（+4）",
                   overdue="{milestone}超期{days}天（应于{due}）", late="{milestone}于{done}逾期完成（应于{due}）",
                   separator="；")
    result = evaluate(frame(project(start="2021-05-01")), "2024-06-01", templates=chinese)
    assert result["reasons"].iloc[0] == ("安置房开工（+1）于2021-05-01逾期完成（应于2021-03-01）；"
                                         "安置房竣工（+4）超期92天（应于2024-03-01）")


def test_a_partial_translation_falls_back_to_english_for_the_rest():
    result = evaluate(frame(project(start="2021-05-01")), "2024-06-01", templates={"milestone_start": "开工"})
    assert result["reasons"].iloc[0].startswith("开工 done late on 2021-05-01")


def test_missing_columns_count_as_empty():
    result = evaluate(pd.DataFrame({"expropriation_date": ["2020-03-01"]}), "2021-03-02")
    assert statuses(result.iloc[0]) == ("overdue", "pending", "pending")
    assert result["overdue_households"].iloc[0] == 0  # only the start is overdue: nobody in transition yet


@pytest.mark.parametrize("households, counted", [(12, 12), ("12", 12), (12.0, 12), (np.int64(7), 7), (0, 0)])
def test_households_of_an_overdue_resettlement_are_in_overdue_transition(households, counted):
    row = grade_one("2025-03-02", start="2021-01-01", complete="2024-01-01", households=households)
    assert row["resettle_status"] == "overdue"
    assert row["overdue_households"] == counted
    assert (f"{counted} household(s) in overdue transition" in row["reasons"]) == (counted > 0)


@pytest.mark.parametrize("fields", [
    {"as_of": "2025-03-01", "start": "2021-01-01", "complete": "2024-01-01"},  # resettlement due today
    {"as_of": "2025-06-01", "start": "2021-01-01", "complete": "2024-01-01", "resettle": "2025-04-01"},  # done late
    {"as_of": "2024-06-01", "start": "2021-01-01"},  # only completion is overdue
])
def test_households_are_not_in_overdue_transition_unless_resettlement_is_overdue(fields):
    row = grade_one(households=30, **fields)
    assert row["overdue_households"] == 0
    assert "households" not in row["reasons"]


@pytest.mark.parametrize("households", [-3, "-3", "abc", "十二", np.inf, "inf", 1e30])
def test_an_invalid_household_count_is_reported_and_not_counted(households):
    row = grade_one("2026-01-01", start="2021-01-01", complete="2024-01-01", households=households)
    assert pd.isna(row["overdue_households"])  # unknown (NULL), not 0: the printed sums name it
    assert f"households value is not valid: {households}" in row["reasons"]


@pytest.mark.parametrize("households", ["", "  ", None, np.nan])
def test_an_empty_household_count_is_not_an_error_but_an_overdue_project_says_it_is_unknown(households):
    row = grade_one("2026-01-01", start="2021-01-01", complete="2024-01-01", households=households)
    assert row["resettle_status"] == "overdue" and pd.isna(row["overdue_households"])
    assert "not valid" not in row["reasons"]
    assert "number of households is not known" in row["reasons"]


@pytest.mark.parametrize("households", [-3, "abc"])
def test_an_invalid_count_of_an_overdue_project_is_also_unknown_households(households):
    row = grade_one("2026-01-01", start="2021-01-01", complete="2024-01-01", households=households)
    assert "number of households is not known" in row["reasons"]


def test_households_of_a_project_on_time_are_not_asked_for():
    row = grade_one("2022-01-01", start="2021-01-01", households=None)
    assert row["resettle_status"] != "overdue"
    assert "households" not in row["reasons"]


def test_a_project_id_used_twice_is_reported_on_both_projects():
    ids = ["XM-1", "XM-2", "XM-1", "XM-2 ", None, None, "", ""]
    projects = frame(*[project(project_id=i) for i in ids])
    reasons = evaluate(projects, "2020-06-01")["reasons"]
    assert list(reasons) == [
        "project id XM-1 appears more than once", "project id XM-2 appears more than once",
        "project id XM-1 appears more than once", "project id XM-2  appears more than once", "", "", "", ""]


def test_many_projects_are_graded_independently():
    projects = frame(
        project(),
        project(start="2021-01-01"),
        project(expropriation="2022-03-01"),
        project(expropriation=None),
        project(start="2020-05-01", complete="2020-10-01", resettle="2021-02-01"))
    assert list(evaluate(projects, "2021-03-02")["grade"]) == ["red", "green", "grey", "grey", "green"]
    assert list(evaluate(projects, "2021-03-02")["start_status"]) == [
        "overdue", "on_time", "missing", "missing", "on_time"]


def test_evaluate_leaves_the_input_untouched():
    projects = frame(project(start=dt.date(2021, 1, 1), households="12", project_id="A"),
                     project(expropriation="bad", households=-1, project_id="A")).set_axis([3, 8])
    before = projects.copy(deep=True)
    evaluate(projects, "2026-01-01")
    pd.testing.assert_frame_equal(projects, before)


def test_a_hundred_thousand_projects_are_graded():
    n = 100_000
    rng = np.random.default_rng(7)
    expro = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    forms = np.array([d.strftime("%Y-%m-%d") for d in expro[:1000]] * (n // 1000), dtype=object)
    projects = pd.DataFrame({
        "project_id": [f"XM{i:06d}" for i in range(n)],
        "expropriation_date": forms,
        "housing_start_date": np.where(rng.random(n) < 0.5, None, "2020-06-01"),
        "households": rng.integers(0, 500, n),
    })
    result = evaluate(projects, "2024-03-01")
    assert len(result) == n
    assert result["grade"].isin(GRADES).all()
    assert summarise(result)["projects"] == n


def test_summarise_counts_every_grade_including_zeros():
    result = evaluate(frame(project(), project(households=8), project(expropriation=None)), "2026-01-01")
    summary = summarise(result)
    assert summary == {"projects": 3, "per_grade": {"green": 0, "yellow": 0, "orange": 0, "red": 2, "grey": 1},
                       "overdue_households": 8, "overdue_households_unknown": 1}  # the first: households not given
    assert list(summary["per_grade"]) == list(GRADES)


def test_summarise_per_district_puts_projects_without_a_district_under_a_dash():
    projects = frame(project(), project(expropriation="2025-01-01"), project(), project(expropriation=None))
    result = evaluate(projects, "2021-06-01")
    summary = summarise(result, pd.Series(["西湖区", "西湖区", None, "上城区"]))
    assert summary["per_district"] == {
        "上城区": {"green": 0, "yellow": 0, "orange": 0, "red": 0, "grey": 1},
        "西湖区": {"green": 0, "yellow": 0, "orange": 0, "red": 1, "grey": 1},  # 2025: after the as-of date
        "—": {"green": 0, "yellow": 0, "orange": 0, "red": 1, "grey": 0}}


def test_summarise_of_no_projects_is_all_zeros():
    summary = summarise(evaluate(frame(project()).iloc[:0], "2024-01-01"))
    assert summary == {"projects": 0, "per_grade": dict.fromkeys(GRADES, 0), "overdue_households": 0,
                       "overdue_households_unknown": 0}


@pytest.mark.parametrize("rules, key", [
    (ResettlementRules(), None),
    (ResettlementRules(start_years=-1), "start_years"),
    (ResettlementRules(complete_years=0), "complete_years"),
    (ResettlementRules(resettle_years=3), "complete_years"),
    (ResettlementRules(orange_days=200), "orange_days"),
    (ResettlementRules(yellow_days=-5, orange_days=-10), "yellow_days"),
])
def test_rules_that_make_the_grading_meaningless_are_reported(rules, key):
    problems = rules.validate()
    assert (problems[0][0] if problems else None) == key


def test_placement_links_projects_to_plots_by_id_or_by_geometry():
    project_plots = pd.Series(["AZ-1", " AZ-2 ", "AZ-9", None, "AZ-9"], index=[10, 11, 12, 13, 14])
    spatial_hit = pd.Series([False, False, False, False, True], index=[10, 11, 12, 13, 14])
    assert list(placement(project_plots, ["AZ-1", "AZ-2", None, ""])) == [True, True, False, False, False]
    assert list(placement(project_plots, ["AZ-1", "AZ-2"], spatial_hit)) == [True, True, False, False, True]
