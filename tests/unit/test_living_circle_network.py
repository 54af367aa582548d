"""The living circle's network distances against an independent brute force, on generated networks with known
distances: rotated grids at Gauss-Krüger coordinates (so crossings fall between floating-point numbers), drawn as
long lines crossed by short segments that end on them without a shared vertex (T-junctions the engine must node),
some segments of a class a pedestrian may not walk, some one-way (walked both ways: the profile's rule for
pedestrians); ends within and just beyond the snapping tolerance; disconnected parts; homes exactly at, just under
and just over their circle's walk and the maximum access distance; polygon facilities entered at their edge.

The expected distance is computed here from the grid's own unit segments, never from the engine's noding: each point
attached to its nearest walkable segment by plain projection, Floyd–Warshall over the grid nodes, then the minimum
over every facility of (access leg + along the segment + shortest path + along + access leg)."""
import math

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, Point

from land_bureau_plugin.analysis import living_circle as lc
from land_bureau_plugin.analysis.living_circle_rules import LivingCircleRules
from land_bureau_plugin.rules.profile import load_profile, section

ORIGIN = np.array([531_517.123, 3_342_488.877])  # Xiaoshan in EPSG:4549: large coordinates, as real layers have


def rules_with(**changes) -> LivingCircleRules:
    values = {**load_profile()["living_circle"], **changes}
    return section({"living_circle": values}, "living_circle", LivingCircleRules)


def one_type(level_m=1000.0, **changes) -> LivingCircleRules:
    return rules_with(walking_m={"5min": level_m}, basic_types=["kindergarten"],
                      facilities={"kindergarten": {"level": "5min", "label": "幼儿园", "codes": ["幼儿园"]}}, **changes)


def run(homes, places, roads, rules):
    frame = pd.DataFrame({"population": np.ones(len(homes))})
    kinds = pd.Series(["kindergarten"] * len(places), dtype=object)
    return lc.evaluate(np.array(homes, dtype=object), frame, np.array(places, dtype=object), kinds,
                       None if roads is None else np.array(roads, dtype=object), rules)


# --- the independent brute force --------------------------------------------------------------------------------
def floyd_warshall(n, segments):
    """All-pairs shortest paths over nodes 0..n-1; `segments` (a, b, length) walked both ways."""
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for a, b, w in segments:
        dist[a, b] = dist[b, a] = min(dist[a, b], w)
    for k in range(n):
        dist = np.minimum(dist, dist[:, k:k + 1] + dist[k:k + 1, :])
    return dist


def heap_dijkstra(n, segments, source):
    """Plain Dijkstra (heapq) from node `source` over `segments` (a, b, length), both ways."""
    import heapq

    adjacent = [[] for _ in range(n)]
    for a, b, w in segments:
        adjacent[a].append((b, w))
        adjacent[b].append((a, w))
    best = np.full(n, np.inf)
    best[source] = 0.0
    queue = [(0.0, source)]
    while queue:
        d, u = heapq.heappop(queue)
        if d > best[u]:
            continue
        for v, w in adjacent[u]:
            if d + w < best[v]:
                best[v] = d + w
                heapq.heappush(queue, (d + w, v))
    return best


def project(p, a, b):
    """(offset along a→b, distance) of point p to segment a-b."""
    ab = b - a
    t = min(max(float(np.dot(p - a, ab) / np.dot(ab, ab)), 0.0), 1.0)
    return t * math.hypot(*ab), math.hypot(*(a + t * ab - p))


def nearest_segment(p, coords, segments):
    best = None
    for i, (a, b, _) in enumerate(segments):
        along, gap = project(p, coords[a], coords[b])
        if best is None or gap < best[2] - 1e-9:
            best = (i, along, gap)
    return best


