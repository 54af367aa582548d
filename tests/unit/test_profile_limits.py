"""A profile's plausibility `limits` override the defaults key by key (analysis.plausibility.Limited): a profile
naming one limit keeps every other one — before, {"floors": 100} replaced the whole table and FAR 25, a height of
600 m or 10⁶ households passed unflagged. null switches one limit off, on purpose; unknown keys ("did you mean"),
negative, zero and non-numbers are profile errors.

The expected defaults are read from the bundled profile file (resources/profiles/default.json), written apart from
the code's table; every threshold is tried at, just below and just above."""
import dataclasses
import math

import pandas as pd
import pytest
from shapely import box

from land_bureau_plugin.analysis import efficiency, land_supply, resettlement, upstairs
from land_bureau_plugin.analysis.efficiency_rules import EfficiencyRules
from land_bureau_plugin.analysis.land_supply_rules import LandSupplyRules
from land_bureau_plugin.analysis.resettlement import ResettlementRules
from land_bureau_plugin.analysis.upstairs_rules import FAIL, PASS, UNCHECKED, UpstairsRules
from land_bureau_plugin.rules.profile import ProfileError, load_profile, section

SECTIONS = {"efficiency": EfficiencyRules, "upstairs": UpstairsRules, "resettlement": ResettlementRules,
            "land_supply": LandSupplyRules}
BUNDLED = load_profile()


def rules_of(name: str, limits: dict):
    return section({name: {"limits": limits}}, name, SECTIONS[name])


@pytest.mark.parametrize("name", SECTIONS)
def test_one_limit_given_keeps_every_other_default(name):
    defaults = BUNDLED[name]["limits"]
    for given in defaults:
        rules = rules_of(name, {given: 7})
        assert rules.limit(given) == 7
        for other, value in defaults.items():
            if other != given:
                assert rules.limit(other) == value, (given, other)
    assert rules_of(name, {}).limits == defaults  # an empty table is no table: the defaults


@pytest.mark.parametrize("name", SECTIONS)
def test_null_switches_one_limit_off_and_stays_off_when_saved_again(name):
    defaults = BUNDLED[name]["limits"]
    off = next(iter(defaults))
    rules = rules_of(name, {off: None})
    assert rules.limit(off) is None
    assert all(rules.limit(other) == value for other, value in defaults.items() if other != off)
    # the rules editor and the run log write the section back with dataclasses.asdict: null is kept, so reading
    # the saved profile does not bring the default back
    again = section({name: dataclasses.asdict(rules)}, name, SECTIONS[name])
    assert again.limit(off) is None and again == rules


@pytest.mark.parametrize("limits, key, phrase", [
    ({"flors": 100}, "efficiency.limits.flors", "did you mean floors?"),
    ({"hieght": 100}, "efficiency.limits.hieght", "did you mean height?"),
    ({"lift_capacity": 5}, "efficiency.limits.lift_capacity", "known: far, coverage"),  # an upstairs field
    ({"far": -1}, "efficiency.limits.far", "must not be negative"),
    ({"far": 0}, "efficiency.limits.far", "must be a positive number, or null"),
    ({"far": "20"}, "efficiency.limits.far", "expected float"),
    ({"far": True}, "efficiency.limits.far", "expected float"),
    ({"far": math.nan}, "efficiency.limits.far", "finite"),
    ({"far": math.inf}, "efficiency.limits.far", "finite"),
])
def test_bad_limits_are_profile_errors(limits, key, phrase):
    with pytest.raises(ProfileError) as error:
        section({"efficiency": {"limits": limits}}, "efficiency", EfficiencyRules)
    assert error.value.key == key and phrase in str(error.value)


def test_upstairs_and_resettlement_name_a_misspelt_limit_too():
    with pytest.raises(ProfileError) as error:
        rules_of("upstairs", {"lift_capacty": 5})
    assert error.value.key == "upstairs.limits.lift_capacty" and "did you mean lift_capacity?" in str(error.value)
    with pytest.raises(ProfileError) as error:
        rules_of("resettlement", {"houshold": 5})
    assert error.value.key == "resettlement.limits.houshold" and "did you mean households?" in str(error.value)


