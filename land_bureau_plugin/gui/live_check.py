"""Live mode, the part every panel shares: while layers are edited, each change is collected and the panel's checker
re-judges what it can affect — the planner sees the result follow the drawing. The upstairs panel
(gui.live_upstairs) and the low-efficiency panel (gui.live_efficiency) are the two checkers; this module only
listens, collects, reads and owns:

- the edit signals of every watched layer (featureAdded, featureDeleted, geometryChanged, attributeValueChanged —
  map tools, the attribute form and table, the field calculator, paste and undo/redo all end in these) collect the
  edited feature ids per layer; one check runs when control is back in the event loop (a zero-interval single-shot
  timer, COALESCE_MS). Every edit operation of QGIS emits its whole burst of signals synchronously, inside one call
  — a field calculator over 300 features, a paste, an undo of a multi-feature command, a split — so the burst is
  over before the event loop turns again and is checked once, and no wall-clock wait is added to what a planner
  waits for (a 50 ms debounce did the same and was half of the edit → checklist latency). An operation that let the
  event loop turn half-way would be checked in two goes, with the same result.
- saving and rolling back are edits like the others, not a reason to read 100,000 features again (that held the
  main thread ~11 s): just before (beforeCommitChanges, beforeRollBack) the ids the edit buffer holds — added,
  deleted, changed attributes or geometry — are noted, and once it is over (afterCommitChanges, afterRollBack, or
  the next turn of the event loop for a save that failed and emits no after-signal) those features are read again
  as edited. A rollback undoes every edit command, and each undo emits its edit signal; a save hands the added
  features their provider ids, emitting featureDeleted(temporary id) and featureAdded(new id); what the provider
  made of the saved values (a width, a precision, a type) is read back. After a save, the layer's feature ids in
  its order are compared with the checker's (`kept_order`): a feature neither known nor edited (part of a failed
  save left in the provider), a known one gone, or the known ones in another order (a provider handing its rows
  over in a new order after an UPDATE) — and everything is read again, as it is when the layer's fields change
  (attributeAdded, attributeDeleted), when its provider's data changed under it (dataChanged: a shapefile repacked
  on saving renumbers its features), or when the layer edits in a transaction (its edit buffer lists nothing).
- features are read through the layer (`read_columns` with a request: the edit buffer applied). Nothing is ever
  written to a watched layer or its edit buffer. An edited value its field cannot store (text in a number field,
  put there by a script) is refused as a batch run refuses the layer, with the same message (`refusal`):
  the results stay, and the edits are judged with the next one once it is corrected.
- the layers the checker draws are memory layers it owns (`own_layer`), written through their providers (no undo
  stack); `stop()` disconnects every signal and removes them, so turning live mode off leaves no trace.
- rules edited in the panel while live mode is on (`set_rules`) are a check of their own: every feature judged again
  with them on the next turn, from what the checker holds (nothing read again), threaded like any check.
- a checker whose judgement takes long (THREADED: the low-efficiency one re-judges whole districts) reads the edited
  features on the main thread — QGIS's layers belong to it — and judges in a worker thread, so editing goes on while
  it works: the map tools, the form and the table stay responsive. Edits made meanwhile are collected and judged
  together once it is done (`busy` until then); the result is taken back on the main thread (a timer looks every
  POLL_MS), which draws it and emits `updated`. `stop()` waits for a running judgement before it cleans up.
- a threaded checker starts the same way: the layers are read on the main thread (`prepare_load`), and the first
  judgement of everything and its drawing are worked out in the worker thread (`starting` until it is in), the
  edit signals connected from the read on — so edits made while it starts are collected, and once the first
  judgement is in they are read and judged with its drawing: the first result announced holds them. Turning live
  mode on held the main thread ~8 s at 100,000 parcels when all of it ran there.
- what a threaded judgement changed is written to the own layers in slices of at most WRITE_BUDGET_MS, one per
  turn of the event loop (`writing` until the last, which emits `updated`): a district re-ranked or the clusters
  renumbered change thousands of the result layer's rows, ~0.1 s of the memory provider's time at 100,000 parcels,
  and editing would wait for all of it at once.

A checker says what to read and judge: `load_all()` (everything, at start and after a reload; a threaded checker
`prepare_load()`: the read, and the judgement left for the worker thread), `update(edits)`
({role: feature ids} → the ids of the main layer whose results changed), `known_ids(role)`, `create_layers()` and
`draw(ids)`.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QMetaType, QObject, QTimer, pyqtSignal

from ..i18n import tr
from ..qgis_bridge.field_types import has_type
from ..qgis_bridge.results import set_aliases
from ..qgis_bridge.styles import apply_style
from ..qgis_bridge.writing import filled_on_save, unstorable

COALESCE_MS = 0  # the next turn of the event loop: one operation's signals all arrive before it (module docstring)
LIVE_LAYER_KEY = "land_bureau_live_check"  # custom property marking a checker's own memory layer
EDIT_SIGNALS = ("featureAdded", "featureDeleted", "geometryChanged", "attributeValueChanged")
RELOAD_SIGNALS = ("attributeAdded", "attributeDeleted", "dataChanged")
SAVE_SIGNALS = (("beforeCommitChanges", "afterCommitChanges", True), ("beforeRollBack", "afterRollBack", False))
POLL_MS = 5  # how often the main thread looks whether a threaded judgement is done
WRITE_BUDGET_MS = 20  # the main thread's time per turn of the event loop writing a threaded judgement's drawing


class LiveCheck(QObject):
    """Live checks of the layers `watched` ({role: layer}, the first the main one, whose feature ids `updated`
    names). `updated(feature ids)` after each check (the ids whose results changed or were removed); `failed(message)`
    when the layers cannot be checked (the message names layer and cause)."""

    updated = pyqtSignal(object)
    failed = pyqtSignal(str)
    THREADED = False  # judge in a worker thread (module docstring)

    def __init__(self, watched: dict, parent=None):
        super().__init__(parent)
        self.watched = {role: layer for role, layer in watched.items() if layer is not None}
        self.main_role = next(iter(self.watched))
        self.layer = self.watched[self.main_role]
        self.edits: dict = {role: set() for role in self.watched}
        self.reload_pending = False
        self.rejudge_pending = False  # the rules changed: everything judged again with them (`set_rules`)
        self.held = None  # (edits, verify, rejudge, reload) of a check refused for a value no field can store
        self.suspects: dict = {}  # (role, fid, field index) -> error of an edited value its field cannot store
        self.saving: dict = {}  # role -> (ids the edit buffer held, or None: read everything; a commit?) mid-save
        self.verify: set = set()  # roles saved since the last check: their ids and order compared (`kept_order`)
        self.orders: dict = {}  # role -> the layer's feature ids in its order, taken once per check (`order_of`)
        self.filled: dict = {}  # role -> the layer's filled_on_save, taken at start and when its fields change
        self.owned: list[str] = []  # ids of the memory layers this checker added to the project
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COALESCE_MS)
        self.timer.timeout.connect(self.turn)
        self.connections: list = []
        self.busy = None  # the Future of the judgement running in the worker thread (THREADED)
        self.writing = None  # (ids, drawing) of a threaded judgement being written slice by slice
        self.worker: ThreadPoolExecutor | None = None
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.collect)
        self.running = False  # from start() until stop()
        self.starting = False  # a threaded checker's first judgement is being worked out (`start`)
        self.carry = None  # the ids of the first judgement, drawn with the edits made while it was worked out

    @property
    def pending(self) -> set:
        """Edited feature ids of the main layer waiting for the check."""
        return self.edits[self.main_role]

    # --- what a checker provides ----------------------------------------------------------------------------------
    def load_all(self) -> set:
        """Read every watched layer and judge everything; the ids of the main layer judged before or now."""
        return self.prepare_load()()

    def prepare_load(self):
        """Read every watched layer (main thread) and return the judgement of everything still to do: a function of
        no arguments returning the main layer's ids judged before or now, which touches no QGIS object (a threaded
        checker runs it in its worker thread when it starts)."""
        raise NotImplementedError

    def update(self, edits: dict) -> set:
        """Judge again what the edits ({role: feature ids}) can change; the main layer's ids to redraw."""
        self.orders = {}  # the layers' orders as they are now (`order_of`)
        job = self.prepare_update(edits)
        self.orders = {}
        return job()

    def prepare_update(self, edits: dict):
        """Read what the edits need (on the main thread) and return the judgement still to do: a function of no
        arguments returning the main layer's ids to redraw, which touches no QGIS object (it may run in a worker
        thread)."""
        raise NotImplementedError

    def rejudge_all(self, rules) -> set:
        """Judge every feature again with `rules` (the features are the ones held: nothing is read); the main
        layer's ids to redraw. Touches no QGIS object (it may run in a worker thread)."""
        raise NotImplementedError

    def create_layers(self) -> None:
        """Add the checker's own layers (`own_layer`)."""

    def draw(self, fids: set) -> None:
        """Bring the checker's own layers up to date for the main layer's features `fids`."""

    def prepare_draw(self, fids: set):
        """The part of `draw(fids)` that touches no QGIS object (run in the worker thread after a threaded
        judgement, so the main thread only writes): what `apply_draw` takes."""
        return fids

    def apply_draw(self, drawing, deadline: float | None = None) -> bool:
        """Write what `prepare_draw` worked out to the checker's own layers (main thread); past `deadline` (a
        time.perf_counter() value) what is left may wait for the next call with the same drawing: True once it is
        all written."""
        self.draw(drawing)
        return True

    def listen(self) -> None:
        """Further connections of a checker (through `connect_signal`, so `stop` undoes them)."""

    def all_ids(self) -> set:
        raise NotImplementedError

    def known_ids(self, role: str):
        """The feature ids of the layer `role` the checker holds, in the order it holds them (the layer's)."""
        raise NotImplementedError

    # --- on and off -----------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Read and judge everything once, draw it and start listening. False (and `failed` emitted) when the layers
        cannot be read or judged. A threaded checker only reads here: it judges and draws in its worker thread
        (`starting` until the first result is announced); should that fail, `failed` is emitted and it stops
        (`running` False)."""
        try:
            for role, layer in self.watched.items():
                self.take_filled(role)
                refused = unstorable_edit(layer, self.filled[role])
                if refused is not None:
                    raise refused
            if self.THREADED:
                job = self.prepare_load()
            else:
                self.load_all()
        except Exception as exc:  # noqa: BLE001 — any failure is the user's to read, named, never a traceback
            self.failed.emit(self._not_started(exc))
            return False
        self.running = True
        self.create_layers()
        if not self.THREADED:
            self.draw(self.all_ids())
        for role, layer in self.watched.items():
            slot = self._edited_slot(role)
            for name in EDIT_SIGNALS:
                self.connect_signal(getattr(layer, name), slot)
            for name in RELOAD_SIGNALS:
                self.connect_signal(getattr(layer, name), self.reload)
            for before, after, commit in SAVE_SIGNALS:
                self.connect_signal(getattr(layer, before), self._saving_slot(role, commit))
                self.connect_signal(getattr(layer, after), lambda *_args, role=role: self.saved(role))
            self.connect_signal(layer.willBeDeleted, self.layer_gone)
            self.connect_signal(layer.updatedFields, lambda *_args, role=role: self.take_filled(role))
        self.listen()
        if self.THREADED:
            self.starting = True
            self.busy = self._submit(job)
            self.poll.start()
        else:
            self.updated.emit(self.all_ids())
        return True

    def take_filled(self, role: str) -> None:
        """Note the provider's default value clauses of the layer `role` (qgis_bridge.writing.filled_on_save: a new
        feature's stand-ins for values the save gives, no value to refuse): asked of the provider field by field,
        so taken once at start and again when the layer's fields change (updatedFields: a field added or deleted
        moves the indexes) — not on every edited value."""
        self.filled[role] = filled_on_save(self.watched[role])

    def _not_started(self, error) -> str:
        return tr("Live check of layer {layer} could not start: {error}").format(layer=self.layer.name(), error=error)

    def _submit(self, function, *args):
        """Run function(*args) in the worker thread; its Future."""
        if self.worker is None:
            self.worker = ThreadPoolExecutor(1, thread_name_prefix="land_bureau_live")
        return self.worker.submit(function, *args)

    def _edited_slot(self, role: str):
        layer = self.watched[role]

        def edited(fid, *args):
            self.edits[role].add(int(fid))
            if len(args) == 2:  # attributeValueChanged(fid, field index, value): text a number field cannot store?
                key = (role, int(fid), args[0])
                refused = (unstorable(layer.fields().at(args[0]), args[1], layer.name(), int(fid))
                           if isinstance(args[1], str) and args[1] != self.filled[role].get(args[0]) else None)
                if refused is None:
                    self.suspects.pop(key, None)
                else:
                    self.suspects[key] = refused
            self.timer.start()
        return edited

    def _saving_slot(self, role: str, commit: bool):
        def saving(*_args):
            self.saving[role] = (buffered_ids(self.watched[role]), commit)
            self.timer.start()
        return saving

    def saved(self, role: str) -> None:
        """The save or rollback of the layer `role` is over: what its edit buffer held is read again as edited (all
        of the layer after one whose beginning was not seen)."""
        fids, commit = self.saving.pop(role, (None, True))
        if fids is None:
            self.reload_pending = True
        else:
            self.edits[role] |= fids
        if commit:
            self.verify.add(role)
        self.timer.start()

    def waiting(self) -> bool:
        """Edits, a save, a reload or new rules not judged yet."""
        return bool(self.reload_pending or self.rejudge_pending or any(self.edits.values()) or self.saving
                    or self.verify)

    def set_rules(self, rules) -> None:
        """The panel's rules were edited while live mode is on: every feature is judged again with `rules` on the
        next turn of the event loop — as any check, in the worker thread for a threaded checker, after a judgement
        running now (which still used the old rules) — and the results follow without turning live mode off and on.
        Rules set again before that are judged once, the last ones."""
        self.rules = rules
        self.rejudge_pending = True
        self.timer.start()

    def idle(self) -> bool:
        """Nothing waiting and nothing being judged: the results are those of the layers as they are."""
        return not (self.timer.isActive() or self.waiting() or self.busy or self.writing or self.starting
                    or self.carry is not None)

    def stop(self) -> None:
        """Disconnect from the layers and remove the checker's own layers: nothing of live mode stays behind."""
        self.timer.stop()
        self.poll.stop()
        self.writing = None
        self.running = self.starting = False
        self.carry = None
        # a judgement running in the worker thread is left to end there, its result never collected: waiting for it
        # held the main thread until it ended (19 s turning live mode off during a re-judgement of 100,000 parcels).
        # It touches no QGIS object (prepare_draw), and what it still changes of the checker nobody reads again.
        self.busy = None
        if self.worker is not None:
            self.worker.shutdown(wait=False, cancel_futures=True)
            self.worker = None
        for signal, slot in self.connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # the layer is already gone
                pass
        self.connections = []
        removed = [layer_id for layer_id in self.owned if remove_layer(layer_id)]
        self.owned = []
        self.forget_layers()
        if removed:
            redraw_canvas()

    def forget_layers(self) -> None:
        """Drop the checker's references to its own layers (they are gone)."""

    def layer_gone(self) -> None:
        """A watched layer is being removed (perhaps with the whole project): stop listening now, and take the own
        layers out once the project is done removing — not from inside its removal."""
        owned, self.owned = self.owned, []
        self.stop()
        for layer_id in owned:
            QTimer.singleShot(0, lambda layer_id=layer_id: remove_layer(layer_id) and redraw_canvas())

    def edited(self, fid, *_args) -> None:
        """A feature of the main layer was edited (what its edit signals call)."""
        self.pending.add(int(fid))
        self.timer.start()

    def reload(self, *_args) -> None:
        self.reload_pending = True
        self.timer.start()

    def flush(self) -> None:
        """Bring the results up to date now: a running judgement waited for (a starting checker's first one and
        what follows it), waiting edits judged here."""
        while self.busy is not None or self.writing is not None:
            if self.busy is not None:
                self.busy.exception()
                self.collect()
            if self.writing is not None:
                self.write(None)
        if self.reload_pending or self.rejudge_pending or any(self.edits.values()) or self.verify:
            self.timer.stop()
            self.check_pending(threaded=False)

    def connect_signal(self, signal, slot) -> None:
        signal.connect(slot)
        self.connections.append((signal, slot))

    def turn(self) -> None:
        """The event loop turned: a save that emitted no after-signal (it failed) is over too; then the check."""
        for role in list(self.saving):
            self.saved(role)
        self.check_pending()

    def check_pending(self, threaded: bool | None = None) -> None:
        """Judge again what the edits since the last check can change; emit `updated` with the ids redrawn. A
        threaded checker hands the judgement to its worker thread and finishes in `collect`."""
        if self.busy is not None or self.writing is not None:  # judged together once the running judgement is
            return  # done and written (`write` starts the timer)
        threaded = self.THREADED if threaded is None else threaded
        carry, self.carry = self.carry, None  # the first judgement, drawn with these edits
        edits = self.edits
        self.edits = {role: set() for role in self.watched}
        verify, self.verify = self.verify, set()
        rejudge, self.rejudge_pending = self.rejudge_pending, False
        self.orders = {}
        if self.held is not None:  # refused last time: judged with these edits
            held, self.held = self.held, None
            for role, fids in held[0].items():
                edits[role] |= fids
            verify, rejudge = verify | held[1], rejudge or held[2]
            self.reload_pending = self.reload_pending or held[3]
        refused = self.refusal(edits)
        if refused is not None:  # the results stay; these edits are judged with the next, once it is corrected
            self.held, self.reload_pending = (edits, verify, rejudge, self.reload_pending), False
            self.failed.emit(tr("Live check of layer {layer}: {error}").format(layer=self.layer.name(),
                                                                               error=refused))
            if carry is None:
                return
            edits, verify, rejudge = {role: set() for role in self.watched}, set(), False  # the first judgement
        try:  # is drawn all the same
            if not self.reload_pending and not all(self.kept_order(role, edits[role]) for role in verify):
                self.reload_pending = True
            if self.reload_pending:  # read and judged with the rules as they are now
                self.reload_pending = False
                touched = self.load_all() | (carry or set())
            elif any(edits.values()) or rejudge or carry is not None:
                job = self.prepare_update(edits) if any(edits.values()) else set
                if rejudge:
                    job = self._then_rejudge(job, self.rules)
                self.orders = {}
                if threaded:
                    self.busy = self._submit(self._judge_and_prepare, job, carry or set())
                    self.poll.start()
                    return
                touched = job() | (carry or set())
            else:
                touched = set()
        except Exception as exc:  # noqa: BLE001 — named for the user; the next edit tries again
            self.carry = carry
            self.failed.emit(tr("Live check of layer {layer}: {error}").format(layer=self.layer.name(), error=exc))
            return
        self.draw(touched)
        self.updated.emit(touched)

    def refusal(self, edits: dict):
        """The error of an edited value its field cannot store (`unstorable`), None when there is none: the values
        noted as they were edited (attributeValueChanged) and still in the edit buffer, the added features among
        `edits` — or, before a reload, the whole edit buffer. Costs no pass over the edit buffer after an edit (a
        request would copy it: ~70 ms with 100,000 changed features)."""
        if self.reload_pending:
            self.suspects = {}
            return next((error for role, layer in self.watched.items()
                         if (error := unstorable_edit(layer, self.filled[role])) is not None), None)
        for key, refused in list(self.suspects.items()):
            role, fid, _index = key
            buffer = self.watched[role].editBuffer()
            if buffer is None or not (buffer.isFeatureAdded(fid) or (buffer.isFeatureAttributesChanged(fid)
                                                                     and not buffer.isFeatureDeleted(fid))):
                del self.suspects[key]  # saved, rolled back or deleted since
            else:
                return refused
        for role, layer in self.watched.items():
            buffer = layer.editBuffer()
            added = [fid for fid in edits[role] if buffer is not None and buffer.isFeatureAdded(fid)]
            if added:  # a pasted or added feature brings its values with it
                features = buffer.addedFeatures()
                refused = unstorable_values(layer, {fid: dict(enumerate(features[fid].attributes())) for fid in added},
                                            self.filled[role])
                if refused is not None:
                    return refused
        return None

    def _then_rejudge(self, job, rules):
        """The judgement `job` of the edits (their features taken in), then everything judged with `rules`."""
        def judge() -> set:
            return job() | self.rejudge_all(rules)
        return judge

    def _judge_and_prepare(self, job, carry=frozenset()) -> tuple:
        """In the worker thread: the judgement, then what drawing it and the ids `carry` take."""
        touched = job() | carry
        return touched, self.prepare_draw(touched)

    def collect(self) -> None:
        """On the main thread: a threaded judgement that is done is drawn, a slice each turn (`write`), and
        announced; edits made meanwhile are judged next."""
        if self.writing is not None:
            self.write(time.perf_counter() + WRITE_BUDGET_MS / 1000)
            return
        future = self.busy
        if future is None or not future.done():
            return
        self.busy = None
        error = future.exception()
        if error is not None and self.starting:  # the first judgement failed: live mode cannot start
            self.stop()  # before it is said: a listener may ask whether it runs
            self.failed.emit(self._not_started(error))
            return
        if error is not None:
            self.poll.stop()
            self.failed.emit(tr("Live check of layer {layer}: {error}").format(layer=self.layer.name(), error=error))
            if self.waiting():
                self.timer.start()
            return
        if self.starting:  # the first judgement is in: drawn with the edits made meanwhile (read and judged now)
            self.starting = False
            self.carry = future.result()
            self.timer.stop()
            for role in list(self.saving):  # a save begun and failed meanwhile is over too (`turn`)
                self.saved(role)
            self.check_pending()
            if self.busy is None and self.writing is None:
                self.poll.stop()
            return
        self.writing = future.result()
        self.write(time.perf_counter() + WRITE_BUDGET_MS / 1000)

    def write(self, deadline: float | None) -> None:
        """Write the judgement's drawing until `deadline` (None: all of it); once it is all written, announce it
        and let the edits made meanwhile be judged (the poll timer brings the next slice until then)."""
        touched, drawing = self.writing
        if not self.apply_draw(drawing, deadline):
            return
        self.writing = None
        self.poll.stop()
        self.updated.emit(touched)
        if self.waiting():
            self.timer.start()

    def kept_order(self, role: str, edited: set) -> bool:
        """After a save of the layer `role`: whether every feature it holds now is either known to the checker or
        edited, every known one not edited still there, and the known ones in the order the checker holds them — so
        that reading the edited ones again brings the checker up to date (module docstring)."""
        layer_ids = np.asarray(self.order_of(role), dtype=np.int64)
        known = np.asarray(list(self.known_ids(role)), dtype=np.int64)
        edited = np.fromiter(edited, dtype=np.int64, count=len(edited))
        here, held = np.isin(known, layer_ids), np.isin(layer_ids, known)
        return bool((here | np.isin(known, edited)).all() and (held | np.isin(layer_ids, edited)).all()
                    and np.array_equal(known[here], layer_ids[held]))

    # --- helpers for checkers -------------------------------------------------------------------------------------
    def order_of(self, role: str) -> list:
        """Every feature id of the layer `role` in its order (`layer_order`), taken once per check: a pass over
        100,000 features costs ~0.25 s, and a save both checks the order and places the added features by it."""
        if role not in self.orders:
            self.orders[role] = layer_order(self.watched[role])
        return self.orders[role]

    def own_memory_layer(self, name: str, fields, aliases, style: str) -> QgsVectorLayer:
        """A polygon memory layer in the checker's planar CRS with `fields` (a list of QgsField), the aliases of
        `aliases` (ResultFields) and the style `style`, added as the checker's own (`own_layer`)."""
        layer = QgsVectorLayer(f"MultiPolygon?crs={self.planar.authid()}", name, "memory")
        layer.dataProvider().addAttributes(fields)
        layer.updateFields()
        set_aliases(layer, aliases)
        apply_style(layer, style)
        self.own_layer(layer)
        return layer

    def own_layer(self, layer: QgsVectorLayer) -> None:
        """Add one of the checker's layers to the project, on top of the layer tree (drawn above what it marks,
        whatever layer the user had selected — where QGIS would insert it), marked as live mode's."""
        layer.setCustomProperty(LIVE_LAYER_KEY, self.layer.id())
        project = QgsProject.instance()
        project.addMapLayer(layer, False)
        project.layerTreeRoot().insertLayer(0, layer)
        self.owned.append(layer.id())


