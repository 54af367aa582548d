"""Who the low-efficiency analysis judges: the land use read in the layer's code system, never guessed, and never
everyone because the land use is missing (issue 11, items 2 and 3)."""
import dataclasses

import pandas as pd
import pytest

from land_bureau_plugin.analysis import efficiency
from land_bureau_plugin.analysis.efficiency import EfficiencyRules, LandUseSystemError, summarise

DEFAULT = EfficiencyRules()


def judge(land_use, rules: EfficiencyRules = DEFAULT, **columns) -> pd.DataFrame:
    """Every parcel 1000 m² at FAR 0.2 (below every minimum) and idle: each one in scope is flagged."""
    frame = pd.DataFrame({"land_use": pd.Series(land_use, dtype=object), "area_m2": 1000.0, "far": 0.2, "idle": 1,
                          **columns})
    return efficiency.evaluate(frame, rules=rules, field_labels={"land_use": "DLBM"})


def test_a_survey_layer_flags_industrial_and_warehouse_land_only():
    #          工业    仓储    住宅    铁路    港口码头 交通场站 河流    水工    物流仓储 采矿
    codes = ["0601", "0604", "0701", "1001", "1008", "1005", "1101", "1109", "0508", "0602"]
    result = judge(codes)
    assert result["low_eff"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    assert result.loc[[2, 3, 4, 5, 6, 7, 9], "potential_m2"].isna().all()
    assert summarise(result)["land_use"]["system"] == "gbt21010"


def test_the_same_digits_in_a_guide_layer_mean_industrial_and_warehouse_land():
    codes = ["1001", "100102", "1101", "110101", "1102", "0701", "0601", "1208", "1002"]
    result = judge(codes)
    assert result["low_eff"].tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert summarise(result)["land_use"]["system"] == "guide2023"


def test_planning_letters_bare_m_is_industrial():
    result = judge(["M", "M1", "M3", "W", "W2", "R2", "S4", "U", "G1", "B1"])
    assert result["low_eff"].tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    # bare M takes the threshold of 三调 0601 (crosswalk); the reason names the parcel's own code
    assert "below 1.00 for M (" in result.loc[0, "reasons"]


def test_a_layer_of_1001_only_is_never_guessed_and_the_system_settles_it():
    with pytest.raises(LandUseSystemError) as error:
        judge(["1001", "1001"])
    assert "LAND_USE_SYSTEM" in str(error.value) and error.value.field == "DLBM"
    railway = judge(["1001", "1001"], EfficiencyRules(land_use_system="gbt21010"))
    industry = judge(["1001", "1001"], EfficiencyRules(land_use_system="guide2023"))
    assert railway["low_eff"].tolist() == [0, 0] and industry["low_eff"].tolist() == [1, 1]
    assert summarise(railway)["land_use"] == {"system": "gbt21010", "given": True, "shares": {
        "gbt21010": 1.0, "guide2023": 1.0, "gb50137": 0.0}, "alike": [], "all_industrial": False}


def test_chinese_names_traditional_characters_and_numbers_are_understood():
    result = judge(["工业用地", "二类工业用地", "物流仓储用地", "工業用地", "住宅用地", "居住用地"],
                   EfficiencyRules(land_use_system="guide2023"))
    assert result["low_eff"].tolist() == [1, 1, 1, 1, 0, 0]
    result = judge([601, 604.0, 701, 1101])  # 三调 codes stored as numbers: 0604 is no code of the guide
    assert result["low_eff"].tolist() == [1, 1, 0, 0]


def test_blank_and_unknown_values_are_reported_and_not_judged():
    result = judge(["0601", None, "  ", "0699", "0604"])
    assert result["low_eff"].tolist() == [1, 0, 0, 0, 1]
    assert result.loc[1, "reasons"] == result.loc[2, "reasons"] == "land use missing: not judged"
    assert result.loc[3, "reasons"] == "land use 0699 is no code or name of GB/T 21010-2017: not judged"


def test_without_a_land_use_field_nothing_is_judged_and_the_fix_is_named():
    frame = pd.DataFrame({"area_m2": [1000.0], "far": [0.2]})
    with pytest.raises(LandUseSystemError) as error:
        efficiency.evaluate(frame)
    assert "用地性质 / land_use" in str(error.value) and "ALL_INDUSTRIAL=true" in str(error.value)


def test_an_empty_land_use_field_is_refused_naming_the_field():
    with pytest.raises(LandUseSystemError) as error:
        judge([None, " ", None])
    assert error.value.field == "DLBM" and "empty in every feature" in str(error.value)
    assert str(error.value).startswith("Field DLBM: ")


def test_all_industrial_judges_every_parcel_and_says_so():
    rules = EfficiencyRules(all_industrial=True)
    frame = pd.DataFrame({"area_m2": [1000.0, 1000.0], "far": [0.2, 1.5]})
    result = efficiency.evaluate(frame, rules=rules)
    assert result["low_eff"].tolist() == [1, 0]
    assert "FAR 0.20 below 1.00 for other industrial land" in result.loc[0, "reasons"]
    assert summarise(result)["land_use"] == {"system": None, "given": False, "shares": {}, "alike": [],
                                             "all_industrial": True}
    homes = judge(["0701"], rules)  # the user's word overrides the land use
    assert homes["low_eff"].tolist() == [1]


def test_all_industrial_takes_an_industrial_family_key():
    rules = EfficiencyRules(all_industrial=True, min_far={"default": 1.0, "industrial": 1.2},
                            target_far={"default": 2.0, "industrial": 3.0})
    result = efficiency.evaluate(pd.DataFrame({"area_m2": [1000.0], "far": [1.1]}), rules=rules)
    assert result.loc[0, "low_eff"] == 1 and "below 1.20 for industrial" in result.loc[0, "reasons"]
    assert result.loc[0, "potential_m2"] == pytest.approx(1000 * (3.0 - 1.1))


def test_the_scope_families_come_from_the_profile():
    rules = dataclasses.replace(EfficiencyRules(), scope_families=["industrial", "warehouse", "mining"])
    assert judge(["0601", "0602", "0604", "0701"], rules)["low_eff"].tolist() == [1, 1, 1, 0]


def test_a_reason_names_the_parcels_own_code_not_a_key_of_another_system():
    # 三调 0508 物流仓储用地 takes the profile's 1101 (the guide's 物流仓储用地) through the crosswalk; "below 0.80
    # for 1101" on a 三调 layer would name a river (1101 河流水面 there). 工业用地 read in GB 50137 is M, not 0601.
    survey = judge(["0508", "0601", "0604"])
    assert "FAR 0.20 below 0.80 for 0508" in survey.loc[0, "reasons"]
    assert "for 1101" not in survey.loc[0, "reasons"]
    assert "below 1.00 for 0601" in survey.loc[1, "reasons"] and "below 0.80 for 0604" in survey.loc[2, "reasons"]
    planning = judge(["工业用地", "二类工业用地", "W"], dataclasses.replace(DEFAULT, land_use_system="gb50137"))
    assert "FAR 0.20 below 1.00 for M" in planning.loc[0, "reasons"]
    assert "below 1.00 for M2" in planning.loc[1, "reasons"] and "below 0.80 for W" in planning.loc[2, "reasons"]
    assert "0601" not in planning.loc[0, "reasons"]
