"""The PostGIS side of the bad-input corpus (tests/corpus/make_corpus.py, cases with a "postgis" block): each case's
tables loaded into a schema of its own, the faults a shared database has — a connection killed mid-run, another
user inserting, updating or deleting rows mid-run, a read-only role, a table without primary key or spatial index —
and what must hold afterwards: the source tables exactly as the run found them (or as the other user left them),
and a row in land_bureau.runs only for an in-database run that succeeded.

Faults strike at one well-defined moment, the same in-process and through qgis_process: the harness holds a lock
on land_bureau.runs, so an in-database run, having taken its snapshot and judged every row, waits to write its run
log; the harness sees that backend waiting (pg_stat_activity), kills it or commits the other user's edit from a
connection of its own, then lets go of the lock. A local run never waits there, so a fault that never fires is
reported as such (the case then did not test what it says).

Used by tests/qgis/test_bad_input_corpus.py and tests/e2e/test_qgis_process_corpus.py.
"""
from __future__ import annotations

import subprocess
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import postgis_db
from psycopg2 import sql

LOCKED_TABLE = ("land_bureau", "runs")
WAIT_S = 120.0  # how long the harness waits for the run to reach its run log (a slow machine, a big table)


class CaseTables:
    """The tables of one case in a fresh schema; `uri(table, service)` names them for Processing."""

    def __init__(self, root: Path, spec: dict, service: str = postgis_db.SERVICE):
        self.root, self.spec, self.service = root, spec, service
        self.conn = postgis_db.connect(service)
        self.schema = f"corpus_{uuid.uuid4().hex[:10]}"
        self.reference = self.schema + "_expected"  # the tables as the other user's edit alone leaves them
        self.tables = [load["table"] for load in spec["load"]]

    # --- setting up and tearing down ---------------------------------------------------------------------------
    def __enter__(self) -> CaseTables:
        with self.conn.cursor() as cur:
            for schema in (self.schema, self.reference):
                cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        for load in self.spec["load"]:
            self._load(load)
        ensure_result_tables(self.conn)
        with self.conn.cursor() as cur:
            for table in self.tables:
                cur.execute(sql.SQL("CREATE TABLE {} AS SELECT * FROM {}").format(
                    sql.Identifier(self.reference, table), sql.Identifier(self.schema, table)))
            for statement in self.spec.get("fault", {}).get("sql", []):
                cur.execute(self.statement(statement, self.reference))
        return self

    def __exit__(self, *_exc) -> None:
        for schema in (self.schema, self.reference):
            postgis_db.drop_schema(self.conn, schema)
        self.conn.close()

    def _load(self, load: dict) -> None:
        """ogr2ogr the GeoPackage layer in (primary key `id`, geometry `geom`, GiST index), then take away what the
        case says the bureau's table lacks."""
        done = subprocess.run(
            ["ogr2ogr", "-f", "PostgreSQL", f"PG:service={self.service}", str(self.root / load["file"]),
             load["layer"], "-nln", load["table"], "-lco", f"SCHEMA={self.schema}", "-lco", "GEOMETRY_NAME=geom",
             "-lco", "FID=id", "-lco", "LAUNDER=NO", "--config", "PG_USE_COPY", "YES"],
            capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        table = sql.Identifier(self.schema, load["table"])
        with self.conn.cursor() as cur:
            if not load.get("primary_key", True):
                cur.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
                            (table.as_string(self.conn),))
                for (name,) in cur.fetchall():
                    cur.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(table, sql.Identifier(name)))
            if not load.get("spatial_index", True):
                cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
                            "AND indexdef ILIKE '%%using gist%%'", (self.schema, load["table"]))
                for (name,) in cur.fetchall():
                    cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(self.schema, name)))

    # --- naming -------------------------------------------------------------------------------------------------
    def statement(self, text: str, schema: str) -> sql.Composed:
        """An SQL statement of the manifest with its {table} placeholders quoted into `schema`."""
        return sql.SQL(text).format(**{table: sql.Identifier(schema, table) for table in self.tables})

    def uri(self, table: str, service: str) -> str:
        """The table as a Processing input string: the postgres provider, the service (no credentials), the key
        left for QGIS to find, as a user adding the table from the browser gets it."""
        return f"postgres://service='{service}' table=\"{self.schema}\".\"{table}\" (geom)"

    def fill(self, value: str) -> str:
        """{pg:table} and {pg_ro:table} in a parameter value → the table through the read-write / read-only role."""
        for table in self.tables:
            value = value.replace(f"{{pg:{table}}}", self.uri(table, postgis_db.SERVICE))
            value = value.replace(f"{{pg_ro:{table}}}", self.uri(table, postgis_db.SERVICE_RO))
        return value

    # --- what must hold -----------------------------------------------------------------------------------------
    def checksums(self, schema: str | None = None) -> dict[str, str]:
        return {table: postgis_db.checksum(self.conn, schema or self.schema, table) for table in self.tables}

    def expected_checksums(self) -> dict[str, str]:
        """The tables as they must be after the run: as loaded, with the other user's edit (if any) applied."""
        return self.checksums(self.reference)

    def committed_runs(self) -> int:
        """Rows of land_bureau.runs naming one of this case's tables as an input."""
        with self.conn.cursor() as cur:
            cur.execute("SELECT count(DISTINCT r.run_id) FROM land_bureau.runs r, jsonb_array_elements(r.inputs) i "
                        "WHERE i ->> 'schema' = %s", (self.schema,))
            return cur.fetchone()[0]

    @contextmanager
    def fault(self, feedback=None):
        """While the block runs the algorithm: the case's fault strikes when the run waits to write its run log
        (module docstring), or — a fault with "at" — when the run's progress, reported to `feedback`, reaches that
        percentage (in-process only: how a local run is caught between reading its input and writing its output).
        Yields a dict whose "fired" says whether it did."""
        spec = self.spec.get("fault")
        state = {"fired": False, "error": None}
        if not spec:
            yield state
        elif "at" in spec:
            with self._at_progress(spec, feedback, state):
                yield state
        else:
            with self._at_run_log(spec, state):
                yield state

    @contextmanager
    def _at_progress(self, spec: dict, feedback, state: dict):
        def progress(percent):
            if state["fired"] or percent < spec["at"]:
                return
            state["fired"] = True
            other = postgis_db.connect()
            try:
                with other.cursor() as cur:
                    if spec["action"] == "terminate":  # the run's backend: its transaction open, between statements
                        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name "
                                    "= 'land_bureau' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()")
                        state["fired"] = cur.fetchall() == [(True,)]
                    for statement in spec.get("sql", []):
                        cur.execute(self.statement(statement, self.schema))
            except Exception as exc:  # reported by the test, which then fails
                state["error"] = repr(exc)
            finally:
                other.close()

        feedback.progressChanged.connect(progress)
        try:
            yield
        finally:
            feedback.progressChanged.disconnect(progress)

    @contextmanager
    def _at_run_log(self, spec: dict, state: dict):
        locker = postgis_db.connect(autocommit=False)
        with locker.cursor() as cur:
            cur.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(sql.Identifier(*LOCKED_TABLE)))
        stop = threading.Event()

        def strike():
            other = postgis_db.connect()
            try:
                deadline = time.monotonic() + WAIT_S
                while not stop.is_set() and time.monotonic() < deadline:
                    with other.cursor() as cur:
                        cur.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'land_bureau' "
                                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
                        waiting = [pid for (pid,) in cur.fetchall()]
                        if waiting:
                            if spec["action"] == "terminate":
                                cur.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid",
                                            (waiting,))
                            for statement in spec.get("sql", []):
                                cur.execute(self.statement(statement, self.schema))
                            state["fired"] = True
                            return
                    time.sleep(0.05)
            except Exception as exc:  # reported by the test, which then fails
                state["error"] = repr(exc)
            finally:
                locker.rollback()  # the lock goes: the run goes on (or finds its connection gone)
                locker.close()
                other.close()

        thread = threading.Thread(target=strike, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def ensure_result_tables(conn) -> None:
    """The schema land_bureau with its run log and result tables, as the plugin makes them, so that the harness can
    lock the run log and count runs before any in-database run happened."""
    from land_bureau_plugin.postgis import store
    from land_bureau_plugin.postgis.efficiency import RESULT_TABLE as EFFICIENCY
    from land_bureau_plugin.postgis.resettlement import RESULT_TABLE as RESETTLEMENT

    conn.autocommit = False
    try:
        for table in (EFFICIENCY, RESETTLEMENT):
            store.ensure(conn, table)
    finally:
        conn.commit()
        conn.autocommit = True
