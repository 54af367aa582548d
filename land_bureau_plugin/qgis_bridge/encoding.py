"""Text encoding of shapefiles: offices send GBK-, GB18030- or Big5-encoded DBFs without a .cpg (or with a .cpg
that says UTF-8 or a Western code page), which read as mojibake or U+FFFD when taken for what they are not.

The DBF bytes tell: valid UTF-8 stays UTF-8; otherwise a double-byte Chinese encoding, told apart by what the
bytes decode to — simplified text in GBK is almost only GB2312 characters, while Big5 bytes read as GBK give rare
ones (Big5's second bytes 0x40–0x7E fall outside GB2312). Four-byte sequences make it GB18030. Qt-free: the
decisions are on bytes; qgis_bridge.layers applies them to layers.
"""
from __future__ import annotations

from pathlib import Path

from .dbf import dbf_layout

ENCODINGS = ("UTF-8", "GBK", "GB18030", "Big5", "System")
SAMPLE_BYTES = 256 * 1024
GB2312_SHARE = 0.9  # of the non-ASCII characters when GBK bytes are read as GBK: simplified text is ~99 %

# What a .cpg may say, as the encoding family it means (the ESRI code page numbers and the usual names).
_CPG_NAMES = {"65001": "UTF-8", "UTF8": "UTF-8", "UTF-8": "UTF-8", "936": "GBK", "CP936": "GBK", "GBK": "GBK",
              "GB2312": "GBK", "GB18030": "GB18030", "54936": "GB18030", "950": "Big5", "CP950": "Big5",
              "BIG5": "Big5", "BIG-5": "Big5"}


def declared_encoding(shp_path: str) -> str | None:
    """The encoding a .cpg next to the shapefile declares, if any."""
    cpg = Path(shp_path).with_suffix(".cpg")
    if not cpg.is_file():
        return None
    text = cpg.read_text(encoding="ascii", errors="ignore").strip()
    return text or None


def dbf_texts(shp_path: str) -> list[bytes] | None:
    """The field names and the text (C) values of the first records of the shapefile's DBF, as bytes; None when
    there is no DBF. Each is judged on its own: a name or value cut at its width may end in half a character."""
    dbf = Path(shp_path).with_suffix(".dbf")
    if not dbf.is_file():
        return None
    with open(dbf, "rb") as handle:
        data = handle.read(SAMPLE_BYTES)
    if len(data) < 32:
        return []
    layout = dbf_layout(data)
    texts = [field.name for field in layout.fields]
    columns = [(field.offset, field.size) for field in layout.fields if field.kind == "C"]
    if layout.width > 0:
        for record in range(layout.header, len(data) - layout.width + 1, layout.width):
            texts += [data[record + o:record + o + width].strip(b" \x00") for o, width in columns]
    return [t for t in texts if t]


def _decodes(chunk: bytes, codec: str) -> bool:
    """Whether the bytes are valid in the codec; a multi-byte character cut at the end does not count."""
    try:
        chunk.decode(codec)
        return True
    except UnicodeDecodeError as exc:
        return exc.end >= len(chunk) and exc.start > 0 and _decodes(chunk[:exc.start], codec)


def _decoded(chunks: list[bytes], codec: str) -> str:
    return "\n".join(c.decode(codec, errors="ignore") for c in chunks)


def guess_bytes_encoding(chunks: list[bytes]) -> str | None:
    """'UTF-8', 'GBK', 'GB18030' or 'Big5' for pieces of text; None when they are plain ASCII."""
    chunks = [c for c in chunks if any(b >= 0x80 for b in c)]
    if not chunks:
        return None
    if all(_decodes(c, "utf-8") for c in chunks):
        return "UTF-8"
    gb, big5 = all(_decodes(c, "gb18030") for c in chunks), all(_decodes(c, "cp950") for c in chunks)
    if big5 and not gb:
        return "Big5"
    if gb and big5:
        wide = [c for c in _decoded(chunks, "gbk") if ord(c) > 0x7F]
        in_gb2312 = sum(1 for c in wide if _encodes(c, "gb2312"))
        if wide and in_gb2312 / len(wide) < GB2312_SHARE:
            return "Big5"
    return "GBK" if all(_decodes(c, "gbk") for c in chunks) else "GB18030"


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


def guess_dbf_encoding(shp_path: str) -> str | None:
    """The encoding the shapefile's DBF text is in (guess_bytes_encoding); None when ASCII or no DBF."""
    texts = dbf_texts(shp_path)
    return guess_bytes_encoding(texts) if texts else None


def declared_family(declared: str | None) -> str | None:
    """What a .cpg's text means among ENCODINGS ('936' → 'GBK'); None when empty; itself when not Chinese."""
    if not declared:
        return None
    return _CPG_NAMES.get(declared.strip().upper(), declared.strip())


def shapefile_encoding(shp_path: str) -> tuple[str, str] | None:
    """(encoding to read the shapefile with, why) when its .cpg is missing or wrong for its bytes; None when the
    .cpg is right or the text is plain ASCII. `why` is "missing" or the .cpg's text. The bytes win over a .cpg
    that says otherwise (UTF-8 or 1252 on GBK bytes is common; GBK on GB18030 bytes is the same family)."""
    if not str(shp_path).lower().endswith(".shp"):
        return None
    detected = guess_dbf_encoding(shp_path)
    if detected is None:
        return None
    declared = declared_encoding(shp_path)
    family = declared_family(declared)
    if family == detected or (family == "GB18030" and detected == "GBK"):
        return None
    return detected, declared or "missing"
