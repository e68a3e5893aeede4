"""The example plugin of docs/plugins.md (examples/plugin), installed with pip as a user
installs it, then used by ``graftpy merge`` in processes of their own.

pip installs into a folder of the test (``--target``) from a copy of the package
(pip builds in the source folder), without downloading anything
(``--no-deps --no-build-isolation``); PYTHONPATH makes the folder part of the
environment, which is all entry points need.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugin"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("plugin")
    source = work / "graftpy-checksum"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    entry_points = next(target.glob("graftpy_checksum-*.dist-info")) / "entry_points.txt"
    assert "[graftpy.operators]" in entry_points.read_text()
    return target


def merge(site: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", *args],
        cwd=folder,
        env={**env, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def test_the_installed_plugin_merges_the_example_as_its_readme_says(site: Path) -> None:
    done = merge(site, EXAMPLE, "--prune", "meta", "manifest.yml")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (EXAMPLE / "expected.yml").read_text()
    ca, config = sha((EXAMPLE / "ca.pem").read_bytes()), sha("log_level: info\nworkers: 4\n")
    assert f"ca_sha256: {ca}\n" in done.stdout
    assert f"config_sha256: {config}\n" in done.stdout


@pytest.mark.parametrize("how", [[], ["--parallel", "--min-ops", "1"]])
def test_plugin_operators_mix_with_built_ins_in_either_mode(
    site: Path, tmp_path: Path, how: list[str]
) -> None:
    (tmp_path / "data.bin").write_bytes(b"\x00\x01binary")
    lines = ["name: web"]
    for i in range(20):  # enough operations for the parallel scheduler to spread them
        lines.append(f'h{i}: (( sha256 (concat name "-{i}") ))')
        lines.append(f'f{i}: (( file-sha256 "data.bin" ))')
    (tmp_path / "m.yml").write_text("\n".join(lines) + "\n")
    done = merge(site, tmp_path, *how, "m.yml")
    assert (done.returncode, done.stderr) == (0, "")
    data = sha(b"\x00\x01binary")
    for i in range(20):
        assert f"h{i}: {sha(f'web-{i}')}\n" in done.stdout
        assert f"f{i}: {data}\n" in done.stdout


def test_plugin_errors_are_reported_at_their_path(site: Path, tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text(
        'a: (( sha256 ))\nb: (( file-sha256 "no/such.pem" ))\nc: (( sha256 "fine" ))\n'
    )
    done = merge(site, tmp_path, "m.yml")
    assert done.returncode == 2
    assert done.stderr == (
        "2 error(s) detected:\n"
        " - $.a: sha256 operator requires exactly one argument\n"
        " - $.b: file-sha256: cannot read no/such.pem: No such file or directory\n\n\n"
    )


def test_the_plugin_declares_what_parallel_evaluation_needs(site: Path) -> None:
    probe = (
        "from graftpy.operators import registry\n"
        "for name in ('sha256', 'file-sha256'):\n"
        "    op = registry.get(name)\n"
        "    print(name, type(op).__module__, op.parallel_safe, op.io_bound)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == [
        "sha256 graftpy_checksum.sha256 True False",
        "file-sha256 graftpy_checksum.file_sha256 True True",
    ]


RAISING = """
from graftpy.operators.base import Operator, Response


class Divide(Operator):
    name = "divide"

    def run(self, call, ctx):
        return Response(ctx.evaluate(call.args[0]) / ctx.evaluate(call.args[1]))
"""


def test_a_plugin_that_raises_is_blamed_by_name_and_stops_nothing_else(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "divplug.py").write_text(RAISING)
    info = site / "divplug-0.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: divplug\nVersion: 0.2\n")
    (info / "entry_points.txt").write_text("[graftpy.operators]\ndivide = divplug:Divide\n")
    (tmp_path / "m.yml").write_text(
        "a: (( divide 1 0 ))\n"
        'b: (( concat "x" (divide 1 0) ))\n'  # inside another operator too
        "c: (( divide 6 3 ))\n"
        'd: (( concat "still " "fine" ))\n'
    )
    done = merge(site, tmp_path, "m.yml")
    assert done.returncode == 2
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    blame = (
        "(( divide )) operator plugin 'divplug:Divide' (package divplug 0.2) failed: "
        "ZeroDivisionError: division by zero"
    )
    nested = f"nested operator divide failed: $.b: {blame}"  # graft's words for a nested call
    assert done.stderr == f"2 error(s) detected:\n - $.a: {blame}\n - $.b: {nested}\n\n\n"
