"""Industrial-upstairs section of `make bench`.

10,000 plans against 500,000 permanent-farmland patches and an urban development boundary of 100,000 vertices:
`landbureau:upstairscheck` end to end (read, overlay, rules, write) side by side with QGIS's own overlap analysis
`native:calculatevectoroverlaps` on the same layers in the same run, and whether they agree on the farmland area of
every plan and the area inside the boundary. The native run gets a time budget (UPSTAIRS_BENCH_NATIVE_BUDGET
seconds, default 900); when it runs out the run is cancelled, its time extrapolated from its progress, and the table
says so. The data is generated once (generate_data.py writes parcels, not half a million farmland patches) and
cached in build/bench/.

Sizes can be changed for a quick look: UPSTAIRS_BENCH_SIZES="plans,patches,vertices" (default 10000,500000,100000).
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import shapely
from qgis.core import QgsApplication, QgsProcessingFeedback

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
CACHE = ROOT / "build" / "bench"
X0, Y0 = 500_000.0, 3_330_000.0  # EPSG:4549, Xiaoshan-like
REGION = 28_000.0  # metres on a side


def sizes() -> tuple[int, int, int]:
    text = os.environ.get("UPSTAIRS_BENCH_SIZES", "10000,500000,100000")
    plans, patches, vertices = (int(v) for v in text.split(","))
    return plans, patches, vertices


def grid_centres(n: int, rng, jitter: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Centres of n cells of a square grid over the region, each moved by up to ±jitter of a cell; and the cell
    size. One cell per shape keeps the generated shapes apart."""
    side = int(np.ceil(np.sqrt(n)))
    cell = REGION / side
    k = np.arange(n)
    cx = X0 + (k % side + 0.5) * cell + rng.uniform(-jitter, jitter, n) * cell
    cy = Y0 + (k // side + 0.5) * cell + rng.uniform(-jitter, jitter, n) * cell
    return cx, cy, cell


def farmland_patches(n: int, rng) -> np.ndarray:
    """Irregular 12-gons, one per cell of a square grid (so they never overlap each other), jittered in place."""
    cx, cy, cell = grid_centres(n, rng, 0.1)
    circles = shapely.buffer(shapely.points(cx, cy), rng.uniform(0.25, 0.38, n) * cell, quad_segs=3)
    ring = shapely.get_coordinates(circles).reshape(n, -1, 2)  # every ring: 12 vertices and the closing one
    wobble = rng.uniform(0.8, 1.1, ring.shape[:2])
    wobble[:, -1] = wobble[:, 0]  # the ring stays closed
    centre = np.column_stack([cx, cy])[:, None, :]
    return shapely.polygons(centre + (ring - centre) * wobble[:, :, None])


def plan_polygons(n: int, rng) -> np.ndarray:
    """Rotated rectangles of 60–180 m, one per cell of a coarse grid, so plans rarely touch each other."""
    cx, cy, _ = grid_centres(n, rng, 0.15)
    w, h = rng.uniform(60, 180, n) / 2, rng.uniform(60, 150, n) / 2
    angle = rng.uniform(0, np.pi, n)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float)
    x = corners[None, :, 0] * w[:, None]
    y = corners[None, :, 1] * h[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    ring = np.stack([cx[:, None] + x * cos - y * sin, cy[:, None] + x * sin + y * cos], axis=-1)
    return shapely.polygons(ring)


def boundary_polygon(vertices: int, rng) -> shapely.Polygon:
    """One wavy star-shaped polygon over most of the region: the corners of the region lie outside it."""
    theta = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 0.47 * REGION * (1 + 0.08 * np.sin(9 * theta) + 0.03 * np.sin(61 * theta)
                              + 0.004 * rng.standard_normal(vertices))
    centre = X0 + REGION / 2, Y0 + REGION / 2
    return shapely.Polygon(np.column_stack([centre[0] + radius * np.cos(theta), centre[1] + radius * np.sin(theta)]))


def dataset() -> Path:
    """The cached GeoPackage (plans, farmland, boundary), generated on first use."""
    from generate_data import Layer, cyclic_gc_paused, write_geopackage

    n_plans, n_patches, n_vertices = sizes()
    path = CACHE / f"upstairs_{n_plans}_{n_patches}_{n_vertices}.gpkg"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = np.random.default_rng(2024)
    with cyclic_gc_paused():
        plans = plan_polygons(n_plans, rng)
        area = shapely.area(plans)
        far = rng.uniform(1.6, 3.8, n_plans)
        floors = rng.integers(3, 12, n_plans)
        layers = [
            Layer("plans", "polygon", plans, {
                "方案编号": ("text", [f"GS{i:05d}" for i in range(n_plans)]),
                "申报面积": ("real", (area * rng.uniform(0.985, 1.015, n_plans)).round(1).tolist()),
                "建筑面积": ("real", (area * far).round(1).tolist()),
                "建筑高度": ("real", (floors * 5.2 + 2).round(1).tolist()),
                "层数": ("int", floors.tolist())}),
            Layer("farmland", "polygon", farmland_patches(n_patches, rng), {}),
            Layer("boundary", "polygon", np.array([boundary_polygon(n_vertices, rng)]), {}),
        ]
        partial = path.with_suffix(".part.gpkg")  # renamed when complete: an interrupted run leaves no cache
        write_geopackage(str(partial), layers, vacuum=False)
    os.replace(partial, path)
    print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def qgis():
    """QGIS with Processing and the plugin's provider, started once per process (other sections may share it)."""
    if QgsApplication.instance() is None:
        from qgis_headless import start

        globals()["_app"] = start()
    import processing

    return processing


class Timed(QgsProcessingFeedback):
    """A Processing feedback that notes when progress first reaches some marks (the algorithm's phases), keeps the
    log out of the table, and can be cancelled from a timer."""

    def __init__(self, marks=()):
        super().__init__()
        self.start = time.perf_counter()
        self.marks = {mark: None for mark in marks}
        self.last = 0.0
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        self.last = value
        for mark, seen in self.marks.items():
            if seen is None and value >= mark:
                self.marks[mark] = time.perf_counter() - self.start

    def pushInfo(self, info):  # noqa: N802
        pass


def run_check(processing, layers) -> tuple[float, dict, object]:
    feedback = Timed(marks=(10, 40, 90))
    started = time.perf_counter()
    result = processing.run("landbureau:upstairscheck", {
        "INPUT": layers["plans"], "FARMLAND": layers["farmland"], "URBAN_BOUNDARY": layers["boundary"],
        "OUTPUT": "memory:", "VIOLATIONS": "memory:"}, feedback=feedback)
    return time.perf_counter() - started, feedback.marks, result["OUTPUT"]


def run_native(processing, layers, budget: float) -> tuple[float, float, bool, object]:
    """(seconds, share done, finished, output). Cancelled when the budget runs out."""
    feedback = Timed()
    timer = threading.Timer(budget, feedback.cancel)
    timer.start()
    started = time.perf_counter()
    try:
        result = processing.run("native:calculatevectoroverlaps", {
            "INPUT": layers["plans"], "LAYERS": [layers["farmland"], layers["boundary"]], "OUTPUT": "memory:"},
            feedback=feedback)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    done = 1.0 if not feedback.isCanceled() else max(feedback.last / 100.0, 1e-9)
    return seconds, done, not feedback.isCanceled(), result["OUTPUT"]


def agreement(ours, native) -> dict:
    """Farmland m² per plan and m² inside the boundary, ours against native, on the plans native finished."""
    mine = {f["方案编号"]: (f["farmland_m2"], f["area_m2"] - f["outside_boundary_m2"]) for f in ours.getFeatures()}
    farm, inside = [], []
    for feature in native.getFeatures():
        plan_id = feature["方案编号"]
        if plan_id in mine and feature["farmland_area"] is not None:
            farm.append(abs(mine[plan_id][0] - feature["farmland_area"]))
            inside.append(abs(mine[plan_id][1] - feature["boundary_area"]))
    farm, inside = np.array(farm), np.array(inside)
    return {"plans": len(farm), "farm_max": farm.max() if len(farm) else np.nan,
            "inside_max": inside.max() if len(inside) else np.nan,
            "plans_on_farmland": int(sum(v[0] > 0 for v in mine.values()))}


def main() -> None:
    """Print the upstairs table."""
    path = dataset()
    processing = qgis()
    from qgis.core import QgsProject, QgsVectorLayer

    QgsProject.instance().setEllipsoid("NONE")  # planar areas on both sides, in EPSG:4549 metres
    layers = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
              for name in ("plans", "farmland", "boundary")}
    n_plans, n_patches, n_vertices = sizes()
    budget = float(os.environ.get("UPSTAIRS_BENCH_NATIVE_BUDGET", "900"))

    ours_s, marks, ours = run_check(processing, layers)
    native_s, done, finished, native = run_native(processing, layers, budget)
    agree = agreement(ours, native)

    print(f"{n_plans:,} plans, {n_patches:,} farmland patches, boundary of {n_vertices:,} vertices "
          f"({agree['plans_on_farmland']:,} plans touch farmland)")
    print(f"{'':>38} | {'seconds':>9}")
    print(f"{'landbureau:upstairscheck, end to end':>38} | {ours_s:>9.1f}")
    phases = (("  read the plans", 0, marks[10]), ("  read + index the constraint layers", marks[10], marks[40]),
              ("  overlay and rules", marks[40], marks[90]), ("  write the outputs", marks[90], ours_s))
    for label, begin, end in phases:
        if begin is not None and end is not None:
            print(f"{label:>38} | {end - begin:>9.1f}")
    if finished:
        print(f"{'native:calculatevectoroverlaps':>38} | {native_s:>9.1f}")
    else:
        print(f"{'native:calculatevectoroverlaps':>38} | {native_s:>9.1f}  stopped at the {budget:.0f} s budget, "
              f"{100 * done:.1f} % done: ~{native_s / done:,.0f} s for all")
    print(f"agreement on {agree['plans']:,} plans: farmland m² per plan max |diff| {agree['farm_max']:.2e}, "
          f"m² inside the boundary max |diff| {agree['inside_max']:.2e}")


if __name__ == "__main__":
    main()
