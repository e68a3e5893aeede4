"""How much operators may build: bounds that real manifests never reach, and that
stop a bomb (``concat`` doubling, a ``cartesian-product`` of 10^15, ``ips`` of
10^8 addresses, grabs fanning out to 10^10 values) with a clear error in bounded
memory and time, before the value is built.

==========================  ===========  =============================================
variable                    default      bounds
==========================  ===========  =============================================
``GRAFT_MAX_STRING_BYTES``  67108864     characters of one string an operator builds
                            (64 MiB)     (concat, join, stringify, base64, file...)
``GRAFT_MAX_LIST_ITEMS``    1000000      entries of one list an operator builds
                                         (cartesian-product, ips, grab of several
                                         lists, static_ips pools)
``GRAFT_MAX_VALUES``        2000000      values (map entries, list entries, scalars)
                                         that operators write into the document over a
                                         run: grabs copying grabs of grabs
==========================  ===========  =============================================

The largest manifests of the benchmarks (50,000 operators) stay below a tenth of
each. Raise a bound by setting its variable (a whole number above 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from graftpy.errors import GraftError, UsageError

STRING_ENV = "GRAFT_MAX_STRING_BYTES"
ITEMS_ENV = "GRAFT_MAX_LIST_ITEMS"
VALUES_ENV = "GRAFT_MAX_VALUES"


class Limits(NamedTuple):
    max_string: int = 64 * 1024 * 1024
    max_items: int = 1_000_000
    max_values: int = 2_000_000


DEFAULTS = Limits()
_STATE_KEY = "limits"


def from_env(env: Mapping[str, str]) -> Limits:
    return Limits(
        _bound(env, STRING_ENV, DEFAULTS.max_string),
        _bound(env, ITEMS_ENV, DEFAULTS.max_items),
        _bound(env, VALUES_ENV, DEFAULTS.max_values),
    )


def of(ctx: Any) -> Limits:
    """The run's limits (read from its environment once, kept in ``ctx.state``)."""
    extra = ctx.state.extra
    found = extra.get(_STATE_KEY)
    if found is None:
        found = extra[_STATE_KEY] = from_env(ctx.settings.env)
    return found


def check_string(ctx: Any, what: str, length: int) -> None:
    """Refuse to build a string of ``length`` characters over the run's bound."""
    bound = of(ctx).max_string
    if length > bound:
        raise GraftError(
            f"{what} would build a string of {length} characters, more than "
            f"{STRING_ENV} ({bound})"
        )


def check_items(ctx: Any, what: str, count: int) -> None:
    """Refuse to build a list of ``count`` entries over the run's bound."""
    bound = of(ctx).max_items
    if count > bound:
        raise GraftError(
            f"{what} would build a list of {count} entries, more than {ITEMS_ENV} ({bound})"
        )


def values_exceeded(bound: int) -> GraftError:
    return GraftError(
        f"operators wrote more than {bound} values into the document "
        f"(grabs of grabs fanning out?); {VALUES_ENV} sets the bound"
    )


def _bound(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise UsageError(f"{name} must be a whole number above 0, not '{raw}'")
    return value
