"""Values read right in the database as locally (#11 items 4 and 5): a partial buildings layer gives the same
"no building data" parcels in both engines, also when the tables are geographic (the reach is measured in the planar
CRS), and storeys written "8F" / "12 层" count the same."""
import numpy as np
import postgis_db
import pytest
from postgis_db import assert_same_results, local_engine
from psycopg2 import sql


def cut_buildings(pg_conn, schema: str, table: str = "建筑") -> None:
    """Keep the buildings of the western half only (a buildings layer delivered for part of the city), and write
    some storeys with their unit."""
    with pg_conn.cursor() as cur:
        t = sql.Identifier(schema, table)
        cur.execute(sql.SQL("DELETE FROM {t} WHERE ST_X(ST_Centroid(geom)) > "
                            "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ST_X(ST_Centroid(geom))) FROM {t})"
                            ).format(t=t))
        cur.execute(sql.SQL("UPDATE {t} SET cs = v FROM (VALUES (4, '8F'), (5, '12 层'), (6, '尚无资料'), (7, '500'), "
                            "(8, '201层')) AS x(i, v) WHERE id = i").format(t=t))


@pytest.mark.parametrize("srid", [None, 4490])
def test_partial_buildings_layer_gives_the_same_no_data_parcels(pg_city, pg_conn, pg_schema, srid):
    from land_bureau_plugin.postgis import engine

    parcels, buildings, parcel_map, building_map = pg_city
    cut_buildings(pg_conn, pg_schema)
    if srid:
        with pg_conn.cursor() as cur:
            for table in ("地块", "建筑"):
                source, target = sql.Identifier(pg_schema, table), sql.Identifier(pg_schema, f"{table}_{srid}")
                cur.execute(sql.SQL(
                    "CREATE TABLE {t} AS SELECT * FROM {s}; ALTER TABLE {t} ADD PRIMARY KEY (id); "
                    "ALTER TABLE {t} ALTER COLUMN geom TYPE geometry(Polygon, {srid}) "
                    "USING ST_Transform(geom, {srid}); "
                    "CREATE INDEX ON {t} USING gist (geom)").format(s=source, t=target, srid=sql.Literal(srid)))
        parcels = postgis_db.layer(pg_schema, f"地块_{srid}")
        buildings = postgis_db.layer(pg_schema, f"建筑_{srid}")
    local = local_engine(parcels, buildings, parcel_map, building_map)
    run = engine.run_efficiency(parcels, buildings, parcel_map, building_map)
    assert_same_results(local, run.result)
    no_data = local["reasons"].str.contains("no building data", regex=False)
    assert 50 < no_data.sum() < len(local) - 50  # the eastern parcels, and only they
    # no FAR, no coverage, no potential and no FAR or coverage flag (tax or grade may still flag them)
    assert local.loc[no_data, ["far", "coverage", "potential_m2"]].isna().all().all()
    assert not local.loc[no_data, "reasons"].str.contains(r"FAR \S+ below|coverage \S+ below", regex=True).any()
    assert run.result.attrs["report"].parcels_without_building_data == int(no_data.sum())
    assert run.result.attrs["report"].buildings_implausible == local.attrs["report"].buildings_implausible == 2
    assert np.isfinite(local.loc[~no_data & local["far"].notna(), "far"]).all()
