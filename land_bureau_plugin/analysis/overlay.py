"""Vectorised geometry work shared by the analyses: repair, building floor area per parcel, shared parcel edges.

Everything works on numpy arrays of shapely 2 geometries in one planar CRS (metres; the caller transforms a
geographic CRS first). No Python loop runs per feature: geometry pairs come from one bulk STRtree query and every
predicate, clip and measurement is a vectorised shapely call, aggregated with numpy, and the heavy calls are spread
over the cores (shapely releases the GIL). Measured on the 2-core reference machine, 100k parcels against 150k
buildings (tests/unit/test_overlay.py `synthetic_layers(400, 250, 150_000)`): 0.8 s on two cores, 1.25 s on one,
against 38 s for QGIS's native:intersection alone (see DESIGN.md, "Speed").
"""
from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

_POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


class GeometryReport(NamedTuple):
    """What cleaning did to a geometry array, by position in the array (the caller maps positions to feature ids).

    `repaired`: invalid geometries that were made valid and kept an area. `empty`: geometries that are missing,
    empty or have no polygonal part (even after repair: a zero-area sliver); they take part in nothing and the
    caller should say so. The two are disjoint, so a feature is reported once.
    """

    repaired: np.ndarray
    empty: np.ndarray


class FloorAreas(NamedTuple):
    """Per-parcel totals of `floor_area_per_parcel`, plus the building–parcel pairs they were summed from.

    `floor_area` and `footprint_area` are aligned to the parcels (0 where no building lies on a parcel). The pairs
    (`pair_building`, `pair_parcel`, `pair_area` = clipped footprint in m², only pairs with a positive area) let the
    caller aggregate anything else per parcel, e.g. how many buildings on it had no storey count.
    """

    floor_area: np.ndarray
    footprint_area: np.ndarray
    pair_building: np.ndarray
    pair_parcel: np.ndarray
    pair_area: np.ndarray
    parcels: GeometryReport
    buildings: GeometryReport


def make_polygonal(geoms) -> tuple[np.ndarray, GeometryReport]:
    """Return valid (multi)polygons and a report of what was repaired or unusable.

    Only invalid geometries are repaired (`_repaired`: a bow-tie becomes two triangles, a multipolygon of
    overlapping parts their union); of the result only the polygonal parts are kept, since a dangling line or point
    left by the repair has no area to count. Missing or non-polygonal geometries come back as empty polygons, so
    positions stay aligned with the input.
    """
    geoms = np.asarray(geoms, dtype=object).copy()
    missing = shapely.is_missing(geoms)
    geoms[missing] = shapely.Polygon()
    invalid = ~_parallel(shapely.is_valid, geoms) & ~missing
    repaired = np.flatnonzero(invalid)
    if len(repaired):
        geoms[repaired] = _repaired(geoms[repaired])
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGON_TYPES)
    geoms[~polygonal] = shapely.Polygon()
    empty = np.flatnonzero(shapely.is_empty(geoms))
    return geoms, GeometryReport(repaired=np.setdiff1d(repaired, empty), empty=empty)


class Beside:
    """`work(*args)` begun on a thread of its own; `result()` waits for it and gives what it returned (or raises
    what it raised). For geometry work that shapely runs without the GIL, so that it keeps the other core busy while
    the caller goes on with work of its own that holds the GIL (reading a layer, judging the attributes). With one
    usable core there is nothing to overlap: the work is done at once, on the caller's thread. A caller that stops
    meanwhile (a cancel) lets the thread finish, its result unused."""

    def __init__(self, work, *args, name: str = "land_bureau_beside"):
        self._result = self._error = None
        self._thread = None
        if _usable_cores() == 1:
            self._result = work(*args)
            return
        self._thread = threading.Thread(target=self._run, args=(work, args), name=name, daemon=True)
        self._thread.start()

    def _run(self, work, args) -> None:
        try:
            self._result = work(*args)
        except BaseException as error:  # noqa: B036 — raised again on the caller's thread by result()
            self._error = error

    def result(self):
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


class Cleaning(Beside):
    """`make_polygonal(geoms)` begun `Beside` the caller: `result()` gives (geometries, report).

    Why: the validity check is most of `make_polygonal` (0.15 s for 100,000 parcels, ~1.5 s for a million, ~2 s for
    1.5 million buildings) and shapely runs it without the GIL, while what the caller does next — read the
    buildings layer (GDAL and shapely's parsing, which hold the GIL), read the attributes — keeps one core busy and
    leaves the other idle. Begun as soon as the geometries are there, the check runs on the idle core. The result
    is the one `make_polygonal` gives on the caller's thread."""

    def __init__(self, geoms):
        super().__init__(make_polygonal, geoms, name="land_bureau_cleaning")


