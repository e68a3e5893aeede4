"""Map keys that stay distinct the way Go's typed keys do.

go-yaml decodes a map into ``map[interface{}]interface{}``, where the keys
``true``, ``1`` and ``1.0`` are three different keys (a bool, an int and a
float64). In a Python dict ``True == 1 == 1.0`` and they would collide, the
later silently replacing the earlier. The loader therefore gives the number keys
that can equal a key of another type (the ints 0 and 1, floats with an integral
value) a type of their own: ``IntKey`` and ``FloatKey`` are unequal to the
keys of the other types. They print, sort and format as the plain int or float. Booleans, other
numbers and strings stay plain, so ordinary maps see no difference.
"""

from __future__ import annotations

from typing import Any


class IntKey(int):
    """The key ``0`` or ``1``: unequal to ``false``/``true`` and ``0.0``/``1.0``.

    Against plain ints it compares as the int it is (``key == 0``), but its hash
    differs from theirs, so a dict keeps it apart from them all.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is bool or isinstance(other, float):
            return False
        return int(self) == other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((IntKey, int(self)))

    def __repr__(self) -> str:
        return int.__repr__(self)


class FloatKey(float):
    """A float key with an integral value (``1.0``): unequal to every int and bool.

    It hashes as the float, so ``doc[1.0]`` finds it.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return not isinstance(other, int) and float(self) == other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return float.__repr__(self)


def typed_key(key: Any) -> Any:
    """``key`` as the loader stores it: a type of its own where it could collide."""
    t = key.__class__
    if t is int:
        return IntKey(key) if key == 0 or key == 1 else key
    if t is float:
        return FloatKey(key) if key.is_integer() else key
    return key


def plain_key(key: Any) -> Any:
    """The plain int or float of a typed key (anything else as it is)."""
    t = key.__class__
    if t is IntKey:
        return int(key)
    if t is FloatKey:
        return float(key)
    return key
