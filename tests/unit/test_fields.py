"""The canonical field model (analysis/fields.py): detecting field names, guessing a layer's role, checking a map."""
import pytest

from land_bureau_plugin.analysis.fields import (
    FIELDS,
    ROLES,
    check_field_map,
    detect_field_map,
    guess_role,
    normalise,
)

PROJECT_FIELDS = ["XMBH", "XMMC", "ZQRQ", "KGRQ", "JGRQ", "AZRQ", "HS", "AZDKBH", "XZQ"]
PARCEL_FIELDS = ["DKBH", "YDXZ", "YDMJ", "RJL", "JZMJ", "JZMD", "QLR", "XZQ"]


def problems_by_code(problems):
    return {p.code: p for p in problems}


@pytest.mark.parametrize("layer_field, canonical", [
    ("地块编号", "parcel_id"),
    ("用地面积", "area_m2"),
    ("容积率", "far"),
    ("建筑面积", "building_area"),
    ("建筑密度", "coverage"),
    ("用地性质", "land_use"),
    ("层数", "floors"),
    ("建筑高度", "height"),
    ("权利人", "owner"),
    ("征迁日期", "expropriation_date"),
    ("安置房开工日期", "housing_start_date"),
    ("安置房竣工日期", "housing_complete_date"),
    ("完成安置日期", "resettled_date"),
    ("征迁户数", "households"),
    ("安置地块编号", "resettlement_plot_id"),
    ("DKBH", "parcel_id"),
    ("YDMJ", "area_m2"),
    ("RJL", "far"),
    ("JZMJ", "building_area"),
    ("CS", "floors"),
    ("JZGD", "height"),
    ("YDXZ", "land_use"),
    ("QLR", "owner"),
    ("ZQRQ", "expropriation_date"),
    ("parcel_id", "parcel_id"),
    ("area", "area_m2"),
    ("floor_area", "building_area"),
    ("storeys", "floors"),
    ("households", "households"),
])
def test_a_known_alias_maps_to_its_canonical_field(layer_field, canonical):
    assert detect_field_map([layer_field]) == {canonical: layer_field}


@pytest.mark.parametrize("layer_field", ["dkbh", "Dkbh", " DKBH ", "ＤＫＢＨ", "Parcel_ID", "PARCEL-ID", "parcel id",
                                         "地块 编号", "地块_编号"])
def test_case_width_spaces_dashes_and_underscores_do_not_matter(layer_field):
    assert detect_field_map([layer_field]) == {"parcel_id": layer_field}


@pytest.mark.parametrize("layer_field, canonical", [
    ("用地面积(m²)", "area_m2"),
    ("用地面积（平方米）", "area_m2"),
    ("建筑面积（m²）", "building_area"),
    ("容积率 (%)", "far"),
    ("建筑高度[m]", "height"),
    ("税收【万元】", "tax"),
])
def test_an_alias_followed_by_a_unit_note_is_still_that_alias(layer_field, canonical):
    assert detect_field_map([layer_field]) == {canonical: layer_field}


@pytest.mark.parametrize("layer_field, canonical", [
    ("征迁时间", "expropriation_date"),
    ("征收决定日期", "expropriation_date"),
    ("开工时间", "housing_start_date"),
    ("实际竣工时间", "complete_date"),  # on a resettlement project: housing_complete_date (test_field_catalogue)
    ("回迁时间", "resettled_date"),
    ("安置户数", "households"),
    ("地上建筑面积", "building_area"),
    ("规划容积率", "far"),
    ("所属街道", "district"),
    ("安置地块面积", "area_m2"),
])
def test_a_chinese_keyword_inside_a_longer_name_suggests_the_field(layer_field, canonical):
    assert detect_field_map([layer_field]) == {canonical: layer_field}


@pytest.mark.parametrize("layer_fields, expected", [
    # the name says what the value is at its end: a count of expropriated households is not a date
    (["征迁户数量", "征迁日期2"], {"households": "征迁户数量", "expropriation_date": "征迁日期2"}),
    (["征迁项目名称", "征迁时间"], {"project_name": "征迁项目名称", "expropriation_date": "征迁时间"}),
    (["建筑面积（m²）", "用地面积(平方米)"], {"building_area": "建筑面积（m²）", "area_m2": "用地面积(平方米)"}),
    # of two names for one field, the more specific match wins; the other is not pushed into a different field
    (["建筑占地面积", "总用地面积"], {"area_m2": "总用地面积"}),
    (["征迁户数", "征迁户数量"], {"households": "征迁户数"}),
])
def test_keyword_matches_never_put_one_quantity_into_another_field(layer_fields, expected):
    assert detect_field_map(layer_fields) == expected


