"""工业上楼核查 / Industrial upstairs check panel: run `landbureau:upstairscheck` in the background on the layers
preselected by role, then show the leadership's figures and a per-plan checklist (plan → rules, ✔ / ✘ / – with the
measured value and the threshold). Clicking a plan zooms to it, clicking a rule with a conflict zooms to the red
violation pieces drawn over the plans. The checklist exports to XLSX."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from qgis.core import Qgis, QgsProject
from qgis.gui import QgsCollapsibleGroupBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ..analysis.upstairs_plans import plan_names
from ..analysis.upstairs_rules import FAIL, PASS, UNCHECKED
from ..analysis.upstairs_text import UPSTAIRS_TEMPLATES, format_value
from ..i18n import tr, translate_in
from ..layouts.themes import PRINT_NOTE_KEY, PRINT_SOURCES_KEY, UPSTAIRS, sources_note, summary_note
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import field_names, read_columns
from .common import RESULT_LAYER_KEY, PanelDock, layer_filter, relabel_categories
from .land_use_choice import BesideOrUnder, system_combo, system_parameter

GLYPHS = {PASS: "✔", FAIL: "✘", UNCHECKED: "–"}
COLOURS = {PASS: "#1a9641", FAIL: "#d7191c", UNCHECKED: "#757575"}
PLAN, RULE = "plan", "rule"  # what a tree item stands for (its UserRole data)
COLUMNS = 5  # plan / rule, result, value, threshold, note (a rule's note ends with its source, 依据)
NOTE = 4
PLAN_CHARACTERS = 20  # the plan / rule column at most this many Chinese characters wide (fit_columns)


def status_words() -> dict[str, str]:
    return {PASS: tr("passed"), FAIL: tr("failed"), UNCHECKED: tr("not checked")}


def checklist_frame(checks: pd.DataFrame, reasons: dict, unjudged=frozenset()) -> pd.DataFrame:
    """The export: one row per plan (id, result, one column per rule: "✘ 1.6 (≥ 2)", reasons), in plan order.

    `checks` has the CHECKS columns (plan_fid, plan_id, rule, status, value, threshold, unit, note); `reasons` maps
    plan_fid to the plan's reasons; `unjudged` the plan_fids whose `passed` is empty. A plan passes only when every
    rule was checked and passed; nothing failed and something open (a field or layer missing, a data error, no
    usable geometry: the reasons say which) is "not checked" (未核查); a failure is shown whatever else is open.
    """
    if checks.empty:
        return pd.DataFrame(columns=[tr("Plan id"), tr("Result"), tr("Reasons")])
    value = pd.Series([format_value(v) for v in checks["value"]], index=checks.index)
    measured = (value + " " + checks["unit"].fillna("")).str.strip()
    limit = np.where(checks["threshold"].fillna("") != "", " (" + checks["threshold"].fillna("") + ")", "")
    # unchecked, or judged on something else than a value (a plan's own land-use code): the note says what
    noted = (checks["status"] == UNCHECKED) | (value == "")
    cell = checks["status"].map(GLYPHS) + " " + np.where(noted, checks["note"].fillna(""),
                                                         measured + np.where(checks["status"] == FAIL, limit, ""))
    wide = pd.DataFrame({"plan_fid": checks["plan_fid"], "rule": checks["rule"], "cell": cell.str.strip()})
    order = pd.unique(checks["plan_fid"])
    table = wide.pivot(index="plan_fid", columns="rule", values="cell").reindex(order)
    table = table[list(pd.unique(checks["rule"]))]
    by_plan = checks.groupby("plan_fid", sort=False)["status"]
    failed = by_plan.agg(lambda s: (s == FAIL).any()).reindex(order).to_numpy(dtype=bool)
    # a copy, written below: to_numpy is a read-only view under pandas 3's Copy-on-Write (Export failed there)
    open_ = np.array(by_plan.agg(lambda s: (s == UNCHECKED).any()).reindex(order), dtype=bool)
    open_ |= np.isin(order, list(unjudged))
    first = checks.groupby("plan_fid", sort=False)["plan_id"].first().reindex(order)
    # passed only when every rule was checked (a plan with a failure is failed whatever else is open)
    result = np.where(failed, status_words()[FAIL], np.where(open_, status_words()[UNCHECKED],
                                                            status_words()[PASS])).astype(object)
    table.insert(0, tr("Result"), result)
    table.insert(0, tr("Plan id"), first.fillna("").to_numpy())
    table[tr("Reasons")] = [reasons.get(fid, "") for fid in order]
    if "source" in checks:  # 依据: the source of each rule a plan failed
        failing = checks[checks["status"] == FAIL]
        cited = (failing["rule"].fillna(failing["rule_id"]) + tr(": ") + failing["source"].fillna(""))
        per_plan = cited.groupby(failing["plan_fid"], sort=False).agg(tr("; ").join)
        table[tr("Sources")] = [per_plan.get(fid, "") for fid in order]
    return table.reset_index(drop=True)


def checklist_names(checks: pd.DataFrame) -> dict:
    """{plan fid: name} of a run's checklist (CHECKS rows): the plan id, "#12" without one, "P-7 (feature 12)" when
    more than one plan has the id — the one rule for naming plans (analysis.upstairs_plans.plan_names), which the
    live check, the save warning and the reasons' overlapping plans follow too."""
    if checks.empty:
        return {}
    first = checks.groupby("plan_fid", sort=False)["plan_id"].first()
    ids = np.array([value if isinstance(value, str) else "" for value in first], dtype=object)
    template = translate_in("reasons", UPSTAIRS_TEMPLATES["plan_of_feature"])
    return dict(zip(first.index, plan_names(ids, first.index, template)))