def _repaired(geoms: np.ndarray) -> np.ndarray:
    """Invalid geometries made valid part by part (`shapely.make_valid`), the polygonal parts of each joined: a plan
    drawn as two overlapping parts is the land they cover. make_valid on the whole multipolygon (GEOS's "linework"
    repair, the only one of shapely 2.0) kept what exactly one part covers, the overlap a hole: 12,000 m² of a
    16,000 m² plan, whose declared area then looked wrong. The parts of one geometry are joined by one union per
    geometry (few geometries are invalid and of several parts)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    fixed = _polygonal_parts(shapely.make_valid(parts))
    out = np.full(len(geoms), shapely.Polygon(), dtype=object)  # a geometry without parts: empty
    count = np.bincount(owner, minlength=len(geoms))
    alone = count[owner] == 1
    out[owner[alone]] = fixed[alone]
    for position in np.flatnonzero(count > 1):
        out[position] = shapely.union_all(fixed[owner == position])
    return _polygonal_parts(out)


def _polygonal_parts(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of each geometry (collections included) as one MultiPolygon; empty when none."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    parts, inner = shapely.get_parts(parts, return_index=True)  # a collection may hold a MultiPolygon
    owner = owner[inner]
    keep = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    out = np.full(len(geoms), shapely.Polygon(), dtype=object)
    if keep.any():
        owners, compact = np.unique(owner[keep], return_inverse=True)
        out[owners] = shapely.multipolygons(parts[keep], indices=compact)
    return out


def floor_area_per_parcel(parcels, buildings, floors, progress=None, cleaned=None) -> FloorAreas:
    """Floor area (clipped footprint × floors) and footprint area of the buildings on each parcel.

    A building across two parcels counts in each by its clipped part. Geometries are repaired first
    (`make_polygonal`); `floors` (one finite number per building, already resolved by the caller) multiplies the
    clipped footprint. Overlapping parcels each count the building part they hold.

    Speed: candidate pairs come from one bulk STRtree query on the parcels (bounding boxes only, the cheapest
    query). Most buildings lie wholly inside one parcel, and for those the clipped footprint *is* the building's
    area: pairs whose parcel covers the building (a prepared predicate, tried only where the bounding boxes nest)
    skip the expensive overlay, and only the remaining pairs that really intersect are clipped. Totals are summed
    with `np.bincount`. The pairs are worked through in rounds (see `_rounds`), `progress(share done)` after each.

    `cleaned`: (parcel report, building report) when the caller has already put both arrays through
    `make_polygonal` (the reports it returned); they are then used as they are instead of being checked again.
    """
    if cleaned is None:
        parcels, parcel_report = make_polygonal(parcels)
        buildings, building_report = make_polygonal(buildings)
    else:
        parcel_report, building_report = cleaned
    floors = np.asarray(floors, dtype=float)
    if floors.shape != buildings.shape:
        raise ValueError(f"{len(floors)} floor values for {len(buildings)} buildings")

    pair_building, pair_parcel = _candidate_pairs(buildings, parcels)
    pair_area = _clipped_area(buildings, parcels, pair_building, pair_parcel, progress)
    positive = pair_area > 0
    pair_building, pair_parcel, pair_area = pair_building[positive], pair_parcel[positive], pair_area[positive]

    n = len(parcels)
    footprint = np.bincount(pair_parcel, weights=pair_area, minlength=n)
    floor_area = np.bincount(pair_parcel, weights=pair_area * floors[pair_building], minlength=n)
    return FloorAreas(floor_area, footprint, pair_building, pair_parcel, pair_area, parcel_report, building_report)


def _candidate_pairs(queries: np.ndarray, tree_geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(query position, tree position) of every pair whose bounding boxes meet, from one bulk STRtree query.

    Bounding boxes only: the tree's own predicate test is slower than a prepared one on the pairs afterwards.
    """
    if len(queries) == 0 or len(tree_geoms) == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty
    query_index, tree_index = tree_query(shapely.STRtree(tree_geoms), queries)
    return query_index, tree_index


def tree_query(tree: shapely.STRtree, geoms: np.ndarray, parallel_from: int | None = None, **kwargs) -> np.ndarray:
    """`tree.query(geoms, **kwargs)` with the queries cut into one contiguous slice per core, the slices queried on
    threads (the tree's query releases the GIL) and joined: the query's pairs come ordered by query position, so
    the joined pairs are the ones, in the order, one call gives. `parallel_from`: the fewest queries worth threads
    (default `_PARALLEL_MIN_SIZE`, for box queries of ~1 µs each; a distance query costs ten times more)."""
    workers = min(_usable_cores(), _MAX_WORKERS)
    if workers == 1 or len(geoms) < (_PARALLEL_MIN_SIZE if parallel_from is None else parallel_from):
        return tree.query(geoms, **kwargs)
    cuts = np.linspace(0, len(geoms), workers + 1).astype(np.intp)
    slices = list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(lambda bounds: tree.query(geoms[bounds[0]:bounds[1]], **kwargs), slices))
    for (start, _), part in zip(slices, parts):
        part[0] += start
    return np.concatenate(parts, axis=1)


