"""Live upstairs check section of `make bench`: how long a planner waits, after an edit, for the checklist.

The upstairs bench's data (upstairs_bench.dataset: 500,000 farmland patches, a 100,000-vertex development boundary,
10,000 plans; UPSTAIRS_BENCH_SIZES changes them) with a 1,000-vertex plan added to a copy of the plans in edit
mode. Live mode starts once (constraint layers read and indexed, every plan checked); then LIVE_BENCH_EDITS edits
(default 60) alternate between moving the big plan somewhere else (onto farmland, across the boundary) and changing
its floor area. Live mode runs in the upstairs panel itself (gui.upstairs_dock, given a real map canvas and message
bar, the two parts of the QGIS interface the panel uses: the bench has no desktop). For each edit: the time from the
edit until the panel's checklist is updated — the wait for the event loop to turn (gui.live_upstairs.COALESCE_MS)
included — and the check alone (read through the edit buffer, re-check, redraw the violation pieces, update the
checklist), and the check's CPU time on the main thread (`time.thread_time`: what it costs whatever else the
machine runs — its wall time grows with the load). LIVE_BENCH_PROFILE=path writes a cProfile of the checks there
(pstats). Beside them, in the same run on the same data: `landbureau:upstairscheck`, the batch run a planner would
otherwise start after each edit. Times are printed, never asserted.
"""
from __future__ import annotations

import cProfile
import os
import time

import numpy as np
import shapely
import upstairs_bench


def big_plan(centre, vertices: int = 1000) -> shapely.Polygon:
    """A wavy plan of about 300 m across with `vertices` vertices (a digitised site boundary)."""
    theta = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 150 * (1 + 0.05 * np.sin(11 * theta) + 0.02 * np.cos(37 * theta))
    return shapely.Polygon(np.column_stack([centre[0] + radius * np.cos(theta), centre[1] + radius * np.sin(theta)]))


class DesktopParts:
    """What the panel asks of the QGIS interface (`iface`): its map canvas and its message bar — real ones here —
    and its main window (none here: the plans' form boxes listen to the application's focus only)."""

    def __init__(self, canvas, bar):
        self.canvas, self.bar = canvas, bar

    def mapCanvas(self):  # noqa: N802 — QgisInterface's names
        return self.canvas

    def messageBar(self):  # noqa: N802
        return self.bar

    def mainWindow(self):  # noqa: N802
        return None


def percentile(values, q) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def main() -> None:
    path = upstairs_bench.dataset()
    processing = upstairs_bench.qgis()
    from qgis.core import QgsApplication, QgsFeature, QgsFeatureRequest, QgsGeometry, QgsProject, QgsVectorLayer
    from qgis.gui import QgsMapCanvas, QgsMessageBar

    from land_bureau_plugin.gui import live_upstairs, upstairs_dock

    QgsProject.instance().setEllipsoid("NONE")
    layers = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in ("plans", "farmland",
                                                                                         "boundary")}
    plans = layers["plans"].materialize(QgsFeatureRequest())  # a copy to edit: the cached data stays as it is
    QgsProject.instance().addMapLayers([plans, layers["farmland"], layers["boundary"]])
    rng = np.random.default_rng(7)
    x0, y0, size = upstairs_bench.X0, upstairs_bench.Y0, upstairs_bench.REGION
    plans.startEditing()
    feature = QgsFeature(plans.fields())
    feature.setGeometry(QgsGeometry.fromWkt(big_plan((x0 + size / 2, y0 + size / 2)).wkt))
    feature.setAttribute("方案编号", "BIG")
    feature.setAttribute("建筑面积", 200_000.0)
    plans.addFeature(feature)
    big = next(f.id() for f in plans.getFeatures() if f["方案编号"] == "BIG")

    dock = upstairs_dock.UpstairsDock(DesktopParts(QgsMapCanvas(), QgsMessageBar()))
    for role, layer in (("upstairs_plans", plans), ("farmland", layers["farmland"]),
                        ("urban_boundary", layers["boundary"])):
        dock.combos[role].setLayer(layer)
    started = time.perf_counter()
    dock.live_box.setChecked(True)
    start_s = time.perf_counter() - started
    checker = dock.live
    assert checker is not None, "live mode did not start"
    done = []
    checker.updated.connect(lambda fids: done.append(time.perf_counter()))  # after the panel's own slot

    check_times, check_cpu, latencies = [], [], []
    original_check = checker.turn  # what the coalescing timer calls: a save's end, then the check
    profile_path = os.environ.get("LIVE_BENCH_PROFILE")  # cProfile of the checks written there (pstats)
    profiler = cProfile.Profile() if profile_path else None

    def timed_check():
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        if profiler is not None:
            profiler.enable()
        original_check()
        if profiler is not None:
            profiler.disable()
        check_cpu.append(time.thread_time() - begin_cpu)
        check_times.append(time.perf_counter() - begin)

    checker.timer.timeout.disconnect(checker.turn)
    checker.timer.timeout.connect(timed_check)
    area_field = plans.fields().indexOf("建筑面积")
    for edit in range(int(os.environ.get("LIVE_BENCH_EDITS", "60"))):
        done.clear()
        began = time.perf_counter()
        plans.beginEditCommand("bench")
        if edit % 2 == 0:  # anywhere in the region: on farmland, near or across the boundary
            centre = (x0 + rng.uniform(0.02, 0.98) * size, y0 + rng.uniform(0.02, 0.98) * size)
            plans.changeGeometry(big, QgsGeometry.fromWkt(big_plan(centre).wkt))
        else:
            plans.changeAttributeValue(big, area_field, float(rng.uniform(100_000, 300_000)))
        plans.endEditCommand()
        while not done:
            QgsApplication.processEvents()
            time.sleep(0.0005)
        latencies.append(done[0] - began)

    if profiler is not None:
        profiler.dump_stats(profile_path)
    batch_started = time.perf_counter()
    processing.run("landbureau:upstairscheck", {"INPUT": plans, "FARMLAND": layers["farmland"],
                                                "URBAN_BOUNDARY": layers["boundary"], "OUTPUT": "memory:",
                                                "VIOLATIONS": "memory:"})
    batch_s = time.perf_counter() - batch_started
    shown = dock.items[big].text(1)
    dock.live_box.setChecked(False)
    plans.rollBack()

    n_plans, n_patches, n_vertices = upstairs_bench.sizes()
    print(f"{n_plans + 1:,} plans (one of 1,000 vertices, edited), {n_patches:,} farmland patches, boundary of "
          f"{n_vertices:,} vertices; {len(latencies)} edits, checked {live_upstairs.COALESCE_MS} ms after the event "
          "loop turns")
    print(f"{'':>44} | {'p50 ms':>8} | {'p95 ms':>8}")
    print(f"{'edit → checklist updated':>44} | {percentile(latencies, 50):>8.1f} | "
          f"{percentile(latencies, 95):>8.1f}")
    print(f"{'  the check itself':>44} | {percentile(check_times, 50):>8.1f} | {percentile(check_times, 95):>8.1f}")
    print(f"{'  its CPU time (main thread)':>44} | {percentile(check_cpu, 50):>8.1f} | "
          f"{percentile(check_cpu, 95):>8.1f}")
    print(f"{'live mode on (read, index, check all, list)':>44} | {start_s * 1000:>8.0f} |")
    print(f"{'landbureau:upstairscheck, whole layer':>44} | {batch_s * 1000:>8.0f} |")
    print(f"the edited plan's line in the checklist after the last edit: {shown}")


if __name__ == "__main__":
    main()
