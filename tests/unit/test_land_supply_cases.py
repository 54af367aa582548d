"""The worked-out land supply set (tests/land_supply_cases.py) through the analysis itself: every parcel's status,
grade, next deadline, days left, idle days and fee on each side of each deadline, and every batch's areas and grade
against shapely's difference with the union of the parcels. The same set goes through qgis_process
(tests/e2e/test_qgis_process_land_supply_cases.py) and both engines (tests/qgis/test_postgis_land_supply.py)."""
import math

import numpy as np
import pandas as pd
import pytest
from land_supply_cases import AS_OF, batch_days, batch_grade, date_cases, expected_batches, parcel_rows, spatial

from land_bureau_plugin.analysis.land_supply import evaluate
from land_bureau_plugin.analysis.land_supply_batches import unsupplied

CANONICAL = {"电子监管号": "parcel_id", "约定开工日期": "agreed_start_date", "约定竣工日期": "agreed_complete_date",
             "实际开工日期": "start_date", "实际竣工日期": "complete_date", "停工日期": "stopped_date",
             "出让面积": "area_m2", "已开发面积": "developed_area", "总投资": "planned_investment",
             "已完成投资": "completed_investment", "成交价款": "land_price", "政府原因": "government_delay",
             "闲置原因": "delay_reason", "行政区": "district"}
CASES = date_cases()


def unknown(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def actual(row) -> dict:
    """What the comparison reads from a result row: status, grade, deadline, due, days left, idle days, fee."""
    plain = {}
    for name in ("supply_status", "grade", "next_deadline", "days_left", "idle_days", "idle_fee"):
        value = row[name]
        plain[name] = None if unknown(value) else value
    for name in ("days_left", "idle_days"):
        plain[name] = None if plain[name] is None else int(plain[name])
    return plain


def expected(case) -> dict:
    return {"supply_status": case.status, "grade": case.grade, "next_deadline": case.deadline,
            "days_left": case.days_left, "idle_days": case.idle_days, "idle_fee": case.fee}


@pytest.fixture(scope="module")
def judged():
    rows = parcel_rows()
    frame = pd.DataFrame([{CANONICAL[k]: v for k, v in fields.items()} for fields, _g in rows], dtype=object)
    areas = np.array([g.area for _f, g in rows])
    return evaluate(frame, AS_OF, areas=areas)


@pytest.mark.parametrize("n", range(len(CASES)), ids=[case.pid for case in CASES])
def test_every_parcel_on_each_side_of_its_deadline(judged, n):
    case = CASES[n]
    got = actual(judged.iloc[n])
    want = expected(case)
    if want["idle_fee"] is not None and got["idle_fee"] is not None:
        assert got.pop("idle_fee") == pytest.approx(want.pop("idle_fee"), abs=1e-9)
    assert got == want, judged.iloc[n]["reasons"]


def test_the_spatial_parcels_only_cover():
    rows = parcel_rows()
    frame = pd.DataFrame([{CANONICAL[k]: v for k, v in fields.items()} for fields, _g in rows], dtype=object)
    result = evaluate(frame, AS_OF).iloc[len(CASES):]
    assert set(result["supply_status"]) == {"on_time"} and set(result["days_left"]) == {400}


def test_every_batch_against_shapely():
    parcels, batches = spatial()
    truth = expected_batches(parcels, batches)
    frame = pd.DataFrame([{"batch_id": bid, "approval_date": approval} for bid, approval, _g in batches],
                         dtype=object)
    geometries = np.array([g for *_rest, g in batches], dtype=object)
    all_parcels = np.array([g for _f, g in parcel_rows()], dtype=object)
    measured = unsupplied(geometries, frame, all_parcels, AS_OF).table
    for n, (bid, approval, _g) in enumerate(batches):
        approved, left, _shape = truth[bid]
        row = measured.iloc[n]
        assert row["approved_m2"] == pytest.approx(approved, abs=0.1), bid
        assert row["unsupplied_m2"] == pytest.approx(left, abs=0.1), bid
        assert row["supplied_m2"] == pytest.approx(approved - left, abs=0.1), bid
        assert row["grade"] == batch_grade(bid, approval, left), (bid, row["reasons"])
        assert (row["age_days"], row["days_left"]) == batch_days(approval), bid
    by_id = dict(zip(measured["batch_id"], measured["unsupplied_m2"]))
    assert by_id["全覆盖"] == 0 and by_id["拼接"] == 0 and by_id["剩1.0"] == pytest.approx(1.0, abs=1e-6)
    # by hand: 300 × 100 less 叠加甲 (12,000), 叠加乙 (6,000) less their overlap (the triangle over x 100–120:
    # 2,000 − 100 · 20² / 240) and 出界's 50 × 20 inside the batch
    assert truth["叠加"][1] == pytest.approx(30_000 - (12_000 + 6_000 - (2_000 - 100 * 400 / 240)) - 1_000, abs=1e-6)
    assert truth["跨左"][1] == pytest.approx(10_000 - 50 * 60) and truth["跨右"][1] == pytest.approx(
        10_000 - 50 * 60 - 40 * 100)
