"""The plugin object QGIS holds: menu 规划资源 / Land Bureau, a toolbar, the dock panels and the Processing provider.

`initGui` builds everything, `unload` removes every piece it added, so load → unload → load leaves nothing behind.
"""
from __future__ import annotations

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon

try:
    from qgis.PyQt.QtGui import QAction  # Qt 6 (QGIS 4) moved QAction to QtGui
except ImportError:
    from qgis.PyQt.QtWidgets import QAction  # Qt 5

from . import install_advice
from .i18n import remove_translator, tr, translate_in
from .resources_path import resources_dir

MENU_OBJECT_NAME = "landBureauMenu"
# The deadline board: the resettlement monitor, land supply and "due next" are tabs of one dock area. Opening any of
# them from the menu opens the three together, tabified, the chosen one in front.
DEADLINE_PANELS = ("landBureauResettlementDock", "landBureauLandSupplyDock", "landBureauDeadlineBoard")


def dock_classes():
    """The panels, in menu order. Imported late: they pull in pandas/shapely through the analyses."""
    from .gui.deadline_board import DeadlineBoardDock
    from .gui.efficiency_dock import EfficiencyDock
    from .gui.farmland_dock import FarmlandDock
    from .gui.living_circle_dock import LivingCircleDock
    from .gui.load_dock import LoadDock
    from .gui.resettlement_dock import ResettlementDock
    from .gui.supply_dock import LandSupplyDock
    from .gui.upstairs_dock import UpstairsDock

    return [LoadDock, ResettlementDock, LandSupplyDock, DeadlineBoardDock, EfficiencyDock, UpstairsDock, FarmlandDock,
            LivingCircleDock]


class LandBureauPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.menu = None
        self.toolbar = None
        self.actions: list[QAction] = []
        self.docks = []
        self.in_front: dict = {}  # dock -> (was in front before the last change, is in front now)

    def initProcessing(self):  # noqa: N802 — called by QGIS (also by qgis_process, without a GUI)
        from .processing.provider import LandBureauProvider

        if self.provider is None:
            self.provider = LandBureauProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        self.menu = self.iface.mainWindow().menuBar().addMenu(tr("Land Bureau"))
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.toolbar = self.iface.addToolBar(tr("Land Bureau"))
        self.toolbar.setObjectName("landBureauToolbar")
        for dock_class in dock_classes():
            dock = dock_class(self.iface)
            dock.setObjectName(dock_class.OBJECT_NAME)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            action = dock.toggleViewAction()
            action.setIcon(QIcon(str(resources_dir() / "icons" / dock_class.ICON)))
            action.setText(dock.windowTitle())
            self.menu.addAction(action)
            self.toolbar.addAction(action)
            self.docks.append(dock)
            dock.visibilityChanged.connect(lambda visible, d=dock: self.note_in_front(d, visible))
            action.triggered.connect(lambda checked, d=dock: self.join_open_panels(d) if checked
                                     else self.keep_if_behind(d))
            dock.hide()
        board = self.deadline_board()
        for other in board[1:]:
            self.iface.mainWindow().tabifyDockWidget(board[0], other)
        if self.docks:
            self.docks[0].show()

    def deadline_board(self) -> list:
        """The deadline board's panels (DEADLINE_PANELS), in tab order."""
        return [dock for name in DEADLINE_PANELS for dock in self.docks if dock.objectName() == name]

    def join_open_panels(self, dock) -> None:
        """A panel opened from the menu joins an open Land Bureau panel in the same dock area as a tab, in front,
        instead of stacking under it where its table would fall below the fold. A deadline board panel joins its
        open sibling tabs first, and brings the closed ones with it."""
        window = self.iface.mainWindow()
        board = self.deadline_board() if dock in self.deadline_board() else []
        siblings = [other for other in board if other is not dock]
        for other in siblings + [d for d in self.docks if d not in board]:
            if (other is not dock and other.isVisible() and not other.isFloating() and not dock.isFloating()
                    and window.dockWidgetArea(other) == window.dockWidgetArea(dock)):
                if dock not in window.tabifiedDockWidgets(other):
                    window.tabifyDockWidget(other, dock)
                break
        for sibling in siblings:
            if not sibling.isVisible() and not sibling.isFloating() and not dock.isFloating():
                window.tabifyDockWidget(dock, sibling)
                sibling.show()
        dock.raise_()

    def note_in_front(self, dock, visible: bool) -> None:
        """Remember whether a panel is on screen (its tab in front) and whether it was before the last change."""
        self.in_front[dock] = (self.in_front.get(dock, (False, False))[1], visible)

    def keep_if_behind(self, dock) -> None:
        """A menu entry of a panel open behind another tab brings it to the front instead of closing it (a panel
        whose tab is not in front counts as open, so its entry is checked and Qt's toggle would close it)."""
        was_in_front = self.in_front.get(dock, (True, True))[0]
        if not was_in_front:
            dock.show()
            dock.raise_()

    def unload(self):
        self.in_front = {}
        for dock in self.docks:
            self.iface.mainWindow().removeDockWidget(dock)
            dock.close_panel()
            dock.deleteLater()
        self.docks = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.menu is not None:
            self.menu.menuAction().setVisible(False)
            self.iface.mainWindow().menuBar().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()


class MissingDependenciesPlugin:
    """Stands in when shapely ≥ 2 or pandas is missing: one message bar entry saying what to install."""

    def __init__(self, iface, missing: list[str]):
        self.iface = iface
        self.missing = missing

    def message(self) -> str:
        """What is missing and how to get it on this platform (install_advice), in the user's language."""
        return install_advice.advice(self.missing,
                                     translate=lambda template: translate_in(install_advice.CONTEXT, template))

    def initProcessing(self):  # noqa: N802 — headless (qgis_process): say it in the log instead of failing
        from qgis.core import QgsMessageLog

        QgsMessageLog.logMessage(self.message(), tr("Land Bureau"), Qgis.MessageLevel.Critical)

    def initGui(self):  # noqa: N802
        self.iface.messageBar().pushMessage(tr("Land Bureau"), self.message(), level=Qgis.MessageLevel.Warning,
                                            duration=0)

    def unload(self):
        pass
