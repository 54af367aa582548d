"""The profile section `efficiency` as a typed value, and what makes one unusable.

Kept apart from the analysis so the rules editor and the profile loader can build and check rules without the
judging code; analysis.efficiency's module docstring says how each value is used.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.criteria import Source, bundled_sources, sources_table, validate_sources
from .land_use_codes import AUTO as LAND_USE_AUTO
from .land_use_codes import DEFAULT_KEY, FAMILIES, SYSTEMS, is_table_key
from .messages import QT_TRANSLATE_NOOP, Message
from .plausibility import AUTO, Limited, limits_of, validate_limits, validate_unit

# indicator: (numerator field, denominator field); "mu" is the parcel's land area in 亩.
INDICATORS: dict[str, tuple[str, str]] = {
    "tax_per_mu": ("tax", "mu"),
    "output_per_mu": ("output", "mu"),
    "output_per_energy": ("output", "energy"),
    "output_per_employee": ("output", "employees"),
    "rd_ratio": ("rd_spend", "output"),
}

# fields of the parcels whose values have a plausibility limit (analysis.plausibility)
LIMITED_FIELDS = ("far", "coverage", "area_m2", "building_area", "tax", "output", "rd_spend", "energy", "employees",
                  "floors", "height")  # floors and height: of the buildings layer
REFERENCES = ("median", "trimmed_mean")  # how a district's reference value of an indicator is taken
BOTTOM_GRADE = "D"  # the grade below the lowest bound (倒逼整治)
MODE_KEYS = ("idle", "cluster", "single")
# The rules that carry a source: the low-efficiency criteria (analysis.efficiency.criteria) and the grading.
SOURCE_IDS = ("far_low", "coverage_low", "tax_low", "grade_low", "idle", "grading", "classes", "exemptions")
# The profile keys each of them reads: a value edited in the panel makes its rule's source "local default".
SOURCE_KEYS = {"far_low": ("min_far",), "coverage_low": ("min_coverage",), "tax_low": ("tax_ratio_floor",),
               "grade_low": ("low_grade",), "idle": (),
               "grading": ("weights", "grade_bounds", "grading", "rank_scope", "rank_cuts", "rank_ties"),
               "classes": ("enterprise_classes", "above_scale_output", "below_scale_min_mu", "below_scale_indicators"),
               "exemptions": ("exempt_new_years", "exempt_under_construction", "exempt_industries", "exempt_grade")}


def _table(values: dict):
    """A dataclass field defaulting to a fresh copy of the given table."""
    return field(default_factory=lambda: dict(values))


@dataclass(frozen=True)
class EfficiencyRules(Limited):
    """The profile section `efficiency`; analysis.efficiency's module docstring says how each value is used.

    Defaults are the bundled default profile's values (a unit test keeps them in step); `limits` are laid over the
    default limits key by key (analysis.plausibility.Limited).
    """

    limited_fields = LIMITED_FIELDS

    min_far: dict[str, float] = _table({
        "default": 1.0, "0601": 1.0, "0602": 0.5, "0604": 0.8, "1001": 1.0, "100101": 1.0, "100102": 1.0,
        "100103": 0.8, "1101": 0.8, "M1": 1.0, "M2": 1.0, "M3": 0.8, "W": 0.8})
    target_far: dict[str, float] = _table({
        "default": 2.0, "0601": 2.5, "1001": 2.5, "100101": 2.5, "100102": 2.0, "100103": 1.5, "0604": 2.0,
        "1101": 2.0, "M1": 2.5, "M2": 2.0, "M3": 1.5, "W": 2.0})
    min_coverage: float = 0.30
    tax_ratio_floor: float = 0.5
    # 亩均税收 45, 亩均产值 20, 单位能耗产值 15, R&D 15, 全员劳动生产率 5 (a typical county's weights)
    weights: dict[str, float] = _table({"tax_per_mu": 45, "output_per_mu": 20, "output_per_energy": 15,
                                        "rd_ratio": 15, "output_per_employee": 5})
    grade_bounds: dict[str, float] = _table({"A": 80, "B": 60, "C": 40})
    low_grade: str = "D"
    storey_height_m: float = 4.5
    cluster_min_shared_edge_m: float = 5.0
    # boundaries this close count as shared: digitising leaves neighbours apart by rounding (a T-junction's vertex
    # off its neighbour's edge by ~1e-9 m) or by a CAD export's millimetres
    cluster_edge_tolerance_m: float = 0.01
    modes: dict[str, str] = _table({"idle": "政府收储", "cluster": "并宗再开发", "single": "自主再开发"})
    limits: dict[str, float | None] = _table(limits_of(LIMITED_FIELDS))
    far_unit: str = AUTO
    coverage_unit: str = AUTO
    reference: str = "median"
    reference_trim: float = 0.1
    unit_error_factor: float = 100.0
    building_data_radius_m: float = 100.0
    # Who is judged: parcels whose land use is of these families (land_use_codes.FAMILIES), read in the layer's
    # code system — detected from its values ("auto") or named here / by the LAND_USE_SYSTEM parameter.
    scope_families: list[str] = field(default_factory=lambda: ["industrial", "warehouse"])
    land_use_system: str = LAND_USE_AUTO
    # Every parcel is industrial land, whatever its land use (the ALL_INDUSTRIAL parameter sets it for one run;
    # the log, the run record and the summary say so).
    all_industrial: bool = False
    # How graded (analysis.efficiency_grading): "rank" (cut points by rank share within the district or city) or
    # "score" (grade_bounds); ties of the rank: "better" (all tied take the best rank) or "worse".
    grading: str = "rank"
    rank_scope: str = "district"
    rank_cuts: dict[str, float] = _table({"A": 0.25, "B": 0.70, "C": 0.95})
    rank_ties: str = "better"
    # Enterprise classes: 规上 by the scale field or output ≥ above_scale_output 万元 (all indicators); 规下 on at least
    # below_scale_min_mu 亩 on below_scale_indicators; smaller ones and tenants listed apart; not graded (不定等级):
    # new (< exempt_new_years since production start), under construction, utilities (exempt_industries) — or
    # exempt_grade when it names a grade. enterprise_classes false: everyone graded on every indicator.
    enterprise_classes: bool = True
    above_scale_output: float = 2000.0
    below_scale_min_mu: float = 3.0
    below_scale_indicators: list[str] = field(default_factory=lambda: ["tax_per_mu"])
    exempt_new_years: int = 3
    exempt_under_construction: bool = True
    exempt_industries: list[str] = field(default_factory=lambda: ["44", "45", "46"])
    exempt_grade: str = ""
    # rule id (SOURCE_IDS) -> its source (rules.criteria): document, article, date — or "local default"
    sources: dict[str, object] = field(default_factory=lambda: bundled_sources("efficiency"))

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, SOURCE_IDS)

    def grades(self) -> tuple[str, ...]:
        """All grades, best first, then `BOTTOM_GRADE`: the `rank_cuts` keys by ascending cut (rank grading), the
        `grade_bounds` keys by descending bound (score grading)."""
        if self.grading == "rank":
            ordered = sorted(self.rank_cuts, key=lambda g: self.rank_cuts[g])
        else:
            ordered = sorted(self.grade_bounds, key=lambda g: -self.grade_bounds[g])
        return (*ordered, BOTTOM_GRADE)

    def validate(self):
        """Yield (key, message) for every value the analysis cannot work with."""
        for name in ("min_far", "target_far"):
            table = getattr(self, name)
            if DEFAULT_KEY not in table:
                yield name, Message(QT_TRANSLATE_NOOP(
                    "profile", "needs a '{key}' entry for land-use codes without their own"), key=DEFAULT_KEY)
            for code, value in table.items():
                if value < 0:
                    yield f"{name}.{code}", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
                if not is_table_key(code):
                    yield f"{name}.{code}", Message(QT_TRANSLATE_NOOP(
                        "profile", "is no land-use code of GB/T 21010, the 2023 guide or GB 50137, no family "
                                   "({families}) and not '{key}'"), families=", ".join(FAMILIES), key=DEFAULT_KEY)
        unknown = [family for family in self.scope_families if family not in FAMILIES]
        if unknown or not self.scope_families:
            yield "scope_families", Message(QT_TRANSLATE_NOOP("profile", "must list families of: {families}"),
                                             families=", ".join(FAMILIES))
        if self.land_use_system not in (LAND_USE_AUTO, *SYSTEMS):
            yield "land_use_system", Message(QT_TRANSLATE_NOOP("profile", "must be one of {systems}"),
                                             systems=", ".join((LAND_USE_AUTO, *SYSTEMS)))
        if not isinstance(self.all_industrial, bool):
            yield "all_industrial", Message(QT_TRANSLATE_NOOP("profile", "must be true or false"))
        if not 0 <= self.min_coverage <= 1:
            yield "min_coverage", Message(QT_TRANSLATE_NOOP(
                "profile", "must be a share between 0 and 1 (0.30 for 30 %)"))
        if self.tax_ratio_floor < 0:
            yield "tax_ratio_floor", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        yield from self._validate_weights()
        yield from self._validate_grades()
        yield from self._validate_grading()
        if self.storey_height_m <= 0:
            yield "storey_height_m", Message(QT_TRANSLATE_NOOP("profile", "must be positive"))
        if self.cluster_min_shared_edge_m < 0:
            yield "cluster_min_shared_edge_m", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        if self.cluster_edge_tolerance_m < 0:
            yield "cluster_edge_tolerance_m", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        for key in MODE_KEYS:
            if key not in self.modes:
                yield "modes", Message(QT_TRANSLATE_NOOP("profile", "needs an entry '{key}'"), key=key)
        yield from self._validate_values()
        yield from validate_sources(self.sources, SOURCE_IDS)

    def _validate_values(self):
        yield from validate_limits(self.limits, LIMITED_FIELDS)
        yield from validate_unit(self.far_unit, "far_unit")
        yield from validate_unit(self.coverage_unit, "coverage_unit")
        if self.reference not in REFERENCES:
            yield "reference", Message(QT_TRANSLATE_NOOP("profile", "must be one of {units}"),
                                       units=", ".join(REFERENCES))
        if not 0 <= self.reference_trim < 0.5:
            yield "reference_trim", Message(QT_TRANSLATE_NOOP(
                "profile", "must be a share from 0 up to (not including) 0.5"))
        if not self.unit_error_factor > 1:
            yield "unit_error_factor", Message(QT_TRANSLATE_NOOP("profile", "must be above 1"))
        if not self.building_data_radius_m >= 0:
            yield "building_data_radius_m", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))

    def _validate_weights(self):
        for name, weight in self.weights.items():
            if name not in INDICATORS:
                yield f"weights.{name}", Message(QT_TRANSLATE_NOOP("profile", "unknown indicator; known: {known}"),
                                                 known=", ".join(INDICATORS))
            elif weight < 0:
                yield f"weights.{name}", Message(QT_TRANSLATE_NOOP("profile", "must not be negative"))
        if sum(w for name, w in self.weights.items() if name in INDICATORS and w > 0) <= 0:
            yield "weights", Message(QT_TRANSLATE_NOOP("profile", "at least one indicator needs a positive weight"))

    def _validate_grading(self):
        choices = {"grading": ("rank", "score"), "rank_scope": ("district", "city"), "rank_ties": ("better", "worse")}
        for key, allowed in choices.items():
            if getattr(self, key) not in allowed:
                yield key, Message(QT_TRANSLATE_NOOP("profile", "must be one of {units}"), units=", ".join(allowed))
        cuts = sorted(self.rank_cuts.values())
        if (not cuts or any(not 0 < c <= 1 for c in cuts) or len(set(cuts)) < len(cuts)
                or BOTTOM_GRADE in self.rank_cuts):
            yield "rank_cuts", Message(QT_TRANSLATE_NOOP(
                "profile", "cuts are shares of the group ranked above (0 < cut ≤ 1), one per grade, all different, "
                           "and none for '{grade}', the grade below the last cut"), grade=BOTTOM_GRADE)
        for flag in ("enterprise_classes", "exempt_under_construction"):
            if not isinstance(getattr(self, flag), bool):
                yield flag, Message(QT_TRANSLATE_NOOP("profile", "must be true or false"))
        unknown = [name for name in self.below_scale_indicators if self.weights.get(name, 0) <= 0]
        if unknown and self.enterprise_classes:
            yield "below_scale_indicators", Message(QT_TRANSLATE_NOOP(
                "profile", "each must be an indicator with a positive weight: {names}"), names=", ".join(unknown))
        if self.exempt_grade and (self.exempt_grade not in self.grades() or self.exempt_grade == BOTTOM_GRADE):
            yield "exempt_grade", Message(QT_TRANSLATE_NOOP(
                "profile", "empty (not graded) or a grade other than '{bottom}': {grades}"), bottom=BOTTOM_GRADE,
                grades=", ".join(self.grades()[:-1]))
        if any(not str(code).strip() for code in self.exempt_industries):
            yield "exempt_industries", Message(QT_TRANSLATE_NOOP("profile", "industry codes must not be blank"))

    def _validate_grades(self):
        bounds = list(self.grade_bounds.values())
        if any(b <= a for a, b in zip(bounds[1:], bounds)) or any(not 0 <= b <= 100 for b in bounds):
            yield "grade_bounds", Message(QT_TRANSLATE_NOOP(
                "profile", "bounds must lie in 0…100 and descend strictly (A > B > C)"))
        if BOTTOM_GRADE in self.grade_bounds:
            yield "grade_bounds", Message(QT_TRANSLATE_NOOP(
                "profile", "'{grade}' is the grade below the lowest bound and takes no bound"), grade=BOTTOM_GRADE)
        if self.low_grade not in self.grades():
            yield "low_grade", Message(QT_TRANSLATE_NOOP("profile", "must be one of {grades}"),
                                       grades=", ".join(self.grades()))


DEFAULT_RULES = EfficiencyRules()


__all__ = ["BOTTOM_GRADE", "DEFAULT_KEY", "DEFAULT_RULES", "INDICATORS", "LIMITED_FIELDS", "MODE_KEYS", "REFERENCES",
           "SOURCE_IDS", "SOURCE_KEYS", "EfficiencyRules"]
