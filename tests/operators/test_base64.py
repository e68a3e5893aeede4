from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from graftpy.operators.base64_decode import go_b64decode


def test_base64_encodes_utf8(merge):
    out = merge(
        """
        a: (( base64 "Hello, World!" ))
        b: (( base64 "" ))
        c: (( base64 (concat "user" ":" "pass123") ))
        d: (( base64 "héllo" ))
        """
    )
    assert out == {
        "a": "SGVsbG8sIFdvcmxkIQ==",
        "b": "",
        "c": "dXNlcjpwYXNzMTIz",
        "d": base64.b64encode("héllo".encode()).decode(),
    }


def test_base64_rejects_non_strings(merge_error):
    lines = merge_error(
        "num: 42\nl: [a]\nx: (( base64 num ))\nw: (( base64 l ))\nz: (( base64 ))\n"
    )
    assert lines == [  # graft's words
        " - $.w: base64 operator requires a string value, got []interface {}",
        " - $.x: base64 operator requires a string value, got int",
        " - $.z: base64 operator requires exactly one string or reference argument, "
        "got 0 arguments",
    ]


def test_the_side_of_an_or_that_gave_the_value_names_its_type(merge_error):
    lines = merge_error(
        "num: 42\na: (( base64 num || 3 ))\nb: (( base64 nothere || 3 ))\n"
        "c: (( base64 nothere || num ))\n"
    )
    assert lines == [  # graft's words: int from the document, int64 from the expression
        " - $.a: base64 operator requires a string value, got int",
        " - $.b: base64 operator requires a string value, got int64",
        " - $.c: base64 operator requires a string value, got int",
    ]


@given(st.text())
def test_base64_round_trips_through_go_decoder(text):
    encoded = base64.b64encode(text.encode()).decode()
    assert go_b64decode(encoded).decode() == text
