"""耕地占补平衡 (analysis/farmland*.py): hand-computed ledgers, 先补后占 on each side of the day, 以补定占 at its cap,
overlaps measured independently with shapely, bad input named by feature and field.

Capacity per 亩 by grade is the bundled local default (grade g → (16 − g) × 100 kg/亩), written out by hand below:
grade 4 1,200; grade 5 1,100; grade 6 1,000; grade 7 900.
"""
import numpy as np
import pandas as pd
import pytest
import shapely

from land_bureau_plugin.analysis import farmland
from land_bureau_plugin.analysis.farmland_checks import CHECK_COLUMNS, date_checks, spatial_checks
from land_bureau_plugin.analysis.farmland_reading import read_projects, read_transfers, transfer_only_counties
from land_bureau_plugin.analysis.farmland_rules import FarmlandRules, grade_key
from land_bureau_plugin.rules.profile import load_profile, section

MU = 10000 / 15  # m² per 亩
RULES = FarmlandRules()


def projects(rows, date_field, areas=None):
    table = pd.DataFrame(rows, dtype=object, index=range(1, len(rows) + 1))
    if "cultivated_area_mu" in table:
        table["cultivated_area"] = table.pop("cultivated_area_mu").astype(float) * MU
    if "paddy_mu" in table:
        table["paddy_area"] = table.pop("paddy_mu").astype(float) * MU
    read = read_projects(table, areas if areas is not None else [np.nan] * len(table), RULES, date_field)
    assert read.problems.empty, read.problems
    return read.frame


def occ(*rows):
    return projects([dict(zip(("project_id", "district", "approval_date", "cultivated_area_mu", "paddy_mu",
                                "quality_grade"), r)) for r in rows], "approval_date")


def sup(*rows):
    return projects([dict(zip(("project_id", "district", "acceptance_date", "cultivated_area_mu", "paddy_mu",
                                "quality_grade"), r)) for r in rows], "acceptance_date")


def transfers(*rows, counties=("西湖区", "淳安县")):
    table = pd.DataFrame([dict(zip(("from_county", "to_county", "transfer_date", "transfer_mu", "transfer_paddy_mu",
                                    "transfer_capacity", "unit_price", "transfer_type"), r)) for r in rows],
                         dtype=object, index=range(1, len(rows) + 1))
    read = read_transfers(table, RULES)
    assert read.problems.empty, read.problems
    return read.frame


def test_the_bundled_profile_section_and_the_grade_table():
    rules = section(load_profile(), "farmland_balance", FarmlandRules)
    assert rules.capacity_per_mu["1"] == 1500 and rules.capacity_per_mu["15"] == 100
    assert rules.source_table()["capacity_per_mu"].local  # said to be a local default, not a published table
    assert [grade_key(v) for v in ("5", 5, 5.0, "5等", " 5 ", None, "")] == ["5", "5", "5", "5", "5", None, None]


