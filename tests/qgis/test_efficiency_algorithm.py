"""landbureau:lowefficiency through Processing: FAR from clipped buildings, storeys, bad geometries by feature id,
geographic input, the source left alone, clusters, cancel."""
import json

import processing
import pytest
from log_feedback import Recorder
from qgis.core import NULL, QgsProcessingException, QgsProcessingFeedback
from stored_text_data import store_in_dbf, store_in_gpkg

X0, Y0 = 530000.0, 3340000.0  # Xiaoshan in EPSG:4549
PARCEL_FIELDS = [("DKBH", "string"), ("YDXZ", "string"), ("RJL", "string"), ("税收", "double"), ("行政区", "string")]
BUILDING_FIELDS = [("CS", "int"), ("JZGD", "double")]


def rect(x, y, w, h) -> str:
    x, y = X0 + x, Y0 + y
    return f"POLYGON(({x} {y}, {x + w} {y}, {x + w} {y + h}, {x} {y + h}, {x} {y}))"


def parcel(pid, wkt, land_use="0601", far=None, tax=None, district=None) -> dict:
    return {"wkt": wkt, "DKBH": pid, "YDXZ": land_use, "RJL": far, "税收": tax, "行政区": district}


def building(wkt, floors=None, height=None) -> dict:
    return {"wkt": wkt, "CS": floors, "JZGD": height}


def run(parcels, buildings=None, feedback=None, **extra):
    """The algorithm on these 三调 layers ("0601" alone is also the 2023 guide's rural road: the system is named;
    test_land_use_algorithm.py tests the detection)."""
    params = {"PARCELS": parcels, "OUTPUT": "memory:", "LAND_USE_SYSTEM": "gbt21010"}
    if buildings is not None:
        params["BUILDINGS"] = buildings
    params.update(extra)
    return processing.run("landbureau:lowefficiency", params, feedback=feedback)


def by_id(layer) -> dict:
    return {f["DKBH"]: f for f in layer.getFeatures()}


@pytest.fixture()
def layers(make_layer):
    def build(parcel_rows, building_rows=None, crs="EPSG:4549"):
        parcels = make_layer("Polygon", PARCEL_FIELDS, parcel_rows, "地块", crs)
        buildings = make_layer("Polygon", BUILDING_FIELDS, building_rows, "建筑", crs) if building_rows else None
        return parcels, buildings
    return build


# --- the seed case ----------------------------------------------------------------------------------------------

def seed_layers(layers):
    """The article's park: 172 m × 171 m = 29,412 m², two 2-storey buildings on 40 % of it (FAR 0.8)."""
    return layers([parcel("CASE", rect(0, 0, 172, 171), tax=176.5)],
                  [building(rect(12, 12, 96, 72), floors=2), building(rect(12, 100, 80, 60.66), floors=2)])


def test_seed_case_from_buildings_gains_50000_m2(plugin, layers):
    parcels, buildings = seed_layers(layers)
    results = run(parcels, buildings)
    case = by_id(results["OUTPUT"])["CASE"]
    assert case["far"] == pytest.approx(0.8, abs=1e-6)
    assert case["coverage"] == pytest.approx(0.4, abs=1e-6)
    assert case["potential_m2"] == pytest.approx(50000, abs=1)
    assert case["low_eff"] == 1 and "FAR 0.80 below 1.00 for 0601" in case["reasons"]
    assert case["mode"] == "自主再开发"
    summary = json.loads(results["SUMMARY"])
    assert summary["low_eff"]["mu"] == pytest.approx(29412 / (10000 / 15))
    assert results["POTENTIAL_WAN_M2"] == pytest.approx(5.0, abs=1e-4)


def test_the_parcels_are_cleaned_beside_the_reading_of_the_buildings(plugin, layers, monkeypatch):
    """The parcels' make_polygonal (overlay.Cleaning) is begun as soon as they are read, before the buildings are
    read, and is the one the judgement uses."""
    from land_bureau_plugin.analysis import overlay
    from land_bureau_plugin.processing import efficiency

    order = []
    original_read, original_cleaning = efficiency.read_columns, overlay.Cleaning

    def read_columns(source, *args, **kwargs):
        order.append(("read", source.sourceName()))
        return original_read(source, *args, **kwargs)

    def cleaning(geoms):
        order.append(("cleaning", len(geoms)))
        return original_cleaning(geoms)

    monkeypatch.setattr(efficiency, "read_columns", read_columns)
    monkeypatch.setattr(efficiency, "Cleaning", cleaning)
    parcels, buildings = seed_layers(layers)
    result = run(parcels, buildings)
    assert order[:3] == [("read", "地块"), ("cleaning", 1), ("read", "建筑")]
    assert by_id(result["OUTPUT"])["CASE"]["far"] == pytest.approx(0.8)


