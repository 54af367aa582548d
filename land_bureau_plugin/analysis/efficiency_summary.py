"""What is made of a low-efficiency result after the judging: the figures of the report (`summarise`) and one
outline per merge cluster for the map (`cluster_outlines`).

Both read a finished `evaluate` result, so they live apart from the judging and are shared by the processing
algorithm, the panel and the in-database engine.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import shapely

from .efficiency_grading import CLASSES
from .efficiency_reading import district_names
from .overlay import make_polygonal, worker_count
from .units import m2_to_wan_m2


def cluster_outlines(result: pd.DataFrame, parcel_geoms) -> tuple[pd.DataFrame, np.ndarray]:
    """One dissolved outline per merge cluster (并宗再开发 candidate), so a map can draw the group as one shape.

    `parcel_geoms` are the geometries `evaluate` was given (same rows, any CRS; repaired again here). Returns a
    frame (cluster_id, parcels, area_mu, potential_m2), ordered by cluster_id, and the outlines aligned with it.
    One union per cluster (`grouped_unions`): ~80 µs each in GEOS, 8 s for the 102k clusters of a million parcels
    with 70 % of the enterprise parcels low-efficiency — what the panel asks for on every run.
    """
    ids = result["cluster_id"].to_numpy()
    rows = np.flatnonzero(ids > 0)
    frame = (result.iloc[rows].groupby("cluster_id", sort=True)
             .agg(parcels=("low_eff", "size"), area_mu=("area_mu", "sum"), potential_m2=("potential_m2", "sum"))
             .reset_index())
    if not len(rows):
        return frame, np.empty(0, dtype=object)
    geoms, _ = make_polygonal(np.asarray(parcel_geoms, dtype=object)[rows])
    order = np.argsort(ids[rows], kind="stable")
    return frame, grouped_unions(geoms[order], ids[rows][order])


def grouped_unions(geoms: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """`shapely.union_all` of each run of equal `labels` (sorted) over `geoms`, in the order of the runs: the
    outline union_all of that run's array gives, byte for byte (both make one collection of the run's geometries in
    their order and union it).

    Runs of one length go to GEOS as the rows of one array (`union_all(…, axis=1)`), so no Python runs per group,
    and the rows are dealt out over the cores on threads (shapely releases the GIL): the unions, not the Python,
    are the work, and they are independent."""
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]) if len(labels) else np.empty(0, dtype=np.intp)
    sizes = np.diff(np.append(starts, len(geoms)))
    outlines = np.empty(len(starts), dtype=object)
    workers = worker_count()
    tasks = []
    for size in np.unique(sizes):
        which = np.flatnonzero(sizes == size)
        members = geoms[starts[which][:, None] + np.arange(size)]  # one row per run
        for part in np.array_split(np.arange(len(which)), max(1, min(workers * 4, len(which) // 256))):
            tasks.append((which[part], members[part]))

    def union(task) -> None:
        which, members = task
        outlines[which] = shapely.union_all(members, axis=1)

    if workers == 1 or len(tasks) == 1:
        for task in tasks:
            union(task)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(union, tasks))
    return outlines


def summarise(result: pd.DataFrame, parcels: pd.DataFrame | None = None) -> dict:
    """Figures for the report: parcels and 亩 per grade (all grades, zero included, "none" = not graded) and per
    enterprise class with its grades (`per_class`, the classes present), low
    efficiency, potential in 万m² (of all in-scope parcels and of the flagged ones), clusters, modes, the run's
    building counts, `unknown` (how many parcels the 亩 and the low-efficiency potential leave out for want of a
    value), and — when `parcels` has a district column — low efficiency per district (each district's
    `unknown_mu`: its parcels the 亩 leave out, in all and among the low-efficiency ones)."""
    mu = result["area_mu"].fillna(0.0)
    low = (result["low_eff"] == 1).to_numpy()
    report = result.attrs.get("report")
    grades = report.grades if report is not None else tuple(sorted(result["grade"].dropna().unique()))

    def tally(mask) -> dict:
        return {"parcels": int(mask.sum()), "mu": float(mu[mask].sum())}

    grade_is = _masks(result["grade"])
    summary = {
        "parcels": int(len(result)),
        "mu": float(mu.sum()),
        "per_grade": {g: tally(grade_is(g)) for g in grades},
        "low_eff": tally(low),
        "potential_wan_m2": float(m2_to_wan_m2(result["potential_m2"].sum())),
        "low_eff_potential_wan_m2": float(m2_to_wan_m2(result["potential_m2"][low].sum())),
        "clusters": {"count": int(result["cluster_id"].max()) if len(result) else 0,
                     **tally((result["cluster_id"] > 0).to_numpy())},
    }
    mode_is = _masks(result["mode"])
    summary["modes"] = {m: tally(mode_is(m)) for m in result["mode"].unique() if m}
    summary["per_grade"]["none"] = tally(result["grade"].isna().to_numpy())
    # what the 亩 and 万m² above leave out (a parcel's unknown area or potential adds nothing, never a 0 read as known)
    unknown_area = result["area_mu"].isna().to_numpy()
    summary["unknown"] = {"mu": int(unknown_area.sum()), "low_eff_mu": int((unknown_area & low).sum()),
                          "low_eff_potential": int((result["potential_m2"].isna().to_numpy() & low).sum())}
    if "ent_class" in result:  # the enterprise classes (efficiency_grading) and the grades within each
        class_is = _masks(result["ent_class"])
        summary["per_class"] = {
            name: {**tally(class_is(name)),
                   "per_grade": {g: int((class_is(name) & grade_is(g)).sum()) for g in grades}}
            for name in CLASSES if class_is(name).any()}
    if report is not None:
        summary["buildings"] = {
            "storeys_from_height": report.buildings_storeys_from_height,
            "one_storey": report.buildings_one_storey,
            "outside_parcels": report.buildings_outside_parcels,
            "implausible": report.buildings_implausible,
            "repaired": int(len(report.buildings_repaired)),
            "empty": int(len(report.buildings_empty)),
        }
        summary["parcel_geometries"] = {"repaired": int(len(report.parcels_repaired)),
                                        "empty": int(len(report.parcels_empty))}
        summary["buildings"]["parcels_without_building_data"] = report.parcels_without_building_data
        summary["values"] = {"units": dict(report.units),
                             "duplicate_parcel_ids": [str(i) for i in report.duplicate_ids],
                             "suspected_unit_errors": {name: len(labels)
                                                       for name, labels in report.unit_errors.items()}}
        summary["land_use"] = land_use_summary(report.land_use, report.all_industrial)
    if parcels is not None and "district" in parcels:
        named = district_names(parcels)
        district = pd.Series(named.where(named.notna(), "—").to_numpy(), index=result.index)
        district_is = _masks(district)
        summary["per_district"] = {
            name: {**tally(district_is(name)), "unknown_mu": int((unknown_area & district_is(name)).sum()),
                   "low_eff": {**tally(low & district_is(name)),
                               "unknown_mu": int((unknown_area & low & district_is(name)).sum())}}
            for name in sorted(district.unique())}
    return summary


def _masks(values: pd.Series):
    """`is_(value)`: the rows equal to `value`, as a bool array — the column factorised once instead of compared
    in full for each value asked (grades × classes × districts of a million rows)."""
    codes, distinct = pd.factorize(values)
    position = {value: code for code, value in enumerate(distinct)}
    cache: dict = {}

    def is_(value) -> np.ndarray:
        if value not in cache:
            code = position.get(value)
            cache[value] = codes == code if code is not None else np.zeros(len(codes), dtype=bool)
        return cache[value]

    return is_


def land_use_summary(detection, all_industrial: bool) -> dict:
    """How the run decided who is judged, for the log and the printed subtitle: the land-use code system (its key,
    whether the user gave it, each system's share of the values it recognises, systems that read them alike), or
    that every parcel was taken as industrial land (ALL_INDUSTRIAL)."""
    if detection is None:
        return {"system": None, "given": False, "shares": {}, "alike": [], "all_industrial": bool(all_industrial)}
    return {"system": detection.system, "given": detection.given,
            "shares": {key: round(share, 4) for key, share in detection.shares.items()},
            "alike": list(detection.alike), "all_industrial": bool(all_industrial)}
