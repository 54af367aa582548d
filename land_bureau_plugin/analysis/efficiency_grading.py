"""Grading the 亩均 score the way the bureaus grade it (亩均论英雄, 浙政发〔2018〕5号): who is graded on which
indicators (enterprise classes), who is not graded (不定等级), and the grade — by rank or by score bands.

Classes (`enterprise_classes`; each in-scope parcel gets one, `ent_class`):
  exempt  不定等级: a new enterprise (production started less than `exempt_new_years` years before the as-of date,
          or not yet), a project under construction (`under_construction`, when `exempt_under_construction`) or a
          utility (`industry` code starting with one of `exempt_industries`: GB/T 4754-2017 44 电力、热力, 45 燃气,
          46 水; a section letter such as "D" matches the letter). Not graded — or given `exempt_grade` (e.g. "B")
          when the profile says so; never the bottom grade. The reasons say which cause.
  apart   listed apart (单列), not graded: tenants without land of their own (`tenant`), enterprises below
          designated size on less than `below_scale_min_mu` 亩, and parcels without a land area.
  above   规上 (above designated size): the `scale` field says so (规上, 规模以上, 是, 1 …), else annual output ≥
          `above_scale_output` 万元 (the statistics bureau's 2,000 万元 since 2011). Graded on every weighted indicator.
  below   规下 on at least `below_scale_min_mu` 亩: graded on `below_scale_indicators` only (亩均税收).
The precedence is that order. With `enterprise_classes` false every in-scope parcel is `all`: graded on every
weighted indicator, nothing exempt or apart (the plugin before profile version 4).

Grades (`grading`):
  rank    within each group — the parcels of one class in one district (`rank_scope` "district"; parcels without a
          district are ranked city-wide) or in the whole layer ("city") — by score, best first. `rank` is one more
          than the number of group members scoring higher (ties "better": all tied take the best rank among them)
          or the number scoring at least as high (ties "worse"); `rank_n` the size of the group. A parcel gets the
          first grade whose cut (`rank_cuts`, e.g. A 0.25, B 0.70, C 0.95) exceeds the share of its group ranked
          above it, (rank − 1) / rank_n; else the bottom grade D. So of 20, ranks 1–5 are A, 6–14 B, 15–19 C, 20 D;
          the best of any group is A and a group of fewer than 20 has no D.
  score   fixed bands on the score (`grade_bounds`: A ≥ 80, B ≥ 60, C ≥ 40, else D).
Every comparison is a criterion (rules.criteria), so each cut and bound is tested at, just below and just above.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..rules.criteria import Criterion
from .dates import OK, add_years, explain_bad_dates, parse_dates_explained
from .efficiency_reading import column, per_value, read_flag
from .efficiency_reasons import Reasons
from .efficiency_rules import BOTTOM_GRADE, INDICATORS, EfficiencyRules

ABOVE, BELOW, APART, EXEMPT, ALL = "above", "below", "apart", "exempt", "all"
CLASSES = (ABOVE, BELOW, APART, EXEMPT, ALL)
GRADED = (ABOVE, BELOW, ALL)  # the classes graded on their score
CITY = "\x00city"  # the group key of parcels ranked city-wide

_ABOVE_WORDS = ("规上", "规模以上", "规上企业", "规模以上企业", "above", "是", "1", "y", "yes", "true")
_BELOW_WORDS = ("规下", "规模以下", "规下企业", "规模以下企业", "below", "否", "0", "n", "no", "false")


def classify(table: pd.DataFrame, numbers: dict[str, pd.Series], in_scope: pd.Series, rules: EfficiencyRules,
             as_of: pd.Timestamp, notes: Reasons, labels: dict[str, str]) -> pd.Series:
    """The enterprise class of each in-scope parcel (module docstring), None out of scope; each exempt or apart
    parcel gets its reason."""
    rows = in_scope.index
    if not rules.enterprise_classes:
        return pd.Series(np.where(in_scope, ALL, None), index=rows, dtype=object)
    exempt = _exemptions(table, rules, as_of, notes, labels) & in_scope
    tenant = read_flag(table, "tenant", notes, labels) & in_scope & ~exempt
    above = _above_scale(table, numbers["output"], rules, notes, labels)
    mu = numbers["mu"]
    no_land = in_scope & ~exempt & ~tenant & ~(mu > 0)
    enough = Criterion("below_scale_min_mu", "mu", ">=", rules.below_scale_min_mu).holds(mu.to_numpy())
    small = in_scope & ~exempt & ~tenant & ~above & (mu > 0) & ~enough
    ent_class = np.select([~in_scope, exempt, tenant | no_land | small, above], [None, EXEMPT, APART, ABOVE],
                          default=BELOW)
    notes.add(tenant, "class_tenant")
    notes.add(no_land, "class_no_land")
    notes.add(small, "class_small", mu=mu.round(2), min_mu=f"{rules.below_scale_min_mu:g}")
    return pd.Series(ent_class, index=rows, dtype=object)


def _exemptions(table, rules: EfficiencyRules, as_of, notes: Reasons, labels) -> pd.Series:
    """不定等级: new enterprises, projects under construction, utilities; each cause a reason."""
    rows = table.index
    treatment = (notes.templates["treated_as"].format(grade=rules.exempt_grade) if rules.exempt_grade
                 else notes.templates["not_graded"])
    raw = column(table, "production_start")
    new = pd.Series(False, index=rows)  # no date anywhere (or no such field): nobody is new, nothing to explain
    if raw.notna().any():
        start, cause = parse_dates_explained(raw)
        start.index, cause.index = rows, rows
        explain_bad_dates(notes.add, cause, labels.get("production_start", "production_start"), raw)
        known = start.notna() & (cause == OK)
        # new: the as-of date lies before the N-th anniversary of the production start
        days_left = (add_years(start.where(known), rules.exempt_new_years) - as_of).dt.days.astype(float)
        new = pd.Series(Criterion("exempt_new", "days_left", ">", 0.0).holds(days_left.to_numpy()), index=rows)
        notes.add(new, "exempt_new", date=start, years=rules.exempt_new_years, treatment=treatment)
    building = read_flag(table, "under_construction", notes, labels, (("在建", "建设中"), ("已建成", "投产")))
    building = building & rules.exempt_under_construction & ~new
    notes.add(building, "exempt_construction", treatment=treatment)
    codes = per_value(column(table, "industry"), _industry_code)
    utility = per_value(codes, lambda code: _utility(code, rules.exempt_industries)).eq(True) & ~new & ~building
    notes.add(utility, "exempt_utility", code=codes, treatment=treatment)
    return new | building | utility


def _industry_code(value) -> str | None:
    """An industry code as written ("4411", "D4411", "44", 4411.0), upper case; None when blank."""
    text = str(value).strip().upper()
    text = text[:-2] if text.endswith(".0") else text
    return text or None


def _utility(code: str, exempt: list[str]) -> bool:
    """Whether a GB/T 4754 code falls under one of the exempt entries: digits by prefix ("44" takes 4411), a
    section letter by the code's letter ("D" takes D4411)."""
    letter, digits = (code[0], code[1:]) if code[:1].isalpha() else ("", code)
    return any((entry.upper() == letter) if entry.isalpha() else digits.startswith(entry) for entry in exempt)


