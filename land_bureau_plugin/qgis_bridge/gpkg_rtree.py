"""A GeoPackage table's spatial index (the gpkg_rtree_index extension: an SQLite R*Tree) packed in one pass from
the boxes the bulk writer already holds, instead of inserting the rows into the R*Tree one by one.

Why: GDAL before 3.8 builds the index with one R*Tree insert per row (`CreateSpatialIndex`, ~10 µs a row: 1 s for
100,000 parcels, 9 s for a million — half the writing time), and inserting the rows through SQLite's own R*Tree
module costs the same. A packed tree — entries sorted into slices by x, then by y within a slice (sort-tile-
recursive), cut into full nodes, the nodes' boxes packed the same way a level up — is what GDAL 3.8+ itself does
on bulk loads; here it takes a tenth of a second for 100,000 rows.

How: GDAL creates the index on the still empty table (its virtual table, triggers and extension row are GDAL's
own), then this module writes the R*Tree's three shadow tables directly, in SQLite's documented node format
(sqlite.org/rtree.html and rtree.c): `<name>_node` holds node blobs — 2 bytes tree depth (root only), 2 bytes cell
count, then per cell a big-endian 64-bit id (a feature id in a leaf, a child node number above) and four big-endian
32-bit floats minx, maxx, miny, maxy, the node zero-padded to the size of the empty root GDAL made; the root is node
1; `<name>_rowid` maps each feature id to its leaf, `<name>_parent` each node but the root to its parent. Boxes are
rounded outwards to 32-bit floats exactly as SQLite rounds a double it stores (rtreeValueDown / rtreeValueUp), so
every entry holds the value an ordinary INSERT would have stored. tests/unit/test_gpkg_rtree.py holds the result to
SQLite's `rtreecheck()`, to the entries of an index built by inserting, and to spatial queries through OGR.
"""
from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

import numpy as np

from .gpkg import quoted

_TOWARDS = 1.0 - 1.0 / 8388608.0  # SQLite's RNDTOWARDS / RNDAWAY (rtree.c): 1 ∓ 2⁻²³
_AWAY = 1.0 + 1.0 / 8388608.0
_CELL = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])  # 24 bytes, as SQLite stores a 2-D cell
_HEADER = np.dtype([("depth", ">u2"), ("count", ">u2")])


def rounded_down(values: np.ndarray) -> np.ndarray:
    """Doubles as the 32-bit floats SQLite's R*Tree stores for a lower bound: never above the double."""
    d = np.asarray(values, dtype=np.float64)
    f = d.astype(np.float32)
    over = f.astype(np.float64) > d
    f[over] = (d[over] * np.where(d[over] < 0, _AWAY, _TOWARDS)).astype(np.float32)
    return f


def rounded_up(values: np.ndarray) -> np.ndarray:
    """Doubles as the 32-bit floats SQLite's R*Tree stores for an upper bound: never below the double."""
    d = np.asarray(values, dtype=np.float64)
    f = d.astype(np.float32)
    under = f.astype(np.float64) < d
    f[under] = (d[under] * np.where(d[under] < 0, _TOWARDS, _AWAY)).astype(np.float32)
    return f


def pack(con: sqlite3.Connection, rtree: str, ids: np.ndarray, bounds: np.ndarray) -> None:
    """Fill the empty R*Tree `rtree` (its shadow tables in `con`'s main database; the caller commits) with one
    entry per id and box (`bounds`: minx, miny, maxx, maxy per row). Rows with a NaN box — no geometry, an empty
    one — are left out, as GDAL's triggers leave out NULL and empty geometries."""
    write(con, rtree, layout(ids, bounds, node_size(con, rtree)))


def node_size(con: sqlite3.Connection, rtree: str) -> int:
    """The size in bytes of the R*Tree's nodes: that of the empty root GDAL made."""
    return con.execute(f"SELECT length(data) FROM {quoted(rtree + '_node')} WHERE nodeno = 1").fetchone()[0]


def layout(ids: np.ndarray, bounds: np.ndarray, size: int):
    """The packed tree's rows for `write`, computed without the database (so it can be made on another thread
    while rows are inserted): (node rows (number, blob), leaf rows (feature ids, leaf numbers), parent rows per
    level above the leaves (child numbers, parent numbers)), or None when no row has a box. `size`: `node_size`."""
    bounds = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
    keep = np.isfinite(bounds).all(axis=1)
    ids = np.asarray(ids, dtype=np.int64)[keep]
    bounds = bounds[keep]
    if not len(ids):
        return None
    fanout = (size - _HEADER.itemsize) // _CELL.itemsize
    boxes = np.column_stack([rounded_down(bounds[:, 0]), rounded_up(bounds[:, 2]),
                             rounded_down(bounds[:, 1]), rounded_up(bounds[:, 3])])  # minx, maxx, miny, maxy

    levels = []  # bottom up: (cells in node order, start of each node's cells, node numbers)
    keys, next_number = ids, 2
    while True:
        order, starts = _tiles(boxes, fanout)
        keys, boxes = keys[order], boxes[order]
        count = len(starts)
        numbers = np.array([1]) if count == 1 else np.arange(next_number, next_number + count)
        next_number += count
        levels.append((keys, boxes, starts, numbers))
        if count == 1:
            break
        boxes = np.column_stack([np.minimum.reduceat(boxes[:, 0], starts), np.maximum.reduceat(boxes[:, 1], starts),
                                 np.minimum.reduceat(boxes[:, 2], starts), np.maximum.reduceat(boxes[:, 3], starts)])
        keys = numbers

    depth = len(levels) - 1
    nodes, parents = [], []
    for height, (keys, boxes, starts, numbers) in enumerate(levels):
        cells = np.empty(len(keys), _CELL)
        cells["id"], cells["box"] = keys, boxes
        raw = cells.tobytes()
        ends = np.append(starts[1:], len(keys))
        for number, start, end in zip(numbers.tolist(), starts.tolist(), ends.tolist()):
            header = np.array([(depth if number == 1 else 0, end - start)], _HEADER).tobytes()
            body = raw[start * _CELL.itemsize:end * _CELL.itemsize]
            nodes.append((number, header + body + bytes(size - len(header) - len(body))))
        owner = np.repeat(numbers, ends - starts)  # the node each cell lies in
        if height == 0:  # by feature id: the rowid table's B-tree appended to, not inserted into at random
            by_id = np.argsort(keys, kind="stable")
            leaf_of = _leaf_rows(keys[by_id], owner[by_id])
        else:
            parents.append((keys.tolist(), owner.tolist()))
    return nodes, leaf_of, parents


