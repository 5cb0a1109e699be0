"""Services: every function that writes. Keyword-only arguments, one transaction each."""
