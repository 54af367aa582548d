"""Runs inside the real QGIS desktop (qgis --code): drives the plugin's panels step by step.

The test talks to it through files in $LB_E2E_DIR: the driver writes `<step>.ready` when the screen shows a
step, the test takes its screenshot (ImageMagick `import -window root`) and writes `<step>.go` to continue.
Facts the test checks (menu titles, dock titles, table rows) go to `report.json`.
"""
import json
import os
import traceback
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QPoint, Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QDockWidget, QFileDialog, QLineEdit
from qgis.utils import iface, plugins

WORK = Path(os.environ["LB_E2E_DIR"])
STEPS = ["load_panel", "resettlement_panel", "supply_panel", "deadline_board", "upstairs_panel", "upstairs_print",
         "upstairs_live", "efficiency_panel", "efficiency_rules", "efficiency_print", "efficiency_live",
         "living_circle_panel", "living_circle_print"]
report = {"plugins": sorted(plugins), "errors": []}
GUARD = None  # run_step's error catcher for the current step (see guard)
LIVE = {}  # what step_upstairs_live leaves for its clean-up
EFFICIENCY_LIVE = {}  # and step_efficiency_live


def dock(name):
    return next((d for d in QApplication.allWidgets() if isinstance(d, QDockWidget) and d.objectName() == name), None)


def messages(levels=None):
    """What the message bar shows (the plugin reports there), optionally only messages of the given levels."""
    return [f"{item.title()}: {item.text()}" for item in iface.messageBar().items()
            if levels is None or item.level() in levels]


def problems():
    """The warnings and errors among the message bar's messages."""
    from qgis.core import Qgis

    return messages((Qgis.MessageLevel.Warning, Qgis.MessageLevel.Critical))


def on_screen(widget):
    """Whether a user can see the whole widget: shown, not clipped by its panel, inside the screen, and tall
    enough for its (word-wrapped) text."""
    screen = QApplication.primaryScreen().geometry()
    corners = [widget.mapToGlobal(QPoint(0, 0)), widget.mapToGlobal(QPoint(widget.width() - 1, widget.height() - 1))]
    tall_enough = not widget.hasHeightForWidth() or widget.height() >= widget.heightForWidth(widget.width())
    return (widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size() and tall_enough
            and all(screen.contains(corner) for corner in corners))


def settled(done, **checks):
    """Once the layouts have settled (the screenshot is taken now): report each {key: {name: check()}}, go on."""
    for key, named in checks.items():
        report[key] = {name: check() for name, check in named.items()}
    done()


def show(name):
    panel = dock(name)
    if not panel.isVisible():  # the way a user opens it: the menu entry
        panel.toggleViewAction().trigger()
    panel.setMinimumWidth(560)
    return panel


def step_load_panel(done):
    panel = show("landBureauLoadDock")
    report["menus"] = [a.text() for a in iface.mainWindow().menuBar().actions()]
    report["layers"] = sorted(layer.name() for layer in QgsProject.instance().mapLayers().values())
    parcels = next((lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == "地块"), None)
    if parcels is not None:
        panel.select_layer(parcels)
        panel.validate_selected()
    iface.mapCanvas().zoomToFullExtent()
    report["load_dock_title"] = panel.windowTitle()
    report["validation"] = [panel.report.item(i).text() for i in range(panel.report.count())]
    done()


def step_resettlement_panel(done):
    panel = show("landBureauResettlementDock")
    report["resettlement_dock_title"] = panel.windowTitle()
    report["resettlement_input"] = panel.layer_combo.currentLayer().name() if panel.layer_combo.currentLayer() else ""
    panel.as_of.setDate(panel.as_of.date().fromString("2026-11-27", "yyyy-MM-dd"))
    panel.run()

    def finished():
        report["resettlement_rows"] = panel.model.rowCount()
        report["resettlement_summary"] = panel.summary.text()
        result = QgsProject.instance().mapLayer(panel.result_layer_id or "")
        if result is None:
            report["errors"].append("no result layer; message bar: " + " | ".join(messages()))
        else:
            iface.mapCanvas().setExtent(result.extent().buffered(800))
            iface.mapCanvas().refresh()
        QTimer.singleShot(1500, done)

    when_idle(panel, finished)


def step_supply_panel(done):
    """土地供应监管 opened from the menu: it comes as a tab beside the resettlement monitor and due next."""
    panel = open_from_menu("landBureauLandSupplyDock")
    report["supply_dock_title"] = panel.windowTitle()
    report["supply_inputs"] = [combo.currentLayer().name() if combo.currentLayer() else ""
                               for combo in (panel.supply_combo, panel.batches_combo)]
    report["deadline_tabs"] = sorted(d.windowTitle() for d in iface.mainWindow().tabifiedDockWidgets(panel))
    panel.as_of.setDate(panel.as_of.date().fromString("2026-11-27", "yyyy-MM-dd"))
    panel.run()

    def finished():
        report["supply_rows"] = panel.parcel_model.rowCount()
        report["supply_batches"] = panel.batch_model.rowCount()
        report["supply_summary"] = panel.summary.text()
        result = QgsProject.instance().mapLayer(panel.layer_ids["result"] or "")
        if result is None:
            report["errors"].append("no land supply result; message bar: " + " | ".join(messages()))
        else:
            report["supply_legend"] = [c.label() for c in result.renderer().categories()]
            report["supply_statuses"] = [panel.parcel_model.index(r, 3).data()
                                         for r in range(panel.parcel_model.rowCount())]
            unsupplied = QgsProject.instance().mapLayer(panel.layer_ids["unsupplied"] or "")
            extent = result.extent()
            if unsupplied is not None:
                extent.combineExtentWith(unsupplied.extent())
            iface.mapCanvas().setExtent(extent.buffered(300))
            iface.mapCanvas().refresh()
        QTimer.singleShot(1500, done)

    when_idle(panel, finished)


