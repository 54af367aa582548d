"""Live low-efficiency results: keep every parcel's result current while the parcels (and the buildings) are
edited, re-judging only what an edit can change. Pure pandas / numpy / shapely.

Why not rerun `efficiency.evaluate` on the whole layer after each edit: at 100,000 parcels and 150,000 buildings a
whole run costs seconds, most of it clipping the buildings to the parcels. Why not judge the edited parcel alone: its
result depends on other parcels — the district's reference (median) of each 亩均 indicator, its rank among the
district's parcels of its class (grade A–D), its merge cluster with neighbouring low-efficiency parcels — and a
parcel judged alone would differ from the batch run. What crosses parcels, and how this module keeps every row equal
to a batch run on the layer's current state (tests/unit/test_efficiency_live.py holds it to that after random edit
sequences):

- References, suspected unit errors, ranks and grades are taken within a district (efficiency_grading). An edit
  re-judges every parcel of the districts it touches (the edited parcel's old and new district, those of the parcels
  an edited building lies on or near), with `efficiency.evaluate` itself — the same readers, rules, criteria and
  sentences. Parcels without a district are compared with the whole layer (and ranked city-wide), as is every
  parcel under `rank_scope: city` or without a district column: then an edit re-judges the whole layer.
- Decisions taken on whole columns — the land-use code system, a FAR or coverage column in percent, parcel ids used
  twice — are taken on all parcels (`efficiency.decide_whole`) and handed to each partial run; an edit that changes
  one of them re-judges everything; one that changes who shares an id re-judges those parcels' districts.
- Merge clusters link low-efficiency parcels across districts and are numbered by area over the whole layer: after
  each edit they are recomputed over all parcels (`efficiency._clusters`, `_mode`) from the shared edges kept here.
- The geometry work is cached per parcel and answered to `evaluate` through its `Spatial` interface
  (`CachedSpatial`): cleaned geometry and area, floor area and footprint of the buildings clipped to it
  (`overlay.floor_area_per_parcel`), whether a building lies within `building_data_radius_m`, and the shared edges
  between neighbours (`overlay.shared_edges`). An edit measures again only the parcels whose geometry changed and the
  parcels an edited building lay or lies on (or near).

Results are kept by feature id in `result` (OUTPUT_COLUMNS, rows in the layer's order).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from . import efficiency
from .dates import as_of_day
from .efficiency import OUTPUT_COLUMNS, WholeLayer, decide_whole, evaluate
from .efficiency_intensity import MIN_PARCEL_AREA_M2, storey_rule
from .efficiency_reading import district_names, read_idle, trimmed_ids
from .efficiency_reasons import EFFICIENCY_TEMPLATES, Reasons
from .efficiency_rules import DEFAULT_RULES, EfficiencyRules
from .efficiency_spatial import BuildingIntensity, StoreyRule, building_storeys, buildings_report, buildings_within
from .live_cache import object_array, upsert
from .overlay import GeometryReport, floor_area_per_parcel, make_polygonal, shared_edges

WHOLE_COLUMNS = ("land_use", "far", "coverage", "parcel_id")  # columns `decide_whole` reads
REBUILD_AFTER = 256  # changed geometries looked at one by one before an index is built again


class FidIndex:
    """Feature ids by bounding box: an STRtree over the geometries as they were when it was built, and the ones
    changed or added since, looked at one by one (an STRtree of 100,000 boxes costs ~50 ms to build)."""

    def __init__(self, geoms: pd.Series):
        self.fids = geoms.index.to_numpy()
        self.tree = shapely.STRtree(geoms.to_numpy(dtype=object))
        self.alive = np.ones(len(self.fids), dtype=bool)
        self.position = dict(zip(self.fids.tolist(), range(len(self.fids))))
        self.extra: dict = {}

    def set(self, fid, geom) -> None:
        self.remove(fid)
        self.extra[fid] = geom

    def remove(self, fid) -> None:
        position = self.position.pop(fid, None)
        if position is not None:
            self.alive[position] = False
        self.extra.pop(fid, None)

    def stale(self) -> bool:
        return len(self.extra) > REBUILD_AFTER

    def query(self, bounds: np.ndarray) -> set:
        """Ids whose bounding box meets any of `bounds` (rows x0, y0, x1, y1; NaN rows meet nothing)."""
        bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
        bounds = bounds[~np.isnan(bounds).any(axis=1)]
        if not len(bounds):
            return set()
        _, hit = self.tree.query(shapely.box(*bounds.T))
        hit = np.unique(hit)
        found = set(self.fids[hit[self.alive[hit]]].tolist())
        if self.extra:
            fids = list(self.extra)
            own = shapely.bounds(np.array([self.extra[fid] for fid in fids], dtype=object))
            meets = ((own[:, None, 0] <= bounds[None, :, 2]) & (own[:, None, 2] >= bounds[None, :, 0])
                     & (own[:, None, 1] <= bounds[None, :, 3]) & (own[:, None, 3] >= bounds[None, :, 1])).any(axis=1)
            found.update(fid for fid, hit in zip(fids, meets) if hit)
        return found


class LiveParcels:
    """The parcels (and buildings) as the layers hold them now, the geometry measured per parcel, and every
    parcel's result.

    frame / geometries: the parcels' canonical columns and planar geometries by feature id, in the layer's order;
    buildings / building_geometries: the buildings' `floors` and `height` and planar footprints (None: no buildings
    layer — FAR and coverage from the parcels' own fields). `as_of` as for `evaluate` (default today).
    """

    def __init__(self, frame: pd.DataFrame, geometries, buildings: pd.DataFrame | None = None,
                 building_geometries=None, rules: EfficiencyRules = DEFAULT_RULES,
                 templates: dict[str, str] = EFFICIENCY_TEMPLATES, field_labels: dict[str, str] | None = None,
                 as_of=None):
        self.rules, self.templates, self.labels = rules, templates, field_labels or {}
        self.as_of = pd.Timestamp.today().normalize() if as_of is None else as_of_day(as_of)
        self.storey_rule = storey_rule(rules)
        self.frame = frame.astype(object)  # values as read; each run infers the columns' types as a batch read does
        self.geometry = pd.Series(object_array(geometries), index=frame.index, dtype=object)
        self.clean, self.repaired, self.empty = _cleaned(self.geometry)
        self.area = pd.Series(shapely.area(self.clean.to_numpy()), index=frame.index)
        self.pindex = FidIndex(self.clean)
        self.has_buildings = building_geometries is not None
        self.buildings = None
        zeros = pd.Series(0.0, index=frame.index)
        self.floor_area, self.footprint = zeros.copy(), zeros.copy()
        self.n_from_height, self.n_one_storey = zeros.astype("int64"), zeros.astype("int64")
        self.near = pd.Series(np.nan, index=frame.index)  # building within the radius: 1.0 / 0.0, NaN not yet asked
        if self.has_buildings:
            buildings = buildings if buildings is not None else pd.DataFrame(index=pd.RangeIndex(len(
                building_geometries)))
            self.buildings = _Buildings(buildings, building_geometries, self.storey_rule)
            self._measure(self.frame.index)
        first, second, _ = shared_edges(self.clean.to_numpy(), rules.cluster_min_shared_edge_m,
                                        tolerance=rules.cluster_edge_tolerance_m)
        self.pairs = (self.frame.index.to_numpy()[first], self.frame.index.to_numpy()[second])
        self._pair_positions = None
        self.district = district_names(self.frame)
        self.resolved, self.whole = decide_whole(self.frame, rules, self.labels)
        self.result = pd.DataFrame()
        self.idle = pd.Series(False, index=frame.index)
        self.check_all()

    def with_rules(self, rules: EfficiencyRules) -> LiveParcels:
        """The same parcels and buildings, every parcel judged with `rules` (measured again: the storeys counted,
        the clipped floor area and the shared edges depend on the rules)."""
        buildings = geometries = None
        if self.has_buildings:
            table = self.buildings.table
            buildings = table[[name for name in _Buildings.COLUMNS if name in table]]
            geometries = table["geometry"].tolist()
        return LiveParcels(self.frame, self.geometry.tolist(), buildings, geometries, rules, self.templates,
                           self.labels, self.as_of)

    # --- what changed --------------------------------------------------------------------------------------------
    def check_all(self) -> set:
        """Every parcel judged again (at start, after a reload, or when a whole-column decision moved)."""
        self.result = self._judge(self.frame.index)
        self._cluster()
        return set(self.frame.index)

    def update(self, frame: pd.DataFrame | None = None, geometries=(), deleted=(), order=None,
               buildings: pd.DataFrame | None = None, building_geometries=(), buildings_deleted=(),
               building_order=None) -> set:
        """Take the current state of the edited parcels (`frame` and `geometries`: added or changed, by feature id)
        and the ids of deleted ones, likewise of the edited buildings; re-judge what they can change. Returns the
        feature ids of the parcels whose results changed or were removed (what the panel and the map redraw).

        order / building_order: every current feature id in the order the layer hands its features over (a layer in
        edit mode puts added features first), when features were added: a batch run reads them in that order."""
        frame = frame if frame is not None else self.frame.iloc[:0]
        given = pd.Series(object_array(geometries), index=frame.index, dtype=object)
        deleted = [fid for fid in deleted if fid in self.frame.index and fid not in frame.index]
        known = [fid for fid in frame.index if fid in self.frame.index]
        added = [fid for fid in frame.index if fid not in self.frame.index]
        if known:  # edits of fields the evaluation does not read (or back to the same value) change nothing
            moved_now = set(self._moved(given, known))
            still = [fid for fid in known if fid not in moved_now and self._same_row(frame, fid)]
            if still:
                keep = ~frame.index.isin(still)
                frame, given = frame[keep], given[keep]
                geometries = given.tolist()
                known = [fid for fid in known if fid not in set(still)]
        districts = self._districts_of(known + deleted)
        ids_before = set(trimmed_ids(self.frame.loc[known + deleted]).dropna()) if "parcel_id" in self.frame else set()
        moved = self._moved(given, known) + added
        decisions_moved = bool(added or deleted) or self._whole_columns_changed(frame.loc[known])
        measured = set(moved)

        self._store(frame, geometries, deleted, order)
        if moved or deleted:
            self._geometry_changed(moved, deleted)
        if self.has_buildings and (len(building_geometries) or len(buildings_deleted)):
            measured |= self._buildings_changed(buildings, building_geometries, buildings_deleted, building_order)
        if self.has_buildings and measured:
            self._measure(pd.Index(sorted(fid for fid in measured if fid in self.frame.index)))

        current = list(frame.index)
        if self.district is not None:  # the edited rows' districts read again, the rest kept
            district = self.district.reindex(self.frame.index)
            if current:
                district.loc[current] = district_names(self.frame.loc[current]).to_numpy()
            self.district = district
        districts |= self._districts_of(current + [fid for fid in measured if fid in self.frame.index])
        if "parcel_id" in self.frame:
            ids_now = set(trimmed_ids(self.frame.loc[current]).dropna()) if current else set()
            sharing = ids_before ^ ids_now  # an id taken or given up: who repeats it may have changed
            if sharing:
                all_ids = trimmed_ids(self.frame)
                districts |= self._districts_of(list(self.frame.index[all_ids.isin(list(sharing)).to_numpy()]))
        whole_before = (self.resolved, self.whole)
        if decisions_moved:
            self.resolved, self.whole = decide_whole(self.frame, self.rules, self.labels)
        before = self.result
        if (self.resolved, self.whole) != whole_before or self._judged_whole():
            rows = self.frame.index
        else:
            rows = self.frame.index[self.district.isin(list(districts)).to_numpy()] if districts else \
                self.frame.index[:0]
        judged = self._judge(rows) if len(rows) else None
        self.result = _replaced(before, judged, self.frame.index)
        self._cluster()
        changed = set(deleted) | set(added)
        if judged is not None:
            common = judged.index[judged.index.isin(before.index)]
            changed |= _changed_rows(before.loc[common], self.result.loc[common])
        clusters = set()
        for name in ("cluster_id", "mode"):  # over the whole layer
            clusters |= set(self.result.index[~_same(before[name].reindex(self.result.index), self.result[name])])
        return changed | clusters

    def _districts_of(self, fids) -> set:
        """The (trimmed) districts of those parcels as the cache holds them now; "" stands for none."""
        if not len(fids) or self.district is None:
            return set()
        return set(self.district.reindex(list(fids)).fillna("").tolist())

    def _judged_whole(self) -> bool:
        """Whether any parcel's result depends on every parcel's (see the module docstring)."""
        return self.district is None or self.rules.rank_scope == "city" or bool(self.district.isna().any())

    def _moved(self, given: pd.Series, known: list) -> list:
        """The known parcels among the edited ones whose geometry is not the one kept."""
        if not known:
            return []
        given = given.loc[known]
        kept = self.geometry.loc[known]
        same = shapely.equals_exact(given.to_numpy(), kept.to_numpy(), tolerance=0.0)
        same |= shapely.is_missing(given.to_numpy()) & shapely.is_missing(kept.to_numpy())
        return [fid for fid, unchanged in zip(known, same) if not unchanged]

    def _same_row(self, frame: pd.DataFrame, fid) -> bool:
        """Whether the edited row holds the values kept for it (in every column the evaluation reads)."""
        columns = [name for name in self.frame.columns if name in frame.columns]
        if len(columns) != len(self.frame.columns):
            return False
        return all(_same_value(a, b) for a, b in zip(self.frame.loc[fid, columns].tolist(),
                                                     frame.loc[fid, columns].tolist()))

    def _whole_columns_changed(self, frame: pd.DataFrame) -> bool:
        for name in WHOLE_COLUMNS:
            if name not in self.frame or not len(frame):
                continue
            old = self.frame.loc[frame.index, name]
            new = frame[name].reindex(frame.index)
            if not all(_same_value(a, b) for a, b in zip(old.tolist(), new.tolist())):
                return True
        return False

    def _store(self, frame: pd.DataFrame, geometries, deleted, order) -> None:
        """The cache becomes the layer's current state: deleted rows out, changed rows replaced, added rows last
        (then put in the layer's `order`)."""
        if len(deleted):
            keep = ~self.frame.index.isin(deleted)
            for name in ("frame", "geometry", "clean", "repaired", "empty", "area", "floor_area", "footprint",
                         "n_from_height", "n_one_storey", "near", "idle"):
                setattr(self, name, getattr(self, name)[keep])
        if len(frame):
            frame = frame.reindex(columns=self.frame.columns).astype(object)
            geometry = pd.Series(object_array(geometries), index=frame.index, dtype=object)
            new = frame.index[~frame.index.isin(self.frame.index)]
            self.frame = upsert(self.frame, frame)
            self.geometry = upsert(self.geometry, geometry)
            if len(new):
                for name, value in (("clean", None), ("repaired", False), ("empty", False), ("area", 0.0),
                                    ("floor_area", 0.0), ("footprint", 0.0), ("n_from_height", 0),
                                    ("n_one_storey", 0), ("near", np.nan), ("idle", False)):
                    series = getattr(self, name)
                    setattr(self, name, pd.concat([series, pd.Series(value, index=new, dtype=series.dtype)]))
        if order is not None and set(order) == set(self.frame.index):
            order = pd.Index(list(order), name=self.frame.index.name)
            for name in ("frame", "geometry", "clean", "repaired", "empty", "area", "floor_area", "footprint",
                         "n_from_height", "n_one_storey", "near", "idle"):
                setattr(self, name, getattr(self, name).loc[order])
            self._pair_positions = None

    def _geometry_changed(self, moved: list, deleted: list) -> None:
        """Clean and measure the moved (and added) parcels again, and their shared edges."""
        for fid in deleted:
            self.pindex.remove(fid)
        if moved:
            clean, repaired, empty = _cleaned(self.geometry.loc[moved])
            self.clean.loc[moved] = clean.to_numpy()
            self.repaired.loc[moved] = repaired.to_numpy()
            self.empty.loc[moved] = empty.to_numpy()
            self.area.loc[moved] = shapely.area(clean.to_numpy())
            self.near.loc[moved] = np.nan
            for fid, geom in zip(moved, clean.to_numpy()):
                self.pindex.set(fid, geom)
        if self.pindex.stale():
            self.pindex = FidIndex(self.clean)
        gone = list(moved) + list(deleted)
        first, second = self.pairs
        keep = ~(np.isin(first, gone) | np.isin(second, gone))
        first, second = first[keep], second[keep]
        if moved:
            reach = self.rules.cluster_edge_tolerance_m  # a neighbour apart by less shares the edge
            boxes = shapely.bounds(self.clean.loc[moved].to_numpy()) + np.array([-reach, -reach, reach, reach])
            around = self.pindex.query(boxes) | set(moved)
            rows = self.frame.index[self.frame.index.isin(list(around))]  # in the layer's order, as a batch run
            a, b, _ = shared_edges(self.clean.loc[rows].to_numpy(), self.rules.cluster_min_shared_edge_m,
                                   tolerance=reach)
            a, b = rows.to_numpy()[a], rows.to_numpy()[b]
            new = np.isin(a, moved) | np.isin(b, moved)
            first, second = np.concatenate([first, a[new]]), np.concatenate([second, b[new]])
        self.pairs = (first, second)
        self._pair_positions = None

    def _buildings_changed(self, frame, geometries, deleted, order) -> set:
        """Take the edited buildings; the parcels they lay or lie on or near (within building_data_radius_m) are
        measured again."""
        radius = self.rules.building_data_radius_m
        buildings = self.buildings
        frame = frame if frame is not None else pd.DataFrame(index=pd.Index([]))
        deleted = [fid for fid in deleted if fid in buildings.clean.index and fid not in frame.index]
        if len(frame):  # a building whose footprint and storeys are what they were changes nothing
            same = buildings.unchanged(frame, geometries, self.storey_rule)
            if same.any():
                geometries = [geometry for geometry, kept in zip(geometries, same) if not kept]
                frame = frame[~same]
        old = [fid for fid in list(frame.index) + deleted if fid in buildings.clean.index]
        bounds = [shapely.bounds(buildings.clean.loc[old].to_numpy())] if old else []
        buildings.store(frame, geometries, deleted, order, self.storey_rule)
        if len(frame):
            bounds.append(shapely.bounds(buildings.clean.loc[frame.index].to_numpy()))
        if not bounds:
            return set()
        box = np.concatenate(bounds).reshape(-1, 4) + np.array([-radius, -radius, radius, radius])
        touched = self.pindex.query(box)
        self.near.loc[list(touched)] = np.nan
        return touched

    # --- measuring ------------------------------------------------------------------------------------------------
    def _measure(self, fids: pd.Index) -> None:
        """Floor area, footprint and storey counts of the buildings clipped to the parcels `fids`
        (overlay.floor_area_per_parcel, the buildings in the layer's order as a batch run sums them)."""
        buildings = self.buildings
        if not len(fids):
            return
        parcels = self.clean.loc[fids].to_numpy()
        candidates = buildings.index.query(shapely.bounds(parcels))
        chosen = buildings.clean.index.isin(list(candidates))
        none = GeometryReport(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))
        table = buildings.table[chosen]
        overlay = floor_area_per_parcel(parcels, table["clean"].to_numpy(dtype=object),
                                        table["storeys"].to_numpy(dtype=float), cleaned=(none, none))
        n = len(parcels)

        def per_parcel(flag: pd.Series) -> np.ndarray:
            return np.bincount(overlay.pair_parcel, weights=flag.to_numpy(dtype=float)[overlay.pair_building],
                               minlength=n).astype("int64")

        self.floor_area.loc[fids] = overlay.floor_area
        self.footprint.loc[fids] = overlay.footprint_area
        self.n_from_height.loc[fids] = per_parcel(table["from_height"])
        self.n_one_storey.loc[fids] = per_parcel(table["assumed"])

    def near_buildings(self, fids: pd.Index) -> np.ndarray:
        """Per parcel of `fids`, whether a usable building lies within building_data_radius_m (kept once asked)."""
        radius = self.rules.building_data_radius_m
        unknown = fids[self.near.loc[fids].isna().to_numpy()]
        if len(unknown):
            parcels = self.clean.loc[unknown].to_numpy()
            box = shapely.bounds(parcels) + np.array([-radius, -radius, radius, radius])
            chosen = self.buildings.clean.index.isin(list(self.buildings.index.query(box)))
            found = buildings_within(parcels, self.buildings.clean.to_numpy(dtype=object)[chosen], radius)
            self.near.loc[unknown] = found.astype(float)
        return self.near.loc[fids].to_numpy() == 1.0

    # --- judging --------------------------------------------------------------------------------------------------
    def _judge(self, rows: pd.Index) -> pd.DataFrame:
        """`evaluate` on the parcels `rows` (whole districts) with the whole layer's decisions and the cached
        geometry; the idle flags kept for the modes."""
        stored = self.frame.loc[rows]
        table = pd.DataFrame({name: stored[name].tolist() for name in stored.columns}, index=stored.index,
                             columns=stored.columns)
        result = evaluate(table, rules=self.resolved, templates=self.templates, field_labels=self.labels,
                          spatial=CachedSpatial(self, rows), as_of=self.as_of, whole=self.whole)
        plain = table.reset_index(drop=True)
        idle = read_idle(plain, Reasons(plain.index, self.templates), self.labels)
        self.idle.loc[rows] = idle.to_numpy()
        return result

    def _cluster(self) -> None:
        """Merge clusters and modes over the whole layer (they link parcels across districts and are numbered by
        area over all of them): `efficiency._clusters` and `_mode` on the kept shared edges."""
        result = self.result
        if not len(result):
            return
        low = result["low_eff"].astype(bool)
        area = self.area.where(self.area > MIN_PARCEL_AREA_M2)
        cluster_id = efficiency._clusters(_Pairs(self), low, area, self.resolved)
        result["cluster_id"] = cluster_id.to_numpy()
        result["mode"] = efficiency._mode(low, self.idle, cluster_id, self.resolved).to_numpy()

    def pair_positions(self) -> tuple[np.ndarray, np.ndarray]:
        if self._pair_positions is None:
            self._pair_positions = (self.frame.index.get_indexer(self.pairs[0]),
                                    self.frame.index.get_indexer(self.pairs[1]))
        return self._pair_positions

    def result_of(self, fid) -> pd.Series | None:
        """The parcel's OUTPUT_COLUMNS now, None when it is gone."""
        return self.result.loc[fid] if fid in self.result.index else None


