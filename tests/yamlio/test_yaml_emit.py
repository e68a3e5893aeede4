"""Emitting: byte-exact yaml.Marshal of graft's go-yaml encoder."""

from __future__ import annotations

import math

import pytest

from graftpy.yamlio import dump_yaml


def value_line(value: object) -> str:
    """How ``{"k": value}`` is written, without the document's final newline."""
    return dump_yaml({"k": value})[:-1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # strings that would read back as another type are double-quoted
        ("", 'k: ""'),
        ("true", 'k: "true"'),
        ("yes", 'k: "yes"'),
        ("Y", 'k: "Y"'),
        ("off", 'k: "off"'),
        ("~", 'k: "~"'),
        ("null", 'k: "null"'),
        ("1", 'k: "1"'),
        ("1.0", 'k: "1.0"'),
        ("-12", 'k: "-12"'),
        ("0777", 'k: "0777"'),
        ("0x1F", 'k: "0x1F"'),
        ("0o17", 'k: "0o17"'),
        ("1_000", 'k: "1_000"'),
        (".5", 'k: ".5"'),
        (".inf", 'k: ".inf"'),
        ("12345678901234567890", 'k: "12345678901234567890"'),
        ("1:30", 'k: "1:30"'),
        ("1e3", 'k: "1e3"'),
        ("1.", 'k: "1."'),
        # timestamps are strings to the encoder
        ("2001-12-14", "k: 2001-12-14"),
        ("<<", "k: <<"),
        # indicators: single quotes
        (" a", "k: ' a'"),
        ("a ", "k: 'a '"),
        ("a: b", "k: 'a: b'"),
        ("a:", "k: 'a:'"),
        ("#a", "k: '#a'"),
        ("a #b", "k: 'a #b'"),
        ("-", "k: '-'"),
        ("- a", "k: '- a'"),
        ("? a", "k: '? a'"),
        ("*a", "k: '*a'"),
        ("&a", "k: '&a'"),
        ("!a", "k: '!a'"),
        ("%a", "k: '%a'"),
        ("@a", "k: '@a'"),
        ("`a", "k: '`a'"),
        ("{a}", "k: '{a}'"),
        ("[a]", "k: '[a]'"),
        ("---x", "k: '---x'"),
        ("...", "k: '...'"),
        ("'a'", "k: '''a'''"),
        ('"a"', "k: '\"a\"'"),
        ("|a", "k: '|a'"),
        (">a", "k: '>a'"),
        # plain despite punctuation
        ("a#b", "k: a#b"),
        ("a,b", "k: a,b"),
        ("-a", "k: -a"),
        ("?a", "k: ?a"),
        ("a:b", "k: a:b"),
        ("it's", "k: it's"),
        ("+", "k: +"),
        ("(( grab a.b ))", "k: (( grab a.b ))"),
        ("héllo wörld", "k: héllo wörld"),
        ("日本", "k: 日本"),
        # double-quoted escapes
        ("a\tb", 'k: "a\\tb"'),
        ("a\r\nb", 'k: "a\\r\\nb"'),
        ("\x00\x07\x1b", 'k: "\\0\\a\\e"'),
        ("\x7f", 'k: "\\x7F"'),
        ("\x85", 'k: "\\N"'),
        ("\ufeff", 'k: "\\uFEFF"'),
        ("😀", 'k: "\\U0001F600"'),
        ("a\\b\t", 'k: "a\\\\b\\t"'),
        ("1\t", 'k: "1\\t"'),
        # multi-line strings: literal blocks with chomping and indentation hints
        ("a\nb", "k: |-\n  a\n  b"),
        ("a\nb\n", "k: |\n  a\n  b"),
        ("a\nb\n\n", "k: |+\n  a\n  b\n"),
        ("\n", "k: |2+\n"),
        ("  a\nb", "k: |2-\n    a\n  b"),
        ("a\n\nb", "k: |-\n  a\n\n  b"),
        ("a \nb", 'k: "a \\nb"'),
        ("a\n b", "k: |-\n  a\n   b"),
        ("a\nb ", 'k: "a\\nb "'),
        ("a\tb\nc", 'k: "a\\tb\\nc"'),
        ("true\nx", "k: |-\n  true\n  x"),
        # non-strings
        (None, "k: null"),
        (True, "k: true"),
        (False, "k: false"),
        (0, "k: 0"),
        (-7, "k: -7"),
        (2**64 - 1, "k: 18446744073709551615"),
        (1.5, "k: 1.5"),
        (8.0, "k: 8"),
        (1e6, "k: 1e+06"),
        (123456.0, "k: 123456"),
        (1e-5, "k: 1e-05"),
        (0.0001, "k: 0.0001"),
        (10 / 3, "k: 3.3333333"),
        (math.sqrt(8.333), "k: 2.8866937"),
        (7776000.0, "k: 7.776e+06"),
        (-0.0, "k: -0"),
        (math.inf, "k: .inf"),
        (-math.inf, "k: -.inf"),
        (math.nan, "k: .nan"),
        (1e300, "k: .inf"),
        (b"\xff\xfe", "k: !!binary //4="),
        (b"ok", "k: ok"),
        # containers
        ({}, "k: {}"),
        ([], "k: []"),
        ([{}, []], "k:\n- {}\n- []"),
    ],
)
def test_scalar_and_container_values(value: object, expected: str) -> None:
    assert value_line(value) == expected


