"""The bad-input corpus (issue #12): files a bureau really sends, broken the ways they really break, each with the
outcome a planner must get — a right result (values computed here, independently of the plugin: by hand, with
shapely, or with GDAL's own reprojection) or a clear error containing a stated phrase.

    python tests/corpus/make_corpus.py DIR      # writes the input files into DIR and DIR/cases.json

A case is {id, klass, algorithm, params, sources, expect}. `params` are Processing parameters, with "{dir}" standing
for DIR; `sources` are the files the run must leave byte-for-byte unchanged; `expect` is one of
  {"error": [phrase, …]}        the run stops with a message containing any one phrase (case-free), no traceback;
  {"ok": {…}}                   the run succeeds and, for the output layer OUTPUT keyed by `key`:
       "rows": {key value: {field: value}}   field suffixes: "~" contains, "!" differs from, "≈" equals within
                                             0.5 %, "∈" one of a list, "∅" is NULL (value true) / not NULL (false);
                                             "rule:<id>": "not passed" — the upstairs rule is failed or unchecked;
       "outputs": {name: value}              Processing outputs (numbers), same suffixes;
       "log": [phrase, …]                    each phrase appears in the run's log (case-free);
       "absent": [key value, …]              no output row has that key;
       "unsupplied": {batch id: {field: value}}   rows of land supply's UNSUPPLIED output, as "rows";
       "same_as": {"case": id, "field": f, "except": [keys]}   the field equals that case's, row by row.
Outputs may name a key of a JSON output: "SUMMARY.parcels".
A case with a "postgis" block runs on tables of the test cluster instead of files:
  {"load": [{"file", "layer", "table", "primary_key": bool, "spatial_index": bool}],   copied in by ogr2ogr
   "fault": {"action": "terminate" | "edit", "sql": [statement with {table}, …], "at": percent},   mid-run
                                             (see below)
   "runs": n}                                the rows the run leaves in land_bureau.runs (0: none committed)
Parameters name the tables as "{pg:table}" (read-write role) or "{pg_ro:table}" (read-only role). The fault strikes
while an in-database run waits to write its run log, after it took its snapshot and judged every row — or, with
"at", when the run's progress reaches that percentage (in-process runs only) (tests/qgis/corpus_postgis.py);
afterwards each table must equal the loaded one with only the fault's edit applied.
This file only writes data; tests/qgis/test_bad_input_corpus.py runs the cases. Only the standard library and
GDAL's Python bindings (osgeo), so the corpus can be regenerated anywhere QGIS runs.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from osgeo import ogr, osr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: office_shapefile
from office_shapefile import as_office_sends_it  # noqa: E402

ogr.UseExceptions()
osr.UseExceptions()

X0, Y0 = 530_000.0, 3_340_000.0  # EPSG:4549 (CGCS2000 / 3-degree GK CM 120E), Hangzhou
MU = 10000.0 / 15.0
AS_OF = "2026-06-01"


# --- writing files -------------------------------------------------------------------------------------------------
FIELD_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger, "real": ogr.OFTReal, "date": ogr.OFTDate,
               "datetime": ogr.OFTDateTime}


def srs_of(epsg):
    if epsg is None:
        return None
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def write_layer(path: Path, layer_name: str, fields: list[tuple[str, str]], rows: list[dict], epsg=4549,
                geom_type=ogr.wkbUnknown, driver="GPKG", options=(), encoding=None):
    """One vector layer: fields [(name, type)], rows {"wkt": …, field: value}. Appends a layer to an existing
    GeoPackage. `encoding` writes a shapefile's DBF in that code page (its .cpg is handled by the caller)."""
    drv = ogr.GetDriverByName(driver)
    if driver == "GPKG" and path.exists():
        ds = ogr.Open(str(path), update=1)
    else:
        if path.exists():
            drv.DeleteDataSource(str(path))
        ds = drv.CreateDataSource(str(path))
    if ds.GetLayerByName(layer_name) is not None:  # a second generation into the same folder
        ds.DeleteLayer(layer_name)
    opts = list(options)
    if encoding:
        opts.append(f"ENCODING={encoding}")
    layer = ds.CreateLayer(layer_name, srs_of(epsg), geom_type, options=opts)
    for name, kind in fields:
        layer.CreateField(ogr.FieldDefn(name, FIELD_TYPES[kind]))
    defn = layer.GetLayerDefn()
    for row in rows:
        feature = ogr.Feature(defn)
        for name, _kind in fields:
            value = row.get(name)
            if value is None:
                feature.SetFieldNull(name)
            else:
                feature.SetField(name, value)
        if row.get("wkt"):
            feature.SetGeometry(ogr.CreateGeometryFromWkt(row["wkt"]))
        layer.CreateFeature(feature)
    ds.FlushCache()
    ds = None


def square_wkt(i: int, size: float = 100.0, y: float = Y0, step: float = 400.0) -> str:
    x = X0 + step * i
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def square(x: float, y: float, size: float) -> str:
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def point_wkt(i: int) -> str:
    return f"POINT({X0 + 400.0 * i} {Y0})"


def to_epsg(wkt: str, source: int, target: int) -> str:
    """GDAL's own reprojection (not the plugin's) of a WKT geometry."""
    geom = ogr.CreateGeometryFromWkt(wkt)
    geom.AssignSpatialReference(srs_of(source))
    geom.TransformTo(srs_of(target))
    return geom.ExportToWkt()


def planar_area(wkt: str) -> float:
    return ogr.CreateGeometryFromWkt(wkt).GetArea()


def district_shapefile(c: Corpus, folder: str, name: str, fields, rows, encoding: str, cpg: str | None = None,
                       epsg=4549) -> list[str]:
    """A shapefile as a district office sends it: its DBF in `encoding`, then its .cpg removed (cpg None) or made to
    say `cpg` (a wrong one) and the DBF's language byte cleared (office_shapefile). Returns its files, relative to the
    corpus, for the unchanged-source check."""
    directory = c.path(folder)
    directory.mkdir(exist_ok=True)
    shp = directory / f"{name}.shp"
    write_layer(shp, name, fields, rows, driver="ESRI Shapefile", encoding=encoding, epsg=epsg)
    as_office_sends_it(shp, cpg)
    return [str(p.relative_to(c.root)) for p in sorted(directory.iterdir())]


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self.cases: list[dict] = []
        root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.root / name

    def add(self, case_id: str, klass: str, algorithm: str, params: dict, sources: list[str], expect: dict,
            postgis: dict | None = None):
        assert all(c["id"] != case_id for c in self.cases), case_id
        case = {"id": case_id, "klass": klass, "algorithm": algorithm, "params": params, "sources": sources,
                "expect": expect}
        if postgis is not None:
            case["postgis"] = postgis
        self.cases.append(case)

    def save(self):
        (self.root / "cases.json").write_text(json.dumps(self.cases, ensure_ascii=False, indent=1), encoding="utf-8")


def src(name: str, layer: str | None = None) -> str:
    """A parameter value pointing at a corpus file (and layer of a GeoPackage)."""
    return "{dir}/" + name + (f"|layername={layer}" if layer else "")


def error(*phrases: str) -> dict:
    return {"error": list(phrases)}


def ok(rows=None, outputs=None, log=None, key=None, same_as=None, absent=None, unsupplied=None) -> dict:
    body = {}
    if unsupplied is not None:
        body["unsupplied"] = unsupplied
    if rows is not None:
        body["rows"] = rows
        body["key"] = key
    if absent:
        body["absent"] = absent
    if outputs:
        body["outputs"] = outputs
    if log:
        body["log"] = log
    if same_as:
        body["same_as"] = same_as
        body["key"] = key
    return {"ok": body}


# --- resettlement ----------------------------------------------------------------------------------------------------
RESET = "landbureau:resettlementdeadlines"
R_FIELDS = [("项目编号", "str"), ("项目名称", "str"), ("征迁日期", "str"), ("安置房开工日期", "str"),
            ("安置房竣工日期", "str"), ("完成安置日期", "str"), ("户数", "int"), ("行政区", "str")]


def r_row(pid: str, i: int, exp: str | None, start=None, complete=None, resettled=None, households=10, **extra):
    return {"wkt": point_wkt(i), "项目编号": pid, "项目名称": f"项目{pid}", "征迁日期": exp,
            "安置房开工日期": start, "安置房竣工日期": complete, "完成安置日期": resettled, "户数": households,
            "行政区": "萧山区", **extra}


