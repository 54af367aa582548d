"""Print themes as data (layouts/themes.py) and what they make of a result frame (layouts/tables.py)."""
import pandas as pd
import pytest

from land_bureau_plugin.analysis.units import M2_PER_MU
from land_bureau_plugin.layouts import tables
from land_bureau_plugin.layouts.themes import (
    EFFICIENCY,
    LAND_SUPPLY,
    RESETTLEMENT,
    THEMES,
    UPSTAIRS,
    Column,
    Figure,
    Theme,
    theme_for,
)


def resettlement_frame(rows) -> pd.DataFrame:
    """Result rows as read from a layer: object dtype, None for NULL, feature ids as index."""
    columns = ["project_id", "project_name", "district", "grade", "resettle_status", "resettle_days",
               "overdue_households"]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.index = pd.Index([10 * (i + 1) for i in range(len(frame))], name="fid")
    return frame


def red(pid, households, days, district="城厢街道"):
    return [pid, f"{pid}项目", district, "red", "overdue", days, households]


def test_every_theme_is_complete_and_its_printed_table_has_a_sequence_column():
    for key, theme in THEMES.items():
        assert theme.key == key and theme.title and theme.empty_text and theme.printed_columns()
        assert theme.flag_field in theme.fields()
        assert theme_for(theme.algorithm) is theme
    with pytest.raises(KeyError):
        theme_for("nothing")


def test_flagged_rows_are_sorted_worst_first_with_missing_last_and_ties_in_feature_order():
    frame = resettlement_frame([red("A", 10, -5), ["G", "G项目", "城厢街道", "green", "on_time", 900, 0],
                                red("B", 300, -100), red("C", None, -50), red("D", 10, -200), red("E", 10, -5)])
    rows = tables.flagged(frame, RESETTLEMENT)
    assert rows["project_id"].tolist() == ["B", "D", "A", "E", "C"]


def test_table_rows_number_label_colour_and_state_the_total_when_cut():
    frame = resettlement_frame([red(f"P{i}", i, -i) for i in range(30)])
    table = tables.table_rows(frame, RESETTLEMENT, limit=5)
    assert table.total == 30 and table.shown == 5
    assert table.note() == "共 30 项，显示前 5 项"
    assert table.headers[0] == "序号" and "超期过渡\n（户）" in table.headers
    assert [r[0] for r in table.rows] == ["1", "2", "3", "4", "5"]
    grade = table.headers.index("预警等级")
    assert {r[grade] for r in table.rows} == {"红色超期"}
    assert table.colours[0][grade] == RESETTLEMENT.columns[3].colours["red"]
    households = table.headers.index("超期过渡\n（户）")
    assert table.rows[0][households] == "29"
    assert table.headers[1] == "项目编号"  # the id column, always printed, first after 序号
    assert "征迁户数\n（户）" not in table.headers and "原因" not in table.headers  # XLSX-only columns


def test_empty_result_gives_an_empty_table_and_the_total_zero():
    frame = resettlement_frame([["G", "G项目", "城厢街道", "green", "on_time", 900, 0]])
    table = tables.table_rows(frame, RESETTLEMENT)
    assert table.rows == [] and table.total == 0 and table.note() == "共 0 项"


def test_missing_columns_are_left_out_not_an_error():
    frame = pd.DataFrame({"grade": ["red"], "overdue_households": [3]}, dtype=object)
    table = tables.table_rows(frame, RESETTLEMENT)
    assert table.headers == ["序号", "预警等级", "超期过渡\n（户）"]
    assert tables.table_rows(pd.DataFrame({"x": [1]}), RESETTLEMENT).total == 0


def test_numbers_are_scaled_rounded_and_long_texts_shortened():
    column = Column("area_m2", "面积", "亩", scale=1 / M2_PER_MU, decimals=1)
    assert tables.format_column(pd.Series([M2_PER_MU * 1234.56, None, ""]), column) == ["1,234.6", "—", "—"]
    short = Column("name", "名称", max_chars=5)
    assert tables.format_column(pd.Series(["一二三四五六七"]), short) == ["一二三四…"]
    assert tables.format_column(pd.Series(["一二三四五六七"]), short, shorten=False) == ["一二三四五六七"]


