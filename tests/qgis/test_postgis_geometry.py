"""Both engines judge the same features, and curves count in the database.

A plain `geometry` column may hold polygons, points, lines, NULLs and curves side by side; QGIS shows such a
table as one layer per geometry family (the layer's URI says `type=Polygon`) and its provider filters the rows.
The in-database engine must judge exactly those rows: before, its summary counted 12 parcels where the layer and
the local engine had 8. Curved parcels (CurvePolygon, MultiSurface, CompoundCurve rings) are linearised in SQL
(ST_CurveToLine: equal chords at most the profile's curve tolerance, 1 cm, from their arc — QGIS's segmentation)
instead of being dropped as non-polygons.
"""
from __future__ import annotations

import datetime as dt
import math

import postgis_db
import pytest
from processing_runs import Feedback, assert_same_rows, rows_of, run_algorithm
from psycopg2 import sql

from land_bureau_plugin.analysis.efficiency_rules import EfficiencyRules

LOCAL, DATABASE = 1, 2
# The tables below hold "0601" only, which is also the 2023 guide's rural road: the land-use system is named; the
# tests that map no land use say every parcel is industrial land.
SURVEY = {"LAND_USE_SYSTEM": "gbt21010"}
ALL_INDUSTRIAL = EfficiencyRules(all_industrial=True)
MU = 10000 / 15
AS_OF = dt.date(2026, 11, 27)

# (name, land use, EWKT) — the polygon family as QGIS lists it, and what it leaves out
PLAIN = [
    ("poly", "0601", "SRID=4549;POLYGON((500000 3300000,500100 3300000,500100 3300100,500000 3300100,"
                     "500000 3300000))"),
    ("mpoly", "0601", "SRID=4549;MULTIPOLYGON(((500200 3300000,500300 3300000,500300 3300100,500200 3300100,"
                      "500200 3300000)))"),
    ("polyz", "0601", "SRID=4549;POLYGON Z((500400 3300000 5,500450 3300000 5,500450 3300100 5,500400 3300100 5,"
                      "500400 3300000 5))"),
    ("empty", "0601", "SRID=4549;POLYGON EMPTY"),
    ("point", "0601", "SRID=4549;POINT(500005 3300005)"),
    ("mpoint", "0601", "SRID=4549;MULTIPOINT(500005 3300005,500006 3300006)"),
    ("line", "0601", "SRID=4549;LINESTRING(500000 3300000,500010 3300010)"),
    ("null", "0601", None),
    ("collection", "0601", "SRID=4549;GEOMETRYCOLLECTION(POLYGON((500600 3300000,500700 3300000,500700 3300100,"
                           "500600 3300000)))"),
]
POLYGON_FAMILY = {"poly", "mpoly", "polyz", "empty"}
R = 50.0
CURVES = [
    ("circle", "0601", "SRID=4549;CURVEPOLYGON(CIRCULARSTRING(501000 3300050,501050 3300000,501100 3300050,"
                       "501050 3300100,501000 3300050))"),
    ("surface", "0601", "SRID=4549;MULTISURFACE(CURVEPOLYGON(CIRCULARSTRING(501200 3300050,501250 3300000,"
                        "501300 3300050,501250 3300100,501200 3300050)))"),
    ("half", "0601", "SRID=4549;CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING(501400 3300000,501450 3300050,"
                     "501500 3300000),(501500 3300000,501400 3300000)))"),
]


TOLERANCE = 0.01  # the default profile's geometry.curve_tolerance_m


def chords(radius: float, arc: float, tolerance: float = TOLERANCE) -> int:
    """How many equal chords cut an arc so that none lies farther than `tolerance` from it: a chord of angle θ lies
    r·(1 − cos θ/2) from its arc."""
    return math.ceil(arc / (2 * math.acos(1 - tolerance / radius)))


def polygon_area(segments: int, radius: float, arc: float = 2 * math.pi) -> float:
    """Area of `segments` equal chords over an arc of `arc` radians, closed through the centre's chord: the
    linearised disc (arc 2π) or half disc (arc π, its diameter closing it)."""
    return segments / 2 * radius ** 2 * math.sin(arc / segments)


def make_table(conn, schema: str, name: str, rows: list, column: str = "geometry") -> None:
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {t} (id serial PRIMARY KEY, name text, ydxz text, geom {c}); "
                            "CREATE INDEX ON {t} USING gist (geom)").format(t=sql.Identifier(schema, name),
                                                                         c=sql.SQL(column)))
        cur.executemany(sql.SQL("INSERT INTO {} (name, ydxz, geom) VALUES (%s, %s, %s)").format(
            sql.Identifier(schema, name)), rows)