def test_no_postgis_input_runs_locally_without_asking_the_in_database_engine(plugin, layers, monkeypatch):
    """Engine "automatic" with no PostGIS table among the inputs: the local engine, decided without importing the
    in-database engine (psycopg2 and its modules, 50–80 ms of a session's first run); chosen "in the database", it is
    asked and refuses the memory layers."""
    from land_bureau_plugin.processing import in_database

    asked = []
    original = in_database.postgis_engine

    def engine():
        asked.append(True)
        return original()

    monkeypatch.setattr(in_database, "postgis_engine", engine)
    parcels, buildings = seed_layers(layers)
    result = run(parcels, buildings)
    assert asked == [] and by_id(result["OUTPUT"])["CASE"]["far"] == pytest.approx(0.8)
    with pytest.raises(QgsProcessingException):
        run(parcels, buildings, ENGINE=in_database.DATABASE)
    assert asked == [True]


def test_the_log_names_the_far_values_written_with_a_percent_sign_not_the_column(plugin, layers):
    """One FAR written "41%" among ratios is read in percent: the log names that feature, not "FAR read in percent
    (divided by 100)" — which read as every FAR divided by 100. A column mostly in percent is still named whole."""
    parcels, _ = layers([parcel(f"P{i}", rect(200 * i, 0, 100, 100), far=far, tax=100.0, district="西湖")
                         for i, far in enumerate(["1.2", "0.8", "41%", "1.5"])])
    fids = {f["DKBH"]: f.id() for f in parcels.getFeatures()}
    log = Recorder()
    out = by_id(run(parcels, feedback=log)["OUTPUT"])
    assert [out[f"P{i}"]["far"] for i in range(4)] == pytest.approx([1.2, 0.8, 0.41, 1.5])
    assert (f"Layer 地块, field FAR: 1 value(s) written with a % sign read in percent (divided by 100), in feature "
            f"id(s) {fids['P2']}; the other values are ratios") in log.text
    assert "FAR read in percent" not in log.text

    parcels, _ = layers([parcel(f"P{i}", rect(200 * i, 0, 100, 100), far=far, tax=100.0, district="西湖")
                         for i, far in enumerate(["120", "80", "41%", "150"])])
    log = Recorder()
    out = by_id(run(parcels, feedback=log)["OUTPUT"])
    assert [out[f"P{i}"]["far"] for i in range(4)] == pytest.approx([1.2, 0.8, 0.41, 1.5])
    assert "Layer 地块: FAR read in percent (divided by 100)" in log.text and "written with a % sign" not in log.text


def test_a_district_written_in_traditional_characters_is_one_with_its_simplified_spelling(plugin, layers):
    """桐廬縣 and 桐庐县: one district's four parcels, ranked "of 4" and summed once; the log names the spellings read
    as one. A layer written one way only says nothing."""
    spelled = [(100.0, "桐庐县"), (90.0, "桐廬縣"), (80.0, "桐廬縣"), (70.0, "桐庐县")]
    rows = [parcel(f"P{i}", rect(200 * i, 0, 100, 100), far="0.5", tax=tax, district=district)
            for i, (tax, district) in enumerate(spelled)]
    parcels, _ = layers(rows)
    log = Recorder()
    result = run(parcels, feedback=log)
    out = by_id(result["OUTPUT"])
    assert [out[f"P{i}"]["rank_n"] for i in range(4)] == [4, 4, 4, 4]
    assert list(json.loads(result["SUMMARY"])["per_district"]) == ["桐庐县"]
    assert ("Layer 地块, field 行政区: district names in traditional characters are read in simplified "
            "characters, one district with those written so: 桐廬縣 → 桐庐县") in log.text
    plain, _ = layers([{**row, "行政区": "桐庐县"} for row in rows])
    quiet = Recorder()
    run(plain, feedback=quiet)
    assert "traditional characters" not in quiet.text


