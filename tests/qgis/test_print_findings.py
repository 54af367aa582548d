"""Printed maps show what was found on data not shaped like the demo: violation pieces drawn above the plans,
low-efficiency parcels distinct from unjudged ones, context light and named by its role in the legend, an id
column on OBJECTID-only data, as many numbered markers as table rows, the figures per district on A4, and a
clear message for a template that cannot print a map."""
import datetime as dt
import shutil

import pytest
import shapely
from test_layouts import export, pdf_text, squash

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

AS_OF = dt.date(2026, 11, 27)
SQUARE = "POLYGON(({x} {y}, {x2} {y}, {x2} {y2}, {x} {y2}, {x} {y}))"


def square(x: float, y: float, size: float = 100.0) -> str:
    return SQUARE.format(x=x, y=y, x2=x + size, y2=y + size)


def build(layers, theme, **kwargs):
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts.builder import PrintRequest, build_layout

    project = QgsProject()
    request = PrintRequest(theme, layers, as_of=AS_OF, **kwargs)
    return build_layout(project, request), request, project


@pytest.fixture()
def upstairs_layers(make_layer):
    """A checked plan layer, its violation pieces (a file called gysl_viol), farmland called YJJBNT, a red line
    called STBHHX and district outlines called XZQ — the names an ArcGIS export comes with."""
    plans = make_layer("Polygon", [("FABH", "string"), ("XZQMC", "string"), ("passed", "integer"),
                                   ("failed_rules", "string"), ("area_mu", "double")],
                       [{"wkt": square(530000 + 300 * i, 3340000), "FABH": f"LP-{i:02d}", "XZQMC": "临平街道",
                         "passed": int(i == 2), "failed_rules": "" if i == 2 else "farmland",
                         "area_mu": 15.0} for i in range(3)], "upstairs")
    violations = make_layer("Polygon", [("plan_fid", "integer"), ("plan_id", "string"), ("rule_id", "string"),
                                        ("area_m2", "double")],
                            [{"wkt": square(530000 + 300 * i + 20, 3340020, 40), "plan_fid": i + 1,
                              "plan_id": f"LP-{i:02d}", "rule_id": "farmland", "area_m2": 1600.0} for i in range(2)],
                            "gysl_viol")
    farmland = make_layer("Polygon", [("DLBM", "string")],
                          [{"wkt": square(529990, 3339990, 800), "DLBM": "0101"}], "YJJBNT")
    redline = make_layer("Polygon", [("HXMC", "string")], [{"wkt": square(530700, 3340300, 200), "HXMC": "x"}],
                         "STBHHX")
    districts = make_layer("Polygon", [("XZQMC", "string")],
                           [{"wkt": square(529900, 3339900, 1200), "XZQMC": "临平街道"}], "XZQ")
    from land_bureau_plugin.qgis_bridge import styles

    for layer, style in ((farmland, "farmland"), (redline, "redline"), (districts, "districts")):
        styles.apply_style(layer, style)  # as exportlayout styles a layer loaded only for the print
    return plans, violations, farmland, redline, districts


def legend_labels(layout) -> list[str]:
    from qgis.core import QgsLayoutItemLegend

    legend = next(item for item in layout.items() if isinstance(item, QgsLayoutItemLegend))
    return [node.customProperty("legend/title-label") or node.name()
            for node in legend.model().rootGroup().findLayers()]


def test_violation_pieces_are_drawn_above_the_plans_and_context_below(qgis_app, upstairs_layers):
    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import UPSTAIRS

    plans, violations, farmland, redline, districts = upstairs_layers
    # the order a user would give them in: result, then everything else as it comes
    layout, _request, _project = build([plans, farmland, districts, violations, redline], UPSTAIRS)
    drawn = [layer.id() for layer in layout.itemById(templates.MAP).layers()]  # first = on top
    position = {layer.name(): drawn.index(layer.id()) for layer in upstairs_layers}
    assert position["gysl_viol"] < position["upstairs"]  # the red pieces show over the plans
    # district outlines (no fill) over the plans, below the pieces; filled context below the plans
    assert position["gysl_viol"] < position["XZQ"] < position["upstairs"] < position["STBHHX"] < position["YJJBNT"]


