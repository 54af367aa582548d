"""Vectorised geometry: floor area per parcel (checked against brute force), repair, shared edges, components."""
import threading

import numpy as np
import pytest
import shapely
from shapely import Polygon, box

from land_bureau_plugin.analysis import overlay
from land_bureau_plugin.analysis.overlay import (
    connected_components,
    floor_area_per_parcel,
    make_polygonal,
    shared_edges,
)

BOW_TIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # two 25 m² triangles meeting in a point, invalid


def synthetic_layers(nx: int, ny: int, n_buildings: int, seed: int = 0, cell: float = 60.0,
                     inside_share: float = 0.9):
    """A jittered grid of nx × ny quadrilateral parcels sharing their edges, and rotated rectangular buildings:
    `inside_share` of them small and near a parcel's centre, the rest anywhere (across edges, outside the grid).

    Also used to time the overlay at 100k parcels / 150k buildings (see the efficiency report)."""
    rng = np.random.default_rng(seed)
    gx, gy = np.meshgrid(np.arange(nx + 1) * cell, np.arange(ny + 1) * cell, indexing="ij")
    gx = gx + rng.uniform(-cell / 8, cell / 8, gx.shape)
    gy = gy + rng.uniform(-cell / 8, cell / 8, gy.shape)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij"))
    corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
    parcels = shapely.polygons(np.stack([np.stack([gx[a, b], gy[a, b]], axis=-1) for a, b in corners], axis=1))

    inside = rng.random(n_buildings) < inside_share
    owner = rng.integers(0, nx * ny, n_buildings)
    centre_x = np.where(inside, (i[owner] + 0.5) * cell + rng.uniform(-cell / 6, cell / 6, n_buildings),
                        rng.uniform(-cell, (nx + 1) * cell, n_buildings))
    centre_y = np.where(inside, (j[owner] + 0.5) * cell + rng.uniform(-cell / 6, cell / 6, n_buildings),
                        rng.uniform(-cell, (ny + 1) * cell, n_buildings))
    half_w = np.where(inside, rng.uniform(2, 7, n_buildings), rng.uniform(2, 40, n_buildings))
    half_h = np.where(inside, rng.uniform(2, 7, n_buildings), rng.uniform(2, 20, n_buildings))
    angle = np.where(inside, 0.0, rng.uniform(0, np.pi, n_buildings))
    unit = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)], dtype=float)
    local_x, local_y = unit[:, 0] * half_w[:, None], unit[:, 1] * half_h[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    coords = np.stack([centre_x[:, None] + cos * local_x - sin * local_y,
                       centre_y[:, None] + sin * local_x + cos * local_y], axis=-1)
    buildings = shapely.polygons(coords)
    floors = rng.integers(1, 9, n_buildings).astype(float)
    return parcels, buildings, floors


def brute_force(parcels, buildings, floors):
    """Every building against every parcel, no index, no containment shortcut."""
    floor_area = np.zeros(len(parcels))
    footprint = np.zeros(len(parcels))
    for building, storeys in zip(buildings, floors):
        clipped = shapely.area(shapely.intersection(building, parcels))
        footprint += clipped
        floor_area += clipped * storeys
    return floor_area, footprint


def test_floor_areas_match_brute_force_on_a_random_layer():
    parcels, buildings, floors = synthetic_layers(20, 15, 600, seed=3, inside_share=0.6)
    result = floor_area_per_parcel(parcels, buildings, floors)
    expected_floor, expected_footprint = brute_force(parcels, buildings, floors)
    np.testing.assert_allclose(result.footprint_area, expected_footprint, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(result.floor_area, expected_floor, rtol=1e-9, atol=1e-6)
    assert (result.footprint_area > 0).sum() > 200  # the layer really exercises the overlay


def test_threaded_path_gives_the_same_result(monkeypatch):
    parcels, buildings, floors = synthetic_layers(20, 15, 600, seed=5, inside_share=0.6)
    single = floor_area_per_parcel(parcels, buildings, floors)
    monkeypatch.setattr(overlay, "_PARALLEL_MIN_SIZE", 1)
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 3)
    threaded = floor_area_per_parcel(parcels, buildings, floors)
    np.testing.assert_allclose(threaded.floor_area, single.floor_area, rtol=1e-12)
    np.testing.assert_allclose(threaded.footprint_area, single.footprint_area, rtol=1e-12)


def test_threaded_shared_edges_give_the_same_pairs(monkeypatch):
    parcels, _, _ = synthetic_layers(20, 15, 0, seed=2)
    single = shared_edges(parcels, min_length=5.0)
    monkeypatch.setattr(overlay, "_PARALLEL_MIN_SIZE", 1)
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    threaded = shared_edges(parcels, min_length=5.0)
    for expected, found in zip(single, threaded):
        np.testing.assert_array_equal(found, expected)
    assert len(single[0]) == 19 * 15 + 20 * 14  # every edge neighbour of the grid, no diagonal


def test_rounds_on_threads_give_the_same_results_with_progress_in_order(monkeypatch):
    parcels, buildings, floors = synthetic_layers(20, 15, 600, seed=5, inside_share=0.6)
    parcels[::2] = shapely.segmentize(parcels[::2], 7.0)  # shared sides measured by clipping
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 1)
    single = floor_area_per_parcel(parcels, buildings, floors)
    edges = shared_edges(parcels, 5.0)
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 3)
    monkeypatch.setattr(overlay, "_MIN_ROUND_SIZE", 1)  # many rounds, three at a time
    monkeypatch.setattr(overlay, "_PARALLEL_MIN_SIZE", 1)  # the tree queried in slices on threads too
    threads = []
    work = overlay._in_rounds

    def in_rounds(owner, round_work, progress=None):
        def noted(rows):
            threads.append(threading.get_ident())
            round_work(rows)
        work(owner, noted, progress)

    monkeypatch.setattr(overlay, "_in_rounds", in_rounds)
    shares = []
    threaded = floor_area_per_parcel(parcels, buildings, floors, progress=shares.append)
    for name in ("floor_area", "footprint_area", "pair_building", "pair_parcel", "pair_area"):
        np.testing.assert_array_equal(getattr(threaded, name), getattr(single, name))
    assert len(shares) >= 12 and shares == sorted(shares) and shares[-1] == 1.0
    assert len(set(threads)) > 1 and threading.get_ident() not in threads
    for expected, found in zip(edges, shared_edges(parcels, 5.0)):
        np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("size", [1, 3, 37, 10**9])
