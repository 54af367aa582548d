"""The low-efficiency panel's rule editor: a copy of a profile's `efficiency` section, edited before a run.

Planners argue about thresholds in meetings ("make the warehouse floor 0.6"), so the values that decide the flag
are on screen: minimum and target FAR per land-use code in a table, the other thresholds and the score weights as
numbers. The profile file changes only through Save As; a run uses the edited copy. Everything the editor does
not show (grade bounds, modes …) is carried over from the loaded profile unchanged.

What the numbers mean is on screen too: each code's land-use name, the `default` row as 默认（其他用地）, what a
blank cell falls back to (grey, in the cell), and that the weights are relative (the score renormalises them).
So is what they rest on ("依据哪条规定?"): each threshold's tooltip and the line under the form give the source of its
rule from the profile; a threshold edited here is no longer what that document says, so the saved profile gives its
rule the source "local default", noting that it was edited.
"""
from __future__ import annotations

import copy
import dataclasses

import pandas as pd
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QPalette
from qgis.PyQt.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..analysis.efficiency_rules import DEFAULT_KEY, INDICATORS, SOURCE_KEYS, EfficiencyRules
from ..analysis.land_use_codes import lookup_by_code, name_of, normalise_code
from ..i18n import is_chinese, tr
from ..rules.criteria import Source
from ..rules.profile import ProfileError, section

SECTION = "efficiency"
EDITED_NOTE = "在面板中修改的取值"  # the note of a rule edited here: profile data, Chinese like the bundled notes


def source_label(source: Source) -> str:
    """A source in the UI language: the citation, or "local default" (with its note)."""
    return source.text(tr("local default"))
CODE, NAME, MIN_FAR, TARGET_FAR = range(4)
TABLES = {MIN_FAR: "min_far", TARGET_FAR: "target_far"}


def indicator_labels() -> dict[str, str]:
    return {"tax_per_mu": tr("Tax per mu"), "output_per_mu": tr("Output per mu"),
            "output_per_energy": tr("Output per unit of energy"), "output_per_employee": tr("Output per employee"),
            "rd_ratio": tr("R&D share of output")}


def rule_names() -> dict[str, str]:
    """Each rule that carries a source (SOURCE_IDS), named for the 依据 list."""
    return {"far_low": tr("Minimum FAR"), "coverage_low": tr("Minimum coverage"), "tax_low": tr("Tax per mu"),
            "grade_low": tr("Grade D"), "idle": tr("Idle land"), "grading": tr("Grading"),
            "classes": tr("Enterprise classes (above / below scale)"),
            "exemptions": tr("Not graded (new enterprises, projects under construction, utilities)")}


def land_use_name(code: str) -> str:
    """A rule-table key's land-use name in the UI language, from the code tables ("" for an unknown code)."""
    return name_of(code, chinese=is_chinese())


class FallbackHint(QStyledItemDelegate):
    """Shows, in grey, what a blank threshold cell stands for: the value of the longest code it starts with, else
    of the default row — the way the analysis looks thresholds up (`lookup_by_code`)."""

    def __init__(self, editor: EfficiencyRulesEditor):
        super().__init__(editor)
        self.editor = editor

    def initStyleOption(self, option, index):  # noqa: N802
        super().initStyleOption(option, index)
        if index.column() in TABLES and not option.text:
            option.text = self.editor.fallback_text(index.row(), index.column())
            option.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.PlaceholderText))


