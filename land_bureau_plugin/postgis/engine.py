"""Entry points of the in-database path, for the Processing algorithms and the panels.

    if engine.can_run_in_database([parcels_layer, buildings_layer]):
        engine.check_tables([parcels_layer, buildings_layer])   # NotEligibleError: why the local engine must do it
        with engine.efficiency_run(parcels_layer, buildings_layer, parcel_map, building_map, rules, templates,
                                   feedback=feedback, create_missing_index=consent) as run:
            run.result      # the frame efficiency.evaluate returns, indexed by the parcels' primary key, in key order
            run.run_id      # its rows in land_bureau.efficiency_results and its line in land_bureau.runs
            run.features(fields)   # the source rows of the same snapshot, for the output layer
        # committed here, when the block ended without an exception; rolled back otherwise

Every run: one connection with the first layer's credentials (service file or auth config), the source tables
checked first (primary key, spatial index — created only with consent — and the user's right to write results),
then one REPEATABLE READ transaction that reads a consistent snapshot without blocking anyone's edits, writes
results and log row, and stays open while the caller writes its output from that same snapshot: results, summary
and output layer all describe one state of the tables, and the run is committed only once the output is written
(a failure anywhere leaves no run behind). `run_efficiency` / `run_resettlement` commit at once. Errors come back
as PostgisError with a translated message.
"""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis import efficiency, resettlement
from ..i18n import tr
from . import resettlement as sql_resettlement
from . import snapshot, store
from .connection import NotEligibleError, PostgisError, cancel_on, connect, connect_params, database_of, explain
from .efficiency import INTEGER_TYPES, DatabaseSpatial, Source
from .efficiency import RESULT_TABLE as EFFICIENCY_TABLE
from .land_supply import SUPPLY_TABLE, UNSUPPLIED_TABLE
from .resettlement import RESULT_TABLE as RESETTLEMENT_TABLE
from .sqlexpr import CURVE_TOLERANCE_M
from .tables import TableInfo, TableRef, create_spatial_index, describe, missing_index_error


@dataclass
class Run:
    """An in-database run: its id, the result frame (indexed by source primary key), where its rows are, the
    counts written to the run log, and a SELECT joining source and results for a QGIS layer. While its transaction
    is open (inside `efficiency_run` / `resettlement_run`), `features`, `column` and `geometries` read the source
    as the run saw it."""

    run_id: int
    analysis: str
    result: pd.DataFrame
    result_table: str
    counts: dict
    layer_sql: str = ""
    key: str = ""
    frame: pd.DataFrame | None = None  # efficiency: the parcels' mapped attributes (canonical names), as read
    source: TableInfo | None = None
    session: _Session | None = dataclasses.field(default=None, repr=False)
    curve_tolerance_m: float = CURVE_TOLERANCE_M

    def rows(self) -> pd.DataFrame:
        """`result` in the order `features` reads the rows, indexed 0…n-1 like the features' ids."""
        return snapshot.in_key_order(self.result, self.source).reset_index(drop=True)

    def features(self, fields, feedback=None):
        """The source rows of the run's snapshot as QgsFeatures with `fields`; feature id n = row n of `rows()`."""
        return snapshot.features(self.session.conn, self.source, fields, feedback)

    def column(self, name: str, feedback=None) -> pd.Series:
        """A source column of the run's snapshot, aligned with `result`."""
        ordered = snapshot.in_key_order(self.result, self.source).index
        values = snapshot.column(self.session.conn, self.source, name, feedback)
        return pd.Series(values, index=ordered, dtype=object).reindex(self.result.index)

    def geometries(self, keys, planar_srid: int, feedback=None):
        """The cleaned planar geometries (shapely) of the given source keys, as the run measured them."""
        return snapshot.geometries(self.session.conn, self.source, keys, planar_srid, self.curve_tolerance_m, feedback)


