"""The text inside ``(( ... ))``: operands, nested calls, infix operators, ``||`` defaults.

Strategies return ``Expr`` (text and the features it exercises). Operands
mostly refer to paths of the ``Scope`` with a fitting kind, so that most
expressions evaluate; some refer to missing paths or the wrong kind, so that
errors are compared too. Infix operators always have spaces around them
(DIVERGENCES row 5 is about ``-`` and ``/`` without them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from .odds import chance
from .scope import Scope


@dataclass(frozen=True)
class Expr:
    text: str
    features: frozenset[str] = field(default_factory=frozenset)

    def __add__(self, other: Expr) -> Expr:  # concatenation of texts
        return Expr(self.text + other.text, self.features | other.features)


def E(text: str, *features: str) -> Expr:  # noqa: N802 - reads like a constructor
    return Expr(text, frozenset(features))


def join(parts: list[Expr], sep: str = " ") -> Expr:
    return Expr(sep.join(p.text for p in parts), frozenset().union(*(p.features for p in parts)))


STRING_BODIES = [
    "x",
    "hello world",
    "a-b",
    "",
    "10.0.0.0/24",
    "meta.a",
    "/",
    ",",
    "-",
    ":",
    "42",
    "1.5",
    "true",
    "null",
    "é",
    "日本",
    "a b c",
    "web-1",
    "(( x ))",
    "$HOME",
    "x||y",
    "' q",
]
ESCAPES = [
    ("\\n", "escape"),
    ("\\t", "escape"),
    ("\\\\", "escape"),
    ("\\r", "escape"),
    ("\\n", "escape"),
    ("\\t", "escape"),
    ("\\\\", "escape"),
    ("\\.", "unknown-escape"),
    ("\\d", "unknown-escape"),
    ('\\"', "row15"),
]


@st.composite
def string_literal(draw: st.DrawFn, quotes: bool = True) -> Expr:
    body = draw(st.sampled_from(STRING_BODIES))
    features = {"expr-string"}
    if chance(draw, 5):
        esc, feature = draw(st.sampled_from(ESCAPES))
        cut = draw(st.integers(0, len(body)))
        body = body[:cut] + esc + body[cut:]
        features.add(feature)
    if quotes and "'" not in body and "\\" not in body and chance(draw, 8):
        return Expr(f"'{body}'", frozenset(features | {"single-quote-expr"}))
    return Expr(f'"{body}"', frozenset(features))


def number_literal() -> st.SearchStrategy[Expr]:
    return st.sampled_from(
        [
            "0",
            "1",
            "2",
            "3",
            "7",
            "10",
            "-4",
            "1.5",
            "0.25",
            "-2.5",
            "100",
            "1e3",
            "007",
            "9223372036854775807",
        ]
    ).map(lambda t: E(t, "expr-number"))


def keyword_literal() -> st.SearchStrategy[Expr]:
    return st.sampled_from(["true", "false", "nil", "null", "~"]).map(lambda t: E(t, "expr-word"))


def env_ref(scope: Scope) -> st.SearchStrategy[Expr]:
    names = sorted(scope.env) + ["UNSET_VAR"]
    return st.sampled_from(names).map(
        lambda n: E(f"${n}", "env" if n in scope.env else "env-unset")
    )


def reference(scope: Scope, kinds: tuple[str, ...] | None = None) -> st.SearchStrategy[Expr]:
    """A path that resolves (of a kind when asked), sometimes one that does not."""
    good = scope.scalar_paths(kinds) if kinds != ("map",) else list(scope.maps)
    if kinds is None:
        good = good + scope.maps + scope.lists + scope.exprs
        good += [f"{p}.{n}" for p, names in scope.named for n in names[:2]]
    elif "list" in kinds:
        good = good + scope.lists
    if not good:
        good = scope.scalar_paths() or ["meta"]
    hits = st.sampled_from(good).map(lambda p: E(p, "ref"))
    if not scope.errors:
        return hits
    misses = st.sampled_from(scope.missing()).map(lambda p: E(p, "ref-missing"))
    return st.one_of(hits, hits, hits, hits, hits, hits, misses)


def literal(scope: Scope) -> st.SearchStrategy[Expr]:
    return st.one_of(string_literal(), string_literal(), number_literal(), keyword_literal())


def operand(scope: Scope, depth: int = 0) -> st.SearchStrategy[Expr]:
    """One argument: a reference, a literal, an env var, or (shallowly) a nested call."""
    options = [
        reference(scope),
        reference(scope),
        reference(scope),
        literal(scope),
        literal(scope),
        env_ref(scope),
    ]
    if depth < 2:
        options.append(nested_call(scope, depth + 1))
    return st.one_of(options)


@st.composite
def nested_call(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    from .operators import call_body  # the operator catalogue builds on these operands

    body = draw(call_body(scope, depth))
    return Expr(f"({body.text})", body.features | {"nested-call"})


@st.composite
def or_default(draw: st.DrawFn, scope: Scope, head: Expr, depth: int) -> Expr:
    """``head || fallback [|| fallback]``: graft's or-else."""
    parts = [head]
    for _ in range(draw(st.integers(1, 2))):
        parts.append(draw(st.one_of(operand(scope, depth + 1), literal(scope))))
    return join(parts, " || ") + E("", "or-default")


ARITH = ["+", "-", "*", "/", "%"]
COMPARE = ["==", "!=", "<", "<=", ">", ">="]
LOGIC = ["&&", "||"]


@st.composite
def infix(draw: st.DrawFn, scope: Scope, depth: int = 0) -> Expr:
    """A bare expression: arithmetic, comparison, logic, ``!``, ``?:``, parentheses."""
    form = (
        "neg"
        if chance(draw, 30)
        else draw(
            st.sampled_from(["arith", "arith", "compare", "logic", "not", "ternary", "paren"])
        )
    )
    numbers = st.one_of(reference(scope, ("int", "float")), number_literal())

    def side() -> Expr:
        if depth < 2 and chance(draw, 5):
            inner = draw(infix(scope, depth + 1))
            return Expr("(" + inner.text + ")", inner.features | {"paren"})
        return draw(st.one_of(numbers, numbers, numbers, operand(scope, depth + 1)))

    if form == "arith":
        op = draw(st.sampled_from(ARITH))
        return join([side(), E(op, f"infix{op}"), side()])
    if form == "compare":
        op = draw(st.sampled_from(COMPARE))
        return join([side(), E(op, "compare"), side()])
    if form == "logic":
        op = draw(st.sampled_from(LOGIC))
        return join([side(), E(op, "logic"), side()])
    if form == "not":
        return E("! ", "not") + side()
    if form == "neg":
        return E("-", "unary-minus") + draw(reference(scope, ("int", "float")))
    if form == "ternary":
        return join(
            [
                side(),
                E("?", "ternary"),
                draw(operand(scope, depth + 1)),
                E(":"),
                draw(operand(scope, depth + 1)),
            ]
        )
    inner = draw(infix(scope, depth + 1)) if depth < 2 else side()
    return join(
        [
            Expr("(" + inner.text + ")", inner.features | {"paren"}),
            E(draw(st.sampled_from(ARITH))),
            side(),
        ]
    )
