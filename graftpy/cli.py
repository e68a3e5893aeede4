"""The ``graftpy`` command: the group, its global flags, errors and exit codes.

The subcommands live in ``graftpy.commands`` and are imported only when they
run. Every error is printed the way graft prints it and ends the run with
graft's exit code; no traceback reaches the user. Heavy modules are imported
inside the commands, so start-up stays quick.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading

import click

from graftpy import __version__
from graftpy.commands import COMMANDS, CONTEXT
from graftpy.commands.helpformat import HelpContext
from graftpy.errors import GraftError, MultiError, PathError


class ColorOptionError(GraftError):
    exit_code = 1

    def __init__(self, value: str) -> None:
        super().__init__(f"Invalid --color option: {value}. Must be 'on', 'off', or 'auto'.")


_color = {"mode": "auto"}  # set by the --color option, read when printing an error


def _env_flag(name: str) -> bool:
    val = os.environ.get(name, "")
    return val != "" and val.lower() != "false" and val != "0"


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
    ctx.obj.update(
        debug=debug or trace or _env_flag("DEBUG") or _env_flag("TRACE"), trace=trace, color=color
    )
    if version:
        click.echo(f"graftpy - Version {__version__}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        raise NoCommand("no command given", ctx)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, print errors graft's way, exit with its codes."""
    sys.setrecursionlimit(20000)
    args = sys.argv[1:] if argv is None else argv
    _terminate_cleanly()
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
    except Terminated:
        sys.exit(143)
    except OSError as exc:  # writing the output failed: a full disk, a closed stream
        where = exc.filename or "the output"
        sys.stderr.write(f"graftpy: cannot write {where}: {exc.strerror or exc}\n")
        sys.exit(1)
    except Exception as exc:  # a bug of ours: say so plainly, no traceback
        if os.environ.get("GRAFTPY_TRACEBACK"):
            raise
        from graftpy.taint import redact

        sys.stderr.write(redact(f"graftpy: internal error: {type(exc).__name__}: {exc}") + "\n")
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so a half-written output file is removed."""


def _terminate_cleanly() -> None:
    import signal

    def on_term(_signum: int, _frame: object) -> None:
        raise Terminated()

    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave it
        signal.signal(signal.SIGTERM, on_term)


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
    except (KeyboardInterrupt, Terminated):
        code = code or 130
    os._exit(code)


def _render(exc: GraftError) -> str:
    """The error's text; with colour on, the error count in red as graft prints it."""
    from graftpy import colour
    from graftpy.taint import redact

    text = exc.render()
    if not isinstance(exc, MultiError | PathError):  # PathError prints as a list of one
        return redact(text)  # no secret value in any message (graftpy.taint)
    # "N error(s) detected:" is graftpy's own count: a short secret such as "1" must not
    # redact it; the lines after it are the messages, and are redacted
    count, sep, rest = text.partition(" ")
    rest = redact(rest)
    if colour.wanted(_color["mode"], sys.stderr):
        count = f"\x1b[00;31m{count}\x1b[00m"
    return f"{count}{sep}{rest}"


def _usage(exc: click.UsageError) -> None:
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
