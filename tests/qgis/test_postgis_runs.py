"""Many users at once and things going wrong: an edit by a second connection during a run goes through at once and
survives; two simultaneous runs get their own run ids and complete rows; a cancel, a lost connection or a failure
leaves nothing half-written; a read-only user, a table without primary key or spatial index get clear messages."""
import threading

import postgis_db
import pytest
from postgis_db import assert_same_results
from psycopg2 import sql
from qgis.core import QgsProcessingFeedback


class HookedFeedback(QgsProcessingFeedback):
    """Calls `hook()` once, when the run reports progress at or past `at` percent."""

    def __init__(self, at: float, hook):
        super().__init__()
        self.at, self.hook, self.fired = at, hook, False
        self.progressChanged.connect(self._progress)

    def _progress(self, percent):
        if not self.fired and percent >= self.at:
            self.fired = True
            self.hook()


def run_rows(conn) -> tuple[int, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM land_bureau.runs), "
                    "(SELECT count(*) FROM land_bureau.efficiency_results)")
        return cur.fetchone()


def test_an_edit_during_a_run_is_not_blocked_and_survives(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    before = engine.run_efficiency(parcels, buildings, parcel_map, building_map).result
    table = sql.Identifier(pg_schema, "地块")
    edited = {}

    def edit():  # another planner, mid-run, with a short lock timeout: any blocking lock would fail this
        other = postgis_db.connect()
        with other.cursor() as cur:
            cur.execute("SET lock_timeout = '2s'")
            cur.execute(sql.SQL("UPDATE {} SET rjl = 9.5, \"权利人\" = '新业主' WHERE id = 30").format(table))
            cur.execute(sql.SQL("INSERT INTO {} (cs, geom) SELECT 15, geom FROM {} WHERE id = 31").format(
                sql.Identifier(pg_schema, "建筑"), table))
            edited["rows"] = cur.rowcount
        other.close()

    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map, feedback=HookedFeedback(20, edit))
    assert edited["rows"] == 1
    assert_same_results(before, run.result)  # the run saw one consistent snapshot, from before the edit
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT rjl, \"权利人\" FROM {} WHERE id = 30").format(table))
        assert cur.fetchone() == (9.5, "新业主")
    after = engine.run_efficiency(parcels, buildings, parcel_map, building_map).result
    # the next run sees the new 15-storey building (15 storeys keep the FAR below the plausible 20)
    assert after.loc[31, "far"] > before.loc[31, "far"] + 14


def test_two_runs_at_once_do_not_collide(pg_city, pg_conn):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    runs, errors = [], []

    def work():
        try:
            runs.append(engine.run_efficiency(parcels, buildings, parcel_map, building_map))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert runs[0].run_id != runs[1].run_id
    assert_same_results(runs[0].result, runs[1].result)
    with pg_conn.cursor() as cur:
        for run in runs:
            cur.execute("SELECT count(*) FROM land_bureau.efficiency_results WHERE run_id = %s", (run.run_id,))
            assert cur.fetchone()[0] == parcels.featureCount()


@pytest.mark.parametrize("at", [20, 85])
def test_cancel_leaves_nothing_behind(pg_city, pg_conn, at):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.connection import PostgisError

    parcels, buildings, parcel_map, building_map = pg_city
    engine.run_efficiency(parcels, buildings, parcel_map, building_map)  # the schema exists, so counts compare
    before = run_rows(pg_conn)
    feedback = HookedFeedback(at, lambda: feedback.cancel())
    with pytest.raises(PostgisError, match="Cancelled"):
        engine.run_efficiency(parcels, buildings, parcel_map, building_map, feedback=feedback)
    assert run_rows(pg_conn) == before


def test_lost_connection_is_reported_and_leaves_nothing(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.connection import PostgisError

    parcels, buildings, parcel_map, building_map = pg_city
    engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    before = run_rows(pg_conn)

    def cut():  # only this run's backend (its last statement read this test's schema), not other users' runs
        with pg_conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                        "'land_bureau' AND pid <> pg_backend_pid() AND strpos(query, %s) > 0", (pg_schema,))
            assert cur.fetchall() == [(True,)]

    with pytest.raises(PostgisError, match="connection to the database .* was lost; nothing was written"):
        engine.run_efficiency(parcels, buildings, parcel_map, building_map, feedback=HookedFeedback(20, cut))
    assert run_rows(pg_conn) == before


def test_read_only_user_is_told_before_any_work(pg_city, pg_schema):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.connection import PostgisError

    _, _, parcel_map, building_map = pg_city
    parcels = postgis_db.layer(pg_schema, "地块", service=postgis_db.SERVICE_RO)
    buildings = postgis_db.layer(pg_schema, "建筑", service=postgis_db.SERVICE_RO)
    with pytest.raises(PostgisError, match="lb_ro may not write"):
        engine.run_efficiency(parcels, buildings, parcel_map, building_map)


def test_table_without_primary_key(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.connection import PostgisError

    _, buildings, parcel_map, building_map = pg_city
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(
            sql.Identifier(pg_schema, "no_key"), sql.Identifier(pg_schema, "地块")))
    parcels = postgis_db.layer(pg_schema, "no_key")
    with pytest.raises(PostgisError, match=r"no_key has no primary key"):
        engine.run_efficiency(parcels, buildings, parcel_map, building_map)


def test_missing_spatial_index_only_created_with_consent(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.connection import PostgisError

    parcels, buildings, parcel_map, building_map = pg_city
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {t} AS SELECT * FROM {s}; ALTER TABLE {t} ADD PRIMARY KEY (id)").format(
            t=sql.Identifier(pg_schema, "no_index"), s=sql.Identifier(pg_schema, "建筑")))
    bare = postgis_db.layer(pg_schema, "no_index")
    with pytest.raises(PostgisError, match="no_index has no spatial \\(GiST\\) index on geom"):
        engine.run_efficiency(parcels, bare, parcel_map, building_map)
    with pg_conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = 'no_index' "
                    "AND indexdef ILIKE '%%gist%%'", (pg_schema,))
        assert cur.fetchone()[0] == 0
    run = engine.run_efficiency(parcels, bare, parcel_map, building_map, create_missing_index=True)
    assert_same_results(engine.run_efficiency(parcels, buildings, parcel_map, building_map).result, run.result)
    with pg_conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = 'no_index' "
                    "AND indexdef ILIKE '%%gist%%'", (pg_schema,))
        assert cur.fetchone()[0] == 1
