"""The plugin's main job on the bundled demo data, headless: load the demo layers through the same code the load
panel uses, run every analysis through its Processing algorithm, write out/demo_results.gpkg, print a summary,
and save out/demo_project.qgz (used by `make run`)."""
from __future__ import annotations

import gc
import json
import sys

from qgis_headless import ROOT, start

DEMO = ROOT / "resources" / "demo" / "demo.gpkg"
OUT = ROOT / "out"
AS_OF = "2026-11-27"  # the demo's dates are laid out around this day, so every warning state shows


def output(table: str) -> str:
    return f"ogr:dbname='{OUT / 'demo_results.gpkg'}' table=\"{table}\" (geom)"


def main() -> int:
    app, plugin = start()
    import processing
    from qgis.core import QgsProject

    from land_bureau_plugin.layouts import district_names
    from land_bureau_plugin.qgis_bridge import fieldmaps, styles
    from land_bureau_plugin.qgis_bridge.layers import open_file_layer

    OUT.mkdir(exist_ok=True)
    (OUT / "demo_results.gpkg").unlink(missing_ok=True)
    project = QgsProject.instance()
    by_role = {}
    for layer in open_file_layer(str(DEMO)):
        role = fieldmaps.role_of(layer)
        if layer.name() == "行政区划":  # the district outlines: context, not an analysis input
            styles.apply_style(layer, "districts")
            district_names.label_layer(layer)  # their names on the canvas, as on the printed maps
        if role:
            fieldmaps.save(layer, role, fieldmaps.field_map_of(layer, role))
            styles.apply_role_style(layer, role)
            by_role[role] = layer
        project.addMapLayer(layer)
        print(f"loaded {layer.name():<10} role={role or '-':<22} features={layer.featureCount()}")

    results = {}
    if "resettlement_projects" in by_role:
        params = {"INPUT": by_role["resettlement_projects"], "AS_OF": AS_OF, "OUTPUT": output("resettlement")}
        if "resettlement_plots" in by_role:
            params["PLOTS"] = by_role["resettlement_plots"]
        results["resettlement"], summary = _run(processing, "landbureau:resettlementdeadlines", params)
        print(f"\n征迁安置监管 / resettlement on {AS_OF}: {summary['projects']} projects")
        for grade, n in summary["per_grade"].items():
            print(f"  {grade:<7} {n:>4}")
        from land_bureau_plugin.processing.resettlement import overdue_households_text

        print(f"  overdue households (超期过渡户数): {overdue_households_text(summary)}; "
              f"without a plot on the map: {summary['no_plot']}")
    if "land_supply" in by_role:
        results["land_supply"] = _land_supply(processing, by_role)
    if "parcels" in by_role:
        results["efficiency"] = _efficiency(processing, by_role)
    if "upstairs_plans" in by_role:
        results["upstairs"] = _upstairs(processing, by_role)
    if "residential" in by_role and "facilities" in by_role:
        results["living_circle"] = _living_circle(processing, by_role)

    # --- printed maps (out/*.pdf): every result through landbureau:exportlayout ----------------------------
    from demo_layouts import print_layouts

    print_layouts(processing, results, by_role, project, OUT, AS_OF, DEMO)

    _set_view(project, by_role.get("parcels"))
    project.write(str(OUT / "demo_project.qgz"))
    print(f"\nwrote {OUT / 'demo_results.gpkg'} and {OUT / 'demo_project.qgz'}")
    # layers (the project's and those Processing returned) go while QGIS is still up, not at interpreter exit
    results.clear()
    by_role.clear()
    project.clear()
    gc.collect()
    app.exitQgis()
    return 0


def _run(processing, algorithm: str, params: dict, heading: str = "") -> tuple[dict, dict]:
    """Run one analysis; (its outputs, its SUMMARY read). With a heading, print it and the summary's own lines (the
    log's summary, as the panel shows it)."""
    result = processing.run(algorithm, params)
    summary = json.loads(result["SUMMARY"])
    if heading:
        print(f"\n{heading}")
        for line in summary.get("text", []):
            print(f"  {line}")
    return result, summary


def _land_supply(processing, by_role: dict) -> dict:
    """土地供应监管 on the demo's supplied parcels and approval batches: statuses, idle land and fees, 批而未供 (compare
    with the intended table `generate_data.py --demo` prints)."""
    params = {"SUPPLY": by_role["land_supply"], "AS_OF": AS_OF, "OUTPUT": output("land_supply"),
              "UNSUPPLIED": output("land_supply_unsupplied")}
    if "approval_batches" in by_role:
        params["APPROVALS"] = by_role["approval_batches"]
    return _run(processing, "landbureau:landsupply", params, "土地供应监管 / land supply:")[0]


