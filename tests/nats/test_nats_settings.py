"""NATS settings: graft's variables and defaults, Go durations, maps, targets."""

from __future__ import annotations

import pytest

from graftpy.backends.nats_settings import (
    NatsSettings,
    SettingError,
    from_env,
    from_map,
    parse_duration,
    redact_url,
    target_settings,
    url_credentials,
)
from graftpy.backends.targets import Targets


def test_defaults_are_grafts():
    s = from_env({})
    assert (s.url, s.timeout, s.retries, s.retry_interval, s.retry_backoff) == (
        "nats://127.0.0.1:4222",
        5.0,
        3,
        1.0,
        2.0,
    )
    assert (s.max_retry_interval, s.cache_ttl, s.streaming_threshold) == (30.0, 300.0, 10485760)
    assert not (s.tls or s.insecure_skip_verify or s.audit_logging)
    assert s.object_limit == 2 * 10485760


def test_every_variable_is_read():
    env = {
        "NATS_URL": "nats://a:1,nats://b:2",
        "NATS_TIMEOUT": "1m30s",
        "NATS_RETRIES": "5",
        "NATS_RETRY_INTERVAL": "250ms",
        "NATS_RETRY_BACKOFF": "1.5",
        "NATS_MAX_RETRY_INTERVAL": "2s",
        "NATS_TLS": "true",
        "NATS_CERT_FILE": "/c.pem",
        "NATS_KEY_FILE": "/k.pem",
        "NATS_CA_FILE": "/ca.pem",
        "NATS_INSECURE_SKIP_VERIFY": "1",
        "NATS_CACHE_TTL": "0s",
        "NATS_STREAMING_THRESHOLD": "-1",
        "NATS_AUDIT_LOGGING": "T",
    }
    assert from_env(env) == NatsSettings(
        url="nats://a:1,nats://b:2",
        timeout=90.0,
        retries=5,
        retry_interval=0.25,
        retry_backoff=1.5,
        max_retry_interval=2.0,
        tls=True,
        cert_file="/c.pem",
        key_file="/k.pem",
        ca_file="/ca.pem",
        insecure_skip_verify=True,
        cache_ttl=0.0,
        streaming_threshold=-1,
        audit_logging=True,
    )
    assert from_env(env).object_limit is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5s", 5), ("1.5h", 5400), ("1h2m3s", 3723), ("300ms", 0.3), ("10us", 1e-5), ("0", 0), ("7", 7)],
)
def test_go_durations(text, seconds):
    assert parse_duration(text, "X") == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["soon", "5 s", "s", "1x", "", "-1s", "1.s5"])
def test_bad_durations(text):
    with pytest.raises(SettingError):
        parse_duration(text, "X")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NATS_RETRIES": "many"}, "NATS_RETRIES must be a whole number, not 'many'"),
        ({"NATS_RETRIES": "-1"}, "NATS_RETRIES must be at least 0"),
        ({"NATS_TLS": "yes"}, "NATS_TLS must be true or false, not 'yes'"),
        ({"NATS_RETRY_BACKOFF": "x"}, "NATS_RETRY_BACKOFF must be a number, not 'x'"),
        ({"NATS_TIMEOUT": "0s"}, "NATS_TIMEOUT must be more than 0 seconds"),
    ],
)
def test_bad_variables(env, message):
    with pytest.raises(SettingError) as info:
        from_env(env)
    assert info.value.message == message


def test_a_map_overrides_with_yaml_types():
    base = from_env({"NATS_URL": "nats://env:1", "NATS_RETRIES": "9"})
    s = from_map({"url": "nats://map:2", "timeout": "10s", "retry_backoff": 3, "tls": True}, "m", base)
    assert (s.url, s.timeout, s.retries, s.retry_backoff, s.tls) == ("nats://map:2", 10.0, 9, 3.0, True)
    with pytest.raises(SettingError, match=r"^m\.retries must be a whole number, not '1\.5'$"):
        from_map({"retries": 1.5}, "m", base)
    with pytest.raises(SettingError, match=r"^m: unknown NATS setting 'urls'"):
        from_map({"urls": "x"}, "m", base)


def test_targets_from_the_file_and_the_environment(tmp_path):
    f = tmp_path / "t.yml"
    f.write_text("targets:\n  nats:\n    edge:\n      url: ${EDGE_URL}\n      retries: 1\n")
    env = {"EDGE_URL": "nats://edge:4222", "NATS_LAB_1_URL": "nats://lab:1", "NATS_LAB_1_TLS": "1"}
    edge = target_settings(Targets(env, str(f)), env, "edge")
    assert (edge.url, edge.retries) == ("nats://edge:4222", 1)
    lab = target_settings(Targets(env, str(f)), env, "lab-1")
    assert (lab.url, lab.tls) == ("nats://lab:1", True)
    with pytest.raises(SettingError) as info:
        target_settings(Targets(env, str(f)), env, "prod")
    assert info.value.message == (
        "NATS target 'prod' configuration incomplete (expected NATS_PROD_URL environment "
        f"variable or targets.nats.prod in {f})"
    )


def test_urls_lose_their_credentials_in_logs():
    assert redact_url("nats://u:p@h:1,tls://tok@g:2") == "nats://***@h:1,tls://***@g:2"
    assert redact_url("nats://h:1") == "nats://h:1"
    assert "pw" not in repr(NatsSettings(url="nats://u:pw@h:1"))


def test_the_passwords_and_tokens_of_urls_are_known_to_the_redaction():
    assert url_credentials("nats://u:p%40ss@h:1,tls://tok@g:2,nats://h:3") == ["p%40ss", "p@ss", "tok"]
    assert url_credentials("nats://h:1") == [] and url_credentials("u:pw@h:1") == ["pw"]


def test_a_nats_call_registers_its_url_password_before_anything_is_printed():
    from graftpy import taint
    from graftpy.backends.nats_calls import nats_value
    from graftpy.backends.secret_args import StaticArg

    url = "nats://user:Pw-of-the-call@127.0.0.1:1"
    args = [StaticArg("kv:b/k"), StaticArg(url)]
    assert nats_value(args, lambda: None, redact=True) == "REDACTED"  # no connection
    # (the process's registry may know other tests' secrets: only this one is asserted)
    assert taint.redact(f"connecting to {url}").startswith("connecting to nats://user:REDACTED@")