def words(text: str) -> list[str]:
    return text.split()


# What graft's encoder double-quotes, as the real graft printed each string (as a map
# value and as a key): whatever a YAML 1.1 reader takes for a number, a boolean or null.
QUOTED_BY_GRAFT = [
    "",
    *words("""
    1e3 1E3 1e+3 1e-3 1.e3 .5e3 1. 0. 5. 1.0e3 .5 -.5 +.5 +1 -1 +0 -0 0 00 007 08 09 0_1
    0x1F 0X1F -0x1F 0o17 0O17 0b101 -0b101 1_000 1__0 1_ 1_000.5 1_.0 5._0 1_e5 1e_3 1e3_
    1_0e1_0 .1_0 .5_0 .5e1_0 0x_1F 0x1_F 0x1p3 0x1P3 0x1p-2 0x1.8p1 0x.8p1 0x1_p3 0x_1p3
    0x1p-2000 .inf .Inf .INF -.inf +.inf .nan .NaN +inf -inf +Inf -Infinity +infinity
    +INFINITY -iNfInItY 1:30 -1:30 +1:30 1:30:00 12:30:00 1:5 1:30.5 1_0:30 190:20:30
    21:59:43.10 0e0 -0.0 .0 0.0e0 1e-400 9223372036854775807 9223372036854775808
    18446744073709551615 18446744073709551616 -9223372036854775809
    123456789012345678901234567890 y Y n N true True TRUE false False FALSE ~ null Null NULL
    NO No no OFF Off off ON On on YES Yes yes
"""),
]
# ... and what it writes plain: not a number to Go (overflow, no digits, a bad prefix),
# not in the YAML 1.1 tables as spelled, or a timestamp.
PLAIN_FOR_GRAFT = words("""
    0x 0xG 0o8 0b2 _1 2e_ ._1 0x1p2000 0xp1 0x1p 0x1.8 .iNf .Nan inf Inf +in infinit
    infinityx nan NaN +nan -nan 1:60 1e 1e+ e3 .e3 1.2.3 1,000 1e3x 1e309 -1e309 1e+309
    0xFFFFFFFFFFFFFFFFFFF 2001-12-14 2001-12-14T21:59:43Z yEs nO tRUE oN oFF nULL <<
""")


@pytest.mark.parametrize("text", QUOTED_BY_GRAFT)
def test_strings_that_read_as_other_types_are_quoted(text: str) -> None:
    quoted = '"' + text + '"'
    assert dump_yaml({"k": text}) == f"k: {quoted}\n"
    assert dump_yaml({text: 1}) == f"{quoted}: 1\n"


@pytest.mark.parametrize("text", PLAIN_FOR_GRAFT)
def test_strings_graft_writes_plain(text: str) -> None:
    assert dump_yaml({"k": text}) == f"k: {text}\n"
    assert dump_yaml({text: 1}) == f"{text}: 1\n"


