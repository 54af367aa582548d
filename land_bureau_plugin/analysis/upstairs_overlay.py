"""Where plans meet constraint layers: vectorised overlay with shapely 2 (no Qt, no qgis).

The upstairs rules only ask, per plan, "how many m² lie on farmland / inside the red line / outside the development
boundary / on non-industrial land / under another plan", and want the pieces to draw. This module answers that fast
and exactly, so that `upstairs.py` can stay about rules:

- `clean_polygons` repairs every input once (make_valid, polygonal parts only) and says which rows it touched;
- `prepare_layer` cuts huge polygons into pieces of at most `MAX_PIECE_VERTICES` vertices (a 100k-vertex development
  boundary becomes about a thousand small pieces) and builds one STRtree; a prepared layer can be kept and reused
  across runs when only thresholds change;
- `intersect` finds candidate (plan, piece) pairs with one bulk STRtree query; a piece inside the plan *is* the
  intersection, so is a plan inside a piece (both tested only where bounding boxes nest), and only the remaining
  pairs go through `shapely.intersection`;
- `Pieces.covered_area` sums areas with np.bincount; only where two pieces of one plan overlap (overlapping features
  in the layer, a data error that does happen) are that plan's pieces dissolved first, so no m² is counted twice;
- `Pieces.union_by_plan` draws the same area: one geometry per plan, unioned only where its pieces meet.

All geometries are planar, in metres (the QGIS side reprojects before calling). Positions, not labels, index plans
and features throughout: plan `i` is row `i` of the array the caller passed.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely

from .overlay import make_polygonal

MAX_PIECE_VERTICES = 256  # small enough for cheap intersections, large enough to keep the tree small
_MAX_HALVINGS = 40  # a piece still too big after this many cuts is kept as it is
_POLYGON, _MULTIPOLYGON, _COLLECTION = 3, 6, 7
_INTERIORS_MEET = "2********"  # DE-9IM: the interiors share an area (touching edges do not count)


@dataclass(frozen=True)
class CleanGeometries:
    """Polygonal geometries ready for overlay, and what cleaning did to each row."""

    geometry: np.ndarray  # Polygon / MultiPolygon, None where empty
    repaired: np.ndarray  # bool: the input was invalid and has been repaired
    empty: np.ndarray  # bool: missing, empty, or without any area once repaired


def clean_polygons(geometries) -> CleanGeometries:
    """Make every row a valid (multi)polygon, or None.

    Why: one self-intersecting polygon makes GEOS raise in the middle of a bulk intersection, and a repair that
    leaves a stray line would have no area to count. The repair itself is the shared `overlay.make_polygonal`
    (valid polygons pass untouched); here empty results become None, which STRtree queries simply skip. A geometry
    collection (a GeoPackage of type GEOMETRY can hold one) counts by its polygons.
    """
    geoms = _as_array(geometries).copy()
    collections = shapely.get_type_id(geoms) == _COLLECTION
    geoms[collections] = polygonal_part(geoms[collections])
    geoms, report = make_polygonal(geoms)
    empty = shapely.is_missing(geoms) | ~(shapely.area(geoms) > 0)
    geoms[empty] = None
    repaired = np.zeros(len(geoms), dtype=bool)
    repaired[report.repaired] = True
    return CleanGeometries(geoms, repaired & ~empty, empty)


def polygonal_part(geometries) -> np.ndarray:
    """The polygons of each geometry as one Polygon or MultiPolygon, None where it has none.

    Why: make_valid and intersection return collections that mix polygons with lines and points (two polygons that
    share an edge and a corner); only the polygons carry area and can be drawn on a polygon layer.
    """
    geoms = _as_array(geometries)
    out = np.full(len(geoms), None, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    parts, sub_owner = shapely.get_parts(parts, return_index=True)  # a collection may itself hold MultiPolygons
    owner = owner[sub_owner]
    keep = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
    if keep.any():
        shapely.multipolygons(parts[keep], indices=owner[keep], out=out)
        single = shapely.get_num_geometries(out) == 1
        out[single] = shapely.get_geometry(out[single], 0)
    return out


def subdivide(geometries, max_vertices: int = MAX_PIECE_VERTICES) -> tuple[np.ndarray, np.ndarray]:
    """Cut geometries with more than `max_vertices` vertices in halves (across the longer side) until all are small.

    Returns (pieces, owner): owner[k] is the position of the geometry piece k came from. The pieces of one geometry
    tile it exactly (they only share cut lines), so areas add up. Why: intersecting a plan with a 100k-vertex
    boundary costs the whole boundary every time, while a bounding-box query on small pieces hands each plan only
    the few hundred vertices near it.
    """
    pieces = _as_array(geometries)
    owner = np.arange(len(pieces))
    done, done_owner = [], []
    for _ in range(_MAX_HALVINGS):
        big = shapely.get_num_coordinates(pieces) > max_vertices
        done.append(pieces[~big])
        done_owner.append(owner[~big])
        pieces, owner = _halve(pieces[big]), np.repeat(owner[big], 2)
        keep = ~shapely.is_missing(pieces)
        pieces, owner = pieces[keep], owner[keep]
        if not len(pieces):
            break
    done.append(pieces)
    done_owner.append(owner)
    pieces, owner = np.concatenate(done), np.concatenate(done_owner)
    cut = np.arange(len(pieces)) >= len(done[0])  # the first batch holds the geometries that were small already
    if cut.any():  # clip_by_rect output is not guaranteed valid: check the small pieces once, at the end
        pieces[cut] = clean_polygons(pieces[cut]).geometry
        keep = ~shapely.is_missing(pieces)
        pieces, owner = pieces[keep], owner[keep]
    return pieces, owner


def _halve(geoms: np.ndarray) -> np.ndarray:
    """Both halves of each geometry, cut across its longer side: [a0, b0, a1, b1, ...], None where a half is empty.

    clip_by_rect is linear in the vertex count (a general intersection is not), but it takes one rectangle per call
    in shapely 2.0 — hence the loop, which runs once per *big* piece only.
    """
    halves = np.full(2 * len(geoms), None, dtype=object)
    for k, (geom, (x0, y0, x1, y1)) in enumerate(zip(geoms, shapely.bounds(geoms))):
        if x1 - x0 >= y1 - y0:
            mid = (x0 + x1) / 2
            halves[2 * k] = shapely.clip_by_rect(geom, x0, y0, mid, y1)
            halves[2 * k + 1] = shapely.clip_by_rect(geom, mid, y0, x1, y1)
        else:
            mid = (y0 + y1) / 2
            halves[2 * k] = shapely.clip_by_rect(geom, x0, y0, x1, mid)
            halves[2 * k + 1] = shapely.clip_by_rect(geom, x0, mid, x1, y1)
    halves[shapely.is_empty(halves)] = None
    odd = ~shapely.is_missing(halves) & ~np.isin(shapely.get_type_id(halves), (_POLYGON, _MULTIPOLYGON))
    halves[odd] = polygonal_part(halves[odd])
    return halves


@dataclass(frozen=True)
class Layer:
    """A constraint layer ready for overlay: small clean pieces, the feature each comes from, one STRtree."""

    pieces: np.ndarray
    feature: np.ndarray  # position in the input of the feature each piece was cut from
    tree: shapely.STRtree
    size: int  # number of input features
    repaired: np.ndarray  # positions of features that were repaired
    empty: np.ndarray  # positions of features that were missing or empty (and are ignored)


def prepare_layer(geometries, max_vertices: int = MAX_PIECE_VERTICES) -> Layer:
    """Clean, subdivide and index a constraint layer once (the costly part when it holds 500k patches)."""
    clean = clean_polygons(geometries)
    kept = np.flatnonzero(~clean.empty)
    pieces, owner = subdivide(clean.geometry[kept], max_vertices)
    return Layer(pieces, kept[owner], shapely.STRtree(pieces), len(clean.geometry),
                 np.flatnonzero(clean.repaired), np.flatnonzero(clean.empty))


@dataclass(frozen=True)
class Pieces:
    """Intersections of plans with something else, one row per (plan, feature) piece with a positive area."""

    plan: np.ndarray  # plan position
    feature: np.ndarray  # position of the feature (or of the other plan) the piece lies on
    geometry: np.ndarray
    area: np.ndarray

    def select(self, mask: np.ndarray) -> Pieces:
        return Pieces(self.plan[mask], self.feature[mask], self.geometry[mask], self.area[mask])

    def covered_area(self, n_plans: int) -> np.ndarray:
        """Area of each plan covered by the pieces, counting overlapping pieces once.

        Summing piece areas is exact while the layer's features do not overlap each other, which is the normal
        case; the plans where two pieces do overlap are found with one tree query and only they are dissolved.
        """
        total = np.bincount(self.plan, weights=self.area, minlength=n_plans)
        doubled = self.plans_whose_pieces_meet(overlapping=True)
        if len(doubled):
            rows = np.isin(self.plan, doubled)
            total[doubled] = shapely.area(dissolve(self.geometry[rows], self.plan[rows], n_plans)[doubled])
        return total

    def union_by_plan(self, positions: np.ndarray) -> np.ndarray:
        """The union of the pieces of each plan at `positions` (None for a plan without pieces), for display.

        One polygon per plan and rule makes the drawn pieces add up to the plan's measured area even when the
        layer's features overlap each other (or other plans overlap each other on the plan). Where a plan's pieces
        meet nowhere — the normal case: separate patches — they are simply gathered into one MultiPolygon; only the
        plans whose pieces touch or overlap (adjacent patches, the parts of a subdivided feature, overlapping
        features) go through a GEOS union, so a MultiPolygon never has parts sharing an edge (which would be invalid).
        """
        positions = np.asarray(positions, dtype=np.int64)
        n = int(positions.max(initial=-1)) + 1
        rows = np.isin(self.plan, positions)
        plan, geometry = self.plan[rows], self.geometry[rows]
        meeting = np.intersect1d(self.plans_whose_pieces_meet(overlapping=False), positions)
        apart = ~np.isin(plan, meeting)
        parts, owner = shapely.get_parts(geometry[apart], return_index=True)
        owner = plan[apart][owner]
        order = np.argsort(owner, kind="stable")
        result = np.full(n, None, dtype=object)
        if len(order):
            shapely.multipolygons(parts[order], indices=owner[order], out=result)
            single = shapely.get_num_geometries(result) == 1
            result[single] = shapely.get_geometry(result[single], 0)
        if len(meeting):
            together = ~apart
            result[meeting] = dissolve(geometry[together], plan[together], n)[meeting]
        return result[positions]

    def plans_whose_pieces_meet(self, overlapping: bool) -> np.ndarray:
        """Plans two of whose pieces share an area (overlapping=True; pieces that merely touch along an edge do not
        count), or that touch or overlap at all (overlapping=False). The tree query runs once per Pieces."""
        plan_a, overlap = self._meeting_pairs
        return np.unique(plan_a[overlap] if overlapping else plan_a)

    @cached_property
    def _meeting_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(plan, overlapping) for each pair of pieces of one plan that intersect: one bulk STRtree query over the
        plans holding more than one piece, and a DE-9IM test of whether the two interiors share an area."""
        rows = np.flatnonzero(np.bincount(self.plan)[self.plan] > 1) if len(self.plan) else self.plan
        if not len(rows):
            return rows, np.zeros(0, dtype=bool)
        geoms = self.geometry[rows]
        a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
        same_plan = (a < b) & (self.plan[rows[a]] == self.plan[rows[b]])
        a, b = a[same_plan], b[same_plan]
        return self.plan[rows[a]], shapely.relate_pattern(geoms[a], geoms[b], _INTERIORS_MEET)

    def features_by_plan(self, positions: np.ndarray) -> list[tuple[int, ...]]:
        """For each plan at `positions`, the positions of the features (or other plans) its pieces lie on, sorted."""
        rows = np.isin(self.plan, positions)
        span = int(self.feature.max(initial=0)) + 1
        key = np.unique(self.plan[rows].astype(np.int64) * span + self.feature[rows])
        plans, starts = np.unique(key // span, return_index=True)
        features = np.split(key % span, starts[1:])
        groups = dict(zip(plans.tolist(), (tuple(group.tolist()) for group in features)))
        return [groups.get(position, ()) for position in np.asarray(positions).tolist()]


def intersect(plans: np.ndarray, layer: Layer) -> Pieces:
    """All pieces where plans (clean, None allowed) and the layer share an area, from one bulk tree query.

    Most pairs need no overlay: a patch wholly inside a plan *is* their intersection, and so is a plan wholly inside
    a (boundary or land-use) piece. Containment is tested with prepared geometries, and only where the bounding boxes
    nest; only the remaining pairs are clipped.
    """
    plan, piece = layer.tree.query(plans, predicate="intersects")
    plans_of_pairs, pieces_of_pairs = plans[plan], layer.pieces[piece]
    plan_box, piece_box = shapely.bounds(plans_of_pairs), shapely.bounds(pieces_of_pairs)
    piece_inside = _where_covers(plans_of_pairs, pieces_of_pairs, _nested(piece_box, plan_box))
    plan_inside = _where_covers(pieces_of_pairs, plans_of_pairs, _nested(plan_box, piece_box) & ~piece_inside)
    geometry = np.where(piece_inside, pieces_of_pairs, None)
    geometry[plan_inside] = plans_of_pairs[plan_inside]
    crossing = ~(piece_inside | plan_inside)
    geometry[crossing] = _polygonal_intersection(plans_of_pairs[crossing], pieces_of_pairs[crossing])
    area = shapely.area(geometry)
    keep = area > 0  # pairs that only touch
    return Pieces(plan[keep], layer.feature[piece[keep]], geometry[keep], area[keep])


def _nested(inner: np.ndarray, outer: np.ndarray) -> np.ndarray:
    """Rows where bounding box `inner` lies within bounding box `outer` (arrays of xmin, ymin, xmax, ymax)."""
    return (inner[:, :2] >= outer[:, :2]).all(axis=1) & (inner[:, 2:] <= outer[:, 2:]).all(axis=1)


def _where_covers(containers: np.ndarray, contents: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """containers[k] covers contents[k], tested (prepared) only where `candidates` is set."""
    result = np.zeros(len(containers), dtype=bool)
    if candidates.any():
        shapely.prepare(containers[candidates])
        result[candidates] = shapely.covers(containers[candidates], contents[candidates])
    return result


def plan_overlaps(plans: np.ndarray) -> Pieces:
    """Overlaps between plans. Each overlap appears twice, (a on b) and (b on a), so that every plan sees its own."""
    a, b = shapely.STRtree(plans).query(plans, predicate="intersects")
    once = a < b
    a, b = a[once], b[once]
    geometry = _polygonal_intersection(plans[a], plans[b])
    area = shapely.area(geometry)
    keep = area > 0
    a, b, geometry, area = a[keep], b[keep], geometry[keep], area[keep]
    return Pieces(np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([geometry, geometry]),
                  np.concatenate([area, area]))


def outside(plans: np.ndarray, inside: Pieces, positions: np.ndarray) -> np.ndarray:
    """The part of each plan at `positions` not covered by `inside` (its intersections with a boundary layer).

    Called for the failing plans only: the difference needs the dissolved inside part, the area does not.
    """
    rows = np.isin(inside.plan, positions)
    covered = dissolve(inside.geometry[rows], inside.plan[rows], len(plans))[positions]
    own = plans[positions]
    result = own.copy()
    partly = ~shapely.is_missing(covered)
    result[partly] = polygonal_part(shapely.difference(own[partly], covered[partly]))
    return result


def dissolve(geometries: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Union of the geometries of each group (None for groups without any), vectorised over groups.

    Each group becomes one GeometryCollection and union_all along the last axis runs GEOS's unary union on each.
    """
    order = np.argsort(groups, kind="stable")
    collections = np.full(n_groups, None, dtype=object)
    if len(order):
        shapely.geometrycollections(geometries[order], indices=groups[order], out=collections)
    unions = shapely.union_all(collections[:, np.newaxis], axis=1)
    unions[shapely.is_missing(collections)] = None
    return unions


def _polygonal_intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise intersection keeping only polygons (an edge or corner shared beside the overlap is dropped)."""
    result = shapely.intersection(a, b)
    mixed = ~np.isin(shapely.get_type_id(result), (_POLYGON, _MULTIPOLYGON))
    if mixed.any():
        result[mixed] = polygonal_part(result[mixed])
    return result


def _as_array(geometries) -> np.ndarray:
    """Any sequence of shapely geometries (list, Series, array) as a 1-D object array."""
    if isinstance(geometries, np.ndarray) and geometries.dtype == object:
        return geometries.ravel()
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return array
