"""The run history of dbt builds (statuses, seconds, Spark cost per node) and the docs
overview's pictures drawn from it and from the manifest."""
