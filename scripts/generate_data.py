#!/usr/bin/env python3
"""Deterministic demo and benchmark data for the land bureau plugin: one GeoPackage in EPSG:4549 around Xiaoshan.

    python scripts/generate_data.py OUT.gpkg --parcels N [--seed S] [--demo] [--low-share S]

Benchmark mode writes parcels (地块) and buildings (建筑) only and is built for a million parcels. `--demo` adds the
hand-made cases the plugin must handle: the article's village industrial park (FAR 0.8 on ~29,412 m²), resettlement
projects covering every +1/+4/+5 state on the as-of date 2026-11-27, industrial-upstairs plans that pass or break
named rules, supplied parcels (供地宗地) in every state of the 闲置土地 rules and approval batches (报批批次) partly,
wholly and not at all supplied, and the "三区三线" layers (farmland, ecological red line, urban development boundary)
plus districts. The intended state of every project, supplied parcel and plan is printed so a person can check the
plugin against it.

Why it looks the way it does:
- The city is a grid of blocks separated by roads; each block is cut into a jittered lattice of quadrilaterals, so
  neighbouring parcels share every boundary vertex exactly (clusters for 并宗再开发 exist) and nothing overlaps.
- Every part of the data draws from its own random stream (numpy Generator seeded with [stream, seed]), so a change
  to one part does not reshuffle the others. The same arguments give a byte-identical file: gpkg_contents.last_change
  is pinned to the as-of date.
- Rows are bulk-inserted with sqlite3 into tables that GDAL created (so the GeoPackage metadata is GDAL's own),
  then GDAL builds the spatial indexes: the plugin's own bulk writer (land_bureau_plugin/qgis_bridge/gpkg.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import sqlite3
import sys
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

import numpy as np
import shapely
from osgeo import gdal, ogr, osr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from land_bureau_plugin.qgis_bridge.gpkg import close_dataset, gpkg_blobs, triggers_dropped  # noqa: E402 — Qt-free

EPSG = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
CENTRE = (531500.0, 3342500.0)  # Xiaoshan, Hangzhou
AS_OF = dt.date(2026, 11, 27)
FIXED_TIMESTAMP = "2026-11-27T00:00:00.000Z"
DEFAULT_SEED = 20261127
MIN_DEMO_PARCELS = 500
M2_PER_MU = 10000.0 / 15.0
EXCEL_EPOCH = dt.date(1899, 12, 30)

# Random streams, one per part of the data (the index is the stream id, so only ever append).
STREAMS = ("grid", "lattice", "design", "attributes", "buildings", "building_fields", "demo_layers", "plans",
           "projects", "supply", "living")

# Districts as a 2 x 3 arrangement, west to east; the south row first.
DISTRICTS = (("城厢街道", "新塘街道", "衙前镇"), ("宁围街道", "北干街道", "瓜沥镇"))
DISTRICT_NAMES = DISTRICTS[0] + DISTRICTS[1]

# Land use in one code system, the 2023 用地用海 guide, as a real layer is (a mix of systems cannot be read: 1001 is
# industrial land in the guide and a railway in GB/T 21010). Eight slots, drawn by index with the weights below;
# industrial slots repeat codes of equal thresholds so the seeded draws and every figure stay as they were.
INDUSTRIAL = ("1001", "1001", "100101", "100101")
WAREHOUSING = ("1101", "110101")
ENTERPRISE = INDUSTRIAL + WAREHOUSING
RESIDENTIAL, COMMERCIAL = "0701", "0901"
CASE_LAND_USE = "1001"
LAND_USES = INDUSTRIAL + WAREHOUSING + (RESIDENTIAL, COMMERCIAL)
LAND_USE_WEIGHTS = (0.24, 0.20, 0.12, 0.14, 0.06, 0.06, 0.10, 0.08)

# The article's case: a village industrial park of 29,412 m² at FAR 0.8 (two 2-storey buildings, 23,529.6 m²).
# 172 m x 171 m is exactly 29,412 m² (168 m x 175.07 m would be 29,411.76 m² and give FAR 0.800007).
CASE_ID, CASE_OWNER = "XS-CASE-001", "萧山某村工业园"
CASE_SIZE = (172.0, 171.0)
CASE_BUILDINGS = ((12.0, 12.0, 96.0, 72.0), (12.0, 100.0, 80.0, 60.66))  # x, y offset in the parcel, width, depth
CASE_STOREYS = 2

NAME_SYLLABLES = tuple("恒华鑫盛达宏祥远中天富利新金龙荣泰宇兴亚东海明信德邦创嘉永万")
INDUSTRIES = ("机械", "纺织", "化纤", "汽配", "五金", "电子", "印染", "新材料", "精密制造", "包装", "塑业", "家具",
              "食品", "建材", "羽绒", "钢结构")
COMPANY_PREFIXES = ("杭州", "杭州萧山", "浙江")


def stream(seed: int, name: str) -> np.random.Generator:
    """A random generator for one part of the data, so each part is reproducible on its own."""
    return np.random.default_rng([STREAMS.index(name), seed])


# --------------------------------------------------------------------------------------------------------------
# City layout: a grid of cells, each a block inset by half a road


@dataclass
class Grid:
    """Cells of the city grid (row-major from the south-west) and what is decided per block."""

    col_edges: np.ndarray  # (gx + 1,) x of the cell edges = road centre lines
    row_edges: np.ndarray  # (gy + 1,)
    col_margin: np.ndarray  # (gx,) half road width on each side of a block column
    row_margin: np.ndarray  # (gy,)
    n_rows: np.ndarray  # (gy, gx) parcel rows per block
    n_cols: np.ndarray  # (gy, gx)
    score: np.ndarray  # (gy, gx) low = near the centre; the city grows in this order
    shape_phases: np.ndarray  # phases of the city outline, reused for the urban development boundary
    land_use: np.ndarray  # (gy, gx) index into LAND_USES: the block's dominant use
    old: np.ndarray  # (gy, gx) old industrial area: most of its parcels are low-efficiency
    district: np.ndarray  # (gy, gx) index into DISTRICT_NAMES, set once the city's blocks are known
    case_cell: int = -1  # flat index of the block holding the article's case, demo only

    @property
    def shape(self) -> tuple[int, int]:
        return self.n_rows.shape

    def block_bounds(self) -> np.ndarray:
        """(gy, gx, 4) x0, y0, x1, y1 of every block, i.e. the cell without its half roads."""
        gy, gx = self.shape
        x0 = self.col_edges[:-1] + self.col_margin
        x1 = self.col_edges[1:] - self.col_margin
        y0 = self.row_edges[:-1] + self.row_margin
        y1 = self.row_edges[1:] - self.row_margin
        return np.stack(np.broadcast_arrays(x0[None, :], y0[:, None], x1[None, :], y1[:, None]), axis=-1)

    def cell_box(self, flat: int) -> shapely.Geometry:
        """The whole cell (block plus half roads), the unit the districts are made of."""
        j, i = divmod(flat, self.shape[1])
        return shapely.box(self.col_edges[i], self.row_edges[j], self.col_edges[i + 1], self.row_edges[j + 1])

    def extent(self) -> tuple[float, float, float, float]:
        return self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1]


def outline_factor(theta: np.ndarray, phases: np.ndarray) -> np.ndarray:
    """How far the city reaches in a direction, relative to a circle: a few low harmonics make it irregular."""
    return 1.0 + 0.12 * np.sin(3 * theta + phases[0]) + 0.08 * np.sin(5 * theta + phases[1])


def plan_grid(n_parcels: int, seed: int, demo: bool) -> Grid:
    """Draw a square grid big enough that the city (the blocks nearest the centre) holds n_parcels; the demo
    keeps more countryside around it for farmland and red line."""
    rng = stream(seed, "grid")
    city_share = 0.55 if demo else 0.75
    side = max(6, math.ceil(math.sqrt(n_parcels / 8.0 / 0.6)))
    while True:
        grid = _draw_grid(side, side, rng)
        if demo:
            _reserve_case_block(grid)
        if (grid.n_rows * grid.n_cols).sum() * city_share >= n_parcels:
            break
        side += 2
    grid.district = district_cells(grid, select_blocks(grid, n_parcels)[0], rng)
    return grid


def _draw_grid(gx: int, gy: int, rng: np.random.Generator) -> Grid:
    """Block sizes, roads, parcels per block and what each block is used for; districts come later."""
    widths, heights = rng.uniform(260, 560, gx), rng.uniform(180, 380, gy)
    col_margin, row_margin = rng.uniform(8, 18, gx), rng.uniform(8, 18, gy)
    col_edges = _centred_edges(widths + 2 * col_margin, CENTRE[0])
    row_edges = _centred_edges(heights + 2 * row_margin, CENTRE[1])
    n_cols = np.clip(np.rint(widths[None, :] / rng.uniform(85, 170, (gy, gx))), 1, 6).astype(np.int64)
    n_rows = np.clip(np.rint(heights[:, None] / rng.uniform(75, 150, (gy, gx))), 1, 4).astype(np.int64)
    phases = rng.uniform(0, 2 * np.pi, 4)
    nx = ((col_edges[:-1] + col_edges[1:]) / 2 - CENTRE[0]) / (col_edges[-1] - CENTRE[0])
    ny = ((row_edges[:-1] + row_edges[1:]) / 2 - CENTRE[1]) / (row_edges[-1] - CENTRE[1])
    ny, nx = np.meshgrid(ny, nx, indexing="ij")
    score = np.hypot(nx, ny) * outline_factor(np.arctan2(ny, nx), phases) + 0.06 * rng.uniform(-1, 1, (gy, gx))
    land_use = rng.choice(len(LAND_USES), size=(gy, gx), p=LAND_USE_WEIGHTS)
    old = rng.random((gy, gx)) < 0.35
    return Grid(col_edges, row_edges, col_margin, row_margin, n_rows, n_cols, score, phases, land_use, old,
                np.zeros((gy, gx), np.int64))


def _centred_edges(sizes: np.ndarray, centre: float) -> np.ndarray:
    edges = np.concatenate([[0.0], np.cumsum(sizes)])
    return edges - edges[-1] / 2 + centre


def district_cells(grid: Grid, city_cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """District index per cell: a straight north/south split and, in each half, two staircase west/east splits
    along roads, placed so that every district gets about a sixth of the city's parcels.

    Within a half the splits move by at most one cell per block row and every district is at least two cells
    wide, so consecutive rows of a district share an edge: each district is one polygon without holes.
    """
    gy, gx = grid.shape
    weights = (grid.n_rows * grid.n_cols).ravel()[city_cells]
    rows, columns = city_cells // gx, city_cells % gx
    north_from = int(np.clip(_balanced_split(rows, weights, 0.5, gy), 1, gy - 1))
    wander = max(1, gx // 12)
    band = np.zeros((gy, gx), np.int64)
    for half in (slice(0, north_from), slice(north_from, gy)):
        mine = (rows >= half.start) & (rows < half.stop)
        n_rows = half.stop - half.start
        splits = [_staircase(_balanced_split(columns[mine], weights[mine], q, gx), n_rows, wander, rng)
                  for q in (1 / 3, 2 / 3)]
        first = np.clip(splits[0], 2, gx - 4)
        second = np.clip(np.maximum(splits[1], first + 2), None, gx - 2)
        column = np.arange(gx)[None, :]
        band[half] = (column >= first[:, None]).astype(np.int64) + (column >= second[:, None])
    return band + 3 * (np.arange(gy) >= north_from)[:, None]


def _staircase(middle: int, n_rows: int, wander: int, rng: np.random.Generator) -> np.ndarray:
    """Split positions, one per block row: a random walk through `middle` that strays at most `wander` cells."""
    steps = np.cumsum(rng.choice([-1, 0, 1], size=n_rows, p=[0.25, 0.5, 0.25]))
    return np.clip(middle + steps - steps[n_rows // 2], middle - wander, middle + wander)


def _balanced_split(positions: np.ndarray, weights: np.ndarray, share: float, size: int) -> int:
    """The index s for which the weights at positions < s come nearest to `share` of the total."""
    before = np.concatenate([[0.0], np.cumsum(np.bincount(positions, weights, minlength=size))])
    return int(np.argmin(np.abs(before - share * before[-1])))


def _reserve_case_block(grid: Grid) -> None:
    """Give the article's case a 2 x 2 block near the centre that is large enough to hold its exact rectangle."""
    bounds = grid.block_bounds()
    big = ((bounds[..., 2] - bounds[..., 0] >= CASE_SIZE[0] + 50)
           & (bounds[..., 3] - bounds[..., 1] >= CASE_SIZE[1] + 50)).ravel()
    order = np.argsort(grid.score.ravel(), kind="stable")
    grid.case_cell = int(order[big[order]][0])
    grid.n_rows.flat[grid.case_cell] = grid.n_cols.flat[grid.case_cell] = 2
    grid.land_use.flat[grid.case_cell] = LAND_USES.index(CASE_LAND_USE)
    grid.old.flat[grid.case_cell] = True


