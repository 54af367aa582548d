"""Low-efficiency section of `make bench`: landbureau:lowefficiency beside QGIS's raw read of its inputs and the
plugin as it was before columnar I/O (issue #19), then beside QGIS's own pipeline and PostGIS.

On the generator's city (scripts/generate_data.py: n parcels, ≈1.5 buildings each; cached as build/bench/
parcels_<n>.gpkg, shared with the PostGIS section), for n in EFFICIENCY_BENCH_SIZES (default 10000 100000):
- one process per size measures, one after the other on the same layers:
  raw read — both layers read through QGIS (`getFeatures`, every attribute and geometry, nothing done with them);
  lowefficiency — processing.run end to end (read, overlay, score, clusters, write a GeoPackage);
  before — the same run by the plugin of commit BASELINE (the last one before columnar reading and bulk writing),
  extracted from git into build/bench/baseline-<commit>/ and imported under a package name of its own;
  then the output is compared in SQL, row by row and column by column (geometries by their WKB), with the output of
  the plugin of commit SAME_AS (EFFICIENCY_BENCH_SAME_AS, default the last one before the speed work of #19's third
  round — 164e9b2 was the one before the second; a commit with today's rules and wording; run in the same process,
  timed too): "identical" or the number of rows that differ. The plugin "before" judged by
  older rules (grading by rank came later), so its output is not the reference. Peak memory is per phase (Linux:
  the process's peak RSS is reset before each phase through /proc/self/clear_refs, and includes what the process
  already held — QGIS itself, the layers);
- native: native:intersection (buildings × parcels) + native:fieldcalculator + native:aggregate, QGIS's closest own
  way to floor area per parcel, in a child process of its own under a budget (EFFICIENCY_BENCH_NATIVE_BUDGET
  seconds, default 600: a size whose run is estimated or measured to exceed it prints "skipped");
- PostGIS: the PostGIS section's `efficiency_measurement(path, n)`, "n/a" without PostgreSQL.
EFFICIENCY_BENCH_LOW_SHARE=S runs on a city with that share of low-efficiency enterprise parcels instead of ~0.3
(generate_data.py --low-share; e.g. 0.7, as dense in them as an old industrial city, where merge clusters are large
and many), cached as build/bench/parcels_<n>_low<S>.gpkg.
EFFICIENCY_BENCH_SURVEYED=1 runs on the city made to look surveyed (surveyed_city.py: rings of ~30 vertices, turned by
17°), cached as build/bench/parcels_<n>_surveyed.gpkg: the generator's rectangles were made to fit the code.
EFFICIENCY_BENCH_OUTLINES=1 asks both plugins for the merge cluster outlines too (CLUSTER_OUTLINES, as the panel does on
every run; the bench's own runs leave them out) and compares those as well.
EFFICIENCY_BENCH_BEFORE=0 leaves the run of the old plugin out (at 1M parcels it takes over a minute);
EFFICIENCY_BENCH_REFERENCES=0 leaves native and PostGIS out (the one-process measurements alone).
FAR per parcel is compared between the implementations that ran (max |difference|). Wall-clock, and in brackets the
CPU seconds of the measuring process (all its threads; not for PostGIS's server): the machine is shared, and when
others load it the wall-clock of the same run varies by ±20 % while its CPU time barely moves.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import shutil
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
BASELINE = "c9eb1f4"  # main just before columnar reading (#19): the plugin "before"
# main before #19's third round (SQL copy of a GeoPackage source's columns): same rules and wording. 164e9b2, before
# the second round, wrote the land-use code of a reason shorter ("for 1101", now "for 110101")
SAME_AS = os.environ.get("EFFICIENCY_BENCH_SAME_AS", "260c36b")  # "": not compared (no git history at hand)


def sizes() -> list[int]:
    return [int(n) for n in os.environ.get("EFFICIENCY_BENCH_SIZES", "10000 100000").split()]


def low_share() -> float | None:
    share = os.environ.get("EFFICIENCY_BENCH_LOW_SHARE", "")
    return float(share) if share else None


def city(n: int) -> Path:
    """The city of the size `n` this run measures (EFFICIENCY_BENCH_LOW_SHARE, EFFICIENCY_BENCH_SURVEYED)."""
    path = dataset(n, low_share())
    if os.environ.get("EFFICIENCY_BENCH_SURVEYED", "") not in ("", "0"):
        from surveyed_city import surveyed

        path = surveyed(path)
    return path


def with_outlines() -> bool:
    return os.environ.get("EFFICIENCY_BENCH_OUTLINES", "0") == "1"


def outputs(name: str, n: int) -> dict:
    """The run's OUTPUT (and CLUSTER_OUTLINES under EFFICIENCY_BENCH_OUTLINES=1), fresh GeoPackages of `name`."""
    chosen = {"OUTPUT": str(fresh(OUT / f"{name}_{n}.gpkg"))}
    if with_outlines():
        chosen["CLUSTER_OUTLINES"] = str(fresh(OUT / f"{name}_outlines_{n}.gpkg"))
    return chosen


