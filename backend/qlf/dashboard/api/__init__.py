"""The REST API of DESIGN.md 8: thin views over selectors and services."""
