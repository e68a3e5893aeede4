"""Every graft operator that yields a value, with its argument forms, right and wrong.

``call_body`` is the text of one call without its ``(( ))`` (``concat a "b"``);
``value_expression`` is a whole value (``(( grab meta.a || "x" ))``). The
operators that only make sense in a place (``inject``, ``param``, ``prune``,
``sort``, ``static_ips``, the array operators) are placed by ``documents``;
the secret-store operators are in ``secrets``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .exprs import (
    E,
    Expr,
    env_ref,
    infix,
    join,
    keyword_literal,
    literal,
    number_literal,
    operand,
    or_default,
    reference,
    string_literal,
)
from .odds import chance
from .scope import Scope

IPS = [
    "10.0.0.0/24",
    "10.0.0.1",
    "192.168.1.0/30",
    "10.0.0.0/8",
    "2001:db8::/120",
    "::1",
    "300.1.1.1",
    "10.0.0.0/33",
    "10.0.0.255",
]
CALCS = [
    "{n} + 1",
    "{n} * 2 + {m}",
    "{n} / 4",
    "({n} + {m}) * 3",
    "max({n}, {m})",
    "min({n}, 2)",
    "{n} - {m} - 1",
    "pow({n}, 2)",
    "sqrt({n})",
    "floor({n} / 3)",
    "ceil({n} / 3)",
    "{n} % 2",
    "{n} / 0",
    "{n} +",
    "mod({n}, 3)",
    "{n} ** 2",
    "-{n}",
    "{n} > 2",
    "unknown.path + 1",
    "{n} * 1.5",
]
BASE64 = [
    "aGVsbG8=",
    "aGVsbG8",
    "d29ybGQ=",
    "",
    "!!!",
    "4pyTIMOgIGxhIG1vZGU=",
    "/w==",
    "aGVs\nbG8=",
]
SEPARATORS = [",", ", ", "-", "", " ", "::", "/[,;]/", "/\\s+/", "/x*/", "\\n"]
EMPTY_TYPES = ["hash", "map", "array", "list", "string", "HASH", "thing"]


def _ref_or(scope: Scope, kinds: tuple[str, ...]) -> st.SearchStrategy[Expr]:
    return st.one_of(reference(scope, kinds), reference(scope, kinds), operand(scope, 2))


@st.composite
def call_body(draw: st.DrawFn, scope: Scope, depth: int = 0) -> Expr:
    name = draw(st.sampled_from(OPERATOR_WEIGHTS))
    return draw(BUILDERS[name](scope, depth))


def _args(draw: st.DrawFn, strategy: st.SearchStrategy[Expr], lo: int, hi: int) -> list[Expr]:
    return [draw(strategy) for _ in range(draw(st.integers(lo, hi)))]


def _call(name: str, args: list[Expr], feature: str | None = None) -> Expr:
    return join([E(name, feature or f"op-{name}"), *args]) if args else E(name, f"op-{name}")


@st.composite
def grab(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    if depth < 2 and chance(draw, 7):  # a path built by a nested call
        path = draw(st.sampled_from(scope.scalar_paths() or ["meta"]))
        head, _, tail = path.rpartition(".")
        arg = Expr(f'(concat "{head}." "{tail}")', frozenset({"grab-built-path"}))
        return _call("grab", [arg])
    return _call("grab", _args(draw, reference(scope), 1, 3))


@st.composite
def concat(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    args = _args(draw, st.one_of(operand(scope, depth), reference(scope, ("str", "int"))), 1, 4)
    if any(a.text in ("nil", "null", "~") for a in args):
        args.append(E("", "concat-null"))
    return _call("concat", args)


@st.composite
def join_op(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    sep = draw(st.one_of(string_literal(), string_literal(), number_literal(), reference(scope)))
    items = _args(draw, st.one_of(reference(scope, ("list",)), operand(scope, depth)), 0, 3)
    return _call("join", [sep, *items])


@st.composite
def keys(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    arg = draw(
        st.one_of(
            reference(scope, ("map",)), reference(scope, ("map",)), reference(scope), literal(scope)
        )
    )
    return _call("keys", [arg] if not chance(draw, 10) else [])


@st.composite
def ips(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    ip = E(f'"{draw(st.sampled_from(IPS))}"')
    index = draw(
        st.one_of(
            number_literal(),
            reference(scope, ("int",)),
            st.sampled_from(["-1", "-3", "255", "0"]).map(E),
        )
    )
    args = [ip, index]
    if draw(st.booleans()):
        args.append(
            draw(
                st.one_of(
                    st.sampled_from(["1", "2", "3", "0", "-1", "300"]).map(E),
                    reference(scope, ("int",)),
                )
            )
        )
    if chance(draw, 13):
        args = args[: draw(st.integers(0, 1))]
    return _call("ips", args)


@st.composite
def calc(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    numbers = scope.scalar_paths(("int", "float")) or ["1"]
    text = draw(st.sampled_from(CALCS)).format(
        n=draw(st.sampled_from(numbers)), m=draw(st.sampled_from(numbers + ["2", "0.5"]))
    )
    if chance(draw, 10):
        return _call("calc", [draw(reference(scope, ("str",)))])
    return _call("calc", [E(f'"{text}"')])


@st.composite
def base64(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    return _call(
        "base64", _args(draw, _ref_or(scope, ("str", "int")), 1, 1) if not chance(draw, 10) else []
    )


@st.composite
def base64_decode(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    lit = st.sampled_from(BASE64).map(lambda s: E('"' + s.replace("\n", "\\n") + '"'))
    arg = draw(st.one_of(lit, lit, reference(scope, ("str",)), operand(scope, depth)))
    return _call("base64-decode", [arg], "op-base64-decode")


@st.composite
def cartesian_product(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    items = st.one_of(
        reference(scope, ("list",)), reference(scope, ("list",)), operand(scope, depth)
    )
    return _call("cartesian-product", _args(draw, items, 0, 3), "op-cartesian-product")


@st.composite
def defer(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    inner = draw(st.one_of(call_body(scope, 2), infix(scope, 2), operand(scope, 2)))
    if chance(draw, 5):
        inner = draw(or_default(scope, inner, 2))
    return _call("defer", [inner] if not chance(draw, 13) else [])


@st.composite
def empty(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    arg = draw(
        st.one_of(
            st.sampled_from(EMPTY_TYPES).map(E), string_literal(), reference(scope), literal(scope)
        )
    )
    return _call("empty", [arg] if not chance(draw, 10) else [])


@st.composite
def file(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    names = scope.files + ["nosuchfile.txt", "sub/../data.txt", "/dev/null"]
    name = E(f'"{draw(st.sampled_from(names))}"')
    if chance(draw, 6):
        return _call("file", [E('"."'), name], "file-two-args")
    return _call("file", [name] if not chance(draw, 13) else [])


@st.composite
def load(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    names = scope.yaml_files + scope.files[:1] + ["nosuch.yml"]
    return _call("load", [E(f'"{draw(st.sampled_from(names))}"')])


@st.composite
def negate(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    arg = draw(st.one_of(reference(scope, ("bool",)), keyword_literal(), operand(scope, depth)))
    return _call("negate", [arg] if not chance(draw, 10) else [])


@st.composite
def null(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    return _call("null", _args(draw, operand(scope, depth), 0, 1 if not chance(draw, 10) else 2))


@st.composite
def shuffle(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    # one entry only: graft seeds from the clock, so longer results are random
    return _call("shuffle", [draw(st.one_of(string_literal(), number_literal()))])


@st.composite
def stringify(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    arg = draw(st.one_of(reference(scope, ("map",)), reference(scope, ("list",)), reference(scope)))
    if arg.text in {p for p, _ in scope.scalars}:
        arg = arg + E("", "stringify-scalar")
    return _call("stringify", [arg])


@st.composite
def split(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    sep = draw(
        st.one_of(
            st.sampled_from(SEPARATORS).map(lambda s: E(f'"{s}"')), reference(scope, ("str",))
        )
    )
    text = draw(
        st.one_of(
            reference(scope, ("str",)),
            string_literal(quotes=False),
            st.sampled_from(['"a,b;c"', '"a  b c"', '"x-y-z"', '"日本語"', '"a::b"']).map(E),
        )
    )
    if sep.text == '""' and not text.text.isascii():
        text = text + E("", "row13")
    return _call("split", [sep, text])


@st.composite
def env_call(draw: st.DrawFn, scope: Scope, depth: int) -> Expr:
    """A bare env var as a whole expression, with a default."""
    return draw(or_default(scope, draw(env_ref(scope)), depth))


BUILDERS = {
    "grab": grab,
    "concat": concat,
    "join": join_op,
    "keys": keys,
    "ips": ips,
    "calc": calc,
    "base64": base64,
    "base64-decode": base64_decode,
    "cartesian-product": cartesian_product,
    "defer": defer,
    "empty": empty,
    "file": file,
    "load": load,
    "negate": negate,
    "null": null,
    "shuffle": shuffle,
    "stringify": stringify,
    "split": split,
    "env": env_call,
}
OPERATOR_WEIGHTS = (
    ["grab"] * 6
    + ["concat"] * 5
    + ["join"] * 3
    + ["keys"] * 2
    + ["ips"] * 2
    + ["calc"] * 2
    + [
        "base64",
        "base64-decode",
        "cartesian-product",
        "defer",
        "empty",
        "empty",
        "file",
        "load",
        "negate",
        "null",
        "shuffle",
        "stringify",
        "stringify",
        "split",
        "split",
        "env",
    ]
)


@st.composite
def value_expression(draw: st.DrawFn, scope: Scope) -> Expr:
    """A whole ``(( ... ))`` value: a call, a bare expression, either with ``||``."""
    body = draw(st.one_of(call_body(scope), call_body(scope), call_body(scope), infix(scope)))
    if chance(draw, 6):
        body = draw(or_default(scope, body, 0))
    return Expr(f"(( {body.text} ))", body.features)