def brute_force(homes, places, coords, segments, max_access=math.inf):
    """Each home's distance to its nearest place on the segment graph (inf: unreachable; NaN: no road access)."""
    table = floyd_warshall(len(coords), segments)
    attached = [nearest_segment(np.asarray(p, float), coords, segments) for p in places]
    out = []
    for h in homes:
        hi, ht, hacc = nearest_segment(np.asarray(h, float), coords, segments)
        if hacc > max_access:
            out.append(math.nan)
            continue
        ha, hb, hw = segments[hi]
        best = math.inf
        for pi, pt, pacc in attached:
            if pacc > max_access:
                continue
            pa, pb, pw = segments[pi]
            if pi == hi:
                best = min(best, hacc + abs(ht - pt) + pacc)
            for end_h, leg_h in ((ha, ht), (hb, hw - ht)):
                for end_p, leg_p in ((pa, pt), (pb, pw - pt)):
                    best = min(best, hacc + leg_h + table[end_h, end_p] + leg_p + pacc)
        out.append(best)
    return np.array(out)


# --- generated networks -----------------------------------------------------------------------------------------
def rotated(points, angle, origin=ORIGIN):
    c, s = math.cos(angle), math.sin(angle)
    points = np.asarray(points, dtype=float)
    return points @ np.array([[c, s], [-s, c]]) + origin


def t_junction_grid(n, step, rng, angle, excluded_share=0.25, origin=ORIGIN):
    """A rotated n × n grid drawn as n long east-west lines (two vertices each) and north-south segments from one
    row to the next, each ending on the interior of a long line with no vertex there. Returns the road lines, their
    classes and one-way flags, and the brute force's view: node coordinates and walkable unit segments."""
    coords = rotated([(i * step, j * step) for j in range(n) for i in range(n)], angle, origin)

    def node(i, j):
        return j * n + i

    lines, classes, oneway, segments = [], [], [], []
    for j in range(n):
        lines.append(LineString([coords[node(0, j)], coords[node(n - 1, j)]]))
        classes.append("residential")
        oneway.append(bool(rng.random() < 0.3))
        segments += [(node(i, j), node(i + 1, j), step) for i in range(n - 1)]
    for i in range(n):
        for j in range(n - 1):
            kind = "motorway" if rng.random() < excluded_share else rng.choice(["footway", "service", "支路"])
            lines.append(LineString([coords[node(i, j)], coords[node(i, j + 1)]]))
            classes.append(str(kind))
            oneway.append(bool(rng.random() < 0.3))
            if kind != "motorway":
                segments.append((node(i, j), node(i, j + 1), step))
    return lines, np.array(classes, dtype=object), np.array(oneway), coords, segments


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_rotated_t_junction_grid_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, step, angle = 6, 90.0, rng.uniform(0.05, 1.5)
    rules = one_type(excluded_road_classes=["motorway"])
    lines, classes, oneway, coords, segments = t_junction_grid(n, step, rng, angle)
    walk = lc.walkable(classes, rules)
    assert walk.tolist() == [c != "motorway" for c in classes]
    local_homes = rng.uniform(-40, (n - 1) * step + 40, (60, 2))
    local_places = rng.uniform(0, (n - 1) * step, (5, 2))
    homes, places = rotated(local_homes, angle), rotated(local_places, angle)
    result = run(shapely.points(homes), shapely.points(places), np.array(lines, dtype=object)[walk], rules)
    expected = brute_force(homes, places, coords, segments)
    got = result.table["dist_kindergarten"].to_numpy()
    reachable = np.isfinite(expected)
    np.testing.assert_allclose(got[reachable], expected[reachable], atol=0.01)
    assert np.isnan(got[~reachable]).all()  # cut off by excluded segments: unknown, not a number


def test_one_way_streets_are_walked_both_ways():
    """One-way applies to vehicles: the engine has no direction, so a one-way attribute changes nothing."""
    rng = np.random.default_rng(3)
    lines, classes, oneway, coords, segments = t_junction_grid(5, 100.0, rng, 0.3, excluded_share=0.0)
    assert oneway.any()
    homes, places = rotated(rng.uniform(0, 400, (20, 2)), 0.3), rotated(rng.uniform(0, 400, (3, 2)), 0.3)
    result = run(shapely.points(homes), shapely.points(places), lines, one_type())
    np.testing.assert_allclose(result.table["dist_kindergarten"], brute_force(homes, places, coords, segments),
                               atol=0.01)


