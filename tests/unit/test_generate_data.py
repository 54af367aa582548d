"""scripts/generate_data.py: determinism, geometry (no overlaps, shared edges), the article's case, and that the
demo holds every layer and every intended state. Plain pytest, no QGIS."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from osgeo import ogr

ogr.UseExceptions()
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_data.py"
BUNDLED_DEMO = ROOT / "resources" / "demo" / "demo.gpkg"
BUNDLED_DEMO_PARCELS = 2000  # the demo is made with: generate_data.py resources/demo/demo.gpkg --parcels 2000 --demo
DEMO_LAYERS = {
    "地块": {"地块编号", "YDXZ", "用地面积", "RJL", "税收", "产值", "能耗", "从业人数", "研发经费", "是否闲置",
           "权利人", "行政区"},
    "建筑": {"CS", "JZGD", "地块编号"},
    "征迁安置项目": {"项目编号", "项目名称", "征迁日期", "安置房开工日期", "安置房竣工日期", "完成安置日期", "户数",
                "安置地块编号", "行政区"},
    "安置地块": {"AZDKBH"},
    "工业上楼方案": {"方案编号", "申报面积", "建筑面积", "JZGD", "层数", "首层层高", "标准层层高", "首层荷载",
               "楼层荷载", "货梯载重", "配套面积", "行政区", "YDXZ"},
    "永久基本农田": set(),
    "生态保护红线": set(),
    "城镇开发边界": set(),
    "行政区划": {"行政区"},
    "供地宗地": {"电子监管号", "项目名称", "行政区", "供应面积", "合同签订日期", "约定开工时间", "约定竣工时间",
             "实际开工时间", "实际竣工时间", "停工日期", "已开发面积", "总投资(万元)", "已完成投资(万元)",
             "成交价款(万元)", "政府原因", "闲置原因"},
    "报批批次": {"批次编号", "批次名称", "批准日期", "行政区"},
    "居住单元": {"小区名称", "户数", "行政区"},
    "公共服务设施": {"设施名称", "设施类型"},
    "道路中心线": {"道路等级"},
}


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the classes are created
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def read_layer(path, name) -> tuple[list[dict], np.ndarray]:
    """Attribute rows and shapely geometries of one layer, in fid order."""
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName(name)
    rows, wkb = [], []
    for feature in layer:
        rows.append(feature.items())
        geometry = feature.GetGeometryRef()
        wkb.append(bytes(geometry.ExportToWkb()) if geometry is not None else None)
    return rows, shapely.from_wkb(wkb)


def layer_names(path) -> list[str]:
    ds = ogr.Open(str(path))
    return [ds.GetLayerByIndex(i).GetName() for i in range(ds.GetLayerCount())]


def column(rows: list[dict], name: str) -> np.ndarray:
    return np.array([row[name] for row in rows], dtype=object)


def generate(path, parcels, seed=7, demo=True):
    return gen.generate(str(path), parcels, seed=seed, demo=demo, log=lambda *_: None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    return path, generate(path, 600)


@pytest.fixture(scope="module")
def demo_parcels(demo):
    return read_layer(demo[0], "地块")


@pytest.fixture(scope="module")
def demo_buildings(demo):
    return read_layer(demo[0], "建筑")


@pytest.fixture(scope="module")
def benchmark(tmp_path_factory):
    path = tmp_path_factory.mktemp("benchmark") / "benchmark.gpkg"
    generate(path, 2000, demo=False)
    return path


def assert_same_content(first, second, tolerance: float = 0.0):
    """Same layers, rows and geometries: byte for byte, or (with a tolerance) the same vertices within `tolerance`
    metres once put in a canonical order (shapely.normalize: another GEOS may start a ring elsewhere)."""
    assert layer_names(first) == layer_names(second)
    for name in layer_names(first):
        rows_a, geoms_a = read_layer(first, name)
        rows_b, geoms_b = read_layer(second, name)
        assert rows_a == rows_b, name
        if tolerance:
            assert len(geoms_a) == len(geoms_b), name
            same = shapely.equals_exact(shapely.normalize(geoms_a), shapely.normalize(geoms_b), tolerance)
            assert (same | (shapely.is_missing(geoms_a) & shapely.is_missing(geoms_b))).all(), name
        else:
            assert shapely.to_wkb(geoms_a).tolist() == shapely.to_wkb(geoms_b).tolist(), name


# Determinism ----------------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_data(demo, tmp_path):
    again = tmp_path / "again.gpkg"
    generate(again, 600)
    assert_same_content(demo[0], again)


def test_another_seed_gives_other_parcels(demo_parcels, tmp_path):
    other = tmp_path / "other.gpkg"
    generate(other, 600, seed=8, demo=False)
    rows, geometries = read_layer(other, "地块")
    assert len(rows) == 600
    assert not shapely.equals_exact(geometries, demo_parcels[1], 0.01).all()


def test_bundled_demo_is_what_the_script_makes(tmp_path):
    assert BUNDLED_DEMO.stat().st_size <= 5_000_000
    fresh = tmp_path / "demo.gpkg"
    generate(fresh, BUNDLED_DEMO_PARCELS, seed=gen.DEFAULT_SEED)
    # made on another machine: another GEOS (Debian 13's 3.13, unstable's 3.15) moves the odd vertex by 1e-10 m or
    # starts a ring at another vertex
    assert_same_content(BUNDLED_DEMO, fresh, tolerance=1e-6)


# Parcels and buildings ------------------------------------------------------------------------------------------


def test_benchmark_mode_writes_exactly_the_parcels_asked_for_and_their_buildings(benchmark):
    assert layer_names(benchmark) == ["地块", "建筑"]
    rows, geometries = read_layer(benchmark, "地块")
    assert len(rows) == 2000
    assert set(shapely.get_type_id(geometries)) == {shapely.GeometryType.POLYGON}
    assert len(set(column(rows, "地块编号"))) == 2000


def test_parcels_do_not_overlap(benchmark):
    _, geometries = read_layer(benchmark, "地块")
    assert shapely.is_valid(geometries).all()
    areas = shapely.area(geometries)
    assert shapely.area(shapely.union_all(geometries)) == pytest.approx(areas.sum(), rel=1e-9)


def test_neighbouring_parcels_share_boundaries_exactly(benchmark):
    """Edges are shared vertex for vertex, so clusters of adjacent parcels (并宗再开发) exist."""
    _, geometries = read_layer(benchmark, "地块")
    left, right = shapely.STRtree(geometries).query(geometries, predicate="touches")
    pairs = left < right
    shared = shapely.length(shapely.intersection(geometries[left[pairs]], geometries[right[pairs]]))
    assert (shared > 5).sum() > len(geometries)  # more shared edges than parcels: blocks of 1..24 parcels
    edges = {tuple(sorted(map(tuple, np.round(ring[i:i + 2], 6)))) for ring in
             (shapely.get_coordinates(g) for g in geometries) for i in range(len(ring) - 1)}
    ring_edges = sum(shapely.get_num_coordinates(geometries) - 1)
    assert len(edges) < ring_edges - len(geometries)  # many identical edges appear twice


def test_declared_area_is_close_to_the_geometry(demo_parcels):
    rows, geometries = demo_parcels
    ratio = column(rows, "用地面积").astype(float) / shapely.area(geometries)
    assert np.abs(ratio - 1).max() <= 0.005 + 1e-9


def test_parcel_attributes_are_plausible(demo_parcels):
    rows, _ = demo_parcels
    uses = column(rows, "YDXZ")
    industrial = np.isin(uses, gen.ENTERPRISE)
    assert industrial.mean() > 0.6 and {"0701", "0901"} <= set(uses)
    idle = column(rows, "是否闲置").astype(int)
    assert 0.005 < idle.mean() < 0.06
    far = np.array([np.nan if v is None else v for v in column(rows, "RJL")], dtype=float)
    low_far = (far[industrial & ~np.isnan(far)] < 1.0).mean()
    assert 0.2 < low_far < 0.5
    assert set(column(rows, "行政区")) == set(gen.DISTRICT_NAMES)
    assert all(owner.endswith(("有限公司", "工业园")) for owner in column(rows, "权利人"))


def test_article_case_parcel_has_far_0_8(demo_parcels, demo_buildings):
    rows, geometries = demo_parcels
    case = list(column(rows, "地块编号")).index("XS-CASE-001")
    assert rows[case]["权利人"] == "萧山某村工业园"
    assert shapely.area(geometries[case]) == pytest.approx(29412, abs=1)
    b_rows, b_geometries = demo_buildings
    mine = column(b_rows, "地块编号") == "XS-CASE-001"
    floor_area = (shapely.area(b_geometries[mine]) * column(b_rows, "CS")[mine].astype(float)).sum()
    assert floor_area == pytest.approx(23529.6, abs=0.01)
    assert floor_area / shapely.area(geometries[case]) == pytest.approx(0.8, abs=1e-6)
    assert shapely.within(b_geometries[mine], geometries[case]).all()


def test_about_one_and_a_half_buildings_per_parcel_some_straddling(benchmark):
    parcel_rows, parcels = read_layer(benchmark, "地块")
    rows, buildings = read_layer(benchmark, "建筑")
    assert 1.4 < len(buildings) / len(parcels) < 1.6
    assert shapely.is_valid(buildings).all()
    tree = shapely.STRtree(parcels)
    inside = np.unique(tree.query(buildings, predicate="within")[0])
    assert 0.9 < len(inside) / len(buildings) < 0.97
    b, p = tree.query(buildings, predicate="intersects")
    overlap = shapely.area(shapely.intersection(buildings[b], parcels[p]))
    parcels_hit = np.bincount(b[overlap > 1.0], minlength=len(buildings))
    assert 0.03 < (parcels_hit == 2).mean() < 0.07
    assert parcels_hit.max() == 2
    with_buildings = np.zeros(len(parcels), bool)
    with_buildings[p[overlap > 1.0]] = True
    assert column(parcel_rows, "是否闲置")[~with_buildings].astype(int).sum() > 0  # idle parcels stay empty
    first, second = shapely.STRtree(buildings).query(buildings, predicate="intersects")
    pairs = first < second
    assert (shapely.area(shapely.intersection(buildings[first[pairs]], buildings[second[pairs]])) < 1e-6).all()


def designed(parcels: int, low_share=None, seed: int = 7):
    grid = gen.plan_grid(parcels, seed, False)
    layout = gen.build_parcels(grid, parcels, seed)
    return grid, layout, gen.design_parcels(grid, layout, seed, low_share)


def test_low_share_sets_the_share_of_low_efficiency_enterprise_parcels():
    grid, layout, usual = designed(20_000)
    enterprise = np.isin(usual.land_use, gen.ENTERPRISE)
    assert 0.2 < usual.low[enterprise].mean() < 0.4  # the usual city: ~30 %
    old = grid.old.ravel()[layout.cell]
    for share in (0.1, 0.7):
        _, _, design = designed(20_000, share)
        assert abs(design.low[enterprise].mean() - share) < 0.02
        assert design.low[enterprise & old].mean() > design.low[enterprise & ~old].mean()  # still densest in old areas
        assert (design.land_use == usual.land_use).all()  # the same city, other parcels low-efficiency
    assert (designed(20_000, 0.7)[2].low >= usual.low).all()  # a denser city flags every parcel the usual one does


def test_low_share_none_is_the_usual_city():
    chances = np.array([0.7, 0.08, 0.08, 0.7])
    enterprise = np.array([True, True, False, True])
    assert gen.low_chances(chances, enterprise, None) is chances
    moved = gen.low_chances(chances, enterprise, 0.9)
    assert moved[enterprise].mean() == pytest.approx(0.9)
    assert (moved >= chances).all() and (np.diff(moved[[1, 0]]) > 0).all()
    assert gen.low_chances(chances, enterprise, 0.0)[enterprise].max() == 0.0
    with pytest.raises(ValueError):
        gen.low_chances(chances, enterprise, 1.5)


def test_low_share_on_the_command_line(tmp_path):
    usual, dense = tmp_path / "usual.gpkg", tmp_path / "dense.gpkg"
    for path, extra in ((usual, []), (dense, ["--low-share", "0.7"])):
        subprocess.run([sys.executable, str(SCRIPT), str(path), "--parcels", "3000", *extra], check=True,
                       capture_output=True)
    rows_usual, geoms_usual = read_layer(usual, "地块")
    rows_dense, geoms_dense = read_layer(dense, "地块")
    assert shapely.to_wkb(geoms_usual).tolist() == shapely.to_wkb(geoms_dense).tolist()
    enterprise = np.isin(column(rows_usual, "YDXZ"), gen.ENTERPRISE)
    far_usual, far_dense = (column(rows, "RJL")[enterprise].astype(float) for rows in (rows_usual, rows_dense))
    assert (far_dense < 1.0).mean() > (far_usual < 1.0).mean() + 0.25  # low FAR is what low-efficiency parcels get
    bad = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "bad.gpkg"), "--parcels", "100",
                          "--low-share", "2"], capture_output=True, text=True)
    assert bad.returncode != 0 and "--low-share" in bad.stderr


def test_building_storeys_and_heights_have_the_promised_gaps(demo_buildings):
    rows, _ = demo_buildings
    storeys, height = column(rows, "CS"), column(rows, "JZGD")
    known = np.array([s is not None and h is not None for s, h in zip(storeys, height)])
    assert 0.005 < np.mean([s is None for s in storeys]) < 0.04
    assert 0.02 < np.mean([h is None for h in height]) < 0.09
    assert any(s is None and h is not None for s, h in zip(storeys, height))
    per_storey = height[known].astype(float) / storeys[known].astype(float)
    assert per_storey.min() >= 3.4 and per_storey.max() <= 4.6
    assert set(storeys[known].astype(int)) <= set(range(1, 13))


# Demo layers ----------------------------------------------------------------------------------------------------


def test_demo_has_every_layer_with_its_fields(demo):
    path = demo[0]
    assert set(layer_names(path)) == set(DEMO_LAYERS)
    ds = ogr.Open(str(path))
    for name, fields in DEMO_LAYERS.items():
        layer = ds.GetLayerByName(name)
        definition = layer.GetLayerDefn()
        names = {definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())}
        assert fields <= names, name
        assert layer.GetSpatialRef().GetAuthorityCode(None) == "4549"
        assert layer.GetFeatureCount() > 0
    counts = {name: ds.GetLayerByName(name).GetFeatureCount() for name in DEMO_LAYERS}
    assert counts["征迁安置项目"] == 36 and counts["工业上楼方案"] == 24 and counts["行政区划"] == 6
    assert counts["城镇开发边界"] == 1 and counts["永久基本农田"] == 200 and 25 <= counts["安置地块"] <= 32


def test_districts_tile_the_area_and_match_parcel_attributes(demo, demo_parcels):
    rows, districts = read_layer(demo[0], "行政区划")
    assert set(shapely.get_type_id(districts)) == {shapely.GeometryType.POLYGON}
    extent = shapely.box(*shapely.total_bounds(districts))
    assert shapely.area(districts).sum() == pytest.approx(shapely.area(extent), rel=1e-9)
    assert shapely.area(shapely.union_all(districts)) == pytest.approx(shapely.area(extent), rel=1e-9)
    by_name = dict(zip(column(rows, "行政区"), districts))
    parcel_rows, parcels = demo_parcels
    assert shapely.within(parcels, [by_name[d] for d in column(parcel_rows, "行政区")]).all()


def test_urban_boundary_is_one_detailed_polygon(demo):
    _, (boundary,) = read_layer(demo[0], "城镇开发边界")
    assert boundary.geom_type == "Polygon" and shapely.get_num_coordinates(boundary) >= 2000


def test_projects_cover_every_state_of_every_milestone(demo):
    """The plugin's own evaluation on the fixed as-of date gives the state each project was made for."""
    pd = pytest.importorskip("pandas")
    from land_bureau_plugin.analysis.resettlement import STATUSES, evaluate

    rows, _ = read_layer(demo[0], "征迁安置项目")
    projects = pd.DataFrame({
        "project_id": column(rows, "项目编号"), "expropriation_date": column(rows, "征迁日期"),
        "housing_start_date": column(rows, "安置房开工日期"), "housing_complete_date": column(rows, "安置房竣工日期"),
        "resettled_date": column(rows, "完成安置日期"), "households": column(rows, "户数")})
    result = evaluate(projects, gen.AS_OF)
    statuses = result[["start_status", "complete_status", "resettle_status"]].apply(tuple, axis=1).tolist()
    assert statuses == [case.expected for case in gen.PROJECT_CASES]
    for milestone in ("start", "complete", "resettle"):
        assert set(result[f"{milestone}_status"]) == set(STATUSES)
        open_days = result.loc[result[f"{milestone}_status"] == "due_soon", f"{milestone}_days"]
        assert (open_days <= 90).any() and (open_days > 90).any()  # orange and yellow
    assert set(result["grade"]) == {"green", "yellow", "orange", "red", "grey"}
    assert result["overdue_households"].sum() > 0


