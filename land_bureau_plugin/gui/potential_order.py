"""Which parcels the low-efficiency panel's table lists, and in what order: the `limit` (common.TABLE_ROWS) of
largest potential floor area. One rule, found three ways, because the layer the table reads comes three ways:
- a GeoPackage (what a panel run writes): SQLite finds the ids (`gpkg_ids`) in a fraction of a second, where QGIS's
  order-by fetches and sorts every feature (10 s at a million parcels, on the main thread);
- live mode's memory layer: from the results live mode holds, in pandas (`top_ids`; QGIS's order-by took 3 s at
  100,000 parcels);
- any other layer: QGIS's order-by (`table_request`);
and the table lists the rows it read in the same order (`top_ids`, EfficiencyDock.table_rows).
The rule: the potential descending, an unknown one as UNKNOWN (below every potential, 0 included: listed last),
equal potentials by feature id ascending — the order a GeoPackage or memory layer hands its features over, as the
printed table breaks ties. Without that last key, a cut at `limit` through equal potentials (the thousands of 0 a
city has) listed other parcels each way, and QGIS's own sort put them in no order at all. `ORDER` spells the rule
once: the SQL and the QGIS order-by are written from it, the pandas sort reads it.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
from qgis.core import QgsFeatureRequest, QgsProviderRegistry, QgsSqliteUtils

from ..qgis_bridge.gpkg import connect_read_only

POTENTIAL = "potential_m2"
UNKNOWN = -1  # an unknown potential's place: below every potential (0 or more)
LOW_ONLY = '"low_eff" = 1'  # the low-efficiency parcels only: the same text in SQLite and in a QGIS expression
ORDER = ((POTENTIAL, False), ("id", True))  # (key, ascending): the potential (UNKNOWN for none), then the feature id


def order_terms(quote, feature_id: str) -> list[tuple[str, bool]]:
    """ORDER as (expression, ascending) for SQLite or QGIS: `quote(name)` quotes a column, `feature_id` is how the
    dialect names the feature id."""
    return [(f"coalesce({quote(POTENTIAL)}, {UNKNOWN})" if key == POTENTIAL else feature_id, ascending)
            for key, ascending in ORDER]


def table_request(layer, low_only: bool, limit: int) -> QgsFeatureRequest:
    """The table's rows of `layer` (a result layer): by SQL on a GeoPackage, else by QGIS's order-by."""
    where = LOW_ONLY if low_only else ""
    ids = gpkg_ids(layer, where, limit)
    if ids is not None:
        return QgsFeatureRequest().setFilterFids(ids)
    return ordered_request(where, limit)


def ordered_request(where: str, limit: int) -> QgsFeatureRequest:
    """QGIS's order-by of the rule (any provider; every feature fetched and sorted)."""
    request = QgsFeatureRequest().setLimit(limit)
    for expression, ascending in order_terms(lambda name: f'"{name}"', "$id"):
        request.addOrderBy(expression, ascending)
    return request.setFilterExpression(where) if where else request


def gpkg_ids(layer, where: str, limit: int) -> list[int] | None:
    """Feature ids of the rule's first `limit` features of a GeoPackage layer matching `where`, by SQL on the file
    (read-only); None when the layer is not a GeoPackage table or the query fails."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()) if layer.providerType() == "ogr" else {}
    path = parts.get("path", "")
    if not path.lower().endswith(".gpkg"):
        return None
    db = connect_read_only(path)
    if db is None:
        return None
    try:
        with closing(db):
            table = parts.get("layerName") or db.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
            quoted = QgsSqliteUtils.quotedIdentifier  # a layer or field name may hold a double quote
            key = quoted(next(row[1] for row in db.execute(f"PRAGMA table_info({quoted(table)})") if row[5]))
            order = ", ".join(f"{term} {'ASC' if up else 'DESC'}" for term, up in order_terms(quoted, key))
            condition = f"WHERE {where}" if where else ""
            query = f"SELECT {key} FROM {quoted(table)} {condition} ORDER BY {order} LIMIT ?"
            return [row[0] for row in db.execute(query, (limit,))]
    except (sqlite3.Error, StopIteration, TypeError, ValueError):
        return None


def top_ids(potential: pd.Series, limit: int | None = None) -> list:
    """The index labels (feature ids) of `potential` in the rule's order, the first `limit` (None: all)."""
    values = pd.to_numeric(potential, errors="coerce").fillna(UNKNOWN).to_numpy(float)
    ids = np.asarray(potential.index, dtype=np.int64)
    keys = {POTENTIAL: values, "id": ids}
    # np.lexsort sorts by its last key first, ascending: a descending key is negated
    order = np.lexsort([keys[key] if ascending else -keys[key] for key, ascending in reversed(ORDER)])
    return ids[order[:limit]].tolist()
