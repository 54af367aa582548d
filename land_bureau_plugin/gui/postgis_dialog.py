"""Pick tables from a saved PostGIS connection (credentials stay in QGIS's connection / auth manager)."""
from __future__ import annotations

from qgis.core import QgsDataSourceUri, QgsProviderRegistry
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from ..i18n import tr
from ..qgis_bridge.layers import LayerError, open_postgis_layer


class PostgisDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Add PostGIS tables"))
        self.layers = []
        layout = QVBoxLayout(self)
        self.connection_combo = QComboBox()
        self.tables = QListWidget()
        self.tables.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(QLabel(tr("Saved connection")))
        layout.addWidget(self.connection_combo)
        layout.addWidget(QLabel(tr("Tables with geometry")))
        layout.addWidget(self.tables)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
        for name in sorted(self.metadata.connections()):
            self.connection_combo.addItem(name)
        if self.connection_combo.count() == 0:
            self.status.setText(tr("No saved PostGIS connection. Create one in the Data Source Manager first."))
        self.connection_combo.currentTextChanged.connect(self.list_tables)
        buttons.accepted.connect(self.load)
        buttons.rejected.connect(self.reject)
        self.list_tables(self.connection_combo.currentText())

    def list_tables(self, name: str) -> None:
        self.tables.clear()
        if not name:
            return
        try:
            connection = self.metadata.createConnection(name)
            tables = connection.tables("", connection.TableFlag.Vector)
        except Exception as exc:  # QgsProviderConnectionException: a failing server must not break the dialog
            self.status.setText(tr("Cannot connect to {name}: {error}").format(name=name, error=str(exc)))
            return
        self.status.setText(tr("{n} tables").format(n=len(tables)))
        for table in tables:
            item = QListWidgetItem(f"{table.schema()}.{table.tableName()}")
            item.setData(Qt.ItemDataRole.UserRole, (table.schema(), table.tableName(), table.geometryColumn(),
                                                    ",".join(table.primaryKeyColumns())))
            self.tables.addItem(item)

    def load(self) -> None:
        name = self.connection_combo.currentText()
        if not name:
            self.reject()
            return
        connection = self.metadata.createConnection(name)
        errors = []
        for item in self.tables.selectedItems():
            schema, table, geometry, key = item.data(Qt.ItemDataRole.UserRole)
            uri = QgsDataSourceUri(connection.uri())
            uri.setDataSource(schema, table, geometry, "", key)
            try:
                self.layers.append(open_postgis_layer(uri, table))
            except LayerError as exc:
                errors.append(str(exc))
        if errors:
            self.status.setText("\n".join(errors))
            if not self.layers:
                return
        self.accept()
