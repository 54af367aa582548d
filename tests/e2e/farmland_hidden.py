"""A 耕地占补平衡 ledger the plugin has never seen, and its expected figures computed here by plain loops.

Four counties over 2022–2025, written the way offices send them:
- occupations: a GBK shapefile without .cpg in CGCS2000 geographic degrees (EPSG:4490), traditional field names
  (項目編號, 行政區, 質量等別), the area in 公顷 (GDMJ(公顷)) — some empty, measured from the geometry —, paddy in 亩 as
  text with placeholders (无, —), dates written four ways, one occupation naming its supplement (挂钩, BCXMBH);
- supplements: a GeoPackage in EPSG:4549 with the area in m², paddy in 公顷, capacity in 吨 for one project;
- transfers: a UTF-8 CSV table, quantity in 亩, capacity in 吨, funds in 元 or only a unit price (万元/亩),
  cultivated / forest / grain-zone 代保 types;
- permanent basic farmland, ecological red line and construction land as GeoPackage layers.

The cases: balances at exactly zero (quantity and paddy) and one capacity-only deficit; 以补定占 at the cap and
0 above it, and above it on paddy or capacity only; 先补后占 on the day before and on the day of the acceptance; a
transfer received on the approval day; a linked supplement accepted later; overlapping supplements at 1 m² (not
counted), 1.5 m² and on the same acceptance day (the higher feature id carries the row); supplements on the red line
and construction land; occupation of permanent basic farmland.

`expected()` recomputes everything from the scenario tables with loops and shapely — it shares no code with the
plugin: capacity = 亩 × (16 − grade) × 100 kg (the bundled local default) or the supplement's own figure.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

import shapely
from office_shapefile import as_office_sends_it

MU = 10000.0 / 15.0  # m² per 亩
X0, Y0 = 500_000.0, 3_330_000.0  # EPSG:4549 (CM 120°E) metres, near Hangzhou


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


@dataclass
class Occ:
    pid: str
    county: str
    date: str  # as written
    day: str  # ISO, what it means
    ha: float | None  # GDMJ(公顷); None = empty (measured from the geometry)
    paddy: str  # STMJ(亩) as text: a number, "" or a placeholder
    grade: str
    geom: object
    link: str = ""


@dataclass
class Sup:
    pid: str
    county: str
    date: str
    day: str
    m2: float | None  # 新增耕地面积(m²)
    paddy_ha: float | None  # 新增水田面积(公顷)
    grade: str
    geom: object
    capacity_t: float | None = None  # 新增粮食产能(吨)


@dataclass
class Tr:
    giver: str
    receiver: str
    date: str
    day: str
    mu: float
    paddy: float | None
    capacity_t: float | None
    price: float | None  # 万元/亩
    funds_yuan: float | None
    kind: str


LA, CA, JD, TL = "临安区", "淳安县", "建德市", "桐廬縣"  # 桐廬縣 in traditional characters in every layer

OCCUPATIONS = [
    Occ("O-LA-1", LA, "2022-06-01", "2022-06-01", 1.2, "3", "5", box(0, 0, 100, 100)),
    # approved on the day 淳安县's transfer arrives: the transfer counts
    Occ("O-LA-2", LA, "2023/1/10", "2023-01-10", 2.4, "9", "6等", box(200, 0, 300, 100)),
    # exactly at the cap in 亩 and 水田 (90 亩, 16 亩), 4,600 kg of capacity beyond it
    Occ("O-LA-3", LA, "2023年8月1日", "2023-08-01", 2.4, "4", "8", box(400, 0, 500, 100)),
    # a day before S-LA-2's acceptance: 9 亩 drawn late and 9 亩 above the cap; paddy "无"
    Occ("O-LA-4", LA, "20240519", "2024-05-19", 0.6, "无", "7", box(600, 0, 700, 100)),
    # on the day of S-LA-2's acceptance: not late, exactly at the cap; paddy "—"
    Occ("O-LA-5", LA, "2024-05-20", "2024-05-20", 0.4, "—", "6", box(800, 0, 900, 100)),
    # names S-LA-3, accepted a month later; partly on permanent basic farmland; area from the geometry (3 亩)
    Occ("O-LA-6", LA, "2025-03-01", "2025-03-01", None, "", "6", box(1000, 0, 1050, 40), link="S-LA-3"),
    Occ("O-CA-1", CA, "2024-07-01", "2024-07-01", 0.8, "2", "10", box(20000, 0, 20100, 100)),
    # a day before the transfer from 淳安县: 22.5 亩 exactly at the cap, capacity 13,500 kg above it
    Occ("O-JD-1", JD, "2024-09-29", "2024-09-29", 1.5, "", "6", box(40000, 0, 40100, 100)),
    Occ("O-JD-2", JD, "2024-10-08", "2024-10-08", 4.0, "15", "11", box(40200, 0, 40400, 200)),
    # 30 亩 against 27 亩 supplemented: 3 亩 beyond the cap (not 先补后占: nothing accepted later), paddy 10 亩 short
    Occ("O-TL-1", TL, "2023-03-03", "2023-03-03", 2.0, "10", "4", box(60000, 0, 60100, 100)),
]

SUPPLEMENTS = [
    Sup("S-LA-1", LA, "2022-03-15", "2022-03-15", 20000.0, 0.4, "6", box(0, 5000, 200, 5100)),
    Sup("S-LA-2", LA, "2024-05-20", "2024-05-20", 10000.0, None, "4", box(300, 5000, 400, 5100), capacity_t=20.0),
    Sup("S-LA-3", LA, "2025-04-01", "2025-04-01", 8000.0, 0.0, "9", box(500, 5000, 580, 5100)),
    Sup("S-CA-1", CA, "2022年9月1日", "2022-09-01", 100000.0, 2.0, "7", box(20000, 5000, 20400, 5250)),
    # double counting: overlaps S-CA-1 by 100 × 50 m, accepted later
    Sup("S-CA-2", CA, "20230301", "2023-03-01", 40000.0, 0.5, "8", box(20300, 5200, 20500, 5400)),
    # on the ecological red line (20 × 100 m) and on construction land (10 × 50 m)
    Sup("S-CA-3", CA, "2024/11/11", "2024-11-11", 20000.0, 0.0, "5等", box(21000, 5000, 21200, 5100)),
    # area from the geometry: 150 × 100 m = 22.5 亩
    Sup("S-JD-1", JD, "2023/4/15", "2023-04-15", None, None, "12", box(40000, 5000, 40150, 5100)),
    Sup("S-TL-1", TL, "2022-12-31", "2022-12-31", 10000.0, 0.0, "3", box(60000, 5000, 60100, 5100)),
    # the same day as S-TL-1, overlapping it by 1 m² exactly: not counted (min_overlap_m2 = 1)
    Sup("S-TL-2", TL, "2022-12-31", "2022-12-31", 2000.0, 0.0, "3", box(60099, 5099, 60199, 5119)),
    # overlaps S-TL-2 by 1.5 m² (1.5 × 1 m), accepted later: counted; partly on permanent basic farmland
    Sup("S-TL-3", TL, "2023-02-02", "2023-02-02", 4000.0, 0.0, "3", box(60197.5, 5118, 60297.5, 5158)),
    # the same day as S-TL-3 and overlapping it by 5 × 10 m: the higher feature id (this one) carries the row
    Sup("S-TL-4", TL, "2023-02-02", "2023-02-02", 2000.0, 0.0, "3", box(60292.5, 5148, 60392.5, 5168)),
]

TRANSFERS = [
    Tr(CA, LA, "2023-01-10", "2023-01-10", 60.0, 10.0, 50.0, 40.0, None, "耕地占补平衡指标"),
    Tr(CA, JD, "2023-06-01", "2023-06-01", 40.0, None, None, None, 8_000_000.0, "补充林地指标"),
    Tr(CA, TL, "2024-02-01", "2024-02-01", 100.0, None, None, 1.0, None, "粮食生产功能区代保"),
    Tr(CA, JD, "2024-09-30", "2024-09-30", 80.0, 20.0, None, 35.0, 28_000_000.0, "耕地"),
    # from a county no project names (the province's reserve): read, its own balance not judged; it covers 建德市's
    # capacity in 2025 — so 建德市's two 2024 occupations drew that capacity on it: 先补后占 by capacity
    Tr(RESERVE := "省级统筹库", JD, "2025-06-30", "2025-06-30", 10.0, 0.0, 50.0, 50.0, None, "耕地"),
]

BASIC_FARMLAND = [box(1030, 20, 1100, 100), box(60250, 5100, 60260, 5200)]
REDLINE = [box(21180, 4900, 21300, 5200)]
CONSTRUCTION = [box(20950, 5050, 21010, 5100)]


def capacity_per_mu(grade: str) -> float:
    return (16 - int(grade.rstrip("等"))) * 100.0


def occupation_figures(o: Occ) -> tuple[float, float, float]:
    """(亩, 水田 亩, kg) of an occupation."""
    mu = o.ha * 15.0 if o.ha is not None else o.geom.area / MU
    paddy = float(o.paddy) if o.paddy.strip() and o.paddy not in ("无", "—") else 0.0
    return mu, paddy, mu * capacity_per_mu(o.grade)


def supplement_figures(s: Sup) -> tuple[float, float, float]:
    mu = (s.m2 if s.m2 is not None else s.geom.area) / MU
    paddy = (s.paddy_ha or 0.0) * 15.0
    capacity = s.capacity_t * 1000.0 if s.capacity_t is not None else mu * capacity_per_mu(s.grade)
    return mu, paddy, capacity


def transfer_figures(t: Tr) -> tuple[float, float, float]:
    return t.mu, t.paddy or 0.0, (t.capacity_t or 0.0) * 1000.0


def counted(t: Tr) -> bool:
    return "林地" not in t.kind and "代保" not in t.kind and "粮食" not in t.kind


def _period(day: str, period: str):
    """(sort key, label) of the period a day falls in."""
    year, month = int(day[:4]), int(day[5:7])
    if period == "quarter":
        quarter = (month - 1) // 3 + 1
        return (year, quarter), f"{year}Q{quarter}"
    return (year, 0), str(year)


def _periods(first, last, period: str) -> list:
    out, (year, part) = [], first
    while (year, part) <= last:
        out.append(((year, part), f"{year}Q{part}" if period == "quarter" else str(year)))
        year, part = (year, part + 1) if period == "quarter" and part < 4 else (year + 1, 1 if period == "quarter"
                                                                                   else 0)
    return out


def expected_ledger(period: str = "year") -> dict:
    """{(county, period label): {occupied_mu, …, balance_capacity_kg, status}} by loops over every flow, per year
    or quarter; a county only transfers name is `transfers_only`, without shortfall."""
    judged = {o.county for o in OCCUPATIONS} | {s.county for s in SUPPLEMENTS}
    counties = sorted(judged | {t.giver for t in TRANSFERS if counted(t)} | {t.receiver for t in TRANSFERS
                                                                             if counted(t)})
    flows = []  # (county, period key, flow, (mu, paddy, kg))
    for o in OCCUPATIONS:
        flows.append((o.county, _period(o.day, period)[0], "occupied", occupation_figures(o)))
    for s in SUPPLEMENTS:
        flows.append((s.county, _period(s.day, period)[0], "supplemented", supplement_figures(s)))
    for t in TRANSFERS:
        if counted(t):
            flows.append((t.receiver, _period(t.day, period)[0], "received", transfer_figures(t)))
            flows.append((t.giver, _period(t.day, period)[0], "given", transfer_figures(t)))
    keys = [key for _c, key, _f, _v in flows]
    ledger = {}
    for county in counties:
        balance = [0.0, 0.0, 0.0]
        for key, label in _periods(min(keys), max(keys), period):
            row = {}
            for flow in ("occupied", "supplemented", "received", "given"):
                sums = [0.0, 0.0, 0.0]
                for c, k, f, figures in flows:
                    if (c, k, f) == (county, key, flow):
                        sums = [a + b for a, b in zip(sums, figures)]
                for ind, value in zip(("mu", "paddy_mu", "capacity_kg"), sums):
                    row[f"{flow}_{ind}"] = value
            for i, ind in enumerate(("mu", "paddy_mu", "capacity_kg")):
                balance[i] += (row[f"supplemented_{ind}"] + row[f"received_{ind}"] - row[f"given_{ind}"]
                               - row[f"occupied_{ind}"])
                row[f"balance_{ind}"] = balance[i]
                row[f"shortfall_{ind}"] = -balance[i] if balance[i] < -1e-6 and county in judged else 0.0
            row["status"] = ("transfers_only" if county not in judged
                             else "deficit" if any(b < -1e-6 for b in balance) else "balanced")
            ledger[(county, label)] = row
    return ledger


def _events(county):
    """(incoming, outgoing) of a county in the order the rules take them: date, then occupations before
    transfers given, then input order; incoming: date, supplements before transfers received."""
    incoming, outgoing = [], []
    for i, s in enumerate(SUPPLEMENTS):
        if s.county == county:
            incoming.append((s.day, 0, i, s.pid, supplement_figures(s)))
    for i, t in enumerate(TRANSFERS):
        if counted(t) and t.receiver == county:
            incoming.append((t.day, 1, i, f"transfer from {t.giver}", transfer_figures(t)))
        if counted(t) and t.giver == county:
            outgoing.append((t.day, 1, i, f"transfer{i}", transfer_figures(t)))
    for i, o in enumerate(OCCUPATIONS):
        if o.county == county:
            outgoing.append((o.day, 0, i, o.pid, occupation_figures(o)))
    return sorted(incoming), sorted(outgoing)


def expected_checks() -> dict:
    """{(check, project id): values}: 以补定占 excess per indicator, 先补后占 (亩 drawn late, the supplement, its
    day), overlaps with their areas by shapely."""
    checks = {}
    counties = sorted({o.county for o in OCCUPATIONS} | {s.county for s in SUPPLEMENTS})
    for county in counties:
        incoming, outgoing = _events(county)
        used = [0.0, 0.0, 0.0]
        lots = [[[day, figures[k], pid, order] for day, order, _i, pid, figures in incoming] for k in range(3)]
        for day, _order, _i, pid, figures in outgoing:
            used = [u + f for u, f in zip(used, figures)]
            available = [sum(f[k] for d, _o, _j, _p, f in incoming if d <= day) for k in range(3)]
            # each project's own part beyond the cap: none of an indicator it does not use
            excess = [min(u - a, f) if min(u - a, f) > 1e-6 else None for u, a, f in zip(used, available, figures)]
            if any(e is not None for e in excess):
                checks[("cap_exceeded", pid)] = excess
            late, latest = [0.0, 0.0, 0.0], None  # per indicator: FIFO over that indicator's own lots
            for k in range(3):
                need = figures[k]
                while need > 1e-9 and lots[k]:
                    lot = lots[k][0]
                    take = min(need, lot[1])
                    if lot[0] > day and take > 1e-9:
                        late[k] += take
                        if latest is None or (lot[0], lot[3]) > (latest[0], latest[3]):
                            latest = lot
                    lot[1] -= take
                    need -= take
                    if lot[1] <= 1e-9:
                        lots[k].pop(0)
            occupation = next((o for o in OCCUPATIONS if o.pid == pid), None)
            if occupation is not None and occupation.link:
                named = next(s for s in SUPPLEMENTS if s.pid == occupation.link)
                if named.day > day:
                    checks[("supplement_after_occupation", pid)] = {"other": named.pid, "other_day": named.day,
                                                                    "late": list(figures)}
            elif occupation is not None and any(v > 1e-6 for v in late):
                checks[("supplement_after_occupation", pid)] = {"other": latest[2], "other_day": latest[0],
                                                                "late": late}
    farmland = shapely.union_all(BASIC_FARMLAND)
    for o in OCCUPATIONS:
        area = o.geom.intersection(farmland).area
        if area > 1.0:
            checks[("occupies_basic_farmland", o.pid)] = area
    for name, patches in (("basic_farmland", BASIC_FARMLAND), ("redline", REDLINE), ("construction", CONSTRUCTION)):
        union = shapely.union_all(patches)
        for s in SUPPLEMENTS:
            area = s.geom.intersection(union).area
            if area > 1.0:
                checks[("supplement_on_protected", s.pid, name)] = area
    for i, a in enumerate(SUPPLEMENTS):
        for j, b in enumerate(SUPPLEMENTS[i + 1:], start=i + 1):
            area = a.geom.intersection(b.geom).area
            if area > 1.0:
                later, other = (b, a) if (b.day, j) > (a.day, i) else (a, b)
                checks[("supplement_overlap", later.pid)] = {"other": other.pid, "area": area}
    return checks


# ---- writing the layers ------------------------------------------------------------------------------------------

OCC_FIELDS = ("項目編號", "行政區", "批准日期", "GDMJ(公顷)", "STMJ(亩)", "質量等別", "BCXMBH")
SUP_FIELDS = ("项目编号", "县区", "验收日期", "新增耕地面积(m²)", "新增水田面积(公顷)", "质量等别", "新增粮食产能(吨)")
TRANSFER_HEADER = ("调出方", "调入方", "调剂日期", "调剂数量(亩)", "调剂水田(亩)", "调剂产能(吨)", "单价(万元/亩)",
                   "成交金额(元)", "指标类型")


def write_occupations(path) -> str:
    """The GBK shapefile in EPSG:4490 without .cpg (the DBF's language byte cleared)."""
    from osgeo import gdal, ogr, osr

    gdal.SetConfigOption("SHAPE_ENCODING", None)
    gk, geographic = osr.SpatialReference(), osr.SpatialReference()
    gk.ImportFromEPSG(4549)
    geographic.ImportFromEPSG(4490)
    for srs in (gk, geographic):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_degrees = osr.CoordinateTransformation(gk, geographic)
    source = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    layer = source.CreateLayer("占用耕地", geographic, ogr.wkbPolygon, options=["ENCODING=GBK"])
    for name in OCC_FIELDS:
        definition = ogr.FieldDefn(name, ogr.OFTReal if name.startswith("GDMJ") else ogr.OFTString)
        if name.startswith("GDMJ"):
            definition.SetWidth(18)
            definition.SetPrecision(6)
        else:
            definition.SetWidth(40)
        assert layer.CreateField(definition) == 0
    for o in OCCUPATIONS:
        feature = ogr.Feature(layer.GetLayerDefn())
        values = (o.pid, o.county, o.date, o.ha, o.paddy or None, o.grade, o.link or None)
        for index, value in enumerate(values):
            if value is not None:
                feature.SetField(index, value)
        geometry = ogr.CreateGeometryFromWkt(shapely.segmentize(o.geom, 10).wkt)
        geometry.Transform(to_degrees)
        feature.SetGeometry(geometry)
        layer.CreateFeature(feature)
    source = None
    return as_office_sends_it(path)


def write_geopackage(path) -> None:
    """Supplements and the protected layers, EPSG:4549."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("补充耕地项目", srs, ogr.wkbPolygon)
    for name in SUP_FIELDS:
        real = "(" in name
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal if real else ogr.OFTString))
    for s in SUPPLEMENTS:
        feature = ogr.Feature(layer.GetLayerDefn())
        for index, value in enumerate((s.pid, s.county, s.date, s.m2, s.paddy_ha, s.grade, s.capacity_t)):
            if value is not None:
                feature.SetField(index, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(s.geom.wkt))
        layer.CreateFeature(feature)
    for name, patches in (("永久基本农田", BASIC_FARMLAND), ("生态保护红线", REDLINE), ("现状建设用地", CONSTRUCTION)):
        layer = dataset.CreateLayer(name, srs, ogr.wkbPolygon)
        layer.CreateField(ogr.FieldDefn("名称", ogr.OFTString))
        for i, patch in enumerate(patches):
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetField(0, f"{name}{i + 1}")
            feature.SetGeometry(ogr.CreateGeometryFromWkt(patch.wkt))
            layer.CreateFeature(feature)
    dataset = None


def write_transfers(path) -> str:
    """The CSV table (every value text, as delimited text reads it with detectTypes=no)."""
    def text(value):
        return "" if value is None else (f"{value:g}" if isinstance(value, float) else value)

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRANSFER_HEADER)
        for t in TRANSFERS:
            writer.writerow([t.giver, t.receiver, t.date, text(t.mu), text(t.paddy), text(t.capacity_t),
                             text(t.price), text(t.funds_yuan), t.kind])
    from urllib.parse import quote

    return f"delimitedtext://file://{quote(str(path))}?type=csv&detectTypes=no&geomType=none"  # a Chinese name encoded
