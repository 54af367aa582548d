"""Result tables to files planners open in Excel: XLSX (styled, frozen header row with units, filters, number
formats, sensible widths) and UTF-8 CSV with a BOM so Excel shows Chinese intact. Qt-free."""
from __future__ import annotations

import pandas as pd

MAX_WIDTH = 60  # characters; longer texts wrap in Excel
SHEET_FORBIDDEN = set("[]:*?/\\")


def to_csv(frame: pd.DataFrame, path: str) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def to_xlsx(frame: pd.DataFrame, path: str, sheet: str = "results", number_formats: dict | None = None) -> None:
    """One sheet: a bold, shaded, frozen header row with an autofilter, numbers in `number_formats` ({header:
    Excel format, e.g. '#,##0.0'}), column widths fitted to the content (CJK counts double)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    number_formats = number_formats or {}
    book = Workbook()
    sheet_ = book.active
    sheet_.title = sheet_title(sheet)
    sheet_.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet_.append([_cell(v) for v in row])
    for cell in sheet_[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet_.freeze_panes = "A2"
    if len(frame.columns):
        sheet_.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        number_format = number_formats.get(column)
        if number_format:
            for (cell,) in sheet_.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = number_format
        sheet_.column_dimensions[letter].width = column_width(column, frame[column], number_format)
    book.save(path)


def column_width(header, values: pd.Series, number_format: str | None = None) -> float:
    """Characters: the widest of the header and the first 500 values (as they will show), plus a margin."""
    decimals = len(number_format.split(".")[1]) if number_format and "." in number_format else 0
    texts = [str(header)]
    for value in values.head(500).tolist():
        if number_format and isinstance(value, (int, float)) and not pd.isna(value):
            texts.append(f"{value:,.{decimals}f}")
        elif value is not None and not (isinstance(value, float) and pd.isna(value)):
            texts.append(str(value))
    return float(min(MAX_WIDTH, max(6, max(_display_width(t) for t in texts) + 2)))


def sheet_title(text: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in SHEET_FORBIDDEN else ch for ch in str(text)).strip() or "results"
    return cleaned[:31]


def theme_table(result: pd.DataFrame, theme, flagged_only: bool = False) -> tuple[pd.DataFrame, dict]:
    """A print theme's table of a result (layouts.tables.export_frame): Chinese headers with units (亩, 万m², 万元),
    codes in words, the theme's order; and the number formats for `to_xlsx`."""
    from .layouts.tables import export_frame, number_formats

    table = export_frame(result, theme, flagged_only)
    return table, number_formats(theme, table.columns)


def _cell(value):
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None  # an empty cell (pandas' NA of an Int64 column: openpyxl refuses it)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
