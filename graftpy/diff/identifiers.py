"""How dyff recognises the entries of a list, and Kubernetes documents.

A list is "named" when every entry is a map with a unique ``name``, ``key``,
``id`` or ``manager``; failing that, when more than three entries share another
unique string field; failing that, when all are Kubernetes resources (named
``apiVersion/kind[/namespace]/name``).
"""

from __future__ import annotations

from graftpy.diff import nodes as n


def lookup(mapping: n.Node, key: str) -> n.Node | None:
    for i in range(0, len(mapping.content) - 1, 2):
        k = n.follow(mapping.content[i])
        if k is not None and k.value == key:
            return n.follow(mapping.content[i + 1])
    return None


def index(mapping: n.Node) -> dict[str, n.Node]:
    """Values by key text (the first of equal keys), aliases followed."""
    found: dict[str, n.Node] = {}
    for i in range(0, len(mapping.content) - 1, 2):
        k, v = n.follow(mapping.content[i]), n.follow(mapping.content[i + 1])
        if k is not None and v is not None:
            found.setdefault(k.value, v)
    return found


K8S = "resource"  # the identifier name dyff prints for Kubernetes entries
_CANDIDATES = ("name", "key", "id", "manager")
_GUESS_THRESHOLD = 3


def standard_identifier(a: n.Node, b: n.Node) -> str | None:
    def values(seq: n.Node) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for entry in seq.content:
            if entry.kind != n.MAPPING:
                continue
            for i in range(0, len(entry.content) - 1, 2):
                k, v = n.follow(entry.content[i]), n.follow(entry.content[i + 1])
                if (
                    k is not None
                    and v is not None
                    and k.kind == n.SCALAR
                    and k.value in _CANDIDATES
                ):
                    found.setdefault(k.value, set()).add(v.value)
        return found

    va, vb = values(a), values(b)
    for ident in _CANDIDATES:
        if (
            ident in va
            and ident in vb
            and len(va[ident]) == len(a.content)
            and len(vb[ident]) == len(b.content)
        ):
            return ident
    return None


def guessed_identifier(a: n.Node, b: n.Node) -> str | None:
    def counts(seq: n.Node) -> dict[str, int]:
        found: dict[str, set[str]] = {}
        for entry in seq.content:
            if entry.kind != n.MAPPING:
                return {}
            for i in range(0, len(entry.content) - 1, 2):
                k, v = n.follow(entry.content[i]), n.follow(entry.content[i + 1])
                if k and v and k.kind == n.SCALAR == v.kind and k.tag == n.STR == v.tag:
                    found.setdefault(k.value, set()).add(v.value)
        return {k: len(v) for k, v in found.items()}

    ca, cb = counts(a), counts(b)
    for key, count in ca.items():
        if (
            key in cb
            and count == len(a.content)
            and cb[key] == len(b.content)
            and count > _GUESS_THRESHOLD
        ):
            return key
    return None


def grab(node: n.Node | None, dotted: str) -> n.Node | None:
    for part in dotted.split("."):
        if node is None or node.kind != n.MAPPING:
            return None
        node = lookup(node, part)
    return node


def k8s_name(node: n.Node) -> str | None:
    if node.kind != n.MAPPING:
        return None
    parts = []
    for field_path in ("apiVersion", "kind"):
        found = grab(node, field_path)
        if found is None:
            return None
        parts.append(found.value)
    namespace = grab(node, "metadata.namespace")
    if namespace is not None:
        parts.append(namespace.value)
    name = grab(node, "metadata.name")
    if name is None:
        return None
    parts.append(name.value)
    return "/".join(parts)


def all_k8s(seq: n.Node) -> bool:
    return all(k8s_name(entry) is not None for entry in seq.content)


def entry_name(ident: str, entry: n.Node) -> str | None:
    if ident == K8S:
        return k8s_name(entry)
    found = grab(entry, ident)
    return None if found is None else found.value


def named_index(ident: str, seq: n.Node) -> dict[str, n.Node]:
    """Entries by name (the first of equal names), up to the first entry without one."""
    found: dict[str, n.Node] = {}
    for entry in seq.content:
        name = entry_name(ident, entry)
        if name is None:
            break  # dyff's look-up gives up at an entry without the field
        found.setdefault(name, entry)
    return found
