"""YAML merge keys (``<<: *base``), in the two flavours graft meets.

* go-yaml v3 (graft's input files): the map's own keys win over merged ones,
  wherever ``<<`` stands; in a list of maps the first map that has a key wins.
* go-yaml v2 and its 2016 fork (``(( load ))`` and go-patch files): merged keys override the keys
  before ``<<`` and are overridden by those after it; in a list, earlier maps win.

The value must be a map, an alias of one, or a list of maps written in place.
"""

from __future__ import annotations

from typing import Any

from graftpy.yamlio.errors import YAMLSyntaxError, event_position


def check_merge_value(value: Any, source: str, e: Any, from_alias: bool) -> None:
    """Raise go-yaml's error unless ``value`` can be merged."""
    if value.__class__ is dict:
        return
    if value.__class__ is list and not from_alias and all(item.__class__ is dict for item in value):
        return
    raise YAMLSyntaxError(
        source, "map merge requires map or sequence of maps as the value", **event_position(e)
    )


def add_merged(target: dict, value: dict | list) -> None:
    """go-yaml v3: add the merged keys ``target`` does not have yet."""
    for source in value if value.__class__ is list else (value,):
        for k, v in source.items():
            if k not in target:
                target[k] = v


def merge_v2(target: dict, value: Any, source: str, e: Any, from_alias: bool) -> None:
    """go-yaml v2: merge now, so that later keys override the merged ones."""
    check_merge_value(value, source, e, from_alias)
    for item in reversed(value) if value.__class__ is list else (value,):
        target.update(item)
