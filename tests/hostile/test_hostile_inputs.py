"""Input files that are not what a manifest is: directories, devices, FIFOs without a
writer, endless streams, unreadable files; and HTTP servers that trickle or never end."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from servers.hostile_http import HostileServer

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


@pytest.fixture
def zero(tmp_path: Path) -> Path:
    """A twin of /dev/zero in the test's folder (an endless character device)."""
    if os.geteuid() != 0:
        pytest.skip("mknod needs root")
    path = tmp_path / "zero"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    return path


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("merge", "Error reading file {d}: read {d}: is a directory\n\n"),
        ("fan", "Error reading file {d}: read {d}: is a directory\n\n"),
        ("vaultinfo", "Error reading file {d}: read {d}: is a directory\n\n"),
        ("json", "Error reading file {d}: read {d}: is a directory\n"),
    ],
)
def test_a_directory_as_input_is_graft_s_error_and_exit_2(cli, tmp_path, command, stderr):
    (tmp_path / "adir").mkdir()
    done = cli(command, "adir", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", stderr.format(d="adir"))


def test_diff_reads_a_directory_as_no_documents_as_graft_does(cli, tmp_path):
    (tmp_path / "adir").mkdir()
    (tmp_path / "x.yml").write_text("a: 1\n")
    same = cli("diff", "adir", "adir", cwd=tmp_path)
    assert (same.returncode, same.stdout, same.stderr) == (0, "\n\n", "")
    other = cli("diff", "x.yml", "adir", cwd=tmp_path)
    assert other.returncode == 2
    assert other.stderr == (
        "comparing YAMLs with a different number of documents is currently not supported\n"
    )


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv"
)
def test_an_unreadable_file_is_graft_s_error_and_exit_2():
    folder = Path(tempfile.mkdtemp(prefix="graftpy-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / "secret.yml"
        path.write_text("a: 1\n")
        path.chmod(0)
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            + [sys.executable, "-m", "graftpy", "merge", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"Error reading file {path}: open {path}: permission denied\n"


def test_stdin_open_for_writing_is_a_read_error(cli, tmp_path):
    sink = tmp_path / "sink"
    with sink.open("a") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "graftpy", "merge", "-"],
            stdin=fh,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == "Error reading file STDIN: read /dev/stdin: bad file descriptor\n\n"


@pytest.mark.parametrize("command", ["merge", "json", "fan"])
def test_an_endless_device_as_input_stops_at_the_read_limit(cli, zero, tmp_path, command):
    (tmp_path / "a.yml").write_text("a: 1\n")
    started = time.monotonic()
    done = cli(command, "a.yml", str(zero), cwd=tmp_path, env={"GRAFT_MAX_READ_BYTES": "1000000"})
    assert time.monotonic() - started < 20
    assert done.returncode == 2
    limit = "larger than 1000000 bytes (set GRAFT_MAX_READ_BYTES to read more)"
    assert done.stderr.startswith(f"Error reading file {zero}: read {zero}: {limit}\n")


def test_a_regular_file_over_the_limit_is_refused_before_reading(cli, tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("a: " + "x" * 5000 + "\n")
    done = cli("merge", str(big), env={"GRAFT_MAX_READ_BYTES": "4096"})
    assert done.returncode == 2
    assert done.stderr == (
        f"Error reading file {big}: read {big}: larger than 4096 bytes "
        "(set GRAFT_MAX_READ_BYTES to read more)\n\n"
    )


def test_a_bad_read_limit_is_a_settings_error(cli, tmp_path):
    (tmp_path / "a.yml").write_text("a: 1\n")
    done = cli("merge", "a.yml", cwd=tmp_path, env={"GRAFT_MAX_READ_BYTES": "lots"})
    assert done.returncode == 1
    assert done.stderr == "GRAFT_MAX_READ_BYTES must be a whole number of bytes above 0, not 'lots'\n"


def test_a_fifo_without_a_writer_times_out_naming_the_path(cli, tmp_path):
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    started = time.monotonic()
    done = cli("merge", str(fifo), env={"GRAFT_READ_TIMEOUT": "1"})
    took = time.monotonic() - started
    assert 1 <= took < 15
    assert done.returncode == 2
    assert done.stderr == (
        f"Error reading file {fifo}: read {fifo}: nothing to read for 1s "
        "(set GRAFT_READ_TIMEOUT to wait longer)\n\n"
    )


def test_a_fifo_with_a_writer_is_read(cli, tmp_path):
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"sleep 0.5; printf 'a: 1\\n' > {fifo}"])
    done = cli("merge", str(fifo))
    writer.wait(timeout=30)
    assert (done.returncode, done.stdout) == (0, "a: 1\n\n")


def test_file_operator_on_an_endless_device(cli, zero, tmp_path):
    (tmp_path / "m.yml").write_text(f'x: (( file "{zero}" ))\n')
    done = cli("merge", "m.yml", cwd=tmp_path, env={"GRAFT_MAX_READ_BYTES": "1000000"})
    assert done.returncode == 2
    assert done.stderr == (
        "1 error(s) detected:\n"
        f" - $.x: read {zero}: larger than "
        "1000000 bytes (set GRAFT_MAX_READ_BYTES to read more)\n\n\n"
    )


def test_load_operator_on_a_fifo_without_a_writer(cli, tmp_path):
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "m.yml").write_text('x: (( load "pipe.yml" ))\n')
    done = cli("merge", "m.yml", cwd=tmp_path, env={"GRAFT_READ_TIMEOUT": "1"})
    assert done.returncode == 2
    assert done.stderr == (
        "1 error(s) detected:\n"
        " - $.x: read pipe.yml: nothing to read for 1s (set GRAFT_READ_TIMEOUT to wait longer)"
        "\n\n\n"
    )


