"""What pandas 3 changes under the analyses (analysis.frames): text columns of pandas' `str` dtype whose missing
values are NaN, read-only arrays from Series.to_numpy (Copy-on-Write). These tests hold on pandas 1.5, 2 and 3;
the matrix's sid-pandas3 entry runs the whole suite on pandas 3 (scripts/matrix.sh)."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis import living_circle as lc
from land_bureau_plugin.analysis.frames import frame_of, is_missing
from land_bureau_plugin.analysis.living_circle_rules import LivingCircleRules, code_key
from land_bureau_plugin.rules.profile import load_profile, section

RULES = section(load_profile(), "living_circle", LivingCircleRules)


def test_frame_of_keeps_text_as_objects_with_none():
    texts = np.array(["甲", None, "乙"], dtype=object)
    numbers = np.array([1.0, np.nan, 3.0])
    frame = frame_of({"name": texts, "area": numbers, "kind": "x"}, pd.Index([7, 8, 9], name="fid"),
                     columns=["name", "area", "kind"])
    assert frame["name"].dtype == object and frame["name"].tolist() == ["甲", None, "乙"]
    assert frame["area"].dtype == np.float64 and frame["area"].isna().tolist() == [False, True, False]
    assert frame["kind"].tolist() == ["x"] * 3 and frame.index.name == "fid" and list(frame.index) == [7, 8, 9]
    assert list(frame.columns) == ["name", "area", "kind"]


@pytest.mark.parametrize("value", [None, np.nan, float("nan"), np.float64("nan"), pd.NaT, pd.NA])
def test_missing_values_of_every_pandas(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", ["", "nan", "None", 0, 0.0, False, np.float64(0.0), dt.date(2026, 1, 1)])
def test_values_that_are_there(value):
    assert not is_missing(value)


def test_a_null_facility_type_is_no_type_not_the_code_nan():
    """A NULL type code is 'no type' (left out, named), never the unknown code 'nan': NaN is how pandas 3 holds a
    NULL of a text column, and how any pandas holds one of a numeric type field. Failed before: NaN → 'nan',
    reported as an unknown type code."""
    assert code_key(np.nan) == "" and code_key(None) == "" and code_key(3.0) == "3" and code_key(" nan ") == "nan"
    codes = pd.Series(["幼儿园", np.nan, "洗浴中心", None], index=[1, 2, 3, 4], dtype=object)
    found = lc.facility_types(codes, RULES)
    assert found.kind.tolist() == ["kindergarten", None, None, None]
    assert found.unknown.to_dict() == {3: "洗浴中心"}
    assert list(found.missing) == [2, 4]


UPCAST = "import pandas as pd\ncolumn = pd.Series([1.0, 2.0])\ncolumn[1] = '1.5%'\n"


def run_as(module: str, source: str) -> None:
    """Run `source` as code of module `module`: warnings are attributed to it as to any real module."""
    exec(compile(source, f"<{module}>", "exec"), {"__name__": module})


@pytest.mark.skipif(tuple(int(p) for p in pd.__version__.split(".")[:2]) < (2, 1),
                    reason="pandas before 2.1 upcasts without a word")
def test_a_pandas_future_warning_from_the_plugin_fails():
    """pytest.ini: pandas 2 warns (FutureWarning) where pandas 3 refuses (TypeError) — from the plugin's own code
    either fails the test; from other code pandas' warning is its business."""
    with pytest.raises((FutureWarning, TypeError)):
        run_as("land_bureau_plugin.analysis.probe", UPCAST)
    if pd.__version__ < "3":
        run_as("someone_elses_module", UPCAST)
