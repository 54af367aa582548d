"""landbureau:farmlandbalance — the 耕地占补平衡 ledger (occupation and supplement per county, 先补后占, 以补定占).

The Qt side of analysis.farmland_reading, analysis.farmland and analysis.farmland_checks: read the occupations and
supplements (polygons) in one planar CRS, the transfers table and the protected layers when given, refuse the run
when any value cannot be read (every such value named by layer, feature id and field: a ledger with a row left out
balances wrongly), then write the ledger per county and period (LEDGER, a table), the per-project checks (CHECKS,
polygons in the planar CRS: the overlap itself for the overlap checks, the occupation for the date checks) and the
figures in the bureau's units (亩, 万公斤, 万元 / 亿元) to the log and the SUMMARY output. Inputs are only read.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ..analysis import farmland, farmland_checks
from ..analysis.farmland_reading import (
    Read,
    link_problems,
    one_spelling_per_county,
    read_projects,
    read_transfers,
    transfer_only_counties,
)
from ..analysis.farmland_rules import FarmlandRules
from ..analysis.farmland_text import FARMLAND_TEMPLATES
from ..analysis.messages import LIST_SEPARATOR
from ..analysis.units import with_unknown
from ..analysis.upstairs_overlay import clean_polygons
from ..errors import InputError
from ..export import to_xlsx
from ..i18n import tr, translate_in
from ..qgis_bridge.layers import planar_crs_for, read_columns
from ..qgis_bridge.results import ResultField
from .base import MAX_IDS_LISTED, LandBureauAlgorithm, check_canceled, listed_ids, translated_reasons
from .sinks import report_geometry_problems, write_table

OCCUPATION_ROLE, SUPPLEMENT_ROLE, TRANSFER_ROLE = "farmland_occupations", "farmland_supplements", "indicator_transfers"
NUMBERS = ("cultivated_area", "paddy_area", "capacity", "transfer_mu", "transfer_paddy_mu", "transfer_capacity",
           "unit_price", "funds")
INDICATOR_WORDS = {"mu": ("耕地", "亩"), "paddy_mu": ("水田", "亩"), "capacity_kg": ("产能", "公斤")}
FLOW_WORDS = {"occupied": "占用", "supplemented": "补充", "received": "调入", "given": "调出", "balance": "累计结余",
              "shortfall": "缺口"}
LEDGER_FIELDS = [
    ResultField("county", "text", "县（市、区）"),
    ResultField("period", "text", "期间"),
    ResultField("period_start", "date", "期间起"),
    ResultField("period_end", "date", "期间止"),
    *(ResultField(f"{flow}_{ind}", "real", f"{FLOW_WORDS[flow]}{word}({unit})")
      for ind, (word, unit) in INDICATOR_WORDS.items() for flow in (*farmland.FLOWS, "balance", "shortfall")),
    ResultField("status", "text", "平衡状态"),
    ResultField("deficit_in", "text", "缺口指标"),
]
FLOW_FIELDS = [
    ResultField("from_county", "text", "调出方"),
    ResultField("to_county", "text", "调入方"),
    ResultField("type", "text", "指标类型"),
    ResultField("transfers", "int", "调剂笔数"),
    ResultField("mu", "real", "数量(亩)"),
    ResultField("paddy_mu", "real", "水田(亩)"),
    ResultField("capacity_kg", "real", "产能(公斤)"),
    ResultField("funds", "real", "资金(万元)"),
    ResultField("funds_unknown", "int", "资金不明笔数"),
]
CHECK_FIELDS = [
    ResultField("check", "text", "检查项"),
    ResultField("layer", "text", "图层"),
    ResultField("feature_id", "int", "要素号"),
    ResultField("project_id", "text", "项目编号"),
    ResultField("county", "text", "县（市、区）"),
    ResultField("date", "date", "日期"),
    ResultField("other_layer", "text", "相关图层"),
    ResultField("other_feature_id", "int", "相关要素号"),
    ResultField("other_project", "text", "相关项目"),
    ResultField("other_date", "date", "相关日期"),
    ResultField("area_m2", "real", "面积(m²)"),
    ResultField("area_mu", "real", "面积(亩)"),
    ResultField("excess_mu", "real", "超出耕地(亩)"),
    ResultField("excess_paddy_mu", "real", "超出水田(亩)"),
    ResultField("excess_capacity_kg", "real", "超出产能(公斤)"),
    ResultField("late_mu", "real", "后补耕地(亩)"),
    ResultField("late_paddy_mu", "real", "后补水田(亩)"),
    ResultField("late_capacity_kg", "real", "后补产能(公斤)"),
    ResultField("amounts", "text", "涉及指标或面积"),
    ResultField("reason", "text", "原因"),
]


def translated_templates() -> dict[str, str]:
    return translated_reasons(FARMLAND_TEMPLATES)


def check_labels() -> dict[str, str]:
    return {"supplement_after_occupation": tr("先补后占 violated"), "cap_exceeded": tr("以补定占 cap exceeded"),
            "occupies_basic_farmland": tr("occupies permanent basic farmland"),
            "supplement_on_protected": tr("supplement on protected land"),
            "supplement_overlap": tr("supplements overlapping (double counting)")}


class FarmlandBalanceAlgorithm(LandBureauAlgorithm):
    OCCUPATIONS, SUPPLEMENTS, TRANSFERS = "OCCUPATIONS", "SUPPLEMENTS", "TRANSFERS"
    FIELD_MAPS = {"OCCUPATIONS": ("OCCUPATIONS_FIELD_MAP", OCCUPATION_ROLE),
                  "SUPPLEMENTS": ("SUPPLEMENTS_FIELD_MAP", SUPPLEMENT_ROLE),
                  "TRANSFERS": ("TRANSFERS_FIELD_MAP", TRANSFER_ROLE)}
    PROTECTED_PARAMETERS = {"basic_farmland": "BASIC_FARMLAND", "redline": "REDLINE", "construction": "CONSTRUCTION"}
    PERIOD, LEDGER, CHECKS, FLOWS, LEDGER_XLSX = "PERIOD", "LEDGER", "CHECKS", "FLOWS", "LEDGER_XLSX"

    def name(self):
        return "farmlandbalance"

    def displayName(self):  # noqa: N802
        return tr("Cultivated land balance ledger (耕地占补平衡)")

    def group(self):
        return tr("Cultivated land")

    def groupId(self):  # noqa: N802
        return "farmland"

    def shortHelpString(self):  # noqa: N802
        return tr("Per county and period: cultivated land occupied, supplemented, received and given by transfer, and "
                  "the cumulative balance — for quantity (亩), paddy (水田, 亩) and grain capacity (kg, from the area "
                  "and the quality grade by the rule profile's table) — with the status balanced or deficit and the "
                  "shortfall. Per project: 先补后占 (an occupation drawing on a supplement accepted after its "
                  "approval), 以补定占 (cumulative occupation above what the county had supplemented, net of "
                  "transfers, on the approval date), occupation of permanent basic farmland, supplements on permanent "
                  "basic farmland, the ecological red line or existing construction land, and supplements "
                  "overlapping each other (double counting). Only transfers of cultivated land indicators move the "
                  "balance; forest-land and grain-zone agreements are summed apart. A value that cannot be read "
                  "(an empty county, a date that is not a date, a negative area, a transfer naming an unknown "
                  "county) stops the run and is named by layer, feature id and field. The inputs are not modified.")

    def initAlgorithm(self, config=None):  # noqa: N802
        polygons = [QgsProcessing.SourceType.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(self.OCCUPATIONS, tr("Occupations of cultivated land"),
                                                              polygons))
        self.add_field_map_parameter("OCCUPATIONS_FIELD_MAP", OCCUPATION_ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(self.SUPPLEMENTS, tr("Supplemented cultivated land"),
                                                              polygons))
        self.add_field_map_parameter("SUPPLEMENTS_FIELD_MAP", SUPPLEMENT_ROLE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.TRANSFERS, tr("Indicator transfers between counties (table)"),
            [QgsProcessing.SourceType.TypeVector], optional=True))
        self.add_field_map_parameter("TRANSFERS_FIELD_MAP", TRANSFER_ROLE)
        for key, label in (("BASIC_FARMLAND", tr("Permanent basic farmland")),
                           ("REDLINE", tr("Ecological red line")),
                           ("CONSTRUCTION", tr("Existing construction land"))):
            self.addParameter(QgsProcessingParameterFeatureSource(key, label, polygons, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PERIOD, tr("Period"), options=[tr("Year"), tr("Quarter"), tr("Month"), tr("Whole time")],
            defaultValue=0))
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.LEDGER, tr("Cultivated land balance ledger"), QgsProcessing.SourceType.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.CHECKS, tr("Cultivated land balance checks"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.FLOWS, tr("Indicator flows between counties"), QgsProcessing.SourceType.TypeVectorLine,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.LEDGER_XLSX, tr("Ledger as an XLSX workbook (units in the headers)"), tr("XLSX files (*.xlsx)"),
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputString("SUMMARY", tr("Summary (JSON)")))
        self.addOutput(QgsProcessingOutputNumber("DEFICIT_COUNTIES", tr("Counties in deficit")))
        self.addOutput(QgsProcessingOutputNumber("CHECKS_FLAGGED", tr("Checks flagged")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        sources, maps = {}, {}
        for name, (map_name, role) in self.FIELD_MAPS.items():
            source = self.parameterAsSource(parameters, name, context)
            if source is None:
                if name == self.TRANSFERS:
                    continue
                raise QgsProcessingException(self.invalidSourceError(parameters, name))
            sources[name] = source
            maps[name] = self.resolved_field_map(parameters, context, map_name, name, source, role, feedback)
        self.require_fields(sources[self.OCCUPATIONS], maps[self.OCCUPATIONS], ("district", "approval_date"))
        self.require_fields(sources[self.SUPPLEMENTS], maps[self.SUPPLEMENTS], ("district", "acceptance_date"))
        if self.TRANSFERS in sources:
            self.require_fields(sources[self.TRANSFERS], maps[self.TRANSFERS],
                                ("from_county", "to_county", "transfer_date"))
        protected_sources = {key: self.parameterAsSource(parameters, name, context)
                             for key, name in self.PROTECTED_PARAMETERS.items()}
        protected_sources = {key: source for key, source in protected_sources.items() if source is not None}
        rules = self.rules(parameters, context, "farmland_balance", FarmlandRules)
        self.curve_tolerance_m = self.curve_tolerance(parameters, context)
        period = farmland.PERIODS[self.parameterAsEnum(parameters, self.PERIOD, context)]
        spatial = [sources[self.OCCUPATIONS], sources[self.SUPPLEMENTS], *protected_sources.values()]
        self.check_crs(spatial, feedback)
        planar = planar_crs_for(self.parameterAsVectorLayer(parameters, self.OCCUPATIONS, context)
                                or sources[self.OCCUPATIONS])
        self.report_reprojection(spatial, planar, feedback,
                                 tr("Layer {layer} is in {crs}: reprojected to {planar} to measure areas"))
        templates = translated_templates()

        reads, geometries = {}, {}
        for name, date_field in ((self.OCCUPATIONS, "approval_date"), (self.SUPPLEMENTS, "acceptance_date")):
            source, field_map = sources[name], maps[name]
            self._note_missing(source, field_map, feedback)
            columns = read_columns(source, field_map, with_geometry=True, target_crs=planar,
                                   curve_tolerance_m=self.curve_tolerance_m, numeric=NUMBERS)
            check_canceled(feedback)
            clean = clean_polygons(columns.geometries)
            ids = columns.frame.index
            report_geometry_problems(source.sourceName(), ids[clean.repaired], ids[clean.empty], feedback)
            reads[name] = read_projects(columns.frame, shapely.area(clean.geometry), rules, date_field, templates,
                                        field_map)
            geometries[name] = clean.geometry
        feedback.setProgress(30)
        occupied = reads[self.OCCUPATIONS]
        links = link_problems(occupied.frame, reads[self.SUPPLEMENTS].frame, templates, maps[self.OCCUPATIONS])
        if len(links):
            reads[self.OCCUPATIONS] = Read(occupied.frame, pd.concat([occupied.problems, links], ignore_index=True))
        if self.TRANSFERS in sources:
            columns = read_columns(sources[self.TRANSFERS], maps[self.TRANSFERS], numeric=NUMBERS)
            reads[self.TRANSFERS] = read_transfers(columns.frame, rules, templates, maps[self.TRANSFERS])
            if "transfer_type" not in maps[self.TRANSFERS]:
                feedback.pushWarning(tr("Layer {layer}: no indicator type field; every transfer is read as "
                                        "{kind}").format(layer=sources[self.TRANSFERS].sourceName(),
                                                         kind=rules.default_transfer_type))
        reads, merged = one_spelling_per_county(reads, templates, maps.get(self.TRANSFERS))
        self._note_merged(sources, merged, feedback)
        counties = set(reads[self.OCCUPATIONS].frame["county"].dropna()) | set(
            reads[self.SUPPLEMENTS].frame["county"].dropna())
        self._refuse_problems(sources, reads)
        self._note_placeholders(sources, reads, feedback)
        if self.TRANSFERS in reads:
            self._note_transfer_only(sources[self.TRANSFERS].sourceName(), reads[self.TRANSFERS].frame, counties,
                                     feedback)
            moved = reads[self.TRANSFERS].frame
            separate = moved.index[(moved["paddy_mu"] > moved["mu"] * (1 + 1e-9) + 1e-9).to_numpy()]
            if len(separate):
                feedback.pushInfo(tr("Layer {layer}: {n} transfer(s) move more paddy than quantity (feature id "
                                     "{ids}): the indicators are traded each on its own").format(
                    layer=sources[self.TRANSFERS].sourceName(), n=len(separate),
                    ids=", ".join(str(fid) for fid in list(separate)[:MAX_IDS_LISTED])))
        occupations, supplements = reads[self.OCCUPATIONS].frame, reads[self.SUPPLEMENTS].frame
        transfers = reads[self.TRANSFERS].frame if self.TRANSFERS in reads else None

        ledger = farmland.ledger(occupations, supplements, transfers, period, rules)
        checks = farmland_checks.date_checks(occupations, supplements, transfers, rules, templates)
        check_canceled(feedback)
        feedback.setProgress(50)
        protected = {}
        for key, source in protected_sources.items():
            columns = read_columns(source, {}, with_geometry=True, target_crs=planar,
                                   curve_tolerance_m=self.curve_tolerance_m)
            protected[key] = clean_polygons(columns.geometries).geometry
        overlaps, overlap_shapes = farmland_checks.spatial_checks(
            occupations, geometries[self.OCCUPATIONS], supplements, geometries[self.SUPPLEMENTS], protected, rules,
            templates)
        check_canceled(feedback)
        feedback.setProgress(80)
        date_shapes = self._shapes_of(checks, occupations, geometries[self.OCCUPATIONS])
        all_checks = pd.concat([frame for frame in (checks, overlaps) if len(frame)] or [checks], ignore_index=True)
        all_checks["amounts"] = check_amounts(all_checks)
        shapes = np.concatenate([date_shapes, overlap_shapes]) if len(all_checks) else np.zeros(0, dtype=object)

        outputs = {self.LEDGER: write_table(self, parameters, context, self.LEDGER, LEDGER_FIELDS, ledger)}
        written = write_table(self, parameters, context, self.CHECKS, CHECK_FIELDS, all_checks, shapes, planar)
        if written is not None:
            outputs[self.CHECKS] = written
        flows = farmland.transfer_flows(transfers)
        centres = farmland.county_centres([occupations["county"], supplements["county"]],
                                          [geometries[self.OCCUPATIONS], geometries[self.SUPPLEMENTS]])
        lines = farmland.flow_lines(flows, centres)
        written = write_table(self, parameters, context, self.FLOWS, FLOW_FIELDS, flows, lines, planar, lines=True)
        if written is not None:
            outputs[self.FLOWS] = written
        workbook = self.parameterAsFileOutput(parameters, self.LEDGER_XLSX, context)
        if workbook:
            write_ledger_xlsx(ledger, workbook)
            outputs[self.LEDGER_XLSX] = workbook
        summary = farmland.summarise(ledger, occupations, supplements, transfers, all_checks)
        summary["flows_undrawn"] = farmland.undrawn_flows(flows, lines, centres)
        summary.update(period=period, crs=planar.authid(), protected=sorted(protected),
                       sources={k: v.to_profile() for k, v in rules.source_table().items()},
                       capacity_rule=capacity_rule(rules))
        summary["text"] = summary_lines(summary)
        summary["print_note"] = print_note(summary)
        for line in summary["text"]:
            feedback.pushInfo(line)
        feedback.setProgress(100)
        outputs.update({"SUMMARY": json.dumps(summary, ensure_ascii=False, default=str),
                        "DEFICIT_COUNTIES": len(summary["deficit"]), "CHECKS_FLAGGED": len(all_checks)})
        self.dest_ids = {name: outputs[name] for name in (self.LEDGER, self.CHECKS, self.FLOWS) if outputs.get(name)}
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        self.alias_outputs(context, {self.LEDGER: LEDGER_FIELDS, self.CHECKS: CHECK_FIELDS, self.FLOWS: FLOW_FIELDS})
        return {}

    @staticmethod
    def _note_missing(source, field_map, feedback) -> None:
        """Say what a missing optional field means for the ledger, so a 0 or an empty column is never a surprise."""
        layer = source.sourceName()
        if "cultivated_area" not in field_map:
            feedback.pushInfo(tr("Layer {layer}: no cultivated area field; areas are measured from the "
                                 "geometry").format(layer=layer))
        if "paddy_area" not in field_map:
            feedback.pushWarning(tr("Layer {layer}: no paddy field; paddy counted as 0 亩").format(layer=layer))
        if "quality_grade" not in field_map and "capacity" not in field_map:
            feedback.pushWarning(tr("Layer {layer}: no quality grade field; grain capacity is not "
                                    "checked").format(layer=layer))

    @staticmethod
    def _note_placeholders(sources, reads, feedback) -> None:
        """Values written as "no data" (无, —, /, 尚无资料) are read as empty; say so per layer and field, with what
        an empty value means there."""
        nothing = tr("nothing of it transferred")
        meaning = {"cultivated_area": tr("the area is measured from the geometry"),
                   "paddy_area": tr("no paddy (0 亩)"), "capacity": tr("the capacity follows from the quality grade"),
                   "quality_grade": tr("no quality grade"), "transfer_mu": nothing, "transfer_paddy_mu": nothing,
                   "transfer_capacity": nothing, "funds": tr("unit price × quantity"), "unit_price": tr("no price"),
                   "transfer_type": tr("the default indicator type"), "project_id": tr("no project id"),
                   "supplement_id": tr("no supplement named")}
        for name, read in reads.items():
            marks = read.placeholders
            if marks is None or not len(marks):
                continue
            for (field, canonical), group in marks.groupby(["field", "canonical"], sort=False):
                fids = sorted(group["fid"])
                shown = ", ".join(str(fid) for fid in fids[:MAX_IDS_LISTED])
                if len(fids) > MAX_IDS_LISTED:
                    shown += " " + tr("and {n} more").format(n=len(fids) - MAX_IDS_LISTED)
                feedback.pushWarning(tr("Layer {layer}, field {field}: {n} value(s) mark no data ({values}; feature "
                                        "id {ids}), read as empty: {meaning}").format(
                    layer=sources[name].sourceName(), field=field, n=len(fids),
                    values="、".join(dict.fromkeys(group["value"])), ids=shown,
                    meaning=meaning.get(canonical, tr("an empty value"))))

    @staticmethod
    def _note_transfer_only(layer, transfers, counties, feedback) -> None:
        """Counties only transfers name are read, their balance not judged: name them (a typo shows here)."""
        for county, fids in transfer_only_counties(transfers, counties).items():
            shown = ", ".join(str(fid) for fid in fids[:MAX_IDS_LISTED])
            feedback.pushWarning(tr("Layer {layer}: county {county} (feature id {ids}) has neither occupations nor "
                                    "supplements; its transfers are in the ledger, its balance is not judged "
                                    "(counties with projects: {known})").format(
                layer=layer, county=county, ids=shown, known="、".join(sorted(counties))))

    @staticmethod
    def _note_merged(sources, merged, feedback) -> None:
        """Each county spelling read as another (traditional and simplified characters), with where it was written:
        a ledger of two counties for one would be wrong for both, so they are one, and the log says so."""
        for item in merged:
            where = "; ".join(tr("{layer} feature id {ids}").format(layer=sources[key].sourceName(),
                                                                     ids=listed_ids(fids))
                              for key, fids in item.fids.items())
            feedback.pushWarning(tr("County names {spelling} and {county} differ only in traditional and simplified "
                                    "characters: {spelling} read as {county} ({where})").format(
                spelling=item.spelling, county=item.county, where=where))

    def _refuse_problems(self, sources, reads) -> None:
        """One InputError naming every value that cannot be read (layer, feature id, field, what is wrong)."""
        lines = []
        for name, read in reads.items():
            layer = sources[name].sourceName()
            for row in read.problems.itertuples():
                lines.append(tr("layer {layer}, feature id {fid}, field {field}: {problem}").format(
                    layer=layer, fid=row.fid, field=row.field, problem=row.problem))
        if not lines:
            return
        shown = "; ".join(lines[:MAX_IDS_LISTED])
        if len(lines) > MAX_IDS_LISTED:
            shown += " " + tr("and {n} more").format(n=len(lines) - MAX_IDS_LISTED)
        raise InputError(tr("{n} value(s) cannot be used, so no balance was computed: {problems}").format(
            n=len(lines), problems=shown))

    @staticmethod
    def _shapes_of(checks, occupations, geometries) -> np.ndarray:
        """The occupation's own geometry for a date check on an occupation; none for a transfer."""
        shapes = np.full(len(checks), None, dtype=object)
        if len(checks):
            position = pd.Series(np.arange(len(occupations)), index=occupations.index)
            rows = np.flatnonzero(checks["layer"].to_numpy() == farmland_checks.OCCUPATIONS)
            shapes[rows] = np.asarray(geometries, dtype=object)[position.loc[checks["feature_id"].to_numpy()[rows]]]
        return shapes


