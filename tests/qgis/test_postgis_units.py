"""Units written in field names (#11 item 1) in the in-database engine as in the local one: 用地面积（亩）, 税收(元),
研发经费(千元) and a building height in cm are converted to m², 万元 and m on both paths, so both engines judge the
same parcels with the same values — and those are the values of the same city stored in canonical units.

The expected results are those of the plain table (canonical units, no conversion anywhere), against which the
unit-named copy is compared feature by feature in both engines."""
import json

import numpy as np
import pandas as pd
import postgis_db
import pytest
from postgis_db import assert_same_results
from psycopg2 import sql

from land_bureau_plugin.analysis.units import M2_PER_MU

# canonical column → (its name in the unit-named copy, the factor from canonical to that unit)
PARCEL_UNITS = {"用地面积": ("用地面积（亩）", 1 / M2_PER_MU), "税收": ("税收(元)", 10000.0),
                "产值": ("产值（万元）", 1.0), "研发经费": ("研发经费(千元)", 10.0)}
HEIGHT = ("建筑高度(cm)", 100.0)
# the same values written as text the way spreadsheets do, in 元 in the copy and in 万元 in the plain table
TEXT_TAX = {21: ("12,345", 1.2345), 22: ("１２０００", 1.2), 23: ("尚无资料", "尚无资料"), 24: ("约3万元", "约3万元")}


@pytest.fixture()
def cities(pg_conn, pg_schema, pg_city_gpkg):
    """(plain parcels, plain buildings, unit parcels, unit buildings): the generated city in canonical units and a
    copy whose field names carry units and whose values are in them; some buildings without storeys, so their
    height (in cm in the copy) decides their storeys."""
    postgis_db.load_gpkg(pg_city_gpkg, pg_schema)
    ident = sql.Identifier
    p, b = ident(pg_schema, "地块"), ident(pg_schema, "建筑")
    up, ub = ident(pg_schema, "地块_单位"), ident(pg_schema, "建筑_单位")
    with pg_conn.cursor() as cur:
        cur.execute(sql.SQL("UPDATE {b} SET cs = NULL WHERE id % 3 = 0").format(b=b))
        cur.execute(sql.SQL("ALTER TABLE {p} ALTER COLUMN \"税收\" TYPE text USING \"税收\"::text").format(p=p))
        for key, (_, plain) in TEXT_TAX.items():
            cur.execute(sql.SQL("UPDATE {p} SET \"税收\" = %s WHERE id = %s").format(p=p), (str(plain), key))
        cur.execute(sql.SQL("CREATE TABLE {up} AS SELECT * FROM {p}").format(up=up, p=p))
        cur.execute(sql.SQL("CREATE TABLE {ub} AS SELECT * FROM {b}").format(ub=ub, b=b))
        for column, (name, factor) in PARCEL_UNITS.items():
            value = sql.SQL("({c}::float8 * {f})").format(c=ident(column), f=sql.Literal(factor))
            if column == "税收":  # text: the numbers converted, the hand-written rows below
                value = sql.SQL("(CASE WHEN id IN %s THEN {c} ELSE ({c}::float8 * {f})::text END)").format(
                    c=ident(column), f=sql.Literal(factor))
            cur.execute(sql.SQL("UPDATE {up} SET {c} = {v}").format(up=up, c=ident(column), v=value),
                        (tuple(TEXT_TAX),) if column == "税收" else None)
            cur.execute(sql.SQL("ALTER TABLE {up} RENAME COLUMN {c} TO {n}").format(
                up=up, c=ident(column), n=ident(name)))
        for key, (text, _) in TEXT_TAX.items():
            cur.execute(sql.SQL("UPDATE {up} SET {c} = %s WHERE id = %s").format(
                up=up, c=ident(PARCEL_UNITS["税收"][0])), (text, key))
        cur.execute(sql.SQL("UPDATE {ub} SET jzgd = jzgd * {f}; ALTER TABLE {ub} RENAME COLUMN jzgd TO {n}").format(
            ub=ub, f=sql.Literal(HEIGHT[1]), n=ident(HEIGHT[0])))
        for table in (up, ub):
            cur.execute(sql.SQL("ALTER TABLE {t} ADD PRIMARY KEY (id); CREATE INDEX ON {t} USING gist (geom)").format(
                t=table))
    layer = postgis_db.layer
    return (layer(pg_schema, "地块"), layer(pg_schema, "建筑"), layer(pg_schema, "地块_单位"),
            layer(pg_schema, "建筑_单位"))


