"""Land supply section of `make bench`.

100,000 supplied parcels and 20,000 approval batches: `landbureau:landsupply` end to end (read both layers, judge
every parcel, measure every batch's unsupplied part, write both outputs) side by side with QGIS's own way on the same
layers in the same run — `native:difference` (batches minus parcels) followed by `native:fieldcalculator` for the
unsupplied area — and whether the two agree on every batch's unsupplied m². The native run gets a time budget
(SUPPLY_BENCH_NATIVE_BUDGET seconds, default 900); when it runs out it is cancelled and its time extrapolated from
its progress. The data is generated once and cached in build/bench/.

Sizes for a quick look: SUPPLY_BENCH_SIZES="parcels,batches" (default 100000,20000).
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time

import numpy as np
import shapely
from upstairs_bench import CACHE, REGION, ROOT, X0, Y0, Timed, qgis

AS_OF = "2026-11-27"
STRIPS = 6  # each batch is cut into this many strips; most of them are supplied


def sizes() -> tuple[int, int]:
    parcels, batches = (int(v) for v in os.environ.get("SUPPLY_BENCH_SIZES", "100000,20000").split(","))
    return parcels, batches


def layers(n_parcels: int, n_batches: int, rng):
    """Batches: one jittered rectangle per cell of a square grid. Parcels: strips of the batches, side by side with a
    little road between them, one strip of each batch left unsupplied (批而未供) and one in ten parcels reaching
    over the batch's edge, as real supply records do; every 50th parcel overlaps its neighbour strip."""
    side = int(np.ceil(np.sqrt(n_batches)))
    cell = REGION / side
    k = np.arange(n_batches)
    x0 = X0 + (k % side) * cell + rng.uniform(0.02, 0.08, n_batches) * cell
    y0 = Y0 + (k // side) * cell + rng.uniform(0.02, 0.08, n_batches) * cell
    width, height = rng.uniform(0.75, 0.88, (2, n_batches)) * cell
    batches = shapely.box(x0, y0, x0 + width, y0 + height)
    per_batch = -(-n_parcels // n_batches)
    owner = np.repeat(k, per_batch)[:n_parcels]
    skipped = rng.integers(0, STRIPS, n_batches)  # the unsupplied strip of each batch
    strip = (np.tile(np.arange(per_batch), n_batches)[:n_parcels] + skipped[owner] + 1) % STRIPS
    step = width[owner] / STRIPS
    left = x0[owner] + (strip + 0.02) * step
    right = x0[owner] + (strip + 0.98) * step + np.where(np.arange(n_parcels) % 50 == 0, 0.3 * step, 0)
    bottom = y0[owner] - np.where(rng.random(n_parcels) < 0.1, 0.05, 0.0) * height[owner]
    top = y0[owner] + height[owner] * rng.uniform(0.7, 1.0, n_parcels)
    return batches, shapely.box(left, bottom, right, top)


def dates(rng, n: int, low: str, high: str) -> list[str]:
    start, end = dt.date.fromisoformat(low), dt.date.fromisoformat(high)
    days = rng.integers(0, (end - start).days, n)
    return [(start + dt.timedelta(days=int(d))).isoformat() for d in days]


def dataset():
    from generate_data import Layer, cyclic_gc_paused, write_geopackage

    n_parcels, n_batches = sizes()
    path = CACHE / f"land_supply_{n_parcels}_{n_batches}.gpkg"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = np.random.default_rng(15)
    with cyclic_gc_paused():
        batches, parcels = layers(n_parcels, n_batches, rng)
        started_work = rng.random(n_parcels) < 0.5
        starts = dates(rng, n_parcels, "2020-01-01", "2026-11-01")
        stopped = rng.random(n_parcels) < 0.1
        data = [
            Layer("supply", "polygon", parcels, {
                "电子监管号": ("text", [f"3301{i:012d}" for i in range(n_parcels)]),
                "约定开工时间": ("text", dates(rng, n_parcels, "2019-06-01", "2028-06-01")),
                "实际开工时间": ("text", [s if w else None for s, w in zip(starts, started_work)]),
                "停工日期": ("text", ["2026-01-15" if w and s else None for w, s in zip(started_work, stopped)]),
                "已开发面积": ("real", (shapely.area(parcels) * rng.uniform(0, 0.8, n_parcels)).round(1).tolist()),
                "总投资(万元)": ("real", rng.uniform(1000, 50000, n_parcels).round(1).tolist()),
                "已完成投资(万元)": ("real", rng.uniform(0, 20000, n_parcels).round(1).tolist()),
                "成交价款(万元)": ("real", rng.uniform(200, 20000, n_parcels).round(1).tolist()),
                "政府原因": ("text", np.where(rng.random(n_parcels) < 0.03, "是", "否").tolist())}),
            Layer("batches", "polygon", batches, {
                "批次编号": ("text", [f"浙土字{2015 + i % 11}-{i:05d}" for i in range(n_batches)]),
                "批准日期": ("text", dates(rng, n_batches, "2015-01-01", "2026-10-01"))}),
        ]
        partial = path.with_suffix(".part.gpkg")
        write_geopackage(str(partial), data, vacuum=False)
    os.replace(partial, path)
    print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def run_ours(processing, inputs):
    """End to end into a GeoPackage, as a bureau keeps its results (the outputs of an earlier run replaced)."""
    output, unsupplied = CACHE / "land_supply_result.gpkg", CACHE / "land_supply_unsupplied.gpkg"
    output.unlink(missing_ok=True)
    unsupplied.unlink(missing_ok=True)
    feedback = Timed()
    started = time.perf_counter()
    result = processing.run("landbureau:landsupply", {
        "SUPPLY": inputs["supply"], "APPROVALS": inputs["batches"], "AS_OF": AS_OF,
        "OUTPUT": f"{output}|layername=land_supply", "UNSUPPLIED": str(unsupplied)},
        feedback=feedback)
    return time.perf_counter() - started, result


def run_native(processing, inputs, budget: float):
    """native:difference, then the unsupplied area by field calculation; cancelled when the budget runs out."""
    feedback = Timed()
    timer = threading.Timer(budget, feedback.cancel)
    timer.start()
    started = time.perf_counter()
    try:
        difference = processing.run("native:difference", {
            "INPUT": inputs["batches"], "OVERLAY": inputs["supply"], "OUTPUT": "memory:"}, feedback=feedback)
        calculated = None
        if not feedback.isCanceled():
            calculated = processing.run("native:fieldcalculator", {
                "INPUT": difference["OUTPUT"], "FIELD_NAME": "unsupplied_m2", "FIELD_TYPE": 0, "FIELD_LENGTH": 20,
                "FIELD_PRECISION": 3, "FORMULA": "area($geometry)", "OUTPUT": "memory:"}, feedback=feedback)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    finished = not feedback.isCanceled()
    done = 1.0 if finished else max(feedback.last / 100.0, 1e-9)
    return seconds, done, finished, calculated["OUTPUT"] if calculated else None


def agreement(ours, native) -> dict:
    """Unsupplied m² per batch, ours against native (a batch native left out is wholly supplied: 0 m²)."""
    mine = {f["batch_id"]: f["unsupplied_m2"] for f in ours.getFeatures()}
    theirs = {f["批次编号"]: f["unsupplied_m2"] for f in native.getFeatures()}
    diffs = np.array([abs(m - (theirs.get(batch) or 0.0)) for batch, m in mine.items()])  # NULL: all supplied
    return {"batches": len(diffs), "max": diffs.max() if len(diffs) else np.nan}


def main() -> None:
    path = dataset()
    processing = qgis()
    from qgis.core import QgsProject, QgsVectorLayer

    QgsProject.instance().setEllipsoid("NONE")  # planar areas on both sides, in EPSG:4549 metres
    inputs = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in ("supply", "batches")}
    n_parcels, n_batches = sizes()
    budget = float(os.environ.get("SUPPLY_BENCH_NATIVE_BUDGET", "900"))
    read_s = time.perf_counter()
    for layer in inputs.values():
        for _ in layer.getFeatures():
            pass
    read_s = time.perf_counter() - read_s

    ours_s, result = run_ours(processing, inputs)
    native_s, done, finished, native = run_native(processing, inputs, budget)
    print(f"{n_parcels:,} supplied parcels, {n_batches:,} approval batches")
    print(f"{'':>42} | {'seconds':>9}")
    print(f"{'I/O floor: both layers through getFeatures':>42} | {read_s:>9.1f}")
    print(f"{'landbureau:landsupply, end to end → GPKG':>42} | {ours_s:>9.1f}")
    if finished:
        print(f"{'native:difference + fieldcalculator':>42} | {native_s:>9.1f}")
        from qgis.core import QgsVectorLayer

        agree = agreement(QgsVectorLayer(result["UNSUPPLIED"], "unsupplied", "ogr"), native)
        print(f"agreement on {agree['batches']:,} batches: unsupplied m² max |diff| {agree['max']:.2e}")
    else:
        print(f"{'native:difference + fieldcalculator':>42} | {native_s:>9.1f}  stopped at the {budget:.0f} s "
              f"budget, {100 * done:.1f} % done: ~{native_s / done:,.0f} s for all")


if __name__ == "__main__":
    main()
