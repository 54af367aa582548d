"""A plan's checks inside its attribute form while live mode is on: the form a planner opens on a plan — from the
identify tool, the attribute table's form view, after drawing a new plan — shows under the fields the plan's
rules, ✔ / ✘ / – with value and threshold and each rule's source, the same rows as the panel's checklist.

How it gets into the form, leaving nothing behind: QGIS has no signal for "a feature form opened", and a form's own
hooks (an init function, a custom widget type) are settings of the user's layer that a saved project would keep.
So while live mode is on, a timer looks every SCAN_MS for shown QgsAttributeForms of the plans layer among the
application's windows (a form's dialog, an attribute table, one docked in the main window) and adds a box to each
(its layout, never its fields, so the form's save and the edit buffer are untouched). An application-wide event
filter would see forms at once, but PyQt hands it every receiver of every event — and wrapping an object Qt is
destroying
crashed the process (a timer event to a half-deleted object, in the test run). The box reads the checker's current
result for the form's feature; it follows the checker's updates and the form switching to another feature (the
attribute table's form view does that without a signal: the box looks at the form's feature id every FOLLOW_MS
while it is visible). `stop()` stops the timer and removes every box.
"""
from __future__ import annotations

from qgis.gui import QgsAttributeEditorContext, QgsAttributeForm
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QGroupBox,
    QLabel,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr

BOX_NAME = "landBureauLiveChecks"  # objectName of the box added to a form
FOLLOW_MS = 300  # how often a visible box looks whether its form shows another feature
SCAN_MS = 300  # how often the application's windows are searched for new forms of the plans layer
SHOWN_IN = (QgsAttributeEditorContext.Mode.SingleEditMode, QgsAttributeEditorContext.Mode.AddFeatureMode,
            QgsAttributeEditorContext.Mode.IdentifyMode, QgsAttributeEditorContext.Mode.FixAttributeMode)


class FormChecks(QObject):
    """Puts a PlanChecksBox into every attribute form of the checker's layer shown while it runs."""

    def __init__(self, checker, parent=None):
        super().__init__(parent)
        self.checker = checker
        self.boxes: list[PlanChecksBox] = []
        self.timer = QTimer(self)
        self.timer.setInterval(SCAN_MS)
        self.timer.timeout.connect(self.scan)

    def start(self) -> None:
        self.checker.updated.connect(self.updated)
        self.checker.layer.willBeDeleted.connect(self.stop)  # the plans layer removed: no form of it is left
        self.timer.start()
        self.scan()  # forms open already

    def stop(self) -> None:
        """The timer and the connections off, every box taken out of its form."""
        self.timer.stop()
        for signal, slot in ((self.checker.updated, self.updated), (self.checker.layer.willBeDeleted, self.stop)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # not connected, or the layer is gone
                pass
        for box in self.boxes:
            if not sip.isdeleted(box):
                box.timer.stop()
                box.hide()
                box.setParent(None)
                box.deleteLater()
        self.boxes = []

    def scan(self) -> None:
        """Add a box to every shown form of the plans layer that has none."""
        for window in QApplication.topLevelWidgets():
            if not window.isVisible():
                continue
            if window.inherits("QMainWindow"):  # QGIS's main window: only its docked attribute tables hold forms
                places = [dock.widget() for dock in window.findChildren(QDockWidget)
                          if dock.widget() is not None and dock.widget().inherits("QgsAttributeTableDialog")]
            else:  # a feature form, an attribute table, a form shown on its own
                places = [window]
            for place in places:
                # findChildren(QgsAttributeForm) finds nothing under PyQt 5 (tested): by class name instead
                widgets = [place, *place.findChildren(QWidget)]
                for widget in widgets:
                    if widget.inherits("QgsAttributeForm") and widget.isVisible():
                        self.attach(sip.cast(widget, QgsAttributeForm))

    def attach(self, form: QgsAttributeForm) -> None:
        layer = form.layer()
        if (layer is None or layer.id() != self.checker.layer.id() or form.mode() not in SHOWN_IN
                or form.findChild(QGroupBox, BOX_NAME) is not None or form.layout() is None):
            return
        box = PlanChecksBox(form, self.checker)
        form.layout().addWidget(box)
        box.destroyed.connect(lambda *_: self.boxes.remove(box) if box in self.boxes else None)
        self.boxes.append(box)
        box.refresh()

    def updated(self, fids) -> None:
        for box in self.boxes:
            if not sip.isdeleted(box) and (box.shown is None or box.shown in fids):
                box.refresh()


class PlanChecksBox(QGroupBox):
    """The checks of the plan its form shows, as the checker has them now (the layer with its edit buffer)."""

    def __init__(self, form: QgsAttributeForm, checker):
        super().__init__(tr("Upstairs check (live)"), form)
        self.setObjectName(BOX_NAME)
        self.form, self.checker = form, checker
        self.shown = None  # the feature id whose checks are shown
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([tr("Rule"), tr("Result"), tr("Value"), tr("Threshold"), tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        self.setToolTip(tr("The plan as the layer holds it now, its unsaved edits included; values typed into this "
                           "form count once the form saves them."))
        self.timer = QTimer(self)
        self.timer.setInterval(FOLLOW_MS)
        self.timer.timeout.connect(self.follow)
        self.timer.start()

    def feature_id(self):
        feature = self.form.feature()
        if self.form.mode() == QgsAttributeEditorContext.Mode.AddFeatureMode or not feature.isValid():
            return None
        return feature.id()

    def follow(self) -> None:
        if self.isVisible() and self.feature_id() != self.shown:
            self.refresh()

    def refresh(self) -> None:
        from ..processing.upstairs import checks_table
        from .upstairs_dock import COLOURS, plan_verdict, rule_item

        fid = self.shown = self.feature_id()
        self.tree.clear()
        live = self.checker.live
        result = live.result_of(fid) if live is not None and fid is not None else None
        if result is None:
            self.summary.setText(tr("Checked once the plan is in the layer."))
            self.summary.setStyleSheet("")
            return
        checks = checks_table(result[1])
        verdict, text = plan_verdict(checks, result[0]["passed"] != result[0]["passed"])  # NaN: neither
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {COLOURS[verdict]}; font-weight: bold;")
        pieces = self.checker.violations_of()
        for row in range(len(checks)):
            check = checks.iloc[row]
            self.tree.addTopLevelItem(rule_item(check, fid, (fid, check["rule_id"]) in pieces))
        for column in range(4):
            self.tree.resizeColumnToContents(column)

