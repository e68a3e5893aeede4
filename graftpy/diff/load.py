"""Reading the two inputs of ``graftpy diff`` the way graft's diff does.

A location is ``-`` (standard input), a file, or an http(s) URL. Its text is
tried as TOML first, then as JSON when it starts with ``{`` or ``[``, else as a
stream of YAML documents; every document becomes a :class:`Node` tree.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from typing import Any

from graftpy.diff import nodes as n
from graftpy.errors import GraftError


class DiffError(GraftError):
    """A diff input that cannot be read or compared; printed as graft prints it."""


@dataclass
class InputFile:
    location: str
    documents: list[n.Node]
    names: list[str] = field(default_factory=list)


def load_file(location: str) -> InputFile:
    text = _read(location)
    if text is None:  # graft reads a directory as a file without any document
        return InputFile(location, [])
    try:
        documents = load_documents(text)
    except DiffError as exc:
        where = _human_location(location)
        raise DiffError(f"unable to parse data from {where}: {exc.message}") from None
    return InputFile(location, documents)


def _read(location: str) -> str | None:
    from graftpy import reading

    bounds = reading.limits(os.environ)
    try:
        if location.strip() == "-":
            data = reading.read_stdin(bounds)
        elif os.path.exists(location):
            data = reading.read_file(location, bounds)
        elif _is_request_uri(location):
            return _fetch(location, bounds)
        else:
            cause = (
                f"unable to get any content using location {location}: "
                "it is not a file or usable URI"
            )
            raise DiffError(f"unable to load data from {location}: {cause}")
    except reading.ReadError as exc:
        if exc.errno == errno.EISDIR:
            return None
        where = _human_location(location)
        name = "/dev/stdin" if location.strip() == "-" else location
        raise DiffError(f"unable to load data from {where}: {reading.describe(exc, name)}") from None
    return data.decode("utf-8", errors="replace")


def _human_location(location: str) -> str:
    if location.strip() == "-":
        return "stdin"
    if os.path.exists(location):
        return os.path.abspath(location)
    return location


def _is_request_uri(location: str) -> bool:
    """Go's ``url.ParseRequestURI``: an absolute path or an absolute URI."""
    if location.startswith("/"):
        return True
    scheme, sep, _ = location.partition(":")
    return bool(
        sep and scheme and scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)
    )


def _fetch(location: str, bounds: Any) -> str:
    from graftpy import http_fetch

    where = _human_location(location)
    scheme = location.partition(":")[0] if ":" in location and not location.startswith("/") else ""
    if scheme.lower() not in ("http", "https"):
        cause = f'Get "{location}": unsupported protocol scheme "{scheme}"'
        raise DiffError(f"unable to load data from {where}: {cause}")
    try:
        status, body = http_fetch.get(location, timeout=bounds.timeout, max_bytes=bounds.max_bytes)
    except http_fetch.FetchError as exc:
        raise DiffError(f'unable to load data from {where}: Get "{location}": {exc.reason}') from None
    text = body.decode("utf-8", errors="replace")
    if not 200 <= status < 300:
        cause = f"failed to retrieve data from location {location}: {text}"
        raise DiffError(f"unable to load data from {where}: {cause}")
    return text


def load_documents(text: str) -> list[n.Node]:
    """All documents of ``text``: TOML, else JSON (``{``/``[`` first), else YAML."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        pass
    else:
        return [n.Node(n.DOCUMENT, content=[from_data(data)])]
    if text[:1] in ("{", "["):
        return _load_json(text)
    return load_yaml(text)


def _load_json(text: str) -> list[n.Node]:
    import json

    decoder = json.JSONDecoder()
    docs: list[n.Node] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return docs
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise DiffError(exc.msg.lower()) from None
        docs.append(n.Node(n.DOCUMENT, content=[from_data(value)]))


def from_data(value: Any) -> n.Node:
    """A node for decoded TOML/JSON data, as go-yaml v3 would marshal it (sorted keys)."""
    import datetime

    if isinstance(value, dict):
        node = n.Node(n.MAPPING, n.MAP)
        for key in sorted(value, key=str):
            node.content += [n.scalar(str(key)), from_data(value[key])]
        return node
    if isinstance(value, list):
        return n.Node(n.SEQUENCE, n.SEQ, content=[from_data(v) for v in value])
    if value is None:
        return n.scalar("null", n.NULL)
    if isinstance(value, bool):
        return n.scalar("true" if value else "false", n.BOOL)
    if isinstance(value, int):
        return n.scalar(str(value), n.INT)
    if isinstance(value, float):
        text = _go_float(value)
        return n.scalar(text, n.resolve_plain(text))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return n.scalar(value.isoformat(), n.TIMESTAMP)
    text = str(value)
    return n.scalar(text, n.STR)


def _go_float(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)`` as go-yaml v3 writes floats."""
    import math

    from graftpy.gofmt import layout_float, shortest_digits

    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    digits, exp = shortest_digits(f)
    # the shortest format switches to %e at precision 6
    return layout_float(f < 0, digits, exp, exp < -4 or exp >= 6, 2)


