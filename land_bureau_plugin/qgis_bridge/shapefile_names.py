"""Shapefile outputs: field names a DBF can hold, and the result's documented names back when one is read.

Why: a DBF keeps at most 10 bytes of a field name and GDAL cuts longer ones byte-wise. A Chinese input name in
UTF-8 (three bytes a character) was cut in the middle of a character — `项目编号` became `项目编` + half a character, a
U+FFFD in every program that reads the output — and the result names collided: `complete_due` and
`complete_days` both became `complete_d` (one renamed `complete_1`), `potential_m2` became `potential_`, so the
printed table lost its potential column, its sort order and the style its "judged" class. And QGIS wrote the
text in the "system" encoding with a `.cpg` saying just that, which another computer cannot read.

So a shapefile destination gets names chosen here before the sink is made (`dbf_fields`): each result field
longer than 10 bytes has a documented short name (`SHORT_NAMES`, README "Shapefile outputs"), any other name is
cut at a character boundary, and a name taken already ends in `_1`, `_2`… within the 10 bytes. Text is written
as UTF-8 with a `.cpg` saying UTF-8 (`processing/base.py`). When such a layer is loaded or printed,
`restore_result_names` adds each documented name back as a virtual field over its short one, so styles, print
themes and panels that ask for `potential_m2` find it (the file itself is not changed).
"""
from __future__ import annotations

DBF_NAME_BYTES = 10

# Result fields longer than a DBF name → their documented shapefile names (unique within each analysis).
SHORT_NAMES = {
    # resettlement: {milestone}_{due, status, days} with start / cmpl (complete) / rstl (resettle)
    "start_status": "start_stat",
    "complete_due": "cmpl_due", "complete_status": "cmpl_stat", "complete_days": "cmpl_days",
    "resettle_due": "rstl_due", "resettle_status": "rstl_stat", "resettle_days": "rstl_days",
    "overdue_households": "overdue_hh",
    # low efficiency and its merge-cluster outlines
    "output_per_mu": "output_pmu", "potential_m2": "potent_m2",
    # upstairs: plans, violation pieces
    "failed_rules": "fail_rules", "unchecked_rules": "unchecked", "area_diff_pct": "area_diff",
    "farmland_m2": "farm_m2", "outside_boundary_m2": "outside_m2", "non_industrial_m2": "nonind_m2",
    "overlap_plans": "ovl_plans", "other_plan_id": "other_plan",
    # 耕地占补平衡: the ledger ({flow}_{indicator}: occ / sup / rec / giv / bal / sht for the flows, balance and
    # shortfall; mu, paddy, cap for 亩, 水田 and capacity), the checks (oth = other, exc = excess), the flows
    "period_start": "per_start", "occupied_mu": "occ_mu", "supplemented_mu": "sup_mu", "received_mu": "rec_mu",
    "shortfall_mu": "sht_mu",
    **{f"{flow}_{ind}": f"{short}_{short_ind}"
       for flow, short in {"occupied": "occ", "supplemented": "sup", "received": "rec", "given": "giv",
                           "balance": "bal", "shortfall": "sht"}.items()
       for ind, short_ind in (("paddy_mu", "paddy"), ("capacity_kg", "cap"))},
    "other_layer": "oth_layer", "other_feature_id": "oth_fid", "other_project": "oth_proj",
    "excess_paddy_mu": "exc_paddy", "excess_capacity_kg": "exc_cap", "late_paddy_mu": "late_paddy",
    "late_capacity_kg": "late_cap", "from_county": "from_cnty", "capacity_kg": "cap_kg", "funds_unknown": "funds_unkn",
    # living circle: the totals, and dist_ / covered_ (cov_) of the bundled profile's facility types by two letters
    "types_covered": "types_cov", "basic_covered": "basic_cov",
    **{f"{prefix}_{kind}": f"{short_prefix}_{short}"
       for kind, short in {"middle_school": "ms", "health_centre": "hc", "nursing_home": "nh", "culture_centre": "cc",
                           "sports_large": "sl", "primary_school": "ps", "market": "mk", "kindergarten": "kg",
                           "elderly_daycare": "ed", "health_station": "hs", "sports_small": "ss"}.items()
       for prefix, short_prefix in (("dist", "dist"), ("covered", "cov"))},
}


def is_shapefile(path: str) -> bool:
    return str(path).lower().endswith(".shp")


def _cut(name: str, size: int) -> str:
    """`name` cut to at most `size` UTF-8 bytes, never inside a character."""
    out, used = "", 0
    for char in name:
        width = len(char.encode("utf-8"))
        if used + width > size:
            break
        out, used = out + char, used + width
    return out


def dbf_name(name: str) -> str:
    """The name a result or input field gets in a shapefile: its documented short name, else itself cut to 10
    UTF-8 bytes at a character boundary (without a U+FFFD left by an earlier cut)."""
    name = name.replace("\ufffd", "")
    return SHORT_NAMES.get(name) or _cut(name, DBF_NAME_BYTES)


def dbf_names(names: list[str]) -> list[str]:
    """`names` as a DBF holds them: `dbf_name` each, a name taken already (compared case-free) ending in `_1`,
    `_2`… within the 10 bytes. Empty names become `field_N` (N: the position)."""
    taken: set[str] = set()
    out = []
    for position, name in enumerate(names):
        short = dbf_name(name) or f"field_{position}"
        candidate, n = short, 0
        while candidate.lower() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = _cut(short, DBF_NAME_BYTES - len(suffix)) + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def dbf_fields(fields):
    """(QgsFields with DBF names, [(name, DBF name)] of those renamed) — same order and types, so the writers'
    attribute positions stay valid."""
    from qgis.core import QgsField, QgsFields

    names = [field.name() for field in fields]
    renamed = []
    out = QgsFields()
    for field, name, short in zip(fields, names, dbf_names(names)):
        copy = QgsField(field)
        if short != name:
            copy.setName(short)
            renamed.append((name, short))
        out.append(copy)
    return out, renamed


def restore_result_names(layer) -> list[str]:
    """Add, as virtual fields of `layer`, the documented result names whose shapefile short name the layer has
    and the full name it has not (a result written to a shapefile); the names added."""
    from qgis.core import QgsExpression, QgsField

    present = {field.name() for field in layer.fields()}
    added = []
    for name, short in SHORT_NAMES.items():
        if name in present or short not in present:
            continue
        original = layer.fields().field(short)
        field = QgsField(original)
        field.setName(name)
        layer.addExpressionField(QgsExpression.quotedColumnRef(short), field)
        added.append(name)
    return added