def _efficiency(processing, by_role: dict) -> dict:
    """低效用地评价 on the demo parcels (FAR from the buildings when there are any) and its summary."""
    params = {"PARCELS": by_role["parcels"], "OUTPUT": output("efficiency"),
              "CLUSTER_OUTLINES": output("efficiency_clusters")}
    if "buildings" in by_role:
        params["BUILDINGS"] = by_role["buildings"]
    result, summary = _run(processing, "landbureau:lowefficiency", params)
    print(f"\n低效用地评价 / low-efficiency land: {summary['parcels']} parcels, {summary['mu']:,.1f} 亩")
    for grade, tally in summary["per_grade"].items():
        print(f"  {grade:<7} {tally['parcels']:>5} parcels {tally['mu']:>10,.1f} 亩")
    low = summary["low_eff"]
    print(f"  low efficiency (低效): {low['parcels']} parcels, {low['mu']:,.1f} 亩; potential floor area "
          f"{summary['potential_wan_m2']:,.2f} 万m² ({summary['low_eff_potential_wan_m2']:,.2f} on low-efficiency "
          f"land); merge clusters (并宗): {summary['clusters']['count']}")
    from land_bureau_plugin.processing.efficiency import unknown_line

    if unknown_line(summary):
        print(f"  {unknown_line(summary)}")
    for district, tally in summary.get("per_district", {}).items():
        print(f"  {district:<6} {tally['parcels']:>5} parcels, low {tally['low_eff']['parcels']:>4} "
              f"({tally['low_eff']['mu']:,.1f} 亩)")
    _print_seed_case(result["OUTPUT"])
    return result


def _print_seed_case(uri: str) -> None:
    """The article's park (FAR 0.8 → 2.5 adds 50,000 m²) as the plugin computed it."""
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    layer = QgsVectorLayer(uri, "efficiency", "ogr")
    request = QgsFeatureRequest().setFilterExpression("\"地块编号\" = 'XS-CASE-001'")
    for feature in layer.getFeatures(request):
        print(f"  seed case {feature['地块编号']}: FAR {feature['far']:.2f}, potential "
              f"{feature['potential_m2']:,.0f} m², {feature['mode']}; {feature['reasons']}")


def _upstairs(processing, by_role: dict) -> dict:
    """工业上楼核查 on the demo plans against the 三区三线 layers: the leadership's figures, then every plan that
    fails or leaves a rule open (compare with the intended table `generate_data.py --demo` prints)."""
    params = {"INPUT": by_role["upstairs_plans"], "OUTPUT": output("upstairs"),
              "VIOLATIONS": output("upstairs_violations")}
    for parameter, role in (("FARMLAND", "farmland"), ("REDLINE", "redline"), ("URBAN_BOUNDARY", "urban_boundary"),
                            ("LANDUSE", "landuse")):
        if role in by_role:
            params[parameter] = by_role[role]
    result, summary = _run(processing, "landbureau:upstairscheck", params, "工业上楼核查 / industrial upstairs check:")
    from qgis.core import QgsVectorLayer

    for feature in QgsVectorLayer(result["OUTPUT"], "upstairs", "ogr").getFeatures():
        if feature["failed_rules"] or feature["unchecked_rules"]:
            unchecked = f"  (not checked: {feature['unchecked_rules']})" if feature["unchecked_rules"] else ""
            print(f"  {feature['方案编号']}  {feature['failed_rules'] or 'passes'}{unchecked}")
    print(f"  {summary['violations']} violation pieces in {output('upstairs_violations')}")
    return result


def _set_view(project, parcels) -> None:
    """Open the demo zoomed to the parcels, in their CRS, instead of QGIS's empty 1:1 view."""
    from qgis.core import QgsReferencedRectangle

    if parcels is None:
        return
    project.setCrs(parcels.crs())
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(parcels.extent(), parcels.crs()))


def _living_circle(processing, by_role: dict) -> dict:
    """15分钟生活圈 on the demo's residential units, facility sites and road centre lines: the city's and each
    district's population-weighted coverage, and what the log says about the inputs (the expressway not walked,
    the joined digitising gap, the settlement without road access, the facility of an unknown type)."""
    params = {"RESIDENTIAL": by_role["residential"], "FACILITIES": by_role["facilities"],
              "OUTPUT": output("living_circle"), "GAPS": output("living_circle_gaps"),
              "DISTRICTS": output("living_circle_districts")}
    if "roads" in by_role:
        params["ROADS"] = by_role["roads"]
    return _run(processing, "landbureau:livingcircle", params, "15分钟生活圈 / living circle:")[0]


if __name__ == "__main__":
    sys.exit(main())

