"""landbureau:upstairscheck through Processing: every rule on layers, exact overlay areas against shapely, bad input,
other CRSs, untouched inputs and the leadership's summary figures."""
import json

import numpy as np
import processing
import pytest
import shapely
from qgis.core import NULL, QgsProcessingException, QgsProcessingFeedback
from upstairs_data import (
    ATTRIBUTE_CASES,
    FIELDS,
    SPATIAL_CASES,
    case_plans,
    constraint_layers,
    plan,
    plan_geometry,
    polygon_layer,  # noqa: F401 — also imported from here by test_upstairs_dock
    square,
    summary_plans,
)

from land_bureau_plugin.analysis import upstairs_rules

TOLERANCE_M2 = 0.1


class LogFeedback(QgsProcessingFeedback):
    """Keeps what the algorithm writes to its log."""

    def __init__(self):
        super().__init__()
        self.lines, self.warning_lines = [], []

    def pushInfo(self, info):  # noqa: N802
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802
        self.lines.append(warning)
        self.warning_lines.append(warning)
        super().pushWarning(warning)

    def text(self) -> str:
        return "\n".join(self.lines)

    def warnings(self) -> str:
        return "\n".join(self.warning_lines)


def is_null(value) -> bool:
    """A NULL attribute as PyQGIS hands it over (None, or a NULL QVariant)."""
    return value is None or value == NULL


@pytest.fixture()
def case(make_layer):
    """The case plans and all four constraint layers as memory layers, plus the shapely originals."""
    rows = case_plans()
    shapes = constraint_layers(rows)
    layers = {"INPUT": make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案"),
              "FARMLAND": polygon_layer(make_layer, shapes["farmland"], "永久基本农田"),
              "REDLINE": polygon_layer(make_layer, shapes["redline"], "生态保护红线"),
              "URBAN_BOUNDARY": polygon_layer(make_layer, shapes["urban_boundary"], "城镇开发边界"),
              "LANDUSE": polygon_layer(make_layer, shapes["landuse"], "用地规划", codes=shapes["landuse_codes"])}
    return rows, shapes, layers


def run(feedback=None, **params):
    params = {"OUTPUT": "memory:", "VIOLATIONS": "memory:", **params}
    return processing.run("landbureau:upstairscheck", params, feedback=feedback or LogFeedback())


def by_id(layer) -> dict:
    rows = {}
    for feature in layer.getFeatures():
        rows.setdefault(feature["方案编号"], []).append(feature)
    return {pid: features[0] if len(features) == 1 else features for pid, features in rows.items()}


def failed(feature) -> set:
    return set(filter(None, (feature["failed_rules"] or "").split(",")))


# ----------------------------------------------------------------------------------------------------------- rules

def test_each_plan_fails_exactly_its_rule(plugin, case):
    rows, _, layers = case
    out = by_id(run(**layers)["OUTPUT"])
    expected = {pid: {rule} for pid, (_, rule) in ATTRIBUTE_CASES.items()}
    expected["P-OWNCODE"] = set()  # the land-use layer, not the plan's own code, decides when given
    expected.update({pid: {rule} for pid, rule in SPATIAL_CASES.items()})
    expected["P-OK"] = set()
    assert {pid: failed(f) for pid, f in out.items()} == expected
    assert {pid: f["passed"] for pid, f in out.items()} == {pid: int(not rules) for pid, rules in expected.items()}
    assert all(f["unchecked_rules"] in (None, "") for f in out.values())
    assert out["P-FAR"]["far"] == pytest.approx(1.5)
    assert "FAR 1.5 below 2" in out["P-FAR"]["reasons"]
    assert out["P-AREA"]["area_diff_pct"] == pytest.approx(5.0)
    assert out["P-OK"]["area_mu"] == pytest.approx(15.0)
    assert out["P-OV1"]["overlap_plans"] == "P-OV2" and out["P-OV2"]["overlap_plans"] == "P-OV1"


def test_outputs_carry_chinese_aliases(plugin, case):
    _, _, layers = case
    results = run(**layers, CHECKS="memory:")
    aliases = {name: {f.name(): f.alias() for f in results[name].fields()} for name in ("OUTPUT", "VIOLATIONS",
                                                                                       "CHECKS")}
    assert aliases["OUTPUT"]["passed"] == "是否通过" and aliases["OUTPUT"]["farmland_m2"] == "占永久基本农田(m²)"
    assert aliases["VIOLATIONS"]["rule_id"] == "规则编号" and aliases["CHECKS"]["threshold"] == "标准"


