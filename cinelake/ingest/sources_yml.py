"""`cinelake sources-yml <name>`: the dbt sources YAML of a database's bronze tables, with the
columns and Spark types of what landed (the committed schema of its Delta tables), so `dbt build`
registers them (macros/bronze/register_bronze_sources.sql) and modelling can start at once.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import yaml

from cinelake import lake
from cinelake.config import PROJECT_ROOT
from cinelake.errors import CinelakeError

PARTITIONS = lake.PARTITION_COLUMNS
LINEAGE_DOCS = {"_loaded_at": "bronze_loaded_at", "_dlt_load_id": "bronze_dlt_load_id"}
SIMPLE_TYPES = {
    pa.int8(): "tinyint", pa.int16(): "smallint", pa.int32(): "int", pa.int64(): "bigint",
    pa.float32(): "float", pa.float64(): "double", pa.bool_(): "boolean",
    pa.string(): "string", pa.large_string(): "string",
    pa.binary(): "binary", pa.large_binary(): "binary", pa.date32(): "date",
}  # fmt: skip


class NothingLanded(CinelakeError):
    """The database has no table in bronze yet."""


def spark_type(table: str, field: pa.Field) -> str:
    """The Spark SQL type the registration macro declares for a landed Arrow column."""
    if pa.types.is_dictionary(field.type):  # dlt's _dlt_load_id: Parquet dictionary encoding
        return spark_type(table, pa.field(field.name, field.type.value_type))
    if field.type in SIMPLE_TYPES:
        return SIMPLE_TYPES[field.type]
    if pa.types.is_decimal(field.type):
        return f"decimal({field.type.precision},{field.type.scale})"
    # Spark reads Parquet time stamps of either kind as `timestamp` (UTC: see the shop's YAML)
    if pa.types.is_timestamp(field.type):
        return "timestamp"
    raise ValueError(f"{table}.{field.name}: Arrow type {field.type} has no Spark type here")


def landed_schemas(lake_url: str, source: str) -> dict[str, pa.Schema]:
    """Each landed table of `source` and the merged schema of its files."""
    fs, root = lake.filesystem(lake.bronze_url(lake_url, source))
    if not fs.exists(root):
        raise NothingLanded(
            f"nothing landed for {source} in {root}: run `cinelake ingest {source}`"
        )
    schemas = {}
    for entry in sorted(fs.ls(root, detail=False)):
        table = entry.rstrip("/").rsplit("/", 1)[-1]
        if table.startswith(("_", ".")) or not fs.isdir(entry):
            continue  # dlt's own state and version tables
        # The committed schema of the Delta table: files that a day snapshot replaced (still on
        # disk until VACUUM) or a load cut short never count.
        delta = lake.delta_table(lake.bronze_url(lake_url, source, table))
        if delta is not None:
            schemas[table] = delta.to_pyarrow_dataset().schema
    if not schemas:
        raise NothingLanded(
            f"nothing landed for {source} in {root}: run `cinelake ingest {source}`"
        )
    return schemas


def render(source: str, schemas: dict[str, pa.Schema]) -> str:
    """The sources YAML text, in the layout of models/silver/shop/_shop__sources.yml."""
    tables = []
    for table, schema in sorted(schemas.items()):
        columns = [
            {
                "name": field.name,
                "data_type": spark_type(f"{source}.{table}", field),
                "description": f'{{{{ doc("{LINEAGE_DOCS[field.name]}") }}}}'
                if field.name in LINEAGE_DOCS else "",
            }
            for field in schema
            if field.name not in PARTITIONS
        ]  # fmt: skip
        columns += [
            {"name": p, "data_type": "int", "description": f'{{{{ doc("bronze_partition{p}") }}}}'}
            for p in PARTITIONS
        ]
        tables.append({
            "name": table, "identifier": f"{source}__{table}",
            "description": f"Every extracted version of {source}.{table} (generated).",
            "columns": columns,
        })  # fmt: skip
    document = {
        "version": 2,
        "sources": [{
            "name": source,
            "description": f"The database {source}, landed by `cinelake ingest {source}`.",
            "schema": "bronze",
            "loaded_at_field": "_loaded_at",
            "freshness": {"warn_after": {"count": 2, "period": "day"},
                          "error_after": {"count": 7, "period": "day"}},
            "tables": tables,
        }],
    }  # fmt: skip
    header = (
        f"# Bronze source `{source}`, written by `cinelake sources-yml {source}` from the schema\n"
        f"# of the Delta tables that landed under <lake>/bronze/{source}/. Describe the tables\n"
        "# and columns here; a column the files gain later is picked up by the registration.\n\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def default_path(source: str) -> Path:
    return PROJECT_ROOT / "models" / "silver" / source / f"_{source}__sources.yml"


def write(lake_url: str, source: str, path: Path | None = None, force: bool = False) -> Path:
    """Write the YAML for `source` (never over an existing file unless `force`)."""
    path = path or default_path(source)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (it may hold your descriptions): --force to replace")
    text = render(source, landed_schemas(lake_url, source))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
