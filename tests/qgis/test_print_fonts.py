"""Print fonts on Windows and across QGIS versions. The templates name WenQuanYi Micro Hei, which Windows does not
have; the same substitution (layouts/fonts.py) must then use Microsoft YaHei or SimHei, which every Windows since
Vista has, under the English or the Chinese family name Qt may list. Windows' font list is simulated: the logic
only sees family names. Legend fonts are unshaped through QGIS's text format where QGIS has it (3.30+)."""
import pytest
from qgis.core import QgsLegendStyle, QgsPrintLayout, QgsProject
from qgis.PyQt.QtGui import QFont

from land_bureau_plugin.layouts.fonts import FALLBACKS, ensure_cjk_font, keep_text_searchable

# What Qt lists on a Windows 10/11 with the Chinese fonts (English names), and on a Chinese Windows.
WINDOWS = {"Arial", "Calibri", "Segoe UI", "Times New Roman", "Microsoft YaHei", "Microsoft YaHei UI", "SimHei",
           "SimSun", "NSimSun", "DengXian", "KaiTi", "FangSong", "Microsoft JhengHei"}
WINDOWS_CHINESE_NAMES = {"Arial", "Segoe UI", "微软雅黑", "黑体", "宋体", "新宋体", "等线", "楷体", "仿宋"}
LEGEND_STYLES = (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup,
                 QgsLegendStyle.Style.SymbolLabel)


@pytest.mark.parametrize("installed, expected", [
    (WINDOWS, ["Microsoft YaHei", "SimHei"]),
    (WINDOWS_CHINESE_NAMES, ["微软雅黑", "黑体"]),
    (WINDOWS - {"Microsoft YaHei"}, ["SimHei"]),  # an old or trimmed Windows: SimHei alone
])
def test_windows_fonts_replace_the_template_font(qgis_app, installed, expected, request):
    family = f"Template Font {request.node.callspec.id}"  # Qt's substitution table is per process: a fresh name
    assert ensure_cjk_font(family, installed=installed) is None
    assert [name.lower() for name in QFont.substitutes(family)] == [name.lower() for name in expected]  # Qt lowers
    assert [f for f in FALLBACKS if f in installed] == expected  # in the order FALLBACKS prefers


def test_windows_without_chinese_fonts_warns(qgis_app):
    family = "Template Font Without Fallback"
    warning = ensure_cjk_font(family, installed={"Arial", "Segoe UI", "Times New Roman"})
    assert warning and family in warning
    assert QFont.substitutes(family) == []


def legend_font(legend, which) -> QFont:
    style = legend.style(which)
    return style.textFormat().font() if hasattr(style, "textFormat") else style.font()


def test_legend_text_is_unshaped_in_every_style(qgis_app):
    from qgis.core import QgsLayoutItemLegend

    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    assert not any(legend_font(legend, s).styleStrategy() & QFont.StyleStrategy.PreferNoShaping
                   for s in LEGEND_STYLES)
    keep_text_searchable(layout)
    assert all(legend_font(legend, s).styleStrategy() & QFont.StyleStrategy.PreferNoShaping for s in LEGEND_STYLES)
