"""graftpy against the reference graft on generated examples (needs the graft binary).

Skipped where graft is not unpacked. The full run is CI's step
(``python -m tests.differential``, in ``.ci/run``); here a short one runs when
``GRAFTPY_DIFFERENTIAL=1`` is set, failing on the first difference, shrunk.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, seed, settings

from .compare import DIFFERENCE, judge
from .example import Example
from .oracle import find_graft
from .report import describe
from .strategies.runs import Options, examples

GRAFT = find_graft()
pytestmark = [
    pytest.mark.skipif(GRAFT is None, reason="the reference graft binary is not unpacked"),
    pytest.mark.skipif(
        not os.environ.get("GRAFTPY_DIFFERENTIAL"),
        reason="set GRAFTPY_DIFFERENTIAL=1 to run (CI runs python -m tests.differential)",
    ),
]


@seed(int(os.environ.get("GRAFTPY_DIFFERENTIAL_SEED", "12")))
@settings(
    max_examples=int(os.environ.get("GRAFTPY_DIFFERENTIAL_EXAMPLES", "100")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(examples(Options()))
def test_graftpy_prints_what_graft_prints(example: Example) -> None:
    verdict = judge(example, GRAFT)
    assert verdict.status != DIFFERENCE, describe(verdict)
