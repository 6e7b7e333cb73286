"""dbt's `adapter` for sqlfluff's jinja templater (.sqlfluff's library_path makes this module
the template context's `adapter`).

sqlfluff's dbt builtins (`apply_dbt_builtins`) emulate ref, source, this and is_incremental,
but not `adapter`, and a macro that asks the adapter about a relation stopped the templater
("'adapter' is undefined"). Here the answers are those of a relation that does not exist yet,
as on a first build (macros/utils/changed_since_last_run.sql then renders a first build's
select: sqlfluff never sees its compare).
dbt itself uses the real adapter.
"""

from __future__ import annotations

from typing import Any


def get_columns_in_relation(relation: Any) -> list[Any]:
    """No columns: the relation is not built yet."""
    return []
