"""What each printed layer *is* on the map: its print role decides the drawing order, the legend entry and, for a
layer loaded only for the print, its style.

Why roles and not the order the layers came in: on real data the layers arrive in any order and under file names
(`gysl_viol`, `zd_clusters`, `YJJBNT`). A printed map must still draw what was found above what it was found
in — the violation pieces over the plans, the merge clusters over the parcels, the result over its context —
and its legend must say 违规部分, 并宗组团, 永久基本农田, never a file name.

A role comes from, in this order: the analysed result (the first layer); the fields of the analyses' second
outputs (VIOLATIONS: `plan_fid` + `rule_id`; CLUSTER_OUTLINES: `cluster_id` + `parcels`; UNSUPPLIED: `batch_fid` +
`unsupplied_m2`; the farmland balance's FLOWS: `from_county` + `to_county` + `transfers`, 指标调剂流向; the living
circle's GAPS: `unit` + `walk_m` + `level`); the role saved on the layer; the usual pinyin and Chinese layer names
of the 三区三线, district, building and land-use layers (YJJBNT, STBHHX, CZKFBJ, XZQ, ZRZ 自然幢, DLTB 地类图斑, YDYH
用地用海) — before the guess from the fields, which takes a farmland layer with a DLBM column for land use; the role
guessed from the layer's name and fields (qgis_bridge.fieldmaps.role_of); a polygon layer that names its districts
(district_names.name_field). Anything else is `other`: drawn lightest, below everything, under its own name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qgis.core import QgsVectorLayer

from ..analysis.fields import ROLES
from ..qgis_bridge.fieldmaps import role_of, saved_role
from ..qgis_bridge.layers import field_names, geometry_kind, readable_name
from . import district_names

RESULT, VIOLATIONS, CLUSTERS, UNSUPPLIED, DISTRICTS, OTHER = ("result", "violations", "clusters", "unsupplied",
                                                         "districts", "other")
FLOWS = "flows"
GAPS = "living_circle_gaps"


@dataclass(frozen=True)
class PrintRole:
    key: str
    label: str  # the legend entry ("" = the layer's own name)
    rank: float  # drawing order: lower is drawn above
    style: str | None  # bundled style for a layer loaded only for the print (None: by geometry, see style_for)


# Flagged pieces above the result, the result above its context; outlines above fills, so a boundary still shows
# over farmland; filled context lightest and lowest.
PRINT_ROLES = {role.key: role for role in (
    PrintRole(VIOLATIONS, "违规部分", 0, "upstairs_violations"),
    PrintRole(CLUSTERS, "并宗组团", 1, "efficiency_clusters"),
    PrintRole(UNSUPPLIED, "批而未供（按批准年限）", 1, "supply_unsupplied"),
    PrintRole(FLOWS, "指标调剂流向", 1, "farmland_flows"),
    PrintRole(GAPS, "未覆盖单元（任一设施类型）", 1, "living_circle_gaps"),
    PrintRole(RESULT, "", 2, None),
    PrintRole(DISTRICTS, "行政区划", 3, "districts"),
    PrintRole("urban_boundary", ROLES["urban_boundary"].label_zh, 4, "urban_boundary"),
    PrintRole("resettlement_plots", ROLES["resettlement_plots"].label_zh, 5, "resettlement_plots"),
    PrintRole("redline", ROLES["redline"].label_zh, 6, "redline"),
    PrintRole("farmland", ROLES["farmland"].label_zh, 7, "farmland"),
    PrintRole("upstairs_plans", ROLES["upstairs_plans"].label_zh, 8, "upstairs_plans"),
    PrintRole("resettlement_projects", ROLES["resettlement_projects"].label_zh, 8, "resettlement_projects"),
    PrintRole("parcels", ROLES["parcels"].label_zh, 9, None),  # context: light and neutral (context_polygon)
    PrintRole("buildings", ROLES["buildings"].label_zh, 9, "buildings"),
    PrintRole("approval_batches", ROLES["approval_batches"].label_zh, 4, "approval_batches"),
    PrintRole("land_supply", ROLES["land_supply"].label_zh, 9, "land_supply"),
    PrintRole("landuse", ROLES["landuse"].label_zh, 10, None),
    # 耕地占补平衡 inputs under the checks: occupations and supplements told apart (orange / green outlines)
    PrintRole("farmland_occupations", ROLES["farmland_occupations"].label_zh, 8, "farmland_occupations"),
    PrintRole("farmland_supplements", ROLES["farmland_supplements"].label_zh, 8, "farmland_supplements"),
    PrintRole("facilities", ROLES["facilities"].label_zh, 1, "facilities"),  # above the units: where they are
    PrintRole("roads", "道路", 10, "roads"),
    PrintRole(OTHER, "", 11, None),
)}

# Layer names bureau data comes under: pinyin initials of the 三区三线 and of 行政区, and the Chinese short forms.
NAME_HINTS = {
    "farmland": ("yjjbnt", "jbnt", "yjjbnttb", "基本农田", "永农"),
    "redline": ("stbhhx", "sthx", "stbh", "生态红线", "生态保护红线"),
    "urban_boundary": ("czkfbj", "kfbj", "开发边界"),
    DISTRICTS: ("xzq", "xzqh", "xzqjx", "行政区", "行政界线", "镇街", "乡镇界"),
    # 不动产 自然幢 and building footprints; 三调 地类图斑 and the 国土空间规划 用地用海 layers (land use as context)
    "buildings": ("zrz", "自然幢", "jzw", "建筑物", "房屋", "楼栋"),
    "landuse": ("dltb", "ydyh", "ydyhght", "gtkjgh", "地类图斑", "用地用海", "土地利用现状", "用地现状", "规划用地"),
}

VIOLATION_FIELDS = {"plan_fid", "rule_id"}
CLUSTER_FIELDS = {"cluster_id", "parcels"}
UNSUPPLIED_FIELDS = {"batch_fid", "unsupplied_m2"}
FLOW_FIELDS = {"from_county", "to_county", "transfers"}
GAP_FIELDS = {"unit", "walk_m", "level"}


def output_role(layer) -> PrintRole | None:
    """The role of an analysis' second output recognised by its fields (violation pieces, merge clusters, unsupplied
    batches, indicator flows, uncovered units); None for any other layer. Such a layer is a result of a run, whatever
    its name: the farmland flows are named 指标调剂流向 in Chinese, which the guess from the name takes for the
    指标调剂 input."""
    if not isinstance(layer, QgsVectorLayer):
        return None
    names = {name.lower() for name in field_names(layer)}
    if VIOLATION_FIELDS <= names:
        return PRINT_ROLES[VIOLATIONS]
    if CLUSTER_FIELDS <= names and "low_eff" not in names:
        return PRINT_ROLES[CLUSTERS]
    if UNSUPPLIED_FIELDS <= names:
        return PRINT_ROLES[UNSUPPLIED]
    if FLOW_FIELDS <= names:
        return PRINT_ROLES[FLOWS]
    if GAP_FIELDS <= names:
        return PRINT_ROLES[GAPS]
    return None


def print_role(layer, analysed: bool = False) -> PrintRole:
    """The print role of a layer (see the module docstring)."""
    if analysed:
        return PRINT_ROLES[RESULT]
    if not isinstance(layer, QgsVectorLayer):  # a basemap (天地图, imagery): lowest, under its own name
        return PRINT_ROLES[OTHER]
    output = output_role(layer)
    if output is not None:
        return output
    role = saved_role(layer) or _name_hint(layer) or role_of(layer)
    if role in PRINT_ROLES:
        return PRINT_ROLES[role]
    if district_names.name_field(layer) is not None and layer.featureCount() <= district_names.MAX_FEATURES:
        return PRINT_ROLES[DISTRICTS]
    return PRINT_ROLES[OTHER]


def _name_hint(layer) -> str | None:
    names = {layer.name().lower(), readable_name(layer).lower()}
    for key, hints in NAME_HINTS.items():
        for hint in hints:
            # latin initials as a whole word ("YJJBNT", "yjjbnt_2023"), not inside another ("xzqmc" is a field)
            pattern = re.escape(hint) if not hint.isascii() else rf"(?<![a-z]){re.escape(hint)}(?![a-z])"
            if any(re.search(pattern, name) for name in names):
                return key
    return None


# Where context that only outlines is drawn: above the result, below the findings drawn over it (violation pieces,
# merge clusters, unsupplied batches) — a thin line over the result's fills hides nothing (layouts.visibility).
ABOVE_RESULT = 1.5


def above_result(role: PrintRole) -> PrintRole:
    """`role` drawn above the result when it would be drawn below it (its layer only outlines)."""
    return replace(role, rank=ABOVE_RESULT) if role.rank > PRINT_ROLES[RESULT].rank else role


def ordered(layers, roles) -> list:
    """`layers` in drawing order (first drawn on top): by role rank, keeping the given order within a rank."""
    ranked = sorted(range(len(layers)), key=lambda n: (roles[n].rank, n))
    return [layers[n] for n in ranked]


def legend_label(layer, role: PrintRole) -> str:
    """The legend entry: the role's name, else the layer's own (never a result file's name for a known role)."""
    return role.label or layer.name()


def style_for(layer, role: PrintRole) -> str | None:
    """The bundled style a layer loaded only for the print gets: its role's, else a light neutral one by geometry
    (no heavy black outlines on context the planner did not style); none for a raster."""
    if not isinstance(layer, QgsVectorLayer):
        return None
    if role.style:
        from ..qgis_bridge.styles import styled_for_geometry

        return styled_for_geometry(role.style, layer)
    kind = geometry_kind(layer)
    return f"context_{kind}" if kind in ("point", "line", "polygon") else None