def test_the_log_says_what_the_mu_and_potential_leave_out(plugin, layers):
    """A low-efficiency parcel without a FAR (idle-tax low: no RJL, no buildings) has no potential: the log's figures
    are those known and a line names it; without one, no such line."""
    parcels, _ = layers([parcel("LOW", rect(0, 0, 100, 100), far="0.5", tax=100.0, district="西湖"),
                         parcel("TAX", rect(200, 0, 100, 100), far=None, tax=1.0, district="西湖"),
                         parcel("OK", rect(400, 0, 100, 100), far="1.5", tax=100.0, district="西湖")])
    log = Recorder()
    result = run(parcels, feedback=log)
    out = by_id(result["OUTPUT"])
    assert out["TAX"]["low_eff"] == 1 and out["TAX"]["potential_m2"] == NULL
    assert json.loads(result["SUMMARY"])["unknown"] == {"mu": 0, "low_eff_mu": 0, "low_eff_potential": 1}
    assert "Not in the figures above: 0 parcel(s) of unknown area (0 of them low-efficiency), 1 low-efficiency " \
           "parcel(s) of unknown potential" in log.text
    known, _ = layers([parcel("LOW", rect(0, 0, 100, 100), far="0.5", tax=100.0)])
    quiet = Recorder()
    run(known, feedback=quiet)
    assert "Not in the figures above" not in quiet.text


def test_seed_case_from_the_far_attribute(plugin, layers):
    parcels, _ = layers([parcel("CASE", rect(0, 0, 172, 171), far="0.8")])
    case = by_id(run(parcels)["OUTPUT"])["CASE"]
    assert case["far"] == pytest.approx(0.8)
    assert case["potential_m2"] == pytest.approx(50000, abs=1)


def test_output_fields_have_chinese_aliases(plugin, layers):
    parcels, buildings = seed_layers(layers)
    out = run(parcels, buildings)["OUTPUT"]
    names = [f.name() for f in out.fields()]
    expected = ["far", "coverage", "tax_per_mu", "output_per_mu", "score", "grade", "low_eff", "reasons",
                "potential_m2", "cluster_id", "mode", "area_mu", "ent_class", "rank", "rank_n"]
    assert names[-len(expected):] == expected
    assert out.fields().field("far").alias() == "容积率"
    assert out.fields().field("mode").alias() == "再开发模式"
    assert out.fields().field("area_mu").alias() == "用地面积(亩)"
    assert out.fields().field("ent_class").alias() == "企业类别" and out.fields().field("rank").alias() == "排名"


# --- buildings --------------------------------------------------------------------------------------------------

def test_building_across_two_parcels_counts_in_each_by_its_clipped_part(plugin, layers):
    parcels, buildings = layers([parcel("L", rect(0, 0, 100, 100)), parcel("R", rect(100, 0, 100, 100))],
                                [building(rect(80, 40, 40, 20), floors=3)])
    out = by_id(run(parcels, buildings)["OUTPUT"])
    for pid in ("L", "R"):
        assert out[pid]["far"] == pytest.approx(20 * 20 * 3 / 10000)
        assert out[pid]["coverage"] == pytest.approx(0.04)


def test_storeys_from_height_and_one_storey_when_both_are_missing(plugin, layers):
    parcels, buildings = layers([parcel("P", rect(0, 0, 100, 100))],
                                [building(rect(0, 0, 50, 50), height=13.5), building(rect(60, 60, 10, 10))])
    feedback = Recorder()
    out = by_id(run(parcels, buildings, feedback)["OUTPUT"])["P"]
    assert out["far"] == pytest.approx((2500 * 3 + 100 * 1) / 10000)  # 13.5 m at 4.5 m a storey = 3 storeys
    assert "1 building(s) without storeys: estimated from height at 4.5 m per storey" in out["reasons"]
    assert "1 building(s) without storeys or height: counted as 1 storey" in out["reasons"]
    assert "1 building(s) without storeys or height: counted as 1 storey" in feedback.text


def test_profile_storey_height_is_used(plugin, layers, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"efficiency": {"storey_height_m": 3.0}}), encoding="utf-8")
    parcels, buildings = layers([parcel("P", rect(0, 0, 100, 100))], [building(rect(0, 0, 50, 50), height=12)])
    out = by_id(run(parcels, buildings, PROFILE=str(profile))["OUTPUT"])["P"]
    assert out["far"] == pytest.approx(2500 * 4 / 10000)