def test_rounds_hold_every_pair_once_and_their_owners_whole(size):
    owner = np.random.default_rng(4).integers(0, 50, 1000)
    rounds = list(overlay._rounds(owner, size))
    rows = np.concatenate([r for r, _ in rounds])
    assert sorted(rows.tolist()) == list(range(1000))  # every pair once (no pair in two rounds)
    owners = [set(owner[r].tolist()) for r, _ in rounds]
    assert all(not (a & b) for k, a in enumerate(owners) for b in owners[k + 1:])
    assert [done for _, done in rounds] == sorted(done for _, done in rounds) and rounds[-1][1] == 1.0


def test_tree_query_in_slices_gives_the_pairs_of_one_query(monkeypatch):
    parcels, buildings, _ = synthetic_layers(12, 10, 500, seed=9, inside_share=0.5)
    tree = shapely.STRtree(parcels)
    whole = tree.query(buildings)
    near = tree.query(buildings, predicate="dwithin", distance=3.0)
    monkeypatch.setattr(overlay, "_PARALLEL_MIN_SIZE", 1)
    for cores in (2, 3, 4):
        monkeypatch.setattr(overlay, "_usable_cores", lambda c=cores: c)
        np.testing.assert_array_equal(overlay.tree_query(tree, buildings), whole)
        np.testing.assert_array_equal(overlay.tree_query(tree, buildings, predicate="dwithin", distance=3.0), near)


def test_a_distance_query_goes_to_threads_from_its_own_smaller_size(monkeypatch):
    """buildings_within asks for threads from 1,000 parcels on (a distance query costs ten box queries): fewer
    queries than `_PARALLEL_MIN_SIZE` are sliced when the caller says so, with the pairs of one query."""
    parcels, buildings, _ = synthetic_layers(12, 10, 500, seed=9, inside_share=0.5)
    tree = shapely.STRtree(parcels)
    near = tree.query(buildings, predicate="dwithin", distance=3.0)
    pools = []
    real_pool = overlay.ThreadPoolExecutor
    monkeypatch.setattr(overlay, "ThreadPoolExecutor", lambda workers: pools.append(workers) or real_pool(workers))
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    assert len(buildings) < overlay._PARALLEL_MIN_SIZE
    np.testing.assert_array_equal(overlay.tree_query(tree, buildings, predicate="dwithin", distance=3.0), near)
    assert pools == []
    sliced = overlay.tree_query(tree, buildings, parallel_from=len(buildings), predicate="dwithin", distance=3.0)
    np.testing.assert_array_equal(sliced, near)
    assert pools == [2]
    np.testing.assert_array_equal(overlay.tree_query(tree, buildings, parallel_from=len(buildings) + 1,
                                                     predicate="dwithin", distance=3.0), near)
    assert pools == [2]


def test_a_building_across_two_parcels_counts_in_each_by_its_clipped_part():
    parcels = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)])
    buildings = np.array([box(70, 40, 110, 60)])  # 30 × 20 in the first parcel, 10 × 20 in the second
    result = floor_area_per_parcel(parcels, buildings, [3])
    np.testing.assert_allclose(result.footprint_area, [600, 200])
    np.testing.assert_allclose(result.floor_area, [1800, 600])
    assert sorted(result.pair_parcel.tolist()) == [0, 1]


