"""Text encoding of shapefiles: offices send GBK-encoded DBFs without a .cpg, which read as mojibake when
taken for UTF-8 or Latin-1. The DBF bytes tell: valid UTF-8 stays UTF-8, otherwise GB18030 (a superset of GBK)."""
from __future__ import annotations

from pathlib import Path

ENCODINGS = ("UTF-8", "GBK", "GB18030", "Big5", "System")
SAMPLE_BYTES = 256 * 1024


def declared_encoding(shp_path: str) -> str | None:
    """The encoding a .cpg next to the shapefile declares, if any."""
    cpg = Path(shp_path).with_suffix(".cpg")
    if not cpg.is_file():
        return None
    text = cpg.read_text(encoding="ascii", errors="ignore").strip()
    return text or None


def guess_dbf_encoding(shp_path: str) -> str | None:
    """'UTF-8' or 'GBK' judged from the DBF's bytes; None when the text is plain ASCII or the DBF is missing."""
    dbf = Path(shp_path).with_suffix(".dbf")
    if not dbf.is_file():
        return None
    data = dbf.read_bytes()[:SAMPLE_BYTES]
    if all(b < 0x80 for b in data[32:]):
        return None
    try:
        data.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a multi-byte character cut by the sample's end
            return "UTF-8"
    return "GBK"
