"""``graft json``: each YAML document of each file as one line of compact JSON.

graft splits every file on ``"\\n---\\n"`` (dropping a leading empty part),
decodes each part with the 2016 go-yaml rules, requires a map at the root,
turns keys into strings with ``%v`` (``--strict`` refuses non-string keys) and
prints Go's ``json.Marshal`` of it: keys sorted, no spaces, ``<``, ``>`` and
``&`` escaped as ``\\u003c`` etc.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from typing import Any

from graftpy.errors import FileError, GraftError
from graftpy.gofmt import sprint
from graftpy.yamlio.errors import DocumentError, InputReadError
from graftpy.yamlio.floats import json_float
from graftpy.yamlio.loader import parse_first_document
from graftpy.yamlio.resolve import LEGACY

NOT_A_MAP = (
    "Root of YAML document is not a hash/map: type assertion to map[interface]interface{} failed"
)

_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
for _c in range(0x20):
    _JSON_ESCAPES.setdefault(chr(_c), f"\\u{_c:04x}")
_JSON_TABLE = str.maketrans(_JSON_ESCAPES)


class JSONValueError(GraftError):
    """``json.Marshal`` refused a value (NaN or an infinity)."""


def _string(s: str) -> str:
    return '"' + s.translate(_JSON_TABLE) + '"'


def _deinterface(value: Any, strict: bool) -> Any:
    """graft's ``deinterface``: map keys become strings (``%v``)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str) and strict:
                raise GraftError("Non-string keys found during strict JSON conversion")
            ks = k if isinstance(k, str) else sprint(k)
            if ks in out:  # graft warns and keeps whichever Go's map order gave first
                sys.stderr.write(f"warning: Duplicate key detected: {ks}\n")
                continue
            out[ks] = _deinterface(v, strict)
        return out
    if isinstance(value, list):
        return [_deinterface(v, strict) for v in value]
    return value


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, bytes):  # not UTF-8: Go writes U+FFFD for bad bytes
        out.append(_string(value.decode("utf-8", errors="replace")))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
            raise JSONValueError(f"json: unsupported value: {text}")
        out.append(json_float(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, k in enumerate(sorted(value)):
            if i:
                out.append(",")
            out.append(_string(k))
            out.append(":")
            _encode(value[k], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _encode(v, out)
        out.append("]")
    else:
        raise JSONValueError(f"json: unsupported type: {type(value).__name__}")


def dump_json(data: Any, *, strict: bool = False) -> str:
    """Go's ``json.Marshal`` of ``data`` after graft's key conversion (no newline)."""
    out: list[str] = []
    try:
        _encode(_deinterface(data, strict), out)
    except RecursionError:
        raise JSONValueError("json: unsupported value: encountered a cycle") from None
    return "".join(out)


def stdin_is_piped() -> bool:
    """graft reads STDIN only when it is not a character device (a terminal, /dev/null)."""
    try:
        return not stat.S_ISCHR(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _read(path: str) -> bytes:
    from graftpy import reading

    bounds = reading.limits(os.environ)
    if path == "-":
        if not stdin_is_piped():
            return b""
        try:
            return reading.read_stdin(bounds)
        except OSError as exc:  # graft's words, and its blank line
            raise InputReadError(
                f"Error reading STDIN: read /dev/stdin: {reading.go_text(exc)}\n"
            ) from None
    try:
        return reading.read_file(path, bounds)
    except reading.ReadError as exc:
        raise InputReadError(f"Error reading file {path}: {reading.describe(exc, path)}") from None


def jsonify(data: bytes | str, path: str, strict: bool = False) -> list[str]:
    """JSON of every ``"\\n---\\n"``-separated document of one file's contents."""
    sep = b"\n---\n" if isinstance(data, bytes) else "\n---\n"
    parts = data.split(sep)  # type: ignore[arg-type]
    if not parts[0]:
        parts = parts[1:]
    lines = []
    for i, part in enumerate(parts):
        name = f"{path}[{i}]"
        root = parse_first_document(part, name, schema=LEGACY)
        if not isinstance(root, dict):  # also an empty document: nil is no map
            raise FileError(NOT_A_MAP, file=name)
        try:
            lines.append(dump_json(root, strict=strict))
        except GraftError as exc:
            raise DocumentError(exc.message, file=name) from None
    return lines


def json_command(paths: list[str], *, strict: bool = False) -> str:
    """The whole stdout of ``graft json PATHS``: one JSON line per document.

    As graft does, piped STDIN is read as one more file (``-``) after ``paths``.
    """
    lines: list[str] = []
    if stdin_is_piped():
        paths = [*paths, "-"]
    for path in paths:
        lines.extend(jsonify(_read(path), path, strict))
    return "".join(line + "\n" for line in lines)
