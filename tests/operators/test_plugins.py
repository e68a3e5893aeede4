"""Third-party operators through the ``graftpy.operators`` entry-point group.

A package is "installed" by putting its module and a ``.dist-info`` folder on
PYTHONPATH, which is all importlib.metadata looks at; graftpy runs as a user
would run it, in a process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PLUGIN = """
from graftpy.operators.base import Operator, Response
from graftpy.operators import argkinds


class Shout(Operator):
    name = "shout"

    def run(self, call, ctx):
        return Response(str(argkinds.value_of(call.args[0], ctx)).upper() + "!")


class FakeGrab(Operator):
    name = "grab"  # a plugin may not shadow a built-in

    def run(self, call, ctx):
        return Response("shadowed")
"""


def install_plugin(site: Path) -> None:
    (site / "shoutplug.py").write_text(PLUGIN)
    info = site / "shoutplug-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shoutplug\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[graftpy.operators]\nshout = shoutplug:Shout\ngrab = shoutplug:FakeGrab\n"
    )


def merge(tmp_path: Path, document: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "in.yml"
    source.write_text(textwrap.dedent(document))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_plugin_operator_runs_and_cannot_shadow_a_builtin(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    install_plugin(tmp_path / "site")
    done = merge(
        tmp_path,
        """
        name: web
        loud: (( shout name ))
        same: (( grab name ))
        """,
    )
    assert done.stderr == ""
    assert done.stdout == "loud: WEB!\nname: web\nsame: web\n\n"


def test_without_the_plugin_the_name_is_not_an_operator(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    done = merge(tmp_path, "loud: (( shout name ))\nname: web\n")
    assert done.returncode != 0
    assert "shout" in done.stderr
