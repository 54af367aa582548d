"""A plan's checks in its attribute form (gui.live_form) while the upstairs panel's live mode is on: a feature form
of the plans layer shows the plan's rules — ✔ / ✘ / – with value, threshold and source — as the live check has
them, between its fields and its OK / Cancel buttons, follows edits (FAR below and back above the threshold, undo)
and the form switching to another plan; forms of other layers get nothing, a new plan's form says it is checked
once added; the edit buffer is never touched, and turning live mode off takes the box out of every form (the buttons
back in their row) and stops watching for new ones.

The forms are found as the desktop shows them — a feature form dialog activating its window (the focus moves into
it), a dialog of the main window polished before it is shown, the planner clicking into a form, an attribute
table's form view — with nothing polling: no timer of the form checks runs, and the event loop only turns."""
import pytest
from qgis.core import QgsFeature, QgsFeatureRequest, QgsProject
from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsAttributeForm, QgsDualView
from qgis.PyQt.QtCore import QEvent, QPoint, Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QScrollArea, QVBoxLayout, QWidget
from test_live_upstairs import buffer_state, command, fid_of, settle
from test_upstairs_algorithm import polygon_layer
from upstairs_data import FIELDS, case_plans, constraint_layers

from land_bureau_plugin.gui import live_form
from land_bureau_plugin.i18n import tr
from land_bureau_plugin.processing.upstairs import rule_label


@pytest.fixture()
def live(plugin, make_layer):
    yield from live_on(plugin, make_layer, FIELDS, case_plans())


@pytest.fixture()
def live_far(plugin, make_layer):
    """As `live`, on a bureau-style layer that also holds its own FAR field 容积率: 1.5 on every plan, whose floor
    area and drawing give 2.5 (P-OK) or 1.5 (P-FAR)."""
    rows = [{**row, "容积率": 1.5} for row in case_plans()]
    yield from live_on(plugin, make_layer, [*FIELDS, ("容积率", "double")], rows)


def live_on(plugin, make_layer, fields, rows):
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    shapes = constraint_layers(rows)
    plans = make_layer("MultiPolygon", fields, rows, "工业上楼方案")
    farmland = polygon_layer(make_layer, shapes["farmland"], "永久基本农田")
    others = [polygon_layer(make_layer, shapes["redline"], "生态保护红线"),
              polygon_layer(make_layer, shapes["urban_boundary"], "城镇开发边界"),
              polygon_layer(make_layer, shapes["landuse"], "用地规划", codes=shapes["landuse_codes"])]
    QgsProject.instance().addMapLayers([plans, farmland, *others])  # every rule checkable: P-OK passes them all
    dock = next(d for d in plugin.docks if isinstance(d, UpstairsDock))
    dock.pick_default_layers()
    plans.startEditing()
    dock.live_box.setChecked(True)
    assert dock.live is not None
    dialogs = []
    yield dock, plans, farmland, dialogs
    for dialog in dialogs:
        dialog = dialog[0] if isinstance(dialog, tuple) else dialog
        dialog.close()
        dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the forms go before their layer
    dock.live_box.setChecked(False)
    plans.rollBack()
    QgsProject.instance().removeAllMapLayers()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_dialog(dialogs, layer, fid, parent=None, mode=None, activate=True):
    """The feature form dialog QGIS opens on a plan (identify tool, attribute table, after drawing one): shown
    with QgsAttributeDialog.show, which activates its window (the form takes the focus), as QGIS shows it — or,
    `activate` False, only shown (QWidget.show: no focus; the main window still polishes its child). Returns
    its form, once the event loop has turned."""
    feature = layer.getFeature(fid) if fid is not None else QgsFeature(layer.fields())
    dialog = QgsAttributeDialog(layer, feature, False, parent, True)
    if mode is not None:
        dialog.setMode(mode)
    dialogs.append((dialog, feature))  # the dialog does not own the feature: kept alive beside it
    if activate:
        dialog.show()
    else:
        QWidget.show(dialog)
    turn()
    return dialog.attributeForm()


