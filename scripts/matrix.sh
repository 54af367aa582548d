#!/usr/bin/env bash
# `make matrix`: the plugin on the QGIS of other Debian releases, each in a chroot built from Debian's archive only
# (debootstrap, no other download) and cached under build/chroots/<suite>:
#   trixie — Debian 13, QGIS 3.40, Python 3.13, numpy 2;   sid — Debian unstable, QGIS 3.44 LTR;
#   sid-pandas3 — the sid chroot with pandas 3 from PyPI on top, in an overlay (the chroot stays as it is).
# In each: the QGIS-layer tests (tests/qgis, with a PostGIS cluster started inside), the qgis_process end-to-end
# tests on the packaged zip (tests/e2e/test_qgis_process.py) and the desktop check (the zip installed into a fresh
# profile of the real QGIS under Xvfb, its Chinese menu opened and photographed: scripts/matrix_desktop.py).
# Results: build/matrix/<suite>/ (junit XML, logs, versions.json, menu.png) and build/matrix/summary.txt.
#
#   bash scripts/matrix.sh [suite ...]     # default: trixie sid sid-pandas3; needs root (debootstrap, chroot, mounts)
#   MATRIX_REBUILD=1 bash scripts/matrix.sh trixie   # rebuild that chroot from nothing
#   MATRIX_TESTS=tests/qgis/test_layouts.py bash scripts/matrix.sh sid   # only those tests, no desktop check
#   MATRIX_UNREACHABLE=warn bash scripts/matrix.sh   # a chroot that cannot be built from the archive (network,
#       a package missing from unstable that day, PyPI for sid-pandas3) is reported NOT RUN instead of failing the
#       run (.ci/run uses it)
#
# Each suite runs in its own mount and network namespace (unshare): /proc, /dev and /sys are mounted only there,
# so they disappear with the namespace however the run ends (nothing to clean up on the host), and the chroot's
# PostgreSQL port and X display cannot collide with the host's or another checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."

