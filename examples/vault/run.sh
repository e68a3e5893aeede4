#!/usr/bin/env bash
# Start a throw-away OpenBao dev server, store the example's secrets, merge
# manifest.yml with them, stop the server. Run from anywhere:
#     examples/vault/run.sh
set -euo pipefail
cd "$(dirname "$0")"
PATH="$(cd ../.. && pwd)/.venv/bin:$PATH"   # bao and graftpy from the project's venv

port=${BAO_PORT:-8299}
export VAULT_ADDR="http://127.0.0.1:$port"
export VAULT_TOKEN=example-root-token        # a dev server's root token: never in production

log=$(mktemp)
bao server -dev -dev-no-store-token -dev-root-token-id="$VAULT_TOKEN" \
    -dev-listen-address="127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 100); do                      # up to 10 s for the server to answer
    bao status >/dev/null 2>&1 && break
    sleep 0.1
done
bao status >/dev/null || { cat "$log" >&2; exit 1; }

./seed.sh

graftpy merge --prune meta manifest.yml
