"""Living circle section of `make bench`.

A generated city (default 50,000 road segments on a jittered grid with a few gaps and expressway pieces, 10,000
residential units, 1,000 facilities of the 11 default types): `landbureau:livingcircle` end to end into a
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
import time

import numpy as np
import shapely
from upstairs_bench import CACHE, ROOT, X0, Y0, Timed, qgis

TYPES = ("幼儿园", "小学", "初中", "社区卫生服务站", "社区卫生服务中心", "养老院", "老年人日间照料中心", "文化活动中心",
         "菜市场", "小型多功能运动场地", "大型多功能运动场地")
SPACING = 90.0  # metres between grid streets


def sizes() -> tuple[int, int, int]:
    segments, units, facilities = (int(v) for v in
                                   os.environ.get("LIVING_BENCH_SIZES", "50000,10000,1000").split(","))
    return segments, units, facilities


def city(n_segments: int, n_units: int, n_facilities: int, rng):
    """(roads, classes, units, households, facilities, types): a grid of streets with jittered crossings, one
    segment in 25 missing (dead ends, detours), one in 40 an expressway piece (not walkable); units and facilities
    scattered over it."""
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
    units = shapely.points(rng.uniform(0, extent, (n_units, 2)) + (X0, Y0))
    households = rng.integers(20, 800, n_units)
    facilities = shapely.points(rng.uniform(0, extent, (n_facilities, 2)) + (X0, Y0))
    types = np.array(TYPES)[np.arange(n_facilities) % len(TYPES)]
    return roads, classes, units, households, facilities, types


def dataset(data):
    from generate_data import Layer, write_geopackage

    path = CACHE / ("living_circle_{}_{}_{}.gpkg".format(*sizes()))
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    roads, classes, units, households, facilities, types = data
    partial = path.with_suffix(".part.gpkg")
    write_geopackage(str(partial), [
        Layer("roads", "line", roads, {"道路等级": ("text", classes.tolist())}),
        Layer("homes", "point", units, {"户数": ("int", households.tolist()),
                                        "行政区": ("text", [f"{k % 6 + 1}区" for k in range(len(units))])}),
        Layer("facilities", "point", facilities, {"设施类型": ("text", types.tolist())}),
    ], vacuum=False)
    os.replace(partial, path)
    return path


def engine(data, rules):
    """The analysis' own steps, timed: graph, attachments, one multi-source Dijkstra per type."""
    from land_bureau_plugin.analysis import living_circle as lc
    from land_bureau_plugin.analysis import network as net

    roads, classes, units, _, facilities, types = data
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