def load_yaml(text: str) -> list[n.Node]:
    """Compose YAML documents into nodes with go-yaml v3's tags and raw values."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from graftpy.yamlio.cparser import events_module
    from graftpy.yamlio.errors import YAMLSyntaxError
    from graftpy.yamlio.events import parse_events
    from graftpy.yamlio.loader import check_flow_depth

    try:
        check_flow_depth(text, "")  # the parser is quadratic in the depth: refuse first
    except YAMLSyntaxError as exc:
        raise DiffError(f"yaml: line {exc.line}: {exc.problem}") from None

    def build(get_event: Any) -> list[n.Node]:
        builder = _Builder(events_module())  # afresh: a text may be read twice (yamlio.events)
        while builder.feed(get_event()):
            pass
        return builder.documents

    try:
        return parse_events(text, build)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise DiffError(f"yaml: {line}{exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise DiffError(f"yaml: {exc}") from None


class _Builder:
    """Turns parser events into :class:`Node` trees."""

    def __init__(self, events: Any) -> None:
        from graftpy.yamlio.anchors import AliasBudget

        self.documents: list[n.Node] = []
        self.stack: list[n.Node] = []
        self.anchors: dict[str, n.Node] = {}
        # how many nodes each open collection and each anchor stands for, aliases expanded:
        # an alias bomb is refused as merge refuses it (go-yaml's budget), before any
        # comparison walks its billion nodes
        self.sizes: list[int] = []
        self.anchor_sizes: dict[str, int] = {}
        self.budget = AliasBudget("")
        self.handlers = {
            events.ScalarEvent: self._scalar,
            events.MappingStartEvent: self._collection,
            events.SequenceStartEvent: self._collection,
            events.MappingEndEvent: self._end,
            events.SequenceEndEvent: self._end,
            events.AliasEvent: self._alias,
            events.DocumentStartEvent: self._document,
            events.DocumentEndEvent: self._document_end,
        }
        self.mapping_start = events.MappingStartEvent

    def feed(self, event: Any) -> bool:
        """Handle one event; False at the end of the stream."""
        handler = self.handlers.get(type(event))
        if handler is None:
            return type(event).__name__ != "StreamEndEvent"
        handler(event)
        return True

    def _add(self, node: n.Node, event: Any, size: int = 1) -> None:
        mark = event.start_mark
        if mark is not None:
            node.line = mark.line + 1
        anchor = getattr(event, "anchor", None)
        if anchor and node.kind != n.ALIAS:
            node.anchor = anchor
            self.anchors[anchor] = node
            if node.kind == n.SCALAR:
                self.anchor_sizes[anchor] = 1
        self.stack[-1].content.append(node)
        if node.kind == n.ALIAS:
            self._count(size, aliased=True)
        elif node.kind == n.SCALAR:
            self._count(1)
        if self.sizes:
            self.sizes[-1] += size

    def _count(self, size: int, aliased: bool = False) -> None:
        from graftpy.yamlio.errors import YAMLSyntaxError

        try:
            if aliased:
                self.budget.count(size)
            else:
                self.budget.decoded += size
        except YAMLSyntaxError:
            raise DiffError("yaml: document contains excessive aliasing") from None

    def _document(self, event: Any) -> None:
        self.stack = [n.Node(n.DOCUMENT)]
        self.anchors = {}
        self.anchor_sizes = {}
        self.sizes = []
        self.budget = type(self.budget)("")  # go-yaml counts per document

    def _document_end(self, event: Any) -> None:
        self.documents.append(self.stack.pop())

    def _collection(self, event: Any) -> None:
        mapping = type(event) is self.mapping_start
        tag = _explicit(event.tag) or (n.MAP if mapping else n.SEQ)
        node = n.Node(n.MAPPING if mapping else n.SEQUENCE, tag)
        self._add(node, event, size=0)  # its size is known at its end
        self._count(1)
        self.stack.append(node)
        self.sizes.append(1)

    def _end(self, event: Any) -> None:
        node = self.stack.pop()
        size = self.sizes.pop()
        if node.anchor:
            self.anchor_sizes[node.anchor] = size
        if self.sizes:
            self.sizes[-1] += size

    def _scalar(self, event: Any) -> None:
        value = event.value
        tag = _explicit(event.tag)
        if not tag:
            if event.style:
                tag = n.STR
            elif value == "<<":
                tag = n.MERGE
            else:
                tag = n.resolve_plain(value)
        self._add(n.Node(n.SCALAR, tag, value), event)

    def _alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise DiffError(f"yaml: unknown anchor '{event.anchor}' referenced")
        size = self.anchor_sizes.get(event.anchor, 1)
        self._add(n.Node(n.ALIAS, value=event.anchor, target=target), event, size=size)


def _explicit(tag: str | None) -> str:
    if not tag or tag == "!":
        return ""
    return n.short_tag(tag)
