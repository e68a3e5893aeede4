"""Lines the loader notes as it reads (``positions.LineRecorder``, what explain uses)
are the lines a second read of the events finds (``positions.line_table``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.yamlio.loader import parse_first_document
from graftpy.yamlio.positions import Lines, line_table

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

TRICKY = [
    "a: 1\n",
    "",
    "# only a comment\n",
    "~\n",
    "just text\n",
    "- a\n- [b, {c: d}]\n-\n  - nested\n",
    "base: &b\n  k1: 1\n  k2: {x: [1, {y: 2}]}\nm:\n  <<: *b\n  k2: 9\ncopy: *b\n",
    "m:\n  <<: {p: {q: 1}, r: [1, 2]}\n  s: {t: 2}\n",
    "b: &b {x: 1}\nm:\n  <<: [*b, {z: {w: 1}}]\n  !!merge <<: *b\n  s: [2, {u: 3}]\n",
    "k: &k key\nm:\n  *k : {a: 1}\n  other: [1, {b: 2}]\n",
    "u: {url: nats://h:4222, l: [a:b, {c: d}]}\nv:\n  w: 2\n",  # the pure-Python parser
    "--- \n# x\na:\n  - - 1\n    - 2\n  - {b: c}\n",
    "'q': 1\n! 2: x\n0x10: hex\n~: n\ntrue: t\n\"<<\": quoted\n",
    "a: yes\nb: [on, off]\n2: {c: yes}\n",
    "a: {x: 1}\na: {y: 2}\n",  # a key given twice: the last value, and its lines
    "1: a\ntrue: b\n1.0: c\n0: {x: 1}\n",  # three keys, as in Go (yamlio.typedkeys)
    'a: 1\n"1": x\n1: y\n',  # written the same: the last key and value
]


def reachable(lines: Lines, value, seen=None) -> dict:
    """{id: table} of the containers of the document ``value`` (not of values that
    were read and then replaced: those are not in the document)."""
    seen = {} if seen is None else seen
    if isinstance(value, (dict, list)):
        seen[id(value)] = lines.table(value)
        for child in value.values() if isinstance(value, dict) else value:
            reachable(lines, child, seen)
    return seen


def assert_same_lines(text: str | bytes) -> None:
    noted = Lines()
    root = parse_first_document(text, "t.yml", warn=lambda _: None, lines=noted)
    walked = line_table(text, root)
    assert noted.root_line == walked.root_line
    assert reachable(noted, root) == reachable(walked, root)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents(text):
    assert_same_lines(textwrap.dedent(text))


def test_every_yaml_file_of_the_examples():
    checked = 0
    for path in sorted([*EXAMPLES.rglob("*.yml"), *EXAMPLES.rglob("*.yaml")]):
        data = path.read_bytes()
        try:
            parse_first_document(data, str(path), warn=lambda _: None)
        except Exception:  # noqa: BLE001 - files that are meant not to load
            continue
        assert_same_lines(data)
        checked += 1
    assert checked > 10


SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["x", "y z", "", "yes", "1.5", "~"]))
KEYS = st.sampled_from(["a", "b", "<<", "1", "true", "k-2"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4), st.booleans())
def test_emitted_documents(doc, flow):
    """Documents as graft emits them (block), or as JSON (flow); ``<<`` keys among them."""
    import json

    from graftpy import yamlio

    text = json.dumps(doc) if flow else yamlio.dump_yaml(doc) + "\n"
    try:
        parse_first_document(text, "t.yml", warn=lambda _: None)
    except Exception:  # noqa: BLE001 - a "<<" whose value cannot be merged
        return
    assert_same_lines(text)


def test_sources_carry_the_files_lines_multi_document_too(tmp_path):
    from graftpy.pipeline import MergeOptions, load_sources

    path = tmp_path / "m.yml"
    path.write_text("a: 1\n---\nb: 2\nc:\n  d: 3\n")
    options = MergeOptions(multi_doc=True)
    noted = load_sources([str(path)], options, positions=True)
    plain = load_sources([str(path)], options)
    assert [s.noted is not None for s in noted] == [True, True]
    assert [s.noted for s in plain] == [None, None]
    second = noted[1]
    assert second.lines().table(second.data) == {"b": 3, "c": 4}
    assert second.lines().line(second.data["c"], "d") == 5
    again = plain[1].lines()  # a second read finds the same
    assert again.table(plain[1].data) == {"b": 3, "c": 4}


def test_go_patch_operations_are_found_by_a_second_read(tmp_path):
    from graftpy.pipeline import MergeOptions, load_sources

    path = tmp_path / "ops.yml"
    path.write_text("- type: replace\n  path: /a\n  value: 2\n")
    (source,) = load_sources([str(path)], MergeOptions(go_patch=True), positions=True)
    assert source.is_patch and source.noted is None
    assert source.lines().table(source.data[0]) == {"type": 1, "path": 2, "value": 3}


def test_keys_go_typed_as_the_loader_types_them():
    """true, 1 and 1.0 are three keys (yamlio.typedkeys): each has its own line."""
    text = "1: a\ntrue: b\n1.0: c\n0: {x: 1}\n"
    for lines in (Lines(), None):
        root = parse_first_document(text, "t.yml", lines=lines)
        found = lines if lines is not None else line_table(text, root)
        assert [found.line(root, k) for k in root] == [1, 2, 3, 4]
