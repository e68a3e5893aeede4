"""(( prune )) and (( sort )) met during the merge become post-processing markers."""

from __future__ import annotations

from graftpy import postprocess

from .helpers import merge_all


def test_prune_in_overlay_keeps_data_and_marks_the_path() -> None:
    m = merge_all(
        {"meta": {"list": ["one", "two", "three"]}}, {"meta": {"list": ["one", "(( prune ))"]}}
    )
    assert m.tree == {"meta": {"list": ["one", "two", "three"]}}
    assert m.prune_paths == [("meta", "list", "1")]
    postprocess.prune(m.tree, m.prune_paths)
    assert m.tree == {"meta": {"list": ["one", "three"]}}


def test_prune_overwritten_later_is_still_marked() -> None:
    m = merge_all({"test2": "(( prune ))"}, {"test1": "x", "test2": {"test": "t2"}})
    assert m.tree == {"test2": {"test": "t2"}, "test1": "x"}
    assert m.prune_paths == [("test2",)]


def test_prune_over_existing_map() -> None:
    m = merge_all({"test1": "a", "test2": {"test": "t2"}}, {"test2": "(( prune ))"})
    assert m.tree["test2"] == {"test": "t2"}
    assert m.prune_paths == [("test2",)]


def test_prune_with_nothing_underneath_stays_for_the_evaluator() -> None:
    m = merge_all({"a": None}, {"a": "(( prune ))", "b": "(( prune ))"})
    assert m.tree == {"a": "(( prune ))", "b": "(( prune ))"}
    assert m.prune_paths == []


def test_prune_marker_paths_in_named_lists_use_names() -> None:
    m = merge_all(
        {"jobs": [{"name": "web", "secret": "s"}]},
        {"jobs": [{"name": "web", "secret": "(( prune ))"}]},
    )
    assert m.prune_paths == [("jobs", "web", "secret")]
    postprocess.prune(m.tree, m.prune_paths)
    assert m.tree == {"jobs": [{"name": "web"}]}


def test_prune_marker_is_recorded_once() -> None:
    m = merge_all({"a": 1}, {"a": "(( prune ))"}, {"a": "(( prune ))"})
    assert m.prune_paths == [("a",)]


def test_sort_over_a_list_keeps_it_and_marks_it() -> None:
    m = merge_all(
        {"names": [{"name": "b"}, {"name": "a"}], "keys": [{"key": 2}], "ints": [3, 1]},
        {"names": "(( sort ))", "keys": "(( sort by key ))", "ints": "((sort))"},
    )
    assert m.tree["names"] == [{"name": "b"}, {"name": "a"}]
    assert m.sort_paths == [(("names",), None), (("keys",), "key"), (("ints",), None)]
    postprocess.sort_lists(m.tree, m.sort_paths)
    assert m.tree["names"] == [{"name": "a"}, {"name": "b"}]
    assert m.tree["ints"] == [1, 3]


def test_sort_overwritten_by_a_list_is_marked() -> None:
    m = merge_all({"l": "(( sort by id ))"}, {"l": [{"id": 2}, {"id": 1}]})
    assert m.tree["l"] == [{"id": 2}, {"id": 1}]
    assert m.sort_paths == [(("l",), "id")]


def test_lone_sort_is_left_for_the_evaluator() -> None:
    m = merge_all({"sorted_empty": "(( sort ))"})
    assert m.tree == {"sorted_empty": "(( sort ))"}
    assert m.sort_paths == []


def test_sort_needs_the_whole_string() -> None:
    m = merge_all({"l": [2, 1]}, {"l": "(( sort )) please"})
    assert m.tree["l"] == "(( sort )) please"
    assert m.sort_paths == []


def test_later_sort_marker_for_a_path_wins() -> None:
    m = merge_all({"l": [{"a": 1, "b": 2}]}, {"l": "(( sort by a ))"}, {"l": "(( sort by b ))"})
    assert m.sort_paths == [(("l",), "b")]
