"""The packed GeoPackage spatial index (qgis_bridge.gpkg_rtree) against SQLite's own R*Tree: the same entries as
rows INSERTed one by one into an index GDAL created (so the same 32-bit rounding outwards of every bound),
SQLite's `rtreecheck()` passing, window queries answering as on the inserted index and as a brute force over the
boxes, and the index still edited correctly afterwards (QGIS edits the written layer through the same triggers).
Sizes around a node's capacity (51 cells: 0, 1, 51, 52) and a tree of three levels; boxes in a Gauss-Krüger zone,
in degrees and around zero (negative bounds round the other way), points (empty boxes) and rows without geometry."""
import sqlite3

import numpy as np
import pytest
from osgeo import gdal, ogr

from land_bureau_plugin.qgis_bridge import gpkg, gpkg_rtree

FANOUT = 51  # (1228 - 4) // 24: the node size GDAL's R*Tree gets in a GeoPackage of 4096-byte pages


def empty_index(path, geometry=ogr.wkbPolygon) -> str:
    """A GeoPackage with an empty table made by GDAL, and GDAL's (empty) spatial index on it."""
    gdal.UseExceptions()
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    dataset.CreateLayer("t", None, geometry, ["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom", "FID=fid"])
    dataset = None
    return gpkg.create_spatial_index(str(path), "t", "geom")


def boxes_like(kind: str, count: int, seed: int = 1) -> np.ndarray:
    """minx, miny, maxx, maxy per row."""
    rng = np.random.default_rng(seed)
    if kind == "gauss_kruger":  # metres in a CGCS2000 3° zone, the bureau's own data
        x, y, size = rng.uniform(500_000, 560_000, count), rng.uniform(3_320_000, 3_370_000, count), 200.0
    elif kind == "degrees":
        x, y, size = rng.uniform(119.5, 120.5, count), rng.uniform(29.9, 30.6, count), 0.002
    else:  # around zero: negative bounds round the other way
        x, y, size = rng.uniform(-50, 50, count), rng.uniform(-50, 50, count), 3.0
    w, h = rng.uniform(0, size, count), rng.uniform(0, size, count)
    if kind == "points":
        w = h = np.zeros(count)
    return np.column_stack([x, y, x + w, y + h])


def both(tmp_path, bounds, ids=None):
    """The index packed, and the index filled by SQLite inserting row by row; both connections."""
    ids = np.arange(1, len(bounds) + 1) if ids is None else ids
    packed, inserted = tmp_path / "packed.gpkg", tmp_path / "inserted.gpkg"
    rtree = empty_index(packed)
    assert empty_index(inserted) == rtree == "rtree_t_geom"
    a, b = sqlite3.connect(packed), sqlite3.connect(inserted)
    gpkg_rtree.pack(a, rtree, ids, bounds)
    a.commit()
    live = np.isfinite(bounds).all(axis=1)
    b.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)',
                  [(int(i), x0, x1, y0, y1) for i, (x0, y0, x1, y1) in zip(ids[live], bounds[live].tolist())])
    b.commit()
    return a, b, rtree


def entries(con, rtree):
    return con.execute(f'SELECT id, minx, maxx, miny, maxy FROM "{rtree}" ORDER BY id').fetchall()


def window(con, rtree, x0, y0, x1, y1):
    return sorted(row[0] for row in con.execute(
        f'SELECT id FROM "{rtree}" WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?', (x1, x0, y1, y0)))


def depth(con, rtree) -> int:
    root = con.execute(f'SELECT data FROM "{rtree}_node" WHERE nodeno = 1').fetchone()[0]
    return int.from_bytes(root[:2], "big")


@pytest.mark.parametrize("count", [1, FANOUT, FANOUT + 1, 3000])
@pytest.mark.parametrize("kind", ["gauss_kruger", "degrees", "around_zero", "points"])
def test_same_entries_as_sqlite_inserting(tmp_path, kind, count):
    bounds = boxes_like(kind, count)
    packed, inserted, rtree = both(tmp_path, bounds)
    assert entries(packed, rtree) == entries(inserted, rtree)
    assert len(entries(packed, rtree)) == count
    assert packed.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"
    assert depth(packed, rtree) == {1: 0, FANOUT: 0, FANOUT + 1: 1, 3000: 2}[count]
    nodes = packed.execute(f'SELECT count(*) FROM "{rtree}_node"').fetchone()[0]
    parents = packed.execute(f'SELECT count(*) FROM "{rtree}_parent"').fetchone()[0]
    assert parents == nodes - 1  # every node but the root has its parent


