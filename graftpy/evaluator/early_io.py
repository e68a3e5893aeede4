"""The run's I/O started as early as it can: secret reads right after the scan.

A run is two phases: plan, then execute. Most of a document's calls compute in
microseconds; a secret call waits a network round trip. So once the scan has
found the eval phase's calls (and the merge and param phases have passed: a run
they stop reads nothing), the first read of every ``vault``, ``vault-try``,
``awsparam``, ``awssecret`` and ``nats`` call whose arguments are literals, and
the fetch of every ``load`` of a literal URL, are started on a pool of threads
(``graftpy.backends.readahead``, the mechanism ``graftpy render`` reads ahead
with), while the rest of the plan is built and the cheap calls run. The calls
themselves run in their turn as always; their reads are answered from the
backends' cache, or wait for the read in flight; a ``load`` takes the fetch
started for it (one per call: each call fetches, as in graft). Such calls are
marked ``OpCall.ahead``: they only wait for an answer already in flight, so the
default executor (``evaluator.auto``) needs no worker threads for them.

Why the output cannot change: a read started here is one the sequential run
makes (the call's own rules, run on its literal arguments, stop at its first
read; later alternatives and computed paths are read in order, as before), and
the call sees its answer, or its failure, exactly as if it had read it itself;
errors are still reported by the calls, in graft's order. With ``REDACT`` no
secret store is contacted; with ``--cherry-pick`` only calls under the picks read
ahead; ``--no-parallel`` (the sequential run) reads nothing ahead, and neither
does a ``graftpy render`` target (render reads ahead for all its targets).

Only imported when the eval phase has an I/O call: a document without one
starts no thread and imports nothing for this.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
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
    """Start the first reads of ``ops``' literal secret calls and their URL loads;
    None when there are none."""
    from graftpy.backends.config import redacted

    reads: dict[SecretRead, None] = {}  # in document order, each once
    urls: list[str] = []  # one fetch per call, as each call fetches
    loads: list[OpCall] = []
    secrets_too = not redacted(settings.env)
    for op in ops:
        name = op.call.name
        if not _builtin(op.operator):
            continue
        if name == "load":
            url = _literal_url(op.call)
            if url is not None:
                urls.append(url)
                loads.append(op)
        elif name in SECRET_OPS and secrets_too:
            try:
                read = _first[op.src]
            except KeyError:
                read = _first[op.src] = first_read(op.call)
            if read is not None:
                reads[read] = None
                op.ahead = True
    if not reads and not urls:
        return None
    # unasked: the metrics count the calls' lookups as a run without read-ahead would
    ahead = ReadAhead(min(MAX_THREADS, len(reads) + len(urls)), unasked=True)
    if reads:
        from graftpy.backends.registry import backends_for

        backends = backends_for(_RunContext(settings, state))
        _prepare_vault(backends, reads)
        ahead.add(backends, reads)
    if urls and _start_loads(urls, settings, state, ahead):
        for op in loads:
            op.ahead = True
    else:
        urls = []
    if log is not None:
        log(
            f"Reading ahead: {len(reads)} secrets, {len(urls)} URLs"
            " (calls with literal arguments, started after the scan)"
        )
    return ahead


class EarlyLoads:
    """The fetches started for URL ``load`` calls: each call takes one, in its turn."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, list[Future]] = {}

    def add(self, url: str, fetch: Future) -> None:
        with self._lock:
            self._by_url.setdefault(url, []).append(fetch)

    def take(self, url: str) -> Future | None:
        """A fetch of ``url`` started ahead, or None (the call fetches it itself)."""
        with self._lock:
            started = self._by_url.get(url)
            return started.pop(0) if started else None


def _literal_url(call: Any) -> str | None:
    """The URL of ``(( load "https://..." ))``; None for a file or a computed location
    (a file takes microseconds: it is read in its turn)."""
    from graftpy.expr.nodes import Literal
    from graftpy.gofmt import sprint

    if len(call.args) != 1 or not isinstance(call.args[0], Literal):
        return None
    value = call.args[0].value
    if value is None or isinstance(value, (dict, list)):
        return None
    from graftpy.operators.load import is_uri

    location = sprint(value)
    return location if is_uri(location) else None


def _start_loads(urls: list[str], settings: Any, state: Any, ahead: ReadAhead) -> bool:
    """Start one fetch per URL call, with the limits the calls would use; False when
    those limits do not read (each call reports it, in its turn)."""
    from graftpy import reading
    from graftpy.errors import GraftError
    from graftpy.operators.load import EARLY_LOADS, fetch, timeout_from

    try:
        timeout, max_bytes = timeout_from(settings.env), reading.limits(settings.env).max_bytes
    except GraftError:
        return False
    early = state.extra[EARLY_LOADS] = EarlyLoads()
    for url in urls:
        early.add(url, ahead.submit(functools.partial(fetch, url, timeout, max_bytes)))
    return True


def _prepare_vault(backends: Any, reads: dict[SecretRead, None]) -> None:
    """Each Vault client made here, on this thread, before the read threads start: its
    connections open and its mount lookups go out while hvac is imported, and nothing
    else runs meanwhile (the import is the reads' critical path: anything run beside
    it, under the GIL, delays the first request)."""
    paths: dict[str | None, list[str]] = {}
    for read in reads:
        if read.kind == "vault":
            paths.setdefault(read.target, []).append(read.key)  # type: ignore[arg-type]
    for target, wanted in paths.items():
        backends.vault(target).prepare(wanted)


def _builtin(operator: Any) -> bool:
    return type(operator).__module__.startswith(BUILTIN_PACKAGE)
