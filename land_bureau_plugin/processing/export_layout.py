"""landbureau:exportlayout — print an analysis result as a map layout (PDF or PNG), one page or an atlas.

Headless twin of the panels' Print button: `qgis_process` and `make demo` produce the same PDFs. The layers are
cloned into a private project for the layout, so styling a freshly loaded file layer for print (the theme's
style, a role's style, district outlines) never touches a layer of the user's project."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsProviderRegistry,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from ..i18n import tr
from ..layouts import layer_roles, templates
from ..layouts.builder import LayoutError, PrintRequest, build_layout
from ..layouts.exporting import export_layout
from ..layouts.themes import THEMES, sources_note, summary_note, summary_rows
from ..qgis_bridge import styles
from ..qgis_bridge.layers import geometry_kind, read_with_detected_encoding
from ..qgis_bridge.shapefile_names import restore_result_names
from .base import LandBureauAlgorithm

THEME_KEYS = list(THEMES)


class ExportLayoutAlgorithm(LandBureauAlgorithm):
    THEME, LAYERS, TEMPLATE, ATLAS, ATLAS_FIELD = "THEME", "LAYERS", "TEMPLATE", "ATLAS", "ATLAS_FIELD"
    AS_OF, TITLE, SOURCE, TOP_N, OUTPUT = "AS_OF", "TITLE", "SOURCE", "TOP_N", "OUTPUT"
    SUMMARY = "SUMMARY"

    def name(self):
        return "exportlayout"

    def displayName(self):  # noqa: N802
        return tr("Print map layout (PDF / PNG)")

    def group(self):
        return tr("Maps and reports")

    def groupId(self):  # noqa: N802
        return "layouts"

    def flags(self):
        # Layout rendering draws text with Qt fonts: main thread only, like QGIS's own layout export algorithms.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def shortHelpString(self):  # noqa: N802
        return tr("Prints an analysis result on a layout template (A3 landscape, A4 portrait or your own .qpt): "
                  "title, subtitle with the as-of date and data source, the map with a legend of the printed layers "
                  "only, scale bar, north arrow, summary figures, the top N flagged items (with the total when "
                  "there are more) and a footer with the organisation (plugin setting), print date and page. "
                  "The first layer is the analysis result; further layers are drawn below it as context. With a "
                  "coverage layer, one page per feature (district, project or plan). A .pdf output holds every "
                  "page; a .png output writes one file per page.")

    def initAlgorithm(self, config=None):  # noqa: N802
        options = [f"{key} — {THEMES[key].name}" for key in THEME_KEYS]
        self.addParameter(QgsProcessingParameterEnum(self.THEME, tr("Theme"), options, defaultValue=0))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, tr("Layers (the analysis result first, then context layers)"),
            QgsProcessing.SourceType.TypeVectorAnyGeometry))
        self.addParameter(QgsProcessingParameterString(
            self.TEMPLATE, tr("Template: {names} or a .qpt file").format(names=", ".join(templates.BUNDLED)),
            defaultValue=templates.DEFAULT))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.ATLAS, tr("Atlas coverage layer (one page per feature; empty = one page)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.ATLAS_FIELD, tr("Page name field"), parentLayerParameterName=self.ATLAS, optional=True))
        self.addParameter(QgsProcessingParameterDateTime(
            self.AS_OF, tr("As-of date (empty = today)"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True))
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title (empty = the theme's)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.SOURCE, tr("Data source in the subtitle (empty = the result layer and its file)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.SUMMARY, tr("Summary of the analysis run (its SUMMARY output): the land-use code system it names "
                             "goes into the subtitle, the sources of its rules under the table"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOP_N, tr("Rows in the table (empty = the theme's)"), QgsProcessingParameterNumber.Type.Integer,
            optional=True, minValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Output file"), "PDF (*.pdf);;PNG (*.png)", defaultValue=None))
        self.addOutput(QgsProcessingOutputString("FILES", tr("Files written (one per line)")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", tr("Pages")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        theme = THEMES[THEME_KEYS[self.parameterAsEnum(parameters, self.THEME, context)]]
        layers = [layer for layer in self.parameterAsLayerList(parameters, self.LAYERS, context)
                  if isinstance(layer, QgsVectorLayer)]
        if not layers:
            raise QgsProcessingException(tr("Give at least one vector layer: the analysis result"))
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        project = QgsProject()
        printed = [self._print_copy(layer, n == 0, theme, context, project) for n, layer in enumerate(layers)]
        atlas = self.parameterAsVectorLayer(parameters, self.ATLAS, context)
        top_n = parameters.get(self.TOP_N)
        request = PrintRequest(
            theme, printed, template=self.parameterAsString(parameters, self.TEMPLATE, context) or templates.DEFAULT,
            as_of=self.as_of_date(parameters, self.AS_OF, context),
            title=self.parameterAsString(parameters, self.TITLE, context),
            data_source=self.parameterAsString(parameters, self.SOURCE, context),
            top_n=self.parameterAsInt(parameters, self.TOP_N, context) if top_n not in (None, "") else None,
            atlas_layer=atlas, atlas_field=self.parameterAsString(parameters, self.ATLAS_FIELD, context) or "",
            note=summary_note(self.parameterAsString(parameters, self.SUMMARY, context) or ""),
            sources=sources_note(self.parameterAsString(parameters, self.SUMMARY, context) or "", theme),
            rows=summary_rows(self.parameterAsString(parameters, self.SUMMARY, context) or ""))
        try:
            layout = build_layout(project, request)
            files = export_layout(layout, path, feedback=feedback)
        except (LayoutError, templates.TemplateError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        for warning in request.warnings:
            feedback.pushWarning(warning)
        pages = layout.atlas().count() if layout.atlas().enabled() else layout.pageCollection().pageCount()
        del layout  # before its project: a layout keeps a plain pointer to the project it belongs to
        feedback.pushInfo(tr("Wrote {files} ({pages} page(s))").format(files=", ".join(files), pages=pages))
        return {self.OUTPUT: path, "FILES": "\n".join(files), "PAGES": pages}

    def _print_copy(self, layer, analysed: bool, theme, context, project) -> QgsVectorLayer:
        """A clone owned by the layout's project. A layer loaded for this run (not in the user's project) that
        still has its random default symbol gets the theme's style, or its print role's (violation pieces, merge
        clusters, 三区三线, districts), or a light neutral one (layouts/layer_roles.py); a shapefile loaded from its
        path is read in the encoding of its bytes first (a GBK one without .cpg), like the analyses' inputs."""
        fresh = context.project() is None or context.project().mapLayer(layer.id()) is None
        if fresh:  # a GBK shapefile without .cpg given by its path: its names read, so its print role is found
            read_with_detected_encoding(layer, context.feedback())
        copy = layer.clone()
        if analysed:  # a result written to a shapefile: its documented field names back, for the theme and style
            restore_result_names(copy)
        project.addMapLayer(copy, False)
        table = QgsProviderRegistry.instance().decodeUri(copy.providerType(), copy.source()).get("layerName")
        if fresh and table:  # 'demo.gpkg|layername=行政区划' loads as 'demo': name it after its table
            copy.setName(table)
        if fresh and isinstance(copy.renderer(), QgsSingleSymbolRenderer):
            name = theme.styles.get(geometry_kind(copy)) if analysed else \
                layer_roles.style_for(copy, layer_roles.print_role(copy))
            if name:
                styles.apply_style(copy, name)
        return copy

