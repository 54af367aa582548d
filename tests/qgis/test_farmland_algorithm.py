"""landbureau:farmlandbalance through Processing: a hand-computed two-county ledger read from Chinese field names
(areas in 亩 by the unit in the name, or from the geometry), transfers, the checks on the map measured against
shapely, and bad input refused with the layer, feature id and field named — the way the toolbox and qgis_process
call it."""
import json

import processing
import pytest
import shapely
from log_feedback import Recorder
from qgis.core import QgsProcessingException
from shapely import wkt as shapely_wkt

X0, Y0 = 530000, 3340000
OCC_FIELDS = [("项目编号", "string"), ("行政区", "string"), ("批准日期", "string"), ("耕地面积(亩)", "double"),
              ("水田面积(亩)", "double"), ("质量等别", "string")]
SUP_FIELDS = [("项目编号", "string"), ("行政区", "string"), ("验收日期", "string"), ("新增耕地面积(亩)", "double"),
              ("新增水田面积(亩)", "double"), ("质量等别", "string")]
TRANSFER_FIELDS = [("调出方", "string"), ("调入方", "string"), ("调剂日期", "string"), ("调剂数量", "double"),
                   ("调剂水田", "double"), ("调剂产能", "double"), ("单价", "double"), ("指标类型", "string")]


def rect(x0, y0, x1, y1) -> str:
    return (f"POLYGON(({X0 + x0} {Y0 + y0}, {X0 + x1} {Y0 + y0}, {X0 + x1} {Y0 + y1}, {X0 + x0} {Y0 + y1}, "
            f"{X0 + x0} {Y0 + y0}))")


def row(fields, values, wkt=None):
    return {**dict(zip([name for name, _ in fields], values)), "wkt": wkt}


@pytest.fixture()
def layers(make_layer):
    occupations = make_layer("Polygon", OCC_FIELDS, [
        row(OCC_FIELDS, ("O1", "西湖区", "2023-06-01", 150, 40, "4"), rect(0, 0, 100, 100)),
        row(OCC_FIELDS, ("O2", "西湖区", "2024/3/1", 300, 80, "6"), rect(200, 0, 300, 100)),
    ], "占用耕地项目")
    supplements = make_layer("Polygon", SUP_FIELDS, [
        row(SUP_FIELDS, ("S1", "西湖区", "2023-03-01", 200, 50, "5"), rect(0, 1000, 100, 1100)),
        row(SUP_FIELDS, ("S2", "淳安县", "2023年1月10日", 500, 100, "7"), rect(60, 1050, 160, 1150)),
    ], "补充耕地项目")
    transfers = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 1000, 0, 0, 2, "粮食生产功能区代保")),
    ], "指标调剂")
    return occupations, supplements, transfers


def run(occupations, supplements, transfers=None, feedback=None, **extra):
    params = {"OCCUPATIONS": occupations, "SUPPLEMENTS": supplements, "LEDGER": "memory:", "CHECKS": "memory:",
              "FLOWS": "memory:",
              **extra}
    if transfers is not None:
        params["TRANSFERS"] = transfers
    return processing.run("landbureau:farmlandbalance", params, feedback=feedback or Recorder())


def test_the_ledger_of_two_counties_hand_computed(plugin, layers):
    log = Recorder()
    result = run(*layers, feedback=log)
    ledger = {(f["county"], f["period"]): f for f in result["LEDGER"].getFeatures()}
    xihu24, chunan24 = ledger[("西湖区", "2024")], ledger[("淳安县", "2024")]
    assert xihu24["received_mu"] == pytest.approx(300) and xihu24["occupied_mu"] == pytest.approx(300)
    assert xihu24["balance_mu"] == pytest.approx(50)  # 200 − 150 + 300 − 300
    assert xihu24["balance_paddy_mu"] == pytest.approx(-10)  # 50 − 40 + 60 − 80
    assert xihu24["balance_capacity_kg"] == pytest.approx(200 * 1100 - 150 * 1200 + 270000 - 300 * 1000)
    assert xihu24["status"] == "deficit" and xihu24["shortfall_paddy_mu"] == pytest.approx(10)
    assert chunan24["balance_mu"] == pytest.approx(200) and chunan24["status"] == "balanced"  # 代保 moves nothing
    assert ledger[("西湖区", "2023")]["status"] == "balanced"
    summary = json.loads(result["SUMMARY"])
    assert result["DEFICIT_COUNTIES"] == 1 and set(summary["deficit"]) == {"西湖区"}
    assert summary["transfers"]["cultivated"]["funds"] == pytest.approx(12000)  # 300 亩 × 40 万元
    assert summary["transfers"]["grain_zone"]["funds"] == pytest.approx(2000)
    assert "14,000.00 万元" in log.text and "1.4000 亿元" in log.text