def table_of(layer):
    """(QgsDataSourceUri, TableRef) of a layer that is a plain PostgreSQL table (with or without geometry); None for
    anything else (another provider, a query layer, a layer with a filter — those run locally, where QGIS applies
    what it shows)."""
    from qgis.core import QgsDataSourceUri, QgsWkbTypes

    if layer is None or layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    if uri.sql() or layer.subsetString() or uri.table().startswith("("):
        return None
    wanted = uri.wkbType()
    layer_type, family = "", ""
    if wanted != QgsWkbTypes.Type.Unknown:
        layer_type = QgsWkbTypes.displayString(wanted).upper()
        family = _families().get(QgsWkbTypes.geometryType(wanted), "")
    return uri, TableRef(uri.schema() or "public", uri.table(), uri.geometryColumn(), layer_type, family, uri.srid())


def _families():
    from qgis.core import QgsWkbTypes

    kind = QgsWkbTypes.GeometryType
    return {kind.PointGeometry: "point", kind.LineGeometry: "line", kind.PolygonGeometry: "polygon",
            kind.NullGeometry: "none"}


def can_run_in_database(layers) -> bool:
    """True when every given layer (None entries are optional inputs left out) is a plain PostGIS table and all
    of them live in the same database (same service, or same host, port and database name)."""
    tables = [table_of(layer) for layer in layers if layer is not None]
    if not tables or any(t is None for t in tables):
        return False
    return len({database_of(uri) for uri, _ in tables}) == 1


def _step(feedback, percent: float) -> None:
    if feedback is None:
        return
    if feedback.isCanceled():
        raise PostgisError(tr("Cancelled; nothing was written to the database."))
    feedback.setProgress(percent)


def planar_srid_of(layer, srid: int, geographic: bool) -> int:
    """The SRID to measure in, as the local engine measures (qgis_bridge.layers.planar_crs_for): the table's when
    projected and true to area there, else the Gauss-Krüger zone at the layer (a geographic or Web Mercator
    table)."""
    from ..qgis_bridge.layers import planar_crs_for

    planar = planar_crs_for(layer)
    if not geographic and planar == layer.sourceCrs():
        return srid
    return int(planar.postgisSrid())


class _Session:
    """One connection for one run; checks the tables, then yields the run transaction."""

    def __init__(self, first_layer):
        found = table_of(first_layer)
        if found is None:
            raise PostgisError(tr("Layer {layer} is not a PostGIS table").format(layer=first_layer.name()))
        self.uri = found[0]
        self.database = database_of(self.uri).label()
        self.conn = connect(connect_params(self.uri), self.database)

    def describe(self, layer, create_missing_index: bool, feedback, spatial: bool = True):
        """The layer's table, checked; `spatial`: the run joins on its geometry, so it needs a GiST index."""
        found = table_of(layer)
        if found is None or (spatial and not found[1].geometry):
            raise PostgisError(tr("Layer {layer} is not a PostGIS table").format(layer=layer.name()))
        try:
            with self.conn.cursor() as cur:
                info = describe(cur, found[1])
            self.conn.commit()
            if spatial and not info.spatial_index:
                if not create_missing_index:
                    raise missing_index_error(info)
                if feedback is not None:
                    feedback.pushInfo(tr("Creating the spatial index of {table} (CONCURRENTLY)…").format(
                        table=info.ref.label()))
                with cancel_on(self.conn, feedback):
                    create_spatial_index(self.conn, info)
                with self.conn.cursor() as cur:
                    info = describe(cur, found[1])
                self.conn.commit()
            return info
        except PostgisError:
            raise
        except Exception as exc:
            raise self.explain(exc) from exc

    def rollback(self) -> None:
        try:
            self.conn.rollback()
        except Exception:  # the connection may be gone: the message says so
            pass

    def explain(self, exc) -> PostgisError:
        self.rollback()
        try:
            user = self.conn.info.user
        except Exception:  # a closed connection has no user to tell
            user = self.uri.username()
        return explain(exc, self.database, user or "")

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # closing a broken connection
            pass


@contextmanager
def _session(first_layer):
    """A connected session whose errors come out as PostgisError after a rollback, closed at the end."""
    import psycopg2

    session = _Session(first_layer)
    try:
        yield session
    except PostgisError:
        session.rollback()
        raise
    except psycopg2.Error as exc:
        raise session.explain(exc) from exc
    finally:
        session.close()


