"""The land-use code system through Processing (issue 11, items 2 and 3): a 三调 layer's homes, roads and rivers are
never judged, ambiguous codes stop the run naming layer and field, LAND_USE_SYSTEM settles them, a missing
land-use field stops low efficiency unless ALL_INDUSTRIAL, and the system is named in the log and the summary."""
import json

import processing
import pytest
from qgis.core import QgsProcessingException
from test_efficiency_algorithm import PARCEL_FIELDS, Recorder, parcel, rect
from test_upstairs_algorithm import by_id as plans_by_id
from test_upstairs_algorithm import failed
from upstairs_data import FIELDS as PLAN_FIELDS
from upstairs_data import SIZE, plan, polygon_layer, square


def low_efficiency(parcels, feedback=None, **extra):
    params = {"PARCELS": parcels, "OUTPUT": "memory:", **extra}
    return processing.run("landbureau:lowefficiency", params, feedback=feedback or Recorder())


def flagged(result) -> dict:
    return {f["DKBH"]: f["low_eff"] for f in result["OUTPUT"].getFeatures()}


def survey_city(make_layer):
    """A 三调 (GB/T 21010) layer: industry and storage next to homes, a railway, a port, a bus depot and a river,
    every one at FAR 0.2 — only 0601 and 0604 may be flagged."""
    codes = {"工厂": "0601", "仓库": "0604", "住宅": "0701", "铁路": "1001", "港口": "1008", "场站": "1005",
             "河流": "1101", "学校": "0803"}
    rows = [parcel(name, rect(200 * i, 0, 100, 100), land_use=code, far="0.2")
            for i, (name, code) in enumerate(codes.items())]
    return make_layer("Polygon", PARCEL_FIELDS, rows, "三调地块")


def test_a_survey_layer_flags_only_its_industrial_and_warehouse_parcels(plugin, make_layer):
    feedback = Recorder()
    result = low_efficiency(survey_city(make_layer), feedback)
    assert flagged(result) == {"工厂": 1, "仓库": 1, "住宅": 0, "铁路": 0, "港口": 0, "场站": 0, "河流": 0, "学校": 0}
    summary = json.loads(result["SUMMARY"])
    assert summary["land_use"]["system"] == "gbt21010" and not summary["land_use"]["given"]
    assert summary["land_use"]["note"] == "Land-use codes: GB/T 21010-2017 current land use (third national survey)"
    assert "Layer 三调地块, field YDXZ: land-use codes read as GB/T 21010-2017" in feedback.text
    assert "detected from the values" in feedback.text


def test_in_chinese_the_log_names_the_code_systems_as_the_choice_combo_does(chinese, plugin, make_layer):
    """The acceptance run's log read "gbt21010 0%, guide2023 100%, gb50137 0%": the keys are no words of the UI."""
    from land_bureau_plugin.gui.land_use_choice import short_labels

    feedback = Recorder()
    low_efficiency(survey_city(make_layer), feedback)
    words = short_labels()
    line = next(line for line in feedback.text.splitlines() if "三调地块" in line and "100%" in line)
    for key in ("gbt21010", "guide2023", "gb50137"):
        assert key not in line
        assert f"{words[key]} " in line, (words[key], line)
    assert words["gbt21010"] == "三调 GB/T 21010"


def test_ambiguous_codes_stop_the_run_and_the_parameter_settles_them(plugin, make_layer):
    layer = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), land_use="1001", far="0.2")],
                       "规划地块")
    with pytest.raises(QgsProcessingException, match="Layer 规划地块, field YDXZ: .*LAND_USE_SYSTEM"):
        low_efficiency(layer)
    assert flagged(low_efficiency(layer, LAND_USE_SYSTEM="guide2023")) == {"A": 1}
    railway = low_efficiency(layer, LAND_USE_SYSTEM="gbt21010")
    assert flagged(railway) == {"A": 0} and json.loads(railway["SUMMARY"])["land_use"]["given"]


def test_without_a_land_use_field_low_efficiency_stops_unless_all_industrial(plugin, make_layer):
    layer = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), far="0.2"),
                                                  parcel("B", rect(200, 0, 100, 100), far="1.5")], "地块")
    no_land_use = json.dumps({"parcel_id": "DKBH", "far": "RJL"})
    with pytest.raises(QgsProcessingException, match=r"用地性质 / land_use.*ALL_INDUSTRIAL=true"):
        low_efficiency(layer, PARCEL_FIELD_MAP=no_land_use)
    feedback = Recorder()
    result = low_efficiency(layer, feedback, PARCEL_FIELD_MAP=no_land_use, ALL_INDUSTRIAL=True)
    assert flagged(result) == {"A": 1, "B": 0}
    summary = json.loads(result["SUMMARY"])
    assert summary["land_use"]["all_industrial"] and summary["land_use"]["system"] is None
    assert summary["land_use"]["note"] == "All features taken as industrial land (ALL_INDUSTRIAL)"
    assert "every feature is taken as industrial land (ALL_INDUSTRIAL)" in feedback.text


