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
from .frames import frame_of

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


def most_urgent(frame: pd.DataFrame, limit: int, days: str = "days_left") -> pd.DataFrame:
    """A copy of the `limit` most urgent rows (worst `grade`, then fewest `days` left, rows without days last), or
    of all when they fit: a panel's table of 100k rows would keep QGIS busy for seconds on every sort."""
    if len(frame) <= limit or "grade" not in frame:
        return frame.head(limit).copy()
    keys = pd.DataFrame({"urgency": urgency(frame["grade"]).to_numpy()})
    if days in frame:
        keys["days"] = pd.to_numeric(frame[days], errors="coerce").to_numpy(dtype=float)
    order = keys.sort_values(list(keys.columns), kind="stable", na_position="last").index[:limit]
    return frame.iloc[order].copy()


OPEN_MILESTONE = ("overdue", "due_soon", "pending")


def resettlement_items(frame: pd.DataFrame, milestones=("start", "complete", "resettle")) -> pd.DataFrame:
    """One board item per project with an open milestone: the most urgent one (fewest days left; overdue ones are
    negative), its due date and status. Done and data-error projects have nothing due."""
    days = np.column_stack([
        np.where(frame[f"{m}_status"].isin(OPEN_MILESTONE).to_numpy(),
                 pd.to_numeric(frame[f"{m}_days"], errors="coerce").to_numpy(dtype=float), np.inf)
        for m in milestones]) if len(frame) else np.empty((0, len(milestones)))
    has_open = np.isfinite(days).any(axis=1) if len(frame) else np.zeros(0, dtype=bool)
    pick = days.argmin(axis=1) if len(frame) else np.zeros(0, dtype=int)
    rows = np.flatnonzero(has_open)
    chosen = pick[rows]
    take = lambda part: np.array([frame[f"{milestones[k]}_{part}"].iat[r] for r, k in zip(rows, chosen)],  # noqa: E731
                                 dtype=object)
    return frame_of({
        "kind": "resettlement", "item_id": _column(frame, "project_id")[rows],
        "name": _column(frame, "project_name")[rows], "district": _column(frame, "district")[rows],
        "deadline": np.array(milestones, dtype=object)[chosen], "due": take("due"),
        "days_left": days[rows, chosen], "grade": frame["grade"].to_numpy(dtype=object)[rows],
        "status": take("status"), "reasons": _column(frame, "reasons")[rows], "fid": frame.index.to_numpy()[rows],
    }, pd.RangeIndex(len(rows)), columns=BOARD_COLUMNS)


def supply_items(frame: pd.DataFrame) -> pd.DataFrame:
    """One board item per supplied parcel with a next deadline (start, idle, reclaim, completion), and per
    government-caused delay (red, exempt from fee and reclaim: no deadline counts, but the case is still the
    bureau's to settle, 闲置土地处置办法 第十二条) without a due date — listed after the dated red items."""
    if not len(frame):
        rows = np.zeros(0, dtype=int)
    else:
        listed = frame["next_due"].notna()
        if "supply_status" in frame:
            listed |= frame["supply_status"].eq("government_delay")
        rows = np.flatnonzero(listed.to_numpy())
    return frame_of({
        "kind": "supply", "item_id": _column(frame, "parcel_id")[rows], "name": _column(frame, "project_name")[rows],
        "district": _column(frame, "district")[rows], "deadline": _column(frame, "next_deadline")[rows],
        "due": _column(frame, "next_due")[rows],
        "days_left": pd.to_numeric(pd.Series(_column(frame, "days_left")[rows]), errors="coerce").to_numpy(),
        "grade": _column(frame, "grade")[rows], "status": _column(frame, "supply_status")[rows],
        "reasons": _column(frame, "reasons")[rows], "fid": frame.index.to_numpy()[rows],
    }, pd.RangeIndex(len(rows)), columns=BOARD_COLUMNS)


def batch_items(frame: pd.DataFrame, min_unsupplied_m2: float = 1.0) -> pd.DataFrame:
    """One board item per approval batch with land still unsupplied (at least `min_unsupplied_m2`) and a known
    deadline (approval + the profile's years)."""
    if not len(frame):
        return pd.DataFrame(columns=BOARD_COLUMNS)
    left = pd.to_numeric(frame["unsupplied_m2"], errors="coerce").fillna(0).to_numpy()
    rows = np.flatnonzero((left >= min_unsupplied_m2) & frame["due"].notna().to_numpy())
    return frame_of({
        "kind": "unsupplied", "item_id": _column(frame, "batch_id")[rows], "name": _column(frame, "batch_name")[rows],
        "district": _column(frame, "district")[rows], "deadline": "unsupplied", "due": _column(frame, "due")[rows],
        "days_left": pd.to_numeric(pd.Series(_column(frame, "days_left")[rows]), errors="coerce").to_numpy(),
        "grade": _column(frame, "grade")[rows], "status": "unsupplied", "reasons": _column(frame, "reasons")[rows],
        "fid": frame.index.to_numpy()[rows],
    }, pd.RangeIndex(len(rows)), columns=BOARD_COLUMNS)


def due_within(table: pd.DataFrame, days: int) -> pd.DataFrame:
    """The board's items due within `days` days, overdue ones (negative days, red) included."""
    left = pd.to_numeric(table["days_left"], errors="coerce")
    return table[((left <= days) | table["grade"].eq("red")).to_numpy()]


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as an object array (all None when the frame lacks it: a layer without project names)."""
    if name in frame:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)
