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
    assert "niaga_init_app" in hookspec_functions()
    for name, signature in hookspec_functions().items():
        assert name in docs, f"{name} has no section in docs/hooks.md"
        assert docs[name] == list(signature.parameters), f"{name}: arguments differ"


def test_core_defines_only_its_own_registration_hooks():
    assert [name for name in hookspec_functions() if not name.startswith("niaga_")] == []


def test_the_reference_documents_no_hook_that_does_not_exist():
    assert set(documented()) - set(hookspec_functions()) == set()


def test_hooks_a_plugin_publishes_are_documented_in_its_readme(app):
    """A plugin's own hooks are documented in the README beside its package."""
    import importlib

    host = app.extensions["niaga"].host
    publishers = [p for p in host.installed.values() if p.meta and p.meta.hookspecs]
    expected = {"inventory", "sales", "purchasing", "payments", "loyalty", "shipping"}
    assert expected <= {p.name for p in publishers}
    for plugin in publishers:
        package = importlib.import_module(plugin.meta.hookspecs.__name__.split(".")[0])
        readme = Path(package.__file__).parents[1] / "README.md"
        text = readme.read_text(encoding="utf-8")
        found = {
            name: [a.strip() for a in args.split(",") if a.strip()]
            for name, args in re.findall(r"^### `(\w+)\(([^)]*)\)`", text, re.M)
        }
        published = {
            name
            for name, function in inspect.getmembers(plugin.meta.hookspecs, inspect.isfunction)
            if hasattr(function, "niaga_spec")
        }
        assert set(found) - published == set(), f"{readme} documents hooks that do not exist"
        for name, function in inspect.getmembers(plugin.meta.hookspecs, inspect.isfunction):
            if not hasattr(function, "niaga_spec"):
                continue
            assert inspect.getdoc(function), f"{name} has no docstring"
            assert found.get(name) == list(inspect.signature(function).parameters), (
                f"{name} is not documented with its arguments in {readme}"
            )
