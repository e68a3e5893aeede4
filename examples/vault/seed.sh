#!/usr/bin/env bash
# Store the example's secrets in the Vault/OpenBao at $VAULT_ADDR (token: $VAULT_TOKEN).
set -euo pipefail
bao kv put secret/myapp/db username=app password=correct-horse-battery-staple >/dev/null
bao kv put secret/myapp/api key=abc123 webhook=whsec-42 >/dev/null
