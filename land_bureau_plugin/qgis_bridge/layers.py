"""Layers ↔ columns: open what the bureau has, read canonical columns and geometries in bulk.

Reading is the I/O floor of every analysis, so it is done once per layer with only the needed attributes,
geometry as WKB straight into shapely 2 (no per-feature QgsGeometry work in Python).
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from qgis.core import (
    QgsAbstractGeometry,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QUrl, QUrlQuery, QVariant

from ..analysis.field_units import AREA_FIELDS, area_unit_field, in_area_units, in_canonical_unit
from ..analysis.fields import unit_in_name
from ..analysis.frames import frame_of
from ..analysis.geometry_rules import DEFAULT_RULES as GEOMETRY_DEFAULTS
from ..errors import InputError, note_where
from ..i18n import tr
from .stored_text import StoredTexts


class LayerError(InputError):
    """A layer that cannot be used, with a translated message naming it."""


FILE_FILTER_EXTENSIONS = ("shp", "gpkg", "geojson", "json", "csv", "kml", "tab", "dxf")


TABLE_NAME_KEY = "land_bureau/table_name"  # the one table of a file opened under the file's name, when it differs


def open_file_layer(path: str, layer_name: str | None = None, encoding: str | None = None) -> list[QgsVectorLayer]:
    """Open every vector layer in a file (a GeoPackage holds many). CSV is read with its X/Y (or WKT) columns.

    Raises LayerError with a translated message when the file is missing, unreadable or has no vector layer.
    """
    import os

    if not os.path.exists(path):
        raise LayerError(tr("File not found: {path}").format(path=path))
    base = os.path.splitext(os.path.basename(path))[0]
    if path.lower().endswith(".csv"):
        return [_open_csv(path, base, encoding)]
    probe = QgsVectorLayer(path, base, "ogr")
    sublayers = probe.dataProvider().subLayers() if probe.isValid() else []
    names = [s.split("!!::!!")[1] for s in sublayers if "!!::!!" in s] if len(sublayers) > 1 else []
    if layer_name:
        names = [layer_name]
    layers = []
    for name in names or [None]:
        uri = f"{path}|layername={name}" if name else path
        layer = QgsVectorLayer(uri, name or base, "ogr")
        if not layer.isValid():
            raise LayerError(tr("Cannot open {path}: not a readable vector file").format(path=uri))
        if name is None and len(sublayers) == 1 and "!!::!!" in sublayers[0]:
            table = sublayers[0].split("!!::!!")[1]
            if table and table != base:  # 边界.gpkg holding 城镇开发边界: the table's name tells the role (role_of)
                layer.setCustomProperty(TABLE_NAME_KEY, table)
        chosen = encoding or _shapefile_encoding(path)
        if chosen:
            layer.setProviderEncoding(chosen)
        layers.append(layer)
    if not layers:
        raise LayerError(tr("{path} holds no vector layer").format(path=path))
    return layers


def _shapefile_encoding(path: str) -> str | None:
    """For a shapefile without a .cpg or with a wrong one, the encoding its DBF bytes are in (GBK offices send
    such files); None when its .cpg is right or its text is ASCII."""
    from .encoding import shapefile_encoding

    found = shapefile_encoding(path)
    return found[0] if found else None


def shapefile_path(layer) -> str | None:
    """The .shp file an OGR layer reads, else None."""
    if layer.providerType() != "ogr":
        return None
    path = (QgsProviderRegistry.instance().decodeUri("ogr", layer.source()) or {}).get("path") or ""
    return path if path.lower().endswith(".shp") else None


def _same_encoding(a: str, b: str) -> bool:
    groups = ({"GBK", "CP936", "GB2312", "GB18030"}, {"BIG5", "CP950", "BIG5-HKSCS"}, {"UTF-8", "UTF8"})
    a, b = a.upper(), b.upper()
    return a == b or any(a in group and b in group for group in groups)


ENCODING_SET_KEY = "land_bureau/encoding_set"


def read_with_detected_encoding(layer, feedback=None) -> str | None:
    """Give a shapefile layer Processing loaded itself (qgis_process, a path in a batch) the encoding of its
    bytes when its .cpg is missing or wrong, and say so; the encoding set, else None. Without it, GBK names and
    values come out as mojibake or U+FFFD, in the field map and in every output."""
    from .encoding import shapefile_encoding

    path = shapefile_path(layer)
    found = shapefile_encoding(path) if path else None
    if found is None or layer.customProperty(ENCODING_SET_KEY) == found[0]:  # nothing to do, or done and said
        return None
    encoding, declared = found
    layer.setProviderEncoding(encoding)
    layer.setCustomProperty(ENCODING_SET_KEY, encoding)
    if feedback is not None:
        if declared == "missing":
            feedback.pushInfo(tr("Layer {layer}: no .cpg; its text is read as {encoding} (judged from its bytes)")
                              .format(layer=readable_name(layer), encoding=encoding))
        else:
            feedback.pushWarning(tr("Layer {layer}: its .cpg says {declared}, which does not fit its bytes; its text "
                                    "is read as {encoding}").format(layer=readable_name(layer), declared=declared,
                                                                    encoding=encoding))
    return encoding


def refuse_misread_encoding(layer) -> None:
    """A shapefile of the user's project read in an encoding its bytes are not in would put mojibake or U+FFFD
    into the outputs: LayerError naming the layer and the encoding to set (the project layer is not changed)."""
    from .encoding import shapefile_encoding

    path = shapefile_path(layer)
    found = shapefile_encoding(path) if path else None
    if found is None or found[0] == "UTF-8" or _same_encoding(layer.dataProvider().encoding(), found[0]):
        return
    raise LayerError(tr("Layer {layer} is read as {current}, but its text is {encoding} (its .cpg: {declared}): "
                        "the Chinese text would be garbled. Set its encoding to {encoding} in the Load data panel "
                        "or in Layer Properties → Source, then run again").format(
        layer=layer.name(), current=layer.dataProvider().encoding(), encoding=found[0],
        declared=tr("none") if found[1] == "missing" else found[1]))


def _open_csv(path: str, name: str, encoding: str | None) -> QgsVectorLayer:
    """A CSV with coordinates: detect X/Y (x, y, lon, lat, 经度, 纬度) or a WKT column."""
    import csv

    with open(path, encoding=encoding or "utf-8-sig", errors="replace") as handle:
        header = next(csv.reader(handle), [])
    lower = {h.strip().lower(): h.strip() for h in header}
    pairs = (("x", "y"), ("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("经度", "纬度"),
             ("x坐标", "y坐标"))
    options = [f"encoding={encoding or 'UTF-8'}", "detectTypes=yes"]
    for x, y in pairs:
        if x in lower and y in lower:
            options += [f"xField={lower[x]}", f"yField={lower[y]}"]
            break
    else:
        wkt = next((lower[k] for k in ("wkt", "geometry", "geom") if k in lower), None)
        if wkt is None:
            raise LayerError(tr("{path}: the CSV has no coordinate columns (x/y, lon/lat, 经度/纬度) or WKT column")
                             .format(path=path))
        options.append(f"wktField={wkt}")
    # A file URL, percent-encoded: '#', '?', '%' or spaces in a folder name, and C:\ paths on Windows, survive
    # (a plain "file://" + path opened such a file as an empty layer, or not at all).
    url = QUrl.fromLocalFile(path)
    query = QUrlQuery()
    for option in options:
        query.addQueryItem(*option.split("=", 1))
    url.setQuery(query)
    layer = QgsVectorLayer(bytes(url.toEncoded()).decode("ascii"), name, "delimitedtext")
    if not layer.isValid():
        raise LayerError(tr("Cannot open {path} as a CSV layer").format(path=path))
    return layer


def refuse_clear_password(uri: QgsDataSourceUri) -> None:
    """A password outside an auth config would be written into the project in clear text: LayerError instead."""
    if uri.password() and not uri.authConfigId():
        raise LayerError(tr("The connection stores its password in clear text, which would be written into the "
                            "project. Use a QGIS authentication configuration (authcfg) or a libpq service file "
                            "instead."))


def open_postgis_layer(uri: QgsDataSourceUri | str, name: str) -> QgsVectorLayer:
    """A PostGIS table from a URI whose credentials come from a service file or an auth config (a clear-text
    password is refused: it would end up in the project)."""
    uri = uri if isinstance(uri, QgsDataSourceUri) else QgsDataSourceUri(uri)
    refuse_clear_password(uri)
    layer = QgsVectorLayer(uri.uri(False), name, "postgres")
    if not layer.isValid():
        error = layer.dataProvider().error().summary() if layer.dataProvider() else ""
        raise LayerError(tr("Cannot open the PostGIS table {name}: {error}").format(name=name, error=error or "?"))
    return layer


def geometry_kind(layer: QgsVectorLayer) -> str:
    """'point', 'line', 'polygon', 'none' or 'unknown' — the vocabulary of analysis.fields.Role.geometry."""
    kinds = {QgsWkbTypes.GeometryType.PointGeometry: "point", QgsWkbTypes.GeometryType.LineGeometry: "line",
             QgsWkbTypes.GeometryType.PolygonGeometry: "polygon", QgsWkbTypes.GeometryType.NullGeometry: "none"}
    return kinds.get(layer.geometryType(), "unknown")


def readable_name(layer) -> str:
    """What to call a layer in a message when it has no name of the user's: its table (GeoPackage layer, PostGIS
    table), else its file name, else the name it has."""
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()) or {}
    table = parts.get("layerName") or parts.get("table")
    path = parts.get("path") or (QUrl(layer.source()).toLocalFile() if layer.providerType() == "delimitedtext" else "")
    return str(table or (Path(path).name if path else "") or layer.name())


def field_names(layer: QgsVectorLayer) -> list[str]:
    return [f.name() for f in layer.fields()]


def python_value(value):
    """QGIS attribute value → plain Python (None for NULL, date/datetime for QDate/QDateTime)."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return None
    return value


