"""The columnar reader (GDAL's Arrow stream, qgis_bridge.columnar) against the feature reader, column by column and
value by value: same feature ids, same columns, the same Python values of the same types, the same geometries
(WKB, Z and M included) — on GeoPackage, a GBK shapefile without .cpg, GeoJSON and FlatGeobuf, with subset strings,
selections (a Processing input with "selected features only"), curves, a reprojection, NULLs and empty geometries.

Each case also checks that the columnar path was taken (or, for the layers it must leave to QGIS, that it was not),
so a reader that silently always fell back would fail here."""
import math
import os
import sqlite3

import numpy as np
import pytest
import shapely
from osgeo import gdal, ogr, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorLayer,
)
from stored_text_data import store_in_dbf

X0, Y0 = 530000.0, 3340000.0
FIELDS = [("名称", ogr.OFTString), ("n", ogr.OFTInteger), ("big", ogr.OFTInteger64), ("r", ogr.OFTReal),
          ("d", ogr.OFTDate), ("dt", ogr.OFTDateTime)]
NAMES = ["杭州某某工业有限公司", None, "", "仓储", "abc", "萧山区瓜沥镇", None, "工业用地"]


def rows(count: int = 24):
    """Attribute rows with NULLs in every column somewhere, negative and large numbers, and Chinese text."""
    out = []
    for i in range(count):
        out.append({
            "名称": NAMES[i % len(NAMES)],
            "n": None if i % 5 == 3 else i * 7 - 40,
            "big": None if i % 6 == 2 else 2 ** 40 + i,
            "r": None if i % 4 == 1 else i / 3 - 2.5,
            "d": None if i % 3 == 0 else f"20{10 + i % 15}/0{1 + i % 9}/1{i % 9}",
            "dt": None if i % 7 == 0 else f"2024/0{1 + i % 9}/1{i % 9} 1{i % 10}:30:15",
        })
    return out


