"""不动产 宗地 tables give an area's unit in a field of its own (面积单位 MJDW): a code of the registry database's
dictionary (1 平方米, 2 亩, 3 公顷) or the unit written out, per feature."""
import numpy as np
import pytest

from land_bureau_plugin.analysis.field_units import area_unit_factor, area_unit_field, in_area_units

MU = 10000 / 15


@pytest.mark.parametrize("unit, factor", [("1", 1.0), ("2", MU), ("3", 10000.0), (2, MU), (3.0, 10000.0),
                                          ("亩", MU), ("公顷", 10000.0), ("㎡", 1.0), ("", 1.0), (None, 1.0),
                                          ("9", None), ("米", None)])
def test_each_unit_value_gives_its_factor_to_square_metres(unit, factor):
    assert area_unit_factor(unit) == (pytest.approx(factor) if factor else None)


def test_areas_are_converted_row_by_row_and_an_unknown_unit_is_left_for_the_readers_to_name():
    values = np.array([8000.0, 12.0, 0.8, "12", None, 12.0], dtype=object)
    out = in_area_units(values, ["1", "2", "3", "亩", "2", "9"], "MJDW")
    assert out[:4].tolist() == pytest.approx([8000.0, 12 * MU, 8000.0, 12 * MU])
    assert out[4] is None and out[5] == "12.0 (MJDW=9)"


def test_the_unit_field_applies_only_to_area_fields_without_a_unit_in_their_name():
    fields = ["ZDDM", "ZDMJ", "MJDW"]
    assert area_unit_field(fields, {"area_m2": "ZDMJ"}) == "MJDW"
    assert area_unit_field(["宗地面积", "面积单位"], {"area_m2": "宗地面积"}) == "面积单位"
    assert area_unit_field(["用地面积（亩）", "MJDW"], {"declared_area": "用地面积（亩）"}) is None  # the name says
    assert area_unit_field(["ZDMJ"], {"area_m2": "ZDMJ"}) is None
    assert area_unit_field(fields, {"far": "RJL"}) is None
