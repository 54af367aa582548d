"""Loading as the load panel does: a GBK shapefile without .cpg reads as Chinese; a confirmed field map is saved in
the project and comes back when the project is reopened; validation names the layer, feature id and field."""
from osgeo import gdal, ogr, osr
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt


def write_gbk_shapefile(path):
    # QgsVectorFileWriter leaves SHAPE_ENCODING="" set process-wide, which makes OGR ignore ENCODING=CP936 below
    previous = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        _write_gbk_shapefile(path)
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", previous)


def _write_gbk_shapefile(path):
    driver = ogr.GetDriverByName("ESRI Shapefile")
    source = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = source.CreateLayer("p", srs, ogr.wkbPolygon, options=["ENCODING=CP936"])
    layer.CreateField(ogr.FieldDefn("DKBH", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("QLR", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("DKBH", "XS-1")
    feature.SetField("QLR", "杭州某某机械有限公司")
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))"))
    layer.CreateFeature(feature)
    source = None
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        cpg.unlink()  # what offices send: GBK bytes and no .cpg


def test_gbk_shapefile_without_cpg_reads_chinese(qgis_app, tmp_path):
    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    path = tmp_path / "parcels.shp"
    write_gbk_shapefile(path)
    assert b"\xba\xbc" in path.with_suffix(".dbf").read_bytes()  # 杭 in GBK
    layer = open_file_layer(str(path))[0]
    assert next(layer.getFeatures())["QLR"] == "杭州某某机械有限公司"


def test_field_map_saved_in_project_and_restored(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.qgis_bridge import fieldmaps

    layer = make_layer("Polygon", [("DKBH", "string"), ("容积率", "double"), ("备注", "string")], [], "地块")
    QgsProject.instance().addMapLayer(layer)
    fieldmaps.save(layer, "parcels", {"parcel_id": "DKBH", "far": "容积率", "owner": "备注"})
    project_file = tmp_path / "p.qgs"
    assert QgsProject.instance().write(str(project_file))
    QgsProject.instance().clear()
    assert QgsProject.instance().read(str(project_file))
    restored = QgsProject.instance().mapLayersByName("地块")[0]
    assert fieldmaps.saved_role(restored) == "parcels"
    assert fieldmaps.field_map_of(restored) == {"parcel_id": "DKBH", "far": "容积率", "owner": "备注"}
    QgsProject.instance().clear()


def test_validation_names_layer_feature_and_field(qgis_app, make_layer):
    from land_bureau_plugin.qgis_bridge.validation import ERROR, validate_layer

    bowtie = "POLYGON((0 0,10 10,10 0,0 10,0 0))"
    square = "POLYGON((0 0,1 0,1 1,0 1,0 0))"
    layer = make_layer("Polygon", [("DKBH", "string"), ("RJL", "string")],
                       [{"wkt": square, "DKBH": "A", "RJL": "1.2"}, {"wkt": bowtie, "DKBH": "A", "RJL": "高"}],
                       "地块")
    findings = validate_layer(layer, "parcels", {"parcel_id": "DKBH", "far": "RJL"})
    text = "\n".join(f.message for f in findings)
    assert "invalid geometry at feature ids 2" in text
    assert "duplicated values A" in text
    assert "RJL" in text and "“高”" in text
    doubled = validate_layer(layer, "parcels", {"parcel_id": "DKBH", "far": "DKBH"})
    assert any(f.level == ERROR and "several roles" in f.message for f in doubled)


def test_csv_in_a_folder_with_chinese_spaces_and_hash(qgis_app, tmp_path):
    """Folder and file names as a bureau's file server has them: the CSV's rows all load, and the layer's source
    gives the same path back (a plain "file://" + path opened this file as an empty layer)."""
    from qgis.PyQt.QtCore import QUrl

    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    folder = tmp_path / "征迁 数据 #2（2024）"
    folder.mkdir()
    path = folder / "点 位%.csv"
    path.write_text("x,y,项目名称\n1,2,甲\n3,4,乙\n5,6,丙\n", encoding="utf-8")
    layer = open_file_layer(str(path))[0]
    assert layer.isValid() and layer.featureCount() == 3
    assert sorted(f["项目名称"] for f in layer.getFeatures()) == ["丙", "乙", "甲"]
    assert QUrl(layer.source()).toLocalFile() == str(path)


def test_gbk_shapefile_with_a_wrong_cpg_reads_chinese(qgis_app, tmp_path):
    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    path = tmp_path / "parcels.shp"
    write_gbk_shapefile(path)
    path.with_suffix(".cpg").write_text("UTF-8")  # said by an export tool, untrue of the bytes
    layer = open_file_layer(str(path))[0]
    assert layer.dataProvider().encoding() == "GBK"
    assert next(layer.getFeatures())["QLR"] == "杭州某某机械有限公司"


def test_the_load_panel_marks_an_uncertain_match_and_says_why(qgis_iface, make_layer):
    from land_bureau_plugin.gui import load_dock

    rows = [{"wkt": "POLYGON((0 0,10 0,10 10,0 10,0 0))", "TBBH": str(i), "Type": "0601", "Class": "0601",
             "TBMJ": 100.0} for i in range(3)]
    layer = make_layer("Polygon", [("TBBH", "string"), ("Type", "string"), ("Class", "string"), ("TBMJ", "double")],
                       rows, "图斑")
    QgsProject.instance().addMapLayer(layer)
    dock = load_dock.LoadDock(qgis_iface)
    try:
        dock.refresh()
        dock.select_layer(layer)
        dock.role_combo.setCurrentIndex(dock.role_combo.findData("parcels"))
        dock.role_changed()
        labels = {dock.map_table.item(r, 0).data(Qt.ItemDataRole.UserRole): dock.map_table.item(r, 0)
                  for r in range(dock.map_table.rowCount())}
        assert labels["land_use"].text().endswith(" ?") and "Class" in labels["land_use"].toolTip()
        assert not labels["area_m2"].text().endswith(" ?") and "TBMJ" in labels["area_m2"].toolTip()
        assert dock.current_map() == {"parcel_id": "TBBH", "land_use": "Type", "area_m2": "TBMJ"}
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
        dock.close()
        dock.deleteLater()


def test_the_load_panel_shows_a_layer_without_a_detected_role_as_such_until_one_is_picked(qgis_iface, make_layer):
    """边界.gpkg (no role detected, "—" in the layer table) showed 地块 in the role combo with the parcels' field
    map beside it — a plausible wrong answer: now the combo says no role was detected and the map is empty."""
    from land_bureau_plugin.analysis.fields import guess_role
    from land_bureau_plugin.gui import load_dock

    rows = [{"wkt": "POLYGON((0 0,10 0,10 10,0 10,0 0))", "名称": "边界"} for _ in range(2)]
    layer = make_layer("Polygon", [("名称", "string")], rows, "边界")
    assert guess_role(["名称"], "polygon", "边界") is None  # 边界 alone says no role (an outline of what?)
    QgsProject.instance().addMapLayer(layer)
    dock = load_dock.LoadDock(qgis_iface)
    try:
        dock.refresh()
        dock.select_layer(layer)
        assert dock.role_combo.currentIndex() == 0 and dock.role_combo.currentData() is None
        assert dock.role_combo.currentText() not in [dock.role_combo.itemText(i) for i in range(1, 4)]
        assert dock.map_table.rowCount() == 0 and dock.current_map() == {}
        dock.confirm_map()  # nothing saved without a role
        assert layer.customProperty("land_bureau/role") is None
        dock.role_combo.setCurrentIndex(dock.role_combo.findData("urban_boundary"))  # the user picks one
        assert dock.role_combo.currentData() == "urban_boundary"
        dock.role_combo.setCurrentIndex(dock.role_combo.findData("parcels"))
        assert dock.map_table.rowCount() > 0
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
        dock.close()
        dock.deleteLater()


def test_a_file_named_for_short_is_given_the_role_its_one_tables_name_says(tmp_path):
    """The acceptance run's 边界.gpkg holds one table, 城镇开发边界: opened under the file's name (边界, which says
    no role: an outline of what?), the table's name says it is the urban development boundary."""
    from land_bureau_plugin.qgis_bridge import fieldmaps
    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    path = str(tmp_path / "边界.gpkg")
    source = gdal.GetDriverByName("GPKG").Create(path, 0, 0, 0, gdal.GDT_Unknown)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    table = source.CreateLayer("城镇开发边界", srs, ogr.wkbPolygon)
    table.CreateField(ogr.FieldDefn("名称", ogr.OFTString))
    feature = ogr.Feature(table.GetLayerDefn())
    feature.SetField("名称", "中心城区")
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0))"))
    table.CreateFeature(feature)
    source = None
    layer = open_file_layer(path)[0]
    assert layer.name() == "边界"
    assert fieldmaps.role_of(layer) == "urban_boundary"
