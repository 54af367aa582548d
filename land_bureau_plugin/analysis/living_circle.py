"""The 15-minute living circle (15分钟生活圈): for every residential unit, the walking distance to the nearest
facility of each type, whether it lies within its circle's walk, and per district the population-weighted coverage.

Why this module: it turns the three inputs into the measured table and nothing else — reading layers, CRS and
writing are the bridge's (every geometry here is in planar metres), the network engine is analysis.network, the
thresholds and facility codes are the profile's `living_circle` section (analysis.living_circle_rules).

Distances: on the road network when one is given (each unit and facility attached to its nearest edge, the access
legs counted; one multi-source Dijkstra per facility type), else straight-line distance × the profile's detour
factor (`LivingCircle.straight_line`, said in the log and the print). A unit whose part of the network holds no
facility of a type is not covered, with the reason; `dist_<type>` is then unknown (NaN), never a made-up number.
Locations: a residential unit is its point, a residential polygon its point on surface (inside it, unlike a centroid
of an L-shaped block: its residents live inside the parcel, so the walk starts there). A facility point is attached
to its nearest edge; a facility polygon (a park, a school campus) is reached at its boundary: it is entered from
every road within the profile's `facility_frontage_m` of it (where a road runs into it, where that road crosses its
boundary) and from its nearest road in any case — a resident on the far side of a large park walks to the park's
near side, not around it to its centre's nearest road. Whatever is farther than `max_access_m` from every walkable
road has no road access: a unit is then not covered, with the reason (未接入路网) and the distance, never measured
through a kilometres-long straight leg; a facility is left out (the log names it).
Population: the population field, else households × the profile's household size; unknown or implausible
population keeps a unit in the table but out of the weighted shares, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from . import network as net
from .frames import is_missing
from .living_circle_rules import LivingCircleRules, code_key
from .living_circle_text import LIVING_TEMPLATES
from .messages import fill, join_reasons
from .numbers import read_field

ALL = "all"  # the summary's key for "every basic type covered"


@dataclass
class FacilityTypes:
    """The facilities' profile types, and those that could not be used (feature ids)."""

    kind: pd.Series  # facility type per facility, a tuple for one of several (None where unknown or missing)
    unknown: pd.Series  # fid -> the code the profile does not know
    missing: pd.Index  # fids without a type value


def facility_types(codes: pd.Series, rules: LivingCircleRules) -> FacilityTypes:
    """Each facility's type by the profile's codes (trimmed, case-folded)."""
    table = rules.type_of_code()
    keys = codes.map(code_key)
    kind = keys.map(table)
    missing = keys == ""
    unknown = kind.isna() & ~missing
    # as objects, None where no type: pandas 3 makes the map's result a str column whose where(…, None) stays NaN
    return FacilityTypes(kind.astype(object).where(kind.notna(), None), codes[unknown], codes.index[missing])


LEVEL_TRUE = ("1", "t", "true", "y", "yes", "是", "桥", "桥梁", "隧道")  # bridge / tunnel flags (OSM, Geofabrik T/F)


def road_levels(frame: pd.DataFrame) -> np.ndarray | None:
    """One level per road line from its `road_level` (OSM layer: 1 a bridge, -1 a tunnel …), else its `road_bridge`
    (+1) or `road_tunnel` (-1) flag, else 0 (the ground); None when the layer has none of these fields."""
    if not {"road_level", "road_bridge", "road_tunnel"} & set(frame.columns):
        return None
    level = pd.Series(0, index=frame.index, dtype=np.int64)
    for name, step in (("road_tunnel", -1), ("road_bridge", 1)):
        if name in frame:
            flag = frame[name].map(lambda v: not is_missing(v) and str(v).strip().casefold() in LEVEL_TRUE)
            level[flag.to_numpy(dtype=bool)] = step
    if "road_level" in frame:
        given = pd.to_numeric(frame["road_level"], errors="coerce")
        known = given.notna() & (given != 0)
        level[known] = given[known].round().astype(np.int64)
    return level.to_numpy()


def walkable(classes, rules: LivingCircleRules) -> np.ndarray:
    """Which road lines a pedestrian may use: those whose class is none of the profile's excluded classes."""
    excluded = rules.excluded_classes()
    return np.array([code_key(c) not in excluded for c in classes], dtype=bool)


