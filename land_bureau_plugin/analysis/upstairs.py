"""Industrial upstairs (工业上楼): does each plan meet the profile's rules? Pure pandas / numpy / shapely.

Input: plan geometries (shapely, planar metres) and a frame of canonical columns on the same rows — plan_id,
declared_area, building_area or far, height, floors, ground_floor_height, upper_floor_height, ground_floor_load,
upper_floor_load, lift_capacity, support_area, district, land_use — plus optional constraint layers: permanent basic
farmland, ecological red line, urban development boundary, land use (polygons and their codes).

Rules (ids as in the profile's `upstairs.rules`, thresholds from `UpstairsRules`):
  far                  FAR ≥ min_far; FAR = building_area / geometry area, else the far column
  height               min_height_m < height ≤ max_height_m (exactly 24 m fails, exactly 100 m passes)
  floors, ground_floor_height, upper_floor_height, ground_floor_load, upper_floor_load, lift_capacity
                       value ≥ its minimum
  support_share        support_area ≤ max_support_floor_share × floor area and ≤ max_support_land_share × land area
  area_match           |declared − geometry area| / geometry area ≤ max_area_diff_pct %
  farmland, redline    overlap area ≤ min_overlap_m2
  urban_boundary       area outside the boundary ≤ min_overlap_m2
  industrial_land      area on non-industrial land ≤ min_overlap_m2; a code is industrial when one of
                       industrial_codes is a prefix of it ("100101" is under "1001"); with only a list of accepted
                       codes the longest matching prefix and any matching prefix give the same answer. Without a
                       land-use layer the plan's own land_use code decides (the whole plan is on it).
  plan_overlap         no other plan overlaps it by more than min_overlap_m2

Statuses. Every rule gives every plan "pass", "fail" or "unchecked". Unchecked means the rule could not be evaluated:
its field is absent (NO_FIELD) or empty, holds junk ("待定"), the layer was not given, the plan has no geometry, or
the land-use layer leaves part of the plan uncovered. Unchecked is never counted as passed: such rules are listed in
`unchecked_rules` and named, with the cause, in `reasons`. `passed` = 1 when no rule failed — so a plan with unchecked
rules can pass; `unchecked_rules` says what is still open. A rule with two conditions (support_share) fails as soon as
one known condition fails. Comparisons allow a relative 1e-9, so a FAR of 2000.0000001 / 1000 still counts as 2.

Numbers arrive as numbers or as text: "12.5", full-width "１２.５" and "1,200" are read; junk, infinite and negative
values are reported and leave their rules unchecked.

`evaluate` returns `UpstairsResult`: `plans` (the output columns, on the caller's index), `checks` (one row per plan
and rule, for the panel's checklist), `violations` (one polygon per failing plan and spatial rule: where the plan lies
on farmland, in the red line, on non-industrial land, on other plans, outside the boundary, with exactly the area the
plan reports for that rule) and `summary` (the
figures leadership reports: 宗, 亩, 万m², average FAR, passed / failed, per district).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
import shapely

from . import upstairs_overlay as overlay
from .messages import QT_TRANSLATE_NOOP, SEPARATOR, fill
from .units import m2_to_mu, m2_to_wan_m2

RULE_IDS = ("far", "height", "floors", "ground_floor_height", "upper_floor_height", "ground_floor_load",
            "upper_floor_load", "lift_capacity", "support_share", "area_match", "farmland", "redline",
            "urban_boundary", "industrial_land", "plan_overlap")
DEFAULT_INDUSTRIAL_CODES = ("0601", "1001", "100101", "100102", "100103", "1101", "0604", "M1", "M2", "M3", "W")
NUMBER_FIELDS = ("declared_area", "building_area", "far", "height", "floors", "ground_floor_height",
                 "upper_floor_height", "ground_floor_load", "upper_floor_load", "lift_capacity", "support_area")
OUTPUT_COLUMNS = ("passed", "failed_rules", "unchecked_rules", "reasons", "far", "area_m2", "area_mu", "area_diff_pct",
                  "farmland_m2", "redline_m2", "outside_boundary_m2", "non_industrial_m2", "overlap_plans",
                  "overlap_m2")
VIOLATION_COLUMNS = ("plan", "plan_id", "rule_id", "features", "other_plan_id", "area_m2", "geometry")
# The measure each rule drawn from layer pieces reports per plan: a violation's area_m2 is this value.
MEASURES = {"farmland": "farmland_m2", "redline": "redline_m2", "industrial_land": "non_industrial_m2",
            "plan_overlap": "plan_overlap_m2", "urban_boundary": "outside_boundary_m2"}

PASS, FAIL, UNCHECKED = "pass", "fail", "unchecked"
# Why a value is unknown; each has a template "cause_<key>".
NO_VALUE, BAD_VALUE, NO_LAYER, NO_GEOMETRY, NOT_COVERED = "no_value", "bad_value", "no_layer", "no_geometry", \
    "not_covered"
NO_FIELD = "no_field"  # the layer has no such field at all (the field map found none)
CAUSES = (NO_FIELD, NO_VALUE, BAD_VALUE, NO_LAYER, NO_GEOMETRY, NOT_COVERED)
ID_SEPARATOR = ","  # in failed_rules, unchecked_rules, overlap_plans
_TOLERANCE = 1e-9

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
    "rule_support_share": QT_TRANSLATE_NOOP("reasons", "support space"),
    "rule_area_match": QT_TRANSLATE_NOOP("reasons", "declared area"),
    "rule_farmland": QT_TRANSLATE_NOOP("reasons", "permanent basic farmland"),
    "rule_redline": QT_TRANSLATE_NOOP("reasons", "ecological red line"),
    "rule_urban_boundary": QT_TRANSLATE_NOOP("reasons", "urban development boundary"),
    "rule_industrial_land": QT_TRANSLATE_NOOP("reasons", "industrial land"),
    "rule_plan_overlap": QT_TRANSLATE_NOOP("reasons", "other plans"),
    # failures; {value} is the measured value, {threshold} the limit
    "fail_far": QT_TRANSLATE_NOOP("reasons", "FAR {value} below {threshold}"),
    "fail_height_low": QT_TRANSLATE_NOOP("reasons", "height {value} m not above {low} m"),
    "fail_height_high": QT_TRANSLATE_NOOP("reasons", "height {value} m above {high} m"),
    "fail_floors": QT_TRANSLATE_NOOP("reasons", "storeys {value}, fewer than {threshold}"),
    "fail_ground_floor_height": QT_TRANSLATE_NOOP("reasons", "ground floor height {value} m below {threshold} m"),
    "fail_upper_floor_height": QT_TRANSLATE_NOOP("reasons", "upper floor height {value} m below {threshold} m"),
    "fail_ground_floor_load": QT_TRANSLATE_NOOP("reasons", "ground floor load {value} kN/m² below {threshold} kN/m²"),
    "fail_upper_floor_load": QT_TRANSLATE_NOOP("reasons", "upper floor load {value} kN/m² below {threshold} kN/m²"),
    "fail_lift_capacity": QT_TRANSLATE_NOOP("reasons", "freight lift {value} t below {threshold} t"),
    "fail_support_floor": QT_TRANSLATE_NOOP(
        "reasons", "support space {value} m² over {share} % of the floor area ({limit} m²)"),
    "fail_support_land": QT_TRANSLATE_NOOP(
        "reasons", "support space {value} m² over {share} % of the land area ({limit} m²)"),
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
    "cause_no_layer": QT_TRANSLATE_NOOP("reasons", "{rule} (layer not given)"),
    "cause_no_geometry": QT_TRANSLATE_NOOP("reasons", "{rule} (no geometry)"),
    "cause_not_covered": QT_TRANSLATE_NOOP("reasons", "{rule} (land-use layer does not cover the plan)"),
    # data problems
    # the leadership's figures and lists inside a sentence: "，" / "、" in Chinese, ", " in English
    "figures": QT_TRANSLATE_NOOP("reasons", "{plans} 宗, {land_mu} 亩, {floor_area} 万m²"),
    "list_separator": QT_TRANSLATE_NOOP("reasons", ", "),
    "separator": SEPARATOR,  # between reasons: the Qt side passes its translated copy ("；")
    # the industrial-land rule judged on a plan's own code (no land-use layer): what was checked, not an area
    "own_code_threshold": QT_TRANSLATE_NOOP("reasons", "an industrial code"),
    "own_code_note": QT_TRANSLATE_NOOP("reasons", "the plan's own land-use code {code} (no land-use layer)"),
    "bad_number": QT_TRANSLATE_NOOP("reasons", "{field} is not a valid number: {value}"),
    "geometry_repaired": QT_TRANSLATE_NOOP("reasons", "invalid geometry was repaired"),
    "geometry_empty": QT_TRANSLATE_NOOP("reasons", "geometry is empty"),
    "duplicate_plan_id": QT_TRANSLATE_NOOP("reasons", "plan id {value} appears more than once"),
    "no_plan_id": QT_TRANSLATE_NOOP("reasons", "plan id missing"),
}


# ----------------------------------------------------------------------------------------------------------- profile

@dataclass(frozen=True)
class UpstairsRules:
    """The profile section `upstairs` (keys and defaults as in resources/profiles/default.json)."""

    min_far: float = 2.0
    min_height_m: float = 24.0
    max_height_m: float = 100.0
    min_floors: int = 4
    min_ground_floor_height_m: float = 6.0
    min_upper_floor_height_m: float = 4.5
    min_ground_floor_load_kn: float = 10.0
    min_upper_floor_load_kn: float = 6.5
    min_lift_capacity_t: float = 3.0
    max_support_floor_share: float = 0.15
    max_support_land_share: float = 0.07
    max_area_diff_pct: float = 1.0
    industrial_codes: list[str] = field(default_factory=lambda: list(DEFAULT_INDUSTRIAL_CODES))
    min_overlap_m2: float = 1.0
    rules: list[str] = field(default_factory=lambda: list(RULE_IDS))

    def validate(self):
        """Yield (key, message) for values no plan could be checked against."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                yield f.name, "must not be negative"
        if self.min_height_m >= self.max_height_m:
            yield "min_height_m", f"must be below max_height_m ({self.max_height_m})"
        for key in ("max_support_floor_share", "max_support_land_share"):
            if getattr(self, key) > 1:
                yield key, "is a share between 0 and 1 (0.15 means 15 %)"
        unknown = [r for r in self.rules if r not in RULE_IDS]
        if unknown:
            yield "rules", f"unknown rule id(s): {', '.join(map(str, unknown))}; known: {', '.join(RULE_IDS)}"
        repeated = sorted({r for r in self.rules if self.rules.count(r) > 1})
        if repeated:
            yield "rules", f"listed more than once: {', '.join(repeated)}"
        if any(not str(code).strip() for code in self.industrial_codes):
            yield "industrial_codes", "contains an empty code"


