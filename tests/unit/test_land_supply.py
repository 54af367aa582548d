"""Supplied parcels under the 闲置土地 rules (analysis/land_supply.py): each deadline the day before, on and after it;
stopped work at, just under and just over each share; government delays; bad dates are reasons, never guesses.

Expected dates are written out by hand from the calendar (not computed with the code's own add_years): an agreed
start of 2023-03-01 has its first idle day on 2024-03-02 and its first reclaim day on 2025-03-02; one of 2024-02-29
ends its year on 2025-02-28 (no 29 Feb), so idle from 2025-03-01.
"""
import pandas as pd
import pytest

from land_bureau_plugin.analysis.deadlines import GRADES
from land_bureau_plugin.analysis.land_supply import RESULT_COLUMNS, evaluate, summarise
from land_bureau_plugin.analysis.land_supply_rules import LandSupplyRules
from land_bureau_plugin.analysis.land_supply_text import STATUSES
from land_bureau_plugin.rules.profile import load_profile, section

AGREED = "2023-03-01"


def judge(as_of, rules=None, windows=None, **fields) -> pd.Series:
    row = {"parcel_id": "P1", "agreed_start_date": AGREED, **fields}
    return evaluate(pd.DataFrame([row], dtype=object), as_of, rules or LandSupplyRules(), windows).iloc[0]


def test_the_result_has_every_documented_column_on_the_callers_index():
    frame = pd.DataFrame([{"agreed_start_date": AGREED}, {"agreed_start_date": "x"}], dtype=object,
                         index=[10, 10])
    result = evaluate(frame, "2024-01-01")
    assert list(result.columns) == list(RESULT_COLUMNS)
    assert list(result.index) == [10, 10]
    assert set(result["supply_status"]) <= set(STATUSES) and set(result["grade"]) <= set(GRADES)


@pytest.mark.parametrize("as_of, status, grade, deadline, due, days_left, idle_days", [
    ("2022-08-31", "on_time", "green", "start", "2023-03-01", 182, None),
    ("2022-09-01", "on_time", "green", "start", "2023-03-01", 181, None),  # one day outside the yellow window
    ("2022-09-02", "due_soon", "yellow", "start", "2023-03-01", 180, None),  # 180 days left: on the window
    ("2022-11-30", "due_soon", "yellow", "start", "2023-03-01", 91, None),
    ("2022-12-01", "due_soon", "orange", "start", "2023-03-01", 90, None),  # 90 days: on the orange window
    ("2023-02-28", "due_soon", "orange", "start", "2023-03-01", 1, None),
    ("2023-03-01", "due_soon", "orange", "start", "2023-03-01", 0, None),  # the agreed start itself: not passed
    ("2023-03-02", "unused", "red", "idle", "2024-03-01", 365, 1),  # 供而未用 from the day after
    ("2024-03-01", "unused", "red", "idle", "2024-03-01", 0, 366),  # the last day of the year (2024 is leap)
    ("2024-03-02", "idle", "red", "reclaim", "2025-03-01", 364, 367),  # a full year: idle
    ("2025-03-01", "idle", "red", "reclaim", "2025-03-01", 0, 731),
    ("2025-03-02", "reclaim", "red", "reclaim", "2025-03-01", -1, 732),  # two full years: taken back
])
def test_a_parcel_not_started_at_each_deadline(as_of, status, grade, deadline, due, days_left, idle_days):
    row = judge(as_of)
    assert row["supply_status"] == status and row["grade"] == grade
    assert row["next_deadline"] == deadline and row["next_due"] == pd.Timestamp(due)
    assert row["days_left"] == days_left
    assert (pd.isna(row["idle_days"]) if idle_days is None else row["idle_days"] == idle_days)


@pytest.mark.parametrize("as_of, status", [
    ("2024-02-29", "due_soon"), ("2024-03-01", "unused"),
    ("2025-02-28", "unused"), ("2025-03-01", "idle"),  # 2024-02-29 + 1 year ends on 28 Feb
    ("2026-02-28", "idle"), ("2026-03-01", "reclaim"),
])
def test_a_leap_day_start_ends_its_years_on_28_february(as_of, status):
    assert judge(as_of, agreed_start_date="2024-02-29")["supply_status"] == status


