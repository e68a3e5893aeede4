"""Fast paths for the shapes nearly every expression has:
``(( name arg arg || arg ... ))`` with plain words and quoted strings, and
within it the commonest of all, ``(( name a.b.c ))``.

They give exactly the tree the full parser gives; anything else (parentheses,
infix operators, brackets, escapes, syntax errors) is left to the parser by
returning ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graftpy.expr.nodes import Call, Literal, Node, Or, Reference
from graftpy.expr.words import KEYWORDS, word_node

# A string or a word must end at whitespace, "(", ")", "," or the end: anything
# else ("a"b, 'it''s', a"b") is the parser's to read.
_END = r"(?=[\s(),]|\Z)"
# A word holds none of the characters the full parser treats specially
# (``[]{}&=!<>|``), so a word such as ``a||b`` or ``x[0]`` stops the match and the
# expression goes to the parser; ``||`` between spaces is a token of its own.
_TOKEN = re.compile(
    r'\s*(?:"([^"\\]*)"' + _END + r"|'([^'\\]*)'" + _END + r"|(,)|(\|\|)" + _END
    + r"|([^\s\"'(),\\\[\]{}&=!<>|]+)" + _END + ")"
)
_NAME = re.compile(r"([a-zA-Z][a-zA-Z0-9_-]*)(?:@([a-zA-Z0-9_-]+))?")
# (( grab a.b.c )) written plainly: spaces only (other white space is for the
# parser to judge), one operator word, one reference word of plain components
_ONE_REFERENCE = re.compile(
    r"\(\( +([a-zA-Z][a-zA-Z0-9_-]*) +([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*) +\)\)"
)
# words of that shape that are no references (word_node: keywords, inf and nan)
_NOT_REFERENCES = KEYWORDS | {"inf", "infinity", "nan"}
_STANDALONE = frozenset({"+", "-", "*", "/", "%", "?", ":"})


def parse_one_reference(src: str, is_operator: Callable[[str], bool]) -> Call | None:
    """The call for ``(( name a.b.c ))`` exactly so written, or None for the other paths.

    ``parse_simple`` gives the same tree for it (``tests/expr/test_expr_fast_paths.py``),
    in a quarter of the time: most expressions of a large document have this shape."""
    m = _ONE_REFERENCE.fullmatch(src)
    if m is None:
        return None
    name, word = m.group(1, 2)
    if word.lower() in _NOT_REFERENCES or not is_operator(name):
        return None
    return Call(name, (Reference(tuple(word.split(".")), word, m.start(2)),), src, None, m.start(1))


def parse_simple(
    src: str, start: int, stop: int, is_operator: Callable[[str], bool], text: str
) -> Call | None:
    """The call for ``src[start:stop]``, or None to let the parser decide."""
    m = _TOKEN.match(src, start, stop)
    if m is None or m.group(5) is None:
        return None
    head = _NAME.fullmatch(m.group(5))
    if head is None or not is_operator(head.group(1)):
        return None
    name_pos = m.start(5)
    args: list[Node] = []
    pending_or = False
    after_comma = False  # "a, || b" is the parser's syntax error
    i = m.end()
    match = _TOKEN.match
    while (m := match(src, i, stop)) is not None:
        i = m.end()
        double, single, comma, bars, word = m.groups()
        if word is not None:
            if word in _STANDALONE:
                return None
            node: Node = word_node(word, m.start(5), src)
        elif bars is not None:
            if pending_or or not args or after_comma:
                return None
            pending_or = True
            continue
        elif comma is not None:
            if pending_or:
                return None
            after_comma = True
            continue
        elif double is not None:
            node = Literal(double, m.start(1) - 1)
        else:
            node = Literal(single, m.start(2) - 1)
        after_comma = False
        if pending_or:
            args[-1] = Or(args[-1], node, args[-1].pos)
            pending_or = False
        else:
            args.append(node)
    if pending_or or src[i:stop].strip():
        return None
    return Call(head.group(1), tuple(args), text, head.group(2), name_pos)