def test_the_checklist_has_a_row_per_plan_and_rule_with_value_and_threshold(plugin, case):
    rows, _, layers = case
    results = run(**layers, CHECKS="memory:")
    checks = list(results["CHECKS"].getFeatures())
    assert len(checks) == len(rows) * len(upstairs_rules.RULE_IDS)
    far = next(c for c in checks if c["plan_id"] == "P-FAR" and c["rule_id"] == "far")
    assert (far["status"], far["value"], far["threshold"], far["rule"]) == ("fail", 1.5, "≥ 2", "FAR")
    farm = next(c for c in checks if c["plan_id"] == "P-FARM" and c["rule_id"] == "farmland")
    assert farm["status"] == "fail" and farm["unit"] == "m²" and farm["value"] > 100 and not farm["note"]
    plan_fids = {f["方案编号"]: f.id() for f in layers["INPUT"].getFeatures()}
    assert {c["plan_fid"] for c in checks} == set(plan_fids.values())
    failing = {(c["plan_id"], c["rule_id"]) for c in checks if c["status"] == "fail"}
    out = by_id(results["OUTPUT"])
    assert failing == {(pid, rule) for pid, f in out.items() for rule in failed(f)}


def test_without_a_land_use_layer_the_plans_own_code_decides(plugin, case):
    _, _, layers = case
    feedback = LogFeedback()
    out = by_id(run(feedback, **{k: v for k, v in layers.items() if k != "LANDUSE"})["OUTPUT"])
    assert failed(out["P-OWNCODE"]) == {"industrial_land"} and failed(out["P-RES"]) == set()
    assert out["P-OWNCODE"]["non_industrial_m2"] == pytest.approx(10_000.0)
    assert "用地性质" in feedback.text()


def test_overlap_areas_match_an_independent_shapely_computation(plugin, case):
    rows, shapes, layers = case
    results = run(**layers)
    out = by_id(results["OUTPUT"])
    farmland, redline = shapely.union_all(shapes["farmland"]), shapely.union_all(shapes["redline"])
    boundary = shapes["urban_boundary"][0]
    non_industrial = shapes["landuse"][1]
    for row in rows:
        geometry, feature = shapely.from_wkt(row["wkt"]), out[row["方案编号"]]
        assert feature["area_m2"] == pytest.approx(geometry.area, abs=TOLERANCE_M2)
        assert feature["farmland_m2"] == pytest.approx(geometry.intersection(farmland).area, abs=TOLERANCE_M2)
        assert feature["redline_m2"] == pytest.approx(geometry.intersection(redline).area, abs=TOLERANCE_M2)
        assert feature["outside_boundary_m2"] == pytest.approx(geometry.difference(boundary).area, abs=TOLERANCE_M2)
        assert feature["non_industrial_m2"] == pytest.approx(geometry.intersection(non_industrial).area,
                                                             abs=TOLERANCE_M2)
    assert out["P-FARM"]["farmland_m2"] > 100 and out["P-OUT"]["outside_boundary_m2"] > 1000

    pieces = {}
    for feature in results["VIOLATIONS"].getFeatures():
        assert feature.geometry().area() == pytest.approx(feature["area_m2"], abs=TOLERANCE_M2)
        key = (feature["plan_id"], feature["rule_id"])
        pieces[key] = pieces.get(key, 0.0) + feature["area_m2"]
    ov1, ov2 = plan_geometry(rows, "P-OV1"), plan_geometry(rows, "P-OV2")
    farm_plan = plan_geometry(rows, "P-FARM")
    assert pieces.keys() == {("P-FARM", "farmland"), ("P-RED", "redline"), ("P-OUT", "urban_boundary"),
                             ("P-RES", "industrial_land"), ("P-OV1", "plan_overlap"), ("P-OV2", "plan_overlap")}
    # two farmland patches lie on the plan: one violation per plan and rule, with the plan's area for the rule
    assert pieces[("P-FARM", "farmland")] == pytest.approx(farm_plan.intersection(farmland).area, abs=TOLERANCE_M2)
    assert pieces[("P-OV1", "plan_overlap")] == pytest.approx(ov1.intersection(ov2).area, abs=TOLERANCE_M2)
    assert out["P-OV2"]["overlap_m2"] == pytest.approx(ov1.intersection(ov2).area, abs=TOLERANCE_M2)
    assert out["P-OK"]["overlap_m2"] == 0
    assert pieces[("P-OUT", "urban_boundary")] == pytest.approx(
        plan_geometry(rows, "P-OUT").difference(boundary).area, abs=TOLERANCE_M2)


