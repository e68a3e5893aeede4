"""Loading: every scalar form resolves as graft decodes its input files (go-yaml v3
rules, then yes/no/on/off values to booleans), and as the 2016 go-yaml fork reads
``(( load ))`` and go-patch files."""

from __future__ import annotations

import math

import pytest

from graftpy.errors import FileError
from graftpy.gofmt import sprint
from graftpy.yamlio import YAMLSyntaxError, dump_yaml, load_documents, require_map
from graftpy.yamlio.loader import parse_first_document
from graftpy.yamlio.resolve import LEGACY
from graftpy.yamlio.typedkeys import plain_key


def one(text: str) -> object:
    """The value of key ``v`` in a one-line document ``v: <text>``."""
    return load_documents(f"v: {text}\n", "t.yml")[0]["v"]


def key(text: str) -> object:
    """The one key of a one-line document ``<text>: 1``."""
    (k,) = load_documents(f"{text}: 1\n", "t.yml")[0]
    return k


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # booleans: true/false in three casings, and values spelled yes/no/on/off
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("yes", True),
        ("Yes", True),
        ("YES", True),
        ("on", True),
        ("On", True),
        ("ON", True),
        ("no", False),
        ("No", False),
        ("off", False),
        ("OFF", False),
        # ... however they are quoted or tagged
        ("'yes'", True),
        ('"off"', False),
        ("!!str On", True),
        ("! NO", False),
        ("!custom yes", True),
        ("|-\n  on\n", True),
        ("!!binary eWVz", True),  # base64 of "yes"
        # ... but y and n are strings, and so are other casings and look-alikes
        ("y", "y"),
        ("Y", "Y"),
        ("n", "n"),
        ("N", "N"),
        ("yES", "yES"),
        ("oN", "oN"),
        ("ye", "ye"),
        ("tRUE", "tRUE"),
        ("'true'", "true"),
        ("yes ", True),  # plain scalars end at the last non-space
        ('"yes "', "yes "),
        ("|\n  on\n", "on\n"),
        # nulls
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("nULL", "nULL"),
        # integers: Go's strconv.ParseInt(s, 0, 64) after removing "_"
        ("0", 0),
        ("-17", -17),
        ("+12", 12),
        ("0777", 511),
        ("0o17", 15),
        ("0x1F", 31),
        ("0b101", 5),
        ("-0b11", -3),
        ("1_000", 1000),
        ("9223372036854775807", 9223372036854775807),
        ("18446744073709551615", 18446744073709551615),  # uint64
        ("-9223372036854775809", -9.223372036854776e18),  # neither int64 nor uint64
        ("18446744073709551616", 1.8446744073709552e19),
        ("0x1FFFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFFF"),  # no float form either
        # floats (go-yaml v3's pattern accepts "1e3" and "1.")
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1.", 1.0),
        ("-.5", -0.5),
        (".5", 0.5),
        ("6.02e+23", 6.02e23),
        ("08", 8.0),
        ("1e400", "1e400"),
        # timestamps, base 60 and merge-looking text stay strings
        ("2001-12-14", "2001-12-14"),
        ("2001-12-14T21:59:43.10Z", "2001-12-14T21:59:43.10Z"),
        ("1:30", "1:30"),
        ("<<", "<<"),
        (".", "."),
        ("0x", "0x"),
        ("-x", "-x"),
        # quoting and tags force strings
        ("'1'", "1"),
        ('"true"', "true"),
        ("! 12", "12"),
        ("!custom 5", "5"),
        ("|\n  12\n", "12\n"),
        ("!!int '42'", 42),
        ("!!float 2", 2.0),
        ("!!bool true", True),
        ("!!null ~", None),
        ("!!binary aGVsbG8=", "hello"),
    ],
)
def test_scalar_resolution(text: str, expected: object) -> None:
    value = one(text)
    assert value == expected
    assert type(value) is type(expected)


def test_special_floats() -> None:
    assert one(".inf") == math.inf
    assert one("-.Inf") == -math.inf
    assert one("+.INF") == math.inf
    assert math.isnan(one(".NaN"))
    assert one(".Nan") == ".Nan"


def test_binary_that_is_not_utf8_stays_bytes() -> None:
    assert one("!!binary //79") == b"\xff\xfe\xfd"


def test_keys_keep_their_type() -> None:
    doc = load_documents("2: a\n~: b\n1.5: c\ntrue: d\nname: e\n", "t")[0]
    assert doc == {2: "a", None: "b", 1.5: "c", True: "d", "name": "e"}
    assert [type(k) for k in doc] == [int, type(None), float, bool, str]


