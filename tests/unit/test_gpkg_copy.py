"""qgis_bridge.gpkg_copy on plain SQLite tables: which text columns `plan` lets copy as they are stored, and the
Inserter's rows bound on one thread and joined with the source on another."""
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


@pytest.fixture(params=[True, False], ids=["serialized", "bound_on_the_writing_thread"])
def serializes(request, monkeypatch):
    """Each Inserter test with and without the images (a Python whose SQLite lacks the serialize API, or refuses to
    reopen a schema inside a transaction: SQLite 3.53)."""
    if request.param and not gpkg_copy._reopens_inside_a_transaction():
        pytest.skip(f"SQLite {sqlite3.sqlite_version} cannot reopen an image inside a transaction")
    monkeypatch.setattr(gpkg_copy, "SERIALIZES", request.param)
    return request.param


def copying(tmp_path, same_fids=True):
    """A writing connection with a source file of 10 rows (fid 2, 4 … 20, name 'n<fid>') attached, its plan copying
    `name`, and an output table `out` (fid, score, name) the Inserter fills."""
    source = tmp_path / "source.sqlite"
    with sqlite3.connect(source) as con:
        con.execute("CREATE TABLE t (fid INTEGER PRIMARY KEY, name TEXT)")
        con.executemany("INSERT INTO t VALUES (?, ?)", [(f, f"n{f}") for f in range(2, 21, 2)])
    con = sqlite3.connect(tmp_path / "out.sqlite")
    con.execute("CREATE TABLE out (fid INTEGER PRIMARY KEY, score REAL, name TEXT)")
    assert gpkg_copy.attach(con, str(source))
    copy = gpkg_copy.plan(con, gpkg_copy.SOURCE, "t", "fid", [gpkg_copy.Candidate("name", "name", "text")], None,
                          same_fids)
    return con, gpkg_copy.Inserter(con, "out", copy, ["score"])


def test_rows_bound_on_another_thread_are_joined_with_the_source_chunk_by_chunk(tmp_path, serializes):
    """Chunks bound into images on one thread and inserted on another (in one transaction of the writing
    connection, the in-memory schema replaced for each chunk) give every row once, its bound value beside the
    source's copied text."""
    import threading

    con, inserter = copying(tmp_path)
    fids = list(range(2, 21, 2))
    chunks = [[fids[k:k + 3], [f / 10 for f in fids[k:k + 3]]] for k in range(0, 10, 3)]  # 3, 3, 3 and 1 rows
    images = []
    binder = threading.Thread(target=lambda: images.extend(inserter.images(iter(chunks))))
    binder.start()
    binder.join()
    assert [rows for _, rows in images] == [3, 3, 3, 1]
    for image in images:
        inserter.insert(image)
    assert con.in_transaction
    con.commit()
    assert con.execute("SELECT fid, score, name FROM out ORDER BY fid").fetchall() == [
        (f, f / 10, f"n{f}") for f in fids]


def test_a_bound_row_the_source_no_longer_holds_stops_the_copy(tmp_path, serializes):
    """A feature deleted from the source since it was read finds no source row: SourceChangedError names how many,
    and nothing of that chunk is kept once the transaction is rolled back."""
    con, inserter = copying(tmp_path)
    (image,) = inserter.images(iter([[[2, 3, 4, 5], [0.1, 0.2, 0.3, 0.4]]]))  # 3 and 5 are not in the source
    with pytest.raises(gpkg_copy.SourceChangedError) as raised:
        inserter.insert(image)
    assert raised.value.missing == 2
    con.rollback()
    assert con.execute("SELECT count(*) FROM out").fetchone() == (0,)


def test_output_ids_other_than_the_source_ones_are_bound_beside_them(tmp_path, serializes):
    con, inserter = copying(tmp_path, same_fids=False)
    for image in inserter.images(iter([[[20, 2], [1, 2], [0.5, 0.25]]])):  # source fid, output fid, score
        inserter.insert(image)
    con.commit()
    assert con.execute("SELECT fid, score, name FROM out ORDER BY fid").fetchall() == [(1, 0.5, "n20"),
                                                                                      (2, 0.25, "n2")]