@pytest.mark.parametrize("path", ["trickle-headers", "trickle-body", "silent"])
def test_load_from_a_trickling_server_gives_up_at_the_deadline(cli, tmp_path, path):
    with HostileServer(interval=0.5) as server:
        url = server.url(path)
        (tmp_path / "m.yml").write_text(f'x: (( load "{url}" ))\n')
        started = time.monotonic()
        done = cli("merge", "m.yml", cwd=tmp_path, env={"GRAFT_LOAD_TIMEOUT": "2"})
        took = time.monotonic() - started
    assert 2 <= took < 10, took
    phase = "reading body" if path == "trickle-body" else "awaiting headers"
    assert done.returncode == 2
    assert done.stderr == (
        "1 error(s) detected:\n"
        f' - $.x: Get "{url}": no complete answer within 2s '
        f"(Client.Timeout exceeded while {phase})\n\n\n"
    )


def test_load_of_an_endless_body_stops_at_the_read_limit(cli, tmp_path):
    with HostileServer() as server:
        url = server.url("endless")
        (tmp_path / "m.yml").write_text(f'x: (( load "{url}" ))\n')
        done = cli("merge", "m.yml", cwd=tmp_path, env={"GRAFT_MAX_READ_BYTES": "2000000"})
    assert done.returncode == 2
    assert done.stderr == (
        "1 error(s) detected:\n"
        f' - $.x: Get "{url}": the answer is larger than 2000000 bytes '
        "(set GRAFT_MAX_READ_BYTES to read more)\n\n\n"
    )


def test_diff_of_a_trickling_url_gives_up(cli, tmp_path):
    (tmp_path / "a.yml").write_text("a: 1\n")
    with HostileServer(interval=0.5) as server:
        url = server.url("trickle-headers")
        done = cli("diff", "a.yml", url, cwd=tmp_path, env={"GRAFT_READ_TIMEOUT": "2"})
    assert done.returncode == 2
    assert done.stderr == (
        f'unable to load data from {url}: Get "{url}": no complete answer within 2s '
        "(Client.Timeout exceeded while awaiting headers)\n"
    )
