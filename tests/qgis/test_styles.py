"""Bundled styles (qgis_bridge/styles.py): loading one keeps what the plugin saved on the layer."""


def test_a_style_keeps_the_saved_role_field_map_and_result_link(qgis_app, make_layer):
    from land_bureau_plugin.qgis_bridge import fieldmaps, styles

    layer = make_layer("Point", [("grade", "string")], [], "result")
    fieldmaps.save(layer, "resettlement_projects", {"project_id": "项目编号"})
    layer.setCustomProperty("land_bureau/result_of", "source-layer-id")
    assert styles.apply_style(layer, "resettlement_result")
    assert layer.renderer().type() == "categorizedSymbol"
    assert fieldmaps.saved_role(layer) == "resettlement_projects"
    assert fieldmaps.saved_field_map(layer) == {"project_id": "项目编号"}
    assert layer.customProperty("land_bureau/result_of") == "source-layer-id"
    assert not styles.apply_style(layer, "no_such_style")
