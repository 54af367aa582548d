"""qgis_bridge.gpkg: the bulk insert's transaction (the table's extent set in it), the read-only URI of a source."""
import sqlite3
from contextlib import closing

import numpy as np
import pytest
from test_gpkg_rtree import empty_index

from land_bureau_plugin.qgis_bridge import gpkg


@pytest.mark.parametrize("extent", [(1.5, 2.5, 30.25, 40.125), None, (np.nan, 0.0, 1.0, 1.0)])
def test_the_extent_is_set_with_the_rows_in_their_transaction(tmp_path, monkeypatch, extent):
    """insert_rows sets the table's extent in gpkg_contents with the rows, in their transaction (one commit: a
    commit of its own waited for the whole file to reach the disk); None or NaN leave GDAL's."""
    path = tmp_path / "extent.gpkg"
    empty_index(path)
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 't'").fetchone()
    commits = []
    original = sqlite3.Connection.commit

    class Counting(sqlite3.Connection):
        def commit(self):
            commits.append(self.execute("SELECT count(*) FROM t").fetchone()[0])
            return original(self)

    monkeypatch.setattr(gpkg.sqlite3, "connect", lambda *args, **kwargs: Counting(*args, **kwargs))
    gpkg.insert_rows(str(path), "t", ["fid"], [[[1, 2, 3]]], 3, extent=extent)
    assert commits == [3]
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 't'").fetchone()
        assert db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 't'").fetchone() == (3,)
    assert found == (extent if extent is not None and not np.isnan(extent).any() else before)


@pytest.mark.parametrize("name", ["plain.gpkg", "a b#c?d%e&f.gpkg", "地块 (2024)+.gpkg"])
def test_a_source_is_opened_read_only_whatever_its_name(tmp_path, name, monkeypatch):
    """gpkg.read_only_uri: a file whose name holds a space, #, ?, %, & or Chinese opens (relative or absolute) and
    cannot be written through that connection."""
    path = tmp_path / name
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (42)")
    monkeypatch.chdir(tmp_path)
    for given in (str(path), name):
        with closing(sqlite3.connect(gpkg.read_only_uri(given), uri=True)) as db:
            assert db.execute("SELECT x FROM t").fetchall() == [(42,)]
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                db.execute("INSERT INTO t VALUES (1)")


def test_a_windows_share_is_given_to_sqlite_as_an_empty_authority_and_a_unc_path():
    """pathlib's URI of \\\\fs01\\gis\\地块.gpkg is file://fs01/gis/…, which SQLite refuses (it opens no host); SQLite
    takes file:////fs01/gis/… (an empty authority, the UNC path //fs01/gis/…). Other URIs stay as they are."""
    share = "file://fs01/gis/%E5%9C%B0%E5%9D%97.gpkg"
    assert gpkg.sqlite_uri(share) == "file:////fs01/gis/%E5%9C%B0%E5%9D%97.gpkg"
    for uri in ("file:///C:/data/%E5%9C%B0%E5%9D%97.gpkg", "file:///home/gis/x.gpkg"):
        assert gpkg.sqlite_uri(uri) == uri
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect(share + "?mode=ro", uri=True)


def test_sqlite_opens_a_uri_with_an_empty_authority(tmp_path):
    """The four-slash form is one SQLite parses: here (POSIX) its path //tmp/… is /tmp/…."""
    path = tmp_path / "t.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    uri = "file:////" + path.as_uri()[len("file:///"):] + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_one_gdal_message_dropped_the_others_said_after_the_block():
    from osgeo import gdal

    from land_bureau_plugin.qgis_bridge.gpkg import gdal_message_dropped

    heard = []
    gdal.PushErrorHandler(lambda kind, number, message: heard.append((kind, message)))
    try:
        with gdal_message_dropped("No geometry column"):
            gdal.Error(gdal.CE_Warning, 1, "No geometry column")
            gdal.Error(gdal.CE_Warning, 1, "something else")
            assert heard == []
        gdal.Error(gdal.CE_Warning, 1, "No geometry column")  # outside the block: said
    finally:
        gdal.PopErrorHandler()
    assert heard == [(gdal.CE_Warning, "something else"), (gdal.CE_Warning, "No geometry column")]
