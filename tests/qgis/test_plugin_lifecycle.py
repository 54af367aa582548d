"""Load the plugin the way QGIS does (classFactory → initGui → unload), twice, and in Chinese."""
import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QEvent
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QToolBar


def plugin_widgets(main_window):
    docks = [d for d in QApplication.allWidgets() if isinstance(d, QDockWidget)
             and d.objectName().startswith("landBureau")]
    menus = [m for m in main_window.menuBar().actions() if m.menu() and m.menu().objectName() == "landBureauMenu"]
    bars = [t for t in main_window.findChildren(QToolBar) if t.objectName() == "landBureauToolbar"]
    return docks, menus, bars


def load(qgis_iface):
    import land_bureau_plugin

    plugin = land_bureau_plugin.classFactory(qgis_iface)
    plugin.initGui()
    return plugin


def test_load_unload_load_leaves_nothing_behind(qgis_iface, qgis_app):
    registry = QgsApplication.processingRegistry()
    for _ in range(2):
        plugin = load(qgis_iface)
        assert registry.providerById("landbureau") is not None
        assert registry.algorithmById("landbureau:resettlementdeadlines") is not None
        docks, menus, bars = plugin_widgets(qgis_iface.mainWindow())
        assert len(docks) == len(plugin.docks) >= 2 and len(menus) == 1 and len(bars) == 1
        plugin.unload()
        qgis_app.processEvents()
        QgsApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run deleteLater
        assert registry.providerById("landbureau") is None
        docks, menus, bars = plugin_widgets(qgis_iface.mainWindow())
        assert docks == [] and menus == [] and bars == []


@pytest.mark.parametrize("locale", ["zh-Hans", "zh_CN", "zh"])
def test_chinese_locale_gives_chinese_menu(qgis_iface, qgis_app, locale):
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", locale)
    try:
        plugin = load(qgis_iface)
        menu_titles = [a.text() for a in qgis_iface.mainWindow().menuBar().actions()]
        assert "规划资源" in menu_titles
        assert {d.windowTitle() for d in plugin.docks} >= {"数据加载", "征迁安置监管"}
        plugin.unload()
    finally:
        settings.setValue("locale/userLocale", previous)
        from land_bureau_plugin.i18n import remove_translator
        remove_translator()


def test_english_locale_falls_back_to_english(qgis_iface, qgis_app):
    settings = QgsSettings()
    settings.setValue("locale/userLocale", "en_US")
    plugin = load(qgis_iface)
    assert "Land Bureau" in [a.text() for a in qgis_iface.mainWindow().menuBar().actions()]
    plugin.unload()


def test_missing_dependency_shows_one_message(qgis_iface, qgis_app, monkeypatch):
    import land_bureau_plugin

    monkeypatch.setattr(land_bureau_plugin, "missing_dependencies", lambda: ["shapely ≥ 2.0 (1.8.5)"])
    messages = []
    monkeypatch.setattr(qgis_iface.messageBar(), "pushMessage", lambda *args, **kw: messages.append(args))
    plugin = land_bureau_plugin.classFactory(qgis_iface)
    plugin.initGui()
    assert len(messages) == 1 and "shapely" in messages[0][1]
    assert QgsApplication.processingRegistry().providerById("landbureau") is None
    plugin.unload()


def test_a_panel_opened_from_the_menu_joins_the_open_one_as_a_tab(qgis_iface, qgis_app, monkeypatch):
    # pytest-qgis's iface drops docks; QGIS puts them into the main window
    window = qgis_iface.mainWindow()
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock))
    plugin = load(qgis_iface)
    try:
        window = qgis_iface.mainWindow()
        window.show()
        first, second = plugin.docks[0], plugin.docks[1]
        assert first.isVisible() and not second.isVisible()
        second.toggleViewAction().trigger()
        qgis_app.processEvents()
        assert second.isVisible()
        assert second in window.tabifiedDockWidgets(first)
    finally:
        plugin.unload()
        QgsApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_in_chinese_the_log_messages_tab_is_the_plugins_chinese_name(chinese, plugin):
    """The acceptance run's Chinese desktop showed an English "Land Bureau" tab among the log messages: the tab is
    named as the menu and the Processing provider are (规划资源), one tab with the missing-dependency message's."""
    from qgis.core import QgsApplication

    from land_bureau_plugin.gui.common import log

    tags = []

    def received(_message, tag, _level):
        tags.append(tag)

    QgsApplication.messageLog().messageReceived.connect(received)
    try:
        log("测试")
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(received)
    assert tags == ["规划资源"]
    assert plugin.menu.title() == "规划资源"
