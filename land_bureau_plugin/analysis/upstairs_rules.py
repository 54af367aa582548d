"""The upstairs rules: the profile section (`UpstairsRules`), the rule catalogue and how each rule judges plans.

Each rule reads named columns of `PlanData` and returns a `RuleResult` (status, value, threshold, cause) for all plans
at once; `build_rules` turns the profile into the rule objects it switches on. The statuses and the causes of an
unchecked rule are the vocabulary every other upstairs module speaks, so they are defined here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from ..rules.criteria import Criterion, Source, bundled_sources, sources_table, validate_sources
from .land_use_codes import AUTO as LAND_USE_AUTO
from .land_use_codes import FAMILIES, SYSTEMS
from .messages import QT_TRANSLATE_NOOP, Message
from .plausibility import AUTO, Limited, limits_of, validate_limits, validate_unit
from .upstairs_text import UPSTAIRS_TEMPLATES, format_numbers

RULE_IDS = ("far", "height", "floors", "ground_floor_height", "upper_floor_height", "ground_floor_load",
            "upper_floor_load", "lift_capacity", "support_floor_share", "support_land_share", "area_match", "farmland",
            "redline", "urban_boundary", "industrial_land", "plan_overlap")
# Land "on industrial land" may lie on: these families of the land-use code tables (analysis.land_use_codes), so
# 0601 (三调), 1001 / 110101 (2023 guide), M / M1 / W (GB 50137) — each read in its layer's own code system.
# What saving edits with failing plans does (the live check): warn, refuse the save (QGIS ≥ 4.0 asks plugins
# before it saves; an older QGIS cannot be asked, and "block" warns there), or nothing.
SAVE_POLICIES = ("warn", "block", "off")
DEFAULT_INDUSTRIAL_FAMILIES = ("industrial", "warehouse")
PASS, FAIL, UNCHECKED = "pass", "fail", "unchecked"
# Why a value is unknown; each has a template "cause_<key>".
NO_VALUE, BAD_VALUE, NO_LAYER, NO_GEOMETRY, NOT_COVERED = "no_value", "bad_value", "no_layer", "no_geometry", \
    "not_covered"
NO_FIELD = "no_field"  # the layer has no such field at all (the field map found none)
IMPLAUSIBLE = "implausible"  # above its plausibility limit (analysis.plausibility): a data error
CAUSES = (NO_FIELD, NO_VALUE, BAD_VALUE, IMPLAUSIBLE, NO_LAYER, NO_GEOMETRY, NOT_COVERED)
# plan fields whose values have a plausibility limit (`limits` in the profile section)
LIMITED_FIELDS = ("far", "height", "floors", "declared_area", "building_area", "support_area", "support_land_area",
                  "ground_floor_height", "upper_floor_height", "ground_floor_load", "upper_floor_load", "lift_capacity")

# ----------------------------------------------------------------------------------------------------------- profile

@dataclass(frozen=True)
class UpstairsRules(Limited):
    """The profile section `upstairs` (keys and defaults as in resources/profiles/default.json; `limits` laid over
    the default limits key by key, analysis.plausibility.Limited)."""

    limited_fields = LIMITED_FIELDS

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
    # the plans layer's own FAR field agrees with the FAR checked (floor area ÷ the drawn area) when they differ by
    # at most this much (a FAR written to two decimals); beyond it the plan's form says the field is not what is
    # checked. A note, never a rule: the rules judge the FAR the floor area and the drawing give.
    far_field_tolerance: float = 0.01
    industrial_families: list[str] = field(default_factory=lambda: list(DEFAULT_INDUSTRIAL_FAMILIES))
    land_use_system: str = LAND_USE_AUTO  # the land-use values' code system: "auto" (detected) or one of SYSTEMS
    min_overlap_m2: float = 1.0
    rules: list[str] = field(default_factory=lambda: list(RULE_IDS))
    limits: dict[str, float | None] = field(default_factory=lambda: limits_of(LIMITED_FIELDS))
    far_unit: str = AUTO
    # saving edits while plans fail a rule (live check): "warn" names them on the message bar, "block" refuses the
    # save where QGIS lets a plugin (4.0 and later, the application's save actions) and warns elsewhere, "off" says
    # nothing. Before QGIS 4.0 no plugin can refuse a save: QgsVectorLayer.setAllowCommit is not in the bindings.
    on_save_failing: str = "warn"
    # rule id -> its source (rules.criteria): document, article, date — or "local default"
    sources: dict[str, object] = field(default_factory=lambda: bundled_sources("upstairs"))

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, RULE_IDS)

    def validate(self):
        """Yield (key, message) for values no plan could be checked against."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                yield f.name, Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        if self.min_height_m >= self.max_height_m:
            yield "min_height_m", Message(QT_TRANSLATE_NOOP("profile", "must be below max_height_m ({max})"),
                                          max=self.max_height_m)
        for key in ("max_support_floor_share", "max_support_land_share"):
            if getattr(self, key) > 1:
                yield key, Message(QT_TRANSLATE_NOOP("profile", "is a share between 0 and 1 (0.15 means 15 %)"))
        unknown = [r for r in self.rules if r not in RULE_IDS]
        if unknown:
            yield "rules", Message(QT_TRANSLATE_NOOP("profile", "unknown rule id(s): {ids}; known: {known}"),
                                   ids=", ".join(map(str, unknown)), known=", ".join(RULE_IDS))
        repeated = sorted({r for r in self.rules if self.rules.count(r) > 1})
        if repeated:
            yield "rules", Message(QT_TRANSLATE_NOOP("profile", "listed more than once: {ids}"),
                                   ids=", ".join(repeated))
        if not self.industrial_families or any(f not in FAMILIES for f in self.industrial_families):
            yield "industrial_families", Message(QT_TRANSLATE_NOOP("profile", "must list families of: {families}"),
                                                 families=", ".join(FAMILIES))
        if self.land_use_system not in (LAND_USE_AUTO, *SYSTEMS):
            yield "land_use_system", Message(QT_TRANSLATE_NOOP("profile", "must be one of {systems}"),
                                             systems=", ".join((LAND_USE_AUTO, *SYSTEMS)))
        yield from validate_limits(self.limits, LIMITED_FIELDS)
        yield from validate_unit(self.far_unit, "far_unit")
        if self.on_save_failing not in SAVE_POLICIES:
            yield "on_save_failing", Message(QT_TRANSLATE_NOOP("profile", "must be one of {values}"),
                                             values=", ".join(SAVE_POLICIES))
        yield from validate_sources(self.sources, RULE_IDS)


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
    bad_values: dict[str, np.ndarray] = field(default_factory=dict)  # field -> mask of junk / data errors as read
    # how the far field was read: "ratio", "percent" (the whole column: most values above the FAR limit, or the
    # profile says so) or "percent_sign" (only the values written with "%")
    units: dict[str, str | None] = field(default_factory=dict)
    percent_values: dict[str, np.ndarray] = field(default_factory=dict)  # field -> mask of values read in percent

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
    """One check: its id (as in the profile), a translatable description, the unit of its measured value, the
    requirements (`rules.criteria.Criterion`, all on one measure) a plan must meet, the columns its failure sentences
    quote besides value and threshold, and its source. A plan passes where every requirement holds, fails where a
    known value misses one, and is unchecked where the value is unknown."""

    id: str
    description: str
    unit: str
    criteria: tuple[Criterion, ...]
    extra: tuple[str, ...] = ()
    source: Source = Source()

    @property
    def label(self) -> str:
        """Short English name (translatable: it is UPSTAIRS_TEMPLATES["rule_<id>"])."""
        return UPSTAIRS_TEMPLATES[f"rule_{self.id}"]

    @property
    def measure(self) -> str:
        return self.criteria[0].measure

    def threshold_text(self) -> str:
        """"≥ 2", "> 24, ≤ 100"."""
        return ", ".join(c.threshold_text(format_numbers) for c in self.criteria)

    def check(self, data: PlanData) -> RuleResult:
        value, cause = data.number(self.measure)
        known = cause == ""
        failing = [known & c.fails(value) for c in self.criteria]
        status = _status(known, ~np.any(failing, axis=0))
        extra = {name: data.column(name) for name in self.extra}
        return RuleResult(status, value, self.threshold_text(), cause, tuple(
            Failure(mask, c.template, {"value": value, "threshold": c.threshold, **extra})
            for c, mask in zip(self.criteria, failing)))