def turn(times=5):
    """Let the event loop turn (window activation, focus) as the desktop's does — no waiting for a timer."""
    for _ in range(times):
        QApplication.processEvents()


def no_timer_running(dock):
    """Nothing of the form checks polls: no active timer of theirs or of a box."""
    checks = dock.form_checks
    timers = checks.findChildren(QTimer) + [t for box in checks.boxes for t in box.findChildren(QTimer)]
    return not any(timer.isActive() for timer in timers)


def box_of(form):
    """The form's box: inside it, or under the scroll area the attribute table's form view shows the form in."""
    return live_form.box_of(form)


def rows_of(box):
    """{rule id: (rule, result, value, threshold, note)} as the form shows them."""
    tree = box.tree
    return {tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[2]:
            tuple(tree.topLevelItem(i).text(c) for c in range(5)) for i in range(tree.topLevelItemCount())}



def test_the_form_shows_the_plans_checks_and_follows_edits(live):
    dock, plans, _farmland, dialogs = live
    before = buffer_state(plans)
    ok = fid_of(plans, "P-OK")
    dialog = open_dialog(dialogs, plans, ok)
    box = box_of(dialog)
    assert box is not None and box.isVisible()
    assert no_timer_running(dock)
    rows = rows_of(box)
    live_checks = dock.live.live.checks
    expected = live_checks[live_checks["plan"] == ok]
    assert list(rows) == list(expected["rule_id"])  # every rule of the plan, in the checklist's order
    assert all(rows[r][0] == rule_label(r) for r in rows)
    assert rows["far"][1].startswith("✔") and rows["far"][2] == "2.5"  # 25 000 m² on 10 000 m²
    assert "≥" in rows["far"][3] and "2" in rows["far"][3]
    assert all(text[4] for text in rows.values())  # each rule's note ends with its source (依据)
    assert box.summary.text().startswith("✔")
    assert buffer_state(plans) == before  # opening the form and showing the checks wrote nothing

    area = plans.fields().indexOf("建筑面积")  # FAR at 1.5, then back to 2.0 exactly (passes), then undone
    for floor, glyph, shown in ((15_000.0, "✘", "1.5"), (20_000.0, "✔", "2")):
        command(plans, "FAR", lambda floor=floor: plans.changeAttributeValue(ok, area, floor))
        settle(dock.live)
        assert rows_of(box)["far"][1].startswith(glyph) and rows_of(box)["far"][2] == shown, floor
    assert box.summary.text().startswith("✔")
    plans.undoStack().undo()
    settle(dock.live)
    rows = rows_of(box)
    assert rows["far"][1].startswith("✘")
    failed = [rule for rule, text in rows.items() if text[1].startswith("✘")]
    assert failed == ["far"] and box.summary.text().startswith("✘ 1")  # "✘ 1 failed, n not checked"


