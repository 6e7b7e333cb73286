#!/usr/bin/env bash
# The test suite, from nothing: set-up, then pytest (unit + integration). Integration tests
# start their own services with their own CINELAKE_HOME and free ports, and stop them at the
# end, so they never touch a developer's running stack. Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CINELAKE_TEST_TOOLS=1 source scripts/bootstrap.sh

# Two workers, each module whole on one of them (tests/conftest.py groups them): on 2 cores a
# module's stack spends much of its time waiting (JVM start-up, dbt's one-second polls), which
# the other worker's module uses. They take the modules in tests/conftest.py's order (the
# longest first), not xdist's (the most tests first). `-n 0` after the command runs them one
# by one.
python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder "$@"
