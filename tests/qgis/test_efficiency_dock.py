"""The low-efficiency panel: layers preselected by role, a background run with summary, table, grade style and
cluster outlines, the why of a parcel, a rerun that replaces its layers, the rule editor, cancel."""
import copy
import json
import re

import pandas as pd
import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from test_efficiency_algorithm import BUILDING_FIELDS, PARCEL_FIELDS, building, parcel, rect


@pytest.fixture()
def dock(plugin):
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("gbt21010"))  # "0601" alone: name it
    yield dock
    dock.land_use_system.setCurrentIndex(0)
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture()
def small_city(make_layer):
    """Two low-efficiency neighbours (a cluster), the seed case and an efficient parcel, with their buildings."""
    parcels = make_layer("Polygon", PARCEL_FIELDS, [
        parcel("A", rect(0, 0, 100, 100), tax=10, district="西湖"),
        parcel("B", rect(100, 0, 100, 100), tax=12, district="西湖"),
        parcel("CASE", rect(0, 300, 172, 171), tax=176.5, district="余杭"),
        parcel("GOOD", rect(600, 0, 100, 100), tax=300, district="余杭"),
    ], "地块")
    buildings = make_layer("Polygon", BUILDING_FIELDS, [
        building(rect(10, 10, 30, 30), floors=2), building(rect(110, 10, 30, 30), height=9),
        building(rect(12, 312, 96, 72), floors=2), building(rect(12, 400, 80, 60.66), floors=2),
        building(rect(600, 0, 80, 80), floors=4),
    ], "建筑")
    QgsProject.instance().addMapLayers([parcels, buildings])
    return parcels, buildings


def rows_by_id(dock) -> dict:
    frame = dock.model.frame
    return {frame.iloc[i]["parcel_id"]: i for i in range(len(frame))}


def test_layers_are_preselected_by_role(dock, small_city):
    parcels, buildings = small_city
    dock.pick_default_layers()
    assert dock.parcels_combo.currentLayer() is parcels
    assert dock.buildings_combo.currentLayer() is buildings


def test_run_shows_summary_table_styled_layers_and_why(dock, small_city, wait_until_idle):
    dock.pick_default_layers()
    dock.run()
    wait_until_idle(dock)
    project = QgsProject.instance()
    result = project.mapLayer(dock.result_layer_id)
    assert result is not None and result.featureCount() == 4
    assert {c.value() for c in result.renderer().categories()} >= {"A", "B", "C", "D"}
    outlines = project.mapLayer(dock.cluster_layer_id)
    assert outlines is not None and outlines.featureCount() == 1  # A and B share an edge
    assert dock.model.rowCount() == 4
    assert "4 parcel(s)" in dock.summary.text() and "西湖" in dock.districts.text()
    rows = rows_by_id(dock)
    case = dock.model.frame.iloc[rows["CASE"]]
    assert case["far"] == pytest.approx(0.8) and case["potential_m2"] == pytest.approx(50000, abs=1)
    # FAR with two places and the score with one, so the figures line up down their columns ("0.80", not "0.8")
    columns = list(dock.model.frame.columns)
    shown = {name: dock.model.data(dock.model.index(rows["CASE"], columns.index(name))) for name in
             ("far", "score", "potential_m2")}
    assert shown["far"] == "0.80" and shown["potential_m2"] == "50,000"
    assert re.fullmatch(r"\d+\.\d", shown["score"]), shown
    for row in range(dock.model.rowCount()):
        far = dock.model.frame.iloc[row]["far"]
        text = dock.model.data(dock.model.index(row, columns.index("far")))
        assert text == ("" if pd.isna(far) else f"{far:.2f}")
    # A and B form the one merge cluster; the others are in none: —, as the why text says, not a cluster called 0
    clusters = {name: dock.model.data(dock.model.index(rows[name], columns.index("cluster_id")))
                for name in ("A", "B", "CASE", "GOOD")}
    assert clusters["A"] == clusters["B"] != "—" and int(clusters["A"]) > 0, clusters
    assert clusters["CASE"] == clusters["GOOD"] == "—", clusters
    assert dock.model.frame.iloc[rows["GOOD"]]["cluster_id"] == 0  # the column keeps the number (sorting)

    dock.row_clicked(dock.proxy.mapFromSource(dock.model.index(rows["CASE"], 0)))
    assert result.selectedFeatureCount() == 1
    assert "FAR 0.80 below 1.00 for 0601" in dock.why.text()  # selecting explains the parcel
    assert "cluster —," in dock.why.text()
    dock.low_only.setChecked(True)
    assert dock.model.rowCount() == 3 and "GOOD" not in rows_by_id(dock)


