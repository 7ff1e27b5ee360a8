"""Enabling and disabling through one process is seen by an already running server."""

from __future__ import annotations

import urllib.error
import urllib.request


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_running_server_sees_plugins_enabled_and_disabled_elsewhere(run_niaga, niaga_server):
    notes = f"{niaga_server}/api/sample/notes"
    assert status_of(notes) == 404
    run_niaga("plugins", "enable", "sample")
    assert status_of(notes) == 401  # the route exists now, and wants a login
    run_niaga("plugins", "disable", "sample")
    assert status_of(notes) == 404