def _text(value) -> str:
    """A text cell of the checklist; "" for NULL (None, NaN)."""
    return value if isinstance(value, str) else ""


def rule_counts(failed: int, unchecked: int) -> str:
    """A plan's result in the checklist (under 核查结果, not under the rules' 实测值): "✘ 2 failed, 1 not checked",
    "– not checked: 1 rule(s)" (nothing failed, not everything checked: never a pass), "✔ passed"."""
    if failed and unchecked:
        counts = tr("{failed} failed, {open} not checked").format(failed=failed, open=unchecked)
    elif failed:
        counts = tr("{failed} failed").format(failed=failed)
    elif unchecked:
        counts = tr("not checked: {open} rule(s)").format(open=unchecked)
    else:
        counts = status_words()[PASS]
    return f"{GLYPHS[verdict_of(failed, unchecked)]} {counts}"


def live_summary(counts: dict) -> str:
    """The live check's line, with the counts a run's summary gives (passed, failed, not checked: 未核查)."""
    return tr("Live check: {plans} plans; passed {passed}, failed {failed}, not checked {open}").format(
        plans=counts["plans"], passed=counts["passed"], failed=counts["failed"], open=counts["not_checked"])


def verdict_of(failed: int, unchecked: int) -> str:
    """FAIL when a rule failed, UNCHECKED when nothing failed but a rule is open, PASS only when all passed (as
    analysis.upstairs_tables.verdicts)."""
    return FAIL if failed else UNCHECKED if unchecked else PASS


def plan_verdict(checks: pd.DataFrame, unjudged: bool) -> tuple[str, str]:
    """A plan's verdict (PASS / FAIL / UNCHECKED) and its line under 核查结果 from its checklist rows; `unjudged`:
    its `passed` is empty. The panel and the plan's attribute form (gui.live_form) say the same."""
    status = checks["status"].to_numpy()
    fails, open_ = int((status == FAIL).sum()), int((status == UNCHECKED).sum())
    verdict = verdict_of(fails, open_ or unjudged)
    counts = rule_counts(fails, open_)
    if verdict == UNCHECKED and not open_:  # no geometry under attribute rules only: still not a pass
        counts = f"{GLYPHS[UNCHECKED]} {status_words()[UNCHECKED]}"
    return verdict, counts


