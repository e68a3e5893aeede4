"""Whole input files to root values, with graft's naming of documents in errors."""

from __future__ import annotations

from typing import Any

from graftpy.errors import FileError
from graftpy.yamlio.loader import (
    NO_DOCUMENT,
    Warn,
    decode_text,
    parse_first_document,
    read_source,
    split_documents,
    write_warning,
)
from graftpy.yamlio.resolve import LEGACY

NOT_A_MAP = "Root of YAML document is not a hash/map:"


def display_name(source: str) -> str:
    """graft calls standard input ``STDIN`` once it has read it."""
    return "STDIN" if source == "-" else source


def _split(text: str | bytes) -> list[Any]:
    if isinstance(text, bytes):
        parts = text.split(b"\n---\n")
        return parts[1:] if parts[0] == b"" else parts
    return split_documents(text)


def _root(value: Any) -> Any:
    # DIVERGENCES row 6: an empty or comment-only (or null) document is {}.
    return {} if value is NO_DOCUMENT or value is None else value


def _parse(text: str | bytes, name: str, go_patch: bool, warn: Warn, lines: Any = None) -> Any:
    """One document as graft reads an input file; with ``go_patch``, a list root is
    read again as graft reads go-patch operations (the 2016 fork's rules).

    ``lines``: a ``positions.Lines`` the loader notes the first read's lines in."""
    warnings: list[str] = []
    root = parse_first_document(text, name, warn=warnings.append, lines=lines)
    if go_patch and isinstance(root, list):
        return parse_first_document(text, name, schema=LEGACY)
    for line in warnings:
        warn(line)
    return _root(root)


def load_named(
    text: str | bytes,
    source: str,
    *,
    multi_doc: bool = False,
    go_patch: bool = False,
    warn: Warn = write_warning,
) -> list[tuple[str, Any]]:
    """``(name, root)`` per document: ``file`` alone, or ``file[i]`` with ``multi_doc``.

    ``warn`` receives warning lines (a key given twice in one map); by default they
    go to stderr.
    """
    parts = load_parts(text, source, multi_doc=multi_doc, go_patch=go_patch, warn=warn)
    return [(name, root) for name, root, _ in parts]


def load_parts(
    text: str | bytes,
    source: str,
    *,
    multi_doc: bool = False,
    go_patch: bool = False,
    warn: Warn = write_warning,
) -> list[tuple[str, Any, str | bytes]]:
    """``load_named``, with the text each document was read from (for its positions:
    ``graftpy.yamlio.positions.line_table``)."""
    return [
        (doc_name, _parse(part, doc_name, go_patch, warn), part)
        for doc_name, part in _named_parts(text, source, multi_doc)
    ]


def load_noted_parts(
    text: str | bytes,
    source: str,
    *,
    multi_doc: bool = False,
    go_patch: bool = False,
    warn: Warn = write_warning,
) -> list[tuple[str, Any, str | bytes, Any]]:
    """``load_parts``, each part with the ``positions.Lines`` the loader noted as it
    read it (lines of the part's own text), or None for go-patch operations."""
    from graftpy.yamlio.positions import Lines

    noted = []
    for doc_name, part in _named_parts(text, source, multi_doc):
        lines: Any = Lines()
        root = _parse(part, doc_name, go_patch, warn, lines)
        if go_patch and isinstance(root, list):
            lines = None  # read again by other rules: its keys may differ from those noted
        noted.append((doc_name, root, part, lines))
    return noted


def _named_parts(text: str | bytes, source: str, multi_doc: bool) -> list[tuple[str, Any]]:
    """``(name, text)`` of each document: the whole text, or each ``-m`` part."""
    name = display_name(source)
    if not multi_doc:
        return [(name, text)]
    return [(f"{name}[{i}]", part) for i, part in enumerate(_split(text))]


def load_documents(
    text: str | bytes, source: str, *, multi_doc: bool = False, warn: Warn = write_warning
) -> list[Any]:
    """Root values of ``text``: its first document, or every ``-m`` document."""
    return [root for _, root in load_named(text, source, multi_doc=multi_doc, warn=warn)]


def load_file_named(
    path: str, *, multi_doc: bool = False, go_patch: bool = False
) -> list[tuple[str, Any]]:
    """``load_named`` of a file (``-`` reads STDIN, then named ``STDIN``)."""
    data, name = read_source(path)
    return load_named(decode_text(data, name), name, multi_doc=multi_doc, go_patch=go_patch)


def load_file(path: str, *, multi_doc: bool = False) -> list[Any]:
    """Root values of a file (``-`` reads STDIN)."""
    return [root for _, root in load_file_named(path, multi_doc=multi_doc)]


def require_map(doc: Any, source: str) -> dict:
    """``doc`` itself when it is a map, else graft's "not a hash/map" error."""
    if isinstance(doc, dict):
        return doc
    raise FileError(NOT_A_MAP, file=display_name(source))
