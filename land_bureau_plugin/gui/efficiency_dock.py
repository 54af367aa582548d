"""低效用地评价 / Low-efficiency land panel: run `landbureau:lowefficiency` in the background on the chosen parcels
and buildings with an edited copy of the rules, then show the parcels styled by grade with the merge clusters
outlined, the summary, a table with the reasons, and — for a parcel clicked on the map or in the table — why.
In live mode (gui.live_efficiency) the same views follow the parcels and buildings as they are edited."""
from __future__ import annotations

import dataclasses
import html
import json
import os
import tempfile

import numpy as np
import pandas as pd
from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsFileWidget, QgsMapLayerComboBox, QgsMapToolIdentifyFeature
from qgis.PyQt.QtCore import QRect, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..analysis.messages import SEPARATOR, split_reasons
from ..analysis.units import with_unknown
from ..i18n import tr, translate_in
from ..layouts.themes import EFFICIENCY, PRINT_NOTE_KEY, PRINT_SOURCES_KEY, sources_note, summary_note
from ..processing.efficiency import CLUSTER_FIELDS, RESULT_FIELDS
from ..qgis_bridge.layers import read_columns
from ..qgis_bridge.results import set_aliases
from ..rules.profile import ProfileError, load_profile, save_profile
from .common import (
    RESULT_LAYER_KEY,
    TABLE_ROWS,
    FrameModel,
    PanelDock,
    chip,
    dialog_buttons,
    frame_view,
    heading,
    layer_filter,
    relabel_categories,
    same_cells,
    table_fields,
)
from .efficiency_rules_editor import EfficiencyRulesEditor
from .land_use_choice import BesideOrUnder, system_combo, system_parameter
from .potential_order import table_request, top_ids

GRADE_COLOURS = {"A": "#1a9641", "B": "#a6d96a", "C": "#fdae61", "D": "#d7191c", "": "#eeeeee"}
SOURCE_COLUMNS = ("parcel_id", "owner", "district", "land_use")  # read from the parcels' own fields
RESULT_COLUMNS = ("grade", "score", "far", "coverage", "potential_m2", "cluster_id", "mode", "low_eff", "reasons")


def grade_labels() -> dict[str, str]:
    """The classes of the efficiency_result style: low efficiency whatever the grade, the grades of the others,
    judged without a grade, not judged."""
    return {"low": tr("Low efficiency (any grade)"), "A": tr("A — develop first"), "B": tr("B — upgrade"),
            "C": tr("C — regulate and support"), "D": tr("D — rectify"), "judged": tr("Not low (no grade)"),
            "none": tr("Not judged (out of scope or no data)")}


def table_headers() -> dict[str, str]:
    """The columns in the order a meeting reads them: id, grade, score, FAR and the potential the table is sorted
    by first, in view without scrolling; the long reasons and owner names last (kept narrow, full text as tooltip).
    The grade is 亩均等级, as printed — not the resettlement panel's 预警等级."""
    return {"parcel_id": tr("Parcel id"), "grade": tr("Efficiency grade"), "score": tr("Score"), "far": tr("FAR"),
            "potential_m2": tr("Potential m²"), "coverage": tr("Coverage %"), "low_eff": tr("Low efficiency"),
            "land_use": tr("Land use"), "district": tr("District"), "cluster_id": tr("Cluster"),
            "mode": tr("Mode"), "reasons": tr("Reasons"), "owner": tr("Owner")}


TABLE_COLUMNS = ("parcel_id", "grade", "score", "far", "potential_m2", "coverage", "low_eff", "land_use", "district",
                 "cluster_id", "mode", "reasons", "owner")  # table_headers' keys (no translation: any thread)


# at most this many characters wide: an owner's name whole up to 18 characters (a company's is 15–25: 12 showed
# "杭州市萧山区杭州萧山天…"), the reasons — a sentence or more each, the why pane shows them — cut sooner
NARROW_COLUMNS = {"reasons": 30, "owner": 18}
# 95,018: thousands separators in the table and the why text; FAR and score with their places, so their figures line
# up down the column ("0.06" over "0.00", not "0.0"; "13.7" over "1.0")
SHOWN = {"potential_m2": "{:,}".format, "far": "{:.2f}".format, "score": "{:.1f}".format}


def cluster_shown(cluster) -> str:
    """A parcel's merge cluster as the table and the why text show it: its number, or — when it is in none (the
    result's 0, which the table showed as a cluster called 0 while the why text said —)."""
    if cluster is None or cluster == "" or pd.isna(cluster) or cluster == 0:
        return "—"
    return str(int(cluster))


SHOWN["cluster_id"] = cluster_shown  # shown only: the column keeps its numbers, and sorts by them


def temporary_gpkg(name: str) -> str:
    """A new GeoPackage in QGIS's temporary folder for an output too big to keep in memory."""
    handle, path = tempfile.mkstemp(suffix=".gpkg", prefix=f"{name}_", dir=QgsProcessingUtils.tempFolder())
    os.close(handle)
    os.unlink(path)  # the sink creates it
    return path