@pytest.mark.parametrize("price, fee", [("1234.5", 246.9), (500, 100.0), ("1,000", 200.0)])
def test_the_idle_fee_is_a_fifth_of_the_land_price(price, fee):
    row = judge("2024-03-02", land_price=price)
    assert row["idle_fee"] == pytest.approx(fee, abs=1e-9)
    assert "idle fee 20%" in row["reasons"] and "第十四条第（一）项" in row["reasons"]


def test_no_fee_before_idle_and_an_unknown_price_is_said_not_zero():
    assert judge("2024-03-01", land_price=500)["idle_fee"] == 0  # still unused
    row = judge("2024-03-02")
    assert pd.isna(row["idle_fee"]) and "land price unknown" in row["reasons"]
    reclaim = judge("2025-03-02", land_price=500)
    assert reclaim["idle_fee"] == 100 and "taken back without compensation" in reclaim["reasons"]


@pytest.mark.parametrize("fields", [
    {"start_date": "2030-01-01"},  # an actual start after the as-of date: a data error
    {"agreed_start_date": "2023"},  # imprecise
    {"start_date": "2023-04-01", "stopped_date": "2023-05-01", "developed_area": 9000, "area_m2": 10_000},
])  # the last: stopped, 90 % developed, investment unknown — idle cannot be ruled out
def test_a_data_error_leaves_the_fee_and_idle_days_unknown_never_zero(fields):
    row = judge("2026-06-30", land_price=500, **fields)  # long past every deadline of the agreed start
    assert row["supply_status"] == "missing", row["reasons"]
    assert pd.isna(row["idle_fee"]) and pd.isna(row["idle_days"]) and pd.isna(row["days_left"])


def test_a_custom_fee_and_custom_years_move_the_rules():
    rules = LandSupplyRules(idle_years=2, reclaim_years=3, idle_fee_share=0.1)
    assert judge("2025-03-01", rules, land_price=100)["supply_status"] == "unused"
    row = judge("2025-03-02", rules, land_price=100)
    assert row["supply_status"] == "idle" and row["idle_fee"] == pytest.approx(10)
    assert judge("2026-03-02", rules)["supply_status"] == "reclaim"


STOPPED = dict(start_date="2023-02-01", stopped_date="2023-06-15", area_m2=3000, planned_investment=100)


@pytest.mark.parametrize("developed, invested, low", [
    (1000, 50, False),  # exactly one third: not under it
    (999.9, 50, True),
    (1000.1, 50, False),
    (2000, 25, False),  # exactly 25 %
    (2000, 24.99, True),
    (2000, 25.01, False),
    (500, 10, True),  # both under
])
def test_stopped_work_is_idle_when_a_share_is_under_its_threshold(developed, invested, low):
    row = judge("2024-06-16", developed_area=developed, completed_investment=invested, **STOPPED)
    assert row["supply_status"] == ("idle" if low else "on_time")
    assert ("reach the thresholds: not idle" in row["reasons"]) is not low
    assert row["developed_share"] == pytest.approx(developed / 3000)
    assert row["investment_share"] == pytest.approx(invested / 100)


@pytest.mark.parametrize("as_of, status, idle_days", [
    ("2023-12-17", "on_time", None),  # 181 days before the year after the stop is full: outside the window
    ("2023-12-18", "due_soon", None),  # 180 days
    ("2024-06-15", "due_soon", None),  # the last day of the year after the stop
    ("2024-06-16", "idle", 367),
    ("2025-06-15", "idle", 731),
    ("2025-06-16", "reclaim", 732),
])
def test_stopped_work_counts_its_years_from_the_stop(as_of, status, idle_days):
    row = judge(as_of, developed_area=500, completed_investment=10, **STOPPED)
    assert row["supply_status"] == status
    assert (pd.isna(row["idle_days"]) if idle_days is None else row["idle_days"] == idle_days)


def test_stopped_work_far_from_its_year_is_on_time_towards_idle():
    row = judge("2023-07-01", developed_area=500, completed_investment=10, **STOPPED)
    assert row["supply_status"] == "on_time" and row["next_deadline"] == "idle"
    assert row["next_due"] == pd.Timestamp("2024-06-15") and "unless work resumes" in row["reasons"]


def test_stopped_work_with_an_unknown_share_that_could_be_under_is_not_judged():
    row = judge("2024-06-16", developed_area=2000, **STOPPED)  # developed fine, investment unknown
    assert row["supply_status"] == "missing" and row["grade"] == "grey"
    assert "investment share is not known" in row["reasons"]
    assert judge("2024-06-16", developed_area=500, **STOPPED)["supply_status"] == "idle"  # one known share suffices


