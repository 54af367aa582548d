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


def test_the_collector_is_paused_inside_the_block_and_restored_after_it_even_on_error():
    import gc

    import pytest

    assert gc.isenabled()
    with memory.collector_paused():
        assert not gc.isenabled()
        with memory.collector_paused():  # a run inside a run: the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), memory.collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
