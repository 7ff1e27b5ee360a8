"""The plugin contract end to end, with the sample third-party plugin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga import lifecycle
from niaga.contracts import Document
from niaga.errors import PluginError
from niaga.runtime import forget_enabled_plugins, hooks, niaga


def test_installed_plugins_have_states(app, db):
    host = niaga().host
    states = {name: plugin.status for name, plugin in host.installed.items()}
    for name in ("inventory", "sales", "cashbank", "purchasing", "payments", "loyalty", "sample"):
        assert states[name] == "loaded"
    assert states["broken"] == "failed"
    assert "broken on purpose" in host.installed["broken"].error
    assert states["future"] == "incompatible"
    assert ">=9" in host.installed["future"].error


def test_enable_call_disable_keeps_data(app, db, api):
    host = niaga().host
    assert api.get("/api/sample/notes").status_code == 404
    lifecycle.enable(db, host, "sample")
    db.commit()
    created = api.post("/api/sample/notes", json={"text": "catatan pertama"})
    assert created.status_code == 201, created.json
    assert api.get("/api/sample/notes").json == [{"id": 1, "text": "catatan pertama"}]

    lifecycle.disable(db, host, "sample")
    db.commit()
    assert api.get("/api/sample/notes").status_code == 404
    assert db.scalar(sa.text("SELECT count(*) FROM sample_note")) == 1

    lifecycle.enable(db, host, "sample")
    db.commit()
    assert api.get("/api/sample/notes").json[0]["text"] == "catatan pertama"


def test_only_enabled_plugins_hear_events(app, db):
    order = Document(
        kind="sales.order",
        id=7,
        number="SO-7",
        date=None,
        party_id=None,
        party_name="",
        lines=(),
        subtotal=0,
        tax=0,
        total=0,
    )
    hooks().sales_order_confirmed(session=db, order=order)
    db.flush()
    # sample is disabled: nothing recorded (and its table is untouched)
    assert db.scalar(sa.text("SELECT count(*) FROM sample_note")) == 0
    lifecycle.enable(db, niaga().host, "sample")
    db.commit()
    forget_enabled_plugins()
    hooks().sales_order_confirmed(session=db, order=order)
    db.commit()
    assert db.scalar(sa.text("SELECT text FROM sample_note")) == "confirmed SO-7"


def test_dependencies_are_resolved(app, db):
    host = niaga().host
    with pytest.raises(PluginError, match="needs sales"):
        lifecycle.enable(db, host, "loyalty")
    assert lifecycle.enable(db, host, "loyalty", with_deps=True) == ["sales", "loyalty"]
    db.commit()
    with pytest.raises(PluginError, match="loyalty depends on it"):
        lifecycle.disable(db, host, "sales")


def test_failed_and_incompatible_plugins_cannot_be_enabled(app, db):
    host = niaga().host
    with pytest.raises(PluginError, match="failed"):
        lifecycle.enable(db, host, "broken")
    with pytest.raises(PluginError, match="incompatible"):
        lifecycle.enable(db, host, "future")
    with pytest.raises(PluginError, match="Unknown plugin nope"):
        lifecycle.enable(db, host, "nope")