@pytest.mark.parametrize("text", ["y", "Y", "n", "N", "yes", "Yes", "NO", "on", "On", "OFF"])
def test_yaml11_boolean_words_are_string_keys(text: str) -> None:
    assert key(text) == text
    assert key(f"'{text}'") == text


def test_yaml11_booleans_become_booleans_in_lists_and_maps_only_as_values() -> None:
    doc = load_documents("on: [yes, [no], {off: 'ON'}]\ny: n\n", "t")[0]
    assert doc == {"on": [True, [False], {"off": True}], "y": "n"}


def test_anchored_words_follow_where_they_are_used() -> None:
    doc = load_documents("a: &w yes\n*w : *w\nl: [*w]\n", "t")[0]
    assert doc == {"a": True, "yes": True, "l": [True]}


@pytest.mark.parametrize("text", ["!!bool yes", "!!bool y", "!!bool on", "!!bool tRUE"])
def test_yaml11_words_are_no_booleans_to_the_bool_tag(text: str) -> None:
    with pytest.raises(YAMLSyntaxError, match=r"cannot decode !!str `\w+` as a !!bool"):
        one(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("y", True),
        ("Y", True),
        ("yes", True),
        ("ON", True),
        ("n", False),
        ("Off", False),
        ("'yes'", "yes"),
        ("!!str on", "on"),
        ("!!bool y", True),
        ("1e3", 1000.0),
        ("1.", 1.0),
        ("2001-12-14", "2001-12-14"),
    ],
)
def test_the_fork_reads_yaml11_booleans_everywhere(text: str, expected: object) -> None:
    """What ``(( load ))`` and go-patch files get: keys and values alike."""
    doc = parse_first_document(f"v: {text}\n{text}: k\n", "t", schema=LEGACY)
    assert doc["v"] == expected and type(doc["v"]) is type(expected)
    if not text.startswith(("'", "!")):
        assert doc[expected] == "k"


def test_the_2016_fork_reads_yaml11_booleans_and_what_parsefloat_accepts() -> None:
    """What graft json, AWS secrets' keys and NATS values get."""
    text = "a: y\nb: 1e3\nc: 0x1p3\nd: 1_0.5\ne: 2001-12-14\nf: ._5\non: 1\n"
    doc = parse_first_document(text, "t", schema=LEGACY)
    assert doc == {
        "a": True,
        "b": 1000.0,
        "c": 8.0,
        "d": 10.5,
        "e": "2001-12-14",
        "f": "._5",
        True: 1,
    }
    assert parse_first_document("g: +inf\n", "t", schema=LEGACY) == {"g": math.inf}


def test_anchors_give_independent_copies() -> None:
    doc = load_documents("a: &x {k: [1, 2]}\nb: *x\nc: &s hi\nd: *s\n", "t")[0]
    assert doc["b"] == {"k": [1, 2]} and doc["d"] == "hi"
    doc["b"]["k"].append(3)
    assert doc["a"] == {"k": [1, 2]}


def test_merge_keys_follow_go_yaml_v3() -> None:
    text = (
        "base: &b {x: 1, z: 2}\n"
        "after: {<<: *b, z: 3}\n"  # the map's own keys win ...
        "before: {z: 3, <<: *b}\n"  # ... wherever << stands
        "list: {<<: [{a: 1}, {a: 2, c: 2}]}\n"  # the first map of a list that has a key wins
        "nested: {<<: {<<: {n: 1, m: 1}, m: 2}, k: 3}\n"
        "quoted: {'<<': 1}\n"  # a quoted << is an ordinary key
    )
    doc = load_documents(text, "t")[0]
    assert doc["after"] == {"x": 1, "z": 3}
    assert doc["before"] == {"z": 3, "x": 1}
    assert doc["list"] == {"a": 1, "c": 2}
    assert doc["nested"] == {"k": 3, "m": 2, "n": 1}
    assert doc["quoted"] == {"<<": 1}


def test_merge_keys_of_load_and_go_patch_files_follow_go_yaml_v2_rules() -> None:
    text = "base: &b {x: 1, z: 2}\nafter: {<<: *b, z: 3}\nbefore: {z: 3, <<: *b}\n"
    doc = parse_first_document(text, "t", schema=LEGACY)
    assert doc["after"] == {"x": 1, "z": 3}
    assert doc["before"] == {"z": 2, "x": 1}  # v2 lets the merge override earlier keys


