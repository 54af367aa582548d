"""Reading the 耕地占补平衡 inputs into plain columns, and every value that cannot be read named.

A ledger balances to the 亩: one occupation without a county, a date that is not a date, a transfer to a county that
does not exist or a negative area would make a county's balance silently wrong. So nothing here is guessed or
dropped: every such value becomes a `Problem` (feature id, field, what is wrong) and the caller refuses the run,
naming them all. What *is* read by rule, never by guess:

- cultivated area: the field when it holds a value, else the feature's planar geometry area (m²); no field value and
  no usable geometry is a problem;
- paddy: the field's value; empty (or no paddy field at all) is 0 — most cultivated land is dry land;
- capacity (标准粮, kg): a supplement's capacity field when it holds a value, else area (亩) × the profile's
  capacity_per_mu[quality grade]. A grade outside that table is a problem; a layer without a grade (and without
  capacity) field leaves capacity unknown (NaN) for all its rows — the ledger then says capacity was not checked;
- placeholders (analysis.numbers.PLACEHOLDERS: 无, —, /, 尚无资料 …) are "no data": read as an empty value,
  whose rule above applies (area from the geometry, paddy 0, capacity from the grade, an empty grade), and listed in
  `Read.placeholders` for the log — never "not a number", never a county or a project named "—";
- counties: a name written in traditional characters in one place and in simplified ones in another (桐廬縣, 桐庐县)
  is one county (`one_spelling_per_county`; analysis.county_names), the merged spellings listed for the log;
- transfers: from / to county (not the same; a county that no occupation or supplement names is read too, and
  named by the caller: analysis.farmland does not judge its balance), date, quantity,
  paddy and capacity in the indicators' units (亩, 亩, kg; empty = 0: an indicator kind not traded — each kind may
  be traded alone, so paddy above the quantity is no error), funds
  (万元; empty = unit price × quantity when the price is given), type by the profile's words (no type column:
  the default type).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .county_names import one_spelling
from .dates import OK, YEAR_RANGE, parse_dates_explained
from .efficiency_reading import column
from .farmland_rules import TRANSFER_TYPES, FarmlandRules, grade_key
from .farmland_text import FARMLAND_TEMPLATES
from .messages import fill
from .numbers import PLACEHOLDERS, read_field
from .units import M2_PER_MU

PROBLEM_COLUMNS = ("fid", "field", "problem")
PLACEHOLDER_COLUMNS = ("fid", "field", "canonical", "value")


@dataclass(frozen=True)
class Read:
    """One layer read: canonical columns on the layer's feature ids, the problems (fid, field, problem) and the
    placeholders read as empty values (fid, field, canonical, value)."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    placeholders: pd.DataFrame = None

    def __post_init__(self):
        if self.placeholders is None:
            object.__setattr__(self, "placeholders", pd.DataFrame(columns=list(PLACEHOLDER_COLUMNS)))


class _Problems:
    def __init__(self, index: pd.Index, templates: dict[str, str], labels: dict[str, str]):
        self.index, self.templates, self.labels, self.parts = index, templates, labels, []
        self.empty_marks = []

    def placeholder(self, mask, field: str, raw: pd.Series) -> None:
        """Values written as "no data", read as empty: kept for the log."""
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.empty_marks.append(pd.DataFrame({"fid": self.index[mask], "field": self.labels.get(field, field),
                                                  "canonical": field, "value": raw[mask].astype(str).to_numpy()}))

    def placeholders(self) -> pd.DataFrame:
        if not self.empty_marks:
            return pd.DataFrame(columns=list(PLACEHOLDER_COLUMNS))
        return pd.concat(self.empty_marks, ignore_index=True)

    def add(self, mask, field: str, key: str, **values) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = self.index[mask]
        values = {k: (v[mask] if isinstance(v, pd.Series) else v) for k, v in values.items()}
        text = fill(self.templates[key], rows, **{k: (v.set_axis(rows) if isinstance(v, pd.Series) else v)
                                                  for k, v in values.items()})
        self.parts.append(pd.DataFrame({"fid": rows, "field": self.labels.get(field, field),
                                        "problem": text.to_numpy()}))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=list(PROBLEM_COLUMNS))
        return pd.concat(self.parts, ignore_index=True).sort_values("fid", kind="stable", ignore_index=True)


