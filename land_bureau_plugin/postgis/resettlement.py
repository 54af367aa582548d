"""The "+1 / +4 / +5" monitor in the database: one INSERT … SELECT grades every project where it is stored.

The statement follows analysis.resettlement.evaluate rule for rule (its module docstring is the specification):
dates read as analysis.dates reads them (postgis.functions.parse_date), due = expropriation + N years with
PostgreSQL's `date + interval 'N years'`, which — like add_years — turns 29 February into 28 February in a common
year; statuses, days, grade, households in overdue transition and the reasons, filled from the same (translated)
templates in the same order. Only the counts per class come back, unless the caller asks for the rows.

Text that the reasons quote is written as Python would print the value QGIS hands over (`str()` of a float has
".0"), so both paths produce the same sentences.
"""
from __future__ import annotations

from psycopg2 import sql

from ..analysis.dates import IMPRECISE, NOT_A_DATE, OUT_OF_RANGE, YEAR_RANGE
from ..analysis.messages import TEMPLATES, template_pieces
from ..analysis.numbers import SUFFIXES
from ..analysis.resettlement import DATE_FIELDS, MILESTONES, ResettlementRules, reason_sources
from ..rules.criteria import cited
from . import functions, sqlexpr
from .store import SCHEMA, ResultTable
from .tables import NUMERIC_TYPES, TableInfo

RESULT_TABLE = ResultTable("resettlement_results", tuple(
    item for m in MILESTONES for item in ((f"{m}_due", "date"), (f"{m}_status", "text"), (f"{m}_days", "integer"))
) + (("grade", "text"), ("overdue_households", "bigint"), ("has_plot", "smallint"), ("reasons", "text")))

FLOAT_TYPES = {"numeric", "real", "double precision"}
DATE_TYPES = {"date", "timestamp without time zone", "timestamp with time zone"}
DATE_RANGE = (f"{YEAR_RANGE[0]}-01-01", f"{YEAR_RANGE[1]}-12-31")  # outside it the local engine has no date
CAUSE_REASONS = ((NOT_A_DATE, "bad_date"), (IMPRECISE, "imprecise_date"), (OUT_OF_RANGE, "date_out_of_range"))
_BLANK = r"^\s*$"


def I(name: str) -> sql.Identifier:  # noqa: E743 — the generated column names, short for readability
    return sql.Identifier(name)


def base_type(info: TableInfo, column: str) -> str:
    return info.columns[column].split("(")[0]


def python_text(column: sql.Composable, kind: str) -> sql.Composable:
    """The value as `str()` prints what QGIS hands to Python (floats keep their ".0")."""
    if kind in FLOAT_TYPES:
        return sql.SQL("(CASE WHEN {c}::float8 = trunc({c}::float8) AND abs({c}::float8) < 1e16 "
                       "THEN trunc({c}::float8)::bigint::text || '.0' ELSE {c}::float8::text END)").format(c=column)
    return sql.SQL("{}::text").format(column)


def parsed_date(column: sql.Composable, kind: str) -> sql.Composable:
    """The date the local engine reads from the column (NULL when none)."""
    if kind in DATE_TYPES:
        value = sql.SQL("{}::date").format(column)
        return sql.SQL("(CASE WHEN {v} BETWEEN {lo} AND {hi} THEN {v} END)").format(
            v=value, lo=sql.Literal(DATE_RANGE[0]), hi=sql.Literal(DATE_RANGE[1]))
    return sql.SQL("{}({})").format(sql.Identifier(SCHEMA, functions.PARSE_DATE), python_text(column, kind))


def date_cause(column: sql.Composable, kind: str) -> sql.Composable:
    """Why the local engine reads no date from a date column's value ('' when it does, or when there is none)."""
    value = sql.SQL("{}::date").format(column)
    return sql.SQL("(CASE WHEN {v} NOT BETWEEN {lo} AND {hi} THEN {out} ELSE '' END)").format(
        v=value, lo=sql.Literal(DATE_RANGE[0]), hi=sql.Literal(DATE_RANGE[1]), out=sql.Literal(OUT_OF_RANGE))


