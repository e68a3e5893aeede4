"""The default list merge: by identifier key, else inline, or append on request."""

from __future__ import annotations

import pytest

from graftpy.merging import Merger

from .helpers import error_lines, merge_all

FIRST = {
    "array_default": ["first", "second", "third"],
    "array_map_default": [
        {"name": "AAA", "k1": "key 1", "k2": "key 2"},
        {"name": "BBB", "k3": "original"},
    ],
}
SECOND = {
    "array_default": ["FIRST", "SECOND"],
    "array_map_default": [{"name": "BBB", "k2": "final"}, {"name": "AAA", "k2": "updated"}],
}


def test_lists_of_named_maps_merge_by_name_keeping_original_order() -> None:
    m = merge_all(FIRST, SECOND)
    assert m.tree["array_map_default"] == [
        {"name": "AAA", "k1": "key 1", "k2": "updated"},
        {"name": "BBB", "k3": "original", "k2": "final"},
    ]


def test_scalar_lists_merge_inline_by_position() -> None:
    m = merge_all(FIRST, SECOND)
    assert m.tree["array_default"] == ["FIRST", "SECOND", "third"]


def test_new_named_entries_are_appended_in_overlay_order() -> None:
    m = merge_all(
        {"l": [{"name": "a", "v": 1}]},
        {"l": [{"name": "c"}, {"name": "a", "v": 2}, {"name": "b"}]},
    )
    assert m.tree["l"] == [{"name": "a", "v": 2}, {"name": "c"}, {"name": "b"}]


def test_inline_merge_merges_maps_by_position_and_appends_the_rest() -> None:
    m = merge_all({"l": [{"a": 1}, {"b": 2}]}, {"l": [{"a": 9, "c": 3}, {"b": 8}, "extra"]})
    assert m.tree["l"] == [{"a": 9, "c": 3}, {"b": 8}, "extra"]


def test_shorter_overlay_keeps_the_tail_of_the_original() -> None:
    m = merge_all({"l": [1, 2, 3]}, {"l": [9]})
    assert m.tree["l"] == [9, 2, 3]


def test_default_array_merge_key_comes_from_the_runs_environment(tmp_path) -> None:
    from graftpy.pipeline import MergeOptions, run_merge

    base, overlay = tmp_path / "a.yml", tmp_path / "b.yml"
    base.write_text("array:\n- {id: first, value: 123}\n- {id: second, value: 321}\n")
    overlay.write_text("array:\n- {id: third, value: true}\n- {id: second, value: 987}\n")
    options = MergeOptions(env={"DEFAULT_ARRAY_MERGE_KEY": "id"})
    assert run_merge([str(base), str(overlay)], options)["array"] == [
        {"id": "first", "value": 123},
        {"id": "second", "value": 987},
        {"id": "third", "value": True},
    ]


def test_merger_ignores_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # library callers pass env=...; the process's variable must not leak in
    monkeypatch.setenv("DEFAULT_ARRAY_MERGE_KEY", "id")
    m = merge_all({"l": [{"k": 1, "v": 1}]}, {"l": [{"k": 1, "v": 2}]}, array_merge_key="k")
    assert m.tree["l"] == [{"k": 1, "v": 2}]
    m = merge_all({"l": [{"id": 1, "v": 1}, {"id": 2, "v": 2}]}, {"l": [{"id": 2, "v": 3}]})
    assert m.tree["l"] == [{"id": 2, "v": 3}, {"id": 2, "v": 2}]  # inline, not by id


def test_without_the_identifier_key_lists_of_maps_merge_inline() -> None:
    m = merge_all({"l": [{"thing": 1, "v": "foo"}]}, {"l": [{"thing": 2, "v": "bar"}]})
    assert m.tree["l"] == [{"thing": 2, "v": "bar"}]
    assert m.warnings == []


def test_fallback_append_appends_when_key_merge_is_impossible() -> None:
    m = merge_all(
        {"array": [{"thing": 1, "value": "foo"}, {"thing": 2, "value": "bar"}]},
        {"array": [{"thing": 1, "value": "baz"}]},
        fallback_append=True,
    )
    assert m.tree["array"] == [
        {"thing": 1, "value": "foo"},
        {"thing": 2, "value": "bar"},
        {"thing": 1, "value": "baz"},
    ]


def test_fallback_append_still_merges_by_name() -> None:
    m = merge_all(
        {"l": [{"name": "a", "v": 1}]}, {"l": [{"name": "a", "v": 2}]}, fallback_append=True
    )
    assert m.tree["l"] == [{"name": "a", "v": 2}]


def test_identifier_holding_a_map_warns_and_falls_back_inline() -> None:
    m = merge_all({"array-of-maps": [{"name": {"subkey1": True, "subkey2": False}}]})
    assert m.tree == {"array-of-maps": [{"name": {"subkey1": True, "subkey2": False}}]}
    assert m.warnings == [
        "warning: $.array-of-maps.0: new object's key 'name' cannot have a value which is a "
        "hash or sequence - cannot merge by key",
        "warning: Falling back to inline merge strategy",
    ]
    assert m.errors() == []


def test_identifier_holding_a_list_in_the_original_warns_with_append() -> None:
    m = Merger(fallback_append=True)
    m.merge({"l": [{"name": ["x"]}]}, "a")  # warns once, for the new object
    m.warnings.clear()
    m.merge({"l": [{"name": "y"}]}, "b")
    assert m.tree["l"] == [{"name": ["x"]}, {"name": "y"}]
    assert m.warnings == [
        "warning: $.l.0: original object's key 'name' cannot have a value which is a hash or "
        "sequence - cannot merge by key",
        "warning: Falling back to append merge strategy",
    ]


def test_nil_entries_do_not_break_the_default_merge() -> None:
    doc = {
        "explicit_nil": [None, "stuff"],
        "nested_nil": [{"thing": "has stuff", "stuff": [None, "nested nil above"]}],
    }
    m = merge_all(doc)
    assert m.tree == doc
    assert m.errors() == [] and m.warnings == []


def test_nested_lists_in_matched_entries_merge_recursively() -> None:
    m = merge_all(
        {"jobs": [{"name": "web", "templates": [{"name": "a"}, {"name": "b", "x": 1}]}]},
        {"jobs": [{"name": "web", "templates": [{"name": "b", "x": 2}, {"name": "c"}]}]},
    )
    assert m.tree["jobs"][0]["templates"] == [
        {"name": "a"},
        {"name": "b", "x": 2},
        {"name": "c"},
    ]


def test_errors_inside_appended_entries_use_graft_numbering() -> None:
    m = merge_all(
        {"l": [{"name": "a"}]},
        {"l": [{"name": "b", "sub": ["(( merge ))", "oops"]}]},
    )
    # appended entries are numbered from 0 among the new ones, named ones by name
    assert error_lines(m) == [
        " - $.l.0.sub.0: new object is a string, not a map - cannot merge by key"
    ]


def test_named_entries_paths_use_the_name() -> None:
    m = merge_all(
        {"l": [{"name": "web", "sub": [{"name": "x"}]}]},
        {"l": [{"name": "web", "sub": ["(( merge ))", 5]}]},
    )
    assert error_lines(m) == [
        " - $.l.web.sub.0: new object is a int, not a map - cannot merge by key"
    ]


def test_identifier_values_of_different_types_do_not_match() -> None:
    m = merge_all(
        {"l": [{"name": 1, "v": "int"}]}, {"l": [{"name": "1", "v": "str"}, {"name": True}]}
    )
    assert m.tree["l"] == [{"name": 1, "v": "int"}, {"name": "1", "v": "str"}, {"name": True}]