def test_two_counties_hand_computed_ledger_with_a_transfer_and_a_paddy_deficit():
    occupations = occ(("O1", "西湖区", "2023-06-01", 150, 40, "4"), ("O2", "西湖区", "2024-03-01", 300, 80, "6"))
    supplements = sup(("S1", "西湖区", "2023-03-01", 200, 50, "5"), ("S2", "淳安县", "2023-01-10", 500, 100, "7"))
    moved = transfers(("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地占补平衡指标"))
    assert moved["funds"].iloc[0] == pytest.approx(12000)  # 300 亩 × 40 万元/亩
    table = farmland.ledger(occupations, supplements, moved, "year").set_index(["county", "period"])
    xihu23, xihu24 = table.loc[("西湖区", "2023")], table.loc[("西湖区", "2024")]
    assert xihu23[["occupied_mu", "supplemented_mu", "balance_mu"]].tolist() == pytest.approx([150, 200, 50])
    assert xihu23["balance_paddy_mu"] == pytest.approx(10)
    assert xihu23["balance_capacity_kg"] == pytest.approx(200 * 1100 - 150 * 1200)  # 40,000
    assert xihu23["status"] == "balanced"
    assert xihu24[["received_mu", "occupied_mu", "balance_mu"]].tolist() == pytest.approx([300, 300, 50])
    assert xihu24["balance_paddy_mu"] == pytest.approx(10 + 60 - 80)
    assert xihu24["balance_capacity_kg"] == pytest.approx(40000 + 270000 - 300 * 1000)
    assert xihu24["status"] == "deficit" and xihu24["deficit_in"] == "paddy_mu"
    assert xihu24["shortfall_paddy_mu"] == pytest.approx(10) and xihu24["shortfall_mu"] == 0
    chunan24 = table.loc[("淳安县", "2024")]
    assert chunan24[["given_mu", "balance_mu", "balance_paddy_mu", "balance_capacity_kg"]].tolist() == \
        pytest.approx([300, 200, 40, 500 * 900 - 270000])
    assert chunan24["status"] == "balanced"
    assert str(xihu24["period_start"].date()) == "2024-01-01" and str(xihu24["period_end"].date()) == "2024-12-31"


def test_forest_and_grain_zone_transfers_do_not_move_cultivated_land():
    occupations = occ(("O1", "西湖区", "2024-03-01", 100, 0, "5"))
    supplements = sup(("S1", "淳安县", "2023-01-10", 500, 0, "5"))
    moved = transfers(("淳安县", "西湖区", "2024-02-01", 100, 0, 0, 10, "补充林地指标"),
                      ("淳安县", "西湖区", "2024-02-01", 100, 0, 0, 10, "粮食生产功能区代保"))
    assert moved["type"].tolist() == ["forest", "grain_zone"]
    table = farmland.ledger(occupations, supplements, moved, "all").set_index("county")
    assert table.loc["西湖区", "balance_mu"] == pytest.approx(-100) and table.loc["西湖区", "status"] == "deficit"
    assert table.loc["淳安县", "balance_mu"] == pytest.approx(500)


@pytest.mark.parametrize("approved, flagged", [("2024-05-09", True), ("2024-05-10", False), ("2024-05-11", False)])
def test_supplement_before_occupation_on_each_side_of_the_acceptance_day(approved, flagged):
    checks = date_checks(occ(("O1", "A", approved, 60, 0, "5")), sup(("S1", "A", "2024-05-10", 100, 0, "5")), None)
    late = checks[checks["check"] == "supplement_after_occupation"]
    assert len(late) == int(flagged)
    if flagged:
        row = late.iloc[0]
        assert row["project_id"] == "O1" and row["other_project"] == "S1"
        assert str(row["other_date"].date()) == "2024-05-10" and row["area_mu"] == pytest.approx(60)
        assert "2024-05-09" in row["reason"] and "2024-05-10" in row["reason"]


def test_only_the_part_drawn_on_a_later_supplement_violates_supplement_first():
    checks = date_checks(occ(("O1", "A", "2024-05-09", 60, 0, "5")),
                         sup(("S0", "A", "2024-01-01", 40, 0, "5"), ("S1", "A", "2024-05-10", 100, 0, "5")), None)
    late = checks[checks["check"] == "supplement_after_occupation"].iloc[0]
    assert late["area_mu"] == pytest.approx(20) and late["other_project"] == "S1"
    cap = checks[checks["check"] == "cap_exceeded"].iloc[0]  # on 05-09 only 40 亩 were available
    assert cap["excess_mu"] == pytest.approx(20)


