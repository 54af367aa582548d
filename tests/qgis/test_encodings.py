"""Shapefiles from Chinese offices in GBK, GB18030 or Big5, without a .cpg or with a wrong one, read through
Processing from a path (as qgis_process and batch runs do): the encoding is detected from the bytes and logged,
field names and values come out intact, and no output holds U+FFFD."""

import processing
import pytest
from log_feedback import Recorder
from office_shapefile import as_office_sends_it
from osgeo import gdal, ogr, osr
from qgis.core import QgsProcessingException, QgsVectorLayer

SURVEY = {"LAND_USE_SYSTEM": "gbt21010"}  # the parcels hold "0601" alone, also the 2023 guide's rural road

X0, Y0 = 530000.0, 3340000.0

SIMPLIFIED = {"names": ["地块编号", "用地性质", "容积率", "权利人", "所属区县"], "owner": "杭州某某工业有限公司",
              "district": "萧山区"}
# GDAL cuts GB18030 names by their UTF-8 length: short ones; 㐀 (CJK extension A) is four bytes in GB18030, not GBK
GB18030_TEXT = {"names": ["DKBH", "YDXZ", "容积率", "权利人", "区县"], "owner": "杭州㐀某工业有限公司",
                "district": "萧山区"}
TRADITIONAL = {"names": ["地塊編號", "用地性質", "容積率", "權利人", "行政區"], "owner": "杭州某某工業有限公司",
               "district": "蕭山區"}


def write_shapefile(path, encoding: str, names, owner: str, district: str, cpg: str | None = None) -> str:
    """Three 100 m × 100 m industrial parcels with FAR 0.5 written in `encoding`, then the .cpg removed (or
    replaced by `cpg`) and the DBF's language byte cleared, as an office's export arrives."""
    gdal.SetConfigOption("SHAPE_ENCODING", None)  # QGIS sets it (to "") when it reads a shapefile in an encoding
    driver = ogr.GetDriverByName("ESRI Shapefile")
    source = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = source.CreateLayer("parcels", srs, ogr.wkbPolygon, options=[f"ENCODING={encoding}"])
    for name, kind in zip(names, (ogr.OFTString, ogr.OFTString, ogr.OFTReal, ogr.OFTString, ogr.OFTString)):
        definition = ogr.FieldDefn(name, kind)
        if kind == ogr.OFTString:
            definition.SetWidth(60)
        assert layer.CreateField(definition) == 0
    for i in range(3):
        feature = ogr.Feature(layer.GetLayerDefn())
        for index, value in enumerate([f"DK{i}", "0601", 0.5, f"{owner}{i}", district]):
            feature.SetField(index, value)
        x = X0 + 200 * i
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x} {Y0},{x + 100} {Y0},{x + 100} {Y0 + 100},{x} {Y0 + 100},{x} {Y0}))"))
        layer.CreateFeature(feature)
    source = None
    return as_office_sends_it(path, cpg)


def no_replacement_character(layer) -> None:
    names = [f.name() for f in layer.fields()]
    assert not any("\ufffd" in n for n in names), names
    for feature in layer.getFeatures():
        for value in feature.attributes():
            assert "\ufffd" not in str(value), value


@pytest.mark.parametrize("encoding, expected, text, cpg", [
    ("GBK", "GBK", SIMPLIFIED, None),
    ("GB18030", "GBK", SIMPLIFIED, None),  # GB18030 text within GBK reads the same
    ("GB18030", "GB18030", GB18030_TEXT, None),
    ("GBK", "GBK", SIMPLIFIED, "UTF-8"),  # a wrong .cpg
    ("GBK", "GBK", SIMPLIFIED, "1252"),
    ("CP950", "Big5", TRADITIONAL, None),
])
def test_a_chinese_shapefile_from_a_path_is_read_intact(plugin, tmp_path, encoding, expected, text, cpg):
    path = write_shapefile(tmp_path / "parcels.shp", encoding, text["names"], text["owner"], text["district"], cpg)
    feedback = Recorder()
    out = processing.run("landbureau:lowefficiency", {"PARCELS": path, "OUTPUT": "memory:", **SURVEY},
                         feedback=feedback)["OUTPUT"]
    no_replacement_character(out)
    names = [f.name() for f in out.fields()]
    assert set(text["names"]) <= set(names)
    rows = sorted((f[text["names"][0]], f[text["names"][3]], f[text["names"][4]]) for f in out.getFeatures())
    assert rows == [(f"DK{i}", f"{text['owner']}{i}", text["district"]) for i in range(3)]
    assert f"read as {expected}" in feedback.text
    # the field map was detected from the decoded names
    assert f'"parcel_id": "{text["names"][0]}"' in feedback.text and f'"far": "{text["names"][2]}"' in feedback.text
    assert all(f["low_eff"] == 1 for f in out.getFeatures())  # FAR 0.5 on industrial land


def test_a_project_layer_read_in_the_wrong_encoding_is_refused_with_the_fix(plugin, tmp_path):
    path = write_shapefile(tmp_path / "parcels.shp", "GBK", SIMPLIFIED["names"], "某公司", "萧山区")
    layer = QgsVectorLayer(path, "现状地块", "ogr")
    layer.setProviderEncoding("UTF-8")
    with pytest.raises(QgsProcessingException, match="现状地块.*GBK"):
        processing.run("landbureau:lowefficiency", {"PARCELS": layer, "OUTPUT": "memory:", **SURVEY})
    layer.setProviderEncoding("GBK")
    out = processing.run("landbureau:lowefficiency", {"PARCELS": layer, "OUTPUT": "memory:", **SURVEY})["OUTPUT"]
    no_replacement_character(out)


def test_a_utf8_shapefile_with_names_cut_at_10_bytes_gives_no_replacement_character(plugin, tmp_path):
    driver = ogr.GetDriverByName("ESRI Shapefile")
    path = str(tmp_path / "cut.shp")
    source = driver.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = source.CreateLayer("cut", srs, ogr.wkbPolygon, options=["ENCODING=UTF-8"])
    for name in ("地块编号", "用地性质", "容积率"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("建筑面积（m²）", ogr.OFTReal))  # 17 bytes: kept as 建筑面 + half a character
    feature = ogr.Feature(layer.GetLayerDefn())
    for index, value in enumerate(["DK1", "0601", "0.5", 5000.0]):
        feature.SetField(index, value)
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        f"POLYGON(({X0} {Y0},{X0 + 100} {Y0},{X0 + 100} {Y0 + 100},{X0} {Y0 + 100},{X0} {Y0}))"))
    layer.CreateFeature(feature)
    source = None
    feedback = Recorder()
    out = processing.run("landbureau:lowefficiency", {"PARCELS": path, "OUTPUT": "memory:", **SURVEY},
                         feedback=feedback)["OUTPUT"]
    no_replacement_character(out)
    assert "建筑面" in [f.name() for f in out.fields()]
    assert "building_area" in feedback.text and "cut at 10 bytes" in feedback.text
