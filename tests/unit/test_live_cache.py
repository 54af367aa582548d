"""live_cache.upsert: the live checkers' caches take an edit's rows — replaced where they were, appended otherwise."""
import numpy as np
import pandas as pd
import shapely

from land_bureau_plugin.analysis.live_cache import object_array, upsert


def test_known_rows_replaced_in_place_new_rows_appended_in_the_caches_columns():
    cache = pd.DataFrame({"容积率": [1.0, 2.0], "名称": ["甲", "乙"]}, index=pd.Index([3, 7], name="fid"))
    rows = pd.DataFrame({"容积率": ["1.5%", 4.0], "名称": ["乙改", "丙"]}, index=pd.Index([7, 9], name="fid"))
    result = upsert(cache, rows)
    assert list(result.index) == [3, 7, 9]
    assert result.loc[7].tolist() == ["1.5%", "乙改"] and result.loc[9].tolist() == [4.0, "丙"]
    assert result.loc[3].tolist() == [1.0, "甲"]
    narrower = pd.DataFrame({"名称": ["丁"]}, index=pd.Index([11], name="fid"))
    result = upsert(result, narrower)
    assert list(result.columns) == ["容积率", "名称"] and pd.isna(result.loc[11, "容积率"])


def test_a_series_of_geometries():
    old, moved, added = shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6), shapely.box(9, 9, 10, 10)
    cache = pd.Series(object_array([old]), index=[1], dtype=object)
    result = upsert(cache, pd.Series(object_array([moved, added]), index=[1, 2], dtype=object))
    assert result.loc[1].equals(moved) and result.loc[2].equals(added) and len(result) == 2


def test_object_array_keeps_multipart_geometries_whole():
    parts = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])
    array = object_array([parts, None])
    assert array.shape == (2,) and array.dtype == np.dtype(object) and array[0] is parts
