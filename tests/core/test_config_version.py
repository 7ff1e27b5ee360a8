"""The configuration version (niaga.config_version): triggers bump it on every change to a
watched table, and the per-process configuration cache is used only at the version the
transaction saw, so a change committed elsewhere is seen by the next request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga import lifecycle, runtime, settings
from niaga.models import PluginState
from niaga.testing import another_process, database_kind, see_config_version, sent_statements

pytestmark = pytest.mark.plugins("sample")

NOTES = "/api/sample/notes"


def version(connection: sa.Connection) -> int:
    return connection.scalar(sa.text("SELECT version FROM core_config_version WHERE id = 1"))


CHANGES = {
    "insert setting": "INSERT INTO core_setting (key, value, changed_at)"
    " VALUES ('sample.greeting', '\"Hai\"', CURRENT_TIMESTAMP)",
    "update plugin": "UPDATE core_plugin_state SET enabled = enabled",
    "delete plugin": "DELETE FROM core_plugin_state WHERE name = 'sample'",
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_a_watched_table_gives_a_new_version(app, change):
    with another_process(app) as connection:
        before = version(connection)
        connection.execute(sa.text(CHANGES[change]))
        assert version(connection) != before


def test_a_change_elsewhere_does_not_change_the_version(app, db):
    with another_process(app) as connection:
        before = version(connection)
        connection.execute(sa.text("INSERT INTO sample_note (text) VALUES ('x')"))
        assert version(connection) == before


@pytest.mark.skipif(database_kind() != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_gives_a_new_version(app):
    with another_process(app) as connection:
        before = version(connection)
        connection.execute(sa.text("TRUNCATE core_setting"))
        assert version(connection) != before


def test_a_token_request_reads_no_configuration_once_the_process_has_it(app, api):
    assert api.get(NOTES).status_code == 200
    with sent_statements(app.extensions["niaga"].engine) as seen:
        assert api.get(NOTES).status_code == 200
    assert not [s for s in seen if "core_plugin_state" in s or "core_setting" in s], seen


def test_a_plugin_disabled_by_another_process_answers_404_on_the_next_request(app, api):
    assert api.get(NOTES).status_code == 200
    with another_process(app) as connection:
        connection.execute(sa.text("UPDATE core_plugin_state SET enabled = false"))
    assert api.get(NOTES).status_code == 404
    with another_process(app) as connection:
        connection.execute(sa.text("UPDATE core_plugin_state SET enabled = true"))
    assert api.get(NOTES).status_code == 200


def test_a_setting_stored_by_another_process_is_read_by_the_next_transaction(app, db):
    def greeting() -> str:
        see_config_version(db)
        value = settings.get(db, "sample.greeting")
        db.commit()
        return value

    assert greeting() == "Halo"
    assert greeting() == "Halo"  # from the process's cache
    with another_process(app) as connection:
        connection.execute(sa.text(CHANGES["insert setting"]))
    assert greeting() == "Hai"


def test_a_transaction_that_changes_the_configuration_reads_its_own_and_shares_none(app, db):
    host = app.extensions["niaga"].host

    def enabled() -> bool:
        see_config_version(db)
        runtime.forget_enabled_plugins()
        return "sample" in runtime.enabled_plugins()

    assert enabled()
    db.commit()
    see_config_version(db)
    lifecycle.disable(db, host, "sample")
    db.flush()
    assert db.get(PluginState, "sample").enabled is False
    assert not enabled()  # its own change, not the cache
    db.rollback()
    assert enabled()  # the rolled-back change reached no one
    assert settings.get(db, "sample.greeting") == "Halo"


def test_without_its_row_nothing_is_cached_and_changes_are_still_seen(app, api):
    """A deleted version row (an SQL console, a bad restore) turns the cache off; it never
    serves stale configuration."""
    with another_process(app) as connection:
        connection.execute(sa.text("DELETE FROM core_config_version"))
    assert api.get(NOTES).status_code == 200
    with sent_statements(app.extensions["niaga"].engine) as seen:
        assert api.get(NOTES).status_code == 200
    assert [s for s in seen if "core_plugin_state" in s], "read again: nothing to check against"
    with another_process(app) as connection:
        connection.execute(sa.text("UPDATE core_plugin_state SET enabled = false"))
    assert api.get(NOTES).status_code == 404
