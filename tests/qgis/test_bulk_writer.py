"""The bulk writer (qgis_bridge.writing.write_gpkg) against the feature writer (the Processing sink): the same
GeoPackage, table by table — the same fields of the same types, the same feature ids, attribute values and
geometries (WKB), the same geometry column, srs and feature count, and the same spatial index (its entries, triggers
and extension row; SQLite's rtreecheck passes) — for the generator's city,
a GBK shapefile (its polygons made MultiPolygons, as QGIS hands them over), a table of type GEOMETRY holding a point
among polygons (written without its geometry), a subset string with a selection, and a table added to an existing
GeoPackage next to the tables already there."""
import os
import sqlite3
import struct
import subprocess
import sys
import threading
from pathlib import Path

import processing
import pytest
from osgeo import ogr, osr
from qgis.core import (
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)

from land_bureau_plugin.qgis_bridge.gpkg import blob_wkb, quoted

ROOT = Path(__file__).resolve().parents[2]
SURVEY = {"LAND_USE_SYSTEM": "gbt21010"}


def table_of(path: str, table: str) -> dict:
    with sqlite3.connect(path) as db:
        db.text_factory = utf8_or_bytes
        columns = list(db.execute(f"PRAGMA table_info({quoted(table)})"))
        names = [c[1] for c in columns]
        rows = db.execute(f"SELECT * FROM {quoted(table)} ORDER BY fid").fetchall()
        geometry = db.execute("SELECT column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns "
                              "WHERE table_name = ?", (table,)).fetchall()
        count = db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?", (table,)).fetchall()
        rtree = f"rtree_{table}_{geometry[0][0]}" if geometry else None
        indexed = db.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (rtree,)).fetchone()[0]
        index = db.execute(f"SELECT * FROM {quoted(rtree)} ORDER BY id").fetchall() if indexed else None
        check = db.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] if indexed else None
        triggers = sorted(row[0].replace(table, "T") for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)))
        extension = db.execute("SELECT extension_name, scope FROM gpkg_extensions WHERE table_name = ?",
                               (table,)).fetchall()
        extent = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                            (table,)).fetchall()
    headers = set()
    if geometry:
        g = names.index(geometry[0][0])
        headers = {blob_header(row[g]) for row in rows if row[g] is not None}
        rows = [tuple(blob_wkb(v) if i == g else v for i, v in enumerate(row)) for row in rows]
    return {"columns": columns, "rows": rows, "geometry": geometry, "count": count, "indexed": indexed,
            "index": index, "rtreecheck": check, "triggers": triggers, "extension": extension, "extent": extent,
            "blob_srs_ids": sorted({srs_id for _, _, srs_id in headers}),
            "blob_magic": sorted({(magic, version) for magic, version, _ in headers})}


def utf8_or_bytes(stored: bytes):
    """Stored text as str, or ("not UTF-8", the bytes) when it is not UTF-8 (sqlite3 would raise)."""
    try:
        return stored.decode("utf-8")
    except UnicodeDecodeError:
        return ("not UTF-8", stored)


def blob_header(blob) -> tuple:
    """(magic, version, srs id) of a GeoPackage geometry blob: its first 8 bytes, read with struct (the flags'
    bit 0 gives the byte order of the srs id)."""
    magic, version, flags = struct.unpack_from("<2sBB", blob)
    (srs_id,) = struct.unpack_from("<i" if flags & 1 else ">i", blob, 4)
    return magic, version, srs_id


