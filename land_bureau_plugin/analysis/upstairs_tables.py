"""The upstairs output tables: one row per plan (verdict, reasons, measures) and the long checklist (plan × rule).

Rule results are arrays over all plans; this module writes them as the sentences and columns the result layer and the
panel show, filling the translated templates only for the rows that need them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .messages import fill
from .units import m2_to_mu
from .upstairs_rules import CAUSES, FAIL, PASS, UNCHECKED, PlanData, Rule, RuleResult
from .upstairs_text import ID_SEPARATOR, format_apart, format_numbers

OUTPUT_COLUMNS = ("passed", "failed_rules", "unchecked_rules", "reasons", "far", "area_m2", "area_mu", "area_diff_pct",
                  "farmland_m2", "redline_m2", "outside_boundary_m2", "non_industrial_m2", "overlap_plans",
                  "overlap_m2")


def plans_table(data: PlanData, active: tuple[Rule, ...], results: dict[str, RuleResult],
                 problems: list[pd.Series], templates: dict[str, str], index: pd.Index,
                 verdict: np.ndarray) -> pd.DataFrame:
    """One row per plan. `passed` is the plan's `verdict` (see `verdicts`): 1 passed, 0 failed, empty (NA) not
    checked (未核查) — never printed as 通过."""
    n = len(index)
    positions = pd.RangeIndex(n)
    failed = [(results[r.id].status == FAIL, r.id) for r in active]
    unchecked = [(results[r.id].status == UNCHECKED, r.id) for r in active]
    reasons = list(problems)
    for rule in active:
        reasons.extend(_failure_reasons(results[rule.id], templates, positions))
    reasons.append(_unchecked_reason(active, results, templates, positions))
    numbers = data.numbers
    out = pd.DataFrame({
        "passed": _passed(np.asarray(verdict, dtype=object)),
        "failed_rules": _join_flags(failed, n, ID_SEPARATOR),
        "unchecked_rules": _join_flags(unchecked, n, ID_SEPARATOR),
        "reasons": _join_texts(reasons, positions, templates["separator"]).to_numpy(),
        "far": numbers["far"],
        "area_m2": numbers["area_m2"],
        "area_mu": m2_to_mu(numbers["area_m2"]),
        "area_diff_pct": numbers["area_diff_pct"],
        "farmland_m2": numbers["farmland_m2"],
        "redline_m2": numbers["redline_m2"],
        "outside_boundary_m2": numbers["outside_boundary_m2"],
        "non_industrial_m2": numbers["non_industrial_m2"],
        "overlap_plans": data.texts["overlap_plans"],
        "overlap_m2": numbers["plan_overlap_m2"],
    })
    out.index = index
    return out


def _passed(verdict: np.ndarray) -> np.ndarray:
    """1 / 0 / NA (not checked) as the `passed` column holds them."""
    passed = pd.Series(np.where(verdict == PASS, 1, 0), dtype="Int64")
    return passed.mask(pd.Series(verdict == UNCHECKED, dtype=bool)).to_numpy()


def verdicts(active: tuple[Rule, ...], results: dict[str, RuleResult], undecided: np.ndarray) -> np.ndarray:
    """Each plan's result: FAIL when any rule failed (whatever else is wrong with the plan: a data error in one value
    never hides a conflict found with another); PASS only when every enabled rule was checked and passed and the plan
    is not `undecided` (no usable geometry, a data error in its own values); else UNCHECKED (未核查: nothing failed,
    but not everything could be checked — the reasons name the rules and why). A profile that enables no rule
    passes no plan."""
    n = len(undecided)
    if not active:
        return np.full(n, UNCHECKED, dtype=object)
    failed = np.any([results[r.id].status == FAIL for r in active], axis=0)
    open_ = np.any([results[r.id].status == UNCHECKED for r in active], axis=0) | np.asarray(undecided, dtype=bool)
    return np.where(failed, FAIL, np.where(open_, UNCHECKED, PASS)).astype(object)


def _failure_reasons(result: RuleResult, templates: dict[str, str], positions: pd.Index) -> list[pd.Series]:
    """One filled sentence per failing plan and failure kind; numbers formatted for the failing rows only."""
    parts = []
    for failure in result.failures:
        rows = np.flatnonzero(failure.mask)
        if not len(rows):
            continue
        columns = {name: _text_column(value, rows) for name, value in failure.values.items()}
        threshold = failure.values.get("threshold")
        value = failure.values.get("value")
        if _is_number(threshold) and value is not None and not np.isscalar(value) \
                and np.asarray(value).dtype != object:  # a failing value never reads as its threshold
            columns["value"] = pd.Series(format_apart(np.asarray(value)[rows], threshold), index=rows)
        parts.append(fill(templates[failure.template], positions[rows], **columns))
    return parts


def _unchecked_reason(active: tuple[Rule, ...], results: dict[str, RuleResult], templates: dict[str, str],
                      positions: pd.Index) -> pd.Series:
    """"not checked: height (no value), farmland (layer not given)" for every plan with an unchecked rule."""
    entries = []
    for rule in active:
        cause = results[rule.id].cause
        for key in CAUSES:
            rows = np.flatnonzero(cause == key)
            if len(rows):
                entries.append(fill(templates[f"cause_{key}"], positions[rows], rule=templates[f"rule_{rule.id}"]))
    listed = _join_texts(entries, positions, templates["list_separator"])
    rows = np.flatnonzero((listed != "").to_numpy())
    return fill(templates["not_checked"], positions[rows], rules=listed)


def checks_table(data: PlanData, active: tuple[Rule, ...], results: dict[str, RuleResult],
                  index: pd.Index, templates: dict[str, str]) -> pd.DataFrame:
    """The long table behind the panel's checklist: plan-major, one row per plan and enabled rule, with the source
    each rule rests on (the document, or "local default" with its note)."""
    n, k = len(index), len(active)

    def stacked(values) -> np.ndarray:
        return np.column_stack(values).ravel() if k else np.empty(0, dtype=object)

    return pd.DataFrame({
        "plan": index.repeat(k),
        "plan_id": np.repeat(data.texts["plan_id"], k),
        "rule_id": np.tile(np.array([r.id for r in active], dtype=object), n),
        "status": stacked([results[r.id].status for r in active]),
        "value": stacked([results[r.id].value for r in active]).astype(float),
        "threshold": stacked([np.broadcast_to(np.asarray(results[r.id].threshold, dtype=object), (n,))
                              for r in active]),
        "unit": np.tile(np.array([r.unit for r in active], dtype=object), n),
        "cause": stacked([np.asarray(results[r.id].cause, dtype=object) for r in active]),
        "detail": "",
        "source": np.tile(np.array([r.source.text(templates["local_default"]) for r in active], dtype=object), n),
    })


def judged_on_own_code(checks: pd.DataFrame, data: PlanData, templates: dict[str, str]) -> None:
    """Without a land-use layer the industrial-land rule looks at each plan's own code: its checklist row says so
    and names the code, instead of an area that reads like a measured overlap ("0 m² ≤ 1 m²")."""
    rows = ((checks["rule_id"] == "industrial_land") & (checks["cause"] == "")).to_numpy()
    if not rows.any():
        return
    k = len(checks) // len(data.texts["land_use"])  # plan-major: row r belongs to plan r // k
    labels = checks.index[rows]
    codes = pd.Series(data.texts["land_use"][np.flatnonzero(rows) // k], index=labels)
    checks.loc[rows, "value"] = np.nan
    checks.loc[rows, "threshold"] = templates["own_code_threshold"]
    checks.loc[rows, "unit"] = ""
    checks.loc[rows, "detail"] = fill(templates["own_code_note"], labels, code=codes)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _text_column(value, rows: np.ndarray):
    """A placeholder's value for the given rows, as text: numbers formatted, text as is."""
    if isinstance(value, str):
        return value
    if np.isscalar(value):
        return format_numbers(value)
    value = np.asarray(value)[rows]
    text = value if value.dtype == object else format_numbers(value)
    return pd.Series(text, index=rows)


