"""Reading operation definitions from a go-patch file, with go-patch's errors.

graft decodes the file into go-patch's ``OpDefinition`` records with go-yaml
v2; entries or fields of the wrong type are reported together as
``yaml: unmarshal errors:`` with the line of each offending node.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from graftpy.gofmt import format_float
from graftpy.gopatch import ops
from graftpy.gopatch.pointer import PointerError, parse


class DefinitionError(Exception):
    """``text`` is the message; ``markup`` what graft prints before it on stderr."""

    def __init__(self, text: str, markup: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.markup = markup


_FIELDS = ("type", "path", "value", "absent", "error")


def parse_operations(doc: list, source: str) -> list[Any]:
    """The operations of a go-patch file, or :class:`DefinitionError`."""
    records, problems = _records(doc)
    if problems:
        lines = _lines(source)
        detail = "\n  ".join(_problem_text(p, lines) for p in problems)
        raise DefinitionError(
            "Root of YAML document is not a hash/map. Tried parsing it as go-patch, but got: "
            f"yaml: unmarshal errors:\n  {detail}\n"
        )
    operations = []
    for i, record in enumerate(records):
        try:
            operations.append(_operation(i, record))
        except _Invalid as exc:
            # graft leaves its colour markup "@R{" unrendered before this message
            # (the JSON in it has braces of its own): users see it, so we print it too
            raise DefinitionError(
                f"Unable to parse go-patch definitions: {exc}\n", markup="@R{"
            ) from None
    return operations


class _Invalid(Exception):
    pass


def _operation(i: int, record: dict[str, Any]) -> Any:
    kind = record.get("type") or ""
    shown = _format(record)
    if kind not in ("replace", "remove", "test"):
        raise _Invalid(f"Unknown operation [{i}] with type '{kind}' within\n{shown}")
    label = kind.capitalize()
    try:
        op = _build(kind, record)
    except _Invalid as exc:
        raise _Invalid(f"{label} operation [{i}]: {exc} within\n{shown}") from None
    if record.get("error") is not None:
        op = ops.Described(op, record["error"])
    return op


def _build(kind: str, record: dict[str, Any]) -> Any:
    path_text = record.get("path")
    if path_text is None:
        raise _Invalid("Missing path")
    has_value = record.get("value") is not None
    if kind == "replace" and not has_value:
        raise _Invalid("Missing value")
    if kind == "remove" and has_value:
        raise _Invalid("Cannot specify value")
    if kind == "test" and not has_value and record.get("absent") is None:
        raise _Invalid("Missing value or absent")
    try:
        path = parse(path_text)
    except PointerError as exc:
        raise _Invalid(f"Invalid path: {exc}") from None
    if kind == "replace":
        return ops.Replace(path, record["value"])
    if kind == "remove":
        return ops.Remove(path)
    return ops.Test(path, record.get("value"), bool(record.get("absent")))


def _format(record: dict[str, Any]) -> str:
    """go-patch's JSON view of a definition, with the value redacted."""
    shown: dict[str, Any] = {}
    for name in _FIELDS:
        if record.get(name) is None or (name == "type" and not record[name]):
            continue
        shown[name.capitalize()] = "<redacted>" if name == "value" else record[name]
    if not shown:
        return "{}"
    return json.dumps(shown, indent=2, ensure_ascii=False).replace("&", "\\u0026")


# -- decoding the records, as go-yaml v2 decodes into OpDefinition -------------


def _records(doc: list) -> tuple[list[dict[str, Any]], list[tuple]]:
    records: list[dict[str, Any]] = []
    problems: list[tuple] = []
    for i, entry in enumerate(doc):
        record: dict[str, Any] = {}
        if entry is None:
            records.append(record)
            continue
        if not isinstance(entry, dict):
            problems.append((i, None, entry, "patch.OpDefinition"))
            continue
        for name in _FIELDS:
            if name not in entry or entry[name] is None:
                continue
            value = entry[name]
            if name == "value":
                record[name] = value
            elif name == "absent":
                if isinstance(value, bool):
                    record[name] = value
                else:
                    problems.append((i, name, value, "bool"))
            elif isinstance(value, (dict, list)):
                problems.append((i, name, value, "string"))
            else:
                record[name] = _text(value)
        records.append(record)
    return records, problems


def _text(value: Any) -> str:
    """A scalar as go-yaml v2 stores it in a string field (its own text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float(value)
    return str(value)


def _tag(value: Any) -> str:
    if isinstance(value, dict):
        return "!!map"
    if isinstance(value, list):
        return "!!seq"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    return "!!str"


def _problem_text(
    problem: tuple, lines: list[tuple[int, str, dict[str, tuple[int, str]]]] | None
) -> str:
    index, field_name, value, target = problem
    line, raw = 0, None
    if lines is not None and index < len(lines):
        line, raw, fields = lines[index]
        if field_name is not None:
            line, raw = fields.get(field_name, (line, None))
    tag = _tag(value)
    shown = ""
    if tag not in ("!!map", "!!seq"):
        text = raw if raw is not None else _text(value)
        shown = f" `{text[:7]}...`" if len(text) > 10 else f" `{text}`"
    return f"line {line or index + 1}: cannot unmarshal {tag}{shown} into {target}"


_DOC_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


def _lines(source: str) -> list[tuple[int, str, dict[str, tuple[int, str]]]] | None:
    """Line and text of each entry (and its fields) of the file, when it can be re-read."""
    from graftpy.diff.load import DiffError, load_yaml
    from graftpy.diff.nodes import MAPPING, SEQUENCE

    path, chunk = source, None
    if not os.path.isfile(path):
        m = _DOC_INDEX.match(source)
        if not m or not os.path.isfile(m.group(1)):
            return None
        path, chunk = m.group(1), int(m.group(2))
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    if chunk is not None:  # graft splits multi-doc files on "\n---\n" itself
        parts = text.split("\n---\n")
        if parts and parts[0] == "":
            parts = parts[1:]
        if chunk >= len(parts):
            return None
        text = parts[chunk]  # go-yaml numbers lines within the chunk it was given
    try:
        docs = load_yaml(text)
    except DiffError:
        return None
    if not docs or not docs[0].content or docs[0].content[0].kind != SEQUENCE:
        return None
    out = []
    for entry in docs[0].content[0].content:
        fields = {}
        if entry.kind == MAPPING:
            for k, v in zip(entry.content[::2], entry.content[1::2], strict=False):
                fields[k.value] = (v.line, v.value)
        out.append((entry.line, entry.value, fields))
    return out
