"""landbureau:livingcircle through Processing: distances on a hand-measured network, the same answer from layers in
CGCS2000 geographic coordinates (measured in metres, never degrees), gaps and district shares, straight lines
without roads, and bad input refused or reported with the layer, feature id and field named — never a traceback."""
import json
import math
import re

import processing
import pytest
from log_feedback import Recorder
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
)

from land_bureau_plugin.analysis.living_circle_rules import LivingCircleRules
from land_bureau_plugin.rules.profile import load_profile, section

X0, Y0 = 530000.0, 3340000.0  # Xiaoshan in EPSG:4549 (CGCS2000 / 3-degree GK CM 120E)

HOME_FIELDS = [("名称", "string"), ("户数", "integer"), ("行政区", "string")]
PLACE_FIELDS = [("名称", "string"), ("设施类型", "string")]
ROAD_FIELDS = [("道路等级", "string")]


def pt(x, y):
    return f"POINT ({X0 + x} {Y0 + y})"


def line(*xy):
    return "LINESTRING (" + ", ".join(f"{X0 + x} {Y0 + y}" for x, y in xy) + ")"


@pytest.fixture()
def layers(make_layer):
    """A street y=0 from x=0 to 2000, a side street x=1000 up to y=400, an expressway shortcut (excluded), and a
    detached street far away. Kindergarten at (0, 0), primary school at (1000, 400) (20 m off the side street)."""
    homes = make_layer("Point", HOME_FIELDS, [
        {"名称": "A", "户数": 100, "行政区": "西湖区", "wkt": pt(290, 10)},  # 290 + 10 = 300: covered (5 min)
        {"名称": "B", "户数": 50, "行政区": "西湖区", "wkt": pt(300, 10)},  # 310: not covered
        {"名称": "C", "户数": 10, "行政区": "上城区", "wkt": pt(1000, 30)},  # side street: 370 + 20 access = 390
        {"名称": "D", "户数": 40, "行政区": "上城区", "wkt": pt(5000, 5)},  # on the detached street: unreachable
        {"名称": "E", "户数": None, "行政区": "上城区", "wkt": None},  # no geometry
    ], "居住小区")
    places = make_layer("Point", PLACE_FIELDS, [
        {"名称": "幼1", "设施类型": "幼儿园", "wkt": pt(0, 0)},
        {"名称": "小1", "设施类型": "小学", "wkt": pt(1020, 400)},
        {"名称": "洗", "设施类型": "洗浴中心", "wkt": pt(500, 0)},  # unknown code: reported, left out
        {"名称": "空", "设施类型": None, "wkt": pt(600, 0)},  # no type: reported
    ], "公共服务设施")
    roads = make_layer("LineString", ROAD_FIELDS, [
        {"道路等级": "支路", "wkt": line((0, 0), (2000, 0))},
        {"道路等级": "支路", "wkt": line((1000, 0), (1000, 400))},
        {"道路等级": "快速路", "wkt": line((0, 0), (1000, 30))},  # excluded: would make C's school walk shorter
        {"道路等级": "支路", "wkt": line((4900, 0), (5100, 0))},
        {"道路等级": "支路", "wkt": None},  # no geometry: named
    ], "道路中心线")
    return homes, places, roads


def run(homes, places, roads=None, feedback=None, **extra):
    params = {"RESIDENTIAL": homes, "FACILITIES": places, "OUTPUT": "memory:", "GAPS": "memory:",
              "DISTRICTS": "memory:", **extra}
    if roads is not None:
        params["ROADS"] = roads
    return processing.run("landbureau:livingcircle", params, feedback=feedback or Recorder())


def by_name(layer):
    return {f["名称"]: f for f in layer.getFeatures()}


def test_network_distances_coverage_and_reasons(plugin, layers):
    feedback = Recorder()
    result = run(*layers, feedback=feedback)
    out = by_name(result["OUTPUT"])
    assert out["A"]["dist_kindergarten"] == pytest.approx(300.0, abs=0.01)
    assert out["A"]["covered_kindergarten"] == 1
    assert out["B"]["dist_kindergarten"] == pytest.approx(310.0, abs=0.01)
    assert out["B"]["covered_kindergarten"] == 0
    assert "beyond the 5min walk of 300 m" in out["B"]["reasons"]
    assert out["C"]["dist_primary_school"] == pytest.approx(390.0, abs=0.01)
    assert out["C"]["covered_primary_school"] == 1
    assert not isinstance(out["D"]["dist_kindergarten"], float)  # NULL: unknown, never a made-up number
    assert out["D"]["covered_kindergarten"] == 0
    assert "none reachable on the road network" in out["D"]["reasons"]
    assert out["A"]["population"] == pytest.approx(262.0)  # 100 households × 2.62
    assert out["A"]["types_covered"] == 1 and out["A"]["basic_covered"] == 0
    text = feedback.text
    assert "洗浴中心" in text and "设施类型" in text and "公共服务设施" in text  # unknown code: layer, field, code
    assert "feature id(s) 3" in text  # the unknown code's feature
    assert "道路中心线" in text and "快速路" in text  # excluded class said
    assert "2 connected part(s)" in text
    assert "GB 50180-2018" in text


