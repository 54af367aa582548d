"""landbureau:livingcircle — the 15-minute living circle (15分钟生活圈) as a Processing algorithm.

The Qt side of analysis.living_circle: read the residential units, the facilities and (optionally) the road lines
in one planar CRS in metres (a geographic layer is reprojected to its Gauss-Krüger zone, never measured in
degrees), map each facility's type code to the profile's types, measure, and write the units back in their own CRS
with dist_<type> / covered_<type> / types_covered / basic_covered / population / reasons (OUTPUT), one row per
unit and type not covered (GAPS), and the population-weighted coverage per district (DISTRICTS, a table, and the
log). Refused, with the layer, feature id and field named: a facility layer without a type field, facilities none
of whose codes the profile knows, a road layer without one usable line, residential units without population or
households. Facilities with unknown codes or without geometry, and road lines without geometry, are named in the
log and left out. Inputs are only read.
"""
from __future__ import annotations

import json

import numpy as np
import shapely
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)

from ..analysis import living_circle as lc
from ..analysis import network
from ..analysis.living_circle_rules import LivingCircleRules
from ..analysis.living_circle_text import LIVING_TEMPLATES
from ..analysis.units import with_unknown
from ..errors import InputError
from ..i18n import tr, translate_in
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField
from .base import LandBureauAlgorithm, check_canceled, listed_ids, translated_reasons
from .sinks import write_table

HOMES_ROLE, FACILITIES_ROLE, ROADS_ROLE = "residential", "facilities", "roads"
MAX_CODES_LISTED = 10


def result_fields(rules: LivingCircleRules) -> list[ResultField]:
    """OUTPUT's fields: two per facility type of the profile (in its order), then the totals."""
    fields = []
    for kind in rules.types:
        label = rules.label(kind)
        fields.append(ResultField(f"dist_{kind}", "real", f"{label}距离(m)"))
        fields.append(ResultField(f"covered_{kind}", "int", f"{label}覆盖"))
    return fields + [ResultField("types_covered", "int", "覆盖设施类数"),
                     ResultField("basic_covered", "int", "基本设施全覆盖"),
                     ResultField("missing", "text", "缺项"),
                     ResultField("population", "real", "人口"),
                     ResultField("reasons", "text", "原因")]


GAP_FIELDS = [
    ResultField("unit", "int", "居住单元要素号"),
    ResultField("type", "text", "设施类型"),
    ResultField("label", "text", "设施名称"),
    ResultField("level", "text", "生活圈层级"),
    ResultField("walk_m", "real", "步行距离标准(m)"),
    ResultField("distance", "real", "最近距离(m)"),
    ResultField("population", "real", "人口"),
    ResultField("district", "text", "行政区"),
]


def district_fields(rules: LivingCircleRules) -> list[ResultField]:
    """DISTRICTS' fields: the district, its units and population, and per type the covered share in percent."""
    fields = [ResultField("district", "text", "行政区"), ResultField("units", "int", "居住单元数"),
              ResultField("population", "real", "人口"), ResultField("population_unknown", "int", "人口不详单元数")]
    fields += [ResultField(f"share_{kind}", "real", f"{rules.label(kind)}覆盖率(%)") for kind in rules.types]
    return fields + [ResultField("share_all", "real", "基本设施全覆盖率(%)")]


