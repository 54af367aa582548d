"""Outputs never overwrite an input, a failed run leaves no output behind, and no traceback reaches the user
(processing/base.py `_guarded`, processing/outputs.py)."""
import processing
import pytest
from qgis.core import QgsProcessingException
from resettlement_data import FIELDS, project
from safety_data import checksums, gpkg_tables, write_gpkg

ALGORITHM = "landbureau:resettlementdeadlines"


@pytest.fixture()
def projects_gpkg(make_layer, tmp_path):
    layer = make_layer("Point", FIELDS, [project("A", "2020-02-29"), project("B", "2021-03-01", x=50)])
    path = tmp_path / "city.gpkg"
    uri = write_gpkg(layer, path, "征迁项目")
    write_gpkg(make_layer("Point", [("名称", "string")], [{"wkt": "POINT(530000 3340000)", "名称": "甲"}]),
               path, "其他", append=True)
    return path, uri


def run(source, output, **extra):
    return processing.run(ALGORITHM, {"INPUT": source, "AS_OF": "2025-07-01", "OUTPUT": output, **extra})


@pytest.mark.parametrize("output", [
    "{path}",                                    # the input's own GeoPackage
    "{path}|layername=结果",                     # same file, another table: the driver would still write into it
    "ogr:dbname='{path}' table=\"结果\" (geom)",  # the Processing dialog's spelling
    "{dir}/./city.gpkg",                          # another spelling of the same path
])
def test_an_output_in_the_input_file_is_refused_before_anything_is_written(plugin, projects_gpkg, output):
    path, uri = projects_gpkg
    before = checksums(path.parent)
    with pytest.raises(QgsProcessingException) as error:
        run(uri, output.format(path=path, dir=path.parent))
    message = str(error.value)
    assert "would overwrite the input" in message and "征迁项目" in message and "OUTPUT" in message
    assert checksums(path.parent) == before
    assert gpkg_tables(path) == ["其他", "征迁项目"]


def test_an_output_in_a_file_of_another_input_parameter_is_refused(plugin, projects_gpkg, make_layer, tmp_path):
    path, uri = projects_gpkg
    plots = write_gpkg(make_layer("Polygon", [("安置地块编号", "string")],
                                  [{"wkt": "POLYGON((0 0,1 0,1 1,0 0))", "安置地块编号": "P1"}]),
                       tmp_path / "plots.gpkg", "安置地块")
    before = checksums(tmp_path)
    with pytest.raises(QgsProcessingException, match="would overwrite the input 安置地块|安置地块"):
        run(uri, str(tmp_path / "plots.gpkg"), PLOTS=plots)
    assert checksums(tmp_path) == before


def test_an_output_elsewhere_is_written_and_the_source_is_unchanged(plugin, projects_gpkg, tmp_path):
    path, uri = projects_gpkg
    before = checksums(path)
    result = run(uri, str(tmp_path / "out.gpkg"))
    assert result["RED"] == 2 and result["GREEN"] == 0  # A: +5 overdue; B: +1 overdue since 2022-03-01
    assert checksums(path) == before


def test_a_failed_run_removes_the_output_file_it_created(plugin, projects_gpkg, tmp_path, monkeypatch):
    import gc

    from land_bureau_plugin.analysis import resettlement

    path, uri = projects_gpkg
    collector = []

    def broken(*_args, **_kwargs):  # fails after the output was written, as a bug in the summary would
        collector.append(gc.get_threshold()[2])
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(resettlement, "summarise", broken)
    before = checksums(path)
    output = tmp_path / "out" / "result.gpkg"
    output.parent.mkdir()
    with pytest.raises(QgsProcessingException) as error:
        run(uri, str(output))
    message = str(error.value)
    assert "Unexpected error (ZeroDivisionError): division by zero" in message
    assert "Traceback" not in message and "File \"" not in message
    assert list(output.parent.iterdir()) == []
    assert checksums(path) == before
    # full collections postponed during the run (analysis.memory), the thresholds back after it
    assert collector[0] >= 100_000 and gc.get_threshold()[2] < 100_000


def into_table(path, table: str, spelling: str) -> str:
    """A table `table` of the GeoPackage `path` as a destination: the Processing dialog's spelling ("ogr") or the
    spelling QGIS names a written table with ("layername")."""
    if spelling == "layername":
        return f"{path}|layername={table}"
    dbname = str(path).replace("'", "\\'")
    return f"ogr:dbname='{dbname}' table=\"{table}\" (geom)"


# "#", "%" and "?" mean something in a URI: SQLite, asked for "file:…/成果#2.gpkg?mode=ro", opened …/成果 read-write
# (created empty), found no table in it, and the run's undo removed the user's whole GeoPackage
@pytest.mark.parametrize(("name", "spelling"), [
    ("results.gpkg", "ogr"), ("成果#2.gpkg", "ogr"), ("进度 50%.gpkg", "ogr"), ("核查?版.gpkg", "ogr"),
    ("it's.gpkg", "ogr"), ("results.gpkg", "layername"), ("成果#2.gpkg", "layername"), ("it's.gpkg", "layername"),
])
def test_a_failed_run_into_an_existing_geopackage_drops_only_its_new_table(plugin, projects_gpkg, make_layer,
                                                                           tmp_path, monkeypatch, name, spelling):
    from land_bureau_plugin.analysis import resettlement

    _path, uri = projects_gpkg
    folder = tmp_path / "results"
    folder.mkdir()
    results = folder / name
    write_gpkg(make_layer("Point", [("名称", "string")], [{"wkt": "POINT(0 0)", "名称": "旧结果"}]), results, "旧结果")
    monkeypatch.setattr(resettlement, "summarise", lambda *a, **k: 1 / 0)
    with pytest.raises(QgsProcessingException, match="ZeroDivisionError"):
        run(uri, into_table(results, "新结果", spelling))
    assert gpkg_tables(results) == ["旧结果"]
    assert sorted(p.name for p in folder.iterdir()) == [name]


# QGIS's sink took "成果#2.gpkg|layername=新结果" for a file name and wrote "成果#2.gpkg|layername=新结果.gpkg"
@pytest.mark.parametrize("spelling", ["ogr", "layername"])
@pytest.mark.parametrize("name", ["成果#2.gpkg", "Xi'an 成果.gpkg"])
def test_a_run_into_a_table_of_an_existing_geopackage_adds_the_table(plugin, projects_gpkg, make_layer, tmp_path,
                                                                     spelling, name):
    _path, uri = projects_gpkg
    folder = tmp_path / "results"
    folder.mkdir()
    results = folder / name
    write_gpkg(make_layer("Point", [("名称", "string")], [{"wkt": "POINT(0 0)", "名称": "旧结果"}]), results, "旧结果")
    result = run(uri, into_table(results, "新结果", spelling))
    assert result["RED"] == 2
    assert gpkg_tables(results) == ["新结果", "旧结果"]
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_a_profile_error_reaches_the_user_as_one_translated_line(plugin, projects_gpkg, tmp_path):
    _path, uri = projects_gpkg
    profile = tmp_path / "p.json"
    profile.write_text('{"resettlement": {"yellow_days": -1}}', encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        run(uri, "memory:", PROFILE=str(profile))
    assert str(error.value) == "Rule profile error: resettlement.yellow_days: must not be negative"
