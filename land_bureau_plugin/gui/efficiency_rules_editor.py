"""The low-efficiency panel's rule editor: a copy of a profile's `efficiency` section, edited before a run.

Planners argue about thresholds in meetings ("make the warehouse floor 0.6"), so the values that decide the flag
are on screen: minimum and target FAR per land-use code in a table, the other thresholds and the score weights as
numbers. The profile file changes only through Save As; a run uses the edited copy. Everything the editor does
not show (grade bounds, modes …) is carried over from the loaded profile unchanged.
"""
from __future__ import annotations

import copy
import dataclasses

from qgis.PyQt.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..analysis.efficiency import DEFAULT_KEY, INDICATORS, EfficiencyRules
from ..i18n import tr
from ..rules.profile import ProfileError, section

SECTION = "efficiency"
CODE, MIN_FAR, TARGET_FAR = range(3)


def indicator_labels() -> dict[str, str]:
    return {"tax_per_mu": tr("Tax per mu"), "output_per_mu": tr("Output per mu"),
            "output_per_energy": tr("Output per unit of energy"), "output_per_employee": tr("Output per employee"),
            "rd_ratio": tr("R&D share of output")}


def _spin(maximum: float, decimals: int, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    if suffix:
        box.setSuffix(suffix)
    return box


class EfficiencyRulesEditor(QWidget):
    """Edit a copy of the `efficiency` section; `edited_profile()` returns the whole profile with the edits."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.profile: dict = {}
        self.rules = EfficiencyRules()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.codes = QTableWidget(0, 3)
        self.codes.setHorizontalHeaderLabels([tr("Land-use code"), tr("Minimum FAR"), tr("Target FAR")])
        self.codes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        form.addRow(tr("Minimum coverage"), self.min_coverage)
        form.addRow(tr("Tax per mu below (share of the district average)"), self.tax_floor)
        form.addRow(tr("Storey height for buildings without storeys"), self.storey_height)
        form.addRow(tr("Shared edge that links a merge cluster"), self.shared_edge)
        self.weights = {}
        for name, label in indicator_labels().items():
            self.weights[name] = _spin(1000, 1)
            form.addRow(tr("Weight: {indicator}").format(indicator=label), self.weights[name])
        layout.addLayout(form)

        self.add_button.clicked.connect(self.add_code)
        self.remove_button.clicked.connect(self.remove_code)

    # --- profile ↔ widgets ----------------------------------------------------------------------------------
    def load(self, profile: dict) -> None:
        """Show a profile's section (validated first: raises ProfileError and keeps the old values if bad)."""
        rules = section(profile, SECTION, EfficiencyRules)
        self.profile, self.rules = copy.deepcopy(profile), rules
        codes = sorted(set(rules.min_far) | set(rules.target_far), key=lambda c: (c != DEFAULT_KEY, c))
        self.codes.setRowCount(0)
        for code in codes:
            self._append(code, rules.min_far.get(code), rules.target_far.get(code))
        self.min_coverage.setValue(rules.min_coverage * 100)
        self.tax_floor.setValue(rules.tax_ratio_floor * 100)
        self.storey_height.setValue(rules.storey_height_m)
        self.shared_edge.setValue(rules.cluster_min_shared_edge_m)
        for name, box in self.weights.items():
            box.setValue(rules.weights.get(name, 0.0))

    def edited_section(self) -> dict:
        """The section as edited: every rule value, the unshown ones as loaded. Raises ProfileError naming the
        cell of a value that is not a number."""
        values = dataclasses.asdict(self.rules)
        values["min_far"], values["target_far"] = self._tables()
        values["min_coverage"] = self.min_coverage.value() / 100
        values["tax_ratio_floor"] = self.tax_floor.value() / 100
        values["storey_height_m"] = self.storey_height.value()
        values["cluster_min_shared_edge_m"] = self.shared_edge.value()
        values["weights"] = {name: box.value() for name, box in self.weights.items() if name in INDICATORS}
        return values

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
            for column, table, name in ((MIN_FAR, min_far, "min_far"), (TARGET_FAR, target_far, "target_far")):
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
        item = self.codes.item(row, column)
        return item.text().strip() if item is not None else ""

    def _append(self, code: str, min_far, target_far) -> None:
        row = self.codes.rowCount()
        self.codes.insertRow(row)
        texts = (code, *("" if value is None else f"{value:g}" for value in (min_far, target_far)))
        for column, text in enumerate(texts):
            self.codes.setItem(row, column, QTableWidgetItem(text))

    # --- buttons --------------------------------------------------------------------------------------------
    def add_code(self) -> None:
        self._append("", None, None)
        self.codes.editItem(self.codes.item(self.codes.rowCount() - 1, CODE))

    def remove_code(self) -> None:
        rows = sorted({index.row() for index in self.codes.selectedIndexes()}, reverse=True)
        for row in rows:
            if self._text(row, CODE) != DEFAULT_KEY:  # the default row answers for every other code
                self.codes.removeRow(row)
