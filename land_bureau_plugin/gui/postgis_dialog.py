"""Pick tables from a PostGIS database: a saved QGIS connection, or a libpq service / connection string typed in.

Credentials stay where they belong — QGIS's authentication manager (authcfg) or the service file. A connection
that would put a clear-text password into the project is refused with a message saying what to use instead, and
no message shown here ever carries a password (`postgis.connection.redact`).
"""
from __future__ import annotations

from qgis.core import QgsDataSourceUri, QgsProviderRegistry
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ..i18n import tr
from ..postgis.connection import redact
from ..qgis_bridge.layers import LayerError, open_postgis_layer, refuse_clear_password
from .common import dialog_buttons


def typed_uri(text: str) -> QgsDataSourceUri:
    """A connection from what was typed: a bare name is a libpq service, anything else a connection string."""
    text = text.strip()
    return QgsDataSourceUri(text if "=" in text else f"service='{text}'")


class PostgisDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Add PostGIS tables"))
        self.layers = []
        self.source = None  # the QgsDataSourceUri whose tables are listed
        layout = QVBoxLayout(self)
        self.connection_combo = QComboBox()
        self.uri_edit = QLineEdit()
        self.uri_edit.setPlaceholderText(tr("service name, or e.g. host=… dbname=… authcfg=… (no password)"))
        self.list_button = QPushButton(tr("List tables"))
        self.tables = QListWidget()
        self.tables.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = dialog_buttons(QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(QLabel(tr("Saved connection")))
        layout.addWidget(self.connection_combo)
        layout.addWidget(QLabel(tr("or a service / connection string")))
        typed = QHBoxLayout()
        typed.addWidget(self.uri_edit, 1)
        typed.addWidget(self.list_button)
        layout.addLayout(typed)
        layout.addWidget(QLabel(tr("Tables with geometry")))
        layout.addWidget(self.tables)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
        for name in sorted(self.metadata.connections()):
            self.connection_combo.addItem(name)
        if self.connection_combo.count() == 0:
            self.status.setText(tr("No saved PostGIS connection: create one in the Data Source Manager, or type a "
                                   "service name."))
        self.connection_combo.currentTextChanged.connect(self.list_saved)
        self.list_button.clicked.connect(self.list_typed)
        self.uri_edit.returnPressed.connect(self.list_typed)
        buttons.accepted.connect(self.load)
        buttons.rejected.connect(self.reject)
        self.list_saved(self.connection_combo.currentText())

    def list_saved(self, name: str) -> None:
        if name:
            self.list_tables(lambda: self.metadata.createConnection(name), name)

    def list_typed(self) -> None:
        text = self.uri_edit.text().strip()
        if text:
            self.list_tables(lambda: self.metadata.createConnection(typed_uri(text).uri(False), {}), text)

    def list_tables(self, make_connection, label: str) -> None:
        """List the geometry tables of a connection; any failure is a message in the dialog, never a crash."""
        self.tables.clear()
        self.source = None
        try:
            connection = make_connection()
            uri = QgsDataSourceUri(connection.uri())
            refuse_clear_password(uri)
            tables = connection.tables("", connection.TableFlag.Vector)
        except LayerError as exc:
            self.status.setText(str(exc))
            return
        except Exception as exc:  # QgsProviderConnectionException: a failing server must not break the dialog
            self.status.setText(tr("Cannot connect to {name}: {error}").format(name=redact(label),
                                                                               error=redact(exc)))
            return
        self.source = uri
        self.status.setText(tr("{n} table(s)").format(n=len(tables)))
        for table in tables:
            item = QListWidgetItem(f"{table.schema()}.{table.tableName()}")
            item.setData(Qt.ItemDataRole.UserRole, (table.schema(), table.tableName(), table.geometryColumn(),
                                                    ",".join(table.primaryKeyColumns())))
            self.tables.addItem(item)

    def load(self) -> None:
        if self.source is None:
            self.reject()
            return
        errors = []
        for item in self.tables.selectedItems():
            schema, table, geometry, key = item.data(Qt.ItemDataRole.UserRole)
            uri = QgsDataSourceUri(self.source)
            uri.setDataSource(schema, table, geometry, "", key)
            try:
                self.layers.append(open_postgis_layer(uri, table))
            except LayerError as exc:
                errors.append(redact(exc))
        if errors:
            self.status.setText("\n".join(errors))
            if not self.layers:
                return
        self.accept()