def figure_edges(label):
    """The district table as the label lays it out: per row, per cell, (left and right x of its first line's text,
    x where its leading figure ends, the cell's lines) — measured on a QTextDocument of the label's rich text and
    font, as the label draws it."""
    import re

    from qgis.PyQt.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setHtml(label.text())
    document.adjustSize()
    table = next(frame for frame in document.rootFrame().childFrames() if frame.inherits("QTextTable"))
    layout = document.documentLayout()
    rows = []
    for row in range(table.rows()):
        cells = []
        for column in range(table.columns()):
            block = table.cellAt(row, column).firstCursorPosition().block()
            lines = [line for line in block.text().split("\u2028")]  # <br> is a line separator in one block
            line = block.layout().lineAt(0)
            x = layout.blockBoundingRect(block).x()
            figure = re.match(r"[\d.,]*", lines[0]).group()
            text = line.naturalTextRect()
            cells.append((x + text.left(), x + text.right(), x + line.cursorToX(len(figure))[0], lines))
        rows.append(cells)
    return rows


def test_the_district_table_names_the_parcels_its_mu_leave_out(chinese, dock):
    """A district's 亩 with a parcel of unknown area names it, "10.0" over "（1宗面积不明）", never a bare sum; a
    district with every area known shows its sum alone. As laid out on screen: the figures of a column end at the
    same x (the note under its figure, not after it — "10.0（1宗面积不明）" beside "5.0" put their places apart), and
    a column's text starts well clear of the figure before it ("2 10.0" read as one run when 4 px apart)."""
    figures = {"parcels": 2, "mu": 10.0, "unknown_mu": 1, "low_eff": {"parcels": 1, "mu": 0.0, "unknown_mu": 1}}
    whole = {"parcels": 1, "mu": 5.0, "unknown_mu": 0, "low_eff": {"parcels": 0, "mu": 0.0, "unknown_mu": 0}}
    grades = {g: {"parcels": 0, "mu": 0.0} for g in ("A", "B", "C", "D", "none")}
    dock.show_summary({"parcels": 3, "mu": 15.0, "per_grade": grades, "low_eff": {"parcels": 1, "mu": 0.0},
                       "potential_wan_m2": 0.0, "low_eff_potential_wan_m2": 0.0,
                       "clusters": {"count": 0, "parcels": 0, "mu": 0.0}, "modes": {},
                       "per_district": {"西湖": figures, "余杭": whole}})
    head, xihu, yuhang = figure_edges(dock.districts)
    assert [cell[3] for cell in head] == [["行政区"], ["地块"], ["亩"], ["低效"], ["低效面积（亩）"]]
    assert [cell[3] for cell in xihu] == [["西湖"], ["2"], ["10.0", "（1宗面积不明）"], ["1"],
                                          ["0.0", "（1宗面积不明）"]]
    assert [cell[3] for cell in yuhang] == [["余杭"], ["1"], ["5.0"], ["0"], ["0.0"]]
    for column in range(1, 5):  # figures right-aligned: each column's figures end at one x
        assert abs(xihu[column][2] - yuhang[column][2]) < 1, column
    em = dock.districts.fontMetrics().horizontalAdvance("亩")
    for row in (xihu, yuhang):
        for column in range(1, 5):  # the gap from the previous cell's text to this one's
            assert row[column][0] - row[column - 1][1] >= em, (row, column)


def test_rerun_replaces_its_layers(dock, small_city, wait_until_idle):
    dock.pick_default_layers()
    dock.run()
    wait_until_idle(dock)
    first = (dock.result_layer_id, dock.cluster_layer_id)
    count = len(QgsProject.instance().mapLayers())
    dock.run()
    wait_until_idle(dock)
    assert len(QgsProject.instance().mapLayers()) == count
    assert all(QgsProject.instance().mapLayer(layer_id) is None for layer_id in first)
    assert dock.model.rowCount() == 4