def select_blocks(grid: Grid, n_parcels: int) -> tuple[np.ndarray, int, int]:
    """The blocks that make up the city, nearest the centre first, and how many parcels the last one keeps."""
    order = np.argsort(grid.score.ravel(), kind="stable")
    cumulative = np.cumsum((grid.n_rows * grid.n_cols).ravel()[order])
    n_blocks = int(np.searchsorted(cumulative, n_parcels)) + 1
    before_last = cumulative[n_blocks - 2] if n_blocks > 1 else 0
    return order[:n_blocks], int(order[n_blocks - 1]), int(n_parcels - before_last)


# --------------------------------------------------------------------------------------------------------------
# Parcels


@dataclass
class Parcels:
    """Parcel quadrilaterals (lower-left, lower-right, upper-right, upper-left) and where they sit in the grid."""

    quads: np.ndarray  # (n, 4, 2)
    cell: np.ndarray  # flat grid cell
    row: np.ndarray
    col: np.ndarray
    right: np.ndarray  # index of the neighbour to the east in the same block, -1 if none
    case: int = -1

    def __len__(self) -> int:
        return len(self.cell)

    def areas(self) -> np.ndarray:
        return quad_areas(self.quads)

    def centroids(self) -> np.ndarray:
        return self.quads.mean(axis=1)


def quad_areas(quads: np.ndarray) -> np.ndarray:
    """Shoelace areas of (n, k, 2) rings, relative to the first vertex to keep full precision at 3.3e6 m."""
    local = quads - quads[:, :1, :]
    x, y = local[..., 0], local[..., 1]
    return 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))


def build_parcels(grid: Grid, n_parcels: int, seed: int) -> Parcels:
    """Cut every city block into its lattice of parcels, then keep exactly n_parcels (the last block partly)."""
    rng = stream(seed, "lattice")
    cells, partial_cell, partial_count = select_blocks(grid, n_parcels)
    bounds = grid.block_bounds().reshape(-1, 4)
    n_rows, n_cols = grid.n_rows.ravel(), grid.n_cols.ravel()
    pieces = []
    regular = cells[cells != grid.case_cell]
    for nr, nc in sorted({(int(n_rows[c]), int(n_cols[c])) for c in regular}):
        group = regular[(n_rows[regular] == nr) & (n_cols[regular] == nc)]
        b = bounds[group]
        x_cuts = random_cuts(rng, b[:, 0], b[:, 2], nc)
        y_cuts = random_cuts(rng, b[:, 1], b[:, 3], nr)
        pieces.append(_lattice_parcels(group, block_lattices(x_cuts, y_cuts, rng, jitter=0.12)))
    if grid.case_cell in cells:
        x0, y0, x1, y1 = bounds[grid.case_cell]
        x_cuts = np.array([[x0, x0 + CASE_SIZE[0], x1]])
        y_cuts = np.array([[y0, y0 + CASE_SIZE[1], y1]])
        pieces.append(_lattice_parcels(np.array([grid.case_cell]), block_lattices(x_cuts, y_cuts, rng, jitter=0.0)))
    quads, cell, row, col = (np.concatenate(p) for p in zip(*pieces))
    order = np.lexsort((col, row, cell))
    quads, cell, row, col = quads[order], cell[order], row[order], col[order]
    rank_in_block = np.arange(len(cell)) - np.searchsorted(cell, cell)
    keep = (cell != partial_cell) | (rank_in_block < partial_count)
    quads, cell, row, col = quads[keep], cell[keep], row[keep], col[keep]
    same_row_next = (cell[1:] == cell[:-1]) & (row[1:] == row[:-1])
    right = np.append(np.where(same_row_next, np.arange(1, len(cell)), -1), -1)
    case_hits = np.flatnonzero((cell == grid.case_cell) & (row == 0) & (col == 0))
    return Parcels(quads, cell, row, col, right, int(case_hits[0]) if len(case_hits) else -1)


def random_cuts(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, parts: int) -> np.ndarray:
    """(B, parts + 1) cut positions from lo to hi; parts differ in size by up to a factor of ~1.9."""
    weights = rng.uniform(0.7, 1.3, (len(lo), parts))
    fractions = np.concatenate([np.zeros((len(lo), 1)), np.cumsum(weights, axis=1)], axis=1)
    fractions /= fractions[:, -1:]
    return lo[:, None] + fractions * (hi - lo)[:, None]


def block_lattices(x_cuts: np.ndarray, y_cuts: np.ndarray, rng: np.random.Generator, jitter: float) -> np.ndarray:
    """(B, nr + 1, nc + 1, 2) lattice points of B blocks.

    Interior column lines move only in x and interior row lines only in y, by at most `jitter` of the narrower
    neighbouring strip: the block outline stays a rectangle, quadrilaterals stay convex, and neighbours share
    their corner points exactly.
    """
    b, ncut_x = x_cuts.shape
    ncut_y = y_cuts.shape[1]
    xs = np.broadcast_to(x_cuts[:, None, :], (b, ncut_y, ncut_x)).copy()
    ys = np.broadcast_to(y_cuts[:, :, None], (b, ncut_y, ncut_x)).copy()
    if jitter > 0 and ncut_x > 2:
        strip = np.diff(x_cuts, axis=1)
        amplitude = jitter * np.minimum(strip[:, :-1], strip[:, 1:])
        xs[:, :, 1:-1] += rng.uniform(-1, 1, (b, ncut_y, ncut_x - 2)) * amplitude[:, None, :]
    if jitter > 0 and ncut_y > 2:
        strip = np.diff(y_cuts, axis=1)
        amplitude = jitter * np.minimum(strip[:, :-1], strip[:, 1:])
        ys[:, 1:-1, :] += rng.uniform(-1, 1, (b, ncut_y - 2, ncut_x)) * amplitude[:, :, None]
    return np.stack([xs, ys], axis=-1)


def _lattice_parcels(cells: np.ndarray, lattice: np.ndarray):
    """Quadrilaterals of a lattice, flattened block by block, with their cell, row and column."""
    b, nr1, nc1, _ = lattice.shape
    quads = np.stack([lattice[:, :-1, :-1], lattice[:, :-1, 1:], lattice[:, 1:, 1:], lattice[:, 1:, :-1]], axis=3)
    rows, cols = np.meshgrid(np.arange(nr1 - 1), np.arange(nc1 - 1), indexing="ij")
    per_block = (nr1 - 1) * (nc1 - 1)
    return (quads.reshape(-1, 4, 2), np.repeat(cells, per_block),
            np.tile(rows.ravel(), b), np.tile(cols.ravel(), b))


# --------------------------------------------------------------------------------------------------------------
# What happens on each parcel


@dataclass
class Design:
    """Per-parcel plan of use and intensity that both the attributes and the buildings follow."""

    land_use: np.ndarray  # str codes
    low: np.ndarray  # low-efficiency (low FAR / low tax)
    idle: np.ndarray
    far: np.ndarray  # intended FAR
    coverage: np.ndarray  # intended building coverage


def design_parcels(grid: Grid, parcels: Parcels, seed: int, low_share: float | None = None) -> Design:
    """Land use follows the block with some mixing; ~30 % of enterprise parcels are low-efficiency, clustered in
    old areas so that neighbouring low-efficiency parcels exist; ~3 % of parcels are idle. `low_share`: the expected
    share of low-efficiency enterprise parcels instead (`low_chances`), for cities denser in them."""
    rng = stream(seed, "design")
    n = len(parcels)
    redraw = rng.random(n) < 0.2
    use_index = np.where(redraw, rng.choice(len(LAND_USES), n, p=LAND_USE_WEIGHTS), grid.land_use.ravel()[parcels.cell])
    is_case = np.arange(n) == parcels.case
    use_index[is_case] = LAND_USES.index(CASE_LAND_USE)
    land_use = np.array(LAND_USES, dtype=object)[use_index]
    enterprise = np.isin(land_use, ENTERPRISE)
    chance = low_chances(np.where(grid.old.ravel()[parcels.cell], 0.7, 0.08), enterprise, low_share)
    low = enterprise & ((rng.random(n) < chance) | is_case)
    idle = enterprise & (rng.random(n) < np.where(low, 0.10, 0.0135)) & ~is_case
    far = np.select([land_use == RESIDENTIAL, land_use == COMMERCIAL, low],
                    [rng.uniform(1.8, 2.8, n), rng.uniform(1.5, 3.5, n), rng.uniform(0.3, 0.9, n)],
                    rng.uniform(1.1, 3.2, n))
    coverage = np.select([land_use == RESIDENTIAL, land_use == COMMERCIAL, low],
                         [rng.uniform(0.2, 0.3, n), rng.uniform(0.3, 0.5, n), rng.uniform(0.15, 0.45, n)],
                         rng.uniform(0.35, 0.58, n))
    return Design(land_use, low, idle, far, coverage)


