"""Load a rule profile and turn each section into the typed rules object its analysis declares.

A profile is JSON: {"name", "version", "<section>": {...}}. Each analysis owns a frozen dataclass for its section
(e.g. `ResettlementRules`); `section()` builds it and checks every value against the dataclass's annotations, so
a typo or a wrong type is reported with the section and key instead of failing deep inside an analysis.
"""
from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

from ..analysis.messages import Message
from ..errors import ProfileError  # noqa: F401 — profile errors are part of the one error hierarchy

CONTEXT = "profile"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    return text


def default_profile_path() -> Path:
    from ..resources_path import resources_dir
    return resources_dir() / "profiles" / "default.json"


def load_profile(path: str | Path | None = None) -> dict:
    """Read a profile file (default: the bundled one). Raises ProfileError for unreadable or malformed files."""
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
    return data


T = typing.TypeVar("T")


def section(profile: dict, name: str, rules_class: type[T]) -> T:
    """Build `rules_class` from `profile[name]`; missing keys take the class defaults, unknown keys are errors."""
    values = profile.get(name, {})
    if not isinstance(values, dict):
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "must be an object")), key=name)
    hints = typing.get_type_hints(rules_class)
    names = {f.name for f in dataclasses.fields(rules_class)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "unknown key(s): {keys}"), keys=", ".join(unknown)),
                           key=name)
    for key, value in values.items():
        _check_type(value, hints[key], f"{name}.{key}")
    rules = rules_class(**values)
    validate = getattr(rules, "validate", None)
    if validate:
        for key, message in validate():
            raise ProfileError(message, key=f"{name}.{key}")
    return rules


def _check_type(value, hint, key: str) -> None:
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


def save_profile(profile: dict, path: str | Path) -> None:
    """Write a profile the way it was read: UTF-8 JSON, Chinese unescaped, indented for people."""
    Path(path).write_text(json.dumps(profile, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
