#!/usr/bin/env bash
# Idempotent bootstrap for a fresh Debian 12 machine: system packages, the virtual environment,
# the Python dependencies for Debian's own Python (what QGIS desktop runs) and the compiled translations.
# Every step checks first, so a second run costs a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

DEBIAN_PACKAGES=(
  qgis python3-qgis qgis-providers      # QGIS 3.22 LTR and its Python bindings
  python3-pandas python3-openpyxl python3-venv python3-pip
  xvfb xauth x11-utils imagemagick       # the real desktop, headless, and screenshots
  poppler-utils                          # pdftoppm / pdftotext to look at printed layouts
  qttools5-dev-tools pyqt5-dev-tools     # lrelease / pylupdate5 for the translations
  fonts-noto-cjk                         # Chinese text in the UI
  fonts-wqy-microhei                     # Chinese text in printed PDFs that stays searchable (layouts/fonts.py)
  postgresql postgresql-15-postgis-3     # the shared database (issue 7) and benchmarks
  python3-psycopg2 gdal-bin              # in-database analyses (SQL from Python); ogr2ogr loads benchmark data
  iproute2                               # `ss`: scripts/pg_cluster.sh checks its port is free
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The virtual environment sees Debian's qgis, PyQt5, numpy 1.24 and GDAL bindings (system site packages);
# pip adds only what is pinned in requirements-dev.txt, never a second numpy (constraints.txt).
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements-dev.txt constraints.txt | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
  echo "$want" > "$stamp"
fi

# QGIS desktop and qgis_process run Debian's python3, not the venv. Shapely 2 is installed for them into a
# user site (see README, "Dependencies inside QGIS"); here into a private PYTHONUSERBASE under build/ so the
# tests never touch the real home folder. --no-deps keeps Debian's numpy and GDAL bindings untouched.
export PYTHONUSERBASE="$PWD/build/pyuser"
if ! /usr/bin/python3 -c 'import shapely, sys; sys.exit(0 if shapely.__version__ >= "2" else 1)' 2>/dev/null; then
  echo "setup: installing shapely 2 for Debian's python3 into $PYTHONUSERBASE"
  /usr/bin/python3 -m pip install -q --disable-pip-version-check --user --break-system-packages --no-deps \
    -r requirements-qgis.txt
fi
