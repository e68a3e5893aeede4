"""The array operators: append, prepend, insert, delete, merge, inline, replace."""

from __future__ import annotations

import pytest

from .helpers import error_lines, merge_all

JOBS = [{"name": "a", "v": 1}, {"name": "b", "v": 2}, {"name": "c", "v": 3}]


def result(base: list, overlay: list, **kw: object) -> list:
    m = merge_all({"l": base}, {"l": overlay}, **kw)
    assert m.errors() == [], error_lines(m)
    return m.tree["l"]


def errors(base: list, overlay: list) -> list[str]:
    return error_lines(merge_all({"l": base}, {"l": overlay}))


def test_append_and_prepend() -> None:
    assert result(["one", "two"], ["(( append ))", "three"]) == ["one", "two", "three"]
    assert result(["four", "five"], ["(( prepend ))", "three"]) == ["three", "four", "five"]


def test_operator_whitespace_rules() -> None:
    assert result([1], ["((append))", 2]) == [1, 2]
    assert result([1], ["((   append\t))", 2]) == [1, 2]
    # a leading space or trailing text makes it a plain string
    assert result([1], [" (( append ))", 2]) == [" (( append ))", 2]
    assert result([1], ["(( append )) ", 2]) == ["(( append )) ", 2]


def test_operators_anywhere_in_the_list_start_new_sections() -> None:
    got = result(
        ["route", "cell"],
        ["x", "(( append ))", "end", "(( prepend ))", "start"],
    )
    assert got == ["start", "x", "cell", "end"]


def test_first_file_operators_are_applied() -> None:
    m = merge_all({"jobs": [{"name": "route"}, "(( append ))", {"name": "cell"}]})
    assert m.tree == {"jobs": [{"name": "route"}, {"name": "cell"}]}


def test_operators_on_missing_or_null_originals() -> None:
    m = merge_all(
        {"n": None},
        {
            "n": ["(( prepend ))", "b"],
            "a": ["(( append ))", "b"],
            "i": ["(( inline ))", "b"],
            "r": ["(( replace ))", "b"],
        },
    )
    assert m.tree == {"n": ["b"], "a": ["b"], "i": ["b"], "r": ["b"]}


def test_replace_and_inline() -> None:
    assert result(["a", "b", "c"], ["(( replace ))", [1, 2, 3]]) == [[1, 2, 3]]
    assert result(
        [{"name": "first_elem", "val": "initial"}, "second_elem_is_scalar"],
        ["(( inline ))", {"val": "overwritten"}, "second", "third"],
    ) == [{"name": "first_elem", "val": "overwritten"}, "second", "third"]


def test_replace_takes_entries_unmerged() -> None:
    assert result([1], ["(( replace ))", ["(( append ))", "x"]]) == [["(( append ))", "x"]]


def test_insert_by_index() -> None:
    assert result(["first", "second", "third"], ["(( insert after 0 ))", "1.5"]) == [
        "first",
        "1.5",
        "second",
        "third",
    ]
    assert result([1, 2], ["(( insert before 0 ))", 0]) == [0, 1, 2]
    assert result([1, 2], ["(( insert after 1 ))", 3]) == [1, 2, 3]


def test_insert_by_name_and_by_key() -> None:
    got = result(JOBS, ['(( insert after "a" ))', {"name": "a2"}])
    assert [j["name"] for j in got] == ["a", "a2", "b", "c"]
    got = result(JOBS, ['(( insert before name "c" ))', {"name": "b2"}, {"name": "b3"}])
    assert [j["name"] for j in got] == ["a", "b", "b2", "b3", "c"]
    ids = [{"id": "x"}, {"id": "y"}]
    got = result(ids, ['(( insert after id "x" ))', {"id": "z"}])
    assert got == [{"id": "x"}, {"id": "z"}, {"id": "y"}]


def test_inserted_entries_are_not_merged_further() -> None:
    got = result(
        [{"name": "a"}], ['(( insert after "a" ))', {"name": "b", "l": ["(( append ))", 1]}]
    )
    assert got == [{"name": "a"}, {"name": "b", "l": ["(( append ))", 1]}]


def test_delete_by_index_name_and_value() -> None:
    assert result([80, 443, 8080, 9090], ["(( delete 2 ))"]) == [80, 443, 9090]
    assert [j["name"] for j in result(JOBS, ['(( delete "b" ))'])] == ["a", "c"]
    assert [j["name"] for j in result(JOBS, ["(( delete b ))"])] == ["a", "c"]
    assert [j["name"] for j in result(JOBS, ['(( delete name "c" ))'])] == ["a", "b"]
    assert [j["name"] for j in result(JOBS, ["(( delete name a ))"])] == ["b", "c"]
    assert result(["a", "b c", "d"], ['(( delete "b c" ))']) == ["a", "d"]
    assert result(["a", "b", "c"], ["(( delete b ))"]) == ["a", "c"]


def test_keyed_delete_on_a_scalar_list_is_dropped() -> None:
    assert result(["a", "b c"], ['(( delete b "c" ))']) == ["a", "b c"]
    assert result(["a", "b c"], ["(( delete b c ))"]) == ["a", "b c"]


def test_several_deletes_and_merge_on_key() -> None:
    base = [{"job_name": "zero"}, {"job_name": "one"}]
    got = result(
        base, ["(( merge on job_name ))", {"job_name": "two"}, '(( delete job_name "zero" ))']
    )
    assert got == [{"job_name": "one"}, {"job_name": "two"}]
    got = result(
        [{"name": "zero"}, {"name": "one"}],
        ["(( merge ))", {"name": "two"}, '(( delete name "zero" ))'],
    )
    assert got == [{"name": "one"}, {"name": "two"}]
    got = result([{"name": "zero"}, {"name": "one"}], [{"name": "two"}, '(( delete name "zero" ))'])
    assert got == [{"name": "one"}, {"name": "two"}]


