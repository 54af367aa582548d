"""The canonical data model and the detection of a user's field names.

Bureau data arrives with Chinese field names (地块编号), pinyin initials of the national database standards (DKBH,
DLBM, ZDMJ), English or OpenStreetMap names, ArcGIS join and export names (`楼栋_Floor`, `RJL_1`), traditional
characters (容積率) and shapefile names cut at 10 bytes. The analyses speak one vocabulary; a *field map*
{canonical name: layer field} translates a layer to it.

Which name means what is data, not code: the field catalogue `resources/fields/catalogue.csv` (one row per name,
its canonical field or `-` for a known field that no analysis uses, a confidence, the standard it comes from).
This module holds the vocabulary (`FIELDS`, `ROLES`) and the reading rules: `detect_fields` proposes a map with a
confidence per match, the unit written in a name (用地面积（亩）) and the factor to the canonical unit, checked
against a sample of the values when one is given; the user confirms it in the panel, and `check_field_map` says
what is wrong with a map before anything runs.
"""
from __future__ import annotations

import csv
import fnmatch
import re
import unicodedata
from dataclasses import dataclass, field, replace

from .units import UNIT_SPELLINGS, conversion_factor, unit_key

# Kinds of value a canonical field holds; the bridge converts layer values to these.
TEXT, NUMBER, DATE, FLAG = "text", "number", "date", "flag"
IGNORED = "-"  # the catalogue's canonical name for a known field that no analysis reads (BSM, KCXS, DXCS, …)
AMBIGUOUS_BELOW = 0.75  # a match less sure than this is asked in the panel and logged in Processing
ALTERNATIVE_WITHIN = 0.05  # another field this close to the chosen one's confidence makes the match ambiguous
READS_AS_DISCOUNT = 0.95  # a name read as a role's own field (Role.reads_as): the role's own name, if any, wins


@dataclass(frozen=True)
class CatalogueEntry:
    """One row of the field catalogue: a name (or a glob, or a Chinese fragment) and what it means."""

    name: str
    canonical: str  # a canonical field name, or IGNORED
    confidence: float
    match: str  # "name" (the whole name), "glob" (a pattern on the whole name), "part" (inside a longer name)
    source: str  # the standard or practice the name comes from
    meaning: str


def load_catalogue(path=None) -> tuple[CatalogueEntry, ...]:
    """The field catalogue (resources/fields/catalogue.csv unless `path` is given), rows in file order."""
    if path is None:
        from ..resources_path import resources_dir

        path = resources_dir() / "fields" / "catalogue.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(CatalogueEntry(row["name"], row["canonical"], float(row["confidence"]), row["match"] or "name",
                                    row["source"], row["meaning"]) for row in csv.DictReader(handle))


CATALOGUE = load_catalogue()


@dataclass(frozen=True)
class CanonicalField:
    """One entry of the vocabulary: name, meaning (English / Chinese), unit, kind; its names come from the
    catalogue (`aliases`: whole names, `keywords`: Chinese fragments suggesting it inside a longer name)."""

    name: str
    meaning: str
    meaning_zh: str
    unit: str
    kind: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...] = ()


def _f(name, meaning, meaning_zh, unit, kind):
    rows = [e for e in CATALOGUE if e.canonical == name]
    return CanonicalField(name, meaning, meaning_zh, unit, kind,
                          tuple(dict.fromkeys(e.name for e in rows if e.match == "name")),
                          tuple(dict.fromkeys(e.name for e in rows if e.match == "part")))


