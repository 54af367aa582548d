"""征迁安置监管 / Resettlement monitor panel: run `landbureau:resettlementdeadlines`, then show counts, a table,
the styled layer; click a row to zoom; export the table."""
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
)

from ..analysis import deadlines
from ..analysis.resettlement import GRADES
from ..i18n import tr
from ..layouts.themes import LEGEND_VALUES_KEY, PRINT_SOURCES_KEY, RESETTLEMENT, sources_note
from ..processing.resettlement import grade_count, grade_labels, overdue_households_text, placement_not_checked
from ..qgis_bridge import styles
from ..qgis_bridge.layers import read_columns
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
)

GRADE_COLOURS = {"green": "#1a9641", "yellow": "#f2d600", "orange": "#fd8d3c", "red": "#d7191c", "grey": "#9e9e9e"}


def status_labels() -> dict[str, str]:
    return {"on_time": tr("on time"), "late": tr("done late"), "pending": tr("pending"), "due_soon": tr("due soon"),
            "overdue": tr("overdue"), "missing": tr("data error")}


def table_headers() -> dict[str, str]:
    return {"project_id": tr("Project id"), "project_name": tr("Project"), "district": tr("District"),
            "grade": tr("Grade"), "start_status": tr("Start (+1)"), "complete_status": tr("Completion (+4)"),
            "resettle_status": tr("Resettlement (+5)"), "resettle_days": tr("Days left (+5)"),
            "overdue_households": tr("Households overdue"), "reasons": tr("Reasons")}


