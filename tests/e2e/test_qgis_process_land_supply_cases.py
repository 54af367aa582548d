"""The worked-out land supply set (tests/land_supply_cases.py) through qgis_process with the packaged plugin and
empty field maps (the Chinese standard names detected): every parcel on each side of each deadline — status, grade,
next deadline, days left, idle days, fee (NULL, never 0, where unknown) — and every batch's approved, supplied and
unsupplied area to 0.1 m², its polygon and grade against shapely; once in EPSG:4549 metres, once in EPSG:4490
degrees (measured in the Gauss-Krüger zone, EPSG:4549)."""
import json
import shutil

import pytest
from land_supply_cases import (
    AS_OF,
    batch_days,
    batch_grade,
    date_cases,
    expected_batches,
    gk_transform,
    parcel_rows,
    placed,
    spatial,
    write_gpkg,
)
from test_qgis_process import run_packaged

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")
CASES = date_cases()


def plain(value):
    """A written attribute as a plain value: NULL as None, dates as text."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if hasattr(value, "toString"):
        return value.toString("yyyy-MM-dd")
    return value


@pytest.mark.parametrize("epsg, batch_epsg, real_dates", [(4549, 4549, False), (4490, 4490, False),
                                                         (4549, 4490, True)], ids=["metres", "degrees", "mixed"])
def test_qgis_process_on_the_worked_out_set(tmp_path, epsg, batch_epsg, real_dates):
    """`mixed`: the parcels in metres with DATE fields and MultiPolygon Z geometries, the batches in degrees."""
    import shapely
    from qgis.core import NULL, QgsVectorLayer

    source = tmp_path / f"supply_{epsg}.gpkg"
    write_gpkg(source, epsg, batch_epsg, real_dates)
    out, left = tmp_path / "out.gpkg", tmp_path / "unsupplied.gpkg"
    results = run_packaged(tmp_path, "landbureau:landsupply", [
        f"SUPPLY={source}|layername=供地宗地", f"APPROVALS={source}|layername=报批批次", f"AS_OF={AS_OF}",
        "FIELD_MAP=", "APPROVALS_FIELD_MAP=", f"OUTPUT={out}", f"UNSUPPLIED={left}"])

    rows = {f["电子监管号"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert len(rows) == len(parcel_rows()) and all(case.pid in rows for case in CASES)
    wrong = []
    for case in CASES:
        row = rows[case.pid]
        got = {name: plain(row[name]) for name in ("supply_status", "grade", "next_deadline", "days_left",
                                                   "idle_days", "idle_fee")}
        want = {"supply_status": case.status, "grade": case.grade, "next_deadline": case.deadline,
                "days_left": case.days_left, "idle_days": case.idle_days, "idle_fee": case.fee}
        if isinstance(got["idle_fee"], float) and want["idle_fee"] is not None:
            got["idle_fee"] = round(got["idle_fee"], 6)
        if got != want:
            wrong.append((case.pid, got, want, row["reasons"]))
        if case.status == "missing":  # unknown, with the reason
            assert row["idle_fee"] == NULL and row["idle_days"] == NULL and row["reasons"], case.pid
    assert not wrong, "\n".join(map(str, wrong))
    assert "第二条第一款" in rows["闲置次日"]["reasons"] and "未动工" not in rows["闲置前一日"]["reasons"]

    summary = json.loads(results["SUMMARY"])
    idle = [c for c in CASES if c.status in ("idle", "reclaim")]
    assert results["IDLE_FEE"] == pytest.approx(sum(c.fee for c in idle if c.fee is not None))
    assert results["IDLE_FEE_UNKNOWN"] == summary["idle_fee_unknown"] == sum(c.fee is None for c in idle)
    for status in ("unused", "idle", "reclaim", "government_delay", "missing", "completed"):
        assert results[status.upper()] == sum(c.status == status for c in CASES), status

    to_gk = gk_transform()
    # every parcel covers: the date cases' squares too (they lie away from the batches)
    everything = [(f["电子监管号"], g if epsg == 4549 else to_gk(g)) for f, g in parcel_rows(*placed(epsg))]
    batches = [(bid, approval, g if batch_epsg == 4549 else to_gk(g))
               for bid, approval, g in spatial(*placed(batch_epsg))[1]]
    truth = expected_batches(everything, batches)
    layer = QgsVectorLayer(str(left), "u", "ogr")
    assert layer.crs().authid() == "EPSG:4549"
    written = {f["batch_id"]: f for f in layer.getFeatures()}
    assert sorted(written) == sorted(truth)
    for bid, approval, _geometry in batches:
        approved, rest, shape = truth[bid]
        feature = written[bid]
        assert feature["approved_m2"] == pytest.approx(approved, abs=0.1), bid
        assert feature["unsupplied_m2"] == pytest.approx(rest, abs=0.1), bid
        assert feature["supplied_m2"] == pytest.approx(approved - rest, abs=0.1), bid
        assert feature["unsupplied_mu"] == pytest.approx(rest / (10000 / 15), abs=1e-4), bid
        assert feature["grade"] == batch_grade(bid, approval, rest), (bid, feature["reasons"])
        assert (feature["age_days"], feature["days_left"]) == batch_days(approval), bid
        if rest > 0:
            polygon = shapely.from_wkt(feature.geometry().asWkt())
            assert polygon.symmetric_difference(shape).area < 0.1, bid
        else:
            assert not feature.hasGeometry() or feature.geometry().isEmpty(), bid
    assert results["UNSUPPLIED_MU"] == pytest.approx(sum(r for _a, r, _s in truth.values()) / (10000 / 15), abs=1e-3)
