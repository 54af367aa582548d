"""Industrial-upstairs plans and constraint layers as the bureau stores them (Chinese field names, a height held
as text), laid out so that each plan breaks exactly the rules it is named after. Geometries are WKT in EPSG:4549
(metres); the tests compute every expected area independently with shapely from the same WKT."""
import numpy as np
import shapely

X0, Y0 = 530_000.0, 3_340_000.0
SIZE = 100.0  # plans are 100 m squares (10 000 m²) unless said otherwise
STEP = 400.0  # plans stand in a row, STEP apart

FIELDS = [("方案编号", "string"), ("申报面积", "double"), ("建筑面积", "double"), ("建筑高度", "string"),
          ("层数", "integer"), ("首层层高", "double"), ("标准层层高", "double"), ("首层荷载", "double"),
          ("楼层荷载", "double"), ("货梯载重", "double"), ("配套面积", "double"), ("配套用地面积", "double"),
          ("行政区", "string"),
          ("用地性质", "string")]
# Passes every default rule on a 10 000 m² plan: FAR 2.5, 40 m, 6 storeys, support floor area 500 m² (2 % of the
# 25 000 m² floor area, ≤ 15 %), support land 400 m² (4 % of the land, ≤ 7 %).
GOOD = {"申报面积": 10_000.0, "建筑面积": 25_000.0, "建筑高度": "40", "层数": 6, "首层层高": 7.0, "标准层层高": 5.0,
        "首层荷载": 12.0, "楼层荷载": 8.0, "货梯载重": 3.0, "配套面积": 500.0, "配套用地面积": 400.0,
        "行政区": "萧山区", "用地性质": "100101"}

# plan id -> (the attributes that break it, the one rule it breaks); spatial cases get their conflict below
ATTRIBUTE_CASES = {
    "P-FAR": ({"建筑面积": 15_000.0}, "far"),
    "P-HEIGHT": ({"建筑高度": "120"}, "height"),
    "P-FLOORS": ({"层数": 3}, "floors"),
    "P-GFH": ({"首层层高": 5.5}, "ground_floor_height"),
    "P-UFH": ({"标准层层高": 4.0}, "upper_floor_height"),
    "P-GFL": ({"首层荷载": 8.0}, "ground_floor_load"),
    "P-UFL": ({"楼层荷载": 5.0}, "upper_floor_load"),
    "P-LIFT": ({"货梯载重": 2.0}, "lift_capacity"),
    "P-SUPPORT": ({"配套面积": 3_760.0}, "support_floor_share"),  # 15.04 % of 25 000 m²
    "P-SUPPORT-LAND": ({"配套用地面积": 710.0}, "support_land_share"),  # 7.1 % of 10 000 m²
    "P-AREA": ({"申报面积": 10_500.0}, "area_match"),
    "P-OWNCODE": ({"用地性质": "0701"}, "industrial_land"),  # judged by its own code only without a land-use layer
}
SPATIAL_CASES = {"P-FARM": "farmland", "P-RED": "redline", "P-OUT": "urban_boundary", "P-RES": "industrial_land",
                 "P-OV1": "plan_overlap", "P-OV2": "plan_overlap"}


def square(i: int, dx: float = 0.0, size: float = SIZE) -> shapely.Polygon:
    x = X0 + STEP * i + dx
    return shapely.box(x, Y0, x + size, Y0 + size)


def plan(pid: str, geometry, **values) -> dict:
    row = {"wkt": shapely.to_wkt(geometry), "方案编号": pid, **GOOD}
    row.update(values)
    return row


def case_plans() -> list[dict]:
    """One passing plan, one per attribute rule, one per spatial rule (the overlapping pair counts once)."""
    rows = [plan("P-OK", square(0))]
    for i, (pid, (values, _rule)) in enumerate(ATTRIBUTE_CASES.items(), start=1):
        rows.append(plan(pid, square(i), **values))
    n = len(rows)
    rows += [plan("P-FARM", square(n)), plan("P-RED", square(n + 1)), plan("P-OUT", square(n + 2)),
             plan("P-RES", square(n + 3)), plan("P-OV1", square(n + 4)), plan("P-OV2", square(n + 4, dx=60.0))]
    return rows


def plan_geometry(rows, pid):
    return shapely.from_wkt(next(r["wkt"] for r in rows if r["方案编号"] == pid))


