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


def last_success_in(path: str) -> float | None:
    """``graftpy_last_success_timestamp_seconds`` in a textfile written before, if any.

    A one-shot run that fails has no success of its own to report; carrying the last
    one over keeps alerts on it ("no success for a day") true across failures.
    """
    name = "graftpy_last_success_timestamp_seconds "
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(name):
                    return float(line[len(name) :].split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return None


def push(
    metrics: Metrics,
    url: str,
    job: str,
    labels: Mapping[str, str] | None = None,
    timeout: float = PUSH_TIMEOUT,
    *,
    replace_all: bool = True,
) -> None:
    """Push to the group ``job`` + ``labels`` on the Pushgateway at ``url``.

    ``replace_all`` (a successful run): HTTP PUT, the group becomes exactly this run's
    figures. Otherwise (a failed run): HTTP POST, which replaces only the metrics this
    push has, so the group keeps the last ``graftpy_last_success_timestamp_seconds``.
    """
    from prometheus_client import push_to_gateway, pushadd_to_gateway

    send = push_to_gateway if replace_all else pushadd_to_gateway
    send(url, job, metrics.registry, grouping_key=dict(labels or {}), timeout=timeout)