def test_each_project_is_charged_its_own_part_beyond_the_cap_never_the_countys_whole_shortfall():
    """3 亩 of paddy supplemented; Z1 occupies 4 (1 beyond), Z2 none, Z3 2 — all beyond: Z1 1 亩, Z3 2 亩 and Z2
    nothing of paddy (it was charged the county's 1 亩 again, Z3 3 亩: 4 亩 of paddy exceeded for a shortfall of 3)."""
    checks = date_checks(occ(("Z1", "A", "2024-03-01", 10, 4, "5"), ("Z2", "A", "2024-06-01", 5, 0, "5"),
                             ("Z3", "A", "2024-07-01", 5, 2, "5")),
                         sup(("B1", "A", "2024-01-01", 30, 3, "5")), None)
    cap = checks[checks["check"] == "cap_exceeded"].set_index("project_id")
    assert sorted(cap.index) == ["Z1", "Z3"]
    assert cap.loc["Z1", "excess_paddy_mu"] == pytest.approx(1) and cap.loc["Z3", "excess_paddy_mu"] == pytest.approx(2)
    assert cap["excess_paddy_mu"].sum() == pytest.approx(4 + 2 - 3)  # the county's paddy shortfall, counted once
    assert cap["excess_mu"].isna().all()  # 20 亩 of 30


@pytest.mark.parametrize("occupied, exceeded", [(100.0, False), (100.01, True), (99.99, False)])
def test_the_cap_at_just_below_and_just_above_it(occupied, exceeded):
    checks = date_checks(occ(("O1", "A", "2024-06-01", occupied, 0, "5")), sup(("S1", "A", "2024-01-01", 100, 0, "5")),
                         None)
    cap = checks[checks["check"] == "cap_exceeded"]
    assert len(cap) == int(exceeded)
    if exceeded:
        assert cap.iloc[0]["excess_mu"] == pytest.approx(0.01)
        assert cap.iloc[0]["excess_capacity_kg"] == pytest.approx(0.01 * 1100)
    assert (checks["check"] == "supplement_after_occupation").sum() == 0  # nothing was accepted after


def test_thirds_summing_to_the_cap_are_at_the_cap_not_over_it():
    third = 100 / 3
    checks = date_checks(occ(*[(f"O{i}", "A", "2024-06-01", third, 0, "5") for i in range(3)]),
                         sup(("S1", "A", "2024-01-01", 100, 0, "5")), None)
    assert checks.empty


def test_a_given_transfer_lowers_the_cap_and_paddy_is_capped_on_its_own():
    occupations = occ(("O1", "西湖区", "2024-03-01", 80, 30, "5"))
    supplements = sup(("S1", "西湖区", "2024-01-01", 100, 20, "5"), ("S2", "淳安县", "2024-01-01", 10, 0, "5"))
    moved = transfers(("西湖区", "淳安县", "2024-02-01", 30, 0, 0, None, None))
    cap = date_checks(occupations, supplements, moved).set_index("check").loc["cap_exceeded"]
    assert cap["excess_mu"] == pytest.approx(10)  # 100 − 30 given = 70 available, 80 used
    assert cap["excess_paddy_mu"] == pytest.approx(10)  # 20 paddy supplemented, 30 occupied
    assert np.isnan(cap["excess_capacity_kg"])  # no capacity given away: 110,000 kg held, 88,000 used


def square(x, y, side):
    return shapely.box(x, y, x + side, y + side)


def test_overlapping_supplements_are_one_row_on_the_later_one_with_the_shapely_area():
    a, b, c = square(0, 0, 100), shapely.Polygon([(60, 30), (170, 50), (150, 140), (70, 120)]), square(500, 0, 10)
    supplements = sup(("S1", "A", "2024-03-01", 10, 0, "5"), ("S2", "A", "2024-01-01", 10, 0, "5"),
                      ("S3", "A", "2024-01-01", 10, 0, "5"))
    checks, shapes = spatial_checks(occ(("O1", "A", "2024-06-01", 1, 0, "5")), [square(900, 900, 5)], supplements,
                                    [a, b, c], {})
    assert len(checks) == 1 and len(shapes) == 1
    row = checks.iloc[0]
    assert row["check"] == "supplement_overlap" and row["project_id"] == "S1" and row["other_project"] == "S2"
    expected = shapely.intersection(a, b).area
    assert row["area_m2"] == pytest.approx(expected) and shapes[0].area == pytest.approx(expected)


