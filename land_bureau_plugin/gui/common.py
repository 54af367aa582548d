"""What the panels share: the dock base, running an algorithm as a background task, a pandas table model."""
from __future__ import annotations

import pandas as pd
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMessageLog,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QAbstractTableModel, QSortFilterProxyModel, Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget

from ..i18n import tr

LOG_TAG = "Land Bureau"
RESULT_LAYER_KEY = "land_bureau/result_of"  # marks a panel's result layers (value: the source layer's id)


def log(message: str, level=Qgis.MessageLevel.Info) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, level)


class PanelDock(QgsDockWidget):
    """A dock with a scrollable vertical layout and background-task bookkeeping."""

    OBJECT_NAME = "landBureauPanel"
    ICON = "icon.svg"

    def __init__(self, iface, title: str):
        super().__init__(title)
        self.iface = iface
        self.tasks = []
        self.project_connections = []
        body = QWidget()
        self.layout = QVBoxLayout(body)
        self.setWidget(body)

    def add_run_row_and_summary(self) -> None:
        """The Run button beside its progress bar, then the summary under its heading: every panel has them
        (self.run_button, self.progress, self.summary)."""
        row = QHBoxLayout()
        self.run_button = QPushButton(tr("Run"))
        self.progress = QProgressBar()
        row.addWidget(self.run_button)
        row.addWidget(self.progress, 1)
        self.layout.addLayout(row)
        self.summary = QLabel(tr("Not run yet."))
        self.summary.setWordWrap(True)
        self.layout.addWidget(heading(tr("Summary")))
        self.layout.addWidget(self.summary)

    def push(self, message: str, level=Qgis.MessageLevel.Info) -> None:
        """A translated message in QGIS's message bar (never a traceback)."""
        self.iface.messageBar().pushMessage(self.windowTitle(), message, level=level, duration=8)
        log(message, level)

    def run_algorithm(self, algorithm_id: str, parameters: dict, on_done, progress=None):
        """Run a Processing algorithm in a QgsTask; `on_done(ok, results, context, feedback)` on the main thread."""
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        feedback = QgsProcessingFeedback()
        if progress is not None:
            feedback.progressChanged.connect(lambda value: progress.setValue(int(value)))
        task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
        holder = (task, context, feedback, algorithm)
        self.tasks.append(holder)

        def finished(ok, results):
            if holder in self.tasks:
                self.tasks.remove(holder)
            on_done(ok, results, context, feedback)

        task.executed.connect(finished)
        QgsApplication.taskManager().addTask(task)
        return task

    def listen(self, signal, slot) -> None:
        """Connect to a long-lived (project) signal; `close_panel` disconnects it again, so unload leaves none."""
        signal.connect(slot)
        self.project_connections.append((signal, slot))

    def close_panel(self) -> None:
        """Cancel what is still running and drop the project connections; called by the plugin's unload."""
        for signal, slot in self.project_connections:
            try:
                signal.disconnect(slot)
            except TypeError:  # already gone with the project
                pass
        self.project_connections = []
        for task, _context, feedback, _algorithm in list(self.tasks):
            feedback.cancel()
            task.cancel()
        self.tasks = []


def preselect_layers(combos_by_role: dict) -> None:
    """In each {role: QgsMapLayerComboBox}, select a project layer whose role fits, unless the combo already shows
    a fitting one. Result layers of the panels are never offered (their fields would fit the input roles)."""
    from ..qgis_bridge.fieldmaps import role_of

    for role, combo in combos_by_role.items():
        current = combo.currentLayer()
        if current is not None and role_of(current) == role:
            continue
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and not layer.customProperty(RESULT_LAYER_KEY) \
                    and role_of(layer) == role:
                combo.setLayer(layer)
                break


class FrameModel(QAbstractTableModel):
    """A read-only pandas DataFrame for a QTableView (headers from `headers`, sorting via a proxy)."""

    def __init__(self, frame: pd.DataFrame | None = None, headers: dict[str, str] | None = None):
        super().__init__()
        self.frame = frame if frame is not None else pd.DataFrame()
        self.headers = headers or {}

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame
        self.endResetModel()

    def rowCount(self, parent=None):  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.frame)

    def columnCount(self, parent=None):  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.frame.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.frame.iat[index.row(), index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        if role == Qt.ItemDataRole.UserRole:  # sort key: numbers as numbers
            return value if isinstance(value, (int, float)) and not pd.isna(value) else str(value)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self.frame.columns[section]
            return self.headers.get(name, name)
        return str(section + 1)

    def feature_id(self, row: int):
        return self.frame.index[row]


def frame_view(model: FrameModel) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    return view, proxy


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


def error_text(feedback) -> str:
    """The last errors an algorithm reported, for the message bar."""
    text = feedback.textLog() if hasattr(feedback, "textLog") else ""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else tr("see the log for details")
