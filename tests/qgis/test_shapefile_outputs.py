"""Results written to a shapefile, as the bureau often asks: text in UTF-8 with a .cpg saying so (QGIS wrote
"system"), field names a DBF holds without half a character (项目编号 was cut to 项目编 + a broken byte), the result
fields under their documented short names instead of GDAL's colliding cuts (complete_due / complete_days →
complete_d / complete_1), and the printed map and table reading them back under their full names."""
import datetime as dt
import shutil
import subprocess

import processing
import pytest
from log_feedback import Recorder
from osgeo import gdal, ogr, osr
from qgis.core import QgsVectorLayer

from land_bureau_plugin.qgis_bridge.shapefile_names import SHORT_NAMES, dbf_names

X0, Y0 = 530000.0, 3340000.0


def gbk_shapefile(path, fields, rows, geometry=ogr.wkbPoint) -> str:
    """A shapefile in GBK without a .cpg, as an office sends it: `fields` [(name, ogr type)], `rows` (values…,
    WKT)."""
    gdal.SetConfigOption("SHAPE_ENCODING", None)  # QGIS sets it (to "") when it reads a shapefile in an encoding
    source = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = source.CreateLayer(path.stem, srs, geometry, options=["ENCODING=CP936"])
    for name, kind in fields:
        definition = ogr.FieldDefn(name, kind)
        definition.SetWidth(40) if kind == ogr.OFTString else None
        assert layer.CreateField(definition) == 0
    for row in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for index, value in enumerate(row[:-1]):
            if value is not None:
                feature.SetField(index, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(row[-1]))
        layer.CreateFeature(feature)
    source = None
    path.with_suffix(".cpg").unlink(missing_ok=True)
    return str(path)


def dbf_field_names(path) -> list[bytes]:
    """The field names as the DBF stores them (raw bytes, up to the NUL)."""
    data = path.with_suffix(".dbf").read_bytes()
    header = int.from_bytes(data[8:10], "little")
    return [data[i:i + 11].split(b"\0")[0] for i in range(32, header - 1, 32)]


def check_dbf(path) -> list[str]:
    """A written shapefile: .cpg UTF-8, every name ≤ 10 bytes of whole UTF-8 characters, distinct; the names."""
    assert path.with_suffix(".cpg").read_text().strip() == "UTF-8"
    names = [raw.decode("utf-8") for raw in dbf_field_names(path)]  # raises on half a character
    assert all(len(name.encode("utf-8")) <= 10 for name in names)
    assert len({n.lower() for n in names}) == len(names), names
    return names


PROJECT_FIELDS = [("项目编号", ogr.OFTString), ("项目名称", ogr.OFTString), ("所属街道", ogr.OFTString),
                  ("征收日期", ogr.OFTString), ("安置房开工日期", ogr.OFTString), ("安置房竣工日期", ogr.OFTString),
                  ("征迁户数", ogr.OFTInteger)]
PROJECTS = [  # as of 2025-12-31
    # +1 done on time (45 days early), +4 done 198 days late, +5 overdue since 2024-06-15: red, 312 households
    ("ZQ2019-003", "新华村整村征迁", "宁围街道", "2019-06-15", "2020/5/1", "2023年12月30日", 312,
     f"POINT({X0} {Y0})"),
    # +1 late, +4 overdue since 2024-03-01, +5 overdue since 2025-03-01 (305 days)
    ("ZQ2020-011", "山一村城中村改造", "新街街道", "20200301", "2021.6.1", None, 188, f"POINT({X0 + 100} {Y0})"),
]


