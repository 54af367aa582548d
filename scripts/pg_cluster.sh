#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS 3 cluster for tests and benchmarks (issue 7). Never touches Debian's
# default cluster `main`: own data directory, own port, loopback only.
#
#   bash scripts/pg_cluster.sh start    # create (first time) and start; idempotent, a second call costs ~0.1 s
#   bash scripts/pg_cluster.sh stop     # stop (data kept; `make clean` removes it)
#   bash scripts/pg_cluster.sh status   # "running on 127.0.0.1:<port> …" (exit 0) or "stopped" (exit 3)
#   bash scripts/pg_cluster.sh port     # the port it runs on, or the one `start` would take
#   eval "$(bash scripts/pg_cluster.sh env)"   # export PGSERVICEFILE and PGSERVICE=landbureau
#
# What it provides, on 127.0.0.1:<port> (see "The port" below):
#   database `landbureau` with the postgis extension;
#   role `lb_rw` (owns the database: creates schemas and tables), role `lb_ro` (may connect and read whatever
#   lb_rw creates, nothing else — for privilege tests);
#   a libpq service file $LB_PG_DIR/pg_service.conf (mode 600) with the services `landbureau` (lb_rw) and
#   `landbureau_ro` (lb_ro). Passwords are random, generated on first start, and live only in that file:
#   connect with `service=landbureau` (psql, psycopg2, ogr2ogr "PG:service=landbureau", QGIS) so credentials never
#   appear in URIs, command lines or QGIS projects.
#   The superuser is the OS user running the server (`postgres` when started as root; PostgreSQL refuses root),
#   reachable only over the private Unix socket in $LB_PG_DIR/run with peer authentication.
#
# Settings (environment): LB_PG_DIR (default <repo>/build/pg: data/, run/, pg_service.conf; data/ and run/ go to
# /tmp/landbureau-pg-<hash> when the server's OS user cannot reach LB_PG_DIR), LB_PG_PORT (see "The port").
#
# The port: LB_PG_PORT when set. Otherwise the port of the running cluster; else the one its service file names
# when that is still free; else the first free port from a start derived from LB_PG_DIR (54330-55329), so two
# checkouts on one machine run their `make test` at the same time, each with its own cluster. Clients never need
# the number: it is in the service file.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${LB_PG_DIR:-$PWD/build/pg}
SERVICE_FILE=$DIR/pg_service.conf
DB=landbureau

if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

# The server runs as $OWNER, which must reach its data directory: a checkout under /root (mode 700) is out of its
# reach, so the data then lives under /tmp, one directory per checkout (the service file stays in $DIR).
mkdir -p "$DIR"
SERVER_DIR=$DIR
if ! as_owner test -x "$DIR" 2>/dev/null; then
  SERVER_DIR=/tmp/landbureau-pg-$(printf '%s' "$DIR" | sha1sum | cut -c1-10)
  mkdir -p "$SERVER_DIR"
  chmod 755 "$SERVER_DIR"
fi
DATA=$SERVER_DIR/data
RUN=$SERVER_DIR/run
LOG=$RUN/postgres.log

