#!/usr/bin/env bash
# The job itself, once the services run: demo sources (once), ingestion into bronze, source
# freshness, dbt build (silver + gold, with their tests), its run history, the docs site and
# its pictures, the data-health gate, the costliest nodes.
# Run by scripts/main.sh after its set-up and `cinelake up`, and by the compose `pipeline`
# service, where the containers are the services. Settings come from the environment.
# Arguments go to the build (`cinelake build --daily ARGS`, dbt's), e.g. a selection on the
# first run (`--select +fct_viewing_sessions`: the compose test's). A selected build leaves no
# state, so the next run without a selection builds everything; once a whole build has left its
# state, the daily run selects by itself and refuses a selection of yours.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One daily run per CINELAKE_HOME at a time: the script runs again under the lock `daily-run`
# (cinelake/runlock.py), which lasts as long as it does and dies with it. Another run holding
# it: wait up to CINELAKE_LOCK_WAIT_S, then exit 75 with one line naming that run. Its own
# `cinelake ingest` takes the lock `ingest`, another name, so it does not wait on this one;
# its build (`cinelake build --daily`) takes `build` and `ingest` after ingestion let go.
if [ "${CINELAKE_DAILY_RUN_LOCK:-}" != held ]; then
    CINELAKE_DAILY_RUN_LOCK=held exec cinelake lock daily-run -- bash "$ROOT/scripts/pipeline.sh" "$@"
fi

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
# The build: `cinelake build --daily` (cinelake/build.py) runs dbt source freshness and, once
# a build has succeeded and left its state in $CINELAKE_HOME/dbt-state, selectors.yml's
# `daily` against that state (what landed fresher rows or changed code, and everything
# downstream), the row tests of the big incremental models on the rows landed since; else
# (the first run, or CINELAKE_FULL_BUILD=1) everything. It holds the locks `build` and
# `ingest`: no second build and no landing while it reads bronze.
build_status=0
cinelake build --daily "$@" || build_status=$?
# The run history, of a failed build too: the run results with the row count of every table
# built, and the Spark cost of every node (ops.dbt_node_runs, ops.dbt_node_costs).
cinelake ops record
[ "$build_status" -ne 0 ] && exit "$build_status"
dbt docs generate
cinelake ops docs  # row counts into the catalog; the overview's star schema and pipeline health
# The data-health gate: a source table that set aside (rejected + quarantined) more than
# CINELAKE_REJECT_RATE_MAX of the day's rows fails the job and alerts, after the build.
quality_status=0
cinelake quality || quality_status=$?
cinelake ops costliest  # last: the ten nodes of this build that cost Spark the most
if [ "$ingest_status" -ne 0 ]; then
    echo "pipeline: silver and gold are built, but ingestion failed (exit $ingest_status): see above" >&2
    exit "$ingest_status"
fi
exit "$quality_status"