def write(con: sqlite3.Connection, rtree: str, rows) -> None:
    """Replace the R*Tree's shadow tables' rows by those of a `layout` (None: the index stays empty)."""
    if rows is None:
        return
    nodes, leaf_of, parents = rows
    con.execute(f"DELETE FROM {quoted(rtree + '_node')}")
    con.execute(f"DELETE FROM {quoted(rtree + '_rowid')}")
    con.execute(f"DELETE FROM {quoted(rtree + '_parent')}")
    con.executemany(f"INSERT INTO {quoted(rtree + '_node')} (nodeno, data) VALUES (?, ?)", nodes)
    filled = False
    if leaf_of.packed is not None:
        try:
            con.execute(ROWID_FROM_JSON.format(rowid=quoted(rtree + '_rowid')), (leaf_of.packed,))
            filled = True
        except sqlite3.OperationalError:  # an SQLite built without JSON: row by row
            con.execute(f"DELETE FROM {quoted(rtree + '_rowid')}")
    if not filled:
        con.executemany(f"INSERT INTO {quoted(rtree + '_rowid')} (rowid, nodeno) VALUES (?, ?)",
                        zip(leaf_of.ids.tolist(), leaf_of.leaves.tolist()))
    for children, owner in parents:
        con.executemany(f"INSERT INTO {quoted(rtree + '_parent')} (nodeno, parentnode) VALUES (?, ?)",
                        zip(children, owner))


class LeafRows(NamedTuple):
    """The rowid table's rows: each feature id and the leaf it lies in, by feature id; `packed`, when they allow
    it, the same as one JSON array of integers (`_leaf_rows`)."""

    ids: np.ndarray
    leaves: np.ndarray
    packed: str | None


# The rowid table filled from one JSON array in one statement: each feature id and its leaf packed into one integer
# (id × 2²⁴ + leaf), unpacked by SQLite's shifts (arithmetic: a negative id comes back whole).
ROWID_FROM_JSON = ('INSERT INTO {rowid} (rowid, nodeno) SELECT value >> 24, value & 16777215 '
                   'FROM json_each(?)')
_PACKED_ID_LIMIT = 2 ** 39  # |id| below it: id × 2²⁴ + leaf fits SQLite's 64-bit integers


def _leaf_rows(ids: np.ndarray, leaves: np.ndarray) -> LeafRows:
    """`LeafRows` of feature ids (sorted) and their leaves; packed as JSON when every id is within ±2³⁹ and every
    leaf number below 2²⁴ (a tree of 16 million nodes).

    Why: the rowid table has a row per feature, and sqlite3's executemany spends ~1.4 µs of Python a row binding
    them (1.4 s of the main thread at a million parcels); the JSON text is made here — on the thread that lays the
    tree out beside the inserts — and SQLite's json_each parses it and inserts the rows without Python (0.5 s in
    all). An SQLite without JSON (built with SQLITE_OMIT_JSON) falls back to executemany (`write`)."""
    ids, leaves = np.asarray(ids, dtype=np.int64), np.asarray(leaves, dtype=np.int64)
    packed = None
    if len(ids) and np.abs(ids).max() < _PACKED_ID_LIMIT and leaves.max() < 2 ** 24:
        packed = json.dumps(((ids << 24) | leaves).tolist())
    return LeafRows(ids, leaves, packed)


def _tiles(boxes: np.ndarray, fanout: int) -> tuple[np.ndarray, np.ndarray]:
    """(order of the entries, start of each node in that order): sort-tile-recursive packing — the entries sorted
    by the x of their centre into vertical slices of whole nodes, by y within a slice, each slice cut into nodes
    of as equal a size as fit (a node at most `fanout` cells)."""
    count = len(boxes)
    nodes = -(-count // fanout)
    slices = int(np.ceil(np.sqrt(nodes)))
    per_slice = -(-nodes // slices) * fanout
    x = (boxes[:, 0].astype(np.float64) + boxes[:, 1]) / 2
    y = (boxes[:, 2].astype(np.float64) + boxes[:, 3]) / 2
    by_x = np.argsort(x, kind="stable")
    slice_of = np.arange(count) // per_slice
    order = by_x[np.lexsort((y[by_x], slice_of))]
    starts = []
    for first in range(0, count, per_slice):
        size = min(per_slice, count - first)
        parts = -(-size // fanout)
        starts.append(first + (np.arange(parts) * size) // parts)
    return order, np.concatenate(starts)
