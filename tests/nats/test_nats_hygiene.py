"""nats-py loads only when a run reads NATS; values stay out of logs, events, errors."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys
import uuid

import pytest
from servers import TcpFaultSpec

from graftpy.backends import BackendError
from graftpy.backends.registry import Backends
from graftpy.backends.stats import BackendEvent

PROBE = """
import sys
from graftpy.backends.nats_calls import run_nats
from graftpy.backends.registry import Backends
from graftpy.evaluator.context import EvalContext, RunState, Settings
from graftpy.evaluator.document import Document
from graftpy.expr import parse_opcall
from graftpy.operators import registry

ctx = EvalContext(Document({}), ("a",), Settings(env={"REDACT": "1"}), RunState())
call = parse_opcall('(( nats "kv:cfg/key" ))', registry.is_operator)
assert run_nats(call, ctx) == "REDACTED"
Backends({}).nats()   # created, never used
print("nats" in sys.modules, any(t.name.endswith("-loop") for t in __import__("threading").enumerate()))
"""


def test_nats_py_is_not_imported_until_a_read():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]


class Recorder:
    def __init__(self) -> None:
        self.events: list[BackendEvent] = []

    def backend_event(self, event: BackendEvent) -> None:
        self.events.append(event)


@contextlib.contextmanager
def debug_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def test_values_and_credentials_appear_only_in_results(nats, tcp_fault_proxy):
    tag = uuid.uuid4().hex[:8]
    secret = f"s3cret-{tag}"
    bucket = f"hyg_{tag}"
    nats.put_kv(bucket, {"plain": secret, "doc": f"a: {secret}\nb: [{secret}]\n"})
    nats.put_object(bucket, "blob.yaml", f"x: {secret}\n".encode(), content_type="text/yaml")
    nats.put_object(bucket, "bad.yaml", f"x: [{secret}\n".encode(), content_type="text/yaml")
    proxy = tcp_fault_proxy(nats.address, TcpFaultSpec(reset=0.2, seed=4))
    password = f"pw-{tag}"
    url = proxy.url.replace("nats://", f"nats://user:{password}@")
    recorder = Recorder()
    errors, results = [], []
    with debug_log() as log:
        backend = Backends(
            {"NATS_URL": url, "NATS_RETRIES": "6", "NATS_RETRY_INTERVAL": "5ms"}
        ).nats()
        backend.add_listener(recorder)
        settings = backend.settings()
        for store, name in (("kv", "plain"), ("kv", "doc"), ("obj", "blob.yaml"), ("obj", "bad.yaml")):
            try:
                results.append(backend.lookup(store, bucket, name, settings))
            except BackendError as exc:
                errors.append(exc)
        backend.close()
    assert results == [secret, {"a": secret, "b": [secret]}, {"x": secret}]
    assert len(errors) == 1 and errors[0].message.startswith(
        "failed to parse YAML from object 'bad.yaml': "
    )
    assert "graftpy.backends nats: kv_get -> ok" in log.getvalue()  # debug logging was on
    visible = [log.getvalue(), repr(settings), *(str(e) for e in errors)]
    visible += [repr(e) for e in recorder.events]
    text = "\n".join(visible)
    assert secret not in text
    assert password not in text


@pytest.mark.parametrize("variable", ["NATS_TIMEOUT", "NATS_RETRY_INTERVAL", "NATS_CACHE_TTL"])
def test_a_bad_setting_names_the_variable(variable):
    backend = Backends({variable: "soon"}).nats()
    with pytest.raises(BackendError) as info:
        backend.settings()
    assert info.value.message == (
        f"{variable} must be a duration such as 500ms, 10s or 1m30s, not 'soon'"
    )
