"""The QLF Django app: data model, ingestion, selectors and the REST API."""
