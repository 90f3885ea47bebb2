#!/usr/bin/env bash
# Run the test suite once per engine (LAMINA_BACKEND), in a fresh-or-reused .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/env.sh
status=0
for engine in ${LAMINA_ENGINES:-torch jax}; do
  echo "== tests on engine: $engine"
  LAMINA_BACKEND="$engine" .venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
done
exit $status
