"""A theme's second printed table (Theme.second_table): another output of the same run, printed with the result —
land supply's 批而未供 batches (batch id, 批而未供 亩, age, grade) under the idle parcels, whose table and figures
cover the supplied parcels only — or rows the run's SUMMARY gives (`second_role` "summary", themes.summary_rows:
the living circle's coverage per facility type under the units with gaps).

The bundled templates have no item for it: a heading and a manual table are added to the layout, styled like the
main table, right under the main table's note and inside the main table's frame (so they never reach the footer or
the legend). As many rows as fit are printed, the heading saying "共 N 批，显示前 n 批" when cut; when not even one
row fits (A4 with a long 依据 note) the table is left out and the subtitle's 批而未供 figures stay the summary.
"""
from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemManualTable,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt

from . import layer_roles, table_item, tables
from .themes import Theme

GAP = 3.0  # mm between the main table's note and the heading
HEADING_ID, TABLE_ID = "second_table_heading", "second_table"
MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters


FOLD_WIDTH = 150.0  # mm: a table this wide prints its rows in blocks side by side (A4 portrait's full width)
FOLD_PARTS = 3
FOLD_ROWS = 8  # … when it has at least this many rows
SUMMARY_ROLE = "summary"  # a second table whose rows come from the run's SUMMARY (themes.summary_rows)


def second_frame(theme: Theme, context_layers, read, summary_rows=()) -> pd.DataFrame | None:
    """The rows of the theme's second table from the first context layer of its print role (None when the theme
    has none or no such layer was given): `read(layer, theme)` reads the theme's columns (builder.read_theme_columns
    without geometry). Rows whose `drop_zero` value is 0 are left out."""
    second = theme.second_table
    if second is None:
        return None
    if theme.second_role == SUMMARY_ROLE:  # the whole city's figures: no layer, no place on the map
        return pd.DataFrame(list(summary_rows)) if summary_rows else None
    layer = next((layer for layer in context_layers if layer_roles.print_role(layer).key == theme.second_role),
                 None)
    if layer is None:
        return None
    frame = read(layer, second)
    if second.drop_zero and second.drop_zero in frame.columns:
        values = pd.to_numeric(frame[second.drop_zero], errors="coerce")
        frame = frame[~(values == 0).to_numpy()]
    return frame