def test_edited_rules_are_used_and_can_be_saved(dock, small_city, wait_until_idle, tmp_path, monkeypatch):
    from qgis.PyQt.QtWidgets import QFileDialog

    dock.pick_default_layers()
    dock.rules_button.click()
    assert dock.rules_dialog.isVisible()
    from land_bureau_plugin.gui.efficiency_rules_editor import CODE, TARGET_FAR

    editor = dock.editor
    row = next(r for r in range(editor.codes.rowCount()) if editor.codes.item(r, CODE).text() == "0601")
    editor.codes.item(row, TARGET_FAR).setText("3.0")  # target FAR 2.5 → 3.0
    dock.run()
    wait_until_idle(dock)
    case = dock.model.frame.iloc[rows_by_id(dock)["CASE"]]
    assert case["potential_m2"] == pytest.approx(29412 * (3.0 - 0.8), abs=1)

    path = tmp_path / "mine.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(path), ""))
    dock.save_profile_as()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["efficiency"]["target_far"]["0601"] == 3.0
    assert saved["resettlement"]  # the rest of the profile is kept
    assert dock.profile_file.filePath() == str(path)


def test_the_table_holds_the_largest_potentials_and_any_parcel_is_explained(dock, small_city, wait_until_idle,
                                                                             monkeypatch):
    from land_bureau_plugin.gui import efficiency_dock

    monkeypatch.setattr(efficiency_dock, "TABLE_ROWS", 2)
    dock.pick_default_layers()
    dock.run()
    wait_until_idle(dock)
    result = QgsProject.instance().mapLayer(dock.result_layer_id)
    assert result.providerType() == "ogr"  # a city-sized result is a file, not QGIS memory
    assert result.fields().field("far").alias() == "容积率"
    shown = dock.model.frame["potential_m2"].tolist()
    assert len(shown) == 2 and shown == sorted(shown, reverse=True)
    assert shown[0] == max(f["potential_m2"] or 0 for f in result.getFeatures())
    left_out = next(f for f in result.getFeatures() if f.id() not in dock.table.index)
    result.selectByIds([left_out.id()])  # as if picked on the map
    assert f"{left_out['DKBH']}：" in dock.why.text() or f"{left_out['DKBH']}:" in dock.why.text()


def test_a_bad_cell_is_refused_before_running(dock, small_city):
    dock.pick_default_layers()
    from land_bureau_plugin.gui.efficiency_rules_editor import MIN_FAR

    dock.editor.codes.item(0, MIN_FAR).setText("lots")
    assert dock.parameters() is None
    assert not dock.tasks


def test_cancel_leaves_no_result(dock, make_layer, wait_until_idle):
    rows = [parcel(f"P{i}-{j}", rect(i * 50, j * 50, 50, 50), far=0.5) for i in range(60) for j in range(60)]
    parcels = make_layer("Polygon", PARCEL_FIELDS, rows, "地块")
    QgsProject.instance().addMapLayer(parcels)
    dock.parcels_combo.setLayer(parcels)
    count = len(QgsProject.instance().mapLayers())
    dock.run()
    assert dock.cancel_button.isEnabled()
    dock.cancel()
    wait_until_idle(dock)
    assert dock.result_layer_id is None and len(QgsProject.instance().mapLayers()) == count
    assert dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()


def laid_out_lines(html: str, width: int, font) -> list[str]:
    """The lines Qt's rich text breaks `html` into at `width` pixels (word joiners left out)."""
    from qgis.PyQt.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(font)
    document.setHtml(html)
    document.setTextWidth(width)
    document.size()  # lays the text out
    lines, block = [], document.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()].replace("\u2060", ""))
        block = block.next()
    return lines


def test_in_chinese_the_table_leads_with_grade_score_far_potential(chinese, dock, small_city, wait_until_idle):
    from land_bureau_plugin.gui.efficiency_dock import table_headers

    dock.pick_default_layers()
    dock.run()
    wait_until_idle(dock)
    columns = list(dock.model.frame.columns)
    assert columns[:5] == ["parcel_id", "grade", "score", "far", "potential_m2"]
    assert columns == [c for c in table_headers() if c in columns] and list(table_headers())[-1] == "owner"
    headers = [dock.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(columns))]
    assert headers[1] == "亩均等级"  # the efficiency grade, not the resettlement panel's 预警等级
    potential = dock.model.index(rows_by_id(dock)["CASE"], columns.index("potential_m2"))
    assert re.fullmatch(r"\d{2},\d{3}", dock.model.data(potential))  # shown with a separator, sorted as a number
    assert QgsProject.instance().mapLayer(dock.cluster_layer_id).name() == "并宗组团"


