"""Text another program stores in a numeric column, put into test files the way it gets there: by SQL into a
GeoPackage (SQLite keeps any text in a REAL column), by bytes into a shapefile's DBF (which keeps every number as
text of its field's width)."""
import sqlite3
import struct
from pathlib import Path


def store_in_gpkg(path, table: str, column: str, text: str, where: str) -> None:
    """UPDATE `column` of the rows `where` (SQL) to `text`, as a script or a database tool would."""
    with sqlite3.connect(str(path)) as db:
        db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', (text,))


def store_in_dbf(shp_path, record: int, field: int, raw: bytes) -> None:
    """Write `raw` (right-aligned, space-padded) into number field `field` (position) of record `record` of the
    shapefile's DBF, as a spreadsheet export or a script may."""
    dbf = Path(shp_path).with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    header, width = struct.unpack("<H", data[8:10])[0], struct.unpack("<H", data[10:12])[0]
    sizes = [data[32 + 32 * k + 16] for k in range(field + 1)]
    start = header + record * width + 1 + sum(sizes[:field])
    data[start:start + sizes[field]] = raw.rjust(sizes[field])
    dbf.write_bytes(bytes(data))
