"""Which YAML styles a string may take, as libyaml's ``yaml_emitter_analyze_scalar``
decides it in go-yaml's emitter, and the text of its escapes.

Only block context matters to graft's output (the encoder writes flow style
for empty maps and lists only, which hold no scalars).
"""

from __future__ import annotations

from graftpy.lazy_regex import LazyPattern

BREAKS = frozenset("\r\n\x85\u2028\u2029")
_BLANKZ = frozenset(" \t\r\n\x85\u2028\u2029\x00")
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")

# Strings that are plain-safe without looking closer: printable ASCII without
# indicators, not starting with "-", ".", or a space.
_BORING = LazyPattern(r"[A-Za-z0-9_/=+()$^~<;\\][A-Za-z0-9_./=+()$^~<;\\ -]*\Z")

_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


def is_printable(ch: str) -> bool:
    """libyaml's ``is_printable`` (on the UTF-8 form): what may appear unescaped."""
    c = ord(ch)
    if c < 0x80:
        return c == 0x0A or 0x20 <= c <= 0x7E
    return 0xA0 <= c <= 0xD7FF or (0xE000 <= c <= 0xFFFD and c != 0xFEFF)


def escape(ch: str) -> str:
    """The double-quoted escape of a character (without the backslash)."""
    short = _ESCAPES.get(ch)
    if short is not None:
        return short
    c = ord(ch)
    if c <= 0xFF:
        return f"x{c:02X}"
    if c <= 0xFFFF:
        return f"u{c:04X}"
    return f"U{c:08X}"


def needs_escape(ch: str) -> bool:
    return not is_printable(ch) or ch in BREAKS or ch == '"' or ch == "\\"


class Analysis:
    """What ``yaml_emitter_analyze_scalar`` found out about a string."""

    __slots__ = ("multiline", "block_plain", "single_quoted", "block")

    def __init__(self, multiline: bool, block_plain: bool, single_quoted: bool, block: bool):
        self.multiline = multiline
        self.block_plain = block_plain
        self.single_quoted = single_quoted
        self.block = block


_PLAIN_OK = Analysis(False, True, True, True)
_EMPTY = Analysis(False, True, True, False)


# the characters libyaml's is_printable rejects (a negated class compiles slowly)
_SPECIAL = LazyPattern(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)
_BREAK = LazyPattern("[\r\n\x85\u2028\u2029]")
_BREAK_SPACE = LazyPattern("[\r\n\x85\u2028\u2029] ")
_SPACE_BREAK = LazyPattern(" [\r\n\x85\u2028\u2029]")
# ": " (or ":" at the end) and " #" after the first character
_INNER_INDICATOR = LazyPattern("(?s).(?::(?:[ \t]|\\Z)|(?<=[ \t\r\n\x85\u2028\u2029\x00])#)")

_cache: dict[str, Analysis] = {}


def boring(value: str) -> bool:
    """Plain-safe in block context at a glance (no indicator, no special character)."""
    return _BORING.match(value) is not None and value[-1] != " "


def analyze(value: str) -> Analysis:
    """``yaml_emitter_analyze_scalar`` for block context (results are cached)."""
    if _BORING.match(value) and value[-1] != " ":
        return _PLAIN_OK
    hit = _cache.get(value)
    if hit is None:
        hit = _analyze(value)
        if len(_cache) < 100_000:
            _cache[value] = hit
    return hit


def _analyze(value: str) -> Analysis:
    if not value:
        return _EMPTY
    first, last = value[0], value[-1]
    indicators = (
        value.startswith("---")
        or value.startswith("...")
        or first in _FIRST_INDICATORS
        or (first in "?:-" and (len(value) == 1 or value[1] in " \t"))
        or _INNER_INDICATOR.search(value) is not None
    )
    special = _SPECIAL.search(value) is not None
    line_breaks = _BREAK.search(value) is not None
    break_space = line_breaks and _BREAK_SPACE.search(value) is not None
    space_break = line_breaks and _SPACE_BREAK.search(value) is not None
    edge = first == " " or last == " " or first in BREAKS or last in BREAKS
    plain = not (edge or break_space or space_break or special or line_breaks or indicators)
    single = not (break_space or space_break or special)
    block = not (last == " " or space_break or special)
    return Analysis(line_breaks, plain, single, block)
