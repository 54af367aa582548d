"""Names of the land-use codes the rule tables are keyed by, so a table reads "0601 工业用地", not a bare code.

The three code families of DOMAIN.md: the national survey GB/T 21010-2017 (06…), the 2023 用地用海分类指南
(10…, 11…) and the older planning code GB 50137-2011 (M, W). English source, marked for translation in the
context "landuse" (the Qt side translates with `translate_in`); Qt-free like the rest of `analysis`.
"""
from __future__ import annotations

from .messages import QT_TRANSLATE_NOOP

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
    code = str(code or "").strip().upper()
    known = next((key for key in sorted(NAMES, key=len, reverse=True) if code.startswith(key)), None)
    return NAMES[known] if known else ""
