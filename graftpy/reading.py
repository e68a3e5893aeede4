"""Reading input files within bounds: size, waiting time, and what a file may be.

Every file graftpy reads on a user's behalf (the files to merge, ``json`` and
``diff`` inputs, ``(( file ))``, ``(( load ))``) goes through ``read_file``:

* at most ``GRAFT_MAX_READ_BYTES`` bytes (default 64 MiB; a large BOSH manifest
  is a few MiB): a regular file that is larger fails before anything is read,
  a device or pipe (``/dev/zero``, an endless generator) once it has sent that
  much, so memory stays bounded;
* a pipe, FIFO or device that sends nothing for ``GRAFT_READ_TIMEOUT`` seconds
  (default 30) fails instead of waiting forever: a FIFO no writer ever opens,
  a terminal given as a file name. Standard input (``-``) is not timed: a slow
  generator piped in is the user's choice;
* a directory fails as Go's read does (``read adir: is a directory``).

Failures are ``ReadError`` (an ``OSError``) whose ``op`` says which call failed
(``open`` or ``read``), so each caller can print graft's text for it:
``f"{exc.op} {path}: {go_text(exc)}"``.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

from graftpy.errors import UsageError

MAX_BYTES_ENV = "GRAFT_MAX_READ_BYTES"
TIMEOUT_ENV = "GRAFT_READ_TIMEOUT"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
_CHUNK = 1 << 20


class ReadLimits(NamedTuple):
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT  # None: wait as long as it takes (stdin)


DEFAULT_LIMITS = ReadLimits()


class ReadError(OSError):
    """A file could not be read; ``op`` is "open" or "read" (as Go's ``*PathError``)."""

    def __init__(self, code: int, text: str, op: str) -> None:
        super().__init__(code, text)
        self.op = op


def limits(env: Mapping[str, str]) -> ReadLimits:
    """The read limits a run's environment sets (a bad value is a ``UsageError``)."""
    return ReadLimits(int(_positive(env, MAX_BYTES_ENV, DEFAULT_MAX_BYTES, int)), _timeout(env))


def go_text(exc: OSError) -> str:
    """Go prints a syscall error as the C library's text, lower-cased first letter."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def read_file(path: str, bounds: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``path``, within ``bounds``; ``ReadError`` otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)  # a FIFO: do not wait
    except ValueError:  # a NUL in the name: no such file, as in Go
        raise ReadError(errno.ENOENT, os.strerror(errno.ENOENT), "open") from None
    except OSError as exc:
        raise ReadError(exc.errno or errno.EIO, exc.strerror or str(exc), "open") from None
    try:
        return read_fd(fd, bounds)
    finally:
        os.close(fd)


def read_fd(fd: int, bounds: ReadLimits) -> bytes:
    """Everything ``fd`` holds (a file, pipe or device), within ``bounds``."""
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError(errno.EISDIR, os.strerror(errno.EISDIR), "read")
        if stat.S_ISREG(mode):
            return _read_regular(fd, bounds.max_bytes)
        return _read_stream(fd, bounds)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(exc.errno or errno.EIO, exc.strerror or str(exc), "read") from None


def _read_regular(fd: int, max_bytes: int) -> bytes:
    if os.fstat(fd).st_size > max_bytes:
        raise _too_large(max_bytes)
    if not os.get_blocking(fd):
        os.set_blocking(fd, True)
    chunks = []
    total = 0
    while True:
        chunk = os.read(fd, max(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:  # it grew while we read it
            raise _too_large(max_bytes)
        chunks.append(chunk)


def read_stdin(bounds: ReadLimits) -> bytes:
    """All of standard input, at most ``bounds.max_bytes``, however long it takes."""
    import sys

    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):  # no real stdin (a library caller, tests)
        return sys.stdin.buffer.read() if sys.stdin is not None else b""
    return read_fd(fd, bounds._replace(timeout=None))


NO_STDIN = (
    "Error reading STDIN: no data found. Did you forget to pipe data to STDIN, "
    "or specify yaml files to merge?"
)


def read_input(path: str, bounds: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """A file to merge (``-``: standard input), failing with graft's text.

    graft ends a failed read (not a failed open) with a blank line; so do we.
    Empty standard input is graft's "no data found" error.
    """
    from graftpy.yamlio.errors import InputReadError

    if path == "-":
        try:
            data = read_stdin(bounds)
        except OSError as exc:
            text = f"Error reading file STDIN: read /dev/stdin: {go_text(exc)}\n"
            raise InputReadError(text) from None
        if not data:
            raise InputReadError(NO_STDIN)
        return data
    try:
        return read_file(path, bounds)
    except ReadError as exc:
        blank = "\n" if exc.op == "read" else ""
        raise InputReadError(f"Error reading file {path}: {describe(exc, path)}{blank}") from None


def describe(exc: ReadError, path: str) -> str:
    """Go's ``*PathError`` text: ``open x.yml: no such file or directory``."""
    return f"{exc.op} {path}: {go_text(exc)}"


def _read_stream(fd: int, bounds: ReadLimits) -> bytes:
    """A pipe, FIFO or device: wait at most ``timeout`` for each chunk."""
    if bounds.timeout is None:  # stdin: blocking reads (its flags are shared with the shell)
        return _read_blocking(fd, bounds.max_bytes)
    os.set_blocking(fd, False)
    buf = bytearray()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    wait_ms = None if bounds.timeout is None else int(bounds.timeout * 1000)
    while True:
        started = time.monotonic()
        if not poller.poll(wait_ms):
            raise ReadError(
                errno.ETIMEDOUT,
                f"nothing to read for {time.monotonic() - started:.0f}s "
                f"(set {TIMEOUT_ENV} to wait longer)",
                "read",
            )
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:
            continue
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > bounds.max_bytes:
            raise _too_large(bounds.max_bytes)


def _read_blocking(fd: int, max_bytes: int) -> bytes:
    buf = bytearray()
    while True:
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > max_bytes:
            raise _too_large(max_bytes)


def _too_large(max_bytes: int) -> ReadError:
    return ReadError(
        errno.EFBIG,
        f"larger than {max_bytes} bytes (set {MAX_BYTES_ENV} to read more)",
        "read",
    )


def _positive(env: Mapping[str, str], name: str, default: float, kind: type) -> Any:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        what = "a whole number of bytes" if kind is int else "a number of seconds"
        raise UsageError(f"{name} must be {what} above 0, not '{raw}'")
    return value


def _timeout(env: Mapping[str, str]) -> float:
    return float(_positive(env, TIMEOUT_ENV, DEFAULT_TIMEOUT, float))
