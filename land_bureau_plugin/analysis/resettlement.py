"""The "+1 / +4 / +5" closed loop: from expropriation (征迁) resettlement housing must start within 1 year, be
completed within 4 and households be moved back within 5. This module grades every project on a given date.

Rules (offsets and windows come from the rule profile):
- due = expropriation + N years; 29 Feb + 1 year = 28 Feb.
- done on or before due → on_time; done after due → late (stays visible);
- not done: as_of after due → overdue; due within the yellow window (0 … yellow_days days left) → due_soon;
  otherwise pending;
- missing (a data error, with its reason): no or unreadable expropriation date, or one after the as-of date (a
  project not yet expropriated has no deadline to be green about); a done date that is unreadable, before
  expropriation, after the as-of date, or before the previous milestone's date; no date for a milestone although a
  later one is done. "Unreadable" has three reasons (analysis.dates): not a date, imprecise (a year or month
  without its day: "2024" is not 1905-07-16) and out of range (outside 1900–2150).
- `<m>_days`: for an open milestone days left until due (negative when overdue); for a done one the margin
  due − done (negative = days late); empty when missing.
- grade, the worst open milestone: red (overdue) > orange (≤ orange_days left) > yellow (≤ yellow_days left)
  > grey (data missing) > green.
- overdue_households: households of projects whose resettlement (+5) is overdue — households still in
  temporary transition past the agreed period (超期过渡). Households are read by analysis.numbers ("1,763",
  "120户", "12 戶"; placeholders are no value); junk, negative, fractional (12.5) counts and counts above the
  profile's `limits.households` (a data error) are named and not counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..rules.criteria import CITE, Criterion, Source, bundled_sources, cited, sources_table, validate_sources
from . import deadlines
from .dates import OK, add_years, as_of_day, explain_bad_dates, parse_dates_explained
from .messages import QT_TRANSLATE_NOOP, TEMPLATES, Message, fill, join_reasons
from .numbers import read_field
from .plausibility import Limited, limits_of, validate_limits

MILESTONES = ("start", "complete", "resettle")
DATE_FIELDS = {"start": "housing_start_date", "complete": "housing_complete_date", "resettle": "resettled_date"}
STATUSES = ("on_time", "late", "pending", "due_soon", "overdue", "missing")
GRADES = deadlines.GRADES
MAX_YEARS = 100  # a milestone offset beyond a century is a typo (300 years overflowed the date arithmetic)
MAX_WARNING_DAYS = 3660  # a warning window of more than ten years
MAX_HOUSEHOLDS = 2.0 ** 53  # above this a count no longer stays exact as an integer
LIMITED_FIELDS = ("households",)  # fields with a plausibility limit (analysis.plausibility)
SOURCE_IDS = ("deadlines", "warnings")
SOURCE_KEYS = {"deadlines": ("start_years", "complete_years", "resettle_years"),
               "warnings": ("yellow_days", "orange_days")}


@dataclass(frozen=True)
class ResettlementRules(Limited):
    """The profile section `resettlement` (`limits` laid over the default limits key by key,
    analysis.plausibility.Limited)."""

    limited_fields = LIMITED_FIELDS

    start_years: int = 1
    complete_years: int = 4
    resettle_years: int = 5
    yellow_days: int = 180
    orange_days: int = 90
    limits: dict[str, float | None] = field(default_factory=lambda: limits_of(LIMITED_FIELDS))

    @property
    def households_limit(self) -> float:
        """The largest household count taken as true: the profile's limit, else (switched off: null) the largest
        count that stays exact as an integer."""
        limit = self.limit("households")
        return MAX_HOUSEHOLDS if limit is None else float(limit)

    # "deadlines" (the +1 / +4 / +5 offsets) and "warnings" (the yellow / orange windows) -> source (rules.criteria)
    sources: dict[str, object] = field(default_factory=lambda: bundled_sources("resettlement"))

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, SOURCE_IDS)

    def criteria(self) -> dict[str, Criterion]:
        """The warning windows as criteria (deadlines.warning_criteria) with their source; the SQL twin renders the
        same criteria (Criterion.sql_fails)."""
        return deadlines.warning_criteria(self.warning_days(), self.source_table()["warnings"])

    def years(self, milestone: str) -> int:
        return getattr(self, f"{milestone}_years")

    def warning_days(self) -> dict[str, int]:
        """The warning windows ({"yellow": days, "orange": days}) as the SUMMARY carries them to the panel and the
        print, so their labels say the profile's numbers rather than the default ones."""
        return {"yellow": self.yellow_days, "orange": self.orange_days}

    def validate(self) -> list[tuple[str, str]]:
        """(key, message) for values that make the grading meaningless; `rules.profile.section` reports them."""
        negative = Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        problems = [(f"{m}_years", negative) for m in MILESTONES if self.years(m) < 0]
        problems += [(f"{w}_days", negative) for w in ("yellow", "orange") if getattr(self, f"{w}_days") < 0]
        problems += [(f"{m}_years", Message(QT_TRANSLATE_NOOP("profile", "at most {n} years"), n=MAX_YEARS))
                     for m in MILESTONES if self.years(m) > MAX_YEARS]
        problems += [(f"{w}_days", Message(QT_TRANSLATE_NOOP("profile", "at most {n} days"), n=MAX_WARNING_DAYS))
                     for w in ("yellow", "orange") if getattr(self, f"{w}_days") > MAX_WARNING_DAYS]
        if self.start_years > self.complete_years or self.complete_years > self.resettle_years:
            problems.append(("complete_years", Message(QT_TRANSLATE_NOOP(
                "profile", "milestones must be in order: start ≤ complete ≤ resettle"))))
        if self.orange_days > self.yellow_days:
            problems.append(("orange_days", Message(QT_TRANSLATE_NOOP("profile", "must not exceed yellow_days"))))
        limit_problems = list(validate_limits(self.limits, LIMITED_FIELDS))
        problems += limit_problems
        if not limit_problems and self.households_limit > MAX_HOUSEHOLDS:
            problems.append(("limits.households", Message(QT_TRANSLATE_NOOP("profile", "at most {n}"),
                                                          n=f"{MAX_HOUSEHOLDS:.0f}")))
        problems += list(validate_sources(self.sources, SOURCE_IDS))
        return problems


