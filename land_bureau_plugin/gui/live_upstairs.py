"""Live upstairs check: while the plans layer is edited, each change re-checks the plans it can affect and the
panel's checklist and the red violation pieces follow — the planner sees a plan pass or fail while drawing it.

The rules, readings and overlay are the batch algorithm's (`analysis.upstairs_live` runs `upstairs.evaluate`; the
constraint layers are read and indexed once, by `processing.upstairs.read_constraint`, when live mode starts).
Listening, collecting a burst of edits into one check (a save or rollback among them) and owning the drawn layer are
live mode's shared machinery (gui.live_check); this module reads the plans — through the layer, its edit buffer
applied, in the planar CRS and with the curve tolerance the algorithm uses — and draws the violation pieces into a
memory layer of its own, written through its provider (no undo stack). Nothing is ever written to the plans layer or
its edit buffer; `stop()` removes the pieces' layer with every connection.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import pyqtSignal

from ..analysis.geometry_rules import GeometryRules
from ..analysis.land_use_codes import AUTO
from ..analysis.upstairs_live import LivePlans
from ..analysis.upstairs_rules import UpstairsRules
from ..analysis.upstairs_text import UPSTAIRS_TEMPLATES
from ..i18n import tr, translate_in
from ..processing.upstairs import (
    CONSTRAINTS,
    LANDUSE_ROLE,
    PLAN_AND_RULE,
    ROLE,
    read_constraint,
    rule_label,
    stand_in_fields,
    translated_templates,
)
from ..qgis_bridge.fieldmaps import field_map_of, layer_field_labels
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField, qgs_fields
from ..rules.profile import load_profile, section
from .live_check import COALESCE_MS, LIVE_LAYER_KEY, LiveCheck

LIVE_FIELDS = PLAN_AND_RULE + [ResultField("area_m2", "real", "面积(m²)")]
__all__ = ["COALESCE_MS", "LIVE_LAYER_KEY", "LiveUpstairs", "commit_blocker", "upstairs_rules"]


class LiveUpstairs(LiveCheck):
    """Live checks of one plans layer. `updated(feature ids)` after each check (the ids whose results changed or
    were removed); `failed(message)` when the layer cannot be checked (the message names layer and cause)."""

    failing_on_save = pyqtSignal(object)  # ["P-7: 容积率, 永久基本农田", …] when plans failing a rule are saved
    commit_refused = pyqtSignal(object)  # the same lines when a save was refused (profile "block", QGIS ≥ 4.0)

    def __init__(self, layer: QgsVectorLayer, constraints: dict, profile_path: str | None = None,
                 land_use_system: str = AUTO, parent=None):
        """constraints: {"farmland", "redline", "urban_boundary", "landuse": layer or None} (CONSTRAINTS names)."""
        super().__init__({"plans": layer}, parent)
        self.constraints = constraints
        self.rules, self.curve_tolerance_m = upstairs_rules(profile_path, land_use_system)
        self.live: LivePlans | None = None
        self.prepared = None  # the constraint layers, read and indexed at the start
        self.violation_layer: QgsVectorLayer | None = None
        self.pieces_of: dict = {}  # plan fid -> [(feature id in the violation layer, rule id)]
        self.pieces_by_rule: dict = {}  # (plan fid, rule id) -> feature ids in the violation layer: kept with pieces_of

    # --- on and off ---------------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        """Read and index the constraint layers once, when live mode starts."""
        self.planar = planar_crs_for(self.layer)
        self.field_map = field_map_of(self.layer, ROLE)
        self.field_map.update(stand_in_fields(self.layer, self.field_map))
        layers, codes = {}, None
        for _parameter, name in CONSTRAINTS:
            source = self.constraints.get(name)
            if source is None:
                layers[name] = None
                continue
            field_map = {}
            if name == "landuse":
                code_field = field_map_of(source, LANDUSE_ROLE).get("land_use")
                if not code_field:
                    raise ValueError(tr("Layer {layer}: no land-use code field found (用地性质 / YDXZ / DLBM / "
                                        "land_use …)").format(layer=source.name()))
                field_map = {"land_use": code_field}
            read = read_constraint(source, field_map, self.planar, self.curve_tolerance_m)
            layers[name] = read.prepared
            if name == "landuse":
                codes = read.columns.frame["land_use"].to_numpy(dtype=object)
        self.prepared, self.codes = layers, codes

    def listen(self) -> None:
        self.connect_signal(self.layer.beforeCommitChanges, self.before_commit)

    def rejudge_all(self, rules) -> set:
        """Every plan checked again with `rules` (set_rules), against the constraint layers prepared at the start."""
        before = self.all_ids()
        self.live.rules = rules
        return before | self.live.check_all()

    def forget_layers(self) -> None:
        self.violation_layer = None
        self.pieces_of, self.pieces_by_rule = {}, {}

    def all_ids(self) -> set:
        return set(self.live.frame.index) if self.live is not None else set()

    def known_ids(self, role: str):
        return self.live.frame.index

    def before_commit(self, *_args) -> None:
        """Saving (the layer's beforeCommitChanges): the checks are brought up to date first (an edit saved in the
        same event-loop turn counts), then the plans failing a rule are named (`failing_on_save`) unless the
        profile's upstairs.on_save_failing is "off". This signal cannot stop the save: QgsVectorLayer.commitChanges
        emits it and then goes on unless the layer's allowCommit flag is off, and that flag's setter
        (setAllowCommit) is not in the Python bindings; a save refused under "block" never gets here (see
        allow_commit), one that gets here with "block" is one QGIS could not be asked about (a QGIS before 4.0, or
        commitChanges called by a script) and is warned about."""
        self.flush()
        failing = self.failing_text()
        if failing and self.rules.on_save_failing in ("warn", "block"):
            self.failing_on_save.emit(failing)

    def allow_commit(self, layer) -> bool:
        """Whether QGIS may save `layer` now — asked by the application before it saves edits (QGIS ≥ 4.0: a
        QgsLayerChangesCommitBlockerInterface, see commit_blocker). False, with `commit_refused` naming the plans
        and rules, when the profile says "block" and a plan of this layer fails a rule; the edits stay in the
        buffer, as the user left them."""
        if layer is None or layer.id() != self.layer.id() or self.rules.on_save_failing != "block":
            return True
        self.flush()
        failing = self.failing_text()
        if failing:
            self.commit_refused.emit(failing)
            return False
        return True

    # --- edits --------------------------------------------------------------------------------------------------
    def _read(self, request: QgsFeatureRequest):
        """The features as the layer holds them now, its edit buffer applied (the layer reads through it)."""
        return read_columns(self.layer, self.field_map, with_geometry=True, target_crs=self.planar, request=request,
                            curve_tolerance_m=self.curve_tolerance_m)

    def load_all(self) -> set:
        """The constraint layers read once (at the start), every plan read and checked."""
        before = self.all_ids()
        if self.prepared is None:
            self._prepare()
        columns = self._read(QgsFeatureRequest())
        self.live = LivePlans(columns.frame, columns.geometries, self.prepared, self.codes, self.rules,
                              translated_templates(), layer_field_labels(self.field_map))
        return before | self.all_ids()

    def prepare_update(self, edits: dict):
        fids = edits["plans"]
        if not fids:
            return set
        columns = self._read(QgsFeatureRequest().setFilterFids(sorted(fids)))
        deleted = fids - set(columns.frame.index)
        order = None
        if not set(columns.frame.index) <= set(self.live.frame.index):  # added: where the layer puts them
            order = self.order_of("plans")
        return lambda: self.live.update(columns.frame, columns.geometries, deleted, order)

    # --- the violation pieces -------------------------------------------------------------------------------------
    def create_layers(self) -> None:
        self.violation_layer = self.own_memory_layer(  # on top of the layer tree: above the farmland it marks
            tr("Live check: upstairs violations"), qgs_fields(LIVE_FIELDS), LIVE_FIELDS, "upstairs_violations")

    def draw(self, fids: set) -> None:
        """Replace the pieces of the plans `fids` by their current ones (through the provider: no undo, no edit)."""
        layer = self.violation_layer
        if layer is None or self.live is None:
            return
        old = []
        for fid in fids:
            for piece, rule_id in self.pieces_of.pop(fid, []):
                old.append(piece)
                self.pieces_by_rule.pop((fid, rule_id), None)
        if old:
            layer.dataProvider().deleteFeatures(old)
        results = (self.live.result_of(fid) for fid in fids)
        tables = [result[2] for result in results if result is not None and len(result[2])]
        rows = [row for table in tables for row in table.itertuples(index=False)]
        # WKB, exact and several times quicker than WKT for a 1,000-vertex piece
        wkbs = shapely.to_wkb(np.array([row.geometry for row in rows], dtype=object)) if rows else []
        fields = layer.fields()
        features = []
        for row, wkb in zip(rows, wkbs):
            feature = QgsFeature(fields)
            feature.setAttributes([int(row.plan), row.plan_id or None, row.rule_id, rule_label(row.rule_id),
                                   float(row.area_m2)])
            if wkb is not None:
                geometry = QgsGeometry()
                geometry.fromWkb(wkb)
                feature.setGeometry(geometry)
            features.append(feature)
        if features:
            _ok, added = layer.dataProvider().addFeatures(features)
            for feature in added:
                plan, rule_id = feature.attribute("plan_fid"), feature.attribute("rule_id")
                self.pieces_of.setdefault(plan, []).append((feature.id(), rule_id))
                self.pieces_by_rule.setdefault((plan, rule_id), []).append(feature.id())
        layer.updateExtents()
        layer.triggerRepaint()

    # --- results for the panel and the save warning -------------------------------------------------------------
    def violations_of(self) -> dict:
        """{(plan fid, rule id): feature ids of its pieces in the violation layer}, as the panel zooms to them (the
        checker's own, kept current: not to be changed)."""
        return self.pieces_by_rule

    def failing_text(self) -> list[str]:
        """"P-7: 容积率, 永久基本农田" per plan failing a rule now, in the UI language, each plan named as the checklist
        names it (analysis.upstairs_plans.plan_names): a plan id that more than one plan of the layer has (a pasted
        copy keeps its id) with the plan's feature id — "P-7 (feature 12)" —, listed next to the others with its id
        (where the first of them stands in the layer's order); a plan without an id "#12"."""
        failing = self.live.failing() if self.live is not None else {}
        if not failing:
            return []
        names, ids = self.live.names(), self.live.plan_ids()
        separator = translate_in("reasons", UPSTAIRS_TEMPLATES["list_separator"])
        lines = []
        first = {}  # plan id -> where its first failing plan stands: the plans sharing it listed together
        for position, fid in enumerate(failing):
            first.setdefault(ids.at[fid] or names[fid], position)
        order = sorted(enumerate(failing), key=lambda item: (first[ids.at[item[1]] or names[item[1]]], item[0]))
        for _position, fid in order:
            lines.append(tr("{plan}: {rules}").format(plan=names[fid],
                                                      rules=separator.join(map(rule_label, failing[fid]))))
        return lines


def upstairs_rules(profile_path: str | None, land_use_system: str = AUTO) -> tuple[UpstairsRules, float]:
    """The upstairs rules of the profile at `profile_path` (None: the bundled one) read with the land-use system
    chosen in the panel, and its geometry section's curve tolerance (m). Raises ProfileError."""
    profile = load_profile(profile_path or None)
    rules = section(profile, "upstairs", UpstairsRules)
    if land_use_system != AUTO:
        rules = dataclasses.replace(rules, land_use_system=land_use_system)
    return rules, section(profile, "geometry", GeometryRules).curve_tolerance_m


def commit_blocker(checker: LiveUpstairs):
    """What QGIS 4.0 and later ask before saving a layer's edits from the application (Save Layer Edits, Toggle
    Editing, Save All): a QgsLayerChangesCommitBlockerInterface answering with `checker.allow_commit`, to register
    with iface.registerLayerChangesCommitBlocker. None on a QGIS without that interface: there a plugin cannot
    refuse a save (LiveUpstairs.before_commit says why)."""
    try:
        from qgis.gui import QgsLayerChangesCommitBlockerInterface
    except ImportError:
        return None

    class PlansCommitBlocker(QgsLayerChangesCommitBlockerInterface):
        def allowCommit(self, layer) -> bool:  # noqa: N802 — QGIS's name
            return checker.allow_commit(layer)

    return PlansCommitBlocker()