def test_flags_match_numbers_booleans_and_texts_alike():
    series = pd.Series([1, 0, 1.0, True, "1", "0", None, float("nan"), False], dtype=object)
    assert tables.matches(series, (1, True)).tolist() == [True, False, True, True, True, False, False, False, False]
    assert tables.matches(pd.Series(["Red", "red ", "green"]), ("red",)).tolist() == [True, True, False]
    assert tables.matches(series, (0, None)).tolist() == [False, True, False, False, False, True, True, True, True]


def test_figures_count_and_sum_with_conditions_and_skip_what_the_frame_lacks():
    frame = pd.DataFrame({"low_eff": [1, 0, 1, 1], "grade": ["D", "A", "C", "D"],
                          "area_mu": [10.0, 5.0, 2.5, None],
                          "potential_m2": [20000.0, 0.0, 5000.0, None]}, dtype=object)
    values = dict(tables.figures(frame, EFFICIENCY))
    assert values == {"分析地块（宗）": "4", "低效地块（宗）": "3", "低效面积（亩）": "12.5（1宗面积不明）",
                      "D级地块（宗）": "2", "再开发潜力（万m²）": "2.50（1宗潜力不明）"}
    lacking = Theme("t", "t", "t", "alg", "parcels", "flag", (1,), (), figures=(Figure("x", field="nothing"),))
    assert tables.figures(frame, lacking) == []


def test_land_supply_fees_never_sum_an_unknown_as_zero():
    """An idle parcel without a land price has no fee (NULL): the figure prints the known sum and says how many are
    unknown, per district and in 合计; the table prints 地价不明 instead of a number or a blank."""
    frame = pd.DataFrame({"parcel_id": ["a", "b", "c", "d", "e"], "district": ["东", "东", "西", "西", "西"],
                          "supply_status": ["idle", "reclaim", "idle", "missing", "on_time"],
                          "area_m2": [2000.0, 1000.0, None, 500.0, 700.0],
                          "idle_days": [400, 800, 380, None, None], "idle_fee": [100.0, None, 50.0, None, 0.0]},
                         dtype=object)
    values = dict(tables.figures(frame, LAND_SUPPLY))
    assert values["闲置费（万元）"] == "150.0（1宗地价不明）"  # b unknown; d (data error) is no idle parcel
    assert values["闲置面积（亩）"] == f"{3000 / M2_PER_MU:,.1f}（1宗面积不明）"
    headers, rows = tables.breakdown(frame, LAND_SUPPLY)
    fee = headers.index("闲置费（万元）")
    assert [(r[0], r[fee]) for r in rows] == [("东", "100.0（1宗地价不明）"), ("西", "50.0"),
                                              ("合计", "150.0（1宗地价不明）")]
    table = tables.table_rows(frame, LAND_SUPPLY)
    printed = dict(zip((r[1] for r in table.rows), (r[table.headers.index("闲置费\n（万元）")] for r in table.rows)))
    assert printed == {"a": "100.0", "b": "地价不明", "c": "50.0"}
    known = frame.assign(idle_fee=[100.0, 20.0, 50.0, None, 0.0], area_m2=[1.0] * 5)
    assert dict(tables.figures(known, LAND_SUPPLY))["闲置费（万元）"] == "170.0"


def test_upstairs_lists_failed_plans_then_undecided_ones():
    """A plan not checked (passed NULL: a rule open, a data error in its own values) is neither passed nor failed:
    listed after the failed ones as 未核查 and counted apart — a table of such plans once said 所有方案均通过审查."""
    frame = pd.DataFrame({"plan_id": ["F3", "U1", "F1", "F2", "U2"], "passed": [0, None, 1, 0, float("nan")],
                          "failed_rules": ["far,area_match", "", "", "height", None],
                          "unchecked_rules": ["lift_capacity", "ground_floor_load,farmland", "", "", None]},
                         dtype=object)
    table = tables.table_rows(frame, UPSTAIRS)
    assert [r[1] for r in table.rows] == ["F2", "F3", "U1", "U2"]  # failed by plan id, then undecided
    assert [r[2] for r in table.rows] == ["未通过", "未通过", "未核查", "未核查"]
    # rule ids in words; a plan not checked names the rules left open (it printed "—"), one without them "—"
    assert [r[-1] for r in table.rows] == ["建筑高度", "容积率、面积核对", "未核查：首层荷载、永久基本农田", "—"]
    exported = tables.export_frame(frame, UPSTAIRS)  # every plan: failed, passed, then undecided
    assert exported["方案编号"].tolist() == ["F2", "F3", "F1", "U1", "U2"]
    assert exported["未通过规则"].tolist()[:3] == ["建筑高度", "容积率、面积核对", ""]
    figures = dict(tables.figures(frame, UPSTAIRS))
    assert (figures["通过（个）"], figures["未通过（个）"], figures["未核查（个）"]) == ("1", "2", "2")
    everything_passed = frame.assign(passed=1)
    assert tables.table_rows(everything_passed, UPSTAIRS).total == 0  # only then: 所有方案均通过审查