@dataclass
class LayerColumns:
    """What an analysis reads from a layer: canonical columns indexed by feature id, and optional geometries."""

    frame: pd.DataFrame
    geometries: np.ndarray | None = None  # shapely geometries aligned with frame.index


def read_columns(layer, field_map: dict[str, str], with_geometry: bool = False,
                 target_crs: QgsCoordinateReferenceSystem | None = None, feedback=None,
                 request: QgsFeatureRequest | None = None, repairs_geometry: bool = False,
                 numeric: tuple[str, ...] = (),
                 curve_tolerance_m: float = GEOMETRY_DEFAULTS.curve_tolerance_m) -> LayerColumns:
    """Read the mapped fields (renamed to canonical names) and, if asked, geometries as shapely objects.

    `layer` is a QgsVectorLayer or a Processing feature source (both have fields/getFeatures/featureCount).

    Geometries are transformed to `target_crs` when given, so areas are planar metres even for a geographic
    layer; one that cannot be transformed comes back as None (the analyses report missing geometries by id).
    The source layer is only read. `repairs_geometry`: the caller repairs invalid geometries itself, so a
    Processing source must hand them over instead of stopping at them (its context's invalid-geometry setting).
    `numeric`: canonical names to return as float64 columns (NaN for NULL) when the layer's field is numeric —
    an eighth of the memory of Python floats at a million rows; other columns hold plain Python values.

    Curves (CurvePolygon, CompoundCurve, MultiSurface …) are linearised to within `curve_tolerance_m` (the profile's
    `geometry.curve_tolerance_m`) after the transform, since shapely reads no curves.

    Two ways, one result: a file layer GDAL can hand over as Arrow batches is read column by column
    (`_read_columnar`, qgis_bridge.columnar: ~10× faster); any other layer, a layer with unsaved edits, or a read
    with a `request` of its own goes feature by feature (`_read_features`). tests/qgis/test_columnar_reader.py holds
    the two to the same ids, columns and values.
    """
    fields = layer.fields()
    wanted = {canon: name for canon, name in field_map.items() if name and fields.indexOf(name) >= 0}
    indexes = [fields.indexOf(name) for name in wanted.values()]
    unit_field = area_unit_field([f.name() for f in fields], wanted)  # 宗地 MJDW: the area's unit per feature
    if unit_field is not None:
        indexes.append(fields.indexOf(unit_field))
    transform = None
    source_crs = layer.sourceCrs() if hasattr(layer, "sourceCrs") else layer.crs()
    if with_geometry and target_crs is not None and target_crs.isValid() and source_crs != target_crs:
        transform = QgsCoordinateTransform(source_crs, target_crs, QgsProject.instance().transformContext())
    tolerance = curve_tolerance_m
    output_crs = target_crs if transform is not None else source_crs
    if output_crs is not None and output_crs.isValid() and output_crs.isGeographic():
        tolerance /= METRES_PER_DEGREE  # a layer read in degrees: the same distance on the ground
    label = layer.sourceName() if hasattr(layer, "sourceName") else layer.name()
    as_float = [canon in numeric and fields.field(name).isNumeric() for canon, name in wanted.items()]
    as_float += [False] * (len(indexes) - len(as_float))
    texts = StoredTexts.begin(_layer_behind(layer), indexes, whole=request is None)
    read = None
    if request is None:
        read, why = _read_columnar(layer, indexes, as_float, with_geometry, transform, tolerance, feedback, label,
                                   repairs_geometry)
        if read is None:
            _note_read_by_features(layer, label, why, feedback)
    if read is None:
        read = _read_features(layer, indexes, as_float, with_geometry, transform, tolerance, feedback, label,
                              request, repairs_geometry)
    ids, columns, shapes = read
    if texts is not None:
        columns = texts.put_into(ids, columns)
    units = columns[len(wanted)] if unit_field is not None else None
    data = {}
    for (canon, name), values in zip(wanted.items(), columns):
        try:
            data[canon] = in_canonical_unit(values, name, canon)
            if units is not None and canon in AREA_FIELDS and not unit_in_name(name)[1]:
                data[canon] = in_area_units(np.asarray(data[canon], dtype=object), units, unit_field)
        except Exception as exc:
            note_where(exc, layer=label, field=name)
            raise
    frame = frame_of(data, pd.Index(ids, name="fid"), columns=list(wanted))  # text: objects, None for NULL
    return LayerColumns(frame, shapes)


