"""A plan's checks inside its attribute form while live mode is on: the form a planner opens on a plan — from the
identify tool, the attribute table's form view, after drawing a new plan — shows between its fields and its OK /
Cancel buttons the plan's rules, ✔ / ✘ / – with value and threshold and each rule's source, the same rows as the
panel's checklist.

How it finds the forms, without looking for them all the time: QGIS has no signal for "a feature form opened", and a
form's own hooks (an init function, a custom widget type) are settings of the user's layer that a saved project
would keep. But a form a planner works in has the keyboard focus, or is about to be shown by the main window, or
is the attribute table's form view — so live mode listens to three things that happen only when the user does
something, and does nothing in between:

- the application's focus (QGuiApplication.focusObjectChanged, which names only the widget that has the focus now,
  never one being destroyed): a feature form dialog takes the focus when it opens (QgsAttributeDialog activates its
  window) — from the identify tool, after drawing a new plan, from the attribute table. From the new focus widget
  up to its window (a dozen parents, no search of the widget tree), a QgsAttributeForm of the plans layer gets the
  box and an attribute table (QgsDualView) is watched; in a window that is a feature form or an attribute table
  (never the main window) its form or tables are looked up.
- the main window's own events (an event filter on that one object; an application-wide one crashed, see below):
  a dialog or dock the main window is the parent of is polished just before it is first shown (ChildPolished) — a
  feature form dialog gets its box then, before it is laid out, and a docked attribute table is watched.
- a watched attribute table's signals: it switching to its form view (QStackedWidget.currentChanged), its form
  changing mode (formModeChanged), and the planner moving to another plan in the form view (its feature list's
  currentEditSelectionChanged — the form's own feature() changes without a signal) refresh the box.

When live mode starts, the forms open already are looked up once: the feature form dialogs and attribute tables
among the top-level windows, the attribute tables docked in the main window. An application-wide event filter
would see every form at once, but PyQt hands it every receiver of every event — and wrapping an object Qt was
destroying crashed the process (a timer event to a half-deleted object, in the test run); the old way, a timer
searching every window's widget tree every 0.3 s, took 27–170 ms a time in the desktop with an attribute table
open (README, "Checking while editing"). The box is put into the form's own layout (never its fields, so the form's
save and the edit buffer are untouched), in the row of the form's button box, which moves down one row; `stop()`
disconnects everything above, takes every box out and moves the buttons back.
"""
from __future__ import annotations

from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsAttributeForm, QgsDualView, QgsFeatureListView
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QEvent, QObject
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QDialogButtonBox,
    QDockWidget,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from ..analysis.upstairs_text import format_value
from ..i18n import tr
from ..qgis_bridge.fieldmaps import layer_field_label

BOX_NAME = "landBureauLiveChecks"  # objectName of the box added to a form
SHOWN_IN = (QgsAttributeEditorContext.Mode.SingleEditMode, QgsAttributeEditorContext.Mode.AddFeatureMode,
            QgsAttributeEditorContext.Mode.IdentifyMode, QgsAttributeEditorContext.Mode.FixAttributeMode)
FORM_WINDOWS = ("QgsAttributeDialog", "QgsAttributeTableDialog", "QgsAttributeForm")  # windows worth looking in


