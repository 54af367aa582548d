"""Living circle section of `make bench`.

A generated city (default 50,000 road segments on a jittered grid with a few gaps and expressway pieces, 10,000
residential units in six round districts, about 1,000 facilities of the 11 default types at planned community
centres: per circle level a lattice over the districts, see `city`): `landbureau:livingcircle` end to end into a
GeoPackage, beside, in the same run and on the same data,
- the network engine alone: graph build, then one multi-source Dijkstra per type (what the algorithm does);
- the per-facility way (QNEAT3-style, one shortest-path tree per facility) on the same scipy graph: a Dijkstra per
  facility, the minimum kept per type — and whether both give the same distance to every unit (max |diff|);
- QGIS's `native:serviceareafromlayer` on a sample of facilities (LIVING_BENCH_SERVICE_SAMPLE, default 10),
  extrapolated to all of them (it yields service-area lines, not distances per unit: a lower bound of that way);
- the straight-line mode (no ROADS: nearest facility by STRtree × detour factor), the "buffer" estimate.
The per-facility loop gets a budget (LIVING_BENCH_LOOP_BUDGET seconds, default 600): when it runs out the rest is
extrapolated and only the types it finished are compared. Peak memory (ru_maxrss of the process) is printed. The
data is generated once and cached in build/bench/.

Sizes: LIVING_BENCH_SIZES="segments,units,facilities" (default 50000,10000,1000; the issue's goal 200000,50000,10000).
"""
from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np
import shapely
from upstairs_bench import CACHE, ROOT, X0, Y0, Timed, qgis

sys.path.insert(0, str(ROOT))  # the plugin's profile, for the walks the city's centres are spaced by

# The default profile's facility types by circle level (5 / 10 / 15 minutes: 300 / 500 / 1,000 m), as codes the
# profile reads. A city plans them as nested circles, each level's facilities together at community centres.
LEVELS = {"5min": ("幼儿园", "社区卫生服务站", "老年人日间照料中心", "小型多功能运动场地"),
          "10min": ("小学", "菜市场"),
          "15min": ("初中", "社区卫生服务中心", "养老院", "文化活动中心", "大型多功能运动场地")}
TYPES = tuple(code for codes in LEVELS.values() for code in codes)
SPACING = 90.0  # metres between grid streets
DISTRICTS = 6  # residential districts (the units' 行政区)
URBAN_SHARE = 0.25  # of the grid's area lived in (the rest: fields, water, industry — roads only)
SCATTERED = 0.05  # of the units outside the districts (villages), far from most centres
PRESENT = 0.9  # a planned centre is built with this probability (a gap now and then)


def sizes() -> tuple[int, int, int]:
    segments, units, facilities = (int(v) for v in
                                   os.environ.get("LIVING_BENCH_SIZES", "50000,10000,1000").split(","))
    return segments, units, facilities


