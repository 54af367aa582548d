"""The living circle's network distances against an independent computation: on generated grids, each unit's
distance to its nearest facility is the minimum over every facility of a brute-force shortest path (a plain heapq
Dijkstra per pair on the grid's own nodes, attachments worked out from the grid's geometry by hand) — not the
engine's noding, snapping, splitting or multi-source search. Snapping, crossings, excluded classes, disconnected
parts, thresholds at / just below / just above the walk, population and the district shares are checked on small
networks whose distances are written down by hand."""
import heapq
import math

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, Point

from land_bureau_plugin.analysis import living_circle as lc
from land_bureau_plugin.analysis.living_circle_rules import LivingCircleRules, code_key
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

RULES = section(load_profile(), "living_circle", LivingCircleRules)


def rules_with(**changes) -> LivingCircleRules:
    values = {**load_profile()["living_circle"], **changes}
    return section({"living_circle": values}, "living_circle", LivingCircleRules)


def one_type_rules(level_m=300.0, **changes) -> LivingCircleRules:
    """Only kindergartens, walk `level_m`: one distance column to look at."""
    return rules_with(walking_m={"5min": level_m}, basic_types=["kindergarten"],
                      facilities={"kindergarten": {"level": "5min", "label": "幼儿园", "codes": ["幼儿园"]}},
                      sources={**load_profile()["living_circle"]["sources"]}, **changes)


def run(homes, places, roads, rules, kinds=None, frame=None):
    homes = np.array(homes, dtype=object)
    frame = frame if frame is not None else pd.DataFrame({"population": np.ones(len(homes))})
    kinds = pd.Series(kinds if kinds is not None else ["kindergarten"] * len(places), dtype=object)
    return lc.evaluate(homes, frame, np.array(places, dtype=object), kinds, roads, rules)


# --- brute force on an axis-aligned grid -------------------------------------------------------------------------
def grid_lines(n, step, origin=(0.0, 0.0)):
    x0, y0 = origin
    span = (n - 1) * step
    return ([LineString([(x0, y0 + i * step), (x0 + span, y0 + i * step)]) for i in range(n)]
            + [LineString([(x0 + i * step, y0), (x0 + i * step, y0 + span)]) for i in range(n)])