@pytest.mark.parametrize("layer_fields, role, expected", [
    # a limit is not the value: 容积率上限 read as the parcels' FAR made low-efficiency parcels FAR 3.0
    (["地块编号", "容积率上限", "现状容积率"], "parcels", {"parcel_id": "地块编号", "far": "现状容积率"}),
    (["地块编号", "容积率上限"], "parcels", {"parcel_id": "地块编号"}),
    (["方案编号", "建筑高度上限", "容积率下限", "最大容积率", "规划限高"], "upstairs_plans", {"plan_id": "方案编号"}),
    # floor area below ground is not in the FAR: 地下建筑面积 was the plan's building area (FAR 0.5 for 2.5)
    (["方案编号", "地下建筑面积", "容积率"], "upstairs_plans", {"plan_id": "方案编号", "far": "容积率"}),
    # FAR counts 计容建筑面积: 总建筑面积 (with 6,000 m² below ground) gave FAR 2.5 for 1.9, whatever the order
    (["方案编号", "总建筑面积", "计容建筑面积"], "upstairs_plans",
     {"plan_id": "方案编号", "building_area": "计容建筑面积"}),
    (["方案编号", "计容建筑面积", "总建筑面积"], "upstairs_plans",
     {"plan_id": "方案编号", "building_area": "计容建筑面积"}),
    (["方案编号", "总建筑面积"], "upstairs_plans", {"plan_id": "方案编号", "building_area": "总建筑面积"}),  # alone
])
def test_a_limit_or_a_floor_area_below_ground_is_never_the_value(layer_fields, role, expected):
    assert detect_field_map(layer_fields, role) == expected


@pytest.mark.parametrize("role, expected", [(None, "area_m2"), ("upstairs_plans", "declared_area")])
def test_a_role_reads_a_name_among_its_own_fields(role, expected):
    assert detect_field_map(["申报宗地面积"], role) == {expected: "申报宗地面积"}


def test_exact_aliases_win_over_keyword_matches_whatever_the_order():
    assert detect_field_map(["征迁时间备注", "征迁日期"]) == {"expropriation_date": "征迁日期"}
    assert detect_field_map(["用地面积(亩)", "用地面积"]) == {"area_m2": "用地面积"}


def test_of_two_equal_candidates_the_first_layer_field_is_used():
    assert detect_field_map(["DKBH", "地块编号"]) == {"parcel_id": "DKBH"}
    assert detect_field_map(["征迁时间", "征收时间"]) == {"expropriation_date": "征迁时间"}


@pytest.mark.parametrize("layer_fields", [
    ["征迁时间", "征迁户数"],
    ["面积", "建筑面积", "用地面积", "YDMJ"],
    ["开工竣工日期", "竣工日期"],
])
def test_each_layer_field_is_used_at_most_once(layer_fields):
    proposal = detect_field_map(layer_fields)
    assert len(set(proposal.values())) == len(proposal)
    assert set(proposal.values()) <= set(layer_fields)


def test_a_whole_chinese_parcel_table_is_recognised():
    fields = ["地块编号", "用地性质", "用地面积", "容积率", "建筑面积", "建筑密度", "权利人", "所属区县",
              "备注", "OBJECTID"]
    assert detect_field_map(fields, "parcels") == {
        "parcel_id": "地块编号", "land_use": "用地性质", "area_m2": "用地面积", "far": "容积率",
        "building_area": "建筑面积", "coverage": "建筑密度", "owner": "权利人", "district": "所属区县"}


def test_a_whole_pinyin_project_table_is_recognised():
    assert detect_field_map(PROJECT_FIELDS, "resettlement_projects") == {
        "project_id": "XMBH", "project_name": "XMMC", "expropriation_date": "ZQRQ", "housing_start_date": "KGRQ",
        "housing_complete_date": "JGRQ", "resettled_date": "AZRQ", "households": "HS",
        "resettlement_plot_id": "AZDKBH", "district": "XZQ"}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_role_only_receives_its_own_fields(role):
    everything = [f.aliases[0] for f in FIELDS.values()] + ["征迁时间", "建筑高度限制"]
    proposal = detect_field_map(everything, role)
    allowed = set(ROLES[role].required) | set(ROLES[role].optional)
    assert set(proposal) <= allowed
    assert set(proposal) == allowed  # every field of the role is present in `everything`


def test_unrelated_field_names_give_an_empty_map():
    assert detect_field_map(["OBJECTID", "Shape_Length", "备注", "FID"]) == {}
    assert detect_field_map([]) == {}


def test_every_alias_of_every_field_detects_that_field():
    """On a layer of a role that carries the field (a name may mean another field on another role's layer)."""
    for canon in FIELDS.values():
        roles = [r.name for r in ROLES.values() if canon.name in {*r.required, *r.optional}] or [None]
        for alias in canon.aliases:
            for role in roles:
                assert detect_field_map([alias], role) == {canon.name: alias}, (alias, role)


def test_the_vocabulary_is_consistent():
    """Within a role a name means one field (across roles it may mean two: test_field_catalogue)."""
    for role in ROLES.values():
        owners = {}
        for name in {*role.required, *role.optional}:
            for alias in FIELDS[name].aliases:
                assert owners.setdefault(normalise(alias), name) == name, f"{alias} belongs to two fields"
    for role in ROLES.values():
        assert set(role.required) | set(role.optional) <= set(FIELDS), role.name
    assert {f.kind for f in FIELDS.values()} <= {"text", "number", "date", "flag"}


