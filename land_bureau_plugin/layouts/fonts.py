"""The CJK font of the printed layouts, with fallbacks.

The templates name WenQuanYi Micro Hei (Debian fonts-wqy-microhei, installed by scripts/setup.sh), not Noto Sans
CJK: Noto draws Kangxi radicals with the same glyphs as the ideographs, and Qt's PDF writer maps each glyph back to
the lowest code point that uses it, so a Noto PDF's text layer says ⽉ for 月, ⾏ for 行, ⽬ for 目 — it prints
right but cannot be searched or copied. WenQuanYi Micro Hei has no radicals, so its PDFs read back exactly.
On a machine without it, Qt is told to substitute the first installed font of `FALLBACKS` wherever the templates
ask for it, so every item (labels, legend, scale bar, tables) follows without rewriting the template. Without any
CJK font the layout still exports, and the caller gets a message saying what to install.
"""
from __future__ import annotations

from qgis.core import (
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemScaleBar,
    QgsLayoutTable,
    QgsLegendStyle,
    QgsTextFormat,
)
from qgis.PyQt.QtGui import QFont, QFontDatabase

from ..i18n import tr

FAMILY = "WenQuanYi Micro Hei"
# Windows: Microsoft YaHei and SimHei come with every Windows since Vista; Qt may list them under their Chinese
# names (微软雅黑, 黑体) on a Chinese Windows, so both spellings are here.
FALLBACKS = ("Microsoft YaHei", "微软雅黑", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC",
             "Source Han Sans CN", "Noto Sans SC", "PingFang SC", "SimHei", "黑体", "Noto Sans CJK JP",
             "Droid Sans Fallback")


def installed_families() -> set[str]:
    try:
        families = QFontDatabase.families()  # Qt 6: static
    except TypeError:
        families = QFontDatabase().families()  # Qt 5
    return set(families)


def first_installed(candidates, installed=None) -> str | None:
    installed = installed_families() if installed is None else installed
    return next((family for family in candidates if family in installed), None)


def ensure_cjk_font(family: str = FAMILY, installed=None) -> str | None:
    """Make `family` usable: nothing to do when installed; else substitute the first installed fallback.

    Returns None when Chinese text will render, else a translated warning naming what to install."""
    installed = installed_families() if installed is None else installed
    if family in installed:
        return None
    candidates = FALLBACKS if family == FAMILY else (FAMILY, *FALLBACKS)  # a .qpt's own font: ours first
    fallback = first_installed(candidates, installed)
    if fallback is not None:
        QFont.insertSubstitutions(family, [f for f in candidates if f in installed])
        return None
    return tr("No Chinese font is installed ({family} or a fallback such as {fallbacks}): Chinese text in the "
              "layout may print as empty boxes. Install the font (Debian: fonts-wqy-microhei) and export again."
              ).format(family=family, fallbacks=", ".join(FALLBACKS[:3]))


def unshaped(font: QFont) -> QFont:
    """The font without OpenType shaping. Why: Qt's PDF writer cannot map glyphs that shaping substituted back
    to text — with Noto Sans CJK, digits after Latin letters (XS-000941, GYSL0) vanish from the PDF's text
    layer although they print. Chinese and Latin need no complex shaping, so nothing visible changes and the
    PDF stays searchable."""
    font = QFont(font)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def unshaped_format(text_format: QgsTextFormat) -> QgsTextFormat:
    text_format = QgsTextFormat(text_format)
    text_format.setFont(unshaped(text_format.font()))
    return text_format


def keep_text_searchable(layout) -> None:
    """Apply `unshaped` to every text of a layout: labels, legend, scale bar, tables (not kept in a .qpt, so it is
    done each time a template is filled)."""
    legend_styles = (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup,
                     QgsLegendStyle.Style.SymbolLabel)
    for item in layout.items():
        if isinstance(item, QgsLayoutItemLabel):
            if hasattr(item, "textFormat"):  # QGIS ≥ 3.24
                item.setTextFormat(unshaped_format(item.textFormat()))
            else:
                item.setFont(unshaped(item.font()))
        elif isinstance(item, QgsLayoutItemScaleBar):
            item.setTextFormat(unshaped_format(item.textFormat()))
        elif isinstance(item, QgsLayoutItemLegend):
            for style in legend_styles:
                _unshape_legend_style(item, style)
    for table in layout.multiFrames():
        if isinstance(table, QgsLayoutTable):
            table.setHeaderTextFormat(unshaped_format(table.headerTextFormat()))
            table.setContentTextFormat(unshaped_format(table.contentTextFormat()))


def _unshape_legend_style(legend: QgsLayoutItemLegend, which) -> None:
    """One legend style's text without shaping. QGIS 3.30 moved legend fonts into a text format (setStyleFont and
    QgsLegendStyle.setFont are deprecated there, gone in QGIS 4); older QGIS has the font only."""
    style = legend.style(which)
    if hasattr(style, "textFormat"):
        style.setTextFormat(unshaped_format(style.textFormat()))
    else:
        style.setFont(unshaped(style.font()))
    legend.setStyle(which, style)
