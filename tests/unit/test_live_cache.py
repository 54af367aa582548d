"""live_cache.upsert: the live checkers' caches take an edit's rows — replaced where they were, appended otherwise."""
import numpy as np
import pandas as pd
import pytest
import shapely

from land_bureau_plugin.analysis.live_cache import object_array, upsert


@pytest.mark.filterwarnings("error")  # pandas 2 warns where pandas 3 refuses: text into a float64 column
def test_known_rows_replaced_in_place_new_rows_appended_in_the_caches_columns():
    cache = pd.DataFrame({"容积率": [1.0, 2.0], "名称": ["甲", "乙"]}, index=pd.Index([3, 7], name="fid"))
    rows = pd.DataFrame({"容积率": ["1.5%", 4.0], "名称": ["乙改", "丙"]}, index=pd.Index([7, 9], name="fid"))
    result = upsert(cache, rows)
    assert list(result.index) == [3, 7, 9]
    assert result.loc[7].tolist() == ["1.5%", "乙改"] and result.loc[9].tolist() == [4.0, "丙"]
    assert result.loc[3].tolist() == [1.0, "甲"]
    assert result["容积率"].dtype == object  # the text made the float column an object column
    narrower = pd.DataFrame({"名称": ["丁"]}, index=pd.Index([11], name="fid"))
    result = upsert(result, narrower)
    assert list(result.columns) == ["容积率", "名称"] and pd.isna(result.loc[11, "容积率"])


@pytest.mark.filterwarnings("error")
def test_a_column_keeps_its_dtype_when_it_holds_the_values():
    cache = pd.DataFrame({"far": [1.0, 2.0], "floors": np.array([3, 4], dtype=np.int64)}, index=[1, 2])
    same = pd.DataFrame({"far": [2.5], "floors": np.array([6], dtype=np.int64)}, index=[2])
    result = upsert(cache, same)
    assert result.dtypes.tolist() == [np.float64, np.int64] and result.loc[2].tolist() == [2.5, 6]
    whole = pd.DataFrame({"far": np.array([7], dtype=np.int64), "floors": [5.5]}, index=[1])
    result = upsert(result, whole)  # an int fits the float column; a float does not fit the int one
    assert result["far"].dtype == np.float64 and result["floors"].dtype == object
    assert result.loc[1].tolist() == [7.0, 5.5] and result.loc[2].tolist() == [2.5, 6]
    text = pd.Series(["1.5%"], index=[2], dtype=object)
    series = upsert(pd.Series([1.0, 2.0], index=[1, 2]), text)
    assert series.dtype == object and series.tolist() == [1.0, "1.5%"]


def test_a_series_of_geometries():
    old, moved, added = shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6), shapely.box(9, 9, 10, 10)
    cache = pd.Series(object_array([old]), index=[1], dtype=object)
    result = upsert(cache, pd.Series(object_array([moved, added]), index=[1, 2], dtype=object))
    assert result.loc[1].equals(moved) and result.loc[2].equals(added) and len(result) == 2


def test_object_array_keeps_multipart_geometries_whole():
    parts = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])
    array = object_array([parts, None])
    assert array.shape == (2,) and array.dtype == np.dtype(object) and array[0] is parts
