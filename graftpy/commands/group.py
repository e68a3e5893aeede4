"""The ``graftpy`` click group: its global flags, lazy subcommands and usage errors.

``graftpy.cli`` runs it for every command line that is not a plain merge
(``graftpy.commands.quick``). The subcommands live in ``graftpy.commands`` and
are imported only when they run.
"""

from __future__ import annotations

import importlib
import sys
from typing import NoReturn

import click

from graftpy import __version__
from graftpy.commands import COMMANDS, CONTEXT, debug_from_environment
from graftpy.commands.helpformat import HelpContext
from graftpy.errors import GraftError


class ColorOptionError(GraftError):
    exit_code = 1

    def __init__(self, value: str) -> None:
        super().__init__(f"Invalid --color option: {value}. Must be 'on', 'off', or 'auto'.")


_color = {"mode": "auto"}  # set by the --color option, read when printing an error


def colour_mode() -> str:
    """What ``--color`` said (``auto`` when not given): ``graftpy.cli`` colours errors by it."""
    return _color["mode"]


class NoCommand(click.UsageError):
    """``graftpy`` alone: the whole usage is printed, as graft does."""


class LazyGroup(click.Group):
    """A group whose commands are imported when used (``graftpy.commands.COMMANDS``).

    Its contexts, and those of its commands, wrap ``--help`` without breaking words
    at hyphens (``graftpy.commands.helpformat``).
    """

    context_class = HelpContext

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if command.context_class is click.Context:
            command.context_class = HelpContext
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if name in COMMANDS or name.startswith("-"):
            return super().resolve_command(ctx, args)
        import difflib  # only for this message

        near = difflib.get_close_matches(name, sorted(COMMANDS), n=3, cutoff=0.5)
        hint = ""
        if len(near) == 1:
            hint = f" Did you mean '{near[0]}'?"
        elif near:
            hint = " Did you mean one of: " + ", ".join(f"'{n}'" for n in near) + "?"
        raise click.UsageError(f"No such command '{name}'.{hint}", ctx)


@click.group(cls=LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
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
    help="Colour errors and diff output: on, off, or auto (on a terminal, unless NO_COLOR is "
    "set or TERM=dumb), e.g. --color off.",
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
    ctx.obj.update(debug=debug or trace or debug_from_environment(), trace=trace, color=color)
    if version:
        click.echo(f"graftpy - Version {__version__}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        raise NoCommand("no command given", ctx)


def invoke(args: list[str]) -> object:
    """Run the group on ``args``; click's own outcomes end the run with graft's exit codes."""
    try:
        return cli.main(args=args, prog_name="graftpy", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        _usage(exc)
    except click.Abort:
        sys.exit(130)


def _usage(exc: click.UsageError) -> NoReturn:
    """Bad arguments: the message and usage on stderr, exit 1 (graft prints its usage)."""
    ctx = exc.ctx or HelpContext(cli, info_name="graftpy")
    sys.stderr.write(f"Error: {exc.format_message()}\n\n")
    if isinstance(exc, NoCommand):  # no command at all: the whole usage, as graft does
        sys.stderr.write(ctx.get_help() + "\n")
    else:
        sys.stderr.write(ctx.get_usage() + "\n")
        if ctx.command is cli:  # a bad command or global flag: name the commands, briefly
            sys.stderr.write(f"Commands: {', '.join(sorted(COMMANDS))}\n")
            sys.stderr.write("Try 'graftpy --help' for what each does.\n")
        else:
            sys.stderr.write(f"Try '{ctx.command_path} --help' for every flag, with examples.\n")
    sys.exit(1)
