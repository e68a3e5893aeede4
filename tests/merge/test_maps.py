"""Deep map merging, null handling, key order and the no-aliasing guarantee."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graftpy.errors import MultiError
from graftpy.merging import Merger, merge_values

from .helpers import merge_all


def test_deep_map_merge_overrides_scalars_and_keeps_the_rest() -> None:
    m = merge_all(
        {"a": {"b": 1, "c": {"d": "x", "e": "y"}}, "k": "v"},
        {"a": {"c": {"d": "z"}, "n": True}},
    )
    assert m.tree == {"a": {"b": 1, "c": {"d": "z", "e": "y"}, "n": True}, "k": "v"}
    assert m.errors() == []


def test_tilde_sets_null_instead_of_deleting() -> None:
    m = merge_all({"a": 1, "b": {"c": 2}}, {"a": None, "b": None})
    assert m.tree == {"a": None, "b": None}


def test_new_keys_go_after_existing_keys() -> None:
    m = merge_all({"z": 1, "a": 2}, {"m": 3, "a": 4, "b": 5})
    assert list(m.tree) == ["z", "a", "m", "b"]
    assert m.tree["a"] == 4


def test_type_changes_replace() -> None:
    m = merge_all({"a": {"x": 1}, "b": [1, 2], "c": "s"}, {"a": "now", "b": {"k": 1}, "c": [9]})
    assert m.tree == {"a": "now", "b": {"k": 1}, "c": [9]}


def test_map_over_scalar_is_taken_unmerged() -> None:
    # graft places such a map as it is: array operators inside stay untouched
    m = merge_all({"a": 1}, {"a": {"l": ["(( append ))", "x"]}})
    assert m.tree == {"a": {"l": ["(( append ))", "x"]}}


def test_merge_string_outside_a_list_is_kept_by_default() -> None:
    m = merge_all({"key": "value"}, {"key": "(( merge ))"})
    assert m.tree == {"key": "(( merge ))"}
    assert m.errors() == []


def test_merge_string_outside_a_list_can_be_an_error() -> None:
    m = merge_all({"a": {"key": "v"}}, {"a": {"key": "(( merge on x ))"}}, merge_call_errors=True)
    assert [e.render() for e in m.errors()] == [
        "1 error(s) detected:\n - $.a.key: inappropriate use of (( merge )) operator outside "
        "of a list (this is graft, after all)\n\n\n"
    ]


def test_overlay_is_never_modified_or_aliased() -> None:
    overlay = {"a": {"b": [1, {"c": 2}]}, "l": ["(( append ))", {"x": 1}]}
    snapshot = {"a": {"b": [1, {"c": 2}]}, "l": ["(( append ))", {"x": 1}]}
    m = Merger()
    m.merge({"l": [{"y": 0}]}, "base")
    m.merge(overlay, "over")
    m.merge({"a": {"b": [5]}, "l": [{"z": 9}]}, "third")
    assert overlay == snapshot
    m.tree["l"][1]["x"] = 42
    assert overlay == snapshot


def test_same_document_merged_twice_is_not_corrupted() -> None:
    doc = {"list": [{"name": "a", "v": 1}], "m": {"k": "v"}}
    m = Merger()
    m.merge(doc, "one")
    m.merge(doc, "two")
    assert m.tree == doc
    m.tree["m"]["k"] = "changed"
    assert doc["m"]["k"] == "v"


def test_non_string_keys_keep_their_type() -> None:
    m = merge_all({1: "one", "1": "text", 2.5: "f"}, {1: "uno"})
    assert m.tree == {1: "uno", "1": "text", 2.5: "f"}


def test_merge_values_does_not_touch_its_inputs() -> None:
    base = {"a": {"b": 1}, "l": [1]}
    overlay = {"a": {"c": 2}, "l": [2]}
    out = merge_values(base, overlay, ("jobs", "web"), append_by_default=True)
    assert out == {"a": {"b": 1, "c": 2}, "l": [1, 2]}
    assert base == {"a": {"b": 1}, "l": [1]}
    assert overlay == {"a": {"c": 2}, "l": [2]}


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
trees = st.recursive(
    scalars,
    lambda kids: st.dictionaries(st.text("abc", min_size=1, max_size=2), kids, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text("abc", min_size=1, max_size=2), trees, max_size=4))
def test_merging_a_document_onto_nothing_gives_it_back(doc: dict) -> None:
    m = merge_all(doc)
    assert m.tree == doc
    assert m.errors() == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.text("abc", min_size=1, max_size=2), trees, max_size=4),
    st.dictionaries(st.text("abc", min_size=1, max_size=2), trees, max_size=4),
)
def test_overlay_scalars_always_win(a: dict, b: dict) -> None:
    m = merge_all(a, b)

    def check(merged: object, over: object) -> None:
        if isinstance(over, dict) and isinstance(merged, dict):
            for k, v in over.items():
                check(merged[k], v)
        else:
            assert merged == over

    check(m.tree, b)
    assert set(m.tree) == set(a) | set(b)


def test_merge_values_reports_prune_markers() -> None:
    found: list[tuple[str, ...]] = []
    out = merge_values(
        {"canaries": 1, "max_in_flight": 3},
        {"canaries": 2, "max_in_flight": "(( prune ))"},
        ("jobs", "1", "update"),
        append_by_default=True,
        prune_paths=found,
    )
    assert out == {"canaries": 2, "max_in_flight": 3}
    assert found == [("jobs", "1", "update", "max_in_flight")]


def test_merge_values_errors_name_the_bare_path() -> None:
    with pytest.raises(MultiError) as err:
        merge_values({"l": [{"name": "a"}]}, {"l": ["(( merge ))", "x"]}, ("jobs", "web"))
    assert err.value.render() == (
        "1 error(s) detected:\n - jobs.web.l.0: new object is a string, not a map - "
        "cannot merge by key\n\n\n"
    )


def test_merge_values_warnings_are_collected() -> None:
    lines: list[str] = []
    merge_values([], [{"name": {"a": 1}}], ("x",), append_by_default=True, warnings=lines)
    assert lines == [
        "warning: x.0: new object's key 'name' cannot have a value which is a hash or "
        "sequence - cannot merge by key",
        "warning: Falling back to append merge strategy",
    ]