FIELDS: dict[str, CanonicalField] = {f.name: f for f in (
    _f("parcel_id", "parcel identifier", "地块编号", "", TEXT),
    _f("land_use", "land-use code (GB/T 21010, 2023 guide or GB 50137)", "用地性质", "", TEXT),
    _f("area_m2", "land area", "用地面积", "m²", NUMBER),
    _f("far", "floor area ratio", "容积率", "", NUMBER),
    _f("building_area", "total floor area", "建筑面积", "m²", NUMBER),
    _f("coverage", "building coverage", "建筑密度", "%", NUMBER),
    _f("floors", "storeys", "层数", "", NUMBER),
    _f("height", "building height", "建筑高度", "m", NUMBER),
    _f("tax", "annual tax paid", "年税收", "万元", NUMBER),
    _f("output", "annual output value / value added", "产值", "万元", NUMBER),
    _f("energy", "annual energy use", "能耗", "吨标煤", NUMBER),
    _f("employees", "employees", "从业人数", "人", NUMBER),
    _f("rd_spend", "R&D spending", "研发经费", "万元", NUMBER),
    _f("idle", "idle land (1 = idle)", "是否闲置", "", FLAG),
    _f("scale", "above / below designated size (规上 / 规下)", "企业规模", "", TEXT),
    _f("tenant", "tenant without land of its own (1 = tenant)", "是否租赁", "", FLAG),
    _f("production_start", "production start date (投产)", "投产日期", "date", DATE),
    _f("under_construction", "project under construction (1 = yes)", "是否在建", "", FLAG),
    _f("industry", "industry code (GB/T 4754)", "行业代码", "", TEXT),
    _f("owner", "owner / enterprise", "权利人", "", TEXT),
    _f("district", "district / town", "行政区", "", TEXT),
    _f("project_id", "expropriation project id", "项目编号", "", TEXT),
    _f("project_name", "project name", "项目名称", "", TEXT),
    _f("expropriation_date", "expropriation date (征迁)", "征迁日期", "date", DATE),
    _f("housing_start_date", "resettlement housing construction start", "安置房开工日期", "date", DATE),
    _f("housing_complete_date", "resettlement housing completion", "安置房竣工日期", "date", DATE),
    _f("resettled_date", "households resettled (moved back)", "完成安置日期", "date", DATE),
    _f("households", "households affected", "征迁户数", "户", NUMBER),
    _f("resettlement_plot_id", "resettlement plot id", "安置地块编号", "", TEXT),
    _f("plan_id", "upstairs plan id", "方案编号", "", TEXT),
    _f("declared_area", "declared land area", "申报面积", "m²", NUMBER),
    _f("ground_floor_height", "ground floor height", "首层层高", "m", NUMBER),
    _f("upper_floor_height", "upper floor height", "标准层层高", "m", NUMBER),
    _f("ground_floor_load", "ground floor load", "首层荷载", "kN/m²", NUMBER),
    _f("upper_floor_load", "upper floor load", "楼层荷载", "kN/m²", NUMBER),
    _f("lift_capacity", "freight lift capacity", "货梯载重", "t", NUMBER),
    _f("support_area", "support-space floor area (配套)", "配套面积", "m²", NUMBER),
    _f("support_land_area", "land occupied by support space (配套用地)", "配套用地面积", "m²", NUMBER),
    # land supply (批而未供 / 供而未用 / 闲置土地): approval batches and supplied parcels
    _f("batch_id", "approval batch id (批次)", "批次编号", "", TEXT),
    _f("batch_name", "approval batch name", "批次名称", "", TEXT),
    _f("approval_date", "approval date of the batch", "批准日期", "date", DATE),
    _f("supply_date", "supply date (contract signed or allocation decided)", "供地日期", "date", DATE),
    _f("agreed_start_date", "construction start agreed in the contract", "约定开工日期", "date", DATE),
    _f("agreed_complete_date", "completion agreed in the contract", "约定竣工日期", "date", DATE),
    _f("start_date", "actual construction start (动工)", "实际开工日期", "date", DATE),
    _f("complete_date", "actual completion", "实际竣工日期", "date", DATE),
    _f("stopped_date", "date construction stopped (中止开发)", "停工日期", "date", DATE),
    _f("developed_area", "area developed so far", "已开发面积", "m²", NUMBER),
    _f("planned_investment", "total investment agreed", "总投资", "万元", NUMBER),
    _f("completed_investment", "investment made so far", "已完成投资", "万元", NUMBER),
    _f("land_price", "land price (出让 or 划拨 price)", "土地价款", "万元", NUMBER),
    _f("government_delay", "delay caused by the government (1 = yes)", "政府原因", "", FLAG),
    _f("delay_reason", "cause of the delay", "闲置原因", "", TEXT),
    # cultivated land balance (耕地占补平衡): occupations, supplements and indicator transfers between counties
    _f("acceptance_date", "acceptance date of a supplement project (验收)", "验收日期", "date", DATE),
    _f("cultivated_area", "cultivated land occupied or newly added", "耕地面积", "m²", NUMBER),
    _f("paddy_area", "paddy field (水田) occupied or newly added", "水田面积", "m²", NUMBER),
    _f("quality_grade", "cultivated land quality grade (质量等别, 1 = best)", "质量等别", "", TEXT),
    _f("capacity", "grain production capacity (标准粮)", "粮食产能", "kg", NUMBER),
    _f("supplement_id", "supplement project(s) an occupation draws on (挂钩)", "补充耕地项目编号", "", TEXT),
    _f("from_county", "county giving the indicator", "调出方", "", TEXT),
    _f("to_county", "county receiving the indicator", "调入方", "", TEXT),
    _f("transfer_mu", "indicator quantity transferred", "调剂数量", "亩", NUMBER),
    _f("transfer_paddy_mu", "paddy indicator transferred", "调剂水田", "亩", NUMBER),
    _f("transfer_capacity", "capacity indicator transferred (标准粮)", "调剂产能", "kg", NUMBER),
    _f("unit_price", "price per 亩", "单价", "万元/亩", NUMBER),
    _f("funds", "funds paid", "协作资金", "万元", NUMBER),
    _f("transfer_date", "date of the transfer agreement", "调剂日期", "date", DATE),
    _f("transfer_type", "kind of indicator (cultivated / forest / grain-zone 代保)", "指标类型", "", TEXT),
    # 15-minute living circle: residential units, facilities, the walking network
    _f("population", "residents", "居住人口", "人", NUMBER),
    _f("facility_type", "public service facility type (GB 50180-2018 附录B)", "设施类型", "", TEXT),
    _f("road_class", "road class (walkable or not, by the profile)", "道路等级", "", TEXT),
    _f("road_level", "level of a road (OSM layer: 1 a bridge, -1 a tunnel, 0 the ground)", "道路层级", "", NUMBER),
    _f("road_bridge", "bridge (1 = yes; OSM bridge=yes, Geofabrik T)", "是否桥梁", "", FLAG),
    _f("road_tunnel", "tunnel (1 = yes; OSM tunnel=yes, Geofabrik T)", "是否隧道", "", FLAG),
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
    # canonical fields whose names mean one of the role's own here: a plan's 用地面积 is its declared land area
    reads_as: tuple[tuple[str, str], ...] = field(default=())


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("parcels", "Parcels", "地块", "polygon", ("parcel_id",),
         ("land_use", "area_m2", "far", "building_area", "coverage", "tax", "output", "energy", "employees",
          "rd_spend", "idle", "owner", "district", "scale", "tenant", "production_start", "under_construction",
          "industry")),
    Role("buildings", "Buildings", "建筑", "polygon", (), ("floors", "height", "parcel_id")),
    Role("resettlement_projects", "Resettlement projects", "征迁安置项目", "point_or_polygon",
         ("project_id", "expropriation_date"),
         ("project_name", "housing_start_date", "housing_complete_date", "resettled_date", "households",
          "resettlement_plot_id", "district")),
    Role("resettlement_plots", "Resettlement plots", "安置地块", "polygon", ("resettlement_plot_id",), ("district",)),
    Role("upstairs_plans", "Industrial-upstairs plans", "工业上楼方案", "polygon", ("plan_id",),
         ("declared_area", "building_area", "far", "height", "floors", "ground_floor_height", "upper_floor_height",
          "ground_floor_load", "upper_floor_load", "lift_capacity", "support_area", "support_land_area", "district",
          "land_use"),
         reads_as=(("area_m2", "declared_area"),)),
    Role("farmland", "Permanent basic farmland", "永久基本农田", "polygon", ()),
    Role("redline", "Ecological red line", "生态保护红线", "polygon", ()),
    Role("urban_boundary", "Urban development boundary", "城镇开发边界", "polygon", ()),
    Role("landuse", "Land use", "用地现状/规划", "polygon", ("land_use",)),
    Role("approval_batches", "Approval batches", "报批批次", "polygon", ("batch_id", "approval_date"),
         ("batch_name", "district")),
    Role("land_supply", "Supplied parcels", "供地宗地", "polygon", ("parcel_id", "agreed_start_date"),
         ("supply_date", "agreed_complete_date", "start_date", "complete_date", "stopped_date", "area_m2",
          "developed_area", "planned_investment", "completed_investment", "land_price", "government_delay",
          "delay_reason", "batch_id", "owner", "district", "land_use", "project_name")),
    Role("farmland_occupations", "Cultivated land occupations", "占用耕地项目", "polygon",
         ("district", "approval_date"),
         ("project_id", "project_name", "cultivated_area", "paddy_area", "quality_grade", "supplement_id")),
    Role("farmland_supplements", "Cultivated land supplements", "补充耕地项目", "polygon",
         ("district", "acceptance_date"),
         ("project_id", "project_name", "cultivated_area", "paddy_area", "quality_grade", "capacity")),
    Role("indicator_transfers", "Indicator transfers", "指标调剂", "any",
         ("from_county", "to_county", "transfer_date"),
         ("transfer_mu", "transfer_paddy_mu", "transfer_capacity", "unit_price", "funds", "transfer_type",
          "project_id")),
    Role("residential", "Residential units", "居住单元", "point_or_polygon", (),
         ("population", "households", "district")),
    Role("facilities", "Public service facilities", "公共服务设施", "point_or_polygon", ("facility_type",),
         ("district",)),
    Role("roads", "Walking network (roads)", "道路", "line", (), ("road_class", "road_level", "road_bridge",
                                                                   "road_tunnel")),
)}