def test_supplements_overlapping_each_other_are_measured_like_shapely(plugin, layers):
    result = run(*layers)
    checks = [f for f in result["CHECKS"].getFeatures() if f["check"] == "supplement_overlap"]
    assert len(checks) == 1
    expected = shapely.intersection(shapely_wkt.loads(rect(0, 1000, 100, 1100)),
                                    shapely_wkt.loads(rect(60, 1050, 160, 1150)))
    assert checks[0]["area_m2"] == pytest.approx(expected.area)  # 40 × 50 = 2,000 m²
    assert checks[0]["project_id"] == "S1" and checks[0]["other_project"] == "S2"  # S1 accepted later
    assert checks[0].geometry().area() == pytest.approx(expected.area)


def test_areas_from_the_geometry_and_basic_farmland_occupied(plugin, make_layer):
    fields = [("项目编号", "string"), ("行政区", "string"), ("批准日期", "string")]
    occupations = make_layer("Polygon", fields, [row(fields, ("O1", "A", "2024-05-09"), rect(0, 0, 100, 100))], "占用")
    sfields = [("项目编号", "string"), ("行政区", "string"), ("验收日期", "string")]
    supplements = make_layer("Polygon", sfields, [row(sfields, ("S1", "A", "2024-05-10"), rect(0, 500, 100, 650))],
                             "补充")
    basic = make_layer("Polygon", [("id", "int")], [{"id": 1, "wkt": rect(70, 80, 200, 200)}], "永久基本农田")
    result = run(occupations, supplements, BASIC_FARMLAND=basic, PERIOD=3)
    (ledger,) = list(result["LEDGER"].getFeatures())
    assert ledger["period"] == "全部"
    assert ledger["occupied_mu"] == pytest.approx(10000 / (10000 / 15))  # 10,000 m² = 15 亩
    assert ledger["supplemented_mu"] == pytest.approx(15000 / (10000 / 15))
    checks = {f["check"]: f for f in result["CHECKS"].getFeatures()}
    assert checks["occupies_basic_farmland"]["area_m2"] == pytest.approx(30 * 20)
    late = checks["supplement_after_occupation"]  # approved 05-09, its supplement accepted 05-10
    assert late["area_mu"] == pytest.approx(15) and late["other_project"] == "S1"
    assert "cap_exceeded" in checks


@pytest.mark.parametrize("field, value, layer_index, expected", [
    ("行政区", None, 0, "行政区"),
    ("批准日期", "下月", 0, "批准日期"),
    ("耕地面积(亩)", -3.0, 0, "耕地面积(亩)"),
    ("调入方", "淳安县", 2, "调入方"),  # giving to itself
    ("单价", -5.0, 2, "单价"),
])
def test_bad_input_is_refused_naming_layer_feature_and_field(plugin, make_layer, field, value, layer_index,
                                                               expected):
    specs = [(OCC_FIELDS, ("O1", "西湖区", "2024-01-01", 10, 0, "5"), rect(0, 0, 10, 10), "占用耕地项目"),
             (SUP_FIELDS, ("S1", "西湖区", "2023-01-01", 10, 0, "5"), rect(0, 50, 10, 60), "补充耕地项目"),
             (TRANSFER_FIELDS, ("淳安县", "西湖区", "2023-06-01", 1, 0, 0, 1, "耕地"), None, "指标调剂")]
    layers = []
    for i, (fields, values, wkt, name) in enumerate(specs):
        values = dict(zip([n for n, _ in fields], values))
        if i == layer_index:
            values[field] = value
        if i == 1:
            values2 = {**values, "项目编号": "S2", "行政区": "淳安县"}
            rows = [{**values, "wkt": wkt}, {**values2, "wkt": rect(100, 50, 110, 60)}]
        else:
            rows = [{**values, "wkt": wkt}]
        layers.append(make_layer("None" if wkt is None else "Polygon", fields, rows, name))
    with pytest.raises(QgsProcessingException) as error:
        run(*layers)
    message = str(error.value)
    assert specs[layer_index][3] in message and expected in message and "feature id 1" in message
    assert "Traceback" not in message


def two_spellings(make_layer, *extra_occupations):
    """Occupations O1 in 桐庐县 (2023, 100 亩) and O2 in 桐廬縣 (2024, 50 亩), supplements S1 in 桐廬縣 (2023, 200 亩)
    and S2 in 淳安县 (2023, 300 亩), all of grade 5; `extra_occupations` rows after them."""
    def layer(fields, rows, name):
        return make_layer("Polygon", fields, [row(fields, values, rect(*box)) for values, box in rows], name)

    return (layer(OCC_FIELDS, [(("O1", "桐庐县", "2023-06-01", 100, 0, "5"), (0, 0, 100, 100)),
                               (("O2", "桐廬縣", "2024-03-01", 50, 0, "5"), (200, 0, 300, 100)),
                               *extra_occupations], "占用耕地项目"),
            layer(SUP_FIELDS, [(("S1", "桐廬縣", "2023-03-01", 200, 0, "5"), (0, 1000, 100, 1100)),
                               (("S2", "淳安县", "2023-01-10", 300, 0, "5"), (200, 1000, 300, 1100))], "补充耕地项目"))