def test_a_building_inside_counts_whole_and_one_touching_the_edge_from_inside_too():
    parcels = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)])
    buildings = np.array([box(10, 10, 30, 30), box(80, 0, 100, 10)])  # the second lies against the shared edge
    result = floor_area_per_parcel(parcels, buildings, [2, 1])
    np.testing.assert_allclose(result.floor_area, [800 + 200, 0])
    assert result.pair_parcel.tolist() == [0, 0]  # the touching neighbour is not a pair


def test_bow_tie_parcel_and_building_are_repaired_and_reported():
    parcels = np.array([BOW_TIE, box(20, 0, 30, 10)])
    buildings = np.array([box(20, 0, 30, 10), BOW_TIE, None])
    result = floor_area_per_parcel(parcels, buildings, [1, 2, 1])
    assert result.parcels.repaired.tolist() == [0]
    assert result.buildings.repaired.tolist() == [1]
    assert result.buildings.empty.tolist() == [2]
    np.testing.assert_allclose(result.footprint_area, [50, 100])
    np.testing.assert_allclose(result.floor_area, [100, 100])


def test_make_polygonal_keeps_polygonal_parts_and_reports_empty_ones():
    spike = Polygon([(0, 0), (2, 0), (2, 2), (3, 3), (2, 2), (0, 2)])  # repairs to a square plus a line
    geoms, report = make_polygonal([spike, shapely.LineString([(0, 0), (1, 1)]), None, box(0, 0, 1, 1),
                                    Polygon()])
    assert report.repaired.tolist() == [0]
    assert report.empty.tolist() == [1, 2, 4]
    assert shapely.area(geoms).tolist() == [4.0, 0.0, 0.0, 1.0, 0.0]
    assert all(shapely.get_type_id(geoms) != shapely.GeometryType.GEOMETRYCOLLECTION)


def test_a_multipolygon_of_overlapping_parts_is_the_land_they_cover():
    """Repaired part by part and joined: 16,000 m², and a building in the overlap counts once (the repair of the
    whole kept what exactly one part covers: 12,000 m², the overlap a hole — the building there on no parcel)."""
    plan = shapely.MultiPolygon([box(0, 0, 100, 100), box(50, 20, 150, 120)])
    crossing = shapely.MultiPolygon([Polygon([(200, 0), (210, 10), (210, 0), (200, 10)]), box(200, 20, 210, 30)])
    geoms, report = make_polygonal([plan, crossing])
    assert report.repaired.tolist() == [0, 1] and shapely.area(geoms).tolist() == [16000.0, 150.0]
    result = floor_area_per_parcel(np.array([plan]), np.array([box(60, 30, 90, 90)]), [2])
    np.testing.assert_allclose(result.floor_area, [2 * 30 * 60])


def test_cleaning_runs_on_a_thread_of_its_own_and_gives_what_make_polygonal_gives(monkeypatch):
    """overlay.Cleaning: make_polygonal begun on another thread (the caller goes on meanwhile), its result the one
    make_polygonal gives; with one usable core it is done at once on the caller's thread."""
    geoms = [BOW_TIE, None, box(0, 0, 1, 1), shapely.LineString([(0, 0), (1, 1)])]
    expected, expected_report = make_polygonal(geoms)
    threads, started, release = [], threading.Event(), threading.Event()
    original = overlay.make_polygonal

    def recorded(values):
        threads.append(threading.current_thread())
        started.set()
        release.wait(5)  # the caller gets on with its work before the check is done
        return original(values)

    monkeypatch.setattr(overlay, "make_polygonal", recorded)
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    cleaning = overlay.Cleaning(geoms)  # returns while the check waits for `release`
    assert started.wait(5) and threads[0] is not threading.main_thread()
    release.set()
    found, report = cleaning.result()
    assert shapely.equals_exact(found, expected).all()
    assert report.repaired.tolist() == expected_report.repaired.tolist() == [0]
    assert report.empty.tolist() == expected_report.empty.tolist() == [1, 3]

    monkeypatch.setattr(overlay, "_usable_cores", lambda: 1)
    threads.clear()
    overlay.Cleaning(geoms)
    assert threads == [threading.main_thread()]


def test_cleaning_raises_its_error_on_the_caller_thread(monkeypatch):
    def broken(_values):
        raise MemoryError("no room")

    monkeypatch.setattr(overlay, "make_polygonal", broken)
    monkeypatch.setattr(overlay, "_usable_cores", lambda: 2)
    cleaning = overlay.Cleaning([box(0, 0, 1, 1)])
    with pytest.raises(MemoryError, match="no room"):
        cleaning.result()


def test_no_buildings_means_zero_floor_area_per_parcel():
    result = floor_area_per_parcel(np.array([box(0, 0, 1, 1)]), np.array([], dtype=object), [])
    assert result.floor_area.tolist() == [0.0]


