"""Land supply supervision of the supplied parcels: 供而未用 (supplied, not yet built on) and 闲置土地 (idle land).

Every parcel is judged on the as-of date under the rules of analysis.land_supply_rules (闲置土地处置办法, 2012):

- `completed`: an actual completion date (a completion after the agreed one is named in the reasons);
- not started (no actual start date), with A the agreed start date:
  as of ≤ A → `due_soon` when A is within the yellow window (analysis.deadlines), else `on_time`;
  A < as of ≤ A + idle_years → `unused` (供而未用: the start date has passed, not yet a full year);
  A + idle_years < as of ≤ A + reclaim_years → `idle`; later → `reclaim`.
  A period of N years from A ends on A's date N years later and is full only after that day (民法典 arts. 201,
  202): agreed start 2024-03-01 → unused from 2024-03-02, idle from 2025-03-02, reclaim from 2026-03-02;
- started, work stopped on T (stopped date), developed area under `min_developed_share` of the parcel's area or
  investment under `min_investment_share` of the total (either is enough; a share at its threshold, up to
  floating-point noise, is not under it: rules.criteria's comparison): idle from T + stopped_years (+ a day),
  reclaim after T + reclaim_years; before that `due_soon` / `on_time` counted towards becoming idle. When neither
  share is under its threshold but one is unknown, idle cannot be ruled out: `missing`, with the unknown measure
  named;
- started otherwise: `on_time` (the agreed completion is a deadline for the grade, not for the status);
- `government_delay` instead of unused / idle / reclaim when the government-delay flag is set (art. 8) and the
  profile exempts such delays: no idle fee, not taken back, no next deadline (the case is negotiated, art. 12),
  the recorded cause in the reasons;
- `missing` (a data error, never a guess): no agreed start date on a parcel not completed; a date that is not a
  date, imprecise (a year or month without its day) or outside 1900–2150; an actual date (supply, start,
  completion, stop) after the as-of date; dates out of order (start before supply, completion or stop before
  start, agreed start before supply, agreed completion before agreed start, stop after completion); a completion
  or stop date without a start date; a developed area larger than the parcel.

`idle_days`: days since the agreed start (not started) or since the stop (stopped, under the thresholds), for the
parcels past that date; empty otherwise. `idle_fee` (万元) = idle_fee_share × land price for `idle` and `reclaim`
(empty, with the reason, when the price is unknown), empty for `missing` (the data error leaves open whether a fee
is owed: never 0), 0 for every other status. `next_deadline` / `next_due` /
`days_left`: the next date at which the parcel's standing gets worse (start, idle, reclaim, complete) and the days
to it (negative when passed). `grade` (analysis.deadlines): red when a deadline has passed (unused, idle, reclaim,
government delay, completion overdue), orange / yellow within the windows, grey for data errors, else green.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..rules.criteria import cited
from . import deadlines
from .dates import OK, add_years, as_of_day, explain_bad_dates, parse_dates_explained
from .efficiency_reading import column, duplicate_ids, per_value, read_flag, read_numbers
from .efficiency_reasons import Fixed, Reasons
from .land_supply_rules import DEFAULT_RULES, NUMBER_FIELDS, LandSupplyRules
from .land_supply_text import STATUSES, SUPPLY_TEMPLATES
from .messages import join_reasons

DATE_FIELDS = ("supply_date", "agreed_start_date", "agreed_complete_date", "start_date", "complete_date",
               "stopped_date")
ACTUAL_DATES = ("supply_date", "start_date", "complete_date", "stopped_date")  # facts: never after the as-of date
# (later, earlier): `later` must not be before `earlier`
DATE_ORDER = (("start_date", "supply_date"), ("agreed_start_date", "supply_date"),
              ("agreed_complete_date", "agreed_start_date"), ("complete_date", "start_date"),
              ("stopped_date", "start_date"), ("complete_date", "stopped_date"))
OVERDUE = ("unused", "idle", "reclaim", "government_delay")
GOVERNMENT_WORDS = (("政府原因", "政府", "government"), ("企业原因", "企业", "自身原因", "enterprise"))
DEFAULT_WINDOWS = {"yellow": 180, "orange": 90}
RESULT_COLUMNS = ("supply_status", "grade", "next_deadline", "next_due", "days_left", "idle_days", "idle_fee",
                  "area_m2", "developed_share", "investment_share", "reasons")


def evaluate(parcels: pd.DataFrame, as_of, rules: LandSupplyRules = DEFAULT_RULES, windows: dict | None = None,
             templates: dict[str, str] = SUPPLY_TEMPLATES, field_labels: dict[str, str] | None = None,
             areas=None, no_geometry=None) -> pd.DataFrame:
    """Judge every supplied parcel on `as_of` (module docstring).

    `parcels` holds canonical columns (any may be missing; dates and numbers may be text in any form the shared
    readers take). `areas`: each parcel's planar geometry area in m² (used where the area field is missing);
    `no_geometry`: True where a parcel has no usable geometry (named in its reasons). `windows`: the warning
    windows {"yellow": days, "orange": days}. Returns a frame on the caller's index with RESULT_COLUMNS.
    """
    original_index = parcels.index
    table, as_of, windows, templates, label, notes = setup(parcels, as_of, rules, windows, templates, field_labels)
    labels = field_labels or {}
    index = table.index
    error = pd.Series(False, index=index)

    dates, unreadable = {}, {}
    for name in DATE_FIELDS:
        parsed, cause = parse_dates_explained(column(table, name))
        parsed.index, cause.index = index, index
        explain_bad_dates(notes.add, cause, label(name), column(table, name))
        unreadable[name] = cause != OK
        error |= unreadable[name]
        dates[name] = parsed
    as_of_text = as_of.strftime("%Y-%m-%d")
    for name in ACTUAL_DATES:
        after = dates[name] > as_of
        notes.add(after, "date_after_as_of", field=label(name), date=dates[name], as_of=as_of_text)
        error |= after
    for later, earlier in DATE_ORDER:
        wrong = dates[later] < dates[earlier]
        notes.add(wrong, "date_before", field=label(later), date=dates[later], other=label(earlier),
                  other_date=dates[earlier])
        error |= wrong
    start, done, stopped = dates["start_date"], dates["complete_date"], dates["stopped_date"]
    agreed, agreed_done = dates["agreed_start_date"], dates["agreed_complete_date"]
    for name in ("complete_date", "stopped_date"):
        orphan = dates[name].notna() & start.isna()
        notes.add(orphan, "date_without_start", field=label(name), date=dates[name])
        error |= orphan

    numbers, _percent = read_numbers(table, notes, labels, rules.limits, NUMBER_FIELDS)
    area = numbers["area_m2"]
    if areas is not None:
        geometric = pd.Series(np.asarray(areas, dtype=float), index=index)
        area = area.where(area.notna(), geometric.where(geometric > 0))
    developed = numbers["developed_area"]
    too_much = developed > area * (1 + 1e-9)
    notes.add(too_much, "developed_above_area", developed=Fixed(developed, 1), area=Fixed(area, 1))
    error |= too_much
    developed_share = (developed / area).where(~too_much)
    investment_share = numbers["completed_investment"] / numbers["planned_investment"].where(
        numbers["planned_investment"] > 0)

    no_agreed = agreed.isna() & done.isna()  # a completed parcel needs no start deadline
    notes.add(no_agreed & ~unreadable["agreed_start_date"], "no_agreed_start", field=label("agreed_start_date"))
    error |= no_agreed
    completed = done.notna() & ~error

    status = pd.Series("on_time", index=index, dtype=object)
    next_deadline = pd.Series(None, index=index, dtype=object)
    next_due = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    idle_since = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")  # the date idle time counts from

    # not started
    waiting = ~error & ~completed & start.isna()
    idle_due, reclaim_due = add_years(agreed, rules.idle_years), add_years(agreed, rules.reclaim_years)
    _judge(waiting, agreed, idle_due, reclaim_due, as_of, windows, status, next_deadline, next_due, idle_since,
           first_deadline="start")
    # started, work stopped: idle when a share is under its threshold
    stopped_work = ~error & ~completed & start.notna() & stopped.notna()
    shares = rules.share_criteria()
    developed_low = pd.Series(shares["developed"].fails(developed_share.to_numpy()), index=index)
    investment_low = pd.Series(shares["investment"].fails(investment_share.to_numpy()), index=index)
    low = stopped_work & (developed_low | investment_low)
    unknown = stopped_work & ~low & (developed_share.isna() | investment_share.isna())
    stop_idle, stop_reclaim = add_years(stopped, rules.stopped_years), add_years(stopped, rules.reclaim_years)
    _judge(low, stopped, stop_idle, stop_reclaim, as_of, windows, status, next_deadline, next_due, idle_since,
           first_deadline=None)
    measures = _measures(low, developed_low, investment_low, developed_share, investment_share, rules, templates)
    # started and not judged idle: the agreed completion is the next deadline
    building = ~error & ~completed & start.notna() & ~low & ~unknown
    has_completion = building & agreed_done.notna()
    next_deadline[has_completion] = "complete"
    next_due[has_completion] = agreed_done[has_completion]

    government = read_flag(table, "government_delay", notes, labels, GOVERNMENT_WORDS)
    exempt = government & status.isin(OVERDUE[:3]) & rules.exempt_government_delay
    status[exempt] = "government_delay"
    # exempt (art. 8, 12): no fee, not taken back — no deadline counts any more, nothing is "taken back in N days"
    next_deadline[exempt] = None
    next_due[exempt] = pd.NaT
    status[completed] = "completed"
    status[error | unknown] = "missing"
    next_deadline[status.isin(["completed", "missing"])] = None
    next_due[status.isin(["completed", "missing"])] = pd.NaT

    days_left = (next_due - as_of).dt.days.astype("Int64")
    idle_days = (as_of - idle_since).dt.days.astype("Int64").where(status.isin(OVERDUE) & idle_since.notna())
    price = numbers["land_price"]
    fee_due = status.isin(["idle", "reclaim"])
    # 0 where no fee is owed (not idle, completed, the government's delay); unknown (NaN) where the land price is
    # unknown or a data error leaves the status itself unknown: a data-error parcel may well be idle
    idle_fee = pd.Series(0.0, index=index).where(~fee_due, rules.idle_fee_share * price).where(status != "missing")

    completion_overdue = has_completion & (agreed_done < as_of)
    overdue = status.isin(OVERDUE) | (completion_overdue & ~status.isin(["missing", "completed"]))
    open_days = days_left.astype(float).where(status.isin(["on_time", "due_soon"]) & ~completion_overdue)
    grade = pd.Series(deadlines.grade(overdue.to_numpy(), open_days.to_numpy(), (status == "missing").to_numpy(),
                                      windows), index=index)

    _explain(notes, table, rules, as_of, windows, status=status, next_deadline=next_deadline, next_due=next_due,
             days_left=days_left, agreed=agreed, stopped=stopped, done=done, agreed_done=agreed_done, low=low,
             measures=measures, unknown=unknown, developed_share=developed_share, investment_share=investment_share,
             price=price, idle_fee=idle_fee, government=government, exempt=exempt)
    notes.add(duplicate_ids(table), "duplicate_parcel_id", value=column(table, "parcel_id"))
    if no_geometry is not None:
        notes.add(np.asarray(no_geometry, dtype=bool), "no_geometry")
    no_area = (low | unknown) & area.isna() & developed.notna()
    notes.add(no_area, "no_area")

    out = pd.DataFrame({
        "supply_status": status, "grade": grade, "next_deadline": next_deadline, "next_due": next_due,
        "days_left": days_left, "idle_days": idle_days, "idle_fee": idle_fee, "area_m2": area,
        "developed_share": developed_share, "investment_share": investment_share,
        "reasons": join_reasons(notes.parts, index, templates["separator"]),
    }, index=index)
    out.index = original_index
    return out


class Setup(NamedTuple):
    """What judging parcels (`evaluate`) and batches (land_supply_batches.judge) start from, made the same way."""

    table: pd.DataFrame  # the rows on a fresh 0…n-1 index (the caller puts its own index back)
    as_of: pd.Timestamp
    windows: dict
    templates: dict  # the reason templates, each rule's citing its source
    label: Callable[[str], str]  # a canonical field's name as the layer calls it (the field map), for the reasons
    notes: Reasons


def setup(rows: pd.DataFrame, as_of, rules: LandSupplyRules, windows: dict | None, templates: dict[str, str],
          field_labels: dict[str, str] | None) -> Setup:
    """The as-of day (InputError outside the date range), the warning windows over the defaults, the templates
    over the bundled ones citing their rules' sources, the field labels and an empty reason list."""
    table = rows.reset_index(drop=True)
    templates = {**SUPPLY_TEMPLATES, **templates}
    templates = cited(templates, rules.reason_sources(), templates["cite"])  # a rule's reason names its source
    labels = field_labels or {}
    return Setup(table, as_of_day(as_of), {**DEFAULT_WINDOWS, **(windows or {})}, templates,
                 lambda name: labels.get(name, name), Reasons(table.index, templates))


