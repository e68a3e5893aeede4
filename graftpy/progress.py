"""Progress of a long run on stderr, phase by phase: files read, documents merged,
operations planned and evaluated, the output written, secret fetches in flight.

Off by default. The CLI turns it on for the length of one run::

    with progress.reporting(sys.stderr, live=sys.stderr.isatty()):
        tree = run_merge(files, options)

The pipeline, the evaluator and the commands report through module functions
that cost one ``is None`` test while progress is off (the library, and every run
whose stderr is not a terminal unless ``--progress`` asks):

``phase_started(name, total, state, unit)``  a phase is about to handle ``total``
                                             ``unit`` (None: it cannot count them);
                                             ``state`` is the run's ``RunState``
                                             (its backends tell the fetches in flight)
``detail(text)``                             what the phase is on now (a file name)
``operation_done()``                         one item of the phase is done (any thread)

The phases: ``read`` (files), ``merge`` (documents), ``scan`` (the document, for
operators), ``plan <phase>`` and ``<phase>`` for each evaluator phase (``merge
phase``, ``param phase``, ``eval phase``: operations), ``write`` (the output).

On a terminal (``live``) one line is redrawn in place with ``\\r`` and erased at
the end, so the output and error messages that follow are not mixed with it;
nothing is drawn for runs shorter than ``delay`` seconds. Otherwise (``--progress``
into a log) a plain line is written every ``interval`` seconds, each with the time
so far, and a successful run ends with a summary::

    graftpy: eval phase 12000/20000 operations, 8 secret fetches in flight (6 s)
    graftpy: done in 9.4 s: 2 files read, 2 documents merged, 20000 operations evaluated
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_active: Reporter | None = None  # the run's reporter while progress is on

READ, MERGE, SCAN, WRITE = "read", "merge", "scan", "write"


def phase_started(
    name: str, total: int | None, state: Any = None, unit: str = "operations"
) -> None:
    reporter = _active
    if reporter is not None:
        reporter.phase_started(name, total, state, unit)


def detail(text: str) -> None:
    reporter = _active
    if reporter is not None:
        reporter.detail(text)


def operation_done() -> None:
    reporter = _active
    if reporter is not None:
        reporter.operation_done()


def evaluation_phase(phase_name: str) -> str:
    """The progress name of an evaluator phase: ``eval`` -> ``eval phase``."""
    return f"{phase_name} phase"


def secret_fetches_in_flight(state: Any) -> int:
    """Requests the run's secret backends (Vault, AWS) are waiting on right now."""
    extra = getattr(state, "extra", None) or {}
    backends = extra.get("backends")  # graftpy.backends.registry.STATE_KEY, created on use
    if backends is None:
        return 0
    return sum(backend.concurrency.in_flight for backend in backends.all())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun if number == 1 else noun + 's'}"


