"""Provenance of the merge: the traced merge is the plain merge (same tree, errors,
warnings, markers), its traces mirror the document, and every event names the file,
the line and the array-merge rule."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import assert_mirrors, history, traced_merge
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graftpy import yamlio
from graftpy.provenance.trace import A_LIST, A_MAP

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "graft"


def _corpus_merges() -> list[tuple[str, list[Path], bool]]:
    cases = []
    for case in sorted(CORPUS.glob("*/*/case.json")):
        spec = json.loads(case.read_text())
        args = spec["args"]
        if not args or args[0] != "merge":
            continue
        flags = {a for a in args[1:] if a.startswith("-")}
        if flags - {"--fallback-append"}:
            continue
        files = [case.parent / a for a in args[1:] if not a.startswith("-")]
        if files and all(f.is_file() for f in files):
            cases.append((case.parent.name, files, bool(flags)))
    return cases


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the conformance corpus is not here")
def test_the_traced_merge_is_the_plain_merge_on_the_corpus():
    checked = 0
    for name, files, fallback in _corpus_merges():
        texts = []
        try:
            for f in files:
                text = f.read_text()
                (doc,) = yamlio.load_documents(text, str(f))
                if not isinstance(doc, dict):
                    raise ValueError
                texts.append(text)
        except Exception:  # noqa: BLE001 - cases about unreadable input are not merges
            continue
        plain, traced = traced_merge(*texts, fallback_append=fallback)
        assert traced.tree == plain.tree, name
        assert [e.message for e in traced.errors()] == [e.message for e in plain.errors()], name
        assert traced.warnings == plain.warnings, name
        assert traced.prune_paths == plain.prune_paths, name
        assert traced.sort_paths == plain.sort_paths, name
        if not plain.errors():
            assert_mirrors(traced.tree, traced.tracer.root)
        checked += 1
    assert checked > 200


def test_set_then_override_in_merge_order():
    _, m = traced_merge("a: 1\nb: {c: x}\n", "\na: 2\n", "b:\n  c: z\n")
    assert history(m, "a") == [("set", "f1.yml", 1, 1, None), ("override", "f2.yml", 2, 2, None)]
    assert history(m, "b", "c") == [
        ("set", "f1.yml", 2, "x", None),
        ("override", "f3.yml", 2, "z", None),
    ]
    assert history(m, "b")[0][3] is A_MAP


def test_lists_merged_by_name_and_appended():
    _, m = traced_merge(
        "jobs:\n- name: web\n  count: 1\n- name: db\n  count: 1\n",
        "jobs:\n- name: db\n  count: 3\n- name: worker\n  count: 4\n",
    )
    assert [e[4] for e in history(m, "jobs", "1", "count")] == [None, "merged by name 'db'"]
    assert history(m, "jobs", "1")[-1][0] == "merged"
    assert history(m, "jobs", "2", "count") == [
        ("set", "f2.yml", 5, 4, "appended (new name 'worker')")
    ]
    assert history(m, "jobs", "0", "count") == [("set", "f1.yml", 3, 1, None)]


@pytest.mark.parametrize(
    ("overlay", "index", "rule"),
    [
        ("- (( append ))\n- z\n", "3", "appended by (( append ))"),
        ("- (( prepend ))\n- z\n", "0", "prepended by (( prepend ))"),
        ("- (( insert after 1 ))\n- z\n", "2", "inserted after index 1"),
        ("- (( insert before 0 ))\n- z\n", "0", "inserted before index 0"),
        ("- (( replace ))\n- z\n", "0", "list replaced by (( replace ))"),
        ("- (( inline ))\n- z\n", "0", "merged inline at position 0"),
        ("- z\n", "0", "merged inline at position 0"),
    ],
)
def test_array_operators_on_a_scalar_list(overlay, index, rule):
    plain, m = traced_merge("l:\n- a\n- b\n- c\n", "l:\n" + overlay)
    assert m.tree == plain.tree
    assert_mirrors(m.tree, m.tracer.root)
    *_, last = history(m, "l", index)
    assert last[:2] == ("set", "f2.yml") or last[:2] == ("override", "f2.yml")
    assert last[3] == "z" and last[4] == rule


def test_insert_and_delete_by_name():
    plain, m = traced_merge(
        "jobs:\n- name: a\n- name: b\n- name: c\n",
        'jobs:\n- (( insert after "a" ))\n- name: new\n- (( delete "c" ))\n',
    )
    assert m.tree == plain.tree == {"jobs": [{"name": "a"}, {"name": "new"}, {"name": "b"}]}
    assert_mirrors(m.tree, m.tracer.root)
    assert history(m, "jobs", "1", "name")[-1][4] == "inserted after name 'a'"
    deleted = [e for e in m.tracer.root.kids["jobs"].events if e.action == "deleted"]
    assert [(d.file, d.line, d.detail) for d in deleted] == [("f2.yml", 4, "name 'c'")]


def test_merge_on_another_key_and_fallback_append():
    plain, m = traced_merge("l:\n- id: 1\n  v: a\n", "l:\n- (( merge on id ))\n- id: 1\n  v: b\n")
    assert history(m, "l", "0", "v")[-1] == ("override", "f2.yml", 4, "b", "merged by id '1'")
    plain, m = traced_merge("l: [a, b]\n", "l: [c]\n", fallback_append=True)
    assert m.tree == plain.tree == {"l": ["a", "b", "c"]}
    assert history(m, "l", "2")[-1][4] == "appended (the fallback: append)"


def test_replaced_containers_and_markers():
    _, m = traced_merge(
        "a: {x: 1}\nb: [1]\nc: 3\nd: {k: v}\n", "a: 5\nb: {yy: 2}\nc: [9]\nd: (( prune ))\n"
    )
    assert history(m, "a")[-1][:4] == ("override", "f2.yml", 1, 5)
    assert m.tracer.root.kids["a"].kids is None
    assert history(m, "b", "yy") == [("set", "f2.yml", 2, 2, None)]
    assert history(m, "c")[-1][3] is A_LIST
    marked = history(m, "d")[-1]
    assert marked[:3] == ("marked", "f2.yml", 4)


def test_errors_of_a_traced_merge_carry_file_and_line():
    plain, m = traced_merge("l:\n- name: a\n", 'x: 1\nl:\n- (( delete "zz" ))\n')
    assert [e.message for e in plain.errors()] == [e.message for e in m.errors()]
    (error,) = m.errors()
    assert (error.file, error.line) == ("f2.yml", 3)
    assert plain.errors()[0].file is None  # a plain merge records nothing


ENTRY = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "c", "d"])},
    optional={"v": st.integers(0, 3), "w": st.sampled_from(["x", "z"])},
)
OPS = st.sampled_from(
    [
        "(( append ))",
        "(( prepend ))",
        "(( replace ))",
        "(( inline ))",
        "(( merge ))",
        '(( insert after "a" ))',
        '(( insert before "b" ))',
        '(( delete "c" ))',
        "(( insert after 0 ))",
        "(( delete 0 ))",
    ]
)
ITEMS = st.one_of(ENTRY, st.sampled_from(["s1", "s2", 3]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ITEMS, max_size=4),
    st.lists(st.one_of(ITEMS, OPS), max_size=6),
    st.lists(st.one_of(ITEMS, OPS), max_size=4),
    st.booleans(),
)
def test_random_list_merges_trace_what_they_do(base, overlay, third, fallback):
    texts = [
        yamlio.dump_yaml({"l": items, "k": i}) + "\n"
        for i, items in enumerate((base, overlay, third))
    ]
    plain, m = traced_merge(*texts, fallback_append=fallback)
    assert m.tree == plain.tree
    assert [e.message for e in m.errors()] == [e.message for e in plain.errors()]
    if not plain.errors():
        assert_mirrors(m.tree, m.tracer.root)


def test_corpus_path_is_relative_to_the_repository():
    assert not os.path.isabs(os.path.relpath(CORPUS))