def square(i: int, z: bool = False, m: bool = False) -> ogr.Geometry:
    x, y = X0 + 150 * (i % 6), Y0 + 150 * (i // 6)
    dims = ("Z" if z else "") + ("M" if m else "")
    extra = (" 12.5" if z else "") + (" 3" if m else "")
    ring = ",".join(f"{px} {py}{extra}" for px, py in ((x, y), (x + 100, y), (x + 100, y + 100), (x, y + 100), (x, y)))
    return ogr.CreateGeometryFromWkt(f"POLYGON {dims} (({ring}))")


def write(path, driver: str, geometry_type=ogr.wkbPolygon, epsg: int = 4549, fields=FIELDS, data=None,
          geometries=None, options=(), layer_name="parcels"):
    """A layer of `driver` with the given fields and rows; geometries[i] None writes a feature without one."""
    data = rows() if data is None else data
    geometries = [square(i) for i in range(len(data))] if geometries is None else geometries
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    dataset = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = dataset.CreateLayer(layer_name, srs, geometry_type, options=list(options))
    for name, kind in fields:
        definition = ogr.FieldDefn(name, kind)
        if kind == ogr.OFTString:
            definition.SetWidth(40)
        assert layer.CreateField(definition) == 0
    for values, geometry in zip(data, geometries):
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, _ in fields:
            if values.get(name) is not None:
                feature.SetField(name, values[name])
        if geometry is not None:
            feature.SetGeometry(geometry)
        assert layer.CreateFeature(feature) == 0
    dataset = None
    return str(path)


def read_both(layer, field_map, **kwargs):
    """(columnar, feature) reads of the same layer or source; asserts the columnar path was the one taken."""
    from land_bureau_plugin.qgis_bridge import layers

    calls = []
    original = layers._read_columnar

    def spy(*args, **kw):
        result = original(*args, **kw)
        calls.append(result[0] is not None)  # (read, why not)
        return result

    layers._read_columnar = spy
    try:
        columnar = layers.read_columns(layer, field_map, **kwargs)
    finally:
        layers._read_columnar = original
    assert calls == [True], "the columnar reader was not used"
    features = layers.read_columns(layer, field_map, request=QgsFeatureRequest(), **kwargs)
    return columnar, features


def assert_same(columnar, features, sort: bool = False):
    """Same ids in the same order (by id when `sort`: a selection comes in hash order from QGIS), same columns,
    values equal and of the same type, geometries with the same WKB."""
    a, b = columnar.frame, features.frame
    order_a = np.argsort(a.index.to_numpy(), kind="stable") if sort else np.arange(len(a))
    order_b = np.argsort(b.index.to_numpy(), kind="stable") if sort else np.arange(len(b))
    assert list(a.index[order_a]) == list(b.index[order_b])
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        left, right = a[column].to_numpy()[order_a], b[column].to_numpy()[order_b]
        assert left.dtype == right.dtype, column
        for fid, x, y in zip(a.index[order_a], left, right):
            if isinstance(x, float) and math.isnan(x):
                assert isinstance(y, float) and math.isnan(y), (column, fid, x, y)
            elif isinstance(x, np.datetime64) and np.isnat(x):
                assert isinstance(y, np.datetime64) and np.isnat(y), (column, fid, x, y)
            else:
                assert type(x) is type(y) and x == y, (column, fid, x, y)
    if features.geometries is None:
        assert columnar.geometries is None
        return
    left, right = columnar.geometries[order_a], features.geometries[order_b]
    assert len(left) == len(right)
    for fid, x, y in zip(a.index[order_a], left, right):
        if y is None:
            assert x is None, fid
        else:
            assert shapely.to_wkb(x, flavor="iso", include_srid=False) == \
                shapely.to_wkb(y, flavor="iso", include_srid=False), fid


EVERYTHING = {"name": "名称", "area_m2": "r", "floors": "n", "tax": "big", "expropriation_date": "d",
              "start_date": "dt"}


@pytest.mark.parametrize("driver, suffix", [("GPKG", "gpkg"), ("GeoJSON", "geojson"), ("FlatGeobuf", "fgb")])
@pytest.mark.parametrize("subset", ["", '"n" > 0', "\"名称\" = '仓储' OR \"r\" IS NULL"])
def test_same_values_as_the_feature_reader(qgis_app, tmp_path, driver, suffix, subset):
    path = write(tmp_path / f"parcels.{suffix}", driver)
    layer = QgsVectorLayer(path, "parcels", "ogr")
    assert layer.isValid()
    if subset:
        assert layer.setSubsetString(subset)
        assert 0 < layer.featureCount() < 24
    columnar, features = read_both(layer, EVERYTHING, with_geometry=True, numeric=("area_m2", "floors"))
    assert len(features.frame) == layer.featureCount()
    assert_same(columnar, features)
    assert columnar.frame["area_m2"].dtype == float and columnar.frame["name"].dtype == object


@pytest.mark.parametrize("driver, suffix, options", [
    ("GPKG", "gpkg", ()), ("GeoJSON", "geojson", ()), ("FlatGeobuf", "fgb", ()),
    ("ESRI Shapefile", "shp", ("ENCODING=UTF-8",)), ("ESRI Shapefile", "shp", ("ENCODING=CP936",))])
@pytest.mark.parametrize("subset", ['"n" > 0', "\"名称\" = '仓储' OR \"d\" IS NULL"])
@pytest.mark.parametrize("with_geometry", [True, False])
def test_a_subset_string_on_a_field_the_analysis_does_not_read(qgis_app, tmp_path, driver, suffix, options, subset,
                                                               with_geometry):
    """The subset string names a field the read does not ask for: GDAL evaluates a shapefile's or
    a FlatGeobuf's filter on the features it reads, where an ignored field is NULL — the columnar reader kept no
    feature at all (an empty analysis, without a word). It keeps those the feature reader keeps."""
    path = write(tmp_path / f"parcels.{suffix}", driver, options=options)
    layer = QgsVectorLayer(path, "parcels", "ogr")
    assert layer.setSubsetString(subset)
    assert 0 < layer.featureCount() < 24
    columnar, features = read_both(layer, {"area_m2": "r"}, with_geometry=with_geometry, numeric=("area_m2",))
    assert len(columnar.frame) == len(features.frame) == layer.featureCount()
    assert_same(columnar, features)
    assert list(columnar.frame.columns) == ["area_m2"]


@pytest.mark.parametrize("asked", [["r"], [3]])  # by name or by index
def test_only_the_asked_attributes_unless_a_subset_string_filters(qgis_app, tmp_path, asked):
    """layers.only_attributes: QGIS's reader of a GBK shapefile asked for "r" alone evaluates a filter on 名称 with
    名称 NULL — 8 of the 10 features it keeps. Under a subset string every field is read; without one, only those
    asked for."""
    from qgis.core import QgsFeatureRequest

    from land_bureau_plugin.qgis_bridge.layers import only_attributes

    layer = QgsVectorLayer(write(tmp_path / "parcels.shp", "ESRI Shapefile", options=("ENCODING=CP936",)),
                           "parcels", "ogr")
    assert layer.fields().indexOf("r") == 3
    plain = only_attributes(QgsFeatureRequest(), layer, asked)
    assert plain.subsetOfAttributes() == [3]
    assert layer.setSubsetString("\"名称\" = '仓储' OR \"d\" IS NULL") and layer.featureCount() == 10
    filtered = only_attributes(QgsFeatureRequest(), layer, asked)
    assert not filtered.flags() & QgsFeatureRequest.Flag.SubsetOfAttributes
    assert len(list(layer.getFeatures(filtered))) == 10
    assert len(list(layer.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([3])))) == 8  # QGIS's own flaw


