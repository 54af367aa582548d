"""Validate a layer for its role before anything runs: every finding names the layer, the feature id and the field.

Validation only reads. It never repairs the source: analyses repair a copy of the geometry in memory.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from qgis.core import QgsVectorLayer

from ..analysis.dates import parse_dates
from ..analysis.fields import DATE, FIELDS, NUMBER, ROLES, check_field_map
from ..i18n import tr
from .crs import is_unknown
from .layers import field_names, geometry_kind, planar_crs_for, read_columns

INFO, WARNING, ERROR = "info", "warning", "error"
MAX_IDS_LISTED = 10


@dataclass(frozen=True)
class Finding:
    level: str
    message: str
    feature_ids: tuple[int, ...] = ()
    field: str = ""


def _ids(fids) -> str:
    fids = list(fids)
    text = ", ".join(str(f) for f in fids[:MAX_IDS_LISTED])
    return text + (tr(" … ({n} in all)").format(n=len(fids)) if len(fids) > MAX_IDS_LISTED else "")


def field_map_findings(layer: QgsVectorLayer, role: str, field_map: dict[str, str]) -> list[Finding]:
    """Translated findings for a field map that cannot be used as it is."""
    findings = []
    for problem in check_field_map(field_map, field_names(layer), role):
        canon = ", ".join(problem.canonical)
        if problem.code == "missing_required":
            candidates = ", ".join(problem.candidates[:8]) or tr("none")
            message = tr("Layer {layer}: required field {canon} is not mapped (candidates: {candidates})")
            findings.append(Finding(ERROR, message.format(layer=layer.name(), canon=canon, candidates=candidates)))
        elif problem.code == "duplicate_target":
            message = tr("Layer {layer}: field {field} is mapped to several roles ({canon}); map each to its own field")
            findings.append(Finding(ERROR, message.format(layer=layer.name(), field=problem.layer_field, canon=canon),
                                    field=problem.layer_field))
        elif problem.code == "unknown_field":
            message = tr("Layer {layer}: field {field} (mapped to {canon}) does not exist")
            findings.append(Finding(ERROR, message.format(layer=layer.name(), field=problem.layer_field, canon=canon),
                                    field=problem.layer_field))
    return findings


def validate_layer(layer: QgsVectorLayer, role: str, field_map: dict[str, str]) -> list[Finding]:
    """Everything a planner should know before analysing `layer` as `role`."""
    name = layer.name()
    findings = field_map_findings(layer, role, field_map)
    wanted = ROLES[role].geometry
    kind = geometry_kind(layer)
    if kind == "none":
        findings.append(Finding(ERROR, tr("Layer {layer} has no geometry").format(layer=name)))
    elif wanted == "polygon" and kind != "polygon":
        findings.append(Finding(ERROR, tr("Layer {layer} must be polygons for this role, it has {kind}")
                                .format(layer=name, kind=kind)))
    crs = layer.crs()
    if is_unknown(crs):
        findings.append(Finding(WARNING, tr("Layer {layer} has no coordinate reference system; set it before analysing")
                                .format(layer=name)))
    elif crs.isGeographic():
        findings.append(Finding(INFO, tr("Layer {layer} is in geographic coordinates ({crs}); areas are measured in "
                                         "{planar} (m²)").format(layer=name, crs=crs.authid(),
                                                                  planar=planar_crs_for(layer).authid())))
    usable = {c: f for c, f in field_map.items() if f in field_names(layer)}
    columns = read_columns(layer, usable, with_geometry=kind != "none")
    if columns.geometries is not None:
        findings += _geometry_findings(name, columns.frame.index, columns.geometries)
    findings += _value_findings(name, columns.frame, usable)
    id_field = next((c for c in ROLES[role].required if c.endswith("_id")), None)
    if id_field and id_field in columns.frame:
        ids = columns.frame[id_field]
        dup = ids.notna() & ids.duplicated(keep=False)
        if dup.any():
            message = tr("Layer {layer}: {field} has duplicated values {values} (feature ids {fids})")
            findings.append(Finding(WARNING, message.format(
                layer=name, field=usable[id_field], values=", ".join(map(str, ids[dup].unique()[:5])),
                fids=_ids(ids.index[dup])), tuple(ids.index[dup]), usable[id_field]))
    if not findings or all(f.level == INFO for f in findings):
        findings.append(Finding(INFO, tr("Layer {layer}: {n} features checked, no problems found")
                                .format(layer=name, n=len(columns.frame))))
    return findings


def _geometry_findings(layer_name: str, fids: pd.Index, geometries: np.ndarray) -> list[Finding]:
    import shapely

    findings = []
    missing = pd.isna(geometries) | shapely.is_empty(geometries)
    invalid = ~missing & ~shapely.is_valid(geometries)
    if missing.any():
        findings.append(Finding(WARNING, tr("Layer {layer}: empty or missing geometry at feature ids {fids}")
                                .format(layer=layer_name, fids=_ids(fids[missing])), tuple(fids[missing])))
    if invalid.any():
        reasons = shapely.is_valid_reason(geometries[invalid])
        first = f"{fids[invalid][0]}: {reasons[0]}"
        message = tr("Layer {layer}: invalid geometry at feature ids {fids} (e.g. {first}); analyses repair a copy, "
                     "the layer is not changed")
        findings.append(Finding(WARNING, message.format(layer=layer_name, fids=_ids(fids[invalid]), first=first),
                                tuple(fids[invalid])))
    return findings


def _value_findings(layer_name: str, frame: pd.DataFrame, field_map: dict[str, str]) -> list[Finding]:
    """Numbers and dates stored as text that do not read as numbers or dates."""
    findings = []
    for canon in frame.columns:
        kind = FIELDS[canon].kind if canon in FIELDS else None
        values = frame[canon]
        present = values.notna() & (values.astype(str).str.strip() != "")
        if kind == NUMBER:
            bad = present & pd.to_numeric(values, errors="coerce").isna()
        elif kind == DATE:
            bad = pd.Series(parse_dates(values)[1].to_numpy(), index=values.index)
        else:
            continue
        if bad.any():
            example = values[bad].iloc[0]
            message = tr("Layer {layer}: field {field} has values that are not {kind} at feature ids {fids} "
                         "(e.g. “{example}”)")
            kind_text = tr("numbers") if kind == NUMBER else tr("dates")
            findings.append(Finding(WARNING, message.format(layer=layer_name, field=field_map[canon], kind=kind_text,
                                                            fids=_ids(values.index[bad]), example=example),
                                    tuple(values.index[bad]), field_map[canon]))
    return findings