def test_nesting_and_list_indentation() -> None:
    data = {
        "jobs": [
            {"name": "web", "instances": 2, "networks": [{"name": "n1"}], "props": {"a": [1, 2]}},
            [["x"], "z"],
        ],
        "meta": {"empty": {}, "list": []},
    }
    assert dump_yaml(data) == (
        "jobs:\n"
        "- instances: 2\n"
        "  name: web\n"
        "  networks:\n"
        "  - name: n1\n"
        "  props:\n"
        "    a:\n"
        "    - 1\n"
        "    - 2\n"
        "- - - x\n"
        "  - z\n"
        "meta:\n"
        "  empty: {}\n"
        "  list: []\n"
    )


def test_roots() -> None:
    assert dump_yaml({}) == "{}\n"
    assert dump_yaml([]) == "[]\n"
    assert dump_yaml(["a", {"b": 1}]) == "- a\n- b: 1\n"
    assert dump_yaml("x") == "x\n"
    assert dump_yaml(None) == "null\n"
    assert dump_yaml("a\nb") == "|-\n  a\n  b\n"


def test_long_lines_fold_at_80_columns() -> None:
    words = " ".join(f"w{i:02d}" for i in range(30))
    assert dump_yaml({"key": words}) == (
        "key: w00 w01 w02 w03 w04 w05 w06 w07 w08 w09 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19\n"
        "  w20 w21 w22 w23 w24 w25 w26 w27 w28 w29\n"
    )
    # quoted styles fold too; a double-quoted fold before a space escapes it
    assert dump_yaml({"k": "#" + words}) == (
        "k: '#w00 w01 w02 w03 w04 w05 w06 w07 w08 w09 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19\n"
        "  w20 w21 w22 w23 w24 w25 w26 w27 w28 w29'\n"
    )
    assert dump_yaml({"k": "\t" + "x" * 78 + "  y"}) == ('k: "\\t' + "x" * 78 + '\n  \\ y"\n')
    # keys never fold; a long word is never broken
    assert dump_yaml({"k": "x" * 100}) == "k: " + "x" * 100 + "\n"
    assert dump_yaml({words: 1}) == f"{words}: 1\n"


def test_long_and_multiline_keys_are_complex_keys() -> None:
    long_key = "k" * 129
    assert dump_yaml({long_key: "v"}) == f"? {long_key}\n: v\n"
    assert dump_yaml({"k" * 128: "v"}) == "k" * 128 + ": v\n"
    assert dump_yaml({"a\nb": [1, 2]}) == "? |-\n  a\n  b\n: - 1\n  - 2\n"
    assert dump_yaml({"a\nb": {"c": 1}}) == "? |-\n  a\n  b\n: c: 1\n"


def test_key_types_and_quoting() -> None:
    # numbers and bools by value, then nil, then strings
    assert dump_yaml({"": 1, "true": 2, 3: 4, None: 5, False: 6, 2.5: 7, " k": 8}) == (
        'false: 6\n2.5: 7\n3: 4\nnull: 5\n"": 1\n\' k\': 8\n"true": 2\n'
    )


def test_key_order_is_go_yaml_order() -> None:
    keys = ["b", "a10", "a9", "A", "a", "q256MB", "q2GB", "q4GB", "x-1", "x1", "x_", "1", "_"]
    out = dump_yaml(dict.fromkeys(keys, 0))
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "_",
        '"1"',
        "A",
        "a",
        "a9",
        "a10",
        "b",
        "q2GB",
        "q4GB",
        "q256MB",
        "x-1",
        "x_",
        "x1",
    ]


def test_preserve_order() -> None:
    assert dump_yaml({"b": 1, "a": {"d": 1, "c": 2}}, preserve_order=True) == (
        "b: 1\na:\n  d: 1\n  c: 2\n"
    )


def test_literal_then_next_key_has_no_blank_line() -> None:
    assert dump_yaml({"a": "x\n", "b": "y\n\n", "c": 1}) == "a: |\n  x\nb: |+\n  y\n\nc: 1\n"


def test_binary_values_use_base64_lines() -> None:
    data = bytes(range(128, 256))
    out = dump_yaml({"k": data})
    lines = out.splitlines()
    assert lines[0] == "k: !!binary |"
    assert [len(line) for line in lines[1:]] == [72, 72, 34]  # 70-column base64, indented
