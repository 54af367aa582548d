"""耕地占补平衡 / Cultivated land balance panel: run `landbureau:farmlandbalance` in the background, then show the
ledger per county (the last period by default, every period on demand), the indicator flows between counties as a
table and as arrows on the map, and the per-project checks; click a county to select and zoom to its occupations and
supplements, a check to its place on the map; export the ledger as the bureau's workbook."""
from __future__ import annotations

import json

import pandas as pd
from qgis.core import Qgis, QgsFeatureRequest, QgsProject, QgsRectangle
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QPushButton, QTabWidget

from ..analysis.county_names import fold
from ..i18n import tr
from ..layouts.themes import FARMLAND, PRINT_NOTE_KEY, PRINT_SOURCES_KEY, sources_note, summary_note
from ..processing.farmland_balance import check_labels, write_ledger_xlsx
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import field_names, only_attributes, read_columns
from .common import RESULT_LAYER_KEY, FrameModel, PanelDock, chip, frame_view, layer_filter, unsorted

STATUS_COLOURS = {"balanced": ("#1a9641", "#fff"), "deficit": ("#d7191c", "#fff"),
                  "transfers_only": ("#8c8c8c", "#fff")}


def status_labels() -> dict[str, str]:
    return {"balanced": tr("balanced"), "deficit": tr("deficit"),
            "transfers_only": tr("transfers only (not judged)")}


def type_labels() -> dict[str, str]:
    return {"cultivated": tr("cultivated land"), "forest": tr("forest land"), "grain_zone": tr("grain zone (代保)")}


def ledger_headers() -> dict[str, str]:
    return {"county": tr("County"), "period": tr("Period"), "occupied_mu": tr("Occupied (亩)"),
            "supplemented_mu": tr("Supplemented (亩)"), "received_mu": tr("Received (亩)"),
            "given_mu": tr("Given (亩)"), "balance_mu": tr("Balance (亩)"),
            "balance_paddy_mu": tr("Paddy balance (亩)"),
            "balance_capacity_kg": tr("Capacity balance (kg)"), "status": tr("Status"),
            "shortfall_mu": tr("Shortfall (亩)"), "shortfall_paddy_mu": tr("Paddy shortfall (亩)"),
            "shortfall_capacity_kg": tr("Capacity shortfall (kg)")}


def flow_headers() -> dict[str, str]:
    return {"from_county": tr("From"), "to_county": tr("To"), "type": tr("Indicator"),
            "transfers": tr("Transfers"), "mu": tr("Quantity (亩)"), "paddy_mu": tr("Paddy (亩)"),
            "capacity_kg": tr("Capacity (kg)"), "funds": tr("Funds (万元)"),
            "funds_unknown": tr("Transfers without funds")}


def check_headers() -> dict[str, str]:
    return {"check": tr("Check"), "project_id": tr("Project id"), "county": tr("County"), "date": tr("Date"),
            "amounts": tr("Concerns"), "reason": tr("Reasons")}


def _number(value) -> str:
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _kg(value) -> str:
    return f"{value:,.0f}" if isinstance(value, float) else str(value)