def run_bulk_then_features(parameters: dict, monkeypatch, bulk: tuple[str, str], features: str) -> None:
    """The algorithm run twice: into `bulk` = (OUTPUT, the file the bulk writer must write), checking that it did,
    then into OUTPUT `features` the feature way (bulk_writable said no), checking that the bulk writer did not."""
    from land_bureau_plugin.processing import base

    calls = []
    original = base.write_gpkg

    def spy(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(base, "write_gpkg", spy)
    processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": bulk[0]})
    assert calls == [bulk[1]], "the bulk writer was not used"
    monkeypatch.setattr(base, "bulk_writable", lambda *args: False)
    processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": features})
    assert calls == [bulk[1]]


def run_both(tmp_path, parameters: dict, monkeypatch, table: str = "out"):
    """The algorithm run twice, writing the bulk way and the feature way; both tables."""
    bulk, features = str(tmp_path / "bulk.gpkg"), str(tmp_path / "features.gpkg")
    run_bulk_then_features(parameters, monkeypatch, (bulk, bulk), features)
    return table_of(bulk, "bulk"), table_of(features, "features")


def assert_same(bulk: dict, features: dict):
    assert bulk["columns"] == features["columns"]
    assert bulk["geometry"] == features["geometry"]
    assert bulk["count"] == features["count"] == [(len(features["rows"]),)]
    assert bulk["indexed"] == features["indexed"] == 1
    assert bulk["rtreecheck"] == features["rtreecheck"] == "ok"
    assert bulk["index"] == features["index"]  # the packed spatial index holds what GDAL's holds, box by box
    assert bulk["triggers"] == features["triggers"] and len(bulk["triggers"]) >= 6
    # every blob's header carries the geometry column's srs id (GeoPackage 1.3, requirement 33), as GDAL writes it
    assert bulk["blob_srs_ids"] == features["blob_srs_ids"] == [features["geometry"][0][2]]
    assert bulk["blob_magic"] == features["blob_magic"] == [(b"GP", 0)]
    # the table's extent (written with the rows, in their transaction): QGIS's writer's differs in the last digit of
    # some coordinates (3340888.923690503 against the geometries' 3340888.923690504)
    assert len(bulk["extent"]) == 1 and None not in bulk["extent"][0]
    assert bulk["extent"][0] == pytest.approx(features["extent"][0], rel=1e-15, abs=0)
    assert bulk["extension"] == features["extension"] == [("gpkg_rtree_index", "write-only")]
    assert len(bulk["rows"]) == len(features["rows"])
    for a, b in zip(bulk["rows"], features["rows"]):
        assert a == b


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    path = tmp_path_factory.mktemp("city") / "city.gpkg"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), str(path), "--parcels", "800"],
                   check=True, capture_output=True)
    return str(path)


def test_the_generators_city(plugin, tmp_path, monkeypatch, city):
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    buildings = QgsVectorLayer(f"{city}|layername=建筑", "建筑", "ogr")
    bulk, features = run_both(tmp_path, {"PARCELS": parcels, "BUILDINGS": buildings}, monkeypatch)
    assert len(bulk["rows"]) == 800 and any(row[-2] for row in bulk["rows"])  # some cluster_id
    assert_same(bulk, features)


def test_a_subset_and_a_selection(plugin, tmp_path, monkeypatch, city):
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    assert parcels.setSubsetString('"fid" % 3 <> 0')
    QgsProject.instance().addMapLayer(parcels)
    try:
        parcels.selectByIds([fid for fid in range(1, 801) if fid % 3 and fid % 7 < 4])
        bulk, features = run_both(
            tmp_path, {"PARCELS": QgsProcessingFeatureSourceDefinition(parcels.id(), True)}, monkeypatch)
    finally:
        QgsProject.instance().removeMapLayer(parcels.id())
    assert [row[0] for row in bulk["rows"]] == [fid for fid in range(1, 801) if fid % 3 and fid % 7 < 4]
    assert_same(bulk, features)


def test_a_gbk_shapefile_with_dates(plugin, tmp_path, monkeypatch):
    from test_columnar_reader import gbk_shapefile

    path = gbk_shapefile(tmp_path)
    bulk, features = run_both(tmp_path, {"PARCELS": path, "ALL_INDUSTRIAL": True,
                                         "PARCEL_FIELD_MAP": '{"parcel_id": "名称", "far": "r"}'}, monkeypatch)
    assert bulk["geometry"][0][1] == "MULTIPOLYGON"
    assert_same(bulk, features)
    d = [column[1] for column in bulk["columns"]].index("d")
    assert {row[d][:2] for row in bulk["rows"] if row[d]} == {"20"}  # dates as text, as GDAL writes them


