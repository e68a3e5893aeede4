"""prune, sort_lists and cherry_pick with graft's path rules and messages."""

from __future__ import annotations

import pytest

from graftpy.errors import GraftError
from graftpy.postprocess import CherryPickError, cherry_pick, prune, sort_list, sort_lists

FILE_A_B = {
    "meta": {"some": {"deep": {"structure": {"maplist": {"keyA": "valueA", "keyB": "valueB"}}}}},
    "releases": [{"name": "vb"}, {"name": "hahn"}],
    "jobs": [{"name": "vb"}, {"name": "hahn"}],
    "properties": {
        "vb": {"id": "74a0", "flags": "auth"},
        "hahn": {"id": "b503", "flags": "open"},
    },
}
NAMED = [
    {"name": n, "desc": d}
    for n, d in [("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5)]
]


# -- prune ------------------------------------------------------------------


def test_prune_top_level_and_nested_keys() -> None:
    tree = {"meta": {"a": 1}, "x": {"y": 1, "z": 2}}
    prune(tree, [("meta",), ("x", "y"), ("missing", "deep"), ("x", "y", "deeper")])
    assert tree == {"x": {"z": 2}}


def test_prune_list_entry_by_index() -> None:
    tree = {"meta": {"list": ["one", "two", "three"]}}
    prune(tree, [("meta", "list", "1")])
    assert tree == {"meta": {"list": ["one", "three"]}}


def test_prune_list_entries_are_removed_one_after_the_other() -> None:
    tree = {"l": ["a", "b", "c", "d"]}
    prune(tree, [("l", "1"), ("l", "1")])  # the same path twice is removed once
    assert tree == {"l": ["a", "c", "d"]}
    prune(tree, [("l", "0"), ("l", "1")])
    assert tree == {"l": ["c"]}


def test_prune_through_named_entries() -> None:
    tree = {"list": [{"name": "D", "release": "D", "version": "x"}], "jobs": [{"id": "j", "k": 1}]}
    prune(tree, [("list", "D", "version"), ("jobs", "j", "k")])
    assert tree == {"list": [{"name": "D", "release": "D"}], "jobs": [{"id": "j"}]}


def test_prune_ignores_what_graft_cannot_reach() -> None:
    tree = {"l": ["a", "b"], "m": [[1, 2]], "s": "scalar", "j": [{"name": "w", "l": [1, 2]}]}
    prune(
        tree,
        [("l", "b"), ("l", "9"), ("l", "-1"), ("m", "0", "1"), ("s", "x"), ("j", "w", "l", "0")],
    )
    # named final segments, out-of-range indexes, lists in lists and lists under named
    # entries are left alone, as graft does
    assert tree == {
        "l": ["a", "b"],
        "m": [[1, 2]],
        "s": "scalar",
        "j": [{"name": "w", "l": [1, 2]}],
    }


def test_prune_does_not_change_shared_subtrees() -> None:
    shared = {"secret": 1, "keep": 2}
    tree = {"meta": shared, "copy": shared, "l": [1, 2], "m": {"l": [1, 2]}}
    tree["alias"] = tree["m"]
    prune(tree, [("meta", "secret"), ("m", "l", "0")])
    assert tree["meta"] == {"keep": 2}
    assert tree["copy"] == {"secret": 1, "keep": 2}
    assert tree["m"] == {"l": [2]} and tree["alias"] == {"l": [1, 2]}


def test_prune_only_matches_string_keys() -> None:
    tree = {1: "int key", "1": "string key"}
    prune(tree, [("1",)])
    assert tree == {1: "int key"}


# -- sort -------------------------------------------------------------------


def test_sort_scalars_and_named_maps() -> None:
    tree = {
        "ints": [1, 9, 2, 8],
        "floats": [1.42, 9.42, 2.42],
        "strs": ["b", "B", "a", "_x", "1"],
        "names": [{"name": "item-b"}, {"name": "item-1"}],
        "keys": [{"key": "z"}, {"key": "a"}],
        "foobar": [{"foobar": "m"}, {"foobar": "g"}],
    }
    sort_lists(
        tree,
        [
            (("ints",), None),
            (("floats",), None),
            (("strs",), None),
            (("names",), None),
            (("keys",), None),
            (("foobar",), "foobar"),
        ],
    )
    assert tree["ints"] == [1, 2, 8, 9]
    assert tree["floats"] == [1.42, 2.42, 9.42]
    assert tree["strs"] == ["1", "B", "_x", "a", "b"]
    assert tree["names"] == [{"name": "item-1"}, {"name": "item-b"}]
    assert tree["keys"] == [{"key": "a"}, {"key": "z"}]
    assert tree["foobar"] == [{"foobar": "g"}, {"foobar": "m"}]


def test_sort_paths_through_named_entries_and_missing_paths() -> None:
    tree = {"jobs": [{"name": "w", "l": [3, 1]}]}
    sort_lists(tree, [(("jobs", "w", "l"), None), (("gone",), None)])
    assert tree == {"jobs": [{"name": "w", "l": [1, 3]}]}


@pytest.mark.parametrize(
    ("items", "key", "message"),
    [
        (
            [["B", "A"], ["A"]],
            "",
            "$.some.path is a list with list entries (not a list with maps, strings or numbers)",
        ),
        (
            [42, 42.0, "42"],
            "",
            "$.some.path is a list with different types (not a list with homogeneous entry types)",
        ),
        (
            ["A", "B", None],
            "",
            "$.some.path is a list with different types (not a list with homogeneous entry types)",
        ),
        (
            [{"foo": "one"}, {"key": "two"}],
            "foo",
            "$.some.path is a list with map entries, where some do not contain foo (not a list with map entries each containing foo)",
        ),
        (
            [{"name": "one"}, {"id": "two"}],
            "",
            "$.some.path is a list with map entries, where some do not contain name (not a list with map entries each containing name)",
        ),
    ],
)
def test_sort_list_errors(items: list, key: str, message: str) -> None:
    with pytest.raises(GraftError) as err:
        sort_list("some.path", items, key)
    assert str(err.value) == message


def test_sort_maps_without_identifier_keep_their_order() -> None:
    items = [{"x": 2}, {"x": 1}]
    sort_list("p", items)
    assert items == [{"x": 2}, {"x": 1}]


@pytest.mark.parametrize("value", [{"a": 1}, "s", "(( sort ))", None])
def test_a_sort_marker_over_anything_but_a_list_keeps_it(value: object) -> None:
    # graft sorts lists only and leaves other values as they are, without an error
    tree = {"x": value}
    sort_lists(tree, [(("x",), None)])
    assert tree == {"x": value}


# -- cherry-pick -------------------------------------------------------------


def test_cherry_pick_root_and_deep_paths() -> None:
    got = cherry_pick(FILE_A_B, [("properties",), ("meta", "some", "deep", "structure", "maplist")])
    assert got == {
        "properties": FILE_A_B["properties"],
        "meta": {
            "some": {"deep": {"structure": {"maplist": {"keyA": "valueA", "keyB": "valueB"}}}}
        },
    }


def test_cherry_pick_list_entries_by_name_key_or_id() -> None:
    assert cherry_pick(FILE_A_B, [("releases", "vb")]) == {"releases": [{"name": "vb"}]}
    keyed = {"list": [{"key": "one"}, {"key": "two"}]}
    assert cherry_pick(keyed, [("list", "two")]) == {"list": [{"key": "two"}]}
    ids = {"list": [{"id": "one"}, {"id": 2}]}
    assert cherry_pick(ids, [("list", "one")]) == {"list": [{"id": "one"}]}
    # a number is always an index, never a name
    assert cherry_pick(ids, [("list", "2")]) == {"list": {"2": ids["list"]}}


def test_cherry_pick_indexes_come_out_in_reverse_order() -> None:
    got = cherry_pick({"list": NAMED}, [("list", "1"), ("list", "4")])
    assert got == {"list": [NAMED[4], NAMED[1]]}
    got = cherry_pick({"list": NAMED}, [("list", "one"), ("list", "three"), ("list", "1")])
    assert got == {"list": [NAMED[2], NAMED[1], NAMED[0]]}


def test_cherry_pick_invalid_index_keeps_the_list_under_a_map() -> None:
    assert cherry_pick({"list": NAMED}, [("list", "10")]) == {"list": {"10": NAMED}}


def test_cherry_pick_exact_names_only() -> None:
    tree = {"map": {"subkey": "real", "other": "value"}, "subkey": "fake"}
    prune(tree, [("subkey",)])
    assert cherry_pick(tree, [("map",)]) == {"map": {"subkey": "real", "other": "value"}}


def test_cherry_pick_result_is_a_copy() -> None:
    tree = {"a": {"b": [1]}}
    got = cherry_pick(tree, [("a",)])
    got["a"]["b"].append(2)
    assert tree == {"a": {"b": [1]}}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("properties",), "key not found: properties (missing segment 'properties')"),
        (("releases", "vb"), "key not found: releases.vb (missing segment 'releases')"),
        (("jobs", "nope", "x"), "named array entry not found: jobs.nope.x (looking for 'nope')"),
        (("jobs", "5", "x"), "array index out of bounds: jobs.5.x (index 5, array length 2)"),
        (("s", "a", "b"), "cannot navigate path 's.a.b' at segment 1: 's' is not a map or array"),
    ],
)
def test_cherry_pick_errors(path: tuple[str, ...], message: str) -> None:
    tree = {"jobs": [{"name": "a"}, {"name": "b"}], "s": "scalar"}
    with pytest.raises(CherryPickError) as err:
        cherry_pick(tree, [path])
    assert err.value.render() == f"Merge failed: validation_error: {message}\n"
    assert err.value.exit_code == 2


def test_cherry_pick_of_a_pruned_path_fails() -> None:
    tree = {"properties": {"a": 1}, "other": 1}
    prune(tree, [("properties",)])
    with pytest.raises(CherryPickError, match="missing segment 'properties'"):
        cherry_pick(tree, [("properties",)])


def test_cherry_pick_stops_quietly_at_a_scalar_on_the_last_segment() -> None:
    assert cherry_pick({"s": "scalar"}, [("s", "x")]) == {"s": {"x": "scalar"}}


def test_cherry_pick_cannot_set_below_a_picked_scalar() -> None:
    with pytest.raises(CherryPickError, match="cannot set path 'a.b': segment 'a' is not a map"):
        cherry_pick({"a": "x"}, [("a",), ("a", "b")])
