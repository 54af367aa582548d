"""The CJK font of the printed layouts, with fallbacks.

The templates name Noto Sans CJK SC (Debian fonts-noto-cjk, installed by scripts/setup.sh). On a machine without
it, Qt is told to substitute the first installed font of `FALLBACKS` wherever the templates ask for it, so every
item (labels, legend, scale bar, tables) follows without rewriting the template. Without any CJK font the layout
still exports, and the caller gets a message saying what to install.
"""
from __future__ import annotations

from qgis.PyQt.QtGui import QFont, QFontDatabase

from ..i18n import tr

FAMILY = "Noto Sans CJK SC"
FALLBACKS = ("Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Noto Sans CJK JP", "Droid Sans Fallback")


def installed_families() -> set[str]:
    try:
        families = QFontDatabase.families()  # Qt 6: static
    except TypeError:
        families = QFontDatabase().families()  # Qt 5
    return set(families)


def first_installed(candidates, installed=None) -> str | None:
    installed = installed_families() if installed is None else installed
    return next((family for family in candidates if family in installed), None)


def ensure_cjk_font(family: str = FAMILY, installed=None) -> str | None:
    """Make `family` usable: nothing to do when installed; else substitute the first installed fallback.

    Returns None when Chinese text will render, else a translated warning naming what to install."""
    installed = installed_families() if installed is None else installed
    if family in installed:
        return None
    fallback = first_installed(FALLBACKS, installed)
    if fallback is not None:
        QFont.insertSubstitutions(family, [f for f in FALLBACKS if f in installed])
        return None
    return tr("No Chinese font is installed ({family} or a fallback such as {fallbacks}): Chinese text in the "
              "layout may print as empty boxes. Install the font (Debian: fonts-noto-cjk) and export again."
              ).format(family=family, fallbacks=", ".join(FALLBACKS[:3]))
