"""Live upstairs checks: keep every plan's result current while the plans are edited, re-checking only what an edit
can change. Pure pandas / numpy / shapely.

Why not just rerun `upstairs.evaluate` on the whole layer after each edit: against 500,000 farmland patches a whole
run costs seconds, an edit must show within a tenth of one. Why not run it on the edited plan alone: some results of
a plan depend on other plans, and a plan checked alone would differ from the batch run. What crosses plans, and how
this module keeps it equal to a batch run on the layer's current state (tests/unit/test_upstairs_live.py holds it to
that after random edit sequences):

- plan_overlap and the overlap_plans names: a plan is re-checked together with every plan its geometry meets; a
  plan moved away from (or onto) others makes those others affected too — their overlap changed.
- a repeated plan id (a reason, and the plan's name: "P-7 (feature 12)", upstairs_plans.plan_names): plans sharing
  the old or the new id of an edited plan are affected, and so are the plans they overlap (their overlap_plans name
  them); a plan is checked together with every plan of its id and of the ids of the plans it meets.
- a far column in percent and the land-use code system are decided on the whole column (analysis.plausibility,
  analysis.land_use_codes): they are decided here on all plans and handed to the run as the profile's far_unit /
  land_use_system; when an edit changes either decision, every plan is checked again.

The evaluation itself is `upstairs.evaluate` — the same rule objects, readings and overlay as the batch algorithm —
run on the affected plans and their neighbours, with the constraint layers prepared once (`upstairs_overlay.Layer`).
Results are kept by feature id: `plans` (OUTPUT_COLUMNS), `checks` and `violations` as `evaluate` returns them, the
plan_overlap violations' `features` turned from positions into feature ids.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import shapely

from . import upstairs_overlay as overlay
from .land_use_codes import AUTO as LAND_USE_AUTO
from .land_use_codes import LandUseSystemError, detect_system, normalise_codes
from .live_cache import object_array, upsert
from .numbers import read_field
from .plausibility import AUTO, PERCENT, RATIO, percent_column
from .upstairs import UpstairsResult, evaluate
from .upstairs_plans import far_basis, plan_names, read_plans, text_values
from .upstairs_rules import DEFAULT_RULES, UpstairsRules
from .upstairs_text import UPSTAIRS_TEMPLATES


class LivePlans:
    """The plans as the layer holds them now (attributes and planar geometry by feature id) and their results.

    layers: {"farmland", "redline", "urban_boundary", "landuse": upstairs_overlay.Layer or None}, prepared once.
    """

    def __init__(self, frame: pd.DataFrame, geometries, layers: dict, landuse_codes=None,
                 rules: UpstairsRules = DEFAULT_RULES, templates: dict[str, str] = UPSTAIRS_TEMPLATES,
                 field_labels: dict[str, str] | None = None):
        self.layers, self.landuse_codes, self.rules = layers, landuse_codes, rules
        self.templates, self.field_labels = templates, field_labels or {}
        self.frame = frame.astype(object)  # values as read; each run infers the columns' types as a batch read does
        self.geometry = pd.Series(object_array(geometries), index=frame.index, dtype=object)
        self.clean = pd.Series(overlay.clean_polygons(self.geometry.to_numpy()).geometry, index=frame.index,
                               dtype=object)
        self.resolved: UpstairsRules | None = None
        self._tree: shapely.STRtree | None = None  # over self.clean; built when first needed after a change
        self._ids: pd.Series | None = None  # plan ids as text, by feature id; likewise
        # Results are kept as the runs returned them (chunks) and where each plan's latest result lies: an edit costs
        # the plans it re-checks, not the 10,000 others; whole tables are put together only when asked for.
        self._chunks: list[_Chunk] = []
        self._where: dict = {}  # feature id -> the chunk holding its latest result
        self._failing: dict = {}  # feature id -> rule ids it fails now (kept with _where: counting costs no pass)
        self._open: set = set()  # feature ids of the plans not checked now (未核查: nothing failed, something open)
        self._tables: tuple | None = None
        self.active = ()
        self.check_all()

    # --- what changed --------------------------------------------------------------------------------------------
    def check_all(self) -> set:
        """Every plan checked again (at start, after a reload, or when a whole-column decision moved)."""
        self.resolved = self._resolve()
        result = self._evaluate(self.frame.index)
        chunk = _Chunk(result.plans, result.checks, self._with_fids(result))
        self._chunks, self._where, self._tables = [chunk], dict.fromkeys(result.plans.index, chunk), None
        self._failing = dict(chunk.failing)
        self._open = set(chunk.open)
        self.active = result.rules
        return set(self.frame.index)

    def update(self, frame: pd.DataFrame, geometries, deleted=(), order=None) -> set:
        """Take the current state of the edited features (`frame` and `geometries`: added or changed, by feature id)
        and the ids of deleted ones; re-check what they can change. Returns the feature ids whose results changed
        or were removed (the ones the panel must redraw).

        order: every current feature id in the order the layer hands its features over (a layer in edit mode puts
        added features first), when features were added: a batch run reads them in that order, and the names in
        overlap_plans follow it."""
        deleted = [fid for fid in deleted if fid in self.frame.index and fid not in frame.index]
        changed = list(frame.index) + deleted
        old = [fid for fid in changed if fid in self.frame.index]
        renamed = self._same_ids(old)  # a plan's name depends on its id being shared (plan_names)
        before = set(self._neighbours(self.clean.loc[old].to_numpy())) | renamed
        self._store(frame, geometries, deleted)
        if order is not None and set(order) == set(self.frame.index):
            order = pd.Index(list(order))
            self.frame, self.geometry, self.clean = (self.frame.loc[order], self.geometry.loc[order],
                                                     self.clean.loc[order])
            self._tree, self._ids = None, None
        current = [fid for fid in frame.index]
        affected = set(changed) | before | set(self._neighbours(self.clean.loc[current].to_numpy()))
        renamed |= self._same_ids(current)
        affected |= renamed
        # the plans a renamed plan overlaps name it in their overlap_plans
        renamed = [fid for fid in self.frame.index[self.frame.index.isin(list(renamed))]]
        affected |= set(self._neighbours(self.clean.loc[renamed].to_numpy()))
        try:
            resolved = self._resolve()
        except LandUseSystemError:  # the whole column cannot be read (as a batch run would say): all open again
            self.resolved = None
            raise
        if resolved != self.resolved:
            self._drop(set(self._where))
            return self.check_all() | set(deleted)
        affected_now = list(self.frame.index[self.frame.index.isin(list(affected))])  # in plan order
        self._drop(affected)
        if affected_now:
            self._merge(affected_now)
        return affected

    def _store(self, frame: pd.DataFrame, geometries, deleted) -> None:
        """The cache becomes the layer's current state: deleted rows out, changed rows replaced, added rows last."""
        self._tree = None
        if len(deleted):
            keep = ~self.frame.index.isin(deleted)
            self.frame, self.geometry, self.clean = self.frame[keep], self.geometry[keep], self.clean[keep]
        if self._ids is not None:  # kept up to date rather than read again from 10,000 rows
            gone = [fid for fid in (*deleted, *frame.index) if fid in self._ids.index]
            ids = self._ids.drop(index=gone)
            if len(frame) and "plan_id" in frame:
                ids = pd.concat([ids, pd.Series(text_values(frame["plan_id"]), index=frame.index, dtype=object)])
            self._ids = ids
        if not len(frame):
            return
        frame = frame.astype(object)
        geometry = pd.Series(object_array(geometries), index=frame.index, dtype=object)
        clean = pd.Series(overlay.clean_polygons(geometry.to_numpy()).geometry, index=frame.index, dtype=object)
        self.frame = upsert(self.frame, frame)
        self.geometry = upsert(self.geometry, geometry)
        self.clean = upsert(self.clean, clean)

    def _neighbours(self, geometries: np.ndarray) -> np.ndarray:
        """Feature ids of the current plans whose (clean) geometry meets any of `geometries`."""
        geometries = geometries[~shapely.is_missing(geometries)] if len(geometries) else geometries
        if not len(geometries) or not len(self.clean):
            return np.empty(0, dtype=object)
        if self._tree is None:
            self._tree = shapely.STRtree(self.clean.to_numpy())
        _, hit = self._tree.query(geometries, predicate="intersects")
        return self.clean.index.to_numpy()[np.unique(hit)]

    def _same_ids(self, fids) -> set:
        """Plans sharing a plan id with any of `fids` (their "used more than once" reason depends on each other)."""
        if "plan_id" not in self.frame or not len(fids):
            return set()
        if self._ids is None:
            self._ids = pd.Series(text_values(self.frame["plan_id"]), index=self.frame.index)
        ids = self._ids
        wanted = set(ids.reindex(fids).dropna()) - {""}
        return set(ids.index[ids.isin(wanted)])

    # --- running ----------------------------------------------------------------------------------------------
    def _merge(self, affected: list) -> None:
        """Check the affected plans together with the plans they meet and share ids with; keep the affected ones'."""
        around = set(affected) | set(self._neighbours(self.clean.loc[affected].to_numpy()))
        around |= self._same_ids(list(around))  # the plans named in overlap_plans named as a whole run names them
        rows = list(self.frame.index[self.frame.index.isin(list(around))])
        try:
            result = self._evaluate(pd.Index(rows, name=self.frame.index.name))
        except LandUseSystemError:  # the few plans read alone in the resolved system: read them all, as a batch does
            result = self._evaluate(self.frame.index)
        keep = set(affected)
        violations = self._with_fids(result)
        chunk = _Chunk(result.plans[result.plans.index.isin(keep)],
                       result.checks[result.checks["plan"].isin(keep)].reset_index(drop=True),
                       violations[violations["plan"].isin(keep)].reset_index(drop=True))
        self._chunks.append(chunk)
        self._where.update(dict.fromkeys(chunk.plans.index, chunk))
        for fid in chunk.plans.index:
            self._failing.pop(fid, None)
            self._open.discard(fid)
        self._failing.update(chunk.failing)
        self._open |= chunk.open
        self._tables = None

    def _drop(self, fids) -> None:
        for fid in fids:
            self._where.pop(fid, None)
            self._failing.pop(fid, None)
            self._open.discard(fid)
        self._tables = None

    def _evaluate(self, fids: pd.Index) -> UpstairsResult:
        stored = self.frame.loc[fids]
        frame = pd.DataFrame({name: stored[name].tolist() for name in stored.columns}, index=stored.index,
                             columns=stored.columns)
        return evaluate(self.geometry.loc[fids].to_numpy(), frame, rules=self.resolved, templates=self.templates,
                        field_labels=self.field_labels, landuse_codes=self.landuse_codes, **self.layers)

    def _with_fids(self, result: UpstairsResult) -> pd.DataFrame:
        """The violations with plan_overlap's `features` as feature ids of the other plans (positions in a partial
        run mean nothing outside it)."""
        table = result.violations.copy()
        if len(table):
            labels = result.plans.index.to_numpy()
            overlap = (table["rule_id"] == "plan_overlap").to_numpy()
            table.loc[overlap, "features"] = pd.Series(
                [tuple(labels[list(positions)].tolist()) for positions in table.loc[overlap, "features"]],
                index=table.index[overlap], dtype=object)
        return table

    def _resolve(self) -> UpstairsRules:
        """The profile with the whole-column decisions taken on all plans (see the module docstring)."""
        rules = self.rules
        if rules.far_unit == AUTO and "far" in self.frame:
            reading = read_field(self.frame["far"].reset_index(drop=True), "far")
            written = reading.percent.reset_index(drop=True)
            percent = percent_column(reading.values.reset_index(drop=True), written, rules.ratio_limit("far"), AUTO)
            rules = dataclasses.replace(rules, far_unit=PERCENT if (percent & ~written).any() else RATIO)
        if (rules.land_use_system == LAND_USE_AUTO and self.layers.get("landuse") is None
                and "land_use" in self.frame and "industrial_land" in rules.rules):
            codes = pd.Series(text_values(self.frame["land_use"]), dtype=object)
            codes = normalise_codes(codes.where(codes != "", None))
            if codes.notna().any():
                rules = dataclasses.replace(rules, land_use_system=detect_system(codes, LAND_USE_AUTO).system)
        return rules

    # --- results ------------------------------------------------------------------------------------------------
    def result_of(self, fid) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame] | None:
        """(plans row, checks rows, violations rows) of one plan, None when it has none (deleted): what the panel
        redraws after an edit, without putting the whole tables together."""
        chunk = self._where.get(fid)
        return None if chunk is None else chunk.of(fid)

    def failing(self) -> dict:
        """{feature id: [rule ids failed]} of the plans that fail a rule now, in plan order (for the panel's filter
        and the warning on saving)."""
        failing = self._failing
        return {fid: failing[fid] for fid in self.frame.index if fid in failing}

    def verdict_counts(self) -> dict[str, int]:
        """{"plans", "passed", "failed", "not_checked"} now, as a batch run's summary counts them (no pass over all
        plans): a plan fails when a rule fails, is not checked (passed empty) when nothing failed and something
        could not be checked, else passes."""
        plans, failed, open_ = len(self._where), len(self._failing), len(self._open)
        return {"plans": plans, "passed": plans - failed - open_, "failed": failed, "not_checked": open_}

    def far_basis(self, fid) -> pd.Series | None:
        """What the plan `fid`'s FAR is checked on (upstairs_plans.far_basis: far, from_floor_area, floor_area,
        area_m2, field_far, differs), read as a run reads it — the far column's unit decided on all plans; None when
        the plan is not in the layer."""
        if fid not in self.frame.index:
            return None
        # only what FAR is made of is read (the other number fields taken as absent)
        stored = self.frame.loc[[fid], [name for name in ("far", "building_area") if name in self.frame]]
        frame = pd.DataFrame({name: stored[name].tolist() for name in stored.columns}, columns=stored.columns)
        clean = overlay.clean_polygons(self.geometry.loc[[fid]].to_numpy())
        rules = self.resolved or self.rules
        data, _ = read_plans(frame, clean, {**UPSTAIRS_TEMPLATES, **self.templates}, self.field_labels,
                             pd.Index([fid]), rules, fields=("far", "building_area"))
        return far_basis(data, rules).iloc[0]

    def plan_ids(self) -> pd.Series:
        """The plans' ids as text by feature id, "" for a plan without one."""
        if "plan_id" not in self.frame:
            return pd.Series("", index=self.frame.index, dtype=object)
        if self._ids is None:
            self._ids = pd.Series(text_values(self.frame["plan_id"]), index=self.frame.index)
        return self._ids.reindex(self.frame.index).fillna("")

    def names(self) -> dict:
        """{feature id: how the plan is named} — its id, "#12" without one, "P-7 (feature 12)" for an id more than
        one plan has (upstairs_plans.plan_names, as the batch run names them)."""
        template = self.templates.get("plan_of_feature", UPSTAIRS_TEMPLATES["plan_of_feature"])
        return dict(zip(self.frame.index, plan_names(self.plan_ids().to_numpy(dtype=object), self.frame.index,
                                                     template)))

    def fails(self, fid) -> bool:
        """Whether the plan `fid` fails a rule now."""
        return fid in self._failing

    @property
    def plans(self) -> pd.DataFrame:
        """OUTPUT_COLUMNS of every plan, by feature id in the layer's order."""
        return self._built()[0]

    @property
    def checks(self) -> pd.DataFrame:
        """One row per plan and rule, plan-major in the layer's order, as `upstairs.evaluate` gives them."""
        return self._built()[1]

    @property
    def violations(self) -> pd.DataFrame:
        return self._built()[2]

    def _built(self) -> tuple:
        """The whole tables from the latest result of each plan, in plan order; kept until the next edit, and the
        chunks replaced by them (so they do not pile up)."""
        if self._tables is None:
            live = [chunk for chunk in self._chunks if any(self._where.get(fid) is chunk for fid in chunk.plans.index)]
            parts = []
            for chunk in live:
                current = np.array([self._where.get(fid) is chunk for fid in chunk.plans.index], dtype=bool)
                fids = set(chunk.plans.index[current])
                parts.append((chunk.plans[current], chunk.checks[chunk.checks["plan"].isin(fids)],
                              chunk.violations[chunk.violations["plan"].isin(fids)]))
            if not parts:
                parts = [(self._chunks[0].plans.iloc[:0], self._chunks[0].checks.iloc[:0],
                          self._chunks[0].violations.iloc[:0])] if self._chunks else []
            plans = _ordered(_concat_all([p[0] for p in parts]), self.frame.index)
            checks = _ordered_rows(_concat_all([p[1] for p in parts]).reset_index(drop=True), self.frame.index)
            violations = _ordered_rows(_concat_all([p[2] for p in parts]).reset_index(drop=True), self.frame.index)
            self._tables = (plans, checks, violations)
            chunk = _Chunk(plans, checks, violations)
            self._chunks, self._where = [chunk], dict.fromkeys(plans.index, chunk)
        return self._tables


