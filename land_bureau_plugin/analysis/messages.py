"""Reason templates: the sentences that explain every flag, written once, in English.

The analysis fills them column-wise (`fill`). The Qt side passes translated copies: every template is marked with
QT_TRANSLATE_NOOP so `pylupdate5` collects it into the zh_CN translation, while this module stays free of Qt.
Placeholders are {names} filled from columns of the same length.
"""
from __future__ import annotations

import re
import string
import warnings

import numpy as np
import pandas as pd

CONTEXT = "reasons"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    """Mark `text` for translation in `context` without translating it here."""
    return text


class Message(str):
    """A sentence made from a template marked with QT_TRANSLATE_NOOP: it reads as the English sentence, and keeps
    the template and values so that where it is shown (a Qt message) it can be filled in the user's language."""

    def __new__(cls, template: str, **values):
        message = super().__new__(cls, template.format(**values))
        message.template, message.values = template, values
        return message

    def translated(self, translate) -> str:
        """The sentence with `translate(template)`; the English one when that translation is unusable."""
        try:
            return translate(self.template).format(**self.values)
        except (KeyError, IndexError, ValueError):
            return str(self)


# Between the reasons of one row. Translated like the templates (Chinese: the full-width "；"): the Qt side passes
# its copy as templates["separator"], and whatever splits reasons again splits on that copy (`split_reasons`).
SEPARATOR = QT_TRANSLATE_NOOP("reasons", "; ")
# Between the items of a list inside one reason or summary line (Chinese: the enumeration comma "、").
LIST_SEPARATOR = QT_TRANSLATE_NOOP("reasons", ", ")
# How a reason cites the documented source of its rule (rules.criteria; Chinese: "（依据：{source}）").
CITE = QT_TRANSLATE_NOOP("reasons", " (per {source})")
# A rule without a document behind it: chosen locally (or this plugin's proposal).
LOCAL_DEFAULT = QT_TRANSLATE_NOOP("reasons", "local default")

TEMPLATES: dict[str, str] = {
    # resettlement milestones; {milestone} is itself one of the milestone names below
    "milestone_start": QT_TRANSLATE_NOOP("reasons", "housing start (+1)"),
    "milestone_complete": QT_TRANSLATE_NOOP("reasons", "housing completion (+4)"),
    "milestone_resettle": QT_TRANSLATE_NOOP("reasons", "resettlement (+5)"),
    "overdue": QT_TRANSLATE_NOOP("reasons", "{milestone} overdue by {days} day(s) (due {due})"),
    "due_soon": QT_TRANSLATE_NOOP("reasons", "{milestone} due in {days} day(s) ({due})"),
    "late": QT_TRANSLATE_NOOP("reasons", "{milestone} done late on {done} (due {due})"),
    "no_expropriation_date": QT_TRANSLATE_NOOP("reasons", "expropriation date missing"),
    "bad_date": QT_TRANSLATE_NOOP("reasons", "{field} is not a date: {value}"),
    "imprecise_date": QT_TRANSLATE_NOOP("reasons", "{field} is not a full date (a year or month without the day): "
                                                   "{value}"),
    "date_out_of_range": QT_TRANSLATE_NOOP("reasons", "{field} lies outside the years {first}–{last}: {value}"),
    "expropriation_after_as_of": QT_TRANSLATE_NOOP("reasons", "expropriation date {date} is after the as-of date "
                                                              "{as_of}"),
    "before_expropriation": QT_TRANSLATE_NOOP("reasons", "{milestone} date {done} is before expropriation"),
    "after_as_of": QT_TRANSLATE_NOOP("reasons", "{milestone} date {done} is after the as-of date"),
    "before_previous": QT_TRANSLATE_NOOP("reasons", "{milestone} date {done} is before the previous milestone"),
    "previous_missing": QT_TRANSLATE_NOOP("reasons", "{milestone} has no date although a later milestone is done"),
    "bad_households": QT_TRANSLATE_NOOP("reasons", "households value is not valid: {value}"),
    "overdue_households": QT_TRANSLATE_NOOP("reasons", "{households} household(s) in overdue transition"),
    "households_unknown": QT_TRANSLATE_NOOP("reasons", "resettlement overdue, but the number of households is not "
                                                       "known: they are not counted in overdue transition"),
    "duplicate_id": QT_TRANSLATE_NOOP("reasons", "project id {value} appears more than once"),
    "no_plot": QT_TRANSLATE_NOOP("reasons", "no resettlement plot on the map"),
    "separator": SEPARATOR,
    "cite": CITE,
}


