"""The +1/+4/+5 monitor in the database against the local engine — the landbureau:resettlementdeadlines algorithm
run on the same PostGIS tables — status per milestone, due dates, days, grade, households, placement and reasons,
on the demo projects plus every kind of date a spreadsheet holds (text and real date columns)."""
import datetime as dt

import postgis_db
import pytest
from psycopg2 import sql

AS_OF = dt.date(2026, 11, 27)
DEMO = postgis_db.ROOT / "resources" / "demo" / "demo.gpkg"
PROJECTS, PLOTS = "征迁安置项目", "安置地块"
RESULT_COLUMNS = [f"{m}_{c}" for m in ("start", "complete", "resettle") for c in ("due", "status", "days")] + [
    "grade", "overdue_households", "has_plot", "reasons"]

# (项目编号, 征迁日期, 安置房开工日期, 安置房竣工日期, 完成安置日期, 户数 as text, 安置地块编号)
MESSY = [
    ("M-LEAP", "2024-02-29", None, None, None, "5", "P-none"),
    ("M-LEAP-CN", "2024年2月29日 ", "2025.2.28", "２０２５／３／１", None, " 7 ", None),
    ("M-SERIAL", "43891", "43900.0", "60", None, "x", None),
    ("M-BAD", "2023-02-30", "abc", "20240230", None, "-3", None),
    ("M-TIME", "2021-03-01 10:00:00", "2021-03-01T10:00", None, None, "1e3", None),
    ("M-ORDER", "2020-05-01", "2020-04-01", "2027-01-01", None, "", None),
    ("M-PREV", "2020-05-01", None, "2022-01-01", "2023-01-01", None, None),
    ("M-BACK", "2019-01-01", "2019-06-01", "2019-03-01", None, "12.5", None),
    ("M-NONE", None, None, None, None, "4", None),
    ("M-BLANK", "   ", "", None, None, "3", None),
    ("M-OLD", "1500-01-01", None, None, None, "2", None),
    ("M-DUE", "2021-12-01", None, None, None, "300", None),
    ("M-DUE", "2020-12-20", "2021-06-01", "2024-01-01", None, "40", None),
    ("M-EARLY-SERIAL", "59", None, None, None, "1", None),
    # issue 12: after the as-of date, a year or month alone, out of range, implausible serials — data errors
    ("M-FUTURE", "2099-01-01", None, None, None, "6", None),
    ("M-TOMORROW", "2026-11-28", None, None, None, "6", None),
    ("M-YEAR", "2024", "2025-03", "202503", None, "6", None),
    ("M-FAR", "2257-01-01", "22570101", None, None, "6", None),
    ("M-SERIAL-1", "1", "18263", "91678", None, "6", None),
    # issue 11/12: households as written in real tables — separators, units, placeholders, implausible counts
    ("M-HH-1", "2019-01-01", "2019-06-01", "2022-01-01", None, "1,763", None),
    ("M-HH-2", "2019-01-01", "2019-06-01", "2022-01-01", None, "120户", None),
    ("M-HH-3", "2019-01-01", "2019-06-01", "2022-01-01", None, "尚无资料", None),
    ("M-HH-4", "2019-01-01", "2019-06-01", "2022-01-01", None, "—", None),
    ("M-HH-5", "2019-01-01", "2019-06-01", "2022-01-01", None, "100001", None),
    ("M-HH-6", "2019-01-01", "2019-06-01", "2022-01-01", None, "1e308", None),
    ("M-HH-7", "2019-01-01", "2019-06-01", "2022-01-01", None, "1,5", None),
    # a placeholder is an empty cell (not done yet), in a done date and in the expropriation date; the no-break
    # space of an Excel export is a space; an exponent below float8's range is 0, not an error stopping the run
    ("M-PH-1", "2020-03-01", "无", "—", "/", "10", None),
    ("M-PH-2", "2020-03-01", "尚无资料", None, "N/A", "10", None),
    ("M-PH-3", "无", None, None, None, "10", None),
    ("M-NBSP-1", "2020-03-01\u00a0", "\u00a02021/2/1", None, None, "12\u00a0户", None),
    ("M-NBSP-2", "\u00a0", None, None, None, "\u00a0", None),
    ("M-TINY", "2020-03-01", None, None, None, "1e-400", None),
]