def test_a_failing_value_prints_the_decimals_that_make_it_fail():
    """A FAR of 1.9999 failing "≥ 2" printed 2.00 beside 未通过 容积率, a height of 100.04 m failing "≤ 100" 100.0:
    the failing values keep up to four decimals; passing ones and other rules' values keep the column's."""
    frame = pd.DataFrame({"plan_id": ["A", "B", "C"], "passed": [0, 0, 0],
                          "failed_rules": ["far", "height", "floors"], "far": [1.9999, 1.5, 1.9999],
                          "height": [40.0, 100.04, 24.0]}, dtype=object)
    table = tables.table_rows(frame, UPSTAIRS)
    far, height = table.headers.index("容积率"), table.headers.index("建筑高度\n（m）")
    assert [(r[1], r[far], r[height]) for r in table.rows] == [("A", "1.9999", "40.0"), ("B", "1.50", "100.04"),
                                                               ("C", "2.00", "24.0")]


def test_export_frame_keeps_every_row_whole_texts_and_numbers_in_the_printed_unit():
    long_reason = "原因" * 40
    frame = pd.DataFrame({"parcel_id": ["a", "b"], "low_eff": [0, 1], "area_mu": [3.0, 1.26],
                          "potential_m2": [0.0, 12345.0], "grade": ["A", "D"], "reasons": ["", long_reason]},
                         dtype=object)
    out = tables.export_frame(frame, EFFICIENCY)
    assert list(out.columns) == ["地块编号", "面积（亩）", "亩均等级", "再开发潜力（万m²）", "原因"]
    assert out["地块编号"].tolist() == ["b", "a"]  # potential, largest first
    assert out["面积（亩）"].tolist() == [1.3, 3.0]
    assert out["再开发潜力（万m²）"].tolist() == [1.23, 0.0]
    assert out["亩均等级"].tolist() == ["D 倒逼整治", "A 优先发展"]
    assert out["原因"].iloc[0] == long_reason
    assert len(tables.export_frame(frame, EFFICIENCY, flagged_only=True)) == 1
    formats = tables.number_formats(EFFICIENCY, out.columns)
    assert formats == {"面积（亩）": "#,##0.0", "再开发潜力（万m²）": "#,##0.00"}


def test_widths_fill_the_frame_and_wrap_only_the_widest_columns():
    assert tables.fit_widths([10, 20, 10], 80) == [20, 40, 20]
    widths = tables.fit_widths([8, 60, 12, 40], 90)
    assert widths[0] == 8 and widths[2] == 12 and widths[1] == widths[3] == 35
    assert tables.fit_widths([50, 50], 20, minimum=15) == [15, 15]
    assert tables.fit_widths([], 10) == []
    assert tables.text_width_em("面积\n（亩）") == 3 and tables.text_width_em("ab") == pytest.approx(1.1)