def test_a_county_in_traditional_and_simplified_characters_is_one_county(plugin, make_layer):
    """桐廬縣 (a supplement, an occupation, the receiving end of a transfer) and 桐庐县 (an occupation) are one
    county: one balance per year, worked by hand (grade 5: 1,100 kg/亩), and the log names the spelling merged with
    its layers and feature ids. Read as two, 桐庐县 2023 would be 100 亩 in deficit and 桐廬縣 a second county."""
    log = Recorder()
    occupations, supplements = two_spellings(make_layer)
    transfers = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "桐廬縣", "2024-02-01", 40, 0, 44000, 10, "耕地占补平衡指标"))], "指标调剂")
    result = run(occupations, supplements, transfers, feedback=log)
    ledger = {(f["county"], f["period"]): f for f in result["LEDGER"].getFeatures()}
    assert set(ledger) == {("桐庐县", "2023"), ("桐庐县", "2024"), ("淳安县", "2023"), ("淳安县", "2024")}
    expected = {("桐庐县", "2023"): (200, 100, 0, 0, 100, 220000 - 110000),
                ("桐庐县", "2024"): (0, 50, 40, 0, 90, 110000 - 55000 + 44000),
                ("淳安县", "2023"): (300, 0, 0, 0, 300, 330000),
                ("淳安县", "2024"): (0, 0, 0, 40, 260, 330000 - 44000)}
    for key, (supplemented, occupied, received, given, balance, capacity) in expected.items():
        got = ledger[key]
        assert (got["supplemented_mu"], got["occupied_mu"], got["received_mu"], got["given_mu"],
                got["balance_mu"], got["balance_capacity_kg"]) == pytest.approx(
            (supplemented, occupied, received, given, balance, capacity)), key
        assert got["status"] == "balanced", key
    summary = json.loads(result["SUMMARY"])
    assert summary["counties"] == 2 and summary["deficit"] == {} and summary["transfers_only"] == []
    warning = next(line for line in log.text.splitlines() if "桐廬縣" in line)
    assert "桐庐县" in warning and "traditional and simplified" in warning
    assert "占用耕地项目 feature id 2" in warning and "补充耕地项目 feature id 1" in warning
    assert "指标调剂 feature id 1" in warning
    assert "淳安县" not in warning  # only the spellings merged are named


def test_a_transfer_between_two_spellings_of_one_county_gives_to_itself(plugin, layers, make_layer):
    occupations, supplements, _transfers = layers
    itself = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("西湖區", "西湖区", "2024-02-01", 10, 0, 0, 1, "耕地占补平衡指标"))], "指标调剂")
    with pytest.raises(QgsProcessingException) as error:
        run(occupations, supplements, itself)
    message = str(error.value)
    assert "指标调剂" in message and "feature id 1" in message and "调入方" in message
    assert "西湖區→西湖区" in message


def test_a_county_only_in_transfers_is_named_in_the_log_and_not_judged(plugin, layers, make_layer):
    """A misspelt receiver (西胡区 for 西湖区), a county buying ahead of its occupations or one outside the data:
    read, named in the log with the transfer's feature id, in the ledger as transfers_only — never 'in deficit'."""
    log = Recorder()
    typo = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "西胡区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标"))], "指标调剂")
    result = run(layers[0], layers[1], typo, feedback=log)
    assert "西胡区" in log.text and "指标调剂" in log.text and "feature id 1" in log.text
    ledger = {(f["county"], f["period"]): f for f in result["LEDGER"].getFeatures()}
    assert ledger[("西胡区", "2024")]["status"] == "transfers_only"
    assert ledger[("西湖区", "2024")]["received_mu"] == 0  # what the typo cost: 西湖区 is short by it
    summary = json.loads(result["SUMMARY"])
    assert summary["transfers_only"] == ["西胡区"] and "西胡区" not in summary["deficit"]


