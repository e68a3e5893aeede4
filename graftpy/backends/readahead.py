"""Secret reads started ahead of the evaluation, on a pool of threads.

One mechanism for both places that read ahead: ``graftpy render`` (every planned
read of every target, ``graftpy.render.prefetch``) and ``graftpy merge`` (the
first read of each secret call whose arguments are literals, started right after
the scan: ``graftpy.evaluator.early_io``).

A read goes through the run's ``graftpy.backends.registry.Backends``, whose
cache keeps the answer, a failure that is an answer too (a missing secret, a
refusal, retries given up). When the evaluation asks for the same secret it is
answered from memory, or waits for the read in flight: what it sees, errors
included, is what it would have seen reading it itself. Nothing is reported
here: the calls that need a read report its failure, in their order.

``first_read(call)`` is the read a call makes first whatever the store holds,
found by running the operator's own rules (``vault_calls``, ``aws_calls``,
``nats_calls``) against a scope that knows literals only and a lookup that stops
at the first read; None when that read depends on anything that needs evaluation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from graftpy.errors import GraftError

MAX_THREADS = 64  # the backends' own limit (GRAFT_BACKEND_CONCURRENCY) decides below this
SECRET_OPS = ("vault", "vault-try", "awsparam", "awssecret", "nats")


class SecretRead(NamedTuple):
    """One read a backend will make: once per run, whoever asks."""

    kind: str  # "vault", "awsparam", "awssecret" or "nats"
    target: str | None  # "prod" for (( vault@prod ... ))
    # vault: the secret's path; AWS: (name, stage, version); nats: the call's arguments
    key: Hashable

    @property
    def backend(self) -> str:
        """The backend's name, as ``graftpy.backends`` names it (``vault@prod``)."""
        return f"{self.kind}@{self.target}" if self.target else self.kind

    @property
    def label(self) -> str:
        """The read as shown: a Vault path, or an AWS name (``?stage=``/``?version=``)."""
        if isinstance(self.key, str):
            return self.key
        if self.kind == "nats":
            return str(self.key[0])
        name, stage, version = self.key
        return name + "".join(f"?{k}={v}" for k, v in (("stage", stage), ("version", version)) if v)


class Computed(Exception):
    """An argument is not a literal (deliberately not a GraftError: nothing catches it)."""


class LiteralScope:
    """An evaluation scope in which literals have their value, and nothing else has one."""

    def evaluate(self, node: Any) -> Any:
        from graftpy.expr.nodes import Literal

        if isinstance(node, Literal):
            return node.value
        raise Computed


class _Stop(Exception):
    """The rules reached their first read (not a GraftError or BackendError: passes them)."""

    def __init__(self, read: SecretRead | None) -> None:
        self.read = read


def first_read(call: Any) -> SecretRead | None:
    """The read a secret call makes first, known from its literal arguments; else None."""
    from graftpy.backends import argnodes
    from graftpy.backends.secret_args import Arg, split_default

    target = argnodes.call_target(call)
    args = [Arg(node, LiteralScope()) for node in call.args]

    def vault(path_key: str) -> str:
        from graftpy.backends.vault import split_path_key

        path, key = split_path_key(path_key)
        # anything but path:key fails before a request (the evaluation says so)
        raise _Stop(SecretRead("vault", target, path) if path and key else None)

    def aws(name: str, stage: str, version: str) -> str:
        raise _Stop(SecretRead(call.name, target, (name, stage, version)))

    def nats() -> Any:  # the path is valid: the backend is asked next
        values = tuple(arg.value() for arg in args)  # literals (checked already)
        raise _Stop(SecretRead("nats", target, values))

    try:
        if call.name == "vault":
            from graftpy.backends.vault_calls import vault_value

            vault_value(*split_default(args), vault)
        elif call.name == "vault-try":
            from graftpy.backends.vault_calls import vault_try_value

            vault_try_value(args, vault)
        elif call.name in ("awsparam", "awssecret"):
            from graftpy.backends.aws_calls import aws_value

            aws_value(call.name, args, aws)
        elif call.name == "nats":
            from graftpy.backends.nats_calls import nats_value

            if all(isinstance(arg.literal, str) for arg in args):  # a settings map: in turn
                nats_value(args, nats)
    except _Stop as stop:
        return stop.read
    except (Computed, GraftError):
        pass  # the read needs evaluation, or the call fails before reading
    return None


def read_one(backends: Any, read: SecretRead) -> None:
    """Make ``read`` through ``backends``; its answer (or failure) stays in their cache."""
    try:
        if read.kind == "vault":
            backends.vault(read.target).read(read.key)
        elif read.kind == "nats":  # the call's own rules, on its literal arguments
            from graftpy.backends.nats_calls import nats_value
            from graftpy.backends.secret_args import StaticArg

            args = [StaticArg(value, literal=value) for value in read.key]
            nats_value(args, lambda: backends.nats(read.target))
        else:
            name, stage, version = read.key
            backends.aws(read.kind, read.target).fetch(name, stage, version)
    except GraftError:
        pass  # kept in the backend's cache; the calls reading it report it
    except Exception:  # noqa: BLE001 - not cached: the evaluation meets it again
        pass


class ReadAhead:
    """Reads queued on a pool of threads (made on the first read), each once per backends."""

    def __init__(
        self,
        threads: int = MAX_THREADS,
        on_read: Callable[[], None] | None = None,
        unasked: bool = False,
    ) -> None:
        self.threads = threads
        self.on_read = on_read  # told of each read done
        # the backends' cache figures count these reads as no ask: the calls' own asks
        # are counted as without the read-ahead (merge); else each read is the miss (render)
        self.unasked = unasked
        self._seen: set[tuple[int, SecretRead]] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future] = []
        self._lock = threading.Lock()

    @property
    def queued(self) -> int:
        return len(self._futures)

    def add(
        self,
        backends: Any,
        reads: Iterable[SecretRead],
        around: Callable[[], AbstractContextManager] | None = None,
    ) -> int:
        """Queue the reads not queued yet for ``backends``; returns how many were queued.
        ``around()``: a context each read runs in (render counts it for its target)."""
        with self._lock:
            new = []
            for read in reads:
                if (id(backends), read) not in self._seen:
                    self._seen.add((id(backends), read))
                    new.append(read)
            if new and self._pool is None:
                self._pool = ThreadPoolExecutor(
                    self.threads, thread_name_prefix="graftpy-readahead"
                )
            for read in new:
                future = self._pool.submit(self._read, backends, read, around)  # type: ignore[union-attr]
                self._futures.append(future)
        return len(new)

    def submit(self, work: Callable[[], Any]) -> Future:
        """Run ``work()`` on the same pool (another kind of read: a URL ``load``)."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    self.threads, thread_name_prefix="graftpy-readahead"
                )
            future = self._pool.submit(work)
            self._futures.append(future)
        return future

    def wait(self, cancel: bool = False) -> None:
        """Return when every queued read is done (and the threads are gone); with
        ``cancel``, reads not started yet are dropped (a run that ended early)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=cancel)

    def _read(self, backends: Any, read: SecretRead, around: Any) -> None:
        from graftpy.backends.base import AHEAD

        AHEAD.on = self.unasked
        try:
            if around is None:
                read_one(backends, read)
            else:
                with around():
                    read_one(backends, read)
        finally:
            AHEAD.on = False
            if self.on_read is not None:
                self.on_read()
