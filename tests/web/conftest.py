"""Helpers shared by the web platform tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from niaga.models import Role


@pytest.fixture
def nobody(app, make_user):
    """A logged-in-able user whose role has no permission at all."""
    from niaga.db import session

    with app.app_context():
        db = session()
        db.add(Role(name="nobody", label="Nobody", permissions=[]))
        db.commit()
        assert db.scalar(sa.select(Role).where(Role.name == "nobody"))
    return make_user("nobody", email="nobody@toko.id")