LOCAL, DATABASE = 1, 2
FLOATS = ("far", "coverage", "tax_per_mu", "output_per_mu", "score", "potential_m2", "area_mu")


def output(parcels, buildings, engine: int):
    """landbureau:lowefficiency as users run it (field maps detected): {id: result fields}, summary."""
    import processing

    from land_bureau_plugin.processing.efficiency import RESULT_FIELDS

    done = processing.run("landbureau:lowefficiency", {
        "PARCELS": parcels, "BUILDINGS": buildings, "ENGINE": engine, "OUTPUT": "memory:"})
    names = [field.name for field in RESULT_FIELDS]
    rows = pd.DataFrame([[f["id"], *[f[n] for n in names]] for f in done["OUTPUT"].getFeatures()],
                        columns=["id", *names]).set_index("id").sort_index()
    return rows, json.loads(done["SUMMARY"])


def test_units_in_field_names_are_converted_in_the_database_as_locally(plugin, cities):
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    plain_parcels, plain_buildings, parcels, buildings = cities
    parcel_map, building_map = field_map_of(parcels, "parcels"), field_map_of(buildings, "buildings")
    assert {parcel_map.get(c) for c in ("area_m2", "tax", "output", "rd_spend")} == {
        name for name, _ in PARCEL_UNITS.values()} and building_map.get("height") == HEIGHT[0]
    expected, expected_summary = output(plain_parcels, plain_buildings, LOCAL)
    for engine in (LOCAL, DATABASE):
        got, summary = output(parcels, buildings, engine)
        assert list(got.index) == list(expected.index)
        for column in expected.columns:
            if column in FLOATS:
                values = got[column].map(lambda v: v if isinstance(v, float) else np.nan).to_numpy(float)
                wanted = expected[column].map(lambda v: v if isinstance(v, float) else np.nan).to_numpy(float)
                np.testing.assert_allclose(values, wanted, rtol=1e-9, atol=1e-6, err_msg=f"{column}, {engine}")
            elif column != "reasons":  # the reasons name the fields, which differ
                assert got[column].tolist() == expected[column].tolist(), (column, engine)
        assert summary["per_grade"].keys() == expected_summary["per_grade"].keys()
        for grade, counts in expected_summary["per_grade"].items():
            assert summary["per_grade"][grade] == {"parcels": counts["parcels"], "mu": pytest.approx(counts["mu"])}
        assert summary["buildings"] == expected_summary["buildings"]
    # hand-checked rows: 12,345 元 is 1.2345 万元; 约3万元 in a 元 field is junk with its unit, named, in both engines
    local, _ = output(parcels, buildings, LOCAL)
    database, _ = output(parcels, buildings, DATABASE)
    assert local["reasons"].tolist() == database["reasons"].tolist()
    assert "约3万元" in local.loc[24, "reasons"]


def test_the_engine_reads_the_converted_values(pg_conn, cities):
    """The database path's parcel frame and building heights are in canonical units: the same numbers as the
    local reader's, compared value by value."""
    from land_bureau_plugin.postgis import engine
    from land_bureau_plugin.qgis_bridge.fieldmaps import field_map_of

    _, _, parcels, buildings = cities
    parcel_map, building_map = field_map_of(parcels, "parcels"), field_map_of(buildings, "buildings")
    local = postgis_db.local_engine(parcels, buildings, parcel_map, building_map)
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    assert_same_results(local, run.result)
