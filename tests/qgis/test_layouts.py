"""Printed layouts: a template filled for a theme and exported; the PDF read back with pdftotext / pdfinfo /
pdffonts (poppler-utils), so the tests see what a planner would see."""
import datetime as dt
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

RESULT_FIELDS = [("项目编号", "string"), ("项目名称", "string"), ("行政区", "string"), ("grade", "string"),
                 ("start_status", "string"), ("complete_status", "string"), ("resettle_status", "string"),
                 ("resettle_days", "integer"), ("overdue_households", "integer")]
DISTRICTS = ("城厢街道", "北干街道", "新塘街道")
AS_OF = dt.date(2026, 11, 27)


def pdf_text(path, page: int | None = None, layout: bool = False) -> str:
    """pdftotext output, normalised and without white space (spacing in the output depends on the layout).

    Raw order keeps a wrapped table cell together; `layout` order keeps a cell that Qt wrote in two runs
    (XS- and 000) together."""
    options = (["-f", str(page), "-l", str(page)] if page else []) + (["-layout"] if layout else [])
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return squash(text)


def squash(text: str) -> str:
    """Drop white space only: the text must read back exactly as written (no folding of look-alike characters,
    which would hide a PDF whose 月 cannot be searched for)."""
    return "".join(text.split())


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def project_row(n: int, grade: str = "red", district: str = "城厢街道", households: int = 10) -> dict:
    x = 530000 + 1000 * DISTRICTS.index(district) + (n % 9) * 90
    return {"wkt": f"POINT({x + 50} {3340050 + (n // 9) * 90})", "项目编号": f"P{n:03d}",
            "项目名称": f"{district}第{n}号征迁项目", "行政区": district, "grade": grade, "start_status": "on_time",
            "complete_status": "overdue" if grade == "red" else "pending",
            "resettle_status": "overdue" if grade == "red" else "pending",
            "resettle_days": -n if grade == "red" else 400, "overdue_households": households if grade == "red" else 0}


@pytest.fixture()
def result_layer(make_layer):
    def make(rows):
        return make_layer("Point", RESULT_FIELDS, rows, "征迁安置监管结果")
    return make


@pytest.fixture()
def districts(make_layer):
    rows = [{"wkt": f"POLYGON(({x} 3340000, {x + 1000} 3340000, {x + 1000} 3341000, {x} 3341000, {x} 3340000))",
             "行政区": name} for name, x in zip(DISTRICTS, (530000, 531000, 532000))]
    return make_layer("Polygon", [("行政区", "string")], rows, "行政区划")


def build(layers, qgis_app, **kwargs):
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout
    from land_bureau_plugin.layouts.themes import RESETTLEMENT

    request = PrintRequest(kwargs.pop("theme", RESETTLEMENT), layers, as_of=AS_OF, **kwargs)
    project = QgsProject()
    return build_layout(project, request), request, project


def export(layout, path):
    from land_bureau_plugin.layouts.exporting import export_layout

    return export_layout(layout, str(path))