def test_disconnected_parts_equal_brute_force():
    rng = np.random.default_rng(8)
    a_lines, _, _, a_coords, a_segments = t_junction_grid(4, 100.0, rng, 0.4, excluded_share=0.0)
    far = ORIGIN + np.array([2000.0, 0.0])
    b_lines, _, _, b_coords, b_segments = t_junction_grid(3, 100.0, rng, 0.4, excluded_share=0.0, origin=far)
    coords = np.vstack([a_coords, b_coords])
    shift = len(a_coords)
    segments = a_segments + [(a + shift, b + shift, w) for a, b, w in b_segments]
    homes = np.vstack([rotated(rng.uniform(0, 300, (10, 2)), 0.4), rotated(rng.uniform(0, 200, (10, 2)), 0.4, far)])
    places = rotated(rng.uniform(0, 300, (2, 2)), 0.4)  # on the first part only
    result = run(shapely.points(homes), shapely.points(places), a_lines + b_lines, one_type())
    expected = brute_force(homes, places, coords, segments)
    got = result.table["dist_kindergarten"].to_numpy()
    assert np.isfinite(expected[:10]).all() and np.isinf(expected[10:]).all()
    np.testing.assert_allclose(got[:10], expected[:10], atol=0.01)
    assert np.isnan(got[10:]).all()
    assert result.network.components == 2 and result.units_on_minor_parts == 10
    assert all("none reachable on the road network" in r for r in result.table["reasons"].iloc[10:])


def test_t_junction_ending_on_a_slanted_line_is_noded():
    """A side road whose end was computed onto a slanted road (no vertex there, a few nanometres off it in floating
    point) joins it — an exact union left the two apart (two parts, the side road's homes cut off)."""
    main = LineString(rotated([(0, 0), (400, 0)], 0.3217))
    at = main.interpolate(0.37, normalized=True)
    side = LineString([at, (at.x - 50, at.y + 120)])
    for tolerance in (0.0, 2.0):
        result = run([Point(side.coords[1])], [Point(main.coords[0])], [main, side], one_type(
            snap_tolerance_m=tolerance))
        assert result.network.components == 1
        assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(0.37 * 400 + 130.0, abs=0.01)


@pytest.mark.parametrize("gap, joined", [(1.999, True), (2.0, True), (2.001, False)])
def test_ends_at_within_and_beyond_the_snapping_tolerance(gap, joined):
    """Two collinear roads with a gap: within the tolerance both ends move to the gap's middle (the walk is the two
    lengths plus the gap); beyond it the far road is another part."""
    d = rotated([(1, 0)], 0.7, origin=(0, 0))[0]
    a, b = ORIGIN, ORIGIN + 300 * d
    c, e = b + gap * d, b + (gap + 200) * d
    result = run([Point(e)], [Point(a)], [LineString([a, b]), LineString([c, e])], one_type(snap_tolerance_m=2.0))
    dist = result.table["dist_kindergarten"].iloc[0]
    if joined:
        assert dist == pytest.approx(500 + gap, abs=0.01)
    else:
        assert math.isnan(dist)


@pytest.mark.parametrize("gap, joined", [(1.999, True), (2.0, True), (2.001, False)])
def test_dangling_end_at_within_and_beyond_the_tolerance_joins_the_line(gap, joined):
    """A side road stopping short of a slanted road: within the tolerance its end moves onto the road (the side
    road gets `gap` longer)."""
    u = rotated([(1, 0)], 0.45, origin=(0, 0))[0]
    v = np.array([-u[1], u[0]])
    main = LineString([ORIGIN, ORIGIN + 400 * u])
    foot = ORIGIN + 150 * u
    side = LineString([foot + gap * v, foot + (gap + 100) * v])
    result = run([Point(foot + (gap + 100) * v)], [Point(ORIGIN)], [main, side], one_type(snap_tolerance_m=2.0))
    dist = result.table["dist_kindergarten"].iloc[0]
    if joined:
        assert dist == pytest.approx(150 + gap + 100, abs=0.01)
    else:
        assert math.isnan(dist)