class Reporter:
    """Counts each phase's work and draws it on ``stream`` from a background thread."""

    def __init__(
        self,
        stream: TextIO,
        *,
        live: bool,
        delay: float = 0.5,
        interval: float | None = None,
        escapes: bool = True,
        clock: Any = time.monotonic,
    ) -> None:
        self.stream = stream
        self.live = live
        self.delay = delay
        self.interval = interval if interval is not None else (0.1 if live else 2.0)
        self.escapes = escapes  # False on a TERM=dumb terminal: erase with spaces
        self.clock = clock
        self.phase = ""
        self.total: int | None = 0
        self.unit = "operations"
        self.done = 0
        self.state: Any = None
        self.current = ""  # detail() of the phase, e.g. the file being read
        self.history: list[tuple[str, int]] = []  # (phase, items done) of finished phases
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = clock()
        self._drawn = ""  # the text on screen (live) or last written (log)
        self._last: float | None = None  # when tick() last drew

    # -- fed by the run ---------------------------------------------------------
    def phase_started(
        self, name: str, total: int | None, state: Any = None, unit: str = "operations"
    ) -> None:
        with self._lock:
            self._close_phase()
            self.phase, self.total, self.unit, self.done = name, total, unit, 0
            self.state, self.current = state, ""

    def detail(self, text: str) -> None:
        with self._lock:
            self.current = text

    def operation_done(self) -> None:
        with self._lock:
            self.done += 1

    def _close_phase(self) -> None:
        if self.phase:
            self.history.append((self.phase, self.done))

    def finished(self) -> None:
        """The run succeeded: the last phase is over too."""
        with self._lock:
            self._close_phase()
            self.phase = ""

    # -- what is drawn ------------------------------------------------------------
    def text(self) -> str:
        """The progress line, e.g. ``graftpy: eval phase 1200/20000 operations, 3 secret
        fetches in flight`` (empty before the first phase)."""
        with self._lock:
            phase, total, unit, done = self.phase, self.total, self.unit, self.done
            state, current = self.state, self.current
        if not phase:
            return ""
        line = f"graftpy: {phase}"
        if total is not None:
            line += f" {done}/{total} {unit}"
        if current:
            line += f": {current}"
        try:
            fetching = secret_fetches_in_flight(state)
        except Exception:  # progress must never break a run
            fetching = 0
        if fetching:
            line += f", {fetching} secret fetch{'es' if fetching != 1 else ''} in flight"
        return line

    def line(self) -> str:
        """``text()`` with the time since the start, so that a log line every few seconds
        shows the run is alive even while one phase lasts long."""
        text = self.text()
        return f"{text} ({self.clock() - self._started:.0f} s)" if text else ""

    def summary(self) -> str:
        """What a finished run did, e.g. ``graftpy: done in 9.4 s: 2 files read, 2
        documents merged, 20000 operations evaluated``."""
        files = sum(done for name, done in self.history if name == READ)
        documents = sum(done for name, done in self.history if name == MERGE)
        operations = sum(
            done
            for name, done in self.history
            if name.endswith(" phase") and not name.startswith("plan ")
        )
        parts = [_count(files, "file") + " read", _count(documents, "document") + " merged"]
        parts.append(f"{_count(operations, 'operation')} evaluated")
        return f"graftpy: done in {self.clock() - self._started:.1f} s: {', '.join(parts)}"

    # -- drawing ----------------------------------------------------------------
    def draw(self) -> None:
        line = self.line()
        if not line or (self.live and line == self._drawn):
            return
        if self.live:
            if self.escapes:
                self._write(f"\r{line}\x1b[K")
            else:  # no escape codes: spaces cover what is left of a longer line
                self._write(f"\r{line.ljust(len(self._drawn))}")
        else:
            self._write(line + "\n")
        self._drawn = line

    def clear(self) -> None:
        if self.live and self._drawn:
            self._write("\r\x1b[K" if self.escapes else "\r" + " " * len(self._drawn) + "\r")
        self._drawn = ""

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr: stop drawing quietly
            self._stop.set()

    # -- the drawing thread -----------------------------------------------------
    def start(self) -> Reporter:
        self._started = self.clock()
        self._thread = threading.Thread(target=self._loop, name="graftpy-progress", daemon=True)
        self._thread.start()
        return self

    def stop(self, succeeded: bool = False) -> None:
        """Stop drawing; a log (not a terminal) ends with the summary of a run that
        succeeded, whatever its length: ``--progress`` asked for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.clear()
        if succeeded:
            self.finished()
            if not self.live:
                self._write(self.summary() + "\n")

    def tick(self) -> None:
        """Draw, if ``interval`` has passed since the last line (the thread's step)."""
        now = self.clock()
        if (self._last is None or now - self._last >= self.interval) and self.text():
            self.draw()
            self._last = now

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return  # a short run: nothing is drawn while it lasts
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(min(0.1, self.interval))


@contextmanager
def reporting(
    stream: TextIO, *, live: bool, delay: float = 0.5, escapes: bool = True
) -> Iterator[Reporter]:
    """Report progress on ``stream`` while the block runs (one run at a time)."""
    global _active
    reporter = Reporter(stream, live=live, delay=delay, escapes=escapes).start()
    previous, _active = _active, reporter
    succeeded = False
    try:
        yield reporter
        succeeded = True
    finally:
        _active = previous
        reporter.stop(succeeded)


def wanted(flag: bool | None, stream: TextIO) -> bool:
    """``--progress`` / ``--no-progress`` decide; unset, only a terminal gets progress."""
    if flag is not None:
        return flag
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
