"""耕地占补平衡 section of `make bench`.

50,000 occupations, 50,000 supplements (one in fifty overlapping its neighbour: double counting), 5,000 transfers (a
CSV table, as the bureau's spreadsheets come) and 10,000 permanent basic farmland patches: `landbureau:farmlandbalance`
end to end (read, refuse-or-read every value, ledger by county and year, 先补后占 / 以补定占, overlaps, write LEDGER and
CHECKS to GeoPackages) side by side with a plain reference on the same files in the same run — GDAL's own feature
loop for reading, a pandas groupby for the ledger and a shapely STRtree query loop (one supplement at a time) for the
overlaps — and whether the two agree: every county-year balance, the double-counted pairs and their area, the
occupations on basic farmland. The data is generated once and cached in build/bench/.

Sizes: FARMLAND_BENCH_SIZES="occupations,supplements,transfers,patches" (default 50000,50000,5000,10000).
"""
from __future__ import annotations

import datetime as dt
import os
import time

import numpy as np
import pandas as pd
import shapely
from upstairs_bench import CACHE, ROOT, Timed, farmland_patches, grid_centres, qgis

COUNTIES = [f"县{i:02d}" for i in range(1, 21)]
MU = 10000 / 15


def sizes() -> tuple[int, int, int, int]:
    text = os.environ.get("FARMLAND_BENCH_SIZES", "50000,50000,5000,10000")
    return tuple(int(v) for v in text.split(","))


def dates(rng, n: int, low: str, high: str) -> list[str]:
    start, end = dt.date.fromisoformat(low), dt.date.fromisoformat(high)
    days = rng.integers(0, (end - start).days, n)
    return [(start + dt.timedelta(days=int(d))).isoformat() for d in days]


def boxes(n: int, rng, shift: float, overlap_every: int = 0):
    """One box per grid cell (apart from each other), shifted by `shift` of a cell; every `overlap_every`-th box
    reaches into its right neighbour."""
    cx, cy, cell = grid_centres(n, rng, 0.02)
    cx = cx + shift * cell
    half = rng.uniform(0.15, 0.3, n) * cell
    right = cx + half
    if overlap_every:
        right = np.where(np.arange(n) % overlap_every == 0, cx + cell * 0.75, right)
    return shapely.box(cx - half, cy - half, right, cy + half), cx


def county_of(x):
    from upstairs_bench import REGION, X0

    return np.array(COUNTIES, dtype=object)[np.clip(((x - X0) / REGION * len(COUNTIES)).astype(int), 0,
                                                    len(COUNTIES) - 1)]


