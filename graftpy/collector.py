"""How graftpy runs the cyclic garbage collector: tuned for a short run that keeps
what it makes, and paused where a pass could only walk objects that live on."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# set by the console script (``tune_for_a_run``): the process is graftpy's own, so the
# collector may be tuned for it; a program that imports graftpy keeps its own settings
_process_is_ours = False


def tune_for_a_run() -> None:
    """The console script's collector: a higher threshold, and large imports frozen.

    By default CPython collects every 700 net allocations, and each pass walks
    every young object again. A graftpy run keeps nearly all it allocates (the
    modules it imports, the documents) until it exits and makes little cyclic
    garbage, so at that rate the passes are mostly wasted work. Every 50,000
    instead saves 4% of a small merge's instructions and 4% of the time of a
    20,000-operation merge, for 4% more peak memory (``benchmarks/bench_gc.py``).
    """
    global _process_is_ours
    gc.set_threshold(50_000)
    _process_is_ours = True


@contextmanager
def importing_for_the_run(module: str) -> Iterator[None]:
    """The block imports ``module``, a large library (hvac, boto3) that stays until the
    process ends (if it is imported already, the block runs as it is).

    Its tens of thousands of objects (classes, functions, their dicts) are young
    when the import ends, so the next pass walks them all and frees nearly
    nothing: after hvac's import, 30 M instructions (callgrind), 3% of a Vault run
    of 500 lookups, and 20-30 ms of its wall time on a 2-core machine. In the
    console script the collector is off for the import, and then everything it
    tracks is frozen (``gc.freeze``): no later pass walks those objects again.
    Garbage that existed at that moment is kept until the process exits: in the
    benchmark's Vault run (500 lookups in a 600-call document), 2,300 objects, the
    calls of the scan that an inject made stale. In a program that imported graftpy,
    the block runs as it is: freezing would keep that program's garbage too.
    """
    if module in sys.modules:
        yield
        return
    with keeping():
        yield


@contextmanager
def keeping() -> Iterator[None]:
    """The block builds what the run keeps to its end: the documents loaded and
    merged, the calls a scan finds in them.

    Tens of thousands of containers that live on: each pass of the collector
    would walk them again and free nothing, and in wall time such a pass is slow
    (cache misses on every object: in a 20,000-operation merge, four passes took
    25-40 ms, 4% of the run, for 1% of its instructions). In the console script the
    collector is off for the block, and then everything it tracks is frozen
    (``gc.freeze``), as after a large import (``importing_for_the_run``). Frozen
    objects are still freed when nothing refers to them; only cyclic garbage made
    in the block is kept until the process exits. In a program that imported
    graftpy, the block runs as it is.
    """
    if not _process_is_ours:
        yield
        return
    with paused():
        yield
        gc.freeze()  # before the collector is back on: its next pass would walk them all


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was.

    For building a large result of plain dicts and lists that is kept whole (explain's
    report): each pass of the collector would walk it all again and free nothing
    (6-10% of building and encoding ``merge --explain-to``'s report)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