@dataclass
class LivingCircle:
    """The result: `table` per residential unit (dist_<type>, covered_<type>, types_covered, basic_covered,
    missing — the labels of the basic types not covered —, population, reasons), `gaps` per (type, unit) not
    covered, and what the log says about the inputs."""

    table: pd.DataFrame
    gaps: pd.DataFrame
    types: tuple[str, ...]
    straight_line: bool
    network: net.Network | None = None
    facilities_per_type: dict[str, int] = field(default_factory=dict)
    units_on_minor_parts: int = 0  # residential units attached to a part of the network other than the largest
    no_access: pd.Index = field(default_factory=lambda: pd.Index([]))  # units farther than max_access_m from a road
    facilities_off_network: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # positions


def locations(geometries) -> np.ndarray:
    """The point each geometry stands for: points as they are, anything else its point on surface."""
    geometries = np.asarray(geometries, dtype=object)
    out = np.full(len(geometries), None, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries)) if len(geometries) else np.zeros(0, bool)
    if usable.any():
        out[usable] = shapely.point_on_surface(geometries[usable])
    return out


def population(frame: pd.DataFrame, rules: LivingCircleRules, templates: dict) -> tuple[pd.Series, pd.Series]:
    """(population, reason) per unit: the population field, else households × household size; NaN with a reason
    where neither is a plausible number."""
    index = frame.index
    result = pd.Series(np.nan, index=index)
    reason = pd.Series("", index=index, dtype=object)
    for name, factor in (("population", 1.0), ("households", rules.household_size)):  # population first
        if name not in frame:
            continue
        raw = frame[name]
        reading = read_field(raw, name)  # "1,200", "1200人", "300户" as every analysis reads them; "/" is no value
        values = reading.values
        limit = rules.limit(name)
        bad = reading.junk | (values < 0)
        if limit is not None:
            bad |= values > limit
        good = values.notna() & ~bad & result.isna()
        result[good] = values[good] * factor
        told = bad & result.isna() & (reason == "")
        if told.any():
            reason[told] = fill(templates["bad_population"], index[told], field=name, value=raw[told].astype(str))
    reason[result.notna()] = ""
    reason[result.isna() & (reason == "")] = templates["no_population"]
    return result, reason


def evaluate(homes, residential: pd.DataFrame, places, kinds: pd.Series, roads, rules: LivingCircleRules,
             templates: dict | None = None, road_levels=None) -> LivingCircle:
    """Measure every residential unit (geometries `homes`, columns `residential`: population / households /
    district) against the facilities (geometries `places`, profile type per facility in `kinds` — a tuple of types
    for a facility of several, None where unusable) on the road lines `roads` (None: straight lines × detour
    factor; `road_levels`: one integer per line, see road_levels — a bridge is not joined to the street it crosses).
    All geometries in planar metres."""
    templates = {**LIVING_TEMPLATES, **(templates or {})}
    index = residential.index
    home_points = locations(homes)
    kinds = _per_facility(kinds)
    types = rules.types
    distances = _distances(home_points, np.asarray(places, dtype=object), kinds, types, roads, rules, road_levels)
    table = pd.DataFrame(index=index)
    reasons = []
    covered_count = np.zeros(len(index), dtype=np.int64)
    basic = np.ones(len(index), dtype=bool)
    no_geometry = pd.Series(shapely.is_missing(home_points), index=index)
    access = distances.home_access if distances.home_access is not None else np.full(len(index), np.nan)
    no_access = np.nan_to_num(access, nan=0.0) > rules.max_access_m
    facilities_per_type = {kind: int(of_kind(kinds, kind).sum()) for kind in types}
    for kind in types:
        dist = distances.values[kind]
        covered = rules.coverage(kind).holds(np.where(np.isfinite(dist), dist, np.nan))
        table[f"dist_{kind}"] = np.where(np.isfinite(dist), dist, np.nan)
        table[f"covered_{kind}"] = covered.astype(np.int64)
        covered_count += covered
        if kind in rules.basic_types:
            basic &= covered
        reasons.append(_type_reason(kind, dist, covered, facilities_per_type[kind], no_geometry | no_access, rules,
                                    templates))
    table["types_covered"] = covered_count
    table["basic_covered"] = basic.astype(np.int64)
    table["missing"] = _missing_labels(table, rules)
    people, people_reason = population(residential, rules, templates)
    table["population"] = people
    if "district" in residential:
        table["district"] = residential["district"]
    geometry_reason = pd.Series(np.where(no_geometry, templates["no_geometry"], ""), index=index, dtype=object)
    access_reason = pd.Series("", index=index, dtype=object)
    if no_access.any():
        text = pd.Series([f"{d:,.1f}" for d in access[no_access]], index=index[no_access])
        access_reason[no_access] = fill(templates["no_access"], index[no_access], distance=text,
                                        limit=f"{rules.max_access_m:,.0f}")
    table["reasons"] = join_reasons([geometry_reason, access_reason, *reasons, people_reason], index,
                                    templates["separator"])
    places_off = np.empty(0, dtype=np.int64)
    if distances.places_on is not None:
        places_off = np.flatnonzero(~distances.places_on & pd.notna(kinds))
    return LivingCircle(table, gaps(table, rules), types, distances.straight, distances.network, facilities_per_type,
                        distances.minor_units, index[no_access], places_off)


