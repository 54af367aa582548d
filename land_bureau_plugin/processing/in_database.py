"""Which engine a Processing algorithm runs: in the database (land_bureau_plugin.postgis) when every input is a
plain table of one PostGIS database, else the local engine. Two advanced parameters let the user force either
side and consent to creating a missing spatial index; the choice and the run id are written to the log.

An input restricted in QGIS (selected features only, a feature limit, a filter) runs locally: QGIS applies the
restriction, the database would not know it.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
)

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

    Automatic: the database when every input is a whole table of one PostGIS database and the tables allow it
    (postgis.engine.check_tables: primary key, spatial index, the right to write results); otherwise the local
    engine, and the log says why. In the database (chosen): the same conditions, refused with the reason when
    not met. A database that cannot be reached is an error either way (the local engine could not read it
    either)."""
    from ..postgis.connection import NotEligibleError

    choice = algorithm.parameterAsEnum(parameters, ENGINE, context) if parameters.get(ENGINE) is not None \
        else AUTOMATIC
    if choice == LOCAL:
        return None
    layers = [algorithm.parameterAsVectorLayer(parameters, name, context) if parameters.get(name) not in (None, "")
              else None for name in names]
    if choice == AUTOMATIC and not any(layer is not None and layer.providerType() == "postgres" for layer in layers):
        # no PostGIS table among the inputs: the local engine, as can_run_in_database would say, without importing
        # the in-database engine (psycopg2 and its modules: 50–80 ms of a session's first run)
        return None
    engine = postgis_engine()
    if engine is None:
        if choice == DATABASE:
            raise QgsProcessingException(tr("The in-database engine needs the Python module psycopg2 (Debian: "
                                            "python3-psycopg2)."))
        return None
    eligible = (layers[0] is not None and not any(_restricted(parameters.get(name)) for name in names)
                and engine.can_run_in_database(layers))
    if not eligible:
        if choice == DATABASE:
            raise QgsProcessingException(tr("The in-database engine needs every input to be a whole table of one "
                                            "PostGIS database (no selection, filter or feature limit)."))
        return None
    try:
        engine.check_tables(algorithm.name(), layers, create_index(algorithm, parameters, context), feedback)
    except NotEligibleError as exc:
        if choice == DATABASE:
            raise
        if feedback is not None:
            feedback.pushWarning(tr("The analysis runs locally, not in the database: {reason}").format(
                reason=str(exc)))
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


def log_run(feedback, run) -> None:
    """The committed run's id and where its rows are, in the log."""
    if feedback is not None:
        feedback.pushInfo(tr("In-database run {run} written to {table} (run log: land_bureau.runs)").format(
            run=run.run_id, table=run.result_table))


@dataclass
class Evaluated:
    """What an engine hands to the writer: the result and the source attributes the summary reads (`frame`), the
    planar geometries of the parcels (None where not read), the ids naming buildings in the report, and
    `features(fields)`: the source features to write, whose feature ids are the index labels of `rows`."""

    result: pd.DataFrame
    frame: pd.DataFrame | None
    geometries: object
    building_ids: object
    features: Callable
    rows: pd.DataFrame


@contextmanager
def efficiency(algorithm, parameters, context, layers, parcel_map: dict, building_map: dict, rules, templates,
               planar, feedback, curve_tolerance_m: float):
    """landbureau:lowefficiency in the database, as an Evaluated whose features, attributes and parcel
    geometries (only the clustered parcels' are read) all come from the run's snapshot, curves linearised as the
    local reader does (`curve_tolerance_m`, the profile's); the run is committed when
    the block (writing the output) ends normally, else rolled back. Raises PostgisError with the database's
    message."""
    parcels, buildings = layers
    with postgis_engine().efficiency_run(parcels, buildings, parcel_map, building_map, rules, templates,
                                         feedback, create_index(algorithm, parameters, context),
                                         curve_tolerance_m, as_of=getattr(algorithm, "as_of", None)) as run:
        result = run.result
        geometries = np.full(len(result), None, dtype=object)
        clustered = np.flatnonzero(result["cluster_id"].to_numpy() > 0)
        if len(clustered):
            geometries[clustered] = run.geometries(result.index[clustered], int(planar.postgisSrid()), feedback)
        yield Evaluated(result, run.frame, geometries, KEYS_AS_IDS if buildings is not None else None,
                        lambda _fields: run.features(_fields, feedback), run.rows())
    log_run(feedback, run)