def resettlement_cases(c: Corpus):
    # Date forms a bureau's spreadsheets hold: each read as 1 March 2024, so +1 is due 1 March 2025 and, with no
    # start date by the as-of date 2026-06-01, overdue (red).
    forms = {"iso": "2024-03-01", "slash": "2024/3/1", "compact": "20240301", "chinese": "2024年3月1日",
             "dots": "2024.3.1", "excel_serial": "45352", "iso_time": "2024-03-01 00:00:00",
             "fullwidth": "２０２４－０３－０１"}
    for name, text in forms.items():
        f = f"r_date_{name}.gpkg"
        write_layer(c.path(f), "projects", R_FIELDS, [r_row("A", 0, text), r_row("OK", 1, "2026-01-01")])
        c.add(f"resettlement-date-{name}", "dates (readable forms)", RESET,
              {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [f],
              ok(key="项目编号", rows={"A": {"start_due": "2025-03-01", "start_status": "overdue", "grade": "red"},
                                      "OK": {"start_status": "pending", "grade": "green"}}))
    # A typed date column (GeoPackage DATE) reads the same.
    f = "r_date_typed.gpkg"
    fields = [(n, "date" if "日期" in n else t) for n, t in R_FIELDS]
    write_layer(c.path(f), "projects", fields, [r_row("A", 0, "2024/03/01")])
    c.add("resettlement-date-typed", "dates (readable forms)", RESET,
          {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [f],
          ok(key="项目编号", rows={"A": {"start_due": "2025-03-01", "start_status": "overdue"}}))
    # Dates that must never grade a project: future, imprecise, impossible, out of range, placeholders.
    bad = {"future_2099": "2099-01-01", "future_2200": "2200-06-01", "as_of_plus_1": "2026-06-02",
           "bare_year": "2024", "year_month": "2024-03", "feb_30": "2024-02-30", "year_2257": "2257-05-01",
           "year_2262": "2262-04-12", "text": "待定", "placeholder_dash": "—", "zeros": "0000-00-00",
           "serial_1": "1", "serial_huge": "9999999", "year_1800": "1800-01-01", "blank": "   "}
    for name, text in bad.items():
        f = f"r_bad_{name}.gpkg"
        write_layer(c.path(f), "projects", R_FIELDS, [r_row("B", 0, text), r_row("OK", 1, "2026-01-01")])
        c.add(f"resettlement-bad-date-{name}", "dates (future, imprecise, out of range)", RESET,
              {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [f],
              ok(key="项目编号", rows={"B": {"grade": "grey", "start_status": "missing", "reasons∅": False},
                                      "OK": {"grade": "green"}}))
    # A done date after the as-of date, and before expropriation: that milestone is missing, with a reason.
    f = "r_done_future.gpkg"
    write_layer(c.path(f), "projects", R_FIELDS, [r_row("C", 0, "2024-03-01", start="2027-01-01"),
                                                  r_row("D", 1, "2024-03-01", start="2023-01-01")])
    c.add("resettlement-done-date-out-of-order", "dates (future, imprecise, out of range)", RESET,
          {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [f],
          ok(key="项目编号", rows={"C": {"start_status": "missing", "reasons∅": False},
                                  "D": {"start_status": "missing", "reasons∅": False}}))
    # Overdue households: +5 overdue counts the households (5 + 7), nothing else does.
    f = "r_households.gpkg"
    write_layer(c.path(f), "projects", R_FIELDS, [
        r_row("H1", 0, "2020-01-01", households=5), r_row("H2", 1, "2021-05-31", households=7),
        r_row("H3", 2, "2021-06-01", households=100), r_row("H4", 3, "2020-01-01", start="2020-06-01",
                                                              complete="2023-01-01", resettled="2024-01-01",
                                                              households=50)])
    c.add("resettlement-overdue-households", "works already (control)", RESET,
          {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [f],
          ok(key="项目编号", outputs={"OVERDUE_HOUSEHOLDS": 12},
             rows={"H1": {"resettle_status": "overdue"}, "H2": {"resettle_status": "overdue"},
                   "H3": {"resettle_status": "due_soon"}, "H4": {"resettle_status": "on_time"}}))
    # Field maps.
    f = "r_fieldmap.gpkg"
    write_layer(c.path(f), "projects", R_FIELDS, [r_row("A", 0, "2024-03-01")])
    base = {"INPUT": src(f, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}
    maps = {"misspelt_field": ('{"project_id": "项目编号", "expropriation_date": "征迁日其"}', ["征迁日其"]),
            "unknown_key": ('{"project_id": "项目编号", "expropriation_date": "征迁日期", "expropriaton": "户数"}',
                            ["expropriaton"]),
            "one_field_two_names": ('{"project_id": "项目编号", "expropriation_date": "征迁日期", '
                                    '"housing_start_date": "征迁日期"}', ["征迁日期"]),
            "not_json": ('{"project_id": 项目编号}', ["JSON"]),
            "a_list": ('["项目编号"]', ["JSON", "object"]),
            "required_missing": ('{"project_id": "项目编号"}', ["expropriation", "征迁日期"])}
    for name, (text, phrases) in maps.items():
        c.add(f"resettlement-fieldmap-{name}", "field maps", RESET, {**base, "FIELD_MAP": text}, [f],
              error(*phrases))
    # Profiles.
    profiles = {"offset_300_years": ({"resettlement": {"start_years": 300, "complete_years": 304,
                                                       "resettle_years": 305}}, ["start_years", "years"]),
                "nan": ('{"resettlement": {"yellow_days": NaN}}', ["yellow_days"]),
                "infinity": ('{"resettlement": {"orange_days": Infinity}}', ["orange_days"]),
                "misspelt_section": ({"resettlment": {"start_years": 1}}, ["resettlment"]),
                "misspelt_key": ({"resettlement": {"start_yeras": 1}}, ["start_yeras"]),
                "negative": ({"resettlement": {"yellow_days": -5}}, ["yellow_days"]),
                "text_value": ({"resettlement": {"start_years": "one"}}, ["start_years"]),
                "not_json": ("{resettlement: }", ["JSON", "profile"]),
                "out_of_order": ({"resettlement": {"start_years": 5, "complete_years": 4, "resettle_years": 5}},
                                 ["complete_years", "order"])}
    for name, (body, phrases) in profiles.items():
        p = f"r_profile_{name}.json"
        c.path(p).write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
        c.add(f"resettlement-profile-{name}", "profiles", RESET, {**base, "PROFILE": src(p)}, [f, p],
              error(*phrases))
    # Outputs that would overwrite an input.
    c.add("resettlement-output-is-input", "outputs overwriting inputs", RESET,
          {**base, "OUTPUT": src(f)}, [f], error("r_fieldmap.gpkg"))
    c.add("resettlement-output-layer-in-input-gpkg", "outputs overwriting inputs", RESET,
          {**base, "OUTPUT": "ogr:dbname='{dir}/r_fieldmap.gpkg' table=\"result\" (geom)"}, [f],
          error("r_fieldmap.gpkg"))
    # Geometry: polygons, multipoints, Z, no geometry at all: the deadlines do not depend on it.
    for name, wkt in {"polygon": square_wkt(0), "multipoint": f"MULTIPOINT(({X0} {Y0}),({X0 + 5} {Y0}))",
                      "point_z": f"POINT Z ({X0} {Y0} 12)", "null": None,
                      "curve": f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0},{X0 + 50} {Y0 + 50},{X0} {Y0 + 100},"
                               f"{X0 - 50} {Y0 + 50},{X0} {Y0}))"}.items():
        g = f"r_geom_{name}.gpkg"
        row = r_row("G", 0, "2024-03-01")
        row["wkt"] = wkt
        write_layer(c.path(g), "projects", R_FIELDS, [row])
        c.add(f"resettlement-geometry-{name}", "geometry (curves, Z/M, null, multi)", RESET,
              {"INPUT": src(g, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [g],
              ok(key="项目编号", rows={"G": {"start_status": "overdue", "grade": "red"}}))
    # An empty layer is a run with nothing in it, not an error.
    g = "r_empty.gpkg"
    write_layer(c.path(g), "projects", R_FIELDS, [])
    c.add("resettlement-empty-layer", "empty inputs", RESET,
          {"INPUT": src(g, "projects"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, [g],
          ok(outputs={"OVERDUE_HOUSEHOLDS": 0}))
    # Encodings: a GBK shapefile from a district office, with and without its .cpg, and with a wrong one.
    for name, (encoding, cpg) in {"gbk_no_cpg": ("GBK", None), "gbk_wrong_cpg": ("GBK", "UTF-8"),
                                  "gb18030_no_cpg": ("GB18030", None), "big5_no_cpg": ("BIG5", None)}.items():
        fields = [("项目编号", "str"), ("项目名称", "str"), ("征迁日期", "str"), ("户数", "int")]
        rows = [{"wkt": point_wkt(0), "项目编号": "甲一", "项目名称": "萧山區城北安置項目" if encoding == "BIG5"
                 else "萧山区城北安置项目", "征迁日期": "2024年3月1日", "户数": 12}]
        if encoding == "BIG5":
            fields = [("項目編號", "str"), ("項目名稱", "str"), ("徵遷日期", "str"), ("戶數", "int")]
            rows = [{"wkt": point_wkt(0), "項目編號": "甲一", "項目名稱": "蕭山區城北安置項目",
                     "徵遷日期": "2024年3月1日", "戶數": 12}]
        files = district_shapefile(c, f"r_{name}", "征迁项目", fields, rows, encoding, cpg)
        key = fields[0][0]
        c.add(f"resettlement-encoding-{name}", "encodings", RESET,
              {"INPUT": src(f"r_{name}/征迁项目.shp"), "AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg"}, files,
              ok(key=key, rows={"甲一": {"start_status": "overdue", fields[1][0]: rows[0][fields[1][0]]}},
                 log=["GB" if encoding.startswith("GB") else "Big5"]))  # GBK is GB18030's two-byte part


# --- low-efficiency ---------------------------------------------------------------------------------------------------
EFF = "landbureau:lowefficiency"
P_FIELDS = [("地块编号", "str"), ("用地性质", "str"), ("容积率", "str"), ("行政区", "str")]


def parcels(rows: list[tuple], fields=P_FIELDS, size=100.0) -> list[dict]:
    """(id, land use, FAR text) rows as 100 m squares in a row."""
    out = []
    for i, values in enumerate(rows):
        row = {"wkt": square_wkt(i, size), "行政区": "萧山区"}
        row.update(dict(zip([n for n, _ in fields], values)))
        out.append(row)
    return out


def flags(ids_flagged: list[str], ids_not: list[str]) -> dict:
    rows = {pid: {"low_eff": 1} for pid in ids_flagged}
    rows.update({pid: {"low_eff": 0} for pid in ids_not})
    return rows


def efficiency_cases(c: Corpus):
    # Layers holding only 0601 are ambiguous (0601 is 农村道路 in the 2023 guide): the cases that are not about code
    # systems say which one they use, as a user must.
    out = {"OUTPUT": "{out}/out.gpkg", "CLUSTER_OUTLINES": "{out}/clusters.gpkg", "LAND_USE_SYSTEM": "gbt21010"}
    # Land-use code systems. Every parcel has FAR 0.5 — below every minimum — so exactly the industrial and
    # warehouse parcels are flagged and nothing else is.
    systems = {
        "gbt21010": ([("I1", "0601"), ("I2", "0604"), ("R", "0701"), ("T", "1008"), ("W", "1101"), ("F", "0101"),
                      ("P", "0803"), ("S", "0503"), ("TR", "1003"), ("FO", "0301")], ["I1", "I2"], {}),
        "guide2023": ([("I1", "1001"), ("I2", "100102"), ("I3", "1101"), ("I4", "110101"), ("R", "0701"),
                       ("P", "0801"), ("T", "1201"), ("G", "1401"), ("C", "0901")], ["I1", "I2", "I3", "I4"],
                      {"LAND_USE_SYSTEM": "guide2023"}),
        "gb50137": ([("M1", "M1"), ("M2", "M2"), ("W1", "W1"), ("M", "M"), ("R2", "R2"), ("A3", "A3"), ("S1", "S1"),
                     ("G1", "G1")], ["M1", "M2", "W1", "M"], {}),
        "chinese_names": ([("I1", "工业用地"), ("I2", "二类工业用地"), ("I3", "仓储用地"), ("I4", "物流仓储用地"),
                           ("R", "住宅用地"), ("P", "公园绿地"), ("I5", "工業用地")],
                          ["I1", "I2", "I3", "I4", "I5"], {"LAND_USE_SYSTEM": "guide2023"}),
        "numeric_codes": ([("I1", "601"), ("I2", "601.0"), ("R", "701"), ("T", "1008"), ("F", "101")], ["I1", "I2"],
                          {"LAND_USE_SYSTEM": "gbt21010"}),
    }
    for name, (rows, flagged, extra) in systems.items():
        f = f"e_codes_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, parcels([(pid, code, "0.5") for pid, code in rows]))
        others = [pid for pid, _ in rows if pid not in flagged]
        c.add(f"efficiency-landuse-{name}", "land-use code systems", EFF,
              {"PARCELS": src(f, "parcels"), **out, "LAND_USE_SYSTEM": "auto", **extra}, [f],
              ok(key="地块编号", rows=flags(flagged, others)))
    # Names alone, read differently by two systems: asked, never guessed.
    f = "e_codes_chinese_names.gpkg"
    c.add("efficiency-landuse-names-ambiguous", "land-use code systems", EFF,
          {"PARCELS": src(f, "parcels"), **out, "LAND_USE_SYSTEM": "auto"}, [f], error("LAND_USE_SYSTEM"))
    # The 三调 layer given as the 2023 guide on purpose: 1008 becomes 工矿 — the user's explicit choice is honoured.
    f = "e_codes_explicit.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "1001", "0.5"), ("B", "0701", "0.5")]))
    c.add("efficiency-landuse-ambiguous-explicit", "land-use code systems", EFF,
          {"PARCELS": src(f, "parcels"), **out, "LAND_USE_SYSTEM": "guide2023"}, [f],
          ok(key="地块编号", rows=flags(["A"], ["B"])))
    # No land-use field: refuse, naming the field — unless the user says every parcel is industrial.
    fields = [("地块编号", "str"), ("容积率", "str")]
    f = "e_no_landuse.gpkg"
    write_layer(c.path(f), "parcels", fields, parcels([("A", "0.5"), ("B", "1.5")], fields))
    c.add("efficiency-landuse-missing", "fail safe (land use not mapped)", EFF,
          {"PARCELS": src(f, "parcels"), **out}, [f], error("land_use", "land use", "用地性质"))
    c.add("efficiency-landuse-missing-all-industrial", "fail safe (land use not mapped)", EFF,
          {"PARCELS": src(f, "parcels"), **out, "ALL_INDUSTRIAL": True}, [f],
          ok(key="地块编号", rows=flags(["A"], ["B"])))
    # FAR values as they come: thresholds at, below and above the default minimum 1.0 of 0601.
    fars = {"below": ("0.99", 1), "at": ("1.0", 0), "above": ("1.01", 0), "decimal_comma_below": ("0,8", 1),
            "decimal_comma_above": ("1,5", 0), "fullwidth": ("０.８", 1), "spaces": (" 0.8 ", 1)}
    for name, (text, flagged) in fars.items():
        f = f"e_far_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", text), ("B", "0601", "2.0")]))
        c.add(f"efficiency-far-{name}", "numbers (decimal comma, units)", EFF,
              {"PARCELS": src(f, "parcels"), **out}, [f], ok(key="地块编号", rows={"A": {"low_eff": flagged},
                                                                                  "B": {"low_eff": 0}}))
    # FAR in percent, recognised per layer: 50 % and 80 % are below 1.0, 150 % and 210 % above.
    f = "e_far_percent.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", "50"), ("B", "0601", "80"),
                                                         ("C", "0601", "150"), ("D", "0601", "210")]))
    c.add("efficiency-far-percent-column", "numbers (percent)", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(key="地块编号", rows={"A": {"low_eff": 1, "far≈": 0.5}, "B": {"low_eff": 1, "far≈": 0.8},
                                  "C": {"low_eff": 0, "far≈": 1.5}, "D": {"low_eff": 0, "far≈": 2.1}}))
    f = "e_far_percent_sign.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", "80%"), ("B", "0601", "1.2"),
                                                         ("C", "0601", "210%")]))
    c.add("efficiency-far-percent-sign", "numbers (percent)", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(key="地块编号", rows={"A": {"low_eff": 1, "far≈": 0.8}, "B": {"low_eff": 0, "far≈": 1.2},
                                  "C": {"low_eff": 0, "far≈": 2.1}}))
    # Placeholders are missing values, never FAR 0 and a flag; implausible values are data errors.
    for name, text in {"trad_no_data": "尚無資料", "simp_no_data": "尚无资料", "wu": "无", "slash": "/", "emdash": "—",
                       "dash": "-", "na": "N/A", "null_text": "NULL", "far_25": "25", "negative": "-0.5",
                       "huge": "1e308", "nan_text": "nan", "inf_text": "inf"}.items():
        f = f"e_placeholder_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", text), ("B", "0601", "0.5"),
                                                             ("C", "0601", "1.2"), ("D", "0601", "1.6")]))
        c.add(f"efficiency-value-{name}", "placeholders and implausible values", EFF,
              {"PARCELS": src(f, "parcels"), **out}, [f],
              ok(key="地块编号", rows={"A": {"low_eff": 0, "far∅": True, "reasons∅": False},
                                      "B": {"low_eff": 1}, "C": {"low_eff": 0}}))
    # Buildings: storeys as text; a partial buildings layer.
    b_fields = [("层数", "str")]
    for name, (text, far) in {"plain": ("2", 0.5), "ceng": ("2层", 0.5), "F": ("8F", 2.0), "space_ceng": ("8 层", 2.0),
                              "fullwidth": ("８", 2.0)}.items():
        f = f"e_buildings_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", None)]))
        write_layer(c.path(f), "buildings", b_fields, [{"wkt": square(X0, Y0, 50.0), "层数": text}])
        c.add(f"efficiency-storeys-{name}", "numbers (storeys as text)", EFF,
              {"PARCELS": src(f, "parcels"), "BUILDINGS": src(f, "buildings"), **out}, [f],
              ok(key="地块编号", rows={"A": {"far≈": far}}))
    f = "e_buildings_partial.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", None), ("B", "0601", None),
                                                         ("FAR", "0601", None)], size=100.0))
    # Buildings surveyed only around the west: A has a 50 x 50 two-storey building (FAR 0.5), B is empty land with
    # a surveyed building 30 m east of it (FAR 0, flagged), FAR (400 m further east) has no building within the
    # profile's building_data_radius_m (100 m): no building data, not FAR 0.
    write_layer(c.path(f), "buildings", b_fields, [
        {"wkt": square(X0, Y0, 50.0), "层数": "2"}, {"wkt": square(X0 + 530, Y0 + 20, 30.0), "层数": "3"}])
    c.add("efficiency-buildings-partial-coverage", "partial building coverage", EFF,
          {"PARCELS": src(f, "parcels"), "BUILDINGS": src(f, "buildings"), **out}, [f],
          ok(key="地块编号", rows={"A": {"far≈": 0.5, "low_eff": 1}, "B": {"far≈": 0.0, "low_eff": 1},
                                  "FAR": {"far∅": True, "low_eff": 0, "potential_m2∅": True}}))
    # Geometry: curves, Z/M, invalid, null, empty, mixed, geographic CRS; areas checked against GDAL through the
    # potential (area × (target FAR 2.5 of 0601 − FAR 0.5)).
    circle = (f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0},{X0 + 100} {Y0},{X0} {Y0}))")  # a full circle, r = 50
    geoms = {"curve": (circle, math.pi * 50 ** 2), "multisurface": (f"MULTISURFACE({circle})",
                                                                     math.pi * 50 ** 2),
             "polygon_z": (f"POLYGON Z (({X0} {Y0} 5,{X0 + 100} {Y0} 5,{X0 + 100} {Y0 + 100} 5,{X0} {Y0 + 100} 5,"
                           f"{X0} {Y0} 5))", 10000.0),
             "polygon_m": (f"POLYGON M (({X0} {Y0} 1,{X0 + 100} {Y0} 1,{X0 + 100} {Y0 + 100} 1,{X0} {Y0 + 100} 1,"
                           f"{X0} {Y0} 1))", 10000.0),
             "multipolygon": (f"MULTIPOLYGON((({X0} {Y0},{X0 + 100} {Y0},{X0 + 100} {Y0 + 50},{X0} {Y0 + 50},"
                              f"{X0} {Y0})),(({X0} {Y0 + 200},{X0 + 100} {Y0 + 200},{X0 + 100} {Y0 + 250},"
                              f"{X0} {Y0 + 250},{X0} {Y0 + 200})))", 10000.0)}
    for name, (wkt, area) in geoms.items():
        f = f"e_geom_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, [{"wkt": wkt, "地块编号": "A", "用地性质": "0601", "容积率": "0.5"},
                                                     {"wkt": square_wkt(3), "地块编号": "B", "用地性质": "0601",
                                                      "容积率": "0.5"}])
        c.add(f"efficiency-geometry-{name}", "geometry (curves, Z/M, null, multi)", EFF,
              {"PARCELS": src(f, "parcels"), **out}, [f],
              ok(key="地块编号", rows={"A": {"low_eff": 1, "potential_m2≈": area * (2.5 - 0.5)},
                                      "B": {"low_eff": 1}}))
    for name, wkt in {"null": None, "empty": "POLYGON EMPTY", "bowtie": (
            f"POLYGON(({X0} {Y0},{X0 + 100} {Y0 + 100},{X0 + 100} {Y0},{X0} {Y0 + 100},{X0} {Y0}))"),
                      "point_in_polygon_layer": f"POINT({X0} {Y0})",
                      "line_in_polygon_layer": f"LINESTRING({X0} {Y0},{X0 + 10} {Y0})"}.items():
        f = f"e_geom_{name}.gpkg"
        write_layer(c.path(f), "parcels", P_FIELDS, [{"wkt": wkt, "地块编号": "A", "用地性质": "0601", "容积率": "0.5"},
                                                     {"wkt": square_wkt(3), "地块编号": "B", "用地性质": "0601",
                                                      "容积率": "0.5"}])
        c.add(f"efficiency-geometry-{name}", "geometry (curves, Z/M, null, multi)", EFF,
              {"PARCELS": src(f, "parcels"), **out}, [f],
              ok(key="地块编号", rows={"A": {"reasons∅": False}, "B": {"low_eff": 1}}))
    # A geographic CRS (CGCS2000 EPSG:4490): areas in square metres, never square degrees.
    wkt = to_epsg(square(X0, Y0, 300.0), 4549, 4490)
    f = "e_crs_4490.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, [{"wkt": wkt, "地块编号": "A", "用地性质": "0601", "容积率": "0.5"}],
                epsg=4490)
    c.add("efficiency-crs-geographic", "CRS", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(key="地块编号", rows={"A": {"low_eff": 1, "potential_m2≈": 90000.0 * (2.5 - 0.5)}}))
    # No CRS at all: metres — said in the log; degrees — refused.
    f = "e_crs_none_metres.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", "0.5")]), epsg=None)
    c.add("efficiency-crs-unknown-projected", "CRS", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(key="地块编号", rows={"A": {"low_eff": 1}}, log=["CRS"]))
    f = "e_crs_none_degrees.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, [{"wkt": to_epsg(square(X0, Y0, 100.0), 4549, 4490), "地块编号": "A",
                                                  "用地性质": "0601", "容积率": "0.5"}], epsg=None)
    c.add("efficiency-crs-unknown-degrees", "CRS", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          error("CRS", "坐标"))
    # Duplicate ids are said.
    f = "e_duplicate_ids.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("DUP-7", "0601", "0.5"), ("DUP-7", "0601", "1.5"),
                                                         ("C", "0601", "1.5")]))
    c.add("efficiency-duplicate-ids", "duplicate ids", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(log=["DUP-7"]))
    # One tax figure in 元 instead of 万元 must not regrade the other parcels: same grades as without it.
    tax_fields = [("地块编号", "str"), ("用地性质", "str"), ("容积率", "str"), ("行政区", "str"), ("税收", "real")]
    taxes = [30.0 + 7.0 * i for i in range(20)]
    rows = [{"wkt": square_wkt(i), "地块编号": f"T{i}", "用地性质": "0601", "容积率": "1.5", "行政区": "萧山区",
             "税收": t} for i, t in enumerate(taxes)]
    write_layer(c.path("e_tax_clean.gpkg"), "parcels", tax_fields, rows)
    outlier = dict(rows[0], wkt=square_wkt(20), 地块编号="YUAN", 税收=1_200_000.0)
    write_layer(c.path("e_tax_outlier.gpkg"), "parcels", tax_fields, rows + [outlier])
    c.add("efficiency-tax-clean", "numbers (unit errors)", EFF, {"PARCELS": src("e_tax_clean.gpkg", "parcels"), **out},
          ["e_tax_clean.gpkg"], ok(key="地块编号", rows={"T0": {"grade∅": False}}))
    c.add("efficiency-tax-unit-error", "numbers (unit errors)", EFF,
          {"PARCELS": src("e_tax_outlier.gpkg", "parcels"), **out}, ["e_tax_outlier.gpkg"],
          ok(key="地块编号", same_as={"case": "efficiency-tax-clean", "field": "grade", "except": ["YUAN"]},
             rows={"YUAN": {"reasons∅": False}}, log=["unit error"]))
    # Profiles.
    f = "e_profiles.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, parcels([("A", "0601", "0.5")]))
    base = {"PARCELS": src(f, "parcels"), **out}
    profiles = {"min_far_nan": ('{"efficiency": {"min_coverage": NaN}}', ["min_coverage"]),
                "weight_infinity": ('{"efficiency": {"weights": {"tax_per_mu": Infinity}}}', ["tax_per_mu", "weights"]),
                "misspelt_section": ({"effciency": {"min_coverage": 0.3}}, ["effciency"]),
                "misspelt_key": ({"efficiency": {"min_coverge": 0.3}}, ["min_coverge"]),
                "negative_far": ({"efficiency": {"min_far": {"default": -1}}}, ["min_far"]),
                "coverage_percent": ({"efficiency": {"min_coverage": 30}}, ["min_coverage"]),
                "grade_bounds_text": ({"efficiency": {"grade_bounds": {"A": "high", "B": 60, "C": 40}}},
                                      ["grade_bounds"]),
                "weights_all_zero": ({"efficiency": {"weights": {"tax_per_mu": 0, "output_per_mu": 0,
                                                                  "output_per_energy": 0, "output_per_employee": 0,
                                                                  "rd_ratio": 0}}}, ["weights"])}
    for name, (body, phrases) in profiles.items():
        p = f"e_profile_{name}.json"
        c.path(p).write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
        c.add(f"efficiency-profile-{name}", "profiles", EFF, {**base, "PROFILE": src(p)}, [f, p], error(*phrases))
    # Field maps.
    for name, (text, phrases) in {
            "misspelt_field": ('{"parcel_id": "地块编号", "land_use": "用地性值"}', ["用地性值"]),
            "unknown_key": ('{"parcel_id": "地块编号", "land_use": "用地性质", "farr": "容积率"}', ["farr"]),
            "one_field_two_names": ('{"parcel_id": "地块编号", "land_use": "用地性质", "far": "用地性质"}',
                                    ["用地性质"])}.items():
        c.add(f"efficiency-fieldmap-{name}", "field maps", EFF, {**base, "PARCEL_FIELD_MAP": text}, [f],
              error(*phrases))
    # Outputs that would overwrite an input.
    c.add("efficiency-output-is-input", "outputs overwriting inputs", EFF,
          {**base, "OUTPUT": src(f)}, [f], error("e_profiles.gpkg"))
    c.add("efficiency-clusters-into-input", "outputs overwriting inputs", EFF,
          {**base, "CLUSTER_OUTLINES": "ogr:dbname='{dir}/e_profiles.gpkg' table=\"clusters\" (geom)"}, [f],
          error("e_profiles.gpkg"))
    f2 = "e_buildings_plain.gpkg"
    c.add("efficiency-output-is-buildings", "outputs overwriting inputs", EFF,
          {"PARCELS": src("e_profiles.gpkg", "parcels"), "BUILDINGS": src(f2, "buildings"), **out,
           "OUTPUT": src(f2)}, ["e_profiles.gpkg", f2], error("e_buildings_plain.gpkg"))
    # Empty layer.
    f = "e_empty.gpkg"
    write_layer(c.path(f), "parcels", P_FIELDS, [])
    c.add("efficiency-empty-layer", "empty inputs", EFF, {"PARCELS": src(f, "parcels"), **out}, [f],
          ok(outputs={"LOW_EFF": 0}))
    # Encodings: GBK / GB18030 / Big5 shapefiles; Chinese field names and values survive to the output.
    for name, (encoding, cpg) in {"gbk_no_cpg": ("GBK", None), "gbk_wrong_cpg": ("GBK", "UTF-8"),
                                  "gb18030_no_cpg": ("GB18030", None), "big5_no_cpg": ("BIG5", None),
                                  "gbk_cpg_936": ("GBK", "936")}.items():
        trad = encoding == "BIG5"
        fields = ([("地塊編號", "str"), ("用地性質", "str"), ("容積率", "str"), ("權利人", "str")] if trad else
                  [("地块编号", "str"), ("用地性质", "str"), ("容积率", "str"), ("权利人", "str")])
        owner = "杭州蕭山紡織有限公司" if trad else "杭州萧山纺织有限公司"
        rows = [{"wkt": square_wkt(i), fields[0][0]: pid, fields[1][0]: code, fields[2][0]: far, fields[3][0]: owner}
                for i, (pid, code, far) in enumerate([("甲1", "0601", "0.5"), ("甲2", "0701", "0.5"),
                                                      ("甲3", "0601", "1.5")])]
        files = district_shapefile(c, f"e_{name}", "地块", fields, rows, encoding, cpg)
        c.add(f"efficiency-encoding-{name}", "encodings", EFF, {"PARCELS": src(f"e_{name}/地块.shp"), **out}, files,
              ok(key=fields[0][0], rows={"甲1": {"low_eff": 1, fields[3][0]: owner}, "甲2": {"low_eff": 0},
                                         "甲3": {"low_eff": 0}}))


