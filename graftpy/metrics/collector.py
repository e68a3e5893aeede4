"""The Prometheus view of a ``Recorder``: a custom collector on a registry of our own.

Metric names follow Prometheus' conventions: the ``graftpy_`` prefix, base units
(seconds, bytes), ``_total`` for counters, ``_ratio`` for unitless ratios.
``METRICS`` lists every family with its type and help text; the dashboard and
the README use exactly these names.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from prometheus_client.core import (
    CollectorRegistry,
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.registry import Collector

from graftpy.metrics.recorder import (
    BACKEND_BUCKETS,
    EVALUATION_BUCKETS,
    OPERATION_BUCKETS,
    OUTCOMES,
    Recorder,
    Snapshot,
)

# name (without _total for counters) -> (type, help, label names)
METRICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "graftpy_build_info": ("gauge", "graftpy's version (always 1).", ("version",)),
    "graftpy_operations": (
        "counter",
        "Operator calls evaluated, by operator and outcome (ok, error, cached).",
        ("operator", "outcome"),
    ),
    "graftpy_operation_duration_seconds": (
        "histogram",
        "Seconds one operator call took, by operator.",
        ("operator",),
    ),
    "graftpy_evaluations": (
        "counter",
        "Evaluations finished, by outcome (ok, error).",
        ("outcome",),
    ),
    "graftpy_evaluation_duration_seconds": (
        "histogram",
        "Wall seconds of whole evaluations (every phase, planning included).",
        (),
    ),
    "graftpy_evaluations_running": ("gauge", "Evaluations running now.", ()),
    "graftpy_last_evaluation_duration_seconds": (
        "gauge",
        "Wall seconds of the last evaluation (of the running one so far).",
        (),
    ),
    "graftpy_last_evaluation_operations": (
        "gauge",
        "Operator calls of the last evaluation (of the running one so far).",
        (),
    ),
    "graftpy_last_evaluation_speedup_ratio": (
        "gauge",
        "Sum of operator seconds over the executors' wall seconds, last evaluation.",
        (),
    ),
    "graftpy_last_evaluation_parallel_ratio": (
        "gauge",
        "Share of the last evaluation's calls that ran on worker threads.",
        (),
    ),
    "graftpy_last_evaluation_failure_ratio": (
        "gauge",
        "Share of the last evaluation's calls that failed.",
        (),
    ),
    "graftpy_last_evaluation_workers": (
        "gauge",
        "Worker threads the last evaluation could use (1: sequential).",
        (),
    ),
    # the last evaluation's dependency graphs (every phase's, added up)
    "graftpy_last_evaluation_graph_operations": (
        "gauge",
        "Operator calls in the last evaluation's dependency graphs.",
        (),
    ),
    "graftpy_last_evaluation_graph_dependencies": (
        "gauge",
        "Dependencies (edges: a call reads what another writes) in those graphs.",
        (),
    ),
    "graftpy_last_evaluation_generations": (
        "gauge",
        "Generations of the last evaluation: waves of calls whose inputs are ready.",
        (),
    ),
    "graftpy_last_evaluation_widest_generation": (
        "gauge",
        "Calls in the widest generation of the last evaluation.",
        (),
    ),
    "graftpy_last_evaluation_critical_path_operations": (
        "gauge",
        "Calls on the last evaluation's critical path (longest dependency chain).",
        (),
    ),
    "graftpy_last_evaluation_speedup_bound_ratio": (
        "gauge",
        "Graph operations over critical-path operations: the most parallel evaluation "
        "could gain on the last evaluation's graph when calls cost the same.",
        (),
    ),
    "graftpy_operations_in_flight": ("gauge", "Operator calls running now.", ()),
    "graftpy_operations_in_flight_max": (
        "gauge",
        "Most operator calls running at once in the last evaluation.",
        (),
    ),
    "graftpy_documents_processed": ("counter", "YAML documents read from input files.", ()),
    "graftpy_input_bytes": ("counter", "Bytes read from input files.", ()),
    # a whole run (read, merge, evaluate): what a one-shot run leaves for an alert
    "graftpy_last_run_timestamp_seconds": (
        "gauge",
        "Unix time the last run ended, successful or not.",
        (),
    ),
    "graftpy_last_success_timestamp_seconds": (
        "gauge",
        "Unix time the last successful run ended (kept across failed runs).",
        (),
    ),
    "graftpy_last_run_success": ("gauge", "Whether the last run succeeded (1) or not (0).", ()),
    "graftpy_last_run_duration_seconds": (
        "gauge",
        "Wall seconds of the last run, reading and merging included.",
        (),
    ),
    "graftpy_last_run_documents": ("gauge", "YAML documents the last run read.", ()),
    "graftpy_last_run_input_bytes": ("gauge", "Bytes the last run read from input files.", ()),
    "graftpy_backend_requests": (
        "counter",
        "HTTP attempts made by secret backends, by backend and outcome.",
        ("backend", "outcome"),
    ),
    "graftpy_backend_request_duration_seconds": (
        "histogram",
        "Seconds one backend HTTP attempt took, by backend.",
        ("backend",),
    ),
    "graftpy_backend_retries": ("counter", "Backend attempts retried.", ("backend",)),
    "graftpy_backend_throttled": (
        "counter",
        "Backend answers asking to slow down (429, 503, AWS throttling).",
        ("backend",),
    ),
    "graftpy_backend_give_ups": (
        "counter",
        "Backend reads that failed after their retries ran out.",
        ("backend",),
    ),
    "graftpy_backend_cache_hits": (
        "counter",
        "Backend reads answered from the run's cache.",
        ("backend",),
    ),
    "graftpy_backend_cache_misses": (
        "counter",
        "Backend reads that went to the server.",
        ("backend",),
    ),
    "graftpy_backend_shared_reads": (
        "counter",
        "Backend reads that joined an identical read already in flight.",
        ("backend",),
    ),
    "graftpy_backend_concurrency_limit": (
        "gauge",
        "Requests a backend lets in flight at once (its current limit).",
        ("backend",),
    ),
}


def _family(name: str) -> Any:
    kind, doc, labels = METRICS[name]
    cls = {"counter": CounterMetricFamily, "gauge": GaugeMetricFamily}.get(kind)
    if cls is None:
        return HistogramMetricFamily(name, doc, labels=labels)
    return cls(name, doc, labels=labels)


def _buckets(bounds: Sequence[float], counts: Sequence[int]) -> list[tuple[str, float]]:
    """Per-bucket counts -> Prometheus' cumulative ``le`` buckets."""
    out, total = [], 0
    for bound, count in zip((*bounds, math.inf), counts, strict=True):
        total += count
        out.append(("+Inf" if bound == math.inf else repr(float(bound)), total))
    return out


