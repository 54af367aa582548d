"""到期一览 / Due next: one table of what is due next across the deadline tabs — the resettlement monitor's "+1 / +4 /
+5" milestones, the supplied parcels' start, idle and reclaim dates and the approval batches' two-year deadline
(批而未供) — worst grade first, filtered to "due within N days", exported to XLSX.

It reads the result layers the other tabs put into the project (marked with RESULT_LAYER_KEY), so it always shows
what is on the map, and refreshes itself when they change. The grouping of the three panels as tabs of one dock
area is the plugin's (plugin.DEADLINE_PANELS)."""
from __future__ import annotations

import pandas as pd
from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox

from ..analysis import deadlines
from ..analysis.resettlement import DEFAULT_RULES
from ..i18n import tr
from ..layouts.themes import LEGEND_VALUES_KEY
from ..processing.land_supply import deadline_labels as supply_deadline_labels
from ..processing.land_supply import status_labels as supply_status_labels
from ..processing.resettlement import grade_labels
from ..qgis_bridge.layers import field_names, read_columns
from .common import RESULT_LAYER_KEY, TABLE_ROWS, FrameModel, PanelDock, chip, frame_view, table_fields, unsorted
from .resettlement_dock import GRADE_COLOURS, status_labels

RESETTLEMENT_FIELDS = ("project_id", "project_name", "district", "grade", "reasons") + tuple(
    f"{m}_{part}" for m in ("start", "complete", "resettle") for part in ("due", "status", "days"))
SUPPLY_FIELDS = ("parcel_id", "project_name", "district", "supply_status", "grade", "next_deadline", "next_due",
                 "days_left", "reasons")
BATCH_FIELDS = ("batch_id", "batch_name", "district", "due", "days_left", "grade", "unsupplied_m2", "reasons")


def kind_labels() -> dict[str, str]:
    return {"resettlement": tr("Resettlement"), "supply": tr("Supplied parcel"),
            "unsupplied": tr("Approved, not supplied")}


def deadline_labels() -> dict[str, str]:
    return {"start": tr("Housing start (+1)"), "complete": tr("Housing completion (+4)"),
            "resettle": tr("Resettlement (+5)"), "unsupplied": tr("Two years after approval")}


def board_headers() -> dict[str, str]:
    """The board's columns in the order it shows them: what, how urgent, then which item."""
    return {"kind": tr("Type"), "grade": tr("Grade"), "days_left": tr("Days left"), "due": tr("Due"),
            "deadline": tr("Deadline"), "item_id": tr("Id"), "name": tr("Name"), "district": tr("District"),
            "status": tr("Status"), "reasons": tr("Reasons")}


def result_kind(layer) -> str | None:
    """Which deadline tab made a result layer: by the fields only that result has."""
    names = set(field_names(layer))
    if {"resettle_status", "resettle_days"} <= names:
        return "resettlement"
    if {"supply_status", "next_due"} <= names:
        return "supply"
    if {"batch_fid", "unsupplied_m2"} <= names:
        return "unsupplied"
    return None


def windows_of(layers) -> dict:
    """The warning windows of the runs behind the result layers (the panels keep them on their layers), else the
    default profile's: the grades of the board are named with the days they were given with."""
    import json

    for layer in layers:
        try:
            values = json.loads(layer.customProperty(LEGEND_VALUES_KEY) or "{}")
        except ValueError:
            continue
        if isinstance(values, dict) and {"yellow", "orange"} <= set(values):
            return values
    return DEFAULT_RULES.warning_days()


