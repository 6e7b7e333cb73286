#!/usr/bin/env bash
# Idempotent set-up shared by scripts/main.sh and scripts/test.sh: system packages (Java 17,
# MariaDB, Maven, python3-venv) through apt-get when they are missing, then the project virtualenv
# with the package installed in editable mode. Re-runs are fast: pip runs again only when
# pyproject.toml changed. Source it (it exports VENV and puts its bin/ first on PATH).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CINELAKE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '[bootstrap] %s\n' "$*" >&2; }

java_major() {
    local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    command -v "$java" >/dev/null 2>&1 || { echo 0; return; }
    "$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

have_mariadb() {
    command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]
}

apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            say "missing system packages: $*; run as root or install them: apt-get install $*"
            exit 1
        }
        sudo="sudo"
    fi
    say "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    # Try without an index refresh first: a fresh image may have a usable cache.
    $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || {
        $sudo apt-get update -q >/dev/null
        $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
    }
}

packages=()
[ "$(java_major)" -ge 17 ] 2>/dev/null || packages+=(openjdk-17-jre-headless)
have_mariadb || packages+=(mariadb-server)
# Maven fetches Spark's extra jars (Delta Lake, Hive, S3A, JDBC) from a pinned pom.
command -v mvn >/dev/null 2>&1 || packages+=(maven)
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
# Tools only the tests use (scripts/test.sh sets this): Debian's Chromium for the docs-site
# browser test; Compose v1, Debian's Docker engine and debootstrap (the Debian base image where
# no registry answers) for the compose tests, which start an engine of their own.
if [ -n "${CINELAKE_TEST_TOOLS:-}" ]; then
    command -v chromium >/dev/null 2>&1 || packages+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
    command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
    [ -x /usr/sbin/dockerd ] || command -v dockerd >/dev/null 2>&1 || packages+=(docker.io)
    [ -x /usr/sbin/debootstrap ] || command -v debootstrap >/dev/null 2>&1 || packages+=(debootstrap)
fi
if [ ${#packages[@]} -gt 0 ]; then
    apt_install "${packages[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.cinelake-installed"
want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log="$VENV/pip-install.log"
    say "pip install -e '.[dev]' (first run: a few minutes; log in $log)"
    if ! { "$VENV/bin/python" -m pip install -q --upgrade pip \
            && "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"; } >"$log" 2>&1; then
        grep -v '^WARNING: Location' "$log" | tail -n 30 >&2
        say "pip install failed (full log: $log)"
        exit 1
    fi
    echo "$want" > "$stamp"
fi
# Spark's extra jars, by Maven from cinelake/stack/spark-jars.pom.xml (spark_jars.py says which
# and why); a no-op until the pom changes.
"$VENV/bin/python" -m cinelake.stack.spark_jars

export VENV
export PATH="$VENV/bin:$PATH"
export DBT_PROFILES_DIR="$ROOT/profiles"
