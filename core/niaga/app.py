"""The application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, abort, g

from niaga import (
    admin,
    api,
    audit,
    auth,
    compression,
    config,
    core_api,
    core_plugin,
    db,
    health,
    i18n,
    idempotency,
    outbox,
    references,
    sealing,
    security,
    settings,
    setup_wizard,
    web,
)
from niaga.plugins import PluginHost
from niaga.runtime import Niaga, disabled_owner, forget_enabled_plugins

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None, host: PluginHost | None = None) -> Flask:
    """Build a Niaga application. Touches no database: that waits for the first request.

    ``host`` lets tests pass a plugin host with hand-picked plugins; by default every
    installed plugin is discovered through its entry point.
    """
    app = Flask("niaga", instance_path=str(config.home_folder()), instance_relative_config=True)
    config.load(app, overrides)

    if host is None:
        host = PluginHost()
        host.discover()
    host.register_core(core_plugin)
    engine = db.create_engine(app.config["DATABASE_URL"])
    app.extensions["niaga"] = Niaga(
        host=host, engine=engine, sessionmaker=db.make_sessionmaker(engine), blueprint_owner={}
    )
    app.teardown_appcontext(db.close_session)
    sealing.recognise_secrets(app, settings.secret_by_schema)

    # Order matters: translations before anything renders; errors and auth before the
    # blueprints that rely on them; plugin contributions last, each isolated so that one
    # broken plugin is marked failed instead of stopping the app.
    i18n.load_package_catalogues("niaga")

    # The disabled-plugin gate runs before anything else judges the request (auth, CSRF):
    # a disabled plugin's routes must answer 404 to everyone. The bearer token is only
    # looked up before it, because that lookup brings the configuration version the gate's
    # read of the enabled plugins is checked against (niaga.config_version).
    app.before_request(forget_enabled_plugins)
    app.before_request(auth.forget_caller)
    app.before_request(auth.read_bearer)
    app.before_request(_refuse_disabled_plugin)
    outbox.install()
    web.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    audit.init_app(app)
    api.init_app(app)
    references.init_app(app)
    idempotency.init_app(app)
    api.register_plugin_blueprint(app, "core", core_api.bp)
    health.init_app(app)
    compression.init_app(app)
    admin.init_app(app)
    setup_wizard.init_app(app)
    _register_plugins(app, host)
    return app


def _register_plugins(app: Flask, host: PluginHost) -> None:
    owner = app.extensions["niaga"].blueprint_owner
    for name in host.loaded_names():
        plugin = host.installed[name]
        try:
            assert plugin.module is not None
            i18n.load_package_catalogues(plugin.module.__name__.split(".")[0])
            for area in ("admin", "portal"):
                for bp in host.contributions(name, area):
                    _check_blueprint_name(name, bp.name)
                    app.register_blueprint(bp, url_prefix=f"/{area}/{name}")
                    owner[bp.name] = name
            for bp in host.contributions(name, "api"):
                _check_blueprint_name(name, bp.name)
                api.register_plugin_blueprint(app, name, bp)
                owner[bp.name] = name
            host.collect("niaga_init_app", names=[name], app=app)
        except Exception as exc:  # keep the app up; show the plugin as failed
            log.exception("plugin %s failed to register", name)
            host.mark_failed(name, f"registration failed: {type(exc).__name__}: {exc}")


def _check_blueprint_name(plugin: str, blueprint: str) -> None:
    if blueprint != plugin and not blueprint.startswith(f"{plugin}_"):
        raise ValueError(f"blueprint {blueprint!r} must be named {plugin} or {plugin}_...")


def _refuse_disabled_plugin() -> None:
    """A disabled plugin's pages and API answer 404, as if they did not exist."""
    owner = disabled_owner()
    if owner:
        g.disabled_plugin = owner
        abort(404)