def step_deadline_board(done):
    """到期一览: what is due next across the resettlement monitor and land supply, worst first."""
    panel = open_from_menu("landBureauDeadlineBoard")
    panel.refresh()
    report["board_title"] = panel.windowTitle()
    report["board_rows"] = panel.model.rowCount()
    report["board_kinds"] = sorted({panel.model.index(r, 0).data() for r in range(panel.model.rowCount())})
    report["board_first_grade"] = panel.view.model().index(0, 1).data() if panel.model.rowCount() else ""
    report["board_headers"] = [panel.model.headerData(c, Qt.Orientation.Horizontal)
                               for c in range(panel.model.columnCount())]
    QTimer.singleShot(1000, done)


def open_from_menu(name):
    """Open a panel the way a user does: its entry in the 规划资源 menu (the plugin then tabs it in front).
    The messages of the previous step are dismissed first, as a user would."""
    iface.messageBar().clearWidgets()
    panel = dock(name)
    menu = next(a.menu() for a in iface.mainWindow().menuBar().actions() if a.menu() and a.text() == "规划资源")
    action = next(a for a in menu.actions() if a.text() == panel.windowTitle())
    if not panel.isVisible() or panel.visibleRegion().isEmpty():  # closed, or open behind another tab
        action.trigger()
    panel.setMinimumWidth(560)
    return panel


def when_idle(panel, then):
    """Call `then()` once the panel's background task has finished."""
    def wait():
        if panel.tasks:
            QTimer.singleShot(300, wait)
        else:
            guard(then)()

    QTimer.singleShot(300, wait)


def when_modal(accepts, then, name, tries=100):
    """Call `then(dialog)` once a modal dialog that `accepts` is open (a user's next click goes there)."""
    def wait(left=tries):
        dialog = QApplication.activeModalWidget()
        if dialog is not None and accepts(dialog):
            guard(then)(dialog)
        elif left:
            QTimer.singleShot(200, lambda: wait(left - 1))
        else:
            report["errors"].append(f"{name}: the dialog did not open")

    QTimer.singleShot(200, wait)


