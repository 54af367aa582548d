"""A table of a shared database, read once when the local engine runs on it.

The local engine reads its input twice: once to judge it (read_columns), once to write the output (the source
features with their results). A file does not change in between; a table that other users edit may. An update in
between would be written with results computed from the row before it — a parcel re-coded 0701 still "low
efficiency for 0601", a plan whose floor area was raised still failing on the old figure — and an insert or delete
would leave no result for a row, or a result without one. The in-database engine reads both from one REPEATABLE
READ snapshot (postgis.snapshot); the local engine reads such a table once — one query, one consistent state of
the table, as its provider's cursor sees it — and judges and writes that copy. It is the path of a user who may
not write the results, of a table without primary key or spatial index, of the upstairs check.

The copy costs memory (about 1.8 KB per feature of a dozen text fields: 180 MB at 100,000 parcels), and saves the
second trip to the server. Files are read twice as before; write_features refuses one that changed in between.
"""
from __future__ import annotations

from qgis.core import QgsFeature, QgsFeatureRequest

from .layers import features_of
from .writing import attach_filled_of

# Providers whose tables other users edit while a run reads them (QgsVectorLayer.providerType()).
SHARED_PROVIDERS = frozenset({"postgres", "mssql", "oracle", "hana", "db2", "wfs", "oapif", "arcgisfeatureserver"})
PROGRESS_EVERY = 5000


def is_shared_table(layer) -> bool:
    """True for a layer on a table of a database server (or a web feature service) that others may edit."""
    return layer is not None and layer.providerType() in SHARED_PROVIDERS


class ReadOnce:
    """A Processing feature source read in one pass and kept: everything the algorithms ask of a source
    (fields, CRS, geometry type, name, count, features) answered from that copy, feature ids as the source gave
    them. `getFeatures` hands out copies (the writer reuses the features it is given), honouring a request's
    filter and limit; attribute subsets and no-geometry flags are served the whole feature."""

    def __init__(self, source, repairs_geometry: bool = False, feedback=None):
        self._fields, self._crs, self._wkb_type = source.fields(), source.sourceCrs(), source.wkbType()
        self._name = source.sourceName()
        attach_filled_of(self, source)  # the writer's stand-ins of values to come: the copy is written, not `source`
        self._features = []
        total = max(source.featureCount(), 1)
        for feature in features_of(source, QgsFeatureRequest(), repairs_geometry):
            self._features.append(feature)
            if feedback is not None and len(self._features) % PROGRESS_EVERY == 0:
                if feedback.isCanceled():
                    break
                feedback.setProgress(min(100.0, 100.0 * len(self._features) / total))

    def fields(self):
        return self._fields

    def sourceCrs(self):  # noqa: N802 (the QgsFeatureSource names)
        return self._crs

    def wkbType(self):  # noqa: N802
        return self._wkb_type

    def sourceName(self):  # noqa: N802
        return self._name

    def featureCount(self) -> int:  # noqa: N802
        return len(self._features)

    def getFeatures(self, request: QgsFeatureRequest | None = None, _flags=None):  # noqa: N802
        limit = request.limit() if request is not None else -1
        handed = 0
        for feature in self._features:
            if limit >= 0 and handed >= limit:
                return
            if request is not None and not request.acceptFeature(feature):
                continue
            handed += 1
            yield QgsFeature(feature)
