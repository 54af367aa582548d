"""What every Land Bureau algorithm shares: naming, translation, the field-map and profile parameters, reading
canonical columns from a source, and building output fields (input attributes + results, results replacing
same-named input fields so re-running on a result layer does not pile up columns)."""
from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
import traceback

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QIcon

from ..analysis.field_units import area_unit_field
from ..analysis.fields import FIELDS, check_field_map
from ..analysis.memory import full_collections_postponed
from ..errors import InputError, as_land_bureau_error, did_you_mean
from ..i18n import tr, translate_in
from ..qgis_bridge.crs import crs_name, is_unknown, looks_like_degrees
from ..qgis_bridge.fieldmaps import detection_unless_saved, field_label, field_map_notes, field_map_of, role_label
from ..qgis_bridge.layers import (
    attach_columnar,
    definition_layer,
    read_with_detected_encoding,
    readable_name,
    refuse_misread_encoding,
)
from ..qgis_bridge.read_once import ReadOnce, is_shared_table
from ..qgis_bridge.results import ResultRows, qgs_fields
from ..qgis_bridge.writing import (
    CopyCheck,
    attach_filled,
    attached_filled,
    bulk_writable,
    output_fields,
    write_features,
    write_gpkg,
)
from ..resources_path import resources_dir
from ..rules.profile import load_profile, section

MAX_IDS_LISTED = 20  # feature ids named per log message; the rest are counted
NO_GEOMETRY = (QgsWkbTypes.GeometryType.NullGeometry, QgsWkbTypes.GeometryType.UnknownGeometry)


def check_canceled(feedback) -> None:
    """Stop between phases when the user cancels. A plain QgsProcessingException: sip hands exactly that class to
    QGIS as a message, while a subclass would land in the log as a traceback. The panels tell a cancel from a
    failure by the feedback."""
    if feedback is not None and feedback.isCanceled():
        raise QgsProcessingException(tr("Canceled"))


def listed_ids(ids) -> str:
    """'3, 7, 12' — at most MAX_IDS_LISTED ids, then how many more."""
    ids = [str(i) for i in ids]
    text = ", ".join(ids[:MAX_IDS_LISTED])
    if len(ids) > MAX_IDS_LISTED:
        text += " " + tr("and {n} more").format(n=len(ids) - MAX_IDS_LISTED)
    return text


def percent_sign_note(layer: str, field: str, ids) -> str:
    """The log line for a FAR or coverage column read as ratios but for its values written with "%"
    (analysis.plausibility.PERCENT_SIGN): those, by feature id, divided by 100 — not the column."""
    return tr("Layer {layer}, field {field}: {n} value(s) written with a % sign read in percent (divided by 100), in "
              "feature id(s) {ids}; the other values are ratios").format(layer=layer, field=field, n=len(ids),
                                                                       ids=listed_ids(ids))


def translated_reasons(templates: dict[str, str]) -> dict[str, str]:
    """An analysis's reason templates (marked QT_TRANSLATE_NOOP("reasons", ...) in the Qt-free core) in the UI
    language, as the cores take them: one place for the three algorithms' `translated_templates`."""
    return {key: translate_in("reasons", text) for key, text in templates.items()}


def processing_exception(exc: BaseException, feedback=None) -> QgsProcessingException:
    """The one place where an algorithm's failure becomes what Processing shows: a plain QgsProcessingException
    (sip hands exactly that class to QGIS as a message; a subclass would land in the log as a traceback).

    A LandBureauError gives its translated message; any other exception becomes an UnexpectedError naming its type,
    and the layer, feature id and field when a reader noted them — the traceback goes to the debug log only."""
    if isinstance(exc, QgsProcessingException):
        return exc
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    error = as_land_bureau_error(exc, details)
    if feedback is not None and error.details:
        feedback.pushDebugInfo(error.details)
    return QgsProcessingException(error.shown())


