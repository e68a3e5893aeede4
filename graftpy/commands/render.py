"""``graftpy render``: every target of ``graftpy.yml`` in one run (``graftpy.render``).

Options are parsed here; ``graftpy.render.targets`` decides what the targets
are, ``graftpy.render.run`` renders them, ``graftpy.render.report`` tells how
it went.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from graftpy.commands import CONTEXT
from graftpy.commands.options import OPTIONS, SectionedCommand, SectionedOption

RENDER_SECTION = "Rendering"
NOT_FOR_RENDER = ("output",)  # each target has its own output: file


def _opt(*decls: str, **kw: Any) -> Any:
    return click.option(*decls, cls=SectionedOption, section=RENDER_SECTION, **kw)


RENDER_OPTIONS = [
    _opt(
        "--plan",
        "plan_only",
        is_flag=True,
        help="Print the plan (targets, files, outputs, the secrets each reads: no values) "
        "and stop, contacting no secret store.",
    ),
    _opt(
        "--only",
        multiple=True,
        metavar="NAME",
        help="Render only these targets (repeatable, comma-separated, shell patterns), e.g. "
        "--only prod --only 'eu-*'.",
    ),
    _opt(
        "--shard",
        metavar="K/N",
        help="Render the K-th of N parts of the targets (a CI matrix of N jobs renders "
        "each target once), e.g. --shard 2/4.",
    ),
    _opt(
        "--jobs",
        "-j",
        metavar="N",
        type=click.IntRange(min=1),
        help="Targets evaluated at once (default 8), e.g. --jobs 16.",
    ),
    _opt(
        "--processes",
        metavar="N",
        type=click.IntRange(min=0),
        help="Worker processes that evaluate the targets whose secrets were all read "
        "ahead (default 0: one per CPU, for 8 such targets or more; 1: none, threads of "
        "one process), e.g. --processes 1.",
    ),
    _opt(
        "--fail-fast",
        is_flag=True,
        default=None,
        help="Stop at the first target that fails (those not started are skipped).",
    ),
    _opt(
        "--report",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Write a JSON report of the run (each target's status, time, operations, "
        "secrets, errors) to FILE, e.g. --report render.json.",
    ),
]


def render_options(func: Any) -> Any:
    """The merge flags that make sense for many targets, and render's own."""
    for decorate in reversed([*RENDER_OPTIONS, *OPTIONS]):
        func = decorate(func)
    func.__click_params__ = [p for p in func.__click_params__ if p.name not in NOT_FOR_RENDER]
    return func


class RenderCommand(SectionedCommand):
    sections = (RENDER_SECTION, *SectionedCommand.sections)  # its own flags first


@click.command(
    cls=RenderCommand,
    context_settings=CONTEXT,
    short_help="Render every target of graftpy.yml in one run, each secret read once.",
)
@render_options
@click.pass_context
def render(ctx: click.Context, **params: Any) -> None:
    """Render every target of graftpy.yml: one merge per target, in one run.

    \b
    The targets: map of graftpy.yml names the targets; the top level holds the
    settings they share ({target} in files and output is the target's name). All
    targets are loaded and merged first; every secret they read is then read once,
    for all of them; then they are evaluated in parallel and each output is written
    atomically. A failing target leaves its old output untouched and does not stop
    the others; the exit code is 2 if any failed. See docs/render.md.
    Examples:
      graftpy render                       # every target of ./graftpy.yml
      graftpy render --plan                # what would be read and written
      graftpy render --only prod --redact  # one target, no secret store contacted
      graftpy render --shard 2/4 --report render.json
    """
    import time

    from graftpy import config, progress
    from graftpy.commands.merge import settings
    from graftpy.render import report, targets
    from graftpy.render.run import DEFAULT_JOBS, RenderJob, plan_all, print_plan
    from graftpy.render.run import render as render_all

    started = time.perf_counter()
    plan_only = params.pop("plan_only")
    only, shard = params.pop("only"), params.pop("shard")
    loaded, flags = settings(ctx, params)
    chosen = targets.select(
        targets.resolve(loaded, flags, debug=ctx.obj["debug"]),
        only,
        targets.parse_shard(shard) if shard else None,
    )
    whole = config.combine(loaded, flags)  # the run-wide settings
    if plan_only:
        plans = plan_all(chosen)
        sys.stderr.write("".join(report.warned(p.name, p.warnings) for p in plans))
        print_plan(plans)
        if whole.get("report"):
            _write_json(whole["report"], _plan_document(plans))
        return
    session = _metrics_session(whole)
    live = None
    if progress.wanted(whole.get("progress"), sys.stderr):
        from graftpy import colour
        from graftpy.render.live import RenderProgress

        live = RenderProgress(
            sys.stderr, live=sys.stderr.isatty(), escapes=colour.escapes_work()
        ).start()
    try:
        outcome = render_all(
            RenderJob(
                chosen,
                jobs=whole.get("jobs") or DEFAULT_JOBS,
                processes=whole.get("processes"),
                fail_fast=bool(whole.get("fail_fast")),
                metrics=None if session is None else session.metrics,
                progress=live,
                log=_debug_log if ctx.obj["debug"] else None,
            ),
            started,
        )
    finally:
        if live is not None:
            live.stop()
        if session is not None:  # write the file, push, stop serving (or linger)
            session.finish()
    from graftpy.taint import redact  # a target's error may quote a secret

    sys.stderr.write(redact(report.messages(outcome.results)))
    sys.stderr.write(report.table(outcome.results))  # names and figures only
    sys.stderr.write(report.closing_line(outcome.results, outcome.seconds, outcome.backends))
    if whole.get("report"):
        _write_json(
            whole["report"], report.document(outcome.results, outcome.seconds, outcome.backends)
        )
    if outcome.failed:
        ctx.exit(2)


def _metrics_session(whole: dict[str, Any]) -> Any:
    """The run's metrics session (started), or None when no metrics are asked for."""
    from graftpy import config, pipeline

    run_wide = {k: v for k, v in whole.items() if k not in ("files", "output")}
    options = config.build(run_wide).options
    from graftpy.metrics.config import resolve

    settings = resolve(options, pipeline.environment(options))
    if not settings.enabled:
        return None
    from graftpy.metrics.session import MetricsSession
    from graftpy.render.metrics import RenderMetrics

    return MetricsSession(settings, RenderMetrics()).start()


def _debug_log(line: str) -> None:
    from graftpy.taint import redact

    sys.stderr.write(f"DEBUG> {redact(line)}\n")


def _plan_document(plans: Any) -> Any:
    from graftpy.render.plan import document

    return document(plans)


def _write_json(path: str, doc: Any) -> None:
    import json

    from graftpy.render.execute import write
    from graftpy.taint import redact_data

    # the strings only: a secret "1" must not turn the report's numbers into bad JSON
    write(path, json.dumps(redact_data(doc), indent=2) + "\n")
