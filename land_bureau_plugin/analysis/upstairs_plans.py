"""Reading the plans' attributes for the upstairs rules: text or numbers in, `PlanData` out.

Layer attributes are untidy ("１２.５", "1,200", "待定", empty): this module turns every number field into floats with
a cause where the value is unknown, derives FAR, floor area and the declared-area difference from whatever a plan
provides, and collects the data-problem reasons (bad numbers, repaired or empty geometry, missing or repeated ids).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from . import upstairs_overlay as overlay
from .messages import fill
from .upstairs_rules import BAD_VALUE, NO_FIELD, NO_GEOMETRY, NO_VALUE, PlanData, first_cause

NUMBER_FIELDS = ("declared_area", "building_area", "far", "height", "floors", "ground_floor_height",
                 "upper_floor_height", "ground_floor_load", "upper_floor_load", "lift_capacity", "support_area")


def read_plans(frame: pd.DataFrame, clean: overlay.CleanGeometries, templates: dict[str, str],
                labels: dict[str, str], labels_of_rows: pd.Index) -> tuple[PlanData, list[pd.Series]]:
    """Numbers (coerced from text), geometry areas and derived measures; and the data-problem reasons found.

    A plan without a plan_id is named "#<its index label>" where other plans list it as overlapping.
    """
    n = len(frame)
    index = pd.RangeIndex(n)
    problems: list[pd.Series] = []
    numbers, causes, bad_values = {}, {}, {}
    for name in NUMBER_FIELDS:
        raw = _raw(frame, name)
        numbers[name], causes[name] = to_numbers(raw)
        if name not in frame:
            causes[name] = np.full(n, NO_FIELD, dtype=object)
        bad = causes[name] == BAD_VALUE
        if bad.any():
            bad_values[name] = bad
            problems.append(fill(templates["bad_number"], index[bad], field=labels.get(name, name),
                                 value=raw.astype(str)))

    area = shapely.area(clean.geometry).astype(float)
    numbers["area_m2"], causes["area_m2"] = area, np.where(clean.empty, NO_GEOMETRY, "").astype(object)
    _derive_measures(numbers, causes)

    plan_ids = text_values(_raw(frame, "plan_id"))
    _add(problems, templates["geometry_repaired"], index, clean.repaired)
    _add(problems, templates["geometry_empty"], index, clean.empty)
    _add(problems, templates["no_plan_id"], index, plan_ids == "")
    duplicated = (plan_ids != "") & pd.Series(plan_ids).duplicated(keep=False).to_numpy()
    if duplicated.any():
        problems.append(fill(templates["duplicate_plan_id"], index[duplicated], value=pd.Series(plan_ids)))
    names = np.where(plan_ids == "", "#" + pd.Series(labels_of_rows).astype(str), plan_ids).astype(object)
    texts = {"plan_id": plan_ids, "plan_name": names, "land_use": text_values(_raw(frame, "land_use")),
             "overlap_plans": np.full(n, "", dtype=object)}
    return PlanData(numbers, causes, texts, bad_values), problems


def _derive_measures(numbers: dict, causes: dict) -> None:
    """far, floor_area and the declared-area difference, each from whatever the plan provides.

    FAR = building_area / area when both are known, else the far column; floor area = building_area, else far × area.
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


_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"  # "1,200" or "12,345.5"


def to_numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as floats and a cause per row ("" known, NO_VALUE empty, BAD_VALUE junk / infinite / negative).

    Layer attributes arrive as numbers or text: "12.5", full-width "１２．５" (NFKC) and "1,200" are read; a comma
    that is not a thousands separator ("12,5") is junk rather than a silent 125. No quantity here is negative.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        empty = np.isnan(values)
    else:
        objects = raw.astype(object)
        missing = objects.isna().to_numpy()
        text = objects.where(~missing, "").astype(str).str.normalize("NFKC").str.strip()
        grouped = text.str.match(_THOUSANDS).to_numpy(dtype=bool)
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
        empty = missing | (text == "").to_numpy()
        values = pd.to_numeric(text.where(~empty), errors="coerce").to_numpy(dtype=float)
    bad = ~empty & ~(np.isfinite(values) & (values >= 0))
    values = np.where(bad, np.nan, values)
    cause = np.where(empty, NO_VALUE, np.where(bad, BAD_VALUE, "")).astype(object)
    return values, cause


def _raw(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-empty one when the layer does not have it (its rules become unchecked)."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def text_values(raw: pd.Series) -> np.ndarray:
    """Stripped text, "" for empty values."""
    missing = raw.isna().to_numpy()
    text = raw.astype(object).where(~missing, "").astype(str).str.strip()
    return text.to_numpy(dtype=object)


def _add(parts: list[pd.Series], template: str, index: pd.Index, mask: np.ndarray) -> None:
    if mask.any():
        parts.append(fill(template, index[mask]))