def test_gaps_and_population_weighted_district_shares(plugin, layers):
    result = run(*layers)
    gaps = [(f["type"], f["unit"]) for f in result["GAPS"].getFeatures()]
    assert ("kindergarten", 2) in gaps and ("kindergarten", 1) not in gaps
    rows = {f["district"]: f for f in result["DISTRICTS"].getFeatures()}
    # 西湖区: A (262 residents) covered, B (131) not → 262 / 393
    assert rows["西湖区"]["share_kindergarten"] == pytest.approx(100 * 262 / 393)
    # 上城区: C (26.2) covered by the school, D (104.8) not, E without population or geometry left out
    assert rows["上城区"]["share_primary_school"] == pytest.approx(100 * 26.2 / 131.0)
    assert rows["上城区"]["population_unknown"] == 1
    assert rows["全市"]["units"] == 5
    summary = json.loads(result["SUMMARY"])
    assert summary["city"]["shares"]["kindergarten"] == pytest.approx(262 / (262 + 131 + 26.2 + 104.8))


def test_the_printed_share_names_the_units_whose_population_is_unknown(plugin, layers):
    """The subtitle's 基本设施全覆盖人口 is a share of the known population: E (no households) is left out and said
    so, in the words of the printed figures; with every population known the note is the plain share."""
    from land_bureau_plugin.processing.living_circle import print_note

    summary = json.loads(run(*layers)["SUMMARY"])
    assert "基本设施全覆盖人口0.0%（1个单元人口不明未计）" in summary["print_note"]  # nobody has all basic types
    rules = section(load_profile(), "living_circle", LivingCircleRules)
    summary["city"]["population_unknown"] = 0
    assert print_note(summary, rules).endswith("基本设施全覆盖人口0.0%")
    summary["city"]["population_unknown"] = 3
    assert print_note(summary, rules).endswith("基本设施全覆盖人口0.0%（3个单元人口不明未计）")


def test_geographic_layers_are_measured_in_metres(plugin, layers, make_layer):
    """The same layers in EPSG:4490 (degrees) give the same distances to 0.01 m: reprojected, never degrees."""
    to_geo = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                    QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())

    def geographic(layer, kind, fields):
        rows = []
        for f in layer.getFeatures():
            row = {name: f[name] for name, _ in fields}
            if f.hasGeometry():
                geometry = QgsGeometry(f.geometry())
                geometry.transform(to_geo)
                row["wkt"] = geometry.asWkt(12)
            rows.append(row)
        return make_layer(kind, fields, rows, layer.name(), crs="EPSG:4490")

    homes, places, roads = layers
    planar = by_name(run(homes, places, roads)["OUTPUT"])
    feedback = Recorder()
    degrees = by_name(run(geographic(homes, "Point", HOME_FIELDS), geographic(places, "Point", PLACE_FIELDS),
                          geographic(roads, "LineString", ROAD_FIELDS), feedback=feedback)["OUTPUT"])
    for name in "ABC":
        for field in ("dist_kindergarten", "dist_primary_school"):
            assert degrees[name][field] == pytest.approx(planar[name][field], abs=0.01), (name, field)
    assert "EPSG:4549" in feedback.text  # reprojected to the zone, said in the log


def test_without_roads_straight_lines_times_detour_factor(plugin, layers):
    homes, places, _ = layers
    feedback = Recorder()
    out = by_name(run(homes, places, feedback=feedback)["OUTPUT"])
    assert out["B"]["dist_kindergarten"] == pytest.approx(math.hypot(300, 10) * 1.3, abs=0.01)
    assert "straight lines × 1.3" in feedback.text


