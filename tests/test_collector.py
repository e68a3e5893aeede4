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


def test_what_a_run_keeps_is_built_without_passes_and_frozen_only_in_its_own_process(monkeypatch):
    freezes = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (freezes.append(gc.isenabled()), real_freeze()))
    monkeypatch.setattr(collector, "_process_is_ours", False)
    with collector.keeping():
        assert gc.isenabled()
    assert freezes == []
    monkeypatch.setattr(collector, "_process_is_ours", True)
    try:
        with collector.keeping():
            assert not gc.isenabled()
        assert gc.isenabled() and freezes == [False]
        with pytest.raises(ValueError), collector.keeping():
            raise ValueError("boom")  # a failed block: the collector back on, nothing frozen
        assert gc.isenabled() and freezes == [False]
    finally:
        gc.unfreeze()


def _passes_in_a_merge(tmp_path, ours: bool, monkeypatch) -> int:
    from graftpy.pipeline import run_merge

    lines = ["meta:"] + [f"  v{i}: {{x: val{i}, l: [a, b]}}" for i in range(3000)]
    lines += ["jobs:"] + [f"  j{i}: (( grab meta.v{i}.x ))" for i in range(3000)]
    path = tmp_path / "doc.yml"
    path.write_text("\n".join(lines) + "\n")
    passes = []
    monkeypatch.setattr(collector, "_process_is_ours", ours)
    old = gc.get_threshold()
    gc.set_threshold(1000)  # a pass every 1,000 objects: many, unless the run keeps them
    gc.callbacks.append(lambda phase, info: passes.append(info) if phase == "stop" else None)
    try:
        tree = run_merge([str(path)])
    finally:
        gc.callbacks.pop()
        gc.set_threshold(*old)
        gc.unfreeze()
    assert tree["jobs"]["j2999"] == "val2999"
    return len(passes)


def test_a_console_run_spares_the_collector_the_documents_and_calls(tmp_path, monkeypatch):
    library = _passes_in_a_merge(tmp_path, False, monkeypatch)
    console = _passes_in_a_merge(tmp_path, True, monkeypatch)
    assert library > 20  # the documents and the calls found in them, walked again and again
    assert console * 4 < library