@pytest.mark.parametrize("text", ["a: {<<: 3}\n", "a: &l [{x: 1}]\nb: {<<: *l}\n"])
def test_merge_needs_maps(text: str) -> None:
    with pytest.raises(YAMLSyntaxError, match="map merge requires map or sequence of maps"):
        load_documents(text, "t")


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a: b: c\n", "mapping values are not allowed", 1, 5),
        ("a:\n  - b\n c: d\n", "did not find expected key", 3, 2),
        ("a: [1, 2\n", "did not find expected ',' or ']'", 2, 1),
        ("a:\n\t- b\n", "found character that cannot start any token", 2, 1),
        ("a: *nope\n", "unknown anchor 'nope' referenced", 1, 4),
        ("a: &x [*x]\n", "anchor 'x' value contains itself", 1, 8),
        ("a: !!int abc\n", "cannot decode !!str `abc` as a !!int", 1, 4),
        ("? [1, 2]\n: x\n", "invalid map key", 1, 8),
        ("a: \x01\n", "control characters are not allowed", 1, 4),
    ],
)
def test_syntax_errors_name_file_line_and_column(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(YAMLSyntaxError) as info:
        load_documents(text, "input.yml")
    err = info.value
    assert message in err.problem
    assert (err.line, err.column) == (line, column)
    assert err.render().startswith(f"input.yml: failed to parse YAML: line {line}, column {column}")
    assert err.render().endswith("\n\n")


def test_invalid_utf8_is_a_syntax_error() -> None:
    with pytest.raises(YAMLSyntaxError, match="invalid leading UTF-8 octet"):
        load_documents(b"a: \xff\n", "t")


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "~\n", "null\n"])
def test_empty_documents_are_empty_maps(text: str) -> None:
    assert load_documents(text, "t") == [{}]


def test_only_the_first_document_without_multi_doc() -> None:
    # like yaml.Unmarshal: later documents are not even parsed
    assert load_documents("a: 1\n---\nb: [\n", "t") == [{"a": 1}]


def test_multi_doc_splits_on_raw_separators() -> None:
    text = "\n---\na: 1\n---\nb: 2\n--- # not a separator for graft\nc: 3\n---\n\n"
    assert load_documents(text, "t", multi_doc=True) == [{"a": 1}, {"b": 2}, {}]


def test_multi_doc_errors_name_the_document() -> None:
    with pytest.raises(YAMLSyntaxError) as info:
        load_documents("a: 1\n---\nb: c: d\n", "f.yml", multi_doc=True)
    assert info.value.file == "f.yml[1]"


def test_stdin_is_called_stdin() -> None:
    with pytest.raises(YAMLSyntaxError) as info:
        load_documents("a: b: c\n", "-")
    assert info.value.file == "STDIN"


def test_unicode_and_line_endings() -> None:
    doc = load_documents("a: héllo 😀\r\nb: |\r\n  x\r\n", "t")[0]
    assert doc == {"a": "héllo 😀", "b": "x\n"}
    assert load_documents("\ufeffa: 1\n".encode(), "t") == [{"a": 1}]
    assert load_documents("a: 1\n".encode("utf-16"), "t") == [{"a": 1}]


def test_require_map() -> None:
    assert require_map({"a": 1}, "x.yml") == {"a": 1}
    for root in ([1], "s", 3, True):
        with pytest.raises(FileError) as info:
            require_map(root, "x.yml")
        assert info.value.render() == "x.yml: Root of YAML document is not a hash/map:\n\n"


def test_a_repeated_key_keeps_the_last_value_and_warns() -> None:
    warnings: list[str] = []
    text = "a: 1\nb:\n  c: x\n  'c': y\na: 2\n"
    doc = load_documents(text, "base.yml", warn=warnings.append)[0]
    assert doc == {"a": 2, "b": {"c": "y"}}
    assert warnings == [
        'warning: base.yml: line 4, column 3: duplicate map key "c", the last value is used',
        'warning: base.yml: line 5, column 1: duplicate map key "a", the last value is used',
    ]


def test_duplicate_key_warnings_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert load_documents("k: 1\nk: 2\n", "STDIN")[0] == {"k": 2}
    assert capsys.readouterr().err == (
        'warning: STDIN: line 2, column 1: duplicate map key "k", the last value is used\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true: 1\nTrue: 2\n", {True: 2}),  # written differently: graft takes the last one too
        ("~: 1\nnull: 2\n", {None: 2}),
        ("5: a\n'6': b\n", {5: "a", "6": "b"}),  # different keys
        ("m: {<<: {a: 1}, a: 2}\n", {"m": {"a": 2}}),  # a merged key is no duplicate
    ],
)
def test_keys_that_graft_does_not_call_duplicates(text: str, expected: dict) -> None:
    warnings: list[str] = []
    assert load_documents(text, "t", warn=warnings.append)[0] == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "key", "written"),
    [
        ("1: a\n'1': b\n", "1", "1"),
        ('true: a\n"true": b\n', "true", "true"),
        ("'1.0': a\n1.0: b\n", 1.0, "1.0"),
        ("~: a\n'~': b\n", "~", "~"),
    ],
)
def test_keys_written_the_same_are_one_key(text: str, key: object, written: str) -> None:
    """go-yaml v3 compares keys as written, whatever their type: graft rejects the map."""
    warnings: list[str] = []
    doc = load_documents(text, "t", warn=warnings.append)[0]
    ((got, value),) = doc.items()
    assert (plain_key(got), value) == (key, "b") and type(plain_key(got)) is type(key)
    assert warnings == [
        f'warning: t: line 2, column 1: duplicate map key "{written}", the last value is used'
    ]