def _begin(session: _Session, table: store.ResultTable, feedback) -> int:
    """Result tables ready and writable, then the run's REPEATABLE READ transaction and its id."""
    store.ensure(session.conn, table)
    session.conn.set_session(isolation_level="REPEATABLE READ")
    with session.conn.cursor() as cur:
        run_id = store.new_run_id(cur)  # the transaction's first statement: its snapshot is taken here
    _step(feedback, 5)
    return run_id


def _efficiency_tables(session, parcels_layer, buildings_layer, create_missing_index: bool, feedback):
    """(parcels, buildings or None), checked: the overlay joins both on their geometry."""
    parcels = session.describe(parcels_layer, create_missing_index, feedback)
    buildings = (session.describe(buildings_layer, create_missing_index, feedback)
                 if buildings_layer is not None else None)
    return parcels, buildings


def _resettlement_tables(session, projects_layer, plots_layer, create_missing_index: bool, feedback):
    """(projects, plots or None), checked: only the placement test by geometry needs the plots' spatial index."""
    projects = session.describe(projects_layer, create_missing_index, feedback, spatial=False)
    plots = None
    if plots_layer is not None:
        found = table_of(plots_layer)
        spatial = bool(projects.ref.geometry and found and found[1].geometry)
        plots = session.describe(plots_layer, create_missing_index, feedback, spatial=spatial)
    return projects, plots


def _land_supply_tables(session, supply_layer, batches_layer, create_missing_index: bool, feedback):
    """(supply, batches or None), checked: the batches are joined with the parcels on the parcels' GiST index."""
    supply = session.describe(supply_layer, create_missing_index, feedback, spatial=batches_layer is not None)
    batches = (session.describe(batches_layer, create_missing_index, feedback, spatial=False)
               if batches_layer is not None else None)
    return supply, batches


_CHECKS = {"lowefficiency": (_efficiency_tables, EFFICIENCY_TABLE),
           "resettlementdeadlines": (_resettlement_tables, RESETTLEMENT_TABLE),
           "landsupply": (_land_supply_tables, SUPPLY_TABLE)}


def check_tables(analysis: str, layers, create_missing_index: bool = False, feedback=None) -> None:
    """Can `analysis` ("lowefficiency", "resettlementdeadlines") run in the database on these layers (None =
    optional input left out)? Checks what a run checks first — a single-column primary key, a spatial index (made
    now when consented), the right to write the results — and raises NotEligibleError saying why not (the automatic
    engine then runs locally), PostgisError for anything else (an unreachable server)."""
    import psycopg2
    from psycopg2 import errors

    tables, result_table = _CHECKS[analysis]
    with _session(layers[0]) as session:
        tables(session, *layers, create_missing_index, feedback)
        try:
            store.ensure(session.conn, result_table)
        except (errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction) as exc:
            raise NotEligibleError(str(session.explain(exc))) from exc
        except psycopg2.Error as exc:
            raise session.explain(exc) from exc


