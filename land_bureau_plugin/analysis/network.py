"""A walking network from road lines, and shortest distances on it with scipy.sparse.csgraph.

Why this shape: the tools planners use run one service-area computation per facility (QGIS's own, QNEAT3) and stall
at a thousand facilities. Here the roads become one sparse graph once; every residential unit and facility is
attached to its nearest edge (the edge is split there, the straight access leg added), and one multi-source
Dijkstra per facility type (`dijkstra(indices=all facilities of the type, min_only=True)`) gives every node its
distance to the nearest facility of that type. Cost: one graph build plus one Dijkstra per type, whatever the
number of facilities.

Building the graph (`build_network`):
1. lines are split into their parts; zero-length parts are dropped;
2. snapping (`tolerance` metres): line ends closer than the tolerance to each other are moved to their common mean,
   and a dangling end (joined to no other end) closer than the tolerance to another line is moved onto it —
   digitising gaps of a few decimetres otherwise cut the network;
3. T-junctions: a line end lying on another line (within `ON_LINE`, 1 µm) where that line has no vertex becomes
   a vertex of it, exactly — floating point puts such an end (digitised, or moved there by step 2) nanometres off
   the other line, and the union would leave the two apart; no coordinate is rounded, so lengths stay exact;
4. noding: the lines are unioned (GEOS), which splits them at every crossing and shared point, so crossing roads
   connect there — within a level: with `levels` (OSM layer, bridge, tunnel) a bridge over a street is not joined
   where it crosses it, only where it ends on a road of another level (its ramp), that road cut there (without
   levels a bridge over a road must be drawn as two lines that do not cross, or its class excluded); newer GEOS
   (Debian unstable's 3.15) also merges lines through nodes of degree two, so an edge may be a closed loop whose
   two ends are one node — harmless: a loop is never a shortcut, and points on it split it like any edge;
5. nodes are the distinct ends of the noded edges; an edge's weight is its length; of parallel edges between two
   nodes the shortest counts. The graph is undirected: pedestrians walk both ways on one-way streets.

All coordinates are planar metres (the bridge reprojects geographic layers before they get here). scipy is imported
when a network is built, not with this module: the plugin's other analyses and its Processing provider load without
it, and the living-circle algorithm says what to install (`scipy_missing`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

AT_END = 1e-9  # an attachment this close to an edge's end is at its node (metres)
ON_LINE = 1e-6  # metres: a line end this close to another line lies on it (a T-junction), see build_network


@dataclass
class Network:
    """The noded walking network: edges (LineStrings), their end nodes and lengths, node coordinates, and the
    connected part (component) of each node."""

    edges: np.ndarray  # shapely LineStrings
    ends: np.ndarray  # (m, 2) node ids of each edge's start and end
    lengths: np.ndarray  # (m,) metres
    nodes: np.ndarray  # (n, 2) coordinates
    component: np.ndarray  # (n,) component label of each node
    components: int
    snapped_ends: int  # line ends moved by the snapping

    @property
    def empty(self) -> bool:
        return len(self.edges) == 0


@dataclass
class Attachment:
    """Where points meet the network: the edge, the position along it (metres from its start) and the straight
    access leg from the point to that position. edge -1: the point has no usable geometry (or there is no edge)."""

    edge: np.ndarray
    position: np.ndarray
    access: np.ndarray

    @property
    def attached(self) -> np.ndarray:
        return self.edge >= 0


def scipy_missing() -> bool:
    """True when scipy.sparse.csgraph (with multi-source dijkstra, scipy ≥ 1.3) cannot be used here."""
    try:
        from scipy.sparse import csgraph
    except ImportError:
        return True
    return not hasattr(csgraph, "dijkstra")


def build_network(lines, tolerance: float, levels=None) -> Network:
    """The noded network of `lines` (shapely geometries, None or empty allowed), ends snapped within `tolerance`.
    `levels` (one integer per line, None: all on the ground): lines of different levels — a bridge over a street,
    a tunnel under it — are not joined where they cross, only where one ends on the other (a ramp)."""
    lines = np.asarray(lines, dtype=object)
    levels = np.zeros(len(lines), dtype=np.int64) if levels is None else np.asarray(levels, dtype=np.int64)
    usable = ~(shapely.is_missing(lines) | shapely.is_empty(lines)) if len(lines) else np.zeros(0, dtype=bool)
    lines, levels = lines[usable], levels[usable]
    parts, of = shapely.get_parts(lines, return_index=True) if len(lines) else (np.empty(0, dtype=object),
                                                                                np.empty(0, dtype=np.int64))
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0) if len(parts) else np.zeros(0, bool)
    parts, part_levels = parts[keep], levels[of[keep]]  # LineStrings of some length, each with its line's level
    snapped = 0
    if len(parts) and tolerance > 0:
        parts, snapped, kept = snap_ends(parts, tolerance)
        part_levels = part_levels[kept]
    if not len(parts):
        return Network(np.empty(0, dtype=object), np.empty((0, 2), dtype=np.int64), np.empty(0), np.empty((0, 2)),
                       np.empty(0, dtype=np.int64), 0, snapped)
    parts = insert_ends(parts)
    noded = _noded(parts, part_levels)
    noded = noded[shapely.length(noded) > 0]
    starts = shapely.get_coordinates(shapely.get_point(noded, 0))
    stops = shapely.get_coordinates(shapely.get_point(noded, -1))
    nodes, inverse = np.unique(np.vstack([starts, stops]), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    ends = np.column_stack([inverse[:len(noded)], inverse[len(noded):]])
    lengths = shapely.length(noded)
    from scipy.sparse.csgraph import connected_components

    graph = _graph(ends[:, 0], ends[:, 1], lengths, len(nodes))
    count, labels = connected_components(graph, directed=False)
    return Network(noded, ends, lengths, nodes, labels, int(count), snapped)


def _noded(parts: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The parts split at every crossing within a level (GEOS union per level), then at every inner vertex where an
    edge of another level ends (its ramp: insert_ends made that end a vertex); LineStrings of some length only."""
    pieces = []
    for level in np.unique(levels):
        noded = shapely.get_parts(shapely.union_all(parts[levels == level]))
        pieces.append(noded[(shapely.get_type_id(noded) == 1) & (shapely.length(noded) > 0)])
    if len(pieces) == 1:
        return pieces[0]
    ends = [np.vstack([shapely.get_coordinates(shapely.get_point(p, 0)),
                       shapely.get_coordinates(shapely.get_point(p, -1))]) for p in pieces]
    return np.concatenate([split_at_points(edges, np.vstack([e for j, e in enumerate(ends) if j != k]))
                           for k, edges in enumerate(pieces)])


