"""Every kind of value the nats operator decodes, and what graft makes of each.

The expected values were read off the reference graft binary against a real
server (``test_nats_vs_graft`` re-checks them whenever the binary is present).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Catalog:
    kv: str  # bucket names (unique per test session)
    obj: str


# key -> stored bytes
KV: dict[str, bytes] = {
    "simple": b"hello world",
    "empty": b"",
    "spaces": b"  padded  ",
    "number": b"42",
    "bool": b"true",
    "null": b"null",
    "json_line": b'{"a": 1, "b": [1, 2]}',
    "colon": b"key: value",
    "trailing_newline": b"single\n",
    "leading_newline": b"\nfoo: bar\n",
    "yaml_map": b"foo: bar\nnested:\n  key: value\n  n: 5\n",
    "yaml_list": b"- a\n- b\n- 3\n",
    "json_lines": b'{\n "x": 1,\n "y": "z"\n}\n',
    "multi_string": b"line one\nline two\n",
    "block_scalar": b"|\n  block text\n",
    "bad_yaml": b"a: [1\nb: 2\n",
    "bool_tail": b"true\n# c",
    "int_tail": b"5\n#c",
    "float_tail": b"1.5e3\n# x",
    "comments": b"# a\n# b\n",
    "tagged_string": b"!!str 5\n#c",
    "two_docs": b"a: 1\n---\nb: 2\n",
    "anchors": b"a: &x {k: 1}\nb: *x\n",
    "merge_key": b"base: &b {k: 1}\nc:\n  <<: *b\n  j: 2\n",
    "crlf": b"a: 1\r\nb: 2\r\n",
    "duplicates": b"a: 1\na: 2\n",
    "yaml11": b"d: 2024-01-02\nt: yes\nn: ~\n",
    "utf8": "héllo wörld ✓".encode(),
    "binary": bytes([0, 1, 2, 255]),
    "dir/sub": b"slash",
    "deleted": b"gone",  # deleted after it is written
}

KV_EXPECTED: dict[str, object] = {
    "simple": "hello world",
    "empty": "",
    "spaces": "  padded  ",
    "number": "42",
    "bool": "true",
    "null": "null",
    "json_line": '{"a": 1, "b": [1, 2]}',
    "colon": "key: value",
    "trailing_newline": "single\n",
    "leading_newline": "\nfoo: bar\n",
    "yaml_map": {"foo": "bar", "nested": {"key": "value", False: 5}},
    "yaml_list": ["a", "b", 3],
    "json_lines": {"x": 1, "y": "z"},
    "multi_string": "line one\nline two\n",
    "block_scalar": "|\n  block text\n",
    "bad_yaml": "a: [1\nb: 2\n",
    "bool_tail": True,
    "int_tail": 5,
    "float_tail": 1500.0,
    "comments": "# a\n# b\n",
    "tagged_string": "!!str 5\n#c",
    "two_docs": {"a": 1},
    "anchors": {"a": {"k": 1}, "b": {"k": 1}},
    "merge_key": {"base": {"k": 1}, "c": {"k": 1, "j": 2}},
    "crlf": {"a": 1, "b": 2},
    "duplicates": {"a": 2},
    "yaml11": {"d": "2024-01-02", "t": True, False: None},
    "utf8": "héllo wörld ✓",
    "binary": bytes([0, 1, 2, 255]),
    "dir/sub": "slash",
}

# (name, content type or None, bytes)
OBJECTS: list[tuple[str, str | None, bytes]] = [
    ("config.yaml", "text/yaml", b"app:\n  name: myapp\n  version: 1.0.0\n"),
    ("x-yaml", "text/x-yaml", b"z: 1\n"),
    ("app-x-yaml", "application/x-yaml", b"z: 2\n"),
    ("app-yaml", "application/yaml", b"z: 3\n"),
    ("config.json", "application/json", b'{"app": {"name": "j", "n": 2}}'),
    ("text-json", "text/json", b'[1, 2, {"a": "b"}]'),
    ("readme.txt", "text/plain", b"This is a readme\nline 2\n"),
    ("binary.dat", "application/octet-stream", bytes([0, 1, 2, 3])),
    ("image.png", "image/png", bytes(range(40))),
    ("with-params", "text/plain; charset=utf-8", b"params"),
    ("plain-binary", "text/plain", bytes([0xFF, 0xFE, 0x41])),
    ("empty.txt", "text/plain", b""),
    ("empty-yaml", "text/yaml", b""),
    ("bare.yaml", None, b"k: v\nlist: [1, 2]\n"),
    ("bare.yml", None, b"- x\n- y\n"),
    ("bare.json", None, b'{"a": 1}'),
    ("bare.txt", None, b"plain text"),
    ("bare-bad.yaml", None, b"a: [1\n"),
    ("bare-scalar.yaml", None, b"just a string\n"),
    ("bare-comment.yaml", None, b"# only\n"),
    ("bare-empty.yaml", None, b""),
    ("bare-latin1.yaml", None, bytes([0x61, 0x3A, 0x20, 0xFF, 0x0A])),
    ("UPPER.YAML", None, b"u: 1\n"),
    ("nested/dir/file.yaml", None, b"deep: true\n"),
]

OBJECTS_EXPECTED: dict[str, object] = {
    "config.yaml": {"app": {"name": "myapp", "version": "1.0.0"}},
    "x-yaml": {"z": 1},
    "app-x-yaml": {"z": 2},
    "app-yaml": {"z": 3},
    "config.json": {"app": {"name": "j", "n": 2}},
    "text-json": [1, 2, {"a": "b"}],
    "readme.txt": "This is a readme\nline 2\n",
    "binary.dat": "AAECAw==",
    "image.png": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==",
    "with-params": "cGFyYW1z",
    "plain-binary": bytes([0xFF, 0xFE, 0x41]),
    "empty.txt": "",
    "empty-yaml": None,
    "bare.yaml": {"k": "v", "list": [1, 2]},
    "bare.yml": ["x", True],
    "bare.json": '{"a": 1}',
    "bare.txt": "plain text",
    "bare-bad.yaml": "a: [1\n",
    "bare-scalar.yaml": "just a string",
    "bare-comment.yaml": None,
    "bare-empty.yaml": None,
    "bare-latin1.yaml": bytes([0x61, 0x3A, 0x20, 0xFF, 0x0A]),
    "UPPER.YAML": "u: 1\n",
    "nested/dir/file.yaml": {"deep": True},
}


def document(catalog: Catalog) -> str:
    """One YAML document reading every value of the catalogue."""
    lines = ["kv:"]
    lines += [f'  "{key}": (( nats "kv:{catalog.kv}/{key}" ))' for key in KV_EXPECTED]
    lines.append("obj:")
    lines += [f'  "{name}": (( nats "obj:{catalog.obj}/{name}" ))' for name, _, _ in OBJECTS]
    return "\n".join(lines) + "\n"
