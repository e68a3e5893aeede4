"""The C parser's commonest events, built with one call instead of three.

libyaml's C parser (``_ruamel_yaml``) makes every event by calling ruamel.yaml's
event class, whose ``__init__`` calls its parents' in turn (``ScalarEvent`` ->
``NodeEvent`` -> ``Event``): three Python frames per scalar, a seventh of the
instructions of loading a large document. The classes here are subclasses of
ruamel's with no slots of their own and one ``__init__`` that sets the very
slots ruamel's chain sets, to the same values. ``install`` puts them where the C
parser looks its classes up (its module's globals), so every user of the C
parser, ruamel.yaml's own loaders included, gets events that are instances of
ruamel's classes and hold the same attributes.

``install`` does nothing unless ruamel's constructors take exactly the
arguments these were written for (a later ruamel.yaml may change them): then
the C parser keeps ruamel's classes, and the composers still work, only slower.
"""

from __future__ import annotations

from typing import Any

# the parameters of ruamel.yaml's constructors these classes stand in for
_SCALAR = ("self", "anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style", "comment")
_COLLECTION = (
    "self", "anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style", "comment",
    "nr_items",
)  # fmt: skip
_END = ("self", "start_mark", "end_mark", "comment")


def _parameters(cls: type) -> tuple[str, ...]:
    code = cls.__init__.__code__  # type: ignore[misc]
    return code.co_varnames[: code.co_argcount]


def lean_classes(events: Any) -> dict[str, type] | None:
    """Lean subclasses of ``events``' (ruamel.yaml.events) hot classes, by name;
    None when ruamel's constructors are not the ones these were written for."""
    base_scalar, base_map = events.ScalarEvent, events.MappingStartEvent
    base_seq, base_map_end, base_seq_end = (
        events.SequenceStartEvent,
        events.MappingEndEvent,
        events.SequenceEndEvent,
    )
    if not (
        _parameters(base_scalar) == _SCALAR
        and _parameters(base_map) == _parameters(base_seq) == _COLLECTION
        and _parameters(base_map_end) == _parameters(base_seq_end) == _END
    ):
        return None

    def scalar_init(
        self: Any,
        anchor: Any,
        tag: Any,
        implicit: Any,
        value: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        style: Any = None,
        comment: Any = None,
    ) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.value = value
        self.style = style

    def collection_init(
        self: Any,
        anchor: Any,
        tag: Any,
        implicit: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        flow_style: Any = None,
        comment: Any = None,
        nr_items: Any = None,
    ) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.flow_style = flow_style
        self.nr_items = nr_items

    def end_init(self: Any, start_mark: Any = None, end_mark: Any = None, comment: Any = None) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment

    def lean(base: type, init: Any) -> type:
        return type(base.__name__, (base,), {"__slots__": (), "__init__": init, "__module__": __name__})

    return {
        "ScalarEvent": lean(base_scalar, scalar_init),
        "MappingStartEvent": lean(base_map, collection_init),
        "SequenceStartEvent": lean(base_seq, collection_init),
        "MappingEndEvent": lean(base_map_end, end_init),
        "SequenceEndEvent": lean(base_seq_end, end_init),
    }


def install(c_parser_module: Any, events: Any) -> dict[str, type]:
    """Have the C parser build the lean classes; returns the classes it now builds,
    by name (ruamel's own where nothing was installed)."""
    classes = lean_classes(events)
    if classes is not None:
        for name, cls in classes.items():
            setattr(c_parser_module, name, cls)
    return {name: getattr(c_parser_module, name) for name in _BUILT}


# every event class the C parser builds
_BUILT = (
    "StreamStartEvent",
    "StreamEndEvent",
    "DocumentStartEvent",
    "DocumentEndEvent",
    "AliasEvent",
    "ScalarEvent",
    "SequenceStartEvent",
    "SequenceEndEvent",
    "MappingStartEvent",
    "MappingEndEvent",
)
