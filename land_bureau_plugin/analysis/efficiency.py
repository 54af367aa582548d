"""Low-efficiency land (低效用地): land-use intensity, 亩均 performance, the low-efficiency flag with its reasons,
redevelopment potential, merge clusters and the proposed redevelopment mode, per parcel.

Scope. Low efficiency concerns industrial and warehouse land. A parcel is in scope when its land-use code starts
with one of the code families of the profile's `min_far` table (with the default profile: 06, 10, 11, M, W — GB/T
21010 "0601", the 2023 guide "1001"/"100101", GB 50137 "M1"), or when its land use is unknown (it is then judged
by the `default` thresholds and the reasons say so). A value that is no code at all ("工业用地") is reported and
not judged. Out-of-scope parcels still get their facts (far, coverage, tax_per_mu, output_per_mu) but no score,
grade, potential or mode, and low_eff 0. Codes are compared normalised: trimmed, upper case, 601 → "0601".

Intensity. With a buildings layer, floor area and footprint are the buildings' footprints clipped to each parcel
(a building across two parcels counts in each by its clipped part) times their storeys; far = floor area / parcel
area, coverage = footprint / parcel area. Storeys: the `floors` value when positive, else
max(1, round(height / storey_height_m)) when a height is known, else 1 — each estimate is counted per parcel in
the reasons. Without buildings, far comes from the parcel's `far`, else `building_area` / area, and coverage from
its `coverage` (a percentage when any value exceeds 1). A FAR above `MAX_PLAUSIBLE_FAR` or a coverage above
100 % is a data error: shown and reported, never used for a flag or a potential.

Areas. The geometry's planar area when parcel geometries are given (the caller transforms a geographic CRS
first), else `area_m2`. A parcel with no usable area gets no FAR from buildings, no coverage and no per-亩 values.

Score (亩均论英雄, after 浙政发〔2018〕5号). Indicators, each computed only where its inputs are valid numbers
and its denominator is positive:
  tax_per_mu = tax / 亩, output_per_mu = output / 亩, output_per_energy = output / energy,
  output_per_employee = output / employees, rd_ratio = rd_spend / output.
Each is divided by its *reference average*: Σ numerator / Σ denominator over the in-scope parcels of the same
`district` (the district's own 亩均税收 etc., as statistics report it; unlike a mean of ratios it is not swayed by
tiny parcels); parcels without a district, or all parcels when there is no district column, use the layer-wide
figure. Then
  score = 50 × Σ_k w_k · min(value_k / average_k, 2) / Σ_k w_k,
summed over the indicators with a positive profile weight w_k that the parcel has. An average firm scores 50;
reaching twice the average on everything scores 100. Indicators a parcel lacks are left out and the remaining
weights renormalised (said in the reasons); a parcel with none gets no score and no grade. The score is rounded to
one decimal and graded on that value: A ≥ 80, B ≥ 60, C ≥ 40 (profile `grade_bounds`), else D (`BOTTOM_GRADE`).

Low efficiency (in scope only), any of: FAR < min_far for its land use; coverage < min_coverage;
tax_per_mu < tax_ratio_floor × its reference average; grade == low_grade; idle. Thresholds by land use come from
the longest code prefix in the table (see `lookup_by_code`). Every criterion met is a reason with its value and
threshold.

Potential, for every in-scope parcel with a usable FAR (not only the flagged ones — it is what the land could
hold): potential_m2 = max(0, area × (target_far − far)), rounded to whole m². The seed case: 29,412 m² at FAR 0.8
with target 2.5 gives 50,000 m².

Clusters (并宗再开发 candidates): low-efficiency parcels that share at least `cluster_min_shared_edge_m` of
boundary are linked (a corner touch is not); connected groups of two or more get cluster_id 1..k by total area,
largest first; every other parcel gets 0 (no cluster). Needs parcel geometries, else all 0.

Mode (flagged parcels only): idle → modes["idle"] (政府收储); in a cluster → modes["cluster"] (并宗再开发); else
modes["single"] (自主再开发). Not flagged → "".

Bad input is never a silent zero: text that is not a number, negative values, yes/no values that are neither,
repaired or empty geometries, missing areas — each is a reason on its parcel, and `evaluate` attaches an
`EfficiencyReport` (building counts and ids) as `result.attrs["report"]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np
import pandas as pd
import shapely

from .messages import LIST_SEPARATOR, QT_TRANSLATE_NOOP, SEPARATOR, fill, join_reasons
from .overlay import GeometryReport, connected_components, floor_area_per_parcel, make_polygonal, shared_edges
from .units import m2_to_mu, m2_to_wan_m2

OUTPUT_COLUMNS = ("far", "coverage", "tax_per_mu", "output_per_mu", "score", "grade", "low_eff", "reasons",
                  "potential_m2", "cluster_id", "mode", "area_mu")

NUMBER_FIELDS = ("area_m2", "far", "building_area", "coverage", "tax", "output", "energy", "employees", "rd_spend")

# indicator: (numerator field, denominator field); "mu" is the parcel's land area in 亩.
INDICATORS: dict[str, tuple[str, str]] = {
    "tax_per_mu": ("tax", "mu"),
    "output_per_mu": ("output", "mu"),
    "output_per_energy": ("output", "energy"),
    "output_per_employee": ("output", "employees"),
    "rd_ratio": ("rd_spend", "output"),
}

SCORE_RATIO_CAP = 2.0  # an indicator counts for at most twice the average, so one outlier cannot carry the score
SCORE_OF_AVERAGE = 50.0  # the score of a parcel exactly at the reference average on every indicator
MAX_PLAUSIBLE_FAR = 20.0  # above this a FAR is a data error (a 250 typed for 2.50, a building layer in the wrong CRS)
BOTTOM_GRADE = "D"  # the grade below the lowest bound (倒逼整治)
DEFAULT_KEY = "default"
MODE_KEYS = ("idle", "cluster", "single")

_TRUE_WORDS = ("1", "是", "y", "yes", "true", "t", "闲置")
_FALSE_WORDS = ("0", "否", "n", "no", "false", "f", "非闲置", "未闲置")
_CODE = re.compile(r"\d{2,6}|[A-Z]{1,2}\d{0,3}")  # GB/T 21010 and 2023 guide digits, GB 50137 letters
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")

EFFICIENCY_TEMPLATES: dict[str, str] = {
    # the criteria
    "far_low": QT_TRANSLATE_NOOP("reasons", "FAR {far} below {min_far} for {code}"),
    "coverage_low": QT_TRANSLATE_NOOP("reasons", "coverage {coverage}% below {min_coverage}%"),
    "tax_low": QT_TRANSLATE_NOOP("reasons", "tax per mu {tax} 万元 is {share}% of {average} (floor {floor}%)"),
    "district_average": QT_TRANSLATE_NOOP("reasons", "district average"),
    "layer_average": QT_TRANSLATE_NOOP("reasons", "layer average"),
    "grade_low": QT_TRANSLATE_NOOP("reasons", "grade {grade} (score {score})"),
    "idle": QT_TRANSLATE_NOOP("reasons", "idle land"),
    "default_code": QT_TRANSLATE_NOOP("reasons", "other industrial land"),
    # the score
    "indicators_missing": QT_TRANSLATE_NOOP(
        "reasons", "score without {indicators} (not available), remaining weights renormalised"),
    "no_indicators": QT_TRANSLATE_NOOP("reasons", "no economic indicator available: no score or grade"),
    "indicator_tax_per_mu": QT_TRANSLATE_NOOP("reasons", "tax per mu"),
    "indicator_output_per_mu": QT_TRANSLATE_NOOP("reasons", "output per mu"),
    "indicator_output_per_energy": QT_TRANSLATE_NOOP("reasons", "output per energy"),
    "indicator_output_per_employee": QT_TRANSLATE_NOOP("reasons", "output per employee"),
    "indicator_rd_ratio": QT_TRANSLATE_NOOP("reasons", "R&D ratio"),
    # intensity
    "no_far": QT_TRANSLATE_NOOP("reasons", "no FAR: no buildings layer and no far or building_area value"),
    "far_implausible": QT_TRANSLATE_NOOP("reasons", "FAR {far} is implausible (above {limit}): data error, not used"),
    "coverage_implausible": QT_TRANSLATE_NOOP("reasons", "coverage {coverage}% is above 100%: data error, not used"),
    "no_buildings": QT_TRANSLATE_NOOP("reasons", "no building of the buildings layer on the parcel"),
    "storeys_from_height": QT_TRANSLATE_NOOP(
        "reasons", "{count} building(s) without storeys: estimated from height at {storey} m per storey"),
    "one_storey": QT_TRANSLATE_NOOP("reasons", "{count} building(s) without storeys or height: counted as 1 storey"),
    # data errors
    "land_use_missing": QT_TRANSLATE_NOOP("reasons", "land use missing: default thresholds used"),
    "land_use_unknown": QT_TRANSLATE_NOOP(
        "reasons", "land use {value} is not a code of GB/T 21010, the 2023 guide or GB 50137: not judged"),
    "no_area": QT_TRANSLATE_NOOP("reasons", "parcel area is zero or missing"),
    "geometry_empty": QT_TRANSLATE_NOOP("reasons", "parcel geometry is empty or not a polygon"),
    "geometry_repaired": QT_TRANSLATE_NOOP("reasons", "parcel geometry was invalid and has been repaired"),
    "not_a_number": QT_TRANSLATE_NOOP("reasons", "{field} is not a number: {value}"),
    "negative": QT_TRANSLATE_NOOP("reasons", "{field} is negative: {value}"),
    "not_yes_no": QT_TRANSLATE_NOOP("reasons", "{field} is not a yes/no value: {value}"),
    # punctuation: between the reasons of a parcel, and between the names in {indicators}
    "separator": SEPARATOR,
    "list_separator": LIST_SEPARATOR,
}


def _table(values: dict):
    """A dataclass field defaulting to a fresh copy of the given table."""
    return field(default_factory=lambda: dict(values))


@dataclass(frozen=True)
class EfficiencyRules:
    """The profile section `efficiency`; the module docstring says how each value is used.

    Defaults are the bundled default profile's values (a unit test keeps them in step).
    """

    min_far: dict[str, float] = _table({
        "default": 1.0, "0601": 1.0, "0602": 0.5, "0604": 0.8, "1001": 1.0, "100101": 1.0, "100102": 1.0,
        "100103": 0.8, "1101": 0.8, "M1": 1.0, "M2": 1.0, "M3": 0.8, "W": 0.8})
    target_far: dict[str, float] = _table({
        "default": 2.0, "0601": 2.5, "1001": 2.5, "100101": 2.5, "100102": 2.0, "100103": 1.5, "0604": 2.0,
        "1101": 2.0, "M1": 2.5, "M2": 2.0, "M3": 1.5, "W": 2.0})
    min_coverage: float = 0.30
    tax_ratio_floor: float = 0.5
    weights: dict[str, float] = _table({"tax_per_mu": 30, "output_per_mu": 20, "output_per_energy": 20,
                                        "output_per_employee": 10, "rd_ratio": 10})
    grade_bounds: dict[str, float] = _table({"A": 80, "B": 60, "C": 40})
    low_grade: str = "D"
    storey_height_m: float = 4.5
    cluster_min_shared_edge_m: float = 5.0
    modes: dict[str, str] = _table({"idle": "政府收储", "cluster": "并宗再开发", "single": "自主再开发"})

    def grades(self) -> tuple[str, ...]:
        """All grades, best first: the `grade_bounds` keys by descending bound, then `BOTTOM_GRADE`."""
        ordered = sorted(self.grade_bounds, key=lambda g: -self.grade_bounds[g])
        return (*ordered, BOTTOM_GRADE)

    def validate(self):
        """Yield (key, message) for every value the analysis cannot work with."""
        for name in ("min_far", "target_far"):
            table = getattr(self, name)
            if DEFAULT_KEY not in table:
                yield name, f"needs a '{DEFAULT_KEY}' entry for land-use codes without their own"
            for code, value in table.items():
                if value < 0:
                    yield f"{name}.{code}", "must not be negative"
        if not 0 <= self.min_coverage <= 1:
            yield "min_coverage", "must be a share between 0 and 1 (0.30 for 30 %)"
        if self.tax_ratio_floor < 0:
            yield "tax_ratio_floor", "must not be negative"
        yield from self._validate_weights()
        yield from self._validate_grades()
        if self.storey_height_m <= 0:
            yield "storey_height_m", "must be positive"
        if self.cluster_min_shared_edge_m < 0:
            yield "cluster_min_shared_edge_m", "must not be negative"
        for key in MODE_KEYS:
            if key not in self.modes:
                yield "modes", f"needs an entry '{key}'"

    def _validate_weights(self):
        for name, weight in self.weights.items():
            if name not in INDICATORS:
                yield f"weights.{name}", f"unknown indicator; known: {', '.join(INDICATORS)}"
            elif weight < 0:
                yield f"weights.{name}", "must not be negative"
        if sum(w for name, w in self.weights.items() if name in INDICATORS and w > 0) <= 0:
            yield "weights", "at least one indicator needs a positive weight"

    def _validate_grades(self):
        bounds = list(self.grade_bounds.values())
        if any(b <= a for a, b in zip(bounds[1:], bounds)) or any(not 0 <= b <= 100 for b in bounds):
            yield "grade_bounds", "bounds must lie in 0…100 and descend strictly (A > B > C)"
        if BOTTOM_GRADE in self.grade_bounds:
            yield "grade_bounds", f"'{BOTTOM_GRADE}' is the grade below the lowest bound and takes no bound"
        if self.low_grade not in self.grades():
            yield "low_grade", f"must be one of {', '.join(self.grades())}"


DEFAULT_RULES = EfficiencyRules()


@dataclass(frozen=True, eq=False)
class EfficiencyReport:
    """Layer-level facts of one run, attached to the result as `result.attrs["report"]`.

    Parcels are named by the labels of the input frame's index, buildings by their position in the buildings
    array. `grades` lists every grade, best first, so summaries show empty grades too.
    """

    parcels_repaired: np.ndarray
    parcels_empty: np.ndarray
    buildings_repaired: np.ndarray
    buildings_empty: np.ndarray
    buildings_storeys_from_height: int
    buildings_one_storey: int
    buildings_outside_parcels: int
    grades: tuple[str, ...]

    def __deepcopy__(self, memo):
        # pandas deep-copies attrs on many operations; the report is immutable, so sharing it is safe and free.
        return self


class _Fixed(NamedTuple):
    """A number column to be shown with a fixed number of decimals in a reason."""

    values: pd.Series
    decimals: int


class _Reasons:
    """Reason parts for the rows a mask selects; values are cut to those rows before they are formatted."""

    def __init__(self, rows: pd.Index, templates: dict[str, str]):
        self.rows, self.templates, self.parts = rows, templates, []

    def add(self, mask, key: str, **values) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.parts.append(fill(self.templates[key], self.rows[mask], **{
                name: _subset(value, mask) for name, value in values.items()}))


def _subset(value, mask: np.ndarray):
    if isinstance(value, _Fixed):
        kept = value.values[mask]
        return pd.Series(np.char.mod(f"%.{value.decimals}f", kept.to_numpy(dtype=float)), index=kept.index)
    if isinstance(value, pd.Series):
        return value[mask]
    return value


class BuildingIntensity(NamedTuple):
    """What the buildings overlay gives per parcel (arrays aligned with the parcels) and for the report."""

    floor_area: np.ndarray  # Σ clipped footprint × storeys, m²
    footprint_area: np.ndarray  # Σ clipped footprint, m²
    from_height: np.ndarray  # buildings on the parcel whose storeys were estimated from their height
    one_storey: np.ndarray  # buildings on the parcel counted as one storey (neither storeys nor height)
    report: dict  # the EfficiencyReport fields buildings_*


class Spatial(Protocol):
    """Where `evaluate` has its geometry work done, by parcel position (row of `parcels`): `LocalSpatial` in
    memory with shapely, or the in-database engine (land_bureau_plugin.postgis) in SQL next to the data. Both
    follow the rules of the module docstring and of analysis.overlay, so both give the same results."""

    has_buildings: bool

    def parcel_areas(self) -> tuple[np.ndarray, GeometryReport]:
        """Planar area per parcel (0 where unusable) and what cleaning the geometries did."""

    def building_intensity(self, storey_height_m: float) -> BuildingIntensity:
        """Floor area and footprint of the buildings clipped to each parcel (storeys as `building_storeys`)."""

    def shared_edges(self, positions: np.ndarray, min_length: float) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i, j), i < j, of indexes into `positions` whose parcels share ≥ `min_length` of boundary."""