def split_at_points(edges: np.ndarray, points: np.ndarray) -> np.ndarray:
    """`edges` cut at each inner vertex whose coordinates are exactly one of `points` ((k, 2))."""
    if not len(edges) or not len(points):
        return edges
    coords, owner = shapely.get_coordinates(edges, return_index=True)
    first = np.r_[True, owner[1:] != owner[:-1]]
    last = np.r_[owner[1:] != owner[:-1], True]
    wanted = set(map(tuple, np.asarray(points, dtype=float)))
    cut = ~first & ~last & np.fromiter((tuple(c) in wanted for c in coords), dtype=bool, count=len(coords))
    if not cut.any():
        return edges
    repeat = np.where(cut, 2, 1)
    coords, owner, cut = np.repeat(coords, repeat, axis=0), np.repeat(owner, repeat), np.repeat(cut, repeat)
    second = np.zeros(len(coords), dtype=bool)  # the copy of a cut vertex that starts the next piece
    second[1:] = cut[1:] & cut[:-1] & (owner[1:] == owner[:-1]) & np.all(coords[1:] == coords[:-1], axis=1)
    second[1:] &= ~second[:-1]
    start = np.r_[True, owner[1:] != owner[:-1]] | second
    return shapely.linestrings(coords, indices=np.cumsum(start) - 1)


