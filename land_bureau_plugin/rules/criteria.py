"""One rule model for every analysis: a criterion is data — id, measure, comparison, threshold, reason template and
source — and every analysis judges its values with it the same way.

A criterion states a *requirement* ("FAR ≥ 1.0", "support floor share ≤ 15 %", "days left > 90"). `holds` says where
a known value meets it, `fails` where a known value does not: the upstairs check fails a plan, the low-efficiency
analysis flags a parcel, the resettlement monitor raises a warning grade where a criterion fails; an unknown value
(NaN) neither holds nor fails. Numeric comparisons allow a relative 1e-9 (at least 1e-9 absolute), so a value that
is its threshold up to floating-point noise (2000.0000001 / 1000 for a FAR of 2) counts as on the threshold. The
comparison is data, so boundaries are one table-driven test: each threshold at, just below and just above.

Sources. A planner defending a flag is asked "依据哪条规定?": every rule of a profile carries its `Source` — the
document, article and effective date it comes from, or "local default" for a value the bureau (or this plugin's
proposal) chose. Each profile section has `sources: {rule id: source}`; a source is an object {"document",
"article", "date", "note"} (`date`: a year or an ISO date; document "local default" for a local value), or text:
"local default" (or "local default: note", "本地默认：note"), else a citation written out
("《闲置土地处置办法》（2012）第二条"). The reasons cite a documented source (`cited`), the panels show it beside the
threshold and the printed table lists it under the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.messages import CITE, LOCAL_DEFAULT, Message


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    return text


LOCAL = "local default"
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
TOLERANCE = 1e-9
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LOCAL_TEXT = re.compile(r"^(local default|本地默认)\s*[:：]?\s*(.*)$", re.S)
SOURCE_KEYS = ("document", "article", "date", "note")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from. `document` empty: a local default (the note may say whose practice it follows)."""

    document: str = ""
    article: str = ""
    date: str = ""
    note: str = ""

    @property
    def local(self) -> bool:
        return not self.document

    def citation(self) -> str:
        """"《工业项目建设用地控制指标》第四条（2008）"; "" for a local default."""
        if self.local:
            return ""
        document = self.document if "《" in self.document else f"《{self.document}》"
        return document + self.article + (f"（{self.date}）" if self.date else "")

    def text(self, local_text: str = LOCAL_DEFAULT) -> str:
        """The citation, or `local_text` (translated by the caller) with the note: for panels and prints."""
        if self.local:
            return f"{local_text}（{self.note}）" if self.note else local_text
        return self.citation() + (f"（{self.note}）" if self.note else "")

    def to_profile(self):
        if self.local and not self.note:
            return LOCAL
        values = {"document": self.document or LOCAL, "article": self.article, "date": self.date,
                  "note": self.note}
        return {key: value for key, value in values.items() if value}


def source_of(value) -> Source:
    """A profile's source value (already validated) as a Source."""
    if isinstance(value, Source):
        return value
    if value is None or value == LOCAL:
        return Source()
    if isinstance(value, str):
        local = _LOCAL_TEXT.match(value.strip())
        return Source(note=local.group(2).strip()) if local else Source(value.strip())
    document = value.get("document", "")
    return Source("" if document == LOCAL else document, value.get("article", ""), str(value.get("date", "")),
                  value.get("note", ""))


def validate_sources(sources: dict, ids, key: str = "sources"):
    """Yield (key, message) for a sources table that does not give every rule id of `ids` a well-formed source."""
    ids = tuple(ids)
    for name, value in sources.items():
        where = f"{key}.{name}"
        if name not in ids:
            yield where, Message(QT_TRANSLATE_NOOP("profile", "no rule of this section; known: {known}"),
                                 known=", ".join(ids))
        elif isinstance(value, str):
            if not value.strip():
                yield where, Message(QT_TRANSLATE_NOOP(
                    "profile", "name the document, or write \"{local}\""), local=LOCAL)
        elif not isinstance(value, dict):
            yield where, Message(QT_TRANSLATE_NOOP(
                "profile", "a source is \"{local}\" or an object with document, article, date, note"), local=LOCAL)
        else:
            yield from _validate_source(value, where)
    missing = [name for name in ids if name not in sources]
    if missing:
        yield key, Message(QT_TRANSLATE_NOOP(
            "profile", "no source for {ids}: give each its document (article, date) or \"{local}\""),
            ids=", ".join(missing), local=LOCAL)


def _validate_source(value: dict, where: str):
    unknown = sorted(set(value) - set(SOURCE_KEYS))
    if unknown:
        yield where, Message(QT_TRANSLATE_NOOP("profile", "unknown key(s): {keys}; known: {known}"),
                             keys=", ".join(unknown), known=", ".join(SOURCE_KEYS))
    if any(not isinstance(v, str) for v in value.values()):
        yield where, Message(QT_TRANSLATE_NOOP("profile", "document, article, date and note are text"))
        return
    if not value.get("document", "").strip():
        yield f"{where}.document", Message(QT_TRANSLATE_NOOP(
            "profile", "name the document, or write \"{local}\""), local=LOCAL)
    if value.get("date") and not _DATE.match(value["date"]):
        yield f"{where}.date", Message(QT_TRANSLATE_NOOP("profile", "a year (2008) or a date (2008-01-31)"))