def _read_features(layer, indexes, as_float, with_geometry, transform, tolerance, feedback, label, request,
                   repairs_geometry):
    """The feature reader: (ids, columns, shapely geometries or None), one Python step per feature (its id, the
    wanted attributes picked in C by an itemgetter, the WKB); NULLs and dates are converted per column afterwards,
    and WKB becomes shapely every `GEOMETRY_CHUNK` rows."""
    request = only_attributes(QgsFeatureRequest(request) if request else QgsFeatureRequest(), layer, indexes)
    if not with_geometry:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    pick = _picker(indexes)
    ids, rows = [], []
    geometries = _Geometries(transform, tolerance) if with_geometry else None
    total = max(layer.featureCount(), 1)
    feature = None
    try:  # an unexpected failure names the layer and the feature (errors.note_where), never a bare traceback
        for n, feature in enumerate(features_of(layer, request, repairs_geometry)):
            ids.append(feature.id())
            rows.append(pick(feature.attributes()))
            if geometries is not None:
                geometries.add(feature.geometry())
            if feedback is not None and n % 5000 == 0:
                if feedback.isCanceled():
                    break
                feedback.setProgress(100.0 * n / total)
    except Exception as exc:
        note_where(exc, layer=label, feature_id=feature.id() if feature is not None else None)
        raise
    try:
        shapes = geometries.array() if geometries is not None else None
    except Exception as exc:  # WKB is turned into shapely by chunks: the layer is known, the feature is not
        note_where(exc, layer=label)
        raise
    raw = list(zip(*rows)) if rows else [()] * len(indexes)
    del rows
    columns = _converted(layer, indexes, label, lambda i: _column(raw[i], as_float[i]))
    return ids, columns, shapes