def test_merge_on_key_merges_matching_entries() -> None:
    got = result(
        [{"id": "auth", "version": 1.0, "enabled": True}, {"id": "user"}],
        ["(( merge on id ))", {"id": "auth", "version": 2.0}, {"id": "cache"}],
    )
    assert got == [{"id": "auth", "version": 2.0, "enabled": True}, {"id": "user"}, {"id": "cache"}]


def test_delete_minus_one_is_out_of_bounds() -> None:
    assert errors([1, 2], ["(( delete -1 ))"]) == [
        " - $.l: unable to modify the list, because specified index 2 is out of bounds"
    ]


@pytest.mark.parametrize(
    ("base", "overlay", "line"),
    [
        (
            [1, 2],
            ["(( insert after 5 ))", 3],
            " - $.l: unable to modify the list, because specified index 6 is out of bounds",
        ),
        (
            [1, 2],
            ["(( delete 2 ))"],
            " - $.l: unable to modify the list, because specified index 2 is out of bounds",
        ),
        (
            JOBS,
            ['(( insert after "zz" ))', {"name": "x"}],
            " - $.l: unable to find specified modification point with 'name: zz'",
        ),
        (
            ["a", "b"],
            ['(( delete "zz" ))'],
            " - $.l: unable to find specified modification point with 'zz'",
        ),
        (
            ["a", "b"],
            ['(( delete "a" ))', "orphan"],
            """ - $.l: item in array directly after (( delete "a" )) must be one of the array """
            "operators 'append', 'prepend', 'delete', or 'insert'",
        ),
        (
            JOBS,
            ['(( delete name "a" ))', {"name": "orphan"}],
            """ - $.l: item in array directly after (( delete name "a" )) must be one of the """
            "array operators 'append', 'prepend', 'delete', or 'insert'",
        ),
        (
            JOBS,
            ['(( insert after "a" ))', {"name": "b"}],
            " - $.l: unable to insert, because new list entry 'name: b' is detected multiple times",
        ),
        (
            JOBS,
            ['(( insert after "a" ))', {"other": "b"}],
            " - $.l.0: new object does not contain the key 'name' - cannot merge by key",
        ),
        (
            ["x", {"name": "a"}],
            ['(( insert after "a" ))', {"name": "b"}],
            " - $.l.0: original object is a string, not a map - cannot merge by key",
        ),
        (
            [{"name": "a"}],
            ["(( merge ))", "string"],
            " - $.l.0: new object is a string, not a map - cannot merge by key",
        ),
        (
            [{"name": "a"}],
            ["(( merge ))", None],
            " - $.l.0: new object is nil - cannot merge by key",
        ),
        (
            [{"name": "a"}, [1]],
            ["(( merge ))", {"name": "b"}],
            " - $.l.1: original object is a slice, not a map - cannot merge by key",
        ),
        (
            [{"name": "a"}, 2.5],
            ["(( merge on name ))", {"name": "b"}],
            " - $.l.1: original object is a float64, not a map - cannot merge by key",
        ),
        (
            [],
            ["(( merge on mergekey ))", {"mergekey": {"subkey1": True}}],
            " - $.l.0: new object's key 'mergekey' cannot have a value which is a hash or "
            "sequence - cannot merge by key",
        ),
        (
            [{"name": "a"}],
            ["(( merge ))", {"key": "b"}, True],
            " - $.l.0: new object does not contain the key 'name' - cannot merge by key",
        ),
    ],
)
def test_operator_errors(base: list, overlay: list, line: str) -> None:
    assert errors(base, overlay) == [line]


def test_duplicate_check_misses_the_first_entry_like_graft() -> None:
    got = result(JOBS, ['(( insert after "c" ))', {"name": "a"}])
    assert [j["name"] for j in got] == ["a", "b", "c", "a"]


def test_errors_leave_a_null_and_keep_merging_other_keys() -> None:
    m = merge_all({"l": [1], "k": 1}, {"l": ["(( delete 5 ))"], "k": 2})
    assert m.tree == {"l": None, "k": 2}
    assert len(m.errors()) == 1


def test_errors_from_several_places_are_all_reported() -> None:
    m = merge_all({"a": [1], "b": [1]}, {"a": ["(( delete 3 ))"], "b": ["(( merge ))", 1]})
    assert error_lines(m) == [
        " - $.a: unable to modify the list, because specified index 3 is out of bounds",
        " - $.b.0: new object is a int, not a map - cannot merge by key",
    ]


def test_huge_insert_index_is_a_plain_entry() -> None:
    assert result([1], ["(( insert after 99999999999999999999 ))"]) == [
        "(( insert after 99999999999999999999 ))"
    ]


def test_merge_after_plain_entries_reports_instead_of_crashing() -> None:
    # graft panics here: the plain entries merged inline leave a string in the list
    assert errors([{"name": "a"}], ["x", "(( merge ))", {"name": "b"}]) == [
        " - $.l.0: original object is a string, not a map - cannot merge by key"
    ]
    assert result([{"name": "a"}], [{"name": "a", "v": 1}, "(( merge ))", {"name": "b"}]) == [
        {"name": "a", "v": 1},
        {"name": "b"},
    ]