class _Chunk:
    """The results of one run (only the plans it was asked to keep), with each plan's rows found once."""

    def __init__(self, plans: pd.DataFrame, checks: pd.DataFrame, violations: pd.DataFrame):
        self.plans, self.checks, self.violations = plans, checks, violations
        self.check_rows = checks.groupby("plan", sort=False).indices if len(checks) else {}
        self.violation_rows = violations.groupby("plan", sort=False).indices if len(violations) else {}
        failed = checks[checks["status"] == "fail"] if len(checks) else checks
        self.failing = ({fid: list(group["rule_id"]) for fid, group in failed.groupby("plan", sort=False)}
                        if len(failed) else {})
        self.open = set(plans.index[plans["passed"].isna()]) if len(plans) else set()

    def of(self, fid) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
        return (self.plans.loc[fid], self.checks.iloc[self.check_rows.get(fid, [])],
                self.violations.iloc[self.violation_rows.get(fid, [])])


def _concat_all(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one after the other (empty ones left out: their column types would decide nothing)."""
    full = [frame for frame in frames if len(frame)]
    if not full:
        return frames[0]
    return full[0] if len(full) == 1 else pd.concat(full)


def _ordered(table: pd.DataFrame, order: pd.Index) -> pd.DataFrame:
    return table.loc[[fid for fid in order if fid in table.index]]


def _ordered_rows(table: pd.DataFrame, order: pd.Index) -> pd.DataFrame:
    """Rows (one or more per plan, column `plan`) in plan order, each plan's rows in their own order."""
    if not len(table):
        return table
    rank = pd.Series(np.arange(len(order)), index=order)
    key = table["plan"].map(rank).to_numpy()
    return table.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)