@pytest.mark.parametrize("level, walk", [("5min", 300.0), ("10min", 500.0), ("15min", 1000.0)])
@pytest.mark.parametrize("offset, covered", [(0.0, 1), (-0.01, 1), (0.01, 0)])
def test_home_at_under_and_over_the_walk_of_its_level(level, walk, offset, covered):
    """Along a bent, rotated road at Gauss-Krüger coordinates: exactly at the walk is covered (floating point
    included), 1 cm over is not."""
    rules = rules_with(basic_types=["kindergarten"],
                       facilities={"kindergarten": {"level": level, "label": "幼儿园", "codes": ["幼儿园"]}})
    bend = rotated([(0, 0), (130.0, 0), (130.0, 2000.0)], 0.61)
    road = LineString(bend)
    home = road.interpolate(walk + offset)
    result = run([home], [Point(bend[0])], [road], rules)
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(walk + offset, abs=1e-6)
    assert result.table["covered_kindergarten"].iloc[0] == covered


@pytest.mark.parametrize("leg, on_network", [(199.99, True), (200.0, True), (200.01, False)])
def test_maximum_access_distance_at_under_and_over(leg, on_network):
    """A home `leg` metres from the only road: within the profile's max_access_m (200 m) it walks the leg; beyond
    it has no road access — not covered, with the distance in its reason, whatever its facility's distance."""
    rules = one_type(level_m=1000.0, max_access_m=200.0)
    road = LineString([ORIGIN, ORIGIN + (500, 0)])
    result = run([Point(ORIGIN + (100, leg))], [Point(ORIGIN)], [road], rules)
    row = result.table.iloc[0]
    if on_network:
        assert row["dist_kindergarten"] == pytest.approx(100 + leg, abs=1e-6)
        assert row["covered_kindergarten"] == 1 and "no road access" not in row["reasons"]
        assert list(result.no_access) == []
    else:
        assert math.isnan(row["dist_kindergarten"]) and row["covered_kindergarten"] == 0
        assert "no road access: the nearest walkable road is 200.0 m away" in row["reasons"]
        assert "none reachable" not in row["reasons"]  # one reason, not one per type
        assert list(result.no_access) == [0]
        assert list(result.gaps["unit"]) == [0]


def test_home_three_kilometres_from_any_road_is_not_covered():
    """The straight leg would make it 'covered' by a facility equally far out: it has no road access."""
    road = LineString([ORIGIN, ORIGIN + (500, 0)])
    far = ORIGIN + (100, 3000)
    result = run([Point(far)], [Point(far + (0, 5))], [road], one_type(level_m=10_000.0 / 3, max_access_m=4000.0))
    assert result.table["covered_kindergarten"].iloc[0] == 0  # 6,005 m through the road
    result = run([Point(far)], [Point(far + (0, 5))], [road], one_type(level_m=1000.0))
    assert result.table["covered_kindergarten"].iloc[0] == 0
    assert "no road access: the nearest walkable road is 3,000.0 m away" in result.table["reasons"].iloc[0]
    assert len(result.facilities_off_network) == 1  # the facility is as far out: left out


def test_facility_beyond_the_maximum_access_is_left_out():
    road = LineString([ORIGIN, ORIGIN + (1000, 0)])
    places = [Point(ORIGIN + (0, 250)), Point(ORIGIN + (900, 10))]
    result = run([Point(ORIGIN + (10, 0))], places, [road], one_type())
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(900.0, abs=1e-6)  # not 10 + 250
    assert result.facilities_off_network.tolist() == [0]


def park_block():
    """A 600 m block with roads around it, an inner ring 10 m off a 400 m square park, connectors from the middle of
    each outer road to the ring, and a spur from the ring's south road into the park."""
    roads = [LineString([ORIGIN + a, ORIGIN + b]) for a, b in [
        ((0, 0), (600, 0)), ((0, 600), (600, 600)), ((0, 0), (0, 600)), ((600, 0), (600, 600)),
        ((90, 90), (510, 90)), ((90, 510), (510, 510)), ((90, 90), (90, 510)), ((510, 90), (510, 510)),
        ((300, 0), (300, 90)), ((600, 300), (510, 300)), ((0, 300), (90, 300)), ((300, 600), (300, 510)),
        ((200, 90), (200, 150))]]
    return roads, shapely.box(*(ORIGIN + (100, 100)), *(ORIGIN + (500, 500)))