def test_nulls_empty_geometries_z_m_and_curves(qgis_app, tmp_path):
    curve = ogr.CreateGeometryFromWkt(
        f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0},{X0 + 50} {Y0 + 50},{X0} {Y0 + 100},{X0 - 50} {Y0 + 50},{X0} {Y0}))")
    geometries = [square(0, z=True), None, ogr.CreateGeometryFromWkt("POLYGON EMPTY"), curve,
                  square(4, z=True, m=True), square(5, m=True)]
    path = write(tmp_path / "mixed.gpkg", "GPKG", ogr.wkbUnknown, data=rows(6), geometries=geometries)
    layer = QgsVectorLayer(path, "mixed", "ogr")
    columnar, features = read_both(layer, EVERYTHING, with_geometry=True, curve_tolerance_m=0.5)
    assert_same(columnar, features)
    assert columnar.geometries[1] is None
    assert shapely.has_z(columnar.geometries[0]) and len(shapely.get_coordinates(columnar.geometries[3])) > 20


def test_a_geographic_layer_reprojected(qgis_app, tmp_path):
    """Degrees read into the CGCS2000 zone: QGIS's own transform, so the coordinates are the same to the bit."""
    lon, lat = 120.3, 30.1
    geometries = [ogr.CreateGeometryFromWkt(
        f"POLYGON(({lon + i * 0.01} {lat},{lon + i * 0.01 + 0.005} {lat},{lon + i * 0.01} {lat + 0.005},"
        f"{lon + i * 0.01} {lat}))") for i in range(8)] + [None]
    path = write(tmp_path / "degrees.gpkg", "GPKG", epsg=4490, data=rows(9), geometries=geometries)
    layer = QgsVectorLayer(path, "degrees", "ogr")
    columnar, features = read_both(layer, {"name": "名称"}, with_geometry=True,
                                   target_crs=QgsCoordinateReferenceSystem("EPSG:4549"))
    assert_same(columnar, features)
    assert 500000 < shapely.get_coordinates(columnar.geometries[0])[0, 0] < 600000


def gbk_shapefile(tmp_path) -> str:
    """GBK text without a .cpg, as an office sends it; one value cut inside a character by its field width."""
    data = rows()
    data[5]["名称"] = "杭州工业园区某某有限公司二期工程"  # 32 bytes in GBK, 48 in UTF-8
    path = write(tmp_path / "地块.shp", "ESRI Shapefile", fields=[("名称", ogr.OFTString), ("用地性质", ogr.OFTString),
                                                               ("n", ogr.OFTInteger), ("r", ogr.OFTReal),
                                                               ("d", ogr.OFTDate)],
                 data=[{**row, "用地性质": "工业用地" if i % 2 else "仓储用地"} for i, row in enumerate(data)],
                 options=["ENCODING=CP936"])
    stem = os.path.splitext(path)[0]
    os.remove(stem + ".cpg")
    with open(stem + ".dbf", "r+b") as dbf:  # cut the long value at 31 bytes: half a character left at the end
        dbf.seek(10)
        record = int.from_bytes(dbf.read(2), "little")
        dbf.seek(8)
        header = int.from_bytes(dbf.read(2), "little")
        dbf.seek(header + 5 * record + 1)
        value = dbf.read(40)
        dbf.seek(header + 5 * record + 1)
        dbf.write(value[:31] + b" " * 9)
    with open(stem + ".dbf", "r+b") as dbf:
        dbf.seek(29)
        dbf.write(b"\x00")
    return path


@pytest.mark.parametrize("subset", ["", "\"用地性质\" = '工业用地'"])
def test_a_gbk_shapefile_without_cpg(qgis_app, tmp_path, subset):
    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    layer = open_file_layer(gbk_shapefile(tmp_path))[0]
    assert layer.dataProvider().encoding() == "GBK"
    if subset:
        assert layer.setSubsetString(subset)
        assert layer.featureCount() == 12
    field_map = {"name": "名称", "land_use": "用地性质", "floors": "n", "area_m2": "r", "expropriation_date": "d"}
    columnar, features = read_both(layer, field_map, with_geometry=True)
    assert_same(columnar, features)
    assert "仓储" in set(columnar.frame["name"]) and not any("\ufffd" in str(v) for v in columnar.frame["name"])
    if not subset:
        assert columnar.frame["name"].iloc[5] == "杭州工业园区某某有限公司二期工"  # the half character dropped


