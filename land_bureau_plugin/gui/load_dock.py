"""数据加载 / Load panel: add the bureau's layers, confirm each layer's role and field map, see what is wrong."""
from __future__ import annotations

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from ..analysis.fields import ROLES
from ..i18n import tr
from ..qgis_bridge import fieldmaps, styles
from ..qgis_bridge.encoding import ENCODINGS
from ..qgis_bridge.fieldmaps import field_label, role_label
from ..qgis_bridge.layers import LayerError, field_names, geometry_kind, open_file_layer
from ..qgis_bridge.validation import ERROR, WARNING, validate_layer
from .common import PanelDock, heading

FILE_FILTER = "GIS (*.shp *.gpkg *.geojson *.json *.csv *.kml *.tab);;All files (*)"


class LoadDock(PanelDock):
    OBJECT_NAME = "landBureauLoadDock"

    def __init__(self, iface):
        super().__init__(iface, tr("Load data"))
        buttons = QHBoxLayout()
        self.add_file_button = QPushButton(tr("Add files…"))
        self.add_postgis_button = QPushButton(tr("Add from PostGIS…"))
        self.refresh_button = QPushButton(tr("Refresh"))
        for b in (self.add_file_button, self.add_postgis_button, self.refresh_button):
            buttons.addWidget(b)
        self.layout.addLayout(buttons)

        self.layer_table = QTableWidget(0, 5)
        self.layer_table.setHorizontalHeaderLabels(
            [tr("Layer"), tr("Role"), tr("Features"), tr("CRS"), tr("Geometry")])
        self.layer_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.layer_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.layer_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.layer_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout.addWidget(self.layer_table, 2)

        row = QHBoxLayout()
        self.role_combo = QComboBox()
        # a layer whose role was not detected shows so ("—", as in the layer table), its field map empty, until the
        # user picks one: the parcels' map beside it was a plausible wrong answer
        self.role_combo.addItem(tr("— not detected —"), None)
        for role in ROLES:
            self.role_combo.addItem(role_label(role), role)
        self.encoding_combo = QComboBox()
        self.encoding_combo.addItems(ENCODINGS)
        row.addWidget(heading(tr("Role")))
        row.addWidget(self.role_combo, 1)
        row.addWidget(heading(tr("Encoding")))
        row.addWidget(self.encoding_combo)
        self.layout.addLayout(row)

        self.layout.addWidget(heading(tr("Field map (canonical name ← layer field)")))
        self.map_table = QTableWidget(0, 2)
        self.map_table.setHorizontalHeaderLabels([tr("Meaning"), tr("Layer field")])
        self.map_table.horizontalHeader().setStretchLastSection(True)
        self.map_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.layout.addWidget(self.map_table, 3)

        actions = QHBoxLayout()
        self.save_button = QPushButton(tr("Confirm field map"))
        self.validate_button = QPushButton(tr("Validate"))
        actions.addWidget(self.save_button)
        actions.addWidget(self.validate_button)
        self.layout.addLayout(actions)
        self.layout.addWidget(heading(tr("Validation report")))
        self.report = QListWidget()
        self.report.setWordWrap(True)
        self.layout.addWidget(self.report, 2)

        self.add_file_button.clicked.connect(self.add_files)
        self.add_postgis_button.clicked.connect(self.add_postgis)
        self.refresh_button.clicked.connect(self.refresh)
        self.layer_table.itemSelectionChanged.connect(self.show_selected)
        self.role_combo.currentIndexChanged.connect(self.role_changed)
        self.encoding_combo.activated.connect(self.encoding_changed)
        self.save_button.clicked.connect(self.confirm_map)
        self.validate_button.clicked.connect(self.validate_selected)
        self.listen(QgsProject.instance().layersAdded, self.refresh)
        self.listen(QgsProject.instance().layersRemoved, self.refresh)
        self.refresh()

    # --- layers ---------------------------------------------------------------------------------------------
    def vector_layers(self) -> list[QgsVectorLayer]:
        return [lyr for lyr in QgsProject.instance().mapLayers().values() if isinstance(lyr, QgsVectorLayer)]

    def refresh(self, *_args) -> None:
        current = self.selected_layer()
        self.layer_table.setRowCount(0)
        for layer in sorted(self.vector_layers(), key=lambda lyr: lyr.name()):
            row = self.layer_table.rowCount()
            self.layer_table.insertRow(row)
            role = fieldmaps.role_of(layer)
            cells = [layer.name(), role_label(role) if role else "—", str(layer.featureCount()),
                     layer.crs().authid() or tr("none"), geometry_kind(layer)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, layer.id())
                self.layer_table.setItem(row, column, item)
            if current is not None and layer.id() == current.id():
                self.layer_table.selectRow(row)

    def selected_layer(self) -> QgsVectorLayer | None:
        items = self.layer_table.selectedItems()
        if not items:
            return None
        return QgsProject.instance().mapLayer(items[0].data(Qt.ItemDataRole.UserRole))

    def select_layer(self, layer: QgsVectorLayer) -> None:
        for row in range(self.layer_table.rowCount()):
            if self.layer_table.item(row, 0).data(Qt.ItemDataRole.UserRole) == layer.id():
                self.layer_table.selectRow(row)
                return

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Add parcel layers"), "", FILE_FILTER)
        for path in paths:
            self.load_path(path)

    def load_path(self, path: str, encoding: str | None = None) -> list[QgsVectorLayer]:
        """Open a file's layers, give each its role's style and add them to the project; errors go to the bar."""
        try:
            layers = open_file_layer(path, encoding=encoding)
        except LayerError as exc:
            self.show_error(exc)
            return []
        for layer in layers:
            role = fieldmaps.role_of(layer)
            if role:
                styles.apply_role_style(layer, role)
            QgsProject.instance().addMapLayer(layer)
        if layers:
            self.select_layer(layers[0])
        return layers

    def add_postgis(self) -> None:
        from .postgis_dialog import PostgisDialog

        dialog = PostgisDialog(self)
        try:
            layers = dialog.layers if dialog.exec() else []
        finally:  # one dialog per opening, parented to the panel: gone once closed
            dialog.deleteLater()
        for layer in layers:
            role = fieldmaps.role_of(layer)
            if role:
                styles.apply_role_style(layer, role)
            QgsProject.instance().addMapLayer(layer)

    # --- role and field map -----------------------------------------------------------------------------------
    def show_selected(self) -> None:
        layer = self.selected_layer()
        if layer is None:
            return
        role = fieldmaps.role_of(layer)
        self.role_combo.blockSignals(True)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(role)) if role else 0)
        self.role_combo.blockSignals(False)
        encoding = layer.dataProvider().encoding() if layer.dataProvider() else ""
        index = self.encoding_combo.findText(encoding, Qt.MatchFlag.MatchFixedString)
        self.encoding_combo.setCurrentIndex(index if index >= 0 else self.encoding_combo.findText("System"))
        self.encoding_combo.setEnabled(layer.providerType() == "ogr")
        self.fill_map_table(layer, role, *self.map_for(layer, role, saved=True))

    def role_changed(self) -> None:
        layer = self.selected_layer()
        if layer is not None:
            role = self.role_combo.currentData()
            self.fill_map_table(layer, role, *self.map_for(layer, role, saved=fieldmaps.saved_role(layer) == role))

    @staticmethod
    def map_for(layer: QgsVectorLayer, role: str | None, saved: bool):
        """(field map, detection): the saved map (no detection to show), else the detected one; none without a
        role."""
        if role is None:
            return {}, None
        detection = fieldmaps.detection_unless_saved(layer, role) if saved else fieldmaps.detection_of(layer, role)
        return (fieldmaps.field_map_of(layer, role) if detection is None else detection.field_map()), detection

    def fill_map_table(self, layer: QgsVectorLayer, role: str, field_map: dict[str, str], detection=None) -> None:
        """One row per canonical field of the role (none without a role); an uncertain detected match is marked "?"
        with why."""
        if role is None:
            self.map_table.setRowCount(0)
            return
        r = ROLES[role]
        canonical = list(r.required) + list(r.optional)
        names = field_names(layer)
        self.map_table.setRowCount(len(canonical))
        for row, canon in enumerate(canonical):
            label = field_label(canon) + (" *" if canon in r.required else "")
            match = detection.matches.get(canon) if detection is not None else None
            item = QTableWidgetItem(label + (" ?" if match is not None and match.ambiguous else ""))
            if match is not None:
                item.setToolTip(tr("{field}: confidence {confidence:.2f} ({how})").format(
                    field=match.field, confidence=match.confidence, how=fieldmaps.how_label(match.how))
                    + (" — " + tr("other candidates: {others}").format(others=", ".join(match.alternatives))
                       if match.alternatives else ""))
            item.setData(Qt.ItemDataRole.UserRole, canon)
            self.map_table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem(tr("(not mapped)"), "")
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(field_map.get(canon, ""))))
            self.map_table.setCellWidget(row, 1, combo)

    def current_map(self) -> dict[str, str]:
        mapping = {}
        for row in range(self.map_table.rowCount()):
            canon = self.map_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            value = self.map_table.cellWidget(row, 1).currentData()
            if value:
                mapping[canon] = value
        return mapping

    def confirm_map(self) -> None:
        layer = self.selected_layer()
        if layer is None:
            self.push(tr("Select a layer first"), Qgis.MessageLevel.Warning)
            return
        role = self.role_combo.currentData()
        if role is None:
            self.push(tr("Choose the layer's role first"), Qgis.MessageLevel.Warning)
            return
        findings = self.validate(layer, role)
        if any(f.level == ERROR for f in findings):
            self.push(tr("The field map of {layer} has errors; see the validation report").format(layer=layer.name()),
                      Qgis.MessageLevel.Warning)
            return
        fieldmaps.save(layer, role, self.current_map())
        styles.apply_role_style(layer, role)
        QgsProject.instance().setDirty(True)
        self.refresh()
        self.push(tr("Field map of {layer} saved in the project").format(layer=layer.name()),
                  Qgis.MessageLevel.Success)

    def encoding_changed(self) -> None:
        layer = self.selected_layer()
        if layer is not None and layer.providerType() == "ogr":
            layer.setProviderEncoding(self.encoding_combo.currentText())
            layer.triggerRepaint()
            self.show_selected()

    # --- validation ----------------------------------------------------------------------------------------
    def validate_selected(self) -> None:
        layer = self.selected_layer()
        if layer is None:
            self.push(tr("Select a layer first"), Qgis.MessageLevel.Warning)
            return
        if self.role_combo.currentData() is None:
            self.push(tr("Choose the layer's role first"), Qgis.MessageLevel.Warning)
            return
        self.validate(layer, self.role_combo.currentData())

    def validate(self, layer: QgsVectorLayer, role: str):
        findings = validate_layer(layer, role, self.current_map())
        self.report.clear()
        icons = {ERROR: "✘ ", WARNING: "⚠ "}
        for finding in findings:
            item = QListWidgetItem(icons.get(finding.level, "✔ ") + finding.message)
            item.setData(Qt.ItemDataRole.UserRole, list(finding.feature_ids))
            self.report.addItem(item)
        return findings