# Up to this many rows (a live re-check of the plans around an edit), texts are joined in Python: a dozen pandas
# operations per rule cost more than the rows themselves.
FEW_ROWS = 32


def _join_flags(flags: list[tuple[np.ndarray, str]], n: int, separator: str) -> np.ndarray:
    """Per row, the names whose mask is set, joined: ["far", "height"] → "far,height"."""
    if n <= FEW_ROWS:
        return np.array([separator.join(name for mask, name in flags if mask[row]) for row in range(n)] or [],
                        dtype=object)
    parts = [pd.Series(np.where(mask, name, ""), dtype=object) for mask, name in flags]
    return _join_texts(parts, pd.RangeIndex(n), separator).to_numpy()


def _join_texts(parts: list[pd.Series], index: pd.Index, separator: str) -> pd.Series:
    """Join the non-empty parts of each row with `separator`, column-wise (row by row for a few rows)."""
    if len(index) <= FEW_ROWS and index.is_unique and all(part.index.is_unique for part in parts):
        texts: dict = {label: [] for label in index}
        for part in parts:
            for label, value in part.items():
                if isinstance(value, str) and value and label in texts:
                    texts[label].append(value)
        return pd.Series([separator.join(texts[label]) for label in index], index=index, dtype=object)
    out = pd.Series("", index=index, dtype=object)
    for part in parts:
        part = part.reindex(index).fillna("")
        out = out + np.where((out != "") & (part != ""), separator, "") + part
    return out
