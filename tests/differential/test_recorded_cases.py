"""Every recorded case (``cases/*.json``): graftpy prints exactly what graft printed.

The cases are shrunk differences the fuzzer found, each with the output of the
reference graft recorded beside it (``tests.differential.cases``); no graft is
needed to run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import CASES, load
from .oracle import run_graftpy

PATHS = sorted(CASES.glob("*.json"))


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_graftpy_prints_what_graft_printed(path: Path) -> None:
    example, expected, data = load(path)
    got = run_graftpy(example)
    assert (got.rc, got.text("stdout"), got.text("stderr")) == (
        expected.rc,
        expected.text("stdout"),
        expected.text("stderr"),
    ), f"{data['finding']}: {data['title']}\n{example.script('graftpy')}"
