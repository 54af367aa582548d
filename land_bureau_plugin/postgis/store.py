"""Where in-database runs leave their traces: schema `land_bureau` with one result table per analysis, keyed by
(run_id, source_id), and the run log `land_bureau.runs` (who, when, which analysis, the rule profile as JSON, the
input tables, counts per class) so every result can be traced and reproduced.

Source tables are never altered: results sit beside them and join back on the source's primary key (as text, so
any key type fits one table) and on their run (`run_id`, not a foreign key: checking one costs a trigger per result
row, and both are written by the same transaction anyway); the overlay's helper functions (postgis.functions) live
there too. Run ids come from a sequence, which is not transactional, so two runs started at the same moment never
share one; a run's rows are written in the run's own transaction and vanish with a rollback.
"""
from __future__ import annotations

import csv
import getpass
import io
import json
import socket
from dataclasses import dataclass

import pandas as pd
from psycopg2 import sql

from ..i18n import tr
from . import functions
from .connection import NotEligibleError

SCHEMA = "land_bureau"
RUNS = "runs"
NULL = r"\N"
_LOCK_KEY = 7_202_607  # advisory lock serialising the first creation of the schema by concurrent runs


@dataclass(frozen=True)
class ResultTable:
    """An analysis's result table: name and (column, SQL type) after run_id and source_id."""

    name: str
    columns: tuple

    def ident(self) -> sql.Identifier:
        return sql.Identifier(SCHEMA, self.name)

    def label(self) -> str:
        return f"{SCHEMA}.{self.name}"


def ensure(conn, table: ResultTable) -> None:
    """Create the schema, the run log and the result table when missing (its own short transaction), then check
    that this user may write them. A read-only user gets the privilege message before any heavy work starts."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
                    (f"{SCHEMA}.{RUNS}", sql.Identifier(SCHEMA, table.name).as_string(conn)))
        if not cur.fetchone()[0] or functions.missing(cur, SCHEMA):
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
            cur.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {runs} ("
                " run_id bigserial PRIMARY KEY,"
                " analysis text NOT NULL,"
                " db_user text NOT NULL DEFAULT current_user,"
                " os_user text, client_host text,"
                " started_at timestamptz NOT NULL,"
                " finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                " profile jsonb NOT NULL, parameters jsonb NOT NULL, inputs jsonb NOT NULL, counts jsonb NOT NULL,"
                " result_table text NOT NULL)").format(runs=sql.Identifier(SCHEMA, RUNS)))
            columns = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind))
                                         for name, kind in table.columns)
            cur.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {table} ("
                " run_id bigint NOT NULL,"  # no foreign key: checking it costs a trigger per result row
                " source_id text NOT NULL, {columns}, PRIMARY KEY (run_id, source_id))").format(
                table=table.ident(), columns=columns))
            functions.create(cur, SCHEMA)
        _add_new_columns(cur, table)
        cur.execute("SELECT has_table_privilege(%s, 'INSERT') AND has_table_privilege(%s, 'INSERT') "
                    "AND has_sequence_privilege(pg_get_serial_sequence(%s, 'run_id'), 'USAGE')",
                    (f"{SCHEMA}.{RUNS}", table.ident().as_string(conn), f"{SCHEMA}.{RUNS}"))
        writable = cur.fetchone()[0]
    conn.commit()
    if not writable:
        raise NotEligibleError(tr("User {user} may not write the result tables in schema {schema} (a read-only "
                              "account?). Ask the administrator for the privilege, or run the analysis "
                              "locally.").format(user=conn.info.user, schema=SCHEMA))


def _add_new_columns(cur, table: ResultTable) -> None:
    """A result table made by an older plugin gets the columns added since (the 亩均 grading's ent_class, rank,
    rank_n): results of older runs keep NULL there. Only the table's owner may add them; anyone else is told."""
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                (SCHEMA, table.name))
    present = {row[0] for row in cur.fetchall()}
    missing = [(name, kind) for name, kind in table.columns if name not in present]
    if not missing:
        return
    import psycopg2

    try:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        for name, kind in missing:
            cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                table.ident(), sql.Identifier(name), sql.SQL(kind)))
    except psycopg2.errors.InsufficientPrivilege:
        cur.connection.rollback()
        raise NotEligibleError(tr("Table {table} was made by an older version of the plugin and lacks the columns "
                                  "{columns}; its owner must run the analysis once in the database (or add them), "
                                  "or run it locally.").format(table=table.label(),
                                                              columns=", ".join(n for n, _ in missing))) from None


def new_run_id(cur) -> int:
    cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'run_id'))", (f"{SCHEMA}.{RUNS}",))
    return int(cur.fetchone()[0])


def log_run(cur, run_id: int, analysis: str, table: ResultTable, profile: dict, parameters: dict,
            inputs: list) -> None:
    """The run's log row, written first (result rows reference it); `started_at` is the transaction's start."""
    who = client()
    cur.execute(sql.SQL(
        "INSERT INTO {runs} (run_id, analysis, os_user, client_host, started_at, profile, parameters, inputs, "
        "counts, result_table) VALUES (%s, %s, %s, %s, now(), %s, %s, %s, '{{}}', %s)").format(
        runs=sql.Identifier(SCHEMA, RUNS)),
        (run_id, analysis, who["os_user"], who["client_host"], to_json(profile), to_json(parameters),
         to_json(inputs), table.label()))


def finish_run(cur, run_id: int, counts: dict) -> None:
    """The counts per class and the moment the results were written."""
    cur.execute(sql.SQL("UPDATE {} SET counts = %s, finished_at = clock_timestamp() WHERE run_id = %s").format(
        sql.Identifier(SCHEMA, RUNS)), (to_json(counts), run_id))


def copy_rows(cur, table: ResultTable, run_id: int, frame: pd.DataFrame) -> int:
    """COPY the frame (indexed by source id, columns named as the table's) into the result table."""
    names = [name for name, _ in table.columns]
    out = frame.reindex(columns=names)
    out.insert(0, "source_id", frame.index.astype(str))
    out.insert(0, "run_id", run_id)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, header=False, na_rep=NULL, quoting=csv.QUOTE_MINIMAL)
    buffer.seek(0)
    columns = sql.SQL(", ").join(sql.Identifier(name) for name in ["run_id", "source_id", *names])
    cur.copy_expert(sql.SQL("COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL {null})").format(
        table=table.ident(), columns=columns, null=sql.Literal(NULL)).as_string(cur), buffer)
    return len(out)


def client() -> dict:
    """Who ran it, as far as the client knows (the database user is recorded by the server)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some service environments
        user = None
    return {"os_user": user, "client_host": socket.gethostname()}


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