def test_windows_answer_as_a_brute_force(tmp_path):
    bounds = boxes_like("gauss_kruger", 3000, seed=7)
    packed, inserted, rtree = both(tmp_path, bounds)
    stored = np.array(entries(packed, rtree))  # id, minx, maxx, miny, maxy as stored (32-bit, rounded outwards)
    rng = np.random.default_rng(3)
    found = 0
    for x, y in zip(rng.uniform(500_000, 560_000, 40), rng.uniform(3_320_000, 3_370_000, 40)):
        x0, y0, x1, y1 = x, y, x + 2_000, y + 1_500
        brute = stored[(stored[:, 1] <= x1) & (stored[:, 2] >= x0) & (stored[:, 3] <= y1) & (stored[:, 4] >= y0), 0]
        assert window(packed, rtree, x0, y0, x1, y1) == window(inserted, rtree, x0, y0, x1, y1) == \
            sorted(brute.astype(int).tolist())
        found += len(brute)
    assert found > 40  # the windows did hit boxes


def test_stored_bounds_hold_the_boxes(tmp_path):
    """Every stored lower bound ≤ the double, every upper bound ≥ it, at most one 32-bit step away."""
    bounds = np.vstack([boxes_like("gauss_kruger", 500), boxes_like("around_zero", 500)])
    packed, _, rtree = both(tmp_path, bounds)
    stored = np.array(entries(packed, rtree))[:, 1:]
    x0, x1, y0, y1 = stored.T
    assert (x0 <= bounds[:, 0]).all() and (y0 <= bounds[:, 1]).all()
    assert (x1 >= bounds[:, 2]).all() and (y1 >= bounds[:, 3]).all()
    step = np.spacing(np.abs(bounds).astype(np.float32)).astype(float)
    assert (np.abs(stored[:, [0, 2, 1, 3]] - bounds) <= 2 * step).all()


def test_rows_without_geometry_are_left_out(tmp_path):
    bounds = boxes_like("gauss_kruger", 200)
    bounds[[0, 17, 199]] = np.nan  # no geometry, an empty one
    ids = np.arange(1, 201) * 10  # feature ids of the source, not row numbers
    packed, inserted, rtree = both(tmp_path, bounds, ids)
    assert entries(packed, rtree) == entries(inserted, rtree)
    assert {row[0] for row in entries(packed, rtree)} == set(ids.tolist()) - {10, 180, 2000}


def test_nothing_to_index_leaves_the_empty_index(tmp_path):
    packed, inserted, rtree = both(tmp_path, np.full((3, 4), np.nan))
    assert entries(packed, rtree) == [] and packed.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"


def test_the_index_is_edited_like_any_other_afterwards(tmp_path):
    bounds = boxes_like("gauss_kruger", 3000, seed=5)
    packed, inserted, rtree = both(tmp_path, bounds)
    for con in (packed, inserted):
        con.execute(f'DELETE FROM "{rtree}" WHERE id % 3 = 0')
        con.execute(f'UPDATE "{rtree}" SET minx = minx - 500, maxx = maxx - 500 WHERE id % 5 = 1')
        con.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)',
                        [(10_000 + i, 530_000.0 + i, 530_010.0 + i, 3_340_000.0, 3_340_010.0) for i in range(500)])
        con.commit()
        assert con.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"
    assert entries(packed, rtree) == entries(inserted, rtree)
    assert window(packed, rtree, 529_000, 3_339_000, 531_000, 3_341_000) == \
        window(inserted, rtree, 529_000, 3_339_000, 531_000, 3_341_000)


