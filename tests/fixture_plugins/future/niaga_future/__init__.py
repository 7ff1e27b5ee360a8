"""A plugin written for a later core."""