class LocalSpatial:
    """`Spatial` in memory: shapely 2 on arrays (analysis.overlay) — the reference implementation."""

    def __init__(self, parcel_geoms, building_geoms=None, building_floors=None, building_heights=None):
        self.geoms, self.report = make_polygonal(parcel_geoms)
        self.buildings, self.floors, self.heights = building_geoms, building_floors, building_heights
        self.has_buildings = building_geoms is not None
        self.progress = None  # progress(share of the current phase) between rounds of the overlay (see evaluate)

    def parcel_areas(self) -> tuple[np.ndarray, GeometryReport]:
        return shapely.area(self.geoms), self.report

    def building_intensity(self, storey_height_m: float) -> BuildingIntensity:
        count = len(self.buildings)
        storeys, from_height, assumed = building_storeys(self.floors, self.heights, storey_height_m, count)
        overlay = floor_area_per_parcel(self.geoms, self.buildings, storeys, self.progress)
        n = len(self.geoms)

        def per_parcel(flag: np.ndarray) -> np.ndarray:
            return np.bincount(overlay.pair_parcel, weights=flag[overlay.pair_building], minlength=n).astype("int64")

        placed = np.zeros(count, dtype=bool)
        placed[overlay.pair_building] = True
        placed[overlay.buildings.empty] = True  # empty ones are reported as such, not as outside
        report = _building_report(overlay.buildings, int(from_height.sum()), int(assumed.sum()),
                                  int((~placed).sum()))
        return BuildingIntensity(overlay.floor_area, overlay.footprint_area, per_parcel(from_height),
                                 per_parcel(assumed), report)

    def shared_edges(self, positions: np.ndarray, min_length: float) -> tuple[np.ndarray, np.ndarray]:
        first, second, _ = shared_edges(self.geoms[positions], min_length, self.progress)
        return first, second


