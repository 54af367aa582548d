"""The Processing feedback the tests read an algorithm's log from: every info and warning line, in order."""
from qgis.core import QgsProcessingFeedback


class Recorder(QgsProcessingFeedback):
    """Keeps what the algorithm says (`lines`; `text` joins them), to check the log names layers, features and
    fields."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def pushInfo(self, info):  # noqa: N802
        self.lines.append(info)

    def pushWarning(self, warning):  # noqa: N802
        self.lines.append(warning)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