def wavy_ring(centre, radius, wobble, vertices):
    """A closed, many-vertex irregular polygon (exercises the subdivision of big constraint polygons)."""
    theta = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    r = radius * (1 + wobble * np.sin(7 * theta) + 0.5 * wobble * np.cos(13 * theta))
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(theta), centre[1] + r * np.sin(theta)]))


def constraint_layers(rows) -> dict[str, list]:
    """Farmland, red line, boundary and land use shaped around the plans (lists of shapely polygons)."""
    farm, red, out = (plan_geometry(rows, p) for p in ("P-FARM", "P-RED", "P-OUT"))
    fx, fy = farm.bounds[:2]
    farmland = [wavy_ring((fx + 90, fy + 20), 25, 0.2, 40),  # over the plan's south-east corner
                shapely.Polygon([(fx + 10, fy + 70), (fx + 40, fy + 130), (fx - 20, fy + 95)]),  # across the edge
                shapely.box(fx - 50, fy, fx, fy + 100),  # touches the plan's west edge only: no overlap
                shapely.box(fx + 1000, fy + 500, fx + 1100, fy + 600)]  # far away
    rx, ry = red.bounds[:2]
    redline = [shapely.Point(rx + 100, ry + 100).buffer(45, quad_segs=32)]
    extent = shapely.unary_union([shapely.from_wkt(r["wkt"]) for r in rows]).bounds
    boundary = wavy_ring(((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2),
                         (extent[2] - extent[0]) / 2 + 200, 0.0, 5000)
    ox = out.bounds[0]
    boundary = boundary.difference(shapely.box(ox + 70.5, Y0 - 1000, ox + 150, Y0 + 45.25))  # a notch under P-OUT
    res = plan_geometry(rows, "P-RES")
    sx = res.bounds[0]
    landuse = [shapely.box(extent[0] - 500, Y0 - 500, sx + 35.5, Y0 + 600),
               shapely.box(sx + 35.5, Y0 - 500, sx + 80, Y0 + 600),  # residential strip through P-RES
               shapely.box(sx + 80, Y0 - 500, extent[2] + 500, Y0 + 600)]
    return {"farmland": farmland, "redline": redline, "urban_boundary": [boundary], "landuse": landuse,
            "landuse_codes": ["100101", "0701", "1001"]}  # a 2023-guide layer


def summary_plans(count=133, land_mu=7682.0, floor_m2=14_230_000.0, seed=5) -> list[dict]:
    """`count` rectangles of varied size totalling `land_mu` 亩 and `floor_m2` of floor area, in three districts."""
    rng = np.random.default_rng(seed)
    land = rng.uniform(0.5, 1.5, count)
    land = land / land.sum() * land_mu * 10_000.0 / 15.0
    floor = land * rng.uniform(2.2, 3.4, count)
    floor = floor / floor.sum() * floor_m2
    districts = np.array(["钱塘区", "萧山区", "余杭区"])[np.arange(count) % 3]
    rows = []
    for i in range(count):
        x = X0 + 400.0 * i
        geometry = shapely.box(x, Y0, x + 100.0, Y0 + land[i] / 100.0)
        rows.append(plan(f"GS{i:03d}", geometry, 申报面积=float(land[i]), 建筑面积=float(floor[i]),
                         行政区=str(districts[i])))
    return rows


def polygon_layer(make_layer, geometries, name, crs="EPSG:4549", codes=None):
    """A constraint layer (farmland, red line, boundary; land use when `codes` are given) as a memory layer made
    by the conftest `make_layer` fixture — shared by the algorithm and the panel tests."""
    fields = [("名称", "string")] + ([("用地性质", "string")] if codes is not None else [])
    rows = [{"wkt": shapely.to_wkt(g), "名称": f"{name}{i}", "用地性质": codes[i] if codes else None}
            for i, g in enumerate(geometries)]
    return make_layer("Polygon", fields, rows, name, crs)


def profile_checking_only(path, rules) -> str:
    """A rule profile (JSON file at `path`) enabling only `rules`: a plan passes only when every enabled rule was
    checked, so a test whose data cannot feed a rule (no farmland layer, no floor loads) switches it off."""
    import json

    path.write_text(json.dumps({"upstairs": {"rules": list(rules)}}), encoding="utf-8")
    return str(path)


def without_layer_rules():
    """Every rule but the three that need a constraint layer (farmland, red line, development boundary)."""
    from land_bureau_plugin.analysis.upstairs_rules import RULE_IDS

    return [r for r in RULE_IDS if r not in ("farmland", "redline", "urban_boundary")]