@pytest.fixture()
def projects(pg_conn, pg_schema):
    """The demo's projects and plots in PostGIS, households stored as text, plus the messy rows."""
    postgis_db.load_gpkg(DEMO, pg_schema, layers=(PROJECTS, PLOTS))
    table = sql.Identifier(pg_schema, PROJECTS)
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN \"户数\" TYPE text USING \"户数\"::text").format(table))
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in (
            "项目编号", "征迁日期", "安置房开工日期", "安置房竣工日期", "完成安置日期", "户数", "安置地块编号"))
        cur.executemany(sql.SQL("INSERT INTO {} ({}, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                                "ST_SetSRID(ST_MakePoint(500000 + random(), 3300000), 4549))").format(table, columns),
                        MESSY)
    return postgis_db.layer(pg_schema, PROJECTS), postgis_db.layer(pg_schema, PLOTS)


def local_algorithm(projects, plots, engine: int = 1, profile=None):
    """The Processing algorithm as users run it (engine 1: local, 0: automatic, 2: in the database), output by
    source id."""
    import processing

    result = processing.run("landbureau:resettlementdeadlines", {
        "INPUT": projects, "PLOTS": plots, "AS_OF": AS_OF.isoformat(), "ENGINE": engine,
        "OUTPUT": "memory:", **({"PROFILE": str(profile)} if profile else {})})["OUTPUT"]
    rows = {}
    for feature in result.getFeatures():
        values = {}
        for name in RESULT_COLUMNS:
            value = feature[name]
            values[name] = value.toString("yyyy-MM-dd") if hasattr(value, "toString") else value
        rows[feature["id"]] = values
    return rows


