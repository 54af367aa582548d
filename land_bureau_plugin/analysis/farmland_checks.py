"""Per-project checks of the 耕地占补平衡 ledger: 先补后占, 以补定占, and where supplements and occupations lie.

Dates. Within a county, indicators come in (its own supplements, dated by acceptance; transfers received, dated by the
agreement) and go out (its occupations, dated by approval; transfers given). Both streams are ordered by date, then
occupations before transfers, then feature id; same-day flows count as simultaneous for availability.

- 以补定占 (`cap_exceeded`), for each indicator (亩, 水田 亩, capacity kg) and each outgoing flow i on date d:
  used_i = Σ outgoing flows up to and including i; available(d) = Σ incoming flows dated on or before d. The flow's
  own excess is min(used_i − available(d), its own amount): exceeded when that is positive beyond floating-point
  noise (rules.criteria.tolerance) — exactly at the cap is allowed, and a flow using none of an indicator exceeds
  nothing of it, however far the county is beyond its cap (the whole shortfall charged to every later project counted
  the same 亩 again for each). A given transfer beyond what the county holds is flagged the same way.
- 先补后占 (`supplement_after_occupation`), for each indicator on its own (quantity, paddy, capacity are three
  ledgers, 国土资规〔2017〕13号 — 10 亩 of paddy occupied in March draw on a paddy supplement of June even when
  dry land accepted in January covers the 亩): outgoing flows draw on incoming ones first in, first out.
  Occupation i draws the units (used_{i−1}, used_i]; those beyond available(approval date) come from incoming flows
  accepted later. Flagged when that part is positive for any indicator: "9 亩 cultivated land, 2 亩 paddy draw on
  supplement X accepted on D" (`late_*` per indicator) with X the latest incoming flow drawn by a late indicator — a
  transfer received later is named by its giving county. A supplement accepted on the very day of the approval counts
  as before it. Units that no incoming flow covers at all are not 先补后占 (nothing was accepted later): 以补定占
  reports them. An occupation that names the supplement projects it draws on (挂钩, `supplement_ids`) is judged by
  them instead: flagged when one of them was accepted after the approval day, naming the latest one, with the
  occupation's own figures as `late_*`.

Places (planar m², the caller reprojects). An overlap counts when its area is above `min_overlap_m2` (slivers):
- `occupies_basic_farmland`: an occupation on permanent basic farmland (土地管理法 第三十五条);
- `supplement_on_protected`: a supplement on permanent basic farmland, the ecological red line or existing
  construction land, one row per layer;
- `supplement_overlap`: two supplements sharing area — the same land counted twice; one row per pair, on the later
  accepted one (the later of equal dates: the higher feature id), naming the other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..rules.criteria import Criterion, cited, tolerance
from .farmland_rules import FarmlandRules
from .farmland_text import FARMLAND_TEMPLATES, PROTECTED
from .messages import fill
from .units import M2_PER_MU
from .upstairs_overlay import intersect, plan_overlaps, prepare_layer

CHECK_COLUMNS = ("check", "layer", "feature_id", "project_id", "county", "date", "other_layer", "other_feature_id",
                 "other_project", "other_date", "area_m2", "area_mu", "excess_mu", "excess_paddy_mu",
                 "excess_capacity_kg", "late_mu", "late_paddy_mu", "late_capacity_kg", "reason")
INDICATORS = ("mu", "paddy_mu", "capacity_kg")
OCCUPATIONS, SUPPLEMENTS, TRANSFERS = "occupations", "supplements", "transfers"
_LAYER_ORDER = {SUPPLEMENTS: 0, OCCUPATIONS: 0, TRANSFERS: 1}


def _streams(occupations, supplements, transfers, rules):
    """(incoming, outgoing) flow tables: county, date, layer, fid, project_id, mu, paddy_mu, capacity_kg."""
    def table(frame, layer, county, partner=None):
        return pd.DataFrame({"county": frame[county].to_numpy(), "date": pd.to_datetime(frame["date"]).to_numpy(),
                             "layer": layer, "fid": frame.index.to_numpy(),
                             "project_id": frame["project_id"].to_numpy(),
                             "partner": frame[partner].to_numpy() if partner else None,
                             "mu": frame["mu"].to_numpy(), "paddy_mu": frame["paddy_mu"].to_numpy(),
                             "capacity_kg": frame["capacity_kg"].to_numpy()})

    def in_mu(frame):
        return frame.assign(mu=frame["area_m2"] / M2_PER_MU, paddy_mu=frame["paddy_m2"] / M2_PER_MU)

    incoming = [table(in_mu(supplements), SUPPLEMENTS, "county")]
    outgoing = [table(in_mu(occupations), OCCUPATIONS, "county")]
    if transfers is not None and len(transfers):
        counted = transfers[transfers["type"] == rules.counted_transfer_type]
        incoming.append(table(counted, TRANSFERS, "to_county", "from_county"))
        outgoing.append(table(counted, TRANSFERS, "from_county", "to_county"))

    def ordered(parts):
        frame = pd.concat(parts, ignore_index=True)
        frame["order"] = frame["layer"].map(_LAYER_ORDER)
        return frame.sort_values(["county", "date", "order", "fid"], kind="stable", ignore_index=True)

    return ordered(incoming), ordered(outgoing)


def date_checks(occupations: pd.DataFrame, supplements: pd.DataFrame, transfers: pd.DataFrame | None,
                rules: FarmlandRules | None = None, templates: dict[str, str] = FARMLAND_TEMPLATES) -> pd.DataFrame:
    """先补后占 and 以补定占 rows (CHECK_COLUMNS) for the read frames of analysis.farmland_reading."""
    rules = rules or FarmlandRules()
    templates = cited({**FARMLAND_TEMPLATES, **templates}, rules.reason_sources(), templates.get("cite", "{source}"))
    incoming, outgoing = _streams(occupations, supplements, transfers, rules)
    capacity_known = bool(occupations["capacity_kg"].notna().all() and supplements["capacity_kg"].notna().all())
    rows = []
    linked = _linked(occupations)
    if len(linked):
        late_links = _linked_late_rows(occupations.loc[linked], supplements, templates)
        if len(late_links):
            rows.append(late_links)
    judged = set(occupations["county"].dropna()) | set(supplements["county"].dropna())
    for county, out in outgoing.groupby("county", sort=False):
        if county not in judged:  # only transfers name it: what it holds is not in the data (analysis.farmland)
            continue
        inc = incoming[incoming["county"] == county]
        in_dates = inc["date"].to_numpy()
        out_dates = out["date"].to_numpy()
        seen = np.searchsorted(in_dates, out_dates, side="right")  # incoming flows dated on or before each outflow
        excess, late, last = {}, {}, {}
        for ind in INDICATORS:
            supplied = np.concatenate([[0.0], np.cumsum(inc[ind].to_numpy(dtype=float))])
            amount = out[ind].to_numpy(dtype=float)
            used = np.cumsum(amount)
            available = supplied[seen]
            own = np.minimum(used - available, amount)  # the flow's own part beyond the cap
            exceeded = own > tolerance(np.maximum(np.abs(used), np.abs(available)))
            if ind == "capacity_kg" and not capacity_known:
                exceeded[:] = False
            excess[ind] = np.where(exceeded, own, np.nan)
            late[ind], last[ind] = _drawn_late(used, amount, available, supplied)
            if ind == "capacity_kg" and not capacity_known:
                late[ind] = np.zeros(len(out))
        cap = out.assign(**{f"excess_{ind}": excess[ind] for ind in INDICATORS})
        cap = cap[np.isfinite(np.column_stack([excess[i] for i in INDICATORS])).any(axis=1)]
        if len(cap):
            rows.append(_cap_rows(cap, templates))
        if len(inc):
            drawn = np.column_stack([late[ind] for ind in INDICATORS])
            flagged = ((out["layer"].to_numpy() == OCCUPATIONS) & (drawn > 0).any(axis=1)
                       & ~out["fid"].isin(linked).to_numpy())
            if flagged.any():
                # the latest incoming flow any late indicator draws on
                positions = np.column_stack([np.where(late[ind] > 0, last[ind], -1) for ind in INDICATORS])
                source = inc.iloc[positions[flagged].max(axis=1)]
                rows.append(_late_rows(out[flagged], source, drawn[flagged], templates))
    if not rows:
        return pd.DataFrame(columns=list(CHECK_COLUMNS))
    return pd.concat(rows, ignore_index=True)[list(CHECK_COLUMNS)]


def _linked(occupations: pd.DataFrame) -> pd.Index:
    """Feature ids of the occupations that name their supplements."""
    if "supplement_ids" not in occupations:
        return occupations.index[:0]
    return occupations.index[occupations["supplement_ids"].map(bool).to_numpy()]


def _linked_late_rows(occupations: pd.DataFrame, supplements: pd.DataFrame, templates) -> pd.DataFrame:
    """先补后占 by the named supplements: the latest accepted of them (a project in several features: its latest)."""
    accepted = pd.to_datetime(supplements["date"]).groupby(supplements["project_id"]).max()
    pairs = occupations["supplement_ids"].explode()
    dates = pd.Series(accepted.reindex(pairs.to_numpy()).to_numpy(), index=pairs.index)
    frame = pd.DataFrame({"id": pairs.to_numpy(), "date": dates.to_numpy()}, index=pairs.index).dropna()
    if not len(frame):
        return pd.DataFrame(columns=list(CHECK_COLUMNS))
    latest = frame.sort_values("date", kind="stable").groupby(level=0).tail(1)
    approved = pd.to_datetime(occupations.loc[latest.index, "date"])
    late = latest[latest["date"].to_numpy() > approved.to_numpy()]
    if not len(late):
        return pd.DataFrame(columns=list(CHECK_COLUMNS))
    own = occupations.loc[late.index]
    out = own.assign(layer=OCCUPATIONS, fid=own.index, date=pd.to_datetime(own["date"]))
    other = pd.DataFrame({"layer": SUPPLEMENTS, "fid": np.nan, "project_id": late["id"].to_numpy(),
                          "date": late["date"].to_numpy()}, index=out.index)
    first_fid = pd.Series(supplements.index, index=supplements["project_id"]).groupby(level=0).first()
    other["fid"] = first_fid.reindex(other["project_id"]).to_numpy()
    reason = fill(templates["supplement_after_occupation_linked"], out.index, date=out["date"],
                  other=other["project_id"], other_date=other["date"])
    figures = {"mu": own["area_m2"] / M2_PER_MU, "paddy_mu": own["paddy_m2"] / M2_PER_MU,
               "capacity_kg": own["capacity_kg"]}
    return _rows("supplement_after_occupation", out, reason, area_m2=own["area_m2"].to_numpy(), other=other,
                 late=figures)


def _drawn_late(used, amount, available, supplied):
    """FIFO: for each outflow, the quantity drawn from incoming flows dated after it, and the position of the last
    incoming flow it draws on (module docstring)."""
    total = supplied[-1]
    start = used - amount
    end = np.minimum(used, total)
    drawn_late = end - np.maximum(start, available)
    drawn_late = np.where(drawn_late > tolerance(np.abs(end)), drawn_late, 0.0)
    last = np.searchsorted(supplied[1:], end - tolerance(np.abs(end)), side="left")
    return drawn_late, np.minimum(last, max(len(supplied) - 2, 0))


def _amounts(values: dict, index: pd.Index, templates) -> pd.Series:
    """'9.00 亩 cultivated land、2.00 亩 paddy' from {indicator: Series} (NaN or 0: left out)."""
    parts = []
    for ind, decimals in (("mu", 2), ("paddy_mu", 2), ("capacity_kg", 0)):
        amount = pd.Series(values[ind], index=index, dtype=float)
        text = fill(templates[f"excess_{ind}"], index, value=amount.map(f"{{:,.{decimals}f}}".format))
        parts.append(text.where(amount.notna() & (amount > 0), None))
    # a part left out is None, or NaN where pandas 3 made the texts a str column: only texts joined
    return pd.concat(parts, axis=1).apply(
        lambda row: templates["list_separator"].join(v for v in row if isinstance(v, str) and v), axis=1)


def _cap_rows(cap: pd.DataFrame, templates) -> pd.DataFrame:
    index = cap.index
    excess = _amounts({ind: cap[f"excess_{ind}"] for ind in INDICATORS}, index, templates)
    reason = fill(templates["cap_exceeded"], index, date=cap["date"], excess=excess)
    return _rows("cap_exceeded", cap, reason, area_m2=cap["excess_mu"].fillna(0.0) * M2_PER_MU,
                 excess={ind: cap[f"excess_{ind}"] for ind in INDICATORS})


def _late_rows(out: pd.DataFrame, source: pd.DataFrame, drawn_late, templates) -> pd.DataFrame:
    """先补后占 rows: `drawn_late` (rows × INDICATORS) the part of each indicator drawn on later incoming flows,
    `source` the latest of those flows (a supplement, or a transfer named by its giving county)."""
    index = out.index
    source = source.set_axis(index)
    late = {ind: pd.Series(drawn_late[:, k], index=index) for k, ind in enumerate(INDICATORS)}
    amounts = _amounts(late, index, templates)
    by_transfer = (source["layer"] == TRANSFERS).to_numpy()
    reason = fill(templates["supplement_after_occupation"], index, date=out["date"], amounts=amounts,
                  other=source["project_id"], other_date=source["date"])
    if by_transfer.any():
        received = fill(templates["supplement_after_occupation_transfer"], index, date=out["date"], amounts=amounts,
                        other=source["partner"], other_date=source["date"])
        reason = reason.where(~by_transfer, received)
    return _rows("supplement_after_occupation", out, reason, area_m2=late["mu"] * M2_PER_MU, other=source,
                 late=late)


def _rows(check, frame, reason, area_m2, other=None, excess=None, late=None) -> pd.DataFrame:
    n = len(frame)
    out = pd.DataFrame({
        "check": check, "layer": frame["layer"].to_numpy(), "feature_id": frame["fid"].to_numpy(),
        "project_id": frame["project_id"].to_numpy(), "county": frame["county"].to_numpy(),
        "date": frame["date"].to_numpy(),
        "other_layer": other["layer"].to_numpy() if other is not None else None,
        "other_feature_id": other["fid"].to_numpy() if other is not None else np.full(n, np.nan),
        "other_project": other["project_id"].to_numpy() if other is not None else None,
        "other_date": other["date"].to_numpy() if other is not None else np.full(n, np.datetime64("NaT"), "M8[ns]"),
        "area_m2": np.asarray(area_m2, dtype=float), "reason": np.asarray(reason, dtype=object)})
    out["area_mu"] = out["area_m2"] / M2_PER_MU
    for ind in INDICATORS:
        out[f"excess_{ind}"] = excess[ind].to_numpy() if excess is not None else np.nan
        out[f"late_{ind}"] = np.asarray(late[ind], dtype=float) if late is not None else np.nan
    return out


def spatial_checks(occupations: pd.DataFrame, occupation_geometries, supplements: pd.DataFrame,
                   supplement_geometries, protected: dict, rules: FarmlandRules | None = None,
                   templates: dict[str, str] = FARMLAND_TEMPLATES) -> tuple[pd.DataFrame, np.ndarray]:
    """Overlap rows (CHECK_COLUMNS) and their geometries (the overlap itself, for the map). `protected`: {name in
    PROTECTED: clean planar geometries}; a layer not given is not checked. Geometries are clean (None = none)."""
    rules = rules or FarmlandRules()
    templates = cited({**FARMLAND_TEMPLATES, **templates}, rules.reason_sources(), templates.get("cite", "{source}"))
    allowed = Criterion("min_overlap_m2", "overlap_m2", "<=", rules.min_overlap_m2)
    occ_geoms = np.asarray(occupation_geometries, dtype=object)
    sup_geoms = np.asarray(supplement_geometries, dtype=object)
    rows, shapes = [], []

    def add(check, frame, positions, area, geometry, kind, against=None, **values):
        flagged = allowed.fails(area[positions]) if len(positions) else np.zeros(0, dtype=bool)
        positions = positions[flagged]
        if not len(positions):
            return
        sel = frame.iloc[positions].assign(layer=kind, fid=frame.index[positions],
                                           mu=0.0, paddy_mu=0.0, capacity_kg=0.0)
        m2 = pd.Series(area[positions], index=sel.index)
        reason = fill(templates[check], sel.index, m2=m2.map(lambda v: f"{v:,.1f}"),
                      mu=(m2 / M2_PER_MU).map(lambda v: f"{v:,.2f}"), **values)
        rows.append(_rows(check, sel, reason, m2.to_numpy()).assign(other_layer=against))
        shapes.append(np.asarray(geometry, dtype=object)[flagged])

    farmland = protected.get("basic_farmland")
    if farmland is not None and len(occupations):
        pieces = intersect(occ_geoms, prepare_layer(farmland))
        area = pieces.covered_area(len(occ_geoms))
        candidates = np.flatnonzero(area > 0)
        add("occupies_basic_farmland", occupations, candidates, area, pieces.union_by_plan(candidates),
            OCCUPATIONS, "basic_farmland")
    for name in PROTECTED:
        geoms = protected.get(name)
        if geoms is None or not len(supplements):
            continue
        pieces = intersect(sup_geoms, prepare_layer(geoms))
        area = pieces.covered_area(len(sup_geoms))
        candidates = np.flatnonzero(area > 0)
        add("supplement_on_protected", supplements, candidates, area, pieces.union_by_plan(candidates),
            SUPPLEMENTS, name, layer=templates[f"layer_{name}"])
    if len(supplements) > 1:
        _pairs(supplements, sup_geoms, allowed, templates, rows, shapes)
    if not rows:
        return pd.DataFrame(columns=list(CHECK_COLUMNS)), np.zeros(0, dtype=object)
    return pd.concat(rows, ignore_index=True)[list(CHECK_COLUMNS)], np.concatenate(shapes)


def _pairs(supplements, geoms, allowed, templates, rows, shapes) -> None:
    """Supplements overlapping each other: one row per pair, on the later accepted one."""
    pieces = plan_overlaps(geoms)
    once = pieces.plan < pieces.feature
    a, b, area, geometry = pieces.plan[once], pieces.feature[once], pieces.area[once], pieces.geometry[once]
    # several pieces of one pair (multipolygons): sum them per pair
    if len(a):
        key = a.astype(np.int64) * len(geoms) + b
        unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        area = np.bincount(inverse, weights=area)
        geometry = np.array([shapely.union_all(geometry[inverse == k]) if (inverse == k).sum() > 1
                             else geometry[first[k]] for k in range(len(unique))], dtype=object)
        a, b = a[first], b[first]
    flagged = allowed.fails(area)
    a, b, area, geometry = a[flagged], b[flagged], area[flagged], geometry[flagged]
    if not len(a):
        return
    dates = pd.to_datetime(supplements["date"]).to_numpy()
    later_is_b = (dates[b] > dates[a]) | ((dates[b] == dates[a]) & (b > a))
    own = np.where(later_is_b, b, a)
    other = np.where(later_is_b, a, b)
    sel = supplements.iloc[own].assign(layer=SUPPLEMENTS, fid=supplements.index[own])
    other_frame = supplements.iloc[other].assign(layer=SUPPLEMENTS, fid=supplements.index[other])
    m2 = pd.Series(area, index=sel.index)
    reason = fill(templates["supplement_overlap"], sel.index, other=other_frame["project_id"].set_axis(sel.index),
                  other_date=pd.to_datetime(other_frame["date"]).set_axis(sel.index),
                  m2=m2.map(lambda v: f"{v:,.1f}"), mu=(m2 / M2_PER_MU).map(lambda v: f"{v:,.2f}"))
    rows.append(_rows("supplement_overlap", sel, reason, area, other=other_frame))
    shapes.append(geometry)
