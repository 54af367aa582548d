"""Where the geometry work of the low-efficiency analysis is done: the `Spatial` interface that `evaluate` asks
for parcel areas, buildings clipped to parcels and shared edges, and `LocalSpatial`, its in-memory reference
implementation with shapely.

A separate module because there are two engines: the in-database one (land_bureau_plugin.postgis) answers the same
interface in SQL and follows `building_storeys` for storeys, so both give the same results.
"""
from __future__ import annotations

import threading
from typing import NamedTuple, Protocol

import numpy as np
import pandas as pd
import shapely

from .memory import give_back
from .numbers import SUFFIXES, read
from .overlay import Beside, Cleaning, GeometryReport, floor_area_per_parcel, shared_edges, tree_query


class BuildingIntensity(NamedTuple):
    """What the buildings overlay gives per parcel (arrays aligned with the parcels) and for the report."""

    floor_area: np.ndarray  # Σ clipped footprint × storeys, m²
    footprint_area: np.ndarray  # Σ clipped footprint, m²
    from_height: np.ndarray  # buildings on the parcel whose storeys were estimated from their height
    one_storey: np.ndarray  # buildings on the parcel counted as one storey (neither storeys nor height)
    report: dict  # the EfficiencyReport fields buildings_*


class StoreyRule(NamedTuple):
    """How a building's storeys are counted (`building_storeys`): the storey height that turns a height into
    storeys, and the plausibility limits above which a building's storeys or height are data errors."""

    storey_height_m: float
    max_floors: float = np.inf
    max_height_m: float = np.inf


class Storeys(NamedTuple):
    storeys: np.ndarray
    from_height: np.ndarray  # estimated from the height
    assumed: np.ndarray  # neither storeys nor height: counted as one storey
    implausible: np.ndarray  # storeys or height above its limit (that value is not used)


