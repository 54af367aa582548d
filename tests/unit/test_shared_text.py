"""Text columns of the columnar reader: a column that repeats its values holds one object per value
(qgis_bridge.columnar.shared_repeats) — the same strings, a fraction of the memory at a million rows."""
import numpy as np
import pytest

from land_bureau_plugin.qgis_bridge.columnar import SHARING_SAMPLE, shared_repeats


def column(values):
    out = np.empty(len(values), dtype=object)
    out[:] = ["".join(list(v)) if isinstance(v, str) else v for v in values]  # a fresh object per row
    return out


def test_repeated_values_become_one_object_each():
    texts = column(["萧山区", "滨江区", None, "萧山区", "", "滨江区", ""] * 100)
    shared = shared_repeats(texts)
    assert shared.tolist() == texts.tolist()
    assert shared.dtype == object and shared[9] is None
    assert len({id(v) for v in shared if v is not None}) == 3  # 萧山区, 滨江区 and ""
    assert len({id(v) for v in texts if v is not None}) > 3


@pytest.mark.parametrize("distinct, shared", [(SHARING_SAMPLE // 2, True), (SHARING_SAMPLE // 2 + 1, False)])
def test_the_sample_decides_at_half_distinct(distinct, shared):
    """At most half of the first SHARING_SAMPLE values distinct: shared; one more: left as it is (ids)."""
    values = [f"P{i % distinct}" for i in range(SHARING_SAMPLE)] + ["P0"] * 10
    texts = column(values)
    out = shared_repeats(texts)
    assert out.tolist() == values
    assert (out is not texts) is shared
    assert (out[0] is out[SHARING_SAMPLE]) is shared


@pytest.mark.parametrize("values", [[], ["only"], [None, None, None], [None, "a", None, "a"]])
def test_short_and_empty_columns(values):
    texts = column(values)
    assert shared_repeats(texts).tolist() == values


def test_the_judgement_shares_the_parcels_columns():
    """evaluate works on the parcels by position without copying their columns (reset_index copied ~110 MB at a
    million parcels), and leaves the caller's frame — index and values — as it was."""
    import pandas as pd

    from land_bureau_plugin.analysis.efficiency import positional

    frame = pd.DataFrame({"far": [0.5, 1.2, np.nan], "district": ["甲", "乙", None]},
                         index=pd.Index([7, 3, 9], name="fid"))
    before = frame.copy()
    table = positional(frame)
    assert table.index.equals(pd.RangeIndex(3)) and table.columns.tolist() == ["far", "district"]
    assert np.shares_memory(table["far"].to_numpy(), frame["far"].to_numpy())
    pd.testing.assert_frame_equal(frame, before)
