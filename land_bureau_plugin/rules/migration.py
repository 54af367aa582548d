"""Profile versions: a profile written for an older plugin is brought up to the current one when it is read.

`version` (an integer, top level) says which rules a profile was written for; a profile without one is version 1.
Each step below rewrites what changed between two versions, so a user's saved profile keeps meaning what its
author meant; a profile from a newer plugin is refused (this plugin cannot know what its new keys mean). The
steps never touch a value they do not have to: thresholds and lists the user chose stay as they are.

  1 → 2  the upstairs rule `support_share`, which compared the support *floor* area with 7 % of the *land* area,
         is split in two: `support_floor_share` (support floor area / total floor area ≤ 15 %) and
         `support_land_share` (support land area / land area ≤ 7 %, checked only with a support land-area field).
"""
from __future__ import annotations

import copy

from ..analysis.messages import Message
from ..errors import ProfileError

CURRENT_VERSION = 2


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — the name pylupdate5 looks for
    return text


def _split_support_share(profile: dict) -> None:
    upstairs = profile.get("upstairs")
    rules = upstairs.get("rules") if isinstance(upstairs, dict) else None
    if not isinstance(rules, list) or "support_share" not in rules:
        return
    at = rules.index("support_share")
    replacement = [r for r in ("support_floor_share", "support_land_share") if r not in rules]
    upstairs["rules"] = rules[:at] + replacement + [r for r in rules[at + 1:] if r != "support_share"]


STEPS = {1: _split_support_share}  # from version k to k + 1


def profile_version(profile: dict, source: str | None = None) -> int:
    """The profile's `version` (1 when absent); ProfileError when it is no whole number from 1 up to
    CURRENT_VERSION."""
    version = profile.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProfileError(Message(QT_TRANSLATE_NOOP("profile", "must be a whole number from 1 to {current}"),
                                   current=CURRENT_VERSION), key="version", source=source)
    if version > CURRENT_VERSION:
        raise ProfileError(Message(QT_TRANSLATE_NOOP(
            "profile", "version {version} was written by a newer plugin; this plugin reads profiles up to version "
                       "{current}"), version=version, current=CURRENT_VERSION), key="version", source=source)
    return version


def migrate(profile: dict, source: str | None = None) -> dict:
    """A copy of `profile` at CURRENT_VERSION (the input is not changed)."""
    version = profile_version(profile, source)
    if version == CURRENT_VERSION:
        return profile
    result = copy.deepcopy(profile)
    for step in range(version, CURRENT_VERSION):
        STEPS[step](result)
    result["version"] = CURRENT_VERSION
    return result
