"""Chuhai (出海): compliance and case management for exporting used cars and EVs from China."""

__version__ = "0.1.0"