@pytest.mark.parametrize("overlap_m2, flagged", [(1.0, False), (0.999, False), (1.001, True)])
def test_protected_overlap_at_the_sliver_limit(overlap_m2, flagged):
    supplement = square(0, 0, 10)
    farmland_patch = shapely.box(10 - overlap_m2 / 10, 0, 20, 10)  # overlaps the supplement by overlap_m2
    assert shapely.intersection(supplement, farmland_patch).area == pytest.approx(overlap_m2)
    checks, _ = spatial_checks(occ(("O1", "A", "2024-06-01", 1, 0, "5")), [square(900, 900, 5)],
                               sup(("S1", "A", "2024-03-01", 10, 0, "5")), [supplement],
                               {"basic_farmland": np.array([farmland_patch], dtype=object)})
    assert len(checks) == int(flagged)
    if flagged:
        assert checks.iloc[0]["check"] == "supplement_on_protected"
        assert "permanent basic farmland" in checks.iloc[0]["reason"]


def test_occupations_of_basic_farmland_and_supplements_on_each_protected_layer():
    occupation, supplement = square(0, 0, 100), square(1000, 0, 100)
    basic, redline, built = square(50, 50, 100), square(1080, 0, 40), square(1000, 90, 100)
    checks, _ = spatial_checks(occ(("O1", "A", "2024-06-01", 1, 0, "5")), [occupation],
                               sup(("S1", "A", "2024-03-01", 10, 0, "5")), [supplement],
                               {"basic_farmland": np.array([basic]), "redline": np.array([redline]),
                                "construction": np.array([built])})
    got = {(r.check, r.project_id): r.area_m2 for r in checks.itertuples()}
    assert got[("occupies_basic_farmland", "O1")] == pytest.approx(occupation.intersection(basic).area)
    on_layers = sorted(checks.loc[checks["check"] == "supplement_on_protected", "area_m2"])
    assert on_layers == pytest.approx(sorted([supplement.intersection(redline).area,
                                              supplement.intersection(built).area]))
    assert list(checks.columns) == list(CHECK_COLUMNS)


def test_areas_come_from_the_geometry_when_the_field_is_absent_or_empty():
    table = pd.DataFrame({"district": ["A", "A"], "approval_date": ["2024-01-01", "2024-01-01"],
                          "cultivated_area": [None, 1000.0]}, dtype=object, index=[7, 8])
    read = read_projects(table, [2000.0, 5000.0], RULES, "approval_date")
    assert read.frame["area_m2"].tolist() == [2000.0, 1000.0]
    assert read.frame["capacity_kg"].isna().all()  # no grade field: capacity unknown, not zero


def test_bad_input_is_named_by_feature_and_field():
    table = pd.DataFrame({"district": ["A", None, "A", "A"], "approval_date": ["2024-01-01", "2024-01-01", "昨天",
                                                                                "2024-01-01"],
                          "cultivated_area": [-5, 10, 10, 10], "quality_grade": ["5", "5", "5", "16"]},
                         dtype=object, index=[11, 12, 13, 14])
    problems = read_projects(table, [np.nan] * 4, RULES, "approval_date").problems
    got = {(r.fid, r.field) for r in problems.itertuples()}
    assert got == {(11, "cultivated_area"), (12, "district"), (13, "approval_date"), (14, "quality_grade")}
    transfer = pd.DataFrame({"from_county": ["A", "Z", "B", "—"], "to_county": ["B", "A", "B", "A"],
                             "transfer_date": ["2024-01-01"] * 4, "transfer_mu": [1, 1, 1, 1]},
                            dtype=object, index=[1, 2, 3, 4])
    read = read_transfers(transfer, RULES)
    # giving to itself, and a placeholder where the giving county should be, are bad input; a county that no project
    # names (Z) is not: it is read, and named by transfer_only_counties
    assert read.problems[["fid", "field"]].values.tolist() == [[3, "to_county"], [4, "from_county"]]
    assert transfer_only_counties(read.frame, ["A", "B"]) == {"Z": [2]}
    assert read.placeholders[["fid", "canonical", "value"]].values.tolist() == [[4, "from_county", "—"]]


