"""The ``graftpy`` command: thin click commands over the library.

Options are parsed here; what they mean is decided in ``graftpy.config`` (flags,
``graftpy.yml`` and environment variables into one run) and done by
``graftpy.pipeline``. Every error is printed the way graft prints it and ends the
run with graft's exit code; no traceback reaches the user. Heavy modules are
imported inside the commands, so start-up stays quick.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from graftpy import __version__
from graftpy.cli_options import SectionedCommand, merge_options
from graftpy.errors import GraftError, MultiError

if TYPE_CHECKING:
    from graftpy import config


class ColorOptionError(GraftError):
    exit_code = 1

    def __init__(self, value: str) -> None:
        super().__init__(f"Invalid --color option: {value}. Must be 'on', 'off', or 'auto'.")


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_color = {"mode": "auto"}  # set by the --color option, read when printing an error


def _env_flag(name: str) -> bool:
    val = os.environ.get(name, "")
    return val != "" and val.lower() != "false" and val != "0"


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.option(
    "-D", "--debug", is_flag=True, help="Print debugging output on stderr (also DEBUG=1)."
)
@click.option(
    "-T", "--trace", is_flag=True, help="Print very verbose tracing on stderr (also TRACE=1)."
)
@click.option("-v", "--version", is_flag=True, help="Print the version and exit.")
@click.option(
    "--color",
    default="auto",
    metavar="on|off|auto",
    help="Colour error messages: on, off, or auto (when stderr is a terminal), e.g. --color off.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, trace: bool, version: bool, color: str) -> None:
    """graftpy merges YAML files and evaluates (( operator )) expressions, like graft.

    \b
    Examples:
      graftpy merge base.yml prod.yml > manifest.yml
      graftpy merge --help                   every merge flag, with an example each
      graftpy completion bash >> ~/.bashrc   tab completion for your shell
    """
    if color not in ("on", "off", "auto"):
        raise ColorOptionError(color)
    _color["mode"] = color
    ctx.ensure_object(dict)
    ctx.obj.update(
        debug=debug or trace or _env_flag("DEBUG") or _env_flag("TRACE"), trace=trace, color=color
    )
    if version:
        click.echo(f"graftpy - Version {__version__}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        raise click.UsageError("no command given")


def _run(ctx: click.Context, files: tuple[str, ...], params: dict[str, Any]) -> config.Run:
    """The run the command line, ``graftpy.yml`` and the environment describe."""
    from graftpy import config  # loaded on use: start-up stays light

    debug, trace = params.pop("debug", False), params.pop("trace", False)
    if debug or trace:  # -D / -T after the command, as before it
        ctx.obj["debug"] = True
    config_file = params.pop("config_file", None)
    flags: dict[str, Any] = {}
    for name, value in params.items():  # only what the command line says: graftpy.yml fills in
        source = ctx.get_parameter_source(name)
        if source is not None and source.name == "COMMANDLINE":
            flags[name] = value
    if "metrics_labels" in flags:
        flags["metrics_labels"] = config.labels_from_flags(flags["metrics_labels"])
    if files:
        flags["files"] = list(files)
    path = config.find(config_file)
    loaded = config.load(path) if path else config.Config()
    if ctx.obj["debug"] and path:
        sys.stderr.write(f"DEBUG> reading settings from {path}\n")
    return config.build(config.combine(loaded, flags), debug=ctx.obj["debug"])


def _with_progress(run: config.Run, work: Callable[[], Any]) -> Any:
    """``work()`` with progress on stderr when wanted (a terminal, or --progress)."""
    from graftpy import progress

    if not progress.wanted(run.progress, sys.stderr):
        return work()
    with progress.reporting(sys.stderr, live=sys.stderr.isatty()):
        return work()


@cli.command(cls=SectionedCommand, context_settings=CONTEXT)
@merge_options
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
    from graftpy.output import emit
    from graftpy.pipeline import NO_STDIN, InputError, run_merge, stdin_is_terminal

    run = _run(ctx, files, params)
    if not run.files:
        if stdin_is_terminal():
            raise InputError(NO_STDIN)
        run.files = ["-"]
    tree = _with_progress(run, lambda: run_merge(run.files, run.options))
    emit(yamlio.dump_yaml(tree, preserve_order=run.preserve_order) + "\n", _target(run.output))


@cli.command(cls=SectionedCommand, context_settings=CONTEXT)
@merge_options
@click.pass_context
def fan(ctx: click.Context, files: tuple[str, ...], **params: Any) -> None:
    """Merge one SOURCE into each of many target documents.

    \b
    The first file is the source; every document of the other files is a target, and each
    target is merged onto the source and printed as its own YAML document.
    Example:
      graftpy fan --prune meta common.yml env1.yml env2.yml
    """
    from graftpy.fan import fan_files
    from graftpy.output import emit

    run = _run(ctx, files, params)
    text = _with_progress(
        run, lambda: fan_files(run.files, run.options, preserve_order=run.preserve_order)
    )
    emit(text, _target(run.output))


def _target(output: str | None) -> str | None:
    """Where the result goes: a file, or stdout (no -o, or -o -)."""
    return None if output in (None, "", "-") else output


@cli.command(context_settings=CONTEXT)
@click.option("--strict", is_flag=True, help="Refuse to convert non-string keys to strings.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
def json(strict: bool, files: tuple[str, ...]) -> None:
    """Convert YAML FILES to JSON (one line per document).

    \b
    Example:
      graftpy json manifest.yml | jq .name
    """
    from graftpy import yamlio

    sys.stdout.write(yamlio.json_command(list(files), strict=strict))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--go-patch",
    is_flag=True,
    help="Treat files whose root is a list as go-patch operation files, e.g. --go-patch.",
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
def vaultinfo(go_patch: bool, files: tuple[str, ...]) -> None:
    """List the Vault secret paths FILES use, and where (contacts no Vault).

    \b
    Example:
      graftpy vaultinfo base.yml prod.yml
    """
    from graftpy.vaultinfo import vault_references

    sys.stdout.write(vault_references(list(files), go_patch=go_patch) + "\n")


@cli.command(context_settings=CONTEXT)
@click.argument("first", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("second", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_context
def diff(ctx: click.Context, first: str, second: str) -> None:
    """Show the semantic differences between two YAML files (exit 1 when they differ).

    \b
    Example:
      graftpy diff old-manifest.yml new-manifest.yml
    """
    import shutil

    from graftpy.diff import diff_files

    # like graft (whose diff library ignores --color): colour and width follow stdout
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if tty else 80
    text, differs = diff_files(first, second, color=tty, width=width)
    sys.stdout.write(text)
    ctx.exit(1 if differs else 0)


@cli.command(context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the tab-completion script for SHELL (bash, zsh or fish).

    \b
    Examples:
      graftpy completion bash > ~/.local/share/bash-completion/completions/graftpy
      graftpy completion zsh > "${fpath[1]}/_graftpy"
      graftpy completion fish > ~/.config/fish/completions/graftpy.fish
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # click knows the three shells the Choice allows
    sys.stdout.write(cls(cli, {}, "graftpy", "_GRAFTPY_COMPLETE").source() + "\n")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, print errors graft's way, exit with its codes."""
    sys.setrecursionlimit(20000)
    args = sys.argv[1:] if argv is None else argv
    try:
        rc = cli.main(args=args, prog_name="graftpy", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        _usage(exc)
    except click.Abort:
        sys.exit(130)
    except GraftError as exc:
        sys.stderr.write(_render(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except RecursionError:
        sys.stderr.write("Hit max recursion depth. You seem to have a self-referencing dataset\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # writing the output failed: a full disk, a closed stream
        where = exc.filename or "the output"
        sys.stderr.write(f"graftpy: cannot write {where}: {exc.strerror or exc}\n")
        sys.exit(1)
    except Exception as exc:  # a bug of ours: say so plainly, no traceback
        if os.environ.get("GRAFTPY_TRACEBACK"):
            raise
        sys.stderr.write(f"graftpy: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)


def run() -> None:
    """The console script: ``main``, then a fast exit.

    Everything the run owes is done when ``main`` returns (output written and
    renamed, metrics pushed) or on a thread we wait for here (a metrics server
    lingering for a scrape), so the interpreter's own teardown of hundreds of
    imported modules is skipped: it costs up to 0.2 s after a Vault run and
    changes nothing a user sees.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            sys.stderr.write(f"{exc.code}\n")
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (graftpy merge ... | head)
        pass
    except OSError as exc:  # a full disk behind a redirect, say
        sys.stderr.write(f"graftpy: cannot write standard output: {exc.strerror or exc}\n")
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    try:  # what the interpreter would wait for: a metrics server lingering for a scrape
        for thread in threading.enumerate():
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join()
    except KeyboardInterrupt:
        code = 130
    os._exit(code)


def _render(exc: GraftError) -> str:
    """The error's text; with colour on, the error count in red as graft prints it."""
    text = exc.render()
    mode = _color["mode"]
    on = mode == "on" or (mode == "auto" and sys.stderr.isatty())
    if on and isinstance(exc, MultiError):
        count, sep, rest = text.partition(" ")
        text = f"\x1b[00;31m{count}\x1b[00m{sep}{rest}"
    return text


def _usage(exc: click.UsageError) -> None:
    """Bad arguments: the message and usage on stderr, exit 1 (graft prints its usage)."""
    ctx = exc.ctx or click.Context(cli, info_name="graftpy")
    sys.stderr.write(f"Error: {exc.format_message()}\n\n")
    if ctx.command is cli:  # no or unknown command: the whole usage, as graft does
        sys.stderr.write(ctx.get_help() + "\n")
    else:
        sys.stderr.write(ctx.get_usage() + "\n")
        sys.stderr.write(f"Try '{ctx.command_path} --help' for every flag, with examples.\n")
    sys.exit(1)
