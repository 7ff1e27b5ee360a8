"""The PostgreSQL application role of docs/operations.md, set up by running the documented
grants: the application logs in and writes with it, while TRUNCATE, UPDATE or DELETE of an
append-only table, dropping or switching off its triggers, creating tables and
``session_replication_role`` are all refused; the Modules page says how to enable a plugin
whose tables it may not create, instead of failing."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from niaga import lifecycle, settings
from niaga.db import create_engine
from niaga.runtime import niaga
from niaga.testing import build_app, csrf_token, database_kind, login

pytestmark = pytest.mark.skipif(
    database_kind() != "postgresql", reason="database roles are PostgreSQL's"
)

OPERATIONS = Path(__file__).parents[2] / "docs" / "operations.md"
PASSWORD = "peran-aplikasi-uji"


def documented_grants() -> list[str]:
    """The SQL block after the ``app-role-grants`` marker in docs/operations.md."""
    text = OPERATIONS.read_text(encoding="utf-8")
    block = re.search(r"<!-- app-role-grants.*?-->\s*```sql\n(.*?)```", text, re.S)
    assert block, "docs/operations.md lost its app-role-grants block"
    return [s.strip() for s in block.group(1).split(";") if s.strip()]


@pytest.fixture
def app_role_url(database_url):
    role = f"niaga_app_{uuid.uuid4().hex[:8]}"
    database = database_url.rsplit("/", 1)[1]
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        owner = connection.execute(sa.text("SELECT current_user")).scalar_one()
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'"))
        for statement in documented_grants():
            statement = statement.replace("niaga_app", role).replace("niaga_owner", owner)
            statement = statement.replace("DATABASE niaga ", f'DATABASE "{database}" ')
            connection.execute(sa.text(statement))
    host = database_url.split("@", 1)[1]
    yield f"postgresql://{role}:{PASSWORD}@{host}"
    with admin.connect() as connection:
        connection.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :role"),
            {"role": role},
        )
        connection.execute(sa.text(f"DROP OWNED BY {role}"))
        connection.execute(sa.text(f"DROP ROLE {role}"))
    admin.dispose()


@pytest.fixture
def as_app_role(app_role_url):
    application = build_app(app_role_url)
    yield application
    application.extensions["niaga"].engine.dispose()


def test_the_application_works_as_the_app_role(as_app_role, owner):
    client = as_app_role.test_client()
    login(client, owner)
    assert client.get("/admin/").status_code == 200
    from niaga.db import session

    with as_app_role.app_context():
        db = session()
        settings.put(db, "core.shop_name", "Toko Peran Aplikasi")  # a row and its audit row
        db.commit()
        assert db.execute(sa.text("SELECT current_user")).scalar_one().startswith("niaga_app_")
        assert settings.get(db, "core.shop_name") == "Toko Peran Aplikasi"


@pytest.mark.parametrize(
    "statement, refusal",
    [
        ("TRUNCATE core_audit_log", "permission denied"),
        ("UPDATE core_audit_log SET actor = actor", "append-only"),
        ("DELETE FROM core_audit_log", "append-only"),
        ("ALTER TABLE core_audit_log DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER core_audit_log_append_only ON core_audit_log", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        ("CREATE TABLE core_stray (id integer)", "permission denied"),
        ("DROP TABLE core_audit_log", "must be owner"),
    ],
)
def test_the_app_role_cannot_get_around_the_guards(app_role_url, owner, db, statement, refusal):
    settings.put(db, "core.shop_name", "Toko Sumber Rejeki")  # one audit row to protect
    db.commit()
    engine = create_engine(app_role_url)
    try:
        with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError, match=refusal):
            connection.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert db.execute(sa.text("SELECT count(*) FROM core_audit_log")).scalar_one() >= 1


def test_the_modules_page_says_how_to_enable_a_plugin_it_may_not_create(as_app_role, owner, db):
    host = niaga().host
    lifecycle.purge(db, host, "sample")  # as the owner: its tables are gone
    db.commit()
    try:
        client = as_app_role.test_client()
        login(client, owner)
        answer = client.post(
            "/admin/plugins/sample/enable",
            data={"csrf_token": csrf_token(client, "/admin/plugins")},
            headers={"Accept-Language": "id"},
            follow_redirects=True,
        )
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert "tidak boleh membuat tabel" in page
        assert "niaga plugins enable sample" in page
    finally:
        db.rollback()
        lifecycle.upgrade(db, host, "sample")  # leave the schema as the other tests expect
        db.commit()
    assert not db.execute(
        sa.text("SELECT enabled FROM core_plugin_state WHERE name = 'sample'")
    ).scalar()
