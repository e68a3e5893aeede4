"""Progress of a long run on stderr: operations done / total, secret fetches in flight.

Off by default. The CLI turns it on for the length of one run::

    with progress.reporting(sys.stderr, live=sys.stderr.isatty()):
        tree = run_merge(files, options)

The evaluator reports through two module functions that cost one ``is None``
test while progress is off (the library, and every run whose stderr is not a
terminal unless ``--progress`` asks):

``phase_started(name, total, state)``  a phase is about to run ``total`` operations;
                                       ``state`` is the run's ``RunState`` (its
                                       backends tell how many fetches are in flight)
``operation_done()``                   one operation finished (any thread)

Nothing is drawn for runs shorter than ``delay`` seconds. On a terminal
(``live``) one line is redrawn in place with ``\\r`` and erased at the end, so
the output and error messages that follow are not mixed with it; otherwise
(``--progress`` into a log) a plain line is written at most every few seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_active: Reporter | None = None  # the run's reporter while progress is on


def phase_started(name: str, total: int, state: Any = None) -> None:
    reporter = _active
    if reporter is not None:
        reporter.phase_started(name, total, state)


def operation_done() -> None:
    reporter = _active
    if reporter is not None:
        reporter.operation_done()


def secret_fetches_in_flight(state: Any) -> int:
    """Requests the run's secret backends (Vault, AWS) are waiting on right now."""
    extra = getattr(state, "extra", None) or {}
    backends = extra.get("backends")  # graftpy.backends.registry.STATE_KEY, created on use
    if backends is None:
        return 0
    return sum(backend.concurrency.in_flight for backend in backends.all())


class Reporter:
    """Counts operations and draws them on ``stream`` from a background thread."""

    def __init__(
        self,
        stream: TextIO,
        *,
        live: bool,
        delay: float = 0.5,
        interval: float | None = None,
    ) -> None:
        self.stream = stream
        self.live = live
        self.delay = delay
        self.interval = interval if interval is not None else (0.1 if live else 2.0)
        self.phase = ""
        self.total = 0
        self.done = 0
        self.state: Any = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        self._drawn = ""  # the text on screen (live) or last written (log)

    # -- fed by the evaluator ---------------------------------------------------
    def phase_started(self, name: str, total: int, state: Any = None) -> None:
        with self._lock:
            self.phase, self.total, self.done, self.state = name, total, 0, state

    def operation_done(self) -> None:
        with self._lock:
            self.done += 1

    # -- drawing ----------------------------------------------------------------
    def text(self) -> str:
        """The progress line, e.g. ``graftpy: eval 1200/20000 operations, 3 secret
        fetches in flight`` (empty before the first phase)."""
        with self._lock:
            phase, total, done, state = self.phase, self.total, self.done, self.state
        if not phase:
            return ""
        line = f"graftpy: {phase} {done}/{total} operations"
        try:
            fetching = secret_fetches_in_flight(state)
        except Exception:  # progress must never break a run
            fetching = 0
        if fetching:
            line += f", {fetching} secret fetch{'es' if fetching != 1 else ''} in flight"
        return line

    def draw(self) -> None:
        line = self.text()
        if not line or line == self._drawn:
            return
        if self.live:
            self._write(f"\r{line}\x1b[K")
        else:
            self._write(line + "\n")
        self._drawn = line

    def clear(self) -> None:
        if self.live and self._drawn:
            self._write("\r\x1b[K")
        self._drawn = ""

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr: stop drawing quietly
            self._stop.set()

    # -- the drawing thread -----------------------------------------------------
    def start(self) -> Reporter:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="graftpy-progress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if not self.live and time.monotonic() - self._started >= self.delay:
            self.draw()  # a log ends with the final count
        self.clear()

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return  # a short run: nothing is ever drawn
        last = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now - last >= self.interval and self.text():
                self.draw()
                last = now
            self._stop.wait(min(0.1, self.interval))


@contextmanager
def reporting(stream: TextIO, *, live: bool, delay: float = 0.5) -> Iterator[Reporter]:
    """Report progress on ``stream`` while the block runs (one run at a time)."""
    global _active
    reporter = Reporter(stream, live=live, delay=delay).start()
    previous, _active = _active, reporter
    try:
        yield reporter
    finally:
        _active = previous
        reporter.stop()


def wanted(flag: bool | None, stream: TextIO) -> bool:
    """``--progress`` / ``--no-progress`` decide; unset, only a terminal gets progress."""
    if flag is not None:
        return flag
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
