"""A plan's checks in its attribute form (gui.live_form) while the upstairs panel's live mode is on: a feature form
of the plans layer shows the plan's rules — ✔ / ✘ / – with value, threshold and source — as the live check has
them, follows edits (FAR below and back above the threshold, undo) and the form switching to another plan; forms
of other layers get nothing, a new plan's form says it is checked once added; the edit buffer is never touched, and
turning live mode off takes the box out of every form and stops watching for new ones."""
import time

import pytest
from qgis.core import QgsFeature, QgsProject
from qgis.gui import QgsAttributeEditorContext, QgsAttributeForm
from qgis.PyQt.QtCore import QEvent, Qt
from qgis.PyQt.QtWidgets import QApplication, QGroupBox
from test_live_upstairs import buffer_state, command, fid_of, settle
from test_upstairs_algorithm import polygon_layer
from upstairs_data import FIELDS, case_plans, constraint_layers

from land_bureau_plugin.gui.live_form import BOX_NAME, SCAN_MS
from land_bureau_plugin.i18n import tr
from land_bureau_plugin.processing.upstairs import rule_label


@pytest.fixture()
def live(plugin, make_layer):
    from land_bureau_plugin.gui.upstairs_dock import UpstairsDock

    rows = case_plans()
    shapes = constraint_layers(rows)
    plans = make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案")
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
        dialog.close()
        dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the forms go before their layer
    dock.live_box.setChecked(False)
    plans.rollBack()
    QgsProject.instance().removeAllMapLayers()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_form(dialogs, layer, fid, mode=None):
    """The feature form QGIS opens on a plan (the form a QgsAttributeDialog or the attribute table embeds), shown.
    """
    feature = layer.getFeature(fid) if fid is not None else QgsFeature(layer.fields())
    form = QgsAttributeForm(layer, feature, QgsAttributeEditorContext())
    if mode is not None:
        form.setMode(mode)
    form.show()
    dialogs.append(form)
    wait_for_scan()
    return form


def wait_for_scan():
    """Let the panel's form scan (every SCAN_MS) run, as the desktop's event loop does."""
    deadline = time.monotonic() + 2 * SCAN_MS / 1000
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


def box_of(form):
    return form.findChild(QGroupBox, BOX_NAME)


def rows_of(box):
    """{rule id: (rule, result, value, threshold, note)} as the form shows them."""
    tree = box.tree
    return {tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[2]:
            tuple(tree.topLevelItem(i).text(c) for c in range(5)) for i in range(tree.topLevelItemCount())}


def test_the_form_shows_the_plans_checks_and_follows_edits(live):
    dock, plans, _farmland, dialogs = live
    before = buffer_state(plans)
    ok = fid_of(plans, "P-OK")
    dialog = open_form(dialogs, plans, ok)
    box = box_of(dialog)
    assert box is not None and box.isVisible()
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


def test_the_form_follows_the_feature_it_shows(live):
    dock, plans, _farmland, dialogs = live
    dialog = open_form(dialogs, plans, fid_of(plans, "P-OK"))
    box = box_of(dialog)
    farm = fid_of(plans, "P-FARM")
    dialog.setFeature(plans.getFeature(farm))  # as the attribute table's form view switches plans
    box.follow()  # what its timer does every FOLLOW_MS
    assert box.shown == farm
    assert rows_of(box)["farmland"][1].startswith("✘") and tr("(on the map)") in rows_of(box)["farmland"][4]
    assert rows_of(box)["far"][1].startswith("✔")


def test_other_layers_and_new_plans(live):
    dock, plans, farmland, dialogs = live
    other = open_form(dialogs, farmland, next(farmland.getFeatures()).id())
    assert box_of(other) is None  # not the plans layer
    new = open_form(dialogs, plans, None, QgsAttributeEditorContext.Mode.AddFeatureMode)
    assert box_of(new) is not None and box_of(new).tree.topLevelItemCount() == 0
    assert box_of(new).summary.text()  # "checked once the plan is in the layer"


def test_turning_live_mode_off_takes_the_boxes_out(live):
    dock, plans, _farmland, dialogs = live
    dialog = open_form(dialogs, plans, fid_of(plans, "P-OK"))
    assert box_of(dialog) is not None
    before = buffer_state(plans)
    dock.live_box.setChecked(False)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert box_of(dialog) is None
    later = open_form(dialogs, plans, fid_of(plans, "P-FAR"))
    assert box_of(later) is None  # no longer watching for forms
    assert buffer_state(plans) == before
    dock.live_box.setChecked(True)  # on again: forms open already get their box
    assert box_of(dialog) is not None and box_of(later) is not None


def test_a_form_in_the_attribute_tables_form_view_gets_the_box(live):
    """QgsAttributeForm used directly (the attribute table's form view embeds one)."""
    dock, plans, _farmland, dialogs = live
    form = QgsAttributeForm(plans, plans.getFeature(fid_of(plans, "P-HEIGHT")))
    form.show()
    dialogs.append(form)
    wait_for_scan()
    box = form.findChild(QGroupBox, BOX_NAME)
    assert box is not None and rows_of(box)["height"][1].startswith("✘")
    assert rows_of(box)["height"][2] == "120 m"
