"""PostGIS section of `make bench`: the in-database path beside the local engine, on the same PostGIS tables.

Data: the generator's city (scripts/generate_data.py, cached as build/bench/parcels_<n>.gpkg) loaded with ogr2ogr
into schema bench_<n> of the throw-away cluster (scripts/pg_cluster.sh; reloaded only when the file changed).
- low efficiency, parcels + buildings: local = what landbureau:lowefficiency does (every attribute and geometry
  read through QGIS's postgres provider, shapely overlay, evaluate); in-database = postgis.engine.run_efficiency
  (overlay in SQL on the GiST indexes, attributes only travel, results and run log written back).
- resettlement, n projects with text dates (the resettlement section's generator): local = read through QGIS +
  evaluate; in-database = postgis.engine.run_resettlement (one INSERT … SELECT, results fetched back).
Both paths are checked to agree. Sizes: POSTGIS_BENCH_SIZES="100000 1000000" (default). Wall-clock only, on a
shared 2-core machine over loopback: a real network widens the gap in the database's favour, since the local path
moves every geometry over it.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
SERVICE = "landbureau"
AS_OF = dt.date(2026, 11, 27)


def sizes() -> list[int]:
    return [int(n) for n in os.environ.get("POSTGIS_BENCH_SIZES", "100000 1000000").split()]


def cluster():
    """Start the cluster (idempotent) and return a psycopg2 connection as the read-write user."""
    import psycopg2

    subprocess.run(["bash", str(ROOT / "scripts" / "pg_cluster.sh"), "start"], check=True, capture_output=True)
    os.environ["PGSERVICEFILE"] = str(ROOT / "build" / "pg" / "pg_service.conf")
    conn = psycopg2.connect(service=SERVICE)
    conn.autocommit = True
    return conn


def dataset(n: int, low_share: float | None = None) -> Path:
    """The generator's city of n parcels, generated once; `low_share` (generate_data.py --low-share): a city with
    that share of low-efficiency enterprise parcels, cached under a name of its own (parcels_<n>_low<share>.gpkg)."""
    dense = "" if low_share is None else f"_low{low_share:g}"
    path = CACHE / f"parcels_{n}{dense}.gpkg"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.gpkg")
        share = [] if low_share is None else ["--low-share", repr(low_share)]
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), str(partial), "--parcels", str(n),
                        *share], check=True, capture_output=True)
        os.replace(partial, path)
    return path


def loaded(conn, n: int) -> str:
    """Schema bench_<n> holding the city of `dataset(n)`, loaded once per version of the file."""
    from psycopg2 import sql

    path, schema = dataset(n), f"bench_{n}"
    stamp = f"{path.stat().st_size}:{int(path.stat().st_mtime)}"
    with conn.cursor() as cur:
        cur.execute("SELECT obj_description(to_regnamespace(%s), 'pg_namespace')", (schema,))
        row = cur.fetchone()
        if row and row[0] == stamp:
            return schema
        started = time.perf_counter()
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s}").format(s=sql.Identifier(schema)))
        subprocess.run(["ogr2ogr", "-f", "PostgreSQL", f"PG:service={SERVICE}", str(path), "-lco", f"SCHEMA={schema}",
                        "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=id", "--config", "PG_USE_COPY", "YES"],
                       check=True, capture_output=True)
        cur.execute(sql.SQL("ANALYZE {}; ANALYZE {}").format(sql.Identifier(schema, "地块"),
                                                             sql.Identifier(schema, "建筑")))
        cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(schema), sql.Literal(stamp)))
        print(f"loaded {path.name} into {schema} with ogr2ogr in {time.perf_counter() - started:.1f} s", flush=True)
    return schema


def layer(schema: str, table: str, geometry: str | None = "geom"):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri(f"service='{SERVICE}'")
    uri.setDataSource(schema, table, geometry, "", "id")
    return QgsVectorLayer(uri.uri(False), table, "postgres")


class Marks:
    """A feedback that notes when progress first reaches each mark (the in-database run's phases)."""

    def __init__(self, marks):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.start = time.perf_counter()
        self.at = {mark: None for mark in marks}
        self.feedback.progressChanged.connect(self._progress)

    def _progress(self, percent):
        for mark in self.at:
            if self.at[mark] is None and percent >= mark:
                self.at[mark] = time.perf_counter() - self.start


def efficiency_local(parcels, buildings, parcel_map, building_map):
    from land_bureau_plugin.analysis import efficiency
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for, read_columns

    t0 = time.perf_counter()
    planar = planar_crs_for(parcels)
    p = read_columns(parcels, parcel_map, with_geometry=True, target_crs=planar)
    t1 = time.perf_counter()
    b = read_columns(buildings, building_map, with_geometry=True, target_crs=planar)
    t2 = time.perf_counter()
    result = efficiency.evaluate(p.frame, p.geometries, b.geometries, b.frame.get("floors"), b.frame.get("height"),
                                 field_labels=parcel_map)
    t3 = time.perf_counter()
    return result, {"read parcels": t1 - t0, "read buildings": t2 - t1, "evaluate": t3 - t2, "total": t3 - t0}


def efficiency_database(parcels, buildings, parcel_map, building_map):
    from land_bureau_plugin.postgis import engine

    marks = Marks((5, 20, 85, 100))
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map, feedback=marks.feedback)
    total = time.perf_counter() - marks.start
    at = marks.at
    return run.result, {"checks, run id": at[5], "read attributes": at[20] - at[5],
                        "overlay + evaluate": at[85] - at[20], "write results + log": total - at[85], "total": total}