def test_flows_between_counties_and_their_lines():
    moved = transfers(("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地"),
                      ("淳安县", "西湖区", "2024-05-01", 100, 0, 0, None, "耕地"),
                      ("西湖区", "淳安县", "2024-06-01", 10, 0, 0, 50, "林地"))
    flows = farmland.transfer_flows(moved).set_index(["from_county", "to_county", "type"])
    row = flows.loc[("淳安县", "西湖区", "cultivated")]
    assert row["transfers"] == 2 and row["mu"] == pytest.approx(400) and row["funds"] == pytest.approx(12000)
    assert row["funds_unknown"] == 1  # the second transfer has no price: the 12,000 万元 are one transfer's
    assert flows.loc[("西湖区", "淳安县", "forest"), "funds"] == pytest.approx(500)
    assert flows.loc[("西湖区", "淳安县", "forest"), "funds_unknown"] == 0
    centres = farmland.county_centres([["西湖区", "西湖区", "淳安县"]],
                                      [[square(0, 0, 10), square(20, 0, 10), None]])
    assert centres == {"西湖区": pytest.approx((15.0, 5.0))}  # 淳安县 has no geometry: no centre
    lines = farmland.flow_lines(farmland.transfer_flows(moved), {**centres, "淳安县": (100.0, 0.0)})
    assert [line.coords[0] for line in lines] == [(100.0, 0.0), (15.0, 5.0)]



def test_two_flows_between_the_same_counties_do_not_overlap():
    """Seen on the print: 耕地 and 代保 from 淳安县 to 西湖区 were one line (the second colour hid the first), and a
    flow back the other way lay on it too. Flows of one pair of counties bow apart — each curve's middle
    0.15 × the distance from its neighbour's, symmetric about the straight line —, both ends kept at the centres;
    a flow alone between its counties stays straight."""
    moved = transfers(("淳安县", "西湖区", "2024-02-01", 300, 60, 270000, 40, "耕地"),
                      ("淳安县", "西湖区", "2024-02-01", 1000, 0, 0, 2, "粮食生产功能区代保"),
                      ("西湖区", "淳安县", "2024-06-01", 10, 0, 0, 50, "林地"),
                      ("西湖区", "建德市", "2024-06-01", 10, 0, 0, 50, "耕地"),
                      counties=("西湖区", "淳安县", "建德市"))
    flows = farmland.transfer_flows(moved)
    centres = {"淳安县": (0.0, 60000.0), "西湖区": (48000.0, 96000.0), "建德市": (10000.0, 0.0)}  # 60 km apart
    lines = dict(zip(zip(flows["from_county"], flows["to_county"], flows["type"]),
                     farmland.flow_lines(flows, centres)))
    pair = [lines[("淳安县", "西湖区", "cultivated")], lines[("淳安县", "西湖区", "grain_zone")],
            lines[("西湖区", "淳安县", "forest")]]
    for line in pair:  # from the giver's centre to the receiver's, whichever way
        assert {line.coords[0], line.coords[-1]} == {centres["淳安县"], centres["西湖区"]}
    assert pair[0].coords[0] == centres["淳安县"] and pair[2].coords[0] == centres["西湖区"]
    # the lanes, by hand: the pair's first county by name is 淳安县 (U+6DF3 < U+897F), left of 淳安县 → 西湖区 is
    # (−36, 48) / 60 per km; three flows: lanes −1, 0, +1 in the flows' order (淳安县→西湖区 耕地, 代保; back 林地)
    chord_middle, left = np.array([24000.0, 78000.0]), np.array([-0.6, 0.8])
    for line, lane in zip(pair, (-1, 0, 1)):
        middle = np.array(line.interpolate(0.5, normalized=True).coords[0])
        assert middle == pytest.approx(chord_middle + left * lane * 0.15 * 60000, abs=1.0)
    for n, one in enumerate(pair):
        for other in pair[n + 1:]:
            assert one.intersection(other).length == 0  # they meet at their ends only
            assert one.hausdorff_distance(other) >= 0.15 * 60000 - 1
    alone = lines[("西湖区", "建德市", "cultivated")]
    assert list(alone.coords) == [centres["西湖区"], centres["建德市"]]

