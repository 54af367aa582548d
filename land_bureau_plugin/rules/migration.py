"""Profile versions: a profile written for an older plugin is brought up to the current one when it is read.

`version` (an integer, top level) says which rules a profile was written for; a profile without one is version 1.
Each step below rewrites what changed between two versions, so a user's saved profile keeps meaning what its
author meant; a profile from a newer plugin is refused (this plugin cannot know what its new keys mean). The
steps never touch a value they do not have to: thresholds and lists the user chose stay as they are.

  1 → 2  the upstairs rule `support_share`, which compared the support *floor* area with 7 % of the *land* area,
         is split in two: `support_floor_share` (support floor area / total floor area ≤ 15 %) and
         `support_land_share` (support land area / land area ≤ 7 %, checked only with a support land-area field).
  2 → 3  every rule carries its source (`sources` in each section, rules.criteria). A rule whose values the profile
         leaves at the version-2 defaults takes the bundled source; a rule whose values the profile changed gets
         "local default" with a note saying so — a changed threshold is no longer what the document says.
  3 → 4  亩均 grading by rank, with enterprise classes and 不定等级 exemptions (analysis.efficiency_grading), is the
         new default. An efficiency section of an older profile keeps grading as it did: `grading` "score" with its
         bands, `enterprise_classes` false, and the version-3 default weights where it gave none. A profile
         without an efficiency section takes the new defaults, as it always took the defaults.
"""
from __future__ import annotations

import copy
import json

from ..analysis.messages import Message
from ..errors import ProfileError

CURRENT_VERSION = 4


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


# Version 2: the profile keys each rule reads, and their default values then (a frozen record: later defaults
# may change, what a version-2 profile meant does not).
_V2_RULE_KEYS = {
    "resettlement": {"deadlines": {"start_years": 1, "complete_years": 4, "resettle_years": 5},
                     "warnings": {"yellow_days": 180, "orange_days": 90}},
    "efficiency": {
        "far_low": {"min_far": {"default": 1.0, "0601": 1.0, "0602": 0.5, "0604": 0.8, "1001": 1.0, "100101": 1.0,
                                "100102": 1.0, "100103": 0.8, "1101": 0.8, "M1": 1.0, "M2": 1.0, "M3": 0.8,
                                "W": 0.8}},
        "coverage_low": {"min_coverage": 0.30}, "tax_low": {"tax_ratio_floor": 0.5}, "grade_low": {"low_grade": "D"},
        "idle": {},
        "grading": {"weights": {"tax_per_mu": 30, "output_per_mu": 20, "output_per_energy": 20,
                                "output_per_employee": 10, "rd_ratio": 10},
                    "grade_bounds": {"A": 80, "B": 60, "C": 40}}},
    "upstairs": {
        "far": {"min_far": 2.0}, "height": {"min_height_m": 24.0, "max_height_m": 100.0}, "floors": {"min_floors": 4},
        "ground_floor_height": {"min_ground_floor_height_m": 6.0},
        "upper_floor_height": {"min_upper_floor_height_m": 4.5},
        "ground_floor_load": {"min_ground_floor_load_kn": 10.0}, "upper_floor_load": {"min_upper_floor_load_kn": 6.5},
        "lift_capacity": {"min_lift_capacity_t": 3.0}, "support_floor_share": {"max_support_floor_share": 0.15},
        "support_land_share": {"max_support_land_share": 0.07}, "area_match": {"max_area_diff_pct": 1.0},
        "farmland": {"min_overlap_m2": 1.0}, "redline": {"min_overlap_m2": 1.0},
        "urban_boundary": {"min_overlap_m2": 1.0},
        "industrial_land": {"min_overlap_m2": 1.0, "industrial_families": ["industrial", "warehouse"]},
        "plan_overlap": {"min_overlap_m2": 1.0}},
}
CHANGED_NOTE = "本规则配置自定的取值（由版本 2 迁移）"  # data, like every note of the bundled profile


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b))


def _add_sources(profile: dict) -> None:
    from .profile import bundled_section

    for name, rules in _V2_RULE_KEYS.items():
        values = profile.get(name)
        if not isinstance(values, dict) or "sources" in values:
            continue
        bundled = bundled_section(name).get("sources", {})
        values["sources"] = {
            rule: bundled.get(rule, "local default") if all(_same(values.get(key, default), default)
                                                            for key, default in keys.items())
            else {"document": "local default", "note": CHANGED_NOTE}
            for rule, keys in rules.items()}


_V3_WEIGHTS = {"tax_per_mu": 30, "output_per_mu": 20, "output_per_energy": 20, "output_per_employee": 10,
               "rd_ratio": 10}
NO_CLASSES_NOTE = "版本 4 之前不分企业类别、无不定等级"


def _keep_score_grading(profile: dict) -> None:
    values = profile.get("efficiency")
    if not isinstance(values, dict):
        return
    values.setdefault("weights", dict(_V3_WEIGHTS))
    values.setdefault("grading", "score")
    values.setdefault("enterprise_classes", False)
    sources = values.get("sources")
    if isinstance(sources, dict):
        for rule in ("classes", "exemptions"):
            sources.setdefault(rule, {"document": "local default", "note": NO_CLASSES_NOTE})


STEPS = {1: _split_support_share, 2: _add_sources, 3: _keep_score_grading}  # from version k to k + 1


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
