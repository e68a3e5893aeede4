"""The ``name?key=...&stage=...&version=...`` argument of awsparam / awssecret.

``parse_aws_key`` splits at the first ``?`` and parses the rest as Go's
``url.ParseQuery`` does (same errors: ``invalid semicolon separator in query``,
``invalid URL escape "%zz"``). ``extract_key`` picks ``?key=`` out of a value
holding a YAML or JSON map and formats it as Go's ``%v``. Its errors never quote
the value: it is a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graftpy.backends.errors import BackendError
from graftpy.gofmt import sprint

HEX = "0123456789abcdefABCDEF"


@dataclass(frozen=True)
class AwsKey:
    name: str
    params: dict[str, list[str]]

    def get(self, option: str) -> str:
        """Go's ``url.Values.Get``: the first value, or ''."""
        values = self.params.get(option)
        return values[0] if values else ""


def parse_aws_key(text: str) -> AwsKey:
    name, _, query = text.partition("?")
    params, error = parse_query(query)
    if error:
        raise BackendError(f"invalid argument string: {error}")
    return AwsKey(name, params)


def parse_query(query: str) -> tuple[dict[str, list[str]], str]:
    """Go's url.ParseQuery: the values found, and the first error ('' if none)."""
    params: dict[str, list[str]] = {}
    error = ""
    for piece in query.split("&") if query else []:
        if ";" in piece:
            error = error or "invalid semicolon separator in query"
            continue
        if not piece:
            continue
        raw_key, _, raw_value = piece.partition("=")
        try:
            key, value = unescape(raw_key), unescape(raw_value)
        except ValueError as exc:
            error = error or str(exc)
            continue
        params.setdefault(key, []).append(value)
    return params, error


def unescape(s: str) -> str:
    """Go's url.QueryUnescape: %XX escapes and '+' as space."""
    out = bytearray()
    i = 0
    raw = s.encode("utf-8", "surrogateescape")
    while i < len(raw):
        c = raw[i]
        if c == 0x25:  # %
            chunk = raw[i : i + 3].decode("utf-8", "replace")
            if i + 2 >= len(raw) or chr(raw[i + 1]) not in HEX or chr(raw[i + 2]) not in HEX:
                raise ValueError(f"invalid URL escape {_go_quote(chunk)}")
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        elif c == 0x2B:  # +
            out.append(0x20)
            i += 1
        else:
            out.append(c)
            i += 1
    return out.decode("utf-8", "replace")


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def extract_key(value: str, name: str, subkey: str) -> str:
    """``value``'s ``subkey`` as text (graft's ``?key=``), or graft's error."""
    data = _parse_map(value)
    if data is None:
        raise BackendError(f"$.{name} error extracting key: the value is not a YAML or JSON map")
    if subkey not in data:
        raise BackendError(f"$.{name} invalid key '{subkey}'")
    return sprint(data[subkey])


def _parse_map(text: str) -> dict[str, Any] | None:
    """The map in ``text`` parsed as YAML (JSON is YAML), or None."""
    if text.strip() == "":
        return {}
    try:
        try:
            # graft reads the value with the 2016 go-yaml fork (YAML 1.1 booleans)
            from graftpy.yamlio.loader import NO_DOCUMENT, parse_first_document
            from graftpy.yamlio.resolve import LEGACY

            data = parse_first_document(text, "value", schema=LEGACY)
            if data is NO_DOCUMENT:
                data = None
        except (ImportError, AttributeError):  # the project loader is not there
            data = _parse_fallback(text)
    except Exception:  # any parse error: its text could quote the secret
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def _parse_fallback(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        pass
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)  # raises on bad input: caught by the caller