@contextmanager
def efficiency_run(parcels_layer, buildings_layer=None, parcel_map: dict | None = None,
                   building_map: dict | None = None, rules: efficiency.EfficiencyRules = efficiency.DEFAULT_RULES,
                   templates: dict | None = None, feedback=None, create_missing_index: bool = False,
                   curve_tolerance_m: float = CURVE_TOLERANCE_M, as_of=None):
    """Low-efficiency land in the database (see postgis.efficiency): the Run, its transaction open in the block,
    committed when the block ends normally; curves linearised to within `curve_tolerance_m` (the profile's
    geometry.curve_tolerance_m, as the local reader); `as_of` the grading's day (default today); raises
    PostgisError."""
    with _session(parcels_layer) as session:
        parcels, buildings = _efficiency_tables(session, parcels_layer, buildings_layer, create_missing_index,
                                                feedback)
        parcel_map = parcel_map or {}
        building_map = {k: v for k, v in (building_map or {}).items() if k in ("floors", "height")}
        srid = planar_srid_of(parcels_layer, parcels.srid, parcels.geographic)
        run_id = _begin(session, EFFICIENCY_TABLE, feedback)
        spatial = DatabaseSpatial(session.conn, Source(parcels, parcel_map),
                                  Source(buildings, building_map) if buildings else None, srid, feedback,
                                  curve_tolerance_m)
        frame = spatial.read_parcels()
        _step(feedback, 20)
        result = efficiency.evaluate(frame, rules=rules, templates=templates or efficiency.EFFICIENCY_TEMPLATES,
                                     field_labels=parcel_map, spatial=spatial, as_of=as_of)
        _step(feedback, 85)
        counts = efficiency_counts(result)
        inputs = [_input("parcels", parcels, parcel_map)] + (
            [_input("buildings", buildings, building_map)] if buildings else [])
        with session.conn.cursor() as cur, cancel_on(session.conn, feedback):
            store.log_run(cur, run_id, "lowefficiency", EFFICIENCY_TABLE, dataclasses.asdict(rules),
                          {"planar_srid": srid}, inputs)
            store.copy_rows(cur, EFFICIENCY_TABLE, run_id, result)
            store.finish_run(cur, run_id, counts)
        _step(feedback, 95)
        layer_sql = result_select(session.conn, parcels, EFFICIENCY_TABLE, run_id)
        yield Run(run_id, "lowefficiency", result, EFFICIENCY_TABLE.label(), counts, layer_sql, parcels.key, frame,
                  parcels, session, spatial.curve_tolerance_m)
        session.conn.commit()
        _step(feedback, 100)


@contextmanager
def land_supply_run(supply_layer, batches_layer, supply_map: dict, batch_map: dict | None, as_of,
                    rules=None, windows: dict | None = None, templates: dict | None = None, feedback=None,
                    create_missing_index: bool = False, curve_tolerance_m: float = CURVE_TOLERANCE_M):
    """Land supply in the database (see postgis.land_supply): the parcels judged by analysis.land_supply.evaluate
    on their attributes and planar areas read from the run's snapshot, the batches measured against them in SQL
    and judged by analysis.land_supply_batches.judge. The Run's result is evaluate's frame, `unsupplied` holds
    (UNSUPPLIED table, planar polygons, planar SRID); its transaction is open in the block and committed when the
    block ends normally; raises PostgisError."""
    from ..analysis import land_supply, land_supply_batches
    from ..analysis.land_supply_rules import DEFAULT_RULES
    from . import land_supply as sql_land_supply

    rules = rules or DEFAULT_RULES
    with _session(supply_layer) as session:
        supply, batches = _land_supply_tables(session, supply_layer, batches_layer, create_missing_index, feedback)
        srid = planar_srid_of(batches_layer or supply_layer, (batches or supply).srid, (batches or supply).geographic)
        store.ensure(session.conn, UNSUPPLIED_TABLE)
        run_id = _begin(session, SUPPLY_TABLE, feedback)
        source = Source(supply, supply_map)
        frame, area, repaired, empty = sql_land_supply.read_supply(session.conn, source, srid, curve_tolerance_m,
                                                                   feedback, land_supply.NUMBER_FIELDS)
        _step(feedback, 30)
        no_geometry = np.zeros(len(frame), dtype=bool)
        no_geometry[empty] = True
        result = land_supply.evaluate(frame, as_of, rules, windows, templates or {}, supply_map, areas=area,
                                      no_geometry=no_geometry)
        measured = None
        if batches is not None:
            batch_frame, approved, rest, batch_repaired, batch_empty = sql_land_supply.measure_batches(
                session.conn, Source(batches, batch_map or {}), source, srid, curve_tolerance_m, feedback)
            table, geometry, duplicated = land_supply_batches.judge(batch_frame, approved, rest, batch_empty, as_of,
                                                                    rules, windows, templates or {}, batch_map)
            measured = UnsuppliedRun(table, geometry, srid, batch_repaired, np.flatnonzero(batch_empty), duplicated)
        _step(feedback, 70)
        counts = {"parcels": int(len(result)),
                  "supply_status": {str(k): int(v) for k, v in result["supply_status"].value_counts().items()},
                  "batches": None if measured is None else int(len(measured.table))}
        inputs = [_input("land_supply", supply, supply_map)] + (
            [_input("approval_batches", batches, batch_map or {})] if batches else [])
        with session.conn.cursor() as cur, cancel_on(session.conn, feedback):
            store.log_run(cur, run_id, "landsupply", SUPPLY_TABLE, dataclasses.asdict(rules),
                          {"as_of": as_of.isoformat(), "planar_srid": srid, "unsupplied_table":
                           UNSUPPLIED_TABLE.label() if measured is not None else None}, inputs)
            store.copy_rows(cur, SUPPLY_TABLE, run_id, result)
            if measured is not None:
                store.copy_rows(cur, UNSUPPLIED_TABLE, run_id,
                                sql_land_supply.unsupplied_rows(measured.table, measured.geometry, srid))
            store.finish_run(cur, run_id, counts)
        _step(feedback, 85)
        layer_sql = result_select(session.conn, supply, SUPPLY_TABLE, run_id)
        run = Run(run_id, "landsupply", result, SUPPLY_TABLE.label(), counts, layer_sql, supply.key, frame, supply,
                  session, curve_tolerance_m)
        run.unsupplied = measured
        run.supply_report = (repaired, empty)
        yield run
        session.conn.commit()
        _step(feedback, 100)


