"""打印 / Print from a panel: choose the template, optionally an atlas (one page per district, project or plan),
the table length and the organisation, then open the filled layout in QGIS's layout designer for final touches
or export it straight to PDF / PNG.

The panel's result layer is printed first; below it the visible layers that belong on the theme's map (see
`print_layers`), so the map looks like the canvas the planner composed, without the other analyses' layers."""
from __future__ import annotations

import datetime as dt

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ..analysis.fields import detect_field_map
from ..i18n import tr
from ..layouts import layer_roles, templates
from ..layouts.builder import LayoutError, PrintRequest, build_layout, organisation, set_organisation
from ..layouts.exporting import export_layout
from ..layouts.themes import THEMES
from ..qgis_bridge.layers import field_names
from .common import dialog_buttons, layer_filter

OTHER_TEMPLATE = "other"


def print_layers(first, theme) -> list:
    """`first`, then the layers visible in the layer tree, top to bottom, that belong on this theme's map: the
    theme's context roles (plots, farmland, …), layers without a role (district outlines, roads, a basemap) and
    other result layers of the same run (violation pieces, merge clusters, the farmland flows). Left out: the
    analysed input itself (the result draws it again), other analyses' inputs and results."""
    from ..qgis_bridge.fieldmaps import role_of
    from .common import RESULT_LAYER_KEY

    source_id = first.customProperty(RESULT_LAYER_KEY) or None
    chosen = [first]
    for node in QgsProject.instance().layerTreeRoot().findLayers():
        layer = node.layer()
        if layer is None or layer is first or not node.isVisible() or layer.id() == source_id:
            continue
        if isinstance(layer, QgsVectorLayer):
            result_of = layer.customProperty(RESULT_LAYER_KEY)
            if result_of is not None and (result_of or None) != source_id:
                continue
            # a run's second output (the farmland flows, 指标调剂流向 in Chinese) by its fields, never by a guess
            # from its name: 指标调剂流向 reads as the 指标调剂 input, and the flows were left off the farmland map
            output = result_of is not None or layer_roles.output_role(layer) is not None
            role = None if output else role_of(layer)
            if role and role not in theme.context_roles:
                continue
        chosen.append(layer)
    return chosen


def data_source(result) -> str:
    """The subtitle's 数据来源: the analysed input layer and its file (the result is a memory layer)."""
    from ..layouts.builder import source_text
    from .common import RESULT_LAYER_KEY

    source = QgsProject.instance().mapLayer(result.customProperty(RESULT_LAYER_KEY) or "")
    return source_text(source or result)


