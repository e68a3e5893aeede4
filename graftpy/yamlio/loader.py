"""YAML text to plain Python data, the way graft (go-yaml v2.4.0) reads it.

libyaml's C parser (through ruamel.yaml.clib) produces the events; this module
composes them into dicts, lists and scalars in one pass, resolving scalars with
go-yaml's rules (``resolve``), expanding aliases into fresh copies and applying
``<<`` merge keys as go-yaml v2 does (merged keys override earlier keys; later
keys override merged ones; in a list of maps, earlier maps win).

Like ``yaml.Unmarshal`` only the first document of a text is read; graft's
``-m`` splits the raw text on ``"\\n---\\n"`` first (``split_documents``).
"""

from __future__ import annotations

import os
from typing import Any

from graftpy.yamlio.errors import YAMLSyntaxError
from graftpy.yamlio.resolve import MERGE, ResolveError, resolve_plain, resolve_tagged

_NOKEY = object()  # the mapping frame waits for a key
_MERGEKEY = object()  # the pending key is a "<<" merge key
NO_DOCUMENT = object()  # the text holds no document at all (empty or comments only)

_events: Any = None


def _event_module() -> Any:
    """Import the C parser lazily: it costs tens of milliseconds."""
    global _events
    if _events is None:
        import _ruamel_yaml  # noqa: F401  (the C extension of ruamel.yaml.clib)
        from ruamel.yaml import events

        _events = events
    return _events


def split_documents(text: str) -> list[str]:
    """graft's ``-m`` split: raw ``"\\n---\\n"`` separators; a leading empty part is dropped."""
    parts = text.split("\n---\n")
    if parts[0] == "":
        parts = parts[1:]
    return parts


def parse_first_document(text: str | bytes, source: str, *, legacy: bool = False) -> Any:
    """The root value of the first document of ``text``, or ``NO_DOCUMENT``.

    ``legacy`` selects the 2016 go-yaml scalar rules (``graft json``).
    Raises ``YAMLSyntaxError`` naming ``source``, the line and the column.
    """
    ev_mod = _event_module()
    import _ruamel_yaml
    from ruamel.yaml.error import YAMLError

    check_flow_depth(text, source)
    try:
        parser = _ruamel_yaml.CParser(text)
    except UnicodeEncodeError as exc:  # lone surrogates: not UTF-8 text
        raise YAMLSyntaxError(source, f"invalid UTF-8 text: {exc.reason}") from None
    try:
        return _compose(parser.get_event, ev_mod, source, legacy)
    except YAMLError as exc:
        raise _syntax_error(exc, text, source) from None
    except RecursionError:
        raise YAMLSyntaxError(source, "exceeded max depth of nested aliases") from None
    finally:
        parser.dispose()


MAX_FLOW_DEPTH = 10_000  # go-yaml's bound on nested flow collections ([[[...]]])


def check_flow_depth(text: str | bytes, source: str) -> None:
    """Refuse flow collections nested deeper than go-yaml allows, before parsing.

    The C parser takes time quadratic in the depth (70 s for 100,000 ``[``): graft's
    parser refuses past 10,000 levels, and so does this scan, in linear time. It
    counts brackets without telling those inside quoted strings apart, so it can only
    over-count for a document with 10,000 unclosed brackets inside strings.
    """
    opens = "[{" if isinstance(text, str) else b"[{"
    if text.count(opens[0]) + text.count(opens[1]) <= MAX_FLOW_DEPTH:
        return  # the common case: one pass in C per bracket kind
    import re

    pattern = re.compile(r"[\[\]{}]" if isinstance(text, str) else rb"[\[\]{}]")
    depth = 0
    for match in pattern.finditer(text):
        if match.group() in ("[", "{", b"[", b"{"):
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                start = match.start()
                newline = "\n" if isinstance(text, str) else b"\n"
                line = text.count(newline, 0, start) + 1
                column = start - (text.rfind(newline, 0, start) + 1) + 1
                raise YAMLSyntaxError(
                    source,
                    f"exceeded max depth of {MAX_FLOW_DEPTH}",
                    line=line,
                    column=column,
                )
        elif depth:
            depth -= 1