def low_chances(chance: np.ndarray, enterprise: np.ndarray, low_share: float | None) -> np.ndarray:
    """Each parcel's chance of being low-efficiency, moved so that the enterprise parcels' mean chance is
    `low_share` (None: as given). Above the given mean every chance moves the same part of the way to 1, below it
    every chance shrinks in proportion: old areas stay the densest in them. The same random draws are compared with
    the new chances, so everything else the stream draws stays as it was."""
    if low_share is None:
        return chance
    if not 0.0 <= low_share <= 1.0:
        raise ValueError(f"low share {low_share} is not within 0..1")
    mean = float(chance[enterprise].mean()) if enterprise.any() else 0.0
    if low_share >= mean:
        return chance + (1.0 - chance) * (low_share - mean) / (1.0 - mean) if mean < 1.0 else chance
    return chance * (low_share / mean)


def company_names(rng: np.random.Generator, land_use: np.ndarray) -> list[str]:
    """Owner names like 杭州恒达机械有限公司; real estate and trade firms on residential and commercial land."""
    n = len(land_use)
    prefix = rng.integers(0, len(COMPANY_PREFIXES), n)
    first, second = rng.integers(0, len(NAME_SYLLABLES), (2, n))
    trade = rng.integers(0, len(INDUSTRIES), n)
    kind = np.where(land_use == RESIDENTIAL, "置业", np.where(land_use == COMMERCIAL, "商贸", ""))
    return [f"{COMPANY_PREFIXES[p]}{NAME_SYLLABLES[a]}{NAME_SYLLABLES[b]}{k or INDUSTRIES[t]}有限公司"
            for p, a, b, t, k in zip(prefix, first, second, trade, kind)]


def parcel_fields(grid: Grid, parcels: Parcels, design: Design, realised_far: np.ndarray, seed: int) -> dict:
    """The parcel attribute table; economic values follow the design so grades spread from A to D."""
    rng = stream(seed, "attributes")
    n = len(parcels)
    area = parcels.areas()
    mu = area / M2_PER_MU
    healthy = ~design.low
    tax_per_mu = np.select([design.land_use == COMMERCIAL, healthy],
                           [rng.lognormal(np.log(40), 0.5, n), rng.lognormal(np.log(28), 0.45, n)],
                           rng.lognormal(np.log(6), 0.5, n))
    tax = tax_per_mu * mu
    output = tax * np.where(healthy, rng.uniform(6, 14, n), rng.uniform(4, 10, n))
    energy = output / np.where(healthy, rng.uniform(0.8, 3.0, n), rng.uniform(0.3, 1.2, n))
    employees = np.maximum(1, np.rint(output / rng.uniform(40, 120, n)))
    rd = output * np.where(healthy, rng.uniform(0.01, 0.05, n), rng.uniform(0.0, 0.01, n))
    idle = design.idle
    tax, output, energy, employees, rd = (np.where(idle, 0, v) for v in (tax, output, energy, employees, rd))
    no_economy = design.land_use == RESIDENTIAL
    far = np.where(idle, 0.0, realised_far * (1 + rng.normal(0, 0.03, n)))
    far_missing = (rng.random(n) < 0.08) & ~idle
    ids = [f"XS-{i:06d}" for i in range(1, n + 1)]
    owners = company_names(rng, design.land_use)
    declared_area = area * (1 + rng.uniform(-0.0049, 0.0049, n))  # within ±0.5 % after rounding to 0.01 m²
    if parcels.case >= 0:
        c = parcels.case
        ids[c], owners[c] = CASE_ID, CASE_OWNER
        declared_area[c], far[c], far_missing[c] = CASE_SIZE[0] * CASE_SIZE[1], 0.8, False
        tax[c], output[c], energy[c], employees[c], rd[c] = 176.5, 2100.0, 850.0, 45, 8.5
    districts = np.array(DISTRICT_NAMES, dtype=object)[grid.district.ravel()[parcels.cell]]
    return {
        "地块编号": ("text", ids),
        "YDXZ": ("text", design.land_use.tolist()),
        "用地面积": ("real", np.round(declared_area, 2).tolist()),
        "RJL": ("real", with_nulls(np.round(far, 2), far_missing)),
        "税收": ("real", with_nulls(np.round(tax, 1), no_economy)),
        "产值": ("real", with_nulls(np.round(output, 1), no_economy)),
        "能耗": ("real", with_nulls(np.round(energy, 1), no_economy)),
        "从业人数": ("int", with_nulls(employees.astype(np.int64), no_economy)),
        "研发经费": ("real", with_nulls(np.round(rd, 1), no_economy)),
        "是否闲置": ("int", idle.astype(np.int64).tolist()),
        "权利人": ("text", owners),
        "行政区": ("text", districts.tolist()),
    }


def with_nulls(values: np.ndarray, null: np.ndarray) -> list:
    """Plain Python values for sqlite, None where `null` is set."""
    out = values.tolist()
    for i in np.flatnonzero(null).tolist():
        out[i] = None
    return out


# --------------------------------------------------------------------------------------------------------------
# Buildings


BUILDING_COUNTS = (0, 1, 2, 3, 4)
BUILDING_COUNT_P = (0.04, 0.55, 0.28, 0.09, 0.04)  # with ~3 % idle parcels: ≈ 1.5 buildings per parcel
SLOT_MARGIN = 0.04  # share of the parcel width left free on each side of a building
REGULAR_V = (0.06, 0.70)  # buildings inside one parcel stay in this band of the parcel's depth ...
STRADDLE_V = (0.76, 0.94)  # ... so buildings straddling into the east neighbour never overlap them
STRADDLE_SHARE = 0.05


@dataclass
class Buildings:
    """Building footprints, the parcel each is recorded on (its 地块编号) and its storeys."""

    geometries: np.ndarray  # shapely polygons
    owner: np.ndarray  # parcel index the building is recorded on
    storeys: np.ndarray


