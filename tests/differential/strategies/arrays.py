"""Overlay lists: the array operators of a merge, in their argument forms.

An overlay list merged onto a base list may start with, or contain, array
operators: ``(( append ))``, ``(( prepend ))``, ``(( replace ))``,
``(( inline ))``, ``(( merge ))``, ``(( merge on KEY ))``, ``(( delete ... ))``
and ``(( insert after|before ... ))``, each followed by the entries it applies.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..yamltext import Map, Scalar, Seq, quote
from . import literals
from .odds import chance

NAMES = ["web", "db", "worker", "api", "cache", "new"]
SIMPLE_OPS = ["append", "prepend", "replace", "inline"]


@st.composite
def _entries(draw: st.DrawFn, named: bool, lo: int = 0, hi: int = 3) -> list[object]:
    if not named:
        return [draw(literals.simple_scalars()).node() for _ in range(draw(st.integers(lo, hi)))]
    out = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=lo, max_size=hi, unique=True)):
        fields: list[tuple[str, object]] = [("name", Scalar(name))]
        if draw(st.booleans()):
            fields.append(("port", draw(literals.simple_scalars()).node()))
        if chance(draw, 6):
            fields.append(("extra", Scalar("yes-please")))
        out.append(Map(tuple(fields)))
    if chance(draw, 10):  # an entry without a name: cannot merge by name
        out.append(Map((("port", Scalar("1")),)))
    return out


@st.composite
def _operator(draw: st.DrawFn, named: bool) -> tuple[str, set[str]]:
    kind = draw(st.sampled_from(SIMPLE_OPS * 2 + ["merge", "delete", "insert"]))
    if kind in SIMPLE_OPS:
        return f"(( {kind} ))", {f"array-{kind}"}
    name = draw(st.sampled_from(NAMES[:3]))
    if kind == "merge":
        form = draw(st.sampled_from(["(( merge ))", "(( merge on name ))", "(( merge on id ))"]))
        return form, {"array-merge"}
    target = draw(
        st.sampled_from(
            [f'"{name}"', name, f'name "{name}"', "0", "1", "-1", "9", f'id "{name}"']
            if named
            else ["0", "1", "-1", "5", '"x"']
        )
    )
    if kind == "delete":
        return f"(( delete {target} ))", {"array-delete"}
    where = draw(st.sampled_from(["after", "before"]))
    return f"(( insert {where} {target} ))", {"array-insert"}


@st.composite
def overlay_list(draw: st.DrawFn, key: str, target: object) -> tuple[Seq, set[str]]:
    """A list to merge onto ``target`` (the base's list at the same place)."""
    named = key == "jobs"
    features: set[str] = {"array-overlay"}
    items: list[object] = []
    if not chance(draw, 4):  # most overlay lists use operators
        for _ in range(draw(st.integers(1, 2))):
            op, op_features = draw(_operator(named))
            if chance(draw, 40):  # graft's merge engine only sees spaced forms
                op = op.replace("(( ", "((").replace(" ))", "))")
                op_features.add("nospace-arrayop")
            items.append(Scalar(quote(op, "plain")))
            features |= op_features
            items.extend(draw(_entries(named, 0 if "delete" in op else 1)))
    else:
        items = draw(_entries(named, 0))
        features.add("array-default")
    return Seq(tuple(items)), features