def test_a_point_among_polygons(plugin, tmp_path, monkeypatch):
    from test_columnar_reader import FIELDS, rows, square, write

    geometries = [square(0), ogr.CreateGeometryFromWkt("POINT (530010 3340010)"), square(2), None]
    path = write(tmp_path / "mixed.gpkg", "GPKG", ogr.wkbUnknown, data=rows(4), geometries=geometries,
                 fields=FIELDS[:5])  # no date-time: that goes the feature way
    plain = QgsVectorLayer(path, "mixed", "ogr")
    assert plain.isValid() and plain.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
    bulk, features = run_both(tmp_path, {"PARCELS": plain, "ALL_INDUSTRIAL": True,
                                         "PARCEL_FIELD_MAP": '{"parcel_id": "名称", "far": "r"}'}, monkeypatch)
    assert_same(bulk, features)
    empty_polygon = bytes(ogr.CreateGeometryFromWkt("POLYGON EMPTY").ExportToIsoWkb())
    assert [row[1] == empty_polygon for row in bulk["rows"]] == [False, True, False, True]  # the point, no geometry


def test_a_table_added_to_an_existing_geopackage(plugin, tmp_path, city):
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    target = tmp_path / "report.gpkg"
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": str(target)})
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": f"{target}|layername=第二次"})
    with sqlite3.connect(target) as db:
        tables = sorted(row[0] for row in db.execute("SELECT table_name FROM gpkg_contents"))
    assert tables == sorted(["report", "第二次"])
    assert table_of(str(target), "report")["rows"] == table_of(str(target), "第二次")["rows"]
    assert os.path.getsize(target) > 0


@pytest.mark.parametrize(("file", "layer"), [("Xi'an 西安.gpkg", None), ("成果.gpkg", 'a"b'), ("成果.gpkg", "it's")])
def test_names_holding_quotes(plugin, tmp_path, city, file, layer):
    """A table named after Xi'an.gpkg, or given a name with a double quote, is written like any other: the SQL that
    builds its spatial index quotes the name (it failed with "sqlite3_prepare_v2(… CreateSpatialIndex('Xi'an …")."""
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    plain = tmp_path / "plain.gpkg"
    processing.run("landbureau:lowefficiency", {"PARCELS": parcels, "OUTPUT": str(plain)})
    target = tmp_path / file
    processing.run("landbureau:lowefficiency",
                   {"PARCELS": parcels, "OUTPUT": f"{target}|layername={layer}" if layer else str(target)})
    written, expected = table_of(str(target), layer or target.stem), table_of(str(plain), "plain")
    assert len(written["rows"]) == 800 and written["rows"] == expected["rows"]
    assert written["indexed"] == 1 and written["rtreecheck"] == "ok" and written["index"] == expected["index"]


def test_gdal_datasets_closed_while_a_profiler_holds_their_frames(plugin, tmp_path, city):
    """A profiler or a debugger keeps the frames it sees; a frame of GDAL's Python bindings holds the dataset as its
    `self`, so dropping the writer's own reference did not close the dataset, and GDAL had not yet created the table
    sqlite3 was to fill ("int() argument must be … not 'NoneType'": no srs id). The writer closes it itself."""
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    buildings = QgsVectorLayer(f"{city}|layername=建筑", "建筑", "ogr")
    plain, profiled = tmp_path / "plain.gpkg", tmp_path / "profiled.gpkg"
    parameters = {"PARCELS": parcels, "BUILDINGS": buildings}
    processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": str(plain)})
    held = []

    def profiler(frame, event, _arg):
        if event == "return" and "osgeo" in frame.f_code.co_filename:
            held.append(frame)

    sys.setprofile(profiler)
    try:
        processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": str(profiled)})
        processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": f"{profiled}|layername=第二次"})
    finally:
        sys.setprofile(None)
    assert any(type(frame.f_locals.get("self")).__name__ in ("Dataset", "DataSource") for frame in held)
    held.clear()
    expected = table_of(str(plain), "plain")
    assert len(expected["rows"]) == 800
    for table in ("profiled", "第二次"):
        written = table_of(str(profiled), table)
        assert written["rows"] == expected["rows"]
        assert written["blob_srs_ids"] == expected["blob_srs_ids"] == [expected["geometry"][0][2]]