class RecorderCollector(Collector):
    """Yields the families of ``METRICS`` from a fresh snapshot at each collection."""

    def __init__(self, recorder: Recorder, version: str) -> None:
        self.recorder = recorder
        self.version = version

    def collect(self) -> Iterator[Any]:
        snap = self.recorder.snapshot()
        info = _family("graftpy_build_info")
        info.add_metric([self.version], 1)
        yield info
        yield from _operations(snap)
        yield from _runs(snap)
        yield from _evaluations(snap)
        yield from _backends(snap)


def _operations(snap: Snapshot) -> Iterator[Any]:
    calls = _family("graftpy_operations")
    durations = _family("graftpy_operation_duration_seconds")
    for name in sorted(snap.ops):
        row = snap.ops[name]
        for outcome, count in zip(OUTCOMES, row.counts, strict=True):
            calls.add_metric([name, outcome], count)
        durations.add_metric([name], _buckets(OPERATION_BUCKETS, row.buckets), row.sum)
    yield calls
    yield durations
    for name, value in (
        ("graftpy_operations_in_flight", snap.in_flight),
        ("graftpy_documents_processed", snap.documents),
        ("graftpy_input_bytes", snap.bytes),
    ):
        family = _family(name)
        family.add_metric([], value)
        yield family


def _runs(snap: Snapshot) -> Iterator[Any]:
    """Last-run gauges, only once there was a run: a made-up 0 would fire alerts."""
    figures: list[tuple[str, float]] = []
    run = snap.last_run
    if run is not None:
        figures += [
            ("graftpy_last_run_timestamp_seconds", run.ended),
            ("graftpy_last_run_success", 1.0 if run.succeeded else 0.0),
            ("graftpy_last_run_duration_seconds", run.duration),
            ("graftpy_last_run_documents", run.documents),
            ("graftpy_last_run_input_bytes", run.bytes),
        ]
    if snap.last_success is not None:
        figures.append(("graftpy_last_success_timestamp_seconds", snap.last_success))
    for name, value in figures:
        family = _family(name)
        family.add_metric([], value)
        yield family