def _read_columnar(layer, indexes, as_float, with_geometry, transform, tolerance, feedback, label,
                   repairs_geometry):
    """The columnar reader (qgis_bridge.columnar): ((ids, columns, shapely geometries or None), "") for a layer GDAL
    can hand over as Arrow batches exactly as QGIS reads it, else (None, why not: a translated phrase)."""
    from .columnar import plain_values, read_table

    table, why = columnar_examined(layer, with_geometry and not repairs_geometry)
    if table is None:
        return None, why
    if any(layer.fields().fieldOrigin(i) != QgsFields.FieldOrigin.OriginProvider for i in indexes):
        return None, tr("a field it is asked for is joined or computed by QGIS")
    provider_indexes = [layer.fields().fieldOriginIndex(i) for i in indexes]

    def progress(share):
        if feedback is not None:
            feedback.setProgress(100.0 * share)
            return feedback.isCanceled()
        return False

    multi = QgsWkbTypes.isMultiType(layer.wkbType())
    try:  # geometries become shapely batch by batch
        read = read_table(table, provider_indexes, with_geometry, progress,
                          lambda wkbs: geometries_from_wkb(wkbs, transform, tolerance, multi))
    except Exception as exc:
        note_where(exc, layer=label)
        raise
    if read is None:
        return None, tr("GDAL cannot hand its columns over as QGIS reads them")
    columns = _converted(layer, indexes, label, lambda i: plain_values(*read.fields[i], as_float[i]))
    return (read.fids, columns, read.wkb if with_geometry else None), ""


