"""亩均论英雄 grading (analysis/efficiency_grading.py): grades by rank share with their cut points at, just below and
just above, tie rules, district or city groups, the enterprise classes (规上 / 规下 / listed apart) and the exemptions
(不定等级). Expected grades are counted by hand from the ranks, independently of the code."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from land_bureau_plugin.analysis import efficiency
from land_bureau_plugin.analysis.efficiency import EfficiencyRules, summarise
from land_bureau_plugin.analysis.units import mu_to_m2
from land_bureau_plugin.rules.profile import load_profile, section

AS_OF = "2026-11-27"
TEN_MU = mu_to_m2(10)
# graded on tax per 亩 alone, so a parcel's score follows its tax: ranks are known by construction
TAX_ONLY = EfficiencyRules(land_use_system="gbt21010", weights={"tax_per_mu": 1}, tax_ratio_floor=0.0)


def evaluate(frame: pd.DataFrame, rules: EfficiencyRules = TAX_ONLY, **changes) -> pd.DataFrame:
    rules = dataclasses.replace(rules, **changes) if changes else rules
    return efficiency.evaluate(frame, rules=rules, as_of=AS_OF)


def enterprises(taxes, **columns) -> pd.DataFrame:
    """One above-size enterprise (output 5,000 万元) on 10 亩 of industrial land per tax value."""
    frame = pd.DataFrame({"parcel_id": [f"E{i}" for i in range(len(taxes))], "land_use": "0601", "area_m2": TEN_MU,
                          "far": 1.5, "tax": list(taxes), "output": 5000.0})
    for name, values in columns.items():
        frame[name] = values
    return frame


def expected_by_rank(ranks, n, cuts=(("A", 0.25), ("B", 0.70), ("C", 0.95))):
    """The grade of each rank, counted by hand: the first grade whose cut exceeds (rank - 1) / n, else D."""
    return [next((g for g, cut in cuts if (r - 1) / n < cut), "D") for r in ranks]


# --- rank grading --------------------------------------------------------------------------------------------------

def test_of_twenty_enterprises_5_are_a_9_b_5_c_and_the_last_d():
    taxes = np.arange(20, 0, -1) * 10.0  # E0 pays most
    result = evaluate(enterprises(taxes, district="萧山区"))
    assert result["rank"].tolist() == list(range(1, 21)) and set(result["rank_n"]) == {20}
    assert result["grade"].tolist() == ["A"] * 5 + ["B"] * 9 + ["C"] * 5 + ["D"]
    assert result["ent_class"].unique().tolist() == ["above"]
    assert "rank 6 of 20 above designated size in 萧山区" in result.loc[5, "reasons"]


@pytest.mark.parametrize("cut_rank, below, at, above", [
    (26, "A", "B", "B"),  # A: fewer than 25 % ranked above: rank 25 (24 %) A, rank 26 (25 %) B, rank 27 B
    (71, "B", "C", "C"),  # B: fewer than 70 %
    (96, "C", "D", "D"),  # C: fewer than 95 %
])
def test_each_rank_cut_at_just_below_and_just_above(cut_rank, below, at, above):
    taxes = np.arange(100, 0, -1) * 1.0  # per 亩 10 … 0.1, every score distinct and under the cap
    result = evaluate(enterprises(taxes))
    ranks = [cut_rank - 1, cut_rank, cut_rank + 1]
    assert result.set_index("rank").loc[ranks, "grade"].tolist() == [below, at, above]
    assert [below, at, above] == expected_by_rank(ranks, 100)


def test_the_best_of_a_small_group_is_a_and_a_group_under_twenty_has_no_d():
    result = evaluate(enterprises([50.0, 40.0, 30.0, 20.0, 10.0], district=["甲", "乙", "乙", "乙", "乙"]))
    assert result["grade"].tolist() == ["A", "A", "B", "B", "C"]  # 甲 of 1; 乙 of 4: 0, 1/4, 2/4, 3/4 above
    assert result["grade"].tolist()[1:] == expected_by_rank([1, 2, 3, 4], 4)


@pytest.mark.parametrize("ties, ranks, grades", [
    ("better", [5, 5], ["A", "A"]),  # tied on the cut: both take rank 5
    ("worse", [6, 6], ["B", "B"]),  # both take rank 6
])
def test_tied_scores_share_one_rank_and_one_grade(ties, ranks, grades):
    taxes = [200.0, 190.0, 180.0, 170.0, 160.0, 160.0] + [100.0 - i for i in range(14)]
    result = evaluate(enterprises(taxes), rank_ties=ties)
    assert result.loc[[4, 5], "rank"].tolist() == ranks and result.loc[[4, 5], "grade"].tolist() == grades
    assert result.loc[6, "rank"] == 7


def test_an_indicator_capped_at_twice_the_reference_ties_the_best():
    # the three best are far above twice the median: all score 100 and share rank 1
    taxes = [9000.0, 5000.0, 3000.0] + [100.0] * 17
    result = evaluate(enterprises(taxes))
    assert result.loc[[0, 1, 2], "score"].tolist() == [100.0, 100.0, 100.0]
    assert result.loc[[0, 1, 2], "rank"].tolist() == [1, 1, 1]


def test_districts_rank_apart_the_city_ranks_all_and_a_parcel_without_district_is_ranked_city_wide():
    taxes = [100.0, 90.0, 80.0, 70.0, 60.0, 50.0, 40.0]
    districts = ["甲", "甲", "乙", "乙", "甲", "乙", None]
    by_district = evaluate(enterprises(taxes, district=districts))
    assert by_district["rank"].tolist() == [1, 2, 1, 2, 3, 3, 7]
    assert by_district["rank_n"].tolist() == [3, 3, 3, 3, 3, 3, 7]
    assert "rank 7 of 7 above designated size in the city" in by_district.loc[6, "reasons"]
    city = evaluate(enterprises(taxes, district=districts), rank_scope="city")
    # the scores still take each district's median (甲 9, 乙 7, the layer's 7 without one): 55.6, 50, 57.1, 50,
    # 33.3, 35.7, 28.6 — ranked over all seven, the two 50s tied
    assert city["score"].tolist() == [55.6, 50.0, 57.1, 50.0, 33.3, 35.7, 28.6]
    assert city["rank"].tolist() == [2, 3, 1, 3, 6, 5, 7] and set(city["rank_n"]) == {7}


def test_a_district_written_in_traditional_and_in_simplified_characters_is_one_district():
    """桐廬縣 and 桐庐县 are one county: its four parcels share one median and one ranking ("of 4"), and the summary
    counts them under one name — written both ways they were two districts of two, each "rank 1 of 2"."""
    taxes = [100.0, 90.0, 80.0, 70.0]
    mixed = evaluate(enterprises(taxes, district=["桐庐县", "桐廬縣", " 桐廬縣 ", "桐庐县"]))
    same = evaluate(enterprises(taxes, district=["桐庐县"] * 4))
    assert mixed["rank"].tolist() == [1, 2, 3, 4] and set(mixed["rank_n"]) == {4}
    for name in ("score", "grade", "rank", "rank_n", "reasons"):
        assert mixed[name].tolist() == same[name].tolist(), name
    assert "in 桐庐县" in mixed.loc[1, "reasons"]
    summary = summarise(mixed, enterprises(taxes, district=["桐庐县", "桐廬縣", " 桐廬縣 ", "桐庐县"]))
    assert list(summary["per_district"]) == ["桐庐县"] and summary["per_district"]["桐庐县"]["parcels"] == 4
    other = evaluate(enterprises(taxes, district=["桐庐县", "桐廬縣", "建德市", "建德市"]))  # another county: apart
    assert other["rank_n"].tolist() == [2, 2, 2, 2]


def test_score_bands_are_the_other_grading_method():
    result = evaluate(enterprises([160.0, 100.0, 100.0, 100.0, 30.0]), grading="score")
    assert result["score"].tolist() == [80.0, 50.0, 50.0, 50.0, 15.0]
    assert result["grade"].tolist() == ["A", "C", "C", "C", "D"]


# --- enterprise classes -----------------------------------------------------------------------------------------

def test_above_designated_size_by_output_at_just_below_and_just_above_2000():
    frame = enterprises([100.0, 100.0, 100.0], output=[1999.99, 2000.0, 2000.01])
    assert evaluate(frame)["ent_class"].tolist() == ["below", "above", "above"]


def test_the_scale_field_decides_before_the_output_and_an_unknown_word_is_said():
    frame = enterprises([100.0] * 4, output=[100.0, 9000.0, 100.0, 9000.0], scale=["规上", "规下", "大型", None])
    result = evaluate(frame)
    assert result["ent_class"].tolist() == ["above", "below", "below", "above"]
    said = "scale 大型 is neither 规上 nor 规下: judged by output (at least 2000 万元: 规上)"
    assert said in result.loc[2, "reasons"]


def test_below_designated_size_needs_three_mu_else_it_is_listed_apart():
    frame = enterprises([30.0, 30.0, 30.0], output=100.0)
    frame["area_m2"] = [mu_to_m2(2.99), mu_to_m2(3.0), mu_to_m2(3.01)]
    result = evaluate(frame)
    assert result["ent_class"].tolist() == ["apart", "below", "below"]
    assert result.loc[0, "grade"] is None and np.isnan(result.loc[0, "score"])
    assert "below designated size on 2.99 mu (less than 3 mu): listed apart, not graded" in result.loc[0, "reasons"]


def test_below_designated_size_is_graded_on_tax_per_mu_alone_and_ranked_among_its_own():
    rules = EfficiencyRules(land_use_system="gbt21010", tax_ratio_floor=0.0)  # the default weights, all five
    frame = enterprises([100.0, 200.0, 300.0, 100.0, 200.0, 300.0], output=[5000.0] * 3 + [100.0] * 3,
                        energy=1.0, employees=10.0, rd_spend=1.0)
    result = evaluate(frame, rules)
    assert result["ent_class"].tolist() == ["above"] * 3 + ["below"] * 3
    # tax per 亩 10 / 20 / 30 against the median 20 of all six: 50 × 0.5, 1, 1.5 — the output plays no part
    assert result.loc[[3, 4, 5], "score"].tolist() == [25.0, 50.0, 75.0]
    assert result.loc[[3, 4, 5], "rank"].tolist() == [3, 2, 1] and set(result["rank_n"]) == {3}
    assert "score without" not in result.loc[3, "reasons"]


def test_tenants_and_parcels_without_land_are_listed_apart():
    frame = enterprises([100.0, 100.0, 100.0], tenant=["是", "否", None])
    frame.loc[2, "area_m2"] = None
    result = evaluate(frame)
    assert result["ent_class"].tolist() == ["apart", "above", "apart"]
    assert "tenant without land of its own: listed apart, not graded" in result.loc[0, "reasons"]
    assert "no land area: listed apart, not graded" in result.loc[2, "reasons"]


def test_without_classes_every_parcel_is_graded_on_every_indicator():
    result = evaluate(enterprises([100.0, 50.0], output=[10.0, 10.0], tenant="是"), enterprise_classes=False)
    assert result["ent_class"].tolist() == ["all", "all"] and result["grade"].notna().all()


# --- not graded (不定等级) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, exempt", [
    ("2023-11-28", True),  # one day short of three years before the as-of date 2026-11-27
    ("2023-11-27", False),  # exactly three years: graded
    ("2023-11-26", False),
    ("2027-03-01", True),  # not yet producing
])
def test_a_new_enterprise_is_not_graded_for_three_years_from_production_start(start, exempt):
    frame = enterprises([100.0, 10.0] + [50.0] * 19, production_start=[None, start] + [None] * 19)
    result = evaluate(frame)
    assert (result.loc[1, "ent_class"] == "exempt") is exempt
    assert (result.loc[1, "grade"] is None) is exempt  # the lowest tax: D when graded
    if exempt:
        assert f"new enterprise, production started {start} (less than 3 years ago): not graded (不定等级)" \
            in result.loc[1, "reasons"]
        assert result["rank_n"].max() == 20  # not counted in its group
    else:
        assert result.loc[1, "grade"] == "D"


def test_projects_under_construction_and_utilities_are_not_graded():
    frame = enterprises([10.0, 20.0, 30.0, 40.0, 50.0], under_construction=["在建", None, None, None, "否"],
                        industry=[None, "4411", "D4620", "3011", 4500.0])
    result = evaluate(frame)
    assert result["ent_class"].tolist() == ["exempt", "exempt", "exempt", "above", "exempt"]
    assert "project under construction: not graded (不定等级)" in result.loc[0, "reasons"]
    assert "utility (industry 4411): not graded (不定等级)" in result.loc[1, "reasons"]
    assert "utility (industry 4500): not graded" in result.loc[4, "reasons"]
    letter = evaluate(enterprises([10.0, 20.0], industry=["D4411", "C3011"]), exempt_industries=["D"])
    assert letter["ent_class"].tolist() == ["exempt", "above"]


def test_an_exempt_enterprise_may_be_treated_as_b_and_is_never_d():
    frame = enterprises([1.0] + [100.0 - i for i in range(20)], under_construction=["是"] + [None] * 20)
    result = evaluate(frame, exempt_grade="B")
    assert result.loc[0, "grade"] == "B" and result.loc[0, "low_eff"] == 0
    assert "project under construction: not ranked (不定等级), treated as grade B" in result.loc[0, "reasons"]
    assert pd.isna(result.loc[0, "rank"]) and (result["grade"] == "D").sum() == 1  # rank 20 of the others


def test_the_summary_counts_per_class_and_grade():
    frame = enterprises(list(np.arange(20, 0, -1) * 10.0) + [10.0, 10.0],
                        tenant=[None] * 20 + ["是", None], under_construction=[None] * 21 + ["是"])
    summary = summarise(evaluate(frame))
    assert summary["per_class"]["above"]["per_grade"] == {"A": 5, "B": 9, "C": 5, "D": 1}
    assert summary["per_class"]["apart"]["parcels"] == 1 and summary["per_class"]["exempt"]["parcels"] == 1
    assert summary["per_class"]["apart"]["per_grade"] == {"A": 0, "B": 0, "C": 0, "D": 0}


# --- the profile ----------------------------------------------------------------------------------------------

def test_the_bundled_profile_grades_by_rank_with_the_bureaus_weights():
    rules = section(load_profile(), "efficiency", EfficiencyRules)
    assert rules.grading == "rank" and rules.rank_cuts == {"A": 0.25, "B": 0.70, "C": 0.95}
    assert rules.weights == {"tax_per_mu": 45, "output_per_mu": 20, "output_per_energy": 15, "rd_ratio": 15,
                             "output_per_employee": 5}
    assert rules.grades() == ("A", "B", "C", "D")


@pytest.mark.parametrize("change, key", [
    ({"grading": "ranking"}, "grading"),
    ({"rank_scope": "province"}, "rank_scope"),
    ({"rank_ties": "average"}, "rank_ties"),
    ({"rank_cuts": {"A": 0.25, "B": 0.25, "C": 0.95}}, "rank_cuts"),
    ({"rank_cuts": {"A": 0.25, "B": 0.7, "D": 0.95}}, "rank_cuts"),
    ({"rank_cuts": {"A": 0.0, "B": 0.7}}, "rank_cuts"),
    ({"exempt_grade": "D"}, "exempt_grade"),
    ({"exempt_grade": "E"}, "exempt_grade"),
    ({"below_scale_indicators": ["output_per_energy"], "weights": {"tax_per_mu": 1}}, "below_scale_indicators"),
    ({"enterprise_classes": "yes"}, "enterprise_classes"),
])
def test_impossible_grading_values_are_refused_with_their_key(change, key):
    assert key in [k for k, _ in dataclasses.replace(TAX_ONLY, **change).validate()]


def test_an_unreadable_production_start_is_said_and_exempts_nothing():
    result = evaluate(enterprises([100.0, 90.0], production_start=["2024", "下月投产"]))
    assert result["ent_class"].tolist() == ["above", "above"]
    assert "production_start is not a full date (a year or month without the day): 2024" in result.loc[0, "reasons"]
    assert "production_start is not a date: 下月投产" in result.loc[1, "reasons"]


@pytest.mark.parametrize("numbers", [[1.0, np.nan, 3.0, 20.0], [np.nan, np.nan], [], [2.0 ** 53, -4.0, 0.0]])
def test_whole_numbers_are_what_pandas_makes_of_them(numbers):
    """Ranks and group sizes as Int64 straight from the numbers and their NaN mask: the same Series (values, NA,
    dtype, index, name) as pandas' own astype("Int64")."""
    from land_bureau_plugin.analysis.efficiency_grading import whole_numbers

    values = pd.Series(numbers, index=pd.Index([7 * i + 3 for i in range(len(numbers))], name="fid"), dtype=float,
                       name="rank")
    made = whole_numbers(values)
    expected = pd.Series([pd.NA if np.isnan(x) else int(x) for x in numbers], index=values.index, dtype="Int64",
                         name="rank")
    pd.testing.assert_series_equal(made, expected)
    pd.testing.assert_series_equal(made, values.astype("Int64"))