# Traditional characters of field names, read as their simplified forms (容積率 = 容积率): NFKC does not fold them.
_TRADITIONAL = str.maketrans(dict(zip(
    "積築層數編號塊權質徵遷區縣稅產業總設計規劃開發標準載貨戶農態護紅線鎮邊樓類碼別項稱閒壓價點據圖單屬關係級億萬當實際測廠庫儲時間補償鄉綠額員職從經費構蓋場園車與為擁棟幢層樑竣",
    "积筑层数编号块权质征迁区县税产业总设计规划开发标准载货户农态护红线镇边楼类码别项称闲压价点据图单属关系级亿万当实际测厂库储时间补偿乡绿额员职从经费构盖场园车与为拥栋幢层梁竣")))


def simplified(name: str) -> str:
    """NFKC (full-width letters, ㎡ → m2) and traditional characters folded to simplified."""
    return unicodedata.normalize("NFKC", str(name)).translate(_TRADITIONAL)


def normalise(name: str) -> str:
    """Compare field names the way a person reads them: NFKC, simplified characters, case-free, without spaces,
    dashes, underscores and brackets."""
    return re.sub(r"[\s_\-（）()]+", "", simplified(name).strip().lower())


def _index(entries) -> dict[str, tuple[CatalogueEntry, ...]]:
    """{normalised name: its catalogue rows, in file order}. A name has several rows only when it means different
    fields on layers of different roles (开工日期: the resettlement housing start on a project, the actual start of
    construction on a supplied parcel); no role may hold two of them (tests/unit/test_field_catalogue.py)."""
    index: dict[str, tuple[CatalogueEntry, ...]] = {}
    for entry in entries:
        index[normalise(entry.name)] = index.get(normalise(entry.name), ()) + (entry,)
    return index


