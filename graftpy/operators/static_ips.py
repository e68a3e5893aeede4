"""(( static_ips N ... )): BOSH static IP addresses for the instances of a job.

The call sits at ``jobs.<job>.networks.<net>.static_ips`` (or under
``instance_groups``). Each argument is an offset (``3``) or ``<az>:<offset>``
into the static pool of network ``<net>``, built from the ``static`` ranges of
its subnets, per availability zone, in document order. An address is handed
out once per run: a second claim is an error naming the first owner
(``web/0``). That run-wide claim table is why the operator is not parallel-safe.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators._calc_eval import to_int64
from graftpy.operators._gosyntax import go_str, go_syntax
from graftpy.operators._netaddr import IP, parse_ip, to_string
from graftpy.operators.base import Operator, Response
from graftpy.tree import Path, TypeMismatchError, canonical, glob, parse_path, resolve
from graftpy.tree.lookup import NotFoundError

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call

JOB_GROUPS = ("jobs", "instance_groups")
UNDEFINED_AZ = "__UNDEFINED_AZ__"
USED_KEY = "static_ips.used"  # RunState.extra: address -> "job/index" that claimed it
_INT = re.compile(r"[+-]?[0-9]+\Z")
_FORMAT = "static_ips operator arguments must have format <az>:<number> or <number>"

# What static_ips reads, besides its arguments (graft tracks the same places).
_READS = [
    parse_path(p)
    for p in (
        "networks.*.name",
        "networks.*.subnets.*.static",
        "networks.*.subnets.*.az",
        "networks.*.subnets.*.azs",
        *(
            f"{g}.*.{leaf}"
            for g in JOB_GROUPS
            for leaf in ("name", "instances", "azs", "networks.*.name")
        ),
    )
]


def expand(tree: Any, pattern: Path) -> Iterator[Path]:
    """Concrete paths matching ``pattern`` (``*`` = every entry).

    Where the walk meets a scalar before the pattern ends, that scalar's path is
    yielded: it may be an operator call that will produce the missing container.
    """

    def walk(o: Any, here: Path, rest: Path) -> Iterator[Path]:
        if not rest:
            yield here
            return
        key, tail = rest[0], rest[1:]
        if isinstance(o, dict):
            items = [(sprint(k), v) for k, v in o.items()] if key == "*" else []
            if key != "*" and key in o:
                items = [(key, o[key])]
            for k, v in items:
                yield from walk(v, (*here, k), tail)
        elif isinstance(o, list):
            if key == "*":
                for i, v in enumerate(o):
                    yield from walk(v, (*here, str(i)), tail)
            elif key.isdigit() and int(key) < len(o):
                yield from walk(o[int(key)], (*here, key), tail)
        elif here:
            yield here

    yield from walk(tree, (), pattern)


def _resolve_string(tree: Any, path: Path) -> str:
    """goutils' ResolveString: strings and ints only."""
    v = resolve(tree, path)
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise TypeMismatchError(path, "a string")


