"""Land area, FAR and coverage per parcel: from the buildings clipped to the parcel when there is a buildings
layer, else from the parcel's own fields; implausible values are reported and kept out of every criterion.

Intensity is the half of the low-efficiency judgement that is measured rather than scored, and the only part
that needs the geometry engine (`efficiency_spatial.Spatial`); analysis.efficiency's module docstring gives the
rules.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .efficiency_reasons import Fixed, Reasons
from .efficiency_spatial import Spatial, buildings_report
from .overlay import GeometryReport

MAX_PLAUSIBLE_FAR = 20.0  # above this a FAR is a data error (a 250 typed for 2.50, a building layer in the wrong CRS)
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

    far: pd.Series  # as found (data errors included, so they can be seen)
    coverage: pd.Series
    usable_far: pd.Series  # NaN where missing or implausible
    usable_coverage: pd.Series
    building_report: dict


def measure_intensity(numbers, area, spatial: Spatial | None, rules, notes: Reasons) -> Intensity:
    """FAR and coverage from the buildings when given, else from the parcel's own fields; implausible values
    are reported and kept out of every criterion."""
    if spatial is not None and spatial.has_buildings:
        far, coverage, building_report = _intensity_from_buildings(spatial, area, rules, notes)
    else:
        far, coverage = _intensity_from_fields(numbers, area, notes)
        building_report = buildings_report(None, 0, 0, 0)
    implausible_far = far > MAX_PLAUSIBLE_FAR
    implausible_coverage = coverage > 1.0 + 1e-9
    notes.add(implausible_far, "far_implausible", far=Fixed(far, 2), limit=f"{MAX_PLAUSIBLE_FAR:g}")
    notes.add(implausible_coverage, "coverage_implausible", coverage=Fixed(coverage * 100, 0))
    return Intensity(far, coverage, far.where(~implausible_far), coverage.where(~implausible_coverage),
                     building_report)


def _intensity_from_fields(numbers, area, notes: Reasons) -> tuple[pd.Series, pd.Series]:
    far = numbers["far"].where(numbers["far"].notna(), numbers["building_area"] / area)
    notes.add(far.isna() & numbers["building_area"].isna(), "no_far")
    coverage = numbers["coverage"]
    if (coverage > 1).any():  # a column of percentages (35 for 35 %), not shares
        coverage = coverage / 100.0
    return far, coverage


def _intensity_from_buildings(spatial: Spatial, area, rules, notes: Reasons):
    totals = spatial.building_intensity(rules.storey_height_m)
    rows = area.index
    far = pd.Series(totals.floor_area, index=rows) / area
    coverage = pd.Series(totals.footprint_area, index=rows) / area
    notes.add((totals.footprint_area == 0) & (area > 0), "no_buildings")
    estimated = pd.Series(totals.from_height, index=rows)
    one_storey = pd.Series(totals.one_storey, index=rows)
    notes.add(estimated > 0, "storeys_from_height", count=estimated, storey=f"{rules.storey_height_m:g}")
    notes.add(one_storey > 0, "one_storey", count=one_storey)
    return far, coverage, totals.report
