"""Connecting to the database a PostGIS layer comes from, without ever handling a password in the open.

Credentials come from the layer's libpq service (the service file holds them) or its QGIS authentication config
(expanded in memory only, for the lifetime of the connection). A URI that carries a clear-text password is refused
where it would end up in a project (qgis_bridge.layers.refuse_clear_password), and every message shown to the user
passes through `redact`, so not even a server error quoting a connection string can leak one.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import LandBureauError
from ..i18n import tr

APPLICATION_NAME = "land_bureau"
CONNECT_TIMEOUT_S = 10
_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


class PostgisError(LandBureauError):
    """A translated message for the user; never holds a password. Processing and the panels show it as every
    LandBureauError (processing/base.py, gui/common.py)."""


class NotEligibleError(PostgisError):
    """The tables cannot be analysed in the database as they are (no single-column primary key, no spatial index
    and no consent to create one, no right to write the results): the automatic engine runs locally instead."""


def redact(text: str) -> str:
    """The text with every `password=…` value masked."""
    return _PASSWORD.sub(r"\1***", str(text))


@dataclass(frozen=True)
class Database:
    """Where a layer's table lives, as the layer's URI says it (no credentials)."""

    service: str
    host: str
    port: str
    dbname: str

    def label(self) -> str:
        return self.dbname or self.service or "?"


def database_of(uri) -> Database:
    """The database part of a QgsDataSourceUri."""
    return Database(uri.service(), uri.host(), uri.port(), uri.database())


def connect_params(uri) -> dict:
    """psycopg2.connect keyword arguments for a QgsDataSourceUri (auth config expanded in memory only)."""
    from qgis.core import QgsDataSourceUri

    if uri.authConfigId():
        expanded = QgsDataSourceUri(uri.connectionInfo(True))
        if not expanded.password() and not expanded.username():
            raise PostgisError(tr("The authentication configuration {id} could not be read (is the QGIS master "
                                  "password set?)").format(id=uri.authConfigId()))
        uri = expanded
    params = {"service": uri.service(), "host": uri.host(), "port": uri.port(), "dbname": uri.database(),
              "user": uri.username(), "password": uri.password()}
    params = {key: value for key, value in params.items() if value}
    if uri.sslMode() != QgsDataSourceUri.SslMode.SslPrefer:
        params["sslmode"] = QgsDataSourceUri.encodeSslMode(uri.sslMode())
    return params


def connect(params: dict, label: str = ""):
    """A psycopg2 connection (autocommit off), or PostgisError saying why not."""
    import psycopg2

    try:
        conn = psycopg2.connect(application_name=APPLICATION_NAME, connect_timeout=CONNECT_TIMEOUT_S, **params)
    except psycopg2.Error as exc:
        raise PostgisError(tr("Cannot connect to the database {database}: {error}").format(
            database=label or params.get("dbname") or params.get("service", "?"), error=redact(exc).strip())) from exc
    with conn.cursor() as cur:
        cur.execute("SET client_min_messages = warning")  # ST_IsValid notices would flood the log
        cur.execute("SET jit = off")  # compiling costs ~0.3 s per statement and gains nothing on these plans
        cur.execute("SET DateStyle = 'ISO, YMD'")  # dates as text read 2024-03-01, as Python prints them
    conn.commit()
    return conn


def explain(exc: Exception, database: str, user: str = "") -> PostgisError:
    """A psycopg2 error as a message a planner can act on (lost connection, privileges, cancel, the rest)."""
    import psycopg2
    from psycopg2 import errors

    detail = redact(getattr(exc, "pgerror", None) or exc).strip()
    if isinstance(exc, errors.QueryCanceled):
        return PostgisError(tr("Cancelled; nothing was written to the database."))
    if isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return PostgisError(tr("The connection to the database {database} was lost; nothing was written. Try again "
                               "when the server is reachable. ({error})").format(database=database, error=detail))
    if isinstance(exc, (errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
        return PostgisError(tr("User {user} may not write to the database {database} (a read-only account?): the "
                               "in-database analysis writes its results and run log there. Ask the administrator "
                               "for the privilege, or run the analysis locally. ({error})").format(
            user=user or "?", database=database, error=detail))
    return PostgisError(tr("Database error in {database}: {error}").format(database=database, error=detail))


@contextmanager
def cancel_on(conn, feedback, poll_s: float = 0.2):
    """While the block runs, a watcher cancels the connection's running query as soon as `feedback` is cancelled
    (psycopg2's cancel is thread-safe); the query then fails with QueryCanceled and the caller rolls back."""
    if feedback is None:
        yield
        return
    done = threading.Event()

    def watch():
        while not done.wait(poll_s):
            if feedback.isCanceled():
                try:
                    conn.cancel()
                except Exception:  # the connection may be gone already; the main thread reports that
                    pass
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
