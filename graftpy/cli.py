"""The ``graftpy`` command: thin click commands over the library.

Every error is printed the way graft prints it and ends the run with graft's
exit code; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys

import click

from graftpy import __version__
from graftpy.errors import GraftError


class ColorOptionError(GraftError):
    exit_code = 1

    def __init__(self, value: str) -> None:
        super().__init__(f"Invalid --color option: {value}. Must be 'on', 'off', or 'auto'.")


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _env_flag(name: str) -> bool:
    val = os.environ.get(name, "")
    return val != "" and val.lower() != "false" and val != "0"


def merge_options(func):  # noqa: ANN001, ANN201 - click decorator plumbing
    """Options shared by ``merge`` and ``fan``."""
    decorators = [
        click.option(
            "--skip-eval",
            is_flag=True,
            help="Do not evaluate operators after merging (array operators still apply).",
        ),
        click.option(
            "--prune",
            multiple=True,
            metavar="PATH",
            help="Remove PATH from the output, e.g. --prune meta. Repeatable.",
        ),
        click.option(
            "--cherry-pick",
            multiple=True,
            metavar="PATH",
            help="Keep only PATH in the output (opposite of --prune). Repeatable.",
        ),
        click.option(
            "--fallback-append",
            is_flag=True,
            help="When a list cannot be merged by key, append instead of merging inline.",
        ),
        click.option(
            "--go-patch",
            is_flag=True,
            help="Treat files whose root is a list as go-patch operation files.",
        ),
        click.option(
            "-m",
            "--multi-doc",
            is_flag=True,
            help="Treat each document of a multi-document file as a separate file.",
        ),
        click.option(
            "--dataflow-order",
            type=click.Choice(["alphabetical", "insertion"]),
            default="alphabetical",
            show_default=True,
            help="Order of operations within a dependency level.",
        ),
        click.option(
            "--preserve-order",
            is_flag=True,
            help="Emit keys in first-seen input order instead of sorted.",
        ),
        click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True)),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


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
    help="Colour errors and diffs: on, off, or auto (when the output is a terminal).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, trace: bool, version: bool, color: str) -> None:
    """graftpy merges YAML files and evaluates (( operator )) expressions, like graft.

    \b
    Example:
      graftpy merge base.yml overlay.yml > manifest.yml
    """
    if color not in ("on", "off", "auto"):
        raise ColorOptionError(color)
    ctx.ensure_object(dict)
    ctx.obj.update(
        debug=debug or trace or _env_flag("DEBUG") or _env_flag("TRACE"), trace=trace, color=color
    )
    if version:
        click.echo(f"graftpy - Version {__version__}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        raise click.UsageError("no command given")


@cli.command(context_settings=CONTEXT)
@merge_options
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write the result to FILE atomically (a failed run leaves FILE untouched).",
)
@click.pass_context
def merge(
    ctx: click.Context,
    files: tuple[str, ...],
    output: str | None,
    preserve_order: bool,
    **opts: object,
) -> None:
    """Merge FILES left to right and evaluate their operators.

    \b
    Use '-' to read a file from standard input; with no FILES, standard input is read.
    Example:
      graftpy merge --prune meta base.yml prod.yml -o manifest.yml
    """
    from graftpy import yamlio
    from graftpy.output import emit
    from graftpy.pipeline import NO_STDIN, InputError, MergeOptions, run_merge, stdin_is_terminal

    if not files:
        if stdin_is_terminal():
            raise InputError(NO_STDIN)
        files = ("-",)
    options = MergeOptions(debug=ctx.obj["debug"], **opts)  # type: ignore[arg-type]
    tree = run_merge(files, options)
    emit(yamlio.dump_yaml(tree, preserve_order=preserve_order) + "\n", output)


@cli.command(context_settings=CONTEXT)
@click.option("--strict", is_flag=True, help="Refuse to convert non-string keys to strings.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
def json(strict: bool, files: tuple[str, ...]) -> None:
    """Convert YAML FILES to JSON (one line per document)."""
    from graftpy import yamlio

    sys.stdout.write(yamlio.json_command(list(files), strict=strict))


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
        sys.stderr.write(exc.render())
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except RecursionError:
        sys.stderr.write("Hit max recursion depth. You seem to have a self-referencing dataset\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly, no traceback
        if os.environ.get("GRAFTPY_TRACEBACK"):
            raise
        sys.stderr.write(f"graftpy: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)


def _usage(exc: click.UsageError) -> None:
    ctx = exc.ctx or click.Context(cli, info_name="graftpy")
    sys.stderr.write(f"Error: {exc.format_message()}\n\n")
    sys.stderr.write(ctx.get_help() + "\n")
    sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--go-patch", is_flag=True, help="Treat files whose root is a list as go-patch operation files."
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
    """Show the semantic differences between two YAML files (exit 1 when they differ)."""
    import shutil

    from graftpy.diff import diff_files

    # like graft (whose diff library ignores --color): colour and width follow stdout
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if tty else 80
    text, differs = diff_files(first, second, color=tty, width=width)
    sys.stdout.write(text)
    ctx.exit(1 if differs else 0)


@cli.command(context_settings=CONTEXT)
@merge_options
@click.pass_context
def fan(ctx: click.Context, files: tuple[str, ...], preserve_order: bool, **opts: object) -> None:
    """Merge one SOURCE into each of many target documents.

    \b
    The first file is the source; every document of the other files is a target, and each
    target is merged onto the source and printed as its own YAML document.
    Example:
      graftpy fan common.yml env1.yml env2.yml
    """
    from graftpy.fan import fan_files
    from graftpy.pipeline import MergeOptions

    options = MergeOptions(debug=ctx.obj["debug"], **opts)  # type: ignore[arg-type]
    sys.stdout.write(fan_files(files, options, preserve_order=preserve_order))
