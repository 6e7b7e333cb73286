#!/usr/bin/env bash
# The main job inside the compose stack (the `pipeline` service): the steps of scripts/main.sh
# after its set-up and `cinelake up`, which the containers replace. Settings come from the
# service's environment (docker-compose.yml), state goes to the /data and /lake volumes.
set -euo pipefail
cd /app

# The demo sources, once: a later run keeps them (and what --advance-day added).
if [ ! -f "$CINELAKE_HOME/demo/manifest.json" ]; then
    cinelake demo-data --scale "${CINELAKE_DEMO_SCALE:-1}" --seed "${CINELAKE_DEMO_SEED:-42}"
fi
cinelake ingest all
dbt source freshness
dbt build
dbt docs generate