def evaluate(parcels: pd.DataFrame, parcel_geoms: np.ndarray | None = None, building_geoms: np.ndarray | None = None,
             building_floors: pd.Series | None = None, building_heights: pd.Series | None = None,
             rules: EfficiencyRules = DEFAULT_RULES, templates: dict[str, str] = EFFICIENCY_TEMPLATES,
             field_labels: dict[str, str] | None = None, spatial: Spatial | None = None, progress=None) -> pd.DataFrame:
    """Judge every parcel (see the module docstring for the rules).

    `parcels` holds canonical columns (parcel_id, land_use, area_m2, far, building_area, coverage, tax, output,
    energy, employees, rd_spend, idle, district; any may be missing, numbers may be text). `parcel_geoms` are
    shapely polygons aligned with the rows, `building_geoms` with `building_floors` / `building_heights` (by
    position). `templates` are the reason sentences (pass translated copies); `field_labels` names the fields in
    reasons as the user's layer does. Returns `OUTPUT_COLUMNS` on `parcels.index`, `area_mu` being the land area
    used, and an `EfficiencyReport` in `result.attrs["report"]`.

    `spatial` does the geometry work instead of shapely on `parcel_geoms` / `building_geoms` (see `Spatial`): the
    in-database engine passes one that runs it in SQL next to the data.

    `progress(fraction)`, when given, is called between the phases (0 < fraction ≤ 1); it may raise to abort the
    run, which is how a caller that cannot interrupt this function otherwise (a cancel button) stops it.
    """
    step = progress or (lambda _fraction: None)
    rows = pd.RangeIndex(len(parcels))
    table = parcels.reset_index(drop=True)
    findings, notes = _Reasons(rows, templates), _Reasons(rows, templates)
    labels = field_labels or {}

    numbers = _read_numbers(table, notes, labels)
    idle = _read_idle(table, notes, labels)
    land = _land_use(table, rules, notes)
    step(0.05)
    if spatial is None and parcel_geoms is not None:
        spatial = LocalSpatial(parcel_geoms, building_geoms, building_floors, building_heights)
    elif spatial is None and building_geoms is not None:
        raise ValueError("buildings need parcel geometries to be clipped to")
    area, geometry = _parcel_area(spatial, numbers["area_m2"], notes)
    step(0.15)
    _phase(spatial, step, 0.15, 0.6)
    intensity = _intensity(numbers, area, spatial, rules, notes)
    step(0.6)
    numbers["mu"] = m2_to_mu(area)
    district = _district(table)
    values = {name: _ratio(numbers[num], numbers[den]) for name, (num, den) in INDICATORS.items()}
    averages = {name: _reference_average(numbers[num], numbers[den], land.in_scope, district)
                for name, (num, den) in INDICATORS.items()}
    score = _score(values, averages, land.in_scope, rules, notes)
    grade = _grade(score, rules)
    step(0.7)

    flags = _criteria(land, intensity, values["tax_per_mu"], averages["tax_per_mu"], district, grade, score, idle,
                      rules, findings)
    low_eff = pd.concat(flags, axis=1).any(axis=1) & land.in_scope
    step(0.75)
    _phase(spatial, step, 0.75, 0.9)
    cluster_id = _clusters(spatial, low_eff, area, rules)
    step(0.9)

    out = pd.DataFrame(index=rows)
    out["far"] = intensity.far
    out["coverage"] = intensity.coverage
    out["tax_per_mu"] = values["tax_per_mu"]
    out["output_per_mu"] = values["output_per_mu"]
    out["score"] = score
    out["grade"] = grade
    out["low_eff"] = low_eff.astype("int64")
    out["reasons"] = join_reasons(findings.parts + notes.parts, rows, templates["separator"])
    out["potential_m2"] = _potential(area, intensity.usable_far, land)
    out["cluster_id"] = cluster_id
    out["mode"] = _mode(low_eff, idle, cluster_id, rules)
    out["area_mu"] = numbers["mu"]
    out.index = parcels.index
    out.attrs["report"] = EfficiencyReport(
        parcels_repaired=parcels.index[geometry.repaired].to_numpy(),
        parcels_empty=parcels.index[geometry.empty].to_numpy(),
        grades=rules.grades(), **intensity.building_report)
    return out


