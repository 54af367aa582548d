"""landbureau:resettlementdeadlines through Processing, the way the panel, the toolbox and qgis_process call it."""
import json

import processing
import pytest
from resettlement_data import FIELDS, project


@pytest.fixture()
def projects(make_layer):
    rows = [
        project("A", "2020-02-29", start="2021/2/28", complete="2024年2月29日"),  # leap day; both exactly on due
        project("B", "20200601", start="2021-07-01"),  # start late; complete and resettle overdue on 2025-07-01
        project("C", "2025-01-10"),  # start due 2026-01-10: due soon on 2025-07-01 (193 days → pending)
        project("D", "2024-09-01", plot="NOPE"),  # start due 2025-09-01: 62 days → due soon, orange
        project("E", "not a date"),
        project("F", "2021-01-01", start="2020-06-01"),  # start before expropriation
        project("G", "2021-01-01", start="2021-06-01", complete="2021-03-01"),  # completion before start
        project("H", "2022-01-01", start="2026-01-01"),  # done after the as-of date
        project("H", "44927"),  # Excel serial 2023-01-01; duplicated id
    ]
    return make_layer("Point", FIELDS, rows, "征迁安置项目")


def run(layer, **extra):
    params = {"INPUT": layer, "AS_OF": "2025-07-01", "OUTPUT": "memory:"}
    params.update(extra)
    return processing.run("landbureau:resettlementdeadlines", params)


def by_id(result_layer):
    rows = {}
    for feature in result_layer.getFeatures():
        rows.setdefault(feature["项目编号"], []).append(feature)
    return rows


def test_milestones_graded_per_rules(plugin, projects):
    results = run(projects)
    out = by_id(results["OUTPUT"])
    a = out["A"][0]
    assert a["start_due"].toString("yyyy-MM-dd") == "2021-02-28"
    assert a["start_status"] == "on_time" and a["start_days"] == 0
    assert a["complete_due"].toString("yyyy-MM-dd") == "2024-02-29"
    assert a["complete_status"] == "on_time"
    assert a["resettle_due"].toString("yyyy-MM-dd") == "2025-02-28"
    assert a["resettle_status"] == "overdue" and a["resettle_days"] == -123 and a["overdue_households"] == 10
    b = out["B"][0]
    assert b["start_status"] == "late" and b["start_days"] == -30
    assert b["complete_status"] == "overdue" and b["complete_days"] == -395
    assert b["grade"] == "red" and b["resettle_status"] == "overdue" and b["overdue_households"] == 10
    assert out["C"][0]["start_status"] == "pending" and out["C"][0]["grade"] == "green"
    d = out["D"][0]
    assert d["start_status"] == "due_soon" and d["start_days"] == 62 and d["grade"] == "orange"
    assert out["E"][0]["grade"] == "grey" and "not a date" in out["E"][0]["reasons"]
    assert out["F"][0]["start_status"] == "missing" and "before expropriation" in out["F"][0]["reasons"]
    assert out["G"][0]["complete_status"] == "missing" and "previous milestone" in out["G"][0]["reasons"]
    assert out["H"][0]["start_status"] == "missing" and "after the as-of date" in out["H"][0]["reasons"]
    assert all("more than once" in f["reasons"] for f in out["H"])
    assert out["H"][1]["start_due"].toString("yyyy-MM-dd") == "2024-01-01"


def test_summary_counts_and_source_untouched(plugin, projects):
    before = [f.attributes() for f in projects.getFeatures()]
    results = run(projects)
    summary = json.loads(results["SUMMARY"])
    assert summary["projects"] == 9
    assert sum(summary["per_grade"].values()) == 9
    assert results["RED"] == summary["per_grade"]["red"] >= 1
    assert [f.attributes() for f in projects.getFeatures()] == before
    assert projects.fields().count() == len(FIELDS)