def test_facilities_without_a_type_field_are_refused(plugin, layers, make_layer):
    homes, _, roads = layers
    places = make_layer("Point", [("名称", "string")], [{"名称": "x", "wkt": pt(0, 0)}], "设施点")
    with pytest.raises(QgsProcessingException) as error:
        run(homes, places, roads)
    assert "设施点" in str(error.value) and "facility_type" in str(error.value)
    assert "Traceback" not in str(error.value)


def test_no_known_type_code_is_refused_naming_layer_and_field(plugin, layers, make_layer):
    homes, _, roads = layers
    places = make_layer("Point", PLACE_FIELDS, [{"名称": "x", "设施类型": "洗浴中心", "wkt": pt(0, 0)}], "设施点")
    with pytest.raises(QgsProcessingException) as error:
        run(homes, places, roads)
    message = str(error.value)
    assert "设施点" in message and "设施类型" in message and "洗浴中心" in message


def test_roads_without_a_usable_line_are_refused(plugin, layers, make_layer):
    homes, places, _ = layers
    roads = make_layer("LineString", ROAD_FIELDS, [{"道路等级": "支路", "wkt": None},
                                                   {"道路等级": "快速路", "wkt": line((0, 0), (100, 0))}], "空路网")
    with pytest.raises(QgsProcessingException) as error:
        run(homes, places, roads)
    assert "空路网" in str(error.value) and "Traceback" not in str(error.value)
    feedback = Recorder()
    with pytest.raises(QgsProcessingException):
        run(homes, places, roads, feedback=feedback)
    assert "feature id(s) 1" in feedback.text  # the line without geometry named


def test_a_point_layer_as_roads_is_refused(plugin, layers):
    homes, places, _ = layers
    with pytest.raises(QgsProcessingException) as error:
        run(homes, places, places)
    assert "公共服务设施" in str(error.value) and "Unexpected" not in str(error.value)


def test_residential_units_without_population_or_households_are_refused(plugin, layers, make_layer):
    _, places, roads = layers
    homes = make_layer("Point", [("名称", "string")], [{"名称": "A", "wkt": pt(0, 0)}], "小区点")
    with pytest.raises(QgsProcessingException) as error:
        run(homes, places, roads)
    assert "小区点" in str(error.value) and "households" in str(error.value)


def test_polygon_units_stand_at_their_point_on_surface_and_gaps_are_polygons(plugin, layers, make_layer):
    _, places, roads = layers
    block = f"POLYGON (({X0 + 280} {Y0 + 5}, {X0 + 300} {Y0 + 5}, {X0 + 300} {Y0 + 25}, {X0 + 280} {Y0 + 25}, " \
            f"{X0 + 280} {Y0 + 5}))"
    homes = make_layer("Polygon", HOME_FIELDS, [{"名称": "P", "户数": 10, "行政区": "西湖区", "wkt": block}], "小区面")
    result = run(homes, places, roads)
    row = next(result["OUTPUT"].getFeatures())
    assert row["dist_kindergarten"] == pytest.approx(290 + 15, abs=0.01)  # point on surface (290, 15)
    gaps = list(result["GAPS"].getFeatures())
    assert gaps and all(g.geometry().type() == QgsGeometry.fromWkt(block).type() for g in gaps)


