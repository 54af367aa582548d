#!/usr/bin/env bash
# `make run`: the real QGIS desktop with the packaged plugin in a dedicated profile (build/qgis-profiles), in
# Chinese, with the demo project loaded — a copy of it reading a copy of the demo GeoPackage under build/run/ (made
# fresh each time by scripts/run_project.py), so editing in the desktop never rewrites the tracked file. Without a
# display it runs under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
zip=$(ls -t dist/land_bureau_plugin-*.zip | head -n 1)
[ -f out/demo_project.qgz ] || .venv/bin/python scripts/demo.py
# the desktop edits a copy of the demo GeoPackage (build/run/), never the tracked resources/demo/demo.gpkg
project=$(.venv/bin/python scripts/run_project.py | tail -n 1)
.venv/bin/python scripts/desktop_profile.py build/qgis-profiles "$zip" "${LB_LOCALE:-zh-Hans}" >/dev/null
unset QT_QPA_PLATFORM
cmd=(qgis --profiles-path "$PWD/build/qgis-profiles" --profile default --nologo "$project")
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "${cmd[@]}"
fi
exec "${cmd[@]}"