def test_floors_must_match_the_buildings():
    with pytest.raises(ValueError, match="2 floor values for 1 buildings"):
        floor_area_per_parcel(np.array([box(0, 0, 1, 1)]), np.array([box(0, 0, 1, 1)]), [1, 2])


def test_shared_edges_ignore_corner_touches_and_short_edges():
    geoms = np.array([
        box(0, 0, 100, 100),
        box(100, 0, 200, 100),  # shares 100 m with 0
        box(200, 100, 300, 200),  # touches 1 in a corner only
        box(100, 100, 103, 200),  # shares 3 m with 1, a corner with 0
    ])
    first, second, length = shared_edges(geoms, min_length=5.0)
    assert list(zip(first.tolist(), second.tolist())) == [(0, 1)]
    assert length.tolist() == [100.0]
    first, _, _ = shared_edges(geoms, min_length=1.0)
    assert len(first) == 2


def test_shared_edges_survive_a_digitising_sliver():
    geoms = np.array([box(0, 0, 100, 100), box(99.9, 0, 200, 100)])  # 10 cm overlap instead of a common edge
    _, _, length = shared_edges(geoms, min_length=5.0)
    assert length.tolist() == pytest.approx([100.2])


def t_junction(offset: float):
    """Two parcels along x = 100 (100 m of common boundary); the second has a third neighbour's corner in the middle
    of its edge, (100 + offset, 50): off the first parcel's edge by `offset`, to the second's side when positive (a
    gap between them), to the first's when negative (they overlap by a sliver)."""
    return np.array([box(0, 0, 100, 100), Polygon([(100, 0), (200, 0), (200, 100), (100, 100), (100 + offset, 50)])])


@pytest.mark.parametrize("offset", [1e-9, 1e-6, 0.004])
def test_a_neighbours_vertex_off_the_edge_on_the_far_side_is_shared_within_the_tolerance(offset):
    """Rounding puts a T-junction's vertex off the line by ~1e-9 m: on the far side, the first parcel's edge met the
    second only at its two ends — 0 m of 100 m measured, and the two never merged."""
    geoms = t_junction(offset)
    assert len(shared_edges(geoms, 5.0)[0]) == 0  # exact: no tolerance, no shared edge
    first, second, length = shared_edges(geoms, 5.0, tolerance=0.01)
    assert list(zip(first.tolist(), second.tolist())) == [(0, 1)]
    assert length.tolist() == pytest.approx([100.0], abs=0.02)  # ≤ the tolerance more at each end (its corners)


def test_a_neighbours_vertex_off_the_edge_on_the_near_side_was_always_shared():
    first, _, length = shared_edges(t_junction(-1e-9), 5.0)
    assert first.tolist() == [0] and length.tolist() == pytest.approx([100.0], abs=1e-6)


@pytest.mark.parametrize(("gap", "shared"), [(0.0099, True), (0.0101, False), (0.5, False)])
def test_a_gap_between_neighbours_just_within_and_just_beyond_the_tolerance(gap, shared):
    """Neighbours apart by a parallel gap (a CAD export's millimetres): shared up to the tolerance, not beyond.
    The shared length is then the first one's edge, 100 m — and at each end up to the tolerance of its other sides,
    within it of the second one's corners."""
    geoms = np.array([box(0, 0, 100, 100), box(100 + gap, 0, 200, 100)])
    first, _, length = shared_edges(geoms, 5.0, tolerance=0.01)
    assert len(first) == int(shared)
    if shared:
        assert length.tolist() == pytest.approx([100.0], abs=0.02)


def test_a_corner_within_the_tolerance_shares_only_the_tolerance():
    """Parcels meeting in a corner, or nearly: within the tolerance, the first one's boundary near the second is
    a couple of centimetres long, far under the 5 m; at 1 cm a pair in, at 5 m none."""
    geoms = np.array([box(0, 0, 100, 100), box(100.005, 100.005, 200, 200)])
    assert len(shared_edges(geoms, 5.0, tolerance=0.01)[0]) == 0
    first, _, length = shared_edges(geoms, 0.001, tolerance=0.01)
    assert first.tolist() == [0] and 0 < length[0] < 0.03


def surveyed_grid(seed: int, size: int = 7, side: float = 20.0):
    """A grid of squares made to look surveyed: each ring cut into pieces of its own length (so neighbours share
    their corners, not the vertices between), the whole turned by 17°, and some squares given a neighbour's corner
    in the middle of an edge, off it by up to 3 mm either way."""
    rng = np.random.default_rng(seed)
    squares = [box(x * side, y * side, (x + 1) * side, (y + 1) * side) for x in range(size) for y in range(size)]
    geoms = []
    for square in squares:
        shape = shapely.segmentize(square, side / rng.integers(1, 6))
        if rng.random() < 0.3:  # a T-junction: one more vertex, just off the middle of the first edge
            ring = list(shape.exterior.coords)[:-1]
            (x0, y0), (x1, y1) = ring[0], ring[1]
            ring.insert(1, ((x0 + x1) / 2 + rng.uniform(-0.003, 0.003), (y0 + y1) / 2 + rng.uniform(-0.003, 0.003)))
            shape = Polygon(ring)
        geoms.append(shape)
    centre = size * side / 2
    angle = np.radians(17.0)
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    return shapely.transform(np.array(geoms, dtype=object), lambda xy: (xy - centre) @ turn + centre + 500000.0)