DEFAULT_RULES = UpstairsRules()


# ------------------------------------------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class PlanData:
    """What the rules read, column-wise over plan positions 0…n-1.

    numbers: float arrays, NaN where unknown; causes: for each number, "" where known, else why not (NO_VALUE, …);
    texts: object arrays (overlap_plans, …). Derived measures (area_m2, far, floor_area, overlay areas) live here
    beside the fields, so a rule names its input and never cares where it came from.
    """

    numbers: dict[str, np.ndarray]
    causes: dict[str, np.ndarray]
    texts: dict[str, np.ndarray]
    bad_values: dict[str, np.ndarray] = field(default_factory=dict)  # field -> mask of junk as read (before derivation)

    def number(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return self.numbers[name], self.causes[name]

    def column(self, name: str) -> np.ndarray:
        return self.numbers[name] if name in self.numbers else self.texts[name]


@dataclass(frozen=True)
class Failure:
    """The plans a rule failed for one reason: the reason's template key and the values for its placeholders."""

    mask: np.ndarray
    template: str
    values: dict  # placeholder -> array over all plans (numbers or text) or a scalar


@dataclass(frozen=True)
class RuleResult:
    """One rule over all plans: status, measured value, threshold as display text, cause when unchecked."""

    status: np.ndarray  # PASS / FAIL / UNCHECKED
    value: np.ndarray  # float, NaN when unknown
    threshold: object  # str for all plans, or an array of str when the limit depends on the plan
    cause: np.ndarray  # NO_VALUE, … where unchecked, "" elsewhere
    failures: tuple[Failure, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One check: its id (as in the profile), a translatable description and the unit of its measured value."""

    id: str
    description: str
    unit: str

    @property
    def label(self) -> str:
        """Short English name (translatable: it is UPSTAIRS_TEMPLATES["rule_<id>"])."""
        return UPSTAIRS_TEMPLATES[f"rule_{self.id}"]

    def check(self, data: PlanData) -> RuleResult:
        raise NotImplementedError


@dataclass(frozen=True)
class AtLeast(Rule):
    """value ≥ threshold."""

    measure: str
    threshold: float
    fail: str

    def check(self, data: PlanData) -> RuleResult:
        value, cause = data.number(self.measure)
        status = _status(cause == "", value >= self.threshold - _tolerance(self.threshold))
        return RuleResult(status, value, f"≥ {_fmt(self.threshold)}", cause,
                          (Failure(status == FAIL, self.fail, {"value": value, "threshold": self.threshold}),))


@dataclass(frozen=True)
class AtMost(Rule):
    """value ≤ threshold; `extra` names further columns the failure sentence quotes."""

    measure: str
    threshold: float
    fail: str
    extra: tuple[str, ...] = ()

    def check(self, data: PlanData) -> RuleResult:
        value, cause = data.number(self.measure)
        status = _status(cause == "", value <= self.threshold + _tolerance(self.threshold))
        values = {"value": value, "threshold": self.threshold, **{name: data.column(name) for name in self.extra}}
        return RuleResult(status, value, f"≤ {_fmt(self.threshold)}", cause,
                          (Failure(status == FAIL, self.fail, values),))


@dataclass(frozen=True)
class Between(Rule):
    """low < value ≤ high (the upstairs height band: above 24 m, up to 100 m)."""

    measure: str
    low: float
    high: float
    fail_low: str
    fail_high: str

    def check(self, data: PlanData) -> RuleResult:
        value, cause = data.number(self.measure)
        known = cause == ""
        too_low = known & ~(value > self.low + _tolerance(self.low))
        too_high = known & ~(value <= self.high + _tolerance(self.high))
        status = _status(known, ~(too_low | too_high))
        limits = {"value": value, "low": self.low, "high": self.high}
        return RuleResult(status, value, f"> {_fmt(self.low)}, ≤ {_fmt(self.high)}", cause,
                          (Failure(too_low, self.fail_low, limits), Failure(too_high, self.fail_high, limits)))


@dataclass(frozen=True)
class SupportShare(Rule):
    """Support space (配套) ≤ floor_share × floor area and ≤ land_share × land area; the value is the support area
    and the threshold the tighter of the two limits, in m²."""

    floor_share: float
    land_share: float

    def check(self, data: PlanData) -> RuleResult:
        support, support_cause = data.number("support_area")
        floor, floor_cause = data.number("floor_area")
        land, land_cause = data.number("area_m2")
        floor_limit, land_limit = floor * self.floor_share, land * self.land_share
        over_floor = support > floor_limit + _tolerance(floor_limit)  # False wherever a side is NaN
        over_land = support > land_limit + _tolerance(land_limit)
        all_known = (support_cause == "") & (floor_cause == "") & (land_cause == "")
        status = np.where(over_floor | over_land, FAIL, np.where(all_known, PASS, UNCHECKED)).astype(object)
        cause = np.where(status == UNCHECKED, _first_cause(support_cause, floor_cause, land_cause), "")
        limit = np.fmin(floor_limit, land_limit)
        threshold = np.where(np.isnan(limit), "", "≤ " + _fmt(limit)).astype(object)
        return RuleResult(status, support, threshold, cause, (
            Failure(over_floor, "fail_support_floor", {"value": support, "share": self.floor_share * 100,
                                                       "limit": floor_limit}),
            Failure(over_land, "fail_support_land", {"value": support, "share": self.land_share * 100,
                                                     "limit": land_limit}),
        ))


def build_rules(rules: UpstairsRules) -> tuple[Rule, ...]:
    """The rule objects the profile switches on, in the profile's order, with its thresholds."""
    limit = rules.min_overlap_m2
    catalogue = {r.id: r for r in (
        AtLeast("far", QT_TRANSLATE_NOOP("reasons", "Floor area ratio is at least the minimum."),
                "", "far", rules.min_far, "fail_far"),
        Between("height", QT_TRANSLATE_NOOP("reasons", "Building height is above the minimum and at most the maximum."),
                "m", "height", rules.min_height_m, rules.max_height_m, "fail_height_low", "fail_height_high"),
        AtLeast("floors", QT_TRANSLATE_NOOP("reasons", "The building has at least the minimum number of storeys."),
                "", "floors", rules.min_floors, "fail_floors"),
        AtLeast("ground_floor_height", QT_TRANSLATE_NOOP("reasons", "Ground floor height is at least the minimum."),
                "m", "ground_floor_height", rules.min_ground_floor_height_m, "fail_ground_floor_height"),
        AtLeast("upper_floor_height", QT_TRANSLATE_NOOP("reasons", "Upper floor height is at least the minimum."),
                "m", "upper_floor_height", rules.min_upper_floor_height_m, "fail_upper_floor_height"),
        AtLeast("ground_floor_load", QT_TRANSLATE_NOOP("reasons", "Ground floor design load is at least the minimum."),
                "kN/m²", "ground_floor_load", rules.min_ground_floor_load_kn, "fail_ground_floor_load"),
        AtLeast("upper_floor_load", QT_TRANSLATE_NOOP("reasons", "Upper floor design load is at least the minimum."),
                "kN/m²", "upper_floor_load", rules.min_upper_floor_load_kn, "fail_upper_floor_load"),
        AtLeast("lift_capacity", QT_TRANSLATE_NOOP("reasons", "Freight lift capacity is at least the minimum."),
                "t", "lift_capacity", rules.min_lift_capacity_t, "fail_lift_capacity"),
        SupportShare("support_share", QT_TRANSLATE_NOOP(
            "reasons", "Support space stays within its share of the floor area and of the land area."),
            "m²", rules.max_support_floor_share, rules.max_support_land_share),
        AtMost("area_match", QT_TRANSLATE_NOOP("reasons", "The declared area matches the drawn area."),
               "%", "area_diff_abs_pct", rules.max_area_diff_pct, "fail_area_match", ("declared_area", "area_m2")),
        AtMost("farmland", QT_TRANSLATE_NOOP("reasons", "The plan does not lie on permanent basic farmland."),
               "m²", "farmland_m2", limit, "fail_farmland"),
        AtMost("redline", QT_TRANSLATE_NOOP("reasons", "The plan does not lie inside the ecological red line."),
               "m²", "redline_m2", limit, "fail_redline"),
        AtMost("urban_boundary", QT_TRANSLATE_NOOP("reasons", "The plan lies inside the urban development boundary."),
               "m²", "outside_boundary_m2", limit, "fail_urban_boundary"),
        AtMost("industrial_land", QT_TRANSLATE_NOOP("reasons", "The plan lies on industrial land."),
               "m²", "non_industrial_m2", limit, "fail_industrial_land"),
        AtMost("plan_overlap", QT_TRANSLATE_NOOP("reasons", "The plan does not overlap another plan."),
               "m²", "plan_overlap_m2", limit, "fail_plan_overlap", ("overlap_plans",)),
    )}
    return tuple(catalogue[rule_id] for rule_id in rules.rules)


def _status(known: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(known, np.where(ok, PASS, FAIL), UNCHECKED).astype(object)


def _tolerance(threshold):
    return _TOLERANCE * np.maximum(1.0, np.abs(threshold))


def _first_cause(*causes: np.ndarray) -> np.ndarray:
    """Per row, the first non-empty cause."""
    result = causes[0]
    for cause in causes[1:]:
        result = np.where(result == "", cause, result)
    return result.astype(object)


# ------------------------------------------------------------------------------------------------------- evaluation

@dataclass(frozen=True)
class UpstairsResult:
    """What `evaluate` returns.

    plans:      OUTPUT_COLUMNS on the caller's index.
    checks:     one row per plan and rule, plan-major: plan (index label), plan_id, rule_id, status, value (float),
                threshold (text such as "≥ 2", "> 24, ≤ 100"), unit, cause (why unchecked: one of CAUSES, else ""),
                detail (what a checked rule was judged on when it is not its value: the plan's own land-use code).
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

    clean = overlay.clean_polygons(geometries)
    report(5)
    layers = {name: _as_layer(value) for name, value in
              (("farmland", farmland), ("redline", redline), ("urban_boundary", urban_boundary), ("landuse", landuse))}
    report(30)
    data, problems = _read_plans(frame, clean, templates, field_labels or {}, index)
    spatial = _Spatial(clean, data, {rule.id for rule in active}, rules)
    spatial.overlay(layers, landuse_codes, "land_use" in frame, report)
    results = {rule.id: rule.check(data) for rule in active}
    report(90)

    out = _plans_table(data, active, results, problems, templates, index)
    summary = summarise(_land_for_summary(data), data.numbers["floor_area"], out["passed"].to_numpy(),
                        frame["district"] if "district" in frame else None, out["unchecked_rules"].to_numpy() != "")
    summary.update(_diagnostics(active, results, clean, data, layers, index))
    summary["fields_missing"] = [name for name in ("plan_id", *NUMBER_FIELDS, "district", "land_use")
                                 if name not in frame]
    # the totals count drawn land; what the plans declare is given beside it, for reports that quote the forms
    summary["declared_land_mu"] = float(m2_to_mu(np.nansum(data.numbers["declared_area"])))
    checks = _checks_table(data, active, results, index)
    if spatial.own_land_use:
        _judged_on_own_code(checks, data, templates)
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


# --------------------------------------------------------------------------------------------------- reading plans

def _read_plans(frame: pd.DataFrame, clean: overlay.CleanGeometries, templates: dict[str, str],
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

    plan_ids = _text(_raw(frame, "plan_id"))
    _add(problems, templates["geometry_repaired"], index, clean.repaired)
    _add(problems, templates["geometry_empty"], index, clean.empty)
    _add(problems, templates["no_plan_id"], index, plan_ids == "")
    duplicated = (plan_ids != "") & pd.Series(plan_ids).duplicated(keep=False).to_numpy()
    if duplicated.any():
        problems.append(fill(templates["duplicate_plan_id"], index[duplicated], value=pd.Series(plan_ids)))
    names = np.where(plan_ids == "", "#" + pd.Series(labels_of_rows).astype(str), plan_ids).astype(object)
    texts = {"plan_id": plan_ids, "plan_name": names, "land_use": _text(_raw(frame, "land_use")),
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
        (far_from_area, _first_cause(causes["building_area"], area_cause)), (numbers["far"], causes["far"]))
    numbers["floor_area"], causes["floor_area"] = _either(
        (numbers["building_area"], causes["building_area"]),
        (numbers["far"] * area, _first_cause(causes["far"], area_cause)))
    diff_cause = _first_cause(causes["declared_area"], area_cause)
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


def _text(raw: pd.Series) -> np.ndarray:
    """Stripped text, "" for empty values."""
    missing = raw.isna().to_numpy()
    text = raw.astype(object).where(~missing, "").astype(str).str.strip()
    return text.to_numpy(dtype=object)


def _add(parts: list[pd.Series], template: str, index: pd.Index, mask: np.ndarray) -> None:
    if mask.any():
        parts.append(fill(template, index[mask]))


# -------------------------------------------------------------------------------------------------------- geometry

class _Spatial:
    """The geometric measures of the enabled rules, and the pieces kept to draw the violations afterwards."""

    def __init__(self, clean: overlay.CleanGeometries, data: PlanData, enabled: set[str], rules: UpstairsRules):
        self.geometry, self.empty = clean.geometry, clean.empty
        self.data, self.enabled, self.rules = data, enabled, rules
        self.pieces: dict[str, overlay.Pieces] = {}  # rule id -> pieces to draw for failing plans
        self.boundary_inside: overlay.Pieces | None = None
        self.own_land_use = False  # industrial_land judged on the plans' own land_use codes

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
        outside[outside <= _TOLERANCE * area] = 0.0  # rounding of pieces that tile the plan exactly
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
            industrial, known = classify_land_use(own, self.rules.industrial_codes)
            area = self.data.numbers["area_m2"]
            values = np.where(known, np.where(industrial, 0.0, area), np.nan)
            self._set("non_industrial_m2", values, np.where(known, "", NO_VALUE))
            self.own_land_use = True
        else:
            self._set("non_industrial_m2", None, NO_LAYER)

    def _non_industrial_from_layer(self, layer: overlay.Layer, codes) -> None:
        """Pieces on coded non-industrial land count; land the layer does not cover (or codes left empty) leaves the
        rule unchecked unless the plan already fails."""
        n = len(self.geometry)
        industrial, known = classify_land_use(codes, self.rules.industrial_codes)
        pieces = overlay.intersect(self.geometry, layer)
        coded = known[pieces.feature]
        non_industrial = pieces.select(coded & ~industrial[pieces.feature])
        value = non_industrial.covered_area(n)
        uncovered = self.data.numbers["area_m2"] - pieces.select(coded).covered_area(n)
        limit = self.rules.min_overlap_m2
        open_ = (uncovered > limit + _tolerance(limit)) & ~(value > limit + _tolerance(limit))
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
        pieces = pieces.select(pieces.area > limit + _tolerance(limit))
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


def classify_land_use(codes, industrial_codes) -> tuple[np.ndarray, np.ndarray]:
    """(industrial, known) per code: industrial when a listed code is a prefix of it, known when non-empty.

    Codes are compared in a normal form — NFKC, upper case, trailing ".0" dropped, and a leading zero restored on
    all-digit codes of odd length (a "0601" read as the number 601). Only the distinct codes are looked at, so
    500k land-use polygons cost a few dozen comparisons.
    """
    prefixes = tuple(_normal_code(c) for c in industrial_codes if _normal_code(c))
    raw = pd.Series(np.asarray(codes, dtype=object))
    text = pd.Series(_text(raw))
    distinct = pd.unique(text)
    verdict = {code: bool(code) and _normal_code(code).startswith(prefixes) for code in distinct}
    industrial = text.map(verdict).to_numpy(dtype=bool)
    return industrial, (text != "").to_numpy()


def _normal_code(code) -> str:
    text = unicodedata.normalize("NFKC", str(code)).strip().upper()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) % 2 == 1:
        text = "0" + text
    return text


# ---------------------------------------------------------------------------------------------------------- tables

def _plans_table(data: PlanData, active: tuple[Rule, ...], results: dict[str, RuleResult],
                 problems: list[pd.Series], templates: dict[str, str], index: pd.Index) -> pd.DataFrame:
    n = len(index)
    positions = pd.RangeIndex(n)
    failed = [(results[r.id].status == FAIL, r.id) for r in active]
    unchecked = [(results[r.id].status == UNCHECKED, r.id) for r in active]
    reasons = list(problems)
    for rule in active:
        reasons.extend(_failure_reasons(results[rule.id], templates, positions))
    reasons.append(_unchecked_reason(active, results, templates, positions))
    numbers = data.numbers
    out = pd.DataFrame({
        "passed": (~np.any([mask for mask, _ in failed], axis=0) if failed else np.ones(n, bool)).astype(int),
        "failed_rules": _join_flags(failed, n, ID_SEPARATOR),
        "unchecked_rules": _join_flags(unchecked, n, ID_SEPARATOR),
        "reasons": _join_texts(reasons, positions, templates["separator"]).to_numpy(),
        "far": numbers["far"],
        "area_m2": numbers["area_m2"],
        "area_mu": m2_to_mu(numbers["area_m2"]),
        "area_diff_pct": numbers["area_diff_pct"],
        "farmland_m2": numbers["farmland_m2"],
        "redline_m2": numbers["redline_m2"],
        "outside_boundary_m2": numbers["outside_boundary_m2"],
        "non_industrial_m2": numbers["non_industrial_m2"],
        "overlap_plans": data.texts["overlap_plans"],
        "overlap_m2": numbers["plan_overlap_m2"],
    })
    out.index = index
    return out


def _failure_reasons(result: RuleResult, templates: dict[str, str], positions: pd.Index) -> list[pd.Series]:
    """One filled sentence per failing plan and failure kind; numbers formatted for the failing rows only."""
    parts = []
    for failure in result.failures:
        rows = np.flatnonzero(failure.mask)
        if not len(rows):
            continue
        columns = {name: _text_column(value, rows) for name, value in failure.values.items()}
        parts.append(fill(templates[failure.template], positions[rows], **columns))
    return parts


def _unchecked_reason(active: tuple[Rule, ...], results: dict[str, RuleResult], templates: dict[str, str],
                      positions: pd.Index) -> pd.Series:
    """"not checked: height (no value), farmland (layer not given)" for every plan with an unchecked rule."""
    entries = []
    for rule in active:
        cause = results[rule.id].cause
        for key in CAUSES:
            rows = np.flatnonzero(cause == key)
            if len(rows):
                entries.append(fill(templates[f"cause_{key}"], positions[rows], rule=templates[f"rule_{rule.id}"]))
    listed = _join_texts(entries, positions, templates["list_separator"])
    rows = np.flatnonzero((listed != "").to_numpy())
    return fill(templates["not_checked"], positions[rows], rules=listed)


def _checks_table(data: PlanData, active: tuple[Rule, ...], results: dict[str, RuleResult],
                  index: pd.Index) -> pd.DataFrame:
    """The long table behind the panel's checklist: plan-major, one row per plan and enabled rule."""
    n, k = len(index), len(active)

    def stacked(values) -> np.ndarray:
        return np.column_stack(values).ravel() if k else np.empty(0, dtype=object)

    return pd.DataFrame({
        "plan": index.repeat(k),
        "plan_id": np.repeat(data.texts["plan_id"], k),
        "rule_id": np.tile(np.array([r.id for r in active], dtype=object), n),
        "status": stacked([results[r.id].status for r in active]),
        "value": stacked([results[r.id].value for r in active]).astype(float),
        "threshold": stacked([np.broadcast_to(np.asarray(results[r.id].threshold, dtype=object), (n,))
                              for r in active]),
        "unit": np.tile(np.array([r.unit for r in active], dtype=object), n),
        "cause": stacked([np.asarray(results[r.id].cause, dtype=object) for r in active]),
        "detail": "",
    })


def _judged_on_own_code(checks: pd.DataFrame, data: PlanData, templates: dict[str, str]) -> None:
    """Without a land-use layer the industrial-land rule looks at each plan's own code: its checklist row says so
    and names the code, instead of an area that reads like a measured overlap ("0 m² ≤ 1 m²")."""
    rows = ((checks["rule_id"] == "industrial_land") & (checks["cause"] == "")).to_numpy()
    if not rows.any():
        return
    k = len(checks) // len(data.texts["land_use"])  # plan-major: row r belongs to plan r // k
    labels = checks.index[rows]
    codes = pd.Series(data.texts["land_use"][np.flatnonzero(rows) // k], index=labels)
    checks.loc[rows, "value"] = np.nan
    checks.loc[rows, "threshold"] = templates["own_code_threshold"]
    checks.loc[rows, "unit"] = ""
    checks.loc[rows, "detail"] = fill(templates["own_code_note"], labels, code=codes)


def _text_column(value, rows: np.ndarray):
    """A placeholder's value for the given rows, as text: numbers formatted, text as is."""
    if isinstance(value, str):
        return value
    if np.isscalar(value):
        return _fmt(value)
    value = np.asarray(value)[rows]
    text = value if value.dtype == object else _fmt(value)
    return pd.Series(text, index=rows)


def format_value(value) -> str:
    """One number the way the reasons write it ("2.5", "24", "1050.75"; "" when unknown), for the panel."""
    return _fmt(value)


def _fmt(values, decimals: int = 2):
    """Numbers as short text — at most `decimals` decimals, no trailing zeros ("2.5", "24", "1050.75"), "" for NaN.

    "%.2f" always writes a decimal point, so stripping zeros and then the point never eats digits of the integer.
    """
    if np.isscalar(values):
        return _fmt(np.array([values], dtype=float), decimals)[0]
    numbers = np.asarray(values, dtype=float)
    if not numbers.size:  # np.char.mod returns an empty *float* array, which np.char.rstrip refuses
        return np.empty(numbers.shape, dtype=object)
    text = np.char.rstrip(np.char.rstrip(np.char.mod(f"%.{decimals}f", numbers), "0"), ".")
    text = np.where(text == "-0", "0", text)
    return np.where(np.isfinite(numbers), text, "").astype(object)


def _join_flags(flags: list[tuple[np.ndarray, str]], n: int, separator: str) -> np.ndarray:
    """Per row, the names whose mask is set, joined: ["far", "height"] → "far,height"."""
    parts = [pd.Series(np.where(mask, name, ""), dtype=object) for mask, name in flags]
    return _join_texts(parts, pd.RangeIndex(n), separator).to_numpy()


def _join_texts(parts: list[pd.Series], index: pd.Index, separator: str) -> pd.Series:
    """Join the non-empty parts of each row with `separator`, column-wise."""
    out = pd.Series("", index=index, dtype=object)
    for part in parts:
        part = part.reindex(index).fillna("")
        out = out + np.where((out != "") & (part != ""), separator, "") + part
    return out


# --------------------------------------------------------------------------------------------------------- summary

def summarise(land_m2, floor_area_m2, passed, districts: pd.Series | None = None, unchecked=None) -> dict:
    """The figures leadership reports, overall and per district.

    plans (宗), land_m2 / land_mu (亩), floor_area_m2 / floor_area_wan_m2 (万m²), average_far = total floor area /
    total land area of the plans whose floor area is known (plans without one are counted in without_floor_area),
    passed, failed, with_unchecked. Unknown land or floor area counts as 0 in the totals.
    """
    land = np.nan_to_num(np.asarray(land_m2, dtype=float))
    floor = np.asarray(floor_area_m2, dtype=float)
    passed = np.asarray(passed).astype(bool)
    unchecked = np.zeros(len(land), bool) if unchecked is None else np.asarray(unchecked, dtype=bool)
    summary = _totals(land, floor, passed, unchecked)
    if districts is not None:
        names = pd.Series(_text(pd.Series(np.asarray(districts, dtype=object))))
        names = names.where(names != "", "—").to_numpy()
        summary["per_district"] = {str(name): _totals(land[rows], floor[rows], passed[rows], unchecked[rows])
                                   for name, rows in _groups(names)}
    return summary


def _totals(land: np.ndarray, floor: np.ndarray, passed: np.ndarray, unchecked: np.ndarray) -> dict:
    known_floor = ~np.isnan(floor)
    floor_total = float(floor[known_floor].sum())
    land_with_floor = float(land[known_floor].sum())
    return {
        "plans": int(len(land)),
        "land_m2": float(land.sum()),
        "land_mu": float(m2_to_mu(land.sum())),
        "floor_area_m2": floor_total,
        "floor_area_wan_m2": float(m2_to_wan_m2(floor_total)),
        "average_far": floor_total / land_with_floor if land_with_floor > 0 else None,
        "passed": int(passed.sum()),
        "failed": int((~passed).sum()),
        "with_unchecked": int(unchecked.sum()),
        "without_floor_area": int((~known_floor).sum()),
        "figures": figures(len(land), m2_to_mu(land.sum()), m2_to_wan_m2(floor_total)),
    }


def figures(plans: int, land_mu: float, floor_area_wan_m2: float,
            template: str = UPSTAIRS_TEMPLATES["figures"]) -> str:
    """The totals in the form leadership reports them: "133 宗, 7,682 亩, 1,423 万m²" (a translated `template`
    gives the Chinese "133 宗，7,682 亩，1,423 万m²").

    The units are the bureau's own whatever the interface language. Totals from 100 up are whole numbers with
    thousands separators; smaller ones keep up to two decimals, so three plans do not read "0 万m²".
    """
    return template.format(plans=plans, land_mu=_amount(land_mu), floor_area=_amount(floor_area_wan_m2))


def _amount(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _groups(names: np.ndarray):
    """(name, row positions) per distinct name, in sorted order."""
    order = np.argsort(names, kind="stable")
    distinct, starts = np.unique(names[order], return_index=True)
    return zip(distinct, np.split(order, starts[1:]))


def _land_for_summary(data: PlanData) -> np.ndarray:
    """Drawn area, or the declared one where the plan has no geometry."""
    area = data.numbers["area_m2"]
    return np.where(np.isnan(area), data.numbers["declared_area"], area)


def _diagnostics(active, results, clean, data, layers, index: pd.Index) -> dict:
    """Counts per rule and what was wrong with the data; `problem_plans` names the plans (by the caller's index
    labels) so a log can say which features to fix."""
    plan_ids = data.texts["plan_id"]
    duplicated = pd.Series(plan_ids[plan_ids != ""]).duplicated(keep=False)

    def labels(mask) -> list:
        return index[np.asarray(mask, dtype=bool)].tolist()

    return {
        "problem_plans": {"repaired": labels(clean.repaired), "empty": labels(clean.empty),
                          "no_plan_id": labels(plan_ids == ""),
                          "bad_values": {name: labels(mask) for name, mask in data.bad_values.items()}},
        "per_rule": {r.id: {s: int((results[r.id].status == s).sum()) for s in (PASS, FAIL, UNCHECKED)}
                     for r in active},
        "geometry_repaired": int(clean.repaired.sum()),
        "geometry_empty": int(clean.empty.sum()),
        "duplicate_plan_ids": sorted(set(pd.Series(plan_ids[plan_ids != ""])[duplicated.to_numpy()])),
        "layers": {name: {"features": layer.size, "repaired": len(layer.repaired), "empty": len(layer.empty)}
                   for name, layer in layers.items() if layer is not None},
    }