@pytest.mark.parametrize("selected", [[], [3, 4, 17, 9], "all"])
def test_a_selection_read_as_a_processing_input(plugin, tmp_path, selected):
    """"Selected features only": the rows of the selected feature ids, nothing else; with a subset string too."""
    from land_bureau_plugin.processing.efficiency import LowEfficiencyAlgorithm

    path = write(tmp_path / "parcels.gpkg", "GPKG")
    layer = QgsVectorLayer(path, "parcels", "ogr")
    assert layer.setSubsetString('"n" <> -33 OR "n" IS NULL')  # leaves fid 2 out
    QgsProject.instance().addMapLayer(layer)
    try:
        if selected == "all":  # every feature the subset string shows (a selection holds no other)
            layer.selectAll()
            selected = layer.selectedFeatureIds()
            assert len(selected) == 23
        layer.selectByIds(selected)
        algorithm = LowEfficiencyAlgorithm()
        algorithm.initAlgorithm()
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        source = algorithm.parameterAsSource(
            {"PARCELS": QgsProcessingFeatureSourceDefinition(layer.id(), True)}, "PARCELS", context)
        columnar, features = read_both(source, EVERYTHING, with_geometry=True, repairs_geometry=True)
        assert sorted(columnar.frame.index) == sorted(selected)
        assert_same(columnar, features, sort=True)
        whole = algorithm.parameterAsSource({"PARCELS": layer}, "PARCELS", context)
        columnar, features = read_both(whole, EVERYTHING, with_geometry=True, repairs_geometry=True)
        assert len(columnar.frame) == 23
        assert_same(columnar, features)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_what_qgis_must_read_itself_and_the_log_says_why(qgis_app, tmp_path, monkeypatch):
    """Unsaved edits, a full SELECT as subset string and a memory layer are read feature by feature; from
    NOTED_FEATURE_READ features on, the log says so, naming the layer and why (the file read whole says nothing, nor
    does a layer just below the threshold)."""
    from log_feedback import Recorder

    from land_bureau_plugin.qgis_bridge import layers
    from land_bureau_plugin.qgis_bridge.layers import columnar_table, read_columns

    def note(layer):
        feedback = Recorder()
        read_columns(layer, {"floors": "n"}, feedback=feedback)
        assert len(feedback.lines) <= 1
        return feedback.text

    path = write(tmp_path / "parcels.gpkg", "GPKG")
    layer = QgsVectorLayer(path, "parcels", "ogr")
    monkeypatch.setattr(layers, "NOTED_FEATURE_READ", 10)
    assert columnar_table(layer) is not None and note(layer) == ""
    layer.startEditing()
    layer.changeAttributeValue(1, layer.fields().indexOf("n"), 999)
    assert columnar_table(layer) is None
    said = note(layer)
    assert said.startswith("Layer parcels: its 24 features are read one by one") and "unsaved edits" in said
    layer.rollBack()
    assert columnar_table(layer) is not None
    assert layer.setSubsetString('SELECT * FROM parcels WHERE "n" > -1000')
    assert columnar_table(layer) is None and "SQL query of its own" in note(layer)
    memory = QgsVectorLayer("Polygon?crs=EPSG:4549&field=n:integer", "m", "memory")
    memory.dataProvider().addFeatures([QgsFeature(memory.fields()) for _ in range(24)])
    assert columnar_table(memory) is None and "its data provider is memory" in note(memory)
    monkeypatch.setattr(layers, "NOTED_FEATURE_READ", 25)
    assert note(memory) == ""


def test_single_polygons_in_a_multipolygon_layer(qgis_app, tmp_path):
    """QGIS hands a Polygon of a MultiPolygon layer over as a one-part MultiPolygon; so does the columnar reader."""
    path = write(tmp_path / "multi.gpkg", "GPKG", ogr.wkbMultiPolygon, data=rows(4),
                 geometries=[square(0), ogr.ForceToMultiPolygon(square(1)), None, square(3)])
    layer = QgsVectorLayer(path, "multi", "ogr")
    columnar, features = read_both(layer, {"name": "名称"}, with_geometry=True)
    assert_same(columnar, features)
    assert columnar.geometries[0].geom_type == "MultiPolygon"