class FarmlandDock(PanelDock):
    OBJECT_NAME = "landBureauFarmlandDock"
    ALGORITHM = "landbureau:farmlandbalance"
    INPUT_ROLES = {"farmland_occupations": "occupations_combo", "farmland_supplements": "supplements_combo",
                   "indicator_transfers": "transfers_combo", "farmland": "basic_combo", "redline": "redline_combo"}

    def __init__(self, iface):
        super().__init__(iface, tr("Cultivated land balance"))
        form = QFormLayout()
        self.occupations_combo = self._combo("PolygonLayer")
        self.supplements_combo = self._combo("PolygonLayer")
        self.transfers_combo = self._combo("VectorLayer", tr("none: no transfers"))
        self.basic_combo = self._combo("PolygonLayer", tr("none: not checked"))
        self.redline_combo = self._combo("PolygonLayer", tr("none: not checked"))
        self.construction_combo = self._combo("PolygonLayer", tr("none: not checked"))
        self.period = QComboBox()
        self.period.addItems([tr("Year"), tr("Quarter"), tr("Month"), tr("Whole time")])
        form.addRow(tr("Occupations of cultivated land"), self.occupations_combo)
        form.addRow(tr("Supplemented cultivated land"), self.supplements_combo)
        form.addRow(tr("Indicator transfers"), self.transfers_combo)
        form.addRow(tr("Permanent basic farmland"), self.basic_combo)
        form.addRow(tr("Ecological red line"), self.redline_combo)
        form.addRow(tr("Existing construction land"), self.construction_combo)
        form.addRow(tr("Period"), self.period)
        self.layout.addLayout(form)
        self.add_run_row_and_summary(cancellable=True)
        self.every_period = QCheckBox(tr("Show every period (else each county's latest)"))
        self.layout.addWidget(self.every_period)
        self.tables = QTabWidget()
        formats = {name: _number for name in ("occupied_mu", "supplemented_mu", "received_mu", "given_mu",
                                              "balance_mu", "balance_paddy_mu", "shortfall_mu", "shortfall_paddy_mu",
                                              "mu", "paddy_mu", "funds", "area_mu")}
        formats.update({name: _kg for name in ("balance_capacity_kg", "shortfall_capacity_kg", "capacity_kg")})
        self.ledger_model = FrameModel(headers=ledger_headers(), formats=formats)
        self.ledger_view, self.ledger_proxy = frame_view(self.ledger_model)
        self.flow_model = FrameModel(headers=flow_headers(), formats=formats)
        self.flow_view, _ = frame_view(self.flow_model)
        self.check_model = FrameModel(headers=check_headers(), formats=formats)
        self.check_view, self.check_proxy = frame_view(self.check_model)
        self.tables.addTab(self.ledger_view, tr("Ledger"))
        self.tables.addTab(self.flow_view, tr("Flows between counties"))
        self.tables.addTab(self.check_view, tr("Checks"))
        self.layout.addWidget(self.tables, 1)
        exports = QHBoxLayout()
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        exports.addWidget(self.xlsx_button)
        self.add_print_button("farmland", exports)
        self.layout.addLayout(exports)

        self.layer_ids = {"occupations": None, "supplements": None, "checks": None, "flows": None}
        self.ledger = pd.DataFrame()
        self.run_button.clicked.connect(self.run)
        self.every_period.toggled.connect(self.show_ledger)
        self.ledger_view.clicked.connect(self.county_clicked)
        self.check_view.clicked.connect(self.check_clicked)
        self.xlsx_button.clicked.connect(self.export)
        self.follow_project_layers()

    @staticmethod
    def _combo(kind: str, empty: str | None = None) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox()
        combo.setFilters(layer_filter(kind))
        if empty is not None:
            combo.setAllowEmptyLayer(True, empty)
            combo.setCurrentIndex(0)
        return combo

    # --- running ------------------------------------------------------------------------------------------------
    def parameters(self) -> dict:
        params = {"OCCUPATIONS": self.occupations_combo.currentLayer(),
                  "SUPPLEMENTS": self.supplements_combo.currentLayer(), "PERIOD": self.period.currentIndex(),
                  "LEDGER": "memory:", "CHECKS": "memory:", "FLOWS": "memory:"}
        for name, combo in (("TRANSFERS", self.transfers_combo), ("BASIC_FARMLAND", self.basic_combo),
                            ("REDLINE", self.redline_combo), ("CONSTRUCTION", self.construction_combo)):
            if combo.currentLayer() is not None:
                params[name] = combo.currentLayer()
        return params

    def run(self) -> None:
        occupations, supplements = self.occupations_combo.currentLayer(), self.supplements_combo.currentLayer()
        if occupations is None or supplements is None:
            self.push(tr("Choose the occupations and the supplements layers first"), Qgis.MessageLevel.Warning)
            return
        self.layer_ids.update(occupations=occupations.id(), supplements=supplements.id())
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, self.parameters(), self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The cultivated land balance failed: {error}")):
            return
        summary = json.loads(results["SUMMARY"])
        ledger = context.takeResultLayer(results["LEDGER"])
        self.ledger = read_columns(ledger, {name: name for name in field_names(ledger)}).frame
        for key, output, style, title in (("checks", "CHECKS", "farmland_checks", tr("Cultivated land checks")),
                                          ("flows", "FLOWS", "farmland_flows", tr("Indicator flows"))):
            layer = context.takeResultLayer(results[output]) if results.get(output) else None
            if layer is None:
                continue
            layer.setName(title)
            # a result, as the other panels mark theirs: never offered as an input of the next run (the flows'
            # fields fit the transfers input, the checks' the occupations); of no one source layer (two inputs)
            layer.setCustomProperty(RESULT_LAYER_KEY, "")
            if key == "checks":
                layer.setCustomProperty(PRINT_NOTE_KEY, summary_note(summary))
                layer.setCustomProperty(PRINT_SOURCES_KEY, sources_note(summary, FARMLAND))
            self.layer_ids[key] = self.replace_layer(self.layer_ids[key], layer, style)
        self.show_summary(summary)
        self.show_ledger()
        self.show_flows(summary)
        self.show_checks()

    # --- showing ------------------------------------------------------------------------------------------------
    def show_summary(self, summary: dict) -> None:
        labels = status_labels()
        last = self.ledger.groupby("county").tail(1) if len(self.ledger) else self.ledger
        counts = last["status"].value_counts() if len(last) else pd.Series(dtype=int)
        chips = " ".join(chip(f"{labels[s]}：{int(counts.get(s, 0))}", *STATUS_COLOURS[s]) for s in STATUS_COLOURS)
        self.summary.setText("<br>".join([chips, *summary.get("text", [])]))

    def show_ledger(self) -> None:
        frame = self.ledger
        if len(frame) and not self.every_period.isChecked():
            frame = frame.groupby("county").tail(1)
        frame = frame[[c for c in ledger_headers() if c in frame.columns]].copy()
        if "status" in frame:
            frame["status"] = frame["status"].map(status_labels()).fillna(frame["status"])
        self.ledger_model.set_frame(frame)
        unsorted(self.ledger_view)
        self.ledger_view.resizeColumnsToContents()

    def show_flows(self, summary: dict) -> None:
        flows = pd.DataFrame(summary.get("flows") or [], columns=list(flow_headers()))
        flows["type"] = flows["type"].map(type_labels()).fillna(flows["type"])
        self.flow_model.set_frame(flows)
        self.flow_view.resizeColumnsToContents()

    def show_checks(self) -> None:
        layer = QgsProject.instance().mapLayer(self.layer_ids["checks"] or "")
        if layer is None:
            self.check_model.set_frame(pd.DataFrame())
            return
        frame = read_columns(layer, {name: name for name in check_headers()}).frame
        frame["check"] = frame["check"].map(check_labels()).fillna(frame["check"])
        self.check_model.set_frame(frame[list(check_headers())])
        self.check_view.resizeColumnsToContents()

    # --- the map ------------------------------------------------------------------------------------------------
    def county_clicked(self, proxy_index) -> None:
        """Select the county's occupations and supplements in their layers and zoom to them all."""
        row = self.ledger_proxy.mapToSource(proxy_index).row()
        county = self.ledger_model.frame["county"].iloc[row]
        self.select_county(county)

    def select_county(self, county: str) -> list:
        """Select the projects of `county` under each of its spellings: the ledger reads 桐廬縣 and 桐庐县 as one
        county (analysis.county_names), so its projects are those whose name folds to the same."""
        boxes, chosen = [], []
        folded = fold(str(county).strip())
        for key, role in (("occupations", "farmland_occupations"), ("supplements", "farmland_supplements")):
            layer = QgsProject.instance().mapLayer(self.layer_ids[key] or "")
            field = field_map_of(layer, role).get("district") if layer is not None else None
            if not field or layer.fields().indexOf(field) < 0:
                continue
            request = only_attributes(QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry), layer, [field])
            layer.selectByIds([feature.id() for feature in layer.getFeatures(request)
                               if isinstance(feature[field], str) and fold(feature[field].strip()) == folded])
            chosen.append((layer, layer.selectedFeatureIds()))
            if layer.selectedFeatureCount():
                settings = self.iface.mapCanvas().mapSettings()
                boxes.append(settings.layerExtentToOutputExtent(layer, layer.boundingBoxOfSelected()))
        if boxes:
            extent = QgsRectangle(boxes[0])
            for box in boxes[1:]:
                extent.combineExtentWith(box)
            self.iface.mapCanvas().setExtent(extent.buffered(max(extent.width(), extent.height()) * 0.05 or 10.0))
            self.iface.mapCanvas().refresh()
        return chosen

    def check_clicked(self, proxy_index) -> None:
        layer = QgsProject.instance().mapLayer(self.layer_ids["checks"] or "")
        if layer is not None:
            row = self.check_proxy.mapToSource(proxy_index).row()
            self.show_features(layer, [self.check_model.feature_id(row)])

    def print_layer(self):
        return QgsProject.instance().mapLayer(self.layer_ids["checks"] or "")

    # --- export -------------------------------------------------------------------------------------------------
    def export(self) -> None:
        if self.ledger.empty:
            self.push(tr("Run the check first; there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), "耕地占补平衡台账.xlsx", "Excel (*.xlsx)")
        if path:
            self.write_file(path, lambda target: write_ledger_xlsx(self.ledger, target),
                            tr("Table exported to {path}"))