def snap_ends(lines: np.ndarray, tolerance: float) -> tuple[np.ndarray, int, np.ndarray]:
    """Lines with their ends joined within `tolerance` (see the module's docstring), the number of ends moved and
    the index of each line returned in `lines` (a line shorter than the tolerance may vanish)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    coords, owner = shapely.get_coordinates(lines, return_index=True)
    first = np.searchsorted(owner, np.arange(len(lines)))
    last = np.append(first[1:], len(coords)) - 1
    at = np.concatenate([first, last])  # the coordinate row of each end: starts, then stops
    points = shapely.points(coords[at])
    ends = coords[at].copy()
    # ends near each other: one cluster per connected group of pairs, moved to the cluster's mean
    left, right = shapely.STRtree(points).query(points, predicate="dwithin", distance=tolerance)
    pairs = csr_matrix((np.ones(len(left)), (left, right)), shape=(len(at), len(at)))
    _, cluster = connected_components(pairs, directed=False)
    size = np.bincount(cluster)
    mean = np.column_stack([np.bincount(cluster, ends[:, i]) / size for i in range(2)])
    ends = mean[cluster]
    # a dangling end near another line: moved onto that line (the union then splits the line there)
    alone = np.flatnonzero(size[cluster] == 1)
    if len(alone):
        line_of = np.concatenate([np.arange(len(lines)), np.arange(len(lines))])
        near_end, near_line = shapely.STRtree(lines).query(points[alone], predicate="dwithin", distance=tolerance)
        other = line_of[alone[near_end]] != near_line
        near_end, near_line = near_end[other], near_line[other]
        if len(near_end):
            gap = shapely.distance(points[alone[near_end]], lines[near_line])
            order = np.lexsort((gap, near_end))  # nearest line first for each end
            near_end, near_line, gap = near_end[order], near_line[order], gap[order]
            keep = np.r_[True, near_end[1:] != near_end[:-1]] & (gap > 0)
            which, line = alone[near_end[keep]], lines[near_line[keep]]
            onto = shapely.line_interpolate_point(line, shapely.line_locate_point(line, points[which]))
            ends[which] = shapely.get_coordinates(onto)
    moved = np.any(ends != coords[at], axis=1)
    coords = coords.copy()
    coords[at] = ends
    snapped = shapely.linestrings(coords, indices=owner)
    kept = np.flatnonzero(shapely.length(snapped) > 0)
    return snapped[kept], int(moved.sum()), kept


def insert_ends(lines: np.ndarray) -> np.ndarray:
    """`lines` with every end of another line that lies on one (within ON_LINE) inserted into it as a vertex at
    that end's exact coordinates (GEOS snap cracks the segment there), so the union nodes the T-junction."""
    starts = shapely.get_point(lines, 0)
    stops = shapely.get_point(lines, -1)
    ends = np.concatenate([starts, stops])
    line_of = np.concatenate([np.arange(len(lines)), np.arange(len(lines))])
    end, line = shapely.STRtree(lines).query(ends, predicate="dwithin", distance=ON_LINE)
    other = line_of[end] != line
    end, line = end[other], line[other]
    if not len(end):
        return lines
    order = np.argsort(line, kind="stable")
    end, line = end[order], line[order]
    targets, first = np.unique(line, return_index=True)
    group = np.repeat(np.arange(len(targets)), np.diff(np.append(first, len(line))))
    points = shapely.multipoints(shapely.get_coordinates(ends[end]), indices=group)
    lines = lines.copy()
    lines[targets] = shapely.snap(lines[targets], points, ON_LINE)
    return lines


def attach(network: Network, points) -> Attachment:
    """Each point's nearest edge, position along it and access distance (planar metres)."""
    points = np.asarray(points, dtype=object)
    edge = np.full(len(points), -1, dtype=np.int64)
    position = np.full(len(points), np.nan)
    access = np.full(len(points), np.nan)
    usable = np.flatnonzero(~(shapely.is_missing(points) | shapely.is_empty(points))) if len(points) else []
    if network.empty or not len(usable):
        return Attachment(edge, position, access)
    (which, nearest), gap = shapely.STRtree(network.edges).query_nearest(
        points[usable], return_distance=True, all_matches=False)
    rows = usable[which]
    edge[rows] = nearest
    position[rows] = shapely.line_locate_point(network.edges[nearest], points[rows])
    access[rows] = gap
    return Attachment(edge, position, access)


@dataclass
class Entries:
    """Where polygon facilities meet the network: possibly several entries per polygon (`owner`: its row), each an
    edge, a position along it and the straight leg from the polygon's boundary to it (0 where the road touches or
    enters the polygon)."""

    owner: np.ndarray
    attachment: Attachment


