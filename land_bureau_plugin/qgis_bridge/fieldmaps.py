"""A layer's role and confirmed field map, kept as layer custom properties so they are saved in the QGIS project
and restored when it reopens — the next session needs no clicks."""
from __future__ import annotations

import json

from qgis.core import QgsVectorLayer

from ..analysis.fields import FIELDS, ROLES, detect_field_map, guess_role
from ..i18n import is_chinese
from .layers import field_names, geometry_kind

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
    """The saved role, else a guess from the layer's name, geometry and fields."""
    return saved_role(layer) or guess_role(field_names(layer), geometry_kind(layer), layer.name())


def field_map_of(layer, role: str | None = None) -> dict[str, str]:
    """The map saved on a layer, else the one detected for the role (a Processing feature source has no saved map)."""
    if isinstance(layer, QgsVectorLayer):
        saved = saved_field_map(layer)
        if saved is not None:
            return saved
        role = role or role_of(layer)
    return detect_field_map(field_names(layer), role)


def role_label(role: str) -> str:
    """A role's name in the UI language (the vocabulary carries both)."""
    return ROLES[role].label_zh if is_chinese() else ROLES[role].label


def field_label(canon: str) -> str:
    """'用地面积 (area_m2) [m²]' — meaning in the UI language, canonical name, unit."""
    f = FIELDS[canon]
    meaning = f.meaning_zh if is_chinese() else f.meaning
    return f"{meaning} ({canon})" + (f" [{f.unit}]" if f.unit and f.unit != "date" else "")