def _first_allowed(entries, allowed) -> CatalogueEntry | None:
    """The first of a name's catalogue rows the role allows (without a role: the first row)."""
    return next((entry for entry in entries or () if allowed(entry)), None)


_NAMES = _index(e for e in CATALOGUE if e.match == "name")
_GLOBS = tuple((simplified(e.name).lower(), e) for e in CATALOGUE if e.match == "glob")
# Chinese fragments that suggest a field inside a longer name: the `part` rows and every Chinese whole name
# (an ignored one too: 地下层数 inside 地下层数合计 keeps the field away from `floors`).
_PARTS = tuple((simplified(e.name), e) for e in CATALOGUE if e.match == "part" or (
    e.match == "name" and not e.name.isascii()))

_UNIT_NOTE = re.compile(r"\s*[(\[【（［]([^()\[\]【】（）［］]*)[)\]】）］]\s*$")  # "(m²)", "（亩）", "【万元】"
# units written straight after a Chinese name: 面积亩
_SUFFIX_UNITS = ("万平方米", "平方米", "公顷", "公頃", "万元", "亩", "畝")
_EXPORT_SUFFIX = re.compile(r"^(.+?)_\d{1,2}$")  # ArcGIS export / join duplicates: RJL_1, 用地面积_12
_QUALIFIED = re.compile(r"^.+[_.:](.+)$")  # a joined table's field: 楼栋_层数, buildings.Floor


