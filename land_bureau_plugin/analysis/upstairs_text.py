"""How the upstairs check writes things: the reason templates and how numbers and totals read.

Kept apart so the English sources marked for translation (context "reasons", extracted by pylupdate from this file)
sit in one place, and the rules, the tables and the Qt side format values the same way ("2.5", "24", "1050.75").
"""
from __future__ import annotations

import numpy as np

from .messages import CITE, LOCAL_DEFAULT, QT_TRANSLATE_NOOP, SEPARATOR
from .units import with_unknown

ID_SEPARATOR = ","  # in failed_rules, unchecked_rules, overlap_plans

UPSTAIRS_TEMPLATES: dict[str, str] = {
    # short rule names, used in reasons and in the panel's checklist
    "rule_far": QT_TRANSLATE_NOOP("reasons", "FAR"),
    "rule_height": QT_TRANSLATE_NOOP("reasons", "height"),
    "rule_floors": QT_TRANSLATE_NOOP("reasons", "storeys"),
    "rule_ground_floor_height": QT_TRANSLATE_NOOP("reasons", "ground floor height"),
    "rule_upper_floor_height": QT_TRANSLATE_NOOP("reasons", "upper floor height"),
    "rule_ground_floor_load": QT_TRANSLATE_NOOP("reasons", "ground floor load"),
    "rule_upper_floor_load": QT_TRANSLATE_NOOP("reasons", "upper floor load"),
    "rule_lift_capacity": QT_TRANSLATE_NOOP("reasons", "freight lift"),
    "rule_support_floor_share": QT_TRANSLATE_NOOP("reasons", "support floor share"),
    "rule_support_land_share": QT_TRANSLATE_NOOP("reasons", "support land share"),
    "rule_area_match": QT_TRANSLATE_NOOP("reasons", "declared area"),
    "rule_farmland": QT_TRANSLATE_NOOP("reasons", "permanent basic farmland"),
    "rule_redline": QT_TRANSLATE_NOOP("reasons", "ecological red line"),
    "rule_urban_boundary": QT_TRANSLATE_NOOP("reasons", "urban development boundary"),
    "rule_industrial_land": QT_TRANSLATE_NOOP("reasons", "industrial land"),
    "rule_plan_overlap": QT_TRANSLATE_NOOP("reasons", "other plans"),
    # failures; {value} is the measured value, {threshold} the limit
    "fail_far": QT_TRANSLATE_NOOP("reasons", "FAR {value} below {threshold}"),
    "fail_height_low": QT_TRANSLATE_NOOP("reasons", "height {value} m not above {threshold} m"),
    "fail_height_high": QT_TRANSLATE_NOOP("reasons", "height {value} m above {threshold} m"),
    "fail_floors": QT_TRANSLATE_NOOP("reasons", "storeys {value}, fewer than {threshold}"),
    "fail_ground_floor_height": QT_TRANSLATE_NOOP("reasons", "ground floor height {value} m below {threshold} m"),
    "fail_upper_floor_height": QT_TRANSLATE_NOOP("reasons", "upper floor height {value} m below {threshold} m"),
    "fail_ground_floor_load": QT_TRANSLATE_NOOP("reasons", "ground floor load {value} kN/m² below {threshold} kN/m²"),
    "fail_upper_floor_load": QT_TRANSLATE_NOOP("reasons", "upper floor load {value} kN/m² below {threshold} kN/m²"),
    "fail_lift_capacity": QT_TRANSLATE_NOOP("reasons", "freight lift {value} t below {threshold} t"),
    "fail_support_floor": QT_TRANSLATE_NOOP(
        "reasons", "support floor {support_area} m² is {value} % of floor area {floor_area} m² (limit {threshold} %)"),
    "fail_support_land": QT_TRANSLATE_NOOP(
        "reasons", "support land {support_land_area} m² is {value} % of land area {area_m2} m² (limit {threshold} %)"),
    "fail_area_match": QT_TRANSLATE_NOOP(
        "reasons", "declared {declared_area} m² and drawn {area_m2} m² differ by {value} % (limit {threshold} %)"),
    "fail_farmland": QT_TRANSLATE_NOOP("reasons", "{value} m² on permanent basic farmland"),
    "fail_redline": QT_TRANSLATE_NOOP("reasons", "{value} m² inside the ecological red line"),
    "fail_urban_boundary": QT_TRANSLATE_NOOP("reasons", "{value} m² outside the urban development boundary"),
    "fail_industrial_land": QT_TRANSLATE_NOOP("reasons", "{value} m² on non-industrial land"),
    "fail_plan_overlap": QT_TRANSLATE_NOOP("reasons", "overlaps plan {overlap_plans} by {value} m²"),
    # rules that could not be evaluated: "not checked: height (no value), farmland (layer not given)"
    "not_checked": QT_TRANSLATE_NOOP("reasons", "not checked: {rules}"),
    "cause_no_field": QT_TRANSLATE_NOOP("reasons", "{rule} (field not found)"),
    "cause_no_value": QT_TRANSLATE_NOOP("reasons", "{rule} (no value)"),
    "cause_bad_value": QT_TRANSLATE_NOOP("reasons", "{rule} (invalid value)"),
    "cause_implausible": QT_TRANSLATE_NOOP("reasons", "{rule} (implausible value: data error)"),
    "cause_no_layer": QT_TRANSLATE_NOOP("reasons", "{rule} (layer not given)"),
    "cause_no_geometry": QT_TRANSLATE_NOOP("reasons", "{rule} (no geometry)"),
    "cause_not_covered": QT_TRANSLATE_NOOP("reasons", "{rule} (land-use layer does not cover the plan)"),
    # data problems
    # the leadership's figures and lists inside a sentence: "，" / "、" in Chinese, ", " in English
    "figures": QT_TRANSLATE_NOOP("reasons", "{plans} 宗, {land_mu} 亩, {floor_area} 万m²"),
    "list_separator": QT_TRANSLATE_NOOP("reasons", ", "),
    "cite": CITE,  # after a failure: the documented source of its rule
    "local_default": LOCAL_DEFAULT,  # the source of a rule without a document
    "separator": SEPARATOR,  # between reasons: the Qt side passes its translated copy ("；")
    # the industrial-land rule judged on a plan's own code (no land-use layer): what was checked, not an area
    "own_code_threshold": QT_TRANSLATE_NOOP("reasons", "an industrial code"),
    "own_code_note": QT_TRANSLATE_NOOP("reasons", "the plan's own land-use code {code} (no land-use layer)"),
    "bad_number": QT_TRANSLATE_NOOP("reasons", "{field} is not a valid number: {value}"),
    "placeholder": QT_TRANSLATE_NOOP("reasons", "{field} has no data: {value}"),
    "implausible": QT_TRANSLATE_NOOP(
        "reasons", "{field} {value} is above the plausible limit {limit}: data error, not used"),
    "far_percent": QT_TRANSLATE_NOOP("reasons", "FAR {value} read as percent: {far}"),
    "far_implausible": QT_TRANSLATE_NOOP(
        "reasons", "FAR {far} (floor area / land area) is above the plausible limit {limit}: data error, not used"),
    "geometry_repaired": QT_TRANSLATE_NOOP("reasons", "invalid geometry was repaired"),
    "geometry_empty": QT_TRANSLATE_NOOP("reasons", "no usable geometry (none, empty or not a polygon): not judged"),
    # {field}: the plan id field as the layer names it (qgis_bridge.fieldmaps.layer_field_label), else plan_id_field
    "duplicate_plan_id": QT_TRANSLATE_NOOP("reasons", "{field} {value} appears more than once"),
    "no_plan_id": QT_TRANSLATE_NOOP("reasons", "{field} missing"),
    "plan_id_field": QT_TRANSLATE_NOOP("reasons", "plan id"),
    # a plan whose id another plan has too (a pasted copy keeps it), wherever plans are named: upstairs_plans.plan_names
    "plan_of_feature": QT_TRANSLATE_NOOP("reasons", "{plan} (feature {fid})"),
}