@pytest.mark.parametrize("given", ["bytes", "str", "mixed"])
def test_text_columns_decoded_whichever_form_gdal_hands_them_in(given):
    """GDAL 3.6 hands text columns over as UTF-8 bytes, GDAL 3.10 (Debian 13) as str, and the demo's print failed
    there ('expected a bytes-like object, str found'): both, and a mix, give the same strings; NULL stays None."""
    from land_bureau_plugin.qgis_bridge.columnar import plain_values

    words = ["工业用地", "", "容積率 2.1", "x"]
    forms = {"bytes": [w.encode() for w in words], "str": words,
             "mixed": [w.encode() if i % 2 else w for i, w in enumerate(words)]}
    values = np.array(forms[given] + [None], dtype=object)
    mask = np.array([False] * len(words) + [True])
    assert plain_values(values, mask, ogr.OFTString, as_float=False).tolist() == words + [None]


@pytest.mark.parametrize("given", ["valid", "bom", "invalid", "nul inside", "nothing"])
def test_text_columns_of_fixed_width_bytes(given):
    """GDAL hands a batch of short text as fixed-width bytes (NUL-padded to the widest value): decoded from the
    array's buffer at once, with the same strings as value by value — multibyte text, "", NULL, a value filling
    the width; a byte-order mark dropped, a bad byte one U+FFFD each (Qt's way), a NUL inside a value kept — and a
    column of several batches (widths 9 and 4) joined to the widest."""
    from land_bureau_plugin.qgis_bridge.columnar import _joined, plain_values

    words = ["工业用地", "", "容積率 2.1", "x", "0701", "123456789"]
    extra = {"valid": [], "bom": [("\ufeff" + "仓储").encode()], "invalid": [b"\xe4\xbbA"], "nul inside": [b"a\x00b"],
             "nothing": []}[given]
    expected = words + {"valid": [], "bom": ["仓储"], "invalid": ["\ufffd\ufffdA"], "nul inside": ["a\x00b"],
                        "nothing": []}[given] + [None]
    encoded = [w.encode() for w in words] + extra + [b"NULL"]
    mask = np.array([False] * (len(encoded) - 1) + [True])
    if given == "nothing":
        encoded, mask, expected = [], np.zeros(0, dtype=bool), []
    def fixed(items):
        return np.array(items, dtype=f"S{max([len(e) for e in items], default=1)}")

    assert plain_values(fixed(encoded), mask, ogr.OFTString, as_float=False).tolist() == expected
    batches = [np.ma.masked_array(fixed(encoded[:4]), mask[:4]), np.ma.masked_array(fixed(encoded[4:]), mask[4:])]
    joined, joined_mask = _joined(batches)
    assert joined.dtype.kind == "S" and plain_values(joined, joined_mask, ogr.OFTString, False).tolist() == expected


@pytest.mark.parametrize("fid_name", ["fid", "OBJECTID_FID", "FID_1", "序号"])
def test_a_geopackage_fid_column_of_any_name_keeps_every_field_in_its_column(qgis_app, tmp_path, fid_name):
    """An ArcGIS export names its GeoPackage FID column OBJECTID_FID; QGIS shows it as the first field. The reader
    took only a column called "fid" for it, so every other field came one column off: 用地性质 held the areas."""
    fields = [("OBJECTID", ogr.OFTInteger), ("YDXZ", ogr.OFTString), ("YDMJ", ogr.OFTReal)]
    data = [{"OBJECTID": 100 + i, "YDXZ": ["0601", "0604", "0701"][i % 3], "YDMJ": 1000.0 + i} for i in range(9)]
    path = write(tmp_path / "zd.gpkg", "GPKG", fields=fields, data=data, options=[f"FID={fid_name}"])
    layer = QgsVectorLayer(f"{path}|layername=parcels", "zd", "ogr")
    assert layer.fields().at(0).name() == fid_name
    columnar, features = read_both(layer, {"parcel_id": "OBJECTID", "land_use": "YDXZ", "area_m2": "YDMJ"},
                                   with_geometry=False)
    assert_same(columnar, features)
    assert columnar.frame["land_use"].tolist() == [row["YDXZ"] for row in data]
    assert columnar.frame["area_m2"].tolist() == [row["YDMJ"] for row in data]


FLOAT_VALUES = [0.7, 1.2, 0.1, None, 1e300, -3.4028235677973366e38, 16777217.0, 2.0, 0.30000000000000004]


