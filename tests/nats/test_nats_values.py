"""How KV entries and objects become values (graft's rules), without a server."""

from __future__ import annotations

import pytest

from graftpy.backends import BackendError
from graftpy.backends.nats_values import content_type, kv_value, object_value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b"", ""),
        (b"plain", "plain"),
        (b"a: 1", "a: 1"),  # one line: never parsed
        (b"[1, 2]", "[1, 2]"),
        (b"  x: 1\n  ", "  x: 1\n  "),  # one line once trimmed
        (b"a: 1\nb: [2]\n", {"a": 1, "b": [2]}),
        (b"- 1\n- two\n", [1, "two"]),
        (b"yes\n# c", True),  # YAML 1.1 booleans, as go-yaml v2
        (b"one\ntwo\n", "one\ntwo\n"),  # a multi-line string stays as stored
        (b"# a\n# b", "# a\n# b"),  # no document: as stored
        (b"a: [1\nb: 2", "a: [1\nb: 2"),  # not YAML: as stored
        (b"\xff\n\xfe", b"\xff\n\xfe"),  # not UTF-8: raw bytes (emitted as !!binary)
    ],
)
def test_kv_values(raw, value):
    assert kv_value(raw, "kv:b/k") == value


@pytest.mark.parametrize(
    ("name", "kind", "raw", "value"),
    [
        ("o", "text/yaml", b"a: 1\n", {"a": 1}),
        ("o", "application/json", b'{"a": [1]}', {"a": [1]}),
        ("o", "text/plain", b"a: 1\n", "a: 1\n"),
        ("o.yaml", "", b"a: 1\n", {"a": 1}),
        ("o.yml", "", b"a: [1\n", "a: [1\n"),  # by extension: falls back to the text
        ("o.json", "", b'{"a": 1}', '{"a": 1}'),  # JSON only by content type
        ("o", "image/png", b"\x00\x01", "AAE="),
        ("o", "text/plain; charset=utf-8", b"hi", "aGk="),  # exact types only, as graft
        ("o", "text/yaml", b"", None),
    ],
)
def test_object_values(name, kind, raw, value):
    assert object_value(name, kind, raw) == value


def test_a_bad_yaml_object_is_an_error_without_its_content():
    with pytest.raises(BackendError) as info:
        object_value("app.yaml", "application/yaml", b"secret: [hunter2\n")
    assert info.value.message.startswith("failed to parse YAML from object 'app.yaml': line ")
    assert "hunter2" not in info.value.message


def test_the_content_type_header_is_read_as_nats_go_reads_it():
    assert content_type({"Content-Type": ["text/yaml", "text/plain"]}) == "text/yaml"
    assert content_type({"content-type": ["text/yaml"]}) == ""  # header names are exact
    assert content_type(None) == ""