def test_a_geographic_layer_is_measured_in_metres_not_degrees(plugin, make_layer):
    """A CGCS2000 (EPSG:4490) layer: its 100 m × 100 m square in the Hangzhou zone (EPSG:4549) measures 15 亩."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

    to_degrees = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())
    square = QgsGeometry.fromWkt(rect(0, 0, 100, 100))
    square.transform(to_degrees)
    fields = [("项目编号", "string"), ("行政区", "string"), ("批准日期", "string")]
    occupations = make_layer("Polygon", fields, [row(fields, ("O1", "A", "2024-05-09"), square.asWkt(12))], "占用",
                             crs="EPSG:4490")
    sfields = [("项目编号", "string"), ("行政区", "string"), ("验收日期", "string")]
    supplements = make_layer("Polygon", sfields, [row(sfields, ("S1", "A", "2024-01-01"), rect(0, 500, 100, 700))],
                             "补充")
    (ledger,) = list(run(occupations, supplements, PERIOD=3)["LEDGER"].getFeatures())
    assert ledger["occupied_mu"] == pytest.approx(15, rel=1e-3)
    assert ledger["supplemented_mu"] == pytest.approx(30, rel=1e-6)
    assert ledger["balance_mu"] == pytest.approx(15, rel=1e-3)


def test_the_ledger_as_xlsx_with_units_in_the_headers(plugin, layers, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "耕地占补平衡台账.xlsx"
    result = run(*layers, LEDGER_XLSX=str(path))
    assert result["LEDGER_XLSX"] == str(path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert {"县（市、区）", "期间", "占用耕地(亩)", "调入水田(亩)", "累计结余产能(公斤)", "缺口水田(亩)",
            "平衡状态"} <= set(header)
    by_key = {(r[header.index("县（市、区）")], r[header.index("期间")]): dict(zip(header, r)) for r in rows[1:]}
    xihu24 = by_key[("西湖区", "2024")]
    assert xihu24["累计结余耕地(亩)"] == pytest.approx(50) and xihu24["平衡状态"] == "缺口"
    assert xihu24["缺口指标"] == "水田" and xihu24["缺口水田(亩)"] == pytest.approx(10)
    assert len(rows) - 1 == result["LEDGER"].featureCount()


def test_outputs_written_to_geopackages(plugin, layers, tmp_path):
    """A GeoPackage keeps its own fid: the checks' feature ids are a column of their own, not the table's key."""
    from qgis.core import QgsVectorLayer

    result = run(*layers, LEDGER=str(tmp_path / "台账.gpkg"), CHECKS=str(tmp_path / "检查.gpkg"))
    checks = QgsVectorLayer(result["CHECKS"], "checks", "ogr")
    got = {(f["check"], f["layer"], f["feature_id"]) for f in checks.getFeatures()}
    assert got == {("cap_exceeded", "occupations", 2), ("supplement_overlap", "supplements", 1)}  # O2 and S1


def test_flows_between_counties_drawn_from_centre_to_centre(plugin, layers):
    result = run(*layers)
    flows = {(f["from_county"], f["to_county"], f["type"]): f for f in result["FLOWS"].getFeatures()}
    assert set(flows) == {("淳安县", "西湖区", "cultivated"), ("淳安县", "西湖区", "grain_zone")}
    cultivated = flows[("淳安县", "西湖区", "cultivated")]
    assert cultivated["mu"] == pytest.approx(300) and cultivated["funds"] == pytest.approx(12000)
    line = shapely_wkt.loads(cultivated.geometry().asWkt())
    assert line.coords[0] == pytest.approx((X0 + 110, Y0 + 1100))  # 淳安县: the centre of S2
    west = [shapely_wkt.loads(rect(0, 0, 100, 100)).centroid, shapely_wkt.loads(rect(200, 0, 300, 100)).centroid,
            shapely_wkt.loads(rect(0, 1000, 100, 1100)).centroid]  # 西湖区: O1, O2, S1
    assert line.coords[-1] == pytest.approx((sum(p.x for p in west) / 3, sum(p.y for p in west) / 3))


def test_a_flow_from_a_county_with_no_drawn_project_is_said_not_left_out(plugin, layers, make_layer, tmp_path):
    """建德市 gives indicators but has no occupation or supplement with a shape: its flow has no line, so the log
    and the printed subtitle name it (the map cannot show it); the flows between placed counties keep their lines."""
    from test_layouts import pdf_text, squash

    from land_bureau_plugin.layouts.themes import THEMES

    occupations, supplements, _ = layers
    transfers = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("建德市", "西湖区", "2024-02-02", 10, 0, 0, 40, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("建德市", "西湖区", "2024-02-03", 5, 0, 0, 40, "粮食生产功能区代保")),
    ], "指标调剂")
    log = Recorder()
    result = run(occupations, supplements, transfers, feedback=log)
    lines = {(f["from_county"], f["type"]): f.geometry() for f in result["FLOWS"].getFeatures()}
    assert not lines[("淳安县", "cultivated")].isEmpty()
    assert lines[("建德市", "cultivated")].isEmpty() and lines[("建德市", "grain_zone")].isEmpty()
    summary = json.loads(result["SUMMARY"])
    assert summary["flows_undrawn"] == {"pairs": ["建德市→西湖区"], "counties": ["建德市"]}  # one pair, two types
    assert "调剂流向建德市→西湖区未上图（建德市无项目图形，位置不明）" in summary["print_note"]
    assert "Flows not drawn on the map, no project with a shape places 建德市: 建德市→西湖区" in log.text
    out = tmp_path / "耕地占补平衡台账图.pdf"
    processing.run("landbureau:exportlayout", {"THEME": list(THEMES).index("farmland"), "LAYERS": [result["CHECKS"]],
                                               "SUMMARY": result["SUMMARY"], "OUTPUT": str(out)})
    assert squash("建德市→西湖区未上图") in pdf_text(out)
    # every county placed: nothing said
    placed = json.loads(run(*layers)["SUMMARY"])
    assert placed["flows_undrawn"] == {"pairs": [], "counties": []} and "未上图" not in placed["print_note"]


def test_the_checks_print_as_the_ledger_map(plugin, layers, tmp_path):
    """landbureau:exportlayout with the 耕地占补平衡 theme: title, the checks in the table, the run's figures in the
    subtitle (from its SUMMARY), the rules' documents under the table."""
    from test_layouts import pdf_text, squash

    from land_bureau_plugin.layouts.themes import THEMES

    result = run(*layers)
    out = tmp_path / "耕地占补平衡台账图.pdf"
    processing.run("landbureau:exportlayout", {"THEME": list(THEMES).index("farmland"), "LAYERS": [result["CHECKS"]],
                                               "SUMMARY": result["SUMMARY"], "OUTPUT": str(out)})
    text = pdf_text(out)
    for phrase in ("耕地占补平衡台账图", "超出以补定占额度", "补充耕地相互重叠", "期末存在缺口：西湖区",
                   "协作资金1.40亿元"):
        assert squash(phrase) in text, phrase


