"""YAML text to plain Python data, the way graft's YAML libraries read it.

libyaml's C parser (through ruamel.yaml.clib) produces the events; this module
composes them into dicts, lists and scalars in one pass, resolving scalars by a
``schema`` of ``resolve`` (graft's input files, ``(( load ))``/go-patch files,
``graft json``), expanding aliases into fresh copies (``anchors``) and applying
``<<`` merge keys (``mergekeys``).

For graft's input files (``GRAFT``) it also turns string values spelled
``yes``/``no``/``on``/``off`` into booleans, as graft does after decoding, and
reports a key given twice in one map: graft rejects such a document; we keep
the last value and warn (DIVERGENCES row 17).

Like ``yaml.Unmarshal`` only the first document of a text is read; graft's
``-m`` splits the raw text on ``"\\n---\\n"`` first (``split_documents``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from graftpy.yamlio.anchors import AliasBudget, alias_copy
from graftpy.yamlio.errors import YAMLSyntaxError, event_position
from graftpy.yamlio.events import parse_events
from graftpy.yamlio.mergekeys import add_merged, check_merge_value, merge_v2
from graftpy.yamlio.resolve import (
    GRAFT,
    MERGE,
    VALUE_BOOLS,
    ResolveError,
    resolve_plain,
    resolve_tagged,
)
from graftpy.yamlio.typedkeys import typed_key

Warn = Callable[[str], None]

_NOKEY = object()  # the mapping frame waits for a key
_MERGEKEY = object()  # the pending key is a "<<" merge key
NO_DOCUMENT = object()  # the text holds no document at all (empty or comments only)

def _event_module() -> Any:
    """Import the C parser lazily: it costs tens of milliseconds (``cparser``)."""
    from graftpy.yamlio.cparser import events_module

    return events_module()


def split_documents(text: str) -> list[str]:
    """graft's ``-m`` split: raw ``"\\n---\\n"`` separators; a leading empty part is dropped."""
    parts = text.split("\n---\n")
    if parts[0] == "":
        parts = parts[1:]
    return parts


def write_warning(line: str) -> None:
    sys.stderr.write(line + "\n")


def parse_first_document(
    text: str | bytes,
    source: str,
    *,
    schema: str = GRAFT,
    warn: Warn = write_warning,
    lines: Any = None,
) -> Any:
    """The root value of the first document of ``text``, or ``NO_DOCUMENT``.

    ``schema`` is one of ``resolve``'s: ``GRAFT`` (input files) or ``LEGACY``
    (``(( load ))`` and go-patch files, ``graft json``).
    ``warn`` receives the warnings (duplicate keys), one line each.
    ``lines``: a ``graftpy.yamlio.positions.Lines`` to note the document's lines in
    (what ``line_table`` would find), or None: none noted, at no cost.
    Raises ``YAMLSyntaxError`` naming ``source``, the line and the column.
    """
    ev_mod = _event_module()
    from ruamel.yaml.error import YAMLError

    check_flow_depth(text, source)
    warnings: list[str] = []  # held back: a text may be composed twice (events.py)

    def compose(get_event: Callable[[], Any]) -> Any:
        warnings.clear()
        recorder = None
        if lines is not None:
            from graftpy.yamlio.positions import LineRecorder

            lines.clear()
            recorder = LineRecorder(lines)
        return _compose(get_event, ev_mod, source, schema, warnings.append, recorder)

    try:
        root = parse_events(text, compose)
    except UnicodeEncodeError as exc:  # lone surrogates: not UTF-8 text
        raise YAMLSyntaxError(source, f"invalid UTF-8 text: {exc.reason}") from None
    except YAMLError as exc:
        raise _syntax_error(exc, text, source) from None
    except RecursionError:
        raise YAMLSyntaxError(source, "exceeded max depth of nested aliases") from None
    finally:
        for line in warnings:
            warn(line)
    return root


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