@pytest.mark.parametrize("seed", range(4))
def test_shared_corners_bound_the_shared_length_from_below_and_decide_most_neighbours(seed):
    """The bound from shared corners (`_common_chain_lengths`) never exceeds the length measured by clipping each
    pair (brute force: the first's boundary within 1 cm of the second, shapely's buffer), and it alone decides most
    neighbours; the pairs `shared_edges` gives are the brute force's."""
    from land_bureau_plugin.analysis import overlay

    geoms = surveyed_grid(seed)
    tolerance, min_length = 0.01, 5.0
    first, second = overlay._candidate_pairs(overlay._grown_boxes(geoms, tolerance), geoms)
    keep = first < second
    first, second = first[keep], second[keep]
    measured = shapely.length(shapely.intersection(shapely.boundary(geoms[first]),
                                                   shapely.buffer(geoms[second], tolerance, quad_segs=8)))
    lower = overlay._common_chain_lengths(geoms, first, second, overlay._boundary_segments(geoms), tolerance)
    assert (lower <= measured + 1e-9).all()
    neighbours = measured >= min_length
    assert (lower[neighbours] >= min_length).mean() > 0.9
    found = shared_edges(geoms, min_length, tolerance=tolerance)
    assert set(zip(found[0].tolist(), found[1].tolist())) == set(zip(first[neighbours].tolist(),
                                                                     second[neighbours].tolist()))


def test_shared_edges_at_the_threshold():
    geoms = np.array([box(0, 0, 10, 5), box(10, 0, 20, 5)])  # one common edge of exactly 5 m
    assert shared_edges(geoms, min_length=5.0)[2].tolist() == [5.0]
    assert len(shared_edges(geoms, min_length=5.0 + 1e-7)[0]) == 0
    assert len(shared_edges(geoms, min_length=5.0 - 1e-7)[0]) == 1


def test_edges_shared_vertex_for_vertex_count_only_for_their_length():
    """4 m of edge shared vertex for vertex (both have the corner (10, 4)): in at 3 m, out at 5 m — the rest of
    the second parcel's side is not on the first."""
    geoms = np.array([box(0, 0, 10, 4), Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (10, 4)])])
    assert shared_edges(geoms, min_length=3.0)[2].tolist() == [4.0]
    assert len(shared_edges(geoms, min_length=5.0)[0]) == 0


def test_a_common_side_split_differently_is_still_measured_whole():
    """4 m shared vertex for vertex and 6 m more where one side has a vertex the other lacks: 10 m in all."""
    geoms = np.array([Polygon([(0, 0), (10, 0), (10, 4), (10, 10), (0, 10)]),
                      Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (10, 7), (10, 4)])])
    first, second, length = shared_edges(geoms, min_length=5.0)
    assert list(zip(first.tolist(), second.tolist())) == [(0, 1)]
    assert length.tolist() == pytest.approx([10.0])


@pytest.mark.parametrize("min_length", [5.0, 40.0, 59.0])
def test_shared_edges_of_a_grid_half_resampled_are_the_brute_force_ones(min_length):
    """Every other parcel of a jittered grid gets extra vertices on its sides (its neighbours do not), so some
    pairs share edges vertex for vertex and others only along differently split sides; the pairs are those of
    measuring every pair with shapely one by one, their lengths that measure or (decided by common edges alone)
    between min_length and it."""
    parcels, _, _ = synthetic_layers(12, 10, 0, seed=4)
    parcels[::2] = shapely.segmentize(parcels[::2], 7.0)
    first, second, length = shared_edges(parcels, min_length=min_length)
    expected = {}
    for i in range(len(parcels)):
        for j in range(i + 1, len(parcels)):
            if parcels[i].intersects(parcels[j]):
                shared = parcels[i].boundary.intersection(parcels[j]).length
                if shared >= min_length:
                    expected[(i, j)] = shared
    found = dict(zip(zip(first.tolist(), second.tolist()), length.tolist()))
    assert found.keys() == expected.keys() and len(found) > 50
    # a length is the measured one, or for a pair decided by its common edges theirs: at least min_length, and
    # never more than measured (edges split on both sides by segmentize differ in the last digits, so not all count)
    for key, value in found.items():
        assert min_length <= value <= expected[key] * (1 + 1e-9)
    assert sum(value == pytest.approx(expected[key], rel=1e-9) for key, value in found.items()) > len(found) / 2


