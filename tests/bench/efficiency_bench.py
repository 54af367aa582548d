"""Low-efficiency section of `make bench`: landbureau:lowefficiency beside its I/O floor and QGIS's own pipeline.

On the generator's city (scripts/generate_data.py: n parcels, ≈1.5 buildings each; cached as build/bench/
parcels_<n>.gpkg, shared with the PostGIS section), for n in EFFICIENCY_BENCH_SIZES (default 10000 100000 1000000):
- I/O floor: both layers read through qgis_bridge.layers.read_columns exactly as the algorithm reads them;
- lowefficiency: processing.run end to end (read, overlay, score, clusters, write a GeoPackage);
- native: native:intersection (buildings × parcels) + native:fieldcalculator (clipped area × storeys, the same
  storey rule) + native:aggregate (sum per parcel) — QGIS's closest own way to floor area per parcel. It is slow
  (over 10 minutes at 100k), so it gets a budget (EFFICIENCY_BENCH_NATIVE_BUDGET seconds, default 600): a size
  whose run is estimated (from the previous size, scaled by n) or measured to exceed it prints "skipped (> N min)";
- PostGIS: a hook (`postgis_measurement`) the PostGIS work fills; "n/a" until then or without PostgreSQL.
Each measurement runs in a child process (a fresh interpreter, so its peak memory — getrusage's ru_maxrss — is its
own). FAR per parcel is compared between the implementations that ran (max |difference|). Wall-clock only; the
machine is shared, so read the ratios, not the last digit.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "bench" / "efficiency"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from postgis_bench import dataset  # noqa: E402 — the shared cache of generated cities

PARCELS, BUILDINGS = "地块", "建筑"
RESULT = "RESULT "  # prefix of a child's JSON line


def sizes() -> list[int]:
    return [int(n) for n in os.environ.get("EFFICIENCY_BENCH_SIZES", "10000 100000 1000000").split()]


def native_budget() -> float:
    return float(os.environ.get("EFFICIENCY_BENCH_NATIVE_BUDGET", "600"))


# --- the measurements, each in its own process ------------------------------------------------------------------

def layers(path: Path):
    from qgis.core import QgsVectorLayer

    return (QgsVectorLayer(f"{path}|layername={PARCELS}", PARCELS, "ogr"),
            QgsVectorLayer(f"{path}|layername={BUILDINGS}", BUILDINGS, "ogr"))


def measure_io(path: Path, n: int) -> dict:
    """Both layers read the way the algorithm reads them (same fields, float columns, planar geometries)."""
    from land_bureau_plugin.processing.efficiency import BUILDING_COLUMNS, numeric_fields
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for, read_columns

    parcels, buildings = layers(path)
    parcel_map = field_map_of(parcels, "parcels")
    building_map = {k: v for k, v in field_map_of(buildings, "buildings").items() if k in BUILDING_COLUMNS}
    planar = planar_crs_for(parcels)
    started = time.perf_counter()
    read_columns(parcels, parcel_map, True, planar, numeric=numeric_fields(parcel_map))
    read_columns(buildings, building_map, True, planar, numeric=BUILDING_COLUMNS)
    return {"seconds": time.perf_counter() - started}


def measure_algorithm(path: Path, n: int) -> dict:
    import processing

    parcels, buildings = layers(path)
    output = fresh(OUT / f"lowefficiency_{n}.gpkg")
    started = time.perf_counter()
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "BUILDINGS": buildings, "OUTPUT": str(output)})
    seconds = time.perf_counter() - started
    far = sqlite_column(output, "地块编号", "far")
    return {"seconds": seconds, "far": save(far, n, "algorithm")}


STOREYS = 'coalesce(if("CS" > 0, "CS", NULL), if("JZGD" > 0, max(1, floor("JZGD" / 4.5 + 0.5)), NULL), 1)'


def measure_native(path: Path, n: int) -> dict:
    """intersection → clipped area × storeys (the algorithm's storey rule, default storey height) → sum per parcel."""
    import processing

    parcels, buildings = layers(path)
    started = time.perf_counter()
    pieces = processing.run("native:intersection", {
        "INPUT": buildings, "OVERLAY": parcels, "INPUT_FIELDS": ["CS", "JZGD"], "OVERLAY_FIELDS": ["地块编号"],
        "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    floors = processing.run("native:fieldcalculator", {
        "INPUT": pieces, "FIELD_NAME": "floor_area", "FIELD_TYPE": 0, "FIELD_LENGTH": 20, "FIELD_PRECISION": 6,
        "FORMULA": f"area($geometry) * {STOREYS}", "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    totals = processing.run("native:aggregate", {
        "INPUT": floors, "GROUP_BY": '"地块编号"', "OUTPUT": "TEMPORARY_OUTPUT", "AGGREGATES": [
            {"aggregate": "first_value", "delimiter": ",", "input": '"地块编号"', "length": 0, "name": "parcel",
             "precision": 0, "type": 10},
            {"aggregate": "sum", "delimiter": ",", "input": '"floor_area"', "length": 20, "name": "floor_area",
             "precision": 6, "type": 6}]})["OUTPUT"]
    seconds = time.perf_counter() - started
    floor_area = {f["parcel"]: f["floor_area"] for f in totals.getFeatures()}
    far = {pid: floor_area.get(pid, 0.0) / area for pid, area in parcel_areas(parcels).items() if area > 0}
    return {"seconds": seconds, "far": save(far, n, "native")}


def parcel_areas(parcels) -> dict:
    import shapely

    from land_bureau_plugin.qgis_bridge.layers import read_columns

    columns = read_columns(parcels, {"parcel_id": "地块编号"}, with_geometry=True)
    return dict(zip(columns.frame["parcel_id"], shapely.area(shapely.make_valid(columns.geometries))))


MEASUREMENTS = {"io": measure_io, "algorithm": measure_algorithm, "native": measure_native}


def fresh(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return path


def sqlite_column(gpkg: Path, key: str, value: str) -> dict:
    """{key: value} from the one table of a GeoPackage (plain SQLite: no QGIS needed to read attributes back)."""
    import sqlite3

    with sqlite3.connect(gpkg) as db:
        table = db.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
        return dict(db.execute(f'SELECT "{key}", "{value}" FROM "{table}"'))


def save(far: dict, n: int, name: str) -> str:
    """FAR per parcel id to a JSON file the parent compares (too big for the child's stdout at a million)."""
    path = fresh(OUT / f"far_{name}_{n}.json")
    path.write_text(json.dumps(far), encoding="utf-8")
    return str(path)


def child(kind: str, path: str, n: int) -> None:
    """Entry point of a measurement process: start QGIS headless, measure, print one RESULT line."""
    from qgis_headless import start

    app, _plugin = start()
    result = MEASUREMENTS[kind](Path(path), n)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT + json.dumps(result), flush=True)
    del app


def run_child(kind: str, path: Path, n: int, timeout: float | None = None) -> dict | None:
    """A measurement in a fresh process; None when it ran out of time (the child is killed)."""
    command = [sys.executable, str(Path(__file__).resolve()), kind, str(path), str(n)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} at {n} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len(RESULT):])


