"""The plugin's one error hierarchy: every refusal the user should read, from any layer of the code.

Why here and Qt-free: `analysis/` and `rules/` must be able to refuse bad input (a profile, a date out of range, a
field map) without importing Qt; processing turns any of these errors into a QgsProcessingException in one place
(`processing/base.py`), the panels show them in the message bar in one place (`gui/common.PanelDock.show_error`).

An error carries:
- `message`: a `Message` (a template marked with QT_TRANSLATE_NOOP in the error's `context`, filled when shown, so
  it reads in the user's language) or text already translated by the Qt side;
- where it happened, when known: `layer`, `feature_id`, `field`, `key` (a dotted profile key), `source` (a file);
- `details` (more text for the log) and `level` ("info", "warning", "critical").

`str(error)` is the whole sentence in the UI language: "Layer 地块, feature id 12, field RJL: …".
"""
from __future__ import annotations

import difflib

from .analysis.messages import Message

CONTEXT = "errors"  # the translation context of the templates below and of LandBureauError's own messages


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    """Mark `text` for translation in `context` without translating it here."""
    return text


def _untranslated(context: str, text: str) -> str:
    return text


_translate = _untranslated  # (context, text) -> text; the Qt side installs QCoreApplication.translate


def use_translator(translate) -> None:
    """Show errors through `translate(context, template)`; the plugin installs its translator (i18n.py), so every
    place that prints an error shows it in the user's language."""
    global _translate
    _translate = translate or _untranslated


def translated(message, context: str = CONTEXT) -> str:
    """A Message in the UI language (through the installed translator); plain text as it is."""
    if isinstance(message, Message):
        return message.translated(lambda template: _translate(context, template))
    return str(message)


def did_you_mean(name, known) -> str:
    """' (did you mean x?)' in the UI language with the known name closest to a misspelt `name`; '' when none is
    close — for unknown profile sections and keys, field names and canonical names alike."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return translated(Message(QT_TRANSLATE_NOOP("errors", " (did you mean {name}?)"), name=close[0])) if close else ""


# The "where" prefix, as templates so Chinese reads "图层 地块，要素 12，字段 RJL：…".
_WHERE = {
    "layer": QT_TRANSLATE_NOOP("errors", "layer {value}"),
    "feature_id": QT_TRANSLATE_NOOP("errors", "feature id {value}"),
    "field": QT_TRANSLATE_NOOP("errors", "field {value}"),
}
_WHERE_SEPARATOR = QT_TRANSLATE_NOOP("errors", ", ")
_WHERE_END = QT_TRANSLATE_NOOP("errors", "{where}: {message}")

LEVELS = ("info", "warning", "critical")


class LandBureauError(Exception):
    """A refusal with a message for the user (see the module's docstring). Raise it, or a subclass, wherever the
    input cannot give a right result; never let a bare exception reach the user."""

    context = CONTEXT  # the translation context of this class's message templates
    default_level = "critical"
    title = ""  # a template with {error} around the message where the user sees it (`shown`), e.g. for profiles

    def __init__(self, message, *, details: str = "", level: str | None = None, layer: str | None = None,
                 feature_id=None, field: str | None = None, key: str = "", source: str = ""):
        super().__init__(message)
        self.message, self.details = message, details
        self.level = level if level in LEVELS else self.default_level
        self.layer, self.feature_id, self.field, self.key, self.source = layer, feature_id, field, key, source

    def where(self) -> str:
        """'source: layer X, feature id 12, field Y' — what is known of where it happened, in the UI language."""
        parts = [translated(Message(_WHERE[name], value=value))
                 for name, value in (("layer", self.layer), ("feature_id", self.feature_id), ("field", self.field))
                 if value not in (None, "")]
        text = translated(Message(_WHERE_SEPARATOR)).join(parts)
        if text:
            text = text[:1].upper() + text[1:]
        if self.key:
            text = f"{text} {self.key}".strip() if text else self.key
        return f"{self.source}: {text}" if self.source and text else (self.source or text)

    def text(self) -> str:
        """The whole message in the UI language, prefixed by where it happened."""
        message = translated(self.message, self.context)
        where = self.where()
        return translated(Message(_WHERE_END, where=where, message=message)) if where else message

    def shown(self) -> str:
        """What the user reads (the run's message, the message bar): `text()` inside the class's title."""
        text = self.text()
        return translated(Message(self.title, error=text)) if self.title else text

    def __str__(self):
        return self.text()


class ProfileError(LandBureauError, ValueError):
    """A rule profile that cannot be used; `key` is the dotted path of the offending value, `source` its file.
    (A ValueError too, as it always was, so older callers catching ValueError still catch it.)"""

    context = "profile"
    title = QT_TRANSLATE_NOOP("errors", "Rule profile error: {error}")
    default_level = "warning"

    def where(self) -> str:
        return f"{self.source}: {self.key}" if self.source and self.key else (self.source or self.key)


class InputError(LandBureauError):
    """An input that cannot be used as given: a layer, a field map, a CRS, a date, a geometry."""


class OutputError(LandBureauError):
    """An output that must not be written: e.g. a destination that is one of the run's inputs."""


class UnexpectedError(LandBureauError):
    """A bug or an unforeseen input, turned into a message that says where it happened (never a traceback); the
    original exception's type and text are in the message, its traceback in `details`."""


def note_where(exc: BaseException, **where) -> BaseException:
    """Remember on `exc` where it happened (layer, feature_id, field), keeping what an inner handler said first:
    a reader wraps its loop with `except Exception as exc: raise note_where(exc, layer=…, feature_id=…)`."""
    known = getattr(exc, "land_bureau_where", {})
    exc.land_bureau_where = {**{k: v for k, v in where.items() if v not in (None, "")}, **known}
    return exc


def as_land_bureau_error(exc: BaseException, details: str = "") -> LandBureauError:
    """`exc` as a LandBureauError: itself when it is one, else an UnexpectedError naming the exception's type and
    text, and the layer, feature id and field when a reader noted them (`note_where`)."""
    if isinstance(exc, LandBureauError):
        return exc
    where = getattr(exc, "land_bureau_where", {})
    text = str(exc).strip() or type(exc).__name__
    message = Message(QT_TRANSLATE_NOOP("errors", "Unexpected error ({kind}): {error}. Please report it with "
                                                  "the input that caused it"),
                      kind=type(exc).__name__, error=text)
    return UnexpectedError(message, details=details, layer=where.get("layer"), feature_id=where.get("feature_id"),
                           field=where.get("field"))