def pause(name, then):
    """Show the screen to the test as step `name` (`name.ready`), go on with `then()` when it says `name.go`."""
    (WORK / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (WORK / f"{name}.ready").touch()

    def wait_for_go():
        if (WORK / f"{name}.go").exists():
            guard(then)()
        else:
            QTimer.singleShot(200, wait_for_go)

    wait_for_go()


def result_layer(layer_id, key):
    """The result layer by id, else an error with what the message bar says."""
    layer = QgsProject.instance().mapLayer(layer_id or "")
    if layer is None:
        report["errors"].append(f"{key}: no result layer; message bar: " + " | ".join(messages()))
    return layer


def zoom_to(layer, margin=300):
    iface.mapCanvas().setExtent(layer.extent().buffered(margin))
    iface.mapCanvas().refresh()


def legend_labels(layer):
    """The legend entries the layers panel shows under the layer (what the user reads, not the renderer's)."""
    model = iface.layerTreeView().layerTreeModel()
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    return [item.data(Qt.ItemDataRole.DisplayRole) for item in model.layerLegendNodes(node)] if node else []


def step_upstairs_panel(done):
    panel = open_from_menu("landBureauUpstairsDock")
    report["upstairs_dock_title"] = panel.windowTitle()
    report["upstairs_inputs"] = {role: (combo.currentLayer().name() if combo.currentLayer() else "")
                                 for role, combo in panel.combos.items()}
    panel.run_button.click()

    def finished():
        tree = panel.tree
        plans = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        report["upstairs_plans"] = len(plans)
        report["upstairs_headers"] = [tree.headerItem().text(c) for c in range(tree.columnCount())]
        report["upstairs_summary"] = panel.summary.text()
        report["upstairs_failed"] = sum(plan.text(1).startswith("✘") for plan in plans)
        panel.failed_only.setChecked(True)
        report["upstairs_shown_failed_only"] = sum(not plan.isHidden() for plan in plans)
        result = result_layer(panel.layer_ids["result"], "upstairs")
        violations = result_layer(panel.layer_ids["violations"], "upstairs violations")
        report["upstairs_layers"] = [layer.name() for layer in (result, violations) if layer is not None]
        report["upstairs_legend"] = legend_labels(result) if result is not None else []
        report["upstairs_violation_pieces"] = violations.featureCount() if violations is not None else 0
        # The planner opens a failing plan with a conflict on the map and clicks that rule: the map shows the
        # red pieces (selected), zoomed out a little to see the plan around them.
        fid, rule_id = next(iter(panel.violations_of), (None, None))
        plan = next((p for p in plans if p.data(0, Qt.ItemDataRole.UserRole)[1] == fid), None)
        if plan is not None:
            plan.setExpanded(True)
            rules = [plan.child(i) for i in range(plan.childCount())]
            report["upstairs_rules_of_plan"] = [[rule.text(c) for c in range(tree.columnCount())] for rule in rules]
            rule = next(r for r in rules if r.data(0, Qt.ItemDataRole.UserRole)[2] == rule_id)
            tree.setCurrentItem(rule)
            tree.scrollToItem(rule, tree.ScrollHint.PositionAtCenter)
            panel.item_clicked(rule)
            report["upstairs_clicked_rule"] = [rule.text(c) for c in range(tree.columnCount())]
            report["upstairs_selected_pieces"] = violations.selectedFeatureCount()
            report["upstairs_rule_columns_fit"] = [tree.columnWidth(c) >= tree.sizeHintForColumn(c)
                                                   for c in range(tree.columnCount() - 1)]
            iface.mapCanvas().zoomScale(iface.mapCanvas().scale() * 8)
        elif result is not None:
            zoom_to(result)
        report["upstairs_problems"] = problems()
        QTimer.singleShot(1500, lambda: settled(done, upstairs_bottom_on_screen={
            "xlsx": lambda: on_screen(panel.xlsx_button), "print": lambda: on_screen(panel.print_button)}))

    when_idle(panel, finished)


def connections(layers):
    """{"layer name.signal": receivers} of every signal of `layers`, the project and its layer tree
    (QObject.receivers: QGIS's own connections and Python's), for what live mode leaves behind. The deleteLater()s
    posted so far are done first, and Python's garbage collected: PyQt deletes the proxy of a disconnected Python
    slot later (the event loop's next turn would), and a widget Python no longer holds goes when the collector
    runs, taking its connections (a layer combo box listens to the project) at a moment of its own."""
    import gc

    from qgis.PyQt.QtCore import QCoreApplication, QEvent, QMetaMethod

    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    project = QgsProject.instance()
    counts = {}
    for name, obj in [*((layer.name(), layer) for layer in layers), ("project", project),
                      ("layer tree", project.layerTreeRoot())]:
        meta = obj.metaObject()
        for index in range(meta.methodCount()):
            method = meta.method(index)
            if method.methodType() == QMetaMethod.MethodType.Signal:
                signal = bytes(method.name()).decode()
                counts[f"{name}.{signal}"] = obj.receivers(getattr(obj, signal))
    return counts


def settings(layers):
    """Each layer as a project saves it (renderer, form configuration, custom properties …), but for its extents:
    they follow the user's edits."""
    import re

    from qgis.core import QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    saved = []
    for layer in layers:
        document = QDomDocument()
        element = document.createElement("maplayer")
        document.appendChild(element)
        layer.writeLayerXml(element, document, QgsReadWriteContext())
        saved.append(re.sub(r"\s*<(wgs84)?extent>.*?</(wgs84)?extent>|\s*<(wgs84)?extent/>", "", document.toString(),
                            flags=re.S))  # QGIS ≥ 3.40 adds a wgs84extent once worked out, on lines of their own
    return saved


def settings_changed(layers, before):
    """The lines of each layer's saved settings (`settings`) that differ from `before`."""
    import difflib

    return [line for old, new in zip(before, settings(layers))
            for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)]


def connections_left(layers, before):
    """After live mode is off: the signals whose receivers differ from `before`."""
    after = connections(layers)
    return {key: [before.get(key), after.get(key)] for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)}


def when_settled(layers, then, tries=60):
    """Call `then()` once QGIS has taken newly added `layers` in: the map shows them and the receivers of their
    signals stayed the same for 300 ms (the map canvas and others connect to a new layer a turn or more after it
    was added: counted before, they would look like live mode's)."""
    def wait(left, last):
        now = connections(layers)
        shown = all(layer in iface.mapCanvas().layers() for layer in layers)
        if (shown and now == last) or not left:
            guard(then)()
        else:
            QTimer.singleShot(300, lambda: wait(left - 1, now))

    QTimer.singleShot(300, lambda: wait(tries, None))


def watched_plans(panel):
    """The layers live mode in the upstairs panel listens to or reads: the plans and the constraint layers."""
    return [layer for layer in (combo.currentLayer() for combo in panel.combos.values()) if layer is not None]


def live_against_batch(panel, plans):
    """The live results beside landbureau:upstairscheck run now on the layer as it is (edit buffer included):
    {plan id: [live passed, batch passed, live failed rules, batch failed rules]} where they differ."""
    import processing

    params = dict(panel.parameters(), INPUT=plans)
    out = processing.run(panel.ALGORITHM, params)["OUTPUT"]
    id_field = panel.live.field_map["plan_id"]
    batch = {f[id_field]: (f["passed"], f["failed_rules"] or "") for f in out.getFeatures()}
    live = panel.live.live.plans
    differ = {}
    for fid in live.index:
        pid = panel.live.live.frame.at[fid, "plan_id"]
        mine = (None if live.at[fid, "passed"] != live.at[fid, "passed"] else int(live.at[fid, "passed"]),
                live.at[fid, "failed_rules"] or "")
        theirs = (None if batch[pid][0] is None or str(batch[pid][0]) == "NULL" else int(batch[pid][0]), batch[pid][1])
        if mine != theirs:
            differ[pid] = [*mine, *theirs]
    return {"plans": len(live), "batch_plans": len(batch), "differ": differ}


