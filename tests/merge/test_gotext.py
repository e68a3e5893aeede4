"""Go formatting details that show up in merge messages."""

from __future__ import annotations

import pytest

from graftpy.merging.gotext import atoi, fmt_s, kind, reformat, trim_space

from .helpers import merge_all


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("web", "web"),
        (5, "%!s(int=5)"),
        (1.5, "%!s(float64=1.5)"),
        (True, "%!s(bool=true)"),
        (None, "%!s(<nil>)"),
    ],
)
def test_fmt_s(value: object, text: str) -> None:
    assert fmt_s(value) == text


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("s", "string"),
        (1, "int"),
        (2**63, "uint64"),
        (2**64, "float64"),
        (1.0, "float64"),
        (True, "bool"),
        ([], "slice"),
        ({}, "map"),
    ],
)
def test_kind(value: object, name: str) -> None:
    assert kind(value) == name


def test_atoi_and_trim_space() -> None:
    assert atoi("+7") == 7 and atoi("-3") == -3
    assert atoi(" 1") is None and atoi("1_0") is None and atoi("9" * 20) is None
    assert trim_space("\x1f a \u3000") == "\x1f a"


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("a%b", "a%!b(MISSING)"),
        ("100%", "100%!(NOVERB)"),
        ("x%%y", "x%y"),
        ("@m{$.a}: x", "$.a: x"),
    ],
)
def test_reformat(text: str, out: str) -> None:
    assert reformat(text) == out


def test_warnings_are_formatted_twice_like_graft() -> None:
    m = merge_all({"50%": [{"name": ["x"]}]})
    assert m.warnings[0] == (
        "warning: $.50%!(NOVERB): new object's key 'name' cannot have a value which is a hash "
        "or sequence - cannot merge by key"
    )
