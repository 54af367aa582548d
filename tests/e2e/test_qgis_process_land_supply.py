"""landbureau:landsupply through qgis_process with the packaged zip (zh-Hans), on a GeoPackage written here: every
status at its boundary day, the idle fees, the unsupplied part of each batch measured with shapely, the Chinese
reasons citing their source, the source file unchanged."""
import hashlib
import json
import shutil

import pytest
from test_qgis_process import run_packaged

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")

X0, Y0 = 530_000.0, 3_340_000.0  # EPSG:4549 metres
AS_OF = "2026-06-01"
FIELDS = ("电子监管号", "约定开工时间", "实际开工时间", "实际竣工时间", "停工日期", "已开发面积", "总投资(万元)",
          "已完成投资(万元)", "成交价款(万元)", "政府原因")
# id, x of its 100 m square, agreed start, actual start, completion, stop, developed m², total / completed 万元,
# land price 万元, government delay. As of 2026-06-01 (a year from A is full after A + 1 year, 民法典 201/202):
PARCELS = [
    ("U", 0, "2025-06-01", None, None, None, None, None, None, 800.0, None),  # A + 1 y = as of: still unused
    ("I", 100, "2025-05-31", None, None, None, None, None, None, 1000.0, None),  # a day past: idle, fee 200
    ("L", 300, "2024-06-01", None, None, None, None, None, None, 600.0, None),  # A + 2 y = as of: idle, fee 120
    ("R", 500, "2024-05-31", None, None, None, None, None, None, 500.0, None),  # a day past two years: reclaim
    ("D", 700, "2026-06-02", None, None, None, None, None, None, 900.0, None),  # start due tomorrow: due soon, orange
    ("C", 900, "2023-01-01", "2023-02-01", "2025-12-01", None, None, None, None, 900.0, None),  # completed
    ("G", 1100, "2023-01-01", None, None, None, None, None, None, 900.0, "是"),  # the government's delay
    # started, stopped 2025-05-31 with 3,333 of 10,000 m² developed (under 1/3) though 80 % invested: idle
    ("S", 1300, "2022-06-01", "2022-07-01", None, "2025-05-31", 3333.0, 1000.0, 800.0, 400.0, None),
    # the same with 3,334 m² (over 1/3) and 25 % invested (at the threshold): not idle, started on time
    ("T", 1500, "2022-06-01", "2022-07-01", None, "2025-05-31", 3334.0, 1000.0, 250.0, 400.0, None),
    ("E", 1700, "2024", None, None, None, None, None, None, 900.0, None),  # a year without its day: data error
]
EXPECTED = {"U": ("unused", "red", 0.0), "I": ("idle", "red", 200.0), "L": ("idle", "red", 120.0),
            "R": ("reclaim", "red", 100.0), "D": ("due_soon", "orange", 0.0), "C": ("completed", "green", 0.0),
            "G": ("government_delay", "red", 0.0), "S": ("idle", "red", 80.0), "T": ("on_time", "green", 0.0),
            "E": ("missing", "grey", None)}  # a data error: the fee is unknown (NULL), never 0
# batch id, approval date, polygon (x0, y0, x1, y1) relative to X0, Y0; grades as of 2026-06-01 (due = approval +
# 2 years; yellow within 180 days):
BATCHES = [("P1", "2024-05-31", (0, 0, 300, 100)),  # U and I on it, 200–300 not supplied; due 2026-05-31: red
           ("P2", "2024-06-01", (500, 0, 600, 100)),  # all supplied by R: green (nothing left to supply)
           ("P3", "2024-12-03", (650, -50, 900, 100)),  # D covers part of it; due 2026-12-03, 185 days: green
           ("P4", "2024-11-28", (1050, -20, 1250, 50))]  # G covers part; due 2026-11-28, 180 days left: yellow
BATCH_GRADES = {"P1": "red", "P2": "green", "P3": "green", "P4": "yellow"}
MU = 10000.0 / 15.0