def attach_polygons(network: Network, polygons, frontage: float, max_access: float) -> Entries:
    """The entries of each polygon (planar metres). The model: a pedestrian on the network who is within `frontage`
    of the polygon reaches it by a straight leg (its length is counted). The distance from a point of an edge to the
    polygon changes by at most as much as one walks along the edge, so walking on into the frontage zone never beats
    stepping across where one enters it: the entries are the ends of each stretch of an edge inside the polygon's
    `frontage` zone (where the edge enters the zone, or the edge's own end inside it), each with its leg. A unit on
    such a stretch steps across from where it stands (`frontage_candidates`). A polygon with no edge within
    `frontage` is entered from the nearest point of its nearest edge, when that lies within `max_access`."""
    polygons = np.asarray(polygons, dtype=object)
    usable = np.flatnonzero(~(shapely.is_missing(polygons) | shapely.is_empty(polygons))) if len(polygons) else []
    none = Entries(np.empty(0, dtype=np.int64), Attachment(np.empty(0, dtype=np.int64), np.empty(0), np.empty(0)))
    if network.empty or not len(usable):
        return none
    tree = shapely.STRtree(network.edges)
    (which, nearest), gap = tree.query_nearest(polygons[usable], return_distance=True, all_matches=False)
    far = gap > frontage
    fallback = far & (gap <= max_access)
    near_poly, near_edge = tree.query(polygons[usable], predicate="dwithin", distance=frontage)
    owners, edges, points = [], [], []
    if len(near_poly):
        poly, edge = usable[near_poly], near_edge
        zone = shapely.buffer(polygons[poly], frontage, quad_segs=16) if frontage > 0 else polygons[poly]
        pieces = shapely.intersection(network.edges[edge], zone)
        parts, part_of = shapely.get_parts(pieces, return_index=True)
        kind = shapely.get_type_id(parts)
        found = [(parts[kind == 0], part_of[kind == 0])]
        linear = np.flatnonzero(kind == 1)
        for at in (0, -1):
            found.append((shapely.get_point(parts[linear], at), part_of[linear]))
        for at_points, of in found:
            owners.append(poly[of])
            edges.append(edge[of])
            points.append(at_points)
    if fallback.any():
        poly, edge = usable[which[fallback]], nearest[fallback]
        owners.append(poly)
        edges.append(edge)
        points.append(shapely.get_point(shapely.shortest_line(polygons[poly], network.edges[edge]), 1))
    if not owners:
        return none
    owner, edge = np.concatenate(owners).astype(np.int64), np.concatenate(edges).astype(np.int64)
    points = np.concatenate(points)
    access = shapely.distance(points, polygons[owner])
    position = shapely.line_locate_point(network.edges[edge], points)
    return Entries(owner, Attachment(edge, position, access))


def frontage_candidates(network: Network, attachment: Attachment, polygons, frontage: float):
    """(point row, polygon row, metres) for each attached point standing on the network within `frontage` of a
    polygon: its access leg plus the straight step from where it meets the network to the polygon."""
    polygons = np.asarray(polygons, dtype=object)
    rows = np.flatnonzero(attachment.attached)
    empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0))
    usable = ~(shapely.is_missing(polygons) | shapely.is_empty(polygons)) if len(polygons) else np.zeros(0, bool)
    if not len(rows) or not usable.any():
        return empty
    at = shapely.line_interpolate_point(network.edges[attachment.edge[rows]], attachment.position[rows])
    kept = np.flatnonzero(usable)
    point, poly = shapely.STRtree(polygons[kept]).query(at, predicate="dwithin", distance=frontage)
    poly = kept[poly]
    step = shapely.distance(at[point], polygons[poly])
    return rows[point], poly, attachment.access[rows[point]] + step


