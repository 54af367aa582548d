"""The real QGIS desktop under Xvfb, the packaged plugin installed into a fresh profile, in Chinese.

Screenshots land in build/screenshots/ (the README shows them)."""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
sys.path.insert(0, str(ROOT / "scripts"))

pytestmark = pytest.mark.skipif(not shutil.which("qgis") or not shutil.which("Xvfb") or not shutil.which("import"),
                                reason="needs qgis, Xvfb and ImageMagick (installed by make setup)")


def newest_zip() -> Path:
    zips = sorted((ROOT / "dist").glob("land_bureau_plugin-*.zip"), key=os.path.getmtime)
    if not zips:
        pytest.skip("no plugin zip: run `make package`")
    return zips[-1]


@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    """Start Xvfb and QGIS with the demo project; yield (work dir, env); stop both."""
    from desktop_profile import make_profile

    work = tmp_path_factory.mktemp("e2e")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py")], check=True, capture_output=True)
    make_profile(work / "profiles", newest_zip(), "zh-Hans")
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
    env = dict(os.environ, DISPLAY=display, LB_E2E_DIR=str(work))
    env.pop("QT_QPA_PLATFORM", None)
    time.sleep(1)
    log = open(work / "qgis.log", "w")
    qgis = subprocess.Popen(["qgis", "--profiles-path", str(work / "profiles"), "--profile", "default", "--nologo",
                             "--code", str(ROOT / "tests" / "e2e" / "desktop_driver.py"),
                             str(ROOT / "out" / "demo_project.qgz")], env=env, stdout=log, stderr=log)
    yield work, env
    qgis.terminate()
    try:
        qgis.wait(20)
    except subprocess.TimeoutExpired:
        qgis.kill()
    xvfb.terminate()


def wait_for(path: Path, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while not path.exists():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {path.name}")
        time.sleep(0.5)


def screenshot(env, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    subprocess.run(["import", "-window", "root", str(target)], env=env, check=True)
    return target


def step(desktop, name: str) -> dict:
    work, env = desktop
    wait_for(work / f"{name}.ready")
    shot = screenshot(env, name)
    (work / f"{name}.go").touch()
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert shot.stat().st_size > 20000
    return report


def test_load_panel_in_chinese(desktop):
    report = step(desktop, "load_panel")
    assert not report["errors"], report["errors"]
    assert "land_bureau_plugin" in report["plugins"]
    assert "规划资源" in report["menus"]
    assert report["load_dock_title"] == "数据加载"
    assert "地块" in report["layers"]
    assert report["validation"], "the validation report of the parcel layer is empty"


def test_resettlement_panel_runs_in_background(desktop):
    report = step(desktop, "resettlement_panel")
    assert not report["errors"], report["errors"]
    assert report["resettlement_dock_title"] == "征迁安置监管"
    assert report["resettlement_rows"] >= 30
    assert "超期过渡户数" in report["resettlement_summary"]
