import pytest


def test_load_unload(qgis_iface, qgis_app):
    import land_bureau_plugin
    from qgis.core import QgsApplication
    plugin = land_bureau_plugin.classFactory(qgis_iface)
    plugin.initGui()
    assert QgsApplication.processingRegistry().providerById("landbureau") is not None
    plugin.unload()
