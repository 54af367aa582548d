"""Where the bundled data lives: `resources/` beside the package in the packaged plugin, one level up in the repo."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the plugin's resources folder is missing")


def i18n_dir() -> Path:
    for candidate in (_PACKAGE / "i18n", _PACKAGE.parent / "i18n"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE / "i18n"
