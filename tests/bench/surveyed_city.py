"""The generator's city made to look surveyed: a copy in which every parcel and building ring has ~30 vertices (its
edges cut into pieces of a thirtieth of its perimeter) and the whole city is turned by 17° about its centre. Why: the
generator draws axis-parallel rectangles of five vertices, a city made to fit the code. Surveyed parcels have tens
of vertices, a neighbour's corner in the middle of an edge (off it by the rounding of its coordinates), no edge
parallel to an axis; the geometry work grows with the vertices while QGIS's raw read barely does. Attributes and
feature ids are kept; the buildings stay on their parcels. Cached next to the city (…_surveyed.gpkg)."""
from __future__ import annotations

import math
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from land_bureau_plugin.qgis_bridge.gpkg import blob_wkb, gpkg_blobs, set_extent, triggers_dropped  # noqa: E402
from land_bureau_plugin.qgis_bridge.gpkg_rtree import pack  # noqa: E402 — both Qt-free

TABLES = ("地块", "建筑")
VERTICES = 30
TURN_DEGREES = 17.0


def surveyed(city: Path) -> Path:
    """The surveyed copy of the GeoPackage `city` (made once)."""
    path = city.with_name(city.stem + "_surveyed.gpkg")
    if path.exists():
        return path
    partial = path.with_suffix(".part.gpkg")
    shutil.copyfile(city, partial)
    with closing(sqlite3.connect(partial)) as db:
        x0, y0, x1, y1 = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                                    (TABLES[0],)).fetchone()
        centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        for table in TABLES:
            _reshape(db, table, centre)
        db.commit()
    os.replace(partial, path)
    return path


def _reshape(db: sqlite3.Connection, table: str, centre: tuple[float, float]) -> None:
    """Every geometry of `table` cut into ~VERTICES-vertex rings and turned; blobs and spatial index rewritten."""
    column, srs_id = db.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                (table,)).fetchone()
    rows = db.execute(f'SELECT fid, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL ORDER BY fid').fetchall()
    fids = [fid for fid, _ in rows]
    geoms = shapely.from_wkb([blob_wkb(blob) for _, blob in rows])
    geoms = shapely.segmentize(geoms, shapely.length(geoms) / VERTICES)
    angle = math.radians(TURN_DEGREES)
    turn = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    geoms = shapely.transform(geoms, lambda xy: (xy - centre) @ turn + centre)
    boxes = shapely.bounds(geoms)
    blobs = gpkg_blobs(shapely.to_wkb(geoms), srs_id, boxes)
    with triggers_dropped(db, table):  # GDAL's triggers call its own SQL functions: the index is packed here
        db.executemany(f'UPDATE "{table}" SET "{column}" = ? WHERE fid = ?', zip(blobs, fids))
        pack(db, f"rtree_{table}_{column}", np.asarray(fids, dtype=np.int64), boxes)
    set_extent(db, table, (*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0)))


if __name__ == "__main__":
    print(surveyed(Path(sys.argv[1])))
