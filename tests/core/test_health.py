"""Health endpoints."""

from __future__ import annotations

import sqlalchemy as sa

from niaga.runtime import niaga


def test_healthz_answers_without_the_database(tmp_path, monkeypatch):
    from niaga.testing import build_app

    monkeypatch.setenv("NIAGA_HOME", str(tmp_path))
    app = build_app("postgresql://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json["database"] == "unreachable"


def test_readyz_checks_migrations(app, db, client):
    assert client.get("/readyz").json == {
        "status": "ok",
        "database": "ok",
        "version": niaga().host.core_version.public,
    }
    head = db.scalar(sa.text("SELECT version_num FROM core_alembic_version"))
    db.execute(sa.text("DELETE FROM core_alembic_version"))
    db.commit()
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["pending_migrations"] == ["core"]
    finally:  # the PostgreSQL test database is shared by the whole run
        db.rollback()
        db.execute(sa.text("INSERT INTO core_alembic_version VALUES (:v)"), {"v": head})
        db.commit()
