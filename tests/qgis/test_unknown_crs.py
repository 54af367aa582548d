"""A layer without a known CRS (GeoPackage srs_id 0, a shapefile without .prj) is always named in the log; it is
never related to another layer (refused: an overlay across unknown CRSs measured 0 m² of farmland under a plan)
and never measured when its coordinates look like degrees (refused: every parcel had "area zero")."""
import processing
import pytest
import shapely
from log_feedback import Recorder as Log
from qgis.core import QgsProcessingException
from safety_data import checksums

PLAN = shapely.box(530000, 3340000, 530100, 3340100)  # 10 000 m² in EPSG:4549
FARM = shapely.box(530075, 3340075, 530125, 3340125)  # 25 m × 25 m = 625 m² of it under the plan


def ogr_file(path, geometries, layer_name="plans", epsg=None, fields=()):
    """A GeoPackage table or shapefile written by GDAL itself: no SRS (srs_id 0, no .prj) unless `epsg`."""
    from osgeo import ogr, osr

    driver = "GPKG" if str(path).endswith(".gpkg") else "ESRI Shapefile"
    dataset = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    srs = None
    if epsg:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
    layer = dataset.CreateLayer(layer_name, srs, ogr.wkbPolygon)
    for name, _ in fields:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for i, geometry in enumerate(geometries):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(shapely.to_wkt(geometry)))
        for name, values in fields:
            feature.SetField(name, values[i])
        layer.CreateFeature(feature)
    dataset = None
    return f"{path}|layername={layer_name}" if driver == "GPKG" else str(path)


def transformed(geometry, source_epsg, target_epsg):
    """`geometry` (shapely) through GDAL from one EPSG code to another, vertex by vertex."""
    from osgeo import ogr, osr

    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.ImportFromEPSG(source_epsg)
    target.ImportFromEPSG(target_epsg)
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ogr_geometry = ogr.CreateGeometryFromWkt(shapely.to_wkt(geometry))
    ogr_geometry.Transform(osr.CoordinateTransformation(source, target))
    return shapely.from_wkt(ogr_geometry.ExportToWkt())


def farmland_in_4326(tmp_path):

    return ogr_file(tmp_path / "farmland.gpkg", [transformed(FARM, 4549, 4326)], "永久基本农田", 4326)


@pytest.mark.parametrize("plans_file", ["plans.gpkg", "plans.shp"])
def test_plans_without_crs_against_farmland_are_refused_not_passed(plugin, tmp_path, plans_file):
    plans = ogr_file(tmp_path / plans_file, [PLAN])
    farmland = farmland_in_4326(tmp_path)
    before = checksums(tmp_path)
    output = tmp_path / "out" / "result.gpkg"
    output.parent.mkdir()
    log = Log()
    with pytest.raises(QgsProcessingException) as error:
        processing.run("landbureau:upstairscheck", {"INPUT": plans, "FARMLAND": farmland, "OUTPUT": str(output),
                                                    "VIOLATIONS": "memory:"}, feedback=log)
    message = str(error.value)
    assert "have no coordinate reference system, so they cannot be related to 永久基本农田" in message
    assert "plans" in message and "nothing was checked" in message
    assert any("has no coordinate reference system" in line for line in log.lines)
    assert list(output.parent.iterdir()) == [] and checksums(tmp_path) == before


def test_the_same_plans_with_their_crs_measure_the_625_m2_of_farmland(plugin, tmp_path):
    plans = ogr_file(tmp_path / "plans.gpkg", [PLAN], epsg=4549)
    farmland = farmland_in_4326(tmp_path)
    log = Log()
    result = processing.run("landbureau:upstairscheck", {"INPUT": plans, "FARMLAND": farmland, "OUTPUT": "memory:",
                                                         "VIOLATIONS": "memory:"}, feedback=log)
    plan = next(result["OUTPUT"].getFeatures())
    # the farmland's corners, there and back again, lie within millimetres of FARM: about 625 m² under the plan
    expected = transformed(transformed(FARM, 4549, 4326), 4326, 4549).intersection(PLAN).area
    assert expected == pytest.approx(625.0, rel=0.01)
    assert plan["passed"] == 0 and plan["farmland_m2"] == pytest.approx(expected, rel=1e-6)
    assert "Layer 永久基本农田 is in EPSG:4326: reprojected to EPSG:4549 to measure areas" in log.lines


def test_parcels_in_degrees_without_crs_are_refused_not_area_zero(plugin, tmp_path):
    parcels = ogr_file(tmp_path / "parcels.shp", [shapely.box(120.1, 30.1, 120.2, 30.2)],
                       fields=[("DKBH", ["P1"])])
    before = checksums(tmp_path)
    with pytest.raises(QgsProcessingException) as error:
        processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": "memory:"})
    assert "Layer parcels.shp: the coordinates look like longitude / latitude in degrees, but the layer has no " \
           "coordinate reference system" in str(error.value)
    assert checksums(tmp_path) == before


def test_parcels_in_metres_without_crs_alone_are_measured_in_their_units_and_said(plugin, tmp_path):
    parcels = ogr_file(tmp_path / "parcels.gpkg", [PLAN], "地块", fields=[("DKBH", ["P1"])])
    log = Log()
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": "memory:", "ALL_INDUSTRIAL": True},
                   feedback=log)  # no land-use field: every parcel is industrial land by the user's word
    assert "Layer 地块 has no coordinate reference system: its coordinates are taken as metres" in log.lines
    assert "Parcels: 1 (15.0 mu)" in "\n".join(log.lines)  # 10 000 m² = 15 亩: measured, not zero


def test_a_geometry_free_project_table_needs_no_crs(plugin, make_layer):
    layer = make_layer("None", [("项目编号", "string"), ("征迁日期", "string")],
                       [{"项目编号": "A", "征迁日期": "2025-01-01"}], "征迁项目")
    log = Log()
    result = processing.run("landbureau:resettlementdeadlines", {"INPUT": layer, "AS_OF": "2025-07-01",
                                                                 "OUTPUT": "memory:"}, feedback=log)
    assert result["GREEN"] == 1 and not any("coordinate reference" in line for line in log.lines)


def test_projects_without_crs_are_not_placed_on_plots(plugin, tmp_path, make_layer):
    projects = ogr_file(tmp_path / "projects.gpkg", [PLAN], "征迁项目",
                        fields=[("项目编号", ["A"]), ("征迁日期", ["2024-03-01"])])
    plots = make_layer("Polygon", [("安置地块编号", "string")],
                       [{"wkt": shapely.to_wkt(PLAN), "安置地块编号": "P1"}], "安置地块")
    with pytest.raises(QgsProcessingException, match="征迁项目 have no coordinate reference system, so they cannot "
                                                     "be related to 安置地块"):
        processing.run("landbureau:resettlementdeadlines", {"INPUT": projects, "PLOTS": plots, "AS_OF": "2025-07-01",
                                                             "OUTPUT": "memory:"})
