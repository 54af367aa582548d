"""The canonical data model and the detection of a user's field names.

Bureau data arrives with Chinese field names (地块编号), pinyin initials (DKBH) or English names (parcel_id).
The analyses speak one vocabulary; a *field map* {canonical name: layer field} translates a layer to it.
`detect_field_map` proposes the map, the user confirms it in the panel, and `check_field_map` says what is
wrong with a map before anything runs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Kinds of value a canonical field holds; the bridge converts layer values to these.
TEXT, NUMBER, DATE, FLAG = "text", "number", "date", "flag"


@dataclass(frozen=True)
class CanonicalField:
    """One entry of the vocabulary: name, meaning (English / Chinese), unit, kind and recognised aliases."""

    name: str
    meaning: str
    meaning_zh: str
    unit: str
    kind: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # Chinese fragments that suggest the field when no alias matches exactly


def _f(name, meaning, meaning_zh, unit, kind, aliases, keywords=()):
    return CanonicalField(name, meaning, meaning_zh, unit, kind, tuple(aliases), tuple(keywords))


FIELDS: dict[str, CanonicalField] = {f.name: f for f in (
    _f("parcel_id", "parcel identifier", "地块编号", "", TEXT,
       ["地块编号", "DKBH", "宗地编号", "ZDBH", "宗地代码", "ZDDM", "地块代码", "parcel_no", "parcelid", "parcel_id"]),
    _f("land_use", "land-use code (GB/T 21010, 2023 guide or GB 50137)", "用地性质", "", TEXT,
       ["用地性质", "YDXZ", "地类编码", "DLBM", "用地代码", "YDDM", "用途", "landuse", "land_use"], ["地类", "用途"]),
    _f("area_m2", "land area", "用地面积", "m²", NUMBER,
       ["用地面积", "YDMJ", "宗地面积", "ZDMJ", "面积", "MJ", "area", "area_m2"], ["面积"]),
    _f("far", "floor area ratio", "容积率", "", NUMBER, ["容积率", "RJL", "far"]),
    _f("building_area", "total floor area", "建筑面积", "m²", NUMBER,
       ["建筑面积", "JZMJ", "总建筑面积", "ZJZMJ", "floor_area", "gfa", "building_area"]),
    _f("coverage", "building coverage", "建筑密度", "%", NUMBER,
       ["建筑密度", "JZMD", "建筑系数", "JZXS", "coverage"]),
    _f("floors", "storeys", "层数", "", NUMBER,
       ["层数", "CS", "建筑层数", "JZCS", "楼层数", "floors", "storeys"], ["层数"]),
    _f("height", "building height", "建筑高度", "m", NUMBER, ["建筑高度", "JZGD", "高度", "GD", "height"], ["高度"]),
    _f("tax", "annual tax paid", "年税收", "万元", NUMBER,
       ["税收", "年税收", "税收总额", "SS", "NSS", "tax"], ["税收"]),
    _f("output", "annual output value / value added", "产值", "万元", NUMBER,
       ["产值", "工业产值", "年产值", "增加值", "CZ", "ZJZ", "output", "value_added"], ["产值", "增加值"]),
    _f("energy", "annual energy use", "能耗", "吨标煤", NUMBER, ["能耗", "综合能耗", "NH", "energy"], ["能耗"]),
    _f("employees", "employees", "从业人数", "人", NUMBER,
       ["从业人数", "员工数", "职工人数", "CYRS", "employees"], ["人数"]),
    _f("rd_spend", "R&D spending", "研发经费", "万元", NUMBER,
       ["研发经费", "研发投入", "YFJF", "rd", "rd_spend"], ["研发"]),
    _f("idle", "idle land (1 = idle)", "是否闲置", "", FLAG, ["是否闲置", "闲置", "SFXZ", "idle"], ["闲置"]),
    _f("owner", "owner / enterprise", "权利人", "", TEXT, ["权利人", "QLR", "企业名称", "QYMC", "单位名称", "owner"]),
    _f("district", "district / town", "行政区", "", TEXT,
       ["行政区", "所属区县", "区县", "街道", "镇街", "XZQ", "XZQMC", "SSQX", "district"], ["行政区", "区县", "镇街"]),
    _f("project_id", "expropriation project id", "项目编号", "", TEXT,
       ["项目编号", "XMBH", "征迁项目编号", "project_id"]),
    _f("project_name", "project name", "项目名称", "", TEXT, ["项目名称", "XMMC", "project_name", "name"]),
    _f("expropriation_date", "expropriation date (征迁)", "征迁日期", "date", DATE,
       ["征迁日期", "征收日期", "征迁时间", "ZQRQ", "ZSRQ", "expropriation_date"], ["征迁", "征收"]),
    _f("housing_start_date", "resettlement housing construction start", "安置房开工日期", "date", DATE,
       ["安置房开工日期", "开工日期", "KGRQ", "AZFKGRQ", "housing_start_date"], ["开工"]),
    _f("housing_complete_date", "resettlement housing completion", "安置房竣工日期", "date", DATE,
       ["安置房竣工日期", "竣工日期", "JGRQ", "AZFJGRQ", "housing_complete_date"], ["竣工"]),
    _f("resettled_date", "households resettled (moved back)", "完成安置日期", "date", DATE,
       ["完成安置日期", "安置完成日期", "回迁日期", "AZRQ", "HQRQ", "resettled_date"], ["回迁", "完成安置"]),
    _f("households", "households affected", "征迁户数", "户", NUMBER,
       ["征迁户数", "户数", "HS", "ZQHS", "households"], ["户数"]),
    _f("resettlement_plot_id", "resettlement plot id", "安置地块编号", "", TEXT,
       ["安置地块编号", "AZDKBH", "安置地块", "resettlement_plot_id"], ["安置地块"]),
    _f("plan_id", "upstairs plan id", "方案编号", "", TEXT, ["方案编号", "FABH", "规划编号", "plan_id"]),
    _f("declared_area", "declared land area", "申报面积", "m²", NUMBER,
       ["申报面积", "SBMJ", "declared_area"], ["申报"]),
    _f("ground_floor_height", "ground floor height", "首层层高", "m", NUMBER,
       ["首层层高", "SCCG", "ground_floor_height"]),
    _f("upper_floor_height", "upper floor height", "标准层层高", "m", NUMBER,
       ["标准层层高", "二层以上层高", "BZCCG", "upper_floor_height"]),
    _f("ground_floor_load", "ground floor load", "首层荷载", "kN/m²", NUMBER,
       ["首层荷载", "SCHZ", "ground_floor_load"]),
    _f("upper_floor_load", "upper floor load", "楼层荷载", "kN/m²", NUMBER,
       ["楼层荷载", "标准层荷载", "LCHZ", "upper_floor_load"]),
    _f("lift_capacity", "freight lift capacity", "货梯载重", "t", NUMBER,
       ["货梯载重", "HTZZ", "lift_capacity"], ["货梯"]),
    _f("support_area", "support-space floor area (配套)", "配套面积", "m²", NUMBER,
       ["配套面积", "配套用房面积", "PTMJ", "support_area"], ["配套"]),
)}


@dataclass(frozen=True)
class Role:
    """What a layer is for: its geometry and which canonical fields it needs or may carry."""

    name: str
    label: str
    label_zh: str
    geometry: str  # "polygon", "point_or_polygon", "any"
    required: tuple[str, ...]
    optional: tuple[str, ...] = field(default=())


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("parcels", "Parcels", "地块", "polygon", ("parcel_id",),
         ("land_use", "area_m2", "far", "building_area", "coverage", "tax", "output", "energy", "employees",
          "rd_spend", "idle", "owner", "district")),
    Role("buildings", "Buildings", "建筑", "polygon", (), ("floors", "height", "parcel_id")),
    Role("resettlement_projects", "Resettlement projects", "征迁安置项目", "point_or_polygon",
         ("project_id", "expropriation_date"),
         ("project_name", "housing_start_date", "housing_complete_date", "resettled_date", "households",
          "resettlement_plot_id", "district")),
    Role("resettlement_plots", "Resettlement plots", "安置地块", "polygon", ("resettlement_plot_id",), ("district",)),
    Role("upstairs_plans", "Industrial-upstairs plans", "工业上楼方案", "polygon", ("plan_id",),
         ("declared_area", "building_area", "far", "height", "floors", "ground_floor_height", "upper_floor_height",
          "ground_floor_load", "upper_floor_load", "lift_capacity", "support_area", "district", "land_use")),
    Role("farmland", "Permanent basic farmland", "永久基本农田", "polygon", ()),
    Role("redline", "Ecological red line", "生态保护红线", "polygon", ()),
    Role("urban_boundary", "Urban development boundary", "城镇开发边界", "polygon", ()),
    Role("landuse", "Land use", "用地现状/规划", "polygon", ("land_use",)),
)}


def normalise(name: str) -> str:
    """Compare field names the way a person reads them: NFKC, case-free, without spaces, dashes, underscores."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s_\-（）()]+", "", text)


