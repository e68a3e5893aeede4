from __future__ import annotations


def test_stringify_maps_lists_and_scalars(merge):
    out = merge(
        """
        config: {port: 8080, host: localhost, debug: true}
        items: [apple, banana]
        empty: {}
        s1: (( stringify config ))
        s2: (( stringify items ))
        s3: (( stringify empty ))
        s4: (( stringify "plain" ))
        s5: (( stringify 42 ))
        """
    )
    assert out["s1"] == "debug: true\nhost: localhost\nport: 8080\n"
    assert out["s2"] == "- apple\n- banana\n"
    assert out["s3"] == "{}\n"
    assert out["s4"] == "plain"
    assert out["s5"] == "42"


def test_stringify_of_a_scalar_is_its_go_text(merge):
    out = merge(
        """
        n: 5
        f: 1.5
        big: 123456789.0
        t: true
        a: (( stringify n ))
        b: (( stringify f ))
        c: (( stringify big ))
        d: (( stringify t ))
        """
    )
    assert (out["a"], out["b"], out["c"], out["d"]) == ("5", "1.5", "1.23456789e+08", "true")


def test_stringify_null_stays_null(merge):
    assert merge("none: ~\ns: (( stringify none ))\n")["s"] is None


def test_stringify_sees_evaluated_values(merge):
    out = merge("a: {b: (( grab c ))}\nc: 1\ns: (( stringify a ))\n")
    assert out["s"] == "b: 1\n"


def test_stringify_needs_one_argument(merge_error):
    assert merge_error("s: (( stringify ))\n") == [
        " - $.s: stringify operator requires exactly one argument"
    ]


def test_stringify_of_a_missing_reference(merge_error):
    assert merge_error("s: (( stringify nope ))\n") == [
        " - $.s: Unable to resolve `nope`: `$.nope` could not be found in the datastructure"
    ]
