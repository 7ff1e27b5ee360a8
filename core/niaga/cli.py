"""The ``niaga`` command line.

Errors end the command with one line on stderr and exit code 1, never a traceback.
Listing commands take ``--json``. Plugins add command groups (``PluginMeta.cli`` or
``niaga_cli_commands``); a disabled plugin's commands refuse to run and say why.
"""

from __future__ import annotations

import getpass
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask

from niaga import __version__, auth, lifecycle, settings
from niaga.audit import acting_as
from niaga.config import write_instance_file
from niaga.db import committed, session
from niaga.errors import NiagaError
from niaga.runtime import enabled_plugins, forget_enabled_plugins, niaga

DEMO_OWNER = ("owner@demo.niaga.id", "demo-niaga-2026")


def make_app() -> Flask:
    from niaga.app import create_app

    return create_app()


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def configure_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)


class NiagaGroup(click.Group):
    """The root group: builds the app once, runs each command in an app context, adds
    plugin commands, and turns known errors into one clear line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._app: Flask | None = None
        self._plugin_commands: dict[str, tuple[str, click.Command]] | None = None

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        # Each invocation reads configuration afresh (matters when called in-process).
        self._app = None
        self._plugin_commands = None
        configure_logging(logging.ERROR)  # quiet by default; --verbose raises it
        return super().make_context(*args, **kwargs)

    @property
    def app(self) -> Flask:
        if self._app is None:
            self._app = make_app()
        return self._app

    def _plugins(self) -> dict[str, tuple[str, click.Command]]:
        if self._plugin_commands is None:
            self._plugin_commands = {}
            host = self.app.extensions["niaga"].host
            for name in host.loaded_names():
                try:
                    for command in host.contributions(name, "cli"):
                        self._plugin_commands[command.name] = (name, command)
                except Exception as exc:  # a broken plugin must not break the CLI
                    host.mark_failed(name, f"CLI registration failed: {exc}")
        return self._plugin_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        found = self._plugins().get(cmd_name)
        if found is None:
            return None
        plugin, command = found
        return _guarded(plugin, command)

    def invoke(self, ctx: click.Context) -> Any:
        ctx.obj = self
        try:
            with self.app.app_context(), acting_as("cli"):
                return super().invoke(ctx)
        except NiagaError as exc:
            raise click.ClickException(exc.message("en")) from None
        except sa.exc.OperationalError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            raise click.ClickException(
                f"Database problem: {reason}. Is the database reachable, and did you run "
                "'niaga init'?"
            ) from None
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
            raise click.ClickException(f"Database error: {reason}") from None


def _guarded(plugin: str, command: click.Command) -> click.Command:
    original = command.invoke

    def invoke(ctx: click.Context) -> Any:
        if plugin not in enabled_plugins():
            raise click.ClickException(
                f"Plugin {plugin} is disabled; enable it with 'niaga plugins enable {plugin}'"
            )
        return original(ctx)

    command.invoke = invoke  # type: ignore[method-assign]
    return command


@click.group(cls=NiagaGroup)
@click.version_option(__version__, prog_name="niaga")
@click.option("-v", "--verbose", is_flag=True, help="Log warnings and progress to stderr.")
def main(verbose: bool) -> None:
    """Niaga: the back office for Indonesian small businesses.

    Configuration comes from NIAGA_HOME/niaga.toml (default ./instance) and NIAGA_*
    environment variables, e.g. NIAGA_DATABASE_URL=postgresql://user@host/db.
    """
    configure_logging(logging.INFO if verbose else logging.ERROR)


# --- init, serve, demo ---------------------------------------------------------------------


def initialise(email: str | None, password: str | None, name: str = "Owner") -> bool:
    """Create the instance folder and database, and the first owner unless one exists.
    Returns True when an owner was created."""
    from flask import current_app

    from niaga.models import Role, User

    write_instance_file(Path(current_app.instance_path))
    host = niaga().host
    db = session()
    lifecycle.upgrade_all(db, host)
    auth.ensure_roles(db)
    committed()
    has_owner = db.scalar(
        sa.select(sa.func.count()).select_from(User).join(Role).where(Role.name == "owner")
    )
    if has_owner:
        return False
    if email is None or password is None:
        if not sys.stdin.isatty():
            raise click.ClickException("No owner account yet: pass --email and --password")
        email = email or click.prompt("Owner e-mail")
        password = password or getpass.getpass("Owner password (8+ characters): ")
    committed(auth.create_user(db, role="owner", email=email, password=password, name=name))
    return True


@main.command()
@click.option("--email", help="E-mail of the first owner account.")
@click.option("--password", help="Password of the first owner account (8+ characters).")
@click.option("--name", default="Owner", show_default=True, help="Owner's display name.")
def init(email: str | None, password: str | None, name: str) -> None:
    """Create the instance folder, the database and the first owner account."""
    created = initialise(email, password, name)
    from flask import current_app

    click.echo(f"Instance folder: {current_app.instance_path}")
    click.echo("Owner account created." if created else "Already initialised; database upgraded.")


def serve_app(app: Flask, host: str, port: int, threads: int) -> None:
    from niaga import serving

    configure_logging(logging.INFO)
    serving.size_pool(app, threads)
    if not app.config.get("REDIS_URL") and app.config.get("EMBEDDED_WORKER"):
        from niaga.jobs import start_embedded_worker

        start_embedded_worker(app)
    click.echo(f"Niaga is serving on http://{host}:{port}/admin/ (Ctrl+C to stop)")
    serving.serve(app, host, port, threads)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.pass_obj
def serve(group: NiagaGroup, host: str, port: int, threads: int) -> None:
    """Serve Niaga with Waitress, a production WSGI server that also runs on Windows."""
    serve_app(group.app, host, port, threads)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Set up and load the data, but do not serve.")
@click.pass_obj
def demo(group: NiagaGroup, host: str, port: int, no_serve: bool) -> None:
    """Initialise, enable every plugin, load demo data (once) and serve."""
    email, password = DEMO_OWNER
    initialise(email, password, "Pemilik Demo")
    host_ = niaga().host
    db = session()
    committed(
        [
            lifecycle.enable(db, host_, name, with_deps=True)
            for name in host_.dependency_order(host_.loaded_names())
        ]
    )
    forget_enabled_plugins()
    auth.ensure_roles(db)
    committed()
    if not settings.get_stored(db, "core.demo_loaded", False):
        from niaga.demo import load_demo_data

        load_demo_data(db)
        settings.put_stored(db, "core.demo_loaded", True)
        committed()
        click.echo("Demo data loaded.")
    click.echo(f"Log in as {email} with password {password}")
    if not no_serve:
        serve_app(group.app, host, port, 8)


# --- db ---------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--plugin", help="Only this plugin (or 'core').")
def db_upgrade(plugin: str | None) -> None:
    """Run the migrations of core and every enabled plugin."""
    names = committed(lifecycle.upgrade_all(session(), niaga().host, plugin))
    click.echo("Up to date: " + ", ".join(names))


@db.command("revision")
@click.option("--plugin", required=True, help="Plugin (or 'core') to write the migration for.")
@click.option("-m", "--message", required=True, help="What the migration does.")
def db_revision(plugin: str, message: str) -> None:
    """Write a new migration for a plugin from the difference between models and database."""
    from niaga import migrate
    from niaga.plugins import migrations_folder

    folder = migrations_folder(niaga().host, plugin)
    if folder is None:
        raise click.ClickException(f"Plugin {plugin} declares no migrations folder")
    migrate.revision(session().connection(), plugin, folder, message)
    session().rollback()


# --- plugins ------------------------------------------------------------------------------


def plugin_rows() -> list[dict[str, Any]]:
    host = niaga().host
    try:
        enabled = enabled_plugins()
    except sa.exc.OperationalError:
        enabled = frozenset()  # not initialised yet: list what is installed anyway
        session().rollback()
    rows = []
    for name, plugin in sorted(host.installed.items()):
        meta = plugin.meta
        state = (
            plugin.status if not plugin.loaded else ("enabled" if name in enabled else "disabled")
        )
        rows.append(
            {
                "name": name,
                "version": plugin.version,
                "state": state,
                "depends": list(plugin.depends),
                "dependents": host.dependents(name),
                "error": plugin.error,
                "label": dict(meta.label) if meta else {},
                "description": dict(meta.description) if meta else {},
                "core_requires": meta.core_requires if meta else "",
            }
        )
    return rows


@main.group()
def plugins() -> None:
    """List, inspect, enable and disable plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_list(as_json: bool) -> None:
    """List installed plugins and their state."""
    rows = plugin_rows()
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        extra = f"  ({row['error']})" if row["error"] else ""
        click.echo(f"{row['name']:<14} {row['version']:<10} {row['state']:<13}{extra}")


