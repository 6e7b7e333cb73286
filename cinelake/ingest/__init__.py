"""Ingestion into bronze: the dlt sources and pipelines, run reports, alerts, redaction."""