def _text(values: pd.Series, problems: _Problems | None = None, field: str = "") -> pd.Series:
    """Stripped text; None for empty values and placeholders (those noted in `problems` when given)."""
    # Built as objects, not through Series.map: pandas 3 makes the result of a map to text a str column, its
    # missing values NaN — which `is None` takes for text and .lower() fails on.
    texts = [(str(v).strip() or None) if present else None
             for v, present in zip(values.tolist(), values.notna().to_numpy())]
    out = pd.Series(texts, index=values.index, dtype=object)
    marked = pd.Series([v is not None and v.lower() in PLACEHOLDERS for v in texts], index=values.index, dtype=bool)
    if marked.any():
        if problems is not None:
            problems.placeholder(marked.to_numpy(), field, out)
        out = out.where(~marked, None)
    return out


def _dates(table, name, problems) -> pd.Series:
    raw = column(table, name)
    parsed, cause = parse_dates_explained(raw)
    parsed.index, cause.index = table.index, table.index
    raw = raw.set_axis(table.index)
    problems.add(parsed.isna() & (cause == OK), name, "empty_value")
    for code in ("not_a_date", "imprecise", "out_of_range"):
        problems.add(cause == code, name, code, value=raw, first=YEAR_RANGE[0], last=YEAR_RANGE[1])
    return parsed


def _numbers(table, name, problems) -> tuple[pd.Series, pd.Series]:
    """(values, present): NaN where empty or a placeholder (noted); junk and negative values are problems (NaN,
    not present)."""
    raw = column(table, name).set_axis(table.index)
    reading = read_field(raw, name)
    values = reading.values.set_axis(table.index)
    junk = reading.junk.set_axis(table.index) & raw.notna()
    marked = reading.placeholder.set_axis(table.index) & raw.notna()
    problems.add(junk, name, "not_a_number", value=raw)
    problems.placeholder(marked.to_numpy(), name, raw)
    problems.add(values < 0, name, "negative")
    values = values.where(values >= 0)
    return values, raw.notna() & ~junk & ~marked & values.notna()


def _capacity(area_m2: pd.Series, grades: pd.Series | None, rules: FarmlandRules, problems) -> pd.Series:
    """area (亩) × capacity_per_mu[grade]; NaN for rows without a grade (the caller decides whether that is a
    problem)."""
    if grades is None:
        return pd.Series(np.nan, index=area_m2.index)
    keys = grades.map(grade_key)
    per_mu = keys.map(rules.capacity_per_mu).astype(float)
    unknown = keys.notna() & per_mu.isna()
    problems.add(unknown, "quality_grade", "unknown_grade", value=grades.astype(object),
                 known=", ".join(rules.capacity_per_mu))
    return area_m2 / M2_PER_MU * per_mu


def read_projects(table: pd.DataFrame, areas, rules: FarmlandRules, date_field: str,
                  templates: dict[str, str] = FARMLAND_TEMPLATES, labels: dict[str, str] | None = None) -> Read:
    """Occupations (`date_field` "approval_date") or supplements ("acceptance_date") as columns: project_id, county,
    date, area_m2, paddy_m2, capacity_kg. `areas`: each feature's planar geometry area in m² (NaN / 0 where it has
    no usable geometry). A capacity column (supplements) wins over the grade where it holds a value."""
    templates = {**FARMLAND_TEMPLATES, **templates}
    problems = _Problems(table.index, templates, labels or {})
    county = _text(column(table, "district").set_axis(table.index), problems, "district")
    problems.add(county.isna(), "district", "empty_value")
    date = _dates(table, date_field, problems)
    geometric = pd.Series(np.asarray(areas, dtype=float), index=table.index)
    geometric = geometric.where(geometric > 0)
    if "cultivated_area" in table:
        area, present = _numbers(table, "cultivated_area", problems)
        raw = column(table, "cultivated_area").set_axis(table.index)
        no_value = raw.isna() | raw.map(lambda v: isinstance(v, str) and (not v.strip()
                                                                           or v.strip().lower() in PLACEHOLDERS))
    else:
        area, present = geometric, pd.Series(False, index=table.index)
        no_value = pd.Series(True, index=table.index)
    area = area.where(present, geometric.where(no_value))  # junk or a negative value: named, never measured
    problems.add(area.isna() & geometric.isna() & no_value, "cultivated_area", "no_area")
    if "paddy_area" in table:
        paddy, _present = _numbers(table, "paddy_area", problems)
        paddy = paddy.fillna(0.0)
    else:
        paddy = pd.Series(0.0, index=table.index)
    above = paddy > area * (1 + 1e-9) + 1e-9
    problems.add(above, "paddy_area", "paddy_above_area", paddy=paddy.round(2), area=area.round(2))
    grades = _text(column(table, "quality_grade").set_axis(table.index), problems, "quality_grade") \
        if "quality_grade" in table else None
    capacity = _capacity(area, grades, rules, problems)
    if "capacity" in table:
        given, _present = _numbers(table, "capacity", problems)
        capacity = given.where(given.notna(), capacity)
    if grades is not None or "capacity" in table:
        problems.add(capacity.isna() & (grades.isna() if grades is not None else True) & area.notna(),
                     "quality_grade" if grades is not None else "capacity", "no_grade")
    ids = _text(column(table, "project_id").set_axis(table.index), problems, "project_id") \
        if "project_id" in table else None
    project = ids.where(ids.notna(), table.index.astype(str).to_series(index=table.index)) if ids is not None \
        else pd.Series(table.index.astype(str), index=table.index)
    frame = pd.DataFrame({"project_id": project, "county": county, "date": date, "area_m2": area,
                          "paddy_m2": paddy, "capacity_kg": capacity}, index=table.index)
    if "supplement_id" in table:
        linked = _text(column(table, "supplement_id").set_axis(table.index), problems, "supplement_id")
        frame["supplement_ids"] = pd.Series(
            [None if text is None else tuple(part for part in _ID_SEPARATORS.split(text) if part) for text in linked],
            index=table.index, dtype=object)
    return Read(frame, problems.frame(), problems.placeholders())


