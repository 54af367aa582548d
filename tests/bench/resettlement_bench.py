"""Resettlement section of `make bench`.

Resettlement (+1/+4/+5): the vectorised engine vs. a plain per-row Python loop over the same rules' core
(due date, status) — the way a hand-written field-calculator script would do it. Sizes:
RESETTLEMENT_BENCH_SIZES="10000 100000" (default).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from land_bureau_plugin.analysis.resettlement import evaluate  # noqa: E402

FORMS = ("{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}{m:02d}{d:02d}", "{y}年{m}月{d}日")


def projects(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = np.datetime64("2018-01-01") + rng.integers(0, 8 * 365, n).astype("timedelta64[D]")
    start = base + rng.integers(100, 700, n).astype("timedelta64[D]")
    def text(days, missing_share):
        out = []
        for i, d in enumerate(pd.to_datetime(days)):
            out.append(None if rng.random() < missing_share else FORMS[i % 4].format(y=d.year, m=d.month, d=d.day))
        return out
    return pd.DataFrame({"project_id": [f"ZQ-{i}" for i in range(n)], "expropriation_date": text(base, 0.01),
                         "housing_start_date": text(start, 0.3), "households": rng.integers(1, 300, n)})


def per_row_loop(frame: pd.DataFrame, as_of: dt.date) -> list[str]:
    """The naive reference: parse each row's date and grade the +1 milestone in Python."""
    grades = []
    for expro, start in zip(frame["expropriation_date"], frame["housing_start_date"]):
        e = _parse(expro)
        if e is None:
            grades.append("grey")
            continue
        try:
            due = e.replace(year=e.year + 1)
        except ValueError:
            due = e.replace(year=e.year + 1, day=28)
        s = _parse(start)
        grades.append("green" if s and s <= due else "red" if (s is None and as_of > due) else "yellow")
    return grades


def _parse(text):
    if not isinstance(text, str) or not text:  # None, or NaN: a missing text of pandas 3's str column
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    """Print the resettlement table."""
    as_of = dt.date(2026, 11, 27)
    print(f"{'resettlement projects':>22} | {'vectorised (3 milestones)':>26} | {'per-row loop (+1 only)':>24}")
    for n in (int(v) for v in os.environ.get("RESETTLEMENT_BENCH_SIZES", "10000 100000").split()):
        frame = projects(n)
        fast = timed(evaluate, frame, as_of)
        slow = timed(per_row_loop, frame, as_of)
        print(f"{n:>22,} | {fast:>24.3f} s | {slow:>22.3f} s")


if __name__ == "__main__":
    main()
