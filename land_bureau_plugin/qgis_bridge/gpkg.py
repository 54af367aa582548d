"""Bulk writing of a GeoPackage table: GDAL creates the table and its (empty) spatial index (so their metadata is
GDAL's own), sqlite3 inserts every row in one transaction with one `executemany` per chunk (rows zipped from
columns in C, no Python step per row) and, in the same transaction, packs the spatial index from the boxes already
known (qgis_bridge.gpkg_rtree). Qt-free (GDAL, sqlite3 and numpy only), so the data generator
(scripts/generate_data.py) writes its cities with it too.

Why not OGR feature by feature: ~12 µs a row in a transaction with numeric fields only, more with text; executemany
on prepared blobs takes about a quarter of that. GDAL's own Arrow writing (ogr.Layer.WriteArrow, GDAL ≥ 3.8) needs
Arrow arrays built by pyarrow, which no supported QGIS platform ships (Debian has no python3-pyarrow).
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from contextlib import closing, contextmanager

import numpy as np

GPKG_HEADER = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4")])
GPKG_ENVELOPE_HEADER = np.dtype(GPKG_HEADER.descr + [("envelope", "<f8", (4,))])


def gpkg_blobs(wkbs, srs_id: int, bounds: np.ndarray | None = None) -> list:
    """GeoPackage geometry blobs from WKB (None stays None): an 8-byte header (little endian, the srs id), the XY
    envelope where `bounds` (minx, miny, maxx, maxy per row) are given and finite, then the WKB itself. Readers
    and the spatial index take a geometry's box from its envelope instead of parsing the geometry."""
    wkbs = list(wkbs)
    heads = _headers(len(wkbs), srs_id, None)
    if bounds is not None:
        bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
        finite = np.isfinite(bounds).all(axis=1)
        enveloped = _headers(len(wkbs), srs_id, np.where(finite[:, None], bounds, 0.0))
        heads = enveloped if finite.all() else [e if ok else h for e, h, ok in zip(enveloped, heads, finite.tolist())]
    return [None if w is None else h + w for h, w in zip(heads, wkbs)]


def blob_wkb(blob: bytes | None) -> bytes | None:
    """The WKB of a GeoPackage geometry blob (`gpkg_blobs`' inverse): after the 8-byte header and the envelope its
    flags announce (bits 1-3: none, XY, XYZ, XYM, XYZM). None stays None."""
    if blob is None:
        return None
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return bytes(blob[8 + envelope:])


def _headers(count: int, srs_id: int, bounds: np.ndarray | None) -> list:
    """`count` blob headers, built array-wise: with the envelope of each row of `bounds`, else without one."""
    header = np.zeros(count, GPKG_ENVELOPE_HEADER if bounds is not None else GPKG_HEADER)
    header["magic"], header["srs_id"] = b"GP", srs_id
    header["flags"] = 0b011 if bounds is not None else 0b001  # bit 0: little endian; bits 1-3: envelope kind
    if bounds is not None:
        header["envelope"] = bounds[:, [0, 2, 1, 3]]  # minx, maxx, miny, maxy
    raw, size = header.tobytes(), header.dtype.itemsize
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def empty_blob(ogr_type: int, srs_id: int) -> bytes:
    """The blob of an empty geometry of an OGR type (header flag "empty", no envelope), what QGIS's writer puts
    for a feature without geometry in a table that has a geometry column."""
    from osgeo import ogr

    header = np.zeros(1, GPKG_HEADER)
    header["magic"], header["srs_id"], header["flags"] = b"GP", srs_id, 0b10001  # bit 4: empty; bit 0: little endian
    return header.tobytes() + bytes(ogr.Geometry(ogr_type).ExportToIsoWkb(ogr.wkbNDR))


@contextmanager
def triggers_dropped(con: sqlite3.Connection, table: str):
    """GDAL's feature-count triggers update gpkg_ogr_contents once per row, doubling the cost of a bulk insert;
    they are put back unchanged afterwards (and the caller sets the count directly)."""
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                           (table,)).fetchall()
    for name, _ in triggers:
        con.execute(f"DROP TRIGGER {quoted(name)}")
    yield
    for _, sql in triggers:
        con.execute(sql)


def create_spatial_index(path: str, table: str, geometry_column: str) -> str:
    """GDAL's spatial index (R*Tree, triggers, gpkg_extensions row) on the still empty `table`; its name."""
    from osgeo import gdal

    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    dataset.ReleaseResultSet(dataset.ExecuteSQL(
        f"SELECT CreateSpatialIndex({literal(table)}, {literal(geometry_column)})"))
    close_dataset(dataset)
    return f"rtree_{table}_{geometry_column}"


