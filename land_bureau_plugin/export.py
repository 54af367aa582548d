"""Result tables to files planners open in Excel: XLSX (frozen header, sensible widths) and UTF-8 CSV with a BOM
so Excel shows Chinese intact. Qt-free."""
from __future__ import annotations

import pandas as pd


def to_csv(frame: pd.DataFrame, path: str) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def to_xlsx(frame: pd.DataFrame, path: str, sheet: str = "results") -> None:
    """Write one sheet with a frozen, bold header row and column widths fitted to the content (CJK counts double)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet_ = book.active
    sheet_.title = sheet[:31]
    sheet_.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet_.append([_cell(v) for v in row])
    for cell in sheet_[1]:
        cell.font = Font(bold=True)
    sheet_.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        texts = [str(column)] + [str(v) for v in frame[column].head(500).tolist()]
        width = min(60, max(_display_width(t) for t in texts) + 2)
        sheet_.column_dimensions[get_column_letter(i)].width = width
    book.save(path)


def _cell(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
