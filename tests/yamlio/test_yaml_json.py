"""``graft json``: compact Go-style JSON of each document."""

from __future__ import annotations

import math

import pytest

from graftpy.errors import FileError, GraftError
from graftpy.yamlio import DocumentError, InputReadError, dump_json, json_command
from graftpy.yamlio.jsonout import jsonify


def test_dump_json_matches_go_json_marshal() -> None:
    data = {
        "b": [1, 2.5, None, True, "x"],
        "a": {"z": {}, "y": []},
        "<&>": 'a<b>&\u2028\n\t\x01"\\',
    }
    assert dump_json(data) == (
        '{"\\u003c\\u0026\\u003e":"a\\u003cb\\u003e\\u0026\\u2028\\n\\t\\u0001\\"\\\\",'
        '"a":{"y":[],"z":{}},"b":[1,2.5,null,true,"x"]}'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (-2.5e-9, "-2.5e-9"),
        (3.3333333333333335, "3.3333333333333335"),
        (2**64 - 1, "18446744073709551615"),
        ("é😀", '"é😀"'),
        (b"\xffa", '"\ufffda"'),
    ],
)
def test_json_scalars(value: object, text: str) -> None:
    assert dump_json(value) == text


def test_non_string_keys_become_go_strings() -> None:
    # keys are printed with Go's %v and sorted as strings; nil prints as <nil>
    assert dump_json({10: "a", False: "b", None: "c", 2.5: {3: 4}}) == (
        '{"10":"a","2.5":{"3":4},"\\u003cnil\\u003e":"c","false":"b"}'
    )
    with pytest.raises(GraftError, match="Non-string keys found during strict JSON conversion"):
        dump_json({"a": {2: "x"}}, strict=True)


def test_nan_is_refused() -> None:
    with pytest.raises(GraftError, match="json: unsupported value: NaN"):
        dump_json({"a": math.nan})


def test_jsonify_documents_and_errors() -> None:
    text = "---\na: 1\n---\nb: [x, 1e3]\n"
    # graft json decodes with the 2016 fork: a number is what ParseFloat accepts
    assert jsonify(text, "f.yml") == ['{"a":1}', '{"b":["x",1000]}']
    with pytest.raises(FileError) as info:
        jsonify("a: 1\n---\n- x\n", "f.yml")
    assert info.value.render() == (
        "f.yml[1]: Root of YAML document is not a hash/map: "
        "type assertion to map[interface]interface{} failed\n\n"
    )
    with pytest.raises(FileError):
        jsonify("a: 1\n---\n# nothing\n", "f.yml")  # an empty document is no map either
    with pytest.raises(DocumentError) as derr:
        jsonify("a: {1: x}\n", "f.yml", strict=True)
    assert derr.value.render() == "f.yml[0]: Non-string keys found during strict JSON conversion\n"


def test_json_command(tmp_path, monkeypatch) -> None:
    one = tmp_path / "one.yml"
    one.write_text("map:\n  list: [string, 42, {map: of things}]\n---\nx: z\n")
    assert json_command([str(one)]) == (
        '{"map":{"list":["string",42,{"map":"of things"}]}}\n{"x":"z"}\n'
    )
    with pytest.raises(InputReadError) as info:
        json_command([str(tmp_path / "missing.yml")])
    missing = tmp_path / "missing.yml"
    assert info.value.render() == (
        f"Error reading file {missing}: open {missing}: no such file or directory\n"
    )
