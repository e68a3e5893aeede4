from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st


def test_cartesian_product_of_lists_and_scalars(merge):
    out = merge(
        """
        meta: {hosts: [a, b], port: 8088, none: []}
        hosts: (( cartesian-product meta.hosts ":" meta.port ))
        empty: (( cartesian-product meta.hosts meta.none ))
        one: (( cartesian-product meta.hosts ))
        """
    )
    assert out["hosts"] == ["a:8088", "b:8088"]
    assert out["empty"] == []
    assert out["one"] == ["a", "b"]


def test_single_list_of_numbers_becomes_strings(merge):
    assert merge("l: [1, 2]\nx: (( cartesian-product l ))\n")["x"] == ["1", "2"]


def test_cartesian_product_errors(merge_error):
    lines = merge_error(
        """
        meta: {list: [a], nested: [[a]], maps: [{a: 1}], none: ~}
        a: (( cartesian-product meta meta.list ))
        b: (( cartesian-product meta.nested ))
        c: (( cartesian-product meta.maps ))
        d: (( cartesian-product ))
        e: (( cartesian-product meta.none ))
        """
    )
    assert lines == [
        " - $.a: cartesian-product operator only accepts arrays and string values",
        " - $.b: cartesian-product operator can only operate on lists of scalar values",
        " - $.c: cartesian-product operator can only operate on lists of scalar values",
        " - $.d: no arguments specified to (( cartesian-product ... ))",
        " - $.e: cartesian-product operator argument cannot be nil",
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abc"), max_size=3), min_size=2, max_size=3))
def test_product_order_matches_itertools(tmp_path_factory, lists):
    from graftpy.pipeline import MergeOptions, run_merge

    path = tmp_path_factory.mktemp("cp") / "in.yml"
    refs = " ".join(f"l.{i}" for i in range(len(lists)))
    path.write_text(f"l: {lists!r}\nx: (( cartesian-product {refs} ))\n")
    out = run_merge([str(path)], MergeOptions(env={}))
    assert out["x"] == ["".join(t) for t in itertools.product(*lists)]