def unit_in_name(layer_field: str) -> tuple[str, str]:
    """(the name without its unit, the unit as written) — ("用地面积", "亩") for 用地面积（亩）; a note that is not a
    known unit ("容积率(%)", "面积(合计)") stays a note: (name without it, note). ("name", "") without a unit."""
    text = str(layer_field).strip()
    note = _UNIT_NOTE.search(text)
    if note and note.start() > 0:
        return text[:note.start()].strip(), note.group(1).strip()
    head, sep, tail = text.rpartition("_")
    if sep and head and unit_key(tail) in UNIT_SPELLINGS:
        return head, tail
    for unit in _SUFFIX_UNITS:
        if text.endswith(unit) and len(text) > len(unit) + 1 and not text[-len(unit) - 1].isascii():
            return text[:-len(unit)], unit
    return text, ""


def unit_conversion(layer_field: str, canonical: str) -> tuple[str, float] | None:
    """(unit, factor) when the name carries a unit that converts to the canonical field's unit — ("亩", 666.67)
    for 用地面积（亩） as area_m2, ("元", 0.0001) for 税收(元) as tax; None without one or when it does not convert
    (the name's unit measures something else: the values are read as they are and the log says so)."""
    unit = unit_in_name(layer_field)[1]
    canon = FIELDS.get(canonical)
    if not unit or canon is None:
        return None
    factor = conversion_factor(unit, canon.unit)
    return (unit, factor) if factor is not None else None


@dataclass(frozen=True)
class Match:
    """A layer field proposed for a canonical field, how sure the detection is and how it read the name."""

    canonical: str
    field: str
    confidence: float  # 0 … 1
    how: str  # "name", "unit", "export", "qualified", "glob", "truncated", "part", "values"
    source: str = ""  # the catalogue row's standard
    unit: str = ""  # the unit written in the name, "" when none
    factor: float | None = None  # values × factor are in the canonical unit; None: no conversion known
    values: str = ""  # "fit" / "misfit" when a sample of the values confirmed / contradicted the name
    alternatives: tuple[str, ...] = ()  # other layer fields that read as the same canonical field

    @property
    def ambiguous(self) -> bool:
        """Asked in the load panel and logged in Processing. A name cut at 10 bytes always is: values that fit
        (numbers for an area) cannot give back the unit the cut took (用地面积（亩） kept as 用地面积（)."""
        return self.confidence < AMBIGUOUS_BELOW or bool(self.alternatives) or self.how == "truncated"


@dataclass(frozen=True)
class FieldDetection:
    """What `detect_fields` found: the matches by canonical name and the known fields no analysis reads."""

    matches: dict[str, Match]
    ignored: tuple[str, ...] = ()

    def field_map(self) -> dict[str, str]:
        return {canon: match.field for canon, match in self.matches.items()}

    def ambiguous(self) -> list[Match]:
        return [match for match in self.matches.values() if match.ambiguous]


@dataclass(frozen=True)
class _Reading:
    entry: CatalogueEntry
    confidence: float
    how: str
    stage: int
    length: int = 0  # of a fragment: longer is more specific


_STAGE = {"name": 0, "unit": 1, "glob": 2, "export": 2, "qualified": 2, "truncated": 3, "part": 4, "values": 5}


def _whole_name(name: str, allowed) -> tuple[CatalogueEntry, str] | None:
    """The catalogue row of a whole name, read as is, by a glob, without an export suffix or a join qualifier."""
    entry = _first_allowed(_NAMES.get(normalise(name)), allowed)
    if entry is not None:
        return entry, "name"
    lowered = simplified(name).strip().lower()
    for pattern, entry in _GLOBS:
        if fnmatch.fnmatchcase(lowered, pattern) and allowed(entry):
            return entry, "glob"
    for how, pattern in (("export", _EXPORT_SUFFIX), ("qualified", _QUALIFIED)):
        found = pattern.match(str(name).strip())
        entry = _first_allowed(_NAMES.get(normalise(found.group(1))), allowed) if found else None
        if entry is not None:
            return entry, how
    return None


