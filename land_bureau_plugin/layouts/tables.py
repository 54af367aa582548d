"""What a theme makes of a result frame: the flagged rows in theme order, the printed top-N table (texts, cell
colours, "共 N 项，显示前 n 项"), the summary figures and the XLSX sheet. Qt-free, so it is unit-tested in
milliseconds and the layout builder only places what this module computed.

The frame's columns are the theme's field names (`Theme.fields()`); a column the layer lacks is simply absent
and the table leaves it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.units import with_unknown
from .themes import SEQUENCE_HEADER, Column, Figure, Theme

MISSING_TEXT = "—"
DATA_ERROR_TEXT = "数据错误"  # a value the analysis refused (tables._refused)
TOTAL = "合计"


def matches(series: pd.Series, values) -> pd.Series:
    """True where the value is one of `values`; numbers compare as numbers (1, 1.0, True), texts case-free; None
    in `values` matches a missing value (NULL, NaN, blank): an upstairs plan neither passed nor failed."""
    numeric_values = [float(v) for v in values if _is_number(v)]
    text_values = {str(v).strip().lower() for v in values if v is not None}
    as_number = pd.to_numeric(series, errors="coerce")
    hit_number = as_number.isin(numeric_values) if numeric_values else pd.Series(False, index=series.index)
    hit_text = series.map(lambda v: v is not None and not _is_nan(v) and str(v).strip().lower() in text_values)
    hit = hit_number | hit_text.astype(bool)
    if any(v is None for v in values):
        hit |= series.map(_is_missing).astype(bool)
    return hit.astype(bool)


def flagged(frame: pd.DataFrame, theme: Theme) -> pd.DataFrame:
    """The flagged rows, worst first by the theme's sort (missing values last, ties in feature order)."""
    if theme.flag_field not in frame.columns:
        return frame.iloc[0:0]
    return sort_rows(frame[matches(frame[theme.flag_field], theme.flag_values).to_numpy()], theme)


def sort_rows(frame: pd.DataFrame, theme: Theme) -> pd.DataFrame:
    keys = [(name, ascending) for name, ascending in theme.sort if name in frame.columns]
    if not keys or frame.empty:
        return frame
    order = pd.DataFrame({f"k{i}": _sort_key(frame[name]) for i, (name, _) in enumerate(keys)}, index=frame.index)
    order["position"] = np.arange(len(frame))
    ranked = order.sort_values([f"k{i}" for i in range(len(keys))] + ["position"],
                               ascending=[a for _, a in keys] + [True], na_position="last", kind="mergesort")
    return frame.loc[ranked.index]


@dataclass
class TableRows:
    """The printed table: header texts, cell texts and background colours (None = none), and the counts."""

    headers: list
    rows: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    total: int = 0
    columns: list = field(default_factory=list)  # the Column of each header after the 序号 column
    ids: list = field(default_factory=list)  # the frame index (feature id) of each row, for the map's numbers

    @property
    def shown(self) -> int:
        return len(self.rows)

    def note(self) -> str:
        """'共 N 项，显示前 n 项' when cut, '共 N 项' otherwise (the empty table says the theme's empty text)."""
        if self.shown < self.total:
            return f"共 {self.total} 项，显示前 {self.shown} 项"
        return f"共 {self.total} 项"


def table_rows(frame: pd.DataFrame, theme: Theme, limit: int | None = None) -> TableRows:
    """The top `limit` (default the theme's top N) flagged rows as texts, numbered 1…n."""
    rows = flagged(frame, theme)
    limit = theme.top_n if limit is None else max(0, int(limit))
    columns = [c for c in theme.printed_columns() if c.field in frame.columns]
    table = TableRows(headers=[SEQUENCE_HEADER] + [c.printed_title for c in columns], total=len(rows),
                      columns=columns)
    top = rows.head(limit)
    texts = [[str(i + 1) for i in range(len(top))]] + [
        _otherwise(top, c, _refused(top, c, _failed(top, c, format_column(top[c.field], c)))) for c in columns]
    colours = [[None] * len(top)] + [[c.colours.get(_key(v)) for v in top[c.field]] for c in columns]
    table.rows = [list(r) for r in zip(*texts)]
    table.colours = [list(r) for r in zip(*colours)]
    table.ids = list(top.index)
    return table


def format_column(values: pd.Series, column: Column, shorten: bool = True) -> list[str]:
    """Printed texts: codes as words, numbers scaled and rounded, long texts cut with '…', missing as '—'."""
    out = []
    for value in values:
        if _is_missing(value):
            out.append(column.missing or MISSING_TEXT)
            continue
        if column.labels:
            text = label(value, column)
        elif column.decimals is not None and _is_number(value):
            text = f"{float(value) * column.scale:,.{column.decimals}f}"
        else:
            text = str(value)
        if shorten and column.max_chars and len(text) > column.max_chars:
            text = text[:column.max_chars - 1] + "…"
        out.append(text)
    return out


