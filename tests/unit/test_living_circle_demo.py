"""The bundled demo's living circle (resources/demo/demo.gpkg: 居住单元, 公共服务设施, 道路中心线, made by
scripts/generate_data.py --demo) shows what the panel and the print must show: units fully covered and units with
gaps, the expressway not walked, the digitising gap joined, the settlement without road access, the facility of an
unknown type — measured by the analysis itself, the layers read with GDAL."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from osgeo import ogr

from land_bureau_plugin.analysis import living_circle as lc
from land_bureau_plugin.analysis.living_circle_rules import LivingCircleRules
from land_bureau_plugin.rules.profile import load_profile, section

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.gpkg"
RULES = section(load_profile(), "living_circle", LivingCircleRules)


def read(name, fields):
    source = ogr.Open(str(DEMO))  # kept while its layer is read: GDAL frees the layer with its data source
    layer = source.GetLayerByName(name)
    geometries, rows = [], []
    for feature in layer:
        geometries.append(shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb())))
        rows.append({field: feature.GetField(field) for field in fields})
    return np.array(geometries, dtype=object), pd.DataFrame(rows)


@pytest.fixture(scope="module")
def run():
    homes, home_rows = read("居住单元", ["小区名称", "户数", "行政区"])
    places, place_rows = read("公共服务设施", ["设施名称", "设施类型"])
    roads, road_rows = read("道路中心线", ["道路等级"])
    frame = home_rows.rename(columns={"户数": "households", "行政区": "district"})
    kinds = lc.facility_types(place_rows["设施类型"], RULES)
    walk = lc.walkable(road_rows["道路等级"], RULES)
    return lc.evaluate(homes, frame, places, kinds.kind, roads[walk], RULES), home_rows, kinds, walk, road_rows


def test_the_demo_has_covered_units_and_gaps(run):
    result = run[0]
    basic = result.table["basic_covered"]
    assert basic.sum() >= 1 and (basic == 0).sum() >= 50
    shares = lc.summarise(result, RULES)["city"]["shares"]
    assert all(0 < shares[kind] < 1 for kind in RULES.types)  # every type partly covered: a chart worth reading


def test_the_demo_shows_each_input_problem(run):
    result, homes, kinds, walk, roads = run
    settlement = homes.index[homes["小区名称"] == "河头村安置点"]
    assert list(result.no_access) == list(settlement)
    assert "no road access" in result.table.loc[settlement[0], "reasons"]
    assert list(kinds.unknown) == ["洗浴中心"]
    assert not walk[(roads["道路等级"] == "快速路").to_numpy()].any() and (~walk).sum() == 1
    assert result.network.snapped_ends == 2 and result.network.components == 1  # the 0.8 m gap joined
