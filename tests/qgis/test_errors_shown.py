"""The one error path: a panel shows any error in the message bar at its level (PanelDock.show_error), translated;
an unexpected exception inside reading names the layer and the feature or field (errors.note_where), never a
traceback."""
import processing
import pytest
from qgis.core import Qgis, QgsProcessingException
from resettlement_data import FIELDS, project


@pytest.fixture()
def bar(qgis_iface, monkeypatch):
    messages = []
    monkeypatch.setattr(qgis_iface.messageBar(), "pushMessage",
                        lambda title, text, level=None, duration=None: messages.append((text, level)))
    return messages


@pytest.fixture()
def dock(plugin):
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    return next(d for d in plugin.docks if isinstance(d, EfficiencyDock))


def test_a_bad_profile_in_the_panel_is_one_warning_naming_key_and_reason(plugin, dock, bar, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"efficiency": {"min_coverage": NaN}}', encoding="utf-8")
    dock.load_profile(str(path))
    assert bar == [(f"Rule profile error: {path}: efficiency.min_coverage: must be a finite number, not nan",
                    Qgis.MessageLevel.Warning)]


def test_a_misspelt_section_in_the_panel_says_what_it_resembles(plugin, dock, bar, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"effciency": {"min_coverage": 0.2}}', encoding="utf-8")
    dock.load_profile(str(path))
    assert len(bar) == 1 and "effciency (did you mean efficiency?)" in bar[0][0]


def test_show_error_turns_any_exception_into_a_critical_line_without_traceback(plugin, dock, bar):
    from land_bureau_plugin.errors import InputError, note_where

    dock.show_error(note_where(ZeroDivisionError("division by zero"), layer="地块", feature_id=7))
    dock.show_error(InputError("only a note", level="info"))
    assert bar == [("Layer 地块, feature id 7: Unexpected error (ZeroDivisionError): division by zero. Please report "
                    "it with the input that caused it", Qgis.MessageLevel.Critical),
                   ("only a note", Qgis.MessageLevel.Info)]


def test_the_panel_error_is_in_chinese_when_qgis_is(chinese, plugin, bar):
    from land_bureau_plugin.errors import ProfileError, did_you_mean
    from land_bureau_plugin.gui.efficiency_dock import EfficiencyDock

    dock = next(d for d in plugin.docks if isinstance(d, EfficiencyDock))
    dock.show_error(ProfileError("x", key="efficiency.min_coverage"))
    assert bar[0][0] == "规则配置错误：efficiency.min_coverage：x"
    assert did_you_mean("effciency", ["efficiency"]) == "（是否应为 efficiency？）"


def test_an_unexpected_failure_reading_a_feature_names_layer_and_feature(plugin, make_layer, monkeypatch):
    from land_bureau_plugin.qgis_bridge import layers

    projects = make_layer("Point", FIELDS, [project("A", "2025-01-01"), project("B", "2025-01-01", x=50)], "征迁项目")
    second = sorted(f.id() for f in projects.getFeatures())[1]
    original = layers._Geometries.add

    def add(self, geometry):  # a reader bug that shows on the second feature only
        if len(self.wkbs) == 1:
            raise ValueError("bad coordinates")
        original(self, geometry)

    monkeypatch.setattr(layers._Geometries, "add", add)
    with pytest.raises(QgsProcessingException) as error:
        processing.run("landbureau:resettlementdeadlines", {"INPUT": projects, "AS_OF": "2025-07-01",
                                                             "OUTPUT": "memory:"})
    assert str(error.value) == (f"Layer 征迁项目, feature id {second}: Unexpected error (ValueError): bad coordinates. "
                                "Please report it with the input that caused it")


def test_an_unexpected_failure_converting_a_column_names_layer_and_field(plugin, make_layer, monkeypatch):
    from land_bureau_plugin.qgis_bridge import layers

    projects = make_layer("Point", FIELDS, [project("A", "2025-01-01")], "征迁项目")
    original = layers._column

    def column(values, as_float):
        if "2025-01-01" in values:
            raise TypeError("cannot convert")
        return original(values, as_float)

    monkeypatch.setattr(layers, "_column", column)
    expected = r"^Layer 征迁项目, field 征迁日期: Unexpected error \(TypeError\)"
    with pytest.raises(QgsProcessingException, match=expected):
        processing.run("landbureau:resettlementdeadlines", {"INPUT": projects, "AS_OF": "2025-07-01",
                                                             "OUTPUT": "memory:"})
