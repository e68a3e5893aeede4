"""For one-shot runs that no scrape can catch: a text file, or a Pushgateway push."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graftpy.metrics import Metrics

PUSH_TIMEOUT = 10.0


def write_textfile(metrics: Metrics, path: str) -> None:
    """Write the registry in the text format, atomically (temp file + rename).

    node_exporter's textfile collector reads ``*.prom`` files: the temp file is
    named ``.graftpy-*`` in the same folder, so it never sees half a file.
    """
    from graftpy.output import write_atomically

    write_atomically(path, metrics.text())


def push(
    metrics: Metrics,
    url: str,
    job: str,
    labels: Mapping[str, str] | None = None,
    timeout: float = PUSH_TIMEOUT,
) -> None:
    """Replace the group ``job`` + ``labels`` on the Pushgateway at ``url`` (HTTP PUT)."""
    from prometheus_client import push_to_gateway

    push_to_gateway(url, job, metrics.registry, grouping_key=dict(labels or {}), timeout=timeout)
