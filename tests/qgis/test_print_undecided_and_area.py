"""Printed maps of real-shaped runs: upstairs plans that are neither passed nor failed (a data error in their own
values, a rule not checked) are drawn, named in the legend, counted as 未核查 and listed after the failed ones — a run
whose plans were all undecided printed no plan at all, "通过 0, 未通过 0" and "所有方案均通过审查"; and the
low-efficiency table and figures print the area each parcel was measured with, not the input's area field (a 宗地
layer's ZDMJ given in 亩 where its MJDW says so printed 0.0 亩)."""
import shutil

import processing
import pytest
import shapely
from test_layouts import pdf_text
from upstairs_data import profile_checking_only

from land_bureau_plugin.analysis.units import M2_PER_MU

X0, Y0 = 527000.0, 3338000.0
PLAN_FIELDS = [("方案编号", "string"), ("所属街道", "string"), ("用地面积（亩）", "double"), ("容积率", "string"),
               ("建筑高度（m）", "string"), ("建筑层数", "string")]


# what plan_rows can feed: a plan passes only when every enabled rule was checked
RULES = ("far", "height", "floors", "area_match", "plan_overlap")


def plan_rows():
    """GY-01 passes its rules (RULES), GY-02 fails FAR (1.6 < 2.0), GY-03 has 待定 as its height and GY-04 650 m
    (above the 500 m plausibility limit): both data errors, not checked."""
    rows = []
    for i, (pid, far, height) in enumerate((("GY-01", "2.6", "36"), ("GY-02", "1.6", "36"), ("GY-03", "2.6", "待定"),
                                            ("GY-04", "2.6", "650"))):
        box = shapely.box(X0 + 150 * i, Y0, X0 + 150 * i + 100, Y0 + 80)
        rows.append({"wkt": box.wkt, "方案编号": pid, "所属街道": "宁围街道" if i < 2 else "新街街道",
                     "用地面积（亩）": box.area / M2_PER_MU, "容积率": far, "建筑高度（m）": height, "建筑层数": "6"})
    return rows


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_undecided_plans_are_drawn_counted_and_listed(plugin, make_layer, tmp_path):
    plans = make_layer("Polygon", PLAN_FIELDS, plan_rows(), "工业上楼方案")
    out = tmp_path / "out.gpkg"
    results = processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": str(out), "PROFILE":
                                                          profile_checking_only(tmp_path / "p.json", RULES)})
    assert (results["PASSED"], results["FAILED"]) == (1, 1)
    pdf = tmp_path / "upstairs.pdf"
    processing.run("landbureau:exportlayout", {"THEME": 2, "LAYERS": [str(out)], "AS_OF": "2025-12-31",
                                               "OUTPUT": str(pdf)})
    text = pdf_text(pdf)
    assert "未核查（有规则未能核查）" in text  # the legend class: the plans not checked are on the map
    assert "未通过审查及未核查的方案" in text and "所有方案均通过审查" not in text
    # figures: 4 plans, 1 failed, 1 passed, 2 not checked — per district and in total
    assert "未核查（个）" in text
    assert "宁围街道2110" in text and "新街街道2002" in text and "合计4112" in text
    # the table: the failed plan first, then the undecided ones, each marked
    assert text.index("GY-02") < text.index("GY-03") < text.index("GY-04")
    assert text.count("未核查") >= 1 + 1 + 2  # legend, figure header, two rows


def test_the_printed_area_is_the_measured_one(plugin, make_layer, tmp_path):
    from qgis.core import QgsVectorLayer

    from land_bureau_plugin.layouts import tables
    from land_bureau_plugin.layouts.builder import read_theme_columns
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    # 宗地 as the registry exports them: ZDMJ in m², or in 亩 where MJDW says 2; industrial, FAR 0.5 (low)
    boxes = [shapely.box(X0 + 150 * i, Y0, X0 + 150 * i + 100, Y0 + 100) for i in range(3)]
    rows = [{"wkt": box.wkt, "ZDDM": f"330109104001GB0000{i}", "TDYT": "0601", "RJL": "0.5",
             "ZDMJ": box.area / M2_PER_MU if i == 1 else box.area, "MJDW": "2" if i == 1 else "1"}
            for i, box in enumerate(boxes)]
    parcels = make_layer("Polygon", [("ZDDM", "string"), ("TDYT", "string"), ("RJL", "string"), ("ZDMJ", "double"),
                                     ("MJDW", "string")], rows, "ZD")
    out = tmp_path / "out.gpkg"
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": str(out), "LAND_USE_SYSTEM": "gbt21010"})
    result = QgsVectorLayer(str(out), "低效", "ogr")
    frame = read_theme_columns(result, EFFICIENCY).frame
    measured = [box.area / M2_PER_MU for box in boxes]  # 15 亩 each
    assert frame.sort_values("parcel_id")["area_mu"].tolist() == pytest.approx(measured)
    assert dict(tables.figures(frame, EFFICIENCY))["低效面积（亩）"] == "45.0"
    printed = tables.table_rows(frame, EFFICIENCY)
    assert [row[printed.headers.index("面积\n（亩）")] for row in printed.rows] == ["15.0"] * 3


