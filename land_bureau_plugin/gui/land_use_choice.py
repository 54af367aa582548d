"""The panels' land-use code system choice: one small combo beside the layer it reads (automatic, one of the three
systems, and — for low efficiency — "every parcel is industrial land") that fills the algorithms' LAND_USE_SYSTEM
and ALL_INDUSTRIAL parameters, so the panel and the Processing toolbox read land use the same way."""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox

from ..analysis import land_use_codes
from ..i18n import tr
from ..processing.land_use import ALL_INDUSTRIAL, SYSTEM, system_label

ALL = "all_industrial"  # the combo entry standing for ALL_INDUSTRIAL


def system_combo(all_industrial: bool = False) -> QComboBox:
    """`all_industrial`: offer "every parcel is industrial land" too (low efficiency)."""
    combo = QComboBox()
    combo.addItem(tr("Land use: automatic"), land_use_codes.AUTO)
    for key in land_use_codes.SYSTEMS:
        combo.addItem(system_label(key), key)
    if all_industrial:
        combo.addItem(tr("Every parcel is industrial land"), ALL)
        combo.setItemData(combo.count() - 1, tr("For a layer without a land-use field: every parcel is judged as "
                                                "industrial land, and the log and the printed map say so."),
                          Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    combo.setToolTip(tr("The code system of the land-use values. Automatic reads it from the values and asks when "
                        "they are valid in two systems that read them differently (1001: industrial land in the "
                        "2023 guide, a railway in GB/T 21010)."))
    return combo


def system_parameter(combo: QComboBox) -> dict:
    """{LAND_USE_SYSTEM: key} for the algorithm's parameters, with ALL_INDUSTRIAL when the combo offers it."""
    choice = combo.currentData() or land_use_codes.AUTO
    if combo.findData(ALL) < 0:
        return {SYSTEM: choice}
    return {SYSTEM: land_use_codes.AUTO if choice == ALL else choice, ALL_INDUSTRIAL: choice == ALL}
