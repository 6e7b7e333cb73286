"""Ingestion throughput and peak memory, against the demo data of the running stack.

A benchmark, not a test: it measures and prints (and appends to docs/benchmarks.md with
--write); it asserts nothing. Run it after `cinelake up` and `cinelake demo-data --scale N`:

    .venv/bin/python bench/ingestion.py [--write]

Each stage runs as its own `cinelake ingest` process (under GNU time for the peak RSS) with a
fresh state directory and lake, so every run is a full extraction:
- CSV: lines per second end to end (parse, Parquet, write), both files;
- viewing_sessions: rows per second of `cinelake ingest shop` restricted to that table, versus
  the MySQL client dumping the same table (`mariadb --batch -e 'select * ...' > /dev/null`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cinelake.config import load_settings  # noqa: E402
from cinelake.stack.mariadb import find_binary  # noqa: E402

BIN = Path(sys.executable).parent


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a command, via GNU time."""
    with tempfile.NamedTemporaryFile(suffix=".time") as out:
        began = time.monotonic()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        seconds = time.monotonic() - began
        return seconds, int(Path(out.name).read_text().split()[-1])


def ingest_env(settings, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CINELAKE_HOME": str(home),
        "CINELAKE_CSV_MOVIES": str(settings.csv_movies_path),
        "CINELAKE_CSV_SERIES": str(settings.csv_series_path),
        "CINELAKE_MYSQL_PORT": str(settings.mysql_port),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    settings = load_settings()
    manifest = json.loads((settings.demo_dir / "manifest.json").read_text())
    scale = manifest["generator"]["scale"]
    lines = sum(f["data_lines"] + f["blank_lines"] for f in manifest["files"].values())
    sessions = manifest["shop"]["tables"]["viewing_sessions"]

    with tempfile.TemporaryDirectory() as tmp:
        csv_s, csv_kb = timed([str(BIN / "cinelake"), "ingest", "csv"],
                              ingest_env(settings, Path(tmp) / "csv"))  # fmt: skip
        shop_s, shop_kb = timed(
            [str(BIN / "cinelake"), "ingest", "shop"],
            ingest_env(settings, Path(tmp) / "shop", CINELAKE_SHOP_TABLES="viewing_sessions"),
        )
    client_s, client_kb = timed(
        [find_binary("mariadb"), "--no-defaults", f"--socket={settings.mysql_socket}", "-uroot",
         "--batch", settings.mysql_database, "-e", "select * from viewing_sessions"],
        dict(os.environ),
    )  # fmt: skip
    rows = [
        ("CSV, both files", f"{lines:,} lines", csv_s, lines / csv_s, csv_kb),
        ("viewing_sessions, cinelake ingest shop", f"{sessions:,} rows", shop_s,
         sessions / shop_s, shop_kb),
        ("viewing_sessions, mariadb --batch > /dev/null", f"{sessions:,} rows", client_s,
         sessions / client_s, client_kb),
    ]  # fmt: skip
    header = (
        f"\n### Ingestion at SF {scale:g} ({dt.date.today()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()})\n\n"
        "| stage | volume | seconds | per second | peak RSS |\n|---|---|---:|---:|---:|\n"
    )
    table = "".join(
        f"| {name} | {volume} | {secs:.1f} | {rate:,.0f} | {kb / 1024:.0f} MB |\n"
        for name, volume, secs, rate, kb in rows
    )
    ratio = (sessions / shop_s) / (sessions / client_s)
    text = header + table + f"\ndlt rate / MySQL client rate: **{ratio:.2f}** (target >= 0.5)\n"
    print(text)
    if args.write:
        with (ROOT / "docs" / "benchmarks.md").open("a") as out:
            out.write(text)


if __name__ == "__main__":
    main()