def _phase(spatial, step, start: float, end: float) -> None:
    """Let a long geometry phase report its progress (and so a cancel take effect) from inside, where the engine
    supports it (`LocalSpatial.progress`)."""
    if hasattr(spatial, "progress"):
        spatial.progress = lambda share: step(start + (end - start) * share)


# --- reading the columns ----------------------------------------------------------------------------------------

def _column(table: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-missing one when the layer has no such field."""
    return table[name] if name in table else pd.Series(None, index=table.index, dtype=object)


def to_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read numbers the way spreadsheets hold them ("12.5", "1,234", full-width digits, real numbers).

    Returns (values, junk): values as float (NaN where missing or unreadable); junk is True where something was
    there but is not a finite number, so the caller can name it instead of treating it as missing. Plain numbers
    and numeric text take pandas' fast path; only what that cannot read is cleaned and tried again.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
    else:
        raw = raw.astype(object)
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        retry = values.isna() & raw.notna()
        if retry.any():
            text = raw[retry].astype(str).str.strip().str.replace(",", "", regex=False).str.translate(_FULLWIDTH)
            values[retry] = pd.to_numeric(text, errors="coerce")
    junk = ((values.isna() | np.isinf(values)) & raw.notna()).to_numpy()
    unread = np.flatnonzero(junk)
    junk[unread] = raw.iloc[unread].astype(str).str.strip().to_numpy() != ""  # blank text is missing, not junk
    junk = pd.Series(junk, index=raw.index)
    return values.where(~junk), junk


def _read_numbers(table: pd.DataFrame, notes: _Reasons, labels: dict[str, str]) -> dict[str, pd.Series]:
    """Every numeric field as float; unreadable and negative values become NaN with a reason."""
    numbers = {}
    for name in NUMBER_FIELDS:
        raw = _column(table, name)
        values, junk = to_number(raw)
        negative = values < 0
        notes.add(junk, "not_a_number", field=labels.get(name, name), value=raw)
        notes.add(negative, "negative", field=labels.get(name, name), value=raw)
        numbers[name] = values.where(~negative)
    return numbers


def _read_idle(table: pd.DataFrame, notes: _Reasons, labels: dict[str, str]) -> pd.Series:
    """The idle flag: 1/0, 是/否, yes/no, true/false (any case); anything else is reported and read as not idle."""
    raw = _column(table, "idle")
    flag = per_value(raw, _yes_no)
    notes.add(raw.notna() & flag.isna(), "not_yes_no", field=labels.get("idle", "idle"), value=raw)
    return flag.eq(True)


def _yes_no(value) -> bool | None:
    text = str(value).strip().lower()
    text = text[:-2] if text.endswith(".0") else text
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS or text == "":
        return False
    return None


def _district(table: pd.DataFrame) -> pd.Series | None:
    """District names as trimmed text (missing where blank), or None without a district column."""
    if "district" not in table:
        return None
    return per_value(table["district"], lambda value: str(value).strip() or None)


def per_value(values: pd.Series, func) -> pd.Series:
    """`func` applied once per distinct non-missing value and mapped back; missing values stay missing.

    Codes, flags and district names repeat a lot, so this costs a handful of Python calls, not one per row.
    """
    present = values.notna()
    results = {value: func(value) for value in pd.unique(values[present])}
    return values.where(present).map(results).astype(object)


# --- land use ---------------------------------------------------------------------------------------------------

class _LandUse(NamedTuple):
    """Per parcel: whether low efficiency applies, and the thresholds found for its land-use code."""

    key: pd.Series  # the min_far table key that matched, DEFAULT_KEY when none did
    in_scope: pd.Series
    min_far: pd.Series
    target_far: pd.Series


def normalise_codes(raw: pd.Series) -> pd.Series:
    """Land-use codes as comparable text: trimmed, upper case, "601.0" → "0601"; missing where blank."""
    return per_value(raw, normalise_code)


def normalise_code(value) -> str | None:
    """Spreadsheets store "0601" as the number 601 and lose the leading zero; every numeric family (GB/T 21010,
    the 2023 guide) has codes of even length, so an odd-length all-digit code gets its zero back."""
    text = str(value).strip().upper()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if text.isdigit() and len(text) % 2 == 1:
        text = "0" + text
    return text or None


def lookup_by_code(codes: pd.Series, table: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """(value, key) per normalised code from a table keyed by land-use code prefixes: the longest key the code
    starts with wins ("100101" → "1001" when "100101" is absent), else `default` (value NaN when there is none)."""
    keys = sorted((k for k in table if k != DEFAULT_KEY), key=len, reverse=True)

    def longest_prefix(code: str) -> str:
        return next((key for key in keys if code.startswith(key.strip().upper())), DEFAULT_KEY)

    matched = per_value(codes, longest_prefix)
    matched = matched.where(matched.notna(), DEFAULT_KEY)
    return matched.map(table).astype(float), matched


def industrial_families(table: dict[str, float]) -> tuple[str, ...]:
    """Code families the table's keys belong to: the first two digits of numeric codes ("0601" → "06"), the
    letter of GB 50137 codes ("M1" → "M")."""
    families = {key[:2] if key[:1].isdigit() else key[:1] for key in table if key != DEFAULT_KEY}
    return tuple(sorted(f.upper() for f in families))


def _land_use(table: pd.DataFrame, rules: EfficiencyRules, notes: _Reasons) -> _LandUse:
    """Scope and thresholds per parcel. A value that is no code at all ("工业用地") is reported rather than
    quietly read as non-industrial; a missing one is judged by the defaults."""
    raw = _column(table, "land_use")
    code = normalise_codes(raw)
    unknown = code.isna()
    families = industrial_families(rules.min_far)
    in_scope = unknown | per_value(code, lambda c: c.startswith(families)).eq(True)
    notes.add(unknown, "land_use_missing")
    notes.add(per_value(code, lambda c: _CODE.fullmatch(c) is None).eq(True), "land_use_unknown", value=raw)
    min_far, key = lookup_by_code(code, rules.min_far)
    target_far, _ = lookup_by_code(code, rules.target_far)
    return _LandUse(key, in_scope, min_far, target_far)


# --- areas and intensity ----------------------------------------------------------------------------------------

# A degenerate parcel (collinear vertices) measured after reprojection from lon/lat keeps a rounding-error area of
# ~1e-8 m², not 0: anything this small is "no usable area", or it would get FAR 0 and a silent low-efficiency flag.
MIN_PARCEL_AREA_M2 = 1e-3


def _parcel_area(spatial: Spatial | None, area_m2: pd.Series, notes: _Reasons):
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


class _Intensity(NamedTuple):
    """FAR and coverage per parcel, and what the buildings overlay has to report."""

    far: pd.Series  # as found (data errors included, so they can be seen)
    coverage: pd.Series
    usable_far: pd.Series  # NaN where missing or implausible
    usable_coverage: pd.Series
    building_report: dict


def _intensity(numbers, area, spatial: Spatial | None, rules, notes: _Reasons) -> _Intensity:
    """FAR and coverage from the buildings when given, else from the parcel's own fields; implausible values
    are reported and kept out of every criterion."""
    if spatial is not None and spatial.has_buildings:
        far, coverage, building_report = _intensity_from_buildings(spatial, area, rules, notes)
    else:
        far, coverage = _intensity_from_fields(numbers, area, notes)
        building_report = _building_report(None, 0, 0, 0)
    implausible_far = far > MAX_PLAUSIBLE_FAR
    implausible_coverage = coverage > 1.0 + 1e-9
    notes.add(implausible_far, "far_implausible", far=_Fixed(far, 2), limit=f"{MAX_PLAUSIBLE_FAR:g}")
    notes.add(implausible_coverage, "coverage_implausible", coverage=_Fixed(coverage * 100, 0))
    return _Intensity(far, coverage, far.where(~implausible_far), coverage.where(~implausible_coverage),
                     building_report)


def _intensity_from_fields(numbers, area, notes: _Reasons) -> tuple[pd.Series, pd.Series]:
    far = numbers["far"].where(numbers["far"].notna(), numbers["building_area"] / area)
    notes.add(far.isna() & numbers["building_area"].isna(), "no_far")
    coverage = numbers["coverage"]
    if (coverage > 1).any():  # a column of percentages (35 for 35 %), not shares
        coverage = coverage / 100.0
    return far, coverage


def _intensity_from_buildings(spatial: Spatial, area, rules, notes: _Reasons):
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


def _building_report(geometry_report, from_height: int, one_storey: int, outside: int) -> dict:
    none = np.empty(0, dtype=np.intp)
    return {"buildings_repaired": none if geometry_report is None else geometry_report.repaired,
            "buildings_empty": none if geometry_report is None else geometry_report.empty,
            "buildings_storeys_from_height": from_height, "buildings_one_storey": one_storey,
            "buildings_outside_parcels": outside}


def building_storeys(floors, heights, storey_height_m: float, count: int):
    """(storeys, from_height, assumed) per building.

    Storeys are the `floors` value when positive; else max(1, round(height / storey_height_m)) when the height is
    positive (rounded half up, as people count storeys); else 1. `from_height` and `assumed` mark the estimates so
    they can be reported. `floors`/`heights` may be None, numbers or text, aligned by position.
    """
    floors, heights = _positional(floors, count), _positional(heights, count)
    has_floors = floors > 0
    from_height = ~has_floors & (heights > 0)
    with np.errstate(invalid="ignore"):
        estimate = np.maximum(1.0, np.floor(heights / storey_height_m + 0.5))
    storeys = np.where(has_floors, floors, np.where(from_height, estimate, 1.0))
    return storeys, from_height, ~has_floors & ~from_height


def _positional(values, count: int) -> np.ndarray:
    if values is None:
        return np.full(count, np.nan)
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if len(series) != count:
        raise ValueError(f"{len(series)} values for {count} buildings")
    return to_number(series.reset_index(drop=True))[0].to_numpy(dtype=float)


# --- indicators and score ---------------------------------------------------------------------------------------

def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator where both are known and the denominator is positive, else NaN."""
    return (numerator / denominator.where(denominator > 0)).where(numerator.notna())


def _reference_average(numerator: pd.Series, denominator: pd.Series, in_scope: pd.Series,
                       district: pd.Series | None) -> pd.Series:
    """Σ numerator / Σ denominator over the in-scope parcels of each row's district (the layer's when the row
    has no district, or there is no district column), for every row; NaN where that sum is not positive."""
    use = in_scope & numerator.notna() & (denominator > 0)
    top, bottom = numerator.where(use, 0.0), denominator.where(use, 0.0)
    layer = top.sum() / bottom.sum() if bottom.sum() > 0 else np.nan
    if district is None:
        return pd.Series(layer, index=numerator.index)
    sums = pd.DataFrame({"top": top, "bottom": bottom}).groupby(district.fillna("")).transform("sum")
    average = sums["top"] / sums["bottom"].where(sums["bottom"] > 0)
    return average.where(district.notna(), layer)


def _score(values: dict[str, pd.Series], averages: dict[str, pd.Series], in_scope: pd.Series,
           rules: EfficiencyRules, notes: _Reasons) -> pd.Series:
    """The weighted, capped ratio to the reference average × 50 (module docstring), rounded to 0.1."""
    weights = {name: w for name, w in rules.weights.items() if name in INDICATORS and w > 0}
    rows = in_scope.index
    weighted, weight_sum = pd.Series(0.0, index=rows), pd.Series(0.0, index=rows)
    missing = {}
    for name, weight in weights.items():
        ratio = (values[name] / averages[name].where(averages[name] > 0)).clip(0, SCORE_RATIO_CAP)
        available = ratio.notna() & in_scope
        weighted += weight * ratio.where(available, 0.0)
        weight_sum += weight * available
        missing[name] = ~available & in_scope
    score = (SCORE_OF_AVERAGE * weighted / weight_sum.where(weight_sum > 0)).round(1)
    scored = score.notna()
    notes.add(in_scope & ~scored, "no_indicators")
    lacking = _label_list(missing, rows, notes.templates)
    notes.add(scored & (lacking != ""), "indicators_missing", indicators=lacking)
    return score


def _label_list(masks: dict[str, pd.Series], rows: pd.Index, templates: dict[str, str]) -> pd.Series:
    """Per row, the translated names of the indicators whose mask is True, joined by the (translated) commas."""
    out = pd.Series("", index=rows, dtype=object)
    comma = templates["list_separator"]
    for name, mask in masks.items():
        out = out + np.where(mask & (out != ""), comma, "") + np.where(mask, templates[f"indicator_{name}"], "")
    return out


def _grade(score: pd.Series, rules: EfficiencyRules) -> pd.Series:
    grades = rules.grades()
    conditions = [score >= rules.grade_bounds[g] for g in grades[:-1]]
    grade = pd.Series(np.select(conditions, grades[:-1], default=grades[-1]), index=score.index, dtype=object)
    return grade.where(score.notna(), None)


# --- the low-efficiency criteria --------------------------------------------------------------------------------

def _criteria(land: _LandUse, intensity: _Intensity, tax_per_mu: pd.Series, tax_average: pd.Series, district,
              grade: pd.Series, score: pd.Series, idle: pd.Series, rules: EfficiencyRules,
              findings: _Reasons) -> list[pd.Series]:
    """Each criterion as a mask over the in-scope parcels, with its reason (value and threshold)."""
    scope = land.in_scope
    templates = findings.templates
    far, coverage = intensity.usable_far, intensity.usable_coverage
    far_low = scope & (far < land.min_far)
    code = land.key.where(land.key != DEFAULT_KEY, templates["default_code"])
    findings.add(far_low, "far_low", far=_Fixed(far, 2), min_far=_Fixed(land.min_far, 2), code=code)

    coverage_low = scope & (coverage < rules.min_coverage)
    findings.add(coverage_low, "coverage_low", coverage=_Fixed(coverage * 100, 0),
                 min_coverage=f"{rules.min_coverage * 100:.0f}")

    share = tax_per_mu / tax_average.where(tax_average > 0)
    tax_low = scope & (share < rules.tax_ratio_floor)
    average = templates["layer_average"] if district is None else pd.Series(
        np.where(district.notna(), templates["district_average"], templates["layer_average"]), index=scope.index)
    findings.add(tax_low, "tax_low", tax=_Fixed(tax_per_mu, 1), share=_Fixed(share * 100, 0), average=average,
                 floor=f"{rules.tax_ratio_floor * 100:.0f}")

    grade_low = scope & (grade == rules.low_grade)
    findings.add(grade_low, "grade_low", grade=grade, score=_Fixed(score, 1))
    idle_low = scope & idle
    findings.add(idle_low, "idle")
    return [far_low, coverage_low, tax_low, grade_low, idle_low]


def _potential(area: pd.Series, far: pd.Series, land: _LandUse) -> pd.Series:
    """area × (target FAR − FAR), at least 0, in whole m², for in-scope parcels with a usable FAR."""
    gain = (area * (land.target_far - far)).clip(lower=0).round(0)
    return gain.where(land.in_scope)


# --- clusters and modes -----------------------------------------------------------------------------------------

def _clusters(spatial: Spatial | None, low_eff: pd.Series, area: pd.Series, rules: EfficiencyRules) -> pd.Series:
    """cluster_id 1..k for groups of ≥ 2 low-efficiency parcels linked by shared edges, largest total area
    first (ties: the group holding the earliest row); 0 for everything else."""
    cluster_id = np.zeros(len(low_eff), dtype="int64")
    flagged = np.flatnonzero(low_eff.to_numpy())
    if spatial is not None and len(flagged) > 1:
        first, second = spatial.shared_edges(flagged, rules.cluster_min_shared_edge_m)
        component = connected_components(len(flagged), first, second)
        size = np.bincount(component, minlength=len(flagged))
        total = np.bincount(component, weights=np.nan_to_num(area.to_numpy()[flagged]), minlength=len(flagged))
        roots = np.flatnonzero(size >= 2)  # a component is labelled by its earliest member, so roots sort by row
        ranked = roots[np.argsort(-total[roots], kind="stable")]
        number = np.zeros(len(flagged), dtype="int64")
        number[ranked] = np.arange(1, len(ranked) + 1)
        cluster_id[flagged] = number[component]
    return pd.Series(cluster_id, index=low_eff.index)


def _mode(low_eff: pd.Series, idle: pd.Series, cluster_id: pd.Series, rules: EfficiencyRules) -> pd.Series:
    modes = rules.modes
    mode = np.select([low_eff & idle, low_eff & (cluster_id > 0), low_eff],
                     [modes["idle"], modes["cluster"], modes["single"]], default="")
    return pd.Series(mode, index=low_eff.index, dtype=object)


# --- cluster outlines ---------------------------------------------------------------------------------------------

def cluster_outlines(result: pd.DataFrame, parcel_geoms) -> tuple[pd.DataFrame, np.ndarray]:
    """One dissolved outline per merge cluster (并宗再开发 candidate), so a map can draw the group as one shape.

    `parcel_geoms` are the geometries `evaluate` was given (same rows, any CRS; repaired again here). Returns a
    frame (cluster_id, parcels, area_mu, potential_m2), ordered by cluster_id, and the outlines aligned with it.
    One union per cluster: clusters are few and small next to the parcels.
    """
    ids = result["cluster_id"].to_numpy()
    rows = np.flatnonzero(ids > 0)
    frame = (result.iloc[rows].groupby("cluster_id", sort=True)
             .agg(parcels=("low_eff", "size"), area_mu=("area_mu", "sum"), potential_m2=("potential_m2", "sum"))
             .reset_index())
    if not len(rows):
        return frame, np.empty(0, dtype=object)
    geoms, _ = make_polygonal(np.asarray(parcel_geoms, dtype=object)[rows])
    order = np.argsort(ids[rows], kind="stable")
    starts = np.flatnonzero(np.diff(ids[rows][order])) + 1
    groups = np.split(geoms[order], starts)
    outlines = np.empty(len(groups), dtype=object)
    outlines[:] = [shapely.union_all(group) for group in groups]
    return frame, outlines


# --- summary ----------------------------------------------------------------------------------------------------

def summarise(result: pd.DataFrame, parcels: pd.DataFrame | None = None) -> dict:
    """Figures for the report: parcels and 亩 per grade (all grades, zero included, "none" = not graded), low
    efficiency, potential in 万m² (of all in-scope parcels and of the flagged ones), clusters, modes, the run's
    building counts, and — when `parcels` has a district column — low efficiency per district."""
    mu = result["area_mu"].fillna(0.0)
    low = result["low_eff"] == 1
    report = result.attrs.get("report")
    grades = report.grades if report is not None else tuple(sorted(result["grade"].dropna().unique()))

    def tally(mask) -> dict:
        return {"parcels": int(mask.sum()), "mu": float(mu[mask].sum())}

    summary = {
        "parcels": int(len(result)),
        "mu": float(mu.sum()),
        "per_grade": {g: tally(result["grade"] == g) for g in grades},
        "low_eff": tally(low),
        "potential_wan_m2": float(m2_to_wan_m2(result["potential_m2"].sum())),
        "low_eff_potential_wan_m2": float(m2_to_wan_m2(result["potential_m2"][low].sum())),
        "clusters": {"count": int(result["cluster_id"].max()) if len(result) else 0,
                     **tally(result["cluster_id"] > 0)},
        "modes": {m: tally(result["mode"] == m) for m in result["mode"].unique() if m},
    }
    summary["per_grade"]["none"] = tally(result["grade"].isna())
    if report is not None:
        summary["buildings"] = {
            "storeys_from_height": report.buildings_storeys_from_height,
            "one_storey": report.buildings_one_storey,
            "outside_parcels": report.buildings_outside_parcels,
            "repaired": int(len(report.buildings_repaired)),
            "empty": int(len(report.buildings_empty)),
        }
        summary["parcel_geometries"] = {"repaired": int(len(report.parcels_repaired)),
                                        "empty": int(len(report.parcels_empty))}
    if parcels is not None and "district" in parcels:
        named = _district(parcels)
        district = pd.Series(named.where(named.notna(), "—").to_numpy(), index=result.index)
        summary["per_district"] = {
            name: {**tally(district == name), "low_eff": tally(low & (district == name))}
            for name in sorted(district.unique())}
    return summary


__all__ = ["DEFAULT_RULES", "EFFICIENCY_TEMPLATES", "INDICATORS", "OUTPUT_COLUMNS", "EfficiencyReport",
           "EfficiencyRules", "building_storeys", "cluster_outlines", "evaluate", "industrial_families",
           "lookup_by_code", "normalise_code", "normalise_codes", "per_value", "summarise", "to_number"]