def test_breakdown_gives_the_figures_per_district_and_a_total():
    frame = resettlement_frame([red("A", 10, -5, "北干街道"), red("B", 5, -1, "城厢街道"), red("C", 1, -1, "城厢街道"),
                                ["G", "G项目", None, "green", "on_time", 900, 0]])
    headers, rows = tables.breakdown(frame, RESETTLEMENT)
    assert headers[:3] == ["行政区", "项目总数（个）", "红色超期（个）"] and headers[-1] == "超期过渡（户）"
    assert [r[0] for r in rows] == ["北干街道", "城厢街道", "—", "合计"]
    assert rows[1][1:3] == ["2", "2"] and rows[-1][1:3] == ["4", "3"] and rows[-1][-1] == "16"
    one_district = resettlement_frame([red("A", 10, -5), red("B", 5, -1)])
    assert [r[0] for r in tables.breakdown(one_district, RESETTLEMENT)[1]] == ["合计"]
    assert tables.table_rows(frame, RESETTLEMENT).ids == [10, 20, 30]  # feature ids, worst first


def test_printed_scales_are_rounded_up_to_two_digits():
    scales = (27843.2, 28000, 9512, 1000.4, 56.2, 0.5)
    assert [tables.nice_scale(s) for s in scales] == [28000, 28000, 9600, 1100, 57, 1]


def test_the_printed_words_name_every_code_the_analyses_write():
    """The print's Chinese labels are its own data (the UI's words are translations and differ in places), so
    a grade, status or rule added to an analysis must get its printed label here too."""
    from land_bureau_plugin.analysis import efficiency_rules, resettlement, upstairs_rules
    from land_bureau_plugin.layouts import themes

    assert set(resettlement.GRADES) <= set(themes.GRADE_LABELS) & set(themes.GRADE_COLOURS)
    assert set(resettlement.GRADES) <= set(RESETTLEMENT.legend_labels)
    assert set(resettlement.STATUSES) <= set(themes.STATUS_LABELS)
    assert set(efficiency_rules.DEFAULT_RULES.grades()) <= set(themes.EFFICIENCY_GRADE_LABELS)
    assert set(upstairs_rules.RULE_IDS) <= set(themes.UPSTAIRS_RULE_LABELS)


def test_the_subtitle_note_comes_from_the_run_summary_and_is_empty_otherwise():
    import json

    from land_bureau_plugin.layouts.themes import summary_note

    note = "用地代码：国土空间调查、规划、用途管制用地用海分类指南（2023）"
    summary = {"parcels": 3, "land_use": {"system": "guide2023", "note": f"  {note} "}}
    assert summary_note(summary) == note
    assert summary_note(json.dumps(summary, ensure_ascii=False)) == note
    for nothing in ({}, {"land_use": None}, {"land_use": {"system": "gbt21010"}}, {"land_use": {"note": 3}}, "",
                    "{not json", "[1, 2]", None, json.dumps({"projects": 36})):
        assert summary_note(nothing) == ""


def test_the_printed_sources_name_documented_rules_together_and_count_the_local_ones():
    from land_bureau_plugin.layouts.themes import sources_note

    doc = {"document": "关于在国土空间规划中统筹划定落实三条控制线的指导意见", "date": "2019"}
    summary = {"sources": {"redline": doc, "urban_boundary": doc, "far": "local default",
                           "support_land_share": {"document": "工业项目建设用地控制指标", "article": "第四条（四）",
                                                  "date": "2008"}}}
    assert sources_note(summary, UPSTAIRS) == (
        "依据：生态保护红线、城镇开发边界《关于在国土空间规划中统筹划定落实三条控制线的指导意见》（2019）；"
        "配套用地占比《工业项目建设用地控制指标》第四条（四）（2008）；其余为本地默认值")
    assert sources_note({"sources": {"far": "local default"}}, UPSTAIRS) == "依据：均为本地默认值"
    assert sources_note("{broken", UPSTAIRS) == sources_note({"plans": 3}, UPSTAIRS) == ""


def test_the_printed_class_note_counts_each_class_and_its_grades():
    from land_bureau_plugin.layouts.tables import class_note

    frame = pd.DataFrame({"ent_class": ["above", "above", "above", "below", "apart", "exempt", None],
                          "grade": ["A", "D", "A", "B", None, "B", None]})
    assert class_note(frame, EFFICIENCY) == ("分类分级：规上 3 宗（A 2、D 1）；规下 1 宗（B 1）；单列 1 宗；"
                                             "不定等级 1 宗（B 1）")
    assert class_note(frame.drop(columns=["ent_class"]), EFFICIENCY) == class_note(frame, UPSTAIRS) == ""