def test_the_printed_funds_name_the_transfers_without_funds(plugin, layers, make_layer):
    """协作资金 in the printed subtitle is the sum of the funds known (300 亩 × 40 + 1,000 亩 × 2 = 14,000 万元): a
    transfer with neither funds nor a price is named, never added as 0; with every one known the text is unchanged."""
    occupations, supplements, transfers = layers
    assert "协作资金 1.40 亿元；" in json.loads(run(*layers)["SUMMARY"])["print_note"] + "；"
    unpriced = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标")),
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-01", 1000, 0, 0, 2, "粮食生产功能区代保")),
        row(TRANSFER_FIELDS, ("淳安县", "西湖区", "2024-02-02", 10, 0, 0, None, "耕地占补平衡指标")),
    ], "指标调剂")
    log = Recorder()
    result = run(occupations, supplements, unpriced, feedback=log)
    summary = json.loads(result["SUMMARY"])
    assert summary["transfers"]["cultivated"]["funds_unknown"] == 1
    assert "协作资金 1.40 亿元（1项调剂金额不明）" in summary["print_note"]
    # the flow of the two cultivated transfers: 12,000 万元 are the first one's, the second is counted apart
    flows = {(f["from_county"], f["to_county"], f["type"]): f for f in result["FLOWS"].getFeatures()}
    cultivated, zone = flows[("淳安县", "西湖区", "cultivated")], flows[("淳安县", "西湖区", "grain_zone")]
    assert (cultivated["transfers"], cultivated["funds"], cultivated["funds_unknown"]) == (2, 12000, 1)
    assert (zone["transfers"], zone["funds"], zone["funds_unknown"]) == (1, 2000, 0)
    # the unit stays with its figure, the transfers left out come after both
    assert "funds 12,000.00 万元（1 without funds）" in log.text
    assert "Funds transferred in all: 14,000.00 万元 (1.4000 亿元)（1 without funds）" in log.text
    assert "funds 2,000.00 万元" in log.text


def test_a_supplement_named_by_an_occupation_is_looked_up_and_must_exist(plugin, make_layer, layers):
    fields = OCC_FIELDS + [("补充耕地项目编号", "string")]
    late = make_layer("Polygon", fields, [row(fields, ("O9", "淳安县", "2023-01-09", 5, 0, "5", "S2"),
                                              rect(500, 0, 510, 10))], "挂钩占用")
    checks = {f["check"]: f for f in run(late, layers[1])["CHECKS"].getFeatures()}
    assert checks["supplement_after_occupation"]["other_project"] == "S2"  # S2 accepted 2023-01-10
    missing = make_layer("Polygon", fields, [row(fields, ("O9", "淳安县", "2023-01-11", 5, 0, "5", "S2；S7"),
                                                 rect(500, 0, 510, 10))], "挂钩占用")
    with pytest.raises(QgsProcessingException) as error:
        run(missing, layers[1])
    assert "补充耕地项目编号" in str(error.value) and "S7" in str(error.value) and "feature id 1" in str(error.value)


@pytest.mark.parametrize("template", ["a4_portrait", "a3_landscape"])
def test_the_printed_note_with_its_documents_stays_above_the_footer(plugin, make_layer, template):
    """The 依据 under the table names three documents (three lines on A4): the note ends above the footer; the
    flows print as 指标调剂流向, the inputs by their role (occupations within the cap are not under a check)."""
    from qgis.core import QgsLayoutItemLabel, QgsLayoutItemLegend, QgsProject

    from land_bureau_plugin.layouts import templates as ids
    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import FARMLAND, sources_note, summary_note

    occupations = make_layer("Polygon", OCC_FIELDS, [
        row(OCC_FIELDS, (f"O{i}", "西湖区", f"2024-01-{i + 1:02d}", 10, 0, "5"), rect(200 * i, 0, 200 * i + 50, 50))
        for i in range(25)], "占用耕地项目")
    transfers = make_layer("None", TRANSFER_FIELDS, [
        row(TRANSFER_FIELDS, ("西湖区", "淳安县", "2024-02-01", 1, 0, 0, 40, "耕地"))], "指标调剂")
    supplements = make_layer("Polygon", SUP_FIELDS, [
        row(SUP_FIELDS, ("S1", "西湖区", "2023-06-01", 100, 0, "5"), rect(0, 500, 100, 600)),  # covers O0–O9
        row(SUP_FIELDS, ("S2", "淳安县", "2024-06-01", 100, 0, "5"), rect(5000, 500, 5100, 600))], "补充耕地项目")
    result = run(occupations, supplements, transfers)
    request = PrintRequest(FARMLAND, [result["CHECKS"], result["FLOWS"], occupations, supplements],
                           template=template, note=summary_note(result["SUMMARY"]),
                           sources=sources_note(result["SUMMARY"], FARMLAND))
    layout = build_layout(QgsProject(), request)
    note = layout.itemById(ids.TABLE_NOTE)
    footer = layout.itemById(ids.FOOTER_ORG)
    assert isinstance(note, QgsLayoutItemLabel) and "依据" in note.text() and "以补定占" in note.text()
    assert note.sceneBoundingRect().bottom() <= footer.sceneBoundingRect().top() + 0.01
    legend = next(item for item in layout.items() if isinstance(item, QgsLayoutItemLegend))
    names = [node.customProperty("legend/title-label") or node.name()
             for node in legend.model().rootGroup().children()]
    assert {"指标调剂流向", "占用耕地项目", "补充耕地项目"} <= set(names), names


