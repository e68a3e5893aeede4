"""Document paths: parsing ``a.b[0].c`` / ``$.a.b`` and printing ``$.a.b``.

A path is a tuple of string components, as graft's cursors are: list entries
are addressed by index (``"0"``) or by the ``name``/``key``/``id`` of a map
entry (``"web"``).
"""

from __future__ import annotations

from graftpy.errors import GraftError

Path = tuple[str, ...]


class PathSyntaxError(GraftError):
    def __init__(self, problem: str, position: int) -> None:
        super().__init__(f"syntax error: {problem} at position {position}")
        self.problem = problem
        self.position = position


def parse_path(text: str) -> Path:
    """Split ``a.b[0].c`` (optionally ``$.``-prefixed) into components."""
    nodes: list[str] = []
    node: list[str] = []
    bracketed = False

    def push() -> None:
        if not node:
            return
        s = "".join(node)
        node.clear()
        if not nodes and s == "$":
            return
        nodes.append(s)

    for pos, c in enumerate(text):
        if c == "." and not bracketed:
            push()
        elif c == "[":
            if bracketed:
                raise PathSyntaxError("unexpected '['", pos)
            push()
            bracketed = True
        elif c == "]":
            if not bracketed:
                raise PathSyntaxError("unexpected ']'", pos)
            push()
            bracketed = False
        else:
            node.append(c)
    push()
    return tuple(nodes)


def format_path(path: Path) -> str:
    """``("a", "b")`` -> ``"a.b"`` (no ``$.``)."""
    return ".".join(path)


def dollar(path: Path) -> str:
    """``("a", "b")`` -> ``"$.a.b"``, the form used in messages."""
    return "$." + ".".join(path) if path else "$"


def is_under(path: Path, parent: Path) -> bool:
    """True when ``path`` lies strictly below ``parent``."""
    return len(path) > len(parent) and path[: len(parent)] == parent