def _per_facility(kinds) -> np.ndarray:
    """`kinds` as a flat object array, one entry per facility (np.asarray made a list of equal tuples a table)."""
    kinds = list(kinds)
    out = np.empty(len(kinds), dtype=object)
    for position, kind in enumerate(kinds):
        out[position] = kind
    return out


def of_kind(kinds: np.ndarray, kind: str) -> np.ndarray:
    """Which facilities are of type `kind`: their type, or one of their types (a tuple)."""
    return np.fromiter((k == kind or (isinstance(k, tuple) and kind in k) for k in kinds), dtype=bool,
                       count=len(kinds))


@dataclass
class _Distances:
    values: dict[str, np.ndarray]  # per type: metres, inf where unreachable, NaN where the unit has no geometry
    straight: bool
    network: net.Network | None
    minor_units: int
    home_access: np.ndarray | None = None  # per unit: metres to the nearest walkable road (NaN: not measured)
    places_on: np.ndarray | None = None  # per facility: it has an entry to the network within the access limit


def _distances(home_points, places, kinds, types, roads, rules: LivingCircleRules, levels=None) -> _Distances:
    """Per type each unit's distance; `places` are the facilities' geometries: a point is attached to its nearest
    edge, a polygon entered from the roads along it (network.attach_polygons)."""
    place_points = locations(places)
    is_kind = {kind: of_kind(kinds, kind) for kind in types}  # per type, which facilities are of it
    if roads is None:
        values = {}
        for kind in types:
            # to a polygon's edge, like on the network (a point on surface would put a park's centre in its way)
            values[kind] = net.straight_nearest(home_points, places[is_kind[kind]]) * rules.detour_factor
        return _Distances(values, True, None, 0)
    network = net.build_network(roads, rules.snap_tolerance_m, levels)
    if network.empty:  # no line to walk: nothing is reachable (the algorithm refuses such a road layer first)
        unreachable = np.where(shapely.is_missing(home_points), np.nan, np.inf)
        return _Distances({kind: unreachable.copy() for kind in types}, False, network, 0,
                          np.full(len(home_points), np.nan), np.zeros(len(kinds), dtype=bool))
    homes = net.attach(network, home_points)
    home_access = homes.access.copy()
    homes.edge[homes.access > rules.max_access_m] = -1  # no road access: not on the network
    entries = _facility_entries(network, places, place_points, rules)
    router = net.Router(network, [homes, entries.attachment])
    sources = router.add_access_legs(1, entries.attachment.access)
    home_nodes = router.node_of(0)
    polygon = _polygons(places)
    step_home, step_place, step = net.frontage_candidates(network, homes, np.where(polygon, places, None),
                                                          rules.facility_frontage_m)
    values = {}
    for kind in types:
        nearest = router.nearest(sources[is_kind[kind][entries.owner]])
        dist = np.where(shapely.is_missing(home_points), np.nan, np.inf)
        attached = home_nodes >= 0
        dist[attached] = nearest[home_nodes[attached]] + homes.access[attached]
        mine = is_kind[kind][step_place]  # standing in the frontage of a park of this type: step across
        np.minimum.at(dist, step_home[mine], step[mine])
        values[kind] = dist
    minor = 0
    if network.components > 1 and homes.attached.any():
        component = network.component[network.ends[homes.edge[homes.attached], 0]]
        main = np.argmax(np.bincount(network.component[network.ends[:, 0]], weights=network.lengths))
        minor = int((component != main).sum())
    places_on = np.zeros(len(kinds), dtype=bool)
    places_on[entries.owner] = True
    return _Distances(values, False, network, minor, home_access, places_on)


def _polygons(geometries) -> np.ndarray:
    geometries = np.asarray(geometries, dtype=object)
    return np.isin(shapely.get_type_id(geometries), (3, 6)) if len(geometries) else np.zeros(0, dtype=bool)


