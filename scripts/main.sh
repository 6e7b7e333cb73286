#!/usr/bin/env bash
# The main job, from nothing: set-up, local services, demo sources, ingestion into bronze,
# source freshness, dbt build (silver + gold, with their tests), the docs site.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh

cinelake up
# The demo sources, once: an existing demo (maybe advanced by --advance-day) is kept.
# Regenerate with `cinelake demo-data --scale N --seed N`.
if [ ! -f "${CINELAKE_HOME:-$ROOT/.cinelake}/demo/manifest.json" ]; then
    cinelake demo-data --scale "${CINELAKE_DEMO_SCALE:-1}" --seed "${CINELAKE_DEMO_SEED:-42}"
fi
cinelake ingest all
dbt source freshness
dbt build
dbt docs generate
cinelake status
echo
echo "Done. Browse the docs site: .venv/bin/cinelake docs   (http://127.0.0.1:${CINELAKE_DOCS_PORT:-8580}/)"
echo "Services keep running for your next 'dbt build'; stop them with: .venv/bin/cinelake down"
