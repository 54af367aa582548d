"""耕地占补平衡 ledger: per county and period, what was occupied, supplemented, received and given, and the balance.

Three indicators each balance on their own (国土资规〔2017〕13号): quantity (亩 of cultivated land), paddy (亩 of 水田)
and grain production capacity (kg 标准粮; analysis.farmland_reading says how it is measured). For county c and period
p, with every flow dated (occupation: approval; supplement: acceptance; transfer: agreement date):

    balance(c, p) = Σ over periods ≤ p of (supplemented + received − given − occupied)

— cumulative, because 以补定占 lets a county occupy what it supplemented in any earlier period and not yet used. A
county-period is `deficit` when any indicator's balance is below zero (beyond floating-point noise,
rules.criteria.tolerance), and `shortfall_*` = −balance there (0 elsewhere); else `balanced`. Capacity unknown
(no grade on a layer) leaves the capacity columns empty and is left out of the status.

A county that only transfers name (no occupation, no supplement in the data: a county buying indicators before it
occupies, one outside the data's area, the province's reserve) has its received and given indicators and their net
in `balance_*`, but its balance is not judged — status `transfers_only`, no shortfall —: without its supplements
the ledger cannot know what it holds. The algorithm names such counties in the log (a misspelt name shows there).

Transfers move indicators only when their type is the profile's `counted_transfer_type` (cultivated); forest-land
quota and grain-zone 代保 are summed apart (`summarise`). Periods: `year` (2024), `quarter` (2024Q1), `month`
(2024-03) or `all` (one period, "全部"); every county gets every period from the first to the last dated flow, so its
balance can be read at any period end.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..rules.criteria import tolerance
from .farmland_rules import FarmlandRules
from .units import M2_PER_MU

PERIODS = ("year", "quarter", "month", "all")
ALL_PERIOD = "全部"
FLOWS = ("occupied", "supplemented", "received", "given")
INDICATOR_COLUMNS = {"mu": "mu", "paddy_mu": "paddy_mu", "capacity_kg": "capacity_kg"}
LEDGER_COLUMNS = ("county", "period", "period_start", "period_end",
                  *(f"{flow}_{ind}" for ind in INDICATOR_COLUMNS for flow in FLOWS),
                  *(f"balance_{ind}" for ind in INDICATOR_COLUMNS), *(f"shortfall_{ind}" for ind in INDICATOR_COLUMNS),
                  "status", "deficit_in")
_FREQ = {"year": "Y", "quarter": "Q", "month": "M"}


def period_keys(dates: pd.Series, period: str) -> pd.Series:
    """The period each date falls in, as a sortable key (pandas Period, or ALL_PERIOD)."""
    if period == "all":
        return pd.Series(ALL_PERIOD, index=dates.index, dtype=object)
    return dates.dt.to_period(_FREQ[period])


def period_label(key, period: str) -> str:
    if period == "all":
        return ALL_PERIOD
    if period == "quarter":
        return f"{key.year}Q{key.quarter}"
    if period == "month":
        return f"{key.year}-{key.month:02d}"
    return str(key.year)


def flows(occupations: pd.DataFrame, supplements: pd.DataFrame, transfers: pd.DataFrame | None,
          rules: FarmlandRules) -> pd.DataFrame:
    """Every dated flow as one row: county, date, flow (FLOWS), mu, paddy_mu, capacity_kg. Occupations and
    supplements are farmland_reading's frames (m² → 亩 here), transfers its transfer frame."""
    parts = []
    for frame, flow in ((occupations, "occupied"), (supplements, "supplemented")):
        parts.append(pd.DataFrame({"county": frame["county"].to_numpy(), "date": frame["date"].to_numpy(),
                                   "flow": flow, "mu": (frame["area_m2"] / M2_PER_MU).to_numpy(),
                                   "paddy_mu": (frame["paddy_m2"] / M2_PER_MU).to_numpy(),
                                   "capacity_kg": frame["capacity_kg"].to_numpy()}))
    if transfers is not None and len(transfers):
        counted = transfers[transfers["type"] == rules.counted_transfer_type]
        for end, flow in (("to_county", "received"), ("from_county", "given")):
            parts.append(pd.DataFrame({"county": counted[end].to_numpy(), "date": counted["date"].to_numpy(),
                                       "flow": flow, "mu": counted["mu"].to_numpy(),
                                       "paddy_mu": counted["paddy_mu"].to_numpy(),
                                       "capacity_kg": counted["capacity_kg"].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def ledger(occupations: pd.DataFrame, supplements: pd.DataFrame, transfers: pd.DataFrame | None = None,
           period: str = "year", rules: FarmlandRules | None = None) -> pd.DataFrame:
    """The ledger (module docstring): one row per county and period, LEDGER_COLUMNS."""
    rules = rules or FarmlandRules()
    capacity_known = bool(occupations["capacity_kg"].notna().all() and supplements["capacity_kg"].notna().all())
    events = flows(occupations, supplements, transfers, rules)
    if not len(events):
        return pd.DataFrame(columns=list(LEDGER_COLUMNS))
    events["period"] = period_keys(pd.to_datetime(events["date"]), period)
    sums = events.pivot_table(index=["county", "period"], columns="flow", values=list(INDICATOR_COLUMNS),
                              aggfunc="sum", fill_value=0.0)
    sums.columns = [f"{flow}_{ind}" for ind, flow in sums.columns]
    counties = sorted(events["county"].unique())
    if period == "all":
        periods = [ALL_PERIOD]
    else:
        keys = events["period"]
        periods = list(pd.period_range(keys.min(), keys.max(), freq=keys.min().freq))
    grid = pd.MultiIndex.from_product([counties, periods], names=["county", "period"])
    table = sums.reindex(grid, fill_value=0.0)
    for ind in INDICATOR_COLUMNS:
        for flow in FLOWS:
            name = f"{flow}_{ind}"
            if name not in table:
                table[name] = 0.0
        net = (table[f"supplemented_{ind}"] + table[f"received_{ind}"] - table[f"given_{ind}"]
               - table[f"occupied_{ind}"])
        table[f"balance_{ind}"] = net.groupby(level="county").cumsum()
        inflow = (table[f"supplemented_{ind}"] + table[f"received_{ind}"]).groupby(level="county").cumsum()
        slack = tolerance(inflow.to_numpy())
        short = table[f"balance_{ind}"] < -slack
        table[f"shortfall_{ind}"] = np.where(short, -table[f"balance_{ind}"], 0.0)
        table[f"deficit_{ind}"] = short
    if not capacity_known:
        for name in [c for c in table.columns if c.endswith("capacity_kg")]:
            table[name] = np.nan
        table["deficit_capacity_kg"] = False
    deficit_flags = table[[f"deficit_{ind}" for ind in INDICATOR_COLUMNS]]
    judged = table.index.get_level_values("county").isin(
        set(occupations["county"].dropna()) | set(supplements["county"].dropna()))
    deficit_flags = deficit_flags & judged[:, None]
    for ind in INDICATOR_COLUMNS:
        table[f"shortfall_{ind}"] = table[f"shortfall_{ind}"].where(judged | table[f"shortfall_{ind}"].isna(), 0.0)
    table["status"] = np.where(~judged, "transfers_only",
                               np.where(deficit_flags.any(axis=1), "deficit", "balanced"))
    names = np.array(list(INDICATOR_COLUMNS), dtype=object)
    table["deficit_in"] = [",".join(names[row]) for row in deficit_flags.to_numpy()]
    table = table.reset_index()
    if period == "all":
        table["period_start"] = pd.to_datetime(events["date"]).min()
        table["period_end"] = pd.to_datetime(events["date"]).max()
    else:
        table["period_start"] = table["period"].map(lambda p: p.start_time.normalize())
        table["period_end"] = table["period"].map(lambda p: p.end_time.normalize())
    table["period"] = table["period"].map(lambda p: period_label(p, period))
    return table[list(LEDGER_COLUMNS)]


def summarise(ledger_table: pd.DataFrame, occupations: pd.DataFrame, supplements: pd.DataFrame,
              transfers: pd.DataFrame | None, checks: pd.DataFrame) -> dict:
    """The figures the bureau reports (亩, kg, 万元): totals, transfers per type with their funds, the counties in
    deficit at the end of the last period with their shortfalls, and the checks counted by kind."""
    last = ledger_table.groupby("county").tail(1) if len(ledger_table) else ledger_table
    summary = {
        "counties": int(ledger_table["county"].nunique()) if len(ledger_table) else 0,
        "occupations": int(len(occupations)), "supplements": int(len(supplements)),
        "occupied_mu": float(occupations["area_m2"].sum() / M2_PER_MU),
        "occupied_paddy_mu": float(occupations["paddy_m2"].sum() / M2_PER_MU),
        "occupied_capacity_kg": _number(occupations["capacity_kg"].sum(min_count=1)),
        "supplemented_mu": float(supplements["area_m2"].sum() / M2_PER_MU),
        "supplemented_paddy_mu": float(supplements["paddy_m2"].sum() / M2_PER_MU),
        "supplemented_capacity_kg": _number(supplements["capacity_kg"].sum(min_count=1)),
        "capacity_known": bool(len(ledger_table) == 0 or ledger_table["balance_capacity_kg"].notna().all()),
        "transfers": {},
        "deficit": {row.county: {"mu": float(row.shortfall_mu), "paddy_mu": float(row.shortfall_paddy_mu),
                                 "capacity_kg": (None if pd.isna(row.shortfall_capacity_kg)
                                                 else float(row.shortfall_capacity_kg))}
                    for row in last.itertuples() if row.status == "deficit"},
        "checks": {k: int(n) for k, n in checks["check"].value_counts().items()} if len(checks) else {},
        "transfers_only": sorted(set(last.loc[last["status"] == "transfers_only", "county"])) if len(last) else [],
    }
    summary["flows"] = [{key: (None if isinstance(value, float) and value != value else value)
                          for key, value in row.items()} for row in transfer_flows(transfers).to_dict("records")]
    if transfers is not None and len(transfers):
        for kind, group in transfers.groupby("type"):
            summary["transfers"][kind] = {"n": int(len(group)), "mu": float(group["mu"].sum()),
                                          "funds": float(group["funds"].sum(min_count=1))
                                          if group["funds"].notna().any() else None,
                                          "funds_unknown": int(group["funds"].isna().sum())}
    return summary


def _number(value) -> float | None:
    """A float for the JSON summary; None for an unknown value (JSON has no NaN)."""
    return None if value is None or value != value else float(value)


FLOW_COLUMNS = ("from_county", "to_county", "type", "transfers", "mu", "paddy_mu", "capacity_kg", "funds",
                "funds_unknown")


def transfer_flows(transfers: pd.DataFrame | None) -> pd.DataFrame:
    """Indicators moved between counties, one row per (from, to, type): how many transfers, 亩, 水田 亩, kg and
    funds (万元; empty when no transfer of the row has funds or a price) — the table and the diagram of the flows.
    The funds are those of the transfers that have them: `funds_unknown` counts the others, so a row's sum is never
    read as complete when it is not."""
    if transfers is None or not len(transfers):
        return pd.DataFrame(columns=list(FLOW_COLUMNS))
    grouped = transfers.groupby(["from_county", "to_county", "type"], sort=True)
    flows = grouped.agg(transfers=("mu", "size"), mu=("mu", "sum"), paddy_mu=("paddy_mu", "sum"),
                        capacity_kg=("capacity_kg", "sum"))
    flows["funds"] = grouped["funds"].sum(min_count=1)
    flows["funds_unknown"] = flows["transfers"] - grouped["funds"].count()  # count() leaves the missing out
    return flows.reset_index()[list(FLOW_COLUMNS)]


def county_centres(counties: list[pd.Series], geometries: list) -> dict:
    """{county: (x, y)}: the mean of the centroids of the county's occupations and supplements — where a flow line
    starts and ends on the map (a county without usable geometry has none)."""
    import shapely

    names = pd.concat([pd.Series(np.asarray(c, dtype=object)) for c in counties], ignore_index=True)
    shapes = np.concatenate([np.asarray(g, dtype=object) for g in geometries])
    centres = shapely.centroid(shapes)
    frame = pd.DataFrame({"county": names, "x": shapely.get_x(centres), "y": shapely.get_y(centres)}).dropna()
    means = frame.groupby("county")[["x", "y"]].mean()
    return {county: (row.x, row.y) for county, row in means.iterrows()}


# Flows between the same two counties (two indicator types, or each way) drawn on one straight line would hide each
# other: each gets a lane of its own, its curve's middle LANE_SPACING of the line's length from the next lane's, the
# lanes symmetric about the straight line (a flow alone on it keeps the straight line).
LANE_SPACING = 0.15
CURVE_POINTS = 17  # points of a bowed flow line: a smooth arc at any print scale, one arrow head at its end


def flow_lanes(flows: pd.DataFrame) -> np.ndarray:
    """Per flow its lane among the flows between the same two counties, either way: −(n − 1)/2 … (n − 1)/2 in the
    flows' order, counted to the left of the line from the pair's first county (by name) to the other — so A→B and
    B→A get opposite sides, whichever way each runs; 0 for a flow alone between its counties."""
    pairs = [tuple(sorted((str(a), str(b)))) for a, b in zip(flows["from_county"], flows["to_county"])]
    lanes = np.zeros(len(pairs))
    members: dict = {}
    for i, pair in enumerate(pairs):
        members.setdefault(pair, []).append(i)
    for rows in members.values():
        for k, i in enumerate(rows):
            lanes[i] = k - (len(rows) - 1) / 2
    return lanes


def flow_lines(flows: pd.DataFrame, centres: dict) -> np.ndarray:
    """A line from the giving county's centre to the receiving one's per flow; None where a centre is unknown.
    Flows sharing their two counties are bowed apart (flow_lanes): a quadratic curve through both centres whose
    middle lies `lane × LANE_SPACING` of the centres' distance beside the straight line."""
    import shapely

    lanes = flow_lanes(flows)
    t = np.linspace(0.0, 1.0, CURVE_POINTS)[:, None]
    lines = np.full(len(flows), None, dtype=object)
    for i, (giver, receiver) in enumerate(zip(flows["from_county"], flows["to_county"])):
        if giver not in centres or receiver not in centres:
            continue
        start, end = np.asarray(centres[giver], dtype=float), np.asarray(centres[receiver], dtype=float)
        length = float(np.hypot(*(end - start)))
        if lanes[i] == 0 or length == 0:
            lines[i] = shapely.LineString([start, end])
            continue
        first, second = (start, end) if str(giver) <= str(receiver) else (end, start)
        along = (second - first) / length
        left = np.array([-along[1], along[0]])
        # a quadratic curve's middle lies halfway between the chord's middle and its control point
        control = (start + end) / 2 + left * 2 * lanes[i] * LANE_SPACING * length
        points = (1 - t) ** 2 * start + 2 * t * (1 - t) * control + t ** 2 * end
        points[0], points[-1] = start, end
        lines[i] = shapely.LineString(points)
    return lines


def undrawn_flows(flows: pd.DataFrame, lines: np.ndarray, centres: dict) -> dict:
    """The flows without a line (flow_lines: a county no occupation or supplement with a shape places):
    {"pairs": ['建德市→余杭区', …], "counties": ['建德市', …]}, each once, in the flows' order — what the map cannot
    show, for the log and the printed note."""
    pairs, counties = [], []
    for giver, receiver, line in zip(flows["from_county"], flows["to_county"], lines):
        if line is not None:
            continue
        pair = f"{giver}→{receiver}"
        if pair not in pairs:
            pairs.append(pair)
        counties += [c for c in (giver, receiver) if c not in centres and c not in counties]
    return {"pairs": pairs, "counties": counties}