def test_a_geopackage_whose_fid_column_is_not_called_fid(plugin, tmp_path, monkeypatch):
    """An ArcGIS export's GeoPackage names its FID column OBJECTID_FID. Read one column off, the land use held the
    areas (the run stopped: "no value is a land-use code … values: 14117.1") and a copied column could carry its
    neighbour's values. Both writers write every column with its own values."""
    from test_columnar_reader import write

    fields = [("OBJECTID", ogr.OFTInteger), ("YDXZ", ogr.OFTString), ("YDMJ", ogr.OFTReal), ("RJL", ogr.OFTReal)]
    data = [{"OBJECTID": 10 + i, "YDXZ": ["0601", "0604", "0701"][i % 3], "YDMJ": 10000.0 + i, "RJL": 0.3 + i / 10}
            for i in range(12)]
    path = write(tmp_path / "zd.gpkg", "GPKG", fields=fields, data=data, options=["FID=OBJECTID_FID"])
    bulk, features = run_both(tmp_path, {"PARCELS": f"{path}|layername=parcels", **SURVEY}, monkeypatch)
    assert_same(bulk, features)
    names = [column[1] for column in bulk["columns"]]
    for name in ("YDXZ", "YDMJ", "RJL"):
        assert [row[names.index(name)] for row in bulk["rows"]] == [row[name] for row in data], name


def copied_by_sql(monkeypatch) -> list:
    """Spy on what the bulk writer copies from a GeoPackage source in SQL: one (columns, geometry copied) per run."""
    from land_bureau_plugin.qgis_bridge import writing

    plans = []
    original = writing._copy_plan

    def spy(*args, **kwargs):
        copy = original(*args, **kwargs)
        plans.append(None if copy is None else ([c.name for c in copy.columns], copy.geometry is not None))
        return copy

    monkeypatch.setattr(writing, "_copy_plan", spy)
    return plans


def test_a_geopackage_source_copied_in_sql(plugin, tmp_path, monkeypatch, city):
    """Every column of the generator's city and its geometries are copied by SQLite (qgis_bridge.gpkg_copy), and
    the output is the feature way's, spatial index included."""
    plans = copied_by_sql(monkeypatch)
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    bulk, features = run_both(tmp_path, {"PARCELS": parcels}, monkeypatch)
    assert plans[0] == ([f.name() for f in parcels.fields() if f.name() != "fid"], True)
    assert_same(bulk, features)


@pytest.mark.parametrize("serializes", [True, False])
def test_a_geopackage_source_copied_in_chunks_bound_on_another_thread(plugin, tmp_path, monkeypatch, city,
                                                                      serializes):
    """The 800 parcels written in chunks of 97 rows (the last one 24), each bound on the chunks' thread while the
    last one is written — or on the writing thread, where Python's SQLite cannot serialize: the same output as the
    feature way's."""
    from land_bureau_plugin.qgis_bridge import gpkg_copy, writing

    if serializes and not gpkg_copy._reopens_inside_a_transaction():
        pytest.skip("this SQLite cannot reopen an image inside a transaction (3.53)")
    monkeypatch.setattr(gpkg_copy, "SERIALIZES", serializes)
    monkeypatch.setattr(writing, "CHUNK", 97)
    monkeypatch.setattr(writing, "MIN_CHUNK", 1)
    assert writing.chunk_size(800) == 97 and writing.chunk_size(8) == 2
    plans = copied_by_sql(monkeypatch)
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    buildings = QgsVectorLayer(f"{city}|layername=建筑", "建筑", "ogr")
    bulk, features = run_both(tmp_path, {"PARCELS": parcels, "BUILDINGS": buildings}, monkeypatch)
    assert plans[0] is not None and plans[0][1]
    assert_same(bulk, features)


