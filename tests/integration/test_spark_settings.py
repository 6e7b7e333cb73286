"""The Spark settings a dbt session works with are the Thrift server's: the server's start
conf (cinelake/stack/spark-defaults.conf, spark_thrift.py) is their one place, and a profile's
server_side_parameters never reach a Thrift session (profiles/profiles.yml says why)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.integration


def test_a_dbt_session_sees_the_servers_settings(stack):
    # ${...} is Spark's variable substitution: the value of the conf in this very session.
    query = (
        'select "${spark.sql.shuffle.partitions}" as partitions, '
        '"${spark.sql.ansi.enabled}" as ansi'
    )
    shown = stack.dbt("show", "--inline", query, "--output", "json").stdout
    [row] = json.loads(shown[shown.index("{") :])["show"]
    # the stack's CINELAKE_SPARK_SHUFFLE_PARTITIONS (4 by default; Spark's own default is 200)
    assert row["partitions"] == stack.env.get("CINELAKE_SPARK_SHUFFLE_PARTITIONS", "4")
    # spark-defaults.conf's ANSI mode, not the false that dbt-spark asks every connection for
    assert row["ansi"] == "true"
