"""15分钟生活圈 / Living circle panel: run `landbureau:livingcircle` in the background, then show the coverage per
type as a bar chart, the table per district, the units styled by coverage and the gaps; export the indicators;
print the theme 15分钟生活圈覆盖评估图 (layouts/themes.LIVING_CIRCLE).

Why a front-end only: the measuring is the algorithm's (the toolbox, the modeler and qgis_process give the same
answer); the panel picks the layers by role, draws, and writes the district table to XLSX."""
from __future__ import annotations

import json

import pandas as pd
from qgis.core import Qgis
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QPushButton

from ..i18n import tr
from ..layouts.themes import (
    LIVING_CIRCLE,
    PRINT_NOTE_KEY,
    PRINT_ROWS_KEY,
    PRINT_SOURCES_KEY,
    sources_note,
    summary_note,
    summary_rows,
)
from ..qgis_bridge.layers import read_columns
from .common import RESULT_LAYER_KEY, FrameModel, PanelDock, frame_view, layer_filter

BAR_WIDTH_PX = 160  # width of a full bar in the chart
BAR_FILL = "#2b83ba"  # the share covered (the map's "covered" blue family)
BAR_REST = "#e3e3e3"  # the share not covered


def bar(share) -> str:
    """A bar for a share 0–1 as a rich-text table of a filled and an empty cell; "-" when unknown.

    Why cells and not block characters: a font draws "█"/"░" as it likes (black boxes and a checkerboard under
    DejaVu), while a cell's background is the colour we give it in every font and theme."""
    if share is None:
        return "-"
    filled = round(share * BAR_WIDTH_PX)
    parts = [(filled, BAR_FILL), (BAR_WIDTH_PX - filled, BAR_REST)]
    cells = "".join(f"<td width='{width}' bgcolor='{colour}'></td>" for width, colour in parts if width > 0)
    return f"<table cellspacing='0' cellpadding='0' height='10'><tr>{cells}</tr></table>"


def percent(share) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def chart_html(summary: dict) -> str:
    """The city's population-weighted coverage per type, and every basic type together, as a bar chart."""
    shares = summary["city"]["shares"]
    rows = [(summary["labels"][kind], shares[kind]) for kind in summary["labels"]]
    rows.append((tr("Every basic facility"), shares["all"]))
    body = "".join(f"<tr><td>{label}</td><td>{bar(share)}</td><td align='right'>{percent(share)}</td></tr>"
                   for label, share in rows)
    return f"<table cellspacing='2'>{body}</table>"


def _whole(value) -> str:
    return f"{float(value):,.0f}"


def _tenth(value) -> str:
    return f"{float(value):.1f}"