def database_rows(run):
    frame = run.result.copy()
    for column in ("start_due", "complete_due", "resettle_due"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame = frame.astype(object).where(frame.notna(), None)
    return {int(key): dict(row) for key, row in frame.iterrows()}


def normalised(rows):
    return {key: {k: (None if v is None or v == "" and k.endswith("_due") else v) for k, v in row.items()}
            for key, row in rows.items()}


def test_in_database_grades_equal_the_local_algorithm(plugin, projects, pg_conn):
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.processing.resettlement import translated_templates
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    layer, plots = projects
    assert engine.can_run_in_database([layer, plots])
    local = normalised(local_algorithm(layer, plots))
    run = engine.run_resettlement(layer, field_map_of(layer, "resettlement_projects"), AS_OF,
                                  templates=translated_templates(), plots_layer=plots,
                                  plot_field_map=field_map_of(plots, "resettlement_plots"))
    database = normalised(database_rows(run))
    assert database.keys() == local.keys()
    different = {key: {k: (local[key][k], database[key][k]) for k in RESULT_COLUMNS
                       if local[key][k] != database[key][k]} for key in local}
    assert not {k: v for k, v in different.items() if v}

    statuses = {status for row in database.values() for status in (row["start_status"], row["resettle_status"])}
    assert statuses >= {"on_time", "late", "overdue", "due_soon", "pending", "missing"}
    grades = {row["grade"] for row in database.values()}
    assert grades == {"green", "yellow", "orange", "red", "grey"}
    assert run.counts["grade"] == {g: sum(r["grade"] == g for r in database.values()) for g in grades}
    with pg_conn.cursor() as cur:
        cur.execute("SELECT parameters ->> 'as_of', counts -> 'resettle_status' FROM land_bureau.runs "
                    "WHERE run_id = %s", (run.run_id,))
        as_of, resettle = cur.fetchone()
    assert as_of == "2026-11-27" and resettle == run.counts["resettle_status"]


@pytest.mark.parametrize("limit, counted", [
    (None, {"M-HH-1": 1763, "M-HH-2": 120, "M-HH-5": 100001}),  # switched off: 100001 counts, 1e308 still not
    (120, {"M-HH-1": None, "M-HH-2": 120, "M-HH-5": None}),  # at the profile's limit counted, above it unknown
])
def test_the_profile_households_limit_in_both_engines(plugin, projects, tmp_path, limit, counted):
    import json

    layer, plots = projects
    profile = tmp_path / "households.json"
    profile.write_text(json.dumps({"resettlement": {"limits": {"households": limit}}}), encoding="utf-8")
    local = normalised(local_algorithm(layer, plots, profile=profile))
    database = normalised(local_algorithm(layer, plots, engine=2, profile=profile))
    assert database == local
    ids = {feature["项目编号"]: feature["id"] for feature in layer.getFeatures()}
    from qgis.core import NULL

    def households(name):  # NULL (a data error: not known) as None, never 0
        value = local[ids[name]]["overdue_households"]
        return None if value is None or value == NULL else value

    assert {name: households(name) for name in counted} == counted
    assert households("M-HH-6") is None and "households" in local[ids["M-HH-6"]]["reasons"]
def test_both_engines_cite_a_documented_source_and_use_the_profile_s_windows(plugin, projects, tmp_path):
    """The windows and the reasons' citations come from the profile in SQL as they do locally (one criteria model:
    Criterion.sql_fails, the cited templates) — a title holding braces (a local abbreviation in {}) included: it is
    text, not a placeholder, in both."""
    import json

    import processing

    from land_bureau_plugin.analysis.resettlement import ResettlementRules
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.processing.resettlement import translated_templates
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of
    from land_bureau_plugin.rules.profile import load_profile, section

    layer, plots = projects
    sources = {"deadlines": {"document": "某市征迁安置{闭环}管理办法", "article": "第八条", "date": "2023"},
               "warnings": "local default"}
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"version": 3, "resettlement": {"yellow_days": 120, "orange_days": 60,
                                                                  "sources": sources}}), encoding="utf-8")
    rules = section(load_profile(profile), "resettlement", ResettlementRules)
    output = processing.run("landbureau:resettlementdeadlines", {
        "INPUT": layer, "PLOTS": plots, "AS_OF": AS_OF.isoformat(), "ENGINE": 1, "PROFILE": str(profile),
        "OUTPUT": "memory:"})["OUTPUT"]
    local = {f["id"]: (f["grade"], f["reasons"]) for f in output.getFeatures()}
    run = engine.run_resettlement(layer, field_map_of(layer, "resettlement_projects"), AS_OF, rules=rules,
                                  templates=translated_templates(), plots_layer=plots,
                                  plot_field_map=field_map_of(plots, "resettlement_plots"))
    database = {int(key): (row["grade"], row["reasons"]) for key, row in run.result.iterrows()}
    assert database == local
    cited = [reasons for _grade, reasons in local.values() if "overdue by" in (reasons or "")]
    assert cited and all("(per 《某市征迁安置{闭环}管理办法》第八条（2023）)" in reasons for reasons in cited)
    assert not any("(per" in (reasons or "") for _g, reasons in local.values() if "due in" in (reasons or "")
                   and "overdue" not in reasons and "late" not in reasons)


def test_leap_day_deadlines_are_postgresql_date_arithmetic(projects):
    """29 Feb + 1 year = 28 Feb, + 4 years = 29 Feb, + 5 years = 28 Feb: PostgreSQL's `date + interval` agrees with
    analysis.dates.add_years."""
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    layer, _ = projects
    run = engine.run_resettlement(layer, field_map_of(layer, "resettlement_projects"), AS_OF)
    rows = database_rows(run)
    leap = [row for row in rows.values() if row["start_due"] == "2025-02-28" and row["complete_due"] == "2028-02-29"]
    assert len(leap) >= 2 and all(row["resettle_due"] == "2029-02-28" for row in leap)  # M-LEAP, M-LEAP-CN, demo


def test_real_date_columns(plugin, projects, pg_conn, pg_schema):
    """A table keeping its dates in `date` columns grades the same in the database and locally."""
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.postgis.functions import PARSE_DATE
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    source, target = sql.Identifier(pg_schema, PROJECTS), sql.Identifier(pg_schema, "dated")
    columns = ["征迁日期", "安置房开工日期", "安置房竣工日期", "完成安置日期"]
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {t} AS SELECT id, \"项目编号\", \"户数\", geom, {dates} FROM {s} "
                            "WHERE \"项目编号\" NOT LIKE 'M-%%'; ALTER TABLE {t} ADD PRIMARY KEY (id)").format(
            t=target, s=source, dates=sql.SQL(", ").join(
                sql.SQL("land_bureau.{f}({c})::date AS {c}").format(f=sql.Identifier(PARSE_DATE), c=sql.Identifier(c))
                for c in columns)))
    layer = postgis_db.layer(pg_schema, "dated")
    local = normalised(local_algorithm(layer, None))
    run = engine.run_resettlement(layer, field_map_of(layer, "resettlement_projects"), AS_OF)
    database = normalised(database_rows(run))
    assert database == local


