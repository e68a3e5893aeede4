"""The explanation of a path: its value, who set it, what computed it from what.

``Explainer`` answers over one explained run (``graftpy.provenance.run``):

* ``leaves(path)``: the leaves at or under ``path``, in output order;
* ``node(path, depth)``: one path's explanation as plain data (JSON-ready): its
  value, its ``origins`` (the merge events, in order), and ``computed`` when an
  operator made it, with the explanation of every path that operator read, down
  to ``depth`` levels;
* ``document()``: every leaf of the output and every path read on the way, flat,
  for ``merge --explain-to``.

Paths print as ``$.a.b`` with list entries by name where they have one. A value
that came from a secret store, directly or through other operators, shows as
``<vault secret/x:key>`` (``<derived from ...>`` once transformed); its value is
never part of an explanation.
"""

from __future__ import annotations

import math
from typing import Any

from graftpy.errors import GraftError
from graftpy.provenance.trace import A_MAP, Kind, Trace, key_text, nearest, trace_at
from graftpy.tree import parse_path
from graftpy.tree.lookup import NAME_FIELDS, find_in_list, map_get

Path = tuple[str, ...]


class ExplainError(GraftError):
    """A path that cannot be explained (not in the document)."""


def parse_user_path(text: str) -> Path:
    """``$.a.b``, ``a.b`` or ``a.b[0]`` as path components (``$`` alone: the root)."""
    text = text.strip()
    if text in ("$", "", "."):
        return ()
    return parse_path(text)


def dollar(named: Path) -> str:
    return "$." + ".".join(named) if named else "$"