@pytest.mark.parametrize("template", ["a4_portrait", "a3_landscape"])
def test_a_legend_of_many_entries_ends_above_the_figures(plugin, make_layer, tmp_path, template):
    """Plans of three classes, violation pieces and five context layers: nine legend entries. On A4 the legend,
    below the map, grew over the 统计概况 heading; it takes more columns instead."""
    from qgis.core import QgsLayoutItemLegend, QgsProject

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import UPSTAIRS

    plans = make_layer("Polygon", PLAN_FIELDS, plan_rows(), "工业上楼方案")
    out = tmp_path / "out.gpkg"
    processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": str(out)})
    from qgis.core import QgsVectorLayer

    result = QgsVectorLayer(str(out), "result", "ogr")
    from land_bureau_plugin.qgis_bridge import styles

    styles.apply_style(result, "upstairs_result")
    box = shapely.box(X0 - 50, Y0 - 50, X0 + 700, Y0 + 200).wkt
    context = [make_layer("Polygon", [("plan_fid", "integer"), ("rule_id", "string")],
                          [{"wkt": shapely.box(X0, Y0, X0 + 20, Y0 + 20).wkt, "plan_fid": 2, "rule_id": "far"}],
                          "gysl_viol")]
    for name in ("XZQ", "CZKFBJ", "STBHHX", "YJJBNT", "YDYHGHT"):
        context.append(make_layer("Polygon", [("BSM", "string")], [{"wkt": box, "BSM": "1"}], name))
    layout = build_layout(QgsProject(), PrintRequest(UPSTAIRS, [result, *context], template=template))
    legend = next(item for item in layout.items() if isinstance(item, QgsLayoutItemLegend))
    heading = layout.itemById(templates.SUMMARY_HEADING)
    legend_box, heading_box = legend.sceneBoundingRect(), heading.sceneBoundingRect()
    overlapping = legend_box.left() < heading_box.right() and heading_box.left() < legend_box.right()
    assert not overlapping or legend_box.bottom() <= heading_box.top()
    assert legend_box.right() <= layout.pageCollection().page(0).sceneBoundingRect().right()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_listed_plan_without_geometry_is_said_to_have_no_marker(plugin, make_layer, tmp_path):
    """The map numbers the rows the table prints; a plan without geometry (a table row) can have no marker, so the
    note names its row number — 13 rows and 11 markers said nothing before."""
    rows = plan_rows()
    rows.append({**rows[1], "wkt": None, "方案编号": "GY-05"})  # fails FAR like GY-02 (failed: no geometry hides
    plans = make_layer("Polygon", PLAN_FIELDS, rows, "工业上楼方案")  # no failure), not drawn
    out = tmp_path / "out.gpkg"
    processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": str(out), "PROFILE":
                                                profile_checking_only(tmp_path / "p.json", RULES)})
    pdf = tmp_path / "upstairs.pdf"
    processing.run("landbureau:exportlayout", {"THEME": 2, "LAYERS": [str(out)], "AS_OF": "2025-12-31",
                                               "OUTPUT": str(pdf)})
    text = pdf_text(pdf)
    # rows: the failed GY-02 and GY-05, then GY-03 and GY-04, not checked — the second has no geometry
    assert text.index("GY-02") < text.index("GY-05") < text.index("GY-03") < text.index("GY-04")
    assert "第2项无图形，图上未标注" in text
    complete = tmp_path / "complete.pdf"  # every row drawn: no such note
    processing.run("landbureau:exportlayout", {"THEME": 2, "LAYERS": [str(out)], "AS_OF": "2025-12-31",
                                               "OUTPUT": str(complete), "TOP_N": 1})
    assert "无图形" not in pdf_text(complete)