def test_an_empty_land_use_field_stops_low_efficiency_naming_it(plugin, make_layer):
    layer = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), land_use=None, far="0.2")],
                       "地块")
    with pytest.raises(QgsProcessingException, match="Layer 地块, field YDXZ: The land-use field .* is empty in every"):
        low_efficiency(layer)


def upstairs_on(make_layer, plans_codes, landuse_codes=None, **extra):
    rows = [plan(f"P{i}", square(i), 用地性质=code) for i, code in enumerate(plans_codes)]
    params = {"INPUT": make_layer("MultiPolygon", PLAN_FIELDS, rows, "方案"), "OUTPUT": "memory:",
              "VIOLATIONS": "memory:", **extra}
    if landuse_codes is not None:
        shapes = [square(i, -10, SIZE + 20) for i in range(len(landuse_codes))]  # one polygon under each plan
        params["LANDUSE"] = polygon_layer(make_layer, shapes, "用地现状", codes=landuse_codes)
    return processing.run("landbureau:upstairscheck", params, feedback=Recorder())


def industrial_land_failed(result) -> dict:
    return {pid: "industrial_land" in failed(f) for pid, f in plans_by_id(result["OUTPUT"]).items()}


def test_upstairs_reads_a_survey_land_use_layer_in_its_own_system(plugin, make_layer):
    result = upstairs_on(make_layer, ["100101"] * 4, ["0601", "1001", "1008", "0604"])
    assert industrial_land_failed(result) == {"P0": False, "P1": True, "P2": True, "P3": False}
    land_use = json.loads(result["SUMMARY"])["land_use"]
    assert (land_use["system"], land_use["source"]) == ("gbt21010", "landuse")
    assert land_use["note"] in json.loads(result["SUMMARY"])["text"]


def test_upstairs_ambiguous_codes_stop_and_the_parameter_settles_them(plugin, make_layer):
    with pytest.raises(QgsProcessingException, match="Layer 方案, field 用地性质: .*LAND_USE_SYSTEM"):
        upstairs_on(make_layer, ["1001", "1001"])
    assert industrial_land_failed(upstairs_on(make_layer, ["1001", "1001"], LAND_USE_SYSTEM="guide2023")) == {
        "P0": False, "P1": False}
    assert industrial_land_failed(upstairs_on(make_layer, ["1001", "1001"], LAND_USE_SYSTEM="gbt21010")) == {
        "P0": True, "P1": True}


def test_upstairs_without_any_land_use_leaves_the_rule_unchecked_never_passed(plugin, make_layer):
    result = upstairs_on(make_layer, [None, None])
    for feature in result["OUTPUT"].getFeatures():
        assert "industrial_land" in feature["unchecked_rules"] and "industrial_land" not in failed(feature)


def test_values_the_system_does_not_know_are_counted_in_the_log(plugin, make_layer):
    """Old planning names mixed into a layer read in GB 50137 (仓储用地 is GBJ 137-90's name; 2011 says 物流仓储用地):
    that warehouse parcel is not judged — its reasons say so, and the log counts such values instead of leaving
    the user to work it out from "gb50137 75%"."""
    names = {"A": "二类工业用地", "B": "物流仓储用地", "C": "仓储用地", "D": "二类居住用地"}
    rows = [parcel(pid, rect(200 * i, 0, 100, 100), land_use=name, far="0.2")
            for i, (pid, name) in enumerate(names.items())]
    feedback = Recorder()
    result = low_efficiency(make_layer("Polygon", PARCEL_FIELDS, rows, "规划地块"), feedback, LAND_USE_SYSTEM="gb50137")
    assert flagged(result) == {"A": 1, "B": 1, "C": 0, "D": 0}
    assert ("Layer 规划地块, field YDXZ: 25% of the values are no code or name of GB 50137-2011 urban land "
            "classification: their land use is unknown (named in each feature's reasons)") in feedback.text
    feedback = Recorder()
    low_efficiency(survey_city(make_layer), feedback)  # every value known: no such line
    assert "no code or name" not in feedback.text


# --- LAND_USE_SYSTEM: the help, the accepted values and the refusal agree ------------------------------------------

SYSTEMS = ("auto", "gbt21010", "guide2023", "gb50137")


@pytest.mark.parametrize("algorithm", ["landbureau:lowefficiency", "landbureau:upstairscheck"])
def test_the_help_of_land_use_system_names_every_accepted_value(plugin, algorithm):
    from qgis.core import QgsApplication

    parameter = QgsApplication.processingRegistry().algorithmById(algorithm).parameterDefinition("LAND_USE_SYSTEM")
    assert parameter.type() == "string"  # an enum's generated help said "e.g. '1'" and refused 1
    help_text = parameter.description()
    assert all(name in help_text for name in SYSTEMS) and "0, 1, 2, 3" in help_text


@pytest.mark.parametrize("value, railway", [("gbt21010", 0), (1, 0), ("1", 0), (" GBT21010 ", 0),
                                            ("guide2023", 1), (2, 1), ("2", 1)])
