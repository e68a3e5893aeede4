"""``graftpy completion``: the tab-completion script for a shell."""

from __future__ import annotations

import sys

import click

from graftpy.commands import CONTEXT


@click.command(
    context_settings=CONTEXT, short_help="Print the tab-completion script for bash, zsh or fish."
)
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

    from graftpy.commands.group import cli

    cls = get_completion_class(shell)
    assert cls is not None  # click knows the three shells the Choice allows
    sys.stdout.write(cls(cli, {}, "graftpy", "_GRAFTPY_COMPLETE").source() + "\n")
