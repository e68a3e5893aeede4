"""The ``graftpy`` command: which parser reads the command line, errors and exit codes.

A plain merge (``graftpy.commands.quick``) runs without importing click; every
other command line goes to the click group (``graftpy.commands.group``), whose
subcommands live in ``graftpy.commands`` and are imported only when they run.
Either way every error is printed the way graft prints it and ends the run with
graft's exit code; no traceback reaches the user.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from graftpy.errors import GraftError, MultiError, PathError


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, print errors graft's way, exit with its codes."""
    sys.setrecursionlimit(20000)
    args = sys.argv[1:] if argv is None else argv
    _terminate_cleanly()
    from graftpy.commands.quick import plain_merge

    colour_mode: Callable[[], str] = _no_colour_flag
    try:
        flags = plain_merge(args)
        if flags is not None:
            from graftpy.commands.quick import run_plain_merge

            rc: object = run_plain_merge(flags)
        else:
            from graftpy.commands import group

            colour_mode = group.colour_mode
            rc = group.invoke(args)
    except GraftError as exc:
        sys.stderr.write(_render(exc, colour_mode()))
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


def _no_colour_flag() -> str:
    return "auto"  # a plain merge has no --color flag


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so a half-written output file is removed."""


def _terminate_cleanly() -> None:
    # the C module: ``signal`` itself builds its enums on import (1.5% of a small merge)
    import _signal as signal

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


def _render(exc: GraftError, colour_mode: str = "auto") -> str:
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
    if colour.wanted(colour_mode, sys.stderr):
        count = f"\x1b[00;31m{count}\x1b[00m"
    return f"{count}{sep}{rest}"


def __getattr__(name: str) -> Any:
    """``graftpy.cli.cli``, the click group, for those who drive it (tests, completion)."""
    if name == "cli":
        from graftpy.commands.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