def typed_layer(schema: str, table: str, wkb_type: str = "", srid: str = ""):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer, QgsWkbTypes

    uri = QgsDataSourceUri(f"service='{postgis_db.SERVICE}'")
    uri.setDataSource(schema, table, "geom", "", "id")
    if wkb_type:
        uri.setWkbType(QgsWkbTypes.parseType(wkb_type))
    if srid:
        uri.setSrid(srid)
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    assert layer.isValid(), layer.dataProvider().error().summary()
    return layer


def names_shown(layer) -> set:
    return {feature["name"] for feature in layer.getFeatures()}


def efficiency(layer, output, engine: int):
    import json

    results, feedback = run_algorithm("landbureau:lowefficiency", {
        "PARCELS": layer, "PARCEL_FIELD_MAP": json.dumps({"parcel_id": "name", "land_use": "ydxz"}),
        "ENGINE": engine, "OUTPUT": str(output), **SURVEY}, Feedback())
    assert not feedback.errors, feedback.errors
    return json.loads(results["SUMMARY"])


def test_a_mixed_table_is_judged_on_the_rows_the_layer_shows(plugin, pg_conn, pg_schema, tmp_path):
    """9 rows of every kind; the Polygon layer shows 4 (polygon, multipolygon, polygon Z, empty polygon): the
    database's summary, its output layer and the local engine's all have those 4, with the same results."""
    make_table(pg_conn, pg_schema, "mixed", PLAIN)
    layer = typed_layer(pg_schema, "mixed", "Polygon")
    assert names_shown(layer) == POLYGON_FAMILY
    database = efficiency(layer, tmp_path / "db.gpkg", DATABASE)
    local = efficiency(layer, tmp_path / "local.gpkg", LOCAL)
    assert database["parcels"] == local["parcels"] == len(POLYGON_FAMILY)
    got = rows_of(tmp_path / "db.gpkg")
    assert {values["name"] for values, _ in got.values()} == POLYGON_FAMILY
    assert_same_rows(got, rows_of(tmp_path / "local.gpkg"))
    assert database["mu"] == pytest.approx(25000 / MU, rel=1e-12)  # 100×100, 100×100, 50×100, empty


@pytest.mark.parametrize("wkb_type, shown", [
    ("Point", {"point", "mpoint"}), ("LineString", {"line"}), ("MultiPolygon", POLYGON_FAMILY)])
def test_each_family_layer_of_a_mixed_table(plugin, pg_conn, pg_schema, wkb_type, shown):
    """A layer of another family runs on its own rows (the projects of the resettlement monitor may be points)."""
    from land_bureau_plugin.postgis import engine

    make_table(pg_conn, pg_schema, "mixed", PLAIN)
    layer = typed_layer(pg_schema, "mixed", wkb_type)
    assert names_shown(layer) == shown
    run = engine.run_resettlement(layer, {"project_id": "name", "expropriation_date": "ydxz"}, AS_OF)
    assert set(run.result.index) == {feature.id() for feature in layer.getFeatures()}


def test_a_declared_multipolygon_column_shown_as_polygon_leaves_out_null_geometries(plugin, pg_conn, pg_schema):
    """QGIS filters by type whenever the layer's type differs from the column's: a NULL geometry is then not shown
    — and not judged."""
    from land_bureau_plugin.postgis import engine

    rows = [("a", "0601", PLAIN[1][2]), ("b", "0601", None)]
    make_table(pg_conn, pg_schema, "declared", rows, "geometry(MultiPolygon, 4549)")
    for wkb_type, shown in (("MultiPolygon", {"a", "b"}), ("Polygon", {"a"})):
        layer = typed_layer(pg_schema, "declared", wkb_type)
        assert names_shown(layer) == shown
        run = engine.run_efficiency(layer, None, {"parcel_id": "name"}, rules=ALL_INDUSTRIAL)
        assert set(run.result.index) == {feature.id() for feature in layer.getFeatures()}


def test_a_layer_of_one_srid_in_a_mixed_srid_table(plugin, pg_conn, pg_schema):
    from land_bureau_plugin.postgis import engine

    rows = [("here", "0601", PLAIN[0][2]),
            ("wgs84", "0601", "SRID=4326;POLYGON((120 30,120.001 30,120.001 30.001,120 30))")]
    make_table(pg_conn, pg_schema, "srids", rows)
    layer = typed_layer(pg_schema, "srids", "Polygon", "4549")
    assert names_shown(layer) == {"here"}
    run = engine.run_efficiency(layer, None, {"parcel_id": "name"}, rules=ALL_INDUSTRIAL)
    assert set(run.result.index) == {feature.id() for feature in layer.getFeatures()}
    assert run.result["area_mu"].tolist() == pytest.approx([10000 / MU], rel=1e-12)