def test_violations_name_the_conflicting_features(plugin, case):
    _, _, layers = case
    violations = list(run(**layers)["VIOLATIONS"].getFeatures())
    farm = [(f["other_fid"], f["other_fids"]) for f in violations if f["rule_id"] == "farmland"]
    fids = [f.id() for f in layers["FARMLAND"].getFeatures()]
    assert farm == [(None, f"{fids[0]},{fids[1]}")]  # the patch touching the edge and the far one are no conflicts
    red = [(f["other_fid"], f["other_fids"]) for f in violations if f["rule_id"] == "redline"]
    red_fid = next(layers["REDLINE"].getFeatures()).id()
    assert red == [(red_fid, str(red_fid))]
    overlap = {f["plan_id"]: f["other_plan_id"] for f in violations if f["rule_id"] == "plan_overlap"}
    assert overlap == {"P-OV1": "P-OV2", "P-OV2": "P-OV1"}
    plan_fids = {f["方案编号"]: f.id() for f in layers["INPUT"].getFeatures()}
    assert all(f["plan_fid"] == plan_fids[f["plan_id"]] for f in violations)
    assert {f["rule"] for f in violations} >= {"permanent basic farmland", "urban development boundary"}


def test_overlapping_features_give_one_violation_per_plan_and_rule_with_the_plans_area(plugin, make_layer):
    """Farmland patches overlapping each other, and a plan overlapped by two plans that overlap each other: summing
    VIOLATIONS per plan and rule gives the plan's farmland_m2 / overlap_m2, each equal to plain shapely."""
    x, y = square(0).bounds[:2]
    geometries = {"B": square(0), "C": square(0, dx=60.0),
                  "D": shapely.box(x + 30, y + 40, x + 140, y + 120)}  # over B and C, and over their overlap
    rows = [plan(pid, geometry) for pid, geometry in geometries.items()]
    patches = [shapely.Point(x + 30, y + 30).buffer(40, quad_segs=16), shapely.box(x + 20, y - 10, x + 75, y + 50)]
    results = run(INPUT=make_layer("MultiPolygon", FIELDS, rows),
                  FARMLAND=polygon_layer(make_layer, patches, "永久基本农田"))
    out = by_id(results["OUTPUT"])
    summed, fids = {}, {}
    for feature in results["VIOLATIONS"].getFeatures():
        key = (feature["plan_id"], feature["rule_id"])
        assert key not in summed  # one row per plan and rule
        assert feature.geometry().area() == pytest.approx(feature["area_m2"], abs=TOLERANCE_M2)
        summed[key], fids[key] = feature["area_m2"], feature["other_fids"]
    b = geometries["B"]
    assert sum(b.intersection(p).area for p in patches) > b.intersection(shapely.union_all(patches)).area + 100
    assert summed[("B", "farmland")] == pytest.approx(out["B"]["farmland_m2"], abs=TOLERANCE_M2)
    assert out["B"]["farmland_m2"] == pytest.approx(b.intersection(shapely.union_all(patches)).area,
                                                    abs=TOLERANCE_M2)
    assert len(fids[("B", "farmland")].split(",")) == 2
    for pid, geometry in geometries.items():
        others = shapely.union_all([g for other, g in geometries.items() if other != pid])
        assert summed[(pid, "plan_overlap")] == pytest.approx(out[pid]["overlap_m2"], abs=TOLERANCE_M2)
        assert out[pid]["overlap_m2"] == pytest.approx(geometry.intersection(others).area, abs=TOLERANCE_M2)
    assert out["D"]["overlap_plans"] == "B,C"


# ------------------------------------------------------------------------------------------------------ bad input

def test_a_missing_field_leaves_its_rule_not_checked(plugin, make_layer):
    fields = [f for f in FIELDS if f[0] != "货梯载重"]
    layer = make_layer("MultiPolygon", fields, [plan("A", square(0))], "工业上楼方案")
    feedback = LogFeedback()
    results = run(feedback, INPUT=layer, CHECKS="memory:")
    a = by_id(results["OUTPUT"])["A"]
    lift = [c for c in results["CHECKS"].getFeatures() if c["rule_id"] == "lift_capacity"]
    assert [(c["status"], c["note"]) for c in lift] == [("unchecked", "freight lift (field not found)")]
    assert is_null(a["passed"]) and "lift_capacity" in a["unchecked_rules"].split(",")  # not checked, not passed
    assert "freight lift (field not found)" in a["reasons"] and a["reasons"].startswith("not checked:")
    assert "lift_capacity" in feedback.text() and "not checked" in feedback.text()