# --- low efficiency ------------------------------------------------------------------------------------------------

def evaluate_fields(rules, **columns):
    size = max(len(v) for v in columns.values())
    base = {"land_use": ["0601"] * size, "area_m2": [1000.0] * size, "far": [1.2] * size}
    rules = dataclasses.replace(rules, land_use_system="gbt21010", far_unit="ratio")
    return efficiency.evaluate(pd.DataFrame({**base, **columns}), rules=rules)


def test_efficiency_profile_with_one_limit_keeps_the_far_and_money_limits():
    rules = rules_of("efficiency", {"floors": 100})
    # FAR 20 is the default limit: at it used, just above a data error
    result = evaluate_fields(rules, far=[19.99, 20.0, 20.01])
    assert result["far"].tolist()[:2] == [19.99, 20.0] and math.isnan(result.loc[2, "far"])
    assert "FAR 20.01 is implausible (above 20): data error, not used" in result.loc[2, "reasons"]
    # tax limit 1e8 万元
    taxed = evaluate_fields(rules, tax=[99999999.0, 1e8, 100000001.0])
    assert taxed["tax_per_mu"].isna().tolist() == [False, False, True]
    assert "tax 100000001.0 is above the plausible limit 1e+08: data error, not used" in taxed.loc[2, "reasons"]
    # coverage 1.0 (100 %)
    covered = evaluate_fields(dataclasses.replace(rules, coverage_unit="ratio"), coverage=[0.999, 1.0, 1.001])
    assert covered["coverage"].isna().tolist() == [False, False, True]


def test_efficiency_limit_switched_off_uses_the_value_and_keeps_the_percent_detection():
    off = rules_of("efficiency", {"far": None})
    result = evaluate_fields(off, far=[19.99, 20.0, 25.0])
    assert result["far"].tolist() == [19.99, 20.0, 25.0]
    assert not result["reasons"].str.contains("implausible").any()
    # a column of FARs written in percent is still one (its threshold: the default FAR limit 20)
    auto = efficiency.evaluate(pd.DataFrame({"land_use": ["0601"] * 3, "area_m2": [1000.0] * 3,
                                             "far": [80.0, 150.0, 210.0]}),
                               rules=dataclasses.replace(off, land_use_system="gbt21010"))
    assert auto["far"].tolist() == [0.8, 1.5, 2.1]


def test_buildings_keep_the_height_limit_when_the_profile_lowers_the_storeys():
    parcel = [box(0, 0, 100, 100)]
    buildings = [box(0, 0, 10, 10)] * 5
    rules = dataclasses.replace(rules_of("efficiency", {"floors": 100}), land_use_system="gbt21010")
    # storeys 100 (at the new limit: used), 101 (above: 1 storey), none with heights 499.5 m (111 storeys at
    # 4.5 m), 500 m (at the kept default limit: round(500 / 4.5) = 111) and 500.5 m (above: 1 storey)
    result = efficiency.evaluate(pd.DataFrame({"land_use": ["0601"]}), parcel, buildings,
                                 pd.Series([100, 101, None, None, None]),
                                 pd.Series([None, None, 499.5, 500.0, 500.5]), rules=rules)
    assert result.loc[0, "far"] == pytest.approx((100 + 1 + 111 + 111 + 1) * 100 / 10000)
    assert result.attrs["report"].buildings_implausible == 2
    # both switched off: 101 storeys and 500.5 m (111 storeys) are used as written
    off = dataclasses.replace(rules, limits={"floors": None, "height": None})
    result = efficiency.evaluate(pd.DataFrame({"land_use": ["0601"]}), parcel, buildings,
                                 pd.Series([100, 101, None, None, None]),
                                 pd.Series([None, None, 499.5, 500.0, 500.5]), rules=off)
    assert result.loc[0, "far"] == pytest.approx((100 + 101 + 111 + 111 + 111) * 100 / 10000)
    assert result.attrs["report"].buildings_implausible == 0


# --- upstairs ------------------------------------------------------------------------------------------------------

