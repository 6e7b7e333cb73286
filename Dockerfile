# The Cinelake Python image of docker-compose.yml: the cinelake package together with the dbt
# project (models, macros, seeds, profiles), for the TMDB stand-in, the pipeline job and the
# docs server. No Java: SQL runs on the spark-thrift service, reached over the network.
# Spark's extra jars (cinelake/stack/spark-jars.pom.xml), fetched by Maven as `cinelake up`'s
# set-up does; the spark-jars service hands them to the Spark containers.
FROM maven:3.9-eclipse-temurin-17 AS jars
COPY cinelake/stack/spark-jars.pom.xml /build/pom.xml
RUN mvn -q -B -f /build/pom.xml dependency:copy-dependencies -DoutputDirectory=/build/jars

FROM python:3.12-slim

# uid 185 is the `spark` user of the apache/spark image. The lake volume is written by both
# (dlt here, the Spark executors there), so both run as the same uid. Home is the state
# volume, the one writable place (dlt keeps ~/.dlt).
ARG CINELAKE_UID=185
RUN groupadd --system --gid "$CINELAKE_UID" cinelake \
    && useradd --system --uid "$CINELAKE_UID" --gid cinelake --home-dir /data cinelake \
    && mkdir -p /data /lake && chown cinelake:cinelake /data /lake

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app

# The dependencies in a layer of their own (an empty package stands in for the sources), so
# that editing the project does not download dbt, pyspark and dlt again.
COPY pyproject.toml README.md ./
RUN mkdir cinelake && touch cinelake/__init__.py \
    && pip install -e . \
    && rm -rf cinelake cinelake.egg-info

COPY . .
# Editable on purpose: cinelake.config.PROJECT_ROOT is then /app, where the stand-in finds
# seeds/ and dbt finds the project.
RUN pip install --no-deps -e .
COPY --from=jars /build/jars /usr/local/share/cinelake/jars

# State (demo sources, dlt pipelines, run reports, dbt target and logs) lives on the compose
# volume mounted at /data; the dbt project itself stays read-only in /app.
ENV CINELAKE_HOME=/data \
    DBT_PROFILES_DIR=/app/profiles \
    DBT_TARGET_PATH=/data/target \
    DBT_LOG_PATH=/data/logs/dbt \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false
USER cinelake