def test_far_3_with_support_floor_area_5_percent_passes_and_the_land_share_is_not_checked(plugin, make_layer):
    """Issue 14 through Processing: 1 500 m² of support floor area in 30 000 m² (5 %) passes — the old rule held it
    against 7 % of the 10 000 m² land (700 m²). Without a 配套用地面积 field the 7 % land rule is not checked, said
    in the checklist, the reasons and the log (as information: most plans declare no support land)."""
    fields = [f for f in FIELDS if f[0] != "配套用地面积"]
    layer = make_layer("MultiPolygon", fields, [plan("A", square(0), 建筑面积=30_000.0, 配套面积=1_500.0),
                                                plan("B", square(1), 建筑面积=30_000.0, 配套面积=4_501.0)],
                       "工业上楼方案")
    feedback = LogFeedback()
    results = run(feedback, INPUT=layer, CHECKS="memory:")
    out = by_id(results["OUTPUT"])
    checks = {(c["plan_id"], c["rule_id"]): c for c in results["CHECKS"].getFeatures()}
    floor, land = checks[("A", "support_floor_share")], checks[("A", "support_land_share")]
    assert (floor["status"], floor["value"], floor["threshold"], floor["unit"]) == ("pass", 5.0, "≤ 15", "%")
    assert (land["status"], land["note"]) == ("unchecked", "support land share (field not found)")
    assert is_null(out["A"]["passed"]) and failed(out["A"]) == set()  # not failed; not passed either: rules open
    assert "support_land_share" in out["A"]["unchecked_rules"].split(",")
    assert failed(out["B"]) == {"support_floor_share"}  # 4 501 of 30 000 m² = 15.003 %
    assert "support floor 4501 m² is 15.003 % of floor area 30000 m² (limit 15 %)" in out["B"]["reasons"]
    assert "the support land-share rule (land occupied by office and living facilities / land area) is not " \
           "checked" in feedback.text()
    # that line only, not the missing-field warning as well
    assert sum(line.startswith("Layer") and "support_land_area" in line for line in feedback.lines) == 1


def test_multipart_and_invalid_plans(plugin, make_layer):
    two_parts = shapely.MultiPolygon([square(0), square(1)])
    x, y = square(2).bounds[:2]
    bow_tie = shapely.Polygon([(x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100)])
    rows = [plan("M", two_parts, 申报面积=20_000.0, 建筑面积=50_000.0),
            plan("B", bow_tie, 申报面积=5_000.0, 建筑面积=12_500.0, 配套面积=300.0,
                 配套用地面积=200.0)]
    layer = make_layer("MultiPolygon", FIELDS, rows)
    farmland = polygon_layer(make_layer, [square(1, dx=50.0)], "永久基本农田")
    feedback = LogFeedback()
    out = by_id(run(feedback, INPUT=layer, FARMLAND=farmland)["OUTPUT"])
    assert out["M"]["area_m2"] == pytest.approx(20_000.0) and out["M"]["farmland_m2"] == pytest.approx(5_000.0)
    assert failed(out["M"]) == {"farmland"}
    repaired = shapely.make_valid(bow_tie)
    assert out["B"]["area_m2"] == pytest.approx(repaired.area) and out["B"]["far"] == pytest.approx(2.5)
    assert "invalid geometry was repaired" in out["B"]["reasons"] and failed(out["B"]) == set()
    fid = next(f.id() for f in layer.getFeatures() if f["方案编号"] == "B")
    assert f"invalid geometry repaired for feature id(s) {fid}" in feedback.text()


