"""QLF: the Quick Look Framework."""

__version__ = "0.1.0"
