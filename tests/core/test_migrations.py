"""Migrations and models agree: upgrading an empty database to every head gives exactly
the schema the models describe, and every package can be removed and re-created."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from niaga import lifecycle
from niaga.db import Model
from niaga.errors import PluginError
from niaga.models import PluginState, Role, Setting
from niaga.runtime import niaga


def schema_differences(connection: sa.Connection) -> list:
    loaded = {"core", *niaga().host.loaded_names()}

    def include(obj, name, type_, reflected, compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
        return (table or "").split("_")[0] in loaded and not (table or "").endswith(
            "_alembic_version"
        )

    context = MigrationContext.configure(
        connection, opts={"include_object": include, "compare_type": True}
    )
    return compare_metadata(context, Model.metadata)


def test_migrated_schema_matches_the_models(app, db):
    # The test database was built by running every package's migrations from empty.
    assert schema_differences(db.connection()) == []


def test_every_model_table_is_owned_by_a_loaded_package(app, db):
    owners = {"core", *niaga().host.loaded_names()}
    strays = [t for t in Model.metadata.tables if t.split("_")[0] not in owners]
    assert strays == []


def test_each_plugin_downgrades_and_upgrades_cleanly(app, db):
    host = niaga().host
    for name in host.loaded_names():
        lifecycle.purge(db, host, name)
        left = [
            t for t in sa.inspect(db.connection()).get_table_names() if t.startswith(f"{name}_")
        ]
        assert left == [], f"{name} left tables behind: {left}"
    for name in host.dependency_order(host.loaded_names()):
        lifecycle.upgrade(db, host, name)
    assert schema_differences(db.connection()) == []
    db.rollback()


def test_purge_leaves_no_settings_permissions_or_version_table(app, db):
    host = niaga().host
    lifecycle.enable(db, host, "sample")
    db.merge(Setting(key="sample.api_secret", value="s3cret"))
    db.merge(Setting(key="samples.other", value="kept"))  # a different plugin's namespace
    role = db.scalar(sa.select(Role).where(Role.name == "manager"))
    role.permissions = [*role.permissions, "sample.view", "sample.edit"]
    db.commit()
    with pytest.raises(PluginError, match="disable it before purging"):
        lifecycle.purge(db, host, "sample")
    db.rollback()
    lifecycle.disable(db, host, "sample")
    lifecycle.purge(db, host, "sample")
    db.commit()
    assert db.get(Setting, "sample.api_secret") is None
    assert db.get(Setting, "samples.other").value == "kept"
    assert not [p for p in db.get(Role, role.id).permissions if p.startswith("sample.")]
    assert "sample_alembic_version" not in sa.inspect(db.connection()).get_table_names()
    assert db.get(PluginState, "sample") is None
    lifecycle.upgrade(db, host, "sample")  # leave the schema as the other tests expect it
    db.commit()
