"""Finding the secrets a merged document reads, without evaluating it."""

from __future__ import annotations

from graftpy.render.secrets import SecretRead, find_reads


def reads(doc: dict) -> dict[str, list[str]]:
    found = find_reads(doc)
    return {f"{r.backend} {r.label}": sorted(refs) for r, refs in found.reads.items()}


def test_literal_vault_paths_are_listed_with_their_keys() -> None:
    doc = {
        "db": {"user": '(( vault "secret/db:user" ))', "pass": '(( vault "secret/db:pass" ))'},
        "list": ['(( vault "secret/" "tls:cert" ))'],  # arguments are joined
        "plain": "no expression here",
    }
    assert reads(doc) == {
        "vault secret/db": ["secret/db:pass", "secret/db:user"],
        "vault secret/tls": ["secret/tls:cert"],
    }
    found = find_reads(doc)
    assert found.computed == [] and found.operations == 3 and found.waits == 0


def test_every_alternative_a_call_could_try_is_listed() -> None:
    doc = {
        "semi": '(( vault "secret/a:k; secret/b:k" ))',
        "args": '(( vault "secret/c:k" "secret/d:k" "fallback" ))',
        "default": '(( vault "secret/e:k" || meta.other ))',  # a computed default is fine
        "try": '(( vault-try "secret/f:k" "secret/g:k" meta.default ))',
    }
    assert set(reads(doc)) == {f"vault secret/{p}" for p in "abcdefg"}
    assert find_reads(doc).computed == []


def test_paths_that_need_evaluation_are_computed() -> None:
    doc = {
        "meta": {"env": "prod"},
        "ref": '(( vault meta.env "/db:pass" ))',
        "try": '(( vault-try meta.path "secret/z:k" "d" ))',
        "aws": "(( awsparam meta.name ))",
    }
    found = find_reads(doc)
    assert found.reads == {}
    assert found.computed == [
        ("$.ref", '(( vault meta.env "/db:pass" ))'),
        ("$.try", '(( vault-try meta.path "secret/z:k" "d" ))'),
        ("$.aws", "(( awsparam meta.name ))"),
    ]


def test_nested_calls_targets_and_aws_are_found() -> None:
    doc = {
        "nested": '(( concat "pw=" (vault "secret/n:k") ))',
        "prod": '(( vault@prod "secret/p:k" ))',
        "param": '(( awsparam "/app/db?key=password" ))',
        "secret": '(( awssecret "app/api?stage=AWSPREVIOUS" ))',
        "load": '(( load "other.yml" ))',
    }
    found = find_reads(doc)
    assert set(found.reads) == {
        SecretRead("vault", None, "secret/n"),
        SecretRead("vault", "prod", "secret/p"),
        SecretRead("awsparam", None, ("/app/db", "", "")),
        SecretRead("awssecret", None, ("app/api", "AWSPREVIOUS", "")),
    }
    assert SecretRead("vault", "prod", "secret/p").backend == "vault@prod"
    assert SecretRead("awssecret", None, ("app/api", "AWSPREVIOUS", "")).label == (
        "app/api?stage=AWSPREVIOUS"
    )
    assert found.waits == 1  # the load: not a secret, but it waits on I/O


def test_calls_that_fail_whatever_the_store_holds_read_nothing() -> None:
    doc = {
        "nokey": '(( vault "secret/just-a-path" ))',  # path:key wanted: fails before reading
        "bad": "(( vault ))",
        "broken": "(( vault ",  # does not parse: the evaluation reports it
    }
    found = find_reads(doc)
    assert found.reads == {} and found.computed == []


def test_list_entries_are_named_as_in_error_messages() -> None:
    doc = {
        "jobs": [{"name": "web", "token": "(( vault meta.p ))"}, {"token": "(( vault meta.q ))"}]
    }
    assert [where for where, _ in find_reads(doc).computed] == [
        "$.jobs.web.token",
        "$.jobs.1.token",
    ]