def test_implausible_storeys_are_not_used_and_the_log_names_the_layer(plugin, layers, tmp_path):
    """201 storeys (above the default 200) falls back to the height 18 m = 4 storeys; 200 is used as written. With
    the profile's limit lowered to 100, the 200-storey building falls back to one storey as well."""
    parcels, buildings = layers([parcel("P", rect(0, 0, 100, 100))],
                                [building(rect(0, 0, 10, 10), floors=201, height=18),
                                 building(rect(20, 0, 10, 10), floors=200)])
    feedback = Recorder()
    out = by_id(run(parcels, buildings, feedback)["OUTPUT"])["P"]
    assert out["far"] == pytest.approx((4 + 200) * 100 / 10000)
    assert ("1 building(s) of layer 建筑 with storeys or height above the plausible limit (200 storeys, 500 m): "
            "that value is not used") in feedback.text
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"efficiency": {"limits": {"floors": 100}}}), encoding="utf-8")
    feedback = Recorder()
    out = by_id(run(parcels, buildings, feedback, PROFILE=str(profile))["OUTPUT"])["P"]
    assert out["far"] == pytest.approx((4 + 1) * 100 / 10000)
    # the height limit the profile did not name is kept (500 m), not printed as "0 m"
    assert ("2 building(s) of layer 建筑 with storeys or height above the plausible limit (100 storeys, 500 m)"
            in feedback.text)


@pytest.mark.parametrize("limits, said", [({"floors": None}, "(500 m)"), ({"height": None}, "(200 storeys)")])
def test_a_limit_switched_off_is_not_printed_as_zero(plugin, layers, tmp_path, limits, said):
    """One building of 201 storeys and 18 m, one of 600 m without storeys: with the storeys limit switched off
    (null) the 201 storeys count and only the 600 m are a data error (1 storey); with the height limit off the
    600 m give round(600 / 4.5) = 133 storeys and the 201 storeys fall back to 18 m = 4 storeys."""
    parcels, buildings = layers([parcel("P", rect(0, 0, 100, 100))],
                                [building(rect(0, 0, 10, 10), floors=201, height=18),
                                 building(rect(20, 0, 10, 10), height=600)])
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"efficiency": {"limits": limits}}), encoding="utf-8")
    feedback = Recorder()
    out = by_id(run(parcels, buildings, feedback, PROFILE=str(profile))["OUTPUT"])["P"]
    expected = (201 + 1) if "floors" in limits else (4 + 133)
    assert out["far"] == pytest.approx(expected * 100 / 10000)
    assert f"1 building(s) of layer 建筑 with storeys or height above the plausible limit {said}:" in feedback.text
    assert not any(zero in feedback.text for zero in ("(0 storeys", ", 0 m)", "(0 m)"))


# --- bad input --------------------------------------------------------------------------------------------------

def test_bad_geometries_are_reported_by_feature_id(plugin, layers):
    bow_tie = f"POLYGON(({X0} {Y0}, {X0 + 100} {Y0 + 100}, {X0 + 100} {Y0}, {X0} {Y0 + 100}, {X0} {Y0}))"
    parcels, buildings = layers(
        [parcel("OK", rect(0, 200, 100, 100)), parcel("BOWTIE", bow_tie), parcel("EMPTY", None),
         parcel("ZERO", f"POLYGON(({X0} {Y0 + 500}, {X0 + 10} {Y0 + 500}, {X0 + 20} {Y0 + 500}, {X0} {Y0 + 500}))")],
        [building(rect(60, 45, 40, 10), floors=4), building(bow_tie.replace(f"{X0}", f"{X0 + 300}"), floors=1)])
    ids = {f["DKBH"]: f.id() for f in parcels.getFeatures()}
    feedback = Recorder()
    out = by_id(run(parcels, buildings, feedback)["OUTPUT"])
    assert len(out) == 4  # every parcel is in the output, problems included
    assert out["BOWTIE"]["far"] == pytest.approx(4 * 400 / 5000)  # repaired into two triangles of 2,500 m²
    assert "repaired" in out["BOWTIE"]["reasons"]
    assert out["EMPTY"]["far"] == NULL
    assert "parcel geometry is empty or not a polygon" in out["EMPTY"]["reasons"]
    assert "parcel geometry is empty or not a polygon" in out["ZERO"]["reasons"]  # a zero-area sliver
    assert "repaired" not in out["ZERO"]["reasons"]
    assert out["EMPTY"]["low_eff"] == 0 and out["ZERO"]["low_eff"] == 0
    repaired = [line for line in feedback.lines if "invalid geometry repaired" in line]
    assert any("地块" in line and str(ids["BOWTIE"]) in line for line in repaired)
    building_ids = [f.id() for f in buildings.getFeatures()]
    assert any("建筑" in line and str(building_ids[1]) in line for line in repaired)
    unusable = [line for line in feedback.lines if "empty or non-polygon geometry" in line]
    assert any(str(ids["EMPTY"]) in line and str(ids["ZERO"]) in line for line in unusable)


