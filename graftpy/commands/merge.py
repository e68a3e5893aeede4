"""``graftpy merge`` and ``graftpy fan``: the two commands that merge and evaluate.

Options are parsed here; what they mean is decided in ``graftpy.config`` (flags,
``graftpy.yml`` and environment variables into one run) and done by
``graftpy.pipeline`` and ``graftpy.fan``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from graftpy.commands import CONTEXT
from graftpy.commands.options import FILE, SectionedCommand, _opt, merge_options

if TYPE_CHECKING:
    from graftpy import config


@click.command(
    cls=SectionedCommand,
    context_settings=CONTEXT,
    short_help="Merge YAML files left to right and evaluate their operators.",
)
@merge_options
@_opt(
    "Output",
    "--explain-to",
    metavar="FILE",
    type=FILE,
    help="Also write where every value came from to FILE, as JSON (see graftpy explain), "
    "e.g. --explain-to provenance.json.",
)
@click.pass_context
def merge(ctx: click.Context, files: tuple[str, ...], **params: Any) -> None:
    """Merge FILES left to right and evaluate their operators.

    \b
    Use '-' to read a file from standard input; with no FILES (here or in graftpy.yml),
    standard input is read. Flags override graftpy.yml, which overrides the environment.
    Examples:
      graftpy merge --prune meta base.yml prod.yml -o manifest.yml
      graftpy merge --parallel --strategy adaptive base.yml secrets.yml
      graftpy merge --config ci/graftpy.yml
    """
    from graftpy import yamlio
    from graftpy.pipeline import run_merge

    run = _run(ctx, files, params)
    stdin_when_no_files(run)

    def work() -> str:
        if run.explain_to:  # --explain-to: the same merge, with provenance recorded
            from graftpy.commands.explain import merge_and_explain

            tree = merge_and_explain(run)
        else:
            tree = run_merge(run.files, run.options)
        _writing(run)
        return yamlio.dump_yaml(tree, preserve_order=run.preserve_order) + "\n"

    _write(run, _with_progress(run, work))


@click.command(
    cls=SectionedCommand,
    context_settings=CONTEXT,
    short_help="Merge one source file into each document of the target files.",
)
@merge_options(files_metavar="SOURCE [TARGETS]...")
@click.pass_context
def fan(ctx: click.Context, files: tuple[str, ...], **params: Any) -> None:
    """Merge SOURCE into each document of the TARGETS files.

    \b
    Every document of the TARGETS files is merged onto SOURCE and printed as its own
    YAML document; standard input, when piped, is read as a last target file.
    Example:
      graftpy fan --prune meta common.yml env1.yml env2.yml
    """
    from graftpy.fan import fan_files

    run = _run(ctx, files, params)

    def work() -> str:
        text = fan_files(run.files, run.options, preserve_order=run.preserve_order)
        _writing(run)
        return text

    _write(run, _with_progress(run, work))


def _run(ctx: click.Context, files: tuple[str, ...], params: dict[str, Any]) -> config.Run:
    """The run the command line, ``graftpy.yml`` and the environment describe."""
    from graftpy import config

    loaded, flags = settings(ctx, params)
    if files:
        flags["files"] = list(files)
    run = config.build(config.combine(loaded, flags), debug=ctx.obj["debug"], file=loaded.file)
    if "output" not in flags and "output" in loaded.values:
        run.output_from = loaded.file
    return run


def stdin_when_no_files(run: config.Run) -> None:
    """No FILES here or in graftpy.yml: standard input is read, unless it is a terminal."""
    from graftpy.pipeline import NO_STDIN, InputError, stdin_is_terminal

    if not run.files:
        if stdin_is_terminal():
            raise InputError(NO_STDIN)
        run.files = ["-"]


def on_command_line(ctx: click.Context, name: str) -> bool:
    """Whether the flag ``name`` was given on the command line (not a default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def settings(ctx: click.Context, params: dict[str, Any]) -> tuple[config.Config, dict[str, Any]]:
    """``graftpy.yml`` (``--config`` or found) and the settings the command line gives:
    only flags actually given, so that the file fills in the rest."""
    from graftpy import config

    debug, trace = params.pop("debug", False), params.pop("trace", False)
    if debug or trace:  # -D / -T after the command, as before it
        ctx.obj["debug"] = True
    config_file = params.pop("config_file", None)
    flags: dict[str, Any] = {}
    for name, value in params.items():  # only what the command line says: graftpy.yml fills in
        if on_command_line(ctx, name):
            flags[name] = value
    if "metrics_labels" in flags:
        flags["metrics_labels"] = config.labels_from_flags(flags["metrics_labels"])
    path = config.find(config_file)
    loaded = config.load(path) if path else config.Config()
    if ctx.obj["debug"] and path:
        sys.stderr.write(f"DEBUG> reading settings from {path}\n")
    return loaded, flags


def _with_progress(run: config.Run, work: Callable[[], Any]) -> Any:
    """``work()`` with progress on stderr when wanted (a terminal, or --progress)."""
    from graftpy import progress

    if not progress.wanted(run.progress, sys.stderr):
        return work()
    from graftpy import colour

    with progress.reporting(sys.stderr, live=sys.stderr.isatty(), escapes=colour.escapes_work()):
        return work()


def _writing(run: config.Run) -> None:
    """Progress: the last phase, turning the result into YAML for its destination."""
    from graftpy import progress

    progress.phase_started(progress.WRITE, None)
    progress.detail(_destination(run) or "standard output")


def _destination(run: config.Run) -> str | None:
    return None if run.output in (None, "", "-") else run.output


def _write(run: config.Run, text: str) -> None:
    """The result to stdout, or to a file: then stderr says which (and why, when the
    file was named by ``output:`` in graftpy.yml rather than by ``-o``), so that
    ``graftpy merge > out.yml`` with an ``output:`` setting does not end in silence."""
    from graftpy.output import emit

    target = _destination(run)
    emit(text, target)
    if target is None:
        return
    if run.output_from:
        sys.stderr.write(
            f"graftpy: wrote {target} (output: in {run.output_from}; -o - writes to "
            "standard output)\n"
        )
    else:
        sys.stderr.write(f"graftpy: wrote {target}\n")