@plugins.command("info")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_info(name: str, as_json: bool) -> None:
    """Show one plugin."""
    niaga().host.get(name)
    row = next(r for r in plugin_rows() if r["name"] == name)
    if as_json:
        echo_json(row)
        return
    for key, value in row.items():
        click.echo(f"{key}: {value}")


@plugins.command("enable")
@click.argument("name")
@click.option("--with-deps", is_flag=True, help="Also enable the plugins it needs.")
def plugins_enable(name: str, with_deps: bool) -> None:
    """Enable a plugin (runs its migrations)."""
    switched = lifecycle.enable(session(), niaga().host, name, with_deps)
    auth.ensure_roles(session())
    committed()
    click.echo(f"Enabled: {', '.join(switched)}" if switched else f"{name} was already enabled")


@plugins.command("disable")
@click.argument("name")
def plugins_disable(name: str) -> None:
    """Disable a plugin; its data stays."""
    changed = committed(lifecycle.disable(session(), niaga().host, name))
    click.echo(f"Disabled: {name} (data kept)" if changed else f"{name} was already disabled")


@plugins.command("purge")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Confirm without asking.")
def plugins_purge(name: str, yes: bool) -> None:
    """Delete all data of a disabled plugin. This cannot be undone."""
    if not yes:
        click.confirm(f"Delete every table and record of {name}?", abort=True)
    lifecycle.purge(session(), niaga().host, name)
    committed()
    click.echo(f"Purged: {name}")


