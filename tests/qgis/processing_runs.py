"""Running an algorithm as Processing runs it and comparing the files it writes: the helpers of the PostGIS
snapshot and fault tests (tests/qgis/test_postgis_snapshot.py, test_postgis_resettlement.py)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from qgis.core import QgsProcessingFeedback


class Feedback(QgsProcessingFeedback):
    """Records warnings and errors; calls `hook()` once when the overall progress reaches `at` percent."""

    def __init__(self, at: float | None = None, hook=None):
        super().__init__(False)
        self.at, self.hook, self.fired = at, hook, False
        self.warnings, self.errors = [], []
        self.progressChanged.connect(self._progress)

    def _progress(self, percent):
        if self.hook is not None and not self.fired and percent >= self.at:
            self.fired = True
            self.hook()

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)
        super().pushWarning(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        self.errors.append(error)
        super().reportError(error, fatalError)


def run_algorithm(algorithm: str, parameters: dict, feedback: Feedback):
    """(results or None, feedback) — the algorithm run as Processing runs it: errors go to the feedback."""
    from qgis.core import QgsApplication, QgsProcessingContext

    alg = QgsApplication.processingRegistry().createAlgorithmById(algorithm)
    context = QgsProcessingContext()
    results, ok = alg.run(parameters, context, feedback)
    return (results if ok else None), feedback


def rows_of(path: Path, key: str = "id") -> dict:
    """{source key: ({field: value} of every attribute but the GeoPackage fid, geometry as WKT)} of an output."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid(), path
    names = [f.name() for f in layer.fields() if f.name() != "fid"]
    return {f[key]: ({n: f[n] for n in names}, f.geometry().asWkt(6)) for f in layer.getFeatures()}


def assert_same_rows(got: dict, expected: dict) -> None:
    """Same keys, same attributes (floats to 1e-9 relative), same geometries."""
    assert sorted(got) == sorted(expected)
    for key, (values, wkt) in expected.items():
        other, other_wkt = got[key]
        assert other_wkt == wkt, key
        assert list(other) == list(values)
        for name, b in values.items():
            a = other[name]
            if isinstance(b, float) and isinstance(a, float):
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=f"{key} {name}")
            else:
                assert a == b, (key, name, a, b)