def step_upstairs_live(done):
    """A planner edits plans with live mode on: one plan moved onto permanent farmland, its floor area lowered below
    the FAR threshold, the FAR edit undone; after each, the live result beside the batch algorithm on the layer as
    it is now. The plan's feature form shows its checks. The screenshot: the red piece on the map, the checklist,
    the form. Then live mode off: its layer gone, the edit buffer as the edits left it; the edits rolled back."""
    import shutil

    from qgis.core import QgsCoordinateTransform, QgsGeometry, QgsPointXY, QgsVectorLayer

    panel = open_from_menu("landBureauUpstairsDock")
    project = QgsProject.instance()
    demo, farmland = panel.combos["upstairs_plans"].currentLayer(), panel.combos["farmland"].currentLayer()
    # The plans to edit: a copy of the demo's GeoPackage in the test's folder (opening the repository's file for
    # editing would rewrite it), added as a planner adds a layer, in place of the demo's in the panel.
    copy = WORK / "plans_edited.gpkg"
    shutil.copy(demo.source().split("|")[0], copy)
    plans = QgsVectorLayer(f"{copy}|layername=工业上楼方案", "工业上楼方案（编辑中）", "ogr")
    plans.setRenderer(demo.renderer().clone())
    project.addMapLayer(plans)
    LIVE["plans"], LIVE["demo"] = plans, demo
    panel.combos["upstairs_plans"].setLayer(plans)
    LIVE["layers_before"] = set(project.mapLayers())
    iface.setActiveLayer(plans)
    iface.actionToggleEditing().trigger()  # 切换编辑状态, as a planner starts editing
    def begin():  # once QGIS has taken the new layers in: what live mode must leave as it found
        LIVE["watched"] = watched_plans(panel)
        LIVE["connections"], LIVE["settings"] = connections(LIVE["watched"]), settings(LIVE["watched"])
        report["live_editing"] = plans.isEditable()
        panel.live_box.setChecked(True)
        checker = panel.live
        report["live_on"] = checker is not None
        live = checker.live
        passing = set(live.plans.index[live.plans["passed"] == 1])
        farmland_ok = live.checks[(live.checks["rule_id"] == "farmland") & (live.checks["status"] == "pass")]
        preferred = farmland_ok[farmland_ok["plan"].isin(passing)]  # a plan passing every rule, if the demo has one
        fid = int((preferred if len(preferred) else farmland_ok)["plan"].iloc[0])
        pid = live.frame.at[fid, "plan_id"]
        report["live_plan"] = pid
        steps = report["live_steps"] = {}
        patch = next(farmland.getFeatures())
        to_plans = QgsCoordinateTransform(farmland.crs(), plans.crs(), project)
        target = QgsGeometry(patch.geometry())
        target.transform(to_plans)
        moved = QgsGeometry(plans.getFeature(fid).geometry())
        here, there = moved.centroid().asPoint(), target.pointOnSurface().asPoint()
        moved.translate(there.x() - here.x(), there.y() - here.y())
        area_field = plans.fields().indexOf(checker.field_map["building_area"])
        land = float(live.plans.at[fid, "area_m2"])  # a Python float: a numpy one would reach the layer as an object

        def edit(name, action, then):
            plans.beginEditCommand(name)
            action()
            plans.endEditCommand()
            QTimer.singleShot(300, guard(lambda: (record(name), then())))

        def record(name):
            rows = panel.live.live.checks
            mine = rows[rows["plan"] == fid].set_index("rule_id")["status"].to_dict()
            steps[name] = {**live_against_batch(panel, plans), "farmland": mine.get("farmland"), "far": mine.get("far"),
                           "line": panel.items[fid].text(1) if fid in panel.items else ""}

        def move():
            edit("移动方案", lambda: plans.changeGeometry(fid, moved), lower_far)

        def lower_far():  # FAR 1.5 on the plan's own land: below the 2.0 minimum
            edit("修改建筑面积", lambda: plans.changeAttributeValue(fid, area_field, round(land * 1.5, 1)), undo)

        def undo():
            plans.undoStack().undo()
            QTimer.singleShot(300, guard(lambda: (record("撤销"), lower_again())))

        def lower_again():
            edit("修改建筑面积", lambda: plans.changeAttributeValue(fid, area_field, round(land * 1.5, 1)), form)

        def form():
            feature = plans.getFeature(fid)
            iface.openFeatureForm(plans, feature, False, False)  # non-modal, as the identify tool opens it
            QTimer.singleShot(800, guard(look))

        def look():
            from qgis.PyQt.QtWidgets import QGroupBox

            from land_bureau_plugin.gui.live_form import BOX_NAME

            box = next((w for w in QApplication.allWidgets() if isinstance(w, QGroupBox) and w.objectName() == BOX_NAME
                        and w.isVisible()), None)
            report["live_form"] = None if box is None else {
                "title": box.title(), "summary": box.summary.text(),
                "rows": [[box.tree.topLevelItem(i).text(c) for c in range(5)]
                         for i in range(box.tree.topLevelItemCount())]}
            if box is not None:  # between the form's fields and its OK / Cancel, found with no timer polling
                form = box.form
                buttons = form.findChild(QDialogButtonBox, "buttonBox")
                top = box.mapTo(form, QPoint(0, 0)).y()
                report["live_form"]["above_buttons"] = buttons is not None and buttons.isVisible() and (
                    top + box.height() <= buttons.mapTo(form, QPoint(0, 0)).y())
                report["live_form"]["timers"] = [t.isActive() for t in panel.form_checks.findChildren(QTimer)
                                                 + box.findChildren(QTimer)]
            canvas = iface.mapCanvas()
            right = canvas.mapToGlobal(QPoint(0, 0)).x()  # where the form ends: the map's left edge by default
            if box is not None:  # the form over the left of the map; the plan shown in the map's part beside it
                dialog = box.window()
                dialog.resize(660, 800)
                dialog.move(0, 110)
                right = dialog.frameGeometry().right()
                report["live_form_on_screen"] = on_screen(box)
            panel.tree.setCurrentItem(panel.items.get(fid))
            panel.items[fid].setExpanded(True)
            panel.tree.scrollToItem(panel.items[fid])
            canvas.setExtent(moved.boundingBox().buffered(120))
            left_edge = canvas.mapToGlobal(QPoint(0, 0)).x()
            free = max(right, left_edge), left_edge + canvas.width()  # the map's uncovered columns, on screen
            shift = ((free[0] + free[1]) / 2 - (left_edge + canvas.width() / 2)) * canvas.mapUnitsPerPixel()
            centre = moved.boundingBox().center()
            canvas.setCenter(QgsPointXY(centre.x() - shift, centre.y()))
            canvas.refresh()
            report["live_problems"] = problems()
            QTimer.singleShot(1500, done)

        move()

    when_settled([plans], begin)