DEFAULT_RULES = ResettlementRules()


def evaluate(projects: pd.DataFrame, as_of, rules: ResettlementRules = DEFAULT_RULES,
             templates: dict[str, str] = TEMPLATES, field_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Grade every project on `as_of`.

    `projects` holds canonical columns (expropriation_date, the three milestone dates, households, project_id;
    missing columns count as empty). Returns a frame on the same index with <m>_due, <m>_status, <m>_days for each
    milestone, grade, overdue_households and reasons. Dates may be text in any form `parse_dates` reads.
    `templates` may hold only some keys (e.g. a partial translation); the English ones fill in the rest.
    """
    original_index = projects.index
    projects = projects.reset_index(drop=True)  # positional labels: the caller's index may repeat labels
    index = projects.index
    as_of = as_of_day(as_of)
    labels = field_labels or {}
    templates = {**TEMPLATES, **templates}
    templates = cited(templates, reason_sources(rules), templates.get("cite", CITE))
    warning = rules.criteria()
    column = lambda name: projects[name] if name in projects else pd.Series(None, index=index, dtype=object)  # noqa: E731
    reasons: list[pd.Series] = []

    def reason(mask, key, **values):
        if mask.any():
            reasons.append(fill(templates[key], index[mask.to_numpy()], **values))

    def date_reasons(cause, canonical):
        explain_bad_dates(reason, cause, labels.get(canonical, canonical), column(canonical))

    expro, expro_cause = _parse(column("expropriation_date"), index)
    expro_bad = expro_cause != OK
    reason(expro.isna() & ~expro_bad, "no_expropriation_date")
    date_reasons(expro_cause, "expropriation_date")
    future = expro.notna() & (expro > as_of)
    reason(future, "expropriation_after_as_of", date=expro, as_of=as_of.strftime("%Y-%m-%d"))
    no_expro = expro.isna() | future

    out = pd.DataFrame(index=index)
    previous_done = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    done_dates = {}
    for m in MILESTONES:
        done, cause = _parse(column(DATE_FIELDS[m]), index)
        done_dates[m] = (done, cause)
    later_done = pd.Series(False, index=index)
    later_flags = {}
    for m in reversed(MILESTONES):
        later_flags[m] = later_done.copy()
        later_done = later_done | done_dates[m][0].notna()

    worst_days = pd.Series(np.inf, index=index)
    any_overdue = pd.Series(False, index=index)
    any_missing = no_expro.copy()
    for m in MILESTONES:
        done, cause = done_dates[m]
        bad = cause != OK
        due = add_years(expro, rules.years(m))
        name = templates[f"milestone_{m}"]
        before_expro = done.notna() & expro.notna() & (done < expro)
        after_as_of = done.notna() & (done > as_of)
        before_previous = done.notna() & previous_done.notna() & (done < previous_done)
        previous_missing = done.isna() & ~bad & later_flags[m]
        error = no_expro | bad | before_expro | after_as_of | before_previous | previous_missing

        days_open = (due - as_of).dt.days.astype("Int64")
        days_done = (due - done).dt.days.astype("Int64")
        status = np.select(
            [error, done.notna() & (done <= due), done.notna(), as_of > due,
             warning["yellow"].fails(days_open.astype(float).to_numpy())],
            ["missing", "on_time", "late", "overdue", "due_soon"], default="pending")
        status = pd.Series(status, index=index)
        days = days_open.where(done.isna(), days_done).where(~error)

        out[f"{m}_due"] = due
        out[f"{m}_status"] = status
        out[f"{m}_days"] = days.astype("Int64")

        date_reasons(cause, DATE_FIELDS[m])
        reason(before_expro & ~bad, "before_expropriation", milestone=name, done=done)
        reason(after_as_of & ~before_expro, "after_as_of", milestone=name, done=done)
        reason(before_previous & ~before_expro & ~after_as_of, "before_previous", milestone=name, done=done)
        reason(previous_missing & expro.notna(), "previous_missing", milestone=name)
        reason(status == "overdue", "overdue", milestone=name, days=-days_open, due=due)
        reason(status == "due_soon", "due_soon", milestone=name, days=days_open, due=due)
        reason(status == "late", "late", milestone=name, done=done, due=due)

        open_ = status.isin(["overdue", "due_soon", "pending"])
        worst_days = worst_days.where(~open_, np.minimum(worst_days, days_open.astype(float)))
        any_overdue |= status == "overdue"
        any_missing |= status == "missing"
        previous_done = done.where(done.notna(), previous_done)

    out["grade"] = deadlines.grade(any_overdue, worst_days.where(np.isfinite(worst_days)), any_missing,
                                   rules.warning_days())

    raw_households = _blank_as_missing(column("households"))
    reading = read_field(raw_households, "households")  # "1,763", "120户"; "—" or "尚无资料" is no value
    households = reading.values
    # a count must be a number, not negative, and not above its plausibility limit (a data error, never counted)
    # a count is whole: 12.5 households is a typing error, never rounded to 12 (half to even: 2.5 was 2)
    bad_households = reading.junk | (households < 0) | (households > rules.households_limit) | (households % 1 > 0)
    reason(bad_households, "bad_households", value=raw_households)
    unknown_households = households.isna() | bad_households
    households = households.where(~bad_households)
    in_transition = out["resettle_status"] == "overdue"
    # an overdue project whose households are unknown has unknown households in transition (NULL), never 0: a sum
    # says how many it leaves out (units.with_unknown, the summary's overdue_households_unknown)
    out["overdue_households"] = households.where(in_transition, 0).round().astype("Int64")
    reason(in_transition & (out["overdue_households"] > 0).fillna(False).astype(bool), "overdue_households",
           households=out["overdue_households"])
    reason(in_transition & unknown_households, "households_unknown")

    ids = column("project_id")
    id_text = _blank_as_missing(ids.astype(object).where(ids.isna(), ids.astype(str).str.strip()))
    duplicated = id_text.notna() & id_text.duplicated(keep=False)
    reason(duplicated, "duplicate_id", value=ids)
    out["reasons"] = join_reasons(reasons, index, templates["separator"])
    out.index = original_index
    return out


def reason_sources(rules: ResettlementRules) -> dict[str, Source]:
    """{reason template: the source it cites}: a deadline missed or met late rests on the +1 / +4 / +5 offsets, a
    milestone due soon on the warning windows. Both engines cite through the templates, so they write the same."""
    source = rules.source_table()
    return {"overdue": source["deadlines"], "late": source["deadlines"], "due_soon": source["warnings"]}


def _blank_as_missing(values: pd.Series) -> pd.Series:
    """Empty or all-space text counts as no value, as it does for dates."""
    if values.dtype != object:  # numbers or dates: nothing blank to clear
        return values.astype(object)
    blank = values.map(lambda v: isinstance(v, str) and not v.strip())
    return values.where(~blank.astype(bool), None)


def _parse(values: pd.Series, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """(dates, cause) on `index` (see analysis.dates.parse_dates_explained)."""
    dates, cause = parse_dates_explained(values)
    dates.index, cause.index = index, index
    return dates, cause


def placement(project_plot_ids: pd.Series, plot_ids, spatial_hit: pd.Series | None = None) -> pd.Series:
    """安置地块落图: True where a project's resettlement plot id is on the plot layer, or (when given) its geometry
    meets a plot on the map."""
    known = {str(v).strip() for v in plot_ids if not pd.isna(v) and str(v).strip()}
    linked = pd.Series([not pd.isna(v) and str(v).strip() in known for v in project_plot_ids],
                       index=project_plot_ids.index, dtype=bool)
    if spatial_hit is not None:
        linked |= spatial_hit.reindex(linked.index, fill_value=False).fillna(False).astype(bool)
    return linked


def summarise(result: pd.DataFrame, districts: pd.Series | None = None) -> dict:
    """Counts per grade (all grades present, zero included), per district and grade, and overdue households: the
    known ones, and the overdue projects whose households are unknown (`overdue_households_unknown`)."""
    per_grade = result["grade"].value_counts().reindex(GRADES, fill_value=0)
    summary = {"projects": int(len(result)), "per_grade": {g: int(n) for g, n in per_grade.items()},
               "overdue_households": int(result["overdue_households"].sum()),
               "overdue_households_unknown": int(result["overdue_households"].isna().sum())}
    if districts is not None:
        table = pd.crosstab(districts.fillna("—").astype(str), result["grade"]).reindex(columns=GRADES, fill_value=0)
        summary["per_district"] = {d: {g: int(n) for g, n in row.items()} for d, row in table.iterrows()}
    return summary
