"""The `landbureau` Processing provider."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr
from ..resources_path import resources_dir

PROVIDER_ID = "landbureau"


class LandBureauProvider(QgsProcessingProvider):
    def loadAlgorithms(self):  # noqa: N802
        from .efficiency import LowEfficiencyAlgorithm
        from .export_layout import ExportLayoutAlgorithm
        from .farmland_balance import FarmlandBalanceAlgorithm
        from .land_supply import LandSupplyAlgorithm
        from .living_circle import LivingCircleAlgorithm
        from .resettlement import ResettlementDeadlinesAlgorithm
        from .upstairs import UpstairsCheckAlgorithm

        for algorithm in (ResettlementDeadlinesAlgorithm(), LandSupplyAlgorithm(), LowEfficiencyAlgorithm(),
                          UpstairsCheckAlgorithm(), FarmlandBalanceAlgorithm(), LivingCircleAlgorithm(),
                          ExportLayoutAlgorithm()):
            self.addAlgorithm(algorithm)

    def id(self):
        return PROVIDER_ID

    def name(self):
        return tr("Land Bureau")

    def longName(self):  # noqa: N802
        return tr("Land Bureau — planning and natural resources")

    def icon(self):
        return QIcon(str(resources_dir() / "icons" / "icon.svg"))
