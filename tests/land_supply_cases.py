"""A land supply set with every answer worked out apart from the plugin: supplied parcels on each side of each
deadline and approval batches whose uncovered areas shapely measures.

As of 2026-06-15 (a year from A ends on A's date a year later and is full only after that day, 民法典 201/202):
not started — the day before / on / after the start, the 90- and 180-day windows, one year (idle, fee 20 % of the
land price), two years (reclaim); stopped work — developed area just under / at / over 1/3 of the parcel,
investment just under / at 25 %, the stop a year before the as-of date minus a day / exactly / plus a day, and two
years; government delays on unused, idle, stopped and on-time parcels; started parcels against their agreed
completion; completed ones; data errors, whose figures are all unknown (NULL) — never 0.

Batches (EPSG:4549 metres, or EPSG:4490 degrees measured in its Gauss-Krüger zone, EPSG:4549): supply parcels that
overlap each other, a parcel across two batches, batches fully covered by one parcel and by two sharing an edge, a
two-part batch, a batch with a hole under a round parcel, a batch no parcel touches, notches of 0.9, 1.0 and 1.1 m²
left uncovered (the 1 m² threshold), and empty batches approved on each side of the two-year deadline and the
windows. Expected areas: each batch minus the union of every parcel, by shapely, in the planar CRS.

Used by tests/unit/test_land_supply_cases.py (the analysis), tests/e2e/test_qgis_process_land_supply_cases.py
(qgis_process with the packaged plugin, empty field maps) and tests/qgis/test_postgis_land_supply.py (both
engines)."""
from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2026, 6, 15)
X0, Y0 = 530_000.0, 3_340_000.0  # EPSG:4549
LON0, LAT0 = 120.30, 30.40  # EPSG:4490, Linping (Hangzhou), inside the CM 120°E zone
PARCEL_FIELDS = ("电子监管号", "约定开工日期", "约定竣工日期", "实际开工日期", "实际竣工日期", "停工日期", "出让面积",
                 "已开发面积", "总投资", "已完成投资", "成交价款", "政府原因", "闲置原因", "行政区")
REAL_FIELDS = ("出让面积", "已开发面积", "总投资", "已完成投资", "成交价款")
BATCH_FIELDS = ("批次编号", "批准日期", "行政区")
GRADE_BY_DAYS = ((0, "orange"), (90, "orange"), (91, "yellow"), (180, "yellow"), (181, "green"))