_ID_SEPARATORS = re.compile(r"[,;，；、/\s]+")


def link_problems(occupations: pd.DataFrame, supplements: pd.DataFrame,
                  templates: dict[str, str] = FARMLAND_TEMPLATES, labels: dict[str, str] | None = None
                  ) -> pd.DataFrame:
    """Occupations naming a supplement project (挂钩) that the supplements layer does not hold: (fid, field,
    problem) rows — a link to nothing cannot be judged."""
    templates = {**FARMLAND_TEMPLATES, **templates}
    problems = _Problems(occupations.index, templates, labels or {})
    if "supplement_ids" in occupations:
        known = set(supplements["project_id"])
        missing = occupations["supplement_ids"].map(
            lambda ids: templates["list_separator"].join(i for i in ids if i not in known) if ids else "")
        problems.add(missing != "", "supplement_id", "unknown_supplement", value=missing)
    return problems.frame()


def transfer_types(values: pd.Series, rules: FarmlandRules) -> pd.Series:
    """Each value's type (TRANSFER_TYPES) by the profile's words (a value containing a word; the most specific —
    longest — word wins, so 粮食生产功能区 is not read as 耕地); None where no word matches."""
    words = sorted(((word, kind) for kind, spelled in rules.transfer_type_words.items() for word in spelled),
                   key=lambda pair: -len(pair[0]))

    def one(value):
        text = str(value).strip().lower()
        for word, kind in words:
            if word.lower() in text:
                return kind
        return None

    return pd.Series([one(v) if present else None for v, present in zip(values.tolist(), values.notna().to_numpy())],
                     index=values.index, dtype=object)


