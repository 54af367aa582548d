"""The sentences of the land-supply analysis (闲置 / 供而未用 / 批而未供), marked for translation.

Apart from the judging, like the other analyses' texts: the English sources marked with QT_TRANSLATE_NOOP (context
"reasons") sit in one place; the date, number and yes/no wordings are the shared ones of analysis.messages and
analysis.efficiency_reasons, so an unreadable date or number reads the same in every analysis. A reason that
rests on a rule cites its source the shared way (rules.criteria.cited appends " (per 《…》…)" to the templates of
analysis.land_supply_rules.CITING).
"""
from __future__ import annotations

from .efficiency_reasons import EFFICIENCY_TEMPLATES
from .messages import QT_TRANSLATE_NOOP, TEMPLATES

_SHARED = ("bad_date", "imprecise_date", "date_out_of_range", "separator", "cite")
_SHARED_VALUES = ("not_a_number", "negative", "placeholder", "value_implausible", "duplicate_parcel_id",
                  "not_yes_no", "list_separator")

SUPPLY_TEMPLATES: dict[str, str] = {
    **{key: TEMPLATES[key] for key in _SHARED},
    **{key: EFFICIENCY_TEMPLATES[key] for key in _SHARED_VALUES},
    # the deadlines of a supplied parcel
    "start_due_soon": QT_TRANSLATE_NOOP("reasons", "construction start due in {days} day(s) ({due})"),
    "unused": QT_TRANSLATE_NOOP(
        "reasons", "agreed start {due} passed {days} day(s) ago without construction: supplied but unused, idle "
                   "after {idle}"),
    "idle_not_started": QT_TRANSLATE_NOOP(
        "reasons", "not started {days} day(s) after the agreed start {due}: idle land since {idle}"),
    "idle_stopped": QT_TRANSLATE_NOOP(
        "reasons", "work stopped on {stopped} with {measures}: idle land since {idle}"),
    "stopped_pending": QT_TRANSLATE_NOOP(
        "reasons", "work stopped on {stopped} with {measures}: idle after {idle} unless work resumes"),
    "stopped_unknown": QT_TRANSLATE_NOOP(
        "reasons", "work stopped on {stopped}, but the {measures} is not known: idle not judged"),
    "stopped_not_idle": QT_TRANSLATE_NOOP(
        "reasons", "work stopped on {stopped}; developed area {developed}% and investment {invested}% reach the "
                   "thresholds: not idle"),
    "developed_low": QT_TRANSLATE_NOOP("reasons", "developed area {value}% (under {threshold}%)"),
    "investment_low": QT_TRANSLATE_NOOP("reasons", "investment {value}% (under {threshold}%)"),
    "measure_developed": QT_TRANSLATE_NOOP("reasons", "developed share"),
    "measure_investment": QT_TRANSLATE_NOOP("reasons", "investment share"),
    "idle_fee": QT_TRANSLATE_NOOP("reasons", "idle fee {share}% of the land price {price} 万元: {fee} 万元"),
    "no_land_price": QT_TRANSLATE_NOOP("reasons", "land price unknown: idle fee not computed"),
    "reclaim": QT_TRANSLATE_NOOP(
        "reasons", "idle for more than {years} year(s) (after {reclaim}): to be taken back without compensation"),
    "government_delay": QT_TRANSLATE_NOOP(
        "reasons", "delay caused by the government ({cause}): no idle fee, not taken back"),
    "government_delay_no_cause": QT_TRANSLATE_NOOP(
        "reasons", "delay marked as caused by the government, but no cause recorded: no idle fee, not taken back"),
    "government_delay_not_exempt": QT_TRANSLATE_NOOP(
        "reasons", "delay marked as caused by the government; the rule profile does not exempt such delays"),
    "completion_overdue": QT_TRANSLATE_NOOP("reasons", "completion overdue by {days} day(s) (agreed {due})"),
    "completion_due_soon": QT_TRANSLATE_NOOP("reasons", "completion due in {days} day(s) ({due})"),
    "completed_late": QT_TRANSLATE_NOOP(
        "reasons", "completed on {done}, {days} day(s) after the agreed completion {due}"),
    # data errors of a supplied parcel
    "no_agreed_start": QT_TRANSLATE_NOOP("reasons", "{field} missing: no deadline can be counted"),
    "date_after_as_of": QT_TRANSLATE_NOOP("reasons", "{field} {date} is after the as-of date {as_of}"),
    "date_before": QT_TRANSLATE_NOOP("reasons", "{field} {date} is before {other} {other_date}"),
    "date_without_start": QT_TRANSLATE_NOOP("reasons", "{field} {date} is given but the start date is not"),
    "developed_above_area": QT_TRANSLATE_NOOP(
        "reasons", "developed area {developed} m² exceeds the parcel area {area} m²: data error, not used"),
    "no_area": QT_TRANSLATE_NOOP("reasons", "parcel area unknown (no area field, no geometry)"),
    "no_geometry": QT_TRANSLATE_NOOP("reasons", "no usable geometry: not counted as supply of any batch"),
    # approval batches (批而未供)
    "unsupplied_overdue": QT_TRANSLATE_NOOP(
        "reasons", "{area} m² still unsupplied {years} year(s) after approval (deadline {due}, {days} day(s) ago)"),
    "unsupplied_due_soon": QT_TRANSLATE_NOOP(
        "reasons", "{area} m² unsupplied; {years}-year deadline in {days} day(s) ({due})"),
    "no_approval_date": QT_TRANSLATE_NOOP("reasons", "approval date missing: the age is not known"),
    "duplicate_batch_id": QT_TRANSLATE_NOOP("reasons", "batch id {value} appears more than once"),
    "batch_no_geometry": QT_TRANSLATE_NOOP("reasons", "no usable geometry: areas not measured"),
}

# The statuses of a supplied parcel, in the order the summary and the panel list them.
STATUSES = ("on_time", "due_soon", "unused", "idle", "reclaim", "completed", "government_delay", "missing")
# What `next_deadline` names: the next date at which a parcel's standing under the rules gets worse.
DEADLINES = ("start", "idle", "reclaim", "complete")
