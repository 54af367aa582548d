"""Refusals through qgis_process with the packaged plugin (zh-Hans): one translated line, no traceback, the exit code
of a failed run, no output left behind and the source file unchanged."""
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaged import packaged_environment

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")


def run_failing(tmp_path, algorithm: str, arguments: list[str]) -> str:
    """qgis_process with the newest packaged zip in a fresh zh-Hans profile; its stdout + stderr, after checking
    that it failed."""
    env = packaged_environment(tmp_path / "config", "zh-Hans")
    done = subprocess.run(["qgis_process.bin", "run", algorithm, "--", *arguments], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0
    return done.stdout + done.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def projects_gpkg(path: Path) -> None:
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("征迁项目", srs, ogr.wkbPoint)
    for name in ("项目编号", "征迁日期"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for pid, date in (("A", "2020-02-29"), ("B", "2024")):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("项目编号", pid)
        feature.SetField("征迁日期", date)
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (530000 3340000)"))
        layer.CreateFeature(feature)
    dataset = None


def test_an_output_onto_the_input_geopackage_is_refused_in_chinese(tmp_path):
    source = tmp_path / "city.gpkg"
    projects_gpkg(source)
    before = digest(source)
    text = run_failing(tmp_path, "landbureau:resettlementdeadlines",
                       [f"INPUT={source}|layername=征迁项目", "AS_OF=2025-07-01", f"OUTPUT={source}|layername=结果"])
    assert "是输入图层 征迁项目 所在的文件：写入会覆盖输入数据" in text
    assert "Traceback" not in text
    assert digest(source) == before


def test_a_misspelt_field_map_is_refused_and_no_output_is_left(tmp_path):
    source = tmp_path / "city.gpkg"
    projects_gpkg(source)
    before = digest(source)
    output = tmp_path / "out.gpkg"
    text = run_failing(tmp_path, "landbureau:resettlementdeadlines",
                       [f"INPUT={source}|layername=征迁项目", "AS_OF=2025-07-01", f"OUTPUT={output}",
                        'FIELD_MAP={"project_id": "项目编号", "expropriation_date": "征迁日"}'])
    assert "征迁日" in text and "征迁日期" in text and "Traceback" not in text
    assert not output.exists() and digest(source) == before
