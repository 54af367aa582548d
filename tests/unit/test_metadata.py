"""metadata.txt is what the plugin repository and QGIS's plugin manager show: it must admit QGIS 4 (Qt 6), name
every panel of the README's table, carry a changelog entry for its version and no made-up contact addresses."""
import configparser
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def metadata() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return dict(parser["general"])


def readme_panels() -> list[tuple[str, str, str]]:
    """(Chinese name, English name, algorithm id or '') of each row of the README's panel table."""
    rows = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (\S+) / ([^|(]+?) (?:\([^|]*\) )?\| (?:`([a-z:]+)`|—) \|", line)
        if match:
            rows.append((match[1], match[2], match[3] or ""))
    return rows


def test_qgis_4_and_qt6_admitted():
    meta = metadata()
    assert meta["qgisminimumversion"] == "3.22"
    assert meta["qgismaximumversion"] == "4.99"
    assert meta["supportsqt6"] == "True"


def test_every_panel_is_described():
    meta = metadata()
    panels = readme_panels()
    assert len(panels) == 8, panels  # load, resettlement, supply, low efficiency, upstairs, farmland, living, print
    for chinese, english, algorithm in panels:
        assert chinese in meta["about"] and english.lower() in meta["about"].lower(), (chinese, english)
        assert chinese in meta["description"], chinese
        assert algorithm in meta["about"], algorithm


def test_changelog_starts_with_this_version():
    meta = metadata()
    entries = [line.split()[0] for line in meta["changelog"].strip().splitlines()]
    assert entries[0] == meta["version"] == "0.3.0"
    assert entries == sorted(set(entries), key=lambda v: tuple(map(int, v.split("."))), reverse=True)


def test_no_placeholder_contacts():
    """Addresses nobody reads are worse than none: each URL field, when present, is a real http(s) address."""
    text = (ROOT / "metadata.txt").read_text(encoding="utf-8")
    assert not re.search(r"example\.(org|com|net)|land-bureau/land_bureau_plugin", text)
    for key in ("homepage", "tracker", "repository"):
        if key in metadata():
            assert re.match(r"https?://[^\s/]+\.[^\s/]+/", metadata()[key]), key


def test_license_is_gpl2_or_later_and_packaged(tmp_path):
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in license_text and "Version 2, June 1991" in license_text
    assert "GPL-2.0-or-later" in (ROOT / "README.md").read_text(encoding="utf-8")  # "or later" is said there
    if not list((ROOT / "i18n").glob("*.qm")):
        subprocess.run(["lrelease", "-silent", str(ROOT / "i18n" / "land_bureau_plugin_zh_CN.ts")], check=True)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "package.py"), str(tmp_path)],
                          capture_output=True, text=True, check=True)
    target = Path(done.stdout.strip())
    assert target.name == f"land_bureau_plugin-{metadata()['version']}.zip"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert {"land_bureau_plugin/LICENSE", "land_bureau_plugin/metadata.txt",
                "land_bureau_plugin/__init__.py"} <= names
        assert archive.read("land_bureau_plugin/LICENSE").decode("utf-8") == license_text
