"""The SQL twins of the local readers agree value by value: numbers as analysis.numbers.read reads them (with and
without a field's unit suffixes),
dates as analysis.dates.parse_dates reads them (every form a spreadsheet holds, and the ones it must refuse)."""
import datetime as dt

import pandas as pd
import postgis_db
import pytest
from psycopg2 import sql

from land_bureau_plugin.analysis.numbers import SUFFIXES

NUMBERS = ["12", " 12 ", "1,234.5", "１２", "１２．５", "-3", "+4", ".5", "5.", "1e3", "2E-2", "abc", "", "   ",
           "12 5", "nan", "inf", "1e400", "0x10", "٣", None, "1,5", "1,500", "12,50", "1,5000", "1,2,3", "1,5.5",
           "12,345.5", "１，５", "尚無資料", "尚无资料", "无", "/", "—", "-", "--", "N/A", "null", "空",
           "1e308", "1e309", "-1e308", "1e1000", "1e-5", "2层", "8F", "8f", "12 层", "３层", "3.5m", "24米",
           "24 M", "F", "m", "层", "210%", "0", "0.0", "1_000",
           "1e-400", "-1e-400", "1e-300", "4\u00a0层", "12\u00a0米", "\u00a012", "1,200\u00a0", "\u00a0"]
DATES = ["2024-03-01", "2024/3/1", "2024.3.1", "20240301", "2024年3月1日", "2024年03月01日 ", "２０２４－０３－０１",
         "2024-03-01 10:00:00", "2024-03-01T10:00", "2024-03-01 10:00:00.5", "2024-02-29", "2023-02-29", "2024-13-01",
         "20240230", "45000", "45000.0", "45000.5", "60", "59", "61", "1", "0", "99999", "100000", "1500-01-01",
         "1677-09-21", "1677-09-22", "2262-04-11", "2262-04-12", "abc", "", "  ", "2024-3-1x", "0000-01-01", None,
         "2024", "２０２４", "2024年", "2024-03", "2024年3月", "202403", "202413", "1899", "2151", "1900-01-01",
         "2150-12-31", "2151-01-01", "2257-01-01", "22570101", "18263", "18264", "91677", "91678",
         "无", " 無 ", "—", "-", "/", "／", "尚无资料", "N/A", "null", "无日期", "-2024-03-01",  # placeholders and not
         "2020-03-01\u00a0", "\u00a02024/3/1", "\u00a0", "2024年3月1日\u3000"]  # the no-break space of Excel


def sql_values(expression, values):
    """expression(column) evaluated over the values (as text) in one query, in order, on a connection of its own."""
    from land_bureau_plugin.postgis import store
    from land_bureau_plugin.postgis.efficiency import RESULT_TABLE

    conn = postgis_db.connect(autocommit=False)
    try:
        store.ensure(conn, RESULT_TABLE)  # the land_bureau functions
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT {} FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i").format(
                expression(sql.SQL("t.v"))), (values,))
            rows = [row[0] for row in cur.fetchall()]
        conn.commit()
    finally:
        conn.close()
    return rows


@pytest.mark.parametrize("suffixes", [(), SUFFIXES["floors"], SUFFIXES["height"]])
def test_numbers_read_like_the_local_reader(pg_service, suffixes):
    from land_bureau_plugin.analysis.numbers import read
    from land_bureau_plugin.postgis.sqlexpr import number

    database = sql_values(lambda c: number(c, numeric=False, suffixes=suffixes), NUMBERS)
    local = read(pd.Series(NUMBERS, dtype=object), suffixes).values
    assert dict(zip(NUMBERS, database)) == dict(zip(NUMBERS, [None if pd.isna(v) else float(v) for v in local]))
    if suffixes == SUFFIXES["floors"]:
        assert database[NUMBERS.index("8F")] == 8 and database[NUMBERS.index("12 层")] == 12
    assert database[NUMBERS.index("1,5")] == 1.5 and database[NUMBERS.index("1,500")] == 1500
    assert database[NUMBERS.index("尚無資料")] is None and database[NUMBERS.index("1e308")] == 1e308


def test_dates_read_like_parse_dates(pg_service):
    from land_bureau_plugin.analysis.dates import parse_dates
    from land_bureau_plugin.postgis import functions, store

    database = sql_values(lambda c: sql.SQL("{}({})").format(
        sql.Identifier(store.SCHEMA, functions.PARSE_DATE), c), DATES)
    local, _ = parse_dates(pd.Series(DATES, dtype=object))
    expected = [None if pd.isna(v) else v.date() for v in local]
    assert dict(zip(DATES, database)) == dict(zip(DATES, expected))
    assert database[DATES.index("2024-02-29")] == dt.date(2024, 2, 29) and database[DATES.index("60")] is None


def test_date_causes_read_like_parse_dates_explained(pg_service):
    from land_bureau_plugin.analysis.dates import IMPRECISE, OUT_OF_RANGE, parse_dates_explained
    from land_bureau_plugin.postgis import functions, store

    values = [v for v in DATES if v is not None]
    database = sql_values(lambda c: sql.SQL("{}({})").format(
        sql.Identifier(store.SCHEMA, functions.DATE_CAUSE), c), values)
    _, local = parse_dates_explained(pd.Series(values, dtype=object))
    assert dict(zip(values, database)) == dict(zip(values, local.tolist()))
    assert database[values.index("2024")] == IMPRECISE and database[values.index("2257-01-01")] == OUT_OF_RANGE


REPAIRS = ["MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((50 20,150 20,150 120,50 120,50 20)))",  # parts overlap
           "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)),((10 0,20 0,20 10,10 10,10 0)))",  # parts share a side
           "MULTIPOLYGON(((0 0,10 10,10 0,0 10,0 0)),((100 0,110 0,110 10,100 10,100 0)))",  # a bow-tie part
           "POLYGON((0 0,10 10,10 0,0 10,0 0))",  # a bow-tie
           "POLYGON((0 0,2 0,2 2,3 3,2 2,0 2,0 0))",  # a spike
           "POLYGON((0 0,10 0,10 10,0 10,0 0))"]  # valid


def test_invalid_geometries_are_repaired_in_the_database_as_the_local_engine_repairs_them(pg_service):
    """A plan drawn as two overlapping parts is the land they cover, 16,000 m² — in the database as locally (the
    repair of the whole multipolygon kept 12,000 m²: only what exactly one part covers)."""
    import shapely

    from land_bureau_plugin.analysis.overlay import make_polygonal
    from land_bureau_plugin.postgis import functions, store

    database = sql_values(lambda c: sql.SQL("ST_AsText({}(ST_GeomFromText({}, 4549), 0.01))").format(
        sql.Identifier(store.SCHEMA, functions.POLYGONAL), c), REPAIRS)
    local, report = make_polygonal(shapely.from_wkt(REPAIRS))
    assert report.repaired.tolist() == [0, 1, 2, 3, 4]
    assert shapely.area(local).tolist() == [16000.0, 200.0, 150.0, 50.0, 4.0, 100.0]
    for written, ours, theirs in zip(REPAIRS, local, shapely.from_wkt(database)):
        assert shapely.area(shapely.symmetric_difference(ours, theirs)) < 1e-9, (written, theirs)
