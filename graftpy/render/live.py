"""The progress line of ``graftpy render`` (on a terminal, or with ``--progress``)::

    graftpy render: 31/50 targets planned, secrets 120/150 read (24 in flight)
    graftpy render: 31/50 targets done, 1 failed, 4 running

Drawn by ``graftpy.progress.Reporter`` (the same line discipline as ``merge``:
nothing for short runs, redrawn in place on a terminal, a line every few
seconds in a log); this module only says what the line holds. ``paused()``
holds the drawing back (while the run forks its worker processes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from graftpy.progress import Reporter


class RenderProgress(Reporter):
    def __init__(self, stream: TextIO, *, live: bool, delay: float = 0.5, **kw: Any) -> None:
        super().__init__(stream, live=live, delay=delay, **kw)  # escapes=, clock=, interval=
        self.layer: Any = None  # graftpy.render.backends.BackendLayer: requests in flight
        self._counts = threading.Lock()
        self._drawing = threading.Lock()
        self.stage = ""  # "planned" or "done"
        self.of = self.finished = self.failed = self.running = 0
        self.secrets_wanted = self.secrets_read = 0

    # -- fed by the render run (any thread) -----------------------------------------
    def begin(self, stage: str, of: int) -> None:
        with self._counts:
            self.stage, self.of = stage, of
            self.finished = self.failed = self.running = 0

    def one_started(self, *_: Any) -> None:
        with self._counts:
            self.running += 1

    def one_finished(self, failed: bool = False) -> None:
        with self._counts:
            self.finished += 1
            self.running = max(0, self.running - 1)
            self.failed += bool(failed)

    def secrets_queued(self, count: int) -> None:
        with self._counts:
            self.secrets_wanted += count

    def secret_read(self) -> None:
        with self._counts:
            self.secrets_read += 1

    # -- what the line says -----------------------------------------------------------
    def text(self) -> str:
        with self._counts:
            stage, of, finished = self.stage, self.of, self.finished
            failed, running = self.failed, self.running
            wanted, read = self.secrets_wanted, self.secrets_read
        if not stage:
            return ""
        line = f"graftpy render: {finished}/{of} targets {stage}"
        if failed:
            line += f", {failed} failed"
        if running:
            line += f", {running} running"
        if wanted and read < wanted:
            line += f", secrets {read}/{wanted} read"
            waiting = self._in_flight()
            line += f" ({waiting} in flight)" if waiting else ""
        return line

    def _in_flight(self) -> int:
        try:
            return self.layer.in_flight() if self.layer is not None else 0
        except Exception:  # noqa: BLE001 - progress must never break a run
            return 0

    # -- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        with self._drawing:
            super().draw()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No drawing (no write to the stream) while the block runs."""
        with self._drawing:
            yield
