"""A layer's role and confirmed field map, kept as layer custom properties so they are saved in the QGIS project
and restored when it reopens — the next session needs no clicks."""
from __future__ import annotations

import json

from qgis.core import QgsFeatureRequest, QgsVectorLayer

from ..analysis.fields import FIELDS, ROLES, FieldDetection, detect_fields, guess_role, unit_conversion, unit_in_name
from ..analysis.units import unit_key
from ..i18n import is_chinese, tr
from .layers import TABLE_NAME_KEY, field_names, geometry_kind, python_value

ROLE_KEY = "land_bureau/role"
MAP_KEY = "land_bureau/field_map"


def saved_role(layer: QgsVectorLayer) -> str | None:
    return layer.customProperty(ROLE_KEY) or None


def saved_field_map(layer: QgsVectorLayer) -> dict[str, str] | None:
    text = layer.customProperty(MAP_KEY)
    if not text:
        return None
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return {str(k): str(v) for k, v in value.items() if v} if isinstance(value, dict) else None


def save(layer: QgsVectorLayer, role: str, field_map: dict[str, str]) -> None:
    """Remember the user's confirmed role and map on the layer (and so in the project file)."""
    layer.setCustomProperty(ROLE_KEY, role)
    layer.setCustomProperty(MAP_KEY, json.dumps({k: v for k, v in field_map.items() if v}, ensure_ascii=False))


def role_of(layer: QgsVectorLayer) -> str | None:
    """The saved role, else a guess from the layer's name (and its file's table's: 边界.gpkg holding 城镇开发边界),
    geometry and fields."""
    names = " ".join(filter(None, (layer.name(), layer.customProperty(TABLE_NAME_KEY))))
    return saved_role(layer) or guess_role(field_names(layer), geometry_kind(layer), names)


def field_map_of(layer, role: str | None = None) -> dict[str, str]:
    """The map saved on a layer, else the one detected for the role (a Processing feature source has no saved map)."""
    if isinstance(layer, QgsVectorLayer):
        saved = saved_field_map(layer)
        if saved is not None:
            return saved
        role = role or role_of(layer)
    return detection_of(layer, role).field_map()


SAMPLE_FEATURES = 200  # values the detection looks at per layer (the first ones: reading them costs nothing)


def sample_values(layer) -> dict[str, list]:
    """{field name: the values of the first SAMPLE_FEATURES features} of a layer or Processing feature source."""
    names = field_names(layer)
    request = QgsFeatureRequest().setLimit(SAMPLE_FEATURES).setFlags(QgsFeatureRequest.Flag.NoGeometry)
    columns: dict[str, list] = {name: [] for name in names}
    for feature in layer.getFeatures(request):
        for name, value in zip(names, feature.attributes()):
            columns[name].append(python_value(value))
    return columns


def detection_of(layer, role: str | None) -> FieldDetection:
    """The detected field map of a layer with its confidences, its names and a sample of its values read."""
    return detect_fields(field_names(layer), role, sample_values(layer))


def detection_unless_saved(layer, role: str | None) -> FieldDetection | None:
    """The detection behind a layer's map when the map was detected, None when the user saved one."""
    if isinstance(layer, QgsVectorLayer) and saved_field_map(layer) is not None:
        return None
    return detection_of(layer, role)


def _factor(factor: float) -> str:
    return f"{factor:.2f}" if factor >= 1 else f"{factor:g}"


def field_map_notes(layer_name: str, field_map: dict[str, str], detection: FieldDetection | None = None
                    ) -> list[tuple[bool, str]]:
    """What a run's log says about a field map, as (is a warning, message): each unit written in a mapped field's
    name and its conversion ("field 用地面积（亩） in 亩 → m² ×666.67"), a unit that does not convert, and — for a
    detected map — every uncertain match with its confidence and the other candidates."""
    notes = []
    for canon, name in field_map.items():
        if canon not in FIELDS or not name:
            continue
        conversion = unit_conversion(name, canon)
        unit = unit_in_name(name)[1]
        if conversion is not None and conversion[1] != 1.0:
            notes.append((False, tr("Layer {layer}: field {field} in {unit} → {target} ×{factor}").format(
                layer=layer_name, field=name, unit=conversion[0], target=FIELDS[canon].unit,
                factor=_factor(conversion[1]))))
        elif conversion is None and unit and FIELDS[canon].unit not in ("", "date") \
                and unit_key(unit) != unit_key(FIELDS[canon].unit):
            # a unit the plugin cannot convert (新增粮食产能(万吨)…) is said, whether the map was detected or given:
            # read as the canonical unit, a 万-unit would be silently 10,000 times off
            notes.append((True, tr("Layer {layer}: field {field} is in {unit}, which does not convert to {target} "
                                   "({canonical}); its values are read as they are").format(
                layer=layer_name, field=name, unit=unit, target=FIELDS[canon].unit, canonical=canon)))
    for match in detection.ambiguous() if detection is not None else ():
        if field_map.get(match.canonical) != match.field:
            continue
        others = ", ".join(match.alternatives) or "-"
        notes.append((True, tr("Layer {layer}: field {field} taken as {canonical} with confidence {confidence:.2f} "
                               "({how}; other candidates: {others}) — check it, or give the field map").format(
            layer=layer_name, field=match.field, canonical=match.canonical, confidence=match.confidence,
            how=how_label(match.how), others=others)))
    return notes


def how_label(how: str) -> str:
    """How a match was found, in the UI language."""
    return {
        "name": tr("catalogue name"), "unit": tr("catalogue name with a unit"), "glob": tr("catalogue pattern"),
        "export": tr("ArcGIS export name"), "qualified": tr("joined field name"),
        "truncated": tr("name cut at 10 bytes, a unit may be lost"), "part": tr("part of the name"),
        "values": tr("from the values only"),
    }.get(how, how)


def role_label(role: str) -> str:
    """A role's name in the UI language (the vocabulary carries both)."""
    return ROLES[role].label_zh if is_chinese() else ROLES[role].label


def field_label(canon: str) -> str:
    """'用地面积 (area_m2) [m²]' — meaning in the UI language, canonical name, unit."""
    f = FIELDS[canon]
    meaning = f.meaning_zh if is_chinese() else f.meaning
    return f"{meaning} ({canon})" + (f" [{f.unit}]" if f.unit and f.unit != "date" else "")


def layer_field_label(field_map: dict, canon: str) -> str:
    """A field of a layer as its user knows it, for messages: the layer's own field name, with the meaning when the
    name does not say it ('RJL（容积率）', '容积率'); `field_label` when the map names no field for it."""
    name = (field_map or {}).get(canon)
    if not name:
        return field_label(canon)
    f = FIELDS[canon]
    if name in (f.meaning, f.meaning_zh):
        return name
    return f"{name}（{f.meaning_zh}）" if is_chinese() else f"{name} ({f.meaning})"


def layer_field_labels(field_map: dict) -> dict[str, str]:
    """`layer_field_label` of every field the map names: the labels the reasons write ({field})."""
    return {canon: layer_field_label(field_map, canon) for canon, name in (field_map or {}).items() if name}