def _compose(get: Any, ev: Any, source: str, schema: str, warn: Warn, rec: Any = None) -> Any:
    """The document's root; ``rec``: a ``positions.LineRecorder`` to tell what is where."""
    scalar_cls, alias_cls = ev.ScalarEvent, ev.AliasEvent
    map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end = ev.MappingEndEvent, ev.SequenceEndEvent
    get()  # StreamStartEvent
    first = get()
    if rec is not None:
        rec.document(first)
    if first.__class__ is ev.StreamEndEvent:
        return NO_DOCUMENT
    graft = schema == GRAFT  # values spelled yes/no/on/off become booleans; v3 merges
    anchors: dict[str, Any] = {}
    open_anchors: set[int] = set()  # containers whose anchor is still being built
    aliasing = AliasBudget(source)
    # [container, pending key, pending "<<" value, texts of non-string keys, a key is
    # no string, yes/no/on/off values turned booleans below] (keys: maps only)
    stack: list[list[Any]] = []
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
                        _merge_key(stack[-1], e, graft, source, warn, rec)
                        continue
                    value = resolve_plain(text, schema)
                else:
                    value = text
            else:
                value = _tagged(e, tag, stack, source, schema)
                if value is _MERGEKEY:
                    _merge_key(stack[-1], e, graft, source, warn, rec)
                    continue
            if e.anchor is not None:
                anchors[e.anchor] = value
        elif cls is map_start or cls is seq_start:
            aliasing.decoded += 1
            container: Any = {} if cls is map_start else []
            if e.anchor is not None:
                anchors[e.anchor] = container
                open_anchors.add(id(container))
            if rec is not None:
                rec.opened(container, e)
            append([container, _NOKEY, _NOKEY, None, False, None])
            continue
        elif cls is map_end or cls is seq_end:
            frame = pop()
            value = frame[0]
            if frame[2] is not _NOKEY:
                add_merged(value, frame[2])
            if rec is not None:
                rec.closed(value)
            open_anchors.discard(id(value))
            if frame[5]:
                _settle_booleans(frame, stack)
        elif cls is alias_cls:
            value = alias_copy(e, anchors, open_anchors, aliasing, source)
        else:  # DocumentEndEvent after an empty root cannot happen: libyaml gives a null scalar
            raise YAMLSyntaxError(source, f"unexpected {cls.__name__}")
        if not stack:
            get()  # DocumentEndEvent: go-yaml reads it too (it can fail)
            return value
        frame = stack[-1]
        container = frame[0]
        if container.__class__ is list:
            if rec is not None and (cls is scalar_cls or cls is alias_cls):
                rec.item(e)  # a container entry's line was noted at its start
            if graft and value.__class__ is str and value in VALUE_BOOLS:
                _as_boolean(frame, len(container), value)
                value = VALUE_BOOLS[value]
            container.append(value)
            continue
        key = frame[1]
        if key is _NOKEY:
            if value.__class__ is not str:
                if value.__class__ is dict or value.__class__ is list:
                    raise YAMLSyntaxError(
                        source, f"invalid map key: {_go_repr(value)}", **event_position(e)
                    )
                value = typed_key(value)  # true, 1 and 1.0 are three keys, as in Go
            if graft:
                if value.__class__ is str and frame[3] is None and cls is scalar_cls:
                    if value in container:  # the common case, inline
                        warn(_duplicate(source, e, value))
                else:
                    _check_key(frame, value, e, cls is alias_cls, source, warn)
                    if value.__class__ is not str:
                        frame[4] = True
            if rec is not None:
                rec.key(value, e, cls is scalar_cls)
            frame[1] = value
        elif key is _MERGEKEY:
            if graft:  # go-yaml v3: merged after all the map's own keys
                check_merge_value(value, source, e, cls is alias_cls)
                frame[2] = value
            else:
                merge_v2(container, value, source, e, cls is alias_cls)
            frame[1] = _NOKEY
        else:
            if graft and value.__class__ is str and value in VALUE_BOOLS:
                _as_boolean(frame, key, value)
                value = VALUE_BOOLS[value]
            container[key] = value
            frame[1] = _NOKEY


def _as_boolean(frame: list[Any], key: Any, text: str) -> None:
    """Note that the string ``text`` at ``key`` of the frame's container is read as a
    boolean, as graft does after decoding, until a map above turns out to hold a key
    that is no string (``_settle_booleans``)."""
    if frame[5] is None:
        frame[5] = []
    frame[5].append((frame[0], key, text))


def _settle_booleans(frame: list[Any], stack: list[list[Any]]) -> None:
    """At the end of a container: graft turns yes/no/on/off values into booleans only
    through maps whose keys are all strings, so a map with another key keeps the
    strings of its whole subtree; otherwise the parent decides."""
    if frame[4]:
        for container, key, text in frame[5]:
            # unless a later duplicate key replaced or removed the value
            if container.__class__ is list or container.get(key, _NOKEY) is VALUE_BOOLS[text]:
                container[key] = text
    elif stack:
        parent = stack[-1]
        if parent[5] is None:
            parent[5] = frame[5]
        else:
            parent[5].extend(frame[5])


def _merge_key(frame: list[Any], e: Any, graft: bool, source: str, warn: Warn, rec: Any) -> None:
    """A ``<<`` key: the next value is merged in. A second one in the same map is a
    duplicate key; with go-yaml v3 rules the last one is used."""
    if graft and frame[2] is not _NOKEY:
        warn(_duplicate(source, e, "<<"))
    if rec is not None:
        rec.merge_key(e)
    frame[1] = _MERGEKEY


def _check_key(frame: list[Any], key: Any, e: Any, alias: bool, source: str, warn: Warn) -> None:
    """Warn about a key written as an earlier key of the same map was (``a`` and
    ``"a"``, ``1`` and ``"1"``): go-yaml v3 compares keys as written and graft
    rejects such a map. The last value is used; an earlier key of another type
    written the same (``true`` for ``"true"``) goes. Keys written differently
    (``true``, ``True``) replace an equal earlier key silently, as in graft."""
    container = frame[0]
    texts = frame[3]  # what each key was written as -> the key
    if texts is None:  # until now every key was a plain string written as itself
        texts = frame[3] = {k: k for k in container}
    text = "*" + e.anchor if alias else e.value
    earlier = texts.get(text, _NOKEY)
    texts[text] = key
    if earlier is _NOKEY:
        return
    warn(_duplicate(source, e, text))
    if earlier.__class__ is not key.__class__ or earlier != key:
        container.pop(earlier, None)


def _duplicate(source: str, e: Any, key_text: str) -> str:
    mark = e.start_mark
    return (
        f"warning: {source}: line {mark.line + 1}, column {mark.column + 1}: "
        f"duplicate map key {_quoted(key_text)}, the last value is used"
    )


def _tagged(e: Any, tag: str, stack: list[list[Any]], source: str, schema: str) -> Any:
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
        return resolve_tagged(tag, text, schema)
    except ResolveError as exc:
        raise YAMLSyntaxError(source, str(exc), **event_position(e)) from None


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


def _quoted(text: str) -> str:
    """``text`` as a JSON string (json loads only when a warning needs it)."""
    import json

    return json.dumps(text, ensure_ascii=False)