class LivingCircleDock(PanelDock):
    OBJECT_NAME = "landBureauLivingCircleDock"
    ALGORITHM = "landbureau:livingcircle"
    INPUT_ROLES = {"residential": "homes_combo", "facilities": "places_combo", "roads": "roads_combo"}

    def __init__(self, iface):
        super().__init__(iface, tr("15-minute living circle"))
        form = QFormLayout()
        self.homes_combo = QgsMapLayerComboBox()
        self.homes_combo.setFilters(layer_filter("PointLayer", "PolygonLayer"))
        self.places_combo = QgsMapLayerComboBox()
        self.places_combo.setFilters(layer_filter("PointLayer", "PolygonLayer"))
        self.roads_combo = QgsMapLayerComboBox()
        self.roads_combo.setFilters(layer_filter("LineLayer"))
        self.roads_combo.setAllowEmptyLayer(True)
        form.addRow(tr("Residential units"), self.homes_combo)
        form.addRow(tr("Facilities"), self.places_combo)
        form.addRow(tr("Roads (empty: straight lines)"), self.roads_combo)
        self.layout.addLayout(form)
        self.add_run_row_and_summary(cancellable=True)
        self.model = FrameModel(headers={})
        self.view, self.proxy = frame_view(self.model)
        self.layout.addWidget(self.view, 1)
        exports = QHBoxLayout()
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        exports.addWidget(self.xlsx_button)
        self.add_print_button(LIVING_CIRCLE.key, exports)
        self.layout.addLayout(exports)
        self.result_layer_id = self.gaps_layer_id = None
        self.districts = pd.DataFrame()
        self.run_button.clicked.connect(self.run)
        self.xlsx_button.clicked.connect(self.export)
        self.follow_project_layers()

    def parameters(self) -> dict:
        params = {"RESIDENTIAL": self.homes_combo.currentLayer(), "FACILITIES": self.places_combo.currentLayer(),
                  "OUTPUT": "memory:", "GAPS": "memory:", "DISTRICTS": "memory:"}
        if self.roads_combo.currentLayer() is not None:
            params["ROADS"] = self.roads_combo.currentLayer()
        return params

    def run(self) -> None:
        if self.homes_combo.currentLayer() is None or self.places_combo.currentLayer() is None:
            self.push(tr("Choose the residential units and the facilities first"), Qgis.MessageLevel.Warning)
            return
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, self.parameters(), self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The living circle failed: {error}")):
            return
        source = self.homes_combo.currentLayer()
        layer = context.takeResultLayer(results["OUTPUT"])
        layer.setName(tr("Living circle coverage"))
        layer.setCustomProperty(RESULT_LAYER_KEY, source.id() if source else "")
        summary = json.loads(results["SUMMARY"])
        layer.setCustomProperty(PRINT_NOTE_KEY, summary_note(summary))  # walks, coverage, straight lines: printed
        layer.setCustomProperty(PRINT_SOURCES_KEY, sources_note(summary, LIVING_CIRCLE))  # 依据, under the table
        layer.setCustomProperty(PRINT_ROWS_KEY, json.dumps(summary_rows(summary), ensure_ascii=False))  # per type
        polygons = layer.geometryType() == 2
        self.result_layer_id = self.replace_layer(
            self.result_layer_id, layer, "living_circle_result" + ("_polygon" if polygons else ""))
        gaps = context.takeResultLayer(results["GAPS"]) if results.get("GAPS") else None
        if gaps is not None:
            gaps.setName(tr("Living circle gaps"))
            gaps.setCustomProperty(RESULT_LAYER_KEY, source.id() if source else "")
            self.gaps_layer_id = self.replace_layer(
                self.gaps_layer_id, gaps, "living_circle_gaps" + ("_polygon" if polygons else ""))
        lines = [line for line in summary.get("text", [])[:1]]
        if summary.get("straight_line"):
            lines.append(tr("No road network: straight-line distances × the detour factor"))
        self.summary.setText("<br>".join(lines) + chart_html(summary))
        districts = context.takeResultLayer(results["DISTRICTS"]) if results.get("DISTRICTS") else None
        if districts is not None:
            self.show_districts(districts, summary)

    def show_districts(self, layer, summary: dict) -> None:
        """The table per district, headed in words (the layer's field aliases), shares rounded to 0.1 %."""
        names = [f.name() for f in layer.fields()]
        frame = read_columns(layer, {name: name for name in names}).frame
        headers = {"district": tr("District"), "units": tr("Units"), "population": tr("Residents"),
                   "population_unknown": tr("Without population"), "share_all": tr("Every basic facility (%)")}
        headers.update({f"share_{kind}": f"{label} (%)" for kind, label in summary["labels"].items()})
        frame = frame[[c for c in headers if c in frame.columns]].copy()
        for column in frame.columns[1:]:  # read back as text or float noise (9492.259999999998): numbers, rounded
            frame[column] = pd.to_numeric(frame[column], errors="coerce").round(0 if column == "population" else 1)
        self.districts = frame.rename(columns=headers)
        self.model.headers = headers
        self.model.formats = {column: (_whole if column in ("units", "population", "population_unknown")
                                       else _tenth) for column in frame.columns[1:]}
        self.model.set_frame(frame)
        self.view.resizeColumnsToContents()

    def export(self) -> None:
        """The indicator table (per district and 全市) to XLSX, Chinese headers with the unit."""
        from ..export import to_xlsx

        if self.districts.empty:
            self.push(tr("Run the check first; there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), "living_circle.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        self.write_file(path, lambda target: to_xlsx(self.districts, target, sheet="15分钟生活圈"),
                        tr("Table exported to {path}"))
