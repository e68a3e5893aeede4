"""``yaml.Marshal`` of graft's encoder (the 2016 go-yaml v2 fork), byte for byte.

This is libyaml's emitter state machine cut down to what graft's data produces
(block maps and lists, ``{}``/``[]`` for empty ones, scalars) with the same
bookkeeping: ``column``, ``indent``, ``whitespace`` and ``indention`` decide
every space and line break. Lines are folded at spaces past column 80 in plain
and quoted scalars; lists under a map key start at the key's own indentation.

String styles follow the encoder: a string that would read back as another type
(``"true"``, ``"1"``, ``""``) or a base-60 number is double-quoted; one holding
``\\n`` asks for a literal block (``|``); anything else asks for plain. The
emitter then falls back (plain -> single -> double, literal -> double) as its
analysis of the text requires.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError
from graftpy.yamlio.scalar_style import BREAKS, analyze, escape, needs_escape
from graftpy.yamlio.scalars import (
    BEST_WIDTH,
    DOUBLE,
    LITERAL,
    PLAIN,
    SINGLE,
    plain_as_is,
    scalar_text,
    short_plain,
)
from graftpy.yamlio.sortkeys import sorted_keys

CYCLE_MESSAGE = "Hit max recursion depth. You seem to have a self-referencing dataset"

BEST_INDENT = 2


class _Emitter:
    __slots__ = ("out", "column", "indent", "whitespace", "indention", "preserve_order")

    def __init__(self, preserve_order: bool) -> None:
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.whitespace = True
        self.indention = True
        self.preserve_order = preserve_order

    # -- low-level writers (libyaml's put / write_indent / write_indicator) --

    def write_indent(self) -> None:
        indent = self.indent if self.indent > 0 else 0
        column = self.column
        if not self.indention or column > indent or (column == indent and not self.whitespace):
            self.out.append("\n")
            column = 0
        if column < indent:
            self.out.append(" " * (indent - column))
            column = indent
        self.column = column
        self.whitespace = True
        self.indention = True

    def indicator(self, text: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.out.append(" ")
            self.column += 1
        self.out.append(text)
        self.column += len(text)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    # -- nodes --

    def node(self, value: Any, mapping_context: bool) -> None:
        t = value.__class__
        if t is dict:
            if value:
                self.block_mapping(value)
            else:
                self.indicator("{", True, True, False)
                self.indicator("}", False, False, False)
        elif t is list:
            if value:
                self.block_sequence(value, mapping_context)
            else:
                self.indicator("[", True, True, False)
                self.indicator("]", False, False, False)
        elif isinstance(value, dict):
            self.node(dict(value), mapping_context)
        elif isinstance(value, list | tuple):
            self.node(list(value), mapping_context)
        else:
            self.scalar(value, False)

    def block_mapping(self, mapping: dict) -> None:
        saved = self.indent
        self.indent = 0 if saved < 0 else saved + BEST_INDENT
        keys = list(mapping) if self.preserve_order else sorted_keys(list(mapping))
        out = self.out
        indent = self.indent
        pad = "\n" + " " * indent
        for key in keys:
            if self.indention:
                self.write_indent()
                lead, column = "", self.column
            else:  # write_indent after a value on the line: a break, then the indent
                lead, column = pad, indent
            value = mapping[key]
            plain_key = key.__class__ is str and len(key) <= 128 and plain_as_is(key)
            if plain_key:
                # fast path: "key:" then, for a short plain scalar, " value"
                text = short_plain(value, column + len(key))
                if text is not None:
                    out.append(f"{lead}{key}: {text}")
                    self.column = column + len(key) + 2 + len(text)
                    self.whitespace = self.indention = False
                    continue
            if lead:  # not the fast path: write_indent writes the break after all
                self.write_indent()
            if plain_key:
                out.append(key)
                out.append(":")
                self.column += len(key) + 1
                self.whitespace = self.indention = False
                self.node(value, True)
                continue
            text, style, tag = scalar_text(key)
            if len(text.encode("utf-8")) + len(tag) <= 128 and not _has_break(text):
                self.scalar_as(text, style, tag, True)
                self.indicator(":", False, False, False)
            else:  # not a simple key: "? key" then ": value" on its own line
                self.indicator("?", True, False, True)
                self.scalar_as(text, style, tag, False)
                self.write_indent()
                self.indicator(":", True, False, True)
            self.node(value, True)
        self.indent = saved

    def block_sequence(self, items: list, mapping_context: bool) -> None:
        saved = self.indent
        if saved < 0:
            self.indent = 0
        elif not (mapping_context and not self.indention):
            self.indent = saved + BEST_INDENT
        out = self.out
        indent = self.indent if self.indent > 0 else 0
        pad = "\n" + " " * indent
        for item in items:
            if self.indention:
                self.write_indent()
                lead, column = "", self.column
            else:  # write_indent after a value on the line: a break, then the indent
                lead, column = pad, indent
            text = short_plain(item, column + 1)
            if text is not None:
                out.append(f"{lead}- {text}")
                self.column = column + 2 + len(text)
                self.whitespace = self.indention = False
                continue
            if lead:  # not the fast path: write_indent writes the break after all
                self.write_indent()
            self.indicator("-", True, False, True)
            self.node(item, False)
        self.indent = saved

    def scalar(self, value: Any, simple_key: bool) -> None:
        text, style, tag = scalar_text(value)
        self.scalar_as(text, style, tag, simple_key)

    def scalar_as(self, text: str, style: str, tag: str, simple_key: bool) -> None:
        # yaml_emitter_select_scalar_style
        a = analyze(text)
        if simple_key and a.multiline:
            style = DOUBLE
        if style is PLAIN and (not a.block_plain or (simple_key and not text)):
            style = SINGLE
        if style is SINGLE and not a.single_quoted:
            style = DOUBLE
        if style is LITERAL and (not a.block or simple_key):
            style = DOUBLE
        if tag:  # yaml_emitter_process_tag
            if not self.whitespace:
                self.out.append(" ")
                self.column += 1
            self.out.append(tag)
            self.column += len(tag)
            self.whitespace = self.indention = False
        saved = self.indent
        self.indent = BEST_INDENT if saved < 0 else saved + BEST_INDENT
        if style is PLAIN:
            self.write_plain(text, not simple_key)
        elif style is DOUBLE:
            self.write_double(text, not simple_key)
        elif style is SINGLE:
            self.write_single(text, not simple_key)
        else:
            self.write_literal(text)
        self.indent = saved

    # -- scalar writers --

    def write_plain(self, text: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.out.append(" ")
            self.column += 1
        if not allow_breaks or " " not in text or self.column + len(text) <= BEST_WIDTH:
            self.out.append(text)
            self.column += len(text)
        else:
            self.flow_chars(text, allow_breaks, False)
        self.whitespace = False
        self.indention = False

    def write_single(self, text: str, allow_breaks: bool) -> None:
        self.indicator("'", True, False, False)
        quoted = text.replace("'", "''")
        if (
            not allow_breaks or " " not in text or self.column + len(quoted) <= BEST_WIDTH
        ) and not _has_break(text):
            self.out.append(quoted)
            self.column += len(quoted)
        else:
            self.flow_chars(text, allow_breaks, True)
        self.indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def flow_chars(self, text: str, allow_breaks: bool, single: bool) -> None:
        """Plain / single-quoted text char by char, folding long lines at spaces."""
        out = self.out
        spaces = breaks = False
        last = len(text) - 1
        for i, ch in enumerate(text):
            if ch == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > BEST_WIDTH
                    and (not single or 0 < i < last)
                    and (i == last or text[i + 1] != " ")
                ):
                    self.write_indent()
                else:
                    out.append(" ")
                    self.column += 1
                spaces = True
            elif ch in BREAKS:
                if not breaks and ch == "\n":
                    out.append("\n")
                self._write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if single and ch == "'":
                    out.append("'")
                    self.column += 1
                out.append(ch)
                self.column += 1
                self.indention = False
                spaces = breaks = False

    def _write_break(self, ch: str) -> None:
        self.out.append(ch)  # "\n" itself, or an LS/PS/NEL/CR written as is
        self.column = 0

    def write_double(self, text: str, allow_breaks: bool) -> None:
        self.indicator('"', True, False, False)
        out = self.out
        body = "".join("\\" + escape(ch) if needs_escape(ch) else ch for ch in text)
        if not allow_breaks or " " not in text or self.column + len(body) <= BEST_WIDTH:
            out.append(body)
            self.column += len(body)
        else:
            spaces = False
            last = len(text) - 1
            for i, ch in enumerate(text):
                if needs_escape(ch):
                    esc = "\\" + escape(ch)
                    out.append(esc)
                    self.column += len(esc)
                    spaces = False
                elif ch == " ":
                    if not spaces and self.column > BEST_WIDTH and 0 < i < last:
                        self.write_indent()
                        if text[i + 1] == " ":
                            out.append("\\")
                            self.column += 1
                    else:
                        out.append(" ")
                        self.column += 1
                    spaces = True
                else:
                    out.append(ch)
                    self.column += 1
                    spaces = False
        self.indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, text: str) -> None:
        self.indicator("|", True, False, False)
        hints = ""
        if text[0] == " " or text[0] in BREAKS:
            hints = str(BEST_INDENT)
        if text[-1] not in BREAKS:
            hints += "-"
        elif len(text) == 1 or text[-2] in BREAKS:
            hints += "+"
        if hints:
            self.indicator(hints, False, False, False)
        self.out.append("\n")
        self.column = 0
        self.indention = True
        self.whitespace = True
        pad = " " * self.indent
        if not _has_break(text, "\r\x85\u2028\u2029"):
            lines = text.split("\n")
            self.out.append("\n".join(pad + line if line else "" for line in lines))
            self.column = len(pad) + len(lines[-1]) if lines[-1] else 0
            self.indention = not lines[-1]
            return
        breaks = True
        for ch in text:
            if ch in BREAKS:
                self._write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.out.append(ch)
                self.column += 1
                self.indention = False
                breaks = False


def _has_break(text: str, breaks: str = "\r\n\x85\u2028\u2029") -> bool:
    return any(b in text for b in breaks)


def dump_yaml(data: Any, *, preserve_order: bool = False) -> str:
    """What graft's ``yaml.Marshal(data)`` returns: the document, ending in one newline.

    Keys are sorted as go-yaml sorts them, unless ``preserve_order`` (insertion order).
    """
    e = _Emitter(preserve_order)
    try:
        e.node(data, False)
    except RecursionError:
        raise GraftError(CYCLE_MESSAGE) from None
    # DOCUMENT-END: a final line break unless the last scalar already ended the line
    e.indent = -1
    e.write_indent()
    return "".join(e.out)
