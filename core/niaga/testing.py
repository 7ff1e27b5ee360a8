"""``niaga.testing``: a pytest plugin for Niaga and for plugin authors.

Installed with Niaga (entry point ``pytest11``), so any plugin's tests can use:

``app``
    A Niaga app on a fresh database with the plugins named by the ``plugins`` marker
    enabled (``@pytest.mark.plugins("sales", "inventory")``; default: none but core).
``db``
    The database session of that app (inside an app context).
``client``
    A Flask test client. ``owner`` is an owner account; ``api`` is a JSON client that
    sends the owner's API token; ``login(client, user)`` logs a browser client in.
``make_user``
    ``make_user("cashier", email=...)`` creates a user with a role.
``live_server``
    The ``app`` served by a real threaded WSGI server on 127.0.0.1; yields its base URL.
``browser_page``
    A Playwright page in headless Chromium (``/usr/bin/chromium``) aimed at ``live_server``;
    mark such tests ``@pytest.mark.browser``.
``shop_clock``
    ``shop_clock(instant)`` stops the clock at an aware instant until the test ends.
``shop_today()``
    Today where the shop is (Asia/Jakarta unless the shop says otherwise), from the same
    clock as the product: the day tests must use for "today", never ``date.today()``.

The database is SQLite unless ``NIAGA_TEST_DATABASE=postgresql``; then each test run
creates its own PostgreSQL database (``NIAGA_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``) and drops it afterwards. The schema is
migrated once per run (core and every installed plugin); each test then starts from empty
tables: SQLite copies a template file, PostgreSQL truncates.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

PASSWORD = "rahasia-123"


def database_kind() -> str:
    return os.environ.get("NIAGA_TEST_DATABASE", "sqlite")


def postgres_admin_url() -> str:
    return os.environ.get(
        "NIAGA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )


def postgres_available() -> bool:
    from niaga.db import create_engine

    engine = create_engine(postgres_admin_url())
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def create_postgres_database() -> str:
    """Create an empty database ``niaga_test_<random>``; returns its URL."""
    from niaga.db import create_engine

    name = f"niaga_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres_admin_url().rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(url: str) -> None:
    from niaga.db import create_engine

    name = url.rsplit("/", 1)[1]
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class SeparateRequestsClient(FlaskClient):
    """Flask's test client, with each request as separate as in a browser.

    While a test holds an app context open (the ``db`` fixture), Flask runs every request
    inside it, so all clients share one ``g`` — and Flask-WTF keeps the CSRF token there:
    a second client would render the first one's token and be refused. Each request here
    starts without it.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g, has_app_context

        if has_app_context():
            g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


