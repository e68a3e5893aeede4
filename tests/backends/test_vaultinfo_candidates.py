"""``graftpy vaultinfo`` lists every path a merge may read, so that a Vault policy
written from its output lets the merge through; a refused read names its path.

Against a real OpenBao: the policy is built from vaultinfo's own output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import yaml


def graftpy(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT_", "REDACT"))}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env={**clean, "HOME": str(cwd), **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def document(tmp_path: Path, app: str) -> Path:
    (tmp_path / "m.yml").write_text(
        f'db: (( vault-try "secret/{app}/new:pw" "secret/{app}/old:pw" "none" ))\n'
        f'api: (( vault "secret/{app}/api-v2:key; secret/{app}/api:key" ))\n'
        f'mail: (( vault "secret/{app}/mail:a" "secret/{app}/mail2:a" "default" ))\n'
        f'cert: (( vault "secret/{app}/cert:pem" ))\n'
        f'cert_again: (( vault-try "secret/{app}/cert:pem" "secret/{app}/x:pem" "d" ))\n'
    )
    return tmp_path


def test_every_candidate_path_is_listed_and_marked(tmp_path: Path) -> None:
    folder = document(tmp_path, "shop")
    done = graftpy("vaultinfo", "m.yml", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "secrets:\n"
        "- key: secret/shop/api-v2:key\n  references:\n  - api\n  candidate: true\n"
        "- key: secret/shop/api:key\n  references:\n  - api\n  candidate: true\n"
        # read for certain at $.cert, so not a candidate although cert_again may skip it
        "- key: secret/shop/cert:pem\n  references:\n  - cert\n  - cert_again\n"
        "- key: secret/shop/mail2:a\n  references:\n  - mail\n  candidate: true\n"
        "- key: secret/shop/mail:a\n  references:\n  - mail\n  candidate: true\n"
        "- key: secret/shop/new:pw\n  references:\n  - db\n  candidate: true\n"
        "- key: secret/shop/old:pw\n  references:\n  - db\n  candidate: true\n"
        "- key: secret/shop/x:pem\n  references:\n  - cert_again\n  candidate: true\n"
        "\n"
    )


def policy_for(keys: list[str]) -> str:
    """A KV v2 read policy for ``path:key`` entries (``secret/a`` is ``secret/data/a``)."""
    rules = []
    for key in keys:
        mount, _, rest = key.rpartition(":")[0].partition("/")
        rules.append(f'path "{mount}/data/{rest}" {{ capabilities = ["read"] }}')
    return "\n".join(rules) + "\n"


def test_a_policy_from_vaultinfo_lets_the_merge_through(tmp_path: Path, openbao) -> None:
    app = uuid.uuid4().hex[:8]
    folder = document(tmp_path, app)
    for name, values in {
        "old": {"pw": "old-pw"},
        "api": {"key": "api-key"},
        "mail2": {"a": "mail-a"},
        "cert": {"pem": "PEM"},
    }.items():
        openbao.put(f"secret/{app}/{name}", values)
    info = yaml.safe_load(graftpy("vaultinfo", "m.yml", cwd=folder).stdout)
    keys = [entry["key"] for entry in info["secrets"]]
    openbao.write_policy(f"all-{app}", policy_for(keys))
    token = openbao.create_token([f"all-{app}"])
    done = graftpy("merge", "m.yml", cwd=folder, VAULT_ADDR=openbao.addr, VAULT_TOKEN=token)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("api: api-key\ncert: PEM\ncert_again: PEM\ndb: old-pw\nmail: mail-a\n\n")


def test_a_refused_read_names_the_path(tmp_path: Path, openbao) -> None:
    app = uuid.uuid4().hex[:8]
    folder = tmp_path
    (folder / "m.yml").write_text(
        f'db: (( vault-try "secret/{app}/new:pw" "secret/{app}/old:pw" "none" ))\n'
    )
    openbao.put(f"secret/{app}/old", {"pw": "old-pw"})
    # what graft's vaultinfo listed: only the first path
    openbao.write_policy(f"first-{app}", policy_for([f"secret/{app}/new:pw"]))
    token = openbao.create_token([f"first-{app}"])
    done = graftpy("merge", "m.yml", cwd=folder, VAULT_ADDR=openbao.addr, VAULT_TOKEN=token)
    assert done.returncode == 2
    assert done.stderr == (
        "1 error(s) detected:\n"
        f" - $.db: 403 Forbidden: permission denied (reading secret/{app}/old:pw)\n\n\n"
    )
