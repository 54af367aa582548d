"""规划资源 / Land Bureau — QGIS plugin for a city's Bureau of Planning and Natural Resources.

QGIS calls `classFactory`. Heavy imports (pandas, shapely) happen only after a dependency check, so a machine
without them still starts QGIS and shows one message saying what to install.
"""

REQUIRED = (("shapely", "2.0"), ("pandas", "1.5"), ("numpy", "1.21"))


def missing_dependencies() -> list[str]:
    """Names (with the minimum version) of required libraries that are absent or too old."""
    import importlib

    missing = []
    for name, minimum in REQUIRED:
        try:
            module = importlib.import_module(name)
        except ImportError:
            missing.append(f"{name} ≥ {minimum}")
            continue
        if _version_tuple(getattr(module, "__version__", "0")) < _version_tuple(minimum):
            missing.append(f"{name} ≥ {minimum} ({module.__version__})")
    return missing


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def classFactory(iface):  # noqa: N802 — the name QGIS looks for
    from .i18n import install_translator

    install_translator()
    missing = missing_dependencies()
    if missing:
        from .plugin import MissingDependenciesPlugin

        return MissingDependenciesPlugin(iface, missing)
    from .plugin import LandBureauPlugin

    return LandBureauPlugin(iface)