def test_connected_components_label_by_smallest_member():
    labels = connected_components(7, [5, 4, 1, 3], [4, 2, 3, 0])
    assert labels.tolist() == [0, 0, 2, 0, 2, 2, 6]
    assert connected_components(3, [], []).tolist() == [0, 1, 2]


def test_connected_components_of_a_long_shuffled_chain():
    rng = np.random.default_rng(1)
    order = rng.permutation(2000)
    labels = connected_components(2000, order[:-1], order[1:])
    assert (labels == 0).all()


def test_small_rounds_give_the_same_results_and_report_progress(monkeypatch):
    parcels, buildings, floors = synthetic_layers(20, 15, 600, seed=7, inside_share=0.6)
    whole = floor_area_per_parcel(parcels, buildings, floors)
    monkeypatch.setattr(overlay, "_ROUND_SIZE", 37)
    shares = []
    rounds = floor_area_per_parcel(parcels, buildings, floors, progress=shares.append)
    np.testing.assert_allclose(rounds.floor_area, whole.floor_area, rtol=1e-12)
    assert len(shares) > 10 and shares == sorted(shares) and shares[-1] == 1.0
    shares.clear()
    parcels[::2] = shapely.segmentize(parcels[::2], 7.0)  # sides split differently: measured by clipping, in rounds
    monkeypatch.setattr(overlay, "_ROUND_SIZE", 10**9)
    edges = shared_edges(parcels, 5.0)
    monkeypatch.setattr(overlay, "_ROUND_SIZE", 37)
    small = shared_edges(parcels, 5.0, progress=shares.append)
    assert sorted(zip(small[0], small[1])) == sorted(zip(edges[0], edges[1])) and len(small[0]) > 300
    assert len(shares) > 10 and shares[-1] == 1.0


@pytest.mark.parametrize("old_geos", [False, True])
def test_buildings_within_a_radius_are_the_brute_force_ones_at_below_and_above_exact_distances(monkeypatch,
                                                                                             old_geos):
    from land_bureau_plugin.analysis.efficiency_spatial import buildings_within

    if old_geos:  # the boxes-and-distances path GEOS before 3.10 takes
        monkeypatch.setattr(shapely, "geos_version", (3, 9, 0))
    parcels, buildings, _ = synthetic_layers(12, 10, 40, seed=5, inside_share=0.0)
    parcels = np.append(parcels, [shapely.Polygon(), box(-500, -500, -490, -490)])  # empty; far from all
    nearest = np.array([shapely.distance(p, buildings).min() if not shapely.is_empty(p) else np.inf
                        for p in parcels])
    distances = np.sort(nearest[np.isfinite(nearest) & (nearest > 0)])
    for radius in (0.0, *distances[[0, len(distances) // 2, -1]]):  # each one parcel's exact distance
        for r in (np.nextafter(radius, -1) if radius > 0 else 0.0, radius, np.nextafter(radius, np.inf)):
            expected = nearest <= r
            assert buildings_within(parcels, buildings, r).tolist() == expected.tolist()
    assert buildings_within(parcels, buildings, 1e6)[:-2].all() and not buildings_within(parcels, buildings, 1e6)[-2]


def test_shared_edges_of_parcels_with_holes_and_several_parts_are_the_brute_force_ones():
    """Segments are read from a simple polygon's coordinates and from the rings of the others: a parcel with a
    courtyard (a hole holding another parcel) and one in two parts share their edges as measured one by one."""
    parcels, _, _ = synthetic_layers(8, 6, 0, seed=9)
    parcels = list(parcels)
    hole = box(-40, -40, -20, -20)
    parcels.append(box(-60, -60, 0, 0).difference(hole))  # its hole's ring is shared whole with the next parcel
    parcels.append(hole)
    parcels.append(shapely.MultiPolygon([box(-60, 0, -10, 30), box(-60, 40, -10, 70)]))  # two parts, one above
    parcels.append(box(-60, 30, -10, 40))  # between the two parts: shares 50 m with each
    parcels = np.array(parcels, dtype=object)
    first, second, _ = shared_edges(parcels, min_length=5.0)
    expected = {(i, j) for i in range(len(parcels)) for j in range(i + 1, len(parcels))
                if parcels[i].intersects(parcels[j]) and parcels[i].boundary.intersection(parcels[j]).length >= 5.0}
    assert set(zip(first.tolist(), second.tolist())) == expected
    n = len(parcels)
    assert {(n - 4, n - 3), (n - 2, n - 1)} <= expected


def test_shared_length_bounds_hold_the_clipped_length_and_leave_corner_touches_out():
    """The bound that spares the clip is never below the clipped length, on convex and concave (L-shaped) parcels,
    with extra vertices, a courtyard and two parts; and two parcels meeting in a corner get next to nothing."""
    parcels, _, _ = synthetic_layers(10, 8, 0, seed=11)
    parcels[1::3] = shapely.segmentize(parcels[1::3], 6.0)
    parcels = list(parcels)
    parcels.append(Polygon([(-100, 0), (-40, 0), (-40, 20), (-80, 20), (-80, 60), (-100, 60)]))  # an L
    parcels.append(box(-80, 20, -40, 60))  # in the L's bend: shares 40 + 40 m of it
    parcels.append(box(-120, 60, -100, 80))  # the L's top-left corner only
    parcels.append(box(-60, -60, -20, -20).difference(box(-50, -50, -30, -30)))
    parcels.append(box(-50, -50, -30, -30))
    parcels.append(shapely.MultiPolygon([box(-150, 0, -130, 20), box(-150, 30, -130, 50)]))
    parcels.append(box(-150, 20, -130, 30))
    parcels = np.array(parcels, dtype=object)
    first, second = overlay._candidate_pairs(parcels, parcels)
    first, second = first[first != second], second[first != second]
    upper, slack = overlay._shared_length_bounds(parcels, overlay._boundary_segments(parcels), first, second)
    clipped = shapely.length(shapely.intersection(shapely.boundary(parcels[first]), parcels[second]))
    assert (upper + slack >= clipped).all() and (clipped > 0).sum() > 100
    n = len(parcels)
    corner = np.flatnonzero((first == n - 7) & (second == n - 5))
    assert len(corner) == 1 and upper[corner[0]] < 1e-4
    grid = (first < 80) & (second < 80) & (first % 3 != 1) & (second % 3 != 1)  # quadrilaterals as drawn
    touching = shapely.touches(parcels[first], parcels[second]) & (clipped == 0) & grid
    assert touching.sum() > 50 and (upper[touching] < 1e-4).all()  # corner touches of the grid


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # shapely on the NaN corner
def test_shared_length_bounds_leave_pairs_with_an_empty_or_broken_geometry_to_the_clip():
    parcels = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10), shapely.Polygon(),
                        shapely.Polygon([(20, 0), (30, 0), (30, 10), (20, np.nan)])], dtype=object)
    first, second = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3])
    upper, slack = overlay._shared_length_bounds(parcels, overlay._boundary_segments(parcels), first, second)
    assert upper[0] == pytest.approx(10.0, abs=1e-4) and np.isinf(upper[1:]).all() and 0 < slack < 1e-5


