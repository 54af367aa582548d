"""An in-database run through Processing, as users run it, while other users edit the tables and things go wrong.

- Rows updated, deleted or inserted by a second connection mid-run: the output layer, the summary and the results
  all describe the run's own snapshot — exactly what the local engine gives on the tables as they were before the
  edits — and the edits themselves go through and stay.
- A cancel, a failure writing into an existing GeoPackage: a clear message, no output left, no run in
  land_bureau.runs.
- Run locally, a shared table is read once: other users' edits do not reach the output either; a file edited
  between the local engine's two reads is refused.
A killed connection, a read-only role, a table without primary key or spatial index: the bad-input corpus
(tests/corpus/make_corpus.py, "PostGIS faults"), on small tables with values computed by hand. These tests compare
the output with the local engine's on a generated city of 300 parcels.
"""
from __future__ import annotations

from pathlib import Path

import postgis_db
import pytest
from processing_runs import Feedback, assert_same_rows, rows_of, run_algorithm
from psycopg2 import sql

AUTOMATIC, LOCAL, DATABASE = 0, 1, 2


def efficiency(parcels, buildings, output: Path, engine: int, feedback: Feedback | None = None, **extra):
    import json

    feedback = feedback or Feedback()
    results, feedback = run_algorithm("landbureau:lowefficiency", {
        "PARCELS": parcels, "BUILDINGS": buildings, "ENGINE": engine, "OUTPUT": str(output), **extra}, feedback)
    if results is None:
        return None, feedback
    return json.loads(results["SUMMARY"]), feedback


def assert_same_counts(got: dict, expected: dict) -> None:
    """{class: {"parcels": n, "mu": area}}: same parcels per class, areas to 1e-12 (sums in another order)."""
    assert got.keys() == expected.keys()
    for name, counts in expected.items():
        assert got[name]["parcels"] == counts["parcels"], name
        assert got[name]["mu"] == pytest.approx(counts["mu"], rel=1e-12), name


def run_rows(conn) -> tuple[int, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM land_bureau.runs), "
                    "(SELECT count(*) FROM land_bureau.efficiency_results)")
        return cur.fetchone()


def the_run_backend(conn) -> list:
    """pid of the one in-database run in progress (its transaction open, between two statements)."""
    with conn.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'land_bureau' "
                    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
        return [row[0] for row in cur.fetchall()]


# The run's progress (overall, in Processing's feedback) at its steps: 1.25 % snapshot taken (run id drawn),
# 5 % parcels read, 21.25 % judged, 23.75 % results and run log written, before the output layer is written.
AFTER_SNAPSHOT, AFTER_READING, BEFORE_OUTPUT = 1, 5, 23


