"""土地供应监管 / Land supply panel: run `landbureau:landsupply` in the background, then show the counts, the supplied
parcels (most urgent first) and the approval batches' unsupplied land (批而未供), the styled layers; click a row to
zoom; export the tables; print the 土地供应监管图. One of the deadline board's tabs (gui/deadline_board.py)."""
from __future__ import annotations

import json

import pandas as pd
from qgis.core import Qgis, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
)

from ..analysis.deadlines import GRADES, most_urgent
from ..analysis.land_supply_text import STATUSES
from ..analysis.units import M2_PER_MU
from ..i18n import tr
from ..layouts.themes import (
    LAND_SUPPLY,
    LEGEND_VALUES_KEY,
    PRINT_NOTE_KEY,
    PRINT_SOURCES_KEY,
    sources_note,
    summary_note,
)
from ..processing.land_supply import deadline_labels, status_labels
from ..processing.resettlement import grade_labels
from ..qgis_bridge.layers import field_names, read_columns
from .common import (
    RESULT_LAYER_KEY,
    TABLE_ROWS,
    FrameModel,
    PanelDock,
    chip,
    frame_view,
    layer_filter,
    relabel_categories,
    table_fields,
    unsorted,
)
from .resettlement_dock import GRADE_COLOURS

STATUS_COLOURS = {"on_time": ("#a6d96a", "#000"), "due_soon": ("#f2d600", "#000"), "unused": ("#fd8d3c", "#fff"),
                  "idle": ("#d7191c", "#fff"), "reclaim": ("#67000d", "#fff"), "completed": ("#1a9641", "#fff"),
                  "government_delay": ("#756bb1", "#fff"), "missing": ("#9e9e9e", "#000")}
FLAGGED = ("idle", "reclaim")


def parcel_headers() -> dict[str, str]:
    return {"parcel_id": tr("Parcel id"), "project_name": tr("Project"), "district": tr("District"),
            "supply_status": tr("Status"), "grade": tr("Grade"), "next_deadline": tr("Next deadline"),
            "next_due": tr("Due"), "days_left": tr("Days left"), "idle_days": tr("Idle days"),
            "idle_fee": tr("Idle fee (万元)"), "reasons": tr("Reasons")}


def batch_headers() -> dict[str, str]:
    return {"batch_id": tr("Batch id"), "batch_name": tr("Batch"), "district": tr("District"),
            "approved_mu": tr("Approved (亩)"), "unsupplied_mu": tr("Unsupplied (亩)"),
            "age_days": tr("Days since approval"),
            "due": tr("Due"), "days_left": tr("Days left"), "grade": tr("Grade"), "reasons": tr("Reasons")}


