"""Land-use codes: the three code systems as data, which system a layer's values are in, and what each value means.

The code tables live in `resources/land_use/` (one CSV per system: code, Chinese name, English name, family; and
`crosswalk.csv`, equivalent codes across the systems); this module is the one place that reads them.

  gbt21010   GB/T 21010-2017 土地利用现状分类 (三调, the national survey; with the survey's working codes 05H1,
             0508, 08H1, 08H2 and the K/A suffixes of 可调整 / 养殖 land): 0601 工业用地, 1001 铁路用地, 1101 河流水面
  guide2023  《国土空间调查、规划、用途管制用地用海分类指南》(2023): 0601 农村道路, 1001 工业用地, 1101 物流仓储用地
  gb50137    GB 50137-2011 城市用地分类与规划建设用地标准: M/M1/M2/M3 工业用地, W 物流仓储用地, R, A, B, S, U, G, H, E

The same code means different things in different systems (1001: railway in 三调, industrial land in the guide),
so a value is never read without its system. `read_land_use` finds the system of a whole layer from its values:
for each system, the share of the (non-empty) values it recognises — codes, names (工业用地, 二类工业用地),
traditional characters (工業用地), numbers that lost their leading zero (601 → 0601), "0601 工业用地". The system
recognising the most wins. When several recognise exactly as many and read some value differently (a layer of
"1001" only), nothing is guessed: `LandUseSystemError` asks for the system. When they read every value alike
(工业用地 is industrial land in all three) the first in `SYSTEMS` order is used and the others are named.

Each code has a *family* (industrial, warehouse, mining, residential, public, commercial, transport, utilities,
green, water, agriculture, special, reserved, sea, other): what an analysis asks ("is this industrial land?") is
asked of the family, so `M`, `M1`, `0601` (三调) and `1001` (guide) are industrial land everywhere.

Rule tables keyed by code (the profile's `min_far`, `target_far`) are read in the layer's system with
`lookup`: the longest key that is a code of the system and a prefix of the value's code; else a key of another
system whose crosswalk equivalent is such a prefix (the profile's `M2` gives the guide's 100102 its value); else a
family key ("industrial"); else `default`. Qt-free like the rest of `analysis`.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import InputError
from .efficiency_reading import per_value
from .messages import QT_TRANSLATE_NOOP, Message

DEFAULT_KEY = "default"  # the rule-table entry for codes without their own
CONTEXT = "landuse"

AUTO, GBT21010, GUIDE2023, GB50137 = "auto", "gbt21010", "guide2023", "gb50137"
SYSTEMS = (GBT21010, GUIDE2023, GB50137)  # also the order of preference when every value reads alike
SYSTEM_NAMES = {
    GBT21010: QT_TRANSLATE_NOOP("landuse", "GB/T 21010-2017 current land use (third national survey)"),
    GUIDE2023: QT_TRANSLATE_NOOP("landuse", "land and sea use classification guide (2023)"),
    GB50137: QT_TRANSLATE_NOOP("landuse", "GB 50137-2011 urban land classification"),
}
FAMILIES = ("industrial", "mining", "warehouse", "residential", "public", "commercial", "transport", "utilities",
            "green", "water", "agriculture", "special", "reserved", "sea", "other")
INDUSTRIAL, WAREHOUSE, MINING = "industrial", "warehouse", "mining"

# Traditional → simplified for the characters of the code tables' names (工業用地 → 工业用地).
_TRADITIONAL = str.maketrans(
    "業設農產礦鹽倉儲庫運輸鐵軌場機碼頭線網點電氣熱環衛廣綠園鎮區務貿資醫療體學圖書館藝術會鄉關團聞類級喬叢澤樹"
    "紅灘塗溝積礫鹼閒間養層職兒殘樂賓飲發營劇廠車對給郵視護開軍領監殯陸漁島纜橋風遊娛復傾後備專門險傳樞紐應築莊"
    "種處與為質調規劃國現狀標準論製壓節態園戶蓄計電訊陣攤遺跡歷廟蹟衝號內淺",
    "业设农产矿盐仓储库运输铁轨场机码头线网点电气热环卫广绿园镇区务贸资医疗体学图书馆艺术会乡关团闻类级乔丛泽树"
    "红滩涂沟积砾碱闲间养层职儿残乐宾饮发营剧厂车对给邮视护开军领监殡陆渔岛缆桥风游娱复倾后备专门险传枢纽应筑庄"
    "种处与为质调规划国现状标准论制压节态园户蓄计电讯阵摊遗迹历庙迹冲号内浅")
_DECIMAL = re.compile(r"\d+\.0+")
_CJK = r"\u3400-\u9fff"
_CODE_THEN_NAME = re.compile(rf"([0-9A-Z]{{1,6}})[\s:：_\-、.]*([{_CJK}].*)")
_NAME_THEN_CODE = re.compile(rf"(.*[{_CJK}])[\s(（\[【:：_\-]*([0-9A-Z]{{1,6}})[)）\]】]?")
_SURVEY_SUFFIX = re.compile(r"(\d{4})[KA]")  # 三调: 0201K 可调整果园, 1104A 养殖坑塘


@dataclass(frozen=True)
class Code:
    """One row of a code table."""

    system: str
    code: str
    name_zh: str
    name_en: str
    family: str

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese else self.name_en


class CodeSystem:
    """One system's codes, and its names as a second way in (a name used twice — GB 50137's 住宅用地 under R1, R2
    and R3 — stands for its shortest code; they share the family)."""

    def __init__(self, key: str, codes: list[Code]):
        self.key = key
        self.codes = {code.code: code for code in codes}
        self.names: dict[str, Code] = {}
        for code in sorted(codes, key=lambda c: (len(c.code), c.code)):
            self.names.setdefault(_name_key(code.name_zh), code)
        for code in sorted(codes, key=lambda c: (len(c.code), c.code)):  # 工业 for 工业用地, after every full name
            if code.name_zh.endswith("用地") and len(code.name_zh) > 3:
                self.names.setdefault(_name_key(code.name_zh[:-2]), code)

    def read(self, value: str) -> Code | None:
        """The code a normalised value stands for in this system: a code, a name, or both ("0601 工业用地",
        "工业用地(0601)"; the code decides); None when the system does not know it."""
        found = self._code(value) or self.names.get(_name_key(value))
        if found is not None:
            return found
        match = _CODE_THEN_NAME.fullmatch(value)
        if match:
            return self._both(match.group(1), match.group(2))
        match = _NAME_THEN_CODE.fullmatch(value)
        if match:
            return self._both(match.group(2), match.group(1))
        return None

    def _both(self, code_text: str, name: str) -> Code | None:
        """A value with a code and a name: the code, when the name does not say otherwise (in the guide,
        "0601 工业用地" is no value: its 0601 is a rural road)."""
        code, named = self._code(code_text), self.names.get(_name_key(name))
        if code is not None and named is not None and code.family != named.family:
            return None
        return code or named

    def _code(self, value: str) -> Code | None:
        found = self.codes.get(value)
        if found is None and self.key == GBT21010:
            match = _SURVEY_SUFFIX.fullmatch(value)
            found = self.codes.get(match.group(1)) if match else None
        return found


def _name_key(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_TRADITIONAL).replace("其它", "其他")


@lru_cache(maxsize=1)
def systems() -> dict[str, CodeSystem]:
    """The three code tables, read once from resources/land_use."""
    from ..resources_path import resources_dir

    folder = resources_dir() / "land_use"
    loaded = {}
    for key in SYSTEMS:
        with open(folder / f"{key}.csv", encoding="utf-8", newline="") as handle:
            rows = [Code(key, row["code"].strip().upper(), row["name_zh"].strip(), row["name_en"].strip(),
                         row["family"].strip()) for row in csv.DictReader(handle)]
        loaded[key] = CodeSystem(key, rows)
    return loaded


@lru_cache(maxsize=1)
def crosswalk() -> tuple[dict[str, str], ...]:
    """Rows of equivalent codes {system: code} (a blank cell: no equivalent in that system)."""
    from ..resources_path import resources_dir

    with open(resources_dir() / "land_use" / "crosswalk.csv", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return tuple({k: v.strip().upper() for k, v in row.items() if v and v.strip()} for row in rows)


def equivalents(code: str, source: str, target: str) -> tuple[str, ...]:
    """The codes of `target` the crosswalk gives for `code` of `source` (in table order, no repeats)."""
    found = [row[target] for row in crosswalk() if row.get(source) == code and target in row]
    return tuple(dict.fromkeys(found))


# --- values ---------------------------------------------------------------------------------------------------

def normalise_code(value) -> str | None:
    """A value as comparable text: NFKC (full-width digits), trimmed, upper case, "601.0" → "601", and an
    all-digit value of odd length gets its leading zero back (spreadsheets store "0601" as the number 601; every
    numeric code has an even number of digits). None when blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if _DECIMAL.fullmatch(text):
        text = text.split(".")[0]
    if text.isdigit() and len(text) % 2 == 1:
        text = "0" + text
    return text or None


