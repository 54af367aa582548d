"""landbureau:landsupply through Processing: statuses at each deadline, the idle fee, stopped work, government delays,
bad input and the approved-but-unsupplied areas against shapely — the way the panel, the toolbox and qgis_process
call it."""
import json

import processing
import pytest
import shapely
from land_supply_data import BATCH_FIELDS, SUPPLY_FIELDS, X0, Y0, batch, parcel, rect
from log_feedback import Recorder
from qgis.core import QgsFeatureRequest
from shapely import wkt as shapely_wkt

AS_OF = "2025-03-02"


@pytest.fixture()
def supply(make_layer):
    rows = [
        parcel("A", "2024-03-01", rect(0, 0, 40, 100)),  # idle from 2025-03-02: idle today
        parcel("B", "2024-03-02", rect(30, 0, 60, 100)),  # the year ends today: unused
        parcel("C", "2023-03-01", rect(200, 0, 300, 100), price=500),  # two full years on 2025-03-01: reclaim
        parcel("D", "2025/3/2", rect(400, 0, 450, 100)),  # agreed start today: due soon, orange
        parcel("E", "2023-01-01", rect(450, 0, 500, 50), start="2023-02-01", stopped="2024-03-01",
               developed=300, planned=100, invested=10),  # stopped a full year, under both shares: idle
        parcel("F", "2023-01-01", rect(600, 0, 700, 100), government="是", cause="规划调整"),
        parcel("G", "2023年", rect(700, 0, 800, 100)),  # imprecise: data error
        parcel("H", "2024-06-01", None),  # no geometry: judged on its dates, counted apart
        parcel("I", "2022-01-01", rect(900, 0, 950, 50), start="2022-06-01", done="2024-12-01",
               agreed_done="2024-10-01"),  # completed late
        parcel("J", "2026-01-01", rect(950, 0, 1000, 50), start="2025-04-01"),  # start after the as-of date
    ]
    return make_layer("Polygon", SUPPLY_FIELDS, rows, "供地宗地")


@pytest.fixture()
def batches(make_layer):
    rows = [
        batch("PC1", "2023-03-02", rect(0, 0, 100, 100)),  # A and B cover 0–60: 4,000 m² left; 2 years end today
        batch("PC2", "2023-03-01", rect(200, 0, 300, 100)),  # C covers it all
        batch("PC3", "2022-01-01", rect(400, 0, 560, 100)),  # D 5,000 + E 2,500 of 16,000: 8,500 left, overdue
        batch("PC4", "待定", rect(1200, 0, 1300, 100)),  # no date: grey, area still measured
        batch("PC5", "2024-06-01", None),  # no geometry
    ]
    return make_layer("Polygon", BATCH_FIELDS, rows, "报批批次")


def run(supply, batches=None, feedback=None, **extra):
    params = {"SUPPLY": supply, "AS_OF": AS_OF, "OUTPUT": "memory:", "UNSUPPLIED": "memory:", **extra}
    if batches is not None:
        params["APPROVALS"] = batches
    return processing.run("landbureau:landsupply", params, feedback=feedback or Recorder())


def by_id(layer, field="电子监管号"):
    return {feature[field]: feature for feature in layer.getFeatures()}


def test_parcels_are_judged_at_each_deadline(plugin, supply):
    out = by_id(run(supply)["OUTPUT"])
    expected = {"A": ("idle", "red"), "B": ("unused", "red"), "C": ("reclaim", "red"), "D": ("due_soon", "orange"),
                "E": ("idle", "red"), "F": ("government_delay", "red"), "G": ("missing", "grey"),
                "H": ("unused", "red"), "I": ("completed", "green"), "J": ("missing", "grey")}
    assert {pid: (f["supply_status"], f["grade"]) for pid, f in out.items()} == expected
    assert out["A"]["idle_days"] == 366 and out["A"]["next_due"].toString("yyyy-MM-dd") == "2026-03-01"
    assert out["B"]["days_left"] == 0 and out["B"]["next_deadline"] == "idle"
    assert out["C"]["idle_fee"] == pytest.approx(100.0) and out["A"]["idle_fee"] == pytest.approx(200.0)
    assert out["F"]["idle_fee"] == 0 and "规划调整" in out["F"]["reasons"]
    assert out["E"]["developed_share"] == pytest.approx(300 / 2500) and "stopped on 2024-03-01" in out["E"]["reasons"]
    assert "not a full date" in out["G"]["reasons"] and "after the as-of date" in out["J"]["reasons"]
    assert "no usable geometry" in out["H"]["reasons"]
    assert "61 day(s) after the agreed completion" in out["I"]["reasons"]
    assert out["A"]["area_m2"] == pytest.approx(4000)