def result_layer(path: str, spec) -> QgsVectorLayer:
    """An output GeoPackage as a layer with its fields' Chinese aliases (a file does not keep them)."""
    layer = QgsVectorLayer(path, os.path.splitext(os.path.basename(path))[0], "ogr")
    set_aliases(layer, spec)
    return layer


# The per-district table: each column's figures right-aligned under each other, apart from the next column's
# ("10 105.0（1宗面积不明）" read as one run of figures when they touched); a 亩 figure's note on the line below it,
# so the figures stay aligned and the table as narrow as the panel.
DISTRICT_GAP = "padding-left:16px"


def district_table(per_district: dict) -> str:
    """Each district's parcels and 亩, in all and low-efficiency, as rich text: the 亩 with the parcels they leave
    out for want of an area under them, "105.0" over "（1宗面积不明）", never a 0 added (units.with_unknown)."""
    unknown = tr("{n} of unknown area")

    def figure(text) -> str:
        return f"<td align='right' style='{DISTRICT_GAP}'>{text}</td>"

    def mu(figures: dict) -> str:
        note = with_unknown("", figures.get("unknown_mu", 0), unknown)
        return figure(f"{figures['mu']:,.1f}" + (f"<br>{note}" if note else ""))

    head = f"<th align='left'>{tr('District')}</th>" + "".join(
        f"<th align='right' style='{DISTRICT_GAP}'>{text}</th>"
        for text in (tr("Parcels"), tr("mu"), tr("Low efficiency"), tr("Low-efficiency mu")))
    rows = "".join(f"<tr><td>{html.escape(str(name))}</td>{figure(c['parcels'])}{mu(c)}"
                   f"{figure(c['low_eff']['parcels'])}{mu(c['low_eff'])}</tr>" for name, c in per_district.items())
    return f"<table cellspacing='0' cellpadding='2'><tr>{head}</tr>{rows}</table>"


def whole_numbers(values: pd.Series) -> pd.Series:
    """Rounded floats as Python ints (None where missing), so the table shows 50000, not 50000.0."""
    return pd.Series([None if pd.isna(v) else int(v) for v in values], index=values.index, dtype=object)


def shown_words() -> dict:
    """The words the table shows for codes (EfficiencyDock.displayed): grades, and yes for low efficiency."""
    return {"grades": grade_labels(), "yes": tr("yes")}


def replaced_rows(table: pd.DataFrame, positions: np.ndarray, rows: pd.DataFrame) -> pd.DataFrame:
    """`table` with the rows at `positions` holding the values of `rows` (in the columns both have), column by
    column by position (.loc on a block of rows cost a live panel ~10 ms a call)."""
    data = {}
    for name in table.columns:
        column = table[name].to_numpy(dtype=object)
        if name in rows and len(positions):
            column = column.copy()
            column[positions] = rows[name].to_numpy(dtype=object)
        data[name] = column
    return pd.DataFrame(data, index=table.index, columns=table.columns)


def live_rows(checker, parcels, index) -> pd.DataFrame:
    """The table's columns of the parcels `parcels` (their fids) from a live checker's results and the parcels'
    own fields it holds, as its result layer has them, indexed by `index` (their result feature ids)."""
    result, own = checker.live.result, checker.live.frame
    # the rows taken first: .loc[rows, columns] copies the columns over every parcel before picking rows
    frame = pd.concat([result.take(result.index.get_indexer(parcels))[[c for c in RESULT_COLUMNS if c in result]],
                       own.take(own.index.get_indexer(parcels))[[canon for canon, _name in checker.copied
                                                                 if canon in SOURCE_COLUMNS]]], axis=1)
    frame.index = pd.Index(index)
    return frame


def live_table(checker, low_only: bool, limit: int) -> pd.DataFrame:
    """The table's rows in live mode: the `limit` parcels the table's rule lists (gui.potential_order: low-efficiency
    ones only if `low_only`) from the checker's results — as its result layer holds them, without reading them back
    from it — by the result layer's feature ids."""
    from .live_efficiency import largest_ids

    top = largest_ids(checker, low_only, limit)
    return live_rows(checker, pd.Index([checker.parcel_of[fid] for fid in top]), top)


