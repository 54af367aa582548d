"""Merge clusters (并宗再开发) on the generator's city against a brute force computed independently: every pair of
low-efficiency parcels whose boxes overlap, measured one by one with shapely (the part of one's boundary on or in
the other), joined by a plain union-find in Python, numbered by total area, largest first."""
import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from osgeo import ogr

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("generate_data", ROOT / "scripts" / "generate_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("city") / "city.gpkg"
    module.generate(str(path), 2000, demo=False, log=lambda *_: None)
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayerByName("地块")
    return shapely.from_wkb([bytes(f.GetGeometryRef().ExportToWkb()) for f in layer])


def brute_force(geoms, low, area, min_length):
    flagged = [i for i in range(len(geoms)) if low[i]]
    parent = {i: i for i in flagged}

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    bounds = shapely.bounds(geoms)
    for a, i in enumerate(flagged):
        for j in flagged[a + 1:]:
            (x0, y0, x1, y1), (u0, v0, u1, v1) = bounds[i], bounds[j]
            if x1 < u0 or u1 < x0 or y1 < v0 or v1 < y0:
                continue
            if shapely.intersection(geoms[i].boundary, geoms[j]).length >= min_length:
                ri, rj = root(i), root(j)
                parent[max(ri, rj)] = min(ri, rj)
    groups = {}
    for i in flagged:
        groups.setdefault(root(i), []).append(i)
    ranked = sorted((g for g in groups.values() if len(g) >= 2), key=lambda g: (-sum(area[k] for k in g), min(g)))
    expected = np.zeros(len(geoms), dtype=int)
    for number, group in enumerate(ranked, start=1):
        expected[group] = number
    return expected


@pytest.mark.parametrize("share, min_length", [(0.45, 5.0), (0.8, 5.0), (0.45, 60.0)])
def test_clusters_of_the_city_are_the_brute_force_ones(city, share, min_length):
    from land_bureau_plugin.analysis.efficiency import DEFAULT_RULES, _clusters
    from land_bureau_plugin.analysis.efficiency_spatial import LocalSpatial

    rng = np.random.default_rng(19)
    low = rng.random(len(city)) < share
    area = shapely.area(city)
    rules = dataclasses.replace(DEFAULT_RULES, cluster_min_shared_edge_m=min_length)
    found = _clusters(LocalSpatial(city), pd.Series(low), pd.Series(area), rules).to_numpy()
    expected = brute_force(city, low, area, min_length)
    assert found.max() > 10
    assert found.tolist() == expected.tolist()
