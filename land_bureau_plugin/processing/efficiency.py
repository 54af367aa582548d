"""landbureau:lowefficiency — 低效用地评价 as a Processing algorithm.

The Qt side of `analysis.efficiency`: read parcels (and buildings) in one planar CRS, judge them, write the parcels
back in their own CRS with the result fields, and report — in the log and as a SUMMARY JSON output — what a
planner needs for the meeting (parcels and 亩 per grade, low-efficiency land, potential floor area in 万m², per
district) plus every feature whose geometry had to be repaired or could not be used, by feature id.
"""
from __future__ import annotations

import dataclasses
import json

import shapely
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingUtils,
    QgsWkbTypes,
)

from ..analysis import efficiency
from ..analysis.efficiency_reading import folded_districts
from ..analysis.fields import FIELDS, NUMBER
from ..analysis.land_use_codes import LandUseSystemError
from ..analysis.memory import give_back
from ..analysis.messages import LIST_SEPARATOR, Message
from ..analysis.overlay import Cleaning
from ..analysis.plausibility import PERCENT, PERCENT_SIGN
from ..i18n import tr, translate_in
from ..qgis_bridge.layers import features_of, planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField, attribute_rows, qgs_fields, set_aliases
from . import in_database, land_use
from .base import LandBureauAlgorithm, check_canceled, listed_ids, percent_sign_note, translated_reasons
from .steps import StepFeedback

PARCELS_ROLE, BUILDINGS_ROLE = "parcels", "buildings"
BUILDING_COLUMNS = ("floors", "height")

RESULT_FIELDS = [
    ResultField("far", "real", "容积率"),
    ResultField("coverage", "real", "建筑系数"),
    ResultField("tax_per_mu", "real", "亩均税收(万元)"),
    ResultField("output_per_mu", "real", "亩均产值(万元)"),
    ResultField("score", "real", "亩均评分"),
    ResultField("grade", "text", "评价等级"),
    ResultField("low_eff", "int", "低效用地"),
    ResultField("reasons", "text", "原因"),
    ResultField("potential_m2", "real", "潜力建筑面积(m²)"),
    ResultField("cluster_id", "int", "并宗组团"),
    ResultField("mode", "text", "再开发模式"),
    ResultField("area_mu", "real", "用地面积(亩)"),  # as measured (planar): what FAR and potential stand on
    ResultField("ent_class", "text", "企业类别"),
    ResultField("rank", "int", "排名"),
    ResultField("rank_n", "int", "参评数"),
]
CLUSTER_FIELDS = [
    ResultField("cluster_id", "int", "并宗组团"),
    ResultField("parcels", "int", "地块数"),
    ResultField("area_mu", "real", "用地面积(亩)"),
    ResultField("potential_m2", "real", "潜力建筑面积(m²)"),
]


def numeric_fields(field_map: dict[str, str]) -> tuple[str, ...]:
    """The mapped canonical fields that hold numbers (read as float columns)."""
    return tuple(canon for canon in field_map if canon in FIELDS and FIELDS[canon].kind == NUMBER)


def building_limits(rules) -> str:
    """The buildings' plausibility limits the profile keeps, for the log ("200 storeys, 500 m"): a limit switched
    off (null) is left out, never printed as 0."""
    floors, height = rules.limit("floors"), rules.limit("height")
    if floors is not None and height is not None:
        return tr("{floors:g} storeys, {height:g} m").format(floors=floors, height=height)
    if floors is not None:
        return tr("{floors:g} storeys").format(floors=floors)
    return tr("{height:g} m").format(height=height) if height is not None else ""


def translated_templates() -> dict[str, str]:
    return translated_reasons(efficiency.EFFICIENCY_TEMPLATES)


