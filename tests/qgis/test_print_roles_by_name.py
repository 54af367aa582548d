"""Context layers of real data named by what they are in the printed legend and drawn light: a 自然幢 layer (ZRZ)
is 建筑, a 用地用海 planning layer (YDYHGHT) or a 三调 地类图斑 layer (DLTB) is 用地现状/规划 — they printed as their
file names, and the planning layer, guessed to be parcels, as a beige fill over the whole map."""
import pytest

SQUARE = "POLYGON(({x} {y}, {x2} {y}, {x2} {y2}, {x} {y2}, {x} {y}))"


def square(x, y, size=100.0):
    return SQUARE.format(x=x, y=y, x2=x + size, y2=y + size)


@pytest.mark.parametrize("name, fields, role, label, style", [
    ("ZRZ", [("ZRZH", "string"), ("ZCS", "integer"), ("JZWGD", "double")], "buildings", "建筑", "buildings"),
    ("YDYHGHT", [("BSM", "string"), ("YDYHFLDM", "string"), ("YDYHFLMC", "string"), ("RJL", "string")],
     "landuse", "用地现状/规划", "context_polygon"),
    ("DLTB", [("BSM", "string"), ("DLBM", "string"), ("DLMC", "string"), ("TBMJ", "double")],
     "landuse", "用地现状/规划", "context_polygon"),
    ("宗地", [("ZDDM", "string"), ("TDYT", "string"), ("QLR", "string")], "parcels", "地块", "context_polygon"),
])
def test_context_layers_are_named_by_role_and_drawn_light(qgis_app, make_layer, name, fields, role, label, style):
    from land_bureau_plugin.layouts import layer_roles

    row = {"wkt": square(530000, 3340000)}
    layer = make_layer("Polygon", fields, [row], name)
    found = layer_roles.print_role(layer)
    assert (found.key, layer_roles.legend_label(layer, found)) == (role, label)
    assert layer_roles.style_for(layer, found) == style  # context_polygon: #efefef, outline 0.1 mm
    assert found.rank > layer_roles.PRINT_ROLES[layer_roles.RESULT].rank  # drawn below the result
