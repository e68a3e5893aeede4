"""--confine-files: (( file )) and (( load )) read only inside the file base path."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def layout(tmp_path):
    base = tmp_path / "base"
    (base / "certs").mkdir(parents=True)
    (base / "certs" / "ca.pem").write_text("CERT")
    (base / "doc.yml").write_text("k: v\n")
    (tmp_path / "outside.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "outside.txt", base / "certs" / "escape.pem")
    os.symlink(base / "certs" / "ca.pem", base / "inside-link.pem")
    return base


@pytest.mark.parametrize(
    "expr",
    [
        '(( file "../outside.txt" ))',
        '(( file "certs/../../outside.txt" ))',
        '(( file "certs/escape.pem" ))',
        '(( file "/etc/hostname" ))',
        '(( load "../outside.txt" ))',
    ],
)
def test_nothing_outside_the_base_path_is_read(cli, layout, expr):
    (layout / "m.yml").write_text(f"x: {expr}\n")
    done = cli("merge", "--confine-files", "m.yml", cwd=layout)
    assert done.returncode == 2
    assert "TOP SECRET" not in done.stdout + done.stderr
    assert f"is outside {layout}, the only folder files may be read from" in done.stderr
    assert "(GRAFT_CONFINE_FILES is on)" in done.stderr


def test_paths_inside_the_base_path_are_read(cli, layout):
    (layout / "m.yml").write_text(
        'a: (( file "certs/ca.pem" ))\nb: (( file "inside-link.pem" ))\n'
        'c: (( load "doc.yml" ))\nd: (( file "certs/../certs/ca.pem" ))\n'
    )
    done = cli("merge", "--confine-files", "m.yml", cwd=layout)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "a: CERT\nb: CERT\nc:\n  k: v\nd: CERT\n\n"


def test_the_base_path_flag_moves_the_confinement(cli, layout):
    (layout / "m.yml").write_text('a: (( file "ca.pem" ))\nb: (( file "../doc.yml" ))\n')
    done = cli(
        "merge", "--confine-files", "--file-base-path", "certs", "m.yml", cwd=layout
    )
    assert done.returncode == 2
    assert done.stderr.count("is outside") == 1 and " - $.b: " in done.stderr


def test_without_the_flag_graft_s_behaviour_is_kept(cli, layout):
    (layout / "m.yml").write_text('x: (( file "../outside.txt" ))\n')
    done = cli("merge", "m.yml", cwd=layout)
    assert (done.returncode, done.stdout) == (0, "x: TOP SECRET\n\n")


def test_the_environment_variable_confines_too(cli, layout):
    (layout / "m.yml").write_text('x: (( file "../outside.txt" ))\n')
    done = cli("merge", "m.yml", cwd=layout, env={"GRAFT_CONFINE_FILES": "1"})
    assert done.returncode == 2