def test_text_numbers_are_read_and_junk_is_reported(plugin, make_layer):
    heights = {"T1": "４５", "T2": " 50.5 ", "T3": "1,200", "T4": "待定", "T5": "-3", "T6": None, "T7": "120米",
               "T8": "—"}
    rows = [plan(pid, square(i), 建筑高度=h) for i, (pid, h) in enumerate(heights.items())]
    feedback = LogFeedback()
    out = by_id(run(feedback, INPUT=make_layer("MultiPolygon", FIELDS, rows))["OUTPUT"])
    assert failed(out["T1"]) == set() and failed(out["T2"]) == set()
    assert failed(out["T7"]) == {"height"} and "height 120 m above 100 m" in out["T7"]["reasons"]
    # 1,200 m is read (thousands separator) but above the plausible 500 m: a data error, never a pass or a fail
    assert failed(out["T3"]) == set() and "height (implausible value: data error)" in out["T3"]["reasons"]
    assert "建筑高度 1,200 is above the plausible limit 500" in out["T3"]["reasons"]
    assert "建筑高度 has no data: —" in out["T8"]["reasons"] and "height (no value)" in out["T8"]["reasons"]
    assert "建筑高度 is not a valid number: 待定" in out["T4"]["reasons"]
    assert "height (invalid value)" in out["T4"]["reasons"] and "height" in out["T4"]["unchecked_rules"]
    assert "建筑高度 is not a valid number: -3" in out["T5"]["reasons"]
    assert "height (no value)" in out["T6"]["reasons"] and is_null(out["T6"]["passed"])
    assert "建筑高度" in feedback.text() and "not a valid number" in feedback.text()


FAR_FIELDS = [(name, kind) for name, kind in FIELDS if name != "建筑面积"]  # the FAR from its own field


def far_plans(make_layer, field: str, values: list[str]):
    """Plans whose FAR is only in the text field `field` (no floor area), one per value; and {value: feature id}."""
    rows = [{**plan(f"F{i}", square(i), **{field: value}), "建筑面积": None} for i, value in enumerate(values)]
    layer = make_layer("MultiPolygon", [*FAR_FIELDS, (field, "string")], rows, "工业上楼方案")
    return layer, {feature[field]: feature.id() for feature in layer.getFeatures()}


def test_a_bad_far_value_is_named_by_the_layers_field_never_by_the_internal_key(plugin, make_layer):
    """The acceptance run's log said "字段 far": a bad value is named by the layer's field (RJL, with its meaning)."""
    layer, fids = far_plans(make_layer, "RJL", ["2.5", "待定", "2.6"])
    feedback = LogFeedback()
    run(feedback, INPUT=layer)
    assert (f"Layer 工业上楼方案, field RJL (floor area ratio): not a valid number, or above its plausible limit "
            f"(data error), in feature id(s) {fids['待定']}") in feedback.warnings()
    assert "field far" not in feedback.text()


def test_in_chinese_a_bad_far_value_is_named_as_the_layer_names_its_field(chinese, plugin, make_layer):
    layer, fids = far_plans(make_layer, "容积率", ["2.5", "待定", "2.6"])
    feedback = LogFeedback()
    run(feedback, INPUT=layer)
    assert f"图层 工业上楼方案，字段 容积率：要素编号 {fids['待定']} 的值不是有效数字" in feedback.warnings()
    assert "字段 far" not in feedback.text()


def test_the_log_says_which_far_values_were_read_in_percent(plugin, make_layer):
    """One plan of 20 wrote its FAR as "250%": that value is read in percent and the log says so, naming its
    feature — not that the field was read in percent. A field mostly above the FAR limit is read in percent as a
    whole, and the log says why."""
    layer, fids = far_plans(make_layer, "RJL", ["2.5"] * 18 + ["250%", "2.6"])
    feedback = LogFeedback()
    out = by_id(run(feedback, INPUT=layer)["OUTPUT"])
    assert out["F18"]["far"] == pytest.approx(2.5) and out["F19"]["far"] == pytest.approx(2.6)
    log = feedback.text()
    assert (f"Layer 工业上楼方案, field RJL (floor area ratio): 1 value(s) written with a % sign read in percent "
            f"(divided by 100), in feature id(s) {fids['250%']}; the other values are ratios") in log
    assert "read in percent —" not in log and "FAR read in percent" not in log

    layer, _fids = far_plans(make_layer, "RJL", ["250", "180", "21", "2.5"])  # 3 of 4 above 20: in percent
    feedback = LogFeedback()
    out = by_id(run(feedback, INPUT=layer)["OUTPUT"])
    assert [out[f"F{i}"]["far"] for i in range(4)] == pytest.approx([2.5, 1.8, 0.21, 0.025])
    assert ("Layer 工业上楼方案: field RJL (floor area ratio) read in percent — most of its values are above the FAR "
            "limit 20 — every value divided by 100; set upstairs.far_unit in the rule profile to change this") \
        in feedback.text()
    assert "written with a % sign" not in feedback.text()


