"""Plausibility limits: the largest value a field can truly hold, as profile data (`limits` in the sections
`efficiency` and `upstairs`), and the units a FAR or coverage column is written in.

A value above its limit is a data error — a FAR of 250 typed for 2.50, a tax in 元 in a 万元 column, 1e308 from a
broken export: it is named in the reasons and kept out of every rule, flag, score, total and printed figure (never
a pass, never a flag). Limits are in the canonical units (m, m², 万元, 吨标煤, ratio); `far` also bounds a FAR
derived from floor area / land area, so "floor area > 20 × land area" is the same data error. `coverage` is a share
(1.0 = 100 %). Land areas must also be above 0 (analysis-specific: a parcel or plan without area is reported apart).

A profile's `limits` override the defaults key by key (`Limited`): {"floors": 100} lowers the storeys limit and keeps
every other one — a profile naming one limit must not switch the FAR 20, the height 500 m … off unawares (they would
pass implausible values unflagged). Switching a limit off is said explicitly: {"floors": null}. An unknown field
("did you mean …") and a limit that is not a positive finite number are profile errors.

Percent columns. A FAR or coverage column may be written in percent (容积率 210 for 2.10, 建筑密度 35 for 35 %).
`percent_column` decides per layer from the values: a value written with "%" is always percent; otherwise, with the
unit "auto", the column is taken as percent when more than half of its known positive values exceed the ratio's
own limit (FAR > 20, coverage > 1) — in a ratio column those are rare data errors, in a percent column nearly every
value. The profile can fix the unit ("ratio" / "percent"); the decision is logged and stated on each converted row.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import did_you_mean
from .messages import QT_TRANSLATE_NOOP, Message

DEFAULT_LIMITS: dict[str, float] = {
    "far": 20.0, "coverage": 1.0, "height": 500.0, "floors": 200.0, "area_m2": 1e8, "declared_area": 1e8,
    "building_area": 2e9, "support_area": 2e9, "support_land_area": 1e8, "tax": 1e8, "output": 1e9,
    "rd_spend": 1e8, "energy": 1e8, "employees": 1e6, "ground_floor_height": 50.0, "upper_floor_height": 50.0,
    "ground_floor_load": 1000.0, "upper_floor_load": 1000.0, "lift_capacity": 100.0, "households": 100000.0,
    "population": 1000000.0,
    "developed_area": 1e8, "planned_investment": 1e8, "completed_investment": 1e8, "land_price": 1e8,
}
AUTO, RATIO, PERCENT = "auto", "ratio", "percent"
UNITS = (AUTO, RATIO, PERCENT)
PERCENT_SIGN = "percent_sign"  # how a column was read (`column_unit`): only its values written with "%" in percent


def limits_of(names) -> dict[str, float]:
    """The default limits of the given fields (a profile section's default `limits`)."""
    return {name: DEFAULT_LIMITS[name] for name in names}


class Limited:
    """What a profile section's frozen dataclass with a `limits` field (and the class attribute `limited_fields`,
    the fields it bounds) shares: the profile's limits laid over the defaults key by key, and the lookup."""

    limited_fields: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "limits", {**limits_of(self.limited_fields), **self.limits})

    def limit(self, name: str) -> float | None:
        """The plausibility limit of a field; None when it has none (switched off by the profile: null)."""
        return self.limits.get(name)

    def ratio_limit(self, name: str) -> float:
        """Above what a FAR or coverage value reads as percent for the unit "auto" (`percent_column`): its limit,
        or the default one when the profile switches the limit off — a column in percent is one whatever the
        profile thinks plausible."""
        limit = self.limit(name)
        return DEFAULT_LIMITS[name] if limit is None else limit


def validate_limits(limits: dict[str, float | None], known, key: str = "limits"):
    """Yield (key, message) for unknown fields and limits that are neither null (switched off) nor positive finite
    numbers."""
    for name, value in limits.items():
        if name not in known:
            yield f"{key}.{name}", Message(QT_TRANSLATE_NOOP("profile", "unknown field{hint}; known: {known}"),
                                           hint=did_you_mean(name, known), known=", ".join(known))
        elif value is not None and not (isinstance(value, (int, float)) and not isinstance(value, bool)
                                        and math.isfinite(value) and value > 0):
            yield f"{key}.{name}", Message(QT_TRANSLATE_NOOP(
                "profile", "must be a positive number, or null to switch the limit off"))


def validate_unit(value: str, key: str):
    if value not in UNITS:
        yield key, Message(QT_TRANSLATE_NOOP("profile", "must be one of {units}"), units=", ".join(UNITS))


def above(values, limit: float | None):
    """Mask of the values above `limit` (False where unknown or without a limit)."""
    values = np.asarray(values, dtype=float)
    if limit is None:
        return np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return values > limit * (1 + 1e-12)


def percent_column(values: pd.Series, written_percent: pd.Series, ratio_limit: float, unit: str) -> pd.Series:
    """Per row, True where the value is in percent (see the module docstring)."""
    if unit == PERCENT:
        return values.notna()
    if unit == RATIO:
        return written_percent & values.notna()
    known = values[(values > 0) & ~written_percent]
    majority = len(known) > 0 and int((known > ratio_limit).sum()) * 2 > len(known)
    return (written_percent | majority) & values.notna()


def column_unit(values, percent, written_percent) -> str | None:
    """How a FAR or coverage column was read, for the log, from its values, the rows read in percent
    (`percent_column`) and those written with "%": PERCENT when the column is (the profile's unit, or most values
    above the ratio's limit: every value divided by 100), PERCENT_SIGN when only values written with "%" are (the
    others ratios: one "41%" among ratios does not make the column percent), RATIO when no value is, None when the
    column holds none."""
    percent, written = np.asarray(percent, dtype=bool), np.asarray(written_percent, dtype=bool)
    if (percent & ~written).any():
        return PERCENT
    if percent.any():
        return PERCENT_SIGN
    return RATIO if pd.notna(np.asarray(values, dtype=float)).any() else None