def clean_up_live():
    """After the screenshot of step_upstairs_live: the form closed, live mode off, the edits rolled back."""
    panel = dock("landBureauUpstairsDock")
    plans = LIVE["plans"]
    for widget in QApplication.topLevelWidgets():
        if widget.inherits("QgsAttributeDialog") and widget.isVisible():
            widget.close()
    buffer = plans.editBuffer()
    before = (sorted(buffer.changedGeometries()), sorted(buffer.changedAttributeValues()), plans.undoStack().count())
    live_layer = panel.layer_ids["violations"]
    panel.live_box.setChecked(False)
    report["live_connections_left"] = connections_left(LIVE["watched"], LIVE["connections"])
    report["live_settings_changed"] = settings_changed(LIVE["watched"], LIVE["settings"])
    buffer = plans.editBuffer()
    after = (sorted(buffer.changedGeometries()), sorted(buffer.changedAttributeValues()), plans.undoStack().count())
    report["live_off"] = {"buffer_same": before == after, "checker": panel.live is None,
                          "layer_gone": QgsProject.instance().mapLayer(live_layer or "") is None,
                          "layers_same": set(QgsProject.instance().mapLayers()) == LIVE["layers_before"]}
    plans.rollBack()
    QgsProject.instance().removeMapLayer(plans.id())
    panel.combos["upstairs_plans"].setLayer(LIVE["demo"])


def step_efficiency_panel(done):
    clean_up_live()
    panel = open_from_menu("landBureauEfficiencyDock")
    report["efficiency_dock_title"] = panel.windowTitle()
    report["efficiency_inputs"] = [combo.currentLayer().name() if combo.currentLayer() else ""
                                   for combo in (panel.parcels_combo, panel.buildings_combo)]
    panel.run_button.click()

    def finished():
        report["efficiency_rows"] = panel.model.rowCount()
        report["efficiency_headers"] = [panel.model.headerData(c, Qt.Orientation.Horizontal)
                                        for c in range(panel.model.columnCount())]
        report["efficiency_summary"] = panel.summary.text()
        report["efficiency_districts"] = panel.districts.text()
        result = result_layer(panel.result_layer_id, "efficiency")
        clusters = QgsProject.instance().mapLayer(panel.cluster_layer_id or "")
        report["efficiency_layers"] = [layer.name() for layer in (result, clusters) if layer is not None]
        report["efficiency_legend"] = legend_labels(result) if result is not None else []
        if panel.model.rowCount():  # the planner clicks the top row (largest potential): why this parcel
            panel.view.selectRow(0)
            panel.row_clicked(panel.proxy.index(0, 0))
            report["efficiency_selected"] = result.selectedFeatureCount() if result is not None else 0
            iface.mapCanvas().zoomScale(iface.mapCanvas().scale() * 6)
        report["efficiency_why"] = panel.why.text()
        view = panel.view  # the columns a planner sees without scrolling sideways
        report["efficiency_columns_in_view"] = [
            report["efficiency_headers"][c] for c in range(panel.model.columnCount())
            if view.columnViewportPosition(c) + view.columnWidth(c) <= view.viewport().width()]
        report["efficiency_problems"] = problems()
        QTimer.singleShot(1500, lambda: settled(done, efficiency_bottom_on_screen={
            "why": lambda: on_screen(panel.why), "print": lambda: on_screen(panel.print_button)}))

    when_idle(panel, finished)


