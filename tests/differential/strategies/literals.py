"""Scalar literals in every form graft reads, as YAML tokens.

Each literal is a ``Lit``: the token as written, what it reads as (``kind``:
str, int, float, bool, null, binary, or ``?`` when the tools' YAML dialects
are exactly what is being tested), the ``value`` where it is known (for
generating type-correct expressions) and the ``features`` it exercises.

Features that fall under a DIVERGENCES row say so (``row18``: a plain date).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from ..yamltext import Block, Scalar, double_quoted, quote
from .odds import chance


@dataclass(frozen=True)
class Lit:
    token: str
    kind: str
    value: object = None
    features: frozenset[str] = field(default_factory=frozenset)

    def node(self) -> Scalar:
        return Scalar(self.token)


def _lits(kind: str, pairs: list[tuple[str, object]], *features: str) -> list[Lit]:
    return [Lit(tok, kind, val, frozenset(features)) for tok, val in pairs]


INTS = _lits(
    "int",
    [("0", 0), ("1", 1), ("2", 2), ("3", 3), ("5", 5), ("42", 42), ("-7", -7), ("100", 100)],
)
INT_FORMS = _lits(
    "int",
    [
        ("0x1F", 31),
        ("017", 15),
        ("0o17", 15),
        ("1_000", 1000),
        ("+1", 1),
        ("-0", 0),
        ("0b101", 5),
        ("9223372036854775807", 9223372036854775807),
        ("-9223372036854775808", -9223372036854775808),
    ],
    "int-forms",
)
FLOATS = _lits(
    "float",
    [
        ("3.14", 3.14),
        ("0.5", 0.5),
        ("-2.5", -2.5),
        ("1.0", 1.0),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.5e+3", 1500.0),
        ("2.0e-2", 0.02),
        ("1e300", 1e300),
        ("18446744073709551616", 18446744073709551616.0),
        ("123456789.125", 123456789.125),
        ("0.1", 0.1),
        ("1e-7", 1e-7),
        ("12345678901234567890.5", 1.2345678901234567e19),
    ],
)
SPECIAL_FLOATS = _lits("float", [(".inf", None), ("-.Inf", None), (".NaN", None)], "inf-nan")
BOOLS = _lits("bool", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
# YAML 1.1 words whose reading graft's loader decides (issue 12 item 5)
BOOL_WORDS = _lits(
    "?",
    [
        ("yes", None),
        ("no", None),
        ("on", None),
        ("off", None),
        ("y", None),
        ("n", None),
        ("Y", None),
        ("N", None),
        ("On", None),
        ("NO", None),
        ("Yes", None),
    ],
    "yn-bool",
)
NULLS = _lits("null", [("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None)])
DATES = _lits(
    "?",
    [("2025-01-01", None), ("2001-12-14t21:59:43.10-05:00", None), ("2002-12-14", None)],
    "row18",
)
# strings that read as other types unless quoted: the emitter must quote them back
NUMBER_LIKE = [
    "1e3",
    "1.",
    "0.",
    "1.0e3",
    "123",
    "-5",
    "0x10",
    "1_000",
    ".5",
    "+1",
    "1e",
    "0o7",
    "3.14",
    ".inf",
    "1:20",
    "0b11",
    "00",
    "1E5",
    "-.5",
    "6.8523015e+5",
    "190:20:30",
]
WORDLIKE = [
    "true",
    "false",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "NULL",
    "True",
    "2025-01-01",
    "=",
    "<<",
]
WORDS = [
    "hello",
    "web",
    "db",
    "x",
    "alpha beta",
    "web-1",
    "a.b",
    "under_score",
    "CamelCase",
    "héllo",
    "日本語",
    "emoji 🍃",
    "tab\there",
    "line\nbreak",
    "",
    " lead",
    "trail ",
    "a: b",
    "- dash",
    "#hash",
    "x #y",
    "@at",
    "`tick",
    "*star",
    "&amp",
    "!bang",
    "%pc",
    "{brace}",
    "[sq]",
    "?q",
    "-",
    "'single'",
    '"double"',
    "back\\slash",
    "a\\.b",
    "((x))",
    "(( not an op",
    "x))",
    "multi\nline\ntext\n",
    "ends with newline\n",
    "\ttab",
    "|pipe",
    ">gt",
    "a,b",
    "percent%",
    "colon:",
    "semi;colon",
    "\u00e9\u0301",
    "\x7f",
    "nul\x00byte",
]


def string_lit(s: str, style: str) -> Lit:
    """A string written in a YAML style: plain (when safe), single, or double quoted."""
    if style == "single":
        token = quote(s, "single")
    elif style == "double":
        token = double_quoted(s)
    else:
        token = quote(s, "plain")
    features = {"string", f"yaml-{style}"}
    return Lit(token, "str", s, frozenset(features))


@st.composite
def strings(draw: st.DrawFn) -> Lit:
    pool = draw(st.sampled_from(["word", "word", "number-like", "wordlike", "random"]))
    if pool == "word":
        s = draw(st.sampled_from(WORDS))
    elif pool == "random":
        s = draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8))
    else:
        s = draw(st.sampled_from(NUMBER_LIKE if pool == "number-like" else WORDLIKE))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    lit = string_lit(s, style)
    if pool == "number-like":
        lit = Lit(lit.token, "str", s, lit.features | {"number-string"})
    elif pool == "wordlike" and s in ("yes", "no", "on", "off", "y", "n", "Y"):
        lit = Lit(lit.token, "str", s, lit.features | {"yn-bool"})
    elif pool == "wordlike" and s == "2025-01-01":
        lit = Lit(lit.token, "str", s, lit.features | {"date-string"})
    return lit


def block_scalars() -> st.SearchStrategy[Block]:
    lines = st.lists(
        st.sampled_from(
            [
                "first line",
                "second: line",
                "  indented",
                "",
                "# not a comment",
                "tab\tin",
                "last",
                "- item",
                "key: value",
            ]
        ),
        min_size=1,
        max_size=4,
    ).filter(lambda ls: ls[0] not in ("", "  indented"))
    return st.builds(Block, st.sampled_from(["|", "|-", ">", ">-", "|+", ">+"]), lines.map(tuple))


def scalars(*, with_dialect: bool = True) -> st.SearchStrategy[Lit]:
    """Any scalar literal. ``with_dialect`` adds the YAML 1.1 words and (rarely) dates."""
    common = [
        st.sampled_from(INTS),
        st.sampled_from(FLOATS),
        st.sampled_from(BOOLS),
        st.sampled_from(NULLS),
    ] + [strings()] * 5
    rare = [st.sampled_from(INT_FORMS), st.sampled_from(SPECIAL_FLOATS)]
    if with_dialect:
        rare.append(st.sampled_from(BOOL_WORDS))

    @st.composite
    def pick(draw: st.DrawFn) -> Lit:
        if with_dialect and chance(draw, 100):
            return draw(st.sampled_from(DATES))
        return draw(st.one_of(rare) if chance(draw, 5) else st.one_of(common))

    return pick()


def simple_scalars() -> st.SearchStrategy[Lit]:
    """Plain ints, words and booleans: values every operator accepts."""
    words = st.sampled_from(["alpha", "beta", "web", "db", "x1", "zeta"]).map(
        lambda s: Lit(s, "str", s, frozenset({"string"}))
    )
    return st.one_of(st.sampled_from(INTS), words, words, st.sampled_from(BOOLS[:2]))
