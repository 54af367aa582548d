"""A run's progress in equal steps, reported on the run's own feedback.

Why not QgsProcessingMultiStepFeedback: made from Python inside a Processing task, it is a QObject owned by Python in
the task's thread, connected to the panel's feedback. Destroying it there takes the connections' locks, then waits for
the GIL to tell the (Python-made) panel feedback a slot went away; the main thread, holding the GIL while it destroys a
QObject of its own, waits for one of those locks. Both wait for ever — seen as a full test run hanging in
test_print_button (py-spy: `sipQgsProcessingFeedback::disconnectNotify` under `~QObject` in the task thread,
`QBasicMutex::lockInternal` under `~QObject` in the main thread). A plain Python object has no locks to take."""
from __future__ import annotations


class StepFeedback:
    """`count` equal steps of a run: `setCurrentStep(i)` starts step i, `setProgress(p)` is p % of the current step;
    everything else (isCanceled, pushInfo, pushWarning, reportError, …) is the run's feedback's own."""

    def __init__(self, count: int, feedback):
        self._count = max(1, int(count))
        self._step = 0
        self._feedback = feedback

    def setCurrentStep(self, step: int) -> None:  # noqa: N802 — the QgsProcessingMultiStepFeedback name callers use
        self._step = step
        self._feedback.setProgress(100.0 * step / self._count)

    def setProgress(self, percent: float) -> None:  # noqa: N802
        self._feedback.setProgress(100.0 * self._step / self._count + percent / self._count)

    def __getattr__(self, name):
        return getattr(self._feedback, name)
