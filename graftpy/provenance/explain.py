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
from graftpy.provenance.locate import Locator, entry_name, index_prefix, value_at
from graftpy.provenance.secrets import HIDDEN_ERROR, SecretView
from graftpy.provenance.trace import A_MAP, Kind, Trace, key_text, nearest
from graftpy.tree import dollar, parse_path

Path = tuple[str, ...]


class ExplainError(GraftError):
    """A path that cannot be explained (not in the document)."""


def parse_user_path(text: str) -> Path:
    """``$.a.b``, ``a.b`` or ``a.b[0]`` as path components (``$`` alone: the root)."""
    text = text.strip()
    if text in ("$", "", "."):
        return ()
    return parse_path(text)


class Explainer:
    """Explanations over one run: ``output`` (what was printed), ``full`` (the evaluated
    document before pruning), ``root`` (the trace of ``full``)."""

    def __init__(
        self,
        output: Any,
        full: Any,
        root: Trace,
        *,
        preserve_order: bool = False,
        secrets_possible: bool = True,  # False: no secret operator ran (nothing to hide)
    ) -> None:
        self.output = output
        self.full = full
        self.root = root
        self.preserve_order = preserve_order
        self._in_full = Locator(full)
        self._in_output = Locator(output)
        self.removals: list[tuple[Path, str]] = []  # (path, why) post-processing removed
        self._read_cache: dict[int, list[tuple[Path, bool, Path, str]]] = {}
        self._shown: dict[Path, tuple[Path, str]] = {}  # a found read -> (named, text)
        self.secrets = SecretView(root, self.locate, self._reads, possible=secrets_possible)

    # -- paths ------------------------------------------------------------------

    def locate(self, path: Path) -> tuple[Path, Path] | None:
        """``(index path, named path)`` of ``path`` in the evaluated document, or None."""
        return self._in_full(path)

    def leaves(self, path: Path) -> list[Path]:
        """Named paths of the leaves at or under ``path`` in output order (in the output, or
        else in the evaluated document: a pruned path is explained too)."""
        tree = self.output
        found = self._in_output(path)
        if found is None:
            tree = self.full
            found = self._in_full(path)
        if found is None:
            return []
        value = value_at(tree, found[0])
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
                self._walk(v, (*here, entry_name(v, i)), out)
        else:
            out.append(here)

    def in_output(self, named: Path) -> bool:
        return self._in_output(named) is not None

    def _removed_by(self, named: Path) -> str | None:
        """Why a value of the document is not in the output (``removals``: the run's)."""
        for path, why in self.removals:
            if named[: len(path)] == path:
                return why
        return None

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
        found = self._in_full.entry(tuple(path))
        if found is None:
            raise ExplainError(self.missing(path))
        ipath, named, value = found
        trace, rest = nearest(self.root, ipath)
        in_output = self.in_output(named)
        return self._explain(
            ipath, named, value, trace, rest, in_output, depth, nested, reads_to, _seen
        )

    def _explain(
        self,
        ipath: Path,
        named: Path,
        value: Any,
        trace: Trace,
        rest: Path,
        in_output: bool,
        depth: int,
        nested: bool,
        reads_to: list[Path] | None,
        seen: frozenset,
    ) -> dict:
        out: dict[str, Any] = {"path": dollar(named)}
        secret = bool(self.secrets.of(ipath))
        if secret:
            out["value"] = self.secrets.placeholder(ipath)
            out["secret"] = True
        else:
            out["value"] = _json_value(value)
        if not in_output:
            out["in_output"] = False
            why = self._removed_by(named)
            if why:
                out["removed"] = why
        out["origins"] = [] if rest else [_event(e) for e in trace.events]
        record = trace.op
        if record is not None:
            if nested:  # the paths explained on the way down, to tell a cycle
                seen = seen | {named}
            out["computed"] = self._computed(record, rest, depth, nested, reads_to, seen, secret)
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
        secret: bool,
    ) -> dict:
        part: dict[str, Any] = {"expression": record.src, "operator": record.operator}
        if record.file is not None:
            part["file"] = record.file
            part["line"] = record.line
        if rest:
            part["part_of"] = dollar(record.where)
        if record.error is not None:
            # an error about a secret may quote it: then only that it failed is shown
            hide = secret or self.secrets.error_touches(record)
            part["error"] = HIDDEN_ERROR if hide else record.error
        if record.secrets:
            part["secrets"] = list(dict.fromkeys(record.secrets))
        reads = []
        for read, ok, target, shown in self._resolved(record, rest):
            entry: dict[str, Any] = {"path": shown, "found": ok}
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

    def _resolved(self, record: Any, rest: Path) -> list[tuple[Path, bool, Path, str]]:
        """``_reads`` with each path's named form and text (remembered per operator)."""
        key = id(record)
        if not rest and key in self._read_cache:
            return self._read_cache[key]
        found = []
        shown = self._shown
        for read, ok in self._reads(record, rest):
            if not ok:
                found.append((read, ok, read, dollar(read)))
                continue
            hit = shown.get(read)
            if hit is None:  # many operators read the same paths
                target = self._named(read)
                hit = shown[read] = (target, dollar(target))
            found.append((read, ok, *hit))
        if not rest:
            self._read_cache[key] = found
        return found

    def _named(self, path: Path) -> Path:
        """``path`` with list entries by name where they have one."""
        node = self.root
        for part in path:  # through maps only, the path is its own named form
            kids = node.kids
            if kids.__class__ is not dict:
                break
            node = kids.get(part)  # type: ignore[union-attr]
            if node is None:
                break
        else:
            return tuple(path)
        found = self.locate(path)
        return found[1] if found is not None else tuple(path)

    def missing(self, path: Path) -> str:
        """Why ``path`` is not in the document, as precisely as the traces know."""
        node, rest = nearest(self.root, index_prefix(self.full, path))
        for event in reversed(node.events):
            if event.action in ("deleted", "removed") and rest and rest[0] in (event.detail or ""):
                return (
                    f"{dollar(path)} is not in the document: {event.detail} was {event.action} "
                    f"by {event.where}" + (f" ({event.rule})" if event.rule else "")
                )
        return f"{dollar(path)} could not be found in the document"

    # -- the whole document ---------------------------------------------------------

    def document(self) -> dict:
        """Every output leaf, then every path read on the way there, flat."""
        from collections import deque

        paths: dict[str, dict] = {}
        pending: deque[Path] = deque()
        queued: set[Path] = set()
        for ipath, named, value, trace, rest in self._output_leaves():
            reads: list[Path] = []
            node = self._explain(
                ipath, named, value, trace, rest, True, 0, False, reads, frozenset()
            )
            paths[node.pop("path")] = node  # the key is the path
            queued.add(named)
            pending.extend(reads)
        while pending:
            path = pending.popleft()
            if path in queued:
                continue
            queued.add(path)
            reads = []
            node = self.node(path, 0, nested=False, reads_to=reads)
            paths[node.pop("path")] = node  # the key is the path
            pending.extend(reads)
        return {"version": 1, "paths": paths}

    def _output_leaves(self) -> list[tuple[Path, Path, Any, Trace, Path]]:
        """``(index path, named path, value, trace, rest)`` of every output leaf, in output
        order, found in one walk of the output, the evaluated document and the traces."""
        found: list[tuple[Path, Path, Any, Trace, Path]] = []
        stack: list[tuple[Any, Any, Trace, Path, Path, Path]] = [
            (self.output, self.full, self.root, (), (), ())
        ]
        while stack:
            shown, value, trace, rest, ipath, named = stack.pop()
            cls = shown.__class__
            if (cls is dict or cls is list) and shown and value.__class__ is not cls:
                self._slow_leaves(named, found)  # cherry-picked into another shape
                continue
            if cls is dict and shown:
                keys = list(shown) if self.preserve_order else _sorted_keys(list(shown))
                kids = trace.kids if not rest and trace.kids.__class__ is dict else None
                for k in reversed(keys):
                    name = key_text(k)
                    kid = kids.get(name) if kids is not None else None  # type: ignore[union-attr]
                    if kid is not None and k in value:
                        stack.append((shown[k], value[k], kid, (), (*ipath, name), (*named, name)))
                    else:  # below the nearest trace
                        below = (*rest, name)
                        stack.append(
                            (shown[k], value.get(k), trace, below, (*ipath, name), (*named, name))
                        )
            elif cls is list and shown:
                if shown is not value:  # pruned or picked entries: find each one by name
                    self._slow_leaves(named, found)
                    continue
                kids = trace.kids if not rest and trace.kids.__class__ is list else None
                for i in range(len(shown) - 1, -1, -1):
                    kid = kids[i] if kids is not None and i < len(kids) else None
                    below = (kid, ()) if kid is not None else (trace, (*rest, str(i)))
                    entry = shown[i]
                    stack.append(
                        (entry, entry, *below, (*ipath, str(i)), (*named, entry_name(entry, i)))
                    )
            else:
                found.append((ipath, named, value, trace, rest))
        return found

    def _slow_leaves(self, named: Path, found: list) -> None:
        for leaf in self.leaves(named):
            entry = self._in_full.entry(leaf)
            if entry is not None:
                trace, rest = nearest(self.root, entry[0])
                found.append((entry[0], entry[1], entry[2], trace, rest))


# -- helpers ------------------------------------------------------------------------


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
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:  # the common cases
        return value
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
