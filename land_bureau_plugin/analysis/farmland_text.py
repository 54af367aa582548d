"""The sentences of the 耕地占补平衡 ledger: check reasons and input problems, in English, marked for translation.

Qt-free like every analysis module: the Qt side passes translated copies (processing.base.translated_reasons), so the
checks and the refusal of bad input come out in the user's language. Placeholders are filled column-wise
(analysis.messages.fill).
"""
from __future__ import annotations

from .messages import CITE, LIST_SEPARATOR, QT_TRANSLATE_NOOP, SEPARATOR

CHECKS = ("supplement_after_occupation", "cap_exceeded", "occupies_basic_farmland", "supplement_on_protected",
          "supplement_overlap")
STATUSES = ("balanced", "deficit")
PROTECTED = ("basic_farmland", "redline", "construction")
INDICATORS = ("mu", "paddy_mu", "capacity_kg")

FARMLAND_TEMPLATES: dict[str, str] = {
    "separator": SEPARATOR,
    "list_separator": LIST_SEPARATOR,
    "cite": CITE,
    # checks (one row of CHECKS each)
    "supplement_after_occupation": QT_TRANSLATE_NOOP(
        "reasons", "先补后占: approved on {date}, but {amounts} of it draw on supplement {other} accepted on "
                   "{other_date}, after the approval"),
    "supplement_after_occupation_transfer": QT_TRANSLATE_NOOP(
        "reasons", "先补后占: approved on {date}, but {amounts} of it draw on indicators received from {other} on "
                   "{other_date}, after the approval"),
    "supplement_after_occupation_linked": QT_TRANSLATE_NOOP(
        "reasons", "先补后占: approved on {date}, but the supplement it names, {other}, was accepted on {other_date}, "
                   "after the approval"),
    "cap_exceeded": QT_TRANSLATE_NOOP(
        "reasons", "以补定占: on {date} the county's cumulative use exceeds what it had supplemented (net of "
                   "transfers) by {excess}"),
    "excess_mu": QT_TRANSLATE_NOOP("reasons", "{value} 亩 cultivated land"),
    "excess_paddy_mu": QT_TRANSLATE_NOOP("reasons", "{value} 亩 paddy"),
    "excess_capacity_kg": QT_TRANSLATE_NOOP("reasons", "{value} kg grain capacity"),
    "occupies_basic_farmland": QT_TRANSLATE_NOOP(
        "reasons", "occupies {m2} m² ({mu} 亩) of permanent basic farmland"),
    "supplement_on_protected": QT_TRANSLATE_NOOP(
        "reasons", "supplement lies on {layer} over {m2} m² ({mu} 亩)"),
    "layer_basic_farmland": QT_TRANSLATE_NOOP("reasons", "permanent basic farmland"),
    "layer_redline": QT_TRANSLATE_NOOP("reasons", "the ecological red line"),
    "layer_construction": QT_TRANSLATE_NOOP("reasons", "existing construction land"),
    "supplement_overlap": QT_TRANSLATE_NOOP(
        "reasons", "double counting: overlaps supplement {other} (accepted {other_date}) over {m2} m² ({mu} 亩)"),
    # input problems (the run is refused, each named by layer, feature id and field)
    "empty_value": QT_TRANSLATE_NOOP("reasons", "empty"),
    "not_a_date": QT_TRANSLATE_NOOP("reasons", "not a date: {value}"),
    "imprecise": QT_TRANSLATE_NOOP("reasons", "not a full date (a year or month without the day): {value}"),
    "out_of_range": QT_TRANSLATE_NOOP("reasons", "a date outside {first}–{last}: {value}"),
    "not_a_number": QT_TRANSLATE_NOOP("reasons", "not a number: {value}"),
    "negative": QT_TRANSLATE_NOOP("reasons", "negative"),
    "no_area": QT_TRANSLATE_NOOP("reasons", "no area: the field is empty and the feature has no usable geometry"),
    "paddy_above_area": QT_TRANSLATE_NOOP("reasons", "paddy {paddy} m² is more than the cultivated area {area} m²"),
    "unknown_grade": QT_TRANSLATE_NOOP(
        "reasons", "quality grade {value} is not in the profile's capacity table (farmland_balance.capacity_per_mu: "
                   "{known})"),
    "no_grade": QT_TRANSLATE_NOOP("reasons", "no quality grade, so no capacity"),
    "unknown_supplement": QT_TRANSLATE_NOOP("reasons", "names supplement project(s) not in the supplements: {value}"),
    "same_county": QT_TRANSLATE_NOOP("reasons", "gives to itself: {value}"),
    "unknown_type": QT_TRANSLATE_NOOP("reasons", "indicator type {value} is none of {known}"),
}