class Explainer:
    """Explanations over one run: ``output`` (what was printed), ``full`` (the evaluated
    document before pruning), ``root`` (the trace of ``full``)."""

    def __init__(self, output: Any, full: Any, root: Trace, *, preserve_order: bool = False):
        self.output = output
        self.full = full
        self.root = root
        self.preserve_order = preserve_order
        self._secrets: dict[Path, list[str]] = {}
        self._under: dict[Path, list[str]] = {}

    # -- paths ------------------------------------------------------------------

    def locate(self, path: Path) -> tuple[Path, Path] | None:
        """``(index path, named path)`` of ``path`` in the evaluated document, or None."""
        return locate_in(self.full, path)

    def leaves(self, path: Path) -> list[Path]:
        """Named paths of the leaves at or under ``path`` in output order (in the output, or
        else in the evaluated document: a pruned path is explained too)."""
        tree = self.output
        found = locate_in(tree, path)
        if found is None:
            tree = self.full
            found = locate_in(tree, path)
        if found is None:
            return []
        value = _value_at(tree, found[0])
        out: list[Path] = []
        self._walk(value, found[1], out)
        return out

    def _walk(self, value: Any, here: Path, out: list[Path]) -> None:
        if isinstance(value, dict) and value:
            keys = list(value) if self.preserve_order else _sorted_keys(list(value))
            for k in keys:
                self._walk(value[k], (*here, key_text(k)), out)
        elif isinstance(value, list) and value:
            for i, v in enumerate(value):
                self._walk(v, (*here, _entry_name(v, i)), out)
        else:
            out.append(here)

    def in_output(self, named: Path) -> bool:
        return locate_in(self.output, named) is not None

    # -- one path -------------------------------------------------------------------

    def node(
        self,
        path: Path,
        depth: int,
        *,
        nested: bool = True,
        reads_to: list[Path] | None = None,
        _seen: frozenset = frozenset(),
    ) -> dict:
        """The explanation of ``path`` (see the module text); reads are explained down to
        ``depth`` levels when ``nested``, else only named (and added to ``reads_to``)."""
        found = self.locate(path)
        if found is None:
            raise ExplainError(self.missing(path))
        ipath, named = found
        value = _value_at(self.full, ipath)
        trace, rest = nearest(self.root, ipath)
        secrets = self.secrets_of(ipath)
        out: dict[str, Any] = {"path": dollar(named)}
        if secrets:
            out["value"] = self._placeholder(ipath)
            out["secret"] = True
        else:
            out["value"] = _json_value(value)
        if not self.in_output(named):
            out["in_output"] = False
        out["origins"] = [] if rest else [_event(e) for e in trace.events]
        record = trace.op
        if record is not None:
            out["computed"] = self._computed(record, rest, depth, nested, reads_to, _seen | {named})
        elif rest:
            out["origins_unknown"] = True
        return out

    def _computed(
        self,
        record: Any,
        rest: Path,
        depth: int,
        nested: bool,
        reads_to: list[Path] | None,
        seen: frozenset,
    ) -> dict:
        part: dict[str, Any] = {"expression": record.src, "operator": record.operator}
        if record.file is not None:
            part["file"] = record.file
            part["line"] = record.line
        if rest:
            part["part_of"] = dollar(record.where)
        if record.error is not None:
            part["error"] = record.error
        if record.secrets:
            part["secrets"] = list(dict.fromkeys(record.secrets))
        reads = []
        for read, ok in self._reads(record, rest):
            target = self._named(read)
            entry: dict[str, Any] = {"path": dollar(target), "found": ok}
            if ok and reads_to is not None:
                reads_to.append(target)
            if ok and nested:
                if depth <= 0:
                    entry["more"] = True
                elif target in seen:
                    entry["cycle"] = True
                else:
                    entry["explanation"] = self.node(read, depth - 1, _seen=seen)
            reads.append(entry)
        part["reads"] = reads
        return part

    def _reads(self, record: Any, rest: Path) -> list[tuple[Path, bool]]:
        """What ``record`` read; below a value it copied (grab, inject), the same place
        below what it read."""
        if rest and record.follows:
            source = next(p for p, ok in record.reads if ok)
            return [((*source, *rest), self.locate((*source, *rest)) is not None)]
        unique: dict[tuple[Path, bool], None] = {}
        for read in record.reads:
            unique[read] = None
        return list(unique)

    def _named(self, path: Path) -> Path:
        found = self.locate(path)
        return found[1] if found is not None else tuple(path)

    def missing(self, path: Path) -> str:
        """Why ``path`` is not in the document, as precisely as the traces know."""
        node, rest = nearest(self.root, _index_prefix(self.full, path))
        for event in reversed(node.events):
            if event.action in ("deleted", "removed") and rest and rest[0] in (event.detail or ""):
                return (
                    f"{dollar(path)} is not in the document: {event.detail} was {event.action} "
                    f"by {event.where}" + (f" ({event.rule})" if event.rule else "")
                )
        return f"{dollar(path)} could not be found in the document"

    # -- secrets ------------------------------------------------------------------

    def secrets_of(self, ipath: Path) -> list[str]:
        """Labels of the secrets the value at ``ipath`` came from (empty: no secret)."""
        cached = self._secrets.get(ipath)
        if cached is not None:
            return cached
        self._secrets[ipath] = []  # a guard against (impossible) cycles
        trace, rest = nearest(self.root, ipath)
        labels: list[str] = []
        record = trace.op
        if record is not None:
            labels += record.secrets
            for read, ok in self._reads(record, rest):
                found = self.locate(read) if ok else None
                if found is not None:
                    labels += self.secrets_under(found[0])
        result = list(dict.fromkeys(labels))
        self._secrets[ipath] = result
        return result

    def secrets_under(self, ipath: Path) -> list[str]:
        """``secrets_of`` the value at ``ipath`` and of everything inside it."""
        cached = self._under.get(ipath)
        if cached is not None:
            return cached
        labels = list(self.secrets_of(ipath))
        top = trace_at(self.root, ipath)
        if top is not None:
            stack = [(top, ipath)]
            while stack:
                node, here = stack.pop()
                kids = node.kids
                items = kids.items() if isinstance(kids, dict) else enumerate(kids or ())
                for k, kid in items:
                    there = (*here, str(k))
                    if kid.op is not None:
                        labels += self.secrets_of(there)
                    stack.append((kid, there))
        result = list(dict.fromkeys(labels))
        self._under[ipath] = result
        return result

    def _placeholder(self, ipath: Path) -> str:
        """``<vault secret/x:key>`` for a secret (or a copy of one), else ``<derived from ...>``."""
        trace, rest = nearest(self.root, ipath)
        record = trace.op
        while record is not None and record.follows and not record.secrets:
            found = self.locate(self._reads(record, rest)[0][0])
            if found is None:
                break
            trace, rest = nearest(self.root, found[0])
            record = trace.op
        if record is not None and record.secrets and not rest:
            return f"<{', '.join(dict.fromkeys(record.secrets))}>"
        return f"<derived from {', '.join(self.secrets_of(ipath))}>"

    # -- the whole document ---------------------------------------------------------

    def document(self) -> dict:
        """Every output leaf, then every path read on the way there, flat."""
        from collections import deque

        paths: dict[str, dict] = {}
        pending = deque(self.leaves(()))
        queued = set(pending)
        while pending:
            path = pending.popleft()
            reads: list[Path] = []
            node = self.node(path, 0, nested=False, reads_to=reads)
            paths[node["path"]] = node
            for read in reads:
                if read not in queued:
                    queued.add(read)
                    pending.append(read)
        return {"version": 1, "paths": paths}


