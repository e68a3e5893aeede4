"""Finding the differences between two node trees, as graft's diff (dyff) does.

Maps are compared key by key. Lists whose entries all carry a unique ``name``,
``key``, ``id`` (or ``manager``), or another string field when there are more
than three entries, or Kubernetes ``apiVersion``/``kind``/``metadata.name``,
are compared entry by entry under that identifier; other lists by content
(order changes are reported separately). A change of kind or tag is reported
as one modification.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graftpy.diff import identifiers as ids
from graftpy.diff import nodes as n
from graftpy.diff.load import DiffError, InputFile

ADDITION = "+"
REMOVAL = "-"
MODIFICATION = "±"
ORDERCHANGE = "⇆"

_TRUE = ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
_FALSE = ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")


@dataclass(frozen=True)
class Element:
    """One step of a path: a map key (``name``), a named list entry (``key``
    and ``name``) or a list index (``idx`` >= 0)."""

    name: str = ""
    key: str = ""
    idx: int = -1


@dataclass
class Path:
    root: InputFile | None
    doc_idx: int
    elements: tuple[Element, ...] | None = None  # None: the document root

    def child(self, element: Element) -> Path:
        return Path(self.root, self.doc_idx, (self.elements or ()) + (element,))

    def root_description(self) -> str:
        if self.root is not None and self.doc_idx < len(self.root.names):
            return self.root.names[self.doc_idx]
        return f"document #{self.doc_idx + 1}"


@dataclass
class Detail:
    kind: str
    old: n.Node | None
    new: n.Node | None


@dataclass
class Diff:
    path: Path | None
    details: list[Detail] = field(default_factory=list)


def compare_files(a: InputFile, b: InputFile) -> list[Diff]:
    """All differences between two inputs, document by document."""
    a_docs = [d for d in a.documents if not _is_empty_document(d)]
    b_docs = [d for d in b.documents if not _is_empty_document(d)]
    a_names = [name for d in a_docs if (name := ids.k8s_name(d.content[0])) is not None]
    b_names = [name for d in b_docs if (name := ids.k8s_name(d.content[0])) is not None]
    if len(a_names) == len(a_docs) and len(b_names) == len(b_docs):
        a.documents, a.names = a_docs, a_names
        b.documents, b.names = b_docs, b_names
        return _compare_named_documents(a, b)
    if len(a.documents) != len(b.documents):
        raise DiffError(
            "comparing YAMLs with a different number of documents is currently not supported"
        )
    result: list[Diff] = []
    for idx, (x, y) in enumerate(zip(a.documents, b.documents, strict=True)):
        result += _objects(Path(a, idx), x, y)
    return result


def _is_empty_document(doc: n.Node) -> bool:
    return (
        doc.kind == n.DOCUMENT
        and len(doc.content) == 1
        and doc.content[0].kind == n.SCALAR
        and doc.content[0].tag == n.NULL
    )


def _compare_named_documents(a: InputFile, b: InputFile) -> list[Diff]:
    result: list[Diff] = []
    a_map = {name: (i, a.documents[i].content[0]) for i, name in enumerate(a.names)}
    b_map = {name: (i, b.documents[i].content[0]) for i, name in enumerate(b.names)}
    removals: list[Diff] = []
    for name in a.names:
        idx, node = a_map[name]
        if name in b_map:
            result += _objects(Path(a, idx), n.follow(node), n.follow(b_map[name][1]))
        else:
            doc = n.Node(n.DOCUMENT, content=[node])
            removals.append(Diff(Path(a, idx), [Detail(REMOVAL, doc, None)]))
    additions: list[Diff] = []
    for name in b.names:
        if name not in a_map:
            idx, node = b_map[name]
            doc = n.Node(n.DOCUMENT, content=[node])
            additions.append(Diff(Path(b, idx), [Detail(ADDITION, None, doc)]))
    result += removals + additions
    if len(a.names) == len(b.names) and a.names != b.names:
        order = Detail(ORDERCHANGE, _as_sequence(a.names), _as_sequence(b.names))
        result.append(Diff(None, [order]))
    return result


def _modified(path: Path, old: n.Node | None, new: n.Node | None) -> list[Diff]:
    return [Diff(path, [Detail(MODIFICATION, old, new)])]


def _objects(path: Path, old: n.Node | None, new: n.Node | None) -> list[Diff]:
    if old is None and new is None:
        return []
    if old is None or new is None or old.kind != new.kind or old.tag != new.tag:
        return _modified(path, old, new)
    kind = old.kind
    if kind == n.DOCUMENT:
        return _objects(path, old.content[0], new.content[0])
    if kind == n.MAPPING:
        return _mappings(path, old, new)
    if kind == n.SEQUENCE:
        return _sequences(path, old, new)
    if kind == n.ALIAS:
        return _objects(path, old.target, new.target)
    if old.tag == n.NULL:
        return []
    if old.tag == n.BOOL:
        return [] if _to_bool(old.value) == _to_bool(new.value) else _modified(path, old, new)
    return [] if old.value == new.value else _modified(path, old, new)


def _to_bool(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DiffError(f"not a valid boolean value: '{text}'")


def _mappings(path: Path, old: n.Node, new: n.Node) -> list[Diff]:
    result: list[Diff] = []
    removals: list[n.Node] = []
    additions: list[n.Node] = []
    old_index, new_index = ids.index(old), ids.index(new)
    for i in range(0, len(old.content) - 1, 2):
        key, value = old.content[i], old.content[i + 1]
        other = new_index.get(key.value)
        if other is not None:
            result += _objects(path.child(Element(name=key.value)), n.follow(value), other)
        else:
            removals += [key, value]
    for i in range(0, len(new.content) - 1, 2):
        key, value = new.content[i], new.content[i + 1]
        if key.value not in old_index:
            additions += [key, value]
    details = []
    if removals:
        details.append(Detail(REMOVAL, n.Node(old.kind, old.tag, content=removals), None))
    if additions:
        details.append(Detail(ADDITION, None, n.Node(new.kind, new.tag, content=additions)))
    return ([Diff(path, details)] if details else []) + result


def _sequences(path: Path, old: n.Node, new: n.Node) -> list[Diff]:
    if not old.content and not new.content:
        return []
    ident = ids.standard_identifier(old, new) or ids.guessed_identifier(old, new)
    if ident is None and ids.all_k8s(old) and ids.all_k8s(new):
        ident = ids.K8S
    if ident is not None:
        return _named_lists(path, ident, old, new)
    return _simple_lists(path, old, new)


def _named_lists(path: Path, ident: str, old: n.Node, new: n.Node) -> list[Diff]:
    result: list[Diff] = []
    removals: list[n.Node] = []
    additions: list[n.Node] = []
    old_names: list[str] = []
    new_names: list[str] = []
    old_index, new_index = ids.named_index(ident, old), ids.named_index(ident, new)
    for entry in old.content:
        name = ids.entry_name(ident, entry)
        if name is None:
            raise DiffError(f"failed to identify name: could not find '{ident}'")
        other = new_index.get(name)
        if other is not None:
            element = Element(name=name, key=ident)
            result += _objects(path.child(element), n.follow(entry), n.follow(other))
            old_names.append(name)
        else:
            removals.append(entry)
    for entry in new.content:
        name = ids.entry_name(ident, entry)
        if name is None:
            raise DiffError(f"failed to identify name: could not find '{ident}'")
        if name in old_index:
            new_names.append(name)
        else:
            additions.append(entry)
    order: list[Detail] = []
    positions = {name: i for i, name in enumerate(new_names)}
    if any(positions.get(name, 0) != i for i, name in enumerate(old_names)):
        order.append(Detail(ORDERCHANGE, _as_sequence(old_names), _as_sequence(new_names)))
    return _pack(result, path, order, additions, removals)


def node_key(node: n.Node) -> object:
    """A hashable stand-in for dyff's structure hash: scalars by their text only."""
    node = n.follow(node) or node
    if node.kind == n.MAPPING:
        return (
            "m",
            frozenset(
                (node_key(node.content[i]), node_key(node.content[i + 1]))
                for i in range(0, len(node.content) - 1, 2)
            ),
        )
    if node.kind == n.SEQUENCE:
        return ("l", tuple(node_key(e) for e in node.content))
    return ("s", node.value)