# A cut name is always asked: the unit written after it may be lost (用地面积（亩） kept as 用地面积（ in GBK).
_DISCOUNT = {"name": 1.0, "unit": 1.0, "glob": 1.0, "export": 0.9, "qualified": 0.85, "truncated": 0.7}
_CUT = re.compile(r"[\ufffd\udc80-\udcff]+$")  # the undecodable end of a multi-byte character cut in two
_OPEN_NOTE = re.compile(r"\s*[(\[【（［][^()\[\]【】（）［］]*$")  # a unit note cut before its closing bracket


def _truncated(name: str, allowed) -> CatalogueEntry | None:
    """A name cut at the 10 bytes a shapefile (DBF) keeps — 建筑面 (UTF-8), BUILDING_A: the catalogue names it
    begins, when they all mean one field and are too long for 10 bytes in that encoding."""
    text = _CUT.sub("", str(name)).strip()
    key = normalise(text)
    if len(key) < 3:
        return None
    for encoding in ("utf-8", "gbk"):
        try:
            size = len(text.encode(encoding))
        except UnicodeEncodeError:
            continue
        if not 8 <= size <= 10:
            continue
        longer = [e for k, entries in _NAMES.items() if k.startswith(key) and k != key
                  for e in entries if allowed(e) and len(e.name.encode(encoding, errors="replace")) > 10]
        if longer and len({e.canonical for e in longer}) == 1:
            return max(longer, key=lambda e: e.confidence)
    return None


def _fragment(name: str, allowed) -> tuple[CatalogueEntry, int] | None:
    """The fragment found furthest right in a Chinese name, longest first: a name ends with what it is
    (征迁户数量 is a count, not a date; 配套用房建筑面积 is support space, not the building area)."""
    text = simplified(name)
    found = [(pos + len(part), len(part), -n, entry) for n, (part, entry) in enumerate(_PARTS)
             if allowed(entry) and (pos := text.rfind(part)) >= 0]
    if not found:
        return None
    _, length, _, entry = max(found, key=lambda f: f[:3])
    return entry, length


def _read_name(layer_field: str, allowed) -> _Reading | None:
    """How one layer field's name reads: the first rule that gives a catalogue row the role allows. A name that
    ends cut (an unclosed unit note, half a character) is read as cut, whatever it begins with."""
    text = unicodedata.normalize("NFKC", str(layer_field)).strip()
    cut = _OPEN_NOTE.sub("", _CUT.sub("", text)).strip()
    if cut != text:
        found = _whole_name(cut, allowed) if cut else None
        entry = found[0] if found else _truncated(cut, allowed)
        if entry is not None:
            return _Reading(entry, entry.confidence * _DISCOUNT["truncated"], "truncated", _STAGE["truncated"])
        layer_field = cut
    base, unit = unit_in_name(layer_field)
    for name, unit_stage in ((layer_field, False), (base, True)):
        if unit_stage and not unit:
            continue
        found = _whole_name(name, allowed)
        if found is not None:
            entry, how = found
            how = "unit" if unit_stage and how == "name" else how
            return _Reading(entry, entry.confidence * _DISCOUNT[how], how, _STAGE[how])
    entry = _truncated(base, allowed)
    if entry is not None:
        return _Reading(entry, entry.confidence * _DISCOUNT["truncated"], "truncated", _STAGE["truncated"])
    if base and not str(base).isascii():
        found = _fragment(base, allowed)
        if found is not None:
            entry, length = found
            confidence = entry.confidence * min(0.9, 0.5 + 0.1 * length)
            return _Reading(entry, confidence, "part", _STAGE["part"], length)
    return None