def rule_item(check: pd.Series, fid, on_map: bool) -> QTreeWidgetItem:
    """One rule of a plan's checklist (a row of CHECK_FIELDS): rule, ✔ / ✘ / – and the word, the value, the
    threshold, and the note ending with the rule's source (依据, also the threshold's tooltip). The panel's checklist
    and the plan's attribute form (gui.live_form) show the same rows."""
    status = check["status"]
    unit = check["unit"] or ""
    value = format_value(check["value"])
    source, note = (_text(check.get(name)) for name in ("source", "note"))
    source = tr("Source: {source}").format(source=source) if source else ""
    where = tr("(on the map)") if on_map else ""
    item = QTreeWidgetItem([check["rule"] or check["rule_id"], f"{GLYPHS[status]} {status_words()[status]}",
                            f"{value} {unit}".strip() if value else "", f"{check['threshold'] or ''} {unit}".strip(),
                            "　".join(t for t in (note, where, source) if t)])
    item.setToolTip(3, source)
    item.setToolTip(NOTE, item.text(NOTE))
    item.setForeground(1, QBrush(QColor(COLOURS[status])))
    item.setData(0, Qt.ItemDataRole.UserRole, (RULE, fid, check["rule_id"]))
    return item


class UpstairsDock(PanelDock):
    OBJECT_NAME = "landBureauUpstairsDock"
    ALGORITHM = "landbureau:upstairscheck"
    INPUTS = (("upstairs_plans", "INPUT"), ("farmland", "FARMLAND"), ("redline", "REDLINE"),
              ("urban_boundary", "URBAN_BOUNDARY"), ("landuse", "LANDUSE"))
    INPUT_ROLES = {role: f"{role}_combo" for role, _ in INPUTS}

    def __init__(self, iface):
        super().__init__(iface, tr("Industrial upstairs check"))
        labels = {"INPUT": tr("Plans layer"), "FARMLAND": tr("Permanent basic farmland"),
                  "REDLINE": tr("Ecological red line"), "URBAN_BOUNDARY": tr("Urban development boundary"),
                  "LANDUSE": tr("Land use (with codes)")}
        # what an empty choice means: the rule is not checked, or (land use) each plan's own code is used
        empty = {"LANDUSE": tr("none: each plan's own land-use code")}
        form = QFormLayout()
        # a narrow panel puts a field under its (long) label rather than cut its text (the code system's)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.combos = {}
        for role, parameter in self.INPUTS:
            combo = QgsMapLayerComboBox()
            combo.setFilters(layer_filter("PolygonLayer"))
            if parameter != "INPUT":
                combo.setAllowEmptyLayer(True, empty.get(parameter, tr("none: rule not checked")))
                # an optional layer is chosen by role or by the user, never by default; the empty row (not -1,
                # a blank box) shows what leaving it empty means
                combo.setCurrentIndex(0)
            if parameter == "LANDUSE":  # how land-use codes are read (the layer's, else the plans' own)
                self.land_use_system = system_combo()
                form.addRow(labels[parameter], BesideOrUnder(combo, self.land_use_system))
            else:
                form.addRow(labels[parameter], combo)
            self.combos[role] = combo
            setattr(self, self.INPUT_ROLES[role], combo)
        self.profile = QgsFileWidget()
        self.profile.setFilter(tr("Rule profile (*.json)"))
        self.profile.lineEdit().setPlaceholderText(tr("bundled default"))
        form.addRow(tr("Rule profile"), self.profile)
        self.layout.addLayout(form)
        self.add_run_row_and_summary(cancellable=True)
        self.districts = QLabel()  # one line per district, folded away so the checklist stays in view
        self.districts_box = QgsCollapsibleGroupBox(tr("Per district"))
        self.districts_box.setCollapsed(True)
        self.districts_box.setVisible(False)
        QVBoxLayout(self.districts_box).addWidget(self.districts)
        self.layout.addWidget(self.districts_box)
        self.live_box = QCheckBox(tr("Check live while the plans are edited"))
        self.live_box.setToolTip(tr("While the plans layer is in edit mode, each change re-checks the plans it "
                                    "affects with the same rules as the full check; the checklist and the red "
                                    "pieces follow. Nothing is written to the layer; turning this off removes the "
                                    "live layer."))
        self.layout.addWidget(self.live_box)
        self.failed_only = QCheckBox(tr("Show failed plans only"))
        self.layout.addWidget(self.failed_only)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels([tr("Plan / rule"), tr("Result"), tr("Value"), tr("Threshold"), tr("Note")])
        self.tree.setUniformRowHeights(True)
        self.layout.addWidget(self.tree, 1)
        self.xlsx_button = QPushButton(tr("Export XLSX…"))
        self.layout.addWidget(self.xlsx_button)
        self.add_print_button("upstairs", layer=self.printed_layer)

        self.layer_ids = {"source": None, "result": None, "violations": None}
        self.run_shown = False  # the checklist is the last run's (its result layer is what Print prints)
        self.run_violations = None  # the last run's violations layer while live mode shows its own
        self.checks = pd.DataFrame()
        self.rows_of_plan: dict = {}  # plan fid -> row positions in self.checks
        self.violations_of: dict = {}  # (plan fid, rule id) -> violation feature ids
        self.reasons: dict = {}  # plan fid -> reasons
        self.unjudged: set = set()  # plan fids neither passed nor failed (passed empty: 未核查)
        self.names: dict = {}  # plan fid -> how the checklist names it (checklist_names)
        self.items: dict = {}  # plan fid -> its top-level item in the checklist
        self.live_checks: dict = {}  # live mode: plan fid -> its checks since the last full refresh (None: deleted)
        self.live = None  # the LiveUpstairs checker while live mode is on
        self.form_checks = None  # and its boxes in the plans' attribute forms (gui.live_form)
        self.commit_blocker = None  # registered with QGIS ≥ 4.0 when the profile refuses failing saves
        self.run_button.clicked.connect(self.run)
        self.failed_only.toggled.connect(self.filter_plans)
        self.live_box.toggled.connect(self.set_live)
        self.live_layers = None  # the plans and constraint layers live mode runs on
        self.live_restart_due = False
        for combo in self.combos.values():
            combo.layerChanged.connect(self.restart_live)
        self.profile.fileChanged.connect(self.live_rules_changed)
        self.land_use_system.currentIndexChanged.connect(self.live_rules_changed)
        self.tree.itemExpanded.connect(self.fill_rules)
        self.tree.itemClicked.connect(self.item_clicked)
        self.xlsx_button.clicked.connect(self.export)
        self.follow_project_layers()

    # --- running ------------------------------------------------------------------------------------------------
    def parameters(self) -> dict:
        params = {"OUTPUT": "memory:", "VIOLATIONS": "memory:", "CHECKS": "memory:",
                  **system_parameter(self.land_use_system)}
        for role, parameter in self.INPUTS:
            layer = self.combos[role].currentLayer()
            if layer is not None:
                params[parameter] = layer
        if self.profile.filePath().strip():
            params["PROFILE"] = self.profile.filePath().strip()
        return params

    def run(self) -> None:
        source = self.combos["upstairs_plans"].currentLayer()
        if source is None:
            self.push(tr("Choose the plans layer first"), Qgis.MessageLevel.Warning)
            return
        # a run replaces the violations layer, live mode's own while it is on: off first (as the low-efficiency
        # panel does), so the run's layers and checklist are all that is shown
        self.live_box.setChecked(False)
        self.layer_ids["source"] = source.id()
        self.set_running(True)
        self.run_algorithm(self.ALGORITHM, self.parameters(), self.finished, self.progress)

    def finished(self, ok, results, context, feedback) -> None:
        if self.run_failed(ok, feedback, tr("The upstairs check failed: {error}")):
            return
        source = QgsProject.instance().mapLayer(self.layer_ids["source"])
        result = context.takeResultLayer(results["OUTPUT"])
        violations = context.takeResultLayer(results["VIOLATIONS"])
        checks = context.takeResultLayer(results["CHECKS"])
        self.add_result_layers(result, violations, source)
        result.setCustomProperty(PRINT_NOTE_KEY, summary_note(results["SUMMARY"]))  # the land-use codes, printed
        result.setCustomProperty(PRINT_SOURCES_KEY, sources_note(results["SUMMARY"], UPSTAIRS))  # 依据
        self.read_results(result, violations, checks, source)
        self.show_summary(json.loads(results["SUMMARY"]))
        self.show_tree()
        self.run_shown = True

    def printed_layer(self):
        """What Print prints: the last run's result layer while the checklist shows that run — not in live mode or
        after it (the checklist then is of edits no run made), when Print says there is nothing to print."""
        return QgsProject.instance().mapLayer(self.layer_ids["result"] or "") if self.run_shown else None

    def add_result_layers(self, result, violations, source) -> None:
        """The checked plans, then the red violations above them; a rerun replaces both."""
        result.setName(tr("{layer} (check result)").format(layer=source.name() if source else ""))
        violations.setName(tr("Upstairs violations"))
        for layer, style, key in ((result, "upstairs_result", "result"),
                                  (violations, "upstairs_violations", "violations")):
            layer.setCustomProperty(RESULT_LAYER_KEY, source.id() if source else "")
            self.layer_ids[key] = self.replace_layer(self.layer_ids[key], layer, style)
        words = status_words()
        relabel_categories(result, {1: words[PASS], "1": words[PASS], 0: words[FAIL], "0": words[FAIL],
                                    "undecided": words[UNCHECKED]})

    def read_results(self, result, violations, checks, source) -> None:
        """The checklist, the violation pieces by plan and rule, and each plan's reasons.

        The result layer holds the plans in the order they were read, so its n-th feature is the n-th plan of
        the checklist; its plan ids must agree, else the reasons are left out rather than shown on the wrong plan.
        """
        self.live_checks = {}
        self.checks = read_columns(checks, {name: name for name in field_names(checks)}).frame.reset_index(drop=True)
        self.checks["value"] = pd.to_numeric(self.checks["value"], errors="coerce")
        self.rows_of_plan = self.checks.groupby("plan_fid", sort=False).indices
        pieces = read_columns(violations, {"plan_fid": "plan_fid", "rule_id": "rule_id"}).frame
        self.violations_of = {key: list(group.index) for key, group in pieces.groupby(["plan_fid", "rule_id"])}
        plan_id_field = field_map_of(source, "upstairs_plans").get("plan_id") if source else None
        wanted = {"reasons": "reasons", "passed": "passed"}
        if plan_id_field in field_names(result):
            wanted["plan_id"] = plan_id_field
        out = read_columns(result, wanted).frame
        order = list(self.rows_of_plan)
        first_ids = [self.checks.at[rows[0], "plan_id"] or "" for rows in self.rows_of_plan.values()]
        agrees = len(out) == len(order) and ("plan_id" not in out
                                             or [str(v or "") for v in out["plan_id"]] == first_ids)
        self.reasons = dict(zip(order, out["reasons"].fillna(""))) if agrees else {}
        self.unjudged = {fid for fid, passed in zip(order, out["passed"]) if pd.isna(passed)} if agrees else set()
        self.names = checklist_names(self.checks)

    def show_summary(self, summary: dict) -> None:
        """The totals and the failures per rule on top; the per-district lines in the folded box."""
        from ..processing.upstairs import summary_lines

        lines = summary.get("text", [])
        main = summary_lines({**summary, "per_district": {}}) if "figures" in summary else lines
        districts = [line for line in lines if line not in main]
        self.summary.setText("<br>".join(main))
        self.districts.setText("<br>".join(districts))
        self.districts_box.setVisible(bool(districts))

    # --- the checklist ------------------------------------------------------------------------------------------
    def clear_checklist(self) -> None:
        """Live mode turned off: its checklist and figures go — they were of edits that may since have been saved
        or rolled back, and no run made them; the next run shows its own. The panel is as before a run: the progress
        bar empty, Export and Print saying there is nothing to export or print (the last run's layers stay in the
        project, replaced by the next run)."""
        self.tree.clear()
        self.progress.reset()  # empty, as before a run (not "0%")
        self.run_shown = False
        self.items, self.rows_of_plan, self.reasons, self.violations_of = {}, {}, {}, {}
        self.unjudged = set()
        self.names = {}
        self.checks = pd.DataFrame()
        self.summary.setText(tr("Live check off: run the check for its results"))
        self.districts.setText("")
        self.districts_box.setVisible(False)

    def show_tree(self) -> None:
        """One top-level item per plan; its rules are added when it is first expanded (10k plans stay quick)."""
        self.tree.clear()
        self.items = {fid: self.plan_item(fid) for fid in self.rows_of_plan}
        self.tree.addTopLevelItems(list(self.items.values()))
        self.fit_columns()
        self.filter_plans()

    def plan_checks(self, fid) -> pd.DataFrame | None:
        """A plan's rows of the checklist (CHECK_FIELDS), None when it has none: the last run's, or in live mode
        its latest re-check."""
        if fid in self.live_checks:
            return self.live_checks[fid]
        rows = self.rows_of_plan.get(fid)
        return None if rows is None else self.checks.iloc[rows]

    def plan_item(self, fid) -> QTreeWidgetItem:
        checks = self.plan_checks(fid)
        plan_id = self.names.get(fid) or checks["plan_id"].iat[0] or f"#{fid}"
        verdict, counts = plan_verdict(checks, fid in self.unjudged)
        item = QTreeWidgetItem([plan_id, counts, "", "", self.reasons.get(fid, "")])
        item.setToolTip(0, plan_id)  # a long name is cut in the column (fit_columns)
        item.setForeground(1, QBrush(QColor(COLOURS[verdict])))
        item.setToolTip(4, self.reasons.get(fid, ""))
        item.setData(0, Qt.ItemDataRole.UserRole, (PLAN, int(fid), None))
        item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def update_items(self, fids) -> None:
        """The plans `fids` redrawn in place (live mode): changed ones replaced where they stand, and re-opened if
        they were open; removed ones taken out; new ones added at the end."""
        for fid in fids:
            old = self.items.pop(fid, None)
            checks = self.plan_checks(fid)
            if old is not None:
                index = self.tree.indexOfTopLevelItem(old)
                expanded = old.isExpanded()
                self.tree.takeTopLevelItem(index)
            else:
                index, expanded = self.tree.topLevelItemCount(), False
            if checks is None:
                continue
            item = self.items[fid] = self.plan_item(fid)
            self.tree.insertTopLevelItem(index, item)
            if expanded:
                item.setExpanded(True)
        self.filter_plans(fids=[fid for fid in fids if fid in self.items])

    def fit_columns(self) -> None:
        """Every column but the note as wide as its text, so rule names and thresholds are not cut to "…" — the
        plans' names at most PLAN_CHARACTERS wide: a bureau's "萧山经济技术开发区智能制造产业园二期工业上楼项目（A-03
        地块）-001" took the panel's width and pushed the result off it (the whole name is the item's tooltip)."""
        for column in range(COLUMNS - 1):
            self.tree.resizeColumnToContents(column)
        widest = PLAN_CHARACTERS * 2 * self.tree.fontMetrics().averageCharWidth()  # a Chinese character: two
        if self.tree.columnWidth(0) > widest:
            self.tree.setColumnWidth(0, widest)

    def fill_rules(self, item) -> None:
        kind, fid, _ = item.data(0, Qt.ItemDataRole.UserRole)
        if kind != PLAN or item.childCount():
            return
        checks = self.plan_checks(fid)
        for row in range(len(checks) if checks is not None else 0):
            check = checks.iloc[row]
            item.addChild(rule_item(check, fid, (fid, check["rule_id"]) in self.violations_of))
        self.fit_columns()

    def filter_plans(self, *_toggled, fids=None) -> None:
        """Hide the plans without a failed rule when asked; `fids`: only those plans' items (live mode)."""
        only_failed = self.failed_only.isChecked()
        if fids is not None:
            for fid in fids:
                self.items[fid].setHidden(only_failed and not self.live.live.fails(fid))
            return
        if self.live is not None:
            failing = set(self.live.live.failing())
        else:
            failing = set(self.checks.loc[self.checks["status"] == FAIL, "plan_fid"]) if len(self.checks) else set()
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            _, fid, _ = item.data(0, Qt.ItemDataRole.UserRole)
            item.setHidden(only_failed and fid not in failing)

    def item_clicked(self, item, _column=0) -> None:
        """A plan: zoom to it in the plans layer. A rule with conflict pieces: zoom to those pieces."""
        kind, fid, rule_id = item.data(0, Qt.ItemDataRole.UserRole)
        project = QgsProject.instance()
        pieces = self.violations_of.get((fid, rule_id)) if kind == RULE else None
        layer = project.mapLayer(self.layer_ids["violations" if pieces else "source"])
        if layer is not None:
            self.show_features(layer, pieces or [fid])

    # --- live mode ----------------------------------------------------------------------------------------------
    def set_live(self, on: bool) -> None:
        """Live mode on: check the chosen plans layer as it is edited (gui.live_upstairs); off: stop and clean up."""
        from .live_form import FormChecks
        from .live_upstairs import LiveUpstairs

        if self.form_checks is not None:
            self.form_checks.stop()
            self.form_checks.deleteLater()
            self.form_checks = None
        if self.commit_blocker is not None:
            self.iface.unregisterLayerChangesCommitBlocker(self.commit_blocker)
            self.commit_blocker = None
        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None
            self.layer_ids["violations"] = self.run_violations  # replaced by the next run, not left beside it
            self.run_violations = None
            self.live_checks = {}
            if not on:
                self.clear_checklist()
        if not on:
            return
        source = self.combos["upstairs_plans"].currentLayer()
        if source is None:
            self.push(tr("Choose the plans layer first"), Qgis.MessageLevel.Warning)
            self.live_box.setChecked(False)
            return
        constraints = {role: self.combos[role].currentLayer() for role, _ in self.INPUTS if role != "upstairs_plans"}
        self.layer_ids["source"] = source.id()
        self.live_layers = self.chosen_layers()
        self.live = LiveUpstairs(source, constraints, self.profile.filePath().strip() or None,
                                 system_parameter(self.land_use_system)["LAND_USE_SYSTEM"], self)
        self.live.failed.connect(lambda message: self.push(message, Qgis.MessageLevel.Warning))
        self.live.updated.connect(self.live_updated)
        self.live.failing_on_save.connect(self.failing_on_save)
        self.live.commit_refused.connect(self.commit_refused)
        if not self.live.start():
            self.live = None
            self.live_box.setChecked(False)
            return
        self.run_violations = self.layer_ids["violations"]
        self.layer_ids["violations"] = self.live.violation_layer.id()
        self.run_shown = False  # the checklist follows the edits now: no run's result to print
        self.progress.reset()
        self.form_checks = FormChecks(self.live, self, self.iface.mainWindow())  # the plan's checks in its form
        self.form_checks.start()
        if self.live.rules.on_save_failing == "block":
            self.block_failing_saves()

    def chosen_layers(self) -> dict:
        return {role: combo.currentLayer() for role, combo in self.combos.items()}

    def restart_live(self, *_args) -> None:
        """Another plans or constraint layer (or none) chosen while live mode is on: live mode starts again on
        them — the constraints are read and indexed once at its start, so going on would judge against the layer
        chosen before, unlike the next run — once the choice has settled (the next turn of the event loop), and
        only if it differs from what live mode uses."""
        if self.live is not None and not self.live_restart_due:
            self.live_restart_due = True
            QTimer.singleShot(0, self._restart_live)

    def _restart_live(self) -> None:
        self.live_restart_due = False
        if self.live is not None and self.chosen_layers() != self.live_layers:
            self.set_live(True)

    def live_rules_changed(self, *_args) -> None:
        """Another rule profile or land-use reading chosen while live mode is on: the plans checked again with its
        rules (LiveCheck.set_rules), without turning live mode off and on — or live mode started again on it when
        it reads the geometry otherwise (its curve tolerance: the constraint layers are read again) or decides
        otherwise about saves (on_save_failing). A profile that cannot be read is named; the rules stay."""
        from ..rules.profile import ProfileError
        from .live_upstairs import upstairs_rules

        if self.live is None:
            return
        try:
            rules, tolerance = upstairs_rules(self.profile.filePath().strip() or None,
                                              system_parameter(self.land_use_system)["LAND_USE_SYSTEM"])
        except ProfileError as exc:
            self.show_error(exc)
            return
        if tolerance != self.live.curve_tolerance_m or rules.on_save_failing != self.live.rules.on_save_failing:
            self.set_live(True)
        elif rules != self.live.rules:
            self.live.set_rules(rules)

    def block_failing_saves(self) -> None:
        """The profile says "block": ask QGIS to let the checker refuse saves of failing plans (QGIS ≥ 4.0); where
        QGIS cannot ask a plugin, say once that such saves will be warned about instead."""
        from .live_upstairs import commit_blocker

        register = getattr(self.iface, "registerLayerChangesCommitBlocker", None)
        blocker = commit_blocker(self.live) if register is not None else None
        if blocker is None:
            self.push(tr("The rule profile refuses saving plans that fail their rules, but this QGIS ({version}) "
                         "lets no plugin refuse a save (QGIS 4.0 does): such saves will be warned about "
                         "instead").format(version=Qgis.QGIS_VERSION.split("-")[0]), Qgis.MessageLevel.Warning)
            return
        register(blocker)
        self.commit_blocker = blocker

    def commit_refused(self, lines: list) -> None:
        """A save refused under the profile's "block": which plans fail which rules; the edits are still there."""
        self.push(tr("Not saved: {n} plan(s) fail their rules (the rule profile refuses such saves)").format(
            n=len(lines)), Qgis.MessageLevel.Critical, "\n".join(lines))

    def failing_on_save(self, lines: list) -> None:
        """Saving the plans while some fail a rule: each named with its rules on the message bar."""
        self.push(tr("Saving {n} plan(s) that fail their rules").format(n=len(lines)), Qgis.MessageLevel.Warning,
                  "\n".join(lines))

    def live_updated(self, fids) -> None:
        """The checker's current results into the checklist: the plans `fids` redrawn in place — or, at the start
        and after a reload (every plan changed), the whole checklist."""
        live = self.live.live
        if not self.items or len(fids) >= len(live.frame):
            self.live_refresh()
        else:
            from ..processing.upstairs import checks_table

            results = {fid: live.result_of(fid) for fid in fids}
            # the redrawn plans' rows turned into the checklist's in one go (one call costs ~5 ms whatever its size)
            rows = [result[1] for result in results.values() if result is not None and len(result[1])]
            table = checks_table(pd.concat(rows, ignore_index=True)) if rows else None
            positions = table.groupby("plan_fid", sort=False).indices if table is not None else {}
            for fid, result in results.items():
                self.live_checks[fid] = None if result is None else (
                    table.iloc[positions[fid]] if fid in positions else checks_table(result[1]))
                if result is None:
                    self.reasons.pop(fid, None)
                    self.unjudged.discard(fid)
                    continue
                self.reasons[fid] = result[0]["reasons"] or ""
                (self.unjudged.add if pd.isna(result[0]["passed"]) else self.unjudged.discard)(fid)
            self.violations_of = self.live.violations_of()
            self.names = live.names()  # a plan's id now shared (a pasted copy) or no longer: both among `fids`
            self.update_items(fids)
        self.summary.setText(live_summary(live.verdict_counts()))

    def live_refresh(self) -> None:
        """The whole checklist from the checker's tables (also before an export: it writes them all)."""
        from ..processing.upstairs import checks_table

        live = self.live.live
        self.checks = checks_table(live.checks) if len(live.checks) else pd.DataFrame(
            columns=["plan_fid", "plan_id", "rule_id", "rule", "status", "value", "threshold", "unit", "note"])
        self.rows_of_plan = self.checks.groupby("plan_fid", sort=False).indices if len(self.checks) else {}
        self.live_checks = {}
        self.violations_of = self.live.violations_of()
        self.reasons = dict(zip(live.plans.index, live.plans["reasons"].fillna(""))) if len(live.plans) else {}
        self.unjudged = set(live.plans.index[live.plans["passed"].isna()]) if len(live.plans) else set()
        self.names = live.names()
        self.show_tree()

    def close_panel(self) -> None:
        self.live_box.setChecked(False)  # stops the live check: its layer and connections go
        super().close_panel()

    # --- export -------------------------------------------------------------------------------------------------
    def export(self) -> None:
        from ..export import to_xlsx

        if self.live is not None:
            self.live_refresh()
        if self.checks.empty:
            self.push(tr("Run the check first; there is nothing to export"), Qgis.MessageLevel.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export table"), "upstairs_check.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        self.write_file(path, lambda target: to_xlsx(checklist_frame(self.checks, self.reasons, self.unjudged), target,
                                                     sheet=tr("Upstairs check")), tr("Table exported to {path}"))
