from __future__ import annotations


def test_inject_merges_into_the_parent(merge):
    out = merge(
        """
        templates: {www: {HA: enabled, DR: disabled}}
        host:
          web1:
            type: www
            <<<: (( inject templates.www ))
        """
    )
    assert out["host"]["web1"] == {"type": "www", "HA": "enabled", "DR": "disabled"}


def test_inject_call_site_keys_win(merge):
    out = merge(
        """
        meta: {template: {foo: FOO, bar: BAR, props: {a: 1, b: 2}}}
        example:
          <<<: (( inject meta.template ))
          foo: mine
          props: {b: 3}
        """
    )
    assert out["example"] == {"foo": "mine", "bar": "BAR", "props": {"a": 1, "b": 3}}


def test_nested_injects(merge):
    out = merge(
        """
        meta:
          t1: {foo: bar, baz: (( grab meta.t1.foo ))}
          t2:
            <<<: (( inject meta.t1 ))
            xyzzy: nothing
        thing:
          <<<: (( inject meta.t2 ))
        """
    )
    assert out["thing"] == {"foo": "bar", "baz": "bar", "xyzzy": "nothing"}


def test_inject_of_several_maps(merge):
    out = merge("a: {x: 1, w: 1}\nb: {w: 2}\nc:\n  .: (( inject a b ))\n")
    assert out["c"] == {"x": 1, "w": 2}


def test_inject_errors(merge_error):
    lines = merge_error(
        """
        mocks: {list: [a], string: asdf}
        inject:
          arglen: (( inject ))
          badarg: (( inject "asdf" ))
          badlist: (( inject mocks.list ))
          badscalar: (( inject mocks.string ))
          badref: (( inject mocks.none ))
        """
    )
    assert lines == [
        " - $.inject.arglen: no arguments specified to (( inject ... ))",
        " - $.inject.badarg: inject operator argument must resolve to a map",
        " - $.inject.badlist: mocks.list is not a map",
        " - $.inject.badref: `$.mocks.none` could not be found in the datastructure",
        " - $.inject.badscalar: mocks.string is not a map",
    ]


def test_injects_of_each_other_are_a_cycle(merge_error):
    lines = merge_error(
        """
        meta:
          bar:
            <<<: (( inject meta.foo ))
          foo:
            <<<: (( inject meta.bar ))
        """
    )
    assert any("cycle detected in operator data-flow graph" in line for line in lines)


def test_calls_under_lists_operator_strings():
    from graftpy.operators.argkinds import calls_under

    tree = {"a": {"b": "(( grab x ))", "c": ["plain", {"d": "(( prune ))"}], "e": 1}}
    assert calls_under(tree, ("a",)) == [("a", "b"), ("a", "c", "1", "d")]
    assert calls_under(tree, ("missing",)) == []