def native_budget() -> float:
    return float(os.environ.get("EFFICIENCY_BENCH_NATIVE_BUDGET", "600"))


def with_references() -> bool:
    return os.environ.get("EFFICIENCY_BENCH_REFERENCES", "1") != "0"


def with_before() -> bool:
    return os.environ.get("EFFICIENCY_BENCH_BEFORE", "1") != "0"


# --- the measurements ---------------------------------------------------------------------------------------------

def layers(path: Path):
    from qgis.core import QgsVectorLayer

    return (QgsVectorLayer(f"{path}|layername={PARCELS}", PARCELS, "ogr"),
            QgsVectorLayer(f"{path}|layername={BUILDINGS}", BUILDINGS, "ogr"))


class Phase:
    """Wall-clock and peak resident memory of a block; the peak is reset first where Linux allows it."""

    def __enter__(self):
        gc.collect()
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.resettable = True
        except OSError:
            self.resettable = False
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.cpu = time.process_time() - self.cpu_started  # all threads: steadier than wall-clock on a busy machine
        self.peak_mb = peak_mb()
        return False

    def result(self) -> dict:
        return {"seconds": self.seconds, "cpu": self.cpu, "peak_mb": self.peak_mb}


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_together(path: Path, n: int) -> dict:
    """Raw read, the plugin end to end and, unless left out, the plugin before #19: one process, the same layers."""
    import processing

    parcels, buildings = layers(path)
    with Phase() as raw:
        for layer in (parcels, buildings):
            for _feature in layer.getFeatures():
                pass
    written = outputs("lowefficiency", n)
    with Phase() as plugin:
        processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "BUILDINGS": buildings, **written})
    output = Path(written["OUTPUT"])
    result = {"raw": raw.result(), "algorithm": plugin.result(),
              "far": save(sqlite_column(output, "地块编号", "far"), n, "algorithm")}
    if with_before():
        before_output = fresh(OUT / f"before_{n}.gpkg")
        algorithm = baseline_algorithm(BASELINE)
        with Phase() as before:
            processing.run(algorithm, {"PARCELS": parcels, "BUILDINGS": buildings, "OUTPUT": str(before_output)})
        result["before"] = before.result()
    if SAME_AS:
        reference = outputs("same_as", n)
        algorithm = baseline_algorithm(SAME_AS)
        with Phase() as same_as:
            processing.run(algorithm, {"PARCELS": parcels, "BUILDINGS": buildings, **reference})
        result["same_as"] = same_as.result()
        result["differing_rows"] = differing_rows(Path(reference["OUTPUT"]), output)
        if with_outlines():
            result["differing_outlines"] = differing_rows(Path(reference["CLUSTER_OUTLINES"]),
                                                          Path(written["CLUSTER_OUTLINES"]))
    return result


def baseline_algorithm(revision: str):
    """landbureau:lowefficiency of commit `revision`, from its own copy of the plugin (package
    land_bureau_plugin_<commit>, so that the plugins live in this one process)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", revision], capture_output=True, text=True,
                            check=True).stdout.strip()
    folder = ROOT / "build" / "bench" / f"baseline-{commit[:7]}"
    package = f"land_bureau_plugin_{commit[:7]}"
    if not (folder / package).is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "land_bureau_plugin", "resources",
                                  "i18n"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
        (folder / "land_bureau_plugin").rename(folder / package)
    sys.path.insert(0, str(folder))
    module = importlib.import_module(f"{package}.processing.efficiency")
    algorithm = module.LowEfficiencyAlgorithm()
    algorithm.initAlgorithm()
    return algorithm


WKB = ("substr({g}, 9 + CASE hex(substr({g}, 4, 1)) WHEN '03' THEN 32 WHEN '05' THEN 48 WHEN '07' THEN 48 "
       "WHEN '09' THEN 64 ELSE 0 END)")


def differing_rows(before: Path, after: Path) -> dict:
    """{"rows": rows of either output missing from the other or differing in any column both have (the
    geometry by its WKB, the blob header aside), "columns": the columns that differ, "same_schema": same columns and
    types, "added": columns the plugin writes that the old one did not (area_mu, e80eb0e), compared with nothing}."""
    import sqlite3

    with sqlite3.connect(after) as db:
        db.execute("ATTACH DATABASE ? AS before", (str(before),))
        table_after = db.execute("SELECT table_name FROM main.gpkg_contents").fetchone()[0]
        table_before = db.execute("SELECT table_name FROM before.gpkg_contents").fetchone()[0]
        columns = list(db.execute(f'PRAGMA main.table_info("{table_after}")'))
        columns_before = list(db.execute(f'PRAGMA before.table_info("{table_before}")'))
        same_schema = [c[1:3] for c in columns] == [c[1:3] for c in columns_before]
        names_before = {c[1] for c in columns_before}
        names = [c[1] for c in columns if c[1] in names_before]  # a column added since is compared with nothing
        added = [c[1] for c in columns if c[1] not in names_before]
        geometry = db.execute("SELECT column_name FROM main.gpkg_geometry_columns").fetchone()[0]
        join = f'main."{table_after}" AS a JOIN before."{table_before}" AS b USING (fid)'
        compared = {}
        for name in names:
            left, right = f'a."{name}"', f'b."{name}"'
            compared[name] = (WKB.format(g=left), WKB.format(g=right)) if name == geometry else (left, right)
        differ = {}
        for name, (left, right) in compared.items():
            count = db.execute(f"SELECT count(*) FROM {join} WHERE {left} IS NOT {right}").fetchone()[0]
            if count:
                differ[name] = count
        condition = " OR ".join(f"({compared[n][0]} IS NOT {compared[n][1]})" for n in differ) or "0"
        rows = db.execute(f"SELECT count(*) FROM {join} WHERE {condition}").fetchone()[0]
        counts = [db.execute(f'SELECT count(*) FROM {db_name}."{table}"').fetchone()[0]
                  for db_name, table in (("main", table_after), ("before", table_before))]
        joined = db.execute(f"SELECT count(*) FROM {join}").fetchone()[0]
    return {"rows": rows + (max(counts) - joined), "columns": differ, "same_schema": same_schema, "added": added}


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
    return {"seconds": seconds, "peak_mb": peak_mb(), "far": save(far, n, "native")}


def parcel_areas(parcels) -> dict:
    import shapely

    from land_bureau_plugin.qgis_bridge.layers import read_columns

    columns = read_columns(parcels, {"parcel_id": "地块编号"}, with_geometry=True)
    return dict(zip(columns.frame["parcel_id"], shapely.area(shapely.make_valid(columns.geometries))))


MEASUREMENTS = {"together": measure_together, "native": measure_native}


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
    None (printed "n/a") when there is no PostGIS measurement or PostgreSQL is unavailable."""
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


