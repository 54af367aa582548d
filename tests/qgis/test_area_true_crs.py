"""Layers in a projected CRS that is not true to area — Web Mercator (EPSG:3857), the CRS of web maps and of
exports from them — are measured in the CGCS2000 Gauss-Krüger zone where they lie, as geographic layers are:
measured in their own metres, Hangzhou parcels were 1 / cos²(30.15°) = 1.34 times too large (10,255 亩 where
7,650 were) and so were their potentials. Printed maps of such results (and of geographic ones) are drawn in
that zone, so shapes and the scale bar are true."""
import math

import processing
import pytest
from log_feedback import Recorder
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

X0, Y0 = 527000.0, 3337000.0  # Xiaoshan, Hangzhou, in EPSG:4549 (CGCS2000 3° GK, CM 120°E)
GK = QgsCoordinateReferenceSystem("EPSG:4549")


def reprojected(wkt: str, crs: str) -> str:
    geometry = QgsGeometry.fromWkt(wkt)
    geometry.transform(QgsCoordinateTransform(GK, QgsCoordinateReferenceSystem(crs), QgsProject.instance()))
    return geometry.asWkt(9)


def square(i: int, size: float = 100.0) -> str:
    x = X0 + 300 * i
    return f"POLYGON(({x} {Y0},{x + size} {Y0},{x + size} {Y0 + size},{x} {Y0 + size},{x} {Y0}))"


def parcels_in(make_layer, crs: str, fars=(0.4, 0.8)):
    """Industrial parcels, 100 m × 100 m on the ground, written in `crs`."""
    return make_layer("Polygon", [("地块编号", "string"), ("用地性质", "string"), ("容积率", "double")],
                      [{"wkt": reprojected(square(i), crs), "地块编号": f"DK{i}", "用地性质": "0601", "容积率": far}
                       for i, far in enumerate(fars)], "parcels", crs=crs)


def latitude_of_parcels() -> float:
    point = QgsGeometry.fromWkt(f"POINT({X0} {Y0})")
    point.transform(QgsCoordinateTransform(GK, QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()))
    return point.asPoint().y()


@pytest.mark.parametrize("crs, measured_in", [("EPSG:3857", "EPSG:4549"), ("EPSG:4490", "EPSG:4549"),
                                              ("EPSG:4549", "EPSG:4549"), ("EPSG:32651", "EPSG:32651")])
def test_the_measuring_crs_is_true_to_area(make_layer, crs, measured_in):
    """UTM zone 51 at 120.3°E lies 2.7° from its meridian: area scale 0.9996² · (1 + 0.0016) — within 1 %, kept."""
    from land_bureau_plugin.qgis_bridge.layers import planar_crs_for

    assert planar_crs_for(parcels_in(make_layer, crs)).authid() == measured_in


def test_web_mercator_area_scale_is_that_of_mercator_on_the_ellipsoid(make_layer):
    """Web Mercator puts geodetic latitudes through the sphere's formulas: its area scale on the ellipsoid is
    sec²φ · (1 − e² sin²φ)² / (1 − e²) (meridian a·secφ over a(1−e²)/(1−e² sin²φ)^1.5, parallel a over N·cosφ)."""
    from land_bureau_plugin.qgis_bridge.layers import area_scale

    layer = parcels_in(make_layer, "EPSG:3857")
    phi = math.radians(latitude_of_parcels())
    e2 = 0.00669438002290  # CGCS2000 (GRS 80) first eccentricity squared
    expected = (1 - e2 * math.sin(phi) ** 2) ** 2 / (1 - e2) / math.cos(phi) ** 2  # 1.342 at 30.15°N
    assert area_scale(layer.crs(), layer.extent(), GK) == pytest.approx(expected, rel=1e-4)
    assert area_scale(GK, parcels_in(make_layer, "EPSG:4549").extent(), GK) == pytest.approx(1.0, abs=1e-9)


def test_low_efficiency_on_web_mercator_parcels_measures_true_areas(plugin, make_layer):
    feedback = Recorder()
    result = processing.run("landbureau:lowefficiency", {
        "PARCELS": parcels_in(make_layer, "EPSG:3857"), "OUTPUT": "memory:", "LAND_USE_SYSTEM": "gbt21010"},
        feedback=feedback)
    rows = {f["地块编号"]: f for f in result["OUTPUT"].getFeatures()}
    # 0601: target FAR 2.5 on 10,000 m² (not the 13,400 m² Web Mercator says)
    assert rows["DK0"]["potential_m2"] == pytest.approx(10_000 * (2.5 - 0.4), rel=1e-4)
    assert rows["DK1"]["potential_m2"] == pytest.approx(10_000 * (2.5 - 0.8), rel=1e-4)
    assert "EPSG:3857" in feedback.text and "EPSG:4549" in feedback.text
    assert result["OUTPUT"].crs().authid() == "EPSG:3857"  # the output keeps the layer's CRS


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:4490"])
def test_printed_map_is_drawn_in_the_zone_with_a_true_scale(qgis_app, make_layer, crs):
    """The same parcels printed from a Web Mercator or geographic result and from a EPSG:4549 one: the same map
    CRS and the same scale (Web Mercator's own drew 15 % large, degrees stretched east-west)."""
    from qgis.core import QgsLayoutItemMap

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    def printed(layer):
        project = QgsProject()
        layout = build_layout(project, PrintRequest(EFFICIENCY, [layer]))
        item = layout.itemById(templates.MAP)
        assert isinstance(item, QgsLayoutItemMap)
        return item.crs().authid(), item.scale(), item.extent().width() / item.extent().height()

    def result(crs_name):
        return make_layer("Polygon", [("地块编号", "string"), ("low_eff", "integer"), ("far", "double")],
                          [{"wkt": reprojected(square(i), crs_name), "地块编号": f"DK{i}", "low_eff": 1, "far": 0.4}
                           for i in range(3)], "低效", crs=crs_name)

    crs_name, scale, ratio = printed(result(crs))
    reference = printed(result("EPSG:4549"))
    assert crs_name == reference[0] == "EPSG:4549"
    assert scale == pytest.approx(reference[1], rel=0.01) and ratio == pytest.approx(reference[2], rel=0.01)
