"""One grade for every deadline type and one board across them (analysis/deadlines.py)."""
import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis.deadlines import BOARD_COLUMNS, board, grade

WINDOWS = {"yellow": 180, "orange": 90}


@pytest.mark.parametrize("days, expected", [(181, "green"), (180, "yellow"), (91, "yellow"), (90, "orange"),
                                            (0, "orange"), (np.nan, "green")])
def test_the_windows_at_just_outside_and_inside(days, expected):
    assert grade([False], [days], [False], WINDOWS)[0] == expected


def test_overdue_beats_everything_and_missing_beats_only_green():
    assert list(grade([True, False, False], [500, 10, np.nan], [True, True, True], WINDOWS)) == ["red", "orange",
                                                                                                 "grey"]


def item(kind, grade_, days, item_id):
    return {"kind": kind, "item_id": item_id, "grade": grade_, "days_left": days}


def test_the_board_lists_every_type_worst_grade_first_then_fewest_days():
    resettlement = pd.DataFrame([item("resettlement", "yellow", 100, "R1"), item("resettlement", "red", -5, "R2")])
    supply = pd.DataFrame([item("supply", "red", -400, "S1"), item("supply", "grey", None, "S2"),
                           item("supply", "orange", 3, "S3"), item("supply", "red", None, "S4")])
    table = board(resettlement, supply, None, pd.DataFrame())
    assert list(table.columns) == list(BOARD_COLUMNS)
    assert list(table["item_id"]) == ["S1", "R2", "S4", "S3", "R1", "S2"]
    assert list(board(resettlement, supply, limit=2)["item_id"]) == ["S1", "R2"]
    assert board().empty and list(board().columns) == list(BOARD_COLUMNS)