@pytest.mark.parametrize("home, expected", [
    ((510, 300), 10.0),  # on the ring beside the park: straight across, not along the ring to an entry point
    ((510, 130), 10.0),
    ((600, 300), 100.0),  # 70 m along the connector into the 30 m frontage, then 30 m across
    ((600, 0), 400.0),
    ((0, 0), 400.0),
    ((200, 120), 0.0),  # on the spur inside the park
    ((200, 60), 40.0),  # 30 m off the ring's south road (attached there), 10 m across
])
def test_a_park_is_reached_at_its_edge_from_every_side(home, expected):
    """A resident on the far side of a big park walks to the park's near edge — not around it to the road nearest
    its point on surface (which would be 600 m and more from here)."""
    roads, park = park_block()
    result = run([Point(ORIGIN + home)], [park], roads, one_type(facility_frontage_m=30.0))
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(expected, abs=0.01)


def test_park_entries_equal_a_brute_force_over_network_points():
    """Random homes on the park block: the distance is the minimum over densely sampled network points within the
    frontage of (shortest path to that point + straight step to the park), the path by Floyd–Warshall."""
    roads, park = park_block()
    frontage = 30.0
    # the brute force's network: every road cut into 1 m pieces (its own noding by sampling)
    points, segments, index = [], [], {}

    def node(xy):
        key = (round(float(xy[0]), 6), round(float(xy[1]), 6))
        if key not in index:
            index[key] = len(points)
            points.append(np.array(key))
        return index[key]

    cuts = {}
    for road in roads:
        a, b = np.array(road.coords[0]) - ORIGIN, np.array(road.coords[1]) - ORIGIN
        ts = set(np.linspace(0, 1, int(round(np.linalg.norm(b - a))) + 1))
        for other in roads:  # crossings and T-junctions, by hand on axis-parallel lines
            c, d = np.array(other.coords[0]) - ORIGIN, np.array(other.coords[1]) - ORIGIN
            for q in (c, d):
                t = np.dot(q - a, b - a) / np.dot(b - a, b - a)
                if 0 < t < 1 and np.allclose(a + t * (b - a), q):
                    ts.add(t)
        ts = sorted(ts)
        cuts[id(road)] = ts
        for t0, t1 in zip(ts, ts[1:]):
            p0, p1 = a + t0 * (b - a), a + t1 * (b - a)
            segments.append((node(p0), node(p1), float(np.linalg.norm(p1 - p0))))
    coords = np.array(points)
    local = shapely.box(100, 100, 500, 500)
    step = shapely.distance(shapely.points(coords), local)
    entry = np.where(step <= frontage + 1e-9, step, np.inf)
    rng = np.random.default_rng(4)
    chosen = rng.choice(len(coords), 40, replace=False)  # homes on sampled nodes
    homes = coords[chosen]
    result = run(shapely.points(homes + ORIGIN), [park], roads, one_type(facility_frontage_m=frontage))
    expected = np.array([(heap_dijkstra(len(coords), segments, i) + entry).min() for i in chosen])
    # sampling at 1 m puts the brute force's entry up to 1 m late on a road crossing into the zone obliquely;
    # here every road is axis-parallel and the park's corners are 30 m arcs: within 0.05 m
    np.testing.assert_allclose(result.table["dist_kindergarten"], expected, atol=0.05)


def test_a_park_without_a_road_within_its_frontage_is_reached_from_its_nearest_road():
    park = shapely.box(*(ORIGIN + (0, 50)), *(ORIGIN + (100, 150)))
    road = LineString([ORIGIN + (-500, 0), ORIGIN + (500, 0)])
    result = run([Point(ORIGIN + (400, 0))], [park], [road], one_type(facility_frontage_m=30.0))
    # every point of the road from x 0 to 100 is 50 m from the park: the entry is one of them
    assert 350.0 - 0.01 <= result.table["dist_kindergarten"].iloc[0] <= 450.0 + 0.01
    result = run([Point(ORIGIN + (50, 0))], [park], [road], one_type(facility_frontage_m=30.0))
    assert result.table["dist_kindergarten"].iloc[0] >= 50.0 - 0.01


def test_without_roads_a_park_is_measured_to_its_edge():
    park = shapely.box(0, 0, 400, 400)
    result = run([Point(500, 200)], [park], None, one_type(detour_factor=1.3))
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(130.0)


