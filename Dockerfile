# The one image of docker-compose.yml, from Debian alone: every service runs it (MariaDB, the
# Spark master and workers, the Thrift server, the S3 and TMDB stand-ins, the pipeline job, the
# docs server), each with the command `cinelake up` runs on a bare machine
# (cinelake/stack/container.py), from the same Debian packages, pinned pip packages and jars.
#
# Layers from the least to the most often changed, so that editing the project rebuilds only
# the last one: Debian packages, then pip, then the jars, then the project's code.
#
# A TLS-inspecting proxy: put its CA certificate(s), PEM, in docker/ca/*.crt before building
# (docker/ca/README.md). pip, Maven and the services' own HTTPS calls trust them; apt reads
# Debian's mirrors over http (packages signed by Debian's keys), so it needs none.
FROM debian:bookworm-slim

# No service may start during the build (MariaDB's package would try), as in Debian's images.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d

# The extra CAs first: every download after them trusts them. One certificate per file, as
# update-ca-certificates and Java's keystore hook want: a bundle is split here.
COPY docker/ca/ /tmp/extra-ca/
RUN mkdir -p /usr/local/share/ca-certificates/cinelake \
    && for bundle in /tmp/extra-ca/*.crt; do \
        [ -f "$bundle" ] || continue; \
        awk -v out="/usr/local/share/ca-certificates/cinelake/$(basename "$bundle" .crt)" \
            '/BEGIN CERTIFICATE/ {n++} n {print > (out "-" n ".crt")}' "$bundle"; \
    done \
    && rm -rf /tmp/extra-ca

# Java 17 (Spark), MariaDB (the shop and the catalog), Maven (the jars), Python 3.11 (the
# package, dbt, dlt, moto). update-ca-certificates adds the extra CAs to the system bundle and,
# through ca-certificates-java's hook, to Java's keystore (Maven's trust).
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends \
        ca-certificates ca-certificates-java openjdk-17-jre-headless maven \
        mariadb-server mariadb-client python3 python3-venv procps \
    && update-ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# uid 185, the `spark` user of Apache's Spark images, for volumes made by them. Its home holds
# the state of the services that keep theirs in no volume (Spark's conf dir and work dirs).
ARG CINELAKE_UID=185
RUN groupadd --system --gid "$CINELAKE_UID" cinelake \
    && useradd --system --uid "$CINELAKE_UID" --gid cinelake --create-home \
        --home-dir /home/cinelake cinelake \
    && mkdir -p /data /var/lib/cinelake-mysql \
    && chown cinelake:cinelake /data /var/lib/cinelake-mysql

# pip trusts the system bundle (with the extra CAs), not only its own.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    AWS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH
WORKDIR /app

# The dependencies in a layer of their own (an empty package stands in for the sources), so
# that editing the project does not download dbt, pyspark and dlt again. The dev extra brings
# moto's S3 server (the `s3` service), as scripts/bootstrap.sh's install does. uv resolves
# pyproject.toml's pins as pip would, in a minute where pip takes many (it downloads every
# botocore it tries); uv trusts the system bundle through SSL_CERT_FILE.
# pyproject.toml alone: its `readme` need only exist here (the real one comes with the code).
COPY pyproject.toml ./
RUN python3 -m venv /app/.venv \
    && mkdir cinelake && touch cinelake/__init__.py README.md \
    && pip install -q uv \
    && SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt uv pip install -q --no-cache \
        --python /app/.venv/bin/python -e '.[dev]' \
    && pip uninstall -q -y uv \
    && rm -rf cinelake cinelake.egg-info README.md /tmp/uv-*

# Spark's extra jars, by Maven from the pinned pom, where `python -m cinelake.stack.spark_jars`
# puts them on a bare machine (<venv>/share/cinelake/jars, with its stamp: the pom's sha256).
COPY cinelake/stack/spark-jars.pom.xml /tmp/spark-jars.pom.xml
RUN jars=/app/.venv/share/cinelake/jars \
    && mvn -q -B -f /tmp/spark-jars.pom.xml dependency:copy-dependencies \
        -DoutputDirectory="$jars" -Dmdep.useRepositoryLayout=false \
    && sha256sum /tmp/spark-jars.pom.xml | cut -d' ' -f1 > "$jars/.pom-sha256" \
    && rm -rf /root/.m2 /tmp/spark-jars.pom.xml

COPY . .
# Editable on purpose: cinelake.config.PROJECT_ROOT is then /app, where the stand-in finds
# seeds/ and dbt finds the project.
RUN pip install --no-deps -e . && python -m cinelake.stack.spark_jars

# The pipeline job's state (demo sources, dlt pipelines, run reports, dbt target and logs)
# lives on the compose volume mounted at /data; the dbt project itself stays read-only in /app.
ENV CINELAKE_HOME=/data \
    DBT_PROFILES_DIR=/app/profiles \
    DBT_TARGET_PATH=/data/target \
    DBT_LOG_PATH=/data/logs/dbt \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false
USER cinelake
