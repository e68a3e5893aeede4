"""The run's I/O started as early as it can: secret reads right after the scan.

A run is two phases: plan, then execute. Most of a document's calls compute in
microseconds; a secret call waits a network round trip. So once the scan has
found the eval phase's calls (and the merge and param phases have passed: a run
they stop reads nothing), the first read of every ``vault``, ``vault-try``,
``awsparam`` and ``awssecret`` call whose arguments are literals is started on
a pool of threads (``graftpy.backends.readahead``, the mechanism ``graftpy
render`` reads ahead with), while the rest of the plan is built and the cheap
calls run. The calls themselves run in their turn as always; their reads are
answered from the backends' cache, or wait for the read in flight.

Why the output cannot change: a read started here is one the sequential run
makes (the call's own rules, run on its literal arguments, stop at its first
read; later alternatives and computed paths are read in order, as before), and
the call sees its answer, or its failure, exactly as if it had read it itself;
errors are still reported by the calls, in graft's order. With ``REDACT`` no
store is contacted; with ``--cherry-pick`` only calls under the picks read
ahead; ``--no-parallel`` (the sequential run) reads nothing ahead, and neither
does a ``graftpy render`` target (render reads ahead for all its targets).

Only imported when the eval phase has an I/O call: a document without one
starts no thread and imports nothing for this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from graftpy.backends.readahead import MAX_THREADS, SECRET_OPS, ReadAhead, SecretRead, first_read

if TYPE_CHECKING:
    from graftpy.evaluator.context import RunState, Settings
    from graftpy.evaluator.opcall import OpCall

BUILTIN_PACKAGE = "graftpy.operators."
_first: dict[str, SecretRead | None] = {}  # call source -> its first read (texts repeat)


class _RunContext(NamedTuple):
    """What ``backends_for`` needs of a context: the run's settings and state."""

    settings: Any
    state: Any


def start(
    ops: Sequence[OpCall],
    settings: Settings,
    state: RunState,
    log: Callable[[str], None] | None = None,
) -> ReadAhead | None:
    """Start the first reads of ``ops``' literal secret calls; None when there are none."""
    from graftpy.backends.config import redacted

    if redacted(settings.env):
        return None
    reads: dict[SecretRead, None] = {}  # in document order, each once
    for op in ops:
        if op.call.name not in SECRET_OPS or not _builtin(op.operator):
            continue
        try:
            read = _first[op.src]
        except KeyError:
            read = _first[op.src] = first_read(op.call)
        if read is not None:
            reads[read] = None
    if not reads:
        return None
    from graftpy.backends.registry import backends_for

    backends = backends_for(_RunContext(settings, state))
    ahead = ReadAhead(min(MAX_THREADS, len(reads)))
    ahead.add(backends, reads)
    if log is not None:
        log(f"Reading {len(reads)} secrets ahead (calls with literal arguments)")
    return ahead


def _builtin(operator: Any) -> bool:
    return type(operator).__module__.startswith(BUILTIN_PACKAGE)
