"""Geometry input (issue 12, class 6): curves are linearised to the profile's tolerance before shapely reads them
(was "GEOSException: Unknown WKB type 10"); a plan with NULL, empty or point geometry is not passed but counted
apart, in the layer, the summary and the log. Expected areas come from the circle's own formula."""
import json
import math

import processing
import pytest
from log_feedback import Recorder as Log
from qgis.core import QgsProcessingException
from safety_data import checksums
from upstairs_data import FIELDS, GOOD, profile_checking_only, without_layer_rules

X0, Y0, R = 530000.0, 3340000.0, 100.0
# a disc of radius R centred on (X0 + R, Y0): two half circles, as CAD exports write a round plot
DISC = (f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0}, {X0 + R} {Y0 + R}, {X0 + 2 * R} {Y0}, {X0 + R} {Y0 - R}, "
        f"{X0} {Y0}))")
DISC_AREA, DISC_PERIMETER = math.pi * R * R, 2 * math.pi * R
HALF_DISC_MULTI = (f"MULTISURFACE(CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING({X0} {Y0}, {X0 + R} {Y0 + R}, "
                   f"{X0 + 2 * R} {Y0}), ({X0 + 2 * R} {Y0}, {X0} {Y0}))))")


def within_tolerance(area, exact, perimeter, tolerance):
    """A linearised curve lies inside the arc by at most `tolerance`: the area lost is below perimeter × tolerance."""
    return 0 <= exact - area <= perimeter * tolerance


def plans_layer(make_layer, rows, geometry="CurvePolygon"):
    return make_layer(geometry, FIELDS, [{**GOOD, **row} for row in rows], "工业上楼方案")


def test_a_curved_plan_is_measured_within_the_tolerance_and_judged(plugin, make_layer, tmp_path):
    plans = plans_layer(make_layer, [{"wkt": DISC, "方案编号": "ROUND", "申报面积": round(DISC_AREA, 1),
                                      "建筑面积": 2.5 * DISC_AREA, "配套面积": 0.05 * DISC_AREA}])
    profile = profile_checking_only(tmp_path / "p.json", without_layer_rules())  # no constraint layer given
    result = processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": "memory:",
                                                         "VIOLATIONS": "memory:", "PROFILE": profile})
    plan = next(result["OUTPUT"].getFeatures())
    assert within_tolerance(plan["area_m2"], DISC_AREA, DISC_PERIMETER, 0.01)
    assert plan["passed"] == 1 and plan["failed_rules"] in (None, "")


def test_the_profile_tolerance_decides_how_closely_curves_are_followed(plugin, make_layer, tmp_path):
    plans = plans_layer(make_layer, [{"wkt": DISC, "方案编号": "ROUND"}])
    areas = {}
    for tolerance in (0.01, 5.0):
        profile = tmp_path / f"p{tolerance}.json"
        profile.write_text(json.dumps({"geometry": {"curve_tolerance_m": tolerance}}), encoding="utf-8")
        result = processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": "memory:",
                                                             "VIOLATIONS": "memory:", "PROFILE": str(profile)})
        areas[tolerance] = next(result["OUTPUT"].getFeatures())["area_m2"]
        assert within_tolerance(areas[tolerance], DISC_AREA, DISC_PERIMETER, tolerance)
    assert areas[5.0] < areas[0.01] - 100  # a 5 m tolerance visibly cuts the arcs; 1 cm does not


@pytest.mark.parametrize("tolerance", [0, -1, 10.01])
def test_a_tolerance_out_of_range_is_a_profile_error(plugin, make_layer, tmp_path, tolerance):
    plans = plans_layer(make_layer, [{"wkt": DISC, "方案编号": "ROUND"}])
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"geometry": {"curve_tolerance_m": tolerance}}), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="Rule profile error: geometry.curve_tolerance_m"):
        processing.run("landbureau:upstairscheck", {"INPUT": plans, "OUTPUT": "memory:", "PROFILE": str(profile)})


