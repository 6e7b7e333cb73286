"""The Thrift server's start-up probe: it must know its own server, whatever Spark redacts."""

from __future__ import annotations

import re
import socket

from cinelake.config import load_settings
from cinelake.stack import spark_jars, spark_thrift
from cinelake.stack.spark_thrift import INSTANCE_CONF, InstanceProbe

# Spark's defaults of spark.redaction.regex and spark.sql.redaction.options.regex: `set <key>`
# answers "*********(redacted)" when the key or the value matches either.
SPARK_REDACTION = re.compile(r"(?i)secret|password|token|access[.]?key|url")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_neither_the_instance_conf_nor_a_hex_token_can_be_redacted():
    assert not SPARK_REDACTION.search(INSTANCE_CONF)
    # A token is hex digits: none of the words above can be spelled with 0-9a-f.
    assert not SPARK_REDACTION.search("0123456789abcdef" * 4)


def test_the_probe_asks_for_its_token_and_takes_only_its_own(monkeypatch):
    asked, answers = [], iter(["ffffffffffffffff", "0123456789abcdef"])
    monkeypatch.setattr(spark_thrift, "port_open", lambda port, host="127.0.0.1": True)

    def rows(port: int, sql: str, host: str = "127.0.0.1") -> list[tuple]:
        asked.append(sql)
        return [(INSTANCE_CONF, next(answers))]

    monkeypatch.setattr(spark_thrift, "_rows", rows)
    probe = InstanceProbe(10000, "0123456789abcdef")
    assert not probe()  # another start's server on our port
    assert "ffffffffffffffff" in probe.last_answer
    assert probe()
    assert asked == [f"set {INSTANCE_CONF}"] * 2


def test_a_probe_that_fails_says_what_it_waited_for_and_its_last_answer(monkeypatch):
    port = closed_port()
    probe = InstanceProbe(port, "0123456789abcdef")
    assert not probe()
    waited = probe.waiting_for()
    assert f"127.0.0.1:{port}" in waited and f"set {INSTANCE_CONF}" in waited
    assert "0123456789abcdef" in waited and "never opened" in waited

    monkeypatch.setattr(spark_thrift, "port_open", lambda port, host="127.0.0.1": True)

    def refused(port: int, sql: str, host: str = "127.0.0.1") -> list[tuple]:
        raise ConnectionResetError("TSocket read 0 bytes\n\tat a stack line")

    monkeypatch.setattr(spark_thrift, "_rows", refused)
    assert not probe()
    assert probe.waiting_for().endswith("last answer: ConnectionResetError: TSocket read 0 bytes")


def test_ready_as_ours_needs_the_token_of_our_last_start(tmp_path, monkeypatch):
    """Without the token `up` kept, no server on the port passes for ours."""
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    from cinelake.config import load_settings

    monkeypatch.setattr(spark_thrift, "port_open", lambda port, host="127.0.0.1": True)
    monkeypatch.setattr(spark_thrift, "_rows", lambda *a, **k: [(INSTANCE_CONF, "ab")])
    settings = load_settings()
    assert not spark_thrift.ready_as_ours(settings)
    settings.run_dir.mkdir(parents=True)
    spark_thrift.instance_file(settings).write_text("ab\n")
    assert spark_thrift.ready_as_ours(settings)


def test_java_options_reach_the_driver_and_the_executors(tmp_path, monkeypatch):
    """CINELAKE_SPARK_JAVA_OPTIONS: on the driver's JVM (after the log configuration) and, in
    cluster mode, on every executor's; unset, neither has any."""
    monkeypatch.setenv("CINELAKE_HOME", str(tmp_path))
    monkeypatch.setattr(spark_jars, "require", lambda: [tmp_path / "a.jar"])
    monkeypatch.setenv("CINELAKE_SPARK_WORKERS", "2")

    def driver_and_executor_options() -> tuple[str, list[str]]:
        argv = spark_thrift.submit_command(load_settings(), instance="0123456789abcdef")
        executor = [a for a in argv if a.startswith("spark.executor.extraJavaOptions=")]
        return argv[argv.index("--driver-java-options") + 1], executor

    driver, executor = driver_and_executor_options()
    assert driver == f"-Dlog4j2.configurationFile={spark_thrift.LOG4J2}"
    assert executor == []
    monkeypatch.setenv("CINELAKE_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -Xss4m")
    driver, executor = driver_and_executor_options()
    assert (
        driver == f"-Dlog4j2.configurationFile={spark_thrift.LOG4J2} -XX:TieredStopAtLevel=1 -Xss4m"
    )
    assert executor == ["spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 -Xss4m"]