def step_efficiency_rules(done):
    """编辑规则…: the planner opens the rules beside the map (not modal), looks, and closes them."""
    panel = dock("landBureauEfficiencyDock")
    panel.rules_button.click()
    dialog = panel.rules_dialog
    dialog.move(iface.mapCanvas().mapToGlobal(QPoint(40, 20)))
    report["efficiency_rules"] = {
        "shown": dialog.isVisible(), "title": dialog.windowTitle(), "codes": panel.editor.codes.rowCount(),
        "buttons": [button.text() for button in dialog.findChild(QDialogButtonBox).buttons()]}
    QTimer.singleShot(800, done)


def print_to_png(key, panel, done):
    """打印… as a user does it: the Print button, the dialog (shown to the test as `<key>_print_dialog`), its
    Export PDF / PNG… button, then the file dialog, where the user types a .png name; the map is written there."""
    target = WORK / f"{key}_map.png"

    def in_print_dialog(dialog):
        report[f"{key}_print_dialog"] = {"title": dialog.windowTitle(), "template": dialog.template.currentText(),
                                         "export": dialog.export_button.text(),
                                         "buttons": [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()]}

        def export():
            when_modal(lambda d: isinstance(d, QFileDialog), save_as, f"{key} file dialog")
            dialog.export_button.click()

        pause(f"{key}_print_dialog", export)

    def save_as(file_dialog):
        png = next((f for f in file_dialog.nameFilters() if "png" in f.lower()), "")
        if png:
            file_dialog.selectNameFilter(png)
        file_dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))  # the user types the name
        file_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    when_modal(lambda d: type(d).__name__ == "PrintDialog", in_print_dialog, f"{key} print dialog")
    panel.print_button.click()  # returns when the dialogs are done and the map is written
    report[f"{key}_print_files"] = {str(p.name): p.stat().st_size for p in WORK.glob(f"{key}_map*.png")}
    report[f"{key}_print_messages"] = messages()
    report[f"{key}_print_problems"] = problems()
    QTimer.singleShot(1000, done)


def step_upstairs_print(done):
    print_to_png("upstairs", dock("landBureauUpstairsDock"), done)


def step_efficiency_print(done):
    panel = dock("landBureauEfficiencyDock")
    box = panel.rules_dialog.findChild(QDialogButtonBox)
    next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.RejectRole).click()  # 关闭
    report["efficiency_rules"]["closed"] = not panel.rules_dialog.isVisible()
    print_to_png("efficiency", panel, done)


def efficiency_against_batch(panel, parcels, buildings):
    """The live results beside landbureau:lowefficiency run now on the layers as they are (edit buffers included),
    row by row in the layer's order: {parcel id: [live grade, low_eff, reasons, batch grade, low_eff, reasons]}
    where they differ, and whether the merge clusters are the same groups of parcels."""
    import processing

    params = dict(panel.parameters(), PARCELS=parcels, BUILDINGS=buildings, OUTPUT="memory:")
    params.pop("CLUSTER_OUTLINES", None)
    out = list(processing.run(panel.ALGORITHM, params)["OUTPUT"].getFeatures())
    result = panel.live.live.result
    id_field = panel.live.parcel_map["parcel_id"]

    def plain(value):
        return None if value is None or str(value) == "NULL" or value != value else value

    differ, live_groups, batch_groups = {}, {}, {}
    for fid, feature in zip(result.index, out):
        mine = [plain(result.at[fid, "grade"]), int(result.at[fid, "low_eff"]), plain(result.at[fid, "reasons"])]
        theirs = [plain(feature["grade"]), int(feature["low_eff"]), plain(feature["reasons"])]
        if mine != theirs:
            differ[str(feature[id_field])] = mine + theirs
        for groups, cluster in ((live_groups, int(result.at[fid, "cluster_id"])),
                                (batch_groups, plain(feature["cluster_id"]) or 0)):
            if cluster:
                groups.setdefault(cluster, set()).add(fid)
    same_clusters = ({frozenset(g) for g in live_groups.values()} == {frozenset(g) for g in batch_groups.values()})
    return {"parcels": len(result), "batch_parcels": len(out), "differ": differ, "clusters_same": same_clusters,
            "clusters": len(live_groups)}


