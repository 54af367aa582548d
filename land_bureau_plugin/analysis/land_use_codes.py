"""Land-use codes: reading them as spreadsheets store them, finding the rule-table entry a code falls under, and
naming them, so a table reads "0601 工业用地", not a bare code.

The three code families of DOMAIN.md: the national survey GB/T 21010-2017 (06…), the 2023 用地用海分类指南
(10…, 11…) and the older planning code GB 50137-2011 (M, W). Rule tables (the profile's `min_far`, `target_far`)
are keyed by code prefixes plus a `default` entry; codes are compared normalised (trimmed, upper case, 601 →
"0601"). Names are English source, marked for translation in the context "landuse" (the Qt side translates with
`translate_in`); Qt-free like the rest of `analysis`.
"""
from __future__ import annotations

import re

import pandas as pd

from .efficiency_reading import per_value
from .messages import QT_TRANSLATE_NOOP

DEFAULT_KEY = "default"  # the rule-table entry for codes without their own
_CODE = re.compile(r"\d{2,6}|[A-Z]{1,2}\d{0,3}")  # GB/T 21010 and 2023 guide digits, GB 50137 letters

CONTEXT = "landuse"

NAMES: dict[str, str] = {
    "0601": QT_TRANSLATE_NOOP("landuse", "industrial land"),
    "0602": QT_TRANSLATE_NOOP("landuse", "mining land"),
    "0604": QT_TRANSLATE_NOOP("landuse", "warehouse land"),
    "1001": QT_TRANSLATE_NOOP("landuse", "industrial land"),
    "100101": QT_TRANSLATE_NOOP("landuse", "class 1 industrial land"),
    "100102": QT_TRANSLATE_NOOP("landuse", "class 2 industrial land"),
    "100103": QT_TRANSLATE_NOOP("landuse", "class 3 industrial land"),
    "1101": QT_TRANSLATE_NOOP("landuse", "logistics and warehouse land"),
    "M": QT_TRANSLATE_NOOP("landuse", "industrial land"),
    "M1": QT_TRANSLATE_NOOP("landuse", "class 1 industrial land"),
    "M2": QT_TRANSLATE_NOOP("landuse", "class 2 industrial land"),
    "M3": QT_TRANSLATE_NOOP("landuse", "class 3 industrial land"),
    "W": QT_TRANSLATE_NOOP("landuse", "logistics and warehouse land"),
}


def name_of(code: str) -> str:
    """The (English) name of a code, or of the longest listed code it starts with ("060101" → industrial land);
    "" when none fits. Codes are compared trimmed and upper-case."""
    known = longest_prefix(str(code or "").strip().upper(), NAMES)
    return NAMES[known] if known else ""


def longest_prefix(code: str, keys) -> str | None:
    """The longest of `keys` (compared trimmed, upper case) that the normalised `code` starts with, else None."""
    return next((key for key in sorted(keys, key=len, reverse=True) if code.startswith(key.strip().upper())), None)


def is_code(code: str) -> bool:
    """Whether a normalised value has the shape of a code of one of the three families ("工业用地" has not)."""
    return _CODE.fullmatch(code) is not None


def normalise_codes(raw: pd.Series) -> pd.Series:
    """Land-use codes as comparable text: trimmed, upper case, "601.0" → "0601"; missing where blank."""
    return per_value(raw, normalise_code)


def normalise_code(value) -> str | None:
    """Spreadsheets store "0601" as the number 601 and lose the leading zero; every numeric family (GB/T 21010,
    the 2023 guide) has codes of even length, so an odd-length all-digit code gets its zero back."""
    text = str(value).strip().upper()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if text.isdigit() and len(text) % 2 == 1:
        text = "0" + text
    return text or None


def lookup_by_code(codes: pd.Series, table: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """(value, key) per normalised code from a table keyed by land-use code prefixes: the longest key the code
    starts with wins ("100101" → "1001" when "100101" is absent), else `default` (value NaN when there is none)."""
    keys = [key for key in table if key != DEFAULT_KEY]
    matched = per_value(codes, lambda code: longest_prefix(code, keys) or DEFAULT_KEY)
    matched = matched.where(matched.notna(), DEFAULT_KEY)
    return matched.map(table).astype(float), matched


def industrial_families(table: dict[str, float]) -> tuple[str, ...]:
    """Code families the table's keys belong to: the first two digits of numeric codes ("0601" → "06"), the
    letter of GB 50137 codes ("M1" → "M")."""
    families = {key[:2] if key[:1].isdigit() else key[:1] for key in table if key != DEFAULT_KEY}
    return tuple(sorted(f.upper() for f in families))