def test_a_value_the_check_refused_as_a_data_error_is_never_printed_as_a_figure():
    """Height and storeys print from the plan's own fields: a value the check did not use (junk, negative, beyond
    its plausibility limit — the rule is in unchecked_rules) prints as 数据错误, not as 900.0 m or -5.0 m."""
    frame = pd.DataFrame({"plan_id": ["U1", "U2", "F1", "U3"], "passed": [None, None, 0, None],
                          "height": ["900", -5.0, 45.0, None], "floors": [8, "八", 6, 7],
                          "failed_rules": ["", "", "far", ""],
                          "unchecked_rules": ["height,support_land_share", "height,floors", "support_land_share",
                                              "height"]}, dtype=object)
    table = tables.table_rows(frame, UPSTAIRS)
    columns = {title: n for n, title in enumerate(table.headers)}
    by_id = {row[1]: row for row in table.rows}
    height, floors = columns["建筑高度\n（m）"], columns["层数"]
    assert by_id["U1"][height] == "数据错误" and by_id["U1"][floors] == "8"
    assert by_id["U2"][height] == "数据错误" and by_id["U2"][floors] == "数据错误"
    assert by_id["F1"][height] == "45.0" and by_id["F1"][floors] == "6"  # checked values print as numbers
    assert by_id["U3"][height] == "—"  # no value at all: the missing mark, as before


SUMMING = [(theme.key, figure) for theme in THEMES.values() for figure in theme.figures if figure.field]


@pytest.mark.parametrize(("key", "figure"), SUMMING, ids=[f"{k}-{f.label}" for k, f in SUMMING])
def test_every_printed_sum_names_the_rows_it_could_not_add(key, figure):
    """Every summing figure of every theme (超期过渡, 低效面积, 再开发潜力, 方案用地, 占用基本农田, 重复计算, 人口,
    全覆盖人口, 闲置面积, 闲置费): NULL, NaN, a blank or a text in the summed field is left out of the sum and named
    with the count — never added as 0 — in 合计 and per district; a row outside the figure's condition is neither
    added nor counted; with every value known the text is the plain sum."""
    theme = THEMES[key]
    inside = figure.where_values[0] if figure.where else None
    outside = "no-such-class"
    values = [10.0, None, 2.5, float("nan"), "", "abc", 7.0, None]
    frame = pd.DataFrame({figure.field: values, "district": ["东", "东", "东", "西", "西", "西", "西", "西"],
                          "county": ["东", "东", "东", "西", "西", "西", "西", "西"]}, dtype=object)
    if figure.where:  # the last row is outside the condition: its NULL is no unknown of this figure
        frame[figure.where] = [inside] * 7 + [outside]
    expected = f"{19.5 * figure.scale:,.{figure.decimals}f}"
    printed = dict(tables.figures(frame, theme))[figure.title]
    unknown = 4 if figure.where else 5
    assert printed == f"{expected}（{figure.unknown.format(n=unknown)}）"
    assert "不明" in printed and printed.startswith(expected)
    headers, rows = tables.breakdown(frame, theme)
    column = headers.index(figure.title)
    east = f"{12.5 * figure.scale:,.{figure.decimals}f}（{figure.unknown.format(n=1)}）"
    west = f"{7.0 * figure.scale:,.{figure.decimals}f}（{figure.unknown.format(n=unknown - 1)}）"
    assert [(r[0], r[column]) for r in rows] == [("东", east), ("西", west), ("合计", printed)]
    known = frame.assign(**{figure.field: [10.0, 1.0, 2.5, 1.0, 1.0, 1.0, 7.0, 1.0]})
    plain = 23.5 if figure.where else 24.5
    assert dict(tables.figures(known, theme))[figure.title] == f"{plain * figure.scale:,.{figure.decimals}f}"


def test_a_sum_with_its_unknowns_is_one_helper():
    assert tables.with_unknown("8,089.0", 4, "{n}宗地价不明") == "8,089.0（4宗地价不明）"
    assert tables.with_unknown("8,089.0", 0, "{n}宗地价不明") == "8,089.0"
    assert Figure("x", field="y").unknown == "{n}项不明"  # a new summing figure names its unknowns too