def _refused(rows: pd.DataFrame, column: Column, texts: list[str]) -> list[str]:
    """`texts` with 数据错误 where the row's `unchecked_in` list names the column's field and the field has a
    value: a value the analysis refused (height 900 m, -5 m) is never printed as a figure."""
    if not column.unchecked_in or column.unchecked_in not in rows.columns:
        return texts
    out = []
    for text, value, unchecked in zip(texts, rows[column.field], rows[column.unchecked_in]):
        listed = isinstance(unchecked, str) and column.field in (p.strip() for p in unchecked.split(","))
        out.append(DATA_ERROR_TEXT if listed and not _is_missing(value) else text)
    return out


FAILED_DECIMALS = 4


def _failed(rows: pd.DataFrame, column: Column, texts: list[str]) -> list[str]:
    """`texts` with the values of the rows whose `failed_in` list names the column's field written with up to
    FAILED_DECIMALS decimals (at least the column's): a failing value rounded to its threshold read as passing."""
    if not column.failed_in or column.failed_in not in rows.columns or column.decimals is None:
        return texts
    out = []
    for text, value, failed in zip(texts, rows[column.field], rows[column.failed_in]):
        listed = isinstance(failed, str) and column.field in (p.strip() for p in failed.split(","))
        if listed and _is_number(value) and not _is_missing(value):
            text = f"{float(value) * column.scale:,.{max(column.decimals, FAILED_DECIMALS)}f}"
            whole, _, decimals = text.partition(".")
            decimals = decimals.rstrip("0").ljust(column.decimals, "0")
            text = f"{whole}.{decimals}" if decimals else whole
        out.append(text)
    return out


def _otherwise(rows: pd.DataFrame, column: Column, texts: list[str]) -> list[str]:
    """`texts` with the column's `otherwise` field (after its note) where the column's own value is empty."""
    if not column.otherwise or column.otherwise not in rows.columns:
        return texts
    own = [_is_missing(v) or (isinstance(v, str) and not v.strip()) for v in rows[column.field]]
    other = format_column(rows[column.otherwise], column, shorten=False)
    present = [not (_is_missing(v) or (isinstance(v, str) and not v.strip())) for v in rows[column.otherwise]]
    return [f"{column.otherwise_note}{alt}" if empty and has else text
            for text, empty, alt, has in zip(texts, own, other, present)]


def label(value, column: Column) -> str:
    """A code in words; a list of codes ("far,height", the column's separator) part by part, joined with 、."""
    if column.separator and isinstance(value, str):
        parts = [p.strip() for p in value.split(column.separator) if p.strip()]
        return "、".join(column.labels.get(p, p) for p in parts)
    return str(column.labels.get(_key(value), value))


def _is_missing(value) -> bool:
    return value is None or _is_nan(value) or (isinstance(value, str) and not value.strip())


def nice_scale(scale: float) -> int:
    """The printed scale: rounded up to two significant digits (27,843 → 28,000), so the map shows at least
    what was asked for and the 1:n reads like a planner's."""
    import math

    if scale <= 100:
        return max(1, math.ceil(scale))
    step = 10 ** (int(math.floor(math.log10(scale))) - 1)
    return int(math.ceil(scale / step - 1e-9) * step)


def text_width_em(text: str) -> float:
    """Width of the longest line in em: CJK and full-width characters 1, others about 0.55."""
    return max((sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in line) for line in str(text).split("\n")),
               default=0.0)


def fit_widths(naturals: list[float], available: float, minimum: float = 0.0) -> list[float]:
    """Column widths that fill `available`: natural widths grown in proportion when they fit, else the widest
    columns capped at one common width (their texts wrap) so the narrow ones keep their natural width."""
    if not naturals:
        return []
    total = sum(naturals)
    if total <= available:
        return [w * available / total for w in naturals] if total > 0 else [available / len(naturals)] * len(naturals)
    widths = sorted(naturals)
    remaining, cap = available, minimum
    for n, width in enumerate(widths):  # water-filling: the cap where the capped columns use up what is left
        share = remaining / (len(widths) - n)
        if width >= share:
            cap = max(share, minimum)
            break
        remaining -= width
    return [min(w, cap) for w in naturals]


def figure_value(frame: pd.DataFrame, figure: Figure) -> float | None:
    """The figure over the frame (a sum: of the known values, `figure_unknown` counts the others); None when a field
    it needs is absent."""
    rows = frame
    if figure.where:
        if figure.where not in frame.columns:
            return None
        rows = frame[matches(frame[figure.where], figure.where_values).to_numpy()]
    if figure.field is None:
        return float(len(rows))
    if figure.field not in frame.columns:
        return None
    return float(pd.to_numeric(rows[figure.field], errors="coerce").fillna(0).sum()) * figure.scale


