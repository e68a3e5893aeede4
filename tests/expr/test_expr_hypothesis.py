"""Property tests: nothing but ExprSyntaxError escapes the parser, generated
expressions parse to the tree they were built from, precedence matches an
independent shunting-yard reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.expr import (
    BinOp,
    Call,
    ExprSyntaxError,
    Literal,
    Or,
    Reference,
    Ternary,
    UnaryOp,
    as_node,
    references,
    render,
)

from .conftest import OPERATORS, is_operator, parse

ALPHABET = st.sampled_from(
    list('abcxyz019._-$[]{}()"\\ ,|&=!<>+*/%?:~@\t\n') + ["grab", "concat", "nil", "||", "&&"]
)


def _check(src: str) -> None:
    try:
        result = parse(src)
    except ExprSyntaxError as e:
        assert 0 <= e.position <= len(src)
        assert f"at position {e.position}" in e.message
        return
    assert result is None or isinstance(result, Call)
    if result is not None:
        references(result)  # never raises on a parsed tree
        render(result)


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=25).map("".join))
def test_random_text_inside_parens(body: str) -> None:
    _check(f"(( {body} ))")
    _check(f"(({body}))")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_string(text: str) -> None:
    _check(text)
    _check(f"(( {text} ))")


# -- generated expressions ------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b.c", "meta.x", "list.0", "my-key", "jobs.web.x"])
BINARY = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]


def _leaf(with_calls: bool = True) -> st.SearchStrategy[tuple[str, object]]:
    refs = NAMES.map(lambda n: (n, Reference(tuple(n.split(".")), n)))
    ints = st.integers(min_value=0, max_value=999).map(lambda i: (str(i), Literal(i)))
    strs = st.text(alphabet="xyz ()|-", max_size=5).map(lambda s: (f'"{s}"', Literal(s)))
    calls = NAMES.map(
        lambda n: (f"(grab {n})", Call("grab", (Reference(tuple(n.split(".")), n),), f"(grab {n})"))
    )
    return st.one_of(refs, ints, strs, calls) if with_calls else st.one_of(refs, ints, strs)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    binary = st.tuples(children, st.sampled_from(BINARY), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", BinOp(t[1], t[0][1], t[2][1]))
    )
    unary = children.map(lambda c: (f"!{c[0]}", UnaryOp("!", c[1])))
    ternary = st.tuples(children, children, children).map(
        lambda t: (f"({t[0][0]} ? {t[1][0]} : {t[2][0]})", Ternary(t[0][1], t[1][1], t[2][1]))
    )
    return st.one_of(binary, unary, ternary)


EXPRESSIONS = st.recursive(_leaf(), _extend, max_leaves=12)
INFIX_ONLY = st.recursive(_leaf(with_calls=False), _extend, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS)
def test_generated_expressions_parse_to_their_tree(pair: tuple[str, object]) -> None:
    text, tree = pair
    call = parse(f"(( {text} ))")
    if isinstance(tree, BinOp | UnaryOp | Ternary):
        assert call is not None
        assert as_node(call) == tree
    else:
        assert call is None  # a single operand (a parenthesised call too) is no operator call


@settings(max_examples=150, deadline=None)
@given(INFIX_ONLY)
def test_render_round_trips(pair: tuple[str, object]) -> None:
    # (nested calls are rendered without their parentheses, as graft does)
    call = parse(f"(( concat {pair[0]} ))")
    assert call is not None
    again = parse(f"(( {render(call)} ))")
    assert again is not None
    assert again.args == _or_else(call.args)


def _or_else(args: tuple) -> tuple:
    # rendering loses the parentheses that made ``||`` an or-else inside arguments
    out = []
    for a in args:
        if isinstance(a, BinOp) and a.op == "||":
            a = Or(a.left, a.right)
        out.append(a)
    return tuple(out)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(BINARY), min_size=1, max_size=6),
    st.data(),
)
def test_precedence_matches_shunting_yard(ops: list[str], data: st.DataObject) -> None:
    names = [f"v{i}" for i in range(len(ops) + 1)]
    text = " ".join(x for pair in zip(names, [*ops, ""], strict=True) for x in pair).strip()
    call = parse(f"(( {text} ))")
    assert call is not None
    assert as_node(call) == _shunting_yard(names, ops)


PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4}
PREC |= {"+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def _shunting_yard(names: list[str], ops: list[str]) -> object:
    out: list[object] = [Reference((names[0],), names[0])]
    stack: list[str] = []

    def reduce() -> None:
        op = stack.pop()
        right, left = out.pop(), out.pop()
        out.append(BinOp(op, left, right))

    for op, name in zip(ops, names[1:], strict=True):
        while stack and PREC[stack[-1]] >= PREC[op]:  # all left associative
            reduce()
        stack.append(op)
        out.append(Reference((name,), name))
    while stack:
        reduce()
    return out[0]


def test_operator_names_match_the_registry_used_in_tests() -> None:
    assert "grab" in OPERATORS


# -- the fast path gives the full parser's tree ----------------------------------------------

FAST_VOCAB = st.sampled_from(
    [
        "grab",
        "concat",
        "vault@prod",
        "a.b",
        "x",
        "-5",
        "3.5",
        "nil",
        "TRUE",
        "$HOME",
        "$.a",
        '"s"',
        '"a b"',
        '""',
        "||",
        ",",
        "my-key",
        "a:b",
        "q?",
        "+",
        "(",
        ")",
        "[0]",
        "\\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FAST_VOCAB, min_size=1, max_size=8), st.sampled_from([" ", "  ", "\t"]))
def test_fast_path_matches_the_full_parser(words: list[str], sep: str) -> None:
    from graftpy.expr.parser import parse_tokens
    from graftpy.expr.simple import parse_simple

    src = f"(({sep}{sep.join(words)}{sep}))"
    start, stop = 2, len(src) - 2
    fast = parse_simple(src, start, stop, is_operator, src)
    if fast is None:
        return
    slow = parse_tokens(src, start, stop, is_operator, src)
    assert repr(fast) == repr(slow)  # repr shows the positions too
