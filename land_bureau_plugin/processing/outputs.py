"""Outputs never overwrite an input, and a failed run leaves no output behind.

Why: the GeoPackage driver replaces a file (or, given a layer name, writes into it) without asking, so an OUTPUT
pointing at the GeoPackage the parcels came from destroyed the parcels. Before an algorithm writes anything, every
file destination is compared with every input's file (same path, whatever the layer name); a match is refused.
While the run goes, `Destinations` remembers what each destination was before it, so that a run that fails (or is
canceled) removes what it wrote: a file it created, a file it rewrote, or a table it added to an existing
GeoPackage — never a table that was there before.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from qgis.core import (
    QgsProcessingDestinationParameter,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorLayer,
    QgsProperty,
    QgsProviderRegistry,
)

from ..analysis.messages import Message
from ..errors import QT_TRANSLATE_NOOP, OutputError
from ..qgis_bridge.gpkg import close_dataset, connect_read_only
from ..qgis_bridge.layers import readable_name

# Files that belong to a dataset besides its main path (GeoPackage journals, shapefile parts).
SIDECARS = {".gpkg": ("-wal", "-shm", "-journal"), ".sqlite": ("-wal", "-shm", "-journal"),
            ".shp": (".shx", ".dbf", ".prj", ".cpg", ".qpj", ".sbn", ".sbx", ".qix", ".qmd")}
_NOT_FILES = ("memory:", "postgres:", "postgis:", "spatialite:", "mssql:", "oracle:", "hana:")
LAYER_PARAMETERS = (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer,
                    QgsProcessingParameterMapLayer, QgsProcessingParameterRasterLayer)


def normalised(path: str) -> str:
    """One spelling per file: absolute, symlinks resolved, case folded where the file system folds it."""
    return os.path.normcase(os.path.realpath(os.path.expanduser(path)))


def destination_text(value) -> str:
    """A destination parameter's value as the text the user gave: a path, "path|layername=…", "ogr:…", "memory:"."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    return str(value or "").strip()


def destination_path(value) -> tuple[str, str | None]:
    """(file path, layer name or None) of a destination parameter's value; ('', None) for memory, temporary
    and database destinations."""
    text = destination_text(value)
    if not text or text == "TEMPORARY_OUTPUT" or text.lower().startswith(_NOT_FILES):
        return "", None
    if text.lower().startswith("ogr:"):  # ogr:dbname='path' table="name" (geom:…)
        dbname = re.search(r"dbname='((?:[^'\\]|\\.)*)'|dbname=(\S+)", text[4:])
        table = re.search(r"table=\"((?:[^\"\\]|\\.)*)\"|table=(\S+)", text[4:])
        path = (dbname.group(1) or dbname.group(2)) if dbname else ""
        return path.replace("\\'", "'"), ((table.group(1) or table.group(2)) if table else None)
    path, _, options = text.partition("|")
    layer = re.search(r"layername=([^|]+)", options)
    return path, (layer.group(1) if layer else None)


def as_sink_destination(value):
    """A destination parameter's value as QGIS's sinks read it: "path|layername=x" (how QGIS names a table it
    wrote, and how the plugin's own bulk writer takes it) becomes "ogr:dbname='path' table=\"x\" (geom)", the
    Processing dialog's spelling of a table added to a GeoPackage. Why: a sink takes everything after the last dot
    of a plain destination for the extension, so QGIS wrote a new file named "results.gpkg|layername=x.gpkg" (on
    Windows no file at all: "|" is not allowed in a name) — and the run's undo, looking for table x in
    results.gpkg, left that file behind. Anything else is returned as it is."""
    text = destination_text(value)
    path, layer = destination_path(value)
    if not layer or text.lower().startswith("ogr:") or not path.lower().endswith(".gpkg"):
        return value
    dbname = path.replace("\\", "/").replace("'", "\\'")  # QgsDataSourceUri reads a backslash as an escape
    table = layer.replace('"', '\\"')
    spelled = f"ogr:dbname='{dbname}' table=\"{table}\" (geom)"
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = QgsProcessingOutputLayerDefinition(value)
        value.sink = QgsProperty.fromValue(spelled)
        return value
    return spelled


def layer_file(layer) -> str:
    """The file a layer reads, or '' (memory, database, web)."""
    if layer is None:
        return ""
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()) or {}
    path = parts.get("path") or ""
    if not path and layer.providerType() == "delimitedtext":
        from qgis.PyQt.QtCore import QUrl

        path = QUrl(layer.source()).toLocalFile()
    return path if path and os.path.exists(path) else ""


