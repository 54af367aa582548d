"""Print themes: what a printed map of one analysis shows, as data. Qt-free.

A theme names the analysis result it prints (the algorithm, the input role whose canonical field names its
columns may use), which field decides that a feature is *flagged* (red projects, low-efficiency parcels, failed
plans), the table of the worst flagged items (columns with Chinese headers and units, sort order, top N), the
summary figures and the texts. Adding a theme is adding an entry to `THEMES`; the builder has no per-theme code.

The printed texts are Chinese on purpose: the maps go to the bureau's meetings and reports, like the Chinese
field aliases of the result layers and the legend labels of the bundled styles.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.resettlement import DEFAULT_RULES
from ..analysis.units import M2_PER_MU, M2_PER_WAN_M2

# JSON on a result layer: the values of its run that the printed legend labels name ({yellow} days …), set by the
# panel from the run's SUMMARY; a layer without it prints `Theme.legend_values`.
LEGEND_VALUES_KEY = "land_bureau/legend_values"
# Text on a result layer for the printed subtitle: how the run decided who was judged (the land-use code system,
# or that every feature was taken as industrial land), set by the panel from its run's SUMMARY.
PRINT_NOTE_KEY = "land_bureau/print_note"
# Text on a result layer for the printed table's note: what the run's rules rest on (依据), set by the panel from its
# run's SUMMARY `sources` (themes.sources_note).
PRINT_SOURCES_KEY = "land_bureau/print_sources"
PRINT_ROWS_KEY = "land_bureau/print_rows"  # a result layer's rows of a second table that come from the run's SUMMARY


@dataclass(frozen=True)
class Column:
    """One table column: a result field or a canonical field of the theme's input role.

    `scale` converts the stored unit to the printed one (m² → 亩 is 1 / M2_PER_MU); `labels` turns codes into
    words; `colours` gives a cell background per code; `max_chars` shortens long texts with "…" on the map
    (the XLSX keeps them whole); `printed=False` columns go to the XLSX only. Printed widths are fitted to the
    texts (tables.fit_widths), so a theme names no millimetres."""

    field: str
    header: str
    unit: str = ""
    scale: float = 1.0
    decimals: int | None = None
    labels: dict = field(default_factory=dict)
    colours: dict = field(default_factory=dict)
    max_chars: int = 0
    separator: str = ""  # a list in one field ("far,height"): each part labelled, joined with 、
    printed: bool = True
    missing: str = ""  # what a missing value says ("" = —): an upstairs plan without a result is 未核查
    # A list field ("height,floors") naming the rules the run did not use on the row: a value of this column's
    # field listed there was refused (junk, negative, beyond its plausibility limit) and prints as 数据错误
    unchecked_in: str = ""
    folded: bool = True  # printed when a second table's rows go in blocks side by side (A4 portrait)
    # A list field ("far,height") naming the rules the row failed: a value of this column's field listed there is
    # printed with up to FAILED_DECIMALS decimals (a FAR of 1.9999 failing "≥ 2" printed 2.00 beside 未通过 容积率)
    failed_in: str = ""
    # a field printed in this column where its own is empty, after `otherwise_note` (labelled as this column is):
    # an upstairs plan not checked names the rules left open (未核查：首层荷载) under 未通过规则, not "—"
    otherwise: str = ""
    otherwise_note: str = ""

    @property
    def title(self) -> str:
        """The header with its unit, as planners write it: 面积（亩）."""
        return f"{self.header}（{self.unit}）" if self.unit else self.header

    @property
    def printed_title(self) -> str:
        """The header for a narrow printed column: the unit on a second line."""
        return f"{self.header}\n（{self.unit}）" if self.unit else self.header


@dataclass(frozen=True)
class Figure:
    """A summary figure: count the rows (`field` None) or sum `field`, over the rows whose `where` field has one
    of `where_values` (all rows when `where` is None)."""

    label: str
    unit: str = ""
    field: str | None = None
    where: str | None = None
    where_values: tuple = ()
    scale: float = 1.0
    decimals: int = 0
    # how a sum says that some of its rows have no value ("{n}宗地价不明"): the known part is printed with it, never
    # the unknown ones as 0 (tables.figures, units.with_unknown); every summing figure says it, a theme in its own
    # words, else these
    unknown: str = "{n}项不明"

    @property
    def title(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


@dataclass(frozen=True)
class Theme:
    key: str
    name: str  # short, in the subtitle: 征迁安置监管
    title: str  # the map title
    algorithm: str  # the Processing algorithm whose result this prints
    role: str  # input role: canonical column names resolve through its field map
    flag_field: str
    flag_values: tuple
    columns: tuple
    sort: tuple = ()  # ((field, ascending), …) applied to the flagged rows
    top_n: int = 20
    table_title: str = ""
    empty_text: str = "无标记项目"
    figures: tuple = ()
    legend_title: str = ""  # the analysed layer's name in the legend
    legend_labels: dict = field(default_factory=dict)  # class value → printed legend label (may name {values})
    legend_values: dict = field(default_factory=dict)  # default values of the labels' {placeholders}
    styles: dict = field(default_factory=dict)  # geometry kind → bundled style, used when the layer has none
    context_roles: tuple = ()  # input roles worth drawing under the result (plots, farmland, …)
    breakdown: str = "district"  # the summary figures per value of this field, then 合计
    breakdown_header: str = "行政区"
    id_field: str = ""  # the column that names an item; always printed (the feature id when the layer has none)
    source_labels: dict = field(default_factory=dict)  # rule id of the run's SUMMARY `sources` → printed name
    class_field: str = ""  # a column of classes (企业类别) whose counts, with the grades within each, print as a note
    # a second printed table, under the first, of another output of the run printed with the result (the layer of
    # that print role: land supply's 批而未供 batches, layer_roles.UNSUPPLIED); layouts/second_table.py
    second_table: Theme | None = None
    second_role: str = ""
    drop_zero: str = ""  # rows whose value here is 0 are left out (a batch fully supplied is no 批而未供)
    row_unit: str = "批"  # what a second table's rows are counted in when it is cut ("共 N 批，显示前 n 批")

    def legend_label(self, value, values: dict | None = None) -> str | None:
        """The printed label of a class, its placeholders filled from `values` (a run's) over the defaults."""
        text = self.legend_labels.get(value, self.legend_labels.get(str(value) if value is not None else None))
        return text.format(**{**self.legend_values, **(values or {})}) if text else text

    def printed_columns(self) -> tuple:
        return tuple(c for c in self.columns if c.printed)

    def fields(self) -> list[str]:
        """Every field the theme reads, without repeats (flag, columns, sort keys, figures)."""
        names = [self.flag_field] + [c.field for c in self.columns] + [f for f, _ in self.sort]
        names += [n for fig in self.figures for n in (fig.field, fig.where) if n] + [self.breakdown, self.id_field]
        return [n for n in dict.fromkeys(names) if n]


def summary_note(summary) -> str:
    """The subtitle's note from an analysis run's SUMMARY (a dict or its JSON text): its `print_note` (land supply:
    the 批而未供 figures, which the parcels' figures cannot show), else `land_use.note`, the code system the land use
    was read in or "all features taken as industrial land"; "" when the run says nothing of it (resettlement, an
    older run) or the text is no summary."""
    summary = _summary_dict(summary)
    if isinstance(summary.get("print_note"), str) and summary["print_note"].strip():
        return summary["print_note"].strip()
    land_use = summary.get("land_use")
    note = land_use.get("note") if isinstance(land_use, dict) else None
    return note.strip() if isinstance(note, str) else ""


def _summary_dict(summary) -> dict:
    """A run's SUMMARY as a dict, from the dict or its JSON text; {} for anything that is no summary."""
    import json

    if isinstance(summary, str):
        try:
            summary = json.loads(summary) if summary.strip() else {}
        except ValueError:
            return {}
    return summary if isinstance(summary, dict) else {}


def summary_rows(summary) -> list:
    """The rows of a second table printed from the run itself (SUMMARY `print_rows`: the living circle's coverage
    per facility type), a list of dicts; [] when the summary has none."""
    rows = _summary_dict(summary).get("print_rows")
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def sources_note(summary, theme: Theme) -> str:
    """The printed 依据 of a run: "依据：建筑系数《工业项目建设用地控制指标》第四条（三）（2008）；…；其余为本地默认值"
    from its SUMMARY (a dict or its JSON text) `sources` — the documented ones by name (rules resting on the same
    citation named together: 生态保护红线、城镇开发边界《…》), the local defaults in one phrase. "" when the summary
    names no sources (an older run) or is no summary."""
    from ..rules.criteria import source_of

    sources = _summary_dict(summary).get("sources")
    if not isinstance(sources, dict) or not sources:
        return ""
    rules_of, local = {}, 0  # citation -> the printed names of the rules resting on it
    for rule_id, value in sources.items():
        try:
            source = source_of(value)
        except (AttributeError, TypeError):
            continue
        if source.local:
            local += 1
        else:
            rules_of.setdefault(source.citation(), []).append(theme.source_labels.get(rule_id, rule_id))
    cited = ["、".join(dict.fromkeys(names)) + citation for citation, names in rules_of.items()]
    if local:
        cited.append("其余为本地默认值" if cited else "均为本地默认值")
    return "依据：" + "；".join(cited)


SEQUENCE = "__seq__"  # the 序号 column the table adds in front
SEQUENCE_HEADER = "序号"

GRADE_LABELS = {"green": "正常", "yellow": "黄色预警", "orange": "橙色预警", "red": "红色超期", "grey": "数据缺失"}
GRADE_COLOURS = {"green": "#a6dba0", "yellow": "#fff3a0", "orange": "#fdc086", "red": "#f4a3a3", "grey": "#dddddd"}
# the printed warning grade of a resettlement project or an approval batch: one board, one scale
WARNING_GRADE = Column("grade", "预警等级", labels=GRADE_LABELS, colours=GRADE_COLOURS)
STATUS_LABELS = {"on_time": "按期", "late": "逾期完成", "pending": "未到期", "due_soon": "临期", "overdue": "超期",
                 "missing": "数据缺失"}
STATUS_COLOURS = {"overdue": "#f4a3a3", "late": "#fde0c5", "due_soon": "#fff3a0", "missing": "#dddddd"}

RESETTLEMENT = Theme(
    key="resettlement",
    name="征迁安置监管",
    title="征迁安置“+1+4+5”监管预警图",
    algorithm="landbureau:resettlementdeadlines",
    role="resettlement_projects",
    flag_field="grade",
    flag_values=("red",),
    columns=(
        Column("project_id", "项目编号", max_chars=14),
        Column("project_name", "项目名称", max_chars=14),
        Column("district", "行政区"),
        WARNING_GRADE,
        Column("start_status", "开工(+1)", labels=STATUS_LABELS, colours=STATUS_COLOURS),
        Column("complete_status", "竣工(+4)", labels=STATUS_LABELS, colours=STATUS_COLOURS),
        Column("resettle_status", "安置(+5)", labels=STATUS_LABELS, colours=STATUS_COLOURS),
        Column("resettle_days", "安置剩余", "天", decimals=0),
        Column("overdue_households", "超期过渡", "户", decimals=0),
        Column("households", "征迁户数", "户", decimals=0, printed=False),
        Column("reasons", "原因", printed=False),
    ),
    sort=(("overdue_households", False), ("resettle_days", True)),
    top_n=20,
    table_title="超期项目（按超期过渡户数排序）",
    empty_text="无超期项目",
    figures=(
        Figure("项目总数", "个"),
        Figure("红色超期", "个", where="grade", where_values=("red",)),
        Figure("橙色预警", "个", where="grade", where_values=("orange",)),
        Figure("黄色预警", "个", where="grade", where_values=("yellow",)),
        Figure("超期过渡", "户", field="overdue_households", unknown="{n}个项目户数不明"),
    ),
    legend_title="预警等级",
    legend_labels={"green": "正常（剩余＞{yellow}天）", "yellow": "黄色预警（≤{yellow}天）",
                   "orange": "橙色预警（≤{orange}天）", "red": "红色：超期", "grey": "灰色：数据缺失"},
    legend_values=DEFAULT_RULES.warning_days(),
    styles={"point": "resettlement_result", "polygon": "resettlement_result_polygon"},
    context_roles=("resettlement_plots",),
    id_field="project_id",
    source_labels={"deadlines": "“+1+4+5”节点", "warnings": "预警窗口"},
)

# The enterprise classes of the 亩均 grading (analysis.efficiency_grading) as printed.
CLASS_LABELS = {"above": "规上", "below": "规下", "apart": "单列", "exempt": "不定等级", "all": "全部地块"}
EFFICIENCY_GRADE_LABELS = {"A": "A 优先发展", "B": "B 提升发展", "C": "C 调控帮扶", "D": "D 倒逼整治"}
EFFICIENCY_GRADE_COLOURS = {"A": "#a6dba0", "B": "#d9f0a3", "C": "#fdc086", "D": "#f4a3a3"}

EFFICIENCY = Theme(
    key="efficiency",
    name="低效用地认定",
    title="工业用地低效认定与再开发潜力图",
    algorithm="landbureau:lowefficiency",
    role="parcels",
    flag_field="low_eff",
    flag_values=(1, True),
    columns=(
        Column("parcel_id", "地块编号"),
        Column("owner", "权利人", max_chars=14),
        Column("district", "行政区"),
        Column("area_mu", "面积", "亩", decimals=1),  # measured, the area FAR and potential are computed on
        Column("far", "容积率", decimals=2),
        Column("score", "亩均评分", decimals=1, printed=False),
        Column("grade", "亩均等级", labels=EFFICIENCY_GRADE_LABELS, colours=EFFICIENCY_GRADE_COLOURS),
        Column("ent_class", "企业类别", labels=CLASS_LABELS, printed=False),
        Column("rank", "排名", decimals=0, printed=False),
        Column("rank_n", "参评数", decimals=0, printed=False),
        Column("mode", "再开发模式"),
        Column("potential_m2", "再开发潜力", "万m²", scale=1 / M2_PER_WAN_M2, decimals=2),
        Column("tax", "年税收", "万元", decimals=1, printed=False),
        Column("tax_per_mu", "亩均税收", "万元", decimals=1, printed=False),
        Column("cluster_id", "并宗组团", printed=False),
        Column("reasons", "原因", printed=False),
    ),
    sort=(("potential_m2", False),),
    top_n=20,
    table_title="低效地块（按再开发潜力排序）",
    empty_text="无低效地块",
    figures=(
        Figure("分析地块", "宗"),
        Figure("低效地块", "宗", where="low_eff", where_values=(1, True)),
        Figure("低效面积", "亩", field="area_mu", where="low_eff", where_values=(1, True), decimals=1,
               unknown="{n}宗面积不明"),
        Figure("D级地块", "宗", where="grade", where_values=("D",)),
        Figure("再开发潜力", "万m²", field="potential_m2", where="low_eff", where_values=(1, True),
               scale=1 / M2_PER_WAN_M2, decimals=2, unknown="{n}宗潜力不明"),
    ),
    legend_title="低效认定与亩均等级",
    # the classes of the efficiency_result style: low efficiency whatever the grade, then the grades of the others
    legend_labels={"low": "低效用地", **EFFICIENCY_GRADE_LABELS, "judged": "非低效（无亩均等级）",
                   "none": "未评价（不在范围或无数据）"},
    styles={"polygon": "efficiency_result"},
    id_field="parcel_id",
    source_labels={"far_low": "容积率下限", "coverage_low": "建筑系数", "tax_low": "亩均税收", "grade_low": "D级",
                   "idle": "闲置土地", "grading": "亩均评价", "classes": "企业分类", "exemptions": "不定等级"},
    class_field="ent_class",
)

# The printed names of the rule ids (upstairs_rules.RULE_IDS). Not the panel's rule names (upstairs_text
# UPSTAIRS_TEMPLATES rule_<id>, translated in the .ts): the print names what a rule checks (配套比例, 面积核对,
# 方案重叠), the panel what it measured (配套面积, 申报面积, 其他方案). tests/unit/test_layout_tables.py checks that
# every code an analysis writes has a printed label here.
UPSTAIRS_RULE_LABELS = {"far": "容积率", "height": "建筑高度", "floors": "层数", "ground_floor_height": "首层层高",
                        "upper_floor_height": "标准层层高", "ground_floor_load": "首层荷载",
                        "upper_floor_load": "楼层荷载", "lift_capacity": "货梯载重",
                        "support_floor_share": "配套建筑面积占比", "support_land_share": "配套用地占比",
                        "area_match": "面积核对", "farmland": "永久基本农田", "redline": "生态保护红线",
                        "urban_boundary": "城镇开发边界", "industrial_land": "工业用地", "plan_overlap": "方案重叠"}
# An upstairs plan that neither failed a rule nor had every rule checked (a field or layer missing, a data error in
# its own values, no usable geometry): passed is NULL. Never printed as 通过.
UNDECIDED = "未核查"
PASSED_LABELS = {1: "通过", 0: "未通过", "1": "通过", "0": "未通过", "undecided": "未核查（有规则未能核查）"}
PASSED_COLOURS = {0: "#f4a3a3", "0": "#f4a3a3"}

UPSTAIRS = Theme(
    key="upstairs",
    name="工业上楼方案审查",
    title="工业上楼方案合规审查图",
    algorithm="landbureau:upstairscheck",
    role="upstairs_plans",
    flag_field="passed",
    flag_values=(0, False, None),  # failed, and not checked: both need the planner (neither counts as passed)
    columns=(
        Column("plan_id", "方案编号"),
        Column("district", "行政区"),
        Column("passed", "审查结果", labels=PASSED_LABELS, colours=PASSED_COLOURS, missing=UNDECIDED),
        Column("area_mu", "用地面积", "亩", decimals=1),
        Column("far", "容积率", decimals=2, unchecked_in="unchecked_rules", failed_in="failed_rules"),
        Column("height", "建筑高度", "m", decimals=1, unchecked_in="unchecked_rules", failed_in="failed_rules"),
        Column("floors", "层数", decimals=0, unchecked_in="unchecked_rules"),
        Column("failed_rules", "未通过规则", labels=UPSTAIRS_RULE_LABELS, separator=",", otherwise="unchecked_rules",
               otherwise_note="未核查："),
        Column("unchecked_rules", "未核查规则", labels=UPSTAIRS_RULE_LABELS, separator=",", printed=False),
        Column("reasons", "原因", printed=False),
    ),
    sort=(("passed", True), ("plan_id", True)),  # the failed plans first, then the not checked (missing last)
    top_n=20,
    table_title="未通过审查及未核查的方案",
    empty_text="所有方案均通过审查",
    figures=(
        Figure("方案总数", "个"),
        Figure("未通过", "个", where="passed", where_values=(0, False)),
        Figure("通过", "个", where="passed", where_values=(1, True)),
        Figure(UNDECIDED, "个", where="passed", where_values=(None,)),
        Figure("方案用地", "亩", field="area_mu", decimals=1, unknown="{n}个方案面积不明"),
    ),
    legend_title="审查结果",
    legend_labels=PASSED_LABELS,
    styles={"polygon": "upstairs_result"},
    context_roles=("farmland", "redline", "urban_boundary"),
    id_field="plan_id",
    source_labels=UPSTAIRS_RULE_LABELS,
)

SUPPLY_STATUS_LABELS = {"on_time": "按期", "due_soon": "临近开工期限", "unused": "供而未用", "idle": "闲置",
                        "reclaim": "闲置满两年（应收回）", "completed": "已竣工", "government_delay": "政府原因延迟",
                        "missing": "数据缺失"}
SUPPLY_STATUS_COLOURS = {"reclaim": "#e58a8a", "idle": "#f4a3a3", "unused": "#fdc086", "due_soon": "#fff3a0",
                         "government_delay": "#dadaeb", "missing": "#dddddd"}
SUPPLY_FLAGGED = ("idle", "reclaim")
# the approval batches of a land supply run: printed under its parcels and exported from its panel
APPROVAL_BATCHES = {"algorithm": "landbureau:landsupply", "role": "approval_batches"}

# The 批而未供 batches as the land supply map prints them under its parcels (Theme.second_table): each batch with land
# left, the most overdue first; the subtitle gives their total.
UNSUPPLIED_PRINTED = Theme(
    key="unsupplied_printed",
    name="批而未供",
    title="批而未供",
    **APPROVAL_BATCHES,
    flag_field="grade",
    flag_values=tuple(GRADE_LABELS),
    columns=(
        Column("batch_id", "批次编号", max_chars=18),
        Column("unsupplied_mu", "批而未供", "亩", decimals=1),
        Column("age_days", "批准", "天", decimals=0),
        WARNING_GRADE,
    ),
    sort=(("days_left", True), ("unsupplied_mu", False)),
    top_n=10,
    table_title="批而未供批次（按消化期限排序）",
    id_field="batch_id",
    drop_zero="unsupplied_mu",
)

LAND_SUPPLY = Theme(
    key="land_supply",
    name="土地供应监管",
    title="土地供应监管图（闲置土地·批而未供）",
    algorithm="landbureau:landsupply",
    role="land_supply",
    flag_field="supply_status",
    flag_values=SUPPLY_FLAGGED,
    columns=(
        Column("parcel_id", "宗地编号", max_chars=16),
        Column("project_name", "项目名称", max_chars=14),
        Column("district", "行政区"),
        Column("supply_status", "供地状态", labels=SUPPLY_STATUS_LABELS, colours=SUPPLY_STATUS_COLOURS),
        Column("area_m2", "面积", "亩", scale=1 / M2_PER_MU, decimals=1),
        Column("idle_days", "闲置", "天", decimals=0),
        Column("idle_fee", "闲置费", "万元", decimals=1, missing="地价不明"),  # listed rows are idle: a fee is owed
        Column("next_due", "期限日期", printed=False),
        Column("days_left", "剩余天数", "天", decimals=0, printed=False),
        Column("grade", "预警等级", labels=GRADE_LABELS, printed=False),
        Column("reasons", "原因", printed=False),
    ),
    sort=(("idle_days", False), ("idle_fee", False)),
    top_n=20,
    table_title="闲置土地（按闲置天数排序）",
    empty_text="无闲置土地",
    figures=(
        Figure("已供宗地", "宗"),
        Figure("供而未用", "宗", where="supply_status", where_values=("unused",)),
        Figure("闲置", "宗", where="supply_status", where_values=("idle",)),
        Figure("应收回", "宗", where="supply_status", where_values=("reclaim",)),
        Figure("闲置面积", "亩", field="area_m2", where="supply_status", where_values=SUPPLY_FLAGGED,
               scale=1 / M2_PER_MU, decimals=1, unknown="{n}宗面积不明"),
        Figure("闲置费", "万元", field="idle_fee", where="supply_status", where_values=SUPPLY_FLAGGED, decimals=1,
               unknown="{n}宗地价不明"),
    ),
    legend_title="供地状态",
    legend_labels=SUPPLY_STATUS_LABELS,
    styles={"polygon": "supply_result"},
    context_roles=("approval_batches",),
    id_field="parcel_id",
    source_labels={"idle_years": "未动工满一年闲置", "stopped_years": "中止开发满一年", "reclaim_years": "满两年收回",
                   "idle_fee_share": "闲置费20%", "min_developed_share": "开发面积三分之一",
                   "min_investment_share": "投资额25%", "exempt_government_delay": "政府原因",
                   "unsupplied_years": "批而未供两年", "min_unsupplied_m2": "未供面积下限", "day_counting": "期间计算"},
    second_table=UNSUPPLIED_PRINTED,
    second_role="unsupplied",
)

# The approval batches' table (批而未供) as the land supply panel exports it; not a print theme of its own: the
# unsupplied areas print on the land supply map (layouts/layer_roles.py, by their fields).
UNSUPPLIED_TABLE = Theme(
    key="unsupplied",
    name="批而未供",
    title="批而未供",
    **APPROVAL_BATCHES,
    flag_field="grade",
    flag_values=("red",),
    columns=(
        Column("batch_id", "批次编号"),
        Column("batch_name", "批次名称", max_chars=14),
        Column("district", "行政区"),
        Column("approval_date", "批准日期"),
        Column("approved_m2", "批准面积", "亩", scale=1 / M2_PER_MU, decimals=1),
        Column("supplied_m2", "已供面积", "亩", scale=1 / M2_PER_MU, decimals=1),
        Column("unsupplied_mu", "未供面积", "亩", decimals=1),
        Column("age_days", "批准天数", "天", decimals=0),
        Column("due", "消化期限"),
        Column("days_left", "剩余天数", "天", decimals=0),
        WARNING_GRADE,
        Column("reasons", "原因"),
    ),
    sort=(("days_left", True),),
    id_field="batch_id",
)

FARMLAND_CHECK_LABELS = {"cap_exceeded": "超出以补定占额度", "supplement_after_occupation": "违反先补后占",
                         "occupies_basic_farmland": "占用永久基本农田",
                         "supplement_on_protected": "补充耕地位于管控区域", "supplement_overlap": "补充耕地相互重叠"}
FARMLAND_CHECK_COLOURS = {"cap_exceeded": "#f4a3a3", "supplement_after_occupation": "#fdc086",
                          "occupies_basic_farmland": "#d8b5e6", "supplement_on_protected": "#f7b6d2",
                          "supplement_overlap": "#a6cee3"}

# 耕地占补平衡台账图: the CHECKS of landbureau:farmlandbalance on the map, the worst first in the table (以补定占 and
# 先补后占 by area, then the places), figures per county; the ledger's own figures (deficit counties, funds) print
# in the subtitle through the run's SUMMARY print_note.
# The indicator flows as the 耕地占补平衡 map prints them beside its checks (Theme.second_table, from the run's FLOWS
# layer, 指标调剂流向): who gave what to whom, in words and figures — the map's arrows show the direction, but a
# county far from the checked projects is off a map that keeps the projects readable (builder._extent), and the
# arrows carry neither names nor quantities. Cells in the arrows' colours (resources/styles/farmland_flows.qml).
FLOW_TYPE_LABELS = {"cultivated": "耕地占补平衡指标", "forest": "补充林地指标", "grain_zone": "粮食生产功能区代保"}
FLOW_TYPE_COLOURS = {"cultivated": "#a6cfe8", "forest": "#b4dfbf", "grain_zone": "#f7c29f"}
FLOWS_PRINTED = Theme(
    key="flows_printed",
    name="指标调剂流向",
    title="指标调剂流向",
    algorithm="landbureau:farmlandbalance",
    role="indicator_transfers",
    flag_field="type",
    flag_values=tuple(FLOW_TYPE_LABELS),
    columns=(
        Column("from_county", "调出方", max_chars=10),
        Column("to_county", "调入方", max_chars=10),
        Column("type", "指标类型", labels=FLOW_TYPE_LABELS, colours=FLOW_TYPE_COLOURS),
        Column("mu", "数量", "亩", decimals=2),
        Column("paddy_mu", "水田", "亩", decimals=2, folded=False),
    ),  # no funds: a flow's sum leaves out its transfers without a price (funds_unknown), the subtitle says both
    sort=(("mu", False),),
    top_n=20,
    table_title="指标调剂流向（按数量排序）",
    row_unit="条",
)

FARMLAND = Theme(
    key="farmland",
    name="耕地占补平衡",
    title="耕地占补平衡台账图",
    algorithm="landbureau:farmlandbalance",
    role="farmland_occupations",
    flag_field="check",
    flag_values=tuple(FARMLAND_CHECK_LABELS),
    columns=(
        Column("project_id", "项目编号", max_chars=16),
        Column("county", "县（市、区）"),
        Column("check", "检查项", labels=FARMLAND_CHECK_LABELS, colours=FARMLAND_CHECK_COLOURS),
        Column("date", "日期"),
        Column("amounts", "涉及指标或面积"),
        Column("other_project", "相关项目", max_chars=16),
        Column("reason", "原因", printed=False),
    ),
    sort=(("area_mu", False),),
    top_n=20,
    table_title="占补平衡问题（按面积排序）",
    empty_text="未发现占补平衡问题",
    figures=(
        Figure("问题项目", "项"),
        Figure("以补定占", "项", where="check", where_values=("cap_exceeded",)),
        Figure("先补后占", "项", where="check", where_values=("supplement_after_occupation",)),
        Figure("占用基本农田", "亩", field="area_mu", where="check", where_values=("occupies_basic_farmland",),
               decimals=2, unknown="{n}项面积不明"),
        Figure("重复计算", "亩", field="area_mu", where="check", where_values=("supplement_overlap",), decimals=2,
               unknown="{n}项面积不明"),
    ),
    legend_title="占补平衡问题",
    legend_labels=FARMLAND_CHECK_LABELS,
    styles={"polygon": "farmland_checks"},
    context_roles=("farmland_occupations", "farmland_supplements", "farmland", "redline"),
    breakdown="county",
    breakdown_header="县（市、区）",
    id_field="project_id",
    source_labels={"capacity_per_mu": "等别产能折算", "supplement_before_occupation": "先补后占",
                   "occupation_capped": "以补定占", "three_indicators": "数量、水田、产能分别平衡",
                   "basic_farmland": "永久基本农田", "protected_overlap": "补充耕地选址",
                   "min_overlap_m2": "重叠面积下限"},
    second_table=FLOWS_PRINTED,
    second_role="flows",
)

LIVING_CIRCLE_RUN = {"algorithm": "landbureau:livingcircle", "role": "residential"}  # both living circle tables

# The living circle's coverage per facility type, the 城市体检 indicator, printed under the units with gaps
# (Theme.second_table, from the run's SUMMARY print_rows): per type its circle, walk, facilities and the share of
# the city's residents within the walk, then every basic type together.
COVERAGE_PRINTED = Theme(
    key="coverage_printed",
    name="各类设施覆盖率",
    title="各类设施覆盖率",
    **LIVING_CIRCLE_RUN,
    flag_field="printed",
    flag_values=(1,),
    columns=(
        Column("label", "设施", max_chars=16),
        Column("level", "生活圈", folded=False),  # the walk says the level where room is short
        Column("walk_m", "步行距离", "m", decimals=0),
        Column("facilities", "设施数", "处", decimals=0),
        Column("share", "覆盖人口", "%", decimals=1),
    ),
    top_n=30,
    table_title="各类设施步行覆盖率（全市，按人口加权）",
    row_unit="类",
)

# 15-minute living circle (landbureau:livingcircle): the units without every basic facility within its walk are the
# flagged rows, most residents first; the walking distances and the straight-line note come in the subtitle
# (SUMMARY print_note), the missing types in 缺项 (the run's reasons).
LIVING_CIRCLE = Theme(
    key="living_circle",
    name="15分钟生活圈",
    title="15分钟生活圈覆盖评估图",
    **LIVING_CIRCLE_RUN,
    flag_field="basic_covered",
    flag_values=(0,),
    columns=(
        Column("district", "行政区"),
        Column("population", "人口", "人", decimals=0),
        Column("types_covered", "覆盖设施", "类", decimals=0),
        Column("basic_covered", "基本设施全覆盖", labels={1: "是", 0: "否", "1": "是", "0": "否"}, printed=False),
        Column("missing", "缺项", max_chars=44),
        Column("reasons", "原因", printed=False),
    ),
    sort=(("population", False),),
    top_n=20,
    table_title="基本设施未全覆盖的居住单元（按人口排序）",
    empty_text="所有居住单元基本设施全覆盖",
    figures=(
        Figure("居住单元", "个"),
        Figure("人口", "人", field="population", unknown="{n}个单元人口不明"),
        Figure("全覆盖人口", "人", field="population", where="basic_covered", where_values=(1,),
               unknown="{n}个单元人口不明"),
        Figure("有缺项单元", "个", where="basic_covered", where_values=(0,)),
    ),
    legend_title="生活圈覆盖",
    legend_labels={"1": "基本设施全覆盖", "0": "有缺项"},
    styles={"point": "living_circle_result", "polygon": "living_circle_result_polygon"},
    context_roles=("facilities", "roads"),
    source_labels={"walking_m": "步行距离", "facilities": "配套设施", "basic_types": "基本设施",
                   "household_size": "户均人口", "detour_factor": "绕行系数", "snap_tolerance_m": "端点吸附",
                   "max_access_m": "最大接入距离", "facility_frontage_m": "面状设施临路距离",
                   "excluded_road_classes": "不可步行道路"},
    second_table=COVERAGE_PRINTED,
    second_role="summary",
)

THEMES = {theme.key: theme for theme in (RESETTLEMENT, EFFICIENCY, UPSTAIRS, LAND_SUPPLY, FARMLAND,
                                         LIVING_CIRCLE)}  # THEME indexes stay: a new theme goes at the end


def theme_for(key_or_algorithm: str) -> Theme:
    """A theme by its key or by the id of the algorithm it prints; KeyError naming the known keys."""
    for theme in THEMES.values():
        if key_or_algorithm in (theme.key, theme.algorithm):
            return theme
    raise KeyError(key_or_algorithm)
