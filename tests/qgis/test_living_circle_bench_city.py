"""The living circle bench's generated city (tests/bench/living_circle_bench.py) gives a meaningful COVERAGE: its
facilities stand where a city plans them, so the share of residents with all eleven basic types within walking
distance is neither 0 (as with 1,000 facilities scattered independently over the whole grid: each 5-minute type
reached 5 % of residents, all eleven together nobody) nor everyone."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def test_the_bench_city_has_every_type_and_a_coverage_between_none_and_all():
    import living_circle_bench as bench

    from land_bureau_plugin.analysis.living_circle_rules import DEFAULT_RULES

    data = bench.city(8000, 2000, 400, np.random.default_rng(16))
    _roads, _classes, _units, households, facilities, types, districts = data
    assert set(types) == set(bench.TYPES) and 300 <= len(facilities) <= 500  # about the count asked for
    assert {f"{k}区" for k in range(1, 7)} <= set(districts) and "郊野" in set(districts)
    *_, kinds, multi, _built, _searched = bench.engine(data, DEFAULT_RULES)
    weights = households.astype(float)
    every = np.ones(len(weights), dtype=bool)
    for kind, distance in multi.items():
        covered = distance <= DEFAULT_RULES.distance(kind)
        share = (weights * covered).sum() / weights.sum()
        assert 0.2 < share < 0.9, (kind, share)
        every &= covered
    joint = (weights * every).sum() / weights.sum()
    assert 0.02 < joint < 0.6, joint