@pytest.mark.parametrize("source, local", [(None, True), ({"document": "浙江省耕地质量等别与标准粮产能对照表",
                                                            "date": "2023"}, False)])
def test_the_profile_changes_the_capacity_table_and_the_log_says_whose_it_is(plugin, layers, tmp_path, source,
                                                                            local):
    """A profile with the province's table (here grade g → 2,000 − 100 g kg/亩): the capacities follow it; the log
    and the printed note call it a local default unless the profile names its document."""
    section = {"capacity_per_mu": {str(g): 2000.0 - 100 * g for g in range(1, 16)}}
    if source:
        section["sources"] = {"capacity_per_mu": source}
    profile = tmp_path / "province.json"
    profile.write_text(json.dumps({"farmland_balance": section}, ensure_ascii=False), encoding="utf-8")
    log = Recorder()
    result = run(*layers, feedback=log, PROFILE=str(profile), PERIOD=3)
    ledger = {f["county"]: f for f in result["LEDGER"].getFeatures()}
    # 西湖区: S1 200 亩 grade 5 (1,500), O1 150 亩 grade 4 (1,600), O2 300 亩 grade 6 (1,400), 270,000 kg received
    assert ledger["西湖区"]["balance_capacity_kg"] == pytest.approx(200 * 1500 - 150 * 1600 - 300 * 1400 + 270000)
    summary = json.loads(result["SUMMARY"])
    assert summary["capacity_rule"]["local"] is local and summary["capacity_rule"]["bundled"] is False
    assert "1等 1,900" in summary["capacity_rule"]["table"]
    if local:
        assert "a local default" in log.text
        assert "产能按 规则配置的等别折算表 折算（本地默认值）" in summary["print_note"]
    else:
        assert "《浙江省耕地质量等别与标准粮产能对照表》（2023）" in log.text
        assert "本地默认值" not in summary["print_note"] and "a local default" not in log.text


def test_units_as_bureaus_write_them_are_converted_and_an_unknown_one_is_said(plugin, make_layer):
    """Capacity in 万公斤, areas in 公頃 / 畝 (traditional), a price in 元/亩: converted, none read 10,000 times off;
    a unit the plugin does not know (万吨标准粮) is named in the log as read without conversion."""
    ofields = [("项目编号", "string"), ("行政区", "string"), ("批准日期", "string"), ("耕地面積(畝)", "double"),
               ("质量等别", "string")]
    sfields = [("项目编号", "string"), ("行政区", "string"), ("验收日期", "string"), ("新增耕地面积(公頃)", "double"),
               ("新增粮食产能(万公斤)", "double")]
    tfields = [("调出方", "string"), ("调入方", "string"), ("调剂日期", "string"), ("调剂数量", "double"),
               ("调剂产能(万吨标准粮)", "double"), ("单价(元/亩)", "double")]
    occupations = make_layer("Polygon", ofields, [row(ofields, ("O1", "西湖区", "2024-03-01", 30, "5"),
                                                      rect(0, 0, 10, 10))], "占用")
    supplements = make_layer("Polygon", sfields, [
        row(sfields, ("S1", "西湖区", "2024-01-01", 2, 3.5), rect(0, 500, 10, 510)),  # 30 亩, 35,000 kg
        row(sfields, ("S2", "淳安县", "2023-01-01", 4, 6), rect(900, 500, 910, 510))], "补充")
    moved = make_layer("None", tfields, [row(tfields, ("淳安县", "西湖区", "2024-02-01", 10, 0, 400000))], "调剂")
    log = Recorder()
    result = run(occupations, supplements, moved, feedback=log, PERIOD=3)
    ledger = {f["county"]: f for f in result["LEDGER"].getFeatures()}
    assert ledger["西湖区"]["supplemented_mu"] == pytest.approx(30)  # 2 公頃
    assert ledger["西湖区"]["occupied_mu"] == pytest.approx(30)  # 30 畝
    assert ledger["西湖区"]["supplemented_capacity_kg"] == pytest.approx(35000)  # 3.5 万公斤
    assert ledger["西湖区"]["balance_capacity_kg"] == pytest.approx(35000 - 30 * 1100)
    assert json.loads(result["SUMMARY"])["transfers"]["cultivated"]["funds"] == pytest.approx(400)  # 10 亩 × 40 万元
    assert "万吨标准粮" in log.text and "read as they are" in log.text