def test_text_and_absurd_numbers_are_read_or_reported(plugin, layers):
    parcels, _ = layers([parcel("TEXT", rect(0, 0, 100, 100), far=" 0.5 "), parcel("JUNK", rect(200, 0, 100, 100),
                                                                                     far="abc"),
                         parcel("ABSURD", rect(400, 0, 100, 100), far="250"),
                         parcel("NODATA", rect(600, 0, 100, 100), far="尚無資料")])
    out = by_id(run(parcels)["OUTPUT"])
    assert out["TEXT"]["far"] == pytest.approx(0.5) and out["TEXT"]["low_eff"] == 1
    assert "RJL is not a number: abc" in out["JUNK"]["reasons"]
    assert "implausible" in out["ABSURD"]["reasons"] and out["ABSURD"]["low_eff"] == 0
    assert out["ABSURD"]["far"] == NULL  # a data error is never written as a figure
    assert "RJL has no data: 尚無資料" in out["NODATA"]["reasons"] and out["NODATA"]["low_eff"] == 0


def test_geographic_input_gives_the_same_far_as_projected(plugin, layers):
    rows = [parcel("A", rect(0, 0, 120, 80)), parcel("B", rect(120, 0, 100, 80)), parcel("C", rect(0, 80, 220, 60))]
    houses = [building(rect(100, 20, 40, 30), floors=5), building(rect(10, 90, 50, 20), height=9),
              building(rect(150, 60, 20, 40), floors=2)]
    parcels, buildings = layers(rows, houses)
    projected = by_id(run(parcels, buildings)["OUTPUT"])
    geographic = processing.run("native:reprojectlayer", {"INPUT": parcels, "TARGET_CRS": "EPSG:4490",
                                                           "OUTPUT": "memory:"})["OUTPUT"]
    feedback = Recorder()
    results = run(geographic, buildings, feedback)  # buildings stay projected: mixed CRSs work too
    assert results["OUTPUT"].crs().authid() == "EPSG:4490"
    assert "measured in EPSG:4549" in feedback.text
    measured = by_id(results["OUTPUT"])
    for pid in "ABC":
        assert measured[pid]["far"] == pytest.approx(projected[pid]["far"], rel=1e-6)
        assert measured[pid]["coverage"] == pytest.approx(projected[pid]["coverage"], rel=1e-6)
        assert measured[pid]["potential_m2"] == pytest.approx(projected[pid]["potential_m2"], abs=1)


def test_source_layers_are_not_modified(plugin, layers):
    parcels, buildings = seed_layers(layers)
    before = [(f.attributes(), f.geometry().asWkt()) for f in parcels.getFeatures()]
    fields = [f.name() for f in parcels.fields()]
    building_count = buildings.featureCount()
    run(parcels, buildings)
    assert [(f.attributes(), f.geometry().asWkt()) for f in parcels.getFeatures()] == before
    assert [f.name() for f in parcels.fields()] == fields
    assert buildings.featureCount() == building_count and not parcels.isModified()


def test_a_field_map_parameter_overrides_detection(plugin, make_layer):
    layer = make_layer("Polygon", [("code", "string"), ("ratio", "double")],
                       [{"wkt": rect(0, 0, 100, 100), "code": "0601", "ratio": 0.4}], "x")
    out = next(run(layer, PARCEL_FIELD_MAP=json.dumps({"land_use": "code", "far": "ratio"}))["OUTPUT"].getFeatures())
    assert out["far"] == pytest.approx(0.4) and out["low_eff"] == 1


# --- clusters, summary, cancel ----------------------------------------------------------------------------------

def test_clusters_need_a_shared_edge_not_a_corner(plugin, layers):
    parcels, _ = layers([
        parcel("A", rect(0, 0, 100, 100), far=0.5), parcel("B", rect(100, 0, 100, 100), far=0.5),  # an edge
        parcel("C", rect(200, 100, 100, 100), far=0.5),  # touches B in a corner only
        parcel("D", rect(1000, 0, 100, 100), far=2.0),  # efficient
    ])
    out = by_id(run(parcels)["OUTPUT"])
    assert out["A"]["cluster_id"] == out["B"]["cluster_id"] == 1
    assert out["C"]["cluster_id"] == 0 and out["D"]["cluster_id"] == 0
    assert out["A"]["mode"] == "并宗再开发" and out["C"]["mode"] == "自主再开发" and out["D"]["mode"] == ""