@main.group()
def plugin() -> None:
    """Tools for plugin authors."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create (default: ./niaga-NAME).",
)
def plugin_new(name: str, directory: Path | None) -> None:
    """Create a new plugin distribution NAME, ready to install, enable and test."""
    from niaga import scaffold

    destination = directory or Path(f"niaga-{name.replace('_', '-')}")
    written = scaffold.create_plugin(name, destination)
    click.echo(f"Created plugin {name} in {destination} ({len(written)} files). Next:")
    click.echo(f"  pip install -e {destination}")
    click.echo(f"  niaga plugins enable {name}")
    click.echo(f"  cd {destination} && pytest")


@main.group("i18n")
def i18n_group() -> None:
    """Translation catalogues (gettext .po, one per package)."""


@i18n_group.command("update")
@click.argument("package_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--language", default="id", show_default=True, help="Catalogue to update.")
def i18n_update(package_dir: Path, language: str) -> None:
    """Add the texts of PACKAGE_DIR (e.g. niaga_etalase/) to its .po; keeps translations."""
    from niaga import i18n

    inner = sorted(package_dir.glob("niaga_*/__init__.py"))
    if not (package_dir / "__init__.py").is_file() and len(inner) == 1:
        package_dir = inner[0].parent  # the distribution folder was given
    changes = i18n.update_catalogue(package_dir.resolve(), language)
    click.echo(
        f"{changes['path']}: {len(changes['added'])} added, "
        f"{len(changes['untranslated'])} to translate, "
        f"{len(changes['not_in_sources'])} kept though not found in the sources"
    )
    for text in changes["untranslated"]:
        click.echo(f"  to translate: {text}")


# --- config ----------------------------------------------------------------------------------


def _add_account_commands() -> None:
    from niaga.accounts_cli import tokens, users

    main.add_command(users)
    main.add_command(tokens)


_add_account_commands()


@main.group()
def config() -> None:
    """Read and change settings (keys look like core.shop_name or inventory.allow_negative)."""


@config.command("get")
@click.argument("key", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def config_get(key: str | None, as_json: bool) -> None:
    """Show one setting, or all of them."""
    db_ = session()
    if key:
        field = settings.field_of(key)
        value = settings.get(db_, key)
        shown = settings.MASK if settings.is_secret(field) and value else value
        echo_json(shown) if as_json else click.echo(shown)
        return
    values = {}
    for plugin, schema in sorted(settings.schemas().items()):
        for name, field in schema().fields.items():
            value = settings.get(db_, f"{plugin}.{name}")
            values[f"{plugin}.{name}"] = (
                settings.MASK if settings.is_secret(field) and value else value
            )
    if as_json:
        echo_json(values)
    else:
        for k, v in values.items():
            click.echo(f"{k} = {json.dumps(v, ensure_ascii=False)}")


@config.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Change a setting; the value is checked against the plugin's settings schema."""
    stored = committed(settings.put(session(), key, settings.parse_cli_value(value)))
    field = settings.field_of(key)
    click.echo(f"{key} = {settings.MASK if settings.is_secret(field) else stored}")


