"""What the panels share: the dock base, running an algorithm as a background task, a pandas table model."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QAbstractTableModel, QSortFilterProxyModel, Qt
from qgis.PyQt.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr

WORD_JOINER, NO_BREAK_SPACE = "\u2060", "\u00a0"
RESULT_LAYER_KEY = "land_bureau/result_of"  # marks a panel's result layers (value: the source layer's id)
RESIZE_ROWS = 100  # rows whose contents size a table's columns (frame_view)
TABLE_ROWS = 5000  # rows a panel's table lists (the most telling first); a city's 100k+ stay in the layer


def layer_filter(*kinds: str):
    """The layer-combo filter for `kinds` ("PolygonLayer", "PointLayer", …) as the running QGIS names it:
    Qgis.LayerFilter since QGIS 3.34, where QgsMapLayerProxyModel.Filter is deprecated (and gone in QGIS 4); the
    proxy model's own enum before, when Qgis has no LayerFilter."""
    enum = getattr(Qgis, "LayerFilter", None)
    if enum is None:
        enum, flags = QgsMapLayerProxyModel.Filter, QgsMapLayerProxyModel.Filters
    else:  # PyQt 5 ORs two members of this Python enum into an int, which picks the deprecated overload
        flags = getattr(Qgis, "LayerFilters", enum)  # PyQt 6: the enum is its own flag type
    combined = flags(getattr(enum, kinds[0]))
    for kind in kinds[1:]:
        combined = combined | getattr(enum, kind)
    return combined


def log_tag() -> str:
    """The Log Messages tab of the plugin: its name in the UI language (规划资源), as the menu, the toolbar, the
    Processing provider and the missing-dependency message (plugin.py) name it — an English tab in the Chinese UI
    was a second tab beside that message's."""
    return tr("Land Bureau")


def log(message: str, level=Qgis.MessageLevel.Info) -> None:
    QgsMessageLog.logMessage(message, log_tag(), level)


