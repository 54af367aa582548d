"""A profile's plausibility limits in both engines of landbureau:lowefficiency (analysis.plausibility.Limited): a
profile lowering the storeys limit keeps the default height limit in the database as locally, a limit switched off
(null) is off in both, and the log names the limits the run used."""
import json

import numpy as np
import pytest
from log_feedback import Recorder
from psycopg2 import sql

from land_bureau_plugin.processing.efficiency import RESULT_FIELDS

LOCAL, DATABASE = 1, 2


def plant(pg_conn, schema: str) -> None:
    """Buildings 4-7 of the generated city (its own are 1-30 storeys, below 200 m): 100 storeys, 150 storeys,
    no storeys with 600 m and no storeys with 500 m."""
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("UPDATE {} SET cs = v, jzgd = h FROM (VALUES (4, '100', NULL), (5, '150', NULL), "
                            "(6, NULL, 600.0), (7, NULL, 500.0)) AS x(i, v, h) WHERE id = i").format(
            sql.Identifier(schema, "建筑")))


def output(parcels, buildings, engine: int, profile):
    """The algorithm as users run it: {parcel id: result fields}, SUMMARY, the log."""
    import processing

    feedback = Recorder()
    done = processing.run("landbureau:lowefficiency", {
        "PARCELS": parcels, "BUILDINGS": buildings, "ENGINE": engine, "OUTPUT": "memory:", "PROFILE": str(profile)},
        feedback=feedback)
    rows = {f["id"]: [f[field.name] for field in RESULT_FIELDS] for f in done["OUTPUT"].getFeatures()}
    return rows, json.loads(done["SUMMARY"]), feedback.text


def same_rows(database: dict, local: dict) -> None:
    assert database.keys() == local.keys()
    for key, values in local.items():
        np.testing.assert_allclose([v if isinstance(v, float) else np.nan for v in database[key]],
                                   [v if isinstance(v, float) else np.nan for v in values], rtol=1e-9, atol=1e-6)
        assert [v for v in database[key] if not isinstance(v, float)] == [
            v for v in values if not isinstance(v, float)]


@pytest.mark.parametrize("limits, implausible, said", [
    ({"floors": 100}, 2, "(100 storeys, 500 m)"),  # 150 storeys and 600 m; 100 storeys and 500 m are at the limits
    ({"floors": 100, "height": None}, 1, "(100 storeys)"),  # 150 storeys only
    ({"floors": None}, 1, "(500 m)"),  # 600 m only
])
def test_one_limit_in_the_profile_keeps_the_others_in_both_engines(plugin, pg_city, pg_conn, pg_schema, tmp_path,
                                                                    limits, implausible, said):
    parcels, buildings, _, _ = pg_city
    plant(pg_conn, pg_schema)
    profile = tmp_path / "limits.json"
    profile.write_text(json.dumps({"efficiency": {"limits": limits}}), encoding="utf-8")
    database, database_summary, database_log = output(parcels, buildings, DATABASE, profile)
    local, local_summary, local_log = output(parcels, buildings, LOCAL, profile)
    assert "runs in the database" in database_log
    same_rows(database, local)
    assert database_summary["buildings"]["implausible"] == local_summary["buildings"]["implausible"] == implausible
    for log in (database_log, local_log):
        assert f"{implausible} building(s) of layer 建筑 with storeys or height above the plausible limit {said}" in log
