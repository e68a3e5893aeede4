"""What ``graftpy render`` tells at the end: errors, a summary table, a JSON report.

On stderr, target by target (in the targets' order, however they ran), the
warnings ``merge`` would have printed (``target prod warned:``) and, for a failed
target, its errors (``target staging failed:``), each under the target's name;
then one table row per target and a closing line::

    target   status  time   ops  secrets  output
    prod     ok      0.04s  212      100  out/prod.yml
    staging  failed  0.01s    -        -  out/staging.yml (unchanged)
    render: 2 targets: 1 ok, 1 failed in 0.41s; vault: 150 secrets read in 151 requests

``--report FILE`` writes the same as JSON (``document``), for CI to read, with
each target's share of the backends' work (requests, reads, cache hits) beside
the run's totals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graftpy.render.execute import FAILED, OK, SKIPPED, TargetResult

REPORT_VERSION = 1


def messages(results: Sequence[TargetResult]) -> str:
    """Each target's warnings, and each failed target's errors, under its name."""
    out = []
    for result in results:
        out.append(warned(result.name, result.warnings))
        if result.status == FAILED:
            text = result.error or ""
            out.append(f"target {result.name} failed:\n{text}")
            if not text.endswith("\n"):
                out.append("\n")
    return "".join(out)


def warned(name: str, warnings: Sequence[str]) -> str:
    """A target's warnings under its name ("" without any)."""
    if not warnings:
        return ""
    return f"target {name} warned:\n" + "".join(line + "\n" for line in warnings)


def table(results: Sequence[TargetResult]) -> str:
    rows = [("target", "status", "time", "ops", "secrets", "output")]
    for r in results:
        done = r.status == OK
        output = r.output if done else (f"{r.output} (unchanged)" if r.output else "-")
        rows.append(
            (
                r.name,
                r.status,
                f"{r.seconds:.2f}s" if r.status != SKIPPED else "-",
                str(r.operations) if done else "-",
                str(r.secrets) if done else "-",
                output,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {2, 3, 4}  # numbers line up on the right
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def closing_line(results: Sequence[TargetResult], wall: float, backends: Mapping[str, Any]) -> str:
    counts = {
        status: sum(1 for r in results if r.status == status) for status in (OK, FAILED, SKIPPED)
    }
    parts = [f"{counts[OK]} ok"]
    if counts[FAILED]:
        parts.append(f"{counts[FAILED]} failed")
    if counts[SKIPPED]:
        parts.append(f"{counts[SKIPPED]} skipped")
    line = f"render: {len(results)} target{'s' if len(results) != 1 else ''}: {', '.join(parts)} in {wall:.2f}s"
    for name, snap in sorted(backends.items()):
        line += (
            f"; {name}: {snap.cache_misses} secret{'s' if snap.cache_misses != 1 else ''} read "
            f"in {snap.requests} request{'s' if snap.requests != 1 else ''}"
        )
    return line + "\n"


def _usage(figures: Mapping[str, Any] | None) -> dict[str, Any]:
    """A target's share of the backends' work, as the report gives it."""
    from graftpy.render.usage import COUNTS

    return {
        backend: {name: row[name] for name in COUNTS} for backend, row in (figures or {}).items()
    }


def document(
    results: Sequence[TargetResult], wall: float, backends: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``--report`` JSON: one entry per target, the backends' figures, the outcome."""
    return {
        "version": REPORT_VERSION,
        "status": "failed" if any(r.status == FAILED for r in results) else "ok",
        "seconds": round(wall, 4),
        "targets": [
            {
                "name": r.name,
                "status": r.status,
                "seconds": round(r.seconds, 4),
                "operations": r.operations,
                "secrets": r.secrets,
                "output": r.output,
                "warnings": list(r.warnings),
                "backends": _usage(r.backends),
                **({"error": r.error.rstrip("\n")} if r.error else {}),
            }
            for r in results
        ],
        "backends": {
            name: {
                "reads": snap.cache_misses,
                "requests": snap.requests,
                "cache_hits": snap.cache_hits,
                "retries": snap.retries,
                "give_ups": snap.give_ups,
            }
            for name, snap in sorted(backends.items())
        },
    }