def test_the_parcel_geometry_gives_the_area_when_there_is_no_area_field():
    frame = pd.DataFrame([{"agreed_start_date": AGREED, "start_date": "2023-02-01", "stopped_date": "2023-06-15",
                           "developed_area": 999, "completed_investment": 90, "planned_investment": 100}],
                         dtype=object)
    assert evaluate(frame, "2024-06-16", areas=[3000.0]).iloc[0]["supply_status"] == "idle"
    assert evaluate(frame, "2024-06-16", areas=[2997.0]).iloc[0]["supply_status"] == "on_time"


@pytest.mark.parametrize("flag, status, fee", [("是", "government_delay", 0), ("1", "government_delay", 0),
                                                ("政府原因", "government_delay", 0), ("否", "idle", 200),
                                                ("企业原因", "idle", 200), (None, "idle", 200)])
def test_a_government_caused_delay_pays_no_fee_and_is_not_taken_back(flag, status, fee):
    row = judge("2024-03-02", land_price=1000, government_delay=flag, delay_reason="规划调整")
    assert row["supply_status"] == status and row["idle_fee"] == fee
    if status == "government_delay":
        assert "规划调整" in row["reasons"] and "第八条" in row["reasons"] and row["grade"] == "red"


def test_a_government_delay_without_a_cause_says_so_and_the_profile_can_refuse_the_exemption():
    row = judge("2025-03-02", government_delay="是")
    assert row["supply_status"] == "government_delay" and "no cause recorded" in row["reasons"]
    strict = judge("2025-03-02", LandSupplyRules(exempt_government_delay=False), government_delay="是")
    assert strict["supply_status"] == "reclaim" and "does not exempt" in strict["reasons"]
    on_time = judge("2022-01-01", government_delay="是")
    assert on_time["supply_status"] == "on_time"  # nothing to exempt yet


def test_completed_parcels_are_done_and_late_completion_is_named():
    row = judge("2026-01-01", start_date="2023-02-01", complete_date="2025-06-01", agreed_complete_date="2025-05-01")
    assert row["supply_status"] == "completed" and row["grade"] == "green" and pd.isna(row["next_due"])
    assert "31 day(s) after the agreed completion 2025-05-01" in row["reasons"]


@pytest.mark.parametrize("as_of, grade, reason", [
    ("2024-07-04", "green", ""), ("2024-07-05", "yellow", "completion due in 180 day(s)"),
    ("2024-10-03", "orange", "completion due in 90 day(s)"), ("2025-01-01", "orange", "completion due in 0 day(s)"),
    ("2025-01-02", "red", "completion overdue by 1 day(s)"),
])
def test_a_started_parcel_is_graded_on_its_agreed_completion(as_of, grade, reason):
    row = judge(as_of, start_date="2023-02-01", agreed_complete_date="2025-01-01")
    assert row["supply_status"] == "on_time" and row["grade"] == grade and reason in row["reasons"]


@pytest.mark.parametrize("fields, phrase", [
    ({"agreed_start_date": None}, "agreed_start_date missing"),
    ({"agreed_start_date": "—"}, "agreed_start_date missing"),  # a placeholder: no value, as an empty cell
    ({"agreed_start_date": "2023"}, "not a full date"),
    ({"agreed_start_date": "2023年3月"}, "not a full date"),
    ({"agreed_start_date": "待定"}, "is not a date"),
    ({"agreed_start_date": "2301-01-01"}, "lies outside the years"),
    ({"start_date": "2024-07-01"}, "is after the as-of date"),
    ({"supply_date": "2024-07-01"}, "is after the as-of date"),
    ({"start_date": "2022-01-01", "supply_date": "2022-06-01"}, "start_date 2022-01-01 is before supply_date"),
    ({"supply_date": "2023-06-01"}, "agreed_start_date 2023-03-01 is before supply_date"),
    ({"complete_date": "2024-01-01"}, "is given but the start date is not"),
    ({"start_date": "2023-05-01", "complete_date": "2023-04-01"}, "complete_date 2023-04-01 is before start_date"),
    ({"start_date": "2023-05-01", "developed_area": 5000, "area_m2": 3000, "stopped_date": "2023-06-01"},
     "exceeds the parcel area"),
])
def test_bad_dates_and_values_are_reasons_not_guesses(fields, phrase):
    row = judge("2024-06-30", **fields)
    assert row["supply_status"] == "missing" and row["grade"] == "grey", row["reasons"]
    assert phrase in row["reasons"]
    # a data error leaves the status open: no figure of it is a number, the fee is unknown, never 0
    for name in ("next_due", "days_left", "idle_days", "idle_fee"):
        assert pd.isna(row[name]), (name, row[name])