def normalise_codes(raw: pd.Series) -> pd.Series:
    """`normalise_code` per value; missing where blank."""
    return per_value(raw, normalise_code)


def is_code(value: str, system: str | None = None) -> bool:
    """Whether a normalised value is a code (not a name) of `system`, or of any system."""
    keys = (system,) if system else SYSTEMS
    return any(systems()[key]._code(value or "") is not None for key in keys)


def code_in(system: str, value) -> Code | None:
    """What a raw value stands for in `system` (None: blank or unknown there)."""
    text = normalise_code(value)
    return systems()[system].read(text) if text else None


# --- which system a layer is in -------------------------------------------------------------------------------

class LandUseSystemError(InputError, ValueError):
    """The land-use values cannot be read without the user's word: the field is missing or empty, no system
    recognises its values, or two systems recognise them equally and disagree on what some value means."""

    context = CONTEXT


@dataclass(frozen=True)
class Detection:
    """The system a layer's values are read in: `system`, whether the user `given` it, each system's share of
    the non-empty values it recognises, and `alike`: other systems that recognise as many and read them the same."""

    system: str
    given: bool
    shares: dict
    alike: tuple[str, ...] = ()


@dataclass(frozen=True)
class LandUseReading:
    """Per row: `code` (the Code in the layer's system, None when blank or not recognised), `family` (None alike),
    and masks `missing` (blank) and `unrecognised` (a value the system does not know)."""

    detection: Detection
    code: pd.Series
    family: pd.Series
    missing: pd.Series
    unrecognised: pd.Series