def test_supplied_parcels_cover_every_state_and_batches_every_supply(demo):
    """The plugin's own judgement on the fixed as-of date gives the state each supplied parcel was made for; the
    batches are partly, wholly and not at all supplied, against a brute-force shapely union."""
    pd = pytest.importorskip("pandas")
    from land_bureau_plugin.analysis.land_supply import evaluate
    from land_bureau_plugin.analysis.land_supply_batches import unsupplied
    from land_bureau_plugin.analysis.land_supply_text import STATUSES

    rows, parcels = read_layer(demo[0], "供地宗地")
    names = {"电子监管号": "parcel_id", "合同签订日期": "supply_date", "约定开工时间": "agreed_start_date",
             "约定竣工时间": "agreed_complete_date", "实际开工时间": "start_date", "实际竣工时间": "complete_date",
             "停工日期": "stopped_date", "供应面积": "area_m2", "已开发面积": "developed_area",
             "总投资(万元)": "planned_investment", "已完成投资(万元)": "completed_investment",
             "成交价款(万元)": "land_price", "政府原因": "government_delay", "闲置原因": "delay_reason"}
    frame = pd.DataFrame({canonical: column(rows, name) for name, canonical in names.items()})
    result = evaluate(frame, gen.AS_OF)
    cases = gen.SUPPLY_CASES
    assert result["supply_status"].tolist()[:len(cases)] == [case.expected for case in cases]
    assert set(result["supply_status"]) == set(STATUSES)
    assert set(result["grade"]) == {"green", "yellow", "orange", "red", "grey"}
    batch_rows, batches = read_layer(demo[0], "报批批次")
    table = unsupplied(batches, pd.DataFrame({"batch_id": column(batch_rows, "批次编号"),
                                              "approval_date": column(batch_rows, "批准日期")}),
                       parcels, gen.AS_OF).table
    supply = shapely.union_all(parcels[~shapely.is_missing(parcels)])
    left = [batch.difference(supply).area for batch in batches]
    assert table["unsupplied_m2"].tolist() == pytest.approx(left, abs=0.1)
    shares = [(a - u) / a for a, u in zip(table["approved_m2"], table["unsupplied_m2"])]
    assert min(shares) == 0 and max(shares) == pytest.approx(1, abs=1e-3) and any(0.2 < s < 0.8 for s in shares)
    assert table["grade"].tolist() == ["red", "green", "orange", "yellow", "green", "grey"]


