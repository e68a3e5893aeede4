"""The parser's fast paths give exactly the tree, positions included, that the
paths after them give: ``parse_one_reference`` as ``parse_simple``, and both as
the full parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.expr.parser import parse_tokens
from graftpy.expr.simple import parse_one_reference, parse_simple

from .conftest import is_operator

WORDS = st.sampled_from(
    ["grab", "keys", "nope", "a", "meta", "b-c", "_x", "0", "1e3", "nil", "Null", "nIl", "NaN",
     "inf", "Infinity", "true", "False", "$HOME", "x[0]", "a||b", "+", "grab(x)", "x@y"]
)
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", ""])


@st.composite
def sources(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=3))
    dotted = draw(st.lists(WORDS, min_size=1, max_size=3))
    spaces = [draw(SPACES) for _ in range(3)]
    body = ".".join(dotted)
    return f"(({spaces[0]}{words[0]}{spaces[1]}{body}{spaces[2]}))" + draw(st.sampled_from(["", " "]))


def tree(call: object) -> str:
    return repr(call)  # repr shows every field and every position


@settings(max_examples=2000, deadline=None)
@given(sources())
def test_the_one_reference_path_gives_what_the_simple_path_gives(src: str) -> None:
    quick = parse_one_reference(src, is_operator)
    if quick is not None:
        stop = len(src.rstrip()) - 2
        assert tree(quick) == tree(parse_simple(src, 2, stop, is_operator, src.strip()))
        assert tree(quick) == tree(parse_tokens(src, 2, stop, is_operator, src.strip()))


def test_the_common_shape_takes_the_fast_path() -> None:
    call = parse_one_reference("(( grab meta.a-b.c_0 ))", is_operator)
    assert call is not None and call.args[0].path == ("meta", "a-b", "c_0")
    assert call.args[0].pos == 8 and call.pos == 3
    for other in ["(( grab null ))", "(( grab nan ))", "(( nope a ))", " (( grab a ))",
                  "((\u00a0grab a ))", "(( grab a b ))", "(( grab $A ))"]:
        assert parse_one_reference(other, is_operator) is None, other