class LowEfficiencyAlgorithm(LandBureauAlgorithm):
    PARCELS, BUILDINGS, OUTPUT, CLUSTER_OUTLINES = "PARCELS", "BUILDINGS", "OUTPUT", "CLUSTER_OUTLINES"
    AS_OF = "AS_OF"
    PARCEL_FIELD_MAP, BUILDING_FIELD_MAP = "PARCEL_FIELD_MAP", "BUILDING_FIELD_MAP"

    def name(self):
        return "lowefficiency"

    def displayName(self):  # noqa: N802
        return tr("Low-efficiency land")

    def group(self):
        return tr("Land efficiency")

    def groupId(self):  # noqa: N802
        return "efficiency"

    def shortHelpString(self):  # noqa: N802
        return tr("Scores every industrial and warehouse parcel: FAR and coverage from the buildings clipped to each "
                  "parcel (or from the parcel's own fields), economic indicators per mu against the district "
                  "reference, a grade A–D by rank within the district (亩均论英雄: enterprise classes 规上 / 规下, "
                  "small enterprises and tenants listed apart, new enterprises, projects under construction and "
                  "utilities not graded) or by score bands, the low-efficiency flag with its reasons, the potential "
                  "floor area up to the target FAR, merge clusters of neighbouring low-efficiency parcels and a "
                  "redevelopment mode. "
                  "Who is judged is decided by the land use, read in the layer's code system (GB/T 21010-2017, the "
                  "2023 land and sea use guide or GB 50137-2011: detected from the values, or set by "
                  "LAND_USE_SYSTEM); without a land-use field the run stops unless ALL_INDUSTRIAL says every "
                  "feature is industrial land. Thresholds come from the rule profile. Geographic layers are measured "
                  "in a projected CRS; the output keeps the parcels' CRS. The input layers are not modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PARCELS, tr("Parcels"), [QgsProcessing.SourceType.TypeVectorPolygon]))
        self.add_field_map_parameter(self.PARCEL_FIELD_MAP, PARCELS_ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BUILDINGS, tr("Buildings (footprints with storeys and/or height)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.add_field_map_parameter(self.BUILDING_FIELD_MAP, BUILDINGS_ROLE)
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterDateTime(
            self.AS_OF, tr("As-of date of the grading: new enterprises' years since production start (empty = "
                           "today)"), type=QgsProcessingParameterDateTime.Type.Date, optional=True))
        land_use.add_system_parameter(self)
        land_use.add_all_industrial_parameter(self)
        in_database.add_parameters(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Low-efficiency land")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.CLUSTER_OUTLINES, tr("Merge cluster outlines"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        self.addOutput(QgsProcessingOutputNumber("LOW_EFF", tr("Low-efficiency parcels")))
        self.addOutput(QgsProcessingOutputNumber("LOW_EFF_MU", tr("Low-efficiency land (mu)")))
        self.addOutput(QgsProcessingOutputNumber("POTENTIAL_WAN_M2", tr("Potential floor area (10,000 m²)")))
        self.addOutput(QgsProcessingOutputNumber("CLUSTERS", tr("Merge clusters")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.PARCELS, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PARCELS))
        buildings = self.parameterAsSource(parameters, self.BUILDINGS, context)
        rules = self.rules(parameters, context, "efficiency", efficiency.EfficiencyRules)
        self.as_of = self.as_of_date(parameters, self.AS_OF, context)
        self.curve_tolerance_m = self.curve_tolerance(parameters, context)
        parcel_map = self.resolved_field_map(parameters, context, self.PARCEL_FIELD_MAP, self.PARCELS, source,
                                             PARCELS_ROLE, feedback)
        self.check_crs((source, buildings), feedback)
        rules = dataclasses.replace(
            rules, land_use_system=land_use.system_of(self, parameters, context, rules.land_use_system),
            all_industrial=rules.all_industrial or land_use.all_industrial(self, parameters, context))
        if not rules.all_industrial and "land_use" not in parcel_map:  # before anything is read
            raise LandUseSystemError(Message(efficiency.LAND_USE_NOT_MAPPED), layer=source.sourceName())
        planar = planar_crs_for(source)
        self.report_reprojection((source, buildings), planar, feedback,
                                 tr("Layer {layer} is in {crs}: areas and lengths are measured in {planar}"))
        steps = StepFeedback(4, feedback)

        building_map = {}
        if buildings is not None:
            building_map = self.resolved_field_map(parameters, context, self.BUILDING_FIELD_MAP, self.BUILDINGS,
                                                   buildings, BUILDINGS_ROLE, feedback)
            building_map = {k: v for k, v in building_map.items() if k in BUILDING_COLUMNS}
        layers = in_database.database_layers(self, parameters, context, [self.PARCELS, self.BUILDINGS], feedback)
        self.land_use_field = parcel_map.get("land_use", "")
        self.district_field = parcel_map.get("district", "")
        try:
            if layers is not None:  # every input a table of one PostGIS database: the overlay runs there
                with in_database.efficiency(self, parameters, context, layers, parcel_map, building_map, rules,
                                            translated_templates(), planar, steps, self.curve_tolerance_m) as evaluated:
                    return self._write(parameters, context, source, buildings, planar, evaluated, rules, steps,
                                       feedback)
            source = self.read_once(parameters, context, self.PARCELS, source, steps, repairs_geometry=True)
            self.check_copy_ahead(parameters, self.OUTPUT, source, RESULT_FIELDS)
            evaluated = self._local(source, buildings, parcel_map, building_map, rules, planar, steps, feedback)
        except LandUseSystemError as error:  # the land use cannot say who is judged: name the layer
            error.layer = error.layer or source.sourceName()
            raise
        return self._write(parameters, context, source, buildings, planar, evaluated, rules, steps, feedback)

    def _write(self, parameters, context, source, buildings, planar, evaluated, rules, steps, feedback) -> dict:
        """Outlines, summary and the output layer (the source features with their results), then the log."""
        result = evaluated.result
        outputs = {}
        outline_id = self._write_outlines(parameters, context, source, planar, result, evaluated.geometries)
        evaluated.geometries = None  # the parcels' planar geometries (~0.4 GB at a million) are not written
        give_back(len(result))  # … nor kept as free heap while the output is written (analysis.memory)
        if outline_id:
            outputs[self.CLUSTER_OUTLINES] = outline_id
        summary = efficiency.summarise(result, evaluated.frame)
        summary["crs"] = planar.authid()
        summary["sources"] = {rule: source.to_profile() for rule, source in rules.source_table().items()}
        if "land_use" in summary:  # how the run decided who is judged: the log, and the printed subtitle's note
            summary["land_use"]["note"] = land_use.note(summary["land_use"])
            for line in land_use.log_lines(source.sourceName(), self.land_use_field, summary["land_use"]):
                feedback.pushInfo(line)
            unknown = land_use.unknown_values_warning(source.sourceName(), self.land_use_field, summary["land_use"])
            if unknown:
                feedback.pushWarning(unknown)
        folded = folded_districts(evaluated.frame) if evaluated.frame is not None else {}
        if folded:
            feedback.pushInfo(tr("Layer {layer}, field {field}: district names in traditional characters are read in "
                                 "simplified characters, one district with those written so: {names}").format(
                layer=source.sourceName(), field=self.district_field,
                names=translate_in("reasons", LIST_SEPARATOR).join(f"{a} → {b}" for a, b in folded.items())))
        steps.setCurrentStep(3)
        outputs[self.OUTPUT] = self.write_output(parameters, self.OUTPUT, context, source, evaluated.rows,
                                                 RESULT_FIELDS, steps, evaluated.features(source.fields()))
        check_canceled(feedback)
        self.dest_ids = dict(outputs)
        self._report(source, buildings, evaluated.building_ids, result, summary, rules, feedback)
        return {**outputs, "SUMMARY": json.dumps(summary, ensure_ascii=False),
                "LOW_EFF": summary["low_eff"]["parcels"], "LOW_EFF_MU": summary["low_eff"]["mu"],
                "POTENTIAL_WAN_M2": summary["potential_wan_m2"], "CLUSTERS": summary["clusters"]["count"]}

    def _local(self, source, buildings, parcel_map, building_map, rules, planar, steps, feedback):
        """The local engine: every feature read into QGIS; the output is written from the same source (read once
        when it is a shared table: `read_once`)."""
        parcels = read_columns(source, parcel_map, with_geometry=True, target_crs=planar, feedback=steps,
                               curve_tolerance_m=self.curve_tolerance_m,
                               repairs_geometry=True, numeric=numeric_fields(parcel_map))
        check_canceled(feedback)
        # the parcels' validity check on the other core while the buildings are read (overlay.Cleaning)
        cleaning = Cleaning(parcels.geometries)
        steps.setCurrentStep(1)
        building_columns = None
        if buildings is not None:
            building_columns = read_columns(buildings, building_map, with_geometry=True, target_crs=planar,
                                            curve_tolerance_m=self.curve_tolerance_m,
                                            feedback=steps, repairs_geometry=True, numeric=BUILDING_COLUMNS)
            check_canceled(feedback)
        steps.setCurrentStep(2)
        give_back(len(parcels.frame))  # the reading's buffers: the overlay's threads allocate heaps of their own
        building_ids = building_columns.frame.index if building_columns is not None else None
        if building_columns is None:
            spatial = efficiency.LocalSpatial(parcels.geometries, cleaning=cleaning)
        else:
            frame = building_columns.frame
            spatial = efficiency.LocalSpatial(parcels.geometries, building_columns.geometries, frame.get("floors"),
                                              frame.get("height"), cleaning=cleaning)
            del frame
        # the buildings live on in `spatial` only, which lets them go once the floor areas are measured (a million
        # buildings' geometries are ~0.6 GB, needed neither for the rest of the judgement nor for writing)
        del building_columns
        result = self._evaluate(parcels, spatial, rules, parcel_map, steps)
        return in_database.Evaluated(result, parcels.frame, parcels.geometries, building_ids,
                                     lambda _fields: features_of(source, repairs_geometry=True), result)

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        """On the main thread: the Chinese field aliases on outputs already loaded (memory layers; a file output is
        not opened just for them — that took seconds at a million features)."""
        specs = {self.OUTPUT: RESULT_FIELDS, self.CLUSTER_OUTLINES: CLUSTER_FIELDS}
        for name, dest_id in getattr(self, "dest_ids", {}).items():
            layer = QgsProcessingUtils.mapLayerFromString(dest_id, context, False)
            if layer is not None:
                set_aliases(layer, specs[name])
        return {}

    # --- steps ------------------------------------------------------------------------------------------------
    def _write_outlines(self, parameters, context, source, planar, result, geometries) -> str | None:
        """The dissolved outline of each merge cluster, in the parcels' CRS, when that output is asked for."""
        if parameters.get(self.CLUSTER_OUTLINES) is None:
            return None
        frame, outlines = efficiency.cluster_outlines(result, geometries)
        fields = QgsFields()
        for field in qgs_fields(CLUSTER_FIELDS):
            fields.append(field)
        sink, dest_id = self.parameterAsSink(parameters, self.CLUSTER_OUTLINES, context, fields,
                                             QgsWkbTypes.Type.MultiPolygon, source.sourceCrs())
        if sink is None:
            return None
        back = QgsCoordinateTransform(planar, source.sourceCrs(), context.transformContext())
        rows = attribute_rows(frame, CLUSTER_FIELDS)
        features = []
        for position, wkb in enumerate(shapely.to_wkb(outlines).tolist()):  # one call, not one per outline
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            geometry.convertToMultiType()
            if planar != source.sourceCrs():
                geometry.transform(back)
            feature = QgsFeature(fields)
            feature.setGeometry(geometry)
            feature.setAttributes(list(rows[frame.index[position]]))
            features.append(feature)
        sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert)
        return dest_id

    def _evaluate(self, parcels, spatial, rules, parcel_map, feedback):
        def progress(fraction):
            feedback.setProgress(100.0 * fraction)
            check_canceled(feedback)

        return efficiency.evaluate(parcels.frame, rules=rules, templates=translated_templates(),
                                   field_labels=parcel_map, spatial=spatial, progress=progress, as_of=self.as_of)

    def _report(self, source, buildings, building_ids, result, summary, rules, feedback) -> None:
        """Geometry problems by feature id, building estimates, then the summary, in the log."""
        report = result.attrs["report"]
        problems = [(source, report.parcels_repaired, report.parcels_empty)]
        if building_ids is not None:
            problems.append((buildings, building_ids[report.buildings_repaired], building_ids[report.buildings_empty]))
            counts = summary["buildings"]
            if counts["storeys_from_height"]:
                feedback.pushInfo(tr("{n} building(s) without storeys: storeys estimated from the height").format(
                    n=counts["storeys_from_height"]))
            if counts["one_storey"]:
                feedback.pushWarning(tr("{n} building(s) without storeys or height: counted as 1 storey").format(
                    n=counts["one_storey"]))
            if counts["outside_parcels"]:
                feedback.pushInfo(tr("{n} building(s) lie on no parcel").format(n=counts["outside_parcels"]))
            if counts["implausible"]:
                feedback.pushWarning(tr("{n} building(s) of layer {layer} with storeys or height above the plausible "
                                        "limit ({limits}): that value is not used").format(
                    n=counts["implausible"], layer=buildings.sourceName(), limits=building_limits(rules)))
            if counts["parcels_without_building_data"]:
                feedback.pushWarning(tr(
                    "{n} parcel(s) have no building of layer {layer} within {radius} m: outside the area that layer "
                    "covers, so no building data (FAR and coverage not judged, no potential)").format(
                    n=counts["parcels_without_building_data"], layer=buildings.sourceName(),
                    radius=f"{rules.building_data_radius_m:g}"))
        for layer, repaired, empty in problems:
            if len(repaired):
                feedback.pushWarning(tr("Layer {layer}: invalid geometry repaired for feature id(s) {ids}").format(
                    layer=layer.sourceName(), ids=listed_ids(repaired)))
            if len(empty):
                feedback.pushWarning(tr("Layer {layer}: empty or non-polygon geometry, not used, feature id(s) "
                                        "{ids}").format(layer=layer.sourceName(), ids=listed_ids(empty)))
        self._report_values(source, result, rules, feedback)
        for line in summary_lines(summary):
            feedback.pushInfo(line)

    @staticmethod
    def _report_values(source, result, rules, feedback) -> None:
        """How the values were read: percent columns, the reference, duplicate ids and suspected unit errors."""
        report, layer = result.attrs["report"], source.sourceName()
        names = {"far": tr("FAR"), "coverage": tr("coverage")}
        for field, unit in report.units.items():
            if unit == PERCENT:
                feedback.pushInfo(tr("Layer {layer}: {field} read in percent (divided by 100); set {key} in the rule "
                                     "profile to change this").format(layer=layer, field=names[field],
                                                                      key=f"efficiency.{field}_unit"))
            elif unit == PERCENT_SIGN:
                feedback.pushInfo(percent_sign_note(layer, names[field], report.percent_values.get(field, ())))
        reference = {"median": tr("the median"), "trimmed_mean": tr("the trimmed mean")}[rules.reference]
        feedback.pushInfo(tr("Per-mu indicators are compared with {reference} of the parcels in the same district "
                             "(profile: efficiency.reference)").format(reference=reference))
        if report.duplicate_ids:
            feedback.pushWarning(tr("Layer {layer}: parcel id(s) used more than once: {ids}").format(
                layer=layer, ids=listed_ids(report.duplicate_ids)))
        for indicator, ids in report.unit_errors.items():
            label = translate_in("reasons", efficiency.EFFICIENCY_TEMPLATES[f"indicator_{indicator}"])
            feedback.pushWarning(tr("Layer {layer}: {indicator} {factor:g}× or more the reference, suspected unit "
                                    "error (not used), feature id(s) {ids}").format(
                layer=layer, indicator=label, factor=rules.unit_error_factor, ids=listed_ids(ids)))


def class_names() -> dict[str, str]:
    return {"above": tr("above designated size (规上)"), "below": tr("below designated size (规下)"),
            "apart": tr("listed apart"), "exempt": tr("not graded (不定等级)"), "all": tr("all parcels")}


def class_line(summary: dict) -> str:
    """"Per class: 规上 20 (A 5, B 9, C 5, D 1); 单列 3; 不定等级 2" — graded classes with their grades; "" for a run
    without classes in its summary."""
    per_class = summary.get("per_class") or {}
    comma, semicolon = translate_in("reasons", LIST_SEPARATOR), translate_in("reasons", "; ")
    parts = []
    for name, counts in per_class.items():
        grades = comma.join(f"{g} {n}" for g, n in counts["per_grade"].items() if n)
        parts.append(f"{class_names().get(name, name)} {counts['parcels']}" + (f" ({grades})" if grades else ""))
    return tr("Per class: {classes}").format(classes=semicolon.join(parts)) if parts else ""


def unknown_line(summary: dict) -> str:
    """What the 亩 and the potential of the summary leave out for want of a value ("" when nothing): the log and the
    demo say it, as the printed figures do (1宗潜力不明)."""
    unknown = summary.get("unknown") or {}
    if not unknown.get("mu") and not unknown.get("low_eff_potential"):
        return ""
    return tr("Not in the figures above: {area} parcel(s) of unknown area ({low} of them low-efficiency), "
              "{potential} low-efficiency parcel(s) of unknown potential (FAR or area unknown)").format(
        area=unknown.get("mu", 0), low=unknown.get("low_eff_mu", 0), potential=unknown.get("low_eff_potential", 0))


def summary_lines(summary: dict) -> list[str]:
    """The summary in words: grades, low-efficiency land, potential, clusters, districts (log and panel)."""
    grades = translate_in("reasons", LIST_SEPARATOR).join(
        tr("{grade} {n} ({mu:,.1f} mu)").format(grade=g, n=c["parcels"], mu=c["mu"])
        for g, c in summary["per_grade"].items() if g != "none")
    lines = [
        tr("Parcels: {n} ({mu:,.1f} mu); per grade: {grades}; not graded: {none}").format(
            n=summary["parcels"], mu=summary["mu"], grades=grades, none=summary["per_grade"]["none"]["parcels"]),
        tr("Low-efficiency land: {n} parcels, {mu:,.1f} mu; potential floor area {potential:,.2f} (10,000 m²), "
           "of which {low:,.2f} on low-efficiency land; merge clusters: {clusters}").format(
            n=summary["low_eff"]["parcels"], mu=summary["low_eff"]["mu"], potential=summary["potential_wan_m2"],
            low=summary["low_eff_potential_wan_m2"], clusters=summary["clusters"]["count"]),
    ]
    classes = class_line(summary)
    if classes:
        lines.insert(1, classes)
    unknown = unknown_line(summary)
    if unknown:
        lines.insert(2 if classes else 1, unknown)
    for name, counts in (summary.get("per_district") or {}).items():
        lines.append(tr("{district}: {n} parcels ({mu:,.1f} mu), low efficiency {low} ({low_mu:,.1f} mu)").format(
            district=name, n=counts["parcels"], mu=counts["mu"], low=counts["low_eff"]["parcels"],
            low_mu=counts["low_eff"]["mu"]))
    return lines
