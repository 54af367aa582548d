"""Low-efficiency land (低效用地): land-use intensity, 亩均 performance, the low-efficiency flag with its reasons,
redevelopment potential, merge clusters and the proposed redevelopment mode, per parcel.

Scope. Low efficiency concerns industrial and warehouse land: the parcels whose land use is of one of the
profile's `scope_families` (default industrial, warehouse), read in the layer's code system (land_use_codes: GB/T
21010-2017 三调, the 2023 用地用海 guide or GB 50137-2011; detected from the values unless `land_use_system` names
it; a column that several systems read differently stops the run with LandUseSystemError rather than being
guessed). Codes, names (工业用地, 二类工业用地, 工業用地) and numbers that lost their leading zero (601) are read.
A blank land use, or a value the system does not know, is reported and not judged. Without a land-use column (or
with an empty one) nothing is judged: the run stops with LandUseSystemError naming the field and the fix — unless
`all_industrial` says every parcel is industrial land. Out-of-scope parcels still get their facts (far, coverage,
tax_per_mu, output_per_mu) but no score, grade, potential or mode, and low_eff 0.

Intensity. With a buildings layer, floor area and footprint are the buildings' footprints clipped to each parcel
(a building across two parcels counts in each by its clipped part) times their storeys; far = floor area / parcel
area, coverage = footprint / parcel area. Storeys: the `floors` value when positive, else
max(1, round(height / storey_height_m)) when a height is known, else 1 — each estimate is counted per parcel in
the reasons. A parcel with no building within `building_data_radius_m` lies outside the area the buildings layer
covers: no building data (FAR and coverage NaN, with the reason), not FAR 0. Without buildings, far comes from the
parcel's `far`, else `building_area` / area, and coverage from its `coverage`; a column in percent is recognised
(analysis.plausibility). A FAR or coverage above its profile limit (`limits`) is a data error: reported, left out
of the result columns, never used for a flag or a potential. Values are read by analysis.numbers (placeholders,
decimal commas, units); values above their limit are data errors too.

Areas. The geometry's planar area when parcel geometries are given (the caller transforms a geographic CRS
first), else `area_m2`. A parcel with no usable area gets no FAR from buildings, no coverage and no per-亩 values.

Score (亩均论英雄, after 浙政发〔2018〕5号). Indicators, each computed only where its inputs are valid numbers
and its denominator is positive:
  tax_per_mu = tax / 亩, output_per_mu = output / 亩, output_per_energy = output / energy,
  output_per_employee = output / employees, rd_ratio = rd_spend / output.
Each is divided by its *reference* (`reference`): the median — or the trimmed mean — of the in-scope parcels' own
values in the same `district`, robust so that one value typed in 元 instead of 万元 moves no other parcel's grade;
parcels without a district, or all parcels when there is no district column, use the layer-wide figure. A value
≥ unit_error_factor × its reference is a suspected unit error: reported and not used — neither in its own score
nor in the reference itself, which is taken over the other values (`reference_without_unit_errors`). Then
  score = 50 × Σ_k w_k · min(value_k / reference_k, 2) / Σ_k w_k,
summed over the indicators with a positive profile weight w_k that the parcel is graded on (its enterprise class:
规上 every indicator, 规下 ≥ 3 亩 亩均税收 only; parcels listed apart and 不定等级 are not scored — see
analysis.efficiency_grading) and has. A firm at the reference scores 50; reaching twice the reference on everything
scores 100. Indicators a parcel lacks are left out and the remaining weights renormalised (said in the reasons); a
parcel with none gets no score and no grade. The score is rounded to one decimal. The grade (efficiency_grading):
by rank within the class and district (`grading` "rank": A for the top 25 %, B to 70 %, C to 95 %, D the rest) or by
score bands (`grading` "score": A ≥ 80, B ≥ 60, C ≥ 40, else D); `ent_class`, `rank` and `rank_n` say where it
stands.

Low efficiency (in scope only), any of: FAR < min_far for its land use; coverage < min_coverage;
tax_per_mu < tax_ratio_floor × its reference; grade == low_grade; idle. Thresholds by land use come from
the table entry of the code in the layer's system (see `land_use_codes.lookup`). Every criterion met is a reason
with its value and threshold.

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

This module judges (scope, score, criteria, potential, clusters, modes) and is the package's entry point: the
steps it calls live in modules of their own — efficiency_rules (the profile section), efficiency_reading (raw
values), land_use_codes (code lookup), efficiency_spatial and efficiency_intensity (geometry, FAR, coverage),
efficiency_reasons (the sentences), efficiency_summary (report figures, cluster outlines) — and their public
names are re-exported here, so callers import from `analysis.efficiency` alone.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..rules.criteria import CITE, Criterion, cited
from . import efficiency_grading as grading
from .dates import as_of_day
from .efficiency_intensity import Intensity, measure_intensity, parcel_area, storey_rule
from .efficiency_reading import (
    column,
    district_names,
    duplicate_ids,
    per_value,
    read_idle,
    read_numbers,
    repeated_id_set,
)
from .efficiency_reasons import EFFICIENCY_TEMPLATES, Fixed, Reasons
from .efficiency_rules import DEFAULT_KEY, DEFAULT_RULES, INDICATORS, EfficiencyRules
from .efficiency_spatial import BuildingIntensity, LocalSpatial, Spatial, StoreyRule, building_storeys
from .efficiency_summary import cluster_outlines, summarise
from .land_use_codes import (
    INDUSTRIAL,
    Detection,
    LandUseSystemError,
    detect_system,
    family_lookup,
    lookup,
    lookup_by_code,
    normalise_code,
    normalise_codes,
    per_object,
    read_land_use,
)
from .messages import QT_TRANSLATE_NOOP, Message, join_reasons
from .numbers import read_field, to_number
from .overlay import connected_components
from .plausibility import AUTO, PERCENT, RATIO, percent_column
from .units import m2_to_mu

OUTPUT_COLUMNS = ("far", "coverage", "tax_per_mu", "output_per_mu", "score", "grade", "low_eff", "reasons",
                  "potential_m2", "cluster_id", "mode", "area_mu", "ent_class", "rank", "rank_n")

SCORE_RATIO_CAP = 2.0  # an indicator counts for at most twice the reference, so one outlier cannot carry the score
SCORE_OF_AVERAGE = 50.0  # the score of a parcel exactly at the reference on every indicator


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
    buildings_implausible: int = 0  # storeys or height above its limit: that value not used
    parcels_without_building_data: int = 0  # outside the area the buildings layer covers (no FAR, no coverage)
    duplicate_ids: tuple = ()  # parcel ids found on more than one row
    units: dict = dataclasses.field(default_factory=dict)  # how far / coverage fields were read (column_unit)
    percent_values: dict = dataclasses.field(default_factory=dict)  # field -> labels read in percent for their "%"
    unit_errors: dict = dataclasses.field(default_factory=dict)  # indicator -> labels of suspected unit errors
    land_use: Detection | None = None  # the code system the land use was read in; None when all_industrial
    all_industrial: bool = False

    def __deepcopy__(self, memo):
        # pandas deep-copies attrs on many operations; the report is immutable, so sharing it is safe and free.
        return self


@dataclass(frozen=True)
class WholeLayer:
    """What `evaluate` decides on whole columns of the layer, for a caller that judges part of it (the live check,
    analysis.efficiency_live): the land-use code system (None when every parcel is industrial by the user's word)
    and the parcel ids used on more than one row. The FAR and coverage units, also decided on the whole column,
    travel in the rules (`far_unit`, `coverage_unit`). Taken by `decide_whole`."""

    land_use: Detection | None
    duplicate_ids: frozenset


def decide_whole(parcels: pd.DataFrame, rules: EfficiencyRules,
                 field_labels: dict[str, str] | None = None) -> tuple[EfficiencyRules, WholeLayer]:
    """(rules with the FAR and coverage units decided, WholeLayer) as a batch run over all of `parcels` decides them
    — by the same readers (analysis.plausibility, land_use_codes, efficiency_reading): then `evaluate` on any set of
    whole districts with these gives those rows as the batch run gives them. Raises LandUseSystemError as `evaluate`
    would on the whole layer."""
    table = parcels.reset_index(drop=True)
    labels = field_labels or {}
    units = {}
    for name, unit, limit in (("far", rules.far_unit, rules.ratio_limit("far")),
                              ("coverage", rules.coverage_unit, 1.0)):  # as measure_intensity reads them
        if unit != AUTO or name not in table:
            continue
        reading = read_field(table[name], name)
        values = reading.values.where(~(reading.values < 0))
        percent = percent_column(values, reading.percent, limit, AUTO)
        units[f"{name}_unit"] = PERCENT if (percent & ~reading.percent).any() else RATIO
    rules = dataclasses.replace(rules, **units) if units else rules
    detection = None
    if not rules.all_industrial:
        _check_land_use_column(table, labels)
        try:
            detection = detect_system(normalise_codes(column(table, "land_use")), rules.land_use_system)
        except LandUseSystemError as error:
            error.field = error.field or labels.get("land_use", "land_use")
            raise
    return rules, WholeLayer(detection, repeated_id_set(table))


def positional(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` on positions 0…n-1, its columns shared, not copied: reset_index copied every column (~110 MB at a
    million parcels, held through the whole judgement beside the caller's frame). Nothing here writes into it."""
    table = frame.copy(deep=False)
    table.index = pd.RangeIndex(len(frame))
    return table


def evaluate(parcels: pd.DataFrame, parcel_geoms: np.ndarray | None = None, building_geoms: np.ndarray | None = None,
             building_floors: pd.Series | None = None, building_heights: pd.Series | None = None,
             rules: EfficiencyRules = DEFAULT_RULES, templates: dict[str, str] = EFFICIENCY_TEMPLATES,
             field_labels: dict[str, str] | None = None, spatial: Spatial | None = None, progress=None,
             as_of=None, whole: WholeLayer | None = None) -> pd.DataFrame:
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

    `as_of` (default today) is the day a new enterprise's years since production start are counted to.

    `whole`: the decisions taken on whole columns (`decide_whole`), when `parcels` is part of a layer — the live
    check judges the districts an edit touched with the decisions of the whole layer, so its rows equal a batch run's
    (with `rules` as `decide_whole` returned them: the FAR and coverage units decided too).
    """
    as_of = pd.Timestamp.today().normalize() if as_of is None else as_of_day(as_of)
    step = _forward(progress)
    rows = pd.RangeIndex(len(parcels))
    table = positional(parcels)
    # the criteria's reasons cite their documented sources (rules.criteria.cited)
    findings = Reasons(rows, cited(templates, rules.source_table(), templates.get("cite", CITE)))
    notes = Reasons(rows, templates)
    labels = field_labels or {}
    if spatial is None and parcel_geoms is not None:
        spatial = LocalSpatial(parcel_geoms, building_geoms, building_floors, building_heights)
    elif spatial is None and building_geoms is not None:
        raise ValueError("buildings need parcel geometries to be clipped to")
    _phase(spatial, step, 0.05, 0.6)
    beside = spatial is not None and len(rows) <= BESIDE_MAX_PARCELS
    overlay_beside = beside and spatial.has_buildings
    if overlay_beside:
        _begin(spatial, "building_intensity", storey_rule(rules))  # the overlay beside the attributes' judgement

    numbers, percent = read_numbers(table, notes, labels, rules.limits)
    duplicated = duplicate_ids(table, None if whole is None else whole.duplicate_ids)
    notes.add(duplicated, "duplicate_parcel_id", value=column(table, "parcel_id"))
    idle = read_idle(table, notes, labels)
    land = _land_use(table, rules, notes, labels, None if whole is None else whole)
    step(0.05)
    area, geometry = parcel_area(spatial, numbers["area_m2"], notes)
    step(0.15)
    intensity = None if overlay_beside else _intensity(numbers, percent, area, spatial, rules, notes)
    graded = Reasons(rows, templates)  # the grading's notes, put after the intensity's whenever that is measured
    numbers["mu"] = m2_to_mu(area)
    district = district_names(table)
    values = {name: _ratio(numbers[num], numbers[den]) for name, (num, den) in INDICATORS.items()}
    averages, unit_errors = {}, {}
    groups = DistrictGroups(district) if district is not None else None
    for name in INDICATORS:
        averages[name], unit_errors[name] = reference_without_unit_errors(values[name], land.in_scope, district,
                                                                           rules, groups)
    _report_unit_errors(values, averages, unit_errors, district, rules, graded)
    ent_class = grading.classify(table, numbers, land.in_scope, rules, as_of, graded, labels)
    score = _score(values, averages, grading.indicator_masks(ent_class, rules), rules, graded)
    grade, rank, rank_n = grading.grade(score, ent_class, district, rules, graded)
    if intensity is None:
        intensity = _intensity(numbers, percent, area, spatial, rules, notes)
    notes.parts += graded.parts
    step(0.7)

    flags, measures = _criteria(land, intensity, values["tax_per_mu"], averages["tax_per_mu"], grade, idle, rules)
    low_eff = pd.concat(flags.values(), axis=1).any(axis=1) & land.in_scope
    step(0.75)
    _phase(spatial, step, 0.75, 0.9)
    flagged = np.flatnonzero(low_eff.to_numpy())
    if beside and len(flagged) > 1:  # the clusters' shared edges beside the criteria's reasons
        _begin(spatial, "shared_edges", flagged, rules.cluster_min_shared_edge_m, rules.cluster_edge_tolerance_m)
    _criteria_reasons(flags, measures, land, values["tax_per_mu"], district, score, rules, findings)

    out = pd.DataFrame(index=rows)
    out["far"] = intensity.far
    out["coverage"] = intensity.coverage
    out["tax_per_mu"] = values["tax_per_mu"]
    out["output_per_mu"] = values["output_per_mu"]
    out["score"] = score
    out["grade"] = grade
    out["low_eff"] = low_eff.astype("int64")
    out["reasons"] = join_reasons(findings.parts + notes.parts, rows, templates["separator"])
    out["potential_m2"] = _potential(area, intensity.far, land)
    cluster_id = _clusters(spatial, low_eff, area, rules)
    step(0.9)
    out["cluster_id"] = cluster_id
    out["mode"] = _mode(low_eff, idle, cluster_id, rules)
    out["area_mu"] = numbers["mu"]
    out["ent_class"] = ent_class
    out["rank"] = grading.whole_numbers(rank)
    out["rank_n"] = grading.whole_numbers(rank_n)
    out.index = parcels.index
    out.attrs["report"] = EfficiencyReport(
        parcels_repaired=parcels.index[geometry.repaired].to_numpy(),
        parcels_empty=parcels.index[geometry.empty].to_numpy(),
        grades=rules.grades(), duplicate_ids=tuple(pd.unique(column(table, "parcel_id")[duplicated])),
        units=intensity.units, percent_values={name: parcels.index[mask.to_numpy()].to_numpy()
                                               for name, mask in intensity.percent_signs.items()},
        unit_errors={name: parcels.index[mask.to_numpy()].to_numpy()
                                            for name, mask in unit_errors.items() if mask.any()},
        land_use=land.detection, all_industrial=rules.all_industrial,
        **intensity.building_report)
    return out


# Up to this many parcels the geometry work runs beside the pandas work that does not need it yet (`_begin`): the
# buildings overlay beside the grading, the clusters' shared edges beside the criteria's reasons. Beyond, what
# each holds at its peak adds up: at a million parcels the overlay's ~0.45 GB and the grading's ~0.5 GB made
# 2.95 GB of the process at once where one after the other peaked at 2.4 GB, the shared edges beside the reasons
# 2.53 GB — for 2 s of 23. At 100,000 parcels: 0.1 s of 2.3 s, ~0.05 GB.
BESIDE_MAX_PARCELS = 250_000


def _begin(spatial, question: str, *args) -> None:
    """Have `spatial` begin answering `question(*args)` beside `evaluate` where it can (LocalSpatial.begin: the
    in-database engine and the live check's cached one answer when asked)."""
    begin = getattr(spatial, "begin", None)
    if begin is not None:
        begin(question, *args)


def _intensity(numbers, percent, area, spatial, rules, notes: Reasons) -> Intensity:
    """`measure_intensity`, then the buildings let go: a million buildings' geometries are not needed any more."""
    intensity = measure_intensity(numbers, percent, area, spatial, rules, notes)
    if hasattr(spatial, "release_buildings"):
        spatial.release_buildings()
    return intensity


def _forward(progress):
    """`progress(fraction)`, or nothing, that never goes back: the overlay reports its rounds from its own thread
    while `evaluate` goes on judging the attributes (`LocalSpatial.begin`), each at its own pace."""
    if progress is None:
        return lambda _fraction: None
    done = [0.0]

    def step(fraction: float) -> None:
        done[0] = max(done[0], fraction)
        progress(done[0])
    return step


def _phase(spatial, step, start: float, end: float) -> None:
    """Let a long geometry phase report its progress (and so a cancel take effect) from inside, where the engine
    supports it (`LocalSpatial.progress`)."""
    if hasattr(spatial, "progress"):
        spatial.progress = lambda share: step(start + (end - start) * share)


# --- land use ---------------------------------------------------------------------------------------------------

class _LandUse(NamedTuple):
    """Per parcel: whether low efficiency applies, and the thresholds found for its land use."""

    key: pd.Series  # the min_far table key that matched, DEFAULT_KEY when none did
    in_scope: pd.Series
    min_far: pd.Series
    target_far: pd.Series
    detection: Detection | None  # None when every parcel is industrial land by the user's word
    code: pd.Series | None = None  # the parcel's own code in the layer's system, None where it has none

    def code_label(self, default_label: str) -> pd.Series:
        """What a reason names as the parcel's land use: its own code (0508 on a 三调 layer, M for 工业用地 read
        in GB 50137) — the table key may be of another system (the guide's 1101 reached through the crosswalk,
        a river in 三调) — else the key, else `default_label`."""
        key = self.key.where(self.key != DEFAULT_KEY, default_label)
        if self.code is None:
            return key
        own = per_object(self.code, lambda code: code.code if code is not None else None)
        return own.where(own.notna(), key)


def _check_land_use_column(table: pd.DataFrame, labels: dict) -> None:
    """LandUseSystemError when the land use cannot say who is judged: no column, or an empty one."""
    raw = column(table, "land_use")
    if raw is None:
        raise LandUseSystemError(Message(LAND_USE_NOT_MAPPED))
    if len(raw) and normalise_codes(raw).isna().all():
        raise LandUseSystemError(Message(LAND_USE_EMPTY), field=labels.get("land_use", "land_use"))


LAND_USE_NOT_MAPPED = QT_TRANSLATE_NOOP(
    "landuse", "No land-use field (用地性质 / land_use) is mapped: low efficiency concerns industrial and warehouse "
               "land only, and without land use every parcel — homes, schools, parks — would be judged. Map the "
               "land-use field in the field map, or set ALL_INDUSTRIAL=true if every feature is industrial land.")
LAND_USE_EMPTY = QT_TRANSLATE_NOOP(
    "landuse", "The land-use field (用地性质 / land_use) is empty in every feature: nothing tells industrial land "
               "from homes, schools or parks. Map a field that holds the land use, or set ALL_INDUSTRIAL=true if "
               "every feature is industrial land.")


def _land_use(table: pd.DataFrame, rules: EfficiencyRules, notes: Reasons, labels: dict,
              whole: WholeLayer | None = None) -> _LandUse:
    """Scope and thresholds per parcel (module docstring). Raises LandUseSystemError when the land use cannot
    decide who is judged: no column, an empty one, or values two code systems read differently. With `whole` the
    rows are read in the system detected on the whole layer (which `decide_whole` has checked)."""
    rows = table.index
    if rules.all_industrial:
        min_far, key = family_lookup(INDUSTRIAL, rules.min_far)
        target_far, _ = family_lookup(INDUSTRIAL, rules.target_far)
        return _LandUse(pd.Series(key, index=rows, dtype=object), pd.Series(True, index=rows),
                        pd.Series(min_far, index=rows), pd.Series(target_far, index=rows), None)
    raw = column(table, "land_use")
    field = labels.get("land_use", "land_use")
    if whole is None:
        _check_land_use_column(table, labels)
    try:
        reading = read_land_use(raw, rules.land_use_system, None if whole is None else whole.land_use)
    except LandUseSystemError as error:
        error.field = error.field or field
        raise
    in_scope = reading.family.isin(list(rules.scope_families)) & ~reading.unrecognised & ~reading.missing
    notes.add(reading.missing, "land_use_missing")
    system = notes.templates.get(f"system_{reading.detection.system}", reading.detection.system)
    notes.add(reading.unrecognised, "land_use_unknown", value=raw, system=system)
    min_far, key = lookup(reading.code, reading.detection.system, rules.min_far)
    target_far, _ = lookup(reading.code, reading.detection.system, rules.target_far)
    return _LandUse(key, in_scope, min_far, target_far, reading.detection, reading.code)


# --- indicators and score ---------------------------------------------------------------------------------------

def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator where both are known and the denominator is positive, else NaN."""
    return (numerator / denominator.where(denominator > 0)).where(numerator.notna())


def reference(values: pd.Series, in_scope: pd.Series, district: pd.Series | None, method: str = "median",
              trim: float = 0.1, groups: DistrictGroups | None = None) -> pd.Series:
    """Per row, the reference value of an indicator: the median (or the mean after cutting `trim` of the values
    from each end: "trimmed_mean") of the in-scope parcels' own values in the row's district — the layer's for rows
    without a district, or when there is no district column. Robust on purpose: one value typed in 元 instead of
    万元 cannot move the other parcels' grades. The one place the reference is taken (grading by rank may swap it).
    `groups`: `DistrictGroups(district)` when the caller takes several references over the same districts."""

    def central(known: np.ndarray) -> float:
        known = known[~np.isnan(known)]
        if not len(known):
            return np.nan
        if method == "median":  # the middle values found by partition: the same ones, in any order
            return float(np.median(known))
        known = np.sort(known)  # the trimmed mean sums what is left in order
        cut = int(np.floor(trim * len(known)))
        return float(known[cut:len(known) - cut].mean())

    used = values.where(in_scope).to_numpy(dtype=float)
    layer = central(used)
    if district is None:
        return pd.Series(layer, index=values.index)
    groups = groups if groups is not None else DistrictGroups(district)
    out = np.full(len(used), layer)
    for rows in groups.rows:
        out[rows] = central(used[rows])
    return pd.Series(out, index=values.index)


class DistrictGroups:
    """The row positions of each district (parcels without one in none of them), found once for every reference
    taken over the same districts instead of grouping a million district names per indicator and round."""

    def __init__(self, district: pd.Series):
        codes, names = pd.factorize(district)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
        self.rows = [order[bounds[k]:bounds[k + 1]] for k in range(len(names))]


def _reference_names(district, rows: pd.Index, rules: EfficiencyRules, templates: dict[str, str]):
    """What each row was compared with, in words: "district median", "layer trimmed mean", …"""
    layer = templates[f"layer_{rules.reference}"]
    if district is None:
        return layer
    return pd.Series(np.where(district.notna(), templates[f"district_{rules.reference}"], layer), index=rows)


def reference_without_unit_errors(values: pd.Series, in_scope: pd.Series, district, rules: EfficiencyRules,
                                  groups: DistrictGroups | None = None) -> tuple[pd.Series, pd.Series]:
    """(reference per row, suspected unit errors): a value ≥ unit_error_factor × its reference is a suspected unit
    error (元 for 万元, m² for 亩), and the reference is taken over the values that are not — a figure we ourselves
    call wrong does not move the reference the other parcels are judged against, just as a missing one does not.

    Found by repetition: the reference of all values, the values ≥ factor × it set aside, the reference again
    without them, until no further value is set aside. Setting large values aside only lowers a median or trimmed
    mean, so every value set aside stays ≥ factor × the final reference, and every other value is below it."""
    suspect = pd.Series(False, index=values.index)
    if district is not None and groups is None:
        groups = DistrictGroups(district)
    while True:
        ref = reference(values.where(~suspect), in_scope, district, rules.reference, rules.reference_trim, groups)
        found = suspect | (in_scope & (ref > 0) & (values >= rules.unit_error_factor * ref))
        if found.equals(suspect):
            return ref, suspect
        suspect = found


def _report_unit_errors(values: dict[str, pd.Series], references: dict[str, pd.Series],
                        suspects: dict[str, pd.Series], district, rules: EfficiencyRules, notes: Reasons) -> None:
    """Each suspected unit error named in its parcel's reasons with the reference it was judged against, and left
    out of the score and the criteria (set to NaN in `values`)."""
    where = _reference_names(district, next(iter(suspects.values())).index, rules, notes.templates)
    for name, suspect in suspects.items():
        notes.add(suspect, "unit_error", indicator=notes.templates[f"indicator_{name}"],
                  value=Fixed(values[name], 1), reference=Fixed(references[name], 1), where=where,
                  factor=f"{rules.unit_error_factor:g}")
        values[name] = values[name].where(~suspect)


def _score(values: dict[str, pd.Series], averages: dict[str, pd.Series], graded_on: dict[str, pd.Series],
           rules: EfficiencyRules, notes: Reasons) -> pd.Series:
    """The weighted, capped ratio to the reference average × 50 (module docstring), rounded to 0.1, over the
    indicators each parcel is graded on (`graded_on`: efficiency_grading.indicator_masks — its class's set)."""
    weights = {name: w for name, w in rules.weights.items() if name in INDICATORS and w > 0}
    in_scope = pd.concat([graded_on[name] for name in weights], axis=1).any(axis=1)
    rows = in_scope.index
    weighted, weight_sum = pd.Series(0.0, index=rows), pd.Series(0.0, index=rows)
    missing = {}
    for name, weight in weights.items():
        ratio = (values[name] / averages[name].where(averages[name] > 0)).clip(0, SCORE_RATIO_CAP)
        available = ratio.notna() & graded_on[name]
        weighted += weight * ratio.where(available, 0.0)
        weight_sum += weight * available
        missing[name] = ~available & graded_on[name]
    score = (SCORE_OF_AVERAGE * weighted / weight_sum.where(weight_sum > 0)).round(1)
    scored = score.notna()
    notes.add(in_scope & ~scored, "no_indicators")
    lacking = _label_list(missing, rows, notes.templates)
    notes.add(scored & (lacking != ""), "indicators_missing", indicators=lacking)
    return score


def _label_list(masks: dict[str, pd.Series], rows: pd.Index, templates: dict[str, str]) -> pd.Series:
    """Per row, the translated names of the indicators whose mask is True, joined by the (translated) commas.

    Written once per combination of masks that occurs (at most 2⁵), then spread back to the rows."""
    names = list(masks)
    combination = np.zeros(len(rows), dtype=np.int64)
    for bit, name in enumerate(names):
        combination |= np.asarray(masks[name], dtype=bool).astype(np.int64) << bit
    comma = templates["list_separator"]

    def listed(bits: int) -> str:
        out = ""
        for bit, name in enumerate(names):
            if bits >> bit & 1:
                out = out + (comma if out != "" else "") + templates[f"indicator_{name}"]
        return out

    occurring, position = np.unique(combination, return_inverse=True)
    texts = np.array([listed(int(bits)) for bits in occurring], dtype=object)
    return pd.Series(texts[position.reshape(-1)], index=rows, dtype=object)


# --- the low-efficiency criteria --------------------------------------------------------------------------------

def criteria(rules: EfficiencyRules, min_far) -> tuple[Criterion, ...]:
    """The low-efficiency criteria table: each a requirement a parcel must meet, flagged (with its reason and the
    rule's source) where a known value misses it. `min_far` is the per-parcel minimum of its land use."""
    source = rules.source_table()
    return (
        Criterion("far_low", "far", ">=", min_far, "far_low", source["far_low"]),
        Criterion("coverage_low", "coverage", ">=", rules.min_coverage, "coverage_low", source["coverage_low"]),
        Criterion("tax_low", "tax_share", ">=", rules.tax_ratio_floor, "tax_low", source["tax_low"]),
        Criterion("grade_low", "grade", "!=", rules.low_grade, "grade_low", source["grade_low"]),
        Criterion("idle", "idle", "==", 0.0, "idle", source["idle"]),
    )


def _criteria(land: _LandUse, intensity: Intensity, tax_per_mu: pd.Series, tax_average: pd.Series,
              grade: pd.Series, idle: pd.Series, rules: EfficiencyRules) -> tuple[dict[str, pd.Series], dict]:
    """Each criterion as a mask over the in-scope parcels, by criterion id, and the measures they judged."""
    share = tax_per_mu / tax_average.where(tax_average > 0)
    measures = {"far": intensity.far, "coverage": intensity.coverage, "tax_share": share,
                "grade": grade.astype(object), "idle": idle.astype(float)}
    return ({c.id: land.in_scope & c.fails(measures[c.measure].to_numpy())
             for c in criteria(rules, land.min_far.to_numpy())}, measures)


def _criteria_reasons(flags: dict[str, pd.Series], measures: dict, land: _LandUse, tax_per_mu: pd.Series, district,
                      score: pd.Series, rules: EfficiencyRules, findings: Reasons) -> None:
    """The reason of each criterion where it flags a parcel, with the value and the threshold."""
    templates = findings.templates
    code = land.code_label(templates["default_code"])
    far, coverage = measures["far"], measures["coverage"]
    findings.add(flags["far_low"], "far_low", far=Fixed(far, 2), min_far=Fixed(land.min_far, 2), code=code)
    findings.add(flags["coverage_low"], "coverage_low", coverage=Fixed(coverage * 100, 0),
                 min_coverage=f"{rules.min_coverage * 100:.0f}")
    average = _reference_names(district, land.in_scope.index, rules, templates)
    findings.add(flags["tax_low"], "tax_low", tax=Fixed(tax_per_mu, 1), share=Fixed(measures["tax_share"] * 100, 0),
                 average=average, floor=f"{rules.tax_ratio_floor * 100:.0f}")
    findings.add(flags["grade_low"], "grade_low", grade=measures["grade"], score=Fixed(score, 1))
    findings.add(flags["idle"], "idle")


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
        first, second = spatial.shared_edges(flagged, rules.cluster_min_shared_edge_m, rules.cluster_edge_tolerance_m)
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


__all__ = ["DEFAULT_RULES", "EFFICIENCY_TEMPLATES", "INDICATORS", "OUTPUT_COLUMNS",
           "BuildingIntensity", "EfficiencyReport", "EfficiencyRules", "LocalSpatial", "Spatial", "StoreyRule",
           "WholeLayer", "decide_whole",
           "building_storeys", "LandUseSystemError", "cluster_outlines", "evaluate", "lookup_by_code", "normalise_code",
           "normalise_codes", "per_value", "reference", "summarise", "to_number"]