def test_panel_runs_shows_the_chart_and_the_district_table_and_exports(plugin, layers, wait_until_idle, tmp_path,
                                                                      monkeypatch):
    from qgis.PyQt.QtWidgets import QFileDialog

    from land_bureau_plugin.gui.living_circle_dock import LivingCircleDock

    homes, places, roads = layers
    QgsProject.instance().addMapLayers([homes, places, roads])
    dock = next(d for d in plugin.docks if isinstance(d, LivingCircleDock))
    try:
        dock.homes_combo.setLayer(homes)
        dock.places_combo.setLayer(places)
        dock.roads_combo.setLayer(roads)
        dock.run()
        wait_until_idle(dock)
        assert "幼儿园" in dock.summary.text() and "50.0%" in dock.summary.text()  # 262 of 524 residents
        assert dock.model.rowCount() == 3  # 上城区, 西湖区, 全市
        first = dock.result_layer_id
        result = QgsProject.instance().mapLayer(first)
        assert result is not None and QgsProject.instance().mapLayer(dock.gaps_layer_id) is not None
        target = tmp_path / "生活圈.xlsx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        dock.export()
        from openpyxl import load_workbook

        sheet = load_workbook(target).active
        headers = [c.value for c in sheet[1]]
        assert "幼儿园 (%)" in headers or any("幼儿园" in str(h) for h in headers)
        dock.run()
        wait_until_idle(dock)
        assert QgsProject.instance().mapLayer(first) is None  # re-running replaces the result layer
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_panel_prints_the_coverage_map_with_walks_gaps_and_sources(plugin, layers, wait_until_idle, tmp_path,
                                                                   monkeypatch):
    import shutil
    import subprocess

    from qgis.PyQt.QtWidgets import QFileDialog
    from test_print_button import answer

    from land_bureau_plugin.gui.living_circle_dock import LivingCircleDock

    homes, places, roads = layers
    QgsProject.instance().addMapLayers([homes, places, roads])
    dock = next(d for d in plugin.docks if isinstance(d, LivingCircleDock))
    try:
        dock.homes_combo.setLayer(homes)
        dock.places_combo.setLayer(places)
        dock.roads_combo.setLayer(roads)
        dock.run()
        wait_until_idle(dock)
        answer(monkeypatch, "export")
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "生活圈.pdf"), ""))
        dock.print_button.click()
        pdf = tmp_path / "生活圈.pdf"
        assert pdf.stat().st_size > 10000
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            compact = "".join(text.split())
            assert "15分钟生活圈覆盖评估图" in compact
            assert "步行距离5分钟300m" in compact  # the subtitle's note: the walks of the run
            assert "GB50180-2018" in compact  # 依据 under the table
            assert "有缺项" in compact  # the legend's class of the units with gaps
            assert "各类设施步行覆盖率" in compact and "基本设施全覆盖" in compact  # the indicator per type
            assert "公共服务设施" in compact and "道路" in compact  # its inputs as context in the legend
            assert "初中、社区卫生服务中心" in compact  # 缺项: the types, not a sentence
            assert "未覆盖单元" in compact and "Living circle gaps" not in compact  # the gaps under a Chinese name
    finally:
        QgsProject.instance().removeAllMapLayers()
        QgsProject.instance().layoutManager().clear()


def test_shapefile_output_keeps_documented_names_and_gets_them_back(plugin, layers, tmp_path):
    from qgis.core import QgsVectorLayer

    from land_bureau_plugin.qgis_bridge.shapefile_names import restore_result_names

    result = run(*layers, OUTPUT=str(tmp_path / "生活圈.shp"))
    layer = QgsVectorLayer(result["OUTPUT"], "生活圈", "ogr")
    names = [f.name() for f in layer.fields()]
    assert {"dist_kg", "cov_kg", "dist_ps", "types_cov", "basic_cov"} <= set(names)
    restore_result_names(layer)
    rows = {f["名称"]: f for f in layer.getFeatures()}
    assert rows["A"]["dist_kindergarten"] == pytest.approx(300.0, abs=0.01)
    assert rows["B"]["covered_kindergarten"] == 0 and rows["A"]["basic_covered"] == 0


def test_units_and_facilities_beyond_the_access_limit_are_named(plugin, layers, make_layer):
    """A home 3 km from the nearest walkable road (and a kindergarten beside it) has no road access: not covered,
    its reason says why with the distance, the log names it by feature id; the facility is left out, named."""
    homes, _, roads = layers
    far = make_layer("Point", HOME_FIELDS, [
        {"名称": "远", "户数": 10, "行政区": "西湖区", "wkt": pt(500, -3000)},
        {"名称": "近", "户数": 10, "行政区": "西湖区", "wkt": pt(500, -199.99)},
    ], "居住小区")
    places = make_layer("Point", PLACE_FIELDS, [
        {"名称": "幼远", "设施类型": "幼儿园", "wkt": pt(500, -3010)},
        {"名称": "幼近", "设施类型": "幼儿园", "wkt": pt(600, 0)},
    ], "公共服务设施")
    feedback = Recorder()
    out = by_name(run(far, places, roads, feedback=feedback)["OUTPUT"])
    assert out["远"]["covered_kindergarten"] == 0
    assert not isinstance(out["远"]["dist_kindergarten"], float)
    assert "no road access: the nearest walkable road is 3,000.0 m away, beyond the maximum access distance of " \
           "200 m" in out["远"]["reasons"]
    assert out["近"]["dist_kindergarten"] == pytest.approx(299.99, abs=0.01)
    assert out["近"]["covered_kindergarten"] == 1
    text = feedback.text
    assert "居住小区: 1 residential unit(s) farther than 200 m" in text and "feature id(s) 1" in text
    assert "公共服务设施: facilities farther than 200 m" in text


