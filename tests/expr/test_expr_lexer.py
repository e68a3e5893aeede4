"""Tokenizing: quoting, escapes, where operators split words (DIVERGENCES row 5)."""

from __future__ import annotations

import pytest

from graftpy.expr import ExprSyntaxError
from graftpy.expr import lexer as lx


def toks(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in lx.tokenize(text, 0, len(text))[:-1]]


def test_words_strings_and_punctuation() -> None:
    assert toks('concat a.b "x y", (grab c)') == [
        ("word", "concat"),
        ("word", "a.b"),
        ("string", "x y"),
        (",", ","),
        ("(", "("),
        ("word", "grab"),
        ("word", "c"),
        (")", ")"),
    ]


def test_string_escapes() -> None:
    assert toks(r'"a\nb" "a\tb" "a\rb" "a\\b" "a\"b" "a\'b"') == [
        ("string", "a\nb"),
        ("string", "a\tb"),
        ("string", "a\rb"),
        ("string", "a\\b"),
        ("string", 'a"b'),
        ("string", "a'b"),
    ]


def test_escapes_outside_quotes_keep_a_word_whole() -> None:
    assert toks(r"a\ b c") == [("word", "a b"), ("word", "c")]


@pytest.mark.parametrize(
    "word", ["my-key", "db-password", "scripts/a.sh", "a*b", "x%y", "a?b", "a:b"]
)
def test_arithmetic_and_ternary_symbols_inside_words_do_not_split(word: str) -> None:
    assert toks(word) == [("word", word)]


def test_standalone_symbols_are_operators() -> None:
    assert toks("a - b * c / d % e ? f : g") == [
        ("word", "a"),
        ("op", "-"),
        ("word", "b"),
        ("op", "*"),
        ("word", "c"),
        ("op", "/"),
        ("word", "d"),
        ("op", "%"),
        ("word", "e"),
        ("op", "?"),
        ("word", "f"),
        ("op", ":"),
        ("word", "g"),
    ]


def test_negative_numbers_are_words() -> None:
    assert toks("10 + -5") == [("word", "10"), ("op", "+"), ("word", "-5")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a||b", [("word", "a"), ("op", "||"), ("word", "b")]),
        ("a&&!b", [("word", "a"), ("op", "&&"), ("op", "!"), ("word", "b")]),
        ("a==b", [("word", "a"), ("op", "=="), ("word", "b")]),
        ("a!=b", [("word", "a"), ("op", "!="), ("word", "b")]),
        ("a<=b", [("word", "a"), ("op", "<="), ("word", "b")]),
        ("a>b", [("word", "a"), ("op", ">"), ("word", "b")]),
    ],
)
def test_comparison_and_boolean_symbols_split_words(text: str, expected: list) -> None:
    assert toks(text) == expected


def test_prefix_not() -> None:
    assert toks('!a !"" !(b) !!c') == [
        ("op", "!"),
        ("word", "a"),
        ("op", "!"),
        ("string", ""),
        ("op", "!"),
        ("(", "("),
        ("word", "b"),
        (")", ")"),
        ("op", "!"),
        ("op", "!"),
        ("word", "c"),
    ]


def test_bracket_groups_are_one_token() -> None:
    assert toks("![1, 2, 3] {} [a, [b]]") == [
        ("op", "!"),
        ("group", "[1, 2, 3]"),
        ("group", "{}"),
        ("group", "[a, [b]]"),
    ]


def test_brackets_inside_words_stay_in_the_word() -> None:
    assert toks("meta[0] z[lookup].x") == [("word", "meta[0]"), ("word", "z[lookup].x")]


def test_positions_are_offsets_in_the_source() -> None:
    src = '(( grab "x" y ))'
    tokens = lx.tokenize(src, 2, len(src) - 2)
    assert [(t.value, t.pos, t.end) for t in tokens] == [
        ("grab", 3, 7),
        ("x", 8, 11),
        ("y", 12, 13),
        ("", 14, 14),
    ]
    assert [t.space for t in tokens[:3]] == [True, True, True]


def test_space_flag_tells_function_style_apart() -> None:
    a = lx.tokenize("f(x)", 0, 4)
    b = lx.tokenize("f (x)", 0, 5)
    assert a[1].space is False
    assert b[1].space is True


@pytest.mark.parametrize(
    ("text", "problem", "position"),
    [
        ('a "bc', "unterminated quoted string", 2),
        ("[1, 2", "unclosed '['", 0),
        ("[1}", "unexpected '}'", 2),
    ],
)
def test_lexing_errors_say_where(text: str, problem: str, position: int) -> None:
    with pytest.raises(ExprSyntaxError) as exc:
        lx.tokenize(text, 0, len(text))
    assert exc.value.problem == problem
    assert exc.value.position == position
    assert f"at position {position}" in exc.value.message
