"""Reads the dependency graph must see even though the path does not resolve yet.

A list entry whose ``name`` is itself an operator call cannot be found by name
while the graph is built. A reader of ``list.<that name>.v`` therefore depends
on every call that writes a name/key/id field of that list's entries;
otherwise the parallel run would race the call producing the name.
"""

from __future__ import annotations

import sys

from harness import Spec, parallel, run


def test_reader_of_an_entry_named_by_a_call_waits_for_that_call() -> None:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        tree = {"list": [{"name": None, "v": 1}], "out": None}
        specs = [
            Spec(("list", "0", "name"), "cat", (), "web"),  # writes the name "web()"
            Spec(("out",), "yielding", (("list", "web()", "v"),), "O"),
        ]
        expected = run(tree, specs)
        assert expected.errors == []  # sequentially the name is there in time
        for _ in range(50):
            got = run(tree, specs, parallel("aggressive", workers=2))
            assert (got.rendered, got.errors) == (expected.rendered, expected.errors)
    finally:
        sys.setswitchinterval(interval)
