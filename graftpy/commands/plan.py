"""``graftpy plan FILES...``: the dependency graph of the merged document's operators.

A thin layer over ``graftpy.planview``: the files are read and merged as
``graftpy merge`` does (same flags, ``graftpy.yml`` and environment), then the
graph is analysed and printed instead of being run.
"""

from __future__ import annotations

from typing import Any

import click

from graftpy.commands import CONTEXT
from graftpy.commands.merge import _run, on_command_line
from graftpy.commands.merge_run import stdin_when_no_files, with_progress
from graftpy.commands.options import SectionedCommand, _opt, merge_options


@click.command(
    cls=SectionedCommand,
    context_settings=CONTEXT,
    short_help="Show the operators' dependency graph: generations, critical path, speedup bound.",
)
@merge_options
@_opt(
    "Output",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "dot"]),
    default="text",
    help="text: for people; json: networkx's node-link graph of each phase; dot: Graphviz "
    "(needs pydot), e.g. --format dot | dot -Tsvg > plan.svg.",
)
@click.pass_context
def plan(ctx: click.Context, files: tuple[str, ...], fmt: str, **params: Any) -> None:
    """Show how the (( operators )) of the merged FILES depend on each other, without
    running them: the dependency graph of each phase, its generations (waves of calls
    whose inputs are ready, the order graft runs them in), its critical path (the
    longest chain of calls, each reading the one before) and the speedup bound it
    implies (calls over calls on that path: the most parallel evaluation could gain if
    every call cost the same).

    \b
    The files are merged as 'graftpy merge' merges them, with its flags and graftpy.yml;
    no file, URL or secret store an operator names is read ((( inject )) and (( sort ))
    run, as they reshape what the rest reads). In the text, * marks the critical path.
    A cycle is an error (exit 2) that names it.
    Examples:
      graftpy plan base.yml prod.yml
      graftpy plan --format json base.yml prod.yml > plan.json
      graftpy plan --format dot base.yml | dot -Tsvg > plan.svg
    """
    from graftpy.output import emit
    from graftpy.planview import plan_files
    from graftpy.planview.formats import render

    # only an -o given to plan itself: graftpy.yml's output: names the manifest
    wanted_output = params.get("output") if on_command_line(ctx, "output") else None
    run = _run(ctx, files, params)
    stdin_when_no_files(run)
    from graftpy.taint import redact

    document = with_progress(run, lambda: plan_files(run.files, run.options))
    # no secret is read, but a call may be written with a credential (a NATS URL's
    # password): operators register those while the graph is built (graftpy.taint)
    text = redact(render(document, fmt))
    emit(text, None if wanted_output in (None, "", "-") else wanted_output)
