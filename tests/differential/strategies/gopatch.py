"""BOSH go-patch operation files (``--go-patch``): replace and remove, with every path form."""

from __future__ import annotations

from hypothesis import strategies as st

from ..yamltext import Map, Scalar, Seq, quote
from . import literals
from .odds import chance
from .operators import value_expression
from .scope import Scope

PATHS = [
    "/meta/a",
    "/meta/num",
    "/meta/m/k",
    "/meta/m/new?",
    "/meta/l/0",
    "/meta/l/-",
    "/meta/l/9",
    "/meta/jobs/name=web",
    "/meta/jobs/name=web/port",
    "/meta/jobs/name=nobody/port",
    "/meta/jobs/name=db?/port",
    "/meta/l/0:before",
    "/meta/l/0:after",
    "/meta/jobs/0:prev",
    "/meta/jobs/name=web:next",
    "/added?/deep?/x",
    "/meta/nothere/x",
    "/r1",
    "/meta",
    "",
    "/meta/jobs/-",
    "meta/a",
    "/meta/l/x",
    "/meta/m~1odd",
]
TYPES = ["replace", "replace", "replace", "remove", "remove", "frobnicate"]


@st.composite
def operation(draw: st.DrawFn, scope: Scope) -> tuple[Map, set[str]]:
    kind = draw(st.sampled_from(TYPES))
    path = draw(st.sampled_from(PATHS))
    items: list[tuple[str, object]] = [("type", Scalar(kind))]
    if not chance(draw, 16):
        items.append(("path", Scalar(quote(path, "plain")) if path else Scalar('""')))
    features = {"gopatch", f"gopatch-{kind}"}
    if kind != "remove" or chance(draw, 7):
        value = draw(
            st.one_of(
                literals.simple_scalars().map(lambda lit: lit.node()),
                value_expression(scope).map(lambda e: Scalar(quote(e.text, "double"))),
                st.just(Map((("nested", Scalar("value")),))),
                st.just(Seq((Scalar("one"), Scalar("two")))),
            )
        )
        items.append(("value", value))
    if chance(draw, 21):
        items.append(("error", Scalar(quote("custom failure", "plain"))))
    return Map(tuple(items)), features


@st.composite
def patch_file(draw: st.DrawFn, scope: Scope) -> tuple[Seq, set[str]]:
    ops, features = [], set()
    for _ in range(draw(st.integers(1, 3))):
        op, f = draw(operation(scope))
        ops.append(op)
        features |= f
    return Seq(tuple(ops)), features
