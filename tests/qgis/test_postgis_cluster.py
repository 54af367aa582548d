"""The throw-away cluster the PostGIS tests run against: PostGIS present, a read-write and a read-only user, one
fresh schema per test, and nothing reachable except over loopback with the service file's credentials."""
import pytest
from psycopg2 import sql


def test_postgis_and_users(pg_conn, pg_schema):
    import postgis_db

    with pg_conn.cursor() as cur:
        cur.execute("SELECT current_user, postgis_lib_version(), inet_server_addr()::text")
        user, version, address = cur.fetchone()
        assert (user, address) == ("lb_rw", "127.0.0.1/32")
        assert version.startswith("3.")
        cur.execute(sql.SQL("CREATE TABLE {}.t (id int PRIMARY KEY)").format(sql.Identifier(pg_schema)))
    reader = postgis_db.connect(postgis_db.SERVICE_RO)
    try:
        with reader.cursor() as cur:
            cur.execute(sql.SQL("SELECT count(*) FROM {}.t").format(sql.Identifier(pg_schema)))
            assert cur.fetchone() == (0,)
            import psycopg2.errors

            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(sql.SQL("INSERT INTO {}.t VALUES (1)").format(sql.Identifier(pg_schema)))
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("CREATE SCHEMA ro_may_not")
    finally:
        reader.close()


def test_each_test_gets_its_own_empty_schema(pg_conn, pg_schema):
    with pg_conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (pg_schema,))
        assert cur.fetchone() == (0,)


def test_service_file_is_private(pg_service):
    import os
    import stat

    import postgis_db

    mode = os.stat(postgis_db.service_file()).st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)


def test_server_listens_on_the_service_files_port(pg_conn):
    """The port is chosen per checkout (scripts/pg_cluster.sh); clients learn it from the service file only."""
    import postgis_db

    with pg_conn.cursor() as cur:
        cur.execute("SELECT inet_server_port()")
        assert cur.fetchone()[0] == int(postgis_db.service_settings()["port"])