class FormChecks(QObject):
    """Puts a PlanChecksBox into every attribute form of the checker's layer shown while it runs (see the module's
    docstring for how the forms are found). `main_window`: QGIS's main window (its own events are watched)."""

    def __init__(self, checker, parent=None, main_window=None):
        super().__init__(parent)
        self.checker = checker
        self.main_window = main_window
        self.boxes: list[PlanChecksBox] = []
        self.views: list[tuple] = []  # watched attribute tables: (QStackedWidget, QgsDualView, QListView,
        # QgsFeatureListView, slot) — the Qt class's wrappers say whether Qt deleted the widget
        self.running = False

    # --- on and off ---------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.running = True
        self.checker.updated.connect(self.updated)
        self.checker.layer.willBeDeleted.connect(self.stop)  # the plans layer removed: no form of it is left
        QApplication.instance().focusObjectChanged.connect(self.focus_moved)
        if self.main_window is not None:
            self.main_window.installEventFilter(self)
        self.look_everywhere()  # forms open already

    def stop(self) -> None:
        """Every connection off, every box taken out of its form (the form's buttons back in their row)."""
        if not self.running:
            return
        self.running = False
        if self.main_window is not None and not sip.isdeleted(self.main_window):
            self.main_window.removeEventFilter(self)
        connections = [(self.checker.updated, self.updated), (self.checker.layer.willBeDeleted, self.stop),
                       (QApplication.instance().focusObjectChanged, self.focus_moved)]
        for stack, view, found, features, changed in self.views:
            if not sip.isdeleted(stack):
                connections += [(view.currentChanged, changed), (view.formModeChanged, changed)]
            if found is not None and not sip.isdeleted(found):
                connections.append((features.currentEditSelectionChanged, self.follow_all))
        for signal, slot in connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # not connected, or its object is gone
                pass
        self.views = []
        for box in self.boxes:
            if not sip.isdeleted(box):
                box.take_out()
        self.boxes = []

    # --- what tells of a form -----------------------------------------------------------------------------------
    def focus_moved(self, focus) -> None:
        """The keyboard focus went to `focus`: a form or attribute table it is in, or its window holds."""
        if not isinstance(focus, QWidget):
            return
        widget = focus
        while widget is not None:
            self.look_at(widget)
            widget = widget.parentWidget()
        window = focus.window()
        if window is not self.main_window and any(window.inherits(name) for name in FORM_WINDOWS):
            self.look_in(window)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 — Qt's name
        """The main window's events: a child of its own (a dialog, a dock) polished just before it is first shown.
        Only ChildPolished's child is touched (complete by then; ChildAdded's is still being constructed)."""
        if event.type() == QEvent.Type.ChildPolished and self.running:
            try:
                child = event.child()
                if isinstance(child, QDockWidget):
                    if child.widget() is not None and child.widget().inherits("QgsAttributeTableDialog"):
                        self.look_in(child.widget())
                elif isinstance(child, QWidget) and child.inherits("QgsAttributeDialog"):
                    self.look_in(child)
            except RuntimeError:  # gone meanwhile
                pass
        return False

    def look_everywhere(self) -> None:
        """Once, when live mode starts: the forms and attribute tables open already."""
        for window in QApplication.topLevelWidgets():
            if not window.isVisible():
                continue
            if window is self.main_window or window.inherits("QMainWindow"):  # only its docked attribute tables
                for dock in window.findChildren(QDockWidget):
                    if dock.widget() is not None and dock.widget().inherits("QgsAttributeTableDialog"):
                        self.look_in(dock.widget())
            elif any(window.inherits(name) for name in FORM_WINDOWS):
                self.look_in(window)

    def look_in(self, place: QWidget) -> None:
        """A feature form dialog's form; an attribute table's views; a form on its own."""
        if place.inherits("QgsAttributeDialog"):
            self.attach(sip.cast(place, QgsAttributeDialog).attributeForm())
        if place.inherits("QgsAttributeForm"):
            self.attach(sip.cast(place, QgsAttributeForm))
        # a QgsDualView is a QStackedWidget: found by that class (findChildren by QGIS's class finds nothing
        # under PyQt 5)
        for stack in place.findChildren(QStackedWidget):
            if stack.inherits("QgsDualView"):
                self.watch(stack)

    def look_at(self, widget: QWidget) -> None:
        if widget.inherits("QgsAttributeForm"):
            self.attach(sip.cast(widget, QgsAttributeForm))
        elif widget.inherits("QgsDualView"):
            self.watch(widget)

    # --- attribute tables ---------------------------------------------------------------------------------------
    def watch(self, stack: QWidget) -> None:
        """An attribute table of the plans layer (`stack`: its QgsDualView as PyQt found it): its form view gets the
        box when shown, and the box follows the plan shown. QGIS's own widgets come wrapped as their Qt base class;
        the QGIS class's wrapper (sip.cast) is not told when Qt deletes the widget, so the base's is kept to ask."""
        if any(not sip.isdeleted(watched[0]) and sip.unwrapinstance(watched[0]) == sip.unwrapinstance(stack)
               for watched in self.views):
            return
        view = sip.cast(stack, QgsDualView)
        layer = view.masterModel().layer() if view.masterModel() is not None else None
        if layer is None or layer.id() != self.checker.layer.id():
            return
        found = next((v for v in stack.findChildren(QListView) if v.inherits("QgsFeatureListView")), None)
        features = sip.cast(found, QgsFeatureListView) if found is not None else None

        def changed(*_args, stack=stack, view=view):
            if not sip.isdeleted(stack):
                self.form_view(view)

        self.views = [watched for watched in self.views if not sip.isdeleted(watched[0])]
        self.views.append((stack, view, found, features, changed))
        view.currentChanged.connect(changed)
        view.formModeChanged.connect(changed)
        if features is not None:
            # connected after the table's own slot, which shows the plan in the form first
            features.currentEditSelectionChanged.connect(self.follow_all)
        self.form_view(view)

    def form_view(self, view: QgsDualView) -> None:
        """The table's form, when it shows its form view (made by QGIS the first time it is shown)."""
        if view.view() != QgsDualView.ViewMode.AttributeEditor:
            return
        page = view.currentWidget()
        for widget in page.findChildren(QWidget) if page is not None else ():
            if widget.inherits("QgsAttributeForm"):
                self.attach(sip.cast(widget, QgsAttributeForm))
        self.follow_all()

    def follow_all(self, *_args) -> None:
        for box in self.boxes:
            if not sip.isdeleted(box):
                box.follow()

    # --- the boxes ----------------------------------------------------------------------------------------------
    def attach(self, form) -> None:
        if form is None or not self.running:
            return
        layer = form.layer()
        if (layer is None or layer.id() != self.checker.layer.id() or form.mode() not in SHOWN_IN
                or box_of(form) is not None or form.layout() is None):
            return
        box = PlanChecksBox(form, self.checker)
        box.put_in()
        box.destroyed.connect(lambda *_: self.boxes.remove(box) if box in self.boxes else None)
        self.boxes.append(box)
        box.refresh()

    def updated(self, fids) -> None:
        for box in self.boxes:
            if not sip.isdeleted(box) and (box.shown is None or box.shown in fids):
                box.refresh()