def cell(result: dict | None, skipped: str = "n/a") -> str:
    """"wall s (CPU s) peak MB"; the CPU time where the phase measured it (one process's, all its threads)."""
    if result is None:
        return f"{skipped:>27}"
    cpu = f"({result['cpu']:>5.1f})" if "cpu" in result else " " * 7
    return f"{result['seconds']:>7.2f} s {cpu} {result['peak_mb']:>6.0f} MB"


def same(together: dict) -> str:
    if "differing_rows" not in together:
        return "—"
    said = compared(together["differing_rows"])
    if "differing_outlines" in together:
        said += "; outlines " + compared(together["differing_outlines"])
    return said


def compared(found: dict) -> str:
    added = found.get("added") or []
    if found["rows"] == 0 and (found["same_schema"] or added):
        return "identical" + (f" (+{', '.join(added)})" if added else "")
    return f"{found['rows']} rows differ {found['columns']}" + ("" if found["same_schema"] else ", schema differs")


def main() -> None:
    """Print the table: one row per size, the one-process measurements first, then QGIS's pipeline and PostGIS."""
    budget = native_budget()
    print(f"{'parcels':>10} {'buildings':>9} | {'QGIS raw read':>27} | {'lowefficiency':>27} | {'÷ raw':>5} | "
          f"{'before #19':>27} | {'faster':>6} | {SAME_AS or 'same as':>27} | {'output vs ' + SAME_AS:>16} | "
          f"{'native (intersect+agg)':>27} | {'PostGIS':>27} | {'max |ΔFAR| native, PostGIS':>27}", flush=True)
    previous_native = None
    for n in sizes():
        path = city(n)
        together = run_child("together", path, n)
        raw, algorithm, before = together["raw"], together["algorithm"], together.get("before")
        native, skipped, postgis = None, f"skipped (> {budget / 60:.0f} min)", None
        estimate = previous_native[0] * n / previous_native[1] if previous_native else 0.0
        if not with_references():
            skipped = "not run"
        elif estimate <= budget:
            native = run_child("native", path, n, timeout=budget)
            if native is not None:
                previous_native = (native["seconds"], n)
        if with_references() and path == dataset(n):  # PostGIS loads the usual city (postgis_bench.loaded)
            postgis = postgis_measurement(path, n)
        differences = [max_difference(together["far"], r["far"] if r else None) for r in (native, postgis)]
        agreement = ", ".join("—" if d is None else f"{d:.1e}" for d in differences)
        faster = f"{before['seconds'] / algorithm['seconds']:.1f}×" if before else "—"
        print(f"{n:>10,} {buildings_of(path):>9,} | {cell(raw)} | {cell(algorithm)} | "
              f"{algorithm['seconds'] / raw['seconds']:>4.1f}× | {cell(before, 'not run')} | {faster:>6} | "
              f"{cell(together.get('same_as'), 'not run')} | "
              f"{same(together):>16} | {cell(native, skipped)} | {cell(postgis)} | {agreement:>27}", flush=True)


def buildings_of(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute(f'SELECT COUNT(*) FROM "{BUILDINGS}"').fetchone()[0]


if __name__ == "__main__":
    if len(sys.argv) == 4:
        child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    else:
        main()
