"""Readers (and, for the simple formats, writers) of the files QLF consumes and produces."""