def most_urgent(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` most urgent projects: worst grade, then fewest days left to resettlement (analysis.deadlines)."""
    return deadlines.most_urgent(frame, limit, days="resettle_days")


class ResettlementDock(PanelDock):
    OBJECT_NAME = "landBureauResettlementDock"
    ALGORITHM = "landbureau:resettlementdeadlines"
    INPUT_ROLES = {"resettlement_projects": "layer_combo", "resettlement_plots": "plots_combo"}

    def __init__(self, iface):
        super().__init__(iface, tr("Resettlement monitor"))
        form = QFormLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(layer_filter("PointLayer", "PolygonLayer"))
        self.plots_combo = QgsMapLayerComboBox()
        self.plots_combo.setFilters(layer_filter("PolygonLayer"))
        self.plots_combo.setAllowEmptyLayer(True)
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        form.addRow(tr("Projects layer"), self.layer_combo)
        form.addRow(tr("Resettlement plots"), self.plots_combo)
        form.addRow(tr("As-of date"), self.as_of)
        self.layout.addLayout(form)
        self.add_run_row_and_summary()
        self.overdue_only = QCheckBox(tr("Show overdue only"))
        self.layout.addWidget(self.overdue_only)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.table_note.hide()
        self.layout.addWidget(self.table_note)
        self.model = FrameModel(headers=table_headers())
        self.view, self.proxy = frame_view(self.model)
        self.layout.addWidget(self.view, 1)
        exports = QHBoxLayout()
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        self.csv_button = QPushButton(tr("Export CSV…"))
        exports.addWidget(self.xlsx_button)
        exports.addWidget(self.csv_button)
        self.add_print_button("resettlement", exports)
        self.layout.addLayout(exports)

        self.result_layer_id = None
        self.table = pd.DataFrame()
        self.warning_days = None  # the last run's warning windows (SUMMARY "warning_days"), for its labels
        self.run_button.clicked.connect(self.run)
        self.overdue_only.toggled.connect(self.show_table)
        self.view.clicked.connect(self.row_clicked)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.follow_project_layers()

    def parameters(self) -> dict:
        layer = self.layer_combo.currentLayer()
        params = {"INPUT": layer, "AS_OF": self.as_of.date().toString("yyyy-MM-dd"), "OUTPUT": "memory:"}
        if self.plots_combo.currentLayer() is not None:
            params["PLOTS"] = self.plots_combo.currentLayer()
        return params

    def run(self) -> None:
        layer = self.layer_combo.currentLayer()
        if layer is None:
            self.push(tr("Choose the resettlement projects layer first"), Qgis.MessageLevel.Warning)
            return
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, self.parameters(), self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The resettlement check failed: {error}")):
            return
        layer = context.takeResultLayer(results["OUTPUT"])
        source = self.layer_combo.currentLayer()
        layer.setName(tr("Resettlement monitor {date}").format(date=self.as_of.date().toString("yyyy-MM-dd")))
        layer.setCustomProperty(RESULT_LAYER_KEY, source.id() if source else "")
        summary = json.loads(results["SUMMARY"])
        self.warning_days = summary.get("warning_days")
        layer.setCustomProperty(LEGEND_VALUES_KEY, json.dumps(self.warning_days or {}))  # for the printed legend
        layer.setCustomProperty(PRINT_SOURCES_KEY, sources_note(summary, RESETTLEMENT))  # 依据, under the table
        self.replace_result_layer(layer)
        self.show_summary(summary)
        fields = table_fields(layer, source, "resettlement_projects", own=table_headers(),
                              copied=("project_id", "project_name", "district"))
        self.table = read_columns(layer, fields).frame
        self.table = self.table[[c for c in table_headers() if c in self.table.columns]]
        self.show_table()

    def replace_result_layer(self, layer) -> None:
        """Re-running replaces the previous result layer instead of piling up copies."""
        name = "resettlement_result" if layer.geometryType() == 0 else "resettlement_result_polygon"
        styles.apply_style(layer, name)
        relabel_categories(layer, grade_labels(self.warning_days))
        self.result_layer_id = self.replace_layer(self.result_layer_id, layer)

    def show_summary(self, summary: dict) -> None:
        days = summary.get("warning_days")
        labels = grade_labels(days)
        chips = " ".join(chip(grade_count(g, summary["per_grade"][g], days), GRADE_COLOURS[g],
                              "#000" if g in ("yellow", "grey") else "#fff") for g in GRADES)
        lines = [tr("{n} project(s) on {date}").format(n=summary["projects"], date=summary["as_of"]), chips,
                 tr("Households in overdue transition: <b>{n}</b>").format(n=overdue_households_text(summary)),
                 tr("Projects without a resettlement plot on the map: {n}").format(
                     n=placement_not_checked() if summary.get("no_plot") is None else summary["no_plot"])]
        per_district = summary.get("per_district") or {}
        if per_district:
            rows = "".join(f"<tr><td>{d}</td>" + "".join(f"<td align='right'>{c[g]}</td>" for g in GRADES) + "</tr>"
                           for d, c in per_district.items())
            head = "<tr><th>" + tr("District") + "</th>" + "".join(f"<th>{labels[g]}</th>" for g in GRADES) + "</tr>"
            lines.append(f"<table cellspacing='4'>{head}{rows}</table>")
        self.summary.setText("<br>".join(lines))

    def show_table(self) -> None:
        """The result table with grades and statuses in words (the layer keeps the codes for styling and export)."""
        frame = self.table
        if self.overdue_only.isChecked() and "grade" in frame:
            frame = frame[frame["grade"] == "red"]
        total = len(frame)
        frame = most_urgent(frame, TABLE_ROWS)
        self.table_note.setVisible(len(frame) < total)
        self.table_note.setText(tr("The table lists the {shown:,} most urgent of {total:,} projects; the layer and "
                                   "the exports hold them all.").format(shown=len(frame), total=total))
        if "grade" in frame:
            frame["grade"] = frame["grade"].map(grade_labels(self.warning_days)).fillna(frame["grade"])
        for column in [c for c in frame.columns if c.endswith("_status")]:
            frame[column] = frame[column].map(status_labels()).fillna(frame[column])
        self.model.set_frame(frame)
        self.view.resizeColumnsToContents()

    def row_clicked(self, proxy_index) -> None:
        layer = QgsProject.instance().mapLayer(self.result_layer_id) if self.result_layer_id else None
        if layer is None:
            return
        self.show_features(layer, [self.model.feature_id(self.proxy.mapToSource(proxy_index).row())])

    def export(self, kind: str) -> None:
        """The result as the print theme tabulates it: Chinese headers with units, grades and statuses in words,
        worst first (only the overdue projects when the panel shows only those)."""
        from ..export import theme_table, to_csv, to_xlsx
        from ..layouts.builder import read_theme_columns
        from ..layouts.themes import RESETTLEMENT

        layer = self.print_layer()
        if self.table.empty or layer is None:
            self.push(tr("Run the check first; there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        pattern = "Excel (*.xlsx)" if kind == "xlsx" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), f"resettlement.{kind}", pattern)
        if not path:
            return
        result = read_theme_columns(layer, RESETTLEMENT, with_geometry=False).frame
        table, formats = theme_table(result, RESETTLEMENT, flagged_only=self.overdue_only.isChecked())
        if kind == "xlsx":
            self.write_file(path, lambda target: to_xlsx(table, target, sheet=RESETTLEMENT.name,
                                                          number_formats=formats), tr("Table exported to {path}"))
        else:
            self.write_file(path, lambda target: to_csv(table, target), tr("Table exported to {path}"))
