"""Live low-efficiency evaluation: while the parcels (or the buildings) are edited, each change re-judges what it
can affect — the districts it touches, the merge clusters over the whole layer — and the panel, the result layer
and the cluster outlines follow: a planner raising a parcel's floor area sees its grade, flag and reasons change.

The rules are the batch algorithm's (`analysis.efficiency_live` runs `efficiency.evaluate` on the affected
districts, with the buildings clipped to each parcel cached and measured again only where an edit changes them).
Listening, one check per burst of edits (a save or rollback among them) and owning the drawn layers are live mode's
shared machinery (gui.live_check). The features are read as `landbureau:lowefficiency` reads them (the same field
maps, planar CRS, curve tolerance and numeric columns), through the layers, their edit buffers applied; nothing is
written to either layer or its edit buffer. The results go to two memory layers this checker owns — 实时评价：低效用地
(every parcel with its result fields, styled by grade as the batch result is) and 实时评价：并宗组团 (the clusters'
outlines) — written through their providers, in the planar CRS the evaluation measures in, and removed with every
connection by `stop()`.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeature, QgsFeatureRequest, QgsField, QgsFields, QgsGeometry, QgsVectorLayer

from ..analysis.efficiency import EfficiencyRules
from ..analysis.efficiency_live import LiveParcels
from ..analysis.geometry_rules import GeometryRules
from ..analysis.live_cache import upsert
from ..i18n import tr
from ..processing.efficiency import (
    BUILDING_COLUMNS,
    BUILDINGS_ROLE,
    CLUSTER_FIELDS,
    PARCELS_ROLE,
    RESULT_FIELDS,
    numeric_fields,
    translated_templates,
)
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import attribute_columns, attribute_rows, qgs_fields
from ..rules.profile import section
from .live_check import LiveCheck
from .potential_order import top_ids

COPIED = ("parcel_id", "owner", "district", "land_use")  # the parcels' own fields the result layer repeats
WRITE_CHUNK = 1000  # result-layer features whose values one provider call changes (~5–10 ms at 100,000 parcels)


class LiveEfficiency(LiveCheck):
    """Live low-efficiency results of one parcels layer (and its buildings layer, if any): `updated(parcel feature
    ids)` after each check; `failed(message)` when the layers cannot be judged. Judged in a worker thread: a
    district of a city-sized layer takes longer than editing may wait."""

    THREADED = True

    def __init__(self, parcels: QgsVectorLayer, buildings: QgsVectorLayer | None, profile: dict,
                 rules: EfficiencyRules | None = None, as_of=None, parent=None):
        """profile: the rule profile (as loaded); rules: its efficiency section with the panel's land-use choice."""
        super().__init__({"parcels": parcels, "buildings": buildings}, parent)
        self.buildings = buildings
        self.rules = rules if rules is not None else section(profile, "efficiency", EfficiencyRules)
        self.curve_tolerance_m = section(profile, "geometry", GeometryRules).curve_tolerance_m
        self.as_of = as_of
        self.live: LiveParcels | None = None
        self.result_layer: QgsVectorLayer | None = None
        self.cluster_layer: QgsVectorLayer | None = None
        # parcel fid -> its feature id in the result layer (feature_of), and back (parcel_of); frozenset of parcel
        # fids (a cluster) -> its feature id in the outline layer (outline_of) and its attributes as written
        # (outline_rows); the result layer's values as written by parcel fid (drawn, RESULT_FIELDS' columns)
        self._forget_drawn()
        self.moved: set = set()  # edited parcels: the result layer takes their geometry and own fields again
        self.removed: set = set()  # the result layer's features removed by the last draw (their parcels deleted)
        self.summary: dict | None = None  # of the results drawn last (summary_of), worked out beside editing
        # a panel's table of the result layer's features: an object whose follow(checker, parcel fids) works out
        # (touching no Qt or QGIS object) what an update does to it, called with each drawing prepared; the answer
        # for the last drawing applied (view_update)
        self.view = None
        self.view_update = None

    # --- reading ------------------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        self.planar = planar_crs_for(self.layer)
        self.parcel_map = field_map_of(self.layer, PARCELS_ROLE)
        self.building_map = {}
        if self.buildings is not None:
            self.building_map = {k: v for k, v in field_map_of(self.buildings, BUILDINGS_ROLE).items()
                                 if k in BUILDING_COLUMNS}

    def _read_parcels(self, request: QgsFeatureRequest | None):
        return read_columns(self.layer, self.parcel_map, with_geometry=True, target_crs=self.planar, request=request,
                            curve_tolerance_m=self.curve_tolerance_m, repairs_geometry=True,
                            numeric=numeric_fields(self.parcel_map))

    def _read_buildings(self, request: QgsFeatureRequest | None):
        return read_columns(self.buildings, self.building_map, with_geometry=True, target_crs=self.planar,
                            request=request, curve_tolerance_m=self.curve_tolerance_m, repairs_geometry=True,
                            numeric=BUILDING_COLUMNS)

    def prepare_load(self):
        """Every parcel and building read here (main thread); the judgement of all of them returned (LiveParcels:
        the buildings clipped to the parcels, the shared edges, every district ranked — seconds at a city's size)
        runs in the worker thread when live mode starts."""
        self._prepare()
        # no request: a layer GDAL reads as Arrow batches, its edit buffer empty, is read column by column
        # (read_columns) — 100,000 parcels and 150,000 buildings from a GeoPackage in ~1 s instead of ~8
        parcels = self._read_parcels(None)
        buildings = self._read_buildings(None) if self.buildings is not None else None
        rules, templates, parcel_map, as_of = self.rules, translated_templates(), self.parcel_map, self.as_of

        def judge() -> set:
            before = self.all_ids()
            self.live = LiveParcels(parcels.frame, parcels.geometries,
                                    buildings.frame if buildings is not None else None,
                                    buildings.geometries if buildings is not None else None, rules, templates,
                                    parcel_map, as_of)
            self.moved = set(self.live.frame.index)
            return before | self.all_ids()

        return judge

    def load_all(self) -> set:
        touched = self.prepare_load()()
        if self.result_layer is not None:  # a reload (gui.live_check): the layers filled again
            self._clear_layers()
        return touched

    def prepare_update(self, edits: dict):
        """The edited parcels and buildings read through their layers here (main thread); the judgement returned
        (`LiveParcels.update`) runs in the worker thread."""
        parcels, buildings = edits.get("parcels", set()), edits.get("buildings", set())
        arguments = {}
        if parcels:
            columns = self._read_parcels(QgsFeatureRequest().setFilterFids(sorted(parcels)))
            arguments.update(frame=columns.frame, geometries=columns.geometries,
                             deleted=parcels - set(columns.frame.index))
            if not columns.frame.index.isin(self.live.frame.index).all():  # added: where the layer puts them
                arguments["order"] = self.order_of("parcels")
            self.moved |= set(columns.frame.index)
        if buildings and self.buildings is not None:
            columns = self._read_buildings(QgsFeatureRequest().setFilterFids(sorted(buildings)))
            arguments.update(buildings=columns.frame, building_geometries=columns.geometries,
                             buildings_deleted=buildings - set(columns.frame.index))
            if not columns.frame.index.isin(self.live.buildings.table.index).all():
                arguments["building_order"] = self.order_of("buildings")
        live = self.live

        def judge() -> set:
            changed = live.update(**arguments)
            own = [fid for fid in parcels if fid in live.result.index]  # their own fields, repeated in the result
            return changed | set(own)  # layer

        return judge

    def rejudge_all(self, rules) -> set:
        """Every parcel judged again with `rules` (set_rules) from the parcels and buildings held — in the worker
        thread: the storeys, the buildings' floor area and the shared edges are measured again under rules that
        may count them otherwise."""
        self.live = self.live.with_rules(rules)
        return self.all_ids()

    def all_ids(self) -> set:
        return set(self.live.frame.index) if self.live is not None else set()

    def known_ids(self, role: str):
        return self.live.frame.index if role == "parcels" else self.live.buildings.table.index

    # --- the result layers ----------------------------------------------------------------------------------------
    def create_layers(self) -> None:
        fields = QgsFields()
        source_fields = self.layer.fields()
        self.copied = [(canon, self.parcel_map[canon]) for canon in COPIED
                       if canon in self.parcel_map and source_fields.indexOf(self.parcel_map[canon]) >= 0]
        for _canon, name in self.copied:
            fields.append(QgsField(source_fields.field(name)))
        for field in qgs_fields(RESULT_FIELDS):
            fields.append(field)
        self.result_layer = self.own_memory_layer(tr("Live evaluation: low-efficiency land"), fields.toList(),
                                                  RESULT_FIELDS,
                                                  "efficiency_result")
        self.cluster_layer = self.own_memory_layer(tr("Live evaluation: merge clusters"), qgs_fields(CLUSTER_FIELDS),
                                                   CLUSTER_FIELDS, "efficiency_clusters")  # on top of the parcels
        # their fields as values, for the features prepare_draw makes beside editing (no layer touched there)
        self.result_fields, self.cluster_fields = QgsFields(self.result_layer.fields()), \
            QgsFields(self.cluster_layer.fields())

    def forget_layers(self) -> None:
        self.result_layer = self.cluster_layer = None
        self._forget_drawn()

    def _forget_drawn(self) -> None:
        self.feature_of, self.outline_of, self.outline_rows, self.parcel_of = {}, {}, {}, {}
        self.drawn = pd.DataFrame(columns=[item.name for item in RESULT_FIELDS], dtype=object)
        self._drawn_clusters = None  # (parcel ids, cluster numbers) the outlines were last drawn for

    def _clear_layers(self) -> None:
        for layer in (self.result_layer, self.cluster_layer):
            if layer is not None:
                layer.dataProvider().truncate()
        self._forget_drawn()

    def draw(self, fids: set) -> None:
        """The parcels `fids` as they are now in the result layer (attributes, and the geometry of the moved ones),
        deleted ones removed; then the cluster outlines that changed."""
        self.apply_draw(self.prepare_draw(fids))

    def prepare_draw(self, fids: set):
        """What `draw` writes, worked out from the results without touching a QGIS object (in the worker thread
        after an edit): the rows written before compared with the results now, so only the values that changed are
        written (a district's re-ranking changes a few columns of thousands of rows), the geometries as WKB and the
        new cluster outlines unioned. The record of what the layers hold (`drawn`, `outline_rows`) is brought up to
        date here: `apply_draw` writes it next, on the main thread, before anything is judged again."""
        if self.result_layer is None or self.live is None:
            return None
        result = self.live.result
        drawing = _Drawing()
        drawing.summary = summary_of(result)
        feature_of = self.feature_of  # as the last draw left it: apply_draw changes it, never while this runs
        drawing.gone = [fid for fid in fids if fid not in result.index and fid in self.feature_of]
        wanted = set(fids) | self.moved
        current = result.index[result.index.isin(list(wanted))] if len(wanted) < len(result) else result.index
        moved = current.isin(list(self.moved))
        known = current.isin(self.drawn.index)
        fields = {item.name: len(self.copied) + k for k, item in enumerate(RESULT_FIELDS)}
        drawn = self.drawn.drop(index=drawing.gone) if drawing.gone else self.drawn
        if len(current):
            values = attribute_columns(result.loc[current], RESULT_FIELDS)
            plain = known & ~moved  # only the values that differ from those written
            if plain.any():
                rows = current[plain]
                before = drawn.loc[rows]
                for name, column in fields.items():
                    new = np.asarray(values[name], dtype=object)[plain]
                    differ = np.flatnonzero(~_equal(before[name].to_numpy(), new))
                    for fid, value in zip(rows[differ].tolist(), new[differ].tolist()):
                        drawing.changes.setdefault(feature_of[fid], {})[column] = value
            whole = current[moved | ~known]  # edited or new: every attribute, and the geometry
            if len(whole):
                positions = current.get_indexer(whole)
                frame = self.live.frame
                copied = [[_plain(value) for value in frame.loc[whole, canon].tolist()] for canon, _ in self.copied]
                own = [np.asarray(values[item.name], dtype=object)[positions].tolist() for item in RESULT_FIELDS]
                wkbs = _wkbs(self.live.geometry.loc[whole])
                for k, fid in enumerate(whole.tolist()):
                    row = [column[k] for column in copied] + [column[k] for column in own]
                    if fid in drawn.index:
                        drawing.changes[feature_of[fid]] = dict(enumerate(row))
                        drawing.geometries[feature_of[fid]] = wkbs[k]
                    else:
                        drawing.fresh.append((fid, _feature(self.result_fields, row, wkbs[k])))
            table = pd.DataFrame({name: np.asarray(values[name], dtype=object) for name in fields},
                                 index=current, dtype=object)
            # a copy: should anything fail before the layer is written, the record still says what it holds
            drawn = upsert(drawn.copy(), table) if len(drawn) else table
        self.drawn = drawn
        edited, self.moved = frozenset(self.moved), set()
        ids = result["cluster_id"].to_numpy()
        same = (self._drawn_clusters is not None and self._drawn_clusters[0].equals(result.index)
                and np.array_equal(self._drawn_clusters[1], ids))
        in_clusters = bool((ids[result.index.isin(list(fids))] > 0).any()) if fids else False
        if not same or in_clusters:  # no cluster changed its members, number or figures: nothing to draw
            self._prepare_clusters(drawing, edited)
            self._drawn_clusters = (result.index, ids.copy())
        view = self.view
        if view is not None and len(fids) < len(result):  # (every parcel: the panel lists its table again)
            drawing.view = view.follow(self, fids)
        # the new features, then the changed values in slices for the providers, last ones first (apply_draw pops
        # them): adding a city's 100,000 features at once held the main thread ~2–3 s
        fresh = [(drawing.fresh[start:start + WRITE_CHUNK]) for start in range(0, len(drawing.fresh), WRITE_CHUNK)]
        drawing.slices = ([("fresh", part) for part in fresh] + _slices("outlines", drawing.outline_changes)
                          + _slices("result", drawing.changes))[::-1]
        return drawing

    def apply_draw(self, drawing, deadline: float | None = None) -> bool:
        """Write `prepare_draw`'s changes to the layers through their providers (main thread): first the removed
        features, the moved geometries and the new outlines (a call each), then the new features and the changed
        values, WRITE_CHUNK features a call, until `deadline` — the rest at the next call with this drawing
        (gui.live_check writes a slice per turn of the event loop). True once all of it is written."""
        if drawing is None or self.result_layer is None:
            self.removed, self.view_update = set(), None
            return True
        if not drawing.begun:
            drawing.begun = True
            self._apply_features(drawing)
        layers = {"result": self.result_layer, "outlines": self.cluster_layer}
        while drawing.slices:
            name, values = drawing.slices.pop()
            if name == "fresh":
                self._add_fresh(values)
                drawing.extents = True
            else:
                layers[name].dataProvider().changeAttributeValues(values)
                drawing.repaint.add(name)
            if drawing.slices and deadline is not None and time.perf_counter() >= deadline:
                return False
        if drawing.extents:
            self.result_layer.updateExtents()
        for name in drawing.repaint:
            layers[name].triggerRepaint()
        return True

    def _apply_features(self, drawing) -> None:
        """The first part of `apply_draw`: what the panel reads of the drawing, and every write but the changed
        values."""
        self.view_update, self.summary = drawing.view, drawing.summary
        layer = self.result_layer
        provider = layer.dataProvider()
        gone = [self.feature_of.pop(fid) for fid in drawing.gone]
        for feature_id in gone:
            self.parcel_of.pop(feature_id, None)
        self.removed = set(gone)
        if gone:
            provider.deleteFeatures(gone)
        if drawing.geometries:
            provider.changeGeometryValues({feature: _geometry(wkb) for feature, wkb in drawing.geometries.items()})
        drawing.extents = bool(gone or drawing.geometries)
        drawing.repaint.add("result")
        if drawing.outlines_gone or drawing.outlines:
            provider = self.cluster_layer.dataProvider()
            if drawing.outlines_gone:
                provider.deleteFeatures(drawing.outlines_gone)
            if drawing.outlines:
                _ok, added = self.cluster_layer.dataProvider().addFeatures(
                    [feature for _members, feature in drawing.outlines])
                self.outline_of.update(zip([members for members, _feature in drawing.outlines],
                                           [feature.id() for feature in added]))
            self.cluster_layer.updateExtents()
            drawing.repaint.add("outlines")

    def _add_fresh(self, fresh: list) -> None:
        """Add the new features of (parcel fid, feature) to the result layer's provider; their ids noted."""
        _ok, added = self.result_layer.dataProvider().addFeatures([feature for _fid, feature in fresh])
        ids = [feature.id() for feature in added]
        parcels = [fid for fid, _feature in fresh]
        self.feature_of.update(zip(parcels, ids))
        self.parcel_of.update(zip(ids, parcels))

    def _prepare_clusters(self, drawing, edited: frozenset = frozenset()) -> None:
        """Outlines of the clusters whose members changed, or one of whose members was `edited` (it may have moved),
        unioned again; the others keep theirs (their number and figures updated)."""
        result = self.live.result
        ids = result["cluster_id"].to_numpy()
        grouped = result[ids > 0]
        groups, parts = {}, {}  # members → cluster number; members → their ids as an array
        if len(grouped):
            numbers = grouped["cluster_id"].to_numpy()
            order = np.argsort(numbers, kind="stable")
            starts = np.flatnonzero(np.diff(numbers[order])) + 1
            members = grouped.index.to_numpy()[order]
            for part, number in zip(np.split(members, starts), numbers[order][np.r_[0, starts]]):
                key = frozenset(part.tolist())
                groups[key], parts[key] = int(number), part
        stale = [members for members in self.outline_rows if members not in groups or not edited.isdisjoint(members)]
        drawing.outlines_gone = [self.outline_of.pop(members) for members in stale if members in self.outline_of]
        for members in stale:
            del self.outline_rows[members]
        frame = (grouped.groupby("cluster_id", sort=True)
                 .agg(parcels=("low_eff", "size"), area_mu=("area_mu", "sum"), potential_m2=("potential_m2", "sum"))
                 .reset_index()) if len(grouped) else pd.DataFrame(columns=["cluster_id", "parcels", "area_mu",
                                                                             "potential_m2"])
        frame.index = frame["cluster_id"].astype(int)
        rows = attribute_rows(frame, CLUSTER_FIELDS)
        new = []
        for members, cluster in groups.items():
            if members in self.outline_of:
                if self.outline_rows.get(members) != rows[cluster]:  # renumbered or its figures changed
                    drawing.outline_changes[self.outline_of[members]] = dict(enumerate(rows[cluster]))
                    self.outline_rows[members] = rows[cluster]
            else:
                new.append(members)
        if new:  # the members' geometries found in one step (a .loc per cluster: 13 of 20 s for 5,900 clusters)
            clean = self.live.clean
            positions = clean.index.get_indexer(np.concatenate([parts[members] for members in new]))
            ends = np.cumsum([len(parts[members]) for members in new])
            shapes = clean.to_numpy()
            for members, taken in zip(new, np.split(positions, ends[:-1])):
                outline = shapely.union_all(shapes[taken])
                drawing.outlines.append((members, _feature(self.cluster_fields, list(rows[groups[members]]),
                                                           shapely.to_wkb(outline))))
                self.outline_rows[members] = rows[groups[members]]

    def largest_potentials(self, low_only: bool, limit: int) -> QgsFeatureRequest:
        """The result layer's `limit` parcels of largest potential (low-efficiency ones only if `low_only`) by the
        table's rule (gui.potential_order) on the result layer's feature ids — from the results held, where QGIS's
        order-by on the memory layer fetches and sorts every feature (3 s at 100,000 parcels, on the main thread)."""
        return QgsFeatureRequest().setFilterFids(largest_ids(self, low_only, limit))

    def result_feature(self, fid) -> int | None:
        """The result layer's feature id of parcel `fid`."""
        return self.feature_of.get(fid)