def _judge(rows, since, idle_due, reclaim_due, as_of, windows, status, next_deadline, next_due, idle_since,
           first_deadline: str | None) -> None:
    """Statuses of the parcels in `rows` counted from `since` (agreed start, or the stop of work): before `since`
    (not started only) on time or due soon towards the start; then unused (not started) or due soon / on time
    towards becoming idle (stopped work); idle after `idle_due`; reclaim after `reclaim_due`."""
    before = rows & (as_of <= since)
    counting = rows & (as_of > since) & (as_of <= idle_due)
    idle = rows & (as_of > idle_due) & (as_of <= reclaim_due)
    reclaim = rows & (as_of > reclaim_due)
    if first_deadline is not None:
        next_deadline[before] = first_deadline
        next_due[before] = since[before]
        status[before] = np.where((since[before] - as_of).dt.days <= windows["yellow"], "due_soon", "on_time")
        status[counting] = "unused"
        next_deadline[counting] = "idle"
        next_due[counting] = idle_due[counting]
    else:  # stopped work: the stop itself is no deadline; becoming idle is
        early = before | counting
        next_deadline[early] = "idle"
        next_due[early] = idle_due[early]
        status[early] = np.where((idle_due[early] - as_of).dt.days <= windows["yellow"], "due_soon", "on_time")
    status[idle] = "idle"
    status[reclaim] = "reclaim"
    next_deadline[idle | reclaim] = "reclaim"
    next_due[idle | reclaim] = reclaim_due[idle | reclaim]
    past = rows & (as_of > since)
    idle_since[past] = since[past]