# --- industrial upstairs ---------------------------------------------------------------------------------------------
UP = "landbureau:upstairscheck"
U_FIELDS = [("方案编号", "str"), ("申报面积", "str"), ("建筑面积", "str"), ("建筑高度", "str"), ("层数", "str"),
            ("首层层高", "str"), ("标准层层高", "str"), ("首层荷载", "str"), ("楼层荷载", "str"), ("货梯载重", "str"),
            ("配套面积", "str"), ("行政区", "str"), ("用地性质", "str")]
GOOD = {"申报面积": "10000", "建筑面积": "25000", "建筑高度": "40", "层数": "6", "首层层高": "7", "标准层层高": "5",
        "首层荷载": "12", "楼层荷载": "8", "货梯载重": "3", "配套面积": "500", "行政区": "萧山区", "用地性质": "100101"}
PASS_ALL = '{"upstairs": {"rules": ["far", "height", "floors", "ground_floor_height", "upper_floor_height", ' \
           '"ground_floor_load", "upper_floor_load", "lift_capacity", "area_match"]}}'


def plans(rows: list[dict], fields=U_FIELDS) -> list[dict]:
    out = []
    for i, values in enumerate(rows):
        row = {"wkt": square_wkt(i), **GOOD}
        row.update(values)
        out.append(row)
    return out


