"""Land-use code systems as data: codes, names and families of GB/T 21010-2017, the 2023 guide and GB 50137-2011,
reading values as spreadsheets and people write them, telling a layer's system from its values, rule tables."""
import csv

import pandas as pd
import pytest

from land_bureau_plugin.analysis import land_use_codes as codes
from land_bureau_plugin.analysis.efficiency_rules import DEFAULT_KEY, EfficiencyRules
from land_bureau_plugin.analysis.land_use_codes import (
    GB50137,
    GBT21010,
    GUIDE2023,
    LandUseSystemError,
    code_in,
    detect_system,
    lookup,
    normalise_codes,
    read_land_use,
)
from land_bureau_plugin.resources_path import resources_dir


def family(system: str, value) -> str | None:
    found = code_in(system, value)
    return found.family if found is not None else None


# --- the tables ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("system", "value", "expected"), [
    # 三调: 06 is industrial, mining and warehouse land; 07 homes; 10 transport; 11 water
    (GBT21010, "0601", "industrial"), (GBT21010, "0602", "mining"), (GBT21010, "0603", "mining"),
    (GBT21010, "0604", "warehouse"), (GBT21010, "0508", "warehouse"), (GBT21010, "0701", "residential"),
    (GBT21010, "1001", "transport"), (GBT21010, "1005", "transport"), (GBT21010, "1008", "transport"),
    (GBT21010, "1101", "water"), (GBT21010, "1109", "water"), (GBT21010, "0809", "utilities"),
    (GBT21010, "0810", "green"), (GBT21010, "0101", "agriculture"), (GBT21010, "05H1", "commercial"),
    # the 2023 guide: 06 agricultural facilities, 10 工矿, 11 仓储, 12 transport
    (GUIDE2023, "0601", "transport"), (GUIDE2023, "0602", "agriculture"), (GUIDE2023, "0701", "residential"),
    (GUIDE2023, "1001", "industrial"), (GUIDE2023, "100101", "industrial"), (GUIDE2023, "100103", "industrial"),
    (GUIDE2023, "1002", "mining"), (GUIDE2023, "1101", "warehouse"), (GUIDE2023, "110101", "warehouse"),
    (GUIDE2023, "1102", "warehouse"), (GUIDE2023, "1208", "transport"), (GUIDE2023, "1701", "water"),
    (GUIDE2023, "1901", "sea"), (GUIDE2023, "16", "reserved"),
    # GB 50137: letters
    (GB50137, "M", "industrial"), (GB50137, "M1", "industrial"), (GB50137, "M3", "industrial"),
    (GB50137, "W", "warehouse"), (GB50137, "W2", "warehouse"), (GB50137, "R", "residential"),
    (GB50137, "R21", "residential"), (GB50137, "S4", "transport"), (GB50137, "H5", "mining"),
    (GB50137, "G1", "green"), (GB50137, "U", "utilities"), (GB50137, "A33", "public"), (GB50137, "B", "commercial"),
])
def test_codes_at_the_family_boundaries(system, value, expected):
    assert family(system, value) == expected


@pytest.mark.parametrize(("system", "value"), [
    (GBT21010, "0605"), (GBT21010, "100101"), (GBT21010, "1010"), (GBT21010, "M1"),
    (GUIDE2023, "0604"), (GUIDE2023, "1004"), (GUIDE2023, "1103"), (GUIDE2023, "1008"), (GUIDE2023, "05H1"),
    (GB50137, "0601"), (GB50137, "M4"), (GB50137, "W9"),
])
def test_codes_a_system_does_not_have(system, value):
    assert code_in(system, value) is None


