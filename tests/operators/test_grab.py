from __future__ import annotations


def test_grab_copies_scalars_lists_and_maps(merge):
    out = merge(
        """
        meta: {name: app, tags: [a, b], labels: {x: 1}}
        name: (( grab meta.name ))
        tags: (( grab meta.tags ))
        labels: (( grab meta.labels ))
        first: (( grab meta.tags[0] ))
        """
    )
    assert out["name"] == "app"
    assert out["tags"] == ["a", "b"]
    assert out["labels"] == {"x": 1}
    assert out["first"] == "a"


def test_grab_of_several_arguments_flattens_lists(merge):
    out = merge(
        """
        a: [1, 2]
        b: [3]
        c: four
        all: (( grab a b c "five" ))
        """
    )
    assert out["all"] == [1, 2, 3, "four", "five"]


def test_grab_of_a_literal_returns_it(merge):
    assert merge('t: (( grab "30s" ))')["t"] == "30s"


def test_grab_follows_chained_grabs(merge):
    out = merge(
        """
        a: (( grab b ))
        b: (( grab c ))
        c: deep
        """
    )
    assert out["a"] == "deep"


def test_grab_of_a_nested_call_string_grabs_that_path(merge):
    out = merge(
        """
        configs: {database: {host: db}}
        selected: (( grab (concat "configs." $KEY) ))
        """,
        env={"KEY": "database"},
    )
    assert out["selected"] == {"host": "db"}


def test_grab_missing_reference_error(merge_error):
    lines = merge_error("bad: (( grab my.value ))\n")
    assert lines == [
        " - $.bad: Unable to resolve `my.value`: `$.my` could not be found in the datastructure"
    ]


def test_grab_without_arguments_is_an_error(merge_error):
    assert merge_error("x: (( grab ))\n") == [" - $.x: no arguments specified to (( grab ... ))"]


def test_grab_fallback_to_literal(merge):
    assert merge('x: (( grab nope || "dflt" ))')["x"] == "dflt"