def _measures(rows, developed_low, investment_low, developed_share, investment_share, rules, templates) -> pd.Series:
    """For the stopped parcels in `rows`, which share is under its threshold, in words ("developed area 20.0%
    (under 33.3%)")."""
    notes = Reasons(rows.index, templates)
    for low, key, share, threshold in ((developed_low, "developed_low", developed_share, rules.min_developed_share),
                                       (investment_low, "investment_low", investment_share,
                                        rules.min_investment_share)):
        shown = rows & low
        value, limit = _percent_pair(share * 100, threshold * 100, shown.to_numpy(dtype=bool))
        notes.add(shown, key, value=value, threshold=limit)
    return join_reasons(notes.parts, rows.index, templates["list_separator"])


def _percent_pair(values: pd.Series, threshold: float, rows: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """For the `rows` (a mask), a share under its threshold and the threshold as percentages of one decimal — or
    of as many more (up to four) as it takes for them to differ: 3,332 of 9,000 m² is "33.32% (under 33.33%)",
    never "33.3% (under 33.3%)". Other rows are left empty."""
    texts = pd.Series("", index=values.index, dtype=object)
    limits = pd.Series("", index=values.index, dtype=object)
    numbers = values.to_numpy(dtype=float)
    for position in np.flatnonzero(rows):
        value, decimals = numbers[position], 1
        while decimals < 4 and np.isfinite(value) and f"{value:.{decimals}f}" == f"{threshold:.{decimals}f}":
            decimals += 1
        texts.iat[position] = f"{value:.{decimals}f}"
        limits.iat[position] = f"{threshold:.{decimals}f}"
    return texts, limits


def _explain(notes, table, rules, as_of, windows, *, status, next_deadline, next_due, days_left, agreed, stopped, done,
             agreed_done, low, measures, unknown, developed_share, investment_share, price, idle_fee, government,
             exempt) -> None:
    """The reasons of each status (module docstring); the templates cite their rule's source (`evaluate`)."""
    waiting = ~low  # a parcel judged idle is either not started (counted from the agreed start) or stopped
    notes.add((status == "due_soon") & (next_deadline == "start"), "start_due_soon", days=days_left, due=next_due)
    notes.add(status == "unused", "unused", due=agreed, days=_days(as_of - agreed), idle=next_due)
    for rows, key, since, years in ((waiting, "idle_not_started", agreed, "idle_years"),
                                    (low, "idle_stopped", stopped, "stopped_years")):
        idle_from = add_years(since, getattr(rules, years)) + pd.Timedelta(days=1)  # the first day of a full year
        judged = status.isin(["idle", "reclaim"]) | (status.eq("government_delay") & (as_of >= idle_from))
        notes.add(rows & judged, key, days=_days(as_of - since), due=since, idle=idle_from, stopped=since,
                  measures=measures)
    notes.add(low & status.isin(["on_time", "due_soon"]), "stopped_pending", stopped=stopped, measures=measures,
              idle=next_due)
    stopped_fine = stopped.notna() & ~low & ~unknown & status.eq("on_time") & developed_share.notna()
    notes.add(stopped_fine, "stopped_not_idle", stopped=stopped, developed=Fixed(developed_share * 100, 1),
              invested=Fixed(investment_share * 100, 1))
    words = notes.templates
    both = words["measure_developed"] + words["list_separator"] + words["measure_investment"]
    missing = np.where(developed_share.isna() & investment_share.isna(), both,
                       np.where(developed_share.isna(), words["measure_developed"], words["measure_investment"]))
    notes.add(unknown, "stopped_unknown", stopped=stopped, measures=pd.Series(missing, index=status.index))
    fee = status.isin(["idle", "reclaim"])
    notes.add(fee & price.notna(), "idle_fee", share=f"{rules.idle_fee_share * 100:g}", price=Fixed(price, 2),
              fee=Fixed(idle_fee, 2))
    notes.add(fee & price.isna(), "no_land_price")
    notes.add(status == "reclaim", "reclaim", years=rules.reclaim_years, reclaim=next_due)
    cause = per_value(column(table, "delay_reason"), lambda value: str(value).strip() or None)
    notes.add(exempt & cause.notna(), "government_delay", cause=cause)
    notes.add(exempt & cause.isna(), "government_delay_no_cause")
    if not rules.exempt_government_delay:
        notes.add(government & status.isin(OVERDUE[:3]), "government_delay_not_exempt")
    building = next_deadline.eq("complete")
    notes.add(building & (days_left < 0), "completion_overdue", days=-days_left, due=next_due)
    notes.add(building & days_left.between(0, windows["yellow"]).fillna(False), "completion_due_soon",
              days=days_left, due=next_due)
    late = (status == "completed") & agreed_done.notna() & (done > agreed_done)
    notes.add(late, "completed_late", done=done, days=_days(done - agreed_done), due=agreed_done)


def _days(spans: pd.Series) -> pd.Series:
    """Whole days of a timedelta column (empty where unknown), as reasons print them: "366", not "366.0"."""
    return spans.dt.days.astype("Int64")


def summarise(result: pd.DataFrame, districts: pd.Series | None = None) -> dict:
    """Counts per status and grade (all present, zero included), the idle area and fees (the known ones, with the
    idle parcels whose area or fee is unknown counted apart), and per district."""
    per_status = result["supply_status"].value_counts().reindex(STATUSES, fill_value=0)
    per_grade = result["grade"].value_counts().reindex(deadlines.GRADES, fill_value=0)
    idle = result["supply_status"].isin(["idle", "reclaim"])
    unused = result["supply_status"].eq("unused")
    summary = {
        "parcels": int(len(result)),
        "per_status": {s: int(n) for s, n in per_status.items()},
        "per_grade": {g: int(n) for g, n in per_grade.items()},
        "idle_m2": float(result["area_m2"].where(idle).sum()),
        "unused_m2": float(result["area_m2"].where(unused).sum()),
        # the known fees; the idle parcels whose fee is unknown (no land price) are counted beside, never as 0
        "idle_fee": float(result["idle_fee"].where(idle).sum()),
        "idle_fee_unknown": int((idle & result["idle_fee"].isna()).sum()),
        "idle_area_unknown": int((idle & result["area_m2"].isna()).sum()),
    }
    if districts is not None:
        table = pd.crosstab(districts.fillna("—").astype(str), result["supply_status"]).reindex(
            columns=STATUSES, fill_value=0)
        summary["per_district"] = {d: {s: int(n) for s, n in row.items()} for d, row in table.iterrows()}
    return summary