def test_missing_names_the_basic_types_not_covered_in_profile_order():
    rules = rules_with(basic_types=["kindergarten", "primary_school"])
    road = LineString([ORIGIN, ORIGIN + (2000, 0)])
    places = [Point(ORIGIN), Point(ORIGIN + (100, 0))]
    kinds = pd.Series(["kindergarten", "primary_school"], dtype=object)
    homes = np.array([Point(ORIGIN + (250, 0)), Point(ORIGIN + (700, 0)), Point(ORIGIN + (1500, 0))], dtype=object)
    result = lc.evaluate(homes, pd.DataFrame({"population": [1.0, 1.0, 1.0]}), np.array(places, dtype=object),
                         kinds, np.array([road], dtype=object), rules)
    # 250 m: both within (300 m, 500 m); 700 m: neither; middle school etc. are no basic types here
    assert result.table["missing"].tolist() == ["", "小学、幼儿园", "小学、幼儿园"]
    assert result.table["basic_covered"].tolist() == [1, 0, 0]


def flyover():
    """A ground street y=0 crossed by a flyover x=300 (level 1) from y=-300 to y=300, whose ends land on the ground
    streets y=±300; the ground verticals x=0 and x=600 close the blocks. Local metres; ORIGIN added by `run`."""
    lines = [((0, 0), (1200, 0)), ((300, -300), (300, 300)), ((0, -300), (600, -300)), ((0, 300), (600, 300)),
             ((0, -300), (0, 300)), ((600, -300), (600, 300))]
    return [LineString([ORIGIN + a, ORIGIN + b]) for a, b in lines], [0, 1, 0, 0, 0, 0]


def run_levels(homes, places, roads, levels, rules):
    frame = pd.DataFrame({"population": np.ones(len(homes))})
    kinds = pd.Series(["kindergarten"] * len(places), dtype=object)
    return lc.evaluate(np.array(homes, dtype=object), frame, np.array(places, dtype=object), kinds,
                       np.array(roads, dtype=object), rules, road_levels=levels)


def test_a_flyover_is_not_joined_to_the_street_it_crosses():
    """Home 8 m off the street near the flyover, kindergarten where the flyover lands on y=300. On the ground the
    walk goes round by x=600 (280 + 300 + 300 + 8 = 888 m); a flyover joined at the crossing would give 328 m."""
    roads, levels = flyover()
    home, place = Point(ORIGIN + (320, -8)), Point(ORIGIN + (300, 300))
    apart = run_levels([home], [place], roads, levels, one_type(level_m=1000.0))
    assert apart.table["dist_kindergarten"].iloc[0] == pytest.approx(888.0, abs=0.01)
    joined = run_levels([home], [place], roads, None, one_type(level_m=1000.0))
    assert joined.table["dist_kindergarten"].iloc[0] == pytest.approx(328.0, abs=0.01)  # the old, flat answer


def test_a_flyover_joins_the_roads_it_ends_on():
    """From the flyover's middle (attached to it) to the street y=300 where it lands: 290 m up, no detour."""
    roads, levels = flyover()
    result = run_levels([Point(ORIGIN + (305, 10))], [Point(ORIGIN + (450, 300))], roads, levels,
                        one_type(level_m=1000.0))
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(5 + 290 + 150, abs=0.01)
    assert result.network.components == 1


def test_levels_from_layer_bridge_and_tunnel_fields():
    frame = pd.DataFrame({"road_level": [None, "1", 0, -2, None, None],
                          "road_bridge": ["T", "F", "yes", None, "否", "是"],
                          "road_tunnel": [None, None, None, None, "T", None]})
    assert lc.road_levels(frame).tolist() == [1, 1, 1, -2, -1, 1]
    assert lc.road_levels(pd.DataFrame({"road_class": ["支路"]})) is None


def test_split_at_points_cuts_inner_vertices_only():
    from land_bureau_plugin.analysis.network import split_at_points

    edges = np.array([LineString([(0, 0), (1, 0), (2, 0), (3, 0)]), LineString([(0, 1), (5, 1)])], dtype=object)
    out = split_at_points(edges, np.array([(1.0, 0.0), (2.0, 0.0), (0.0, 0.0), (9.0, 9.0)]))
    assert [list(line.coords) for line in out] == [[(0, 0), (1, 0)], [(1, 0), (2, 0)], [(2, 0), (3, 0)],
                                                   [(0, 1), (5, 1)]]
