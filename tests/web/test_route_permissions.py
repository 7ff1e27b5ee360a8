"""Every registered route, with every plugin enabled, refuses an anonymous caller and a
caller without the permission (401/403, or a redirect to the login page), never 200/500.
The routes that are public on purpose are listed here, each with its reason."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from niaga.testing import enable_plugins, login, token_for

#: endpoint -> why anyone may call it
PUBLIC = {
    "static": "CSS",
    "index": "redirects to the dashboard, which asks to log in",
    "core_admin.login": "the login form",
    "core_admin.logout": "logging out needs no permission",
    "core_admin.set_language": "the login page lets visitors choose a language",
    "core_health.healthz": "load balancer probe",
    "core_health.readyz": "load balancer probe",
    "api-docs.openapi_json": "the API description",
    "core_api_docs": "the API documentation",
    "core_api_index": "the API documentation",
    "sales_onboarding.register_page": "a shop signs up; it logs in only once staff approve",
    "sales_onboarding.invitation_page": "the one-time secret in the link is the permission",
    "favicon": "the shop icon browsers ask for",
}
PUBLIC_PREFIXES = {"/api/payments/webhooks/": "payment gateways call back unauthenticated"}
#: endpoint -> what every logged-in user may do (and so a user without permissions too)
ANY_USER = {
    "core_admin.logout_everywhere",
    "core_admin.account",
    "core_portal.portal_index",
    "core.Me",
    "inventory_portal.picture",  # product pictures: staff lists and retailers' catalogue alike
}
REFUSED = {401, 403}


def sample_value(converter: object) -> object:
    name = type(converter).__name__
    if name in ("IntegerConverter", "NumberConverter", "FloatConverter"):
        return 1
    if name == "AnyConverter":
        return sorted(converter.items)[0]  # type: ignore[attr-defined]
    return "x"


def concrete(rule: Rule) -> str:
    values = {arg: sample_value(rule._converters[arg]) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def routes(app) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.endswith(".static"):
            continue  # static files (CSS, images) of core and of plugins are public
        url = concrete(rule)
        if any(url.startswith(prefix) for prefix in PUBLIC_PREFIXES):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url))
    return found


def refused(response, anonymous: bool) -> bool:
    if response.status_code in REFUSED:
        return True
    location = response.headers.get("Location", "")
    return anonymous and response.status_code == 302 and "/admin/login" in location


@pytest.fixture
def everything(app):
    host = app.extensions["niaga"].host
    enable_plugins(app, host.loaded_names())
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own test; here: permissions only
    return app


def send(client, method: str, url: str, headers: dict[str, str] | None = None):
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.open(url, method=method, headers=headers or {}, **body)


def test_every_route_refuses_anonymous_callers(everything):
    problems = []
    for endpoint, method, url in routes(everything):
        for accept in ("text/html", "application/json"):
            response = send(everything.test_client(), method, url, {"Accept": accept})
            if not refused(response, anonymous=True):
                problems.append(f"{method} {url} ({endpoint}, {accept}): {response.status_code}")
    assert not problems, "routes open to anonymous callers:\n" + "\n".join(problems)


def test_every_route_refuses_a_user_without_the_permission(everything, nobody):
    browser = everything.test_client()
    login(browser, nobody)
    token = {"Authorization": f"Bearer {token_for(everything, nobody)}"}
    problems = []
    for endpoint, method, url in routes(everything):
        if endpoint in ANY_USER:
            continue
        for client, headers in (
            (browser, {"Accept": "text/html"}),
            (everything.test_client(), token),
        ):
            response = send(client, method, url, headers)
            if not refused(response, anonymous=False):
                problems.append(f"{method} {url} ({endpoint}): {response.status_code}")
    assert not problems, "routes open without the permission:\n" + "\n".join(problems)


def test_a_token_scope_narrows_what_its_owner_may_do(everything, owner):
    token = {"Authorization": f"Bearer {token_for(everything, owner, ['core.audit'])}"}
    client = everything.test_client()
    assert client.get("/api/core/audit", headers=token).status_code == 200
    assert client.get("/api/core/users", headers=token).status_code == 403


def test_public_routes_answer_anonymous_callers(everything):
    client = everything.test_client()
    for url in ("/healthz", "/readyz", "/api/openapi.json", "/api/docs", "/admin/login"):
        assert client.get(url).status_code == 200, url
