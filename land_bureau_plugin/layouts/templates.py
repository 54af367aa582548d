"""The bundled layout templates (resources/layouts/*.qpt) and the item ids the builder fills.

The templates are made by scripts/make_layouts.py; a user's own .qpt works too when it uses the same item ids
(any it lacks is skipped, so a template without a table prints a map without a table)."""
from __future__ import annotations

from pathlib import Path

from ..errors import LandBureauError
from ..i18n import tr
from ..resources_path import resources_dir

# Item ids (QgsLayoutItem.id(); for tables the id of their frame).
TITLE = "title"
SUBTITLE = "subtitle"
MAP = "map"
LEGEND = "legend"
SCALEBAR = "scalebar"
NORTH_ARROW = "north_arrow"
SUMMARY_HEADING = "summary_heading"
SUMMARY = "summary"
TABLE_HEADING = "table_heading"
TABLE = "table"
TABLE_NOTE = "table_note"
FOOTER_ORG = "footer_org"
FOOTER_DATE = "footer_date"
FOOTER_PAGE = "footer_page"

WIDTH_PROPERTY = "land_bureau/width_mm"  # on table frames: the width the table may fill

BUNDLED = ("a3_landscape", "a4_portrait")
DEFAULT = "a3_landscape"
NORTH_ARROW_SVG = "arrows/NorthArrow_02.svg"  # in QGIS's own SVG library (svgPaths), e.g. /usr/share/qgis/svg


class TemplateError(LandBureauError):
    """A template that cannot be used, with a translated message naming it."""


def layouts_dir() -> Path:
    return resources_dir() / "layouts"


def template_path(name_or_path: str | None) -> Path:
    """A bundled template by name (a3_landscape, a4_portrait) or a .qpt file path; TemplateError if missing."""
    text = (name_or_path or DEFAULT).strip()
    if text in BUNDLED:
        path = layouts_dir() / f"{text}.qpt"
    else:
        path = Path(text).expanduser()
    if not path.is_file():
        raise TemplateError(tr("Layout template not found: {path} (bundled templates: {names})").format(
            path=str(path), names=", ".join(BUNDLED)))
    return path


def fallback_north_arrow() -> Path:
    """The plugin's own north arrow, used when QGIS's SVG library is not where the template expects it."""
    return layouts_dir() / "north_arrow.svg"
