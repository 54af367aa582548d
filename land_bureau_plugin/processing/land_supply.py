"""landbureau:landsupply — land supply supervision (批而未供 / 供而未用 / 闲置土地) as a Processing algorithm.

The Qt side of analysis.land_supply and analysis.land_supply_batches: read the supplied parcels (and, when given,
the approval batches) in one planar CRS, judge every parcel under the 闲置土地 rules of the profile's `land_supply`
section (warning windows: the `resettlement` section's, one board for both), write the parcels back in their own CRS
with the result fields (OUTPUT) and each batch's unsupplied part as a polygon in the planar CRS (UNSUPPLIED), and
report the figures (statuses, idle area and fees, unsupplied 亩 by grade) in the log and as a SUMMARY JSON output.
Inputs are only read; a parcel or batch without usable geometry is judged on its dates, counted apart and named by
feature id in the log.
"""
from __future__ import annotations

import json
from typing import NamedTuple

import shapely
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

from ..analysis import land_supply, land_supply_batches
from ..analysis.dates import as_of_day
from ..analysis.land_supply_rules import LandSupplyRules
from ..analysis.land_supply_text import STATUSES, SUPPLY_TEMPLATES
from ..analysis.messages import LIST_SEPARATOR
from ..analysis.resettlement import ResettlementRules
from ..analysis.units import M2_PER_MU
from ..analysis.upstairs_overlay import clean_polygons
from ..i18n import tr, translate_in
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField
from . import in_database
from .base import LandBureauAlgorithm, check_canceled, listed_ids, translated_reasons
from .sinks import report_geometry_problems, write_table

ROLE, BATCH_ROLE = "land_supply", "approval_batches"
RESULT_FIELDS = [
    ResultField("supply_status", "text", "供地状态"),
    ResultField("grade", "text", "预警等级"),
    ResultField("next_deadline", "text", "下一期限"),
    ResultField("next_due", "date", "期限日期"),
    ResultField("days_left", "int", "剩余天数"),
    ResultField("idle_days", "int", "闲置天数"),
    ResultField("idle_fee", "real", "土地闲置费(万元)"),
    ResultField("area_m2", "real", "宗地面积(m²)"),
    ResultField("developed_share", "real", "已开发比例"),
    ResultField("investment_share", "real", "已投资比例"),
    ResultField("reasons", "text", "原因"),
]
UNSUPPLIED_FIELDS = [
    ResultField("batch_fid", "int", "批次要素号"),
    ResultField("batch_id", "text", "批次编号"),
    ResultField("batch_name", "text", "批次名称"),
    ResultField("district", "text", "行政区"),
    ResultField("approval_date", "date", "批准日期"),
    ResultField("approved_m2", "real", "批准面积(m²)"),
    ResultField("supplied_m2", "real", "已供面积(m²)"),
    ResultField("unsupplied_m2", "real", "未供面积(m²)"),
    ResultField("unsupplied_mu", "real", "未供面积(亩)"),
    ResultField("age_days", "int", "批准天数"),
    ResultField("due", "date", "消化期限"),
    ResultField("days_left", "int", "剩余天数"),
    ResultField("grade", "text", "预警等级"),
    ResultField("reasons", "text", "原因"),
]


def translated_templates() -> dict[str, str]:
    return translated_reasons(SUPPLY_TEMPLATES)


def status_labels() -> dict[str, str]:
    """The statuses in words, as the panel, the log and the legend name them (the layer keeps the codes)."""
    return {"on_time": tr("on time"), "due_soon": tr("due soon"), "unused": tr("supplied, unused"),
            "idle": tr("idle"), "reclaim": tr("to be taken back"), "completed": tr("completed"),
            "government_delay": tr("government delay"), "missing": tr("data error")}


def deadline_labels() -> dict[str, str]:
    return {"start": tr("construction start"), "idle": tr("becomes idle"), "reclaim": tr("taken back"),
            "complete": tr("completion")}


