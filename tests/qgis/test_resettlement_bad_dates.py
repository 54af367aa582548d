"""Bad resettlement dates through Processing (qgis_process' path): data errors with their reason in the layer,
a clear error for an as-of date out of range, never a traceback, and the source file unchanged."""
import processing
import pytest
from qgis.core import QgsProcessingException
from resettlement_data import FIELDS, project
from safety_data import checksums, write_gpkg


@pytest.fixture()
def source(make_layer, tmp_path):
    rows = [project("FUTURE", "2099-01-01"), project("TOMORROW", "2025-07-02"), project("YEAR", "2024"),
            project("FAR", "2257-01-01"), project("SERIAL", "1"), project("OK", "2025-07-01")]
    path = tmp_path / "projects.gpkg"
    return write_gpkg(make_layer("Point", FIELDS, rows), path, "征迁项目"), path


def run(uri, as_of="2025-07-01"):
    return processing.run("landbureau:resettlementdeadlines", {"INPUT": uri, "AS_OF": as_of, "OUTPUT": "memory:"})


def test_each_bad_date_is_grey_with_its_reason_and_the_source_is_unchanged(plugin, source):
    uri, path = source
    before = checksums(path)
    result = run(uri)
    rows = {f["项目编号"]: f for f in result["OUTPUT"].getFeatures()}
    expected = {
        "FUTURE": "expropriation date 2099-01-01 is after the as-of date 2025-07-01",
        "TOMORROW": "expropriation date 2025-07-02 is after the as-of date 2025-07-01",
        "YEAR": "征迁日期 is not a full date (a year or month without the day): 2024",
        "FAR": "征迁日期 lies outside the years 1900–2150: 2257-01-01",
        "SERIAL": "征迁日期 is not a date: 1",
    }
    for pid, reason in expected.items():
        assert rows[pid]["grade"] == "grey", pid
        assert rows[pid]["reasons"] == reason
        assert rows[pid]["overdue_households"] == 0
    assert rows["OK"]["grade"] == "green"
    assert (result["GREY"], result["GREEN"], result["RED"]) == (5, 1, 0)
    assert checksums(path) == before


def test_an_as_of_date_out_of_range_is_one_clear_line(plugin, source):
    uri, path = source
    before = checksums(path)
    with pytest.raises(QgsProcessingException) as error:
        run(uri, as_of="2300-01-01")
    assert str(error.value) == "the as-of date 2300-01-01 lies outside the years 1900–2150"
    assert checksums(path) == before
