"""Text in the plugin's frames is the same on every pandas: object columns, None where a value is missing.

pandas 3 (what OSGeo4W, the QGIS installers and Debian move to) infers its `str` dtype for text, where a missing
value is NaN — a float, which `value is None` takes for a value, `str()` turns into the text "nan" and `.lower()`
fails on. pandas 1.5 and 2 keep such columns as objects with None. The layer readers build their frames through
`frame_of`, so the analyses read the same columns on both; code that meets text that went through pandas since
(`Series.map`, `where`, `concat` make `str` columns again on pandas 3) asks `is_missing`, never `is None`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def frame_of(data: dict, index, columns=None) -> pd.DataFrame:
    """pd.DataFrame(data, index=index, columns=columns), each object array of `data` kept an object column as it
    is (its None stays None; pandas 3 would make a column of text and None a `str` column of text and NaN)."""
    index = index if isinstance(index, pd.Index) else pd.Index(index)
    kept = {name: pd.Series(values, index=index, dtype=object, copy=False)
            if isinstance(values, np.ndarray) and values.dtype == object else values
            for name, values in data.items()}
    return pd.DataFrame(kept, index=index, columns=columns)


def is_missing(value) -> bool:
    """A missing scalar as pandas has it on any version: None, NaN (a missing text of pandas 3's `str` columns),
    NaT or pd.NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)
