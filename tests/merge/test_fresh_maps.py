"""A map merged onto nothing takes a shorter way (``MergeCore._fresh_map``): it must
give what the general merge gives, tree, errors, warnings and markers alike."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graftpy.merging.core import MergeCore


class GeneralCore(MergeCore):
    """The merge without the shortcut: a map onto nothing is merged key by key."""

    def merge_obj(self, orig: Any, new: Any, node: str, t: Any = None, line: Any = None) -> Any:
        if orig is None and t is None and new.__class__ is dict:
            fresh: dict = {}
            self.merge_map(fresh, new, node)
            return fresh
        return super().merge_obj(orig, new, node, t, line)


# what a merge reacts to: array operators, prune and sort markers, (( merge )) values,
# lists of maps with and without names (and names that are maps), other calls
MARKED = st.sampled_from(
    [
        "(( append ))",
        "(( prepend ))",
        "(( inline ))",
        "(( replace ))",
        "(( merge ))",
        "(( merge on id ))",
        "(( prune ))",
        "(( sort ))",
        '(( delete "a" ))',
        "(( insert after name x ))",
        "(( grab a.b ))",
        "plain",
    ]
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text("ab(", max_size=3), MARKED)
KEYS = st.sampled_from(["a", "b", "name", "id", "x"])


def _values(kids: Any) -> Any:
    named = st.builds(
        lambda name, rest: {"name": name, **rest},
        st.one_of(st.sampled_from(["x", "y", "z"]), st.dictionaries(KEYS, SCALARS, max_size=1)),
        st.dictionaries(KEYS, kids, max_size=2),
    )
    return st.one_of(
        st.dictionaries(KEYS, kids, max_size=4),
        st.lists(st.one_of(kids, named), max_size=4),
        st.lists(named, max_size=4),
    )


TREES = st.recursive(SCALARS, _values, max_leaves=16)
DOCS = st.dictionaries(KEYS, TREES, max_size=4)


def _outcome(core_class: type, docs: list[dict], **rules: Any) -> tuple:
    core = core_class(default_key="name", **rules)
    tree: dict = {}
    for doc in docs:
        core.merge_map(tree, doc, "$")
    errors = [e.render() for e in core.errors]
    return tree, errors, core.warnings, core.prune_nodes, core.sort_nodes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(DOCS, min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_a_fresh_map_merges_as_the_general_merge_does(
    docs: list[dict], append: bool, merge_call_errors: bool
) -> None:
    rules = {"append_by_default": append, "merge_call_errors": merge_call_errors}
    assert _outcome(MergeCore, docs, **rules) == _outcome(GeneralCore, docs, **rules)


def test_a_fresh_map_still_reports_a_merge_value_and_copies_its_lists() -> None:
    doc = {"jobs": {"web": {"ips": "(( merge ))", "nets": [{"name": "n1"}, "(( append ))"]}}}
    core = MergeCore(append_by_default=False, default_key="name", merge_call_errors=True)
    tree: dict = {}
    core.merge_map(tree, doc, "$")
    assert [e.render() for e in core.errors] == [e.render() for e in _general_errors(doc)]
    assert core.errors, "the (( merge )) map value is an error of the legacy merger"
    assert tree["jobs"]["web"]["nets"] is not doc["jobs"]["web"]["nets"]
    assert tree["jobs"] is not doc["jobs"]


def _general_errors(doc: dict) -> list:
    core = GeneralCore(append_by_default=False, default_key="name", merge_call_errors=True)
    core.merge_map({}, doc, "$")
    return core.errors
