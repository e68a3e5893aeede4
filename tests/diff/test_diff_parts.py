"""The building blocks of graftpy diff: scalar tags, text diffs, layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy.diff import nodes as n
from graftpy.diff.load import load_yaml
from graftpy.diff.neat import to_yaml
from graftpy.diff.render import hex_dump, plural, table
from graftpy.diff.textdiff import DELETE, EQUAL, INSERT, diff_lines, diff_main


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("hello", n.STR),
        ("yes", n.STR),
        ("true", n.BOOL),
        ("~", n.NULL),
        ("", n.NULL),
        ("12", n.INT),
        ("0x1F", n.INT),
        ("0o17", n.INT),
        ("0777", n.INT),
        ("08", n.FLOAT),
        ("1_000", n.INT),
        ("1e3", n.FLOAT),
        (".5", n.FLOAT),
        (".inf", n.FLOAT),
        ("2001-12-14", n.TIMESTAMP),
        ("2001-13-14", n.STR),
        ("18446744073709551615", n.INT),
        ("99999999999999999999", n.FLOAT),
        ("-", n.STR),
    ],
)
def test_plain_scalars_get_yaml_1_2_tags(text, tag):
    assert n.resolve_plain(text) == tag


def test_loader_keeps_raw_text_and_quoting_decides_the_tag():
    doc = load_yaml('a: 1.50\nb: "1"\nc: !!str 5\nd: &x [1]\ne: *x\n')[0]
    pairs = dict(
        zip(
            [k.value for k in doc.content[0].content[::2]],
            doc.content[0].content[1::2],
            strict=True,
        )
    )
    assert (pairs["a"].tag, pairs["a"].value) == (n.FLOAT, "1.50")
    assert (pairs["b"].tag, pairs["b"].value) == (n.STR, "1")
    assert (pairs["c"].tag, pairs["c"].value) == (n.STR, "5")
    assert pairs["e"].kind == n.ALIAS and pairs["e"].target is pairs["d"]


def test_neat_yaml_layout():
    doc = load_yaml("m:\n  k: v\nl:\n- a: 1\n  b: [x, y]\ne: {}\ns: 'a: b'\nt: |\n  one\n  two\n")[
        0
    ]
    assert to_yaml(doc.content[0]) == (
        'm:\n  k: v\nl:\n- a: 1\n  b:\n  - x\n  - y\ne: {}\ns: "a: b"\nt: |\n  one\n  two\n  \n'
    )


def test_plural_words():
    assert plural(1, "list entry", "list entries") == "one list entry"
    assert plural(2, "insert") == "two inserts"
    assert plural(13, "line") == "13 lines"


def test_table_pads_columns_and_trims_rows():
    assert table(["a\nbbb\n", "x\ny\n"], "   ", 0) == "a     x\nbbb   y\n"


def test_hex_dump_matches_go():
    assert hex_dump(b"hello world\n") == (
        "00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |hello world.|\n"
    )


def test_diff_main_classic_cases():
    assert diff_main("abc", "abc") == [(EQUAL, "abc")]
    assert diff_main("abc", "ab123c") == [(EQUAL, "ab"), (INSERT, "123"), (EQUAL, "c")]
    assert diff_main("a123bc", "abc") == [(EQUAL, "a"), (DELETE, "123"), (EQUAL, "bc")]
    assert diff_main("cat", "map") == [
        (DELETE, "c"),
        (INSERT, "m"),
        (EQUAL, "a"),
        (DELETE, "t"),
        (INSERT, "p"),
    ]


def test_diff_lines_groups_whole_lines():
    assert diff_lines("a\nb\nc\n", "a\nx\nc\n") == [
        (EQUAL, "a\n"),
        (DELETE, "b\n"),
        (INSERT, "x\n"),
        (EQUAL, "c\n"),
    ]


@given(st.text(alphabet="abc\n", max_size=40), st.text(alphabet="abc\n", max_size=40))
def test_diffs_rebuild_both_texts(a, b):
    for diffs in (diff_main(a, b), diff_lines(a, b)):
        assert "".join(t for op, t in diffs if op != INSERT) == a
        assert "".join(t for op, t in diffs if op != DELETE) == b