@pytest.mark.parametrize("placeholder", ["无", "-", "/", "—", "尚无资料", " N/A "])
def test_a_placeholder_in_a_done_date_is_not_done_yet(placeholder):
    """实际开工时间 "无" says the parcel has not started: idle as with an empty cell — read as an unreadable date it
    was a grey data error, out of the idle counts and the idle fee."""
    empty = judge("2024-06-30", start_date=None)
    written = judge("2024-06-30", start_date=placeholder)
    assert empty["supply_status"] == "idle"
    for name in ("supply_status", "grade", "idle_days", "next_due", "reasons"):
        assert written[name] == empty[name], (name, written[name], empty[name])


def test_a_completed_parcel_needs_no_agreed_start():
    row = judge("2024-06-30", agreed_start_date=None, start_date="2023-01-01", complete_date="2024-01-01")
    assert row["supply_status"] == "completed"


def test_dates_in_every_bureau_form_are_read():
    for written in ("2023/3/1", "20230301", "2023年3月1日", 44986, "2023.3.1"):
        assert judge("2023-03-02", agreed_start_date=written)["supply_status"] == "unused", written


def test_repeated_ids_and_missing_geometry_are_named():
    frame = pd.DataFrame([{"parcel_id": "X", "agreed_start_date": AGREED}] * 2, dtype=object)
    result = evaluate(frame, "2023-01-01", no_geometry=[True, False])
    assert all("appears more than once" in text for text in result["reasons"])
    assert "no usable geometry" in result["reasons"].iloc[0] and "geometry" not in result["reasons"].iloc[1]


def test_warning_windows_come_from_the_caller():
    assert judge("2023-01-01", windows={"yellow": 30, "orange": 10})["supply_status"] == "on_time"  # 59 days
    assert judge("2023-02-01", windows={"yellow": 30, "orange": 10})["grade"] == "yellow"  # 28 days


def test_the_summary_counts_every_status_and_the_idle_area_and_fee():
    frame = pd.DataFrame([
        {"agreed_start_date": "2020-01-01", "area_m2": 2000, "land_price": 100, "district": "A"},  # reclaim
        {"agreed_start_date": "2023-01-01", "area_m2": 1000, "land_price": 50, "district": "A"},  # idle
        {"agreed_start_date": "2024-01-01", "area_m2": 700, "district": "B"},  # unused
        {"agreed_start_date": "2023-01-01", "area_m2": 300, "district": "B"},  # idle, price unknown
        {"agreed_start_date": None, "district": "B"},
    ], dtype=object)
    result = evaluate(frame, "2024-06-30")
    summary = summarise(result, frame["district"])
    assert summary["per_status"] == {"on_time": 0, "due_soon": 0, "unused": 1, "idle": 2, "reclaim": 1,
                                     "completed": 0, "government_delay": 0, "missing": 1}
    assert summary["idle_m2"] == 3300 and summary["unused_m2"] == 700
    assert summary["idle_fee"] == pytest.approx(30) and summary["idle_fee_unknown"] == 1
    assert summary["per_district"]["B"]["missing"] == 1


def test_the_default_profile_carries_the_national_rules_with_their_sources():
    rules = section(load_profile(), "land_supply", LandSupplyRules)
    assert (rules.idle_years, rules.reclaim_years, rules.idle_fee_share) == (1, 2, 0.2)
    assert rules.min_developed_share == 1 / 3 and rules.min_investment_share == 0.25
    assert rules.exempt_government_delay is True
    for key in ("idle_years", "stopped_years", "min_developed_share", "min_investment_share", "idle_fee_share",
                "reclaim_years", "exempt_government_delay"):
        citation = rules.source_table()[key].citation()
        assert citation.startswith("《闲置土地处置办法》第") and citation.endswith("（2012）"), key
    assert rules == LandSupplyRules()  # the class defaults are the profile's