def test_overdue_households_counted_after_five_years(plugin, make_layer):
    layer = make_layer("Point", FIELDS, [project("X", "2019-01-01", "2019-06-01", "2022-01-01", households=37),
                                         project("Y", "2019-01-01", "2019-06-01", "2022-01-01", "2023-05-01")])
    out = by_id(run(layer)["OUTPUT"])
    assert out["X"][0]["resettle_status"] == "overdue" and out["X"][0]["overdue_households"] == 37
    assert out["Y"][0]["resettle_status"] == "on_time" and out["Y"][0]["overdue_households"] == 0


def test_households_of_an_overdue_project_not_known_are_not_counted_as_zero(plugin, make_layer):
    """An overdue project without a usable household count (empty, junk) has NULL households in transition: the log
    and SUMMARY give the known 37 and the 2 projects left out, the printed 超期过渡 says so — before, both wrote 0
    and printed 37 as if it were all."""
    from log_feedback import Recorder

    from land_bureau_plugin.layouts import tables
    from land_bureau_plugin.layouts.builder import read_theme_columns
    from land_bureau_plugin.layouts.themes import RESETTLEMENT

    layer = make_layer("Point", FIELDS, [project("X", "2019-01-01", "2019-06-01", "2022-01-01", households=37),
                                         project("U", "2019-01-01", "2019-06-01", "2022-01-01", households=None),
                                         project("J", "2019-01-01", "2019-06-01", "2022-01-01", households=-4),
                                         project("Y", "2019-01-01", "2019-06-01", "2022-01-01", "2023-05-01",
                                                 households=None)])  # resettled in time: nobody in transition
    log = Recorder()
    result = processing.run("landbureau:resettlementdeadlines", {"INPUT": layer, "AS_OF": "2025-07-01",
                                                                 "OUTPUT": "memory:"}, feedback=log)
    out = by_id(result["OUTPUT"])
    assert out["U"][0]["overdue_households"] is None or out["U"][0]["overdue_households"].isNull()
    assert out["J"][0]["overdue_households"] is None or out["J"][0]["overdue_households"].isNull()
    assert out["Y"][0]["overdue_households"] == 0
    summary = json.loads(result["SUMMARY"])
    assert (summary["overdue_households"], summary["overdue_households_unknown"]) == (37, 2)
    assert result["OVERDUE_HOUSEHOLDS"] == 37
    assert "households in overdue transition: 37 (not counted: 2 overdue project(s) whose households are " \
           "unknown)" in log.text
    frame = read_theme_columns(result["OUTPUT"], RESETTLEMENT).frame
    assert dict(tables.figures(frame, RESETTLEMENT))["超期过渡（户）"] == "37（2个项目户数不明）"


def test_placement_by_id_or_location(plugin, projects, make_layer):
    plots = make_layer("Polygon", [("AZDKBH", "string")],
                       [{"wkt": "POLYGON((530000 3339990, 530005 3339990, 530005 3340010, 530000 3340010, 530000 "
                                "3339990))", "AZDKBH": "P1"}], "安置地块")
    out = by_id(run(projects, PLOTS=plots)["OUTPUT"])
    assert out["A"][0]["has_plot"] == 1
    assert out["D"][0]["has_plot"] == 1  # id unknown, but the point lies on the plot
    far = make_layer("Point", FIELDS, [project("Z", "2024-01-01", plot="NOPE", x=900)])
    z = by_id(run(far, PLOTS=plots)["OUTPUT"])["Z"][0]
    assert z["has_plot"] == 0 and "no resettlement plot" in z["reasons"]


def test_profile_changes_offsets(plugin, projects, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"resettlement": {"start_years": 2}}), encoding="utf-8")
    out = by_id(run(projects, PROFILE=str(profile))["OUTPUT"])
    assert out["B"][0]["start_status"] == "on_time"


def summary_and_counts_line(projects, **extra):
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    params = {"INPUT": projects, "AS_OF": "2025-07-01", "OUTPUT": "memory:", **extra}
    results = processing.run("landbureau:resettlementdeadlines", params, feedback=feedback)
    line = next(line for line in feedback.textLog().splitlines() if line.startswith("Projects:"))
    return json.loads(results["SUMMARY"]), line