class _Buildings:
    """The buildings by feature id in the layer's order: cleaned footprint, storeys and how they were counted, and
    the footprint and storey columns as read (one table, so every column stays aligned)."""

    COLUMNS = ("floors", "height")

    def __init__(self, frame: pd.DataFrame, geometries, rule: StoreyRule):
        self.table = self._rows(frame, geometries, rule)
        self.index = FidIndex(self.table["clean"])

    def _rows(self, frame: pd.DataFrame, geometries, rule: StoreyRule) -> pd.DataFrame:
        index = frame.index
        clean, _, _ = _cleaned(pd.Series(object_array(geometries), index=index, dtype=object))
        raw = {name: (pd.Series(frame[name].tolist(), index=index) if name in frame else None)
               for name in self.COLUMNS}
        counted = building_storeys(raw["floors"], raw["height"], rule, len(index))
        rows = pd.DataFrame({"clean": clean, "storeys": counted.storeys, "from_height": counted.from_height,
                             "assumed": counted.assumed,  # and the building as read (LiveParcels.with_rules)
                             "geometry": pd.Series(object_array(geometries), index=index, dtype=object)}, index=index)
        for name, values in raw.items():
            if values is not None:
                rows[name] = values.astype(object)
        return rows

    @property
    def clean(self) -> pd.Series:
        return self.table["clean"]

    def unchanged(self, frame: pd.DataFrame, geometries, rule: StoreyRule) -> np.ndarray:
        """Per edited building, whether its cleaned footprint and its storeys (and how they were counted) are the
        ones kept."""
        rows = self._rows(frame, geometries, rule)
        known = rows.index.isin(self.table.index)
        same = np.zeros(len(rows), dtype=bool)
        if known.any():
            new, old = rows[known], self.table.loc[rows.index[known]]
            a, b = new["clean"].to_numpy(dtype=object), old["clean"].to_numpy(dtype=object)
            footprint = shapely.equals_exact(a, b, tolerance=0.0) | (shapely.is_empty(a) & shapely.is_empty(b))
            storeys = ((new["storeys"].to_numpy(dtype=float) == old["storeys"].to_numpy(dtype=float))
                       & (new["from_height"].to_numpy(dtype=bool) == old["from_height"].to_numpy(dtype=bool))
                       & (new["assumed"].to_numpy(dtype=bool) == old["assumed"].to_numpy(dtype=bool)))
            same[known] = footprint & storeys
        return same

    def store(self, frame: pd.DataFrame, geometries, deleted, order, rule: StoreyRule) -> None:
        for fid in deleted:
            self.index.remove(fid)
        table = self.table[~self.table.index.isin(list(deleted))]
        if len(frame):
            rows = self._rows(frame, geometries, rule)
            known = rows.index.isin(table.index)
            if known.any():
                table = table.copy()
                for name in rows.columns:
                    table.loc[rows.index[known], name] = rows.loc[known, name].to_numpy()
            if (~known).any():
                table = pd.concat([table, rows[~known]])
            for fid, geom in zip(rows.index, rows["clean"].to_numpy()):
                self.index.set(fid, geom)
        if order is not None and set(order) == set(table.index):
            table = table.loc[pd.Index(list(order), name=table.index.name)]
        self.table = table.astype({"storeys": float, "from_height": bool, "assumed": bool})
        if self.index.stale():
            self.index = FidIndex(self.table["clean"])