def _facility_entries(network, places, place_points, rules: LivingCircleRules) -> net.Entries:
    """Every facility's entries to the network: a point on its nearest edge, a polygon on the roads along it; none
    beyond the profile's maximum access distance."""
    places = np.asarray(places, dtype=object)
    polygon = _polygons(places)
    points = np.where(polygon, None, place_points)
    found = net.attach(network, points)
    near = found.attached & (found.access <= rules.max_access_m)
    owner = np.flatnonzero(near)
    areas = np.flatnonzero(polygon)
    entries = net.attach_polygons(network, places[areas], rules.facility_frontage_m, rules.max_access_m)
    attachment = net.Attachment(np.concatenate([found.edge[owner], entries.attachment.edge]),
                                np.concatenate([found.position[owner], entries.attachment.position]),
                                np.concatenate([found.access[owner], entries.attachment.access]))
    return net.Entries(np.concatenate([owner, areas[entries.owner]]).astype(np.int64), attachment)


def _missing_labels(table: pd.DataFrame, rules: LivingCircleRules) -> pd.Series:
    """缺项 per unit: the labels of the basic types not within their walk, in profile order ("幼儿园、小学"); the
    reasons say why (how far, unreachable, none of the type)."""
    out = pd.Series("", index=table.index, dtype=object)
    for kind in rules.types:
        if kind not in rules.basic_types:
            continue
        gap = table[f"covered_{kind}"].to_numpy() == 0
        out[gap] = np.where(out[gap] == "", rules.label(kind), out[gap] + MISSING_SEPARATOR + rules.label(kind))
    return out


MISSING_SEPARATOR = "、"  # between the labels of `missing` (the profile's labels are Chinese)


def _type_reason(kind, dist, covered, count, no_geometry, rules, templates) -> pd.Series:
    index = no_geometry.index
    label, level, limit = rules.label(kind), rules.level(kind), rules.distance(kind)
    out = pd.Series("", index=index, dtype=object)
    measured = ~no_geometry.to_numpy()
    if count == 0:
        out[measured] = fill(templates["no_facility"], index[measured], type=label)
        return out
    far = measured & np.isfinite(dist) & ~covered
    unreachable = measured & ~np.isfinite(dist)
    if far.any():
        text = pd.Series([f"{d:,.1f}" for d in dist[far]], index=index[far])
        out[far] = fill(templates["not_covered"], index[far], type=label, distance=text, level=level,
                        limit=f"{limit:,.0f}")
    if unreachable.any():
        out[unreachable] = fill(templates["unreachable"], index[unreachable], type=label)
    return out


GAP_COLUMNS = ("type", "label", "level", "walk_m", "distance", "population", "district", "reason")


def gaps(table: pd.DataFrame, rules: LivingCircleRules) -> pd.DataFrame:
    """One row per (type, residential unit not covered): the gap list the GAPS output and the print show; `unit`
    is the unit's feature id."""
    frames = []
    for kind in rules.types:
        missing = table.index[table[f"covered_{kind}"].to_numpy() == 0]
        if not len(missing):
            continue
        frames.append(pd.DataFrame({
            "unit": missing, "type": kind, "label": rules.label(kind), "level": rules.level(kind),
            "walk_m": rules.distance(kind), "distance": table.loc[missing, f"dist_{kind}"].to_numpy(),
            "population": table.loc[missing, "population"].to_numpy(),
            "district": table.loc[missing, "district"].to_numpy() if "district" in table else None}))
    if not frames:
        return pd.DataFrame(columns=["unit", *GAP_COLUMNS[:-1]])
    return pd.concat(frames, ignore_index=True)


def summarise(result: LivingCircle, rules: LivingCircleRules) -> dict:
    """Per district and for the whole city: units, known population, and per type (and ALL basic types together)
    the population-weighted share covered — the 城市体检 indicator "share of residents within the walk"."""
    table = result.table
    districts = table["district"].fillna("").astype(str) if "district" in table else pd.Series("", index=table.index)
    out = {"city": _shares(table, result.types), "districts": {}}
    for name in sorted(set(districts)):
        if name:
            out["districts"][name] = _shares(table[districts == name], result.types)
    if "" in set(districts) and len(out["districts"]):
        out["districts"][""] = _shares(table[districts == ""], result.types)
    out["facilities"] = dict(result.facilities_per_type)
    out["walking_m"] = {kind: rules.distance(kind) for kind in result.types}
    out["labels"] = {kind: rules.label(kind) for kind in result.types}
    out["straight_line"] = result.straight_line
    return out


def _shares(table: pd.DataFrame, types) -> dict:
    people = table["population"].to_numpy(dtype=float)
    known = np.isfinite(people)
    total = float(people[known].sum())
    shares = {}
    for kind in [*types, ALL]:
        column = "basic_covered" if kind == ALL else f"covered_{kind}"
        covered = table[column].to_numpy()[known]
        shares[kind] = float((people[known] * covered).sum() / total) if total > 0 else None
    return {"units": int(len(table)), "population": total, "population_unknown": int((~known).sum()),
            "shares": shares}
