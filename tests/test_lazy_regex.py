"""LazyPattern: a regular expression compiled the first time it is used."""

from __future__ import annotations

import re

from graftpy.lazy_regex import LazyPattern


def test_compiles_on_first_use_only() -> None:
    pattern = LazyPattern(r"[0-9]+", re.ASCII)
    assert "match" not in vars(pattern)  # nothing compiled yet
    assert pattern.match("42x").group() == "42"
    compiled = re.compile(r"[0-9]+", re.ASCII)
    # from now on the methods are the compiled pattern's own (re caches by pattern)
    assert vars(pattern)["match"] == compiled.match
    assert pattern.findall("1 22 333") == ["1", "22", "333"]
    assert pattern.sub("#", "a1b22") == "a#b#"
    assert pattern.groups == 0  # other attributes are the compiled pattern's too


def test_flags_are_kept() -> None:
    dotall = LazyPattern(r"a.b", re.DOTALL)
    assert dotall.fullmatch("a\nb") is not None
    assert LazyPattern(r"a.b").fullmatch("a\nb") is None
