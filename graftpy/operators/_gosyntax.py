"""Go's ``%#v`` and ``%s`` renderings of plain values, for error messages."""

from __future__ import annotations

from typing import Any

from graftpy.gofmt import format_float, go_type, sprint


def go_syntax(v: Any) -> str:
    """``fmt.Sprintf("%#v", v)`` for values decoded from YAML."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_float(v)
    if isinstance(v, str):
        import json

        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_syntax(x) for x in v) + "}"
    if isinstance(v, dict):
        items = sorted((go_syntax(k), go_syntax(x)) for k, x in v.items())
        return "map[interface {}]interface {}{" + ", ".join(f"{k}:{x}" for k, x in items) + "}"
    return sprint(v)


def go_kind(v: Any) -> str:
    """``reflect.TypeOf(v).Kind().String()``."""
    if isinstance(v, list):
        return "slice"
    if isinstance(v, dict):
        return "map"
    return go_type(v)


def go_str(v: Any) -> str:
    """``fmt.Sprintf("%s", v)``: non-strings come out as ``%!s(type=value)``."""
    if isinstance(v, str):
        return v
    if v is None:
        return "%!s(<nil>)"
    if isinstance(v, bool | int | float):
        return f"%!s({go_type(v)}={sprint(v)})"
    return sprint(v)
