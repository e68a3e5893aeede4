"""``graftpy json``, ``graftpy vaultinfo`` and ``graftpy diff``: commands that read
YAML without merging it."""

from __future__ import annotations

import sys

import click

from graftpy.commands import CONTEXT
from graftpy.commands.options import FILE_OR_DASH


@click.command(
    context_settings=CONTEXT, short_help="Convert YAML files to JSON, one line per document."
)
@click.option("--strict", is_flag=True, help="Refuse to convert non-string keys to strings.")
@click.argument("files", nargs=-1, type=FILE_OR_DASH)
def json(strict: bool, files: tuple[str, ...]) -> None:
    """Convert YAML FILES to JSON (one line per document).

    \b
    Example:
      graftpy json manifest.yml | jq .name
    """
    from graftpy import yamlio
    from graftpy.output import write_stdout

    write_stdout(yamlio.json_command(list(files), strict=strict))


@click.command(
    context_settings=CONTEXT,
    short_help="List the Vault secrets files use, and where (contacts no Vault).",
)
@click.option(
    "--go-patch",
    is_flag=True,
    help="Treat files whose root is a list as go-patch operation files.",
)
@click.argument("files", nargs=-1, type=FILE_OR_DASH)
def vaultinfo(go_patch: bool, files: tuple[str, ...]) -> None:
    """List the Vault secret paths FILES use, and where (contacts no Vault).

    \b
    Example:
      graftpy vaultinfo base.yml prod.yml
    """
    from graftpy.output import write_stdout
    from graftpy.vaultinfo import vault_references

    write_stdout(vault_references(list(files), go_patch=go_patch) + "\n")


@click.command(
    context_settings=CONTEXT,
    short_help="Show how two YAML files differ, by meaning (exit 1 if they do).",
)
@click.argument("first", type=FILE_OR_DASH)
@click.argument("second", type=FILE_OR_DASH)
@click.pass_context
def diff(ctx: click.Context, first: str, second: str) -> None:
    """Show the semantic differences between two YAML files (exit 1 when they differ).

    \b
    Example:
      graftpy diff old-manifest.yml new-manifest.yml
    """
    import shutil

    from graftpy import colour
    from graftpy.diff import diff_files
    from graftpy.output import write_stdout

    # colour follows --color, NO_COLOR and TERM (graft's diff ignores them all); the
    # width is the terminal's when stdout is one
    color = colour.wanted((ctx.obj or {}).get("color", "auto"), sys.stdout)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 80
    text, differs = diff_files(first, second, color=color, width=width)
    write_stdout(text)
    ctx.exit(1 if differs else 0)
