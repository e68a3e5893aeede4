"""The human-readable report graft's ``diff`` prints (dyff's layout, no header).

Each difference is a blank line, its dot-style path, then one text block per
detail; blocks that fit the terminal width side by side are laid out as table
columns. Colours are optional ANSI escapes that never change the layout.
"""

from __future__ import annotations

import re

from graftpy.diff import neat
from graftpy.diff import nodes as n
from graftpy.diff.compare import ADDITION, MODIFICATION, ORDERCHANGE, REMOVAL, Detail, Diff, Path
from graftpy.diff.textdiff import DELETE, INSERT, diff_lines, diff_main

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

GREEN = (0x58, 0xBF, 0x38)
YELLOW = (0xC7, 0xC4, 0x3F)
RED = (0xB9, 0x31, 0x1B)
LIGHT_GREEN = (144, 238, 144)
LIGHT_RED = (255, 160, 122)
DIM_GRAY = (105, 105, 105)
_NEAT_RED = {
    "keyColor": (178, 34, 34),
    "dashColor": (178, 34, 34),
    "multiLineTextColor": (233, 150, 122),
}
_NEAT_GREEN = {
    "keyColor": (0, 128, 0),
    "dashColor": (0, 128, 0),
    "multiLineTextColor": (107, 142, 35),
}
_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def plural(amount: int, singular: str, many: str | None = None) -> str:
    number = _WORDS[amount] if amount < len(_WORDS) else str(amount)
    return f"{number} {singular if amount == 1 else (many or singular + 's')}"


def plain_length(text: str) -> int:
    return len(_ANSI.sub("", text))


