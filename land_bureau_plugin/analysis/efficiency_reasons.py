"""The reasons of the low-efficiency analysis: its sentences (marked for translation) and the collector that
fills them for the rows a mask selects.

Every step of analysis.efficiency (reading, land use, intensity, score, criteria) adds its reasons here, so the
sentences live in one place and the step modules share one way of writing them.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .messages import CITE, LIST_SEPARATOR, QT_TRANSLATE_NOOP, SEPARATOR, TEMPLATES, fill

EFFICIENCY_TEMPLATES: dict[str, str] = {
    # the criteria
    "far_low": QT_TRANSLATE_NOOP("reasons", "FAR {far} below {min_far} for {code}"),
    "coverage_low": QT_TRANSLATE_NOOP("reasons", "coverage {coverage}% below {min_coverage}%"),
    "tax_low": QT_TRANSLATE_NOOP("reasons", "tax per mu {tax} 万元 is {share}% of {average} (floor {floor}%)"),
    # the reference an indicator is compared with (profile `reference`)
    "district_median": QT_TRANSLATE_NOOP("reasons", "district median"),
    "layer_median": QT_TRANSLATE_NOOP("reasons", "layer median"),
    "district_trimmed_mean": QT_TRANSLATE_NOOP("reasons", "district trimmed mean"),
    "layer_trimmed_mean": QT_TRANSLATE_NOOP("reasons", "layer trimmed mean"),
    "unit_error": QT_TRANSLATE_NOOP(
        "reasons", "{indicator} {value} is {factor}× or more the {where} {reference}: suspected unit error "
                   "(元 for 万元?), not used"),
    "grade_low": QT_TRANSLATE_NOOP("reasons", "grade {grade} (score {score})"),
    "idle": QT_TRANSLATE_NOOP("reasons", "idle land"),
    "default_code": QT_TRANSLATE_NOOP("reasons", "other industrial land"),
    # the score
    "indicators_missing": QT_TRANSLATE_NOOP(
        "reasons", "score without {indicators} (not available), remaining weights renormalised"),
    "no_indicators": QT_TRANSLATE_NOOP("reasons", "no economic indicator available: no score or grade"),
    "indicator_tax_per_mu": QT_TRANSLATE_NOOP("reasons", "tax per mu"),
    "indicator_output_per_mu": QT_TRANSLATE_NOOP("reasons", "output per mu"),
    "indicator_output_per_energy": QT_TRANSLATE_NOOP("reasons", "output per energy"),
    "indicator_output_per_employee": QT_TRANSLATE_NOOP("reasons", "output per employee"),
    "indicator_rd_ratio": QT_TRANSLATE_NOOP("reasons", "R&D ratio"),
    # enterprise classes and grading (analysis.efficiency_grading)
    "class_tenant": QT_TRANSLATE_NOOP("reasons", "tenant without land of its own: listed apart, not graded"),
    "class_no_land": QT_TRANSLATE_NOOP("reasons", "no land area: listed apart, not graded"),
    "class_small": QT_TRANSLATE_NOOP(
        "reasons", "below designated size on {mu} mu (less than {min_mu} mu): listed apart, not graded"),
    "exempt_new": QT_TRANSLATE_NOOP(
        "reasons", "new enterprise, production started {date} (less than {years} years ago): {treatment}"),
    "exempt_construction": QT_TRANSLATE_NOOP("reasons", "project under construction: {treatment}"),
    "exempt_utility": QT_TRANSLATE_NOOP("reasons", "utility (industry {code}): {treatment}"),
    "not_graded": QT_TRANSLATE_NOOP("reasons", "not graded (不定等级)"),
    "treated_as": QT_TRANSLATE_NOOP("reasons", "not ranked (不定等级), treated as grade {grade}"),
    "scale_unknown": QT_TRANSLATE_NOOP(
        "reasons", "{field} {value} is neither 规上 nor 规下: judged by output (at least {threshold} 万元: 规上)"),
    "rank": QT_TRANSLATE_NOOP("reasons", "rank {rank} of {n} {kind} {where}"),
    "class_above": QT_TRANSLATE_NOOP("reasons", "above designated size"),
    "class_below": QT_TRANSLATE_NOOP("reasons", "below designated size"),
    "class_all": QT_TRANSLATE_NOOP("reasons", "parcels"),
    "in_district": QT_TRANSLATE_NOOP("reasons", "in {district}"),
    "in_city": QT_TRANSLATE_NOOP("reasons", "in the city"),
    # an unreadable production start date: the sentences every analysis uses for dates (analysis.messages)
    **{key: TEMPLATES[key] for key in ("bad_date", "imprecise_date", "date_out_of_range")},
    # intensity
    "no_far": QT_TRANSLATE_NOOP("reasons", "no FAR: no buildings layer and no far or building_area value"),
    "far_implausible": QT_TRANSLATE_NOOP("reasons", "FAR {far} is implausible (above {limit}): data error, not used"),
    "coverage_implausible": QT_TRANSLATE_NOOP(
        "reasons", "coverage {coverage}% is above {limit}%: data error, not used"),
    "far_percent": QT_TRANSLATE_NOOP("reasons", "FAR {value} read as percent: {far}"),
    "coverage_percent_small": QT_TRANSLATE_NOOP(
        "reasons", "coverage {value} read as {value}% (the column is in percent)"),
    "no_buildings": QT_TRANSLATE_NOOP("reasons", "no building of the buildings layer on the parcel"),
    "no_building_data": QT_TRANSLATE_NOOP(
        "reasons", "no building of the buildings layer within {radius} m: outside the area the layer covers, "
                   "no building data (FAR and coverage not judged)"),
    "storeys_from_height": QT_TRANSLATE_NOOP(
        "reasons", "{count} building(s) without storeys: estimated from height at {storey} m per storey"),
    "one_storey": QT_TRANSLATE_NOOP("reasons", "{count} building(s) without storeys or height: counted as 1 storey"),
    # data errors
    "land_use_missing": QT_TRANSLATE_NOOP("reasons", "land use missing: not judged"),
    "land_use_unknown": QT_TRANSLATE_NOOP("reasons", "land use {value} is no code or name of {system}: not judged"),
    "system_gbt21010": QT_TRANSLATE_NOOP("reasons", "GB/T 21010-2017"),
    "system_guide2023": QT_TRANSLATE_NOOP("reasons", "the 2023 land and sea use classification guide"),
    "system_gb50137": QT_TRANSLATE_NOOP("reasons", "GB 50137-2011"),
    "no_area": QT_TRANSLATE_NOOP("reasons", "parcel area is zero or missing"),
    "geometry_empty": QT_TRANSLATE_NOOP("reasons", "parcel geometry is empty or not a polygon"),
    "geometry_repaired": QT_TRANSLATE_NOOP("reasons", "parcel geometry was invalid and has been repaired"),
    "not_a_number": QT_TRANSLATE_NOOP("reasons", "{field} is not a number: {value}"),
    "negative": QT_TRANSLATE_NOOP("reasons", "{field} is negative: {value}"),
    "placeholder": QT_TRANSLATE_NOOP("reasons", "{field} has no data: {value}"),
    "value_implausible": QT_TRANSLATE_NOOP(
        "reasons", "{field} {value} is above the plausible limit {limit}: data error, not used"),
    "duplicate_parcel_id": QT_TRANSLATE_NOOP("reasons", "parcel id {value} appears more than once"),
    "not_yes_no": QT_TRANSLATE_NOOP("reasons", "{field} is not a yes/no value: {value}"),
    # punctuation: between the reasons of a parcel, and between the names in {indicators}
    "separator": SEPARATOR,
    "list_separator": LIST_SEPARATOR,
    "cite": CITE,  # after a criterion's reason: its documented source
}


class Fixed(NamedTuple):
    """A number column to be shown with a fixed number of decimals in a reason."""

    values: pd.Series
    decimals: int


class Reasons:
    """Reason parts for the rows a mask selects; values are cut to those rows before they are formatted."""

    def __init__(self, rows: pd.Index, templates: dict[str, str]):
        self.rows, self.templates, self.parts = rows, templates, []

    def add(self, mask, key: str, **values) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.parts.append(fill(self.templates[key], self.rows[mask], **{
                name: _subset(value, mask) for name, value in values.items()}))


def _subset(value, mask: np.ndarray):
    if isinstance(value, Fixed):
        kept = value.values[mask]
        form = f"%.{value.decimals}f"  # as np.char.mod formats, a third of its time: Python floats, one list
        return pd.Series(np.array([form % number for number in kept.to_numpy(dtype=float).tolist()], dtype=object),
                         index=kept.index, dtype=object)
    if isinstance(value, pd.Series):
        return value[mask]
    return value