class LivingCircleAlgorithm(LandBureauAlgorithm):
    RESIDENTIAL, FACILITIES, ROADS = "RESIDENTIAL", "FACILITIES", "ROADS"
    RESIDENTIAL_FIELD_MAP, FACILITIES_FIELD_MAP, ROADS_FIELD_MAP = (
        "RESIDENTIAL_FIELD_MAP", "FACILITIES_FIELD_MAP", "ROADS_FIELD_MAP")
    OUTPUT, GAPS, DISTRICTS = "OUTPUT", "GAPS", "DISTRICTS"

    def name(self):
        return "livingcircle"

    def displayName(self):  # noqa: N802
        return tr("15-minute living circle (walking coverage of facilities)")

    def group(self):
        return tr("Living circle")

    def groupId(self):  # noqa: N802
        return "livingcircle"

    def shortHelpString(self):  # noqa: N802
        return tr("For every residential unit, the walking distance on the road network to the nearest facility of "
                  "each type (kindergarten, primary and middle school, health station and centre, elderly care, "
                  "culture, sports, market …) and whether it lies within its circle's walk (GB 50180-2018: 5, 10 "
                  "and 15 minutes, 300, 500 and 800–1000 m; the types, codes and distances are in the rule "
                  "profile's living_circle section). The roads are noded at crossings (a bridge or tunnel — the "
                  "layer, bridge, tunnel fields — only where it ends on another road), their ends snapped within "
                  "the profile's tolerance, classes a pedestrian cannot walk left out; units on a part of the "
                  "network without a facility of a type are not covered. A facility polygon (a park, a campus) is "
                  "entered at its edge from the roads along it; a unit or facility farther than the profile's "
                  "maximum access distance from every walkable road has no road access (未接入路网). Without a road "
                  "layer, straight-line distance × the profile's detour factor. Population is the population "
                  "field, else households × the profile's household size. GAPS lists per type the units not "
                  "covered; DISTRICTS the population-weighted coverage per district. The input layers are not "
                  "modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        places = [QgsProcessing.SourceType.TypeVectorPoint, QgsProcessing.SourceType.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RESIDENTIAL, tr("Residential units (population or households)"), places))
        self.add_field_map_parameter(self.RESIDENTIAL_FIELD_MAP, HOMES_ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.FACILITIES, tr("Public service facilities (with a type field)"), places))
        self.add_field_map_parameter(self.FACILITIES_FIELD_MAP, FACILITIES_ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.ROADS, tr("Walking network (road lines; empty = straight lines × detour factor)"),
            [QgsProcessing.SourceType.TypeVectorLine], optional=True))
        self.add_field_map_parameter(self.ROADS_FIELD_MAP, ROADS_ROLE)
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Living circle coverage")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.GAPS, tr("Living circle gaps"), QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True,
            createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.DISTRICTS, tr("Living circle coverage per district"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        self.addOutput(QgsProcessingOutputNumber("COVERAGE", tr("Share of residents with every basic facility "
                                                                "within its walk (%)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        homes = self.parameterAsSource(parameters, self.RESIDENTIAL, context)
        places = self.parameterAsSource(parameters, self.FACILITIES, context)
        roads = self.parameterAsSource(parameters, self.ROADS, context)
        for name, source in ((self.RESIDENTIAL, homes), (self.FACILITIES, places)):
            if source is None:
                raise InputError(self.invalidSourceError(parameters, name))
        rules = self.rules(parameters, context, "living_circle", LivingCircleRules)
        if roads is not None and network.scipy_missing():
            from ..install_advice import CONTEXT, advice

            raise InputError(advice(["scipy ≥ 1.8"], translate=lambda text: translate_in(CONTEXT, text)))
        homes_map = self.resolved_field_map(parameters, context, self.RESIDENTIAL_FIELD_MAP, self.RESIDENTIAL,
                                            homes, HOMES_ROLE, feedback)
        if not (homes_map.get("population") or homes_map.get("households")):
            raise InputError(tr("no population field (人口 / 居住人口 / population) and no households field (户数 / "
                                "households): coverage cannot be weighted by residents. Map one of them in "
                                "RESIDENTIAL_FIELD_MAP, e.g. {{\"households\": \"HS\"}}; fields of the layer: "
                                "{fields}").format(fields=", ".join(f.name() for f in homes.fields())),
                             layer=homes.sourceName())
        places_map = self.resolved_field_map(parameters, context, self.FACILITIES_FIELD_MAP, self.FACILITIES,
                                             places, FACILITIES_ROLE, feedback)
        self.require_fields(places, places_map, ("facility_type",))
        roads_map = {}
        if roads is not None:
            roads_map = self.resolved_field_map(parameters, context, self.ROADS_FIELD_MAP, self.ROADS, roads,
                                                ROADS_ROLE, feedback)
        curve_tolerance = self.curve_tolerance(parameters, context)
        self.check_crs((homes, places, roads), feedback)
        planar = planar_crs_for(self.parameterAsVectorLayer(parameters, self.RESIDENTIAL, context) or homes)
        self.report_reprojection((homes, places, roads), planar, feedback,
                                 tr("Layer {layer} is in {crs}: reprojected to {planar} to measure distances in "
                                    "metres"))

        homes = self.read_once(parameters, context, self.RESIDENTIAL, homes, feedback, progress=False)
        home_columns = read_columns(homes, homes_map, with_geometry=True, target_crs=planar,
                                    curve_tolerance_m=curve_tolerance, numeric=("population", "households"))
        check_canceled(feedback)
        kinds, place_geometries, place_ids = self._facilities(places, places_map, planar, curve_tolerance, rules,
                                                              feedback)
        lines = levels = None
        if roads is not None:
            lines, levels = self._roads(roads, roads_map, planar, curve_tolerance, rules, feedback)
        else:
            feedback.pushWarning(tr("No road network given: distances are straight lines × {factor} (the profile's "
                                    "detour factor), not walking distances on the roads").format(
                factor=rules.detour_factor))
        feedback.setProgress(30)
        check_canceled(feedback)
        result = lc.evaluate(home_columns.geometries, home_columns.frame, place_geometries, kinds, lines, rules,
                             translated_reasons(LIVING_TEMPLATES), road_levels=levels)
        self._report_network(result, rules, homes.sourceName(), feedback)
        if len(result.no_access):
            feedback.pushWarning(tr("Layer {layer}: {n} residential unit(s) farther than {limit} m (the profile's "
                                    "max_access_m) from every walkable road have no road access and are not "
                                    "covered: feature id(s) {ids}").format(
                layer=homes.sourceName(), n=len(result.no_access), limit=f"{rules.max_access_m:g}",
                ids=listed_ids(result.no_access)))
        if len(result.facilities_off_network):
            feedback.pushWarning(tr("Layer {layer}: facilities farther than {limit} m (the profile's max_access_m) "
                                    "from every walkable road are left out: feature id(s) {ids}").format(
                layer=places.sourceName(), limit=f"{rules.max_access_m:g}",
                ids=listed_ids(place_ids[result.facilities_off_network])))
        no_geometry = home_columns.frame.index[shapely.is_missing(lc.locations(home_columns.geometries))]
        if len(no_geometry):
            feedback.pushWarning(tr("Layer {layer}: no usable geometry, distances not measured, feature id(s) "
                                    "{ids}").format(layer=homes.sourceName(), ids=listed_ids(no_geometry)))
        feedback.setProgress(70)
        check_canceled(feedback)

        self.result_spec = result_fields(rules)
        self.district_spec = district_fields(rules)
        outputs = {self.OUTPUT: self.write_output(parameters, self.OUTPUT, context, homes, result.table,
                                                  self.result_spec, feedback, homes.getFeatures(),
                                                  repairs_geometry=False)}
        points = QgsWkbTypes.geometryType(homes.wkbType()) == QgsWkbTypes.GeometryType.PointGeometry
        gap_geometries = _gap_geometries(result.gaps, home_columns, points)
        written = write_table(self, parameters, context, self.GAPS, GAP_FIELDS, result.gaps, gap_geometries,
                              planar, points=points)
        if written is not None:
            outputs[self.GAPS] = written
        summary = lc.summarise(result, rules)
        written = write_table(self, parameters, context, self.DISTRICTS, self.district_spec,
                              district_table(summary, rules))
        if written is not None:
            outputs[self.DISTRICTS] = written
        summary["crs"] = planar.authid()
        summary["sources"] = dict(rules.sources)
        summary["text"] = summary_lines(summary, rules)
        summary["print_note"] = print_note(summary, rules)
        summary["print_rows"] = print_rows(summary, rules)
        for line in summary["text"]:
            feedback.pushInfo(line)
        feedback.setProgress(100)
        share = summary["city"]["shares"][lc.ALL]
        outputs.update({"SUMMARY": json.dumps(summary, ensure_ascii=False, default=float),
                        "COVERAGE": None if share is None else round(100 * share, 6)})
        self.dest_ids = {name: outputs[name] for name in (self.OUTPUT, self.GAPS, self.DISTRICTS) if name in outputs}
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        self.alias_outputs(context, {self.OUTPUT: getattr(self, "result_spec", []), self.GAPS: GAP_FIELDS,
                                     self.DISTRICTS: getattr(self, "district_spec", [])})
        return {}

    def _facilities(self, places, places_map, planar, curve_tolerance, rules, feedback):
        """(profile type per facility or None, geometries): unknown codes and missing types named in the log; no
        usable facility at all refused."""
        columns = read_columns(places, places_map, with_geometry=True, target_crs=planar,
                               curve_tolerance_m=curve_tolerance)
        name, field = places.sourceName(), places_map["facility_type"]
        found = lc.facility_types(columns.frame["facility_type"], rules)
        if len(found.unknown):
            codes = sorted({str(code) for code in found.unknown})
            feedback.pushWarning(tr("Layer {layer}, field {field}: type code(s) {codes} are none of the profile's "
                                    "facility types, left out: feature id(s) {ids}").format(
                layer=name, field=field, codes=", ".join(codes[:MAX_CODES_LISTED]),
                ids=listed_ids(found.unknown.index)))
        if len(found.missing):
            feedback.pushWarning(tr("Layer {layer}, field {field}: no type, left out: feature id(s) {ids}").format(
                layer=name, field=field, ids=listed_ids(found.missing)))
        geometries = np.asarray(columns.geometries, dtype=object)
        empty = shapely.is_missing(geometries) | shapely.is_empty(geometries)
        if empty.any():
            feedback.pushWarning(tr("Layer {layer}: no usable geometry, left out: feature id(s) {ids}").format(
                layer=name, ids=listed_ids(columns.frame.index[empty])))
        kinds = found.kind.to_numpy(dtype=object, copy=True)  # written below: pandas 3 hands a read-only view
        kinds[empty] = None
        if not any(isinstance(kind, (str, tuple)) for kind in kinds):  # None (or NaN) where no known type
            codes = sorted({str(code) for code in found.unknown})[:MAX_CODES_LISTED]
            raise InputError(tr("no facility of a known type with a geometry; the type codes found ({codes}) are "
                                "none of the profile's ({known}). Add the codes to the profile's "
                                "living_circle.facilities").format(
                codes=", ".join(codes) or "-", known=", ".join(sorted(rules.type_of_code()))[:400]),
                layer=name, field=field)
        return kinds, geometries, columns.frame.index

    def _roads(self, roads, roads_map, planar, curve_tolerance, rules, feedback):
        """The walkable road lines: those without geometry named and left out, excluded classes counted; none
        left refused."""
        columns = read_columns(roads, roads_map, with_geometry=True, target_crs=planar,
                               curve_tolerance_m=curve_tolerance)
        name = roads.sourceName()
        geometries = np.asarray(columns.geometries, dtype=object)
        lines = np.isin(shapely.get_type_id(geometries), (1, 2, 5))  # (Multi)LineString, LinearRing
        empty = shapely.is_missing(geometries) | shapely.is_empty(geometries) | ~lines
        if empty.any():
            feedback.pushWarning(tr("Layer {layer}: road line(s) without geometry, left out: feature id(s) "
                                    "{ids}").format(layer=name, ids=listed_ids(columns.frame.index[empty])))
        walk = ~empty
        if "road_class" in columns.frame:
            classes = columns.frame["road_class"]
            walkable = lc.walkable(classes, rules)
            excluded = walk & ~walkable
            if excluded.any():
                feedback.pushInfo(tr("Layer {layer}: {n} line(s) of class(es) {classes} are not walked (the "
                                     "profile's excluded_road_classes)").format(
                    layer=name, n=int(excluded.sum()), classes=", ".join(sorted({str(c) for c in classes[excluded]}))))
            walk &= walkable
        if not walk.any():
            raise InputError(tr("no road line with a geometry that a pedestrian may walk ({n} feature(s) read): "
                                "give a layer of road lines, or no road layer to use straight-line distances").format(
                n=len(geometries)), layer=name)
        levels = lc.road_levels(columns.frame)
        if levels is not None:
            levels = levels[walk]
            raised = int((levels != 0).sum())
            feedback.pushInfo(tr("Layer {layer}: {n} walkable line(s) above or below the ground (bridges, tunnels: "
                                 "layer, bridge, tunnel fields) are joined to other levels only where they end on "
                                 "them, not where they cross them").format(layer=name, n=raised))
        return geometries[walk], levels

    @staticmethod
    def _report_network(result, rules, homes_name, feedback):
        graph = result.network
        if graph is None:
            return
        feedback.pushInfo(tr("Walking network: {edges} edges, {km:,.1f} km, {parts} connected part(s); {snapped} "
                             "line end(s) joined within {tolerance} m").format(
            edges=len(graph.edges), km=float(graph.lengths.sum()) / 1000, parts=graph.components,
            snapped=graph.snapped_ends, tolerance=rules.snap_tolerance_m))
        if result.units_on_minor_parts:
            feedback.pushWarning(tr("Layer {layer}: {n} residential unit(s) lie on parts of the road network apart "
                                    "from the largest; facilities on other parts are unreachable for them").format(
                layer=homes_name, n=result.units_on_minor_parts))


def _gap_geometries(gaps, columns, points: bool):
    """Each gap row's unit geometry (its point for a point layer) in the planar CRS."""
    geometries = np.asarray(columns.geometries, dtype=object)
    position = columns.frame.index.get_indexer(gaps["unit"]) if len(gaps) else np.empty(0, dtype=np.int64)
    chosen = geometries[position] if len(position) else np.empty(0, dtype=object)
    return lc.locations(chosen) if points else chosen


def district_table(summary: dict, rules: LivingCircleRules):
    """DISTRICTS' rows: each district, then the city ("全市"), shares in percent."""
    import pandas as pd

    rows = []
    for name, figures in [*summary["districts"].items(), ("全市", summary["city"])]:
        row = {"district": name, "units": figures["units"], "population": figures["population"],
               "population_unknown": figures["population_unknown"]}
        for kind, share in figures["shares"].items():
            row[f"share_{kind}"] = None if share is None else 100 * share
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.rename(columns={f"share_{lc.ALL}": "share_all"})


def summary_lines(summary: dict, rules: LivingCircleRules) -> list[str]:
    """The summary in words for the log: residents, the share within the walk per type and for all basic types,
    per district, and the source of the walking distances."""
    city = summary["city"]
    separator = translate_in("reasons", ", ")
    lines = [tr("Residential units: {units}, residents {people:,.0f} ({unknown} unit(s) without population, not in "
                "the shares)").format(units=city["units"], people=city["population"],
                                      unknown=city["population_unknown"])]

    def shares(figures):
        parts = [f"{summary['labels'][kind]} {_percent(figures['shares'][kind])}" for kind in rules.types]
        return separator.join(parts)

    lines.append(tr("Residents within the walk, city: {shares}; every basic facility: {all}").format(
        shares=shares(city), all=_percent(city["shares"][lc.ALL])))
    for name, figures in summary["districts"].items():
        lines.append(tr("Residents within the walk, {district}: {shares}; every basic facility: {all}").format(
            district=name or tr("(no district)"), shares=shares(figures), all=_percent(figures["shares"][lc.ALL])))
    missing = [summary["labels"][kind] for kind, n in summary["facilities"].items() if not n]
    if missing:
        lines.append(tr("No facility of type(s) {types}: no unit is covered by them").format(
            types=separator.join(missing)))
    walks = separator.join(f"{level} {metres:,.0f} m" for level, metres in rules.walking_m.items())
    lines.append(tr("Walking distances: {walks} ({source})").format(
        walks=walks, source=rules.source_table()["walking_m"].text(translate_in("reasons", "local default"))))
    return lines


UNKNOWN_POPULATION = "{n}个单元人口不明未计"  # as the printed figures say it (themes.LIVING_CIRCLE)


def print_note(summary: dict, rules: LivingCircleRules) -> str:
    """The printed subtitle's note (Chinese, like every printed text): the walking distances, the city's share of
    residents with every basic facility within its walk (of the known population: the units whose population is
    unknown are named, units.with_unknown), and — without roads — that distances are straight lines."""
    walks = "、".join(f"{level.replace('min', '分钟')}{metres:,.0f} m" for level, metres in rules.walking_m.items())
    city = summary["city"]
    share = with_unknown(_percent(city["shares"][lc.ALL]), city.get("population_unknown", 0), UNKNOWN_POPULATION)
    note = f"步行距离{walks}；基本设施全覆盖人口{share}"
    if summary.get("straight_line"):
        note += f"；无路网，按直线距离×{rules.detour_factor:g}估算"
    return note


def print_rows(summary: dict, rules: LivingCircleRules) -> list[dict]:
    """The printed coverage per type (layouts/themes.COVERAGE_PRINTED): label, circle, walk, facilities, the share
    of the city's residents within the walk (%), then every basic type together."""
    shares = summary["city"]["shares"]
    rows = []
    for kind in rules.types:
        share = shares[kind]
        rows.append({"printed": 1, "label": rules.label(kind), "level": rules.level(kind).replace("min", "分钟"),
                     "walk_m": rules.distance(kind), "facilities": summary["facilities"].get(kind, 0),
                     "share": None if share is None else round(100 * share, 6)})
    share = shares[lc.ALL]
    rows.append({"printed": 1, "label": "基本设施全覆盖", "level": None, "walk_m": None,
                 "facilities": sum(summary["facilities"].get(kind, 0) for kind in rules.basic_types),
                 "share": None if share is None else round(100 * share, 6)})
    return rows


def _percent(share) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"