def _syntax_error(exc: Any, text: str | bytes, source: str) -> YAMLSyntaxError:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        problem = exc.problem or "unknown problem parsing YAML content"
        # go-yaml names the problem's 0-based line, else the context's, else none
        context = getattr(exc, "context_mark", None)
        go_line = mark.line or (context.line if context is not None else 0)
        go_text = f"line {go_line}: {problem}" if go_line else problem
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return YAMLSyntaxError(
            source, problem, line=mark.line + 1, column=mark.column + 1, go_text=go_text
        )
    position = getattr(exc, "position", None)
    if position is not None:  # a ReaderError: bad character or encoding
        before = text[:position]
        nl = b"\n" if isinstance(before, bytes) else "\n"
        line = before.count(nl) + 1
        column = position - (before.rfind(nl) + 1) + 1
        return YAMLSyntaxError(source, exc.reason, line=line, column=column)
    return YAMLSyntaxError(source, str(exc))


def _compose(get: Any, ev: Any, source: str, legacy: bool) -> Any:
    scalar_cls, alias_cls = ev.ScalarEvent, ev.AliasEvent
    map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end = ev.MappingEndEvent, ev.SequenceEndEvent
    get()  # StreamStartEvent
    if get().__class__ is ev.StreamEndEvent:
        return NO_DOCUMENT
    anchors: dict[str, Any] = {}
    open_anchors: set[int] = set()  # containers whose anchor is still being built
    aliasing = _AliasBudget(source)
    stack: list[list[Any]] = []  # [container, pending key (maps only), anchor]
    append = stack.append
    pop = stack.pop
    while True:
        e = get()
        cls = e.__class__
        if cls is scalar_cls:
            aliasing.decoded += 1
            tag = e.ctag
            if tag is None:
                text = e.value
                if e.implicit[0]:
                    if (
                        text == "<<"
                        and stack
                        and stack[-1][1] is _NOKEY
                        and stack[-1][0].__class__ is dict
                    ):
                        stack[-1][1] = _MERGEKEY
                        continue
                    value = resolve_plain(text, legacy)
                else:
                    value = text
            else:
                value = _tagged(e, tag, stack, source, legacy)
                if value is _MERGEKEY:
                    stack[-1][1] = _MERGEKEY
                    continue
            if e.anchor is not None:
                anchors[e.anchor] = value
        elif cls is map_start or cls is seq_start:
            aliasing.decoded += 1
            container: Any = {} if cls is map_start else []
            if e.anchor is not None:
                anchors[e.anchor] = container
                open_anchors.add(id(container))
            append([container, _NOKEY])
            continue
        elif cls is map_end or cls is seq_end:
            frame = pop()
            value = frame[0]
            open_anchors.discard(id(value))
        elif cls is alias_cls:
            value = _alias(e, anchors, open_anchors, aliasing, source)
        else:  # DocumentEndEvent after an empty root cannot happen: libyaml gives a null scalar
            raise YAMLSyntaxError(source, f"unexpected {cls.__name__}")
        if not stack:
            get()  # DocumentEndEvent: go-yaml reads it too (it can fail)
            return value
        frame = stack[-1]
        container = frame[0]
        if container.__class__ is list:
            container.append(value)
            continue
        key = frame[1]
        if key is _NOKEY:
            if value.__class__ is dict or value.__class__ is list:
                raise YAMLSyntaxError(source, f"invalid map key: {_go_repr(value)}", **_where(e))
            frame[1] = value
        elif key is _MERGEKEY:
            _merge(container, value, source, e, cls is alias_cls)
            frame[1] = _NOKEY
        else:
            container[key] = value
            frame[1] = _NOKEY