def test_legend_names_layers_by_their_role_never_by_file_name(qgis_app, upstairs_layers, tmp_path):
    from land_bureau_plugin.layouts.themes import UPSTAIRS

    plans, violations, farmland, redline, districts = upstairs_layers
    layout, _request, _project = build([plans, farmland, districts, violations, redline], UPSTAIRS)
    assert legend_labels(layout) == ["审查结果", "违规部分", "行政区划", "生态保护红线", "永久基本农田"]
    export(layout, tmp_path / "roles.pdf")
    text = pdf_text(tmp_path / "roles.pdf")
    assert "违规部分" in text and "永久基本农田" in text
    assert not any(name in text for name in ("gysl_viol", "YJJBNT", "STBHHX"))


def test_merge_clusters_are_named_and_drawn_above_the_parcels(qgis_app, make_layer):
    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    parcels = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    clusters = make_layer("Polygon", [("cluster_id", "integer"), ("parcels", "integer"), ("area_mu", "double")],
                          [{"wkt": square(530000, 3340000, 500), "cluster_id": 1, "parcels": 2, "area_mu": 30.0}],
                          "zd_clusters")
    layout, _request, _project = build([parcels, clusters], EFFICIENCY)
    drawn = [layer.id() for layer in layout.itemById(templates.MAP).layers()]
    assert drawn.index(clusters.id()) < drawn.index(parcels.id())
    assert legend_labels(layout)[1] == "并宗组团"


def efficiency_layer(make_layer, id_fields, ids, crs="EPSG:4549", name="efficiency"):
    """Five parcels in a row: 0–2 low-efficiency (potential 9000, 8000, 7000 m²), 3 judged not low, 4 not judged;
    no grade anywhere (no tax figures), as on real data. `id_fields` and `ids` give each parcel its id fields."""
    fields = id_fields + [("low_eff", "integer"), ("grade", "string"), ("potential_m2", "double"),
                          ("far", "double"), ("SSQX", "string")]
    step, size, x0, y0 = (0.002, 0.001, 120.3, 30.4) if crs == "EPSG:4490" else (200, 100, 530000, 3340000)
    rows = []
    for i in range(5):
        rows.append({"wkt": square(x0 + step * i, y0, size), **ids[i], "low_eff": int(i < 3), "grade": None,
                     "potential_m2": None if i == 4 else 1000.0 * (9 - i), "far": 0.4 + i / 10,
                     "SSQX": "临平街道"})
    return make_layer("Polygon", fields, rows, name, crs)


