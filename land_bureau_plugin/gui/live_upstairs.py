"""Live upstairs check: while the plans layer is edited, each change re-checks the plans it can affect and the
panel's checklist and the red violation pieces follow — the planner sees a plan pass or fail while drawing it.

The rules, readings and overlay are the batch algorithm's (`analysis.upstairs_live` runs `upstairs.evaluate`; the
constraint layers are read and indexed once, by `processing.upstairs.read_constraint`, when live mode starts). This
module only listens and reads:

- the layer's edit signals (featureAdded, featureDeleted, geometryChanged, attributeValueChanged — map tools, the
  attribute form and table, the field calculator, paste and undo/redo all end in these) collect the edited feature
  ids; one check runs when control is back in the event loop (a zero-interval single-shot timer, COALESCE_MS). Every
  edit operation of QGIS emits its whole burst of signals synchronously, inside one call — a field calculator over
  300 features, a paste, an undo of a multi-feature command, a split — so the burst is over before the event loop
  turns again and is checked once, and no wall-clock wait is added to what a planner waits for (a 50 ms debounce did
  the same and was half of the edit → checklist latency). An operation that let the event loop turn half-way would
  be checked in two goes, with the same result. A commit, a rollback or a field added or removed
  re-reads the whole layer (feature ids change on commit).
- features are read through the layer (`read_columns` with a request: the edit buffer applied), in the planar CRS
  and with the curve tolerance the algorithm uses. Nothing is ever written to the plans layer or its edit buffer.
- the violation pieces go to a memory layer this checker owns, written through its provider (no undo stack);
  `stop()` disconnects every signal and removes that layer, so turning live mode off leaves no trace.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

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
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField, qgs_fields, set_aliases
from ..qgis_bridge.styles import apply_style
from ..rules.profile import load_profile, section

COALESCE_MS = 0  # the next turn of the event loop: one operation's signals all arrive before it (module docstring)
LIVE_LAYER_KEY = "land_bureau_live_check"  # custom property marking the checker's own memory layer
LIVE_FIELDS = PLAN_AND_RULE + [ResultField("area_m2", "real", "面积(m²)")]
EDIT_SIGNALS = ("featureAdded", "featureDeleted", "geometryChanged", "attributeValueChanged")
RELOAD_SIGNALS = ("afterCommitChanges", "afterRollBack", "attributeAdded", "attributeDeleted")


class LiveUpstairs(QObject):
    """Live checks of one plans layer. `updated(feature ids)` after each check (the ids whose results changed or
    were removed); `failed(message)` when the layer cannot be checked (the message names layer and cause)."""

    updated = pyqtSignal(object)
    failed = pyqtSignal(str)
    failing_on_save = pyqtSignal(object)  # ["P-7: 容积率, 永久基本农田", …] when plans failing a rule are saved
    commit_refused = pyqtSignal(object)  # the same lines when a save was refused (profile "block", QGIS ≥ 4.0)

    def __init__(self, layer: QgsVectorLayer, constraints: dict, profile_path: str | None = None,
                 land_use_system: str = AUTO, parent=None):
        """constraints: {"farmland", "redline", "urban_boundary", "landuse": layer or None} (CONSTRAINTS names)."""
        super().__init__(parent)
        self.layer, self.constraints = layer, constraints
        profile = load_profile(profile_path or None)
        rules = section(profile, "upstairs", UpstairsRules)
        if land_use_system != AUTO:
            rules = dataclasses.replace(rules, land_use_system=land_use_system)
        self.rules = rules
        self.curve_tolerance_m = section(profile, "geometry", GeometryRules).curve_tolerance_m
        self.live: LivePlans | None = None
        self.pending: set = set()
        self.reload_pending = False
        self.violation_layer: QgsVectorLayer | None = None
        self.pieces_of: dict = {}  # plan fid -> [(feature id in the violation layer, rule id)]
        self.pieces_by_rule: dict = {}  # (plan fid, rule id) -> feature ids in the violation layer: kept with pieces_of
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COALESCE_MS)
        self.timer.timeout.connect(self.check_pending)
        self.connections: list = []

    # --- on and off ---------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Read the constraint layers and every plan once, check them all, show the pieces and start listening.
        False (and `failed` emitted) when the layers cannot be read."""
        try:
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
            self._load_all()
        except Exception as exc:  # noqa: BLE001 — any failure is the user's to read, named, never a traceback
            self.failed.emit(tr("Live check of layer {layer} could not start: {error}").format(
                layer=self.layer.name(), error=exc))
            return False
        self._create_violation_layer()
        self._draw(set(self.live.frame.index))
        for name in EDIT_SIGNALS:
            self._connect(getattr(self.layer, name), self.edited)
        for name in RELOAD_SIGNALS:
            self._connect(getattr(self.layer, name), self.reload)
        self._connect(self.layer.beforeCommitChanges, self.before_commit)
        self._connect(self.layer.willBeDeleted, self.layer_gone)
        self.updated.emit(set(self.live.frame.index))
        return True

    def stop(self) -> None:
        """Disconnect from the layer and remove the violation layer: nothing of live mode stays behind."""
        self.timer.stop()
        for signal, slot in self.connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # the layer is already gone
                pass
        self.connections = []
        if self.violation_layer is not None:
            _remove_layer(self.violation_layer.id())
            self.violation_layer = None
        self.pieces_of, self.pieces_by_rule = {}, {}

    def layer_gone(self) -> None:
        """The plans layer is being removed (perhaps with the whole project): stop listening now, and take the
        violation layer out once the project is done removing — not from inside its removal."""
        layer_id = self.violation_layer.id() if self.violation_layer is not None else None
        self.violation_layer = None
        self.stop()
        if layer_id:
            QTimer.singleShot(0, lambda: _remove_layer(layer_id))

    def before_commit(self, *_args) -> None:
        """Saving (the layer's beforeCommitChanges): the checks are brought up to date first (an edit saved in the
        same event-loop turn counts), then the plans failing a rule are named (`failing_on_save`) unless the
        profile's upstairs.on_save_failing is "off". This signal cannot stop the save: QgsVectorLayer.commitChanges
        emits it and then goes on unless the layer's allowCommit flag is off, and that flag's setter
        (setAllowCommit) is not in the Python bindings; a save refused under "block" never gets here (see
        allow_commit), one that gets here with "block" is one QGIS could not be asked about (a QGIS before 4.0, or
        commitChanges called by a script) and is warned about."""
        self._flush()
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
        self._flush()
        failing = self.failing_text()
        if failing:
            self.commit_refused.emit(failing)
            return False
        return True

    def _flush(self) -> None:
        """Run the check now if edits are waiting for the event loop to turn."""
        if self.pending or self.reload_pending:
            self.timer.stop()
            self.check_pending()

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self.connections.append((signal, slot))

    # --- edits --------------------------------------------------------------------------------------------------
    def edited(self, fid, *_args) -> None:
        self.pending.add(int(fid))
        self.timer.start()

    def reload(self, *_args) -> None:
        self.reload_pending = True
        self.timer.start()

    def check_pending(self) -> None:
        """Re-check what the edits since the last check can change; emit `updated` with the ids redrawn."""
        pending, self.pending = self.pending, set()
        try:
            if self.reload_pending:
                self.reload_pending = False
                before = set(self.live.frame.index) if self.live is not None else set()
                self._load_all()
                touched = before | set(self.live.frame.index)
            else:
                touched = self._update(pending)
        except Exception as exc:  # noqa: BLE001 — named for the user; the next edit tries again
            self.failed.emit(tr("Live check of layer {layer}: {error}").format(layer=self.layer.name(), error=exc))
            return
        self._draw(touched)
        self.updated.emit(touched)

    def _read(self, request: QgsFeatureRequest):
        """The features as the layer holds them now, its edit buffer applied (the layer reads through it)."""
        return read_columns(self.layer, self.field_map, with_geometry=True, target_crs=self.planar, request=request,
                            curve_tolerance_m=self.curve_tolerance_m)

    def _load_all(self) -> None:
        columns = self._read(QgsFeatureRequest())
        self.live = LivePlans(columns.frame, columns.geometries, self.prepared, self.codes, self.rules,
                              translated_templates(), self.field_map)

    def _update(self, fids: set) -> set:
        if not fids:
            return set()
        columns = self._read(QgsFeatureRequest().setFilterFids(sorted(fids)))
        deleted = fids - set(columns.frame.index)
        order = None
        if not set(columns.frame.index) <= set(self.live.frame.index):  # added: where the layer puts them
            request = QgsFeatureRequest().setNoAttributes().setFlags(QgsFeatureRequest.Flag.NoGeometry)
            order = [feature.id() for feature in self.layer.getFeatures(request)]
        return self.live.update(columns.frame, columns.geometries, deleted, order)

    # --- the violation pieces -------------------------------------------------------------------------------------
    def _create_violation_layer(self) -> None:
        layer = QgsVectorLayer(f"MultiPolygon?crs={self.planar.authid()}",
                               tr("Live check: upstairs violations"), "memory")
        layer.dataProvider().addAttributes(qgs_fields(LIVE_FIELDS))
        layer.updateFields()
        set_aliases(layer, LIVE_FIELDS)
        apply_style(layer, "upstairs_violations")
        layer.setCustomProperty(LIVE_LAYER_KEY, self.layer.id())
        project = QgsProject.instance()  # on top of the layer tree: drawn above the farmland it marks, whatever
        project.addMapLayer(layer, False)  # layer the user had selected (where QGIS would insert it)
        project.layerTreeRoot().insertLayer(0, layer)
        self.violation_layer = layer

    def _draw(self, fids: set) -> None:
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
        """"P-7: 容积率, 永久基本农田" per plan failing a rule now, in the UI language."""
        lines = []
        separator = translate_in("reasons", UPSTAIRS_TEMPLATES["list_separator"])
        for fid, rule_ids in self.live.failing().items() if self.live is not None else ():
            name = self.live.frame.at[fid, "plan_id"] if "plan_id" in self.live.frame else None
            name = str(name) if name not in (None, "") and name == name else f"#{fid}"
            lines.append(tr("{plan}: {rules}").format(plan=name, rules=separator.join(map(rule_label, rule_ids))))
        return lines


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


def _remove_layer(layer_id: str) -> None:
    project = QgsProject.instance()
    if project.mapLayer(layer_id) is not None:
        project.removeMapLayer(layer_id)