def many_vertex_grid(nx: int, ny: int, steps: int, seed: int = 0, cell: float = 60.0) -> np.ndarray:
    """A grid of nx × ny parcels whose sides carry `steps` - 1 jittered vertices each, every vertex shared by the
    parcels on both sides of it (as a survey's parcels are): rings of 4 × steps segments."""
    rng = np.random.default_rng(seed)
    size = (nx * steps + 1, ny * steps + 1)
    gx, gy = np.meshgrid(np.arange(size[0]) * cell / steps, np.arange(size[1]) * cell / steps, indexing="ij")
    gx, gy = gx + rng.uniform(-1, 1, size), gy + rng.uniform(-1, 1, size)
    parcels = []
    for i in range(nx):
        for j in range(ny):
            x0, y0, x1, y1 = i * steps, j * steps, (i + 1) * steps, (j + 1) * steps
            ring = ([(x, y0) for x in range(x0, x1)] + [(x1, y) for y in range(y0, y1)]
                    + [(x, y1) for x in range(x1, x0, -1)] + [(x0, y) for y in range(y1, y0, -1)])
            parcels.append(Polygon([(gx[a, b], gy[a, b]) for a, b in ring]))
    return np.array(parcels, dtype=object)


def common_edges_one_by_one(parcels, first, second):
    """The reference of `_common_edge_lengths`: per pair, the length of the segments found in both boundaries
    (a segment as the set of its two end points, counted once per boundary), in plain Python. An edge that more
    than two boundaries hold (a parcel drawn twice) joins the owners next to each other in position order only:
    a lower bound still, the clip measures the rest."""
    def segments(geom):
        found = {}
        for line in shapely.get_parts(geom.boundary):
            coords = [tuple(c) for c in shapely.get_coordinates(line).tolist()]
            for p, q in zip(coords, coords[1:]):
                if not any(np.isnan(p + q)):
                    found[frozenset((p, q))] = float(np.hypot(q[0] - p[0], q[1] - p[1]))
        return found

    per_parcel = [segments(g) if not g.is_empty else {} for g in parcels]
    owners = {}
    for k, edges in enumerate(per_parcel):
        for edge in edges:
            owners.setdefault(edge, []).append(k)

    def next_to(edge, i, j):
        held = owners[edge]
        return held.index(j) == held.index(i) + 1

    return np.array([sum(length for edge, length in per_parcel[i].items() if edge in per_parcel[j]
                         and next_to(edge, i, j)) for i, j in zip(first.tolist(), second.tolist())])


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # shapely on the NaN corner
def test_common_edge_lengths_are_the_ones_found_one_by_one():
    """Edges shared vertex for vertex, keyed by their end points' codes: on a grid whose sides all carry many
    vertices (a real city's parcels), half of it resampled so that some sides are split differently, with a ring
    that repeats a segment, a parcel drawn twice (three boundaries hold the same edges), a corner at -0.0 beside
    one at 0.0, a zero-length segment and a NaN corner — the lengths found one by one."""
    parcels = many_vertex_grid(9, 7, 6, seed=5)
    parcels[30::2] = shapely.segmentize(parcels[30::2], 3.0)  # one side split further, the other not
    extra = [
        Polygon([(-10, 0), (0.0, 0), (0, 10), (-10, 10), (-10, 0)]),
        Polygon([(-20, -0.0), (-10, 0), (-10, 10), (-10, 10), (-20, 10)]),  # a zero-length segment; -0.0
        Polygon([(-20, -0.0), (-10, 0), (-10, 10), (-20, 10)]),  # drawn twice
        Polygon([(-30, 0), (-20, 0), (-20, 10), (-30, 10), (-30, 0), (-20, 0)]),  # repeats its first segment
        Polygon([(-10, 10), (0, 10), (0, 20), (-10, np.nan)]),
        Polygon([(-10, 20), (0, 20), (0, 30), (-10, 30)]),
    ]
    parcels = np.array(list(parcels) + extra, dtype=object)
    first, second = overlay._candidate_pairs(parcels, parcels)
    keep = first < second
    first, second = first[keep], second[keep]
    found = overlay._common_edge_lengths(parcels, first, second)
    expected = common_edges_one_by_one(parcels, first, second)
    assert found == pytest.approx(expected, rel=1e-12, abs=1e-12)
    n = len(parcels)
    shared = dict(zip(zip(first.tolist(), second.tolist()), found.tolist()))
    assert shared[(n - 5, n - 4)] == 40.0 and shared[(n - 6, n - 5)] == 10.0  # twice drawn; -0.0 meets 0.0
    assert shared[(n - 4, n - 3)] == 10.0 and shared[(n - 6, n - 2)] == 10.0  # repeated segment once; NaN parcel
    assert shared.get((n - 2, n - 1), 0.0) == 0.0  # the NaN corner's sides match nothing
    assert (found > 0).sum() > 50


