"""YAML parser events for graftpy's composers: libyaml's C parser, and the way
around the one YAML 1.2 form it refuses.

libyaml 0.1 (the C parser ruamel.yaml.clib ships) refuses a ``:`` that is not
followed by a space inside a plain scalar of a flow collection
(``{url: nats://h:4222}``, ``[a:b]``), which YAML 1.2 and go-yaml, so graft,
read as part of the scalar. Such a text is read again with ruamel.yaml's
pure-Python parser, which follows YAML 1.2 there; every other text, and every
other error, stays with the C parser (it is many times faster).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
GetEvent = Callable[[], Any]


def parse_events(text: str | bytes, consume: Callable[[GetEvent], T]) -> T:
    """``consume(get_event)`` over the events of ``text``; its result.

    The events are instances of the classes ``cparser.events_module`` names.

    ``consume`` may be called twice (the second time from the start, with the
    pure-Python parser's events), so it must not have effects a first,
    failed call would leave behind. Raises the parser's ``YAMLError``.
    """
    from graftpy.yamlio.cparser import events_module

    events_module()  # imported as cparser says, its lean event classes installed

    import _ruamel_yaml  # the C extension of ruamel.yaml.clib

    parser = _ruamel_yaml.CParser(text)
    try:
        return consume(parser.get_event)
    except Exception as exc:
        if not refuses_flow_colon(exc):
            raise
    finally:
        parser.dispose()
    return consume(_pure_events(text).__next__)


def refuses_flow_colon(exc: BaseException) -> bool:
    """Whether ``exc`` is libyaml 0.1 refusing ``x:y`` in a flow collection."""
    from ruamel.yaml.scanner import ScannerError

    return (
        isinstance(exc, ScannerError)
        and exc.problem == "found unexpected ':'"
        and exc.context == "while scanning a plain scalar"
    )


def _pure_events(text: str | bytes) -> Iterator[Any]:
    from ruamel.yaml import YAML

    from graftpy.yamlio.cparser import events_module

    built = events_module()  # the composers compare classes with the C parser's
    for event in YAML(typ="safe", pure=True).parse(text):
        tag = getattr(event, "ctag", None)
        if tag is not None:  # a ruamel Tag: the composers compare plain strings
            event.ctag = str(tag)
        lean = getattr(built, type(event).__name__, None)
        if lean is not None and lean is not type(event):
            event.__class__ = lean  # a subclass with the same slots (lean_events)
        yield event
