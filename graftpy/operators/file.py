"""(( file PATH )) and (( file DIR NAME )): the contents of a file, as a string.

The two-argument form reads ``DIR/NAME`` (joined and cleaned as Go's
``filepath.Join`` does, even when NAME is absolute). A relative path is then
taken from ``$GRAFT_FILE_BASE_PATH`` (joined and cleaned); without it, and for
an absolute path, the path is used as written (``sub/../x`` needs ``sub``). Arguments
are read with Go's ``%v`` (a number or a list makes a file name too); null is an
error. Contents that are not valid UTF-8 stay bytes (emitted as ``!!binary``, as
go-yaml does). The file is read within ``graftpy.reading``'s limits (size, waiting
time). With
``$GRAFT_CONFINE_FILES`` on, the path must lead inside the base path (``confined``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy import reading
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

BASE_PATH_ENV = "GRAFT_FILE_BASE_PATH"
CONFINE_ENV = "GRAFT_CONFINE_FILES"


def go_clean(path: str) -> str:
    """``filepath.Clean`` on a POSIX system."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    text = "/".join(out)
    if rooted:
        return "/" + text
    return text or "."


def go_join(*parts: str) -> str:
    """``filepath.Join``: empty parts are dropped; all empty gives ``""``."""
    kept = [p for p in parts if p]
    return go_clean("/".join(kept)) if kept else ""


def resolve_location(name: str, base: str | None) -> str:
    """Where graft looks for a relative file name."""
    return name if name.startswith("/") else go_join(base or "", name)


def confined(location: str, ctx: EvalContext) -> str:
    """``location`` itself, unless ``GRAFT_CONFINE_FILES`` is on and it leads (through
    ``..``, an absolute path or a symlink) outside the file base path."""
    if not ctx.settings.flag(CONFINE_ENV):
        return location
    import os

    base = os.path.realpath(ctx.env(BASE_PATH_ENV) or ".")
    real = os.path.realpath(location or ".")
    if real != base and not real.startswith(base.rstrip("/") + "/"):
        raise GraftError(
            f"{location} is outside {base}, the only folder files may be read from "
            f"({CONFINE_ENV} is on)"
        )
    return location


def decoded(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


class FileOperator(Operator):
    name = "file"
    io_bound: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        count = len(call.args)
        if count not in (1, 2):
            raise GraftError("file operator requires one or two string arguments")
        values = [ctx.evaluate(arg) for arg in call.args]  # the first failure is reported
        if None in values:
            raise GraftError(
                "file operator argument resolved to nil"
                if count == 1
                else "file operator arguments cannot be nil"
            )
        parts = [sprint(v) for v in values]  # Go's %v, lists and maps included
        fname = parts[0] if count == 1 else go_join(*parts)
        base = ctx.env(BASE_PATH_ENV)
        if base and not fname.startswith("/"):  # without a base path, the name as written
            fname = go_join(base, fname)
        confined(fname, ctx)
        try:
            raw = reading.read_file(fname or "\0", reading.limits(ctx.settings.env))
        except reading.ReadError as exc:  # "" is not a file, as in Go
            raise GraftError(reading.describe(exc, fname)) from None
        return Response(decoded(raw))
