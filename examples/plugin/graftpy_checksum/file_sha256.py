"""(( file-sha256 PATH )): the SHA-256 hex digest of a file's bytes.

It reads the disk, so it says ``io_bound``: the adaptive strategy gives calls that
wait on I/O threads of their own. A relative PATH is taken from
``GRAFT_FILE_BASE_PATH`` (``--file-base-path``), as ``(( file ))`` does.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from graftpy.errors import GraftError
from graftpy.operators.base import Operator, Response


class FileSha256Operator(Operator):
    name = "file-sha256"
    io_bound = True

    def run(self, call: Any, ctx: Any) -> Response:
        if len(call.args) != 1:
            raise GraftError("file-sha256 operator requires exactly one argument")
        path = ctx.evaluate(call.args[0])
        if not isinstance(path, str):
            raise GraftError(f"file-sha256 operator needs a file name, not {path!r}")
        base = ctx.env("GRAFT_FILE_BASE_PATH")
        if base and not os.path.isabs(path):
            path = os.path.join(base, path)
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 16), b""):
                    digest.update(block)
        except OSError as exc:
            raise GraftError(f"file-sha256: cannot read {path}: {exc.strerror}") from None
        return Response(digest.hexdigest())