def capacity_rule(rules: FarmlandRules) -> dict:
    """How grain capacity was converted from the quality grade, in the profile's words (Chinese, as printed):
    {"local": the table is a local default, "bundled": it is the bundled linear table, "table": "(16 − 等别) × 100
    公斤/亩" for that one, else "1等 1,500、2等 … 公斤/亩", "source": the citation or the note}."""
    from ..analysis.farmland_rules import _default_capacity

    source = rules.source_table()["capacity_per_mu"]
    bundled = rules.capacity_per_mu == _default_capacity()
    if bundled:
        table = "(16 − 等别) × 100 公斤/亩"
    else:
        table = "、".join(f"{grade}等 {kg:,.0f}" for grade, kg in rules.capacity_per_mu.items()) + " 公斤/亩"
    return {"local": source.local, "bundled": bundled, "table": table, "source": source.citation() or source.note}


def print_note(summary: dict) -> str:
    """The printed subtitle's note (Chinese, like every printed text): the ledger's own figures, which the checks
    on the map cannot show, and how capacity was converted when the conversion is a local default. The funds are
    those of the transfers that have them: the others (no funds, no price) are counted, never added as 0."""
    funds = sum((figures.get("funds") or 0.0) for figures in summary["transfers"].values())
    unknown = sum(figures.get("funds_unknown", 0) for figures in summary["transfers"].values())
    deficit = "、".join(summary["deficit"]) or "无"
    note = (f"占用耕地 {summary['occupied_mu']:,.1f} 亩，补充耕地 {summary['supplemented_mu']:,.1f} 亩；"
            f"期末存在缺口：{deficit}")
    if funds or unknown:
        note += "；协作资金 " + with_unknown(f"{funds / 10000:,.2f} 亿元", unknown, "{n}项调剂金额不明")
    undrawn = summary.get("flows_undrawn") or {}
    if undrawn.get("pairs"):  # a flow to or from a county without a drawn project has no line: said, not left out
        note += (f"；调剂流向{'、'.join(undrawn['pairs'])}未上图（{'、'.join(undrawn['counties'])}"
                 f"无项目图形，位置不明）")
    rule = summary.get("capacity_rule")
    if rule and summary.get("capacity_known", True) and rule["local"]:
        table = rule["table"] if rule.get("bundled", True) else "规则配置的等别折算表"
        note += f"；产能按 {table} 折算（本地默认值）"
    return note


