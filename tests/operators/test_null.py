from __future__ import annotations


def test_null_checks_for_null(merge):
    out = merge(
        """
        data: {existing: value, nothing: ~}
        c1: (( null data.nothing ))
        c2: (( null data.existing ))
        """
    )
    assert out["c1"] is True
    assert out["c2"] is False


def test_null_takes_at_most_one_argument(merge_error):
    assert merge_error("a: 1\nx: (( null a a ))\n") == [
        " - $.x: null operator takes at most one argument"
    ]
