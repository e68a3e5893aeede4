from __future__ import annotations


def test_keys_are_sorted_and_merged_over_arguments(merge):
    out = merge(
        """
        a: {zeta: 1, alpha: 2}
        b: {mid: 3}
        k1: (( keys a ))
        k2: (( keys a b ))
        k3: (( keys (grab b) ))
        """
    )
    assert out["k1"] == ["alpha", "zeta"]
    assert out["k2"] == ["alpha", "mid", "zeta"]
    assert out["k3"] == ["mid"]


def test_keys_errors(merge_error):
    lines = merge_error(
        """
        s: text
        l: [1]
        e1: (( keys ))
        e2: (( keys "asdf" ))
        e3: (( keys s ))
        e4: (( keys l ))
        e5: (( keys nope ))
        """
    )
    assert lines == [
        " - $.e1: no arguments specified to (( keys ... ))",
        " - $.e2: keys operator only works on maps, argument 0 is string",  # graft's words
        " - $.e3: s is not a map",
        " - $.e4: l is not a map",
        " - $.e5: Unable to resolve `nope`: `$.nope` could not be found in the datastructure",
    ]


def test_keys_of_several_maps_are_listed_once_and_null_has_none(merge):
    out = merge("m: {b: 1, a: 2}\nz: ~\nk: (( keys m m z nil ))\n")
    assert out["k"] == ["a", "b"]