def test_every_table_row_is_well_formed():
    for system in codes.SYSTEMS:
        with open(resources_dir() / "land_use" / f"{system}.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len({row["code"] for row in rows}) == len(rows), system  # no code twice
        assert {row["family"] for row in rows} <= set(codes.FAMILIES), system
        assert all(row["name_zh"] and row["name_en"] for row in rows), system


def test_the_crosswalk_links_existing_codes_of_like_meaning():
    for row in codes.crosswalk():
        present = {system: code_in(system, code) for system, code in row.items()}
        assert all(found is not None for found in present.values()), row
    assert codes.equivalents("0601", GBT21010, GUIDE2023) == ("1001",)
    assert codes.equivalents("M1", GB50137, GUIDE2023) == ("100101",)
    assert codes.equivalents("W", GB50137, GBT21010) == ("0508", "0604")


# --- reading values --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (601, "0601"), (601.0, "0601"), ("601.0", "0601"), (" 0601 ", "0601"), ("０６０１", "0601"),
    (70101, "070101"), ("m1", "M1"), ("05h1", "05H1"), (None, None), ("  ", None), (float("nan"), None),
])
def test_values_are_normalised_as_spreadsheets_store_them(value, expected):
    assert codes.normalise_code(value) == expected


@pytest.mark.parametrize(("system", "value", "code"), [
    (GBT21010, "工业用地", "0601"), (GUIDE2023, "工业用地", "1001"), (GB50137, "工业用地", "M"),
    (GUIDE2023, "二类工业用地", "100102"), (GB50137, "二类工业用地", "M2"), (GBT21010, "二类工业用地", None),
    (GBT21010, "仓储用地", "0604"), (GUIDE2023, "仓储用地", "11"), (GUIDE2023, "物流仓储用地", "1101"),
    (GB50137, "物流仓储用地", "W"), (GBT21010, "工業用地", "0601"), (GUIDE2023, "物流倉儲用地", "1101"),
    (GBT21010, "工业", "0601"), (GBT21010, "0601 工业用地", "0601"), (GBT21010, "工业用地(0601)", "0601"),
    (GUIDE2023, "0601工业用地", None),  # its 0601 is a rural road: code and name disagree
    (GBT21010, "0201K", "0201"), (GBT21010, "1104A", "1104"), (GUIDE2023, "0201K", None),
])
def test_names_traditional_characters_and_code_name_pairs(system, value, code):
    found = code_in(system, value)
    assert (found.code if found else None) == code


# --- which system -----------------------------------------------------------------------------------------------

def detect(values, system="auto"):
    return detect_system(normalise_codes(pd.Series(values, dtype=object)), system)


def test_a_survey_layer_is_told_by_codes_only_the_survey_has():
    found = detect(["0601", "0701", "1001", "1008", "1101", "0101"])  # 1008 is no code of the guide
    assert found.system == GBT21010 and not found.given
    assert found.shares[GBT21010] == 1.0 and found.shares[GUIDE2023] == pytest.approx(5 / 6)


def test_a_guide_layer_is_told_by_its_six_digit_codes():
    found = detect(["100101", "110101", "0701", "1001", "1208"])
    assert found.system == GUIDE2023 and found.shares[GBT21010] == pytest.approx(2 / 5)


def test_a_planning_code_layer():
    assert detect(["M1", "M2", "W", "R2", "S4", "G1"]).system == GB50137


def test_numbers_stored_as_numbers_are_read():
    assert detect([601, 604.0, 701]).system == GBT21010  # 0604 is no code of the guide


@pytest.mark.parametrize("values", [["1001"], ["1001", "1001", None], ["0601", "0602"], [601]])
def test_values_two_systems_read_differently_are_never_guessed(values):
    with pytest.raises(LandUseSystemError) as error:
        detect(values)
    assert "LAND_USE_SYSTEM" in str(error.value) and "gbt21010" in str(error.value)
    assert "guide2023" in str(error.value)


def test_a_given_system_settles_an_ambiguous_layer():
    assert detect(["1001"], GBT21010).system == GBT21010 and detect(["1001"], GBT21010).given
    assert detect(["1001"], GUIDE2023).system == GUIDE2023


def test_a_given_system_the_values_are_not_in_is_refused():
    with pytest.raises(LandUseSystemError, match="no value is a code or name"):
        detect(["M1", "M2"], GBT21010)


def test_values_that_every_system_reads_alike_need_no_choice():
    found = detect(["工业用地", "仓储用地", "工业用地"])
    assert (found.system, found.alike) == (GBT21010, (GUIDE2023,))  # GB 50137 has no 仓储用地 (its W is 物流仓储)
    found = detect(["二类工业用地", "一类工业用地"])
    assert (found.system, found.alike) == (GUIDE2023, (GB50137,))