def test_summary_chips_keep_to_one_line_with_full_width_colons(chinese, dock, small_city, wait_until_idle):
    dock.pick_default_layers()
    dock.run()
    wait_until_idle(dock)
    text = dock.summary.text()
    chips = [re.sub(r"<[^>]+>", "", c).replace("&nbsp;", " ").replace("\u2060", "").replace("\xa0", " ").strip()
             for c in re.findall(r"<span style='background:[^']*'>.*?</span>", text)]
    assert len(chips) == 5 and chips[0].startswith("A ") and all("：" in c and ":" not in c for c in chips)
    # every chip says what it counts: the parcels without a grade read "无亩均等级：…", not a bare "：1 宗（…）"
    assert chips[4].startswith("无亩均等级：") and not any(c.startswith("：") for c in chips), chips
    widest = max(dock.summary.fontMetrics().horizontalAdvance(c) for c in chips) + 20
    for width in (widest, widest + 50, widest + 130):  # however narrow the panel, no chip is cut in two
        lines = [line.replace("\xa0", " ") for line in laid_out_lines(text, width, dock.summary.font())]
        assert all(any(c in line for line in lines) for c in chips), (width, lines)


def test_the_why_of_a_parcel_without_grade_coverage_or_potential_says_so(chinese, dock, make_layer, wait_until_idle):
    """Without buildings (no coverage), without economic figures (no grade or score) or not industrial (nothing
    computed), the why named each figure with nothing after it: "等级 ，亩均评分 ，建筑系数 %，潜力建筑面积  m²"."""
    parcels = make_layer("Polygon", PARCEL_FIELDS, [
        parcel("NOTAX", rect(0, 0, 100, 100), far="1.2", district="西湖"),
        parcel("ROAD", rect(200, 0, 100, 100), land_use="1003", far="0.5", tax=50, district="西湖"),
    ], "地块")
    QgsProject.instance().addMapLayers([parcels])
    dock.parcels_combo.setLayer(parcels)
    dock.buildings_combo.setLayer(None)
    dock.run()
    wait_until_idle(dock)
    for pid in ("NOTAX", "ROAD"):
        dock.row_clicked(dock.proxy.mapFromSource(dock.model.index(rows_by_id(dock)[pid], 0)))
        facts = dock.why.text().split("<ul>")[0]
        assert facts.startswith(f"地块 {pid}："), facts
        assert "建筑系数 —，" in facts and "亩均评分 —，" in facts and "等级 —，" in facts, facts
        assert not re.search(r"(等级|亩均评分|容积率|建筑系数|潜力建筑面积) *[，%m]", facts), facts
    assert "潜力建筑面积 —，" in facts, facts  # ROAD: not industrial, nothing computed
    dock.row_clicked(dock.proxy.mapFromSource(dock.model.index(rows_by_id(dock)["NOTAX"], 0)))
    # the FAR with its two places, as the table and the reasons below it show it ("容积率 1.20"), not "1.2"
    assert re.search(r"容积率 1\.20，.*潜力建筑面积 [\d,]+ m²", dock.why.text()), dock.why.text()


def test_the_why_text_shows_beside_the_table_with_separators(dock, small_city, wait_until_idle, qgis_app):
    dock.pick_default_layers()
    dock.show()
    dock.resize(520, 1000)
    dock.run()
    wait_until_idle(dock)
    dock.row_clicked(dock.proxy.mapFromSource(dock.model.index(rows_by_id(dock)["CASE"], 0)))
    qgis_app.processEvents()
    assert re.search(r"potential \d{2},\d{3} m²", dock.why.text())
    assert dock.splitter.indexOf(dock.view) == 0 and dock.why.isVisibleTo(dock)
    room = dock.why_scroll.viewport().height()
    assert room >= dock.why.heightForWidth(dock.why_scroll.viewport().width())  # all of it, no scrolling
    dock.hide()


