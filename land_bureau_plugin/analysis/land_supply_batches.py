"""批而未供: the part of each approval batch not covered by supplied parcels, and how long since approval.

Per batch (one row per batch, in the batches' order): `approved_m2` the batch's planar area, `supplied_m2` the part
of it covered by supplied parcels (parcels that overlap each other count once), `unsupplied_m2` the rest and its
polygon (the batch minus the parcels), `unsupplied_mu` the same in 亩, `age_days` = as of − approval date, `due` =
approval + `unsupplied_years` (the two years after which an approval not implemented lapses), `days_left` to it, and
`grade` (analysis.deadlines): red when the deadline has passed with at least `min_unsupplied_m2` unsupplied,
orange / yellow when it is within the windows, grey when the approval date is missing, unreadable or after the
as-of date, or the batch has no usable geometry; green otherwise (also a batch fully supplied).

Coverage is spatial: any supplied parcel on the batch counts, whatever batch id it carries. All geometries are
planar (metres), cleaned as every overlay cleans them (upstairs_overlay.clean_polygons); `uncovered` takes the
union of the parcels away from each batch, vectorised over the batches.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

from . import deadlines
from .dates import OK, add_years, explain_bad_dates, parse_dates_explained
from .efficiency_reading import column, per_value
from .efficiency_reasons import Fixed
from .land_supply import setup
from .land_supply_rules import DEFAULT_RULES, LandSupplyRules
from .land_supply_text import SUPPLY_TEMPLATES
from .messages import join_reasons
from .overlay import _parallel
from .units import M2_PER_MU
from .upstairs_overlay import CleanGeometries, clean_polygons, dissolve, polygonal_part

TABLE_COLUMNS = ("batch_id", "batch_name", "district", "approval_date", "approved_m2", "supplied_m2",
                 "unsupplied_m2", "unsupplied_mu", "age_days", "due", "days_left", "grade", "reasons")


class Unsupplied(NamedTuple):
    """The UNSUPPLIED table (TABLE_COLUMNS, on the batches' index), the unsupplied polygon of each batch (None when
    fully supplied or without geometry), and by position which batches and parcels were repaired or unusable."""

    table: pd.DataFrame
    geometry: np.ndarray
    batches_repaired: np.ndarray
    batches_empty: np.ndarray
    parcels_repaired: np.ndarray
    parcels_empty: np.ndarray
    duplicated: np.ndarray  # positions of batches whose id appears more than once


def unsupplied(batch_geometries, batches: pd.DataFrame, parcel_geometries, as_of,
               rules: LandSupplyRules = DEFAULT_RULES, windows: dict | None = None,
               templates: dict[str, str] = SUPPLY_TEMPLATES, field_labels: dict[str, str] | None = None) -> Unsupplied:
    """Measure every batch against the supplied parcels and judge it (module docstring). Geometries are shapely,
    planar; `parcel_geometries` may be the parcels already cleaned (upstairs_overlay.CleanGeometries). The
    in-database engine measures in SQL (postgis.land_supply) and judges with `judge`."""
    clean = clean_polygons(batch_geometries)
    parcels = parcel_geometries if isinstance(parcel_geometries, CleanGeometries) else clean_polygons(
        parcel_geometries)  # the caller's cleaned parcels are not cleaned twice (100,000 validity checks)
    rest = uncovered(clean.geometry, parcels.geometry)
    table, geometry, duplicated = judge(batches, shapely.area(clean.geometry), rest, clean.empty, as_of, rules,
                                        windows, templates, field_labels)
    return Unsupplied(table, geometry, np.flatnonzero(clean.repaired), np.flatnonzero(clean.empty),
                      np.flatnonzero(parcels.repaired), np.flatnonzero(parcels.empty), duplicated)


def judge(batches: pd.DataFrame, approved_m2, rest, empty, as_of, rules: LandSupplyRules = DEFAULT_RULES,
          windows: dict | None = None, templates: dict[str, str] = SUPPLY_TEMPLATES,
          field_labels: dict[str, str] | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The UNSUPPLIED table of measured batches: `approved_m2` each batch's planar area, `rest` what no parcel
    covers (shapely; None or empty when all is supplied), `empty` True for a batch without usable geometry. Returns
    (table on the batches' index, the unsupplied polygons — None where nothing is left —, positions of repeated
    batch ids)."""
    original_index = batches.index
    table, as_of, windows, templates, label, notes = setup(batches, as_of, rules, windows, templates, field_labels)
    index = table.index

    empty = np.asarray(empty, dtype=bool)
    geometry = np.asarray(rest, dtype=object).copy()
    approved = pd.Series(np.asarray(approved_m2, dtype=float), index=index).where(~empty)
    left = pd.Series(shapely.area(geometry), index=index).fillna(0.0).where(~empty)  # None: all supplied
    supplied = (approved - left).clip(lower=0.0)
    geometry[~(left.fillna(0).to_numpy() > 0)] = None
    notes.add(empty, "batch_no_geometry")

    raw = column(table, "approval_date")
    approval, cause = parse_dates_explained(raw)
    approval.index, cause.index = index, index
    explain_bad_dates(notes.add, cause, label("approval_date"), raw)
    notes.add(approval.isna() & (cause == OK), "no_approval_date")
    future = approval > as_of
    notes.add(future, "date_after_as_of", field=label("approval_date"), date=approval,
              as_of=as_of.strftime("%Y-%m-%d"))
    approval = approval.where(~future)
    missing = approval.isna() | pd.Series(empty, index=index)

    due = add_years(approval, rules.unsupplied_years)
    days_left = (due - as_of).dt.days.astype("Int64")
    open_ = ~missing & (left >= rules.min_unsupplied_m2)
    overdue = open_ & (as_of > due)
    grade = deadlines.grade(overdue.to_numpy(), days_left.astype(float).where(open_ & ~overdue).to_numpy(),
                            missing.to_numpy(), windows)
    area_text = Fixed(left, 1)
    notes.add(overdue, "unsupplied_overdue", area=area_text, years=rules.unsupplied_years, due=due,
              days=-days_left)
    notes.add(open_ & ~overdue & days_left.between(0, windows["yellow"]).fillna(False), "unsupplied_due_soon",
              area=area_text, years=rules.unsupplied_years, days=days_left, due=due)
    ids = per_value(column(table, "batch_id"), lambda value: str(value).strip() or None)
    duplicated = ids.notna() & ids.duplicated(keep=False)
    notes.add(duplicated, "duplicate_batch_id", value=column(table, "batch_id"))

    out = pd.DataFrame({
        "batch_id": column(table, "batch_id"), "batch_name": column(table, "batch_name"),
        "district": column(table, "district"), "approval_date": approval,
        "approved_m2": approved, "supplied_m2": supplied, "unsupplied_m2": left, "unsupplied_mu": left / M2_PER_MU,
        "age_days": (as_of - approval).dt.days.astype("Int64"), "due": due, "days_left": days_left.where(~missing),
        "grade": grade, "reasons": join_reasons(notes.parts, index, templates["separator"]),
    }, index=index)
    out.index = original_index
    return out, geometry, np.flatnonzero(duplicated.to_numpy())