def _evaluations(snap: Snapshot) -> Iterator[Any]:
    finished = _family("graftpy_evaluations")
    finished.add_metric(["ok"], snap.evaluations[0])
    finished.add_metric(["error"], snap.evaluations[1])
    yield finished
    walls = _family("graftpy_evaluation_duration_seconds")
    walls.add_metric([], _buckets(EVALUATION_BUCKETS, snap.evaluation_buckets), snap.evaluation_sum)
    yield walls
    running = _family("graftpy_evaluations_running")
    running.add_metric([], snap.running)
    yield running
    last = snap.last
    if last is None:
        return  # no evaluation yet: "last" figures would be made up
    for name, value in (
        ("graftpy_last_evaluation_duration_seconds", last.wall),
        ("graftpy_last_evaluation_operations", last.operations),
        ("graftpy_last_evaluation_speedup_ratio", last.speedup),
        ("graftpy_last_evaluation_parallel_ratio", last.parallel_ratio),
        ("graftpy_last_evaluation_failure_ratio", last.failure_rate),
        ("graftpy_last_evaluation_workers", last.workers),
        ("graftpy_operations_in_flight_max", last.peak),
        ("graftpy_last_evaluation_graph_operations", last.graph_operations),
        ("graftpy_last_evaluation_graph_dependencies", last.graph_dependencies),
        ("graftpy_last_evaluation_generations", last.generations),
        ("graftpy_last_evaluation_widest_generation", last.widest),
        ("graftpy_last_evaluation_critical_path_operations", last.critical_path),
        ("graftpy_last_evaluation_speedup_bound_ratio", last.speedup_bound),
    ):
        family = _family(name)
        family.add_metric([], value)
        yield family


def _backends(snap: Snapshot) -> Iterator[Any]:
    requests = _family("graftpy_backend_requests")
    latency = _family("graftpy_backend_request_duration_seconds")
    simple = {
        "graftpy_backend_retries": "retries",
        "graftpy_backend_throttled": "throttled",
        "graftpy_backend_give_ups": "give_ups",
        "graftpy_backend_cache_hits": "cache_hits",
        "graftpy_backend_cache_misses": "cache_misses",
        "graftpy_backend_shared_reads": "shared",
        "graftpy_backend_concurrency_limit": "limit",
    }
    families = {name: _family(name) for name in simple}
    for backend in sorted(snap.backends):
        row = snap.backends[backend]
        for outcome in sorted({"ok", *row.requests}):
            requests.add_metric([backend, outcome], row.requests.get(outcome, 0))
        latency.add_metric([backend], _buckets(BACKEND_BUCKETS, row.buckets), row.latency_sum)
        for name, attr in simple.items():
            families[name].add_metric([backend], getattr(row, attr))
    yield requests
    yield latency
    yield from families.values()


def make_registry(recorder: Recorder) -> CollectorRegistry:
    """A registry of our own (never prometheus_client's global one) showing ``recorder``."""
    from graftpy import __version__

    registry = CollectorRegistry(auto_describe=False)
    registry.register(RecorderCollector(recorder, __version__))
    return registry