def format_value(value) -> str:
    """One number the way the reasons write it ("2.5", "24", "1050.75"; "" when unknown), for the panel."""
    return format_numbers(value)


def format_numbers(values, decimals: int = 2):
    """Numbers as short text — at most `decimals` decimals, no trailing zeros ("2.5", "24", "1050.75"), "" for NaN.

    "%.2f" always writes a decimal point, so stripping zeros and then the point never eats digits of the integer.
    """
    if np.isscalar(values):
        return format_numbers(np.array([values], dtype=float), decimals)[0]
    numbers = np.asarray(values, dtype=float)
    if not numbers.size:  # np.char.mod returns an empty *float* array, which np.char.rstrip refuses
        return np.empty(numbers.shape, dtype=object)
    text = np.char.rstrip(np.char.rstrip(np.char.mod(f"%.{decimals}f", numbers), "0"), ".")
    text = np.where(text == "-0", "0", text)
    return np.where(np.isfinite(numbers), text, "").astype(object)


def format_apart(values, threshold, decimals: int = 2, most: int = 10) -> np.ndarray:
    """`values` as `format_numbers` writes them, with as many more decimals (up to `most`) as a value needs not to
    read as `threshold` unless it is it: a FAR of 1.9999 failing "≥ 2" was written "FAR 2 below 2"."""
    numbers = np.asarray(values, dtype=float)
    text = format_numbers(numbers, decimals)
    limit = float(threshold)
    for more in range(decimals + 1, most + 1):
        same = (text == format_numbers(limit, more - 1)) & (numbers != limit) & np.isfinite(numbers)
        if not same.any():
            break
        text[same] = format_numbers(numbers[same], more)
    return text


def figures(plans: int, land_mu: float, floor_area_wan_m2: float,
            template: str = UPSTAIRS_TEMPLATES["figures"], land_unknown: int = 0, floor_unknown: int = 0) -> str:
    """The totals in the form leadership reports them: "133 宗, 7,682 亩, 1,423 万m²" (a translated `template`
    gives the Chinese "133 宗，7,682 亩，1,423 万m²").

    The units are the bureau's own whatever the interface language. Totals from 100 up are whole numbers with
    thousands separators; smaller ones keep up to two decimals, so three plans do not read "0 万m²". The 亩 and 万m²
    are those of the plans whose area is known: plans whose land or floor area is not are named after them
    ("…，1,423 万m²（2宗用地面积不明、5宗建筑面积不明）"), never added as 0.
    """
    text = template.format(plans=plans, land_mu=_amount(land_mu), floor_area=_amount(floor_area_wan_m2))
    return with_unknown(text, land_unknown, "{n}宗用地面积不明", (floor_unknown, "{n}宗建筑面积不明"))


def _amount(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