def day(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


def years_after(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def iso(date: dt.date) -> str:
    return date.isoformat()


class Case:
    """A supplied parcel and what it must come out as: status, grade, next deadline, days left, idle days, fee."""

    def __init__(self, pid, status, grade, deadline=None, due=None, idle_since=None, fee=0.0, **fields):
        self.pid, self.status, self.grade, self.deadline = pid, status, grade, deadline
        self.due = due
        self.days_left = (due - AS_OF).days if due is not None else None
        self.idle_days = (AS_OF - idle_since).days if idle_since is not None else None
        self.fee = fee
        self.fields = {"电子监管号": pid, "成交价款": 1000.0, "行政区": "临平区", **fields}


def not_started() -> list[Case]:
    cases = []
    for offset, grade in ((181, "green"), (180, "yellow"), (91, "yellow"), (90, "orange"), (1, "orange"),
                          (0, "orange")):  # before (and on) the agreed start
        status = "on_time" if grade == "green" else "due_soon"
        cases.append(Case(f"开工{offset:+d}", status, grade, "start", day(offset), 约定开工日期=iso(day(offset))))
    a = day(-1)  # the day after the start: 供而未用
    cases.append(Case("开工-1", "unused", "red", "idle", years_after(a, 1), a, 约定开工日期=a.strftime("%Y%m%d")))
    for name, a, status in (("闲置前一日", dt.date(2025, 6, 16), "unused"),
                            ("闲置当日", dt.date(2025, 6, 15), "unused"),
                            ("闲置次日", dt.date(2025, 6, 14), "idle"), ("收回前一日", dt.date(2024, 6, 16), "idle"),
                            ("收回当日", dt.date(2024, 6, 15), "idle"), ("收回次日", dt.date(2024, 6, 14), "reclaim")):
        unused = status == "unused"
        due = years_after(a, 1 if unused else 2)
        cases.append(Case(name, status, "red", "idle" if unused else "reclaim", due, a, 0.0 if unused else 200.0,
                          约定开工日期=f"{a.year}/{a.month}/{a.day}"))
    a = dt.date(2025, 6, 14)
    cases.append(Case("闲置无价款", "idle", "red", "reclaim", years_after(a, 2), a, None, 约定开工日期=iso(a),
                      成交价款=None))
    cases.append(Case("闲置中文日期", "idle", "red", "reclaim", years_after(a, 2), a, 300.0,
                      约定开工日期="2025年6月14日", 成交价款=1500.0))
    leap = dt.date(2024, 2, 29)  # + 2 years = 2026-02-28: taken back from 1 March
    cases.append(Case("闰日", "reclaim", "red", "reclaim", dt.date(2026, 2, 28), leap, 200.0, 约定开工日期=iso(leap)))
    return cases


def government() -> list[Case]:
    a_idle, a_reclaim = dt.date(2025, 6, 14), dt.date(2024, 6, 14)
    return [
        # exempt: no fee, no reclaim, so no deadline counts (the board lists nothing "taken back in N days")
        Case("政府闲置", "government_delay", "red", None, None, a_idle, 0.0, 约定开工日期=iso(a_idle), 政府原因="是",
             闲置原因="规划调整"),
        Case("政府收回", "government_delay", "red", None, None, a_reclaim, 0.0, 约定开工日期=iso(a_reclaim),
             政府原因="1", 闲置原因="征收未完成"),
        Case("政府未用", "government_delay", "red", None, None, day(-1), 0.0, 约定开工日期=iso(day(-1)),
             政府原因="政府原因"),
        Case("企业闲置", "idle", "red", "reclaim", years_after(a_idle, 2), a_idle, 200.0, 约定开工日期=iso(a_idle),
             政府原因="否"),
        Case("政府按期", "on_time", "green", "start", day(200), None, 0.0, 约定开工日期=iso(day(200)), 政府原因="是"),
    ]


STARTED = {"约定开工日期": "2022-12-01", "实际开工日期": "2023-01-01", "出让面积": 9000.0, "总投资": 1000.0,
           "约定竣工日期": "2027-12-31"}
DONE_DUE = dt.date(2027, 12, 31)


def stopped() -> list[Case]:
    """Started 2023-01-01 on 9,000 m² (area field), 1,000 万元 planned; stopped on T."""
    t = dt.date(2025, 6, 14)  # T + 1 year = 2026-06-14: a full year stopped on the as-of date
    idle = {"停工日期": iso(t)}
    cases = []
    for name, developed, invested, status in (
            ("开发不足三分之一", 2999.9, 900.0, "idle"), ("开发恰三分之一", 3000.0, 900.0, "on_time"),
            ("开发超三分之一", 3000.1, 900.0, "on_time"), ("投资不足25%", 4500.0, 249.9, "idle"),
            ("投资恰25%", 4500.0, 250.0, "on_time"), ("开发不足投资未知", 1000.0, None, "idle")):
        fields = {**STARTED, **idle, "已开发面积": developed, "已完成投资": invested}
        if status == "idle":
            cases.append(Case(name, "idle", "red", "reclaim", years_after(t, 2), t, 200.0, **fields))
        else:
            cases.append(Case(name, "on_time", "green", "complete", DONE_DUE, None, 0.0, **fields))
    low = {**STARTED, "已开发面积": 1000.0, "已完成投资": 100.0}
    for name, stop, status in (("停工满一年前一日", dt.date(2025, 6, 16), "due_soon"),
                               ("停工满一年当日", dt.date(2025, 6, 15), "due_soon"),
                               ("停工两年当日", dt.date(2024, 6, 15), "idle"),
                               ("停工两年次日", dt.date(2024, 6, 14), "reclaim")):
        if status == "due_soon":  # idle from the day after T + 1 year: that is the next deadline
            cases.append(Case(name, status, "orange", "idle", years_after(stop, 1), None, 0.0, **low,
                              停工日期=iso(stop)))
        else:
            cases.append(Case(name, status, "red", "reclaim", years_after(stop, 2), stop, 200.0, **low,
                              停工日期=iso(stop)))
    cases.append(Case("停工政府原因", "government_delay", "red", None, None, t, 0.0, **low, 停工日期=iso(t),
                      政府原因="是", 闲置原因="司法查封"))
    # neither share under its threshold and one unknown: idle cannot be ruled out — a data error, all unknown
    cases.append(Case("停工投资未知", "missing", "grey", fee=None, **STARTED, 停工日期=iso(t), 已开发面积=4000.0))
    return cases


def building() -> list[Case]:
    """Started, not stopped: the agreed completion is the deadline of the grade; completed parcels."""
    cases = []
    for offset, grade in ((-1, "red"), (0, "orange"), (90, "orange"), (91, "yellow"), (180, "yellow"),
                          (181, "green")):
        cases.append(Case(f"竣工期限{offset:+d}", "on_time", grade, "complete", day(offset), None, 0.0,
                          约定开工日期="2023-01-01", 实际开工日期="2023-02-01", 约定竣工日期=iso(day(offset))))
    cases.append(Case("开工于基准日", "on_time", "green", "complete", DONE_DUE, None, 0.0, 约定开工日期="2026-01-01",
                      实际开工日期=iso(AS_OF), 约定竣工日期=iso(DONE_DUE)))
    cases.append(Case("逾期竣工", "completed", "green", fee=0.0, 约定开工日期="2023-01-01", 实际开工日期="2023-02-01",
                      约定竣工日期="2025-12-31", 实际竣工日期="2026-01-01"))
    cases.append(Case("竣工于基准日", "completed", "green", fee=0.0, 约定开工日期="2023-01-01",
                      实际开工日期="2023-02-01", 实际竣工日期=iso(AS_OF)))
    return cases


def errors() -> list[Case]:
    """Data errors: long past every deadline of the agreed start, a land price given — and still every figure is
    unknown, the fee included."""
    old = "2023-01-01"
    return [Case("开工晚于基准日", "missing", "grey", fee=None, 约定开工日期=old, 实际开工日期=iso(day(1))),
            Case("约定开工不全", "missing", "grey", fee=None, 约定开工日期="2023年6月"),
            Case("停工早于开工", "missing", "grey", fee=None, 约定开工日期=old, 实际开工日期="2024-01-01",
                 停工日期="2023-12-31", 已开发面积=100.0, 总投资=1000.0, 已完成投资=10.0),
            Case("开发超面积", "missing", "grey", fee=None, **{**STARTED, "停工日期": "2024-01-01"}, 已开发面积=9000.5,
                 已完成投资=10.0),
            Case("无约定开工", "missing", "grey", fee=None, 约定开工日期=None)]


def date_cases() -> list[Case]:
    return not_started() + government() + stopped() + building() + errors()


# --- batches ------------------------------------------------------------------------------------------------------
def box(x0, y0, x1, y1):
    import shapely

    return shapely.box(x0, y0, x1, y1)


def spatial(shift=(X0, Y0), scale=(1.0, 1.0)):
    """(parcels, batches) of the spatial cases: parcels [(id, geometry)], batches [(id, approval, geometry)], in
    local coordinates mapped by x → shift + scale · x (metres in EPSG:4549, or degrees)."""
    import shapely
    from shapely import affinity

    far = iso(day(400))  # the spatial parcels' agreed start: on time, they only cover
    parcels = [
        ("叠加甲", box(0, 0, 120, 100)),
        ("叠加乙", shapely.Polygon([(100, 0), (220, 0), (100, 100)])),  # overlaps 叠加甲 on 100–120
        ("出界", box(250, 40, 320, 60)),  # reaches out of its batch
        ("跨批次", box(450, 20, 550, 80)),  # across the edge of 跨左 and 跨右
        ("跨右内", box(560, 0, 600, 100)),
        ("全覆盖", box(700, 0, 800, 100)),  # exactly its batch
        ("拼接左", box(900, 0, 950, 100)), ("拼接右", box(950, 0, 1000, 100)),  # two sharing an edge
        ("两块之间", box(1140, 10, 1210, 40)),
        ("圆", shapely.Point(1350, 50).buffer(30, quad_segs=8)),  # over a hole in its batch
        ("缺口0.9", shapely.Polygon([(1600, 0.45), (1602, 0.45), (1602, 0), (1700, 0), (1700, 100), (1600, 100)])),
        ("缺口1.0", shapely.Polygon([(1800, 0.5), (1802, 0.5), (1802, 0), (1900, 0), (1900, 100), (1800, 100)])),
        ("缺口1.1", shapely.Polygon([(2000, 0.55), (2002, 0.55), (2002, 0), (2100, 0), (2100, 100), (2000, 100)])),
    ]
    old = "2020-03-01"  # long overdue: red where at least 1 m² is left
    batches = [
        ("叠加", "2025-01-10", box(0, 0, 300, 100)),
        ("跨左", old, box(400, 0, 500, 100)), ("跨右", old, box(500, 0, 600, 100)),
        ("全覆盖", old, box(700, 0, 800, 100)), ("拼接", old, box(900, 0, 1000, 100)),
        ("两块", old, shapely.MultiPolygon([box(1100, 0, 1150, 50), box(1200, 0, 1250, 50)])),
        ("有洞", old, shapely.Polygon(box(1300, 0, 1400, 100).exterior.coords,
                                     [box(1340, 40, 1360, 60).exterior.coords])),
        ("无宗地", "2025-06-01", box(1500, 0, 1550, 100)),
        ("剩0.9", old, box(1600, 0, 1700, 100)), ("剩1.0", old, box(1800, 0, 1900, 100)),
        ("剩1.1", old, box(2000, 0, 2100, 100)),
    ]
    # empty batches approved on each side of the two-year deadline and the windows: days_left from the due date
    for days, _grade in ((-1, None), *GRADE_BY_DAYS, (1, None)):
        approval = years_after(day(days), -2)
        x = 2300 + 30 * len([b for b in batches if b[0].startswith("期限")])
        batches.append((f"期限{days:+d}", iso(approval), box(x, 0, x + 20, 20)))

    def place(geometry):
        return affinity.affine_transform(geometry, [scale[0], 0, 0, scale[1], shift[0], shift[1]])

    return ([(pid, place(g), far) for pid, g in parcels], [(bid, approval, place(g)) for bid, approval, g in batches])


def batch_grade(bid: str, approval: str, unsupplied_m2: float) -> str:
    """By hand: red when at least 1 m² is left past approval + 2 years, orange / yellow within 90 / 180 days."""
    due = years_after(dt.date.fromisoformat(approval), 2)
    left = (due - AS_OF).days
    if unsupplied_m2 < 1.0:
        return "green"
    if left < 0:
        return "red"
    return "orange" if left <= 90 else "yellow" if left <= 180 else "green"


def batch_days(approval: str) -> tuple[int, int]:
    """(age in days, days left to approval + 2 years) on the as-of date, by calendar."""
    approved = dt.date.fromisoformat(approval)
    return (AS_OF - approved).days, (years_after(approved, 2) - AS_OF).days


def expected_batches(parcels, batches, to_planar=None) -> dict:
    """{batch id: (approved m², unsupplied m², unsupplied polygon)} by shapely: each batch minus the union of every
    parcel, in the planar CRS (`to_planar` maps a geometry there; None: it is planar already)."""
    import shapely

    planar = to_planar or (lambda g: g)
    union = shapely.union_all([planar(g) for _pid, g, *_ in parcels])
    out = {}
    for bid, _approval, geometry in batches:
        shape = planar(geometry)
        rest = shape.difference(union)
        out[bid] = (shape.area, rest.area, rest)
    return out


def parcel_rows(shift=(X0, Y0), scale=(1.0, 1.0)) -> list[tuple[dict, object]]:
    """Every parcel as (fields, geometry): the date cases on a row of 50 m squares away from the batches, then the
    spatial ones."""
    from shapely import affinity

    rows = []
    for n, case in enumerate(date_cases()):
        square = box(60 * n, 1000, 60 * n + 50, 1050)
        rows.append((case.fields, affinity.affine_transform(square, [scale[0], 0, 0, scale[1], shift[0], shift[1]])))
    for pid, geometry, agreed in spatial(shift, scale)[0]:
        rows.append(({"电子监管号": pid, "约定开工日期": agreed, "成交价款": 500.0, "行政区": "南苑街道"}, geometry))
    return rows


def placed(epsg: int):
    """(shift, scale) of the local coordinates in `epsg`: metres in EPSG:4549, 1e-5 degree a unit in EPSG:4490."""
    return ((X0, Y0), (1.0, 1.0)) if epsg == 4549 else ((LON0, LAT0), (1e-5, 1e-5))


def as_date(text):
    """A full date written in one of the cases' forms as (y, m, d); None for an imprecise one (no DATE value)."""
    import re

    found = re.fullmatch(r"(\d{4})[-/年]?(\d{1,2})[-/月]?(\d{1,2})日?", str(text))
    return tuple(int(part) for part in found.groups()) if found else None


def write_gpkg(path, epsg: int = 4549, batch_epsg: int | None = None, real_dates: bool = False) -> None:
    """Parcels (供地宗地) and batches (报批批次) into a GeoPackage in EPSG:4549, or EPSG:4490 degrees (the same
    shapes at about 1 m per 1e-5 degree), each layer in its own CRS (`batch_epsg`: the batches'), Chinese standard
    field names, dates as text — or, `real_dates`, the parcels' dates as DATE fields (an imprecise one left empty)
    and their geometries MultiPolygon Z."""
    from osgeo import ogr, osr

    def srs_of(code):
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(code)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return srs

    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("供地宗地", srs_of(epsg), ogr.wkbMultiPolygon25D if real_dates else ogr.wkbPolygon)
    dates = [name for name in PARCEL_FIELDS if name.endswith("日期")] if real_dates else []
    for name in PARCEL_FIELDS:
        kind = ogr.OFTReal if name in REAL_FIELDS else ogr.OFTDate if name in dates else ogr.OFTString
        layer.CreateField(ogr.FieldDefn(name, kind))
    for fields, geometry in parcel_rows(*placed(epsg)):
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in fields.items():
            if value is None:
                continue
            if name in dates:
                ymd = as_date(value)
                if ymd is not None:
                    feature.SetField(name, *ymd, 0, 0, 0, 0)
            else:
                feature.SetField(name, value)
        shape = ogr.CreateGeometryFromWkb(geometry.wkb)
        if real_dates:
            shape = ogr.ForceToMultiPolygon(shape)
            shape.Set3D(True)
        feature.SetGeometry(shape)
        layer.CreateFeature(feature)
    epsg = batch_epsg or epsg
    shift, scale = placed(epsg)
    layer = dataset.CreateLayer("报批批次", srs_of(epsg), ogr.wkbMultiPolygon)
    for name in BATCH_FIELDS:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for bid, approval, geometry in spatial(shift, scale)[1]:
        import shapely

        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("批次编号", bid)
        feature.SetField("批准日期", approval)
        feature.SetField("行政区", "南苑街道")
        multi = geometry if geometry.geom_type == "MultiPolygon" else shapely.MultiPolygon([geometry])
        feature.SetGeometry(ogr.CreateGeometryFromWkb(multi.wkb))
        layer.CreateFeature(feature)
    dataset = None


def gk_transform():
    """EPSG:4490 degrees → EPSG:4549 metres, vertex by vertex as QGIS reprojects (GDAL's own PROJ)."""
    import shapely
    from osgeo import osr

    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.ImportFromEPSG(4490)
    target.ImportFromEPSG(4549)
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)

    def to_planar(geometry):
        return shapely.transform(geometry, lambda xy: _points(transform, xy))

    return to_planar


def _points(transform, xy):
    import numpy as np

    out = transform.TransformPoints([(float(x), float(y)) for x, y in xy])
    return np.array([(p[0], p[1]) for p in out])
