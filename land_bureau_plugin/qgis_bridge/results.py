"""Result columns → QGIS fields and attribute rows: types, Chinese aliases, and pandas values → QGIS values."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from qgis.core import QgsField
from qgis.PyQt.QtCore import QDate, QMetaType

from .field_types import new_field


@dataclass(frozen=True)
class ResultField:
    name: str
    kind: str  # "text", "int", "real", "date"
    alias: str = ""


_TYPES = {"text": QMetaType.Type.QString, "int": QMetaType.Type.Int, "real": QMetaType.Type.Double,
          "date": QMetaType.Type.QDate}


def qgs_fields(spec: list[ResultField]) -> list[QgsField]:
    """The sink's fields, without aliases: sinks drop them anyway (set_aliases gives them afterwards), and QGIS
    3.40+ logs two warnings per aliased field written to a temporary layer."""
    return [new_field(item.name, _TYPES[item.kind]) for item in spec]


def attribute_rows(result: pd.DataFrame, spec: list[ResultField]) -> dict:
    """{feature id: tuple of QGIS values in spec order}; NaN/NaT become NULL, dates become QDate."""
    return dict(zip(result.index, zip(*attribute_columns(result, spec).values())))


def attribute_columns(result: pd.DataFrame, spec: list[ResultField]) -> dict:
    """{column name: list of QGIS values in the rows' order} in spec order, converted as `attribute_rows` does."""
    return {item.name: _convert(result[item.name], item.kind) for item in spec}


def _convert(series: pd.Series, kind: str) -> list:
    missing = series.isna().to_numpy()
    if kind == "date":
        values = [None if m else QDate(d.year, d.month, d.day) for d, m in zip(series, missing)]
    elif kind == "int":
        values = np.where(missing, 0, pd.to_numeric(series, errors="coerce").fillna(0)).astype(np.int64).tolist()
        values = [None if m else v for v, m in zip(values, missing)]
    elif kind == "real":
        values = [None if m else float(v) for v, m in zip(series.tolist(), missing)]
    else:
        values = [None if m else str(v) for v, m in zip(series.tolist(), missing)]
    return values


def set_aliases(layer, spec: list[ResultField]) -> None:
    """Give a result layer's fields their aliases. Sinks do not carry aliases over (memory layers drop them,
    GeoPackages cannot store them), so an algorithm sets them on its loaded output layer afterwards. A shapefile
    output first gets its documented field names back as virtual fields (shapefile_names.restore_result_names);
    its short names get the aliases too."""
    from .shapefile_names import SHORT_NAMES, restore_result_names

    restore_result_names(layer)
    for item in spec:
        for name in (item.name, SHORT_NAMES.get(item.name)):
            index = layer.fields().indexOf(name) if name else -1
            if index >= 0 and item.alias:
                layer.setFieldAlias(index, item.alias)


class ResultRows:
    """`attribute_rows` for a writer that asks feature by feature: {feature id: tuple}, converted `CHUNK` rows at a
    time. At a million rows the tuples of `attribute_rows` alone take half a gigabyte; this holds one chunk.
    Features asked for in the order they were read find their row directly, any other order through the index."""

    CHUNK = 10_000

    def __init__(self, result: pd.DataFrame, spec: list[ResultField]):
        self.result, self.spec = result, spec
        self.fids = result.index.to_numpy()
        self.next, self.start, self.rows = 0, 0, []

    def __len__(self) -> int:
        return len(self.fids)

    def __getitem__(self, fid):
        position = self.next
        if position >= len(self.fids) or self.fids[position] != fid:
            position = self.result.index.get_loc(fid)
        self.next = position + 1
        if not self.start <= position < self.start + len(self.rows):
            part = self.result.iloc[position:position + self.CHUNK]
            self.start, self.rows = position, list(zip(*(_convert(part[item.name], item.kind) for item in self.spec)))
        return self.rows[position - self.start]
