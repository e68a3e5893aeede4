"""A small pool of daemon worker threads.

Not ``concurrent.futures``: its threads are joined at interpreter exit, so one
call stuck on a dead server would keep the process alive, and its futures cost
more than the scheduler needs. Threads start lazily (a phase with two I/O calls
starts two threads) and leave when ``close`` is called.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

Task = tuple[Callable[..., Any], tuple[Any, ...]]


class WorkerPool:
    def __init__(self, size: int, name: str = "graftpy-worker") -> None:
        self.size = max(1, size)
        self.name = name
        self._tasks: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._busy = 0  # tasks submitted and not finished (only grows from the submitter)
        self._lock = threading.Lock()

    @property
    def threads(self) -> int:
        return len(self._threads)

    def prestart(self, count: int) -> None:
        """Start up to ``count`` threads now, while nothing competes for the GIL.

        A thread started once work is flowing waits for the GIL behind the
        workers already running (up to a switch interval each): starting 16
        lazily in the middle of a burst of requests costs tens of milliseconds.
        """
        for _ in range(min(count, self.size) - len(self._threads)):
            self._start_thread()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        with self._lock:
            self._busy += 1
            need = self._busy > len(self._threads) and len(self._threads) < self.size
        if need:
            self._start_thread()
        self._tasks.put((fn, args))

    def _start_thread(self) -> None:
        t = threading.Thread(
            target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
        )
        self._threads.append(t)
        t.start()

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            fn, args = task
            try:
                fn(*args)
            finally:
                with self._lock:
                    self._busy -= 1

    def close(self, wait: bool = True) -> None:
        """Let every thread finish its current task and leave."""
        threads, self._threads = self._threads, []
        for _ in threads:
            self._tasks.put(None)
        if wait:
            for t in threads:
                t.join()