class PrintDialog(QDialog):
    """Options of a printed map; `request()` turns them into a PrintRequest for the builder."""

    def __init__(self, parent, theme_key: str, layers: list, as_of: dt.date | None):
        super().__init__(parent)
        self.theme = THEMES[theme_key]
        self.layers, self.as_of = layers, as_of
        self.setWindowTitle(tr("Print: {title}").format(title=self.theme.title))
        form = QFormLayout()
        self.template = QComboBox()
        names = {"a3_landscape": tr("A3 landscape"), "a4_portrait": tr("A4 portrait")}
        for name in templates.BUNDLED:
            self.template.addItem(names.get(name, name), name)
        self.template.addItem(tr("Other template (.qpt)…"), OTHER_TEMPLATE)
        self.template_file = QgsFileWidget()
        self.template_file.setFilter(tr("Layout templates (*.qpt)"))
        self.template_file_label = QLabel(tr("Template file"))
        self.atlas = QgsMapLayerComboBox()
        self.atlas.setFilters(layer_filter("PolygonLayer"))
        self.atlas.setAllowEmptyLayer(True, tr("none: one page"))
        self.page_field = QgsFieldComboBox()
        self.page_field.setAllowEmptyFieldName(True)
        self.atlas.setCurrentIndex(0)  # the empty row, which says what it means (setLayer(None) shows a blank box)
        self.top_n = QSpinBox()
        self.top_n.setRange(1, 500)
        self.top_n.setValue(self.theme.top_n)
        self.organisation = QLineEdit(organisation())
        form.addRow(tr("Template"), self.template)
        form.addRow(self.template_file_label, self.template_file)
        form.addRow(tr("One page per feature of"), self.atlas)
        form.addRow(tr("Page name field"), self.page_field)
        form.addRow(tr("Rows in the table (at most)"), self.top_n)
        form.addRow(tr("Organisation (footer)"), self.organisation)
        buttons = dialog_buttons(QDialogButtonBox.StandardButton.Cancel)
        self.designer_button = buttons.addButton(tr("Open in layout designer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button = buttons.addButton(tr("Export PDF / PNG…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.choice = None
        self.designer_button.clicked.connect(lambda: self._choose("designer"))
        self.export_button.clicked.connect(lambda: self._choose("export"))
        self.template.currentIndexChanged.connect(self.template_changed)
        self.template_changed()
        self.atlas.layerChanged.connect(self.coverage_changed)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(buttons)

    def template_changed(self, *_args) -> None:
        """The template file row only while "Other template (.qpt)…" is chosen (no blank, disabled row)."""
        other = self.template.currentData() == OTHER_TEMPLATE
        self.template_file_label.setVisible(other)
        self.template_file.setVisible(other)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def coverage_changed(self, layer) -> None:
        """Pages named after the coverage layer's district (or project, plan) field when it has one."""
        self.page_field.setLayer(layer)
        if layer is not None:
            detected = detect_field_map(field_names(layer))
            name = next((detected[c] for c in ("district", "project_name", "plan_id", "project_id") if c in detected),
                        "")
            self.page_field.setField(name)

    def request(self) -> PrintRequest:
        template = self.template.currentData()
        if template == OTHER_TEMPLATE:
            template = self.template_file.filePath()
        atlas = self.atlas.currentLayer()
        set_organisation(self.organisation.text())
        return PrintRequest(self.theme, self.layers, template=template, as_of=self.as_of, top_n=self.top_n.value(),
                            atlas_layer=atlas, atlas_field=self.page_field.currentField() if atlas else "",
                            organisation=self.organisation.text().strip(), data_source=data_source(self.layers[0]))


def open_in_designer(iface, request: PrintRequest):
    """Build the layout in the current project (replacing an earlier one of the same name) and open it."""
    project = QgsProject.instance()
    name = f"{request.theme.title} {(request.as_of or dt.date.today()).isoformat()}"
    manager = project.layoutManager()
    previous = manager.layoutByName(name)
    if previous is not None:
        manager.removeLayout(previous)
    layout = build_layout(project, request, name)
    manager.addLayout(layout)
    iface.openLayoutDesigner(layout)
    return layout


def export_to_file(request: PrintRequest, path: str) -> list[str]:
    return export_layout(build_layout(QgsProject.instance(), request), path)


def run_print_dialog(dock, theme_key: str, result_layer, as_of: dt.date | None) -> None:
    """The Print button's work: the dialog, then the designer or the file; every problem in the message bar."""
    if result_layer is None:
        dock.push(tr("Run the analysis first; there is nothing to print"), Qgis.MessageLevel.Warning)
        return
    dialog = PrintDialog(dock, theme_key, print_layers(result_layer, THEMES[theme_key]), as_of)
    try:
        if not dialog.exec() or dialog.choice is None:
            return
        request = dialog.request()
    finally:  # a dialog per print, parented to the dock: its layer combo would listen to the project for ever
        dialog.deleteLater()
    try:
        if dialog.choice == "designer":
            open_in_designer(dock.iface, request)
        else:
            path, _ = QFileDialog.getSaveFileName(dock, tr("Export the map"), f"{theme_key}.pdf",
                                                  "PDF (*.pdf);;PNG (*.png)")
            if not path:
                return
            files = export_to_file(request, path)
            dock.push(tr("Map exported to {files}").format(files=", ".join(files)), Qgis.MessageLevel.Success)
    except (LayoutError, templates.TemplateError) as exc:
        dock.push(str(exc), Qgis.MessageLevel.Critical)
        return
    for warning in request.warnings:
        dock.push(warning, Qgis.MessageLevel.Warning)
