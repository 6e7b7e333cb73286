#!/usr/bin/env bash
# The main job, from nothing: set-up, local services, demo sources, ingestion into bronze,
# source freshness, dbt build (silver + gold, with their tests), the docs site.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh

cinelake up
scripts/pipeline.sh
cinelake status
echo
echo "Done. Browse the docs site: .venv/bin/cinelake docs   (http://127.0.0.1:${CINELAKE_DOCS_PORT:-8580}/)"
echo "Services keep running for your next 'dbt build'; stop them with: .venv/bin/cinelake down"