def read_transfers(table: pd.DataFrame, rules: FarmlandRules,
                   templates: dict[str, str] = FARMLAND_TEMPLATES, labels: dict[str, str] | None = None) -> Read:
    """Transfers as columns: project_id, from_county, to_county, date, mu, paddy_mu, capacity_kg, funds, type.
    A county no occupation or supplement names is read (analysis.farmland: its balance is not judged); the caller
    names such counties (`transfer_only_counties`)."""
    templates = {**FARMLAND_TEMPLATES, **templates}
    problems = _Problems(table.index, templates, labels or {})
    ends = {}
    for name in ("from_county", "to_county"):
        ends[name] = _text(column(table, name).set_axis(table.index), problems, name)
        problems.add(ends[name].isna(), name, "empty_value")
    problems.add(ends["from_county"].notna() & (ends["from_county"] == ends["to_county"]), "to_county",
                 "same_county", value=ends["to_county"])
    date = _dates(table, "transfer_date", problems)
    amounts = {}
    for name in ("transfer_mu", "transfer_paddy_mu", "transfer_capacity"):
        values, _present = _numbers(table, name, problems)
        amounts[name] = values.fillna(0.0)
    # no "paddy above quantity" here: quantity, paddy and capacity indicators are traded each on its own (a county
    # may buy 水田 indicators alone); the algorithm's log names such transfers
    funds, _ = _numbers(table, "funds", problems)
    price, _ = _numbers(table, "unit_price", problems)
    funds = funds.where(funds.notna(), price * amounts["transfer_mu"])
    if "transfer_type" in table:
        raw = _text(column(table, "transfer_type").set_axis(table.index), problems, "transfer_type")
        kind = transfer_types(raw, rules)
        kind = kind.where(raw.notna(), rules.default_transfer_type)
        problems.add(raw.notna() & kind.isna(), "transfer_type", "unknown_type", value=raw,
                     known=templates["list_separator"].join(
                         word for kind_ in TRANSFER_TYPES for word in rules.transfer_type_words.get(kind_, ())[:1]))
    else:
        kind = pd.Series(rules.default_transfer_type, index=table.index, dtype=object)
    ids = _text(column(table, "project_id").set_axis(table.index), problems, "project_id") \
        if "project_id" in table else pd.Series(None, index=table.index, dtype=object)
    # a transfer without an id is known by its ends: 淳安县→临安区 says more on a printed table than a feature id
    ends_text = ends["from_county"].fillna("?").astype(str) + "→" + ends["to_county"].fillna("?").astype(str)
    project = ids.where(ids.notna(), ends_text)
    frame = pd.DataFrame({"project_id": project, "from_county": ends["from_county"],
                          "to_county": ends["to_county"], "date": date, "mu": amounts["transfer_mu"],
                          "paddy_mu": amounts["transfer_paddy_mu"], "capacity_kg": amounts["transfer_capacity"],
                          "funds": funds, "type": kind}, index=table.index)
    return Read(frame, problems.frame(), problems.placeholders())


def transfer_only_counties(transfers: pd.DataFrame, counties) -> dict[str, list]:
    """{county: feature ids of its transfers} for the counties that only transfers name — a county buying before
    it occupies, a county outside the data's area, the province's reserve, or a misspelt name: the log names them."""
    known = set(counties)
    found: dict[str, list] = {}
    for end in ("from_county", "to_county"):
        for fid, county in transfers[end].dropna().items():
            if county not in known:
                found.setdefault(county, []).append(fid)
    return {county: sorted(set(fids)) for county, fids in sorted(found.items())}


COUNTY_COLUMNS = ("county", "from_county", "to_county")


@dataclass(frozen=True)
class Merged:
    """A spelling of a county read as another one: the spelling kept and, per read (the caller's key), the feature
    ids that wrote it so."""

    spelling: str
    county: str
    fids: dict


def one_spelling_per_county(reads: dict, templates: dict[str, str] = FARMLAND_TEMPLATES,
                            transfer_labels: dict[str, str] | None = None) -> tuple[dict, list[Merged]]:
    """Every county under one spelling across all `reads` ({key: Read} of occupations, supplements and transfers):
    names that agree once their traditional characters are folded to simplified ones (桐廬縣, 桐庐县) are one county,
    under the simplified spelling when the data has it (county_names.one_spelling). Returns the reads with their
    county columns rewritten and the merged spellings. A transfer whose two ends become one county gives to itself:
    a problem of its read, as when it was written so."""
    names = [name for read in reads.values() for col in COUNTY_COLUMNS if col in read.frame
             for name in read.frame[col]]
    mapping = one_spelling(names)
    if not mapping:
        return reads, []
    merged = {spelling: Merged(spelling, county, {}) for spelling, county in mapping.items()}
    out = {}
    for key, read in reads.items():
        frame = read.frame.copy()
        for col in COUNTY_COLUMNS:
            if col not in frame:
                continue
            hit = frame[col].isin(list(mapping)).to_numpy()
            for fid, spelling in frame.loc[hit, col].items():
                fids = merged[spelling].fids.setdefault(key, [])
                if fid not in fids:
                    fids.append(fid)
            frame[col] = frame[col].map(lambda name: mapping.get(name, name) if isinstance(name, str) else name)
        problems = read.problems
        if "from_county" in frame and "to_county" in frame:
            became = (frame["from_county"].notna() & (frame["from_county"] == frame["to_county"])
                      & (read.frame["from_county"] != read.frame["to_county"]))
            found = _Problems(frame.index, {**FARMLAND_TEMPLATES, **templates}, transfer_labels or {})
            found.add(became, "to_county", "same_county",
                      value=read.frame["from_county"].astype(str) + "→" + read.frame["to_county"].astype(str))
            if became.any():
                problems = pd.concat([problems, found.frame()], ignore_index=True)
        out[key] = Read(frame, problems, read.placeholders)
    return out, [merged[spelling] for spelling in mapping]