def test_gdal_reads_the_packed_index(tmp_path):
    """OGR's spatial filter on the GeoPackage goes through the index: the features of a window, as without it."""
    import shapely

    path = tmp_path / "layer.gpkg"
    gdal.UseExceptions()
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("t", None, ogr.wkbPolygon, ["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom", "FID=fid"])
    bounds = boxes_like("gauss_kruger", 2000, seed=11)
    polygons = shapely.box(*bounds.T)
    for wkb in shapely.to_wkb(polygons):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
        layer.CreateFeature(feature)
    dataset = None
    rtree = gpkg.create_spatial_index(str(path), "t", "geom")
    con = sqlite3.connect(path)
    gpkg_rtree.pack(con, rtree, np.arange(1, 2001), bounds)  # replaces what GDAL filled in
    con.commit()
    assert con.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"
    con.close()
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayer(0)
    x0, y0, x1, y1 = 520_000, 3_330_000, 530_000, 3_345_000
    layer.SetSpatialFilterRect(x0, y0, x1, y1)
    found = sorted(feature.GetFID() for feature in layer)
    expected = np.flatnonzero(shapely.intersects(polygons, shapely.box(x0, y0, x1, y1))) + 1
    assert found == expected.tolist() and len(found) > 10


def test_rows_made_on_a_thread_of_their_own_a_chunk_ahead():
    """gpkg._Ahead: the items in order, made off the caller's thread and at most DEPTH not yet done with, then
    `then()`'s value; an error there reaches the caller; a loop left early stops the thread."""
    import threading

    from land_bureau_plugin.qgis_bridge.gpkg import _Ahead

    made, done, alive = [], [], []

    def items():
        for k in range(6):
            made.append((k, threading.current_thread() is threading.main_thread()))
            alive.append(len(made) - len(done))
            yield k

    with _Ahead(items(), lambda: "layout") as ahead:
        for item in ahead:
            done.append(item)
        assert ahead.result() == "layout"
    assert done == list(range(6)) and [on_main for _, on_main in made] == [False] * 6
    assert max(alive) <= _Ahead.DEPTH + 1  # the one being made, DEPTH - 1 waiting, the caller's

    def broken():
        yield 1
        raise ValueError("chunk 2")

    with pytest.raises(ValueError, match="chunk 2"), _Ahead(broken()) as ahead:
        list(ahead)
    with pytest.raises(KeyError), _Ahead(iter(range(3)), lambda: {}["x"]) as ahead:
        list(ahead)
        ahead.result()
    endless = _Ahead(iter(range(10**9)))
    with endless:
        next(iter(endless))
    assert not endless._thread.is_alive()



@pytest.mark.parametrize("ids", ["negative", "beyond_packing", "no_json"])
def test_the_rowid_table_from_json_or_row_by_row(tmp_path, monkeypatch, ids):
    """The rowid table (feature id → leaf) is filled from one JSON array of packed integers (id × 2²⁴ + leaf) where
    the ids allow it — negative ones too —, row by row where an id is beyond ±2³⁹ or SQLite has no json_each; the
    index is the one SQLite builds inserting either way."""
    bounds = boxes_like("gauss_kruger", 300, seed=4)
    numbers = np.arange(300, dtype=np.int64) * 7 - 1000  # negative and positive feature ids
    if ids == "beyond_packing":
        numbers[5] = 2 ** 39
    if ids == "no_json":
        monkeypatch.setattr(gpkg_rtree, "ROWID_FROM_JSON", gpkg_rtree.ROWID_FROM_JSON.replace("json_each", "no_json"))
    rows = gpkg_rtree._leaf_rows(np.sort(numbers), np.full(300, 2))
    assert (rows.packed is None) == (ids == "beyond_packing")
    packed, inserted, rtree = both(tmp_path, bounds, numbers)
    assert entries(packed, rtree) == entries(inserted, rtree)
    assert packed.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"
    leaves = packed.execute(f'SELECT rowid, nodeno FROM "{rtree}_rowid" ORDER BY rowid').fetchall()
    assert [row[0] for row in leaves] == sorted(numbers.tolist())
    assert set(row[1] for row in leaves) == set(r[0] for r in packed.execute(
        f'SELECT nodeno FROM "{rtree}_node" WHERE nodeno NOT IN (SELECT parentnode FROM "{rtree}_parent")'))
