"""Product pictures for every signed-in screen, under ``/portal/inventory/pictures/``: the
retailer's catalogue cards and the admin product list use the same addresses.

A picture's address names its version, so it is sent once with ``Cache-Control:
immutable`` for a year and an ``ETag`` (a browser that asks again gets ``304``). Pages show
them with the template global ``product_pictures(ids, size)``: ``{id: address}`` in one
statement (nothing when inventory is disabled).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request

from niaga.auth import require_login
from niaga.db import session
from niaga.runtime import is_enabled
from niaga_inventory import pictures

bp = Blueprint("inventory_portal", __name__)

#: a year: the address changes with the picture
MAX_AGE = 365 * 24 * 3600


@bp.get("/pictures/<int:product_id>/<version>/<size>.webp")
@require_login
def picture(product_id: int, version: str, size: str) -> Response:
    found = pictures.content(session(), product_id, version[:32], size)
    if found is None:
        abort(404)
    response = Response(found, mimetype="image/webp")
    response.set_etag(f"{version[:32]}-{size}")
    response.headers["Cache-Control"] = f"private, max-age={MAX_AGE}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@bp.app_template_global("product_pictures")
def product_pictures(product_ids: Any, size: str = "card") -> dict[int, str]:
    """``{product id: picture address}`` for those of ``product_ids`` with a picture."""
    if not is_enabled("inventory"):
        return {}
    ids = [int(i) for i in product_ids]
    found = pictures.versions(session(), ids)
    return {
        product_id: url
        for product_id, version in found.items()
        if (url := pictures.picture_url(product_id, version, size))
    }