class Spatial(Protocol):
    """Where `evaluate` has its geometry work done, by parcel position (row of `parcels`): `LocalSpatial` in
    memory with shapely, or the in-database engine (land_bureau_plugin.postgis) in SQL next to the data. Both
    follow the rules of analysis.efficiency's module docstring and of analysis.overlay, so both give the same
    results."""

    has_buildings: bool

    def parcel_areas(self) -> tuple[np.ndarray, GeometryReport]:
        """Planar area per parcel (0 where unusable) and what cleaning the geometries did."""

    def building_intensity(self, rule: StoreyRule) -> BuildingIntensity:
        """Floor area and footprint of the buildings clipped to each parcel (storeys as `building_storeys`)."""

    def release_buildings(self) -> None:
        """Drop the buildings (`evaluate` calls this once the floor areas are measured): at a million buildings
        their geometries are the largest thing in memory. Only what the caller still references stays alive."""
        self.buildings = self.floors = self.heights = self._cleaned_buildings = self._building_cleaning = None

    def near_buildings(self, positions: np.ndarray, radius_m: float) -> np.ndarray:
        """For the parcels at `positions`, True where some usable building lies within `radius_m` of the parcel
        (distance between the cleaned geometries ≤ radius): inside the area the buildings layer covers."""

    def shared_edges(self, positions: np.ndarray, min_length: float,
                     tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i, j), i < j, of indexes into `positions` whose parcels share ≥ `min_length` of boundary, a
        boundary within `tolerance` of the other parcel counted as shared (overlay.shared_edges)."""


class LocalSpatial:
    """`Spatial` in memory: shapely 2 on arrays (analysis.overlay) — the reference implementation."""

    def __init__(self, parcel_geoms, building_geoms=None, building_floors=None, building_heights=None,
                 cleaning: Cleaning | None = None):
        """Both layers' geometries go through `make_polygonal` on threads of their own from here on
        (overlay.Cleaning), while the caller goes on with other work — reading the buildings, the attributes —
        until a geometry is needed. `cleaning`: the parcels' Cleaning when the caller began it already (right
        after reading them, before reading the buildings)."""
        self._parcels = cleaning if cleaning is not None else Cleaning(parcel_geoms)
        self._geoms = self._report = None
        self.buildings, self.floors, self.heights = building_geoms, building_floors, building_heights
        self.has_buildings = building_geoms is not None
        self._cleaned_buildings = None
        self._building_cleaning = Cleaning(building_geoms) if building_geoms is not None else None
        self.progress = None  # progress(share of the current phase) between rounds of the overlay (see evaluate)
        self._begun = {}  # question: (arguments, Beside) of `begin`
        self._lock = threading.Lock()  # the overlay's thread and the caller's both ask for the cleaned geometries

    @property
    def geoms(self) -> np.ndarray:
        """The parcels through `make_polygonal` (waits for the cleaning begun in __init__)."""
        with self._lock:
            if self._geoms is None:
                self._geoms, self._report = self._parcels.result()
                self._parcels = None
        return self._geoms

    @property
    def report(self) -> GeometryReport:
        """What `make_polygonal` did to the parcels."""
        if self._report is None:
            _ = self.geoms
        return self._report

    def parcel_areas(self) -> tuple[np.ndarray, GeometryReport]:
        return shapely.area(self.geoms), self.report

    def begin(self, question: str, *args) -> None:
        """Begin answering `question(*args)` — "building_intensity" or "shared_edges" — beside the caller
        (overlay.Beside); the same question asked later with the same arguments takes the answer.

        Why: these are shapely's work without the GIL, and `evaluate` has pandas work with the GIL that does not
        need their answers yet — grading the attributes before it needs the floor areas (~0.35 s at 100,000
        parcels, beside an overlay of 0.5 s on two cores), writing the criteria's reasons before it needs the
        shared edges of the flagged parcels. One after the other, one core idled through the pandas work."""
        self._begun[question] = (args, Beside(getattr(self, f"_{question}"), *args, name=f"land_bureau_{question}"))

    def _answer(self, question: str, *args):
        """The answer begun for `question(*args)`, else the answer worked out now."""
        begun = self._begun.pop(question, None)
        if begun is not None and len(begun[0]) == len(args) and all(map(_same, begun[0], args)):
            return begun[1].result()
        return getattr(self, f"_{question}")(*args)

    def building_intensity(self, rule: StoreyRule) -> BuildingIntensity:
        return self._answer("building_intensity", rule)

    def _building_intensity(self, rule: StoreyRule) -> BuildingIntensity:
        count = len(self.buildings)
        storeys, from_height, assumed, implausible = building_storeys(self.floors, self.heights, rule, count)
        buildings, report = self.cleaned_buildings()
        overlay = floor_area_per_parcel(self.geoms, buildings, storeys, self.progress, (self.report, report))
        n = len(self.geoms)

        def per_parcel(flag: np.ndarray) -> np.ndarray:
            return np.bincount(overlay.pair_parcel, weights=flag[overlay.pair_building], minlength=n).astype("int64")

        placed = np.zeros(count, dtype=bool)
        placed[overlay.pair_building] = True
        placed[overlay.buildings.empty] = True  # empty ones are reported as such, not as outside
        report = buildings_report(overlay.buildings, int(from_height.sum()), int(assumed.sum()),
                                  int((~placed).sum()), int(implausible.sum()))
        return BuildingIntensity(overlay.floor_area, overlay.footprint_area, per_parcel(from_height),
                                 per_parcel(assumed), report)

    def cleaned_buildings(self) -> tuple[np.ndarray, GeometryReport]:
        """The buildings through `make_polygonal`, once for the overlay and the search for nearby buildings."""
        with self._lock:
            if self._cleaned_buildings is None:
                cleaning = self._building_cleaning or Cleaning(self.buildings)
                self._cleaned_buildings, self._building_cleaning = cleaning.result(), None
        return self._cleaned_buildings

    def release_buildings(self) -> None:
        """Drop the buildings (`evaluate` calls this once the floor areas are measured): at a million buildings
        their geometries are the largest thing in memory. Only what the caller still references stays alive; the
        memory freed is given back to the system (analysis.memory)."""
        self.buildings = self.floors = self.heights = self._cleaned_buildings = self._building_cleaning = None
        give_back(len(self.geoms))

    def near_buildings(self, positions: np.ndarray, radius_m: float) -> np.ndarray:
        return buildings_within(self.geoms[positions], self.cleaned_buildings()[0], radius_m)

    def shared_edges(self, positions: np.ndarray, min_length: float,
                     tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        return self._answer("shared_edges", positions, min_length, tolerance)

    def _shared_edges(self, positions: np.ndarray, min_length: float,
                      tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        first, second, _ = shared_edges(self.geoms[positions], min_length, self.progress, tolerance)
        return first, second


def _same(begun, asked) -> bool:
    """Whether an argument `begin` was given is the one asked with (positions by value: each is a new array)."""
    if isinstance(begun, np.ndarray) or isinstance(asked, np.ndarray):
        return np.array_equal(begun, asked)
    return begun == asked


# A distance query tests every building in reach of its parcel: ~10 µs a parcel in a city at the default 100 m, so
# the 6,757 parcels without a building among the bench's 100,000 took 0.08 s on one core — worth a thread per core
# from a thousand parcels on (a thread starts in well under a millisecond).
_DISTANCE_QUERIES_PARALLEL_FROM = 1_000


def buildings_within(parcels: np.ndarray, buildings, radius_m: float) -> np.ndarray:
    """Per parcel, whether a usable (non-empty) building lies within `radius_m` of it (distance ≤ radius): one
    STRtree query with GEOS's "distance within" test (GEOS ≥ 3.10; it gives up on a pair as soon as one part is in
    reach), else a query on the parcels' boxes grown by the radius and the exact distance of the candidate pairs.
    `buildings` are cleaned (`make_polygonal`), as the overlay uses them."""
    found = np.zeros(len(parcels), dtype=bool)
    usable = buildings[~shapely.is_empty(buildings)]
    live = ~shapely.is_empty(parcels)
    if not len(usable) or not live.any():
        return found
    positions = np.flatnonzero(live)
    if shapely.geos_version >= (3, 10, 0):  # the tree's own distance test: GEOS stops at the first building in reach
        near, _ = tree_query(shapely.STRtree(usable), parcels[positions], parallel_from=_DISTANCE_QUERIES_PARALLEL_FROM,
                             predicate="dwithin", distance=radius_m)
        found[positions[near]] = True
        return found
    x0, y0, x1, y1 = shapely.bounds(parcels[positions]).T
    boxes = shapely.box(x0 - radius_m, y0 - radius_m, x1 + radius_m, y1 + radius_m)
    query, tree_index = shapely.STRtree(usable).query(boxes)
    close = shapely.distance(parcels[positions[query]], usable[tree_index]) <= radius_m
    found[positions[query[close]]] = True
    return found


def buildings_report(geometry_report, from_height: int, one_storey: int, outside: int, implausible: int = 0) -> dict:
    """The EfficiencyReport fields buildings_*: the overlay's geometry report (None without buildings) and counts."""
    none = np.empty(0, dtype=np.intp)
    return {"buildings_repaired": none if geometry_report is None else geometry_report.repaired,
            "buildings_empty": none if geometry_report is None else geometry_report.empty,
            "buildings_storeys_from_height": from_height, "buildings_one_storey": one_storey,
            "buildings_outside_parcels": outside, "buildings_implausible": implausible,
            "parcels_without_building_data": 0}


