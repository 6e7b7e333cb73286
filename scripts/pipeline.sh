#!/usr/bin/env bash
# The job itself, once the services run: demo sources (once), ingestion into bronze, source
# freshness, dbt build (silver + gold, with their tests), the docs site, the data-health gate.
# Run by scripts/main.sh after its set-up and `cinelake up`, and by the compose `pipeline`
# service, where the containers are the services. Settings come from the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The demo sources, once: an existing demo (maybe advanced by --advance-day) is kept.
# Regenerate with `cinelake demo-data --scale N --seed N`.
if [ ! -f "${CINELAKE_HOME:-$ROOT/.cinelake}/demo/manifest.json" ]; then
    cinelake demo-data --scale "${CINELAKE_DEMO_SCALE:-1}" --seed "${CINELAKE_DEMO_SEED:-42}"
fi
# A failed source (TMDB down, a CSV file over the reject-rate alarm) has already alerted and
# the others have landed: build with what is there, then exit with ingestion's status so the
# scheduler still sees the failure.
ingest_status=0
cinelake ingest all || ingest_status=$?
[ "$ingest_status" -eq 2 ] && exit 2  # a wrong setting: nothing ran, nothing to build
dbt source freshness
dbt build
dbt docs generate
# The data-health gate: a source table that set aside (rejected + quarantined) more than
# CINELAKE_REJECT_RATE_MAX of the day's rows fails the job and alerts, after the build.
quality_status=0
cinelake quality || quality_status=$?
if [ "$ingest_status" -ne 0 ]; then
    echo "pipeline: silver and gold are built, but ingestion failed (exit $ingest_status): see above" >&2
    exit "$ingest_status"
fi
exit "$quality_status"
