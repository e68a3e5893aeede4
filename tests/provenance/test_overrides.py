"""``--set`` is a last overlay: through maps it gives exactly what an overlay document
would, it reaches into lists by name or index, and its errors name what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graftpy
from graftpy.overrides import OverrideError, parse_set
from graftpy.pipeline import MergeOptions, Source, evaluate_tree, merge_sources

KEYS = st.sampled_from(["a", "b", "c", "meta", "x1"])
SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["s", "t u", ""]), st.booleans())
TREES = st.recursive(
    SCALARS, lambda inner: st.dictionaries(KEYS, inner, min_size=1, max_size=3), max_leaves=10
)


def merged(docs, sets=()):
    options = MergeOptions(env={}, sets=tuple(sets))
    sources = [Source(f"d{i}.yml", doc) for i, doc in enumerate(docs)]
    return evaluate_tree(merge_sources(sources, options), options)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(KEYS, TREES, min_size=1, max_size=3),
    st.lists(KEYS, min_size=1, max_size=3),
    TREES,
)
def test_set_through_maps_is_an_overlay_document(base, path, value):
    overlay: object = value
    for part in reversed(path):
        overlay = {part: overlay}
    text = f"{'.'.join(path)}={graftpy.dumps({'v': value})[3:]}"
    override = parse_set(text)
    assert override.path == tuple(path)
    assert merged([base], [override]) == merged([base, overlay])


def test_set_reaches_list_entries_by_name_and_index():
    doc = {"jobs": [{"name": "web", "n": 1}, {"name": "db", "n": 2}], "tags": ["a", "b"]}
    sets = [parse_set("jobs.db.n=5"), parse_set("tags.1=z"), parse_set("$.jobs.web.new=x")]
    assert merged([doc], sets) == {
        "jobs": [{"name": "web", "n": 1, "new": "x"}, {"name": "db", "n": 5}],
        "tags": ["a", "z"],
    }


def test_set_values_are_yaml_and_set_string_is_text():
    assert parse_set("a=3").value == 3
    assert parse_set("a=[1, x]").value == [1, "x"]
    assert parse_set("a=").value is None
    assert parse_set("a=true").value is True
    assert parse_set("a=(( grab b ))").value == "(( grab b ))"
    assert parse_set("a=3", as_string=True).value == "3"
    assert parse_set("a=b=c", as_string=True).value == "b=c"
    assert merged([{"b": 4}], [parse_set("a=(( grab b ))")]) == {"a": 4, "b": 4}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nopath", "--set wants PATH=VALUE, not 'nopath'"),
        ("=1", "--set =1: the path is empty"),
        ("a]b=1", "--set a]b=1: bad path: syntax error: unexpected ']' at position 1"),
        ("a={", "--set a={: the value is not YAML"),
    ],
)
def test_bad_set_flags(text, message):
    with pytest.raises(OverrideError) as caught:
        parse_set(text)
    assert caught.value.message.startswith(message)
    assert caught.value.exit_code == 1


def test_a_missing_list_entry_is_an_error():
    with pytest.raises(OverrideError) as caught:
        merged([{"jobs": [{"name": "web"}]}], [parse_set("jobs.api.n=1")])
    assert caught.value.message == "--set jobs.api.n=1: $.jobs has no entry 'api'"
