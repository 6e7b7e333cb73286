"""dbt's `model` for sqlfluff's jinja templater (.sqlfluff's library_path makes this module
the template context's `model`), which sqlfluff's dbt builtins lack.

A model that runs a query when dbt compiles it does so only for a model, not for a unit test
(customer_rfm_segments reads its latest date first; a unit test has fixture rows, not tables).
sqlfluff renders the model as for a unit test: the select with no query run, as adapter.py
answers as for a relation not built yet. dbt itself uses the real node.
"""

from __future__ import annotations

resource_type = "unit_test"