def test_curves_are_linearised_in_the_database(plugin, pg_conn, pg_schema, tmp_path):
    """A circle (CurvePolygon and MultiSurface) of radius 50 m: 158 chords within 1 cm of it — π·r² less 2.07 m² —
    and a half disc closed by its diameter (CompoundCurve ring): 79 chords. Never "non-polygon", never zero."""
    import json

    from land_bureau_plugin.postgis import engine

    make_table(pg_conn, pg_schema, "curved", PLAIN[:1] + CURVES)
    layer = typed_layer(pg_schema, "curved", "Polygon")
    assert names_shown(layer) == {"poly", "circle", "surface", "half"}
    feedback = Feedback()
    results, feedback = run_algorithm("landbureau:lowefficiency", {
        "PARCELS": layer, "PARCEL_FIELD_MAP": '{"parcel_id": "name", "land_use": "ydxz"}', "ENGINE": DATABASE,
        "OUTPUT": str(tmp_path / "db.gpkg"), **SURVEY}, feedback)
    assert not feedback.errors, feedback.errors
    assert not [w for w in feedback.warnings if "non-polygon" in w]
    assert (chords(R, 2 * math.pi), chords(R, math.pi)) == (158, 79)
    disc, half = polygon_area(158, R), polygon_area(79, R, math.pi)
    assert disc == pytest.approx(math.pi * R * R - 2.0699, abs=1e-3)
    summary = json.loads(results["SUMMARY"])
    assert summary["parcels"] == 4 and summary["mu"] * MU == pytest.approx(10000 + 2 * disc + half, rel=1e-12)
    run = engine.run_efficiency(layer, None, {"parcel_id": "name", "land_use": "ydxz"},
                                rules=EfficiencyRules(land_use_system="gbt21010"))
    names = {feature.id(): feature["name"] for feature in layer.getFeatures()}
    got = {names[key]: area * MU for key, area in run.result["area_mu"].items()}
    assert got == pytest.approx({"poly": 10000.0, "circle": disc, "surface": disc, "half": half}, rel=1e-12)
    # the local reader linearises with QGIS's segmentation at the same tolerance: the very same chords
    from qgis.core import QgsAbstractGeometry, QgsGeometry

    difference = QgsAbstractGeometry.SegmentationToleranceType.MaximumDifference
    local = {feature["name"]: QgsGeometry(feature.geometry().constGet().segmentize(TOLERANCE, difference)).area()
             for feature in layer.getFeatures()}
    # the same chords; the areas agree to 1e-9 (one chord more or less would move them by ~1e-4): GEOS and QGIS sum
    # the shoelace terms in their own order, which on Debian 13 differs in the 11th digit
    assert got == pytest.approx(local, rel=1e-9)
    assert not len(run.result.attrs["report"].parcels_empty)



def test_the_profile_tolerance_reaches_the_database_run(plugin, pg_conn, pg_schema, tmp_path):
    """The algorithm hands its profile's geometry.curve_tolerance_m to the in-database run, as to the local reader:
    at 1 m a circle of radius 50 m is cut into 16 chords and a half disc into 8 (not the default's 158 and 79), and
    both engines give the same areas."""
    import json

    make_table(pg_conn, pg_schema, "curved", PLAIN[:1] + CURVES)
    layer = typed_layer(pg_schema, "curved", "Polygon")
    profile = tmp_path / "coarse.json"
    profile.write_text(json.dumps({"geometry": {"curve_tolerance_m": 1.0}}), encoding="utf-8")
    assert (chords(R, 2 * math.pi, 1.0), chords(R, math.pi, 1.0)) == (16, 8)
    expected = 10000 + 2 * polygon_area(16, R) + polygon_area(8, R, math.pi)
    for engine, name in ((DATABASE, "db.gpkg"), (LOCAL, "local.gpkg")):
        results, feedback = run_algorithm("landbureau:lowefficiency", {
            "PARCELS": layer, "PARCEL_FIELD_MAP": '{"parcel_id": "name", "land_use": "ydxz"}', "ENGINE": engine,
            "PROFILE": str(profile), "OUTPUT": str(tmp_path / name), **SURVEY}, Feedback())
        assert not feedback.errors, feedback.errors
        assert json.loads(results["SUMMARY"])["mu"] * MU == pytest.approx(expected, rel=1e-9), name
