"""Reading rendered HTML in tests the way a browser would submit it.

A page's links and forms, with each control's value exactly as rendered (a checked box
sends ``on`` unless it has a value, an unchecked one nothing, a select its selected option
or else its first), so a test can post a form back unchanged, and a crawler that walks
every page reachable by links::

    values = form_values(client.get(url).get_data(as_text=True), action="/pay")
    pages = crawl(logged_in, "/admin/")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlparse

#: Rendered values that look like numbers (what the locale tests post back).
NUMBER = re.compile(r"^-?[0-9][0-9.,]*$")
#: Links a crawler does not follow: files, printing, leaving the session, the API.
SKIP_LINK = re.compile(r"logout|export|download|\.csv|\.xlsx|\.beancount|print|/proofs/|/api/")
BASE_URL = "http://localhost"


@dataclass
class Form:
    """One ``<form>``: where it posts and the fields a browser would send."""

    action: str
    method: str
    action_attribute: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, str]:
        """The fields as a dict (the last of repeated names wins)."""
        return dict(self.fields)


class HtmlPage(HTMLParser):
    """The links and forms of one HTML page."""

    def __init__(self, url: str = BASE_URL + "/") -> None:
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
            action = a.get("action", "")
            method = a.get("method", "get").lower()
            self.forms.append(Form(urljoin(self.url, action or self.url), method, action))
        elif form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            self._input(form, a)
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            form.fields.append((a["name"], ""))

    def _input(self, form: Form, a: dict[str, str]) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                form.fields.append((a["name"], a.get("value") or "on"))
            return
        value = a.get("value", "")
        form.fields.append((a["name"], value))
        if kind == "text" and NUMBER.match(value):
            form.numbers[a["name"]] = value

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


def parse_page(html: str, url: str = BASE_URL + "/") -> HtmlPage:
    """``html`` read as a browser would, with relative links resolved against ``url``."""
    page = HtmlPage(url)
    page.feed(html)
    return page


def find_form(
    html: str, *, action: str | None = None, having: str | None = None, url: str = BASE_URL + "/"
) -> Form:
    """The first form that posts to ``action`` (its ``action`` attribute, or the end of its
    resolved address; ``""`` for a form posting to its own page) and has a field named
    ``having``, either left out to match any; AssertionError when there is none."""
    for form in parse_page(html, url).forms:
        if action is not None and not _posts_to(form, action):
            continue
        if having is not None and having not in form.values():
            continue
        return form
    raise AssertionError(f"no form with action={action!r} having={having!r}")


def _posts_to(form: Form, action: str) -> bool:
    if action == "":
        return form.action_attribute == ""
    return form.action_attribute == action or form.action.endswith(action)


def form_values(html: str, **match: Any) -> dict[str, str]:
    """The fields of the form :func:`find_form` picks, as a browser would send them."""
    return find_form(html, **match).values()


def local_path(url: str) -> str:
    """``/path?query`` of an absolute URL."""
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    client: Any,
    start: str,
    prefix: str | None = None,
    *,
    skip: re.Pattern[str] = SKIP_LINK,
    limit: int = 400,
    same_shape: int = 4,
) -> dict[str, HtmlPage]:
    """Every HTML page under ``prefix`` (default: ``start``) reachable by links from
    ``start`` with a Flask test ``client``; at most ``same_shape`` pages of one shape
    (``/admin/sales/orders/N``), since the rest look the same."""
    prefix = prefix or start
    seen: dict[str, HtmlPage] = {}
    shapes: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path.split("?")[0])
        if path in seen or shapes.get(shape, 0) >= same_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = parse_page(response.get_data(as_text=True), BASE_URL + path)
        seen[path] = page
        for link in page.links:
            target = local_path(link).split("#")[0]
            if target.startswith(prefix) and not skip.search(target):
                queue.append(target)
    return seen


#: The elements sticking out past the right edge, so a failure says what to fix.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > edge + 1 && box.width > 0) {
      let inside = el.parentElement, clipped = false;
      while (inside && inside !== document.body) {
        const style = getComputedStyle(inside);
        if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) { clipped = true; break; }
        inside = inside.parentElement;
      }
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      if (!clipped) out.push(name + ' ' + Math.round(box.right - edge) + 'px');
    }
  }
  return {scroll: document.documentElement.scrollWidth - edge, out: out.slice(0, 5)};
}"""


def sideways(page: Any) -> tuple[int, list[str]]:
    """How many pixels a Playwright ``page`` scrolls sideways (0 when it fits), and the
    first elements sticking out past the right edge (not inside a box that scrolls)."""
    found = page.evaluate(WIDEST)
    return int(found["scroll"]), list(found["out"])