def detect_fields(layer_fields: list[str], role: str | None = None, samples: dict | None = None) -> FieldDetection:
    """Propose a canonical field for the layer's fields, each with a confidence.

    A name is read, in this order, as a catalogue name (case, width, spaces, underscores, traditional characters
    do not matter), the same followed by a unit (用地面积（亩）, 税收_元), a glob row (`*_Floor`, `FID_*`), an ArcGIS
    export or join name (RJL_1, 楼栋_层数), a shapefile name cut at 10 bytes (建筑面, BUILDING_A), and, for a
    Chinese name, the catalogue fragment furthest right in it (地上建筑面积 → building_area). `samples`
    {layer field: some of its values} lets the values confirm or contradict the name (land-use codes, whole
    numbers of storeys, dates, numbers) and propose a land-use column by its values alone. Each layer field is
    used at most once, each canonical field at most once — the surest reading first; with a role, only its fields.
    """
    wanted = None if role is None else set(ROLES[role].required) | set(ROLES[role].optional)
    reads_as = dict(ROLES[role].reads_as) if role is not None else {}

    def allowed(entry: CatalogueEntry) -> bool:
        return entry.canonical == IGNORED or wanted is None or entry.canonical in wanted or entry.canonical in reads_as

    samples = samples or {}
    readings, ignored = [], []
    for order, layer_field in enumerate(layer_fields):
        reading = _read_name(layer_field, allowed)
        if reading is not None and reading.entry.canonical == IGNORED:
            ignored.append(layer_field)
            continue
        if reading is not None and reading.entry.canonical in reads_as:  # 用地面积 on a plan layer: declared_area
            entry = replace(reading.entry, canonical=reads_as[reading.entry.canonical])
            reading = replace(reading, entry=entry, confidence=reading.confidence * READS_AS_DISCOUNT)
        if reading is not None:
            fit = _values_fit(reading.entry.canonical, samples.get(layer_field))
            confidence = reading.confidence
            if fit == "fit":  # a fifth of the way to certain: a weak name gains, the order of names stays
                confidence += (1.0 - confidence) * 0.2
            elif fit == "misfit" and reading.how == "part":  # 申报单位 holds names: not the declared area
                continue
            elif fit == "misfit":
                confidence *= 0.5
            readings.append((-confidence, reading.stage, -reading.length, order, reading, confidence, fit))
    claimed = {r[4].entry.canonical for r in readings} | set(ignored)
    readings += _value_readings(layer_fields, samples, wanted, claimed, {layer_fields[r[3]] for r in readings})
    matches: dict[str, Match] = {}
    used: set[str] = set()
    for _, _, _, order, reading, confidence, fit in sorted(readings, key=lambda r: r[:4]):
        canon, layer_field = reading.entry.canonical, layer_fields[order]
        if layer_field in used:
            continue
        if canon in matches:
            first = matches[canon]
            if confidence >= first.confidence - ALTERNATIVE_WITHIN:
                matches[canon] = _with_alternative(first, layer_field)
            continue
        conversion = unit_conversion(layer_field, canon)
        unit = unit_in_name(layer_field)[1] if reading.how not in ("truncated",) else ""
        matches[canon] = Match(canon, layer_field, round(confidence, 3), reading.how, reading.entry.source,
                               unit if unit and (conversion or unit_key(unit) in UNIT_SPELLINGS) else "",
                               conversion[1] if conversion else None, fit)
        used.add(layer_field)
    return FieldDetection(matches, tuple(ignored))


def _with_alternative(match: Match, other: str) -> Match:
    return replace(match, alternatives=match.alternatives + (other,))


def detect_field_map(layer_fields: list[str], role: str | None = None, samples: dict | None = None) -> dict[str, str]:
    """{canonical name: layer field} as `detect_fields` proposes it."""
    return detect_fields(layer_fields, role, samples).field_map()


# --- values ---------------------------------------------------------------------------------------------------
MIN_SAMPLE = 3  # fewer non-empty values say nothing
_DATE_TEXT = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*\d{1,2})?"  # 2024-03-01, 2024年3月
                        r"|^\s*(19|20)\d{2}(0[1-9]|1[0-2])\d{2}\s*$")  # 20240301
_STOREYS_TEXT = re.compile(r"^\s*(\d{1,3})(\.0+)?\s*(层|F|f)?\s*$")
_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?\s*$")


def _present(values) -> list:
    return [v for v in (values or []) if v is not None and not (isinstance(v, float) and v != v) and str(v).strip()]