@pytest.mark.parametrize("at", [AFTER_SNAPSHOT, AFTER_READING, BEFORE_OUTPUT])
def test_edits_during_a_run_do_not_reach_its_output(plugin, pg_city, pg_conn, pg_schema, tmp_path, at):
    """A parcel re-coded 1001 → 0701 (the city's codes are the 2023 guide's), one deleted and one inserted by
    another user mid-run: the output is the tables as they were when the run started — equal, attribute by
    attribute and geometry by geometry, to the local engine's output before the edits; summary count = layer
    count; the edits are in the table afterwards."""
    parcels, buildings, _, _ = pg_city
    table = sql.Identifier(pg_schema, "地块")
    expected_summary, _ = efficiency(parcels, buildings, tmp_path / "local.gpkg", LOCAL)
    expected = rows_of(tmp_path / "local.gpkg")
    low_1001 = sorted(k for k, (v, _) in expected.items() if v["ydxz"] == "1001" and v["low_eff"] == 1)
    assert low_1001, "the city has low-efficiency 1001 parcels"
    recoded, deleted = low_1001[0], low_1001[1]
    edited = {}

    def edit():  # another planner, with a short lock timeout: a run blocking edits would fail this
        other = postgis_db.connect()
        with other.cursor() as cur:
            cur.execute("SET lock_timeout = '2s'")
            cur.execute(sql.SQL("UPDATE {} SET ydxz = '0701', rjl = 3.5 WHERE id = %s").format(table),
                        (recoded,))
            cur.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(table), (deleted,))
            cur.execute(sql.SQL("INSERT INTO {t} (\"地块编号\", ydxz, geom) SELECT 'NEW-1', '1001', geom FROM {t} "
                                "WHERE id = %s RETURNING id").format(t=table), (recoded,))
            edited["inserted"] = cur.fetchone()[0]
        other.close()

    before = run_rows(pg_conn)
    feedback = Feedback(at, edit)
    summary, feedback = efficiency(parcels, buildings, tmp_path / "db.gpkg", DATABASE, feedback)
    assert feedback.fired and not feedback.errors, feedback.errors
    got = rows_of(tmp_path / "db.gpkg")
    assert_same_rows(got, expected)
    assert got[recoded][0]["ydxz"] == "1001" and got[recoded][0]["low_eff"] == 1
    assert deleted in got and edited["inserted"] not in got
    assert summary["parcels"] == len(got) == 300 == expected_summary["parcels"]
    assert_same_counts(summary["per_grade"], expected_summary["per_grade"])
    assert_same_counts({"low": summary["low_eff"]}, {"low": expected_summary["low_eff"]})
    assert run_rows(pg_conn) == (before[0] + 1, before[1] + 300)
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT ydxz, rjl FROM {} WHERE id = %s").format(table), (recoded,))
        assert cur.fetchone() == ("0701", 3.5)
        cur.execute(sql.SQL("SELECT count(*), count(*) FILTER (WHERE id = %s) FROM {}").format(table), (deleted,))
        assert cur.fetchone() == (300, 0)  # one deleted, one inserted


def test_a_cancel_while_writing_leaves_no_output_and_no_run(plugin, pg_city, pg_conn, tmp_path):
    parcels, buildings, _, _ = pg_city
    efficiency(parcels, buildings, tmp_path / "first.gpkg", DATABASE)
    before = run_rows(pg_conn)
    feedback = Feedback(BEFORE_OUTPUT, lambda: feedback.cancel())
    summary, feedback = efficiency(parcels, buildings, tmp_path / "out.gpkg", DATABASE, feedback)
    assert summary is None and feedback.fired and feedback.errors
    assert not (tmp_path / "out.gpkg").exists()
    assert run_rows(pg_conn) == before


def test_a_failed_run_removes_only_its_own_layer_from_an_existing_geopackage(plugin, pg_city, pg_conn, tmp_path):
    """OUTPUT as a new layer of a GeoPackage that holds other data: a failure removes that layer, nothing else."""
    from qgis.core import QgsVectorLayer

    parcels, buildings, _, _ = pg_city
    kept = tmp_path / "kept.gpkg"
    efficiency(parcels, buildings, kept, LOCAL)
    rows = rows_of(kept)

    def cut():
        with pg_conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(%s)",
                        (the_run_backend(pg_conn),))

    target = f"ogr:dbname='{kept}' table=\"second\" (geom)"
    summary, feedback = efficiency(parcels, buildings, target, DATABASE, Feedback(BEFORE_OUTPUT, cut))
    assert summary is None and feedback.fired
    assert rows_of(kept) == rows
    assert not QgsVectorLayer(f"{kept}|layername=second", "x", "ogr").isValid()