def requirement(rule_id: str, description: str, unit: str, measure: str, sources: dict,
                *conditions: tuple[str, float, str], extra: tuple[str, ...] = ()) -> Rule:
    """A rule from (comparison, threshold, failure template) conditions on one measure."""
    source = sources[rule_id]
    return Rule(rule_id, description, unit, tuple(Criterion(rule_id, measure, comparison, threshold, template, source)
                                                  for comparison, threshold, template in conditions), extra, source)


def build_rules(rules: UpstairsRules) -> tuple[Rule, ...]:
    """The rule objects the profile switches on, in the profile's order, with its thresholds and sources: the
    criteria table of the upstairs check (each row: id, description, unit, measure, comparison, threshold, the
    sentence of a failure)."""
    limit = rules.min_overlap_m2
    s = rules.source_table()
    catalogue = {r.id: r for r in (
        requirement("far", QT_TRANSLATE_NOOP("reasons", "Floor area ratio is at least the minimum."),
                    "", "far", s, (">=", rules.min_far, "fail_far")),
        requirement("height", QT_TRANSLATE_NOOP(
            "reasons", "Building height is above the minimum and at most the maximum."), "m", "height", s,
            (">", rules.min_height_m, "fail_height_low"), ("<=", rules.max_height_m, "fail_height_high")),
        requirement("floors", QT_TRANSLATE_NOOP("reasons", "The building has at least the minimum number of storeys."),
                    "", "floors", s, (">=", rules.min_floors, "fail_floors")),
        requirement("ground_floor_height", QT_TRANSLATE_NOOP("reasons", "Ground floor height is at least the minimum."),
                    "m", "ground_floor_height", s, (">=", rules.min_ground_floor_height_m, "fail_ground_floor_height")),
        requirement("upper_floor_height", QT_TRANSLATE_NOOP("reasons", "Upper floor height is at least the minimum."),
                    "m", "upper_floor_height", s, (">=", rules.min_upper_floor_height_m, "fail_upper_floor_height")),
        requirement("ground_floor_load", QT_TRANSLATE_NOOP(
            "reasons", "Ground floor design load is at least the minimum."), "kN/m²", "ground_floor_load", s,
            (">=", rules.min_ground_floor_load_kn, "fail_ground_floor_load")),
        requirement("upper_floor_load", QT_TRANSLATE_NOOP(
            "reasons", "Upper floor design load is at least the minimum."), "kN/m²", "upper_floor_load", s,
            (">=", rules.min_upper_floor_load_kn, "fail_upper_floor_load")),
        requirement("lift_capacity", QT_TRANSLATE_NOOP("reasons", "Freight lift capacity is at least the minimum."),
                    "t", "lift_capacity", s, (">=", rules.min_lift_capacity_t, "fail_lift_capacity")),
        requirement("support_floor_share", QT_TRANSLATE_NOOP(
            "reasons", "The floor area of office and living facilities is at most its share of the total floor area."),
            "%", "support_floor_pct", s, ("<=", rules.max_support_floor_share * 100, "fail_support_floor"),
            extra=("support_area", "floor_area")),
        requirement("support_land_share", QT_TRANSLATE_NOOP(
            "reasons", "The land occupied by office and living facilities is at most its share of the land area."),
            "%", "support_land_pct", s, ("<=", rules.max_support_land_share * 100, "fail_support_land"),
            extra=("support_land_area", "area_m2")),
        requirement("area_match", QT_TRANSLATE_NOOP("reasons", "The declared area matches the drawn area."),
                    "%", "area_diff_abs_pct", s, ("<=", rules.max_area_diff_pct, "fail_area_match"),
                    extra=("declared_area", "area_m2")),
        requirement("farmland", QT_TRANSLATE_NOOP("reasons", "The plan does not lie on permanent basic farmland."),
                    "m²", "farmland_m2", s, ("<=", limit, "fail_farmland")),
        requirement("redline", QT_TRANSLATE_NOOP("reasons", "The plan does not lie inside the ecological red line."),
                    "m²", "redline_m2", s, ("<=", limit, "fail_redline")),
        requirement("urban_boundary", QT_TRANSLATE_NOOP(
            "reasons", "The plan lies inside the urban development boundary."), "m²", "outside_boundary_m2", s,
            ("<=", limit, "fail_urban_boundary")),
        requirement("industrial_land", QT_TRANSLATE_NOOP("reasons", "The plan lies on industrial land."),
                    "m²", "non_industrial_m2", s, ("<=", limit, "fail_industrial_land")),
        requirement("plan_overlap", QT_TRANSLATE_NOOP("reasons", "The plan does not overlap another plan."),
                    "m²", "plan_overlap_m2", s, ("<=", limit, "fail_plan_overlap"), extra=("overlap_plans",)),
    )}
    return tuple(catalogue[rule_id] for rule_id in rules.rules)


def failure_sources(active: tuple[Rule, ...]) -> dict[str, Source]:
    """{failure template key: the source of its rule}, to cite in the reasons (rules.criteria.cited)."""
    return {c.template: rule.source for rule in active for c in rule.criteria}


def _status(known: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(known, np.where(ok, PASS, FAIL), UNCHECKED).astype(object)


def first_cause(*causes: np.ndarray) -> np.ndarray:
    """Per row, the first non-empty cause."""
    result = causes[0]
    for cause in causes[1:]:
        result = np.where(result == "", cause, result)
    return result.astype(object)
