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


def test_single_quoted_strings_are_literals_too() -> None:
    assert toks("""'a' 'a b' '' 'x,y' '(' ')' 'a"b' '1' 'true' '$HOME'""") == [
        ("string", "a"),
        ("string", "a b"),
        ("string", ""),
        ("string", "x,y"),
        ("string", "("),
        ("string", ")"),
        ("string", 'a"b'),
        ("string", "1"),
        ("string", "true"),
        ("string", "$HOME"),
    ]


def test_escapes_in_both_quotes_and_unknown_ones_keep_their_backslash() -> None:
    assert toks(
        r"""'a\nb' 'a\tb' 'a\\' '\"' "a\.tar" 'a\.tar' "\x41\u0041\0\$\ \/" "é\é" 'a\'"""
    ) == [
        ("string", "a\nb"),
        ("string", "a\tb"),
        ("string", "a\\"),
        ("string", '"'),
        ("string", "a\\.tar"),
        ("string", "a\\.tar"),
        ("string", "\\x41\\u0041\\0\\$\\ \\/"),
        ("string", "é\\é"),
        ("string", "a\\"),  # a backslash before the closing ' stays, as in graft
    ]


def test_a_token_is_a_string_only_when_quotes_open_and_close_it() -> None:
    # graft keeps inner quotes as written and reads glued quotes as part of a word
    assert toks("""'it''s' "it""s" "a"b 'a'"b" it's""") == [
        ("string", "it''s"),
        ("string", 'it""s'),
        ("word", '"a"b'),
        ("word", "'a'\"b\""),
        ("word", "it's"),
    ]


def test_an_open_quote_runs_to_the_end_of_the_expression() -> None:
    assert toks('grab \'open "x" ') == [("word", "grab"), ("word", '\'open "x"')]
    assert toks('grab "open ') == [("word", "grab"), ("word", '"open')]


def test_outside_quotes_a_backslash_is_an_ordinary_character() -> None:
    assert toks(r"a\ b a\.b \n") == [
        ("word", "a\\"),
        ("word", "b"),
        ("word", "a\\.b"),
        ("word", "\\n"),
    ]


def test_operators_inside_quotes_do_not_split() -> None:
    assert toks("""'a'=="a||b" '<' x""") == [
        ("string", "a"),
        ("op", "=="),
        ("string", "a||b"),
        ("string", "<"),
        ("word", "x"),
    ]


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