def step_efficiency_live(done):
    """A planner edits parcels and buildings with live mode on in the low-efficiency panel: the storeys of the
    buildings on a low-efficiency parcel raised (its FAR from the clipped buildings goes up), undone, raised again,
    then the parcel's tax changed; after each, live beside landbureau:lowefficiency on the layers as they are. The
    screenshot: the parcel explained in the panel, the live result layer on the map. Live mode off (at the start of
    the next step): its layers gone, the edit buffers as the edits left them; the edits rolled back."""
    import shutil

    import shapely
    from qgis.core import QgsCoordinateTransform, QgsProviderRegistry, QgsVectorLayer

    panel = dock("landBureauEfficiencyDock")
    project = QgsProject.instance()
    demo_parcels, demo_buildings = panel.parcels_combo.currentLayer(), panel.buildings_combo.currentLayer()
    # copies of the demo's GeoPackage to edit (editing the repository's own file would rewrite it)
    copy = WORK / "efficiency_edited.gpkg"
    shutil.copy(demo_parcels.source().split("|")[0], copy)

    def opened(demo, name):
        layer_name = QgsProviderRegistry.instance().decodeUri("ogr", demo.source()).get("layerName")
        layer = QgsVectorLayer(f"{copy}|layername={layer_name}", name, "ogr")
        layer.setRenderer(demo.renderer().clone())
        project.addMapLayer(layer)
        return layer

    parcels, buildings = opened(demo_parcels, "地块（编辑中）"), opened(demo_buildings, "建筑（编辑中）")
    EFFICIENCY_LIVE.update(parcels=parcels, buildings=buildings, demo=(demo_parcels, demo_buildings))
    panel.parcels_combo.setLayer(parcels)
    panel.buildings_combo.setLayer(buildings)
    EFFICIENCY_LIVE["layers_before"] = set(project.mapLayers())
    iface.setActiveLayer(parcels)
    iface.actionToggleEditing().trigger()  # 切换编辑状态, as a planner starts editing
    buildings.startEditing()
    def begin():  # once QGIS has taken the new layers in: what live mode must leave as it found
        watched = [parcels, buildings]
        EFFICIENCY_LIVE["connections"], EFFICIENCY_LIVE["settings"] = connections(watched), settings(watched)
        report["efficiency_live_editing"] = parcels.isEditable() and buildings.isEditable()
        panel.live_box.setChecked(True)
        checker = panel.live
        report["efficiency_live_on"] = checker is not None

        def on():  # live mode judges everything in its worker thread first (gui.live_check: starting)
            if panel.live is checker and not checker.idle():
                QTimer.singleShot(100, guard(on))
                return
            live = checker.live
            result = live.result
            storeys = buildings.fields().indexOf(checker.building_map["floors"])
            # a low-efficiency parcel whose FAR is below its minimum, with buildings standing wholly on it
            on_parcel = {}
            for building, footprint in live.buildings.clean.items():
                for parcel in live.pindex.query(shapely.bounds(footprint)):
                    if live.clean.loc[parcel].contains(footprint):
                        on_parcel.setdefault(parcel, []).append(building)
            low = [fid for fid in result.index if result.at[fid, "low_eff"] == 1 and fid in on_parcel
                   and "容积率" in str(result.at[fid, "reasons"])]
            fid = max(low, key=lambda f: result.at[f, "potential_m2"])
            pid = live.frame.at[fid, "parcel_id"]
            report["efficiency_live_parcel"] = str(pid)
            steps = report["efficiency_live_steps"] = {}
            tax = parcels.fields().indexOf(checker.parcel_map["tax"])

            def when_judged(then):
                """Once the live check is done (it judges in a worker thread) and the panel has followed."""
                def wait():
                    if panel.live is not None and not panel.live.idle():
                        QTimer.singleShot(100, wait)
                    else:
                        QTimer.singleShot(200, guard(then))
                QTimer.singleShot(100, wait)

            def edit(layer, name, action, then):
                layer.beginEditCommand(name)
                action()
                layer.endEditCommand()
                when_judged(lambda: (record(name), then()))

            def record(name):
                now = panel.live.live.result
                steps[name] = {**efficiency_against_batch(panel, parcels, buildings),
                               "far": float(now.at[fid, "far"]), "low_eff": int(now.at[fid, "low_eff"]),
                               "grade": now.at[fid, "grade"] or "", "reasons": now.at[fid, "reasons"] or "",
                               "why": panel.why.text(), "summary": panel.summary.text()}

            def explain_first():
                panel.explain(checker.feature_of[fid])
                record("开始")
                raise_storeys()

            def set_storeys(value):
                for building in on_parcel[fid]:
                    buildings.changeAttributeValue(building, storeys, value)

            def raise_storeys():
                edit(buildings, "加高建筑", lambda: set_storeys(12), undo)

            def undo():
                buildings.undoStack().undo()
                when_judged(lambda: (record("撤销"), raise_again()))

            def raise_again():
                edit(buildings, "加高建筑", lambda: set_storeys(12), change_tax)

            def change_tax():
                edit(parcels, "修改税收", lambda: parcels.changeAttributeValue(fid, tax, 5000.0), look)

            def look():
                layer = panel.live.result_layer
                layer.selectByIds([checker.feature_of[fid]])
                canvas = iface.mapCanvas()
                extent = layer.getFeature(checker.feature_of[fid]).geometry().boundingBox()
                to_map = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), project)
                extent = to_map.transformBoundingBox(extent)
                extent.scale(6.0)
                canvas.setExtent(extent)
                canvas.refresh()
                row = next((r for r in range(panel.model.rowCount())
                            if panel.model.feature_id(r) == checker.feature_of[fid]), None)
                if row is not None:
                    panel.view.scrollTo(panel.proxy.mapFromSource(panel.model.index(row, 0)))
                    panel.view.selectRow(panel.proxy.mapFromSource(panel.model.index(row, 0)).row())
                report["efficiency_live_layers"] = [lyr.name() for lyr in project.mapLayers().values()
                                                    if lyr.customProperty("land_bureau_live_check")]
                report["efficiency_live_problems"] = problems()
                QTimer.singleShot(1500, done)

            QTimer.singleShot(500, guard(explain_first))

        QTimer.singleShot(100, guard(on))

    when_settled([parcels, buildings], begin)


