"""Plugins publish hooks of their own; the loader holds them to the naming and dependency
rules and every call goes through pluggy."""

from __future__ import annotations

import types

import pytest

from niaga import PluginMeta, hookimpl, hookspec
from niaga.plugins import FAILED, LOADED, PluginHost


def plugin_module(name: str, **meta: object) -> types.ModuleType:
    module = types.ModuleType(f"fake_{name}")
    module.PLUGIN = PluginMeta(name=name, label={"en": name}, description={"en": name}, **meta)
    return module


def specs(*names: str) -> types.ModuleType:
    """A hookspec module with one ``(cups)`` hook per name."""
    module = types.ModuleType("fake_specs")
    for name in names:

        def spec(cups: int) -> None:
            """Something happened to some cups."""

        setattr(module, name, hookspec(spec))
    return module


def implementing(module: types.ModuleType, hook: str, function: object) -> types.ModuleType:
    setattr(module, hook, hookimpl(function))
    return module


@pytest.fixture
def host() -> PluginHost:
    return PluginHost()


def test_a_plugin_publishes_hooks_that_another_implements(host):
    host.add(plugin_module("tea", hookspecs=specs("tea_brewed")))
    drinker = plugin_module("drinker", depends=("tea",))
    record = host.add(implementing(drinker, "tea_brewed", lambda cups: cups * 2))
    assert record.status == LOADED, record.error
    assert host.spec_owner["tea_brewed"] == "tea"
    assert host.collect("tea_brewed", cups=3) == [("drinker", 6)]
    assert host.relay(frozenset({"tea", "drinker"})).tea_brewed(cups=2) == [4]
    assert host.relay(frozenset({"tea"})).tea_brewed(cups=2) == []


def test_implementing_another_plugins_hook_needs_a_declared_dependency(host):
    host.add(plugin_module("tea", hookspecs=specs("tea_brewed")))
    record = host.add(implementing(plugin_module("sneaky"), "tea_brewed", lambda cups: None))
    assert record.status == FAILED
    assert "tea_brewed (of tea)" in record.error


def test_an_optional_dependency_may_be_absent(host):
    listener = plugin_module("listener", optional_depends=("tea",))
    assert host.add(implementing(listener, "tea_brewed", lambda cups: None)).status == LOADED
    record = host.add(implementing(plugin_module("stranger"), "coffee_made", lambda cups: 1))
    assert record.status == FAILED and "unknown hooks: coffee_made" in record.error


def test_published_hooks_carry_the_plugins_name_and_are_published_once(host):
    wrong = host.add(plugin_module("tea", hookspecs=specs("coffee_made")))
    assert wrong.status == FAILED and "must be named tea_" in wrong.error
    assert host.add(plugin_module("tea", hookspecs=specs("tea_pot_filled"))).status == LOADED
    clash = host.add(plugin_module("tea_pot", hookspecs=specs("tea_pot_filled")))
    assert clash.status == FAILED
    assert "already published: tea_pot_filled (by tea)" in clash.error


def test_calls_go_through_pluggy_so_tracing_sees_them(host):
    host.add(plugin_module("tea", hookspecs=specs("tea_brewed")))
    host.add(implementing(plugin_module("drinker", depends=("tea",)), "tea_brewed", lambda cups: 1))
    seen: list[str] = []
    undo = host.pm.add_hookcall_monitoring(
        lambda name, impls, kwargs: seen.append(name), lambda *args: None
    )
    host.collect("tea_brewed", cups=1)
    host.relay(frozenset({"tea", "drinker"})).pipeline("tea_brewed", 1, "cups")
    undo()
    assert seen == ["tea_brewed", "tea_brewed"]


TEA_COMMAND = object()


def test_a_plugin_names_its_blueprints_and_commands_in_its_metadata(host):
    declared = plugin_module("tea", cli=(f"{__name__}:TEA_COMMAND",))
    extra = object()
    host.add(implementing(declared, "niaga_cli_commands", lambda: [extra]))
    assert host.contributions("tea", "cli") == [TEA_COMMAND, extra]
    assert host.contributions("tea", "api") == []


def test_a_reference_that_is_not_module_attribute_is_refused(host):
    host.add(plugin_module("tea", api=("niaga.api",)))
    with pytest.raises(ValueError, match="not a 'module:attribute' reference"):
        host.contributions("tea", "api")
