"""pytest-qgis fixtures: the plugin loaded the way QGIS loads it, and helpers to build layers in memory."""
import pytest


@pytest.fixture()
def plugin(qgis_iface, qgis_app, qgis_processing):
    import land_bureau_plugin

    instance = land_bureau_plugin.classFactory(qgis_iface)
    instance.initGui()
    yield instance
    instance.unload()
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QEvent

    QgsApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run deleteLater: no docks left for later tests


def memory_layer(geometry: str, fields: list[tuple[str, str]], rows: list[dict], name: str = "test",
                 crs: str = "EPSG:4549"):
    """A memory layer from (name, type) fields and dicts holding a 'wkt' and attribute values."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    spec = "&".join(f"field={n}:{t}" for n, t in fields)
    layer = QgsVectorLayer(f"{geometry}?crs={crs}&{spec}", name, "memory")
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        if row.get("wkt"):
            feature.setGeometry(QgsGeometry.fromWkt(row["wkt"]))
        feature.setAttributes([row.get(n) for n, _ in fields])
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


@pytest.fixture()
def chinese(qgis_app):
    """QGIS set to Chinese (zh-Hans) for a plugin loaded after this fixture: list it before `plugin` / `dock`."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "zh-Hans")
    yield
    settings.setValue("locale/userLocale", previous)
    from land_bureau_plugin.i18n import remove_translator

    remove_translator()


@pytest.fixture()
def make_layer():
    return memory_layer


@pytest.fixture()
def wait_until_idle(qgis_app):
    """A function that processes events until a panel's background tasks are done (fails after `seconds`)."""
    import time

    def wait(dock, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while dock.tasks and time.time() < deadline:
            qgis_app.processEvents()
            time.sleep(0.02)
        qgis_app.processEvents()
        assert not dock.tasks, "the background task did not finish"

    return wait


@pytest.fixture(scope="session")
def pg_service():
    """libpq service name (read-write user) of the throw-away PostGIS cluster, started when needed; fails with the
    reason when it cannot be reached (skips only with LANDBUREAU_SKIP_POSTGIS=1). See postgis_db.py."""
    import postgis_db

    return postgis_db.start_cluster()


@pytest.fixture()
def pg_conn(pg_service):
    """An autocommit psycopg2 connection to the test database as the read-write user."""
    import postgis_db

    conn = postgis_db.connect(pg_service)
    yield conn
    conn.close()


@pytest.fixture()
def pg_schema(pg_conn):
    """A fresh, empty schema for this test, dropped afterwards."""
    import postgis_db

    name = postgis_db.fresh_schema(pg_conn)
    yield name
    postgis_db.drop_schema(pg_conn, name)


@pytest.fixture(scope="session")
def pg_city_gpkg(tmp_path_factory):
    """A small generated city (300 parcels and their buildings) as a GeoPackage, made once per session."""
    import postgis_db

    return postgis_db.generate_city(tmp_path_factory.mktemp("pg_city"))


@pytest.fixture()
def pg_city(pg_conn, pg_schema, pg_city_gpkg):
    """That city loaded into this test's schema, with the mess real data has (postgis_db.MESS):
    (parcels layer, buildings layer, parcel field map, building field map)."""
    import postgis_db

    return postgis_db.make_city(pg_conn, pg_schema, pg_city_gpkg)