def upstairs_cases(c: Corpus):
    out = {"OUTPUT": "{out}/out.gpkg", "VIOLATIONS": "{out}/viol.gpkg", "CHECKS": "{out}/checks.gpkg"}
    attr_profile = c.path("u_attribute_rules.json")
    attr_profile.write_text(PASS_ALL, encoding="utf-8")
    prof = {"PROFILE": src("u_attribute_rules.json")}
    # Values at, below and above each attribute threshold (default profile), read from text as bureaus type it.
    values = {"far_at": ({"建筑面积": "20000"}, 1), "far_below": ({"建筑面积": "19999"}, 0),
              "height_text_m": ({"建筑高度": "40m"}, 1), "height_text_mi": ({"建筑高度": "40米"}, 1),
              "height_at_24": ({"建筑高度": "24"}, 0), "height_above_24": ({"建筑高度": "24.1"}, 1),
              "height_at_100": ({"建筑高度": "100"}, 1), "height_above_100": ({"建筑高度": "100.5"}, 0),
              "floors_ceng": ({"层数": "6层"}, 1), "floors_F": ({"层数": "6F"}, 1), "floors_below": ({"层数": "3"}, 0),
              "gfh_decimal_comma": ({"首层层高": "6,0"}, 1), "gfh_below": ({"首层层高": "5,9"}, 0),
              "lift_at": ({"货梯载重": "3"}, 1), "lift_below": ({"货梯载重": "2.9"}, 0),
              "lift_kg": ({"货梯载重": "3000kg"}, None)}  # a unit the field's own (t) is not: junk, never a pass
    for name, (vals, passed) in values.items():
        f = f"u_value_{name}.gpkg"
        write_layer(c.path(f), "plans", U_FIELDS, plans([{"方案编号": "P", **vals}, {"方案编号": "OK"}]))
        c.add(f"upstairs-value-{name}", "numbers (units, decimal comma, thresholds)", UP,
              {"INPUT": src(f, "plans"), **out, **prof}, [f, "u_attribute_rules.json"],
              ok(key="方案编号", rows={"P": {"passed∅": True} if passed is None else {"passed": passed},
                                      "OK": {"passed": 1}}))
    # FAR in percent and implausible: never a pass at 210, never printed as "average FAR 210".
    f = "u_far_percent.gpkg"
    fields = [f for f in U_FIELDS if f[0] != "建筑面积"] + [("容积率", "str")]
    write_layer(c.path(f), "plans", fields, plans([{"方案编号": "A", "容积率": "210%"},
                                                   {"方案编号": "B", "容积率": "150%"}]))
    c.add("upstairs-far-percent-sign", "numbers (percent)", UP, {"INPUT": src(f, "plans"), **out, **prof},
          [f, "u_attribute_rules.json"], ok(key="方案编号", rows={"A": {"far≈": 2.1, "passed": 1},
                                                                 "B": {"far≈": 1.5, "passed": 0}}))
    f = "u_far_implausible.gpkg"
    write_layer(c.path(f), "plans", fields, plans([{"方案编号": "A", "容积率": "25"},
                                                   {"方案编号": "B", "容积率": "2.5"},
                                                   {"方案编号": "C", "容积率": "3"}]))
    c.add("upstairs-far-implausible", "placeholders and implausible values", UP,
          {"INPUT": src(f, "plans"), **out, **prof}, [f, "u_attribute_rules.json"],
          ok(key="方案编号", rows={"A": {"passed∅": True, "rule:far": "not passed", "reasons∅": False},
                                  "B": {"passed": 1}}))
    # A placeholder (尚無資料, a 0 where 0 cannot be) is no value: that rule is unchecked, never passed. An implausible
    # or negative value is a data error: the plan itself is not passed (passed empty, counted apart).
    for name, (vals, rule, decided) in {
            "height_no_data": ({"建筑高度": "尚無資料"}, "height", True),
            "height_zero": ({"建筑高度": "0"}, "height", True),
            "floors_zero": ({"层数": "0"}, "floors", True), "height_600": ({"建筑高度": "600"}, "height", False),
            "floor_area_1e308": ({"建筑面积": "1e308"}, "far", False), "floors_300": ({"层数": "300"}, "floors", False),
            "declared_negative": ({"申报面积": "-10000"}, "area_match", False)}.items():
        f = f"u_bad_{name}.gpkg"
        write_layer(c.path(f), "plans", U_FIELDS, plans([{"方案编号": "P", **vals}, {"方案编号": "OK"}]))
        row = {f"rule:{rule}": "not passed", "reasons∅": False, **({} if decided else {"passed∅": True})}
        c.add(f"upstairs-value-{name}", "placeholders and implausible values", UP,
              {"INPUT": src(f, "plans"), **out, **prof}, [f, "u_attribute_rules.json"],
              ok(key="方案编号", rows={"P": row, "OK": {"passed": 1}}))
    # Unit-bearing names: 申报面积（亩） of 15 亩 is the 10 000 m² drawn.
    fields = [("申报面积（亩）" if n == "申报面积" else n, t) for n, t in U_FIELDS]
    f = "u_declared_mu.gpkg"
    write_layer(c.path(f), "plans", fields, [{**r, "申报面积（亩）": r.pop("申报面积")} for r in plans(
        [{"方案编号": "A", "申报面积": "15"}, {"方案编号": "B", "申报面积": "16"}])])
    c.add("upstairs-declared-area-in-mu", "field names with units", UP, {"INPUT": src(f, "plans"), **out, **prof},
          [f, "u_attribute_rules.json"], ok(key="方案编号", rows={"A": {"passed": 1}, "B": {"passed": 0}}))
    # Geometry: none, empty, point, curve.
    for name, (wkt, passed) in {"null": (None, None), "empty": ("POLYGON EMPTY", None),
                                "curve": (f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0},{X0 + 112.83791670955} {Y0},"
                                          f"{X0} {Y0}))", 1)}.items():
        f = f"u_geom_{name}.gpkg"
        rows = plans([{"方案编号": "P"}, {"方案编号": "OK"}])
        rows[0]["wkt"] = wkt
        write_layer(c.path(f), "plans", U_FIELDS, rows)
        c.add(f"upstairs-geometry-{name}", "geometry (curves, Z/M, null, multi)", UP,
              {"INPUT": src(f, "plans"), **out, **prof}, [f, "u_attribute_rules.json"],
              ok(key="方案编号", rows={"P": {"passed!": 1} if passed is None else {"passed": passed},
                                      "OK": {"passed": 1}}))
    f = "u_geom_mixed.gpkg"
    rows = plans([{"方案编号": "P"}, {"方案编号": "OK"}])
    rows[0]["wkt"] = f"POINT({X0} {Y0})"
    write_layer(c.path(f), "plans", U_FIELDS, rows)
    c.add("upstairs-geometry-point-in-mixed-layer", "geometry (curves, Z/M, null, multi)", UP,
          {"INPUT": src(f, "plans"), **out, **prof}, [f, "u_attribute_rules.json"],
          ok(key="方案编号", rows={"P": {"passed!": 1}, "OK": {"passed": 1}}))
    # Spatial rules across CRSs. Farmland in EPSG:4490 overlapping plan A by 25 x 25 m.
    plan_a = square(X0, Y0, 100.0)
    farm = square(X0 + 75, Y0 + 75, 100.0)
    plan_rows = [{"wkt": plan_a, **GOOD, "方案编号": "A"}, {"wkt": square_wkt(5), **GOOD, "方案编号": "OK"}]
    farm_rule = '{"upstairs": {"rules": ["farmland"]}}'
    c.path("u_farmland_rule.json").write_text(farm_rule, encoding="utf-8")
    frule = {"PROFILE": src("u_farmland_rule.json")}
    write_layer(c.path("u_plans_4549.gpkg"), "plans", U_FIELDS, plan_rows)
    write_layer(c.path("u_farm_4490.gpkg"), "farmland", [("名称", "str")],
                [{"wkt": to_epsg(farm, 4549, 4490), "名称": "永久基本农田"}], epsg=4490)
    c.add("upstairs-farmland-geographic", "CRS", UP,
          {"INPUT": src("u_plans_4549.gpkg", "plans"), "FARMLAND": src("u_farm_4490.gpkg", "farmland"), **out,
           **frule}, ["u_plans_4549.gpkg", "u_farm_4490.gpkg", "u_farmland_rule.json"],
          ok(key="方案编号", rows={"A": {"passed": 0, "farmland_m2≈": 625.0}, "OK": {"passed": 1}}))
    # Plans with no CRS against farmland in 4326: the farmland rule is never passed for them.
    write_layer(c.path("u_plans_nocrs.gpkg"), "plans", U_FIELDS, plan_rows, epsg=None)
    write_layer(c.path("u_farm_4326.gpkg"), "farmland", [("名称", "str")],
                [{"wkt": to_epsg(farm, 4549, 4326), "名称": "永久基本农田"}], epsg=4326)
    c.add("upstairs-farmland-unknown-crs", "CRS", UP,
          {"INPUT": src("u_plans_nocrs.gpkg", "plans"), "FARMLAND": src("u_farm_4326.gpkg", "farmland"), **out,
           **frule}, ["u_plans_nocrs.gpkg", "u_farm_4326.gpkg", "u_farmland_rule.json"],
          {"error_or_ok": {"key": "方案编号", "rows": {"A": {"rule:farmland": "not passed"}}},
           "error": ["CRS", "坐标"]})
    # Shapefile plans without .prj: same.
    folder = c.path("u_noprj")
    folder.mkdir(exist_ok=True)
    write_layer(folder / "plans.shp", "plans", [("FABH", "str"), ("JZMJ", "real"), ("SBMJ", "real")],
                [{"wkt": plan_a, "FABH": "A", "JZMJ": 25000.0, "SBMJ": 10000.0}], driver="ESRI Shapefile", epsg=None)
    (folder / "plans.prj").unlink(missing_ok=True)
    files = [str(p.relative_to(c.root)) for p in sorted(folder.iterdir())]
    c.add("upstairs-farmland-shapefile-without-prj", "CRS", UP,
          {"INPUT": src("u_noprj/plans.shp"), "FARMLAND": src("u_farm_4326.gpkg", "farmland"), **out, **frule},
          files + ["u_farm_4326.gpkg", "u_farmland_rule.json"],
          {"error_or_ok": {"key": "FABH", "rows": {"A": {"rule:farmland": "not passed"}}}, "error": ["CRS", "坐标"]})
    # Land use from a 三调 layer: a plan on 1008 (transport stations) is not on industrial land.
    lu_fields = [("DLBM", "str"), ("DLMC", "str")]
    write_layer(c.path("u_landuse_sandiao.gpkg"), "landuse", lu_fields, [
        {"wkt": square(X0 - 10, Y0 - 10, 120.0), "DLBM": "1008", "DLMC": "交通服务场站用地"},
        {"wkt": square(X0 + 1990, Y0 - 10, 120.0), "DLBM": "0601", "DLMC": "工业用地"},
        {"wkt": square(X0 + 3990, Y0 - 10, 120.0), "DLBM": "0702", "DLMC": "农村宅基地"},
        {"wkt": square(X0 + 5990, Y0 - 10, 120.0), "DLBM": "0101", "DLMC": "水田"}])
    lu_plans = [{"wkt": square(X0, Y0, 100.0), **GOOD, "方案编号": "ON1008"},
                {"wkt": square(X0 + 2000, Y0, 100.0), **GOOD, "方案编号": "ON0601"}]
    write_layer(c.path("u_plans_landuse.gpkg"), "plans", U_FIELDS, lu_plans)
    c.path("u_landuse_rule.json").write_text('{"upstairs": {"rules": ["industrial_land"]}}', encoding="utf-8")
    c.add("upstairs-landuse-sandiao-1008", "land-use code systems", UP,
          {"INPUT": src("u_plans_landuse.gpkg", "plans"), "LANDUSE": src("u_landuse_sandiao.gpkg", "landuse"),
           **out, "PROFILE": src("u_landuse_rule.json")},
          ["u_plans_landuse.gpkg", "u_landuse_sandiao.gpkg", "u_landuse_rule.json"],
          ok(key="方案编号", rows={"ON1008": {"passed": 0, "non_industrial_m2≈": 10000.0},
                                  "ON0601": {"passed": 1}}))
    # Profiles.
    f = "u_value_far_at.gpkg"
    for name, (body, phrases) in {"rules_empty": ({"upstairs": {"rules": []}}, ["rules"]),
                                  "rule_unknown": ({"upstairs": {"rules": ["farmlnd"]}}, ["farmlnd"]),
                                  "min_far_nan": ('{"upstairs": {"min_far": NaN}}', ["min_far"]),
                                  "min_far_text": ({"upstairs": {"min_far": "2.0x"}}, ["min_far"]),
                                  "height_order": ({"upstairs": {"min_height_m": 120, "max_height_m": 100}},
                                                   ["height"]),
                                  "share_over_one": ({"upstairs": {"max_support_floor_share": 15}},
                                                     ["max_support_floor_share"]),
                                  "misspelt_key": ({"upstairs": {"min_flors": 4}}, ["min_flors"]),
                                  "misspelt_section": ({"upstair": {"min_floors": 4}}, ["upstair"])}.items():
        p = f"u_profile_{name}.json"
        c.path(p).write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
        c.add(f"upstairs-profile-{name}", "profiles", UP, {"INPUT": src(f, "plans"), **out, "PROFILE": src(p)},
              [f, p], error(*phrases))
    # Field maps.
    for name, (text, phrases) in {
            "misspelt_field": ('{"plan_id": "方案编号", "height": "建筑高"}', ["建筑高"]),
            "unknown_key": ('{"plan_id": "方案编号", "heigth": "建筑高度"}', ["heigth"]),
            "one_field_two_names": ('{"plan_id": "方案编号", "height": "层数", "floors": "层数"}', ["层数"])}.items():
        c.add(f"upstairs-fieldmap-{name}", "field maps", UP,
              {"INPUT": src(f, "plans"), **out, **prof, "FIELD_MAP": text}, [f, "u_attribute_rules.json"],
              error(*phrases))
    # Outputs over inputs.
    c.add("upstairs-output-is-input", "outputs overwriting inputs", UP,
          {"INPUT": src(f, "plans"), **out, **prof, "OUTPUT": src(f)}, [f, "u_attribute_rules.json"],
          error("u_value_far_at.gpkg"))
    c.add("upstairs-violations-into-farmland", "outputs overwriting inputs", UP,
          {"INPUT": src("u_plans_4549.gpkg", "plans"), "FARMLAND": src("u_farm_4490.gpkg", "farmland"), **out,
           **frule, "VIOLATIONS": "ogr:dbname='{dir}/u_farm_4490.gpkg' table=\"viol\" (geom)"},
          ["u_plans_4549.gpkg", "u_farm_4490.gpkg", "u_farmland_rule.json"], error("u_farm_4490.gpkg"))
    # Duplicate plan ids are said.
    f = "u_duplicate_ids.gpkg"
    write_layer(c.path(f), "plans", U_FIELDS, plans([{"方案编号": "DUP-3"}, {"方案编号": "DUP-3"}, {"方案编号": "C"}]))
    c.add("upstairs-duplicate-ids", "duplicate ids", UP, {"INPUT": src(f, "plans"), **out, **prof},
          [f, "u_attribute_rules.json"], ok(log=["DUP-3"]))
    # Empty layer.
    f = "u_empty.gpkg"
    write_layer(c.path(f), "plans", U_FIELDS, [])
    c.add("upstairs-empty-layer", "empty inputs", UP, {"INPUT": src(f, "plans"), **out, **prof},
          [f, "u_attribute_rules.json"], ok(outputs={"PLANS": 0, "PASSED": 0}))
    # Encodings.
    for name, encoding in {"gbk_no_cpg": "GBK", "big5_no_cpg": "BIG5"}.items():
        trad = encoding == "BIG5"
        names = {"方案编号": "方案編號" if trad else "方案编号", "建筑面积": "建築面積" if trad else "建筑面积",
                 "申报面积": "申報面積" if trad else "申报面积", "建筑高度": "建築高度" if trad else "建筑高度",
                 "行政区": "行政區" if trad else "行政区"}
        fields = [(v, "str") for v in names.values()]
        district = "蕭山區" if trad else "萧山区"
        rows = [{"wkt": square_wkt(0), names["方案编号"]: "甲", names["建筑面积"]: "25000", names["申报面积"]: "10000",
                 names["建筑高度"]: "40", names["行政区"]: district}]
        files = district_shapefile(c, f"u_{name}", "方案", fields, rows, encoding)
        c.path("u_far_rule.json").write_text('{"upstairs": {"rules": ["far", "height", "area_match"]}}',
                                             encoding="utf-8")
        c.add(f"upstairs-encoding-{name}", "encodings", UP,
              {"INPUT": src(f"u_{name}/方案.shp"), **out, "PROFILE": src("u_far_rule.json")},
              files + ["u_far_rule.json"], ok(key=names["方案编号"], rows={"甲": {"passed": 1,
                                                                                names["行政区"]: district}}))


