"""The metrics of a render: every target's figures, labelled ``target="NAME"``.

Each target records its evaluation (operations, durations, input read) into
figures of its own, as one ``merge`` run would; the run's shared backends
record into the run's figures (``graftpy_backend_*``: requests, cache hits,
latency, concurrency of the one backend that serves every target, without a
target label), and each target's share of them (``graftpy.render.usage``) into
the target's: ``graftpy_target_backend_requests_total``, ``..._cache_hits_total``
and ``..._cache_misses_total``, labelled by target (a read done ahead counts for
the target that planned it first; each target reading it from the cache counts
a hit). The Prometheus view puts them together:
``graftpy_operations_total{target="prod",operator="grab",outcome="ok"}``,
``graftpy_backend_requests_total{backend="vault",outcome="ok"}``,
``graftpy_target_backend_cache_hits_total{target="prod",backend="vault"}``. The
same settings as ``merge`` decide where they go (``--metrics-file``,
``--metrics-push``, ``--metrics`` to serve while the run lasts), once per run.

A target evaluated in a worker process sends its figures back with its result
(``TargetResult.metrics``, a ``Snapshot``); they count from then on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from graftpy.metrics import Metrics
from graftpy.metrics.recorder import Snapshot
from graftpy.render.execute import Probe, TargetResult

RUN_FAMILIES = ("graftpy_build_info", "graftpy_backend_")  # from the run's own figures
# of a target's backend figures, these are shown (renamed: graftpy_target_backend_*)
TARGET_BACKEND = ("graftpy_backend_requests", "graftpy_backend_cache_hits")
TARGET_BACKEND += ("graftpy_backend_cache_misses",)


class RenderMetrics(Metrics):
    """The run's figures (its recorder gets the backends' events) and each target's."""

    def __init__(self) -> None:
        super().__init__()
        self._targets: dict[str, Metrics] = {}
        self._done: dict[str, Snapshot] = {}  # figures of finished targets
        self._probes: dict[str, Probe] = {}
        self._targets_lock = threading.Lock()

    def probe(self, name: str) -> Probe:
        """The evaluation hook of target ``name`` (the same one for its whole run)."""
        from graftpy.metrics.config import MetricsConfig
        from graftpy.metrics.session import MetricsSession

        with self._targets_lock:
            probe = self._probes.get(name)
            if probe is None:
                figures = self._targets[name] = Metrics()
                probe = self._probes[name] = Probe(MetricsSession(MetricsConfig(), figures))
            return probe

    def finished(self, result: TargetResult) -> None:
        """A target's result: its final figures (from this process or a worker)."""
        if result.metrics is not None:
            with self._targets_lock:
                self._done[result.name] = result.metrics

    def snapshots(self) -> dict[str, Snapshot]:
        """Target name -> its figures now, sorted by name."""
        with self._targets_lock:
            live = {name: m.recorder for name, m in self._targets.items()}
            done = dict(self._done)
        out = {name: done[name] if name in done else live[name].snapshot() for name in live}
        out.update({name: snap for name, snap in done.items() if name not in out})
        return dict(sorted(out.items()))

    # -- the views ------------------------------------------------------------------------
    @property
    def registry(self) -> Any:
        if self._registry is None:
            from prometheus_client.core import CollectorRegistry

            with self._lock:
                if self._registry is None:
                    registry = CollectorRegistry(auto_describe=False)
                    registry.register(_Collector(self))
                    self._registry = registry
        return self._registry

    def to_json(self) -> dict[str, Any]:
        from graftpy.metrics.jsonview import to_json

        run = to_json(self.recorder.snapshot())
        return {
            "backends": run.get("backends", {}),
            "targets": {name: to_json(snap) for name, snap in self.snapshots().items()},
        }


class _Frozen:
    """A recorder that is one snapshot (``RecorderCollector`` asks for ``snapshot()``)."""

    def __init__(self, snap: Snapshot) -> None:
        self._snap = snap

    def snapshot(self) -> Snapshot:
        return self._snap


class _Collector:
    """The run's backend families, and every target's other families with its label."""

    def __init__(self, metrics: RenderMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import Metric

        from graftpy import __version__
        from graftpy.metrics.collector import RecorderCollector

        for family in RecorderCollector(self.metrics.recorder, __version__).collect():
            if family.name.startswith(RUN_FAMILIES):
                yield family
        merged: dict[str, Any] = {}
        for name, snap in self.metrics.snapshots().items():
            for family in RecorderCollector(_Frozen(snap), __version__).collect():  # type: ignore[arg-type]
                old = new = family.name
                if family.name in TARGET_BACKEND:
                    new = old.replace("graftpy_", "graftpy_target_", 1)
                elif family.name.startswith(RUN_FAMILIES):
                    continue
                into = merged.get(new)
                if into is None:
                    doc = family.documentation
                    if new != old:
                        doc = f"{doc.rstrip('.')}, this target's share."
                    into = merged[new] = Metric(new, doc, family.type)
                for sample in family.samples:
                    into.add_sample(
                        new + sample.name[len(old) :],
                        {"target": name, **sample.labels},
                        sample.value,
                    )
        yield from merged.values()
