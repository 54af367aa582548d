"""Industrial upstairs (工业上楼): does each plan meet the profile's rules? Pure pandas / numpy / shapely.

Input: plan geometries (shapely, planar metres) and a frame of canonical columns on the same rows — plan_id,
declared_area, building_area or far, height, floors, ground_floor_height, upper_floor_height, ground_floor_load,
upper_floor_load, lift_capacity, support_area, support_land_area, district, land_use — plus optional constraint
layers: permanent basic farmland, ecological red line, urban development boundary, land use (polygons and their
codes).

Rules (ids as in the profile's `upstairs.rules`, thresholds from `UpstairsRules`):
  far                  FAR ≥ min_far; FAR = building_area / geometry area, else the far column
  height               min_height_m < height ≤ max_height_m (exactly 24 m fails, exactly 100 m passes)
  floors, ground_floor_height, upper_floor_height, ground_floor_load, upper_floor_load, lift_capacity
                       value ≥ its minimum
  support_floor_share  support (office and living) floor area / total floor area × 100 ≤ max_support_floor_share
                       × 100 (15 %); the total floor area is building_area, else far × geometry area
  support_land_share   land occupied by support facilities (support_land_area) / geometry area × 100
                       ≤ max_support_land_share × 100 (7 %, the national 工业项目建设用地控制指标). Without a
                       support_land_area field it is not checked (field not found): a support *floor* area is never
                       compared with the land area.
  area_match           |declared − geometry area| / geometry area ≤ max_area_diff_pct %
  farmland, redline    overlap area ≤ min_overlap_m2
  urban_boundary       area outside the boundary ≤ min_overlap_m2
  industrial_land      area on non-industrial land ≤ min_overlap_m2; a code is industrial when its family (in
                       the land-use code tables, read in the layer's own code system: land_use_codes) is one of
                       industrial_families — so 0601 of a 三调 layer, 1001/110101 of a 2023-guide layer, M/M1/W of a
                       GB 50137 layer; a 三调 1001 (railway) is not. Without a land-use layer the plan's own
                       land_use code decides (the whole plan is on it); a value no system knows leaves the rule
                       unchecked (invalid value), as does a missing one (no value) or no land_use field at all.
                       Values two code systems read differently stop the run (LandUseSystemError) unless
                       land_use_system names the system.
  plan_overlap         no other plan overlaps it by more than min_overlap_m2

Statuses. Every rule gives every plan "pass", "fail" or "unchecked". Unchecked means the rule could not be evaluated:
its field is absent (NO_FIELD) or empty, holds junk ("待定"), the layer was not given, the plan has no geometry, or
the land-use layer leaves part of the plan uncovered. Unchecked is never counted as passed: such rules are listed in
`unchecked_rules` and named, with the cause, in `reasons`. A plan's verdict (`upstairs_tables.verdicts`): `passed` = 0
when any rule failed; 1 only when every enabled rule was checked and passed; empty (not checked, 未核查) otherwise —
a run that could check little passes nothing. A plan without usable geometry (NULL, empty, a point or a line), or
with a data error in its own values (junk, negative or implausible: see `own_data_errors`), is never passed; it is
failed when another rule failed (a data error never hides a conflict), else not checked; its reasons say so and
the summary counts it (`no_geometry`, `data_error`) beside passed / failed / not_checked. Comparisons allow a
relative 1e-9, so a FAR of 2000.0000001 / 1000 still counts as 2.

Numbers arrive as numbers or as text and are read by analysis.numbers ("12.5", "１２.５", "1,200", "1,5", "8F", "24米",
"210%"); placeholders ("尚无资料", "—", a 0 where 0 cannot be) are missing; junk, infinite and negative values are
reported and leave their rules unchecked; values above the profile's plausibility `limits` (analysis.plausibility)
— a FAR of 210 in a ratio column, floor area above 20 × the land area, 1e308 — are data errors (cause IMPLAUSIBLE):
never a pass, never counted in a total or the average FAR. A far column in percent is recognised (`far_unit`).

`evaluate` returns `UpstairsResult`: `plans` (the output columns, on the caller's index), `checks` (one row per plan
and rule, for the panel's checklist), `violations` (one polygon per failing plan and spatial rule: where the plan lies
on farmland, in the red line, on non-industrial land, on other plans, outside the boundary, with exactly the area the
plan reports for that rule) and `summary` (the
figures leadership reports: 宗, 亩, 万m², average FAR, passed / failed, per district).

This module only runs the stages in order; each has its own module: `upstairs_rules` (profile, rule catalogue,
statuses), `upstairs_plans` (reading attributes), `upstairs_spatial` (overlay measures, violations),
`upstairs_tables` (plans and checklist tables), `upstairs_summary` (figures, diagnostics) and `upstairs_text`
(templates, number formatting).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.criteria import cited
from . import upstairs_overlay as overlay
from .units import m2_to_mu
from .upstairs_plans import NUMBER_FIELDS, read_plans
from .upstairs_rules import (
    BAD_VALUE,
    DEFAULT_RULES,
    IMPLAUSIBLE,
    UNCHECKED,
    Rule,
    UpstairsRules,
    build_rules,
    failure_sources,
)
from .upstairs_spatial import Spatial
from .upstairs_summary import diagnostics, land_for_summary, summarise
from .upstairs_tables import checks_table, judged_on_own_code, plans_table, verdicts
from .upstairs_text import UPSTAIRS_TEMPLATES


@dataclass(frozen=True)
class UpstairsResult:
    """What `evaluate` returns.

    plans:      OUTPUT_COLUMNS on the caller's index.
    checks:     one row per plan and rule, plan-major: plan (index label), plan_id, rule_id, status, value (float),
                threshold (text such as "≥ 2", "> 24, ≤ 100"), unit, cause (why unchecked: one of CAUSES, else ""),
                detail (what a checked rule was judged on when it is not its value: the plan's own land-use code),
                source (what the rule rests on: 《document》article（date）, or "local default" with its note).
    violations: VIOLATION_COLUMNS — one row per failing plan and failing spatial rule: the whole conflict, one
                (multi)polygon. plan (index label), plan_id, rule_id, features (sorted tuple of the positions of the
                farmland / red line / land-use features, or of the other plans' rows, the conflict lies on; () for the
                boundary and for a plan judged by its own land_use code), other_plan_id (plan_overlap: the other
                plans, as in overlap_plans), area_m2, geometry (shapely). area_m2 is the plan's measure for the rule
                (farmland_m2, redline_m2, outside_boundary_m2, non_industrial_m2, overlap_m2) and the geometry is
                the union of the pieces, so features that overlap each other (two farmland patches, two other plans
                overlapping each other on this plan) are counted once: summing rows per plan and rule gives the
                plan's figure. A plan overlapping two plans has one plan_overlap row naming both.
    summary:    see `summarise`, plus per_rule counts, geometry and id problems, and per-layer cleaning counts.
    rules:      the Rule objects that ran, in order (id, label, description, unit) — the checklist's rows.
    """

    plans: pd.DataFrame
    checks: pd.DataFrame
    violations: pd.DataFrame
    summary: dict
    rules: tuple[Rule, ...]


def evaluate(geometries, plans: pd.DataFrame, farmland=None, redline=None, urban_boundary=None, landuse=None,
             landuse_codes=None, rules: UpstairsRules = DEFAULT_RULES, templates: dict[str, str] = UPSTAIRS_TEMPLATES,
             field_labels: dict[str, str] | None = None,
             progress: Callable[[float], None] | None = None) -> UpstairsResult:
    """Check every plan against the enabled rules.

    geometries: shapely (multi)polygons, one per row of `plans`, planar metres; None / invalid are handled.
    farmland, redline, urban_boundary, landuse: sequences of shapely polygons, or `upstairs_overlay.Layer`s prepared
    once with `prepare_layer` (worth it when the panel reruns with other thresholds). landuse_codes: one land-use code
    per landuse feature. templates: translated copies of UPSTAIRS_TEMPLATES (missing keys fall back to English).
    field_labels: {canonical field: the name the user knows} for the sentences. progress(percent) is called between
    stages; an exception raised from it cancels the run.
    """
    n = len(plans)
    if len(geometries) != n:
        raise ValueError(f"{len(geometries)} geometries for {n} plans")
    if landuse is not None and (landuse_codes is None or len(landuse_codes) != _features(landuse)):
        raise ValueError("landuse_codes must hold one code per landuse feature")
    report = progress or (lambda percent: None)
    templates = {**UPSTAIRS_TEMPLATES, **templates}
    index, frame = plans.index, plans.reset_index(drop=True)  # positions inside: the caller's labels may repeat
    active = build_rules(rules)
    templates = cited(templates, failure_sources(active), templates["cite"])  # a failure names its rule's source

    clean = overlay.clean_polygons(geometries)
    report(5)
    layers = {name: _as_layer(value) for name, value in
              (("farmland", farmland), ("redline", redline), ("urban_boundary", urban_boundary), ("landuse", landuse))}
    report(30)
    data, problems = read_plans(frame, clean, templates, field_labels or {}, index, rules)
    spatial = Spatial(clean, data, {rule.id for rule in active}, rules)
    spatial.overlay(layers, landuse_codes, "land_use" in frame, report)
    results = {rule.id: rule.check(data) for rule in active}
    report(90)

    data_error = own_data_errors(active, results, n) & ~np.asarray(clean.empty, dtype=bool)
    verdict = verdicts(active, results, np.asarray(clean.empty, dtype=bool) | data_error)
    out = plans_table(data, active, results, problems, templates, index, verdict)
    summary = summarise(land_for_summary(data), data.numbers["floor_area"], verdict,
                        frame["district"] if "district" in frame else None, out["unchecked_rules"].to_numpy() != "",
                        no_geometry=clean.empty, data_error=data_error)
    summary.update(diagnostics(active, results, clean, data, layers, index))
    summary["fields_missing"] = [name for name in ("plan_id", *NUMBER_FIELDS, "district", "land_use")
                                 if name not in frame]
    summary["land_use"] = spatial.land_use and {
        **spatial.land_use, "source": "plans" if spatial.own_land_use else "landuse"}
    # the totals count drawn land; what the plans declare is given beside it, for reports that quote the forms
    summary["value_units"] = dict(data.units)
    summary["declared_land_mu"] = float(m2_to_mu(np.nansum(data.numbers["declared_area"])))
    summary["sources"] = {rule.id: rule.source.to_profile() for rule in active}  # what each rule rests on
    checks = checks_table(data, active, results, index, templates)
    if spatial.own_land_use:
        judged_on_own_code(checks, data, templates)
    result = UpstairsResult(out, checks, spatial.violations(results, index), summary, active)
    report(100)
    return result


def _as_layer(value) -> overlay.Layer | None:
    if value is None or isinstance(value, overlay.Layer):
        return value
    return overlay.prepare_layer(value)


def _features(layer) -> int:
    """Number of features of a layer given either way."""
    return layer.size if isinstance(layer, overlay.Layer) else len(layer)


def own_data_errors(active, results, n: int) -> np.ndarray:
    """Plans with a data error in their own values: a rule left unchecked because a value is junk or negative
    (BAD_VALUE) or beyond its plausibility limit (IMPLAUSIBLE). Such a plan is not passed — a planner would print
    "通过" over a typo — nor failed: it is undecided and counted apart, like a plan without geometry. A value that is
    simply absent (a placeholder, an empty cell) leaves only its rule open."""
    masks = [(results[r.id].status == UNCHECKED) & np.isin(results[r.id].cause, (BAD_VALUE, IMPLAUSIBLE))
             for r in active]
    return np.any(masks, axis=0) if masks else np.zeros(n, bool)
