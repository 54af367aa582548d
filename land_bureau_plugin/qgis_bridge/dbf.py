"""The layout of a shapefile's DBF (dBase III): what the plugin reads from its bytes itself, where GDAL's reading
is not enough — the encoding of its text (qgis_bridge.encoding) and the text in its number fields
(qgis_bridge.stored_text). Qt-free."""
from __future__ import annotations

from typing import NamedTuple


class DbfField(NamedTuple):
    """A field descriptor: its name (bytes, in the file's encoding), type letter ("C" text, "N"/"F" numbers …),
    offset in a record (after the deletion flag) and width in bytes."""

    name: bytes
    kind: str
    offset: int
    size: int


class DbfLayout(NamedTuple):
    records: int  # as the header says (a cut file may hold fewer)
    header: int  # bytes before the first record
    width: int  # bytes per record
    fields: list[DbfField]


def dbf_layout(head: bytes) -> DbfLayout:
    """The layout a DBF's first bytes `head` describe (the whole header, or as much of it as was read): the field
    descriptors follow the 32-byte file header, 32 bytes each, until 0x0D."""
    header, width = int.from_bytes(head[8:10], "little"), int.from_bytes(head[10:12], "little")
    fields, offset = [], 1  # a record starts with its deletion flag
    for start in range(32, min(header, len(head)) - 31, 32):
        descriptor = head[start:start + 32]
        if descriptor[0] == 0x0D:
            break
        fields.append(DbfField(descriptor[:11].split(b"\x00")[0], chr(descriptor[11]), offset, descriptor[16]))
        offset += descriptor[16]
    return DbfLayout(int.from_bytes(head[4:8], "little"), header, width, fields)
