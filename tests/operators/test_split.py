from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy.operators.split import split_string


def test_split_literal_and_regex(merge):
    out = merge(
        r"""
        s: a,,b
        num: 12345
        a: (( split "," s ))
        b: (( split "2" num ))
        c: (( split "/[,]+" s ))
        d: (( split "" "héllo" ))
        """
    )
    assert out["a"] == ["a", "", "b"]
    assert out["b"] == ["1", "345"]
    assert out["c"] == ["a", "b"]
    assert out["d"] == ["h", "é", "l", "l", "o"]


def test_split_errors(merge_error):
    lines = merge_error(
        """
        sep: ","
        none: ~
        a: (( split ))
        b: (( split "," ))
        c: (( split "," none none ))
        d: (( split sep none ))
        e: (( split "," none ))
        f: (( split "," nope ))
        """
    )
    assert lines == [
        " - $.a: no arguments specified to (( split ... ))",
        " - $.b: too few arguments supplied to (( split ... ))",
        " - $.c: too many arguments supplied to (( split ... ))",
        " - $.d: split operator only accepts literal argument for the separator",
        " - $.e: cannot split nil value in (( split ... ))",
        " - $.f: Unable to resolve `nope`: Unable to resolve `nope`: `$.nope` could not be found in the datastructure",  # graft wraps twice
    ]


@pytest.mark.parametrize(
    ("sep", "text", "expected"),
    [
        ("/(?=[A-Z])", "PascalCaseExample", ["", "Pascal", "Case", "Example"]),
        ("/", "/ab", ["", "/", "a", "b", ""]),
        ("/(?<=a)(?=a)|(?<=b)(?=b)", "aabb", ["a", "ab", "b"]),
        ("/<.*?>", "<p>Hi</p><p>Yo</p>", ["", "Hi", "Yo", ""]),
        ("/(?>a+|b+)", "aabb", ["", ""]),
        ("/^start | end$", "start middle end", ["", "middle", ""]),
        ("/\\.|\\[|\\]", "users[0].address", ["users", "0", "address"]),
        ("/x*", "axb", ["", "a", "b", ""]),
        ("/(?<d>\\d)\\k<d>", "a11b22c", ["a", "b", "c"]),
        ("/🌍|🌎", "Hello🌍World🌎Test", ["Hello", "World", "Test"]),
    ],
)
def test_regex_split_follows_graft(sep, text, expected):
    assert split_string(sep, text) == expected


@given(st.text(alphabet="ab,;"), st.sampled_from([",", ";", "ab", ",;"]))
def test_literal_split_is_str_split(text, sep):
    assert split_string(sep, text) == text.split(sep)


@given(st.text())
def test_empty_separator_splits_into_characters(text):
    assert split_string("", text) == list(text)
