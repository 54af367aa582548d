"""批而未供 (analysis/land_supply_batches.py): the unsupplied part of each batch against a brute-force shapely
union/difference and hand-computed rectangles, and the age deadline the day before, on and after it."""
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from land_bureau_plugin.analysis.land_supply_batches import TABLE_COLUMNS, summarise, unsupplied
from land_bureau_plugin.analysis.land_supply_rules import LandSupplyRules
from land_bureau_plugin.analysis.units import M2_PER_MU


def batches_frame(*dates, ids=None):
    ids = ids or [f"B{i}" for i in range(len(dates))]
    return pd.DataFrame({"batch_id": ids, "approval_date": list(dates)}, dtype=object)


def test_hand_computed_rectangles():
    batches = [box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)]
    parcels = [box(0, 0, 40, 100), box(30, 0, 60, 100),  # overlap 10 m: covered 60 × 100 once
               box(190, -10, 310, 110),  # covers the second batch and more
               box(450, 50, 600, 100)]  # a quarter of the third
    result = unsupplied(batches, batches_frame("2023-01-01", "2023-01-01", "2023-01-01"), parcels, "2024-01-01")
    table = result.table
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["approved_m2"].tolist() == pytest.approx([10000, 10000, 10000])
    assert table["supplied_m2"].tolist() == pytest.approx([6000, 10000, 2500])
    assert table["unsupplied_m2"].tolist() == pytest.approx([4000, 0, 7500])
    assert table["unsupplied_mu"].tolist() == pytest.approx([4000 / M2_PER_MU, 0, 7500 / M2_PER_MU])
    assert result.geometry[1] is None
    assert shapely.equals(result.geometry[0], box(60, 0, 100, 100))


def random_polygons(rng, n, size, spread):
    """Irregular valid polygons: the hull of a few random points, with a notch cut out (not convex)."""
    out = []
    for x, y in rng.uniform(0, spread, (n, 2)):
        hull = shapely.MultiPoint(rng.uniform(-size, size, (8, 2)) + (x, y)).convex_hull
        out.append(hull.difference(box(x, y, x + size / 2, y + size / 3)))
    return out


def test_irregular_batches_match_a_brute_force_union_and_difference_to_a_tenth_of_a_square_metre():
    rng = np.random.default_rng(15)
    batches = random_polygons(rng, 40, 300, 3000)
    parcels = random_polygons(rng, 400, 80, 3000)
    result = unsupplied(batches, batches_frame(*["2022-01-01"] * 40), parcels, "2024-01-01")
    supply = shapely.union_all(parcels)
    for k, batch in enumerate(batches):
        expected_left = batch.difference(supply).area
        assert result.table["unsupplied_m2"].iloc[k] == pytest.approx(expected_left, abs=0.1)
        assert result.table["supplied_m2"].iloc[k] == pytest.approx(batch.intersection(supply).area, abs=0.1)
        assert result.table["approved_m2"].iloc[k] == pytest.approx(batch.area, abs=1e-6)
        if result.geometry[k] is not None:
            assert result.geometry[k].symmetric_difference(batch.difference(supply)).area < 0.1


@pytest.mark.parametrize("as_of, grade, days_left, age", [
    ("2024-07-04", "green", 181, 550),
    ("2024-07-05", "yellow", 180, 551),
    ("2024-10-03", "orange", 90, 641),
    ("2025-01-01", "orange", 0, 731),  # the last day of the two years
    ("2025-01-02", "red", -1, 732),
])
def test_the_two_year_deadline_of_an_unsupplied_batch(as_of, grade, days_left, age):
    result = unsupplied([box(0, 0, 100, 100)], batches_frame("2023-01-01"), [box(0, 0, 50, 100)], as_of)
    row = result.table.iloc[0]
    assert row["grade"] == grade and row["days_left"] == days_left and row["age_days"] == age
    assert row["due"] == pd.Timestamp("2025-01-01")
    if grade == "red":
        assert "5000.0 m² still unsupplied 2 year(s) after approval" in row["reasons"]
        assert "国发〔2004〕28号" in row["reasons"]


@pytest.mark.parametrize("left, grade", [(0.99, "green"), (1.0, "red"), (1.01, "red")])
def test_a_sliver_under_the_minimum_does_not_make_a_batch_red(left, grade):
    parcel = box(0, 0, 100, 100 - left / 100)  # leaves a strip of `left` m²
    row = unsupplied([box(0, 0, 100, 100)], batches_frame("2020-01-01"), [parcel], "2024-01-01").table.iloc[0]
    assert row["unsupplied_m2"] == pytest.approx(left, abs=1e-6) and row["grade"] == grade


def test_a_fully_supplied_old_batch_is_green():
    row = unsupplied([box(0, 0, 10, 10)], batches_frame("2000-01-01"), [box(-1, -1, 11, 11)],
                     "2024-01-01").table.iloc[0]
    assert row["unsupplied_m2"] == 0 and row["grade"] == "green"


@pytest.mark.parametrize("date, phrase", [(None, "approval date missing"), ("2023", "not a full date"),
                                          ("待定", "is not a date"), ("2024-06-01", "is after the as-of date")])
def test_a_batch_without_a_usable_approval_date_is_grey_with_its_reason(date, phrase):
    row = unsupplied([box(0, 0, 10, 10)], batches_frame(date), [], "2024-01-01").table.iloc[0]
    assert row["grade"] == "grey" and phrase in row["reasons"] and pd.isna(row["age_days"])
    assert row["unsupplied_m2"] == pytest.approx(100)  # the area is still measured


def test_batches_and_parcels_without_geometry_are_counted_apart():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # invalid: repaired into two triangles
    result = unsupplied([box(0, 0, 10, 10), None, bowtie], batches_frame("2023-01-01", "2023-01-01", "2023-01-01"),
                        [None, box(0, 0, 5, 10)], "2024-01-01")
    table = result.table
    assert pd.isna(table["approved_m2"].iloc[1]) and table["grade"].iloc[1] == "grey"
    assert "no usable geometry" in table["reasons"].iloc[1]
    assert list(result.batches_empty) == [1] and list(result.batches_repaired) == [2]
    assert list(result.parcels_empty) == [0]
    assert table["approved_m2"].iloc[2] == pytest.approx(50)
    summary = summarise(table)
    assert summary["batches"] == 3 and summary["no_geometry"] == 1
    assert summary["unsupplied_m2"] == pytest.approx(50 + 25)


def test_repeated_batch_ids_are_named_and_the_years_come_from_the_profile():
    rules = LandSupplyRules(unsupplied_years=3)
    result = unsupplied([box(0, 0, 10, 10)] * 2, batches_frame("2021-01-01", "2021-01-01", ids=["A", "A"]), [],
                        "2024-01-01", rules)
    assert all("appears more than once" in text for text in result.table["reasons"])
    assert result.table["due"].iloc[0] == pd.Timestamp("2024-01-01") and result.table["grade"].iloc[0] == "orange"
