"""landbureau:resettlementdeadlines — the "+1 / +4 / +5" monitor as a Processing algorithm."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

from ..analysis import resettlement
from ..analysis.messages import LIST_SEPARATOR, TEMPLATES, fill, join_reasons
from ..i18n import tr, translate_in
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import read_columns
from ..qgis_bridge.results import ResultField
from . import in_database
from .base import LandBureauAlgorithm, check_canceled, translated_reasons
from .steps import StepFeedback

ROLE = "resettlement_projects"
STATUS_ALIAS = {"start": "开工状态", "complete": "竣工状态", "resettle": "安置状态"}
DUE_ALIAS = {"start": "开工期限", "complete": "竣工期限", "resettle": "安置期限"}
DAYS_ALIAS = {"start": "开工剩余天数", "complete": "竣工剩余天数", "resettle": "安置剩余天数"}

RESULT_FIELDS = [
    item for m in resettlement.MILESTONES for item in (
        ResultField(f"{m}_due", "date", DUE_ALIAS[m]),
        ResultField(f"{m}_status", "text", STATUS_ALIAS[m]),
        ResultField(f"{m}_days", "int", DAYS_ALIAS[m]),
    )
] + [
    ResultField("grade", "text", "预警等级"),
    ResultField("overdue_households", "int", "超期过渡户数"),
    ResultField("has_plot", "int", "安置地块落图"),
    ResultField("reasons", "text", "原因"),
]


def placement_not_checked() -> str:
    return tr("not checked (no resettlement plot layer given)")


def overdue_households_text(summary: dict) -> str:
    """The households in overdue transition as the log and the panel say them: the known ones, and how many overdue
    projects have an unknown count — never counted as 0."""
    text = str(summary["overdue_households"])
    unknown = summary.get("overdue_households_unknown") or 0
    if unknown:
        text += tr(" (not counted: {n} overdue project(s) whose households are unknown)").format(n=unknown)
    return text


def translated_templates() -> dict[str, str]:
    return translated_reasons(TEMPLATES)


def grade_labels(days: dict | None = None) -> dict[str, str]:
    """The grades in words, as the legend, the panel and the log name them (the layer keeps the codes); `days` is
    a run's `warning_days` (default: the default profile's)."""
    days = {**resettlement.DEFAULT_RULES.warning_days(), **(days or {})}
    return {"green": tr("On track"), "yellow": tr("Yellow: ≤ {days} days").format(days=days["yellow"]),
            "orange": tr("Orange: ≤ {days} days").format(days=days["orange"]),
            "red": tr("Red: overdue"), "grey": tr("Grey: data missing")}


def grade_count(grade: str, count: int, days: dict | None = None) -> str:
    """One grade and its number of projects, e.g. "Red: overdue: 3" (Chinese "红色预警（3 个）")."""
    return tr("{grade}: {projects}").format(grade=grade_labels(days).get(grade, grade), projects=count)


def grade_counts(per_grade: dict, days: dict | None = None) -> str:
    """Every grade with its count, in the UI language, for the log line."""
    return translate_in("reasons", LIST_SEPARATOR).join(grade_count(g, n, days) for g, n in per_grade.items())


class ResettlementDeadlinesAlgorithm(LandBureauAlgorithm):
    INPUT, PLOTS, AS_OF, OUTPUT = "INPUT", "PLOTS", "AS_OF", "OUTPUT"

    def name(self):
        return "resettlementdeadlines"

    def displayName(self):  # noqa: N802
        return tr("Resettlement deadlines (+1 / +4 / +5)")

    def group(self):
        return tr("Resettlement monitoring")

    def groupId(self):  # noqa: N802
        return "resettlement"

    def shortHelpString(self):  # noqa: N802
        return tr("Grades every expropriation project on the as-of date: resettlement housing must start within 1 "
                  "year of expropriation, be completed within 4 and households resettled within 5 (offsets and "
                  "warning windows from the rule profile). Adds due dates, status and days left per milestone, a "
                  "grade (green/yellow/orange/red/grey), households in overdue transition, whether a resettlement "
                  "plot is on the map, and the reasons. The input layer is not modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, tr("Resettlement projects"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.add_field_map_parameter("FIELD_MAP", ROLE)
        self.addParameter(QgsProcessingParameterDateTime(
            self.AS_OF, tr("As-of date (empty = today)"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PLOTS, tr("Resettlement plots (for the placement check)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.add_profile_parameter()
        in_database.add_parameters(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Resettlement monitoring")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        for grade in resettlement.GRADES:
            self.addOutput(QgsProcessingOutputNumber(grade.upper(), grade))
        self.addOutput(QgsProcessingOutputNumber("OVERDUE_HOUSEHOLDS", tr("Households in overdue transition")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        field_map = self.resolved_field_map(parameters, context, "FIELD_MAP", self.INPUT, source, ROLE, feedback)
        self.require_fields(source, field_map, ("project_id", "expropriation_date"))
        rules = self.rules(parameters, context, "resettlement", resettlement.ResettlementRules)
        self.curve_tolerance_m = self.curve_tolerance(parameters, context)
        as_of = self.as_of_date(parameters, self.AS_OF, context)
        resettlement.as_of_day(as_of)  # in range for both engines, else the run's one-line error
        self.check_crs((source, self.parameterAsSource(parameters, self.PLOTS, context)), feedback, measures=False)
        feedback.pushInfo(tr("As-of date: {date}").format(date=as_of.isoformat()))

        layers = in_database.database_layers(self, parameters, context, [self.INPUT, self.PLOTS], feedback)
        if layers is not None:
            with self._in_database(parameters, context, layers, field_map, as_of, rules, feedback) as evaluated:
                return self._write(parameters, context, source, evaluated, as_of, rules, feedback)
        steps = StepFeedback(3, feedback)  # read, grade, write
        source = self.read_once(parameters, context, self.INPUT, source, steps)
        evaluated = self._local(parameters, context, source, field_map, as_of, rules, steps)
        steps.setCurrentStep(2)
        return self._write(parameters, context, source, evaluated, as_of, rules, feedback)

    def _write(self, parameters, context, source, evaluated, as_of, rules, feedback) -> dict:
        """The output layer (the source features with their results), the summary and the log line."""
        result = evaluated.result
        placement_checked = self.parameterAsSource(parameters, self.PLOTS, context) is not None
        no_plot = result["has_plot"].eq(0).fillna(False).astype(bool)

        dest_id = self.write_output(parameters, self.OUTPUT, context, source, evaluated.rows, RESULT_FIELDS,
                                    feedback, evaluated.features(source.fields()), repairs_geometry=False)
        check_canceled(feedback)

        summary = resettlement.summarise(result, evaluated.frame)
        summary["as_of"] = as_of.isoformat()
        summary["no_plot"] = int(no_plot.sum()) if placement_checked else None  # None: not checked, not "all placed"
        summary["warning_days"] = rules.warning_days()
        summary["sources"] = {rule: source.to_profile() for rule, source in rules.source_table().items()}
        counts = grade_counts(summary["per_grade"], summary["warning_days"])
        feedback.pushInfo(tr("Projects: {n}; per grade: {counts}; households in overdue transition: {households}; "
                             "without a plot on the map: {no_plot}").format(
            n=summary["projects"], counts=counts, households=overdue_households_text(summary),
            no_plot=summary["no_plot"] if placement_checked else placement_not_checked()))
        outputs = {self.OUTPUT: dest_id, "SUMMARY": json.dumps(summary, ensure_ascii=False),
                   "OVERDUE_HOUSEHOLDS": summary["overdue_households"]}
        outputs.update({g.upper(): n for g, n in summary["per_grade"].items()})
        self.dest_ids = {self.OUTPUT: dest_id}
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        self.alias_outputs(context, {self.OUTPUT: RESULT_FIELDS})
        return {}

    def _local(self, parameters, context, source, field_map, as_of, rules, feedback):
        """The local engine: every project read into QGIS (result with has_plot and its reason, districts);
        `feedback` counts the steps (reading, grading)."""
        columns = read_columns(source, field_map, with_geometry=True, target_crs=source.sourceCrs(),
                               curve_tolerance_m=self.curve_tolerance_m,
                               feedback=feedback)
        check_canceled(feedback)
        feedback.setCurrentStep(1)
        templates = translated_templates()
        result = resettlement.evaluate(columns.frame, as_of, rules, templates, field_labels=field_map)
        result["has_plot"] = self._placement(parameters, context, source, columns).astype("Int64")
        no_plot = result["has_plot"].eq(0).fillna(False).astype(bool)
        if no_plot.any():
            note = fill(templates["no_plot"], result.index[no_plot.to_numpy()])
            result["reasons"] = join_reasons([result["reasons"], note], result.index, templates["separator"])
        return in_database.Evaluated(result, columns.frame.get("district"), None, None,
                                     lambda _fields: source.getFeatures(), result)

    @contextmanager
    def _in_database(self, parameters, context, layers, field_map, as_of, rules, feedback):
        """The same, graded by one statement in the database (postgis.resettlement); the output's features and the
        summary's districts come from the run's snapshot, and the run is committed once the block (writing the
        output) ends normally."""
        engine = in_database.postgis_engine()
        projects, plots = layers
        plot_map = field_map_of(plots, "resettlement_plots") if plots is not None else None
        with engine.resettlement_run(projects, field_map, as_of, rules, translated_templates(), plots, plot_map,
                                     feedback, in_database.create_index(self, parameters, context)) as run:
            districts = run.column(field_map["district"], feedback) if field_map.get("district") else None
            yield in_database.Evaluated(run.result, districts, None, None,
                                        lambda _fields: run.features(_fields, feedback), run.rows())
        in_database.log_run(feedback, run)

    def _placement(self, parameters, context, source, columns) -> pd.Series:
        """安置地块落图: linked by resettlement_plot_id, or the project's geometry touching a plot."""
        import shapely

        plots = self.parameterAsSource(parameters, self.PLOTS, context)
        if plots is None:  # nothing to check against: unknown (NULL), never a silent "placed"
            return pd.Series(pd.NA, index=columns.frame.index, dtype="Int64")
        plot_layer = self.parameterAsVectorLayer(parameters, self.PLOTS, context)
        plot_map = field_map_of(plot_layer or plots, "resettlement_plots")
        plot_columns = read_columns(plots, plot_map, with_geometry=True, target_crs=source.sourceCrs(),
                                    curve_tolerance_m=self.curve_tolerance_m)
        plot_ids = plot_columns.frame.get("resettlement_plot_id", pd.Series(dtype=object))
        spatial = None
        project_geoms, plot_geoms = columns.geometries, plot_columns.geometries
        if project_geoms is not None and plot_geoms is not None and len(plot_geoms):
            tree = shapely.STRtree(plot_geoms)
            hits = tree.query(project_geoms, predicate="intersects")[0]
            spatial = pd.Series(False, index=columns.frame.index)
            spatial.iloc[hits] = True
        project_plot_ids = columns.frame.get("resettlement_plot_id", pd.Series(None, index=columns.frame.index))
        return resettlement.placement(project_plot_ids, plot_ids.tolist(), spatial)