# --- print ------------------------------------------------------------------------------------------------------------
PRINT = "landbureau:exportlayout"


def print_cases(c: Corpus):
    f = "x_result.gpkg"
    write_layer(c.path(f), "resettlement", R_FIELDS + [("grade", "str"), ("reasons", "str")],
                [dict(r_row("A", 0, "2024-03-01"), grade="red", reasons="")])
    layer = src(f, "resettlement")
    c.path("x_empty.qpt").write_text("", encoding="utf-8")
    c.path("x_not_xml.qpt").write_text("<Layout", encoding="utf-8")
    c.path("x_no_map.qpt").write_text('<Layout name="x" units="mm"><PageCollection/></Layout>', encoding="utf-8")
    for name, template in {"empty": "x_empty.qpt", "not_xml": "x_not_xml.qpt", "no_map": "x_no_map.qpt"}.items():
        c.add(f"print-template-{name}", "print", PRINT,
              {"THEME": 0, "LAYERS": [layer], "TEMPLATE": src(template), "OUTPUT": "{out}/map.pdf"},
              [f, template], error(template))
    c.add("print-template-missing", "print", PRINT,
          {"THEME": 0, "LAYERS": [layer], "TEMPLATE": src("x_nowhere.qpt"), "OUTPUT": "{out}/map.pdf"}, [f],
          error("x_nowhere.qpt"))
    c.add("print-output-is-input", "outputs overwriting inputs", PRINT,
          {"THEME": 0, "LAYERS": [layer], "OUTPUT": src(f)}, [f], error("x_result.gpkg", "pdf", "png"))


