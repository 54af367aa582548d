"""Every Qt class and enum member the plugin names exists in PyQt6, the binding of QGIS 4.

The plugin's sources are parsed (ast), not imported: each `from qgis.PyQt.QtX import A` and `from qgis.PyQt import QtX`
binds a name, and every attribute chain on such a name (`Qt.AlignmentFlag.AlignLeft`, `QFont.StyleStrategy.X`,
`QtCore.QDate`) must resolve in PyQt6 — so unscoped enums (`Qt.AlignLeft`), classes that moved module (QAction to
QtGui) and removed API (`QVariant.String`, `exec_`) fail here, on a machine that has only QGIS 3 and PyQt5.
PyQt6 comes from PyPI into the venv (requirements-dev.txt) and is only introspected, in a child process, so its
Qt 6 libraries never meet QGIS's Qt 5 in one process.

Imports inside an `except ImportError:` block are the Qt 5 fallback of the import in its `try:` and are not looked
up; names reached only on QGIS < 3.38 (always Qt 5) are listed in QT5_ONLY with the file that guards them.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "land_bureau_plugin"
PREFIX = "qgis.PyQt"
# (file, dotted name): reached only on QGIS < 3.38, which runs Qt 5 (see the file's docstring).
QT5_ONLY = {("qgis_bridge/field_types.py", "QtCore.QVariant.Type")}

RESOLVE = r"""
import importlib, json, sys
unresolved = []
for dotted in json.load(sys.stdin):
    module, *attributes = dotted.split(".")
    try:
        target = importlib.import_module("PyQt6." + module)
        for attribute in attributes:
            target = getattr(target, attribute)
    except (ImportError, AttributeError) as exc:
        unresolved.append(f"{dotted}: {exc}")
json.dump(unresolved, sys.stdout)
"""


class QtNames(ast.NodeVisitor):
    """The Qt names one module binds (alias → "QtX" or "QtX.Class") and the dotted names it uses through them."""

    def __init__(self):
        self.bound: dict[str, str] = {}
        self.used: set[str] = set()
        self.fallback_depth = 0

    def visit_Try(self, node: ast.Try) -> None:
        for child in node.body + node.orelse + node.finalbody:
            self.visit(child)
        for handler in node.handlers:
            fallback = isinstance(handler.type, ast.Name) and handler.type.id in ("ImportError",
                                                                                  "ModuleNotFoundError")
            self.fallback_depth += fallback
            for child in handler.body:
                self.visit(child)
            self.fallback_depth -= fallback

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if self.fallback_depth or not (module == PREFIX or module.startswith(PREFIX + ".")):
            return
        for alias in node.names:
            dotted = alias.name if module == PREFIX else f"{module[len(PREFIX) + 1:]}.{alias.name}"
            self.bound[alias.asname or alias.name] = dotted
            self.used.add(dotted)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith(PREFIX + ".") and alias.asname and not self.fallback_depth:
                self.bound[alias.asname] = alias.name[len(PREFIX) + 1:]

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain, current = [], node
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name) and current.id in self.bound:
            self.used.add(".".join([self.bound[current.id], *reversed(chain)]))
            return  # the inner attributes are prefixes of this chain
        self.generic_visit(node)


def plugin_names() -> dict[str, set[str]]:
    """{dotted Qt name: files that use it} over every module of the plugin."""
    names: dict[str, set[str]] = {}
    for path in sorted(PLUGIN.rglob("*.py")):
        visitor = QtNames()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for dotted in visitor.used:
            names.setdefault(dotted, set()).add(path.relative_to(PLUGIN).as_posix())
    return names


# make setup installs PyQt6 into the venv; the matrix chroots run the tests with Debian's python3 and no PyQt6 (the
# check reads only the sources, so its answer is the same everywhere: the host's run is the one that counts).
needs_pyqt6 = pytest.mark.skipif(importlib.util.find_spec("PyQt6") is None,
                                 reason="PyQt6 not installed (requirements-dev.txt; make setup installs it)")


def unresolved_in_pyqt6(names) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RESOLVE], input=json.dumps(sorted(names)), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_scan_sees_what_the_plugin_uses():
    names = plugin_names()
    for expected in ("QtCore.Qt", "QtGui.QFont.StyleStrategy.PreferNoShaping", "QtCore.QMetaType.Type.QString",
                     "QtCore.QVariant.Type"):
        assert expected in names, expected
    assert len(names) > 50


@needs_pyqt6
def test_the_check_catches_qt5_only_names():
    """The resolver itself: Qt 5 spellings that PyQt6 dropped are reported, their Qt 6 forms are not."""
    wrong = ["QtCore.Qt.AlignLeft", "QtWidgets.QAction", "QtCore.QVariant.String", "QtWidgets.QDialog.exec_"]
    right = ["QtCore.Qt.AlignmentFlag.AlignLeft", "QtGui.QAction", "QtCore.QMetaType.Type.QString",
             "QtWidgets.QDialog.exec"]
    assert [line.split(":")[0] for line in unresolved_in_pyqt6(wrong + right)] == sorted(wrong)


@needs_pyqt6
def test_every_qt_name_resolves_in_pyqt6():
    names = plugin_names()
    allowed = {name for _file, name in QT5_ONLY}
    unresolved = unresolved_in_pyqt6(set(names) - allowed)
    assert not unresolved, "\n".join(f"{line} (in {', '.join(sorted(names[line.split(':')[0]]))})"
                                     for line in unresolved)
    for file, name in QT5_ONLY:  # each exception is still needed, and only where it is guarded
        assert names.get(name) == {file}, (name, names.get(name))
