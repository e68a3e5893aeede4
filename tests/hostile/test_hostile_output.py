"""``-o FILE`` against what FILE may really be: a device, a FIFO, a symlink, a missing
folder, a file under a file-size limit; and kills while it is being written."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")

DOC = "a: 1\nb: (( grab a ))\n"
OUT = "a: 1\nb: 1\n\n"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.yml"
    path.write_text(DOC)
    return path


@needs_root
def test_output_onto_a_null_device_twin_keeps_the_device(cli, doc, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = cli("merge", "-o", str(null), str(doc))
    assert done.returncode == 0, done.stderr
    st = os.lstat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert sorted(os.listdir(tmp_path)) == ["doc.yml", "null"]  # no temp file left


@needs_root
def test_output_onto_a_full_device_twin_fails_as_a_redirect_does(cli, doc, tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    done = cli("merge", "-o", str(full), str(doc))
    assert done.returncode == 1
    assert done.stderr == f"graftpy: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["doc.yml", "full"]


def test_output_into_a_fifo_is_written_straight(cli, doc, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = cli("merge", "-o", str(fifo), str(doc))
    reader.join(timeout=30)
    if reader.is_alive():  # nothing was written into the FIFO: open it to end the reader
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert done.returncode == 0, done.stderr
    assert got == [OUT.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_through_a_symlink_replaces_its_target_and_keeps_the_link(cli, doc, tmp_path):
    target = tmp_path / "real.yml"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.yml"
    link.symlink_to("real.yml")
    done = cli("merge", "-o", str(link), str(doc))
    assert done.returncode == 0, done.stderr
    assert os.path.islink(link) and os.readlink(link) == "real.yml"
    assert target.read_text() == OUT
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the target keeps its mode
    assert sorted(os.listdir(tmp_path)) == ["doc.yml", "link.yml", "real.yml"]


def test_output_through_a_dangling_symlink_creates_its_target(cli, doc, tmp_path):
    link = tmp_path / "link.yml"
    link.symlink_to("made.yml")
    done = cli("merge", "-o", str(link), str(doc))
    assert done.returncode == 0, done.stderr
    assert os.path.islink(link)
    assert (tmp_path / "made.yml").read_text() == OUT


def test_a_new_output_file_honours_the_umask(cli, doc, tmp_path):
    out = tmp_path / "secret.yml"

    def umask_077() -> None:
        os.umask(0o077)

    done = cli("merge", "-o", str(out), str(doc), preexec=umask_077)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_output_into_a_missing_folder_names_the_file_asked_for(cli, doc, tmp_path):
    out = tmp_path / "missing" / "dir" / "out.yml"
    done = cli("merge", "-o", str(out), str(doc))
    assert done.returncode == 1
    assert done.stderr == f"graftpy: cannot write {out}: No such file or directory\n"


def test_stdout_cut_by_a_file_size_limit_is_an_error(doc, tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("a:\n" + "".join(f"  k{i}: value-{i}\n" for i in range(20000)))
    sink = tmp_path / "sink.yml"
    with sink.open("w") as out:
        done = subprocess.run(
            ["prlimit", "--fsize=10000", sys.executable, "-m", "graftpy", "merge", str(big)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == "graftpy: cannot write the output: File too large\n"
    assert sink.stat().st_size == 10000


def test_output_file_cut_by_a_file_size_limit_leaves_the_old_file(doc, tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("a:\n" + "".join(f"  k{i}: value-{i}\n" for i in range(20000)))
    out = tmp_path / "out.yml"
    out.write_text("old\n")
    done = subprocess.run(
        ["prlimit", "--fsize=10000", sys.executable, "-m", "graftpy", "merge", "-o", str(out)]
        + [str(big)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == f"graftpy: cannot write {out}: File too large\n"
    assert out.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["big.yml", "doc.yml", "out.yml"]


# A child that stops inside the write (in fsync, after every byte went out) and says so:
# the kill then lands while the output is being written.
_STALLED_WRITE = """
import os, sys, time
import graftpy.output as output
if sys.argv[1] == "named":  # as on a system without O_TMPFILE
    output._unnamed_file = lambda directory: None
def stalled(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = stalled
sys.argv = ["graftpy", *sys.argv[2:]]
from graftpy.cli import run
run()
"""


@pytest.mark.parametrize("how", ["unnamed", "named"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_kill_while_writing_leaves_nothing_behind(doc, tmp_path, how, sig):
    out = tmp_path / "out.yml"
    out.write_text("old\n")
    if how == "named" and sig == signal.SIGKILL:
        pytest.skip("a named temp file cannot survive SIGKILL unseen: O_TMPFILE is the fix")
    child = subprocess.Popen(
        [sys.executable, "-c", _STALLED_WRITE, how, "merge", "-o", str(out), str(doc)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "writing\n"
    if how == "named":
        assert any(n.startswith(".graftpy-") for n in os.listdir(tmp_path))  # really mid-write
    child.send_signal(sig)
    rc = child.wait(timeout=30)
    child.stdout.close()
    child.stderr.close()
    assert rc == (143 if sig == signal.SIGTERM else -9)
    assert sorted(os.listdir(tmp_path)) == ["doc.yml", "out.yml"]
    assert out.read_text() == "old\n"


def test_sigterm_during_a_run_exits_143_without_a_traceback(tmp_path):
    fifo = tmp_path / "never"
    os.mkfifo(fifo)  # reading it waits (for GRAFT_READ_TIMEOUT): time to send SIGTERM
    child = subprocess.Popen(
        [sys.executable, "-m", "graftpy", "merge", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 143
    assert (out, err) == ("", "")