def test_the_far_row_says_what_the_far_checked_comes_from_and_that_the_field_is_not_it(live_far):
    """The form shows the layer's field 容积率 = 1.5 above the box's "容积率 ✔ 2.5": the FAR checked is floor area ÷
    the drawn area (as the batch run judges it), and the box says so — its FAR row names what it is computed from,
    and a line above the table says the field's value is not the one checked, only while the field is more than the
    profile's far_field_tolerance (0.01) from it: at 2.51 and 2.49 (the tolerance) and 2.505 nothing is said, at
    2.515 and 2.485 (just beyond) and 1.5 it is. Editing the field changes no check."""
    dock, plans, _farmland, dialogs = live_far
    ok = fid_of(plans, "P-OK")
    box = box_of(open_dialog(dialogs, plans, ok))
    floor_field, far_field = plans.fields().indexOf("建筑面积"), plans.fields().indexOf("容积率")
    rows = rows_of(box)
    assert rows["far"][1].startswith("✔") and rows["far"][2] == "2.5"
    how = tr("computed: {floor_field} {floor} m² ÷ drawn area {area} m²").format(floor_field="建筑面积",
                                                                                 floor="25000", area="10000")
    assert rows["far"][4].startswith(how)
    assert not box.far_note.isHidden()
    said = box.far_note.text()
    assert "容积率" in said and "1.5" in said and "2.5" in said
    for value, shown in ((2.51, False), (2.49, False), (2.505, False), (2.5, False), (2.515, True), (2.485, True),
                         (1.5, True)):
        command(plans, "field", lambda value=value: plans.changeAttributeValue(ok, far_field, value))
        settle(dock.live)
        rows = rows_of(box)
        assert rows["far"][1].startswith("✔") and rows["far"][2] == "2.5", value  # the field changes no check
        assert box.far_note.isHidden() is not shown, value
    # the floor area changes the check; the field (1.5) now agrees with it: nothing to say
    command(plans, "floor", lambda: plans.changeAttributeValue(ok, floor_field, 15_000.0))
    settle(dock.live)
    rows = rows_of(box)
    assert rows["far"][1].startswith("✘") and rows["far"][2] == "1.5" and box.far_note.isHidden()
    # no floor area: the FAR checked is the field's, and the row says so
    command(plans, "floor", lambda: plans.changeAttributeValue(ok, floor_field, None))
    settle(dock.live)
    rows = rows_of(box)
    assert rows["far"][2] == "1.5" and rows["far"][4].startswith(tr("from the field {field}").format(field="容积率"))
    assert box.far_note.isHidden()
    command(plans, "field", lambda: plans.changeAttributeValue(ok, far_field, 2.5))
    settle(dock.live)
    assert rows_of(box)["far"][1].startswith("✔") and rows_of(box)["far"][2] == "2.5"  # now the field decides


def test_the_far_note_in_chinese_names_the_layers_own_field(chinese, plugin, make_layer):
    """In Chinese, with the FAR field called RJL (pinyin initials) and the floor area JZMJ: the row and the line
    name them as the planner knows them, 'RJL（容积率）'."""
    from land_bureau_plugin.gui.live_form import far_basis_texts

    basis = {"from_floor_area": True, "floor_area": 25_000.0, "area_m2": 10_000.0, "far": 2.5, "field_far": 1.5,
             "differs": True}
    how, warning = far_basis_texts(basis, {"far": "RJL", "building_area": "JZMJ"})
    assert how == "按JZMJ（建筑面积） ÷ 图形面积计算：25000 m² ÷ 10000 m²"
    assert warning.startswith("字段“RJL（容积率）”填写为 1.5，而核查的容积率为 2.5（JZMJ（建筑面积） ÷ 图形面积）")
    assert "修改该字段不会改变此处的核查结果" in warning
    assert far_basis_texts({**basis, "differs": False}, {"far": "RJL", "building_area": "JZMJ"}) == (how, "")
    assert far_basis_texts({**basis, "from_floor_area": False}, {"far": "RJL"}) == ("取自字段“RJL（容积率）”", "")
    # a layer without a FAR field: how the FAR is computed, nothing about a field
    assert far_basis_texts(basis, {"building_area": "JZMJ"}) == (how, "")


def test_the_box_sits_between_the_fields_and_the_buttons(live):
    """In the feature form dialog: under the form's fields, above its OK / Cancel (the tester saw it below them)."""
    dock, plans, _farmland, dialogs = live
    form = open_dialog(dialogs, plans, fid_of(plans, "P-OK"))
    box = box_of(form)
    buttons = form.findChild(QDialogButtonBox, "buttonBox")
    assert box is not None and buttons is not None and buttons.isVisible()
    top = {name: widget.mapTo(form, QPoint(0, 0)).y() for name, widget in (("box", box), ("buttons", buttons))}
    fields = next(w for w in form.findChildren(QWidget) if w.inherits("QgsScrollArea"))  # the dialog's fields
    assert fields.mapTo(form, QPoint(0, 0)).y() + fields.height() <= top["box"]
    assert top["box"] + box.height() <= top["buttons"]