def test_true_one_and_one_point_zero_are_three_keys() -> None:
    """Go keeps a bool, an int and a float64 key apart, though Python's True == 1 == 1.0."""
    text = "true: a\n1: b\n1.0: c\nfalse: d\n0: e\n0.0: f\n~: g\n"
    doc = load_documents(text, "t")[0]
    assert sorted(map(str, doc.values())) == list("abcdefg")
    assert [sprint(k) for k in doc] == ["true", "1", "1", "false", "0", "0", "<nil>"]
    assert doc[True] == "a" and doc[False] == "d" and doc[None] == "g"
    # go-yaml's order: by value, then bool before int before float64
    assert dump_yaml(doc) == "false: d\n0: e\n0: f\ntrue: a\n1: b\n1: c\nnull: g\n"


def test_a_repeated_merge_key_uses_the_last_merge() -> None:
    warnings: list[str] = []
    doc = load_documents("m:\n  <<: {a: 1, b: 1}\n  <<: {a: 2}\n", "t", warn=warnings.append)[0]
    assert doc == {"m": {"a": 2}}
    assert warnings == [
        'warning: t: line 3, column 3: duplicate map key "<<", the last value is used'
    ]


def test_load_and_go_patch_files_take_the_last_value_silently() -> None:
    warnings: list[str] = []
    doc = parse_first_document("a: 1\na: 2\n", "t", schema=LEGACY, warn=warnings.append)
    assert doc == {"a": 2} and warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{url: nats://h:4222}", {"url": "nats://h:4222"}),
        ("{a: b:c:d, e: 'q'}", {"a": "b:c:d", "e": "q"}),
        ("[a:b, http://x:80/y, a::b]", ["a:b", "http://x:80/y", "a::b"]),
        ("{a:b}", {"a:b": None}),
        ("{a: b:, c: d}", {"a": "b:", "c": "d"}),
        ("[!!str 1:2, &x a:b, *x]", ["1:2", "a:b", "a:b"]),
    ],
)
def test_a_colon_inside_a_flow_plain_scalar_is_part_of_it(text: str, expected: object) -> None:
    # libyaml 0.1 refuses these; go-yaml (YAML 1.2) reads them: graftpy parses again
    assert one(text) == expected


def test_a_text_read_twice_warns_once_and_keeps_real_errors() -> None:
    warnings: list[str] = []
    doc = load_documents("k: 1\nk: 2\nx: {u: a:b}\n", "base.yml", warn=warnings.append)[0]
    assert doc == {"k": 2, "x": {"u": "a:b"}}
    assert len(warnings) == 1
    with pytest.raises(YAMLSyntaxError) as info:
        load_documents("x: {u: a:b}\ny: {a: :b}\n", "base.yml")
    assert (info.value.line, info.value.column) == (2, 8)


def test_positions_and_diff_read_flow_colons_too() -> None:
    from graftpy.diff.load import load_yaml
    from graftpy.yamlio.positions import line_table

    text = "a: 1\n\nx: {u: a:b,\n  v: c:d}\n"
    root = load_documents(text, "t.yml")[0]
    lines = line_table(text, root)
    assert (lines.line(root, "x"), lines.line(root["x"], "v")) == (3, 4)
    (doc,) = load_yaml(text)
    assert "c:d" in repr(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # graft turns yes/no/on/off values into booleans through maps of string keys only
        (
            "true: false\nflag: yes\nm: {a: off, l: [no, 'On']}\n",
            {True: False, "flag": "yes", "m": {"a": "off", "l": ["no", "On"]}},
        ),
        (
            "flag: yes\nm: {2: a, b: on, c: {d: no}}\nl: [off, {7: on}]\n",
            {"flag": True, "m": {2: "a", "b": "on", "c": {"d": "no"}}, "l": [False, {7: "on"}]},
        ),
        ("a: {b: {c: [yes]}}\n", {"a": {"b": {"c": [True]}}}),
    ],
)
def test_value_booleans_stop_at_a_map_with_a_key_that_is_no_string(
    text: str, expected: dict
) -> None:
    assert load_documents(text, "t.yml")[0] == expected
