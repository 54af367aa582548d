"""What every deadline the bureau chases shares: one colour grade and one "due next" board.

The resettlement monitor ("+1 / +4 / +5", analysis.resettlement), land supply (闲置 / 供而未用, analysis.land_supply)
and the approval batches not yet supplied (批而未供, analysis.land_supply_batches) are graded the same way, so that one
board can list them together and a yellow means the same thing on both tabs:

- red: a deadline has passed (overdue);
- orange: the nearest open deadline is at most `orange` days away; yellow: at most `yellow` days;
- grey: data missing or unreadable, so no deadline can be counted;
- green: otherwise.

The windows are the profile's `resettlement.yellow_days` / `orange_days` for every deadline type: one board, one
window. `board` puts the items of all types into one table, most urgent first.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..rules.criteria import Criterion, Source

GRADES = ("green", "yellow", "orange", "red", "grey")
URGENCY = ("red", "orange", "yellow", "grey", "green")  # most urgent first: the board's and the tables' order
BOARD_COLUMNS = ("kind", "item_id", "name", "district", "deadline", "due", "days_left", "grade", "status",
                 "reasons", "fid")


def warning_criteria(windows: dict, source: Source | None = None) -> dict[str, Criterion]:
    """The windows as requirements on the days left to a deadline (rules.criteria): more than `windows["yellow"]`
    days, else yellow (an open milestone is "due soon"); more than `windows["orange"]`, else orange."""
    return {name: Criterion(name, "days_left", ">", windows[name], "due_soon", source or Source())
            for name in ("yellow", "orange")}


def grade(overdue, days_left, missing, windows: dict) -> np.ndarray:
    """The colour of each item: red where `overdue`, else orange / yellow where `days_left` (days to the nearest
    open deadline, NaN where none is open) is within `windows["orange"]` / `windows["yellow"]`, else grey where data
    is `missing`, else green."""
    days = np.asarray(pd.to_numeric(pd.Series(days_left), errors="coerce"), dtype=float)
    warning = warning_criteria(windows)
    return np.select([np.asarray(overdue, dtype=bool), warning["orange"].fails(days), warning["yellow"].fails(days),
                      np.asarray(missing, dtype=bool)], ["red", "orange", "yellow", "grey"], default="green")


def urgency(grades: pd.Series) -> pd.Series:
    """0 for red … 4 for green (unknown grades last)."""
    return grades.map({g: i for i, g in enumerate(URGENCY)}).fillna(len(URGENCY)).astype(int)


def board(*items: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The items of every deadline type (frames with BOARD_COLUMNS) in one table: worst grade first, then fewest
    days left (the most overdue first), items without a date last; `limit` rows at most."""
    frames = [frame.reindex(columns=BOARD_COLUMNS) for frame in items if frame is not None and len(frame)]
    if not frames:
        return pd.DataFrame(columns=BOARD_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    keys = pd.DataFrame({"urgency": urgency(table["grade"]).to_numpy(),
                         "days": pd.to_numeric(table["days_left"], errors="coerce").to_numpy(dtype=float)})
    order = keys.sort_values(["urgency", "days"], kind="stable", na_position="last").index
    table = table.iloc[order].reset_index(drop=True)
    return table.head(limit) if limit is not None else table
