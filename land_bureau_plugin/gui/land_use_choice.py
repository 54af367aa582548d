"""The panels' land-use code system choice: one small combo beside the layer it reads (automatic, one of the three
systems, and — for low efficiency — "every parcel is industrial land") that fills the algorithms' LAND_USE_SYSTEM
and ALL_INDUSTRIAL parameters, so the panel and the Processing toolbox read land use the same way."""
from __future__ import annotations

from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import QBoxLayout, QComboBox, QLayout, QSizePolicy, QWidget

from ..analysis import land_use_codes
from ..i18n import tr
from ..processing.land_use import ALL_INDUSTRIAL, SYSTEM, system_label, system_short_label

ALL = "all_industrial"  # the combo entry standing for ALL_INDUSTRIAL


def short_labels() -> dict[str, str]:
    """The combo's words for each choice, short enough to be read whole in a narrow panel; the full name of each
    code system is the entry's tooltip (and the log's, processing.land_use.system_label)."""
    return {land_use_codes.AUTO: tr("land-use codes: automatic"),
            **{key: system_short_label(key) for key in (land_use_codes.GBT21010, land_use_codes.GUIDE2023,
                                                        land_use_codes.GB50137)},
            ALL: tr("all industrial land")}


def system_combo(all_industrial: bool = False) -> QComboBox:
    """`all_industrial`: offer "every parcel is industrial land" too (low efficiency). Never narrower than its
    longest entry; the panel puts it beside the layer it reads, or under it (BesideOrUnder)."""
    combo = QComboBox()
    words = short_labels()
    combo.addItem(words[land_use_codes.AUTO], land_use_codes.AUTO)
    combo.setItemData(0, tr("Read the code system from the values"), Qt.ItemDataRole.ToolTipRole)
    for key in land_use_codes.SYSTEMS:
        combo.addItem(words[key], key)
        combo.setItemData(combo.count() - 1, system_label(key), Qt.ItemDataRole.ToolTipRole)
    if all_industrial:
        combo.addItem(words[ALL], ALL)
        combo.setItemData(combo.count() - 1, tr("For a layer without a land-use field: every parcel is judged as "
                                                "industrial land, and the log and the printed map say so."),
                          Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # the row's width, as the layers'
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


class BesideOrUnder(QWidget):
    """A layer combo with the code system's combo beside it when the row has room for the system's longest entry
    beside a usable layer combo (`room` px), else under it: a wide panel spends no height on the choice, a narrow
    one (a 1366×768 screen) shows it whole on a line of its own. Its height hint follows the arrangement its width
    gave it (a switch asks the panel's layout again)."""

    def __init__(self, first: QWidget, second: QComboBox, room: int = 140):
        super().__init__()
        self.first, self.second, self.room = first, second, room
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.box.addWidget(first, 1)
        self.box.addWidget(second)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def side_by_side(self, width: int) -> bool:
        return width >= self.room + self.box.spacing() + self.second.sizeHint().width()

    def _height(self) -> int:
        one, two = self.first.sizeHint().height(), self.second.sizeHint().height()
        beside = self.box.direction() == QBoxLayout.Direction.LeftToRight
        return max(one, two) if beside else one + self.box.spacing() + two

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt's name; as wide as both side by side
        width = self.room + self.box.spacing() + self.second.sizeHint().width()
        return QSize(max(width, self.first.sizeHint().width()), self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — as narrow as the wider of the two, one under the other
        return QSize(max(self.first.minimumSizeHint().width(), self.second.minimumSizeHint().width()),
                     self._height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        wanted = (QBoxLayout.Direction.LeftToRight if self.side_by_side(event.size().width())
                  else QBoxLayout.Direction.TopToBottom)
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
            self.updateGeometry()  # the row takes the other height
        super().resizeEvent(event)