def bundled_sources(section: str) -> dict:
    """The sources of a section of the bundled default profile: the defaults of the sections' `sources`."""
    from .profile import bundled_section

    return dict(bundled_section(section).get("sources", {}))


CHANGED_NOTE = "本规则配置自定的取值"  # data, like every note of the bundled profile (rules.migration's, for version 2)


def sources_over_bundled(section: str, given: dict, values: dict) -> dict:
    """A section's `sources` as a profile gives them, laid over the bundled profile's key by key (as its `limits`
    are, analysis.plausibility.Limited): a rule the profile gives no source for keeps the bundled one — unless the
    profile changed the rule's value (`values`: {rule id: the value in force}, for the rules that are one value),
    which the bundled document then no longer says: that rule is a local default saying so. `given` is not
    validated here (the section's `validate` names what is wrong in it)."""
    from .profile import bundled_section

    bundled = bundled_section(section)
    merged = dict(bundled.get("sources", {}))
    for rule, value in values.items():
        if rule not in given and rule in bundled and not _same_value(value, bundled[rule]):
            merged[rule] = {"document": LOCAL, "note": CHANGED_NOTE}
    merged.update(given if isinstance(given, dict) else {})
    return merged


def _same_value(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def sources_table(sources: dict, ids) -> dict[str, Source]:
    return {name: source_of(sources.get(name)) for name in ids}


def cited(templates: dict[str, str], sources: dict[str, Source], cite: str = CITE) -> dict[str, str]:
    """`templates` with the citation of its documented source appended to each template named in `sources`
    ({template key: Source}); braces in a citation are escaped, so the templates still fill. Both engines fill
    the same templates, so both write the same reasons."""
    out = dict(templates)
    for key, source in sources.items():
        citation = source.citation()
        if citation and key in out:
            out[key] = out[key] + cite.replace("{source}", citation.replace("{", "{{").replace("}", "}}"))
    return out


def tolerance(threshold):
    return TOLERANCE * np.maximum(1.0, np.abs(threshold))


@dataclass(frozen=True)
class Criterion:
    """A requirement on one measure: `measure comparison threshold` (the threshold a number, an array over the rows
    — a per-parcel minimum FAR — or a text for == / !=), the reason template named when it fails, and its source."""

    id: str
    measure: str
    comparison: str
    threshold: object
    template: str = ""
    source: Source = Source()

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison {self.comparison!r} is none of {COMPARISONS}")

    def holds(self, values) -> np.ndarray:
        """Where the value is known and meets the requirement."""
        values = np.asarray(values)
        if values.dtype == object or isinstance(self.threshold, str):
            known = ~_missing(values)
            equal = known & (values == self.threshold)
            if self.comparison not in ("==", "!="):
                raise ValueError(f"criterion {self.id}: text compares with == or != only")
            return equal if self.comparison == "==" else known & ~equal
        values = values.astype(float)
        threshold = np.asarray(self.threshold, dtype=float)
        slack = tolerance(threshold)
        with np.errstate(invalid="ignore"):
            if self.comparison == "<":
                result = values < threshold - slack
            elif self.comparison == "<=":
                result = values <= threshold + slack
            elif self.comparison == ">":
                result = values > threshold + slack
            elif self.comparison == ">=":
                result = values >= threshold - slack
            elif self.comparison == "==":
                result = np.abs(values - threshold) <= slack
            else:
                result = np.abs(values - threshold) > slack
        return result & ~np.isnan(values) & ~np.isnan(threshold)

    def fails(self, values) -> np.ndarray:
        """Where the value is known and does not meet the requirement."""
        values = np.asarray(values)
        known = ~_missing(values) if values.dtype == object else ~np.isnan(values.astype(float))
        if not isinstance(self.threshold, str):
            known = known & ~np.isnan(np.asarray(self.threshold, dtype=float))
        return known & ~self.holds(values)

    def threshold_text(self, format_number=lambda v: f"{v:g}") -> str:
        """"≥ 2" (a scalar threshold)."""
        value = self.threshold if isinstance(self.threshold, str) else format_number(self.threshold)
        return f"{SYMBOLS[self.comparison]} {value}"

    def sql_fails(self, expression, literal):
        """The SQL twin of `fails` for a psycopg2 `sql` expression: NULL neither holds nor fails, as NaN does here.
        `literal` makes the threshold a SQL literal (psycopg2.sql.Literal)."""
        from psycopg2 import sql

        threshold = self.threshold
        if not isinstance(threshold, str):
            threshold = float(threshold)
            slack = float(tolerance(threshold))
            bound = {"<": threshold - slack, "<=": threshold + slack, ">": threshold + slack,
                     ">=": threshold - slack}.get(self.comparison, threshold)
        else:
            bound = threshold
        return sql.SQL("({e} IS NOT NULL AND NOT ({e} {op} {t}))").format(
            e=expression, op=sql.SQL({"==": "=", "!=": "<>"}.get(self.comparison, self.comparison)),
            t=literal(bound))


def _missing(values: np.ndarray) -> np.ndarray:
    return np.asarray(pd.isna(values), dtype=bool)
