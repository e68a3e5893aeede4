"""Every folder under examples/ runs as documented and prints its expected output.

``example.json`` describes a folder's runs. Fields (of the file, or of each entry of
``runs``):

``args``      arguments of ``graftpy`` (or ``command``: a command line, ``python`` being
              this interpreter), run in a fresh copy of the folder
``env``       extra environment variables; ``stdin`` text piped in (default: none)
``rc``        expected exit code (0)
``stderr``    expected stderr text ("")
``stderr_has``  instead: pieces of text stderr must hold (for stderr that shows times)
``expected``  file holding the expected stdout (``expected.yml``); null: no stdout
``files``     {file the run writes: file holding its expected content}
``produces``  {file the run writes: [lines it must contain]}

and, for the whole folder:

``server``       ``openbao``, ``moto`` or ``nats``: runs get the test server's
                 VAULT_*/AWS_*/NATS_URL variables
``seed``         a command run first (same environment) to store the example's secrets
``script``       a script that starts its own server and prints ``expected.yml``
``commands_in``  files (CI jobs, pre-commit hooks) whose ``graftpy ...`` command lines
                 must be runs of this example
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from servers.fixtures import moto, moto_session, nats, openbao  # noqa: E402,F401

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = sorted(p.parent for p in EXAMPLES.glob("*/example.json"))
VENV_BIN = str(Path(sys.executable).parent)
# variables of the developer's shell that would change an example's output
SCRUB = (
    "GRAFT_", "VAULT_", "AWS_", "NATS_", "REDACT", "DEFAULT_ARRAY_MERGE_KEY", "DEBUG", "TRACE"
)


def spec_of(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "example.json").read_text())


def runs_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("runs") or [spec]


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUB)}
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")  # bao, graftpy, python
    return env


def command(run: dict[str, Any]) -> list[str]:
    if "command" in run:
        cmd = list(run["command"])
        return [sys.executable, *cmd[1:]] if cmd[0] == "python" else cmd
    return [sys.executable, "-m", "graftpy", *run["args"]]


def server_env(spec: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, str]:
    kind = spec.get("server")
    if kind == "openbao":
        server = request.getfixturevalue("openbao")
        return {"VAULT_ADDR": server.addr, "VAULT_TOKEN": server.token}
    if kind == "moto":
        return request.getfixturevalue("moto").env()
    if kind == "nats":
        return {"NATS_URL": request.getfixturevalue("nats").url}
    assert kind is None, f"unknown server {kind!r}"
    return {}


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def not_ignored(folder: Path, names: set[str]) -> set[str]:
    """Which of ``names`` (files under ``folder``) git would list as untracked: a user
    who runs the example in a clone must not find files of it in ``git status``. Outside
    a git checkout (an unpacked archive), there is nothing to check."""
    if not names or shutil.which("git") is None or not (ROOT / ".git").exists():
        return set()
    rel = folder.relative_to(ROOT).as_posix()
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--no-index", "--stdin"],
        input="".join(f"{rel}/{name}\n" for name in sorted(names)),
        capture_output=True,
        text=True,
        timeout=30,
    )
    ignored = {line.removeprefix(rel + "/") for line in proc.stdout.splitlines()}
    return names - ignored


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_example_output(folder: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    spec = spec_of(folder)
    env = {**base_env(), **server_env(spec, request)}
    if "seed" in spec:
        seed = subprocess.run(
            command({"command": spec["seed"]}),
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert seed.returncode == 0, seed.stderr
    for i, run in enumerate(runs_of(spec)):
        work = tmp_path / f"run{i}"
        shutil.copytree(folder, work)  # runs may write files: never into the repository
        proc = subprocess.run(
            command(run),
            cwd=work,
            env={**env, **run.get("env", {})},
            input=run.get("stdin"),
            stdin=None if "stdin" in run else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        where = f"{folder.name} run {i}: {shlex.join(command(run)[1:])}"
        assert proc.returncode == run.get("rc", 0), f"{where}\n{proc.stderr}"
        expected = run.get("expected", "expected.yml")
        want = "" if expected is None else (folder / expected).read_text()
        assert proc.stdout == want, where
        if "stderr_has" in run:
            for piece in run["stderr_has"]:
                assert piece in proc.stderr, f"{where}: stderr lacks {piece!r}\n{proc.stderr}"
        else:
            assert proc.stderr == run.get("stderr", ""), where
        for written, expected_file in run.get("files", {}).items():
            assert (work / written).read_text() == (folder / expected_file).read_text(), where
        for written, lines in run.get("produces", {}).items():
            text = (work / written).read_text()
            for line in lines:
                assert line in text, f"{where}: {written} lacks {line!r}"
        left = not_ignored(folder, files_under(work) - files_under(folder))
        assert not left, f"{where} leaves files that .gitignore does not cover: {left}"


SCRIPTED = [p for p in CASES if "script" in spec_of(p)]


@pytest.mark.parametrize("folder", SCRIPTED, ids=[p.name for p in SCRIPTED])
def test_example_script_starts_its_own_server(folder: Path) -> None:
    """The README's one-command demos (they start and stop their own server)."""
    spec = spec_of(folder)
    if spec.get("server") == "openbao":
        from servers.openbao import bao_binary

        if bao_binary() is None:
            pytest.skip("the bao binary (OpenBao) is not installed")
    if spec.get("server") == "nats":
        from servers.nats_server import nats_server_binary

        if nats_server_binary() is None:
            pytest.skip("nats-server is not installed")
    from servers.ports import free_port

    env = {
        **base_env(),
        "BAO_PORT": str(free_port()),
        "MOTO_PORT": str(free_port()),
        "NATS_PORT": str(free_port()),
    }
    before = files_under(folder)
    proc = subprocess.run(
        ["bash", str(folder / spec["script"])],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (folder / "expected.yml").read_text()
    left = not_ignored(folder, files_under(folder) - before)
    assert not left, f"{spec['script']} leaves files behind: {left}"


def graftpy_lines(value: Any) -> list[str]:
    """Every ``graftpy ...`` command line in a parsed YAML document."""
    if isinstance(value, dict):
        return [line for v in value.values() for line in graftpy_lines(v)]
    if isinstance(value, list):
        return [line for v in value for line in graftpy_lines(v)]
    if isinstance(value, str):
        return [ln.strip() for ln in value.splitlines() if ln.strip().startswith("graftpy ")]
    return []


WITH_COMMANDS = [p for p in CASES if "commands_in" in spec_of(p)]


@pytest.mark.parametrize("folder", WITH_COMMANDS, ids=[p.name for p in WITH_COMMANDS])
def test_ci_and_hook_files_run_what_is_tested(folder: Path) -> None:
    yaml = pytest.importorskip("yaml")
    spec = spec_of(folder)
    tested = {shlex.join(["graftpy", *run["args"]]) for run in runs_of(spec)}
    for name in spec["commands_in"]:
        lines = graftpy_lines(yaml.safe_load((folder / name).read_text()))
        assert lines, f"{name} runs no graftpy command"
        for line in lines:
            assert line in tested, f"{name}: '{line}' is not one of the tested runs {tested}"


def test_every_example_folder_is_described() -> None:
    """A folder without example.json would never be checked."""
    folders = {p for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders == set(CASES)
    for folder in CASES:
        assert (folder / "README.md").is_file(), f"{folder.name} has no README.md"