def test_land_use_system_takes_its_name_or_its_number_in_low_efficiency(plugin, make_layer, value, railway):
    """1001 is a railway in GB/T 21010 (1) and industrial land in the 2023 guide (2): each form of the value reads
    the code in the system it names."""
    layer = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), land_use="1001", far="0.2")],
                       "规划地块")
    assert flagged(low_efficiency(layer, LAND_USE_SYSTEM=value)) == {"A": railway}


@pytest.mark.parametrize("value", ["0", 0, "auto", ""])
def test_land_use_system_0_or_auto_detects_and_never_guesses(plugin, make_layer, value):
    layer = make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100), land_use="1001", far="0.2")],
                       "规划地块")
    with pytest.raises(QgsProcessingException, match="Layer 规划地块, field YDXZ: .*LAND_USE_SYSTEM"):
        low_efficiency(layer, LAND_USE_SYSTEM=value)


@pytest.mark.parametrize("value", ["4", 4, "-1", "gbt", "三调", "1,3"])
@pytest.mark.parametrize("algorithm", ["landbureau:lowefficiency", "landbureau:upstairscheck"])
def test_an_unknown_land_use_system_is_refused_with_the_valid_values(plugin, make_layer, value, algorithm):
    if algorithm == "landbureau:lowefficiency":
        params = {"PARCELS": make_layer("Polygon", PARCEL_FIELDS, [parcel("A", rect(0, 0, 100, 100),
                                                                          land_use="0601", far="0.2")], "地块")}
    else:
        params = {"INPUT": make_layer("MultiPolygon", PLAN_FIELDS, [plan("P", square(0))], "工业上楼方案")}
    with pytest.raises(QgsProcessingException) as error:
        processing.run(algorithm, {**params, "OUTPUT": "memory:", "LAND_USE_SYSTEM": value}, feedback=Recorder())
    assert f"LAND_USE_SYSTEM '{value}' is not a land-use code system; valid values: auto, gbt21010, guide2023, " \
           "gb50137 (or 0, 1, 2, 3 in this order)" in str(error.value)


@pytest.mark.parametrize("value, fails", [("1", True), (1, True), ("gbt21010", True), ("2", False),
                                          ("guide2023", False)])
def test_land_use_system_takes_its_name_or_its_number_in_the_upstairs_check(plugin, make_layer, value, fails):
    layer = make_layer("MultiPolygon", PLAN_FIELDS, [plan("P", square(0), 用地性质="1001")], "工业上楼方案")
    result = processing.run("landbureau:upstairscheck", {"INPUT": layer, "OUTPUT": "memory:",
                                                         "LAND_USE_SYSTEM": value}, feedback=Recorder())
    assert ("industrial_land" in failed(plans_by_id(result["OUTPUT"])["P"])) == fails


@pytest.mark.parametrize("dock_name", ["EfficiencyDock", "UpstairsDock"])
def test_in_chinese_the_code_system_choice_reads_whole_beside_or_under_its_layer(chinese, plugin, qgis_app, dock_name):
    """1001 is ambiguous until a system is chosen; the choice sat beside the layer in a third of the row and read
    "用地分类：自动i" (a panel 290 px wide). In a panel 300 px wide it is under its layer and each entry is shown
    whole; in a panel 600 px wide it is beside its layer, whole (the panel spends no height on it). The entry names
    the system the 1001 message asks for; its full name is the entry's tooltip."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QStyle, QStyleOptionComboBox

    from land_bureau_plugin.processing.land_use import system_label

    dock = next(d for d in plugin.docks if type(d).__name__ == dock_name)
    combo = dock.land_use_system
    layer_combo = dock.parcels_combo if dock_name == "EfficiencyDock" else dock.landuse_combo
    for width, beside in ((300, False), (600, True)):
        dock.resize(width, 900)
        dock.show()
        for _ in range(3):  # the row settles: its height follows the width
            qgis_app.processEvents()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)  # the rect the style draws the chosen entry's text in, at the combo's size
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        for index in range(combo.count()):
            text = combo.itemText(index)
            assert field.width() >= combo.fontMetrics().horizontalAdvance(text), (width, text, field.width())
        assert dock.width() <= width  # the panel need not grow for it
        assert (combo.mapTo(dock, combo.rect().topLeft()).y() == layer_combo.mapTo(dock, combo.rect().topLeft()).y()
                ) is beside, width
        assert combo.isVisible() and layer_combo.width() >= (140 if beside else combo.width())
        for box in (combo, layer_combo):  # each at its full height, one under the other when not beside
            assert box.height() >= box.sizeHint().height(), (width, box.height(), box.sizeHint().height())
        if not beside:
            assert combo.mapTo(dock, combo.rect().topLeft()).y() >= layer_combo.mapTo(
                dock, layer_combo.rect().bottomLeft()).y(), width
    guide = combo.findData("guide2023")
    assert combo.itemText(guide) == "用地用海 2023" and combo.itemText(0) == "自动识别用地分类"
    assert combo.itemData(guide, Qt.ItemDataRole.ToolTipRole) == system_label("guide2023")
    dock.hide()
