"""The niaga command line, run as a real subprocess."""

from __future__ import annotations

import json

SIX = {"inventory", "sales", "cashbank", "purchasing", "payments", "loyalty"}


def test_init_creates_the_owner_once(run_niaga):
    first = run_niaga("init", "--email", "bos@toko.id", "--password", "rahasia-123")
    assert "Owner account created." in first.stdout
    again = run_niaga("init", "--email", "x@toko.id", "--password", "rahasia-123")
    assert "Already initialised" in again.stdout


def test_plugins_list_json_has_the_fields_scripts_rely_on(run_niaga):
    rows = json.loads(run_niaga("plugins", "list", "--json").stdout)
    by_name = {row["name"]: row for row in rows}
    assert SIX | {"sample", "broken", "future"} <= set(by_name)
    for row in rows:
        assert {"name", "version", "state", "depends", "error"} <= set(row)
    assert by_name["loyalty"]["depends"] == ["sales"]
    assert by_name["inventory"]["state"] == "disabled"
    assert by_name["inventory"]["error"] is None
    assert by_name["broken"]["state"] == "failed"
    assert "broken on purpose" in by_name["broken"]["error"]
    assert by_name["future"]["state"] == "incompatible"
    assert by_name["sample"]["version"] == "1.2.0"


def test_enable_with_deps_then_disable_order(run_niaga):
    refused = run_niaga("plugins", "enable", "loyalty", check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error: Plugin loyalty needs sales; enable it first or use --with-deps"
    )
    assert (
        "Enabled: sales, loyalty" in run_niaga("plugins", "enable", "loyalty", "--with-deps").stdout
    )
    blocked = run_niaga("plugins", "disable", "sales", check=False)
    assert blocked.returncode == 1
    assert "loyalty depends on it" in blocked.stderr
    assert "Traceback" not in blocked.stderr
    run_niaga("plugins", "disable", "loyalty")
    run_niaga("plugins", "disable", "sales")
    info = json.loads(run_niaga("plugins", "info", "sales", "--json").stdout)
    assert info["state"] == "disabled"
    assert info["dependents"] == ["loyalty", "tax"]  # installed plugins that need sales


def test_errors_are_one_line_without_traceback(run_niaga):
    for args in (
        ("plugins", "enable", "nope"),
        ("plugins", "info", "nope"),
        ("plugins", "enable", "broken"),
        ("config", "set", "core.timezone", "PST"),
        ("config", "get", "core.nope"),
        ("config", "set", "nokey", "1"),
    ):
        result = run_niaga(*args, check=False)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.stderr)


def test_config_set_and_get(run_niaga):
    run_niaga("config", "set", "core.shop_name", "Toko Maju Jaya")
    assert run_niaga("config", "get", "core.shop_name").stdout.strip() == "Toko Maju Jaya"
    run_niaga("config", "set", "core.vat_registered", "true")
    values = json.loads(run_niaga("config", "get", "--json").stdout)
    assert values["core.vat_registered"] is True
    assert values["core.shop_name"] == "Toko Maju Jaya"


def test_plugin_settings_mask_secrets(run_niaga):
    run_niaga("plugins", "enable", "sample")
    shown = run_niaga("config", "set", "sample.api_key", "sk-very-secret").stdout
    assert "sk-very-secret" not in shown
    assert run_niaga("config", "get", "sample.api_key").stdout.strip() == "********"


def test_plugin_commands_refuse_while_disabled(run_niaga):
    refused = run_niaga("sample", "count", check=False)
    assert refused.returncode == 1
    assert "Plugin sample is disabled" in refused.stderr
    run_niaga("plugins", "enable", "sample")
    assert run_niaga("sample", "count").stdout.strip() == "0"


def test_purge_removes_a_disabled_plugins_tables(run_niaga):
    run_niaga("plugins", "enable", "sample")
    assert "is enabled" in run_niaga("plugins", "purge", "sample", "--yes", check=False).stderr
    run_niaga("plugins", "disable", "sample")
    run_niaga("plugins", "purge", "sample", "--yes")
    assert run_niaga("sample", "count", check=False).returncode == 1
    run_niaga("plugins", "enable", "sample")
    assert run_niaga("sample", "count").stdout.strip() == "0"


def test_db_upgrade_reports_what_ran(run_niaga):
    run_niaga("plugins", "enable", "sample")
    assert run_niaga("db", "upgrade").stdout.strip() == "Up to date: core, sample"
    assert run_niaga("db", "upgrade", "--plugin", "sample").stdout.strip() == "Up to date: sample"
