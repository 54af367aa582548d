"""landbureau:upstairscheck — 工业上楼核查 as a Processing algorithm.

The Qt side of `analysis.upstairs`: read the plans and the "三区三线" constraint layers in one planar CRS (a layer
in another CRS is reprojected, and the log says so), check every plan against the profile's rules, write the plans
back in their own CRS with the result fields, write each spatial conflict as a polygon (VIOLATIONS, in the planar
CRS so its areas can be measured), and report the figures leadership quotes ("133 宗, 7,682 亩, 1,423 万m²",
average FAR, passed / failed, per district) in the log and as a SUMMARY JSON output. Inputs are only read.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

from ..analysis import upstairs, upstairs_overlay, upstairs_plans, upstairs_rules, upstairs_text
from ..analysis.fields import detect_field_map
from ..analysis.land_use_codes import LandUseSystemError
from ..analysis.messages import fill, join_reasons
from ..analysis.plausibility import PERCENT, PERCENT_SIGN
from ..i18n import tr, translate_in
from ..qgis_bridge.fieldmaps import field_label, field_map_notes, layer_field_label, layer_field_labels
from ..qgis_bridge.layers import field_names, planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField
from ..rules.criteria import source_of
from . import land_use
from .base import LandBureauAlgorithm, check_canceled, listed_ids, percent_sign_note, translated_reasons
from .sinks import report_geometry_problems, write_table

ROLE, LANDUSE_ROLE = "upstairs_plans", "landuse"
# Constraint layer parameters and the evaluate() argument each feeds; the land-use layer also carries codes.
CONSTRAINTS = (("FARMLAND", "farmland"), ("REDLINE", "redline"), ("URBAN_BOUNDARY", "urban_boundary"),
               ("LANDUSE", "landuse"))
# When the layer has no field for the first, the first field detected as one of the others serves (a plan's 用地面积
# is what it declares; a 地块编号 or 项目编号 names it — a bureau's plan list often numbers its plans as projects).
# Only when no field map was given.
FALLBACK_FIELDS = {"declared_area": ("area_m2",), "plan_id": ("parcel_id", "project_id")}
# Which layer a violation's `features` positions point into, by rule.
FEATURE_LAYER = {"farmland": "farmland", "redline": "redline", "industrial_land": "landuse", "plan_overlap": "plans"}

RESULT_FIELDS = [
    ResultField("passed", "int", "是否通过"),
    ResultField("failed_rules", "text", "未通过规则"),
    ResultField("unchecked_rules", "text", "未核查规则"),
    ResultField("reasons", "text", "原因"),
    ResultField("far", "real", "核算容积率"),
    ResultField("area_m2", "real", "图形面积(m²)"),
    ResultField("area_mu", "real", "图形面积(亩)"),
    ResultField("area_diff_pct", "real", "面积差异(%)"),
    ResultField("farmland_m2", "real", "占永久基本农田(m²)"),
    ResultField("redline_m2", "real", "占生态保护红线(m²)"),
    ResultField("outside_boundary_m2", "real", "城镇开发边界外(m²)"),
    ResultField("non_industrial_m2", "real", "非工业用地(m²)"),
    ResultField("overlap_plans", "text", "重叠方案"),
    ResultField("overlap_m2", "real", "与其他方案重叠(m²)"),
]
PLAN_AND_RULE = [ResultField("plan_fid", "int", "方案要素号"), ResultField("plan_id", "text", "方案编号"),
                 ResultField("rule_id", "text", "规则编号"), ResultField("rule", "text", "规则")]
VIOLATION_FIELDS = PLAN_AND_RULE + [
    ResultField("other_fid", "int", "冲突要素号"),
    ResultField("other_fids", "text", "全部冲突要素号"),
    ResultField("other_plan_id", "text", "重叠方案编号"),
    ResultField("area_m2", "real", "面积(m²)"),
]
# The checklist: one row per plan and rule (status pass / fail / unchecked), what the panel shows and exports.
CHECK_FIELDS = PLAN_AND_RULE + [
    ResultField("status", "text", "核查结果"),
    ResultField("value", "real", "实测值"),
    ResultField("threshold", "text", "标准"),
    ResultField("unit", "text", "单位"),
    ResultField("note", "text", "说明"),
    ResultField("source", "text", "依据"),
]


def translated_templates() -> dict[str, str]:
    return translated_reasons(upstairs_text.UPSTAIRS_TEMPLATES)


def source_lines(sources: dict, label=None) -> list[str]:
    """"容积率：《…》第四条（2008）" per rule of a run's SUMMARY `sources` (rule id → profile source value), in the UI
    language: for the log and the panel."""
    label = label or rule_label
    local = translate_in("reasons", upstairs_text.UPSTAIRS_TEMPLATES["local_default"])
    return [tr("{rule}: {source}").format(rule=label(rule_id), source=source_of(value).text(local))
            for rule_id, value in sources.items()]


def rule_label(rule_id: str) -> str:
    """A rule's short name in the UI language."""
    return translate_in("reasons", upstairs_text.UPSTAIRS_TEMPLATES[f"rule_{rule_id}"])


