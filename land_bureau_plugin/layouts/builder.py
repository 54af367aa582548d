"""Fill a layout template for a print theme: title and subtitle, the map on the analysed extent with only the given
layers in the legend, scale bar in 米/千米, north arrow, summary figures, the top-N table of flagged items, footer.

With a coverage layer the layout is an atlas (one page per district, project or plan): QGIS moves the map, and
the `PageFiller` fills table and figures with the items inside each page's feature, so the pages also change
when the layout is previewed in the layout designer.

Layers are only read. The layout belongs to the given project (QgsProject.instance() to open it in the designer,
a private QgsProject for a headless export)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsGeometry,
    QgsLayerTreeLayer,
    QgsLayoutFrame,
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProviderRegistry,
    QgsReadWriteContext,
    QgsRectangle,
    QgsSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtGui import QImage, QPainter
from qgis.PyQt.QtXml import QDomDocument

from ..errors import LandBureauError
from ..i18n import tr
from ..qgis_bridge.fieldmaps import field_map_of
from ..qgis_bridge.layers import field_names, planar_crs_for, read_columns
from . import district_names, layer_roles, overlays, second_table, table_item, tables, visibility
from . import templates as ids
from .fonts import ensure_cjk_font, keep_text_searchable
from .themes import LEGEND_VALUES_KEY, PRINT_NOTE_KEY, PRINT_ROWS_KEY, PRINT_SOURCES_KEY, Theme

ORGANISATION_KEY = "land_bureau/organisation"
DEFAULT_ORGANISATION = "规划和自然资源局"
SUMMARY_GAP = 4.0  # mm between the figures and the heading of the table below them
MIN_FIT = 0.6  # a one-line label's font shrinks to this share of the template's size at most
NO_MARKER_NOTE = "第{rows}项无图形，图上未标注"  # table rows the map cannot number (a plan without geometry)
NO_ROOM_NOTE = "{title}共 {n} 项，本页篇幅不足未逐项列出（见 A3 图或导出的表格）"
NOTE_ROOM = 22.0  # mm kept for the table's note (total, 依据) above a summary table
SUMMARY_LEND = 0.45  # the share of the table frame's height the figures per district may take when they need it
LEGEND_GAP = 1.0  # mm kept between the legend and the page's edge
BELOW_LEGEND_GAP = 3.0  # mm kept between the legend and the item below it (A4: the figures' heading)
MAX_LEGEND_COLUMNS = 6
KM_FROM_METRES = 2000  # a scale bar longer than this many metres is labelled in 千米
# Field names of ArcGIS / shapefile object ids: the printed id when the result has no mapped id field.
OBJECT_ID_FIELDS = ("objectid", "objectid_1", "object_id", "fid", "oid", "fid_1", "ogc_fid")
FEATURE_ID_NOTE = "编号为要素ID"


class LayoutError(LandBureauError):
    """A layout that cannot be built or exported, with a translated message (one of the plugin's errors, so the
    panels and Processing show it like every other refusal)."""


def organisation() -> str:
    """The organisation printed in the footer (plugin setting; default 规划和自然资源局)."""
    return QgsSettings().value(ORGANISATION_KEY, DEFAULT_ORGANISATION, type=str) or DEFAULT_ORGANISATION


def set_organisation(name: str) -> None:
    QgsSettings().setValue(ORGANISATION_KEY, name.strip() or DEFAULT_ORGANISATION)


@dataclass
class PrintRequest:
    """What to print. `layers[0]` is the analysed result; the others are context (drawn below, in the legend)."""

    theme: Theme
    layers: list
    template: str = ids.DEFAULT
    as_of: dt.date | None = None
    title: str = ""
    data_source: str = ""
    top_n: int | None = None
    atlas_layer: QgsVectorLayer | None = None
    atlas_field: str = ""
    organisation: str = ""
    note: str = ""  # in the subtitle: the land-use code system of the run (themes.summary_note); "" = the layer's
    sources: str = ""  # under the table: what the run's rules rest on (themes.sources_note); "" = the layer's
    rows: list = field(default_factory=list)  # a second table's rows from the run (themes.summary_rows); [] = the
    # layer's (PRINT_ROWS_KEY)
    warnings: list = field(default_factory=list)


def build_layout(project, request: PrintRequest, name: str = "") -> QgsPrintLayout:
    """A filled QgsPrintLayout of `project`; LayoutError for a missing template or a layer that is no result of
    the theme. Warnings (no CJK font, north arrow not found) are appended to `request.warnings`."""
    if not request.layers:
        raise LayoutError(tr("No layer to print"))
    analysed = request.layers[0]
    warning = ensure_cjk_font()
    if warning:
        request.warnings.append(warning)
    layout = QgsPrintLayout(project)
    _load_template(layout, request.template)
    keep_text_searchable(layout)
    layout.setName(name or request.theme.title)
    columns = read_theme_columns(analysed, request.theme)
    id_note = theme_fields(analysed, request.theme)[1]
    roles = [layer_roles.print_role(layer, n == 0) for n, layer in enumerate(request.layers)]
    # context that only outlines (districts, the development boundary) is drawn above the result's fills
    roles = [layer_roles.above_result(role) if n and visibility.outlines_only(layer) else role
             for n, (layer, role) in enumerate(zip(request.layers, roles))]
    hidden: set = set()

    map_item = _item(layout, ids.MAP, QgsLayoutItemMap)
    sources = request.sources or str(analysed.customProperty(PRINT_SOURCES_KEY) or "").strip()
    rows = request.rows or _saved_rows(analysed)
    filler = PageFiller(layout, request.theme, columns.frame, columns.geometries, analysed, request.top_n,
                        request.layers[1:], id_note, sources, rows)
    if map_item is not None:
        drawn = layer_roles.ordered(request.layers, roles)  # what was found above what it was found in
        crs = map_crs(analysed)
        map_item.setCrs(crs)
        extent = _extent(request.layers, crs)
        if extent is not None:
            _zoom(map_item, extent)
            # context wholly under opaque fills: nothing of it on the page, so neither on the map nor in the legend
            hidden = visibility.hidden(drawn, {layer.id() for layer in request.layers[1:]}, crs, map_item.extent(),
                                       map_item.scale())
            for layer in request.layers[1:]:
                if layer.id() in hidden:
                    request.warnings.append(tr(
                        "Layer {layer} lies wholly under the filled features drawn above it on this map: left off "
                        "the map and out of the legend").format(layer=layer.name()))
        map_item.setLayers(filler.overlay_layers(request.atlas_layer is not None)
                           + [layer for layer in drawn if layer.id() not in hidden])
        _block_labels(layout, map_item)
    _fill_texts(layout, request, analysed)
    for item_id in (ids.TITLE, ids.SUBTITLE):  # a long title wrapped to a second line above the page's top edge
        _fit_on_one_line(layout, item_id, filler.measure)
    _make_room_for_legend(filler, _fill_legend(layout, request, roles, hidden))
    if map_item is not None and request.atlas_layer is None and _clear_furniture(layout, map_item, request.layers):
        # the map zoomed out to keep the result from under the legend: what shows may have changed
        again = visibility.hidden(drawn, {layer.id() for layer in request.layers[1:]}, crs, map_item.extent(),
                                  map_item.scale())
        if again != hidden:
            hidden = again
            map_item.setLayers(filler.overlay_layers(False) + [layer for layer in drawn if layer.id() not in hidden])
            _make_room_for_legend(filler, _fill_legend(layout, request, roles, hidden))
    _check_north_arrow(layout, request)
    if request.atlas_layer is not None:
        _set_atlas(layout, request, filler)
    filler.fill()
    return layout


LIVE_FILLERS: set = set()  # the page fillers of layouts that exist (see PageFiller)


class PageFiller(QObject):
    """Fills figures and table for the whole result or, on an atlas page, for the items inside its feature.

    A child of the layout, so Qt deletes it with the layout. Its Python side is held by LIVE_FILLERS until the
    layout is destroyed: a Qt child's Python object lives only as long as its parent's Python wrapper, and a layout
    kept by the project's layout manager (the designer) outlives its wrapper."""

    @property
    def layout(self):
        """The layout, reached through the Qt parent and never held in a Python attribute: a Qt child with a Python
        subclass is kept alive by its parent, so a reference back would keep the layout alive for ever. Such a
        leaked layout outlives the project it points to, and on QGIS 3.40+ its legend's queued resize then reads
        that deleted project: qgis_process crashed at exit (segmentation fault) after writing the PDF. Once the
        layout's own Python wrapper is gone (a layout kept by the project's layout manager for the designer), Qt
        hands the parent back as a plain QGraphicsScene: cast it."""
        parent = self.parent()
        return parent if isinstance(parent, QgsPrintLayout) else sip.cast(parent, QgsPrintLayout)

    def __init__(self, layout, theme: Theme, frame, geometries, analysed, top_n, context_layers=(), id_note="",
                 sources="", summary_rows=()):
        super().__init__(layout)
        LIVE_FILLERS.add(self)
        layout.destroyed.connect(partial(LIVE_FILLERS.discard, self))
        import shapely

        self.theme, self.frame, self.top_n, self.id_note, self.sources = theme, frame, top_n, id_note, sources
        self.crs = analysed.crs()
        self.points = shapely.point_on_surface(geometries) if geometries is not None else None
        self.widths = {ids.SUMMARY: _table_width(layout, ids.SUMMARY, ids.SUMMARY_HEADING),
                       ids.TABLE: _table_width(layout, ids.TABLE, ids.TABLE_HEADING)}
        self.measure = table_item.TextMeasure(layout)
        note = _item(layout, ids.TABLE_NOTE, QgsLayoutItemLabel)
        self.note_y = note.positionWithUnits().y() if note is not None else 0.0
        self.note_size = note.sizeWithUnits() if note is not None else None
        self.note_limit = _room_below(layout, note)  # how far down the note may reach (mm), None: anywhere
        self.table_room = 0.0  # mm of the table frame given up so that the note above the footer fits
        self.summary_box, self.below_summary = _summary_geometry(layout)
        self.numbers = overlays.number_layer(self.crs)
        self.veil = overlays.veil_layer(self.crs)
        self.names = district_names.names_layer(context_layers, self.crs)
        self.page = None  # the atlas page's geometry in the result's CRS (shapely), None for the whole map
        self.summary_rows = list(summary_rows)
        self.second_in_main = False  # the run's own table printed in the main table's place (no room for both)
        self.second = self._second_table(layout, context_layers)

    def overlay_layers(self, atlas: bool) -> list:
        """Drawn above the printed layers: the row numbers, the district names of district outline layers, and
        on atlas pages the veil outside the page."""
        names = [self.names] if self.names is not None else []
        return [self.numbers] + names + ([self.veil] if atlas else [])

    def room_below_legend(self, overflow: float) -> None:
        """The figures' heading and frame, the table's heading and frame `overflow` mm lower than the template has
        them, the table's frame as much shorter (its bottom, the note and the footer stay): a legend of many
        entries that no number of columns fits above the figures (A4, the land supply map)."""
        for item_id in (ids.SUMMARY_HEADING, ids.SUMMARY):
            item = self.layout.itemById(item_id)
            if item is not None:
                point = item.positionWithUnits()
                item.attemptMove(QgsLayoutPoint(point.x(), point.y() + overflow, point.units()))
        top, height = self.summary_box
        self.summary_box = (top + overflow, height)
        self.below_summary = {item_id: (x, y + overflow, height - overflow if item_id == ids.TABLE else height)
                              for item_id, (x, y, height) in self.below_summary.items()}
        self._move_table_up(0.0)

    def fill(self, mask=None) -> None:
        self.table_room = 0.0
        for _ in range(NOTE_TRIES):
            overflow = self._fill_once(mask)
            if overflow <= 0:
                return
            self.table_room += overflow  # fewer table rows, so the note ends above the footer

    def _fill_once(self, mask=None) -> float:
        """Fill figures, table, note and markers; returns how far (mm) the note reaches past the items below it
        (the footer), 0 when it fits. A note of three lines of 依据 on A4 ran over the footer's rule."""
        note_item = _item(self.layout, ids.TABLE_NOTE, QgsLayoutItemLabel)
        if note_item is not None and self.note_size is not None:
            note_item.attemptResize(self.note_size)  # the template's size: _wrap_label grows it again
        frame = self.frame if mask is None else self.frame[mask]
        self._fill_summary(frame)
        rows = self._fill_table(frame)
        note = rows.note() if rows.total or _multiframe(self.layout, ids.TABLE) else self.theme.empty_text
        heading = self.theme.table_title
        if self.second_in_main:  # the run's own table took the list's place: the note says what is not listed
            heading = self.theme.second_table.table_title
            note = NO_ROOM_NOTE.format(title=self.theme.table_title.split("（")[0], n=rows.total)
        positions = self.frame.index.get_indexer(rows.ids)
        unplaced = self._unplaced(positions)
        if unplaced:  # as many markers as rows, except rows with nothing to put a marker on: they are named
            note = f"{note}；" + NO_MARKER_NOTE.format(rows="、".join(str(n) for n in unplaced))
        if rows.shown and self.id_note:
            note = f"{note}；{self.id_note}"
        classes = tables.class_note(frame, self.theme)  # the page's enterprises per class and grade
        if classes:
            note = f"{note}\n{classes}" if note else classes
        if self.sources:  # 依据: the documents the run's rules rest on, a paragraph of its own
            note = f"{note}\n{self.sources}" if note else self.sources
        for item_id, text in ((ids.TABLE_HEADING, heading), (ids.TABLE_NOTE, note)):
            label = _item(self.layout, item_id, QgsLayoutItemLabel)
            if label is not None and text:
                label.setText(text)
        if self.sources or classes:
            _wrap_label(self.layout, ids.TABLE_NOTE, self.measure)
        if self.second is not None and not self.second_in_main:
            self._fill_second(mask)
        elif self.second is not None:
            self.second.hide()
        if self.points is not None:
            overlays.set_numbers(self.numbers, [(n + 1, self.points[p]) for n, p in enumerate(positions)])
        _fit_scalebar(self.layout)
        if note_item is None or self.note_limit is None or not rows.shown:
            return 0.0
        bottom = note_item.positionWithUnits().y() + note_item.rect().height()
        return max(bottom - self.note_limit, 0.0)

    def _second_table(self, layout, context_layers):
        """The theme's second table (layouts/second_table.py) when the theme has one, its layer was given and the
        template has the main table, its heading and note to place it by."""
        main, heading = _multiframe(layout, ids.TABLE), _item(layout, ids.TABLE_HEADING, QgsLayoutItemLabel)
        if main is None or heading is None or _item(layout, ids.TABLE_NOTE, QgsLayoutItemLabel) is None:
            return None
        import shapely

        def read(layer, theme):  # with each row's representative point in the result's CRS, for atlas pages
            columns = read_columns(layer, theme_fields(layer, theme)[0], with_geometry=True, target_crs=self.crs)
            return columns.frame.assign(_point=shapely.point_on_surface(columns.geometries))

        try:
            frame = second_table.second_frame(self.theme, context_layers, read, self.summary_rows)
        except LayoutError:  # a layer of that role without the table's fields: printed as context only
            return None
        if frame is None:
            return None
        self.second_frame = frame
        return second_table.SecondTable(layout, self.theme.second_table, frame, main, heading,
                                        self.widths[ids.TABLE], _label_format)

    def _fill_second(self, mask) -> None:
        """The second table under the main table's note, inside the main table's frame; on an atlas page only the
        rows whose representative point lies in the page (`page`)."""
        frame = self.second_frame
        if mask is not None and self.page is not None and "_point" in frame.columns:  # rows with a place
            import shapely

            frame = frame[np.asarray(shapely.intersects(self.page, self.second_frame["_point"].to_numpy()),
                                     dtype=bool)]
        note = _item(self.layout, ids.TABLE_NOTE, QgsLayoutItemLabel)
        table = _multiframe(self.layout, ids.TABLE)
        box = table.frame(0)
        bottom = box.positionWithUnits().y() + box.rect().height()
        top = note.positionWithUnits().y() + note.rect().height() + second_table.GAP
        self.second.fill(self.measure, frame, box.positionWithUnits().x(), top, bottom, _align)

    def _unplaced(self, positions) -> list[int]:
        """The row numbers (1…n) of the printed rows without a point to number on the map (no geometry)."""
        if self.points is None:
            return []
        return [n + 1 for n, p in enumerate(positions) if self.points[p] is None or self.points[p].is_empty]

    def on_atlas_feature(self, feature) -> None:
        """Only the items whose representative point lies in the page's feature (each item on one page)."""
        import shapely

        if self.points is None or feature is None or not feature.hasGeometry():
            overlays.set_veil(self.veil, None)
            self.page = None
            self.fill()
            return
        geometry = QgsGeometry(feature.geometry())
        coverage = self.layout.atlas().coverageLayer()
        if coverage is not None and coverage.crs() != self.crs:
            geometry.transform(QgsCoordinateTransform(coverage.crs(), self.crs, self.layout.project()))
        overlays.set_veil(self.veil, geometry)
        map_item = _item(self.layout, ids.MAP, QgsLayoutItemMap)
        if map_item is not None and map_item.atlasDriven() and map_item.scale() > 0:
            map_item.setScale(tables.nice_scale(map_item.scale()))  # the atlas has just framed the page
        shape = shapely.from_wkb(bytes(geometry.asWkb()))
        self.page = shape
        inside = shapely.intersects(shape, self.points)
        self.fill(np.asarray(inside, dtype=bool) & ~shapely.is_missing(self.points))

    def _fill_summary(self, frame) -> None:
        """Figures per district and 合计; the table below moves up into what the figures leave free. When the
        districts do not fit the template's frame (A4 has room for 合计 only), the figures take up to
        SUMMARY_LEND of the table's height below them — the districts are the figures a meeting asks for first —
        and only when even that is too little, 合计 alone."""
        table = _multiframe(self.layout, ids.SUMMARY)
        if table is None:
            return
        headers, rows = tables.breakdown(frame, self.theme)
        box = self.summary_box[1]
        lend = SUMMARY_LEND * self.below_summary[ids.TABLE][2] if ids.TABLE in self.below_summary else 0.0
        height = 0.0
        if len(headers) < 2:
            table_item.clear_table(table)
        else:
            aligns = [Qt.AlignmentFlag.AlignLeft] + [Qt.AlignmentFlag.AlignRight] * (len(headers) - 1)
            for candidate in (rows, rows[-1:]):
                shown, height = table_item.fill_table(table, self.measure, self.widths[ids.SUMMARY], headers,
                                                      candidate, aligns=aligns, max_height=box + lend,
                                                      emphasise_last=True)
                if shown == len(candidate):
                    break
        grown = max(height - box, 0.0)
        summary = self.layout.itemById(ids.SUMMARY)  # as tall as its rows: the table heading comes right below
        summary.attemptResize(QgsLayoutSize(summary.rect().width(), height if height > 0 else box,
                                            QgsUnitTypes.LayoutUnit.LayoutMillimeters))
        self._move_table_up(-grown if grown else max(box - height - SUMMARY_GAP, 0.0))

    def _move_table_up(self, free: float) -> None:
        """Heading and table frame `free` mm higher than in the template, the frame as much taller (its bottom
        stays), when they sit below the figures; restored from the template positions on every page. A negative
        `free` moves them down and makes the frame shorter (the figures took some of its room)."""
        for item_id, (x, y, height) in self.below_summary.items():
            item = self.layout.itemById(item_id)
            item.attemptMove(QgsLayoutPoint(x, y - free, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
            if item_id == ids.TABLE:
                item.attemptResize(QgsLayoutSize(item.rect().width(), height + free,
                                                 QgsUnitTypes.LayoutUnit.LayoutMillimeters))

    def _fill_table(self, frame) -> tables.TableRows:
        self.second_in_main = False
        table = _multiframe(self.layout, ids.TABLE)
        limit = self.top_n if self.top_n is not None else self.theme.top_n
        rows = tables.table_rows(frame, self.theme, limit)
        if table is None:
            return rows
        if not rows.rows:  # the theme's "无超期项目" as a one-cell table, the note under it
            _shown, height = table_item.fill_table(table, self.measure, self.widths[ids.TABLE],
                                                   [self.theme.empty_text], [], equal=True)
            self._place_note(table, height)
            return rows
        aligns = [Qt.AlignmentFlag.AlignHCenter] + [_align(c) for c in rows.columns]
        max_height = table.frame(0).rect().height() - self.table_room if table.frameCount() else None
        reserved = max_height is not None and self.second is not None and \
            self.theme.second_role == second_table.SUMMARY_ROLE
        if reserved:
            # the run's own table (the living circle's coverage per type, the indicator) comes before the list:
            # room is kept for it, the list gets the rest
            needed = self.second.height_needed(self.measure, self.second_frame, _align) + second_table.GAP + \
                NOTE_ROOM
            max_height = max(max_height - needed, 0.0)
        shown, height = table_item.fill_table(table, self.measure, self.widths[ids.TABLE], rows.headers, rows.rows,
                                              rows.colours, aligns, max_height)
        if shown == 0 and reserved:  # not one row fits beside the run's own table (A4): that table takes the frame
            second, frame_height = self.second, table.frame(0).rect().height()
            listed, headers, texts, colours, second_aligns = second.texts(self.second_frame, _align)
            unfolded = second.parts(listed.total) == 1  # the total is a row of its own
            _shown, height = table_item.fill_table(table, self.measure, self.widths[ids.TABLE], headers, texts,
                                                   colours, second_aligns, frame_height,
                                                   emphasise_last=second.totals and unfolded)
            self.second_in_main = True
        # the map numbers the rows printed, not the rows asked for: as many markers as rows
        rows.rows, rows.colours, rows.ids = rows.rows[:shown], rows.colours[:shown], rows.ids[:shown]
        self._place_note(table, height)
        return rows

    def _place_note(self, table, height: float) -> None:
        """The note right under the table's last row (the frame is taller than a short table)."""
        note = _item(self.layout, ids.TABLE_NOTE, QgsLayoutItemLabel)
        if note is None or not table.frameCount():
            return
        top = table.frame(0).positionWithUnits()
        note.attemptMove(QgsLayoutPoint(note.positionWithUnits().x(), min(top.y() + height + 1.5, self.note_y),
                                        top.units()))


NOTE_TRIES = 4  # times the table may give up rows so that its note ends above the footer


def _room_below(layout, note) -> float | None:
    """The lowest the table note may reach (mm): just above the highest item that starts below the note's place in
    the template (the footer's rule and texts); None when nothing lies below it."""
    if note is None:
        return None
    top = note.positionWithUnits().y() + note.sizeWithUnits().height()
    below = [item.positionWithUnits().y() for item in layout.items()
             if isinstance(item, QgsLayoutItem) and not isinstance(item, (QgsLayoutItemMap, QgsLayoutItemPage))
             and item is not note and item.isVisible() and item.positionWithUnits().y() >= top - 0.01]
    return min(below) - 0.5 if below else None


def _summary_geometry(layout) -> tuple[tuple[float, float], dict]:
    """The summary frame's (top, height) and {id: (x, y, height)} of the table heading and table frame when they
    lie below it (mm, as in the template)."""
    summary = layout.itemById(ids.SUMMARY)
    if summary is None:
        return (0.0, 0.0), {}
    top = summary.positionWithUnits().y()
    height = summary.rect().height()
    below = {}
    for item_id in (ids.TABLE_HEADING, ids.TABLE):
        item = layout.itemById(item_id)
        if item is not None and item.positionWithUnits().y() >= top + height:
            below[item_id] = (item.positionWithUnits().x(), item.positionWithUnits().y(), item.rect().height())
    return (top, height), below


def _load_template(layout, template: str) -> None:
    """Load the template, refusing one that cannot print a map — empty, not a layout, no page, no map item — with
    a message naming the file (Qt's PDF writer would only say that the printer failed). A template whose map item
    has another id than `map` gets that id, so every map-related item works on it."""
    path = ids.template_path(template)
    document = QDomDocument()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(tr("Cannot read the layout template {path}: {error}").format(path=path, error=exc)) from exc
    if not text.strip():
        raise LayoutError(tr("The layout template {path} is empty: choose a QGIS layout template (.qpt)")
                          .format(path=path))
    if not document.setContent(text)[0] or document.documentElement().tagName() != "Layout":
        raise LayoutError(tr("The layout template {path} is not a valid QGIS template (.qpt)").format(path=path))
    _items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not ok:
        raise LayoutError(tr("The layout template {path} is not a valid QGIS template (.qpt)").format(path=path))
    if layout.pageCollection().pageCount() == 0:
        raise LayoutError(tr("The layout template {path} has no page: add a page in the layout designer and save "
                             "the template again").format(path=path))
    maps = [item for item in layout.items() if isinstance(item, QgsLayoutItemMap)]
    if not maps:
        raise LayoutError(tr("The layout template {path} has no map item: add a map in the layout designer and "
                             "save the template again").format(path=path))
    if not any(item.id() == ids.MAP for item in maps):
        maps[0].setId(ids.MAP)


def read_theme_columns(layer, theme: Theme, with_geometry: bool = True):
    """The theme's fields from the result layer, the id column always among them (see `theme_fields`)."""
    wanted, _note = theme_fields(layer, theme)
    columns = read_columns(layer, wanted, with_geometry=with_geometry)
    if theme.id_field and theme.id_field not in columns.frame.columns:
        columns.frame[theme.id_field] = columns.frame.index.to_numpy()  # the result's own feature ids
    return columns


def theme_fields(layer, theme: Theme) -> tuple[dict, str]:
    """{theme field: layer field} (result fields by name, input fields through the role's map), and the note the
    table needs about its id column ("" when the id is the mapped id field).

    The id column always prints: without a mapped id field, an ArcGIS object id field (OBJECTID, FID, …) is the
    id, else the result's feature id; either way the table says "编号为要素ID" — never a table without ids."""
    names = field_names(layer)
    detected = field_map_of(layer, theme.role)
    own = {name for name in theme.fields() if name in names}  # a result field is never an input's (households
    wanted = {}                                                 # is not overdue_households read as a join name)
    for name in theme.fields():
        if name in names:
            wanted[name] = name
        elif detected.get(name) in names and detected[name] not in own:
            wanted[name] = detected[name]
    if theme.flag_field not in wanted:
        raise LayoutError(tr("Layer {layer} has no field {field}: it is not a result of {algorithm}").format(
            layer=layer.name(), field=theme.flag_field, algorithm=theme.algorithm))
    note = ""
    if theme.id_field and theme.id_field not in wanted:
        object_id = _object_id_field(layer, set(wanted.values()))
        if object_id is not None:
            wanted[theme.id_field] = object_id
            note = f"{FEATURE_ID_NOTE}（{object_id}）"
        else:
            note = FEATURE_ID_NOTE
    return wanted, note


def _object_id_field(layer, taken: set) -> str | None:
    """The layer's ArcGIS / shapefile object id field (OBJECTID before FID, …), not one already printed and not
    the layer's own key (a GeoPackage's fid: that is the feature id, the fallback anyway)."""
    keys = set(layer.dataProvider().pkAttributeIndexes()) if hasattr(layer, "dataProvider") else set()
    by_name = {name.lower(): name for n, name in enumerate(field_names(layer)) if n not in keys and name not in taken}
    return next((by_name[name] for name in OBJECT_ID_FIELDS if name in by_name), None)


def map_crs(analysed) -> QgsCoordinateReferenceSystem:
    """The CRS the map is drawn in: the analysed layer's when it is projected and true to area there, else the
    Gauss-Krüger zone it is measured in (qgis_bridge.layers.planar_crs_for). A layer in degrees drawn as such is
    stretched east-west by 1 / cos(latitude) — 15 % in Hangzhou — and one in Web Mercator has a scale bar 15 %
    off: printed maps show shapes and distances as they are."""
    return planar_crs_for(analysed)


def flow_layers(layers) -> list:
    """The context layers that are a run's flows between places (the farmland balance's 指标调剂流向): lines whose
    two ends the map must hold — a planner reads where each flow comes from and where it goes."""
    flows = layer_roles.PRINT_ROLES[layer_roles.FLOWS]
    return [layer for layer in layers[1:] if layer_roles.output_role(layer) is flows]


def flow_ends(layers, crs, extent) -> list:
    """Both ends of every line of the flow layers among `layers`, as shapely points in `crs`."""
    ends = []
    for layer in flow_layers(layers):
        for line in visibility.geometries(layer, crs, extent):
            for part in getattr(line, "geoms", [line]):
                if part.geom_type == "LineString" and not part.is_empty:
                    ends += [shapely.Point(part.coords[0]), shapely.Point(part.coords[-1])]
    return ends


# How far the map may zoom out from the analysed result to hold a flow's two ends (the nearest flows first): 3× —
# a 300 亩 project drawn 5 mm across at 1:81,000 still shows its shape and what it lies on; the 60 km between two
# counties would take the map to 1:250,000, the projects dots under 2 mm and an overlap or a corner on basic farmland
# unseen (the checks are what the map is for). Beyond it the map stays on the result, the arrows come in from its
# edge, and the flows table beside it (themes.FLOWS_PRINTED) names every flow's two counties.
FLOW_ZOOM_LIMIT = 3.0


def _extent(layers, crs) -> QgsRectangle | None:
    """The analysed layer's extent (else the context layers'), with the two ends of each flow (flow_layers, the
    nearest first) that keeps the map within FLOW_ZOOM_LIMIT × the result's extent, in `crs` (the map's), at least
    1 km (0.01°) across, with a margin; None when no layer has anything to show."""
    analysed = layers[0]
    minimum = 0.01 if crs.isGeographic() else 1000.0

    def box(layer) -> QgsRectangle:
        return QgsCoordinateTransform(layer.crs(), crs, analysed.transformContext()).transformBoundingBox(
            layer.extent())

    boxes = [box(analysed)] if analysed.featureCount() else []
    if boxes:  # the flows nearest the result first, each while the map stays within the limit
        limit = FLOW_ZOOM_LIMIT * max(boxes[0].width(), boxes[0].height(), minimum)
        result = shapely.box(boxes[0].xMinimum(), boxes[0].yMinimum(), boxes[0].xMaximum(), boxes[0].yMaximum())
        lines = sorted((line for flows in flow_layers(layers) for line in visibility.geometries(flows, crs, None)),
                       key=result.distance)
        for line in lines:
            x0, y0, x1, y1 = line.bounds
            wider = QgsRectangle(boxes[0])
            wider.combineExtentWith(QgsRectangle(x0, y0, x1, y1))
            if max(wider.width(), wider.height()) <= limit:
                boxes = [wider]
    if not boxes:
        boxes = [box(layer) for layer in layers[1:] if not layer.extent().isNull()]
    if not boxes:
        return None
    extent = boxes[0]
    for other in boxes[1:]:
        extent.combineExtentWith(other)
    centre, width, height = extent.center(), max(extent.width(), minimum), max(extent.height(), minimum)
    extent = QgsRectangle(centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2,
                          centre.y() + height / 2)
    extent.scale(1.1)
    return extent


def _saved_rows(layer) -> list:
    """The second table's rows the panel saved on the result layer (PRINT_ROWS_KEY, JSON); [] when none."""
    try:
        rows = json.loads(str(layer.customProperty(PRINT_ROWS_KEY) or "[]"))
    except ValueError:
        return []
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _zoom(map_item, extent: QgsRectangle) -> None:
    """Show `extent` whole, widened to the map frame's proportions (a template may carry no extent at all)."""
    ratio = map_item.rect().width() / max(map_item.rect().height(), 1e-9)
    width, height = extent.width(), extent.height()
    if width / max(height, 1e-9) > ratio:
        height = width / ratio
    else:
        width = height * ratio
    centre = extent.center()
    map_item.setExtent(QgsRectangle(centre.x() - width / 2, centre.y() - height / 2,
                                    centre.x() + width / 2, centre.y() + height / 2))
    scale = map_item.scale()
    if scale > 0 and scale == scale:  # a round scale for the printed 1:n (not NaN)
        map_item.setScale(tables.nice_scale(scale))


def _fill_texts(layout, request: PrintRequest, analysed) -> None:
    theme = request.theme
    as_of = request.as_of or dt.date.today()
    source = request.data_source or source_text(analysed)
    subtitle = f"{theme.name}　·　截至{as_of.year}年{as_of.month}月{as_of.day}日　·　数据来源：{_literal(source)}"
    note = request.note or str(analysed.customProperty(PRINT_NOTE_KEY) or "").strip()
    if note:  # which land-use codes the run read, or that every feature was taken as industrial land
        subtitle += f"　·　{_literal(note)}"
    if _item(layout, ids.MAP, QgsLayoutItemMap) is not None:
        subtitle += f"　·　比例尺 1:[% format_number(map_get(item_variables('{ids.MAP}'), 'map_scale'), 0) %]"
    title = _literal(request.title or theme.title)
    if request.atlas_layer is not None:
        title += "[% ' — ' || @atlas_pagename %]"
    org = request.organisation or organisation()
    for item_id, text in ((ids.TITLE, title), (ids.SUBTITLE, subtitle), (ids.FOOTER_ORG, f"制图单位：{org}")):
        label = _item(layout, item_id, QgsLayoutItemLabel)
        if label is not None:
            label.setText(text)


def _fit_on_one_line(layout, item_id: str, measure: table_item.TextMeasure) -> None:
    """A label's text on one line: its font made smaller (to MIN_FIT of the template's size at most) when a long
    data source or the run's land-use note would wrap it — Chinese has no spaces to wrap at, so a second line
    would be cut mid-word and run into the title or the map."""
    label = _item(layout, item_id, QgsLayoutItemLabel)
    if label is None:
        return
    modern = hasattr(label, "textFormat")  # QGIS ≥ 3.24: a QgsTextFormat; 3.22: a QFont
    text_format = _label_format(label)
    # measured at the template's size and scaled: the width of text written as text in a PDF grows with the font
    # size, while measuring at small sizes in the layout's render context comes out too coarse
    width = measure.width(text_format, label.currentText())
    room = (label.rect().width() - 2 * label.marginX()) * 0.96  # the label wraps a little before its edge
    if width <= room or width <= 0:
        return
    fitted = QgsTextFormat(text_format)
    fitted.setSize(max(text_format.size() * room / width, text_format.size() * MIN_FIT))
    if modern:
        label.setTextFormat(fitted)
    else:
        font = label.font()
        font.setPointSizeF(fitted.size())
        label.setFont(font)


def _label_format(label) -> QgsTextFormat:
    """A copy of a label's text format: its QgsTextFormat (QGIS ≥ 3.24), or one made from its QFont (3.22)."""
    if hasattr(label, "textFormat"):
        return QgsTextFormat(label.textFormat())
    text_format = QgsTextFormat.fromQFont(label.font())
    text_format.setSize(label.font().pointSizeF())
    text_format.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    return text_format


def _wrap_label(layout, item_id: str, measure: table_item.TextMeasure) -> None:
    """A label's text broken into lines of its width (Chinese has no spaces to wrap at) and the label made as tall
    as its lines, growing downwards: the table note with the run's 依据 under it."""
    label = _item(layout, item_id, QgsLayoutItemLabel)
    if label is None:
        return
    text_format = _label_format(label)
    width = (label.rect().width() - 2 * label.marginX()) * 0.96  # the label wraps a little before its edge
    text = measure.wrap(text_format, label.text(), width)
    label.setText(text)
    height = measure.height(text_format, text) + 2 * label.marginY() + 1.0
    if height > label.rect().height():
        size = label.sizeWithUnits()
        label.attemptResize(QgsLayoutSize(size.width(), height, size.units()))


def _literal(text: str) -> str:
    """User text in a label that evaluates [% expressions %]: its own brackets stay text."""
    return str(text).replace("[%", "[ %")


def source_text(layer) -> str:
    """'layer name（file name）' for file layers, the layer name otherwise."""
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") if isinstance(parts, dict) else None
    return f"{layer.name()}（{Path(path).name}）" if path else layer.name()


def _make_room_for_legend(filler, overflow: float) -> None:
    """A legend the page's width cannot hold above the figures: they and the table move down by `overflow` mm."""
    if overflow > 0:
        filler.room_below_legend(overflow)


def _fill_legend(layout, request: PrintRequest, roles: list, hidden: set = frozenset()) -> float:
    """Only the printed layers: the analysed one first under the theme's legend title, the others in drawing order
    named by their role (违规部分, 永久基本农田, 行政区划, …); classes not on the map hidden, and layers that show
    nowhere on the page (`hidden`: wholly under opaque fills, layouts.visibility) left out. Returns by how many mm
    the figures and the table below it must move down to clear it (0 when it fits, `_fit_legend`)."""
    legend = _item(layout, ids.LEGEND, QgsLayoutItemLegend)
    if legend is None:
        return 0.0
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    _theme_legend(legend, _add_named(root, request.layers[0], request.theme.legend_title), request.theme)
    for n in layer_roles.ordered(list(range(1, len(request.layers))), roles[1:]):
        if request.layers[n].id() not in hidden:
            _add_named(root, request.layers[n], layer_roles.legend_label(request.layers[n], roles[n]))
    legend.setLegendFilterByMapEnabled(True)
    legend.updateLegend()
    _settle_size(legend)
    return _fit_legend(layout, legend)


MOVABLE_BELOW_LEGEND = (ids.SUMMARY_HEADING, ids.SUMMARY, ids.TABLE_HEADING, ids.TABLE)


def _fit_legend(layout, legend) -> float:
    """A legend that grew into the items below it (A4: the figures' heading under a legend of nine entries) gets
    more columns, as many as the page's width allows, until it ends BELOW_LEGEND_GAP above them. Returns how far it
    still reaches into that gap (mm) when what lies below is the figures or the table (the caller moves them down
    by as much); 0 when it fits or something else lies below."""
    box = legend.sceneBoundingRect()
    below = [(item.sceneBoundingRect().top(), item.id()) for item in layout.items()
             if isinstance(item, QgsLayoutItem) and item is not legend and item.isVisible()
             and item.sceneBoundingRect().top() > box.top() + 0.5
             and item.sceneBoundingRect().left() < box.right() and item.sceneBoundingRect().right() > box.left()]
    page = layout.pageCollection().page(0)
    if not below or page is None:
        return 0.0
    top, nearest = min(below)
    limit, right = top - BELOW_LEGEND_GAP, page.sceneBoundingRect().right() - LEGEND_GAP
    while legend.sceneBoundingRect().bottom() > limit and legend.columnCount() < MAX_LEGEND_COLUMNS:
        legend.setColumnCount(legend.columnCount() + 1)
        legend.setSplitLayer(True)
        _settle_size(legend)
        if legend.sceneBoundingRect().right() > right:  # wider than the page: back to the last that fitted
            legend.setColumnCount(legend.columnCount() - 1)
            _settle_size(legend)
            break
    overflow = legend.sceneBoundingRect().bottom() - limit
    return overflow if overflow > 0 and nearest in MOVABLE_BELOW_LEGEND else 0.0


def _add_named(root, layer, text: str):
    """`layer` added to the legend's tree under the printed name `text` (none: the layer's own). The node is named
    before it joins the tree: QGIS 3.40 and later cache a node's printed name once the legend model first reads it."""
    node = QgsLayerTreeLayer(layer)
    if text:
        node.setCustomProperty("legend/title-label", text)
    root.addChildNode(node)
    return node


def _settle_size(legend) -> None:
    """Give the legend its size now. QGIS sizes a legend to its contents only once it has been painted, and the
    map, painted before it, would place its labels (_block_labels) around a legend of no size at all."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    legend.paint(painter, None, None)
    painter.end()
    legend.adjustBoxSize()


def _theme_legend(legend, node, theme: Theme) -> None:
    """The analysed layer under the theme's title, its classes with the theme's printed labels."""
    renderer = node.layer().renderer()
    if not theme.legend_labels or not hasattr(renderer, "categories"):
        return
    values = _legend_values(node.layer())
    for index, category in enumerate(renderer.categories()):
        text = theme.legend_label(category.value(), values)
        if text:
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, text)
    legend.model().refreshLayerLegend(node)


def _legend_values(layer) -> dict:
    """The run's values for the legend labels (LEGEND_VALUES_KEY); {} when the layer has none or a broken one."""
    try:
        values = json.loads(layer.customProperty(LEGEND_VALUES_KEY) or "{}")
    except (TypeError, ValueError):
        return {}
    return values if isinstance(values, dict) else {}


def _check_north_arrow(layout, request: PrintRequest) -> None:
    """QGIS's arrow SVG when installed (found through its SVG paths), else the plugin's own."""
    arrow = _item(layout, ids.NORTH_ARROW, QgsLayoutItemPicture)
    if arrow is None or (arrow.picturePath() and Path(arrow.picturePath()).is_file()):
        return
    fallback = ids.fallback_north_arrow()
    if fallback.is_file():
        arrow.setPicturePath(str(fallback))
    else:
        request.warnings.append(tr("No north arrow picture found; the layout has none"))


def _set_atlas(layout, request: PrintRequest, filler: PageFiller) -> None:
    coverage = request.atlas_layer
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    if request.atlas_field:
        if coverage.fields().indexOf(request.atlas_field) < 0:
            raise LayoutError(tr("Layer {layer} has no field {field} to name the pages").format(
                layer=coverage.name(), field=request.atlas_field))
        expression = QgsExpression.quotedColumnRef(request.atlas_field)
        atlas.setPageNameExpression(expression)
        atlas.setSortFeatures(True)
        atlas.setSortExpression(expression)
    map_item = _item(layout, ids.MAP, QgsLayoutItemMap)
    if map_item is not None:
        map_item.setAtlasDriven(True)
        map_item.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
        map_item.setAtlasMargin(0.08)
    atlas.featureChanged.connect(filler.on_atlas_feature)


FURNITURE_TRIES = 4  # times the map may zoom out to keep the result clear of the legend, scale bar and north arrow


def _clear_furniture(layout, map_item, layers) -> bool:
    """Zoom the map out, away from the legend, scale bar and north arrow drawn on it, until no feature of the
    analysed layer (`layers[0]`) and no end of a flow (flow_ends) lies under one of them: a flagged plan under the
    legend box was listed in the table and never seen. The map grows on the item's side, by the item's share of the
    map, on the axis that costs less scale. Returns whether the extent changed."""
    items = [item for item in (layout.itemById(i) for i in (ids.LEGEND, ids.SCALEBAR, ids.NORTH_ARROW))
             if item is not None and item.isVisible()]
    frame = map_item.sceneBoundingRect()
    items = [item for item in items if item.sceneBoundingRect().intersects(frame)]
    if not items or frame.width() <= 0 or frame.height() <= 0:
        return False
    shapes = visibility.geometries(layers[0], map_item.crs(), map_item.extent()) + flow_ends(
        layers, map_item.crs(), map_item.extent())
    if not shapes:
        return False
    tree = shapely.STRtree(shapes)
    changed = False
    for _ in range(FURNITURE_TRIES):
        extent = map_item.extent()
        blocking = [item for item in items if len(tree.query(_map_box(item, frame, extent), predicate="intersects"))]
        if not blocking:
            return changed
        item = max(blocking, key=lambda it: it.sceneBoundingRect().width() * it.sceneBoundingRect().height())
        box = item.sceneBoundingRect().intersected(frame)
        wide, tall = box.width() / frame.width(), box.height() / frame.height()
        left = box.center().x() < frame.center().x()
        low = box.center().y() > frame.center().y()  # layout y grows downwards
        grow_x, grow_y = extent.width() * wide / max(1 - wide, 0.05), extent.height() * tall / max(1 - tall, 0.05)
        ratio = frame.width() / frame.height()
        # the fitted width each choice ends at: the cheaper one zooms out less
        if max(extent.width() + grow_x, extent.height() * ratio) <= max(extent.width(),
                                                                       (extent.height() + grow_y) * ratio):
            grown = QgsRectangle(extent.xMinimum() - (grow_x if left else 0), extent.yMinimum(),
                                 extent.xMaximum() + (0 if left else grow_x), extent.yMaximum())
        else:
            grown = QgsRectangle(extent.xMinimum(), extent.yMinimum() - (grow_y if low else 0),
                                 extent.xMaximum(), extent.yMaximum() + (0 if low else grow_y))
        _zoom(map_item, grown)
        changed = True
    return changed


def _map_box(item, frame, extent):
    """The part of the map under a layout item, as a shapely box in map coordinates."""
    box = item.sceneBoundingRect().intersected(frame)
    x0 = extent.xMinimum() + (box.left() - frame.left()) / frame.width() * extent.width()
    x1 = extent.xMinimum() + (box.right() - frame.left()) / frame.width() * extent.width()
    y1 = extent.yMaximum() - (box.top() - frame.top()) / frame.height() * extent.height()
    y0 = extent.yMaximum() - (box.bottom() - frame.top()) / frame.height() * extent.height()
    return shapely.box(x0, y0, x1, y1)


def _block_labels(layout, map_item) -> None:
    """No map label (district names, row numbers) under the legend, scale bar or north arrow drawn on the map."""
    for item_id in (ids.LEGEND, ids.SCALEBAR, ids.NORTH_ARROW):
        item = layout.itemById(item_id)
        if item is not None and item.sceneBoundingRect().intersects(map_item.sceneBoundingRect()):
            map_item.addLabelBlockingItem(item)


def _fit_scalebar(layout) -> None:
    """Metres for town-scale maps, kilometres once the bar would span more than KM_FROM_METRES."""
    scalebar = _item(layout, ids.SCALEBAR, QgsLayoutItemScaleBar)
    map_item = _item(layout, ids.MAP, QgsLayoutItemMap)
    if scalebar is None or map_item is None:
        return
    metres = scalebar.maximumBarWidth() / 1000.0 * map_item.scale()
    if metres >= KM_FROM_METRES:
        scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
        scalebar.setUnitLabel("千米")
    else:
        scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters)
        scalebar.setUnitLabel("米")
    scalebar.update()


def _item(layout, item_id: str, kind):
    item = layout.itemById(item_id)
    return item if isinstance(item, kind) else None


def _multiframe(layout, frame_id: str):
    frame = layout.itemById(frame_id)
    if isinstance(frame, QgsLayoutFrame) and isinstance(frame.multiFrame(), QgsLayoutItemManualTable):
        return frame.multiFrame()
    return None


def _table_width(layout, frame_id: str, heading_id: str) -> float:
    """The width a table may fill. A table frame always takes the width of its content, so the template says it
    in a custom property of the frame (WIDTH_PROPERTY); a template without it gets its heading's width."""
    frame = layout.itemById(frame_id)
    width = frame.customProperty(ids.WIDTH_PROPERTY) if frame is not None else None
    if width:
        return float(width)
    heading = layout.itemById(heading_id)
    return heading.rect().width() if heading is not None else 0.0


def _align(column):
    if column.decimals is not None and not column.labels:
        return Qt.AlignmentFlag.AlignRight
    return Qt.AlignmentFlag.AlignHCenter if column.labels else Qt.AlignmentFlag.AlignLeft