class CachedSpatial:
    """`efficiency_spatial.Spatial` for the parcels `rows` answered from the live cache: what `evaluate` asks the
    geometry engine, measured once per parcel and again only when an edit changes it."""

    def __init__(self, live: LiveParcels, rows: pd.Index):
        self.live, self.rows = live, rows
        self.has_buildings = live.has_buildings
        self.progress = None

    def parcel_areas(self) -> tuple[np.ndarray, GeometryReport]:
        live, rows = self.live, self.rows
        return (live.area.loc[rows].to_numpy(dtype=float),
                GeometryReport(np.flatnonzero(live.repaired.loc[rows].to_numpy()),
                               np.flatnonzero(live.empty.loc[rows].to_numpy())))

    def building_intensity(self, rule: StoreyRule) -> BuildingIntensity:
        live, rows = self.live, self.rows
        return BuildingIntensity(live.floor_area.loc[rows].to_numpy(), live.footprint.loc[rows].to_numpy(),
                                 live.n_from_height.loc[rows].to_numpy(), live.n_one_storey.loc[rows].to_numpy(),
                                 buildings_report(None, 0, 0, 0))

    def release_buildings(self) -> None:
        """The buildings stay: the next edit needs them."""

    def near_buildings(self, positions: np.ndarray, radius_m: float) -> np.ndarray:
        return self.live.near_buildings(self.rows[positions])

    def shared_edges(self, positions: np.ndarray, min_length: float,
                     tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        return _pairs_among(self.live, self.live.frame.index.get_indexer(self.rows[positions]))


class _Pairs:
    """The shared edges over the whole layer, for `efficiency._clusters`."""

    def __init__(self, live: LiveParcels):
        self.live = live

    def shared_edges(self, positions: np.ndarray, min_length: float,
                     tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        return _pairs_among(self.live, positions)


def _pairs_among(live: LiveParcels, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), i < j, of indexes into `positions` (positions in the layer) of parcels sharing an edge."""
    first, second = live.pair_positions()
    lookup = np.full(len(live.frame) + 1, -1, dtype=np.intp)
    lookup[positions] = np.arange(len(positions))
    a, b = lookup[first], lookup[second]
    keep = (a >= 0) & (b >= 0) & (first >= 0) & (second >= 0)
    a, b = a[keep], b[keep]
    return np.minimum(a, b), np.maximum(a, b)


# --- helpers --------------------------------------------------------------------------------------------------------

def _cleaned(geometry: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """make_polygonal per geometry: (clean, repaired, empty) by feature id."""
    clean, report = make_polygonal(geometry.to_numpy(dtype=object))
    repaired = np.zeros(len(clean), dtype=bool)
    repaired[report.repaired] = True
    empty = np.zeros(len(clean), dtype=bool)
    empty[report.empty] = True
    index = geometry.index
    return (pd.Series(clean, index=index, dtype=object), pd.Series(repaired, index=index),
            pd.Series(empty, index=index))


def _same_value(a, b) -> bool:
    """The same value as the readers see it: missing alike (None, NaN), numbers by value (2 and 2.0 are read the
    same), anything else (text "2" is not the number 2) by type and value."""
    missing_a = a is None or (isinstance(a, (float, np.floating)) and a != a)
    missing_b = b is None or (isinstance(b, (float, np.floating)) and b != b)
    if missing_a or missing_b:
        return missing_a and missing_b
    numbers = (int, float, np.integer, np.floating)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return float(a) == float(b)
    return type(a) is type(b) and bool(a == b)


def _replaced(before: pd.DataFrame, judged: pd.DataFrame | None, order: pd.Index) -> pd.DataFrame:
    """The kept results with the rows judged now in their place, in the layer's order."""
    if judged is None or not len(judged):
        return before.reindex(order) if set(before.index) != set(order) or not before.index.equals(order) else before
    if judged.index.equals(order):
        return judged
    if before.index.equals(order) and judged.index.isin(before.index).all():
        merged = before.copy()  # the same rows: the judged ones written in their places
        positions = before.index.get_indexer(judged.index)
        for column, name in enumerate(before.columns):
            merged.iloc[positions, column] = judged[name].to_numpy()
        merged.attrs = {}
        return merged
    rest = before[~before.index.isin(judged.index) & before.index.isin(order)]
    parts = [part for part in (rest, judged) if len(part)]
    merged = pd.concat(parts) if len(parts) > 1 else parts[0]
    merged = merged.loc[order]
    merged.attrs = {}
    return merged


def _changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> set:
    """Feature ids whose row differs (both tables hold the same rows)."""
    differ = np.zeros(len(after), dtype=bool)
    for name in OUTPUT_COLUMNS:
        differ |= ~_same(before[name], after[name])
    return set(after.index[differ])


def _same(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Element-wise equality, missing equal to missing (NaN, None, pd.NA alike)."""
    if pd.api.types.is_numeric_dtype(old) and pd.api.types.is_numeric_dtype(new):
        a, b = old.to_numpy(dtype=float, na_value=np.nan), new.to_numpy(dtype=float, na_value=np.nan)
        return (a == b) | (np.isnan(a) & np.isnan(b))
    missing = "\x00missing"
    a = old.astype(object).where(old.notna(), missing).to_numpy()
    b = new.astype(object).where(new.notna(), missing).to_numpy()
    return np.asarray(a == b, dtype=bool) if len(a) else np.zeros(0, dtype=bool)


__all__ = ["CachedSpatial", "FidIndex", "LiveParcels", "WholeLayer"]
