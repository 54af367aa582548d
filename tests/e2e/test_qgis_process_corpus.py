"""Cases of the bad-input corpus (tests/corpus/make_corpus.py) through `qgis_process` with the packaged plugin, as a
script or a batch job meets them: the expected result or a clear error, never a traceback, the source files and
tables unchanged (or changed by the other user's edit alone), no output left by a failed run, and a run row in
land_bureau.runs only for an in-database run that succeeded. Among them the PostGIS faults a second process can
cause: the run's connection killed and another user's edit, both while the run waits to write its run log
(tests/qgis/corpus_postgis.py), a read-only role and a table without primary key.

The profile is English so the manifest's phrases apply as written (the Chinese messages are tested by
test_qgis_process_refusals.py)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from packaged import packaged_environment

ROOT = Path(__file__).resolve().parents[2]
for folder in ("scripts", "tests/corpus", "tests/qgis"):
    sys.path.insert(0, str(ROOT / folder))

from corpus_checks import check, check_rows, check_unsupplied, checksums, fill, output_rows, output_value  # noqa: E402

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")

CASES = ["resettlement-bad-date-year_2257", "efficiency-geometry-curve", "upstairs-value-lift_kg",
         "efficiency-output-is-input", "postgis-efficiency-killed-connection", "postgis-resettlement-concurrent-update",
         "postgis-efficiency-read-only-database", "postgis-efficiency-no-primary-key-automatic",
         "supply-percent-investment", "supply-batch-without-geometry", "supply-crs-geographic-both"]


@pytest.fixture(scope="module")
def corpus():
    root = Path(tempfile.mkdtemp(prefix="lb-corpus-qp-"))
    # in a process of its own: QGIS, started in this one, sets GDAL's SHAPE_ENCODING, which the GBK shapefiles'
    # writer must not inherit
    subprocess.run([sys.executable, str(ROOT / "tests" / "corpus" / "make_corpus.py"), str(root)], check=True,
                   capture_output=True)
    cases = {case["id"]: case for case in json.loads((root / "cases.json").read_text(encoding="utf-8"))}
    yield root, cases
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A fresh English profile with the newest packaged zip, and the environment qgis_process runs in."""
    config = tmp_path_factory.mktemp("config")
    return packaged_environment(config, "en_US")


def arguments(params: dict) -> list[str]:
    out = []
    for name, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            out.append(f"{name}={str(item).lower() if isinstance(item, bool) else item}")
    return out


@pytest.mark.parametrize("case_id", CASES)
def test_case_through_qgis_process(corpus, environment, tmp_path, case_id):
    root, cases = corpus
    case = cases[case_id]
    out = tmp_path / "out"
    out.mkdir()
    before = checksums(root, case["sources"])
    params = {name: fill(value, root, out) for name, value in case["params"].items()}
    command = ["qgis_process.bin", "--json", "run", case["algorithm"], "--"]
    if "postgis" in case:
        import postgis_db
        from corpus_postgis import CaseTables

        postgis_db.start_cluster()  # the test cluster; sets PGSERVICEFILE (fails, or skips when opted out)

        with CaseTables(root, case["postgis"]) as tables:
            params = {k: tables.fill(v) if isinstance(v, str) else v for k, v in params.items()}
            env = {**environment, "PGSERVICEFILE": os.environ["PGSERVICEFILE"]}
            with tables.fault() as fault:
                done = subprocess.run(command + arguments(params), env=env, capture_output=True, text=True,
                                      timeout=300)
            assert fault["error"] is None and (fault["fired"] or "fault" not in case["postgis"]), fault
            assert tables.checksums() == tables.expected_checksums(), f"{case_id}: a source table was changed"
            assert tables.committed_runs() == case["postgis"]["runs"], f"{case_id}: runs in land_bureau.runs"
    else:
        done = subprocess.run(command + arguments(params), env=environment, capture_output=True, text=True,
                              timeout=300)
    text = done.stdout + done.stderr
    assert "Traceback" not in text, f"{case_id}: traceback\n{text[-3000:]}"
    assert checksums(root, case["sources"]) == before, f"{case_id}: a source file changed"
    expect = case["expect"]
    if done.returncode != 0:
        assert "error" in expect, f"{case_id}: expected a result, got\n{text[-2000:]}"
        assert any(p.lower() in text.lower() for p in expect["error"]), f"{case_id}: {text[-2000:]}"
        assert not [p for p in out.rglob("*") if p.is_file()], f"{case_id}: the failed run left files"
        return
    body = expect.get("ok", expect.get("error_or_ok"))
    assert body is not None, f"{case_id}: expected an error containing {expect['error']}, the run succeeded"
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    for name, value in body.get("outputs", {}).items():
        check(name, output_value(results, name.rstrip("~!≈∈∅")), value, f"{case_id} output {name}")
    for phrase in body.get("log", []):
        assert phrase.lower() in text.lower(), f"{case_id}: the log does not say {phrase!r}"
    check_unsupplied(results, body, case_id)
    if "rows" in body or "absent" in body:
        rows = output_rows(results, body["key"])
        check_rows(rows, body.get("rows", {}), case_id)
        for key in body.get("absent", []):
            assert key not in rows, f"{case_id}: the output has a row {key!r}"