def scrolled_in(form: QWidget):
    """(layout, scroll area) when the form is the widget of a scroll area whose parent lays it out (the attribute
    table's form view: QgsDualView's mAttributeEditor frame, a grid holding the scroll area); else None (a feature
    form dialog scrolls only its fields, inside the form)."""
    viewport = form.parentWidget()
    scroll = viewport.parentWidget() if viewport is not None else None
    if not isinstance(scroll, QScrollArea) or scroll.widget() is None:
        return None
    if sip.unwrapinstance(scroll.widget()) != sip.unwrapinstance(form) or scroll.parentWidget() is None:
        return None
    layout = scroll.parentWidget().layout()
    if not isinstance(layout, (QGridLayout, QBoxLayout)) or layout.indexOf(scroll) < 0:
        return None
    return layout, scroll


def box_of(form: QWidget):
    """The box of `form` (inside it, or under the scroll area it is shown in), None when it has none."""
    box = form.findChild(QGroupBox, BOX_NAME)
    if box is not None:
        return box
    holder = scrolled_in(form)
    if holder is None:
        return None
    return next((widget for widget in holder[1].parentWidget().findChildren(QGroupBox, BOX_NAME)
                 if isinstance(widget, PlanChecksBox) and widget.alive
                 and sip.unwrapinstance(widget.form) == sip.unwrapinstance(form)), None)


