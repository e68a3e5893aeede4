from __future__ import annotations


def test_join_lists_scalars_and_maps(merge):
    out = merge(
        """
        list: [a, 1, 2.5, true]
        one: x
        map: {b: 2, a: 1}
        j1: (( join ", " list ))
        j2: (( join "-" list one "lit" ))
        j3: (( join ";" map ))
        j4: (( join "" list ))
        """
    )
    assert out["j1"] == "a, 1, 2.5, true"
    assert out["j2"] == "a-1-2.5-true-x-lit"
    assert out["j3"] == "a:1;b:2"
    assert out["j4"] == "a12.5true"


def test_join_skips_null_arguments(merge):
    out = merge('none: ~\nl: [a, b]\nj: (( join "," l none ))\n')
    assert out["j"] == "a,b"


def test_join_waits_for_operators_in_the_list(merge):
    out = merge(
        """
        greeting: hello
        z:
        - (( grab greeting ))
        - world
        output: (( join " " z ))
        """
    )
    assert out["output"] == "hello world"


def test_join_errors(merge_error):
    lines = merge_error(
        """
        l: [[a], b]
        m: [{a: 1}]
        sep: ","
        e1: (( join ))
        e2: (( join "," ))
        e3: (( join sep l ))
        e4: (( join "," l ))
        e5: (( join "," m ))
        e6: (( join "," missing ))
        """
    )
    assert lines == [
        " - $.e1: no arguments specified to (( join ... ))",
        " - $.e2: too few arguments supplied to (( join ... ))",
        " - $.e3: join operator only accepts literal argument for the separator",
        " - $.e4: entry #0 in list is not compatible for (( join ... ))",
        " - $.e5: entry #0 in list is not compatible for (( join ... ))",
        " - $.e6: Unable to resolve `missing`: Unable to resolve `missing`: `$.missing` could not be found in the datastructure",  # graft wraps twice
    ]
