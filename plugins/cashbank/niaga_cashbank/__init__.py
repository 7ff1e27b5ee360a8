"""Niaga Cash & Bank plugin: automatic double-entry books and SAK EMKM financial statements."""