def test_an_id_column_prints_when_the_only_id_is_objectid(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    # an ArcGIS export in geographic CGCS2000: OBJECTID and Shape_Area, no parcel number
    layer = efficiency_layer(make_layer, [("OBJECTID", "integer"), ("Shape_Area", "double")],
                             [{"OBJECTID": 7001 + i, "Shape_Area": 1e-6} for i in range(5)], crs="EPSG:4490")
    layout, _request, _project = build([layer], EFFICIENCY)
    export(layout, tmp_path / "objectid.pdf")
    text = pdf_text(tmp_path / "objectid.pdf", layout=True)
    assert "地块编号" in text
    assert all(str(7001 + i) in text for i in range(3)) and "7004" not in text and "7005" not in text
    assert text.index("7001") < text.index("7002") < text.index("7003")  # most potential first
    assert squash("编号为要素ID（OBJECTID）") in text


def test_without_any_id_field_the_feature_id_prints_with_a_note(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    layer = efficiency_layer(make_layer, [("QLR", "string")], [{"QLR": f"企业{i}"} for i in range(5)])
    fids = [f.id() for f in layer.getFeatures()]
    layout, _request, _project = build([layer], EFFICIENCY)
    table = layout.itemById("table").multiFrame().tableContents()
    id_column = [row[1].content() for row in table[1:]]
    assert id_column == [str(fid) for fid in fids[:3]]
    export(layout, tmp_path / "fid.pdf")
    text = pdf_text(tmp_path / "fid.pdf")
    assert "编号为要素ID" in text and "（OBJECTID）" not in text


def test_a_mapped_id_field_prints_without_a_note(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    layer = efficiency_layer(make_layer, [("OBJECTID", "integer"), ("DKBH", "string")],
                             [{"OBJECTID": i, "DKBH": f"LP-DK-{i:03d}"} for i in range(5)])
    layout, _request, _project = build([layer], EFFICIENCY)
    export(layout, tmp_path / "dkbh.pdf")
    text = pdf_text(tmp_path / "dkbh.pdf", layout=True)
    assert "LP-DK-000" in text and "编号为要素ID" not in text


def numbers_and_rows(layout) -> tuple[int, int]:
    """(numbered markers on the map, rows in the printed table)."""
    from land_bureau_plugin.layouts.builder import PageFiller

    filler = layout.findChildren(PageFiller)[0]
    table = layout.itemById("table").multiFrame().tableContents()
    return filler.numbers.featureCount(), len(table) - 1


def test_as_many_numbered_markers_as_table_rows_when_the_table_is_cut(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    ids = [{"DKBH": f"D{i:03d}"} for i in range(40)]
    fields = [("DKBH", "string"), ("low_eff", "integer"), ("potential_m2", "double"), ("XZQMC", "string")]
    rows = [{"wkt": square(530000 + 150 * (i % 8), 3340000 + 150 * (i // 8)), **ids[i], "low_eff": 1,
             "potential_m2": 5000.0 - i, "XZQMC": ("临平街道", "南苑街道", "东湖街道", "乔司街道")[i % 4]}
            for i in range(40)]
    layer = make_layer("Polygon", fields, rows, "efficiency")
    for template in ("a4_portrait", "a3_landscape"):
        layout, _request, _project = build([layer], EFFICIENCY, template=template)
        markers, shown = numbers_and_rows(layout)
        assert 0 < shown <= EFFICIENCY.top_n and markers == shown
        export(layout, tmp_path / f"{template}.pdf")
        assert squash(f"共 40 项，显示前 {shown} 项") in pdf_text(tmp_path / f"{template}.pdf")


def test_figures_per_district_print_on_a4_too(qgis_app, make_layer):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    names = ("临平街道", "南苑街道", "东湖街道", "乔司街道")
    rows = [{"wkt": square(530000 + 150 * i, 3340000), "DKBH": f"D{i}", "low_eff": int(i % 2), "potential_m2": 1.0,
             "XZQMC": names[i % 4]} for i in range(12)]
    layer = make_layer("Polygon", [("DKBH", "string"), ("low_eff", "integer"), ("potential_m2", "double"),
                                   ("XZQMC", "string")], rows, "efficiency")
    for template in ("a4_portrait", "a3_landscape"):
        layout, _request, _project = build([layer], EFFICIENCY, template=template)
        summary = layout.itemById("summary").multiFrame().tableContents()
        assert [row[0].content() for row in summary[1:]] == sorted(names) + ["合计"]
        heading, figures = layout.itemById("table_heading"), layout.itemById("summary")
        bottom = figures.positionWithUnits().y() + figures.rect().height()
        assert heading.positionWithUnits().y() >= bottom  # the table heading below the figures, not over them


def test_low_efficiency_parcels_are_not_the_grey_of_unjudged_ones(qgis_app, make_layer):
    from qgis.core import QgsExpressionContextUtils, QgsRenderContext

    from land_bureau_plugin.qgis_bridge.styles import apply_style

    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    assert apply_style(layer, "efficiency_result")
    renderer = layer.renderer().clone()
    context = QgsRenderContext()
    context.expressionContext().appendScope(QgsExpressionContextUtils.layerScope(layer))
    renderer.startRender(context, layer.fields())
    colours = []
    for feature in layer.getFeatures():
        context.expressionContext().setFeature(feature)  # as the layer renderer does for each feature
        colours.append(renderer.symbolForFeature(feature, context).color().name())
    renderer.stopRender(context)
    low, judged, unjudged = colours[0], colours[3], colours[4]
    assert colours[:3] == [low] * 3 and len({low, judged, unjudged}) == 3


def test_context_layers_loaded_for_the_print_get_light_role_styles(qgis_app, upstairs_layers, make_layer):
    from land_bureau_plugin.layouts import layer_roles
    from land_bureau_plugin.qgis_bridge.styles import apply_style

    plans, violations, farmland, redline, districts = upstairs_layers
    roads = make_layer("LineString", [("name", "string")], [{"wkt": "LINESTRING(530000 3340000, 531000 3340000)",
                                                             "name": "路"}], "DL_2023")
    styles = {layer.name(): layer_roles.style_for(layer, layer_roles.print_role(layer))
              for layer in (violations, farmland, redline, districts, roads)}
    assert styles == {"gysl_viol": "upstairs_violations", "YJJBNT": "farmland", "STBHHX": "redline",
                      "XZQ": "districts", "DL_2023": "context_line"}
    for layer in (farmland, redline, districts, roads):
        assert apply_style(layer, styles[layer.name()])
        symbol = layer.renderer().symbol()
        for n in range(symbol.symbolLayerCount()):
            properties = symbol.symbolLayer(n).properties()
            width = float(properties.get("outline_width", properties.get("line_width", 0)))
            colour = properties.get("outline_color", properties.get("line_color", "255,255,255,255"))
            darkness = 255 - sum(int(c) for c in colour.split(",")[:3]) / 3
            assert width <= 0.5 and darkness < 160, (layer.name(), width, colour)  # no heavy black outlines


@pytest.mark.parametrize("content, phrase", [
    ("", "is empty"),
    ("   \n", "is empty"),
    ("<Layout name='x'></Layout>", "has no page"),
    ("<html><body/></html>", "not a valid"),
])
def test_a_template_that_cannot_print_a_map_says_why_and_names_the_file(qgis_app, make_layer, tmp_path, content,
                                                                        phrase):
    from land_bureau_plugin.layouts.builder import LayoutError
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    path = tmp_path / "科室模板.qpt"
    path.write_text(content, encoding="utf-8")
    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    with pytest.raises(LayoutError, match=phrase) as error:
        build([layer], EFFICIENCY, template=str(path))
    assert str(path) in str(error.value) and "printer" not in str(error.value)


def template_without_map(tmp_path):
    """The bundled A4 template with its map (and the items that follow the map) taken out."""
    from qgis.core import QgsLayoutItemMap, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    from land_bureau_plugin.layouts import templates

    project = QgsProject()
    layout = QgsPrintLayout(project)
    document = QDomDocument()
    document.setContent(templates.template_path("a4_portrait").read_text(encoding="utf-8"))
    layout.loadFromTemplate(document, QgsReadWriteContext())
    for item in [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]:
        layout.removeLayoutItem(item)
    path = tmp_path / "no_map.qpt"
    assert layout.saveAsTemplate(str(path), QgsReadWriteContext())
    return path


def test_a_template_without_a_map_item_is_refused_by_name(qgis_app, make_layer, tmp_path):
    from land_bureau_plugin.layouts.builder import LayoutError
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    path = template_without_map(tmp_path)
    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    with pytest.raises(LayoutError, match="no map item") as error:
        build([layer], EFFICIENCY, template=str(path))
    assert str(path) in str(error.value)


def test_a_map_item_with_another_id_is_used(qgis_app, make_layer, tmp_path):
    from qgis.core import QgsLayoutItemMap, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    project = QgsProject()
    layout = QgsPrintLayout(project)
    document = QDomDocument()
    document.setContent(templates.template_path("a4_portrait").read_text(encoding="utf-8"))
    layout.loadFromTemplate(document, QgsReadWriteContext())
    layout.itemById(templates.MAP).setId("地图1")
    path = tmp_path / "renamed.qpt"
    assert layout.saveAsTemplate(str(path), QgsReadWriteContext())
    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    printed, _request, _project = build([layer], EFFICIENCY, template=str(path))
    map_item = printed.itemById(templates.MAP)
    assert isinstance(map_item, QgsLayoutItemMap) and layer in map_item.layers()


def test_exportlayout_refuses_an_empty_template_by_name(plugin, make_layer, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    empty = tmp_path / "empty.qpt"
    empty.write_bytes(b"")
    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    with pytest.raises(QgsProcessingException, match="empty") as error:
        processing.run("landbureau:exportlayout", {"THEME": 1, "LAYERS": [layer], "TEMPLATE": str(empty),
                                                   "OUTPUT": str(tmp_path / "x.pdf")})
    assert "empty.qpt" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_run_s_land_use_note_prints_in_the_subtitle(plugin, make_layer, tmp_path):
    """From the SUMMARY given to exportlayout (qgis_process, models), or from the result layer (the panels)."""
    import json

    import processing

    from land_bureau_plugin.layouts.themes import EFFICIENCY, PRINT_NOTE_KEY

    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    summary = {"parcels": 5, "land_use": {"system": None, "all_industrial": True, "note": "全部要素按工业用地处理"}}
    out = tmp_path / "note.pdf"
    processing.run("landbureau:exportlayout", {"THEME": 1, "LAYERS": [layer], "SUMMARY": json.dumps(summary),
                                               "OUTPUT": str(out)})
    assert "全部要素按工业用地处理" in pdf_text(out)
    processing.run("landbureau:exportlayout", {"THEME": 1, "LAYERS": [layer], "SUMMARY": "{broken",
                                               "OUTPUT": str(out)})
    assert "全部要素按工业用地处理" not in pdf_text(out) and "低效用地认定" in pdf_text(out)

    layer.setCustomProperty(PRINT_NOTE_KEY, "用地代码：GB/T 21010-2017")
    layout, _request, _project = build([layer], EFFICIENCY)
    export(layout, tmp_path / "panel.pdf")
    assert squash("用地代码：GB/T 21010-2017") in pdf_text(tmp_path / "panel.pdf")


def subtitle_size_and_fit(layout, template_size: float = 9, item_id: str = "subtitle") -> tuple[float, bool]:
    """(font size of the subtitle (or the label `item_id`) in points, whether its text fits its width on one line:
    its width measured at the template's size, scaled to the size set — text written as text in a PDF scales with
    its size)."""
    from qgis.core import QgsTextFormat, QgsUnitTypes

    from land_bureau_plugin.layouts import table_item

    label = layout.itemById(item_id)
    if hasattr(label, "textFormat"):
        text_format = label.textFormat()
    else:
        text_format = QgsTextFormat.fromQFont(label.font())
        text_format.setSize(label.font().pointSizeF())
        text_format.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    size = text_format.size()
    text_format.setSize(template_size)
    width = table_item.TextMeasure(layout).width(text_format, label.currentText()) * size / template_size
    return size, width <= label.rect().width() - 2 * label.marginX()


def test_a_long_subtitle_is_set_smaller_to_stay_on_one_line(qgis_app, make_layer):
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    short, _request, _short_project = build([layer], EFFICIENCY, template="a4_portrait", data_source="宗地")
    long, _request, _long_project = build([layer], EFFICIENCY, template="a4_portrait",
                                     data_source="ZD_GY_2024（临平区工业用地宗地数据库导出_2024年12月.gpkg）",
                                     note="用地代码：国土空间调查、规划、用途管制用地用海分类指南（2023）")
    short_size, short_fits = subtitle_size_and_fit(short)
    long_size, long_fits = subtitle_size_and_fit(long)
    assert short_fits and long_fits
    assert short_size == 9 and 9 * 0.6 <= long_size < 9  # the A4 template's 9 pt, smaller only when needed


def test_a_long_title_is_set_smaller_to_stay_on_one_line(qgis_app, make_layer):
    """A title of two lines ran above the page's top edge, its first line cut: set smaller, it stays on one."""
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    layer = efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)])
    short, _request, _short_project = build([layer], EFFICIENCY)
    template_size, short_fits = subtitle_size_and_fit(short, item_id="title")  # the template's own size: it fits
    title = ("杭州市萧山区2026年度工业用地低效用地评价成果图（含永久基本农田、生态保护红线、"
             "城镇开发边界三区三线冲突分析及面积核算）")
    long, _request, _project = build([layer], EFFICIENCY, title=title)
    size, fits = subtitle_size_and_fit(long, template_size, "title")
    assert short_fits and fits and template_size * 0.6 <= size < template_size


def test_the_sources_of_the_run_s_rules_print_under_the_table(plugin, upstairs_layers, tmp_path):
    """依据: from the SUMMARY given to exportlayout, or from the result layer (the panels); wrapped to the note's
    width and kept above the page's footer line."""
    import json

    import processing

    from land_bureau_plugin.layouts.themes import PRINT_SOURCES_KEY, UPSTAIRS
    from land_bureau_plugin.rules.profile import load_profile

    plans = upstairs_layers[0]
    summary = {"plans": 3, "sources": load_profile()["upstairs"]["sources"]}
    out = tmp_path / "sources.pdf"
    processing.run("landbureau:exportlayout", {"THEME": 2, "LAYERS": [plans], "SUMMARY": json.dumps(summary),
                                               "OUTPUT": str(out)})
    text = squash(pdf_text(out))
    assert squash("依据：配套用地占比《工业项目建设用地控制指标》第四条（四）（2008）") in text
    assert squash("生态保护红线、城镇开发边界《关于在国土空间规划中统筹划定落实三条控制线的指导意见》（2019）") in text
    assert squash("其余为本地默认值") in text

    plans.setCustomProperty(PRINT_SOURCES_KEY, "依据：永久基本农田《中华人民共和国土地管理法》第三十五条")
    layout, _request, _project = build([plans], UPSTAIRS)
    note, footer = layout.itemById("table_note"), layout.itemById("footer_org")
    assert "依据：永久基本农田" in note.text() and "共" in note.text().split("\n")[0]
    assert note.positionWithUnits().y() + note.rect().height() < footer.positionWithUnits().y()
    export(layout, tmp_path / "panel.pdf")
    assert squash("《中华人民共和国土地管理法》第三十五条") in squash(pdf_text(tmp_path / "panel.pdf"))


# --- a legend entry names something visible on the page (issue 11) ------------------------------------------------

def styled(layer, style: str):
    from land_bureau_plugin.qgis_bridge import styles

    assert styles.apply_style(layer, style)
    return layer


def test_context_wholly_under_the_results_fills_is_neither_drawn_nor_in_the_legend(qgis_app, make_layer):
    """Parcels (the efficiency result, opaque fills) with farmland wholly under parcel 0: nothing of it shows, so
    neither the map nor the legend has it, and the warnings say so. A red line half outside the parcels shows; the
    development boundary (an outline) is drawn above the parcels, below the merge clusters."""
    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    parcels = styled(efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)]),
                     "efficiency_result")
    hidden = styled(make_layer("Polygon", [("DLBM", "string")], [{"wkt": square(530010, 3340010, 80),
                                                                  "DLBM": "0101"}], "YJJBNT"), "farmland")
    shown = styled(make_layer("Polygon", [("HXMC", "string")], [{"wkt": square(530250, 3340050, 100),
                                                                 "HXMC": "x"}], "STBHHX"), "redline")
    boundary = styled(make_layer("Polygon", [("BSM", "string")], [{"wkt": square(529950, 3339950, 1000),
                                                                   "BSM": "1"}], "CZKFBJ"), "urban_boundary")
    clusters = make_layer("Polygon", [("cluster_id", "integer"), ("parcels", "integer"), ("area_mu", "double")],
                          [{"wkt": square(530000, 3340000, 300), "cluster_id": 1, "parcels": 2, "area_mu": 30.0}],
                          "zd_clusters")
    styled(clusters, "efficiency_clusters")
    layout, request, _project = build([parcels, hidden, shown, boundary, clusters], EFFICIENCY)
    drawn = [layer.id() for layer in layout.itemById(templates.MAP).layers()]
    assert hidden.id() not in drawn
    assert drawn.index(clusters.id()) < drawn.index(boundary.id()) < drawn.index(parcels.id()) < drawn.index(
        shown.id())
    assert legend_labels(layout) == ["低效认定与亩均等级", "并宗组团", "城镇开发边界", "生态保护红线"]
    assert any("YJJBNT" in warning and "legend" in warning for warning in request.warnings)


def test_the_same_context_shows_where_the_result_is_not_opaque(qgis_app, make_layer):
    """The farmland of the test above under a half-transparent result: it shows through, so it stays."""
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    parcels = styled(efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)]),
                     "efficiency_result")
    parcels.setOpacity(0.5)
    farmland = styled(make_layer("Polygon", [("DLBM", "string")], [{"wkt": square(530010, 3340010, 80),
                                                                    "DLBM": "0101"}], "YJJBNT"), "farmland")
    layout, request, _project = build([parcels, farmland], EFFICIENCY)
    assert legend_labels(layout) == ["低效认定与亩均等级", "永久基本农田"] and not request.warnings