def test_values_of_no_system_are_refused():
    with pytest.raises(LandUseSystemError, match="no value is a land-use code"):
        detect(["待定", "xyz"])


def test_mixed_column_goes_to_the_system_that_reads_most_and_the_rest_is_unrecognised():
    reading = read_land_use(pd.Series(["0601", "0604", "0701", "1008", "M1", None]))
    assert reading.detection.system == GBT21010
    assert reading.family.tolist() == ["industrial", "warehouse", "residential", "transport", None, None]
    assert reading.unrecognised.tolist() == [False, False, False, False, True, False]
    assert reading.missing.tolist() == [False] * 5 + [True]


# --- rule tables ------------------------------------------------------------------------------------------------

def test_rule_tables_are_read_in_the_layers_system():
    table = EfficiencyRules().min_far  # keys of all three systems, as the bundled profile has them
    survey = read_land_use(pd.Series(["0601", "0602", "0604", "0508", "1001"]), GBT21010)
    values, keys = lookup(survey.code, GBT21010, table)
    assert keys.tolist() == ["0601", "0602", "0604", "1101", "1001"]  # 0508 ← the guide's 1101 (crosswalk)
    assert values.tolist() == [1.0, 0.5, 0.8, 0.8, 1.0]
    guide = read_land_use(pd.Series(["100101", "100103", "1102", "110102", "1002"]), GUIDE2023)
    values, keys = lookup(guide.code, GUIDE2023, table)
    assert keys.tolist() == ["100101", "100103", "default", "1101", "0602"]  # 1002 ← 三调 0602 (mining)
    planning = read_land_use(pd.Series(["M", "M2", "W3", "M3"]), GB50137)
    _, keys = lookup(planning.code, GB50137, table)
    assert keys.tolist() == ["0601", "M2", "W", "M3"]  # bare M ← 三调 0601 工业用地 (crosswalk)


def test_a_family_key_sits_between_codes_and_the_default():
    table = {"default": 9.0, "industrial": 1.5, "M2": 1.0}
    reading = read_land_use(pd.Series(["M2", "M1", "W", "R"]), GB50137)
    values, keys = lookup(reading.code, GB50137, table)
    assert keys.tolist() == ["M2", "industrial", "default", "default"]
    assert values.tolist() == [1.0, 1.5, 9.0, 9.0]


def test_every_key_of_the_bundled_rules_is_a_code_with_a_name():
    rules = EfficiencyRules()
    keys = (set(rules.min_far) | set(rules.target_far)) - {DEFAULT_KEY}
    assert {key for key in keys if not codes.name_of(key)} == set()
    assert codes.name_of("1001") == "industrial land"  # the rule tables' meaning: the guide's, not 三调's railway
    assert codes.name_of("0602", chinese=True) == "采矿用地" and codes.name_of("0701") == "urban residential land"
    assert codes.name_of("9999") == codes.name_of("") == codes.name_of(None) == ""


def test_unknown_rule_table_keys_are_refused():
    problems = dict(EfficiencyRules(min_far={"default": 1.0, "0699": 1.0, "industrial": 1.0}).validate())
    assert "min_far.0699" in problems and "min_far.industrial" not in problems
    assert "scope_families" in dict(EfficiencyRules(scope_families=["factories"]).validate())
    assert "land_use_system" in dict(EfficiencyRules(land_use_system="21010").validate())


@pytest.mark.parametrize("rows", [0, 1, 7, 1000])
def test_per_object_calls_once_per_distinct_object(rows):
    """`func` once for each distinct object — told apart by identity: two equal lists are two objects, None one —
    and its result on every row that holds the object, in the rows' order and index."""
    shared = [[1], [1], None, "0701", ["x"]]
    values = pd.Series([shared[(i * 5 + i // 3) % len(shared)] for i in range(rows)],
                       index=pd.Index(range(10, 10 + rows), name="fid"), dtype=object)
    calls = []

    def position(value):
        calls.append(value)
        return next(p for p, item in enumerate(shared) if item is value)

    got = codes.per_object(values, position)
    assert got.index.equals(values.index) and got.dtype == object
    assert got.tolist() == [next(p for p, item in enumerate(shared) if item is v) for v in values.tolist()]
    assert len(calls) == len({id(v) for v in values.tolist()})