def close_dataset(dataset) -> None:
    """Close a GDAL dataset written to now, not whenever its last Python reference goes. Why: GDAL creates a
    table it was asked for (CreateLayer) only when the dataset is flushed or closed, and sqlite3 goes on writing the
    file right after; a reference kept elsewhere — a frame a profiler or a debugger holds, whose `self` is the
    dataset — left the table unwritten, and the writer found none. GDAL ≥ 3.8 closes the dataset
    (Dataset.Close); before, FlushCache writes what is pending and the file closes with the last reference."""
    if hasattr(dataset, "Close"):
        dataset.Close()
    else:
        dataset.FlushCache()


@contextmanager
def gdal_message_dropped(text: str):
    """GDAL's error message `text` left unsaid while the block runs; any other is said once the block is over, to
    the handler that was in place (QGIS's log, or stderr) — as a warning: an error emitted from Python would raise
    where GDAL's exceptions are on. For a message GDAL gives on every correct call: "No geometry column" when QGIS
    finishes a GeoPackage table without geometry."""
    from osgeo import gdal

    others = []
    gdal.PushErrorHandler(lambda kind, number, message: None if message == text else
                          others.append((kind, number, message)))
    try:
        yield
    finally:
        gdal.PopErrorHandler()
        for _kind, number, message in others:
            gdal.Error(gdal.CE_Warning, number, message)


def insert_rows(path: str, table: str, columns: list[str], chunks, count: int, index=None, copy=None,
                extent=None) -> None:
    """INSERT the rows of `table` of the GeoPackage at `path` (created by GDAL) in one transaction: `chunks` yields
    lists of columns (one sequence of plain Python values or None per name of `columns`), each inserted by one
    executemany; the feature count of gpkg_ogr_contents set once to `count`. `index`, when given, is (R*Tree name
    from `create_spatial_index`, feature ids, boxes minx, miny, maxx, maxy per row — NaN where none): the spatial
    index packed in the same transaction (the triggers that would fill it row by row are off meanwhile).

    `copy`: (source GeoPackage path, qgis_bridge.gpkg_copy.SourceCopy) — the columns it names are copied from the
    source by SQLite; each chunk then starts with the source's feature ids (and the output's, unless the same) and
    `columns` names the other columns, without fid. `extent`: the table's extent (`set_extent`), set in the same
    transaction — a commit of its own after the rows made SQLite wait for the whole file to reach the disk
    (fdatasync: 58 ms for 100,000 parcels' 53 MB), which the rows' own transaction does not (synchronous = OFF).

    Two threads: `chunks` is iterated, and the index's layout computed, on a thread of their own (`_Ahead`) while
    this one inserts — SQLite lets go of the GIL while it steps through an INSERT, so making the next chunk's
    Python values and the index's nodes overlaps writing the last one; with `copy`, that thread binds them too
    (gpkg_copy.Inserter.images). The connection is used by this thread only."""
    from . import gpkg_copy, gpkg_rtree

    with closing(sqlite3.connect(path)) as con:
        if hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):  # Python 3.12+: shadow tables writable, as by default
            con.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, False)
        con.execute("PRAGMA synchronous = OFF")
        if copy is not None and not gpkg_copy.attach(con, copy[0]):
            raise sqlite3.OperationalError(f"cannot attach {copy[0]}")
        if copy is not None:
            inserter = gpkg_copy.Inserter(con, table, copy[1], columns)
            insert, chunks = inserter.insert, inserter.images(chunks)  # bound on the chunks' thread
        else:
            names = ", ".join(quoted(c) for c in columns)
            sql = f"INSERT INTO {quoted(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"

            def insert(chunk):
                con.executemany(sql, zip(*chunk))
        then = None
        if index is not None:
            rtree, ids, boxes = index
            size = gpkg_rtree.node_size(con, rtree)

            def then():
                return gpkg_rtree.layout(ids, boxes, size)
        with triggers_dropped(con, table), _Ahead(chunks, then) as ahead:
            for chunk in ahead:
                insert(chunk)
            if index is not None:
                gpkg_rtree.write(con, index[0], ahead.result())
        con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (count, table))
        set_extent(con, table, extent)
        con.commit()


