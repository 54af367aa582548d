"""Live low-efficiency evaluation: while the parcels (or the buildings) are edited, each change re-judges what it
can affect — the districts it touches, the merge clusters over the whole layer — and the panel, the result layer
and the cluster outlines follow: a planner raising a parcel's floor area sees its grade, flag and reasons change.

The rules are the batch algorithm's (`analysis.efficiency_live` runs `efficiency.evaluate` on the affected
districts, with the buildings clipped to each parcel cached and measured again only where an edit changes them).
Listening, one check per burst of edits, reloading after a commit and owning the drawn layers are live mode's
shared machinery (gui.live_check). The features are read as `landbureau:lowefficiency` reads them (the same field
maps, planar CRS, curve tolerance and numeric columns), through the layers, their edit buffers applied; nothing is
written to either layer or its edit buffer. The results go to two memory layers this checker owns — 实时评价：低效用地
(every parcel with its result fields, styled by grade as the batch result is) and 实时评价：并宗组团 (the clusters'
outlines) — written through their providers, in the planar CRS the evaluation measures in, and removed with every
connection by `stop()`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeature, QgsFeatureRequest, QgsField, QgsFields, QgsGeometry, QgsVectorLayer

from ..analysis.efficiency import EfficiencyRules
from ..analysis.efficiency_live import LiveParcels
from ..analysis.geometry_rules import GeometryRules
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
from ..qgis_bridge.results import attribute_rows, qgs_fields
from ..rules.profile import section
from .live_check import LiveCheck, layer_order

COPIED = ("parcel_id", "owner", "district", "land_use")  # the parcels' own fields the result layer repeats


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
        self.feature_of: dict = {}  # parcel fid -> its feature id in the result layer
        self.parcel_of: dict = {}  # and back
        self.outline_of: dict = {}  # frozenset of parcel fids (a cluster) -> its feature id in the outline layer
        self.outline_rows: dict = {}  # and its attributes as written
        self.moved: set = set()  # edited parcels: the result layer takes their geometry and own fields again
        self.removed: set = set()  # the result layer's features removed by the last draw (their parcels deleted)
        self._drawn_clusters = None  # (parcel ids, cluster numbers) the outlines were last drawn for

    # --- reading ------------------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        self.planar = planar_crs_for(self.layer)
        self.parcel_map = field_map_of(self.layer, PARCELS_ROLE)
        self.building_map = {}
        if self.buildings is not None:
            self.building_map = {k: v for k, v in field_map_of(self.buildings, BUILDINGS_ROLE).items()
                                 if k in BUILDING_COLUMNS}

    def _read_parcels(self, request: QgsFeatureRequest):
        return read_columns(self.layer, self.parcel_map, with_geometry=True, target_crs=self.planar, request=request,
                            curve_tolerance_m=self.curve_tolerance_m, repairs_geometry=True,
                            numeric=numeric_fields(self.parcel_map))

    def _read_buildings(self, request: QgsFeatureRequest):
        return read_columns(self.buildings, self.building_map, with_geometry=True, target_crs=self.planar,
                            request=request, curve_tolerance_m=self.curve_tolerance_m, repairs_geometry=True,
                            numeric=BUILDING_COLUMNS)

    def load_all(self) -> set:
        before = self.all_ids()
        self._prepare()
        parcels = self._read_parcels(QgsFeatureRequest())
        buildings = self._read_buildings(QgsFeatureRequest()) if self.buildings is not None else None
        self.live = LiveParcels(parcels.frame, parcels.geometries,
                                buildings.frame if buildings is not None else None,
                                buildings.geometries if buildings is not None else None, self.rules,
                                translated_templates(), self.parcel_map, self.as_of)
        self.moved = set(self.live.frame.index)
        if self.result_layer is not None:  # after a commit or rollback ids change: the layers are filled again
            self._clear_layers()
        return before | self.all_ids()

    def prepare_update(self, edits: dict):
        """The edited parcels and buildings read through their layers here (main thread); the judgement returned
        (`LiveParcels.update`) runs in the worker thread."""
        parcels, buildings = edits.get("parcels", set()), edits.get("buildings", set())
        arguments = {}
        if parcels:
            columns = self._read_parcels(QgsFeatureRequest().setFilterFids(sorted(parcels)))
            arguments.update(frame=columns.frame, geometries=columns.geometries,
                             deleted=parcels - set(columns.frame.index))
            if not set(columns.frame.index) <= set(self.live.frame.index):  # added: where the layer puts them
                arguments["order"] = layer_order(self.layer)
            self.moved |= set(columns.frame.index)
        if buildings and self.buildings is not None:
            columns = self._read_buildings(QgsFeatureRequest().setFilterFids(sorted(buildings)))
            arguments.update(buildings=columns.frame, building_geometries=columns.geometries,
                             buildings_deleted=buildings - set(columns.frame.index))
            if not set(columns.frame.index) <= set(self.live.buildings.table.index):
                arguments["building_order"] = layer_order(self.buildings)
        live = self.live

        def judge() -> set:
            changed = live.update(**arguments)
            return changed | (parcels & set(live.result.index))  # their own fields, repeated in the result layer

        return judge

    def all_ids(self) -> set:
        return set(self.live.frame.index) if self.live is not None else set()

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

    def forget_layers(self) -> None:
        self.result_layer = self.cluster_layer = None
        self.feature_of, self.outline_of, self.outline_rows, self.parcel_of = {}, {}, {}, {}
        self._drawn_clusters = None

    def _clear_layers(self) -> None:
        for layer in (self.result_layer, self.cluster_layer):
            if layer is not None:
                layer.dataProvider().truncate()
        self.feature_of, self.outline_of, self.outline_rows, self.parcel_of = {}, {}, {}, {}
        self._drawn_clusters = None

    def draw(self, fids: set) -> None:
        """The parcels `fids` as they are now in the result layer (attributes, and the geometry of the moved ones),
        deleted ones removed; then the cluster outlines that changed."""
        layer = self.result_layer
        if layer is None or self.live is None:
            return
        result = self.live.result
        provider = layer.dataProvider()
        gone = [self.feature_of.pop(fid) for fid in fids if fid not in result.index and fid in self.feature_of]
        for feature_id in gone:
            self.parcel_of.pop(feature_id, None)
        self.removed = set(gone)
        if gone:
            provider.deleteFeatures(gone)
        wanted = set(fids) | self.moved
        current = [fid for fid in result.index if fid in wanted] if len(wanted) < len(result) else list(result.index)
        light = [fid for fid in current if fid in self.live.cluster_only and fid not in self.moved
                 and fid in self.feature_of]
        if light:  # only the cluster number or mode changed (clusters renumbered): those two attributes written
            self._write_clusters(light)
            written = set(light)  # once: a set per row made this quadratic (0.75 s for a renumbering)
            current = [fid for fid in current if fid not in written]
        if current:
            rows = self._attribute_rows(pd.Index(current))
            fresh = [fid for fid in current if fid not in self.feature_of]
            known = [fid for fid in current if fid in self.feature_of]
            if known:
                provider.changeAttributeValues({self.feature_of[fid]: dict(enumerate(rows[fid])) for fid in known})
                moved = [fid for fid in known if fid in self.moved]
                if moved:
                    provider.changeGeometryValues({self.feature_of[fid]: geometry
                                                   for fid, geometry in zip(moved, self._geometries(moved))})
            if fresh:
                fields = layer.fields()
                features = []
                for fid, geometry in zip(fresh, self._geometries(fresh)):
                    feature = QgsFeature(fields)
                    feature.setAttributes(rows[fid])
                    feature.setGeometry(geometry)
                    features.append(feature)
                _ok, added = provider.addFeatures(features)
                ids = [feature.id() for feature in added]
                self.feature_of.update(zip(fresh, ids))
                self.parcel_of.update(zip(ids, fresh))
        self.moved = set()
        layer.updateExtents()
        layer.triggerRepaint()
        ids = result["cluster_id"].to_numpy()
        same = (self._drawn_clusters is not None and self._drawn_clusters[0].equals(result.index)
                and np.array_equal(self._drawn_clusters[1], ids))
        in_clusters = ids[result.index.get_indexer([fid for fid in fids if fid in result.index])] > 0 \
            if fids else np.zeros(0, dtype=bool)
        if not same or in_clusters.any():  # no cluster changed its members, number or figures: nothing to draw
            self._draw_clusters()
            self._drawn_clusters = (result.index, ids.copy())

    def _write_clusters(self, fids: list) -> None:
        fields = self.result_layer.fields()
        cluster, mode = fields.indexOf("cluster_id"), fields.indexOf("mode")
        result = self.live.result.loc[fids]
        self.result_layer.dataProvider().changeAttributeValues({
            self.feature_of[fid]: {cluster: int(number), mode: text or None}
            for fid, number, text in zip(fids, result["cluster_id"].tolist(), result["mode"].tolist())})

    def _attribute_rows(self, fids: pd.Index) -> dict:
        """{parcel fid: the result layer's attributes} (the copied fields, then RESULT_FIELDS)."""
        frame = self.live.frame
        result = self.live.result.loc[fids]
        rows = attribute_rows(result, RESULT_FIELDS)
        copied = [[_plain(value) for value in frame.loc[fids, canon].tolist()] for canon, _name in self.copied]
        return {fid: [column[k] for column in copied] + list(rows[fid]) for k, fid in enumerate(fids)}

    def _geometries(self, fids: list) -> list:
        wkbs = shapely.to_wkb(shapely.force_2d(np.asarray(self.live.geometry.loc[fids].tolist(), dtype=object)))
        geometries = []
        for wkb in wkbs:
            geometry = QgsGeometry()
            if wkb is not None:
                geometry.fromWkb(wkb)
                geometry.convertToMultiType()
            geometries.append(geometry)
        return geometries

    def _draw_clusters(self) -> None:
        """Outlines of the clusters whose members changed drawn again; the others keep theirs (their number and
        figures updated)."""
        layer = self.cluster_layer
        result = self.live.result
        ids = result["cluster_id"].to_numpy()
        grouped = result[ids > 0]
        groups = {}
        if len(grouped):
            numbers = grouped["cluster_id"].to_numpy()
            order = np.argsort(numbers, kind="stable")
            starts = np.flatnonzero(np.diff(numbers[order])) + 1
            members = grouped.index.to_numpy()[order]
            groups = {frozenset(part.tolist()): int(number)
                      for part, number in zip(np.split(members, starts), numbers[order][np.r_[0, starts]])}
        provider = layer.dataProvider()
        gone = [self.outline_of.pop(members) for members in list(self.outline_of) if members not in groups]
        for members in [members for members in self.outline_rows if members not in groups]:
            del self.outline_rows[members]
        if gone:
            provider.deleteFeatures(gone)
        frame = (grouped.groupby("cluster_id", sort=True)
                 .agg(parcels=("low_eff", "size"), area_mu=("area_mu", "sum"), potential_m2=("potential_m2", "sum"))
                 .reset_index()) if len(grouped) else pd.DataFrame(columns=["cluster_id", "parcels", "area_mu",
                                                                             "potential_m2"])
        frame.index = frame["cluster_id"].astype(int)
        rows = attribute_rows(frame, CLUSTER_FIELDS)
        changes, features = {}, []
        fields = layer.fields()
        for members, cluster in groups.items():
            if members in self.outline_of:
                if self.outline_rows.get(members) != rows[cluster]:  # renumbered or its figures changed
                    changes[self.outline_of[members]] = dict(enumerate(rows[cluster]))
                    self.outline_rows[members] = rows[cluster]
                continue
            clean = self.live.clean.loc[list(members)].to_numpy()
            outline = shapely.union_all(clean)
            geometry = QgsGeometry()
            geometry.fromWkb(shapely.to_wkb(outline))
            geometry.convertToMultiType()
            feature = QgsFeature(fields)
            feature.setAttributes(list(rows[cluster]))
            feature.setGeometry(geometry)
            features.append((members, feature))
        if changes:
            provider.changeAttributeValues(changes)
        if features:
            _ok, added = provider.addFeatures([feature for _members, feature in features])
            for (members, _feature), feature in zip(features, added):
                self.outline_of[members] = feature.id()
                self.outline_rows[members] = rows[groups[members]]
        layer.updateExtents()
        layer.triggerRepaint()

    def result_feature(self, fid) -> int | None:
        """The result layer's feature id of parcel `fid`."""
        return self.feature_of.get(fid)



def _plain(value):
    """A value for a memory layer's attribute: NaN (pandas' missing number) as NULL."""
    return None if isinstance(value, float) and value != value else value
