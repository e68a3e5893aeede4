"""``(( load URL ))`` calls with a literal URL are fetched from right after the scan
(``graftpy.evaluator.early_io``): the server counts the requests in flight together,
and the output and errors are those of the sequential run."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

from delay_server import DelayServer

from graftpy.evaluator import EvaluationOptions, Evaluator, Settings

CALLS = 8


def evaluate(doc: dict, read_ahead: bool) -> tuple[dict, list[str]]:
    evaluator = Evaluator(doc, Settings(env={}), EvaluationOptions(read_ahead=read_ahead))
    errors = [e.render() for e in evaluator.run()]
    return evaluator.tree, errors


def test_fetches_are_in_flight_together_even_with_a_sequential_executor() -> None:
    with DelayServer(0.2) as server:
        doc = {
            "meta": {"where": server.url("computed")},
            "loads": {f"l{i}": f'(( load "{server.url(f"item/{i}")}" ))' for i in range(CALLS)},
            "twice": {f"t{i}": f'(( load "{server.url("same")}" ))' for i in range(2)},
            "computed": "(( load meta.where ))",  # fetched in its turn
            "reads": "(( grab loads.l3.value ))",
        }
        sequential = evaluate(copy.deepcopy(doc), read_ahead=False)
        assert server.counters()["peak"] == 1
        ahead = evaluate(doc, read_ahead=True)
        counters = server.counters()
    assert ahead == sequential
    tree, errors = ahead
    assert errors == [] and tree["reads"] == "item/3" and tree["twice"]["t1"] == {"value": "same"}
    assert counters["requests"] == 2 * (CALLS + 3)  # one fetch per call, as in graft
    assert counters["peak"] >= CALLS, counters


def test_a_failing_fetch_reports_as_in_the_sequential_run(tmp_path: Path) -> None:
    from servers.ports import free_port

    with DelayServer(0.05) as server:
        doc = tmp_path / "loads.yml"
        doc.write_text(
            f'ok: (( load "{server.url("fine")}" ))\n'
            f'refused: (( load "http://127.0.0.1:{free_port()}/x" ))\n'
            'bad: (( load "ftp://example.invalid/x" ))\n'
            f'reads: (( grab refused.value ))\n'
        )
        runs = [
            subprocess.run(
                [sys.executable, "-m", "graftpy", "merge", *flags, str(doc)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            for flags in ((), ("--no-parallel",))
        ]
    assert runs[0].returncode == runs[1].returncode == 2
    assert runs[0].stderr == runs[1].stderr
    assert "connection refused" in runs[0].stderr and "unsupported protocol" in runs[0].stderr
