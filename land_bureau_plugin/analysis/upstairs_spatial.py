"""The spatial upstairs measures: how much of each plan lies on farmland, in the red line, outside the boundary, on
non-industrial land or under other plans — and the violation polygons to draw for the plans that fail.

`upstairs_overlay` does the geometry; this module decides which layer feeds which rule, stores the measures in
`PlanData` and, after the rules ran, turns the kept pieces of failing plans into the violations table.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..rules.criteria import TOLERANCE, tolerance
from . import upstairs_overlay as overlay
from .efficiency_summary import land_use_summary
from .land_use_codes import AUTO, read_land_use
from .upstairs_rules import (
    BAD_VALUE,
    FAIL,
    NO_GEOMETRY,
    NO_LAYER,
    NO_VALUE,
    NOT_COVERED,
    RULE_IDS,
    PlanData,
    RuleResult,
    UpstairsRules,
)
from .upstairs_text import ID_SEPARATOR

VIOLATION_COLUMNS = ("plan", "plan_id", "rule_id", "features", "other_plan_id", "area_m2", "geometry")
# The measure each rule drawn from layer pieces reports per plan: a violation's area_m2 is this value.
MEASURES = {"farmland": "farmland_m2", "redline": "redline_m2", "industrial_land": "non_industrial_m2",
            "plan_overlap": "plan_overlap_m2", "urban_boundary": "outside_boundary_m2"}


class Spatial:
    """The geometric measures of the enabled rules, and the pieces kept to draw the violations afterwards."""

    def __init__(self, clean: overlay.CleanGeometries, data: PlanData, enabled: set[str], rules: UpstairsRules):
        self.geometry, self.empty = clean.geometry, clean.empty
        self.data, self.enabled, self.rules = data, enabled, rules
        self.pieces: dict[str, overlay.Pieces] = {}  # rule id -> pieces to draw for failing plans
        self.boundary_inside: overlay.Pieces | None = None
        self.own_land_use = False  # industrial_land judged on the plans' own land_use codes
        self.land_use: dict | None = None  # the code system the industrial-land rule read its codes in

    def overlay(self, layers: dict, landuse_codes, has_land_use: bool, report: Callable[[float], None]) -> None:
        self._covered("farmland", "farmland_m2", layers["farmland"])
        report(45)
        self._covered("redline", "redline_m2", layers["redline"])
        report(55)
        self._outside_boundary(layers["urban_boundary"])
        report(65)
        self._non_industrial(layers["landuse"], landuse_codes, has_land_use)
        report(75)
        self._plan_overlap()
        report(85)

    def _set(self, name: str, values: np.ndarray | None, cause: str | np.ndarray = "") -> None:
        """Store a measure, unknown (NO_GEOMETRY) for empty plans; values None: unknown for all, with `cause`."""
        n = len(self.geometry)
        if values is None:
            values = np.full(n, np.nan)
        cause = np.broadcast_to(np.asarray(cause, dtype=object), (n,))
        self.data.numbers[name] = np.where(self.empty, np.nan, values)
        self.data.causes[name] = np.where(self.empty, NO_GEOMETRY, cause).astype(object)

    def _covered(self, rule_id: str, name: str, layer: overlay.Layer | None) -> None:
        """Area of each plan on farmland / in the red line."""
        if rule_id not in self.enabled or layer is None:
            self._set(name, None, NO_LAYER)
            return
        pieces = overlay.intersect(self.geometry, layer)
        self._set(name, pieces.covered_area(len(self.geometry)))
        self.pieces[rule_id] = pieces

    def _outside_boundary(self, layer: overlay.Layer | None) -> None:
        """Area outside the development boundary = plan area − area covered by the boundary's pieces."""
        if "urban_boundary" not in self.enabled or layer is None:
            self._set("outside_boundary_m2", None, NO_LAYER)
            return
        inside = overlay.intersect(self.geometry, layer)
        area = self.data.numbers["area_m2"]
        outside = np.clip(area - inside.covered_area(len(self.geometry)), 0, None)
        outside[outside <= TOLERANCE * area] = 0.0  # rounding of pieces that tile the plan exactly
        self._set("outside_boundary_m2", outside)
        self.boundary_inside = inside

    def _non_industrial(self, layer: overlay.Layer | None, codes, has_land_use: bool) -> None:
        """Area on non-industrial land: from the land-use layer when given, else the plan's own land_use code."""
        if "industrial_land" not in self.enabled:
            self._set("non_industrial_m2", None, NO_LAYER)
        elif layer is not None:
            self._non_industrial_from_layer(layer, codes)
        elif has_land_use:
            own = self.data.texts["land_use"]
            industrial, known, self.land_use = classify_land_use(own, self.rules.industrial_families,
                                                                 self.rules.land_use_system)
            area = self.data.numbers["area_m2"]
            values = np.where(known, np.where(industrial, 0.0, area), np.nan)
            blank = own == ""
            self._set("non_industrial_m2", values, np.where(known, "", np.where(blank, NO_VALUE, BAD_VALUE)))
            self.own_land_use = True
        else:
            self._set("non_industrial_m2", None, NO_LAYER)

    def _non_industrial_from_layer(self, layer: overlay.Layer, codes) -> None:
        """Pieces on coded non-industrial land count; land the layer does not cover (or codes left empty) leaves the
        rule unchecked unless the plan already fails."""
        n = len(self.geometry)
        industrial, known, self.land_use = classify_land_use(codes, self.rules.industrial_families,
                                                             self.rules.land_use_system)
        pieces = overlay.intersect(self.geometry, layer)
        coded = known[pieces.feature]
        non_industrial = pieces.select(coded & ~industrial[pieces.feature])
        value = non_industrial.covered_area(n)
        uncovered = self.data.numbers["area_m2"] - pieces.select(coded).covered_area(n)
        limit = self.rules.min_overlap_m2
        open_ = (uncovered > limit + tolerance(limit)) & ~(value > limit + tolerance(limit))
        self._set("non_industrial_m2", value, np.where(open_, NOT_COVERED, ""))
        self.pieces["industrial_land"] = non_industrial

    def _plan_overlap(self) -> None:
        """Overlaps above min_overlap_m2 with other plans: the area covered and the other plans' names."""
        if "plan_overlap" not in self.enabled:
            self._set("plan_overlap_m2", None, NO_LAYER)
            return
        n = len(self.geometry)
        limit = self.rules.min_overlap_m2
        pieces = overlay.plan_overlaps(self.geometry)
        pieces = pieces.select(pieces.area > limit + tolerance(limit))
        self._set("plan_overlap_m2", pieces.covered_area(n))
        self.data.texts["overlap_plans"] = _names_per_plan(pieces, self.data.texts["plan_name"], n)
        self.pieces["plan_overlap"] = pieces

    def violations(self, results: dict[str, RuleResult], index: pd.Index) -> pd.DataFrame:
        """The pieces to draw for every failing plan, one frame with a geometry column, by plan and rule."""
        frames = []
        for rule_id, pieces in self.pieces.items():
            failing = np.flatnonzero(results[rule_id].status == FAIL)
            if not len(failing):
                continue
            other = self.data.texts["overlap_plans"][failing] if rule_id == "plan_overlap" else ""
            frames.append(_violation_frame(rule_id, failing, pieces.features_by_plan(failing), other,
                                           self.data.numbers[MEASURES[rule_id]][failing],
                                           pieces.union_by_plan(failing)))
        frames.extend(self._whole_plan_violations(results))
        if not frames:
            return pd.DataFrame({name: pd.Series(dtype=object) for name in VIOLATION_COLUMNS})
        table = pd.concat(frames, ignore_index=True)
        rule_rank = table["rule_id"].map({rule_id: rank for rank, rule_id in enumerate(RULE_IDS)}).to_numpy()
        table = table.iloc[np.lexsort((rule_rank, table["position"].to_numpy()))].reset_index(drop=True)
        positions = table.pop("position").to_numpy()
        table.insert(0, "plan_id", self.data.texts["plan_id"][positions])
        table.insert(0, "plan", index[positions])
        return table[list(VIOLATION_COLUMNS)]

    def _whole_plan_violations(self, results: dict[str, RuleResult]) -> list[pd.DataFrame]:
        """Violations that are not pieces of a layer: the part outside the boundary, a plan on a non-industrial code."""
        frames = []
        if "urban_boundary" in results and self.boundary_inside is not None:
            failing = np.flatnonzero(results["urban_boundary"].status == FAIL)
            if len(failing):
                geometry = overlay.outside(self.geometry, self.boundary_inside, failing)
                frames.append(_violation_frame("urban_boundary", failing, (), "",
                                               self.data.numbers[MEASURES["urban_boundary"]][failing], geometry))
        if "industrial_land" in results and self.own_land_use:
            failing = np.flatnonzero(results["industrial_land"].status == FAIL)
            if len(failing):
                frames.append(_violation_frame("industrial_land", failing, (), "",
                                               self.data.numbers["area_m2"][failing], self.geometry[failing]))
        return frames


