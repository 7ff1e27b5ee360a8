"""A request body over ``MAX_CONTENT_LENGTH`` is refused with 413 and the error envelope,
before any view reads it; anonymous webhooks included."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.plugins("payments")


@pytest.fixture
def small(app):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    return app


def test_a_large_anonymous_webhook_is_refused_with_the_envelope(small):
    response = small.test_client().post(
        "/api/payments/webhooks/midtrans",
        data=b"{" + b" " * 10_000 + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_a_large_body_is_refused_in_indonesian_on_any_route(small):
    response = small.test_client().post(
        "/admin/login",
        data={"login": "x" * 10_000, "password": "salah"},
        headers={"Accept": "application/json", "Accept-Language": "id"},
    )
    assert response.status_code == 413
    assert response.json["error"]["message"] == "Permintaan terlalu besar"


def test_a_body_under_the_limit_is_read(small):
    response = small.test_client().post(
        "/api/payments/webhooks/midtrans", data=b"{}", content_type="application/json"
    )
    assert response.status_code != 413