class Report:
    """Renders a list of differences; ``width`` is the terminal width (80 off a terminal)."""

    def __init__(self, *, color: bool = False, width: int = 80, show_root: bool = False) -> None:
        self.color = color
        self.width = width
        self.show_root = show_root
        self.indent = 0

    # -- styling -------------------------------------------------------------
    def _fg(self, rgb: tuple[int, int, int], text: str) -> str:
        if not self.color:
            return text
        code = "\x1b[38;2;{};{};{}m".format(*rgb)
        return "\n".join(code + line + "\x1b[0m" if line else line for line in text.split("\n"))

    def _bold(self, text: str) -> str:
        return (
            "\n".join(f"\x1b[1m{line}\x1b[0m" if line else line for line in text.split("\n"))
            if self.color
            else text
        )

    def _yaml(
        self, node: n.Node, scheme: dict[str, tuple[int, int, int]], base: tuple[int, int, int]
    ) -> str:
        if not self.color:
            return neat.to_yaml(node)
        return neat.to_yaml(node, lambda text, role: self._fg(scheme.get(role, base), text))

    # -- layout --------------------------------------------------------------
    def render(self, diffs: list[Diff]) -> str:
        out = [self._diff(d) for d in diffs]
        return "".join(out) + "\n"

    def _diff(self, diff: Diff) -> str:
        head = "\n" + self._path(diff.path) + "\n"
        blocks = [self._detail(d) for d in diff.details]
        return head + self._blocks(self.indent, blocks)

    def _path(self, path: Path | None) -> str:
        if path is None:
            return self._bold("(file level)")
        if path.elements is None:
            text = self._bold("(root level)")
        else:
            parts = []
            for element in path.elements:
                if element.name:
                    parts.append(self._bold(element.name))
                elif element.idx >= 0:
                    parts.append(self._bold(str(element.idx)))
            text = ".".join(parts)
        if self.show_root:
            text += "  " + self._fg((176, 196, 222), f"({path.root_description()})")
        return text

    def _blocks(self, indent: int, blocks: list[str]) -> str:
        widest = indent + (len(blocks) - 1) * 3
        for block in blocks:
            widest += max(plain_length(line) for line in block.split("\n"))
        if widest > self.width:
            return "".join(
                " " * indent + line + "\n" for block in blocks for line in block.split("\n")
            )
        return table(blocks, "   ", indent)

    # -- details -------------------------------------------------------------
    def _detail(self, detail: Detail) -> str:
        if detail.kind == ADDITION:
            return self._added_or_removed(detail.new, "added", GREEN, _NEAT_GREEN, (50, 205, 50), 2)
        if detail.kind == REMOVAL:
            return self._added_or_removed(
                detail.old, "removed", RED, _NEAT_RED, (240, 128, 128), self.indent
            )
        if detail.kind == MODIFICATION:
            return self._modification(detail)
        return self._order_change(detail)

    def _added_or_removed(self, node, verb, color, scheme, base, indent) -> str:  # noqa: ANN001
        symbol = ADDITION if verb == "added" else REMOVAL
        if node.kind == n.DOCUMENT:
            what = plural(len(node.content), "document")
        elif node.kind == n.SEQUENCE:
            what = plural(len(node.content), "list entry", "list entries")
        else:
            what = plural(len(node.content) // 2, "map entry", "map entries")
        head = self._fg(YELLOW, f"{symbol} {what} {verb}:\n")
        neat.restructure(node)
        return head + self._blocks(indent, [self._yaml(node, scheme, base)])

    def _modification(self, detail: Detail) -> str:
        old, new = detail.old, detail.new
        old_type, new_type = type_name(old), type_name(new)
        if old_type == new_type == "string":
            assert old is not None and new is not None
            return self._string_change(old.value, new.value)
        if old_type == new_type == "binary":
            assert old is not None and new is not None
            return self._binary_change(old.value, new.value)
        if old_type != new_type:
            head = self._fg(YELLOW, f"{MODIFICATION} type change from {old_type} to {new_type}\n")
        else:
            head = self._fg(YELLOW, f"{MODIFICATION} value change\n")
        before = yaml_string(old).rstrip("\n")
        after = yaml_string(new).rstrip("\n")
        return (
            head
            + self._fg(RED, prefixed("- ", before, self.indent))
            + self._fg(GREEN, prefixed("+ ", after, self.indent))
        )

    def _string_change(self, old: str, new: str) -> str:
        certs = _certificates(old, new)
        if certs is not None:
            return self._fg(YELLOW, f"{MODIFICATION} certificate change\n") + self._by_line(*certs)
        if old.strip(" \n") == new.strip(" \n"):
            head = self._fg(YELLOW, f"{MODIFICATION} whitespace only change\n")
            return head + self._blocks(
                0,
                [
                    self._fg(RED, prefixed("- ", self._show_whitespace(old), self.indent)),
                    self._fg(GREEN, prefixed("+ ", self._show_whitespace(new), self.indent)),
                ],
            )
        if "\n" in old or "\n" in new:
            return self._multiline_change(old, new)
        head = self._fg(YELLOW, f"{MODIFICATION} value change\n")
        if self.color and _levenshtein(old, new) <= 4:
            parts = diff_main(old, new)
            minus = "".join(
                self._bold(self._fg(RED, t)) if op == DELETE else self._fg(LIGHT_RED, t)
                for op, t in parts
                if op != INSERT
            )
            plus = "".join(
                self._bold(self._fg(GREEN, t)) if op == INSERT else self._fg(LIGHT_GREEN, t)
                for op, t in parts
                if op != DELETE
            )
            pad = " " * self.indent
            return (
                head
                + self._fg(RED, pad + "- ")
                + minus
                + "\n"
                + self._fg(GREEN, pad + "+ ")
                + plus
                + "\n"
            )
        return (
            head
            + self._fg(RED, prefixed("- ", old, self.indent))
            + self._fg(GREEN, prefixed("+ ", new, self.indent))
        )

    def _multiline_change(self, old: str, new: str) -> str:
        inserts = deletes = 0
        body = []
        for op, text in diff_lines(old, new):
            if op == INSERT:
                body.append(self._fg(GREEN, continuous("+ ", text, self.indent)))
                inserts += 1
            elif op == DELETE:
                body.append(self._fg(RED, continuous("- ", text, self.indent)))
                deletes += 1
        head = f"{MODIFICATION} value change in multiline text ({plural(inserts, 'insert')}, {plural(deletes, 'deletion')})\n"
        return self._fg(YELLOW, head) + "".join(body) + "\n"

    def _show_whitespace(self, text: str) -> str:
        return text.replace("\n", self._bold("↵\n")).replace(" ", self._bold("·"))

    def _binary_change(self, old: str, new: str) -> str:
        import base64
        import binascii

        try:
            before, after = (
                base64.b64decode(old, validate=True),
                base64.b64decode(new, validate=True),
            )
        except (binascii.Error, ValueError):
            from graftpy.diff.load import DiffError

            raise DiffError("illegal base64 data at input byte 0") from None
        head = self._fg(YELLOW, f"{MODIFICATION} content change\n")
        return head + self._blocks(
            0,
            [
                self._fg(RED, prefixed("- ", hex_dump(before), self.indent)),
                self._fg(GREEN, prefixed("+ ", hex_dump(after), self.indent)),
            ],
        )

    def _by_line(self, old: str, new: str) -> str:
        old_lines, new_lines = old.split("\n"), new.split("\n")
        if len(old_lines) != len(new_lines):
            return self._blocks(
                0,
                [
                    self._fg(RED, prefixed("- ", old, self.indent)),
                    self._fg(GREEN, prefixed("+ ", new, self.indent)),
                ],
            )
        marked_old, marked_new = [], []
        for a, b in zip(old_lines, new_lines, strict=True):
            marked_old.append(self._fg(RED if a != b else LIGHT_RED, a))
            marked_new.append(self._fg(GREEN if a != b else LIGHT_GREEN, b))
        return self._blocks(
            0,
            [
                prefixed(self._fg(RED, "- "), "\n".join(marked_old), self.indent),
                prefixed(self._fg(GREEN, "+ "), "\n".join(marked_new), self.indent),
            ],
        )

    def _order_change(self, detail: Detail) -> str:
        out = self._fg(YELLOW, f"{ORDERCHANGE} order changed\n")
        assert detail.old is not None and detail.new is not None
        before = [e.value if e.value else yaml_string(e) for e in detail.old.content]
        after = [e.value if e.value else yaml_string(e) for e in detail.new.content]

        def one_line(items: list[str]) -> int:
            return sum(plain_length(x) for x in items) + (len(items) - 1) * 2

        pad = " " * self.indent
        if max(one_line(before), one_line(after)) < self.width // 2:
            return (
                out
                + self._fg(RED, pad + "- " + ", ".join(before) + "\n")
                + self._fg(GREEN, pad + "+ " + ", ".join(after) + "\n")
            )
        return out + table(
            [self._fg(RED, "\n".join(before)), self._fg(GREEN, "\n".join(after))], " ", 2
        )


def type_name(node: n.Node | None) -> str:
    """dyff's human name of a node's type: map, list, string, int, <nil>, ..."""
    if node is None:
        return "<nil>"
    if node.kind == n.DOCUMENT:
        return "document"
    if node.kind == n.MAPPING:
        return "map"
    if node.kind == n.SEQUENCE:
        return "list"
    if node.kind == n.ALIAS:
        return type_name(node.target)
    if node.tag == n.STR:
        return "string"
    if node.tag == n.NULL:
        return "<nil>"
    return node.tag[2:]


def yaml_string(node: n.Node | None) -> str:
    if node is None or node.tag == n.NULL:
        return "<nil>"
    return neat.to_yaml(node)


def prefixed(prefix: str, text: str, indent: int) -> str:
    """First line after ``prefix``, the others aligned under it; one newline each."""
    pad = " " * indent
    hang = " " * (plain_length(prefix) + indent)
    return "".join(
        (pad + prefix if i == 0 else hang) + line + "\n" for i, line in enumerate(text.split("\n"))
    )


def continuous(prefix: str, text: str, indent: int) -> str:
    """Every line after ``prefix`` (a trailing newline of ``text`` adds no line)."""
    if text.endswith("\n"):
        text = text[:-1]
    return "".join(" " * indent + prefix + line + "\n" for line in text.split("\n"))


def table(columns: list[str], separator: str, indent: int) -> str:
    """Text blocks side by side, each column padded to its widest line."""
    split = [col.split("\n") for col in columns]
    widths = [max(plain_length(line) for line in lines) for lines in split]
    rows = max(len(lines) for lines in split)
    out = []
    for r in range(rows):
        cells = []
        for lines, width in zip(split, widths, strict=True):
            line = lines[r] if r < len(lines) else ""
            cells.append(" " * indent + line + " " * (width - plain_length(line)))
        out.append(separator.join(cells).rstrip(" "))
    return "\n".join(out)


def hex_dump(data: bytes) -> str:
    """Go's ``hex.Dump``: offset, 16 hex bytes in two groups, then the printable text."""
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        hexes = [f"{b:02x}" for b in chunk]
        left = " ".join(hexes[:8])
        right = " ".join(hexes[8:])
        text = "".join(chr(b) if 32 <= b <= 126 else "." for b in chunk)
        body = f"{left:<23}  {right:<23}"
        lines.append(f"{offset:08x}  {body}  |{text}|\n")
    return "".join(lines)


def _levenshtein(a: str, b: str) -> int:
    """Edit distance with substitutions costing 2 (an insert plus a delete)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (0 if ca == cb else 2))
            )
        previous = current
    return previous[-1]


def _certificates(old: str, new: str) -> tuple[str, str] | None:
    """Summaries of two PEM certificates, or None when either is not one."""
    if "-----BEGIN" not in old or "-----BEGIN" not in new:
        return None
    from graftpy.diff.certs import summary

    try:
        before, after = summary(old), summary(new)
    except ImportError:  # pragma: no cover - cryptography is optional
        return None
    if before is None or after is None:
        return None
    return before, after