@pytest.mark.parametrize("subset", ["", '"n" >= 3'])
def test_a_geopackage_float_column_read_as_qgis_reads_it(qgis_app, tmp_path, subset):
    """A GeoPackage FLOAT column (ArcGIS's Float fields: OGR's 32-bit subtype) stores doubles; GDAL's Arrow stream
    rounds them to 32 bits (0.7 → 0.699999988079071, below a minimum FAR of 0.7; 1e300 → inf). The columnar reader
    takes those columns from SQLite: the doubles as stored, what QGIS's feature reader gives — also for an integer
    or numeric text SQLite holds there — under a subset string too."""
    gdal.UseExceptions()
    path = tmp_path / "float.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("parcels", None, ogr.wkbPolygon)
    for name in ("RJL", "JZMD"):
        definition = ogr.FieldDefn(name, ogr.OFTReal)
        definition.SetSubType(ogr.OFSTFloat32)
        layer.CreateField(definition)
    layer.CreateField(ogr.FieldDefn("n", ogr.OFTInteger))
    for i, value in enumerate(FLOAT_VALUES):
        feature = ogr.Feature(layer.GetLayerDefn())
        if value is not None:
            feature.SetField("RJL", value)
        feature.SetField("JZMD", i / 3)
        feature.SetField("n", i)
        feature.SetGeometry(square(i))
        layer.CreateFeature(feature)
    dataset.ExecuteSQL("UPDATE parcels SET JZMD = 7 WHERE n = 4")  # what another program may leave in such a column
    dataset.ExecuteSQL("UPDATE parcels SET JZMD = '2.5' WHERE n = 5")
    dataset = None
    parcels = QgsVectorLayer(f"{path}|layername=parcels", "parcels", "ogr")
    assert parcels.setSubsetString(subset)
    for numeric in ((), ("far", "coverage")):
        columnar, features = read_both(parcels, {"far": "RJL", "coverage": "JZMD"}, numeric=numeric)
        assert_same(columnar, features)
    expected = [v for i, v in enumerate(FLOAT_VALUES) if not subset or i >= 3]
    got = columnar.frame["far"].tolist()
    assert [None if math.isnan(v) else v for v in got] == expected  # the doubles, not their 32-bit roundings


STORED_TEXT = [b"a\x93b", b"\xe4\xbb", b"\xe4\xbbx", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
               b"\xf0\x9f\x98", b"\xe4\xbb\x93\xe5", "\ufeff仓储".encode(), "\ufeff\ufeff仓".encode(),
               "仓\ufeff储".encode(), "\ufeff".encode(), b"\xef\xbb\xbf\xe4\xbb", "仓\ufffe储".encode(),
               "𠀀储".encode()]


@pytest.mark.parametrize("all_valid", [False, True])
def test_text_stored_as_qt_decodes_it(qgis_app, tmp_path, all_valid):
    """A GeoPackage written by another program can hold TEXT that is not UTF-8, or starts with a byte-order mark.
    QGIS (Qt's QString::fromUtf8) gives one U+FFFD per bad byte (the reader gave one per cut sequence: '\\ufffd' for
    b'\\xe4\\xbb', where QGIS gives two) and drops one leading byte-order mark (the reader kept it); so does the
    reader now, whether the column is all valid UTF-8 (decoded at once) or not (value by value)."""
    path = write(tmp_path / "stored.gpkg", "GPKG", fields=FIELDS[:4], data=rows(len(STORED_TEXT) + 2),
                 options=["SPATIAL_INDEX=NO"])  # its triggers need GDAL's SQL functions
    with sqlite3.connect(path) as db:
        for fid, value in enumerate(STORED_TEXT, start=1):
            if all_valid:
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    continue
            db.execute('UPDATE parcels SET "名称" = CAST(? AS TEXT) WHERE fid = ?', (value, fid))
    columnar, features = read_both(QgsVectorLayer(path, "stored", "ogr"), {"name": "名称"})
    assert_same(columnar, features)
    names = features.frame["name"].tolist()
    assert names[9:11] == ["仓储", "\ufeff仓"]
    if not all_valid:
        assert names[:2] == ["a\ufffdb", "\ufffd\ufffd"]


def test_geometries_of_one_size_keep_their_trailing_zero_bytes(qgis_app, tmp_path):
    """GDAL hands a batch whose geometries all have the same WKB size as a fixed-size void array; WKB ends in the
    last coordinate, and a coordinate of 0.0 is eight zero bytes, which a bytes cast would strip. Squares closing
    on y = 0 read as the feature reader reads them."""
    def closed_on_zero(i):
        x = X0 + 150 * i
        return ogr.CreateGeometryFromWkt(f"POLYGON (({x} 0,{x} 100,{x + 100} 100,{x + 100} 0,{x} 0))")

    geometries = [closed_on_zero(i) for i in range(4)]
    path = write(tmp_path / "zeros.gpkg", "GPKG", data=rows(4), geometries=geometries)
    dataset = ogr.Open(path)
    kinds = {np.ma.getdata(batch["geom"]).dtype.kind for batch in dataset.GetLayer(0).GetArrowStreamAsNumPy()}
    dataset = None
    assert kinds == {"V"}  # the path under test
    columnar, features = read_both(QgsVectorLayer(path, "zeros", "ogr"), {"name": "名称"}, with_geometry=True)
    assert_same(columnar, features)
    assert shapely.get_coordinates(columnar.geometries[0])[-1].tolist() == [X0, 0.0]