def test_cluster_outlines_are_one_shape_per_cluster_in_the_source_crs(plugin, layers):
    parcels, _ = layers([parcel("A", rect(0, 0, 100, 100), far=0.5), parcel("B", rect(100, 0, 100, 100), far=0.5),
                         parcel("C", rect(100, 100, 100, 50), far=0.5), parcel("D", rect(900, 0, 100, 100), far=0.5)])
    geographic = processing.run("native:reprojectlayer", {"INPUT": parcels, "TARGET_CRS": "EPSG:4490",
                                                           "OUTPUT": "memory:"})["OUTPUT"]
    results = run(geographic, CLUSTER_OUTLINES="memory:")
    outlines = results["CLUSTER_OUTLINES"]
    assert outlines.crs().authid() == "EPSG:4490" and outlines.featureCount() == 1
    outline = next(outlines.getFeatures())
    assert outline["cluster_id"] == 1 and outline["parcels"] == 3
    assert outline["area_mu"] == pytest.approx(25000 / (10000 / 15), rel=1e-6)
    assert outline.geometry().isMultipart() and len(outline.geometry().asMultiPolygon()) == 1
    assert "CLUSTER_OUTLINES" not in run(parcels)


def test_summary_per_grade_and_district(plugin, layers):
    parcels, _ = layers([parcel("A", rect(0, 0, 100, 100), far=0.5, tax=10, district="西湖"),
                         parcel("B", rect(300, 0, 100, 100), far=2.0, tax=100, district="西湖"),
                         parcel("C", rect(600, 0, 100, 100), far=2.0, tax=50, district="余杭")])
    feedback = Recorder()
    summary = json.loads(run(parcels, feedback=feedback)["SUMMARY"])
    assert summary["parcels"] == 3
    assert sum(c["parcels"] for c in summary["per_grade"].values()) == 3
    assert summary["per_district"]["西湖"]["low_eff"]["parcels"] == 1
    assert "西湖" in feedback.text and "Low-efficiency land: 1 parcels" in feedback.text


def test_rerun_on_a_result_replaces_its_fields(plugin, layers, make_layer):
    parcels, buildings = seed_layers(layers)
    again = run(run(parcels, buildings)["OUTPUT"], buildings)["OUTPUT"]
    names = [f.name() for f in again.fields()]
    assert len(names) == len(set(names)) == len(PARCEL_FIELDS) + 15  # the 15 result fields, once
    assert next(again.getFeatures())["potential_m2"] == pytest.approx(50000, abs=1)
    first = make_layer("Polygon", [("far", "double"), ("YDXZ", "string")],  # a result name first: rebuilt rows
                       [{"wkt": rect(0, 0, 100, 100), "far": 9.0, "YDXZ": "0601"}], "x")
    out = next(run(first, PARCEL_FIELD_MAP=json.dumps({"land_use": "YDXZ"}))["OUTPUT"].getFeatures())
    assert out["YDXZ"] == "0601" and out["far"] == NULL and "no FAR" in out["reasons"]


def test_empty_layers_give_an_empty_result(plugin, make_layer):
    parcels = make_layer("Polygon", PARCEL_FIELDS, [], "地块")
    buildings = make_layer("Polygon", BUILDING_FIELDS, [], "建筑")
    results = run(parcels, buildings, CLUSTER_OUTLINES="memory:")
    assert results["OUTPUT"].featureCount() == 0 and results["CLUSTER_OUTLINES"].featureCount() == 0
    assert json.loads(results["SUMMARY"])["parcels"] == 0
    one = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 10, 10))], "地块")
    alone = next(run(one, buildings)["OUTPUT"].getFeatures())
    # an empty buildings layer covers nothing: no building data, not FAR 0
    assert alone["far"] == NULL and "no building data" in alone["reasons"] and alone["low_eff"] == 0


def test_cancel_stops_the_run(plugin, layers):
    parcels, buildings = seed_layers(layers)
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException):
        run(parcels, buildings, feedback)


# --- reading and writing at scale -------------------------------------------------------------------------------