def template_pieces(template: str) -> list[tuple[str, str | None]]:
    """The template as (literal text, placeholder name or None) pairs, read as `str.format` reads it
    (`string.Formatter.parse`): {name} a placeholder, {{ and }} a literal brace — a cited source whose title holds
    braces arrives escaped (rules.criteria.cited). Both engines fill templates from these pieces (`fill` here,
    postgis.resettlement in SQL). A placeholder takes no format: the caller formats the column."""
    pieces = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if spec or conversion:
            raise ValueError(f"reason template {template!r}: {{{name}}} takes no format, the caller formats it")
        pieces.append((literal, name))
    return pieces


def fill(template: str, index: pd.Index, **columns) -> pd.Series:
    """Fill `template` (`template_pieces`) row-wise from columns (Series aligned on `index`, or scalars) without
    pandas work per row.

    Date columns are written as YYYY-MM-DD. Each column becomes text once (`_as_text`: per distinct value), then
    every row's sentence is made in one `%` formatting — a row's text is built once, where adding column after
    column to a text column built every intermediate text of every row (four times slower at a million rows)."""
    texts, form = [], []
    for literal, name in template_pieces(template):
        form.append(literal.replace("%", "%%"))
        if name is None:
            continue
        value = columns[name]
        if isinstance(value, pd.Series):
            texts.append(_as_text(value.reindex(index)).to_numpy(dtype=object).tolist())
            form.append("%s")
        else:
            form.append(str(value).replace("%", "%%"))
    form = "".join(form)
    out = np.empty(len(index), dtype=object)
    if texts:
        out[:] = [form % row for row in zip(*texts)]
    else:
        out[:] = form % ()
    return pd.Series(out, index=index, dtype=object)


def _as_text(values: pd.Series) -> pd.Series:
    """Values as text, dates as YYYY-MM-DD. Each distinct value is formatted once: flagged rows repeat a few values."""
    with warnings.catch_warnings():  # pandas 1.5 warns that it infers numbers from object arrays (2.x does not):
        warnings.simplefilter("ignore", FutureWarning)  # noise on qgis_process' stderr, the text is the same
        codes, distinct = pd.factorize(values, use_na_sentinel=False)
        distinct = pd.Index(distinct)
    texts = distinct.strftime("%Y-%m-%d") if isinstance(distinct, pd.DatetimeIndex) else distinct.astype(str)
    return pd.Series(np.asarray(texts, dtype=object)[codes], index=values.index)


def join_reasons(parts: list[pd.Series], index: pd.Index, separator: str = SEPARATOR) -> pd.Series:
    """Join the non-empty reason parts of each row with `separator` (the translated one from the Qt side), in the
    order of `parts` (no pandas work per row).

    Each part covers only its flagged rows: the pieces are stacked and sorted by row (stable, so part order holds
    within a row); a row with one piece takes it as it is, a row with several joins them in one `str.join` — instead
    of widening every part to the whole index or adding texts pairwise.
    """
    out = np.full(len(index), "", dtype=object)
    rows, texts = [], []
    for part in parts:
        part = part[part.notna()]
        text = part.astype(str).to_numpy(dtype=object)
        said = text != ""
        rows.append(index.get_indexer(part.index[said]))
        texts.append(text[said])
    if rows:
        rows, texts = np.concatenate(rows), np.concatenate(texts)
        on_index = rows >= 0
        rows, texts = rows[on_index], texts[on_index]
        order = np.argsort(rows, kind="stable")
        rows, texts = rows[order], texts[order]
        starts = np.flatnonzero(np.diff(rows, prepend=-1) != 0) if len(rows) else np.empty(0, dtype=np.intp)
        ends = np.append(starts[1:], len(rows))
        single = ends - starts == 1
        out[rows[starts[single]]] = texts[starts[single]]
        several = ~single
        if several.any():
            listed = texts.tolist()
            joined = np.empty(int(several.sum()), dtype=object)
            joined[:] = [separator.join(listed[a:b]) for a, b in zip(starts[several].tolist(), ends[several].tolist())]
            out[rows[starts[several]]] = joined
    return pd.Series(out, index=index, dtype=object)


def split_reasons(text, separator: str = SEPARATOR) -> list[str]:
    """The reasons of one row, back from `join_reasons`: split on `separator` (the translated one) and on the English
    SEPARATOR too, so a result layer written in the other language still reads as a list. Blank parts are dropped."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    separators = sorted({separator, SEPARATOR} - {""}, key=len, reverse=True)
    parts = re.split("|".join(re.escape(s) for s in separators), str(text))
    return [part.strip() for part in parts if part.strip()]