def button_row(form: QWidget):
    """(layout, position) of the form's button box: in QgsAttributeForm's own layout or the layout of a widget
    directly in it (QGIS 3.22–3.44: a container whose grid holds the fields, the buttons, the search buttons).
    None when it has none there."""
    layouts = [form.layout()]
    layouts += [item.widget().layout() for item in (form.layout().itemAt(i) for i in range(form.layout().count()))
                if item.widget() is not None and item.widget().layout() is not None]
    for layout in layouts:
        for index in range(layout.count()):
            widget = layout.itemAt(index).widget()
            if isinstance(widget, QDialogButtonBox):
                return layout, index
    return None


class PlanChecksBox(QGroupBox):
    """The checks of the plan its form shows, as the checker has them now (the layer with its edit buffer)."""

    def __init__(self, form: QgsAttributeForm, checker):
        super().__init__(tr("Upstairs check (live)"), form)
        self.setObjectName(BOX_NAME)
        self.form, self.checker = form, checker
        self.shown = None  # the feature id whose checks are shown
        self.moved = None  # (grid layout, row) when the form's rows from `row` on were moved down for the box
        self.outside = None  # the layout holding the form's scroll area when the box is under it (form view)
        self.alive = True  # False once the form is destroyed (a box outside its form outlives it until deleted)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.far_note = QLabel()  # the layer's FAR field holds another value than the FAR checked
        self.far_note.setObjectName("landBureauFarNote")
        self.far_note.setWordWrap(True)
        self.far_note.setStyleSheet("color: #b35806;")
        self.far_note.hide()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([tr("Rule"), tr("Result"), tr("Value"), tr("Threshold"), tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.far_note)
        layout.addWidget(self.tree)
        self.setToolTip(tr("The plan as the layer holds it now, its unsaved edits included; values typed into this "
                           "form count once the form saves them."))
        form.modeChanged.connect(self.follow)
        form.featureSaved.connect(self.follow)

    def put_in(self) -> None:
        """Into the form's layout just above its button box (the buttons' row and those below move down one), or
        under everything when the form has no button box where QGIS puts it. A form scrolled as a whole — the
        attribute table's form view puts the form in a scroll area — gets the box under that scroll area, outside
        it: inside, the box came after every field, out of sight in a small window until scrolled to."""
        holder = scrolled_in(self.form)
        if holder is not None:
            layout, scroll = holder
            if isinstance(layout, QGridLayout):
                row = layout.getItemPosition(layout.indexOf(scroll))[0] + 1
                shift_rows(layout, row, 1)
                layout.addWidget(self, row, 0, 1, max(1, layout.columnCount()))
                self.moved = (layout, row)
            else:
                layout.insertWidget(layout.indexOf(scroll) + 1, self)
            self.outside = layout
            self.form.destroyed.connect(self.form_gone)  # QGIS makes a new form: this one's box goes with it
            return
        found = button_row(self.form)
        if found is None:
            self.form.layout().addWidget(self)
            return
        layout, index = found
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(index, self)
        elif isinstance(layout, QGridLayout):
            row = layout.getItemPosition(index)[0]
            shift_rows(layout, row, 1)
            layout.addWidget(self, row, 0, 1, max(1, layout.columnCount()))
            self.moved = (layout, row)
        else:
            self.form.layout().addWidget(self)

    def form_gone(self, *_args) -> None:
        """The form was destroyed while the box sat outside it: nothing of the form is asked again; the box goes."""
        self.alive, self.outside, self.moved = False, None, None
        self.hide()
        self.deleteLater()

    def take_out(self) -> None:
        """Out of the form, its buttons back where they were; deleted."""
        for signal in (self.form.modeChanged, self.form.featureSaved) if self.alive else ():
            try:
                signal.disconnect(self.follow)
            except (TypeError, RuntimeError):
                pass
        self.hide()
        moved, self.moved = self.moved, None
        outside, self.outside = self.outside, None
        if outside is not None and not sip.isdeleted(outside):
            outside.removeWidget(self)
            if self.alive and not sip.isdeleted(self.form):
                try:
                    self.form.destroyed.disconnect(self.form_gone)
                except (TypeError, RuntimeError):
                    pass
        if moved is not None and not sip.isdeleted(moved[0]):
            moved[0].removeWidget(self)
        self.setParent(None)
        if moved is not None and not sip.isdeleted(moved[0]):
            shift_rows(moved[0], moved[1] + 1, -1)
        self.deleteLater()

    def explain_far(self, item, basis) -> None:
        """The FAR row says what the FAR checked is computed from (floor area ÷ the drawn area, or the FAR field);
        when the layer's FAR field holds another value (beyond the profile's far_field_tolerance), a line above the
        table says that field is not what is checked — a planner editing it expects the check to change."""
        from .upstairs_dock import NOTE

        if basis is None:
            return
        how, warning = far_basis_texts(basis, getattr(self.checker, "field_map", {}) or {})
        if how:
            item.setText(NOTE, "　".join(t for t in (how, item.text(NOTE)) if t))
            item.setToolTip(NOTE, "\n".join(t for t in (warning, item.text(NOTE)) if t))
        if warning:
            self.far_note.setText(warning)
            self.far_note.show()

    def feature_id(self):
        feature = self.form.feature()
        if self.form.mode() == QgsAttributeEditorContext.Mode.AddFeatureMode or not feature.isValid():
            return None
        return feature.id()

    def follow(self, *_args) -> None:
        """The form may show another plan (the attribute table's form view moved on, a new plan saved) or be in
        another mode (the table's multi-edit or search mode: no plan of its own, no box)."""
        if not self.alive or sip.isdeleted(self.form):
            return
        wanted = self.form.mode() in SHOWN_IN
        if self.isHidden() == wanted:
            self.setVisible(wanted)
        if wanted and self.feature_id() != self.shown:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 — Qt's name
        self.follow()  # the plan may have changed while the form was hidden (the table's view switched away)
        super().showEvent(event)

    def refresh(self) -> None:
        from ..processing.upstairs import checks_table
        from .upstairs_dock import COLOURS, plan_verdict, rule_item

        if not self.alive:
            return
        fid = self.shown = self.feature_id()
        self.tree.clear()
        live = self.checker.live
        result = live.result_of(fid) if live is not None and fid is not None else None
        self.tree.setVisible(result is not None)  # a plan not in the layer yet: one line, the fields keep the room
        self.far_note.hide()
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
            item = rule_item(check, fid, (fid, check["rule_id"]) in pieces)
            if check["rule_id"] == "far":
                self.explain_far(item, live.far_basis(fid))
            self.tree.addTopLevelItem(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)


def far_basis_texts(basis, field_map: dict) -> tuple[str, str]:
    """(how the FAR checked was got, for the FAR row's note; the warning when the layer's FAR field says otherwise,
    else ""). `basis`: LivePlans.far_basis; `field_map`: the plans layer's, its own field names used."""
    far_field, floor_field = (layer_field_label(field_map, canon) for canon in ("far", "building_area"))
    if basis["from_floor_area"]:
        how = tr("computed: {floor_field} {floor} m² ÷ drawn area {area} m²").format(
            floor_field=floor_field, floor=format_value(basis["floor_area"]), area=format_value(basis["area_m2"]))
    elif field_map.get("far") and basis["field_far"] == basis["field_far"]:
        return tr("from the field {field}").format(field=far_field), ""
    else:
        return "", ""
    if not (field_map.get("far") and basis["differs"]):
        return how, ""
    return how, tr("The field {field} says {value}, but the FAR checked is {far} ({floor_field} ÷ drawn area): the "
                   "check does not read {field}, so editing it changes nothing here — the floor area and the drawn "
                   "shape decide the FAR.").format(field=far_field, value=format_value(basis["field_far"]),
                                                   far=format_value(basis["far"]), floor_field=floor_field)


def shift_rows(layout: QGridLayout, first: int, by: int) -> None:
    """Move every item of the grid in row `first` or below `by` rows (down when positive)."""
    items = []
    for index in reversed(range(layout.count())):
        row, column, rows, columns = layout.getItemPosition(index)
        if row >= first:
            item = layout.takeAt(index)
            items.append((item, row, column, rows, columns, item.alignment()))
    for item, row, column, rows, columns, alignment in reversed(items):
        layout.addItem(item, row + by, column, rows, columns, alignment)
