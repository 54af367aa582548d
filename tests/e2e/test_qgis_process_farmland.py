"""landbureau:farmlandbalance through qgis_process with the packaged zip (zh-Hans) on a ledger it has never seen
(farmland_hidden: a GBK shapefile in EPSG:4490 without .cpg, traditional field names, areas in 公顷 / 亩 / m²,
placeholders, a CSV of transfers), no field maps given: every county-year balance, every check and the summary
against figures computed independently by loops and shapely."""
import hashlib
import json
import shutil

import farmland_hidden as hidden
import pytest
from test_qgis_process import run_packaged

pytestmark = pytest.mark.skipif(not shutil.which("qgis_process.bin"), reason="qgis_process.bin not installed")

INDICATORS = ("mu", "paddy_mu", "capacity_kg")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The hidden layers on disk, and the qgis_process arguments naming them."""
    tmp_path = tmp_path_factory.mktemp("farmland")
    occupations = hidden.write_occupations(tmp_path / "占用耕地.shp")
    gpkg = tmp_path / "补充耕地.gpkg"
    hidden.write_geopackage(gpkg)
    transfers = hidden.write_transfers(tmp_path / "指标调剂.csv")
    inputs = [f"OCCUPATIONS={occupations}", f"SUPPLEMENTS={gpkg}|layername=补充耕地项目", f"TRANSFERS={transfers}",
              f"BASIC_FARMLAND={gpkg}|layername=永久基本农田", f"REDLINE={gpkg}|layername=生态保护红线",
              f"CONSTRUCTION={gpkg}|layername=现状建设用地"]
    return tmp_path, inputs


@pytest.fixture(scope="module")
def run(written):
    tmp_path, inputs = written
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in tmp_path.iterdir() if path.is_file()}
    out = tmp_path / "out"
    out.mkdir()
    arguments = [*inputs, "PERIOD=0", f"LEDGER={out / 'ledger.gpkg'}", f"CHECKS={out / 'checks.gpkg'}",
                 f"FLOWS={out / 'flows.gpkg'}", f"LEDGER_XLSX={out / '耕地占补平衡台账.xlsx'}"]
    results, log = run_packaged(tmp_path, "landbureau:farmlandbalance", arguments, with_log=True)
    after = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in before}
    return {"results": results, "log": log, "out": out, "unchanged": before == after}


def features(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "layer", "ogr")
    assert layer.isValid(), path
    return list(layer.getFeatures())


def compare_ledger(rows, expected):
    assert sorted(rows) == sorted(expected)
    for key, want in expected.items():
        got = rows[key]
        for flow in ("occupied", "supplemented", "received", "given", "balance", "shortfall"):
            for ind in INDICATORS:
                name = f"{flow}_{ind}"
                assert got[name] == pytest.approx(want[name], abs=1e-4), (key, name)
        assert got["status"] == want["status"], key


def test_every_county_quarter_balance_as_computed_by_hand(written):
    """PERIOD=1: 2022Q1 (the first acceptance) to 2025Q2 (the reserve's transfer), every county in every quarter,
    the balance carried through quarters without a flow."""
    tmp_path, inputs = written
    out = tmp_path / "quarters.gpkg"
    run_packaged(tmp_path, "landbureau:farmlandbalance", [*inputs, "PERIOD=1", f"LEDGER={out}"])
    rows = {(f["county"], f["period"]): f for f in features(out)}
    expected = hidden.expected_ledger("quarter")
    assert len({label for _county, label in expected}) == 14
    compare_ledger(rows, expected)
    assert rows[("临安区", "2023Q3")]["status"] == "deficit"  # O-LA-3 in August: 4,600 kg short
    assert rows[("临安区", "2024Q2")]["status"] == "balanced"  # S-LA-2's 20 t in May


def test_every_county_year_balance_as_computed_by_hand(run):
    expected = hidden.expected_ledger()
    rows = {(f["county"], f["period"]): f for f in features(run["out"] / "ledger.gpkg")}
    compare_ledger(rows, expected)
    assert run["unchanged"]


def test_every_check_as_computed_by_hand(run):
    expected = hidden.expected_checks()
    got = {}
    for f in features(run["out"] / "checks.gpkg"):
        key = (f["check"], f["project_id"]) + ((f["other_layer"],) if f["check"] == "supplement_on_protected" else ())
        assert key not in got, key
        got[key] = f
    assert sorted(got) == sorted(expected)
    for key, want in expected.items():
        row = got[key]
        check = key[0]
        if check == "cap_exceeded":
            for ind, value in zip(INDICATORS, want):
                if value is None:
                    assert not isinstance(row[f"excess_{ind}"], float), (key, ind)  # NULL: not exceeded
                else:
                    assert row[f"excess_{ind}"] == pytest.approx(value, abs=1e-4), (key, ind)
        elif check == "supplement_after_occupation":
            if want["other"].startswith("transfer from "):
                assert row["other_layer"] == "transfers", key
                assert want["other"].removeprefix("transfer from ") in row["reason"], key
            else:
                assert row["other_project"] == want["other"], key
            assert row["other_date"].toString("yyyy-MM-dd") == want["other_day"], key
            for ind, value in zip(INDICATORS, want["late"]):
                assert row[f"late_{ind}"] == pytest.approx(value, abs=1e-4), (key, ind)
            assert row["area_mu"] == pytest.approx(want["late"][0], abs=1e-4), key
        elif check == "supplement_overlap":
            assert row["other_project"] == want["other"], key
            assert row["area_m2"] == pytest.approx(want["area"], abs=0.01), key
        else:
            assert row["area_m2"] == pytest.approx(want, abs=0.05), key
    # what each row concerns, printed in Chinese: a capacity-only excess is no "0.00 亩", a 1.5 m² overlap neither
    assert got[("cap_exceeded", "O-JD-1")]["amounts"] == "产能 13,500 公斤"
    assert got[("cap_exceeded", "O-TL-1")]["amounts"] == "耕地 3.00 亩、水田 10.00 亩、产能 900 公斤"
    assert got[("supplement_after_occupation", "O-LA-4")]["amounts"] == "耕地 9.00 亩、产能 8,100 公斤"
    assert got[("supplement_overlap", "S-TL-3")]["amounts"] == "1.5 m²"
    assert got[("supplement_overlap", "S-CA-2")]["amounts"] == "7.50 亩"
    assert "省级统筹库" in got[("supplement_after_occupation", "O-JD-1")]["reason"]  # zh: 从 省级统筹库 调入


def test_summary_in_the_bureaus_units(run):
    summary = json.loads(run["results"]["SUMMARY"])
    occupied = sum(hidden.occupation_figures(o)[0] for o in hidden.OCCUPATIONS)
    supplemented = sum(hidden.supplement_figures(s)[0] for s in hidden.SUPPLEMENTS)
    assert summary["occupied_mu"] == pytest.approx(occupied, abs=1e-4)
    assert summary["supplemented_mu"] == pytest.approx(supplemented, abs=1e-4)
    assert set(summary["deficit"]) == {"桐廬縣"}  # 建德市's capacity covered in 2025 by the reserve
    assert summary["transfers_only"] == [hidden.RESERVE]
    # funds: 60 亩 × 40 万元; 8,000,000 元 = 800 万元; 100 亩 × 1 万元; 28,000,000 元 = 2,800 万元 (given funds win)
    assert summary["transfers"]["cultivated"]["funds"] == pytest.approx(2400 + 2800 + 500)
    assert summary["transfers"]["forest"]["funds"] == pytest.approx(800)
    assert summary["transfers"]["grain_zone"]["funds"] == pytest.approx(100)
    assert run["results"]["DEFICIT_COUNTIES"] == 1


def test_the_log_says_what_was_assumed(run):
    """In Chinese (zh-Hans profile): the capacity table is a local default, the placeholders read as empty, the
    county only transfers name — each said, none silent."""
    log = run["log"]
    assert "本地默认值" in log and "(16 − 等别) × 100 公斤/亩" in log and "farmland_balance.capacity_per_mu" in log
    assert "STMJ(亩)" in log and "无、—" in log and "无水田（0 亩）" in log
    assert hidden.RESERVE in log and "不判定其平衡状态" in log
    assert "GBK" in log and "EPSG:4549" in log  # the encoding detected, the zone the degrees were measured in


def test_the_workbook_has_units_in_its_headers_and_numbers_as_numbers(run):
    from openpyxl import load_workbook

    sheet = load_workbook(run["out"] / "耕地占补平衡台账.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert {"占用耕地(亩)", "补充水田(亩)", "累计结余产能(公斤)", "缺口产能(公斤)"} <= set(header)
    by_key = {(r[header.index("县（市、区）")], r[header.index("期间")]): dict(zip(header, r)) for r in rows[1:]}
    expected = hidden.expected_ledger()
    assert sorted(by_key) == sorted(expected)
    for key, want in expected.items():
        got = by_key[key]
        assert isinstance(got["累计结余耕地(亩)"], (int, float)), key  # a number, not text
        assert got["累计结余耕地(亩)"] == pytest.approx(want["balance_mu"], abs=1e-4), key
        assert got["累计结余产能(公斤)"] == pytest.approx(want["balance_capacity_kg"], abs=1e-2), key
    assert by_key[("桐廬縣", "2025")]["平衡状态"] == "缺口" and by_key[("建德市", "2025")]["平衡状态"] == "平衡"
    assert by_key[(hidden.RESERVE, "2025")]["平衡状态"] == "仅有调剂（未判定）"