def test_in_chinese_the_log_says_how_many_far_values_were_read_in_percent(chinese, plugin, make_layer):
    layer, fids = far_plans(make_layer, "容积率", ["2.5"] * 18 + ["250%", "2.6"])
    feedback = LogFeedback()
    run(feedback, INPUT=layer)
    assert (f"图层 工业上楼方案，字段 容积率：1 个带 % 号的值按百分数读取（除以 100），要素编号 {fids['250%']}；"
            "其余按比值读取") in feedback.text()
    assert "容积率按百分数读取" not in feedback.text()


def test_duplicated_plan_ids_are_reported(plugin, make_layer):
    rows = [plan("D", square(0)), plan("D", square(1)), plan("E", square(2))]
    feedback = LogFeedback()
    results = run(feedback, INPUT=make_layer("MultiPolygon", FIELDS, rows))
    out = by_id(results["OUTPUT"])
    assert all("方案编号 D appears more than once" in f["reasons"] for f in out["D"])  # the layer's field
    assert "more than once" not in (out["E"]["reasons"] or "")
    assert json.loads(results["SUMMARY"])["duplicate_plan_ids"] == ["D"]
    assert "D" in feedback.text().split("more than once")[-1]


def test_in_chinese_a_repeated_plan_id_is_named_by_the_layers_own_field(chinese, plugin, make_layer):
    """The acceptance run said "方案编号 GYSL2026-003 重复" of a layer whose field is 项目编号: the layer's name for it
    (qgis_bridge.fieldmaps.layer_field_label), with its meaning."""
    fields = [("项目编号" if name == "方案编号" else name, kind) for name, kind in FIELDS]
    rows = [{("项目编号" if key == "方案编号" else key): value for key, value in plan(pid, square(i)).items()}
            for i, pid in enumerate(["GYSL2026-003", "GYSL2026-003", "GYSL2026-004"])]
    layer = make_layer("MultiPolygon", fields, rows, "工业上楼方案")
    out = run(INPUT=layer, FIELD_MAP=json.dumps({"plan_id": "项目编号"}, ensure_ascii=False))["OUTPUT"]
    reasons = sorted(f["reasons"] or "" for f in out.getFeatures())
    assert [("项目编号（方案编号） GYSL2026-003 重复" in r) for r in reasons] == [False, True, True], reasons


def test_a_land_use_layer_without_codes_is_refused_with_its_name(plugin, case, make_layer):
    _, shapes, layers = case
    bare = polygon_layer(make_layer, shapes["landuse"], "无编码图层")
    with pytest.raises(QgsProcessingException, match="无编码图层"):
        run(INPUT=layers["INPUT"], LANDUSE=bare)
    with pytest.raises(QgsProcessingException, match="Layer 无编码图层, field 名称: no value is a land-use code"):
        run(INPUT=layers["INPUT"], LANDUSE=bare, LANDUSE_FIELD_MAP=json.dumps({"land_use": "名称"}))


# ------------------------------------------------------------------------------------------------------------ CRS

def test_layers_in_another_crs_are_reprojected_and_the_log_says_so(plugin, case):
    rows, _, layers = case
    reference = by_id(run(**layers)["OUTPUT"])
    geographic = {name: processing.run("native:reprojectlayer", {"INPUT": layer, "TARGET_CRS": "EPSG:4490",
                                                                  "OUTPUT": "memory:"})["OUTPUT"]
                  for name, layer in layers.items() if name != "INPUT"}
    feedback = LogFeedback()
    out = by_id(run(feedback, INPUT=layers["INPUT"], **geographic)["OUTPUT"])
    assert "reprojected to EPSG:4549" in feedback.text() and "EPSG:4490" in feedback.text()
    for pid, feature in out.items():
        for name in ("farmland_m2", "redline_m2", "outside_boundary_m2", "non_industrial_m2"):
            assert feature[name] == pytest.approx(reference[pid][name], abs=TOLERANCE_M2), (pid, name)
        assert failed(feature) == failed(reference[pid])


def test_geographic_plans_are_measured_in_metres(plugin, case):
    rows, _, layers = case
    plans = processing.run("native:reprojectlayer", {"INPUT": layers["INPUT"], "TARGET_CRS": "EPSG:4490",
                                                     "OUTPUT": "memory:"})["OUTPUT"]
    results = run(INPUT=plans, FARMLAND=layers["FARMLAND"])
    out = by_id(results["OUTPUT"])
    assert results["OUTPUT"].crs().authid() == "EPSG:4490"  # the plans keep their CRS
    assert results["VIOLATIONS"].crs().authid() == "EPSG:4549"  # the pieces are where areas are measured
    assert out["P-OK"]["area_m2"] == pytest.approx(10_000.0, abs=TOLERANCE_M2)
    farmland = shapely.union_all(constraint_layers(rows)["farmland"])
    assert out["P-FARM"]["farmland_m2"] == pytest.approx(plan_geometry(rows, "P-FARM").intersection(farmland).area,
                                                         abs=TOLERANCE_M2)