MIRROR=${MATRIX_MIRROR:-http://deb.debian.org/debian}
CHROOTS=$PWD/build/chroots
RESULTS=$PWD/build/matrix
# What a user of that release installs for the plugin (README), plus the tools the tests drive.
PACKAGES=(
  qgis python3-qgis qgis-providers
  python3-pandas python3-shapely python3-openpyxl python3-scipy
  python3-pytest python3-psycopg2 gdal-bin
  postgresql postgresql-postgis iproute2
  xvfb xauth x11-utils imagemagick poppler-utils fonts-wqy-microhei
)

if [ "$(id -u)" -ne 0 ]; then  # debootstrap, chroot and mounts need root: through sudo, as `make setup` does
  command -v sudo >/dev/null || { echo "matrix: needs root (debootstrap, chroot, mount) or sudo" >&2; exit 1; }
  exec sudo --preserve-env=MATRIX_MIRROR,MATRIX_REBUILD,MATRIX_TESTS,MATRIX_UNREACHABLE,MATRIX_PANDAS3 bash "$0" "$@"
fi
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
# A suite named here is built by debootstrap's script of that name; an older host debootstrap may lack it.
now() { date +%s; }

in_chroot() {  # run "$@" inside chroot $1 in a private mount namespace (mounts vanish with it); with
  # MATRIX_NET=own also a private network namespace (its own loopback: ports and X displays of its own, no internet)
  local root=$1 net=()
  shift
  [ "${MATRIX_NET:-host}" = own ] && net=(--net)
  unshare --mount "${net[@]}" --fork --propagation private /bin/bash -euo pipefail -c '
    root=$1; shift
    if [ -n "${MATRIX_OVERLAY:-}" ]; then  # changes go to $MATRIX_OVERLAY/upper, the chroot stays as it is
      mkdir -p "$MATRIX_OVERLAY"/{upper,work,root}
      mount -t overlay overlay -o "lowerdir=$root,upperdir=$MATRIX_OVERLAY/upper,workdir=$MATRIX_OVERLAY/work" \
        "$MATRIX_OVERLAY/root"
      root=$MATRIX_OVERLAY/root
    fi
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --rbind -o ro /sys "$root/sys" 2>/dev/null || true
    mount -t tmpfs tmpfs "$root/tmp"
    ip link set lo up 2>/dev/null || true
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"' _ "$root" "$@"
}

retry() {  # retry N command…: the command until it succeeds, at most N times, 30 s apart
  local n=$1 i
  shift
  for ((i = 1; i <= n; i++)); do
    "$@" && return 0
    [ "$i" -lt "$n" ] && { echo "matrix: retrying ($i/$n failed): $*" >&2; sleep 30; }
  done
  return 1
}

give_up() {  # a chroot build that failed: the end of its log $1 shown, its half-built directory removed
  tail -n 30 "$1" >&2
  rm -rf "$dir.tmp"  # build_chroot's $dir
}

build_chroot() {  # build/chroots/$1 from nothing, unless it is there with the same package list
  local suite=$1 dir=$CHROOTS/$1 want stamp t0
  want=$(printf '%s\n' "$suite" "$MIRROR" "${PACKAGES[@]}" | sha1sum | cut -c1-12)
  stamp=$dir/.lb-chroot
  if [ -z "${MATRIX_REBUILD:-}" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "matrix: $suite chroot cached ($dir)"
    return
  fi
  # a built chroot whose package list grew (python3-scipy for the living circle): the list installed into it, a
  # minute instead of a rebuild; a rebuild only when that fails
  if [ -z "${MATRIX_REBUILD:-}" ] && [ -s "$stamp" ] \
    && in_chroot "$dir" apt-get -qq update > "$CHROOTS/$suite.apt.log" 2>&1 \
    && in_chroot "$dir" apt-get install -y -qq "${PACKAGES[@]}" >> "$CHROOTS/$suite.apt.log" 2>&1; then
    in_chroot "$dir" apt-get clean
    echo "$want" > "$stamp"
    echo "matrix: $suite chroot updated to the package list ($dir)"
    return
  fi
  t0=$(now)
  rm -rf "$dir" "$dir.tmp"
  mkdir -p "$CHROOTS"
  # (called in an `||` list, where `set -e` does not apply: every step below checks its own status)
  echo "matrix: building the $suite chroot (debootstrap $MIRROR)"
  # Debian's archive over the network: each step tried three times before the build is given up (status 75)
  retry 3 debootstrap --variant=minbase "$suite" "$dir.tmp" "$MIRROR" > "$CHROOTS/$suite.debootstrap.log" 2>&1 \
    || { give_up "$CHROOTS/$suite.debootstrap.log"; return 75; }
  # unstable's Release file may be past its Valid-Until date on a mirror snapshot
  echo 'Acquire::Check-Valid-Until "false";' > "$dir.tmp/etc/apt/apt.conf.d/99lb-valid-until"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$dir.tmp/etc/apt/apt.conf.d/99lb-norecommends"
  # no daemons started by package scripts inside the chroot
  printf '#!/bin/sh\nexit 101\n' > "$dir.tmp/usr/sbin/policy-rc.d"; chmod 755 "$dir.tmp/usr/sbin/policy-rc.d"
  retry 3 in_chroot "$dir.tmp" apt-get -qq update || { give_up /dev/null; return 75; }
  retry 3 in_chroot "$dir.tmp" apt-get install -y -qq "${PACKAGES[@]}" > "$CHROOTS/$suite.apt.log" 2>&1 \
    || { give_up "$CHROOTS/$suite.apt.log"; return 75; }
  in_chroot "$dir.tmp" apt-get clean
  echo "$want" > "$dir.tmp/.lb-chroot"
  mv "$dir.tmp" "$dir"
  echo "matrix: $suite chroot built in $(( $(now) - t0 )) s"
  mkdir -p "$RESULTS/$suite"
  echo "$(( $(now) - t0 ))" > "$RESULTS/$suite/build_seconds"
}

copy_project() {  # the checkout's files (tracked and new, not ignored), the compiled translation, pytest-qgis/-timeout
  local root=$1 dest=$1/root/lb site
  rm -rf "$dest"
  mkdir -p "$dest/dist" "$dest/build"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -C "$dest" -xf -
  [ "${ZIP_COPY:-yes}" = no ] && return  # a fresh checkout: no build output, nothing pip would install
  cp i18n/*.qm "$dest/i18n/"
  cp "$ZIP" "$dest/dist/"
  # pytest-qgis and pytest-timeout (pure Python): the copies in .venv, so no download happens in the chroot
  site=$(.venv/bin/python -c 'import pytest_qgis, os; print(os.path.dirname(os.path.dirname(pytest_qgis.__file__)))')
  rm -rf "$root/opt/lb-pytest"
  mkdir -p "$root/opt/lb-pytest"
  cp -r "$site"/pytest_qgis "$site"/pytest_qgis-*.dist-info "$site"/pytest_timeout.py "$site"/pytest_timeout-*.dist-info \
    "$root/opt/lb-pytest/"
}

pandas3_overlay() {  # an overlay $2 on chroot $1 with pandas 3 from PyPI: what OSGeo4W, the QGIS MSI and Debian move
  # to (Copy-on-Write always, str columns, setitem that raises instead of upcasting). The wheel for the chroot's
  # Python, downloaded by the host's pip (no pip inside), is unpacked into /usr/local (ahead of Debian's pandas for
  # the tests, qgis_process and the desktop alike); --no-deps keeps the chroot's numpy and dateutil. Status 75 when
  # PyPI cannot be reached (NOT RUN under MATRIX_UNREACHABLE=warn, like an unreachable archive).
  local root=$1 over=$2 py wheels=$2/wheels
  py=$(cd "$root/usr/bin" && ls python3.* | grep -E '^python3\.[0-9]+$' | sort -V | tail -n 1)
  rm -rf "$over"
  mkdir -p "$over/upper/usr/local/lib/$py/dist-packages" "$wheels"
  retry 3 .venv/bin/python -m pip download -q --disable-pip-version-check --timeout 30 --retries 2 --no-deps \
    --only-binary=:all: --implementation cp --python-version "${py#python}" --platform manylinux_2_28_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d "$wheels" "${MATRIX_PANDAS3:-pandas>=3}" \
    > "$CHROOTS/pandas3.pip.log" 2>&1 || { tail -n 5 "$CHROOTS/pandas3.pip.log" >&2; return 75; }
  python3 -m zipfile -e "$wheels"/pandas-*.whl "$over/upper/usr/local/lib/$py/dist-packages/"
}

run_suite() {  # the tests in chroot $1 (<suite>-pandas3: in an overlay with pandas 3); results in build/matrix/$1
  local suite=$1 root=$CHROOTS/${1%-pandas3} out=$RESULTS/$1 t0 status=0 over=""
  mkdir -p "$out"
  rm -rf "${out:?}"/*.xml "$out"/*.log "$out"/menu.* "$out"/versions.json "$out"/screenshots
  if [ "$suite" != "${suite%-pandas3}" ]; then
    over=$CHROOTS/$suite
    pandas3_overlay "$root" "$over" || return
    copy_project "$over/upper"
  else
    copy_project "$root"
  fi
  t0=$(now)
  MATRIX_OVERLAY=$over MATRIX_NET=own in_chroot "$root" /bin/bash -c '
    set -uo pipefail
    cd /root/lb
    export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/runtime-root PYTHONPATH=/opt/lb-pytest
    mkdir -p -m 700 $XDG_RUNTIME_DIR; mkdir -p build/matrix
    python3 - > build/matrix/versions.json <<PY
import json, platform, numpy, pandas, shapely
from osgeo import gdal
from qgis.core import Qgis
print(json.dumps({"qgis": Qgis.version(), "python": platform.python_version(), "numpy": numpy.__version__,
                  "pandas": pandas.__version__, "shapely": shapely.__version__, "geos": shapely.geos_version_string,
                  "gdal": gdal.__version__, "debian": open("/etc/debian_version").read().strip()}))
PY
    status=0
    python3 -m pytest ${1:-tests/unit tests/qgis tests/e2e} -q -rfEs -p no:cacheprovider \
      --junitxml=build/matrix/tests.xml > build/matrix/pytest.log 2>&1 || status=1
    [ -n "${1:-}" ] || python3 scripts/matrix_desktop.py dist/*.zip build/matrix > build/matrix/desktop.log 2>&1 || status=1
    bash scripts/pg_cluster.sh stop >/dev/null 2>&1
    exit $status' _ "${MATRIX_TESTS:-}" || status=$?
  echo "$(( $(now) - t0 ))" > "$out/test_seconds"
  [ -z "$over" ] || root=$over/upper  # the overlay's changes: the project's build/ as written inside
  cp -r "$root/root/lb/build/matrix/." "$out/"
  [ -d "$root/root/lb/build/screenshots" ] && cp -r "$root/root/lb/build/screenshots" "$out/"
  [ -z "$over" ] || rm -rf "$over"
  summarise "$suite"
  return $status
}

summarise() {  # one line per suite: versions, test counts, desktop check, times
  local suite=$1 out=$RESULTS/$1
  python3 - "$suite" "$out" <<'PY' | tee -a "$RESULTS/summary.txt"
import json, sys, xml.etree.ElementTree as ET
from pathlib import Path
suite, out = sys.argv[1], Path(sys.argv[2])
v = json.loads((out / "versions.json").read_text()) if (out / "versions.json").exists() else {}
counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
if (out / "tests.xml").exists():
    for s in ET.parse(out / "tests.xml").getroot().iter("testsuite"):
        for k in counts:
            counts[k] += int(s.get(k, 0))
passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
menu = json.loads((out / "menu.json").read_text()) if (out / "menu.json").exists() else {}
def seconds(name):
    p = out / name
    return p.read_text().strip() + " s" if p.exists() else "cached"
print(f"{suite}: Debian {v.get('debian', '?')}, QGIS {v.get('qgis', '?')}, Python {v.get('python', '?')}, "
      f"numpy {v.get('numpy', '?')}, pandas {v.get('pandas', '?')}, shapely {v.get('shapely', '?')} "
      f"(GEOS {v.get('geos', '?')}), GDAL {v.get('gdal', '?')} | tests: {passed} passed, {counts['failures']} failed, "
      f"{counts['errors']} errors, {counts['skipped']} skipped | desktop menu: "
      f"{('shown' if menu.get('shown') else 'NOT shown') if (out / 'desktop.log').exists() else 'not run'} | chroot build: {seconds('build_seconds')}, "
      f"tests: {seconds('test_seconds')}")
PY
}

setup_check() {  # `make test` from nothing on a bare Debian $1 (debootstrap minbase + make), as README promises
  local suite=$1 bare=$CHROOTS/$1-bare over=$CHROOTS/$1-setup out=$RESULTS/setup-$1 t0 status=0
  if [ ! -f "$bare/.lb-bare" ]; then
    rm -rf "$bare" "$bare.tmp"
    debootstrap --variant=minbase "$suite" "$bare.tmp" "$MIRROR" > "$CHROOTS/$suite-bare.debootstrap.log" 2>&1
    echo 'Acquire::Check-Valid-Until "false";' > "$bare.tmp/etc/apt/apt.conf.d/99lb-valid-until"
    printf '#!/bin/sh\nexit 101\n' > "$bare.tmp/usr/sbin/policy-rc.d"; chmod 755 "$bare.tmp/usr/sbin/policy-rc.d"
    in_chroot "$bare.tmp" apt-get -qq update
    in_chroot "$bare.tmp" apt-get install -y -qq make >/dev/null
    rm -rf "$bare.tmp"/var/lib/apt/lists/*  # as bare as a fresh container: no package lists
    touch "$bare.tmp/.lb-bare"
    mv "$bare.tmp" "$bare"
  fi
  rm -rf "$over" "$out"
  mkdir -p "$over/upper" "$out"
  ZIP_COPY=no copy_project "$over/upper"
  # The host's trust goes along (a proxy's CA in /usr/local/share/ca-certificates, as on machines behind one): pip
  # inside reaches PyPI as the host's does. Local CAs survive the chroot's own update-ca-certificates.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$over/upper/usr/local/share/ca-certificates" "$over/upper/etc/ssl/certs"
    cp /usr/local/share/ca-certificates/*.crt "$over/upper/usr/local/share/ca-certificates/"
    cp /etc/ssl/certs/ca-certificates.crt "$over/upper/etc/ssl/certs/"
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$over/upper/etc/pip.conf"
  fi
  t0=$(now)
  echo "matrix: make setup on a bare $suite (apt and pip downloads)"
  MATRIX_OVERLAY=$over in_chroot "$bare" /bin/bash -c 'cd /root/lb && make setup' > "$out/setup.log" 2>&1 || status=$?
  echo "$(( $(now) - t0 ))" > "$out/setup_seconds"
  if [ $status -eq 0 ]; then
    t0=$(now)
    echo "matrix: make test on that $suite (own network namespace)"
    MATRIX_NET=own MATRIX_OVERLAY=$over in_chroot "$bare" /bin/bash -c 'cd /root/lb && make test' \
      > "$out/test.log" 2>&1 || status=$?
    echo "$(( $(now) - t0 ))" > "$out/test_seconds"
  fi
  echo "setup-$suite: make setup $(cat "$out/setup_seconds") s, make test $(cat "$out/test_seconds" 2>/dev/null || echo -) s:" \
    "$(tail -n 1 "$out/test.log" 2>/dev/null || tail -n 3 "$out/setup.log")" | tee -a "$RESULTS/summary.txt"
  rm -rf "$over"
  return $status
}

mkdir -p "$RESULTS"
if [ "${1:-}" = setup-check ]; then
  shift
  for suite in "${@:-trixie}"; do setup_check "$suite"; done
  exit
fi
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(trixie sid sid-pandas3)
ZIP=$(ls -t dist/land_bureau_plugin-*.zip 2>/dev/null | head -n 1)
[ -n "$ZIP" ] || { echo "matrix: no plugin zip in dist/ (make package)" >&2; exit 1; }
: > "$RESULTS/summary.txt"
failed=() unbuilt=()
for suite in "${SUITES[@]}"; do
  rm -f "$RESULTS/$suite/build_seconds"
  code=0
  build_chroot "${suite%-pandas3}" || code=$?
  if [ $code -eq 75 ] && [ "${MATRIX_UNREACHABLE:-fail}" = warn ]; then
    echo "$suite: NOT RUN — its chroot could not be built from $MIRROR (logs: build/chroots/${suite%-pandas3}.*.log)" \
      | tee -a "$RESULTS/summary.txt" >&2
    unbuilt+=("$suite")
    continue
  fi
  [ $code -eq 0 ] || { failed+=("$suite"); continue; }
  run_suite "$suite" || code=$?
  if [ $code -eq 75 ] && [ "${MATRIX_UNREACHABLE:-fail}" = warn ]; then
    echo "$suite: NOT RUN — pandas 3 could not be downloaded from PyPI (log: build/chroots/pandas3.pip.log)" \
      | tee -a "$RESULTS/summary.txt" >&2
    unbuilt+=("$suite")
    continue
  fi
  [ $code -eq 0 ] || failed+=("$suite")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "matrix: FAILED in ${failed[*]} (logs: build/matrix/<suite>/pytest.log, desktop.log)" >&2
  exit 1
fi
if [ ${#unbuilt[@]} -gt 0 ]; then
  echo "matrix: green where it ran; NOT RUN in ${unbuilt[*]}: Debian's archive or PyPI could not be reached (build/matrix/summary.txt)"
else
  echo "matrix: all green (build/matrix/summary.txt)"
fi