@pytest.mark.parametrize("kind, wkt, shows", [
    # the cover is the square 0..100 m; at 1:1000 a millimetre of paper is a metre
    ("Polygon", "POLYGON((530099.01 3340000, 530100.99 3340000, 530100.99 3340000.5, 530099.01 3340000.5, "
                "530099.01 3340000))", False),   # 0.99 m × 0.5 m outside: 0.495 m² < 1 mm² of paper
    ("Polygon", "POLYGON((530099 3340000, 530101 3340000, 530101 3340001, 530099 3340001, 530099 3340000))",
     True),                                        # 1 m × 1 m outside: exactly 1 mm²
    ("Polygon", "POLYGON((530099 3340000, 530101.1 3340000, 530101.1 3340001, 530099 3340001, 530099 3340000))",
     True),                                        # 1.1 m²
    ("LineString", "LINESTRING(530050 3340050, 530100.99 3340050)", False),  # 0.99 m outside
    ("LineString", "LINESTRING(530050 3340050, 530101 3340050)", True),      # 1 m outside
    ("Point", "POINT(530050 3340050)", False),
    ("Point", "POINT(530100.5 3340050)", True),
])
def test_a_context_layer_shows_when_a_square_millimetre_of_paper_is_left_uncovered(qgis_app, make_layer, kind,
                                                                                     wkt, shows):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    from land_bureau_plugin.layouts import visibility

    cover = styled(make_layer("Polygon", [("n", "integer")], [{"wkt": square(530000, 3340000), "n": 1}], "cover"),
                   "context_polygon")
    context = make_layer(kind, [("n", "integer")], [{"wkt": wkt, "n": 1}], "context")
    extent = QgsRectangle(529900, 3339900, 530300, 3340300)
    crs = QgsCoordinateReferenceSystem("EPSG:4549")
    assert visibility.opaque_fill(cover)
    assert (context.id() not in visibility.hidden([cover, context], {context.id()}, crs, extent, 1000.0)) == shows
    # a cover drawn below, or one that lets the context show through (hatched), hides nothing: the context then
    # shows unless it is itself below a square millimetre of paper (the first case: 0.99 m² in all)
    alone = not (kind == "Polygon" and not shows)
    assert (context.id() not in visibility.hidden([context, cover], {context.id()}, crs, extent, 1000.0)) == alone
    styled(cover, "redline")
    assert not visibility.opaque_fill(cover)
    assert (context.id() not in visibility.hidden([cover, context], {context.id()}, crs, extent, 1000.0)) == alone