class LandSupplyDock(PanelDock):
    OBJECT_NAME = "landBureauLandSupplyDock"
    ALGORITHM = "landbureau:landsupply"
    INPUT_ROLES = {"land_supply": "supply_combo", "approval_batches": "batches_combo"}

    def __init__(self, iface):
        super().__init__(iface, tr("Land supply monitor"))
        form = QFormLayout()
        self.supply_combo = QgsMapLayerComboBox()
        self.supply_combo.setFilters(layer_filter("PolygonLayer"))
        self.batches_combo = QgsMapLayerComboBox()
        self.batches_combo.setFilters(layer_filter("PolygonLayer"))
        self.batches_combo.setAllowEmptyLayer(True, tr("none: approved but unsupplied land not measured"))
        self.batches_combo.setCurrentIndex(0)
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        form.addRow(tr("Supplied parcels"), self.supply_combo)
        form.addRow(tr("Approval batches"), self.batches_combo)
        form.addRow(tr("As-of date"), self.as_of)
        self.layout.addLayout(form)
        self.add_run_row_and_summary(cancellable=True)
        self.flagged_only = QCheckBox(tr("Show idle and to-be-reclaimed parcels only"))
        self.layout.addWidget(self.flagged_only)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.table_note.hide()
        self.layout.addWidget(self.table_note)
        self.tables = QTabWidget()
        self.parcel_model = FrameModel(headers=parcel_headers())
        self.parcel_view, self.parcel_proxy = frame_view(self.parcel_model)
        self.batch_model = FrameModel(headers=batch_headers())
        self.batch_view, self.batch_proxy = frame_view(self.batch_model)
        self.tables.addTab(self.parcel_view, tr("Supplied parcels"))
        self.tables.addTab(self.batch_view, tr("Approved, not supplied"))
        self.layout.addWidget(self.tables, 1)
        exports = QHBoxLayout()
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        self.csv_button = QPushButton(tr("Export CSV…"))
        exports.addWidget(self.xlsx_button)
        exports.addWidget(self.csv_button)
        self.add_print_button("land_supply", exports)
        self.layout.addLayout(exports)

        self.layer_ids = {"source": None, "result": None, "unsupplied": None}
        self.parcels = pd.DataFrame()
        self.batches = pd.DataFrame()
        self.warning_days = None
        self.run_button.clicked.connect(self.run)
        self.flagged_only.toggled.connect(self.show_tables)
        self.parcel_view.clicked.connect(lambda index: self.row_clicked(index, "parcels"))
        self.batch_view.clicked.connect(lambda index: self.row_clicked(index, "batches"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.follow_project_layers()

    # --- running ------------------------------------------------------------------------------------------------
    def parameters(self) -> dict:
        params = {"SUPPLY": self.supply_combo.currentLayer(), "AS_OF": self.as_of.date().toString("yyyy-MM-dd"),
                  "OUTPUT": "memory:", "UNSUPPLIED": "memory:"}
        if self.batches_combo.currentLayer() is not None:
            params["APPROVALS"] = self.batches_combo.currentLayer()
        return params

    def run(self) -> None:
        source = self.supply_combo.currentLayer()
        if source is None:
            self.push(tr("Choose the supplied parcels layer first"), Qgis.MessageLevel.Warning)
            return
        self.layer_ids["source"] = source.id()
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, self.parameters(), self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The land supply check failed: {error}")):
            return
        source = QgsProject.instance().mapLayer(self.layer_ids["source"] or "")
        summary = json.loads(results["SUMMARY"])
        self.warning_days = summary.get("warning_days")
        date = self.as_of.date().toString("yyyy-MM-dd")
        result = context.takeResultLayer(results["OUTPUT"])
        result.setName(tr("Land supply {date}").format(date=date))
        result.setCustomProperty(LEGEND_VALUES_KEY, json.dumps(self.warning_days or {}))
        result.setCustomProperty(PRINT_NOTE_KEY, summary_note(summary))
        result.setCustomProperty(PRINT_SOURCES_KEY, sources_note(summary, LAND_SUPPLY))  # 依据, under the table
        unsupplied = context.takeResultLayer(results["UNSUPPLIED"]) if results.get("UNSUPPLIED") else None
        for key, layer, style in (("result", result, "supply_result"), ("unsupplied", unsupplied, "supply_unsupplied")):
            if layer is None:
                if self.layer_ids[key] and QgsProject.instance().mapLayer(self.layer_ids[key]) is not None:
                    QgsProject.instance().removeMapLayer(self.layer_ids[key])
                self.layer_ids[key] = None
                continue
            layer.setCustomProperty(RESULT_LAYER_KEY, source.id() if source else "")
            self.layer_ids[key] = self.replace_layer(self.layer_ids[key], layer, style)
        relabel_categories(result, status_labels())
        if unsupplied is not None:
            unsupplied.setName(tr("Approved, not supplied {date}").format(date=date))
            relabel_categories(unsupplied, grade_labels(self.warning_days))
        self.read_tables(result, unsupplied, source)
        self.show_summary(summary)
        self.show_tables()

    def read_tables(self, result, unsupplied, source) -> None:
        fields = table_fields(result, source, "land_supply", own=parcel_headers(),
                              copied=("parcel_id", "project_name", "district"))
        self.parcels = read_columns(result, fields).frame
        self.parcels = self.parcels[[c for c in parcel_headers() if c in self.parcels.columns]]
        if unsupplied is None:
            self.batches = pd.DataFrame()
            return
        names = field_names(unsupplied)
        frame = read_columns(unsupplied, {name: name for name in names}).frame
        frame["approved_mu"] = pd.to_numeric(frame["approved_m2"], errors="coerce") / M2_PER_MU
        self.batches = frame[[c for c in batch_headers() if c in frame.columns]]

    # --- showing ------------------------------------------------------------------------------------------------
    def show_summary(self, summary: dict) -> None:
        labels, grades = status_labels(), grade_labels(summary.get("warning_days"))
        statuses = " ".join(chip(f"{labels[s]}：{summary['per_status'][s]}", *STATUS_COLOURS[s]) for s in STATUSES
                            if summary["per_status"].get(s))
        lines = [tr("{n} supplied parcel(s) on {date}").format(n=summary["parcels"], date=summary["as_of"]), statuses]
        lines += summary.get("text", [])[1:]
        batches = summary.get("batches")
        if batches:
            lines.append(tr("Approval batches by grade:") + " " + " ".join(
                chip(f"{grades[g]}：{batches['per_grade'][g]}", GRADE_COLOURS[g], "#000" if g in ("yellow", "grey")
                     else "#fff") for g in GRADES if batches["per_grade"][g]))
        self.summary.setText("<br>".join(lines))

    def show_tables(self) -> None:
        """Codes in words, the most urgent first (the layers keep the codes for styling and export)."""
        frame = self.parcels
        if self.flagged_only.isChecked() and "supply_status" in frame:
            frame = frame[frame["supply_status"].isin(FLAGGED)]
        total = len(frame)
        frame = most_urgent(frame, TABLE_ROWS)
        self.table_note.setVisible(len(frame) < total)
        self.table_note.setText(tr("The table lists the {shown:,} most urgent of {total:,} parcels; the layer and the "
                                   "exports hold them all.").format(shown=len(frame), total=total))
        words = {"supply_status": status_labels(), "grade": grade_labels(self.warning_days),
                 "next_deadline": deadline_labels()}
        for column, labels in words.items():
            if column in frame:
                frame[column] = frame[column].map(labels).fillna(frame[column])
        self.parcel_model.set_frame(frame)
        unsorted(self.parcel_view)
        self.parcel_view.resizeColumnsToContents()
        batches = most_urgent(self.batches, TABLE_ROWS)
        if "grade" in batches:
            batches["grade"] = batches["grade"].map(grade_labels(self.warning_days)).fillna(batches["grade"])
        self.batch_model.set_frame(batches)
        unsorted(self.batch_view)
        self.batch_view.resizeColumnsToContents()
        self.tables.setTabEnabled(1, not self.batches.empty)

    def row_clicked(self, proxy_index, table: str) -> None:
        key, model, proxy = (("result", self.parcel_model, self.parcel_proxy) if table == "parcels"
                             else ("unsupplied", self.batch_model, self.batch_proxy))
        layer = QgsProject.instance().mapLayer(self.layer_ids[key] or "")
        if layer is not None:
            self.show_features(layer, [model.feature_id(proxy.mapToSource(proxy_index).row())])

    def print_layer(self):
        return QgsProject.instance().mapLayer(self.layer_ids["result"] or "")

    # --- export -------------------------------------------------------------------------------------------------
    def export(self, kind: str) -> None:
        """The shown table: the parcels as the print theme tabulates them (Chinese headers with units, codes in
        words, worst first), or the approval batches."""
        from ..export import theme_table, to_csv, to_xlsx
        from ..layouts.builder import read_theme_columns
        from ..layouts.themes import LAND_SUPPLY, UNSUPPLIED_TABLE

        parcels = self.tables.currentIndex() == 0
        layer = QgsProject.instance().mapLayer(self.layer_ids["result" if parcels else "unsupplied"] or "")
        if layer is None:
            self.push(tr("Run the check first; there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        name = "land_supply" if parcels else "unsupplied"
        pattern = "Excel (*.xlsx)" if kind == "xlsx" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), f"{name}.{kind}", pattern)
        if not path:
            return
        theme = LAND_SUPPLY if parcels else UNSUPPLIED_TABLE
        result = read_theme_columns(layer, theme, with_geometry=False).frame
        table, formats = theme_table(result, theme, flagged_only=parcels and self.flagged_only.isChecked())
        if kind == "xlsx":
            self.write_file(path, lambda target: to_xlsx(table, target, sheet=theme.name, number_formats=formats),
                            tr("Table exported to {path}"))
        else:
            self.write_file(path, lambda target: to_csv(table, target), tr("Table exported to {path}"))

