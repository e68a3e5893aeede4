"""Writing results: stdout, or a file replaced atomically (never half-written)."""

from __future__ import annotations

import contextlib
import os
import sys


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file + rename in the same directory."""
    directory = os.path.dirname(os.path.abspath(path))
    import tempfile  # only runs that write a file need it

    fd, tmp = tempfile.mkstemp(prefix=".graftpy-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def emit(text: str, output: str | None) -> None:
    if output:
        write_atomically(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