def test_a_dialog_of_the_main_window_gets_the_box_before_it_is_shown(live):
    """QGIS's feature form dialogs are children of the main window: the box is in it from its first show on (the
    main window's child polished), even with no focus moving — the event loop has not turned yet."""
    dock, plans, _farmland, dialogs = live
    feature = plans.getFeature(fid_of(plans, "P-FAR"))
    dialog = QgsAttributeDialog(plans, feature, False, dock.iface.mainWindow(), True)
    dialogs.append((dialog, feature))
    assert box_of(dialog.attributeForm()) is None
    QWidget.show(dialog)  # shown without activating its window
    box = box_of(dialog.attributeForm())
    assert box is not None and rows_of(box)["far"][1].startswith("✘")
    assert no_timer_running(dock)


def test_a_form_gets_the_box_when_the_planner_clicks_into_it(live):
    """A form in some window that is neither a feature form dialog nor an attribute table (a plugin's, say), not a
    child of the main window: only the focus tells of it (the offscreen platform activates a window as it shows)."""
    dock, plans, _farmland, dialogs = live
    window = QWidget()
    form = QgsAttributeForm(plans, plans.getFeature(fid_of(plans, "P-HEIGHT")), QgsAttributeEditorContext(), window)
    QVBoxLayout(window).addWidget(form)
    dialogs.append(window)
    window.show()
    window.activateWindow()
    editor = next(w for w in form.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.ClickFocus
                  and w.isVisible() and w.inherits("QLineEdit"))
    editor.setFocus(Qt.FocusReason.MouseFocusReason)
    turn()
    box = box_of(form)
    assert box is not None and rows_of(box)["height"][1].startswith("✘")
    assert rows_of(box)["height"][2] == "120 m"
    assert no_timer_running(dock)


def test_the_attribute_tables_form_view_gets_the_box_and_follows_the_plan(live):
    """The attribute table (QgsDualView, as QGIS's attribute table embeds it): once the planner works in it, its
    form view shows the box, and moving to another plan in the form view's list moves the box to it at once."""
    dock, plans, _farmland, dialogs = live
    view = QgsDualView()
    view.init(plans, dock.iface.mapCanvas(), QgsFeatureRequest(), QgsAttributeEditorContext())
    dialogs.append(view)
    view.show()
    view.activateWindow()
    view.tableView().setFocus(Qt.FocusReason.MouseFocusReason)
    turn()
    ok, farm = fid_of(plans, "P-OK"), fid_of(plans, "P-FARM")
    view.setCurrentEditSelection([ok])
    view.setView(QgsDualView.ViewMode.AttributeEditor)  # the table's "switch to form view" button
    turn()
    form = next(w for w in view.findChildren(QWidget) if w.inherits("QgsAttributeForm") and w.isVisible())
    box = box_of(form)
    assert box is not None and box.isVisible() and box.shown == ok
    assert rows_of(box)["farmland"][1].startswith("✔")
    view.setCurrentEditSelection([farm])  # the planner clicks another plan in the form view's list
    assert box.shown == farm  # at once: no timer to wait for
    assert rows_of(box)["farmland"][1].startswith("✘") and tr("(on the map)") in rows_of(box)["farmland"][4]
    assert rows_of(box)["far"][1].startswith("✔")
    assert no_timer_running(dock)
    view.setMultiEditEnabled(True)  # the form edits every selected plan at once: no one plan's checks
    assert not box.isVisible()
    view.setMultiEditEnabled(False)
    assert box.isVisible() and box.shown == farm