class SecondTable:
    """The heading and table items of a theme's second table, added to `layout` once and styled like the main
    table (`main`, its heading `main_heading`: a QgsLayoutItemLabel)."""

    def __init__(self, layout, theme: Theme, frame: pd.DataFrame, main, main_heading, width: float, label_format):
        self.theme, self.frame, self.width = theme, frame, width
        self.fold_short = False  # fold fewer than FOLD_ROWS rows too: they did not fit in one block (fill)
        self.heading = QgsLayoutItemLabel(layout)
        self.heading.setId(HEADING_ID)
        if hasattr(self.heading, "setTextFormat"):  # QGIS ≥ 3.24; 3.22 has the font only
            self.heading.setTextFormat(label_format(main_heading))
        else:
            self.heading.setFont(main_heading.font())
        self.heading.setMarginX(0)
        self.heading.setMarginY(0)
        self.heading.setVAlign(Qt.AlignmentFlag.AlignVCenter)
        layout.addLayoutItem(self.heading)
        self.heading_height = main_heading.rect().height()
        self.table = QgsLayoutItemManualTable.create(layout)
        layout.addMultiFrame(self.table)
        self.item = QgsLayoutFrame(layout, self.table)
        self.item.setId(TABLE_ID)
        self.table.addFrame(self.item)
        self.table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
        self.table.setHeaderTextFormat(main.headerTextFormat())
        self.table.setContentTextFormat(main.contentTextFormat())
        self.table.setCellMargin(main.cellMargin())
        self.table.setGridStrokeWidth(main.gridStrokeWidth())
        self.table.setGridColor(main.gridColor())
        self.table.setBackgroundColor(main.backgroundColor())
        self.table.setWrapBehavior(main.wrapBehavior())
        self.table.setEmptyTableBehavior(main.emptyTableBehavior())

    def hide(self) -> None:
        self.heading.setVisibility(False)
        self.item.setVisibility(False)
        table_item.clear_table(self.table)

    @property
    def totals(self) -> bool:
        """A table from the run's summary ends with its total (every basic facility): set like the header."""
        return self.theme.key == "coverage_printed"

    def texts(self, frame: pd.DataFrame, align):
        rows = tables.table_rows(frame, self.theme)
        headers, texts = rows.headers[1:], [row[1:] for row in rows.rows]  # no 序号: the map numbers the parcels
        colours = [row[1:] for row in rows.colours]
        aligns = [align(c) for c in rows.columns]
        parts = self.parts(len(texts))
        if parts > 1:  # a wide page: the rows in `parts` blocks side by side, without the columns it can spare
            keep = [i for i, column in enumerate(rows.columns) if column.folded]
            headers, aligns = [headers[i] for i in keep], [aligns[i] for i in keep]
            texts = [[row[i] for i in keep] for row in texts]
            colours = [[row[i] for i in keep] for row in colours]
            size = -(-len(texts) // parts)
            blank, none = [""] * len(headers), [None] * len(headers)
            texts = [sum((texts[i + k * size] if i + k * size < len(texts) else blank for k in range(parts)), [])
                     for i in range(size)]
            colours = [sum((colours[i + k * size] if i + k * size < len(colours) else none for k in range(parts)),
                           []) for i in range(size)]
            headers, aligns = headers * parts, aligns * parts
        return rows, headers, texts, colours, aligns

    def parts(self, rows: int) -> int:
        """Side-by-side blocks the rows are printed in: 3 on a page as wide as A4 portrait's (from FOLD_ROWS rows, or
        fewer that do not fit in one block), 1 on A3's column."""
        return FOLD_PARTS if self.width >= FOLD_WIDTH and (rows >= FOLD_ROWS or self.fold_short) and rows > 1 else 1

    def height_needed(self, measure: table_item.TextMeasure, frame: pd.DataFrame, align) -> float:
        """The height (mm) the heading and every row take: measured by filling the table once, then cleared."""
        _rows, headers, texts, colours, aligns = self.texts(frame, align)
        if not texts:
            return 0.0
        _shown, height = table_item.fill_table(self.table, measure, self.width, headers, texts, colours, aligns,
                                               None, emphasise_last=self.totals)
        table_item.clear_table(self.table)
        return self.heading_height + 1.0 + height

    def fill(self, measure: table_item.TextMeasure, frame: pd.DataFrame, x: float, top: float, bottom: float,
             align) -> int:
        """The table of `frame`'s rows (a page's, or all) between `top` and `bottom` (mm) at `x`, each column
        aligned by `align(column)` as the main table's; returns the rows printed (0: nothing printed, the items
        hidden). On a wide page rows that do not fit in one block go in blocks side by side (A4 portrait's six
        flows between counties had room for two rows)."""
        self.fold_short = False
        shown, printed, listed = self._fill(measure, frame, x, top, bottom, align)
        if 0 < printed < listed and self.parts(listed) == 1 and self.width >= FOLD_WIDTH:
            self.fold_short = True
            shown, printed, listed = self._fill(measure, frame, x, top, bottom, align)
        return shown

    def _fill(self, measure, frame, x, top, bottom, align) -> tuple[int, int, int]:
        """fill once: (table rows shown, listed rows printed, listed rows)."""
        rows, headers, texts, colours, aligns = self.texts(frame, align)
        listed = len(rows.rows)
        table_top = top + self.heading_height + 1.0
        space = bottom - table_top
        shown, height = (0, 0.0)
        if texts and space > 0:
            shown, height = table_item.fill_table(self.table, measure, self.width, headers, texts, colours, aligns,
                                                  space, emphasise_last=self.totals)
        visible = shown > 0
        self.heading.setVisibility(visible)
        self.item.setVisibility(visible)
        if not visible:
            table_item.clear_table(self.table)
            return 0, 0, listed
        unit = self.theme.row_unit
        printed = min(rows.total, shown * self.parts(rows.total))
        title = self.theme.table_title + ("" if printed == rows.total else
                                          f"（共 {rows.total} {unit}，显示前 {printed} {unit}）")
        self.heading.setText(title)
        self.heading.attemptMove(QgsLayoutPoint(x, top, MM))
        self.heading.attemptResize(QgsLayoutSize(self.width, self.heading_height, MM))
        self.item.attemptMove(QgsLayoutPoint(x, table_top, MM))
        self.item.attemptResize(QgsLayoutSize(self.width, height, MM))
        return shown, min(listed, printed), listed

