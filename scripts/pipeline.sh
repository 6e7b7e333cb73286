#!/usr/bin/env bash
# The job itself, once the services run: demo sources (once), ingestion into bronze, source
# freshness, dbt build (silver + gold, with their tests), its run history, the docs site and
# its pictures, the data-health gate, the costliest nodes.
# Run by scripts/main.sh after its set-up and `cinelake up`, and by the compose `pipeline`
# service, where the containers are the services. Settings come from the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One daily run per CINELAKE_HOME at a time: the script runs again under the lock `daily-run`
# (cinelake/runlock.py), which lasts as long as it does and dies with it. Another run holding
# it: wait up to CINELAKE_LOCK_WAIT_S, then exit 75 with one line naming that run. Its own
# `cinelake ingest` takes the lock `ingest`, another name, so it does not wait on this one;
# its build is `cinelake build` (dbt build holding `build` and `ingest`: no second build and
# no landing while it reads bronze), taken after the ingestion has let go of `ingest`.
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
# The daily run: once a build has succeeded, its manifest, its source freshness and its start
# time are the state that the next run compares with. The next run builds selectors.yml's
# `daily` (what landed fresher rows or changed code, and everything downstream) instead of
# everything, and the row tests of the big incremental models check only the rows landed
# since that build started (the var data_tests_loaded_since). CINELAKE_FULL_BUILD=1 builds
# and checks everything; so does a run with no state (the first one).
target="${DBT_TARGET_PATH:-$ROOT/target}"
state="${CINELAKE_HOME:-$ROOT/.cinelake}/dbt-state"
daily=0
dbt_vars=()
if [ "${CINELAKE_FULL_BUILD:-0}" != 1 ] && [ -f "$state/manifest.json" ] \
    && [ -f "$state/sources.json" ] && [ -f "$state/build_started_at" ]; then
    daily=1
    dbt_vars=(--vars "{data_tests_loaded_since: '$(cat "$state/build_started_at")'}")
fi
# Every dbt command of the run gets the same --vars: dbt re-parses the whole project when a
# command's vars differ from the previous command's (tens of seconds, twice a day).
dbt source freshness "${dbt_vars[@]}"
started_at="$(date -u '+%Y-%m-%d %H:%M:%S')"
build_status=0
if [ "$daily" -eq 1 ]; then
    cinelake build --selector daily --state "$state" "${dbt_vars[@]}" || build_status=$?
else
    cinelake build || build_status=$?
fi
if [ "$build_status" -eq 0 ]; then
    mkdir -p "$state"
    cp "$target/manifest.json" "$target/sources.json" "$state/"
    echo "$started_at" > "$state/build_started_at"
fi
# The run history, of a failed build too: the run results with the row count of every table
# built, and the Spark cost of every node (ops.dbt_node_runs, ops.dbt_node_costs).
cinelake ops record
[ "$build_status" -ne 0 ] && exit "$build_status"
dbt docs generate "${dbt_vars[@]}"
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