def largest_ids(checker, low_only: bool, limit: int) -> list:
    """The result layer feature ids of a checker's `limit` parcels of largest potential (low-efficiency ones only if
    `low_only`), in the table's order (gui.potential_order), from its results (`live.result`, `feature_of`)."""
    result = checker.live.result
    if low_only:
        result = result[result["low_eff"] == 1]
    ids = np.fromiter((checker.feature_of.get(fid, 0) for fid in result.index.tolist()), np.int64, len(result))
    shown = ids > 0  # a memory layer's feature ids start at 1: 0 is a parcel not on it (yet)
    potential = pd.Series(result["potential_m2"].to_numpy()[shown], index=ids[shown])
    return top_ids(potential, limit)


def summary_of(result: pd.DataFrame) -> dict:
    """The panel's summary line of the results: parcels, low-efficiency ones and their mu, merge clusters."""
    low = (result["low_eff"] == 1).to_numpy() if len(result) else np.zeros(0, dtype=bool)
    return {"parcels": len(result), "low_eff": int(low.sum()),
            "low_eff_mu": float(np.nansum(pd.to_numeric(result["area_mu"], errors="coerce").to_numpy()[low]))
            if low.any() else 0.0,
            "clusters": int(result["cluster_id"].max()) if len(result) else 0}


