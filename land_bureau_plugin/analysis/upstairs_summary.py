"""The upstairs figures leadership reports (宗, 亩, 万m², average FAR, passed / failed, per district) and the counts
a log needs to say which features to fix (per rule, repaired / empty geometry, bad values, repeated ids).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .units import m2_to_mu, m2_to_wan_m2
from .upstairs_plans import text_values
from .upstairs_rules import FAIL, PASS, UNCHECKED, PlanData
from .upstairs_text import figures


def summarise(land_m2, floor_area_m2, verdict, districts: pd.Series | None = None, unchecked=None,
              no_geometry=None, data_error=None) -> dict:
    """The figures leadership reports, overall and per district.

    plans (宗), land_m2 / land_mu (亩), floor_area_m2 / floor_area_wan_m2 (万m²), average_far = total floor area /
    total land area of the plans whose floor and land area are both known (plans without one are counted in
    without_floor_area / without_land_area).
    `verdict` is each plan's PASS / FAIL / UNCHECKED (upstairs_tables.verdicts): passed + failed + not_checked =
    plans. A plan passes only when every enabled rule was checked; not_checked counts the plans where nothing failed
    but something could not be checked (未核查). with_unchecked counts every plan with a rule not checked, failed ones
    included; no_geometry (plans without usable geometry) and data_error (plans with a data error in their own
    values) count those problems — such a plan is never passed, and is failed only when another rule failed. The
    totals are those of the known areas: without_land_area and without_floor_area count the plans left out, and the
    `figures` sentence names them.
    """
    no_land = np.isnan(np.asarray(land_m2, dtype=float))
    land = np.nan_to_num(np.asarray(land_m2, dtype=float))
    floor = np.asarray(floor_area_m2, dtype=float)
    verdict = np.asarray(verdict, dtype=object)
    unchecked = np.zeros(len(land), bool) if unchecked is None else np.asarray(unchecked, dtype=bool)
    apart = np.zeros(len(land), bool) if no_geometry is None else np.asarray(no_geometry, dtype=bool)
    wrong = np.zeros(len(land), bool) if data_error is None else np.asarray(data_error, dtype=bool)
    summary = _totals(land, floor, verdict, unchecked, apart, wrong, no_land)
    if districts is not None:
        names = pd.Series(text_values(pd.Series(np.asarray(districts, dtype=object))))
        names = names.where(names != "", "—").to_numpy()
        summary["per_district"] = {str(name): _totals(land[rows], floor[rows], verdict[rows], unchecked[rows],
                                                      apart[rows], wrong[rows], no_land[rows])
                                   for name, rows in _groups(names)}
    return summary


def _totals(land: np.ndarray, floor: np.ndarray, verdict: np.ndarray, unchecked: np.ndarray,
            apart: np.ndarray, wrong: np.ndarray, no_land: np.ndarray) -> dict:
    known_floor = ~np.isnan(floor)
    floor_total = float(floor[known_floor].sum())
    both = known_floor & ~no_land  # the average FAR of the plans whose land and floor area are both known: a plan
    land_with_floor = float(land[both].sum())  # of unknown land would add its floor area over no land
    return {
        "plans": int(len(land)),
        "land_m2": float(land.sum()),
        "land_mu": float(m2_to_mu(land.sum())),
        "floor_area_m2": floor_total,
        "floor_area_wan_m2": float(m2_to_wan_m2(floor_total)),
        "average_far": float(floor[both].sum()) / land_with_floor if land_with_floor > 0 else None,
        "passed": int((verdict == PASS).sum()),
        "failed": int((verdict == FAIL).sum()),
        "not_checked": int((verdict == UNCHECKED).sum()),
        "no_geometry": int(apart.sum()),
        "data_error": int(wrong.sum()),
        "with_unchecked": int(unchecked.sum()),
        "without_floor_area": int((~known_floor).sum()),
        "without_land_area": int(no_land.sum()),
        "figures": figures(len(land), m2_to_mu(land.sum()), m2_to_wan_m2(floor_total),
                           land_unknown=int(no_land.sum()), floor_unknown=int((~known_floor).sum())),
    }


def _groups(names: np.ndarray):
    """(name, row positions) per distinct name, in sorted order."""
    order = np.argsort(names, kind="stable")
    distinct, starts = np.unique(names[order], return_index=True)
    return zip(distinct, np.split(order, starts[1:]))


def land_for_summary(data: PlanData) -> np.ndarray:
    """Drawn area, or the declared one where the plan has no geometry."""
    area = data.numbers["area_m2"]
    return np.where(np.isnan(area), data.numbers["declared_area"], area)


def diagnostics(active, results, clean, data, layers, index: pd.Index) -> dict:
    """Counts per rule and what was wrong with the data; `problem_plans` names the plans (by the caller's index
    labels) so a log can say which features to fix."""
    plan_ids = data.texts["plan_id"]
    duplicated = pd.Series(plan_ids[plan_ids != ""]).duplicated(keep=False)

    def labels(mask) -> list:
        return index[np.asarray(mask, dtype=bool)].tolist()

    return {
        "problem_plans": {"repaired": labels(clean.repaired), "empty": labels(clean.empty),
                          "no_plan_id": labels(plan_ids == ""),
                          "bad_values": {name: labels(mask) for name, mask in data.bad_values.items()},
                          "percent_values": {name: labels(mask) for name, mask in data.percent_values.items()
                                             if np.any(mask)}},
        "per_rule": {r.id: {s: int((results[r.id].status == s).sum()) for s in (PASS, FAIL, UNCHECKED)}
                     for r in active},
        # why each rule was not checked, and for how many plans: {rule id: {cause: plans}} (rules left open only)
        "unchecked_causes": {r.id: {str(c): int(k) for c, k in zip(*np.unique(
            np.asarray(results[r.id].cause[results[r.id].status == UNCHECKED], dtype=str), return_counts=True))}
            for r in active if (results[r.id].status == UNCHECKED).any()},
        "geometry_repaired": int(clean.repaired.sum()),
        "geometry_empty": int(clean.empty.sum()),
        "duplicate_plan_ids": sorted(set(pd.Series(plan_ids[plan_ids != ""])[duplicated.to_numpy()])),
        "layers": {name: {"features": layer.size, "repaired": len(layer.repaired), "empty": len(layer.empty)}
                   for name, layer in layers.items() if layer is not None},
    }
