"""Start QGIS without a display for scripts (demo, benchmarks): QgsApplication, Processing, our provider."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
sys.path.append("/usr/share/qgis/python/plugins")


def start():
    """Returns (app, plugin) with Processing initialised and the landbureau provider registered."""
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import land_bureau_plugin

    plugin = land_bureau_plugin.classFactory(None)
    if hasattr(plugin, "missing"):
        sys.exit("missing dependencies: " + ", ".join(plugin.missing))
    plugin.initProcessing()
    return app, plugin