def far_and_near(make_layer, far_km):
    """西湖区's overlapping supplements (the check, 200 m across) and an occupation; 临安区 2.5 km off giving both
    耕地 and 代保; 桐庐县 `far_km` off giving 耕地 (None: no 桐庐县)."""
    supplements = [row(SUP_FIELDS, ("S1", "西湖区", "2023-03-01", 100, 0, "5"), rect(0, 0, 400, 400)),
                   row(SUP_FIELDS, ("S2", "西湖区", "2023-04-01", 100, 0, "5"), rect(200, 200, 600, 600)),
                   row(SUP_FIELDS, ("S3", "临安区", "2023-01-01", 900, 0, "5"), rect(2500, 1500, 2700, 1700))]
    moved = [row(TRANSFER_FIELDS, ("临安区", "西湖区", "2023-06-01", 300, 0, 0, 40, "耕地占补平衡指标")),
             row(TRANSFER_FIELDS, ("临安区", "西湖区", "2023-06-01", 200, 0, 0, 2, "粮食生产功能区代保"))]
    if far_km:
        supplements.append(row(SUP_FIELDS, ("S4", "桐庐县", "2023-01-01", 900, 0, "5"),
                               rect(-far_km * 800, -far_km * 600, -far_km * 800 + 200, -far_km * 600 + 200)))
        moved.append(row(TRANSFER_FIELDS, ("桐庐县", "西湖区", "2023-07-01", 100, 0, 0, 40, "耕地占补平衡指标")))
    occupations = make_layer("Polygon", OCC_FIELDS, [
        row(OCC_FIELDS, ("O1", "西湖区", "2024-01-01", 50, 0, "5"), rect(1000, 0, 1100, 100))], "占用耕地项目")
    return (occupations, make_layer("Polygon", SUP_FIELDS, supplements, "补充耕地项目"),
            make_layer("None", TRANSFER_FIELDS, moved, "指标调剂"))


@pytest.mark.parametrize("template", ["a3_landscape", "a4_portrait"])
def test_the_printed_map_holds_both_ends_of_every_flow_within_three_times_the_checks(plugin, make_layer,
                                                                                     template):
    """Seen on a print: the flows came in from the map's edge, zoomed to the checks. Counties 2.5 km apart and a
    check 200 m across (the map at least 1 km, so up to 3 km with the flows): the map holds both ends of every
    flow, with a margin, none under the legend, scale bar or north arrow."""
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import templates as ids
    from land_bureau_plugin.layouts.builder import PrintRequest, _map_box, build_layout
    from land_bureau_plugin.layouts.themes import FARMLAND

    occupations, supplements, transfers = far_and_near(make_layer, None)
    result = run(occupations, supplements, transfers)
    lines = [shapely_wkt.loads(f.geometry().asWkt()) for f in result["FLOWS"].getFeatures()]
    assert len(lines) == 2 and not lines[0].equals(lines[1])  # two types of one pair, bowed apart
    ends = [shapely.Point(line.coords[n]) for line in lines for n in (0, -1)]
    assert max(p.x for p in ends) - min(p.x for p in ends) > 1000  # more than the map around the check alone
    layout = build_layout(QgsProject(), PrintRequest(FARMLAND, [result["CHECKS"], result["FLOWS"], occupations,
                                                                supplements], template=template))
    map_item = layout.itemById(ids.MAP)
    extent = map_item.extent()
    margin = 0.02 * min(extent.width(), extent.height())
    for end in ends:
        assert extent.xMinimum() + margin < end.x < extent.xMaximum() - margin
        assert extent.yMinimum() + margin < end.y < extent.yMaximum() - margin
    frame = map_item.sceneBoundingRect()
    for item_id in (ids.LEGEND, ids.SCALEBAR, ids.NORTH_ARROW):
        item = layout.itemById(item_id)
        if item is not None and item.isVisible() and item.sceneBoundingRect().intersects(frame):
            assert not any(_map_box(item, frame, extent).intersects(end) for end in ends), item_id