def test_in_chinese_the_rules_say_what_codes_blanks_and_weights_mean(chinese, dock):
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    from land_bureau_plugin.gui.efficiency_rules_editor import CODE, MIN_FAR, NAME, TARGET_FAR

    dock.rules_button.click()
    buttons = [b.text() for b in dock.rules_dialog.findChild(QDialogButtonBox).buttons()]
    assert "关闭" in buttons and not any(re.search("[A-Za-z]", b) for b in buttons)
    codes = dock.editor.codes
    rows = {dock.editor._text(r, CODE): r for r in range(codes.rowCount())}
    assert codes.item(rows["default"], CODE).text() == "默认（其他用地）"
    assert dock.editor.edited_profile()["efficiency"]["min_far"]["default"] == 1.0  # the key behind the words
    assert codes.item(rows["0601"], NAME).text() == "工业用地"
    assert codes.item(rows["100101"], NAME).text() == "一类工业用地"
    assert codes.item(rows["0602"], TARGET_FAR).text() == ""  # blank: what it stands for is shown in grey
    assert dock.editor.fallback_text(rows["0602"], TARGET_FAR) == "2（取自默认）"
    codes.item(rows["0601"], CODE).setText("0602")  # a typed code is named at once
    assert codes.item(rows["0601"], NAME).text() == "采矿用地"
    assert dock.editor.fallback_text(rows["0602"], MIN_FAR) == ""  # has its own value
    total = sum(box.value() for box in dock.editor.weights.values())
    assert f"{total:g}" in dock.editor.weight_total.text() and "100" in dock.editor.weight_total.text()
    dock.editor.weights["rd_ratio"].setValue(dock.editor.weights["rd_ratio"].value() + 10)
    assert f"{total + 10:g}" in dock.editor.weight_total.text()


def test_the_table_rows_of_a_layer_that_is_no_geopackage(plugin, make_layer):
    from qgis.core import NULL

    from land_bureau_plugin.gui.potential_order import gpkg_ids, table_request

    layer = make_layer("Polygon", [("potential_m2", "double"), ("low_eff", "int")],
                       [{"wkt": rect(0, 0, 10, 10), "potential_m2": value, "low_eff": low}
                        for value, low in ((5.0, 1), (None, 1), (9.0, 1), (20.0, 0))])
    assert gpkg_ids(layer, "", 10) is None
    assert [f["potential_m2"] for f in layer.getFeatures(table_request(layer, True, 10))] == [9.0, 5.0, NULL]


def test_the_table_rows_of_a_geopackage_table_with_a_quote_in_its_name(plugin, make_layer, tmp_path):
    from qgis.core import QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from land_bureau_plugin.gui.potential_order import gpkg_ids

    layer = make_layer("Polygon", [("potential_m2", "double"), ("low_eff", "int")],
                       [{"wkt": rect(0, 0, 10, 10), "potential_m2": value, "low_eff": 1} for value in (5.0, None, 9.0)])
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = 'parcels "2026"'
    path = str(tmp_path / "quoted.gpkg")
    written = QgsVectorFileWriter.writeAsVectorFormatV3(layer, path, QgsProject.instance().transformContext(),
                                                     options)
    assert written[0] == QgsVectorFileWriter.WriterError.NoError
    saved = QgsVectorLayer(f"{path}|layername={options.layerName}", "saved", "ogr")
    ids = gpkg_ids(saved, "", 10)
    assert [saved.getFeature(fid)["potential_m2"] for fid in ids][:2] == [9.0, 5.0]


