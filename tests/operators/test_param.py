from __future__ import annotations


def test_param_fails_with_its_message(merge_error):
    assert merge_error('a: (( param "first" ))\nb: (( param "second" ))\n') == [
        " - $.a: first",
        " - $.b: second",
    ]


def test_param_errors_are_reported_alone(merge_error):
    lines = merge_error('a: (( param "missing!" ))\nb: (( grab nope ))\n')
    assert lines == [" - $.a: missing!"]


def test_param_message_from_an_expression(merge_error):
    lines = merge_error("m: {p: missing_, name: value}\nr: (( param (concat m.p m.name) ))\n")
    assert lines == [" - $.r: missing_value"]


def test_param_overridden_by_a_later_file(merge):
    out = merge('a: (( param "set a" ))\n', "a: given\n")
    assert out == {"a": "given"}


def test_param_takes_one_argument_in_graft_s_words(merge_error):
    # differential finding F53: graft says "only expects", for none and for two
    lines = merge_error('a: (( param ))\nb: (( param "x" "y" ))\nc: (( grab nope ))\n')
    assert lines == [
        " - $.a: param operator only expects one argument",
        " - $.b: param operator only expects one argument",
    ]