def layer_order(layer) -> list:
    """Every feature id of `layer` in the order it hands its features over (a layer in edit mode puts added
    features first): the order a batch run reads them in."""
    request = QgsFeatureRequest().setNoAttributes().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    return [feature.id() for feature in layer.getFeatures(request)]


def buffered_ids(layer) -> set | None:
    """The feature ids the edit buffer of `layer` holds (added, deleted, attributes or geometry changed); None when
    they do not tell what a save or rollback changes: fields added or deleted, or edits made in a transaction (they
    go straight to the database)."""
    buffer = layer.editBuffer()
    if buffer is None:
        return set()
    if buffer.addedAttributes() or buffer.deletedAttributeIds() or layer.dataProvider().transaction() is not None:
        return None
    return (set(buffer.addedFeatures()) | set(buffer.deletedFeatureIds()) | set(buffer.changedAttributeValues())
            | set(buffer.changedGeometries()))


def unstorable_edit(layer, filled: dict):
    """The error naming the first value of the edit buffer of `layer` its field cannot store (text in a number or
    date field, put there by a script: qgis_bridge.writing.unstorable), None when there is none; `filled`: the
    layer's filled_on_save (no value). The values the
    layer's provider holds were stored by it: only the edit buffer can hold such a value."""
    buffer = layer.editBuffer()
    if buffer is None:
        return None
    rows = {fid: dict(enumerate(feature.attributes())) for fid, feature in buffer.addedFeatures().items()}
    for fid, values in buffer.changedAttributeValues().items():
        rows.setdefault(fid, {}).update(values)
    return unstorable_values(layer, rows, filled)


