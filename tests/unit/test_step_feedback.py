"""StepFeedback: a run's progress in equal steps on the run's own feedback, as QgsProcessingMultiStepFeedback reports
it, without being a QObject made in the task's thread (processing/steps.py says why)."""
import pytest

from land_bureau_plugin.processing.steps import StepFeedback


class Recording:
    def __init__(self):
        self.progress = []
        self.infos = []
        self.canceled = False

    def setProgress(self, percent):  # noqa: N802
        self.progress.append(percent)

    def pushInfo(self, text):  # noqa: N802
        self.infos.append(text)

    def isCanceled(self):  # noqa: N802
        return self.canceled


@pytest.mark.parametrize("step, percent, expected", [(0, 0, 0.0), (0, 100, 25.0), (1, 50, 37.5), (3, 100, 100.0)])
def test_progress_within_a_step_is_that_share_of_the_run(step, percent, expected):
    run = Recording()
    steps = StepFeedback(4, run)
    steps.setCurrentStep(step)
    assert run.progress[-1] == pytest.approx(100.0 * step / 4)  # a new step starts where the last one ended
    steps.setProgress(percent)
    assert run.progress[-1] == pytest.approx(expected)


def test_messages_and_cancel_are_the_runs_own():
    run = Recording()
    steps = StepFeedback(3, run)
    steps.pushInfo("读取完成")
    assert run.infos == ["读取完成"]
    assert steps.isCanceled() is False
    run.canceled = True
    assert steps.isCanceled() is True
    with pytest.raises(AttributeError):
        steps.no_such_method()


def test_not_a_qobject():
    """The point of it: nothing with Qt connections is made in the Processing task's thread."""
    from qgis.PyQt.QtCore import QObject

    assert not isinstance(StepFeedback(2, Recording()), QObject)