class UpstairsCheckAlgorithm(LandBureauAlgorithm):
    INPUT, FIELD_MAP, LANDUSE_FIELD_MAP = "INPUT", "FIELD_MAP", "LANDUSE_FIELD_MAP"
    OUTPUT, VIOLATIONS, CHECKS = "OUTPUT", "VIOLATIONS", "CHECKS"

    def name(self):
        return "upstairscheck"

    def displayName(self):  # noqa: N802
        return tr("Industrial upstairs check")

    def group(self):
        return tr("Industrial upstairs")

    def groupId(self):  # noqa: N802
        return "upstairs"

    def shortHelpString(self):  # noqa: N802
        return tr("Checks every industrial-upstairs (工业上楼) plan against the rule profile: FAR, height, storeys, "
                  "floor heights, floor loads, freight lift, support space, declared against drawn area, and the "
                  "spatial rules — no overlap with permanent basic farmland, the ecological red line or another "
                  "plan, inside the urban development boundary, on industrial land (from the land-use layer, else "
                  "the plan's own land-use code; codes are read in their layer's code system, detected from the "
                  "values or set by LAND_USE_SYSTEM). A rule whose field or layer is missing is reported as not "
                  "checked, never as passed: a plan passes (passed = 1) only when every rule of the profile was "
                  "checked and passed, fails (0) when any rule failed, and is otherwise not checked (未核查, passed "
                  "empty). Adds passed, failed and unchecked rules, reasons and the measured "
                  "areas; VIOLATIONS holds the conflicting pieces. Areas are measured in a projected CRS; layers in "
                  "another CRS are reprojected. The input layers are not modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        polygons = [QgsProcessing.SourceType.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Industrial upstairs plans"), polygons))
        self.add_field_map_parameter(self.FIELD_MAP, ROLE)
        labels = {"FARMLAND": tr("Permanent basic farmland"), "REDLINE": tr("Ecological red line"),
                  "URBAN_BOUNDARY": tr("Urban development boundary"), "LANDUSE": tr("Land use (with codes)")}
        for parameter, _ in CONSTRAINTS:
            self.addParameter(QgsProcessingParameterFeatureSource(parameter, labels[parameter], polygons,
                                                                  optional=True))
        self.add_field_map_parameter(self.LANDUSE_FIELD_MAP, LANDUSE_ROLE)
        self.add_profile_parameter()
        land_use.add_system_parameter(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Upstairs check")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.VIOLATIONS, tr("Upstairs violations"), QgsProcessing.SourceType.TypeVectorPolygon, optional=True,
            createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.CHECKS, tr("Upstairs checklist (one row per plan and rule)"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        self.addOutput(QgsProcessingOutputNumber("PLANS", tr("Plans")))
        self.addOutput(QgsProcessingOutputNumber("PASSED", tr("Plans passed")))
        self.addOutput(QgsProcessingOutputNumber("FAILED", tr("Plans failed")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Invalid geometries are repaired and reported per feature by the analysis; Processing's own check would
        # stop the run at the first one (or silently drop it), so it is switched off for this run's sources.
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        self.landuse_field = ""  # the land-use layer's code field, once read
        rules = self.rules(parameters, context, "upstairs", upstairs_rules.UpstairsRules)
        self.curve_tolerance_m = self.curve_tolerance(parameters, context)
        rules = dataclasses.replace(rules, land_use_system=land_use.system_of(self, parameters, context,
                                                                              rules.land_use_system))
        field_map = self._plan_field_map(parameters, context, source, feedback)
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        constraints = {name: self.parameterAsSource(parameters, parameter, context)
                       for parameter, name in CONSTRAINTS}
        self.check_crs([source, *constraints.values()], feedback)
        planar = planar_crs_for(layer or source)
        self.report_reprojection([source, *constraints.values()], planar, feedback,
                                 tr("Layer {layer} is in {crs}: reprojected to {planar} to measure areas"))

        source = self.read_once(parameters, context, self.INPUT, source, feedback, progress=False)
        plans = read_columns(source, field_map, with_geometry=True, target_crs=planar,
                             curve_tolerance_m=self.curve_tolerance_m)
        check_canceled(feedback)
        feedback.setProgress(10)
        layers, codes = self._read_constraints(parameters, context, constraints, planar, feedback)
        self._report_inputs(source, field_map, constraints, feedback)

        def progress(percent):
            feedback.setProgress(40 + 0.5 * percent)
            check_canceled(feedback)

        try:
            result = upstairs.evaluate(plans.geometries, plans.frame, rules=rules, templates=translated_templates(),
                                       field_labels=layer_field_labels(field_map), progress=progress,
                                       landuse_codes=codes,
                                       **{name: layer.prepared if layer else None for name, layer in layers.items()})
        except LandUseSystemError as error:  # name the layer and field whose land-use values could not be read
            coded = constraints["landuse"] or source
            error.layer = error.layer or coded.sourceName()
            error.field = error.field or (self.landuse_field if constraints["landuse"] else field_map["land_use"])
            raise
        dest_id = self._write_plans(parameters, context, source, result, feedback)
        written = {self.VIOLATIONS: write_table(self,
            parameters, context, self.VIOLATIONS, VIOLATION_FIELDS, violation_table(result.violations, plans, layers),
            result.violations["geometry"], planar)}
        written[self.CHECKS] = write_table(self, parameters, context, self.CHECKS, CHECK_FIELDS,
                                                 checks_table(result.checks))
        feedback.setProgress(100)

        summary = dict(result.summary, crs=planar.authid(), violations=len(result.violations))
        if summary.get("land_use"):
            summary["land_use"]["note"] = land_use.note(summary["land_use"])
            coded = source if summary["land_use"]["source"] == "plans" else constraints["landuse"]
            coded_field = field_map.get("land_use", "") if coded is source else self.landuse_field
            for line in land_use.log_lines(coded.sourceName(), coded_field, summary["land_use"]):
                feedback.pushInfo(line)
            unknown = land_use.unknown_values_warning(coded.sourceName(), coded_field, summary["land_use"])
            if unknown:
                feedback.pushWarning(unknown)
        self._report_problems(source, summary, field_map, rules, feedback)
        for warning, line in unchecked_lines(summary):
            (feedback.pushWarning if warning else feedback.pushInfo)(line)
        summary["text"] = summary_lines(summary)
        for line in summary["text"]:
            feedback.pushInfo(line)
        outputs = {self.OUTPUT: dest_id, "SUMMARY": json.dumps(summary, ensure_ascii=False),
                   "PLANS": summary["plans"], "PASSED": summary["passed"], "FAILED": summary["failed"]}
        outputs.update({name: dest for name, dest in written.items() if dest is not None})
        self.dest_ids = {name: outputs[name] for name in (self.OUTPUT, self.VIOLATIONS, self.CHECKS) if name in outputs}
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        self.alias_outputs(context, {self.OUTPUT: RESULT_FIELDS, self.VIOLATIONS: VIOLATION_FIELDS,
                                     self.CHECKS: CHECK_FIELDS})
        return {}

    # --- inputs -----------------------------------------------------------------------------------------------
    def _plan_field_map(self, parameters, context, source, feedback) -> dict[str, str]:
        """The plans' field map; without one given, fields the role does not know by name may stand in
        (FALLBACK_FIELDS), said in the log."""
        field_map = self.resolved_field_map(parameters, context, self.FIELD_MAP, self.INPUT, source, ROLE, feedback)
        if (self.parameterAsString(parameters, self.FIELD_MAP, context) or "").strip():
            return field_map
        for canon, candidate in stand_in_fields(source, field_map).items():
            field_map[canon] = candidate
            feedback.pushInfo(tr("Layer {layer}: no field for {wanted}; field {field} is read as it").format(
                layer=source.sourceName(), wanted=field_label(canon), field=candidate))
            for warning, message in field_map_notes(source.sourceName(), {canon: candidate}):
                (feedback.pushWarning if warning else feedback.pushInfo)(message)
        return field_map

    def _read_constraints(self, parameters, context, constraints: dict, planar, feedback):
        """Each given constraint layer read, cleaned, cut into small pieces and indexed once; and the land-use
        codes. A land-use layer without a code field is refused: the user chose it, so saying nothing is worse."""
        layers, codes = {}, None
        for step, (name, source) in enumerate(constraints.items()):
            if source is None:
                layers[name] = None
                continue
            field_map = {}
            if name == "landuse":
                field_map = self.resolved_field_map(parameters, context, self.LANDUSE_FIELD_MAP, "LANDUSE", source,
                                                    LANDUSE_ROLE, feedback)
                if not field_map.get("land_use"):
                    raise QgsProcessingException(tr(
                        "Layer {layer}: no land-use code field found (用地性质 / YDXZ / DLBM / land_use …); fields: "
                        "{fields}. Name it in the land-use field map (LANDUSE_FIELD_MAP), e.g. {{\"land_use\": "
                        "\"YDXZ\"}} with the name of the layer's land-use code field").format(
                        layer=source.sourceName(), fields=", ".join(field_names(source))))
                field_map = {"land_use": field_map["land_use"]}
                self.landuse_field = field_map["land_use"]
            layers[name] = read = read_constraint(source, field_map, planar, self.curve_tolerance_m)
            check_canceled(feedback)
            report_geometry_problems(source.sourceName(), read.columns.frame.index[read.prepared.repaired],
                                     read.columns.frame.index[read.prepared.empty], feedback)
            if name == "landuse":
                codes = read.columns.frame["land_use"].to_numpy(dtype=object)
            feedback.setProgress(10 + 30 * (step + 1) / len(constraints))
            check_canceled(feedback)
        return layers, codes

    def _report_inputs(self, source, field_map: dict, constraints: dict, feedback) -> None:
        """What will not be checked, and why, before the run: fields the plans lack, layers not given."""
        missing = [c for c in upstairs_plans.NUMBER_FIELDS if c not in field_map]
        if "far" in field_map or "building_area" in field_map:
            missing = [c for c in missing if c not in ("far", "building_area")]
        if "support_land_area" in missing:  # most plans declare no support land: expected, not a warning
            missing.remove("support_land_area")
            feedback.pushInfo(tr("Layer {layer}: no field for {field}; the support land-share rule (land occupied by "
                                 "office and living facilities / land area) is not checked").format(
                layer=source.sourceName(), field=field_label("support_land_area")))
        if missing:
            feedback.pushWarning(tr("Layer {layer}: no field for {fields}; the rules that need them are not "
                                    "checked").format(layer=source.sourceName(),
                                                      fields=", ".join(field_label(c) for c in missing)))
        if "plan_id" not in field_map:
            feedback.pushWarning(tr("Layer {layer}: no plan id field (方案编号 / FABH / plan_id); plans are named "
                                    "by feature id").format(layer=source.sourceName()))
        absent = [name for name, layer in constraints.items() if layer is None and name != "landuse"]
        if absent:
            feedback.pushInfo(tr("Not given, so not checked: {rules}").format(
                rules=", ".join(rule_label(name) for name in absent)))
        if constraints.get("landuse") is None and "land_use" in field_map:
            feedback.pushInfo(tr("No land-use layer: each plan's own land-use code (field {field}) decides the "
                                 "industrial-land rule").format(field=field_map["land_use"]))
        elif constraints.get("landuse") is None:
            feedback.pushInfo(tr("No land-use layer and no land-use field: the industrial-land rule is not "
                                 "checked"))

    # --- outputs ----------------------------------------------------------------------------------------------
    def _write_plans(self, parameters, context, source, result, feedback):
        dest_id = self.write_output(parameters, self.OUTPUT, context, source, result.plans, RESULT_FIELDS, feedback,
                                    source.getFeatures())
        check_canceled(feedback)
        return dest_id

    def _report_problems(self, source, summary: dict, field_map: dict, rules, feedback) -> None:
        """Data problems by feature id, so the user knows which features to fix; fields by the layer's own names."""
        layer = source.sourceName()
        problems = summary["problem_plans"]
        report_geometry_problems(layer, problems["repaired"], problems["empty"], feedback)
        for canon, ids in problems["bad_values"].items():
            feedback.pushWarning(tr("Layer {layer}, field {field}: not a valid number, or above its plausible limit "
                                    "(data error), in feature id(s) {ids}").format(
                layer=layer, field=layer_field_label(field_map, canon), ids=listed_ids(ids)))
        far_unit = summary.get("value_units", {}).get("far")
        far_field = layer_field_label(field_map, "far")
        if far_unit == PERCENT and rules.far_unit == PERCENT:
            feedback.pushInfo(tr("Layer {layer}: field {field} read in percent as the rule profile says ({key}): "
                                 "every value divided by 100").format(layer=layer, field=far_field,
                                                                      key="upstairs.far_unit"))
        elif far_unit == PERCENT:
            feedback.pushInfo(tr("Layer {layer}: field {field} read in percent — most of its values are above the "
                                 "FAR limit {limit:g} — every value divided by 100; set {key} in the rule profile to "
                                 "change this").format(layer=layer, field=far_field, limit=rules.ratio_limit("far"),
                                                       key="upstairs.far_unit"))
        elif far_unit == PERCENT_SIGN:
            feedback.pushInfo(percent_sign_note(layer, far_field, problems.get("percent_values", {}).get("far", [])))
        if summary["duplicate_plan_ids"]:
            feedback.pushWarning(tr("Layer {layer}: plan id(s) used more than once: {ids}").format(
                layer=layer, ids=listed_ids(summary["duplicate_plan_ids"])))


class ConstraintLayer:
    """A constraint layer as read (columns, feature ids) and prepared for overlay."""

    def __init__(self, columns, prepared: upstairs_overlay.Layer):
        self.columns, self.prepared = columns, prepared


def read_constraint(source, field_map: dict, planar, curve_tolerance_m: float) -> ConstraintLayer:
    """A constraint layer read in the planar CRS, cleaned, cut into small pieces and indexed once (the batch run
    and the live check, gui/live_upstairs, read them the same way)."""
    columns = read_columns(source, field_map, with_geometry=True, target_crs=planar,
                           curve_tolerance_m=curve_tolerance_m)
    return ConstraintLayer(columns, upstairs_overlay.prepare_layer(
        columns.geometries if columns.geometries is not None else []))


def stand_in_fields(source, field_map: dict) -> dict[str, str]:
    """{canonical: field} for the FALLBACK_FIELDS the map lacks and the layer has a stand-in for (used when no
    field map was given: by the algorithm, and by the live check on the layer's saved or detected map)."""
    proposal = detect_field_map(field_names(source))
    added = {}
    for canon, stand_ins in FALLBACK_FIELDS.items():
        for stand_in in stand_ins:
            candidate = proposal.get(stand_in)
            if canon not in field_map and canon not in added and candidate and candidate not in field_map.values() \
                    and candidate not in added.values():
                added[canon] = candidate
    return added


def violation_table(violations, plans, layers: dict):
    """The VIOLATIONS attributes: positions in the constraint layers (and in the plans) become feature ids.

    A row is the whole conflict of one plan with one rule, so it may lie on several features: other_fids lists
    them all ("12,15"); other_fid is the feature when there is exactly one, else NULL.
    """
    table = violations.drop(columns=["geometry", "features"]).copy()
    table["plan_fid"] = violations["plan"].to_numpy()
    table["rule"] = [rule_label(rule_id) for rule_id in violations["rule_id"]]
    fids = [()] * len(table)
    rule_ids = violations["rule_id"].to_numpy()
    for rule_id, layer_name in FEATURE_LAYER.items():
        if layer_name == "plans":
            index = plans.frame.index.to_numpy()
        elif layers.get(layer_name) is not None:
            index = layers[layer_name].columns.frame.index.to_numpy()
        else:
            continue
        for row in np.flatnonzero(rule_ids == rule_id):
            fids[row] = tuple(index[list(violations["features"].iat[row])].tolist())
    table["other_fid"] = [fid[0] if len(fid) == 1 else None for fid in fids]
    table["other_fids"] = [",".join(map(str, fid)) or None for fid in fids]
    table["other_plan_id"] = table["other_plan_id"].where(table["other_plan_id"] != "", None)
    return table


def checks_table(checks):
    """The CHECKS attributes: rule names in the UI language; the note says why a rule is unchecked ("… (no
    value)") or what it was judged on (a plan's own land-use code)."""
    table = checks.rename(columns={"plan": "plan_fid"}).reset_index(drop=True)
    labels = {rule_id: rule_label(rule_id) for rule_id in upstairs_rules.RULE_IDS}
    table["rule"] = table["rule_id"].map(labels)
    templates = translated_templates()
    notes = [fill(templates[f"cause_{cause}"], table.index[table["cause"] == cause], rule=table["rule"])
             for cause in upstairs_rules.CAUSES if (table["cause"] == cause).any()]
    notes.append(table["detail"])
    note = join_reasons(notes, table.index, templates["separator"])
    table["note"] = note.where(note != "", None)
    return table


def unchecked_lines(summary: dict) -> list[tuple[bool, str]]:
    """(warning?, line) saying how many rules were not checked and why, and what that does to the verdicts: a plan
    passes only when every enabled rule was checked, so a run that could check little passes nothing."""
    causes = summary.get("unchecked_causes") or {}
    if not causes:
        return []
    plans = summary["plans"]
    templates = translated_templates()
    separator = translate_in("reasons", upstairs_text.UPSTAIRS_TEMPLATES["list_separator"])

    def named(rule_id: str, counts: dict, with_plans: bool) -> str:
        parts = []
        for cause, n in counts.items():
            text = templates[f"cause_{cause}"].format(rule=rule_label(rule_id))
            parts.append(tr("{what}: {n} plan(s)").format(what=text, n=n) if with_plans else text)
        return separator.join(parts)

    everywhere = {rule_id: counts for rule_id, counts in causes.items() if sum(counts.values()) == plans}
    somewhere = {rule_id: counts for rule_id, counts in causes.items() if rule_id not in everywhere}
    lines = []
    if everywhere:
        lines.append((True, tr("Not checked for any plan: {n} of {total} rules — {rules}").format(
            n=len(everywhere), total=len(summary["per_rule"]),
            rules=separator.join(named(r, c, False) for r, c in everywhere.items()))))
    if somewhere:
        lines.append((True, tr("Not checked for some plans: {n} rule(s) — {rules}").format(
            n=len(somewhere), rules=separator.join(named(r, c, True) for r, c in somewhere.items()))))
    if summary.get("not_checked"):
        lines.append((True, tr("A plan passes only when every rule was checked: {n} plan(s) with no failure are "
                               "not checked (未核查), not passed. Map the missing fields, give the missing layers, "
                               "or take the rules you do not check out of the profile's {key}").format(
            n=summary["not_checked"], key="upstairs.rules")))
    return lines


def _far_text(far) -> str:
    return "—" if far is None else f"{far:.2f}"


def figures_text(totals: dict) -> str:
    """宗, 亩, 万m² of a summary (or of one district) in the UI language: the JSON's `figures` keep the issue's
    "133 宗, 7,682 亩, 1,423 万m²"; in Chinese the sentence reads "133 宗，7,682 亩，1,423 万m²"."""
    template = translate_in("reasons", upstairs_text.UPSTAIRS_TEMPLATES["figures"])
    return upstairs_text.figures(totals["plans"], totals["land_mu"], totals["floor_area_wan_m2"], template,
                                 totals.get("without_land_area", 0), totals.get("without_floor_area", 0))


def summary_lines(summary: dict) -> list[str]:
    """The summary in words — the figures first, as the bureau quotes them — for the log, the panel and the demo."""
    lines = [tr("Industrial upstairs plans: {figures}; average FAR {far}; passed {passed}, failed {failed}, not "
                "checked {open}").format(figures=figures_text(summary), far=_far_text(summary["average_far"]),
                                         passed=summary["passed"], failed=summary["failed"],
                                         open=summary.get("not_checked", 0))]
    for district, totals in (summary.get("per_district") or {}).items():
        lines.append(tr("{district}: {figures}; average FAR {far}; passed {passed}, failed {failed}, not checked "
                        "{open}").format(district=district, figures=figures_text(totals),
                                         far=_far_text(totals["average_far"]), passed=totals["passed"],
                                         failed=totals["failed"], open=totals.get("not_checked", 0)))
    failing = [f"{rule_label(rule_id)} {counts[upstairs_rules.FAIL]}" for rule_id, counts in summary["per_rule"].items()
               if counts[upstairs_rules.FAIL]]
    if failing:
        separator = translate_in("reasons", upstairs_text.UPSTAIRS_TEMPLATES["list_separator"])
        lines.append(tr("Failed per rule: {counts}").format(counts=separator.join(failing)))
        failed_sources = {rule_id: value for rule_id, value in (summary.get("sources") or {}).items()
                          if summary["per_rule"].get(rule_id, {}).get(upstairs_rules.FAIL)
                          and not source_of(value).local}
        if failed_sources:  # 依据: the documents the failed rules rest on (the checklist names every rule's)
            lines.append(tr("Sources: {sources}").format(sources=translate_in("reasons", "; ").join(
                source_lines(failed_sources))))
    if summary.get("no_geometry"):
        lines.append(tr("Without usable geometry (never passed; failed only by another rule): {n}").format(
            n=summary["no_geometry"]))
    if summary.get("data_error"):
        lines.append(tr("With a data error in their own values (never passed; failed only by another rule): "
                        "{n}").format(n=summary["data_error"]))
    note = (summary.get("land_use") or {}).get("note")
    if note:
        lines.append(note)
    return lines