def build_app(database_url: str, **overrides: Any) -> Flask:
    from niaga.app import create_app

    config = {
        "DATABASE_URL": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "LOGIN_RATE_LIMIT": 1000,
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = SeparateRequestsClient
    return app


def migrate_everything(app: Flask) -> None:
    """Create core's and every loaded plugin's tables; leaves every plugin disabled."""
    from niaga import lifecycle
    from niaga.db import session

    with app.app_context():
        host = app.extensions["niaga"].host
        db = session()
        lifecycle.upgrade(db, host, "core")
        for name in host.dependency_order(host.loaded_names()):
            lifecycle.upgrade(db, host, name)
        db.commit()


def enable_plugins(app: Flask, names: list[str]) -> None:
    from niaga import auth, lifecycle
    from niaga.db import session
    from niaga.runtime import forget_enabled_plugins

    with app.app_context():
        db = session()
        for name in names:
            lifecycle.enable(db, app.extensions["niaga"].host, name, with_deps=True)
        db.commit()
        forget_enabled_plugins()
        auth.ensure_roles(db)
        db.commit()


@pytest.fixture(scope="session")
def niaga_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The migrated template database of this test run."""
    if database_kind() == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not reachable at " + postgres_admin_url())
        url = create_postgres_database()
        app = build_app(url)
        migrate_everything(app)
        app.extensions["niaga"].engine.dispose()
        yield {"kind": "postgresql", "url": url}
        drop_postgres_database(url)
    else:
        folder = tmp_path_factory.mktemp("niaga-template")
        path = folder / "template.db"
        app = build_app(f"sqlite:///{path}")
        migrate_everything(app)
        app.extensions["niaga"].engine.dispose()
        yield {"kind": "sqlite", "path": path}


def _empty_postgres(url: str) -> None:
    from niaga.db import Model, create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        existing = set(sa.inspect(connection).get_table_names())
        # the configuration version's one row stays (niaga.config_version); it is bumped below
        names = [
            t.name
            for t in Model.metadata.sorted_tables
            if t.name in existing and t.name != "core_config_version"
        ]
        # TRUNCATE costs per table, so only the tables a test wrote rows into are emptied
        # (a tenth of the time); every id sequence starts again at 1 all the same.
        filled = connection.scalars(
            sa.text(
                " UNION ALL ".join(
                    f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names
                )
            )
        ).all()
        # Append-only tables refuse TRUNCATE (niaga.append_only); the superuser of the test
        # server may switch their triggers off for this transaction.
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        if filled:
            tables = ", ".join(f'"{name}"' for name in filled)
            connection.execute(sa.text(f"TRUNCATE {tables} CASCADE"))
        connection.execute(
            sa.text(
                "SELECT setval(s.oid, 1, false) FROM pg_class s"
                " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
                " JOIN pg_class t ON t.oid = d.refobjid"
                " WHERE s.relkind = 'S' AND t.relname = ANY(:names)"
            ),
            {"names": names},
        )
        connection.execute(sa.text("UPDATE core_plugin_state SET enabled = false"))
        # the triggers that bump it were off (replica); a test may have deleted its row
        connection.execute(
            sa.text(
                "INSERT INTO core_config_version (id, version) VALUES (1, 0)"
                " ON CONFLICT (id) DO UPDATE SET version = core_config_version.version + 1"
            )
        )
    engine.dispose()


@pytest.fixture
def database_url(niaga_template: dict[str, Any], tmp_path: Path) -> str:
    """A database with every table and no rows, for this test alone."""
    if niaga_template["kind"] == "postgresql":
        _empty_postgres(niaga_template["url"])
        return niaga_template["url"]
    path = tmp_path / "niaga.db"
    shutil.copyfile(niaga_template["path"], path)
    return f"sqlite:///{path}"


@pytest.fixture
def enabled_plugins(request: pytest.FixtureRequest) -> list[str]:
    """Plugins to enable, from ``@pytest.mark.plugins(...)``."""
    marker = request.node.get_closest_marker("plugins")
    return list(marker.args) if marker else []


@pytest.fixture
def app(
    database_url: str, enabled_plugins: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("NIAGA_HOME", str(tmp_path / "instance"))
    application = build_app(database_url)
    enable_plugins(application, enabled_plugins)
    yield application
    application.extensions["niaga"].engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    from niaga.db import session

    with app.app_context():
        yield session()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    from niaga import auth
    from niaga.db import session

    def make(
        role: str = "owner",
        email: str | None = None,
        phone: str | None = None,
        password: str = PASSWORD,
        name: str = "",
    ) -> Any:
        with app.app_context():
            db = session()
            user = auth.create_user(
                db,
                role=role,
                email=email or f"{uuid.uuid4().hex[:8]}@t.id",
                phone=phone,
                password=password,
                name=name or role,
            )
            db.commit()
            db.refresh(user)
            return user

    return make


@pytest.fixture
def owner(make_user: Callable[..., Any]) -> Any:
    return make_user("owner", email="owner@toko.id", name="Bu Owner")


class ApiClient:
    """JSON calls with a bearer token: ``api.post("/api/x", json={...})`` returns the response."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def _call(
        self, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        all_headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        all_headers.update(headers or {})
        return self.client.open(url, method=method, headers=all_headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._call("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self._call("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self._call("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self._call("DELETE", url, **kwargs)


@contextmanager
def another_process(app: Flask) -> Iterator[sa.Connection]:
    """A connection of its own, committed at the end: what another server process, the CLI
    or an SQL console would write."""
    from niaga.db import create_engine

    engine = create_engine(app.config["DATABASE_URL"])
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def sent_statements(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements sent on ``engine`` inside the block, in order."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def see_config_version(db: Session) -> None:
    """Read the configuration version into ``db``'s transaction, as a request's token
    lookup does, so that it may use the per-process caches (:mod:`niaga.config_version`)."""
    from niaga import config_version

    config_version.saw(db, db.scalar(sa.select(config_version.column())))


def token_for(app: Flask, user: Any, scopes: list[str] | None = None) -> str:
    from niaga import auth
    from niaga.db import session
    from niaga.models import User

    with app.app_context():
        db = session()
        token = auth.create_token(db, db.get_one(User, user.id), scopes or ["*"])
        db.commit()
        return token


@pytest.fixture
def api(app: Flask, owner: Any) -> ApiClient:
    return ApiClient(app.test_client(), token_for(app, owner))


@pytest.fixture
def api_as(app: Flask) -> Callable[..., ApiClient]:
    """``api_as(user, scopes=None)``: a JSON client acting as ``user``."""

    def make(user: Any, scopes: list[str] | None = None) -> ApiClient:
        return ApiClient(app.test_client(), token_for(app, user, scopes))

    return make


def csrf_token(client: FlaskClient, url: str = "/admin/login") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    import re

    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def login(client: FlaskClient, user: Any, password: str = PASSWORD) -> None:
    """Log ``client`` in as ``user`` through the real login form."""
    response = client.post(
        "/admin/login",
        data={
            "login": user.email or user.phone,
            "password": password,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def browser_login(page: Any, user: Any, password: str = PASSWORD) -> None:
    """Log a Playwright ``page`` in as ``user`` through the login form, by keyboard as a
    person would (login name, password, Enter), and wait until it has left the login page
    (for the dashboard, or the portal for a retailer)."""
    page.goto("/admin/login")
    page.fill("input[name=login]", user.email or user.phone)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def logged_in(client: FlaskClient, owner: Any) -> FlaskClient:
    """A browser-like client logged in as the owner."""
    login(client, owner)
    return client


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "plugins(*names): plugins to enable for this test")
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")


class _ServerThread:
    """A real WSGI server (werkzeug, threaded) serving ``app`` on 127.0.0.1, any free port."""

    def __init__(self, app: Flask) -> None:
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's ``app`` served by a real threaded WSGI server; yields its base URL
    (``http://127.0.0.1:<port>``). Each request runs in its own thread with its own session."""
    with _ServerThread(app) as url:
        yield url


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM = os.environ.get("NIAGA_CHROMIUM", "/usr/bin/chromium")


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="session")
def niaga_browser() -> Iterator[Any]:
    """One headless Debian Chromium per test run, driven by Playwright's sync API.

    Skipped with the reason when Chromium or playwright is missing, unless ``CI`` is set:
    then missing browser tooling is a failure, so CI never silently skips browser tests.
    """
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need a browser: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(niaga_browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh Playwright ``Page`` (own cookies) whose relative URLs go to ``live_server``:
    ``browser_page.goto("/admin/login")``."""
    context = niaga_browser.new_context(base_url=live_server, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shop_clock() -> Iterator[Callable[[dt.datetime], None]]:
    """Stop the shop's clock: ``shop_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))``
    makes every business date and timestamp come from that instant until the test ends."""
    from niaga import clock

    with ExitStack() as stack:
        yield lambda moment: stack.enter_context(clock.frozen(moment))


def shop_today(session: Session | None = None) -> dt.date:
    """Today where the shop is, as the product dates documents: the frozen clock's day under
    ``shop_clock``, in WIB outside an app context. Never ``date.today()``: from 17:00 UTC the
    machine is still on the day before Jakarta."""
    from niaga import clock

    return clock.shop_today(session)


#: The typed-number table of issue 14: every form's money and quantity fields must read
#: these the way :func:`niaga.l10n.parse_number` does.
TYPED_NUMBERS = ["12.500", "1.250.000", "1.250.000,50", "12,5", "12.5", "1e3", "-5", "", "garbage"]


def typed_meaning(text: str, places: int, language: str) -> Any:
    """What core reads ``text`` as in ``language`` (``"refused"`` when it refuses it)."""
    from niaga.errors import NiagaError
    from niaga.l10n import parse_number

    try:
        return parse_number(text, places=places, language=language)
    except NiagaError:
        return "refused"
