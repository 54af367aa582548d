"""Values in the unit their field's name says, brought to the canonical field's unit: the one place where a unit
written in a field name (用地面积（亩）, 税收(元), 建筑高度(cm)) is applied, for every analysis and both engines.

The local reader (qgis_bridge.layers.read_columns) and the in-database engine's parcel reader
(postgis.efficiency.DatabaseSpatial.read_parcels) pass every mapped column through `in_canonical_unit`; what the
database engine reads in SQL (a building's height) is multiplied there by `sql_factor` and read without unit
suffixes, as `in_canonical_unit` reads it. So both engines judge the same values.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .fields import FIELDS, NUMBER, normalise, unit_conversion, unit_in_name
from .numbers import read
from .units import conversion_factor

# 不动产 宗地 tables give an area's unit in a field of its own (面积单位 MJDW), per feature: a code of the 不动产登记
# database dictionary (1 平方米, 2 亩, 3 公顷) or the unit written out. It applies to the area fields whose name
# carries no unit of its own.
AREA_UNIT_FIELDS = ("mjdw", "面积单位")
AREA_UNIT_CODES = {"1": "平方米", "2": "亩", "3": "公顷"}
AREA_FIELDS = ("area_m2", "declared_area")


def _conversion(layer_field: str, canon: str) -> tuple[str, float] | None:
    """(unit, factor) when the values of `layer_field` read as `canon` must be converted; None when not."""
    conversion = unit_conversion(layer_field, canon) if canon in FIELDS and FIELDS[canon].kind == NUMBER else None
    return None if conversion is None or conversion[1] == 1.0 else conversion


def sql_factor(layer_field: str | None, canon: str) -> float | None:
    """The factor a value of `layer_field` read as `canon` is multiplied by; None when it is read as it is (no unit
    in the name, the canonical unit, or one that does not convert)."""
    conversion = _conversion(layer_field, canon) if layer_field else None
    return None if conversion is None else conversion[1]


def in_canonical_unit(values: np.ndarray, layer_field: str, canon: str) -> np.ndarray:
    """`values` of `layer_field` read as `canon`, in the canonical unit: 用地面积（亩） as area_m2 multiplied by
    10000/15, 税收(元) as tax by 1/10000 (analysis.fields.unit_conversion).

    Numbers and whatever analysis.numbers reads as a plain number ("1,234.5", "1,2" with a decimal comma, full-width
    digits) are converted. Other text with digits ("约3亩", "3t" in a field in kg: a unit of its own that contradicts
    the name's) gets the name's unit appended, so that the readers report it instead of taking it in the wrong unit;
    text without digits (placeholders such as 无, junk) stays as it was, for the readers to name."""
    conversion = _conversion(layer_field, canon)
    if conversion is None:
        return values
    unit, factor = conversion
    if values.dtype.kind == "f":
        return values * factor
    reading = read(pd.Series(values, dtype=object))  # no unit suffixes: the name says the unit
    out = np.array(values, dtype=object)
    usable = reading.values.notna().to_numpy()
    out[usable] = reading.values.to_numpy()[usable] * factor
    for i in np.flatnonzero(reading.junk.to_numpy()):
        if any(c.isdigit() for c in str(out[i])):
            out[i] = f"{out[i]}{unit}"
    return out


def area_unit_field(layer_fields, field_map: dict[str, str]) -> str | None:
    """The layer's area-unit field (MJDW, 面积单位) when an area field of the map has no unit in its name; else None."""
    if not any(field_map.get(canon) and not unit_in_name(field_map[canon])[1] for canon in AREA_FIELDS):
        return None
    return next((name for name in layer_fields if normalise(name) in AREA_UNIT_FIELDS), None)


def area_unit_factor(unit) -> float | None:
    """m² per unit of an area-unit value ("2" or 亩 → 666.67); 1.0 when empty (nothing said: m²); None when it is
    no known area unit."""
    text = "" if unit is None or (isinstance(unit, float) and np.isnan(unit)) else str(unit).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a code stored as a real number
        text = text[:-2]
    if not text:
        return 1.0
    return conversion_factor(AREA_UNIT_CODES.get(text, text), "m²")


def in_area_units(values: np.ndarray, units, unit_field: str) -> np.ndarray:
    """Area `values` in m², each by the unit its row's area-unit field gives (`area_unit_factor`). A value whose
    unit is no known area unit gets it appended ("18 (MJDW=9)"), so the readers report it by feature instead of
    taking it as m²."""
    factors = [area_unit_factor(unit) for unit in units]
    if all(f == 1.0 for f in factors):
        return values
    reading = read(pd.Series(values, dtype=object))
    out = np.array(values, dtype=object)
    numbers = reading.values.to_numpy()
    for i, (factor, unit) in enumerate(zip(factors, units)):
        if factor is None:
            if out[i] is not None and str(out[i]).strip():
                out[i] = f"{out[i]} ({unit_field}={unit})"
        elif factor != 1.0 and not np.isnan(numbers[i]):
            out[i] = numbers[i] * factor
    return out