_ALIAS_INDEX: dict[str, str] = {}
for _canon in FIELDS.values():
    for _alias in _canon.aliases:
        _ALIAS_INDEX.setdefault(normalise(_alias), _canon.name)

# Chinese fragments that suggest a field inside a longer name: its keywords and its Chinese aliases.
_FRAGMENTS: dict[str, tuple[str, ...]] = {
    f.name: tuple(dict.fromkeys(f.keywords + tuple(a for a in f.aliases if not a.isascii()))) for f in FIELDS.values()}

_UNIT_NOTE = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]\s*$")  # a trailing "(m²)", "（平方米）", "[万元]"


def _without_unit_note(name: str) -> str:
    return _UNIT_NOTE.sub("", unicodedata.normalize("NFKC", str(name)))


def _fragment_match(layer_field: str, canon: str) -> tuple[int, int] | None:
    """(end, length) of the fragment of `canon` found furthest right in the name, longest first; None if none."""
    text = str(layer_field)
    found = [(pos + len(k), len(k)) for k in _FRAGMENTS[canon] if (pos := text.rfind(k)) >= 0]
    return max(found) if found else None


def detect_field_map(layer_fields: list[str], role: str | None = None) -> dict[str, str]:
    """Propose {canonical name: layer field} for the given layer field names.

    Exact aliases win, then aliases followed by a unit note ("用地面积(m²)"); Chinese keywords and aliases inside
    a longer name ("征迁时间" → expropriation_date) fill in what is left. Each layer field is used at most once
    and, when a role is given, only that role's fields are proposed.
    """
    wanted = None
    if role is not None:
        r = ROLES[role]
        wanted = set(r.required) | set(r.optional)
    proposal: dict[str, str] = {}
    used: set[str] = set()
    for key in (normalise, lambda name: normalise(_without_unit_note(name))):
        for layer_field in layer_fields:
            canon = _ALIAS_INDEX.get(key(layer_field))
            if canon and canon not in proposal and layer_field not in used and (wanted is None or canon in wanted):
                proposal[canon] = layer_field
                used.add(layer_field)
    # Fragments: a Chinese name ends with what it is ("征迁户数量" is a count, not a date), so each remaining field is
    # read as the field matched furthest right (longest first). A field whose reading is already mapped stays out;
    # when several fields have one reading, the longest match wins, then the first field.
    readings = []
    for order, layer_field in enumerate(layer_fields):
        if layer_field in used:
            continue
        found = [(m, c) for c in FIELDS if (wanted is None or c in wanted) and (m := _fragment_match(layer_field, c))]
        if found:
            (_, length), canon = max(found, key=lambda mc: mc[0])
            readings.append((-length, order, canon, layer_field))
    for _, _, canon, layer_field in sorted(readings):
        if canon not in proposal and layer_field not in used:
            proposal[canon] = layer_field
            used.add(layer_field)
    return proposal


