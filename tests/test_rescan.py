"""graftpy.evaluator.rescan: after the merge phase, walking only the maps it changed
finds exactly what a walk of the whole document finds, in order and numbered alike."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graftpy
from graftpy.evaluator import Evaluator
from graftpy.evaluator.rescan import rescan
from graftpy.evaluator.scan import ScanResult, scan
from graftpy.operators.base import Phase
from graftpy.pipeline import MergeOptions, environment, evaluation_settings

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_manifest.py"


def calls(found: ScanResult) -> list[tuple]:
    return [
        (phase, op.where, op.index_path, op.src, op.seq)
        for phase in Phase
        for op in found.calls[phase]
    ]


def both_ways(tree: dict) -> tuple[list[tuple], list[tuple]]:
    """The calls after the merge phase: found by ``rescan``, and by a full ``scan``."""
    options = MergeOptions()
    evaluator = Evaluator(tree, evaluation_settings(options, environment(options)))
    before = scan(evaluator.document.root)
    assert not evaluator.run_phase(Phase.MERGE, before[Phase.MERGE])
    full = calls(scan(evaluator.document.root))
    return calls(rescan(evaluator.document.root, before)), full


WORD = st.sampled_from(["a", "b", "c", "name", "x"])
EXPR = st.sampled_from(
    ["(( grab meta.v ))", '(( concat "a" meta.v ))', "(( param \"p\" ))", "plain", 3]
)


def section(depth: int) -> st.SearchStrategy:
    leaf = EXPR
    if depth == 0:
        return leaf
    inner = section(depth - 1)
    entry = st.fixed_dictionaries(
        {"name": st.sampled_from(["j1", "j2", "(( grab meta.v ))"])},
        optional={"v": inner, "inject": st.sampled_from(["(( inject meta.t1 ))"])},
    )
    return st.one_of(
        leaf,
        st.dictionaries(WORD, inner, max_size=3).map(
            lambda m: m  # a map: may get an inject below
        ),
        st.lists(st.one_of(entry, inner), max_size=3),
        st.fixed_dictionaries({"inject": st.just("(( inject meta.t2 ))")}, optional={"a": inner}),
    )


DOCUMENT = st.dictionaries(st.sampled_from(["p", "q", "r", "s"]), section(3), max_size=4).map(
    lambda body: {
        "meta": {
            "v": "value",
            "t1": {"a": "(( grab meta.v ))", "name": "injected"},
            "t2": {"b": ["(( concat meta.v \"-\" ))", {"name": "k", "c": "(( grab meta.v ))"}]},
        },
        **body,
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_rescan_finds_what_a_full_scan_finds(tree: dict) -> None:
    spliced, full = both_ways(copy.deepcopy(tree))
    assert spliced == full


def test_an_inject_that_names_a_list_entry_renames_the_paths_below_it() -> None:
    tree: dict[str, Any] = {
        "meta": {"t": {"name": "web"}},
        "jobs": [{"inject": "(( inject meta.t ))", "x": "(( grab meta.t.name ))"}],
        "z": "(( grab jobs.web.x ))",
    }
    spliced, full = both_ways(tree)
    assert spliced == full
    assert ("jobs", "web", "x") in [c[1] for c in spliced]  # named by what inject added


def test_an_inject_at_the_top_of_the_document_is_scanned_whole() -> None:
    tree = {"meta": {"t": {"a": "(( grab meta.v ))"}, "v": 1}, "i": "(( inject meta.t ))"}
    spliced, full = both_ways(tree)
    assert spliced == full and len(spliced) == 2


@pytest.mark.skipif(not GEN.exists(), reason="needs ../shared/bench")
def test_a_generated_manifest_with_hundreds_of_injects(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GEN), "--ops", "3000", "--shape", "mixed", "--out", str(tmp_path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tree = graftpy.merge(tmp_path / "base.yml", tmp_path / "overlay.yml", skip_eval=True)
    spliced, full = both_ways(tree)
    assert sum(1 for c in full if c[3].startswith("(( inject")) == 0
    assert spliced == full and len(full) > 2500