def test_stored_values_that_do_not_fit_go_the_python_way(plugin, tmp_path, monkeypatch):
    """SQLite stores any value in any column. A stored value the copy would not write as the feature way does — text
    in a REAL column, a real in an INTEGER column, a geometry blob without an envelope — sends its whole column
    through Python; a clean column is copied. Either way the output is the feature way's, value by value."""
    from test_columnar_reader import FIELDS, rows, write

    path = write(tmp_path / "stored.gpkg", "GPKG", fields=FIELDS[:4], data=rows(12),
                 options=["SPATIAL_INDEX=NO"])  # its triggers need GDAL's SQL functions
    with sqlite3.connect(path) as db:
        db.execute("UPDATE parcels SET r = 'x1' WHERE fid = 3")
        db.execute("UPDATE parcels SET n = 3.5 WHERE fid = 5")
        blob = db.execute("SELECT geom FROM parcels WHERE fid = 7").fetchone()[0]
        db.execute("UPDATE parcels SET geom = ? WHERE fid = 7", (blob[:3] + bytes([1]) + blob[4:8] + blob[40:],))
    assert blob[3] == 0b011  # GDAL wrote it with an envelope; now it has none
    plans = copied_by_sql(monkeypatch)
    bulk, features = run_both(tmp_path, {"PARCELS": path, "ALL_INDUSTRIAL": True,
                                         "PARCEL_FIELD_MAP": '{"parcel_id": "名称", "far": "r"}'}, monkeypatch)
    assert plans[0] == (["名称", "big"], False)
    assert_same(bulk, features)


@pytest.mark.parametrize("stored", ["blob", "nul"])
def test_text_stored_as_a_blob_or_holding_a_nul_goes_the_python_way(plugin, tmp_path, monkeypatch, stored):
    """A blob in a TEXT column (it sorts above all text: max() finds it) or text with a NUL character (GDAL's text
    ends there): that column goes through Python; the others are copied."""
    from test_columnar_reader import FIELDS, rows, write

    path = write(tmp_path / "stored.gpkg", "GPKG", fields=FIELDS[:4], data=rows(12), options=["SPATIAL_INDEX=NO"])
    with sqlite3.connect(path) as db:
        value = b"\xe4\xbb\x93\xe5\x82\xa8" if stored == "blob" else "仓\x00储"
        db.execute('UPDATE parcels SET "名称" = ? WHERE fid = 4', (value,))
    plans = copied_by_sql(monkeypatch)
    processing.run("landbureau:lowefficiency", {"PARCELS": path, "ALL_INDUSTRIAL": True,
                                                "PARCEL_FIELD_MAP": '{"far": "r"}',
                                                "OUTPUT": str(tmp_path / "out.gpkg")})
    assert plans == [(["n", "big", "r"], True)]


def text_of(table: dict, name: str) -> list:
    """The values of column `name` of a `table_of`, in feature id order."""
    position = [column[1] for column in table["columns"]].index(name)
    return [row[position] for row in table["rows"]]


def text_or_none(value):
    """A value of QGIS's feature reader with NULL as None (QGIS 3.22 hands NULL over as a QVariant)."""
    return value if isinstance(value, str) else None


def test_the_copy_check_runs_beside_the_run_and_again_when_what_it_checked_changed(plugin, tmp_path, monkeypatch,
                                                                                    city):
    """The SQL copy check (writing.CopyCheck) is begun before the parcels are read, on a thread of its own, and its
    plan is the writer's; a check begun for another request than the writer's is not used: the writer checks its
    own request on its own thread."""
    from land_bureau_plugin.processing import efficiency
    from land_bureau_plugin.qgis_bridge import writing

    calls, order = [], []
    original_plan, original_local = writing._copy_plan, efficiency.LowEfficiencyAlgorithm._local

    def plan(request):
        calls.append((request, threading.current_thread() is threading.main_thread()))
        return original_plan(request)

    def local(self, *args, **kwargs):
        order.append(len(getattr(self, "_copy_checks", {})))
        return original_local(self, *args, **kwargs)

    monkeypatch.setattr(writing, "_copy_plan", plan)
    monkeypatch.setattr(efficiency.LowEfficiencyAlgorithm, "_local", local)
    parcels = QgsVectorLayer(f"{city}|layername=地块", "地块", "ogr")
    bulk, features = run_both(tmp_path, {"PARCELS": parcels}, monkeypatch)
    assert_same(bulk, features)
    assert [on_main for _, on_main in calls] == [False] and order == [1, 0]  # the feature way checks nothing
    request = calls[0][0]
    assert request is not None and request[0] == city
    calls.clear()
    check = writing.CopyCheck(request)
    assert check.plan(request) is not None and [on_main for _, on_main in calls] == [False]
    other = (*request[:3], request[3][:1], *request[4:])  # one candidate column fewer
    copy = check.plan(other)
    assert [c.name for c in copy.columns] == [request[3][0][0]] and calls[-1] == (other, True)
    assert writing.CopyCheck(None).plan(None) is None