def city(n_segments: int, n_units: int, n_facilities: int, rng):
    """(roads, classes, units, households, facilities, types, districts): a grid of streets with jittered crossings,
    one segment in 25 missing (dead ends, detours), one in 40 an expressway piece (not walkable); the units in six
    round districts covering a quarter of it (5 % scattered as villages), and the facilities where a city plans them:
    per circle level a lattice of community centres over the districts, each centre holding its level's types (one
    centre in ten not built), the lattice's spacing the level's walk × one factor, chosen so that about `n_facilities`
    are placed. (Scattered uniformly and independently over the whole grid, 1,000 facilities of 11 types left no
    resident with all eleven within walking distance: COVERAGE 0.0 % — each 5-minute type reached 5 % of residents,
    and a resident needs all eleven at once.)"""
    from land_bureau_plugin.analysis.living_circle_rules import DEFAULT_RULES

    side = int(np.ceil(np.sqrt(n_segments / 2 / 0.95))) + 1  # 4 % of the grid left out, then cut to n
    jitter = rng.uniform(-0.2, 0.2, (side, side, 2)) * SPACING
    i, j = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    x = X0 + i * SPACING + jitter[..., 0]
    y = Y0 + j * SPACING + jitter[..., 1]
    starts = np.concatenate([np.stack([x[:-1, :], y[:-1, :]], -1).reshape(-1, 2),
                             np.stack([x[:, :-1], y[:, :-1]], -1).reshape(-1, 2)])
    stops = np.concatenate([np.stack([x[1:, :], y[1:, :]], -1).reshape(-1, 2),
                            np.stack([x[:, 1:], y[:, 1:]], -1).reshape(-1, 2)])
    keep = rng.random(len(starts)) >= 0.04
    starts, stops = starts[keep][:n_segments], stops[keep][:n_segments]
    roads = shapely.linestrings(np.stack([starts, stops], 1))
    classes = np.where(rng.random(len(roads)) < 0.025, "快速路", "支路")
    extent = (side - 1) * SPACING
    # six round districts on a 3 × 2 layout, each a twenty-fourth of the grid's area
    radius = extent * np.sqrt(URBAN_SHARE / (DISTRICTS * np.pi))
    centres = np.array([((k % 3 + 0.5) * extent / 3, (k // 3 + 0.5) * extent / 2) for k in range(DISTRICTS)])
    centres += rng.uniform(-0.03, 0.03, centres.shape) * extent
    scattered = rng.random(n_units) < SCATTERED
    district = rng.integers(0, DISTRICTS, n_units)
    r, angle = radius * np.sqrt(rng.random(n_units)), rng.uniform(0, 2 * np.pi, n_units)
    xy = centres[district] + np.stack([r * np.cos(angle), r * np.sin(angle)], 1)
    xy[scattered] = rng.uniform(0, extent, (int(scattered.sum()), 2))
    units = shapely.points(xy + (X0, Y0))
    households = rng.integers(20, 800, n_units)
    names = np.array([f"{k + 1}区" for k in range(DISTRICTS)] + ["郊野"], dtype=object)
    districts = names[np.where(scattered, DISTRICTS, district)]
    # per level a lattice of centres over the districts: spacing = factor × walk, one factor for all levels so the
    # expected count is n_facilities (area lived in × Σ types / spacing², times PRESENT)
    walks = {level: DEFAULT_RULES.walking_m[level] for level in LEVELS}
    lived = DISTRICTS * np.pi * radius ** 2
    factor = np.sqrt(PRESENT * lived * sum(len(codes) / walks[level] ** 2 for level, codes in LEVELS.items())
                     / max(n_facilities, 1))
    points, types = [], []
    for level, codes in LEVELS.items():
        step = factor * walks[level]
        grid = np.arange(-step, extent + step, step)
        lx, ly = np.meshgrid(grid + rng.uniform(0, step), grid + rng.uniform(0, step), indexing="ij")
        sites = np.stack([lx.ravel(), ly.ravel()], 1) + rng.uniform(-0.2, 0.2, (lx.size, 2)) * step
        near = np.min(np.hypot(*(sites[:, None, :] - centres[None, :, :]).transpose(2, 0, 1)), axis=1) <= radius
        sites = sites[near & (sites >= 0).all(1) & (sites <= extent).all(1)]
        sites = sites[rng.random(len(sites)) < PRESENT]  # a centre not built yet: every type of it missing
        for code in codes:
            points.append(sites)
            types += [code] * len(sites)
    facilities = shapely.points(np.concatenate(points) + (X0, Y0))
    return roads, classes, units, households, facilities, np.array(types), districts


def dataset(data):
    from generate_data import Layer, write_geopackage

    path = CACHE / ("living_circle_v2_{}_{}_{}.gpkg".format(*sizes()))  # v2: districts and planned centres
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    roads, classes, units, households, facilities, types, districts = data
    partial = path.with_suffix(".part.gpkg")
    write_geopackage(str(partial), [
        Layer("roads", "line", roads, {"道路等级": ("text", classes.tolist())}),
        Layer("homes", "point", units, {"户数": ("int", households.tolist()),
                                        "行政区": ("text", districts.tolist())}),
        Layer("facilities", "point", facilities, {"设施类型": ("text", types.tolist())}),
    ], vacuum=False)
    os.replace(partial, path)
    return path


def engine(data, rules):
    """The analysis' own steps, timed: graph, attachments, one multi-source Dijkstra per type."""
    from land_bureau_plugin.analysis import living_circle as lc
    from land_bureau_plugin.analysis import network as net

    roads, classes, units, _, facilities, types, _ = data
    kinds = lc.facility_types(__import__("pandas").Series(types), rules).kind.to_numpy(dtype=object)
    started = time.perf_counter()
    graph = net.build_network(roads[lc.walkable(classes, rules)], rules.snap_tolerance_m)
    homes, places = net.attach(graph, units), net.attach(graph, facilities)
    router = net.Router(graph, [homes, places])
    sources = router.add_access_legs(1, places.access)
    router.graph  # noqa: B018 — built here, so the searches below time the searches only
    built = time.perf_counter() - started
    nodes = router.node_of(0)
    started = time.perf_counter()
    multi = {kind: router.nearest(sources[kinds == kind])[nodes] + homes.access for kind in set(kinds) if kind}
    searched = time.perf_counter() - started
    return router, graph, homes, nodes, sources, kinds, multi, built, searched


def per_facility(router, homes, nodes, sources, kinds, budget: float):
    """One Dijkstra per facility (the service-area-per-facility way), the minimum kept per type."""
    from scipy.sparse import csgraph

    best, finished, done = {}, [], 0
    started = time.perf_counter()
    for kind in sorted(k for k in set(kinds) if k):
        distance = np.full(len(nodes), np.inf)
        for source in sources[kinds == kind]:
            if time.perf_counter() - started > budget:
                break
            tree = csgraph.dijkstra(router.graph, directed=False, indices=int(source))
            np.minimum(distance, tree[nodes] + homes.access, out=distance)
            done += 1
        else:
            best[kind] = distance
            finished.append(kind)
            continue
        break
    return time.perf_counter() - started, done, best


def service_area_sample(processing, path, sample: int):
    """native:serviceareafromlayer from `sample` facilities at the 5-minute walk (300 m): seconds per facility."""
    from qgis.core import QgsFeature, QgsVectorLayer

    source = QgsVectorLayer(f"{path}|layername=facilities", "facilities", "ogr")
    points = QgsVectorLayer(f"Point?crs={source.crs().authid()}", "sample", "memory")
    features = []
    for feature in source.getFeatures():
        copy = QgsFeature(points.fields())
        copy.setGeometry(feature.geometry())
        features.append(copy)
        if len(features) >= sample:
            break
    points.dataProvider().addFeatures(features)
    feedback = Timed()
    started = time.perf_counter()
    processing.run("native:serviceareafromlayer", {
        "INPUT": f"{path}|layername=roads", "STRATEGY": 0, "START_POINTS": points, "TRAVEL_COST": 300,
        "TRAVEL_COST2": 300, "TOLERANCE": 2.0, "INCLUDE_BOUNDS": False, "OUTPUT_LINES": "memory:"},
        feedback=feedback)
    return (time.perf_counter() - started) / len(features)


def run_ours(processing, path, roads: bool):
    output = CACHE / ("living_circle_result.gpkg" if roads else "living_circle_straight.gpkg")
    output.unlink(missing_ok=True)
    params = {"RESIDENTIAL": f"{path}|layername=homes", "FACILITIES": f"{path}|layername=facilities",
              "OUTPUT": f"{output}|layername=living_circle", "GAPS": "memory:", "DISTRICTS": "memory:"}
    if roads:
        params["ROADS"] = f"{path}|layername=roads"
    started = time.perf_counter()
    result = processing.run("landbureau:livingcircle", params, feedback=Timed())
    return time.perf_counter() - started, result


def main() -> None:
    n_segments, n_units, n_facilities = sizes()
    data = city(n_segments, n_units, n_facilities, np.random.default_rng(16))
    path = dataset(data)
    processing = qgis()
    from land_bureau_plugin.analysis.living_circle_rules import DEFAULT_RULES

    ours_s, result = run_ours(processing, path, roads=True)
    straight_s, _ = run_ours(processing, path, roads=False)
    router, graph, homes, nodes, sources, kinds, multi, built, searched = engine(data, DEFAULT_RULES)
    budget = float(os.environ.get("LIVING_BENCH_LOOP_BUDGET", "600"))
    loop_s, loop_done, loop_best = per_facility(router, homes, nodes, sources, kinds, budget)
    usable = int(sum(1 for k in kinds if k))
    sample = int(os.environ.get("LIVING_BENCH_SERVICE_SAMPLE", "10"))
    service_each = service_area_sample(processing, path, sample)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{len(data[0]):,} road segments ({len(graph.edges):,} noded edges, {graph.components} part(s)), "
          f"{n_units:,} residential units, {usable:,} facilities of {len(set(kinds) - {None})} types")
    print(f"{'':>58} | {'seconds':>9}")
    print(f"{'landbureau:livingcircle, end to end → GPKG':>58} | {ours_s:>9.1f}")
    print(f"{'  engine: graph + attachments + split':>58} | {built:>9.2f}")
    print(f"{'  engine: one multi-source Dijkstra per type':>58} | {searched:>9.2f}")
    if loop_done == usable:
        print(f"{'one Dijkstra per facility (QNEAT3-style), same graph':>58} | {loop_s:>9.1f}")
    else:
        print(f"{'one Dijkstra per facility (QNEAT3-style), same graph':>58} | {loop_s:>9.1f}  stopped at the "
              f"{budget:.0f} s budget after {loop_done:,} facilities: ~{loop_s / max(loop_done, 1) * usable:,.0f} s "
              f"for all")
    print(f"{f'native:serviceareafromlayer, {sample} facilities, extrapolated':>58} | "
          f"{service_each * usable:>9.1f}  ({service_each:.2f} s per facility)")
    print(f"{'landbureau:livingcircle without roads (straight × 1.3)':>58} | {straight_s:>9.1f}")
    diffs = [np.nanmax(np.abs(np.where(np.isfinite(loop_best[k]), loop_best[k], -1)
                              - np.where(np.isfinite(multi[k]), multi[k], -1))) for k in loop_best]
    print(f"agreement, per-facility loop vs multi-source, {len(loop_best)} type(s) × {n_units:,} units: max |diff| "
          f"{max(diffs) if diffs else float('nan'):.2e} m")
    print(f"peak memory of the process (QGIS included): {peak_mb:,.0f} MB; output {ROOT.name}/build/bench/"
          f"living_circle_result.gpkg, COVERAGE {result['COVERAGE']:.1f} %")


if __name__ == "__main__":
    main()
