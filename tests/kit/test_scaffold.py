"""``niaga plugin new`` writes a plugin that installs into a fresh virtual environment, is
listed, enables (running its migration), answers its own command and passes its own tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from niaga import scaffold
from niaga.cli import main
from niaga.errors import Conflict, Invalid

CHECKOUT = Path(__file__).resolve().parents[2]
NAME = "kit_demo"


@pytest.mark.parametrize("name", ["Kasir", "9lives", "x", "stock-sync", "a" * 40, "toko sync"])
def test_a_name_must_be_a_lowercase_identifier(tmp_path, name):
    with pytest.raises(Invalid, match="not valid"):
        scaffold.create_plugin(name, tmp_path / "out", taken=())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["core", "sample", "inventory"])
def test_a_name_already_in_use_is_refused(tmp_path, name):
    with pytest.raises(Conflict, match="already taken"):
        scaffold.create_plugin(name, tmp_path / "out", taken={"sample", "inventory"})


def test_a_folder_with_files_is_not_overwritten(tmp_path):
    (tmp_path / "README.md").write_text("mine")
    with pytest.raises(Conflict, match="not empty"):
        scaffold.create_plugin(NAME, tmp_path, taken=())
    assert (tmp_path / "README.md").read_text() == "mine"


def test_the_command_explains_a_bad_name_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("NIAGA_HOME", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["plugin", "new", "Toko-Ku", "--dir", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "not valid" in result.output and "Traceback" not in result.output


def test_every_marker_is_filled_in(tmp_path):
    written = scaffold.create_plugin("toko_sync", tmp_path, taken=())
    assert Path(".ci/run") in written and Path("niaga_toko_sync/plugin.py") in written
    for relative in written:
        text = (tmp_path / relative).read_text()
        assert "@@" not in text and "@@" not in str(relative), relative
        if relative.suffix == ".py":
            compile(text, str(relative), "exec")
    migration = (tmp_path / "niaga_toko_sync/migrations/0001_initial.py").read_text()
    assert 'revision = "toko_sync0001"' in migration
    assert os.access(tmp_path / ".ci/run", os.X_OK)


# --- the whole way, in a fresh virtual environment ----------------------------------------


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 120) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Generate the plugin with the CLI, then install core and it (editable) in a new venv."""
    root = tmp_path_factory.mktemp("kit")
    plugin = root / f"niaga-{NAME}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "VIRTUAL_ENV", "PYTHONPATH", "NIAGA_DATABASE"))
    }
    env.update(NIAGA_HOME=str(root / "instance"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = CliRunner().invoke(main, ["plugin", "new", NAME, "--dir", str(plugin)], env=env)
    assert result.exit_code == 0, result.output
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    run(
        [
            str(bin_ / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "-e",
            str(CHECKOUT),
            "-e",
            f"{plugin}[test]",
        ],
        root,
        env,
        timeout=900,
    )
    return {"root": root, "plugin": plugin, "bin": bin_, "env": env}


def niaga(fresh: dict[str, object], *args: str) -> str:
    return run([str(fresh["bin"] / "niaga"), *args], fresh["root"], fresh["env"])


@pytest.mark.fresh_venv
def test_the_new_plugin_is_listed_enabled_and_answers_its_command(fresh):
    listed = json.loads(niaga(fresh, "plugins", "list", "--json"))
    assert [(p["name"], p["state"], p["error"]) for p in listed] == [(NAME, "disabled", None)]

    niaga(fresh, "init", "--email", "owner@toko.id", "--password", "rahasia-123")
    assert "Enabled: kit_demo" in niaga(fresh, "plugins", "enable", NAME)
    assert json.loads(niaga(fresh, "plugins", "info", NAME, "--json"))["state"] == "enabled"

    niaga(fresh, NAME, "add", "Kopi Toraja", "--price", "15000")
    items = json.loads(niaga(fresh, NAME, "list", "--json"))
    assert items == [{"id": 1, "name": "Kopi Toraja", "price": "15000.00"}]


@pytest.mark.fresh_venv
def test_the_new_plugin_passes_its_own_tests(fresh):
    output = run(
        [str(fresh["bin"] / "python"), "-m", "pytest", "-q"],
        fresh["plugin"],
        fresh["env"],
        timeout=600,
    )
    assert " passed" in output and "failed" not in output


@pytest.mark.fresh_venv
def test_a_generated_migration_passes_the_plugins_own_lint(fresh):
    """``niaga db revision`` writes a migration that the scaffold's ruff settings accept."""
    env = {**fresh["env"], "NIAGA_HOME": str(fresh["root"] / "instance-migration")}

    def niaga_here(*args: str) -> str:
        return run([str(fresh["bin"] / "niaga"), *args], fresh["root"], env)

    niaga_here("init", "--email", "owner@toko.id", "--password", "rahasia-123")
    niaga_here("plugins", "enable", NAME)
    models = fresh["plugin"] / f"niaga_{NAME}" / "models.py"
    models.write_text(
        models.read_text()
        + "    supplier_note: Mapped[str] = mapped_column(sa.String(200), default='',"
        " server_default='', comment='A note about where the item comes from, for the buyer')\n"
    )
    niaga_here("db", "revision", "--plugin", NAME, "-m", "a supplier note on items")
    migrations = fresh["plugin"] / f"niaga_{NAME}" / "migrations"
    written = [p for p in migrations.glob("*.py") if "supplier_note" in p.read_text()]
    assert len(written) == 1
    ruff = [str(fresh["bin"] / "python"), "-m", "ruff"]
    run([*ruff, "check", str(migrations)], fresh["plugin"], env)
    run([*ruff, "format", "--check", str(migrations)], fresh["plugin"], env)