def write(path):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    parcels = dataset.CreateLayer("供地宗地", srs, ogr.wkbPolygon)
    for name in FIELDS:
        real = name in ("已开发面积", "总投资(万元)", "已完成投资(万元)", "成交价款(万元)")
        parcels.CreateField(ogr.FieldDefn(name, ogr.OFTReal if real else ogr.OFTString))
    for pid, x, *values in PARCELS:
        feature = ogr.Feature(parcels.GetLayerDefn())
        for name, value in zip(FIELDS, (pid, *values)):
            if value is not None:
                feature.SetField(name, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(box(x, 0, x + 100, 100).wkt))
        parcels.CreateFeature(feature)
    batches = dataset.CreateLayer("报批批次", srs, ogr.wkbPolygon)
    for name in ("批次编号", "批准日期"):
        batches.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for bid, approved, corners in BATCHES:
        feature = ogr.Feature(batches.GetLayerDefn())
        feature.SetField("批次编号", bid)
        feature.SetField("批准日期", approved)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(box(*corners).wkt))
        batches.CreateFeature(feature)
    dataset = None


def box(x0, y0, x1, y1):
    import shapely

    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def test_qgis_process_judges_land_supply_at_every_boundary(tmp_path):
    import shapely

    source = tmp_path / "supply.gpkg"
    write(source)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out, unsupplied = tmp_path / "out.gpkg", tmp_path / "unsupplied.gpkg"
    results = run_packaged(tmp_path, "landbureau:landsupply", [
        f"SUPPLY={source}|layername=供地宗地", f"APPROVALS={source}|layername=报批批次", f"AS_OF={AS_OF}",
        f"OUTPUT={out}", f"UNSUPPLIED={unsupplied}"])
    from qgis.core import QgsVectorLayer

    rows = {f["电子监管号"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert {pid: (f["supply_status"], f["grade"], f["idle_fee"] if isinstance(f["idle_fee"], float) else None)
            for pid, f in rows.items()} == EXPECTED
    assert rows["I"]["idle_days"] == 366 and rows["U"]["idle_days"] == 365  # since the agreed start
    assert "《闲置土地处置办法》第二条第一款（2012）" in rows["I"]["reasons"]  # Chinese, citing its source
    assert "《闲置土地处置办法》第二条第二款（2012）" in rows["S"]["reasons"]
    assert "约定开工时间" in rows["E"]["reasons"] and "2024" in rows["E"]["reasons"]
    assert rows["S"]["developed_share"] == pytest.approx(0.3333)
    statuses = [status for status, _grade, _fee in EXPECTED.values()]
    for status in ("unused", "idle", "reclaim", "completed", "missing"):
        assert results[status.upper()] == statuses.count(status), status
    assert results["IDLE_FEE"] == pytest.approx(200 + 120 + 100 + 80)

    # each batch minus the union of every parcel, by shapely
    supplied = shapely.union_all([box(x, 0, x + 100, 100) for _pid, x, *_rest in PARCELS])
    expected_m2 = {bid: box(*corners).difference(supplied).area for bid, _date, corners in BATCHES}
    assert expected_m2["P1"] == pytest.approx(10_000) and expected_m2["P2"] == 0
    batches = {f["batch_id"]: f for f in QgsVectorLayer(str(unsupplied), "u", "ogr").getFeatures()}
    assert sorted(batches) == sorted(expected_m2)
    for bid, feature in batches.items():
        assert feature["unsupplied_m2"] == pytest.approx(expected_m2[bid], abs=0.1), bid
        assert feature["unsupplied_mu"] == pytest.approx(expected_m2[bid] / MU, abs=1e-4), bid
        assert feature["approved_m2"] == pytest.approx(box(*BATCHES[[b for b, *_ in BATCHES].index(bid)][2]).area)
        assert feature["grade"] == BATCH_GRADES[bid], bid
        if expected_m2[bid] > 0:  # the written polygon is the unsupplied part itself
            written = shapely.from_wkt(feature.geometry().asWkt())
            truth = box(*BATCHES[[b for b, *_ in BATCHES].index(bid)][2]).difference(supplied)
            assert written.symmetric_difference(truth).area < 0.01, bid
    assert batches["P1"]["age_days"] == 731 and batches["P4"]["days_left"] == 180
    assert "国发〔2004〕28号" in batches["P1"]["reasons"]
    assert results["UNSUPPLIED_MU"] == pytest.approx(sum(expected_m2.values()) / MU, abs=1e-3)
    summary = json.loads(results["SUMMARY"])
    assert summary["parcels"] == len(PARCELS) and summary["batches"]["batches"] == len(BATCHES)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