def test_a_county_far_away_keeps_the_map_on_the_checks_and_its_flow_in_the_flows_table(plugin, make_layer):
    """桐庐县 gives 60 km away: holding its end would print the projects as dots (1:250,000), so the map stays
    within three times the checks — 临安区's flows (2.5 km) whole, 桐庐县's coming in from the edge —, and the flows
    table beside it names every flow's two counties, the largest first, in the arrows' colours."""
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import second_table
    from land_bureau_plugin.layouts import templates as ids
    from land_bureau_plugin.layouts.builder import FLOW_ZOOM_LIMIT, PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import FARMLAND

    occupations, supplements, transfers = far_and_near(make_layer, 60)
    result = run(occupations, supplements, transfers)
    layout = build_layout(QgsProject(), PrintRequest(FARMLAND, [result["CHECKS"], result["FLOWS"], occupations,
                                                                supplements]))
    extent = layout.itemById(ids.MAP).extent()
    flows = {f["from_county"]: shapely_wkt.loads(f.geometry().asWkt()) for f in result["FLOWS"].getFeatures()}
    inside = [shapely.Point(xy) for xy in (flows["临安区"].coords[0], flows["临安区"].coords[-1],
                                           flows["桐庐县"].coords[-1])]
    tonglu = shapely.Point(flows["桐庐县"].coords[0])
    for point, held in [(p, True) for p in inside] + [(tonglu, False)]:
        assert (extent.xMinimum() < point.x < extent.xMaximum()
                and extent.yMinimum() < point.y < extent.yMaximum()) == held
    # the check (the overlap, 200 m) under a map of 1 km at least: with 临安区 within 3 km, then the margin and the
    # frame's proportions
    assert max(extent.width(), extent.height()) <= FLOW_ZOOM_LIMIT * 1000 * 1.1 * 297 / 210
    heading, table = layout.itemById(second_table.HEADING_ID), layout.itemById(second_table.TABLE_ID)
    assert table.isVisible() and heading.text() == "指标调剂流向（按数量排序）"
    cells = [[cell.content() for cell in cells] for cells in table.multiFrame().tableContents()]
    assert [c[:3] for c in cells[1:]] == [["临安区", "西湖区", "耕地占补平衡指标"],
                                          ["临安区", "西湖区", "粮食生产功能区代保"],
                                          ["桐庐县", "西湖区", "耕地占补平衡指标"]]
    assert [c[3] for c in cells[1:]] == ["300.00", "200.00", "100.00"]


def test_two_flows_of_one_pair_are_drawn_apart_in_their_colours(plugin, layers):
    """The map as drawn, not only the lines: 耕地 (blue) and 代保 (orange) from 淳安县 to 西湖区 rendered with the
    bundled style — each arrow runs through its own bowed line's middle, in its colour, and nothing is drawn on the
    straight line between them (the arrow style once drew first point to last, ignoring the bow)."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    from land_bureau_plugin.qgis_bridge import styles

    flows = run(*layers)["FLOWS"]
    styles.apply_style(flows, "farmland_flows")
    lines = {f["type"]: shapely_wkt.loads(f.geometry().asWkt()) for f in flows.getFeatures()}
    box = shapely.union_all(list(lines.values())).envelope.buffer(200).bounds
    settings = QgsMapSettings()
    settings.setLayers([flows])
    settings.setDestinationCrs(flows.crs())
    settings.setOutputSize(QSize(600, 600))
    settings.setExtent(QgsRectangle(*box))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()

    def pixel(x, y):
        point = settings.mapToPixel().transform(x, y)
        return QColor(image.pixel(round(point.x()), round(point.y())))

    chord = lines["cultivated"].coords[0], lines["cultivated"].coords[-1]
    middle = ((chord[0][0] + chord[1][0]) / 2, (chord[0][1] + chord[1][1]) / 2)
    assert pixel(*middle).name() == "#ffffff"
    for kind, colour in (("cultivated", "#2b8cbe"), ("grain_zone", "#e6550d")):
        x, y = lines[kind].interpolate(0.5, normalized=True).coords[0]
        assert pixel(x, y).name() == colour, kind


def test_a4_prints_every_flow_in_blocks_side_by_side_when_one_block_has_no_room(plugin, make_layer):
    """Seen on A4 portrait: six flows under the checks and the 依据 note had room for two rows, the heading said
    '共 6 条，显示前 2 条'. Fewer rows than the usual fold (8) go in three blocks side by side when one block is cut,
    so all six print."""
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import second_table
    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import FARMLAND, sources_note, summary_note

    occupations, supplements, transfers = far_and_near(make_layer, 60)
    more = (("西湖区", "临安区", "补充林地指标"), ("西湖区", "桐庐县", "补充林地指标"),
            ("桐庐县", "西湖区", "粮食生产功能区代保"))
    for n, (giver, taker, kind) in enumerate(more):
        feature = next(transfers.getFeatures())
        feature.setAttributes([giver, taker, f"2023-08-0{n + 1}", 10 + n, 0, 0, 10, kind])
        transfers.dataProvider().addFeatures([feature])
    result = run(occupations, supplements, transfers)
    assert result["FLOWS"].featureCount() == 6
    request = PrintRequest(FARMLAND, [result["CHECKS"], result["FLOWS"], occupations, supplements],
                           template="a4_portrait", note=summary_note(result["SUMMARY"]),
                           sources=sources_note(result["SUMMARY"], FARMLAND))
    layout = build_layout(QgsProject(), request)
    heading, table = layout.itemById(second_table.HEADING_ID), layout.itemById(second_table.TABLE_ID)
    assert table.isVisible() and heading.text() == "指标调剂流向（按数量排序）"
    cells = [[cell.content() for cell in cells] for cells in table.multiFrame().tableContents()]
    givers = [row[n] for row in cells[1:] for n in range(0, len(row), 4) if row[n]]  # 调出方 of each block
    assert sorted(givers) == sorted(["临安区", "临安区", "桐庐县", "西湖区", "西湖区", "桐庐县"])
