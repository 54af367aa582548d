"""The texts the vocabulary carries in both languages (a layer's field with its meaning, role and field labels)
follow the translation in use — the one every tr() text follows — not the locale setting: a headless run that
installs the zh_CN translator with the setting left English says 'RJL（容积率）', and the setting saying Chinese with
no translator installed says 'RJL (floor area ratio)'."""
import pytest
from qgis.core import QgsSettings

from land_bureau_plugin.i18n import install_translator, is_chinese, remove_translator, tr
from land_bureau_plugin.qgis_bridge.fieldmaps import field_label, layer_field_label, role_label


@pytest.fixture()
def setting(qgis_app):
    """Sets QGIS's locale setting; puts it back and removes our translator after the test."""
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")

    def set_to(value):
        settings.setValue("locale/userLocale", value)

    yield set_to
    settings.setValue("locale/userLocale", previous)
    remove_translator()


def test_the_chinese_translation_installed_with_the_setting_english_speaks_chinese(setting):
    setting("en_US")
    assert install_translator("zh_CN")
    assert tr("Rule") == "规则"  # the translation is in use
    assert is_chinese()
    assert layer_field_label({"far": "RJL"}, "far") == "RJL（容积率）"
    assert field_label("far") == "容积率 (far)"
    assert role_label("upstairs_plans") == "工业上楼方案"


def test_the_setting_chinese_without_the_translation_speaks_english(setting):
    setting("zh-Hans")
    remove_translator()
    assert tr("Rule") == "Rule"
    assert not is_chinese()
    assert layer_field_label({"far": "RJL"}, "far") == "RJL (floor area ratio)"
    assert field_label("far") == "floor area ratio (far)"


def test_both_agree_in_each_language(setting):
    for locale, chinese in (("zh-Hans", True), ("en_US", False)):
        setting(locale)
        install_translator()  # as the plugin does when it loads: for QGIS's locale
        assert is_chinese() is chinese
        assert layer_field_label({"far": "容积率"}, "far") == "容积率"  # the name says it: no meaning added
        assert layer_field_label({"far": "RJL"}, "far") == ("RJL（容积率）" if chinese else "RJL (floor area ratio)")
