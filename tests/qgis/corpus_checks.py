"""How a corpus case's outcome is checked (tests/corpus/make_corpus.py documents the expectations): the same in
Processing (tests/qgis/test_bad_input_corpus.py) and through qgis_process (tests/e2e/test_qgis_process_corpus.py)."""
import hashlib
import json
import math
from pathlib import Path


def fill(value, root: Path, out: Path):
    if isinstance(value, str):
        return value.replace("{dir}", str(root)).replace("{out}", str(out))
    if isinstance(value, list):
        return [fill(v, root, out) for v in value]
    return value


def checksums(root: Path, files: list[str]) -> dict[str, str]:
    return {f: hashlib.sha256((root / f).read_bytes()).hexdigest() for f in files}


def plain(value):
    """A QGIS attribute as a comparable Python value."""
    from qgis.core import NULL
    from qgis.PyQt.QtCore import QDate, QDateTime

    if value is None or value == NULL:
        return None
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd")
    if isinstance(value, QDateTime):
        return value.date().toString("yyyy-MM-dd")
    return value


def output_rows(results: dict, key: str, output: str = "OUTPUT") -> dict:
    from qgis.core import QgsProcessingUtils, QgsVectorLayer

    dest = results[output]
    layer = dest if isinstance(dest, QgsVectorLayer) else QgsVectorLayer(str(dest), "out", "ogr")
    if not layer.isValid():
        layer = QgsProcessingUtils.mapLayerFromString(str(dest), None)
    assert layer is not None and layer.isValid(), f"cannot open the output {dest}"
    names = layer.fields().names()
    rows = {}
    for feature in layer.getFeatures():
        row = {name: plain(feature[name]) for name in names}
        rows.setdefault(str(row.get(key)), row)
    return rows


def check(field: str, actual, expected, where: str):
    """One expectation; field suffixes: ~ contains, ! differs, ≈ within 0.5 %, ∈ one of, ∅ is NULL (true/false)."""
    op = field[-1] if field[-1] in "~!≈∈∅" else "="
    if op == "=":
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
    elif op == "~":
        assert actual is not None and str(expected).lower() in str(actual).lower(), \
            f"{where}: {expected!r} not in {actual!r}"
    elif op == "!":
        assert actual != expected, f"{where}: {actual!r} == {expected!r}"
    elif op == "≈":
        assert actual is not None and math.isclose(float(actual), float(expected), rel_tol=5e-3, abs_tol=1e-6), \
            f"{where}: {actual!r} !≈ {expected!r}"
    elif op == "∈":
        assert actual in expected, f"{where}: {actual!r} not in {expected!r}"
    elif op == "∅":
        is_null = actual is None or (isinstance(actual, str) and actual == "")
        assert is_null == expected, f"{where}: {'NULL' if is_null else repr(actual)}, expected " \
                                    f"{'NULL' if expected else 'a value'}"


def check_rows(rows: dict, expected: dict, case_id: str):
    for key, fields in expected.items():
        assert key in rows, f"{case_id}: no output row with id {key!r} (have {sorted(rows)[:10]})"
        for field, value in fields.items():
            if field.startswith("rule:"):  # an upstairs rule that must not count as passed: failed or unchecked
                rule, listed = field[5:], f"{rows[key].get('failed_rules')},{rows[key].get('unchecked_rules')}"
                assert rule in listed.replace(" ", "").split(","), f"{case_id} {key}: {rule} passed ({listed})"
                continue
            name = field.rstrip("~!≈∈∅")
            assert name in rows[key], f"{case_id}: output has no field {name!r}"
            check(field, rows[key][name], value, f"{case_id} {key}.{name}")


def output_value(results: dict, name: str):
    """A Processing output, or a key of a JSON output ("SUMMARY.parcels", "SUMMARY.batches.no_geometry")."""
    if "." not in name:
        return results.get(name)
    output, *keys = name.split(".")
    value = json.loads(results[output])
    for key in keys:
        value = value.get(key)
    return value


def check_unsupplied(results: dict, body: dict, case_id: str):
    """The land supply case's UNSUPPLIED rows by batch id (make_corpus: "unsupplied")."""
    if "unsupplied" in body:
        check_rows(output_rows(results, "batch_id", "UNSUPPLIED"), body["unsupplied"], f"{case_id} UNSUPPLIED")
