"""Explanations as text: one tree per path, for people.

::

    $.jobs.web.instances = 5
    ├─ set       base.yml:4         3
    ├─ override  prod.yml:2         "(( grab meta.size ))"   merged by name 'web'
    └─ computed  (( grab meta.size ))   prod.yml:2
       └─ $.meta.size = 5
          ├─ set       base.yml:1     2
          └─ override  command line   5   --set meta.size=5
"""

from __future__ import annotations

import json
from typing import Any

MORE = "(deeper: raise --depth)"


def render_text(nodes: list[dict]) -> str:
    """The text of the explanations ``nodes`` (``Explainer.node`` results)."""
    lines: list[str] = []
    for node in nodes:
        _node(node, "", lines)
        lines.append("")
    return "\n".join(lines)


def _node(node: dict, indent: str, lines: list[str]) -> None:
    head = f"{node['path']} = {show(node['value'])}"
    if node.get("in_output") is False:
        head += f"   (not in the output: {node.get('removed', 'removed after evaluation')})"
    lines.append(head)
    items: list[tuple[str, Any]] = [("event", e) for e in node["origins"]]
    if node.get("origins_unknown"):
        items.append(("note", "no file sets this place: it is inside a value computed above it"))
    if "computed" in node:
        items.append(("computed", node["computed"]))
    width = max((len(_where(e)) for kind, e in items if kind == "event"), default=0)
    for i, (kind, item) in enumerate(items):
        last = i == len(items) - 1
        branch, inner = ("└─ ", "   ") if last else ("├─ ", "│  ")
        if kind == "event":
            lines.append(indent + branch + _event_text(item, width))
        elif kind == "note":
            lines.append(indent + branch + item)
        else:
            _computed(item, indent + branch, indent + inner, lines)


def _computed(part: dict, first: str, indent: str, lines: list[str]) -> None:
    text = f"{'computed':9} {part['expression']}"
    if part.get("file"):
        text += f"   {part['file']}:{part['line']}" if part.get("line") else f"   {part['file']}"
    if part.get("part_of"):
        text += f"   (inside the value of {part['part_of']})"
    lines.append(first + text)
    children: list[tuple[str, Any]] = []
    if part.get("error"):
        children.append(("text", f"failed: {part['error']}"))
    for label in part.get("secrets", ()):
        children.append(("text", f"secret: {label} (its value is not shown)"))
    for read in part.get("reads", ()):
        children.append(("read", read))
    for i, (kind, item) in enumerate(children):
        last = i == len(children) - 1
        branch, inner = ("└─ ", "   ") if last else ("├─ ", "│  ")
        if kind == "text":
            lines.append(indent + branch + item)
        elif "explanation" in item:
            sub: list[str] = []
            _node(item["explanation"], indent + inner, sub)
            sub[0] = indent + branch + sub[0]
            lines.extend(sub)
        elif not item["found"]:
            lines.append(indent + branch + f"{item['path']}: not found (the alternative was used)")
        elif item.get("cycle"):
            lines.append(indent + branch + f"{item['path']} (explained above)")
        else:
            lines.append(indent + branch + f"{item['path']}   {MORE}")


def _where(event: dict) -> str:
    if event.get("file") is None:
        return "?"
    return f"{event['file']}:{event['line']}" if event.get("line") else event["file"]


def _event_text(event: dict, width: int) -> str:
    text = f"{event['action']:9} {_where(event):{width}}"
    if "value" in event:
        text += f"   {show(event['value'])}"
    notes = [n for n in (event.get("rule"), event.get("detail")) if n]
    if event["action"] == "marked" and event.get("detail"):
        notes = [f"{event['detail']} kept the earlier value"] + (
            [event["rule"]] if event.get("rule") else []
        )
    if notes:
        text += "   " + "; ".join(notes)
    return text.rstrip()


def show(value: Any) -> str:
    """A value as the text shows it (JSON's notation; maps and lists by size)."""
    if isinstance(value, dict) and "kind" in value:
        entries = value.get("entries")
        kind = value["kind"]
        return f"(a {kind} of {entries} entries)" if entries else f"(a {kind})"
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return value  # a secret's placeholder
    return json.dumps(value, ensure_ascii=False)
