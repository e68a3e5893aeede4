"""graftpy.collector.paused: the collector off inside the block, then as it was."""

from __future__ import annotations

import gc

import pytest

from graftpy import collector


def test_paused_then_back_on_even_after_an_error():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_for_the_run_is_frozen_only_in_graftpys_own_process(monkeypatch):
    import sys

    module = "graftpy_collector_probe"
    freezes = []
    real_freeze = gc.freeze

    def freeze() -> None:  # the real one, counted
        freezes.append(gc.isenabled())
        real_freeze()

    monkeypatch.setattr(gc, "freeze", freeze)
    monkeypatch.setattr(collector, "_process_is_ours", False)
    with collector.importing_for_the_run(module):
        assert gc.isenabled()  # a host program's collector is left alone
    assert freezes == []

    monkeypatch.setattr(collector, "_process_is_ours", True)
    try:
        with collector.importing_for_the_run(module):
            assert not gc.isenabled()  # no pass in the middle of the import
            sys.modules[module] = object()  # type: ignore[assignment]
        assert gc.isenabled()
        assert freezes == [False]  # frozen once, before the collector was back on
        assert gc.get_freeze_count() > 0 and gc.get_count()[0] < 10  # and its counts reset
        with collector.importing_for_the_run(module):  # imported already: nothing to do
            assert gc.isenabled()
        assert freezes == [False]
    finally:
        sys.modules.pop(module, None)
        gc.unfreeze()
