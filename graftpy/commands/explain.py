"""``graftpy explain PATH FILES...``, and ``merge --explain-to FILE``: where values came from.

The run is the merge's own (same flags, ``graftpy.yml`` and environment), with
provenance recorded (``graftpy.provenance``); the explanation is printed instead
of the document (``explain``), or written next to it as JSON (``--explain-to``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from graftpy.commands import CONTEXT
from graftpy.commands.merge import _run, on_command_line
from graftpy.commands.merge_run import stdin_when_no_files, with_progress
from graftpy.commands.options import SectionedCommand, _opt, merge_options

if TYPE_CHECKING:
    from graftpy import config
    from graftpy.provenance.explain import Explainer

DEFAULT_DEPTH = 8


@click.command(
    cls=SectionedCommand,
    context_settings=CONTEXT,
    short_help="Show where a value came from: files, lines, rules and operators.",
)
@click.argument("path")
@merge_options
@_opt(
    "Output",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: a tree per value, for people; json: the same, for tools, e.g. --format json.",
)
@_opt(
    "Output",
    "--depth",
    metavar="N",
    type=click.IntRange(min=0),
    default=DEFAULT_DEPTH,
    help=f"How many levels of an operator's inputs to follow (default {DEFAULT_DEPTH}), "
    "e.g. --depth 1.",
)
@click.pass_context
def explain(
    ctx: click.Context, path: str, files: tuple[str, ...], fmt: str, depth: int, **params: Any
) -> None:
    """Show where the value at PATH came from: every file and line that set or overrode
    it, in merge order, with the list-merge rule that applied; the operator that computed
    it and, for each value that operator read, the same, as a tree.

    \b
    PATH is $.a.b or a.b (list entries by name or index); a map or list gives every
    value under it, in output order. Takes the flags and graftpy.yml of 'graftpy merge'.
    Secrets show as <vault secret/x:key>, never their value.
    Examples:
      graftpy explain instance_groups.web.instances base.yml prod.yml
      graftpy explain --format json --depth 2 '$.meta' base.yml prod.yml
    """
    from graftpy.errors import GraftError
    from graftpy.output import emit
    from graftpy.provenance.explain import parse_user_path
    from graftpy.provenance.run import explained_merge

    asked = _asked_path(path)
    # only an -o given to explain itself: graftpy.yml's output: is the manifest's
    wanted_output = params.get("output") if on_command_line(ctx, "output") else None
    run = _run(ctx, files, params)
    stdin_when_no_files(run)
    try:
        result = with_progress(
            run, lambda: explained_merge(run.files, run.options, preserve_order=run.preserve_order)
        )
    except GraftError as exc:
        _show_origins(exc)
        raise
    try:
        text = explanation_text(result.explainer, parse_user_path(asked), depth, fmt)
    except GraftError:
        if result.error is None:
            raise
        text = None  # not there because evaluation failed: the errors say why
    if text is not None:
        emit(text, None if wanted_output in (None, "", "-") else wanted_output)
    if result.error is not None:  # explained as far as it went; now the errors, exit 2
        _show_origins(result.error)
        raise result.error


def _asked_path(text: str) -> str:
    from graftpy.errors import UsageError
    from graftpy.provenance.explain import parse_user_path

    try:
        parse_user_path(text)
    except Exception as exc:  # noqa: BLE001 - a PathSyntaxError, as a usage error
        raise UsageError(f"graftpy explain: bad path '{text}': {exc}") from None
    return text


def _show_origins(exc: Any) -> None:
    """explain's errors always name their file and line (the traced run knows them)."""
    from graftpy.errors import MultiError

    if isinstance(exc, MultiError):
        exc.locate(show=True)
    else:
        exc.show_origin = True


def explanation_text(explainer: Explainer, path: tuple[str, ...], depth: int, fmt: str) -> str:
    """The explanation of every leaf at or under ``path``, as text or JSON."""
    from graftpy import collector
    from graftpy.provenance.explain import ExplainError
    from graftpy.provenance.text import render_text
    from graftpy.taint import redact_data

    leaves = explainer.leaves(path)
    if not leaves:
        raise ExplainError(explainer.missing(path))
    with collector.paused():  # plain data, all kept
        # secrets show as placeholders already; what else may quote one (an expression
        # with a URL password, a recorded error) goes through graftpy.taint: every string,
        # not the text (a secret "1" would turn line numbers into REDACTED, and JSON
        # numbers invalid)
        nodes = redact_data([explainer.node(leaf, depth) for leaf in leaves])
        if fmt == "json":
            return json.dumps({"paths": nodes}, indent=2, ensure_ascii=False) + "\n"
        return render_text(nodes)


def merge_and_explain(run: config.Run) -> dict:
    """``merge --explain-to FILE``: the merged document, and its explanation in FILE."""
    from graftpy.errors import GraftError
    from graftpy.output import write_atomically
    from graftpy.provenance.run import explained_merge

    try:
        result = explained_merge(run.files, run.options, preserve_order=run.preserve_order)
        if result.error is not None:
            raise result.error  # a failed merge writes no explanation
    except GraftError as exc:
        from graftpy.errors import MultiError

        if isinstance(exc, MultiError):
            exc.locate(show=run.options.show_origin)
        else:
            exc.show_origin = run.options.show_origin
        raise
    from graftpy import collector
    from graftpy.taint import redact_data

    with collector.paused():  # plain data, all kept
        document = redact_data(result.explainer.document())  # as explain's output (taint)
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
        del document
    write_atomically(run.explain_to, text)  # type: ignore[arg-type]
    return result.output
