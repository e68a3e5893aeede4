#!/usr/bin/env bash
# Start a local fake AWS (moto), store the example's values, merge manifest.yml
# with them, stop the fake. Run from anywhere:
#     examples/aws/run.sh
set -euo pipefail
cd "$(dirname "$0")"
venv="$(cd ../.. && pwd)/.venv/bin"
PATH="$venv:$PATH"                           # moto_server, python and graftpy from the venv

port=${MOTO_PORT:-5299}
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing   # moto accepts anything

log=$(mktemp)
moto_server -p "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 100); do                      # up to 10 s for the server to answer
    python -c "import urllib.request as u; u.urlopen('$AWS_ENDPOINT_URL/moto-api/')" \
        >/dev/null 2>&1 && break
    sleep 0.1
done

python seed.py
graftpy merge manifest.yml
