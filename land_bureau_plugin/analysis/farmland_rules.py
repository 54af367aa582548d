"""The profile section `farmland_balance` as a typed value: how 耕地占补平衡 is counted, each rule with its source.

Why these rules (national policy; the thresholds and the conversion are profile data, never code):
- 以补定占 / 先补后占: a county may occupy only cultivated land it has already supplemented, and a supplement must be
  accepted before the occupation that draws on it is approved (中共中央 国务院《关于加强耕地保护和改进占补平衡的
  意见》, 中发〔2017〕4号; kept by the 2024–2025 reform, under which every occupation of cultivated land counts);
- quantity, paddy (水田) and grain production capacity (产能) are three indicators, each balanced on its own
  (《关于改进管理方式切实落实耕地占补平衡的通知》, 国土资规〔2017〕13号);
- permanent basic farmland may not be occupied (土地管理法 第三十五条);
- a supplement is new cultivated land: one lying on permanent basic farmland, inside the ecological red line or on
  existing construction land, or on another supplement, is counted twice or not allowed (local check, `min_overlap_m2`
  keeps digitising slivers out).

Capacity. Occupied and supplemented land is converted to standard grain capacity (标准粮, kg) by its quality grade
(质量等别): capacity = area in 亩 × `capacity_per_mu[grade]`. The bundled table is a LOCAL DEFAULT, not a published
one: the national grade (国家利用等别, GB/T 28407-2012, 1 = best … 15 = worst) taken linearly, 100 kg/亩 per grade
(grade 1 1,500 kg/亩 … grade 15 100 kg/亩). A bureau replaces it with its province's grade-to-yield table (or a
10-grade 耕地质量等级 table, GB/T 33469-2016); a supplement's own capacity field, when given, is used as it is.

Transfers. Only indicators of `counted_transfer_type` move the balance; forest-land quota (补充林地指标) and grain-zone
代保 agreements are reported with their funds but are no cultivated land. `transfer_type_words` reads the type
column (a value naming none of them is a data error).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.criteria import Source, sources_over_bundled, sources_table, validate_sources
from .messages import QT_TRANSLATE_NOOP, Message

RULE_KEYS = ("capacity_per_mu", "supplement_before_occupation", "occupation_capped", "three_indicators",
             "basic_farmland", "protected_overlap", "min_overlap_m2")
TRANSFER_TYPES = ("cultivated", "forest", "grain_zone")
CITING = {"supplement_after_occupation": "supplement_before_occupation",
          "supplement_after_occupation_linked": "supplement_before_occupation", "cap_exceeded": "occupation_capped",
          "occupies_basic_farmland": "basic_farmland", "supplement_on_protected": "protected_overlap"}


def _default_capacity() -> dict[str, float]:
    return {str(grade): float((16 - grade) * 100) for grade in range(1, 16)}


def _default_words() -> dict[str, list[str]]:
    return {"cultivated": ["耕地", "占补平衡", "补充耕地", "cultivated"],
            "forest": ["林地", "forest"],
            "grain_zone": ["粮食生产功能区", "粮食功能区", "代保", "grain"]}


@dataclass(frozen=True)
class FarmlandRules:
    """The profile section `farmland_balance` (see the module's docstring)."""

    capacity_per_mu: dict[str, float] = field(default_factory=_default_capacity)  # grade -> kg 标准粮 per 亩
    min_overlap_m2: float = 1.0
    counted_transfer_type: str = "cultivated"
    default_transfer_type: str = "cultivated"  # a transfers table without a type column
    transfer_type_words: dict[str, list[str]] = field(default_factory=_default_words)
    # rule key -> its source; a profile's laid over the bundled ones key by key (rules.criteria.sources_over_bundled):
    # a profile that changes the grade table without naming a source makes it a local default saying so
    sources: dict[str, object] = field(default_factory=dict)

    def __post_init__(self):
        values = {"capacity_per_mu": self.capacity_per_mu, "min_overlap_m2": self.min_overlap_m2}
        object.__setattr__(self, "sources", sources_over_bundled("farmland_balance", self.sources, values))

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, RULE_KEYS)

    def reason_sources(self) -> dict[str, Source]:
        table = self.source_table()
        return {template: table[key] for template, key in CITING.items()}

    def validate(self) -> list[tuple[str, Message]]:
        problems = []
        for grade in self.capacity_per_mu:
            if not grade.strip():
                problems.append(("capacity_per_mu", Message(QT_TRANSLATE_NOOP("profile", "a grade must not be empty"))))
        for key in ("counted_transfer_type", "default_transfer_type"):
            if getattr(self, key) not in TRANSFER_TYPES:
                problems.append((key, Message(QT_TRANSLATE_NOOP("profile", "must be one of {units}"),
                                              units=", ".join(TRANSFER_TYPES))))
        unknown = sorted(set(self.transfer_type_words) - set(TRANSFER_TYPES))
        if unknown:
            problems.append(("transfer_type_words", Message(QT_TRANSLATE_NOOP(
                "profile", "unknown key(s): {keys}; known: {known}"), keys=", ".join(unknown),
                known=", ".join(TRANSFER_TYPES))))
        problems += list(validate_sources(self.sources, RULE_KEYS))
        return problems


def grade_key(value) -> str | None:
    """A quality grade as the capacity table keys it: "3", 3, 3.0, "3等", "三等"-free digits → "3"; None if empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else str(value)
    text = str(value).strip()
    for suffix in ("等别", "等级", "等", "级"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text or None