def uncovered(batches: np.ndarray, parcels: np.ndarray) -> np.ndarray:
    """Each batch (clean, None allowed) minus the parcels that meet it (one bulk STRtree query); parcels
    overlapping each other count once. The result keeps its polygonal part only.

    Supplied parcels seldom overlap: where a batch's parcels make a valid MultiPolygon (no two of them overlap or
    share an edge) they are taken away as that MultiPolygon in one vectorised difference; only the other batches
    need the union of their parcels first (GEOS unary union, vectorised over the batches). On 20,000 batches and
    100,000 parcels (tests/bench/land_supply_bench.py) 1.0 s, against 1.9 s for unions everywhere, 1.6 s for
    subtracting the parcels one round at a time and 7.6 s for the upstairs overlay (intersect, dissolve where pieces
    overlap)."""
    rest = batches.copy()
    batch, parcel = shapely.STRtree(parcels).query(batches, predicate="intersects")
    order = np.argsort(batch, kind="stable")
    batch, parcel = batch[order], parcel[order]
    parts, owner = shapely.get_parts(parcels[parcel], return_index=True)  # a parcel may be a MultiPolygon itself
    together = np.full(len(batches), None, dtype=object)
    shapely.multipolygons(parts, indices=batch[owner], out=together)
    touched = ~shapely.is_missing(together)
    apart = touched & shapely.is_valid(together)
    rest[apart] = _parallel(shapely.difference, batches[apart], together[apart])
    meeting = np.flatnonzero(touched & ~apart)
    if len(meeting):
        rows = np.isin(batch, meeting)
        union = dissolve(parcels[parcel[rows]], batch[rows], len(batches))[meeting]
        rest[meeting] = _parallel(shapely.difference, batches[meeting], union)
    return polygonal(rest)


def polygonal(geometries: np.ndarray) -> np.ndarray:
    """Only the polygons of each geometry (a difference may leave lines or points beside them), in place."""
    odd = ~shapely.is_missing(geometries) & ~np.isin(shapely.get_type_id(geometries), (3, 6))  # not (multi)polygons
    geometries[odd] = polygonal_part(geometries[odd])
    return geometries


def summarise(table: pd.DataFrame) -> dict:
    """Batches per grade, their approved and unsupplied areas (m² and 亩), batches without geometry."""
    per_grade = table["grade"].value_counts().reindex(deadlines.GRADES, fill_value=0)
    unsupplied_m2 = float(table["unsupplied_m2"].sum())
    overdue = table["grade"].eq("red")
    return {
        "batches": int(len(table)),
        "per_grade": {g: int(n) for g, n in per_grade.items()},
        "approved_m2": float(table["approved_m2"].sum()),
        "unsupplied_m2": unsupplied_m2,
        "unsupplied_mu": unsupplied_m2 / M2_PER_MU,
        "overdue_unsupplied_m2": float(table["unsupplied_m2"].where(overdue).sum()),
        "no_geometry": int(table["approved_m2"].isna().sum()),
    }