def test_wkb_type_codes_read_from_each_header():
    """The type code of each WKB (little and big endian, ISO Z/M/ZM, EWKB flags, curves, a code whose bytes are
    zero or above 127, WKB ending in zero bytes) as struct reads it from the header, one WKB at a time."""
    import struct

    from land_bureau_plugin.qgis_bridge.layers import curved_wkbs, wkb_type_codes

    def wkb(code, little=True, tail=b"\x00" * 8):
        return struct.pack("<BI" if little else ">BI", 1 if little else 0, code) + tail

    codes = [3, 6, 1003, 2003, 3006, 0x80000003, 0x20000006 | 0x80000000, 10, 1012, 9, 0x00FF0003, 0x01000000]
    wkbs = [wkb(c) for c in codes] + [wkb(c, little=False) for c in codes] + [wkb(7, tail=b"")]
    expected = [struct.unpack("<I" if w[0] == 1 else ">I", w[1:5])[0] for w in wkbs]
    given = np.empty(len(wkbs), dtype=object)
    given[:] = wkbs
    assert wkb_type_codes(given).tolist() == expected
    assert wkb_type_codes(np.empty(0, dtype=object)).tolist() == []
    curved = [(code & 0x0FFFFFFF) % 1000 in (8, 9, 10, 11, 12) for code in expected]
    assert curved_wkbs(given).tolist() == curved and sum(curved) == 6


@pytest.mark.parametrize("subset", ["", '"n" >= 2'])
def test_text_another_program_stored_in_a_numeric_column_is_read_as_that_text(qgis_app, tmp_path, subset):
    """SQLite keeps text in a GeoPackage's REAL or INTEGER column ("41%", "待定", "无" written by a script or a
    database tool). GDAL reads it as the number its first characters make — 41.0, 0.0, 0.0 — so a tax of "待定"
    was a tax of 0. Both readers hand over the text, for the number reader to read or name (the feature reader
    reads it from the file too: a live check reads edited parcels so); every other value is the number QGIS reads,
    under a subset string too."""
    fields = [("n", ogr.OFTInteger), ("RJL", ogr.OFTReal), ("CS", ogr.OFTInteger), ("税收", ogr.OFTReal)]
    data = [{"n": i, "RJL": 0.5 + i, "CS": i + 1, "税收": 10.0 * i} for i in range(6)]
    path = write(tmp_path / "typed.gpkg", "GPKG", fields=fields, data=data, options=["SPATIAL_INDEX=NO"])
    stored = {1: ("RJL", "41%"), 2: ("税收", "待定"), 3: ("CS", "无"), 4: ("RJL", ""), 5: ("税收", "２,5")}
    with sqlite3.connect(path) as db:
        for n, (column, text) in stored.items():
            db.execute(f'UPDATE parcels SET "{column}" = ? WHERE n = ?', (text, n))
        db.execute('UPDATE parcels SET "RJL" = ? WHERE n = 0', ("2.5",))  # SQLite makes it the number 2.5
    data[0]["RJL"] = 2.5
    layer = QgsVectorLayer(f"{path}|layername=parcels", "typed", "ogr")
    assert layer.setSubsetString(subset)
    field_map = {"far": "RJL", "floors": "CS", "tax": "税收"}
    for numeric in ((), ("far", "floors", "tax")):
        columnar, features = read_both(layer, field_map, numeric=numeric)
        expected = {canon: {} for canon in field_map}
        for row in data:
            if subset and row["n"] < 2:
                continue
            fid = row["n"] + 1
            for canon, name in field_map.items():
                text = stored.get(row["n"])
                expected[canon][fid] = text[1] if text and text[0] == name else row[name]
        for canon in field_map:
            got = columnar.frame[canon].to_dict()
            assert got == {fid: float(v) if numeric and not isinstance(v, str) else v
                           for fid, v in expected[canon].items()}, canon
        assert_same(columnar, features)
    assert layer.subsetString() == subset and not layer.isModified()
    from land_bureau_plugin.qgis_bridge import layers

    layers_read = layers.read_columns(layer, field_map, request=QgsFeatureRequest().setFilterFids([3, 4]))
    assert layers_read.frame["tax"].to_dict() == {3: "待定", 4: 30.0}  # a few features, as a live check reads them