class LiveTable:
    """The panel's table in live mode as plain data: its rows as held (`table`: by the live result layer's feature
    ids, in the model's order) and as shown (`shown`, the model's frame), and what an update of the live results
    does to them (`follow`). Pure pandas, touching no Qt or QGIS object: the checker works the update out in its
    worker thread with the drawing (LiveEfficiency.view), and the main thread only hands the model its frame."""

    def __init__(self, table: pd.DataFrame, shown: pd.DataFrame, words: dict):
        self.table, self.shown, self.words = table, shown, words

    def follow(self, checker, fids) -> TableUpdate:
        """The table once the results of the parcels `fids` changed, from the checker's results (what its result
        layer is given) rather than read back from the layer: the listed rows of those parcels as they read now,
        the positions of those whose values changed, and the rows of parcels gone dropped (`reset`)."""
        table, result = self.table, checker.live.result
        parcel_of = checker.parcel_of  # the table's rows (a page of the layer) looked up, not the changed parcels:
        parcels = pd.Index([parcel_of.get(fid) for fid in table.index.tolist()], dtype=object)  # a renumbering of
        alive = parcels.isin(result.index)  # the clusters changes ten thousand
        touched = np.flatnonzero(alive & parcels.isin(list(fids)))
        positions = np.zeros(0, dtype=np.intp)
        rows = None
        if len(touched):
            frame = live_rows(checker, parcels[touched], table.index[touched])
            frame = EfficiencyDock.table_rows(frame, ordered=False)
            frame = frame[[c for c in frame.columns if c in table.columns]]
            differ = np.zeros(len(touched), dtype=bool)
            for name in frame.columns:
                differ |= ~same_cells(table[name].to_numpy(dtype=object)[touched], frame[name].to_numpy(dtype=object))
            positions, rows = touched[differ], frame[differ]
        if rows is not None and len(rows):
            table = replaced_rows(table, positions, rows)
            shown = replaced_rows(self.shown, positions, EfficiencyDock.displayed(rows, self.words))
        else:
            shown = self.shown
        reset = not alive.all()
        if reset:
            table, shown = table[alive], shown[alive]
        return TableUpdate(self, LiveTable(table, shown, self.words), positions.tolist(), reset)


class TableUpdate:
    """LiveTable.follow's answer: the table it started from (`source`), the table after (`table`), the positions
    of the rows whose values changed, and whether rows were dropped (the model is then reset)."""

    def __init__(self, source: LiveTable, table: LiveTable, positions: list, reset: bool):
        self.source, self.table, self.positions, self.reset = source, table, positions, reset