def input_files(algorithm, parameters, context) -> dict[str, str]:
    """{normalised file: what to call it} of every file an algorithm's parameters read."""
    files = {}
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        if isinstance(definition, QgsProcessingDestinationParameter) or parameters.get(name) in (None, ""):
            continue
        layers = []
        if isinstance(definition, LAYER_PARAMETERS):
            layers = [algorithm.parameterAsLayer(parameters, name, context)]
        elif isinstance(definition, QgsProcessingParameterMultipleLayers):
            layers = algorithm.parameterAsLayerList(parameters, name, context)
        for layer in layers:
            path = layer_file(layer)
            if path:
                files[normalised(path)] = readable_name(layer)
        if isinstance(definition, QgsProcessingParameterFile):
            path = algorithm.parameterAsFile(parameters, name, context)
            if path and os.path.exists(path):
                files[normalised(path)] = os.path.basename(path)
    return files


@dataclass
class Destination:
    """A file destination and what it was before the run."""

    parameter: str
    path: str
    layer: str | None
    existed: bool = False
    stamp: tuple = ()
    tables: set = field(default_factory=set)

    @classmethod
    def before(cls, parameter: str, path: str, layer: str | None) -> Destination:
        destination = cls(parameter, path, layer)
        destination.existed = os.path.exists(path)
        if destination.existed:
            destination.stamp = _stamp(path)
            destination.tables = set(_gpkg_tables(path))
        return destination

    def undo(self) -> None:
        """Remove what the run wrote here: a new or rewritten file, or a table new in a GeoPackage that held
        other tables before the run."""
        if not os.path.exists(self.path):
            return
        changed = _stamp(self.path) != self.stamp
        if self.existed and self.tables:
            now = set(_gpkg_tables(self.path))
            if self.tables <= now:  # the GeoPackage is still the user's: drop only the table(s) this run wrote
                written = now - self.tables
                if changed and self.layer in self.tables:
                    written.add(self.layer)
                _drop_tables(self.path, sorted(written))
                return
        if self.existed and not changed:
            return  # untouched
        for path in [self.path, *_sidecars(self.path)]:
            try:
                os.remove(path)
            except OSError:
                pass


def _stamp(path: str) -> tuple:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def _sidecars(path: str) -> list[str]:
    base, extension = os.path.splitext(path)
    suffixes = SIDECARS.get(extension.lower(), ())
    return [path + suffix if suffix.startswith("-") else base + suffix for suffix in suffixes]


def _gpkg_tables(path: str) -> list[str]:
    """The tables of a GeoPackage (empty for other files, or when it cannot be read). Opened through
    `connect_read_only`: a path spelled into a URI as it is ("file:…/成果#2.gpkg?mode=ro") had SQLite open …/成果
    read-write — "#" starts a URI's fragment, "%" and "?" mean something too — create it empty and find no table,
    and the undo of a failed run then removed the whole GeoPackage instead of the run's own table."""
    if not path.lower().endswith(".gpkg"):
        return []
    import sqlite3
    from contextlib import closing

    db = connect_read_only(path)
    if db is None:
        return []
    try:
        with closing(db):
            return [row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")]
    except sqlite3.Error:
        return []


def _drop_tables(path: str, tables: list[str]) -> None:
    if not tables:
        return
    from osgeo import ogr

    dataset = ogr.Open(path, 1)
    if dataset is None:
        return
    for index in reversed(range(dataset.GetLayerCount())):
        if dataset.GetLayerByIndex(index).GetName() in tables:
            dataset.DeleteLayer(index)
    close_dataset(dataset)


class Destinations:
    """The file destinations of one run: checked against the inputs before it, undone when it fails."""

    def __init__(self, algorithm, parameters, context):
        self.items: list[Destination] = []
        for definition in algorithm.destinationParameterDefinitions():
            path, layer = destination_path(parameters.get(definition.name()))
            if path:
                self.items.append(Destination.before(definition.name(), path, layer))
        self.inputs = input_files(algorithm, parameters, context) if self.items else {}

    def refuse_overwriting_inputs(self) -> None:
        """OutputError naming the parameter, the file and the input it holds, for the first destination that is
        an input's file."""
        for item in self.items:
            read = self.inputs.get(normalised(item.path))
            if read is not None:
                raise OutputError(Message(QT_TRANSLATE_NOOP(
                    "errors", "The output {parameter} ({path}) is the file of the input layer {layer}: writing it "
                              "would overwrite the input. Choose another file; nothing was written"),
                    parameter=item.parameter, path=item.path, layer=read))

    def undo(self) -> None:
        for item in self.items:
            item.undo()
