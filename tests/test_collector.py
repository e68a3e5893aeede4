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
    monkeypatch.setattr(collector, "_process_is_ours", False)
    gc.unfreeze()
    with collector.importing_for_the_run(module):
        assert gc.isenabled()  # a host program's collector is left alone
    assert gc.get_freeze_count() == 0

    monkeypatch.setattr(collector, "_process_is_ours", True)
    made = []
    try:
        with collector.importing_for_the_run(module):
            assert not gc.isenabled()  # no pass in the middle of the import
            made.append([[]])  # tracked objects the import leaves behind
            sys.modules[module] = object()  # type: ignore[assignment]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0 and gc.get_count()[0] < 10  # frozen, counts reset
        frozen = gc.get_freeze_count()
        with collector.importing_for_the_run(module):  # imported already: nothing to do
            assert gc.isenabled()
        assert gc.get_freeze_count() == frozen
    finally:
        sys.modules.pop(module, None)
        gc.unfreeze()
