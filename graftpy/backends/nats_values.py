"""What a NATS value becomes in the document, as graft decodes it (``op_nats.go``).

Key-value entries
  Empty: ``""``. A value that, with surrounding white space removed, is one
  line stays a string, as stored (JSON on one line too). A value of several
  lines is parsed as YAML: a result that is not a string and not null (a map,
  a list, a number...) replaces it; otherwise, or when it does not parse, the
  string stays.
Objects, by the ``Content-Type`` header (exact name, first value)
  ``text/yaml``, ``text/x-yaml``, ``application/x-yaml``, ``application/yaml``:
  parsed as YAML (an error if it does not parse); ``application/json``,
  ``text/json``: parsed likewise; ``text/plain``: a string; no content type: a
  string, except that a name ending in ``.yaml`` or ``.yml`` is parsed as YAML
  when it parses; any other content type: base64 (standard alphabet, one line).

YAML is read the way graft's op_nats.go reads it: the first document, by the
2016 go-yaml fork's rules (``graftpy.yamlio.resolve.LEGACY``). A string that is
not UTF-8 stays ``bytes`` (Go strings hold raw bytes; the emitter writes ``!!binary``).
"""

from __future__ import annotations

import base64
from typing import Any

from graftpy.backends.errors import BackendError

YAML_TYPES = frozenset({"text/yaml", "text/x-yaml", "application/x-yaml", "application/yaml"})
JSON_TYPES = frozenset({"application/json", "text/json"})


def go_string(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _parse(raw: bytes, source: str) -> Any:
    """The first YAML document of ``raw`` (None when there is none)."""
    from graftpy.yamlio.loader import NO_DOCUMENT, decode_text, parse_first_document
    from graftpy.yamlio.resolve import LEGACY

    # graft's op_nats.go decodes with the 2016 go-yaml fork (YAML 1.1 booleans)
    value = parse_first_document(decode_text(raw, source), source, schema=LEGACY)
    return None if value is NO_DOCUMENT else value


def kv_value(raw: bytes, source: str) -> Any:
    if not raw:
        return ""
    text = go_string(raw)
    if b"\n" not in raw.strip():
        return text
    from graftpy.yamlio.errors import YAMLSyntaxError

    try:
        parsed = _parse(raw, source)
    except YAMLSyntaxError:
        return text
    if parsed is None or isinstance(parsed, str | bytes):
        return text
    return parsed


def content_type(headers: Any) -> str:
    """``Headers.Get("Content-Type")`` of nats.go: exact key, first value."""
    if not isinstance(headers, dict):
        return ""
    values = headers.get("Content-Type")
    if isinstance(values, list):
        return str(values[0]) if values else ""
    return str(values) if values else ""


def object_value(name: str, kind: str, raw: bytes) -> Any:
    """``kind`` is the object's content type ("" when it has none)."""
    from graftpy.yamlio.errors import YAMLSyntaxError

    if kind in YAML_TYPES or kind in JSON_TYPES:
        try:
            return _parse(raw, name)
        except YAMLSyntaxError as exc:
            what = "YAML" if kind in YAML_TYPES else "JSON"
            raise BackendError(
                f"failed to parse {what} from object '{name}': {_problem(exc)}"
            ) from None
    if kind == "text/plain":
        return go_string(raw)
    if kind == "":
        if name.endswith((".yaml", ".yml")):
            try:
                return _parse(raw, name)
            except YAMLSyntaxError:
                return go_string(raw)
        return go_string(raw)
    return base64.b64encode(raw).decode("ascii")


def _problem(exc: Any) -> str:
    """The parser's complaint with its place (never a piece of the content)."""
    where = ""
    if exc.line is not None:
        where = f"line {exc.line}, column {exc.column}: " if exc.column else f"line {exc.line}: "
    return f"{where}{exc.problem}"
