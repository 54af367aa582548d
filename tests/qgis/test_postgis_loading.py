"""Loading PostGIS tables through the load panel's dialog — from a saved QGIS connection, a service name typed in,
or a connection string with a QGIS auth config — with field maps saved per table in the project, and no password
ever written into the project or shown in a message."""

import postgis_db
import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProject, QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt


def service_password(service: str = postgis_db.SERVICE) -> str:
    """The test cluster's password for a service, read from its service file (only to set up an auth config)."""
    return postgis_db.service_settings(service)["password"]


@pytest.fixture()
def tables(pg_service, pg_conn, pg_schema, pg_city_gpkg):
    postgis_db.load_gpkg(pg_city_gpkg, pg_schema)
    yield pg_schema
    QgsProject.instance().clear()


def pick(dialog, schema: str, table: str):
    names = [dialog.tables.item(i).text() for i in range(dialog.tables.count())]
    assert f"{schema}.{table}" in names, (dialog.status.text(), names)
    dialog.tables.item(names.index(f"{schema}.{table}")).setSelected(True)
    dialog.load()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.status.text()
    return dialog.layers


def saved_project_text(tmp_path) -> str:
    path = tmp_path / "bureau.qgs"
    assert QgsProject.instance().write(str(path))
    return path.read_text(encoding="utf-8")


def test_saved_connection_loads_with_field_map_kept_in_project(tables, qgis_app, tmp_path):
    from land_bureau_plugin.gui.postgis_dialog import PostgisDialog
    from land_bureau_plugin.qgis_bridge import fieldmaps

    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    metadata.saveConnection(metadata.createConnection(f"service='{postgis_db.SERVICE}'", {}), "城市数据库")
    dialog = PostgisDialog()
    dialog.connection_combo.setCurrentText("城市数据库")
    [layer] = pick(dialog, tables, "地块")
    assert layer.isValid() and layer.featureCount() == 300
    assert fieldmaps.role_of(layer) == "parcels"
    QgsProject.instance().addMapLayer(layer)
    fieldmaps.save(layer, "parcels", {"parcel_id": "地块编号", "far": "rjl", "district": "行政区"})

    text = saved_project_text(tmp_path)
    assert service_password() not in text and "password=" not in text
    QgsProject.instance().clear()
    assert QgsProject.instance().read(str(tmp_path / "bureau.qgs"))
    [restored] = QgsProject.instance().mapLayersByName("地块")
    assert restored.isValid() and restored.featureCount() == 300
    assert fieldmaps.field_map_of(restored) == {"parcel_id": "地块编号", "far": "rjl", "district": "行政区"}


def test_service_name_typed_in(tables, qgis_app):
    from land_bureau_plugin.gui.postgis_dialog import PostgisDialog

    dialog = PostgisDialog()
    dialog.uri_edit.setText(postgis_db.SERVICE)
    dialog.list_typed()
    [layer] = pick(dialog, tables, "建筑")
    assert layer.isValid() and "service='landbureau'" in layer.source()


def test_auth_config_credentials_stay_out_of_project_and_reach_the_engine(tables, qgis_app, tmp_path):
    from land_bureau_plugin.gui.postgis_dialog import PostgisDialog
    from land_bureau_plugin.postgis.connection import connect, connect_params

    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("test master", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("bureau planner")
    config.setConfig("username", "lb_rw")
    config.setConfig("password", service_password())
    assert manager.storeAuthenticationConfig(config)[0]
    dialog = PostgisDialog()
    port = postgis_db.service_settings()["port"]  # the cluster scripts/pg_cluster.sh started
    dialog.uri_edit.setText(f"host=127.0.0.1 port={port} dbname=landbureau authcfg={config.id()}")
    dialog.list_typed()
    [layer] = pick(dialog, tables, "地块")
    assert layer.isValid() and layer.featureCount() == 300
    QgsProject.instance().addMapLayer(layer)

    text = saved_project_text(tmp_path)
    assert service_password() not in text and f"authcfg={config.id()}" in text
    conn = connect(connect_params(layer.dataProvider().uri()))  # the engine's connection, credentials in memory
    assert conn.info.user == "lb_rw"
    conn.close()


def test_clear_text_password_is_refused_and_never_shown(tables, qgis_app):
    from land_bureau_plugin.gui.postgis_dialog import PostgisDialog

    secret = service_password()
    port = postgis_db.service_settings()["port"]
    dialog = PostgisDialog()
    dialog.uri_edit.setText(f"host=127.0.0.1 port={port} dbname=landbureau user=lb_rw password='{secret}'")
    dialog.list_typed()
    assert dialog.tables.count() == 0 and "clear text" in dialog.status.text()
    dialog.uri_edit.setText("host=127.0.0.1 port=1 dbname=nowhere user=x password='hunter2'")
    dialog.list_typed()
    assert "hunter2" not in dialog.status.text() and secret not in dialog.status.text()
    dialog.load()
    assert dialog.layers == [] and dialog.result() == dialog.DialogCode.Rejected


def test_redact_masks_every_password():
    from land_bureau_plugin.postgis.connection import redact

    text = "connection to host=a password='se cr''et' failed; PASSWORD = plain user=x"
    masked = redact(text)
    assert "se cr" not in masked and "plain" not in masked and masked.count("***") == 2 and "user=x" in masked


def test_the_load_panel_adds_what_the_dialog_loaded(tables, qgis_iface, monkeypatch):
    from land_bureau_plugin.gui import load_dock, postgis_dialog

    def accept_first(dialog):
        dialog.uri_edit.setText(postgis_db.SERVICE)
        dialog.list_typed()
        item = dialog.tables.findItems(f"{tables}.地块", Qt.MatchFlag.MatchExactly)[0]
        item.setSelected(True)
        dialog.load()
        return bool(dialog.layers)

    monkeypatch.setattr(postgis_dialog.PostgisDialog, "exec", accept_first)
    dock = load_dock.LoadDock(qgis_iface)
    try:
        dock.add_postgis()
        [layer] = QgsProject.instance().mapLayersByName("地块")
        assert layer.providerType() == "postgres" and layer.renderer() is not None
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not dock.findChildren(postgis_dialog.PostgisDialog)  # the dialog goes once closed
    finally:
        dock.close()
        dock.deleteLater()
