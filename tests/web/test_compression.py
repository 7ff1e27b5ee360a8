"""Issue 21: pages travel gzip-compressed to browsers that accept it, and /favicon.ico
answers."""

from __future__ import annotations

import gzip


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client):
    plain = client.get("/admin/login")
    packed = client.get("/admin/login", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2


def test_posts_small_answers_and_files_go_out_as_they_are(client, logged_in):
    gz = {"Accept-Encoding": "gzip"}
    assert "Content-Encoding" not in client.get("/healthz", headers=gz).headers  # small
    posted = client.post("/admin/login", data={"login": "x", "password": "y"}, headers=gz)
    assert "Content-Encoding" not in posted.headers  # answers to POST are never touched
    static = client.get("/static/niaga.css", headers=gz)
    assert static.status_code == 200 and "Content-Encoding" not in static.headers


def test_the_favicon_is_found_where_browsers_look(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer.headers["Location"].endswith("favicon.svg")