@pytest.mark.parametrize("as_the_dialog_asks", [False, True])
def test_resettlement_to_a_shapefile_keeps_chinese_names_whole_and_the_results_apart(plugin, tmp_path,
                                                                                     as_the_dialog_asks):
    from qgis.core import QgsProcessingOutputLayerDefinition

    source = gbk_shapefile(tmp_path / "征迁项目.shp", PROJECT_FIELDS, PROJECTS)
    out = tmp_path / "结果.shp"
    destination = str(out)
    if as_the_dialog_asks:  # the Processing dialog passes its encoding setting, "System" by default
        destination = QgsProcessingOutputLayerDefinition(str(out))
        destination.createOptions = {"fileEncoding": "System"}
    feedback = Recorder()
    processing.run("landbureau:resettlementdeadlines", {"INPUT": source, "AS_OF": "2025-12-31",
                                                        "OUTPUT": destination}, feedback=feedback)
    names = check_dbf(out)
    # each Chinese name cut between characters (UTF-8: three bytes each), the second 安置房… made distinct
    assert names[:7] == ["项目编", "项目名", "所属街", "征收日", "安置房", "安置_1", "征迁户"]
    assert names[7:] == ["start_due", "start_stat", "start_days", "cmpl_due", "cmpl_stat", "cmpl_days", "rstl_due",
                         "rstl_stat", "rstl_days", "grade", "overdue_hh", "has_plot", "reasons"]
    assert "complete_days → cmpl_days" in feedback.text and "项目编号 → 项目编" in feedback.text
    layer = QgsVectorLayer(str(out), "结果", "ogr")  # read as its .cpg says
    rows = {f["项目编"]: f for f in layer.getFeatures()}
    assert rows["ZQ2019-003"]["项目名"] == "新华村整村征迁" and rows["ZQ2020-011"]["所属街"] == "新街街道"
    first, second = rows["ZQ2019-003"], rows["ZQ2020-011"]
    assert (first["start_stat"], first["cmpl_stat"], first["rstl_stat"]) == ("on_time", "late", "overdue")
    assert first["start_days"] == (dt.date(2020, 6, 15) - dt.date(2020, 5, 1)).days
    assert first["cmpl_days"] == (dt.date(2023, 6, 15) - dt.date(2023, 12, 30)).days
    assert first["rstl_days"] == (dt.date(2024, 6, 15) - dt.date(2025, 12, 31)).days
    assert (second["start_stat"], second["cmpl_stat"], second["rstl_stat"]) == ("late", "overdue", "overdue")
    assert second["rstl_days"] == (dt.date(2025, 3, 1) - dt.date(2025, 12, 31)).days
    assert (first["overdue_hh"], second["overdue_hh"]) == (312, 188)


def test_a_shapefile_result_prints_with_every_column(plugin, tmp_path):
    """Low efficiency to a shapefile, then printed: the potential column (potential_m2 → potent_m2), its sort
    order and the district figures are there, read back under the documented names."""
    square = "POLYGON(({x} {y},{X} {y},{X} {Y},{x} {Y},{x} {y}))"
    rows = [(f"DK{i}", "0601", far, "宁围街道", square.format(x=X0 + 200 * i, X=X0 + 200 * i + 100, y=Y0, Y=Y0 + 100))
            for i, far in enumerate((0.2, 0.6, 0.9))]
    source = gbk_shapefile(tmp_path / "地块.shp", [("地块编号", ogr.OFTString), ("用地性质", ogr.OFTString),
                                                 ("容积率", ogr.OFTReal), ("所属街道", ogr.OFTString)], rows,
                           ogr.wkbPolygon)
    out = tmp_path / "低效.shp"
    processing.run("landbureau:lowefficiency", {"PARCELS": source, "OUTPUT": str(out),
                                                "LAND_USE_SYSTEM": "gbt21010"})
    names = check_dbf(out)
    assert "potent_m2" in names and "output_pmu" in names
    written = {f["地块编"]: f["potent_m2"] for f in QgsVectorLayer(str(out), "o", "ogr").getFeatures()}
    assert written == pytest.approx({f"DK{i}": 10_000 * (2.5 - far) for i, far in enumerate((0.2, 0.6, 0.9))})
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    pdf = tmp_path / "map.pdf"
    processing.run("landbureau:exportlayout", {"THEME": 1, "LAYERS": [str(out)], "AS_OF": "2025-12-31",
                                               "OUTPUT": str(pdf)})
    text = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "再开发潜力" in text  # the column and the figure: missing when the field was GDAL's potential_
    # sorted by potential, largest first: DK0 (2.30 万m²) before DK1 (1.90) before DK2 (1.60)
    assert text.index("2.30") < text.index("1.90") < text.index("1.60")
    assert "宁围街道" in text