@pytest.mark.parametrize("way", ["copied", "python"])
@pytest.mark.parametrize("longest", [39, 40, 41, 45])
def test_text_longer_than_its_field_written_whole(plugin, tmp_path, monkeypatch, way, longest):
    """GDAL stores a value of 45 characters in a TEXT(40) column whole (with a warning) and QGIS reads it whole; QGIS's
    own writer refuses it ("String of length 45 exceeds maximum field length (40)"). The bulk writer cut it to 40
    characters, copied by SQLite or bound from Python: data lost without a word. Now it writes every value whole and
    widens the field to its longest value in characters (TEXT(45) for 45 Chinese characters, 135 bytes); a field
    whose values all fit keeps its width (39 and 40)."""
    from test_columnar_reader import FIELDS, rows, write

    from land_bureau_plugin.qgis_bridge import writing

    data = rows(8)
    for row, length in zip(data, (longest, 39, 12)):
        row["名称"] = ("很长的名称" * 10)[:length]
    path = write(tmp_path / "long.gpkg", "GPKG", fields=FIELDS[:4], data=data)
    source = QgsVectorLayer(path, "long", "ogr")
    expected = [text_or_none(feature["名称"]) for feature in source.getFeatures()]  # QGIS reads them whole
    assert max(len(value) for value in expected if value) == longest
    width = max(source.fields().field("名称").length(), longest)
    if way == "copied":
        plans = copied_by_sql(monkeypatch)
    else:
        plans = []
        monkeypatch.setattr(writing, "_copy_plan", lambda *args: plans.append(None))
    parameters = {"PARCELS": path, "ALL_INDUSTRIAL": True, "PARCEL_FIELD_MAP": '{"parcel_id": "名称", "far": "r"}'}
    out = str(tmp_path / "out.gpkg")
    processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": out})
    assert plans == ([(["名称", "n", "big", "r"], True)] if way == "copied" else [None])  # the bulk writer wrote it
    table = table_of(out, "out")
    assert text_of(table, "名称") == expected
    assert [column[2] for column in table["columns"] if column[1] == "名称"] == [f"TEXT({width})"]
    output = QgsVectorLayer(out, "out", "ogr")
    assert output.fields().field("名称").length() == width
    assert [text_or_none(feature["名称"]) for feature in output.getFeatures()] == expected
    if longest > 40:  # QGIS's writer: no output rather than a cut value
        monkeypatch.setattr(base_module(), "bulk_writable", lambda *args: False)
        with pytest.raises(QgsProcessingException):
            processing.run("landbureau:lowefficiency", {**parameters, "OUTPUT": str(tmp_path / "features.gpkg")})


def base_module():
    from land_bureau_plugin.processing import base

    return base


CITY_GRID = "+proj=tmerc +lat_0=0 +lon_0=120.5 +k=1 +x_0=50000 +y_0=-3000000 +ellps=GRS80 +units=m +no_defs"
OTHER_GRID = "+proj=tmerc +lat_0=0 +lon_0=119.75 +k=1 +x_0=80000 +y_0=-2900000 +ellps=GRS80 +units=m +no_defs"


def grid_layer(path, proj: str | None, driver: str = "GPKG", options=(), missing: bool = True) -> str:
    """A polygon layer in a city's own grid (独立坐标系: a PROJ string, no EPSG code; None: no CRS at all) written
    by GDAL, with a real column; the third feature without geometry when `missing`."""
    from test_columnar_reader import square

    srs = None
    if proj:
        srs = osr.SpatialReference()
        srs.ImportFromProj4(proj)
    dataset = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    layer = dataset.CreateLayer("parcels", srs, ogr.wkbPolygon, options=list(options))
    layer.CreateField(ogr.FieldDefn("r", ogr.OFTReal))
    for i in range(6):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("r", 0.5 + i / 4)
        if i != 2 or not missing:
            feature.SetGeometry(square(i))
        assert layer.CreateFeature(feature) == 0
    dataset = None
    return str(path)