def test_the_summary_is_plain_json_when_capacity_is_unknown():
    import json

    table = pd.DataFrame({"district": ["A"], "approval_date": ["2024-01-01"]}, dtype=object, index=[1])
    occupations = read_projects(table, [1000.0], RULES, "approval_date").frame
    supplements = sup(("S1", "A", "2023-01-01", 10, 0, "5"))
    ledger = farmland.ledger(occupations, supplements, None, "year")
    checks = date_checks(occupations, supplements, None)
    summary = farmland.summarise(ledger, occupations, supplements, None, checks)
    assert summary["occupied_capacity_kg"] is None and summary["capacity_known"] is False
    assert "NaN" not in json.dumps(summary, default=str)
    assert ledger["balance_capacity_kg"].isna().all() and (ledger["status"] == "balanced").all()


def linked_occupation(approved, names, county="西湖区"):
    table = pd.DataFrame({"project_id": ["O1"], "district": [county], "approval_date": [approved],
                          "cultivated_area": [60 * MU], "supplement_id": [names]}, dtype=object, index=[5])
    read = read_projects(table, [np.nan], RULES, "approval_date")
    assert read.problems.empty
    return read.frame


@pytest.mark.parametrize("approved, flagged", [("2024-05-09", True), ("2024-05-10", False), ("2024-05-11", False)])
def test_an_occupation_naming_its_supplements_is_judged_by_them(approved, flagged):
    """挂钩: the named supplement lies in another county (indicators bought) and the county's own pool is large and
    old — only the link tells 先补后占."""
    supplements = sup(("S0", "西湖区", "2020-01-01", 500, 0, "5"), ("S9", "淳安县", "2024-05-10", 100, 0, "5"),
                      ("S8", "淳安县", "2023-01-01", 100, 0, "5"))
    checks = date_checks(linked_occupation(approved, "S8、S9"), supplements, None)
    late = checks[checks["check"] == "supplement_after_occupation"]
    assert len(late) == int(flagged)
    if flagged:
        row = late.iloc[0]
        assert row["other_project"] == "S9" and str(row["other_date"].date()) == "2024-05-10"
        assert row["area_mu"] == pytest.approx(60) and row["feature_id"] == 5 and row["other_feature_id"] == 2


def test_a_named_supplement_that_does_not_exist_is_bad_input():
    from land_bureau_plugin.analysis.farmland_reading import link_problems

    problems = link_problems(linked_occupation("2024-05-09", "S1,S7"), sup(("S1", "A", "2024-01-01", 10, 0, "5")),
                             labels={"supplement_id": "补充耕地项目编号"})
    assert problems[["fid", "field"]].values.tolist() == [[5, "补充耕地项目编号"]]
    assert "S7" in problems["problem"].iloc[0] and "S1" not in problems["problem"].iloc[0]


