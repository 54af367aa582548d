"""The packaged zip installed into a fresh profile and run headless with qgis_process, the way a script would."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")

CSV = """项目编号,征迁日期,安置房开工日期,安置房竣工日期,户数,x,y
A,2020-02-29,2021/2/28,,10,530000,3340000
B,2024年3月1日,,,5,530100,3340000
C,20230101,20230601,2023.5.1,7,530200,3340000
"""


def test_qgis_process_runs_the_packaged_plugin(tmp_path):
    from desktop_profile import make_profile

    zips = sorted((ROOT / "dist").glob("land_bureau_plugin-*.zip"), key=os.path.getmtime)
    if not zips:
        pytest.skip("no plugin zip: run `make package`")
    profile = make_profile(tmp_path / "config", zips[-1], "zh-Hans")
    (tmp_path / "p.csv").write_text(CSV, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "config"),
               QGIS_PLUGINPATH=str(profile / "python" / "plugins"))
    env.setdefault("PYTHONUSERBASE", str(ROOT / "build" / "pyuser"))  # shapely 2 for Debian's python (README)
    source = f"delimitedtext://file://{tmp_path / 'p.csv'}?xField=x&yField=y&crs=EPSG:4549"
    out = tmp_path / "out.gpkg"
    done = subprocess.run(["qgis_process.bin", "--json", "run", "landbureau:resettlementdeadlines", "--",
                           f"INPUT={source}", "AS_OF=2025-06-01", f"OUTPUT={out}"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    summary = json.loads(results["SUMMARY"])
    assert summary["per_grade"]["red"] == 2 and summary["per_grade"]["grey"] == 1
    assert results["OVERDUE_HOUSEHOLDS"] == 10
    from qgis.core import QgsVectorLayer

    rows = {f["项目编号"]: f for f in QgsVectorLayer(str(out), "out", "ogr").getFeatures()}
    assert rows["C"]["complete_status"] == "missing"
    assert "早于前一节点" in rows["C"]["reasons"]  # Chinese reasons under a zh-Hans profile
