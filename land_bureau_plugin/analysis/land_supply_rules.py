"""The profile section `land_supply` as a typed value: the 闲置土地 rules, the 批而未供 age, each with its source.

The numbers are national rules (闲置土地处置办法, 国土资源部令第53号, adopted 2012-05-22, in force 2012-07-01):
- art. 2 (1): land is idle when construction has not started one year after the start date the supply contract or
  the allocation decision agreed (`idle_years`);
- art. 2 (2): land already started is idle too when the developed area is under one third of the area to develop
  (`min_developed_share`) or the investment made under 25 % of the total (`min_investment_share`) and work has
  stopped for one year (`stopped_years`);
- art. 14 (1): after one year idle the land user pays an idle fee of 20 % of the land price (`idle_fee_share`);
  art. 14 (2): after two years it is taken back without compensation (`reclaim_years`; also 城市房地产管理法 art. 26);
- art. 8 and 12: a delay caused by the government or its departments is handled by negotiation, not by fee or
  reclaim (`exempt_government_delay`).
Years are counted as the Civil Code counts periods (民法典 arts. 201, 202): a period of N years from a date ends on
the same date N years later (29 Feb → 28 Feb), and it is full (满) only after that last day — so land whose agreed
start was 2024-03-01 is idle from 2025-03-02, the day after one full year.

批而未供: approval batches are tracked by the age of their unsupplied part; the deadline `unsupplied_years` (2) is the
two years after which an approval not implemented lapses (国务院关于深化改革严格土地管理的决定, 国发〔2004〕28号), and
`min_unsupplied_m2` keeps digitising slivers from making a supplied batch red. The warning windows are the profile's
`resettlement` ones (analysis.deadlines: one board, one window).

`sources` says where each number comes from (rules.criteria's model, shared by every section), as the reasons,
the panel and the print show it ("依据哪条规定?"). A profile's `sources` are laid over the bundled ones key by key,
as its `limits` are: it names only the sources it changes; a rule whose value it changes without naming a source
becomes a local default (the national document no longer says that value).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.criteria import Criterion, Source, sources_over_bundled, sources_table, validate_sources
from .messages import QT_TRANSLATE_NOOP, Message
from .plausibility import Limited, limits_of, validate_limits

MAX_YEARS = 100  # an offset beyond a century is a typo (and would overflow the date arithmetic)
NUMBER_FIELDS = ("area_m2", "developed_area", "planned_investment", "completed_investment", "land_price")
RULE_KEYS = ("idle_years", "stopped_years", "reclaim_years", "idle_fee_share", "min_developed_share",
             "min_investment_share", "exempt_government_delay", "unsupplied_years", "min_unsupplied_m2",
             "day_counting")

# which reason sentence cites which rule's source (rules.criteria.cited appends the citation to the template)
CITING = {"idle_not_started": "idle_years", "idle_stopped": "stopped_years", "idle_fee": "idle_fee_share",
          "reclaim": "reclaim_years", "government_delay": "exempt_government_delay",
          "government_delay_no_cause": "exempt_government_delay", "unsupplied_overdue": "unsupplied_years"}


@dataclass(frozen=True)
class LandSupplyRules(Limited):
    """The profile section `land_supply` (see the module's docstring); defaults are the bundled profile's, `limits`
    laid over the default limits key by key (analysis.plausibility.Limited) and `sources` over the bundled sources
    key by key — a rule whose value the profile changed and whose source it does not give is a local default."""

    limited_fields = NUMBER_FIELDS

    idle_years: int = 1
    stopped_years: int = 1
    reclaim_years: int = 2
    idle_fee_share: float = 0.2
    min_developed_share: float = 1 / 3
    min_investment_share: float = 0.25
    exempt_government_delay: bool = True
    unsupplied_years: int = 2
    min_unsupplied_m2: float = 1.0
    limits: dict[str, float | None] = field(default_factory=lambda: limits_of(NUMBER_FIELDS))
    # rule key -> its source (rules.criteria: a document with article and date, or "local default" with a note);
    # a profile's laid over the bundled ones key by key (rules.criteria.sources_over_bundled)
    sources: dict[str, object] = field(default_factory=dict)

    def __post_init__(self):
        super().__post_init__()
        values = {key: getattr(self, key) for key in RULE_KEYS if hasattr(self, key)}
        object.__setattr__(self, "sources", sources_over_bundled("land_supply", self.sources, values))

    def source_table(self) -> dict[str, Source]:
        return sources_table(self.sources, RULE_KEYS)

    def reason_sources(self) -> dict[str, Source]:
        """{reason template: the source it cites} (CITING): both tables and the print cite the same way."""
        table = self.source_table()
        return {template: table[key] for template, key in CITING.items()}

    def share_criteria(self) -> dict[str, Criterion]:
        """The 第二条第二款 shares as requirements (rules.criteria): developed share ≥ 1/3, investment share ≥ 25 %;
        stopped work fails one of them (a share under its threshold) to be idle. A share equal to its threshold up
        to floating-point noise holds."""
        table = self.source_table()
        return {"developed": Criterion("min_developed_share", "developed_share", ">=", self.min_developed_share,
                                       "developed_low", table["min_developed_share"]),
                "investment": Criterion("min_investment_share", "investment_share", ">=",
                                        self.min_investment_share, "investment_low", table["min_investment_share"])}

    def validate(self) -> list[tuple[str, Message]]:
        """(key, message) for values that make the rules meaningless; `rules.profile.section` reports them."""
        problems = []
        for key in ("idle_years", "stopped_years", "reclaim_years", "unsupplied_years"):
            if getattr(self, key) > MAX_YEARS:
                problems.append((key, Message(QT_TRANSLATE_NOOP("profile", "at most {n} years"), n=MAX_YEARS)))
        if self.reclaim_years < max(self.idle_years, self.stopped_years):
            problems.append(("reclaim_years", Message(QT_TRANSLATE_NOOP(
                "profile", "must not be shorter than idle_years and stopped_years"))))
        if not isinstance(self.exempt_government_delay, bool):
            problems.append(("exempt_government_delay", Message(QT_TRANSLATE_NOOP(
                "profile", "must be true or false"))))
        problems += list(validate_sources(self.sources, RULE_KEYS))
        problems += list(validate_limits(self.limits, NUMBER_FIELDS))
        return problems


DEFAULT_RULES = LandSupplyRules()