@pytest.mark.parametrize("period, labels", [
    ("quarter", ["2024Q1", "2024Q2", "2024Q3"]),
    ("month", ["2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]),
    ("year", ["2024"]),
    ("all", ["全部"]),
])
def test_every_period_from_the_first_flow_to_the_last_carries_the_balance(period, labels):
    """A period without a flow still has its row, with the balance carried over (以补定占 counts what is left)."""
    table = farmland.ledger(occ(("O1", "A", "2024-07-31", 30, 0, "5")), sup(("S1", "A", "2024-02-29", 100, 0, "5")),
                            None, period)
    assert table["period"].tolist() == labels
    assert table["balance_mu"].tolist()[:-1] == pytest.approx([100.0] * (len(labels) - 1))
    assert table["balance_mu"].iloc[-1] == pytest.approx(70.0) and (table["status"] == "balanced").all()
    if period == "quarter":
        assert [str(d.date()) for d in table["period_start"]] == ["2024-01-01", "2024-04-01", "2024-07-01"]
        assert str(table["period_end"].iloc[0].date()) == "2024-03-31"


@pytest.mark.parametrize("paddy_accepted, flagged", [("2024-03-01", False), ("2024-03-02", True)])
def test_supplement_first_holds_for_paddy_and_capacity_on_their_own(paddy_accepted, flagged):
    """Dry land of January covers the 亩 of a March occupation, but its 10 亩 of paddy can only come from the paddy
    supplement: accepted on the approval day it is before, a day later it is 先补后占 — for paddy (and the capacity
    the dry land of grade 7 cannot cover), not for the 亩."""
    occupations = occ(("O1", "A", "2024-03-01", 10, 10, "5"))  # 11,000 kg
    supplements = sup(("S0", "A", "2024-01-01", 100, 0, "15"),  # 100 亩 dry land, 10,000 kg
                      ("S1", "A", paddy_accepted, 10, 10, "5"))
    late = date_checks(occupations, supplements, None)
    late = late[late["check"] == "supplement_after_occupation"]
    assert len(late) == int(flagged)
    if flagged:
        row = late.iloc[0]
        assert row["late_mu"] == 0 and row["late_paddy_mu"] == pytest.approx(10)
        assert row["late_capacity_kg"] == pytest.approx(1000)  # 11,000 used, 10,000 held by S0
        assert row["other_project"] == "S1" and row["area_mu"] == 0
        assert "10.00 亩 paddy" in row["reason"] and "1,000 kg grain capacity" in row["reason"]
        assert "cultivated land" not in row["reason"]


def test_supplement_first_names_the_county_a_later_transfer_came_from():
    occupations = occ(("O1", "西湖区", "2024-03-01", 50, 0, "5"))
    supplements = sup(("S1", "淳安县", "2023-01-01", 500, 0, "5"))
    moved = transfers(("淳安县", "西湖区", "2024-03-02", 50, 0, 55000, None, "耕地"))
    late = date_checks(occupations, supplements, moved).set_index("check").loc["supplement_after_occupation"]
    assert late["other_layer"] == "transfers" and late["late_mu"] == pytest.approx(50)
    assert "received from 淳安县 on 2024-03-02" in late["reason"]


def test_a_county_only_in_transfers_is_in_the_ledger_but_not_judged():
    """A county buying before it occupies (or outside the data) has its transfers and their net, status
    transfers_only, no shortfall and no 以补定占 row, even when it gives more than the data shows it holds."""
    occupations = occ(("O1", "A", "2024-03-01", 10, 0, "5"))
    supplements = sup(("S1", "A", "2024-01-01", 10, 0, "5"))
    moved = transfers(("省级统筹", "A", "2024-02-01", 30, 0, 0, None, "耕地"),
                      ("A", "新城区", "2024-04-01", 5, 0, 0, None, "耕地"))
    table = farmland.ledger(occupations, supplements, moved, "all").set_index("county")
    assert table.loc["省级统筹", "status"] == "transfers_only" and table.loc["省级统筹", "balance_mu"] == -30
    assert table.loc["省级统筹", "shortfall_mu"] == 0 and table.loc["省级统筹", "deficit_in"] == ""
    assert table.loc["新城区", "status"] == "transfers_only" and table.loc["新城区", "balance_mu"] == 5
    assert table.loc["A", "status"] == "balanced" and table.loc["A", "balance_mu"] == pytest.approx(25)
    checks = date_checks(occupations, supplements, moved)
    assert set(checks["county"]) <= {"A"}
    assert transfer_only_counties(moved, ["A"]) == {"新城区": [2], "省级统筹": [1]}
    summary = farmland.summarise(farmland.ledger(occupations, supplements, moved, "all"), occupations, supplements,
                                 moved, checks)
    assert summary["deficit"] == {} and summary["transfers_only"] == ["新城区", "省级统筹"]


def test_placeholders_are_read_as_empty_values_and_listed():
    """无 / — / 尚无资料 mark no data: the area then comes from the geometry, paddy is 0; a placeholder grade is no
    grade and a placeholder county no county (both named); none is 'not a number'."""
    table = pd.DataFrame({"district": ["A", "A", "/", "A"], "approval_date": ["2024-01-01"] * 4,
                          "cultivated_area": ["尚无资料", "1000", "1000", "1000"], "paddy_area": ["100", "无", "—", ""],
                          "quality_grade": ["5", "5", "5", "—"]}, dtype=object, index=[1, 2, 3, 4])
    read = read_projects(table, [2000.0, 3000.0, 3000.0, 3000.0], RULES, "approval_date")
    assert read.frame.loc[1, "area_m2"] == 2000 and read.frame.loc[2, "paddy_m2"] == 0
    assert {(r.fid, r.field) for r in read.problems.itertuples()} == {(3, "district"), (4, "quality_grade")}
    assert not read.problems["problem"].str.contains("not a number").any()
    assert sorted(read.placeholders[["fid", "canonical"]].itertuples(index=False, name=None)) == [
        (1, "cultivated_area"), (2, "paddy_area"), (3, "district"), (3, "paddy_area"), (4, "quality_grade")]


def test_a_paddy_indicator_may_be_traded_alone():
    """Quantity, paddy and capacity indicators trade each on its own: 20 亩 of 水田 without 亩 is no error, and moves
    only the paddy balance."""
    moved = transfers(("淳安县", "西湖区", "2024-02-01", 0, 20, 0, 30, "耕地"))
    assert moved.loc[1, "paddy_mu"] == 20 and moved.loc[1, "mu"] == 0
    supplements = sup(("S1", "西湖区", "2024-01-01", 10, 0, "5"), ("S2", "淳安县", "2023-01-01", 50, 30, "5"))
    table = farmland.ledger(occ(("O1", "西湖区", "2024-03-01", 10, 10, "5")), supplements, moved, "all")
    table = table.set_index("county")
    assert table.loc["西湖区", "balance_paddy_mu"] == pytest.approx(10) and table.loc["西湖区", "balance_mu"] == 0
    assert table.loc["淳安县", "balance_paddy_mu"] == pytest.approx(10)


def test_a_profile_changing_the_grade_table_without_a_source_makes_it_a_local_default():
    bundled = FarmlandRules().source_table()
    assert bundled["capacity_per_mu"].local and not bundled["basic_farmland"].local
    changed = FarmlandRules(capacity_per_mu={str(g): 1000.0 - 50 * g for g in range(1, 16)})
    assert changed.source_table()["capacity_per_mu"].local
    assert "按国家利用等别" not in changed.source_table()["capacity_per_mu"].note  # the bundled note no longer says it
    assert not changed.source_table()["basic_farmland"].local  # the other rules keep their documents
    cited = FarmlandRules(capacity_per_mu={"1": 900.0}, sources={
        "capacity_per_mu": {"document": "浙江省耕地质量等别与标准粮产能对照表", "date": "2023"}})
    assert cited.source_table()["capacity_per_mu"].citation() == "《浙江省耕地质量等别与标准粮产能对照表》（2023）"
    assert not cited.source_table()["occupation_capped"].local
