"""Every admin form with a pre-filled number, submitted exactly as the page rendered it.

The demo month is loaded with every plugin enabled; the owner (in Bahasa Indonesia) walks
every admin page reachable by links, and each form that shows a number is posted back
unchanged. Nothing may answer 500 or refuse a number the page itself wrote, and where the
form is still there afterwards (an edit form, a settings page) it must show the same
numbers again: what was stored is what was shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from werkzeug.datastructures import MultiDict

SIX = ("inventory", "purchasing", "sales", "payments", "loyalty", "cashbank")
NUMBER = re.compile(r"^-?[0-9][0-9.,]*$")
#: Links not worth following: files, printing, leaving the session.
SKIP_LINK = re.compile(r"logout|export|download|\.csv|\.xlsx|\.beancount|print|/proofs/|/api/")
#: Messages that mean a number typed on the page was not understood.
NUMBER_REFUSED = re.compile(
    r"bukan angka|lebih dari satu cara|desimal|not a number|more than one way|decimals",
    re.IGNORECASE,
)
PAGE_LIMIT = 400
#: Pages of one shape (``/admin/sales/orders/N``) visited at most; the rest look the same.
SAME_SHAPE = 4


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The links and forms of one HTML page, with each control's value as rendered."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self.forms.append(Form(action, a.get("method", "get").lower()))
        elif form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            value = a.get("value", "")
            form.fields.append((a["name"], value))
            if kind in ("text", "") and NUMBER.match(value):
                form.numbers[a["name"]] = value
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            form.fields.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1].fields[-1]
            self.forms[-1].fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            self.forms[-1].fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse(url: str, html: str) -> Page:
    page = Page(url)
    page.feed(html)
    return page


def local_path(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def admin_pages(client) -> dict[str, Page]:
    """Every admin page reachable from the dashboard by links."""
    seen: dict[str, Page] = {}
    shapes: dict[str, int] = {}
    queue = ["/admin/"]
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path.split("?")[0])
        if path in seen or shapes.get(shape, 0) >= SAME_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = parse("http://localhost" + path, response.get_data(as_text=True))
        seen[path] = page
        for link in page.links:
            target = local_path(link)
            if target.startswith("/admin/") and not SKIP_LINK.search(target):
                queue.append(target.split("#")[0])
    return seen


@pytest.mark.plugins(*SIX)
def test_every_form_submitted_as_rendered_stores_what_it_showed(app, db, logged_in):
    from niaga.demo import load_demo_data
    from niaga.runtime import forget_enabled_plugins

    forget_enabled_plugins()
    load_demo_data(db)
    db.commit()
    pages = admin_pages(logged_in)
    assert len(pages) > 30, sorted(pages)
    checked, problems = [], []
    for path, page in pages.items():
        for form in page.forms:
            if form.method != "post" or not form.numbers:
                continue
            target = local_path(form.action)
            response = logged_in.post(target, data=MultiDict(form.fields), follow_redirects=True)
            text = response.get_data(as_text=True)
            checked.append(f"{target} {form.numbers}")
            if response.status_code >= 500:
                problems.append(f"{target}: {response.status_code}")
                continue
            refusal = NUMBER_REFUSED.search(text)
            if refusal:
                problems.append(f"{target} refused its own numbers {form.numbers}: {refusal[0]}")
                continue
            again = parse("http://localhost" + path, logged_in.get(path).get_data(as_text=True))
            for same in (f for f in again.forms if f.action == form.action):
                for name, shown in form.numbers.items():
                    if name in same.numbers and same.numbers[name] != shown:
                        problems.append(
                            f"{target} showed {name}={shown}, stored {same.numbers[name]}"
                        )
    # settings of every plugin, products, loyalty set-up, invoice and bill payments
    assert len(checked) >= 20, checked
    assert not problems, "\n".join(problems)
