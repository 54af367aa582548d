"""The land-use code system of a run, shared by landbureau:lowefficiency and landbureau:upstairscheck: the
LAND_USE_SYSTEM parameter (auto / gbt21010 / guide2023 / gb50137, or their numbers 0–3 in that order), and the
sentences that name the system in the log and in the result summary the printed subtitle reads
(`summary["land_use"]["note"]`).

The parameter is a string, not an enum: Processing's help for an enum of static strings says "Number of selected
option, e.g. '1'" (QGIS 3.22) while refusing 1 with "Incorrect parameter value" and no list; a string lets the
help, the accepted values and the refusal agree — `qgis_process … LAND_USE_SYSTEM=gbt21010` and `…=1` both work,
and anything else stops the run naming the valid values."""
from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingParameterBoolean, QgsProcessingParameterString

from ..analysis import land_use_codes
from ..i18n import tr, translate_in

SYSTEM, ALL_INDUSTRIAL = "LAND_USE_SYSTEM", "ALL_INDUSTRIAL"
CHOICES = (land_use_codes.AUTO, *land_use_codes.SYSTEMS)


def add_system_parameter(algorithm) -> None:
    algorithm.addParameter(QgsProcessingParameterString(
        SYSTEM, tr("Land-use code system: auto (detected from the values), gbt21010 (GB/T 21010-2017 三调), "
                   "guide2023 (2023 用地用海分类指南) or gb50137 (GB 50137-2011); 0, 1, 2, 3 name them in this "
                   "order"), defaultValue=land_use_codes.AUTO, optional=True))


def add_all_industrial_parameter(algorithm) -> None:
    algorithm.addParameter(QgsProcessingParameterBoolean(
        ALL_INDUSTRIAL, tr("Every feature is industrial land (use when the layer has no land-use field)"),
        defaultValue=False, optional=True))


def system_of(algorithm, parameters, context, profile_system: str) -> str:
    """The parameter's system; "auto" (or no value) leaves the profile's choice."""
    if parameters.get(SYSTEM) in (None, ""):
        return profile_system
    chosen = parse_system(algorithm.parameterAsString(parameters, SYSTEM, context))
    return profile_system if chosen == land_use_codes.AUTO else chosen


def parse_system(value) -> str:
    """A LAND_USE_SYSTEM value as one of CHOICES: its name (any case, spaces around ignored) or its number 0–3;
    empty is auto. Anything else is refused with the valid values listed."""
    text = str(value if value is not None else "").strip().lower()
    if not text:
        return land_use_codes.AUTO
    if text in CHOICES:
        return text
    if text.isdigit() and int(text) < len(CHOICES):
        return CHOICES[int(text)]
    raise QgsProcessingException(tr(
        "LAND_USE_SYSTEM {value} is not a land-use code system; valid values: {choices} (or {numbers} in this "
        "order)").format(value=repr(str(value)), choices=", ".join(CHOICES),
                         numbers=", ".join(str(i) for i in range(len(CHOICES)))))


def all_industrial(algorithm, parameters, context) -> bool:
    return parameters.get(ALL_INDUSTRIAL) is not None and algorithm.parameterAsBoolean(
        parameters, ALL_INDUSTRIAL, context)


def system_label(system: str) -> str:
    """A system's name in the UI language."""
    return translate_in(land_use_codes.CONTEXT, land_use_codes.system_name(system))


def system_short_label(system: str) -> str:
    """A system's short name, as the panels' land-use choice shows it ("三调 GB/T 21010"): the log's list of how many
    values each system knows names the systems so, never by their keys (gbt21010)."""
    short = {land_use_codes.GBT21010: tr("3rd survey GB/T 21010"),
             land_use_codes.GUIDE2023: tr("land and sea use 2023"), land_use_codes.GB50137: "GB 50137-2011"}
    return short.get(system) or system_label(system)


def note(land_use: dict) -> str:
    """One line for the printed subtitle and the panel: the system the land use was read in, or that every
    feature was taken as industrial land."""
    if land_use.get("all_industrial"):
        return tr("All features taken as industrial land (ALL_INDUSTRIAL)")
    if land_use.get("system"):
        return tr("Land-use codes: {system}").format(system=system_label(land_use["system"]))
    return ""


def unknown_values_warning(layer: str, field: str, land_use: dict) -> str:
    """The share of the (non-empty) land-use values the run's system does not know, as a warning ("" when it
    knows them all): such a feature's land use is unknown — not judged in low efficiency — which its reasons say
    one by one; the log says how many, so a layer of old planning names (仓储用地 read in GB 50137) shows."""
    system = land_use.get("system")
    share = land_use.get("shares", {}).get(system)
    if not system or share is None or share >= 1:
        return ""
    unknown = 1 - share
    return tr("Layer {layer}, field {field}: {share} of the values are no code or name of {system}: their land use "
              "is unknown (named in each feature's reasons)").format(
        layer=layer, field=field, share=f"{unknown:.0%}" if unknown >= 0.005 else "<1%", system=system_label(system))


def log_lines(layer: str, field: str, land_use: dict) -> list[str]:
    """What the log says about how land use decided who was judged."""
    if land_use.get("all_industrial"):
        return [tr("Layer {layer}: every feature is taken as industrial land (ALL_INDUSTRIAL); the land use is not "
                   "read").format(layer=layer)]
    system = land_use.get("system")
    if not system:
        return []
    shares = tr(", ").join(f"{system_short_label(key)} {share:.0%}"
                           for key, share in land_use.get("shares", {}).items())
    how = tr("given") if land_use.get("given") else tr("detected from the values")
    lines = [tr("Layer {layer}, field {field}: land-use codes read as {system} ({how}; share of values each system "
                "knows: {shares})").format(layer=layer, field=field, system=system_label(system), how=how,
                                           shares=shares)]
    if land_use.get("alike"):
        lines.append(tr("The values read the same in {systems}").format(
            systems=", ".join(system_label(key) for key in land_use["alike"])))
    return lines
