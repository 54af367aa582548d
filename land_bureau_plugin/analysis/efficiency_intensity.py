"""Land area, FAR and coverage per parcel: from the buildings clipped to the parcel when there is a buildings
layer, else from the parcel's own fields (percent columns read as such); implausible values are reported and kept
out of every criterion; a parcel outside the area the buildings layer covers has no building data, not FAR 0.

Intensity is the half of the low-efficiency judgement that is measured rather than scored, and the only part
that needs the geometry engine (`efficiency_spatial.Spatial`); analysis.efficiency's module docstring gives the
rules.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .efficiency_reasons import Fixed, Reasons
from .efficiency_spatial import Spatial, StoreyRule, buildings_report
from .overlay import GeometryReport
from .plausibility import PERCENT_SIGN, above, column_unit, percent_column

# A degenerate parcel (collinear vertices) measured after reprojection from lon/lat keeps a rounding-error area of
# ~1e-8 m², not 0: anything this small is "no usable area", or it would get FAR 0 and a silent low-efficiency flag.
MIN_PARCEL_AREA_M2 = 1e-3


def parcel_area(spatial: Spatial | None, area_m2: pd.Series, notes: Reasons):
    """(area in m² with NaN where unusable, geometry report): the geometry's planar area, else `area_m2`."""
    rows = area_m2.index
    if spatial is None:
        none = np.empty(0, dtype=np.intp)
        report, area, empty = GeometryReport(none, none), area_m2, np.zeros(len(rows), dtype=bool)
    else:
        measured, report = spatial.parcel_areas()
        if len(measured) != len(rows):
            raise ValueError(f"{len(measured)} parcel geometries for {len(rows)} parcels")
        area = pd.Series(measured, index=rows)
        empty = _mask(len(rows), report.empty)
        notes.add(_mask(len(rows), report.repaired), "geometry_repaired")
        notes.add(empty, "geometry_empty")
    area = area.where(area > MIN_PARCEL_AREA_M2)
    notes.add(area.isna() & ~empty, "no_area")
    return area, report


def _mask(size: int, positions: np.ndarray) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask


class Intensity(NamedTuple):
    """FAR and coverage per parcel, and what the buildings overlay has to report."""

    far: pd.Series  # a ratio (percent converted); NaN where missing, a data error or without building data
    coverage: pd.Series  # a share, NaN likewise
    building_report: dict
    units: dict  # {"far": plausibility.column_unit or None, "coverage": …}: how the parcels' own fields were read
    percent_signs: dict  # {"far": mask, …}: rows read in percent for their "%" in a column read as ratios


def measure_intensity(numbers, percent, area, spatial: Spatial | None, rules, notes: Reasons) -> Intensity:
    """FAR and coverage from the buildings when given, else from the parcel's own fields (percent columns
    converted, analysis.plausibility); implausible values are reported and kept out of every criterion and out of
    the result columns (a data error is never printed as a figure)."""
    units, signs = {"far": None, "coverage": None}, {}
    if spatial is not None and spatial.has_buildings:
        far, coverage, building_report = _intensity_from_buildings(spatial, area, rules, notes)
    else:
        far, coverage, units, signs = _intensity_from_fields(numbers, percent, area, rules, notes)
        building_report = buildings_report(None, 0, 0, 0)
    far_limit, coverage_limit = rules.limit("far"), rules.limit("coverage")
    implausible_far = pd.Series(above(far, far_limit), index=far.index)
    implausible_coverage = pd.Series(above(coverage, coverage_limit), index=coverage.index)
    notes.add(implausible_far, "far_implausible", far=Fixed(far, 2),
              limit="" if far_limit is None else f"{far_limit:g}")  # a profile may switch the FAR limit off
    notes.add(implausible_coverage, "coverage_implausible", coverage=Fixed(coverage * 100, 0),
              limit="" if coverage_limit is None else f"{coverage_limit * 100:g}")
    far, coverage = far.where(~implausible_far), coverage.where(~implausible_coverage)
    return Intensity(far, coverage, building_report, units, signs)


def _intensity_from_fields(numbers, percent, area, rules, notes: Reasons):
    far, coverage = numbers["far"], numbers["coverage"]
    far_percent = percent_column(far, percent["far"], rules.ratio_limit("far"), rules.far_unit)
    coverage_percent = percent_column(coverage, percent["coverage"], 1.0, rules.coverage_unit)
    notes.add(far_percent, "far_percent", value=Fixed(far, 2), far=Fixed(far / 100.0, 2))
    notes.add(coverage_percent & ~percent["coverage"] & (coverage <= 1), "coverage_percent_small",
              value=Fixed(coverage, 2))
    far = far.where(~far_percent, far / 100.0)
    coverage = coverage.where(~coverage_percent, coverage / 100.0)
    far = far.where(far.notna(), numbers["building_area"] / area)
    notes.add(far.isna() & numbers["building_area"].isna(), "no_far")
    units = {"far": column_unit(numbers["far"], far_percent, percent["far"]),
             "coverage": column_unit(numbers["coverage"], coverage_percent, percent["coverage"])}
    signs = {name: read & percent[name] for name, read in (("far", far_percent), ("coverage", coverage_percent))
             if units[name] == PERCENT_SIGN}
    return far, coverage, units, signs


def storey_rule(rules) -> StoreyRule:
    """How the profile `rules` counts a building's storeys (efficiency_spatial.building_storeys)."""
    return StoreyRule(rules.storey_height_m, rules.limit("floors") or np.inf, rules.limit("height") or np.inf)


def _intensity_from_buildings(spatial: Spatial, area, rules, notes: Reasons):
    totals = spatial.building_intensity(storey_rule(rules))
    rows = area.index
    far = pd.Series(totals.floor_area, index=rows) / area
    coverage = pd.Series(totals.footprint_area, index=rows) / area
    empty = (totals.footprint_area == 0) & (area > 0).to_numpy()
    near = np.zeros(len(rows), dtype=bool)
    if empty.any():
        near[empty] = spatial.near_buildings(np.flatnonzero(empty), rules.building_data_radius_m)
    no_data = pd.Series(empty & ~near, index=rows)
    notes.add(empty & near, "no_buildings")
    notes.add(no_data, "no_building_data", radius=f"{rules.building_data_radius_m:g}")
    far, coverage = far.where(~no_data), coverage.where(~no_data)
    estimated = pd.Series(totals.from_height, index=rows)
    one_storey = pd.Series(totals.one_storey, index=rows)
    notes.add(estimated > 0, "storeys_from_height", count=estimated, storey=f"{rules.storey_height_m:g}")
    notes.add(one_storey > 0, "one_storey", count=one_storey)
    return far, coverage, {**totals.report, "parcels_without_building_data": int(no_data.sum())}