def _examples(values, limit: int = 5) -> str:
    shown = [str(v) for v in list(values)[:limit]]
    return ", ".join(shown) + (" …" if len(values) > limit else "")


def detect_system(values: pd.Series, system: str = AUTO) -> Detection:
    """The system of a column of normalised values (see the module docstring); raises LandUseSystemError when it
    cannot be told, or when no value is a code or name of the chosen system."""
    counts = values.dropna().value_counts()
    total = int(counts.sum())
    readings = {key: {value: systems()[key].read(value) for value in counts.index} for key in SYSTEMS}
    shares = {key: (float(sum(n for value, n in counts.items() if readings[key][value] is not None) / total)
                    if total else 0.0) for key in SYSTEMS}
    if system != AUTO:
        if system not in SYSTEMS:
            raise LandUseSystemError(Message(QT_TRANSLATE_NOOP(
                "landuse", "unknown land-use code system {system}; known: auto, {known}"),
                system=system, known=", ".join(SYSTEMS)))
        if total and shares[system] == 0:
            raise LandUseSystemError(Message(QT_TRANSLATE_NOOP(
                "landuse", "no value is a code or name of {system}; values: {values}"),
                system=system, values=_examples(counts.index)))
        return Detection(system, True, shares)
    best = max(shares.values())
    if total and best == 0:
        raise LandUseSystemError(Message(QT_TRANSLATE_NOOP(
            "landuse", "no value is a land-use code or name of GB/T 21010-2017, the 2023 land and sea use guide "
                       "or GB 50137-2011; values: {values}"), values=_examples(counts.index)))
    tied = [key for key in SYSTEMS if shares[key] == best]
    first = tied[0]
    disputed = [value for value in counts.index
                if len({_family(readings[key][value]) for key in tied}) > 1]
    if disputed:
        meanings = "; ".join(
            f"{value}: " + ", ".join(f"{key} {readings[key][value].name_zh if readings[key][value] else '—'}"
                                     for key in tied) for value in disputed[:3])
        raise LandUseSystemError(Message(QT_TRANSLATE_NOOP(
            "landuse", "the land-use values are valid in several code systems that read them differently "
                       "({meanings}); choose the code system (parameter LAND_USE_SYSTEM: {systems})"),
            meanings=meanings, systems=", ".join(tied)))
    return Detection(first, False, shares, tuple(tied[1:]))


def _family(code: Code | None) -> str | None:
    return code.family if code is not None else None


def read_land_use(raw: pd.Series, system: str = AUTO, detection: Detection | None = None) -> LandUseReading:
    """Every value of a land-use column read in the layer's system (detected unless given). `detection`: the
    system as detected on the whole column, for a caller reading part of it (the live check): the part is read in
    it and not judged on its own (a part may hold no code of the system the whole column is in)."""
    text = normalise_codes(raw)
    detection = detection if detection is not None else detect_system(text, system)
    table = systems()[detection.system]
    positions, distinct = pd.factorize(text)  # each distinct text read once; missing: -1 (the last entry below)
    read = [table.read(value) if isinstance(value, str) else None for value in distinct] + [None]
    code = pd.Series(np.array(read, dtype=object)[positions], index=text.index, dtype=object)
    family = pd.Series(np.array([c.family if c is not None else None for c in read], dtype=object)[positions],
                       index=text.index, dtype=object)
    missing = text.isna()
    return LandUseReading(detection, code, family, missing, ~missing & code.isna())


# --- rule tables ----------------------------------------------------------------------------------------------