def guess_role(layer_fields: list[str], geometry: str, layer_name: str = "") -> str | None:
    """Guess a layer's role from its name, geometry and which role's fields it carries best."""
    for role in sorted(ROLES.values(), key=lambda r: -len(r.label_zh)):  # "安置地块" before "地块"
        if role.label_zh in layer_name or role.name in layer_name.lower():
            return role.name
    best, best_score = None, 0.0
    for role in ROLES.values():
        if role.geometry == "polygon" and geometry not in ("polygon", "unknown"):
            continue
        if not role.required and not role.optional:
            continue
        found = detect_field_map(layer_fields, role.name)
        if not all(r in found for r in role.required):
            continue
        score = len(found) + 2 * len(role.required)
        if score > best_score:
            best, best_score = role.name, score
    return best


@dataclass(frozen=True)
class FieldMapProblem:
    """One thing wrong with a field map: a code the UI translates, and the names it concerns."""

    code: str  # "missing_required", "duplicate_target", "unknown_field", "unknown_canonical"
    canonical: tuple[str, ...]
    layer_field: str = ""
    candidates: tuple[str, ...] = ()


def check_field_map(field_map: dict[str, str], layer_fields: list[str], role: str) -> list[FieldMapProblem]:
    """Everything that stops a map from being used: missing required fields (with candidates), two canonical
    names on one layer field, fields the layer does not have."""
    problems: list[FieldMapProblem] = []
    r = ROLES[role]
    by_target: dict[str, list[str]] = {}
    for canon, layer_field in field_map.items():
        if not layer_field:
            continue
        if canon not in FIELDS:
            problems.append(FieldMapProblem("unknown_canonical", (canon,), layer_field))
        elif layer_field not in layer_fields:
            problems.append(FieldMapProblem("unknown_field", (canon,), layer_field))
        by_target.setdefault(layer_field, []).append(canon)
    for layer_field, canons in by_target.items():
        if len(canons) > 1:
            problems.append(FieldMapProblem("duplicate_target", tuple(sorted(canons)), layer_field))
    for canon in r.required:
        if not field_map.get(canon):
            candidates = tuple(f for f in layer_fields if f not in field_map.values())
            problems.append(FieldMapProblem("missing_required", (canon,), candidates=candidates))
    return problems
