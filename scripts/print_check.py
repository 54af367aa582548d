"""Print every theme on data NOT shaped like the demo, to look at the pages: an ArcGIS-style export in
geographic CGCS2000 (EPSG:4490) with OBJECTID / Shape_Area / Shape_Length, pinyin field names and layer names
(YJJBNT 永久基本农田, STBHHX 生态保护红线, CZKFBJ 城镇开发边界, XZQ 行政区), parcels whose only id is OBJECTID,
30 upstairs plans of which a few lie on farmland or the red line, resettlement projects with text dates, supplied
parcels and approval batches as the land market monitoring system exports them.

    .venv/bin/python scripts/print_check.py [OUT_DIR [THEME …]]     (default build/print_check, every theme)

Writes OUT_DIR/arcgis_export.gpkg, runs the three analyses and landbureau:exportlayout through Processing with
empty field maps (detection only), A3 and A4 for each theme, and turns each PDF into a PNG with
`pdftoppm -r 60` when poppler-utils is installed. The data is random but seeded: the same pages every run.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

from qgis_headless import ROOT, start

DISTRICTS = ("临平街道", "南苑街道", "东湖街道", "乔司街道")
X0, Y0 = 120.28, 30.40  # south-west corner, degrees (Linping, Hangzhou)
CELL = 0.0012  # parcel grid step in degrees (~115 m × 133 m)
AS_OF = "2026-11-27"


def square(x: float, y: float, w: float, h: float) -> str:
    return f"POLYGON(({x} {y},{x + w} {y},{x + w} {y + h},{x} {y + h},{x} {y}))"


def write_layer(ds, name: str, kind, fields: list[tuple[str, int]], rows: list[dict]) -> None:
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = ds.CreateLayer(name, srs, kind, options=["FID=OBJECTID_FID", "GEOMETRY_NAME=SHAPE"])
    for field, ftype in fields:
        layer.CreateField(ogr.FieldDefn(field, ftype))
    for row in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for key, value in row.items():
            if key != "wkt" and value is not None:
                feature.SetField(key, value)
        geometry = ogr.CreateGeometryFromWkt(row["wkt"])
        feature.SetGeometry(geometry)
        layer.CreateFeature(feature)


def make_data(path: Path) -> None:
    """The ArcGIS-style export (see the module docstring)."""
    from osgeo import ogr

    rnd = random.Random(20261205)
    path.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    integer, real, text = ogr.OFTInteger, ogr.OFTReal, ogr.OFTString
    width, height = 24 * CELL, 16 * CELL
    # districts: four quadrants of the area
    quads = []
    for n, name in enumerate(DISTRICTS):
        x, y = X0 + (n % 2) * width / 2, Y0 + (n // 2) * height / 2
        quads.append({"wkt": square(x, y, width / 2, height / 2), "OBJECTID": n + 1, "XZQMC": name,
                      "XZQDM": f"3301130{n + 1:02d}", "Shape_Area": 0.0, "Shape_Length": 0.0})
    write_layer(ds, "XZQ", ogr.wkbPolygon, [("OBJECTID", integer), ("XZQMC", text), ("XZQDM", text),
                                            ("Shape_Area", real), ("Shape_Length", real)], quads)

    def district(x: float, y: float) -> str:
        return DISTRICTS[(1 if x >= X0 + width / 2 else 0) + (2 if y >= Y0 + height / 2 else 0)]

    # parcels: OBJECTID only, land use mixed (industrial 0601/1001/M1, warehouse, residential, public, roads)
    codes = ["0601"] * 5 + ["1001", "100101", "M1", "0604", "1101", "0701", "0702", "0801", "1202", "0810"]
    parcels = []
    oid = 0
    for i in range(24):
        for j in range(16):
            if rnd.random() < 0.12:
                continue
            oid += 1
            x, y = X0 + i * CELL, Y0 + j * CELL
            code = rnd.choice(codes)
            area = (CELL * 96000) * (CELL * 111000) * 0.92
            far = round(rnd.choice([0.3, 0.5, 0.7, 0.9, 1.1, 1.4, 1.8, 2.3]) + rnd.random() * 0.1, 2)
            parcels.append({"wkt": square(x + 0.00004, y + 0.00004, CELL - 0.00008, CELL - 0.00008),
                            "OBJECTID": oid, "YDXZ": code, "YDMJ": round(area, 1), "RJL": far,
                            "JZMD": round(rnd.uniform(0.15, 0.6), 2), "SSQX": district(x, y),
                            "QLR": f"杭州{rnd.choice('东南西北中新华盛')}{rnd.choice('达通源泰和')}实业有限公司",
                            "Shape_Area": area / 1e10, "Shape_Length": 0.0048})
    write_layer(ds, "ZD_GY_2024", ogr.wkbPolygon,
                [("OBJECTID", integer), ("YDXZ", text), ("YDMJ", real), ("RJL", real), ("JZMD", real),
                 ("SSQX", text), ("QLR", text), ("Shape_Area", real), ("Shape_Length", real)], parcels)

    # farmland patches (YJJBNT) in the west, a red line strip in the north-east, the urban boundary a ring
    farmland = [{"wkt": square(X0 + (0.5 + 3 * k) * CELL, Y0 + (1 + (k % 3) * 5) * CELL, 2.2 * CELL, 1.8 * CELL),
                 "OBJECTID": k + 1, "DLBM": "0101", "JBNTTBBH": f"JB{k + 1:04d}", "Shape_Area": 0.0}
                for k in range(7)]
    write_layer(ds, "YJJBNT", ogr.wkbPolygon, [("OBJECTID", integer), ("DLBM", text), ("JBNTTBBH", text),
                                               ("Shape_Area", real)], farmland)
    redline = [{"wkt": square(X0 + 17 * CELL, Y0 + 11 * CELL, 6 * CELL, 3 * CELL), "OBJECTID": 1,
                "HXMC": "余杭塘河生态保护红线", "Shape_Area": 0.0}]
    write_layer(ds, "STBHHX", ogr.wkbPolygon, [("OBJECTID", integer), ("HXMC", text), ("Shape_Area", real)],
                redline)
    boundary = [{"wkt": square(X0 + 2 * CELL, Y0 - 1 * CELL, 22.5 * CELL, 16.5 * CELL), "OBJECTID": 1,
                 "Shape_Area": 0.0}]
    write_layer(ds, "CZKFBJ", ogr.wkbPolygon, [("OBJECTID", integer), ("Shape_Area", real)], boundary)

    # 30 upstairs plans: pinyin fields; plans 3, 8, 15 on farmland, 22 on the red line, 28 outside the boundary
    plans = []
    spots = [(1 + (k % 10) * 2.3, 1.5 + (k // 10) * 4.6) for k in range(30)]
    for k, (i, j) in enumerate(spots):
        x, y = X0 + i * CELL, Y0 + j * CELL
        if k in (3, 8, 15):
            patch = farmland[(k // 3) % 7]["wkt"]
            px, py = (float(v) for v in patch.split("((")[1].split(",")[0].split())
            x, y = px + 1.2 * CELL, py + 0.9 * CELL
        if k == 22:
            x, y = X0 + 16.5 * CELL, Y0 + 10.6 * CELL
        if k == 28:
            x, y = X0 + 0.3 * CELL, Y0 + 13 * CELL
        w, h = CELL * rnd.uniform(0.9, 1.6), CELL * rnd.uniform(0.8, 1.3)
        area = w * 96000 * h * 111000
        plans.append({"wkt": square(x, y, w, h), "OBJECTID": k + 1, "FABH": f"LP-GYSL-{k + 1:03d}",
                      "XZQMC": district(x, y), "SBMJ": round(area * rnd.choice([1.0, 1.0, 1.0, 1.06]), 0),
                      "RJL": round(rnd.choice([1.6, 2.1, 2.4, 2.8, 3.2]), 2), "JZGD": rnd.choice([18.0, 36.0, 45.0]),
                      "CS": rnd.choice([3, 5, 6, 8]), "SCCG": 7.0, "BZCCG": 5.0, "SCHZ": 12.0, "LCHZ": 8.0,
                      "HTZZ": rnd.choice([2.0, 3.0, 5.0]), "YDXZ": "100101", "Shape_Area": area / 1e10})
    write_layer(ds, "GYSL_FA", ogr.wkbPolygon,
                [("OBJECTID", integer), ("FABH", text), ("XZQMC", text), ("SBMJ", real), ("RJL", real),
                 ("JZGD", real), ("CS", integer), ("SCCG", real), ("BZCCG", real), ("SCHZ", real), ("LCHZ", real),
                 ("HTZZ", real), ("YDXZ", text), ("Shape_Area", real)], plans)

    # resettlement projects (points) with dates in several forms, and plots (AZDK)
    projects, plots = [], []
    for k in range(40):
        x, y = X0 + rnd.uniform(0.5, 23.5) * CELL, Y0 + rnd.uniform(0.5, 15.5) * CELL
        year = rnd.choice([2018, 2019, 2020, 2021, 2022, 2023, 2024])
        start = f"{year}/{rnd.randint(1, 12)}/{rnd.randint(1, 28)}"
        projects.append({"wkt": f"POINT({x} {y})", "OBJECTID": k + 1, "XMBH": f"ZQ{year}-{k + 1:03d}",
                         "XMMC": f"{district(x, y)}{rnd.choice(['旧城改造', '城中村改造', '道路拓宽'])}{k + 1}号项目",
                         "XZQMC": district(x, y), "ZQRQ": start,
                         "KGRQ": (f"{year + 1}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日"
                                  if rnd.random() < .7 else None),
                         "JGRQ": f"{year + 3}{rnd.randint(1, 12):02d}15" if rnd.random() < .4 else None,
                         "AZRQ": None, "HS": rnd.randint(20, 600), "AZDKBH": f"AZ{k + 1:03d}"})
        if rnd.random() < 0.6:
            plots.append({"wkt": square(x + 0.0002, y + 0.0002, 0.0006, 0.0005), "OBJECTID": len(plots) + 1,
                          "AZDKBH": f"AZ{k + 1:03d}", "XZQMC": district(x, y)})
    write_layer(ds, "ZQXM", ogr.wkbPoint,
                [("OBJECTID", integer), ("XMBH", text), ("XMMC", text), ("XZQMC", text), ("ZQRQ", text),
                 ("KGRQ", text), ("JGRQ", text), ("AZRQ", text), ("HS", integer), ("AZDKBH", text)], projects)
    write_layer(ds, "AZDK", ogr.wkbPolygon, [("OBJECTID", integer), ("AZDKBH", text), ("XZQMC", text)], plots)
    supply_layers(ds, rnd, district)
    ds = None


def supply_layers(ds, rnd: random.Random, district) -> None:
    """Land supply as a 土地市场动态监测监管 export: supplied parcels (GDXX: 电子监管号, dates as text in several forms,
    prices in 万元, some without a price, government delays) and approval batches (PCXX) in EPSG:4490, a batch
    partly covered by parcels, one fully supplied, parcels overlapping each other and straddling two batches."""
    from osgeo import ogr

    integer, real, text = ogr.OFTInteger, ogr.OFTReal, ogr.OFTString
    batches = []
    for k in range(12):
        i, j = 1 + (k % 4) * 5.6, 1 + (k // 4) * 5
        x, y = X0 + i * CELL, Y0 + j * CELL
        year = 2021 + k % 6
        batches.append({"wkt": square(x, y, 5 * CELL, 4.2 * CELL), "OBJECTID": k + 1,
                        "PCBH": f"浙土字A{year}{k + 1:04d}号", "PZRQ": f"{year}-{rnd.randint(1, 12):02d}-15",
                        "XZQMC": district(x, y)})
    write_layer(ds, "PCXX", ogr.wkbPolygon, [("OBJECTID", integer), ("PCBH", text), ("PZRQ", text),
                                             ("XZQMC", text)], batches)
    parcels = []
    for k in range(70):
        batch = batches[k % 12]
        bx, by = (float(v) for v in batch["wkt"].split("((")[1].split(",")[0].split())
        fill = 1 if k % 12 == 5 else 0  # batch 6 fully supplied by its own parcels
        col, row = (k // 12) % 3, (k // 36)
        w, h = (5 * CELL / 3, 4.2 * CELL / 2) if fill else (CELL * rnd.uniform(1.1, 1.6), CELL * rnd.uniform(1.0, 1.5))
        x = bx + col * (w if fill else 1.7 * CELL) + (0 if fill else 0.1 * CELL)
        y = by + row * (h if fill else 2.0 * CELL) + (0 if fill else 0.2 * CELL)
        if k == 7:  # straddling batches 8 and 9 (neighbours in x)
            x = bx + 4.2 * CELL
        year = rnd.choice([2021, 2022, 2023, 2024, 2025, 2025, 2026, 2026, 2027])
        agreed = f"{year}/{rnd.randint(1, 12)}/{rnd.randint(1, 28)}"
        started = year < 2026 and rnd.random() < 0.45
        state = {"wkt": square(x, y, w, h), "OBJECTID": k + 1, "DZJGH": f"3301132{year}B{k + 1:05d}",
                 "XMMC": f"{rnd.choice(['智能装备', '新材料', '生物医药', '数字经济', '物流仓储'])}产业园{k + 1}号地块",
                 "XZQMC": district(x, y), "YDKGRQ": agreed,
                 "CJJK": round(rnd.uniform(800, 9000), 1) if rnd.random() < 0.85 else None,
                 "ZTZ": round(rnd.uniform(5000, 60000), 0)}
        area = w * 96000 * h * 111000
        if started:
            state["SJKGRQ"] = f"{year}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日"
            if rnd.random() < 0.35:
                state["TGRQ"] = f"{min(year + 1, 2025)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
                state["YKFMJ"] = round(area * rnd.choice([0.1, 0.2, 0.5]), 1)
                state["YTZE"] = round(state["ZTZ"] * rnd.choice([0.1, 0.3]), 0)
            elif rnd.random() < 0.4:
                state["SJJGRQ"] = f"{min(year + 2, 2026)}-06-30"
        if rnd.random() < 0.08:
            state["SFZFYY"], state["XZYY"] = "是", rnd.choice(["规划调整", "征收未完成", "文物勘探"])
        parcels.append(state)
    write_layer(ds, "GDXX", ogr.wkbPolygon,
                [("OBJECTID", integer), ("DZJGH", text), ("XMMC", text), ("XZQMC", text), ("YDKGRQ", text),
                 ("SJKGRQ", text), ("SJJGRQ", text), ("TGRQ", text), ("YKFMJ", real), ("ZTZ", real), ("YTZE", real),
                 ("CJJK", real), ("SFZFYY", text), ("XZYY", text)], parcels)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "print_check"
    out.mkdir(parents=True, exist_ok=True)
    data = out / "arcgis_export.gpkg"
    make_data(data)
    app, _plugin = start()
    import processing

    from land_bureau_plugin.processing.export_layout import THEME_KEYS

    def src(table: str) -> str:
        return f"{data}|layername={table}"

    def dest(name: str) -> str:
        return str(out / f"{name}.gpkg")

    for name in ("resettlement", "efficiency", "clusters", "upstairs", "upstairs_viol", "land_supply",
                 "land_supply_unsupplied"):
        Path(dest(name)).unlink(missing_ok=True)
    only = sys.argv[2:]  # theme keys to print (all when none are named)
    jobs = {
        "resettlement": lambda: processing.run("landbureau:resettlementdeadlines", {
            "INPUT": src("ZQXM"), "PLOTS": src("AZDK"), "AS_OF": AS_OF, "OUTPUT": dest("resettlement")}),
        "efficiency": lambda: processing.run("landbureau:lowefficiency", {
            "PARCELS": src("ZD_GY_2024"), "OUTPUT": dest("efficiency"), "CLUSTER_OUTLINES": dest("clusters")}),
        "upstairs": lambda: processing.run("landbureau:upstairscheck", {
            "INPUT": src("GYSL_FA"), "FARMLAND": src("YJJBNT"), "REDLINE": src("STBHHX"),
            "URBAN_BOUNDARY": src("CZKFBJ"), "OUTPUT": dest("upstairs"), "VIOLATIONS": dest("upstairs_viol")}),
        "land_supply": lambda: processing.run("landbureau:landsupply", {
            "SUPPLY": src("GDXX"), "APPROVALS": src("PCXX"), "AS_OF": AS_OF, "OUTPUT": dest("land_supply"),
            "UNSUPPLIED": dest("land_supply_unsupplied")}),
    }
    runs = {key: job() for key, job in jobs.items() if not only or key in only}
    printed_layers = {
        "resettlement": lambda: [runs["resettlement"]["OUTPUT"], src("AZDK"), src("YJJBNT"), src("XZQ")],
        "efficiency": lambda: [runs["efficiency"]["OUTPUT"], runs["efficiency"]["CLUSTER_OUTLINES"], src("YJJBNT"),
                       src("STBHHX"), src("XZQ")],
        "upstairs": lambda: [runs["upstairs"]["OUTPUT"], runs["upstairs"]["VIOLATIONS"], src("YJJBNT"), src("STBHHX"),
                     src("CZKFBJ"), src("XZQ")],
        "land_supply": lambda: [runs["land_supply"]["OUTPUT"], runs["land_supply"]["UNSUPPLIED"], src("PCXX"),
                                src("XZQ")],
    }
    layers = {key: job() for key, job in printed_layers.items() if key in runs}
    pdftoppm = shutil.which("pdftoppm")
    for key, printed in layers.items():
        for template in ("a3_landscape", "a4_portrait"):
            pdf = out / f"{key}_{template[:2]}.pdf"
            result = processing.run("landbureau:exportlayout", {
                "THEME": THEME_KEYS.index(key), "LAYERS": printed, "TEMPLATE": template, "AS_OF": AS_OF,
                "SUMMARY": runs[key].get("SUMMARY") or "", "OUTPUT": str(pdf)})
            print(f"{pdf.name}: {int(result['PAGES'])} page(s)")
            if pdftoppm:
                subprocess.run([pdftoppm, "-r", "60", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
                               check=True)
    if "upstairs" in layers:
        # one A4 page per district (atlas) of the upstairs check: each page its own plans, numbers and figures
        pdf = out / "upstairs_districts.pdf"
        result = processing.run("landbureau:exportlayout", {
            "THEME": THEME_KEYS.index("upstairs"), "LAYERS": layers["upstairs"], "TEMPLATE": "a4_portrait",
            "AS_OF": AS_OF, "SUMMARY": runs["upstairs"].get("SUMMARY") or "", "ATLAS": src("XZQ"),
            "ATLAS_FIELD": "XZQMC",
            "OUTPUT": str(pdf)})
        print(f"{pdf.name}: {int(result['PAGES'])} page(s)")
        if pdftoppm:
            subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    runs.clear()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
