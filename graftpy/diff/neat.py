"""How graft's diff prints YAML values: the "neat" layout of node trees.

This is not graft's merge output: keys are never quoted, a scalar is printed
as written (quoted only for ``true``/``false``/``null`` or when it holds one of
`` *&:,``), lists are not indented under their key and multi-line strings
always use ``|``. Added and removed entries are first restructured: well-known
keys such as ``name`` go first, deeper values last.
"""

from __future__ import annotations

from collections.abc import Callable

from graftpy.diff import nodes as n

Colorize = Callable[[str, str], str]


def _plain(text: str, _role: str) -> str:
    return text


def to_yaml(node: n.Node, colorize: Colorize = _plain) -> str:
    out: list[str] = []
    _node(out, "", False, node, colorize)
    return "".join(out)


def _needs_quotes(node: n.Node) -> bool:
    if node.tag != n.STR:
        return False
    if node.value in ("true", "false", "null"):
        return True
    return any(c in node.value for c in " *&:,")


def _anchor(node: n.Node, colorize: Colorize) -> str:
    return " " + colorize("&" + node.anchor, "anchorColor") if node.anchor else ""


def _node(out: list[str], prefix: str, skip_first: bool, node: n.Node, colorize: Colorize) -> None:
    kind = node.kind
    if kind == n.DOCUMENT:
        out.append(colorize("---", "documentStart") + "\n")
        for child in node.content:
            _node(out, prefix, False, child, colorize)
    elif kind == n.SEQUENCE:
        for i, entry in enumerate(node.content):
            if i > 0 or not skip_first:
                out.append(prefix)
            out.append(colorize("-", "dashColor") + " ")
            _node(out, prefix + "  ", True, entry, colorize)
    elif kind == n.MAPPING:
        for i in range(0, len(node.content) - 1, 2):
            if i > 0 or not skip_first:
                out.append(prefix)
            key, value = node.content[i], node.content[i + 1]
            out.append(colorize(key.value + ":", "keyColor"))
            if value.kind == n.MAPPING:
                if not value.content:
                    out.append(
                        _anchor(value, colorize) + " " + colorize("{}", "emptyStructures") + "\n"
                    )
                else:
                    out.append(_anchor(value, colorize) + "\n")
                    _node(out, prefix + "  ", False, value, colorize)
            elif value.kind == n.SEQUENCE:
                if not value.content:
                    out.append(
                        _anchor(value, colorize) + " " + colorize("[]", "emptyStructures") + "\n"
                    )
                else:
                    out.append(_anchor(value, colorize) + "\n")
                    _node(out, prefix, False, value, colorize)
            elif value.kind == n.SCALAR:
                out.append(_anchor(value, colorize) + " ")
                _node(out, prefix + "  ", False, value, colorize)
            elif value.kind == n.ALIAS:
                out.append(" " + colorize("*" + value.value, "anchorColor") + "\n")
    elif kind == n.SCALAR:
        role = _SCALAR_ROLES.get(node.tag, "scalarDefaultColor")
        lines = node.value.split("\n")
        if len(lines) == 1:
            text = f'"{node.value}"' if _needs_quotes(node) else node.value
            out.append(colorize(text, role))
        else:
            out.append(colorize("|", "multiLineTextColor") + "\n")
            out.append("\n".join(prefix + colorize(line, "multiLineTextColor") for line in lines))
        out.append("\n")
    elif kind == n.ALIAS and node.target is not None:
        _node(out, prefix, skip_first, node.target, colorize)


_SCALAR_ROLES = {
    n.BOOL: "boolColor",
    n.INT: "intColor",
    n.FLOAT: "floatColor",
    n.NULL: "nullColor",
    "!!binary": "binaryColor",
}


# Key orders dyff considers natural for BOSH, Concourse and similar files.
_KNOWN_ORDERS: tuple[tuple[str, ...], ...] = (
    (
        "name",
        "director_uuid",
        "releases",
        "instance_groups",
        "networks",
        "resource_pools",
        "compilation",
    ),
    ("name", "url", "version", "sha1"),
    ("jobs", "resources", "resource_types"),
    ("name", "type", "source"),
    ("get",),
    ("put",),
    ("task",),
    ("releases", "instance_groups", "configuration", "variables"),
    ("auth", "templates"),
    ("name",),
    ("key",),
    ("id",),
)


def restructure(node: n.Node) -> None:
    """Reorder map keys in place: known keys first, then the rest by nesting depth."""
    if node.kind == n.DOCUMENT:
        if node.content:
            restructure(node.content[0])
    elif node.kind == n.MAPPING:
        keys = [node.content[i].value for i in range(0, len(node.content) - 1, 2)]
        best: tuple[str, ...] | None = None
        hits = 0
        for order in _KNOWN_ORDERS:
            count = sum(1 for k in keys if k in order)
            if count > hits:
                best, hits = order, count
        if best is not None:
            _reorder(node, [k for k in best if k in keys])
        for i in range(1, len(node.content), 2):
            restructure(node.content[i])
    elif node.kind == n.SEQUENCE:
        for entry in node.content:
            restructure(entry)


def _reorder(node: n.Node, first: list[str]) -> None:
    pairs = {}
    for i in range(0, len(node.content) - 1, 2):
        pairs[node.content[i].value] = (node.content[i], node.content[i + 1])
    rest = [k for k in pairs if k not in first]
    rest.sort(key=lambda k: max_depth(pairs[k][1]))
    node.content = [part for k in first + rest for part in pairs[k]]


def max_depth(node: n.Node) -> int:
    """The longest path to a leaf below ``node`` (named-list entries count twice)."""
    kind = node.kind
    if kind == n.DOCUMENT:
        return max_depth(node.content[0]) if node.content else 0
    if kind == n.MAPPING:
        depths = [
            1 + max_depth(node.content[i])
            for i in range(1, len(node.content), 2)
            if _has_leaf(node.content[i])
        ]
        return max(depths, default=0)
    if kind == n.SEQUENCE:
        ident = identifier_of(node)
        depths = []
        for entry in node.content:
            if ident:
                for i in range(0, len(entry.content) - 1, 2):
                    if entry.content[i].value != ident and _has_leaf(entry.content[i + 1]):
                        depths.append(2 + max_depth(entry.content[i + 1]))
            elif _has_leaf(entry):
                depths.append(1 + max_depth(entry))
        return max(depths, default=0)
    return 0


def _has_leaf(node: n.Node) -> bool:
    if node.kind in (n.MAPPING, n.SEQUENCE, n.DOCUMENT):
        if node.kind == n.SEQUENCE and identifier_of(node):
            ident = identifier_of(node)
            return any(
                e.content[i].value != ident and _has_leaf(e.content[i + 1])
                for e in node.content
                for i in range(0, len(e.content) - 1, 2)
            )
        step = 2 if node.kind == n.MAPPING else 1
        start = 1 if node.kind == n.MAPPING else 0
        return any(_has_leaf(c) for c in node.content[start::step])
    return True


def identifier_of(seq: n.Node) -> str:
    """``name``, ``key`` or ``id`` when every entry of the list has that key."""
    counts: dict[str, int] = {}
    for entry in seq.content:
        for i in range(0, len(entry.content) - 1, 2) if entry.kind == n.MAPPING else ():
            k = entry.content[i].value
            counts[k] = counts.get(k, 0) + 1
    for ident in ("name", "key", "id"):
        if counts.get(ident) == len(seq.content):
            return ident
    return ""