def test_documented_short_names_fit_a_dbf_and_stay_apart_within_each_output(plugin):
    from land_bureau_plugin.analysis.living_circle_rules import DEFAULT_RULES as LIVING
    from land_bureau_plugin.processing import efficiency, farmland_balance, living_circle, resettlement, upstairs

    assert all(len(short.encode("utf-8")) <= 10 for short in SHORT_NAMES.values())
    specs = [resettlement.RESULT_FIELDS, efficiency.RESULT_FIELDS, efficiency.CLUSTER_FIELDS,
             upstairs.RESULT_FIELDS, upstairs.VIOLATION_FIELDS, upstairs.CHECK_FIELDS,
             living_circle.result_fields(LIVING), farmland_balance.LEDGER_FIELDS, farmland_balance.CHECK_FIELDS,
             farmland_balance.FLOW_FIELDS]
    for spec in specs:
        names = [item.name for item in spec]
        assert all(len(n.encode("utf-8")) <= 10 or n in SHORT_NAMES for n in names), names  # documented
        assert len(set(dbf_names(names))) == len(names)


def test_dbf_names_cut_between_characters_and_number_repeats():
    assert dbf_names(["用地面积（亩）", "用地面积（公顷）", "二层及以上层高（m）", "RJL"]) == \
        ["用地面", "用地_1", "二层及", "RJL"]
    assert dbf_names(["potential_m2", "POTENT_M2", "a\ufffd"]) == ["potent_m2", "POTENT_M_1", "a"]


def test_the_farmland_ledger_as_shapefiles_reads_back_under_its_own_names(plugin, tmp_path):
    """LEDGER (a DBF), CHECKS and FLOWS written as shapefiles: no name cut into another (supplemented_mu,
    supplemented_paddy_mu and supplemented_capacity_kg all began 'supplement'), and loaded back through
    Processing every documented name is there again."""
    import processing
    from qgis.core import QgsVectorLayer

    from land_bureau_plugin.processing import farmland_balance
    from land_bureau_plugin.qgis_bridge.shapefile_names import restore_result_names

    occ = [("项目编号", "string"), ("行政区", "string"), ("批准日期", "string"), ("耕地面积(亩)", "double")]
    sup = [("项目编号", "string"), ("行政区", "string"), ("验收日期", "string"), ("新增耕地面积(亩)", "double")]
    square = "POLYGON((530000 3340000, 530100 3340000, 530100 3340100, 530000 3340100, 530000 3340000))"
    far = "POLYGON((531000 3340000, 531100 3340000, 531100 3340100, 531000 3340100, 531000 3340000))"

    def layer(fields, values, wkt, name):
        spec = "&".join(f"field={n}:{t}" for n, t in fields)
        made = QgsVectorLayer(f"Polygon?crs=EPSG:4549&{spec}", name, "memory")
        from qgis.core import QgsFeature, QgsGeometry

        feature = QgsFeature(made.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(list(values))
        made.dataProvider().addFeatures([feature])
        return made

    outputs = {name: str(tmp_path / f"{name.lower()}.shp") for name in ("LEDGER", "CHECKS", "FLOWS")}
    result = processing.run("landbureau:farmlandbalance", {
        "OCCUPATIONS": layer(occ, ("O1", "A", "2024-01-01", 20.0), square, "占用"),
        "SUPPLEMENTS": layer(sup, ("S1", "A", "2024-02-01", 10.0), far, "补充"), **outputs})
    for name, fields in (("LEDGER", farmland_balance.LEDGER_FIELDS), ("CHECKS", farmland_balance.CHECK_FIELDS)):
        written = QgsVectorLayer(result[name], name, "ogr")
        assert written.isValid(), name
        restore_result_names(written)
        present = {field.name() for field in written.fields()}
        assert {field.name for field in fields} <= present, (name, {f.name for f in fields} - present)
    ledger = QgsVectorLayer(result["LEDGER"], "ledger", "ogr")
    restore_result_names(ledger)
    (row,) = list(ledger.getFeatures())
    assert row["supplemented_mu"] == 10 and row["occupied_mu"] == 20 and row["shortfall_mu"] == 10