def test_in_the_form_view_the_box_is_in_sight_without_scrolling(live):
    """The attribute table's form view scrolls the whole form: the box sat after the last field, inside the scroll
    area, out of sight in a small window (the 14 fields of a plan need ~450 px). It sits under the scroll area, in
    the form view's frame: in a 700 × 360 table window all of it is inside the window, the fields scroll above it;
    off, it goes and the frame holds the scroll area alone again."""
    dock, plans, _farmland, dialogs = live
    view = QgsDualView()
    view.init(plans, dock.iface.mapCanvas(), QgsFeatureRequest(), QgsAttributeEditorContext())
    dialogs.append(view)
    view.resize(700, 360)
    view.show()
    view.activateWindow()
    view.tableView().setFocus(Qt.FocusReason.MouseFocusReason)
    turn()
    view.setCurrentEditSelection([fid_of(plans, "P-OK")])
    view.setView(QgsDualView.ViewMode.AttributeEditor)
    turn()
    form = next(w for w in view.findChildren(QWidget) if w.inherits("QgsAttributeForm") and w.isVisible())
    box = box_of(form)
    assert box is not None and box.isVisible()
    scroll = next(w for w in view.findChildren(QScrollArea) if w.widget() is not None
                  and w.widget().inherits("QgsAttributeForm"))
    assert not scroll.isAncestorOf(box) and box.parentWidget() is scroll.parentWidget()
    top = box.mapTo(view, QPoint(0, 0)).y()
    assert top >= scroll.mapTo(view, QPoint(0, 0)).y() + scroll.height()  # under the fields
    assert top + box.height() <= view.height()  # seen whole without scrolling
    assert form.height() > scroll.viewport().height()  # the fields do scroll (the window is small)
    frame = scroll.parentWidget().layout()
    dock.live_box.setChecked(False)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    widgets = [frame.itemAt(i).widget() for i in range(frame.count()) if frame.itemAt(i).widget() is not None]
    assert widgets == [scroll] and box_of(form) is None


def test_other_layers_and_new_plans(live):
    dock, plans, farmland, dialogs = live
    other = open_dialog(dialogs, farmland, next(farmland.getFeatures()).id())
    assert box_of(other) is None  # not the plans layer
    new = open_dialog(dialogs, plans, None, mode=QgsAttributeEditorContext.Mode.AddFeatureMode)
    assert box_of(new) is not None and box_of(new).tree.topLevelItemCount() == 0
    assert box_of(new).summary.text()  # "checked once the plan is in the layer"
    assert not box_of(new).tree.isVisible()  # no empty table taking the new plan's fields' room
    assert box_of(open_dialog(dialogs, plans, fid_of(plans, "P-OK"))).tree.isVisible()


def grid_of(form):
    """{widget: (row, column, rows, columns)} of the grid holding the form's buttons (QGIS's form layout)."""
    buttons = form.findChild(QDialogButtonBox, "buttonBox")
    grid = buttons.parentWidget().layout()
    return {grid.itemAt(i).widget(): grid.getItemPosition(i) for i in range(grid.count())
            if grid.itemAt(i).widget() is not None}


def test_turning_live_mode_off_takes_the_boxes_out(live):
    """Off: every box out, the form's buttons back in their rows, the application's focus and the main window
    no longer listened to; on again: forms open already get their box."""
    dock, plans, _farmland, dialogs = live
    dock.live_box.setChecked(False)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app, main = QApplication.instance(), dock.iface.mainWindow()
    focus_receivers = app.receivers(app.focusObjectChanged)
    dialog = open_dialog(dialogs, plans, fid_of(plans, "P-OK"))
    grid = grid_of(dialog)
    dock.live_box.setChecked(True)  # on with a form open already
    assert box_of(dialog) is not None and grid_of(dialog) != grid
    assert app.receivers(app.focusObjectChanged) == focus_receivers + 1
    before = buffer_state(plans)
    dock.live_box.setChecked(False)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert box_of(dialog) is None
    assert grid_of(dialog) == grid  # the buttons where QGIS put them
    assert app.receivers(app.focusObjectChanged) == focus_receivers
    later = open_dialog(dialogs, plans, fid_of(plans, "P-FAR"))  # focus moved: no longer listened to
    feature = plans.getFeature(fid_of(plans, "P-HEIGHT"))
    child = QgsAttributeDialog(plans, feature, False, main, True)
    dialogs.append((child, feature))
    QWidget.show(child)  # nor the main window's children
    assert box_of(later) is None and box_of(child.attributeForm()) is None
    assert buffer_state(plans) == before
    dock.live_box.setChecked(True)  # on again: forms open already get their box
    assert all(box_of(form) is not None for form in (dialog, later, child.attributeForm()))
