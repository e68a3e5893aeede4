"""Whole documents: a ``meta`` block of literal data, expression keys, odd keys and values.

``base_document`` draws the first file of a run and the ``Scope`` that
expressions refer to; ``overlay_document`` draws a file merged onto it
(overrides, new expressions, array operators on the base's lists, ``~``).
The data that expressions may read as a whole (``meta``'s maps and lists) holds
literals only: a subtree operator reading a subtree with operators inside is
DIVERGENCES row 12.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from ..yamltext import Alias, Block, Map, Scalar, Seq, quote
from . import literals
from .arrays import overlay_list
from .exprs import Expr
from .literals import Lit
from .odds import chance
from .operators import value_expression
from .scope import Scope

REF_KEYS = ["a", "b", "c", "num", "count", "flag", "word", "text", "ratio", "port", "k1", "zed"]
EXPR_KEYS = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "out", "res", "val", "calc_out"]
ODD_KEYS = [
    ('"quoted key"', set()),
    ("with space", set()),
    ("1", {"odd-key"}),
    ("2.5", {"odd-key"}),
    ("true", {"odd-key"}),
    ("y", {"yn-bool"}),
    ("n", {"yn-bool"}),
    ("on", {"yn-bool"}),
    ("yes", {"yn-bool"}),
    ("Y", {"yn-bool"}),
    ("off", {"yn-bool"}),
    ("~", {"odd-key"}),
    ('"y"', set()),
    ("'n'", set()),
    ("key-with-dash", set()),
    ("UPPER", set()),
    ("ünï", set()),
    ("null", {"odd-key"}),
    ("0x10", {"odd-key"}),
    ('"1"', set()),
    ("<<", {"merge-key"}),
    ("- x", None),
    ("a.b", set()),
]
NAMES = ["web", "db", "worker", "api", "cache"]


@dataclass
class Doc:
    """A drawn file: its node tree and the features it exercises."""

    root: Map | Seq | Scalar
    features: set[str] = field(default_factory=set)
    rows: set[int] = field(default_factory=set)


def expression_node(draw: st.DrawFn, expr: Expr, doc: Doc) -> Scalar:
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    doc.features |= expr.features
    return Scalar(quote(expr.text, style))


def lit_node(lit: Lit, doc: Doc) -> Scalar:
    doc.features |= lit.features
    if "row18" in lit.features:
        doc.rows.add(18)
    return lit.node()


@st.composite
def meta_block(draw: st.DrawFn, scope: Scope, doc: Doc, dialect: bool) -> Map:
    """Literal data: scalars of every form, a map, a list, a list of named maps."""
    items: list[tuple[str, object]] = []
    keys = draw(st.lists(st.sampled_from(REF_KEYS), min_size=2, max_size=6, unique=True))
    for key in keys:
        lit = draw(
            st.one_of(
                literals.scalars(with_dialect=dialect),
                literals.simple_scalars(),
                literals.simple_scalars(),
            )
        )
        items.append((key, lit_node(lit, doc)))
        scope.scalars.append((f"meta.{key}", lit))
    if chance(draw, 6):
        block = draw(literals.block_scalars())
        items.append(("block", block))
        doc.features.add("block-scalar")
        scope.scalars.append(("meta.block", Lit("", "str", "\n".join(block.lines))))
    # a map
    sub = draw(
        st.lists(st.sampled_from(["k", "v", "host", "size"]), min_size=0, max_size=3, unique=True)
    )
    sub_items = []
    for key in sub:
        lit = draw(literals.simple_scalars())
        sub_items.append((key, lit.node()))
        scope.scalars.append((f"meta.m.{key}", lit))
    items.append(("m", Map(tuple(sub_items), flow=draw(st.booleans()))))
    scope.maps.append("meta.m")
    # a list of scalars
    entries = draw(
        st.lists(
            st.one_of(literals.simple_scalars(), literals.scalars(with_dialect=dialect)), max_size=4
        )
    )
    flow = draw(st.booleans()) and all(e.token and e.token[0] not in "|>" for e in entries)
    items.append(("l", Seq(tuple(lit_node(e, doc) for e in entries), flow=flow)))
    scope.lists.append("meta.l")
    for i, lit in enumerate(entries[:2]):
        scope.scalars.append((f"meta.l.{i}", lit))
    # a list of named maps
    names = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
    jobs = []
    for name in names:
        fields = [("name", Scalar(name))]
        port = draw(literals.simple_scalars())
        fields.append(("port", port.node()))
        scope.scalars.append((f"meta.jobs.{name}.port", port))
        jobs.append(Map(tuple(fields)))
    items.append(("jobs", Seq(tuple(jobs))))
    scope.named.append(("meta.jobs", names))
    scope.lists.append("meta.jobs")
    return Map(tuple(items))


@st.composite
def odd_entries(draw: st.DrawFn, doc: Doc, dialect: bool) -> list[tuple[str, object]]:
    """Keys and values whose reading and printing is what is tested: no references."""
    out = []
    # one spelling per key: `y` and `"y"` are the same key to graft (a duplicate)
    for key, features in draw(
        st.lists(st.sampled_from(ODD_KEYS), max_size=3, unique_by=lambda kf: kf[0].strip("'\""))
    ):
        if features is None:  # not a key YAML accepts as written: quote it
            key, features = quote(key, "double"), set()
        if not dialect and features & {"yn-bool"}:
            continue
        if key == "<<":
            continue  # a merge key needs an alias: see anchors()
        doc.features |= features
        lit = draw(literals.scalars(with_dialect=dialect))
        out.append((key, lit_node(lit, doc)))
    return out


@st.composite
def anchors(draw: st.DrawFn, doc: Doc) -> list[tuple[str, object]]:
    """An anchored map and its uses: an alias, and a ``<<`` merge key."""
    base = Map((("p", Scalar("1")), ("q", Scalar("two"))), anchor="defaults")
    out: list[tuple[str, object]] = [("defaults", base), ("copy", Alias("defaults"))]
    if draw(st.booleans()):
        out.append(("merged", Map((("<<", Alias("defaults")), ("q", Scalar("over"))))))
    doc.features.add("anchors")
    return out


# param's argument forms, right and wrong (graft: "param operator only expects one argument")
PARAM_ARGS = ['"please set needed" ', "", '"a" "b" ', "meta.text ", "meta.nothere ",
              '(concat "set " "me") ']


@st.composite
def base_document(draw: st.DrawFn, scope: Scope, dialect: bool = True) -> Doc:
    doc = Doc(Map(()))
    items: list[tuple[str, object]] = [("meta", draw(meta_block(scope, doc, dialect)))]
    expr_keys = draw(st.lists(st.sampled_from(EXPR_KEYS), min_size=1, max_size=5, unique=True))
    for key in expr_keys:
        expr = draw(value_expression(scope))
        items.append((key, expression_node(draw, expr, doc)))
        scope.exprs.append(key)  # later expressions may refer to earlier ones
    items += draw(odd_entries(doc, dialect))
    if chance(draw, 8):
        items += draw(anchors(doc))
    if chance(draw, 6):
        message = draw(st.sampled_from(PARAM_ARGS))
        items.append(("needed", Scalar(quote(f"(( param {message}))", "plain"))))
        doc.features.add("op-param")
    if chance(draw, 7):
        items.append(("scratch", Scalar("(( prune ))")))
        doc.features.add("op-prune")
    if chance(draw, 7):
        items.append(
            ("target", Map((("own", Scalar("mine")), ("inj", Scalar("(( inject meta.m ))")))))
        )
        doc.features.add("op-inject")
    if chance(draw, 9):  # a cycle: a deliberate error
        items.append(("loop_a", Scalar("(( grab loop_b ))")))
        items.append(("loop_b", Scalar(quote('(( concat "x" loop_a ))', "plain"))))
        doc.features.add("cycle")
    doc.root = Map(tuple(items))
    return doc


@st.composite
def overlay_document(draw: st.DrawFn, scope: Scope, base: Map, dialect: bool = True) -> Doc:
    """A file merged onto the base: overrides, expressions, array operators, ``~``."""
    doc = Doc(Map(()))
    items: list[tuple[str, object]] = []
    meta_items: list[tuple[str, object]] = []
    for path, _lit in draw(
        st.lists(
            st.sampled_from(scope.scalars[:8] or [("meta.a", None)]),
            max_size=2,
            unique_by=lambda pl: pl[0],
        )
    ):
        parts = path.split(".")
        if len(parts) == 2:
            lit = draw(st.one_of(literals.simple_scalars(), literals.scalars(with_dialect=dialect)))
            meta_items.append((parts[1], lit_node(lit, doc)))
            doc.features.add("override")
    base_meta = dict(base.items).get("meta")
    for key in ("l", "jobs"):
        if chance(draw, 3) and isinstance(base_meta, Map):
            target = dict(base_meta.items).get(key)
            seq, features = draw(overlay_list(key, target))
            meta_items.append((key, seq))
            doc.features |= features
    if meta_items:
        items.append(("meta", Map(tuple(meta_items))))
    for key in draw(st.lists(st.sampled_from(EXPR_KEYS), max_size=2, unique=True)):
        items.append((key, expression_node(draw, draw(value_expression(scope)), doc)))
    if chance(draw, 5):
        key = draw(st.sampled_from(["needed", *EXPR_KEYS[:3], "meta"]))
        items.append((key, Scalar(draw(st.sampled_from(["~", "null", "", "given"])))))
        doc.features.add("overlay-null")
    items = list(dict(items).items())  # each key once (the last one drawn)
    if chance(draw, 5):
        items.append(("sorted", Scalar("(( sort ))")))
        doc.features.add("op-sort")
    if not chance(draw, 3):  # a BOSH-style list of maps, as real overlays have
        items.append(
            ("instance_groups", Seq((Map((("name", Scalar("web")), ("instances", Scalar("1")))),)))
        )
    doc.root = Map(tuple(items))
    return doc


def block_text(block: Block) -> str:
    return "\n".join(block.lines)
