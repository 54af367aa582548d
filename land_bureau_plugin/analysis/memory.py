"""Memory freed by a run given back to the operating system, where the C library would keep it (glibc); Python's
full collections postponed while a run works (`full_collections_postponed`).

Why: glibc's malloc keeps memory freed in the middle of its heaps mapped to the process — only the top of a heap is
returned by itself. At a million parcels the buildings' geometries (~0.6 GB, freed once the floor areas are
measured) and the read's buffers stayed resident as free heap: the next phases allocate elsewhere (Python's small
objects have arenas of their own, the overlay's threads heaps of their own), so that free memory only raised the
run's peak (2.7 GB, ~0.7 GB of it free heap). `malloc_trim` hands such free pages back. Elsewhere (Windows, macOS,
another C library) nothing is done: their allocators return memory their own way.
"""
from __future__ import annotations

import gc
import sys
from contextlib import contextmanager


def _malloc_trim():
    """glibc's malloc_trim, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None


_TRIM = _malloc_trim()


# Parcels from which a run gives its free heap back. Below, the heap's free memory is small (~180 MB at 100,000
# parcels, against 0.85–1.1 GB at a million) and handing it back costs more than it saves: the next phase faults
# every page in again (30,000–40,000 page faults, 0.1–0.2 s of system time of a 2.5 s run at 100,000 parcels).
TRIM_FROM_PARCELS = 300_000


def give_back(parcels: int) -> None:
    """Return the free pages of every heap to the operating system (glibc; elsewhere nothing) in a run over
    `parcels` parcels, from `TRIM_FROM_PARCELS` on. ctypes lets go of the GIL meanwhile."""
    if _TRIM is not None and parcels >= TRIM_FROM_PARCELS:
        _TRIM(0)


@contextmanager
def full_collections_postponed():
    """Python's full (oldest-generation) collections postponed inside the block, the thresholds as they were after
    it; the young generations are collected as usual.

    Why: a full collection walks every container Python tracks, and a run holds large ones — the object arrays of
    its geometries, texts and reasons, whose every element is visited: at 100,000 parcels the low-efficiency run met
    3 full collections of ~0.05 s each (0.17 s of 2.4 s). A run frees its memory by reference counts, not by the
    collector. Not the collector switched off (521b3ab): in the desktop QGIS then crashed after the low-efficiency
    panel's run, every time — a widget's deferred delete calling a Python slot; most likely the garbage the user
    interface made meanwhile, collected all at once afterwards (not proven). The young collections keep going here,
    so that garbage goes as it always did. Process-wide, as the thresholds are: two runs at once have the usual
    thresholds back when the first ends."""
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, max(oldest, _POSTPONED_OLDEST))
    try:
        yield
    finally:
        if gc.get_threshold()[2] == max(oldest, _POSTPONED_OLDEST):
            gc.set_threshold(young, middle, oldest)


# A full collection comes after this many collections of the middle generation (CPython's default: 10).
_POSTPONED_OLDEST = 100_000
