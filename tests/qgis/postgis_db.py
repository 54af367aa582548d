"""The throw-away PostGIS cluster for tests (scripts/pg_cluster.sh): started on demand, reached through the libpq
service file so no password appears in a test, a URI or a project.

The PostGIS tests must run wherever `make test` runs. When the cluster cannot be started or reached they FAIL with
the reason; set LANDBUREAU_SKIP_POSTGIS=1 to opt out explicitly (they are then skipped, and say so).
"""
from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg_cluster.sh"
SERVICE = "landbureau"  # read-write user lb_rw
SERVICE_RO = "landbureau_ro"  # read-only user lb_ro
OPT_OUT = "LANDBUREAU_SKIP_POSTGIS"


def service_file() -> Path:
    return Path(os.environ.get("LB_PG_DIR", ROOT / "build" / "pg")) / "pg_service.conf"


def unavailable(reason: str):
    """Fail (or skip when opted out) with a message that says what to do."""
    message = (f"PostGIS test cluster unavailable: {reason}. Start it with `bash scripts/pg_cluster.sh start` "
               f"(`make test` does), or set {OPT_OUT}=1 to skip the PostGIS tests on purpose.")
    if os.environ.get(OPT_OUT) == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def start_cluster() -> str:
    """Start the cluster (idempotent), point libpq at its service file, return the read-write service name."""
    if os.environ.get(OPT_OUT) == "1":
        pytest.skip(f"PostGIS tests skipped on request ({OPT_OUT}=1)")
    try:
        done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as exc:
        unavailable(str(exc))
    if done.returncode != 0:
        unavailable((done.stderr or done.stdout).strip() or f"exit code {done.returncode}")
    os.environ["PGSERVICEFILE"] = str(service_file())
    try:
        connect(SERVICE).close()
    except Exception as exc:  # psycopg2.OperationalError and friends: say why
        unavailable(str(exc).strip())
    return SERVICE


def connect(service: str = SERVICE, autocommit: bool = True):
    import psycopg2

    conn = psycopg2.connect(service=service, application_name="land_bureau tests")
    conn.autocommit = autocommit
    return conn


def fresh_schema(conn) -> str:
    """A new, empty schema for one test (dropped by the fixture afterwards)."""
    from psycopg2 import sql

    name = f"t_{uuid.uuid4().hex[:12]}"
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    return name


def drop_schema(conn, name: str) -> None:
    from psycopg2 import sql

    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
