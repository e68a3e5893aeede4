#!/usr/bin/env bash
# Install the example plugin into a throw-away folder and merge manifest.yml with it.
# Run from anywhere:
#     examples/plugin/run.sh
# (To install it for good, into the venv graftpy runs from: .venv/bin/pip install
# examples/plugin, then plain `graftpy merge` knows sha256 and file-sha256.)
set -euo pipefail
cd "$(dirname "$0")"
PATH="$(cd ../.. && pwd)/.venv/bin:$PATH"   # python and graftpy from the project's venv

site=$(mktemp -d)
work=$(mktemp -d)                            # pip builds in a copy: nothing is left here
trap 'rm -rf "$site" "$work"' EXIT
cp -r pyproject.toml graftpy_checksum "$work"/
# --no-deps: graftpy is there already; --no-build-isolation: build with the venv's
# setuptools, so nothing is downloaded
python -m pip install -q --no-deps --no-build-isolation --target "$site" "$work" \
    2>&1 | grep -v '^WARNING: Location' >&2 || true
PYTHONPATH="$site" graftpy merge --prune meta manifest.yml