def test_result_rows_match_attribute_rows_in_any_order(plugin):
    import pandas as pd

    from land_bureau_plugin.qgis_bridge.results import ResultField, ResultRows, attribute_rows

    spec = [ResultField("far", "real"), ResultField("grade", "text"), ResultField("low_eff", "int")]
    frame = pd.DataFrame({"far": [0.5, None, 2.0] * 9, "grade": ["A", None, "D"] * 9, "low_eff": [1, 0, 1] * 9},
                         index=[3 * i + 7 for i in range(27)])
    expected = attribute_rows(frame, spec)
    rows = ResultRows(frame, spec)
    rows.CHUNK = 4
    order = list(frame.index) + list(reversed(frame.index))
    assert [rows[fid] for fid in order] == [expected[fid] for fid in order]


def test_numbers_are_read_as_floats_and_nulls_as_nan(plugin, layers):
    import math

    from land_bureau_plugin.qgis_bridge.layers import read_columns

    parcels, _ = layers([parcel("A", rect(0, 0, 10, 10), tax=12.5), parcel("B", rect(20, 0, 10, 10))])
    columns = read_columns(parcels, {"parcel_id": "DKBH", "tax": "税收", "far": "RJL"}, numeric=("tax", "far"))
    assert columns.frame["tax"].dtype == float and math.isnan(columns.frame["tax"].iloc[1])
    assert columns.frame["far"].dtype == object  # a text field stays text: the analysis reads "0.8" itself
    assert columns.frame["parcel_id"].tolist() == ["A", "B"] and columns.frame["far"].tolist() == [None, None]


def test_in_chinese_the_log_and_the_reasons_use_chinese_punctuation(chinese, plugin, layers):
    parcels, buildings = layers([parcel("CASE", rect(0, 0, 172, 171), tax=176.5),
                                 parcel("NEXT", rect(200, 0, 100, 100), far="2.0", tax=50)],
                                [building(rect(12, 12, 96, 72), floors=2)])
    feedback = Recorder()
    results = run(parcels, buildings, feedback=feedback)
    reasons = by_id(results["OUTPUT"])["CASE"]["reasons"]  # FAR too low, and the score lacks indicators
    assert reasons.count("；") >= 1 and "; " not in reasons and "容积率" in reasons
    grades = next(line for line in feedback.lines if line.startswith("地块："))
    assert "亩）" in grades and "(" not in grades and ", " not in grades


def test_enterprises_graded_by_rank_with_classes_and_exemptions_from_chinese_fields(plugin, make_layer, tmp_path):
    """亩均论英雄 through Processing (issue 14): the fields as a 经信 list names them (企业规模, 投产日期, 是否在建,
    行业代码, 是否租赁), the as-of date given; the grades by rank in the district, the classes and the reasons, the
    counts per class in the SUMMARY and the log, the 依据 of each rule."""
    fields = [("DKBH", "string"), ("YDXZ", "string"), ("RJL", "double"), ("税收", "double"), ("产值", "double"),
              ("行政区", "string"), ("企业规模", "string"), ("投产日期", "string"), ("是否在建", "string"),
              ("行业代码", "string"), ("是否租赁", "string")]
    rows = [{"wkt": rect(200 * i, 0, 100, 100), "DKBH": f"E{i:02d}", "YDXZ": "0601", "RJL": 1.5, "税收": 300.0 - 10 * i,
             "产值": 5000.0, "行政区": "萧山区", "企业规模": "规上", "投产日期": "2010-01-01", "是否在建": "否",
             "行业代码": "3011", "是否租赁": "否"} for i in range(20)]
    rows += [dict(rows[0], wkt=rect(200 * i, 500, 100, 100), DKBH=f"X{i}", 税收=1.0) for i in range(4)]
    rows[20]["投产日期"] = "2025-06-01"  # new: not graded
    rows[21]["是否在建"] = "是"
    rows[22]["行业代码"] = "4411"  # electricity: a utility
    rows[23]["是否租赁"] = "是"  # a tenant: listed apart
    layer = make_layer("Polygon", fields, rows, "亩均企业")
    feedback = Recorder()
    results = run(layer, feedback=feedback, AS_OF="2026-11-27")
    out = by_id(results["OUTPUT"])
    assert [out[f"E{i:02d}"]["grade"] for i in range(20)] == ["A"] * 5 + ["B"] * 9 + ["C"] * 5 + ["D"]
    assert [out[f"E{i:02d}"]["rank"] for i in range(20)] == list(range(1, 21))
    assert [out[f"X{i}"]["ent_class"] for i in range(4)] == ["exempt", "exempt", "exempt", "apart"]
    assert all(out[f"X{i}"]["grade"] == NULL and out[f"X{i}"]["rank"] == NULL for i in range(4))
    assert "new enterprise, production started 2025-06-01 (less than 3 years ago)" in out["X0"]["reasons"]
    assert "utility (industry 4411)" in out["X2"]["reasons"]
    summary = json.loads(results["SUMMARY"])
    assert summary["per_class"]["above"]["per_grade"] == {"A": 5, "B": 9, "C": 5, "D": 1}
    assert summary["per_class"]["exempt"]["parcels"] == 3 and summary["per_class"]["apart"]["parcels"] == 1
    assert summary["sources"]["classes"]["document"] == "local default"
    assert "Per class: above designated size (规上) 20 (A 5, B 9, C 5, D 1)" in feedback.text
    assert "not graded (不定等级) 3" in feedback.text