def _tagged(e: Any, tag: str, stack: list[list[Any]], source: str, legacy: bool) -> Any:
    text = e.value
    if (
        text == "<<"
        and (e.implicit[0] or tag == MERGE)
        and stack
        and stack[-1][1] is _NOKEY
        and stack[-1][0].__class__ is dict
    ):
        return _MERGEKEY
    if tag == "!":
        return text  # the non-specific tag forces a string
    try:
        return resolve_tagged(tag, text, legacy)
    except ResolveError as exc:
        raise YAMLSyntaxError(source, str(exc), **_where(e)) from None


def _where(e: Any) -> dict[str, int]:
    mark = e.start_mark
    return {"line": mark.line + 1, "column": mark.column + 1} if mark is not None else {}


def _merge(target: dict, value: Any, source: str, e: Any, from_alias: bool) -> None:
    """go-yaml v2's ``<<``: a map (or alias of one), or an inline list of maps
    where earlier maps win."""
    if value.__class__ is dict:
        target.update(value)
        return
    if value.__class__ is list and not from_alias and all(item.__class__ is dict for item in value):
        for item in reversed(value):
            target.update(item)
        return
    raise YAMLSyntaxError(
        source, "map merge requires map or sequence of maps as the value", **_where(e)
    )


class _AliasBudget:
    """go-yaml's guard against alias bombs ("document contains excessive aliasing")."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.decoded = 0
        self.aliased = 0

    def count(self, n: int) -> None:
        self.decoded += n
        self.aliased += n
        d, a = self.decoded, self.aliased
        if a > 100 and d > 1000:
            if d <= 400_000:
                allowed = 0.99
            elif d >= 4_000_000:
                allowed = 0.10
            else:
                allowed = 0.99 - 0.89 * ((d - 400_000) / 3_600_000)
            if a / d > allowed:
                raise YAMLSyntaxError(self.source, "document contains excessive aliasing")


def _alias(
    e: Any, anchors: dict[str, Any], open_anchors: set[int], budget: _AliasBudget, source: str
) -> Any:
    name = e.anchor
    if name not in anchors:
        raise YAMLSyntaxError(source, f"unknown anchor '{name}' referenced", **_where(e))
    target = anchors[name]
    if id(target) in open_anchors:
        raise YAMLSyntaxError(source, f"anchor '{name}' value contains itself", **_where(e))
    if target.__class__ is not dict and target.__class__ is not list:
        budget.count(1)
        return target
    return _copy(target, budget)


def _copy(value: Any, budget: _AliasBudget) -> Any:
    """A fresh deep copy: go-yaml decodes an alias again each time it is used."""
    budget.count(1)
    if value.__class__ is dict:
        return {k: _copy(v, budget) for k, v in value.items()}
    if value.__class__ is list:
        return [_copy(v, budget) for v in value]
    return value


def _go_repr(value: Any) -> str:
    """Roughly Go's ``%#v`` of a decoded key, for the "invalid map key" message."""
    if isinstance(value, dict):
        return "map[interface {}]interface {}{...}"
    return "[]interface {}{...}"


def read_source(path: str) -> tuple[bytes, str]:
    """The bytes of ``path`` (``-`` is STDIN) and the name graft's merge gives it in errors.

    Read within the limits the environment sets (``graftpy.reading``).
    """
    from graftpy import reading

    data = reading.read_input(path, reading.limits(os.environ))
    return data, "STDIN" if path == "-" else path


def _go_errno_text(exc: OSError) -> str:
    """Go prints syscall errors as the lower-cased C library text."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def decode_text(data: bytes, source: str) -> str | bytes:
    """What the C parser gets: UTF-8 stays bytes (fast path); UTF-16 with a BOM is decoded."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise YAMLSyntaxError(source, f"invalid UTF-16 data: {exc.reason}") from None
    return data
