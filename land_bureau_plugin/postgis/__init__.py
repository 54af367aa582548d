"""The in-database path: when every input of an analysis lives in one PostGIS database, the heavy work runs there,
next to the data, instead of dragging every geometry into QGIS.

- `connection`: credentials from the layer's service file or QGIS auth config (never a clear-text password in a
  URI, a log or a project), clear messages for lost connections and missing privileges, cancelling a running query.
- `tables`: what a source table must have (a single-column primary key, a GiST index on its geometry) and the
  consent-only creation of a missing index.
- `store`: the result tables keyed by (run id, source id) and the run log, in schema `land_bureau`.
- `efficiency`, `resettlement`: the generated SQL (identifiers quoted with psycopg2.sql, values bound).
- `engine`: the layer-level entry points the Processing algorithms call (`can_run_in_database`, `run_efficiency`,
  `run_resettlement`).

A run reads the source tables in one REPEATABLE READ transaction (one consistent snapshot, only ACCESS SHARE locks,
so other users keep editing) and writes its results and log row in that same transaction: a failure, a lost
connection or a cancel leaves nothing behind; two runs never collide because each takes its own run id.
"""
