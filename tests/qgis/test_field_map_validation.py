"""A field map that cannot be used is refused, naming what is wrong (processing/base.py check_field_map_usable):
a misspelt field in the resettlement map once turned all projects grey and 1,763 overdue households into 0."""
import json

import processing
import pytest
from qgis.core import QgsProcessingException
from resettlement_data import FIELDS, project
from safety_data import checksums, write_gpkg

from land_bureau_plugin.qgis_bridge import fieldmaps

GOOD_MAP = {"project_id": "项目编号", "expropriation_date": "征迁日期", "households": "户数"}


@pytest.fixture()
def projects(make_layer, tmp_path):
    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29"), project("B", "2024-09-01", x=50)])
    return write_gpkg(layer, tmp_path / "projects.gpkg", "征迁项目"), tmp_path / "projects.gpkg"


def run(source, field_map):
    return processing.run("landbureau:resettlementdeadlines", {
        "INPUT": source, "AS_OF": "2025-07-01", "OUTPUT": "memory:",
        "FIELD_MAP": json.dumps(field_map, ensure_ascii=False)})


def refused(source, field_map) -> str:
    with pytest.raises(QgsProcessingException) as error:
        run(source, field_map)
    return str(error.value)


def test_the_correct_map_runs(plugin, projects):
    uri, path = projects
    before = checksums(path)
    result = run(uri, GOOD_MAP)
    assert (result["RED"], result["ORANGE"], result["OVERDUE_HOUSEHOLDS"]) == (1, 1, 10)
    assert checksums(path) == before


def test_a_misspelt_field_is_refused_with_the_nearest_field(plugin, projects):
    uri, path = projects
    before = checksums(path)
    message = refused(uri, {**GOOD_MAP, "expropriation_date": "征迁日"})
    assert "征迁项目" in message
    assert "field 征迁日 (mapped to expropriation_date) does not exist (did you mean 征迁日期?)" in message
    assert checksums(path) == before


def test_an_unknown_canonical_name_is_refused_with_the_nearest_one(plugin, projects):
    uri, _ = projects
    message = refused(uri, {**GOOD_MAP, "houshold": "户数", "households": "行政区"})
    assert "houshold is not a known canonical name (did you mean households?)" in message


def test_one_field_for_two_names_is_refused_naming_both(plugin, projects):
    uri, _ = projects
    message = refused(uri, {**GOOD_MAP, "housing_start_date": "征迁日期"})
    assert "field 征迁日期 is mapped to several names (expropriation_date, housing_start_date)" in message


def test_every_problem_is_named_at_once(plugin, projects):
    uri, _ = projects
    message = refused(uri, {"project_id": "XMBH", "expropriation_date": "征迁日期", "bogus": "户数"})
    assert "field XMBH (mapped to project_id) does not exist" in message and "bogus is not a known" in message


def test_a_saved_map_that_no_longer_fits_the_layer_is_refused_too(plugin, make_layer):
    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29")], "征迁项目")
    fieldmaps.save(layer, "resettlement_projects", {**GOOD_MAP, "expropriation_date": "征收日期"})
    with pytest.raises(QgsProcessingException, match="field 征收日期 \\(mapped to expropriation_date\\) does not"):
        processing.run("landbureau:resettlementdeadlines", {"INPUT": layer, "AS_OF": "2025-07-01",
                                                             "OUTPUT": "memory:"})


def test_the_other_algorithms_refuse_the_same_way(plugin, make_layer):
    parcels = make_layer("Polygon", [("DKBH", "string"), ("RJL", "double")],
                         [{"wkt": "POLYGON((530000 3340000,530100 3340000,530100 3340100,530000 3340000))",
                           "DKBH": "P1", "RJL": 0.5}], "地块")
    misspelt = json.dumps({"parcel_id": "DKBH", "far": "RJI"})
    with pytest.raises(QgsProcessingException, match=r"field RJI \(mapped to far\) does not exist \(did you mean RJL"):
        processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": "memory:",
                                                     "PARCEL_FIELD_MAP": misspelt})
    with pytest.raises(QgsProcessingException, match="field DKBH is mapped to several names"):
        processing.run("landbureau:upstairscheck", {"INPUT": parcels, "OUTPUT": "memory:",
                                                     "FIELD_MAP": json.dumps({"plan_id": "DKBH", "parcel_id": "DKBH"})})
