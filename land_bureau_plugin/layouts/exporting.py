"""Export a filled layout to PDF (all atlas pages in one file) or PNG (one file per page), with text kept as text
so the PDF embeds the CJK font and stays searchable. Every failure is a LayoutError with a translated message."""
from __future__ import annotations

import os
from pathlib import Path

from qgis.core import Qgis, QgsExpression, QgsLayoutExporter

from ..i18n import tr
from .builder import LayoutError

FORMATS = ("pdf", "png")


def export_layout(layout, path: str, dpi: float | None = None, feedback=None) -> list[str]:
    """Write `layout` to `path` (.pdf or .png); returns the files written. Atlas layouts: one PDF with every page,
    or `<name>_01.png`, `<name>_02.png`, …"""
    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise LayoutError(tr("Cannot export to {path}: choose a .pdf or .png file").format(path=path))
    _check_writable(target)
    atlas = layout.atlas()
    if atlas.enabled() and atlas.coverageLayer() is not None:
        atlas.updateFeatures()
        if atlas.count() == 0:
            raise LayoutError(tr("The atlas coverage layer {layer} has no features: there is no page to print")
                              .format(layer=atlas.coverageLayer().name()))
    if kind == "pdf":
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = dpi or 300
        settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
        settings.rasterizeWholeImage = False
        if atlas.enabled():
            result, error = QgsLayoutExporter.exportToPdf(atlas, str(target), settings, feedback)
        else:
            result, error = QgsLayoutExporter(layout).exportToPdf(str(target), settings), ""
        files = [str(target)]
    else:
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = dpi or 150
        if atlas.enabled():
            atlas.setFilenameExpression(QgsExpression.quotedString(target.stem + "_")
                                        + " || lpad(to_string(@atlas_featurenumber), 2, '0')")
            result, error = QgsLayoutExporter.exportToImage(atlas, str(target.parent / target.stem), "png", settings,
                                                            feedback)
            files = [str(target.parent / f"{target.stem}_{n + 1:02d}.png") for n in range(atlas.count())]
        else:
            exporter = QgsLayoutExporter(layout)
            result, error = exporter.exportToImage(str(target), settings), ""
            files = [str(target)] + [str(target.parent / f"{target.stem}_{n + 2}.png")
                                     for n in range(layout.pageCollection().pageCount() - 1)]
    if result != QgsLayoutExporter.ExportResult.Success:
        raise LayoutError(_message(result, path, error))
    return files


def _check_writable(target: Path) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise LayoutError(tr("Cannot write {path}: the folder {folder} does not exist").format(
            path=str(target), folder=str(folder)))
    if target.is_dir():
        raise LayoutError(tr("Cannot write {path}: it is a folder").format(path=str(target)))
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise LayoutError(tr("Cannot write {path}: permission denied").format(path=str(target)))


def _message(result, path: str, error: str) -> str:
    results = QgsLayoutExporter.ExportResult
    reasons = {
        results.FileError: tr("the file cannot be written (open in another program, or the folder is read-only)"),
        results.MemoryError: tr("not enough memory; export at a lower resolution"),
        results.PrintError: tr("the printer or PDF writer failed"),
        results.IteratorError: tr("the atlas pages could not be prepared"),
        results.Canceled: tr("canceled"),
    }
    reason = reasons.get(result, tr("export failed"))
    if error:
        reason = f"{reason} ({error})"
    return tr("Cannot export the layout to {path}: {reason}").format(path=path, reason=reason)
