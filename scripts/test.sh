#!/usr/bin/env bash
# Lint (ruff, configured in pyproject.toml), then run the test suite once per engine (LAMINA_BACKEND), in a
# fresh-or-reused .venv, and the layer tests once more per engine with image_data_format set to channels_first
# (so channel-order bugs show). pytest-xdist spreads each run over the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/env.sh
status=0
echo "== lint"
.venv/bin/python -m ruff check lamina tests bench examples || status=$?
channels_first_home="$(mktemp -d)"
trap 'rm -rf "$channels_first_home"' EXIT
echo '{"image_data_format": "channels_first"}' > "$channels_first_home/lamina.json"
for engine in ${LAMINA_ENGINES:-torch jax}; do
  echo "== tests on engine: $engine"
  LAMINA_BACKEND="$engine" .venv/bin/python -m pytest -q -p no:cacheprovider -n auto "$@" || status=$?
  if [ $# -eq 0 ]; then
    echo "== layer tests on engine: $engine, channels_first"
    LAMINA_BACKEND="$engine" LAMINA_HOME="$channels_first_home" \
      .venv/bin/python -m pytest -q -p no:cacheprovider -n auto tests/layers || status=$?
  fi
done
exit $status