def test_the_summary_and_the_log_give_the_figures(plugin, supply):
    feedback = Recorder()
    results = run(supply, feedback=feedback)
    summary = json.loads(results["SUMMARY"])
    assert summary["per_status"]["idle"] == results["IDLE"] == 2 and results["RECLAIM"] == 1
    assert summary["no_geometry"] == 1 and summary["warning_days"] == {"yellow": 180, "orange": 90}
    assert summary["idle_fee"] == pytest.approx(200 + 100 + 200)  # A, C, E
    assert summary["idle_m2"] == pytest.approx(4000 + 10000 + 2500)
    assert summary["sources"]["idle_years"]["document"] == "闲置土地处置办法"
    assert "Supplied parcels without usable geometry" in feedback.text
    assert "feature id(s)" in feedback.text  # the parcel without geometry named by feature id


def test_unsupplied_areas_per_batch_match_shapely(plugin, supply, batches):
    from qgis.core import NULL

    results = run(supply, batches)
    layer = results["UNSUPPLIED"]
    rows = by_id(layer, "batch_id")
    parcels = [shapely_wkt.loads(f.geometry().asWkt()) for f in supply.getFeatures() if f.hasGeometry()]
    union = shapely.union_all(parcels)
    for feature in batches.getFeatures():
        row = rows[feature["批次编号"]]
        if not feature.hasGeometry():
            assert row["approved_m2"] == NULL and not row.hasGeometry()
            continue
        shape = shapely_wkt.loads(feature.geometry().asWkt())
        assert row["approved_m2"] == pytest.approx(shape.area, abs=0.1)
        assert row["unsupplied_m2"] == pytest.approx(shape.difference(union).area, abs=0.1)
        assert row["supplied_m2"] == pytest.approx(shape.intersection(union).area, abs=0.1)
    assert rows["PC1"]["unsupplied_m2"] == pytest.approx(4000) and rows["PC1"]["grade"] == "orange"
    assert rows["PC2"]["unsupplied_m2"] == 0 and not rows["PC2"].hasGeometry() and rows["PC2"]["grade"] == "green"
    assert rows["PC3"]["unsupplied_m2"] == pytest.approx(8500) and rows["PC3"]["grade"] == "red"
    assert rows["PC3"]["age_days"] == 1156 and rows["PC3"]["unsupplied_mu"] == pytest.approx(8500 * 15 / 10000)
    assert rows["PC4"]["grade"] == "grey" and rows["PC4"]["unsupplied_m2"] == pytest.approx(10000)
    assert rows["PC5"]["grade"] == "grey" and "no usable geometry" in rows["PC5"]["reasons"]
    leftover = shapely_wkt.loads(rows["PC1"].geometry().asWkt())
    assert leftover.symmetric_difference(shapely.box(X0 + 60, Y0, X0 + 100, Y0 + 100)).area < 0.01
    assert layer.crs().authid() == "EPSG:4549"
    summary = json.loads(results["SUMMARY"])["batches"]
    assert summary["no_geometry"] == 1 and summary["unsupplied_m2"] == pytest.approx(4000 + 8500 + 10000)
    assert results["UNSUPPLIED_MU"] == pytest.approx(22500 * 15 / 10000)


