"""Where each value of a loaded document was written: its line in the file.

The loader (``graftpy.yamlio.loader``) composes plain dicts, lists and scalars and
keeps no positions unless asked, so a plain merge pays nothing for them. When
positions are wanted, they come one of two ways:

* ``LineRecorder``: the loader notes them in its own pass over the parser's events
  (``parse_first_document(..., lines=Lines())``; what ``graftpy explain`` and
  ``merge --explain-to`` use, so the text is not parsed twice);
* ``line_table``: a second read of the same text's events, walked alongside the
  composed value (``--show-origin``, errors of the library, ``graftpy.yml``).

Both note the line of every map entry (its key's line) and of every list entry,
and give the same table. Lines are kept per container, keyed by the container's
identity, because the merge meets the document's containers themselves; the
table holds a reference to each one, so an identity is never reused while the
table lives.

Keys resolve as the loader resolves them (go-yaml's rules), so an entry is found
under the key the loader gave it. Entries a ``<<`` merge key brought in get the
line of the ``<<``; the insides of an alias (a copy) get none, and a caller falls
back to the line of the nearest entry that has one.
"""

from __future__ import annotations

from typing import Any

from graftpy.yamlio.resolve import MERGE, ResolveError, resolve_plain, resolve_tagged
from graftpy.yamlio.typedkeys import typed_key

_NOKEY = object()  # a map frame waits for its next key
_SKIP = object()  # the key of the pending value cannot be found in the composed map


class Lines:
    """Lines of one document's entries: ``line(container, key)``; 1-based."""

    __slots__ = ("root_line", "_tables")

    def __init__(self, root_line: int = 1) -> None:
        self.root_line = root_line
        self._tables: dict[int, tuple[Any, dict | list]] = {}

    def table(self, container: Any) -> dict | list | None:
        """``{key: line}`` of a map, ``[line, ...]`` of a list, or None when unknown."""
        entry = self._tables.get(id(container))
        return None if entry is None or entry[0] is not container else entry[1]

    def line(self, container: Any, key: Any) -> int | None:
        """The line of ``container[key]`` (a map key or a list index), or None."""
        table = self.table(container)
        if table is None:
            return None
        if table.__class__ is dict:
            return table.get(key)
        return table[key] if 0 <= key < len(table) else None

    def shift(self, by: int) -> None:
        """Every line ``by`` further down (a document that starts inside a file)."""
        self.root_line += by
        for _, table in self._tables.values():
            if isinstance(table, dict):
                for key, line in table.items():
                    table[key] = line + by
            else:
                table[:] = [line + by for line in table]

    def clear(self) -> None:
        """Forget every table (a text composed again from its start)."""
        self.root_line = 1
        self._tables.clear()

    def _add(self, container: Any, table: dict | list) -> None:
        self._tables[id(container)] = (container, table)


class LineRecorder:
    """Notes the lines of a document as the loader composes it (``Lines`` as
    ``line_table`` would find them, without reading the events again).

    The loader calls it at each container's start and end, each map key, each
    ``<<`` merge key and each scalar or alias list entry. The insides of a ``<<``
    value are not noted: only what it brought in, at the line of the ``<<``.
    Loaded by a schema other than the default (``resolve.GRAFT``), keys could
    differ from ``line_table``'s: only input files are recorded this way.
    """

    __slots__ = ("lines", "_stack")

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        # frame: [table (None: not noted), the pending value's insides are not noted
        # (a "<<" value, an alias key's value), the line of the last "<<"]
        self._stack: list[list[Any]] = []

    def document(self, e: Any) -> None:
        """The document starts (``e``: its DocumentStartEvent)."""
        self.lines.root_line = _line(e) or 1

    def opened(self, container: Any, e: Any) -> None:
        """``container`` (a new dict or list) starts at event ``e``."""
        line = _line(e)
        stack = self._stack
        if not stack:  # the root
            self.lines.root_line = line or self.lines.root_line
            noted = True
        else:
            parent = stack[-1]
            table = parent[0]
            if table is None:
                noted = False
            elif table.__class__ is list:
                table.append(line)
                noted = True
            else:
                noted = not parent[1]
        if noted:
            table = {} if container.__class__ is dict else []
            self.lines._add(container, table)
            stack.append([table, False, line])
        else:
            stack.append([None, False, line])

    def closed(self, container: Any) -> None:
        """``container`` is complete (its ``<<`` entries merged in)."""
        table, _, merge_line = self._stack.pop()
        if table.__class__ is dict:
            for k in container:  # keys brought in by a "<<" merge key
                if k not in table:
                    table[k] = merge_line
            if len(table) != len(container):  # a key replaced by one written the same
                for k in [k for k in table if k not in container]:
                    del table[k]

    def item(self, e: Any) -> None:
        """A scalar or alias entry of the current list."""
        table = self._stack[-1][0]
        if table is not None:
            table.append(_line(e))

    def key(self, key: Any, e: Any, scalar: bool) -> None:
        """The current map's next key (``scalar``: written as a scalar, not an alias).

        An alias key's entry is noted at the map's end, as a merged one (``closed``),
        and its value's insides not at all, as ``line_table`` finds them."""
        frame = self._stack[-1]
        frame[1] = not scalar
        if scalar and frame[0] is not None:
            frame[0][key] = _line(e)

    def merge_key(self, e: Any) -> None:
        """A ``<<`` key of the current map: its value is merged, not an entry."""
        frame = self._stack[-1]
        frame[1] = True
        frame[2] = _line(e)