# --- land supply ---------------------------------------------------------------------------------------------------
SUPPLY = "landbureau:landsupply"
S_FIELDS = [("电子监管号", "str"), ("约定开工时间", "str"), ("实际开工时间", "str"), ("实际竣工时间", "str"),
            ("停工日期", "str"), ("已开发面积", "str"), ("总投资(万元)", "str"), ("已完成投资(万元)", "str"),
            ("成交价款(万元)", "str"), ("受让人", "str")]
B_FIELDS = [("批次编号", "str"), ("批准日期", "str")]
# As of 2026-06-01 a parcel whose agreed start was 2025-05-31 has been idle a full year (and a day): idle, fee 20 %
# of its price. A batch approved 2024-05-31 is past its two years (due 2026-05-31): red when land is left.
IDLE_START = "2025-05-31"


def s_row(pid: str, i: int, agreed: str | None = IDLE_START, price: str | None = "1000", **fields) -> dict:
    """A supplied parcel, a 100 m square (10,000 m²) at position i; `fields` by their Chinese names."""
    return {"wkt": square_wkt(i), "电子监管号": pid, "约定开工时间": agreed, "成交价款(万元)": price,
            "受让人": "杭州萧山纺织有限公司", **fields}


STOPPED = {"实际开工时间": "2023-01-01", "停工日期": "2025-05-31", "总投资(万元)": "1000"}  # a year stopped as of


