#!/usr/bin/env bash
# The main job, from nothing: set-up, local services, dbt build.
# (Ingestion and the docs site join this script as their issues land.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh

cinelake up
dbt build
cinelake status
echo
echo "Done. Services keep running for your next 'dbt build'; stop them with: .venv/bin/cinelake down"