def _simple_lists(path: Path, old: n.Node, new: n.Node) -> list[Diff]:
    if len(old.content) == 1 and len(new.content) == 1:
        child = path.child(Element(idx=0))
        return _objects(child, n.follow(old.content[0]), n.follow(new.content[0]))
    old_keys = [node_key(e) for e in old.content]
    new_keys = [node_key(e) for e in new.content]
    old_count: dict[object, int] = {}
    new_count: dict[object, int] = {}
    for k in old_keys:
        old_count[k] = old_count.get(k, 0) + 1
    for k in new_keys:
        new_count[k] = new_count.get(k, 0) + 1
    removals = _unmatched(old.content, old_keys, old_count, new_count)
    additions = _unmatched(new.content, new_keys, new_count, old_count)
    old_common = [e for e, k in zip(old.content, old_keys, strict=True) if k in new_count]
    new_common = [e for e, k in zip(new.content, new_keys, strict=True) if k in old_count]
    order: list[Detail] = []
    if len(old_common) == len(new_common) and any(
        node_key(x) != node_key(y) for x, y in zip(old_common, new_common, strict=True)
    ):
        order.append(
            Detail(
                ORDERCHANGE,
                n.Node(n.SEQUENCE, content=old_common),
                n.Node(n.SEQUENCE, content=new_common),
            )
        )
    return _pack([], path, order, additions, removals)


def _unmatched(entries: list[n.Node], keys: list[object], mine: dict, theirs: dict) -> list[n.Node]:
    """Entries missing on the other side, and surplus duplicates (once per value)."""
    out: list[n.Node] = []
    seen: set[object] = set()
    for entry, key in zip(entries, keys, strict=True):
        if key not in theirs:
            out.append(entry)
            seen.add(key)
        elif mine[key] > theirs[key] and key not in seen:
            out += [entry] * (mine[key] - theirs[key])
            seen.add(key)
    return out


def _pack(
    result: list[Diff],
    path: Path,
    order: list[Detail],
    additions: list[n.Node],
    removals: list[n.Node],
) -> list[Diff]:
    details = list(order)
    if removals:
        details.append(Detail(REMOVAL, n.Node(n.SEQUENCE, n.SEQ, content=removals), None))
    if additions:
        details.append(Detail(ADDITION, None, n.Node(n.SEQUENCE, n.SEQ, content=additions)))
    return ([Diff(path, details)] if details else []) + result


def _as_sequence(names: list[str]) -> n.Node:
    return n.Node(n.SEQUENCE, content=[n.scalar(name) for name in names])