def supply_cases(c: Corpus):
    idle_ok = {"OK": {"supply_status": "idle", "grade": "red", "idle_fee≈": 200.0}}
    out = {"AS_OF": AS_OF, "OUTPUT": "{out}/out.gpkg", "UNSUPPLIED": "{out}/unsupplied.gpkg"}

    def case(case_id, klass, rows, expect, fields=S_FIELDS, batches=None, epsg=4549, batch_epsg=None, **params):
        f = f"s_{case_id}.gpkg"
        write_layer(c.path(f), "供地宗地", fields, rows, epsg=epsg)
        layers = {"SUPPLY": src(f, "供地宗地")}
        if batches is not None:
            write_layer(c.path(f), "报批批次", B_FIELDS, batches, epsg=batch_epsg or epsg)
            layers["APPROVALS"] = src(f, "报批批次")
        c.add(f"supply-{case_id}", klass, SUPPLY, {**layers, **out, **params}, [f], expect)

    # Agreed start dates that must never start a deadline: a data error (grey) naming the field, the other parcel
    # judged as ever.
    bad = {"text": "待定", "feb_30": "2024-02-30", "bare_year": "2024", "year_month": "2024-03",
           "placeholder_9999": "9999-12-31", "placeholder_dash": "—", "zeros": "0000-00-00", "year_2257": "2257-05-01",
           "serial_1": "1"}
    for name, text in bad.items():
        case(f"bad-date-{name}", "dates (future, imprecise, out of range)", [s_row("B", 0, text), s_row("OK", 1)],
             ok(key="电子监管号", rows={"B": {"supply_status": "missing", "grade": "grey",
                                         "reasons~": "约定开工时间"}, **idle_ok}))
    # Facts after the as-of date, and dates out of order: the parcel is a data error, never judged on them.
    for name, fields, named in (
            ("start-after-as-of", {"实际开工时间": "2026-06-02"}, "实际开工时间"),
            ("completion-before-start", {"实际开工时间": "2024-01-01", "实际竣工时间": "2023-12-31"}, "实际竣工时间"),
            ("stop-before-start", {"实际开工时间": "2024-01-01", "停工日期": "2023-12-31"}, "停工日期"),
            ("completion-without-start", {"实际竣工时间": "2025-01-01"}, "实际竣工时间")):
        case(f"date-{name}", "dates (future, imprecise, out of range)", [s_row("B", 0, **fields), s_row("OK", 1)],
             ok(key="电子监管号", rows={"B": {"supply_status": "missing", "grade": "grey", "reasons~": named},
                                         **idle_ok}))
    # Work stopped a year with 80 % invested: idle only if the developed area is under 1/3 — which a placeholder
    # does not say; and a placeholder land price leaves the fee of an idle parcel unknown, not 0.
    case("placeholder-developed-area", "placeholders and implausible values",
         [s_row("B", 0, **STOPPED, **{"已开发面积": "—", "已完成投资(万元)": "800"}), s_row("OK", 1)],
         ok(key="电子监管号", rows={"B": {"supply_status": "missing", "grade": "grey", "reasons~": "已开发面积"},
                                     **idle_ok}))
    case("placeholder-land-price", "placeholders and implausible values",
         [s_row("B", 0, price="尚无资料"), s_row("OK", 1)],
         ok(key="电子监管号", rows={"B": {"supply_status": "idle", "idle_fee∅": True, "reasons~": "成交价款"},
                                     **idle_ok}, outputs={"IDLE_FEE≈": 200.0}))
    # Investment written as a percent in a 万元 field: 30 % is not 30 万元 of 1,000 (3 %, idle) — not read, named;
    # 200 万元 of 1,000 (20 %, under 25 %) is idle.
    case("percent-investment", "numbers (percent)",
         [s_row("B", 0, **STOPPED, **{"已开发面积": "5000", "已完成投资(万元)": "30%"}),
          s_row("C", 1, **STOPPED, **{"已开发面积": "5000", "已完成投资(万元)": "200"}), s_row("OK", 2)],
         ok(key="电子监管号", rows={"B": {"supply_status": "missing", "reasons~": "30%"},
                                     "C": {"supply_status": "idle", "reasons~": "20.0%"}, **idle_ok}))
    # Batches: one without geometry is a data error named by feature id, the other measured as ever (by hand:
    # 300 × 100 m less the parcel's 100 × 100 m).
    batch = {"wkt": f"POLYGON(({X0} {Y0},{X0 + 300} {Y0},{X0 + 300} {Y0 + 100},{X0} {Y0 + 100},{X0} {Y0}))",
             "批次编号": "P1", "批准日期": "2024-05-31"}
    assert abs(planar_area(batch["wkt"]) - 30000.0) < 1e-6
    case("batch-without-geometry", "geometry (curves, Z/M, null, multi)", [s_row("OK", 0)],
         ok(key="电子监管号", rows=idle_ok, unsupplied={
             "P1": {"unsupplied_m2≈": 20000.0, "unsupplied_mu≈": 20000.0 / MU, "grade": "red"},
             "P0": {"grade": "grey", "unsupplied_m2∅": True, "reasons~": "geometry"}},
            log=["报批批次", "2"]),
         batches=[{"wkt": None, "批次编号": "P0", "批准日期": "2024-05-31"}, batch])
    case("batch-approval-after-as-of", "dates (future, imprecise, out of range)", [s_row("OK", 0)],
         ok(key="电子监管号", rows=idle_ok, unsupplied={
             "P1": {"grade": "grey", "unsupplied_m2≈": 20000.0, "age_days∅": True, "reasons~": "批准日期"}}),
         batches=[{**batch, "批准日期": "2026-06-02"}])
    # A geographic CRS (CGCS2000, EPSG:4490) for the parcels, or for both: areas in m², as GDAL reprojects them.
    parcel_4490 = to_epsg(square_wkt(0), 4549, 4490)
    batch_4490 = to_epsg(batch["wkt"], 4549, 4490)
    left = planar_area(to_epsg(batch_4490, 4490, 4549)) - planar_area(to_epsg(parcel_4490, 4490, 4549))
    for name, batch_epsg, batch_wkt in (("parcels", 4549, batch["wkt"]), ("both", 4490, batch_4490)):
        case(f"crs-geographic-{name}", "CRS", [{**s_row("OK", 0), "wkt": parcel_4490}],
             ok(key="电子监管号", rows={"OK": {**idle_ok["OK"], "area_m2≈": 10000.0}},
                unsupplied={"P1": {"unsupplied_m2≈": left, "approved_m2≈": 30000.0, "grade": "red"}}),
             batches=[{**batch, "wkt": batch_wkt}], epsg=4490, batch_epsg=batch_epsg)
    # A district's shapefile in GBK without its .cpg (field names of at most 10 bytes: 约定开工, 成交价款):
    # Chinese names and values survive, the parcel is judged.
    fields = [("电子监管号", "str"), ("约定开工", "str"), ("成交价款", "str"), ("受让人", "str")]
    rows = [{"wkt": square_wkt(0), "电子监管号": "甲1", "约定开工": "2025年5月31日", "成交价款": "1000",
             "受让人": "杭州萧山纺织有限公司"}]
    files = district_shapefile(c, "s_gbk_no_cpg", "供地宗地", fields, rows, "GBK")
    c.add("supply-encoding-gbk_no_cpg", "encodings", SUPPLY, {"SUPPLY": src("s_gbk_no_cpg/供地宗地.shp"), **out},
          files, ok(key="电子监管号", rows={"甲1": {"supply_status": "idle", "idle_fee≈": 200.0,
                                                  "受让人": "杭州萧山纺织有限公司"}}, log=["GB"]))
    # Profiles: one source of the land_supply section named, the others kept (key by key, as limits are); an
    # unknown rule's source and a reclaim before idleness refused, naming the key.
    f = "s_profile.gpkg"
    write_layer(c.path(f), "供地宗地", S_FIELDS, [s_row("OK", 0)])
    base = {"SUPPLY": src(f, "供地宗地"), **out}
    for name, body, expect in (
            ("one-source", {"land_supply": {"sources": {"min_unsupplied_m2": "本地默认：市局口径"}}},
             ok(key="电子监管号", rows={"OK": {**idle_ok["OK"], "reasons~": "闲置土地处置办法"}})),
            ("unknown-source", {"land_supply": {"sources": {"idel_years": "local default"}}},
             error("land_supply.sources.idel_years")),
            ("reclaim-before-idle", {"land_supply": {"idle_years": 3}}, error("land_supply.reclaim_years"))):
        p = f"s_profile_{name}.json"
        c.path(p).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        c.add(f"supply-profile-{name}", "profiles", SUPPLY, {**base, "PROFILE": src(p)}, [f, p], expect)
    c.add("supply-output-is-input", "outputs overwriting inputs", SUPPLY, {**base, "OUTPUT": src(f)}, [f],
          error("s_profile.gpkg"))
    f = "s_empty.gpkg"
    write_layer(c.path(f), "供地宗地", S_FIELDS, [])
    c.add("supply-empty-layer", "empty inputs", SUPPLY, {"SUPPLY": src(f, "供地宗地"), **out}, [f],
          ok(outputs={"SUMMARY.parcels": 0, "IDLE_FEE": 0}))


# --- PostGIS: the in-database engine and the faults of a shared database ---------------------------------------
# Parcels 100 m square (1 ha = 15 亩); the buildings' footprints x storeys give each FAR by hand:
#   A 0601  50 x 50 m, 2 storeys  FAR 0.5   coverage 0.25  low (FAR < 1.0, coverage < 0.3)  potential 10000 x 2.0
#   B 0601  80 x 80 m, 3 storeys  FAR 1.92  coverage 0.64  not low                           potential 10000 x 0.58
#   C 0701  50 x 50 m, 4 storeys  FAR 1.0   homes: not judged
#   D 0604  60 x 60 m, 1 storey   FAR 0.36  coverage 0.36  low (FAR < 0.8 of warehouses)     potential 10000 x 1.64
PG_PARCELS = [("A", "0601", 50.0, "2"), ("B", "0601", 80.0, "3"), ("C", "0701", 50.0, "4"), ("D", "0604", 60.0, "1")]
PG_EXPECTED = {"A": {"low_eff": 1, "far≈": 0.5, "coverage≈": 0.25, "potential_m2≈": 20000.0, "用地性质": "0601"},
               "B": {"low_eff": 0, "far≈": 1.92, "coverage≈": 0.64, "potential_m2≈": 5800.0},
               "C": {"low_eff": 0, "far≈": 1.0, "potential_m2∅": True},
               "D": {"low_eff": 1, "far≈": 0.36, "potential_m2≈": 16400.0}}
# Projects as of 2026-06-01: A's +1 (2025-03-01) is overdue; H's +5 (2025-01-01) too, its 5 households in overdue
# transition; B was expropriated this year.
PG_PROJECTS = [("A", "2024-03-01", 10), ("B", "2026-01-01", 20), ("H", "2020-01-01", 5)]
PG_PROJECTS_EXPECTED = {"A": {"start_status": "overdue", "grade": "red", "安置房开工日期∅": True},
                        "B": {"start_status": "pending", "grade": "green"},
                        "H": {"resettle_status": "overdue", "grade": "red", "户数": 5}}
# Another user's edits: A re-coded to homes and D's building raised to 10 storeys; D and B's building deleted; a
# new parcel on A's land and a 20-storey building on B's inserted. None of it may reach the run's output.
P_UPDATE = ["UPDATE {地块} SET \"用地性质\" = '0701', \"容积率\" = '3.5' WHERE \"地块编号\" = 'A'",
            "UPDATE {建筑} SET \"层数\" = '10' WHERE \"层数\" = '1'"]
P_DELETE = ["DELETE FROM {地块} WHERE \"地块编号\" = 'D'", "DELETE FROM {建筑} WHERE \"层数\" = '3'"]
P_INSERT = ["INSERT INTO {地块} (id, \"地块编号\", \"用地性质\", geom) "
            "SELECT 99, 'NEW', '0601', geom FROM {地块} WHERE \"地块编号\" = 'A'",
            "INSERT INTO {建筑} (id, \"层数\", geom) SELECT 99, '20', geom FROM {建筑} WHERE \"层数\" = '3'"]
IN_DATABASE = "runs in the database"
R_UPDATE = ["UPDATE {征迁项目} SET \"安置房开工日期\" = '2024-06-01' WHERE \"项目编号\" = 'A'",
            "UPDATE {征迁项目} SET \"户数\" = 500 WHERE \"项目编号\" = 'H'"]
R_INSERT = ["INSERT INTO {征迁项目} (id, \"项目编号\", \"征迁日期\", \"户数\", geom) "
            "SELECT 99, 'NEW', '2015-01-01', 1000, geom FROM {征迁项目} WHERE \"项目编号\" = 'A'"]
LOST = ["was lost; nothing was written", "连接已断开"]  # each message also as the zh_CN translation says it
READ_ONLY = ["lb_ro may not write", "lb_ro 无权写入"]
NO_KEY = ["no primary key", "没有主键"]
NO_INDEX = ["no spatial (GiST) index", "没有空间（GiST）索引"]
LOCALLY = "runs locally"


def pg_load(file: str, layer: str, primary_key: bool = True, spatial_index: bool = True) -> dict:
    return {"file": file, "layer": layer, "table": layer, "primary_key": primary_key, "spatial_index": spatial_index}


