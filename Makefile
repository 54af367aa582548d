# Entry points. `make test` installs everything it needs from nothing (Debian 12, root or sudo) and runs all tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen
export PYTHONUSERBASE := $(CURDIR)/build/pyuser
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)
TS := i18n/land_bureau_plugin_zh_CN.ts
QM := $(TS:.ts=.qm)
SOURCES := $(shell find land_bureau_plugin -name '*.py' 2>/dev/null)

.PHONY: setup pg test test-unit test-qgis test-e2e matrix demo run package bench lint i18n i18n-update clean

setup:
	@bash scripts/setup.sh
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)

# The throw-away PostgreSQL/PostGIS cluster the PostGIS tests and benchmarks use (see the script's header).
pg: setup
	@bash scripts/pg_cluster.sh start

# Compile the translation (.qm is build output). `make i18n-update` refreshes the .ts from the sources first.
i18n: $(QM)
$(QM): $(TS)
	lrelease -silent $(TS) -qm $(QM)

i18n-update:
	pylupdate5 -noobsolete $(SOURCES) -ts $(TS)

test: setup i18n package pg
	$(VENV)/bin/ruff check land_bureau_plugin scripts tests
	$(VENV)/bin/flake8 land_bureau_plugin
	$(PY) -m pytest tests/unit tests/qgis tests/e2e -q -rs

test-unit: setup
	$(PY) -m pytest tests/unit -q

test-qgis: setup i18n pg
	$(PY) -m pytest tests/qgis -q

test-e2e: setup i18n package
	$(PY) -m pytest tests/e2e -q -rs

# The compatibility matrix (README, "Compatibility"): the packaged zip on Debian 13's QGIS 3.40 and unstable's 3.44,
# each in a chroot built by debootstrap and cached under build/chroots, and unstable with pandas 3 (sid-pandas3).
# MATRIX=trixie runs one.
matrix: setup package
	bash scripts/matrix.sh $(MATRIX)

demo: setup i18n
	$(PY) scripts/demo.py

run: setup package
	bash scripts/run_desktop.sh

# Stdlib only, run by the system's python3: works as the first command in a fresh clone (no .venv yet).
package: i18n
	python3 scripts/package.py dist

bench: setup i18n pg
	SECTIONS="$(SECTIONS)" $(PY) tests/bench/bench.py

# ruff for style; flake8 with flake8-qgis (.flake8) for the QGIS plugin rules: Qt 6 / QGIS 4 readiness.
lint: setup
	$(VENV)/bin/ruff check land_bureau_plugin scripts tests
	$(VENV)/bin/flake8 land_bureau_plugin

clean:
	-bash scripts/pg_cluster.sh stop
	rm -rf build dist out $(QM)