@pytest.mark.parametrize("low_only", [False, True])
@pytest.mark.parametrize("limit", [3, 4, 10, 16, 20, 35, 40])
def test_the_three_ways_to_the_table_rows_agree_on_ties_and_unknown_potentials(plugin, make_layer, tmp_path,
                                                                                low_only, limit):
    """The table's rows of a result layer — by SQL on a GeoPackage, by QGIS's order-by on any layer, in pandas from
    live mode's results — and their order in the table follow one rule: the potential descending, an unknown one
    last (as -1), equal potentials by the result layer's feature id. Cut inside the 9s (3), just after them (4),
    inside the 5s (10), just after them (16), inside the 0s (20), inside the unknowns (35) and past the end (40),
    the three list the same parcels in the same order. Live mode holds its results in the parcels' order (a drawn
    parcel first), not in its layer's: ties went by that order there, by SQLite's scan and by QGIS's unstable sort
    in the other two."""
    from types import SimpleNamespace

    import pandas as pd
    from qgis.core import NULL, QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock
    from land_bureau_plugin.gui.live_efficiency import LiveEfficiency
    from land_bureau_plugin.gui.potential_order import LOW_ONLY, gpkg_ids, ordered_request, table_request

    values = [5.0, 0.0, None, 5.0, 0.0, 9.0, None, 0.0, 5.0, 0.0] * 4
    lows = [1 if i % 3 else 0 for i in range(len(values))]
    memory = make_layer("Polygon", [("potential_m2", "double"), ("low_eff", "int")],
                        [{"wkt": rect(i, 0, 1, 1), "potential_m2": value, "low_eff": low}
                         for i, (value, low) in enumerate(zip(values, lows))])
    path = str(tmp_path / "result.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "result"
    assert QgsVectorFileWriter.writeAsVectorFormatV3(memory, path, QgsProject.instance().transformContext(),
                                                     options)[0] == QgsVectorFileWriter.WriterError.NoError
    layer = QgsVectorLayer(f"{path}|layername=result", "result", "ogr")
    potential = {f.id(): None if f["potential_m2"] == NULL else f["potential_m2"] for f in layer.getFeatures()}
    low = {f.id(): f["low_eff"] for f in layer.getFeatures()}
    assert sorted(potential) == list(range(1, 41))
    listed = [fid for fid in potential if low[fid] == 1 or not low_only]
    expected = sorted(listed, key=lambda fid: (-(potential[fid] if potential[fid] is not None else -1), fid))[:limit]

    where = LOW_ONLY if low_only else ""
    assert gpkg_ids(layer, where, limit) == expected
    assert [f.id() for f in layer.getFeatures(ordered_request(where, limit))] == expected
    assert sorted(table_request(layer, low_only, limit).filterFids()) == sorted(expected)
    # live mode: results by parcel id in the parcels' order, its result layer's features by feature_of
    order = sorted(potential, reverse=True)  # the parcels' order: the result layer's last feature first
    result = pd.DataFrame({"potential_m2": [potential[fid] for fid in order], "low_eff": [low[fid] for fid in order]},
                          index=[1000 - fid for fid in order])
    live = SimpleNamespace(live=SimpleNamespace(result=result), feature_of={1000 - fid: fid for fid in order})
    assert sorted(LiveEfficiency.largest_potentials(live, low_only, limit).filterFids()) == sorted(expected)
    # the table: the rows read (in any order) listed by the rule
    read = pd.DataFrame({"potential_m2": [potential[fid] for fid in expected[::-1]]}, index=expected[::-1])
    assert list(EfficiencyDock.table_rows(read).index) == expected


def test_the_land_use_choice_reaches_the_algorithm(dock, small_city, wait_until_idle):
    dock.pick_default_layers()
    params = dock.parameters()
    assert (params["LAND_USE_SYSTEM"], params["ALL_INDUSTRIAL"]) == ("gbt21010", False)
    dock.land_use_system.setCurrentIndex(dock.land_use_system.findData("all_industrial"))
    params = dock.parameters()
    assert (params["LAND_USE_SYSTEM"], params["ALL_INDUSTRIAL"]) == ("auto", True)
    dock.run()
    wait_until_idle(dock)
    assert "All features taken as industrial land (ALL_INDUSTRIAL)" in dock.summary.text()


def test_each_threshold_shows_its_source_and_an_edited_one_becomes_local(dock):
    """依据哪条规定: the coverage box names 《工业项目建设用地控制指标》; once a planner changes it, the profile saved
    from the panel no longer claims that document for it."""
    editor = dock.editor
    assert "《工业项目建设用地控制指标》第四条（三）（2008）" in editor.min_coverage.toolTip()
    assert "《浙江省工业等项目建设用地控制指标（2014）》" in editor.codes.toolTip()
    assert "《闲置土地处置办法》第二条（2012）" in editor.sources.text()
    unchanged = editor.edited_profile()["efficiency"]["sources"]
    assert unchanged["coverage_low"]["document"] == "工业项目建设用地控制指标"
    editor.min_coverage.setValue(25)
    sources = editor.edited_profile()["efficiency"]["sources"]
    assert sources["coverage_low"] == {"document": "local default", "note": "在面板中修改的取值"}
    assert sources["far_low"] == unchanged["far_low"] and sources["idle"] == unchanged["idle"]


def test_values_finer_than_their_boxes_are_kept_until_edited(dock):
    """A profile's coverage of 30.5 % and gap of 0.0004 m showed as 31 % and 0.000 m in boxes of whole percent and
    three decimals, and came back as such: saved and used though nobody touched them, their sources called
    edited. Now the loaded values stay until a box is changed."""
    profile = copy.deepcopy(dock.editor.profile)
    profile["efficiency"].update(min_coverage=0.305, cluster_edge_tolerance_m=0.0004, storey_height_m=4.555,
                                 weights={**profile["efficiency"]["weights"], "tax_per_mu": 45.25})
    dock.editor.load(profile)
    edited = dock.editor.edited_profile()["efficiency"]
    assert (edited["min_coverage"], edited["cluster_edge_tolerance_m"], edited["storey_height_m"],
            edited["weights"]["tax_per_mu"]) == (0.305, 0.0004, 4.555, 45.25)
    assert edited["sources"] == profile["efficiency"]["sources"]
    dock.editor.edge_tolerance.setValue(0.002)
    dock.editor.min_coverage.setValue(32)
    edited = dock.editor.edited_profile()["efficiency"]
    assert (edited["cluster_edge_tolerance_m"], edited["min_coverage"]) == (0.002, 0.32)


@pytest.mark.parametrize("gap_box, clusters", [(0.005, [1, 1]), (0.003, [0, 0])])
def test_the_gap_box_decides_whether_parcels_4_mm_apart_are_one_cluster(dock, make_layer, wait_until_idle,
                                                                         gap_box, clusters):
    """The rules' "gap still counted as a shared edge" (efficiency.cluster_edge_tolerance_m) reaches the run: two
    low-efficiency parcels 4 mm apart (a CAD export's gap) are one merge cluster within 5 mm, two within 3 mm."""
    parcels = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), far=0.5, tax=1),
                                                    parcel("B", rect(100.004, 0, 100, 100), far=0.5, tax=1)], "地块")
    QgsProject.instance().addMapLayer(parcels)
    dock.parcels_combo.setLayer(parcels)
    dock.editor.edge_tolerance.setValue(gap_box)
    dock.run()
    wait_until_idle(dock)
    result = QgsProject.instance().mapLayer(dock.result_layer_id)
    assert [f["low_eff"] for f in result.getFeatures()] == [1, 1]
    assert sorted(f["cluster_id"] for f in result.getFeatures()) == clusters  # 0: in no cluster
    dock.editor.load(dock.editor.profile)


