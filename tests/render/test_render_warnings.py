"""Warnings of ``graftpy render``: each target's, under its name, in the targets' order.

A duplicate key (the loader's warning, with file, line and key) or a merge that
falls back to another strategy (the merger's) is what ``merge`` of the same files
prints on stderr; render prints it under the target's name once the run is done,
whether the target ran on a thread or in a worker process, and puts it in the
``--report`` JSON and the ``--plan`` document.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.render.test_render_cli import graftpy, write

DUPLICATE = "a: 1\nb: 2\na: 3\n"
FALLBACK = ("list:\n- name: [x]\n  v: 1\n", "list:\n- name: y\n  v: 2\n")
QUIET = "name: quiet\n"
NAMES = [f"t{i:02d}" for i in range(10)]  # enough targets for two worker processes


def fleet(tmp_path: Path) -> Path:
    """Ten targets: t01 has a duplicate key, t04 a merge fallback, t07 both and fails."""
    for name in NAMES:
        write(tmp_path / name / "base.yml", QUIET)
        write(tmp_path / name / "overlay.yml", "size: 1\n")
    write(tmp_path / "t01" / "base.yml", DUPLICATE)
    write(tmp_path / "t04" / "base.yml", FALLBACK[0])
    write(tmp_path / "t04" / "overlay.yml", FALLBACK[1])
    write(tmp_path / "t07" / "base.yml", DUPLICATE + FALLBACK[0])
    write(tmp_path / "t07" / "overlay.yml", FALLBACK[1] + "bad: (( grab nowhere ))\n")
    write(
        tmp_path / "graftpy.yml",
        "files: ['{target}/base.yml', '{target}/overlay.yml']\noutput: 'out/{target}.yml'\n"
        "targets:\n" + "".join(f"  {name}: {{}}\n" for name in NAMES),
    )
    return tmp_path


def merge_stderr(cwd: Path, name: str) -> str:
    files = [f"{name}/base.yml", f"{name}/overlay.yml"]
    return graftpy("merge", "--config", os.devnull, *files, cwd=cwd).stderr


def before_the_table(stderr: str) -> str:
    return stderr[: stderr.index("target  ")]


@pytest.mark.parametrize("processes", ["1", "2"])
def test_warnings_come_under_the_target_in_target_order(tmp_path: Path, processes: str) -> None:
    cwd = fleet(tmp_path)
    done = graftpy("render", "--processes", processes, "--jobs", "4", "--report", "r.json", cwd=cwd)
    assert done.returncode == 2
    t01, t04, t07 = (merge_stderr(cwd, name) for name in ("t01", "t04", "t07"))
    assert 'warning: t01/base.yml: line 3, column 1: duplicate map key "a"' in t01
    assert "warning: Falling back to inline merge strategy" in t04
    warned_07, _, error_07 = t07.partition("1 error(s)")
    assert before_the_table(done.stderr) == (
        f"target t01 warned:\n{t01}"
        f"target t04 warned:\n{t04}"
        f"target t07 warned:\n{warned_07}"
        f"target t07 failed:\n1 error(s){error_07}"
    )
    assert "warning" not in done.stderr.partition("target  ")[2]  # none after the table
    report = json.loads((cwd / "r.json").read_text())
    warnings = {t["name"]: t["warnings"] for t in report["targets"]}
    assert warnings["t01"] == t01.splitlines()
    assert warnings["t04"] == t04.splitlines()
    assert warnings["t07"] == warned_07.splitlines()
    assert all(warnings[name] == [] for name in NAMES if name not in ("t01", "t04", "t07"))


def test_threads_and_worker_processes_print_the_same(tmp_path: Path) -> None:
    cwd = fleet(tmp_path)
    runs = [
        graftpy("render", "--processes", processes, "--jobs", "3", cwd=cwd)
        for processes in ("1", "2", "1")
    ]
    texts = {before_the_table(run.stderr) for run in runs}
    assert len(texts) == 1 and "target t07 warned:" in texts.pop()


def test_plan_shows_each_targets_warnings(tmp_path: Path) -> None:
    cwd = fleet(tmp_path)
    done = graftpy("render", "--plan", "--only", "t01,t02", cwd=cwd)
    assert done.returncode == 0, done.stderr
    t01 = merge_stderr(cwd, "t01")
    assert done.stderr == f"target t01 warned:\n{t01}"
    plan = YAML(typ="safe").load(done.stdout)
    assert plan["targets"]["t01"]["warnings"] == t01.splitlines()
    assert "warnings" not in plan["targets"]["t02"]
