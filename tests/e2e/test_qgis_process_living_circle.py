"""landbureau:livingcircle through qgis_process with the packaged plugin, on a city sample shaped like real data:
an OSM export of roads in WGS 84 degrees (GeoJSON: highway = residential / tertiary / service / footway / primary /
motorway, oneway=yes, a flyover with bridge=yes and layer=1 crossing a street without a junction, a side street that
ends on another street where that has no vertex), facilities with Chinese names and types, homes as CSV in degrees.
Every expected distance is worked out by hand on the local grid below (metres east / north of 530,000 /
3,340,000 in EPSG:4549, the zone the plugin measures these degrees in).

    y=300   (0)───────文三路 (oneway, drawn east→west)──K1──────(600)
             │                                 ║flyover       │教工路 (service, oneway)
    y=0     (0)──────文一路──────────────H1──────╫──(450)──(600)─────M──────(900 motorway)───(1200)
             │学院路                            ║        │side                                    │footway
    y=-300  (0)───────文二路────────────────────╨──────(600)                                     (1200,300)
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaged import packaged_environment

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).parent))

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="needs qgis_process (QGIS)")

X0, Y0 = 530_000.0, 3_340_000.0


def degrees(points):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                       QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    out = []
    for x, y in points:
        p = transform.transform(QgsPointXY(X0 + x, Y0 + y))
        out.append([round(p.x(), 11), round(p.y(), 11)])
    return out


ROADS = [  # (properties, local coordinates)
    ({"highway": "residential", "name": "文一路"}, [(0, 0), (1200, 0)]),
    ({"highway": "residential", "name": "文二路"}, [(0, -300), (600, -300)]),
    ({"highway": "residential", "name": "文三路", "oneway": "yes"}, [(600, 300), (0, 300)]),
    ({"highway": "tertiary", "name": "学院路"}, [(0, -300), (0, 300)]),
    ({"highway": "service", "name": "教工路", "oneway": "yes"}, [(600, 300), (600, -300)]),
    ({"highway": "primary", "name": "高架桥", "bridge": "yes", "layer": "1"}, [(300, -300), (300, 300)]),
    ({"highway": "service", "name": "支弄"}, [(450, -150), (450, 0)]),  # ends on 文一路, no vertex there
    ({"highway": "footway", "name": "步行道"}, [(1200, 0), (1200, 300)]),
    ({"highway": "motorway", "name": "绕城高速"}, [(900, -500), (900, 500)]),  # not walked
]
FACILITIES = [  # (名称, 设施类型, local point)
    ("文三幼儿园", "幼儿园", (300, 300)),
    ("文一菜市场", "菜市场", (1000, 0)),
    ("学院路小学", "小学", (0, -280)),
    ("某洗浴中心", "洗浴中心", (100, 0)),  # a type the profile does not know: named in the log, left out
]
HOMES = [  # (小区名称, 户数, 行政区, local point, kindergarten m, market m, primary school m)
    ("桥边小区", 100, "西湖区", (320, -8), 888.0, 688.0, 608.0),  # the flyover is no shortcut
    ("步行道小区", 80, "西湖区", (1200, 250), 1450.0, 450.0, 1730.0),
    ("支弄小区", 60, "西湖区", (450, -150), 900.0, 700.0, 880.0),
    ("高速边小区", 50, "拱墅区", (905, 50), 955.0, 145.0, 1235.0),  # 5 m from the motorway, 50 m from 文一路
    ("学院路小区", 40, "拱墅区", (100, 150), 550.0, 1250.0, 530.0),  # walks 文三路 against its one-way
]
FAR_HOME = ("山里村", 30, "拱墅区", (600, 3000))  # 2,700 m from every road: 未接入路网


def write_geojson(path, features) -> None:
    """A GeoJSON file of (properties, geometry) pairs, Chinese kept as it is."""
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties, "geometry": geometry} for properties, geometry in features]}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def point_in_degrees(point) -> dict:
    return {"type": "Point", "coordinates": degrees([point])[0]}


def write_roads_and_places(folder) -> None:
    """roads.geojson and places.geojson of the city sample, in degrees as an OSM export has them."""
    write_geojson(folder / "roads.geojson", [(props, {"type": "LineString", "coordinates": degrees(line)})
                                             for props, line in ROADS])
    write_geojson(folder / "places.geojson", [({"名称": name, "设施类型": kind}, point_in_degrees(point))
                                              for name, kind, point in FACILITIES])


def test_city_sample_through_qgis_process(tmp_path):
    import csv

    from qgis.core import QgsVectorLayer
    from test_qgis_process import run_packaged

    write_roads_and_places(tmp_path)
    with open(tmp_path / "homes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["小区名称", "户数", "行政区", "lon", "lat"])
        for name, households, district, point, *_ in [*HOMES, (*FAR_HOME,)]:
            writer.writerow([name, households, district, *degrees([point])[0]])
    out = tmp_path / "生活圈.gpkg"
    homes = f"delimitedtext://file://{tmp_path / 'homes.csv'}?type=csv&xField=lon&yField=lat&crs=EPSG:4326"
    results = run_packaged(tmp_path, "landbureau:livingcircle", [
        f"RESIDENTIAL={homes}", f"FACILITIES={tmp_path / 'places.geojson'}",
        f"ROADS={tmp_path / 'roads.geojson'}", f"OUTPUT={out}", f"GAPS={tmp_path / 'gaps.gpkg'}",
        f"DISTRICTS={tmp_path / 'districts.gpkg'}"])
    rows = {f["小区名称"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    for name, _, _, _, kindergarten, market, school in HOMES:
        row = rows[name]
        for kind, expected in (("kindergarten", kindergarten), ("market", market), ("primary_school", school)):
            assert abs(row[f"dist_{kind}"] - expected) < 0.01, (name, kind, row[f"dist_{kind}"], expected)
    assert rows["步行道小区"]["covered_market"] == 1  # 450 m ≤ 500 m (10 minutes)
    assert rows["学院路小区"]["covered_kindergarten"] == 0 and "超出5min步行距离 300 m" in rows["学院路小区"]["reasons"]
    far = rows["山里村"]
    assert far["covered_market"] == 0 and "未接入路网" in far["reasons"] and "2,700.0 m" in far["reasons"]
    summary = json.loads(results["SUMMARY"])
    people = {name: households * 2.62 for name, households, *_ in [*HOMES, FAR_HOME]}
    covered = people["步行道小区"] + people["高速边小区"]  # the market within 500 m
    assert abs(summary["city"]["shares"]["market"] - covered / sum(people.values())) < 1e-9
    assert summary["facilities"]["kindergarten"] == 1


def test_city_sample_log_names_what_it_did(tmp_path):
    """The log, as qgis_process prints it: the motorway not walked, the flyover kept apart, the unknown type and
    the home without road access named."""
    write_roads_and_places(tmp_path)
    write_geojson(tmp_path / "homes.geojson", [({"小区名称": name, "户数": households}, point_in_degrees(point))
                                               for name, households, _, point, *_ in [*HOMES, FAR_HOME]])
    env = packaged_environment(tmp_path / "config", "zh-Hans")
    done = subprocess.run(["qgis_process.bin", "run", "landbureau:livingcircle", "--",
                           f"RESIDENTIAL={tmp_path / 'homes.geojson'}", f"FACILITIES={tmp_path / 'places.geojson'}",
                           f"ROADS={tmp_path / 'roads.geojson'}", f"OUTPUT={tmp_path / 'out.gpkg'}"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    log = done.stdout + done.stderr
    assert "1 条道路等级为 motorway 的道路不计入步行路网" in log  # the class not walked, named
    assert "类型代码 洗浴中心 不属于配置中的任何设施类型" in log and "要素号 3" in log  # the unknown type, named
    assert "1 条可步行道路位于地面以上或以下" in log  # the flyover kept apart from the street it crosses
    assert '"road_level": "layer"' in log and '"road_bridge": "bridge"' in log  # OSM fields recognised
    assert "1 个居住单元距任何可步行道路超过 200 m" in log and "要素号 5" in log  # 山里村 (GeoJSON ids from 0)
