"""The bad-input corpus (tests/corpus/make_corpus.py) through Processing, as the toolbox and qgis_process run it.

Each case must end as its manifest says — a right result or a clear error containing a stated phrase — and never
with a traceback (any exception other than QgsProcessingException, or a Python traceback in the log), never with a
changed source file (SHA-256 before and after), and a refused run leaves no output file behind.
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import make_corpus  # noqa: E402
from corpus_checks import check, check_rows, check_unsupplied, checksums, fill, output_rows, output_value  # noqa: E402

CORPUS = Path(tempfile.mkdtemp(prefix="lb-corpus-"))  # generated at collection: the cases name the test ids
make_corpus.main(str(CORPUS))
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(qgis_iface, qgis_app, qgis_processing):
    """The corpus files, and the plugin loaded once for all cases."""
    import land_bureau_plugin

    root = CORPUS
    instance = land_bureau_plugin.classFactory(qgis_iface)
    instance.initGui()
    yield root
    instance.unload()
    shutil.rmtree(CORPUS, ignore_errors=True)


def recorder():
    """The shared log recorder, also keeping errors and debug lines: a traceback may land in either."""
    from log_feedback import Recorder

    class Everything(Recorder):
        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            self.lines.append(error)

        def pushDebugInfo(self, info):  # noqa: N802
            self.lines.append(info)

        def pushConsoleInfo(self, info):  # noqa: N802
            self.lines.append(info)

    return Everything()


def run_case(case: dict, root: Path, out: Path, tables=None, log=None):
    """(results, error message or None, log text). Any exception but QgsProcessingException propagates.
    `tables`: the case's PostGIS tables (corpus_postgis.CaseTables), naming them in the parameters; `log`: the
    feedback (a recorder)."""
    import processing
    from qgis.core import QgsProcessingException

    log = log or recorder()
    params = {k: fill(v, root, out) for k, v in case["params"].items()}
    if tables is not None:
        params = {k: tables.fill(v) if isinstance(v, str) else v for k, v in params.items()}
    try:
        results = processing.run(case["algorithm"], params, feedback=log)
    except QgsProcessingException as exc:
        return None, str(exc), log.text
    return results, None, log.text


RESULTS: dict[str, dict] = {}


# Open gaps of issue #12, tracked here until fixed (strict: a fix makes the run fail until the mark is removed).
OPEN = {}


def marked(case: dict):
    if case["id"] in OPEN:
        return pytest.param(case, id=case["id"], marks=pytest.mark.xfail(strict=True, reason=OPEN[case["id"]]))
    return pytest.param(case, id=case["id"])


@pytest.mark.parametrize("case", [marked(c) for c in CASES])
def test_case(corpus, tmp_path, case, request):
    root, out = corpus, tmp_path / "out"
    out.mkdir()
    before = checksums(root, case["sources"])
    if "postgis" in case:
        request.getfixturevalue("pg_service")  # the test cluster, started when needed (fails when it cannot be)
        from corpus_postgis import CaseTables

        with CaseTables(root, case["postgis"]) as tables:
            feedback = recorder()
            with tables.fault(feedback) as fault:
                results, error, log = run_case(case, root, out, tables, feedback)
            assert fault["error"] is None, f"{case['id']}: the fault failed: {fault['error']}"
            assert fault["fired"] or "fault" not in case["postgis"], \
                f"{case['id']}: the fault never struck (the run did not reach that point)\n{error or log}"
            assert tables.checksums() == tables.expected_checksums(), \
                f"{case['id']}: a source table was changed by the run"
            runs = tables.committed_runs()
            assert runs == case["postgis"]["runs"], \
                f"{case['id']}: {runs} run(s) in land_bureau.runs, expected {case['postgis']['runs']}"
    else:
        results, error, log = run_case(case, root, out)
    assert checksums(root, case["sources"]) == before, f"{case['id']}: a source file changed"
    assert "Traceback" not in log and "Traceback" not in (error or ""), f"{case['id']}: traceback\n{error or log}"
    expect = case["expect"]
    if error is not None:
        assert "error" in expect, f"{case['id']}: expected a result, got the error: {error}"
        phrases = expect["error"]
        assert any(p.lower() in error.lower() for p in phrases), f"{case['id']}: {error!r} names none of {phrases}"
        left = [p for p in out.rglob("*") if p.is_file()]
        assert not left, f"{case['id']}: the refused run left {left}"
        return
    body = expect.get("ok", expect.get("error_or_ok"))
    assert body is not None, f"{case['id']}: expected an error containing {expect['error']}, the run succeeded"
    for name, value in body.get("outputs", {}).items():
        check(name, output_value(results, name.rstrip("~!≈∈∅")), value, f"{case['id']} output {name}")
    for phrase in body.get("log", []):
        assert phrase.lower() in log.lower(), f"{case['id']}: the log does not say {phrase!r}:\n{log[-1500:]}"
    check_unsupplied(results, body, case["id"])
    if "rows" in body or "same_as" in body or "absent" in body:
        rows = output_rows(results, body["key"])
        RESULTS[case["id"]] = rows
        check_rows(rows, body.get("rows", {}), case["id"])
        for key in body.get("absent", []):
            assert key not in rows, f"{case['id']}: the output has a row {key!r}"
        if "same_as" in body:
            ref = body["same_as"]
            other = RESULTS.get(ref["case"])
            assert other is not None, f"{case['id']}: run {ref['case']} first"
            for key, row in other.items():
                if key not in ref["except"]:
                    assert rows[key][ref["field"]] == row[ref["field"]], \
                        f"{case['id']} {key}: {ref['field']} {rows[key][ref['field']]!r}, without the outlier " \
                        f"{row[ref['field']]!r}"
    shutil.rmtree(out, ignore_errors=True)
