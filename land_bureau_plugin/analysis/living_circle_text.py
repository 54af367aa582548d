"""The sentences of the living-circle analysis, marked for translation (context "reasons").

Apart from the measuring, like the other analyses' texts; {type} is the facility type's label from the profile
(幼儿园), {level} its circle level's key (5min). The walking distances' source (GB 50180-2018 表3.0.4) is cited once
in the run's summary rather than in each of the up to eleven reasons of a unit.
"""
from __future__ import annotations

from .messages import QT_TRANSLATE_NOOP, TEMPLATES

LIVING_TEMPLATES: dict[str, str] = {
    "separator": TEMPLATES["separator"],
    "not_covered": QT_TRANSLATE_NOOP(
        "reasons", "{type}: nearest {distance} m, beyond the {level} walk of {limit} m"),
    "unreachable": QT_TRANSLATE_NOOP(
        "reasons", "{type}: none reachable on the road network (this part of the network has none)"),
    "no_access": QT_TRANSLATE_NOOP(
        "reasons", "no road access: the nearest walkable road is {distance} m away, beyond the maximum access "
        "distance of {limit} m"),
    "no_facility": QT_TRANSLATE_NOOP("reasons", "{type}: none in the facility layer"),
    "no_geometry": QT_TRANSLATE_NOOP("reasons", "no usable geometry: distances not measured"),
    "no_population": QT_TRANSLATE_NOOP(
        "reasons", "population unknown (no population or households): not counted in the coverage shares"),
    "bad_population": QT_TRANSLATE_NOOP(
        "reasons", "{field} is not a plausible number: {value}; not counted in the coverage shares"),
}
