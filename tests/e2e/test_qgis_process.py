"""The packaged zip installed into a fresh profile and run headless with qgis_process, the way a script would."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaged import packaged_environment

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")

CSV = """项目编号,征迁日期,安置房开工日期,安置房竣工日期,户数,x,y
A,2020-02-29,2021/2/28,,10,530000,3340000
B,2024年3月1日,,,5,530100,3340000
C,20230101,20230601,2023.5.1,7,530200,3340000
"""


def run_packaged(tmp_path, algorithm: str, arguments: list[str], with_log: bool = False):
    """Install the newest packaged zip into a fresh zh-Hans profile and run `algorithm` with qgis_process; the
    results as qgis_process reports them (with `with_log`: and the run's log text)."""
    env = packaged_environment(tmp_path / "config", "zh-Hans")
    done = subprocess.run(["qgis_process.bin", "--json", "run", algorithm, "--", *arguments],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout[done.stdout.index("{"):])
    if with_log:
        return answer["results"], json.dumps(answer.get("log", ""), ensure_ascii=False) + done.stderr
    return answer["results"]


def test_qgis_process_runs_the_packaged_plugin(tmp_path):
    (tmp_path / "p.csv").write_text(CSV, encoding="utf-8")
    source = f"delimitedtext://file://{tmp_path / 'p.csv'}?xField=x&yField=y&crs=EPSG:4549"
    out = tmp_path / "out.gpkg"
    results = run_packaged(tmp_path, "landbureau:resettlementdeadlines",
                           [f"INPUT={source}", "AS_OF=2025-06-01", f"OUTPUT={out}"])
    summary = json.loads(results["SUMMARY"])
    assert summary["per_grade"]["red"] == 2 and summary["per_grade"]["grey"] == 1
    assert results["OVERDUE_HOUSEHOLDS"] == 10
    from qgis.core import QgsVectorLayer

    rows = {f["项目编号"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert rows["C"]["complete_status"] == "missing"
    assert "早于前一节点" in rows["C"]["reasons"]  # Chinese reasons under a zh-Hans profile


def wkt_csv(path, header: list[str], rows: list[list]) -> str:
    """A CSV with a WKT column, as a delimited-text source in EPSG:4549; every value is read as text."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return f"delimitedtext://file://{path}?type=csv&wktField=wkt&geomType=Polygon&crs=EPSG:4549&detectTypes=no"


def test_qgis_process_runs_the_upstairs_check(tmp_path):
    """Plans with text numbers, no freight-lift field and a duplicated id, against farmland: failed rules, exact
    overlap areas, Chinese reasons and the summary figures, read back from the written files."""
    import shapely

    squares = [shapely.box(530_000 + 400 * i, 3_340_000, 530_100 + 400 * i, 3_340_100) for i in range(4)]
    farmland = [shapely.Point(531_290, 3_340_010).buffer(30, quad_segs=16),
                shapely.Polygon([(530_810, 3_340_050), (530_850, 3_340_150), (530_780, 3_340_120)])]
    header = ["方案编号", "申报面积", "建筑面积", "建筑高度", "层数", "首层层高", "标准层层高", "首层荷载", "楼层荷载",
              "配套面积", "行政区", "用地性质", "wkt"]
    good = ["10000", "25000", "40", "6", "7", "5", "12", "8", "500", "萧山区", "100101"]
    plans = [["A", *good], ["B", "10000", "15,000", *good[2:]], ["C", *good], ["C", *good[:2], "１２０", *good[3:]]]
    for row, geometry in zip(plans, squares):
        row.append(geometry.wkt)
    source = wkt_csv(tmp_path / "plans.csv", header, plans)
    farm = wkt_csv(tmp_path / "farm.csv", ["名称", "wkt"], [[f"F{i}", g.wkt] for i, g in enumerate(farmland)])
    out, violations = tmp_path / "out.gpkg", tmp_path / "violations.gpkg"
    results = run_packaged(tmp_path, "landbureau:upstairscheck",
                           [f"INPUT={source}", f"FARMLAND={farm}", f"OUTPUT={out}", f"VIOLATIONS={violations}"])

    from qgis.core import NULL, QgsVectorLayer

    rows = [f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()]
    assert [f["方案编号"] for f in rows] == ["A", "B", "C", "C"]
    assert [f["failed_rules"] for f in rows] == ["", "far", "farmland", "height,farmland"]
    union = shapely.union_all(farmland)
    assert [f["farmland_m2"] for f in rows] == pytest.approx([g.intersection(union).area for g in squares], abs=0.1)
    assert all("lift_capacity" in f["unchecked_rules"].split(",") for f in rows)
    assert "货梯载重（图层无此字段）" in rows[0]["reasons"]  # Chinese under a zh-Hans profile
    assert "方案编号 C 重复" in rows[2]["reasons"]
    pieces = [f for f in QgsVectorLayer(str(violations), "v", "ogr").getFeatures()]
    assert sorted((f["plan_id"], f["rule_id"]) for f in pieces) == [("C", "farmland"), ("C", "farmland")]
    assert sum(f["area_m2"] for f in pieces) == pytest.approx(sum(g.intersection(union).area for g in squares[2:]),
                                                             abs=0.1)
    summary = json.loads(results["SUMMARY"])
    assert summary["figures"] == "4 宗, 60 亩, 9 万m²"
    # A failed nothing but its freight lift, red line and boundary were not checked: 未核查, never passed
    assert (results["PASSED"], results["FAILED"], summary["not_checked"]) == (0, 3, 1)
    assert rows[0]["passed"] in (None, NULL)


def test_qgis_process_grades_low_efficiency(tmp_path):
    """Two industrial parcels (0601: minimum FAR 1.0, target 2.5) with buildings: one exactly at the minimum, one
    far below; FAR, coverage and potential computed by hand."""
    square = "POLYGON(({x} 3340000, {X} 3340000, {X} 3340100, {x} 3340100, {x} 3340000))"
    parcels = wkt_csv(tmp_path / "parcels.csv", ["地块编号", "用地性质", "wkt"],
                      [["P1", "0601", square.format(x=530000, X=530100)],
                       ["P2", "0601", square.format(x=530200, X=530300)]])
    buildings = wkt_csv(tmp_path / "buildings.csv", ["层数", "wkt"],
                        [["2", "POLYGON((530000 3340000, 530050 3340000, 530050 3340100, 530000 3340100, "
                                "530000 3340000))"],   # 50 × 100 m, 2 storeys: FAR 1.0, coverage 50 %
                         ["1", "POLYGON((530200 3340000, 530220 3340000, 530220 3340020, 530200 3340020, "
                                "530200 3340000))"]])  # 20 × 20 m, 1 storey: FAR 0.04, coverage 4 %
    out = tmp_path / "out.gpkg"
    results = run_packaged(tmp_path, "landbureau:lowefficiency",
                           [f"PARCELS={parcels}", f"BUILDINGS={buildings}", f"OUTPUT={out}",
                            "LAND_USE_SYSTEM=gbt21010"])  # 0601 alone is also the 2023 guide's rural road
    assert "SUMMARY" in results
    land_use = json.loads(results["SUMMARY"])["land_use"]
    assert land_use["system"] == "gbt21010" and land_use["note"] == "用地分类：GB/T 21010-2017 土地利用现状分类（三调）"
    from qgis.core import QgsVectorLayer

    rows = {f["地块编号"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert rows["P1"]["far"] == pytest.approx(1.0) and rows["P2"]["far"] == pytest.approx(0.04)
    assert rows["P1"]["coverage"] == pytest.approx(0.5) and rows["P2"]["coverage"] == pytest.approx(0.04)
    assert (rows["P1"]["low_eff"], rows["P2"]["low_eff"]) == (0, 1)
    assert rows["P2"]["potential_m2"] == pytest.approx(10_000 * (2.5 - 0.04))


def test_qgis_process_help_and_values_of_land_use_system_agree(tmp_path):
    """The help names the values LAND_USE_SYSTEM takes; the number the help once offered as an example ("e.g. '1'")
    is taken (1 = gbt21010: 1001 is a railway, not industrial land); a value it does not name is refused with the
    valid ones listed."""
    env = packaged_environment(tmp_path / "config", "zh-Hans")
    shown = subprocess.run(["qgis_process.bin", "help", "landbureau:upstairscheck"], env=env, capture_output=True,
                           text=True, timeout=300).stdout
    entry = shown[shown.index("LAND_USE_SYSTEM:"):].split("\n\n")[0]
    entry = entry[:entry.index("OUTPUT:")] if "OUTPUT:" in entry else entry
    assert all(name in entry for name in ("auto", "gbt21010", "guide2023", "gb50137", "0, 1, 2, 3"))
    assert "e.g. '1'" not in entry
    square = "POLYGON((530000 3340000, 530100 3340000, 530100 3340100, 530000 3340100, 530000 3340000))"
    plans = wkt_csv(tmp_path / "plans.csv", ["方案编号", "用地性质", "wkt"], [["P", "1001", square]])
    out = tmp_path / "out.gpkg"
    run_packaged(tmp_path, "landbureau:upstairscheck", [f"INPUT={plans}", f"OUTPUT={out}", "LAND_USE_SYSTEM=1"])
    from qgis.core import QgsVectorLayer

    plan = next(QgsVectorLayer(str(out), "out", "ogr").getFeatures())
    assert plan["failed_rules"] == "industrial_land" and plan["passed"] == 0
    refused = subprocess.run(["qgis_process.bin", "run", "landbureau:upstairscheck", "--", f"INPUT={plans}",
                              f"OUTPUT={tmp_path / 'refused.gpkg'}", "LAND_USE_SYSTEM=7"], env=env,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "LAND_USE_SYSTEM '7'" in said and "auto, gbt21010, guide2023, gb50137" in said and "0, 1, 2, 3" in said


def test_qgis_process_prints_a_layout_and_exits_cleanly(tmp_path):
    """exportlayout writes its PDF and exits 0 with its JSON (QGIS 3.40/3.44 crashed at exit, issue 13): the
    resettlement result of the first test printed, its title and overdue projects read back from the PDF."""
    (tmp_path / "p.csv").write_text(CSV, encoding="utf-8")
    source = f"delimitedtext://file://{tmp_path / 'p.csv'}?xField=x&yField=y&crs=EPSG:4549"
    result = tmp_path / "result.gpkg"
    run_packaged(tmp_path, "landbureau:resettlementdeadlines",
                 [f"INPUT={source}", "AS_OF=2025-06-01", f"OUTPUT={result}"])
    pdf = tmp_path / "map.pdf"
    results = run_packaged(tmp_path, "landbureau:exportlayout",
                           ["THEME=0", f"LAYERS={result}", "AS_OF=2025-06-01", f"OUTPUT={pdf}"])
    assert results["PAGES"] == 1 and results["FILES"] == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
        assert "征迁安置“+1+4+5”监管预警图" in text and "截至2025年6月1日" in text


def test_qgis_process_runs_the_living_circle(tmp_path):
    """Homes (households as text), facilities by Chinese type names and a road network in degrees (EPSG:4490)
    through the packaged plugin: network metres, coverage at the 300 m walk, Chinese reasons, the district table."""
    import csv

    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsVectorLayer

    to_degrees = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())

    def degrees(x, y):
        point = to_degrees.transform(QgsPointXY(530_000 + x, 3_340_000 + y))
        return f"{point.x():.10f} {point.y():.10f}"

    def write(name, header, rows):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return tmp_path / name

    homes = write("homes.csv", ["名称", "户数", "行政区", "x", "y"],
                  [["A", "100", "西湖区", 530_290, 3_340_010], ["B", "50", "西湖区", 530_300, 3_340_010]])
    places = write("places.csv", ["名称", "设施类型", "x", "y"], [["幼1", "幼儿园", 530_000, 3_340_000]])
    roads = write("roads.csv", ["道路等级", "wkt"], [["支路", f"LINESTRING ({degrees(0, 0)}, {degrees(1000, 0)})"]])
    points = "?type=csv&xField=x&yField=y&crs=EPSG:4549&detectTypes=no"
    out = tmp_path / "生活圈.gpkg"
    results = run_packaged(tmp_path, "landbureau:livingcircle", [
        f"RESIDENTIAL=delimitedtext://file://{homes}{points}", f"FACILITIES=delimitedtext://file://{places}{points}",
        f"ROADS=delimitedtext://file://{roads}?type=csv&wktField=wkt&geomType=Line&crs=EPSG:4490&detectTypes=no",
        f"OUTPUT={out}", f"DISTRICTS={tmp_path / 'districts.gpkg'}"])
    rows = {f["名称"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert abs(rows["A"]["dist_kindergarten"] - 300.0) < 0.05  # 290 along + 10 access, measured in metres
    assert rows["A"]["covered_kindergarten"] == 1 and rows["B"]["covered_kindergarten"] == 0
    assert "超出5min步行距离 300 m" in rows["B"]["reasons"]  # Chinese reasons under a zh-Hans profile
    districts = {f["district"]: f for f in QgsVectorLayer(str(tmp_path / "districts.gpkg"), "d", "ogr").getFeatures()}
    assert abs(districts["西湖区"]["share_kindergarten"] - 100 * 100 / 150) < 1e-6
    assert abs(json.loads(results["SUMMARY"])["city"]["shares"]["kindergarten"] - 100 / 150) < 1e-9
