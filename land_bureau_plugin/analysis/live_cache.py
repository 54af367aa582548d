"""What the live checkers' caches (upstairs_live.LivePlans, efficiency_live.LiveParcels) share: a layer's rows kept
by feature id and brought up to date with the rows an edit read again."""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_object_dtype


def object_array(geometries) -> np.ndarray:
    """The geometries as a 1-d object array (numpy would make a 2-d array of a list of shapely parts)."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return array


def upsert(cache, rows):
    """`cache` (DataFrame or Series by feature id, unique) with `rows` in it: rows it has are replaced in place, the
    others appended last (a frame's in the cache's columns; a column of `rows` the cache lacks is added, empty for
    the cache's other rows). A cache column whose dtype cannot hold the rows' values as they are (a text such as
    "1.5%" for a float64 column) becomes an object column first: pandas refuses to upcast on assignment (a
    FutureWarning in pandas 2, an error in pandas 3). The live caches are object columns throughout: their rows are
    written in one assignment by position, not a `.loc` per column (an edit's cost, not the layer's)."""
    positions = cache.index.get_indexer(rows.index)
    known = positions >= 0
    if known.any():
        where = positions[known]
        if isinstance(rows, pd.DataFrame):
            for column in rows.columns:
                if column not in cache.columns:
                    cache[column] = pd.Series(np.nan, index=cache.index, dtype=object)
                elif not _holds(cache[column].dtype, rows[column].dtype):
                    cache[column] = cache[column].astype(object)
            targets = cache.columns.get_indexer(rows.columns)
            if all(is_object_dtype(cache.dtypes.iloc[j]) for j in targets):
                cache.iloc[where, targets] = rows.to_numpy(dtype=object)[known]
            else:
                for j, column in zip(targets, rows.columns):
                    cache.iloc[where, j] = rows[column].to_numpy()[known]
        else:
            if not _holds(cache.dtype, rows.dtype):
                cache = cache.astype(object)
            cache.iloc[where] = rows.to_numpy()[known]
    if (~known).any():
        added = rows[~known]
        if isinstance(rows, pd.DataFrame):
            added = added.reindex(columns=cache.columns)
        cache = pd.concat([cache, added])
    return cache


def _holds(kept, given) -> bool:
    """Whether a column of dtype `kept` takes values of dtype `given` as they are: object takes anything, a numeric
    column numbers that cast to it safely (an int into a float column; not a bool, not a float into an int)."""
    if is_object_dtype(kept) or kept == given:
        return True
    return (isinstance(kept, np.dtype) and isinstance(given, np.dtype) and kept.kind in "iuf"
            and given.kind in "iuf" and np.can_cast(given, kept, "safe"))
