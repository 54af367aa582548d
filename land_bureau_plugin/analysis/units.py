"""Units the bureau reports in. 1 亩 = 10000/15 m² exactly; 1 ha = 15 亩; floor area in 万m²; money in 万元."""
from __future__ import annotations

M2_PER_MU = 10000.0 / 15.0
M2_PER_WAN_M2 = 10000.0


def m2_to_mu(m2):
    """Square metres to 亩 (works on scalars and numpy/pandas arrays)."""
    return m2 / M2_PER_MU


def mu_to_m2(mu):
    return mu * M2_PER_MU


def m2_to_wan_m2(m2):
    """Square metres to 万m² (10⁴ m²), the unit of floor-area totals in reports."""
    return m2 / M2_PER_WAN_M2


def with_unknown(text: str, unknown: int, words: str, *more: tuple[int, str]) -> str:
    """A sum as the bureau reads it, with what it leaves out: "8,089.0（4宗地价不明）" — `words` with {n} the number
    of values the sum could not add (`more`: further (number, words) pairs, joined with 、); the text unchanged when
    none is unknown. Every printed or reported sum that skips unknown values goes through here (the print themes'
    figures per district and in 合计, the subtitles' notes, the upstairs figures "133 宗，7,682 亩，1,423 万m²"), so a
    missing value is never read as a 0 added."""
    parts = [phrase.format(n=n) for n, phrase in ((unknown, words), *more) if n]
    return f"{text}（{'、'.join(parts)}）" if parts else text


# --- units written into field names ---------------------------------------------------------------------------
# A field called 用地面积（亩） holds 亩, 税收(元) holds 元: the value is converted to the canonical field's unit
# (area m², money 万元, lift capacity t, floor load kN/m², heights m) when it is read. Each spelling (compared
# NFKC, lower case, without spaces: "㎡" and "m²" are both "m2") → (dimension, factor to the dimension's base).
KN_PER_TONNE_FORCE = 9.80665  # 1 t/m² of floor load = 9.80665 kN/m²
# Traditional spellings (畝, 公頃, 萬元, 噸) read like the simplified ones; 万公斤 and 斤 are how grain capacity is
# written (标准粮); a price per area (单价(元/亩)) converts to 万元/亩, the transfers' unit price.
UNIT_SPELLINGS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("m2", "平方米", "平米", "sqm", "平方公尺"), ("area", 1.0)),
    **dict.fromkeys(("亩", "mu", "畝"), ("area", M2_PER_MU)),
    **dict.fromkeys(("万亩", "萬畝"), ("area", 10000.0 * M2_PER_MU)),
    **dict.fromkeys(("公顷", "ha", "hm2", "公頃"), ("area", 10000.0)),
    **dict.fromkeys(("万平方米", "万m2", "万平米", "萬平方米"), ("area", M2_PER_WAN_M2)),
    **dict.fromkeys(("平方公里", "平方千米", "km2"), ("area", 1_000_000.0)),
    **dict.fromkeys(("万元", "万", "萬元", "萬"), ("money", 1.0)),
    **dict.fromkeys(("元", "rmb", "cny", "yuan"), ("money", 1e-4)),
    **dict.fromkeys(("千元",), ("money", 0.1)),
    **dict.fromkeys(("亿元", "億元"), ("money", 10000.0)),
    **dict.fromkeys(("t", "吨", "噸"), ("mass", 1.0)),
    **dict.fromkeys(("kg", "公斤", "千克"), ("mass", 0.001)),
    **dict.fromkeys(("万公斤", "萬公斤", "万千克"), ("mass", 10.0)),
    **dict.fromkeys(("斤",), ("mass", 0.0005)),
    **dict.fromkeys(("万斤", "萬斤"), ("mass", 5.0)),
    **dict.fromkeys(("万元/亩", "萬元/畝"), ("price_area", 1.0)),
    **dict.fromkeys(("元/亩", "元/畝"), ("price_area", 1e-4)),
    **dict.fromkeys(("万元/公顷", "萬元/公頃"), ("price_area", 1.0 / 15.0)),
    **dict.fromkeys(("元/平方米", "元/m2"), ("price_area", 1e-4 * M2_PER_MU)),
    **dict.fromkeys(("kn/m2", "kpa", "千牛/平方米"), ("load", 1.0)),
    **dict.fromkeys(("t/m2", "吨/平方米"), ("load", KN_PER_TONNE_FORCE)),
    **dict.fromkeys(("kg/m2", "公斤/平方米"), ("load", KN_PER_TONNE_FORCE / 1000.0)),
    **dict.fromkeys(("m", "米"), ("length", 1.0)),
    **dict.fromkeys(("cm", "厘米"), ("length", 0.01)),
    **dict.fromkeys(("mm", "毫米"), ("length", 0.001)),
    **dict.fromkeys(("km", "公里", "千米"), ("length", 1000.0)),
}
# The unit each canonical unit stands for (the unit column of analysis.fields): its dimension and its factor.
CANONICAL_UNITS: dict[str, tuple[str, float]] = {
    "m²": ("area", 1.0), "万元": ("money", 1.0), "t": ("mass", 1.0), "kN/m²": ("load", 1.0), "m": ("length", 1.0),
    "亩": ("area", M2_PER_MU), "kg": ("mass", 0.001), "万元/亩": ("price_area", 1.0)}


def unit_key(text: str) -> str:
    """A unit spelling as UNIT_SPELLINGS keys it: NFKC ("㎡" → "m2", "²" → "2"), lower case, no spaces."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def conversion_factor(unit: str, canonical_unit: str) -> float | None:
    """What a value in `unit` is multiplied by to be in `canonical_unit` (亩 → m²: 10000/15); None when either is
    unknown or they measure different things (m for an area)."""
    found, target = UNIT_SPELLINGS.get(unit_key(unit)), CANONICAL_UNITS.get(canonical_unit)
    if found is None or target is None or found[0] != target[0]:
        return None
    return found[1] / target[1]