def check_amounts(checks: pd.DataFrame) -> pd.Series:
    """What each check concerns, in Chinese like every printed text: the excess (以补定占) or the part drawn late
    (先补后占) per indicator — '耕地 9.00 亩、产能 8,100 公斤': a capacity-only excess has no 亩 and is no 0 —, the
    area for the overlap checks ('0.60 亩')."""
    def one(row) -> str:
        prefix = "excess" if row.check == "cap_exceeded" else "late" if row.check == "supplement_after_occupation" \
            else None
        if prefix is None:  # an overlap under 0.01 亩 is no "0.00 亩": its m²
            return f"{row.area_mu:,.2f} 亩" if row.area_mu >= 0.005 else f"{row.area_m2:,.1f} m²"
        parts = [f"{word} {value:,.{decimals}f} {unit}" for word, value, decimals, unit in (
            ("耕地", getattr(row, f"{prefix}_mu"), 2, "亩"), ("水田", getattr(row, f"{prefix}_paddy_mu"), 2, "亩"),
            ("产能", getattr(row, f"{prefix}_capacity_kg"), 0, "公斤")) if value == value and value]
        return "、".join(parts)

    if not len(checks):
        return pd.Series([], dtype=object)
    return pd.Series([one(row) for row in checks.itertuples()], index=checks.index, dtype=object)


