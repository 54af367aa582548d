"""Load a rule profile and turn each section into the typed rules object its analysis declares.

A profile is JSON: {"name", "version", "<section>": {...}}. Each analysis owns a frozen dataclass for its section
(e.g. `ResettlementRules`); `section()` builds it and checks every value against the dataclass's annotations, so
a typo or a wrong type is reported with the section and key instead of failing deep inside an analysis.

Refused, because each would give a silent wrong answer: NaN or Infinity anywhere (a threshold "below nan" fails or
passes everything), a section or key the plugin does not know (a misspelt `effciency` would be ignored; the error
says "did you mean efficiency?"), an empty list (`"rules": []` would pass every plan with nothing checked), a
negative number, a `…_pct` above 100 and a `…_share` above 1; null only where the annotation allows None
(`float | None`: a plausibility limit switched off). The known sections are those of the bundled default profile: a
new section is known as soon as the default profile carries it.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from pathlib import Path

from ..analysis.messages import Message
from ..errors import ProfileError, did_you_mean
from .migration import migrate

CONTEXT = "profile"
META_KEYS = ("name", "version", "description")  # top-level keys that are not sections


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    return text


def default_profile_path() -> Path:
    from ..resources_path import resources_dir
    return resources_dir() / "profiles" / "default.json"


def load_profile(path: str | Path | None = None) -> dict:
    """Read a profile file (default: the bundled one), brought up to the current version (rules.migration).
    Raises ProfileError for unreadable or malformed files and for a profile of a newer plugin."""
    path = Path(path) if path else default_profile_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # -sig: Windows Notepad writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "cannot read profile: {error}"), error=exc),
                           source=str(path)) from exc
    except json.JSONDecodeError as exc:
        message = Message(QT_TRANSLATE_NOOP("profile", "not valid JSON (line {line}, column {column}): {error}"),
                          line=exc.lineno, column=exc.colno, error=exc.msg)
        raise ProfileError(message, source=str(path)) from exc
    if not isinstance(data, dict):
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "a profile must be a JSON object")), source=str(path))
    for key, value in _numbers(data):
        if not math.isfinite(value):
            raise ProfileError(_NOT_FINITE(value), key=key, source=str(path))
    return migrate(data, source=str(path))


def _NOT_FINITE(value) -> Message:  # noqa: N802 — a message maker, named like the constant it stands for
    return Message(QT_TRANSLATE_NOOP("profile", "must be a finite number, not {value}"), value=value)


def _numbers(value, key: str = ""):
    """(dotted key, number) for every number in a JSON value, at any depth."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers(v, f"{key}[{i}]")


@functools.lru_cache(maxsize=1)
def _bundled() -> dict:
    return load_profile(default_profile_path())


def bundled_section(name: str) -> dict:
    """A copy of a section of the bundled default profile (read once)."""
    import copy

    return copy.deepcopy(_bundled().get(name, {}))


@functools.lru_cache(maxsize=1)
def known_sections() -> tuple[str, ...]:
    """The sections of the bundled default profile: what a profile may hold besides META_KEYS."""
    return tuple(k for k in load_profile(default_profile_path()) if k not in META_KEYS)


def _unknown(names, known) -> Message:
    """'unknown key(s): effciency (did you mean efficiency?); known: …'."""
    hints = [f"{name}{did_you_mean(name, known)}" for name in names]
    return Message(QT_TRANSLATE_NOOP("profile", "unknown key(s): {keys}; known: {known}"),
                   keys=", ".join(hints), known=", ".join(known))


T = typing.TypeVar("T")


def section(profile: dict, name: str, rules_class: type[T]) -> T:
    """Build `rules_class` from `profile[name]`; missing keys take the class defaults; unknown sections and keys,
    non-finite, negative or out-of-range numbers and empty lists are errors."""
    sections = [key for key in profile if key not in (*META_KEYS, *known_sections(), name)]
    if sections:
        raise ProfileError(_unknown(sorted(sections), known_sections()))
    values = profile.get(name, {})
    if not isinstance(values, dict):
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "must be an object")), key=name)
    hints = typing.get_type_hints(rules_class)
    names = [f.name for f in dataclasses.fields(rules_class)]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ProfileError(_unknown(unknown, names), key=name)
    for key, value in values.items():
        _check_type(value, hints[key], f"{name}.{key}")
        _check_range(value, f"{name}.{key}")
    rules = rules_class(**values)
    validate = getattr(rules, "validate", None)
    if validate:
        for key, message in validate():
            raise ProfileError(message, key=f"{name}.{key}")
    return rules


def _check_type(value, hint, key: str) -> None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # `float | None`: a limit that may be switched off (null)
        if value is None and type(None) in typing.get_args(hint):
            return
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        origin = typing.get_origin(hint)
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is str:
        ok = isinstance(value, str)
    elif origin is dict:
        ok = isinstance(value, dict)
        if ok:
            key_type, value_type = typing.get_args(hint)
            for k, v in value.items():
                _check_type(v, value_type, f"{key}.{k}")
    elif origin in (list, tuple):
        ok = isinstance(value, list)
        if ok:
            item_type = typing.get_args(hint)[0]
            for i, v in enumerate(value):
                _check_type(v, item_type, f"{key}[{i}]")
    else:
        ok = True
    if not ok:
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "expected {type}, got {value}"),
                                   type=getattr(hint, "__name__", hint), value=repr(value)), key=key)


def _check_range(value, key: str) -> None:
    """What no rule can mean, whatever its section: NaN / Infinity, a negative number, a percentage (`…_pct`) above
    100 or a share (`…_share`) above 1, an empty list."""
    if isinstance(value, list) and not value:
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "must not be empty (an empty list would check "
                                                                "nothing)")), key=key)
    for where, number in _numbers(value, key):
        if not math.isfinite(number):
            raise ProfileError(_NOT_FINITE(number), key=where)
        if number < 0:
            raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "must not be negative")), key=where)
        if where.endswith("_pct") and number > 100:
            raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "is a percentage: at most 100")), key=where)
        if where.endswith("_share") and number > 1:
            raise ProfileError(Message(QT_TRANSLATE_NOOP(
                "profile", "is a share between 0 and 1 (0.15 means 15 %)")), key=where)


def save_profile(profile: dict, path: str | Path) -> None:
    """Write a profile the way it was read: UTF-8 JSON, Chinese unescaped, indented for people."""
    Path(path).write_text(json.dumps(profile, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
