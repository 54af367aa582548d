"""The plugin's dependency check judges what a library can do, not its version string (issue 13)."""
import sys
import types

import pytest
import shapely

import land_bureau_plugin


def test_the_installed_libraries_are_enough():
    assert land_bureau_plugin.missing_dependencies() == []


def test_a_distribution_version_string_does_not_matter(monkeypatch):
    """Debian unstable's shapely 2.2 reports "0+unknown"; a version check refused it."""
    monkeypatch.setattr(shapely, "__version__", "0+unknown")
    assert land_bureau_plugin.missing_dependencies() == []


def shapely_18() -> types.ModuleType:
    """What shapely 1.8 offers at the top level: no from_wkb, an STRtree whose query takes one geometry and
    returns geometries. It also claims to be 2.0, to show that the version is not what is read."""
    module = types.ModuleType("shapely")
    module.__version__ = "2.0"

    class STRtree:
        def __init__(self, geoms):
            self.geoms = list(geoms)

        def query(self, geom):
            return [g for g in self.geoms if g.intersects(geom)]

    module.STRtree = STRtree
    module.box = shapely.box
    return module


def test_shapely_without_the_vectorised_api_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "shapely", shapely_18())
    assert land_bureau_plugin.missing_dependencies() == ["shapely ≥ 2.0 (2.0)"]


def test_a_strtree_that_answers_differently_is_missing(monkeypatch):
    """from_wkb present but query answering with geometries instead of index pairs: not shapely 2."""
    fake = shapely_18()
    fake.from_wkb = shapely.from_wkb
    fake.to_wkb = shapely.to_wkb
    fake.STRtree = type("STRtree", (), {"__init__": lambda self, g: None,
                                        "query": lambda self, g, predicate=None: list(g)})
    monkeypatch.setitem(sys.modules, "shapely", fake)
    assert land_bureau_plugin.missing_dependencies() == ["shapely ≥ 2.0 (2.0)"]


@pytest.mark.parametrize("name", ["shapely", "pandas", "numpy"])
def test_an_absent_library_is_named(monkeypatch, name):
    monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    assert f"{name} ≥ " in land_bureau_plugin.missing_dependencies()[0]


def test_pandas_older_than_1_5_is_missing(monkeypatch):
    old = types.ModuleType("pandas")
    old.__version__ = "1.4.4"  # no ArrowDtype
    monkeypatch.setitem(sys.modules, "pandas", old)
    assert land_bureau_plugin.missing_dependencies() == ["pandas ≥ 1.5 (1.4.4)"]