def _above_scale(table, output: pd.Series, rules: EfficiencyRules, notes: Reasons, labels) -> pd.Series:
    """规上 by the `scale` field where it says so; else (no field, blank or not understood) by output ≥
    above_scale_output."""
    raw = column(table, "scale")
    said = per_value(raw, _scale_word)
    unknown = np.array(raw.notna() & said.isna(), dtype=bool)  # a copy: pandas 3 hands a read-only view
    if unknown.any():  # of the values present and not understood, the blank ones are no statement
        unknown[unknown] = (raw[unknown].astype(str).str.strip() != "").to_numpy(dtype=bool)
    unknown = pd.Series(unknown, index=raw.index)
    notes.add(unknown, "scale_unknown", field=labels.get("scale", "scale"), value=raw,
              threshold=f"{rules.above_scale_output:g}")
    by_output = pd.Series(Criterion("above_scale", "output", ">=", rules.above_scale_output).holds(
        output.to_numpy(dtype=float)), index=table.index)
    return said.where(said.notna(), by_output).astype(bool)


def _scale_word(value) -> bool | None:
    text = str(value).strip().lower()
    text = text[:-2] if text.endswith(".0") else text
    return True if text in _ABOVE_WORDS else False if text in _BELOW_WORDS else None


def indicator_masks(ent_class: pd.Series, rules: EfficiencyRules) -> dict[str, pd.Series]:
    """{indicator: the parcels graded on it}: every weighted indicator for above and all, the below-scale set for
    below, none for apart and exempt."""
    full = ent_class.isin([ABOVE, ALL])
    below = ent_class == BELOW
    return {name: full | (below & (name in rules.below_scale_indicators)) for name in INDICATORS}


