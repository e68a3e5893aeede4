from __future__ import annotations


def test_defer_prints_the_expression_back(merge):
    out = merge(
        """
        a: (( defer thing ))
        b: (( defer "thing" ))
        c: (( defer nil ))
        d: (( defer 123 ))
        e: (( defer 1.23 ))
        f: (( defer $TESTVAR ))
        g: (( defer grab this || "that" ))
        h: (( defer concat (grab app.name) "-" (grab app.version) ))
        """
    )
    assert out == {
        "a": "(( thing ))",
        "b": '(( "thing" ))',
        "c": "(( nil ))",
        "d": "(( 123 ))",
        "e": "(( 1.23 ))",
        "f": "(( $TESTVAR ))",
        "g": '(( grab this || "that" ))',
        "h": '(( concat grab app.name "-" grab app.version ))',
    }


def test_defer_creates_no_dependencies(merge):
    out = merge("foo: (( defer thing ))\nthing: (( grab foo ))\n")
    assert out == {"foo": "(( thing ))", "thing": "(( thing ))"}


def test_defer_without_arguments(merge_error):
    assert merge_error("foo: (( defer ))\n") == [
        " - $.foo: Defer has no arguments - what are you deferring?"
    ]