class DeadlineBoardDock(PanelDock):
    OBJECT_NAME = "landBureauDeadlineBoard"

    def __init__(self, iface):
        super().__init__(iface, tr("Due next"))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Due within")))
        self.within = QSpinBox()
        self.within.setRange(0, 3660)
        self.windows = DEFAULT_RULES.warning_days()
        self.within.setValue(self.windows["yellow"])
        self.within.setSuffix(" " + tr("days"))
        row.addWidget(self.within)
        self.refresh_button = QPushButton(tr("Refresh"))
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        self.layout.addLayout(row)
        self.summary = QLabel(tr("Run the resettlement monitor or the land supply check: what is due appears "
                                 "here."))
        self.summary.setWordWrap(True)
        self.layout.addWidget(self.summary)
        self.model = FrameModel(headers=board_headers())
        self.view, self.proxy = frame_view(self.model)
        self.layout.addWidget(self.view, 1)
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        self.layout.addWidget(self.xlsx_button)
        self.items = pd.DataFrame(columns=deadlines.BOARD_COLUMNS)
        self.layers: dict[str, str] = {}  # kind -> result layer id
        self.shown = pd.DataFrame(columns=deadlines.BOARD_COLUMNS)
        self.within.valueChanged.connect(self.show_table)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.clicked.connect(self.row_clicked)
        self.xlsx_button.clicked.connect(self.export)
        self.listen(QgsProject.instance().layersAdded, self.refresh)
        self.listen(QgsProject.instance().layersRemoved, self.refresh)

    def showEvent(self, event):  # noqa: N802
        self.refresh()
        super().showEvent(event)

    def result_layers(self) -> dict[str, QgsVectorLayer]:
        """The newest result layer of each kind in the project (the tabs replace theirs on every run)."""
        found = {}
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(RESULT_LAYER_KEY) is not None:
                kind = result_kind(layer)
                if kind is not None:
                    found[kind] = layer
        return found

    def refresh(self, *_args) -> None:
        """Read the items of every deadline result layer in the project again."""
        if not self.isVisible():
            return
        layers = self.result_layers()
        self.layers = {kind: layer.id() for kind, layer in layers.items()}
        self.windows = windows_of(layers.values())
        frames = []
        if "resettlement" in layers:
            frames.append(deadlines.resettlement_items(self._read(layers["resettlement"], "resettlement_projects",
                                                                  RESETTLEMENT_FIELDS, ("project_id", "project_name",
                                                                                        "district"))))
        if "supply" in layers:
            frames.append(deadlines.supply_items(self._read(layers["supply"], "land_supply", SUPPLY_FIELDS,
                                                            ("parcel_id", "project_name", "district"))))
        if "unsupplied" in layers:
            frames.append(deadlines.batch_items(self._read(layers["unsupplied"], None, BATCH_FIELDS, ())))
        self.items = deadlines.board(*frames)
        self.show_table()

    @staticmethod
    def _read(layer, role, fields, copied) -> pd.DataFrame:
        source = QgsProject.instance().mapLayer(layer.customProperty(RESULT_LAYER_KEY) or "")
        if role is None:
            wanted = {name: name for name in fields if name in field_names(layer)}
        else:
            wanted = table_fields(layer, source, role, own=[f for f in fields if f not in copied], copied=copied)
        return read_columns(layer, wanted).frame

    def show_table(self, *_args) -> None:
        due = deadlines.due_within(self.items, self.within.value())
        self.shown = due
        counts = due["kind"].value_counts()
        grades = due["grade"].value_counts()
        labels = grade_labels(self.windows)
        kinds = kind_labels()
        self.summary.setText("<br>".join([
            tr("{n} item(s) overdue or due within {days} days").format(n=len(due), days=self.within.value()),
            " ".join(f"{kinds[k]}：{int(counts.get(k, 0))}" for k in kinds),
            " ".join(chip(f"{labels[g]}：{int(grades[g])}", GRADE_COLOURS[g], "#000" if g in ("yellow", "grey")
                          else "#fff") for g in deadlines.GRADES if grades.get(g))]))
        frame = self.words(due.head(TABLE_ROWS))
        self.model.set_frame(frame[list(board_headers())])
        unsorted(self.view)  # the board's own order: worst grade first, then fewest days left
        self.view.resizeColumnsToContents()

    def words(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Codes in words (type, deadline, status, grade), dates as dates."""
        frame = frame.copy()
        # the codes of each kind in its own words (start is the housing start of a project, the construction
        # start of a supplied parcel)
        per_kind = {"resettlement": (deadline_labels(), status_labels()),
                    "supply": (supply_deadline_labels(), supply_status_labels()),
                    "unsupplied": (deadline_labels(), {"unsupplied": tr("not supplied")})}
        for kind, (deadlines_, statuses) in per_kind.items():
            rows = frame["kind"] == kind
            for column, labels in (("deadline", deadlines_), ("status", statuses)):
                frame.loc[rows, column] = frame.loc[rows, column].map(labels).fillna(frame.loc[rows, column])
        for column, labels in (("kind", kind_labels()), ("grade", grade_labels(self.windows))):
            frame[column] = frame[column].map(labels).fillna(frame[column])
        frame["due"] = pd.to_datetime(frame["due"], errors="coerce").dt.strftime("%Y-%m-%d")
        frame["days_left"] = pd.to_numeric(frame["days_left"], errors="coerce").astype("Int64")
        return frame

    def row_clicked(self, proxy_index) -> None:
        row = self.shown.iloc[self.proxy.mapToSource(proxy_index).row()]
        layer = QgsProject.instance().mapLayer(self.layers.get(row["kind"], ""))
        if layer is not None:
            self.show_features(layer, [row["fid"]])

    def export(self) -> None:
        from ..export import to_xlsx

        if self.shown.empty:
            self.push(tr("Nothing is due: there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), "due_next.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        table = self.words(self.shown)[list(board_headers())].rename(columns=board_headers())
        self.write_file(path, lambda target: to_xlsx(table, target, sheet=tr("Due next")),
                        tr("Table exported to {path}"))