# From this many features on, a layer read feature by feature says so in the log, and why: the column reader is
# several times faster, and a user waiting on a large layer can often give it (save the layer as a GeoPackage).
NOTED_FEATURE_READ = 20_000


def _note_read_by_features(layer, label: str, why: str, feedback) -> None:
    count = layer.featureCount()
    if feedback is None or not why or count < NOTED_FEATURE_READ:
        return
    feedback.pushInfo(tr("Layer {layer}: its {count} features are read one by one, several times slower than a "
                         "GeoPackage, shapefile, FlatGeobuf or GeoJSON file read whole, since {reason}")
                      .format(layer=label, count=f"{count:,}", reason=why))


def _converted(layer, indexes, label, convert) -> list:
    """`convert(i)` for each wanted field i; an unexpected failure names the layer and the field."""
    columns = []
    for i, index in enumerate(indexes):
        try:
            columns.append(convert(i))
        except Exception as exc:
            note_where(exc, layer=label, field=layer.fields().at(index).name())
            raise
    return columns


COLUMNAR_KEY = "land_bureau_columnar"
LAYER_KEY = "land_bureau_layer"  # the layer a Processing source reads (attach_columnar)


def columnar_table(layer, geometry_checked: bool = False):
    """The OGR table (qgis_bridge.columnar.OgrTable) behind a layer or a Processing source, or None.

    A QgsVectorLayer is read whole (its subset string applied). A Processing source is read columnar only when
    `LandBureauAlgorithm.parameterAsSource` attached its table (`attach_columnar`: the layer, and its selection
    when the input is "selected features only") — and, when geometries are read without the caller repairing
    them (`geometry_checked`), only when the source applies no invalid-geometry check of its own."""
    return columnar_examined(layer, geometry_checked)[0]


def columnar_examined(layer, geometry_checked: bool = False):
    """(`columnar_table(layer, geometry_checked)`, "") or (None, why not: a translated phrase for the log)."""
    from .columnar import OgrTable

    if isinstance(layer, QgsVectorLayer):
        return OgrTable.examined(layer)
    attached = getattr(layer, COLUMNAR_KEY, None)
    if attached is None:
        return None, _read_through_qgis()
    if isinstance(attached, str):
        return None, attached
    table, checks_geometry = attached
    if geometry_checked and checks_geometry:
        return None, tr("the input checks each geometry as it is read (Processing's invalid feature filtering)")
    return table, ""


def only_attributes(request: QgsFeatureRequest, layer, attributes: list) -> QgsFeatureRequest:
    """`request` asking `layer` for `attributes` only (field indexes, or names of its fields) — unless a subset
    string filters the layer: QGIS's OGR provider filters a GBK shapefile with the fields not asked for left NULL
    ("名称" = '仓储' OR "d" IS NULL, with only "r" asked, kept 8 of 10 features: not the 仓储 ones), so under a
    subset string every field is read (the caller takes the ones it wants). Every read of a subset of attributes
    goes through here. Returns `request`."""
    behind = _layer_behind(layer)
    if isinstance(behind, QgsVectorLayer) and behind.subsetString():
        return request
    if attributes and isinstance(attributes[0], str):
        return request.setSubsetOfAttributes(attributes, layer.fields())
    return request.setSubsetOfAttributes(attributes)


def _layer_behind(layer):
    """The QgsVectorLayer a read reads: `layer` itself, or the one `attach_columnar` remembered on a Processing
    source (None when it has none)."""
    return layer if isinstance(layer, QgsVectorLayer) else getattr(layer, LAYER_KEY, None)


def _read_through_qgis() -> str:
    """Why a Processing source without a layer of its own is read feature by feature (a translated phrase)."""
    return tr("it is read through QGIS")


def definition_layer(definition, context):
    """The layer a source parameter's value names when it is a QgsProcessingFeatureSourceDefinition (selected
    features only, a feature limit…), which QGIS 3.22's parameterAsVectorLayer leaves unresolved; else None."""
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProcessingUtils, QgsProperty

    if not isinstance(definition, QgsProcessingFeatureSourceDefinition):
        return None
    name = definition.source
    name = name.staticValue() if isinstance(name, QgsProperty) else name
    return QgsProcessingUtils.mapLayerFromString(str(name or ""), context)