def _clipped_area(pieces: np.ndarray, containers: np.ndarray, piece_index: np.ndarray,
                  container_index: np.ndarray, progress=None) -> np.ndarray:
    """Area of piece ∩ container for each candidate pair (piece_index[k], container_index[k]).

    Three tiers, cheapest first: a piece whose bounding box nests in its container's and that the (prepared)
    container covers contributes its own area; of the rest, pairs that do not intersect contribute 0; only what
    is left is clipped with `shapely.intersection`.
    """
    area = np.zeros(len(piece_index))
    piece_bounds, container_bounds = shapely.bounds(pieces), shapely.bounds(containers)
    piece_area = shapely.area(pieces)

    def clip(rows: np.ndarray) -> None:
        pieces_of, containers_of = piece_index[rows], container_index[rows]
        with _prepared(containers, containers_of):
            inner, outer = piece_bounds[pieces_of], container_bounds[containers_of]
            nested = np.flatnonzero((inner[:, :2] >= outer[:, :2]).all(axis=1)
                                    & (inner[:, 2:] <= outer[:, 2:]).all(axis=1))
            covered = nested[shapely.covers(containers[containers_of[nested]], pieces[pieces_of[nested]])]
            rest = np.ones(len(rows), dtype=bool)
            rest[covered] = False
            rest = np.flatnonzero(rest)
            rest = rest[shapely.intersects(containers[containers_of[rest]], pieces[pieces_of[rest]])]
            clipped = shapely.intersection(containers[containers_of[rest]], pieces[pieces_of[rest]])
        area[rows[covered]] = piece_area[pieces_of[covered]]
        area[rows[rest]] = shapely.area(clipped)

    _in_rounds(container_index, clip, progress)
    return area


# Pairs per round, at most. GEOS keeps the index of a prepared polygon until it is destroyed (≈1 GB for a million
# small parcels), so each round prepares only its own containers and frees them again; a round also lets a caller
# show progress and cancel. One round per core runs at a time (`_in_rounds`): at 100,000 pairs two rounds hold no
# more than one of 250,000 did (a million parcels peaked at 2.73 GB either way, 2.84–2.94 GB with two rounds of
# 250,000). Smaller inputs are cut into `_ROUNDS_PER_WORKER` rounds per
# worker thread (none smaller than `_MIN_ROUND_SIZE` pairs), so that every core has rounds to work on.
_ROUND_SIZE = 100_000
_MIN_ROUND_SIZE = 10_000
_ROUNDS_PER_WORKER = 4


