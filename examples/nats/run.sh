#!/usr/bin/env bash
# Start a local NATS server with JetStream, store the example's values, merge
# manifest.yml with them, stop the server. Run from anywhere:
#     examples/nats/run.sh
set -euo pipefail
cd "$(dirname "$0")"
venv="$(cd ../.. && pwd)/.venv/bin"
PATH="$venv:$PATH"                           # nats-server, python and graftpy from the venv

port=${NATS_PORT:-4299}
export NATS_URL="nats://127.0.0.1:$port"
store=$(mktemp -d)
nats-server -js -a 127.0.0.1 -p "$port" -sd "$store" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$store"' EXIT

for _ in $(seq 100); do                      # up to 10 s for the server to answer
    python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
        >/dev/null 2>&1 && break
    sleep 0.1
done

python seed.py
graftpy merge --prune meta manifest.yml