class LandSupplyAlgorithm(LandBureauAlgorithm):
    SUPPLY, APPROVALS, AS_OF = "SUPPLY", "APPROVALS", "AS_OF"
    FIELD_MAP, APPROVALS_FIELD_MAP = "FIELD_MAP", "APPROVALS_FIELD_MAP"
    OUTPUT, UNSUPPLIED = "OUTPUT", "UNSUPPLIED"

    def name(self):
        return "landsupply"

    def displayName(self):  # noqa: N802
        return tr("Land supply supervision (approved, supplied, idle)")

    def group(self):
        return tr("Land supply")

    def groupId(self):  # noqa: N802
        return "landsupply"

    def shortHelpString(self):  # noqa: N802
        return tr("Judges every supplied parcel on the as-of date under the idle-land rules (闲置土地处置办法, 2012; "
                  "thresholds and their sources in the rule profile's land_supply section): on time, due soon, "
                  "supplied but unused (start date passed, less than a year), idle (a year or more; idle fee 20 % of "
                  "the land price), to be taken back (two years or more), completed, government-caused delay "
                  "(exempt), or data error with the reason. Started parcels whose work stopped are idle when the "
                  "developed area is under 1/3 or the investment under 25 % and work has stopped a year. With the "
                  "approval batches, UNSUPPLIED holds per batch the approved area not covered by supplied parcels "
                  "(批而未供) with its age and grade. The input layers are not modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        polygons = [QgsProcessing.SourceType.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(self.SUPPLY, tr("Supplied parcels"), polygons))
        self.add_field_map_parameter(self.FIELD_MAP, ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.APPROVALS, tr("Approval batches (for approved but unsupplied land)"), polygons, optional=True))
        self.add_field_map_parameter(self.APPROVALS_FIELD_MAP, BATCH_ROLE)
        self.addParameter(QgsProcessingParameterDateTime(
            self.AS_OF, tr("As-of date (empty = today)"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True))
        self.add_profile_parameter()
        in_database.add_parameters(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Land supply supervision")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.UNSUPPLIED, tr("Approved but unsupplied land"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        for status in STATUSES:
            self.addOutput(QgsProcessingOutputNumber(status.upper(), status))
        self.addOutput(QgsProcessingOutputNumber("IDLE_FEE", tr("Idle fees (万元)")))
        self.addOutput(QgsProcessingOutputNumber("IDLE_FEE_UNKNOWN", tr(
            "Idle parcels whose fee is unknown (no land price)")))
        self.addOutput(QgsProcessingOutputNumber("UNSUPPLIED_MU", tr("Approved but unsupplied (亩)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Invalid geometries are repaired and reported by the analysis (Processing's own check would stop the run).
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        source = self.parameterAsSource(parameters, self.SUPPLY, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.SUPPLY))
        approvals = self.parameterAsSource(parameters, self.APPROVALS, context)
        field_map = self.resolved_field_map(parameters, context, self.FIELD_MAP, self.SUPPLY, source, ROLE, feedback)
        self.require_fields(source, field_map, ("agreed_start_date",))
        batch_map = None
        if approvals is not None:
            batch_map = self.resolved_field_map(parameters, context, self.APPROVALS_FIELD_MAP, self.APPROVALS,
                                                approvals, BATCH_ROLE, feedback)
            self.require_fields(approvals, batch_map, ("approval_date",))
        rules = self.rules(parameters, context, "land_supply", LandSupplyRules)
        windows = self.rules(parameters, context, "resettlement", ResettlementRules).warning_days()
        self.curve_tolerance_m = self.curve_tolerance(parameters, context)
        as_of = self.as_of_date(parameters, self.AS_OF, context)
        as_of_day(as_of)  # in range, else the run's one-line error
        self.check_crs((source, approvals), feedback)
        planar = planar_crs_for(self.parameterAsVectorLayer(parameters, self.APPROVALS, context) or approvals
                                or self.parameterAsVectorLayer(parameters, self.SUPPLY, context) or source)
        self.report_reprojection((source, approvals), planar, feedback,
                                 tr("Layer {layer} is in {crs}: reprojected to {planar} to measure areas"))
        feedback.pushInfo(tr("As-of date: {date}").format(date=as_of.isoformat()))
        if "parcel_id" not in field_map:
            feedback.pushWarning(tr("Layer {layer}: no parcel id field (电子监管号 / 宗地编号 / parcel_id); parcels "
                                    "are named by feature id").format(layer=source.sourceName()))

        layers = in_database.database_layers(self, parameters, context, [self.SUPPLY, self.APPROVALS], feedback)
        if layers is not None:
            return self._in_database(parameters, context, source, layers, field_map, batch_map, as_of, rules,
                                     windows, planar, feedback)
        source = self.read_once(parameters, context, self.SUPPLY, source, feedback, progress=False)
        columns = read_columns(source, field_map, with_geometry=True, target_crs=planar,
                               curve_tolerance_m=self.curve_tolerance_m, feedback=feedback,
                               numeric=land_supply.NUMBER_FIELDS)  # numeric fields as floats: no text parsing
        check_canceled(feedback)
        feedback.setProgress(30)
        clean = clean_polygons(columns.geometries)
        ids = columns.frame.index
        templates = translated_templates()
        result = land_supply.evaluate(columns.frame, as_of, rules, windows, templates, field_map,
                                      areas=shapely.area(clean.geometry), no_geometry=clean.empty)
        batches = None
        if approvals is not None:
            batch_columns = read_columns(approvals, batch_map, with_geometry=True, target_crs=planar,
                                         curve_tolerance_m=self.curve_tolerance_m)
            check_canceled(feedback)
            measured = land_supply_batches.unsupplied(batch_columns.geometries, batch_columns.frame, clean,
                                                      as_of, rules, windows, templates, batch_map)
            batch_ids = batch_columns.frame.index
            batches = Batches(measured.table, measured.geometry, batch_ids[measured.batches_repaired],
                              batch_ids[measured.batches_empty], batch_ids[measured.duplicated])
        return self._finish(parameters, context, feedback, source, approvals, as_of, rules, windows, planar,
                            result, columns.frame.get("district"), ids[clean.repaired], ids[clean.empty], batches,
                            source.getFeatures(), result)

    def _in_database(self, parameters, context, source, layers, field_map, batch_map, as_of, rules, windows, planar,
                     feedback) -> dict:
        """The same in the database (postgis.land_supply): the parcels' attributes and planar areas and the
        batches' unsupplied parts come from the run's snapshot, judged by the same Python code; the output's
        features too, and the run is committed once the outputs are written."""
        engine = in_database.postgis_engine()
        supply_layer, batches_layer = layers
        approvals = self.parameterAsSource(parameters, self.APPROVALS, context)
        with engine.land_supply_run(supply_layer, batches_layer, field_map, batch_map, as_of, rules, windows,
                                    translated_templates(), feedback, in_database.create_index(self, parameters,
                                                                                               context),
                                    self.curve_tolerance_m) as run:
            keys = run.result.index
            repaired, empty = run.supply_report
            batches = None
            if run.unsupplied is not None:
                found = run.unsupplied
                batch_keys = found.table.index
                batches = Batches(found.table, found.geometry, batch_keys[found.repaired], batch_keys[found.empty],
                                  batch_keys[found.duplicated])
            districts = run.frame.get("district") if run.frame is not None else None
            outputs = self._finish(parameters, context, feedback, source, approvals, as_of, rules, windows, planar,
                                   run.result, districts, keys[repaired], keys[empty], batches,
                                   run.features(source.fields(), feedback), run.rows())
        in_database.log_run(feedback, run)
        return outputs

    def _finish(self, parameters, context, feedback, source, approvals, as_of, rules, windows, planar, result,
                districts, repaired, empty, batches, features, rows) -> dict:
        """Both engines' outputs: the parcels (`features` with `rows`, aligned by feature id), UNSUPPLIED, the
        geometry problems by feature id, the summary and the log lines."""
        report_geometry_problems(source.sourceName(), repaired, empty, feedback)
        dest_id = self.write_output(parameters, self.OUTPUT, context, source, rows, RESULT_FIELDS, feedback,
                                    features, repairs_geometry=False)
        check_canceled(feedback)
        feedback.setProgress(50)
        summary = land_supply.summarise(result, districts)
        summary.update(as_of=as_of.isoformat(), warning_days=windows, no_geometry=int(len(empty)),
                       crs=planar.authid(),
                       sources={rule: item.to_profile() for rule, item in rules.source_table().items()})
        outputs = {self.OUTPUT: dest_id}
        if batches is not None:
            report_geometry_problems(approvals.sourceName(), batches.repaired, batches.empty, feedback)
            if len(batches.duplicated):
                feedback.pushWarning(tr("Layer {layer}: batch id(s) used more than once, feature id(s) {ids}").format(
                    layer=approvals.sourceName(), ids=listed_ids(batches.duplicated)))
            summary["batches"] = land_supply_batches.summarise(batches.table)
            written = write_table(self, parameters, context, self.UNSUPPLIED, UNSUPPLIED_FIELDS,
                                  batches.table.assign(batch_fid=batches.table.index), batches.geometry, planar)
            if written is not None:
                outputs[self.UNSUPPLIED] = written
        feedback.setProgress(100)
        summary["print_note"] = print_note(summary)
        summary["text"] = summary_lines(summary)
        for line in summary["text"]:
            feedback.pushInfo(line)
        outputs.update({"SUMMARY": json.dumps(summary, ensure_ascii=False), "IDLE_FEE": summary["idle_fee"],
                        "IDLE_FEE_UNKNOWN": summary["idle_fee_unknown"],
                        "UNSUPPLIED_MU": (summary.get("batches") or {}).get("unsupplied_mu", 0.0)})
        outputs.update({status.upper(): n for status, n in summary["per_status"].items()})
        self.dest_ids = {name: outputs[name] for name in (self.OUTPUT, self.UNSUPPLIED) if name in outputs}
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        self.alias_outputs(context, {self.OUTPUT: RESULT_FIELDS, self.UNSUPPLIED: UNSUPPLIED_FIELDS})
        return {}

class Batches(NamedTuple):
    """The measured and judged batches of either engine: the UNSUPPLIED table, its planar polygons, and the feature
    ids (keys) of the batches repaired, unusable and with repeated ids."""

    table: object
    geometry: object
    repaired: object
    empty: object
    duplicated: object


def summary_lines(summary: dict) -> list[str]:
    """The summary in words for the log, the panel and the demo: statuses, idle area and fees, unsupplied land."""
    labels = status_labels()
    separator = translate_in("reasons", LIST_SEPARATOR)
    counts = separator.join(f"{labels[s]} {n}" for s, n in summary["per_status"].items() if n)
    lines = [tr("Supplied parcels on {date}: {n} ({counts})").format(date=summary["as_of"], n=summary["parcels"],
                                                                     counts=counts or "-")]
    lines.append(tr("Idle or to be taken back: {mu:,.1f} 亩; idle fees {fee:,.2f} 万元 ({unknown} without a land "
                    "price); supplied but unused: {unused:,.1f} 亩").format(
        mu=summary["idle_m2"] / M2_PER_MU, fee=summary["idle_fee"], unknown=summary["idle_fee_unknown"],
        unused=summary["unused_m2"] / M2_PER_MU))
    if summary.get("idle_area_unknown"):
        lines.append(tr("Idle parcels without an area (no area field, no geometry; not in the idle area): "
                        "{n}").format(n=summary["idle_area_unknown"]))
    if summary.get("no_geometry"):
        lines.append(tr("Supplied parcels without usable geometry (judged on their dates, not counted as supply): "
                        "{n}").format(n=summary["no_geometry"]))
    batches = summary.get("batches")
    if batches:
        lines.append(tr("Approval batches: {n}; approved {approved:,.1f} 亩, unsupplied {left:,.1f} 亩, of which "
                        "past the deadline {overdue:,.1f} 亩 ({red} batches)").format(
            n=batches["batches"], approved=batches["approved_m2"] / M2_PER_MU, left=batches["unsupplied_mu"],
            overdue=batches["overdue_unsupplied_m2"] / M2_PER_MU, red=batches["per_grade"]["red"]))
        if batches["no_geometry"]:
            lines.append(tr("Approval batches without usable geometry (not measured): {n}").format(
                n=batches["no_geometry"]))
    return lines


def print_note(summary: dict) -> str:
    """The printed subtitle's note (Chinese, like every printed text): the run's 批而未供 figures, which the print's
    figures (those of the parcels) cannot show — and how many batches they leave out for want of a geometry (their
    area is unknown, not 0); "" without approval batches."""
    batches = summary.get("batches")
    if not batches:
        return ""
    overdue = batches["overdue_unsupplied_m2"] / M2_PER_MU
    unmeasured = f"；{batches['no_geometry']} 批无图形未计" if batches.get("no_geometry") else ""
    return f"批而未供 {batches['unsupplied_mu']:,.1f} 亩（其中超两年期限 {overdue:,.1f} 亩{unmeasured}）"
