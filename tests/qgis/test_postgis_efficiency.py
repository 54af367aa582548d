"""Low-efficiency land in the database against the local engine on the same PostGIS tables: equal results (FAR to
1e-6, grades, flags, reasons, clusters), a run log and result rows keyed by (run id, source id), source tables
untouched — on messy data (invalid, empty and missing geometries, numbers stored as text, a geographic CRS) and on
tables whose names try to inject SQL."""
import numpy as np
import pandas as pd
import postgis_db
import pytest
import shapely
from postgis_db import assert_same_results, checksum, local_engine
from psycopg2 import sql


def test_in_database_equals_local_engine_and_leaves_a_trace(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    before = [checksum(pg_conn, pg_schema, t) for t in ("地块", "建筑")]
    local = local_engine(parcels, buildings, parcel_map, building_map)
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    assert_same_results(local, run.result)
    report = run.result.attrs["report"]
    assert list(report.parcels_repaired) == [11] and list(report.parcels_empty) == [12, 13]
    assert len(report.buildings_repaired) == 1 and report.buildings_one_storey >= 1
    assert "2层" not in run.result["reasons"].str.cat()  # a building's junk storeys are not a parcel's reason
    assert "n/a" in run.result.loc[16, "reasons"] and run.result.loc[14, "tax_per_mu"] > 0
    assert [checksum(pg_conn, pg_schema, t) for t in ("地块", "建筑")] == before

    with pg_conn.cursor() as cur:
        cur.execute("SELECT analysis, db_user, profile -> 'min_coverage', inputs -> 0 ->> 'table', counts, "
                    "result_table FROM land_bureau.runs WHERE run_id = %s", (run.run_id,))
        analysis, user, min_coverage, table, counts, result_table = cur.fetchone()
        assert (analysis, user, min_coverage, table) == ("lowefficiency", "lb_rw", 0.3, "地块")
        assert counts["low_eff"] == int(local["low_eff"].sum()) and sum(counts["grade"].values()) == len(local)
        cur.execute("SELECT source_id, far, grade, low_eff FROM land_bureau.efficiency_results WHERE run_id = %s",
                    (run.run_id,))
        rows = pd.DataFrame(cur.fetchall(), columns=["id", "far", "grade", "low_eff"]).set_index("id")
    assert result_table == "land_bureau.efficiency_results" and len(rows) == len(local)
    np.testing.assert_allclose(rows.loc[[str(i) for i in local.index], "far"].to_numpy(float),
                               local["far"].to_numpy(float), rtol=1e-9, atol=1e-6, equal_nan=True)


def test_geographic_tables_are_measured_in_the_same_planar_crs(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine

    _, _, parcel_map, building_map = pg_city
    with pg_conn.cursor() as cur:
        for table in ("地块", "建筑"):
            source, target = sql.Identifier(pg_schema, table), sql.Identifier(pg_schema, table + "_4490")
            cur.execute(sql.SQL("CREATE TABLE {t} AS SELECT * FROM {s}; ALTER TABLE {t} ADD PRIMARY KEY (id); "
                                "ALTER TABLE {t} ALTER COLUMN geom TYPE geometry(Polygon, 4490) "
                                "USING ST_Transform(geom, 4490); CREATE INDEX ON {t} USING gist (geom)").format(
                s=source, t=target))
    parcels, buildings = postgis_db.layer(pg_schema, "地块_4490"), postgis_db.layer(pg_schema, "建筑_4490")
    assert parcels.crs().isGeographic()
    local = local_engine(parcels, buildings, parcel_map, building_map)
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    assert_same_results(local, run.result)
    assert local["far"].notna().sum() > 250


WEIRD_SCHEMA = '测试 "sch"; DROP TABLE canary; --'
WEIRD = {"parcels": '地块"; DROP TABLE canary; --', "buildings": "bld'); DELETE FROM canary; --",
         "key": 'i"d', "geometry": "geo m\"'", "far": '容积 "率"; DELETE', "tax": "tax'; DROP"}


def test_injection_shaped_names_work_and_inject_nothing(pg_city, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    weird_map = {"land_use": "ydxz", "area_m2": "用地面积", "far": WEIRD["far"], "tax": WEIRD["tax"],
                 "district": "行政区", "idle": "是否闲置"}
    plain_map = {canon: parcel_map[canon] for canon in weird_map}
    expected = engine.run_efficiency(parcels, buildings, plain_map, building_map).result
    ident = sql.Identifier
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(ident(WEIRD_SCHEMA)))
        for schema in (pg_schema, WEIRD_SCHEMA):
            cur.execute(sql.SQL("CREATE TABLE {} AS SELECT 1 AS alive").format(ident(schema, "canary")))
        p, b = ident(WEIRD_SCHEMA, WEIRD["parcels"]), ident(WEIRD_SCHEMA, WEIRD["buildings"])
        key, geometry = ident(WEIRD["key"]), ident(WEIRD["geometry"])
        cur.execute(sql.SQL("CREATE TABLE {p} AS SELECT id AS {key}, rjl AS {far}, \"税收\" AS {tax}, ydxz, "
                            "\"用地面积\", \"行政区\", \"是否闲置\", geom AS {geometry} FROM {src}").format(
            p=p, key=key, far=ident(WEIRD["far"]), tax=ident(WEIRD["tax"]), geometry=geometry,
            src=ident(pg_schema, "地块")))
        cur.execute(sql.SQL("CREATE TABLE {b} AS SELECT id AS {key}, cs, jzgd, geom AS {geometry} FROM {src}").format(
            b=b, key=key, geometry=geometry, src=ident(pg_schema, "建筑")))
        for table in (p, b):
            cur.execute(sql.SQL("ALTER TABLE {t} ADD PRIMARY KEY ({key}); CREATE INDEX ON {t} USING gist ({g})")
                        .format(t=table, key=key, g=geometry))
    weird_parcels = postgis_db.layer(WEIRD_SCHEMA, WEIRD["parcels"], WEIRD["geometry"], WEIRD["key"])
    weird_buildings = postgis_db.layer(WEIRD_SCHEMA, WEIRD["buildings"], WEIRD["geometry"], WEIRD["key"])
    try:
        assert engine.can_run_in_database([weird_parcels, weird_buildings])
        run = engine.run_efficiency(weird_parcels, weird_buildings, weird_map, building_map)
        same = [c for c in expected.columns if c != "reasons"]  # reasons name the fields, which differ
        assert_same_results(expected[same], run.result[same])
        with pg_conn.cursor() as cur:
            for schema in (pg_schema, WEIRD_SCHEMA):
                cur.execute(sql.SQL("SELECT alive FROM {}").format(ident(schema, "canary")))
                assert cur.fetchall() == [(1,)]
            cur.execute("SELECT inputs -> 0 ->> 'table' FROM land_bureau.runs WHERE run_id = %s", (run.run_id,))
            assert cur.fetchone()[0] == WEIRD["parcels"]
    finally:
        with pg_conn.cursor() as cur:
            cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(ident(WEIRD_SCHEMA)))


def test_can_run_in_database_only_for_plain_tables_of_one_database(pg_city, make_layer):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, _, _ = pg_city
    assert engine.can_run_in_database([parcels, buildings, None])
    assert not engine.can_run_in_database([parcels, make_layer("Polygon", [("id", "integer")], [])])
    assert not engine.can_run_in_database([])
    filtered = postgis_db.layer(parcels.dataProvider().uri().schema(), "建筑")
    filtered.setSubsetString("cs > '2'")
    assert not engine.can_run_in_database([parcels, filtered])
    other = postgis_db.layer(parcels.dataProvider().uri().schema(), "建筑", service=postgis_db.SERVICE_RO)
    assert not engine.can_run_in_database([parcels, other])


def test_processing_helper_gives_what_the_algorithm_needs(pg_city):
    """processing.in_database.efficiency: results by key, districts for the summary, and the clustered parcels'
    geometries, all from the run's snapshot — the merge-cluster outlines come out as from the local engine."""
    from land_bureau_plugin.analysis import efficiency
    from land_bureau_plugin.processing import in_database
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for, read_columns

    parcels, buildings, parcel_map, building_map = pg_city
    planar = planar_crs_for(parcels)
    with in_database.efficiency(None, {}, None, [parcels, buildings], parcel_map, building_map,
                                efficiency.DEFAULT_RULES, efficiency.EFFICIENCY_TEMPLATES, planar, None,
                                0.01) as evaluated:
        result, frame, geometries = evaluated.result, evaluated.frame, evaluated.geometries
    local = local_engine(parcels, buildings, parcel_map, building_map)
    assert_same_results(local, result)
    assert (frame["district"].reindex(local.index) == read_columns(parcels, parcel_map).frame["district"]).all()
    everything = read_columns(parcels, {}, with_geometry=True, target_crs=planar)
    expected, expected_outlines = efficiency.cluster_outlines(local, everything.geometries)
    aligned = geometries[result.index.get_indexer(local.index)]
    got, outlines = efficiency.cluster_outlines(result.loc[local.index], aligned)
    assert len(outlines) == len(expected_outlines) > 0
    np.testing.assert_allclose(shapely.area(outlines), shapely.area(expected_outlines), rtol=1e-9)


def algorithm_output(parcels, buildings, engine: int):
    """landbureau:lowefficiency as users run it: {feature id: result fields}, SUMMARY, cluster outline areas."""
    import json

    import processing

    from land_bureau_plugin.processing.efficiency import RESULT_FIELDS

    done = processing.run("landbureau:lowefficiency", {
        "PARCELS": parcels, "BUILDINGS": buildings, "ENGINE": engine, "OUTPUT": "memory:",
        "CLUSTER_OUTLINES": "memory:"})
    rows = {f["id"]: [f[field.name] for field in RESULT_FIELDS] for f in done["OUTPUT"].getFeatures()}
    outlines = sorted(round(f.geometry().area(), 3) for f in done["CLUSTER_OUTLINES"].getFeatures())
    return rows, json.loads(done["SUMMARY"]), outlines


def test_the_algorithm_runs_in_the_database_by_itself(plugin, pg_city, pg_conn):
    """Automatic engine on two tables of one database: the run goes to the database (a run row appears) and the
    output layer, the summary and the merge-cluster outlines are the local engine's."""
    parcels, buildings, _, _ = pg_city
    with pg_conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(run_id), 0) FROM land_bureau.runs")
        before = cur.fetchone()[0]
    rows, summary, outlines = algorithm_output(parcels, buildings, engine=0)
    with pg_conn.cursor() as cur:
        cur.execute("SELECT analysis FROM land_bureau.runs WHERE run_id > %s", (before,))
        assert cur.fetchall() == [("lowefficiency",)]
    local_rows, local_summary, local_outlines = algorithm_output(parcels, buildings, engine=1)
    assert rows.keys() == local_rows.keys() and len(outlines) == len(local_outlines) > 0
    for key, values in local_rows.items():
        np.testing.assert_allclose([v if isinstance(v, float) else np.nan for v in rows[key]],
                                   [v if isinstance(v, float) else np.nan for v in values], rtol=1e-9, atol=1e-6)
        assert [v for v in rows[key] if not isinstance(v, float)] == [v for v in values if not isinstance(v, float)]
    np.testing.assert_allclose(outlines, local_outlines, rtol=1e-9)
    assert summary["per_grade"].keys() == local_summary["per_grade"].keys()
    for grade, counts in local_summary["per_grade"].items():  # 亩 summed from areas measured by two engines
        assert summary["per_grade"][grade] == {"parcels": counts["parcels"], "mu": pytest.approx(counts["mu"])}
    assert summary["buildings"] == local_summary["buildings"]


