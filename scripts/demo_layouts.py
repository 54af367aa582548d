"""The printed maps of `make demo`: every analysis result through landbureau:exportlayout into out/*.pdf —
A3 landscape (the resettlement monitor and the living circle also A4 portrait), and for the resettlement monitor
one A3 page per district (atlas)."""
from __future__ import annotations

from pathlib import Path

DISTRICTS = "行政区划"  # the demo's district outlines: context on every map, coverage of the atlas
DISTRICT_FIELD = "行政区"


def print_layouts(processing, results: dict, by_role: dict, project, out: Path, as_of: str, demo: Path) -> list[str]:
    """Print what `results` holds (theme key → the analysis algorithm's results); returns the PDFs written."""
    from land_bureau_plugin.layouts.themes import THEMES
    from land_bureau_plugin.processing.export_layout import THEME_KEYS

    districts = next(iter(project.mapLayersByName(DISTRICTS)), None)
    jobs = []
    for key, result in results.items():
        theme = THEMES.get(key)
        if theme is None or not result or not result.get("OUTPUT"):
            continue
        context = [by_role[role] for role in theme.context_roles if role in by_role]
        # the analyses' second outputs (violation pieces, merge cluster outlines, unsupplied land) print with the
        # result: the builder draws them above it and names them by their role
        found = [result[key] for key in ("VIOLATIONS", "CLUSTER_OUTLINES", "UNSUPPLIED") if result.get(key)]
        layers = [result["OUTPUT"], *found, *context] + ([districts] if districts is not None else [])
        source = f"{by_role[theme.role].name()}（{demo.name}）" if theme.role in by_role else ""
        base = {"THEME": THEME_KEYS.index(key), "LAYERS": layers, "AS_OF": as_of, "SOURCE": source,
                "SUMMARY": result.get("SUMMARY") or ""}  # the land-use code system of the run, in the subtitle
        jobs.append({**base, "TEMPLATE": "a3_landscape", "OUTPUT": str(out / f"{key}_a3.pdf")})
        if key in ("resettlement", "living_circle"):
            jobs.append({**base, "TEMPLATE": "a4_portrait", "OUTPUT": str(out / f"{key}_a4.pdf")})
            if districts is not None and key == "resettlement":
                jobs.append({**base, "TEMPLATE": "a3_landscape", "ATLAS": districts, "ATLAS_FIELD": DISTRICT_FIELD,
                             "OUTPUT": str(out / f"{key}_districts.pdf")})
    written = []
    print("\n专题图 / printed maps:")
    for job in jobs:
        printed = processing.run("landbureau:exportlayout", job)
        written.append(printed["OUTPUT"])
        print(f"  {Path(printed['OUTPUT']).name:<28} {int(printed['PAGES'])} page(s)")
    return written
