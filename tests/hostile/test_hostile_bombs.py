"""Documents built to explode: each must end with a clear error, in bounded time and
under a memory limit (``prlimit --as``) far below what the bomb would need."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

MEMORY = 1536 * 1024 * 1024  # address space the child may use (a bomb needs terabytes)
pytestmark = pytest.mark.skipif(not shutil.which("prlimit"), reason="needs prlimit")


def bounded_run(tmp_path: Path, *args: str, env: dict | None = None) -> tuple:
    import os

    started = time.monotonic()
    done = subprocess.run(
        ["prlimit", f"--as={MEMORY}", sys.executable, "-m", "graftpy", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    return done, time.monotonic() - started


def concat_doubling(levels: int = 40) -> str:
    return "l00: xxxxxxxx\n" + "".join(
        f"l{i:02}: (( concat l{i - 1:02} l{i - 1:02} ))\n" for i in range(1, levels)
    )


def grab_fan_out(levels: int = 10) -> str:
    lines = ["g00: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    for i in range(1, levels + 1):
        lines.append(f"g{i:02}: [" + ", ".join([f"(( grab g{i - 1:02} ))"] * 10) + "]")
    return "\n".join(lines) + "\n"


def stringify_fan_out(levels: int = 12) -> str:
    lines = ["s00: [" + ", ".join(c * 10 for c in "abcdefghij") + "]"]
    for i in range(1, levels):
        lines.append(f"s{i:02}: [" + ", ".join([f"(( stringify s{i - 1:02} ))"] * 10) + "]")
    return "\n".join(lines) + "\n"


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


STATIC_IPS = """\
jobs:
- name: web
  instances: 1
  networks:
  - name: net
    static_ips: (( static_ips 0 ))
networks:
- name: net
  subnets:
  - static: [0.0.0.0 - 255.255.255.255]
"""

CASES = {
    "concat": (
        concat_doubling(),
        " - $.l24: concat would build a string of 134217728 characters, "
        "more than GRAFT_MAX_STRING_BYTES (67108864)",
    ),
    "cartesian-product": (
        "a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\nr: (( cartesian-product "
        + " ".join(["a"] * 15)
        + " ))\n",
        " - $.r: cartesian-product would build a list of 1000000000000000 entries, "
        "more than GRAFT_MAX_LIST_ITEMS (1000000)",
    ),
    "ips": (
        'r: (( ips "10.0.0.0/4" 0 100000000 ))\n',
        " - $.r: ips would build a list of 100000000 entries, "
        "more than GRAFT_MAX_LIST_ITEMS (1000000)",
    ),
    "grab": (
        grab_fan_out(),
        " - $.g06.0: operators wrote more than 2000000 values into the document "
        "(grabs of grabs fanning out?); GRAFT_MAX_VALUES sets the bound",
    ),
    "stringify": (
        stringify_fan_out(),
        " - $.s07.0: stringify would build a string of 243086411 characters, "
        "more than GRAFT_MAX_STRING_BYTES (67108864)",
    ),
    "static_ips": (
        STATIC_IPS,
        " - $.jobs.web.networks.net.static_ips: static_ips: the static pools of net hold "
        "more than 1000000 addresses, more than GRAFT_MAX_LIST_ITEMS allows",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_operator_bomb_ends_with_a_clear_error(tmp_path, name):
    text, line = CASES[name]
    (tmp_path / "bomb.yml").write_text(text)
    done, took = bounded_run(tmp_path, "merge", "bomb.yml")
    assert done.returncode == 2, done.stderr[-2000:]
    assert line in done.stderr.splitlines(), done.stderr[:2000]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert took < 60, took


def test_a_raised_bound_lets_a_bigger_value_through(tmp_path):
    (tmp_path / "m.yml").write_text('r: (( ips "10.0.0.0/8" 0 2000 ))\n')
    done, _ = bounded_run(tmp_path, "merge", "m.yml", env={"GRAFT_MAX_LIST_ITEMS": "1000"})
    assert done.returncode == 2
    done, _ = bounded_run(tmp_path, "merge", "m.yml", env={"GRAFT_MAX_LIST_ITEMS": "5000"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n- 10.0.") == 2000


def test_a_bad_bound_is_a_settings_error(tmp_path):
    (tmp_path / "m.yml").write_text("a: (( concat 'x' 'y' ))\n")
    done, _ = bounded_run(tmp_path, "merge", "m.yml", env={"GRAFT_MAX_STRING_BYTES": "-1"})
    assert done.returncode == 1
    assert done.stderr == "GRAFT_MAX_STRING_BYTES must be a whole number above 0, not '-1'\n"


@pytest.mark.parametrize("command", ["merge", "diff"])
def test_a_billion_laughs_is_refused_by_merge_and_diff(tmp_path, command):
    (tmp_path / "laughs.yml").write_text(billion_laughs())
    args = ["laughs.yml", "laughs.yml"] if command == "diff" else ["laughs.yml"]
    done, took = bounded_run(tmp_path, command, *args)
    assert done.returncode == 2
    assert took < 20
    if command == "merge":
        assert done.stderr == (
            "laughs.yml: failed to parse YAML: document contains excessive aliasing\n\n"
        )
    else:
        assert done.stderr == (
            f"unable to parse data from {tmp_path / 'laughs.yml'}: "
            "yaml: document contains excessive aliasing\n"
        )


def test_diff_still_follows_ordinary_aliases(tmp_path):
    (tmp_path / "a.yml").write_text("a: &a [1, 2]\nb: *a\nc: [*a, *a]\n")
    (tmp_path / "b.yml").write_text("a: [1, 2]\nb: [1, 2]\nc: [[1, 2], [1, 2]]\n")
    done, _ = bounded_run(tmp_path, "diff", "a.yml", "b.yml")
    assert (done.returncode, done.stdout) == (0, "\n\n")


@pytest.mark.parametrize("command", ["merge", "json", "diff"])
def test_flow_nesting_past_go_yaml_s_depth_is_refused_at_once(tmp_path, command):
    depth = 100_000  # the parser alone would take minutes (quadratic)
    (tmp_path / "deep.yml").write_text("a: " + "[" * depth + "]" * depth + "\n")
    args = ["deep.yml", "deep.yml"] if command == "diff" else ["deep.yml"]
    done, took = bounded_run(tmp_path, command, *args)
    assert done.returncode == 2
    assert took < 20
    where = "line 1, column 10004: " if command != "diff" else "line 1: "
    assert f"{where}exceeded max depth of 10000" in done.stderr


def test_nesting_graft_parses_still_gets_graft_s_message(tmp_path):
    depth = 10_000
    (tmp_path / "deep.yml").write_text("a: " + "[" * depth + "]" * depth + "\n")
    done, _ = bounded_run(tmp_path, "merge", "deep.yml")
    assert (done.returncode, done.stderr) == (
        2,
        "Hit max recursion depth. You seem to have a self-referencing dataset\n",
    )