def test_a_result_table_of_an_older_plugin_gets_the_grading_columns(pg_city, pg_conn):
    """efficiency_results made before the 亩均 grading (no ent_class, rank, rank_n): the next run adds them, and
    stores the run's classes and ranks there."""
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    engine.run_efficiency(parcels, buildings, parcel_map, building_map)  # the table exists
    with pg_conn.cursor() as cur:
        cur.execute("ALTER TABLE land_bureau.efficiency_results DROP COLUMN ent_class, DROP COLUMN rank, "
                    "DROP COLUMN rank_n")
    pg_conn.commit()
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    with pg_conn.cursor() as cur:
        cur.execute("SELECT count(*), count(ent_class), count(rank) FROM land_bureau.efficiency_results "
                    "WHERE run_id = %s", (run.run_id,))
        rows, classes, ranks = cur.fetchone()
    assert rows == len(run.result) and classes == run.result["ent_class"].notna().sum() > 0
    assert ranks == run.result["rank"].notna().sum() > 0


def test_neighbours_apart_by_rounding_or_a_gap_within_the_tolerance_merge_in_both_engines(pg_conn, pg_schema):
    """Six low-efficiency parcels: 1 and 2 share 100 m, 2 having a third neighbour's corner in the middle of the
    edge, off it by a micrometre to its own side; 3 and 4 are apart by 5 mm; 5 and 6 by 0.5 m. Within the profile's
    1 cm, 1–2 and 3–4 merge and 5–6 do not, in the database as in the local engine (measured on the first one's
    boundary within 1 cm of the other: ST_Buffer as shapely.buffer)."""
    from land_bureau_plugin.analysis import efficiency
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for, read_columns

    x, y = 500000.0, 3300000.0
    shapes = {
        1: shapely.box(x, y, x + 100, y + 100),
        2: shapely.Polygon([(x + 100, y), (x + 200, y), (x + 200, y + 100), (x + 100, y + 100),
                            (x + 100 + 1e-6, y + 50)]),
        3: shapely.box(x, y + 300, x + 100, y + 400), 4: shapely.box(x + 100.005, y + 300, x + 200, y + 400),
        5: shapely.box(x, y + 600, x + 100, y + 700), 6: shapely.box(x + 100.5, y + 600, x + 200, y + 700),
    }
    table = sql.Identifier(pg_schema, "邻宗")
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {} (id integer PRIMARY KEY, ydxz text, \"用地面积\" float8, rjl float8, "
                            "geom geometry(Polygon, 4549))").format(table))
        for key, shape in shapes.items():
            cur.execute(sql.SQL("INSERT INTO {} VALUES (%s, '100101', %s, 0.5, ST_GeomFromText(%s, 4549))").format(
                table), (key, shape.area, shapely.to_wkt(shape, rounding_precision=-1)))
        cur.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(table))
    parcels = postgis_db.layer(pg_schema, "邻宗")
    field_map = {"land_use": "ydxz", "area_m2": "用地面积", "far": "rjl"}
    planar = planar_crs_for(parcels)
    read = read_columns(parcels, field_map, with_geometry=True, target_crs=planar)
    local = efficiency.evaluate(read.frame, read.geometries, field_labels=field_map)
    database = engine.run_efficiency(parcels, None, field_map).result.loc[local.index]
    clusters = local["cluster_id"]
    assert clusters.loc[1] == clusters.loc[2] > 0 and clusters.loc[3] == clusters.loc[4] > 0
    assert clusters.loc[5] == clusters.loc[6] == 0
    assert database["cluster_id"].tolist() == clusters.tolist()
    exact = efficiency.evaluate(read.frame, read.geometries, rules=efficiency.EfficiencyRules(
        cluster_edge_tolerance_m=0.0), field_labels=field_map)
    assert (exact["cluster_id"] == 0).all()  # exact boundaries: none of the three pairs shares an edge