@pytest.mark.parametrize("fields, geometry, expected", [
    (PROJECT_FIELDS, "point", "resettlement_projects"),
    (PROJECT_FIELDS, "polygon", "resettlement_projects"),
    (["项目编号", "项目名称", "征迁时间", "征迁户数"], "point", "resettlement_projects"),
    (PARCEL_FIELDS, "polygon", "parcels"),
    (["地块编号", "用地面积", "容积率", "税收", "产值"], "unknown", "parcels"),
    (["FABH", "SBMJ", "JZMJ", "RJL", "JZGD", "CS", "SCCG", "HTZZ"], "polygon", "upstairs_plans"),
    (["AZDKBH", "XZQ"], "polygon", "resettlement_plots"),
    (["YDXZ"], "polygon", "landuse"),
    (["户数", "行政区"], "polygon", "residential"),
    (["设施类型", "名称"], "point", "facilities"),
    (["道路等级"], "line", "roads"),
])
def test_guess_role_from_the_fields_a_layer_carries(fields, geometry, expected):
    assert guess_role(fields, geometry) == expected


@pytest.mark.parametrize("fields, geometry", [
    (PARCEL_FIELDS, "point"),  # parcels must be polygons
    (["OBJECTID", "备注"], "polygon"),
    (["XMMC", "ZQRQ"], "point"),  # no project id: a required field is missing
    (["行政区"], "polygon"),  # district outlines: no role of their own (not residential units)
])
def test_guess_role_gives_none_when_no_role_fits(fields, geometry):
    assert guess_role(fields, geometry) is None


@pytest.mark.parametrize("layer_name, expected", [
    ("永久基本农田2023", "farmland"),
    ("生态保护红线", "redline"),
    ("城镇开发边界", "urban_boundary"),
    ("安置地块", "resettlement_plots"),
    ("西湖区地块", "parcels"),
    ("farmland_xihu", "farmland"),
    ("Resettlement_Plots", "resettlement_plots"),
])
def test_guess_role_trusts_the_layer_name_first(layer_name, expected):
    assert guess_role(PARCEL_FIELDS, "polygon", layer_name) == expected


def test_check_accepts_a_complete_map():
    layer = ["XMBH", "ZQRQ", "HS"]
    assert check_field_map({"project_id": "XMBH", "expropriation_date": "ZQRQ", "households": "HS"},
                           layer, "resettlement_projects") == []


@pytest.mark.parametrize("field_map, candidates", [
    ({}, ("XMBH", "ZQRQ", "备注")),
    ({"project_id": "XMBH"}, ("ZQRQ", "备注")),
    ({"project_id": "XMBH", "expropriation_date": ""}, ("ZQRQ", "备注")),
])
def test_check_reports_a_missing_required_field_with_the_unmapped_fields_as_candidates(field_map, candidates):
    problems = check_field_map(field_map, ["XMBH", "ZQRQ", "备注"], "resettlement_projects")
    missing = {p.canonical: p.candidates for p in problems if p.code == "missing_required"}
    assert missing[("expropriation_date",)] == candidates
    assert (("project_id",) in missing) == ("project_id" not in field_map)


def test_check_reports_two_canonical_fields_on_one_layer_field():
    problems = check_field_map({"parcel_id": "DKBH", "area_m2": "YDMJ", "building_area": "YDMJ"},
                               ["DKBH", "YDMJ"], "parcels")
    assert [(p.code, p.canonical, p.layer_field) for p in problems] == [
        ("duplicate_target", ("area_m2", "building_area"), "YDMJ")]


def test_check_reports_a_field_the_layer_does_not_have():
    problems = check_field_map({"parcel_id": "DKBH", "far": "容积率"}, ["DKBH", "RJL"], "parcels")
    assert [(p.code, p.canonical, p.layer_field) for p in problems] == [("unknown_field", ("far",), "容积率")]


def test_check_reports_a_canonical_name_outside_the_vocabulary():
    problems = check_field_map({"parcel_id": "DKBH", "parcle_area": "YDMJ"}, ["DKBH", "YDMJ"], "parcels")
    assert [(p.code, p.canonical) for p in problems] == [("unknown_canonical", ("parcle_area",))]


def test_check_reports_every_problem_at_once():
    problems = problems_by_code(check_field_map(
        {"area_m2": "X", "far": "YDMJ", "building_area": "YDMJ"}, ["YDMJ", "DKBH"], "parcels"))
    assert set(problems) == {"unknown_field", "duplicate_target", "missing_required"}
    assert problems["missing_required"].candidates == ("DKBH",)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_detected_map_passes_its_own_check_when_the_layer_has_every_required_field(role):
    layer = [FIELDS[name].aliases[0] for name in ROLES[role].required + ROLES[role].optional]
    assert check_field_map(detect_field_map(layer, role), layer, role) == []