def _parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64)."""
    if not _INT.match(text):
        return None
    n = int(text)
    return n if -(2**63) <= n < 2**63 else None


def current_job(here: Path) -> Path:
    c = list(here)
    while c and (len(c) < 2 or c[-2] not in JOB_GROUPS):
        c.pop()
    if not c:
        raise GraftError("not currently inside of a job definition block")
    return tuple(c)


def _u32(ip: IP, start: IP, end: IP) -> int:
    if not ip.v4:
        raise GraftError(
            f"Static IP pool [{to_string(start)} - {to_string(end)}] is not an IPv4 range"
        )
    return ip.value


def _parse_address(text: str) -> IP:
    ip = parse_ip(text)
    if ip is None:
        raise GraftError(f"{text}: not a valid IP address")
    return ip


def _subnet_zones(tree: Any, subnet: Path) -> list[str]:
    zones: list[str] = []
    try:
        z = _resolve_string(tree, (*subnet, "az"))
        if z:
            zones.append(z)
    except GraftError:
        pass
    try:
        zs = resolve(tree, (*subnet, "azs"))
    except GraftError:
        zs = None
    if isinstance(zs, list):
        zones += [z for z in zs if isinstance(z, str) and z]
    return zones


def statics(
    tree: Any, here: Path, max_items: int | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """The static pool of the call's network per AZ, and every AZ in subnet order.

    ``max_items`` bounds the pool (``graftpy.limits``): ``0.0.0.0 - 255.255.255.255``
    would be four billion addresses."""
    if max_items is None:
        max_items = limits.DEFAULTS.max_items
    size = 0
    pools: dict[str, list[str]] = {}
    azs: list[str] = []
    name = _resolve_string(tree, (*here[:-1], "name"))
    for key in glob(tree, parse_path(f"networks.{name}.subnets.*")):
        subnet = canonical(tree, key)
        zones = _subnet_zones(tree, subnet) or ["z1"]
        azs += zones
        for entry in glob(tree, (*subnet, "static", "*")):
            spec = resolve(tree, entry)
            if not isinstance(spec, str):
                raise GraftError(f"{name} is not a well-formed BOSH network")
            segments = [s.strip() for s in spec.split("-")]
            start = _parse_address(segments[0])
            for az in zones:
                pools.setdefault(az, []).append(to_string(start))
            if len(segments) != 2:
                continue
            end = _parse_address(segments[1])
            first, last = _u32(start, start, end), _u32(end, start, end)
            if first > last:
                raise GraftError(
                    f"Static IP pool [{to_string(start)} - {to_string(end)}] ends before it starts"
                )
            size += (last - first) * len(zones)
            if size > max_items:
                raise GraftError(
                    f"static_ips: the static pools of {name} hold more than "
                    f"{max_items} addresses, more than {limits.ITEMS_ENV} allows"
                )
            for value in range(first + 1, last + 1):
                text = to_string(IP(value, True))
                for az in zones:
                    pools[az].append(text)
    return pools, azs


def all_ips(pools: dict[str, list[str]], azs: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for az in azs:
        for ip in pools.get(az, ()):
            seen.setdefault(ip, None)
    return list(seen)


def _offset(value: Any) -> tuple[str, int]:
    """An argument as (az, offset): ``3``, ``"3"`` or ``"z1:3"``."""
    if isinstance(value, bool):
        raise GraftError(_FORMAT)
    if isinstance(value, int):
        return UNDEFINED_AZ, value
    if isinstance(value, float):
        return UNDEFINED_AZ, to_int64(value)
    if not isinstance(value, str):
        raise GraftError(_FORMAT)
    az, sep, number = value.partition(":")
    if not sep:
        az, number = UNDEFINED_AZ, value
    n = _parse_int(number)
    if n is None:
        raise GraftError(_FORMAT)
    return az, n


def _job_azs(tree: Any, job: Path) -> list[str]:
    try:
        zs = resolve(tree, (*job, "azs"))
    except (NotFoundError, TypeMismatchError):
        return []
    if not isinstance(zs, list) or not all(isinstance(z, str) for z in zs):
        raise GraftError(f"azs {go_syntax(zs)} must be a list of strings")
    return list(zs)


def _instances(tree: Any, job: Path) -> int:
    n = _parse_int(_resolve_string(tree, (*job, "instances")))
    if n is None:
        raise GraftError("the `instances:` for the current job is not numeric")
    if n < 0:
        raise GraftError("negative number found in `instances:` for the current job")
    return n


class StaticIPsOperator(Operator):
    name = "static_ips"
    parallel_safe: ClassVar[bool] = False

    def __init__(self) -> None:
        # (document, paths): every call of one plan reads the same places, and
        # the tree does not change while the (single) eval plan is built
        self._reads: tuple[Callable[[], object], list[Path]] = (lambda: None, [])

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        document, reads = self._reads
        if document() is not ctx.document:
            reads = [p for pattern in _READS for p in expand(ctx.tree, pattern)]
            self._reads = (weakref.ref(ctx.document), reads)
        return [*auto, *reads]

    def run(self, call: Call, ctx: EvalContext) -> Response:
        tree = ctx.tree
        job = current_job(ctx.here)
        jobname = resolve(tree, (*job, "name"))
        azs = _job_azs(tree, job)
        inst = _instances(tree, job)
        if inst == 0:
            return Response([])
        if len(call.args) < inst:
            raise GraftError(
                f"not enough static IPs requested for job of {inst} instances "
                f"(only asked for {len(call.args)})"
            )
        pools, pool_azs = statics(tree, ctx.here, limits.of(ctx).max_items)
        for az in azs:
            if az not in pools:
                raise GraftError(f"could not find AZ {az} (in network AZS [{' '.join(azs)}])")
        if not azs:
            azs = pool_azs
        used: dict[str, str] = ctx.state.extra.setdefault(USED_KEY, {})
        ips: list[str] = []
        every = all_ips(pools, azs)
        for i, arg in enumerate(call.args[:inst]):
            az, offset = _offset(ctx.evaluate(arg))
            pool = every
            if az != UNDEFINED_AZ:
                if az not in azs:
                    raise GraftError(
                        f"could not find AZ {az} in instance_groups AZS [{' '.join(azs)}]"
                    )
                if az not in pools:
                    raise GraftError(f"could not find AZ {az} in IP pool")
                pool = pools[az]
            if offset < 0:
                raise GraftError(
                    "static_ips operator only accepts literal non-negative numbers for arguments"
                )
            if offset >= len(pool):
                raise GraftError(
                    f"request for static_ip({offset}) in a pool of only {len(pool)} "
                    "(zero-indexed) static addresses"
                )
            ip = pool[offset]
            if ip in used:
                raise GraftError(
                    f"tried to use IP '{ip}', but that address is already allocated to {used[ip]}"
                )
            used[ip] = f"{go_str(jobname)}/{i}"
            ips.append(ip)
        return Response(ips)