def test_in_chinese_the_rules_window_opens_showing_its_content_on_a_laptop_screen(chinese, dock, qgis_app):
    """The rules opened at 460×640 where their content needs ~811 px in height: the spin boxes were squeezed to
    13 px and 权重合计 and 依据 cut. On a 1366×768 screen the window opens within the screen, every box at its full
    height and every text whole — what does not fit scrolls."""
    from qgis.PyQt.QtCore import QRect
    from qgis.PyQt.QtWidgets import QAbstractSpinBox, QScrollArea

    editor = dock.editor
    for screen in (QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040)):  # 768 / 1080 less the taskbar
        dock.fit_rules_dialog(screen)
        dock.rules_dialog.show()
        qgis_app.processEvents()
        frame = dock.rules_dialog.frameGeometry()
        assert frame.width() <= screen.width() and frame.height() <= screen.height() - 20, (frame, screen)
        for box in editor.findChildren(QAbstractSpinBox):
            assert box.height() >= box.sizeHint().height(), box.height()
        for label in (editor.weight_total, editor.sources):
            assert label.height() >= label.heightForWidth(label.width()), label.text()
        scroll = dock.rules_dialog.findChild(QScrollArea)
        hidden = editor.height() - scroll.viewport().height()
        assert hidden <= 0 or scroll.verticalScrollBar().maximum() >= hidden  # what does not fit scrolls
        assert editor.width() <= scroll.viewport().width()  # never sideways
        dock.rules_dialog.hide()
    assert hidden <= 0  # on 1920×1080 all of it at once


def test_in_chinese_each_source_is_named_in_words_on_a_line_of_its_own(chinese, dock):
    """依据 showed "classes —" and "exemptions —": every rule with a source is named in Chinese, no rule id shows."""
    from land_bureau_plugin.analysis.efficiency_rules import SOURCE_IDS

    lines = dock.editor.sources.text().splitlines()
    assert lines[0] == "依据：" and len(lines) == 1 + len(SOURCE_IDS)
    assert not [line for line in lines if re.search(r"[A-Za-z_]{3,}", line.split("—")[0])], lines
    assert any(line.startswith("• 企业分类") and "2000 万元" in line for line in lines), lines
    assert any(line.startswith("• 不定等级") and "在建项目" in line for line in lines), lines
