from __future__ import annotations


def test_concat_joins_strings_and_references(merge):
    out = merge(
        """
        meta: {name: app, version: 1.2.3}
        id: (( concat meta.name "-" meta.version ))
        """
    )
    assert out["id"] == "app-1.2.3"


def test_concat_formats_numbers_like_go(merge):
    out = merge(
        """
        num: 5
        f: 0.5
        big: 1e21
        b: true
        nothing: ~
        s: (( concat num num "|" f "|" big "|" b "|" nothing "|" ))
        """
    )
    assert out["s"] == "55|0.5|1e+21|true|<nil>|"


def test_concat_of_null_gives_go_nil_text(merge):
    out = merge('n: ~\na: (( concat n "x" ))\nb: (( concat "x" ~ nil ))\n')
    assert out["a"] == "<nil>x"
    assert out["b"] == "x<nil><nil>"


def test_single_quoted_literals_are_strings(merge):
    out = merge(
        """
        meta: {name: app, list: [x, y]}
        a: (( concat 'a' "b" ))
        b: (( concat 'it''s' ' ' 'a b' '' ))
        c: (( join '-' meta.list ))
        d: (( grab nope || 'default' ))
        e: (( concat('(' , ')') ))
        """
    )
    assert out["a"] == "ab"
    assert out["b"] == "it''s a b"  # inner quotes stay as written, as in graft
    assert out["c"] == "x-y"
    assert out["d"] == "default"
    assert out["e"] == "()"


def test_unknown_escapes_keep_their_backslash(merge):
    out = merge(
        r"""
        meta: {name: app}
        re: (( concat meta.name "/build/(.*)\.tar.gz" ))
        known: (( concat "a\tb" '\n' "\\" "\'" ))
        """
    )
    assert out["re"] == r"app/build/(.*)\.tar.gz"
    assert out["known"] == "a\tb\n\\'"


def test_an_escaped_double_quote_stays_inside_the_string(merge):
    # DIVERGENCES row 15: graft ends the argument at \" and fails
    out = merge(r"""json: '(( concat "{\"name\": \"" "app" "\"}" ))'""" + "\n")
    assert out["json"] == '{"name": "app"}'


def test_concat_needs_two_arguments(merge_error):
    assert merge_error('x: (( concat "thing" ))\n') == [
        " - $.x: concat operator requires at least two arguments"
    ]


def test_concat_joins_list_entries_and_prints_maps(merge):
    out = merge(
        """
        l: [a, 1, ~]
        n: [[1, 2], {k: v}]
        m: {k: v, j: [1]}
        x: (( concat "a" l ))
        y: (( concat n "|" ))
        z: (( concat "a" m ))
        """
    )
    assert out["x"] == "aa1<nil>"
    assert out["y"] == "[1 2]map[k:v]|"
    assert out["z"] == "amap[j:[1] k:v]"


def test_concat_missing_reference(merge_error):
    assert merge_error('x: (( concat local.sites.42.uuid "x" ))\nlocal: {sites: []}\n') == [
        " - $.x: Unable to resolve `local.sites.42.uuid`: "
        "`$.local.sites.42` could not be found in the datastructure"
    ]


def test_concat_of_binary_parts_stays_binary(merge):
    out = merge(
        """
        bin: (( base64-decode "/w==" ))
        txt: (( base64-decode "aGk=" ))
        a: (( concat txt "!" ))
        b: (( concat "x" bin ))
        """
    )
    assert out["a"] == "hi!"
    assert out["b"] == b"x\xff"
