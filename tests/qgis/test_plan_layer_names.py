"""An upstairs plan layer as a district sends it, run with an empty field map: the land area in 亩 under
用地面积（亩） is the declared area (the plans' land area; it was never read, and the applicant column 申报单位 —
company names — was taken for it instead, so every plan was a data error and none was judged), units in the other
names (首层楼面荷载（kN/m²）, 二层及以上层高（m）, 配套用房建筑面积（m²）) read as what they say."""
import processing
import pytest
import shapely
from log_feedback import Recorder
from qgis.core import NULL, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject
from upstairs_data import profile_checking_only, without_layer_rules

from land_bureau_plugin.analysis.units import M2_PER_MU

X0, Y0 = 527000.0, 3338000.0
FIELDS = [("方案编号", "string"), ("项目名称", "string"), ("申报单位", "string"), ("所属街道", "string"),
          ("用地面积（亩）", "double"), ("总建筑面积（m²）", "double"), ("容积率", "string"),
          ("建筑高度（m）", "string"), ("建筑层数", "string"), ("首层层高（m）", "string"),
          ("二层及以上层高（m）", "string"), ("首层楼面荷载（kN/m²）", "string"),
          ("二层及以上楼面荷载（kN/m²）", "string"), ("货梯载重（t）", "string"), ("配套用房建筑面积（m²）", "string")]
# declared area off the drawn one by: at the 1 % limit, just below, just above, far above
OFF = {"GY-01": 0.0, "GY-02": 0.0099, "GY-03": 0.0101, "GY-04": 0.10, "GY-05": -0.0101}


def plans(make_layer):
    """100 m × 80 m plans (8,000 m² on the ground: 12 亩) drawn in EPSG:4490, each passing every attribute rule."""
    to_degrees = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())
    rows = []
    for i, (pid, off) in enumerate(OFF.items()):
        box = shapely.box(X0 + 150 * i, Y0, X0 + 150 * i + 100, Y0 + 80)
        geometry = QgsGeometry.fromWkt(box.wkt)
        geometry.transform(to_degrees)
        rows.append({"wkt": geometry.asWkt(12), "方案编号": pid, "项目名称": f"{pid}智造园",
                     "申报单位": "杭州恒达机械有限公司", "所属街道": "宁围街道",
                     "用地面积（亩）": box.area / M2_PER_MU * (1 + off), "总建筑面积（m²）": box.area * 2.6,
                     "容积率": "2.6", "建筑高度（m）": "36", "建筑层数": "6", "首层层高（m）": "7.2",
                     "二层及以上层高（m）": "4.8", "首层楼面荷载（kN/m²）": "12", "二层及以上楼面荷载（kN/m²）": "8",
                     "货梯载重（t）": "3", "配套用房建筑面积（m²）": str(box.area * 2.6 * 0.1)})
    return make_layer("Polygon", FIELDS, rows, "工业上楼方案", crs="EPSG:4490")


def test_a_district_plan_layer_is_read_right_with_an_empty_field_map(plugin, make_layer, tmp_path):
    feedback = Recorder()
    # the rules this layer can feed (no support land area, no land use, no constraint layer): a plan passes only
    # when every enabled rule was checked
    rules = [r for r in without_layer_rules() if r not in ("support_land_share", "industrial_land")]
    result = processing.run("landbureau:upstairscheck", {"INPUT": plans(make_layer), "OUTPUT": "memory:", "PROFILE":
                                                         profile_checking_only(tmp_path / "p.json", rules)},
                            feedback=feedback)
    assert '"declared_area": "用地面积（亩）"' in feedback.text and "申报单位\"" not in feedback.text
    for canonical, field in (("ground_floor_load", "首层楼面荷载（kN/m²）"),
                             ("upper_floor_height", "二层及以上层高（m）"),
                             ("support_area", "配套用房建筑面积（m²）"),
                             ("upper_floor_load", "二层及以上楼面荷载（kN/m²）")):
        assert f'"{canonical}": "{field}"' in feedback.text
    rows = {f["方案编号"]: f for f in result["OUTPUT"].getFeatures()}
    for pid, off in OFF.items():
        assert rows[pid]["area_diff_pct"] == pytest.approx(off * 100, abs=1e-4), pid
        expected = 1 if abs(off) <= 0.01 else 0
        assert rows[pid]["passed"] == expected, (pid, rows[pid]["reasons"])
        assert rows[pid]["failed_rules"] == ("" if expected else "area_match"), pid
    assert (result["PASSED"], result["FAILED"]) == (2, 3)


def test_the_area_unit_field_of_each_plan_is_applied(plugin, make_layer, tmp_path):
    """申报面积 without a unit in its name and a 面积单位 (MJDW) field: 8,000 m² declared as 8000 (1 平方米), 12 (2 亩),
    0.8 (3 公顷), 12 (亩 written out) all match the drawn 8,000 m²; 13.2 亩 is 10 % off; 12 with unit 9 is no area
    (the plan undecided, named), never 12 m²."""
    cases = [("M1", 8000.0, "1"), ("M2", 12.0, "2"), ("M3", 0.8, "3"), ("M4", 12.0, "亩"), ("M5", 13.2, "2"),
             ("M6", 12.0, "9")]
    rows = [{"wkt": shapely.box(X0 + 150 * i, Y0, X0 + 150 * i + 100, Y0 + 80).wkt, "方案编号": pid,
             "申报面积": declared, "MJDW": unit, "容积率": "2.6", "建筑高度": "36", "层数": "6"}
            for i, (pid, declared, unit) in enumerate(cases)]
    layer = make_layer("Polygon", [("方案编号", "string"), ("申报面积", "double"), ("MJDW", "string"),
                                   ("容积率", "string"), ("建筑高度", "string"), ("层数", "string")], rows, "方案")
    feedback = Recorder()
    profile = profile_checking_only(tmp_path / "p.json", ("far", "height", "floors", "area_match", "plan_overlap"))
    result = processing.run("landbureau:upstairscheck", {"INPUT": layer, "OUTPUT": "memory:", "PROFILE": profile},
                            feedback=feedback)
    out = {f["方案编号"]: f for f in result["OUTPUT"].getFeatures()}
    for pid in ("M1", "M2", "M3", "M4"):
        assert out[pid]["area_diff_pct"] == pytest.approx(0.0, abs=1e-6), pid
        assert out[pid]["passed"] == 1, (pid, out[pid]["reasons"])
    assert out["M5"]["area_diff_pct"] == pytest.approx(10.0) and out["M5"]["failed_rules"] == "area_match"
    assert out["M6"]["passed"] == NULL and "MJDW=9" in out["M6"]["reasons"]
    assert "MJDW" in feedback.text