def is_table_key(key: str) -> bool:
    """Whether a rule-table key is usable: `default`, a family, or a code of some system."""
    text = str(key).strip()
    return text == DEFAULT_KEY or text.lower() in FAMILIES or is_code(normalise_code(text) or "")


def lookup(codes: pd.Series, system: str, table: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """(value, key) per row of `codes` (Code or None, in `system`) from a table keyed by codes, families and
    `default` (see the module docstring for the order); value NaN where even `default` is missing."""
    keys = {normalise_code(key) or "": key for key in table if key != DEFAULT_KEY and key.lower() not in FAMILIES}
    own = [k for k in keys if is_code(k, system)]
    walked: dict[str, str] = {}  # an equivalent code of `system` → the key of another system it comes from
    for k in keys:
        for other in SYSTEMS:
            if other != system and is_code(k, other):
                for equivalent in equivalents(k, other, system):
                    walked.setdefault(equivalent, keys[k])
    families = {key.lower(): key for key in table if key.lower() in FAMILIES}

    def key_of(code: Code | None) -> str:
        if code is None:
            return DEFAULT_KEY
        value = code.code
        found = longest_prefix(value, own)
        if found:
            return keys[found]
        found = longest_prefix(value, walked)
        if found:
            return walked[found]
        return families.get(code.family, DEFAULT_KEY)

    distinct: dict[tuple[str, str], str] = {}  # one search per distinct code, not per row (100k rows, ~20 codes)

    def cached(code: Code | None) -> str:
        if code is None:
            return DEFAULT_KEY
        value = (code.code, code.family)
        found = distinct.get(value)
        if found is None:
            found = distinct[value] = key_of(code)
        return found

    matched = per_object(codes, cached)
    return matched.map(table).astype(float), matched


def per_object(values: pd.Series, func) -> pd.Series:
    """`func` applied once per distinct object of an object column (told apart by identity: the rows of one code
    hold the same Code) and mapped back — a handful of calls instead of one per row, without hashing every Code. The
    identities are told apart by pandas' hash table (np.unique sorted them: twice the time at a million rows)."""
    objects = values.to_numpy(dtype=object)
    identity = np.fromiter(map(id, objects), dtype=np.uint64, count=len(objects))
    inverse, distinct = pd.factorize(identity)
    first = np.empty(len(distinct), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # each identity's first row
    results = np.empty(len(first), dtype=object)
    results[:] = [func(objects[i]) for i in first]
    return pd.Series(results[inverse], index=values.index, dtype=object)


def family_lookup(family: str, table: dict[str, float]) -> tuple[float, str]:
    """(value, key) for a row known only by its family (ALL_INDUSTRIAL): the family key, else `default`."""
    for key, value in table.items():
        if key.lower() == family:
            return float(value), key
    return float(table.get(DEFAULT_KEY, float("nan"))), DEFAULT_KEY


def longest_prefix(code: str, keys) -> str | None:
    """The longest of `keys` (compared trimmed, upper case) that `code` starts with, else None."""
    return next((key for key in sorted(keys, key=len, reverse=True) if code.startswith(key.strip().upper())), None)


def lookup_by_code(codes: pd.Series, table: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """(value, key) per normalised code text by the longest key prefix alone, else `default` — how a rule table
    reads to someone editing it (the rules editor's grey hints), without a system."""
    keys = [key for key in table if key != DEFAULT_KEY]
    matched = per_value(codes, lambda code: longest_prefix(code, keys) or DEFAULT_KEY)
    matched = matched.where(matched.notna(), DEFAULT_KEY)
    return matched.map(table).astype(float), matched


# --- names ----------------------------------------------------------------------------------------------------

SCOPE_HINT = (INDUSTRIAL, WAREHOUSE, MINING)  # whose meaning a bare rule-table key is shown in first


def meaning_of(code) -> Code | None:
    """What a rule-table key or code means, for showing it: in the first system where it is industrial,
    warehouse or mining land (the rule tables' subject: 1001 is the guide's 工业用地, not 三调's 铁路用地),
    else in the first system that has it; also a name ("工业用地"). None when no system knows it."""
    text = normalise_code(code)
    if not text:
        return None
    found = [systems()[key].read(text) for key in SYSTEMS]
    found = [c for c in found if c is not None]
    for code_ in found:
        if code_.family in SCOPE_HINT:
            return code_
    return found[0] if found else None


def name_of(code, chinese: bool = False) -> str:
    """The name of a code or rule-table key (see `meaning_of`), "" when unknown."""
    found = meaning_of(code)
    return found.name(chinese) if found is not None else ""


def system_name(system: str) -> str:
    """The (English, marked for translation in CONTEXT) name of a system key."""
    return SYSTEM_NAMES.get(system, system)
