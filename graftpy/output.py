"""Writing results: stdout, or a file that is never left half-written or replaced wrongly.

``write_file(path, text)`` does what ``> path`` would do, made safe:

* a regular file (or a new one) is replaced atomically: the text goes to an
  unnamed file in the same directory (``O_TMPFILE``) that is given a name only
  once it is complete and synced, then renamed over ``path``. A kill at any
  moment before that leaves nothing behind. Where ``O_TMPFILE`` is missing (not
  Linux, or a file system without it) a named ``.graftpy-*`` temp file is used
  and removed on every failure, SIGTERM included (the CLI turns SIGTERM into an
  exception);
* a symlink is written through: its target is replaced atomically (a dangling
  link creates its target, as ``>`` does); the link itself stays;
* anything else that exists and is not a regular file (``/dev/null``, a FIFO, a
  terminal) is opened and written straight, never renamed over, so ``/dev/full``
  fails with "No space left on device" as ``>`` does;
* a replaced file keeps its permission bits (and, as root, its owner); a new
  one gets ``0666`` less the umask, as ``>`` gives it.

Failures raise ``OSError`` whose ``filename`` is the path the user gave.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys


def write_file(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as described in the module docstring."""
    data = text.encode("utf-8")
    try:
        target = os.path.realpath(path)  # through symlinks: the link itself stays
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_straight(target, data)
        else:
            _replace(target, data, st)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None


def write_atomically(path: str, text: str) -> None:
    """The old name of ``write_file`` (the metrics file uses it)."""
    write_file(path, text)


def emit(text: str, output: str | None) -> None:
    if output:
        write_file(output, text)
    else:
        write_stdout(text)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output, every byte or an ``OSError``.

    Straight to the file descriptor: Python's buffered stdout accepts a short
    write (a file-size limit reached, ``prlimit --fsize``) and drops the rest
    without a word, so a cut output would exit 0. A reader that goes away
    (``graftpy merge ... | head``) is no error, as with any filter.
    """
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # captured (tests, a library caller)
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    with contextlib.suppress(BrokenPipeError):  # the reader went away (``| head``)
        _write_all(fd, text.encode("utf-8"))


def _write_straight(target: str, data: bytes) -> None:
    """A device, FIFO or socket: write to it as ``>`` does (no temp file, no rename)."""
    fd = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _replace(target: str, data: bytes, old: os.stat_result | None) -> None:
    directory = os.path.dirname(target) or "."
    fd = _unnamed_file(directory)
    if fd is not None:
        try:
            _fill(fd, data, old)
            if _link_and_rename(fd, directory, target):
                return
        finally:
            os.close(fd)
    _replace_via_named_temp(directory, target, data, old)


def _replace_via_named_temp(
    directory: str, target: str, data: bytes, old: os.stat_result | None
) -> None:
    import tempfile  # only where O_TMPFILE cannot be used

    fd, tmp = tempfile.mkstemp(prefix=".graftpy-", dir=directory)
    try:
        try:
            if old is None:
                os.fchmod(fd, 0o666 & ~current_umask())
            _fill(fd, data, old)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _unnamed_file(directory: str) -> int | None:
    """An ``O_TMPFILE`` descriptor in ``directory`` (mode 0666 less the umask), or None
    where the platform or the file system has none."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system without O_TMPFILE
        raise


def _fill(fd: int, data: bytes, old: os.stat_result | None) -> None:
    _write_all(fd, data)
    if old is not None:  # replacing a file: keep its mode, and its owner where we may
        os.fchmod(fd, stat.S_IMODE(old.st_mode))
        if os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.fchown(fd, old.st_uid, old.st_gid)
    os.fsync(fd)


def _link_and_rename(fd: int, directory: str, target: str) -> bool:
    """Give the finished unnamed file a name, then move it over ``target``.

    False when the unnamed file cannot be given a name here (some kernels and
    sandboxes refuse both ways of linking it): the caller writes a named temp
    file instead. ``linkat`` cannot replace a file, hence the short-lived second
    name; between the two calls (microseconds) is the only moment a kill leaves
    it behind.
    """
    base = os.path.basename(target)
    for attempt in range(100):
        tmp = os.path.join(directory, f".graftpy-{os.getpid()}-{attempt}-{base}")
        try:
            if not _link_fd(fd, tmp):
                return False
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "cannot name the temporary file", target)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


_UNLINKABLE = (errno.EXDEV, errno.ENOENT, errno.EPERM, errno.EACCES, errno.EINVAL)


def _link_fd(fd: int, name: str) -> bool:
    """``linkat`` the open file ``fd`` to ``name``: through /proc, else with
    ``AT_EMPTY_PATH`` (which the kernel allows to privileged processes)."""
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
        return True
    except OSError as exc:
        if exc.errno not in _UNLINKABLE:
            raise
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if libc.linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), name)
    if code in _UNLINKABLE:
        return False
    raise OSError(code, os.strerror(code), name)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def current_umask() -> int:
    """The process umask, read without changing it where /proc allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
