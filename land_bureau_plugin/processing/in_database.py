"""Which engine a Processing algorithm runs: in the database (land_bureau_plugin.postgis) when every input is a
plain table of one PostGIS database, else the local engine. Two advanced parameters let the user force either
side and consent to creating a missing spatial index; the choice and the run id are written to the log.

An input restricted in QGIS (selected features only, a feature limit, a filter) runs locally: QGIS applies the
restriction, the database would not know it.
"""
from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
)
from qgis.PyQt.QtCore import QVariant

from ..i18n import tr

ENGINE, CREATE_INDEX = "ENGINE", "CREATE_INDEX"
AUTOMATIC, LOCAL, DATABASE = 0, 1, 2


def add_parameters(algorithm) -> None:
    """ENGINE (automatic / local / in the database) and CREATE_INDEX (consent), both advanced."""
    choice = QgsProcessingParameterEnum(
        ENGINE, tr("Engine"), [tr("Automatic: in the database when every input is a table of one PostGIS database"),
                               tr("Local: read the layers into QGIS"), tr("In the database")],
        defaultValue=AUTOMATIC, optional=True)
    consent = QgsProcessingParameterBoolean(
        CREATE_INDEX, tr("In the database: create a missing spatial index (CONCURRENTLY, does not block edits)"),
        defaultValue=False, optional=True)
    for parameter in (choice, consent):
        parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        algorithm.addParameter(parameter)


def postgis_engine():
    """postgis.engine, or None where psycopg2 is not installed (the local engine still works)."""
    try:
        from ..postgis import engine
    except ImportError:
        return None
    return engine


def _restricted(value) -> bool:
    return isinstance(value, QgsProcessingFeatureSourceDefinition) and (
        value.selectedFeaturesOnly or value.featureLimit != -1)


def database_layers(algorithm, parameters, context, names: list[str], feedback=None) -> list | None:
    """The input layers (None for an optional input left empty) when this run goes to the database, else None.
    Raises when the user asked for the database and the inputs do not allow it."""
    choice = algorithm.parameterAsEnum(parameters, ENGINE, context) if parameters.get(ENGINE) is not None \
        else AUTOMATIC
    if choice == LOCAL:
        return None
    engine = postgis_engine()
    if engine is None:
        if choice == DATABASE:
            raise QgsProcessingException(tr("The in-database engine needs the Python module psycopg2 (Debian: "
                                            "python3-psycopg2)."))
        return None
    layers = [algorithm.parameterAsVectorLayer(parameters, name, context) if parameters.get(name) not in (None, "")
              else None for name in names]
    eligible = (layers[0] is not None and not any(_restricted(parameters.get(name)) for name in names)
                and engine.can_run_in_database(layers))
    if not eligible:
        if choice == DATABASE:
            raise QgsProcessingException(tr("The in-database engine needs every input to be a whole table of one "
                                            "PostGIS database (no selection, filter or feature limit)."))
        return None
    if feedback is not None:
        feedback.pushInfo(tr("All inputs are tables of one PostGIS database: the analysis runs in the database."))
    return layers


class _KeysAsIds:
    """Stands for the building feature ids of a local run: an in-database report names buildings by their key
    already, so looking them up gives them back as they are."""

    def __getitem__(self, keys):
        return keys


KEYS_AS_IDS = _KeysAsIds()


def create_index(algorithm, parameters, context) -> bool:
    return parameters.get(CREATE_INDEX) is not None and algorithm.parameterAsBoolean(parameters, CREATE_INDEX, context)


def by_feature_id(result: pd.DataFrame, layer, key: str) -> pd.DataFrame:
    """A result indexed by the table's primary key, re-indexed by the layer's feature ids (which QGIS takes from an
    int4 key as is, and numbers itself for any other key: one attribute-only pass maps them)."""
    fields = layer.fields()
    index = fields.indexOf(key)
    if fields.at(index).type() == QVariant.Type.Int and list(layer.dataProvider().pkAttributeIndexes()) == [index]:
        return result  # an int4 primary key is the feature id (bigint, text, uuid keys are numbered by QGIS)
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes([index])
    ids = {}
    for feature in layer.getFeatures(request):
        ids[str(feature.attributes()[index])] = feature.id()
    mapped = result.copy()
    mapped.index = pd.Index([ids.get(str(k)) for k in result.index], name=result.index.name)
    return mapped


def log_run(feedback, run) -> None:
    if feedback is not None:
        feedback.pushInfo(tr("In-database run {run} written to {table} (run log: land_bureau.runs)").format(
            run=run.run_id, table=run.result_table))


def efficiency(algorithm, parameters, context, layers, parcel_map: dict, building_map: dict, rules, templates,
               planar, feedback):
    """landbureau:lowefficiency in the database: (result by feature id, the parcels' district column for the
    summary, parcel geometries in `planar` for the merge-cluster outlines — only the clustered parcels are read,
    None elsewhere). Raises QgsProcessingException with the database's message."""
    import numpy as np
    import shapely

    from ..postgis.connection import PostgisError
    from ..qgis_bridge.layers import read_columns

    parcels, buildings = layers
    try:
        run = postgis_engine().run_efficiency(parcels, buildings, parcel_map, building_map, rules, templates, feedback,
                                    create_index(algorithm, parameters, context))
    except PostgisError as exc:
        raise QgsProcessingException(str(exc)) from exc
    log_run(feedback, run)
    result = by_feature_id(run.result, parcels, run.key)
    attributes = {k: v for k, v in parcel_map.items() if k == "district"}
    frame = read_columns(parcels, attributes).frame.reindex(result.index)
    geometries = np.full(len(result), None, dtype=object)
    clustered = result.index[result["cluster_id"].to_numpy() > 0]
    if len(clustered):
        request = QgsFeatureRequest().setFilterFids([int(i) for i in clustered])
        found = read_columns(parcels, {}, with_geometry=True, target_crs=planar, request=request)
        positions = result.index.get_indexer(found.frame.index)
        geometries[positions] = found.geometries
        geometries[positions[shapely.is_missing(found.geometries)]] = None
    return result, frame, geometries
