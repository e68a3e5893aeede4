from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy.operators.base64_decode import CorruptInputError, go_b64decode


def test_base64_decode_text(merge):
    out = merge(
        """
        enc: SGVsbG8gV29ybGQ=
        a: (( base64-decode enc ))
        b: (( base64-decode "" ))
        c: (( base64-decode "U3BydWNl" ))
        """
    )
    assert out["a"] == "Hello World"
    assert out["b"] == ""
    assert out["c"] == "Spruce"


def test_base64_decode_of_binary_gives_bytes(merge):
    out = merge('x: (( base64-decode "iVBORw0KGgo=" ))\n')
    assert out["x"] == b"\x89PNG\r\n\x1a\n"


def test_base64_decode_errors(merge_error):
    lines = merge_error('a: (( base64-decode "Not valid base64!" ))\nb: (( base64-decode 1 ))\n')
    assert lines == [  # graft's words
        " - $.a: base64 decoding failed: illegal base64 data at input byte 3",
        " - $.b: tried to base64 decode 1, which is not a string",
    ]


@pytest.mark.parametrize(
    ("text", "offset"),
    [("QQ", 0), ("Q", 0), ("QQ=", 3), ("QQ==x", 4), ("Q===", 1), ("QUJD!", 4), ("QUJDR", 4)],
)
def test_go_decoder_error_offsets(text, offset):
    with pytest.raises(CorruptInputError) as info:
        go_b64decode(text)
    assert str(info.value) == f"illegal base64 data at input byte {offset}"


def test_go_decoder_ignores_newlines():
    assert go_b64decode("QUJD\r\nREVG\n") == b"ABCDEF"
    assert go_b64decode("QQ\n==") == b"A"


@given(st.binary(max_size=64))
def test_go_decoder_matches_python_on_valid_input(data):
    assert go_b64decode(base64.b64encode(data).decode()) == data
