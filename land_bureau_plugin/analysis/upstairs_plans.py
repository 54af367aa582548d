"""Reading the plans' attributes for the upstairs rules: text or numbers in, `PlanData` out.

Layer attributes are untidy ("１２.５", "1,200", "1,5", "8F", "210%", "尚无资料", "待定", empty): this
module turns every number field into floats with a cause where the value is unknown (analysis.numbers reads them; a
FAR column in percent is recognised, analysis.plausibility), keeps values above their plausibility limit out of
every rule (cause IMPLAUSIBLE, never a pass), derives FAR, floor area and the declared-area difference from whatever
a plan provides, and collects the data-problem reasons (bad numbers, placeholders, data errors, repaired or empty
geometry, missing or repeated ids).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from . import upstairs_overlay as overlay
from .messages import fill
from .numbers import read_field
from .plausibility import above, column_unit, percent_column
from .upstairs_rules import (
    BAD_VALUE,
    IMPLAUSIBLE,
    NO_FIELD,
    NO_GEOMETRY,
    NO_VALUE,
    PlanData,
    UpstairsRules,
    first_cause,
)
from .upstairs_text import format_numbers

NUMBER_FIELDS = ("declared_area", "building_area", "far", "height", "floors", "ground_floor_height",
                 "upper_floor_height", "ground_floor_load", "upper_floor_load", "lift_capacity", "support_area",
                 "support_land_area")


def read_plans(frame: pd.DataFrame, clean: overlay.CleanGeometries, templates: dict[str, str],
               labels: dict[str, str], labels_of_rows: pd.Index,
               rules: UpstairsRules | None = None,
               fields: tuple[str, ...] = NUMBER_FIELDS) -> tuple[PlanData, list[pd.Series]]:
    """Numbers (read from text), geometry areas and derived measures; and the data-problem reasons found.

    A plan without a plan_id is named "#<its index label>" where other plans list it as overlapping. `fields`: the
    number fields read (the others taken as absent — for a look at one measure, e.g. far_basis).
    """
    rules = rules or UpstairsRules()
    n = len(frame)
    index = pd.RangeIndex(n)
    problems: list[pd.Series] = []
    numbers, causes, bad_values, units, percent_values = {}, {}, {}, {}, {}
    for name in NUMBER_FIELDS:
        if name not in fields:
            numbers[name], causes[name] = np.full(n, np.nan), np.full(n, NO_FIELD, dtype=object)
            continue
        raw = _raw(frame, name)
        reading = read_field(raw, name)
        values = reading.values.to_numpy(dtype=float)
        field = labels.get(name, name)
        text = raw.astype(str)
        if name == "far":
            values, units["far"], percent_values["far"] = _far_in_percent(values, reading.percent, rules, problems,
                                                                          templates, index)
        negative = values < 0
        limit = rules.limit(name)
        implausible = above(values, limit)
        junk = reading.junk.to_numpy() | negative
        cause = np.where(junk, BAD_VALUE, np.where(implausible, IMPLAUSIBLE, np.where(np.isnan(values), NO_VALUE, "")))
        numbers[name] = np.where(cause == "", values, np.nan)
        causes[name] = cause.astype(object) if name in frame else np.full(n, NO_FIELD, dtype=object)
        _add(problems, templates["bad_number"], index, junk, field=field, value=text)
        _add(problems, templates["placeholder"], index, reading.placeholder.to_numpy(), field=field, value=text)
        _add(problems, templates["implausible"], index, implausible, field=field, value=text,
             limit="" if limit is None else f"{limit:g}")
        if (junk | implausible).any():
            bad_values[name] = junk | implausible

    area = shapely.area(clean.geometry).astype(float)
    numbers["area_m2"], causes["area_m2"] = area, np.where(clean.empty, NO_GEOMETRY, "").astype(object)
    numbers["far_field"], causes["far_field"] = numbers["far"].copy(), causes["far"].copy()  # before it is derived
    _derive_measures(numbers, causes)
    _implausible_ratio(numbers, causes, rules, problems, templates, index)

    plan_ids = text_values(_raw(frame, "plan_id"))
    _add(problems, templates["geometry_repaired"], index, clean.repaired)
    _add(problems, templates["geometry_empty"], index, clean.empty)
    id_field = labels.get("plan_id") or templates["plan_id_field"]  # the layer's name for it (项目编号), not ours
    _add(problems, templates["no_plan_id"], index, plan_ids == "", field=id_field)
    duplicated = (plan_ids != "") & pd.Series(plan_ids).duplicated(keep=False).to_numpy()
    if duplicated.any():
        problems.append(fill(templates["duplicate_plan_id"], index[duplicated], value=pd.Series(plan_ids),
                             field=id_field))
    names = plan_names(plan_ids, labels_of_rows, templates["plan_of_feature"])
    texts = {"plan_id": plan_ids, "plan_name": names, "land_use": text_values(_raw(frame, "land_use")),
             "overlap_plans": np.full(n, "", dtype=object)}
    return PlanData(numbers, causes, texts, bad_values, units, percent_values), problems


def far_basis(data: PlanData, rules: UpstairsRules) -> pd.DataFrame:
    """What each plan's FAR is checked on, for the plan's form: one row per plan position with
    far (the FAR checked, NaN when unknown), from_floor_area (it is floor area ÷ the drawn area — the far field is then
    not read), floor_area, area_m2, field_far (the layer's far field as read, a ratio; NaN when none or unreadable) and
    differs (the field holds a value that is not the FAR checked: more than rules.far_field_tolerance apart)."""
    far, field_far = data.numbers["far"], data.numbers["far_field"]
    from_floor_area = (data.causes["building_area"] == "") & (data.causes["area_m2"] == "")
    known = (data.causes["far"] == "") & (data.causes["far_field"] == "")
    with np.errstate(invalid="ignore"):
        # a little slack for binary fractions: 2.51 − 2.5 is 0.00999…98 and 2.52 − 2.51 is 0.01000…02
        apart = np.abs(field_far - far) > rules.far_field_tolerance + 1e-9
    return pd.DataFrame({"far": far, "from_floor_area": from_floor_area, "floor_area": data.numbers["floor_area"],
                         "area_m2": data.numbers["area_m2"], "field_far": np.where(data.causes["far_field"] == "",
                                                                                   field_far, np.nan),
                         "differs": from_floor_area & known & apart})


def plan_names(plan_ids, labels, template: str) -> np.ndarray:
    """How each plan is named wherever plans are listed by id — the plans overlapping it, the panel's checklist, the
    warning on saving: its id; "#<feature id>" when it has none; an id that more than one plan has (a pasted copy
    keeps its original's) with the plan's feature id, `template` ("{plan} (feature {fid})") filled — so that
    two plans with one id are never read as one. `plan_ids`: text, "" for none; `labels`: the feature ids."""
    ids = np.asarray(plan_ids, dtype=object)
    labels = pd.Series(list(labels), dtype=object).astype(str).to_numpy(dtype=object)
    names = np.where(ids == "", "#" + labels, ids).astype(object)
    shared = (ids != "") & pd.Series(ids).duplicated(keep=False).to_numpy()
    for position in np.flatnonzero(shared):
        names[position] = template.format(plan=ids[position], fid=labels[position])
    return names


def _far_in_percent(values: np.ndarray, written_percent: pd.Series, rules: UpstairsRules, problems, templates,
                    index) -> tuple[np.ndarray, str | None, np.ndarray]:
    """The far column as a ratio: percent values (a column detected as percent, or "210%") divided by 100, each
    such row stated in the reasons. Returns the values, how the column was read (`column_unit`, for the log)
    and the mask of the values read in percent."""
    series = pd.Series(values)
    written = written_percent.reset_index(drop=True)
    percent = percent_column(series, written, rules.ratio_limit("far"), rules.far_unit).to_numpy()
    converted = np.where(percent, values / 100.0, values)
    _add(problems, templates["far_percent"], index, percent, value=pd.Series(format_numbers(values)),
         far=pd.Series(format_numbers(converted)))
    return converted, column_unit(values, percent, written), percent


def _implausible_ratio(numbers: dict, causes: dict, rules: UpstairsRules, problems, templates, index) -> None:
    """A FAR (given, or floor area / land area) above the FAR limit is a data error: FAR and floor area are then
    unknown (cause IMPLAUSIBLE), so no rule passes on them and no total or average FAR counts them."""
    limit = rules.limit("far")
    far = numbers["far"]
    implausible = above(far, limit)
    _add(problems, templates["far_implausible"], index, implausible, far=pd.Series(format_numbers(far)),
         limit="" if limit is None else f"{limit:g}")
    for name in ("far", "floor_area"):
        numbers[name] = np.where(implausible, np.nan, numbers[name])
        causes[name] = np.where(implausible, IMPLAUSIBLE, causes[name]).astype(object)


def _derive_measures(numbers: dict, causes: dict) -> None:
    """far, floor_area and the declared-area difference, each from whatever the plan provides.

    FAR = building_area / area when both are known, else the far column; floor area = building_area, else far × area.
    The support shares are percentages of their own base: the support (office and living) floor area of the total
    floor area, the land the support facilities occupy of the land area — never a floor area of a land area.
    """
    area, area_cause = numbers["area_m2"], causes["area_m2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        far_from_area = numbers["building_area"] / area
        diff = (numbers["declared_area"] - area) / area * 100
    numbers["far"], causes["far"] = _either(
        (far_from_area, first_cause(causes["building_area"], area_cause)), (numbers["far"], causes["far"]))
    numbers["floor_area"], causes["floor_area"] = _either(
        (numbers["building_area"], causes["building_area"]),
        (numbers["far"] * area, first_cause(causes["far"], area_cause)))
    diff_cause = first_cause(causes["declared_area"], area_cause)
    numbers["area_diff_pct"], causes["area_diff_pct"] = diff, diff_cause
    numbers["area_diff_abs_pct"], causes["area_diff_abs_pct"] = np.abs(diff), diff_cause
    for share, part, whole in (("support_floor_pct", "support_area", "floor_area"),
                               ("support_land_pct", "support_land_area", "area_m2")):
        numbers[share], causes[share] = _percent_of(numbers[part], causes[part], numbers[whole], causes[whole])


def _percent_of(part: np.ndarray, part_cause: np.ndarray, whole: np.ndarray,
                whole_cause: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """part / whole × 100 where both are known and the whole is positive; else NaN with the cause (a whole of 0
    has no share to take: no value)."""
    known_whole = (whole_cause == "") & (whole > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(known_whole, part / np.where(known_whole, whole, 1.0) * 100, np.nan)
    whole_cause = np.where((whole_cause == "") & ~known_whole, NO_VALUE, whole_cause)
    cause = first_cause(part_cause, whole_cause)
    return np.where(cause == "", share, np.nan), cause


def _either(*candidates: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The first known candidate per row. When none is known, the most telling cause, first candidate on a tie: a
    bad value or a missing geometry says more than "no value", which says more than "field not found" (a layer
    with a far field but no building_area field lacks a value, not a field)."""
    value = np.full(len(candidates[0][0]), np.nan)
    cause = np.full(len(value), NO_FIELD, dtype=object)
    rank = np.zeros(len(value), dtype=int)
    found = np.zeros(len(value), dtype=bool)
    for candidate_value, candidate_cause in candidates:
        take = ~found & (candidate_cause == "")
        value[take] = candidate_value[take]
        found |= take
        candidate_rank = np.where(candidate_cause == NO_FIELD, 0, np.where(candidate_cause == NO_VALUE, 1, 2))
        better = candidate_rank > rank
        cause, rank = np.where(better, candidate_cause, cause), np.where(better, candidate_rank, rank)
    return value, np.where(found, "", cause).astype(object)


def _raw(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-empty one when the layer does not have it (its rules become unchecked)."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def text_values(raw: pd.Series) -> np.ndarray:
    """Stripped text, "" for empty values."""
    missing = raw.isna().to_numpy()
    text = raw.astype(object).where(~missing, "").astype(str).str.strip()
    return text.to_numpy(dtype=object)


def _add(parts: list[pd.Series], template: str, index: pd.Index, mask: np.ndarray, **values) -> None:
    if mask.any():
        parts.append(fill(template, index[mask], **values))
