"""graftpy.tree.named_entries: list entries found by name from an index, always as
``find_in_list`` finds them, however the document changes between lookups."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import graftpy
from graftpy.evaluator.document import Document
from graftpy.tree.lookup import NAME_FIELDS, find_in_list
from graftpy.tree.named_entries import NamedEntries

NAMES = st.sampled_from(["a", "b", "c", "d", "1"])
ENTRY = st.one_of(
    st.dictionaries(st.sampled_from([*NAME_FIELDS, "x"]), st.one_of(NAMES, st.integers(0, 2))),
    NAMES,
    st.none(),
)
# a lookup, an entry replaced, or a name field of an entry written
STEP = st.one_of(
    st.tuples(st.just("find"), NAMES),
    st.tuples(st.just("replace"), st.integers(0, 59), ENTRY),
    st.tuples(st.just("rename"), st.integers(0, 59), st.sampled_from(NAME_FIELDS), NAMES),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY, min_size=0, max_size=60), st.lists(STEP, max_size=30))
def test_every_lookup_finds_what_a_walk_of_the_list_finds(items: list, steps: list) -> None:
    entries = NamedEntries()
    for step in steps:
        if step[0] == "find":
            assert entries.find(items, step[1]) == find_in_list(items, step[1])
        elif items:
            i = step[1] % len(items)
            if step[0] == "replace":
                items[i] = step[2]
            elif isinstance(items[i], dict):
                items[i][step[2]] = step[3]
            entries.entry_changed(items)
    for key in ("a", "b", "c", "d", "1", "missing"):
        assert entries.find(items, key) == find_in_list(items, key)


def named(n: int) -> list[dict[str, Any]]:
    return [{"name": f"j{i}", "v": i} for i in range(n)]


def test_a_renamed_entry_is_found_by_its_new_name_through_the_document() -> None:
    root = {"jobs": named(40)}
    doc = Document(root)
    assert doc.entries.find(root["jobs"], "j7") == (7, root["jobs"][7])  # index built
    doc.write(("jobs", "7", "name"), "seven")
    assert doc.entries.find(root["jobs"], "seven") == (7, root["jobs"][7])
    assert doc.entries.find(root["jobs"], "j7") is None
    doc.write(("jobs", "3"), {"name": "three"})
    assert doc.entries.find(root["jobs"], "three")[0] == 3


def test_an_inject_that_names_an_entry_is_seen() -> None:
    root = {"jobs": [*named(30), {"spot": "(( inject meta.x ))"}]}
    doc = Document(root)
    assert doc.entries.find(root["jobs"], "late") is None
    doc.inject(("jobs", "30", "spot"), {"name": "late"}, lambda new, old, path: new)
    assert doc.entries.find(root["jobs"], "late") == (30, {"name": "late"})


def test_a_name_an_operator_writes_is_found_by_a_later_grab() -> None:
    # "early" runs first (paths sort before "jobs"), indexing the list while the last
    # entry's name is still an expression; "out" reads the name the concat writes
    doc = {
        "early": "(( grab jobs.j3.v ))",
        "jobs": [*named(40), {"name": '(( concat "late" "-one" ))', "v": "found"}],
        "out": "(( grab jobs.late-one.v ))",
    }
    for parallel in (False, True):
        data = graftpy.merge(doc, parallel=parallel)
        assert (data["early"], data["out"]) == (3, "found")
