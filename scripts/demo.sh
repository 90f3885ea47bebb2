#!/usr/bin/env bash
# The flagship demo: trains a character-level classifier offline, in a fresh-or-reused .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/env.sh
.venv/bin/python examples/code_or_prose.py