def test_project_data_errors_and_plot_links(demo):
    rows, points = read_layer(demo[0], "征迁安置项目")
    ids = column(rows, "项目编号")
    assert len(ids) - len(set(ids)) == 1
    assert (column(rows, "户数").astype(int) < 0).sum() == 1
    dates = " ".join(str(v) for name in ("征迁日期", "安置房开工日期", "安置房竣工日期", "完成安置日期")
                     for v in column(rows, name))
    assert all(marker in dates for marker in ("-", "/", "年", "2021-13-45", "2024年2月29日"))
    assert "44256" in set(column(rows, "征迁日期"))
    plot_rows, plots = read_layer(demo[0], "安置地块")
    plot_ids = dict(zip(column(plot_rows, "AZDKBH"), plots))
    codes = column(rows, "安置地块编号")
    assert sum(code is None for code in codes) == 2
    assert sum(code is not None and code not in plot_ids for code in codes) == 3
    linked = [i for i, code in enumerate(codes) if code in plot_ids]
    assert max(shapely.distance(points[i], plot_ids[codes[i]]) for i in linked) < 1000


def test_plans_break_exactly_the_rules_they_are_meant_to(demo):
    """A compact re-statement of the default upstairs rules, applied to every plan."""
    path, intended = demo
    rows, plans = read_layer(path, "工业上楼方案")
    farmland = shapely.union_all(read_layer(path, "永久基本农田")[1])
    redline = shapely.union_all(read_layer(path, "生态保护红线")[1])
    boundary = read_layer(path, "城镇开发边界")[1][0]
    expected = {plan_id: set(rules) for plan_id, rules, _ in intended["plans"]}
    assert sum(not rules for rules in expected.values()) >= 12
    for k, row in enumerate(rows):
        area = shapely.area(plans[k])
        others = shapely.union_all(np.delete(plans, k))
        missing = {f"missing:{name}" for name, key in (("ground_floor_load", "首层荷载"),) if row[key] is None}
        checks = {
            "far": row["建筑面积"] / area < 2.0,
            "height": not 24 < row["JZGD"] <= 100,
            "floors": row["层数"] < 4,
            "ground_floor_height": row["首层层高"] < 6.0,
            "upper_floor_height": row["标准层层高"] < 4.5,
            "ground_floor_load": row["首层荷载"] is not None and row["首层荷载"] < 10,
            "upper_floor_load": row["楼层荷载"] < 6.5,
            "lift_capacity": row["货梯载重"] < 3,
            "support_floor_share": row["配套面积"] > 0.15 * row["建筑面积"],
            "support_land_share": row["配套用地面积"] > 0.07 * area,
            "area_match": abs(row["申报面积"] / area - 1) > 0.01,
            "farmland": shapely.area(shapely.intersection(plans[k], farmland)) >= 1.0,
            "redline": shapely.area(shapely.intersection(plans[k], redline)) >= 1.0,
            "urban_boundary": area - shapely.area(shapely.intersection(plans[k], boundary)) >= 1.0,
            "industrial_land": row["YDXZ"] not in gen.INDUSTRIAL,
            "plan_overlap": shapely.area(shapely.intersection(plans[k], others)) >= 1.0,
        }
        broken = {rule for rule, fails in checks.items() if fails} | missing
        assert broken == expected[row["方案编号"]], row["方案编号"]
    assert any(shapely.touches(plan, farmland) for plan in plans)  # touching, not overlapping, must pass


def test_cli_prints_timing_and_tables(tmp_path):
    """The command line, under the interpreter QGIS uses as well when it is there."""
    interpreters = [sys.executable]
    env = dict(os.environ)
    if Path("/usr/bin/python3").exists() and (ROOT / "build" / "pyuser").exists():
        interpreters.append("/usr/bin/python3")
        env["PYTHONUSERBASE"] = str(ROOT / "build" / "pyuser")
    for n, interpreter in enumerate(interpreters):
        out = tmp_path / f"cli{n}.gpkg"
        result = subprocess.run([interpreter, str(SCRIPT), str(out), "--parcels", "500", "--demo", "--seed", "3"],
                                capture_output=True, text=True, env=env, check=True)
        assert "total" in result.stdout and "ZQ-2019-001" in result.stdout and "GYSL-024" in result.stdout
        assert out.exists()
    if len(interpreters) == 2:
        assert_same_content(tmp_path / "cli0.gpkg", tmp_path / "cli1.gpkg")


def test_demo_needs_enough_parcels(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path / "small.gpkg", 50)
