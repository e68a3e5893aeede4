from __future__ import annotations


def test_prune_removes_the_key(merge):
    out = merge("a: 1\nb: (( prune ))\nc: {d: (( prune )), e: 2}\n")
    assert out == {"a": 1, "c": {"e": 2}}


def test_prune_in_a_list(merge):
    out = merge("meta:\n  list: [one, two, three]\n", "meta:\n  list: [one, (( prune ))]\n")
    assert out == {"meta": {"list": ["one", "three"]}}


def test_prune_overlay_keeps_data_for_grabs(merge):
    out = merge("test1: (( grab test2.test ))\ntest2: {test: t2}\n", "test2: (( prune ))\n")
    assert out == {"test1": "t2"}
