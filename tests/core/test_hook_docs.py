"""The hook reference is complete and true: every hookspec is documented there with its
exact arguments, and has a docstring."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from niaga import hookspecs

REFERENCE = Path(__file__).parents[2] / "docs" / "hooks.md"


def hookspec_functions() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "niaga_spec")
    }


def documented() -> dict[str, list[str]]:
    found = {}
    for name, args in re.findall(r"^### `(\w+)\(([^)]*)\)`", REFERENCE.read_text(), re.M):
        found[name] = [a.strip() for a in args.split(",") if a.strip()]
    return found


def test_every_hookspec_has_a_docstring():
    missing = [
        name for name in hookspec_functions() if not inspect.getdoc(getattr(hookspecs, name))
    ]
    assert missing == []


def test_every_hookspec_is_in_the_reference_with_its_arguments():
    docs = documented()
    assert len(hookspec_functions()) > 20
    for name, signature in hookspec_functions().items():
        assert name in docs, f"{name} has no section in docs/hooks.md"
        assert docs[name] == list(signature.parameters), f"{name}: arguments differ"


def test_the_reference_documents_no_hook_that_does_not_exist():
    assert set(documented()) - set(hookspec_functions()) == set()