def test_a_park_polygon_is_reached_at_its_edge(plugin, layers, make_layer):
    """A 600 m long sports ground beside the street (20 m off it): a home at its far end walks 20 m, not to the
    street point nearest the ground's point on surface."""
    _, _, roads = layers
    ground = make_layer("Polygon", PLACE_FIELDS, [
        {"名称": "体育场", "设施类型": "体育场",
         "wkt": f"POLYGON (({X0 + 100} {Y0 + 20}, {X0 + 700} {Y0 + 20}, {X0 + 700} {Y0 + 200}, "
                f"{X0 + 100} {Y0 + 200}, {X0 + 100} {Y0 + 20}))"}], "公共服务设施")
    homes = make_layer("Point", HOME_FIELDS, [{"名称": "H", "户数": 10, "行政区": "西湖区", "wkt": pt(690, 0)}],
                       "居住小区")
    out = by_name(run(homes, ground, roads)["OUTPUT"])
    assert out["H"]["dist_sports_large"] == pytest.approx(20.0, abs=0.01)


@pytest.mark.parametrize("template", ["a3_landscape", "a4_portrait"])
def test_printed_coverage_per_type_whole_on_a3_and_a4(plugin, layers, tmp_path, template):
    """The run's coverage per type (SUMMARY print_rows) prints whole, with every basic type together: under the
    list of units on A3; on A4, where both do not fit, in the list's place, the note saying the list is left out."""
    import shutil
    import subprocess

    result = run(*layers)
    pdf = tmp_path / f"{template}.pdf"
    processing.run("landbureau:exportlayout", {
        "THEME": 5, "LAYERS": [result["OUTPUT"], *layers[1:]], "TEMPLATE": template, "AS_OF": "2026-11-27",
        "SUMMARY": result["SUMMARY"], "OUTPUT": str(pdf)})
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext")
    compact = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "各类设施步行覆盖率（全市，按人口加权）" in compact
    assert "显示前" not in compact.split("各类设施步行覆盖率")[1].split("依据")[0]  # not cut
    for label in ("初中", "社区卫生服务中心", "小型多功能运动场地", "基本设施全覆盖"):
        assert label in compact


@pytest.mark.parametrize("share, filled, rest", [(0.0, 0, 160), (0.5, 80, 80), (0.503, 80, 80), (0.997, 160, 0),
                                                 (1.0, 160, 0)])
def test_chart_bar_is_two_coloured_cells_as_wide_as_the_share(share, filled, rest):
    from land_bureau_plugin.gui.living_circle_dock import BAR_FILL, BAR_REST, bar

    html = bar(share)
    widths = {colour: int(width) for width, colour in
              re.findall(r"<td width='(\d+)' bgcolor='(#[0-9a-f]+)'>", html)}
    assert widths.get(BAR_FILL, 0) == filled and widths.get(BAR_REST, 0) == rest
    assert "█" not in html and "░" not in html


def test_chart_shows_unknown_share_as_a_dash():
    from land_bureau_plugin.gui.living_circle_dock import bar, chart_html

    assert bar(None) == "-"
    html = chart_html({"labels": {"kindergarten": "幼儿园"}, "city": {"shares": {"kindergarten": None, "all": 0.25}}})
    assert "<td align='right'>-</td>" in html and "25.0%" in html


@pytest.mark.parametrize("spelling", ["ogr", "layername"])
def test_the_district_table_goes_into_a_geopackage_without_a_gdal_error(plugin, layers, tmp_path, spelling):
    """The table without geometry named the Processing dialog's way (…table="区县" (geom)) or QGIS's way
    (path|layername=区县) is written without a geometry column: GDAL said "ERROR 1: No geometry column" for it."""
    import sqlite3

    from osgeo import gdal

    path = tmp_path / "成果.gpkg"
    table = f"ogr:dbname='{path}' table=\"区县\" (geom)" if spelling == "ogr" else f"{path}|layername=区县"
    errors = []
    gdal.PushErrorHandler(lambda _kind, _number, message: errors.append(message))
    try:
        run(*layers, OUTPUT=f"ogr:dbname='{path}' table=\"单元\" (geom)", DISTRICTS=table)
    finally:
        gdal.PopErrorHandler()
    assert not [message for message in errors if "geometry column" in message]
    with sqlite3.connect(path) as db:
        kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
        rows = db.execute('SELECT count(*) FROM "区县"').fetchone()[0]
    assert kinds == {"单元": "features", "区县": "attributes"} and rows == 3  # 西湖区, 上城区, 全市
