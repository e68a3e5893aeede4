#!/usr/bin/env bash
# The secret the manifest reads, for trying the example against a dev server
# (see ../vault/run.sh); in CI it is already in your Vault.
set -euo pipefail
bao kv put secret/shop/prod/db password=from-vault >/dev/null
