"""`make run`'s project: a copy of the demo project (out/demo_project.qgz, written by `make demo`) whose layers read a
copy of the demo GeoPackage under build/run/ instead of the repository's resources/demo/demo.gpkg — toggling editing
in the desktop (or saving an edit) rewrites the GeoPackage it edits, and the tracked file must stay as it is.

Made fresh on every `make run`: edits saved in the desktop last until the next one. Prints the copied project's path.
"""
from __future__ import annotations

import shutil
import sys

from qgis_headless import ROOT

DEMO = ROOT / "resources" / "demo" / "demo.gpkg"
PROJECT = ROOT / "out" / "demo_project.qgz"
RUN = ROOT / "build" / "run"


def main() -> int:
    from qgis.core import QgsApplication, QgsPathResolver, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    RUN.mkdir(parents=True, exist_ok=True)
    copy = RUN / "demo.gpkg"
    for suffix in ("", "-wal", "-shm"):  # a previous run's sqlite side files belong to the previous copy
        (RUN / f"demo.gpkg{suffix}").unlink(missing_ok=True)
    shutil.copyfile(DEMO, copy)
    tracked = str(DEMO.resolve())

    def to_copy(path: str) -> str:
        return path.replace(tracked, str(copy)) if tracked in path else path

    preprocessor = QgsPathResolver.setPathPreprocessor(to_copy)  # every layer source read is rewritten
    project = QgsProject.instance()
    try:
        if not project.read(str(PROJECT)):
            print(f"cannot read {PROJECT}: {project.error()}", file=sys.stderr)
            return 1
    finally:
        QgsPathResolver.removePathPreprocessor(preprocessor)
    left = [layer.name() for layer in project.mapLayers().values() if tracked in layer.source()]
    if left:
        print(f"layers still reading {DEMO}: {', '.join(left)}", file=sys.stderr)
        return 1
    target = RUN / "demo_project.qgz"
    if not project.write(str(target)):
        print(f"cannot write {target}: {project.error()}", file=sys.stderr)
        return 1
    project.clear()
    app.exitQgis()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