STATUS_WORDS = {"balanced": "平衡", "deficit": "缺口", "transfers_only": "仅有调剂（未判定）"}
INDICATOR_NAMES = {"mu": "耕地", "paddy_mu": "水田", "capacity_kg": "产能"}


def write_ledger_xlsx(ledger: pd.DataFrame, path: str) -> None:
    """The ledger as the bureau's spreadsheet (Chinese like every printed text): the LEDGER aliases as headers, units
    in them (亩, 公斤), statuses and indicators in words, 亩 to two decimals and 公斤 whole."""
    frame = ledger[[field.name for field in LEDGER_FIELDS]].copy()
    frame["status"] = frame["status"].map(STATUS_WORDS).fillna(frame["status"])
    frame["deficit_in"] = frame["deficit_in"].map(
        lambda text: "、".join(INDICATOR_NAMES.get(part, part) for part in str(text).split(",") if part))
    frame.columns = [field.alias for field in LEDGER_FIELDS]
    formats = {field.alias: ("#,##0" if field.name.endswith("capacity_kg") else "#,##0.00")
               for field in LEDGER_FIELDS if field.kind == "real"}
    to_xlsx(frame, path, "耕地占补平衡台账", formats)


def summary_lines(summary: dict) -> list[str]:
    """The figures as the bureau writes them: 亩, 万公斤, 万元 and 亿元."""
    separator = translate_in("reasons", LIST_SEPARATOR)

    def capacity(kg):
        return "-" if kg is None or kg != kg else f"{kg / 10000:,.2f}"

    lines = [tr("Cultivated land occupied: {mu:,.1f} 亩 (paddy {paddy:,.1f} 亩, capacity {cap} 万公斤) in {n} "
                "project(s)").format(mu=summary["occupied_mu"], paddy=summary["occupied_paddy_mu"],
                                     cap=capacity(summary["occupied_capacity_kg"]), n=summary["occupations"]),
             tr("Cultivated land supplemented: {mu:,.1f} 亩 (paddy {paddy:,.1f} 亩, capacity {cap} 万公斤) in {n} "
                "project(s)").format(mu=summary["supplemented_mu"], paddy=summary["supplemented_paddy_mu"],
                                     cap=capacity(summary["supplemented_capacity_kg"]), n=summary["supplements"])]
    kinds = {"cultivated": tr("cultivated land indicators"), "forest": tr("forest land indicators"),
             "grain_zone": tr("grain production zone agreements (代保)")}
    total_funds, total_unknown = 0.0, 0
    without_funds = tr("{n} without funds")  # the transfers a sum of funds leaves out (units.with_unknown)
    for kind, figures in summary["transfers"].items():
        funds, unknown = figures["funds"], figures.get("funds_unknown", 0)
        total_funds += funds or 0.0
        total_unknown += unknown
        # the unit with its figure, what the sum leaves out after them: "12,000.00 万元（1项调剂金额不明）"
        lines.append(tr("Transfers of {kind}: {n}, {mu:,.1f} 亩, funds {funds}").format(
            kind=kinds.get(kind, kind), n=figures["n"], mu=figures["mu"],
            funds=with_unknown("-" if funds is None else f"{funds:,.2f} 万元", unknown, without_funds)))
    if summary["transfers"]:
        lines.append(with_unknown(tr("Funds transferred in all: {wan:,.2f} 万元 ({yi:,.4f} 亿元)").format(
            wan=total_funds, yi=total_funds / 10000), total_unknown, without_funds))
    if summary["deficit"]:
        words = {"mu": tr("{value:,.2f} 亩 cultivated land"), "paddy_mu": tr("{value:,.2f} 亩 paddy"),
                 "capacity_kg": tr("{value:,.0f} kg grain capacity")}
        parts = [tr("{county} short of {amounts}").format(county=county, amounts=separator.join(
            words[ind].format(value=short[ind]) for ind in words if short.get(ind)))
            for county, short in summary["deficit"].items()]
        lines.append(tr("Counties in deficit at the end of the ledger: {list}").format(list=separator.join(parts)))
    else:
        lines.append(tr("Every county is balanced at the end of the ledger"))
    if not summary["capacity_known"]:
        lines.append(tr("Grain capacity not checked: a layer has no quality grade"))
    elif summary.get("capacity_rule"):
        rule = summary["capacity_rule"]
        if rule["local"]:
            lines.append(tr("Grain capacity converted from the quality grade by {table}: a local default, not a "
                            "published table — put the province's grade-to-yield table in the rule profile "
                            "(farmland_balance.capacity_per_mu)").format(table=rule["table"]))
        else:
            lines.append(tr("Grain capacity converted from the quality grade by {table} ({source})").format(
                table=rule["table"], source=rule["source"]))
    labels = check_labels()
    counts = separator.join(f"{labels.get(k, k)} {n}" for k, n in summary["checks"].items())
    lines.append(tr("Checks flagged: {counts}").format(counts=counts or "0"))
    if summary.get("transfers_only"):
        lines.append(tr("Counties only in transfers, balance not judged: {list}").format(
            list=separator.join(summary["transfers_only"])))
    undrawn = summary.get("flows_undrawn") or {}
    if undrawn.get("pairs"):
        lines.append(tr("Flows not drawn on the map, no project with a shape places {counties}: {pairs}").format(
            counties=separator.join(undrawn["counties"]), pairs=separator.join(undrawn["pairs"])))
    return lines
