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


BROKEN = {
    # entry-point name -> (module text, target): each fails to load in its own way
    "missing": ("", "brokenplug_missing:NoSuchClass"),
    "crashing": ("raise RuntimeError('cannot start')\n", "brokenplug_crashing:Op"),
    "notanop": ("class Op:\n    name = 'notanop'\n", "brokenplug_notanop:Op"),
    "badinit": (
        "from graftpy.operators.base import Operator\n"
        "class Op(Operator):\n"
        "    def __init__(self):\n"
        "        raise ValueError('no config')\n",
        "brokenplug_badinit:Op",
    ),
}


def install_broken_plugins(site: Path) -> None:
    lines = ["[graftpy.operators]"]
    for name, (text, target) in BROKEN.items():
        (site / f"{target.split(':')[0]}.py").write_text(text)
        lines.append(f"{name} = {target}")
    info = site / "brokenplug-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


def test_broken_plugins_affect_nothing_they_are_not_used_for(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    install_broken_plugins(site)
    ok = merge(tmp_path, "name: web\nloud: (( shout name ))\nsame: (( grab name ))\n")
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout == "loud: WEB!\nname: web\nsame: web\n\n"
    unknown = merge(tmp_path, "x: (( nosuch 1 ))\n")
    assert unknown.returncode == 2
    assert "internal error" not in unknown.stderr
    assert "(( nosuch )) operator not defined" in unknown.stderr


def test_a_broken_plugin_is_reported_by_name_where_it_is_used(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_broken_plugins(site)
    done = merge(
        tmp_path,
        """
        a: (( missing 1 ))
        b: (( crashing 1 ))
        c: (( notanop 1 ))
        d: (( badinit 1 ))
        e: (( concat "still " "fine" ))
        """,
    )
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "4 error(s) detected:"
    expected = {
        "a": "(( missing )) operator plugin 'brokenplug_missing:NoSuchClass' (package brokenplug"
        " 0.1) failed to load: AttributeError:",
        "b": "(( crashing )) operator plugin 'brokenplug_crashing:Op' (package brokenplug 0.1)"
        " failed to load: RuntimeError: cannot start",
        "c": "(( notanop )) operator plugin 'brokenplug_notanop:Op' (package brokenplug 0.1)"
        " failed to load: TypeError: Op is not a graftpy Operator",
        "d": "(( badinit )) operator plugin 'brokenplug_badinit:Op' (package brokenplug 0.1)"
        " failed to load: ValueError: no config",
    }
    for key, text in expected.items():
        assert any(line.startswith(f" - $.{key}: {text}") for line in lines), (key, lines)
