"""Units written in field names, through Processing: the values are converted once when read, for every analysis,
and the log says so; a detected map's uncertain matches are logged with their confidence."""
import processing
import pytest
from log_feedback import Recorder

X0, Y0 = 530000.0, 3340000.0  # EPSG:4549


def square(x: float, side: float) -> str:
    x0, y0 = X0 + x, Y0
    return f"POLYGON(({x0} {y0}, {x0 + side} {y0}, {x0 + side} {y0 + side}, {x0} {y0 + side}, {x0} {y0}))"


def test_tax_in_yuan_is_read_in_wan_yuan_and_the_log_says_so(plugin, make_layer):
    # 150 m × 100 m = 15,000 m² = 22.5 亩; 4,500,000 元 = 450 万元 → 20 万元 per 亩
    parcels = make_layer("Polygon", [("DKBH", "string"), ("YDXZ", "string"), ("RJL", "double"),
                                     ("税收(元)", "string")],
                         [{"wkt": f"POLYGON(({X0} {Y0}, {X0 + 150} {Y0}, {X0 + 150} {Y0 + 100}, {X0} {Y0 + 100}, "
                                  f"{X0} {Y0}))", "DKBH": "A", "YDXZ": "0601", "RJL": 1.2, "税收(元)": "4,500,000"}],
                         "地块")
    feedback = Recorder()
    out = processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": "memory:",
                                                      "LAND_USE_SYSTEM": "gbt21010"},  # 0601 alone: named
                         feedback=feedback)["OUTPUT"]
    row = next(out.getFeatures())
    assert row["tax_per_mu"] == pytest.approx(450 / 22.5)
    assert "field 税收(元) in 元 → 万元 ×0.0001" in feedback.text
    assert row["税收(元)"] == "4,500,000"  # the input attribute is copied as it was


@pytest.mark.parametrize("field, values, expected", [
    ("用地面积（亩）", [1.5, None, 3.0], [1000.0, None, 2000.0]),
    ("用地面积(公顷)", ["0.5", "无", "1,2"], [5000.0, "无", 12000.0]),  # "1,2": a decimal comma (analysis.numbers)
    # thousands and full-width as analysis.numbers reads them; text with digits that is no plain number gets the
    # name's unit, so the reader names it instead of taking it in the wrong unit
    ("用地面积(公顷)", ["1,500", "约3亩", "１，５"], [15_000_000.0, "约3亩公顷", 15000.0]),
])
def test_read_columns_applies_the_factor_of_the_name(qgis_app, make_layer, field, values, expected):
    from land_bureau_plugin.qgis_bridge.layers import read_columns

    kind = "double" if isinstance(values[0], float) else "string"
    layer = make_layer("Polygon", [(field, kind)], [{"wkt": square(i * 10, 5), field: v} for i, v in enumerate(values)])
    frame = read_columns(layer, {"area_m2": field}, numeric=("area_m2",)).frame
    got = [None if v is None or v != v else v for v in frame["area_m2"].tolist()]
    assert got[0] == pytest.approx(expected[0]) and got[1] == expected[1]
    assert got[2] == (pytest.approx(expected[2]) if isinstance(expected[2], float) else expected[2])


def test_an_uncertain_detected_match_is_logged_with_its_confidence(plugin, make_layer):
    parcels = make_layer("Polygon", [("TBBH", "string"), ("Type", "string"), ("Class", "string")],
                         [{"wkt": square(0, 100), "TBBH": "1", "Type": "0601", "Class": "0601"}], "图斑")
    feedback = Recorder()
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": "memory:", "LAND_USE_SYSTEM": "gbt21010"},
                   feedback=feedback)  # "0601" alone is also the 2023 guide's rural road: the system is named
    assert "field Type taken as land_use with confidence" in feedback.text
    assert "other candidates: Class" in feedback.text


@pytest.mark.parametrize("declared_mu, passes", [(22.5, 1), (24.0, 0)])  # 15,000 m² drawn = 22.5 亩; 24 亩 is 6.7 % off
def test_a_plan_area_in_mu_is_compared_in_square_metres(plugin, make_layer, declared_mu, passes):
    plans = make_layer("Polygon", [("方案编号", "string"), ("用地面积（亩）", "double")],
                       [{"wkt": f"POLYGON(({X0} {Y0}, {X0 + 150} {Y0}, {X0 + 150} {Y0 + 100}, {X0} {Y0 + 100}, "
                                f"{X0} {Y0}))", "方案编号": "FA-1", "用地面积（亩）": declared_mu}], "方案")
    feedback = Recorder()
    results = processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": "memory:",
                                                          "VIOLATIONS": "memory:", "CHECKS": "memory:"},
                             feedback=feedback)
    checks = {f["rule_id"]: f for f in results["CHECKS"].getFeatures()}
    assert checks["area_match"]["status"] == ("pass" if passes else "fail")
    assert "field 用地面积（亩） in 亩 → m² ×666.67" in feedback.text


@pytest.mark.parametrize("value, expected", [("3000", 3.0), ("3,000", 3.0), ("3t", "3tkg"), ("3吨", "3吨kg"),
                                             ("无", "无")])
def test_a_unit_of_its_own_in_a_unit_named_field_is_not_converted(qgis_app, make_layer, value, expected):
    """货梯载重(kg) is read in tonnes (×0.001); a value carrying a unit of its own ("3t") contradicts the name: it is
    not taken as 3 kg nor as 3 t, but left for the reader to name (its text gets the name's unit)."""
    from land_bureau_plugin.qgis_bridge.layers import read_columns

    layer = make_layer("Polygon", [("货梯载重(kg)", "string")], [{"wkt": square(0, 5), "货梯载重(kg)": value}])
    got = read_columns(layer, {"lift_capacity": "货梯载重(kg)"}, numeric=("lift_capacity",)).frame["lift_capacity"]
    assert got.tolist() == [pytest.approx(expected) if isinstance(expected, float) else expected]