def test_curved_parcels_in_a_geopackage_are_read_and_the_file_is_unchanged(plugin, make_layer, tmp_path):
    from safety_data import write_gpkg

    parcels = make_layer("MultiSurface", [("DKBH", "string"), ("YDXZ", "string"), ("RJL", "double")],
                         [{"wkt": HALF_DISC_MULTI, "DKBH": "P1", "YDXZ": "0601", "RJL": 0.5}], "地块")
    uri = write_gpkg(parcels, tmp_path / "parcels.gpkg", "地块")
    before = checksums(tmp_path)
    result = processing.run("landbureau:lowefficiency", {"PARCELS": uri, "OUTPUT": "memory:",
                                                         "LAND_USE_SYSTEM": "gbt21010"})  # 0601 alone: named
    summary = json.loads(result["SUMMARY"])
    half_disc_mu = DISC_AREA / 2 / (10000 / 15)
    assert summary["parcels"] == 1
    assert half_disc_mu - DISC_PERIMETER / 2 * 0.01 / (10000 / 15) <= summary["mu"] <= half_disc_mu
    assert result["LOW_EFF"] == 1  # FAR 0.5 < 1.0 for 0601
    assert checksums(tmp_path) == before


def test_a_curved_resettlement_plot_places_the_project_on_it(plugin, make_layer):
    from resettlement_data import FIELDS as PROJECT_FIELDS
    from resettlement_data import project

    projects = make_layer("Point", PROJECT_FIELDS, [
        {**project("IN", "2025-01-01", plot=None), "wkt": f"POINT({X0 + R} {Y0 + R - 0.5})"},   # inside the arc
        {**project("OUT", "2025-01-01", plot=None), "wkt": f"POINT({X0 + R} {Y0 + R + 0.5})"}])  # just outside
    plots = make_layer("CurvePolygon", [("安置地块编号", "string")], [{"wkt": DISC, "安置地块编号": "Q"}], "安置地块")
    result = processing.run("landbureau:resettlementdeadlines", {"INPUT": projects, "PLOTS": plots,
                                                                 "AS_OF": "2025-07-01", "OUTPUT": "memory:"})
    placed = {f["项目编号"]: f["has_plot"] for f in result["OUTPUT"].getFeatures()}
    assert placed == {"IN": 1, "OUT": 0}


def mixed_gpkg(path, rows) -> str:
    """A GeoPackage table of geometry type GEOMETRY (any kind per feature), as GDAL writes it, in EPSG:4549."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("方案", srs, ogr.wkbUnknown)
    for name, kind in FIELDS:
        layer.CreateField(ogr.FieldDefn(name, {"string": ogr.OFTString, "integer": ogr.OFTInteger}.get(
            kind, ogr.OFTReal)))
    for row in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, _ in FIELDS:
            if row.get(name) is not None:
                feature.SetField(name, row[name])
        if row["wkt"]:
            feature.SetGeometry(ogr.CreateGeometryFromWkt(row["wkt"]))
        layer.CreateFeature(feature)
    dataset = None
    return f"{path}|layername=方案"


def test_plans_without_usable_geometry_are_counted_apart_never_passed(plugin, tmp_path):
    good = f"POLYGON(({X0} {Y0}, {X0 + 100} {Y0}, {X0 + 100} {Y0 + 100}, {X0} {Y0 + 100}, {X0} {Y0}))"
    rows = [{"wkt": good, "方案编号": "OK"}, {"wkt": None, "方案编号": "NULL"},
            {"wkt": "POLYGON EMPTY", "方案编号": "EMPTY"}, {"wkt": f"POINT({X0} {Y0})", "方案编号": "POINT"},
            {"wkt": f"LINESTRING({X0} {Y0}, {X0 + 10} {Y0})", "方案编号": "LINE"}]
    uri = mixed_gpkg(tmp_path / "plans.gpkg", [{**GOOD, **row} for row in rows])
    profile = profile_checking_only(tmp_path / "p.json", without_layer_rules())  # no constraint layer given
    before = checksums(tmp_path)
    log = Log()
    result = processing.run("landbureau:upstairscheck", {"INPUT": uri, "OUTPUT": "memory:", "VIOLATIONS": "memory:",
                                                         "PROFILE": profile}, feedback=log)
    out = {f["方案编号"]: f for f in result["OUTPUT"].getFeatures()}
    assert out["OK"]["passed"] == 1
    for pid in ("NULL", "EMPTY", "POINT", "LINE"):
        assert out[pid]["passed"] is None or str(out[pid]["passed"]) == "NULL", pid
        assert "no usable geometry (none, empty or not a polygon): not judged" in out[pid]["reasons"]
    summary = json.loads(result["SUMMARY"])
    assert (summary["plans"], summary["passed"], summary["failed"], summary["no_geometry"]) == (5, 1, 0, 4)
    assert (result["PASSED"], result["FAILED"], summary["not_checked"]) == (1, 0, 4)
    assert "Without usable geometry (never passed; failed only by another rule): 4" in log.lines
    assert checksums(tmp_path) == before