def unstorable_values(layer, rows: dict, filled: dict):
    """The error of the first value of `rows` ({feature id: {field index: value}}) its field of `layer` cannot
    store; only text in a field of another type is looked at closely, and none of `filled` (the layer's
    filled_on_save: stand-ins for values the save gives)."""
    fields, name = layer.fields(), layer.name()
    typed = {index for index, field in enumerate(fields) if not has_type(field, QMetaType.Type.QString)}
    for fid in sorted(rows):
        for index, value in rows[fid].items():
            if index in typed and isinstance(value, str) and value != filled.get(index):
                refused = unstorable(fields.at(index), value, name, fid)
                if refused is not None:
                    return refused
    return None


def remove_layer(layer_id: str) -> bool:
    """Remove the layer `layer_id` from the project; whether it was there."""
    project = QgsProject.instance()
    if project.mapLayer(layer_id) is None:
        return False
    project.removeMapLayer(layer_id)
    return True


def redraw_canvas() -> None:
    """Have the map canvas draw again once the checker's layers are gone: QGIS 3.22 takes a removed layer off the
    canvas's layer list without rendering again, so the cached image kept showing the live results after live mode
    was turned off, until something else refreshed the map."""
    from qgis import utils

    iface = getattr(utils, "iface", None)
    if iface is not None and iface.mapCanvas() is not None:
        iface.mapCanvas().refresh()
