"""An empty string is never translated: a catalog keeps its header under the empty msgid, so a
translated "" shows "Project-Id-Version: …" where a description or label is empty."""
import re

import pytest
from flask_appbuilder import ModelView
from flask_appbuilder.api import ModelRestApi

HEADER_MARKS = ("Project-Id-Version", "Content-Type: text/plain")


def _headers_in(resp) -> list[str]:
    text = resp.get_data(as_text=True)
    return [mark for mark in HEADER_MARKS if mark in text]


def _rest_apis(app) -> list[str]:
    return sorted(view.route_base for view in app.appbuilder.baseviews
                  if isinstance(view, ModelRestApi)
                  and (view.include_route_methods is None or "info" in view.include_route_methods))


def _pages(app) -> list[str]:
    """Every GET route without arguments, and the show and edit pages of each view's first record."""
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.endpoint.endswith("static")]
    with app.app_context():
        for view in app.appbuilder.baseviews:
            if isinstance(view, ModelView):
                model = view.datamodel.obj
                pk = view.datamodel.session.query(getattr(model, view.datamodel.get_pk_name())).first()
                if pk is not None:
                    pages += [f"{view.route_base}/show/{pk[0]}", f"{view.route_base}/edit/{pk[0]}"]
    return sorted(set(pages))


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_rest_info_of_every_api_has_no_catalog_header(app, auth, enterprises, orders, lang):
    enterprises.create("IPB")
    headers = {**auth.token("admin"), "Accept-Language": lang}
    client = app.test_client()
    apis = _rest_apis(app)
    assert len(apis) >= 2
    found = {}
    for route in apis:
        resp = client.get(f"{route}/_info?_l_={lang}", headers=headers)
        assert resp.status_code == 200, route
        if _headers_in(resp):
            found[route] = _headers_in(resp)
    assert found == {}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_no_page_shows_the_catalog_header(app, auth, enterprises, orders, lang):
    enterprises.create("IPB")
    orders.dispatched("IPB")
    client = auth.client("admin", lang=lang)
    found, shown = {}, 0
    for path in _pages(app):
        resp = client.get(path)
        shown += resp.status_code == 200
        if _headers_in(resp):
            found[path] = _headers_in(resp)
    assert found == {} and shown > 20


def test_gettext_of_the_empty_string_is_empty(app):
    from flask_babel import force_locale, gettext, lazy_gettext

    with app.test_request_context():
        for lang in ("zh", "ja", "en"):
            with force_locale(lang):
                assert gettext("") == "" and str(lazy_gettext("")) == ""
                assert re.search(r"[^\x00-\x7f]", gettext("Department")) or lang == "en"