GOOD = {"declared_area": 10000.0, "building_area": 25000.0, "height": 40.0, "floors": 6, "ground_floor_height": 7.0,
        "upper_floor_height": 5.0, "ground_floor_load": 12.0, "upper_floor_load": 8.0, "lift_capacity": 3.0,
        "support_area": 500.0, "land_use": "100101"}


def statuses(rules, rule: str, **columns):
    """The status of `rule` for one 10,000 m² plan per value."""
    count = max(len(v) for v in columns.values())
    frame = pd.DataFrame({**{k: [v] * count for k, v in GOOD.items()}, **columns},
                         index=[f"P{i}" for i in range(count)]).astype(object)
    frame["plan_id"] = frame.index
    result = upstairs.evaluate([box(1000 * i, 0, 1000 * i + 100, 100) for i in range(count)], frame, rules=rules)
    checks = result.checks
    return checks.loc[checks["rule_id"] == rule, "status"].tolist(), result


def test_upstairs_profile_with_one_limit_keeps_the_others():
    rules = rules_of("upstairs", {"lift_capacity": 50})
    lift, _ = statuses(rules, "lift_capacity", lift_capacity=[49.9, 50.0, 50.1])
    assert lift == [PASS, PASS, UNCHECKED]  # the profile's own limit
    height, result = statuses(rules, "height", height=[499.99, 500.0, 500.01])
    assert height == [FAIL, FAIL, UNCHECKED]  # above 100 m fails; above the kept 500 m a data error
    assert "height 500.01 is above the plausible limit 500: data error, not used" in result.plans["reasons"].iloc[2]
    floors, _ = statuses(rules, "floors", floors=[199, 200, 201])
    assert floors == [PASS, PASS, UNCHECKED]
    # FAR 20 kept: 200,000 m² on 10,000 m² is FAR 20 (passes), 200,001 m² a data error
    far, _ = statuses(rules, "far", building_area=[199999.0, 200000.0, 200001.0])
    assert far == [PASS, PASS, UNCHECKED]


def test_upstairs_limit_switched_off_judges_the_value():
    height, result = statuses(rules_of("upstairs", {"height": None}), "height", height=[500.01, 600.0])
    assert height == [FAIL, FAIL]  # judged against the 100 m rule, no data error
    assert not result.plans["reasons"].str.contains("plausible").any()


# --- resettlement --------------------------------------------------------------------------------------------------

def overdue(rules, households) -> int | None:
    """The households in overdue transition of one overdue project: None when its count is refused (unknown)."""
    projects = pd.DataFrame([{"expropriation_date": "2020-03-01", "housing_start_date": "2021-01-01",
                              "housing_complete_date": "2024-01-01", "households": households}], dtype=object)
    value = resettlement.evaluate(projects, "2025-03-02", rules).iloc[0]["overdue_households"]
    return None if pd.isna(value) else int(value)


def test_resettlement_limits_merge_and_switch_off():
    kept = rules_of("resettlement", {})
    assert [overdue(kept, n) for n in (99999, 100000, 100001)] == [99999, 100000, None]
    lowered = rules_of("resettlement", {"households": 500})
    assert [overdue(lowered, n) for n in (499, 500, 501)] == [499, 500, None]
    off = rules_of("resettlement", {"households": None})
    assert overdue(off, 10 ** 6) == 10 ** 6 and off.households_limit == 2.0 ** 53


# --- land supply ---------------------------------------------------------------------------------------------------

def idle_fee(rules, price) -> float:
    """The idle fee (20 % of the land price) of a parcel idle since 2024-03-02, as judged on that day."""
    row = {"parcel_id": "P1", "agreed_start_date": "2023-03-01", "land_price": price}
    return land_supply.evaluate(pd.DataFrame([row], dtype=object), "2024-03-02", rules).iloc[0]["idle_fee"]


def test_land_supply_limits_merge_and_switch_off():
    kept = rules_of("land_supply", {"area_m2": 50000})  # the land price keeps its 1e8 万元
    fees = [idle_fee(kept, price) for price in (99999999.0, 1e8, 100000001.0)]
    assert fees[:2] == pytest.approx([19999999.8, 2e7]) and math.isnan(fees[2])
    off = rules_of("land_supply", {"land_price": None})
    assert idle_fee(off, 100000001.0) == pytest.approx(20000000.2)