class _Drawing:
    """What one draw writes (`LiveEfficiency.prepare_draw`): parcel fids whose rows go; {result feature id: {field
    index: value}} of the rows kept; {result feature id: WKB} of the moved; (parcel fid, QgsFeature) of the new;
    the outlines': feature ids removed, {feature id: {field index: value}} changed, (members, QgsFeature) new;
    the summary of the results drawn (`summary_of`) and what they do to a panel's table (`view`); the changed
    values of both layers cut in slices for writing a few at a time (`slices`)."""

    def __init__(self):
        self.gone, self.changes, self.geometries, self.fresh = [], {}, {}, []
        self.outlines_gone, self.outline_changes, self.outlines = [], {}, []
        self.summary = self.view = None
        self.slices: list = []  # (layer, {feature id: {field index: value}}) still to write, the next one last; or
        # ("fresh", [(parcel fid, feature)]): new features of the result layer
        self.begun = False  # whether apply_draw wrote all but the changed values
        self.repaint: set = set()
        self.extents = False  # the result layer's extent to update once all is written


def _slices(name: str, changes: dict) -> list:
    """`changes` in (name, part) slices of at most WRITE_CHUNK features, in order."""
    items = list(changes.items())
    return [(name, dict(items[start:start + WRITE_CHUNK])) for start in range(0, len(items), WRITE_CHUNK)]


def _wkbs(geometries: pd.Series) -> list:
    """2-D WKB of each geometry (None for a missing one)."""
    return list(shapely.to_wkb(shapely.force_2d(np.asarray(geometries.tolist(), dtype=object))))


def _feature(fields: QgsFields, attributes: list, wkb) -> QgsFeature:
    """A feature of `fields` with `attributes` and the geometry of WKB (a value: made in any thread)."""
    feature = QgsFeature(fields)
    feature.setAttributes(list(attributes))
    feature.setGeometry(_geometry(wkb))
    return feature


def _geometry(wkb) -> QgsGeometry:
    """A multi-part QgsGeometry of WKB (empty for None)."""
    geometry = QgsGeometry()
    if wkb is not None:
        geometry.fromWkb(wkb)
        geometry.convertToMultiType()
    return geometry


def _equal(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Element-wise: the same attribute value as written (None alike; a number by value)."""
    return np.fromiter((a == b and (a is None) == (b is None) for a, b in zip(old.tolist(), new.tolist())),
                       dtype=bool, count=len(new))


def _plain(value):
    """A value for a memory layer's attribute: NaN (pandas' missing number) as NULL."""
    return None if isinstance(value, float) and value != value else value