def test_pdf_shows_title_date_table_rows_and_footer_in_an_embedded_cjk_font(qgis_app, result_layer, districts,
                                                                             tmp_path):
    rows = [project_row(1, households=300), project_row(2, households=50), project_row(3, "green"),
            project_row(4, "yellow", "北干街道")]
    layout, request, _project = build([result_layer(rows), districts], qgis_app, organisation="测试市规划和自然资源局")
    files = export(layout, tmp_path / "map.pdf")
    assert files == [str(tmp_path / "map.pdf")] and request.warnings == []
    text = pdf_text(tmp_path / "map.pdf")
    assert squash("征迁安置“+1+4+5”监管预警图") in text
    assert squash("截至2026年11月27日") in text
    assert "城厢街道第1号征迁项目" in text and "城厢街道第2号征迁项目" in text
    assert "城厢街道第3号征迁项目" not in text  # green: not flagged, not in the table
    assert text.index("第1号") < text.index("第2号")  # most households in overdue transition first
    assert squash("共 2 项") in text and "测试市规划和自然资源局" in text
    assert squash(f"制图日期：{dt.date.today().year}年") in text
    assert squash("第 1 页 共 1 页") in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "map.pdf")], capture_output=True, text=True).stdout
    from land_bureau_plugin.layouts.fonts import FAMILY

    cjk = [line for line in fonts.splitlines() if FAMILY.replace(" ", "") in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


def test_empty_result_says_so(qgis_app, result_layer, tmp_path):
    layout, _request, _project = build([result_layer([project_row(1, "green"), project_row(2, "yellow")])],
                                       qgis_app)
    export(layout, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert "无超期项目" in text and "第1号" not in text


def test_huge_result_prints_the_top_rows_and_states_the_total(qgis_app, result_layer, tmp_path):
    layout, _request, _project = build([result_layer([project_row(n, households=1000 - n) for n in range(300)])],
                                       qgis_app, template="a4_portrait")
    export(layout, tmp_path / "huge.pdf")
    text = pdf_text(tmp_path / "huge.pdf")
    shown = int(text.split("显示前")[1].split("项")[0])
    assert "共300项" in text and 5 <= shown < 300
    assert "第0号征迁项目" in text and f"第{shown - 1}号征迁项目" in text and f"第{shown}号征迁项目" not in text


def test_atlas_prints_one_page_per_district_with_its_own_items(qgis_app, result_layer, districts, tmp_path):
    rows = [project_row(n, district=d) for n, d in enumerate(DISTRICTS * 2)] + [project_row(9, "green")]
    layout, _request, _project = build([result_layer(rows), districts], qgis_app, atlas_layer=districts,
                                       atlas_field="行政区")
    export(layout, tmp_path / "atlas.pdf")
    assert pdf_pages(tmp_path / "atlas.pdf") == districts.featureCount()
    for page, name in enumerate(sorted(DISTRICTS), start=1):
        text = pdf_text(tmp_path / "atlas.pdf", page)
        assert name in text and squash(f"第 {page} 页 共 3 页") in text
        others = [d for d in DISTRICTS if d != name]
        assert not any(f"{d}第" in text for d in others)  # only this district's projects in its table
        assert squash("共 2 项") in text


def test_png_export_writes_one_file_per_atlas_page(qgis_app, result_layer, districts, tmp_path):
    layout, _request, _project = build([result_layer([project_row(1)]), districts], qgis_app,
                                       template="a4_portrait", atlas_layer=districts, atlas_field="行政区")
    files = export(layout, tmp_path / "pages.png")
    assert len(files) == 3 and all((tmp_path / f"pages_{n:02d}.png").is_file() for n in (1, 2, 3))
    single, _request, _project = build([result_layer([project_row(1)])], qgis_app)
    assert export(single, tmp_path / "one.png") == [str(tmp_path / "one.png")]
    assert (tmp_path / "one.png").stat().st_size > 10000


def test_unwritable_path_missing_template_and_wrong_layer_are_clear_errors(qgis_app, result_layer, make_layer,
                                                                          tmp_path):
    from land_bureau_plugin.layouts.builder import LayoutError
    from land_bureau_plugin.layouts.templates import TemplateError

    layout, _request, _project = build([result_layer([project_row(1)])], qgis_app)
    with pytest.raises(LayoutError, match="does not exist"):
        export(layout, tmp_path / "no" / "such" / "folder" / "map.pdf")
    with pytest.raises(LayoutError, match="map.pdf"):
        export(layout, "/proc/map.pdf")  # a folder nobody may create files in, not even root
    with pytest.raises(LayoutError, match=r"\.pdf or \.png"):
        export(layout, tmp_path / "map.docx")
    with pytest.raises(TemplateError, match="nothing.qpt"):
        build([result_layer([project_row(1)])], qgis_app, template=str(tmp_path / "nothing.qpt"))
    broken = tmp_path / "broken.qpt"
    broken.write_text("<Layout", encoding="utf-8")
    with pytest.raises(LayoutError, match="not a valid"):
        build([result_layer([project_row(1)])], qgis_app, template=str(broken))
    plain = make_layer("Point", [("name", "string")], [{"wkt": "POINT(530000 3340000)", "name": "x"}], "plain")
    with pytest.raises(LayoutError, match="grade"):
        build([plain], qgis_app)


def test_source_layers_are_not_modified(qgis_app, result_layer, districts, tmp_path):
    layer = result_layer([project_row(1)])
    renderer, count, names = layer.renderer().type(), layer.featureCount(), [f.name() for f in layer.fields()]
    layout, _request, _project = build([layer, districts], qgis_app, atlas_layer=districts, atlas_field="行政区")
    export(layout, tmp_path / "map.pdf")
    assert (layer.renderer().type(), layer.featureCount(), [f.name() for f in layer.fields()]) == \
        (renderer, count, names)
    assert not layer.isEditable() and not districts.isEditable()


def test_missing_cjk_font_falls_back_or_warns(qgis_app):
    from qgis.PyQt.QtGui import QFont, QFontInfo

    from land_bureau_plugin.layouts.fonts import FAMILY, ensure_cjk_font, installed_families

    assert ensure_cjk_font("Template Font That Is Not Installed") is None
    assert QFontInfo(QFont("Template Font That Is Not Installed")).family() in installed_families()
    if FAMILY in installed_families():
        assert QFontInfo(QFont("Template Font That Is Not Installed")).family() != "Template Font That Is Not Installed"
    warning = ensure_cjk_font("Another Missing Font", installed=set())
    assert warning and "fonts-wqy-microhei" in warning


def test_a_template_font_that_is_missing_prints_in_wenquanyi_micro_hei(qgis_app):
    """A user's .qpt naming a font this machine lacks, on a machine whose only CJK font is ours (the Debian 13 matrix
    chroot): substituted by it, no warning."""
    from qgis.PyQt.QtGui import QFont

    from land_bureau_plugin.layouts.fonts import FAMILY, ensure_cjk_font

    assert ensure_cjk_font("A Template Font Only Its Author Has", installed={FAMILY, "DejaVu Sans"}) is None
    assert QFont.substitutes("A Template Font Only Its Author Has") == [FAMILY.lower()]  # Qt keeps them lower-case


def test_organisation_comes_from_the_plugin_setting(qgis_app, result_layer, tmp_path):
    from qgis.core import QgsSettings

    from land_bureau_plugin.layouts import builder

    previous = QgsSettings().value(builder.ORGANISATION_KEY)
    try:
        QgsSettings().remove(builder.ORGANISATION_KEY)
        assert builder.organisation() == "规划和自然资源局"
        builder.set_organisation("某市规划和自然资源局")
        layout, _request, _project = build([result_layer([project_row(1)])], qgis_app)
        export(layout, tmp_path / "org.pdf")
        assert "某市规划和自然资源局" in pdf_text(tmp_path / "org.pdf")
    finally:
        if previous is None:
            QgsSettings().remove(builder.ORGANISATION_KEY)
        else:
            QgsSettings().setValue(builder.ORGANISATION_KEY, previous)


def test_exportlayout_algorithm_prints_the_resettlement_result(plugin, make_layer, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    from resettlement_data import FIELDS, project

    projects = make_layer("Point", FIELDS, [project("A", "2019-03-01", households=40), project("B", "2026-06-01"),
                                            project("C", "2018-01-01", "2019-06-01", households=7, x=300)],
                          "征迁安置项目")
    result = processing.run("landbureau:resettlementdeadlines", {"INPUT": projects, "AS_OF": "2026-11-27",
                                                                 "OUTPUT": "memory:"})["OUTPUT"]
    out = tmp_path / "alg.pdf"
    printed = processing.run("landbureau:exportlayout", {"THEME": 0, "LAYERS": [result], "AS_OF": "2026-11-27",
                                                         "TEMPLATE": "a4_portrait", "OUTPUT": str(out)})
    assert printed["PAGES"] == 1 and printed["FILES"] == str(out)
    text = pdf_text(out)
    assert squash("截至2026年11月27日") in text and "共2项" in text  # A and C are red, B is not due yet
    with pytest.raises(QgsProcessingException, match="does not exist"):
        processing.run("landbureau:exportlayout", {"THEME": 0, "LAYERS": [result],
                                                   "OUTPUT": str(tmp_path / "missing" / "x.pdf")})
    with pytest.raises(QgsProcessingException, match="grade"):
        processing.run("landbureau:exportlayout", {"THEME": 0, "LAYERS": [projects], "OUTPUT": str(out)})


def test_low_efficiency_and_upstairs_themes_print_their_flagged_items(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.themes import EFFICIENCY, UPSTAIRS

    square = "POLYGON(({x} 3340000, {x2} 3340000, {x2} 3340100, {x} 3340100, {x} 3340000))"
    parcels = make_layer("Polygon", [("地块编号", "string"), ("权利人", "string"), ("用地面积", "double"),
                                     ("行政区", "string"), ("far", "double"), ("grade", "string"),
                                     ("low_eff", "integer"), ("potential_m2", "double"), ("mode", "string")],
                         [{"wkt": square.format(x=530000 + 200 * i, x2=530100 + 200 * i), "地块编号": f"XS-{i:03d}",
                           "权利人": f"企业{i}", "用地面积": 10000.0, "行政区": "城厢街道", "far": 0.5 + i / 10,
                           "grade": "D" if i < 2 else "A", "low_eff": int(i < 3), "potential_m2": 1000.0 * (10 - i),
                           "mode": "并宗再开发"} for i in range(5)], "低效用地评价")
    layout, _request, _project = build([parcels], qgis_app, theme=EFFICIENCY)
    export(layout, tmp_path / "eff.pdf")
    text = pdf_text(tmp_path / "eff.pdf", layout=True)
    assert "工业用地低效认定与再开发潜力图" in text and "共3项" in text
    assert "XS-000" in text and "XS-002" in text and "XS-003" not in text  # ids stay searchable (fonts.unshaped)
    assert text.index("XS-000") < text.index("XS-001") < text.index("XS-002")  # most potential first
    assert "再开发潜力（万m²）" in text and "D倒逼整治" in text

    plans = make_layer("Polygon", [("方案编号", "string"), ("passed", "integer"), ("failed_rules", "string"),
                                   ("area_mu", "double"), ("行政区", "string")],
                       [{"wkt": square.format(x=530000 + 200 * i, x2=530100 + 200 * i), "方案编号": f"GYSL-{i}",
                         "passed": int(i % 2), "failed_rules": "" if i % 2 else "far,farmland", "area_mu": 15.0,
                         "行政区": "北干街道"} for i in range(4)], "工业上楼方案")
    layout, _request, _project = build([plans], qgis_app, theme=UPSTAIRS, template="a4_portrait")
    export(layout, tmp_path / "up.pdf")
    text = pdf_text(tmp_path / "up.pdf", layout=True)
    assert "工业上楼方案合规审查图" in text and "GYSL-0" in text and "GYSL-2" in text and "GYSL-1" not in text
    assert "容积率、永久基本农田" in text


def test_own_template_without_some_items_and_with_a_missing_north_arrow_still_prints(qgis_app, result_layer,
                                                                                     tmp_path):
    from qgis.core import QgsLayoutItemPicture, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    from land_bureau_plugin.layouts import templates

    project = QgsProject()  # the layout keeps a plain pointer to it
    layout = QgsPrintLayout(project)
    document = QDomDocument()
    document.setContent(templates.template_path("a4_portrait").read_text(encoding="utf-8"))
    layout.loadFromTemplate(document, QgsReadWriteContext())
    for item_id in (templates.TABLE, templates.SUMMARY, templates.LEGEND):
        layout.removeLayoutItem(layout.itemById(item_id))
    arrow = layout.itemById(templates.NORTH_ARROW)
    arrow.setPicturePath(str(tmp_path / "moved" / "NorthArrow.svg"))  # as if QGIS's SVG library were elsewhere
    own = tmp_path / "own.qpt"
    assert layout.saveAsTemplate(str(own), QgsReadWriteContext())

    printed, request, _project = build([result_layer([project_row(1), project_row(2)])], qgis_app, template=str(own))
    picture = printed.itemById(templates.NORTH_ARROW)
    assert isinstance(picture, QgsLayoutItemPicture)
    assert picture.picturePath() == str(templates.fallback_north_arrow()) and request.warnings == []
    export(printed, tmp_path / "own.pdf")
    text = pdf_text(tmp_path / "own.pdf")
    assert squash("征迁安置“+1+4+5”监管预警图") in text and "共2项" in text and "第1号" not in text  # no table


def test_scale_bar_says_kilometres_for_a_city_and_metres_for_a_block(qgis_app, result_layer):
    from land_bureau_plugin.layouts import templates

    spread = [project_row(1), {**project_row(2), "wkt": "POINT(560000 3370000)"}]
    city, _request, _project = build([result_layer(spread)], qgis_app)
    block, _request, _project = build([result_layer([project_row(1), project_row(2)])], qgis_app)
    assert city.itemById(templates.SCALEBAR).unitLabel() == "千米"
    assert block.itemById(templates.SCALEBAR).unitLabel() == "米"
    assert round(city.itemById(templates.MAP).scale()) % 1000 == 0  # a round printed scale


def test_a_result_without_features_prints_a_page_that_says_so(qgis_app, result_layer, districts, tmp_path):
    layout, _request, _project = build([result_layer([]), districts], qgis_app)
    export(layout, tmp_path / "none.pdf")
    text = pdf_text(tmp_path / "none.pdf")
    assert "无超期项目" in text and "项目总数（个）" in text and "比例尺1:" in text


def outlines(make_layer, names, field="行政区"):
    """Three 1 km squares over the projects of `project_row`, named `names` in `field`."""
    rows = [{"wkt": f"POLYGON(({x} 3340000, {x + 1000} 3340000, {x + 1000} 3341000, {x} 3341000, {x} 3340000))",
             field: name} for name, x in zip(names, (530000, 531000, 532000))]
    return make_layer("Polygon", [(field, "string")], rows, "行政区划")


def test_district_names_print_on_the_map_from_the_name_field(qgis_app, result_layer, make_layer, tmp_path):
    # Outline names that no table row carries: they can only reach the PDF as map labels.
    names = ("东片行政区", "西片行政区", "南片行政区")
    rows = [project_row(n, district=d) for n, d in enumerate(DISTRICTS)]
    named = outlines(make_layer, names, "XZQMC")  # a pinyin name field, found by the field map
    layout, _request, _project = build([result_layer(rows), named], qgis_app)
    export(layout, tmp_path / "named.pdf")
    text = pdf_text(tmp_path / "named.pdf")
    assert all(name in text for name in names)
    assert not named.labelsEnabled()  # printed from an overlay: the source layer is not restyled


def test_outlines_without_a_district_name_field_print_without_labels(qgis_app, result_layer, make_layer, tmp_path):
    names = ("东片备注甲", "西片备注乙", "南片备注丙")
    plain = outlines(make_layer, names, "备注")
    layout, request, _project = build([result_layer([project_row(1)]), plain], qgis_app)
    export(layout, tmp_path / "plain.pdf")
    text = pdf_text(tmp_path / "plain.pdf")
    assert not any(name in text for name in names)
    assert "超期项目" in text and not request.warnings


def test_district_labels_for_outline_layers_only(qgis_app, make_layer):
    from land_bureau_plugin.layouts import district_names

    parcels = make_layer("Polygon", [("地块编号", "string"), ("行政区", "string")],
                         [{"wkt": "POLYGON((0 0, 1 0, 1 1, 0 0))", "地块编号": "A1", "行政区": "城厢街道"}], "地块")
    assert district_names.name_field(parcels) is None  # parcels carry a district, but are not the outlines
    named = outlines(make_layer, DISTRICTS)
    assert district_names.name_field(named) == "行政区"
    assert district_names.label_layer(named) and named.labelsEnabled()
    plain = outlines(make_layer, DISTRICTS, "备注")
    assert not district_names.label_layer(plain) and not plain.labelsEnabled()


def test_district_names_of_a_filtered_gbk_shapefile(qgis_app, tmp_path):
    """A GBK shapefile of outlines filtered on a field other than the names ("类型" = '街道'): QGIS's reader with
    only the name field asked for evaluates the filter on features whose 类型 is NULL, and no name was printed. The
    names of the three streets, not the town's."""
    from osgeo import gdal, ogr, osr
    from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

    from land_bureau_plugin.layouts import district_names

    gdal.SetConfigOption("SHAPE_ENCODING", None)  # QGIS sets it ("") once it has read a shapefile: ENCODING ignored
    path = str(tmp_path / "行政区划.shp")
    dataset = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    layer = dataset.CreateLayer("行政区划", srs, ogr.wkbPolygon, options=["ENCODING=CP936"])
    for name in ("行政区", "类型"):
        definition = ogr.FieldDefn(name, ogr.OFTString)
        definition.SetWidth(20)
        layer.CreateField(definition)
    for k, (name, kind) in enumerate((("城厢街道", "街道"), ("北干街道", "街道"), ("瓜沥镇", "镇"),
                                      ("新塘街道", "街道"))):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("行政区", name)
        feature.SetField("类型", kind)
        x = 530000 + 1000 * k
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x} 3340000,{x + 1000} 3340000,{x + 1000} 3341000,{x} 3341000,{x} 3340000))"))
        layer.CreateFeature(feature)
    dataset = None
    outlines = QgsVectorLayer(path, "行政区划", "ogr")
    assert outlines.setSubsetString("\"类型\" = '街道'") and outlines.featureCount() == 3
    assert district_names.name_field(outlines) == "行政区"
    overlay = district_names.names_layer([outlines], QgsCoordinateReferenceSystem("EPSG:4549"))
    assert overlay is not None
    assert sorted(f["name"] for f in overlay.getFeatures()) == sorted(["城厢街道", "北干街道", "新塘街道"])


def test_printed_legend_says_the_warning_windows_of_the_run(qgis_app, result_layer):
    """The panel stores its run's windows on the result layer; the printed legend names them (default 180 / 90)."""
    import json

    from qgis.core import QgsLayoutItemLegend, QgsMapLayerLegendUtils

    from land_bureau_plugin.layouts.themes import LEGEND_VALUES_KEY
    from land_bureau_plugin.qgis_bridge.styles import apply_style

    def printed_labels(layer) -> dict:
        layout, _request, _project = build([layer], qgis_app)
        legend = next(i for i in layout.items() if isinstance(i, QgsLayoutItemLegend))
        node = legend.model().rootGroup().findLayers()[0]
        values = [c.value() for c in node.layer().renderer().categories()]
        return {v: QgsMapLayerLegendUtils.legendNodeUserLabel(node, i) for i, v in enumerate(values)}

    layer = result_layer([project_row(1), project_row(2, grade="yellow")])
    assert apply_style(layer, "resettlement_result")
    labels = printed_labels(layer)
    assert labels["yellow"] == "黄色预警（≤180天）" and labels["orange"] == "橙色预警（≤90天）"
    layer.setCustomProperty(LEGEND_VALUES_KEY, json.dumps({"yellow": 120, "orange": 30}))
    labels = printed_labels(layer)
    assert labels["green"] == "正常（剩余＞120天）" and labels["yellow"] == "黄色预警（≤120天）"
    assert labels["orange"] == "橙色预警（≤30天）"


def test_a_layout_the_caller_lets_go_is_freed(qgis_app, result_layer, districts, tmp_path):
    """Nothing of the plugin keeps a built layout alive (the page filler reaches it through its Qt parent). A leaked
    layout outlives the project it points to, and on QGIS 3.40+ its legend's queued resize then read that deleted
    project: qgis_process crashed at exit after writing the PDF."""
    import gc

    from land_bureau_plugin.layouts.builder import LIVE_FILLERS

    gc.collect()
    fillers = len(LIVE_FILLERS)
    layout, _request, _project = build([result_layer([project_row(1)]), districts], qgis_app,
                                       atlas_layer=districts, atlas_field="行政区")
    export(layout, tmp_path / "atlas.pdf")
    assert len(LIVE_FILLERS) == fillers + 1
    destroyed = []
    layout.destroyed.connect(lambda: destroyed.append(True))
    del layout
    gc.collect()
    assert destroyed == [True]
    assert len(LIVE_FILLERS) == fillers  # its page filler went with it


def test_the_page_filler_finds_its_layout_once_the_layout_manager_holds_it(qgis_app, result_layer, districts,
                                                                          tmp_path):
    """The designer's case: the project's layout manager owns the layout and its Python wrapper is gone; the page
    filler still reaches its layout (Qt hands the parent back as a QGraphicsScene) and fills an atlas page."""
    import gc

    from land_bureau_plugin.layouts.builder import PageFiller

    rows = [project_row(n, district=d) for n, d in enumerate(DISTRICTS * 2)]
    layout, _request, project = build([result_layer(rows), districts], qgis_app, atlas_layer=districts,
                                      atlas_field="行政区")
    layout.setName("designer")
    project.layoutManager().addLayout(layout)
    del layout
    gc.collect()
    layout = project.layoutManager().layoutByName("designer")
    fillers = [child for child in layout.children() if isinstance(child, PageFiller)]
    assert len(fillers) == 1 and fillers[0].layout.name() == "designer"
    fillers[0].on_atlas_feature(next(districts.getFeatures()))
    export(layout, tmp_path / "atlas.pdf")
    assert pdf_pages(tmp_path / "atlas.pdf") == 3


def test_the_land_supply_map_prints_idle_parcels_and_the_unsupplied_land_by_age(plugin, make_layer, tmp_path):
    """土地供应监管图: the idle and reclaim parcels in the table (most idle days first), the figures of the parcels,
    the batches' unsupplied parts in the legend under their print role, and the 批而未供 figures in the subtitle."""
    import processing
    from land_supply_data import BATCH_FIELDS, SUPPLY_FIELDS, batch, parcel, rect

    from land_bureau_plugin.processing.export_layout import THEME_KEYS

    supply = make_layer("Polygon", SUPPLY_FIELDS, [
        parcel("闲置-1", "2025-06-01", rect(0, 0, 40, 100), price=1000),  # idle, 544 days
        parcel("收回-2", "2023-03-01", rect(40, 0, 80, 100), price=500),  # reclaim, 1367 days
        parcel("未用-3", "2026-06-01", rect(200, 0, 260, 100))], "供地宗地")  # unused: not in the table
    batches = make_layer("Polygon", BATCH_FIELDS, [batch("浙土字A2023-031", "2023-03-01", rect(0, 0, 300, 100))],
                         "报批批次")
    result = processing.run("landbureau:landsupply", {"SUPPLY": supply, "APPROVALS": batches, "AS_OF": "2026-11-27",
                                                      "OUTPUT": "memory:", "UNSUPPLIED": "memory:"})
    out = tmp_path / "supply.pdf"
    printed = processing.run("landbureau:exportlayout", {
        "THEME": THEME_KEYS.index("land_supply"), "LAYERS": [result["OUTPUT"], result["UNSUPPLIED"]],
        "AS_OF": "2026-11-27", "SUMMARY": result["SUMMARY"], "TEMPLATE": "a3_landscape", "OUTPUT": str(out)})
    assert printed["PAGES"] == 1
    text = pdf_text(out)
    assert "土地供应监管图" in text and "共2项" in text and "未用-3" not in text
    assert text.index("收回-2") < text.index("闲置-1")  # most idle days first
    assert "批而未供（按批准年限）" in text and "超过两年期限" in text  # the batches' legend entry and class
    # 300 × 100 m approved, 0–80 and 200–260 m supplied: 16,000 m² = 24.0 亩 unsupplied, all past two years
    assert squash("批而未供 24.0 亩（其中超两年期限 24.0 亩）") in text
    assert squash("依据：未动工满一年闲置《闲置土地处置办法》第二条第一款（2012）") in text  # the rules' sources