def figure_unknown(frame: pd.DataFrame, figure: Figure) -> int:
    """How many of the rows a summing figure counts have no value in its field (0 for a count)."""
    if figure.field is None or figure.field not in frame.columns:
        return 0
    rows = frame
    if figure.where and figure.where in frame.columns:
        rows = frame[matches(frame[figure.where], figure.where_values).to_numpy()]
    return int(pd.to_numeric(rows[figure.field], errors="coerce").isna().sum())


def figures(frame: pd.DataFrame, theme: Theme) -> list[tuple[str, str]]:
    """(title with unit, formatted value) for each figure the frame can answer; a sum over rows of which some have
    no value says how many in the figure's `unknown` words ("120.0（1宗地价不明）", analysis.units.with_unknown), so
    an unknown is never read as 0."""
    out = []
    for figure in theme.figures:
        value = figure_value(frame, figure)
        if value is None:
            continue
        out.append((figure.title, with_unknown(f"{value:,.{figure.decimals}f}", figure_unknown(frame, figure),
                                               figure.unknown)))
    return out


def breakdown(frame: pd.DataFrame, theme: Theme) -> tuple[list[str], list[list[str]]]:
    """The figures per value of the theme's breakdown field (districts, in name order) and a 合计 row: (headers,
    rows). Only the 合计 row when the frame has no such field or a single value."""
    totals = figures(frame, theme)
    headers = [theme.breakdown_header] + [title for title, _ in totals]
    total_row = [TOTAL] + [value for _, value in totals]
    if not theme.breakdown or theme.breakdown not in frame.columns:
        return headers, [total_row]
    keys = frame[theme.breakdown].map(lambda v: MISSING_TEXT if v is None or _is_nan(v) or str(v).strip() == ""
                                      else str(v))
    groups = sorted(keys.unique(), key=lambda g: (g == MISSING_TEXT, g))  # missing last
    if len(groups) < 2:
        return headers, [total_row]
    rows = [[group] + [value for _, value in figures(frame[(keys == group).to_numpy()], theme)] for group in groups]
    return headers, rows + [total_row]


def class_note(frame: pd.DataFrame, theme: Theme) -> str:
    """"分类分级：规上 120 宗（A 30、B 54、C 30、D 6）；规下 40 宗（…）；单列 12 宗；不定等级 5 宗" — the rows of each
    class of the theme's `class_field` and, for the graded ones, their grades (the grade column's labels, letters only);
    "" when the theme has no class field or the frame lacks it."""
    if not theme.class_field or theme.class_field not in frame.columns:
        return ""
    column = next((c for c in theme.columns if c.field == theme.class_field), None)
    labels = column.labels if column is not None else {}
    grades = frame["grade"] if "grade" in frame.columns else pd.Series(None, index=frame.index)
    parts = []
    for key in labels:
        rows = (frame[theme.class_field] == key).to_numpy()
        if not rows.any():
            continue
        counts = grades[rows].dropna().astype(str).value_counts().sort_index()
        within = "、".join(f"{g} {n}" for g, n in counts.items())
        parts.append(f"{labels[key]} {int(rows.sum())} 宗" + (f"（{within}）" if within else ""))
    return "分类分级：" + "；".join(parts) if parts else ""


def export_frame(frame: pd.DataFrame, theme: Theme, flagged_only: bool = False) -> pd.DataFrame:
    """All rows (or the flagged ones), theme order, every theme column: headers with units, numbers in the printed
    unit (kept numeric for Excel), codes as words, texts whole."""
    rows = flagged(frame, theme) if flagged_only else sort_rows(frame, theme)
    out = {}
    for column in theme.columns:
        if column.field not in rows.columns:
            continue
        values = rows[column.field]
        if column.labels:
            out[column.title] = [None if v is None or _is_nan(v) else label(v, column) for v in values]
        elif column.decimals is not None:
            numbers = pd.to_numeric(values, errors="coerce") * column.scale
            out[column.title] = numbers.round(column.decimals).to_numpy()
        else:
            out[column.title] = values.to_numpy()
    return pd.DataFrame(out)


def number_formats(theme: Theme, headers) -> dict[str, str]:
    """Excel number formats by header for the numeric columns of `export_frame` ('0.00', '#,##0')."""
    formats = {}
    for column in theme.columns:
        if column.title in headers and column.decimals is not None and not column.labels:
            formats[column.title] = "#,##0" + ("." + "0" * column.decimals if column.decimals else "")
    return formats


def _sort_key(series: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.notna().sum() >= series.notna().sum():
        return numbers
    return series.map(lambda v: None if v is None or _is_nan(v) else str(v))


def _key(value):
    """Label/colour lookup key: codes are texts; 1.0 and True look up as '1'/'True' keys too."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_nan(value) -> bool:
    return isinstance(value, float) and np.isnan(value) or value is pd.NaT


def _is_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, str) or value.strip() != ""