def test_a_geographic_layer_is_measured_in_metres(plugin, make_layer):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

    to_geographic = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                           QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())

    def geographic(wkt):
        geometry = QgsGeometry.fromWkt(wkt)
        geometry.transform(to_geographic)
        return geometry.asWkt(12)

    supply = make_layer("Polygon", SUPPLY_FIELDS, [parcel("A", "2024-03-01", geographic(rect(0, 0, 40, 100)))],
                        "供地宗地", crs="EPSG:4490")
    batches = make_layer("Polygon", BATCH_FIELDS, [batch("PC1", "2023-03-01", geographic(rect(0, 0, 100, 100)))],
                         "报批批次", crs="EPSG:4490")
    feedback = Recorder()
    row = next(run(supply, batches, feedback)["UNSUPPLIED"].getFeatures())
    assert row["approved_m2"] == pytest.approx(10000, rel=1e-4) and row["unsupplied_m2"] == pytest.approx(6000,
                                                                                                        rel=1e-4)
    assert "EPSG:4549" in feedback.text  # the zone it was measured in


def test_the_profile_moves_the_rules_and_the_windows(plugin, supply, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"land_supply": {"idle_years": 2, "reclaim_years": 3, "idle_fee_share": 0.1},
                                   "resettlement": {"yellow_days": 10, "orange_days": 5}}), encoding="utf-8")
    results = run(supply, PROFILE=str(profile))
    out = by_id(results["OUTPUT"])
    assert out["A"]["supply_status"] == "unused" and out["C"]["supply_status"] == "idle"
    assert out["C"]["idle_fee"] == pytest.approx(50)
    assert json.loads(results["SUMMARY"])["warning_days"] == {"yellow": 10, "orange": 5}


def test_without_the_agreed_start_field_the_run_is_refused_naming_it(plugin, make_layer):
    from qgis.core import QgsProcessingException

    layer = make_layer("Polygon", [("电子监管号", "string")], [{"wkt": rect(0, 0, 1, 1), "电子监管号": "x"}])
    # named in words with its canonical name (the field map's vocabulary), not by the internal key alone
    with pytest.raises(QgsProcessingException, match=r"required field\(s\) construction start agreed in the "
                                                     r"contract \(agreed_start_date\) not found"):
        run(layer)


def test_the_input_layers_are_not_modified(plugin, supply, batches):
    before = [(f.attributes(), f.geometry().asWkt()) for f in supply.getFeatures()]
    before_batches = [(f.attributes(), f.geometry().asWkt()) for f in batches.getFeatures()]
    run(supply, batches)
    assert [(f.attributes(), f.geometry().asWkt()) for f in supply.getFeatures()] == before
    assert [(f.attributes(), f.geometry().asWkt()) for f in batches.getFeatures()] == before_batches


def test_the_output_may_not_overwrite_an_input_file(plugin, supply, tmp_path):
    from qgis.core import QgsProcessingException, QgsVectorFileWriter, QgsVectorLayer

    path = str(tmp_path / "supply.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "供地宗地"
    QgsVectorFileWriter.writeAsVectorFormatV3(supply, path, supply.transformContext(), options)
    layer = QgsVectorLayer(f"{path}|layername=供地宗地", "供地宗地", "ogr")
    with pytest.raises(QgsProcessingException, match="overwrite the input"):
        run(layer, OUTPUT=path)
    assert QgsVectorLayer(f"{path}|layername=供地宗地", "x", "ogr").featureCount() == 10


def test_in_chinese_the_reasons_and_the_log_are_chinese(chinese, plugin, supply):
    feedback = Recorder()
    out = by_id(run(supply, feedback=feedback)["OUTPUT"])
    assert "闲置" in out["A"]["reasons"] and " day" not in out["A"]["reasons"]
    assert any(line.startswith("供地宗地") or "供地" in line for line in feedback.lines)


def test_the_printed_unsupplied_total_names_the_batches_it_could_not_measure(plugin, supply, batches):
    """PC5 has no geometry: its area is unknown, so the subtitle's 批而未供 total says it leaves one batch out."""
    summary = json.loads(run(supply, batches)["SUMMARY"])
    assert summary["batches"]["no_geometry"] == 1
    assert summary["print_note"].endswith("；1 批无图形未计）")
    assert summary["print_note"].startswith(f"批而未供 {summary['batches']['unsupplied_mu']:,.1f} 亩")
    measured = json.loads(run(supply, APPROVALS=batches.materialize(
        QgsFeatureRequest().setFilterExpression('"批次编号" <> \'PC5\'')))["SUMMARY"])
    assert "无图形" not in measured["print_note"]