def clean_up_efficiency_live():
    """After the screenshot of step_efficiency_live: live mode off, the edits rolled back, the demo layers back."""
    panel = dock("landBureauEfficiencyDock")
    parcels, buildings = EFFICIENCY_LIVE["parcels"], EFFICIENCY_LIVE["buildings"]

    def state():
        return [(sorted(layer.editBuffer().changedGeometries()), sorted(layer.editBuffer().changedAttributeValues()),
                 layer.undoStack().count()) for layer in (parcels, buildings)]

    before = state()
    live_layers = [panel.live.result_layer.id(), panel.live.cluster_layer.id()] if panel.live is not None else []
    panel.live_box.setChecked(False)
    watched = [parcels, buildings]
    report["efficiency_live_connections_left"] = connections_left(watched, EFFICIENCY_LIVE["connections"])
    report["efficiency_live_settings_changed"] = settings_changed(watched, EFFICIENCY_LIVE["settings"])
    report["efficiency_live_off"] = {
        "buffer_same": state() == before, "checker": panel.live is None,
        "layers_gone": all(QgsProject.instance().mapLayer(i) is None for i in live_layers) and bool(live_layers),
        "layers_same": set(QgsProject.instance().mapLayers()) == EFFICIENCY_LIVE["layers_before"]}
    for layer in (parcels, buildings):
        layer.rollBack()
        QgsProject.instance().removeMapLayer(layer.id())
    panel.parcels_combo.setLayer(EFFICIENCY_LIVE["demo"][0])
    panel.buildings_combo.setLayer(EFFICIENCY_LIVE["demo"][1])


def step_living_circle_panel(done):
    """15分钟生活圈 on the demo: the planner opens it from the menu, the inputs are picked by role, runs it, reads
    the chart and the table per district, and looks at the map around the well-served neighbourhood."""
    clean_up_efficiency_live()
    panel = open_from_menu("landBureauLivingCircleDock")
    report["living_circle_dock_title"] = panel.windowTitle()
    report["living_circle_inputs"] = [combo.currentLayer().name() if combo.currentLayer() else ""
                                      for combo in (panel.homes_combo, panel.places_combo, panel.roads_combo)]
    panel.run_button.click()

    def finished():
        report["living_circle_rows"] = panel.model.rowCount()
        report["living_circle_headers"] = [panel.model.headerData(c, Qt.Orientation.Horizontal)
                                           for c in range(panel.model.columnCount())]
        report["living_circle_table"] = [[str(panel.model.data(panel.model.index(r, c)))
                                          for c in range(panel.model.columnCount())]
                                         for r in range(panel.model.rowCount())]
        report["living_circle_summary"] = panel.summary.text()
        result = result_layer(panel.result_layer_id, "living circle")
        gaps = QgsProject.instance().mapLayer(panel.gaps_layer_id or "")
        report["living_circle_layers"] = [layer.name() for layer in (result, gaps) if layer is not None]
        report["living_circle_legend"] = legend_labels(result) if result is not None else []
        root = QgsProject.instance().layerTreeRoot()
        for node in root.findLayers():  # the other panels' results off, as a planner turns to this one
            keep = node.layer() in (result, gaps) or not node.layer().customProperty("land_bureau/result_of")
            node.setItemVisibilityChecked(bool(keep))
        if result is not None:
            covered = [f for f in result.getFeatures() if f["basic_covered"] == 1]
            if covered:  # the neighbourhood with every basic facility, and the gaps around it
                iface.mapCanvas().setExtent(covered[0].geometry().boundingBox().buffered(900))
                iface.mapCanvas().refresh()
            else:
                zoom_to(result)
        report["living_circle_problems"] = problems()
        QTimer.singleShot(1500, lambda: settled(done, living_circle_bottom_on_screen={
            "xlsx": lambda: on_screen(panel.xlsx_button), "print": lambda: on_screen(panel.print_button)}))

    when_idle(panel, finished)


def step_living_circle_print(done):
    print_to_png("living_circle", dock("landBureauLivingCircleDock"), done)


def run_step(index=0):
    if index >= len(STEPS):
        (WORK / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        QTimer.singleShot(200, QApplication.instance().quit)
        return
    name = STEPS[index]
    shown = []

    def done():
        if not shown:  # once, also when a failure comes after the step already showed its screen
            shown.append(name)
            pause(name, lambda: run_step(index + 1))

    def guarded(function, *args):
        try:
            function(*args)
        except Exception as exc:  # the test reads this instead of a hung desktop
            where = traceback.extract_tb(exc.__traceback__)[-1]
            report["errors"].append(f"{name}: {exc!r} (line {where.lineno}: {where.line})")
            done()

    global GUARD
    GUARD = guarded
    guarded(globals()[f"step_{name}"], done)


def guard(function):
    """A callback of a step (timer, dialog) whose failure is reported like the step's own."""
    return lambda *args: GUARD(function, *args)


# Xvfb has no window manager to maximise a window: give the main window the whole screen ourselves.
iface.mainWindow().setGeometry(QApplication.primaryScreen().geometry())
iface.mainWindow().show()
QTimer.singleShot(4000, run_step)
