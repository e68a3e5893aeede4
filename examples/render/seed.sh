#!/usr/bin/env bash
# The secrets the manifests read, for trying the example against a dev server
# (see ../vault/run.sh); in CI they are already in your Vault.
set -euo pipefail
bao kv put secret/shop/tls cert=tls-cert-pem >/dev/null
bao kv put secret/shop/monitoring token=mon-token >/dev/null
for env in prod staging lab; do
  bao kv put "secret/shop/$env/db" password="db-pass-$env" >/dev/null
done
