"""A shapefile as a Chinese district office's export arrives: written in GBK, GB18030 or Big5, then its .cpg gone (or
saying something wrong) and its DBF's language driver byte cleared, so nothing but the bytes of its text tells the
encoding. One helper for every test that needs such a file (tests/qgis/test_encodings.py, the e2e farmland data,
the bad-input corpus). Standard library only: the corpus is generated wherever QGIS runs."""
from __future__ import annotations

from pathlib import Path

LANGUAGE_DRIVER = 29  # the DBF header byte naming the code page; 0 names none


def as_office_sends_it(shp, cpg: str | None = None) -> str:
    """The shapefile `shp` (already written) with its .cpg removed — or replaced by one saying `cpg` (a wrong one, or
    a bare code page) — and the DBF's language driver byte set to 0. Returns the .shp path as text."""
    path = Path(shp)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    with open(path.with_suffix(".dbf"), "r+b") as dbf:
        dbf.seek(LANGUAGE_DRIVER)
        dbf.write(b"\x00")
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return str(path)