def _violation_frame(rule_id, positions, features, other, area, geometry) -> pd.DataFrame:
    """features: one tuple of positions per plan, or one tuple for all."""
    n = len(positions)
    if isinstance(features, tuple):
        features = [features] * n
    return pd.DataFrame({"position": positions, "rule_id": rule_id, "features": pd.Series(features, dtype=object),
                         "other_plan_id": np.broadcast_to(np.asarray(other, dtype=object), (n,)),
                         "area_m2": area, "geometry": np.asarray(geometry, dtype=object)})


def _names_per_plan(pieces: overlay.Pieces, names: np.ndarray, n: int) -> np.ndarray:
    """For each plan, the comma-joined names of the plans overlapping it (in row order), "" when none."""
    result = np.full(n, "", dtype=object)
    if len(pieces.plan):
        pairs = pd.DataFrame({"plan": pieces.plan, "other": pieces.feature}).sort_values(["plan", "other"])
        pairs["name"] = names[pairs["other"].to_numpy()]
        joined = pairs.groupby("plan")["name"].agg(ID_SEPARATOR.join)
        result[joined.index.to_numpy()] = joined.to_numpy()
    return result


def classify_land_use(codes, families, system: str = AUTO) -> tuple[np.ndarray, np.ndarray, dict]:
    """(industrial, known, how) per value: the values read in their layer's code system (land_use_codes: detected
    unless `system` names it; LandUseSystemError when two systems read them differently), industrial when the
    code's family is one of `families`, known when the value is a code or name of that system. `how` describes the
    reading for the summary (efficiency_summary.land_use_summary's keys). Only distinct values are looked at, so
    500k land-use polygons cost a few dozen lookups."""
    reading = read_land_use(pd.Series(np.asarray(codes, dtype=object), dtype=object), system)
    known = reading.code.notna().to_numpy()
    industrial = reading.family.isin(list(families)).to_numpy() & known
    return industrial, known, land_use_summary(reading.detection, False)
