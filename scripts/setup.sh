#!/usr/bin/env bash
# Idempotent bootstrap for a fresh Debian 12 or 13 machine: system packages, the virtual environment,
# the Python dependencies for Debian's own Python (what QGIS desktop runs) and the compiled translations.
# Every step checks first, so a second run costs a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

DEBIAN_PACKAGES=(
  qgis python3-qgis qgis-providers      # the release's QGIS (Debian 12: 3.22, 13: 3.40) and its Python bindings
  python3-pandas python3-openpyxl python3-venv python3-pip
  python3-scipy                          # the living circle's network engine (scipy.sparse.csgraph), Debian 12 and 13
  xvfb xauth x11-utils imagemagick       # the real desktop, headless, and screenshots
  poppler-utils                          # pdftoppm / pdftotext to look at printed layouts
  qttools5-dev-tools pyqt5-dev-tools     # lrelease / pylupdate5 for the translations
  fonts-noto-cjk                         # Chinese text in the UI
  fonts-wqy-microhei                     # Chinese text in printed PDFs that stays searchable (layouts/fonts.py)
  postgresql postgresql-postgis         # the shared database (issue 7) and benchmarks, the release's version
  python3-psycopg2 gdal-bin              # in-database analyses (SQL from Python); ogr2ogr loads benchmark data
  iproute2                               # `ss`: scripts/pg_cluster.sh checks its port is free
)

# A fresh system (a container, a debootstrap) may have empty package lists: read them before asking apt anything.
apt-cache show qgis >/dev/null 2>&1 || $SUDO apt-get update -qq
# Debian's own shapely where the release's is shapely 2 (Debian 13 on); Debian 12's 1.8 is not installed at all,
# shapely 2 goes into a user site instead (below).
shapely_candidate=$(apt-cache policy python3-shapely 2>/dev/null | awk '/Candidate:/ {print $2}')
if [ -n "$shapely_candidate" ] && [ "$shapely_candidate" != "(none)" ] \
  && dpkg --compare-versions "$shapely_candidate" ge 2; then
  DEBIAN_PACKAGES+=(python3-shapely)
fi

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# What Debian's python3 (QGIS's) can do, by the plugin's own capability check (land_bureau_plugin/__init__.py),
# not by version strings: Debian unstable's shapely says "0+unknown".
export PYTHONUSERBASE="$PWD/build/pyuser"
lacks() {  # lacks [--system] NAME: Debian's python3 (with --system: without the user site) lacks library NAME
  local flags=()
  [ "$1" = --system ] && { flags=(-s); shift; }
  ! /usr/bin/python3 "${flags[@]}" -c 'import sys, land_bureau_plugin as p
sys.exit(any(m.split()[0] == sys.argv[1] for m in p.missing_dependencies()))' "$1" 2>/dev/null
}

# The virtual environment sees Debian's qgis, PyQt5, numpy and GDAL bindings (system site packages); pip adds what
# requirements-dev.txt lists, never a second numpy (build/constraints.txt pins the system's), and shapely/pandas only
# where Debian's are too old for the plugin (shapely < 2) or the tests (pandas < 2: the venv runs pandas 2 while the
# desktop runs Debian 12's 1.5).
mkdir -p build
/usr/bin/python3 -c 'import numpy; print(f"numpy=={numpy.__version__}")' > build/constraints.txt
cp requirements-dev.txt build/requirements-venv.txt
lacks --system shapely || sed -i '/^shapely\b/d' build/requirements-venv.txt
/usr/bin/python3 -s -c 'import pandas, sys; sys.exit(not hasattr(pandas.api.types, "is_any_real_numeric_dtype"))' \
  2>/dev/null && sed -i '/^pandas\b/d' build/requirements-venv.txt
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements.sha
want=$(cat build/requirements-venv.txt build/constraints.txt | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r build/requirements-venv.txt \
    -c build/constraints.txt
  echo "$want" > "$stamp"
fi

# QGIS desktop and qgis_process run Debian's python3, not the venv. Where Debian's shapely is too old (Debian 12),
# shapely 2 is installed for it into a user site (see README, "Dependencies inside QGIS"); here into a private
# PYTHONUSERBASE under build/ so the tests never touch the real home folder. --no-deps keeps Debian's numpy and GDAL
# bindings untouched.
if lacks shapely; then
  echo "setup: installing shapely 2 for Debian's python3 into $PYTHONUSERBASE"
  /usr/bin/python3 -m pip install -q --disable-pip-version-check --user --break-system-packages --no-deps \
    -r requirements-qgis.txt
fi