def present(column: sql.Composable, kind: str) -> sql.Composable:
    """Something is there: not NULL, not blank text, not a placeholder (a blank or 无 is missing, not an error: a
    done date 无 is not done yet, as analysis.dates reads it — counted present, the milestone went grey)."""
    if kind in NUMERIC_TYPES or kind in DATE_TYPES:
        return sql.SQL("({} IS NOT NULL)").format(column)
    text = sql.SQL("{}::text").format(column)
    return sql.SQL("coalesce(translate({t}, {nbsp}, '  ') !~ {blank} AND NOT {p}, false)").format(
        t=text, nbsp=sql.Literal("\u00a0\u3000"), blank=sql.Literal(_BLANK), p=sqlexpr.placeholder(text))


def households(column: sql.Composable, kind: str, limit: float) -> tuple[sql.Composable, sql.Composable]:
    """(value, bad) as evaluate reads households: analysis.numbers (parse_number, placeholders are no value); a
    count must be whole and lie in 0 … `limit` (the profile's plausibility limit)."""
    if kind in NUMERIC_TYPES:
        value = sql.SQL("(CASE WHEN {c}::float8 = 'NaN' THEN NULL ELSE {c}::float8 END)").format(c=column)
        bad = sql.SQL("coalesce(NOT ({v} BETWEEN 0 AND {top}) OR {v} <> floor({v}), false)").format(
            v=value, top=sql.Literal(limit))
        return sql.SQL("(CASE WHEN NOT {b} THEN {v} END)").format(b=bad, v=value), bad
    text = sql.SQL("{}::text").format(column)
    number = sqlexpr.number(text, numeric=False, suffixes=SUFFIXES["households"])
    junk = sql.SQL("({n} IS NULL AND NOT {p})").format(n=number, p=sqlexpr.placeholder(text))
    out_of_range = sql.SQL("coalesce(NOT ({n} BETWEEN 0 AND {top}) OR {n} <> floor({n}), false)").format(
        n=number, top=sql.Literal(limit))  # a count is whole
    bad = sql.SQL("({p} AND ({j} OR {o}))").format(p=present(column, kind), j=junk, o=out_of_range)
    return sql.SQL("(CASE WHEN NOT {b} THEN {n} END)").format(b=bad, n=number), bad


def filled(template: str, **values: sql.Composable) -> sql.Composable:
    """analysis.messages.fill in SQL: the template's text as literals, its {placeholders} as expressions."""
    parts = []
    for literal, name in template_pieces(template):
        parts.append(sql.Literal(literal))
        if name is not None:
            parts.append(sql.SQL("({})::text").format(values[name]))
    parts = parts or [sql.Literal("")]
    return sql.SQL("concat({})").format(sql.SQL(", ").join(parts))


def when(condition: sql.Composable, text: sql.Composable) -> sql.Composable:
    return sql.SQL("CASE WHEN {} THEN {} END").format(condition, text)


def iso(column: sql.Composable) -> sql.Composable:
    return sql.SQL("to_char({}, 'YYYY-MM-DD')").format(column)