@config.command("reseal")
def config_reseal() -> None:
    """Seal every secret setting again with the newest key (the first of seal_keys), so
    that older keys can then be dropped from seal_keys."""
    from cryptography.fernet import InvalidToken

    from niaga import sealing
    from niaga.models import Setting

    db_ = session()
    done, unreadable = 0, []
    with acting_as("cli:config reseal"):
        for row in db_.scalars(sa.select(Setting).order_by(Setting.key)):
            if not sealing.is_secret_setting(row.key) or row.stored in (None, ""):
                continue
            try:
                row.stored = sealing.reseal(row.stored)
            except InvalidToken:
                unreadable.append(row.key)
                continue
            done += 1
        committed(done)
    click.echo(f"Resealed {done} secret setting(s) with the newest key.")
    if unreadable:
        click.echo(
            "No configured key opens: " + ", ".join(unreadable) + ". Put the key that sealed "
            "them back in seal_keys, or enter these settings again.",
            err=True,
        )
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(as_json: bool) -> None:
    """Check the consistency of every enabled plugin's data (ledgers, balances)."""
    from niaga.runtime import collect

    problems = {plugin: found for plugin, found in collect("niaga_check", session=session())}
    if as_json:
        echo_json(problems)
    else:
        for plugin, found in problems.items():
            click.echo(f"{plugin}: {'OK' if not found else ''}")
            for problem in found:
                click.echo(f"  - {problem}")
    if any(problems.values()):
        sys.exit(1)


# --- backup ---------------------------------------------------------------------------------


PASSPHRASE_ENV = "NIAGA_BACKUP_PASSPHRASE"


def _passphrase(confirm: bool) -> str:
    """The backup passphrase: from NIAGA_BACKUP_PASSPHRASE (for scheduled backups), else
    asked for without echo."""
    import os

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    return str(click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm))


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--encrypt",
    is_flag=True,
    help=f"Encrypt with a passphrase (from {PASSPHRASE_ENV}, or asked for).",
)
def backup(path: Path | None, encrypt: bool) -> None:
    """Write a consistent copy of the database (safe while Niaga runs)."""
    from flask import current_app

    from niaga import backup as backups

    url = current_app.config["DATABASE_URL"]
    target = path or backups.default_path(Path(current_app.instance_path), url)
    if encrypt:
        if path is None:
            target = target.with_name(target.name + ".enc")
        written = backups.backup_encrypted(url, target, _passphrase(confirm=True))
    else:
        written = backups.backup(url, target)
    click.echo(f"Backup written: {written}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm without asking.")
def restore(path: Path, yes: bool) -> None:
    """Replace the database with a backup. Stop the servers and workers first."""
    from flask import current_app

    from niaga import backup as backups

    if not yes:
        click.confirm("Replace ALL current data with this backup?", abort=True)
    passphrase = (
        _passphrase(confirm=False) if path.is_file() and backups.is_encrypted(path) else None
    )
    niaga().engine.dispose()
    backups.restore(current_app.config["DATABASE_URL"], path, passphrase)
    click.echo(f"Restored from {path}")


# --- worker -----------------------------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is due, then stop.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def worker(once: bool, interval: float) -> None:
    """Deliver outbox messages and run scheduled jobs."""
    from niaga.jobs import run_worker

    configure_logging(logging.INFO)
    run_worker(once=once, interval=interval)
