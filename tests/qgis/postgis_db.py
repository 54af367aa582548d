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

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg_cluster.sh"
SERVICE = "landbureau"  # read-write user lb_rw
SERVICE_RO = "landbureau_ro"  # read-only user lb_ro
OPT_OUT = "LANDBUREAU_SKIP_POSTGIS"


def service_file() -> Path:
    return Path(os.environ.get("LB_PG_DIR", ROOT / "build" / "pg")) / "pg_service.conf"


def service_settings(service: str = SERVICE) -> dict[str, str]:
    """One service's entries in the cluster's service file (host, port, dbname, user, password): the port is the
    one scripts/pg_cluster.sh picked for this checkout, never a fixed number."""
    section, found = None, {}
    for line in service_file().read_text().splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line and section == service:
            key, value = line.split("=", 1)
            found[key] = value
    return found


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


def load_gpkg(path, schema: str, service: str = SERVICE, layers: tuple = ()) -> None:
    """Copy the layers (default: all) of a GeoPackage into `schema` with ogr2ogr (primary key `id`, geometry
    `geom`, GiST index), as a bureau would load its data."""
    done = subprocess.run(["ogr2ogr", "-f", "PostgreSQL", f"PG:service={service}", str(path), *layers,
                           "-lco", f"SCHEMA={schema}", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=id",
                           "--config", "PG_USE_COPY", "YES"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def layer(schema: str, table: str, geometry: str = "geom", key: str = "id", service: str = SERVICE,
          name: str | None = None):
    """A QGIS PostGIS layer reached through the service (no credentials in its source)."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri(f"service='{service}'")
    uri.setDataSource(schema, table, geometry, "", key)
    result = QgsVectorLayer(uri.uri(False), name or table, "postgres")
    assert result.isValid(), result.dataProvider().error().summary()
    return result


def generate_city(folder, parcels: int = 300):
    """A small synthetic city (the data generator's benchmark mode): GeoPackage with 地块 and 建筑."""
    import sys

    path = Path(folder) / "city.gpkg"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), str(path), "--parcels", str(parcels)],
                   check=True, capture_output=True)
    return path


# What a real cadastre holds besides clean data: a bow-tie parcel (11), a parcel without geometry (12), an empty one
# (13), tax typed as text with separators, full-width digits, junk, blanks and a negative (14-19), storeys as text
# ("３", "2层") and a building with neither storeys nor height, and an invalid building across parcel 20's edge.
MESS = """
UPDATE {p} SET geom = ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_MakePoint(ST_XMin(geom), ST_YMin(geom)),
    ST_MakePoint(ST_XMax(geom), ST_YMax(geom)), ST_MakePoint(ST_XMax(geom), ST_YMin(geom)),
    ST_MakePoint(ST_XMin(geom), ST_YMax(geom)), ST_MakePoint(ST_XMin(geom), ST_YMin(geom))])), 4549) WHERE id = 11;
UPDATE {p} SET geom = NULL WHERE id = 12;
UPDATE {p} SET geom = 'SRID=4549;POLYGON EMPTY' WHERE id = 13;
ALTER TABLE {p} ALTER COLUMN "税收" TYPE text USING "税收"::text;
UPDATE {p} SET "税收" = v FROM (VALUES (14, '1,234.5'), (15, '１２'), (16, 'n/a'), (17, ''), (18, ' 8 '), (19, '-3'))
    AS t(i, v) WHERE id = i;
ALTER TABLE {b} ALTER COLUMN cs TYPE text USING cs::text;
UPDATE {b} SET cs = v FROM (VALUES (1, '３'), (2, '2层'), (3, NULL)) AS t(i, v) WHERE id = i;
UPDATE {b} SET jzgd = NULL WHERE id = 3;
INSERT INTO {b} (cs, jzgd, geom) SELECT '4', 18, ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
    ST_MakePoint(ST_XMin(geom) + 1, ST_YMin(geom) + 1), ST_MakePoint(ST_XMax(geom) + 5, ST_YMax(geom) - 1),
    ST_MakePoint(ST_XMax(geom) + 5, ST_YMin(geom) + 1), ST_MakePoint(ST_XMin(geom) + 1, ST_YMax(geom) - 1),
    ST_MakePoint(ST_XMin(geom) + 1, ST_YMin(geom) + 1)])), 4549) FROM {p} WHERE id = 20;
"""


def make_city(conn, schema: str, gpkg):
    """The generated city loaded into `schema` and made messy: (parcels layer, buildings layer, their field maps)."""
    from psycopg2 import sql

    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    load_gpkg(gpkg, schema)
    with conn.cursor() as cur:
        cur.execute(sql.SQL(MESS).format(p=sql.Identifier(schema, "地块"), b=sql.Identifier(schema, "建筑")))
    parcels, buildings = layer(schema, "地块"), layer(schema, "建筑")
    return parcels, buildings, field_map_of(parcels, "parcels"), field_map_of(buildings, "buildings")


FLOAT_COLUMNS = ("far", "coverage", "tax_per_mu", "output_per_mu", "score", "potential_m2", "area_mu")


def local_engine(parcels, buildings, parcel_map, building_map):
    """What the local path computes: every geometry read into QGIS, measured in the planar CRS, shapely overlay."""
    from land_bureau_plugin.analysis import efficiency
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for, read_columns

    planar = planar_crs_for(parcels)
    p = read_columns(parcels, parcel_map, with_geometry=True, target_crs=planar)
    b = read_columns(buildings, {k: v for k, v in building_map.items() if k in ("floors", "height")},
                     with_geometry=True, target_crs=planar)
    return efficiency.evaluate(p.frame, p.geometries, b.geometries, b.frame.get("floors"), b.frame.get("height"),
                               field_labels=parcel_map)


def assert_same_results(local: pd.DataFrame, database: pd.DataFrame) -> None:
    """Same rows; floats equal to 1e-6 (absolute) / 1e-9 (relative), everything else exactly."""
    assert sorted(database.index) == sorted(local.index)
    database = database.loc[local.index]  # QGIS reads in physical order, the database path in key order
    for column in local.columns:
        if column in FLOAT_COLUMNS:
            np.testing.assert_allclose(database[column].to_numpy(float), local[column].to_numpy(float),
                                       rtol=1e-9, atol=1e-6, equal_nan=True, err_msg=column)
        else:
            same = (database[column] == local[column]) | (database[column].isna() & local[column].isna())
            assert same.all(), (column, pd.DataFrame({"local": local[column], "db": database[column]})[~same])


def checksum(conn, schema: str, table: str) -> str:
    """A digest of every row: equal before and after a run means the run did not touch the table."""
    from psycopg2 import sql

    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {} t").format(
            sql.Identifier(schema, table)))
        return cur.fetchone()[0]