# The server binaries: those of the version that made the data directory, else the newest installed PostgreSQL with
# PostGIS (Debian 12 ships 15, Debian 13 17; `postgresql-postgis` pulls the release's own).
pg_bin() {
  local version
  if [ -f "$DATA/PG_VERSION" ]; then
    echo "/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin"
    return
  fi
  for version in $(ls /usr/lib/postgresql 2>/dev/null | sort -rn); do
    if [ -x "/usr/lib/postgresql/$version/bin/initdb" ] \
      && [ -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
      echo "/usr/lib/postgresql/$version/bin"
      return
    fi
  done
}
BIN=$(pg_bin)

die() { echo "pg_cluster: $*" >&2; exit 1; }

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

choose_port() {  # see "The port" in the header
  local port
  if [ -n "${LB_PG_PORT:-}" ]; then echo "$LB_PG_PORT"; return; fi
  if running; then sed -n 4p "$DATA/postmaster.pid"; return; fi
  port=$(awk -F= '$1 == "port" {print $2; exit}' "$SERVICE_FILE" 2>/dev/null || true)
  if [ -n "$port" ] && port_free "$port"; then echo "$port"; return; fi
  port=$((54330 + 0x$(printf '%s' "$DIR" | sha1sum | cut -c1-6) % 1000))
  for _ in $(seq 1000); do
    port_free "$port" && { echo "$port"; return; }
    port=$((port >= 55329 ? 54330 : port + 1))
  done
  die "no free port between 54330 and 55329; set LB_PG_PORT"
}

running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

admin_psql() {  # superuser over the private socket; SQL on stdin
  PGOPTIONS='-c client_min_messages=warning' as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" "$@"
}

new_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

service_password() {  # the password of service $1 in the service file, empty when absent
  [ -f "$SERVICE_FILE" ] || return 0
  awk -v s="[$1]" '$0 == s {on = 1; next} /^\[/ {on = 0} on && /^password=/ {sub(/^password=/, ""); print}' \
    "$SERVICE_FILE"
}

write_service_file() {
  local rw_pw=$1 ro_pw=$2
  umask 077
  cat > "$SERVICE_FILE.tmp" <<EOF
# libpq service file of the throw-away test cluster (scripts/pg_cluster.sh); generated, do not commit.
[landbureau]
host=127.0.0.1
port=$PORT
dbname=$DB
user=lb_rw
password=$rw_pw

[landbureau_ro]
host=127.0.0.1
port=$PORT
dbname=$DB
user=lb_ro
password=$ro_pw
EOF
  mv "$SERVICE_FILE.tmp" "$SERVICE_FILE"
}

init_cluster() {
  [ -n "$BIN" ] && [ -x "$BIN/initdb" ] || die "PostgreSQL with PostGIS is not installed (run: make setup)"
  mkdir -p "$DATA" "$RUN"
  chown "$OWNER" "$DATA" "$RUN"
  chmod 700 "$DATA" "$RUN"
  as_owner "$BIN/initdb" -D "$DATA" -U "$OWNER" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  cat >> "$DATA/postgresql.conf" <<EOF
# scripts/pg_cluster.sh: loopback only, private socket, small and fast (throw-away data, fsync off)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_connections = 60
EOF
  # Loopback TCP with passwords for everyone; the Unix socket (mode 700 directory) for the owner only.
  cat > "$DATA/pg_hba.conf" <<EOF
local   all   $OWNER                  peer
host    all   all     127.0.0.1/32    scram-sha-256
EOF
}

start_server() {
  if ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; then
    die "port $PORT is in use by another server; set LB_PG_PORT to a free port"
  fi
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null \
    || die "the server did not start; see $LOG"
}

provision() {  # roles, database, extension, privileges — every statement is idempotent
  local rw_pw ro_pw
  rw_pw=$(service_password landbureau)
  ro_pw=$(service_password landbureau_ro)
  [ -n "$rw_pw" ] || rw_pw=$(new_password)
  [ -n "$ro_pw" ] || ro_pw=$(new_password)
  write_service_file "$rw_pw" "$ro_pw"
  LB_RW_PW=$rw_pw LB_RO_PW=$ro_pw admin_psql -d postgres <<'SQL'
\getenv rw_pw LB_RW_PW
\getenv ro_pw LB_RO_PW
SELECT 'CREATE ROLE lb_rw LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lb_rw') \gexec
SELECT 'CREATE ROLE lb_ro LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lb_ro') \gexec
ALTER ROLE lb_rw PASSWORD :'rw_pw';
ALTER ROLE lb_ro PASSWORD :'ro_pw';
SELECT 'CREATE DATABASE landbureau OWNER lb_rw' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'landbureau') \gexec
SQL
  admin_psql -d "$DB" <<'SQL'
CREATE EXTENSION IF NOT EXISTS postgis;
REVOKE CREATE, TEMPORARY ON DATABASE landbureau FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE landbureau TO lb_ro;
GRANT ALL ON DATABASE landbureau TO lb_rw;
GRANT USAGE ON SCHEMA public TO lb_ro;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO lb_ro;
ALTER DEFAULT PRIVILEGES FOR ROLE lb_rw GRANT USAGE ON SCHEMAS TO lb_ro;
ALTER DEFAULT PRIVILEGES FOR ROLE lb_rw GRANT SELECT ON TABLES TO lb_ro;
SQL
}

PORT=$(choose_port)

case "${1:-}" in
  port)
    echo "$PORT"
    ;;
  start)
    if ! running; then
      [ -f "$DATA/PG_VERSION" ] || init_cluster
      start_server
      provision
    elif [ ! -f "$SERVICE_FILE" ]; then
      provision
    fi
    echo "pg_cluster: running on 127.0.0.1:$PORT, database $DB; service file $SERVICE_FILE"
    ;;
  stop)
    if running; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
      echo "pg_cluster: stopped"
    else
      echo "pg_cluster: not running"
    fi
    ;;
  status)
    if running; then
      echo "pg_cluster: running on 127.0.0.1:$PORT, database $DB, data $DATA, service file $SERVICE_FILE"
    else
      echo "pg_cluster: stopped (data $DATA)"
      exit 3
    fi
    ;;
  env)
    echo "export PGSERVICEFILE='$SERVICE_FILE'"
    echo "export PGSERVICE=landbureau"
    ;;
  *)
    echo "usage: $0 start|stop|status|port|env" >&2
    exit 2
    ;;
esac
