"""Field types through one helper (qgis_bridge/field_types.py): QMetaType where QGIS takes it (3.38+), QVariant on
older QGIS, the same type either way — checked on the running QGIS by what a layer makes of the field."""
from qgis.core import Qgis, QgsVectorLayer
from qgis.PyQt.QtCore import QMetaType

from land_bureau_plugin.qgis_bridge.field_types import QMETATYPE_SINCE, field_type, has_type, new_field, type_id
from land_bureau_plugin.qgis_bridge.results import ResultField, qgs_fields

# Qt's numbers for these types (qmetatype.h), the same in QVariant::Type
EXPECTED_IDS = {"text": 10, "int": 2, "real": 6, "date": 14}


def test_old_qgis_gets_the_qvariant_type_new_qgis_the_qmetatype():
    kind = QMetaType.Type.Double
    assert field_type(kind, version=QMETATYPE_SINCE) is kind
    assert field_type(kind, version=QMETATYPE_SINCE + 200) is kind
    old = field_type(kind, version=QMETATYPE_SINCE - 1)
    assert type(old).__name__ == "Type" and old is not kind and type_id(old) == 6
    running = field_type(kind)
    assert (running is kind) == (Qgis.versionInt() >= QMETATYPE_SINCE)


def test_result_fields_keep_their_types_in_a_layer(qgis_app):
    spec = [ResultField(name, kind) for name, kind in (("t", "text"), ("i", "int"), ("r", "real"), ("d", "date"))]
    layer = QgsVectorLayer("Point?crs=EPSG:4549", "result", "memory")
    assert layer.dataProvider().addAttributes(qgs_fields(spec))
    layer.updateFields()
    assert [type_id(field.type()) for field in layer.fields()] == [EXPECTED_IDS[s.kind] for s in spec]
    assert [field.typeName().lower() for field in layer.fields()] == ["string", "integer", "double", "date"]


def test_has_type_compares_by_number_whatever_enum_qgis_returns(qgis_app, make_layer):
    layer = make_layer("Point", [("n", "integer"), ("x", "double"), ("s", "string")], [])
    n, x, s = layer.fields()
    assert has_type(n, QMetaType.Type.Int) and not has_type(n, QMetaType.Type.Double)
    assert has_type(x, QMetaType.Type.Double) and has_type(s, QMetaType.Type.QString)
    assert has_type(new_field("a", QMetaType.Type.LongLong), QMetaType.Type.LongLong)
