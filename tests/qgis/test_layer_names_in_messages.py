"""Messages name the layer even when Processing loaded it from a path (qgis_process, batch runs): the GeoPackage
table or the file, not '' or the GeoPackage's file name shared by all its tables."""
import pytest
from qgis.core import QgsProcessingException, QgsVectorFileWriter, QgsVectorLayer


def run_expecting_error(source: str) -> str:
    import processing

    with pytest.raises(QgsProcessingException) as error:
        processing.run("landbureau:resettlementdeadlines", {"INPUT": source, "OUTPUT": "memory:"})
    return str(error.value)


def test_a_delimited_text_file_is_named_by_its_file(plugin, tmp_path):
    path = tmp_path / "征迁台账.csv"
    path.write_text("名称,x,y\n甲,530000,3340000\n", encoding="utf-8")
    uri = f"delimitedtext://{path.as_uri()}?type=csv&xField=x&yField=y&crs=EPSG:4549"
    assert "征迁台账.csv" in run_expecting_error(uri)


def test_a_geopackage_table_is_named_by_its_table(plugin, make_layer, tmp_path):
    from qgis.core import QgsCoordinateTransformContext

    path = tmp_path / "city.gpkg"
    layer = make_layer("Point", [("名称", "string")], [{"wkt": "POINT(530000 3340000)", "名称": "甲"}])
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "旧项目表"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsCoordinateTransformContext(), options)
    assert QgsVectorLayer(f"{path}|layername=旧项目表", "t", "ogr").isValid()
    message = run_expecting_error(f"{path}|layername=旧项目表")
    assert "旧项目表" in message