def resettlement_table(conn, n: int) -> str:
    """bench_res_<n>: n projects with dates as text in mixed forms (the resettlement section's generator)."""
    from psycopg2 import sql
    from resettlement_bench import projects

    name = f"bench_res_{n}"
    table = sql.Identifier("public", name)
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (f"public.{name}",))
        if cur.fetchone()[0]:
            return name
        frame = projects(n)
        cur.execute(sql.SQL("CREATE TABLE {} (id serial PRIMARY KEY, \"项目编号\" text, \"征迁日期\" text, "
                            "\"安置房开工日期\" text, \"户数\" integer)").format(table))
        buffer = io.StringIO()
        frame[["project_id", "expropriation_date", "housing_start_date", "households"]].to_csv(
            buffer, index=False, header=False, na_rep=r"\N")
        buffer.seek(0)
        cur.copy_expert(sql.SQL("COPY {} (\"项目编号\", \"征迁日期\", \"安置房开工日期\", \"户数\") FROM STDIN "
                                "WITH (FORMAT csv, NULL '\\N')").format(table).as_string(cur), buffer)
        cur.execute(sql.SQL("ANALYZE {}").format(table))
    return name


def resettlement_both(conn, n: int):
    from land_bureau_plugin.analysis import resettlement
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of
    from land_bureau_plugin.qgis_bridge.layers import read_columns

    projects = layer("public", resettlement_table(conn, n), None)
    field_map = field_map_of(projects, "resettlement_projects")
    t0 = time.perf_counter()
    frame = read_columns(projects, field_map).frame
    local = resettlement.evaluate(frame, AS_OF, field_labels=field_map)
    local_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = engine.run_resettlement(projects, field_map, AS_OF)
    database_s = time.perf_counter() - t0
    same = all((local[c].astype(str).to_numpy() == run.result.loc[local.index, c].astype(str).to_numpy()).all()
               for c in ("start_status", "complete_status", "resettle_status", "grade", "reasons"))
    return local_s, database_s, same


RESULT = "RESULT "


def efficiency_measurement(path: Path, n: int) -> dict:
    """The efficiency section's PostGIS hook: landbureau:lowefficiency end to end with the in-database engine on
    the same city loaded into PostGIS (bench_<n>), writing a GeoPackage like the local measurement, in a child
    process (its own peak memory): {"seconds", "peak_mb", "far": path of a {地块编号: FAR} JSON}."""
    import json

    conn = cluster()
    loaded(conn, n)  # loading is not part of the measurement
    conn.close()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "measure", str(n)], capture_output=True,
                          text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(lines[-1][len(RESULT):])


def measure_child(n: int) -> None:
    import json
    import resource
    import sqlite3

    from qgis_headless import start

    app, _plugin = start()
    import processing

    os.environ["PGSERVICEFILE"] = str(ROOT / "build" / "pg" / "pg_service.conf")
    schema = f"bench_{n}"
    output = CACHE / "efficiency" / f"lowefficiency_postgis_{n}.gpkg"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    processing.run("landbureau:lowefficiency", {"PARCELS": layer(schema, "地块"), "BUILDINGS": layer(schema, "建筑"),
                                                "ENGINE": 2, "OUTPUT": str(output)})
    seconds = time.perf_counter() - started
    with sqlite3.connect(output) as db:
        table = db.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
        far = dict(db.execute(f'SELECT "地块编号", "far" FROM "{table}"'))
    far_path = CACHE / "efficiency" / f"far_postgis_{n}.json"
    far_path.write_text(json.dumps(far), encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT + json.dumps({"seconds": seconds, "peak_mb": peak, "far": str(far_path)}), flush=True)
    del app


def main() -> None:
    """Print the PostGIS table."""
    from qgis.core import QgsApplication

    if QgsApplication.instance() is None:
        from qgis_headless import start

        globals()["_app"] = start()
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    conn = cluster()
    for n in sizes():
        schema = loaded(conn, n)
        parcels, buildings = layer(schema, "地块"), layer(schema, "建筑")
        parcel_map = field_map_of(parcels, "parcels")
        building_map = {k: v for k, v in field_map_of(buildings, "buildings").items() if k in ("floors", "height")}
        local, local_t = efficiency_local(parcels, buildings, parcel_map, building_map)
        database, database_t = efficiency_database(parcels, buildings, parcel_map, building_map)
        database = database.loc[local.index]
        far_diff = np.nanmax(np.abs(database["far"].to_numpy(float) - local["far"].to_numpy(float)))
        same = bool((database["grade"].fillna("-") == local["grade"].fillna("-")).all()
                    and (database["low_eff"] == local["low_eff"]).all()
                    and (database["reasons"] == local["reasons"]).all())
        print(f"\nlow efficiency: {n:,} parcels, {buildings.featureCount():,} buildings (PostGIS, loopback)")
        print(f"{'local engine (QGIS reads all)':>34} | {'s':>7} || {'in-database':>26} | {'s':>7}")
        rows = max(len(local_t), len(database_t))
        for (a, x), (b, y) in zip(list(local_t.items()) + [("", None)] * (rows - len(local_t)),
                                  list(database_t.items()) + [("", None)] * (rows - len(database_t))):
            left = f"{x:>7.1f}" if x is not None else " " * 7
            right = f"{y:>7.1f}" if y is not None else " " * 7
            print(f"{a:>34} | {left} || {b:>26} | {right}")
        print(f"agreement: max |Δ FAR| {far_diff:.1e}; grades, flags and reasons identical: {same}")
        local_s, database_s, same = resettlement_both(conn, n)
        print(f"resettlement, {n:,} projects: local engine {local_s:.1f} s | in-database {database_s:.1f} s | "
              f"statuses, grades and reasons identical: {same}")
    conn.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        measure_child(int(sys.argv[2]))
    else:
        main()
