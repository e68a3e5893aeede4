"""(( load LOCATION )): a YAML/JSON document from a file or an http(s) URL.

A LOCATION with a URI scheme is fetched (only ``http`` and ``https``, as Go's
HTTP client); anything else is a file name, relative to
``$GRAFT_FILE_BASE_PATH``. The document's root must be a map or a list; it
replaces the call as is (operators inside it are not evaluated).

``$GRAFT_LOAD_TIMEOUT`` (seconds, default 30) bounds each HTTP request as a
whole, headers and body (a server trickling bytes cannot stretch it); graft
itself waits forever. Bodies and files are read within ``graftpy.reading``'s
limits (``GRAFT_MAX_READ_BYTES``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators.base import Operator, Response
from graftpy.operators.file import BASE_PATH_ENV, confined, resolve_location

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

TIMEOUT_ENV = "GRAFT_LOAD_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
EARLY_LOADS = "early_loads"  # RunState.extra: the fetches started ahead, by URL
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _timeout(ctx: EvalContext) -> float:
    return timeout_from(ctx.settings.env)


def timeout_from(env: Mapping[str, str]) -> float:
    """Seconds one HTTP load may take (``$GRAFT_LOAD_TIMEOUT``)."""
    try:
        value = float(env.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    except ValueError:
        raise GraftError(f"${TIMEOUT_ENV} must be a number of seconds") from None
    return value if value > 0 else DEFAULT_TIMEOUT


def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """GET ``url``; only a 200 answer counts, as in graft."""
    from graftpy import http_fetch

    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise GraftError(f'Get "{url}": unsupported protocol scheme "{scheme}"')
    try:
        status, body = http_fetch.get(url, timeout=timeout, max_bytes=max_bytes)
    except http_fetch.FetchError as exc:
        raise GraftError(f'Get "{url}": {exc.reason}') from None
    if status != 200:
        text = body.decode("utf-8", errors="replace")
        raise GraftError(f"failed to retrieve data from location {url}: {text}")
    return body


def is_uri(location: str) -> bool:
    """url.ParseRequestURI accepts it and it has a scheme."""
    if not _SCHEME.match(location):
        return False
    from urllib.parse import urlsplit

    try:
        urlsplit(location)
    except ValueError:
        return False
    return True


def get_bytes(location: str, ctx: EvalContext) -> bytes:
    from graftpy import reading

    bounds = reading.limits(ctx.settings.env)
    if is_uri(location):
        early = ctx.state.extra.get(EARLY_LOADS)  # graftpy.evaluator.early_io
        started = None if early is None else early.take(location)
        if started is not None:  # this call's fetch, started after the scan
            return started.result()  # its body, or the GraftError fetch raised
        return fetch(location, _timeout(ctx), bounds.max_bytes)
    location = resolve_location(location, ctx.env(BASE_PATH_ENV))
    confined(location, ctx)
    if not location or not os.path.exists(location):
        raise GraftError(
            f"unable to get any content using location {location}: it is not a file or usable URI"
        )
    try:
        return reading.read_file(location, bounds)
    except reading.ReadError as exc:
        raise GraftError(reading.describe(exc, location)) from None


def parse_root(data: bytes, location: str) -> Any:
    """The first document of ``data``, as the 2016 go-yaml fork reads it (YAML 1.1 booleans).

    Only map and list roots are accepted: unlike an input file, an empty or
    comment-only document is an error here, as in graft.
    """
    from graftpy.yamlio import YAMLSyntaxError
    from graftpy.yamlio.loader import decode_text, parse_first_document
    from graftpy.yamlio.resolve import LEGACY

    try:
        root = parse_first_document(decode_text(data, location), location, schema=LEGACY)
    except YAMLSyntaxError as exc:  # go-yaml's words, as graft passes them on
        raise GraftError(f"unmarshal []byte to yaml failed: yaml: {exc.go_text}") from None
    if isinstance(root, dict | list):
        return root
    raise GraftError(
        "unsupported root type in loaded content, only map or list roots are supported"
    )


class LoadOperator(Operator):
    name = "load"
    io_bound: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError(
                "load operator requires exactly one literal string or reference argument"
            )
        value = ctx.evaluate(call.args[0])
        if value is None:
            raise GraftError("load operator argument cannot be nil")
        if isinstance(value, dict):
            raise GraftError("load operator argument is a map; only string scalars are supported")
        if isinstance(value, list):
            raise GraftError("load operator argument is a list; only string scalars are supported")
        location = sprint(value)
        return Response(parse_root(get_bytes(location, ctx), location))