def test_a_value_edited_in_qgis_is_read_as_qgis_holds_it_not_as_the_file_stored_it(qgis_app, tmp_path):
    """In a layer being edited, a numeric value changed in QGIS and not saved is the number QGIS holds; the text
    the file stores is read only where the value is not edited."""
    fields = [("n", ogr.OFTInteger), ("税收", ogr.OFTReal)]
    path = write(tmp_path / "edited.gpkg", "GPKG", fields=fields, data=[{"n": i, "税收": 1.0 + i} for i in range(3)],
                 options=["SPATIAL_INDEX=NO"])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE parcels SET \"税收\" = '待定' WHERE n IN (0, 1)")
    layer = QgsVectorLayer(f"{path}|layername=parcels", "edited", "ogr")
    assert layer.startEditing()
    assert layer.changeAttributeValue(1, layer.fields().indexOf("税收"), 12.5)
    from land_bureau_plugin.qgis_bridge import layers

    read = layers.read_columns(layer, {"tax": "税收"}, numeric=("tax",))
    assert read.frame["tax"].to_dict() == {1: 12.5, 2: "待定", 3: 3.0}
    layer.rollBack()


def test_stored_text_ends_at_a_nul_character_as_gdal_reads_text(qgis_app, tmp_path):
    """"待定\\0x" stored in a REAL column is the text "待定", as GDAL reads any text column: the whole of it, written
    on into the output's reasons, cut them short there (everything after the NUL was lost)."""
    path = write(tmp_path / "nul.gpkg", "GPKG", fields=[("税收", ogr.OFTReal)], data=[{"税收": 1.0}, {"税收": 2.0}],
                 options=["SPATIAL_INDEX=NO"])
    with sqlite3.connect(path) as db:
        db.execute('UPDATE parcels SET "税收" = ? WHERE fid = 1', ("待定\x00x",))
    layer = QgsVectorLayer(f"{path}|layername=parcels", "nul", "ogr")
    columnar, features = read_both(layer, {"tax": "税收"})
    assert_same(columnar, features)
    assert columnar.frame["tax"].tolist() == ["待定", 2.0]


@pytest.mark.parametrize("subset", ["", '"n" >= 2'])
def test_text_in_a_shapefile_number_field_is_read_as_that_text(qgis_app, tmp_path, subset):
    """A DBF stores numbers as text, which an export can fill with "41%", "待定" (GBK) or "N/A": GDAL reads them as
    41 and 0 ("parsed incompletely", a warning only), so a tax of "待定" was a tax of 0. Both readers hand over the
    text, decoded as the layer's text is; blank and "****" stay NULL, every other value is the number QGIS reads."""
    fields = [("n", ogr.OFTInteger), ("RJL", ogr.OFTReal), ("CS", ogr.OFTInteger), ("SS", ogr.OFTReal)]
    data = [{"n": i, "RJL": 0.5 + i, "CS": i + 1, "SS": 10.0 * i} for i in range(6)]
    path = write(tmp_path / "地块.shp", "ESRI Shapefile", fields=fields, data=data, options=["ENCODING=CP936"])
    stored = {1: (1, "RJL", "41%"), 2: (3, "SS", "待定"), 3: (2, "CS", "N/A")}
    for n, (field, _name, text) in stored.items():
        store_in_dbf(path, n, field, text.encode("cp936"))
    store_in_dbf(path, 4, 1, b"")  # blank: NULL
    store_in_dbf(path, 5, 1, b"*" * 8)  # a number too wide for its field, as writers mark it: NULL too
    layer = QgsVectorLayer(str(path), "地块", "ogr")
    assert layer.dataProvider().encoding().upper() in ("GBK", "CP936")
    assert layer.setSubsetString(subset)
    field_map = {"far": "RJL", "floors": "CS", "tax": "SS"}
    for numeric in ((), ("far", "floors", "tax")):
        columnar, features = read_both(layer, field_map, numeric=numeric)
        assert_same(columnar, features)
        expected = {canon: {} for canon in field_map}
        for row in data:
            if subset and row["n"] < 2:
                continue
            for canon, name in field_map.items():
                text = stored.get(row["n"])
                value = text[2] if text and text[1] == name else (None if (row["n"], name) in ((4, "RJL"), (5, "RJL"))
                                                                    else row[name])
                expected[canon][row["n"]] = float(value) if numeric and isinstance(value, (int, float)) else value
        for canon in field_map:
            got = columnar.frame[canon].to_dict()
            assert set(got) == set(expected[canon]), canon
            for fid, value in expected[canon].items():  # NULL: None, or NaN in a column of numbers only
                assert (_missing(value) and _missing(got[fid])) or got[fid] == value, (canon, fid, got[fid])


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
