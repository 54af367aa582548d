"""Land supply in the database against the local engine — the landbureau:landsupply algorithm run on the same
PostGIS tables: every supplied parcel's status, deadline, days, fee and reasons, every batch's areas (to 1e-6 m²),
grade and unsupplied polygon, on the demo's supplied parcels and approval batches plus a batch in another SRID and
one without geometry. Also the run log and the result tables, and the automatic engine's choice."""
import json

import postgis_db
import pytest
from psycopg2 import sql
from shapely import wkt as shapely_wkt

AS_OF = "2026-11-27"
DEMO = postgis_db.ROOT / "resources" / "demo" / "demo.gpkg"
SUPPLY, BATCHES = "供地宗地", "报批批次"
PARCEL_COLUMNS = ["supply_status", "grade", "next_deadline", "next_due", "days_left", "idle_days", "idle_fee",
                  "area_m2", "developed_share", "investment_share", "reasons"]
BATCH_COLUMNS = ["batch_id", "approval_date", "approved_m2", "supplied_m2", "unsupplied_m2", "unsupplied_mu",
                 "age_days", "due", "days_left", "grade", "reasons"]
FLOATS = {"idle_fee", "area_m2", "developed_share", "investment_share", "approved_m2", "supplied_m2",
          "unsupplied_m2", "unsupplied_mu"}


@pytest.fixture()
def tables(pg_conn, pg_schema):
    """The demo's supplied parcels (EPSG:4549) and batches in PostGIS, the batches stored in CGCS2000 degrees
    (EPSG:4490, so both engines measure them in the Gauss-Krüger zone); one more batch over a parcel, one without
    geometry."""
    postgis_db.load_gpkg(DEMO, pg_schema, layers=(SUPPLY, BATCHES))
    table = sql.Identifier(pg_schema, BATCHES)
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT ST_AsText(geom) FROM {} WHERE geom IS NOT NULL ORDER BY id LIMIT 1").format(
            sql.Identifier(pg_schema, SUPPLY)))
        parcel = cur.fetchone()[0]
        cur.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN geom TYPE geometry(MultiPolygon, 4490) "
                            "USING ST_Transform(geom, 4490)").format(table))
        cur.execute(sql.SQL("INSERT INTO {} (\"批次编号\", \"批准日期\", geom) VALUES "
                            "('DEG-1', '2023-05-01', ST_Multi(ST_Transform(ST_Buffer(ST_GeomFromText(%s, 4549), 30), "
                            "4490))), ('NOGEOM', '2023-05-01', NULL)").format(table), (parcel,))
    return postgis_db.layer(pg_schema, SUPPLY), postgis_db.layer(pg_schema, BATCHES)


def run(supply, batches, engine: int):
    import processing

    return processing.run("landbureau:landsupply", {
        "SUPPLY": supply, "APPROVALS": batches, "AS_OF": AS_OF, "ENGINE": engine, "OUTPUT": "memory:",
        "UNSUPPLIED": "memory:"})


def values(feature, names) -> dict:
    """The named attributes as plain values: NULL as None, dates as text."""
    from qgis.core import NULL

    out = {}
    for name in names:
        value = feature[name]
        out[name] = None if value == NULL else value.toString("yyyy-MM-dd") if hasattr(value, "toString") else value
    return out


def assert_same(local: dict, database: dict) -> None:
    assert local.keys() == database.keys()
    for key, row in local.items():
        for name, value in row.items():
            other = database[key][name]
            if name in FLOATS and value is not None and other is not None:
                assert other == pytest.approx(value, abs=1e-6), (key, name)
            else:
                assert other == value, (key, name)


def test_both_engines_judge_and_measure_the_same(plugin, tables, pg_conn):
    supply, batches = tables
    local, database = run(supply, batches, 1), run(supply, batches, 2)
    parcels = {name: {f["id"]: values(f, PARCEL_COLUMNS) for f in result["OUTPUT"].getFeatures()}
               for name, result in (("local", local), ("database", database))}
    assert len(parcels["local"]) == 27
    assert_same(parcels["local"], parcels["database"])
    statuses = {row["supply_status"] for row in parcels["database"].values()}
    assert statuses >= {"idle", "reclaim", "unused", "government_delay", "missing", "completed", "due_soon"}
    local_batches = {f["batch_id"]: f for f in local["UNSUPPLIED"].getFeatures()}
    database_batches = {f["batch_id"]: f for f in database["UNSUPPLIED"].getFeatures()}
    assert_same({k: values(f, BATCH_COLUMNS) for k, f in local_batches.items()},
                {k: values(f, BATCH_COLUMNS) for k, f in database_batches.items()})
    assert len(database_batches) == 8 and database_batches["NOGEOM"]["grade"] == "grey"
    assert database_batches["DEG-1"]["supplied_m2"] > 0
    for key, feature in local_batches.items():
        other = database_batches[key]
        assert feature.hasGeometry() == other.hasGeometry(), key
        if feature.hasGeometry():
            mine, theirs = shapely_wkt.loads(feature.geometry().asWkt()), shapely_wkt.loads(other.geometry().asWkt())
            assert mine.symmetric_difference(theirs).area < 1e-3, key
    assert json.loads(local["SUMMARY"])["per_status"] == json.loads(database["SUMMARY"])["per_status"]
    with pg_conn.cursor() as cur:
        cur.execute("SELECT analysis, counts, parameters FROM land_bureau.runs ORDER BY run_id DESC LIMIT 1")
        analysis, counts, parameters = cur.fetchone()
        assert analysis == "landsupply" and counts["parcels"] == 27 and counts["batches"] == 8
        assert parameters["unsupplied_table"] == "land_bureau.unsupplied_results"
        cur.execute("SELECT count(*), count(geom) FROM land_bureau.unsupplied_results WHERE run_id = "
                    "(SELECT max(run_id) FROM land_bureau.runs)")
        assert cur.fetchone() == (8, sum(f.hasGeometry() for f in database_batches.values()))