def bilinear(quads: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Points at parameters (u, v) of quadrilaterals (LL, LR, UR, UL); inside the quad for 0 ≤ u, v ≤ 1.

    Lines of constant u or v are straight, so the four corners of a (u, v) rectangle bound exactly its image:
    footprints made from disjoint rectangles never overlap."""
    u, v = u[:, None], v[:, None]
    return ((1 - u) * (1 - v) * quads[:, 0] + u * (1 - v) * quads[:, 1]
            + u * v * quads[:, 2] + (1 - u) * v * quads[:, 3])


def sub_quads(quads, u0, u1, v0, v1) -> np.ndarray:
    """The part [u0, u1] x [v0, v1] of each quadrilateral: a footprint aligned with its parcel."""
    return np.stack([bilinear(quads, u0, v0), bilinear(quads, u1, v0),
                     bilinear(quads, u1, v1), bilinear(quads, u0, v1)], axis=1)


def build_buildings(parcels: Parcels, design: Design, seed: int) -> Buildings:
    """Footprints side by side in their parcel, storeys from the parcel's intended FAR and coverage; ~5 % of the
    buildings straddle the boundary with the east neighbour; idle parcels stay empty."""
    rng = stream(seed, "buildings")
    n = len(parcels)
    counts = np.where(design.idle, 0, rng.choice(BUILDING_COUNTS, n, p=BUILDING_COUNT_P))
    if parcels.case >= 0:
        counts[parcels.case] = 0  # its two buildings are placed by hand below
    owner = np.repeat(np.arange(n), counts)
    m = len(owner)
    slot = np.arange(m) - np.repeat(np.cumsum(counts) - counts, counts)
    k = counts[owner]
    built_width = 1 - 2 * SLOT_MARGIN * counts  # share of the parcel width under buildings
    depth = np.clip(design.coverage / np.maximum(built_width, 0.1), 0.1, REGULAR_V[1] - REGULAR_V[0] - 0.02)
    v0 = REGULAR_V[0] + rng.uniform(0, 0.02, m)
    v1 = v0 + depth[owner] * rng.uniform(0.9, 1.0, m)
    geometries = shapely.polygons(sub_quads(parcels.quads[owner], slot / k + SLOT_MARGIN, (slot + 1) / k - SLOT_MARGIN,
                                            v0, v1))
    _make_straddlers(geometries, owner, slot == k - 1, parcels, design, rng)

    coverage = built_width * depth * 0.95
    max_storeys = np.where(design.low, 3, 12)
    parcel_storeys = np.clip(np.rint(design.far / np.maximum(coverage, 0.05)), 1, max_storeys)
    storeys = np.clip(parcel_storeys[owner] + rng.choice([-1, 0, 1], m, p=[0.15, 0.7, 0.15]), 1, max_storeys[owner])
    buildings = Buildings(geometries, owner, storeys.astype(np.int64))
    return _with_case_buildings(buildings, parcels) if parcels.case >= 0 else buildings


def _make_straddlers(geometries, owner, last_in_parcel, parcels: Parcels, design: Design, rng) -> None:
    """Turn the last building of some parcels into one that reaches across into the east neighbour.

    The footprint is a hexagon through two points of the shared edge: the union of a band of this parcel's east
    part and of the neighbour's west part, so it stays inside the two parcels even where their edges kink."""
    east = parcels.right[owner]
    eligible = np.flatnonzero(last_in_parcel & (east >= 0) & ~design.idle[np.maximum(east, 0)])
    chosen = np.sort(rng.choice(eligible, min(len(eligible), round(STRADDLE_SHARE * len(owner))), replace=False))
    here, there = parcels.quads[owner[chosen]], parcels.quads[east[chosen]]
    c = len(chosen)
    u_here, u_there = rng.uniform(0.55, 0.75, c), rng.uniform(0.2, 0.4, c)
    v0, v1 = STRADDLE_V[0] + rng.uniform(0, 0.02, c), np.full(c, STRADDLE_V[1])
    edge = np.ones(c)
    geometries[chosen] = shapely.polygons(np.stack(
        [bilinear(here, u_here, v0), bilinear(here, edge, v0), bilinear(there, u_there, v0),
         bilinear(there, u_there, v1), bilinear(here, edge, v1), bilinear(here, u_here, v1)], axis=1))


def _with_case_buildings(buildings: Buildings, parcels: Parcels) -> Buildings:
    """The article's case: two 2-storey buildings whose floor area is exactly 0.8 x the parcel area."""
    x0, y0 = parcels.quads[parcels.case, 0]
    case_quads = np.array([[(x0 + x, y0 + y), (x0 + x + w, y0 + y), (x0 + x + w, y0 + y + d), (x0 + x, y0 + y + d)]
                           for x, y, w, d in CASE_BUILDINGS])
    owner = np.concatenate([buildings.owner, np.full(len(case_quads), parcels.case)])
    order = np.argsort(owner, kind="stable")
    return Buildings(np.concatenate([buildings.geometries, shapely.polygons(case_quads)])[order], owner[order],
                     np.concatenate([buildings.storeys, np.full(len(case_quads), CASE_STOREYS)])[order])


def realised_far(buildings: Buildings, parcels: Parcels) -> np.ndarray:
    """Floor area on each parcel (footprint x storeys of the buildings recorded on it) over its area."""
    floor_area = np.bincount(buildings.owner, shapely.area(buildings.geometries) * buildings.storeys,
                             minlength=len(parcels))
    return floor_area / parcels.areas()


def building_fields(buildings: Buildings, parcel_ids: list[str], seed: int) -> dict:
    """CS (storeys; ~2 % null), JZGD (3.5–4.5 m a storey; ~5 % null, independent of CS) and the parcel id."""
    rng = stream(seed, "building_fields")
    m = len(buildings.owner)
    height = np.round(buildings.storeys * rng.uniform(3.5, 4.5, m), 1)
    ids = np.array(parcel_ids, dtype=object)[buildings.owner]
    gaps_allowed = ids != CASE_ID  # the article's case stays complete
    return {
        "CS": ("int", with_nulls(buildings.storeys, (rng.random(m) < 0.02) & gaps_allowed)),
        "JZGD": ("real", with_nulls(height, (rng.random(m) < 0.05) & gaps_allowed)),
        "地块编号": ("text", with_nulls(ids, (rng.random(m) < 0.02) & gaps_allowed)),
    }


# --------------------------------------------------------------------------------------------------------------
# Demo layers: districts, 三区三线, upstairs plans, resettlement projects and plots


def district_polygons(grid: Grid) -> list[shapely.Geometry]:
    """One polygon per district, the union of its cells: together they tile the grid extent exactly."""
    cells = np.arange(grid.district.size)
    polygons = []
    for index in range(len(DISTRICT_NAMES)):
        union = shapely.union_all([grid.cell_box(c) for c in cells[grid.district.ravel() == index]])
        if union.geom_type != "Polygon":
            raise RuntimeError(f"district {DISTRICT_NAMES[index]} is not one polygon")
        polygons.append(union)
    return polygons


def radial_polygon(centre, semi_axes, radii: np.ndarray, theta: np.ndarray, rotation: float = 0.0):
    """A star-shaped polygon: radius factor radii[i] along angle theta[i] of a (rotated) ellipse."""
    x = semi_axes[0] * radii * np.cos(theta)
    y = semi_axes[1] * radii * np.sin(theta)
    cos, sin = math.cos(rotation), math.sin(rotation)
    return shapely.Polygon(np.column_stack([centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos]))


def urban_boundary(grid: Grid, kept_cells: np.ndarray) -> shapely.Geometry:
    """城镇开发边界: the city outline a little outside the last block taken, 2,000 vertices with a fine wiggle."""
    theta = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    reach = grid.score.ravel()[kept_cells].max() * 1.03
    wiggle = 1 + 0.01 * np.sin(37 * theta + grid.shape_phases[2]) + 0.005 * np.sin(91 * theta + grid.shape_phases[3])
    half = (grid.col_edges[-1] - CENTRE[0], grid.row_edges[-1] - CENTRE[1])
    return radial_polygon(CENTRE, half, reach / outline_factor(theta, grid.shape_phases) * wiggle, theta)


def rural_redline(grid: Grid, kept_cells: np.ndarray, boundary, rng) -> list[shapely.Geometry]:
    """生态保护红线 in the countryside: in each of three directions, an elongated wetland as far from the city as
    the open land allows (clipped to the area)."""
    city = shapely.union_all([grid.cell_box(c) for c in kept_cells] + [boundary])
    rural = np.setdiff1d(np.arange(grid.district.size), kept_cells)
    centres = np.array([grid.cell_box(c).centroid.coords[0] for c in rural])
    clearance = shapely.distance(shapely.points(centres), city)
    sector = (np.arctan2(centres[:, 1] - CENTRE[1], centres[:, 0] - CENTRE[0]) + np.pi) // (2 * np.pi / 3)
    area = shapely.box(*grid.extent())
    polygons = []
    for s in range(3):
        candidates = np.flatnonzero(sector == s)
        if not len(candidates):
            continue
        best = candidates[np.argmax(clearance[candidates])]
        size = min(0.75 * clearance[best], 900.0) / 1.25
        if size < 60:
            continue
        theta = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        phase = rng.uniform(0, 2 * np.pi, 2)
        radii = 1 + 0.15 * np.sin(2 * theta + phase[0]) + 0.08 * np.sin(5 * theta + phase[1])
        blob = radial_polygon(centres[best], (size, 0.45 * size), radii, theta, rng.uniform(0, np.pi))
        polygons.append(shapely.intersection(blob, area))
    return polygons


def rural_farmland(grid: Grid, kept_cells: np.ndarray, avoid, count: int, rng) -> list[shapely.Geometry]:
    """永久基本农田: irregular patches in the blocks the city does not use, outside the boundary and red line; a
    small city has few such blocks, so each holds as many patches as it takes to reach `count`."""
    bounds = grid.block_bounds().reshape(-1, 4)
    rural = np.setdiff1d(np.arange(grid.district.size), kept_cells)
    rural = rural[~shapely.intersects(shapely.box(*bounds[rural].T), avoid)]
    if not len(rural):
        return []
    per_cell = math.ceil(count / len(rural))
    across = math.ceil(math.sqrt(per_cell))
    split = (across, math.ceil(per_cell / across))
    patches = []
    for c in rng.permutation(rural):
        x0, y0, x1, y1 = bounds[c]
        xs, ys = np.linspace(x0, x1, split[0] + 1), np.linspace(y0, y1, split[1] + 1)
        for a in range(split[0]):
            for b in range(split[1]):
                # evenly spread angles keep every gap below 180°, so the outline never crosses itself
                theta = (np.arange(10) + rng.uniform(-0.3, 0.3, 10)) * (2 * np.pi / 10)
                semi = (0.46 * (xs[a + 1] - xs[a]), 0.46 * (ys[b + 1] - ys[b]))
                centre = ((xs[a] + xs[a + 1]) / 2, (ys[b] + ys[b + 1]) / 2)
                patches.append(radial_polygon(centre, semi, rng.uniform(0.72, 1.0, 10), theta))
        if len(patches) >= count:
            break
    return patches[:count]


@dataclass(frozen=True)
class PlanCase:
    """One industrial-upstairs plan: the rules it is meant to break (empty = passes) and what makes it so."""

    label: str
    rules: tuple[str, ...] = ()
    overrides: dict = field(default_factory=dict)
    place: str = "inside"  # one of PLACEMENT_ORDER


PLAN_CASES = (
    PlanCase("FAR 1.6, 申报面积 +9.5 %", ("far", "area_match"), {"far": 1.6, "area_error": 0.095}),
    PlanCase("3 storeys, under 24 m", ("floors", "height"), {"far": 2.1, "floors": 3}),
    PlanCase("20 storeys, over 100 m", ("height",), {"far": 3.6, "floors": 20, "ground_floor_height": 7.0,
                                                      "upper_floor_height": 5.2}),
    PlanCase("首层层高 5.4 m, 楼层荷载 5.0", ("ground_floor_height", "upper_floor_load"),
             {"ground_floor_height": 5.4, "upper_floor_load": 5.0}),
    PlanCase("货梯 2 t, 配套 18 % of the floor area", ("lift_capacity", "support_floor_share"),
             {"lift_capacity": 2.0, "support_floor_share": 0.18}),
    PlanCase("配套用地 9 % of the land", ("support_land_share",), {"support_land_share": 0.09}),
    PlanCase("overlaps farmland, 申报面积 +6 %", ("farmland", "area_match"), {"area_error": 0.06}, "farmland"),
    PlanCase("overlaps red line, 申报面积 -3.5 %", ("redline", "area_match"), {"area_error": -0.035}, "redline"),
    PlanCase("partly outside the urban boundary", ("urban_boundary",), {}, "straddle_boundary"),
    PlanCase("overlaps plan", ("plan_overlap",), {}, "overlap_a"),
    PlanCase("overlaps plan", ("plan_overlap",), {}, "overlap_b"),
    PlanCase("on residential land, 首层荷载 null", ("industrial_land", "missing:ground_floor_load"),
             {"ground_floor_load": None}, "residential"),
    PlanCase("passes; every value exactly on its threshold", (),
             {"ground_floor_height": 6.0, "upper_floor_height": 4.5, "ground_floor_load": 10.0,
              "upper_floor_load": 6.5, "lift_capacity": 3.0}),
    PlanCase("passes; farmland touches its edge (no overlap)", (), {}, "touching_farmland"),
    # the rule before issue 14 compared 配套 floor area with 7 % of the land and failed this plan
    PlanCase("passes; FAR 3.0, 配套 5 % of the floor area", (), {"far": 3.0, "support_floor_share": 0.05}),
) + tuple(PlanCase("passes") for _ in range(9))


def plan_fields(land_area: float, overrides: dict, rng: np.random.Generator) -> dict:
    """Attributes of a plan that pass every default rule unless `overrides` says otherwise; the height always
    follows from the storeys and storey heights, as in a real design."""
    far = overrides.get("far", round(rng.uniform(2.2, 3.6), 2))
    floors = overrides.get("floors", max(5, math.ceil(far / 0.6)) + int(rng.integers(0, 3)))
    ground = overrides.get("ground_floor_height", round(rng.uniform(6.0, 8.0), 1))
    upper = overrides.get("upper_floor_height", round(rng.uniform(4.5, 5.4), 1))
    floor_area = round(far * land_area, 1)
    return {
        "申报面积": round(land_area * (1 + overrides.get("area_error", rng.uniform(-0.008, 0.008))), 1),
        "建筑面积": floor_area,
        "JZGD": round(ground + (floors - 1) * upper + rng.uniform(0.6, 1.5), 1),
        "层数": floors,
        "首层层高": ground,
        "标准层层高": upper,
        "首层荷载": overrides.get("ground_floor_load", float(rng.choice([10.5, 12.0, 15.0]))),
        "楼层荷载": overrides.get("upper_floor_load", float(rng.choice([7.0, 8.0, 10.0]))),
        "货梯载重": overrides.get("lift_capacity", float(rng.choice([3.0, 5.0]))),
        # support space (配套): its floor area as a share of the floor area (≤ 15 %), the land it occupies as a share
        # of the land (≤ 7 %)
        "配套面积": round(floor_area * overrides.get("support_floor_share", rng.uniform(0.03, 0.12)), 1),
        "配套用地面积": round(land_area * overrides.get("support_land_share", rng.uniform(0.03, 0.065)), 1),
    }


@dataclass
class DemoContext:
    """What the demo layers are placed against."""

    grid: Grid
    parcels: Parcels
    design: Design
    fields: dict
    polygons: np.ndarray  # parcel geometries
    boundary: shapely.Geometry
    redline: list
    farmland: list


# Plans with a spatial fault are placed first: their parcels are the rarest.
PLACEMENT_ORDER = ("straddle_boundary", "overlap_a", "overlap_b", "farmland", "redline", "residential",
                   "touching_farmland", "inside")


class PlanPlacer:
    """Chooses a parcel for each plan and adds the farmland or red line a violating plan needs.

    Every plan keeps more than 1 m from the plans placed before it (except the overlapping pair) and clear of
    farmland and red line (except its own fault), so each plan breaks exactly the rules it is meant to.
    """

    def __init__(self, ctx: DemoContext, rng: np.random.Generator):
        self.ctx, self.p = ctx, ctx.parcels
        self.inside_share = (shapely.area(shapely.intersection(ctx.polygons, ctx.boundary))
                             / shapely.area(ctx.polygons))
        self.usable = (~ctx.design.idle) & (self.p.cell != ctx.grid.case_cell) & (self.p.areas() >= 5000)
        self.industrial = self.usable & np.isin(ctx.design.land_use, INDUSTRIAL)
        self.inside = self.inside_share > 1 - 1e-9
        self.order = rng.permutation(len(self.p))
        self.geometries: list = []

    def place(self, kind: str) -> tuple[int, shapely.Geometry]:
        """The parcel index and the geometry of a plan of this kind."""
        p, ctx = self.p, self.ctx
        if kind == "straddle_boundary":
            share = np.where(self.industrial, self.inside_share, -1.0)
            i = int(np.argmin(np.where(share > 0.05, np.abs(share - 0.5), np.inf)))
            geometry = ctx.polygons[i]
        elif kind == "overlap_b":  # the east neighbour of the last plan, reaching 40 % into it
            first = self.last
            i = int(p.right[first])
            strip = shapely.Polygon(sub_quads(p.quads[[first]], *np.array([[0.6], [1.0], [0.0], [1.0]]))[0])
            geometry = shapely.union(ctx.polygons[i], strip)
        else:
            i = self._pick(kind)
            geometry = ctx.polygons[i]
        self.last = i
        self.geometries.append(geometry)
        self._add_fault(kind, i)
        return i, geometry

    def _pick(self, kind: str) -> int:
        """The first parcel in random order that suits the kind and keeps clear of plans and protected land."""
        p = self.p
        mask = self.industrial & self.inside
        if kind == "residential":
            mask = self.usable & self.inside & (self.ctx.design.land_use == RESIDENTIAL)
        elif kind == "touching_farmland":
            mask = mask & (p.row == 0)  # its southern edge faces a road
        elif kind == "overlap_a":
            east = np.maximum(p.right, 0)
            mask = mask & (p.right >= 0) & self.industrial[east] & self.inside[east]
        taken = shapely.union_all(self.geometries + self.ctx.redline + self.ctx.farmland)
        for i in self.order[mask[self.order]]:
            if shapely.distance(self.ctx.polygons[i], taken) > 1.0:
                return int(i)
        raise ValueError(f"no parcel left for an upstairs plan of kind {kind}; generate more parcels")

    def _add_fault(self, kind: str, i: int) -> None:
        p, ctx = self.p, self.ctx
        if kind == "farmland":  # a farmland enclave in the plan's south-east corner
            ctx.farmland.append(shapely.Polygon(sub_quads(p.quads[[i]], *np.array([[0.65], [1.0], [0.0], [0.35]]))[0]))
        elif kind == "touching_farmland":  # a strip in the road that shares the plan's southern edge only
            ll, lr = p.quads[i, 0], p.quads[i, 1]
            drop = 0.8 * ctx.grid.row_margin[p.cell[i] // ctx.grid.shape[1]]
            ctx.farmland.append(shapely.Polygon([ll, lr, lr - (0, drop), ll - (0, drop)]))
        elif kind == "redline":  # a small wetland over the plan's north-east corner
            centre = shapely.Point(bilinear(p.quads[[i]], np.array([0.85]), np.array([0.85]))[0])
            radius = 0.3 * math.sqrt(p.areas()[i])
            if len(self.geometries) > 1:
                radius = min(radius, 0.9 * shapely.distance(centre, shapely.union_all(self.geometries[:-1])))
            ctx.redline.append(centre.buffer(radius, 16))


def build_plans(ctx: DemoContext, seed: int) -> tuple[list, dict, list[tuple[str, tuple, str]]]:
    """工业上楼方案 on industrial parcels; violating plans are placed where their spatial fault happens."""
    rng = stream(seed, "plans")
    placer = PlanPlacer(ctx, rng)
    sites = {}
    for k in sorted(range(len(PLAN_CASES)), key=lambda k: PLACEMENT_ORDER.index(PLAN_CASES[k].place)):
        sites[k] = placer.place(PLAN_CASES[k].place)
    return _plan_layer(ctx, sites, rng)


def _plan_layer(ctx: DemoContext, sites: dict, rng: np.random.Generator):
    """Attributes of the placed plans, numbered in a shuffled order so violations are spread over the list."""
    districts, land_uses = ctx.fields["行政区"][1], ctx.fields["YDXZ"][1]
    order = rng.permutation(len(PLAN_CASES))
    plan_ids = {k: f"GYSL-{number:03d}" for number, k in enumerate(order, start=1)}
    pair = {PLAN_CASES[k].place: plan_ids[k] for k in order if PLAN_CASES[k].place.startswith("overlap_")}
    rows, table, geometries = [], [], []
    for k in order:
        parcel, geometry = sites[k]
        case = PLAN_CASES[k]
        values = plan_fields(float(shapely.area(geometry)), case.overrides, rng)
        rows.append({"方案编号": plan_ids[k], **values, "行政区": districts[parcel], "YDXZ": land_uses[parcel]})
        partner = {"overlap_a": pair["overlap_b"], "overlap_b": pair["overlap_a"]}.get(case.place)
        table.append((plan_ids[k], case.rules, f"{case.label} {partner}" if partner else case.label))
        geometries.append(geometry)
    kinds = {"方案编号": "text", "层数": "int", "行政区": "text", "YDXZ": "text"}
    columns = {name: (kinds.get(name, "real"), [row[name] for row in rows]) for name in rows[0]}
    return geometries, columns, table


# Resettlement projects ------------------------------------------------------------------------------------------


def expropriated_for(years: int, days_left: int) -> dt.date:
    """The expropriation date whose +years deadline falls days_left days after the as-of date."""
    due = AS_OF + dt.timedelta(days=days_left)
    return due.replace(year=due.year - years)


D = dt.date  # keeps the project table below readable


@dataclass(frozen=True)
class ProjectCase:
    """One expropriation project and the status each milestone (+1 start, +4 completion, +5 resettlement) is meant
    to have on the as-of date. expropriation may be a malformed text on purpose."""

    expropriation: D | str | None
    start: D | None
    complete: D | None
    resettle: D | None
    expected: tuple[str, str, str]
    note: str
    plot: str = "linked"  # linked | unknown (code not on the plot layer) | none | same_as:<row>
    households: int | None = None
    excel: tuple[str, ...] = ()  # fields written as Excel serial numbers
    same_id_as: int | None = None  # row whose 项目编号 this one repeats


PROJECT_CASES = (
    ProjectCase(D(2019, 3, 1), D(2019, 11, 15), D(2022, 10, 30), D(2023, 9, 1), ("on_time",) * 3, "all done in time"),
    ProjectCase(D(2019, 6, 20), D(2020, 9, 1), D(2023, 5, 10), D(2024, 12, 15), ("late", "on_time", "late"),
                "start and resettlement late"),
    ProjectCase(D(2019, 9, 10), D(2020, 5, 6), D(2024, 1, 20), None, ("on_time", "late", "overdue"),
                "completed late, households still in transition"),
    ProjectCase(D(2020, 4, 15), D(2021, 1, 10), D(2023, 12, 1), None, ("on_time", "on_time", "overdue"),
                "超期过渡"),
    ProjectCase(D(2020, 7, 1), None, None, None, ("overdue",) * 3, "stalled since expropriation", plot="unknown"),
    ProjectCase(D(2020, 10, 12), D(2021, 8, 1), D(2024, 10, 12), D(2025, 6, 30), ("on_time",) * 3,
                "completion exactly on its due date"),
    ProjectCase(D(2021, 3, 1), D(2021, 12, 20), None, None, ("on_time", "overdue", "overdue"),
                "征迁日期 as Excel serial 44256", excel=("expropriation",)),
    ProjectCase(D(2021, 6, 15), D(2022, 8, 30), None, None, ("late", "overdue", "overdue"), "late start, then stuck"),
    ProjectCase(expropriated_for(5, 160), D(2022, 12, 1), D(2025, 11, 20), None, ("on_time", "on_time", "due_soon"),
                "resettlement due in 160 days (yellow)"),
    ProjectCase(expropriated_for(5, 30), D(2022, 9, 15), D(2025, 8, 10), None, ("on_time", "on_time", "due_soon"),
                "resettlement due in 30 days (orange)"),
    ProjectCase(D(2022, 9, 1), D(2023, 5, 10), D(2026, 6, 30), None, ("on_time", "on_time", "pending"),
                "resettlement due in 278 days"),
    ProjectCase(expropriated_for(4, 120), D(2023, 11, 2), None, None, ("on_time", "due_soon", "pending"),
                "completion due in 120 days (yellow)"),
    ProjectCase(expropriated_for(4, 45), D(2024, 3, 5), None, None, ("late", "due_soon", "pending"),
                "completion due in 45 days (orange)"),
    ProjectCase(D(2024, 2, 29), D(2025, 2, 28), None, None, ("on_time", "pending", "pending"),
                "leap day; start on its due date 2025-02-28"),
    ProjectCase(expropriated_for(1, 150), None, None, None, ("due_soon", "pending", "pending"),
                "start due in 150 days (yellow)"),
    ProjectCase(expropriated_for(1, 60), None, None, None, ("due_soon", "pending", "pending"),
                "start due in 60 days (orange)"),
    ProjectCase(D(2026, 8, 15), None, None, None, ("pending",) * 3, "new, plot not yet located", plot="none"),
    ProjectCase(D(2024, 6, 10), None, None, None, ("overdue", "pending", "pending"), "start overdue"),
    ProjectCase(None, None, None, None, ("missing",) * 3, "no 征迁日期"),
    ProjectCase("2021-13-45", D(2022, 5, 1), None, None, ("missing",) * 3, "malformed 征迁日期", plot="unknown"),
    ProjectCase(D(2022, 6, 1), D(2022, 1, 15), None, None, ("missing", "overdue", "pending"),
                "start date before expropriation"),
    ProjectCase(D(2021, 9, 1), D(2022, 5, 20), D(2025, 7, 15), D(2027, 3, 1), ("on_time", "on_time", "missing"),
                "resettlement date after the as-of date"),
    ProjectCase(D(2021, 1, 20), D(2022, 5, 1), D(2022, 3, 1), None, ("late", "missing", "overdue"),
                "completion before start"),
    ProjectCase(D(2020, 11, 5), None, D(2024, 8, 1), D(2025, 9, 30), ("missing", "on_time", "on_time"),
                "no start date although completed"),
    ProjectCase(D(2022, 9, 1), D(2023, 5, 10), None, None, ("on_time", "overdue", "pending"),
                "duplicate 项目编号 of row 11, other data", plot="same_as:11", same_id_as=11),
    ProjectCase(D(2023, 7, 20), D(2024, 4, 10), None, None, ("on_time", "pending", "pending"),
                "户数 negative (data error)", households=-12),
    ProjectCase(D(2022, 1, 18), D(2022, 10, 9), D(2025, 11, 30), None, ("on_time", "on_time", "due_soon"),
                "resettlement due in 52 days (orange)", plot="unknown"),
    ProjectCase(D(2019, 12, 5), D(2020, 8, 18), D(2023, 6, 30), D(2024, 5, 20), ("on_time",) * 3,
                "竣工日期 as Excel serial", excel=("complete",)),
    ProjectCase(D(2020, 5, 18), D(2021, 3, 22), D(2024, 9, 9), D(2025, 4, 30), ("on_time", "late", "on_time"),
                "completed late, resettled in time"),
    ProjectCase(D(2022, 3, 14), D(2022, 11, 30), D(2025, 12, 20), None, ("on_time", "on_time", "due_soon"),
                "resettlement due in 107 days (yellow)"),
    ProjectCase(D(2023, 5, 8), D(2024, 1, 16), None, None, ("on_time", "due_soon", "pending"),
                "completion due in 162 days (yellow)"),
    ProjectCase(D(2023, 10, 30), D(2024, 12, 2), None, None, ("late", "pending", "pending"), "late start"),
    ProjectCase(D(2025, 3, 18), D(2025, 12, 1), None, None, ("on_time", "pending", "pending"), "started in time"),
    ProjectCase(D(2025, 9, 9), None, None, None, ("overdue", "pending", "pending"), "start overdue by 79 days"),
    ProjectCase(D(2026, 10, 8), None, None, None, ("pending",) * 3, "new, plot not yet located", plot="none"),
    ProjectCase(D(2021, 4, 26), D(2021, 11, 11), D(2024, 12, 31), None, ("on_time", "on_time", "overdue"),
                "超期过渡"),
)
DATE_COLUMNS = (("征迁日期", "expropriation"), ("安置房开工日期", "start"), ("安置房竣工日期", "complete"),
                ("完成安置日期", "resettle"))
TEXT_DATE_STYLES = ("iso", "slash", "compact", "chinese")
PROJECT_KINDS = ("整村征迁项目", "城中村改造项目", "道路拓宽征迁项目", "旧城改造项目", "产业园区征迁项目")


def format_date(value, style: str) -> str | None:
    """Dates the way bureau spreadsheets hold them; malformed text is passed through unchanged."""
    if value is None or isinstance(value, str):
        return value
    return {"iso": value.isoformat(), "slash": f"{value.year}/{value.month}/{value.day}",
            "compact": value.strftime("%Y%m%d"), "chinese": f"{value.year}年{value.month}月{value.day}日",
            "excel": str((value - EXCEL_EPOCH).days)}[style]


def project_ids() -> list[str]:
    """ZQ-<year of expropriation>-<row>; a row with same_id_as repeats that row's number on purpose."""
    ids = []
    for row, case in enumerate(PROJECT_CASES, start=1):
        year = case.expropriation.year if isinstance(case.expropriation, D) else 2021
        ids.append(ids[case.same_id_as - 1] if case.same_id_as else f"ZQ-{year}-{row:03d}")
    return ids


def project_plot_codes() -> list[str | None]:
    """安置地块编号 per project: AZ-001… for linked projects, codes missing from the plot layer, or null."""
    codes, linked = [], 0
    for case in PROJECT_CASES:
        if case.plot == "linked":
            linked += 1
            codes.append(f"AZ-{linked:03d}")
        elif case.plot == "unknown":
            codes.append(f"AZ-9{len(codes):02d}")
        elif case.plot == "none":
            codes.append(None)
        else:
            codes.append(codes[int(case.plot.split(":")[1]) - 1])
    return codes


def build_projects(ctx: DemoContext, seed: int):
    """征迁安置项目 points at random parcels, and 安置地块: for each plot code the nearest free residential parcel."""
    rng = stream(seed, "projects")
    centroids = ctx.parcels.centroids()
    sites = rng.choice(len(ctx.parcels), len(PROJECT_CASES), replace=False)
    for row, case in enumerate(PROJECT_CASES):
        if case.same_id_as:  # a duplicated record of the same project: same place
            sites[row] = sites[case.same_id_as - 1]
    points = shapely.points(centroids[sites] + rng.uniform(-20, 20, (len(sites), 2)))
    districts = [ctx.fields["行政区"][1][s] for s in sites]
    villages = rng.choice(NAME_SYLLABLES, (len(sites), 2))
    columns = {"项目编号": ("text", project_ids()),
               "项目名称": ("text", [f"{d}{a}{b}村{PROJECT_KINDS[i % len(PROJECT_KINDS)]}"
                                     for i, (d, (a, b)) in enumerate(zip(districts, villages))])}
    for name, attr in DATE_COLUMNS:
        columns[name] = ("text", [format_date(getattr(case, attr), "excel" if attr in case.excel else
                                              TEXT_DATE_STYLES[(row + len(columns)) % len(TEXT_DATE_STYLES)])
                                  for row, case in enumerate(PROJECT_CASES)])
    households = rng.integers(20, 480, len(sites))
    columns["户数"] = ("int", [c.households if c.households is not None else int(h)
                              for c, h in zip(PROJECT_CASES, households)])
    codes = project_plot_codes()
    columns["安置地块编号"] = ("text", codes)
    columns["行政区"] = ("text", districts)

    free = np.arange(len(ctx.parcels)) != ctx.parcels.case
    free[sites] = False
    detour = np.where(ctx.design.land_use == RESIDENTIAL, 0.0, 600.0)  # prefer residential land within 600 m
    plot_parcels, plot_codes = [], []
    for row, code in enumerate(codes):
        if code is None or not code.startswith("AZ-0") or code in plot_codes:
            continue
        distance = np.where(free, np.hypot(*(centroids - centroids[sites[row]]).T) + detour, np.inf)
        best = int(np.argmin(distance))
        free[best] = False
        plot_parcels.append(best)
        plot_codes.append(code)
    plots = {"AZDKBH": ("text", plot_codes), "行政区": ("text", [ctx.fields["行政区"][1][i] for i in plot_parcels])}
    return points, columns, ctx.polygons[plot_parcels], plots


# Land supply: supplied parcels and approval batches ---------------------------------------------------------------


@dataclass(frozen=True)
class SupplyCase:
    """One supplied parcel and the status it is meant to have on the as-of date (2026-11-27). Dates may be a
    malformed text on purpose; `stopped` with `developed` (share of the area) and `invested` (share of the total)
    makes started work that stopped."""

    agreed: D | str | None
    expected: str
    note: str
    start: D | str | None = None
    done: D | None = None
    agreed_done: D | None = None
    stopped: D | None = None
    developed: float | None = None
    invested: float | None = None
    price: float | None = 800.0
    government: str | None = None
    cause: str | None = None
    geometry: bool = True
    same_id_as: int | None = None


SUPPLY_CASES = (
    SupplyCase(D(2021, 3, 1), "completed", "completed in time", D(2021, 2, 20), D(2023, 6, 1), D(2024, 3, 1)),
    SupplyCase(D(2021, 9, 1), "completed", "completed 75 days late", D(2021, 8, 25), D(2024, 11, 15),
               D(2024, 9, 1)),
    SupplyCase(D(2024, 5, 1), "on_time", "building, completion in 2028", D(2024, 4, 20), agreed_done=D(2028, 5, 1)),
    SupplyCase(D(2023, 12, 1), "on_time", "building, completion due in 65 days (orange)", D(2023, 11, 20),
               agreed_done=D(2027, 1, 31)),
    SupplyCase(D(2022, 6, 1), "on_time", "building, completion overdue (red)", D(2022, 5, 28),
               agreed_done=D(2025, 12, 1)),
    SupplyCase(D(2027, 9, 23), "on_time", "start in 300 days"),
    SupplyCase(D(2027, 3, 27), "due_soon", "start due in 120 days (yellow)"),
    SupplyCase(D(2026, 12, 27), "due_soon", "start due in 30 days (orange)"),
    SupplyCase(D(2026, 11, 27), "due_soon", "start due today"),
    SupplyCase(D(2026, 6, 1), "unused", "start passed 179 days ago (供而未用)"),
    SupplyCase(D(2025, 11, 27), "unused", "the last day of the year: not yet idle"),
    SupplyCase(D(2025, 11, 26), "idle", "the first day idle", price=1250.0),
    SupplyCase(D(2025, 3, 15), "idle", "idle 1 year 8 months", price=2360.0),
    SupplyCase(D(2025, 6, 30), "idle", "idle, land price unknown", price=None),
    SupplyCase(D(2024, 11, 26), "reclaim", "the first day of the third year: to be taken back", price=980.0),
    SupplyCase(D(2023, 5, 1), "reclaim", "not started for 3½ years", price=3120.0),
    SupplyCase(D(2024, 3, 1), "idle", "stopped a year with 20 % developed, 10 % invested", D(2024, 2, 20),
               stopped=D(2025, 8, 1), developed=0.2, invested=0.1),
    SupplyCase(D(2023, 9, 1), "on_time", "stopped, but 34 % developed and 30 % invested: not idle",
               D(2023, 8, 30), stopped=D(2024, 6, 1), developed=0.34, invested=0.3),
    SupplyCase(D(2024, 1, 1), "missing", "stopped, half developed, investment unknown", D(2024, 1, 5),
               stopped=D(2025, 1, 10), developed=0.5),
    SupplyCase(D(2025, 6, 1), "due_soon", "stopped 10 months ago, 15 % developed: idle in 66 days", D(2025, 6, 10),
               stopped=D(2026, 2, 1), developed=0.15, invested=0.2),
    SupplyCase(D(2024, 2, 1), "government_delay", "delay caused by a plan revision", government="是",
               cause="控制性详细规划调整"),
    SupplyCase(D(2025, 1, 10), "government_delay", "delay marked as the government's, no cause", government="1"),
    SupplyCase("2025年6月", "missing", "agreed start without its day"),
    SupplyCase(None, "missing", "no agreed start"),
    SupplyCase(D(2026, 5, 1), "missing", "start recorded after the as-of date", D(2027, 1, 5)),
    SupplyCase(D(2025, 10, 1), "idle", "no geometry: judged on its dates, counted apart", geometry=False),
    SupplyCase(D(2026, 8, 1), "unused", "repeats the id of row 10", same_id_as=10),
)
BATCH_CASES = (  # (approval date, supplied share of its parcels' blocks, note)
    (D(2021, 4, 12), "part", "approved 5½ years ago, part supplied: overdue"),
    (D(2022, 8, 30), "all", "fully supplied"),
    (D(2024, 12, 1), "part", "two years end in 4 days (orange)"),
    (D(2025, 5, 1), "part", "two years end in 155 days (yellow)"),
    (D(2026, 1, 15), "none", "approved this year, nothing supplied yet"),
    ("待定", "part", "approval date not recorded"),
)


def build_supply(ctx: DemoContext, seed: int):
    """供地宗地 on enterprise parcels and 报批批次 around them: each batch covers a few neighbouring blocks' parcels and
    some land beside them, of which the supply cases' parcels and (for a fully supplied batch) all are supplied."""
    rng = stream(seed, "supply")
    n = len(ctx.parcels)
    enterprise = np.flatnonzero(np.isin(ctx.design.land_use, ENTERPRISE) & (np.arange(n) != ctx.parcels.case))
    blocks = ctx.parcels.cell[enterprise]
    chosen_blocks = rng.choice(np.unique(blocks), len(BATCH_CASES), replace=False)
    batch_geometries, batch_parcels = [], []
    for block, (_, share, _) in zip(chosen_blocks, BATCH_CASES):
        members = enterprise[blocks == block]
        batch_parcels.append(members)
        approved = shapely.union_all(ctx.polygons[members])  # a fully supplied batch is its parcels exactly
        batch_geometries.append(approved if share == "all" else approved.buffer(12, join_style="mitre"))
    supplied = []
    for (_, share, _), members in zip(BATCH_CASES, batch_parcels):
        take = len(members) if share == "all" else 0 if share == "none" else max(1, len(members) // 2)
        supplied += list(members[:take])
    spare = np.setdiff1d(enterprise, np.concatenate(batch_parcels))
    extra = max(0, len(SUPPLY_CASES) - len(supplied))
    supplied += list(rng.choice(spare, extra, replace=False))
    sites = np.array(supplied[:len(SUPPLY_CASES)] + supplied[len(SUPPLY_CASES):], dtype=int)
    case_sites = sites[:len(SUPPLY_CASES)]
    geometries = ctx.polygons[sites].copy()
    for row, case in enumerate(SUPPLY_CASES):
        if not case.geometry:
            geometries[row] = None
    n_rows = len(sites)
    cases = list(SUPPLY_CASES) + [SupplyCase(D(2024, 3, 1), "completed", "supplied with its batch", D(2024, 2, 1),
                                             D(2026, 3, 1), D(2026, 9, 1))] * (n_rows - len(SUPPLY_CASES))
    ids = []
    for row, case in enumerate(cases, start=1):
        ids.append(ids[case.same_id_as - 1] if case.same_id_as else f"3301092024B{row:05d}")
    area = shapely.area(ctx.polygons[sites])
    styles = TEXT_DATE_STYLES
    date = lambda value, row: format_date(value, styles[row % len(styles)])  # noqa: E731
    columns = {
        "电子监管号": ("text", ids),
        "项目名称": ("text", [f"{ctx.fields['权利人'][1][s][:-4]}年产项目" if "权利人" in ctx.fields else f"工业项目{i}"
                             for i, s in enumerate(sites, start=1)]),
        "行政区": ("text", [ctx.fields["行政区"][1][s] for s in sites]),
        "供应面积": ("real", np.round(area, 2).tolist()),
        "合同签订日期": ("text", [date(_supplied_on(c), r) for r, c in enumerate(cases)]),
        "约定开工时间": ("text", [date(c.agreed, r + 1) for r, c in enumerate(cases)]),
        "约定竣工时间": ("text", [date(c.agreed_done, r + 2) for r, c in enumerate(cases)]),
        "实际开工时间": ("text", [date(c.start, r + 3) for r, c in enumerate(cases)]),
        "实际竣工时间": ("text", [date(c.done, r) for r, c in enumerate(cases)]),
        "停工日期": ("text", [date(c.stopped, r + 1) for r, c in enumerate(cases)]),
        "已开发面积": ("real", [None if c.developed is None else round(c.developed * a, 2)
                               for c, a in zip(cases, area)]),
        "总投资(万元)": ("real", [None if c.invested is None and c.developed is None else 20000.0 for c in cases]),
        "已完成投资(万元)": ("real", [None if c.invested is None else round(c.invested * 20000.0, 2) for c in cases]),
        "成交价款(万元)": ("real", [c.price for c in cases]),
        "政府原因": ("text", [c.government for c in cases]),
        "闲置原因": ("text", [c.cause for c in cases]),
    }
    batch_columns = {
        "批次编号": ("text", [f"浙土字A{2021 + i // 2}-{31 + i:03d}" for i in range(len(BATCH_CASES))]),
        "批次名称": ("text", [f"萧山区{i + 1}批次城镇建设用地" for i in range(len(BATCH_CASES))]),
        "批准日期": ("text", [format_date(d, styles[i % len(styles)]) for i, (d, _, _) in enumerate(BATCH_CASES)]),
        "行政区": ("text", [ctx.fields["行政区"][1][members[0]] for members in batch_parcels]),
    }
    return geometries, columns, np.array(batch_geometries), batch_columns, case_sites


def as_multipolygons(geometries: np.ndarray) -> np.ndarray:
    """Every geometry as a MultiPolygon: a batch's parcels need not touch, and a layer holds one geometry type."""
    parts, owner = shapely.get_parts(geometries, return_index=True)
    return shapely.multipolygons(parts, indices=owner)


def _supplied_on(case: SupplyCase):
    """The contract date: half a year before the agreed start and never after the as-of date, else unknown."""
    if not isinstance(case.agreed, D):
        return None
    return min(case.agreed - dt.timedelta(days=180), AS_OF - dt.timedelta(days=30))


# --------------------------------------------------------------------------------------------------------------
# Writing


@dataclass
class Layer:
    """A layer to write: name, 'polygon', 'point' or 'line', shapely geometries and {field: (kind, values)}."""

    name: str
    geometry_type: str
    geometries: np.ndarray
    fields: dict


OGR_GEOMETRY = {"polygon": ogr.wkbPolygon, "multipolygon": ogr.wkbMultiPolygon, "point": ogr.wkbPoint,
                "line": ogr.wkbLineString}
OGR_FIELD = {"text": ogr.OFTString, "real": ogr.OFTReal, "int": ogr.OFTInteger}
def write_geopackage(path: str, layers: list[Layer], vacuum: bool) -> None:
    """Create the layers with GDAL, bulk-insert the rows with sqlite3, let GDAL build the spatial indexes."""
    gdal.UseExceptions()
    if os.path.exists(path):
        os.remove(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    for layer in layers:
        created = ds.CreateLayer(layer.name, srs, OGR_GEOMETRY[layer.geometry_type],
                                 ["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom", "FID=fid"])
        for name, (kind, _) in layer.fields.items():
            created.CreateField(ogr.FieldDefn(name, OGR_FIELD[kind]))
    created = None
    close_dataset(ds)
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA synchronous = OFF")
        for layer in layers:
            _insert_rows(con, layer)
        con.commit()
    ds = ogr.Open(path, update=1)
    for layer in layers:
        ds.ReleaseResultSet(ds.ExecuteSQL(f"SELECT CreateSpatialIndex('{layer.name}', 'geom')"))
    close_dataset(ds)
    with closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE gpkg_contents SET last_change = ?", (FIXED_TIMESTAMP,))
        con.commit()
        if vacuum:
            con.execute("VACUUM")


@contextmanager
def cyclic_gc_paused():
    """Millions of small objects (ids, names, geometries) make Python's cycle collector rescan them again and
    again, which tripled the time to build the geometries; the generator creates no reference cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _insert_rows(con: sqlite3.Connection, layer: Layer) -> None:
    names = list(layer.fields)
    columns = ", ".join(["fid", "geom"] + [f'"{name}"' for name in names])
    sql = f'INSERT INTO "{layer.name}" ({columns}) VALUES ({", ".join("?" * (len(names) + 2))})'
    bounds = shapely.bounds(layer.geometries) if layer.geometry_type != "point" else None
    blobs = gpkg_blobs(shapely.to_wkb(layer.geometries, byte_order=1), EPSG, bounds)
    values = [layer.fields[name][1] for name in names]
    with triggers_dropped(con, layer.name):
        con.executemany(sql, zip(range(1, len(blobs) + 1), blobs, *values))
    min_x, min_y, max_x, max_y = shapely.total_bounds(layer.geometries).tolist()
    con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                (min_x, min_y, max_x, max_y, layer.name))
    con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?", (len(blobs), layer.name))


# --------------------------------------------------------------------------------------------------------------
# Putting it together


def generate(path: str, n_parcels: int, seed: int = DEFAULT_SEED, demo: bool = False, log=print,
             low_share: float | None = None) -> dict:
    """Write the GeoPackage; returns the intended plan and project tables (demo) for checks. `low_share`: the
    expected share of low-efficiency enterprise parcels (None: the usual ~30 %)."""
    if demo and n_parcels < MIN_DEMO_PARCELS:
        raise ValueError(f"--demo needs at least {MIN_DEMO_PARCELS} parcels")
    clock = Stopwatch(log)
    grid = plan_grid(n_parcels, seed, demo)
    parcels = build_parcels(grid, n_parcels, seed)
    design = design_parcels(grid, parcels, seed, low_share)
    buildings = build_buildings(parcels, design, seed)
    fields = parcel_fields(grid, parcels, design, realised_far(buildings, parcels), seed)
    parcel_polygons = shapely.polygons(parcels.quads)
    building_columns = building_fields(buildings, fields["地块编号"][1], seed)
    layers = [Layer("地块", "polygon", parcel_polygons, fields),
              Layer("建筑", "polygon", buildings.geometries, building_columns)]
    clock.lap(f"{len(parcels):,} parcels and {len(buildings.owner):,} buildings generated")
    intended = {}
    if demo:
        demo_layers, intended = build_demo_layers(grid, parcels, design, fields, parcel_polygons, seed)
        layers += demo_layers
        clock.lap("demo layers generated")
    write_geopackage(path, layers, vacuum=demo)
    clock.lap(f"written to {path} ({os.path.getsize(path) / 1e6:.1f} MB)")
    clock.total()
    return intended


def build_demo_layers(grid, parcels, design, fields, parcel_polygons, seed):
    """The small layers of the demo, in the order they depend on each other."""
    rng = stream(seed, "demo_layers")
    kept = np.unique(parcels.cell)
    boundary = urban_boundary(grid, kept)
    redline = rural_redline(grid, kept, boundary, rng)
    farmland = rural_farmland(grid, kept, shapely.union_all(redline + [boundary]), 198, rng)
    ctx = DemoContext(grid, parcels, design, fields, parcel_polygons, boundary, redline, farmland)
    plan_geometries, plan_columns, plan_table = build_plans(ctx, seed)
    points, project_columns, plot_geometries, plot_columns = build_projects(ctx, seed)
    layers = [
        Layer("征迁安置项目", "point", points, project_columns),
        Layer("安置地块", "polygon", plot_geometries, plot_columns),
        Layer("工业上楼方案", "polygon", np.array(plan_geometries), plan_columns),
        Layer("永久基本农田", "polygon", np.array(ctx.farmland),
              {"DLBM": ("text", ["0101"] * len(ctx.farmland)),
               "图斑编号": ("text", [f"JBNT-{i:04d}" for i in range(1, len(ctx.farmland) + 1)])}),
        Layer("生态保护红线", "polygon", np.array(ctx.redline),
              {"名称": ("text", [f"生态保护红线区{i}" for i in range(1, len(ctx.redline) + 1)])}),
        Layer("城镇开发边界", "polygon", np.array([boundary]), {"名称": ("text", ["萧山区城镇开发边界"])}),
        Layer("行政区划", "polygon", np.array(district_polygons(grid)), {"行政区": ("text", list(DISTRICT_NAMES))}),
    ]
    supply_geometries, supply_columns, batch_geometries, batch_columns, _sites = build_supply(ctx, seed)
    layers += [Layer("供地宗地", "polygon", supply_geometries, supply_columns),
               Layer("报批批次", "multipolygon", as_multipolygons(batch_geometries), batch_columns)]
    layers += build_living_circle(ctx, seed)
    return layers, {"plans": plan_table, "projects": project_columns, "supply": supply_columns}


# --------------------------------------------------------------------------------------------------------------
# 15-minute living circle: the residential parcels as 居住单元, facility sites (设施用地 polygons) near them and the
# road centre lines of the city grid

# (type name in the layer, label for the name, share of the other residential blocks with one, site width and
# depth in metres): the neighbourhood nearest the centre has every type, the others each type by chance — the
# 5-minute ones in most blocks, the 15-minute ones in few (they reach 1,000 m) — so the demo has both fully covered
# units and gaps; the middle school's campus and the stadium are large sites, reached at their edge.
LIVING_FACILITIES = (
    ("幼儿园", "幼儿园", 0.8, 60, 50), ("社区卫生服务站", "卫生服务站", 0.7, 30, 25),
    ("老年人日间照料中心", "日间照料中心", 0.6, 35, 30), ("室外综合健身场地", "健身场地", 0.7, 40, 30),
    ("小学", "小学", 0.4, 160, 120), ("菜市场", "菜市场", 0.5, 60, 45), ("初中", "初级中学", 0.25, 220, 160),
    ("社区卫生服务中心", "社区卫生服务中心", 0.25, 70, 60), ("养老院", "养老院", 0.2, 80, 60),
    ("文化活动中心", "文化活动中心", 0.2, 60, 50), ("体育场", "全民健身中心", 0.1, 260, 180),
)
FIVE_MINUTE = ("幼儿园", "社区卫生服务站", "老年人日间照料中心", "室外综合健身场地")
ROAD_CLASS_EVERY = 3  # every third grid line a 主干路, the rest 支路
EXPRESSWAY = "快速路"  # one row line: not walked (the profile excludes it)


def build_living_circle(ctx: DemoContext, seed: int) -> list[Layer]:
    """居住单元 (the residential parcels, households by area), 公共服务设施 (sites of the eleven GB 50180 types,
    placed in residential and commercial blocks, one with a type the profile does not know), 道路中心线 (the grid's
    road centre lines over the city, one row an expressway, one digitising gap of 0.8 m the snapping joins, and a
    settlement off every road: 未接入路网)."""
    rng = stream(seed, "living")
    grid, parcels = ctx.grid, ctx.parcels
    gy, gx = grid.shape
    kept = np.unique(parcels.cell)
    rows, cols = kept // gx, kept % gx
    i0, i1, j0, j1 = cols.min(), cols.max() + 1, rows.min(), rows.max() + 1
    xs, ys = grid.col_edges[i0:i1 + 1], grid.row_edges[j0:j1 + 1]
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    roads, classes = [], []
    express = 1  # near the south edge: its detours stay out of the well-served neighbourhood
    for k, y in enumerate(ys):
        if k == express:  # an expressway instead of a street: not walked, so walks around it are longer
            roads.append(shapely.linestrings([(x_lo, y), (x_hi, y)]))
            classes.append(EXPRESSWAY)
            continue
        roads.append(shapely.linestrings([(x_lo, y), (x_hi, y)]))
        classes.append("主干路" if k % ROAD_CLASS_EVERY == 0 else "支路")
    for k, x in enumerate(xs):
        cut = y_lo + (ys[1] - y_lo) / 2 if k == len(xs) // 2 else None
        if cut is None:
            roads.append(shapely.linestrings([(x, y_lo), (x, y_hi)]))
            classes.append("主干路" if k % ROAD_CLASS_EVERY == 0 else "支路")
        else:  # drawn in two pieces 0.8 m apart: joined by the 2 m snapping
            roads += [shapely.linestrings([(x, y_lo), (x, cut)]), shapely.linestrings([(x, cut + 0.8), (x, y_hi)])]
            classes += ["支路", "支路"]
    land_use = np.asarray(ctx.fields["YDXZ"][1], dtype=object)
    districts = np.asarray(ctx.fields["行政区"][1], dtype=object)
    homes = np.flatnonzero(land_use == RESIDENTIAL)
    # facility sites in the residential blocks, each type in its share of them: the small 5-minute ones (a
    # kindergarten, a health station: often inside a compound) as sites along one side of the block, the larger
    # ones (schools, markets, the stadium …) on a parcel of their own, which is then no residential unit
    bounds = grid.block_bounds().reshape(-1, 4)
    blocks = np.unique(parcels.cell[homes])
    neighbourhoods = blocks[grid.land_use.ravel()[blocks] == LAND_USES.index(RESIDENTIAL)]  # homes scattered
    blocks = neighbourhoods if len(neighbourhoods) else blocks  # among factories get what these reach
    if not len(blocks):
        raise ValueError("the demo has no residential parcel: no living circle")
    taken = np.zeros(len(ctx.polygons), dtype=bool)
    sites, kinds, site_names = [], [], []
    # the neighbourhood nearest the centre is well served (its blocks get every type), the others by chance
    middle = (bounds[blocks, :2] + bounds[blocks, 2:]) / 2
    from_centre = np.hypot(*(middle - CENTRE).T)
    count = np.array([(parcels.cell[homes] == c).sum() for c in blocks])
    first = np.argmax(np.where(from_centre <= 2000.0, count, -1))  # the largest neighbourhood near the centre
    served = np.hypot(*(middle - middle[first]).T) <= 600.0  # that block and its near neighbours
    for kind, label, share, width, depth in LIVING_FACILITIES:
        if kind in FIVE_MINUTE:
            chosen = blocks[served | (rng.random(len(blocks)) < share)]
        else:  # one in the served neighbourhood, the others in their share of the rest
            one = first
            chosen = blocks[(np.arange(len(blocks)) == one) | (~served & (rng.random(len(blocks)) < share))]
        if kind in FIVE_MINUTE:  # 300 m: one per 180 m of a block's length, spread along it
            chosen = np.concatenate([np.repeat(c, max(1, round((bounds[c, 2] - bounds[c, 0]) / 180)))
                                     for c in chosen]) if len(chosen) else chosen
        for k, cell in enumerate(chosen):
            b = bounds[cell]
            free = homes[(parcels.cell[homes] == cell) & ~taken[homes]]
            if kind in FIVE_MINUTE or len(free) < 2:
                w, d = min(width, b[2] - b[0] - 10), min(depth, b[3] - b[1] - 10)
                x = rng.uniform(b[0] + 5, b[2] - 5 - w)
                y = b[1] + 5 if rng.random() < 0.5 else b[3] - 5 - d
                sites.append(shapely.box(x, y, x + w, y + d))
            else:
                parcel = rng.choice(free)
                taken[parcel] = True
                sites.append(ctx.polygons[parcel])
            kinds.append(kind)
            site_names.append(f"{districts[homes][np.argmax(parcels.cell[homes] == cell)]}{label}"
                              + (f"{k + 1}" if len(chosen) > 1 else ""))
    b = bounds[rng.choice(blocks)]
    sites.append(shapely.box(b[0] + 10, b[1] + 10, b[0] + 40, b[1] + 30))
    kinds.append("洗浴中心")  # no type of the profile: named in the log and left out
    site_names.append("某洗浴中心")
    homes = homes[~taken[homes]]
    home_polygons = list(ctx.polygons[homes])
    area = shapely.area(ctx.polygons[homes])
    households = np.maximum(40, np.rint(area / 10000 * rng.uniform(80, 160, len(homes)))).astype(np.int64)
    names = [f"{districts[i]}{k + 1}号小区" for k, i in enumerate(homes)]
    home_districts = districts[homes].tolist()
    # a settlement 600 m beyond the last road: no road access
    sx, sy = x_lo - 600.0, (y_lo + y_hi) / 2
    home_polygons.append(shapely.box(sx - 60, sy - 40, sx + 60, sy + 40))
    households = np.append(households, 120)
    names.append("河头村安置点")
    home_districts.append(home_districts[0])
    return [
        Layer("居住单元", "polygon", np.array(home_polygons, dtype=object),
              {"小区名称": ("text", names), "户数": ("int", households.tolist()), "行政区": ("text", home_districts)}),
        Layer("公共服务设施", "polygon", np.array(sites, dtype=object),
              {"设施名称": ("text", site_names), "设施类型": ("text", kinds)}),
        Layer("道路中心线", "line", np.array(roads, dtype=object), {"道路等级": ("text", classes)}),
    ]


class Stopwatch:
    """Prints how long each phase took, so benchmark runs report their own timing."""

    def __init__(self, log):
        self.log, self.start, self.last = log, time.perf_counter(), time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        self.log(f"{now - self.last:7.2f} s  {what}")
        self.last = now

    def total(self) -> None:
        self.log(f"{time.perf_counter() - self.start:7.2f} s  total")


def print_tables(intended: dict, log=print) -> None:
    """The intended state of every project milestone and every plan, for a person to check the plugin against."""
    columns = intended["projects"]
    log(f"\nResettlement projects: intended status on {AS_OF} (+1 start / +4 completion / +5 resettlement)")
    log(f"{'#':>2} {'项目编号':<12} {'征迁日期':<14} {'+1':<9} {'+4':<9} {'+5':<9} {'安置地块编号':<9} note")
    for row, case in enumerate(PROJECT_CASES):
        code = columns["安置地块编号"][1][row] or "—"
        log(f"{row + 1:>2} {columns['项目编号'][1][row]:<12} {columns['征迁日期'][1][row] or '—':<14} "
            f"{case.expected[0]:<9} {case.expected[1]:<9} {case.expected[2]:<9} {code:<9} {case.note}")
    log(f"\nSupplied parcels: intended status on {AS_OF}")
    supply = intended["supply"]
    for row, case in enumerate(SUPPLY_CASES):
        log(f"{row + 1:>2} {supply['电子监管号'][1][row]:<17} {case.expected:<17} {case.note}")
    log("\nIndustrial-upstairs plans: intended rule violations")
    for plan_id, rules, label in intended["plans"]:
        log(f"{plan_id}  {', '.join(rules) or 'passes':<44} {label}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="GeoPackage to write (replaced if it exists)")
    parser.add_argument("--parcels", type=int, required=True, help="number of parcels")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--demo", action="store_true", help="add the hand-made cases and all demo layers")
    parser.add_argument("--low-share", type=float, default=None, metavar="S",
                        help="expected share of low-efficiency enterprise parcels, 0..1 (default ~0.3, clustered "
                             "in old areas)")
    args = parser.parse_args(argv)
    if args.parcels < 1:
        parser.error("--parcels must be positive")
    if args.low_share is not None and not 0.0 <= args.low_share <= 1.0:
        parser.error("--low-share must be within 0..1")
    with cyclic_gc_paused():
        intended = generate(args.output, args.parcels, args.seed, args.demo, low_share=args.low_share)
    if intended:
        print_tables(intended)
    return 0


if __name__ == "__main__":
    sys.exit(main())
