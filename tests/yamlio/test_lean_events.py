"""The C parser's lean event classes (``graftpy.yamlio.lean_events``) stand in for
ruamel.yaml's without anyone telling the difference."""

from __future__ import annotations

import types

import pytest
from ruamel.yaml import events as ruamel_events

from graftpy.yamlio import lean_events
from graftpy.yamlio.cparser import events_module
from graftpy.yamlio.events import parse_events
from graftpy.yamlio.loader import parse_first_document

HOT = ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent", "MappingEndEvent", "SequenceEndEvent")
# the arguments the C parser passes, positionally (marks stand in as plain objects)
START, END = object(), object()
ARGS = {
    "ScalarEvent": ("anc", "tag:yaml.org,2002:str", (True, False), "text", START, END, "'"),
    "MappingStartEvent": ("anc", None, True, START, END, False),
    "SequenceStartEvent": (None, "!t", False, START, END, True),
    "MappingEndEvent": (START, END),
    "SequenceEndEvent": (START, END),
}


def _slots(event: object) -> dict[str, object]:
    names = {n for cls in type(event).__mro__ for n in getattr(cls, "__slots__", ())}
    return {n: getattr(event, n) for n in sorted(names)}


@pytest.mark.parametrize("name", HOT)
def test_a_lean_event_holds_what_ruamels_own_holds(name: str) -> None:
    lean = getattr(events_module(), name)
    original = getattr(ruamel_events, name)
    assert lean is not original and issubclass(lean, original)
    assert lean.__slots__ == ()  # no attribute of its own: the same layout
    assert _slots(lean(*ARGS[name])) == _slots(original(*ARGS[name]))
    assert hasattr(lean(*ARGS[name]), "__dict__") == hasattr(original(*ARGS[name]), "__dict__")


def test_the_c_parser_builds_the_lean_classes_and_ruamels_loader_still_reads() -> None:
    seen: list[type] = []

    def consume(get: object) -> None:
        while True:
            event = get()  # type: ignore[operator]
            seen.append(type(event))
            if isinstance(event, ruamel_events.StreamEndEvent):
                return

    parse_events(b"a: &x [1, {b: c}]\nd: *x\n", consume)
    built = events_module()
    for name in HOT:
        assert getattr(built, name) in seen
    assert all(issubclass(cls, ruamel_events.Event) for cls in seen)

    from ruamel.yaml import YAML  # ruamel.yaml's own C loader, on the same C parser

    assert YAML(typ="safe").load("a: &x [1, {b: c}]\nd: *x\n") == {
        "a": [1, {"b": "c"}],
        "d": [1, {"b": "c"}],
    }


def test_the_pure_parsers_events_become_lean_too() -> None:
    # libyaml refuses "h:4222" in a flow map; the pure-Python parser reads it
    assert parse_first_document(b"x: {url: nats://h:4222, n: [a:b]}\n", "f.yml") == {
        "x": {"url": "nats://h:4222", "n": ["a:b"]}
    }


def test_nothing_is_installed_for_constructors_it_was_not_written_for() -> None:
    class Changed(ruamel_events.ScalarEvent):
        __slots__ = ()

        def __init__(self, anchor, tag, implicit, value, start_mark=None, end_mark=None,
                     style=None, comment=None, extra=None):  # fmt: skip
            super().__init__(anchor, tag, implicit, value, start_mark, end_mark, style, comment)

    changed = types.SimpleNamespace(**{n: getattr(ruamel_events, n) for n in HOT})
    changed.ScalarEvent = Changed
    assert lean_events.lean_classes(changed) is None
    c_parser = types.SimpleNamespace(**{n: getattr(ruamel_events, n) for n in lean_events._BUILT})
    assert lean_events.install(c_parser, changed)["ScalarEvent"] is ruamel_events.ScalarEvent
