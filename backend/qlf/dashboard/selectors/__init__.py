"""Selectors: every function that reads. Keyword-only arguments, no writes."""