def test_warning_windows_of_the_profile_are_in_the_summary_and_the_log(plugin, projects, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"resettlement": {"yellow_days": 120, "orange_days": 30}}), encoding="utf-8")
    summary, line = summary_and_counts_line(projects, PROFILE=str(profile))
    assert summary["warning_days"] == {"yellow": 120, "orange": 30}
    assert "≤ 120 days" in line and "≤ 30 days" in line and "180" not in line and "≤ 90" not in line
    summary, line = summary_and_counts_line(projects)
    assert summary["warning_days"] == {"yellow": 180, "orange": 90}
    assert "≤ 180 days" in line and "≤ 90 days" in line


def test_missing_required_field_is_a_clear_error(plugin, make_layer):
    from qgis.core import QgsProcessingException

    layer = make_layer("Point", [("name", "string")], [{"wkt": "POINT(0 0)", "name": "x"}])
    with pytest.raises(QgsProcessingException, match="project_id"):
        run(layer)


def test_in_chinese_the_reasons_and_the_log_use_chinese_words_and_punctuation(chinese, plugin, projects):
    from qgis.core import QgsProcessingFeedback

    from land_bureau_plugin.analysis.messages import split_reasons
    from land_bureau_plugin.processing.resettlement import grade_labels

    feedback = QgsProcessingFeedback()
    results = processing.run("landbureau:resettlementdeadlines",
                             {"INPUT": projects, "AS_OF": "2025-07-01", "OUTPUT": "memory:"}, feedback=feedback)
    b = by_id(results["OUTPUT"])["B"][0]["reasons"]  # start late, completion and resettlement overdue, households
    assert "; " not in b and len(split_reasons(b, "；")) >= 3
    assert "超期" in b and " days" not in b
    counts = next(line for line in feedback.textLog().splitlines() if line.startswith("项目数"))
    labels = grade_labels()
    assert labels["red"] != "Red: overdue" and all(labels[g] in counts for g in ("green", "red", "grey"))
    assert not any(code in counts for code in ("green", "yellow", "orange", "red", "grey"))


def test_without_a_plot_layer_placement_is_not_checked_rather_than_passed(plugin, projects):
    from qgis.core import NULL

    results = run(projects)
    out = by_id(results["OUTPUT"])
    assert all(f["has_plot"] in (None, NULL) for features in out.values() for f in features)
    assert json.loads(results["SUMMARY"])["no_plot"] is None
    assert not any("no resettlement plot" in (f["reasons"] or "") for fs in out.values() for f in fs)


def test_in_chinese_a_bad_profile_is_explained_in_chinese(chinese, plugin, projects, tmp_path):
    from qgis.core import QgsProcessingException

    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"resettlement": {"yellow_days": 30, "orange_days": 90}}), encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        run(projects, PROFILE=str(profile))
    assert "resettlement.orange_days" in str(error.value) and "不能大于 yellow_days" in str(error.value)


def test_temporary_output_has_chinese_aliases_and_no_alias_warnings(plugin, make_layer):
    """A temporary output (the panels' and the toolbox's default) gets its aliases after the run; none go into the
    sink, where QGIS 3.40+ drops them with two warnings per field — kept input fields with aliases included."""
    from log_feedback import Recorder

    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29")], "征迁安置项目")
    layer.setFieldAlias(layer.fields().indexOf("项目编号"), "编号")
    log = Recorder()
    results = processing.run("landbureau:resettlementdeadlines",
                             {"INPUT": layer, "AS_OF": "2025-07-01", "OUTPUT": "memory:"}, feedback=log)
    out = results["OUTPUT"]
    assert out.fields().field("grade").alias() == "预警等级"
    assert out.fields().field("overdue_households").alias() == "超期过渡户数"
    assert not [line for line in log.lines if "scratch layers" in line]
