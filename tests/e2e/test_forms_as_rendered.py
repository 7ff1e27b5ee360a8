"""Every admin form with a pre-filled number, submitted exactly as the page rendered it.

The demo month is loaded with every plugin enabled; the owner (in Bahasa Indonesia) walks
every admin page reachable by links, and each form that shows a number is posted back
unchanged. Nothing may answer 500 or refuse a number the page itself wrote, and where the
form is still there afterwards (an edit form, a settings page) it must show the same
numbers again: what was stored is what was shown.
"""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from niaga.testing_pages import crawl, local_path, parse_page

SIX = ("inventory", "purchasing", "sales", "payments", "loyalty", "cashbank")
#: Messages that mean a number typed on the page was not understood.
NUMBER_REFUSED = re.compile(
    r"bukan angka|lebih dari satu cara|desimal|not a number|more than one way|decimals",
    re.IGNORECASE,
)


@pytest.mark.plugins(*SIX)
def test_every_form_submitted_as_rendered_stores_what_it_showed(app, db, logged_in):
    from niaga.demo import load_demo_data
    from niaga.runtime import forget_enabled_plugins

    forget_enabled_plugins()
    load_demo_data(db)
    db.commit()
    pages = crawl(logged_in, "/admin/")
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
            again = parse_page(
                logged_in.get(path).get_data(as_text=True), "http://localhost" + path
            )
            for same in (f for f in again.forms if f.action == form.action):
                for name, shown in form.numbers.items():
                    if name in same.numbers and same.numbers[name] != shown:
                        problems.append(
                            f"{target} showed {name}={shown}, stored {same.numbers[name]}"
                        )
    # settings of every plugin, products, loyalty set-up, invoice and bill payments
    assert len(checked) >= 20, checked
    assert not problems, "\n".join(problems)
