"""The ``/metrics/json`` view: the same figures as ``/metrics``, as one JSON object.

Percentiles are estimated from the histogram buckets the way PromQL's
``histogram_quantile`` does it (linear within a bucket), so both views agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from graftpy.metrics.recorder import (
    BACKEND_BUCKETS,
    OPERATION_BUCKETS,
    OUTCOMES,
    EvaluationFigures,
    Snapshot,
)


def quantile(q: float, bounds: Sequence[float], counts: Sequence[int]) -> float | None:
    """The ``q`` quantile of a histogram (per-bucket ``counts``); None when empty."""
    total = sum(counts)
    if total == 0:
        return None
    rank, seen, lower = q * total, 0, 0.0
    for bound, count in zip((*bounds, math.inf), counts, strict=True):
        if count and seen + count >= rank:
            if bound == math.inf:
                return bounds[-1]  # as Prometheus: the highest finite bound
            return lower + (bound - lower) * (rank - seen) / count
        seen += count
        lower = bound
    return bounds[-1]


def _durations(
    bounds: Sequence[float], counts: Sequence[int], total: float, top: float | None = None
) -> dict[str, Any]:
    """Count, sum, mean and estimated percentiles (never above ``top``, the known maximum)."""
    n = sum(counts)
    out: dict[str, Any] = {
        "count": n,
        "sum_seconds": total,
        "mean_seconds": total / n if n else None,
    }
    for q in (50, 95, 99):
        value = quantile(q / 100, bounds, counts)
        if value is not None and top is not None:
            value = min(value, top)
        out[f"p{q}_seconds"] = value
    return out


def _evaluation(f: EvaluationFigures | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "running": f.running,
        "succeeded": f.succeeded,
        "wall_seconds": f.wall,
        "executing_seconds": f.executing,
        "operator_seconds": f.busy,
        "operations": f.operations,
        "errors": f.errors,
        "strategy": f.strategy,
        "workers": f.workers,
        "speedup": f.speedup,
        "parallel_ratio": f.parallel_ratio,
        "failure_rate": f.failure_rate,
        "peak_concurrency": f.peak,
        "graph": {
            "operations": f.graph_operations,
            "dependencies": f.graph_dependencies,
            "generations": f.generations,
            "widest_generation": f.widest,
            "critical_path": f.critical_path,
            "speedup_bound": f.speedup_bound,
        },
        "phases": f.phases,
    }


def _run(snap: Snapshot) -> dict[str, Any] | None:
    run = snap.last_run
    if run is None:
        return None
    return {
        "ended_timestamp": run.ended,
        "succeeded": run.succeeded,
        "duration_seconds": run.duration,
        "documents": run.documents,
        "input_bytes": run.bytes,
        "last_success_timestamp": snap.last_success,
    }


def to_json(snap: Snapshot) -> dict[str, Any]:
    by_operator: dict[str, dict[str, int]] = {}
    durations: dict[str, dict[str, Any]] = {}
    totals = dict.fromkeys(OUTCOMES, 0)
    for name in sorted(snap.ops):
        row = snap.ops[name]
        counts = dict(zip(OUTCOMES, row.counts, strict=True))
        by_operator[name] = {**counts, "total": sum(row.counts)}
        for outcome, count in counts.items():
            totals[outcome] += count
        durations[name] = {
            **_durations(OPERATION_BUCKETS, row.buckets, row.sum, row.max),
            "max_seconds": row.max,
        }
    total = sum(totals.values())
    last = snap.last
    backends = {}
    for name in sorted(snap.backends):
        row = snap.backends[name]
        reads = row.cache_hits + row.cache_misses
        backends[name] = {
            "requests": sum(row.requests.values()),
            "requests_by_outcome": dict(sorted(row.requests.items())),
            "latency": _durations(BACKEND_BUCKETS, row.buckets, row.latency_sum),
            "retries": row.retries,
            "throttled": row.throttled,
            "give_ups": row.give_ups,
            "cache_hits": row.cache_hits,
            "cache_misses": row.cache_misses,
            "cache_hit_rate": row.cache_hits / reads if reads else None,
            "shared_reads": row.shared,
            "concurrency_limit": row.limit,
        }
    return {
        "operations": {"total": total, **totals, "by_operator": by_operator},
        "durations": {"by_operator": durations},
        "concurrency": {"current": snap.in_flight, "peak": last.peak if last else 0},
        "speedup": last.speedup if last else None,
        "parallel_ratio": last.parallel_ratio if last else None,
        "failure_rate": totals["error"] / total if total else 0.0,
        "evaluations": {
            "ok": snap.evaluations[0],
            "error": snap.evaluations[1],
            "running": snap.running,
            "last": _evaluation(last),
        },
        "documents": snap.documents,
        "bytes": snap.bytes,
        "last_run": _run(snap),
        "backends": backends,
        "uptime_seconds": snap.uptime,
    }