def test_the_automatic_engine_runs_in_the_database_and_says_so(plugin, tables):
    import processing
    from log_feedback import Recorder

    supply, batches = tables
    feedback = Recorder()
    processing.run("landbureau:landsupply", {"SUPPLY": supply, "APPROVALS": batches, "AS_OF": AS_OF,
                                             "OUTPUT": "memory:", "UNSUPPLIED": "memory:"}, feedback=feedback)
    assert "runs in the database" in feedback.text and "land_bureau.land_supply_results" in feedback.text


def test_source_tables_are_not_changed(plugin, tables, pg_conn, pg_schema):
    supply, batches = tables
    before = [postgis_db.checksum(pg_conn, pg_schema, name) for name in (SUPPLY, BATCHES)]
    run(supply, batches, 2)
    assert [postgis_db.checksum(pg_conn, pg_schema, name) for name in (SUPPLY, BATCHES)] == before


@pytest.mark.parametrize("epsg", [4549, 4490])
def test_both_engines_on_the_worked_out_set(plugin, pg_schema, tmp_path, epsg):
    """The worked-out set (tests/land_supply_cases.py) in PostGIS, as ogr2ogr loads a GeoPackage: in the database
    and locally the same statuses, deadlines, days, fees (NULL where unknown) and reasons, and the batches' areas —
    those to 0.1 m² of shapely's (each batch less the union of the parcels, in the Gauss-Krüger zone for EPSG:4490)."""
    from land_supply_cases import AS_OF as CASES_AS_OF
    from land_supply_cases import (
        batch_grade,
        date_cases,
        expected_batches,
        gk_transform,
        parcel_rows,
        placed,
        spatial,
        write_gpkg,
    )

    source = tmp_path / "cases.gpkg"
    write_gpkg(source, epsg)
    postgis_db.load_gpkg(source, pg_schema)
    supply, batches = postgis_db.layer(pg_schema, SUPPLY), postgis_db.layer(pg_schema, BATCHES)
    import processing

    local, database = ({key: value for key, value in processing.run("landbureau:landsupply", {
        "SUPPLY": supply, "APPROVALS": batches, "AS_OF": str(CASES_AS_OF), "ENGINE": engine, "OUTPUT": "memory:",
        "UNSUPPLIED": "memory:"}).items()} for engine in (1, 2))
    parcels = {name: {f["电子监管号"]: values(f, PARCEL_COLUMNS) for f in result["OUTPUT"].getFeatures()}
               for name, result in (("local", local), ("database", database))}
    assert len(parcels["database"]) == len(parcel_rows())
    assert_same(parcels["local"], parcels["database"])
    for case in date_cases():
        row = parcels["database"][case.pid]
        got = (row["supply_status"], row["grade"], row["next_deadline"], row["days_left"], row["idle_days"])
        assert got == (case.status, case.grade, case.deadline, case.days_left, case.idle_days), case.pid
        assert (row["idle_fee"] is None) == (case.fee is None), case.pid
    _parcels, batch_rows = spatial(*placed(epsg))
    truth = expected_batches([(f, g) for f, g in parcel_rows(*placed(epsg))], batch_rows,
                             None if epsg == 4549 else gk_transform())
    tables = {name: {f["batch_id"]: values(f, BATCH_COLUMNS) for f in result["UNSUPPLIED"].getFeatures()}
              for name, result in (("local", local), ("database", database))}
    assert_same(tables["local"], tables["database"])
    for bid, approval, _geometry in batch_rows:
        row = tables["database"][bid]
        assert row["unsupplied_m2"] == pytest.approx(truth[bid][1], abs=0.1), bid
        assert row["approved_m2"] == pytest.approx(truth[bid][0], abs=0.1), bid
        assert row["grade"] == batch_grade(bid, approval, truth[bid][1]), bid
