"""The source's own columns copied from a GeoPackage to the bulk writer's output in SQL, not through Python.

Why: an analysis's output is the source's rows with their attributes and geometries plus the result columns. The
bulk writer (qgis_bridge.writing.write_gpkg) read the source's columns a second time through GDAL, turned them into
Python values and geometry blobs (the boxes for the spatial index from shapely) and bound them to sqlite3 one value
at a time — half of the writing time. When the source is itself a GeoPackage, SQLite copies its stored values and
geometry blobs itself: the source is ATTACHed to the output's connection, the result columns (and whatever is not
copied) are bound chunk by chunk into an in-memory database (on the thread that makes the chunks: `Inserter`), and
one `INSERT … SELECT` per chunk joins the two by feature id.

A column is copied only where its stored values are what the feature reader would give back, so that the output
is the same, value by value, as the one written through Python (tests/qgis/test_bulk_writer.py):
- REAL without precision, every value stored as a real (or NULL); INTEGER, every value an integer (within 32 bits
  for a 32-bit field); TEXT, every value text without a NUL character (GDAL cuts there), valid UTF-8 (SQLite stores
  any bytes as TEXT; QGIS reads a bad byte as U+FFFD, and so does the Python way) and not starting with a
  byte-order mark (QGIS drops it) — copied whole, however long: `plan` finds the longest value in characters, and
  the writer widens the output field to it (a TEXT(40) column may hold longer text; cutting it lost data). Dates,
  32-bit float fields and anything else go through Python as before;
- the geometry, when every stored blob has exactly the header the writer would write (little endian, the source
  column's srs id — the output's must be the same, else the geometry goes through Python —, an XY envelope — none
  for points —, not empty) followed by little-endian WKB of exactly the layer's type
  (no single polygon in a multi-polygon layer, no point among polygons, no curve); a missing geometry becomes the
  empty blob as before. The spatial index then takes its boxes from the blobs' envelopes, which GDAL computed from
  the same coordinates shapely's bounds come from.
One stored value that does not fit sends that whole column the Python way; a source the connection cannot read
(locked, not a table) sends all of them. Qt-free (sqlite3 and numpy only).
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np

from .gpkg import quoted

SOURCE = "lb_source"  # the attached source's schema name
ROWS_SCHEMA = "lb_bound"  # the in-memory schema of the values bound from Python (Inserter) …
ROWS = "lb_rows"  # … and its table


def _reopens_inside_a_transaction() -> bool:
    """Whether this Python's SQLite lets the writing connection open one chunk's image after another as the same
    attached schema inside its one transaction. Python's sqlite3 has serialize / deserialize only where its SQLite
    has that API (3.23+, unless left out when it was built); SQLite 3.40 and 3.46 let a schema read in the open
    transaction be replaced, 3.53 refuses ("database is locked": QGIS 3.44 on Debian sid failed every output of
    more than one chunk). Tried once, on two connections in memory."""
    if not hasattr(sqlite3.Connection, "deserialize"):
        return False
    try:
        with closing(sqlite3.connect(":memory:")) as maker, closing(sqlite3.connect(":memory:")) as con:
            maker.execute("CREATE TABLE t (a)")
            image = maker.serialize()
            con.execute("CREATE TABLE w (a)")
            con.execute("ATTACH DATABASE ':memory:' AS probe")
            con.execute("INSERT INTO w VALUES (1)")  # the transaction is open from here
            for _ in range(2):
                con.deserialize(image, name="probe")
                con.execute("INSERT INTO w SELECT a FROM probe.t")
            con.rollback()
        return True
    except sqlite3.Error:
        return False


# where the writing connection can open the images, the rows are bound on the chunks' thread; elsewhere on the
# writing thread, as before the two steps
SERIALIZES = _reopens_inside_a_transaction()


class SourceChangedError(Exception):
    """Fewer source rows joined than were bound: the source lost features since they were read (nothing is
    committed)."""

    def __init__(self, missing: int):
        super().__init__(f"{missing} source row(s) missing")
        self.missing = missing


@dataclass
class Candidate:
    """An output column that may be copied: its name, the source column, and how its values must be stored
    (`real`, `int32`, `int64`, `text`) — `longest`: what `plan` found, the longest text in characters."""

    name: str
    source: str
    kind: str
    longest: int = 0


@dataclass
class GeometryCandidate:
    """The geometry column, copied when every blob is `header` (8 bytes) then WKB starting with `wkb_head` (byte
    order and type code) at byte `wkb_offset` (40 after an XY envelope, 8 for a point); `empty`: the blob written
    for a missing geometry."""

    name: str
    source: str
    header: bytes
    wkb_offset: int
    wkb_head: bytes
    empty: bytes
    ids: np.ndarray | None = None  # what `plan` read: the source's feature ids with a geometry, and their boxes
    boxes: np.ndarray | None = None

    @property
    def srs_id(self) -> int:
        """The srs id every copied blob carries (the header's, little endian)."""
        return int.from_bytes(self.header[4:8], "little", signed=True)


@dataclass
class SourceCopy:
    """What `plan` found copyable: the source table, its fid column, the copied columns and whether the geometry
    is copied; `same_fids`: the output's feature ids are the source's."""

    table: str
    fid_column: str
    columns: list = field(default_factory=list)
    geometry: GeometryCandidate | None = None
    same_fids: bool = True


def attach(con: sqlite3.Connection, path: str) -> bool:
    """ATTACH the source GeoPackage (outside any transaction); False when SQLite cannot."""
    try:
        con.execute(f"ATTACH DATABASE ? AS {SOURCE}", (path,))
        return True
    except sqlite3.Error:
        return False


def plan(con: sqlite3.Connection, schema: str, table: str, fid_column: str, candidates: list, geometry,
         same_fids: bool = True) -> SourceCopy | None:
    """Which `candidates` (and `geometry`, a GeometryCandidate or None) the source's stored values allow to copy
    (the source: `schema` of `con`): one pass over the table in SQL for the attributes (`_misfit`, and for text
    `_text_checks`), one over the blobs' first bytes for the geometry. None when nothing is copied or the source
    cannot be read."""
    try:
        kind = con.execute(f"SELECT type FROM {schema}.sqlite_master WHERE lower(name) = lower(?)",
                           (table,)).fetchone()
        if kind is None or kind[0] != "table":
            return None
        columns = {row[1]: _affinity(row[2]) for row in con.execute(f"PRAGMA {schema}.table_info({quoted(table)})")}
        if fid_column not in columns:
            return None
        candidates = [c for c in candidates if c.source in columns]
        copied = []
        if candidates:
            aggregates = [_misfit(c, columns[c.source]) for c in candidates]
            aggregates += [_text_checks(c) for c in candidates if c.kind == "text"]
            found = con.execute(f"SELECT {', '.join(aggregates)} FROM {schema}.{quoted(table)}").fetchone()
            bad = [bool(misfit) for misfit in found[:len(candidates)]]
            checks = iter(found[len(candidates):])
            for i, candidate in enumerate(candidates):
                if candidate.kind == "text":
                    candidate.longest, joined = next(checks) or 0, next(checks)
                    bad[i] = bad[i] or not _read_as_stored(joined)
            copied = [c for c, misfit in zip(candidates, bad) if not misfit]
        if geometry is not None and geometry.source in columns:
            geometry = _with_boxes(con, schema, table, fid_column, geometry)
        else:
            geometry = None
    except sqlite3.Error:
        return None
    if not copied and geometry is None:
        return None
    return SourceCopy(table, fid_column, copied, geometry, same_fids)


def _with_boxes(con: sqlite3.Connection, schema: str, table: str, fid_column: str, geometry):
    """`geometry` with the feature ids and boxes of the source's geometries (`ids`, `boxes`: minx, miny, maxx, maxy)
    when every stored blob starts as the writer's would, else None. The first bytes of each blob — header,
    envelope (a point's coordinates), WKB byte order and type — come as hex text SQLite makes, 100,000 rows at a
    time, and are checked array-wise."""
    point = geometry.wkb_offset == 8
    size = geometry.wkb_offset + len(geometry.wkb_head) + (16 if point else 0)
    g, fid = quoted(geometry.source), quoted(fid_column)
    # the bytes as one hex string per 100,000 rows, made by SQLite: no Python object per row
    chunk = (f"SELECT group_concat(printf('%016X', {fid}) || hex(substr({g}, 1, {size})), ''), max({fid}), count(*), "
             f"total(typeof({g}) != 'blob') FROM (SELECT {fid}, {g} FROM {schema}.{quoted(table)} "
             f"WHERE {fid} > ? AND {g} IS NOT NULL ORDER BY {fid} LIMIT 100000)")
    ids, boxes = [], []
    header = np.frombuffer(geometry.header, dtype=np.uint8)
    wkb_head = np.frombuffer(geometry.wkb_head, dtype=np.uint8)
    last = -(2 ** 63)
    while True:
        text, last, count, not_blobs = con.execute(chunk, (last,)).fetchone()
        if not count:
            break
        if not_blobs or len(text) != 2 * (8 + size) * count:  # text or a number, a blob shorter than a header
            return None
        rows = np.frombuffer(bytes.fromhex(text), dtype=np.uint8).reshape(-1, 8 + size)
        heads = rows[:, 8:]
        if not ((heads[:, :8] == header).all() and
                (heads[:, geometry.wkb_offset:geometry.wkb_offset + len(wkb_head)] == wkb_head).all()):
            return None
        ids.append(np.ascontiguousarray(rows[:, :8]).view(">i8").ravel().astype(np.int64))
        if point:
            xy = np.ascontiguousarray(heads[:, 13:29]).view("<f8").reshape(-1, 2)
            boxes.append(np.column_stack([xy, xy]))
        else:
            envelope = np.ascontiguousarray(heads[:, 8:40]).view("<f8").reshape(-1, 4)  # minx, maxx, miny, maxy
            boxes.append(envelope[:, [0, 2, 1, 3]])
    geometry.ids = np.concatenate(ids) if ids else np.empty(0, dtype=np.int64)
    geometry.boxes = np.concatenate(boxes).astype(np.float64) if boxes else np.empty((0, 4))
    return geometry


def boxes_of(geometry, fids: np.ndarray) -> np.ndarray:
    """The boxes (minx, miny, maxx, maxy) of the source features `fids` from a planned geometry copy: NaN for a
    feature without geometry (none is indexed, as GDAL indexes none)."""
    out = np.full((len(fids), 4), np.nan)
    if not len(geometry.ids):
        return out
    order = np.argsort(geometry.ids, kind="stable")
    positions = np.searchsorted(geometry.ids, fids, sorter=order)
    positions = np.minimum(positions, len(order) - 1)
    found = geometry.ids[order[positions]] == fids
    out[found] = geometry.boxes[order[positions[found]]]
    return out


def _misfit(candidate: Candidate, affinity: str) -> str:
    """An aggregate, true when a stored value of the column would not be written by the copy as the Python way
    writes it. SQLite orders NULL < numbers < text < blobs, so the largest value of a column of REAL affinity (where
    every number is stored as a real) is a real unless some value is text or a blob, and of a column of TEXT affinity
    (numbers stored as text) a blob if any is: max() instead of a test per row, a third of the time."""
    c = quoted(candidate.source)
    if candidate.kind == "real":
        if affinity == "REAL":
            return f"typeof(max({c})) NOT IN ('real', 'null')"
        return f"total(typeof({c}) NOT IN ('real', 'null'))"
    if candidate.kind == "int32":
        return f"total(typeof({c}) NOT IN ('integer', 'null') OR {c} NOT BETWEEN -2147483648 AND 2147483647)"
    if candidate.kind == "int64":
        return f"total(typeof({c}) NOT IN ('integer', 'null'))"
    # text: a NUL character inside a value (GDAL's text ends there) is looked for in the values `_text_checks`
    # joins (`_read_as_stored`: one search in C over the joined bytes, where instr() per row took 0.2 s a column at
    # a million rows)
    if affinity == "TEXT":
        return f"typeof(max({c})) = 'blob'"
    return f"total(typeof({c}) NOT IN ('text', 'null'))"


def _text_checks(candidate: Candidate) -> str:
    """Two aggregates of a text column for `plan`: its longest value in characters (SQLite's length() counts them,
    in valid UTF-8), and its values joined with an ASCII comma as a blob (`_read_as_stored` checks it). The blob is
    as large as the column's text (6 MB for the four text columns of 100,000 bench parcels), which the Python way
    would hold whole too; past SQLite's limit (a gigabyte) the query fails and nothing is copied. Together they
    added 0.06 s of CPU to the 0.10 s of the attribute pass over the bench's 100,000 parcels."""
    c = quoted(candidate.source)
    return f"max(length({c})), CAST(group_concat({c}, ',') AS BLOB)"


def _read_as_stored(joined) -> bool:
    """Whether QGIS reads the values `_text_checks` joined (None: no value) as they are stored: valid UTF-8
    (strictly: no surrogate, no overlong form) — the comma joining them is a byte no UTF-8 sequence holds, so the
    joined bytes are valid exactly when every value is; decoded in one call —, without a NUL character (GDAL's text
    ends there; group_concat keeps every byte of each value, so a NUL in a value is a NUL in the joined bytes) and
    none starting with a byte-order mark, which QGIS drops (looked for at the start and after each comma: a value
    holding ",\ufeff" sends its column the Python way too, which is only slower)."""
    joined = bytes(joined or b"")
    if b"\x00" in joined:
        return False
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not (joined.startswith(_BOM) or b"," + _BOM in joined)


_BOM = "\ufeff".encode()


def _affinity(declared: str) -> str:
    """The column affinity SQLite gives a declared type (sqlite.org/datatype3.html, 3.1)."""
    declared = (declared or "").upper()
    if "INT" in declared:
        return "INTEGER"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in declared or not declared:
        return "BLOB"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _expression(candidate: Candidate) -> str:
    return f"s.{quoted(candidate.source)}"


class Inserter:
    """INSERTs the output rows chunk by chunk, in two steps meant for two threads. `images(chunks)` binds each chunk
    — the bound columns: the source fid first, then the output fid unless `same_fids`, then the other bound columns
    in `bound` order — into a private in-memory database and hands over its image (sqlite3's serialize); it runs on
    the thread that makes the chunks (gpkg._Ahead). `insert(image)` opens that image on the writing connection as
    the schema `ROWS_SCHEMA` and joins its rows with the source into the output; the copied columns come from the
    source.

    Why two steps: binding Python values is sqlite3's work with the GIL held (0.31 s for 100,000 rows of 15 result
    columns), the join and the write are SQLite's alone without it (0.2 s). In one temporary table of the writing
    connection they ran one after the other on one core; on two threads the next chunk is bound while the last one
    is written. An image is copied in memory once (30 MB for 100,000 rows with their reasons: milliseconds).
    Without `SERIALIZES`, `images` hands the chunks over as they are and `insert` binds them into `ROWS_SCHEMA`
    itself: the same rows, on one thread."""

    def __init__(self, con: sqlite3.Connection, out_table: str, copy: SourceCopy, bound: list[str]):
        self.con = con
        con.execute(f"ATTACH DATABASE ':memory:' AS {ROWS_SCHEMA}")  # outside a transaction, as ATTACH must be
        values = ["src INTEGER PRIMARY KEY"] + [f"v{i}" for i in range(len(bound) + (0 if copy.same_fids else 1))]
        self.layout, self.placeholders = ", ".join(values), ", ".join("?" * len(values))
        if not SERIALIZES:
            con.execute(f"CREATE TABLE {ROWS_SCHEMA}.{ROWS} ({self.layout})")
        names, expressions = ["fid"], ["r.src" if copy.same_fids else "r.v0"]
        first = 0 if copy.same_fids else 1
        names += bound
        expressions += [f"r.v{first + i}" for i in range(len(bound))]
        if copy.geometry is not None:
            names.append(copy.geometry.name)
            expressions.append(f"coalesce(s.{quoted(copy.geometry.source)}, ?)")
        for candidate in copy.columns:
            names.append(candidate.name)
            expressions.append(_expression(candidate))
        self.copy_sql = (f"INSERT INTO main.{quoted(out_table)} ({', '.join(quoted(n) for n in names)}) "
                         f"SELECT {', '.join(expressions)} FROM {ROWS_SCHEMA}.{ROWS} AS r "
                         f"JOIN {SOURCE}.{quoted(copy.table)} AS s ON s.{quoted(copy.fid_column)} = r.src "
                         f"ORDER BY r.src")
        self.parameters = (copy.geometry.empty,) if copy.geometry is not None else ()

    def images(self, chunks):
        """(image of a private database holding the chunk's bound rows, its row count) for each chunk of `chunks`.
        The private connection may be closed from another thread: a generator dropped early is closed where it is
        collected."""
        if not SERIALIZES:
            yield from ((chunk, len(chunk[0])) for chunk in chunks)
            return
        with closing(sqlite3.connect(":memory:", check_same_thread=False)) as own:
            for chunk in chunks:
                own.execute(f"DROP TABLE IF EXISTS {ROWS}")
                own.execute(f"CREATE TABLE {ROWS} ({self.layout})")
                own.executemany(f"INSERT INTO {ROWS} VALUES ({self.placeholders})", zip(*chunk))
                own.commit()
                yield own.serialize(), len(chunk[0])

    def insert(self, image) -> None:
        """One chunk's image from `images`: opened as `ROWS_SCHEMA` (an in-memory schema may be replaced inside the
        writing connection's transaction), joined with the source into the output; SourceChangedError when a bound
        row finds no source row."""
        data, rows = image
        if SERIALIZES:
            self.con.deserialize(data, name=ROWS_SCHEMA)
        else:  # `data` is the chunk itself
            self.con.execute(f"DELETE FROM {ROWS_SCHEMA}.{ROWS}")
            self.con.executemany(f"INSERT INTO {ROWS_SCHEMA}.{ROWS} VALUES ({self.placeholders})", zip(*data))
        inserted = self.con.execute(self.copy_sql, self.parameters).rowcount
        if inserted != rows:
            raise SourceChangedError(rows - inserted)