def part_first_lines(text: str | bytes) -> list[int]:
    """The line of the file each ``-m`` document starts on (graft splits on ``\n---\n``,
    dropping an empty first part), so that lines name the file's own lines."""
    sep = b"\n---\n" if isinstance(text, bytes) else "\n---\n"
    nl = sep[:1]
    firsts, line = [], 1
    for part in text.split(sep):  # type: ignore[arg-type]
        firsts.append(line)
        line += part.count(nl) + 2  # type: ignore[arg-type]
    return firsts[1:] if text[: len(sep)] == sep else firsts


def line_table(text: str | bytes, root: Any, *, rules: Any = None, first_line: int = 1) -> Lines:
    """The lines of ``root``, the value ``parse_first_document(text)`` composed.

    ``text`` must be the very text the loader read (it parsed without error);
    ``rules``: the scalar rules it read keys by (None: the loader's default);
    ``first_line``: the file's line ``text`` starts on (a ``-m`` document's).
    """
    from graftpy.yamlio.events import parse_events
    from graftpy.yamlio.loader import _event_module

    ev = _event_module()
    lines = parse_events(
        text, lambda get_event: _walk(get_event, ev, root, () if rules is None else (rules,))
    )
    if first_line != 1:
        lines.shift(first_line - 1)
    return lines


def _line(e: Any) -> int:
    mark = e.start_mark
    return mark.line + 1 if mark is not None else 0


def _key(e: Any, rules: tuple) -> Any:
    """The key a scalar event stands for, as the loader resolves it; or ``_SKIP``."""
    text, tag = e.value, e.ctag
    if tag is None:
        return typed_key(resolve_plain(text, *rules)) if e.implicit[0] else text
    if tag == "!":
        return text
    try:
        return typed_key(resolve_tagged(tag, text, *rules))
    except ResolveError:
        return _SKIP


def _is_merge_key(e: Any) -> bool:
    if e.value != "<<":
        return False
    return bool(e.implicit[0]) if e.ctag is None else bool(e.implicit[0] or e.ctag == MERGE)


def _walk(get: Any, ev: Any, root: Any, rules: tuple) -> Lines:
    scalar_cls = ev.ScalarEvent
    map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end = ev.MappingEndEvent, ev.SequenceEndEvent
    get()  # StreamStartEvent
    first = get()  # DocumentStartEvent (or StreamEnd: nothing to find)
    lines = Lines(_line(first) or 1)
    if first.__class__ is ev.StreamEndEvent:
        return lines
    # frame: [composed container or None, its table, pending key, key line, merge line]
    stack: list[list[Any]] = []
    while True:
        e = get()
        cls = e.__class__
        if cls is map_end or cls is seq_end:
            frame = stack.pop()
            data, table, merge_line = frame[0], frame[1], frame[4]
            if data is not None and cls is map_end:
                for k in data:  # keys brought in by a "<<" merge key
                    if k not in table:
                        table[k] = merge_line
            if not stack:
                return lines
            _done(stack[-1])
            continue
        if not stack:  # the root value
            if cls is map_start or cls is seq_start:
                _open(stack, lines, root, cls is map_start, _line(e))
                lines.root_line = _line(e) or lines.root_line
                continue
            return lines  # a scalar or alias root has no entries
        frame = stack[-1]
        data, table = frame[0], frame[1]
        line = _line(e)
        if table.__class__ is dict and frame[2] is _NOKEY:  # a map key
            if cls is scalar_cls and _is_merge_key(e):
                frame[2], frame[3], frame[4] = _SKIP, line, line
            elif cls is scalar_cls:
                key = _key(e, rules)
                frame[2] = key if data is not None and _has(data, key) else _SKIP
                frame[3] = line
            else:  # an alias or container as a key: the loader rejects or copies it
                frame[2], frame[3] = _SKIP, line
                if cls is map_start or cls is seq_start:
                    _open(stack, lines, None, cls is map_start, line)
            continue
        # a value: a map entry's (its key is pending) or a list entry
        if table.__class__ is dict:
            key = frame[2]
            if key is not _SKIP:
                table[key] = frame[3]
            child = data[key] if key is not _SKIP else None
        else:
            table.append(line)
            index = len(table) - 1
            child = data[index] if data is not None and index < len(data) else None
        if cls is map_start or cls is seq_start:
            _open(stack, lines, child, cls is map_start, line)
            continue
        _done(frame)  # a scalar or an alias: nothing inside to walk


def _has(data: dict, key: Any) -> bool:
    try:
        return key in data
    except TypeError:  # an unhashable key cannot be in the map
        return False


def _open(stack: list[list[Any]], lines: Lines, data: Any, is_map: bool, line: int) -> None:
    table: dict | list = {} if is_map else []
    kind = dict if is_map else list
    if data.__class__ is not kind:
        data = None  # not what the loader made here (a merged-away value): walk, record nothing
    else:
        lines._add(data, table)
    stack.append([data, table, _NOKEY, line, line])


def _done(frame: list[Any]) -> None:
    """A value of the frame's container is complete: a map waits for its next key."""
    if frame[1].__class__ is dict:
        frame[2] = _NOKEY
