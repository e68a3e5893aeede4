"""Prometheus metrics of graftpy's evaluations (prometheus-client is a dependency of graftpy).

Nothing imports this package while metrics are off; ``prometheus_client`` is
imported only when a registry is first needed. The figures live in a registry
of our own, never in ``prometheus_client``'s global default one.

For a CLI run, ``--metrics`` / ``GRAFT_METRICS=true`` serves them while the run
lasts, ``--metrics-file`` writes them for node_exporter's textfile collector and
``--metrics-push`` sends them to a Pushgateway (``graftpy.metrics.config`` lists
every setting). A library user can serve them for as long as they like::

    from graftpy import metrics
    server = metrics.start_server(port=9090)    # http://127.0.0.1:9090/metrics
    run_merge(files, MergeOptions(metrics=True)) # recorded into the same figures
    metrics.stop_server()

Modules: ``observer`` (the evaluator's hook), ``recorder`` (the figures; neither
imports Prometheus), ``collector`` (the Prometheus
families), ``jsonview`` (``/metrics/json``), ``server`` (HTTP), ``export`` (file
and push), ``config`` (settings), ``session`` (what one run does).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from graftpy.metrics.config import DEFAULT_HOST, DEFAULT_PORT
from graftpy.metrics.observer import EvaluationObserver
from graftpy.metrics.recorder import Recorder

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from graftpy.metrics.server import MetricsServer


class Metrics:
    """One set of figures: a ``Recorder``, its registry and the servers showing it."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self._registry: CollectorRegistry | None = None
        self._servers: list[MetricsServer] = []
        self._lock = threading.Lock()

    @property
    def registry(self) -> CollectorRegistry:
        """Our own ``CollectorRegistry`` (imports prometheus_client on first use)."""
        if self._registry is None:
            from graftpy.metrics.collector import make_registry

            with self._lock:
                if self._registry is None:
                    self._registry = make_registry(self.recorder)
        return self._registry

    def evaluation(self) -> EvaluationObserver:
        """An observer for one evaluation (``Evaluator.observer``)."""
        return self.recorder.evaluation()

    def text(self) -> str:
        """The registry in Prometheus' text format."""
        from prometheus_client import generate_latest

        return generate_latest(self.registry).decode("utf-8")

    def to_json(self) -> dict[str, Any]:
        """The ``/metrics/json`` document."""
        from graftpy.metrics.jsonview import to_json

        return to_json(self.recorder.snapshot())

    # -- serving -------------------------------------------------------------------
    @property
    def server(self) -> MetricsServer | None:
        """A running server showing these figures, if any."""
        with self._lock:
            return next((s for s in self._servers if s.running), None)

    def serve(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> MetricsServer:
        """Start a server that stays up until its ``stop()`` (or ``stop_server()``)."""
        from graftpy.metrics.server import MetricsServer  # http.server: only when serving

        server = MetricsServer(self, host, port).start().acquire()
        with self._lock:
            self._servers.append(server)
        return server

    def _server_stopped(self, server: MetricsServer) -> None:
        with self._lock:
            if server in self._servers:
                self._servers.remove(server)

    def stop(self) -> None:
        """Stop every server showing these figures."""
        with self._lock:
            servers = list(self._servers)
        for server in servers:
            server.stop()


_default: Metrics | None = None
_default_lock = threading.Lock()


def default_metrics() -> Metrics:
    """The process's figures: runs record here unless given a ``Metrics`` of their own."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Metrics()
        return _default


def start_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> MetricsServer:
    """Serve the process's figures (``port=0``: any free port, see ``.port``/``.url``)."""
    return default_metrics().serve(host, port)


def stop_server() -> None:
    """Stop serving the process's figures."""
    default_metrics().stop()


def __getattr__(name: str) -> Any:
    if name == "MetricsServer":  # imported on demand: http.server is not needed otherwise
        from graftpy.metrics.server import MetricsServer

        return MetricsServer
    raise AttributeError(name)


__all__ = [
    "EvaluationObserver",
    "Metrics",
    "MetricsServer",
    "Recorder",
    "default_metrics",
    "start_server",
    "stop_server",
]
