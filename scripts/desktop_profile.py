"""Make a dedicated QGIS profile (never the user's own) with the packaged plugin installed and enabled.

Usage: python scripts/desktop_profile.py PROFILES_DIR PLUGIN_ZIP [LOCALE]   (LOCALE default zh-Hans)
QGIS is then started with `qgis --profiles-path PROFILES_DIR --profile default`.
"""
from __future__ import annotations

import configparser
import shutil
import sys
import zipfile
from pathlib import Path

PLUGIN = "land_bureau_plugin"


def make_profile(profiles_dir: Path, plugin_zip: Path, locale: str = "zh-Hans") -> Path:
    profile = profiles_dir / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    shutil.rmtree(plugins / PLUGIN, ignore_errors=True)
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(plugins)
    ini_path = profile / "QGIS" / "QGIS3.ini"
    ini_path.parent.mkdir(parents=True, exist_ok=True)
    ini = configparser.ConfigParser(interpolation=None)
    ini.optionxform = str
    if ini_path.exists():
        ini.read(ini_path, encoding="utf-8")
    settings = {
        "PythonPlugins": {PLUGIN: "true"},
        "locale": {"userLocale": locale, "overrideFlag": "true", "globalLocale": locale},
        "qgis": {"checkVersion": "false", "showTips322": "false", "allowVersionCheck": "false"},
        "core": {"NewsFeed\\httpsfeedqgisorg\\disabled": "true"},
        "UI": {"UI\\hideSplash": "true"},
    }
    for section, values in settings.items():
        if not ini.has_section(section):
            ini.add_section(section)
        for key, value in values.items():
            ini.set(section, key, value)
    with open(ini_path, "w", encoding="utf-8") as handle:
        ini.write(handle, space_around_delimiters=False)
    return profile


if __name__ == "__main__":
    args = sys.argv[1:]
    print(make_profile(Path(args[0]), Path(args[1]), args[2] if len(args) > 2 else "zh-Hans"))