def dataset():
    from generate_data import Layer, cyclic_gc_paused, write_geopackage

    n_occ, n_sup, n_tr, n_patch = sizes()
    path = CACHE / f"farmland_{n_occ}_{n_sup}_{n_tr}_{n_patch}.gpkg"
    table = path.with_suffix(".csv")
    if path.exists() and table.exists():
        return path, table
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = np.random.default_rng(17)
    with cyclic_gc_paused():
        occupied, ox = boxes(n_occ, rng, 0.0)
        supplied, sx = boxes(n_sup, rng, 0.5, overlap_every=50)
        grade = lambda n: rng.integers(1, 16, n).astype(str).tolist()  # noqa: E731
        data = [
            Layer("occupations", "polygon", occupied, {
                "项目编号": ("text", [f"ZY{i:06d}" for i in range(n_occ)]),
                "行政区": ("text", county_of(ox).tolist()),
                "批准日期": ("text", dates(rng, n_occ, "2018-01-01", "2026-11-01")),
                "水田面积": ("real", (shapely.area(occupied) * rng.uniform(0, 0.5, n_occ)).round(1).tolist()),
                "质量等别": ("text", grade(n_occ))}),
            Layer("supplements", "polygon", supplied, {
                "项目编号": ("text", [f"BC{i:06d}" for i in range(n_sup)]),
                "行政区": ("text", county_of(sx).tolist()),
                "验收日期": ("text", dates(rng, n_sup, "2017-01-01", "2026-11-01")),
                "新增水田面积": ("real", (shapely.area(supplied) * rng.uniform(0, 0.5, n_sup)).round(1).tolist()),
                "质量等别": ("text", grade(n_sup))}),
            Layer("basic_farmland", "polygon", farmland_patches(n_patch, rng), {"BSM": ("int", list(range(n_patch)))}),
        ]
        partial = path.with_suffix(".part.gpkg")
        write_geopackage(str(partial), data, vacuum=False)
    os.replace(partial, path)
    ends = rng.integers(0, len(COUNTIES), (n_tr, 2))
    ends[:, 1] = np.where(ends[:, 1] == ends[:, 0], (ends[:, 0] + 1) % len(COUNTIES), ends[:, 1])
    quantity = rng.uniform(1, 100, n_tr).round(2)
    pd.DataFrame({"调出方": np.array(COUNTIES)[ends[:, 0]], "调入方": np.array(COUNTIES)[ends[:, 1]],
                  "调剂日期": dates(rng, n_tr, "2018-01-01", "2026-11-01"), "调剂数量": quantity,
                  "调剂水田": (quantity * rng.uniform(0, 0.3, n_tr)).round(2),
                  "调剂产能": (quantity * 800).round(0), "单价": rng.uniform(20, 60, n_tr).round(1),
                  "指标类型": rng.choice(["耕地占补平衡指标", "补充林地指标", "粮食生产功能区代保"], n_tr,
                                     p=[0.9, 0.05, 0.05])}).to_csv(table, index=False, encoding="utf-8")
    print(f"generated {path.relative_to(ROOT)} and {table.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path, table


def run_ours(processing, inputs):
    ledger, checks = CACHE / "farmland_ledger.gpkg", CACHE / "farmland_checks.gpkg"
    ledger.unlink(missing_ok=True)
    checks.unlink(missing_ok=True)
    started = time.perf_counter()
    result = processing.run("landbureau:farmlandbalance", {
        "OCCUPATIONS": inputs["occupations"], "SUPPLEMENTS": inputs["supplements"], "TRANSFERS": inputs["transfers"],
        "BASIC_FARMLAND": inputs["basic_farmland"], "PERIOD": 0, "LEDGER": str(ledger), "CHECKS": str(checks)},
        feedback=Timed())
    return time.perf_counter() - started, result


def read_plain(path, name, fields):
    """GDAL's feature loop: attributes and shapely geometries (the reference's I/O)."""
    from osgeo import ogr

    source = ogr.Open(str(path))
    layer = source.GetLayerByName(name)
    rows, wkbs = [], []
    for feature in layer:
        rows.append([feature.GetField(f) for f in fields])
        wkbs.append(bytes(feature.GetGeometryRef().ExportToWkb()))
    return pd.DataFrame(rows, columns=fields), shapely.from_wkb(wkbs)


def reference(path, table):
    """The ledger by pandas groupby, the overlaps by an STRtree query loop: written plainly, independently."""
    started = time.perf_counter()
    occ, occ_geoms = read_plain(path, "occupations", ["行政区", "批准日期", "水田面积", "质量等别"])
    sup, sup_geoms = read_plain(path, "supplements", ["行政区", "验收日期", "新增水田面积", "质量等别"])
    _, patches = read_plain(path, "basic_farmland", ["BSM"])
    transfers = pd.read_csv(table)
    flows = []
    for frame, geoms, county, date, paddy, sign in ((occ, occ_geoms, "行政区", "批准日期", "水田面积", -1),
                                                    (sup, sup_geoms, "行政区", "验收日期", "新增水田面积", 1)):
        mu = shapely.area(geoms) / MU
        flows.append(pd.DataFrame({"county": frame[county], "year": frame[date].str[:4], "mu": sign * mu,
                                   "paddy": sign * frame[paddy] / MU,
                                   "capacity": sign * mu * (16 - frame["质量等别"].astype(int)) * 100}))
    counted = transfers[transfers["指标类型"].str.contains("耕地")]
    for end, sign in (("调入方", 1), ("调出方", -1)):
        flows.append(pd.DataFrame({"county": counted[end], "year": counted["调剂日期"].str[:4],
                                   "mu": sign * counted["调剂数量"], "paddy": sign * counted["调剂水田"],
                                   "capacity": sign * counted["调剂产能"]}))
    net = pd.concat(flows).groupby(["county", "year"]).sum()
    years = sorted(net.index.get_level_values("year").unique())
    grid = pd.MultiIndex.from_product([sorted(net.index.get_level_values("county").unique()), years])
    balance = net.reindex(grid, fill_value=0.0).groupby(level=0).cumsum()
    ledger_s = time.perf_counter() - started
    tree = shapely.STRtree(sup_geoms)
    pairs, pair_area = 0, 0.0
    for i, geom in enumerate(sup_geoms):
        for j in tree.query(geom):
            if j > i:
                area = geom.intersection(sup_geoms[j]).area
                if area > 1.0:
                    pairs += 1
                    pair_area += area
    farm_tree = shapely.STRtree(patches)
    on_farmland = 0
    for geom in occ_geoms:
        area = sum(geom.intersection(patches[j]).area for j in farm_tree.query(geom))
        on_farmland += area > 1.0
    return time.perf_counter() - started, ledger_s, balance, pairs, pair_area, on_farmland


def main() -> None:
    path, table = dataset()
    processing = qgis()
    from qgis.core import QgsProject, QgsVectorLayer

    QgsProject.instance().setEllipsoid("NONE")
    inputs = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
              for name in ("occupations", "supplements", "basic_farmland")}
    inputs["transfers"] = QgsVectorLayer(str(table), "transfers", "ogr")
    n_occ, n_sup, n_tr, n_patch = sizes()
    ours_s, result = run_ours(processing, inputs)
    ref_s, ref_ledger_s, balance, pairs, pair_area, on_farmland = reference(path, table)
    print(f"{n_occ:,} occupations, {n_sup:,} supplements, {n_tr:,} transfers, {n_patch:,} basic farmland patches")
    print(f"{'':>58} | {'seconds':>9}")
    print(f"{'landbureau:farmlandbalance, end to end → GPKG':>58} | {ours_s:>9.1f}")
    print(f"{'plain reference: GDAL loop + pandas groupby + STRtree loop':>58} | {ref_s:>9.1f}")
    print(f"{'  of which read + ledger (groupby)':>58} | {ref_ledger_s:>9.1f}")
    ledger = QgsVectorLayer(str(result["LEDGER"]), "ledger", "ogr")
    ours = {(f["county"], f["period"]): (f["balance_mu"], f["balance_paddy_mu"], f["balance_capacity_kg"])
            for f in ledger.getFeatures()}
    diffs = [max(abs(a - b) for a, b in zip(ours[key], balance.loc[key].tolist())) for key in balance.index]
    checks = QgsVectorLayer(str(result["CHECKS"]), "checks", "ogr")
    overlaps = [f["area_m2"] for f in checks.getFeatures() if f["check"] == "supplement_overlap"]
    farmland_rows = sum(1 for f in checks.getFeatures() if f["check"] == "occupies_basic_farmland")
    print(f"agreement on {len(diffs):,} county-years (亩, 水田 亩, kg): max |diff| {max(diffs):.2e}; "
          f"missing {len(set(balance.index) - set(ours))}")
    print(f"double counting: {len(overlaps):,} pairs, {sum(overlaps):,.1f} m² (reference {pairs:,}, "
          f"{pair_area:,.1f} m²); on basic farmland: {farmland_rows:,} occupations (reference {on_farmland:,})")


if __name__ == "__main__":
    main()
