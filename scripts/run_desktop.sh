#!/usr/bin/env bash
# `make run`: the real QGIS desktop with the packaged plugin in a dedicated profile (build/qgis-profiles), in
# Chinese, with the demo project loaded. Without a display it runs under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
zip=$(ls -t dist/land_bureau_plugin-*.zip | head -n 1)
[ -f out/demo_project.qgz ] || .venv/bin/python scripts/demo.py
.venv/bin/python scripts/desktop_profile.py build/qgis-profiles "$zip" "${LB_LOCALE:-zh-Hans}" >/dev/null
unset QT_QPA_PLATFORM
cmd=(qgis --profiles-path "$PWD/build/qgis-profiles" --profile default --nologo "$PWD/out/demo_project.qgz")
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "${cmd[@]}"
fi
exec "${cmd[@]}"