def test_only_outlines_are_drawn_above_the_result(qgis_app, make_layer):
    from land_bureau_plugin.layouts import visibility

    layer = make_layer("Polygon", [("n", "integer")], [{"wkt": square(530000, 3340000), "n": 1}], "x")
    for style, outline in (("districts", True), ("urban_boundary", True), ("farmland", False), ("redline", False),
                           ("context_polygon", False)):
        styled(layer, style)
        assert visibility.outlines_only(layer) == outline, style


@pytest.mark.parametrize("template", ["a3_landscape", "a4_portrait"])
def test_no_result_feature_lies_under_the_legend_scale_bar_or_north_arrow(qgis_app, make_layer, template):
    """Parcels filling their whole extent: on A3 the legend, drawn on the map's lower left, covered the parcels
    there — rows of the table without a visible marker. The map zooms out until every parcel is clear of it."""
    from qgis.core import QgsLayoutItemMap

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    rows = [{"wkt": square(530000 + 120 * i, 3340000 + 120 * j), "DKBH": f"D{i}-{j}", "low_eff": 1, "grade": None,
             "potential_m2": 1000.0 + i + j, "far": 0.4, "SSQX": "临平街道"} for i in range(10) for j in range(10)]
    parcels = make_layer("Polygon", [("DKBH", "string"), ("low_eff", "integer"), ("grade", "string"),
                                     ("potential_m2", "double"), ("far", "double"), ("SSQX", "string")], rows,
                         "efficiency")
    layout, _request, _project = build([parcels], EFFICIENCY, template=template)
    map_item = next(item for item in layout.items() if isinstance(item, QgsLayoutItemMap))
    frame, extent = map_item.sceneBoundingRect(), map_item.extent()
    shapes = [shapely.from_wkt(row["wkt"]) for row in rows]
    window = shapely.box(extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    assert all(window.contains(shape) for shape in shapes)
    for item_id in (templates.LEGEND, templates.SCALEBAR, templates.NORTH_ARROW):
        item = layout.itemById(item_id)
        if item is None or not item.sceneBoundingRect().intersects(frame):
            continue
        box = item.sceneBoundingRect().intersected(frame)
        covered = shapely.box(
            extent.xMinimum() + (box.left() - frame.left()) / frame.width() * extent.width(),
            extent.yMaximum() - (box.bottom() - frame.top()) / frame.height() * extent.height(),
            extent.xMinimum() + (box.right() - frame.left()) / frame.width() * extent.width(),
            extent.yMaximum() - (box.top() - frame.top()) / frame.height() * extent.height())
        assert not any(covered.intersects(shape) for shape in shapes), item_id


SOURCES = ("依据：容积率下限《浙江省工业等项目建设用地控制指标（2014）》（2014-01-15）；建筑系数《工业项目建设用地控制"
           "指标》第四条（三）（2008）；D级、亩均评价《浙江省人民政府关于深化“亩均论英雄”改革的指导意见》（2018）；"
           "闲置土地《闲置土地处置办法》第二条（2012）；其余为本地默认值")


@pytest.mark.parametrize("template", ["a4_portrait", "a3_landscape"])
@pytest.mark.parametrize("sources", ["", SOURCES, SOURCES + "；" + SOURCES], ids=["none", "one", "two"])
def test_the_table_note_never_runs_into_the_footer(qgis_app, make_layer, template, sources):
    """Thirty flagged parcels fill the table; a note of one, three or five lines under it. On A4 the 依据 ran over
    the footer's rule: the table gives up rows instead, and the map numbers the rows it prints."""
    from qgis.core import QgsLayoutItem, QgsLayoutItemMap, QgsLayoutItemPage

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    rows = [{"wkt": square(530000 + 150 * (i % 6), 3340000 + 150 * (i // 6)), "DKBH": f"D{i:02d}", "low_eff": 1,
             "grade": None, "potential_m2": 9000.0 - i, "far": 0.4, "SSQX": "临平街道"} for i in range(30)]
    parcels = make_layer("Polygon", [("DKBH", "string"), ("low_eff", "integer"), ("grade", "string"),
                                     ("potential_m2", "double"), ("far", "double"), ("SSQX", "string")], rows,
                         "efficiency")
    layout, _request, _project = build([parcels], EFFICIENCY, template=template, sources=sources)
    note = layout.itemById(templates.TABLE_NOTE)
    box = note.sceneBoundingRect()
    for item in layout.items():
        if isinstance(item, QgsLayoutItem) and item is not note and item.isVisible() and not isinstance(
                item, (QgsLayoutItemMap, QgsLayoutItemPage)) and item.sceneBoundingRect().top() > box.top():
            assert not item.sceneBoundingRect().intersects(box), (item.id(), item.sceneBoundingRect(), box)
    if sources:
        assert "其余为本地默认值" in note.text()


def test_a_raster_basemap_prints_under_everything(qgis_app, make_layer, tmp_path):
    """The panel's Print takes every visible layer of the project, a 天地图 or imagery basemap included: the layout
    stopped with "'QgsRasterLayer' object has no attribute 'fields'". It is drawn lowest, under its own name."""
    import numpy as np
    from osgeo import gdal, osr
    from qgis.core import QgsRasterLayer

    from land_bureau_plugin.layouts import templates
    from land_bureau_plugin.layouts.themes import EFFICIENCY

    path = str(tmp_path / "basemap.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(path, 60, 30, 1, gdal.GDT_Byte)
    dataset.SetGeoTransform((529900, 20, 0, 3340300, 0, -20))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).WriteArray(np.full((30, 60), 230, dtype=np.uint8))
    dataset = None
    basemap = QgsRasterLayer(path, "天地图影像")
    assert basemap.isValid()
    parcels = styled(efficiency_layer(make_layer, [("DKBH", "string")], [{"DKBH": f"D{i}"} for i in range(5)]),
                     "efficiency_result")
    farmland = styled(make_layer("Polygon", [("DLBM", "string")], [{"wkt": square(530850, 3340000, 100),
                                                                    "DLBM": "0101"}], "YJJBNT"), "farmland")
    layout, _request, _project = build([parcels, basemap, farmland], EFFICIENCY)
    drawn = [layer.id() for layer in layout.itemById(templates.MAP).layers()]
    assert drawn[-1] == basemap.id() and drawn.index(farmland.id()) < drawn.index(basemap.id())
    assert legend_labels(layout)[-1] == "天地图影像"
    export(layout, tmp_path / "basemap.pdf")
    assert "天地图影像" in pdf_text(tmp_path / "basemap.pdf")