class EfficiencyDock(PanelDock):
    OBJECT_NAME = "landBureauEfficiencyDock"
    ALGORITHM = "landbureau:lowefficiency"
    INPUT_ROLES = {"parcels": "parcels_combo", "buildings": "buildings_combo"}

    def __init__(self, iface):
        super().__init__(iface, tr("Low-efficiency land"))
        form = QFormLayout()
        self.parcels_combo = QgsMapLayerComboBox()
        self.parcels_combo.setFilters(layer_filter("PolygonLayer"))
        self.buildings_combo = QgsMapLayerComboBox()
        self.buildings_combo.setFilters(layer_filter("PolygonLayer"))
        self.buildings_combo.setAllowEmptyLayer(True)
        self.profile_file = QgsFileWidget()
        self.profile_file.setFilter("JSON (*.json)")
        self.profile_file.lineEdit().setPlaceholderText(tr("bundled default"))
        self.land_use_system = system_combo(all_industrial=True)  # how the parcels' land use is read
        form.addRow(tr("Parcels"), BesideOrUnder(self.parcels_combo, self.land_use_system))
        form.addRow(tr("Buildings"), self.buildings_combo)
        self.rules_button = QPushButton(tr("Edit rules…"))
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_file, 1)
        profile_row.addWidget(self.rules_button)
        form.addRow(tr("Rule profile"), profile_row)
        self.layout.addLayout(form)
        self.editor = EfficiencyRulesEditor()
        self.rules_dialog = self._rules_dialog()

        self.add_run_row_and_summary(cancellable=True)
        self.districts = QLabel()
        self.districts_box = QgsCollapsibleGroupBox(tr("Per district"))
        self.districts_box.setCollapsed(True)
        QVBoxLayout(self.districts_box).addWidget(self.districts)
        self.layout.addWidget(self.districts_box)
        self.live_box = QCheckBox(tr("Evaluate live while the parcels or buildings are edited"))
        self.live_box.setToolTip(tr("While the parcels or buildings layer is in edit mode, each change re-evaluates "
                                    "the districts and merge clusters it affects with the same rules as the full "
                                    "evaluation; the table, the why of a parcel and the live result layer follow. "
                                    "Nothing is written to your layers; turning this off removes the live layers."))
        self.layout.addWidget(self.live_box)
        self.low_only = QCheckBox(tr("Show low-efficiency parcels only"))
        self.layout.addWidget(self.low_only)
        self.model = FrameModel(headers=table_headers(), formats=SHOWN)
        self.view, self.proxy = frame_view(self.model)
        self.view.setMinimumHeight(150)
        self.splitter = QSplitter(Qt.Orientation.Vertical)  # the why text beside the table, not under it
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self._why_pane())
        self.splitter.setStretchFactor(0, 1)
        self.layout.addWidget(self.splitter, 1)
        self.add_print_button("efficiency")

        self.result_layer_id = None
        self.cluster_layer_id = None
        self.table = pd.DataFrame()
        self.map_tool = None
        self.live = None  # the LiveEfficiency checker while live mode is on
        self.live_table = None  # the table as the checker follows it (LiveTable) while live mode is on
        self.batch_layer_ids = (None, None)  # the last run's layers, shown again when live mode is turned off
        self.batch_summary = ""  # the last run's summary, shown again with its layers
        self.explained = None  # the result layer's feature explained in the why pane
        self.live_chosen = None  # the layers, land-use system and profile live mode runs on
        self.live_restart_due = False
        self.profile_file.fileChanged.connect(self.load_profile)
        self.editor.edited.connect(self.rules_edited)
        self.rules_button.clicked.connect(self.show_rules)
        self.run_button.clicked.connect(self.run)
        self.low_only.toggled.connect(self.show_table)
        self.live_box.toggled.connect(self.set_live)
        for changed in (self.parcels_combo.layerChanged, self.buildings_combo.layerChanged,
                        self.land_use_system.currentIndexChanged, self.profile_file.fileChanged):
            changed.connect(self.restart_live)  # after load_profile: the new profile is in the editor by then
        self.view.clicked.connect(self.row_clicked)
        self.pick_button.toggled.connect(self.pick_on_map)
        self.load_profile("")
        self.follow_project_layers()

    def _why_pane(self) -> QWidget:
        """认定原因: its heading with the pick button, then the text, scrolling inside the pane if it is long."""
        pane = QWidget()
        box = QVBoxLayout(pane)
        box.setContentsMargins(0, 0, 0, 0)
        why_row = QHBoxLayout()
        why_row.addWidget(heading(tr("Why this parcel")))
        self.pick_button = QPushButton(tr("Pick a parcel on the map"))
        self.pick_button.setCheckable(True)
        why_row.addStretch(1)
        why_row.addWidget(self.pick_button)
        box.addLayout(why_row)
        self.why = QLabel(tr("Click a row or a parcel on the map."))
        self.why.setWordWrap(True)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why_scroll = QScrollArea()
        self.why_scroll.setWidgetResizable(True)
        self.why_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.why_scroll.setWidget(self.why)
        self.why_scroll.setMinimumHeight(self.why.fontMetrics().height() * 3)
        box.addWidget(self.why_scroll, 1)
        return pane

    def fit_why(self) -> None:
        """Give the why text the room it needs, taken from the table down to the table's minimum (the user can
        drag the splitter back)."""
        width = max(self.why_scroll.viewport().width(), 200)
        needed = self.why.heightForWidth(width) + self.pick_button.sizeHint().height() + 12
        table, why = self.splitter.sizes()
        total = table + why
        wanted = min(needed, total - self.view.minimumHeight())
        if total and why < wanted:
            self.splitter.setSizes([total - wanted, wanted])

    # --- inputs ---------------------------------------------------------------------------------------------

    def _rules_dialog(self) -> QDialog:
        """The editor in a window of its own beside the map (not modal): its edits are what the next run uses;
        Reload throws them away, Save as writes them to a profile file. The editor scrolls (up and down, never
        sideways) in a window sized to it on first opening (fit_rules_dialog)."""
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("Low-efficiency rules (an edited copy of the profile)"))
        layout = QVBoxLayout(dialog)
        self.rules_scroll = QScrollArea()
        self.rules_scroll.setWidgetResizable(True)
        self.rules_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.rules_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rules_scroll.setWidget(self.editor)
        layout.addWidget(self.rules_scroll)
        buttons = dialog_buttons(QDialogButtonBox.StandardButton.Close)
        save_as = buttons.addButton(tr("Save as…"), QDialogButtonBox.ButtonRole.ActionRole)
        reload = buttons.addButton(tr("Reload"), QDialogButtonBox.ButtonRole.ResetRole)
        save_as.clicked.connect(self.save_profile_as)
        reload.clicked.connect(lambda: self.load_profile(self.profile_file.filePath()))
        buttons.rejected.connect(dialog.hide)
        layout.addWidget(buttons)
        self.rules_buttons = buttons
        self.rules_fitted = False
        return dialog

    def show_rules(self) -> None:
        """编辑规则…: the rules window, sized to its content the first time (later the user's size stays)."""
        if not self.rules_fitted:
            self.fit_rules_dialog()
            self.rules_fitted = True
        self.rules_dialog.show()
        self.rules_dialog.raise_()
        self.rules_dialog.activateWindow()

    def fit_rules_dialog(self, available: QRect | None = None) -> None:
        """Size the rules window to its content within `available` (the screen's free area): as wide as its widest
        row, wider — up to half the screen, the map stays in view — while the wrapped texts make it taller than the
        screen; as tall as its content wrapped at that width. What still does not fit scrolls (1366×768)."""
        dialog, editor = self.rules_dialog, self.editor
        if available is None:
            screen = self.screen() if hasattr(self, "screen") else None  # QWidget.screen(): Qt ≥ 5.14
            available = (screen or QApplication.primaryScreen()).availableGeometry()
        for widget in (dialog, *dialog.findChildren(QWidget)):  # sizes as shown: fonts and style applied
            widget.ensurePolished()
        margins = dialog.layout().contentsMargins()
        bar = self.rules_scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        chrome_w = margins.left() + margins.right() + bar
        chrome_h = (margins.top() + margins.bottom() + dialog.layout().spacing()
                    + self.rules_buttons.sizeHint().height())
        room_h = available.height() - 48  # less the window manager's title bar and frame

        def needed(width: int) -> int:
            return max(editor.heightForWidth(width) if editor.hasHeightForWidth() else -1,
                       editor.minimumSizeHint().height()) + chrome_h

        width = max(editor.sizeHint().width(), editor.minimumSizeHint().width())
        widest = max(width, available.width() // 2 - chrome_w)
        wider = next((w for w in range(width, widest + 1, 20) if needed(w) <= room_h), None)
        width = wider if wider is not None else width
        dialog.resize(min(width + chrome_w, available.width()), min(needed(width), room_h))

    def load_profile(self, path: str) -> None:
        """Load the chosen profile (empty: the bundled one) into the editor; a bad file is named, not loaded."""
        try:
            self.editor.load(load_profile(path or None))
        except ProfileError as exc:
            self.show_error(exc)

    def save_profile_as(self) -> None:
        try:
            profile = self.editor.edited_profile()
        except ProfileError as exc:
            self.show_error(exc)
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Save rule profile"), "", "JSON (*.json)")
        if not path:
            return
        if self.write_file(path, lambda target: save_profile(profile, target), tr("Rule profile saved to {path}")):
            self.profile_file.setFilePath(path)

    def parameters(self) -> dict | None:
        """The algorithm's parameters with the edited rules written to a temporary profile; None (and a message)
        when something is missing or wrong."""
        parcels = self.parcels_combo.currentLayer()
        if parcels is None:
            self.push(tr("Choose the parcels layer first"), Qgis.MessageLevel.Warning)
            return None
        try:
            profile = self.editor.edited_profile()
        except ProfileError as exc:
            self.show_error(exc)
            return None
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=QgsProcessingUtils.tempFolder(),
                                         delete=False) as handle:
            path = handle.name
        save_profile(profile, path)
        params = {"PARCELS": parcels, "PROFILE": path, "OUTPUT": temporary_gpkg("efficiency"),
                  "CLUSTER_OUTLINES": temporary_gpkg("efficiency_clusters"),
                  **system_parameter(self.land_use_system)}
        if self.buildings_combo.currentLayer() is not None:
            params["BUILDINGS"] = self.buildings_combo.currentLayer()
        return params

    # --- running --------------------------------------------------------------------------------------------
    def run(self) -> None:
        self.live_box.setChecked(False)  # a full run replaces the live layers
        params = self.parameters()
        if params is None:
            return
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, params, self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The low-efficiency evaluation failed: {error}")):
            return
        source = self.parcels_combo.currentLayer()
        layer = result_layer(results["OUTPUT"], RESULT_FIELDS)
        outlines = result_layer(results["CLUSTER_OUTLINES"], CLUSTER_FIELDS) if results.get("CLUSTER_OUTLINES") \
            else None
        self.show_layers(layer, outlines, source)
        layer.setCustomProperty(PRINT_NOTE_KEY, summary_note(results["SUMMARY"]))  # the land-use codes, printed
        layer.setCustomProperty(PRINT_SOURCES_KEY, sources_note(results["SUMMARY"], EFFICIENCY))  # 依据
        self.show_summary(json.loads(results["SUMMARY"]))
        self.show_table()
        self.why.setText(tr("Click a row or a parcel on the map."))

    def show_layers(self, layer, outlines, source) -> None:
        """The parcels styled by grade, the clusters outlined above them; a re-run replaces both."""
        source_id = source.id() if source is not None else ""
        layer.setName(tr("Low-efficiency land"))
        layer.setCustomProperty(RESULT_LAYER_KEY, source_id)
        self.result_layer_id = self.replace_layer(self.result_layer_id, layer, "efficiency_result")
        relabel_categories(layer, grade_labels())
        layer.selectionChanged.connect(self.explain_selection)
        if outlines is not None:
            outlines.setName(tr("Merge cluster groups"))
            outlines.setCustomProperty(RESULT_LAYER_KEY, source_id)
        elif self.cluster_layer_id:
            QgsProject.instance().removeMapLayer(self.cluster_layer_id)
        self.cluster_layer_id = self.replace_layer(self.cluster_layer_id, outlines, "efficiency_clusters") \
            if outlines is not None else None
        if self.map_tool is not None:
            self.map_tool.setLayer(layer)

    # --- summary and table ----------------------------------------------------------------------------------
    def show_summary(self, summary: dict) -> None:
        labels = {**grade_labels(), "": tr("No grade")}  # the parcels without a grade: named, not a bare "：4 宗"
        grades = {**{g: c for g, c in summary["per_grade"].items() if g != "none"}, "": summary["per_grade"]["none"]}
        chips = " ".join(
            chip(tr("{grade}: {parcels} ({mu:,.1f} mu)").format(grade=labels.get(g, g), parcels=c["parcels"],
                                                                 mu=c["mu"]),
                 GRADE_COLOURS.get(g, "#cccccc"), "#fff" if g in ("A", "D") else "#000")
            for g, c in grades.items())
        low, clusters = summary["low_eff"], summary["clusters"]
        lines = [
            tr("{n} parcel(s), {mu:,.1f} mu").format(n=summary["parcels"], mu=summary["mu"]), chips,
            tr("Low-efficiency land: <b>{n}</b> parcels, <b>{mu:,.1f}</b> mu").format(n=low["parcels"], mu=low["mu"]),
            tr("Potential floor area: <b>{total:,.2f}</b> (10,000 m²), of which {low:,.2f} on low-efficiency "
               "land").format(total=summary["potential_wan_m2"], low=summary["low_eff_potential_wan_m2"]),
            tr("Merge clusters: {n} ({parcels} parcels, {mu:,.1f} mu)").format(
                n=clusters["count"], parcels=clusters["parcels"], mu=clusters["mu"]),
        ]
        note = (summary.get("land_use") or {}).get("note")
        if note:
            lines.append(note)
        per_district = summary.get("per_district") or {}
        if per_district:
            self.districts.setText(district_table(per_district))
        self.districts_box.setVisible(bool(per_district))
        self.batch_summary = "<br>".join(lines)
        self.summary.setText(self.batch_summary)

    def read_table(self, request: QgsFeatureRequest | None = None) -> pd.DataFrame:
        """Result columns and the parcels' own id, owner, district and land use, by feature id: the parcels of
        `request`, else the TABLE_ROWS with the largest potential (low-efficiency ones only when so chosen), so a
        city-sized result costs no more than a page of rows — in live mode from the checker's results (live_table)."""
        layer, source = self.result_layer(), self.parcels_combo.currentLayer()
        if layer is None:
            return pd.DataFrame()
        if request is None and self.live is not None and layer is self.live.result_layer:
            return self.table_rows(live_table(self.live, self.low_only.isChecked(), TABLE_ROWS))
        wanted = table_fields(layer, source, "parcels", own=RESULT_COLUMNS, copied=SOURCE_COLUMNS)
        frame = read_columns(layer, wanted, request=request or table_request(layer, self.low_only.isChecked(),
                                                                             TABLE_ROWS))
        return self.table_rows(frame.frame)

    @staticmethod
    def table_rows(frame: pd.DataFrame, ordered: bool = True) -> pd.DataFrame:
        """Result and parcel columns as the table holds them: largest potential first (unless not `ordered`: rows
        replacing some the table holds), figures rounded as shown, the columns in the table's order."""
        if ordered and "potential_m2" in frame:  # largest first, also for the model behind the sorted view
            frame = frame.loc[top_ids(frame["potential_m2"])]
        for column, decimals, scale in (("far", 2, 1), ("coverage", 0, 100), ("score", 1, 1), ("potential_m2", 0, 1)):
            if column in frame:
                values = (pd.to_numeric(frame[column], errors="coerce") * scale).round(decimals)
                frame[column] = whole_numbers(values) if decimals == 0 else values
        return frame[[c for c in TABLE_COLUMNS if c in frame.columns]]

    def show_table(self) -> None:
        """The table with grades in words and low efficiency as yes/blank (the layer keeps the codes)."""
        self.table = self.read_table()
        self.show_frame()

    @staticmethod
    def displayed(table: pd.DataFrame, words: dict | None = None) -> pd.DataFrame:
        """The table's rows as shown: grades in words, low efficiency as yes / blank (`words`: shown_words(), taken
        beforehand where this runs outside the main thread)."""
        words = words or shown_words()
        frame = table.copy()
        if "grade" in frame:
            frame["grade"] = frame["grade"].fillna("").map(words["grades"])
        if "low_eff" in frame:
            frame["low_eff"] = frame["low_eff"].map({1: words["yes"]}).fillna("")
        return frame

    def show_frame(self) -> None:
        frame = self.displayed(self.table)
        self.proxy.sort(-1)  # the model's order (largest potential first, table_rows), not re-sorted by the proxy
        self.model.set_frame(frame)
        self.live_table = None
        if self.live is not None:  # what an update of the live results does to the table, worked out beside editing
            self.live_table = LiveTable(self.table, frame, shown_words())
            self.live.view = self.live_table
        self.view.resizeColumnsToContents()
        width = self.view.fontMetrics().averageCharWidth()
        for name, characters in NARROW_COLUMNS.items():
            if name in frame:
                column = list(frame.columns).index(name)
                self.view.setColumnWidth(column, min(self.view.columnWidth(column), characters * width * 2))
        if "potential_m2" in frame:  # the largest gains first, as a meeting would read it: the model's rows are in
            # that order already, the header only says so — the proxy sorting them again asked the model for a
            # million cells (2 s of the main thread for the 5,000 rows of a 100,000-parcel table)
            header = self.view.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(list(frame.columns).index("potential_m2"), Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)

    # --- why --------------------------------------------------------------------------------------------------
    def result_layer(self):
        return QgsProject.instance().mapLayer(self.result_layer_id) if self.result_layer_id else None

    def row_clicked(self, proxy_index) -> None:
        layer = self.result_layer()
        if layer is not None:
            self.show_features(layer, [self.model.feature_id(self.proxy.mapToSource(proxy_index).row())])

    def explain_selection(self, *_args) -> None:
        layer = self.result_layer()
        selected = layer.selectedFeatureIds() if layer is not None else []
        if selected:
            self.explain(selected[0])

    def explain(self, fid: int) -> None:
        """Grade, score, FAR, potential, cluster and mode of one parcel, then each reason on its own line."""
        known = self.table if fid in self.table.index else self.read_table(QgsFeatureRequest(int(fid)))
        if fid not in known.index:
            return
        self.explained = fid
        row = known.loc[fid]

        def value(name: str):
            return "" if name not in row or pd.isna(row[name]) else row[name]

        def shown(name: str, unit: str = "", form=str) -> str:
            """The figure with its unit, or — when the parcel has none (not graded, no buildings, not industrial):
            a bare unit after the name ("建筑系数 %", "潜力建筑面积  m²") read as a figure left out by mistake."""
            figure = value(name)
            return "—" if figure == "" else f"{form(figure)}{unit}"

        facts = tr("Parcel {id}: grade {grade}, score {score}, FAR {far}, coverage {coverage}, potential {potential}, "
                   "cluster {cluster}, mode {mode}").format(
            id=value("parcel_id") or fid, grade=grade_labels().get(value("grade"), value("grade")) or "—",
            score=shown("score", form=SHOWN["score"]), far=shown("far", form=SHOWN["far"]),
            coverage=shown("coverage", "%"),
            potential=shown("potential_m2", " m²", SHOWN["potential_m2"]),
            cluster=cluster_shown(value("cluster_id")), mode=value("mode") or "—")
        reasons = split_reasons(value("reasons"), translate_in("reasons", SEPARATOR))
        items = "".join(f"<li>{r}</li>" for r in reasons) or f"<li>{tr('nothing to report')}</li>"
        self.why.setText(f"{facts}<ul>{items}</ul>")
        self.fit_why()

    def pick_on_map(self, checked: bool) -> None:
        """While the button is down, a click on a parcel of the result layer selects it (and so explains it)."""
        canvas = self.iface.mapCanvas()
        if checked:
            if self.result_layer() is None:
                self.push(tr("Run the evaluation first"), Qgis.MessageLevel.Warning)
                self.pick_button.setChecked(False)
                return
            if self.map_tool is None:
                self.map_tool = QgsMapToolIdentifyFeature(canvas)
                self.map_tool.featureIdentified.connect(self.parcel_picked)
                self.map_tool.deactivated.connect(lambda: self.pick_button.setChecked(False))
            self.map_tool.setLayer(self.result_layer())
            canvas.setMapTool(self.map_tool)
        elif self.map_tool is not None and canvas.mapTool() is self.map_tool:
            canvas.unsetMapTool(self.map_tool)

    def parcel_picked(self, feature) -> None:
        layer = self.result_layer()
        if layer is not None:
            layer.selectByIds([feature.id()])

    # --- live mode ----------------------------------------------------------------------------------------------
    def set_live(self, on: bool) -> None:
        """Live mode on: evaluate the chosen parcels (and buildings) as they are edited (gui.live_efficiency), the
        table and the why pane reading its result layer; off: stop, remove its layers, show the last run again."""
        from .live_efficiency import LiveEfficiency

        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None
            self.progress.setRange(0, 100)  # no longer busy, should it have been starting
            self.proxy.setDynamicSortFilter(True)
            self.result_layer_id, self.cluster_layer_id = self.batch_layer_ids
            if self.result_layer() is None:
                self.result_layer_id = self.cluster_layer_id = None
            # the last run shown again with its per-district figures and a full progress bar, or the panel as
            # before a run (its summary: below)
            shown = bool(self.result_layer_id and self.batch_summary)
            if shown:
                self.progress.setValue(100)
            else:
                self.progress.reset()  # empty, as before a run (not "0%")
            self.districts_box.setVisible(shown and bool(self.districts.text()))
            self.show_table()
            self.why.setText(tr("Click a row or a parcel on the map."))
            self.explained = None
            if not on:  # the live figures go with the live layers: the table shows the last run's, or nothing
                self.summary.setText(
                    tr("Live evaluation off: the last run's results") + "<br>" + self.batch_summary
                    if self.result_layer() is not None and self.batch_summary
                    else tr("Live evaluation off: run the evaluation for its results"))
        if not on:
            return
        parcels = self.parcels_combo.currentLayer()
        if parcels is None:
            self.push(tr("Choose the parcels layer first"), Qgis.MessageLevel.Warning)
            self.live_box.setChecked(False)
            return
        try:
            profile = self.editor.edited_profile()
            rules = self.live_rules(profile)
        except ProfileError as exc:
            self.show_error(exc)
            self.live_box.setChecked(False)
            return
        self.live_chosen = self.live_choice()
        self.live = LiveEfficiency(parcels, self.buildings_combo.currentLayer(), profile, rules, parent=self)
        self.live.failed.connect(self.live_failed)
        self.batch_layer_ids = (self.result_layer_id, self.cluster_layer_id)
        # the layers are read now, on the main thread (a second at 100,000 parcels): said first, painted at once
        self.summary.setText(tr("Live evaluation starting: reading and evaluating {n} parcel(s)…").format(
            n=f"{parcels.featureCount():,}"))
        self.summary.repaint()
        if not self.live.start():
            self.live = None
            self.live_box.setChecked(False)
            return
        layer = self.live.result_layer
        relabel_categories(layer, grade_labels())
        layer.setCustomProperty(RESULT_LAYER_KEY, parcels.id())
        layer.selectionChanged.connect(self.explain_selection)
        self.result_layer_id, self.cluster_layer_id = layer.id(), self.live.cluster_layer.id()
        # rows changed by an edit stay where they are (re-sorting thousands of rows after each edit held the main
        # thread for a quarter of a second at 100,000 parcels); sorting by a column header still sorts
        self.proxy.setDynamicSortFilter(False)
        if self.map_tool is not None:
            self.map_tool.setLayer(layer)
        # everything is judged in the checker's worker thread (gui.live_check: starting): the panel says so, its
        # table empty, until the first result — edits made meanwhile in it — lists the table (live_updated)
        self.table = pd.DataFrame()
        self.show_frame()
        self.why.setText(tr("Click a row or a parcel on the map."))
        self.explained = None
        self.progress.setRange(0, 0)  # busy until the first result
        self.districts_box.setVisible(False)  # the last run's figures per district: not what live mode shows
        self.live.updated.connect(self.live_updated)

    def live_failed(self, message: str) -> None:
        """A live check failed: named in the message bar; live mode turned off if the checker could not start."""
        self.push(message, Qgis.MessageLevel.Warning)
        if self.live is not None and not self.live.running:
            self.live_box.setChecked(False)

    def live_rules(self, profile: dict):
        """The efficiency rules of `profile` read with the panel's land-use choice (raises ProfileError)."""
        from ..analysis.efficiency import EfficiencyRules
        from ..processing.land_use import ALL_INDUSTRIAL, SYSTEM
        from ..rules.profile import section

        rules = section(profile, "efficiency", EfficiencyRules)
        choice = system_parameter(self.land_use_system)
        if choice.get(SYSTEM) not in (None, "auto"):
            rules = dataclasses.replace(rules, land_use_system=choice[SYSTEM])
        if choice.get(ALL_INDUSTRIAL):
            rules = dataclasses.replace(rules, all_industrial=True)
        return rules

    def rules_edited(self) -> None:
        """A value changed in the rules editor while live mode is on: the live results judged again with the
        edited rules (LiveCheck.set_rules: every parcel, in the worker thread), as the next run would use them. A
        value that is not a number yet is named and waited for; a profile of another file starts live mode again
        instead (restart_live)."""
        if self.live is None or self.live_choice() != self.live_chosen:
            return
        try:
            rules = self.live_rules(self.editor.edited_profile())
        except ProfileError as exc:
            self.show_error(exc)
            return
        if rules != self.live.rules:
            self.live.set_rules(rules)

    def restart_live(self, *_args) -> None:
        """Another parcels or buildings layer, land-use system or profile chosen while live mode is on: live mode
        starts again on them (its layers replaced), rather than going on with what was chosen before — once the
        choice has settled (the next turn of the event loop), and only if it differs from what live mode uses."""
        if self.live is not None and not self.live_restart_due:
            self.live_restart_due = True
            QTimer.singleShot(0, self._restart_live)

    def live_choice(self) -> tuple:
        return (self.parcels_combo.currentLayer(), self.buildings_combo.currentLayer(),
                self.land_use_system.currentData(), self.profile_file.filePath())

    def _restart_live(self) -> None:
        self.live_restart_due = False
        if self.live is not None and self.live_choice() != self.live_chosen:
            self.set_live(True)

    def live_updated(self, fids) -> None:
        """The checker's current results in the panel: the summary line, the table's rows of the parcels `fids`
        (changed in place), the why of the parcel explained if it changed; at the start or after a reload (every
        parcel changed), the whole table."""
        if self.live is None or self.live.result_layer is None:
            return
        self.progress.setRange(0, 100)  # started
        self.live_summary()
        result = self.live.live.result
        if len(fids) >= len(result) or self.table.empty:
            self.show_table()
            if self.explained is not None:
                self.explain(self.explained)
            return
        # the table after the update, worked out by the checker's worker thread with the drawing (LiveTable) — here
        # only when the table was listed again meanwhile
        update = self.live.view_update
        if update is None or update.source is not self.live_table:
            update = self.live_table.follow(self.live, fids)
        self.table = update.table.table
        if update.reset:  # parcels deleted: the table without them
            self.show_frame()
        else:  # changed in place: only the rows shown otherwise redrawn, the table stays as sorted and scrolled
            self.live_table = self.live.view = update.table
            self.model.show_rows(update.table.shown, update.positions)
        if self.explained is not None and self.live.parcel_of.get(self.explained) in fids:
            self.explain(self.explained)

    def live_summary(self) -> None:
        """The summary line of what the checker drew last (its figures worked out beside editing, not here)."""
        summary = self.live.summary
        if summary is None:
            return
        self.summary.setText(tr("Live evaluation: {n} parcel(s), {low} low-efficiency ({mu:,.1f} mu), {clusters} "
                                "merge cluster(s)").format(n=summary["parcels"], low=summary["low_eff"],
                                                           mu=summary["low_eff_mu"], clusters=summary["clusters"]))

    def close_panel(self) -> None:
        self.live_box.setChecked(False)  # stops live mode: its layers and connections go
        self.pick_button.setChecked(False)
        self.rules_dialog.hide()
        super().close_panel()
