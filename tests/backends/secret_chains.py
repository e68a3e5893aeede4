"""Manifests that pass secrets through chains of other operators, for the hygiene tests.

A *chain* starts at one secret (``meta.vault``, ``meta.nats``...) and applies
steps, each reading the previous step's value: ``concat``, ``base64``, ``grab``,
``stringify``, ``join`` (of a list holding the value), ``inject`` (of a map
holding it). The failing manifest ends each chain with an operator that fails
on the value and would quote it (``ips``, ``calc``, ``base64-decode``, ``file``).
``PushCatcher`` is an HTTP server that keeps what a Pushgateway push sends.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass

from hypothesis import strategies as st

SOURCES = ("vault", "param", "aws", "nats", "natsmap")
STEPS = ("concat", "base64", "grab", "stringify", "join", "inject")
FAILING = ("ips", "calc", "base64-decode", "file")


@dataclass(frozen=True)
class Chain:
    source: str
    steps: tuple[str, ...]
    failing: str


chains = st.lists(
    st.builds(
        Chain,
        st.sampled_from(SOURCES),
        st.lists(st.sampled_from(STEPS), min_size=1, max_size=4).map(tuple),
        st.sampled_from(FAILING),
    ),
    min_size=1,
    max_size=4,
)

# every source through every step, each ending in another failing operator
EVERY = [
    Chain(source, STEPS[i:] + STEPS[:i], FAILING[i % len(FAILING)])
    for i, source in enumerate(SOURCES)
]


def meta(tag: str, nats_url: str, sources: tuple[str, ...] = SOURCES) -> str:
    """The secret ``sources`` under ``meta`` (a NATS URL with a password in the call)."""
    lines = {
        "vault": f'  vault: (( vault "secret/{tag}:pw" ))\n',
        "param": f'  param: (( awsparam "/{tag}/p" ))\n',
        "aws": f'  aws: (( awssecret "{tag}/s" ))\n',
        "nats": f'  nats: (( nats "kv:hyg_{tag}/pw" "{nats_url}" ))\n',
        "natsmap": f'  natsdoc: (( nats "kv:hyg_{tag}/doc" "{nats_url}" ))\n'
        'calculated: (( calc "meta.natsdoc.num * 3" ))\n',
    }
    text = "meta:\n" + "".join(lines[s] for s in sources if s != "natsmap")
    return text + (lines["natsmap"] if "natsmap" in sources else "")


def start(source: str) -> str:
    return "meta.natsdoc.pass" if source == "natsmap" else f"meta.{source}"


def chain_text(i: int, chain: Chain, *, failing: bool) -> tuple[str, list[str]]:
    """The YAML of chain ``i``, and the top-level keys holding values made from a secret."""
    lines: list[str] = []
    made: list[str] = []
    previous = start(chain.source)
    for j, step in enumerate(chain.steps):
        key = f"c{i}_{j}"
        if step == "join":
            lines += [f"{key}_l:", f"- (( grab {previous} ))", "- y", f'{key}: (( join "," {key}_l ))']
            made.append(f"{key}_l")
        elif step == "inject":
            lines += [f"{key}_m:", f"  s: (( grab {previous} ))", f"{key}:", f"  inj: (( inject {key}_m ))"]
            made.append(f"{key}_m")
        elif step == "concat":
            lines.append(f'{key}: (( concat "x-" {previous} ))')
        else:
            lines.append(f"{key}: (( {step} {previous} ))")
        made.append(key)
        previous = f"{key}.s" if step == "inject" else key
    if failing:
        lines.append(f"c{i}_ips: (( ips {previous} 1 ))")  # always fails, quoting the value
        if chain.failing != "ips":
            lines.append(f"c{i}_fail: (( {chain.failing} {previous} ))")
    return "\n".join(lines) + "\n", made


def manifest(
    tag: str,
    nats_url: str,
    drawn: list[Chain],
    *,
    failing: bool,
    sources: tuple[str, ...] = SOURCES,
) -> tuple[str, list[str]]:
    """The manifest of the chains ``drawn`` (ending in failing operators if ``failing``),
    and the top-level keys holding values made from a secret."""
    text = meta(tag, nats_url, sources)
    made: list[str] = ["meta", "calculated"]
    for i, chain in enumerate(drawn):
        part, keys = chain_text(i, chain, failing=failing)
        text += part
        made += keys
    return text, made


class PushCatcher:
    """A local HTTP server that answers every request 200 and keeps the bodies."""

    def __init__(self) -> None:
        bodies: list[bytes] = []
        self.bodies = bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def _take(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                bodies.append(self.path.encode() + b"\n" + self.rfile.read(length))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_POST = do_DELETE = _take

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PushCatcher:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def text(self) -> str:
        return b"\n".join(self.bodies).decode("utf-8", "replace")
