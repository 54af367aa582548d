"""pytest.ini turns a DeprecationWarning raised from the plugin's own modules into a test failure, and leaves those
of other code alone: what QGIS deprecates, QGIS 4 removes. Both sides shown with a call QGIS 3.22 deprecates
(QgsCoordinateReferenceSystem(int), deprecated since 3.10) and with a plain warnings.warn."""
import warnings

import pytest

DEPRECATED_QGIS_CALL = "from qgis.core import QgsCoordinateReferenceSystem\nQgsCoordinateReferenceSystem(4326)\n"
DEPRECATED_PYTHON_CALL = "import warnings\nwarnings.warn('old API', DeprecationWarning)\n"


def run_as(module: str, source: str) -> None:
    """Run `source` as code of module `module`: warnings are attributed to it as to any real module."""
    exec(compile(source, f"<{module}>", "exec"), {"__name__": module})


@pytest.mark.parametrize("source", [DEPRECATED_QGIS_CALL, DEPRECATED_PYTHON_CALL])
def test_deprecated_call_from_the_plugin_fails(qgis_app, source):
    try:
        with pytest.raises(DeprecationWarning):
            run_as("land_bureau_plugin.layouts.probe", source)
    except TypeError:  # a QGIS that removed the constructor altogether
        pytest.skip("this QGIS no longer has QgsCoordinateReferenceSystem(int)")


@pytest.mark.parametrize("source", [DEPRECATED_QGIS_CALL, DEPRECATED_PYTHON_CALL])
def test_the_same_call_from_other_code_passes(qgis_app, source):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # as pytest.ini has it for everyone else
        try:
            run_as("someone_elses_module", source)
        except TypeError:
            pytest.skip("this QGIS no longer has QgsCoordinateReferenceSystem(int)")
    assert caught == []


def test_a_name_that_only_starts_like_the_plugin_is_not_the_plugin(qgis_app):
    run_as("land_bureau_plugins_fork", DEPRECATED_PYTHON_CALL)
