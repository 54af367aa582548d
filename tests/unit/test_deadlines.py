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


def test_a_project_is_due_on_its_most_urgent_open_milestone():
    from land_bureau_plugin.analysis.deadlines import resettlement_items
    from land_bureau_plugin.analysis.resettlement import evaluate

    projects = pd.DataFrame([
        {"project_id": "A", "expropriation_date": "2020-01-01"},  # start 1461 days overdue, complete 366
        {"project_id": "B", "expropriation_date": "2024-06-01", "housing_start_date": "2024-09-01"},  # complete next
        {"project_id": "C", "expropriation_date": "bad"},  # nothing can be due
        {"project_id": "D", "expropriation_date": "2019-01-01", "housing_start_date": "2019-06-01",
         "housing_complete_date": "2022-01-01", "resettled_date": "2023-01-01"},  # all done
    ], dtype=object).set_axis([10, 11, 12, 13])
    result = evaluate(projects, "2025-01-01")
    items = resettlement_items(pd.concat([projects, result], axis=1))
    assert list(items["item_id"]) == ["A", "B"] and list(items["fid"]) == [10, 11]
    assert list(items["deadline"]) == ["start", "complete"]
    assert items["days_left"].tolist() == [-1461, (pd.Timestamp("2028-06-01") - pd.Timestamp("2025-01-01")).days]
    assert list(items["grade"]) == ["red", "green"] and list(items["status"]) == ["overdue", "pending"]


def test_supplied_parcels_and_batches_are_due_on_their_next_deadline():
    from land_bureau_plugin.analysis.deadlines import batch_items, due_within, supply_items
    from land_bureau_plugin.analysis.land_supply import evaluate

    parcels = pd.DataFrame([{"parcel_id": "P1", "agreed_start_date": "2024-06-01"},  # unused: idle after 2025-06-01
                            {"parcel_id": "P2", "agreed_start_date": "2027-01-01"},  # start in 730 days
                            {"parcel_id": "P3", "agreed_start_date": None},
                            {"parcel_id": "G", "agreed_start_date": "2023-06-01", "government_delay": "是"}],
                           dtype=object)
    items = supply_items(pd.concat([parcels, evaluate(parcels, "2025-01-01")], axis=1))
    # the government's delay: no deadline counts (no fee, no reclaim), still listed — red, without a date
    assert list(items["item_id"]) == ["P1", "P2", "G"] and list(items["deadline"]) == ["idle", "start", None]
    assert list(items["days_left"][:2]) == [151, 730] and np.isnan(items["days_left"].iloc[2])
    assert list(items["grade"]) == ["red", "green", "red"]
    batches = pd.DataFrame({"batch_id": ["B1", "B2", "B3"], "unsupplied_m2": [500.0, 0.5, 300.0],
                            "due": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-01"), pd.NaT],
                            "days_left": [59, 59, None], "grade": ["orange", "green", "grey"]})
    assert list(batch_items(batches)["item_id"]) == ["B1"]  # a sliver and an unknown date are not due
    table = board(items, batch_items(batches))
    assert list(due_within(table, 180)["item_id"]) == ["P1", "G", "B1"]  # red first, the dated before the undated
    assert list(due_within(table, 800)["item_id"]) == ["P1", "G", "B1", "P2"]


def test_the_most_urgent_rows_come_first_when_a_table_is_cut():
    from land_bureau_plugin.analysis.deadlines import most_urgent

    frame = pd.DataFrame({"id": list("abcde"), "grade": ["green", "red", "yellow", "red", "grey"],
                          "days_left": [5, -3, 20, -40, None]})
    assert most_urgent(frame, 3)["id"].tolist() == ["d", "b", "c"]
    assert most_urgent(frame, 10)["id"].tolist() == list("abcde")  # all fit: the panel's own order
