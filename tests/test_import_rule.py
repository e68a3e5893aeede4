"""The import rule: a plain merge imports no graph library, no secret-store client, and
only the operator modules its document uses (``graftpy.evaluator.graph`` says why).

Each probe runs ``graftpy merge`` as the console script does, in a process of its own,
then lists what it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from servers.fixtures import openbao  # noqa: E402,F401,F811

HEAVY = ("networkx", "hvac", "boto3", "botocore", "requests", "pydot", "graftpy.evaluator.graph")

PROBE = """
import json, sys
from graftpy.cli import main
sys.argv = ["graftpy", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
mods = sorted(m for m in sys.modules if m.startswith("graftpy.operators.") or
              m.split(".")[0] in ("networkx", "hvac", "boto3", "botocore", "requests", "pydot")
              or m.startswith("graftpy.evaluator."))
import threading
print(json.dumps({"code": code, "modules": mods, "threads": threading.active_count()}),
      file=sys.stderr)
"""

DOC = """\
meta:
  name: web
  port: 8080
name: (( grab meta.name ))
url: (( concat "http://" meta.name ":" meta.port ))
both: (( join "," tags ))
tags: [a, b]
"""


def probe(
    tmp_path: Path,
    doc: str,
    *flags: str,
    env: dict[str, str] | None = None,
    command: tuple[str, ...] = ("merge",),
) -> dict:
    """Run ``command`` on ``doc`` (``flags`` go before it); exit code, output, modules."""
    source = tmp_path / "in.yml"
    source.write_text(doc)
    argv = [*flags, *command, str(source)]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    report["stdout"] = proc.stdout
    report["stderr"] = "\n".join(proc.stderr.strip().splitlines()[:-1])
    return report


def operator_modules(report: dict) -> set[str]:
    return {m.rsplit(".", 1)[1] for m in report["modules"] if m.startswith("graftpy.operators.")}


def heavy(report: dict) -> list[str]:
    return [m for m in report["modules"] if m.split(".")[0] in HEAVY or m in HEAVY]


def test_a_merge_with_operators_imports_no_graph_library_and_only_its_operators(tmp_path):
    report = probe(tmp_path, DOC)
    assert report["code"] == 0, report["stderr"]
    assert "url: http://web:8080" in report["stdout"]
    assert heavy(report) == []
    # the operators used, their base and helpers; no other operator module
    assert operator_modules(report) == {"argkinds", "base", "registry", "grab", "concat", "join"}


def test_default_settings_start_no_thread_and_load_no_scheduler_without_lookups(tmp_path):
    report = probe(tmp_path, DOC)
    assert report["code"] == 0 and report["threads"] == 1
    scheduler = [m for m in report["modules"] if m.startswith("graftpy.evaluator.scheduler.")]
    assert scheduler == ["graftpy.evaluator.scheduler.config"]  # the settings only
    assert "graftpy.evaluator.early_io" not in report["modules"]  # no I/O call: no read-ahead


def test_a_secret_call_that_is_redacted_imports_no_client(tmp_path):
    report = probe(tmp_path, 'pw: (( vault "secret/db:password" ))\n', env={"REDACT": "yes"})
    assert report["code"] == 0, report["stderr"]
    assert report["stdout"] == "pw: REDACTED\n\n"
    assert heavy(report) == []
    assert "vault" in operator_modules(report) and "awsparam" not in operator_modules(report)


def test_an_aws_call_that_is_redacted_imports_no_client(tmp_path):
    report = probe(tmp_path, 'k: (( awsparam "/app/key" ))\n', env={"REDACT": "yes"})
    assert report["code"] == 0, report["stderr"]
    assert report["stdout"] == "k: REDACTED\n\n"
    assert heavy(report) == []
    assert operator_modules(report) == {"base", "registry", "awsparam"}


def test_graftpy_plan_analyses_the_graph_with_networkx(tmp_path):
    report = probe(tmp_path, DOC, command=("plan",))
    assert report["code"] == 0, report["stderr"]
    assert report["stdout"].startswith("eval phase: 3 operations")
    assert "networkx" in report["modules"] and "graftpy.evaluator.graph" in report["modules"]
    assert "hvac" not in report["modules"] and "boto3" not in report["modules"]
    assert "pydot" not in report["modules"]  # DOT only
    dot = probe(tmp_path, DOC, command=("plan", "--format", "dot"))
    assert dot["code"] == 0 and dot["stdout"].startswith('strict digraph "eval"')
    assert "pydot" in dot["modules"]


def test_metrics_describe_the_graph_with_networkx(tmp_path):
    metrics = tmp_path / "run.prom"
    report = probe(tmp_path, DOC, command=("merge", "--metrics-file", str(metrics)))
    assert report["code"] == 0, report["stderr"]
    assert "networkx" in report["modules"]
    assert "graftpy_last_evaluation_critical_path_operations 1.0" in metrics.read_text()


def test_a_vault_call_that_runs_imports_hvac_and_still_no_graph_library(tmp_path, openbao):  # noqa: F811
    openbao.put("secret/imports", {"password": "s3cret"})
    report = probe(
        tmp_path,
        'pw: (( vault "secret/imports:password" ))\n',
        env={"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token},
    )
    assert report["code"] == 0, report["stderr"]
    assert report["stdout"] == "pw: s3cret\n\n"
    assert "hvac" in report["modules"]
    assert "networkx" not in report["modules"] and "boto3" not in report["modules"]
    assert "graftpy.evaluator.early_io" in report["modules"]  # its read started after the scan


@pytest.mark.parametrize("flag", ["-D", "-T"])
def test_debug_shows_the_plan_and_imports_networkx(tmp_path, flag):
    report = probe(tmp_path, DOC, flag)
    assert report["code"] == 0
    assert "networkx" in report["modules"]
    assert "DEBUG> Plan of the eval phase: 3 operations" in report["stderr"]


def test_a_cycle_is_named_with_networkx_only_when_there_is_one(tmp_path):
    report = probe(tmp_path, "a: (( grab b ))\nb: (( grab c ))\nc: (( grab a ))\n", "-D")
    assert report["code"] == 2
    assert "DEBUG> cycle in the eval phase: $.a -> $.b -> $.c -> $.a" in report["stderr"]
    assert report["stderr"].endswith("Merge failed: cycle detected in operator data-flow graph")
    assert "networkx" in report["modules"]