def grade(score: pd.Series, ent_class: pd.Series, district: pd.Series | None, rules: EfficiencyRules,
          notes: Reasons) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(grade, rank, rank_n) of every parcel (module docstring); the rank is said in the reasons."""
    rows = score.index
    graded = ent_class.isin(GRADED) & score.notna()
    rank, size, where = _ranks(score, ent_class, graded, district, rules, notes.templates)
    if rules.grading == "rank":
        share_above = ((rank - 1) / size).to_numpy(dtype=float)
        cuts = sorted(rules.rank_cuts.items(), key=lambda item: item[1])
        conditions = [Criterion(f"rank_{g}", "share_above", "<", cut).holds(share_above) for g, cut in cuts]
        names = [g for g, _ in cuts]
    else:
        bands = sorted(rules.grade_bounds.items(), key=lambda item: -item[1])
        conditions = [Criterion(f"score_{g}", "score", ">=", bound).holds(score.to_numpy(dtype=float))
                      for g, bound in bands]
        names = [g for g, _ in bands]
    grades = pd.Series(np.select(conditions, names, default=BOTTOM_GRADE), index=rows, dtype=object)
    grades = grades.where(graded, None)
    if rules.exempt_grade:
        grades = grades.mask(ent_class == EXEMPT, rules.exempt_grade)
    codes, distinct = pd.factorize(ent_class)  # the class words once per class, not once per parcel
    words = np.array([notes.templates.get(f"class_{c}", "") for c in distinct] + [""], dtype=object)
    notes.add(graded, "rank", rank=whole_numbers(rank), n=whole_numbers(size), where=where,
              kind=pd.Series(words[codes], index=rows))
    return grades, rank.where(graded), size.where(graded)


def whole_numbers(values: pd.Series) -> pd.Series:
    """Ranks and group sizes (floats holding whole numbers, NaN where none) as pandas' Int64, made from the numbers
    and their NaN mask: what astype("Int64") gives, without its check of every value (0.1 s a million)."""
    numbers = values.to_numpy(dtype=float)
    missing = np.isnan(numbers)
    integers = np.where(missing, 0.0, numbers).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(integers, missing), index=values.index, name=values.name)


def _ranks(score, ent_class, graded, district, rules, templates) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Rank (tie rule applied) and group size of each graded parcel, and the words for its group.

    Groups are told apart by integer codes (class × district), not by joined texts: the same groups, without
    building a million key strings."""
    method = "min" if rules.rank_ties == "better" else "max"
    scored = score.where(graded)
    classes = pd.factorize(ent_class)[0].astype(np.int64)

    def ranked(key: np.ndarray) -> tuple[pd.Series, pd.Series]:
        return (scored.groupby(key).rank(method=method, ascending=False),
                graded.groupby(key).transform("sum").astype(float))

    if rules.rank_scope == "city" or district is None:
        rank, size = ranked(classes)
        return rank, size, pd.Series(templates["in_city"], index=score.index)
    local = district.notna()
    places, names = pd.factorize(district)  # missing: -1
    rank, size = ranked(classes * (len(names) + 1) + (places + 1))
    if not local.all():  # parcels without a district are ranked city-wide
        city_rank, city_size = ranked(classes)
        rank, size = rank.where(local, city_rank), size.where(local, city_size)
    words = np.array([templates["in_district"].replace("{district}", str(name)) for name in names]
                     + [templates["in_city"]], dtype=object)
    return rank, size, pd.Series(words[places], index=score.index)
