"""``graftpy merge`` and ``graftpy fan``: the two commands that merge and evaluate.

Options are parsed here; what they mean is decided in ``graftpy.config`` (flags,
``graftpy.yml`` and environment variables into one run), carried out by
``graftpy.commands.merge_run`` (which the plain-merge path without click,
``graftpy.commands.quick``, shares) and done by ``graftpy.pipeline`` and ``graftpy.fan``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from graftpy.commands import CONTEXT
from graftpy.commands.merge_run import (
    build_run,
    load_settings,
    merge_and_write,
    with_progress,
    write,
    writing,
)
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
    merge_and_write(_run(ctx, files, params))


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
        writing(run)
        return text

    write(run, with_progress(run, work))


def _run(ctx: click.Context, files: tuple[str, ...], params: dict[str, Any]) -> config.Run:
    """The run the command line, ``graftpy.yml`` and the environment describe."""
    loaded, flags = settings(ctx, params)
    if files:
        flags["files"] = list(files)
    return build_run(loaded, flags, debug=ctx.obj["debug"])


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
    loaded = load_settings(config_file, debug=ctx.obj["debug"])
    return loaded, flags
