"""The rules of the 15-minute living circle (15分钟生活圈): profile section `living_circle`.

Why data, not code: which facilities a circle needs and how far a resident may walk to them are set by GB 50180-2018
(《城市居住区规划设计标准》 表3.0.4 gives the walking distances 15 min 800–1000 m, 10 min 500 m, 5 min 300 m; 附录B
lists the facilities of each circle) and refined by each city (TD/T 1062-2021). A bureau changes a distance, adds a
facility type or the codes its data uses in the profile, with the source beside each rule (rules.criteria), like
every other section.

- `walking_m`: circle level -> walking distance in metres (a resident is covered when the network distance is at
  most this, the shared Criterion tolerance included).
- `facilities`: facility type -> {"level": a key of walking_m, "label": the name printed and written in reasons,
  "codes": the values of the facility layer's type field that mean this type (compared trimmed, case-folded)}.
  The type key itself is always a code of its type. A code of several types is a facility of each: a 九年一贯制学校
  (grades 1–9) is 小学 and 初中 — counted as 初中 only, its homes were told no primary school was in reach.
- `basic_types`: the types that together make "covered by the basic services" (the 城市体检 indicator).
- `household_size`: persons per household when a residential unit gives households only.
- `detour_factor`: without a road network, network distance = straight-line distance × this factor.
- `snap_tolerance_m`: road line ends closer than this to another end, or to another line, are joined to it.
- `max_access_m`: a residential unit or facility farther than this from every walkable road is not on the network
  ("no road access"): not attached, never covered through a long straight leg, and said so in its reasons.
- `facility_frontage_m`: a polygon facility (a park, a school campus) is entered from every road within this distance
  of its boundary, at the road's point nearest to it (where a road enters it: where it crosses the boundary).
- `excluded_road_classes`: road classes (values of the road layer's class field) a pedestrian cannot walk.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.criteria import Criterion, Source, bundled_sources, sources_table, validate_sources
from .frames import is_missing
from .messages import QT_TRANSLATE_NOOP, Message
from .plausibility import Limited, limits_of, validate_limits

NUMBER_FIELDS = ("population", "households")
RULE_KEYS = ("walking_m", "facilities", "basic_types", "household_size", "detour_factor", "snap_tolerance_m",
             "max_access_m", "facility_frontage_m", "excluded_road_classes")
FACILITY_KEYS = ("level", "label", "codes")
MAX_WALK_M = 5000.0  # a "walking distance" beyond 5 km is a typo (metres typed as decimetres)


def code_key(value) -> str:
    """A facility type code as it is compared: text, trimmed, case-folded (幼儿园, 'Kindergarten ')."""
    if is_missing(value):  # NULL: None, or NaN in a numeric field or a pandas 3 text column (not the code "nan")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric type field: 3.0 is the code "3"
    return str(value).strip().casefold()


@dataclass(frozen=True)
class LivingCircleRules(Limited):
    """The profile section `living_circle` (see the module's docstring); defaults are the bundled profile's (the
    lists and tables read from it, so a key the profile leaves out means what the bundled profile says)."""

    limited_fields = NUMBER_FIELDS

    walking_m: dict[str, float] = field(default_factory=lambda: _bundled("walking_m", {}))
    facilities: dict[str, dict] = field(default_factory=lambda: _bundled("facilities", {}))
    basic_types: list[str] = field(default_factory=lambda: _bundled("basic_types", []))
    household_size: float = 2.62
    detour_factor: float = 1.3
    snap_tolerance_m: float = 2.0
    max_access_m: float = 200.0
    facility_frontage_m: float = 30.0
    excluded_road_classes: list[str] = field(default_factory=lambda: _bundled("excluded_road_classes", []))
    limits: dict[str, float | None] = field(default_factory=lambda: limits_of(NUMBER_FIELDS))
    sources: dict[str, object] = field(default_factory=lambda: bundled_sources("living_circle"))

    @property
    def types(self) -> tuple[str, ...]:
        """The facility types in profile order: the order of the output fields."""
        return tuple(self.facilities)

    def label(self, kind: str) -> str:
        return str(self.facilities[kind].get("label") or kind)

    def level(self, kind: str) -> str:
        return str(self.facilities[kind]["level"])

    def distance(self, kind: str) -> float:
        """The walking distance of a type's circle level, in metres."""
        return float(self.walking_m[self.level(kind)])

    def coverage(self, kind: str) -> Criterion:
        """"network distance ≤ the level's walking distance" as the shared rule model states it."""
        return Criterion(f"walk_{kind}", f"dist_{kind}", "<=", self.distance(kind), "not_covered",
                         self.source_table()["walking_m"])

    def type_of_code(self) -> dict[str, str | tuple[str, ...]]:
        """{code key: facility type} for every code of the profile (and each type's own key); a code of several
        types: the tuple of them, in profile order."""
        table: dict[str, list[str]] = {}
        for kind, entry in self.facilities.items():
            for code in [kind, *entry.get("codes", [])]:
                kinds = table.setdefault(code_key(code), [])
                if kind not in kinds:
                    kinds.append(kind)
        return {code: kinds[0] if len(kinds) == 1 else tuple(kinds) for code, kinds in table.items()}

    def excluded_classes(self) -> set[str]:
        return {code_key(c) for c in self.excluded_road_classes}

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, RULE_KEYS)

    def validate(self) -> list[tuple[str, Message]]:
        """(key, message) for values that make the rules meaningless; `rules.profile.section` reports them."""
        problems = []
        for level, metres in self.walking_m.items():
            if not metres or metres > MAX_WALK_M:
                problems.append((f"walking_m.{level}", Message(QT_TRANSLATE_NOOP(
                    "profile", "a walking distance between 0 and {n} m"), n=int(MAX_WALK_M))))
        if not self.facilities:
            problems.append(("facilities", Message(QT_TRANSLATE_NOOP(
                "profile", "must not be empty (an empty list would check nothing)"))))
        for kind, entry in self.facilities.items():
            problems += _facility_problems(kind, entry, self.walking_m)
        for kind in self.basic_types:
            if kind not in self.facilities:
                problems.append(("basic_types", Message(QT_TRANSLATE_NOOP(
                    "profile", "{value} is no facility type; known: {known}"), value=kind,
                    known=", ".join(self.facilities))))
        if not 1.0 <= self.detour_factor <= 3.0:
            problems.append(("detour_factor", Message(QT_TRANSLATE_NOOP("profile", "between {low} and {high}"),
                                                      low=1, high=3)))
        if self.household_size <= 0 or self.household_size > 20:
            problems.append(("household_size", Message(QT_TRANSLATE_NOOP("profile", "between {low} and {high}"),
                                                       low=0, high=20)))
        if self.snap_tolerance_m > 50:
            problems.append(("snap_tolerance_m", Message(QT_TRANSLATE_NOOP("profile", "between {low} and {high}"),
                                                         low=0, high=50)))
        if not 0 < self.max_access_m <= MAX_WALK_M:
            problems.append(("max_access_m", Message(QT_TRANSLATE_NOOP("profile", "between {low} and {high}"),
                                                     low=0, high=int(MAX_WALK_M))))
        if not 0 <= self.facility_frontage_m <= self.max_access_m:
            problems.append(("facility_frontage_m", Message(QT_TRANSLATE_NOOP("profile", "between {low} and {high}"),
                                                            low=0, high="max_access_m")))
        problems += list(validate_sources(self.sources, RULE_KEYS))
        problems += list(validate_limits(self.limits, NUMBER_FIELDS))
        return problems