@dataclass
class UnsuppliedRun:
    """The batches of an in-database land supply run: the UNSUPPLIED table (indexed by the batches' key), the
    unsupplied polygons in the planar SRID, and by position the batches repaired, unusable and with repeated ids."""

    table: pd.DataFrame
    geometry: object
    srid: int
    repaired: object
    empty: object
    duplicated: object


def run_efficiency(*args, **kwargs) -> Run:
    """efficiency_run, committed at once (no output to write from its snapshot)."""
    with efficiency_run(*args, **kwargs) as run:
        return run


@contextmanager
def resettlement_run(projects_layer, field_map: dict, as_of,
                     rules: resettlement.ResettlementRules = resettlement.DEFAULT_RULES, templates: dict | None = None,
                     plots_layer=None, plot_field_map: dict | None = None, feedback=None,
                     create_missing_index: bool = False):
    """The +1/+4/+5 deadlines graded by one INSERT … SELECT in the database (see postgis.resettlement); the Run's
    result is the frame resettlement.evaluate returns (plus has_plot), its transaction open in the block and
    committed when the block ends normally; raises PostgisError."""
    with _session(projects_layer) as session:
        projects, plots = _resettlement_tables(session, projects_layer, plots_layer, create_missing_index, feedback)
        plot_id = (plot_field_map or {}).get("resettlement_plot_id") if plots is not None else None
        plot_id = plot_id if plots is not None and plot_id in plots.columns else None
        run_id = _begin(session, RESETTLEMENT_TABLE, feedback)
        statement = sql_resettlement.Statement(projects, field_map, as_of, rules, templates or {}, plots, plot_id)
        inputs = [_input("resettlement_projects", projects, field_map)] + (
            [_input("resettlement_plots", plots, plot_field_map or {})] if plots else [])
        with session.conn.cursor() as cur, cancel_on(session.conn, feedback):
            store.log_run(cur, run_id, "resettlementdeadlines", RESETTLEMENT_TABLE, dataclasses.asdict(rules),
                          {"as_of": as_of.isoformat()}, inputs)
            cur.execute(statement.insert(RESETTLEMENT_TABLE, run_id))
            _step(feedback, 70)
            counts = resettlement_counts(cur, run_id)
            store.finish_run(cur, run_id, counts)
            result = fetch_results(cur, RESETTLEMENT_TABLE, run_id, projects)
        _step(feedback, 90)
        layer_sql = result_select(session.conn, projects, RESETTLEMENT_TABLE, run_id)
        yield Run(run_id, "resettlementdeadlines", result, RESETTLEMENT_TABLE.label(), counts, layer_sql,
                  projects.key, None, projects, session)
        session.conn.commit()
        _step(feedback, 100)


