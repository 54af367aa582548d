"""规划资源 / Land Bureau — QGIS plugin for a city's Bureau of Planning and Natural Resources.

QGIS calls `classFactory`. Heavy imports (pandas, shapely) happen only after a dependency check, so a machine
without them still starts QGIS and shows one message saying what to install.
"""

REQUIRED = (("numpy", "1.21"), ("pandas", "1.5"), ("shapely", "2.0"))


def _numpy_ok(numpy) -> bool:
    """numpy.typing.NDArray came with numpy 1.21."""
    import numpy.typing

    return hasattr(numpy.typing, "NDArray")


def _pandas_ok(pandas) -> bool:
    """pandas.ArrowDtype came with pandas 1.5 (the oldest pandas the analyses are written for: Debian 12's)."""
    return hasattr(pandas, "ArrowDtype")


def _shapely_ok(shapely) -> bool:
    """What the analyses use of shapely 2 and 1.8 lacks: WKB to geometry arrays, and STRtree bulk queries that take an
    array and answer with index pairs."""
    import numpy

    boxes = shapely.from_wkb(shapely.to_wkb(numpy.array([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])))
    pairs = shapely.STRtree(boxes).query(boxes, predicate="intersects")
    return numpy.asarray(pairs).tolist() == [[0, 1], [0, 1]]


CAPABLE = {"numpy": _numpy_ok, "pandas": _pandas_ok, "shapely": _shapely_ok}


def missing_dependencies() -> list[str]:
    """Names (with the minimum version) of required libraries that are absent or too old.

    Judged by what each library can do, not by its version string: a distribution's build may report anything
    (Debian unstable's shapely 2.2 says "0+unknown")."""
    import importlib

    missing = []
    for name, minimum in REQUIRED:
        try:
            module = importlib.import_module(name)
            capable = CAPABLE[name](module)
        except ImportError:
            missing.append(f"{name} ≥ {minimum}")
            continue
        except Exception:  # noqa: BLE001 — an API missing or behaving otherwise: too old, whatever the cause
            capable = False
        if not capable:
            missing.append(f"{name} ≥ {minimum} ({getattr(module, '__version__', '?')})")
    return missing


def classFactory(iface):  # noqa: N802 — the name QGIS looks for
    from .i18n import install_translator

    install_translator()
    missing = missing_dependencies()
    if missing:
        from .plugin import MissingDependenciesPlugin

        return MissingDependenciesPlugin(iface, missing)
    from .plugin import LandBureauPlugin

    return LandBureauPlugin(iface)