def _spin(maximum: float, decimals: int, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    if suffix:
        box.setSuffix(suffix)
    return box


class EfficiencyRulesEditor(QWidget):
    """Edit a copy of the `efficiency` section; `edited_profile()` returns the whole profile with the edits.
    `edited` after each change of a value, a row added or removed, and once after a profile is loaded."""

    edited = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.profile: dict = {}
        self.rules = EfficiencyRules()
        self.loading = False  # load() is filling the widgets: one `edited` at its end
        self.shown: dict = {}  # each number box: the value it showed of the loaded profile (see `exact`)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.codes = QTableWidget(0, 4)
        self.codes.setHorizontalHeaderLabels([tr("Land-use code"), tr("Land use"), tr("Minimum FAR"),
                                              tr("Target FAR")])
        self.codes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.codes.horizontalHeader().setSectionResizeMode(CODE, QHeaderView.ResizeMode.ResizeToContents)
        self.codes.setItemDelegate(FallbackHint(self))
        self.codes.setToolTip(tr("A blank threshold takes the value shown in grey: that of the longest code it "
                                 "starts with, else the default row's."))
        self.codes.verticalHeader().setVisible(False)
        self.codes.setMinimumHeight(180)
        layout.addWidget(self.codes)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add code"))
        self.remove_button = QPushButton(tr("Remove code"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        form = QFormLayout()
        self.min_coverage = _spin(100, 0, " %")
        self.tax_floor = _spin(1000, 0, " %")
        self.storey_height = _spin(100, 2, " m")
        self.shared_edge = _spin(10000, 1, " m")
        self.edge_tolerance = _spin(100, 3, " m")
        self.edge_tolerance.setToolTip(tr(
            "Boundary within this distance of a neighbour counts as shared with it: surveyed neighbours' vertices lie "
            "off each other's sides by the rounding of their coordinates, a CAD export's by millimetres. 0: only "
            "boundary exactly on the neighbour."))
        form.addRow(tr("Minimum coverage"), self.min_coverage)
        form.addRow(tr("Tax per mu below (share of the district median or trimmed mean)"), self.tax_floor)
        form.addRow(tr("Storey height for buildings without storeys"), self.storey_height)
        form.addRow(tr("Shared edge that links a merge cluster"), self.shared_edge)
        form.addRow(tr("Gap still counted as a shared edge"), self.edge_tolerance)
        self.weights = {}
        for name, label in indicator_labels().items():
            self.weights[name] = _spin(1000, 1)
            form.addRow(tr("Weight: {indicator}").format(indicator=label), self.weights[name])
            self.weights[name].valueChanged.connect(self.show_weight_total)
        self.weight_total = QLabel()
        self.weight_total.setWordWrap(True)
        form.addRow(self.weight_total)
        layout.addLayout(form)
        self.sources = QLabel()  # 依据: what each rule rests on
        self.sources.setWordWrap(True)
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sources)

        self.add_button.clicked.connect(self.add_code)
        self.remove_button.clicked.connect(self.remove_code)
        self.codes.itemChanged.connect(self.code_changed)
        for box in (self.min_coverage, self.tax_floor, self.storey_height, self.shared_edge, self.edge_tolerance,
                    *self.weights.values()):
            box.valueChanged.connect(self.changed)

    def changed(self, *_args) -> None:
        if not self.loading:
            self.edited.emit()

    # --- profile ↔ widgets ----------------------------------------------------------------------------------
    def load(self, profile: dict) -> None:
        """Show a profile's section (validated first: raises ProfileError and keeps the old values if bad)."""
        rules = section(profile, SECTION, EfficiencyRules)
        self.profile, self.rules = copy.deepcopy(profile), rules
        codes = sorted(set(rules.min_far) | set(rules.target_far), key=lambda c: (c != DEFAULT_KEY, c))
        self.loading = True
        try:
            self.codes.setRowCount(0)
            for code in codes:
                self._append(code, rules.min_far.get(code), rules.target_far.get(code))
            self.min_coverage.setValue(rules.min_coverage * 100)
            self.tax_floor.setValue(rules.tax_ratio_floor * 100)
            self.storey_height.setValue(rules.storey_height_m)
            self.shared_edge.setValue(rules.cluster_min_shared_edge_m)
            self.edge_tolerance.setValue(rules.cluster_edge_tolerance_m)
            for name, box in self.weights.items():
                box.setValue(rules.weights.get(name, 0.0))
            self.shown = {box: box.value() for box in self.findChildren(QDoubleSpinBox)}
        finally:
            self.loading = False
        self.show_weight_total()
        self.show_sources()
        self.edited.emit()

    def show_sources(self) -> None:
        """Each threshold's source in its tooltip, and all of them under the form."""
        sources = self.rules.source_table()
        widgets = {"far_low": [self.codes], "coverage_low": [self.min_coverage], "tax_low": [self.tax_floor],
                   "grading": list(self.weights.values())}
        for rule, boxes in widgets.items():
            for box in boxes:
                box.setToolTip(tr("Source: {source}").format(source=source_label(sources[rule])))
        self.codes.setToolTip(self.codes.toolTip() + "\n" + tr("A blank threshold takes the value shown in grey: "
                                                               "that of the longest code it starts with, else the "
                                                               "default row's."))
        names = rule_names()
        self.sources.setText(tr("Sources:") + "".join(
            f"\n• {names[rule]} — {source_label(source)}" for rule, source in sources.items()))

    def show_weight_total(self, *_args) -> None:
        """The weights need not total 100: the score divides by the sum of the weights a parcel has data for."""
        total = sum(box.value() for box in self.weights.values())
        self.weight_total.setText(tr("Weights total {total:g}. Only their proportions count: the score is divided "
                                     "by the sum of the weights of the indicators a parcel has, so they need not "
                                     "add up to 100.").format(total=total))

    def fallback_text(self, row: int, column: int) -> str:
        """What the blank cell (row, column) stands for, e.g. "2 (from default)"; "" when the cell has a value,
        nothing applies or a cell is not a number yet."""
        code = self._text(row, CODE)
        if self._text(row, column):
            return ""
        try:
            table = self._tables()[column - MIN_FAR]
        except ProfileError:
            return ""
        if code == DEFAULT_KEY or not (normalise_code(code) or "") or DEFAULT_KEY not in table:
            return ""
        values, keys = lookup_by_code(pd.Series([normalise_code(code)]), table)
        source = tr("default") if keys.iloc[0] == DEFAULT_KEY else keys.iloc[0]
        return tr("{value:g} (from {source})").format(value=values.iloc[0], source=source)

    def edited_section(self) -> dict:
        """The section as edited: every rule value, the unshown ones as loaded. Raises ProfileError naming the
        cell of a value that is not a number."""
        values = dataclasses.asdict(self.rules)
        values["min_far"], values["target_far"] = self._tables()
        values["min_coverage"] = self.exact(self.min_coverage, self.rules.min_coverage, 100)
        values["tax_ratio_floor"] = self.exact(self.tax_floor, self.rules.tax_ratio_floor, 100)
        values["storey_height_m"] = self.exact(self.storey_height, self.rules.storey_height_m)
        values["cluster_min_shared_edge_m"] = self.exact(self.shared_edge, self.rules.cluster_min_shared_edge_m)
        values["cluster_edge_tolerance_m"] = self.exact(self.edge_tolerance, self.rules.cluster_edge_tolerance_m)
        values["weights"] = {name: self.exact(box, self.rules.weights.get(name, 0.0))
                             for name, box in self.weights.items() if name in INDICATORS}
        values["sources"] = self._edited_sources(values)
        return values

    def exact(self, box: QDoubleSpinBox, loaded: float, scale: float = 1.0) -> float:
        """The value of `box` (shown × `scale`) — or the loaded value itself while the box still shows it: a box
        rounds to its decimals, and a profile's tolerance of 0.0005 m or coverage of 30.5 % came back from boxes
        of 3 decimals and whole percent as 0.001 m and 31 %, saved and used though nobody touched them."""
        return loaded if box.value() == self.shown.get(box) else box.value() / scale

    def _edited_sources(self, values: dict) -> dict:
        """The loaded sources, with "local default" (noted as edited here) for each rule whose values changed."""
        loaded = dataclasses.asdict(self.rules)
        sources = dict(self.rules.sources)
        for rule, keys in SOURCE_KEYS.items():
            if any(values[key] != loaded[key] for key in keys):
                sources[rule] = {"document": "local default", "note": EDITED_NOTE}
        return sources

    def edited_profile(self) -> dict:
        """A copy of the loaded profile with the edited section, validated like a profile file."""
        profile = copy.deepcopy(self.profile)
        profile[SECTION] = self.edited_section()
        section(profile, SECTION, EfficiencyRules)
        return profile

    def _tables(self) -> tuple[dict, dict]:
        min_far, target_far = {}, {}
        for row in range(self.codes.rowCount()):
            code = self._text(row, CODE)
            code = code if code == DEFAULT_KEY else code.upper()
            if not code:
                continue
            for column, table in ((MIN_FAR, min_far), (TARGET_FAR, target_far)):
                name = TABLES[column]
                text = self._text(row, column)
                if not text:
                    continue
                try:
                    table[code] = float(text)
                except ValueError:
                    raise ProfileError(tr("not a number: {value}").format(value=text),
                                       key=f"{SECTION}.{name}.{code}") from None
        return min_far, target_far

    def _text(self, row: int, column: int) -> str:
        """A cell's text; for the code of the default row its key (the cell shows 默认（其他用地）)."""
        item = self.codes.item(row, column)
        if item is None:
            return ""
        return item.data(Qt.ItemDataRole.UserRole) or item.text().strip()

    def _append(self, code: str, min_far, target_far) -> None:
        row = self.codes.rowCount()
        self.codes.blockSignals(True)
        self.codes.insertRow(row)
        texts = (code, "", *("" if value is None else f"{value:g}" for value in (min_far, target_far)))
        for column, text in enumerate(texts):
            self.codes.setItem(row, column, QTableWidgetItem(text))
        fixed = [self.codes.item(row, NAME)]
        if code == DEFAULT_KEY:  # the catch-all row: named in words, its key kept behind the text
            item = self.codes.item(row, CODE)
            item.setText(tr("default (other land use)"))
            item.setData(Qt.ItemDataRole.UserRole, DEFAULT_KEY)
            fixed.append(item)
        for item in fixed:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.codes.blockSignals(False)
        self.code_changed(self.codes.item(row, CODE))

    def code_changed(self, item) -> None:
        """A typed code gets its land-use name; the grey fallbacks follow every edit."""
        if item.column() == CODE:
            name = "" if self._text(item.row(), CODE) == DEFAULT_KEY else land_use_name(item.text())
            self.codes.blockSignals(True)
            self.codes.item(item.row(), NAME).setText(name)
            self.codes.blockSignals(False)
        self.codes.viewport().update()
        self.changed()

    # --- buttons --------------------------------------------------------------------------------------------
    def add_code(self) -> None:
        self._append("", None, None)
        self.codes.editItem(self.codes.item(self.codes.rowCount() - 1, CODE))

    def remove_code(self) -> None:
        rows = sorted({index.row() for index in self.codes.selectedIndexes()}, reverse=True)
        for row in rows:
            if self._text(row, CODE) != DEFAULT_KEY:  # the default row answers for every other code
                self.codes.removeRow(row)
        self.changed()
