"""What metrics do for one run of the pipeline (``graftpy.pipeline.run_merge``).

``open_session`` returns None when the run's settings ask for no metrics. A
session starts serving (unless a server already shows the same figures), counts
the input, observes the evaluation and, at ``finish``, writes the file, pushes,
and stops serving, at once or after ``linger`` seconds. The linger runs on a
non-daemon thread, so a CLI process writes its output, then stays up for the
scrape and exits when the linger ends.

Metrics never change a run's output or exit code: a port in use, an unwritable
file or an unreachable Pushgateway is reported on stderr and the run goes on.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from graftpy.metrics import Metrics, default_metrics
from graftpy.metrics.config import MetricsConfig, resolve
from graftpy.metrics.recorder import RunFigures

if TYPE_CHECKING:
    from graftpy.metrics.observer import EvaluationObserver
    from graftpy.metrics.server import MetricsServer

OPTIONS_KEY = "metrics"  # MergeOptions.extra["metrics"]: a Metrics to record into
# graftpy.backends.registry.LISTENERS_KEY, spelt out: importing the backends costs ~30 ms
LISTENERS_KEY = "backend_listeners"


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class MetricsSession:
    def __init__(
        self, config: MetricsConfig, metrics: Metrics, log: Callable[[str], None] = _stderr
    ) -> None:
        self.config = config
        self.metrics = metrics
        self.log = log
        self.server: MetricsServer | None = None
        self.observer: EvaluationObserver | None = None
        self._finished = False
        self._started = time.monotonic()
        self._documents = 0
        self._bytes = 0

    def start(self) -> MetricsSession:
        if not self.config.serve:
            return self
        server = self.metrics.server
        if server is not None:  # a library user serves these figures already
            self.server = server.acquire()
            return self
        try:
            server = self.metrics.serve(self.config.host, self.config.port)
        except OSError as exc:
            where = f"{self.config.host}:{self.config.port}"
            self.log(f"graftpy: metrics not served: cannot listen on {where}: {_reason(exc)}")
            return self
        self.server = server  # serve() counted this session as the server's one user
        self.log(f"graftpy: serving metrics on {server.url}/metrics")
        return self

    # -- the run -------------------------------------------------------------------
    def input_read(self, documents: int, size: int) -> None:
        self.metrics.recorder.input_read(documents, size)
        self._documents += documents
        self._bytes += size

    def run(self, evaluator: Any) -> list:
        """``evaluator.run()``, observed: every call timed, backends listened to."""
        observer = self.observer = self.metrics.evaluation()
        evaluator.observer = observer
        evaluator.state.extra.setdefault(LISTENERS_KEY, []).append(self.metrics.recorder)
        succeeded = False
        try:
            errors = evaluator.run()
            succeeded = not errors
            return errors
        finally:
            observer.finish(succeeded)

    def on_phase(self, stats: Any) -> None:
        """The parallel scheduler's ``on_phase`` callback."""
        if self.observer is not None:
            self.observer.on_phase(stats)

    # -- the end -------------------------------------------------------------------
    def finish(self, succeeded: bool = False) -> None:
        """Record the run, write the file, push, and stop serving (after the linger)."""
        if self._finished:
            return
        self._finished = True
        cfg = self.config
        recorder = self.metrics.recorder
        recorder.run_finished(
            RunFigures(
                ended=time.time(),
                succeeded=succeeded,
                duration=time.monotonic() - self._started,
                documents=self._documents,
                bytes=self._bytes,
            )
        )
        if cfg.file:
            from graftpy.metrics.export import last_success_in, write_textfile

            if not succeeded:  # keep the success the file recorded before this run
                before = last_success_in(cfg.file)
                if before is not None:
                    recorder.remember_success(before)
            try:
                write_textfile(self.metrics, cfg.file)
            except OSError as exc:
                self.log(f"graftpy: metrics file {cfg.file} not written: {_reason(exc)}")
        if cfg.push:
            from graftpy.metrics.export import push

            try:
                # a failed run replaces only the figures it has, so the group keeps its
                # graftpy_last_success_timestamp_seconds (see graftpy.metrics.export)
                push(self.metrics, cfg.push, cfg.job, cfg.labels, replace_all=succeeded)
            except Exception as exc:  # urllib's and the gateway's errors alike
                self.log(f"graftpy: metrics not pushed to {cfg.push}: {_reason(exc)}")
        server, self.server = self.server, None
        if server is None:
            return
        if cfg.linger > 0:
            threading.Thread(
                target=_linger, args=(server, cfg.linger), name="graftpy-metrics-linger"
            ).start()  # not a daemon: the process waits for it before exiting
        else:
            server.release()


def _linger(server: MetricsServer, seconds: float) -> None:
    server.stopped.wait(seconds)  # returns early when someone stops the server
    server.release()


def _reason(exc: BaseException) -> str:
    """``Connection refused``, not ``<urlopen error [Errno 111] Connection refused>``."""
    reason = getattr(exc, "reason", None) or exc  # urllib wraps the OSError
    if isinstance(reason, BaseException):
        reason = getattr(reason, "strerror", None) or str(reason)
    return str(reason) or type(exc).__name__


def open_session(options: Any, env: Mapping[str, str]) -> MetricsSession | None:
    """The session for ``options`` (a ``MergeOptions``), started; None when metrics are off."""
    config = resolve(options, env)
    if not config.enabled:
        return None
    from graftpy.extras import MissingPackage, require

    try:  # a dependency, so missing only from a broken install; still, never fail the run
        require("prometheus_client", "metrics")
    except MissingPackage as exc:
        _stderr(
            f"graftpy: metrics not recorded: the Python package {exc.package} is not "
            f"installed; install it with: {exc.command}"
        )
        return None
    metrics = options.extra.get(OPTIONS_KEY) or default_metrics()
    return MetricsSession(config, metrics).start()