def _guarded(process):
    """processAlgorithm as QGIS calls it: outputs checked against the inputs before anything is written (refused
    when one would overwrite an input), the work done with Python's full collections postponed, every failure turned
    into a message by `processing_exception`, and the outputs a failed or canceled run wrote removed."""
    from .outputs import Destinations

    @functools.wraps(process)
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            destinations = Destinations(self, parameters, context)
            destinations.refuse_overwriting_inputs()
        except Exception as exc:  # noqa: BLE001 — every failure reaches the user as a message
            raise processing_exception(exc, feedback) from None
        try:
            with full_collections_postponed():  # analysis.memory: a full collection walks the run's large arrays
                return process(self, parameters, context, feedback)
        except Exception as exc:  # noqa: BLE001
            error = processing_exception(exc, feedback)
            traceback.clear_frames(exc.__traceback__)  # release the half-written sinks before removing them
            del exc
            gc.collect()
            destinations.undo()
            raise error from None

    return processAlgorithm


def check_field_map_usable(field_map: dict[str, str], source, role: str) -> None:
    """InputError listing everything that makes `field_map` unusable on `source` (analysis.fields.check_field_map;
    a missing required field is each algorithm's own business), with the nearest names as "did you mean"."""
    names = [f.name() for f in source.fields()]
    problems = []
    for problem in check_field_map(field_map, names, role):
        canon = ", ".join(problem.canonical)
        if problem.code == "unknown_field":
            problems.append(tr("field {field} (mapped to {canonical}) does not exist{hint}").format(
                field=problem.layer_field, canonical=canon, hint=did_you_mean(problem.layer_field, names)))
        elif problem.code == "unknown_canonical":
            problems.append(tr("{canonical} is not a known canonical name{hint}").format(
                canonical=canon, hint=did_you_mean(canon, list(FIELDS))))
        elif problem.code == "duplicate_target":
            problems.append(tr("field {field} is mapped to several names ({canonical}); map each to its own "
                               "field").format(field=problem.layer_field, canonical=canon))
    if problems:
        raise InputError(tr("the field map cannot be used: {problems}. Fields of the layer: {fields}").format(
            problems="; ".join(problems), fields=", ".join(names)), layer=source.sourceName())


class LandBureauAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses give name/displayName/group and the work (processAlgorithm, wrapped once here by
    `_guarded`: outputs never overwrite inputs, errors become messages, a failed run leaves no output)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "processAlgorithm" in cls.__dict__:
            cls.processAlgorithm = _guarded(cls.__dict__["processAlgorithm"])

    def createInstance(self):  # noqa: N802
        return type(self)()

    def as_of_date(self, parameters, name: str, context) -> dt.date:
        """The date parameter `name` as a date; today when it was left empty."""
        value = self.parameterAsDateTime(parameters, name, context)
        if value is not None and value.isValid() and parameters.get(name) not in (None, ""):
            return value.date().toPyDate()
        return dt.date.today()

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Keep the run's feedback for parameterAsSource's log lines: qgis_process does not put it on the context."""
        self.run_feedback = feedback
        return True

    def parameterAsSource(self, parameters, name, context):  # noqa: N802
        """The feature source, named so that messages can name it: a layer Processing loaded itself from a path
        (qgis_process, a batch run) is called '' (delimited text) or after its file (every table of a GeoPackage
        'demo'); it gets its table or file name first. Layers of the user's project keep their own names."""
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is not None and context.temporaryLayerStore().mapLayer(layer.id()) is not None:
            layer.setName(readable_name(layer))
            feedback = context.feedback() or getattr(self, "run_feedback", None)
            read_with_detected_encoding(layer, feedback)  # a GBK shapefile without .cpg: never U+FFFD
            if isinstance(parameters.get(name), str):  # a path: the source is made from this same layer, not a reload
                parameters = {**parameters, name: layer}
        elif layer is not None:
            refuse_misread_encoding(layer)
        source = super().parameterAsSource(parameters, name, context)
        if source is not None:
            if layer is None:  # selected features only, a feature limit: a definition naming the layer
                layer = definition_layer(parameters.get(name), context)
            attach_filled(source, layer)  # the writer's stand-ins of values to come (write_output)
            attach_columnar(source, layer, parameters.get(name), context)  # read by columns: a whole OGR table
        return source

    def parameterAsSink(self, parameters, name, context, fields, *args, **kwargs):  # noqa: N802
        """The sink; a shapefile destination gets field names a DBF holds (qgis_bridge/shapefile_names: the
        documented short names, Chinese names cut between characters, never half of one) and its text in UTF-8
        with a .cpg that says so — not the "system" encoding, which QGIS writes by default and no other computer
        can read. The renamed fields are logged. A table named after a GeoPackage's path ("path|layername=x") is
        added to that GeoPackage (`as_sink_destination`), as the bulk writer adds it."""
        from ..qgis_bridge.shapefile_names import dbf_fields, is_shapefile
        from .outputs import as_sink_destination, destination_path

        if name in parameters:
            parameters = {**parameters, name: as_sink_destination(parameters[name])}
        path, _ = destination_path(parameters.get(name))
        if is_shapefile(path):
            fields, renamed = dbf_fields(fields)
            value = parameters.get(name)
            if isinstance(value, QgsProcessingOutputLayerDefinition):  # the dialog's own encoding ("System")
                value = QgsProcessingOutputLayerDefinition(value)
                value.createOptions = {**value.createOptions, "fileEncoding": "UTF-8"}
                parameters = {**parameters, name: value}
            kwargs["createOptions"] = {**kwargs.get("createOptions", {}), "fileEncoding": "UTF-8"}
            feedback = context.feedback() or getattr(self, "run_feedback", None)
            if feedback is not None and renamed:
                feedback.pushInfo(tr("{file}: a shapefile keeps 10 bytes of a field name; written as {names}").format(
                    file=os.path.basename(path), names=", ".join(f"{a} → {b}" for a, b in renamed)))
        return super().parameterAsSink(parameters, name, context, fields, *args, **kwargs)

    def write_output(self, parameters, name: str, context, source, result, spec: list, feedback, features,
                     repairs_geometry: bool = True) -> str:
        """The one writer of every analysis's main output (qgis_bridge.writing): the source's features with their
        kept attributes and the `spec` columns of `result` (indexed by feature id); returns the destination id.

        A GeoPackage file destination of a source read column by column is written in bulk (`write_gpkg`: one
        transaction, no Python step per feature); anything else goes through the Processing sink, `features` (the
        source's features, or the in-database engine's snapshot) in batches (`write_features`).
        `repairs_geometry`: the algorithm repairs invalid geometries itself, so the source's own geometry check
        does not apply to the features written either."""
        from .outputs import destination_path

        fields, kept = output_fields(source.fields(), qgs_fields(spec))
        path, layer_name = self._bulk_destination(parameters, name, source, fields, kept, repairs_geometry)
        ahead = getattr(self, "_copy_checks", {}).pop(name, None)
        if path is not None:
            destination = self.parameterAsOutputLayer(parameters, name, context)
            if destination_path(destination) == (path, layer_name):
                write_gpkg(path, layer_name, source, fields, kept, result, spec, feedback, repairs_geometry,
                           ahead)
                return destination
        sink, dest_id = self.parameterAsSink(parameters, name, context, fields, source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        write_features(sink, features, kept, fields, ResultRows(result, spec), feedback, source.sourceName(),
                       QgsWkbTypes.geometryType(source.wkbType()), attached_filled(source))
        return dest_id

    @staticmethod
    def _bulk_destination(parameters, name: str, source, fields, kept: list[int], repairs_geometry: bool):
        """(path, layer name) of a GeoPackage file destination `write_output` may write in bulk, else (None, None)."""
        from .outputs import destination_path, destination_text

        value = parameters.get(name)
        path, layer_name = destination_path(value)
        plain = not destination_text(value).lower().startswith("ogr:")  # a path: an ogr: URI goes the sink's way
        if plain and path.lower().endswith(".gpkg") and bulk_writable(source, fields, kept, repairs_geometry):
            return path, layer_name
        return None, None

    def check_copy_ahead(self, parameters, name: str, source, spec: list, repairs_geometry: bool = True) -> None:
        """Begin, on a thread of its own, the check `write_output` makes before writing `source` in bulk to the
        output `name` (which of its stored columns SQLite may copy: qgis_bridge.writing.CopyCheck), so that it runs
        beside the reading and the judgement instead of after them. Call it once the source the output is written
        from is known; `write_output` uses the result when nothing it checks has changed since."""
        fields, kept = output_fields(source.fields(), qgs_fields(spec))
        path, _layer_name = self._bulk_destination(parameters, name, source, fields, kept, repairs_geometry)
        if path is None:
            return
        check = CopyCheck.start(path, source, fields, kept, repairs_geometry)
        if check is not None:
            if not hasattr(self, "_copy_checks"):
                self._copy_checks = {}
            self._copy_checks[name] = check

    def icon(self):
        return QIcon(str(resources_dir() / "icons" / "icon.svg"))

    # --- shared parameters -------------------------------------------------------------------------------
    def add_field_map_parameter(self, name: str, role: str) -> None:
        description = tr("Field map for {role} (JSON {{canonical: field}}; empty = saved or detected)")
        self.addParameter(QgsProcessingParameterString(
            name, description.format(role=role_label(role)), optional=True, multiLine=False))

    def add_profile_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterFile(
            "PROFILE", tr("Rule profile (JSON; empty = bundled default)"), extension="json", optional=True))

    def field_map(self, parameters, context, name: str, layer_or_source, role: str) -> dict[str, str]:
        """The map given as a parameter, else the one saved on the layer, else the detected one."""
        text = self.parameterAsString(parameters, name, context)
        if not (text and text.strip()):
            return field_map_of(layer_or_source, role)
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise QgsProcessingException(tr("The field map is not valid JSON: {error}").format(error=exc)) from exc
        if not isinstance(value, dict):
            raise QgsProcessingException(tr("The field map must be a JSON object {canonical: field}"))
        return {str(k): str(v) for k, v in value.items() if v}

    def resolved_field_map(self, parameters, context, name: str, layer_parameter: str, source, role: str,
                           feedback) -> dict[str, str]:
        """The field map (parameter, saved or detected), validated, and logged — so a run's log says which field
        fed which input. A map naming a field the layer lacks, a canonical name the plugin does not know, or one
        field for two canonical names is refused (InputError naming them all): a misspelt field silently left out
        turned every project grey."""
        layer = self.parameterAsVectorLayer(parameters, layer_parameter, context)
        field_map = self.field_map(parameters, context, name, layer or source, role)
        check_field_map_usable(field_map, source, role)
        feedback.pushInfo(tr("Layer {layer}: field map {map}").format(
            layer=source.sourceName(), map=json.dumps(field_map, ensure_ascii=False)))
        unit_field = area_unit_field([f.name() for f in source.fields()], field_map)
        if unit_field is not None:
            feedback.pushInfo(tr("Layer {layer}: areas are read in the unit its field {field} gives per feature "
                                 "(1 m², 2 亩, 3 公顷, or the unit written out)").format(
                layer=source.sourceName(), field=unit_field))
        given = (self.parameterAsString(parameters, name, context) or "").strip()
        detection = None if given else detection_unless_saved(layer or source, role)
        for warning, message in field_map_notes(source.sourceName(), field_map, detection):
            (feedback.pushWarning if warning else feedback.pushInfo)(message)
        return field_map

    def alias_outputs(self, context, specs: dict) -> None:
        """Give the loaded outputs their Chinese field aliases ({parameter: ResultField list}); for the outputs
        whose destination ids processAlgorithm kept in `self.dest_ids`. Sinks drop aliases, so an algorithm calls
        this from postProcessAlgorithm, which runs on the main thread once the outputs are loaded."""
        from qgis.core import QgsProcessingUtils

        from ..qgis_bridge.results import set_aliases

        for name, dest_id in getattr(self, "dest_ids", {}).items():
            layer = QgsProcessingUtils.mapLayerFromString(dest_id, context)
            if layer is not None and name in specs:
                set_aliases(layer, specs[name])

    @staticmethod
    def report_reprojection(sources, planar, feedback, message: str) -> None:
        """Log each given source (None = not given) not in the planar CRS the run measures in; `message` is a
        translated template with {layer}, {crs} and {planar}."""
        for layer in sources:
            if layer is not None and not is_unknown(planar) and layer.sourceCrs() != planar:
                feedback.pushInfo(message.format(layer=layer.sourceName(), crs=crs_name(layer.sourceCrs()),
                                                 planar=crs_name(planar)))

    @staticmethod
    def check_crs(sources, feedback, measures: bool = True) -> None:
        """Every given source with geometry (None = not given) without a known CRS is named in the log; the run is
        refused when such a layer would be related to another layer (an overlay across unknown CRSs measured 0 m²
        where plans lay on farmland), or, when the algorithm `measures` areas or lengths, when its coordinates look
        like degrees (areas would be square degrees, "zero")."""
        given = [source for source in sources if source is not None
                 and QgsWkbTypes.geometryType(source.wkbType()) not in NO_GEOMETRY]
        unknown = [source for source in given if is_unknown(source.sourceCrs())]
        for source in unknown:
            # no CRS name in the message: QGIS 3.22 calls a GeoPackage's srs_id 0 "Undefined geographic SRS",
            # 3.40 has no name for it at all
            feedback.pushWarning(tr("Layer {layer} has no coordinate reference system: its coordinates are taken "
                                    "as metres").format(layer=source.sourceName()))
        if unknown and len(given) > 1:
            others = [source.sourceName() for source in given if source not in unknown]
            raise InputError(tr(
                "layer(s) {layers} have no coordinate reference system, so they cannot be related to {others}: "
                "nothing was checked. Set the CRS of each layer (Layer Properties → Source → Assigned coordinate "
                "reference system, or the shapefile's .prj) and run again").format(
                layers=", ".join(source.sourceName() for source in unknown),
                others=", ".join(others) or tr("each other")))
        for source in unknown if measures else ():
            if looks_like_degrees(source.sourceExtent()):
                raise InputError(tr(
                    "the coordinates look like longitude / latitude in degrees, but the layer has no coordinate "
                    "reference system: areas would be in square degrees. Assign its CRS (e.g. EPSG:4490 CGCS2000) "
                    "and run again"), layer=source.sourceName())

    @staticmethod
    def require_fields(source, field_map: dict, fields) -> None:
        """The run's message naming the layer, the required canonical fields its map lacks and the map detected."""
        missing = [name for name in fields if not field_map.get(name)]
        if missing:
            raise QgsProcessingException(tr("Layer {layer}: required field(s) {fields} not found; detected map: "
                                            "{detected}").format(layer=source.sourceName(),
                                                                 fields=", ".join(field_label(c) for c in missing),
                                                                 detected=json.dumps(field_map, ensure_ascii=False)))

    def read_once(self, parameters, context, name: str, source, feedback, repairs_geometry: bool = False,
                  progress: bool = True):
        """The source the local engine judges and writes: `source` itself, or — when the layer is a table of a
        shared database — a copy read now in one pass (qgis_bridge.read_once), so that another user's edits
        during the run never mix into its output. `repairs_geometry` as for read_columns; `progress`: the reading
        is the feedback's current step (0-100 %)."""
        if not is_shared_table(self.parameterAsVectorLayer(parameters, name, context)):
            return source
        feedback.pushInfo(tr("Layer {layer} is a table of a shared database: it is read once, and the output shows "
                             "its rows as the run judged them, whatever other users change meanwhile").format(
            layer=source.sourceName()))
        return ReadOnce(source, repairs_geometry, feedback if progress else None)

    def curve_tolerance(self, parameters, context) -> float:
        """The profile's `geometry.curve_tolerance_m`: how closely curves are linearised when read (read_columns)."""
        from ..analysis.geometry_rules import GeometryRules

        return self.rules(parameters, context, "geometry", GeometryRules).curve_tolerance_m

    def rules(self, parameters, context, section_name: str, rules_class):
        """The profile's `section_name` as `rules_class`; a ProfileError becomes the run's message (`_guarded`)."""
        path = self.parameterAsFile(parameters, "PROFILE", context)
        return section(load_profile(path or None), section_name, rules_class)
