"""The environment every qgis_process test runs in: the newest packaged zip (`make package`) installed into a
fresh profile of its own, enabled, in the given locale — never the user's profile."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))  # desktop_profile


def packaged_environment(config: Path, locale: str = "zh-Hans") -> dict:
    """os.environ for qgis_process.bin with the plugin installed into a new profile under `config`; skips the test
    when no zip has been packaged."""
    from desktop_profile import make_profile

    zips = sorted((ROOT / "dist").glob("land_bureau_plugin-*.zip"), key=os.path.getmtime)
    if not zips:
        pytest.skip("no plugin zip: run `make package`")
    profile = make_profile(config, zips[-1], locale)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(config),
               QGIS_PLUGINPATH=str(profile / "python" / "plugins"))
    env.setdefault("PYTHONUSERBASE", str(ROOT / "build" / "pyuser"))  # shapely 2 for Debian's python (README)
    return env
