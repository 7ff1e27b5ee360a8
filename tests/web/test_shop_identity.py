"""The shop's own name heads every page once the owner has saved it, and pages have an icon."""

from __future__ import annotations

import re

from niaga import settings


def test_the_saved_shop_name_replaces_niaga_in_the_header_and_title(db, logged_in):
    settings.put(db, "core.shop_name", "Toko Sinar Palu")
    db.commit()
    page = logged_in.get("/admin/").get_data(as_text=True)
    assert re.search(r'<a class="shop"[^>]*>Toko Sinar Palu</a>', page)
    assert re.search(r"<title>[^<]*· Toko Sinar Palu</title>", page)


def test_pages_name_an_icon_that_is_served(client):
    page = client.get("/admin/login").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon, "no icon on the login page"
    answer = client.get(icon.group(1))
    assert answer.status_code == 200 and answer.content_type.startswith("image/svg+xml")
