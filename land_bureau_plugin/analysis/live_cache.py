"""What the live checkers' caches (upstairs_live.LivePlans, efficiency_live.LiveParcels) share: a layer's rows kept
by feature id and brought up to date with the rows an edit read again."""
from __future__ import annotations

import numpy as np
import pandas as pd


def object_array(geometries) -> np.ndarray:
    """The geometries as a 1-d object array (numpy would make a 2-d array of a list of shapely parts)."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return array


def upsert(cache, rows):
    """`cache` (DataFrame or Series by feature id) with `rows` in it: rows it has are replaced in place (column by
    column for a frame, as objects), the others appended last (a frame's in the cache's columns)."""
    known = rows.index.isin(cache.index)
    if known.any():
        index = rows.index[known]
        if isinstance(rows, pd.DataFrame):
            for column in rows.columns:
                cache.loc[index, column] = rows.loc[index, column].to_numpy(dtype=object)
        else:
            cache.loc[index] = rows.loc[index].to_numpy()
    if (~known).any():
        added = rows[~known]
        if isinstance(rows, pd.DataFrame):
            added = added.reindex(columns=cache.columns)
        cache = pd.concat([cache, added])
    return cache
