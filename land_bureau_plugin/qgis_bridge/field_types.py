"""Field types across QGIS 3.22 … 4.x: the one place that knows how a QGIS version wants a field type named.

QGIS 3.38 moved QgsField from QVariant::Type to QMetaType::Type: the QVariant constructor is deprecated there and
gone in QGIS 4, whose Qt 6 has no QVariant::Type at all. QGIS before 3.38 accepts only QVariant::Type. Qt numbers
both enums alike (QVariant::Type is defined from QMetaType), so the plugin names every type as QMetaType.Type and
this module turns it into what the running QGIS takes; comparisons go by that number, since a field's type() is a
QVariant.Type on old QGIS, a QMetaType.Type on new, and PyQt 6 enums never equal another enum's members.
"""
from __future__ import annotations

from qgis.core import Qgis, QgsField
from qgis.PyQt.QtCore import QMetaType

QMETATYPE_SINCE = 33800  # Qgis.versionInt() of the first QGIS whose QgsField takes a QMetaType.Type


def field_type(kind: QMetaType.Type, version: int | None = None):
    """`kind` as the running QGIS (or QGIS `version`, e.g. 32216) names a field type."""
    if (Qgis.versionInt() if version is None else version) >= QMETATYPE_SINCE:
        return kind
    from qgis.PyQt.QtCore import QVariant  # only reached on QGIS < 3.38, which always runs Qt 5

    return QVariant.Type(type_id(kind))  # noqa: QGS402 — the QGIS < 3.38 branch is what this rule asks for


def new_field(name: str, kind: QMetaType.Type) -> QgsField:
    """QgsField(name, kind) without the deprecated QVariant constructor where QGIS has the QMetaType one."""
    return QgsField(name, field_type(kind))


def type_id(kind) -> int:
    """The number of a QVariant.Type or QMetaType.Type (a sip int enum in PyQt 5, an enum.Enum in PyQt 6)."""
    return int(getattr(kind, "value", kind))


def has_type(field: QgsField, kind: QMetaType.Type) -> bool:
    """Whether `field` is of type `kind`, whichever enum this QGIS hands back from QgsField.type()."""
    return type_id(field.type()) == type_id(kind)