# --- PostGIS hook -----------------------------------------------------------------------------------------------

def postgis_measurement(path: Path, n: int) -> dict | None:
    """{"seconds", "peak_mb", "far": path of a {parcel id: FAR} JSON} for the same city computed in PostGIS, or
    None (printed "n/a") when there is no PostGIS measurement: filled in by the PostGIS section's
    `efficiency_measurement(path, n)` when it provides one and PostgreSQL is available."""
    try:
        import postgis_bench
    except ImportError:
        return None
    measure = getattr(postgis_bench, "efficiency_measurement", None)
    try:
        return measure(path, n) if measure is not None else None
    except Exception as exc:  # no cluster on this machine: say so in the table, do not stop the bench
        print(f"PostGIS measurement unavailable: {exc}", flush=True)
        return None


# --- the table ----------------------------------------------------------------------------------------------------

def max_difference(reference: str, other: str | None) -> float | None:
    if other is None:
        return None
    base = json.loads(Path(reference).read_text(encoding="utf-8"))
    compared = json.loads(Path(other).read_text(encoding="utf-8"))
    common = [pid for pid, far in compared.items() if far is not None and base.get(pid) is not None]
    return max((abs(base[pid] - compared[pid]) for pid in common), default=0.0)


def speedup(native: dict | None, algorithm: dict, ran: bool, budget: float) -> str:
    """How many times faster than native: measured, at least budget / time when native ran out, else —."""
    if native is not None:
        return f"{native['seconds'] / algorithm['seconds']:.0f}×"
    return f">{budget / algorithm['seconds']:.0f}×" if ran else "—"


def cell(result: dict | None, skipped: str = "n/a") -> str:
    if result is None:
        return f"{skipped:>22}"
    return f"{result['seconds']:>9.2f} s {result['peak_mb']:>6.0f} MB"


def main() -> None:
    """Print the table: one row per size, the implementations side by side, then the ratios and FAR agreement."""
    budget = native_budget()
    print(f"{'parcels':>10} {'buildings':>10} | {'I/O floor':>22} | {'lowefficiency':>22} | "
          f"{'native (intersect+agg)':>22} | {'PostGIS':>22} | {'vs native':>9} | {'÷ I/O':>5} | "
          f"{'max |ΔFAR| native, PostGIS':>27}", flush=True)
    previous_native = None
    for n in sizes():
        path = dataset(n)
        io = run_child("io", path, n)
        algorithm = run_child("algorithm", path, n)
        native, skipped = None, f"skipped (> {budget / 60:.0f} min)"
        estimate = previous_native[0] * n / previous_native[1] if previous_native else 0.0
        if estimate <= budget:
            native = run_child("native", path, n, timeout=budget)
            if native is not None:
                previous_native = (native["seconds"], n)
        postgis = postgis_measurement(path, n)
        faster = speedup(native, algorithm, estimate <= budget, budget)
        ratio = algorithm["seconds"] / io["seconds"]
        differences = [max_difference(algorithm["far"], r["far"] if r else None) for r in (native, postgis)]
        agreement = ", ".join("—" if d is None else f"{d:.1e}" for d in differences)
        print(f"{n:>10,} {buildings_of(path):>10,} | {cell(io)} | {cell(algorithm)} | {cell(native, skipped)} | "
              f"{cell(postgis)} | {faster:>9} | {ratio:>4.1f}× | {agreement:>27}", flush=True)


def buildings_of(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute(f'SELECT COUNT(*) FROM "{BUILDINGS}"').fetchone()[0]


if __name__ == "__main__":
    if len(sys.argv) == 4:
        child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    else:
        main()
