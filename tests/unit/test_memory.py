"""analysis.memory: freed heap given back to the system on glibc, nothing done elsewhere."""
import sys

from land_bureau_plugin.analysis import memory


def test_glibc_trims_and_other_platforms_do_nothing(monkeypatch):
    if sys.platform.startswith("linux"):
        import platform

        if platform.libc_ver()[0] == "glibc":
            assert callable(memory._malloc_trim())
    monkeypatch.setattr(sys, "platform", "win32")
    assert memory._malloc_trim() is None
    monkeypatch.setattr(memory, "_TRIM", None)
    memory.give_back(memory.TRIM_FROM_PARCELS)  # no C library call, no error


def test_give_back_calls_trim_with_no_padding_from_the_run_size_on(monkeypatch):
    """A small run keeps its free heap: giving it back cost more page faults than it saved memory."""
    calls = []
    monkeypatch.setattr(memory, "_TRIM", lambda pad: calls.append(pad) or 1)
    memory.give_back(memory.TRIM_FROM_PARCELS - 1)
    assert calls == []
    memory.give_back(memory.TRIM_FROM_PARCELS)
    assert calls == [0]
    memory.give_back(memory.TRIM_FROM_PARCELS + 1)
    assert calls == [0, 0]


def test_full_collections_are_postponed_inside_the_block_and_the_thresholds_restored_after_it_even_on_error():
    import gc

    import pytest

    before = gc.get_threshold()
    with memory.full_collections_postponed():
        assert gc.isenabled()  # the young generations are collected as usual
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] >= 100_000
        with memory.full_collections_postponed():  # a run inside a run: the outer one restores them
            pass
        assert gc.get_threshold()[2] >= 100_000
    assert gc.get_threshold() == before
    with pytest.raises(ZeroDivisionError), memory.full_collections_postponed():
        raise ZeroDivisionError
    assert gc.get_threshold() == before