def test_point_codes_are_equal_exactly_where_the_points_are():
    start = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [-0.0, 0.0], [np.nan, 2.0], [1.0, 1e-300]])
    end = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [5.0, 5.0], [np.nan, 2.0], [1.0, 0.0]])
    at_start, at_end, count = overlay._point_codes(start, end)
    points = np.concatenate([start, end])
    codes = np.concatenate([at_start, at_end])
    assert codes.max() < count and len(set(codes.tolist()) - {-1}) == 5
    for p, code_p in zip(points.tolist(), codes.tolist()):
        for q, code_q in zip(points.tolist(), codes.tolist()):
            if np.isnan(p).any() or np.isnan(q).any():
                assert code_p == -1 or code_q == -1
            else:
                assert (code_p == code_q) == (p == q)  # -0.0 == 0.0; 1e-300 ≠ 0


@pytest.mark.parametrize("min_length, expected", [(5.0 - 1e-7, [(0, 1)]), (5.0, [(0, 1)]), (5.0 + 1e-7, [])])
def test_a_side_of_many_segments_shared_vertex_for_vertex_at_the_threshold(min_length, expected):
    """A common side of 5 m in 8 segments (both parcels have all its vertices): below, at and above the threshold
    decided by the common edges as by the clip; the corner parcel touches in a point and never counts."""
    side = [(10.0, y) for y in (0.0, 0.5, 1.25, 2.0, 2.5, 3.0, 4.0, 4.75, 5.0)]
    left = Polygon([(0, 0)] + side + [(0, 5)])
    right = Polygon(side[::-1] + [(20, 0), (20, 5)])
    corner = box(20, 5, 30, 15)  # meets `right` at (20, 5) only
    first, second, _ = shared_edges(np.array([left, right, corner]), min_length=min_length)
    assert list(zip(first.tolist(), second.tolist())) == expected


def test_ways_along_a_ring_are_summed_on_their_own():
    """Ways between two vertices of a ring, forwards and round the end; after a million other segments (a running
    sum of ~1e8 m) still to the picometre — a running sum less its value at the ring's start was ~1e-8 m off."""
    from land_bureau_plugin.analysis.overlay import _ways

    step = np.concatenate([np.full(1_000_000, 100.0), [0.1, 0.2, 0.3, 0.4]])
    ring = 1_000_000 + np.arange(4)
    perimeter = np.full(3, 1.0)
    ways = _ways(step, perimeter, ring[[0, 2, 1]], ring[[2, 0, 1]])
    assert ways[0] == pytest.approx(0.3, abs=1e-12)  # 0.1 + 0.2
    assert ways[1] == pytest.approx(0.7, abs=1e-12)  # 0.3 + 0.4, round the end
    assert ways[2] == 0.0