# Chinese land-use names without 地 (工业用地, 耕地 and 绿地 have it); a district (萧山区) or an owner is not one.
_LAND_USE_WORDS = ("住宅", "商业", "商服", "工业", "仓储", "物流", "公园", "广场", "水域", "设施", "交通", "园地")


def _looks_like_land_use(value) -> bool:
    from .land_use_codes import is_code, normalise_code

    text = str(value).strip()
    if not text.isascii():
        return len(text) <= 16 and ("地" in text or text.endswith(_LAND_USE_WORDS))
    code = normalise_code(value) or ""
    return is_code(code) and code.strip("0") != ""


def _is_storeys(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return float(value).is_integer() and 0 <= value <= 200
    found = _STOREYS_TEXT.match(unicodedata.normalize("NFKC", str(value)))
    return found is not None and int(found.group(1)) <= 200


def _is_date(value) -> bool:
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return bool(_DATE_TEXT.match(unicodedata.normalize("NFKC", str(value))))


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return bool(_NUMBER_TEXT.match(unicodedata.normalize("NFKC", str(value)))) and any(c.isdigit() for c in str(value))


def _values_fit(canonical: str, values) -> str:
    """'fit' when most of the sample has the shape the canonical field holds, 'misfit' when most has not, ''
    when the sample is too small or the field's values have no telling shape (names, ids)."""
    present = _present(values)
    if len(present) < MIN_SAMPLE:
        return ""
    kind = FIELDS[canonical].kind
    test = {"land_use": _looks_like_land_use, "floors": _is_storeys}.get(canonical) or \
        {DATE: _is_date, NUMBER: _is_number}.get(kind)
    if test is None:
        return ""
    share = sum(1 for v in present if test(v)) / len(present)
    return "fit" if share >= 0.8 else "misfit" if share < 0.5 else ""


def _value_readings(layer_fields, samples, wanted, claimed, named) -> list:
    """Readings from the values alone, for fields whose names say nothing: a column of land-use codes (codes
    repeat, ids do not) and, on a buildings layer, a column of small whole numbers (storeys). Never sure."""
    found = []
    for order, layer_field in enumerate(layer_fields):
        present = _present(samples.get(layer_field))
        if layer_field in named or layer_field in claimed or len(present) < 5:
            continue
        distinct = len({str(v) for v in present})
        for canon, test, confidence, needs in (
                # codes repeat, ids do not (1001, 1002 … look like codes); Chinese land-use names are never ids
                ("land_use", _looks_like_land_use, 0.5,
                 distinct <= len(present) / 2 or not any(str(v).isascii() for v in present)),
                ("floors", lambda v: _is_storeys(v) and not isinstance(v, str) and v >= 1, 0.4,
                 wanted is not None and wanted == set(ROLES["buildings"].optional) and distinct > 1)):
            if canon in claimed or (wanted is not None and canon not in wanted) or not needs:
                continue
            if all(test(v) for v in present):
                entry = CatalogueEntry(layer_field, canon, confidence, "values", "values", "")
                found.append((-confidence, _STAGE["values"], 0, order, _Reading(entry, confidence, "values", 5),
                              confidence, "fit"))
                break
    return found


def guess_role(layer_fields: list[str], geometry: str, layer_name: str = "") -> str | None:
    """Guess a layer's role from its name, geometry and which role's fields it carries best. Fields the layer
    carries that a role never has count against it (a plan layer with 方案编号, 容积率 is not buildings)."""
    for role in sorted(ROLES.values(), key=lambda r: -len(r.label_zh)):  # "安置地块" before "地块"
        if role.label_zh in layer_name or role.name in layer_name.lower():
            return role.name
    carried = set(detect_field_map(layer_fields))
    best, best_score = None, 0.0
    for role in ROLES.values():
        if role.geometry in ("polygon", "line") and geometry not in (role.geometry, "unknown"):
            continue
        if not role.required and not role.optional:
            continue
        found = detect_field_map(layer_fields, role.name)
        if not all(r in found for r in role.required):
            continue
        if not role.required and not set(found) - {"district"}:
            continue  # a district name alone says nothing of a layer's role: 行政区划 outlines are no residential units
        foreign = carried - set(role.required) - set(role.optional)
        score = len(found) + 2 * len(role.required) - 2 * len(foreign)
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
