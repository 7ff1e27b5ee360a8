"""Tests of the plugin-author kit: ``niaga plugin new``, the example plugin, the guides."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fresh_venv: builds a new virtual environment (a minute or so; part of the default run)",
    )
