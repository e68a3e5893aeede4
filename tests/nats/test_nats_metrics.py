"""NATS reads show up in the run's metrics as backend ``nats``, with no value in them."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from graftpy.errors import MultiError
from graftpy.metrics import Metrics
from graftpy.pipeline import MergeOptions, run_merge


def test_the_metrics_file_counts_nats_reads(nats, tmp_path):
    tag = uuid.uuid4().hex[:8]
    kv = f"metrics_{tag}"
    nats.put_kv(kv, {"a": f"value-a-{tag}", "b": f"value-b-{tag}"})
    doc = tmp_path / "doc.yml"
    reads = "".join(f'k{i}: (( nats "kv:{kv}/{key}" ))\n' for i, key in enumerate("ab" * 3))
    doc.write_text(reads + f'missing: (( nats "kv:{kv}/missing" ))\n')
    out = tmp_path / "run.prom"
    metrics = Metrics()
    try:
        options = MergeOptions(
            env={"NATS_URL": nats.url}, metrics_file=str(out), extra={"metrics": metrics}
        )
        with pytest.raises(MultiError):  # the missing key; the figures are written all the same
            run_merge([str(doc)], options)
    finally:
        metrics.stop()
    text = out.read_text()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    backend = (("backend", "nats"),)
    assert samples[("graftpy_backend_requests_total", (*backend, ("outcome", "ok")))] == 2
    assert samples[("graftpy_backend_requests_total", (*backend, ("outcome", "not_found")))] == 1
    assert samples[("graftpy_backend_cache_misses_total", backend)] == 3
    assert samples[("graftpy_backend_cache_hits_total", backend)] + samples[
        ("graftpy_backend_shared_reads_total", backend)
    ] == 4
    assert tag not in text  # neither the values nor the bucket's name