class Statement:
    """Builds the INSERT … SELECT of one run on `as_of` (a datetime.date). `field_map` maps canonical names to the
    table's columns; `plots` (optional) is the resettlement plots table with its id column, for the placement
    check."""

    def __init__(self, projects: TableInfo, field_map: dict, as_of, rules: ResettlementRules, templates: dict,
                 plots: TableInfo | None = None, plot_id_column: str | None = None):
        self.projects, self.rules, self.plots, self.plot_id_column = projects, rules, plots, plot_id_column
        self.as_of = sql.SQL("{}::date").format(sql.Literal(as_of.isoformat()))
        self.map = {canon: name for canon, name in field_map.items() if name in projects.columns}
        self.templates = {**TEMPLATES, **templates}
        self.templates = cited(self.templates, reason_sources(rules), self.templates["cite"])
        self.warning = rules.criteria()  # the windows, rendered as SQL (Criterion.sql_fails)

    def column(self, canon: str) -> tuple[sql.Composable, str]:
        """(p.<column>, its type), or (NULL, 'text') when the field is not mapped — missing counts as empty."""
        name = self.map.get(canon)
        if not name:
            return sql.SQL("NULL::text"), "text"
        return sql.SQL("p.{}").format(I(name)), base_type(self.projects, name)

    def label(self, canon: str) -> str:
        return self.map.get(canon, canon)

    # --- the CTEs ----------------------------------------------------------------------------------------------
    DATES = [("e", "expropriation_date")] + [(m, DATE_FIELDS[m]) for m in MILESTONES]

    def raw(self) -> sql.Composable:
        """Per project, read once (MATERIALIZED): the values as text, whether something is there, households,
        the id, placement; real date columns are dates already."""
        columns = [sql.SQL("p.{}::text AS source_id").format(I(self.projects.key))]
        for name, canon in self.DATES:
            column, kind = self.column(canon)
            columns += [sql.SQL("{} AS {}").format(python_text(column, kind), I(f"{name}_raw")),
                        sql.SQL("{} AS {}").format(present(column, kind), I(f"{name}_present")),
                        sql.SQL("{} AS {}").format(parsed_date(column, kind) if kind in DATE_TYPES
                                                   else sql.SQL("NULL::date"), I(f"{name}_date")),
                        sql.SQL("{} AS {}").format(date_cause(column, kind) if kind in DATE_TYPES
                                                   else sql.SQL("''"), I(f"{name}_date_cause"))]
        column, kind = self.column("households")
        value, bad = households(column, kind, self.rules.households_limit)
        columns += [sql.SQL("{} AS hh, {} AS hh_bad, {} AS hh_raw").format(value, bad, python_text(column, kind))]
        column, kind = self.column("project_id")
        text = python_text(column, kind)
        columns += [sql.SQL("nullif(regexp_replace({t}, '^\\s+|\\s+$', '', 'g'), '') AS id_text, {t} AS id_raw")
                    .format(t=text)]
        columns.append(sql.SQL("{} AS has_plot").format(self.placement()))
        return sql.SQL("SELECT {} FROM {} p").format(sql.SQL(", ").join(columns), self.projects.rows())

    def days(self) -> sql.Composable:
        """Every distinct date text of the table parsed once (a few thousand days for 100k projects), as
        analysis.dates parses each distinct value once."""
        texts = [sql.SQL("SELECT {} FROM raw").format(I(f"{name}_raw")) for name, canon in self.DATES
                 if self.column(canon)[1] not in DATE_TYPES]
        if not texts:
            return sql.SQL("SELECT NULL::text AS v, NULL::date AS d WHERE false")
        return sql.SQL("SELECT v, {}(v) AS d, {}(v) AS c FROM ({}) u(v) WHERE v IS NOT NULL").format(
            sql.Identifier(SCHEMA, functions.PARSE_DATE), sql.Identifier(SCHEMA, functions.DATE_CAUSE),
            sql.SQL(" UNION ").join(texts))

    def source(self) -> sql.Composable:
        """Dates per project (NULL where none), which ones were there but are no date and why (`_cause`), and
        whether expropriation lies after the as-of date (e_future: a data error, as in evaluate)."""
        columns, joins = [sql.SQL("r.*")], []
        for name, canon in self.DATES:
            if self.column(canon)[1] in DATE_TYPES:
                date = sql.SQL("r.{}").format(I(f"{name}_date"))
                cause = sql.SQL("r.{}").format(I(f"{name}_date_cause"))
            else:
                alias = I(f"{name}_day")
                joins.append(sql.SQL("LEFT JOIN days {a} ON {a}.v = r.{raw}").format(a=alias, raw=I(f"{name}_raw")))
                date = sql.SQL("{}.d").format(alias)
                cause = sql.SQL("coalesce({}.c, '')").format(alias)
            columns += [sql.SQL("{} AS {}").format(date, I(f"{name}_done")),
                        sql.SQL("r.{p} AND {d} IS NULL AS {a}").format(p=I(f"{name}_present"), d=date,
                                                                        a=I(f"{name}_bad")),
                        sql.SQL("CASE WHEN r.{p} AND {d} IS NULL THEN {c} ELSE '' END AS {a}").format(
                            p=I(f"{name}_present"), d=date, c=cause, a=I(f"{name}_cause"))]
            if name == "e":
                columns.append(sql.SQL("coalesce({d} > {as_of}, false) AS e_future").format(d=date, as_of=self.as_of))
        return sql.SQL("SELECT {} FROM raw r {}").format(sql.SQL(", ").join(columns), sql.SQL(" ").join(joins))

    def placement(self) -> sql.Composable:
        """安置地块落图: the plot id is on the plots table, or the project's geometry meets a plot."""
        if self.plots is None:
            return sql.SQL("NULL::boolean")  # not checked: no plot table given
        tests = []
        column, kind = self.column("resettlement_plot_id")
        if self.plot_id_column and self.map.get("resettlement_plot_id"):
            key = sql.SQL("nullif(regexp_replace({}, '^\\s+|\\s+$', '', 'g'), '')")
            plot_kind = base_type(self.plots, self.plot_id_column)
            tests.append(sql.SQL("{p} IN (SELECT {q} FROM {plots} q)").format(  # uncorrelated: one hashed subplan
                plots=self.plots.rows(), p=key.format(python_text(column, kind)),
                q=key.format(python_text(sql.SQL("q.{}").format(I(self.plot_id_column)), plot_kind))))
        if self.projects.ref.geometry and self.plots.ref.geometry:
            project_geometry = sql.SQL("p.{}").format(I(self.projects.ref.geometry))
            if self.plots.srid != self.projects.srid:
                project_geometry = sql.SQL("ST_Transform({}, {})").format(project_geometry,
                                                                         sql.Literal(self.plots.srid))
            tests.append(sql.SQL("EXISTS (SELECT 1 FROM {plots} q WHERE q.{g} && {pg} AND ST_Intersects(q.{g}, {pg}))")
                         .format(plots=self.plots.rows(), g=I(self.plots.ref.geometry), pg=project_geometry))
        return sql.SQL("coalesce({}, false)").format(sql.SQL(" OR ").join(tests)) if tests else sql.SQL("false")

    def flags(self) -> sql.Composable:
        """Due dates and the data errors of each milestone (previous / later milestones as evaluate sees them)."""
        columns = [sql.SQL("s.*")]
        for i, m in enumerate(MILESTONES):
            done, bad = I(f"{m}_done"), I(f"{m}_bad")
            earlier = [I(f"{x}_done") for x in reversed(MILESTONES[:i])]
            later = [I(f"{x}_done") for x in MILESTONES[i + 1:]]
            previous = sql.SQL("coalesce({})").format(sql.SQL(", ").join(earlier)) if earlier else sql.SQL("NULL")
            later_done = (sql.SQL(" OR ").join(sql.SQL("{} IS NOT NULL").format(x) for x in later) if later
                          else sql.SQL("false"))
            due = sql.SQL("(e_done + make_interval(years => {}))::date").format(sql.Literal(self.rules.years(m)))
            columns += [
                sql.SQL("{} AS {}").format(due, I(f"{m}_due")),
                sql.SQL("{d} IS NOT NULL AND e_done IS NOT NULL AND {d} < e_done AS {a}").format(
                    d=done, a=I(f"{m}_before_expro")),
                sql.SQL("{d} IS NOT NULL AND {d} > {as_of} AS {a}").format(d=done, as_of=self.as_of,
                                                                            a=I(f"{m}_after_as_of")),
                sql.SQL("{d} IS NOT NULL AND {p} IS NOT NULL AND {d} < {p} AS {a}").format(
                    d=done, p=previous, a=I(f"{m}_before_previous")),
                sql.SQL("{d} IS NULL AND NOT {b} AND ({later}) AS {a}").format(
                    d=done, b=bad, later=later_done, a=I(f"{m}_previous_missing")),
            ]
        return sql.SQL("SELECT {} FROM source s").format(sql.SQL(", ").join(columns))

    def statuses(self) -> sql.Composable:
        columns = [sql.SQL("f.*")]
        for m in MILESTONES:
            done, due = I(f"{m}_done"), I(f"{m}_due")
            error = sql.SQL("(e_done IS NULL OR e_future OR {b} OR {be} OR {aa} OR {bp} OR {pm})").format(
                b=I(f"{m}_bad"), be=I(f"{m}_before_expro"), aa=I(f"{m}_after_as_of"),
                bp=I(f"{m}_before_previous"), pm=I(f"{m}_previous_missing"))
            days_open = sql.SQL("({} - {})").format(due, self.as_of)
            columns += [
                sql.SQL("CASE WHEN {err} THEN 'missing' WHEN {d} IS NOT NULL AND {d} <= {due} THEN 'on_time' "
                        "WHEN {d} IS NOT NULL THEN 'late' WHEN {as_of} > {due} THEN 'overdue' "
                        "WHEN {soon} THEN 'due_soon' ELSE 'pending' END AS {a}").format(
                    err=error, d=done, due=due, soon=self.warning["yellow"].sql_fails(days_open, sql.Literal),
                    as_of=self.as_of, a=I(f"{m}_status")),
                sql.SQL("CASE WHEN {err} THEN NULL WHEN {d} IS NULL THEN {open} ELSE {due} - {d} END AS {a}").format(
                    err=error, d=done, due=due, open=days_open, a=I(f"{m}_days")),
                sql.SQL("{} AS {}").format(days_open, I(f"{m}_open")),
            ]
        return sql.SQL("SELECT {} FROM flags f").format(sql.SQL(", ").join(columns))

    def graded(self) -> sql.Composable:
        statuses = [I(f"{m}_status") for m in MILESTONES]
        worst = sql.SQL("least({})").format(sql.SQL(", ").join(
            sql.SQL("CASE WHEN {s} IN ('overdue', 'due_soon', 'pending') THEN {o} END").format(
                s=s, o=I(f"{m}_open")) for m, s in zip(MILESTONES, statuses)))
        overdue = sql.SQL(" OR ").join(sql.SQL("{} = 'overdue'").format(s) for s in statuses)
        missing = sql.SQL(" OR ").join(sql.SQL("{} = 'missing'").format(s) for s in statuses)
        return sql.SQL(
            "SELECT t.*, CASE WHEN {overdue} THEN 'red' WHEN {orange} THEN 'orange' "
            "WHEN {yellow} THEN 'yellow' WHEN e_done IS NULL OR {missing} THEN 'grey' ELSE 'green' END "
            "AS grade, CASE WHEN resettle_status = 'overdue' THEN round(hh)::bigint ELSE 0 END "
            "AS overdue_households, id_text IS NOT NULL AND count(*) OVER (PARTITION BY id_text) > 1 AS duplicated "
            "FROM statuses t").format(overdue=overdue, orange=self.warning["orange"].sql_fails(worst, sql.Literal),
                                      yellow=self.warning["yellow"].sql_fails(worst, sql.Literal), missing=missing)

    def reasons(self) -> sql.Composable:
        """The reason sentences in evaluate's order, joined with the (translated) separator; concat_ws skips the
        NULL ones."""
        t = self.templates
        parts = [when(sql.SQL("e_done IS NULL AND NOT e_bad"), filled(t["no_expropriation_date"])),
                 *self.date_reasons("e", "expropriation_date"),
                 when(sql.SQL("e_future"), filled(t["expropriation_after_as_of"], date=iso(I("e_done")),
                                                  as_of=sql.SQL("to_char({}, 'YYYY-MM-DD')").format(self.as_of)))]
        for m in MILESTONES:
            name = sql.Literal(t[f"milestone_{m}"])
            done, due, days = iso(I(f"{m}_done")), iso(I(f"{m}_due")), I(f"{m}_open")
            be, aa, bp = I(f"{m}_before_expro"), I(f"{m}_after_as_of"), I(f"{m}_before_previous")
            status = I(f"{m}_status")
            parts += [
                *self.date_reasons(m, DATE_FIELDS[m]),
                when(sql.SQL("{} AND NOT {}").format(be, I(f"{m}_bad")),
                     filled(t["before_expropriation"], milestone=name, done=done)),
                when(sql.SQL("{} AND NOT {}").format(aa, be), filled(t["after_as_of"], milestone=name, done=done)),
                when(sql.SQL("{} AND NOT {} AND NOT {}").format(bp, be, aa),
                     filled(t["before_previous"], milestone=name, done=done)),
                when(sql.SQL("{} AND e_done IS NOT NULL").format(I(f"{m}_previous_missing")),
                     filled(t["previous_missing"], milestone=name)),
                when(sql.SQL("{} = 'overdue'").format(status),
                     filled(t["overdue"], milestone=name, days=sql.SQL("-{}").format(days), due=due)),
                when(sql.SQL("{} = 'due_soon'").format(status),
                     filled(t["due_soon"], milestone=name, days=days, due=due)),
                when(sql.SQL("{} = 'late'").format(status), filled(t["late"], milestone=name, done=done, due=due)),
            ]
        parts += [
            when(sql.SQL("hh_bad"), filled(t["bad_households"], value=sql.SQL("hh_raw"))),
            when(sql.SQL("overdue_households > 0"), filled(t["overdue_households"],
                                                            households=sql.SQL("overdue_households"))),
            when(sql.SQL("resettle_status = 'overdue' AND hh IS NULL"), filled(t["households_unknown"])),
            when(sql.SQL("duplicated"), filled(t["duplicate_id"], value=sql.SQL("id_raw"))),
            when(sql.SQL("NOT has_plot"), filled(t["no_plot"])),
        ]
        return sql.SQL("concat_ws({}, {})").format(sql.Literal(t["separator"]), sql.SQL(", ").join(parts))

    def date_reasons(self, name: str, canon: str) -> list[sql.Composable]:
        """Why a present value of the date column `name` is no date: one sentence per cause (evaluate's order)."""
        return [when(sql.SQL("{} = {}").format(I(f"{name}_cause"), sql.Literal(code)),
                     filled(self.templates[key], field=sql.Literal(self.label(canon)), value=I(f"{name}_raw"),
                            first=sql.Literal(YEAR_RANGE[0]), last=sql.Literal(YEAR_RANGE[1])))
                for code, key in CAUSE_REASONS]

    def insert(self, table: ResultTable, run_id: int) -> sql.Composable:
        """The whole run: INSERT INTO <results> … SELECT (values are quoted literals, so nothing is interpolated).
        raw, days and source are MATERIALIZED: read and parsed once, however often later steps refer to them."""
        names = [name for name, _ in table.columns]
        values = [I(name) for name in names if name not in ("has_plot", "reasons")]
        return sql.SQL(
            "WITH raw AS MATERIALIZED ({raw}), days AS MATERIALIZED ({days}), source AS MATERIALIZED ({source}), "
            "flags AS ({flags}), statuses AS ({statuses}), graded AS ({graded}) "
            "INSERT INTO {table} (run_id, source_id, {names}) "
            "SELECT {run_id}, source_id, {values}, has_plot::int, {reasons} FROM graded").format(
            run_id=sql.Literal(int(run_id)),
            raw=self.raw(), days=self.days(), source=self.source(), flags=self.flags(), statuses=self.statuses(),
            graded=self.graded(),
            table=table.ident(), names=sql.SQL(", ").join(I(n) for n in names),
            values=sql.SQL(", ").join(values), reasons=self.reasons())