def test_the_algorithm_runs_in_the_database_by_itself(plugin, projects, pg_conn, make_layer):
    """Automatic engine: PostGIS inputs of one database go to the database (a run row appears), with the same
    output as the local engine; asking for the database with a memory layer is a clear error."""
    import processing
    from qgis.core import QgsProcessingException

    layer, plots = projects
    with pg_conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(run_id), 0) FROM land_bureau.runs")
        before = cur.fetchone()[0]
    automatic = normalised(local_algorithm(layer, plots, engine=0))
    with pg_conn.cursor() as cur:
        cur.execute("SELECT analysis FROM land_bureau.runs WHERE run_id > %s", (before,))
        assert cur.fetchall() == [("resettlementdeadlines",)]
    assert automatic == normalised(local_algorithm(layer, plots))
    memory = make_layer("Point", [("项目编号", "string"), ("征迁日期", "string")], [])
    with pytest.raises(QgsProcessingException, match="whole table of one PostGIS database"):
        processing.run("landbureau:resettlementdeadlines", {"INPUT": memory, "ENGINE": 2, "OUTPUT": "memory:"})


def test_edits_during_a_run_do_not_reach_its_output(plugin, projects, pg_conn, pg_schema, tmp_path):
    """A project's dates and households changed, one deleted and one inserted by another user after the grades
    are written but before the output layer is: the output and the summary are the run's snapshot — equal to the
    local engine's output before the edits — and the edits stay in the table."""
    import json

    from processing_runs import Feedback, assert_same_rows, rows_of, run_algorithm

    layer, plots = projects
    table = sql.Identifier(pg_schema, PROJECTS)

    def run(engine: int, output, feedback=None):
        results, feedback = run_algorithm("landbureau:resettlementdeadlines", {
            "INPUT": layer, "PLOTS": plots, "AS_OF": AS_OF.isoformat(), "ENGINE": engine, "OUTPUT": str(output)},
            feedback or Feedback())
        assert not feedback.errors, feedback.errors
        return json.loads(results["SUMMARY"])

    expected_summary = run(1, tmp_path / "local.gpkg")
    expected = rows_of(tmp_path / "local.gpkg")
    red = sorted(k for k, (v, _) in expected.items() if v["grade"] == "red")
    changed, deleted = red[0], red[1]
    inserted = {}

    def edit():
        other = postgis_db.connect()
        with other.cursor() as cur:
            cur.execute("SET lock_timeout = '2s'")
            cur.execute(sql.SQL("UPDATE {} SET \"完成安置日期\" = '2026-01-01', \"户数\" = '0' WHERE id = %s").format(
                table), (changed,))
            cur.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(table), (deleted,))
            cur.execute(sql.SQL("INSERT INTO {t} (\"项目编号\", \"征迁日期\", geom) SELECT 'NEW', '2000-01-01', geom "
                                "FROM {t} WHERE id = %s RETURNING id").format(t=table), (changed,))
            inserted["id"] = cur.fetchone()[0]
        other.close()

    feedback = Feedback(90, edit)  # the grades and the run log are written, the output layer not yet
    summary = run(2, tmp_path / "db.gpkg", feedback)
    assert feedback.fired
    got = rows_of(tmp_path / "db.gpkg")
    assert_same_rows(got, expected)
    assert got[changed][0]["grade"] == "red" and deleted in got and inserted["id"] not in got
    assert summary == expected_summary
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT \"户数\" FROM {} WHERE id = %s").format(table), (changed,))
        assert cur.fetchone() == ("0",)
        cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE id IN (%s, %s)").format(table), (deleted, inserted["id"]))
        assert cur.fetchone() == (1,)