# -- helpers ------------------------------------------------------------------------


def locate_in(tree: Any, path: Path) -> tuple[Path, Path] | None:
    """``(index path, named path)`` of ``path`` in ``tree``, or None when it is not there."""
    index: list[str] = []
    named: list[str] = []
    here = tree
    for part in path:
        if isinstance(here, dict):
            found, value = map_get(here, part)
            if not found:
                return None
            index.append(part)
            named.append(part)
            here = value
        elif isinstance(here, list):
            if part.isdigit() and part.isascii():
                i = int(part)
                if i >= len(here):
                    return None
                hit: tuple[int, Any] | None = (i, here[i])
            else:
                hit = find_in_list(here, part)
            if hit is None:
                return None
            index.append(str(hit[0]))
            named.append(_entry_name(hit[1], hit[0]))
            here = hit[1]
        else:
            return None
    return tuple(index), tuple(named)


def _index_prefix(tree: Any, path: Path) -> Path:
    """The index path of the longest prefix of ``path`` that exists, then the rest as given."""
    for n in range(len(path), -1, -1):
        found = locate_in(tree, path[:n])
        if found is not None:
            return (*found[0], *path[n:])
    return tuple(path)


def _value_at(tree: Any, ipath: Path) -> Any:
    here = tree
    for part in ipath:
        here = here[int(part)] if isinstance(here, list) else map_get(here, part)[1]
    return here


def _entry_name(entry: Any, index: int) -> str:
    """A list entry in a path: its name, key or id, else its index (as graft names it)."""
    if isinstance(entry, dict):
        for field in NAME_FIELDS:
            v = entry.get(field)
            if isinstance(v, str) and v and "((" not in v:
                return v
    return str(index)


def _sorted_keys(keys: list[Any]) -> list[Any]:
    from graftpy.yamlio.sortkeys import sorted_keys

    return sorted_keys(keys)


def _event(e: Any) -> dict:
    out: dict[str, Any] = {"action": e.action, "file": e.file, "line": e.line}
    if e.value is not None or e.action in ("set", "override"):
        out["value"] = _json_value(e.value)
    if e.rule:
        out["rule"] = e.rule
    if e.detail:
        out["detail"] = e.detail
    return out


def _json_value(value: Any) -> Any:
    """A value as JSON shows it: scalars as they are, containers by kind and size."""
    if isinstance(value, Kind):
        return {"kind": "map" if value is A_MAP else "list"}
    if isinstance(value, dict):
        return {} if not value else {"kind": "map", "entries": len(value)}
    if isinstance(value, list):
        return [] if not value else {"kind": "list", "entries": len(value)}
    if isinstance(value, float) and not math.isfinite(value):
        from graftpy.gofmt import format_float

        return format_float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value