@pytest.mark.parametrize("values, key", [
    ({"reclaim_years": 0}, "land_supply.reclaim_years"),
    ({"idle_years": 101, "reclaim_years": 102}, "land_supply.idle_years"),
    ({"idle_fee_share": 1.5}, "land_supply.idle_fee_share"),
    ({"exempt_government_delay": "yes"}, "land_supply.exempt_government_delay"),
    ({"sources": {**load_profile()["land_supply"]["sources"], "idel_years": "x"}}, "land_supply.sources.idel_years"),
])
def test_profile_values_that_make_no_sense_are_refused(values, key):
    from land_bureau_plugin.errors import ProfileError

    with pytest.raises(ProfileError) as caught:
        section({"land_supply": values}, "land_supply", LandSupplyRules)
    assert caught.value.key == key


def test_a_profiles_sources_are_laid_over_the_bundled_ones_key_by_key():
    """A profile naming one source keeps every other bundled source (as its limits merge); before, the one source
    replaced the table and the profile was refused for the nine it did not name."""
    bundled = load_profile()["land_supply"]["sources"]
    rules = section({"land_supply": {"sources": {"min_unsupplied_m2": "本地默认：市局2025年口径"}}}, "land_supply",
                    LandSupplyRules)
    table = rules.source_table()
    assert table["min_unsupplied_m2"].local and table["min_unsupplied_m2"].note == "市局2025年口径"
    for key in set(bundled) - {"min_unsupplied_m2"}:
        assert rules.sources[key] == bundled[key], key
    assert table["idle_years"].citation() == "《闲置土地处置办法》第二条第一款（2012）"
    assert rules == section({"land_supply": {"sources": {"min_unsupplied_m2": "本地默认：市局2025年口径"}}},
                            "land_supply", LandSupplyRules)
    # a source given for a key the bundled table has is replaced whole, not merged field by field
    own = {"document": "杭州市闲置土地处置实施细则", "article": "第五条", "date": "2020"}
    rules = section({"land_supply": {"sources": {"idle_years": own}}}, "land_supply", LandSupplyRules)
    assert rules.source_table()["idle_years"].citation() == "《杭州市闲置土地处置实施细则》第五条（2020）"
    assert "note" not in rules.sources["idle_years"]


def test_a_value_changed_without_its_source_is_no_longer_cited_as_the_national_rule():
    """idle_years 2 is not what 第二条第一款 says: without a source of its own it is a local default, and the idle
    reason cites nothing; the rules left at their values keep their citations. Given with its source, it is cited."""
    changed = section({"land_supply": {"idle_years": 2, "reclaim_years": 3}}, "land_supply", LandSupplyRules)
    table = changed.source_table()
    assert table["idle_years"].local and table["reclaim_years"].local and table["idle_years"].note
    assert table["idle_fee_share"].citation() == "《闲置土地处置办法》第十四条第（一）项（2012）"
    row = judge("2025-03-02", changed, land_price=100)
    assert row["supply_status"] == "idle" and "第二条第一款" not in row["reasons"]
    assert "第十四条第（一）项" in row["reasons"]  # the fee share is unchanged: still cited
    same = section({"land_supply": {"idle_years": 1, "min_unsupplied_m2": 1}}, "land_supply", LandSupplyRules)
    assert same.source_table()["idle_years"].citation() == "《闲置土地处置办法》第二条第一款（2012）"
    assert same.source_table()["min_unsupplied_m2"].note == "小于此面积的未供部分视为数字化误差"  # 1 is 1.0
    strict = section({"land_supply": {"exempt_government_delay": False}}, "land_supply", LandSupplyRules)
    assert strict.source_table()["exempt_government_delay"].local
    own = section({"land_supply": {"idle_years": 2, "reclaim_years": 3,
                                   "sources": {"idle_years": "《杭州市细则》第五条"}}}, "land_supply", LandSupplyRules)
    assert "《杭州市细则》第五条" in judge("2025-03-02", own)["reasons"]


@pytest.mark.parametrize("developed, shown", [(2999.0, "33.32% (under 33.33%)"), (1000.0, "11.1% (under 33.3%)"),
                                              (2999.99, "33.3332% (under 33.3333%)")])
def test_a_share_just_under_its_threshold_is_printed_so_that_it_reads_under(developed, shown):
    row = judge("2026-06-15", agreed_start_date="2022-12-01", start_date="2023-01-01", stopped_date="2025-06-14",
                area_m2=9000, developed_area=developed, planned_investment=1000, completed_investment=900)
    assert row["supply_status"] == "idle" and f"developed area {shown}" in row["reasons"]