def _round_size(pairs: int, workers: int) -> int:
    return min(_ROUND_SIZE, max(_MIN_ROUND_SIZE, -(-pairs // (workers * _ROUNDS_PER_WORKER))))


def _rounds(owner: np.ndarray, size: int | None = None):
    """(pair positions, share done) per round, pairs ordered by owner so a round holds its owners whole."""
    size = size or _ROUND_SIZE
    order = np.argsort(owner, kind="stable")
    start = 0
    while start < len(order):
        end = start + size
        if end < len(order):  # extend to the end of the last owner's pairs: the next round starts after them
            end += int(np.searchsorted(owner[order[end:]], owner[order[end - 1]], side="right"))
        yield order[start:end], min(1.0, end / len(order))
        start = end


def _in_rounds(owner: np.ndarray, work, progress=None) -> None:
    """`work(pair positions)` for each round of `_rounds(owner)`, `progress(share done)` after each, in order.

    With more than one core the rounds run on a pool of threads, at most one round per thread at a time: shapely
    releases the GIL in its vectorised functions (intersection, covers, intersects, area …), so one round's GEOS
    work runs beside another round's Python and numpy steps, which per-call splitting (`_parallel`) left on one
    core — and a round's clip of the few pairs that really cross (under `_PARALLEL_MIN_SIZE`) was not split at all.
    A round holds its owners whole, so the geometries one thread prepares are prepared by no other; the other
    operands are only read (their envelopes cached by the STRtree query). Each pair's result is computed alone, so
    the results do not depend on the rounds or the threads. `progress` is called on the calling thread; when it
    raises (a cancel), rounds not started are dropped and the running ones finish before the error goes up."""
    workers = min(_usable_cores(), _MAX_WORKERS)
    rounds = _rounds(owner, _round_size(len(owner), workers))
    if workers == 1:
        for rows, done in rounds:
            work(rows)
            if progress is not None:
                progress(done)
        return
    pending = deque()
    with ThreadPoolExecutor(workers) as pool:
        try:
            for rows, done in rounds:
                if len(pending) >= workers:
                    _round_done(pending.popleft(), progress)
                pending.append((pool.submit(work, rows), done))
            while pending:
                _round_done(pending.popleft(), progress)
        finally:
            for future, _ in pending:
                future.cancel()


def _round_done(submitted, progress) -> None:
    future, done = submitted
    future.result()
    if progress is not None:
        progress(done)


@contextmanager
def _prepared(geoms: np.ndarray, positions: np.ndarray):
    """`with _prepared(geoms, positions):` the geometries at those positions are prepared inside the block only."""
    used = geoms[np.unique(positions)]
    shapely.prepare(used)
    try:
        yield
    finally:
        shapely.destroy_prepared(used)


# Below this many elements, starting threads costs more than it saves; more than a few threads gain little.
_PARALLEL_MIN_SIZE = 20_000
_MAX_WORKERS = 4


def _parallel(func, *arrays: np.ndarray, owner: np.ndarray | None = None) -> np.ndarray:
    """`func(*arrays)` for an element-wise shapely function, spread over the CPU cores for large inputs.

    Shapely 2 releases the GIL inside its vectorised functions, so plain threads run them in parallel. A prepared
    geometry builds its indexes lazily and is not safe to share between threads: when `owner` is given (e.g. the
    parcel position of each pair), elements are dealt out by owner so that each thread has whole owners to itself.
    Geometries shared as the other operand are only read (their envelopes are already cached by the STRtree
    query or `shapely.bounds`). The overlay's rounds are spread over threads whole instead (`_in_rounds`).
    """
    size = len(arrays[0])
    workers = min(_usable_cores(), _MAX_WORKERS)
    if workers == 1 or size < _PARALLEL_MIN_SIZE:
        return func(*arrays)
    key = np.arange(size) if owner is None else owner
    groups = [np.flatnonzero(key % workers == w) for w in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda group: func(*(a[group] for a in arrays)), groups))
    out = np.empty(size, dtype=results[0].dtype)
    for group, result in zip(groups, results):
        out[group] = result
    return out


def worker_count() -> int:
    """Threads worth starting for shapely work spread over the cores (`_parallel`, `_in_rounds` and the like)."""
    return min(_usable_cores(), _MAX_WORKERS)


def _usable_cores() -> int:
    """Cores this process may run on (the affinity mask, which containers and `taskset` narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def shared_edges(geoms, min_length: float, progress=None,
                 tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i, j, length) with i < j of polygons that share at least `min_length` of boundary.

    A mere corner touch shares no length and is left out. The shared length is measured as the part of i's
    boundary that lies on or inside j — or within `tolerance` of j —, which equals the common edge for neighbours
    that only touch and stays meaningful when digitising left them overlapping by a sliver (an intersection of the
    two boundaries would then shrink to a few crossing points) or apart by a gap narrower than `tolerance`: a
    neighbour's vertex in the middle of i's edge lies off that edge by the rounding of its coordinates (~1e-9 m),
    and when it lies on the far side, the edge touched j at its two ends only — two neighbours of 93 m of common
    boundary measured 0 m. `geoms` should be valid (see `make_polygonal`). Worked through in rounds like the floor
    areas, `progress(share done)` after each.

    Cost: the clip of a boundary by a polygon is 10–20 µs a pair, so pairs that share whole edges — the same two
    vertices, as neighbouring parcels of one survey do — are decided without it (`_common_edge_lengths`): when
    those edges alone reach `min_length` (by more than 1e-9 of it) the pair is in, and its length is theirs (a
    lower bound of the clipped one); within a tolerance, so are pairs whose rings share corners with ways between
    them straight enough (`_common_chain_lengths`: surveyed neighbours put vertices of their own between shared
    corners; 34k flagged parcels of ~30-vertex rings 1.6–1.9 s → 0.9–1.0 s). Of the other pairs, those whose
    shared length cannot reach `min_length` — corner touches, mostly — are left out without clipping too
    (`_shared_length_bounds`: an upper bound from i's segments cut to a convex region holding j, in numpy); only the
    rest are clipped. So the pairs are those the clip alone gives; at 340k flagged parcels of the bench city, 151k
    corner touches ≈ 0.4 s instead of 1.5 s.
    """
    geoms = np.asarray(geoms, dtype=object)
    first, second = _candidate_pairs(_grown_boxes(geoms, tolerance) if tolerance > 0 else geoms, geoms)
    keep = first < second
    first, second = first[keep], second[keep]
    length = np.zeros(len(first))
    undecided = np.arange(len(first))
    if min_length > 0 and len(first):
        segments = _boundary_segments(geoms)
        codes = _point_codes(segments[0], segments[1])
        lower = _common_edge_lengths(geoms, first, second, segments, codes)
        if tolerance > 0:  # within a tolerance, ways between shared corners count as well
            lower = np.maximum(lower, _common_chain_lengths(geoms, first, second, segments, tolerance, codes))
        sure = lower >= min_length * (1 + 1e-9)
        length[sure] = lower[sure]
        undecided = np.flatnonzero(~sure)
        upper, slack = _shared_length_bounds(geoms, segments, first[undecided], second[undecided], tolerance)
        undecided = undecided[upper + slack >= min_length]
    def clip(rows: np.ndarray) -> None:
        rows = undecided[rows]
        firsts, seconds = first[rows], second[rows]
        reach = _dilated(geoms, seconds, tolerance)
        with _prepared(geoms, firsts):
            meet = np.flatnonzero(shapely.intersects(geoms[firsts], reach))
        boundaries = shapely.boundary(geoms[firsts[meet]])
        common = shapely.intersection(boundaries, reach[meet])
        length[rows[meet]] = shapely.length(common)

    _in_rounds(first[undecided], clip, progress)
    if progress is not None:
        progress(1.0)
    long_enough = length >= min_length
    return first[long_enough], second[long_enough], length[long_enough]


def _grown_boxes(geoms: np.ndarray, by: float) -> np.ndarray:
    """Each geometry's box grown by `by` on every side (an empty geometry stays itself): what a tree query of the
    pairs within `by` of each other asks with."""
    bounds = shapely.bounds(geoms)
    finite = np.flatnonzero(np.isfinite(bounds).all(axis=1))
    grown = geoms.copy()
    x0, y0, x1, y1 = bounds[finite].T
    grown[finite] = shapely.box(x0 - by, y0 - by, x1 + by, y1 + by)
    return grown


# The tolerance's round corners in segments per quarter circle: a buffer's corners lie on the circle, so the part
# kept is short of the tolerance by at most 1 − cos(π/16) ≈ 2 % of it, and PostGIS's ST_Buffer makes the same shape.
TOLERANCE_QUAD_SEGS = 8


def _dilated(geoms: np.ndarray, positions: np.ndarray, by: float) -> np.ndarray:
    """The geometries at `positions` (repeated as they repeat), each grown by `by` (none when `by` is 0): one
    buffer per distinct geometry."""
    if by <= 0:
        return geoms[positions]
    distinct, inverse = np.unique(positions, return_inverse=True)
    return shapely.buffer(geoms[distinct], by, quad_segs=TOLERANCE_QUAD_SEGS)[inverse]


def _common_edge_lengths(geoms: np.ndarray, first: np.ndarray, second: np.ndarray, segments=None,
                         codes=None) -> np.ndarray:
    """Per pair, the total length of the edges both boundaries have vertex for vertex: each lies on both
    boundaries, so it is part of what `shared_edges` measures — a lower bound of the shared length, without
    clipping anything.

    Each segment is keyed by the codes of its two end points (`_point_codes`, the smaller first), the keys put in
    order (by owner within a key) and neighbours in that order compared. A sort by the four coordinates and the
    owner did the same: ~1.7 s at 100k parcels of ~50 vertices (4.8M segments), where the parcels of a real city
    have many vertices; keyed by integers it is a fraction of that."""
    start, end, owner = segments if segments is not None else _boundary_segments(geoms)
    at_start, at_end, points = codes if codes is not None else _point_codes(start, end)
    rows = np.flatnonzero((at_start >= 0) & (at_end >= 0))  # a NaN coordinate matches nothing (NaN ≠ NaN)
    key = np.minimum(at_start, at_end)[rows].astype(np.int64) * points + np.maximum(at_start, at_end)[rows]
    order = np.argsort(key, kind="stable")  # rows come by owner: a key's rows stay by owner
    rows, key = rows[order], key[order]
    owners = owner[rows]
    same = key[1:] == key[:-1]
    once = np.concatenate([[True], ~(same & (owners[1:] == owners[:-1]))])  # a segment twice in one boundary: once
    rows, key, owners = rows[once], key[once], owners[once]
    twin = key[1:] == key[:-1]  # owners differ now
    a, b = owners[:-1][twin], owners[1:][twin]
    at = rows[:-1][twin]
    seg = np.hypot(*(end[at] - start[at]).T)
    n = len(geoms)
    keys, inverse = np.unique(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b), return_inverse=True)
    totals = np.bincount(inverse, weights=seg, minlength=len(keys))
    lower = np.zeros(len(first))
    if len(keys):
        wanted = first.astype(np.int64) * n + second
        at = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
        hit = keys[at] == wanted
        lower[hit] = totals[at[hit]]
    return lower


def _common_chain_lengths(geoms: np.ndarray, first: np.ndarray, second: np.ndarray, segments,
                          tolerance: float, codes=None) -> np.ndarray:
    """Per pair, a lower bound of what `shared_edges` measures, from the corners the two rings share: between two
    corners A and B shared by both, when each ring's way from A to B is so nearly straight that every point of it
    lies within `tolerance` of the other's (both within h of the chord AB, h = √(L² − c²) / 2 for a way of length L
    over a chord c), the first's way counts whole. Surveyed neighbours share their corners and put vertices of their
    own between them — a T-junction, a bend digitised twice — where `_common_edge_lengths` finds no edge vertex for
    vertex and each pair went to the clip (25–35 µs with rings of ~30 vertices). Simple polygons only (one ring); a
    corner shared by more than four rings lends only its first pairs: both leave the bound lower, never higher."""
    start, end, owner = segments
    n = len(geoms)
    lower = np.zeros(len(first))
    simple = np.zeros(n, dtype=bool)
    simple[np.flatnonzero((shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON)
                          & (shapely.get_num_interior_rings(geoms) == 0))] = True
    if not len(first) or not simple.any():
        return lower
    step = np.hypot(*(end - start).T)
    perimeter = np.bincount(owner, weights=step, minlength=n)
    code = (codes if codes is not None else _point_codes(start, end))[0]
    rows = np.flatnonzero(simple[owner] & (code >= 0))
    rows = rows[np.argsort(code[rows], kind="stable")]
    a_rows, b_rows = [], []
    for gap in range(1, 4):  # corners shared by up to four rings: each with the next three in code order
        same = (code[rows[gap:]] == code[rows[:-gap]]) & (owner[rows[gap:]] != owner[rows[:-gap]])
        a_rows.append(rows[:-gap][same])
        b_rows.append(rows[gap:][same])
    a_rows, b_rows = np.concatenate(a_rows), np.concatenate(b_rows)
    swap = owner[a_rows] > owner[b_rows]
    a_rows[swap], b_rows[swap] = b_rows[swap], a_rows[swap]  # a: the first (smaller) owner of the pair
    key = owner[a_rows].astype(np.int64) * n + owner[b_rows]
    wanted = first.astype(np.int64) * n + second
    order = np.argsort(wanted)
    at = np.clip(np.searchsorted(wanted[order], key), 0, len(wanted) - 1)
    found = wanted[order[at]] == key
    a_rows, b_rows, key, pair = a_rows[found], b_rows[found], key[found], order[at[found]]
    if not len(key):
        return lower
    order = np.lexsort((a_rows, key))  # each pair's shared corners in the first ring's order
    a_rows, b_rows, key, pair = a_rows[order], b_rows[order], key[order], pair[order]
    nxt = np.arange(1, len(key) + 1)
    group_end = np.flatnonzero(np.append(key[1:] != key[:-1], True))
    group_start = np.concatenate([[0], group_end[:-1] + 1])
    nxt[group_end] = group_start  # the last corner of a pair goes on to its first (round the ring)
    single = group_end == group_start
    keep = np.ones(len(key), dtype=bool)
    keep[group_end[single]] = False  # one shared corner: no way between two
    a_from, a_to, b_from, b_to = a_rows, a_rows[nxt], b_rows, b_rows[nxt]
    ring_a, ring_b = owner[a_from], owner[b_from]
    way_a = _ways(step, perimeter[ring_a], a_from, a_to)
    forth = _ways(step, perimeter[ring_b], b_from, b_to)
    way_b = np.minimum(forth, perimeter[ring_b] - forth)
    chord = np.hypot(*(start[a_to] - start[a_from]).T)
    off = (np.sqrt(np.clip(way_a ** 2 - chord ** 2, 0, None)) + np.sqrt(np.clip(way_b ** 2 - chord ** 2, 0, None))) / 2
    # the ways are sums of a ring's rounded steps (~1e-12 m off): kept clear of, so that the bound stays below the
    # clipped length
    rounding = np.sqrt(chord * 1e-8)
    counted = keep & (chord > 0) & (off + rounding <= tolerance)
    lower += np.bincount(pair[counted], weights=way_a[counted], minlength=len(first))
    return lower


def _ways(step: np.ndarray, perimeter: np.ndarray, start: np.ndarray, to: np.ndarray) -> np.ndarray:
    """The length along a ring from the start of segment `start` on to the start of segment `to` (positions in
    `step`, the segments' lengths, both of one ring of that `perimeter`): the steps between them summed on their own
    (a running sum over all rings, less its value at the ring's start, lost centimetres to rounding at a million
    parcels)."""
    low, high = np.minimum(start, to), np.maximum(start, to)
    at = np.empty(2 * len(low), dtype=np.intp)
    at[0::2], at[1::2] = low, high
    between = np.add.reduceat(np.append(step, 0.0), at)[0::2] if len(at) else np.zeros(0)
    between[low == high] = 0.0  # reduceat gives the step itself where the bounds meet
    return np.where(to >= start, between, perimeter - between)


def _point_codes(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(code of each segment's start, of its end, number of codes): equal codes exactly where the points are equal
    (== on both coordinates: 0.0 and -0.0 are one point), -1 for a point with a NaN coordinate.

    The points go through one hash table (pandas' factorize, (x, y) as one complex number). A ring's segments follow
    one another, so a segment's end is the next one's start wherever those are equal: only the other ends (one per
    ring, mostly) are hashed as well."""
    n = len(start)
    follows = np.zeros(n, dtype=bool)
    follows[:-1] = (end[:-1] == start[1:]).all(axis=1)
    points = np.concatenate([start, end[~follows]]) + 0.0  # -0.0 + 0.0 is 0.0
    codes, distinct = pd.factorize(points.view(np.complex128).ravel())
    codes = codes.astype(np.int64)
    codes[np.isnan(points).any(axis=1)] = -1  # NaN matches nothing, whatever the pandas version makes of it
    at_start = codes[:n]
    at_end = np.empty(n, dtype=np.int64)
    at_end[:-1] = at_start[1:]
    at_end[~follows] = codes[n:]
    return at_start, at_end, len(distinct)


def _boundary_segments(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, owner) of every segment of every ring of the polygons, owner being the position in `geoms`;
    ordered by owner, a ring's segments in its order.

    A polygon without holes is its exterior ring: its segments are read straight from its coordinates, without
    making a boundary geometry of each (half the time of `_common_edge_lengths` at 340k parcels); polygons with
    holes and multipolygons go through their boundaries' lines, so no segment joins two rings."""
    simple = np.flatnonzero((shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON)
                            & (shapely.get_num_interior_rings(geoms) == 0))
    points, which = shapely.get_coordinates(geoms[simple], return_index=True)
    same = which[1:] == which[:-1]
    starts, ends, owners = [points[:-1][same]], [points[1:][same]], [simple[which[:-1][same]]]
    other = np.setdiff1d(np.arange(len(geoms)), simple)
    if len(other):
        lines, owner = shapely.get_parts(shapely.boundary(geoms[other]), return_index=True)
        points, line = shapely.get_coordinates(lines, return_index=True)
        same = line[1:] == line[:-1]
        starts.append(points[:-1][same])
        ends.append(points[1:][same])
        owners.append(other[owner[line[:-1][same]]])
    start, end, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    if len(other):
        order = np.argsort(owner, kind="stable")
        start, end, owner = start[order], end[order], owner[order]
    return start, end, owner


# Rings of up to this many edges lend their edge lines to `_shared_length_bounds` (more: their box only).
_BOUND_RING_EDGES = 8


def _shared_length_bounds(geoms: np.ndarray, segments, first: np.ndarray, second: np.ndarray,
                          tolerance: float = 0.0) -> tuple[np.ndarray, float]:
    """(upper, slack): per pair, a bound of the length of first's boundary on or inside second — the measure
    `shared_edges` clips — such that the clipped length is below `upper + slack` wherever that is below the
    threshold, without clipping anything.

    Each segment of first's boundary is cut (Cyrus–Beck) to a convex region that holds second: its box, and the
    inner side of every edge line of its ring (a simple polygon of up to `_BOUND_RING_EDGES` edges) that has the
    whole ring on that side — for a convex parcel the parcel itself. Every cut is widened by `slack` (a millionth of
    a metre, more for coordinates beyond 10⁶), far above the rounding of these differences of nearby coordinates
    and of GEOS's noding, so the part kept holds the part of the segment that is truly in second. Two parcels
    meeting in a corner keep a point of each segment: a few millionths of a metre in all. With a `tolerance`, the
    region is widened by it too: it then holds every point within the tolerance of second."""
    start, end, owner = segments
    n = len(geoms)
    lo = np.searchsorted(owner, np.arange(n))
    count = np.searchsorted(owner, np.arange(n), side="right") - lo
    boxes = shapely.bounds(geoms)
    finite = np.isfinite(boxes).all(axis=1)  # an empty geometry's box is NaN: such pairs are left to the clip
    finite[owner[~(np.isfinite(start).all(axis=1) & np.isfinite(end).all(axis=1))]] = False
    reach = np.abs(start[finite[owner]]).max() if finite[owner].any() else 0.0
    slack = 1e-6 * max(1.0, float(reach) / 1e6)
    widen = slack + tolerance
    reps = count[first]
    pair = np.repeat(np.arange(len(first)), reps)
    seg = np.repeat(lo[first] - (np.cumsum(reps) - reps), reps) + np.arange(len(pair))
    other = second[pair]
    box = boxes[other]
    p, q = start[seg], end[seg]
    near = ((np.minimum(p[:, 0], q[:, 0]) <= box[:, 2] + widen) & (np.maximum(p[:, 0], q[:, 0]) >= box[:, 0] - widen)
            & (np.minimum(p[:, 1], q[:, 1]) <= box[:, 3] + widen)
            & (np.maximum(p[:, 1], q[:, 1]) >= box[:, 1] - widen))
    pair, other, box, p, q = pair[near], other[near], box[near], p[near], q[near]
    d = q - p
    t0, t1 = np.zeros(len(p)), np.ones(len(p))
    _cut(t0, t1, box[:, 0] - widen - p[:, 0], -d[:, 0])
    _cut(t0, t1, p[:, 0] - box[:, 2] - widen, d[:, 0])
    _cut(t0, t1, box[:, 1] - widen - p[:, 1], -d[:, 1])
    _cut(t0, t1, p[:, 1] - box[:, 3] - widen, d[:, 1])
    rings = np.unique(other)
    simple = ((shapely.get_type_id(geoms[rings]) == shapely.GeometryType.POLYGON)
              & (shapely.get_num_interior_rings(geoms[rings]) == 0)
              & (count[rings] >= 3) & (count[rings] <= _BOUND_RING_EDGES))
    if simple.any():
        rings = rings[simple]
        edges = int(count[rings].max())
        k = np.arange(edges)
        at = lo[rings][:, None] + np.minimum(k, count[rings][:, None] - 1)  # the last edge repeated as padding
        a, b = start[at], end[at]
        edge = b - a
        length = np.hypot(edge[..., 0], edge[..., 1])
        from_first, to_first = a - a[:, :1], b - a[:, :1]
        twice_area = np.where(k < count[rings][:, None], from_first[..., 0] * to_first[..., 1]
                              - from_first[..., 1] * to_first[..., 0], 0.0).sum(axis=1)
        turn = np.sign(twice_area)[:, None]  # +1 counter-clockwise
        with np.errstate(divide="ignore", invalid="ignore"):
            nx, ny = turn * edge[..., 1] / length, -turn * edge[..., 0] / length  # outward unit normals
        beyond = (nx[:, :, None] * (a[:, None, :, 0] - a[:, :, None, 0])
                  + ny[:, :, None] * (a[:, None, :, 1] - a[:, :, None, 1])).max(axis=2)
        supporting = (length > 0) & (turn != 0) & (beyond <= slack / 2)  # the whole ring on its inner side
        where = np.minimum(np.searchsorted(rings, other), len(rings) - 1)
        rows = np.flatnonzero(rings[where] == other)
        for j in range(edges):
            use = rows[supporting[where[rows], j]]
            ring = where[use]
            ux, uy = nx[ring, j], ny[ring, j]
            kept0, kept1 = t0[use], t1[use]
            _cut(kept0, kept1, ux * (p[use, 0] - a[ring, j, 0]) + uy * (p[use, 1] - a[ring, j, 1]) - widen,
                 ux * d[use, 0] + uy * d[use, 1])
            t0[use], t1[use] = kept0, kept1
    kept = np.clip(t1 - t0, 0.0, None) * np.hypot(d[:, 0], d[:, 1])
    upper = np.bincount(pair, weights=kept, minlength=len(first)).astype(float)  # int when nothing is kept
    upper[~finite[first] | ~finite[second]] = np.inf
    return upper, slack


def _cut(t0: np.ndarray, t1: np.ndarray, excess: np.ndarray, along: np.ndarray) -> None:
    """Narrow each segment's kept interval [t0, t1] (of p + t·d) to where excess + t·along ≤ 0, in place."""
    with np.errstate(divide="ignore", invalid="ignore"):
        limit = -excess / along
    np.minimum(t1, np.where(along > 0, limit, np.inf), out=t1)
    np.maximum(t0, np.where(along < 0, limit, -np.inf), out=t0)
    t1[(along == 0) & (excess > 0)] = -np.inf


def connected_components(n: int, first, second) -> np.ndarray:
    """Component label (the smallest member position) of each of `n` nodes joined by the edges (first, second).

    A vectorised union–find: every round hooks each edge's larger root under its smaller one, then compresses
    paths by pointer jumping, until no edge joins two roots. scipy and networkx are not available inside QGIS's
    Python, and a few numpy rounds are enough for the small graphs of neighbouring parcels.
    """
    first = np.asarray(first, dtype=np.intp)
    second = np.asarray(second, dtype=np.intp)
    parent = np.arange(n, dtype=np.intp)
    while True:
        root_first, root_second = parent[first], parent[second]
        joined = root_first != root_second
        if not joined.any():
            return parent
        high = np.maximum(root_first[joined], root_second[joined])
        low = np.minimum(root_first[joined], root_second[joined])
        np.minimum.at(parent, high, low)
        parent = _compress(parent)


def _compress(parent: np.ndarray) -> np.ndarray:
    """Point every node straight at its root (parent[root] == root; parents never exceed their node)."""
    while True:
        grandparent = parent[parent]
        if np.array_equal(grandparent, parent):
            return parent
        parent = grandparent