def _facility_problems(kind: str, entry, walking_m: dict) -> list[tuple[str, Message]]:
    key = f"facilities.{kind}"
    if not isinstance(entry, dict):
        return [(key, Message(QT_TRANSLATE_NOOP("profile", "an object with {keys}"), keys=", ".join(FACILITY_KEYS)))]
    problems = []
    unknown = sorted(set(entry) - set(FACILITY_KEYS))
    if unknown:
        problems.append((key, Message(QT_TRANSLATE_NOOP("profile", "unknown key(s): {keys}; known: {known}"),
                                      keys=", ".join(unknown), known=", ".join(FACILITY_KEYS))))
    if entry.get("level") not in walking_m:
        problems.append((f"{key}.level", Message(QT_TRANSLATE_NOOP(
            "profile", "{value} is no level of walking_m; known: {known}"), value=entry.get("level"),
            known=", ".join(walking_m))))
    codes = entry.get("codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip() for c in codes):
        problems.append((f"{key}.codes", Message(QT_TRANSLATE_NOOP("profile", "a list of codes (text)"))))
        codes = []
    if not isinstance(entry.get("label", ""), str):
        problems.append((f"{key}.label", Message(QT_TRANSLATE_NOOP("profile", "a text"))))
    return problems


def _bundled(key: str, default):
    from ..rules.profile import bundled_section

    return bundled_section("living_circle").get(key, default)


DEFAULT_RULES = LivingCircleRules()