def layer_srs_wkt(ogrinfo_text: str) -> str:
    """The "Layer SRS WKT" block of `ogrinfo -so`."""
    block = ogrinfo_text.split("Layer SRS WKT:", 1)[1]
    return block.split("Data axis to CRS axis mapping", 1)[0].strip()


@pytest.mark.parametrize("source", ["gpkg", "gpkg python", "shapefile", "added", "no crs"])
def test_a_crs_without_an_epsg_code(plugin, tmp_path, monkeypatch, source):
    """A city's own grid has no EPSG code: GDAL registers it in gpkg_spatial_ref_sys under an id of its own (100000
    and up) and gives the geometry column that id. The bulk writer put -1 in every geometry blob's header instead
    (the EPSG code, or -1 when there is none), whether it copied the blobs (a GeoPackage source) or made them (a
    shapefile, or a source whose blobs SQLite does not copy), and for a layer without any CRS (srs id 0). Every
    blob now carries the column's srs id, as in QGIS's writer's output; "added": the output table added to a
    GeoPackage that already registered another grid as 100000, so the output's id is not the source's."""
    from land_bureau_plugin.qgis_bridge import writing

    if source == "shapefile":
        path = grid_layer(tmp_path / "grid.shp", CITY_GRID, "ESRI Shapefile", ["ENCODING=UTF-8"])
    else:
        # "added": QGIS's writer appending a table writes a missing geometry as NULL, not as an empty one
        path = grid_layer(tmp_path / "grid.gpkg", None if source == "no crs" else CITY_GRID, missing=source != "added")
    if source == "gpkg python":
        monkeypatch.setattr(writing, "_copy_plan", lambda *args: None)
    layer = QgsVectorLayer(path, "grid", "ogr")
    parameters = {"PARCELS": layer, "ALL_INDUSTRIAL": True, "PARCEL_FIELD_MAP": '{"far": "r"}'}
    if source == "added":
        bulk, features = run_both_added(tmp_path, parameters, monkeypatch)
    else:
        bulk, features = run_both(tmp_path, parameters, monkeypatch)
    assert_same(bulk, features)  # the blobs' srs id is the geometry column's, as in the feature way's output
    srs_id = bulk["geometry"][0][2]
    assert bulk["blob_srs_ids"] == [srs_id]
    if source == "no crs":
        assert srs_id in (0, 99999)  # GDAL's undefined CRS: 0 (geographic) before GDAL 3.10's 99999 (Cartesian)
        return
    assert srs_id == (100001 if source == "added" else 100000)
    wkts = []
    for out, table in ((tmp_path / "bulk.gpkg", "bulk"), (tmp_path / "features.gpkg", "features")):
        if source == "added":
            table = "out"
        with sqlite3.connect(out) as db:
            (definition,) = db.execute("SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                                       (srs_id,)).fetchone()
        stored = osr.SpatialReference()
        stored.ImportFromWkt(definition)
        assert stored.ExportToProj4().strip() == CITY_GRID, definition
        read = QgsVectorLayer(f"{out}|layername={table}", table, "ogr")
        assert read.isValid() and read.crs().toProj() == layer.crs().toProj()
        text = subprocess.run(["ogrinfo", "-so", str(out), table], check=True, capture_output=True,
                              text=True).stdout
        wkts.append(layer_srs_wkt(text))
    assert wkts[0] == wkts[1] and "120.5" in wkts[0]


def run_both_added(tmp_path, parameters: dict, monkeypatch):
    """`run_both`, each output a table "out" added to a GeoPackage already holding a table in another grid."""
    targets = {}
    for name in ("bulk", "features"):
        targets[name] = grid_layer(tmp_path / f"{name}.gpkg", OTHER_GRID)
        with sqlite3.connect(targets[name]) as db:
            assert db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchall() == [(100000,)]
    sink = f"ogr:dbname='{targets['features']}' table=\"out\" (geom)"  # QGIS 3.22's sink takes no |layername=
    run_bulk_then_features(parameters, monkeypatch, (f"{targets['bulk']}|layername=out", targets["bulk"]), sink)
    features = table_of(targets["features"], "out")
    # QGIS 3.22's writer appending a table leaves GDAL's feature count unset, 3.40's sets it
    assert features["count"] in ([(None,)], [(len(features["rows"]),)])
    features["count"] = [(len(features["rows"]),)]
    return table_of(targets["bulk"], "out"), features


BAD_UTF8 = [b"a\x93b", b"\xe4\xbb", b"\xe4\xbbx", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
            b"\xf0\x9f\x98", b"\xe4\xbb\x93\xe5"]  # a stray continuation byte, cut sequences, overlong, surrogate…


def test_text_stored_as_invalid_utf8(plugin, tmp_path, monkeypatch):
    """SQLite stores any bytes as TEXT; a GeoPackage written by another program can hold text that is not UTF-8.
    The SQL copy wrote those bytes as stored: an output QGIS's writer never makes (it writes what QGIS read, U+FFFD
    for each bad byte, as UTF-8), which Python's sqlite3 cannot even read back. Such a column goes the Python way,
    and every value is the text QGIS's feature reader gives for the source, in valid UTF-8; the other columns
    are still copied."""
    from test_columnar_reader import FIELDS, rows, write

    path = write(tmp_path / "bytes.gpkg", "GPKG", fields=FIELDS[:4], data=rows(12), options=["SPATIAL_INDEX=NO"])
    with sqlite3.connect(path) as db:
        for fid, value in enumerate(BAD_UTF8, start=1):
            db.execute('UPDATE parcels SET "名称" = CAST(? AS TEXT) WHERE fid = ?', (value, fid))
    source = QgsVectorLayer(path, "bytes", "ogr")
    expected = [text_or_none(feature["名称"]) for feature in source.getFeatures()]
    assert expected[:2] == ["a\ufffdb", "\ufffd\ufffd"]  # Qt: one U+FFFD per bad byte
    plans = copied_by_sql(monkeypatch)
    bulk, features = run_both(tmp_path, {"PARCELS": path, "ALL_INDUSTRIAL": True,
                                         "PARCEL_FIELD_MAP": '{"far": "r"}'}, monkeypatch)
    assert plans[0] == (["n", "big", "r"], True)
    assert text_of(bulk, "名称") == expected
    assert_same(bulk, features)


@pytest.mark.parametrize(("value", "copied"), [("\ufeff仓储", False), ("仓\ufeff储", True), ("仓\ufffe储", True),
                                             ("𠀀储", True)])
def test_unusual_utf8(plugin, tmp_path, monkeypatch, value, copied):
    """Valid UTF-8 that is unusual. QGIS drops a leading byte-order mark (Qt's QString::fromUtf8), which the SQL copy
    kept: that column goes the Python way, which drops it too. One elsewhere, a noncharacter, a character beyond the
    BMP (a rare name's character) are read as stored: that column is still copied by SQLite."""
    from test_columnar_reader import FIELDS, rows, write

    path = write(tmp_path / "odd.gpkg", "GPKG", fields=FIELDS[:4], data=rows(12), options=["SPATIAL_INDEX=NO"])
    with sqlite3.connect(path) as db:
        db.execute('UPDATE parcels SET "名称" = ? WHERE fid = 2', (value,))
    source = QgsVectorLayer(path, "odd", "ogr")
    expected = [text_or_none(feature["名称"]) for feature in source.getFeatures()]
    assert expected[1] == (value if copied else value[1:])
    plans = copied_by_sql(monkeypatch)
    bulk, features = run_both(tmp_path, {"PARCELS": path, "ALL_INDUSTRIAL": True,
                                         "PARCEL_FIELD_MAP": '{"far": "r"}'}, monkeypatch)
    assert plans[0] == ((["名称"] if copied else []) + ["n", "big", "r"], True)
    assert text_of(bulk, "名称") == expected
    assert_same(bulk, features)
