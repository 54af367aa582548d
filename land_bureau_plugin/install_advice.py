"""What to tell a user whose QGIS lacks a library the plugin needs, in the words of the platform QGIS runs on.

Why per platform: QGIS does not run in a virtual environment but in the Python its installer or distribution ships,
and the right way to add a library is that platform's own package: OSGeo4W packages on Windows (the OSGeo4W
installer and the standalone installer are both built from them), Debian/Ubuntu packages on Linux. pip is named
only where the platform's package is missing or too old (Debian 12's shapely 1.8), and then into the user site with
--no-deps, so QGIS's numpy and GDAL bindings stay as the platform built them.

Imports nothing beyond the standard library: it runs exactly when shapely, pandas or numpy cannot be imported.
The sentences are English templates marked with QT_TRANSLATE_NOOP; the plugin fills them in the user's language.
"""
from __future__ import annotations

import sys
from pathlib import Path

CONTEXT = "install_advice"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    """Mark `text` for translation in `context` without translating it here."""
    return text


NEEDS = QT_TRANSLATE_NOOP("install_advice", "Land Bureau needs {missing}.")
OSGEO4W = QT_TRANSLATE_NOOP(
    "install_advice", "QGIS for Windows ships them as OSGeo4W packages: run the OSGeo4W Setup (osgeo4w-setup.exe), "
    "choose Advanced Install and select {packages} (with the standalone installer: install its current version), "
    "then restart QGIS.")
APT = QT_TRANSLATE_NOOP("install_advice", "Install the system packages: sudo apt install {packages}, then restart "
                        "QGIS.")
TOO_OLD = QT_TRANSLATE_NOOP(
    "install_advice", "{release} ships {names} older than the plugin needs: install a newer one for QGIS's Python "
    "into your user site, leaving the system's numpy untouched: python3 -m pip install --user "
    "--break-system-packages --no-deps {pins}, then restart QGIS.")
OTHER = QT_TRANSLATE_NOOP("install_advice", "Install {pins} for the Python QGIS runs (Python {python}) with your "
                          "system's package manager or pip, then restart QGIS.")

# The library → its package name (the same in OSGeo4W and Debian/Ubuntu) and what pip should install.
PACKAGES = {"shapely": "python3-shapely", "pandas": "python3-pandas", "numpy": "python3-numpy",
            "scipy": "python3-scipy"}
PINS = {"shapely": '"shapely==2.0.6"', "pandas": '"pandas>=1.5"', "numpy": '"numpy>=1.21"', "scipy": '"scipy>=1.8"'}
# Releases whose package is older than the plugin needs (shapely < 2, pandas < 1.5): (os-release ID, VERSION_ID).
TOO_OLD_IN = {
    ("debian", "11"): {"shapely", "pandas"},
    ("debian", "12"): {"shapely"},
    ("ubuntu", "20.04"): {"shapely", "pandas"},
    ("ubuntu", "22.04"): {"shapely", "pandas"},
}


def os_release(path: str = "/etc/os-release") -> dict[str, str]:
    """The fields of os-release (ID, ID_LIKE, VERSION_ID, PRETTY_NAME); empty where there is none (Windows, macOS)."""
    fields = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return fields
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return fields


def advice(missing: list[str], system: str | None = None, release: dict[str, str] | None = None,
           translate=lambda text: text) -> str:
    """One message: what is missing (`missing` as missing_dependencies() words it: "shapely ≥ 2.0 (1.8.5)") and how
    to get it here. `system` is sys.platform, `release` the os-release fields (both default to this machine's)."""
    system = sys.platform if system is None else system
    names = [entry.split()[0] for entry in missing]
    parts = [translate(NEEDS).format(missing=", ".join(missing))]
    if system.startswith("win"):
        parts.append(translate(OSGEO4W).format(packages=", ".join(PACKAGES.get(n, n) for n in names)))
        return " ".join(parts)
    release = os_release() if release is None and system.startswith("linux") else (release or {})
    family = {release.get("ID", "")} | set(release.get("ID_LIKE", "").split())
    if not family & {"debian", "ubuntu"}:
        parts.append(translate(OTHER).format(pins=" ".join(PINS.get(n, n) for n in names),
                                             python=f"{sys.version_info.major}.{sys.version_info.minor}"))
        return " ".join(parts)
    too_old = TOO_OLD_IN.get((release.get("ID", ""), release.get("VERSION_ID", "")), set())
    from_apt = [n for n in names if n not in too_old]
    from_pip = [n for n in names if n in too_old]
    if from_apt:
        parts.append(translate(APT).format(packages=" ".join(PACKAGES.get(n, n) for n in from_apt)))
    if from_pip:
        parts.append(translate(TOO_OLD).format(
            release=release.get("PRETTY_NAME") or release.get("ID", ""), names=", ".join(from_pip),
            pins=" ".join(PINS[n] for n in from_pip)))
    return " ".join(parts)