def building_storeys(floors, heights, rule: StoreyRule, count: int) -> Storeys:
    """Storeys per building, and which were estimated, assumed or had an implausible value.

    Storeys are the `floors` value when positive and at most `rule.max_floors`; else max(1, round(height /
    storey_height_m)) when the height is positive and at most `rule.max_height_m` (rounded half up, as people count
    storeys); else 1. A value above its limit (a building of 500 storeys or 2,000 m) is a data error: it is not used,
    and `implausible` marks the building so it can be reported. `floors`/`heights` may be None, numbers or text
    ("8F", "12 层", "24米"), aligned by position.
    """
    floors, heights = _positional(floors, count, "floors"), _positional(heights, count, "height")
    implausible = (floors > rule.max_floors) | (heights > rule.max_height_m)
    has_floors = (floors > 0) & (floors <= rule.max_floors)
    from_height = ~has_floors & (heights > 0) & (heights <= rule.max_height_m)
    with np.errstate(invalid="ignore"):
        estimate = np.maximum(1.0, np.floor(heights / rule.storey_height_m + 0.5))
    storeys = np.where(has_floors, floors, np.where(from_height, estimate, 1.0))
    return Storeys(storeys, from_height, ~has_floors & ~from_height, implausible)


def _positional(values, count: int, name: str) -> np.ndarray:
    if values is None:
        return np.full(count, np.nan)
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if len(series) != count:
        raise ValueError(f"{len(series)} values for {count} buildings")
    return read(series.reset_index(drop=True), SUFFIXES[name]).values.to_numpy(dtype=float)