class _Ahead:
    """`for item in _Ahead(items, then)`: the items made on a thread of their own, the next one while the loop works
    on the last (at most `DEPTH` made and not yet done with: a chunk of rows as Python values is ~100 MB); then
    `then()` (if given) on that thread too, its value `result()` once the loop is over. An exception there is
    raised in the loop (or by `result()`); leaving the `with` block stops the thread first."""

    DEPTH = 2
    _END = object()

    def __init__(self, items, then=None):
        self._items, self._then = items, then
        self._queue = queue.Queue()
        self._slots = threading.Semaphore(self.DEPTH)
        self._stop = threading.Event()
        self._outcome = (None, None)  # (value, error) of then()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="land_bureau_rows", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False

    def _run(self) -> None:
        try:
            iterator = iter(self._items)
            while True:
                while not self._slots.acquire(timeout=0.05):
                    if self._stop.is_set():
                        return
                if self._stop.is_set():
                    return
                item = next(iterator, self._END)
                self._queue.put((item, None))
                if item is self._END:
                    break
            self._outcome = (self._then() if self._then is not None else None, None)
        except BaseException as error:  # noqa: B036 — raised again on the caller's thread
            self._queue.put((None, error))
            self._outcome = (None, error)
        finally:
            self._done.set()

    def __iter__(self):
        while True:
            item, error = self._queue.get()
            if error is not None:
                raise error
            if item is self._END:
                return
            yield item
            item = None
            self._slots.release()

    def result(self):
        self._done.wait()
        value, error = self._outcome
        if error is not None:
            raise error
        return value


def set_extent(con: sqlite3.Connection, table: str, bounds) -> None:
    """The table's extent in gpkg_contents (`bounds`: minx, miny, maxx, maxy; None or NaN: left as GDAL set it),
    in `con`'s open transaction (the caller commits)."""
    if bounds is None or not np.all(np.isfinite(bounds)):
        return
    con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                "WHERE lower(table_name) = lower(?)", (*map(float, bounds), table))


def geometry_srs_id(database, table: str) -> int | None:
    """The srs id of `table`'s geometry column in gpkg_geometry_columns (`database`: a GeoPackage's path or an open
    sqlite3 connection), None when it has none. The id every geometry blob of the table must carry (GeoPackage 1.3,
    requirement 33): GDAL registers a CRS without an EPSG code (a city's own grid) under an id of its own, 100000 and
    up, and a layer without any CRS under 0 (undefined geographic)."""
    def query(con):
        row = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                          (table,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    if isinstance(database, sqlite3.Connection):
        return query(database)
    with closing(sqlite3.connect(database)) as con:
        return query(con)


def connect_read_only(path: str) -> sqlite3.Connection | None:
    """A read-only SQLite connection to the GeoPackage at `path` (`read_only_uri`: the file is never written, nor
    created when missing), or None when SQLite cannot open it — the caller then reads another way (GDAL, QGIS)."""
    try:
        return sqlite3.connect(read_only_uri(path), uri=True)
    except (sqlite3.Error, ValueError):
        return None


def read_only_uri(path: str) -> str:
    """SQLite's URI of the file at `path`, opened read-only (`sqlite_uri`)."""
    from pathlib import Path

    return sqlite_uri(Path(os.path.abspath(path)).as_uri()) + "?mode=ro"


def sqlite_uri(file_uri: str) -> str:
    """SQLite's URI of a file whose pathlib URI is `file_uri` (every character but letters, digits and
    /-._~ percent-encoded, UTF-8 for the rest; a Windows drive as file:///C:/…) — what urllib.request.pathname2url
    gives too, but importing urllib.request imports http.client and email (50–75 ms of a run's first copy check,
    holding the GIL beside the main thread's reading). A Windows share (\\\\server\\share\\…, where a bureau keeps
    its data) is file://server/share/… for pathlib, which SQLite refuses ("invalid uri authority": it opens no
    host), and file:////server/share/… for SQLite: an empty authority and the UNC path //server/share/…
    (sqlite.org/uri.html); a reading that cannot open it falls back to one that needs no URI, as before."""
    if file_uri.startswith("file://") and not file_uri.startswith("file:///"):
        return "file:////" + file_uri[len("file://"):]
    return file_uri


def quoted(name: str) -> str:
    """An SQL identifier: a table or column name may hold a double quote (a file named a"b.gpkg names its table)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal: a table named after Xi'an.gpkg holds a single quote."""
    return "'" + text.replace("'", "''") + "'"


def remove_dataset(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
