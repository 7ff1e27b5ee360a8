"""Alembic environment shared by core and every plugin.

Each package's revisions live in its own folder and version table; the filter below keeps
autogenerate to the package's own tables (those named ``<package>_...``).
"""

from __future__ import annotations

from alembic import context

from niaga.db import Model

config = context.config
name = config.attributes["plugin_name"]
prefix = f"{name}_"


def include_object(obj, object_name, type_, reflected, compare_to):
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = object_name if type_ == "table" else getattr(table, "name", "")
    return (
        bool(table_name)
        and table_name.startswith(prefix)
        and not table_name.endswith("_alembic_version")
    )


context.configure(
    connection=config.attributes["connection"],
    target_metadata=Model.metadata,
    version_table=config.attributes["version_table"],
    include_object=include_object,
    render_as_batch=True,
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