def test_output_attributes_of_every_column_type_equal_the_local_engines(plugin, pg_conn, pg_schema, tmp_path):
    """The snapshot's rows are written as QGIS's provider reads them: every column type a cadastre table holds."""
    table = sql.Identifier(pg_schema, "types")
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL(
            "CREATE TABLE {t} (id serial PRIMARY KEY, i2 smallint, i8 bigint, f4 real, num numeric, n2 numeric(10,2),"
            " t text, vc varchar(20), ch char(4), b boolean, d date, ts timestamp, tz timestamptz, tm time,"
            " arr int[], u uuid, \"用地性质\" text, \"容积率\" float8, geom geometry(MultiPolygon, 4549));"
            "CREATE INDEX ON {t} USING gist (geom);"
            "INSERT INTO {t} VALUES (1, 1, 9007199254740993, 1.5, 12345.678901234567, 3.14, '文本', 'vc', 'ab',"
            " true, '2024-02-29', '2024-03-01 12:34:56.789', '2024-03-01 12:34:56+08', '12:34:56',"
            " '{{1,2}}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '0601', 0.4,"
            " 'SRID=4549;MULTIPOLYGON(((500000 3300000, 500100 3300000, 500100 3300100, 500000 3300000)))');"
            "INSERT INTO {t} (id, \"用地性质\", geom) VALUES (2, '0601', NULL), (3, NULL,"
            " 'SRID=4549;MULTIPOLYGON(((500200 3300000, 500300 3300000, 500300 3300100, 500200 3300000)))')"
        ).format(t=table))
    layer = postgis_db.layer(pg_schema, "types")
    gbt21010 = {"LAND_USE_SYSTEM": "gbt21010"}  # "0601" alone is also the 2023 guide's rural road
    summary, feedback = efficiency(layer, None, tmp_path / "db.gpkg", DATABASE, **gbt21010)
    assert not feedback.errors, feedback.errors
    efficiency(layer, None, tmp_path / "local.gpkg", LOCAL, **gbt21010)
    got, expected = rows_of(tmp_path / "db.gpkg"), rows_of(tmp_path / "local.gpkg")
    assert_same_rows(got, expected)
    assert summary["parcels"] == len(got) == 3


@pytest.mark.parametrize("change", [
    "INSERT INTO {t} (\"地块编号\", ydxz, geom) SELECT 'NEW-1', '0601', geom FROM {t} WHERE id = 5",
    "DELETE FROM {t} WHERE id IN (5, 6)",
    "UPDATE {t} SET ydxz = '0701', rjl = 3.5, geom = ST_Translate(geom, 5, 0) WHERE id IN (5, 6)"])
def test_the_local_engine_writes_a_shared_table_as_it_read_it(plugin, pg_city, pg_schema, tmp_path, change):
    """Run locally, a shared table is read once (qgis_bridge.read_once): a row inserted, deleted or updated by
    another user after the run read it is not in its output — the output equals, attribute by attribute and
    geometry by geometry, the one written before the edit; never a KeyError, never rows and results of two
    different states."""
    parcels, buildings, _, _ = pg_city
    expected_summary, _ = efficiency(parcels, buildings, tmp_path / "before.gpkg", LOCAL)

    def edit():
        other = postgis_db.connect()
        with other.cursor() as cur:
            cur.execute(sql.SQL(change).format(t=sql.Identifier(pg_schema, "地块")))
        other.close()

    judged = 50  # local engine: parcels and buildings read (steps 1-2 of 4), the output not yet written
    summary, feedback = efficiency(parcels, buildings, tmp_path / "out.gpkg", LOCAL, Feedback(judged, edit))
    assert feedback.fired and not feedback.errors, feedback.errors
    assert_same_rows(rows_of(tmp_path / "out.gpkg"), rows_of(tmp_path / "before.gpkg"))
    assert summary["parcels"] == expected_summary["parcels"] == 300


def test_a_file_edited_between_the_two_reads_of_a_local_run_is_refused(plugin, pg_city_gpkg, tmp_path):
    """A file is read twice (to judge, then to write): a feature another program adds in between is a clear error
    naming the layer — never a KeyError, never an output whose rows and summary disagree."""
    import shutil

    from osgeo import ogr

    city = tmp_path / "city.gpkg"
    shutil.copy(pg_city_gpkg, city)

    def edit():
        dataset = ogr.Open(str(city), update=1)
        layer = dataset.GetLayerByName("地块")
        model = layer.GetFeature(5)  # kept: the geometry belongs to it
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(model.GetGeometryRef().Clone())
        layer.CreateFeature(feature)
        dataset = None

    parcels, buildings = f"{city}|layername=地块", f"{city}|layername=建筑"
    summary, feedback = efficiency(parcels, buildings, tmp_path / "out.gpkg", LOCAL, Feedback(50, edit))
    assert summary is None and feedback.fired
    assert [e for e in feedback.errors if "地块" in e and "changed while the run read it" in e and "was added" in e], \
        feedback.errors
    assert not any("KeyError" in e or "Traceback" in e for e in feedback.errors)
    assert not (tmp_path / "out.gpkg").exists()
