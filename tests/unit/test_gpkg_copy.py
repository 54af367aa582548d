"""qgis_bridge.gpkg_copy.plan on plain SQLite tables: which text columns may be copied as they are stored."""
import sqlite3

import pytest

from land_bureau_plugin.qgis_bridge import gpkg_copy


def text_plan(rows, declared="TEXT"):
    """The copied columns of `plan` for a table with an id and one text candidate column declared `declared`."""
    con = sqlite3.connect(":memory:")
    con.execute(f"CREATE TABLE t (fid INTEGER PRIMARY KEY, name {declared})")
    con.executemany("INSERT INTO t (name) VALUES (?)", [(value,) for value in rows])
    found = gpkg_copy.plan(con, "main", "t", "fid", [gpkg_copy.Candidate("name", "name", "text")], None)
    return None if found is None else [(c.name, c.longest) for c in found.columns]


@pytest.mark.parametrize("declared", ["TEXT", "VARCHAR(20)", "STRING", ""])  # TEXT, TEXT, NUMERIC, BLOB affinity
@pytest.mark.parametrize("where", [0, 1, 2])  # NUL at the start, inside, at the end of a value
def test_text_holding_a_nul_is_not_copied(declared, where):
    """GDAL's text ends at a NUL: a column with a NUL in any value goes the Python way (found in the values
    joined by group_concat, which keeps every byte); the same column without it is copied, its longest value in
    characters."""
    clean = ["仓储", "厂房a", None, "z"]
    assert text_plan(clean, declared) == [("name", 3)]
    value = ["\x00仓储", "仓\x00储", "仓储\x00"][where]
    assert text_plan(["厂房", None, value, "x"], declared) is None


def test_text_not_valid_utf8_or_with_a_byte_order_mark_is_not_copied():
    assert text_plan(["a", "\ufeffb"]) is None
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (fid INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO t (name) VALUES (CAST(x'e4bb' AS TEXT))")  # half a character
    assert gpkg_copy.plan(con, "main", "t", "fid", [gpkg_copy.Candidate("name", "name", "text")], None) is None