def attach_columnar(source, layer, definition, context) -> None:
    """Remember on a Processing source which OGR table it reads (`columnar_table`), when it reads one as a whole
    or by its selection — or, when not, why not: a feature limit, a filter expression or a layer QGIS must read.
    `layer`: the layer behind the source (None: none), remembered too (qgis_bridge.stored_text reads it)."""
    from qgis.core import QgsProcessingFeatureSourceDefinition

    from .columnar import OgrTable

    if source is None:
        return
    setattr(source, LAYER_KEY, layer)
    selected = False
    check = context.invalidGeometryCheck()
    if isinstance(definition, QgsProcessingFeatureSourceDefinition):
        if definition.featureLimit != -1 or (getattr(definition, "filterExpression", "") or ""):
            setattr(source, COLUMNAR_KEY, tr("the input has a feature limit or a filter expression"))
            return
        selected = definition.selectedFeaturesOnly
        if definition.flags & QgsProcessingFeatureSourceDefinition.Flag.FlagOverrideDefaultGeometryCheck:
            check = definition.geometryCheck
    table, why = OgrTable.examined(layer, selected) if layer is not None else (None, _read_through_qgis())
    setattr(source, COLUMNAR_KEY, (table, check != QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
            if table is not None else why)


def geometries_from_wkb(wkbs: np.ndarray, transform, tolerance: float, multi: bool = False) -> np.ndarray:
    """WKB (None where missing) → shapely geometries, as the feature reader makes them: transformed by QGIS's own
    `transform` (None: none), curves linearised by QGIS within `tolerance`, None where the transform fails, and
    a single geometry made a one-part multi-geometry when the layer is of a multi type (`multi`), as QGIS's OGR
    provider hands it over (a shapefile's polygons are MultiPolygons in QGIS).

    Without a transform, all but the curves go to shapely in one call. With one, the geometries of a chunk are put
    into one GeometryCollection, transformed by one QgsGeometry.transform call (the same per-vertex transform as
    feature by feature) and split again by shapely; a chunk in which some point cannot be transformed is done
    feature by feature, so that exactly those features come back as None. Curves (shapely reads none) go through
    QGIS one by one, as the feature reader does them: they are rare."""
    import shapely

    out = np.full(len(wkbs), None, dtype=object)
    present = np.flatnonzero(np.not_equal(wkbs, None))
    if not len(present):
        return out
    curved = present[curved_wkbs(wkbs[present])]
    plain = np.setdiff1d(present, curved, assume_unique=True)
    if transform is None:
        out[plain] = shapely.from_wkb(wkbs[plain])
    else:
        for start in range(0, len(plain), TRANSFORM_CHUNK):
            rows = plain[start:start + TRANSFORM_CHUNK]
            out[rows] = _transformed_together(wkbs[rows], transform)
    if len(curved):
        one_by_one = _Geometries(transform, tolerance)
        for wkb in wkbs[curved]:
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            if multi:
                geometry.convertToMultiType()
            one_by_one.add(geometry)
        out[curved] = one_by_one.array()
    if multi:
        _as_multi(out, plain)
    return out


def _as_multi(geometries: np.ndarray, rows: np.ndarray) -> None:
    """Make the single points, lines and polygons at `rows` one-part multi-geometries, in place."""
    import shapely

    kinds = {shapely.GeometryType.POINT: shapely.multipoints, shapely.GeometryType.LINESTRING: shapely.multilinestrings,
             shapely.GeometryType.POLYGON: shapely.multipolygons}
    present = rows[np.not_equal(geometries[rows], None)]
    types = shapely.get_type_id(geometries[present])
    for kind, make in kinds.items():
        single = present[(types == kind) & ~shapely.is_empty(geometries[present])]
        if len(single):
            geometries[single] = make(geometries[single], indices=np.arange(len(single)))


TRANSFORM_CHUNK = 50_000
_CURVED_WKB = (8, 9, 10, 11, 12)  # CircularString, CompoundCurve, CurvePolygon, MultiCurve, MultiSurface


def wkb_type_codes(wkbs: np.ndarray) -> np.ndarray:
    """The geometry type code of each WKB (ISO codes, Z/M in the thousands; EWKB flags kept in the high bits),
    read from the five header bytes of all of them at once: numpy's cast to 5-byte strings cuts each WKB in C (a
    Python slice per WKB took 0.2 s a million), and the strings' buffer holds the bytes as they are."""
    heads = np.asarray(wkbs, dtype=object).astype("S5").view(np.uint8).reshape(-1, 5)
    little = heads[:, 0] == 1
    raw = heads[:, 1:].astype(np.uint32)
    return np.where(little, raw[:, 0] | raw[:, 1] << 8 | raw[:, 2] << 16 | raw[:, 3] << 24,
                    raw[:, 3] | raw[:, 2] << 8 | raw[:, 1] << 16 | raw[:, 0] << 24)


def curved_wkbs(wkbs: np.ndarray) -> np.ndarray:
    """Per WKB, whether its type is a curve type (ISO codes with Z/M thousands, or EWKB flags)."""
    return np.isin((wkb_type_codes(wkbs) & 0x0FFFFFFF) % 1000, _CURVED_WKB)


def _transformed_together(wkbs: np.ndarray, transform) -> np.ndarray:
    import struct

    import shapely

    collection = QgsGeometry()
    collection.fromWkb(struct.pack("<BII", 1, 7, len(wkbs)) + b"".join(wkbs))
    try:
        collection.transform(transform)
    except QgsCsException:  # some feature lies outside the target CRS's area: find which, one by one
        one_by_one = _Geometries(transform)
        for wkb in wkbs:
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            one_by_one.add(geometry)
        return one_by_one.array()
    parts = shapely.get_parts(shapely.from_wkb(bytes(collection.asWkb())))
    if len(parts) != len(wkbs):
        raise ValueError(f"{len(parts)} geometries back from the transform of {len(wkbs)}")
    return parts


GEOMETRY_CHUNK = 100_000
METRES_PER_DEGREE = 111_320.0  # along the equator; a curve tolerance is a few centimetres, so latitude hardly matters
_PLAIN_TYPES = {str, int, float, bool, type(None)}


def _picker(indexes: list[int]):
    """attributes → tuple of the wanted ones, in C (itemgetter returns a bare value for one index)."""
    if not indexes:
        return lambda _attributes: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda attributes: (attributes[index],)
    return operator.itemgetter(*indexes)


def _column(values: tuple, as_float: bool):
    """One attribute column: NULL → None (NaN for floats), QDate/QDateTime → date/datetime.

    PyQGIS hands NULL over as a QVariant and dates as QDate; a column of plain values skips the conversion."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN_TYPES:
        plain = list(values)
    elif kinds <= _PLAIN_TYPES | {QVariant}:
        plain = [None if type(value) is QVariant else value for value in values]
    else:
        plain = [python_value(value) for value in values]
    if as_float:
        try:
            return np.array(plain, dtype=float)  # None → NaN
        except (TypeError, ValueError):
            pass
    return pd.Series(plain, dtype=object).to_numpy()


class _Geometries:
    """Geometries read feature by feature as WKB, turned into shapely every GEOMETRY_CHUNK rows so that the bytes
    of a million features never sit in memory all at once."""

    def __init__(self, transform, curve_tolerance: float = GEOMETRY_DEFAULTS.curve_tolerance_m):
        self.transform, self.wkbs, self.parts = transform, [], []
        self.curve_tolerance = curve_tolerance

    def add(self, geometry) -> None:
        if geometry.isNull():
            self.wkbs.append(None)
        else:
            if self.transform is not None:
                try:
                    geometry.transform(self.transform)
                except QgsCsException:  # outside the target CRS's area: no usable geometry
                    self.wkbs.append(None)
                    return
            if QgsWkbTypes.isCurvedType(geometry.wkbType()):  # shapely reads no curves (WKB type 10 …)
                geometry = QgsGeometry(geometry.constGet().segmentize(
                    self.curve_tolerance, QgsAbstractGeometry.SegmentationToleranceType.MaximumDifference))
            self.wkbs.append(bytes(geometry.asWkb()))
        if len(self.wkbs) >= GEOMETRY_CHUNK:
            self.flush()

    def flush(self) -> None:
        import shapely

        if self.wkbs:
            self.parts.append(shapely.from_wkb(np.array(self.wkbs, dtype=object)))
            self.wkbs = []

    def array(self) -> np.ndarray:
        self.flush()
        return np.concatenate(self.parts) if self.parts else np.empty(0, dtype=object)


def features_of(layer, request: QgsFeatureRequest | None = None, repairs_geometry: bool = False):
    """`layer.getFeatures(request)`; with `repairs_geometry`, a Processing source skips its validity check."""
    request = request or QgsFeatureRequest()
    if repairs_geometry and isinstance(layer, QgsProcessingFeatureSource):
        return layer.getFeatures(request, QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks)
    return layer.getFeatures(request)


MAX_AREA_SCALE_ERROR = 0.01  # a projected CRS whose areas are off by more than 1 % where the layer lies


def planar_crs_for(layer) -> QgsCoordinateReferenceSystem:
    """A CRS in metres to measure a layer in: its own when projected and true to area where the layer lies, else
    the CGCS2000 3° Gauss-Krüger zone at the layer's centre (EPSG:4513 + zone offset; Hangzhou → EPSG:4549),
    falling back to UTM for far-away data.

    Why not every projected CRS: Web Mercator (EPSG:3857, the CRS of web maps and of many exports from them)
    enlarges areas by 1 / cos²(latitude) — 34 % in Hangzhou — and a CRS in feet measures in square feet. A
    projected CRS whose area scale at the layer's centre (`area_scale`) is off by more than MAX_AREA_SCALE_ERROR
    is measured in the zone instead; a Gauss-Krüger or UTM zone used where it belongs is within 0.1 %.

    `layer` is a QgsVectorLayer or a Processing feature source (both are QgsFeatureSources)."""
    from .crs import is_unknown

    crs = layer.sourceCrs()
    if is_unknown(crs):  # measured in its own units (processing refuses degrees)
        return crs
    extent = layer.sourceExtent()
    if not crs.isGeographic() and (extent.isNull() or extent.xMinimum() > extent.xMaximum()):
        return crs  # no features: nothing tells where the layer lies
    zone = _zone_at(crs, extent)
    if crs.isGeographic():
        return zone
    scale = area_scale(crs, extent, zone)
    return crs if scale is None or abs(scale - 1.0) <= MAX_AREA_SCALE_ERROR else zone


def _zone_at(crs: QgsCoordinateReferenceSystem, extent: QgsRectangle) -> QgsCoordinateReferenceSystem:
    """The CGCS2000 3° Gauss-Krüger zone (EPSG:4534 … 4554, CM 75E … 135E) at the extent's centre, else UTM."""
    if crs.isValid() and crs != QgsCoordinateReferenceSystem("EPSG:4326") and crs.authid() != "EPSG:4490":
        to_wgs = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
        try:
            extent = to_wgs.transformBoundingBox(extent)
        except QgsCsException:
            extent = QgsRectangle()
    lon = extent.center().x() if not extent.isEmpty() else 120.0
    lat = extent.center().y() if not extent.isEmpty() else 30.0
    zone = int(round(lon / 3.0))
    if 25 <= zone <= 45:
        return QgsCoordinateReferenceSystem(f"EPSG:{4534 + zone - 25}")
    utm = int((lon + 180) // 6) + 1
    return QgsCoordinateReferenceSystem(f"EPSG:{(32600 if lat >= 0 else 32700) + utm}")


def area_scale(crs: QgsCoordinateReferenceSystem, extent: QgsRectangle,
               zone: QgsCoordinateReferenceSystem) -> float | None:
    """Planar area in `crs` (in m², through its map units) of a small square at the extent's centre over its area
    in the Gauss-Krüger `zone` there: 1.0 for a CRS true to area, 1.34 for Web Mercator in Hangzhou; None when
    it cannot be told (no transform)."""
    from qgis.core import QgsUnitTypes

    side = max(extent.width(), extent.height()) / 100.0 or 100.0
    centre = extent.center()
    square = QgsGeometry.fromRect(QgsRectangle(centre.x() - side / 2, centre.y() - side / 2,
                                               centre.x() + side / 2, centre.y() + side / 2))
    metres = QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), QgsUnitTypes.DistanceUnit.DistanceMeters)
    planar = square.area() * metres * metres
    try:
        square.transform(QgsCoordinateTransform(crs, zone, QgsProject.instance()))
    except QgsCsException:
        return None
    true = square.area()
    return planar / true if true > 0 and planar > 0 else None