class Router:
    """The network with every attachment split into its edge: one graph, then one multi-source Dijkstra per call
    of `nearest`. Node ids: the network's nodes, then one per distinct (edge, position) inside an edge, then one
    per source point whose access leg is longer than 0 (its leg an edge of its own, so sources start at distance 0
    from their own point)."""

    def __init__(self, network: Network, attachments: list[Attachment]):
        self.network = network
        n = len(network.nodes)
        edge = np.concatenate([a.edge for a in attachments]) if attachments else np.empty(0, dtype=np.int64)
        position = np.concatenate([a.position for a in attachments]) if attachments else np.empty(0)
        sizes = np.cumsum([0] + [len(a.edge) for a in attachments])
        node = np.full(len(edge), -1, dtype=np.int64)
        ok = edge >= 0
        length = network.lengths[np.where(ok, edge, 0)]
        position = np.clip(np.nan_to_num(position), 0.0, length)
        at_start = ok & (position <= AT_END)
        at_stop = ok & ~at_start & (position >= length - AT_END)
        node[at_start] = network.ends[edge[at_start], 0]
        node[at_stop] = network.ends[edge[at_stop], 1]
        inside = np.flatnonzero(ok & ~at_start & ~at_stop)
        pairs, first_of = np.unique(np.column_stack([edge[inside], position[inside]]), axis=0, return_inverse=True)
        node[inside] = n + first_of.reshape(-1)
        split_edge, split_pos = pairs[:, 0].astype(np.int64), pairs[:, 1]
        # chains along split edges: start, the split points in order, end
        m = len(network.edges)
        split = np.zeros(m, dtype=bool)
        split[split_edge] = True
        whole = np.flatnonzero(~split)
        chain_edge = np.concatenate([split_edge, np.flatnonzero(split), np.flatnonzero(split)])
        chain_pos = np.concatenate([split_pos, np.zeros(split.sum()), network.lengths[split]])
        chain_node = np.concatenate([n + np.arange(len(pairs)), network.ends[split, 0], network.ends[split, 1]])
        order = np.lexsort((chain_pos, chain_edge))
        chain_edge, chain_pos, chain_node = chain_edge[order], chain_pos[order], chain_node[order]
        same = chain_edge[1:] == chain_edge[:-1]
        a = np.concatenate([network.ends[whole, 0], chain_node[:-1][same]])
        b = np.concatenate([network.ends[whole, 1], chain_node[1:][same]])
        w = np.concatenate([network.lengths[whole], np.diff(chain_pos)[same]])
        self.total_nodes = n + len(pairs)
        self._a, self._b, self._w = a, b, w
        self._node = [node[sizes[i]:sizes[i + 1]] for i in range(len(attachments))]
        self._graph = None

    def node_of(self, which: int) -> np.ndarray:
        """The graph node of each point of the `which`-th attachment given to the constructor (-1: not attached)."""
        return self._node[which]

    def add_access_legs(self, which: int, access: np.ndarray) -> np.ndarray:
        """Source nodes for the points of attachment `which`: the attached node when the access leg is 0, else a
        node of its own joined by an edge of the access length. Call before the first `nearest`."""
        node = self._node[which]
        source = node.copy()
        leg = np.flatnonzero((node >= 0) & (np.nan_to_num(access) > 0))
        source[leg] = self.total_nodes + np.arange(len(leg))
        self.total_nodes += len(leg)
        self._a = np.concatenate([self._a, node[leg]])
        self._b = np.concatenate([self._b, source[leg]])
        self._w = np.concatenate([self._w, access[leg]])
        self._graph = None
        return source

    @property
    def graph(self):
        if self._graph is None:
            self._graph = _graph(self._a, self._b, self._w, self.total_nodes)
        return self._graph

    def nearest(self, sources: np.ndarray) -> np.ndarray:
        """Distance from every node to the nearest of `sources` (node ids; inf where none is reachable): one
        multi-source Dijkstra."""
        from scipy.sparse import csgraph

        sources = np.unique(sources[sources >= 0])
        if not len(sources):
            return np.full(self.total_nodes, np.inf)
        return csgraph.dijkstra(self.graph, directed=False, indices=sources, min_only=True)


def _graph(a, b, weight, n: int):
    """The undirected graph: one entry per node pair (the shortest of parallel edges), self-loops dropped. Weights
    are positive (zero-length parts and attachments at a node never make an edge), so no entry is an implicit
    "no edge" zero."""
    a, b, weight = np.asarray(a), np.asarray(b), np.asarray(weight, dtype=float)
    keep = a != b
    low, high, weight = np.minimum(a, b)[keep], np.maximum(a, b)[keep], weight[keep]
    order = np.lexsort((weight, high, low))
    low, high, weight = low[order], high[order], weight[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    from scipy.sparse import csr_matrix

    return csr_matrix((weight[first], (low[first], high[first])), shape=(n, n))


def straight_nearest(points, targets) -> np.ndarray:
    """Straight-line distance from each point to the nearest target (inf without targets, NaN without a point)."""
    points = np.asarray(points, dtype=object)
    targets = np.asarray(targets, dtype=object)
    targets = targets[~(shapely.is_missing(targets) | shapely.is_empty(targets))] if len(targets) else targets
    out = np.full(len(points), np.nan)
    usable = np.flatnonzero(~(shapely.is_missing(points) | shapely.is_empty(points))) if len(points) else []
    if not len(targets) or not len(usable):
        out[usable] = np.inf
        return out
    (which, _), gap = shapely.STRtree(targets).query_nearest(points[usable], return_distance=True,
                                                              all_matches=False)
    out[usable[which]] = gap
    return out