# ------------------------------------------------------------------------------------------------------ untouched

def test_inputs_are_not_modified(plugin, case):
    _, _, layers = case

    def snapshot():
        return {name: (layer.fields().names(), [(f.id(), f.attributes(), f.geometry().asWkt())
                                                for f in layer.getFeatures()])
                for name, layer in layers.items()}

    before = snapshot()
    run(**layers)
    assert snapshot() == before


# --------------------------------------------------------------------------------------------------------- summary

def test_133_plans_summarise_as_7682_mu_and_1423_wan_m2(plugin, make_layer):
    rows = summary_plans()
    land = np.array([shapely.from_wkt(r["wkt"]).area for r in rows])
    floor = np.array([r["建筑面积"] for r in rows])
    assert land.sum() * 15 / 10_000 == pytest.approx(7682) and floor.sum() == pytest.approx(14_230_000)
    feedback = LogFeedback()
    results = run(feedback, INPUT=make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案"))
    summary = json.loads(results["SUMMARY"])
    assert summary["figures"] == "133 宗, 7,682 亩, 1,423 万m²"
    assert summary["plans"] == results["PLANS"] == 133
    assert summary["land_mu"] == pytest.approx(7682, abs=1e-6)
    assert summary["floor_area_wan_m2"] == pytest.approx(1423, abs=1e-6)
    assert f"{summary['average_far']:.2f}" == f"{floor.sum() / land.sum():.2f}" == "2.78"
    # only building areas and districts, no constraint layer: nothing failed, nothing could pass
    assert (results["PASSED"], results["FAILED"], summary["not_checked"]) == (0, 0, 133)
    assert "133 宗, 7,682 亩, 1,423 万m²; average FAR 2.78" in feedback.text()
    districts = summary["per_district"]
    assert sorted(districts) == ["余杭区", "萧山区", "钱塘区"]
    for name, totals in districts.items():
        mine = [i for i, r in enumerate(rows) if r["行政区"] == name]
        assert totals["plans"] == len(mine)
        assert totals["land_mu"] == pytest.approx(land[mine].sum() * 15 / 10_000)
        assert f"{name}: {totals['figures']}" in feedback.text()


def test_in_chinese_the_log_quotes_the_figures_with_chinese_commas(chinese, plugin, make_layer):
    feedback = LogFeedback()
    results = run(feedback, INPUT=make_layer("MultiPolygon", FIELDS, summary_plans(), "工业上楼方案"))
    assert json.loads(results["SUMMARY"])["figures"] == "133 宗, 7,682 亩, 1,423 万m²"  # the data keeps the form
    assert "工业上楼方案：133 宗，7,682 亩，1,423 万m²；平均容积率 2.78" in feedback.text()


def test_without_constraint_layers_only_their_rules_stay_open(plugin, make_layer):
    """A good plan checked without constraint layers is not checked (未核查), never passed; the three layer rules
    are open, and say why; the log counts the rules not checked and names the cause."""
    layer = make_layer("MultiPolygon", FIELDS, [plan("OK", square(0))])
    feedback = LogFeedback()
    results = run(feedback, INPUT=layer)
    ok = by_id(results["OUTPUT"])["OK"]
    assert is_null(ok["passed"]) and ok["failed_rules"] in (None, "")
    assert (results["PASSED"], results["FAILED"], json.loads(results["SUMMARY"])["not_checked"]) == (0, 0, 1)
    assert set(ok["unchecked_rules"].split(",")) == {"farmland", "redline", "urban_boundary"}
    assert "layer not given" in ok["reasons"] and "Not given, so not checked" in feedback.text()
    assert ("Not checked for any plan: 3 of 16 rules — permanent basic farmland (layer not given), ecological red "
            "line (layer not given), urban development boundary (layer not given)") in feedback.warnings()
    assert "1 plan(s) with no failure are not checked" in feedback.warnings()


def test_a_run_that_can_check_almost_nothing_passes_no_plan_and_the_log_says_why(plugin, make_layer):
    """A plan layer with no FAR, height or storey field and no constraint layer: before, every plan came out
    passed. Now none passes; the log says how many rules could not be checked and why."""
    layer = make_layer("Polygon", [("方案编号", "string")],
                       [{"wkt": shapely.to_wkt(square(i)), "方案编号": f"N{i}"} for i in range(3)], "工业上楼方案")
    feedback = LogFeedback()
    results = run(feedback, INPUT=layer)
    out = by_id(results["OUTPUT"])
    assert all(is_null(f["passed"]) for f in out.values())
    assert (results["PASSED"], results["FAILED"]) == (0, 0)
    assert "FAR (field not found)" in out["N0"]["reasons"] and "storeys (field not found)" in out["N0"]["reasons"]
    assert "Not checked for any plan: 15 of 16 rules — FAR (field not found)" in feedback.warnings()
    assert "3 plan(s) with no failure are not checked (未核查), not passed" in feedback.warnings()
    assert "passed 0, failed 0, not checked 3" in feedback.text()


def test_a_data_error_does_not_hide_the_plans_spatial_failures(plugin, make_layer):
    """A plan whose FAR is a data error (floor area 60 × its land) that lies on farmland: failed, with the data error
    and the farmland failure in its reasons, its checklist and VIOLATIONS (area by shapely), counted as failed."""
    rows = [plan("E", square(0), 建筑面积=600_000.0), plan("G", square(1))]
    x, y = square(0).bounds[:2]
    farmland = shapely.box(x + 50, y + 50, x + 150, y + 150)
    feedback = LogFeedback()
    results = run(feedback, INPUT=make_layer("MultiPolygon", FIELDS, rows, "工业上楼方案"),
                  FARMLAND=polygon_layer(make_layer, [farmland], "永久基本农田"), CHECKS="memory:")
    e = by_id(results["OUTPUT"])["E"]
    expected = square(0).intersection(farmland).area  # 2 500 m²
    assert e["passed"] == 0 and failed(e) == {"farmland"}
    assert "FAR 60 (floor area / land area) is above the plausible limit 20: data error" in e["reasons"]
    assert f"{expected:g} m² on permanent basic farmland" in e["reasons"]
    checks = {c["rule_id"]: c["status"] for c in results["CHECKS"].getFeatures() if c["plan_id"] == "E"}
    assert (checks["far"], checks["farmland"]) == ("unchecked", "fail")
    pieces = [f for f in results["VIOLATIONS"].getFeatures() if f["plan_id"] == "E"]
    assert [(f["rule_id"], round(f["area_m2"], 6)) for f in pieces] == [("farmland", expected)]
    summary = json.loads(results["SUMMARY"])
    assert (summary["failed"], summary["data_error"]) == (1, 1) and results["FAILED"] == 1


def test_the_demo_plans_break_exactly_the_rules_the_generator_intended(plugin, tmp_path):
    """scripts/generate_data.py --demo lays out plans meant to break named rules; the algorithm must find exactly
    those (a rule the generator leaves without a value must come out as not checked)."""
    import sys
    from pathlib import Path

    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import generate_data

    path = tmp_path / "demo.gpkg"
    intended = generate_data.generate(str(path), 600, demo=True, log=lambda *_: None)["plans"]
    layers = {layer.name(): layer for layer in open_file_layer(str(path))}
    out = by_id(run(INPUT=layers["工业上楼方案"], FARMLAND=layers["永久基本农田"], REDLINE=layers["生态保护红线"],
                    URBAN_BOUNDARY=layers["城镇开发边界"])["OUTPUT"])
    for plan_id, rules, label in intended:
        broken = {r for r in rules if not r.startswith("missing:")}
        open_ = {r.removeprefix("missing:") for r in rules if r.startswith("missing:")}
        assert failed(out[plan_id]) == broken, label
        assert set(filter(None, (out[plan_id]["unchecked_rules"] or "").split(","))) == open_, label


def test_in_chinese_a_plan_with_several_failures_lists_them_with_chinese_punctuation(chinese, plugin, make_layer):
    square = "POLYGON((530000 3340000, 530100 3340000, 530100 3340100, 530000 3340100, 530000 3340000))"
    layer = make_layer("Polygon", [("方案编号", "string"), ("容积率", "double"), ("建筑高度", "double")],
                       [{"wkt": square, "方案编号": "P1", "容积率": 0.5, "建筑高度": 500.0}], "工业上楼方案")
    reasons = by_id(run(INPUT=layer)["OUTPUT"])["P1"]["reasons"]
    assert "；" in reasons and "; " not in reasons