def run_resettlement(*args, **kwargs) -> Run:
    """resettlement_run, committed at once."""
    with resettlement_run(*args, **kwargs) as run:
        return run


def resettlement_counts(cur, run_id: int) -> dict:
    """Per grade, per milestone and status, and households in overdue transition, from the written rows."""
    from psycopg2 import sql

    table = RESETTLEMENT_TABLE.ident()
    cur.execute(sql.SQL("SELECT count(*), coalesce(sum(overdue_households), 0), "
                        "count(*) FILTER (WHERE overdue_households IS NULL) FROM {} WHERE run_id = %s").format(
        table), (run_id,))
    projects, households, unknown = cur.fetchone()
    counts = {"projects": int(projects), "overdue_households": int(households),
              "overdue_households_unknown": int(unknown)}
    for column in ["grade"] + [f"{m}_status" for m in resettlement.MILESTONES]:
        cur.execute(sql.SQL("SELECT {c}, count(*) FROM {t} WHERE run_id = %s GROUP BY {c} ORDER BY {c}").format(
            c=sql.Identifier(column), t=table), (run_id,))
        counts[column] = {str(k): int(v) for k, v in cur.fetchall()}
    return counts


def fetch_results(cur, table: store.ResultTable, run_id: int, source) -> pd.DataFrame:
    """One run's rows as a frame indexed by the source key (dates as datetime64, days as Int64)."""
    from psycopg2 import sql

    names = [name for name, _ in table.columns]
    cur.execute(sql.SQL("SELECT source_id, {} FROM {} WHERE run_id = %s").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names), table.ident()), (run_id,))
    frame = pd.DataFrame(cur.fetchall(), columns=["source_id", *names])
    for name, kind in table.columns:
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind in ("integer", "bigint", "smallint"):
            frame[name] = frame[name].astype("Int64")
    key = frame.pop("source_id")
    frame.index = pd.Index(key.astype("int64") if source.key_type in INTEGER_TYPES else key, name="fid")
    return frame.sort_index()


def efficiency_counts(result: pd.DataFrame) -> dict:
    """Counts per class for the run log: grades (none = not graded), low efficiency, modes, clusters."""
    grades = result["grade"].fillna("none").value_counts()
    modes = result.loc[result["mode"] != "", "mode"].value_counts()
    return {"parcels": int(len(result)), "grade": {str(k): int(v) for k, v in grades.items()},
            "low_eff": int(result["low_eff"].sum()), "mode": {str(k): int(v) for k, v in modes.items()},
            "clusters": int(result["cluster_id"].max()) if len(result) else 0}


def _input(role: str, info, field_map: dict) -> dict:
    return {"role": role, "schema": info.ref.schema, "table": info.ref.table, "key": info.key,
            "geometry": info.ref.geometry, "srid": info.srid, "field_map": field_map}


def result_select(conn, source, table: store.ResultTable, run_id: int) -> str:
    """SELECT of the source rows with one run's results (for a QGIS query layer; keyed by the source's key)."""
    from psycopg2 import sql

    result_columns = sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(name)) for name, _ in table.columns)
    return sql.SQL("SELECT s.*, {columns} FROM {source} s JOIN {results} r ON r.source_id = s.{key}::text "
                   "AND r.run_id = {run}").format(
        columns=result_columns, source=source.ref.ident(), results=table.ident(), key=sql.Identifier(source.key),
        run=sql.Literal(int(run_id))).as_string(conn)


def result_layer(source_layer, run: Run, name: str):
    """A QGIS layer showing one run's results on the source geometries, with the source layer's credentials (its
    service or auth config: nothing secret is written into the project)."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri, ref = table_of(source_layer)
    view = QgsDataSourceUri(uri)
    view.setDataSource("", f"({run.layer_sql})", ref.geometry, "", run.key)
    return QgsVectorLayer(view.uri(False), name, "postgres")
