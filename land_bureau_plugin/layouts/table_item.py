"""Put texts into a layout manual table so that it looks typeset: columns fitted to the frame width, Chinese text
wrapped (QGIS wraps only at spaces), as many rows as fit the frame.

The header is the first content row, bold on grey: QGIS 3.22 gives a table header one line of height whatever
its text, and printed headers carry their unit on a second line. Text sizes are measured with QGIS's own text
renderer in the layout's render context, the way the table measures them when it draws."""
from __future__ import annotations

from qgis.core import QgsLayoutUtils, QgsTableCell, QgsTextRenderer, QgsUnitTypes
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from . import tables

HEADER_BACKGROUND = "#e6e6e6"
NO_LINE_START = set("，。、；：？！）》」』,.;:?!)%")  # punctuation that must not begin a wrapped line


class TextMeasure:
    """Widths and heights of texts in millimetres, in a layout's render context."""

    def __init__(self, layout):
        self.context = QgsLayoutUtils.createRenderContextForLayout(layout, None)
        self.per_mm = self.context.convertToPainterUnits(1, QgsUnitTypes.RenderUnit.RenderMillimeters)

    def width(self, text_format, text: str) -> float:
        return QgsTextRenderer.textWidth(self.context, text_format, str(text).split("\n")) / self.per_mm

    def height(self, text_format, text: str) -> float:
        """As a layout table counts a cell's text height: the lines' height less the font's descent."""
        lines = str(text).split("\n")
        scale = QgsTextRenderer.FONT_WORKAROUND_SCALE
        descent = QgsTextRenderer.fontMetrics(self.context, text_format, scale).descent() / scale
        return (QgsTextRenderer.textHeight(self.context, text_format, lines, QgsTextRenderer.DrawMode.Rect)
                - descent) / self.per_mm

    def wrap(self, text_format, text: str, width: float) -> str:
        """Break lines to `width`: at a space when the line has one, else between any two characters (CJK)."""
        out = []
        for paragraph in str(text).split("\n"):
            line = ""
            for char in paragraph:
                if line and char not in NO_LINE_START and self.width(text_format, line + char) > width:
                    head, space, tail = line.rpartition(" ")
                    if space and head.strip():
                        out.append(head)
                        line = tail + char
                    else:
                        out.append(line)
                        line = char
                else:
                    line += char
            out.append(line)
        return "\n".join(out)


def fill_table(table, measure: TextMeasure, width: float, headers: list, rows: list, colours: list | None = None,
               aligns: list | None = None, max_height: float | None = None, equal: bool = False,
               emphasise_last: bool = False) -> tuple[int, float]:
    """Fill `table` with a header row and as many `rows` as fit `max_height` (all when None).

    `width` is what the table may fill (mm); `equal` gives every column the same width; `emphasise_last` sets
    the last row like the header (a 合计 row). Returns (rows shown, table height in mm)."""
    header_format, content_format = table.headerTextFormat(), table.contentTextFormat()
    padding = 2 * table.cellMargin() + table.gridStrokeWidth()
    available = width - len(headers) * padding - table.gridStrokeWidth()
    if equal:
        widths = [available / len(headers)] * len(headers)
    else:
        naturals = [max([measure.width(header_format, header)] + [measure.width(content_format, r[i]) for r in rows])
                    + 0.3 for i, header in enumerate(headers)]
        widths = tables.fit_widths(naturals, available, minimum=2.2 * _em(measure, header_format))
    colours = colours or [[None] * len(headers) for _ in rows]
    aligns = aligns or [Qt.AlignmentFlag.AlignHCenter] * len(headers)

    header_texts = [measure.wrap(header_format, h, w) for h, w in zip(headers, widths)]
    height = _row_height(measure, header_format, header_texts, table) + 2 * table.gridStrokeWidth()
    contents = [[_cell(t, HEADER_BACKGROUND, Qt.AlignmentFlag.AlignHCenter, header_format) for t in header_texts]]
    for n, (row, row_colours) in enumerate(zip(rows, colours)):
        emphasised = emphasise_last and n == len(rows) - 1
        text_format = header_format if emphasised else content_format
        texts = [measure.wrap(text_format, t, w) for t, w in zip(row, widths)]
        row_height = _row_height(measure, text_format, texts, table) + table.gridStrokeWidth()
        if max_height is not None and height + row_height > max_height:
            break
        height += row_height
        if emphasised:
            row_colours = [c or HEADER_BACKGROUND for c in row_colours]
        contents.append([_cell(t, c, a, text_format if emphasised else None)
                         for t, c, a in zip(texts, row_colours, aligns)])
    table.setIncludeTableHeader(False)
    table.setColumnWidths(widths)
    table.setTableContents(contents)
    return len(contents) - 1, height


def clear_table(table) -> None:
    table.setTableContents([])


def _row_height(measure: TextMeasure, text_format, texts, table) -> float:
    return max(measure.height(text_format, t) for t in texts) + 2 * table.cellMargin()


def _em(measure: TextMeasure, text_format) -> float:
    return measure.width(text_format, "中")


def _cell(text: str, colour: str | None, align, text_format=None) -> QgsTableCell:
    cell = QgsTableCell(text)
    cell.setHorizontalAlignment(align)
    cell.setVerticalAlignment(Qt.AlignmentFlag.AlignVCenter)
    if colour:
        cell.setBackgroundColor(QColor(colour))
    if text_format is not None:
        cell.setTextFormat(text_format)
    return cell