def grid_attachment(p, n, step, origin):
    """(segment end a, segment end b, offset from a, access) of a point on the grid: the nearest grid line by hand."""
    x, y = p[0] - origin[0], p[1] - origin[1]
    span = (n - 1) * step
    cx, cy = min(max(x, 0), span), min(max(y, 0), span)
    # nearest horizontal line: y snapped to a multiple of step, x clamped; nearest vertical likewise
    hy = min(max(round(y / step), 0), n - 1) * step
    vx = min(max(round(x / step), 0), n - 1) * step
    dh, dv = math.hypot(x - cx, y - hy), math.hypot(x - vx, y - cy)
    if dh <= dv:
        i = min(int(cx // step), n - 2)
        a, b = (i * step, hy), ((i + 1) * step, hy)
        return a, b, cx - i * step, dh
    j = min(int(cy // step), n - 2)
    a, b = (vx, j * step), (vx, (j + 1) * step)
    return a, b, cy - j * step, dv


def grid_distances(n, step, source):
    """Plain Dijkstra from grid node `source` over the grid's unit segments."""
    best = {source: 0.0}
    queue = [(0.0, source)]
    while queue:
        d, (x, y) = heapq.heappop(queue)
        if d > best.get((x, y), math.inf):
            continue
        for nx, ny in ((x + step, y), (x - step, y), (x, y + step), (x, y - step)):
            if 0 <= nx <= (n - 1) * step and 0 <= ny <= (n - 1) * step and d + step < best.get((nx, ny), math.inf):
                best[(nx, ny)] = d + step
                heapq.heappush(queue, (d + step, (nx, ny)))
    return best


def brute_force(homes, places, n, step, origin=(0.0, 0.0)):
    """Each home's distance to its nearest place: min over places of the shortest walk, pair by pair."""
    out = []
    tables = {}
    for h in homes:
        ha, hb, ht, hacc = grid_attachment(h, n, step, origin)
        best = math.inf
        for p in places:
            pa, pb, pt, pacc = grid_attachment(p, n, step, origin)
            if {ha, hb} == {pa, pb}:  # same segment: straight along it
                along = abs(ht - pt) if ha == pa else abs(ht - (step - pt))
                best = min(best, hacc + along + pacc)
            for end_h, leg_h in ((ha, ht), (hb, step - ht)):
                if end_h not in tables:
                    tables[end_h] = grid_distances(n, step, end_h)
                for end_p, leg_p in ((pa, pt), (pb, step - pt)):
                    best = min(best, hacc + leg_h + tables[end_h][end_p] + leg_p + pacc)
        out.append(best)
    return np.array(out)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grid_distances_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, step = 7, 100.0
    homes = [tuple(p) for p in rng.uniform(-30, 630, (40, 2))]
    places = [tuple(p) for p in rng.uniform(0, 600, (6, 2))]
    places.append((200.0, 300.0))  # on a node
    places.append((250.0, 300.0))  # on an edge
    homes.append((250.0, 300.0))  # at a facility
    homes.append((260.0, 300.0))  # on the same edge as one
    result = run([Point(h) for h in homes], [Point(p) for p in places], grid_lines(n, step), one_type_rules())
    expected = brute_force(homes, places, n, step)
    np.testing.assert_allclose(result.table["dist_kindergarten"], expected, atol=0.01)
    assert result.table["dist_kindergarten"].iloc[-2] == pytest.approx(0.0, abs=1e-9)
    assert result.table["dist_kindergarten"].iloc[-1] == pytest.approx(10.0, abs=1e-9)


def test_one_dijkstra_per_facility_type_not_per_facility(monkeypatch):
    from scipy.sparse import csgraph

    calls = []
    original = csgraph.dijkstra

    def counted(*args, **kwargs):
        calls.append(np.atleast_1d(kwargs["indices"]).size)
        assert kwargs["min_only"] is True
        return original(*args, **kwargs)

    monkeypatch.setattr(csgraph, "dijkstra", counted)
    rng = np.random.default_rng(5)
    places = shapely.points(rng.uniform(0, 600, (40, 2)))
    kinds = ["kindergarten", "primary_school"] * 20
    run(shapely.points(rng.uniform(0, 600, (30, 2))), places, grid_lines(7, 100.0), RULES, kinds=kinds)
    assert len(calls) == 2  # the two types given; the nine absent types need no search
    assert calls == [20, 20]


def test_disconnected_part_is_not_covered_and_says_so():
    roads = grid_lines(3, 100.0) + grid_lines(2, 100.0, origin=(1000.0, 0.0))
    homes = [Point(50, 0), Point(1050, 0)]
    result = run(homes, [Point(0, 0)], roads, one_type_rules())
    table = result.table
    assert table["dist_kindergarten"].iloc[0] == pytest.approx(50.0)
    assert math.isnan(table["dist_kindergarten"].iloc[1])  # unknown, never a made-up number
    assert table["covered_kindergarten"].tolist() == [1, 0]
    assert "none reachable on the road network" in table["reasons"].iloc[1]
    assert result.network.components == 2
    assert result.units_on_minor_parts == 1  # the unit on the smaller part
    assert list(result.gaps["unit"]) == [1]


@pytest.mark.parametrize("home, covered", [
    ((300.0, 0.0), 1),  # at the walk
    ((299.99, 0.0), 1),  # just below
    ((300.01, 0.0), 0),  # just above
    ((290.0, 10.0), 1),  # 290 along + 10 access = 300
    ((290.0, 10.02), 0),  # the access leg counts
])
def test_walk_threshold_at_below_above(home, covered):
    result = run([Point(home)], [Point(0, 0)], [LineString([(0, 0), (1000, 0)])], one_type_rules(300.0))
    assert result.table["covered_kindergarten"].iloc[0] == covered
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(home[0] + home[1], abs=1e-6)
    assert ("beyond the 5min walk of 300 m" in result.table["reasons"].iloc[0]) == (not covered)


def test_facility_access_leg_counts():
    result = run([Point(100, 0)], [Point(0, 40)], [LineString([(0, 0), (1000, 0)])], one_type_rules())
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(140.0)


def test_collinear_ends_within_tolerance_are_joined():
    roads = [LineString([(0, 0), (100, 0)]), LineString([(100.5, 0), (200, 0)])]
    joined = run([Point(200, 0)], [Point(0, 0)], roads, one_type_rules(level_m=1000, snap_tolerance_m=2.0))
    assert joined.table["dist_kindergarten"].iloc[0] == pytest.approx(200.0)  # both ends moved to 100.25
    apart = run([Point(200, 0)], [Point(0, 0)], roads, one_type_rules(level_m=1000, snap_tolerance_m=0.4))
    assert math.isnan(apart.table["dist_kindergarten"].iloc[0])


def test_dangling_end_within_tolerance_joins_the_line():
    roads = [LineString([(0, 0), (200, 0)]), LineString([(100, 1.5), (100, 100)])]
    joined = run([Point(100, 100)], [Point(0, 0)], roads, one_type_rules(level_m=1000, snap_tolerance_m=2.0))
    assert joined.table["dist_kindergarten"].iloc[0] == pytest.approx(200.0)  # end moved onto (100, 0)
    assert joined.network.snapped_ends == 1
    apart = run([Point(100, 100)], [Point(0, 0)], roads, one_type_rules(level_m=1000, snap_tolerance_m=1.0))
    assert math.isnan(apart.table["dist_kindergarten"].iloc[0])


def test_crossing_lines_are_split_at_the_crossing():
    roads = [LineString([(0, 100), (200, 100)]), LineString([(100, 0), (100, 200)])]
    result = run([Point(100, 0)], [Point(0, 100)], roads, one_type_rules(level_m=1000))
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(200.0)


def test_shortest_of_parallel_roads_counts():
    roads = [LineString([(0, 0), (100, 0)]), LineString([(0, 0), (50, 80), (100, 0)])]
    result = run([Point(100, 0)], [Point(0, 0)], roads, one_type_rules(level_m=1000))
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(100.0)


def test_roads_without_a_line_reach_nothing():
    result = run([Point(0, 0), None], [Point(0, 0)], [Point(0, 0), None], one_type_rules())
    assert result.table["covered_kindergarten"].tolist() == [0, 0]
    assert "none reachable" in result.table["reasons"].iloc[0]
    assert "no usable geometry" in result.table["reasons"].iloc[1]


def test_a_loop_alone_is_a_network():
    """Two roads between the same two ends make a ring, which GEOS 3.15 returns as one closed line (one node)."""
    roads = [LineString([(0, 0), (100, 0)]), LineString([(0, 0), (50, 80), (100, 0)])]
    result = run([Point(100, 0), Point(50, 90)], [Point(0, 0)], roads, one_type_rules(level_m=1000))
    assert result.table["dist_kindergarten"].tolist() == pytest.approx([100.0, math.hypot(50, 80) + 10])


def test_excluded_road_class_is_not_walked():
    rules = one_type_rules(level_m=1000, excluded_road_classes=["快速路"])
    roads = np.array([LineString([(0, 0), (100, 0)]), LineString([(0, 0), (0, 50), (100, 50), (100, 0)])])
    walk = lc.walkable(["快速路 ", "支路"], rules)  # compared trimmed
    assert walk.tolist() == [False, True]
    result = run([Point(100, 0)], [Point(0, 0)], roads[walk], rules)
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(200.0)


def test_polygons_stand_at_their_point_on_surface():
    block = shapely.box(0, 10, 40, 50)
    result = run([block], [Point(0, 0)], [LineString([(0, 0), (1000, 0)])], one_type_rules(level_m=1000))
    at = shapely.point_on_surface(block)
    assert result.table["dist_kindergarten"].iloc[0] == pytest.approx(at.x + at.y)


def test_without_roads_straight_line_times_detour_factor():
    rules = one_type_rules(level_m=300.0, detour_factor=1.5)
    result = run([Point(120, 160), Point(0, 201)], [Point(0, 0)], None, rules)
    assert result.straight_line
    np.testing.assert_allclose(result.table["dist_kindergarten"], [300.0, 301.5])
    assert result.table["covered_kindergarten"].tolist() == [1, 0]


def test_no_facility_of_a_type_is_a_reason_for_every_unit():
    rules = rules_with(basic_types=["kindergarten", "primary_school"])
    result = run([Point(10, 0)], [Point(0, 0)], [LineString([(0, 0), (1000, 0)])], rules)
    row = result.table.iloc[0]
    assert row["covered_kindergarten"] == 1 and row["covered_primary_school"] == 0
    assert "小学: none in the facility layer" in row["reasons"]
    assert row["types_covered"] == 1 and row["basic_covered"] == 0


def test_population_from_households_times_household_size():
    frame = pd.DataFrame({"population": [100, None, None, "abc", None],
                          "households": [10, 40, None, 5, -3]})
    result = run([Point(i, 0) for i in range(5)], [Point(0, 0)], None, one_type_rules(household_size=2.5),
                 frame=frame)
    people = result.table["population"]
    assert people.iloc[0] == 100  # the population field wins
    assert people.iloc[1] == pytest.approx(100.0)  # 40 × 2.5
    assert math.isnan(people.iloc[2]) and "population unknown" in result.table["reasons"].iloc[2]
    assert people.iloc[3] == pytest.approx(12.5)  # unreadable population, households known
    assert math.isnan(people.iloc[4]) and "households is not a plausible number: -3" in result.table["reasons"].iloc[4]


def test_population_and_households_written_as_text_are_read_as_every_analysis_reads_them():
    """"1,200" and "1200人" are 1,200 people, "300户" 300 households (× 2.5), "/" no value — they were refused as
    not plausible and the homes left the coverage shares; "约1200" stays unreadable, named."""
    frame = pd.DataFrame({"population": ["1,200", "1200人", "１２００", "/", "约1200", None],
                          "households": [None, None, None, "300户", None, "无"]})
    result = run([Point(i, 0) for i in range(6)], [Point(0, 0)], None, one_type_rules(household_size=2.5),
                 frame=frame)
    people, reasons = result.table["population"], result.table["reasons"]
    assert people.iloc[:4].tolist() == [1200.0, 1200.0, 1200.0, 750.0]
    assert math.isnan(people.iloc[4]) and "population is not a plausible number: 约1200" in reasons.iloc[4]
    assert math.isnan(people.iloc[5]) and "population unknown" in reasons.iloc[5]


@pytest.mark.parametrize("with_roads", [False, True])
def test_a_nine_year_school_is_a_primary_and_a_middle_school(with_roads):
    """A 九年一贯制学校 (grades 1–9) serves both circles: the home 300 m away has its 小学 and its 初中 — counted as
    a middle school only, the home was told no primary school was in reach. A 中学 stays a middle school only."""
    both = rules_with(facilities={"a": {"level": "5min", "codes": ["x"]}, "b": {"level": "5min", "codes": ["X "]}},
                      basic_types=["a", "b"])  # a code of two types: no longer refused as a mistake
    assert both.type_of_code()["x"] == ("a", "b") and both.type_of_code()["a"] == "a"
    found = lc.facility_types(pd.Series(["九年一贯制学校", " 中学 ", "小学"], index=[7, 8, 9]), RULES)
    assert found.kind.tolist() == [("middle_school", "primary_school"), "middle_school", "primary_school"]
    roads = [LineString([(-50, 0), (1000, 0)])] if with_roads else None
    homes = [Point(0, 0), Point(0, 0)]
    schools = [Point(300, 0)]
    for kind, primary in ((found.kind.iloc[0], True), (found.kind.iloc[1], False)):
        result = run(homes, schools, roads, RULES, kinds=[kind])
        table = result.table
        expected = 300.0 if with_roads else 300.0 * RULES.detour_factor
        assert table["dist_middle_school"].tolist() == pytest.approx([expected] * 2)
        assert (table["covered_primary_school"] == int(primary)).all()
        assert result.facilities_per_type["primary_school"] == int(primary)
        assert ("小学" in table["missing"].iloc[0]) != primary


def test_district_shares_are_population_weighted():
    frame = pd.DataFrame({"population": [100.0, 300.0, 50.0, None], "district": ["东", "东", "西", "西"]})
    homes = [Point(100, 0), Point(500, 0), Point(200, 0), Point(250, 0)]
    result = run(homes, [Point(0, 0)], [LineString([(0, 0), (1000, 0)])], one_type_rules(300.0), frame=frame)
    summary = lc.summarise(result, result_rules := one_type_rules(300.0))
    assert result_rules.distance("kindergarten") == 300.0
    assert summary["districts"]["东"]["shares"]["kindergarten"] == pytest.approx(100 / 400)
    assert summary["districts"]["西"]["shares"]["kindergarten"] == pytest.approx(1.0)  # the unknown one left out
    assert summary["districts"]["西"]["population_unknown"] == 1
    assert summary["city"]["shares"]["kindergarten"] == pytest.approx(150 / 450)
    assert summary["city"]["shares"][lc.ALL] == pytest.approx(150 / 450)


def test_facility_codes_map_to_types():
    codes = pd.Series(["幼儿园", " Kindergarten", "托儿所", "洗浴中心", None, "小学"], index=[3, 4, 5, 6, 7, 8])
    found = lc.facility_types(codes, RULES)
    assert found.kind.tolist() == ["kindergarten", "kindergarten", "kindergarten", None, None, "primary_school"]
    assert found.unknown.to_dict() == {6: "洗浴中心"}
    assert list(found.missing) == [7]
    assert code_key(3.0) == "3"


def test_the_class_defaults_are_the_bundled_profile():
    assert LivingCircleRules() == RULES
    assert "快速路" in LivingCircleRules().excluded_classes()


def test_profile_defaults_are_the_standard_distances():
    assert RULES.walking_m == {"5min": 300.0, "10min": 500.0, "15min": 1000.0}
    assert RULES.distance("kindergarten") == 300 and RULES.distance("primary_school") == 500
    assert RULES.distance("middle_school") == 1000
    assert "GB 50180-2018" in RULES.source_table()["walking_m"].citation()


@pytest.mark.parametrize("change, key", [
    ({"walking_m": {"5min": 0}}, "living_circle.walking_m.5min"),
    ({"basic_types": ["kindergarden"]}, "living_circle.basic_types"),
    ({"facilities": {"kindergarten": {"level": "3min", "codes": []}}}, "living_circle.facilities.kindergarten.level"),
    ({"facilities": {"a": {"level": "5min", "codes": ["x", ""]}}}, "living_circle.facilities.a.codes"),
    ({"detour_factor": 0.5}, "living_circle.detour_factor"),
])
def test_profile_refuses_meaningless_rules(change, key):
    values = {**load_profile()["living_circle"], "basic_types": ["a"] if "facilities" in change else
              load_profile()["living_circle"]["basic_types"], **change}
    if "facilities" in change and "kindergarten" in change["facilities"]:
        values["basic_types"] = ["kindergarten"]
    with pytest.raises(ProfileError) as error:
        section({"living_circle": values}, "living_circle", LivingCircleRules)
    assert key in str(error.value) or key in repr(error.value.__dict__)
