"""(( ips IP|CIDR INDEX [COUNT] )): addresses counted from an IP or inside a subnet.

``(( ips "10.0.0.0/24" 5 ))`` is ``10.0.0.5``; with a COUNT it is a list of
COUNT consecutive addresses. In a CIDR a negative INDEX counts back from the end
of the subnet (``-10`` in a /24 is ``.246``), and the addresses must fit in it.
Arithmetic wraps the way graft's does (modulo 2^32 for IPv4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy import limits
from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.operators._netaddr import IP, Network, masked, parse_cidr, parse_ip, to_string
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call

_MAPPED = 0xFFFF << 32


def net_size(net: Network) -> int:
    """graft's netSize: 2**host_bits, capped at the largest int32."""
    diff = net.bits - net.ones
    if diff <= 0:
        return 1
    return 2**31 - 1 if diff >= 31 else 1 << diff


def _int(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise GraftError(f"ips operator {what} must be an integer, not {sprint(value)}")


def ip_add(base: int, v4: bool, offset: int) -> str:
    """graft's IPAdd: big-integer addition, truncated to the address size."""
    total = base + offset
    if total < 0:
        total = -total  # big.Int.Bytes() drops the sign
    if v4:
        return to_string(IP(total & 0xFFFFFFFF, True))
    return to_string(IP(total & (2**128 - 1), False))


class IPsOperator(Operator):
    name = "ips"
    waits_for_subtree = True  # as graft orders it

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) < 2:
            raise GraftError(
                "ips requires at least two arguments: 1) An IP or a CIDR and 2) an index"
            )
        vals = []
        for arg in call.args:
            val = ctx.evaluate(arg)
            if val is None:
                raise GraftError("ips operator argument cannot be nil")
            vals.append(val)
        text = sprint(vals[0])
        net = parse_cidr(text)
        if net is not None:
            v4 = net.ip.v4
            base = masked(net)
        else:
            ip = parse_ip(text)
            if ip is None:
                raise GraftError(f"first argument must be a valid IP or CIDR: {text}")
            v4 = ip.v4
            base = ip.value | _MAPPED if ip.v4 else ip.value
        start = _int(vals[1], "index")
        if net is not None:
            size = net_size(net)
            if abs(start) > size:
                raise GraftError(f"Start index {start} exceeds size of subnet {sprint(vals[0])}")
            if start < 0:
                start += size
        if len(call.args) == 2:
            return Response(ip_add(base, v4, start))
        count = _int(vals[2], "count")
        if net is not None and start + count > net_size(net):
            raise GraftError(
                f"Start index {start} and count {count} would exceed size of subnet "
                f"{sprint(vals[0])}"
            )
        limits.check_items(ctx, "ips", count)
        return Response([ip_add(base, v4, i) for i in range(start, start + count)])
