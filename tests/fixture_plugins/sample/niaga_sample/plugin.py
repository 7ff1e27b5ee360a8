"""The sample plugin: a table with its migration, an API route, a CLI command, a
permission, a menu entry, a setting and an event listener."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView

from niaga import PluginMeta, hookimpl
from niaga.api import Blueprint, Schema
from niaga.auth import require
from niaga.db import session
from niaga.meta import MenuEntry, Permission
from niaga_sample.models import Note

PLUGIN = PluginMeta(
    name="sample",
    label={"id": "Contoh", "en": "Sample"},
    description={"id": "Plugin contoh pihak ketiga", "en": "A sample third-party plugin"},
    core_requires=">=0.1",
    migrations=Path(__file__).parent / "migrations",
    optional_depends=("sales",),
)

api = Blueprint("sample", __name__)


class NoteSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))


@api.route("/notes")
class Notes(MethodView):
    @api.response(200, NoteSchema(many=True))
    @require("sample.view")
    def get(self) -> Any:
        return session().scalars(sa.select(Note).order_by(Note.id)).all()

    @api.arguments(NoteSchema)
    @api.response(201, NoteSchema)
    @require("sample.edit")
    def post(self, data: dict[str, Any]) -> Any:
        note = Note(text=data["text"])
        session().add(note)
        session().commit()
        return note


class Settings(ma.Schema):
    greeting = ma.fields.String(load_default="Halo", validate=ma.validate.Length(1, 40))
    api_key = ma.fields.String(load_default="", metadata={"secret": True})


@click.group("sample")
def cli() -> None:
    """Sample plugin commands."""


@cli.command("count")
def count() -> None:
    """Print how many notes there are."""
    click.echo(session().scalar(sa.select(sa.func.count()).select_from(Note)))


@hookimpl
def niaga_api_blueprints() -> list[Any]:
    return [api]


@hookimpl
def niaga_cli_commands() -> list[Any]:
    return [cli]


@hookimpl
def niaga_permissions() -> list[Permission]:
    return [
        Permission(
            "sample.view",
            {"id": "Lihat catatan", "en": "View notes"},
            ("owner", "manager", "cashier"),
        ),
        Permission("sample.edit", {"id": "Ubah catatan", "en": "Edit notes"}, ("owner",)),
    ]


@hookimpl
def niaga_admin_menu() -> list[MenuEntry]:
    return [
        MenuEntry(
            {"id": "Catatan", "en": "Notes"}, "core_admin.dashboard", "sample.view", order=500
        )
    ]


@hookimpl
def niaga_settings_schema() -> type[ma.Schema]:
    return Settings


@hookimpl
def sales_order_confirmed(session: Any, order: Any) -> None:
    session.add(Note(text=f"confirmed {order.number}"))
