"""Metrics settings of one run: ``MergeOptions`` fields, else environment variables.

==========================  =============  ==============================================
variable                    flag           meaning
==========================  =============  ==============================================
``GRAFT_METRICS``           --metrics      serve /metrics while the run lasts (true/false)
``GRAFT_METRICS_HOST``      --metrics-host address to listen on (default 127.0.0.1)
``GRAFT_METRICS_PORT``      --metrics-port port (default 9090; 0: any free port)
``GRAFT_METRICS_LINGER``    --metrics-linger  seconds to keep serving after the run
``GRAFT_METRICS_FILE``      --metrics-file write the text format to this file at the end
``GRAFT_METRICS_PUSH``      --metrics-push push to this Pushgateway URL at the end
``GRAFT_METRICS_JOB``       --metrics-job  the push's job name (default graftpy)
``GRAFT_METRICS_LABELS``    --metrics-label  grouping labels, ``k=v,k2=v2`` (flag: repeat)
==========================  =============  ==============================================

A flag wins over its variable. Metrics are recorded when any of serving, the
file or the push is asked for; a bad value is a ``UsageError``, not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graftpy.errors import UsageError

DEFAULT_HOST = "127.0.0.1"  # loopback: metrics are not for the whole network unless asked
DEFAULT_PORT = 9090
DEFAULT_JOB = "graftpy"
_TRUE = {"1", "t", "true", "yes", "y", "on"}
_FALSE = {"", "0", "f", "false", "no", "n", "off"}
_LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")


@dataclass(frozen=True)
class MetricsConfig:
    serve: bool = False
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    linger: float = 0.0
    file: str | None = None
    push: str | None = None
    job: str = DEFAULT_JOB
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.serve or bool(self.file) or bool(self.push)


def parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"${name} must be true or false, not {raw!r}")


def parse_port(name: str, raw: Any) -> int:
    try:
        port = int(str(raw).strip(), 10)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise UsageError(f"{name} must be a port number from 0 to 65535, not {raw!r}")
    return port


def parse_seconds(name: str, raw: Any) -> float:
    try:
        seconds = float(str(raw).strip())
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise UsageError(f"{name} must be a number of seconds (0 or more), not {raw!r}")
    return seconds


def parse_labels(name: str, items: Any) -> dict[str, str]:
    """``{"k": "v"}``, ``["k=v", ...]`` or ``"k=v,k2=v2"`` -> a checked dict."""
    if isinstance(items, Mapping):
        pairs = [(str(k), str(v)) for k, v in items.items()]
    else:
        parts = items.split(",") if isinstance(items, str) else list(items)
        pairs = []
        for part in parts:
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            if not sep:
                raise UsageError(f"{name}: {part!r} is not a KEY=VALUE label")
            pairs.append((key.strip(), value.strip()))
    labels: dict[str, str] = {}
    for key, value in pairs:
        if not _LABEL.match(key) or key.startswith("__") or key == "job":
            raise UsageError(f"{name}: {key!r} is not a usable label name")
        labels[key] = value
    return labels


def resolve(options: Any, env: Mapping[str, str]) -> MetricsConfig:
    """The settings for ``options`` (a ``MergeOptions``) with ``env`` as fallback."""

    def pick(attr: str, var: str) -> Any:
        value = getattr(options, attr, None)
        return (env.get(var) or None) if value is None else value

    serve = options.metrics
    if serve is None:
        serve = parse_bool("GRAFT_METRICS", env.get("GRAFT_METRICS", ""))
    port = pick("metrics_port", "GRAFT_METRICS_PORT")
    linger = pick("metrics_linger", "GRAFT_METRICS_LINGER")
    labels: Any = options.metrics_labels or env.get("GRAFT_METRICS_LABELS", "")
    return MetricsConfig(
        serve=bool(serve),
        host=pick("metrics_host", "GRAFT_METRICS_HOST") or DEFAULT_HOST,
        port=DEFAULT_PORT if port is None else parse_port("the metrics port", port),
        linger=0.0 if linger is None else parse_seconds("the metrics linger", linger),
        file=pick("metrics_file", "GRAFT_METRICS_FILE"),
        push=pick("metrics_push", "GRAFT_METRICS_PUSH"),
        job=pick("metrics_job", "GRAFT_METRICS_JOB") or DEFAULT_JOB,
        labels=parse_labels("the metrics labels", labels),
    )
