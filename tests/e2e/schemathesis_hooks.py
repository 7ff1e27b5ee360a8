"""schemathesis hooks for fuzzing a running Niaga (``SCHEMATHESIS_HOOKS=schemathesis_hooks``
with this folder on ``PYTHONPATH``): an owner's API token that survives the fuzzer itself.

``DELETE /api/core/tokens/{token_id}`` is an operation like any other, and sooner or later
the fuzzer revokes the token it is using; every operation after that would only see 401.
So when an answer is 401 and the token really no longer works, a new one is made with
``niaga tokens create`` for ``NIAGA_FUZZ_USER`` (an owner), against the database of the
``NIAGA_*`` settings in the environment. ``NIAGA_FUZZ_URL`` is the server's base URL and
``NIAGA_FUZZ_TOKEN`` the first token."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import requests
import schemathesis


def new_token() -> str:
    """A fresh owner token from the ``niaga`` command (printed on its last line)."""
    user = os.environ["NIAGA_FUZZ_USER"]
    command = [sys.executable, "-m", "niaga", "tokens", "create", "--user", user, "--name", "fuzz"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


@schemathesis.auth()
class OwnerToken:
    """The token in use, replaced only once the server no longer accepts it."""

    def __init__(self) -> None:
        self.token = os.environ["NIAGA_FUZZ_TOKEN"]

    def get(self, case: Any, ctx: Any) -> str:
        me = requests.get(
            f"{os.environ['NIAGA_FUZZ_URL']}/api/core/me",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=60,
        )
        if me.status_code == 401:
            self.token = new_token()
        return self.token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