class PanelDock(QgsDockWidget):
    """A dock with a scrollable vertical layout and background-task bookkeeping."""

    OBJECT_NAME = "landBureauPanel"
    ICON = "icon.svg"
    INPUT_ROLES: dict[str, str] = {}  # {role: attribute name of a layer combo} preselected by role

    def __init__(self, iface, title: str):
        super().__init__(title)
        self.iface = iface
        self.tasks = []
        self.project_connections = []
        body = QWidget()
        self.layout = QVBoxLayout(body)
        # Scrolls rather than grows: a tall panel (long summary, big table) must not push the main window, its
        # status bar and the panel's own bottom buttons off a 1080p screen.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)

    def add_run_row_and_summary(self, cancellable: bool = False) -> None:
        """The Run button beside its progress bar, then the summary under its heading: every panel has them
        (self.run_button, self.progress, self.summary). `cancellable` adds self.cancel_button, disabled until
        `set_running(True)`."""
        row = QHBoxLayout()
        self.run_button = QPushButton(tr("Run"))
        self.progress = QProgressBar()
        row.addWidget(self.run_button)
        if cancellable:
            self.cancel_button = QPushButton(tr("Cancel"))
            self.cancel_button.setEnabled(False)
            self.cancel_button.clicked.connect(self.cancel)
            row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        self.layout.addLayout(row)
        self.summary = QLabel(tr("Not run yet."))
        self.summary.setWordWrap(True)
        self.layout.addWidget(heading(tr("Summary")))
        self.layout.addWidget(self.summary)

    def set_running(self, running: bool) -> None:
        """Run disabled and Cancel enabled while a run is going, the other way round after it."""
        self.run_button.setEnabled(not running)
        if hasattr(self, "cancel_button"):
            self.cancel_button.setEnabled(running)
        self.progress.setValue(0)

    def run_failed(self, ok: bool, feedback, failure: str) -> bool:
        """After a run: buttons back; True (with "Canceled", or `failure` formatted with the last error, in the
        message bar) when it did not succeed, so `finished` can return."""
        self.set_running(False)
        if ok:
            self.progress.setValue(100)
            return False
        if feedback.isCanceled():
            self.push(tr("Canceled"), Qgis.MessageLevel.Info)
        else:
            self.push(failure.format(error=error_text(feedback)), Qgis.MessageLevel.Critical)
        return True

    def cancel(self) -> None:
        """Ask every running task to stop (the algorithms check between phases and in their loops)."""
        for task, _context, feedback, _algorithm in list(self.tasks):
            feedback.cancel()
            task.cancel()

    def add_print_button(self, theme_key: str, row=None, layer=None) -> QPushButton:
        """打印 / Print: the panel's result as a map layout of the theme (layouts/themes.py), opened in the layout
        designer or exported to PDF / PNG (gui/print_dialog.py). Prints `layer()` (default `print_layer()`) as of
        `print_as_of()`; the button goes into `row` (default: the panel's layout)."""
        self.print_button = QPushButton(tr("Print…"))
        self.print_button.setToolTip(tr("Print the result as a map: A3 / A4, one page per district if wanted"))
        self.print_button.clicked.connect(lambda: self.print_map(theme_key, (layer or self.print_layer)()))
        (row if row is not None else self.layout).addWidget(self.print_button)
        return self.print_button

    def print_map(self, theme_key: str, layer) -> None:
        from .print_dialog import run_print_dialog

        run_print_dialog(self, theme_key, layer, self.print_as_of())

    def print_layer(self):
        """The result layer the Print button prints by default: the panel's `result_layer_id`."""
        layer_id = getattr(self, "result_layer_id", None)
        return QgsProject.instance().mapLayer(layer_id) if layer_id else None

    def print_as_of(self):
        """The as-of date in the subtitle: the panel's `as_of` date edit when it has one, else today."""
        as_of = getattr(self, "as_of", None)
        return as_of.date().toPyDate() if hasattr(as_of, "date") else None

    def push(self, message: str, level=Qgis.MessageLevel.Info, details: str = "") -> None:
        """A translated message in QGIS's message bar (never a traceback). `details` (one item a line) go behind
        the bar's "Show more" button, the message staying one short line — a long one was cut at its second line
        in a 1366 px wide window — and the bar stays until closed, so there is time to read them."""
        if details:
            self.iface.messageBar().pushMessage(self.windowTitle(), message, details, level=level, duration=0)
            log(message + "\n" + details, level)
            return
        self.iface.messageBar().pushMessage(self.windowTitle(), message, level=level, duration=8)
        log(message, level)

    def show_error(self, exc: BaseException) -> None:
        """The one place a panel shows an error: a LandBureauError's message (any other exception as an unexpected
        error naming its type) in the message bar at the error's level; the traceback of an unexpected one goes
        to the plugin's log only."""
        import traceback

        from ..errors import as_land_bureau_error

        error = as_land_bureau_error(exc, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        levels = {"info": Qgis.MessageLevel.Info, "warning": Qgis.MessageLevel.Warning,
                  "critical": Qgis.MessageLevel.Critical}
        self.push(error.shown(), levels[error.level])
        if error.details and error is not exc:
            log(error.details, Qgis.MessageLevel.Info)

    def write_file(self, path: str, write, done: str) -> bool:
        """`write(path)`, then `done` (a message with {path}) in the message bar, or why the file could not be
        written; True when it was."""
        try:
            write(path)
        except OSError as exc:
            self.push(tr("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc),
                      Qgis.MessageLevel.Critical)
            return False
        self.push(done.format(path=path), Qgis.MessageLevel.Success)
        return True

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

    def replace_layer(self, old_id: str | None, layer, style: str | None = None) -> str:
        """Put a new result layer in the project in place of the previous one (removed by id, so re-running does
        not pile up copies), styled from resources/styles; returns the new layer's id."""
        from ..qgis_bridge import styles

        project = QgsProject.instance()
        if old_id and project.mapLayer(old_id) is not None:
            project.removeMapLayer(old_id)
        if style:
            styles.apply_style(layer, style)
        project.addMapLayer(layer)
        return layer.id()

    def show_features(self, layer, feature_ids: list[int]) -> None:
        """Select the features, zoom the map to them and flash them."""
        ids = [int(fid) for fid in feature_ids]
        layer.selectByIds(ids)
        canvas = self.iface.mapCanvas()
        canvas.zoomToFeatureIds(layer, ids)
        canvas.flashFeatureIds(layer, ids)

    def follow_project_layers(self) -> None:
        """Preselect the INPUT_ROLES combos now, whenever layers are added (from those layers), a project is read
        or the panel shows."""
        self.pick_default_layers()
        self.listen(QgsProject.instance().layersAdded, self.pick_added_layers)
        self.listen(QgsProject.instance().readProject, self.pick_default_layers)

    def pick_default_layers(self, *_args) -> None:
        preselect_layers({role: getattr(self, name) for role, name in self.INPUT_ROLES.items()})

    def pick_added_layers(self, layers) -> None:
        """Layers were added: only they are offered — guessing every project layer's role again on each addition
        held the desktop for seconds (a live checker adds two layers), and put back a layer the user had just
        taken out of a combo."""
        preselect_layers({role: getattr(self, name) for role, name in self.INPUT_ROLES.items()}, layers)

    def showEvent(self, event):  # noqa: N802
        self.pick_default_layers()
        super().showEvent(event)

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
        self.cancel()
        self.tasks = []


def preselect_layers(combos_by_role: dict, layers=None) -> None:
    """In each {role: QgsMapLayerComboBox}, select a layer of `layers` (default: the project's) whose role fits,
    unless the combo already shows a fitting one. Result layers of the panels and live checkers' layers are never
    offered (their fields would fit the input roles); each layer's role is guessed once per call."""
    from ..qgis_bridge.fieldmaps import role_of
    from .live_check import LIVE_LAYER_KEY

    offered = [layer for layer in (QgsProject.instance().mapLayers().values() if layers is None else layers)
               if isinstance(layer, QgsVectorLayer) and layer.customProperty(RESULT_LAYER_KEY) is None
               and not layer.customProperty(LIVE_LAYER_KEY)]  # "" marks a result of no one source layer
    if not offered:
        return
    roles: dict = {}

    def role(layer):
        if layer.id() not in roles:
            roles[layer.id()] = role_of(layer)
        return roles[layer.id()]

    for wanted, combo in combos_by_role.items():
        current = combo.currentLayer()
        if current is not None and role(current) == wanted:
            continue
        fitting = next((layer for layer in offered if role(layer) == wanted), None)
        if fitting is not None:
            combo.setLayer(fitting)


def table_fields(layer, source, role: str, own, copied) -> dict[str, str]:
    """A panel's table columns in its result layer, {column: field}: `own` columns under their own names, `copied`
    ones (the source's id, name, district …) under the source layer's field names, which the result layer keeps."""
    from ..qgis_bridge.fieldmaps import field_map_of
    from ..qgis_bridge.layers import field_names

    names = field_names(layer)
    original = field_map_of(source, role) if source is not None else {}
    fields = {column: column for column in own if column in names}
    fields.update({column: original[column] for column in copied if original.get(column) in names})
    return fields


def relabel_categories(layer, labels: dict) -> None:
    """Legend labels in the UI language for a categorized style ({value: label}; "" is "all other values")."""
    renderer = layer.renderer()
    if not hasattr(renderer, "categories"):
        return
    for index, category in enumerate(renderer.categories()):
        value = category.value() if category.value() is not None else ""
        if value in labels:
            renderer.updateCategoryLabel(index, labels[value])
    layer.setRenderer(renderer.clone())  # the layer tree's legend redraws on a new renderer, not on new labels


def is_number(value) -> bool:
    """A figure a table right-aligns: an int or float (numpy's too), not a bool, not missing."""
    return (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
            and not pd.isna(value))


class FrameModel(QAbstractTableModel):
    """A read-only pandas DataFrame for a QTableView (headers from `headers`, sorting via a proxy).

    `formats` ({column: function of a value → text}) changes only what is shown ("95,018"): sorting and
    `frame` keep the numbers. Every cell's text is also its tooltip, for columns kept narrow. Figures are
    right-aligned, text left."""

    def __init__(self, frame: pd.DataFrame | None = None, headers: dict[str, str] | None = None,
                 formats: dict | None = None):
        super().__init__()
        self.headers = headers or {}
        self.formats = formats or {}
        self._store(frame if frame is not None else pd.DataFrame())

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._store(frame)
        self.endResetModel()

    def _store(self, frame: pd.DataFrame) -> None:
        """Keep each column's values for `data`: the sorting proxy asks for n·log n cells (1.7 million for 100k
        rows) and `frame.iat` costs some 20 µs a call, most of a city-sized table's time on the main thread."""
        self.frame = frame
        self.columns = [frame.iloc[:, column].array for column in range(len(frame.columns))]
        self.shape = frame.shape
        self.keys: dict[int, list] = {}  # column -> sort keys, filled when the view sorts by it

    def show_rows(self, frame: pd.DataFrame, positions: list) -> None:
        """The same rows with new values (`frame`: the model's index and columns), those at `positions` changed:
        the view told which, without a reset of the model (a reset re-sorts and redraws every row) — a live panel
        changing a few rows of thousands."""
        self._store(frame)
        if len(positions):
            # one signal for the span (a view redraws what it shows of it): thousands of rows change when clusters
            # are renumbered, and a signal per row cost more than the change
            self.dataChanged.emit(self.index(int(min(positions)), 0),
                                  self.index(int(max(positions)), self.shape[1] - 1))

    def rowCount(self, parent=None):  # noqa: N802
        return 0 if parent is not None and parent.isValid() else self.shape[0]

    def columnCount(self, parent=None):  # noqa: N802
        return 0 if parent is not None and parent.isValid() else self.shape[1]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.UserRole:  # the sorting proxy asks for this n·log n times
            return self.sort_keys(index.column())[index.row()]
        value = self.columns[index.column()][index.row()]  # what frame.iat gives, without its overhead
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
                return ""  # an unknown (pandas' NA of an Int64 column too: it printed as <NA>)
            shown = self.formats.get(self.frame.columns[index.column()], str)
            return shown(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and is_number(value):
            # figures right-aligned, so their places line up down a column ("1,260.00" over "9,000.00")
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort_keys(self, column: int) -> list:
        """The column's sort keys (UserRole), worked out once: numbers as numbers, anything else as its text."""
        if column not in self.keys:
            self.keys[column] = [value if isinstance(value, (int, float)) and not pd.isna(value) else str(value)
                                 for value in self.columns[column]]
        return self.keys[column]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self.frame.columns[section]
            return self.headers.get(name, name)
        return str(section + 1)

    def feature_id(self, row: int):
        return self.frame.index[row]


def same_cells(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Element-wise: the same value (missing ones — None, NaN, pd.NA — alike; 2 and 2.0 alike)."""
    old, new = np.asarray(old, dtype=object), np.asarray(new, dtype=object)
    old = np.where(pd.isna(old), None, old)
    new = np.where(pd.isna(new), None, new)
    return np.asarray(old == new, dtype=bool) if len(new) else np.zeros(0, dtype=bool)


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
    # columns sized to the contents of the first rows, not of a thousand (Qt's default): 2.9 s of the main thread
    # for the 5,000 rows of a 100,000-parcel live table; a longer cell is elided and shows in full as its tooltip
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    view.verticalHeader().setVisible(False)  # row numbers of a sorted table read like ids beside the real ids
    return view, proxy


def unsorted(view: QTableView) -> None:
    """Show the model's own order (the most urgent first, as the panel put it) instead of the order of whatever
    column the view was last sorted by; a click on a header still sorts."""
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.model().sort(-1)


def chip(text: str, background: str, foreground: str) -> str:
    """A coloured label for a rich-text summary that never breaks across lines ("C 调控帮扶：501（10,218.8 亩）").

    Qt's rich text ignores `white-space: nowrap` on inline spans and breaks Chinese between any two characters, so
    the characters are glued with word joiners (U+2060, invisible) and the spaces made non-breaking; the chips
    themselves still wrap as wholes at the plain spaces between them."""
    glued = WORD_JOINER.join(html.escape(c) for c in text.replace(" ", NO_BREAK_SPACE))
    return f"<span style='background:{background};color:{foreground}'>&nbsp;{glued}&nbsp;</span>"


def dialog_buttons(*kinds) -> QDialogButtonBox:
    """A button box with OK / Cancel / Close (QDialogButtonBox.StandardButton values) in our words.

    Not Qt's standard buttons: QGIS does not load Qt's own translations, so they come up English beside our Chinese
    buttons, and a QDialogButtonBox resets their texts on every language change (any plugin installing its
    translator), so texts set on them do not last. Buttons added with a role keep their text and still accept or
    reject the dialog."""
    which = QDialogButtonBox.StandardButton
    role = QDialogButtonBox.ButtonRole
    words = {which.Ok: (tr("OK"), role.AcceptRole), which.Cancel: (tr("Cancel"), role.RejectRole),
             which.Close: (tr("Close"), role.RejectRole)}
    box = QDialogButtonBox()
    for kind in kinds:
        box.addButton(*words[kind])
    return box


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


def error_text(feedback) -> str:
    """The last errors an algorithm reported, for the message bar."""
    text = feedback.textLog() if hasattr(feedback, "textLog") else ""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else tr("see the log for details")