@pytest.mark.parametrize("driver", ["GPKG", "ESRI Shapefile"])
def test_text_in_a_number_field_is_named_not_read_as_zero(plugin, tmp_path, driver):
    """A GeoPackage written by a script or a database tool (SQLite keeps any text in a REAL column), or a GBK
    shapefile exported by a spreadsheet (a DBF stores numbers as text), holds "待定" in the number field of taxes
    and "41%" in the one of FARs. GDAL reads them as 0 and 41: the parcel of "待定" was judged on a tax of 0 (grade D,
    "tax per mu 0.0 万元"), the one of "41%" on a FAR of 41. They are read as the text they are: "待定" is named,
    "41%" is a FAR of 0.41, and a tax truly stored as 0 is still judged."""
    from osgeo import ogr, osr
    from qgis.core import QgsVectorLayer

    shapefile = driver == "ESRI Shapefile"
    path = str(tmp_path / ("地块.shp" if shapefile else "地块.gpkg"))
    dataset = ogr.GetDriverByName(driver).CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = dataset.CreateLayer("地块", srs, ogr.wkbPolygon,
                                options=["ENCODING=CP936"] if shapefile else ["SPATIAL_INDEX=NO"])
    names = ("DKBH", "YDXZ", "RJL", "SS" if shapefile else "税收", "XZQ" if shapefile else "行政区")
    for name, kind in zip(names, (ogr.OFTString, ogr.OFTString, ogr.OFTReal, ogr.OFTReal, ogr.OFTString)):
        definition = ogr.FieldDefn(name, kind)
        if kind == ogr.OFTReal:
            definition.SetWidth(12)
            definition.SetPrecision(2)
        layer.CreateField(definition)
    rows = [("A", 2.0, 100.0), ("B", 2.0, 120.0), ("PENDING", 2.0, 110.0), ("ZERO", 2.0, 0.0),
            ("PERCENT", 2.0, 105.0), ("C", 2.0, 115.0)]
    for i, (pid, far, tax) in enumerate(rows):
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(names, (pid, "0601", far, tax, "城厢街道")):
            feature.SetField(name, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(rect(200 * i, 0, 100, 100)))
        layer.CreateFeature(feature)
    dataset = None
    if shapefile:
        store_in_dbf(path, 2, 3, "待定".encode("cp936"))
        store_in_dbf(path, 4, 2, b"41%")
        parcels = QgsVectorLayer(path, "地块", "ogr")
    else:
        store_in_gpkg(path, "地块", "税收", "待定", "DKBH = 'PENDING'")
        store_in_gpkg(path, "地块", "RJL", "41%", "DKBH = 'PERCENT'")
        parcels = QgsVectorLayer(f"{path}|layername=地块", "地块", "ogr")
    out = by_id(run(parcels)["OUTPUT"])
    assert f"{names[3]} is not a number: 待定" in out["PENDING"]["reasons"]
    assert out["PENDING"]["tax_per_mu"] == NULL and out["PENDING"]["low_eff"] == 0
    assert out["ZERO"]["tax_per_mu"] == 0 and out["ZERO"]["low_eff"] == 1  # a 0 stored as a number is a 0
    assert out["PERCENT"]["far"] == pytest.approx(0.41) and out["PERCENT"]["low_eff"] == 1
    assert "FAR 0.41 below" in out["PERCENT"]["reasons"]
    assert out["A"]["low_eff"] == 0