def postgis_cases(c: Corpus):
    f = "p_city.gpkg"
    write_layer(c.path(f), "地块", P_FIELDS, [
        {"wkt": square_wkt(i), "地块编号": pid, "用地性质": code, "行政区": "萧山区"}
        for i, (pid, code, _side, _floors) in enumerate(PG_PARCELS)])
    write_layer(c.path(f), "建筑", [("层数", "str")], [
        {"wkt": square(X0 + 400.0 * i + 10, Y0 + 10, side), "层数": floors}
        for i, (_pid, _code, side, floors) in enumerate(PG_PARCELS)])
    parcels_only = {"LAND_USE_SYSTEM": "gbt21010", "OUTPUT": "{out}/out.gpkg", "CLUSTER_OUTLINES": "{out}/cl.gpkg"}

    def efficiency(case_id, klass, engine, expect, parcels="{pg:地块}", buildings="{pg:建筑}", load=None, fault=None,
                   runs=0, **extra):
        load = load or [pg_load(f, "地块"), pg_load(f, "建筑")]
        c.add(case_id, klass, EFF, {"PARCELS": parcels, "BUILDINGS": buildings, "ENGINE": engine, **parcels_only,
                                    **extra}, [f], expect,
              postgis={"load": load, **({"fault": fault} if fault else {}), "runs": runs})

    same = ok(key="地块编号", rows=PG_EXPECTED, outputs={"LOW_EFF": 2, "SUMMARY.parcels": 4})
    efficiency("postgis-efficiency-in-database", "PostGIS (works already, control)", 2,
               {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1)
    efficiency("postgis-efficiency-automatic", "PostGIS (works already, control)", 0,
               {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1)
    # A connection killed mid-run (pg_terminate_backend of the run's backend): a clear message, nothing left.
    efficiency("postgis-efficiency-killed-connection", "PostGIS faults (killed connection)", 2, error(*LOST),
               fault={"action": "terminate"})
    # … and once the results and the run log are written, before the output (progress 23 %): rolled back.
    efficiency("postgis-efficiency-killed-before-output", "PostGIS faults (killed connection)", 2, error(*LOST),
               fault={"action": "terminate", "at": 23})
    # Another user edits the source mid-run: the output is the run's snapshot, the edit stays in the table.
    efficiency("postgis-efficiency-concurrent-update", "PostGIS faults (concurrent edits)", 2,
               {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1,
               fault={"action": "edit", "sql": P_UPDATE})
    efficiency("postgis-efficiency-concurrent-delete", "PostGIS faults (concurrent edits)", 2,
               {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1,
               fault={"action": "edit", "sql": P_DELETE})
    efficiency("postgis-efficiency-concurrent-insert", "PostGIS faults (concurrent edits)", 2,
               {"ok": {**same["ok"], "absent": ["NEW"], "log": [IN_DATABASE]}}, runs=1,
               fault={"action": "edit", "sql": P_INSERT})
    # The same edits while the local engine runs on the tables (chosen, or for a user who may not write the
    # results), caught once both layers are read (progress 50 %): the output is the tables as the run read them.
    edits = {"update": P_UPDATE, "delete": P_DELETE, "insert": P_INSERT}
    for name, statements in edits.items():
        efficiency(f"postgis-efficiency-local-concurrent-{name}", "PostGIS faults (concurrent edits)", 1,
                   {"ok": {**same["ok"], **({"absent": ["NEW"]} if name == "insert" else {})}},
                   fault={"action": "edit", "at": 50, "sql": statements})
    efficiency("postgis-efficiency-read-only-concurrent-update", "PostGIS faults (concurrent edits)", 0,
               {"ok": {**same["ok"], "log": [LOCALLY]}}, parcels="{pg_ro:地块}", buildings="{pg_ro:建筑}",
               fault={"action": "edit", "at": 50, "sql": P_UPDATE})
    # A read-only role: automatic runs locally and says why; the database engine refuses, naming the user.
    ro = {"parcels": "{pg_ro:地块}", "buildings": "{pg_ro:建筑}"}
    efficiency("postgis-efficiency-read-only-automatic", "PostGIS faults (read-only role)", 0,
               {"ok": {**same["ok"], "log": [LOCALLY, "lb_ro may not write"]}}, **ro)
    efficiency("postgis-efficiency-read-only-database", "PostGIS faults (read-only role)", 2,
               error(*READ_ONLY), **ro)
    # No primary key on the parcels, no spatial index on the buildings.
    no_key = [pg_load(f, "地块", primary_key=False), pg_load(f, "建筑")]
    efficiency("postgis-efficiency-no-primary-key-automatic", "PostGIS faults (no key, no index)", 0,
               {"ok": {**same["ok"], "log": [LOCALLY, "no primary key"]}}, load=no_key)
    efficiency("postgis-efficiency-no-primary-key-database", "PostGIS faults (no key, no index)", 2,
               error(*NO_KEY), load=no_key)
    no_index = [pg_load(f, "地块"), pg_load(f, "建筑", spatial_index=False)]
    efficiency("postgis-efficiency-no-spatial-index-automatic", "PostGIS faults (no key, no index)", 0,
               {"ok": {**same["ok"], "log": [LOCALLY, "no spatial (GiST) index"]}}, load=no_index)
    efficiency("postgis-efficiency-no-spatial-index-database", "PostGIS faults (no key, no index)", 2,
               error(*NO_INDEX), load=no_index)
    efficiency("postgis-efficiency-no-spatial-index-consent", "PostGIS faults (no key, no index)", 2,
               {"ok": {**same["ok"], "log": [IN_DATABASE]}}, load=no_index, runs=1, CREATE_INDEX=True)
    # The suspected unit error in the database: the very grades of the local engine on the clean layer.
    c.add("postgis-efficiency-tax-unit-error", "numbers (unit errors)", EFF,
          {"PARCELS": "{pg:parcels}", "ENGINE": 2, **parcels_only}, ["e_tax_outlier.gpkg"],
          ok(key="地块编号", same_as={"case": "efficiency-tax-clean", "field": "grade", "except": ["YUAN"]},
             rows={"YUAN": {"reasons~": "unit error", "grade∅": True}}, log=["unit error", IN_DATABASE]),
          postgis={"load": [pg_load("e_tax_outlier.gpkg", "parcels")], "runs": 1})

    f = "p_projects.gpkg"
    write_layer(c.path(f), "征迁项目", R_FIELDS, [r_row(pid, i, date, households=households)
                                               for i, (pid, date, households) in enumerate(PG_PROJECTS)])

    def resettlement(case_id, klass, engine, expect, projects="{pg:征迁项目}", load=None, fault=None, runs=0):
        c.add(case_id, klass, RESET, {"INPUT": projects, "AS_OF": AS_OF, "ENGINE": engine,
                                      "OUTPUT": "{out}/out.gpkg"}, [f], expect,
              postgis={"load": load or [pg_load(f, "征迁项目")], **({"fault": fault} if fault else {}), "runs": runs})

    same = ok(key="项目编号", rows=PG_PROJECTS_EXPECTED, outputs={"OVERDUE_HOUSEHOLDS": 5, "SUMMARY.projects": 3})
    resettlement("postgis-resettlement-in-database", "PostGIS (works already, control)", 2,
                 {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1)
    resettlement("postgis-resettlement-killed-connection", "PostGIS faults (killed connection)", 2, error(*LOST),
                 fault={"action": "terminate"})
    resettlement("postgis-resettlement-killed-before-output", "PostGIS faults (killed connection)", 2, error(*LOST),
                 fault={"action": "terminate", "at": 90})  # graded, results and run log written
    resettlement("postgis-resettlement-concurrent-update", "PostGIS faults (concurrent edits)", 2,
                 {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1,
                 fault={"action": "edit", "sql": R_UPDATE})
    resettlement("postgis-resettlement-concurrent-delete", "PostGIS faults (concurrent edits)", 2,
                 {"ok": {**same["ok"], "log": [IN_DATABASE]}}, runs=1,
                 fault={"action": "edit", "sql": ["DELETE FROM {征迁项目} WHERE \"项目编号\" = 'H'"]})
    resettlement("postgis-resettlement-concurrent-insert", "PostGIS faults (concurrent edits)", 2,
                 {"ok": {**same["ok"], "absent": ["NEW"], "log": [IN_DATABASE]}}, runs=1,
                 fault={"action": "edit", "sql": R_INSERT})
    # Local engine, the edit once the projects are read and graded (progress 33 %).
    resettlement("postgis-resettlement-local-concurrent-update", "PostGIS faults (concurrent edits)", 1, same,
                 fault={"action": "edit", "at": 33, "sql": R_UPDATE})
    resettlement("postgis-resettlement-local-concurrent-insert", "PostGIS faults (concurrent edits)", 1,
                 {"ok": {**same["ok"], "absent": ["NEW"]}}, fault={"action": "edit", "at": 33, "sql": R_INSERT})
    resettlement("postgis-resettlement-read-only-automatic", "PostGIS faults (read-only role)", 0,
                 {"ok": {**same["ok"], "log": [LOCALLY, "lb_ro may not write"]}}, projects="{pg_ro:征迁项目}")
    resettlement("postgis-resettlement-read-only-database", "PostGIS faults (read-only role)", 2,
                 error(*READ_ONLY), projects="{pg_ro:征迁项目}")
    no_key = [pg_load(f, "征迁项目", primary_key=False)]
    resettlement("postgis-resettlement-no-primary-key-automatic", "PostGIS faults (no key, no index)", 0,
                 {"ok": {**same["ok"], "log": [LOCALLY, "no primary key"]}}, load=no_key)
    resettlement("postgis-resettlement-no-primary-key-database", "PostGIS faults (no key, no index)", 2,
                 error(*NO_KEY), load=no_key)

    # The upstairs check has no in-database engine: plans in a shared table are read locally, the edit once they
    # are read (progress 10 %). P fails the FAR rule with 19,999 m² of floor area on 1 ha; the other user raises it
    # to 30,000 m² and adds a plan: the output shows what was judged.
    f = "u_value_far_below.gpkg"
    for name, statements, absent in (
            ("update", ["UPDATE {plans} SET \"建筑面积\" = '30000' WHERE \"方案编号\" = 'P'"], None),
            ("insert", ["INSERT INTO {plans} (id, \"方案编号\", \"建筑面积\", geom) "
                        "SELECT 99, 'NEW', '1000', geom FROM {plans} WHERE \"方案编号\" = 'P'"], ["NEW"])):
        c.add(f"postgis-upstairs-concurrent-{name}", "PostGIS faults (concurrent edits)", UP,
              {"INPUT": "{pg:plans}", "OUTPUT": "{out}/out.gpkg", "PROFILE": src("u_attribute_rules.json")},
              [f, "u_attribute_rules.json"],
              ok(key="方案编号", rows={"P": {"passed": 0, "建筑面积": "19999", "rule:far": "not passed"},
                                      "OK": {"passed": 1}}, outputs={"PLANS": 2, "FAILED": 1}, absent=absent),
              postgis={"load": [pg_load(f, "plans")], "fault": {"action": "edit", "at": 10, "sql": statements},
                       "runs": 0})


def main(root: str) -> int:
    corpus = Corpus(Path(root))
    resettlement_cases(corpus)
    efficiency_cases(corpus)
    upstairs_cases(corpus)
    print_cases(corpus)
    supply_cases(corpus)
    postgis_cases(corpus)
    corpus.save()
    if __name__ == "__main__":
        print(f"{len(corpus.cases)} cases in {root}/cases.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/corpus"))
