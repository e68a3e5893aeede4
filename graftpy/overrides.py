"""``--set PATH=VALUE``, ``--set-string PATH=VALUE`` and ``set:`` in graftpy.yml.

Each is applied after every input file, before evaluation, as a last overlay
would be: ``(( grab ))`` and the other operators see the new value, and
``graftpy explain`` shows it as coming from the command line (or from the
settings file). ``PATH`` is a document path (``meta.env``, ``$.jobs.web.instances``,
``jobs[0].name``); list entries are found by index or by their name, key or id,
as in every other path. The value is merged at ``PATH`` with graft's rules, as
an overlay's value would be: a scalar replaces, a map merges into a map, a list
merges by its entries' names (so ``--set 'tags=["(( replace ))", a]'`` replaces
a list). Maps missing on the way are created. ``--set`` reads ``VALUE`` as YAML
(``3`` is a number, ``[a, b]`` a list, nothing at all is null);
``--set-string`` keeps it as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from graftpy.errors import GraftError, UsageError

COMMAND_LINE = "command line"  # the "file" of --set values (graftpy.provenance.trace)


class OverrideError(UsageError):
    """A ``--set`` (or ``set:`` entry) that cannot be read or applied."""


class Override(NamedTuple):
    """One value to set: where, what, and where it was asked for (for explain)."""

    path: tuple[str, ...]
    value: Any
    origin: str  # "--set a.b=3", or "set: a.b" of a settings file
    file: str = COMMAND_LINE
    line: int | None = None


def parse_set(text: str, *, as_string: bool = False) -> Override:
    """``PATH=VALUE`` of ``--set`` (VALUE read as YAML) or ``--set-string`` (kept as text)."""
    flag = "--set-string" if as_string else "--set"
    raw_path, sep, raw_value = text.partition("=")
    if not sep:
        raise OverrideError(f"{flag} wants PATH=VALUE, not '{text}'")
    path = _path(raw_path, f"{flag} {text}")
    value: Any = raw_value if as_string else _yaml_value(raw_value, f"{flag} {text}")
    return Override(path, value, f"{flag} {text}")


def from_settings(entries: Any, file: str | None, lines: Any = None) -> list[Override]:
    """The ``set:`` map of a settings file (its values are YAML already)."""
    if not isinstance(entries, Mapping) or not all(isinstance(k, str) for k in entries):
        raise OverrideError(
            f"{file}: setting 'set' must be a map of paths to values, not {entries!r}"
            if file
            else f"setting 'set' must be a map of paths to values, not {entries!r}"
        )
    out = []
    for raw_path, value in entries.items():
        shown = f"set: {raw_path}"
        line = lines.line(entries, raw_path) if lines is not None else None
        path = _path(raw_path, f"{file}: {shown}" if file else shown)
        out.append(Override(path, value, shown, file or COMMAND_LINE, line))
    return out


def _path(text: str, shown: str) -> tuple[str, ...]:
    from graftpy.tree import parse_path

    try:
        path = parse_path(text.strip())
    except GraftError as exc:
        raise OverrideError(f"{shown}: bad path: {exc.message}") from None
    if not path:
        raise OverrideError(f"{shown}: the path is empty")
    return path


def _yaml_value(text: str, shown: str) -> Any:
    from graftpy.yamlio.loader import NO_DOCUMENT, parse_first_document

    try:
        value = parse_first_document(text, "--set")
    except GraftError as exc:
        problem = getattr(exc, "problem", exc.message)
        raise OverrideError(f"{shown}: the value is not YAML: {problem}") from None
    if value is NO_DOCUMENT:
        return None
    if isinstance(value, str):  # as the entry of a map in a file would read: yes is true
        from graftpy.yamlio.resolve import VALUE_BOOLS

        return VALUE_BOOLS.get(value, value)
    return value


def apply_overrides(merger: Any, overrides: Sequence[Override]) -> None:
    """Merge each value at its path in ``merger.tree`` (a ``graftpy.merging.Merger``)."""
    for override in overrides:
        _apply(merger, override)


def _apply(merger: Any, override: Override) -> None:
    from graftpy.provenance.trace import key_text
    from graftpy.tree import find_in_list
    from graftpy.tree.lookup import map_get

    path = override.path
    tracer = merger.tracer
    t = tracer.root if tracer is not None else None
    node: Any = merger.tree
    depth = 0
    key: Any = None
    while True:
        part = path[depth]
        if isinstance(node, dict):
            found, child = map_get(node, part)
            key = _real_key(node, part) if found else part
            step = key_text(key)
        else:  # a list: by index, else by the entry's name, key or id
            hit = _list_entry(node, part, find_in_list)
            if hit is None:
                where = "$." + ".".join(path[:depth]) if depth else "$"
                raise OverrideError(f"{override.origin}: {where} has no entry '{part}'")
            key, child = hit
            step = str(key)
        if t is not None:
            t = t.child(step) if isinstance(node, dict) else t.list_kids(len(node))[key]
        if depth == len(path) - 1 or not isinstance(child, (dict, list)):
            break
        node = child
        depth += 1
    value = _nested(path[depth + 1 :], override.value)
    where = "$." + ".".join(path[: depth + 1])
    if tracer is not None:
        tracer.begin(override.file, None)
        tracer.rule = override.origin
    try:
        old = node.get(key) if isinstance(node, dict) else node[key]
        node[key] = merger.merge_value(old, value, where, t, override.line)
    finally:
        if tracer is not None:
            tracer.rule = None


def _nested(rest: tuple[str, ...], value: Any) -> Any:
    """``value`` under the maps ``rest`` names (the part of the path not there yet)."""
    for part in reversed(rest):
        value = {part: value}
    return value


def _real_key(node: dict, part: str) -> Any:
    if part in node:
        return part
    from graftpy.gofmt import sprint

    return next(k for k in node if not isinstance(k, str) and sprint(k) == part)


def _list_entry(items: list, part: str, find_in_list: Any) -> tuple[int, Any] | None:
    if part.isdigit() and part.isascii():
        i = int(part)
        return (i, items[i]) if i < len(items) else None
    return find_in_list(items, part)
